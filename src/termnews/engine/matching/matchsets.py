"""Exact match sets and date orders, computed with set algebra instead of Whoosh matchers.

Whoosh's matchers walk a union or intersection one document at a time in Python, which is
what makes counting the matches of a common word slow. Here each term's postings are read
once into a frozenset (kept in a small LRU, so the words a person keeps while typing cost
nothing on the next keystroke) and combined with C-speed set operations. Queries arrive in
their internal form (`termnews.engine.query.form`). Phrases are matched from the words'
packed positions (`termnews.engine.matching.phrases`); what the form leaves to Whoosh
(`Opaque`: wildcards, fuzzy terms) is matched by Whoosh for that subtree.

Postings are decoded once into arrays (`termnews.engine.storage.postings`) that relevance ranking
(`termnews.engine.ranking`) shares; this module supplies the exact `total` and the full
newest/oldest orders, which only need membership and a date column.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from termnews.engine import vector
from termnews.engine.filters import bind
from termnews.engine.lru import LRU
from termnews.engine.matching.phrases import matching_docs
from termnews.engine.query.form import (
    And,
    AndMaybe,
    AndNot,
    DateRange,
    Every,
    Filter,
    FilterResolver,
    Node,
    Not,
    Nothing,
    Opaque,
    Or,
    Phrase,
    PhraseKey,
    Term,
    UnsupportedFilter,
    as_form,
)
from termnews.engine.storage.postings import PostingCache, TermDirectory, field_lengths

#: How many docnums the cached term sets may hold in all (~60 bytes each as a frozenset).
SET_CACHE_MEMBERS = 600_000
#: How many `date:` range sets to keep.
RANGE_CACHE = 8
#: How many docnums the verified phrase sets may hold in all. A quoted phrase is checked in
#: every default field, so one phrase is four entries: a count limit cycles out too soon.
PHRASE_CACHE_MEMBERS = 400_000


class DocSets:
    """Match sets and date orders for one reader generation (make a new one on refresh)."""

    def __init__(
        self,
        searcher: Any,
        filters: FilterResolver | None = None,
        terms: TermDirectory | None = None,
    ) -> None:
        """`filters` answers state filters (`form.Filter`); without it they raise. `terms`
        finds terms' posting lists and frequencies directly (`PostingCache`)."""
        self._searcher = searcher
        self._reader = searcher.reader()
        self._filters = filters
        self.postings = PostingCache(searcher, terms=terms)
        self._terms: LRU[tuple[str, str], frozenset[int]] = LRU(SET_CACHE_MEMBERS, len)
        self._phrases: LRU[PhraseKey, frozenset[int]] = LRU(PHRASE_CACHE_MEMBERS, len)
        self._ranges: LRU[DateRange, frozenset[int]] = LRU(RANGE_CACHE)
        #: id of a range's set -> (the set, its slice of `_date_keys`), for `by_date`.
        self._range_slices: LRU[int, tuple[frozenset[int], int, int]] = LRU(RANGE_CACHE)
        self._with_field: dict[str, frozenset[int]] = {}
        #: Filter -> (its set, everything else): see `_unfiltered`.
        self._complements: dict[Filter, tuple[Any, frozenset[int]]] = {}
        self._live: frozenset[int] | None = None
        self._deleted: frozenset[int] | None = None
        self._deleted_array: Any = None
        self._dates: list[int] | None = None
        self._orders: dict[bool, list[int]] = {}
        self._order_arrays: dict[bool, Any] = {}
        self._date_keys_cache: tuple[list[int], list[int]] | None = None

    @property
    def live(self) -> frozenset[int]:
        """Every document that is not deleted."""
        if self._live is None:
            self._live = frozenset(self._reader.all_doc_ids())
        return self._live

    @property
    def deleted(self) -> frozenset[int]:
        if self._deleted is None:
            everything = range(self._reader.doc_count_all())
            self._deleted = (
                frozenset(everything) - self.live if self._reader.has_deletions() else frozenset()
            )
        return self._deleted

    def term(self, field: str, text: str) -> frozenset[int]:
        key = (field, text)
        found = self._terms.get(key)
        if found is None:
            found = frozenset(self.postings.get(field, text).ids)
            if found and self.deleted:
                found -= self.deleted
            self._terms.put(key, found)
        return found

    def _union_of_terms(self, np: Any, terms: tuple[Node, ...]) -> vector.ArraySet:
        """The stories holding any of `terms`, marked from their posting arrays.

        A partial word stands for dozens of completions, most of them met only on this
        keystroke: a set of each one's docnums, merged, cost more than the rest of the
        search; flags set from the arrays cost a vector operation a term.
        """
        found = np.zeros(self._reader.doc_count_all(), dtype=bool)
        for term in terms:
            assert isinstance(term, Term)
            ids = self.postings.get(term.field, term.text).ids
            found[np.frombuffer(ids, dtype=np.int32)] = True
        if self.deleted:
            if self._deleted_array is None:
                self._deleted_array = np.fromiter(sorted(self.deleted), dtype=np.int64)
            found[self._deleted_array] = False
        return vector.ArraySet(np.flatnonzero(found))

    @staticmethod
    def is_cheap(q: Node) -> bool:
        """True unless `q` holds a part only Whoosh can match (`Opaque`).

        Fuzzy and wildcard terms need Whoosh's matchers; for those, one scored pass that
        yields the total too is cheaper than counting and then ranking.
        """
        match q:
            case And(children) | Or(children):
                return all(DocSets.is_cheap(child) for child in children)
            case Not(child):
                return DocSets.is_cheap(child)
            case AndNot(first, second) | AndMaybe(first, second):
                return DocSets.is_cheap(first) and DocSets.is_cheap(second)
            case Opaque():
                return False
        return True

    def matches(self, q: Node | Any) -> frozenset[int] | set[int]:
        """The exact set of live documents matching `q` (a Whoosh query is translated first)."""
        return self._matches(as_form(q))

    def _matches(self, q: Node) -> frozenset[int] | set[int]:
        match q:
            case Term(field, text):
                return self.term(field, text)
            case Or(children):
                np = vector.loaded()
                if np is not None and len(children) > 1 and all(type(c) is Term for c in children):
                    return self._union_of_terms(np, children)
                out: set[int] = set()
                for child in children:
                    out |= self._matches(child)
                return out
            case And(children):
                positives = [c for c in children if not isinstance(c, Not)]
                negatives = [c.child for c in children if isinstance(c, Not)]
                sets = sorted((self._matches(c) for c in positives), key=len)
                result = set(sets[0]) if sets else set(self.live)
                for other in sets[1:]:
                    result &= other
                for negative in negatives:
                    result -= self._matches(negative)
                return result
            case Phrase():
                return self.phrase(q.key)
            case DateRange():
                return self.published_between(q)
            case Not(Filter() as state_filter):
                return self._unfiltered(state_filter)
            case Not(child):
                return set(self.live) - self._matches(child)
            case AndNot(positive, negative):
                return set(self._matches(positive)) - self._matches(negative)
            case AndMaybe(required, _optional):
                return self._matches(required)
            case Every(None):
                return self.live
            case Every(field):
                return self.with_field(field)
            case Nothing():
                return frozenset()
            case Filter(name, value):
                if self._filters is None:
                    raise UnsupportedFilter(q)
                return self._filters.stories(name, value)
            case Opaque(query):
                # A filter Whoosh meets inside it is swapped for its docnums (`bind`).
                return set(bind(query, self._filters).docs(self._searcher)) - self.deleted
        raise TypeError(f"not a query form node: {q!r}")

    def _unfiltered(self, node: Filter) -> frozenset[int]:
        """Every story a state filter leaves out (`NOT is:read`), kept while its set is.

        Such a set is most of the archive; ranking asks for it once a search (a NOT scores
        a constant), and copying 20,000 docnums each time cost more than the rest of the
        filter did.
        """
        inside = self._matches(node)
        kept = self._complements.get(node)
        if kept is not None and kept[0] is inside:
            return kept[1]
        outside = self.live - inside
        self._complements[node] = (inside, outside)
        return outside

    def with_field(self, field: str) -> frozenset[int]:
        """Live stories with something in `field`: those whose stored length of it is not 0.

        Whoosh reads the posting list of every term in the field for this; the length
        column answers it in one pass.
        """
        found = self._with_field.get(field)
        if found is None:
            lengths = field_lengths(self._reader, field)
            found = frozenset(d for d, code in enumerate(lengths) if code) - self.deleted
            self._with_field[field] = found
        return found

    def published_between(self, q: DateRange) -> frozenset[int]:
        """A `date:` range, filtered from the cached date column.

        Whoosh would expand the range into its numeric terms and union their postings; two
        bisections of the date-ordered stories cost a fraction of that. Ranking asks again
        for the same set (a range scores a constant), so the last few are kept.
        """
        found = self._ranges.get(q)
        if found is None:
            first, last = self._range_bounds(q)
            found = frozenset(self._date_keys()[0][first:last])
            self._ranges.put(q, found)
            self._range_slices.put(id(found), (found, first, last))
        return found

    def in_date_order(self, q: DateRange, newest: bool) -> list[int]:
        """A `date:` range's stories newest (or oldest) first: `by_date(published_between(q))`.

        A range alone is a slice of the generation's date order, found by two bisections:
        no set of its stories is built and nothing is sorted, where those cost most of a
        range's answer.
        """
        first, last = self._range_bounds(q)
        return self._order_slice(first, last, newest)

    def _range_bounds(self, q: DateRange) -> tuple[int, int]:
        """[first, last) of `q`'s stories in the oldest-first date order (`_date_keys`)."""
        keys = self._date_keys()[1]
        first = 0 if q.start is None else bisect_left(keys, q.start)
        last = len(keys) if q.end is None else bisect_right(keys, q.end, first)
        return first, last

    def _order_slice(self, first: int, last: int, newest: bool) -> list[int]:
        """Positions [first, last) of the oldest-first order, in the order asked for.

        Both orders sort the docnums by date stably (ties by docnum), so the stories of a
        date span are one run in each, the newest-first run mirroring the oldest-first one.
        """
        if not newest:
            return self._date_keys()[0][first:last]
        everything = len(self._date_keys()[0])
        return self.everything(newest=True)[everything - last : everything - first]

    def _date_keys(self) -> tuple[list[int], list[int]]:
        """Live docnums oldest first and their dates: a range is two bisections of these,
        where a pass over the whole date column in Python cost milliseconds per range."""
        if self._date_keys_cache is None:
            order = self.everything(newest=False)
            dates = self.dates()
            self._date_keys_cache = (order, [dates[d] for d in order])
        return self._date_keys_cache

    def phrase(self, key: PhraseKey) -> frozenset[int]:
        """Stories holding the phrase, found from its words' positions in bulk (`phrases`)."""
        cached = self._phrases.get(key)
        if cached is not None:
            return cached
        field, words = key
        if len(words) == 1:
            found = self.term(field, words[0][0])
        else:
            frequency = self._reader.doc_frequency
            rarest_first = sorted(words, key=lambda word_offset: frequency(field, word_offset[0]))
            found = frozenset()
            if frequency(field, rarest_first[0][0]):
                np = vector.load()  # phrases need it: the first pays its import
                word, offset = rarest_first[0]
                streams = [(self.postings.occurrences(field, word, None, np), offset)]
                # The other words are read only in blocks that may hold a story of the rarest.
                wanted = self.postings.get(field, word).ids
                streams += [
                    (self.postings.occurrences(field, word, wanted, np), offset)
                    for word, offset in rarest_first[1:]
                ]
                found = frozenset(matching_docs(streams))
                if found and self.deleted:
                    found -= self.deleted
        self._phrases.put(key, found)
        return found

    def dates(self) -> list[int]:
        """The sortable `published` value of every docnum, read once from the column."""
        if self._dates is None:
            # An index with no stories yet has no columns at all (Whoosh's empty reader).
            if not self._reader.doc_count_all():
                self._dates = []
            else:
                self._dates = list(self._reader.column_reader("published", translate=False))
        return self._dates

    def by_date(self, docnums: Any, newest: bool) -> list[int]:
        """`docnums` newest (or oldest) first; ties keep docnum order for stable paging.

        A large match set is cheaper to pick out of the cached full order (one C-level set
        lookup per story) than to sort; a small one is sorted by the date column.
        """
        sliced = self._range_slices.peek(id(docnums))
        if sliced is not None and sliced[0] is docnums:
            # A `date:` range's own set: its stories are a slice of the date order already.
            return self._order_slice(sliced[1], sliced[2], newest)
        if len(docnums) * 8 >= len(self.live):
            np = vector.loaded()
            if np is not None:  # a mask over the order: C speed, where a set lookup each
                order = self._order_array(np, newest)  # story in Python cost milliseconds
                picked = np.zeros(self._reader.doc_count_all(), dtype=bool)
                picked[np.fromiter(docnums, dtype=np.int64, count=len(docnums))] = True
                return order[picked[order]].tolist()  # type: ignore[no-any-return]
            members = docnums if isinstance(docnums, (set, frozenset)) else set(docnums)
            return [d for d in self.everything(newest) if d in members]
        return self._sorted(docnums, newest)

    def _order_array(self, np: Any, newest: bool) -> Any:
        """`everything(newest)` as a numpy array, made once per generation."""
        found = self._order_arrays.get(newest)
        if found is None:
            found = self._order_arrays[newest] = np.asarray(self.everything(newest), np.int64)
        return found

    def everything(self, newest: bool) -> list[int]:
        """Every live story in date order: the empty query, computed once per generation."""
        if newest not in self._orders:
            self._orders[newest] = self._sorted(self.live, newest)
        return self._orders[newest]

    def _sorted(self, docnums: Any, newest: bool) -> list[int]:
        ordered = sorted(docnums)
        ordered.sort(key=self.dates().__getitem__, reverse=newest)  # stable: ties by docnum
        return ordered
