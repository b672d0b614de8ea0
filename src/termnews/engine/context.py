"""A query's context: when its stories appeared (a timeline) and who filed them from where
(facets), over every match, not only the page on screen.

Both read the generation's columns (`engine.story_columns`), so a query with 5,000 matches
costs one array of its docnums and a few `bincount`s, whatever the stories hold.

The timeline's bucket (day, week, month or year) is chosen from the span of the matches,
so that a burst over a week shows days and ten years of a subject show months or years:
the first that gives at most `MAX_BUCKETS`. Buckets run without gaps from the first match's
to the last's, empty ones included, so a quiet week shows as one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from termnews.engine import vector

if TYPE_CHECKING:
    # Only for the annotations: the browser imports this module's value types at start,
    # and the columns would bring Whoosh in before the first frame.
    from termnews.engine.story_columns import StoryColumns

#: The most buckets a timeline has (a sparkline of an 80-column terminal fits them).
MAX_BUCKETS = 60
#: The bucket sizes tried, finest first.
BUCKETS = ("day", "week", "month", "year")
#: How many values each facet lists.
FACET_TOP = 10
#: `date.toordinal()` of 1970-01-01, minus one: numpy's day 0 in our day numbering.
_EPOCH_DAY = date(1970, 1, 1).toordinal() - 1


@dataclass(frozen=True, slots=True)
class Timeline:
    """How many matches fall in each bucket, from the first match's bucket to the last's."""

    bucket: str
    """"day", "week" (starting on Monday), "month" or "year"."""
    starts: tuple[date, ...]
    """The first day of each bucket."""
    counts: tuple[int, ...]
    first: date | None
    """The earliest and latest publication day among the matches (None when none match)."""
    last: date | None

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class Facet:
    """One value of a field among the matches, and how many matches have it."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    """The most common agencies, datelines and authors among the matches, most first."""

    agencies: tuple[Facet, ...] = ()
    datelines: tuple[Facet, ...] = ()
    authors: tuple[Facet, ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    """A query's timeline and facets, for the query text it was computed for."""

    query: str
    total: int
    timeline: Timeline
    facets: Facets
    elapsed_ms: float = 0.0


def as_array(np: Any, matches: Collection[int]) -> Any:
    """The matches as a sorted int64 array (a set, a list or an array already)."""
    if isinstance(matches, np.ndarray):
        return np.sort(matches.astype(np.int64, copy=False))
    found = np.fromiter(matches, dtype=np.int64, count=len(matches))
    found.sort()
    return found


def timeline(columns: StoryColumns, docnums: Any) -> Timeline:
    """The timeline of `docnums` (a numpy int64 array, see `as_array`)."""
    np = vector.load()
    if not len(docnums):
        return Timeline("day", (), (), None, None)
    days = columns.days[docnums]
    low, high = int(days.min()), int(days.max())
    first, last = date.fromordinal(low + 1), date.fromordinal(high + 1)
    for bucket in BUCKETS:
        keys = _bucket_keys(np, days, bucket)
        low_key, high_key = int(keys.min()), int(keys.max())
        if high_key - low_key + 1 <= MAX_BUCKETS or bucket == BUCKETS[-1]:
            counts = np.bincount(keys - low_key, minlength=high_key - low_key + 1)
            starts = tuple(_bucket_start(bucket, key) for key in range(low_key, high_key + 1))
            return Timeline(bucket, starts, tuple(counts.tolist()), first, last)
    raise AssertionError("the last bucket size always fits")  # pragma: no cover


def _bucket_keys(np: Any, days: Any, bucket: str) -> Any:
    """Each day's bucket as an integer: consecutive buckets have consecutive keys."""
    if bucket == "day":
        return days
    if bucket == "week":
        return days // 7  # day 0 (0001-01-01) was a Monday
    months = (days - _EPOCH_DAY).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months if bucket == "month" else months // 12


def _bucket_start(bucket: str, key: int) -> date:
    if bucket == "day":
        return date.fromordinal(key + 1)
    if bucket == "week":
        return date.fromordinal(key * 7 + 1)
    if bucket == "month":
        return date(1970 + key // 12, key % 12 + 1, 1)
    return date(1970 + key, 1, 1)


def bucket_end(bucket: str, start: date) -> date:
    """The last day of the bucket that begins on `start`."""
    if bucket == "day":
        return start
    if bucket == "week":
        return start + timedelta(days=6)
    if bucket == "month":
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(start.year, 12, 31)


def facets(columns: StoryColumns, docnums: Any, top: int = FACET_TOP) -> Facets:
    """The `top` agencies, datelines and authors of `docnums` (a sorted int64 array)."""
    np = vector.load()
    if not len(docnums):
        return Facets()
    inside = np.zeros(len(columns.agency), dtype=bool)
    inside[docnums] = True
    authors = columns.author_ids[inside[columns.author_docs]]
    return Facets(
        agencies=_top(np, columns.agency[docnums], columns.values["agency"], top),
        datelines=_top(np, columns.dateline[docnums], columns.values["dateline"], top),
        authors=_top(np, authors, columns.values["authors"], top),
    )


def _top(np: Any, ids: Any, values: tuple[str, ...], top: int) -> tuple[Facet, ...]:
    """The `top` most frequent ids (-1, no value, left out) as facets: count, then value."""
    ids = ids[ids >= 0]
    if not len(ids):
        return ()
    counts = np.bincount(ids, minlength=len(values))
    present = np.flatnonzero(counts)
    chosen = sorted(present.tolist(), key=lambda i: (-int(counts[i]), values[i].casefold()))
    return tuple(Facet(values[i], int(counts[i])) for i in chosen[:top])
