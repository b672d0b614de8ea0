"""A segment's postings gathered term by term, for a writer that takes a term's list at once.

Whoosh's `PostingPool` keeps one tuple per posting (field, term, docnum, weight, value),
sorts them all when the segment is written, and past its memory limit pickles sorted runs to
disk and merges them back one posting at a time. For a build of news stories that was half
of the indexing work: a story has a few hundred postings and each went through a tuple, a
pickle, a load and a heap merge. Here a word's postings go straight into the arrays of its
term (docnums, occurrence counts, every occurrence flat), so the only sort is of the distinct
terms, and a run spilled to disk holds one record per term, not per posting. Docnums only
grow while a segment is written, so a term's postings are already in order and runs join by
concatenation.

Postings handed over one at a time (`add`: fields without a fused analyzer, segments merged
in) are kept as Whoosh keeps them and sorted as Whoosh sorts them; a term with any of those,
or postings out of docnum order, is written from tuples sorted the same way. What a writer
reads back is what Whoosh's pool would give, term by term (`tests/test_term_pool.py`).
"""

from __future__ import annotations

import heapq
import pickle
import uuid
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from termnews.engine.storage.fused import OccurrenceRows

#: Bytes counted for a term first seen in a run: its dict entry, key and three arrays.
TERM_COST = 400
#: Occurrences a field holds as columns before they are folded into its words' arrays: the
#: fold's sort and copies need several times the columns' 20 bytes a row for a moment, and
#: a word's arrays hold an occurrence in about 14.
FOLD_ROWS = 1 << 18
#: Bytes counted for one posting added one at a time (Whoosh's pool counts about as much).
POSTING_COST = 150

#: A posting as Whoosh's pool holds it: field, term (UTF-8), docnum, weight, value.
Posting = tuple[str, bytes, int, float, "bytes | None"]


@dataclass(slots=True)
class TermList:
    """One term's whole posting list, in docnum order, as the field writer takes it.

    Either `values` holds each posting's value (b"" for none), or `occurrences` holds the
    packed form of every value at once: (occurrence count per posting, every occurrence's
    ints flat), `stride` ints an occurrence. Weights are floats, one per posting: given, or
    with `occurrences` each posting's count × `boost`, worked out only when asked for (a
    writer that takes the counts whole never asks).
    """

    fieldname: str
    btext: bytes
    ids: array
    given_weights: list[float] | None
    values: list[bytes] | None
    occurrences: tuple[array, array] | None
    stride: int
    boost: float = 1.0
    """The factor of each posting's weight over its count, when `occurrences` is given."""

    @property
    def weights(self) -> list[float]:
        if self.given_weights is not None:
            return self.given_weights
        counts, _ = self.occurrences  # type: ignore[misc]
        return [count * self.boost for count in counts]

    def value_list(self) -> list[bytes]:
        """Each posting's value as bytes, unpacked from `occurrences` if need be."""
        if self.values is not None:
            return self.values
        counts, flat = self.occurrences  # type: ignore[misc]
        chunk = ("b", self.ids, counts, flat, self.stride, 1.0)
        return [value for _, _, value in _bulk_postings(chunk)]


