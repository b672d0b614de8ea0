"""The browser's fetch process (`termnews.fetch_child`) on its own, without a browser: its
request round-trips, and a browser that goes away (its end of the pipe closed) stops it
rather than leaving it fetching on its own. Feeds are served on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from termnews.fetch_child import FetchChild, FetchRequest
from termnews.settings.model import FeedSubscription

#: Bounds a failure on a slow machine; it times nothing.
CEILING_SECONDS = 15.0


@pytest.fixture(autouse=True)
def private_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The feeds' ledger and any index go under the test's folder."""
    monkeypatch.setenv("TERMNEWS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_a_request_round_trips(tmp_path: Path) -> None:
    request = FetchRequest(
        (FeedSubscription("http://127.0.0.1/a.xml", None, ("coast", "port"), "never"),),
        tmp_path / "news",
        tmp_path / "index",
        lock=True,
        threads=3,
        nice=10,
    )
    assert FetchRequest.from_json(request.to_json()) == request
    assert FetchRequest.from_json(request.to_json().encode()) == request


def test_the_child_fetches_and_reports_in_lines(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Orvelle Crier</title>'
        "<item><title>Ferry adds a winter crossing</title><link>http://127.0.0.1/ferry</link>"
        "<guid>ferry</guid><description>The Orvelle ferry will cross twice a day all winter, "
        "the harbour board said on Monday.</description><category>Transport</category></item>"
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    feed = FeedSubscription(httpserver.url_for("/feed.xml"), "Orvelle Crier", ("coast",), "never")
    archive = tmp_path / "news"
    archive.mkdir()
    child = FetchChild(FetchRequest((feed,), archive, tmp_path / "index", False, 1, 0))
    messages = list(child.messages())
    assert child.close() == 0
    assert messages[0] == {"type": "progress", "done": 1, "total": 1, "new": 1}
    finished = messages[-1]
    assert finished["type"] == "finished"
    assert finished["line"] == "1 feed · 1 new · 0 failed"
    assert finished["synced"] == {"fresh": 1, "removed": 0, "changed": 1}
    assert sorted(finished["tags"]) == ["coast", "transport"]
    assert finished["tagged"] == 1 and not finished["stopped"]
    assert (tmp_path / "index").is_dir()


def test_the_end_of_its_input_stops_it(tmp_path: Path, httpserver: HTTPServer) -> None:
    """The browser went (killed, say): the feeds not begun are not fetched, and it ends."""
    release = threading.Event()
    asked: list[str] = []

    def held(request: Request) -> Response:
        asked.append(request.path)
        release.wait(CEILING_SECONDS)
        return Response("gone", status=404)

    feeds = []
    for n in range(4):
        httpserver.expect_request(f"/feed/{n}").respond_with_handler(held)
        feeds.append(FeedSubscription(httpserver.url_for(f"/feed/{n}"), None, (), "never"))
    request = FetchRequest(tuple(feeds), tmp_path / "news", None, False, 1, 0)
    child = FetchChild(request)
    try:
        deadline = time.monotonic() + CEILING_SECONDS
        while not asked and time.monotonic() < deadline:
            time.sleep(0.05)
        assert asked == ["/feed/0"]
        stdin = child._process.stdin
        assert stdin is not None
        stdin.close()  # as the browser's end of the pipe closes when it dies
        lines = child.messages()
        assert next(m for m in lines if m["type"] != "progress") == {"type": "stopping"}
        release.set()
        messages = list(lines)
    finally:
        release.set()
    assert child.close() == 0
    assert asked == ["/feed/0"]
    assert messages[-1]["type"] == "finished" and messages[-1]["stopped"]
