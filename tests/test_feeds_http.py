"""The fetcher against a real local server that misbehaves on purpose (127.0.0.1 only).

Every limit here is small (a second or two, 64 KB) so a fetcher that failed to stop would fail
its test, not stall the suite.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from termnews import __version__
from termnews.feeds.http import (
    USER_AGENT,
    Fetcher,
    FetchLimits,
    _Watchdog,
    parse_retry_after,
)

SMALL = FetchLimits(
    connect_timeout_s=1.0,
    read_timeout_s=1.0,
    total_timeout_s=1.5,
    max_bytes=64 * 1024,
    max_redirects=5,
)
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quillby Post</title></channel></rss>'
)


@pytest.fixture(scope="module")
def shared_server() -> Iterator[HTTPServer]:
    # Threaded, so a handler that stalls on purpose does not hold up the next request; one per
    # module, because stopping a server waits out its polling interval.
    httpserver = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpserver.start()
    yield httpserver
    httpserver.stop()


@pytest.fixture
def server(shared_server: HTTPServer) -> Iterator[HTTPServer]:
    shared_server.clear()
    yield shared_server
    shared_server.clear()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(SMALL) as client:
        yield client


def test_a_plain_fetch_gives_the_body_validators_and_type(
    server: HTTPServer, fetcher: Fetcher
) -> None:
    server.expect_request("/feed.xml", headers={"User-Agent": USER_AGENT}).respond_with_data(
        FEED,
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"},
    )
    url = server.url_for("/feed.xml")

    result = fetcher.fetch(url)

    assert result.status == "ok", result.error
    assert result.content == FEED
    assert result.url == url and result.final_url == url
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 01 Dec 2026 10:00:00 GMT"
    assert result.http_status == 200 and result.error is None


def test_the_user_agent_names_termnews_and_its_version() -> None:
    assert USER_AGENT.startswith(f"termnews/{__version__} (+https://")
    assert USER_AGENT.endswith(")")


def test_validators_are_sent_and_a_304_is_not_modified(
    server: HTTPServer, fetcher: Fetcher
) -> None:
    seen: list[dict[str, str]] = []

    def conditional(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(FEED, content_type="application/rss+xml")

    server.expect_request("/feed.xml").respond_with_handler(conditional)
    url = server.url_for("/feed.xml")

    first = fetcher.fetch(url)
    again = fetcher.fetch(url, etag='"v1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT")

    assert "If-None-Match" not in seen[0] and "If-Modified-Since" not in seen[0]
    assert seen[1]["If-None-Match"] == '"v1"'
    assert seen[1]["If-Modified-Since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    assert first.status == "ok"
    assert again.status == "not_modified" and again.content == b"" and again.error is None
    assert again.http_status == 304
    # The validators carry over, so the next fetch can be conditional too.
    assert again.etag == '"v1"'
    assert again.last_modified == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_a_server_trickling_bytes_fails_at_the_total_limit(
    server: HTTPServer, fetcher: Fetcher
) -> None:
    def trickle(request: Request) -> Response:
        def one_byte_at_a_time() -> Iterator[bytes]:
            # Each byte comes well within the read timeout; only the total limit can stop it.
            for _ in range(50):
                yield b"x"
                time.sleep(0.2)

        return Response(one_byte_at_a_time(), content_type="application/rss+xml")

    server.expect_request("/slow.xml").respond_with_handler(trickle)

    result = fetcher.fetch(server.url_for("/slow.xml"))

    assert result.status == "failed"
    assert result.error is not None and "1.5 s limit" in result.error
    assert result.content == b""


def test_the_watchdog_wakes_a_read_blocked_on_a_silent_server() -> None:
    near, far = socket.socketpair()
    try:
        # A safety net only: if the watchdog did nothing, recv would time out and fail here.
        near.settimeout(5.0)
        stream = SimpleNamespace(get_extra_info=lambda name: near if name == "socket" else None)
        response: Any = SimpleNamespace(extensions={"network_stream": stream})

        watchdog = _Watchdog(response, deadline=time.monotonic() + 0.05)
        received = near.recv(1)  # `far` never sends: only the shutdown can end this read

        assert received == b""
        assert watchdog.fired
        watchdog.disarm()
    finally:
        near.close()
        far.close()


def test_a_disarmed_watchdog_leaves_the_connection_alone() -> None:
    near, far = socket.socketpair()
    try:
        stream = SimpleNamespace(get_extra_info=lambda name: near)
        response: Any = SimpleNamespace(extensions={"network_stream": stream})
        watchdog = _Watchdog(response, deadline=time.monotonic() + 0.05)
        watchdog.disarm()
        assert watchdog._timer is not None
        watchdog._timer.join(5.0)

        far.sendall(b"still open")
        near.settimeout(5.0)
        assert near.recv(64) == b"still open"
        assert not watchdog.fired
    finally:
        near.close()
        far.close()


def test_a_body_larger_than_the_cap_is_cut_and_fails(server: HTTPServer, fetcher: Fetcher) -> None:
    sent_chunks: list[int] = []

    def endless(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            # No Content-Length: the cap has to be enforced while streaming.
            for index in range(1000):
                sent_chunks.append(index)
                yield b"y" * 8192

        return Response(chunks(), content_type="application/rss+xml")

    server.expect_request("/huge.xml").respond_with_handler(endless)

    result = fetcher.fetch(server.url_for("/huge.xml"))

    assert result.status == "failed"
    assert result.error is not None and "larger than 64 KB" in result.error
    assert result.content == b""
    assert len(sent_chunks) < 1000  # the fetcher hung up long before the server was done


def test_a_declared_length_over_the_cap_fails_before_reading(
    server: HTTPServer, fetcher: Fetcher
) -> None:
    server.expect_request("/big.xml").respond_with_data(b"z" * (65 * 1024))

    result = fetcher.fetch(server.url_for("/big.xml"))

    assert result.status == "failed" and result.error and "larger than 64 KB" in result.error


def test_a_body_exactly_at_the_cap_is_fine(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/full.xml").respond_with_data(b"z" * (64 * 1024))

    result = fetcher.fetch(server.url_for("/full.xml"))

    assert result.status == "ok" and len(result.content) == 64 * 1024


def test_a_compressed_body_counts_at_its_decoded_size(server: HTTPServer, fetcher: Fetcher) -> None:
    bomb = gzip.compress(b"\0" * (4 * 1024 * 1024))  # 4 MB of zeros squeeze to a few KB
    assert len(bomb) < SMALL.max_bytes
    server.expect_request("/bomb.xml").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})

    result = fetcher.fetch(server.url_for("/bomb.xml"))

    assert result.status == "failed" and result.error and "larger than 64 KB" in result.error


def test_a_redirect_loop_stops_after_five_redirects(server: HTTPServer, fetcher: Fetcher) -> None:
    hits: list[str] = []

    def loop(request: Request) -> Response:
        hits.append(request.path)
        return Response(status=302, headers={"Location": "/loop"})

    server.expect_request("/loop").respond_with_handler(loop)

    result = fetcher.fetch(server.url_for("/loop"))

    assert result.status == "failed"
    assert result.error and "more than 5 times" in result.error
    assert len(hits) == 6  # the first request and five followed redirects, no more


def test_five_redirects_are_followed_with_relative_locations(
    server: HTTPServer, fetcher: Fetcher
) -> None:
    for step in range(5, 0, -1):
        server.expect_request(f"/hop{step}").respond_with_data(
            "", status=301 if step % 2 else 307, headers={"Location": f"hop{step - 1}"}
        )
    server.expect_request("/hop0").respond_with_data(FEED, content_type="application/xml")

    result = fetcher.fetch(server.url_for("/hop5"))

    assert result.status == "ok", result.error
    assert result.content == FEED
    assert result.url == server.url_for("/hop5")
    assert result.final_url == server.url_for("/hop0")


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1/"]
)
def test_a_redirect_to_another_scheme_fails_without_reading_it(
    server: HTTPServer, fetcher: Fetcher, location: str
) -> None:
    server.expect_request("/moved").respond_with_data(
        "", status=302, headers={"Location": location}
    )

    result = fetcher.fetch(server.url_for("/moved"))

    assert result.status == "failed"
    assert result.content == b""
    assert result.error and location.split(":")[0] + ":" in result.error
    assert "only http: and https:" in result.error


def test_a_redirect_without_a_location_fails(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/nowhere").respond_with_data("", status=302)

    result = fetcher.fetch(server.url_for("/nowhere"))

    assert result.status == "failed" and result.http_status == 302


@pytest.mark.parametrize(("status", "words"), [(404, "404 Not Found"), (500, "500 Internal")])
def test_an_error_status_fails_with_that_status(
    server: HTTPServer, fetcher: Fetcher, status: int, words: str
) -> None:
    server.expect_request("/feed.xml").respond_with_data("no", status=status)

    result = fetcher.fetch(server.url_for("/feed.xml"))

    assert result.status == "failed"
    assert result.http_status == status
    assert result.error and words in result.error
    assert result.content == b""
    assert result.retry_after_s is None


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds_is_passed_on(
    server: HTTPServer, fetcher: Fetcher, status: int
) -> None:
    server.expect_request("/busy").respond_with_data(
        "later", status=status, headers={"Retry-After": "120"}
    )

    result = fetcher.fetch(server.url_for("/busy"))

    assert result.status == "failed"
    assert result.http_status == status
    assert result.retry_after_s == 120.0


def test_retry_after_as_a_date_becomes_seconds_from_now(
    server: HTTPServer, fetcher: Fetcher
) -> None:
    server.expect_request("/busy").respond_with_data(
        "later", status=503, headers={"Retry-After": "Fri, 01 Jan 2100 00:00:00 GMT"}
    )

    result = fetcher.fetch(server.url_for("/busy"))

    assert result.retry_after_s is not None and result.retry_after_s > 365 * 24 * 3600


def test_retry_after_is_ignored_outside_429_and_503(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/err").respond_with_data("", status=500, headers={"Retry-After": "30"})

    assert fetcher.fetch(server.url_for("/err")).retry_after_s is None


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("30", 30.0),
        (" 2.5 ", 2.5),
        ("-4", 0.0),
        ("Wed, 02 Dec 2026 08:01:00 GMT", 60.0),
        ("Wed, 02 Dec 2026 07:59:00 GMT", 0.0),
        ("soon", None),
        ("nan", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    now = datetime(2026, 12, 2, 8, 0, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == seconds


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/feed.xml",
        "javascript:alert(1)",
        "no address at all",
        "http://",
        "",
        "http://[::1",
    ],
)
def test_an_unfetchable_address_fails_without_raising(fetcher: Fetcher, url: str) -> None:
    result = fetcher.fetch(url)

    assert result.status == "failed"
    assert result.url == url
    assert result.error and result.error.endswith(".")


def test_a_refused_connection_fails_with_a_sentence(fetcher: Fetcher) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = fetcher.fetch(f"http://127.0.0.1:{port}/feed.xml")

    assert result.status == "failed"
    assert result.error and result.error.startswith("Could not connect to 127.0.0.1")
    assert result.http_status is None


def test_at_most_two_requests_reach_one_host_at_a_time(server: HTTPServer) -> None:
    lock = threading.Lock()
    counts = {"now": 0, "peak": 0}
    two_inside = threading.Event()

    def counting(request: Request) -> Response:
        with lock:
            counts["now"] += 1
            counts["peak"] = max(counts["peak"], counts["now"])
            if counts["now"] >= 2:
                two_inside.set()
        two_inside.wait(3.0)  # the first waits for a second: fetches from threads do overlap
        time.sleep(0.05)  # room for a third to arrive, were the limit not kept
        with lock:
            counts["now"] -= 1
        return Response(FEED, content_type="application/rss+xml")

    server.expect_request("/feed.xml").respond_with_handler(counting)
    url = server.url_for("/feed.xml")

    with (
        Fetcher(FetchLimits(total_timeout_s=10.0)) as fetcher,
        ThreadPoolExecutor(max_workers=6) as pool,
    ):
        results = list(pool.map(lambda _: fetcher.fetch(url), range(6)))

    assert [result.status for result in results] == ["ok"] * 6
    assert counts["peak"] == 2


def test_the_per_host_limit_does_not_hold_back_other_hosts(server: HTTPServer) -> None:
    first = server
    second = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    arrived = {"first": threading.Event(), "second": threading.Event()}

    def meet(mine: str, other: str) -> Any:
        def handler(request: Request) -> Response:
            arrived[mine].set()
            # Succeeds only if the other server's request is in flight at the same time.
            met = arrived[other].wait(3.0)
            return Response(FEED if met else b"alone", content_type="application/rss+xml")

        return handler

    first.expect_request("/feed.xml").respond_with_handler(meet("first", "second"))
    second.expect_request("/feed.xml").respond_with_handler(meet("second", "first"))
    second.start()
    try:
        with (
            Fetcher(FetchLimits(total_timeout_s=10.0), connections_per_host=1) as fetcher,
            ThreadPoolExecutor(max_workers=2) as pool,
        ):
            urls = [first.url_for("/feed.xml"), second.url_for("/feed.xml")]
            results = list(pool.map(fetcher.fetch, urls))
    finally:
        second.stop()

    assert [result.content for result in results] == [FEED, FEED]


def test_a_server_slow_to_answer_fails_at_the_total_limit(server: HTTPServer) -> None:
    def late(request: Request) -> Response:
        time.sleep(2.5)  # no status line for longer than the whole fetch may take
        return Response(FEED)

    server.expect_request("/late.xml").respond_with_handler(late)
    limits = FetchLimits(read_timeout_s=30.0, total_timeout_s=1.0)

    with Fetcher(limits) as fetcher:
        result = fetcher.fetch(server.url_for("/late.xml"))

    assert result.status == "failed"
    assert result.error == "The fetch took longer than its 1 s limit."
