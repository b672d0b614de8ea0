"""The reading-state commands (`mark`, `tag`, `count`, `searches`, `state`) run as the real
`termnews` executable, each test with its own data dir, config file and caches.

The stories are invented: six short wire stories from made-up towns, three about a harbour.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_support import private_env

TERMNEWS = Path(sys.executable).with_name("termnews")

STORIES = {
    "harbour-strike.txt": (
        "Dock workers strike at Velmora harbour",
        "By Anneke Solberg, The Coastal Wire on November 20, 2026.",
        "VELMORA – Dock workers walked out on Friday, leaving two cargo ships waiting "
        "outside the harbour wall.",
    ),
    "harbour-ferry.txt": (
        "Harbour ferry returns after repairs",
        "By Tobiah Marsh, Orvelle Courier on November 21, 2026.",
        "ORVELLE – The green ferry is back on its harbour route after a month on the slipway.",
    ),
    "harbour-crane.txt": (
        "New crane arrives at Kestrel Bay harbour",
        "By Marit Oyelaran, The Coastal Wire on November 22, 2026.",
        "KESTREL BAY – A crane taller than the church spire was floated into the harbour.",
    ),
    "grain.txt": (
        "Velmora grain silo opens to farmers",
        "By Anneke Solberg, The Coastal Wire on November 18, 2026.",
        "VELMORA – Farmers queued with their trailers as the cooperative opened its new silo.",
    ),
    "library.txt": (
        "Orvelle library extends its evening hours",
        "By Tobiah Marsh, Orvelle Courier on November 10, 2026.",
        "ORVELLE – The reading room will stay open until nine on weekdays from December.",
    ),
    "festival.txt": (
        "Lantern festival draws crowds to Kestrel Bay",
        "By Marit Oyelaran, The Coastal Wire on November 12, 2026.",
        "KESTREL BAY – Paper lanterns lined the promenade for the third night running.",
    ),
}


def write_story(folder: Path, name: str, headline: str, byline: str, body: str) -> None:
    (folder / name).write_text(f"{headline}\n\n{byline}\n\n{body}\n", encoding="utf-8")


def run_termnews(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TERMNEWS), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        input=stdin,
        timeout=60,
        check=False,
    )


def base_env(home: Path) -> dict[str, str]:
    return private_env(home)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the six stories, shared by the tests that never change the archive."""
    home = tmp_path_factory.mktemp("index-home")
    archive = home / "archive"
    archive.mkdir()
    for name, parts in STORIES.items():
        write_story(archive, name, *parts)
    target = home / "ix"
    built = run_termnews("index", str(archive), "--index-dir", str(target), env=base_env(home))
    assert built.returncode == 0, built.stderr
    return target


@pytest.fixture
def env(tmp_path: Path, index_dir: Path) -> dict[str, str]:
    environment = base_env(tmp_path)
    environment["TERMNEWS_INDEX_DIR"] = str(index_dir)
    return environment


def data_dir(env: dict[str, str]) -> Path:
    return Path(env["TERMNEWS_DATA_DIR"])


