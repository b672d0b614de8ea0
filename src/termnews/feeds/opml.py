"""OPML, the subscription list feed readers import and export: read it safely, write it plainly.

Reading uses expat directly rather than a tree builder, and refuses any document with a
DOCTYPE: OPML never needs one, and a DOCTYPE is where entity tricks live (the "billion
laughs" expansion, external entities that read local files). defusedxml is not a dependency,
so the refusal is ours: expat reports the DOCTYPE before any entity in it can be used.

Folders are outlines without an `xmlUrl`; every folder a feed sits in becomes one of its
tags, outermost first. A feed's own `category` attribute (OPML 2.0: comma-separated
slash-delimited paths, each path read as one tag) adds tags too, which is how `write_opml`
keeps a feed's tags that are not its folder, so an export imports back as it was.

What OPML has no attribute for is written in termnews's own namespace: `termnews:fulltext`
(`auto`, `always` or `never`) on each feed. Other readers ignore it; `read_opml` reads it
whatever prefix a tool that rewrote the file gave it. A feed with no name is written under its
URL (OPML wants a text), and a title equal to the feed's URL reads back as no name, so the
name, and the folder its stories are written to, survive the round trip.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple, Protocol
from xml.parsers import expat
from xml.sax.saxutils import quoteattr

from termnews.errors import TermnewsError
from termnews.state.tags import TagNameError, normalise_tag

#: An OPML file bigger than this is not a subscription list (200 feeds take about 40 KB).
MAX_OPML_BYTES = 8 * 1024 * 1024
#: Folders deeper than this are flattened into the deepest one allowed.
MAX_FOLDER_DEPTH = 16
#: The namespace of the attributes only termnews writes (and the prefix it writes them with).
TERMNEWS_NAMESPACE = "urn:termnews:opml"
TERMNEWS_PREFIX = "termnews"

_NOT_TAG = re.compile(r"[^\w\-./+]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class OpmlError(TermnewsError):
    """An OPML file that cannot be read, or is refused; the message says which and why."""


class OpmlFeed(NamedTuple):
    """One feed outline: its URL as written, its title (or None), its folders and
    categories as tag names (`folder_tag`), outermost first, without repeats, and its
    `termnews:fulltext` as written (lower-cased; None when the file does not say: checking
    it is the caller's job, as for the URL)."""

    url: str
    name: str | None
    folder_tags: tuple[str, ...]
    fulltext: str | None = None


class ExportedFeed(Protocol):
    """What `write_opml` needs of a subscription (`termnews.settings.FeedSubscription`)."""

    @property
    def url(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def fulltext(self) -> str: ...


def as_tag(text: str) -> str | None:
    """A folder title or category as a tag: as it is if it already is one (so what
    `write_opml` wrote reads back unchanged), else made into one (`folder_tag`)."""
    try:
        return normalise_tag(text)
    except TagNameError:
        return folder_tag(text)


def folder_tag(title: str) -> str | None:
    """A folder title as a tag `tag:NAME` finds: "World News" -> "world-news"; None if
    nothing of it is left (a title of punctuation only)."""
    text = unicodedata.normalize("NFKC", title).strip().casefold()
    text = _NOT_TAG.sub("-", text).strip("-./+_")
    return text[:64].rstrip("-./+_") or None


def read_opml(data: bytes) -> list[OpmlFeed]:
    """Every feed outline in document order; OpmlError for a file that is not OPML we accept.

    Outlines that are neither feeds nor folders (an outline with only text) are skipped.
    URLs are returned as written: checking them is the caller's job, so it can count them.
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"the file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MB")
    reader = _OutlineReader()
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = reader.refuse_doctype
    parser.EntityDeclHandler = reader.refuse_entity
    parser.ExternalEntityRefHandler = reader.refuse_external
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        line = getattr(error, "lineno", None)
        raise OpmlError(
            f"not well-formed XML at line {line}: {expat.ErrorString(error.code)}"
        ) from None
    if not reader.saw_opml:
        raise OpmlError("this is XML but not OPML (no <opml> element)")
    return reader.feeds


class _OutlineReader:
    """expat callbacks: the outline nesting as a stack of folder tags."""

    def __init__(self) -> None:
        self.feeds: list[OpmlFeed] = []
        self.saw_opml = False
        # One entry per open <outline>: the folder tags it adds for what is inside it.
        self._stack: list[tuple[str, ...]] = []

    def refuse_doctype(self, *_: object) -> None:
        raise OpmlError(
            "the file has a DOCTYPE, which OPML never needs and which can hide entity "
            "expansion attacks; it was refused (remove the <!DOCTYPE …> line to import it)"
        )

    def refuse_entity(self, *_: object) -> None:
        raise OpmlError("the file declares XML entities; it was refused")

    def refuse_external(self, *_: object) -> int:
        raise OpmlError("the file refers to an external entity; it was refused")

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        local = tag.rpartition(":")[2].lower()
        if local == "opml":
            self.saw_opml = True
            return
        if local != "outline":
            return
        inherited = self._stack[-1] if self._stack else ()
        title = _clean(attributes.get("title") or attributes.get("text") or "")
        # Exporters disagree on the case: xmlUrl (the spec), xmlurl, xmlURL.
        url = _clean(next((v for k, v in attributes.items() if k.lower() == "xmlurl"), ""))
        if url:
            tags = [*inherited, *_categories(attributes.get("category", ""))]
            fulltext = _clean(_local_attribute(attributes, "fulltext") or "").lower() or None
            name = title if title and title != url else None  # see the module's docstring
            self.feeds.append(OpmlFeed(url, name, tuple(dict.fromkeys(tags)), fulltext))
            self._stack.append(inherited)
            return
        folder = as_tag(title) if title else None
        if folder and len(inherited) < MAX_FOLDER_DEPTH and folder not in inherited:
            self._stack.append((*inherited, folder))
        else:
            self._stack.append(inherited)

    def end(self, tag: str) -> None:
        if tag.rpartition(":")[2].lower() == "outline" and self._stack:
            self._stack.pop()


def _local_attribute(attributes: dict[str, str], local: str) -> str | None:
    """A prefixed attribute by its local name (`termnews:fulltext`, `tn:fulltext`): the
    reader does not process namespaces, so a tool that renamed the prefix is still read."""
    for key, value in attributes.items():
        prefix, _colon, name = key.rpartition(":")
        if prefix and prefix.lower() != "xmlns" and name.lower() == local:
            return value
    return None


def _categories(text: str) -> list[str]:
    """OPML 2.0 categories, comma-separated: "/World/Europe,/shipping" -> "world/europe",
    "shipping". A whole path is one tag, since a tag may hold "/" and a path is how one
    reads back."""
    tags: list[str] = []
    for path in text.split(","):
        path = _clean(path).removeprefix("/")
        tag = as_tag(path) if path else None
        if tag:
            tags.append(tag)
    return tags


def _clean(text: str) -> str:
    """Attribute text on one line, without control characters (so no terminal escapes)."""
    return " ".join(_CONTROL.sub(" ", text).split())


def write_opml(feeds: Iterable[ExportedFeed], title: str = "termnews subscriptions") -> bytes:
    """An OPML 2.0 document of `feeds`: each in a folder named after its first tag (what
    other readers show), with all its tags in `category` and its fulltext setting in
    `termnews:fulltext`, so `read_opml` gives them back."""
    folders: dict[str, list[ExportedFeed]] = {}
    loose: list[ExportedFeed] = []
    for feed in feeds:
        if feed.tags:
            folders.setdefault(feed.tags[0], []).append(feed)
        else:
            loose.append(feed)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<opml version="2.0" xmlns:{TERMNEWS_PREFIX}={_attr(TERMNEWS_NAMESPACE)}>',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    for folder, inside in folders.items():
        lines.append(f"    <outline text={_attr(folder)} title={_attr(folder)}>")
        lines.extend(_feed_line(feed, "      ") for feed in inside)
        lines.append("    </outline>")
    lines.extend(_feed_line(feed, "    ") for feed in loose)
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


def _feed_line(feed: ExportedFeed, indent: str) -> str:
    name = feed.name or feed.url
    parts = [f"text={_attr(name)}", f"title={_attr(name)}", 'type="rss"']
    parts.append(f"xmlUrl={_attr(feed.url)}")
    if feed.tags:
        parts.append(f"category={_attr(','.join('/' + tag for tag in feed.tags))}")
    parts.append(f"{TERMNEWS_PREFIX}:fulltext={_attr(feed.fulltext)}")
    return f"{indent}<outline {' '.join(parts)}/>"


def _attr(text: str) -> str:
    """A quoted attribute value: &, <, > and quotes escaped, on one line."""
    return quoteattr(_clean(text))


def _text(text: str) -> str:
    return _attr(text)[1:-1]
