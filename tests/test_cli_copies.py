"""`termnews search` with copies: folded by default (`+N`, both counts), `--all-copies`,
and the copies' cluster in `--json`; run as real commands on an archive with reprints."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import private_env
from reprints_support import write_reprints

TUI_STORIES = Path(__file__).parent / "tui" / "data"
TERMNEWS = [sys.executable, "-m", "termnews"]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """(index dir, environment) of the browser tests' stories plus two seawall reprints."""
    root = tmp_path_factory.mktemp("cli-copies")
    archive = root / "archive"
    archive.mkdir()
    for story in sorted(TUI_STORIES.glob("*.txt")):
        shutil.copyfile(story, archive / story.name)
    write_reprints(archive)
    env = private_env(root / "home")
    index_dir = str(root / "index")
    built = termnews("index", str(archive), "--index-dir", index_dir, env=env)
    assert built.returncode == 0, built.stderr
    return index_dir, env


def termnews(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TERMNEWS, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def search(indexed: tuple[str, dict[str, str]], *args: str) -> subprocess.CompletedProcess[str]:
    index_dir, env = indexed
    found = termnews("search", *args, "--index-dir", index_dir, env=env)
    assert found.returncode == 0, found.stderr
    return found


def test_json_rows_are_folded_unless_all_copies_and_name_their_cluster(
    indexed: tuple[str, dict[str, str]],
) -> None:
    records = [
        json.loads(line) for line in search(indexed, "seawall", "--json").stdout.splitlines()
    ]
    seawall = [r for r in records if "Quillmouth" in r["headline"]]
    assert len(seawall) == 1
    assert seawall[0]["copies"] == 2 and seawall[0]["folded"] == 2
    assert seawall[0]["cluster"]
    others = [r for r in records if r not in seawall]
    assert all(r["copies"] == 0 and r["folded"] == 0 for r in others)
    assert len({r["cluster"] for r in records}) == len(records)

    every = [
        json.loads(line)
        for line in search(indexed, "seawall", "--json", "--all-copies").stdout.splitlines()
    ]
    seawall = [r for r in every if "Quillmouth" in r["headline"]]
    assert len(seawall) == 3
    assert {r["cluster"] for r in seawall} == {records[0]["cluster"]}
    assert all(r["copies"] == 2 and r["folded"] == 0 for r in seawall)
    assert len(every) == len(records) + 2


def test_the_text_table_marks_folded_rows_and_says_both_counts(
    indexed: tuple[str, dict[str, str]],
) -> None:
    text = search(indexed, "seawall").stdout
    assert "+2" in text
    assert "2 of 4 stories · 2 after folding copies" in text
    every = search(indexed, "seawall", "--all-copies").stdout
    assert "+2" not in every
    assert "4 of 4 stories ·" in every and "after folding" not in every


def test_stats_json_says_how_many_rows_are_left_after_folding(
    indexed: tuple[str, dict[str, str]],
) -> None:
    record = json.loads(search(indexed, "seawall", "--stats", "--json").stdout)
    assert record["total"] == 4 and record["folded_total"] == 2
