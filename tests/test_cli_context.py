"""`termnews show --related` and `termnews search --stats`, run as real commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import private_env
from test_related import STORIES, story_text

TERMNEWS = [sys.executable, "-m", "termnews"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of the related-stories tests' stories, indexed by the real command."""
    root = tmp_path_factory.mktemp("cli-context")
    archive = root / "archive"
    archive.mkdir()
    for day, (name, (headline, agency, body)) in enumerate(STORIES.items(), start=1):
        (archive / name).write_text(story_text(headline, agency, body, day), encoding="utf-8")
    done = termnews("index", str(archive), "--index-dir", str(root / "index"), home=root)
    assert done.returncode == 0, done.stderr
    return root


def termnews(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TERMNEWS, *args],
        capture_output=True,
        text=True,
        env=private_env(home),
        timeout=60,
        check=False,
    )


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return termnews(*args, "--index-dir", str(home / "index"), home=home)


def test_show_related_json_is_one_hit_a_line_best_first(home: Path) -> None:
    story = home / "archive" / "seawall.txt"  # a file named from here, not in the archive
    done = run(home, "show", "--related", "--json", "--limit", "2", str(story))
    assert done.returncode == 0, done.stderr
    hits = [json.loads(line) for line in done.stdout.splitlines()]
    assert [Path(hit["path"]).name for hit in hits] == ["seawall-work.txt", "wharf-flooding.txt"]
    assert hits[0]["score"] >= hits[1]["score"]


def test_show_related_of_an_unknown_story_says_so(home: Path) -> None:
    done = run(home, "show", "--related", "nowhere.txt")
    assert done.returncode == 1
    assert done.stderr.strip() == "termnews: nowhere.txt: not in the index"
    assert "Traceback" not in done.stderr


def test_search_stats_prints_a_sparkline_its_span_and_facets(home: Path) -> None:
    done = run(home, "search", "--stats", "seawall -crews")  # March 1, 2 and 4
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == [
        "3 stories, 2024-03-01 to 2024-03-04, one bar a day (4)",
        "██ █",  # a day with no story is a gap
        "2024-03-01 … 2024-03-04",
    ]
    assert lines[4:7] == ["Agencies", "  2  Canadian Press", "  1  Harbor Daily"]
    assert "  3  QUILLMOUTH" in lines
    assert "  3  Ada Quist" in lines


def test_search_stats_json(home: Path) -> None:
    done = run(home, "search", "--stats", "--json", "seawall")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["total"] == 4
    assert stats["timeline"]["bucket"] == "day"
    assert sum(bucket["count"] for bucket in stats["timeline"]["buckets"]) == 4
    assert {"value": "Ada Quist", "count": 4} in stats["facets"]["authors"]


def test_stats_text_of_no_match_and_of_a_sparkline() -> None:
    from termnews.commands.stats import sparkline, stats_text
    from termnews.engine.context import Context, Facets, Timeline

    nothing = Context("zeppelin", 0, Timeline("day", (), (), None, None), Facets())
    assert stats_text(nothing).splitlines()[:3] == ["0 stories", "", "Agencies"]
    assert sparkline([0, 1, 4, 8, 2]) == " ▁▄█▂"
    assert sparkline([0, 0]) == "  "
