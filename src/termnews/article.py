"""The parsed story record shared by every layer (parser, index, search, browser).

It is a frozen dataclass so that a parsed story can be cached and passed between threads
without anyone mutating it behind another layer's back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The JSON field order of the parsed record (docs/format.md); `termnews parse --json` prints
#: exactly these.
FIELD_NAMES: tuple[str, ...] = (
    "path",
    "headline",
    "authors",
    "agency",
    "published",
    "dateline",
    "summary",
    "caption",
    "photo_credit",
    "body",
    "contributors",
    "notes",
    "site_date",
    "url",
    "warnings",
)


@dataclass(frozen=True, slots=True)
class Article:
    """One wire story, with every part of the wire layout (docs/format.md) separated out.

    Dates are kept as ISO strings (``2024-01-25`` or ``2024-01-25T17:12:00``) because that is
    how they travel through JSON and the index; a missing part is ``None`` or empty, never a
    guess.
    """

    path: str
    headline: str
    authors: tuple[str, ...] = ()
    agency: str | None = None
    published: str | None = None
    dateline: str | None = None
    summary: str | None = None
    caption: str | None = None
    photo_credit: str | None = None
    body: str = ""
    contributors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    site_date: str | None = None
    #: Where the story was fetched from: the file's source line (docs/format.md), else None.
    url: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict in the record's field order, with lists rather than tuples."""
        raw = asdict(self)
        return {
            name: list(raw[name]) if isinstance(raw[name], tuple) else raw[name]
            for name in FIELD_NAMES
        }

    @property
    def paragraphs(self) -> list[str]:
        """The body split into paragraphs, the unit every renderer wraps."""
        return [p for p in self.body.split("\n\n") if p]
