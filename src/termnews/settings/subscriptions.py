"""What a feed subscription may say: its URL, its tags, how often to fetch, fulltext or not.

The reader (which turns a bad value into a problem) and the writer and the CLI (which refuse
it) share these checks, so a person sees the same sentence from either.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from termnews.errors import TermnewsError
from termnews.state.tags import normalise_tag

FULLTEXT_CHOICES = ("auto", "always", "never")
_EVERY = re.compile(r"\s*(?P<count>\d+)\s*(?P<unit>s|m|h|d)\s*", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DEFAULT_PORTS = {"http": 80, "https": 443}


class FeedSettingError(TermnewsError):
    """A feed URL, tag, fulltext choice or interval that cannot be used; says why."""


def check_feed_url(url: str) -> str:
    """The URL trimmed, if it is an http or https address with a host; else FeedSettingError.

    Only the web: a `file:` or `ftp:` feed would let a config file read local files into the
    archive, and a URL without a host cannot be fetched at all.
    """
    text = url.strip()
    if not text:
        raise FeedSettingError("a feed needs a URL")
    if any(ord(char) < 32 or char.isspace() for char in text):
        raise FeedSettingError(f"{text!r} is not a feed URL: it has spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise FeedSettingError(f"{text!r} is not a feed URL: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{parts.scheme}:'" if parts.scheme else "no scheme"
        raise FeedSettingError(
            f"{text!r} is not a feed URL: it has {shown}; give an http:// or https:// address"
        )
    if not parts.hostname:
        raise FeedSettingError(f"{text!r} is not a feed URL: it names no host")
    del port  # read only so that a port that is not a number is refused above
    return text


def feed_url_key(url: str) -> str:
    """The URL as compared for duplicates: scheme and host in lowercase, no default port or
    fragment, so `HTTPS://Example.org:443/rss#top` and `https://example.org/rss` are one feed.

    Never raises: text that is no URL (a feed's name, a broken entry) is its own key.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = f"{parts.netloc.rpartition('@')[0]}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def check_feed_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Each tag as `tag:NAME` finds it (see `termnews.state.tags`), in order, without repeats."""
    found: list[str] = []
    for tag in tags:
        name = normalise_tag(tag)  # TagNameError is a TermnewsError with the reason
        if name not in found:
            found.append(name)
    return tuple(found)


def check_fulltext(value: str) -> str:
    if value not in FULLTEXT_CHOICES:
        raise FeedSettingError(
            f"fulltext must be one of {', '.join(map(repr, FULLTEXT_CHOICES))}, not {value!r}"
        )
    return value


def every_seconds(text: str) -> int:
    """`30m` -> 1800: a whole number of s, m, h or d, at least a minute; else FeedSettingError.

    Under a minute would hammer the sites a person subscribes to.
    """
    found = _EVERY.fullmatch(text)
    if not found:
        raise FeedSettingError(
            f'every must be a number and a unit, such as "30m", "2h" or "1d", not {text!r}'
        )
    seconds = int(found["count"]) * _UNIT_SECONDS[found["unit"].lower()]
    if seconds < 60:
        raise FeedSettingError(f"every must be at least a minute, not {text!r}")
    return seconds
