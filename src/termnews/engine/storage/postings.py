"""Posting lists decoded a whole block at a time into compact arrays, and their BM25F scores.

Whoosh's matchers hand out one posting per Python method call (`id()`, `weight()`, `next()`),
and a Python call per posting is what made common words slow. Our codec (`engine.storage.codec`)
keeps a block's ids and weights as plain arrays, apart from the positions, so a whole posting
list decodes with a few slices a block and one copy; after that a posting costs an array read.
The result is kept as an `array` (12 bytes a posting), not as a set or dict of Python objects,
so a cache of many terms stays small.

Scores are Whoosh's own BM25F (`whoosh.scoring.bm25`, B=0.75, K1=1.2) with the same inputs:
the index-wide idf and average field length, the stored per-document field length (Whoosh's
one-byte approximation) and the posting weight, which already includes the field boost.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from math import log
from typing import Any, Protocol

from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from termnews.engine import vector
from termnews.engine.lru import LRU
from termnews.engine.storage.codec import (
    BlockValues,
    ListValues,
    PackedCodec,
    PackedLeafMatcher,
    read_list,
    split_block,
    stride_of,
    walk_blocks,
)
from termnews.engine.whoosh_adapter import (
    PostingExtent,
    field_length_bytes,
    posting_extent,
    postings_file,
)

#: Whoosh's BM25F defaults (`whoosh.scoring.BM25F`), which the searcher ranks with.
B = 0.75
K1 = 1.2
#: How many postings the cache may hold in all (12 bytes each): ~24 MB.
CACHE_POSTINGS = 2_000_000


@dataclass(frozen=True, slots=True)
class BlockRef:
    """One packed block's place on disk and in the term's whole posting list."""

    postfile: Any
    offset: int
    length: int
    start: int
    count: int
    base: int
    stride: int


@dataclass(frozen=True, slots=True)
class TermPostings:
    """One term's live and deleted postings: ascending docnums and each one's weight.

    Scores are computed from the weights (`PostingCache.scored`) only the first time the
    term ranks anything: most words a keystroke decodes only decide which stories match (the
    completions of a partial word are ranked by the words before it), and never need them.
    """

    ids: array
    weights: array
    refs: list[BlockRef] | None = None
    """Where each block lies (None if any block is not packed): later reads of the term's
    positions or values go straight to the blocks they need, with no walk over headers."""

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class ScoredPostings:
    """A term's postings with each weight turned into its BM25F score.

    Once a term is scored the cache holds this in its place (weights serve only to compute
    scores), so a scored term costs no more memory than an unscored one; a `TermPostings`
    someone still holds keeps its weights.
    """

    ids: array
    scores: array
    refs: list[BlockRef] | None = None

    def __len__(self) -> int:
        return len(self.ids)


#: What the cache holds for a term: its docnums and block places, weighted or scored.
Postings = TermPostings | ScoredPostings


class TermDirectory(Protocol):
    """What the term lists know of a term (`lexicon.Lexicon`), each answer None when they
    have not read the term's field yet."""

    def records(self, field: str, term: str) -> list[tuple[int, int, int]] | None:
        """(segment number, start, end) of the term's posting list in each segment."""

    def frequency(self, field: str, term: str) -> int | None:
        """How many stories hold the term, deleted ones included (Whoosh's count)."""