class _Bulk:
    """A field's words, each with its postings' docnums, counts and flat occurrences; and
    occurrences added a batch of documents at a time (`TermPool.add_rows`), kept as columns
    until the words are read (`fold_rows`)."""

    __slots__ = ("boost", "last", "row_terms", "rows", "stride", "words")

    def __init__(self, stride: int, boost: float) -> None:
        self.stride = stride
        self.boost = boost
        self.last = -1
        self.words: dict[str, tuple[array, array, array]] = {}
        #: word -> its number in `rows`, numbered in the order first seen
        self.row_terms: dict[str, int] = {}
        #: per batch: (term number, docnum, then the `stride` ints of each occurrence)
        self.rows: list[tuple[np.ndarray, ...]] = []

    def fold_rows(self) -> bool:
        """Move the batches' occurrences into `words`; False if a word then has postings
        out of docnum order (its postings came both ways, in an interleaved order)."""
        if not self.rows:
            return True
        columns = [np.concatenate(column) for column in zip(*self.rows, strict=True)]
        terms = list(self.row_terms)
        self.rows, self.row_terms = [], {}
        term, docnum, *occurrence = columns
        # Rows arrived in docnum order and each document's in position order: a stable
        # sort by term alone leaves every term's rows in (docnum, position) order.
        order = np.argsort(term, kind="stable")
        term, docnum = term[order], docnum[order]
        flat = np.stack([part[order] for part in occurrence], axis=1).astype(np.uint32, copy=False)
        size = len(term)
        starts_posting = np.ones(size, dtype=bool)
        starts_posting[1:] = (term[1:] != term[:-1]) | (docnum[1:] != docnum[:-1])
        posting_row = np.flatnonzero(starts_posting)
        counts = np.diff(np.append(posting_row, size))
        posting_term = term[posting_row]
        starts_term = np.ones(len(posting_row), dtype=bool)
        starts_term[1:] = posting_term[1:] != posting_term[:-1]
        term_posting = np.flatnonzero(starts_term)
        posting_bounds = np.append(term_posting, len(posting_row)).tolist()
        flat_bounds = (np.append(posting_row[term_posting], size) * self.stride).tolist()
        all_ids = _ints(docnum[posting_row].astype(np.uint32).tobytes())
        all_counts = _ints(counts.astype(np.uint32).tobytes())
        all_flat = _ints(flat.tobytes())
        words = self.words
        in_order = True
        for k, number in enumerate(posting_term[term_posting].tolist()):
            low, high = posting_bounds[k], posting_bounds[k + 1]
            record = (
                all_ids[low:high],
                all_counts[low:high],
                all_flat[flat_bounds[k] : flat_bounds[k + 1]],
            )
            word = terms[number]
            held = words.get(word)
            if held is None:
                words[word] = record
                continue
            if held[0][-1] >= record[0][0]:
                in_order = False
            for kept, more in zip(held, record, strict=True):
                kept.extend(more)  # in place: a word's arrays grow by what is new, no copy
        return in_order


#: A piece of one term's postings: ("b", ids, counts, flat, stride, boost) from words, or
#: ("g", [(docnum, weight, value), ...]) from postings added one at a time.
Chunk = tuple[Any, ...]


