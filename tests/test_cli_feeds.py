"""`termnews feeds` run as the real executable, each test with its own config file, data dir
and caches: add, list, rm, import and export, and what a broken config does to each.

Feed URLs are invented and all on 127.0.0.1; nothing is fetched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import private_env
from termnews.feeds.ledger import FeedLedger
from termnews.feeds.opml import read_opml

TERMNEWS = Path(sys.executable).with_name("termnews")


def run_termnews(
    *args: str, env: dict[str, str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(TERMNEWS), *args], capture_output=True, env=env, input=stdin, timeout=60, check=False
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8"),
        result.stderr.decode("utf-8"),
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return private_env(tmp_path)


def config_file(env: dict[str, str]) -> Path:
    return Path(env["TERMNEWS_CONFIG"])


def ok(*args: str, env: dict[str, str], stdin: bytes | None = None) -> str:
    result = run_termnews(*args, env=env, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def listed(env: dict[str, str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in ok("feeds", "list", "--json", env=env).splitlines()]


# --- add, list, rm -------------------------------------------------------------------------


def test_add_list_and_remove(env: dict[str, str]) -> None:
    out = ok("feeds", "add", "http://127.0.0.1:8301/velmora.xml", "--name", "Velmora Post",
             "--tag", "Grain", "--tag", "coast", env=env)  # fmt: skip
    assert "subscribed to Velmora Post  [grain, coast]" in out
    ok("feeds", "add", "http://127.0.0.1:8301/orvelle.xml", "--fulltext", "never", env=env)
    assert listed(env) == [
        {
            "url": "http://127.0.0.1:8301/velmora.xml",
            "name": "Velmora Post",
            "tags": ["grain", "coast"],
            "fulltext": "auto",
            "last_fetch": None,
            "last_status": None,
            "new": None,
            "failures": None,
            "last_error": None,
            "folders": None,
        },
        {
            "url": "http://127.0.0.1:8301/orvelle.xml",
            "name": None,
            "tags": [],
            "fulltext": "never",
            "last_fetch": None,
            "last_status": None,
            "new": None,
            "failures": None,
            "last_error": None,
            "folders": None,
        },
    ]
    text = ok("feeds", env=env)  # listing is the default action
    assert text.splitlines() == [
        "Velmora Post  http://127.0.0.1:8301/velmora.xml  [grain, coast]",
        "http://127.0.0.1:8301/orvelle.xml  fulltext=never",
    ]
    assert ok("feeds", "rm", "Velmora Post", env=env) == (
        "unsubscribed from http://127.0.0.1:8301/velmora.xml\n"
    )
    assert ok("feeds", "rm", "http://127.0.0.1:8301/orvelle.xml", "--json", env=env) == (
        '{"action": "rm", "feed": "http://127.0.0.1:8301/orvelle.xml", '
        '"removed": ["http://127.0.0.1:8301/orvelle.xml"]}\n'
    )
    assert listed(env) == []
    empty = run_termnews("feeds", env=env)
    assert empty.returncode == 0 and "No feeds yet" in empty.stderr


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://127.0.0.1/feed.xml", "'ftp:'; give an http:// or https:// address"),
        ("file:///etc/hostname", "'file:'"),
        ("127.0.0.1/feed.xml", "no scheme"),
        ("http:///feed.xml", "names no host"),
    ],
)
def test_add_refuses_what_is_not_a_web_address(env: dict[str, str], url: str, reason: str) -> None:
    result = run_termnews("feeds", "add", url, env=env)
    assert result.returncode == 2
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert not config_file(env).exists()


def test_add_refuses_a_bad_tag_and_a_duplicate(env: dict[str, str]) -> None:
    bad = run_termnews("feeds", "add", "http://127.0.0.1/a.xml", "--tag", "two words", env=env)
    assert bad.returncode == 2 and "'two words' cannot be a tag" in bad.stderr
    ok("feeds", "add", "http://127.0.0.1/a.xml", "--name", "A", env=env)
    before = config_file(env).read_text(encoding="utf-8")
    again = run_termnews("feeds", "add", "HTTP://127.0.0.1:80/a.xml", env=env)
    assert again.returncode == 1 and "already subscribed" in again.stderr
    assert config_file(env).read_text(encoding="utf-8") == before


def test_rm_of_an_unknown_feed_says_so(env: dict[str, str]) -> None:
    result = run_termnews("feeds", "rm", "Nobody", env=env)
    assert result.returncode == 1
    assert "no feed has the URL or name 'Nobody'" in result.stderr


# --- a broken config -----------------------------------------------------------------------

BROKEN = '# mine\n[[feeds]]\nurl = "http://127.0.0.1/a.xml"\n\n[[feeds]\n'


@pytest.mark.parametrize(
    "args",
    [
        ("feeds", "add", "http://127.0.0.1/b.xml"),
        ("feeds", "rm", "http://127.0.0.1/a.xml"),
        ("feeds", "import", "PLACEHOLDER"),
    ],
)
def test_a_broken_config_is_named_with_its_line_and_never_written(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    config_file(env).write_text(BROKEN, encoding="utf-8")
    opml = tmp_path / "one.opml"
    opml.write_bytes(opml_document(1))
    result = run_termnews(*(str(opml) if arg == "PLACEHOLDER" else arg for arg in args), env=env)
    assert result.returncode == 2
    assert f"{config_file(env)}, line 5, column" in result.stderr
    assert "unchanged" in result.stderr and "Traceback" not in result.stderr
    assert config_file(env).read_text(encoding="utf-8") == BROKEN


def test_listing_a_broken_config_says_why_and_lists_nothing(env: dict[str, str]) -> None:
    config_file(env).write_text(BROKEN, encoding="utf-8")
    result = run_termnews("feeds", "list", env=env)
    assert result.stdout == ""
    assert f"{config_file(env)}, line 5, column" in result.stderr
    assert "No feeds yet" not in result.stderr


# --- OPML ----------------------------------------------------------------------------------

FOLDERS = ("World News", "Coast", "Science & Farming", "Kestrel Bay")


def opml_document(count: int, *, extra: str = "") -> bytes:
    """`count` feeds in folders nested two deep (folder, then a sub-folder for every tenth)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', "<body>"]
    for start in range(0, count, 10):
        folder = FOLDERS[(start // 10) % len(FOLDERS)].replace("&", "&amp;")
        lines.append(f'<outline text="{folder}">')
        lines.append(f'<outline text="Desk {start // 10}">')
        for number in range(start, min(start + 10, count)):
            lines.append(
                f'<outline type="rss" text="Feed {number}" '
                f'xmlUrl="http://127.0.0.1:8302/feeds/{number}.xml"/>'
            )
        lines += ["</outline>", "</outline>"]
    lines += [extra, "</body>", "</opml>"]
    return "\n".join(lines).encode("utf-8")


def test_import_two_hundred_feeds_in_nested_folders(env: dict[str, str], tmp_path: Path) -> None:
    ok("feeds", "add", "http://127.0.0.1:8302/feeds/7.xml", "--name", "Mine", env=env)
    extra = (
        '<outline text="Again" xmlUrl="http://127.0.0.1:8302/feeds/3.xml"/>'
        '<outline text="Not web" xmlUrl="ftp://127.0.0.1/x.xml"/>'
    )
    opml = tmp_path / "reader.opml"
    opml.write_bytes(opml_document(200, extra=extra))
    out = ok("feeds", "import", str(opml), "--tag", "imported", "--json", env=env)
    # Feed 7 was subscribed already and feed 3 is in the file twice: both are skipped.
    assert json.loads(out) == {"action": "import", "added": 199, "duplicates": 2, "invalid": 1}
    feeds = listed(env)
    assert len(feeds) == 200
    assert feeds[0]["name"] == "Mine" and feeds[0]["tags"] == []
    by_url = {feed["url"]: feed for feed in feeds}
    assert by_url["http://127.0.0.1:8302/feeds/0.xml"]["tags"] == [
        "world-news",
        "desk-0",
        "imported",
    ]
    assert by_url["http://127.0.0.1:8302/feeds/25.xml"] == {
        **by_url["http://127.0.0.1:8302/feeds/25.xml"],
        "name": "Feed 25",
        "tags": ["science-farming", "desk-2", "imported"],
    }
    # A second import of the same file adds nothing.
    again = ok("feeds", "import", str(opml), env=env)
    assert again == "imported 0 feeds; skipped 201 already subscribed and 1 without a usable URL\n"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<opml version="2.0"><body><outline text="&d;" xmlUrl="http://127.0.0.1/a.xml"/></body></opml>
"""


def test_an_opml_with_a_doctype_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.opml"
    bomb.write_bytes(BOMB)
    result = run_termnews("feeds", "import", str(bomb), env=env)
    assert result.returncode == 2
    assert "DOCTYPE" in result.stderr and "Traceback" not in result.stderr
    assert not config_file(env).exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot be read (no such file or directory)"),
        (b"<html><p>a web page</p></html>", "not OPML"),
        (b"<opml><body>", "not well-formed XML"),
    ],
)
def test_an_unusable_opml_file_is_refused(
    env: dict[str, str], tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "feeds.opml"
    if content is not None:
        path.write_bytes(content)
    result = run_termnews("feeds", "import", str(path), env=env)
    assert result.returncode == 2 and reason in result.stderr
    assert "Traceback" not in result.stderr


def test_export_then_import_gives_back_the_same_feeds(env: dict[str, str], tmp_path: Path) -> None:
    ok("feeds", "add", "http://127.0.0.1:8303/a.xml", "--name", 'Harbour "Gazette" & Co',
       "--tag", "coast", "--tag", "shipping/ports", env=env)  # fmt: skip
    ok("feeds", "add", "http://127.0.0.1:8303/b.xml", env=env)
    ok("feeds", "add", "http://127.0.0.1:8303/c.xml", "--name", "Été <Velmora>",
       "--tag", "coast", env=env)  # fmt: skip
    exported = run_termnews("feeds", "export", env=env)
    assert exported.returncode == 0
    assert len(read_opml(exported.stdout.encode("utf-8"))) == 3
    before = [(feed["url"], feed["name"], feed["tags"]) for feed in listed(env)]

    other = {**env, "TERMNEWS_CONFIG": str(tmp_path / "other.toml")}
    out = ok("feeds", "import", "-", env=other, stdin=exported.stdout.encode("utf-8"))
    assert out.startswith("imported 3 feeds;")
    after = [(feed["url"], feed["name"], feed["tags"]) for feed in listed(other)]
    # A feed without a name is exported under its URL (OPML wants a text) and comes back
    # without one, so its stories keep going to the folder named after the feed's title.
    assert sorted(after) == sorted(before)


def test_export_of_no_feeds_is_an_empty_list(env: dict[str, str]) -> None:
    out = ok("feeds", "export", env=env)
    assert read_opml(out.encode("utf-8")) == []


# --- what the fetch ledger recorded --------------------------------------------------------


def test_list_shows_what_the_ledger_recorded(env: dict[str, str]) -> None:
    ok("feeds", "add", "http://127.0.0.1:8304/a.xml", "--name", "A", env=env)
    ok("feeds", "add", "http://127.0.0.1:8304/b.xml", "--name", "B", env=env)
    ok("feeds", "add", "http://127.0.0.1:8304/c.xml", "--name", "C", env=env)
    with FeedLedger(Path(env["TERMNEWS_DATA_DIR"]) / "feeds.db") as ledger:
        ledger.record_fetch("http://127.0.0.1:8304/a.xml", status="ok", etag=None,
                            last_modified=None, error=None, new=4)  # fmt: skip
        for _ in range(2):
            ledger.record_fetch("http://127.0.0.1:8304/b.xml", status="failed", etag=None,
                                last_modified=None, error="the server said 503", new=0)  # fmt: skip
    feeds = {feed["name"]: feed for feed in listed(env)}
    assert (feeds["A"]["new"], feeds["A"]["failures"], feeds["A"]["last_status"]) == (4, 0, "ok")
    assert str(feeds["A"]["last_fetch"]).startswith("20")
    assert (feeds["B"]["failures"], feeds["B"]["last_error"]) == (2, "the server said 503")
    assert feeds["C"]["last_fetch"] is None
    text = ok("feeds", env=env)
    assert "(ok), 4 new stories" in text
    assert "failed 2 times in a row: the server said 503" in text
    assert "not fetched yet" in text


def test_a_damaged_ledger_is_said_and_the_feeds_still_listed(env: dict[str, str]) -> None:
    ok("feeds", "add", "http://127.0.0.1:8305/a.xml", "--name", "A", env=env)
    ledger = Path(env["TERMNEWS_DATA_DIR"]) / "feeds.db"
    ledger.parent.mkdir(parents=True)
    ledger.write_bytes(b"not a database, only words about Orvelle ferries" * 100)
    result = run_termnews("feeds", "list", env=env)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stdout == "A  http://127.0.0.1:8305/a.xml\n"
    assert str(ledger) in result.stderr and "without fetch figures" in result.stderr
