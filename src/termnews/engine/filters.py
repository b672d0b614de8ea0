"""State filters (`is:unread`, `is:starred`, `tag:NAME`) answered with one generation's docnums.

The reading state is kept by content identity (`termnews.identity`), outside the engine; the
engine sees it only through `StateView`, a protocol the state store satisfies without the
engine importing it (the state sits beside the front ends, above the engine).

Per generation, the `sid` column is read once into docnum -> identity and its inverse
(one story may be two files, so an identity maps to several docnums). A filter then costs
one pass over the few marked identities, and its docnum set is kept under the snapshot's
`version`: repeated queries cost nothing until someone marks something, and a mark shows
in the very next search, since a new version misses the cache.

`feed:NAME` is a filter of the same kind (it narrows, it never scores) that the index answers
rather than the reading state: the stories whose `feed` term is NAME's folder slug, read once
per generation.

Filters narrow match sets inside the engine (`DocSets`), never a page afterwards, so totals
and paging stay exact. Where Whoosh matches a query (wildcards, fuzzy terms, sloppy
phrases), `bind` swaps each filter for a query over its docnums.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from whoosh import query as wq
from whoosh.matching import ListMatcher

from termnews.engine.query.form import FilterQuery, FilterResolver
from termnews.engine.schema import FEED_FIELD
from termnews.engine.whoosh_adapter import reader_column_values

#: The column the story identity is read from (`engine.schema`).
IDENTITY_COLUMN = "sid"


class StateSnapshot(Protocol):
    """The marks at one moment: `version` changes whenever anyone changes a mark."""

    @property
    def version(self) -> Hashable: ...

    def identities(self, name: str, value: str) -> frozenset[str]:
        """The identities `is:read`, `is:starred` or `tag:NAME` names."""
        ...


class StateView(Protocol):
    """Where the marks come from (`termnews.state.store.StateStore` is one)."""

    def snapshot(self) -> StateSnapshot: ...


class StateFilters:
    """Resolves state filters to the live docnums of one generation (a `FilterResolver`)."""

    def __init__(
        self, reader: Any, live: Callable[[], frozenset[int]], state: StateView | None
    ) -> None:
        """`live`: the generation's live docnums (computed once by `DocSets`)."""
        self._reader = reader
        self._live = live
        self._state = state
        self._identity_of: list[str] | None = None
        self._docnums_of: dict[str, tuple[int, ...]] | None = None
        self._resolved: dict[tuple[str, str], frozenset[int]] = {}
        self._version: Hashable = None
        self._pinned: dict[tuple[str, str], frozenset[int]] | None = None
        self._feeds: dict[str, frozenset[int]] = {}

    def attach(self, state: StateView | None) -> None:
        """Answer from `state` from now on (None: no marks at all)."""
        self._state = state
        self._resolved.clear()
        self._version = None

    # -- the identity column -------------------------------------------------------------

    def identity_of(self) -> list[str]:
        """Each docnum's identity ("" for a deleted story's slot is possible), read once."""
        if self._identity_of is None:
            if not self._reader.doc_count_all():  # an empty index has no columns at all
                self._identity_of = []
            else:
                column = reader_column_values(self._reader, IDENTITY_COLUMN)
                self._identity_of = [raw.decode("ascii") for raw in column]
        return self._identity_of

    def docnums_by_identity(self) -> dict[str, tuple[int, ...]]:
        """identity -> its live docnums (two files of one story share an identity)."""
        if self._docnums_of is None:
            live = self._live()
            grouped: dict[str, tuple[int, ...]] = {}
            for docnum, identity in enumerate(self.identity_of()):
                if identity and docnum in live:
                    grouped[identity] = (*grouped.get(identity, ()), docnum)
            self._docnums_of = grouped
        return self._docnums_of

    def docnums(self, identities: Iterable[str]) -> frozenset[int]:
        """The live docnums of `identities` (those not in this index are skipped)."""
        by_identity = self.docnums_by_identity()
        found: list[int] = []
        for identity in identities:
            found.extend(by_identity.get(identity, ()))
        return frozenset(found)

    def identities(self, docnums: Iterable[int]) -> list[str]:
        """The identities of `docnums`, in their order, each once."""
        identity_of = self.identity_of()
        seen: dict[str, None] = {}
        for docnum in docnums:
            identity = identity_of[docnum]
            if identity:
                seen.setdefault(identity, None)
        return list(seen)

    def all_identities(self) -> frozenset[str]:
        """The identity of every live story."""
        return frozenset(self.docnums_by_identity())

    # -- resolving -----------------------------------------------------------------------

    @contextmanager
    def pinned(self, answers: dict[tuple[str, str], frozenset[int]]) -> Iterator[None]:
        """Within: a filter in `answers` is answered from there, any other resolved and added.

        A result list keeps the answers its search used, and its later pages are ranked
        with them: marking a story read while scrolling `council NOT is:read` must not
        reorder the pages already shown.
        """
        outer, self._pinned = self._pinned, answers
        try:
            yield
        finally:
            self._pinned = outer

    def stories(self, name: str, value: str) -> frozenset[int]:
        """The live docnums `name:value` selects, as of the state's current snapshot (or as
        pinned, see `pinned`)."""
        pinned = self._pinned
        if pinned is None:
            return self._current(name, value)
        found = pinned.get((name, value))
        if found is None:
            found = pinned[name, value] = self._current(name, value)
        return found

    def _current(self, name: str, value: str) -> frozenset[int]:
        """The live docnums `name:value` selects, as of the state's current snapshot.

        Without a state view no story is marked: `is:unread` is every story, the others
        none. An unknown filter matches nothing (the query language never makes one).
        `feed:` is answered by the index, whatever the state.
        """
        if name == FEED_FIELD:
            return self._feed(value)
        state = self._state
        if state is None:
            return self._live() if (name, value) == ("is", "unread") else frozenset()
        snapshot = state.snapshot()
        if snapshot.version != self._version:
            self._resolved.clear()
            self._version = snapshot.version
        key = (name, value)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolve(snapshot, name, value)
            self._resolved[key] = found
        return found

    def _feed(self, slug: str) -> frozenset[int]:
        """The live stories fetched from the feed whose folder is `slug` (none if no such)."""
        found = self._feeds.get(slug)
        if found is None:
            reader = self._reader
            if (FEED_FIELD, slug) in reader:
                found = self._live() & frozenset(reader.postings(FEED_FIELD, slug).all_ids())
            else:
                found = frozenset()
            self._feeds[slug] = found
        return found

    def _resolve(self, snapshot: StateSnapshot, name: str, value: str) -> frozenset[int]:
        if (name, value) == ("is", "unread"):
            read = self._resolved.get(("is", "read"))
            if read is None:
                read = self._resolved["is", "read"] = self._resolve(snapshot, "is", "read")
            return self._live() - read
        try:
            marked = snapshot.identities(name, value)
        except ValueError:
            return frozenset()
        return self.docnums(marked)


