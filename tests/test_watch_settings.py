"""The config file's [watch] table: `poll = true` makes the browser poll its archive, and a
mistake in it is a problem naming the file and the line, never an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from termnews.settings import WatchSettings, load_settings


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("TERMNEWS_CONFIG", str(path))
    return path


def test_poll_defaults_to_off(config: Path) -> None:
    config.write_text('[fetch]\nevery = "1h"\n', encoding="utf-8")
    settings = load_settings()
    assert settings.watch == WatchSettings(poll=False)
    assert settings.problems == ()


def test_poll_true_is_read(config: Path) -> None:
    config.write_text("[watch]\npoll = true\n", encoding="utf-8")
    settings = load_settings()
    assert settings.watch.poll is True
    assert settings.problems == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "[watch]\n# mounts\npol = true\n",
            "line 3: [watch] unknown field 'pol' (did you mean 'poll'?)",
        ),
        (
            '[keys]\nhelp = "F1"\n\n[watch]\npoll = "yes"\n',
            "line 5: [watch] poll must be true or false",
        ),
        ("watch = 1\n", "watch must be a [watch] table"),
        ("[wacth]\npoll = true\n", "unknown setting 'wacth' (did you mean 'watch'?)"),
    ],
)
def test_a_mistake_is_one_problem_naming_file_and_line(config: Path, text: str, words: str) -> None:
    config.write_text(text, encoding="utf-8")
    settings = load_settings()
    assert settings.watch.poll is False
    assert len(settings.problems) == 1, settings.problems
    assert str(config) in settings.problems[0] and words in settings.problems[0]
