"""Shared test setup: keep every test away from the real user's cache and state dirs."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from types import ModuleType

import pytest
from hypothesis import settings

from bench_support import load_benchmark

# CI runs every property on the same examples (HYPOTHESIS_PROFILE=ci in .ci/run), so a landing
# never depends on a lucky draw; locally each run explores new ones. Neither times an example:
# speed is measured by the benchmarks, and a loaded machine made the 200 ms deadline flaky.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("local", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "local"))


@pytest.fixture(scope="session", autouse=True)
def _own_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A temp dir for this test process alone: Whoosh's in-memory indexes keep a writer's
    scratch files in the system's temp dir under one fixed name (`MAIN.tmp`), which parallel
    test processes would otherwise share, and delete under each other when a writer ends."""
    before = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("tmp"))
    yield
    tempfile.tempdir = before


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    """The benchmark corpus generator (`benchmarks/gen_corpus.py`)."""
    return load_benchmark("gen_corpus")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("TERMNEWS_STATE_DIR", str(home / "state" / "termnews"))
    monkeypatch.delenv("TERMNEWS_INDEX_DIR", raising=False)
