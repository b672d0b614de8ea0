"""Per-story columns for timelines and facets: each docnum's day, agency, dateline and authors.

A timeline or a facet count looks at every match of a query, not a page of them, so it must
not read stored fields per match: 5,000 stored-field reads cost more than the whole budget.
Instead each generation reads them once into numpy arrays, a value as a small integer id, and
a query's counts are then one `bincount` over its matches.

Reading 20,000 stories' stored fields takes a while, so the columns are read in slices
(`Reader.read`), and the searcher lets a search run between two of them.

Values are grouped case- and accent-insensitively, as the query language matches them
(`in:Montreal` finds `MONTRÉAL`): a facet shows the spelling most stories use.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from termnews.engine import vector
from termnews.engine.schema import AUTHOR_SEPARATOR

#: Stories read per slice: one slice holds the searcher's lock for about 10 ms here, so a
#: keystroke's search waits no longer than that for its turn.
SLICE = 256
#: Whoosh's DATETIME columns count microseconds from `datetime.min` (0001-01-01).
MICROSECONDS_A_DAY = 86_400_000_000
#: The stored fields a facet counts, in the order `StoryColumns.values` keeps them.
FACET_FIELDS = ("agency", "dateline", "authors")


def value_key(value: str) -> str:
    """What two spellings of one agency, place or name have in common."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class StoryColumns:
    """One generation's columns (numpy arrays indexed by docnum)."""

    days: Any
    """int64: days since 0001-01-01 of each story's `published` (date.fromordinal(d + 1))."""
    agency: Any
    """int32: the agency's id in `values["agency"]`, or -1 when the story names none."""
    dateline: Any
    """int32: as `agency`, for the dateline."""
    author_docs: Any
    """int32: one entry per (story, author) pair: the story..."""
    author_ids: Any
    """int32: ...and the author's id in `values["authors"]`."""
    values: dict[str, tuple[str, ...]]
    """field -> each id's value, spelt as most stories spell it."""


class Reader:
    """Reads a generation's columns slice by slice (`read`), then builds them (`finish`)."""

    def __init__(self, reader: Any, dates: list[int]) -> None:
        """`dates`: the `published` column (`DocSets.dates`), which the searcher already read."""
        self._reader = reader
        self._dates = dates
        self.size = reader.doc_count_all()
        self.next = 0
        self._ids: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
        self._spellings: dict[str, list[Counter[str]]] = {name: [] for name in FACET_FIELDS}
        self._agency: list[int] = []
        self._dateline: list[int] = []
        self._author_docs: list[int] = []
        self._author_ids: list[int] = []

    @property
    def done(self) -> bool:
        return self.next >= self.size

    def read(self, count: int = SLICE) -> None:
        """Read the next `count` stories' stored fields (a deleted story reads as empty)."""
        stop = min(self.size, self.next + count)
        reader = self._reader
        for docnum in range(self.next, stop):
            try:
                stored = reader.stored_fields(docnum)
            except (KeyError, IndexError):
                stored = {}
            self._agency.append(self._id("agency", stored.get("agency")))
            self._dateline.append(self._id("dateline", stored.get("dateline")))
            for name in (stored.get("authors") or "").split(AUTHOR_SEPARATOR):
                if name.strip():
                    self._author_docs.append(docnum)
                    self._author_ids.append(self._id("authors", name))
        self.next = stop

    def _id(self, field: str, value: str | None) -> int:
        if not value or not value.strip():
            return -1
        value = " ".join(value.split())
        key = value_key(value)
        ids = self._ids[field]
        found = ids.get(key)
        if found is None:
            found = ids[key] = len(ids)
            self._spellings[field].append(Counter())
        self._spellings[field][found][value] += 1
        return found

    def read_all(self) -> StoryColumns:
        """Read what is left at once, and build the columns."""
        self.read(self.size - self.next)
        return self.finish()

    def finish(self) -> StoryColumns:
        """The columns, once every slice is read."""
        np = vector.load()
        days = np.asarray(self._dates, dtype=np.int64) // MICROSECONDS_A_DAY
        values = {
            field: tuple(spellings.most_common(1)[0][0] for spellings in self._spellings[field])
            for field in FACET_FIELDS
        }
        return StoryColumns(
            days=days,
            agency=np.asarray(self._agency, dtype=np.int32),
            dateline=np.asarray(self._dateline, dtype=np.int32),
            author_docs=np.asarray(self._author_docs, dtype=np.int32),
            author_ids=np.asarray(self._author_ids, dtype=np.int32),
            values=values,
        )
