"""A web page's article text, extracted by trafilatura in a worker process with a hard timeout.

trafilatura (and lxml under it) can spin for minutes on a pathological page, and no in-process
timeout can stop C code, so extraction runs in a separate process that is killed when a page
takes too long. `FullTextExtractor` keeps one worker alive across pages, because starting a
Python process and importing trafilatura costs far more than extracting one article; after a
timeout or a crash the next page starts a fresh worker.

The page's bytes are decoded here, before the worker sees them: a byte-order mark first, then
the HTTP charset, then `<meta charset>` / `http-equiv` (or an XML declaration), then UTF-8 if
the bytes are valid UTF-8, else windows-1252. trafilatura gets a `str`, so its own guessing
never overrides what the page declares.

Workers are started with the "spawn" method: forking a process whose other threads hold locks
(feeds are fetched from threads) can leave the child deadlocked. A spawned worker re-imports
the program's main module, so a script using this must keep its work under
`if __name__ == "__main__":` (termnews's entry points do).

trafilatura keeps an article's <h1> as its first paragraph; that is dropped here when it is
the page's headline, since the story file carries the headline on its own line.
"""

from __future__ import annotations

import codecs
import contextlib
import html as html_entities
import importlib
import itertools
import logging
import multiprocessing
import re
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: How long a new worker may take to start and import trafilatura before it counts as broken.
#: Generous: on a loaded machine the import alone can take seconds.
DEFAULT_START_TIMEOUT_S = 60.0
#: The worker's address-space limit. It idles at about 64 MB of address space, and the largest
#: page allowed (`DEFAULT_MAX_BYTES`) parses in far less than this; a page that needs more is
#: a decompression bomb or worse, and gets None instead of taking the machine's memory.
DEFAULT_MAX_MEMORY_BYTES = 1024 * 1024 * 1024
#: The function a worker runs on each page, as "module:function"; it takes the decoded page and
#: its URL and returns plain text (paragraphs on their own lines) or None. Tests point this at
#: their own functions, since nothing patched in this process reaches the worker.
DEFAULT_TARGET = "termnews.feeds.fulltext:extract_with_trafilatura"

log = logging.getLogger(__name__)

# -- decoding -----------------------------------------------------------------------------------

#: How far into the page to look for a charset declaration. Browsers look at the first 1024
#: bytes; real pages often put scripts and styles before their <meta>, so look further.
_PRESCAN_BYTES = 8192
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf_8"),
    (codecs.BOM_UTF16_LE, "utf_16_le"),
    (codecs.BOM_UTF16_BE, "utf_16_be"),
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_XML_DECLARATION_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
#: lxml refuses a `str` that still carries an XML declaration naming an encoding.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: Labels that the web treats as another encoding (WHATWG Encoding Standard): a page that says
#: latin-1 or ASCII is read as windows-1252 by every browser, and written for them.
_WEB_ALIASES = {
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}
#: A page cannot describe its own bytes as UTF-16 or UTF-32 in ASCII; such a declaration comes
#: from a page that was re-encoded (to UTF-8, nearly always) after it was written.
_WIDE_ENCODINGS = frozenset(
    {"utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"}
)
#: Text codecs that are Python's, not the web's: a page naming one is ignored.
_NOT_PAGE_ENCODINGS = frozenset(
    {"unicode_escape", "raw_unicode_escape", "idna", "punycode", "utf_7", "undefined"}
)
#: Single-byte encodings for which valid UTF-8 with non-ASCII bytes is taken to be UTF-8 after
#: all: pages that declare latin-1 but were saved as UTF-8 are common, and text in these
#: encodings almost never forms valid UTF-8 by accident.
_LEGACY_SINGLE_BYTE = frozenset({"cp1250", "cp1251", "cp1252", "cp1254", "iso8859_2", "iso8859_15"})

# C0 and C1 controls other than tab, newline and carriage return: lxml rejects some of them,
# and none belong in a page's text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What binary decodes to and text does not: C0 controls (bar tab, line ends, form feed) and
# replacement characters. A page with more than this share of them is not a web page.
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
_MAX_JUNK_SHARE = 0.02
_TAG = re.compile(r"<[A-Za-z!/?]")


