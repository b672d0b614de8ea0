"""A posting-block layout that reads docnums and weights without decoding positions.

Whoosh's W3 codec writes each block of up to 128 postings as one zlib-compressed pickle of
(ids, weights, values), where the values are every posting's positions and character
offsets. Ranking or counting a word needs only ids and weights, yet had to inflate and
unpickle all of it: for a common body word that was most of a query's time, and a phrase
paid it for every word. This codec keeps W3's files and term info, and writes each block as

    header (`_BLOCK`)  ids  [weights]  positions  [character offsets]

- the header has a fixed size, so a posting list read with one call is walked in memory;
- ids (`array("I")`) and, unless every weight is 1.0, weights (`array("f")`) lie
  uncompressed: decoding them is a copy;
- positions, for the packed formats below, are a count per posting and then every
  position, 16 bits wide when they fit, uncompressed, so a phrase reads them with a copy;
- character offsets, which only snippets read, are zlib-compressed on their own (but for a
  block's few, `RAW_CHARS_MAX`, which are stored as they are). Values of
  any other format are stored there too, as lengths and the values joined.

The packed formats store a posting's positions (and character offsets) as one `array("I")`
instead of a pickle.

The codec is pickled into each segment's entry in the index's table of contents, so an index
written by it always reads with it; indexes of an older schema version rebuild anyway.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, chain
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Characters, Positions, tokens
from whoosh.util.numeric import byte_to_length, length_to_byte

from termnews.engine.storage.fused import (
    OccurrenceRows,
    fused,
    index_options_plain,
    word_occurrences,
)
from termnews.engine.whoosh_adapter import (
    BlockHeader,
    BlockLeafMatcher,
    BlockPostingsWriter,
    BlockRun,
    BlockToWrite,
    TermAtATimeFieldWriter,
    block_limits,
    length_codes,
)

#: Block flags: every weight is 1.0 (none stored).
UNIT_WEIGHTS = 1
#: The values are packed positions (see `PackedPositions`), stored as counts and positions.
POSITIONS = 2
#: The counts and positions fit 16 bits, and are stored so.
SHORT = 4
#: The character offsets are stored as they are, not compressed (see `RAW_CHARS_MAX`).
RAW_CHARS = 8
#: Character offsets up to this many bytes (8 an occurrence) are not compressed: for a word
#: seen once or twice in a block, zlib's setup cost more than the rest of the block's
#: encoding and saved a few bytes at most.
RAW_CHARS_MAX = 64
#: What `PackedLeafMatcher` reports as its blocks' compression (W3's own levels are 0-9).
PACKED = 100
#: A block's header: its length after this field (negative for a term's last block), posting
#: count, last docnum, best weight, shortest and longest field length (Whoosh's byte code),
#: flags, and the sizes of the ids-and-weights and of the positions.
_BLOCK = struct.Struct("<iIIdBBBII")
_LEVEL = 1
#: 1.0 as float32, for blocks whose weights are all 1.0 (and so not stored).
_ONE = array("f", [1.0])
_ONE_WEIGHTS = (_ONE * 128).tobytes()


class BlockValues:
    """A block's values, left as they lie on disk until one form of them is asked for."""

    __slots__ = ("_count", "_decoded", "_flags", "_packed", "_raw", "_stride")

    def __init__(self, count: int, flags: int, stride: int, raw: Any, packed: Any) -> None:
        self._count = count
        self._flags = flags
        self._stride = stride
        self._raw = raw
        self._packed = packed
        self._decoded: Any = None

    def positions(self) -> tuple[array, array]:
        """Each posting's occurrence count, and every occurrence's position, in block order."""
        if not self._flags & POSITIONS:
            return _positions_of(self.values(), self._stride)
        counts = array("H" if self._flags & SHORT else "I")
        counts.frombytes(self._raw[: counts.itemsize * self._count])
        posns = array(counts.typecode)
        posns.frombytes(self._raw[counts.itemsize * self._count :])
        return counts, posns

    def values(self) -> list[bytes]:
        """One packed value per posting, as the format encoded it."""
        return [self.value(i) for i in range(self._count)]

    def value(self, i: int) -> bytes:
        """The `i`th posting's value, decoding only what the block needs for it."""
        if self._decoded is None:
            self._decoded = self._decode()
        if not self._flags & POSITIONS:
            return self._decoded[i]
        offsets, posns, starts, ends = self._decoded
        span = slice(offsets[i], offsets[i + 1])
        if self._stride == 1:
            return array("I", posns[span]).tobytes()
        triples = zip(posns[span], starts[span], ends[span], strict=True)
        return array("I", chain.from_iterable(triples)).tobytes()

    def _decode(self) -> Any:
        if self._flags & RAW_CHARS:
            raw = bytes(self._packed)
        else:
            raw = zlib.decompress(self._packed) if self._packed else b""
        if not self._flags & POSITIONS:
            if not raw:
                return [b""] * self._count
            lengths = array("I")
            lengths.frombytes(raw[: 4 * self._count])
            joined = raw[4 * self._count :]
            ends = accumulate(lengths)
            return [joined[end - size : end] for end, size in zip(ends, lengths, strict=True)]
        counts, posns = self.positions()
        chars = array("I")
        chars.frombytes(raw)
        half = len(chars) // 2
        return list(accumulate(counts, initial=0)), posns, chars[:half], chars[half:]


