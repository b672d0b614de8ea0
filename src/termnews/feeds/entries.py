"""Turn a feed's bytes into clean entries: plain text only, whatever the feed sent.

Feeds are untrusted text headed for a terminal. Every string that leaves this module has had
its control characters, NULs and terminal escape sequences removed (an escape in a headline
could clear the screen or retitle the window), and HTML is turned into paragraphs of plain
text. Charset mistakes are common in the wild, so the bytes are decoded here, with a valid
UTF-8 body trusted over a declared single-byte charset, before feedparser sees them.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

UNTITLED = "(untitled)"
TITLE_FALLBACK_WORDS = 10
MAX_LINE_CHARS = 500  # headlines, names and tags; a longer one is cut with an ellipsis


@dataclass(frozen=True)
class FeedEntry:
    """One feed item as plain, cleaned text; `key` identifies it across fetches."""

    key: str
    link: str | None
    title: str
    authors: tuple[str, ...]
    published: datetime | None  # naive, in UTC
    summary: str
    content: str
    tags: tuple[str, ...]

    @property
    def body(self) -> str:
        """The fullest text the feed gave: the content, else the summary."""
        return self.content or self.summary


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: entries plus a `warning` (bozo but usable) or an `error` (unusable)."""

    title: str
    link: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None
    error: str | None = None


# --- cleaning text ------------------------------------------------------------------------------

# Terminal escape sequences, removed whole so their parameters do not stay behind as text. String
# sequences (OSC, DCS, ...) end at their terminator or, if a feed never sends one, at the line's
# end, so one stray escape cannot swallow a whole article.
_ESCAPE_SEQUENCES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?               # CSI, e.g. ESC [ 2 J
    | \x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?  # OSC, DCS, SOS, PM, APC
    | \x1b[ -/]*[0-~]?                       # any other escape
    | \x9b[0-?]*[ -/]*[@-~]?                 # 8-bit CSI
    """,
    re.VERBOSE,
)
# Everything a terminal might act on, bar the newline: C0 and C1 controls, DEL, lone surrogates
# (they cannot be written as UTF-8), bidirectional overrides (they reorder what is shown) and
# stray byte-order marks.
_UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufeff]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n")


def clean_text(text: str) -> str:
    """Remove escape sequences and control characters; keep newlines, tabs become spaces."""
    text = _ESCAPE_SEQUENCES.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = text.replace("\t", " ")
    return _UNSAFE_CHARACTERS.sub("", text)


def clean_line(text: str, max_chars: int = MAX_LINE_CHARS) -> str:
    """Clean text as one line: every run of whitespace becomes one space; long lines are cut."""
    line = " ".join(clean_text(text).split())
    if len(line) > max_chars:
        line = line[: max_chars - 1].rstrip() + "…"
    return line


def clean_paragraphs(text: str) -> str:
    """Clean plain text into paragraphs joined by a blank line, spaces collapsed within lines."""
    paragraphs = []
    for block in _BLANK_LINES.split(clean_text(text)):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


class _TextExtractor(HTMLParser):
    """HTML to plain text: block elements make paragraphs, `<br>` a line break."""

    # fmt: off
    BLOCKS = frozenset({
        "p", "div", "section", "article", "header", "footer", "aside", "main", "nav",
        "blockquote", "pre", "address", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5",
        "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "hr",
        "details", "summary",
    })
    HIDDEN = frozenset({
        "script", "style", "template", "noscript", "head", "title", "svg", "math", "iframe",
        "object",
    })
    # fmt: on

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.HIDDEN:  # a self-closed <script/> hides nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            # Newlines in HTML source are only spaces; real breaks come from the tags.
            self.parts.append(clean_text(data).replace("\n", " "))


def html_to_text(html: str) -> str:
    """Plain-text paragraphs from an HTML fragment, joined by a blank line."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return clean_paragraphs("".join(extractor.parts))


