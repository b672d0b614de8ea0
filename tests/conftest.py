"""Shared test setup: keep every test away from the real user's cache and state dirs."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("TERMNEWS_STATE_DIR", str(home / "state" / "termnews"))
    monkeypatch.delenv("TERMNEWS_INDEX_DIR", raising=False)