class ListValues:
    """The same interface over values already decoded (inlined postings, other codecs)."""

    __slots__ = ("_stride", "_values")

    def __init__(self, values: list[bytes], stride: int) -> None:
        self._values = values
        self._stride = stride

    def positions(self) -> tuple[array, array]:
        return _positions_of(self._values, self._stride)

    def values(self) -> list[bytes]:
        return self._values

    def value(self, i: int) -> bytes:
        return self._values[i]


def _positions_of(values: list[bytes], stride: int) -> tuple[array, array]:
    if not stride:
        raise ValueError("these postings hold no positions")
    flat = array("I")
    flat.frombytes(b"".join(values))
    counts = array("I", [len(v) // (4 * stride) for v in values])
    return counts, (flat[0::stride] if stride > 1 else flat)


def stride_of(format_: Any) -> int:
    """How many ints one occurrence takes in the format's packed value (0: not packed)."""
    return getattr(format_, "stride", 0)


def split_block(
    data: bytes | memoryview, stride: int, *, core: bool = True
) -> tuple[array | None, array | None, BlockValues]:
    """A packed block's ids, weights (None when all are 1.0) and its values, still encoded.

    `data` is the whole block, header included. Without `core`, ids and weights are left
    compressed and come back as None.
    """
    _length, count, _maxid, _weight, _lo, _hi, flags, core_len, raw_len = _BLOCK.unpack_from(data)
    start = _BLOCK.size
    view = memoryview(data)
    raw = view[start + core_len : start + core_len + raw_len]
    packed = view[start + core_len + raw_len :]
    values = BlockValues(count, flags, stride, raw, packed)
    if not core:
        return None, None, values
    ids = array("I")
    weights: array | None = None
    ids.frombytes(view[start : start + 4 * count])
    if not flags & UNIT_WEIGHTS:
        weights = array("f")
        weights.frombytes(view[start + 4 * count : start + core_len])
    return ids, weights, values


@dataclass(slots=True)
class PostingList:
    """A segment's whole posting list for one term, cut out of its blocks without decoding.

    `ids` and `weights` are the blocks' arrays joined (one copy each); `places` holds each
    block's (offset, size, count) within the list, and with positions asked for, `positions`
    holds each block's (counts, positions) as typed bytes: (typecode, counts, positions).
    """

    ids: bytes
    weights: bytes
    places: list[tuple[int, int, int]]
    positions: list[tuple[str, bytes, bytes]]


def read_list(postings: bytes | memoryview, with_positions: bool) -> PostingList:
    """Cut a term's posting bytes (from its first block) into ids, weights and positions.

    A handful of slices a block, with no per-posting work: the blocks' ids and weights lie
    uncompressed, so a posting list decodes with joins and copies.
    """
    view = memoryview(postings)
    head = _BLOCK.size
    ids: list[memoryview] = []
    weights: list[Any] = []
    places = []
    positions = []
    for at, size, (_length, count, _maxid, _w, _lo, _hi, flags, core_len, raw_len) in _headers(
        view
    ):
        body = at + head
        ids.append(view[body : body + 4 * count])
        if flags & UNIT_WEIGHTS:
            weights.append(_ONE_WEIGHTS[: 4 * count] if count <= 128 else (_ONE * count).tobytes())
        else:
            weights.append(view[body + 4 * count : body + core_len])
        places.append((at, size, count))
        if with_positions and flags & POSITIONS:
            width = 2 if flags & SHORT else 4
            raw = body + core_len
            positions.append(
                (
                    "H" if width == 2 else "I",
                    view[raw : raw + width * count],
                    view[raw + width * count : raw + raw_len],
                )
            )
    return PostingList(b"".join(ids), b"".join(weights), places, positions)


def walk_blocks(postings: bytes | memoryview) -> Iterator[tuple[int, int, int, int]]:
    """(offset, size, posting count, last docnum) of each block in a term's posting bytes.

    `postings` starts at the first block (after W3's magic). Reading a whole posting list
    with one call and walking its fixed-size headers in memory is what makes a long list
    cheap to scan: Whoosh's matcher seeks and reads twice per block.
    """
    for at, size, header in _headers(postings):
        yield at, size, header[1], header[2]


def _headers(postings: bytes | memoryview) -> Iterator[tuple[int, int, tuple[Any, ...]]]:
    """(offset, size, header fields) of each block: the walk under `walk_blocks`."""
    at = 0
    unpack = _BLOCK.unpack_from
    while True:
        header = unpack(postings, at)
        length = header[0]
        size = 4 + (-length if length < 0 else length)
        yield at, size, header
        if length < 0:
            return
        at += size


def character_spans(value: bytes) -> list[tuple[int, int]]:
    """(start, end) of each occurrence in a packed characters value."""
    flat = array("I")
    flat.frombytes(value)
    return list(zip(flat[1::3], flat[2::3], strict=True))


class PackedPostingsWriter(BlockPostingsWriter):
    """W3's writer with the packed block body (see the module docstring); the adapter's base
    class hands over each full block, so this module needs none of W3's internals."""

    def encode_blocks(self, run: BlockRun) -> list[bytes]:
        """`encode_block` of every block of `run`, the same bytes, with the per-block
        arithmetic done once for the run in whole-array steps."""
        counts, flat, stride, boost = run.counts, run.flat, run.stride, run.boost
        bounds = run.bounds
        occurrence_bounds = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))[bounds]
        low, occurrence_low = bounds[:-1], occurrence_bounds[:-1]
        posns = flat[0::stride]
        most = np.maximum.reduceat(counts, low)
        short = (np.maximum.reduceat(posns, occurrence_low) < 65536) & (most < 65536)
        unit = ((most == 1) & (boost == 1.0)).tolist()
        short_list = short.tolist()
        ids_bytes = run.ids.tobytes()
        weights_bytes = (counts * boost).astype(np.float32).tobytes()
        counts_bytes = (counts.tobytes(), counts.astype(np.uint16).tobytes())
        posns_bytes = (posns.tobytes(), posns.astype(np.uint16).tobytes())
        chars = stride == 3
        starts_bytes = flat[1::3].tobytes() if chars else b""
        ends_bytes = flat[2::3].tobytes() if chars else b""
        last_ids = run.ids[bounds[1:] - 1].tolist()
        min_bytes = length_codes(run.min_length).tolist()
        max_bytes = length_codes(run.max_length).tolist()
        max_weights = (most * boost).tolist()
        lasts = run.last.tolist()
        blocks = []
        bounds_list = bounds.tolist()
        occurrences_list = occurrence_bounds.tolist()
        for k, is_short in enumerate(short_list):
            a, b = bounds_list[k], bounds_list[k + 1]
            oa, ob = occurrences_list[k], occurrences_list[k + 1]
            core = ids_bytes[4 * a : 4 * b]
            flags = POSITIONS
            if unit[k]:
                flags |= UNIT_WEIGHTS
            else:
                core += weights_bytes[4 * a : 4 * b]
            if is_short:
                flags |= SHORT
                raw = counts_bytes[1][2 * a : 2 * b] + posns_bytes[1][2 * oa : 2 * ob]
            else:
                raw = counts_bytes[0][4 * a : 4 * b] + posns_bytes[0][4 * oa : 4 * ob]
            packed = b""
            if chars:
                packed, how = _chars_section(
                    starts_bytes[4 * oa : 4 * ob] + ends_bytes[4 * oa : 4 * ob]
                )
                flags |= how
            blocks.append(
                _block_bytes(
                    lasts[k],
                    b - a,
                    last_ids[k],
                    max_weights[k],
                    min_bytes[k],
                    max_bytes[k],
                    flags,
                    core,
                    raw,
                    packed,
                )
            )
        return blocks

    def encode_block(self, block: BlockToWrite) -> bytes:
        ids = block.ids
        weights = block.weights
        flags = 0
        core = ids.tobytes()
        if weights.count(1.0) == len(weights):
            flags |= UNIT_WEIGHTS
        else:
            core += weights.tobytes()
        if block.occurrences is not None:
            counts, flat = block.occurrences
            raw, packed, more = _encode_occurrences(counts, flat, stride_of(block.format))
        else:
            raw, packed, more = _encode_values(block.values, stride_of(block.format))
        return _block_bytes(
            block.last,
            len(ids),
            ids[-1],
            block.max_weight,
            length_to_byte(block.min_length),
            length_to_byte(block.max_length),
            flags | more,
            core,
            raw,
            packed,
        )