def page_text(content: bytes, content_type: str = "") -> str | None:
    """The page decoded (see `decode_html`) with controls removed; None if it is not HTML."""
    text = decode_html(content, content_type)
    return _CONTROLS.sub("", text) if looks_like_html(text) else None


def decode_html(content: bytes, content_type: str = "") -> str:
    """The page's text, decoded by what it says its encoding is; never raises.

    A multi-byte character cut off at the end (the page was truncated) is dropped rather than
    turned into a replacement character. A leading XML declaration is removed, since lxml
    refuses a `str` that names an encoding.
    """
    encoding, bom_length = _declared_encoding(content, content_type)
    body = content[bom_length:]
    if encoding is None:
        encoding = "utf_8" if _is_utf8(body) else "cp1252"
    elif encoding in _LEGACY_SINGLE_BYTE and not body.isascii() and _is_utf8(body):
        encoding = "utf_8"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    # final=False keeps back an incomplete trailing sequence instead of replacing it.
    return _XML_DECLARATION.sub("", decoder.decode(body, final=False), count=1)


def _declared_encoding(content: bytes, content_type: str) -> tuple[str | None, int]:
    """The encoding the page declares (normalised Python codec name) and its BOM's length."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return encoding, len(bom)
    header = _HEADER_CHARSET.search(content_type)
    if header and (encoding := _codec_name(header.group(1).encode("ascii", "ignore"))):
        return encoding, 0
    head = content[:_PRESCAN_BYTES]
    for pattern in (_META_CHARSET, _XML_DECLARATION_ENCODING):
        found = pattern.search(head)
        if found and (encoding := _codec_name(found.group(1))):
            return ("utf_8" if encoding in _WIDE_ENCODINGS else encoding), 0
    return None, 0


def _codec_name(label: bytes) -> str | None:
    """Python's codec for an encoding label, as a browser would read it; None if unknown.

    Only text encodings: Python also has codecs named "zlib", "base64" or "rot13", which no
    page may choose for itself.
    """
    try:
        name = codecs.lookup(label.decode("ascii").strip()).name
        "a".encode(name)  # LookupError for the bytes-to-bytes and str-to-str codecs
    except (LookupError, UnicodeError, ValueError):
        return None
    name = name.replace("-", "_")
    if name in _NOT_PAGE_ENCODINGS:
        return None
    if name == "utf_8_sig":
        return "utf_8"
    return _WEB_ALIASES.get(name, name)


def _is_utf8(body: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        return False
    return True


def looks_like_html(text: str) -> bool:
    """False for decoded binary (images, PDFs, random bytes) and for text with no markup."""
    sample = text[:65536]
    if not _TAG.search(sample):
        return False
    return len(_JUNK.findall(sample)) <= _MAX_JUNK_SHARE * len(sample)


# -- the extracted text -------------------------------------------------------------------------

# Terminal escape sequences (CSI, OSC, and two-character ESC forms) and the ESC left over.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?")
_SPACES = re.compile(r"[^\S\n]+")


def tidy_paragraphs(text: str) -> str | None:
    """One paragraph per line in, paragraphs joined by a blank line out; None if nothing left.

    Whitespace inside a paragraph is collapsed, and controls and terminal escape sequences are
    removed, since the text ends up in a story file shown in a terminal.
    """
    text = _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    paragraphs = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    joined = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    return joined or None


# A page's own names for its headline. Each match is bounded, so a page full of unclosed
# <title> tags costs a bounded scan per tag, not one to the end of the page.
_HEADLINE_PLACES = (
    re.compile(r"<title\b[^>]*>(.{0,1000}?)</title>", re.IGNORECASE | re.DOTALL),
    re.compile(r"<h1\b[^>]*>(.{0,1000}?)</h1>", re.IGNORECASE | re.DOTALL),
    re.compile(
        r"""<meta\b[^>]{0,200}?\bproperty\s*=\s*["']og:title["'][^>]{0,200}?"""
        r"""\bcontent\s*=\s*(?:"([^"]{0,1000})"|'([^']{0,1000})')""",
        re.IGNORECASE,
    ),
)
_INNER_TAGS = re.compile(r"<[^>]*>")
# What separates a headline from the site's name in a <title>: "Headline | Gazette".
_TITLE_SEPARATORS = "|-–—:·•"


