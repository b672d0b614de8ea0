"""`termnews index`, `search` and `show`, run as real commands in subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

STORIES = Path(__file__).parent / "data" / "search" / "stories"
TERMNEWS = [sys.executable, "-m", "termnews"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Keep every state and cache file inside the test's temp folder, never in $HOME."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TERMNEWS_")}
    environment["TERMNEWS_STATE_DIR"] = str(tmp_path / "state")
    environment["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    environment["COLUMNS"] = "100"
    return environment


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    target = tmp_path / "archive"
    shutil.copytree(STORIES, target)
    (target / "markup.txt").write_text(
        "[bold red]Markup[/] in a headline <b>stays</b> literal\n\n"
        "By Nell Harrow on March 1, 2024.\n\nORVELLE – The [link=x]tram[/link] opened.\n",
        encoding="utf-8",
    )
    return target


def termnews(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TERMNEWS, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_index_prints_one_summary_line_and_lists_skips_with_v(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    index_dir = str(tmp_path / "ix")
    first = termnews("index", str(archive), "--index-dir", index_dir, env=env)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0].startswith("7 new, 0 changed, 0 removed, 1 skipped in ")
    assert first.stderr == ""  # no progress bar outside a terminal

    again = termnews("index", str(archive), "--index-dir", index_dir, "-v", env=env)
    assert again.stdout.splitlines() == [
        again.stdout.splitlines()[0],
        "  skipped broken.txt: not a text article (binary data)",
    ]
    assert again.stdout.startswith("0 new, 0 changed, 0 removed, 1 skipped in ")


def test_index_of_something_that_is_not_a_folder_is_a_usage_error(
    archive: Path, env: dict[str, str]
) -> None:
    result = termnews("index", str(archive / "ferry.txt"), env=env)

    assert result.returncode == 2
    assert "not a folder" in result.stderr and "Traceback" not in result.stderr


def test_index_into_an_unwritable_place_is_a_clear_error(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    (tmp_path / "file").write_text("x")
    result = termnews("index", str(archive), "--index-dir", str(tmp_path / "file" / "ix"), env=env)

    assert result.returncode == 2
    assert "cannot create the index folder" in result.stderr and "Traceback" not in result.stderr


def test_search_uses_the_last_indexed_archive_and_exits_0_with_or_without_hits(
    archive: Path, env: dict[str, str]
) -> None:
    assert termnews("index", str(archive), env=env).returncode == 0

    found = termnews("search", "seawall", env=env)
    assert found.returncode == 0, found.stderr
    assert "Seawall repairs begin in Port Aldwin" in found.stdout
    assert "1 of 1 story" in found.stdout

    nothing = termnews("search", "sewall", env=env)
    assert nothing.returncode == 0
    assert "No stories match. Did you mean: seawall? (1 story)" in nothing.stderr


def test_search_json_prints_one_object_per_line(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    index_dir = str(tmp_path / "ix")
    termnews("index", str(archive), "--index-dir", index_dir, env=env)

    result = termnews(
        "search", "rebuilding", "--json", "--sort", "newest", "--index-dir", index_dir, env=env
    )

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["path"]).name for r in records] == ["seawall.txt", "ferry.txt"]
    assert set(records[0]) >= {
        "path", "headline", "authors", "agency", "dateline", "published", "score", "snippet",
    }  # fmt: skip
    assert records[1]["authors"] == ["Tomas Rell", "Ines Varga"]
    assert "rebuilding" in records[1]["snippet"]


def test_search_shows_markup_in_stories_literally(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    index_dir = str(tmp_path / "ix")
    termnews("index", str(archive), "--index-dir", index_dir, env=env)

    result = termnews("search", "tram", "--index-dir", index_dir, env=env)

    assert "[bold red]Markup[/] in a headline <b>stays</b> literal" in result.stdout
    assert "[link=x]tram[/link]" in result.stdout


def test_a_malformed_query_gets_a_note_not_a_traceback(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    index_dir = str(tmp_path / "ix")
    termnews("index", str(archive), "--index-dir", index_dir, env=env)

    result = termnews("search", '"seawall', "--index-dir", index_dir, env=env)

    assert result.returncode == 0
    assert "searched for the words instead" in result.stderr
    assert "Seawall repairs" in result.stdout


def test_search_without_an_index_says_what_to_run(tmp_path: Path, env: dict[str, str]) -> None:
    no_history = termnews("search", "seawall", env=env)
    missing = termnews("search", "seawall", "--index-dir", str(tmp_path / "none"), env=env)

    for result in (no_history, missing):
        assert result.returncode == 2
        assert "run `termnews index ARCHIVE`" in result.stderr
        assert "Traceback" not in result.stderr


def test_search_on_an_index_of_another_version_says_to_rebuild(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    index_dir = tmp_path / "ix"
    assert termnews("index", str(archive), "--index-dir", str(index_dir), env=env).returncode == 0
    meta_path = index_dir / "termnews-index.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "schema_version": 1}))

    result = termnews("search", "ferry", "--index-dir", str(index_dir), env=env)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"run `termnews index {archive}` to rebuild it" in result.stderr


@pytest.mark.parametrize("args", [["--limit", "0"], ["--sort", "sideways"]])
def test_search_usage_errors_exit_2(args: list[str], env: dict[str, str]) -> None:
    assert termnews("search", "x", *args, env=env).returncode == 2


def test_show_prints_a_story_and_its_json(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    text = termnews("show", str(archive / "ferry.txt"), env=env)
    assert text.returncode == 0
    assert text.stdout.splitlines()[:3] == [
        "Ferry operator adds winter sailings",
        "By Tomas Rell and Ines Varga · The Coastal Wire",
        "BRANDON FALLS, Vt. · Tuesday, November 14, 2023",
    ]

    index_dir = str(tmp_path / "ix")
    termnews("index", str(archive), "--index-dir", index_dir, env=env)
    record = json.loads(
        termnews("show", "council.txt", "--index-dir", index_dir, "--json", env=env).stdout
    )
    assert record["authors"] == ["Lena Okafor"] and record["dateline"] == "KESTREL BAY"


def test_show_of_an_unknown_story_fails_cleanly(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    index_dir = str(tmp_path / "ix")
    termnews("index", str(archive), "--index-dir", index_dir, env=env)

    result = termnews("show", "nope.txt", "--index-dir", index_dir, env=env)

    assert result.returncode == 1
    assert "not in the index" in result.stderr and "Traceback" not in result.stderr


def test_show_without_an_index_is_an_index_error(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    """Exit 2 comes from the error's type (an index that cannot be used), not its name."""
    result = termnews("show", "council.txt", "--index-dir", str(tmp_path / "none"), env=env)

    assert result.returncode == 2
    assert "termnews index" in result.stderr and "Traceback" not in result.stderr