# -- Whoosh: a filter as a query over precomputed docnums ---------------------------------


def bind(q: Any, filters: FilterResolver | None) -> Any:
    """`q` with every state filter swapped for a query over the docnums it selects now.

    Only what Whoosh matches itself needs this; `q` is returned as it is when it holds no
    filter (or there is no resolver, so a filter raises `UnsupportedFilter` as it should).
    """
    if filters is None or not _has_filter(q):
        return q
    return _bound(q, filters)


def _has_filter(q: Any) -> bool:
    if isinstance(q, FilterQuery):
        return True
    return not q.is_leaf() and any(_has_filter(child) for child in q.children())


def _bound(q: Any, filters: FilterResolver) -> Any:
    if isinstance(q, FilterQuery):
        return DocnumsQuery(filters.stories(q.name, q.value))
    if q.is_leaf():
        return q
    return q.apply(lambda child: _bound(child, filters))


#: What a filter's story scores under Whoosh. Not 0: Whoosh's array union counts a story as
#: matched only when its summed score is above zero. Far too small to reorder any scores.
FILTER_SCORE = 1e-9


class _FilterScore:
    """A scorer for `ListMatcher`: a filter narrows the matches, it does not rank them."""

    def score(self, _matcher: Any) -> float:
        return FILTER_SCORE

    def supports_block_quality(self) -> bool:
        return False

    def block_quality(self, _matcher: Any) -> float:
        return FILTER_SCORE


_FILTER_SCORER = _FilterScore()


class _DocnumMatcher(ListMatcher):  # type: ignore[misc]
    """A `ListMatcher` that still answers `id()` once exhausted.

    Whoosh's AndNotMatcher asks its positive side for `id()` right after a `skip_to` that
    may have run it out (`(x -y)` where x is a filter); its own posting matchers answer
    with their last posting, a plain ListMatcher raises IndexError.
    """

    def __init__(self, ids: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(ids, *args, **kwargs)
        self.docnums = ids

    def id(self) -> int:
        if self.is_active():
            return int(super().id())
        return int(self.docnums[-1]) if len(self.docnums) else 0


class DocnumsQuery(wq.Query):  # type: ignore[misc]
    """Matches a fixed set of (top-level) docnums, scoring next to nothing (`FILTER_SCORE`).

    Whoosh asks each segment's searcher for a matcher, in that segment's own numbering;
    the segment's offset among its parent's leaves translates.
    """

    def __init__(self, docnums: Iterable[int]) -> None:
        self.docnums = sorted(docnums)
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return type(other) is DocnumsQuery and other.docnums == self.docnums

    def __hash__(self) -> int:
        return hash((DocnumsQuery, len(self.docnums)))

    def __repr__(self) -> str:
        return f"DocnumsQuery(<{len(self.docnums)} stories>)"

    def __str__(self) -> str:
        return repr(self)

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.docnums)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        offset = _offset_of(searcher)
        size = searcher.doc_count_all()
        low = bisect_left(self.docnums, offset)
        high = bisect_left(self.docnums, offset + size)
        local = array("I", (d - offset for d in self.docnums[low:high]))
        return _DocnumMatcher(local, scorer=_FILTER_SCORER)


def _offset_of(searcher: Any) -> int:
    """Where `searcher`'s docnums start in its parent's (0 for a top-level searcher)."""
    if not searcher.has_parent():
        return 0
    for leaf, offset in searcher.get_parent().leaf_searchers():
        if leaf is searcher:
            return int(offset)
    raise LookupError("a sub-searcher its parent does not list")