def _block_bytes(
    last: bool,
    count: int,
    last_id: int,
    max_weight: float,
    min_length_code: int,
    max_length_code: int,
    flags: int,
    core: bytes,
    raw: bytes,
    packed: bytes,
) -> bytes:
    """A block as the matcher reads it: the header (its length negative for a term's last
    block), then the ids and weights, the counts and positions, the character offsets."""
    length = _BLOCK.size - 4 + len(core) + len(raw) + len(packed)
    header = _BLOCK.pack(
        -length if last else length,
        count,
        last_id,
        max_weight,
        min_length_code,
        max_length_code,
        flags,
        len(core),
        len(raw),
    )
    return b"".join((header, core, raw, packed))


def _chars_section(offsets: bytes) -> tuple[bytes, int]:
    """A block's character offsets (starts, then ends) as stored, and the flag saying how:
    as they are up to `RAW_CHARS_MAX` bytes, compressed beyond."""
    if len(offsets) <= RAW_CHARS_MAX:
        return offsets, RAW_CHARS
    return zlib.compress(offsets, _LEVEL), 0


#: A single occurrence with offsets: a count of 1 and a 16-bit position (native order, as
#: `array` writes them), then its start and end uncompressed.
_ONE_SHORT = struct.Struct("=HH")
_TWO_INTS = struct.Struct("=II")
_ONE_OCCURRENCE = POSITIONS | SHORT | RAW_CHARS


