"""Per-story columns for timelines and facets: each docnum's day, agency, dateline and authors.

A timeline or a facet count looks at every match of a query, not a page of them, so it must
not read stored fields per match: 5,000 stored-field reads cost more than the whole budget.
Instead each generation reads them once into numpy arrays, a value as a small integer id, and
a query's counts are then one `bincount` over its matches.

Reading 20,000 stories' stored fields takes a while, so the columns are read in slices
(`Reader.read`), and the searcher lets a search run between two of them; and what was read
is kept per index segment, which never changes once written, so the generation a sync makes
reads only the segments that sync wrote.

Values are grouped case- and accent-insensitively, as the query language matches them
(`in:Montreal` finds `MONTRÉAL`): a facet shows the spelling most stories use.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any

from termnews.engine import vector
from termnews.engine.schema import AUTHOR_SEPARATOR

#: Up to this many matches, a query's context before the columns are read reads only its
#: own stories (`of_stories`): what `termnews search --stats` of a narrow query pays.
DIRECT_STORIES = 1000
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


#: One story's raw values: its agency, dateline and authors as stored (None when absent).
Row = tuple[str | None, str | None, str | None]
#: How many segments' rows are kept between generations (a sync adds a segment or two).
SEGMENTS_KEPT = 64

_segments: OrderedDict[str, list[Row]] = OrderedDict()
"""Segment id -> its stories' rows. A segment never changes once written (only deletions,
which the match sets apply), so a new generation reads only the segments a sync wrote."""
_segments_lock = threading.Lock()


def _kept(segment_id: str) -> list[Row] | None:
    with _segments_lock:
        rows = _segments.get(segment_id)
        if rows is not None:
            _segments.move_to_end(segment_id)
        return rows


def _keep(segment_id: str, rows: list[Row]) -> None:
    with _segments_lock:
        _segments[segment_id] = rows
        while len(_segments) > SEGMENTS_KEPT:
            _segments.popitem(last=False)


class Reader:
    """Reads a generation's columns slice by slice (`read`), then builds them (`finish`).

    Only segments not read for an earlier generation are read.
    """

    def __init__(self, reader: Any, dates: list[int]) -> None:
        """`dates`: the `published` column (`DocSets.dates`), which the searcher already read."""
        self._dates = dates
        self.size = reader.doc_count_all()
        self._leaves: list[tuple[int, list[Row]]] = []
        """(base docnum, rows) of each segment, in docnum order."""
        self._pending: list[tuple[str, Any, list[Row]]] = []
        """(segment id, leaf reader, rows read so far) of each segment still to read."""
        for leaf, base in reader.leaf_readers() if self.size else []:
            if not leaf.doc_count_all():
                continue
            segment_id = leaf.segment().segment_id()
            rows = _kept(segment_id)
            if rows is None:
                rows = []
                self._pending.append((segment_id, leaf, rows))
            self._leaves.append((base, rows))
        self.read_count = 0
        """Stories whose stored fields this reader read (the rest were kept)."""

    @property
    def done(self) -> bool:
        return not self._pending

    def read(self, count: int = SLICE) -> None:
        """Read the next `count` stories' stored fields (a deleted story reads as empty)."""
        while count > 0 and self._pending:
            segment_id, leaf, rows = self._pending[0]
            size = leaf.doc_count_all()
            stop = min(size, len(rows) + count)
            first = len(rows)
            for local in range(first, stop):
                try:
                    stored = leaf.stored_fields(local)
                except (KeyError, IndexError):
                    stored = {}
                rows.append((stored.get("agency"), stored.get("dateline"), stored.get("authors")))
            count -= stop - first
            self.read_count += stop - first
            if len(rows) >= size:
                self._pending.pop(0)
                _keep(segment_id, rows)

    def read_all(self) -> StoryColumns:
        """Read what is left at once, and build the columns."""
        self.read(self.size)
        return self.finish()

    def finish(self) -> StoryColumns:
        """The columns, once every slice is read."""
        return _built(self.size, self._dates, self._leaves)


def of_stories(reader: Any, dates: list[int], docnums: Any) -> StoryColumns:
    """Columns holding only `docnums`' values (every other story has none): for a few
    matches before the whole columns are read, one stored-field read a match."""
    rows: list[Row] = [(None, None, None)] * reader.doc_count_all()
    for docnum in docnums:
        stored = reader.stored_fields(int(docnum))
        rows[docnum] = (stored.get("agency"), stored.get("dateline"), stored.get("authors"))
    return _built(len(rows), dates, [(0, rows)])


def _built(size: int, dates: list[int], leaves: list[tuple[int, list[Row]]]) -> StoryColumns:
    """The columns from each segment's rows (its base docnum, then a row a story).

    Each distinct spelling is folded (`value_key`) once, not once a story: a value is
    shared by thousands of stories.
    """
    np = vector.load()
    days = np.asarray(dates, dtype=np.int64) // MICROSECONDS_A_DAY
    agency = np.full(size, -1, dtype=np.int32)
    dateline = np.full(size, -1, dtype=np.int32)
    agencies, datelines = _Values(), _Values()
    author_docs: list[int] = []
    author_names: list[str] = []
    for base, rows in leaves:
        if not rows:
            continue
        agency[base : base + len(rows)] = agencies.ids([row[0] for row in rows])
        dateline[base : base + len(rows)] = datelines.ids([row[1] for row in rows])
        for local, row in enumerate(rows):
            if row[2]:
                names = [n for n in row[2].split(AUTHOR_SEPARATOR) if n.strip()]
                author_docs.extend([base + local] * len(names))
                author_names.extend(names)
    authors = _Values()
    author_ids = authors.ids(author_names)
    return StoryColumns(
        days=days,
        agency=agency,
        dateline=dateline,
        author_docs=np.asarray(author_docs, dtype=np.int32),
        author_ids=np.asarray(author_ids, dtype=np.int32),
        values={
            "agency": agencies.spelt(),
            "dateline": datelines.spelt(),
            "authors": authors.spelt(),
        },
    )


class _Values:
    """The distinct values of one field, grouped as the query language matches them."""

    def __init__(self) -> None:
        self._id_of_key: dict[str, int] = {}
        self._id_of_raw: dict[str | None, int] = {None: -1}
        self._spellings: list[Counter[str]] = []

    def ids(self, raw: list[str | None]) -> list[int]:
        """Each raw value's id (-1 for none), counting its spelling."""
        for value, times in Counter(raw).items():
            found = self._id_of_raw.get(value)
            if found is None:
                found = self._id_of_raw[value] = self._id(value)
            if found >= 0:
                assert value is not None
                self._spellings[found][" ".join(value.split())] += times
        id_of = self._id_of_raw
        return [id_of[value] for value in raw]

    def _id(self, value: str | None) -> int:
        if not value or not value.strip():
            return -1
        key = value_key(value)
        found = self._id_of_key.get(key)
        if found is None:
            found = self._id_of_key[key] = len(self._spellings)
            self._spellings.append(Counter())
        return found

    def spelt(self) -> tuple[str, ...]:
        """Each id's value as most of its stories spell it."""
        return tuple(spellings.most_common(1)[0][0] for spellings in self._spellings)
