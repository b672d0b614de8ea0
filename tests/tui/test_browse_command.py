"""`termnews browse`: choosing the archive, remembering it, and the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from termnews import cli, config
from termnews.demo import sample_articles_dir


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Replace the app's `run` so the command's choices can be checked without a terminal."""
    from termnews.tui.app import TermnewsApp

    calls: list[dict[str, object]] = []
    # The command sets the frame rate for Textual; this test process gets its own back after.
    monkeypatch.setenv("TEXTUAL_FPS", "unset")
    monkeypatch.delenv("TEXTUAL_FPS")

    def fake_run(self: TermnewsApp) -> None:
        calls.append(
            {
                "archive": self.archive,
                "index_dir": self.index_dir,
                "sync": self.sync_on_start,
                "frame_rate": os.environ.get("TEXTUAL_FPS"),
            }
        )

    monkeypatch.setattr(TermnewsApp, "run", fake_run)
    return calls


def test_no_argument_and_no_history_says_how_to_start(
    capsys: pytest.CaptureFixture[str], launched: list
) -> None:
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert "termnews PATH" in err and "termnews --demo" in err
    assert launched == []


def test_the_last_archive_is_remembered(archive: Path, launched: list) -> None:
    assert cli.main([str(archive)]) == 0
    assert config.recall_archive() == archive.resolve()
    assert cli.main([]) == 0
    assert launched[1]["archive"] == archive.resolve()
    assert launched[1]["sync"] is True


def test_a_missing_folder_is_an_error(tmp_path: Path, capsys, launched: list) -> None:
    assert cli.main([str(tmp_path / "nope")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_demo_opens_the_bundled_samples(launched: list) -> None:
    samples = sample_articles_dir()
    assert samples is not None and any(samples.glob("*.txt"))
    assert cli.main(["--demo"]) == 0
    assert launched[0]["archive"] == samples
    assert launched[0]["frame_rate"] == "120"


def test_explicit_index_dir_without_archive(tmp_path: Path, launched: list) -> None:
    assert cli.main(["browse", "--index-dir", str(tmp_path / "ix")]) == 0
    assert launched[0]["index_dir"] == tmp_path / "ix"
    assert launched[0]["archive"] is None


def test_the_frame_rate_is_set_before_textual_loads_and_a_user_setting_wins() -> None:
    from termnews.tui import FRAME_RATE, prepare_textual

    environ: dict[str, str] = {}
    prepare_textual(environ)
    assert environ == {"TEXTUAL_FPS": str(FRAME_RATE)}
    mine = {"TEXTUAL_FPS": "30"}
    prepare_textual(mine)
    assert mine == {"TEXTUAL_FPS": "30"}


def test_importing_the_browser_sets_no_environment_variable() -> None:
    code = "import os, termnews.tui, termnews.tui.app; print(os.environ.get('TEXTUAL_FPS'))"
    env = {key: value for key, value in os.environ.items() if key != "TEXTUAL_FPS"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.strip() == "None", result.stderr
