"""Exact match sets and date orders, computed with set algebra instead of Whoosh matchers.

Whoosh's matchers walk a union or intersection one document at a time in Python, which is
what makes counting the matches of a common word slow. Here each term's postings are read
once into a frozenset (kept in a small LRU, so the words a person keeps while typing cost
nothing on the next keystroke) and combined with C-speed set operations. Phrases are matched
from the words' packed positions (`termnews.engine.matching.phrases`); anything that needs expansion
(wildcards, fuzzy terms) falls back to Whoosh for that subtree.

Postings are decoded once into arrays (`termnews.engine.storage.postings`) that relevance ranking
(`termnews.engine.ranking`) shares; this module supplies the exact `total` and the full
newest/oldest orders, which only need membership and a date column.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

from whoosh import query as wq

from termnews.engine import vector
from termnews.engine.matching.phrases import PhraseKey, matching_docs, phrase_key
from termnews.engine.storage.postings import PostingCache

#: How many docnums the cached term sets may hold in all (~60 bytes each as a frozenset).
SET_CACHE_MEMBERS = 600_000
#: How many `date:` range sets to keep.
RANGE_CACHE = 8
#: How many docnums the verified phrase sets may hold in all. A quoted phrase is checked in
#: every default field, so one phrase is four entries: a count limit cycles out too soon.
PHRASE_CACHE_MEMBERS = 400_000


class DocSets:
    """Match sets and date orders for one reader generation (make a new one on refresh)."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self.postings = PostingCache(searcher)
        self._terms: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()
        self._held = 0
        self._phrases: OrderedDict[PhraseKey, frozenset[int]] = OrderedDict()
        self._phrase_held = 0
        self._ranges: dict[tuple[Any, ...], frozenset[int]] = {}
        self._live: frozenset[int] | None = None
        self._deleted: frozenset[int] | None = None
        self._dates: list[int] | None = None
        self._orders: dict[bool, list[int]] = {}

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
        cached = self._terms.get(key)
        if cached is not None:
            self._terms.move_to_end(key)
            return cached
        found = frozenset(self.postings.get(field, text).ids)
        if found and self.deleted:
            found -= self.deleted
        self._terms[key] = found
        self._held += len(found)
        while self._held > SET_CACHE_MEMBERS and len(self._terms) > 1:
            _key, dropped = self._terms.popitem(last=False)
            self._held -= len(dropped)
        return found

    @staticmethod
    def is_cheap(q: Any) -> bool:
        """True if `q` is all terms, phrases, boolean operators and ranges.

        Fuzzy and wildcard terms need Whoosh's matchers; for those, one scored pass that
        yields the total too is cheaper than counting and then ranking.
        """
        if isinstance(q, (wq.Term, wq.Every, wq.NumericRange)):
            return True
        if phrase_key(q) is not None:
            return True
        if isinstance(q, (wq.Or, wq.And, wq.AndNot, wq.Not, wq.AndMaybe)):
            return all(DocSets.is_cheap(child) for child in q.children())
        return q is wq.NullQuery or isinstance(q, type(wq.NullQuery))

    def matches(self, q: Any) -> frozenset[int] | set[int]:
        """The exact set of live documents matching `q`."""
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, str(q.text))
        if isinstance(q, wq.Every):
            return self.live
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return frozenset()
        if isinstance(q, wq.Or):
            out: set[int] = set()
            for child in q.subqueries:
                out |= self.matches(child)
            return out
        if isinstance(q, wq.And):
            positives = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            negatives = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
            sets = sorted((self.matches(c) for c in positives), key=len)
            result = set(sets[0]) if sets else set(self.live)
            for other in sets[1:]:
                result &= other
            for negative in negatives:
                result -= self.matches(negative)
            return result
        if isinstance(q, wq.AndNot):
            return set(self.matches(q.a)) - self.matches(q.b)
        if isinstance(q, wq.Not):
            return set(self.live) - self.matches(q.query)
        if isinstance(q, wq.AndMaybe):
            return self.matches(q.a)
        key = phrase_key(q)
        if key is not None:
            return self.phrase(key)
        if isinstance(q, wq.NumericRange) and q.fieldname == "published":
            return self.published_between(q)
        return set(q.docs(self._searcher)) - self.deleted

    def published_between(self, q: Any) -> frozenset[int]:
        """A `date:` range, filtered from the cached date column.

        Whoosh would expand the range into its numeric terms and union their postings (~9 ms
        at 20k stories); one pass over the column is ~1 ms. Ranking asks again for the same
        set (a range scores a constant), so the last few are kept.
        """
        key = (q.start, q.end, q.startexcl, q.endexcl)
        cached = self._ranges.get(key)
        if cached is not None:
            return cached
        low = -math.inf if q.start is None else q.start + (1 if q.startexcl else 0)
        high = math.inf if q.end is None else q.end - (1 if q.endexcl else 0)
        found = frozenset(d for d, v in enumerate(self.dates()) if low <= v <= high)
        if self.deleted:
            found -= self.deleted
        if len(self._ranges) >= RANGE_CACHE:
            self._ranges.pop(next(iter(self._ranges)))
        self._ranges[key] = found
        return found

    def phrase(self, key: PhraseKey) -> frozenset[int]:
        """Stories holding the phrase, found from its words' positions in bulk (`phrases`)."""
        cached = self._phrases.get(key)
        if cached is not None:
            self._phrases.move_to_end(key)
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
        self._phrases[key] = found
        self._phrase_held += len(found)
        while self._phrase_held > PHRASE_CACHE_MEMBERS and len(self._phrases) > 1:
            _key, dropped = self._phrases.popitem(last=False)
            self._phrase_held -= len(dropped)
        return found

    def dates(self) -> list[int]:
        """The sortable `published` value of every docnum, read once from the column."""
        if self._dates is None:
            column = self._reader.column_reader("published", translate=False)
            self._dates = list(column)
        return self._dates

    def by_date(self, docnums: Any, newest: bool) -> list[int]:
        """`docnums` newest (or oldest) first; ties keep docnum order for stable paging.

        A large match set is cheaper to pick out of the cached full order (one C-level set
        lookup per story) than to sort; a small one is sorted by the date column.
        """
        if len(docnums) * 8 >= len(self.live):
            members = docnums if isinstance(docnums, (set, frozenset)) else set(docnums)
            return [d for d in self.everything(newest) if d in members]
        return self._sorted(docnums, newest)

    def everything(self, newest: bool) -> list[int]:
        """Every live story in date order: the empty query, computed once per generation."""
        if newest not in self._orders:
            self._orders[newest] = self._sorted(self.live, newest)
        return self._orders[newest]

    def _sorted(self, docnums: Any, newest: bool) -> list[int]:
        ordered = sorted(docnums)
        ordered.sort(key=self.dates().__getitem__, reverse=newest)  # stable: ties by docnum
        return ordered
