"""Whole stories by path: the file re-parsed, or the index's copy when the file is gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from termnews.article import Article
from termnews.engine.schema import AUTHOR_SEPARATOR
from termnews.errors import ParseError, StoryNotFoundError


def locate(archive: Path | None, path: str) -> tuple[str, Path | None]:
    """(the index's relative path, the file) for a hit's absolute path or an archive path."""
    candidate = Path(path)
    if candidate.is_absolute():
        if archive is not None:
            try:
                return candidate.relative_to(archive).as_posix(), candidate
            except ValueError:
                pass
        return candidate.as_posix(), candidate
    full = archive.joinpath(*candidate.parts) if archive is not None else None
    return candidate.as_posix(), full


def from_file(full: Path) -> Article | None:
    """The story parsed afresh from its file, or None if it cannot be read or parsed."""
    from termnews.parsing import parse_file

    try:
        return parse_file(full)
    except (ParseError, OSError):
        return None


def docnum_of(searcher: Any, rel: str, path: str) -> int:
    """The docnum of the story at `rel`; StoryNotFoundError (naming `path`) if absent."""
    docnum = searcher.document_number(path=rel)
    if docnum is None:
        raise StoryNotFoundError(f"{path}: not in the index")
    return int(docnum)


def stored_copy(searcher: Any, rel: str, path: str) -> dict[str, Any]:
    """The index's stored fields for `rel`; StoryNotFoundError (naming `path`) if absent."""
    return dict(searcher.reader().stored_fields(docnum_of(searcher, rel, path)))


def from_index(stored: dict[str, Any], shown_path: str) -> Article:
    """The story rebuilt from the index's stored fields, saying that it was."""
    authors = stored.get("authors") or ""
    return Article(
        path=shown_path,
        headline=stored.get("headline") or "",
        authors=tuple(a for a in authors.split(AUTHOR_SEPARATOR) if a),
        agency=stored.get("agency"),
        published=None if stored.get("est") else stored.get("pub"),
        dateline=stored.get("dateline"),
        body=stored.get("body") or "",
        warnings=("the file could not be read; this is the copy in the index",),
    )