def without_headline(text: str, html: str) -> str | None:
    """The text without its first paragraph when that is the page's headline; None if empty.

    trafilatura keeps an article's <h1>, and the story file has its headline already.
    """
    first, _, rest = text.partition("\n\n")
    first_key = _comparable(first)
    for headline in _page_headlines(html):
        if headline == first_key or (
            headline.startswith(first_key + " ")
            and headline[len(first_key) + 1 : len(first_key) + 2] in _TITLE_SEPARATORS
        ):
            return rest or None
    return text


def _page_headlines(html: str) -> set[str]:
    head = html[:262144]
    found = set()
    for pattern in _HEADLINE_PLACES:
        for match in itertools.islice(pattern.finditer(head), 3):
            headline = match.group(match.lastindex or 1) or ""
            found.add(_comparable(html_entities.unescape(_INNER_TAGS.sub(" ", headline))))
    found.discard("")
    return found


def _comparable(text: str) -> str:
    return " ".join(text.split()).casefold()


def extract_with_trafilatura(html: str, url: str) -> str | None:
    """The worker's default target: trafilatura's main text, one paragraph per line.

    Precision over recall: a story file with a stray "related stories" line is worse than one
    missing a borderline paragraph. Comments, tables, images and links are left out.
    """
    import trafilatura  # only ever in the worker: it takes a while to import

    return trafilatura.extract(
        html,
        url=url or None,
        output_format="txt",
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=False,
    )


# -- the worker process -------------------------------------------------------------------------


def _resolve_target(target: str) -> Callable[[str, str], str | None]:
    module_name, _, function_name = target.partition(":")
    if not module_name or not function_name:
        raise ValueError(f"extraction target {target!r} is not 'module:function'")
    function = getattr(importlib.import_module(module_name), function_name)
    if not callable(function):
        raise TypeError(f"extraction target {target!r} is not callable")
    return function


def _limit_memory(max_bytes: int | None) -> None:
    """Cap the worker's address space, where the platform can (not on Windows)."""
    try:
        import resource
    except ImportError:
        return
    if max_bytes is not None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _serve(connection: Connection, target: str, max_memory_bytes: int | None) -> None:
    """The worker's loop: one (html, url) in, one ("ok", text | None) or ("error", why) out.

    Sends ("ready", None) once trafilatura is imported, so that import is never charged to a
    page's timeout, or ("broken", why) if the worker cannot work at all.
    """
    # Ctrl-C reaches the whole process group; the parent decides what happens to the worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(max_memory_bytes)
    # trafilatura logs every page it finds too short; the parent only wants the text or None.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        function = _resolve_target(target)
        importlib.import_module("trafilatura")
    except Exception as error:
        connection.send(("broken", f"{type(error).__name__}: {error}"))
        return
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        html, url = job
        try:
            result = function(html, url)
        except Exception as error:
            connection.send(("error", f"{type(error).__name__}: {error}"))
        else:
            connection.send(("ok", result if isinstance(result, str) else None))


@dataclass
class _Worker:
    process: Any  # multiprocessing's SpawnProcess; its type is not exported
    connection: Connection

    def stop(self, grace_s: float) -> None:
        """Ask the worker to leave, and kill it if it has not within `grace_s`."""
        if grace_s > 0:
            with contextlib.suppress(OSError, ValueError):
                self.connection.send(None)
            self.process.join(grace_s)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()
        self.process.close()