class PostingCache:
    """Decoded, scored postings per (field, term) for one reader generation, in a bounded LRU."""

    def __init__(
        self, searcher: Any, budget: int = CACHE_POSTINGS, terms: TermDirectory | None = None
    ) -> None:
        """`terms` says where a term's posting lists are and how many stories hold it, when
        the term lists know, instead of Whoosh's hash lookups (two to five a segment)."""
        self._searcher = searcher
        self._reader = searcher.reader()
        self._terms = terms
        self._leaves: list[tuple[Any, int]] | None = None
        self._cache: LRU[tuple[str, str], Postings] = LRU(budget, len)
        self._norms: dict[str, list[float]] = {}
        self._norm_arrays: dict[str, Any] = {}

    def scored(self, field: str, text: str) -> ScoredPostings:
        """Like `get`, with Whoosh's BM25F score for each posting."""
        found = self.get(field, text)
        if isinstance(found, ScoredPostings):
            return found
        scores = found.weights
        if self._searcher.schema[field].scorable and len(found):
            factor = self._factor(field, text)
            norm = self._norm(field)
            scores = array(
                "d",
                [factor * w / (w + norm[d]) for d, w in zip(found.ids, found.weights, strict=True)],
            )
        return self._keep_scored((field, text), found, scores)

    def _keep_scored(
        self, key: tuple[str, str], found: TermPostings, scores: array
    ) -> ScoredPostings:
        scored = ScoredPostings(found.ids, scores, found.refs)
        self._cache.put(key, scored)
        return scored

    def scores_in(self, field: str, text: str, docnums: Iterable[int]) -> list[tuple[int, float]]:
        """(docnum, score) for those of `docnums` the term is in: for a few stories of a long
        posting list, a binary search each beats scoring the whole list."""
        found = self.get(field, text)
        ids = found.ids
        size = len(ids)
        out = []
        if isinstance(found, ScoredPostings) or not self._searcher.schema[field].scorable:
            ready = found.scores if isinstance(found, ScoredPostings) else found.weights
            for d in docnums:
                i = bisect_left(ids, d)
                if i < size and ids[i] == d:
                    out.append((d, ready[i]))
            return out
        weights = found.weights
        factor = self._factor(field, text)
        norm = self._norm(field)
        for d in docnums:
            i = bisect_left(ids, d)
            if i < size and ids[i] == d:
                w = weights[i]
                out.append((d, factor * w / (w + norm[d])))
        return out

    def occurrences(self, field: str, text: str, wanted: Any, np: Any) -> tuple[Any, Any]:
        """(docnum, position) of each occurrence in the blocks that may hold a wanted docnum,
        as two numpy int64 arrays in posting order.

        A term not cached yet is decoded whole, positions included, in one pass (ranking will
        need its postings anyway). For a cached one the docnums come from the cache, so no
        block's ids or weights are decoded again and only positions are read, uncompressed
        on disk, with one read per run of neighbouring blocks.
        """
        key = (field, text)
        if key not in self._cache:
            per_block: list[Any] = []
            found = self._load(field, text, per_block)
            self._cache.put(key, found)
            if not per_block:
                return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
            all_counts = _joined(np, [(code, counts) for code, counts, _posns in per_block])
            all_posns = _joined(np, [(code, posns) for code, _counts, posns in per_block])
            ids = np.frombuffer(found.ids, dtype=np.int32).astype(np.int64)
            return np.repeat(ids, all_counts), all_posns
        found = self.get(field, text)
        ids = np.frombuffer(found.ids, dtype=np.int32)
        counts = np.zeros(len(ids), dtype=np.int64)
        posns = []
        for block in term_blocks(self._reader, field, text, wanted, found):
            block_counts, block_posns = block.values.positions()
            block_counts_np = np.frombuffer(block_counts, dtype=block_counts.typecode)
            if block.ids is None:
                counts[block.start : block.start + len(block_counts)] = block_counts_np
            else:  # not a packed block: find its postings in the cached list
                local = np.frombuffer(block.ids, dtype=np.uint32).astype(np.int64) + block.base
                counts[np.searchsorted(ids, local)] = block_counts_np
            posns.append(np.frombuffer(block_posns, dtype=block_posns.typecode))
        if not posns:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        docnums = np.repeat(ids.astype(np.int64), counts)
        return docnums, np.concatenate(posns).astype(np.int64)

    def scored_arrays(self, field: str, text: str, np: Any) -> tuple[Any, Any]:
        """The term's docnums and BM25F scores as numpy views, scoring the list if need be.

        The arithmetic is `scored`'s, element by element in the same order, so the scores
        are the same floats to the last bit.
        """
        found = self.get(field, text)
        ids = np.frombuffer(found.ids, dtype=np.int32)
        if isinstance(found, TermPostings):
            scores = found.weights
            if self._searcher.schema[field].scorable and len(found):
                norms = self._norm_array(field, np)
                weights = np.frombuffer(found.weights, dtype=np.float64)
                computed = self._factor(field, text) * weights / (weights + norms[ids])
                scores = array("d", computed.tobytes())
            found = self._keep_scored((field, text), found, scores)
        return ids, np.frombuffer(found.scores, dtype=np.float64)

    def _factor(self, field: str, text: str) -> float:
        return self._idf(field, text) * (K1 + 1)

    def _idf(self, field: str, text: str) -> float:
        """Whoosh's idf (`WeightingModel.idf`, the same float), with the document frequency
        from the term lists when they have it rather than from a lookup per segment."""
        frequency = self._terms.frequency(field, text) if self._terms is not None else None
        if frequency is None:
            return float(self._searcher.idf(field, text))
        return log(self._searcher.doc_count_all() / (frequency + 1)) + 1

    def peek(self, field: str, text: str) -> Postings | None:
        """The term's postings if they are cached; never decodes."""
        return self._cache.peek((field, text))

    def get(self, field: str, text: str) -> Postings:
        key = (field, text)
        found = self._cache.get(key)
        if found is not None:
            return found
        found = self._load(field, text)
        self._cache.put(key, found)
        return found

    def _load(self, field: str, text: str, positions: list[Any] | None = None) -> TermPostings:
        """Decode the term's posting lists; with `positions`, also collect each block's
        (typecode, counts, positions) there, for a phrase that needs both (one pass, not two).
        """
        ids = array("i")
        weights = array("d")
        refs: list[BlockRef] | None = []
        start = 0
        stride = stride_of(self._reader.schema[field].format)
        for base, where in self._sources(field, text):
            local, local_weights = array("I"), array("f")
            if isinstance(where, PostingExtent):
                postfile, first, end = where
                plist = read_list(
                    memoryview(postfile.get(first, end - first)), positions is not None
                )
                local.frombytes(plist.ids)
                local_weights.frombytes(plist.weights)
                for at, size, count in plist.places:
                    if refs is not None:
                        refs.append(
                            BlockRef(postfile, first + at, size, start, count, base, stride)
                        )
                    start += count
                if positions is not None:
                    positions.extend(plist.positions)
            else:
                block = _whole_list(where, base, start, None)
                local, local_weights, refs = block.ids, block.weights, None
                start += len(local)
                if positions is not None:
                    counts, posns = block.values.positions()
                    positions.append(("I", counts.tobytes(), posns.tobytes()))
            _append_segment(ids, weights, local, local_weights, base)
        return TermPostings(ids, weights, refs=refs)

    def _sources(self, field: str, text: str) -> Iterator[tuple[int, PostingExtent | Any]]:
        """(base docnum, where its list is) for each segment holding the term: the place of
        a packed list, or else Whoosh's matcher for it."""
        found = self._terms.records(field, text) if self._terms is not None else None
        if found is None:
            for _leaf, matcher, base, _size in _matchers(self._reader, field, text):
                yield (
                    base,
                    (posting_extent(matcher) if type(matcher) is PackedLeafMatcher else matcher),
                )
            return
        if self._leaves is None:
            self._leaves = list(self._reader.leaf_readers())
        for number, start, end in found:
            leaf, base = self._leaves[number]
            if start >= 0 and type(leaf.codec()) is PackedCodec:
                yield base, PostingExtent(postings_file(leaf), start, end)
                continue
            matcher = leaf.postings(field, text)  # inlined, or not our codec: Whoosh reads it
            yield base, (matcher.child if isinstance(matcher, FilterMatcher) else matcher)

    def _norm(self, field: str) -> list[float]:
        """`K1 * (1 - B + B * length / average)` per docnum: BM25's length term, per field."""
        norm = self._norms.get(field)
        if norm is None:
            by_length = self._by_length(field)
            norm = []
            for leaf, _base in self._reader.leaf_readers():
                norm.extend(map(by_length.__getitem__, _length_bytes(leaf, field)))
            self._norms[field] = norm
        return norm

    def _norm_array(self, field: str, np: Any) -> Any:
        """`_norm` as a numpy array, built from the length bytes with one lookup."""
        norm = self._norm_arrays.get(field)
        if norm is None:
            codes = field_lengths(self._reader, field)
            norm = np.array(self._by_length(field))[np.frombuffer(codes, dtype=np.uint8)]
            self._norm_arrays[field] = norm
        return norm

    def _by_length(self, field: str) -> list[float]:
        average = self._searcher.avg_field_length(field) or 1
        by_length = [K1 * ((1 - B) + B * byte_to_length(b) / average) for b in range(256)]
        by_length[0] = K1 * ((1 - B) + B * 1 / average)  # Whoosh's default length is 1
        return by_length


