"""A feed entry as a wire story on disk: its text, its file name, and writing it safely.

Fetched stories are plain wire-story files like any other (docs/format.md), so the parser,
the index and the browser need nothing new for them. The layout written here is one the
parser reads back exactly:

    Harbourview council backs seawall plan
    By Ana Ruiz and Ben Holt, The Harbourview Beacon
    Published 2024-03-04 17:12 UTC

    First paragraph ...

    Source: https://beacon.example/news/seawall

The byline is written only when the parser reads the same names back from it: a feed's
author field holds anything (`Newsroom`, `jo@example.com (Jo)`), and a line the parser did
not take for a byline would become the story's first paragraph.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

from termnews.errors import ParseError, TermnewsError
from termnews.parsing import parse_bytes
from termnews.parsing.decode import strip_controls
from termnews.parsing.source import SOURCE_LABEL

# The folder-name rule lives in `termnews.slugs` (the engine folds `feed:NAME` with it too);
# named here as well, where a story's path is made.
from termnews.slugs import FALLBACK_SLUG as FALLBACK_SLUG
from termnews.slugs import MAX_SLUG as MAX_SLUG
from termnews.slugs import slugify as slugify

_SPACES = re.compile(r"\s+")
#: Characters a URL may hold as they are; anything else (a space, a non-ASCII letter) is
#: percent-encoded so the source line stays one unbroken address.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


class UnsafeStoryPathError(TermnewsError):
    """A story path that would land outside the archive; the message says which."""


def story_relpath(
    feed_slug: str, published: datetime | None, key: str, headline: str = ""
) -> PurePosixPath:
    """`feeds/<feed>/<YYYY>/<MM>/<headline>-<8 hex of key>.txt`, relative to the archive.

    The hex digits come from the entry's key, so two entries with one headline in one month
    get two files and an entry keeps its file name when its headline is corrected only if the
    caller reuses the path it recorded. An entry with no date goes under `undated/`.
    """
    folder = (
        PurePosixPath(f"{published:%Y}", f"{published:%m}")
        if published is not None
        else PurePosixPath("undated")
    )
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem = slugify(headline) if headline.strip() else "story"
    return PurePosixPath("feeds", slugify(feed_slug), folder, f"{stem}-{digest}.txt")


def story_text(
    *,
    headline: str,
    authors: tuple[str, ...] | list[str],
    published: datetime | None,
    body: str,
    url: str | None,
    site: str,
) -> str:
    """The story as a wire-story file: headline, byline, date, body, source line."""
    title = _one_line(headline) or "Untitled"
    paragraphs = [p for p in (_one_line(p) for p in body.split("\n\n")) if p]
    names = tuple(n for n in (_one_line(a) for a in authors) if n)
    site_name = _one_line(site)
    date_line = f"Published {_utc(published):%Y-%m-%d %H:%M} UTC" if published else None
    source = _source_url(url)
    tail = [f"{SOURCE_LABEL} {source}"] if source else []
    # (byline, the agency the parser must read from it): fullest first, no byline last.
    candidates: list[tuple[str | None, str | None]] = []
    if names:
        joined = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
        if site_name:
            candidates.append((f"By {joined}, {site_name}", site_name))
        candidates.append((f"By {joined}", None))
    elif site_name:
        # A line that is only an outlet stands in for a byline with no names.
        candidates.append((site_name, site_name))
    candidates.append((None, None))
    layouts = []
    for byline, agency in candidates:
        header = [title, *([byline] if byline else []), *([date_line] if date_line else [])]
        text = "\n\n".join(["\n".join(header), *paragraphs, *tail]) + "\n"
        layouts.append((text, agency))
    return _best_layout(layouts, title, names, "\n\n".join(paragraphs))


def _best_layout(
    layouts: list[tuple[str, str | None]], title: str, names: tuple[str, ...], body: str
) -> str:
    """The first layout the parser reads back whole; else the first that keeps the authors.

    A layout naming the outlet counts only if the parser reads the outlet as the agency (a
    feed's title is not always a name it knows for one). The last layout has no byline: the
    answer when no byline comes back as written, or when the story has no authors and a line
    naming the outlet would not be read as one.
    """
    keeping_authors = None
    for text, agency in layouts:
        try:
            article = parse_bytes(text.encode("utf-8"), "story.txt")
        except ParseError:
            continue
        if tuple(article.authors) != names or (agency and article.agency != agency):
            continue
        if article.headline == title and article.body == body:
            return text
        if names and keeping_authors is None:
            keeping_authors = text
    return keeping_authors or layouts[-1][0]


def _one_line(text: str) -> str:
    """`text` on one line, without the characters the parser would strip from it anyway."""
    return _SPACES.sub(" ", strip_controls(text)).strip()


def _utc(moment: datetime) -> datetime:
    """An aware time in UTC; a naive one is taken to be UTC already (as feeds give it)."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def _source_url(url: str | None) -> str | None:
    """`url` fit for the source line, or None when it is no http(s) address with a host."""
    if not url:
        return None
    cleaned = quote(strip_controls(url).strip(), safe=_URL_SAFE)
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return cleaned


def write_story(archive: Path, relpath: PurePosixPath | str, text: str) -> Path:
    """Write `text` at `archive/relpath` atomically; the path written is returned.

    The text goes to a temporary file beside the target and is renamed over it, so a reader
    (the index sync, the browser) never sees half a story. `relpath` must stay inside the
    archive: absolute paths, `..`, and folders that are symbolic links leading out of it are
    refused with `UnsafeStoryPathError` before anything is created outside.
    """
    parts = _safe_parts(relpath)
    archive.mkdir(parents=True, exist_ok=True)
    root = archive.resolve(strict=True)
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        if not folder.exists() and not folder.is_symlink():
            folder.mkdir(exist_ok=True)
        _check_inside(folder, root, relpath)
    target = folder / parts[-1]
    if target.exists() or target.is_symlink():
        _check_inside(target, root, relpath)
    temp = folder / f".{parts[-1]}.{secrets.token_hex(4)}.tmp"
    # O_EXCL: the temporary name is ours alone; 0o644 less the umask, as any saved file.
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def _safe_parts(relpath: PurePosixPath | str) -> tuple[str, ...]:
    path = PurePosixPath(relpath)
    parts = path.parts
    if (
        path.is_absolute()
        or not parts
        or any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts)
    ):
        raise UnsafeStoryPathError(f"{relpath}: a story path must stay inside the archive")
    return parts


def _check_inside(path: Path, root: Path, relpath: PurePosixPath | str) -> None:
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        raise UnsafeStoryPathError(
            f"{relpath}: leads outside the archive (through a symbolic link to {resolved})"
        )
