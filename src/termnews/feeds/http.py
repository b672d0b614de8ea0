"""Fetch one feed (or page) over HTTP with hard limits, and never raise.

A feed server is untrusted: it may stall, trickle, send gigabytes, loop redirects or redirect to
a local file. Every fetch is bounded in time (per phase and in total), in size, in redirects and
in schemes, and every failure comes back as a `FetchResult` with a sentence, never as an
exception, so a run over many feeds goes on past any one of them.
"""

from __future__ import annotations

import email.utils
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType
from typing import Literal

import httpx

from termnews import __version__

# Where a feed's admin can learn who is fetching; set to the project's public page once it has one.
PROJECT_URL = "https://pypi.org/project/termnews/"
USER_AGENT = f"termnews/{__version__} (+{PROJECT_URL})"

ALLOWED_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
# Polite to one server, yet many feeds on different hosts still fetch in parallel.
CONNECTIONS_PER_HOST = 2

FetchStatus = Literal["ok", "not_modified", "failed"]


@dataclass(frozen=True)
class FetchLimits:
    """Bounds for one fetch; the total covers every redirect and the whole body."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    """What one fetch gave: content for `ok`, validators to send next time, or a sentence."""

    url: str
    status: FetchStatus
    content: bytes = b""
    final_url: str = ""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after_s: float | None = None
    http_status: int | None = None


@dataclass(frozen=True)
class _Redirect:
    target: str


class _FetchFailed(Exception):
    """Internal: carries the sentence (and the HTTP facts) of a failed fetch to `fetch`."""

    def __init__(
        self, message: str, *, http_status: int | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.retry_after_s = retry_after_s


class Fetcher:
    """One HTTP client shared by every fetch; safe to call `fetch` from many threads at once."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        connections_per_host: int = CONNECTIONS_PER_HOST,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.limits = limits or FetchLimits()
        self._connections_per_host = connections_per_host
        self._host_slots: dict[str, threading.Semaphore] = {}
        self._host_slots_lock = threading.Lock()
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            verify=True,
            follow_redirects=False,  # followed by hand: each hop's scheme is checked first
            transport=transport,
            trust_env=False,  # a proxy or .netrc from the environment is not ours to use
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url`, conditionally when validators are given; never raises."""
        try:
            return self._fetch(url, etag, last_modified)
        except _FetchFailed as failure:
            return FetchResult(
                url=url,
                status="failed",
                error=failure.message,
                http_status=failure.http_status,
                retry_after_s=failure.retry_after_s,
            )
        except Exception as error:  # the promise is a result for every feed, whatever happens
            return FetchResult(
                url=url,
                status="failed",
                error=f"Fetching failed unexpectedly ({type(error).__name__}: {error}).",
            )

    def _fetch(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline: float | None = None
        current = url
        for _hop in range(self.limits.max_redirects + 1):
            parsed = _checked_url(current)
            with self._host_slot(parsed):
                # The clock starts once a slot is ours: waiting behind other feeds is not this
                # server's slowness.
                if deadline is None:
                    deadline = time.monotonic() + self.limits.total_timeout_s
                outcome = self._request(url, parsed, headers, deadline, etag, last_modified)
            if isinstance(outcome, FetchResult):
                return outcome
            current = outcome.target
        raise _FetchFailed(
            f"The server redirected more than {self.limits.max_redirects} times; "
            "termnews stopped following."
        )

    @contextmanager
    def _host_slot(self, url: httpx.URL) -> Iterator[None]:
        key = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
        with self._host_slots_lock:
            slot = self._host_slots.get(key)
            if slot is None:
                slot = self._host_slots[key] = threading.Semaphore(self._connections_per_host)
        with slot:
            yield

    def _request(
        self,
        original_url: str,
        url: httpx.URL,
        headers: dict[str, str],
        deadline: float,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult | _Redirect:
        remaining = _time_left(deadline, self.limits.total_timeout_s)
        # Each phase's own limit, but never past the total: a slow connect plus a slow first
        # byte cannot add up to more than the time this fetch has left.
        timeout = httpx.Timeout(
            connect=min(self.limits.connect_timeout_s, remaining),
            read=min(self.limits.read_timeout_s, remaining),
            write=min(self.limits.read_timeout_s, remaining),
            pool=min(self.limits.connect_timeout_s, remaining),
        )
        request = self._client.build_request("GET", url, headers=headers, timeout=timeout)
        try:
            response = self._client.send(request, stream=True)
        except httpx.HTTPError as error:
            raise _FetchFailed(_transport_sentence(error, url, self.limits, deadline)) from None
        try:
            return self._outcome(original_url, url, response, deadline, etag, last_modified)
        finally:
            response.close()

    def _outcome(
        self,
        original_url: str,
        url: httpx.URL,
        response: httpx.Response,
        deadline: float,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult | _Redirect:
        status = response.status_code
        if status in REDIRECT_STATUSES:
            location = response.headers.get("Location", "").strip()
            if not location:
                raise _FetchFailed(
                    f"The server answered {status} (a redirect) without saying where to.",
                    http_status=status,
                )
            return _Redirect(str(url.join(location)))
        if status == 304:
            return FetchResult(
                url=original_url,
                status="not_modified",
                final_url=str(url),
                etag=response.headers.get("ETag") or etag,
                last_modified=response.headers.get("Last-Modified") or last_modified,
                http_status=status,
            )
        if not 200 <= status < 300:
            retry_after = None
            if status in RETRY_AFTER_STATUSES:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise _FetchFailed(
                f"The server answered {_status_words(status)}.",
                http_status=status,
                retry_after_s=retry_after,
            )
        content = self._read_body(url, response, deadline)
        return FetchResult(
            url=original_url,
            status="ok",
            content=content,
            final_url=str(url),
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            http_status=status,
        )

    def _read_body(self, url: httpx.URL, response: httpx.Response, deadline: float) -> bytes:
        limits = self.limits
        too_large = (
            f"The response is larger than {_size(limits.max_bytes)}; termnews stopped reading."
        )
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise _FetchFailed(too_large, http_status=response.status_code)
        body = bytearray()
        watchdog = _Watchdog(response, deadline)
        try:
            # Decoded bytes are counted, so a compressed body cannot expand past the cap.
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limits.max_bytes:
                    raise _FetchFailed(too_large, http_status=response.status_code)
                if time.monotonic() >= deadline:
                    raise _FetchFailed(_too_slow(limits), http_status=response.status_code)
        except httpx.HTTPError as error:
            if watchdog.fired or time.monotonic() >= deadline:
                raise _FetchFailed(_too_slow(limits), http_status=response.status_code) from None
            raise _FetchFailed(
                _transport_sentence(error, url, limits, deadline),
                http_status=response.status_code,
            ) from None
        finally:
            watchdog.disarm()
        return bytes(body)


class _Watchdog:
    """Cut a body off at the deadline even while a read is blocked on a silent server.

    Between chunks the deadline is checked directly; this covers the one read that may be
    waiting when it passes, by shutting the socket down so that read returns at once.
    """

    def __init__(self, response: httpx.Response, deadline: float) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._armed = True
        self._socket = _socket_of(response)
        self._timer: threading.Timer | None = None
        if self._socket is not None:
            self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            # Once disarmed the connection may be back in the pool serving another fetch.
            if not self._armed or self._socket is None:
                return
            self.fired = True
            with suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)

    def disarm(self) -> None:
        with self._lock:
            self._armed = False
        if self._timer is not None:
            self._timer.cancel()


def _socket_of(response: httpx.Response) -> socket.socket | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    try:
        sock = stream.get_extra_info("socket")
    except Exception:  # a transport without sockets (tests, HTTP/2): the chunk checks remain
        return None
    return sock if isinstance(sock, socket.socket) else None


def _checked_url(text: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise _FetchFailed(f"{text!r} is not a web address.") from None
    if url.scheme not in ALLOWED_SCHEMES:
        shown = f"{url.scheme}:" if url.scheme else "no scheme"
        raise _FetchFailed(
            f"{text!r} uses {shown}; termnews fetches only http: and https: addresses."
        )
    if not url.host:
        raise _FetchFailed(f"{text!r} names no host.")
    return url


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


def _time_left(deadline: float, total: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _FetchFailed(f"The fetch took longer than its {_seconds(total)} limit.")
    return remaining


def _too_slow(limits: FetchLimits) -> str:
    return (
        f"The download took longer than its {_seconds(limits.total_timeout_s)} limit; "
        "termnews stopped reading."
    )


def _transport_sentence(
    error: httpx.HTTPError, url: httpx.URL, limits: FetchLimits, deadline: float
) -> str:
    host = url.host
    if time.monotonic() >= deadline:
        return f"The fetch took longer than its {_seconds(limits.total_timeout_s)} limit."
    if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return f"Could not connect to {host} within {_seconds(limits.connect_timeout_s)}."
    if isinstance(error, httpx.ReadTimeout | httpx.WriteTimeout):
        return f"{host} stopped answering for more than {_seconds(limits.read_timeout_s)}."
    if isinstance(error, httpx.ConnectError):
        return f"Could not connect to {host} ({_reason(error)})."
    if isinstance(error, httpx.DecodingError):
        return f"{host} sent a compressed body that could not be decoded."
    if isinstance(error, httpx.RemoteProtocolError):
        return f"{host} broke off or sent a malformed HTTP response ({_reason(error)})."
    return f"Fetching from {host} failed ({_reason(error)})."


def _status_words(status: int) -> str:
    # The standard phrase, not the server's own: that text is untrusted and may be anything.
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _size(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):g} MB"
    return f"{n_bytes / 1024:g} KB"