def _joined(np: Any, parts: list[tuple[str, Any]]) -> Any:
    """Typed byte strings as one int64 array: one copy when they share a type (the usual)."""
    codes = {code for code, _data in parts}
    if len(codes) == 1:
        return np.frombuffer(b"".join(data for _code, data in parts), dtype=codes.pop()).astype(
            np.int64
        )
    return np.concatenate([np.frombuffer(data, dtype=code) for code, data in parts]).astype(
        np.int64
    )


def _append_segment(
    ids: array, weights: array, local: array, local_weights: array, base: int
) -> None:
    """Add one segment's postings to a term's arrays: docnums offset by `base`, weights widened.

    With numpy loaded (`engine.vector`) this is a few vector operations; without it, the docnums
    of a segment past the first cost a Python addition each.
    """
    if not local:
        return
    np = vector.loaded()
    if np is not None:
        shifted = np.frombuffer(local, dtype=np.uint32).astype(np.int32) + base
        ids.frombytes(shifted.tobytes())
        weights.frombytes(
            np.frombuffer(local_weights, dtype=np.float32).astype(np.float64).tobytes()
        )
        return
    if base:
        ids.extend(map(base.__add__, local))
    else:
        ids.frombytes(local.tobytes())  # the same width; docnums stay below 2**31
    weights.fromlist(local_weights.tolist())