def ok(*args: str, env: dict[str, str], stdin: str | None = None) -> str:
    """stdout of a command that must succeed."""
    result = run_termnews(*args, env=env, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def counts(*queries: str, env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """query -> (total, unread), through `count --json`."""
    lines = ok("count", "--json", *queries, env=env).splitlines()
    return {r["query"]: (r["total"], r["unread"]) for r in map(json.loads, lines)}


# -- mark --------------------------------------------------------------------------------------


def test_mark_read_changes_the_unread_count_and_says_how_many_changed(
    env: dict[str, str],
) -> None:
    assert counts("harbour", "velmora", "", env=env) == {
        "harbour": (3, 3),
        "velmora": (2, 2),
        "": (6, 6),
    }

    first = ok("mark", "read", "velmora", env=env)
    assert first.strip() == "2 stories match: 2 marked read"
    again = ok("mark", "read", "harbour", env=env)
    assert again.strip() == "3 stories match: 2 marked read, 1 already was"

    assert counts("harbour", "velmora", "", "is:read", env=env) == {
        "harbour": (3, 0),
        "velmora": (2, 0),
        "": (6, 2),
        "is:read": (4, 0),
    }
    back = ok("mark", "unread", "dock", "workers", env=env)  # words joined: one query
    assert back.strip() == "1 story matches: 1 marked unread"
    assert counts("harbour", "is:unread", env=env) == {"harbour": (3, 1), "is:unread": (3, 3)}


def test_mark_json_is_one_object_with_the_action_the_query_and_the_numbers(
    env: dict[str, str],
) -> None:
    ok("mark", "star", "crane", env=env)
    out = ok("mark", "star", "--json", "harbour", env=env)  # options go anywhere

    assert [json.loads(line) for line in out.splitlines()] == [
        {"action": "star", "query": "harbour", "matched": 3, "changed": 2}
    ]


def test_star_then_is_starred_finds_exactly_those_and_unstar_clears_them(
    env: dict[str, str],
) -> None:
    ok("mark", "star", "kestrel", env=env)

    found = ok("search", "--json", "is:starred", env=env)
    headlines = sorted(json.loads(line)["headline"] for line in found.splitlines())
    assert headlines == [
        "Lantern festival draws crowds to Kestrel Bay",
        "New crane arrives at Kestrel Bay harbour",
    ]
    assert counts("is:starred", "harbour is:starred", env=env) == {
        "is:starred": (2, 2),
        "harbour is:starred": (1, 1),
    }

    out = ok("mark", "unstar", "orvelle OR kestrel", env=env)
    assert out.strip() == "4 stories match: 2 unstarred, 2 were not starred"
    assert counts("is:starred", env=env) == {"is:starred": (0, 0)}


def test_mark_without_a_query_changes_nothing_unless_asked_with_all(env: dict[str, str]) -> None:
    bare = run_termnews("mark", "read", env=env)
    assert bare.returncode == 2
    assert "give a QUERY" in bare.stderr and "--all" in bare.stderr
    both = run_termnews("mark", "read", "harbour", "--all", env=env)
    assert both.returncode == 2 and "not both" in both.stderr
    assert not (data_dir(env) / "state.db").exists()

    out = ok("mark", "read", "--all", "--json", env=env)
    assert json.loads(out) == {"action": "read", "query": "", "matched": 6, "changed": 6}
    assert counts("", env=env) == {"": (6, 0)}


def test_a_query_not_searched_as_written_changes_nothing(env: dict[str, str]) -> None:
    ok("mark", "read", "grain", env=env)
    ok("tag", "add", "farm", "grain", env=env)

    for command in (
        ["mark", "unread", "is:wobbly"],  # ignored, it would leave every story
        ["mark", "read", "harbour", "by:"],
        ["mark", "star", '"harbour'],
        ["tag", "rm", "farm", "(grain"],
    ):
        result = run_termnews(*command, env=env)
        assert result.returncode == 2, command
        assert "nothing was changed" in result.stderr and "Traceback" not in result.stderr
    assert counts("is:read", "is:starred", "tag:farm", env=env) == {
        "is:read": (1, 0),
        "is:starred": (0, 0),
        "tag:farm": (1, 0),
    }


def test_a_query_of_dropped_words_alone_changes_nothing(env: dict[str, str]) -> None:
    result = run_termnews("mark", "read", "the", env=env)

    assert result.returncode == 2 and "matches every story" in result.stderr
    assert counts("is:read", env=env) == {"is:read": (0, 0)}


def test_a_query_matching_nothing_changes_nothing_and_suggests_a_respelling(
    env: dict[str, str],
) -> None:
    result = run_termnews("mark", "read", "harbor", env=env)

    assert result.returncode == 0
    assert result.stdout.strip() == "0 stories match: nothing changed"
    assert "No stories match. Did you mean: harbour?" in result.stderr


def test_mark_with_index_dir_and_without_any_index(tmp_path: Path, index_dir: Path) -> None:
    environment = base_env(tmp_path)
    missing = run_termnews("mark", "read", "harbour", env=environment)
    assert missing.returncode == 2
    assert "no index yet; run `termnews index ARCHIVE` first" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert not (data_dir(environment) / "state.db").exists()  # failed before opening it

    out = ok("mark", "read", "harbour", "--index-dir", str(index_dir), env=environment)
    assert out.startswith("3 stories match")


# -- tag ---------------------------------------------------------------------------------------


def test_tag_add_and_rm_with_tag_name_counts(env: dict[str, str]) -> None:
    assert ok("tag", "add", "Ports", "harbour", env=env).strip() == (
        "3 stories match: 3 tagged ports"
    )
    assert ok("tag", "add", "ports", "velmora", env=env).strip() == (
        "2 stories match: 1 tagged ports, 1 already was"
    )
    ok("tag", "add", "coast/north", "kestrel", env=env)
    assert counts("tag:ports", "tag:coast/north", "tag:ports -velmora", env=env) == {
        "tag:ports": (4, 4),
        "tag:coast/north": (2, 2),
        "tag:ports -velmora": (2, 2),
    }

    out = ok("tag", "rm", "PORTS", "--json", "grain", "OR", "ferry", env=env)
    assert json.loads(out) == {
        "action": "tag-rm",
        "tag": "ports",
        "query": "grain OR ferry",
        "matched": 2,
        "changed": 2,
    }
    again = ok("tag", "rm", "ports", "grain", env=env)
    assert again.strip() == "1 story matches: 0 untagged ports, 1 was not tagged ports"
    assert counts("tag:ports", env=env) == {"tag:ports": (2, 2)}


@pytest.mark.parametrize("name", ["two words", "tag:x", "", "(x)"])
def test_a_tag_name_tag_colon_could_not_find_is_refused_before_anything_is_written(
    env: dict[str, str], name: str
) -> None:
    result = run_termnews("tag", "add", name, "harbour", env=env)

    assert result.returncode == 2
    assert result.stderr.startswith("termnews: ") and "tag" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (data_dir(env) / "state.db").exists()


# -- count and saved searches ------------------------------------------------------------------

CONFIG = """\
# Invented saved searches.
[[searches]]
name = "Harbours"
query = "harbour"

[[searches]]
name = "Velmora unread"
query = "velmora is:unread"
"""


def test_count_with_no_query_counts_every_saved_search(env: dict[str, str]) -> None:
    Path(env["TERMNEWS_CONFIG"]).write_text(CONFIG, encoding="utf-8")
    ok("mark", "read", "grain", env=env)

    records = [json.loads(line) for line in ok("count", "--json", env=env).splitlines()]
    assert records == [
        {"name": "Harbours", "query": "harbour", "total": 3, "unread": 3},
        {"name": "Velmora unread", "query": "velmora is:unread", "total": 1, "unread": 1},
    ]
    text = ok("count", env=env).splitlines()
    assert text[0].split() == ["total", "unread", "search"]
    assert text[1].split() == ["3", "3", "Harbours:", "harbour"]


def test_count_text_lines_up_each_query_with_its_numbers(env: dict[str, str]) -> None:
    ok("mark", "read", "orvelle", env=env)

    result = run_termnews("count", "orvelle", "library hours", "", "is:wobbly", env=env)
    lines = result.stdout.splitlines()

    assert [line.split() for line in lines] == [
        ["total", "unread", "query"],
        ["2", "0", "orvelle"],
        ["1", "0", "library", "hours"],
        ["6", "4", "(every", "story)"],
        ["6", "4", "is:wobbly"],
    ]
    # Once, naming the query it is about (its unread count re-reads the same words).
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("termnews: note: is:wobbly: ")


def test_count_and_searches_without_saved_searches_say_how_to_add_one(
    env: dict[str, str],
) -> None:
    for command in ("count", "searches"):
        result = run_termnews(command, env=env)
        assert result.returncode == 0
        assert result.stdout == ""
        assert "termnews searches add NAME QUERY" in result.stderr


def test_searches_add_list_and_rm(env: dict[str, str]) -> None:
    ok("searches", "add", "Quay news", "harbour", "OR", "dock", env=env)
    ok("searches", "add", "Farm", "grain", env=env)
    ok("mark", "read", "crane", env=env)

    listed = [json.loads(line) for line in ok("searches", "--json", env=env).splitlines()]
    assert listed == [
        {"name": "Quay news", "query": "harbour OR dock", "total": 3, "unread": 2},
        {"name": "Farm", "query": "grain", "total": 1, "unread": 1},
    ]
    assert "Quay news: harbour OR dock" in ok("searches", env=env)

    assert ok("searches", "rm", "Farm", env=env).strip() == "removed 'Farm'"
    again = ok("searches", "add", "--json", "Farm", "grain", "is:unread", env=env)
    assert json.loads(again) == {"action": "add", "name": "Farm", "query": "grain is:unread"}
    assert json.loads(ok("searches", "--json", "rm", "Farm", env=env)) == {
        "action": "rm",
        "name": "Farm",
        "removed": True,
    }
    gone = run_termnews("searches", "rm", "Farm", env=env)
    assert gone.returncode == 1 and "no saved search is called 'Farm'" in gone.stderr
    assert [r["name"] for r in map(json.loads, ok("searches", "--json", env=env).splitlines())] == [
        "Quay news"
    ]


def test_searches_without_an_index_are_listed_without_counts(tmp_path: Path) -> None:
    environment = base_env(tmp_path)
    Path(environment["TERMNEWS_CONFIG"]).write_text(CONFIG, encoding="utf-8")

    result = run_termnews("searches", "--json", env=environment)

    assert result.returncode == 0
    assert json.loads(result.stdout.splitlines()[0]) == {
        "name": "Harbours",
        "query": "harbour",
        "total": None,
        "unread": None,
    }
    assert "no index yet" in result.stderr and "without counts" in result.stderr


def test_a_broken_config_file_is_reported_once_and_commands_still_run(
    env: dict[str, str],
) -> None:
    Path(env["TERMNEWS_CONFIG"]).write_text(CONFIG + "[[searches]\n", encoding="utf-8")

    counted = run_termnews("count", "harbour", env=env)
    assert counted.returncode == 0 and counted.stdout.split()[3:5] == ["3", "3"]

    listed = run_termnews("searches", env=env)
    assert listed.returncode == 0
    assert listed.stderr.count("config.toml, line 9") == 1
    assert "none of its settings are used" in listed.stderr

    marked = run_termnews("mark", "read", "harbour", env=env)
    assert marked.returncode == 0 and marked.stderr == ""

    refused = run_termnews("searches", "add", "New", "grain", env=env)
    assert refused.returncode == 2 and "the file is unchanged" in refused.stderr
    assert Path(env["TERMNEWS_CONFIG"]).read_text(encoding="utf-8").endswith("[[searches]\n")


# -- export and import -------------------------------------------------------------------------


def every_count(env: dict[str, str], tags: list[str]) -> dict[str, tuple[int, int]]:
    """The counts the acceptance check compares: is:unread, is:starred and every tag."""
    return counts("is:unread", "is:read", "is:starred", *(f"tag:{t}" for t in tags), env=env)


def test_export_then_import_into_a_new_data_dir_gives_identical_counts(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok("mark", "read", "velmora OR library", env=env)
    ok("mark", "star", "crane OR grain", env=env)
    ok("tag", "add", "ports", "harbour", env=env)
    ok("tag", "add", "coast/north", "kestrel", env=env)
    ok("tag", "add", "quiet", "library", env=env)
    exported = ok("state", "export", env=env)
    assert len(exported.splitlines()) == 6  # every story has some mark
    # Headlines are there for the person reading the file.
    assert {json.loads(line)["headline"] for line in exported.splitlines()} == {
        headline for headline, _byline, _body in STORIES.values()
    }
    tags = sorted({tag for line in exported.splitlines() for tag in json.loads(line)["tags"]})
    assert tags == ["coast/north", "ports", "quiet"]
    before = every_count(env, tags)
    export_file = tmp_path / "marks.jsonl"
    export_file.write_text(exported, encoding="utf-8")

    fresh = dict(env, TERMNEWS_DATA_DIR=str(tmp_path / "elsewhere"))
    assert counts("is:unread", env=fresh) == {"is:unread": (6, 6)}
    report = json.loads(ok("state", "import", str(export_file), "--json", env=fresh))

    assert report == {
        "action": "import",
        "source": str(export_file),
        "stories": 6,
        "read": 3,
        "starred": 2,
        "tags": 6,
        "changed": 11,
    }
    assert every_count(fresh, tags) == before
    assert ok("state", "export", env=fresh) == exported


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok("mark", "read", "harbour", env=env)
    ok("tag", "add", "ports", "harbour", env=env)
    export_file = tmp_path / "marks.jsonl"
    ok("state", "export", "-o", str(export_file), env=env)
    fresh = dict(env, TERMNEWS_DATA_DIR=str(tmp_path / "elsewhere"))

    first = ok("state", "import", str(export_file), env=fresh)
    second = ok("state", "import", str(export_file), env=fresh)
    from_stdin = ok("state", "import", "-", env=fresh, stdin=export_file.read_text("utf-8"))

    assert first.strip() == (
        f"3 stories in {export_file}: 3 newly read, 0 newly starred, 3 tags added"
    )
    assert second.strip() == f"3 stories in {export_file}: nothing changed, every mark was here"
    assert from_stdin.strip() == "3 stories in standard input: nothing changed, every mark was here"
    empty = ok("state", "import", "-", env=fresh, stdin="\n")
    assert empty.strip() == "standard input holds no marks: nothing changed"


def test_import_merges_and_never_loses_a_mark(env: dict[str, str], tmp_path: Path) -> None:
    ok("mark", "read", "grain", env=env)
    ok("tag", "add", "ports", "ferry", env=env)
    theirs = tmp_path / "theirs.jsonl"
    theirs.write_text(ok("state", "export", env=env), encoding="utf-8")
    mine = dict(env, TERMNEWS_DATA_DIR=str(tmp_path / "mine"))
    ok("mark", "star", "grain", env=mine)
    ok("tag", "add", "quiet", "ferry", env=mine)

    ok("state", "import", str(theirs), env=mine)

    assert counts("is:read", "is:starred", "tag:ports", "tag:quiet", env=mine) == {
        "is:read": (1, 0),
        "is:starred": (1, 0),
        "tag:ports": (1, 1),
        "tag:quiet": (1, 1),
    }


IDENTITY = "0123456789abcdef0123456789abcdef"


#: A bad line, and what the message says about it. Each follows a good line in its file, so a
#: partial import would show in the next export.
BAD_LINES = [
    ("not json", "line 2:"),
    ('{"identity": "short"}', "line 2: 'identity' must be 32 lowercase hex digits"),
    (f'{{"identity": "{IDENTITY}", "read": "yes"}}', "line 2: 'read' must be true or false"),
    ("[1, 2]", "line 2: expected a JSON object"),
    (f'{{"identity": "{IDENTITY}", "tags": ["two words"]}}', "line 2: 'two words'"),
]


def test_a_bad_import_file_names_the_line_and_imports_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok("mark", "read", "harbour", env=env)
    before = ok("state", "export", env=env)
    good = json.dumps({"identity": IDENTITY, "starred": True, "tags": ["quiet"]})

    for number, (line, message) in enumerate(BAD_LINES):
        bad = tmp_path / f"bad-{number}.jsonl"
        bad.write_text(f"{good}\n{line}\n", encoding="utf-8")
        result = run_termnews("state", "import", str(bad), env=env)
        assert result.returncode == 2, line
        assert result.stderr.startswith(f"termnews: {bad}, ") and message in result.stderr
        assert "Traceback" not in result.stderr
    assert ok("state", "export", env=env) == before


def test_import_of_a_missing_or_non_utf8_file_is_a_clear_error(
    env: dict[str, str], tmp_path: Path
) -> None:
    missing = run_termnews("state", "import", str(tmp_path / "nope.jsonl"), env=env)
    assert missing.returncode == 2
    assert "nope.jsonl: cannot be read (no such file or directory)" in missing.stderr

    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"identity": "%s"}\n{"headline": "caf\xe9"}\n' % IDENTITY.encode())
    result = run_termnews("state", "import", str(latin), env=env)
    assert result.returncode == 2 and "latin.jsonl, line 2: is not UTF-8 text" in result.stderr
    assert not (data_dir(env) / "state.db").exists()


def test_export_to_a_place_that_cannot_be_written_is_a_clear_error(
    env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")

    result = run_termnews("state", "export", "-o", str(tmp_path / "a-file" / "m.jsonl"), env=env)

    assert result.returncode == 2
    assert "m.jsonl: cannot be written" in result.stderr and "Traceback" not in result.stderr


def test_a_headline_with_a_line_separator_survives_export_and_import(
    env: dict[str, str], tmp_path: Path
) -> None:
    line = {
        "identity": IDENTITY,
        "read": True,
        "read_at": "2026-11-30T08:12:00+00:00",
        "starred": False,
        "starred_at": None,
        "tags": ["quiet"],
        "headline": "Tide tables\u2028revised for Orvelle",
    }
    source = tmp_path / "odd.jsonl"
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")

    ok("state", "import", str(source), env=env)

    assert [json.loads(x) for x in ok("state", "export", env=env).split("\n") if x] == [line]


# -- prune ---------------------------------------------------------------------------------------


def test_prune_forgets_only_stories_gone_from_the_index_and_only_when_asked(
    tmp_path: Path,
) -> None:
    environment = base_env(tmp_path)
    archive = tmp_path / "archive"
    archive.mkdir()
    for name, parts in STORIES.items():
        write_story(archive, name, *parts)
    ok("index", str(archive), env=environment)  # remembered: later commands find it
    ok("mark", "read", "harbour", env=environment)
    ok("tag", "add", "farm", "grain", env=environment)
    (archive / "harbour-crane.txt").unlink()
    (archive / "grain.txt").unlink()
    ok("index", str(archive), env=environment)

    dry = ok("state", "prune", "--dry-run", env=environment)
    assert dry.strip() == (
        "would forget the marks of 2 stories not in the index; 2 stories with marks would stay"
    )
    assert len(ok("state", "export", env=environment).splitlines()) == 4

    pruned = json.loads(ok("state", "prune", "--json", env=environment))
    assert pruned == {"action": "prune", "dry_run": False, "removed": 2, "kept": 2}
    assert len(ok("state", "export", env=environment).splitlines()) == 2
    assert counts("is:read", "tag:farm", env=environment) == {
        "is:read": (2, 0),
        "tag:farm": (0, 0),
    }
    again = ok("state", "prune", env=environment)
    assert again.startswith("forgot the marks of 0 stories not in the index")


def test_deleting_every_index_and_moving_the_archive_keeps_every_mark(tmp_path: Path) -> None:
    environment = base_env(tmp_path)
    archive = tmp_path / "archive"
    archive.mkdir()
    for name, parts in STORIES.items():
        write_story(archive, name, *parts)
    ok("index", str(archive), env=environment)
    ok("mark", "read", "harbour", env=environment)
    ok("mark", "star", "velmora", env=environment)
    ok("tag", "add", "coast", "kestrel OR orvelle", env=environment)
    before = counts("is:read", "is:starred", "tag:coast", env=environment)

    shutil.rmtree(tmp_path / "cache")  # every index gone
    moved = tmp_path / "moved" / "news"
    shutil.move(archive, moved)
    ok("index", str(moved), env=environment)

    assert counts("is:read", "is:starred", "tag:coast", env=environment) == before
    assert before["is:read"][0] > 0 and before["is:starred"][0] > 0 and before["tag:coast"][0] > 0


def test_prune_keeps_the_marks_of_stories_another_archive_holds(tmp_path: Path) -> None:
    environment = base_env(tmp_path)
    names = list(STORIES)
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, chosen in ((first, names[:3]), (second, names[3:])):
        folder.mkdir()
        for name in chosen:
            write_story(folder, name, *STORIES[name])
    ok("index", str(second), env=environment)
    ok("mark", "read", "--all", env=environment)  # the second archive's stories
    ok("index", str(first), env=environment)  # the last indexed: what prune judges by

    kept = json.loads(ok("state", "prune", "--json", env=environment))
    assert kept["removed"] == 0 and kept["kept"] == 3

    alone = json.loads(ok("state", "prune", "--this-index-only", "--json", env=environment))
    assert alone["removed"] == 3


def test_prune_stops_when_another_index_cannot_be_read(tmp_path: Path) -> None:
    environment = base_env(tmp_path)
    archive = tmp_path / "archive"
    archive.mkdir()
    for name, parts in STORIES.items():
        write_story(archive, name, *parts)
    ok("index", str(archive), env=environment)
    ok("mark", "read", "harbour", env=environment)
    before = ok("state", "export", env=environment)
    indexes = tmp_path / "cache" / "termnews" / "indexes"
    (built,) = list(indexes.iterdir())
    older = indexes / "old-archive-0123456789ab"  # as if built by another termnews
    shutil.copytree(built, older)
    meta = json.loads((older / "termnews-index.json").read_text(encoding="utf-8"))
    meta["schema_version"] = 1
    (older / "termnews-index.json").write_text(json.dumps(meta), encoding="utf-8")
    (indexes / "an-empty-folder").mkdir()  # holds no index, so no stories: no obstacle

    result = run_termnews("state", "prune", env=environment)

    assert result.returncode == 2 and "--this-index-only" in result.stderr
    assert "Traceback" not in result.stderr
    assert ok("state", "export", env=environment) == before


def test_prune_against_an_empty_index_refuses_to_forget_everything(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok("mark", "read", "harbour", env=env)
    empty = tmp_path / "empty-archive"
    empty.mkdir()
    ok("index", str(empty), "--index-dir", str(tmp_path / "empty-ix"), env=env)

    result = run_termnews("state", "prune", "--index-dir", str(tmp_path / "empty-ix"), env=env)

    assert result.returncode == 2 and "would forget every mark" in result.stderr
    assert len(ok("state", "export", env=env).splitlines()) == 3


# -- a state database termnews must not write to -----------------------------------------------


def newer_database(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {0x746E7773}")
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE future (x)")
    conn.commit()
    conn.close()


def garbage_database(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 600)


@pytest.mark.parametrize("spoil", [newer_database, garbage_database])
def test_reads_fall_back_to_no_marks_and_writes_refuse_leaving_the_file_alone(
    env: dict[str, str], spoil: object, tmp_path: Path
) -> None:
    db = data_dir(env) / "state.db"
    spoil(db)  # type: ignore[operator]
    original = db.read_bytes()
    Path(env["TERMNEWS_CONFIG"]).write_text(CONFIG, encoding="utf-8")

    counted = run_termnews("count", "harbour", env=env)
    assert counted.returncode == 0 and counted.stdout.split()[3:5] == ["3", "3"]
    assert counted.stderr.count("left as it is") == 1
    assert "going on as if nothing were read" in counted.stderr
    listed = run_termnews("searches", "--json", env=env)
    assert listed.returncode == 0 and json.loads(listed.stdout.splitlines()[0])["unread"] == 3
    exported = run_termnews("state", "export", env=env)
    assert exported.returncode == 0 and exported.stdout == ""
    assert "left as it is" in exported.stderr

    marks = tmp_path / "marks.jsonl"
    marks.write_text(json.dumps({"identity": IDENTITY, "read": True}) + "\n", encoding="utf-8")
    for command in (
        ["mark", "read", "harbour"],
        ["tag", "add", "ports", "harbour"],
        ["state", "import", str(marks)],
        ["state", "prune"],
    ):
        refused = run_termnews(*command, env=env)
        assert refused.returncode == 2, command
        assert "left as it is" in refused.stderr and "Traceback" not in refused.stderr
    assert db.read_bytes() == original
    assert sorted(p.name for p in db.parent.iterdir()) == ["state.db"]


def test_state_path_names_the_database_in_the_data_dir(env: dict[str, str]) -> None:
    expected = data_dir(env) / "state.db"

    assert ok("state", "path", env=env).strip() == str(expected)
    assert json.loads(ok("state", "path", "--json", env=env)) == {
        "path": str(expected),
        "exists": False,
    }


# -- the import reader, in process -------------------------------------------------------------


@given(
    headline=st.text(st.characters(blacklist_categories=("Cs",))),
    tags=st.lists(st.from_regex(r"[a-z0-9][a-z0-9\-./+]{0,10}", fullmatch=True), max_size=4),
    read=st.booleans(),
)
def test_any_exported_record_reads_back_as_it_was(
    headline: str, tags: list[str], read: bool
) -> None:
    """Whatever a headline holds (line and paragraph separators too), its line reads back."""
    from termnews.commands.state import _import_lines  # the reader `state import` uses
    from termnews.state.records import dump, load
    from termnews.state.store import StateRecord

    record = StateRecord(IDENTITY, read, False, tuple(sorted(set(tags))), headline)
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as handle:
        handle.write("".join(dump([record, record])).encode("utf-8"))
    try:
        lines = _import_lines(handle.name, handle.name)
    finally:
        os.unlink(handle.name)
    assert load(lines) == [record, record]
