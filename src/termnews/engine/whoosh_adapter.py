"""The one module that touches Whoosh's private names (underscore attributes, methods, imports).

termnews reaches past Whoosh's public API in a few places, each for speed or for a commit a
kill cannot half-finish. Those reaches live here and nowhere else, so a Whoosh upgrade means
auditing this file: `tests/test_whoosh_adapter.py` pins what every function below relies on
against the installed Whoosh, and `tests/test_private_whoosh_names.py` fails if any other
module reaches for a private Whoosh name.

Audited against whoosh-reloaded `AUDITED_WHOOSH_VERSION`. What is here:

- `BlockPostingsWriter`, `BlockLeafMatcher`: W3's posting writer and reader with the block
  body left to a subclass (`engine.storage.codec`), one call per block, none per posting.
- `TermAtATimeFieldWriter`: W3's field writer fed a whole term's postings at once.
- `add_document`, `add_documents`: a story's words handed to the writer's pool a field at
  a time, or a batch of stories' words a field at a time.
- `block_limits`: a W3 codec's block settings, for a subclass's own writer.
- `posting_extent`: where a W3 matcher's posting list lies, to read it with one call.
- `field_length_bytes`: a segment's one-byte field lengths as one slice of the file.
- `column_values`, `reader_column_values`: a segment's (or a reader's) values of a column,
  read with one call a segment.
- `field_term_records`, `postings_file`: a field's terms, their frequencies and where each
  one's posting list is, from one read of the terms file.
- `unlocked_writer`, `commit_with_segments`, `close_segment`: a writer gathering its
  postings term by term (`engine.storage.termpool`), and a commit that takes segments
  written by our worker processes, under our own lock.
- `latest_generation`: the newest table-of-contents generation in a folder.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import md5
from itertools import accumulate, pairwise
from typing import Any, ClassVar, NamedTuple, Protocol

import numpy as np
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.filedb.filetables import _lengths as _ROW_LENGTHS
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from termnews.engine.storage.termpool import TermPool

#: Field boosts `_write_together` takes: whole numbers, small enough that a weight (count ×
#: boost) and a term's weight sum stay exact in float32 for any count a story gives.
WHOLE_BOOST_MAX = 64
_WHOLE_BOOSTS = frozenset(float(boost) for boost in range(1, WHOLE_BOOST_MAX + 1))
#: Terms, and postings, gathered at most before `TermAtATimeFieldWriter` writes them at once.
TERMS_TOGETHER = 4096
POSTINGS_TOGETHER = 1 << 17
#: The whoosh-reloaded release this module was audited against (`whoosh.versionstring()`).
AUDITED_WHOOSH_VERSION = "2.7.5"

# -- posting blocks ------------------------------------------------------------------------

#: W3TermInfo's fixed part (2.7.5): inlined flag, total weight, document frequency, shortest
#: and longest length bytes, best weight, first and last docnum.
_TERM_INFO = W3TermInfo._struct
#: A field length as Whoosh decodes its one-byte code (0: the document lacks the field).
_LENGTH_OF_BYTE = [byte_to_length(code) for code in range(256)]


@dataclass(slots=True)
class BlockToWrite:
    """One buffered block of postings, as W3's writer holds it when the block is full.

    Not frozen: one is made per block written, and a frozen dataclass's `__init__` (a
    `object.__setattr__` per field) cost as much as encoding a one-posting block."""

    ids: array
    """Docnums, ascending (`array("I")`)."""
    weights: array
    """Each posting's weight (`array("f")`)."""
    values: list[bytes]
    """Each posting's encoded value; empty when the format stores none."""
    format: Any
    """The field's `whoosh.formats.Format`."""
    max_weight: float
    min_length: int | None
    """Shortest field length among the block's documents (None: no length given)."""
    max_length: int
    last: bool
    """The term's last block: W3 marks it with a negative block length."""
    occurrences: tuple[array, array] | None = None
    """When `values` is empty for speed: every value of the block at once, as the packed
    formats make them: (occurrence count per posting, every occurrence's ints flat)."""


@dataclass(frozen=True, slots=True)
class BlockRun:
    """Consecutive blocks of one or more terms' postings, for a posting writer's
    `encode_blocks`: every posting's weight is its occurrence count × `boost`."""

    ids: np.ndarray
    """Every posting's docnum (uint32), block after block."""
    counts: np.ndarray
    """Each posting's occurrence count (uint32)."""
    flat: np.ndarray
    """Every occurrence's `stride` ints, flat (uint32)."""
    stride: int
    boost: float
    """A whole number (`WHOLE_BOOST_MAX` at most), so that every weight, sum and maximum
    is exact in float32 as in float64."""
    bounds: np.ndarray
    """Where each block starts in `ids`, then where the last ends."""
    min_length: np.ndarray
    """Each block's shortest field length (0: none given)."""
    max_length: np.ndarray
    last: np.ndarray
    """Whether each block is its term's last."""


