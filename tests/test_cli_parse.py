"""`termnews parse` through the real installed command, as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from termnews.article import FIELD_NAMES

STORY = (
    "March 3rd, 2024\n\n"
    "Harbourview council approves seawall plan\n\n"
    "By Ana Ruiz and Ben Holt, The Canadian Press on January 25, 2024.\n\n"
    "HALIFAX – Councillors in the fictional town of Harbourview voted 7-2 on Thursday to "
    "rebuild the seawall that storms have battered for a decade.\n\n"
    "The work starts in spring.\n\n"
    "This report by The Canadian Press was first published Jan. 25, 2024.\n\n"
    "Share this story:\nNotify of\n"
)


def termnews_command() -> list[str]:
    exe = shutil.which("termnews", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "termnews"]


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "60"}
    return subprocess.run(
        [*termnews_command(), *args], capture_output=True, text=True, env=env, timeout=60, **kwargs
    )


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "seawall.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("termnews ")
    help_text = run("--help").stdout
    for command in ("parse", "index", "search", "show", "browse"):
        assert command in help_text


def test_python_dash_m_works(story: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "termnews", "parse", "--json", str(story)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["headline"] == "Harbourview council approves seawall plan"


def test_json_has_exactly_the_format_fields(story: Path) -> None:
    result = run("parse", "--json", str(story))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert tuple(record) == FIELD_NAMES
    assert record["path"] == str(story)
    assert record["authors"] == ["Ana Ruiz", "Ben Holt"]
    assert record["agency"] == "The Canadian Press"
    assert record["published"] == "2024-01-25"
    assert record["dateline"] == "HALIFAX"
    assert record["site_date"] == "2024-03-03"
    assert record["body"].startswith("Councillors in the fictional town")
    assert record["body"].endswith("The work starts in spring.")
    assert record["notes"] == [
        "This report by The Canadian Press was first published Jan. 25, 2024."
    ]


def test_readable_output_wraps_to_the_terminal(story: Path) -> None:
    result = run("parse", str(story))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Harbourview council approves seawall plan"
    assert lines[1] == "By Ana Ruiz and Ben Holt · The Canadian Press"
    assert lines[2] == "HALIFAX · Thursday, January 25, 2024"
    assert max(len(line) for line in lines[3:]) <= 60


def test_bad_inputs_get_one_line_each_and_the_rest_still_prints(
    story: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    big = tmp_path / "big.txt"
    big.write_bytes(b"Headline\n\n" + b"word " * 300 + b"x" * 28)
    folder = tmp_path / "folder"
    folder.mkdir()
    missing = tmp_path / "missing.txt"
    result = run(
        "parse", "--json", "--max-bytes", "1000",
        str(empty), str(binary), str(story), str(folder), str(missing), str(big),
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    assert errors == [
        f"termnews: {empty}: empty file",
        f"termnews: {binary}: not a text article (binary data)",
        f"termnews: {folder}: is a directory",
        f"termnews: {missing}: no such file",
        f"termnews: {big}: too large (1.5 KB; the limit is 1000 bytes)",
    ]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["path"] for r in records] == [str(story)]


def test_default_size_limit_is_five_megabytes(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"Headline\n\n" + b"x" * (5 * 1024 * 1024 + 1))
    result = run("parse", str(huge))
    assert result.returncode == 1
    assert "too large (5.0 MB; the limit is 5 MB)" in result.stderr


def test_usage_error_exits_2() -> None:
    result = run("parse")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