def test_the_core_and_these_commands_never_import_textual() -> None:
    code = (
        "import sys, termnews.engine.store, termnews.engine.searcher, "
        "termnews.engine.sync.writer, termnews.commands.index, "
        "termnews.commands.search, termnews.commands.show; print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("damage", [b"", b"\x00garbage" * 30])
def test_a_damaged_index_says_so_and_the_next_index_run_rebuilds_it(
    archive: Path, tmp_path: Path, env: dict[str, str], damage: bytes
) -> None:
    index_dir = tmp_path / "ix"
    assert termnews("index", str(archive), "--index-dir", str(index_dir), env=env).returncode == 0
    for toc in index_dir.glob("*.toc"):
        toc.write_bytes(damage)

    broken = termnews("search", "ferry", "--index-dir", str(index_dir), env=env)
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert "cannot be opened" in broken.stderr
    assert f"run `termnews index {archive}` to rebuild it" in broken.stderr

    again = termnews("index", str(archive), "--index-dir", str(index_dir), env=env)
    assert again.returncode == 0, again.stderr
    assert "(rebuilt)" in again.stdout
    assert termnews("search", "ferry", "--index-dir", str(index_dir), env=env).returncode == 0


def test_searching_never_loads_the_copy_finder(
    archive: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    """Searching reads the copies' clusters; only indexing sketches bodies. The MinHash
    library brings scipy with it (half a second), which no search may pay for."""
    index_dir = tmp_path / "ix"
    assert termnews("index", str(archive), "--index-dir", str(index_dir), env=env).returncode == 0
    code = (
        "import sys; from termnews.engine.searcher import Searcher\n"
        "from termnews.engine import vector\n"
        f"s = Searcher({str(index_dir)!r})\n"
        "s.search('ferry OR seawall'); s.search('in:kestrel'); s.search_as_you_type('sea')\n"
        "print('datasketch' in sys.modules, 'scipy' in sys.modules)\n"
        "print(s.search('\"winter sailings\"').total, vector.loaded() is not None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.splitlines()
    assert before == "False False"
    assert int(after.split()[0]) >= 1 and after.split()[1] == "True"
