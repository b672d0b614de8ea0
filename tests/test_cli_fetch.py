"""`termnews fetch` end to end: the real executable against a feed served on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Response

from cli_support import private_env

TERMNEWS = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "termnews"

PARAGRAPHS = [
    "Harbour pilots in Velmora guided the last grain carrier of the season out past the "
    "breakwater on Tuesday, ending a month in which the port handled more ships than in any "
    "November since the new quay opened.",
    "The cooperative that runs the silo said the carriers had taken on barley from farms along "
    "the Orvelle valley, where a dry autumn left the roads firm enough for trailers until late.",
]


def item(number: int) -> str:
    body = "".join(f"<p>{p} (item {number})</p>" for p in PARAGRAPHS)
    return f"""<item>
  <title>Velmora harbour story number {number}</title>
  <link>http://127.0.0.1/story/{number}</link>
  <guid>velmora-{number}</guid>
  <author>desk@velmora.example (Anneke Solberg)</author>
  <pubDate>Tue, 0{number} Dec 2026 08:00:00 +0000</pubDate>
  <description><![CDATA[{body}]]></description>
</item>"""


def rss(count: int) -> str:
    items = "\n".join(item(n) for n in range(1, count + 1))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Velmora Coastal Wire</title>
<link>http://127.0.0.1/</link><description>Invented news</description>
{items}
</channel></rss>"""


def environment(home: Path, feed_url: str, fulltext: str = "never") -> dict[str, str]:
    env = private_env(home)
    (home / "config.toml").write_text(
        f'[[feeds]]\nurl = "{feed_url}"\nname = "Velmora Wire"\ntags = ["coast"]\n'
        f'fulltext = "{fulltext}"\n',
        encoding="utf-8",
    )
    return env


def termnews(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TERMNEWS), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_fetch_writes_indexes_tags_and_fetches_only_what_is_new(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    feed = {"count": 3}
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda _request: Response(rss(feed["count"]), content_type="application/rss+xml")
    )
    env = environment(tmp_path, httpserver.url_for("/feed.xml"))

    first = termnews("fetch", env=env)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert first.stdout.strip().endswith("1 feed: 3 new stories, 0 failed")
    written = sorted((tmp_path / "termnews-data" / "news" / "feeds").rglob("*.txt"))
    assert len(written) == 3

    # The three stories share their paragraphs: every copy listed, not folded into one row.
    found = termnews("search", "barley", "--json", "--all-copies", "--limit", "10", env=env)
    assert found.returncode == 0, found.stderr
    assert len(found.stdout.splitlines()) == 3
    tagged = termnews("count", "--json", "tag:coast", env=env)
    assert json.loads(tagged.stdout)["total"] == 3

    again = termnews("fetch", env=env)
    assert again.returncode == 0, again.stderr
    assert "0 new stories" in again.stdout

    feed["count"] = 4
    more = termnews("fetch", "--json", env=env)
    assert more.returncode == 0, more.stderr
    assert json.loads(more.stdout.splitlines()[0])["new"] == 1
    assert len(list((tmp_path / "termnews-data" / "news" / "feeds").rglob("*.txt"))) == 4


def test_a_failing_feed_exits_1_and_says_why(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data("gone", status=404)
    env = environment(tmp_path, httpserver.url_for("/feed.xml"))

    result = termnews("fetch", env=env)

    assert result.returncode == 1
    assert "Velmora Wire" in result.stderr and "404" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_feeds_is_a_usage_error(tmp_path: Path) -> None:
    env = environment(tmp_path, "http://127.0.0.1:9/feed.xml")
    (tmp_path / "config.toml").write_text("", encoding="utf-8")

    result = termnews("fetch", env=env)

    assert result.returncode == 2 and "feeds add" in result.stderr


def article_page(number: int) -> str:
    paragraphs = "".join(f"<p>{p} Page {number}, paragraph {i}.</p>" for i, p in
                         enumerate(PARAGRAPHS * 3))  # fmt: skip
    return f"""<html><head><title>Story {number}</title></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Velmora harbour story number {number}</h1>{paragraphs}</article>
<footer>Copyright Velmora Coastal Wire. Subscribe to our newsletter.</footer>
</body></html>"""


def test_a_summary_feed_gets_the_article_from_its_page(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    items = "\n".join(
        f"""<item><title>Velmora harbour story number {n}</title>
<link>{httpserver.url_for(f"/story/{n}")}</link><guid>short-{n}</guid>
<description>Pilots guided the last carrier out.</description></item>"""
        for n in (1, 2)
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Short</title>{items}'
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    for n in (1, 2):
        httpserver.expect_request(f"/story/{n}").respond_with_data(
            article_page(n), content_type="text/html; charset=utf-8"
        )
    env = environment(tmp_path, httpserver.url_for("/feed.xml"), fulltext="auto")

    result = termnews("fetch", env=env)

    assert result.returncode == 0, result.stderr
    stories = sorted((tmp_path / "termnews-data" / "news" / "feeds").rglob("*.txt"))
    assert len(stories) == 2
    text = stories[0].read_text(encoding="utf-8")
    assert "paragraph 5" in text and "newsletter" not in text and "Sport" not in text


def test_entry_categories_become_tags(httpserver: HTTPServer, tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>Velmora harbour story number {n}</title>"
        f"<link>http://127.0.0.1/story/{n}</link><guid>cat-{n}</guid>"
        f"<description>{PARAGRAPHS[0]} (item {n})</description>{categories}</item>"
        for n, categories in (
            (1, "<category>Shipping</category><category>World News</category>"),
            (2, "<category>shipping</category><category>!!</category>"),
            (3, ""),
        )
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Cats</title>{items}'
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    env = environment(tmp_path, httpserver.url_for("/feed.xml"))

    result = termnews("fetch", env=env)
    assert result.returncode == 0, result.stderr

    def count(query: str) -> int:
        found = termnews("count", "--json", query, env=env)
        assert found.returncode == 0, found.stderr
        return int(json.loads(found.stdout)["total"])

    # Categories are folded like any tag, a spaced one made a tag name, the feed's own kept,
    # and one of punctuation only dropped.
    assert count("tag:shipping") == 2
    assert count("tag:world-news") == 1
    assert count("tag:coast") == 3