# --- decoding -----------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
_XML_DECLARATION_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[\w.:-]+\2""")


# Servers say Latin-1 or ASCII for Windows-1252 text (curly quotes and all), as browsers assume.
_READ_AS_WINDOWS_1252 = frozenset({"latin-1", "iso8859-1", "ascii"})


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_feed(content: bytes, content_type: str = "") -> str:
    """Decode a feed's bytes to text, forgiving a missing or wrong charset.

    Order: a byte-order mark; a declared UTF-16/32; the body itself if it is valid UTF-8 (a
    legacy single-byte text almost never is, while UTF-8 mislabelled as Latin-1 is common);
    the charset the server or the XML declaration names; Windows-1252, which reads anything.
    """
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content.decode(codec, errors="replace")
    header = _HEADER_CHARSET.search(content_type)
    declaration = _XML_DECLARATION.match(content[:1024])
    declared = _codec_name(header.group(1) if header else None) or _codec_name(
        declaration.group(1).decode("ascii") if declaration else None
    )
    if declared in _READ_AS_WINDOWS_1252:
        declared = "cp1252"
    if declared and declared.startswith(("utf-16", "utf-32")):
        return content.decode(declared, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return content.decode(declared or "cp1252", errors="replace")


def _as_utf8_document(text: str) -> bytes:
    # feedparser re-reads the declaration; it must agree with the bytes it is given.
    text = _XML_DECLARATION_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    return text.encode("utf-8", errors="replace")


# --- parsing ------------------------------------------------------------------------------------


def parse_feed(content: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Parse RSS or Atom bytes fetched from `url`; never raises."""
    try:
        return _parse_feed(content, url, content_type)
    except Exception as error:  # feedparser on hostile input: a sentence, not a traceback
        return ParsedFeed(
            title=_fallback_feed_title(url),
            link=None,
            entries=(),
            error=f"termnews could not read this feed ({clean_line(repr(error), 200)}).",
        )


