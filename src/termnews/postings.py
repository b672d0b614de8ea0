"""Posting lists decoded a whole block at a time into compact arrays, and their BM25F scores.

Whoosh's matchers hand out one posting per Python method call (`id()`, `weight()`, `next()`),
which at 1-2 µs a posting is what made common words slow. A block on disk is one compressed,
pickled tuple (delta-coded ids, weights, values), so reading it whole and undoing the deltas
with `itertools.accumulate` costs 0.7-0.9 µs a posting for the body (most of it zlib and
unpickling the positions stored alongside), once; after that a posting costs tens of
nanoseconds. The result is kept as an `array` (12 bytes a posting), not as a set or dict of
Python objects, so a cache of many terms stays small.

Scores are Whoosh's own BM25F (`whoosh.scoring.bm25`, B=0.75, K1=1.2) with the same inputs:
the index-wide idf and average field length, the stored per-document field length (Whoosh's
one-byte approximation) and the posting weight, which already includes the field boost.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

#: Whoosh's BM25F defaults (`whoosh.scoring.BM25F`), which the searcher ranks with.
B = 0.75
K1 = 1.2
#: How many postings the cache may hold in all (12 bytes each): ~24 MB.
CACHE_POSTINGS = 2_000_000


@dataclass(slots=True)
class TermPostings:
    """One term's live and deleted postings: ascending docnums and each one's weight.

    The weights become BM25F scores (`PostingCache.scored`) the first time the term ranks
    anything: most words a keystroke decodes only decide which stories match (the
    completions of a partial word are ranked by the words before it), and never need them.
    """

    ids: array
    weights: array
    scored: bool = False

    @property
    def scores(self) -> array:
        if not self.scored:
            raise ValueError("not scored yet: use PostingCache.scored")
        return self.weights

    def __len__(self) -> int:
        return len(self.ids)


class PostingCache:
    """Decoded, scored postings per (field, term) for one reader generation, in a bounded LRU."""

    def __init__(self, searcher: Any, budget: int = CACHE_POSTINGS) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self._budget = budget
        self._held = 0
        self._cache: OrderedDict[tuple[str, str], TermPostings] = OrderedDict()
        self._norms: dict[str, list[float]] = {}

    def scored(self, field: str, text: str) -> TermPostings:
        """Like `get`, with `scores` filled in (Whoosh's BM25F for each posting)."""
        found = self.get(field, text)
        if not found.scored:
            searcher = self._searcher
            if searcher.schema[field].scorable and len(found):
                factor = searcher.idf(field, text) * (K1 + 1)
                norm = self._norm(field)
                found.weights = array(
                    "d",
                    [
                        factor * w / (w + norm[d])
                        for d, w in zip(found.ids, found.weights, strict=True)
                    ],
                )
            found.scored = True
        return found

    def peek(self, field: str, text: str) -> TermPostings | None:
        """The term's postings if they are cached; never decodes."""
        return self._cache.get((field, text))

    def get(self, field: str, text: str) -> TermPostings:
        key = (field, text)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        found = self._load(field, text)
        self._remember(key, found)
        return found

    def _remember(self, key: tuple[str, str], found: TermPostings) -> None:
        self._cache[key] = found
        self._held += len(found)
        while self._held > self._budget and len(self._cache) > 1:
            _key, dropped = self._cache.popitem(last=False)
            self._held -= len(dropped)

    def with_values(self, field: str, text: str) -> tuple[TermPostings, dict[int, bytes]]:
        """The term's postings and each docnum's raw value (positions), in one pass.

        Phrases need the values, and reading them with the ids costs one decode, not two;
        the values themselves are not cached (they are most of a posting's size).
        """
        values: dict[int, bytes] = {}
        found = self._load(field, text, values)
        cached = self._cache.get((field, text))
        if cached is None:
            self._remember((field, text), found)
        return (cached if cached is not None else found), values

    def _load(self, field: str, text: str, values: dict[int, bytes] | None = None) -> TermPostings:
        if (field, text) not in self._reader:
            return TermPostings(array("i"), array("d"))
        ids = array("i")
        weights = array("d")
        for leaf, base in self._reader.leaf_readers():
            try:
                matcher = leaf.postings(field, text)
            except TermNotFound:
                continue
            _read_into(matcher, base, ids, weights, values)
        return TermPostings(ids, weights)

    def _norm(self, field: str) -> list[float]:
        """`K1 * (1 - B + B * length / average)` per docnum: BM25's length term, per field."""
        norm = self._norms.get(field)
        if norm is None:
            average = self._searcher.avg_field_length(field) or 1
            by_length = [K1 * ((1 - B) + B * byte_to_length(b) / average) for b in range(256)]
            by_length[0] = K1 * ((1 - B) + B * 1 / average)  # Whoosh's default length is 1
            norm = []
            for leaf, _base in self._reader.leaf_readers():
                norm.extend(map(by_length.__getitem__, _length_bytes(leaf, field)))
            self._norms[field] = norm
        return norm


def _length_bytes(leaf: Any, field: str) -> list[int] | bytes:
    """The one-byte encoded length of `field` in every document of one segment (0: none).

    Whoosh keeps these in a column of one unsigned byte per document, so the whole segment
    is one slice of the file; other codecs are asked one document at a time.
    """
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.columns import NumericColumn

    count = leaf.doc_count_all()
    perdoc = getattr(leaf, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None and perdoc is not None and hasattr(perdoc, "_cached_reader"):
        return bytes(count)  # the field is in no document of this segment
    if type(column) is NumericColumn.Reader and column._typecode == "B":
        stored = min(column._count, count)
        raw = bytes(column._dbfile.get(column._basepos, stored)) if stored else b""
        return raw + bytes([column._default]) * (count - stored)
    from whoosh.util.numeric import length_to_byte

    return [length_to_byte(leaf.doc_field_length(d, field, 0)) for d in range(count)]


def _read_into(
    matcher: Any, base: int, ids: array, weights: array, values: dict[int, bytes] | None
) -> None:
    """Append one segment's postings (deleted documents included) with docnums offset by base.

    With `values`, also map each docnum to its raw posting value.
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if type(matcher) is not W3LeafMatcher:
        while matcher.is_active():
            ids.append(matcher.id() + base)
            weights.append(matcher.weight())
            if values is not None:
                values[matcher.id() + base] = matcher.value()
            matcher.next()
        return
    postfile = matcher._postfile
    while not matcher._atend:
        data = postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            data = zlib.decompress(data)
        block_ids, block_weights, block_values = loads(data)
        count = matcher._blocklength
        start = len(ids)
        if matcher._byteids:
            ids.extend(d + base for d in block_ids)
        else:
            running = accumulate(block_ids, initial=base)
            next(running)  # `initial` itself comes first
            ids.extend(running)
        if values is not None:
            values.update(zip(ids[start:], block_values, strict=True))
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        matcher._next_block()


def values_for(reader: Any, field: str, text: str, wanted: list[int]) -> dict[int, bytes]:
    """Raw posting values of `text` for the wanted docnums (sorted), where it occurs.

    Only blocks that may hold a wanted docnum are decompressed, so the snippets of one page
    cost a block per hit, not the whole posting list.
    """
    found: dict[int, bytes] = {}
    if not wanted or (field, text) not in reader:
        return found
    for leaf, base in reader.leaf_readers():
        lo = bisect_left(wanted, base)
        hi = bisect_left(wanted, base + leaf.doc_count_all())
        if lo == hi:
            continue
        local = [d - base for d in wanted[lo:hi]]
        try:
            matcher = leaf.postings(field, text)
        except TermNotFound:
            continue
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        if type(matcher) is not W3LeafMatcher:
            targets = set(local)
            while matcher.is_active():
                if matcher.id() in targets:
                    found[matcher.id() + base] = matcher.value()
                matcher.next()
            continue
        postfile = matcher._postfile
        floor = -1  # every docnum in the current block is above this
        while not matcher._atend and floor < local[-1]:
            top = matcher._maxid
            if bisect_right(local, top) > bisect_right(local, floor):
                data = postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
                if matcher._compression:
                    data = zlib.decompress(data)
                ids, _weights, values = loads(data)
                targets = set(local)
                for docnum, value in zip(accumulate(ids), values, strict=True):
                    if docnum in targets:
                        found[docnum + base] = value
            floor = top
            matcher._next_block()
    return found