class TermPool:
    """Collects a segment's postings per term; quacks like Whoosh's `PostingPool` where a
    `SegmentWriter` uses it (`add`, `iter_postings`, `cleanup`), plus `add_occurrences`.

    `tempstore` is a Whoosh storage for spilled runs (its public `create_file`,
    `open_file`, `delete_file`); `limitmb` bounds the memory held before a run is spilled.
    """

    def __init__(self, tempstore: Any, limitmb: int = 128) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.currentsize = 0
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []
        self._bulk: dict[str, _Bulk] = {}
        self._single: dict[tuple[str, bytes], list[tuple[int, float, bytes | None]]] = {}
        #: False once a field's words arrive for a docnum not above its last: such a pool
        #: sorts every term's postings as Whoosh's would.
        self.ordered = True

    # -- filling -------------------------------------------------------------------------

    def add(self, item: Posting) -> None:
        """One posting, as Whoosh's `PostingPool.add` takes it."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.fieldnames.add(fieldname)
        postings = self._single.get((fieldname, tbytes))
        if postings is None:
            self._single[(fieldname, tbytes)] = [(docnum, weight, vbytes)]
        else:
            postings.append((docnum, weight, vbytes))
        self.currentsize += POSTING_COST + len(tbytes) + len(vbytes or b"")
        if self.currentsize > self.limit:
            self.save()

    def add_occurrences(
        self,
        fieldname: str,
        docnum: int,
        found: dict[str, list[int]],
        stride: int,
        boost: float,
    ) -> int:
        """One document's words in one field: word -> its occurrences, `stride` ints each
        (positions, or position, start, end). Each word's weight is its count × `boost`.
        Returns the field's length (all the counts)."""
        bulk = self._bulk_of(fieldname, stride, boost)
        if docnum <= bulk.last:
            self.ordered = False
        bulk.last = docnum
        words = bulk.words
        new = 0
        ints = 0
        for word, occurrences in found.items():
            record = words.get(word)
            if record is None:
                record = words[word] = (array("I"), array("I"), array("I"))
                new += 1
            ids, counts, flat = record
            ids.append(docnum)
            counts.append(len(occurrences) // stride)
            flat.extend(occurrences)
            ints += len(occurrences)
        self.currentsize += new * TERM_COST + 8 * len(found) + 4 * ints
        if self.currentsize > self.limit:
            self.save()
        return ints // stride

    def add_rows(
        self,
        fieldname: str,
        docnums: list[int],
        rows: OccurrenceRows,
        stride: int,
        boost: float,
    ) -> list[int]:
        """Several documents' words in one field at once: `rows` (from a fused analyzer's
        `rows`) of the texts of `docnums`, in that order. What `add_occurrences` does for
        each document in turn; returns each document's field length."""
        bulk = self._bulk_of(fieldname, stride, boost)
        if len(docnums) != rows.texts:
            raise ValueError(f"{fieldname!r}: {rows.texts} texts for {len(docnums)} docnums")
        if not docnums:
            return []
        if docnums[0] <= bulk.last or any(b <= a for a, b in pairwise(docnums)):
            self.ordered = False
        bulk.last = max(bulk.last, docnums[-1])
        known = bulk.row_terms
        before = len(known)
        # setdefault numbers a new word len(known): the next number
        numbers = np.fromiter(
            (known.setdefault(word, len(known)) for word in rows.words),
            dtype=np.uint32,
            count=len(rows.words),
        )
        columns: tuple[np.ndarray, ...] = (
            numbers[rows.word],
            np.asarray(docnums, dtype=np.uint32)[rows.text],
            rows.position.astype(np.uint32),
        )
        if stride == 3:
            if rows.start is None or rows.end is None:
                raise ValueError(f"{fieldname!r}: character offsets needed for stride 3")
            columns += (rows.start.astype(np.uint32), rows.end.astype(np.uint32))
        elif stride != 1:
            raise ValueError(f"{fieldname!r}: rows give 1 or 3 ints an occurrence, not {stride}")
        bulk.rows.append(columns)
        size = len(rows.word)
        held = sum(len(batch[0]) for batch in bulk.rows)
        if held >= FOLD_ROWS and not bulk.fold_rows():
            self.ordered = False
        self.currentsize += (len(known) - before) * TERM_COST + (8 + 4 * stride) * size
        lengths: list[int] = np.bincount(rows.text, minlength=rows.texts).tolist()
        if self.currentsize > self.limit:
            self.save()
        return lengths

    def _bulk_of(self, fieldname: str, stride: int, boost: float) -> _Bulk:
        bulk = self._bulk.get(fieldname)
        if bulk is None or bulk.stride != stride or bulk.boost != boost:
            if bulk is not None:  # a field is always written with one format
                raise ValueError(f"{fieldname!r}: words added with another stride or boost")
            bulk = self._bulk[fieldname] = _Bulk(stride, boost)
            self.fieldnames.add(fieldname)
        return bulk

    # -- runs ----------------------------------------------------------------------------

    def _chunks(self) -> Iterator[tuple[tuple[str, bytes], Chunk]]:
        """This run's terms in (field, term bytes) order, each with its one chunk."""
        for bulk in self._bulk.values():
            if not bulk.fold_rows():
                self.ordered = False
        fields = sorted(set(self._bulk) | {field for field, _ in self._single})
        singles: dict[str, list[bytes]] = {}
        for field, tbytes in self._single:
            singles.setdefault(field, []).append(tbytes)
        for field in fields:
            bulk = self._bulk.get(field)
            encoded = (
                sorted((word.encode("utf-8"), word) for word in bulk.words)
                if bulk is not None
                else []
            )
            one_at_a_time = sorted(singles.get(field, ()))
            for tbytes, word in _merge_keys(encoded, one_at_a_time):
                key = (field, tbytes)
                if word is not None:
                    ids, counts, flat = bulk.words[word]
                    yield key, ("b", ids, counts, flat, bulk.stride, bulk.boost)
                if (field, tbytes) in self._single:
                    yield key, ("g", self._single[key])

    def save(self) -> None:
        """Spill what is held to a run on disk, in term order, and start afresh."""
        if not self._bulk and not self._single:
            return
        path = f"{uuid.uuid4().hex}.terms"
        with self.tempstore.create_file(path) as out:
            for key, chunk in self._chunks():
                if chunk[0] == "b":
                    _, ids, counts, flat, stride, boost = chunk
                    chunk = ("b", ids.tobytes(), counts.tobytes(), flat.tobytes(), stride, boost)
                out.write(pickle.dumps((key, chunk), pickle.HIGHEST_PROTOCOL))
        self.runs.append(path)
        self._keep_order_state()
        self._single = {}
        self.currentsize = 0

    def _keep_order_state(self) -> None:
        """Start new word tables that still know each field's last docnum and format."""
        fresh = {}
        for field, bulk in self._bulk.items():
            again = _Bulk(bulk.stride, bulk.boost)
            again.last = bulk.last
            fresh[field] = again
        self._bulk = fresh

    def _read_run(self, path: str) -> Iterator[tuple[tuple[str, bytes], Chunk]]:
        with self.tempstore.open_file(path) as run:
            while True:
                try:
                    key, chunk = pickle.load(run)
                except EOFError:
                    return
                if chunk[0] == "b":
                    _, ids, counts, flat, stride, boost = chunk
                    chunk = ("b", _ints(ids), _ints(counts), _ints(flat), stride, boost)
                yield key, chunk

    def cleanup(self) -> None:
        """Delete the spilled runs (Whoosh's writer calls this when it closes)."""
        for path in self.runs:
            if self.tempstore.file_exists(path):
                self.tempstore.delete_file(path)
        self.runs = []

    # -- reading back --------------------------------------------------------------------

    def iter_postings(self) -> TermLists:
        """Every term's posting list, in (field, term) order: what the field writer takes."""
        return TermLists(self)

    def term_lists(self) -> Iterator[TermList]:
        """The runs and what is held, merged term by term, older runs' postings first."""
        if self.runs:
            sources = [self._read_run(path) for path in self.runs] + [self._chunks()]
            # `heapq.merge` yields equal keys in the order of its inputs: oldest run first.
            merged: Iterator[tuple[tuple[str, bytes], Chunk]] = heapq.merge(
                *sources, key=lambda item: item[0]
            )
        else:  # nothing spilled (most segments): what is held is already in term order
            merged = self._chunks()
        key: tuple[str, bytes] | None = None
        chunks: list[Chunk] = []
        for next_key, chunk in merged:
            if next_key != key:
                if chunks:
                    yield self._term_list(key, chunks)
                key, chunks = next_key, []
            chunks.append(chunk)
        if chunks:
            yield self._term_list(key, chunks)

    def _term_list(self, key: Any, chunks: list[Chunk]) -> TermList:
        fieldname, btext = key
        if self.ordered and all(chunk[0] == "b" for chunk in chunks):
            _, ids, counts, flat, stride, boost = chunks[0]
            for more in chunks[1:]:
                ids = ids + more[1]
                counts = counts + more[2]
                flat = flat + more[3]
            return TermList(fieldname, btext, ids, None, None, (counts, flat), stride, boost)
        # Whoosh's pool sorts whole posting tuples; a term's postings then follow
        # (docnum, weight, value), values of None sorting as Whoosh's would not: they
        # never meet another posting of the same docnum and weight in practice.
        postings: list[tuple[int, float, bytes]] = []
        for chunk in chunks:
            if chunk[0] == "g":
                postings.extend((d, w, v or b"") for d, w, v in chunk[1])
            else:
                postings.extend(_bulk_postings(chunk))
        postings.sort()
        ids = array("I", [docnum for docnum, _, _ in postings if docnum >= 0])
        kept = [posting for posting in postings if posting[0] >= 0]
        return TermList(
            fieldname,
            btext,
            ids,
            [weight for _, weight, _ in kept],
            [value for _, _, value in kept],
            None,
            0,
        )


class TermLists:
    """What `TermPool.iter_postings` hands Whoosh's writer: a field writer that knows term
    lists (`TermAtATimeFieldWriter`) reads `term_lists()`; any other iterates postings."""

    def __init__(self, pool: TermPool) -> None:
        self.pool = pool

    def term_lists(self) -> Iterator[TermList]:
        return self.pool.term_lists()

    def __iter__(self) -> Iterator[Posting]:
        for term in self.term_lists():
            values = term.value_list()
            for docnum, weight, value in zip(term.ids, term.weights, values, strict=True):
                yield term.fieldname, term.btext, docnum, weight, value


def _merge_keys(
    words: list[tuple[bytes, str]], singles: list[bytes]
) -> Iterator[tuple[bytes, str | None]]:
    """The sorted union of two sorted key lists: (term bytes, its word or None)."""
    i = j = 0
    while i < len(words) or j < len(singles):
        if j >= len(singles) or (i < len(words) and words[i][0] <= singles[j]):
            tbytes, word = words[i]
            i += 1
            if j < len(singles) and singles[j] == tbytes:
                j += 1
            yield tbytes, word
        else:
            yield singles[j], None
            j += 1


def _bulk_postings(chunk: Chunk) -> Iterator[tuple[int, float, bytes]]:
    _, ids, counts, flat, stride, boost = chunk
    ends = accumulate(count * stride for count in counts)
    start = 0
    for docnum, count, end in zip(ids, counts, ends, strict=True):
        yield docnum, count * boost, flat[start:end].tobytes()
        start = end


def _ints(data: bytes) -> array:
    ints = array("I")
    ints.frombytes(data)
    return ints