class BlockPostingsWriter(W3PostingsWriter):
    """W3's posting writer with the block body written by `encode_block`.

    Relies on W3PostingsWriter (2.7.5) buffering a block in `_ids`, `_weights`, `_values`,
    `_maxweight`, `_minlength`, `_maxlength`, calling `_write_block(last)` when it is full
    or the term ends, and on `_write_block` being what writes the magic before the first
    block, adds the block to the term info, and resets the buffer (`_new_block`). Everything
    else (term info, inlining of short lists, the terms file) stays W3's.
    """

    def encode_block(self, block: BlockToWrite) -> bytes:
        """The block's bytes, from its length field on, as the matcher will read them."""
        raise NotImplementedError

    #: A subclass may also offer `encode_blocks(run: BlockRun) -> list[bytes]`: each
    #: block's `encode_block` bytes for many terms at once (`TermAtATimeFieldWriter`).

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        block = BlockToWrite(
            self._ids,
            self._weights,
            self._values,
            self._format,
            self._maxweight,
            self._minlength,
            self._maxlength,
            last,
        )
        self._postfile.write(self.encode_block(block))
        self._blockcount += 1
        self._new_block()


def _fill_block(
    writer: W3PostingsWriter,
    ids: Sequence[int],
    weights: Sequence[float],
    values: Sequence[bytes],
    lengths: list[int] | None,
) -> None:
    """Set W3's block buffer (2.7.5: `_ids`, `_weights`, `_values`, `_maxweight`,
    `_minlength`, `_maxlength`) to these postings, with the statistics `add_posting` would
    have kept: values and lengths that are empty or 0 are left out, as it leaves them."""
    writer._ids = array("I", ids)
    writer._weights = array("f", weights)
    writer._values = [value for value in values if value]
    writer._maxweight = max(0, max(weights))
    given = [length for length in lengths if length] if lengths else ()
    writer._minlength = min(given) if given else None
    writer._maxlength = max(given) if given else 0