def _encode_values(values: list[bytes], stride: int) -> tuple[bytes, bytes, int]:
    """(raw section, compressed section, flags) for one block's values.

    Packed positions go uncompressed, as counts then positions (16-bit when they fit), so a
    phrase reads them with a copy; the character offsets, which only snippets read, go
    compressed. Any other values are stored compressed as lengths and the values joined.
    """
    if not values:
        return b"", b"", 0
    if not stride:
        lengths = array("I", map(len, values))
        return b"", zlib.compress(lengths.tobytes() + b"".join(values), _LEVEL), 0
    flat = array("I")
    flat.frombytes(b"".join(values))
    counts = array("I", [len(v) // (4 * stride) for v in values])
    return _encode_occurrences(counts, flat, stride)


def _encode_occurrences(counts: array, flat: array, stride: int) -> tuple[bytes, bytes, int]:
    """`_encode_values` for values given packed: each posting's occurrence count, and every
    occurrence's `stride` ints flat (what the values joined would be)."""
    if stride == 3 and len(flat) == 3 and flat[0] < 65536:
        # Most blocks written are a word's one occurrence: the same bytes, made directly.
        position, start, end = flat
        return _ONE_SHORT.pack(1, position), _TWO_INTS.pack(start, end), _ONE_OCCURRENCE
    posns = flat[0::stride] if stride > 1 else flat
    flags = POSITIONS
    if max(posns, default=0) < 65536 and max(counts) < 65536:
        counts, posns = array("H", counts), array("H", posns)
        flags |= SHORT
    packed = b""
    if stride == 3:
        packed, how = _chars_section(flat[1::3].tobytes() + flat[2::3].tobytes())
        flags |= how
    return counts.tobytes() + posns.tobytes(), packed, flags


class PackedLeafMatcher(BlockLeafMatcher):
    """Reads packed blocks; the values are inflated only when one is asked for. The adapter's
    base class calls `parse_header` on reaching a block, `parse_block` on first reading it."""

    block_header_size = _BLOCK.size
    block_compression = PACKED

    def parse_header(self, head: bytes) -> BlockHeader:
        length, count, maxid, maxweight, minlen, maxlen, _flags, _core, _raw = _BLOCK.unpack(head)
        last = length < 0
        return BlockHeader(
            4 + (-length if last else length),
            count,
            maxid,
            maxweight,
            byte_to_length(minlen),
            byte_to_length(maxlen),
            last,
        )

    def parse_block(self, data: bytes) -> tuple[array | None, array | None, BlockValues]:
        return split_block(data, stride_of(self.format))


class PackedFieldWriter(TermAtATimeFieldWriter):
    """W3's term writer, fed a term's postings at a time (see the adapter's class)."""


class PackedCodec(W3Codec):
    """W3 with packed posting blocks for the inverted index (term vectors stay W3)."""

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return PackedFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:
            return super().postings_writer(dbfile, byteids)
        limits = block_limits(self)
        return PackedPostingsWriter(
            dbfile,
            blocklimit=limits.block_limit,
            byteids=False,
            compression=_LEVEL,
            inlinelimit=limits.inline_limit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


# -- posting values --------------------------------------------------------------------------


def _word_values(
    value: Any, analyzer: Any, kwargs: dict[str, Any], boost: float, *, chars: bool
) -> Iterator[tuple[str, int, float, bytes]]:
    """(word, frequency, weight, packed value) per word of a field, as Whoosh's formats yield.

    Each word's occurrences go into one `array("I")`: positions, or (position, start, end)
    triples with `chars`.
    """
    found = _occurrences(value, analyzer, chars=chars) if index_options_plain(kwargs) else None
    if found is not None:
        stride = 3 if chars else 1
        for word, occurrences in found.items():
            count = len(occurrences) // stride
            yield word, count, count * boost, array("I", occurrences).tobytes()
        return
    seen: defaultdict[str, array] = defaultdict(lambda: array("I"))
    weights: defaultdict[str, float] = defaultdict(float)
    kwargs["positions"] = True
    kwargs["chars"] = chars
    kwargs["boosts"] = True
    for t in tokens(value, analyzer, kwargs):
        if chars:
            seen[t.text].extend((t.pos, t.startchar, t.endchar))
        else:
            seen[t.text].append(t.pos)
        weights[t.text] += t.boost
    stride = 3 if chars else 1
    for word, packed in seen.items():
        yield word, len(packed) // stride, weights[word] * boost, packed.tobytes()


def _occurrences(value: Any, analyzer: Any, *, chars: bool) -> dict[str, list[int]] | None:
    """Word -> its occurrences flat (positions, or position, start, end triples with
    `chars`), for the adapter's `add_document`; None when the chain is not fused. Every
    token's boost is 1.0 in these chains, so a word's weight is its count × the format's."""
    plan = fused(analyzer) if isinstance(value, str) else None
    return None if plan is None else word_occurrences(plan, value, chars=chars)


def _occurrence_rows(values: list[Any], analyzer: Any, *, chars: bool) -> OccurrenceRows | None:
    """`_occurrences` of several values at once, as rows (`FusedAnalyzer.rows`); None when
    the chain is not fused or a value is not text."""
    plan = fused(analyzer)
    if plan is None or not all(isinstance(value, str) for value in values):
        return None
    return plan.rows(values, chars=chars)


class PackedPositions(Positions):
    """Positions as one `array("I")`: decoding is a copy, not an unpickle."""

    stride = 1

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Any:
        return _word_values(value, analyzer, kwargs, self.field_boost, chars=False)

    def occurrences(self, value: Any, analyzer: Any) -> dict[str, list[int]] | None:
        return _occurrences(value, analyzer, chars=False)

    def occurrence_rows(self, values: list[Any], analyzer: Any) -> OccurrenceRows | None:
        return _occurrence_rows(values, analyzer, chars=False)

    def encode(self, poslist: Any) -> bytes:
        return array("I", poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        posns = array("I")
        posns.frombytes(valuestring)
        return posns.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(pos, 1.0) for pos in self.decode_positions(valuestring)]

    def combine(self, vs: Any) -> bytes:
        return self.encode(sorted({p for v in vs for p in self.decode_positions(v)}))


class PackedCharacters(Characters):
    """(position, start, end) triples flattened into one `array("I")`."""

    stride = 3

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Any:
        return _word_values(value, analyzer, kwargs, self.field_boost, chars=True)

    def occurrences(self, value: Any, analyzer: Any) -> dict[str, list[int]] | None:
        return _occurrences(value, analyzer, chars=True)

    def occurrence_rows(self, values: list[Any], analyzer: Any) -> OccurrenceRows | None:
        return _occurrence_rows(values, analyzer, chars=True)

    def encode(self, poslist: Any) -> bytes:
        return array("I", chain.from_iterable(poslist)).tobytes()

    def decode_characters(self, valuestring: bytes) -> list[tuple[int, int, int]]:
        flat = _ints(valuestring)
        return list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return _ints(valuestring)[0::3].tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 12

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(pos, 1.0) for pos in self.decode_positions(valuestring)]

    def combine(self, vs: Any) -> bytes:
        merged: dict[int, tuple[int, int]] = {}
        for v in vs:
            for pos, start, end in self.decode_characters(v):
                if pos in merged:
                    old_start, old_end = merged[pos]
                    start, end = min(start, old_start), max(end, old_end)
                merged[pos] = (start, end)
        return self.encode((pos, *merged[pos]) for pos in sorted(merged))


def _ints(valuestring: bytes) -> array:
    """A packed value as the flat `array("I")` it was encoded from."""
    flat = array("I")
    flat.frombytes(valuestring)
    return flat