def field_lengths(reader: Any, field: str) -> bytes:
    """The one-byte encoded length of `field` in every docnum of the reader (0: none)."""
    return b"".join(bytes(_length_bytes(leaf, field)) for leaf, _base in reader.leaf_readers())


def _length_bytes(leaf: Any, field: str) -> list[int] | bytes:
    """The one-byte encoded length of `field` in every document of one segment (0: none).

    Whoosh keeps these in a column of one unsigned byte per document, so the whole segment
    is one slice of the file (`whoosh_adapter.field_length_bytes`); other codecs are asked
    one document at a time.
    """
    column = field_length_bytes(leaf, field)
    if column is not None:
        return column
    from whoosh.util.numeric import length_to_byte

    return [length_to_byte(leaf.doc_field_length(d, field, 0)) for d in range(leaf.doc_count_all())]


@dataclass(slots=True)
class Block:
    """One block of postings: segment-local docnums, weights (None: all 1.0), and values."""

    base: int
    start: int
    """Where the block's first posting sits in the term's whole posting list."""
    count: int
    ids: Any
    """Segment-local docnums; None when read without them (`term_blocks`)."""
    weights: Any
    values: BlockValues | ListValues


def blocks(reader: Any, field: str, text: str, wanted: list[int] | None = None) -> Iterator[Block]:
    """The term's posting blocks in docnum order, deleted documents included.

    With `wanted` (ascending docnums), only blocks that may hold one of them are read. Packed
    blocks (`engine.storage.codec`) decode ids and weights with a copy and leave the values
    encoded until asked; other matchers are read one posting at a time.
    """
    start = 0
    for leaf, matcher, base, size in _matchers(reader, field, text):
        local = None
        if wanted is not None:
            lo = bisect_left(wanted, base)
            hi = bisect_left(wanted, base + leaf.doc_count_all())
            local = [d - base for d in wanted[lo:hi]]
        if local != []:
            if type(matcher) is PackedLeafMatcher:
                yield from _packed_blocks(matcher, base, start, local)
            else:
                yield _whole_list(matcher, base, start, local)
        start += size