class TermAtATimeFieldWriter(W3FieldWriter):
    """W3's field writer, fed each term's whole posting list instead of one posting a call.

    Whoosh's `FieldWriter.add_postings` makes three Python calls per posting (the loop, the
    field writer's `add`, the posting writer's `add_posting` with its type checks) and asks
    for the posting's field length through the per-document reader. For a build of short
    stories that was a fifth of its time. Here a term's postings are gathered with one pass,
    cut into W3's blocks and handed to the posting writer a block at a time; the files are
    the ones W3 writes (`tests/test_codec_writer.py` compares them byte for byte).

    Relies on W3FieldWriter (2.7.5) keeping its posting writer in `_postwriter` once
    `start_term` is called, and on W3PostingsWriter writing a full buffer with
    `_write_block()`, a term's final buffer (or inlining it) in `finish_postings`, and
    reading its block size from `_blocklimit`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The terms file's rows not yet written (key, term info), in term order.
        self._term_rows: list[tuple[bytes, bytes]] = []

    def finish_term(self) -> None:
        # W3FieldWriter.finish_term (2.7.5), the row kept for `_write_term_rows`.
        terminfo = self._postwriter.finish_postings()
        self._term_rows.append((pack_ushort(self._fieldid) + self._btext, terminfo.to_bytes()))

    def finish_field(self) -> None:
        self._write_term_rows()
        super().finish_field()

    def close(self) -> None:
        self._write_term_rows()
        super().close()

    def _write_term_rows(self) -> None:
        """`OrderedHashWriter.add(key, value)` for every pending row, in one write.

        Whoosh's `add` is four layers of calls, three writes and a hex digest parsed back
        to an integer per term, a fifth of writing a one-posting term. Relies on
        OrderedHashWriter and HashWriter (2.7.5): a row is the two lengths (`_lengths`),
        the key and the value, at the position the `index` array and the key's bucket (by
        its hash's low byte) record; keys increase; the MD5 hash (type 0) is the digest's
        low 32 bits, read here from its last four bytes.
        """
        rows = self._term_rows
        if not rows:
            return
        table = self._tindex
        hashed_by = table.hashfn if table.hashtype else _md5_low32
        index_append = table.index.append
        buckets = table.buckets
        position = table.dbfile.tell()
        last = table.lastkey
        chunks = []
        for key, value in rows:
            if key <= last:
                raise ValueError(f"Keys must increase: {last!r}..{key!r}")
            index_append(position)
            hashed = hashed_by(key)
            buckets[hashed & 255].append((hashed, position))
            chunk = _ROW_LENGTHS.pack(len(key), len(value)) + key + value
            chunks.append(chunk)
            position += len(chunk)
            last = key
        table.dbfile.write(b"".join(chunks))
        table.lastkey = last
        rows.clear()

    def field_lengths(self, lengths: Any, fieldname: str) -> Sequence[int] | None:
        """Every document's length in `fieldname` (by docnum), or None to record none.

        Read as the column's bytes decoded through a table when the per-document reader is
        W3's (a method call per document and field was a tenth of writing the postings).
        """
        if not lengths:
            return None
        count = lengths.doc_count_all()
        column = _length_column_bytes(lengths, fieldname, count)
        if column is not None:
            return list(map(_LENGTH_OF_BYTE.__getitem__, column))
        return [lengths.doc_field_length(docnum, fieldname, 0) for docnum in range(count)]

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        term_lists = getattr(items, "term_lists", None)
        if term_lists is None:
            self._add_posting_tuples(schema, lengths, items)
            return
        field: str | None = None
        field_lengths: Sequence[int] | None = None
        together: list[Any] = []  # terms for `_write_together`, in term order
        postings_together = 0
        for term in term_lists():
            if term.fieldname != field:
                self._write_together(together, field_lengths)
                postings_together = 0
                if field is not None:
                    self.finish_field()
                field = term.fieldname
                self.start_field(field, schema[field])
                field_lengths = self.field_lengths(lengths, field)
            if not term.ids:  # spelling-only words (Whoosh's docnum -1) make no posting
                continue
            if self._writes_together(term):
                together.append(term)
                postings_together += len(term.ids)
                if len(together) >= TERMS_TOGETHER or postings_together >= POSTINGS_TOGETHER:
                    self._write_together(together, field_lengths)
                    postings_together = 0
                continue
            self._write_together(together, field_lengths)
            postings_together = 0
            if term.occurrences is None:
                self._write_values(term.btext, term.ids, term.weights, term.values, field_lengths)
            elif self._writes_directly(term.ids):
                self._write_direct(
                    term.btext,
                    term.ids,
                    term.weights,
                    None,
                    term.occurrences,
                    term.stride,
                    field_lengths,
                )
            else:
                values = term.value_list()
                self._write_term(term.btext, term.ids, term.weights, values, field_lengths)
        self._write_together(together, field_lengths)
        if field is not None:
            self.finish_field()

    def _writes_together(self, term: Any) -> bool:
        """Whether `term` goes to `_write_together`: packed occurrences at a whole-number
        boost, for a posting writer with `encode_blocks`, and a list too long to inline."""
        return (
            term.occurrences is not None
            and term.boost in _WHOLE_BOOSTS
            and term.stride in (1, 3)
            and hasattr(self._postwriter, "encode_blocks")
            and self._writes_directly(term.ids)
        )

    def _write_together(self, terms: list[Any], field_lengths: Sequence[int] | None) -> None:
        """`_write_direct` for many terms of the field at once (and `terms` emptied).

        Most of a segment's terms are a few postings long, and writing one cost about 25 µs
        of Python steps per term and per block: slices, maxima, a block object, packing.
        Here the block statistics and term statistics of all the terms are whole-array
        steps, the posting writer encodes their blocks in one call (`encode_blocks`), and
        the postings file gets one write. The bytes are `_write_direct`'s
        (`tests/test_codec_writer.py`): a whole-number boost makes every weight a whole
        number, so weight sums, maxima and float32 weights are exact whatever their order.
        """
        if not terms:
            return
        stride, boost = terms[0].stride, terms[0].boost
        ids = np.frombuffer(b"".join([term.ids for term in terms]), dtype=np.uint32)
        counts = np.frombuffer(b"".join([term.occurrences[0] for term in terms]), dtype=np.uint32)
        flat = np.frombuffer(b"".join([term.occurrences[1] for term in terms]), dtype=np.uint32)
        sizes = np.fromiter(map(len, [term.ids for term in terms]), np.int64, len(terms))
        term_start = np.concatenate(([0], np.cumsum(sizes)))
        limit = self._postwriter._blocklimit
        blocks_of = (sizes + limit - 1) // limit
        term_of_block = np.repeat(np.arange(len(terms)), blocks_of)
        first_block = np.concatenate(([0], np.cumsum(blocks_of)))
        block_in_term = np.arange(len(term_of_block)) - first_block[term_of_block]
        bounds = np.append(term_start[term_of_block] + block_in_term * limit, len(ids))
        if field_lengths:
            lengths = np.asarray(field_lengths, dtype=np.int64)[ids]
        else:
            lengths = np.zeros(len(ids), dtype=np.int64)
        block_min = _shortest_given(lengths, bounds[:-1])
        run = BlockRun(
            ids=ids,
            counts=counts,
            flat=flat,
            stride=stride,
            boost=boost,
            bounds=bounds,
            min_length=block_min,
            max_length=np.maximum.reduceat(lengths, bounds[:-1]),
            last=block_in_term == blocks_of[term_of_block] - 1,
        )
        blocks = self._postwriter.encode_blocks(run)
        starts = term_start[:-1]
        term_min = _shortest_given(lengths, starts)
        block_sizes = np.fromiter(map(len, blocks), np.int64, len(blocks))
        term_sizes = np.add.reduceat(block_sizes, first_block[:-1]) + len(WHOOSH3_HEADER_MAGIC)
        offsets = (self._postfile.tell() + np.cumsum(term_sizes) - term_sizes).tolist()
        pieces = []
        for low, high in pairwise(first_block.tolist()):
            pieces.append(WHOOSH3_HEADER_MAGIC)
            pieces += blocks[low:high]
        self._postfile.write(b"".join(pieces))
        rows = self._term_rows
        prefix = pack_ushort(self._fieldid)
        for term, total, count, shortest, longest, best, first, last, offset, size in zip(
            terms,
            (np.add.reduceat(counts, starts, dtype=np.int64) * boost).tolist(),
            sizes.tolist(),
            length_codes(term_min).tolist(),
            length_codes(np.maximum.reduceat(lengths, starts)).tolist(),
            (np.maximum.reduceat(counts, starts) * boost).tolist(),
            ids[starts].tolist(),
            ids[term_start[1:] - 1].tolist(),
            offsets,
            term_sizes.tolist(),
            strict=True,
        ):
            info = _TERM_INFO.pack(False, total, count, shortest, longest, best, first, last)
            rows.append((prefix + term.btext, info + pack_long(offset) + pack_int(size)))
        terms.clear()

    def _add_posting_tuples(self, schema: Any, lengths: Any, items: Any) -> None:
        """The postings one tuple at a time, sorted as Whoosh's pool sorts them."""
        last_key: tuple[str, bytes] | None = None
        field: str | None = None
        field_lengths: Sequence[int] | None = None
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for fieldname, btext, docnum, weight, value in items:
            key = (fieldname, btext)
            if key != last_key:
                if last_key is not None and key < last_key:
                    raise OutOfOrderError(f"Term {last_key!r} .. {key!r}")
                if ids:
                    self._write_values(last_key[1], ids, weights, values, field_lengths)
                    ids, weights, values = [], [], []
                if fieldname != field:
                    if field is not None:
                        self.finish_field()
                    field = fieldname
                    self.start_field(fieldname, schema[fieldname])
                    field_lengths = self.field_lengths(lengths, fieldname)
                last_key = key
            if docnum == -1:  # Whoosh's marker for a spelling-only word: no posting
                continue
            ids.append(docnum)
            weights.append(weight)
            values.append(value or b"")
        if ids:
            self._write_values(last_key[1], ids, weights, values, field_lengths)
        if field is not None:
            self.finish_field()

    def _writes_directly(self, ids: Sequence[int]) -> bool:
        """Whether a list of these postings goes to `_write_direct`: any list too long to
        inline, with a posting writer that encodes whole blocks. Other posting writers, and
        lists to inline, take W3's own steps (inlining needs an inline limit above 1, which
        2.7.5 cannot write: its `finish_postings` calls a `set_inline` W3TermInfo lacks)."""
        writer = self._postwriter
        return isinstance(writer, BlockPostingsWriter) and len(ids) >= writer._inlinelimit

    def _write_values(
        self,
        btext: bytes,
        ids: Sequence[int],
        weights: Sequence[float],
        values: list[bytes],
        field_lengths: Sequence[int] | None,
    ) -> None:
        """A term's postings with their values one by one."""
        if self._writes_directly(ids):
            self._write_direct(btext, ids, weights, values, None, 0, field_lengths)
        else:
            self._write_term(btext, ids, weights, values, field_lengths)

    def _write_direct(
        self,
        btext: bytes,
        ids: Sequence[int],
        weights: Sequence[float],
        values: Sequence[bytes] | None,
        occurrences: tuple[array, array] | None,
        stride: int,
        field_lengths: Sequence[int] | None,
    ) -> None:
        """A term's list too long to inline, without W3's per-term objects: its `values`,
        or its values packed as `occurrences` (`stride` ints an occurrence).

        A segment of short stories has as many terms as stories have words, and W3's path
        costs each term a term-info object, a block buffer filled and reset, two calls per
        block to file wrappers and a term-info encoding: about 55 µs a term, a third of a
        build of 120-word stories. This writes the same bytes (`tests/test_codec_writer.py`)
        with the block statistics and the term info computed here, as W3PostingsWriter
        (2.7.5) and W3TermInfo would: the term starts with W3's magic, each block's weight
        sum (of its float32 weights) adds to the term's, the term's shortest length is its
        first block's, and the term info is W3TermInfo's struct, offset and length.
        """
        writer = self._postwriter
        encode = writer.encode_block
        format_ = self._format
        limit = writer._blocklimit
        if not isinstance(ids, array):
            ids = array("I", ids)
        if len(ids) == 1:
            self._write_one_posting(
                btext, ids, weights[0], values, occurrences, field_lengths, encode
            )
            return
        counts, flat = occurrences if occurrences is not None else (None, None)
        count = len(ids)
        lengths = [field_lengths[docnum] for docnum in ids] if field_lengths else None
        parts = [WHOOSH3_HEADER_MAGIC]
        total = 0.0
        max_weight = 0.0
        min_length: int | None = None
        max_length = 0
        at = 0
        for start in range(0, count, limit):
            end = start + limit
            block_weights = weights[start:end] if count > limit else weights
            floats = array("f", block_weights)
            total += sum(floats)
            block_max = max(0, max(block_weights))
            if block_max > max_weight:
                max_weight = block_max
            block_min: int | None = None
            block_top = 0
            if lengths:
                given = [length for length in lengths[start:end] if length]
                if given:
                    block_min, block_top = min(given), max(given)
            if min_length is None or (block_min is not None and block_min < min_length):
                min_length = block_min
            if block_top > max_length:
                max_length = block_top
            block_ids = ids[start:end] if count > limit else ids
            block_values: list[bytes] = []
            packed = None
            if values is not None:
                # W3's buffer keeps only the values that are not empty.
                block_values = [value for value in values[start:end] if value]
            elif count > limit:
                block_counts = counts[start:end]
                size = sum(block_counts) * stride
                packed = (block_counts, flat[at : at + size])
                at += size
            else:
                packed = occurrences
            block = BlockToWrite(
                block_ids,
                floats,
                block_values,
                format_,
                block_max,
                block_min,
                block_top,
                end >= count,
                packed,
            )
            parts.append(encode(block))
        self._add_term(btext, b"".join(parts), total, ids, min_length, max_length, max_weight)

    def _write_one_posting(
        self,
        btext: bytes,
        ids: array,
        weight: float,
        values: Sequence[bytes] | None,
        occurrences: tuple[array, array] | None,
        field_lengths: Sequence[int] | None,
        encode: Any,
    ) -> None:
        """`_write_direct` for a term in one story, most of a segment's terms: its one
        block's statistics are the posting's own, so no loop, slice or running maximum."""
        floats = array("f", (weight,))
        length = field_lengths[ids[0]] if field_lengths else 0
        block_max = max(0, weight)
        block = BlockToWrite(
            ids,
            floats,
            [value for value in values if value] if values is not None else [],
            self._format,
            block_max,
            length or None,
            length or 0,
            True,
            occurrences,
        )
        data = WHOOSH3_HEADER_MAGIC + encode(block)
        self._add_term(btext, data, floats[0], ids, length or None, length, block_max)

    def _add_term(
        self,
        btext: bytes,
        postings: bytes,
        total: float,
        ids: array,
        min_length: int | None,
        max_length: int,
        max_weight: float,
    ) -> None:
        """Write a term's `postings` (its blocks after W3's magic) and keep its row for the
        terms file: W3TermInfo's struct, then where the postings lie."""
        offset = self._postfile.tell()
        self._postfile.write(postings)
        info = _TERM_INFO.pack(
            False,
            total,
            len(ids),
            0 if min_length is None else length_to_byte(min_length),
            length_to_byte(max_length),
            max_weight,
            ids[0],
            ids[-1],
        )
        value = info + pack_long(offset) + pack_int(len(postings))
        self._term_rows.append((pack_ushort(self._fieldid) + btext, value))

    def _write_term(
        self,
        btext: bytes,
        ids: list[int],
        weights: list[float],
        values: list[bytes],
        field_lengths: Sequence[int] | None,
    ) -> None:
        self.start_term(btext)
        writer = self._postwriter
        limit = writer._blocklimit
        lengths = [field_lengths[docnum] for docnum in ids] if field_lengths else None
        count = len(ids)
        # Full blocks are written here; the last (possibly short) one is left in the buffer
        # for `finish_term`, which inlines it or writes it marked as the last, as W3 does.
        last_start = ((count - 1) // limit) * limit
        for start in range(0, count, limit):
            end = start + limit
            _fill_block(
                writer,
                ids[start:end],
                weights[start:end],
                values[start:end],
                lengths[start:end] if lengths else None,
            )
            if start != last_start:
                writer._write_block()
        self.finish_term()


def _shortest_given(lengths: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The shortest length other than 0 (no length given) in each run of `lengths` that
    begins at `starts`; 0 for a run with none."""
    none = np.iinfo(np.int64).max
    shortest = np.minimum.reduceat(np.where(lengths > 0, lengths, none), starts)
    shortest[shortest == none] = 0
    return shortest


#: Whoosh's field-length codes: a length's code is the first whose length is not less.
_LENGTH_OF_CODE = np.array(_LENGTH_OF_BYTE, dtype=np.int64)


def length_codes(lengths: np.ndarray) -> np.ndarray:
    """Whoosh's `length_to_byte` of each length (0 for none)."""
    return np.where(lengths >= _LENGTH_OF_CODE[255], 255, np.searchsorted(_LENGTH_OF_CODE, lengths))


def _md5_low32(key: bytes) -> int:
    """Whoosh's `md5_hash` (the digest as an integer, masked to 32 bits) without the hex."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


class BlockHeader(NamedTuple):
    """What a matcher must know of a block before reading its body."""

    size: int
    """Bytes from the block's start to the next block's."""
    count: int
    max_id: int
    max_weight: float
    min_length: int
    """Decoded (not Whoosh's length byte)."""
    max_length: int
    last: bool


class LazyValues(Protocol):
    """A block's values, decoded when asked for."""

    def values(self) -> Sequence[bytes]: ...


class BlockLeafMatcher(W3LeafMatcher):
    """W3's posting reader with the block layout left to `parse_header` and `parse_block`.

    Relies on W3LeafMatcher (2.7.5) moving between blocks only through `_goto(position)`,
    and reading a block's postings lazily through `_read_ids`, `_read_weights` and
    `_read_values` into `_ids`, `_weights`, `_values`, indexed by `_i`; its public methods
    (`id`, `next`, `skip_to`, `block_max_id`, `block_quality`...) read the block statistics
    `_goto` sets. Whoosh's searcher and our fallbacks use those public methods, so a block
    is parsed once, with a call per block and none per posting.
    """

    #: Bytes `parse_header` needs from the start of a block.
    block_header_size: ClassVar[int]
    #: What the matcher reports as its blocks' compression (W3's own levels are 0-9).
    block_compression: ClassVar[int]

    def parse_header(self, head: bytes) -> BlockHeader:
        """The header of the block whose first `block_header_size` bytes are `head`."""
        raise NotImplementedError

    def parse_block(self, data: bytes) -> tuple[array | None, array | None, LazyValues]:
        """A whole block's (ids, weights or None if all are 1.0, values), from its length
        field on."""
        raise NotImplementedError

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        header = self.parse_header(self._postfile.get(position, self.block_header_size))
        if header.last:
            self._lastblock = True
        self._nextoffset = position + header.size
        self._dataoffset = position
        self._blocklength = header.count
        self._maxid = header.max_id
        self._maxweight = header.max_weight
        self._compression = self.block_compression
        self._minlength = header.min_length
        self._maxlength = header.max_length

    def _read_data(self) -> None:
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = self.parse_block(data)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = self._data[0]

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        self._weights = weights if weights is not None else array("f", [1.0]) * self._blocklength

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if self._fixedsize == 0:  # the format stores no values (Existence)
            self._values = (None,) * self._blocklength
        else:
            self._values = self._data[2].values()


class BlockLimits(NamedTuple):
    """A W3 codec's posting-list settings."""

    block_limit: int
    """Postings per block."""
    inline_limit: int
    """Posting lists shorter than this are stored in the term info, with no blocks."""


def block_limits(codec: Any) -> BlockLimits:
    """The settings a W3Codec (or subclass) hands its posting writer, so that a codec with
    its own writer keeps W3's: W3Codec (2.7.5) keeps them in `_blocklimit`, `_inlinelimit`.
    """
    return BlockLimits(codec._blocklimit, codec._inlinelimit)


class PostingExtent(NamedTuple):
    """Where a W3 matcher's posting list lies in its postings file."""

    postfile: Any
    """Whoosh's StructFile; `postfile.get(offset, size)` reads bytes."""
    first_block: int
    """Offset of the first block (after W3's magic)."""
    end: int
    """Offset just past the last block."""


def posting_extent(matcher: Any) -> PostingExtent:
    """The posting list of `matcher` (a W3LeafMatcher, not inlined), so that it can be read
    with one call and walked in memory: Whoosh's matcher seeks and reads twice per block.

    Relies on W3LeafMatcher (2.7.5) keeping its file in `_postfile`, the list's start (its
    magic) in `_startoffset`, the offset after the magic in `_baseoffset`, and the list's
    length in `_length`, which `W3TermInfo.from_bytes` leaves a 1-tuple.
    """
    length = matcher._length
    length = length[0] if isinstance(length, tuple) else length
    return PostingExtent(matcher._postfile, matcher._baseoffset, matcher._startoffset + length)


# -- per-document columns --------------------------------------------------------------------


def field_length_bytes(leaf: Any, field: str) -> bytes | None:
    """Whoosh's one-byte encoded length of `field` in every document of one segment (0: the
    field is not in that document), or None when the segment does not keep them as a column
    of bytes (another codec): the caller then asks `leaf.doc_field_length` per document.

    BM25 needs every document's length; read this way a whole segment is one slice of the
    file instead of a method call per document. Relies on SegmentReader (2.7.5) keeping its
    W3PerDocReader in `_perdoc`, on the lengths column being named by `_lenfield(field)` and
    read through `_cached_reader` (None when no document has the field), and on
    NumericColumn.Reader's `_dbfile`, `_basepos`, `_count`, `_typecode` and `_default`: a
    column written for fewer documents than the segment holds reads as its default past its
    end.
    """
    return _length_column_bytes(getattr(leaf, "_perdoc", None), field, leaf.doc_count_all())


def column_values(leaf: Any, field: str) -> list[bytes]:
    """Every document's raw value in the column `field` of one segment, in docnum order.

    Whoosh's column reader reads a value per call (a file `get` each); a variable-bytes
    column is read here with one `get` and cut by its lengths, about a tenth of the time.
    Relies on VarBytesColumn.Reader (2.7.5) keeping its file in `_dbfile`, its values
    contiguous from `_basepos`, and each document's value length in `_lengths`; any other
    reader is iterated as Whoosh would.
    """
    from whoosh.columns import VarBytesColumn

    column = leaf.column_reader(field, translate=False)
    if type(column) is not VarBytesColumn.Reader:
        return list(column)
    lengths = column._lengths
    data = bytes(column._dbfile.get(column._basepos, sum(lengths))) if len(lengths) else b""
    ends = list(accumulate(lengths))
    return [data[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def reader_column_values(reader: Any, field: str) -> list[bytes]:
    """`column_values` of every segment of `reader`, in docnum order."""
    return [raw for leaf, _base in reader.leaf_readers() for raw in column_values(leaf, field)]


def _length_column_bytes(perdoc: Any, field: str, count: int) -> bytes | None:
    """`field_length_bytes` from a W3PerDocReader (None: another kind of reader)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.columns import NumericColumn

    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return None
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return bytes(count)
    if type(column) is not NumericColumn.Reader or column._typecode != "B":
        return None
    stored = min(column._count, count)
    raw = bytes(column._dbfile.get(column._basepos, stored)) if stored else b""
    return raw + bytes([column._default]) * (count - stored)


# -- the terms file ---------------------------------------------------------------------------

#: A record of Whoosh's ordered hash file: key length, value length, then key and value. A W3
#: term's key is its field number (2 bytes) and the term's bytes; its W3TermInfo value starts
#: with a flags byte (1: the postings are inlined in the record) and the total weight (4
#: bytes), then the document frequency; past `W3TermInfo._struct`, unless inlined, come the
#: posting list's offset (8 bytes) and length (4) in the postings file.
_RECORD_LENGTHS = struct.Struct("!ii")
_FIELD_NUMBER = struct.Struct("!H")
_DOC_FREQUENCY = struct.Struct("!I")
_DOC_FREQUENCY_AT = 1 + 4
_EXTENT = struct.Struct("!qi")
#: A `TermRecords` start for a term whose postings the record holds inline.
INLINED = -2


@dataclass(frozen=True, slots=True)
class TermRecords:
    """A text field's terms in one segment, in term order, and where each one's postings are."""

    terms: list[str]
    frequencies: list[int]
    """Each term's document frequency in the segment, deleted documents included."""
    starts: array
    """Where each term's posting list starts in the postings file (its first block, after
    W3's magic); `INLINED` when the record holds the postings inline, for Whoosh to read."""
    ends: array
    """Where each term's posting list ends."""


def field_term_records(leaf: Any, field: str) -> TermRecords | None:
    """Every term of a text `field` in one segment, its frequency and where its postings
    are (see `TermRecords`); None when the segment's terms are not a W3 terms file (the
    caller then iterates `leaf.iter_field`).

    Whoosh hands out a field's terms one generator step and one TermInfo object at a time,
    far too slow to repeat for completion or spelling suggestion; here the field's stretch
    of the terms file is read with one call and unpacked in a tight loop. The extents let a
    term's posting list be read later with one call (`postings_file`), without Whoosh's
    hash lookups (a few seeks and reads each, several per term and segment). Relies on
    SegmentReader (2.7.5) keeping its W3TermsReader in `_terms`, which keeps the field
    numbers in `_fieldmap`, the postings file in `_postfile` and the OrderedHashReader in
    `_tindex` (whose `closest_key_pos`, `endofdata` and `dbfile` are public), on the record
    layout above, and on W3's posting list starting with its magic. (W3's writer in 2.7.5
    cannot inline postings: with an inline limit over 1 it calls a TermInfo method that
    does not exist; an index written by another Whoosh release might hold some.)
    """
    from whoosh.codec.whoosh3 import W3TermInfo

    terms_reader = getattr(leaf, "_terms", None)
    fieldmap = getattr(terms_reader, "_fieldmap", None)
    table = getattr(terms_reader, "_tindex", None)
    if fieldmap is None or table is None or not hasattr(terms_reader, "_postfile"):
        return None
    found = TermRecords([], [], array("q"), array("q"))
    number = fieldmap.get(field)
    if number is None:
        return found
    start = table.closest_key_pos(_FIELD_NUMBER.pack(number))
    if start is None:
        return found
    stop = table.closest_key_pos(_FIELD_NUMBER.pack(number + 1)) if number < 0xFFFF else None
    stop = table.endofdata if stop is None else stop
    data = bytes(table.dbfile.get(start, stop - start))
    terms, frequencies, starts, ends = found.terms, found.frequencies, found.starts, found.ends
    unpack_lengths = _RECORD_LENGTHS.unpack_from
    unpack_frequency = _DOC_FREQUENCY.unpack_from
    unpack_extent = _EXTENT.unpack_from
    extent_at = W3TermInfo._struct.size
    magic = len(WHOOSH3_HEADER_MAGIC)
    offset, end, head = 0, len(data), _RECORD_LENGTHS.size
    while offset < end:
        key_length, value_length = unpack_lengths(data, offset)
        key_start = offset + head
        value_start = key_start + key_length
        terms.append(data[key_start + _FIELD_NUMBER.size : value_start].decode("utf-8"))
        frequencies.append(unpack_frequency(data, value_start + _DOC_FREQUENCY_AT)[0])
        if data[value_start]:  # inlined
            starts.append(INLINED)
            ends.append(INLINED)
        else:
            list_offset, list_length = unpack_extent(data, value_start + extent_at)
            starts.append(list_offset + magic)
            ends.append(list_offset + list_length)
        offset = value_start + value_length
    return found


def postings_file(leaf: Any) -> Any:
    """The segment's postings file, which `TermRecords` extents point into (a StructFile:
    `get(offset, size)` reads bytes)."""
    return leaf._terms._postfile


# -- writing and committing ----------------------------------------------------------------


def unlocked_writer(ix: Any, **options: Any) -> Any:
    """A `SegmentWriter` on `ix` that does not take Whoosh's write lock, gathering its
    postings in a `TermPool` (`engine.storage.termpool`) instead of Whoosh's posting pool.

    A sync holds that same lock (`engine.store.WriteLock`) from start to end, across the
    schema reset, the deletes and the commit, so the writer must not try to take it again;
    and our worker processes write their segments while the parent holds it. Relies on
    SegmentWriter (2.7.5) taking the lock only when its `_lk` argument is true, keeping its
    spill folder in `_tempstorage`, and using its `pool` only through `add` (segments merged
    in), `iter_postings` (handed to the field writer's `add_postings`) and `cleanup`.
    """
    from whoosh.writing import SegmentWriter

    writer = SegmentWriter(ix, _lk=False, **options)
    writer.pool = TermPool(writer._tempstorage, limitmb=options.get("limitmb", 128))
    return writer


class OccurrenceFormat(Protocol):
    """A field format that gives a field's words with their occurrences (see `add_document`)."""

    stride: int
    """Ints per occurrence: 1 (a position) or 3 (position, start, end)."""
    field_boost: float

    def occurrences(self, value: Any, analyzer: Any) -> dict[str, list[int]] | None:
        """Word -> its occurrences flat, each word's weight being its count × `field_boost`;
        or None to leave the value to Whoosh's `word_values`."""
        ...

    def occurrence_rows(self, values: list[Any], analyzer: Any) -> Any | None:
        """`occurrences` of several values at once, as the rows `TermPool.add_rows` takes;
        or None to leave them to `occurrences`, one value at a time."""
        ...


#: Fewest documents worth analysing a field for at once in `add_documents`.
_FEWEST_FOR_ROWS = 2


def add_documents(writer: Any, docs: Sequence[dict[str, Any]]) -> None:
    """`add_document` for each of `docs` in turn, with each field whose format offers
    `occurrence_rows` analysed for all the documents at once and handed to the pool's
    `add_rows`: the segment written is the same.

    One document at a time, a story's words went through Python dicts and lists word by
    word; for a batch the words are cut, looked up and grouped in whole-array steps.
    """
    if not docs:
        return
    schema = writer.schema
    for doc in docs:  # before any words go in: a rejected document must add none
        writer._check_fields(schema, sorted(name for name in doc if not name.startswith("_")))
    done: list[dict[str, int]] = [{} for _ in docs]
    add_rows = getattr(writer.pool, "add_rows", None)
    if add_rows is not None and len(docs) >= _FEWEST_FOR_ROWS:
        first = writer.docnum
        for fieldname, field in schema.items():
            rows_of = getattr(field.format, "occurrence_rows", None) if field.indexed else None
            if rows_of is None:
                continue
            which = [number for number, doc in enumerate(docs) if doc.get(fieldname) is not None]
            if not which or any(
                writer._field_boost(docs[n], fieldname, writer._doc_boost(docs[n])) != 1
                for n in which
            ):
                continue
            rows = rows_of([docs[n][fieldname] for n in which], field.analyzer)
            if rows is None:
                continue
            format_ = field.format
            lengths = add_rows(
                fieldname, [first + n for n in which], rows, format_.stride, format_.field_boost
            )
            for number, length in zip(which, lengths, strict=True):
                done[number][fieldname] = length if field.scorable else 0
    for doc, indexed in zip(docs, done, strict=True):
        add_document(writer, doc, indexed)


def add_document(
    writer: Any, fields: dict[str, Any], indexed: dict[str, int] | None = None
) -> None:
    """`writer.add_document(**fields)`, with a field's words handed to the `TermPool` all at
    once when its format offers `occurrences` (see `OccurrenceFormat`). `indexed` names the
    fields whose words are already in the pool, with their lengths (`add_documents`).

    Whoosh's `SegmentWriter.add_document` passes every posting through two generators (the
    format's and the field's `index`), a loop, a tuple and the pool's `add`: a few Python
    steps per posting, a few hundred postings a story. This is that method (2.7.5) step for
    step, with a field's postings going into the pool's per-term arrays in one call; the
    segment it writes is the same (`tests/test_whoosh_adapter.py` compares them byte for
    byte). Relies on SegmentWriter's `_check_state`, `_doc_boost`, `_field_boost`,
    `_check_fields`, `perdocwriter`, `pool` (made by `unlocked_writer`), `docnum` and
    `_added`.
    """
    writer._check_state()
    perdocwriter = writer.perdocwriter
    schema = writer.schema
    docnum = writer.docnum
    pool = writer.pool
    add_occurrences = getattr(pool, "add_occurrences", None)
    docboost = writer._doc_boost(fields)
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    writer._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if indexed and fieldname in indexed:
                length = indexed[fieldname]
            elif field.indexed:
                fieldboost = writer._field_boost(fields, fieldname, docboost)
                format_ = field.format
                occurrences = getattr(format_, "occurrences", None)
                # Whoosh weighs a posting (count × format boost) × field boost: with a field
                # boost other than 1 the pool's count × format boost would round otherwise.
                found = (
                    occurrences(value, field.analyzer)
                    if occurrences is not None and add_occurrences is not None and fieldboost == 1
                    else None
                )
                if found is not None:
                    total = add_occurrences(
                        fieldname, docnum, found, format_.stride, format_.field_boost
                    )
                    if field.scorable:
                        length = total
                else:
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        pool.add((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
            if field.separate_spelling():
                spellfield = field.spelling_fieldname(fieldname)
                for word in field.spellable_words(value):
                    pool.add((spellfield, word.encode("utf-8"), 0, 1, None))
            vformat = field.vector
            if vformat:
                vitems = vformat.word_values(value, field.analyzer, mode="index")
                vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                perdocwriter.add_vector_items(fieldname, field, vitems)
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1


def close_segment(writer: Any) -> Any | None:
    """Finish the segment of a worker's writer without committing it: its `Segment` (None if
    nothing was added, and the writer's files are dropped), for the parent to commit.

    Relies on SegmentWriter (2.7.5): `_added` says whether a document was added,
    `_finalize_segment()` flushes and closes the segment and returns it, `_close_segment()`
    closes an empty one. This is what `commit` does before it writes the table of contents.
    """
    if writer._added:
        return writer._finalize_segment()
    writer._close_segment()
    return None


def commit_with_segments(writer: Any, segments: list[Any], mergetype: Any = None) -> None:
    """`writer.commit(mergetype=...)`, with `segments` (from `close_segment` in other
    processes) added to the same table of contents.

    One TOC write makes the whole sync visible at once, and a kill before it leaves the last
    committed index as it was. Relies on SegmentWriter.commit (2.7.5) being these steps:
    `_merge_segments(mergetype, optimize, merge)` returns the segments to keep (CLEAR: none;
    `deleted_count`/`doc_count_all` then tell the emptied ones),
    `_finalize_segment()` or `_close_segment()` closes the writer's own segment,
    `_commit_toc(segments)` writes the next TOC generation and deletes files no segment
    uses, and `_finish()` drops the temp storage and releases the writer.
    """
    kept = writer._merge_segments(mergetype, False, True)
    # A segment all of whose stories this sync deleted (every file of it changed) holds
    # nothing, yet Whoosh keeps it: every posting list would still step over its dead
    # entries and every reader would still open it. Leaving it out of the TOC drops it.
    final = [seg for seg in kept if seg.deleted_count() < seg.doc_count_all()] + list(segments)
    own = close_segment(writer)
    if own is not None:
        final.append(own)
    writer._commit_toc(final)
    writer._finish()


def latest_generation(storage: Any, index_name: str) -> int:
    """The newest TOC generation of `index_name` in `storage` (-1: none), read from the file
    names alone, so it works on an index whose TOC cannot be read (a reset of a damaged or
    outdated index writes the next generation over it). Relies on `TOC._latest_generation`
    (2.7.5), which `FileIndex.latest_generation` calls once an index is open.
    """
    from whoosh.index import TOC

    return TOC._latest_generation(storage, index_name)