def _parse_feed(content: bytes, url: str, content_type: str) -> ParsedFeed:
    if not content.strip():
        return ParsedFeed(_fallback_feed_title(url), None, (), error="The feed is empty.")
    text = decode_feed(content, content_type)
    # A file object, never bytes or str: feedparser treats those as a possible file name or URL.
    # No base address either: feedparser would resolve a guid like "tide-1" into a made-up
    # link; links are resolved here instead.
    parsed = feedparser.parse(
        io.BytesIO(_as_utf8_document(text)),
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    feed = parsed.get("feed", {})
    title = _text_field(feed, "title") or _fallback_feed_title(url)
    link = _resolved_link(feed.get("link"), url)
    entries = _unique_entries(_entry(raw, url) for raw in parsed.get("entries", []))
    if not parsed.get("version") and not entries:
        return ParsedFeed(title, link, (), error=_not_a_feed(text, content_type, parsed, url))
    warning = None
    if parsed.get("bozo"):
        reason = clean_line(str(parsed.get("bozo_exception", "")) or "malformed", 200)
        warning = f"The feed is not well-formed ({reason}); termnews read what it could."
    return ParsedFeed(title, link, entries, warning=warning)


def _not_a_feed(text: str, content_type: str, parsed: Any, url: str) -> str:
    head = text[:4096].lower()
    if content_type.lower().startswith("text/html") or "<html" in head or "<!doctype html" in head:
        alternates = [
            link.get("href")
            for link in parsed.get("feed", {}).get("links", [])
            if link.get("rel") == "alternate"
            and "xml" in (link.get("type") or "")
            and link.get("href")
        ]
        hint = _resolved_link(alternates[0], url) if alternates else None
        if hint:
            return f"This address is a web page, not a feed; the page names a feed at {hint}."
        return "This address is a web page, not a feed."
    reason = clean_line(str(parsed.get("bozo_exception", "")), 200)
    return f"This is not an RSS or Atom feed ({reason})." if reason else "This is not a feed."


def _unique_entries(entries: Any) -> tuple[FeedEntry, ...]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.key not in seen:  # a feed repeating an item would write its story twice
            seen.add(entry.key)
            unique.append(entry)
    return tuple(unique)


def _entry(raw: Any, feed_url: str) -> FeedEntry:
    summary = _text_field(raw, "summary", paragraphs=True)
    content = _content(raw)
    raw_title = _text_field(raw, "title")
    title = raw_title or _first_words(content or summary) or UNTITLED
    link = raw.get("link")
    if raw.get("guidislink") and link == raw.get("id") and not web_link(link):
        link = None  # a guid that is no address (RSS says it is one unless told otherwise)
    link = _resolved_link(link, feed_url)
    published = _published(raw)
    raw_id = raw.get("id")
    key = (clean_line(raw_id, 2000) if isinstance(raw_id, str) else "") or link
    if not key:
        stamp = published.isoformat() if published else ""
        # With no title either, the text itself tells two such entries apart.
        basis = f"{raw_title}\n{stamp}" if raw_title or stamp else (content or summary)
        key = "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()
    return FeedEntry(
        key=key,
        link=link,
        title=title,
        authors=_authors(raw),
        published=published,
        summary=summary,
        content=content,
        tags=_tags(raw),
    )


def _is_html(detail: Any) -> bool:
    kind = (detail or {}).get("type") or "text/html"
    return "html" in kind


def _text_field(raw: Any, name: str, *, paragraphs: bool = False) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value:
        return ""
    if _is_html(raw.get(f"{name}_detail")):
        value = html_to_text(value)
    return clean_paragraphs(value) if paragraphs else clean_line(value)


def _content(raw: Any) -> str:
    """The entry's full text (content:encoded, Atom content), preferring an HTML version."""
    parts = [part for part in raw.get("content") or [] if isinstance(part.get("value"), str)]
    parts.sort(key=lambda part: not _is_html(part))
    for part in parts:
        value = part["value"]
        text = html_to_text(value) if _is_html(part) else clean_paragraphs(value)
        if text:
            return text
    return ""


def _first_words(text: str) -> str:
    words = text.split()
    title = " ".join(words[:TITLE_FALLBACK_WORDS])
    return clean_line(title + ("…" if len(words) > TITLE_FALLBACK_WORDS else ""))


def _published(raw: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = raw.get(name)
        if stamp:
            try:
                # feedparser gives UTC; a leap second is read as the second before it.
                return datetime(*stamp[:5], min(stamp[5], 59))
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _authors(raw: Any) -> tuple[str, ...]:
    names = [
        (author.get("name") or author.get("email") or "")
        for author in raw.get("authors") or []
        if isinstance(author, dict)
    ]
    if not any(names) and isinstance(raw.get("author"), str):
        names = [raw["author"]]
    return _unique_lines(names)


def _tags(raw: Any) -> tuple[str, ...]:
    return _unique_lines(
        (tag.get("label") or tag.get("term") or "")
        for tag in raw.get("tags") or []
        if isinstance(tag, dict)
    )


def _unique_lines(values: Any) -> tuple[str, ...]:
    lines: dict[str, None] = {}
    for value in values:
        line = clean_line(value) if isinstance(value, str) else ""
        if line:
            lines.setdefault(line, None)
    return tuple(lines)


def web_link(value: Any) -> str | None:
    """An absolute http(s) link with nothing unsafe in it, else None."""
    if not isinstance(value, str):
        return None
    link = clean_line(value, 4000)
    if " " in link:
        return None
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return link


def _resolved_link(value: Any, base: str) -> str | None:
    """A feed's link made absolute against the feed's own address, if it is a web link."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return web_link(urljoin(base, clean_line(value, 4000)))
    except ValueError:  # urljoin on a malformed address, e.g. an unclosed [IPv6 bracket
        return None


def _fallback_feed_title(url: str) -> str:
    host = urlsplit(url).hostname if isinstance(url, str) else None
    return clean_line(host or "") or UNTITLED