class FullTextExtractor:
    """Extracts article text from web pages in one long-lived worker process.

    Use as a context manager (or call `close`). The worker starts on the first page, not here,
    so an extractor that is never used costs nothing. Thread-safe: pages from several threads
    are extracted one at a time.

    `timeout_s` bounds each page's extraction; a page that takes longer gets None and its
    worker is killed. `max_bytes` cuts the page before decoding. `target` names the function
    the worker runs ("module:function", see `DEFAULT_TARGET`). `max_memory_bytes` caps the
    worker's address space (None: no cap); a page that needs more gets None.
    """

    def __init__(
        self,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_bytes: int = DEFAULT_MAX_BYTES,
        target: str = DEFAULT_TARGET,
        start_timeout_s: float = DEFAULT_START_TIMEOUT_S,
        max_memory_bytes: int | None = DEFAULT_MAX_MEMORY_BYTES,
    ) -> None:
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.target = target
        self.start_timeout_s = start_timeout_s
        self.max_memory_bytes = max_memory_bytes
        #: How many workers were started, and how many pages ran out of time: for reports.
        self.worker_starts = 0
        self.timeouts = 0
        self._problem: str | None = None
        self._worker: _Worker | None = None
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")

    @property
    def problem(self) -> str | None:
        """Why no page can be extracted (the worker could not start), or None."""
        return self._problem

    def __enter__(self) -> FullTextExtractor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker. The extractor can still be used: the next page starts another."""
        with self._lock:
            self._stop_worker(grace_s=2.0)

    def extract_text(self, html: bytes, url: str, *, content_type: str = "") -> str | None:
        """The page's article as paragraphs joined by a blank line, or None; never raises.

        `content_type` is the HTTP Content-Type header, whose charset (if any) is trusted over
        the page's own declaration, as browsers do.
        """
        try:
            text = page_text(html[: self.max_bytes], content_type)
            if text is None:
                return None
            with self._lock:
                extracted = self._run(text, url)
            tidied = tidy_paragraphs(extracted) if extracted else None
            return without_headline(tidied, text) if tidied else None
        except Exception:
            log.exception("full-text extraction failed for %s", url)
            return None

    def _run(self, text: str, url: str) -> str | None:
        worker = self._ready_worker()
        if worker is None:
            return None
        try:
            worker.connection.send((text, url))
        except (OSError, ValueError):
            # The worker died between pages (killed from outside, out of memory): start over.
            self._stop_worker(grace_s=0)
            worker = self._ready_worker()
            if worker is None:
                return None
            worker.connection.send((text, url))
        if not worker.connection.poll(self.timeout_s):
            self.timeouts += 1
            log.info("full-text extraction of %s took over %.1f s", url, self.timeout_s)
            self._stop_worker(grace_s=0)
            return None
        try:
            kind, value = worker.connection.recv()
        except (EOFError, OSError):
            self._stop_worker(grace_s=0)
            return None
        if kind == "error":
            log.info("full-text extraction of %s failed: %s", url, value)
        return value if kind == "ok" else None

    def _ready_worker(self) -> _Worker | None:
        """The running worker, started if need be; None once it proves unable to start."""
        if self._problem is not None:
            return None
        if self._worker is not None and self._worker.process.is_alive():
            return self._worker
        self._stop_worker(grace_s=0)
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve,
            args=(child_end, self.target, self.max_memory_bytes),
            name="termnews-fulltext",
            daemon=True,
        )
        try:
            process.start()
        except Exception as error:  # no processes or descriptors left, or no __main__ guard
            parent_end.close()
            self._problem = f"The full-text worker could not start: {error}."
            return None
        finally:
            child_end.close()
        self.worker_starts += 1
        worker = _Worker(process, parent_end)
        try:
            ready = parent_end.poll(self.start_timeout_s)
            kind, value = parent_end.recv() if ready else ("broken", "it did not start in time")
        except (EOFError, OSError):
            kind, value = "broken", "it exited while starting"
        if kind != "ready":
            self._problem = f"The full-text worker could not start: {value}."
            worker.stop(grace_s=0)
            return None
        self._worker = worker
        return worker

    def _stop_worker(self, grace_s: float) -> None:
        if self._worker is not None:
            worker, self._worker = self._worker, None
            worker.stop(grace_s)


def extract_text(
    html: bytes,
    url: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
    content_type: str = "",
) -> str | None:
    """One page's article text, in a worker started for it; never raises.

    Starting the worker costs more than most extractions: for more than one page, keep a
    `FullTextExtractor`.
    """
    with FullTextExtractor(timeout_s=timeout_s, max_bytes=max_bytes) as extractor:
        return extractor.extract_text(html, url, content_type=content_type)
