"""`feed:NAME` end to end: the real `termnews` subscribes, fetches from feeds served on
127.0.0.1, then searches, counts and marks the stories of one feed by its name or folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pytest_httpserver import HTTPServer

from cli_support import private_env

TERMNEWS = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "termnews"


def rss(title: str, prefix: str, count: int) -> str:
    items = "".join(
        f"<item><title>{title} council story {n}</title>"
        f"<link>http://127.0.0.1/{prefix}/{n}</link><guid>{prefix}-{n}</guid>"
        f"<pubDate>Tue, 0{n} Dec 2026 08:00:00 +0000</pubDate>"
        f"<description>The council of Quillmouth met about the {prefix} seawall, "
        f"meeting number {n}, and the harbour pilots listened from the gallery.</description>"
        "</item>"
        for n in range(1, count + 1)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://127.0.0.1/</link><description>Invented news</description>{items}"
        "</channel></rss>"
    )


def termnews(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(TERMNEWS), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_feed_name_finds_a_feed_s_stories_in_search_count_and_mark(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/beacon.xml").respond_with_data(
        rss("The Beacon", "beacon", 3), content_type="application/rss+xml"
    )
    httpserver.expect_request("/gazette.xml").respond_with_data(
        rss("Île Gazette", "gazette", 2), content_type="application/rss+xml"
    )
    env = private_env(tmp_path)
    beacon_url, gazette_url = httpserver.url_for("/beacon.xml"), httpserver.url_for("/gazette.xml")
    added = termnews(
        "feeds", "add", beacon_url, "--name", "Harbour Beacon", "--fulltext", "never", env=env
    )
    assert added.returncode == 0, added.stderr
    # No name given: the folder, and so `feed:`, take the feed's own title.
    added = termnews("feeds", "add", gazette_url, "--fulltext", "never", env=env)
    assert added.returncode == 0, added.stderr
    fetched = termnews("fetch", env=env)
    assert fetched.returncode == 0, fetched.stderr
    # `feeds list` says what each feed's stories are found by.
    listed = termnews("feeds", "list", "--json", env=env).stdout.splitlines()
    assert [json.loads(line)["folders"] for line in listed] == [["harbour-beacon"], ["ile-gazette"]]

    def paths(query: str) -> set[str]:
        found = termnews("search", "--json", "--limit", "50", query, env=env)
        assert found.returncode == 0, found.stderr
        return {json.loads(line)["path"] for line in found.stdout.splitlines()}

    beacon = paths('feed:"Harbour Beacon"')
    assert len(beacon) == 3 and all("/feeds/harbour-beacon/" in path for path in beacon)
    gazette = paths('feed:"ile gazette"')
    assert len(gazette) == 2 and all("/feeds/ile-gazette/" in path for path in gazette)

    def counts(*queries: str) -> list[tuple[int, int]]:
        """(total, unread) of each query, from one `termnews count`."""
        found = termnews("count", "--json", *queries, env=env)
        assert found.returncode == 0, found.stderr
        lines = [json.loads(line) for line in found.stdout.splitlines()]
        return [(line["total"], line["unread"]) for line in lines]

    queries = (
        "feed:harbour-beacon",
        "feed:HARBOUR-BEACON",
        "council -feed:harbour-beacon",
        'feed:"Harbour Beacon" OR feed:ile-gazette',
        "seawall feed:ile-gazette",
    )
    assert counts(*queries) == [(3, 3), (3, 3), (2, 2), (5, 5), (2, 2)]
    marked = termnews("mark", "read", 'feed:"Harbour Beacon"', env=env)
    assert marked.returncode == 0, marked.stderr
    assert "3" in marked.stdout
    assert counts("is:read", "council NOT is:read", *queries) == [
        (3, 0), (2, 2), (3, 0), (3, 0), (2, 2), (5, 2), (2, 2)
    ]  # fmt: skip