def _matchers(reader: Any, field: str, text: str) -> Iterator[tuple[Any, Any, int, int]]:
    """(segment, its matcher for the term, its base docnum, its postings of the term) for
    each segment holding the term; the matcher is unwrapped from Whoosh's deletion filter
    (we filter ourselves)."""
    if (field, text) not in reader:
        return
    for leaf, base in reader.leaf_readers():
        size = leaf.doc_frequency(field, text)
        if not size:
            continue
        try:
            matcher = leaf.postings(field, text)
        except TermNotFound:
            continue
        yield leaf, (matcher.child if isinstance(matcher, FilterMatcher) else matcher), base, size


def _whole_list_bytes(matcher: Any) -> memoryview:
    """A packed matcher's posting list, from its first block to its end, in one read."""
    postfile, first, end = posting_extent(matcher)
    return memoryview(postfile.get(first, end - first))


def _packed_blocks(matcher: Any, base: int, start: int, local: list[int] | None) -> Iterator[Block]:
    stride = stride_of(matcher.format)
    whole = _whole_list_bytes(matcher)
    floor = -1  # every docnum in the current block is above this
    for at, size, count, top in walk_blocks(whole):
        if local is None or bisect_right(local, top) > bisect_right(local, floor):
            yield Block(base, start, count, *split_block(whole[at : at + size], stride))
        if local is not None and top >= local[-1]:
            return
        floor = top
        start += count


def _whole_list(matcher: Any, base: int, start: int, local: list[int] | None) -> Block:
    ids = array("I")
    weights = array("f")
    values: list[bytes] = []
    targets = None if local is None else set(local)
    while matcher.is_active():
        if targets is None or matcher.id() in targets:
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value() or b"")
        matcher.next()
    return Block(base, start, len(ids), ids, weights, ListValues(values, stride_of(matcher.format)))


def term_blocks(
    reader: Any, field: str, text: str, wanted: Any, known: Postings | None
) -> Iterator[Block]:
    """The blocks that may hold a wanted docnum (all, if `wanted` is None), read without their
    ids and weights.

    With the term's postings `known` (cached), the blocks are found from their recorded
    places, so none is visited for nothing; a block's docnums are then
    `known.ids[block.start:]`. Otherwise the posting list is walked, ids included.
    """
    if known is None or known.refs is None:
        yield from blocks(reader, field, text, wanted)
        return
    ids = known.ids
    needed = []
    if wanted is None:
        needed = known.refs
    else:
        size = len(wanted)
        for ref in known.refs:
            i = bisect_left(wanted, ids[ref.start])
            if i < size and wanted[i] <= ids[ref.start + ref.count - 1]:
                needed.append(ref)
    at = 0
    while at < len(needed):
        run = at + 1  # blocks that lie end to end in one file are read with one call
        while (
            run < len(needed)
            and needed[run].postfile is needed[at].postfile
            and needed[run].offset == needed[run - 1].offset + needed[run - 1].length
        ):
            run += 1
        first, last = needed[at], needed[run - 1]
        data = memoryview(
            first.postfile.get(first.offset, last.offset + last.length - first.offset)
        )
        for ref in needed[at:run]:
            offset = ref.offset - first.offset
            _ids, _weights, values = split_block(
                data[offset : offset + ref.length], ref.stride, core=False
            )
            yield Block(ref.base, ref.start, ref.count, None, None, values)
        at = run


def values_for(
    reader: Any, field: str, text: str, wanted: list[int], known: Postings | None = None
) -> dict[int, bytes]:
    """Raw posting values of `text` for the wanted docnums (sorted), where it occurs.

    Only blocks that may hold a wanted docnum are read, so the snippets of one page cost a
    block per hit, not the whole posting list; `known` (the term's cached postings) lets
    them be found without walking the list.
    """
    found: dict[int, bytes] = {}
    if not wanted:
        return found
    targets = set(wanted)
    for block in term_blocks(reader, field, text, wanted, known):
        if block.ids is not None:
            docnums: Any = map(block.base.__add__, block.ids)
        else:
            docnums = known.ids[block.start : block.start + block.count]  # type: ignore[union-attr]
        for i, docnum in enumerate(docnums):
            if docnum in targets:
                found[docnum] = block.values.value(i)
    return found
