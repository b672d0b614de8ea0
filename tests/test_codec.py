"""The packed posting layout: what goes in comes out, through Whoosh's API and through ours.

Each property builds a small index with the real schema and codec, then checks every term's
postings against what the analyzer says the documents hold, and every phrase against a scan
of the token lists and against Whoosh's own phrase matcher.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from termnews.engine.matching.matchsets import DocSets
from termnews.engine.schema import build_schema, text_analyzer
from termnews.engine.storage.codec import (
    _BLOCK,
    POSITIONS,
    RAW_CHARS,
    RAW_CHARS_MAX,
    SHORT,
    UNIT_WEIGHTS,
    BlockValues,
    PackedCharacters,
    PackedCodec,
    PackedLeafMatcher,
    PackedPositions,
    _encode_occurrences,
    _encode_values,
    character_spans,
    split_block,
    walk_blocks,
)
from termnews.engine.storage.postings import blocks, values_for

WORDS = ["harbour", "ferry", "council", "vote", "the", "of", "snow", "plough", "ferries"]
bodies = st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join)
documents = st.lists(bodies, min_size=1, max_size=40)


@contextmanager
def packed_index(docs: list[str], commits: int = 1, codec: Any = "packed") -> Iterator[Any]:
    """An in-memory index of `docs` (as bodies) written in `commits` segments, then a searcher."""
    ix = RamStorage().create_index(build_schema())
    chunk = max(1, -(-len(docs) // commits))
    for start in range(0, len(docs), chunk):
        writer = ix.writer(codec=PackedCodec() if codec == "packed" else codec)
        for i, body in enumerate(docs[start : start + chunk], start):
            writer.add_document(path=f"d{i}", headline="", body=body)
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        yield searcher


def expected_postings(docs: list[str]) -> dict[str, dict[int, list[tuple[int, int, int]]]]:
    """term -> docnum -> (position, start, end) of each occurrence, from the analyzer itself."""
    found: dict[str, dict[int, list[tuple[int, int, int]]]] = defaultdict(dict)
    analyzer = text_analyzer()
    for docnum, body in enumerate(docs):
        for token in analyzer(body, positions=True, chars=True):
            found[token.text].setdefault(docnum, []).append(
                (token.pos, token.startchar, token.endchar)
            )
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=documents, commits=st.integers(1, 3))
def test_postings_round_trip_through_whoosh_and_our_block_reader(
    docs: list[str], commits: int
) -> None:
    with packed_index(docs, commits) as searcher:
        reader = searcher.reader()
        for term, per_doc in expected_postings(docs).items():
            matcher = reader.postings("body", term)
            seen = {}
            while matcher.is_active():
                seen[matcher.id()] = matcher.value_as("characters")
                assert matcher.weight() == len(per_doc[matcher.id()])
                matcher.next()
            assert seen == per_doc
            ours = {}
            for block in blocks(reader, "body", term):
                for i, local in enumerate(block.ids):
                    ours[block.base + local] = block.values.value(i)
            assert {d: _triples(v) for d, v in ours.items()} == per_doc
            wanted = sorted(per_doc)[::2]
            spans = values_for(reader, "body", term, wanted)
            assert {d: character_spans(v) for d, v in spans.items()} == {
                d: [(s, e) for _p, s, e in per_doc[d]] for d in wanted
            }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=documents,
    phrase=st.lists(st.sampled_from(WORDS), min_size=2, max_size=3),
    packed=st.booleans(),
)
def test_phrases_match_a_scan_of_the_tokens_and_whoosh(
    docs: list[str], phrase: list[str], packed: bool
) -> None:
    """`packed=False` writes Whoosh's own W3 blocks, which our readers take one posting at a
    time: the same answers either way."""
    analyzer = text_analyzer()
    wanted = [(t.text, t.pos) for t in analyzer(" ".join(phrase), positions=True)]
    if len(wanted) < 2:
        return
    first = wanted[0][1]
    words = tuple((text, pos - first) for text, pos in wanted)
    expected = set()
    for docnum, body in enumerate(docs):
        at = {(t.text, t.pos) for t in analyzer(body, positions=True)}
        starts = {p for text, p in at if text == words[0][0]}
        if any(all((text, s + off) in at for text, off in words) for s in starts):
            expected.add(docnum)
    with packed_index(docs, commits=2, codec=PackedCodec() if packed else None) as searcher:
        ours = DocSets(searcher).phrase(("body", words))
        # Again with the words' postings cached first: positions then come block by block.
        cached = DocSets(searcher)
        for word, _offset in words:
            cached.postings.get("body", word)
        assert cached.phrase(("body", words)) == expected
        assert ours == expected
        if all(off == i for i, (_text, off) in enumerate(words)):
            whoosh = wq.Phrase("body", [text for text, _off in words])
            assert set(whoosh.docs(searcher)) == expected


def test_a_merged_index_reads_the_same() -> None:
    docs = ["harbour ferry vote " * 40, "snow plough council", "ferry ferries harbour"] * 50
    with packed_index(docs, commits=3) as searcher:
        before = DocSets(searcher).phrase(("body", (("harbour", 0), ("ferri", 1))))
    ix = RamStorage().create_index(build_schema())
    for start in range(0, len(docs), 50):
        writer = ix.writer(codec=PackedCodec())
        for i, body in enumerate(docs[start : start + 50], start):
            writer.add_document(path=f"d{i}", headline="", body=body)
        writer.commit(merge=False)
    assert len(ix._segments()) == 3
    ix.writer(codec=PackedCodec()).commit(optimize=True)
    assert len(ix._segments()) == 1
    with ix.searcher() as searcher:
        matcher = searcher.reader().postings("body", "harbour")
        assert type(getattr(matcher, "child", matcher)) is PackedLeafMatcher
        assert DocSets(searcher).phrase(("body", (("harbour", 0), ("ferri", 1)))) == before
        assert before == set(range(0, 150, 3))


def test_long_stories_keep_positions_past_16_bits() -> None:
    far = array("I", [3, 10, 14, 70_000, 70_010, 70_014]).tobytes()
    near = array("I", [5, 0, 4]).tobytes()
    raw, packed, flags = _encode_values([far, near], stride=3)
    assert flags & POSITIONS and not flags & SHORT
    values = BlockValues(2, flags, 3, memoryview(raw), memoryview(packed))
    assert values.values() == [far, near]
    counts, posns = values.positions()
    assert list(counts) == [2, 1] and list(posns) == [3, 70_000, 5]


def test_short_blocks_use_16_bits_and_read_back() -> None:
    values = [array("I", [1, 0, 3, 9, 5, 8]).tobytes(), array("I", [2, 4, 7]).tobytes()]
    raw, packed, flags = _encode_values(values, stride=3)
    assert flags & SHORT
    assert len(raw) == 2 * (2 + 3)  # two counts and three positions, two bytes each
    core = array("I", [4, 9]).tobytes()
    length = _BLOCK.size - 4 + len(core) + len(raw) + len(packed)
    header = _BLOCK.pack(-length, 2, 9, 1.0, 1, 1, flags | UNIT_WEIGHTS, len(core), len(raw))
    data = header + core + raw + packed
    assert list(walk_blocks(data)) == [(0, len(data), 2, 9)]
    got_ids, weights, got = split_block(data, 3)
    assert list(got_ids or []) == [4, 9] and weights is None
    assert got.values() == values
    _none, _no_weights, lazy = split_block(data, 3, core=False)
    assert _none is None and lazy.values() == values


def test_formats_decode_what_they_encode() -> None:
    chars = PackedCharacters(field_boost=2.0)
    triples = [(0, 0, 4), (7, 30, 36)]
    value = chars.encode(triples)
    assert chars.decode_characters(value) == triples
    assert chars.decode_positions(value) == [0, 7]
    assert chars.decode_frequency(value) == 2
    assert chars.decode_weight(value) == 4.0
    assert chars.combine([value, chars.encode([(3, 10, 12)])]) == chars.encode(
        [(0, 0, 4), (3, 10, 12), (7, 30, 36)]
    )
    posns = PackedPositions()
    assert posns.decode_positions(posns.encode([2, 9])) == [2, 9]
    assert posns.combine([posns.encode([9]), posns.encode([2, 9])]) == posns.encode([2, 9])


def _triples(value: bytes) -> list[tuple[int, int, int]]:
    flat = array("I")
    flat.frombytes(value)
    return list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))


def test_a_story_longer_than_16_bit_positions_keeps_its_phrases_and_offsets() -> None:
    filler = "snow " * 70_000
    docs = [filler + "harbour ferry", "harbour ferry vote", filler]
    with packed_index(docs) as searcher:
        docsets = DocSets(searcher)
        assert docsets.phrase(("body", (("harbour", 0), ("ferri", 1)))) == {0, 1}
        reader = searcher.reader()
        spans = values_for(reader, "body", "harbour", [0, 1])
        assert character_spans(spans[0]) == [(len(filler), len(filler) + len("harbour"))]
        assert character_spans(spans[1]) == [(0, len("harbour"))]
        matcher = reader.postings("body", "ferri")
        assert matcher.value_as("positions") == [70_001]


def test_few_character_offsets_lie_raw_and_many_compressed_and_both_read_back() -> None:
    """A block with a word's few occurrences keeps their offsets uncompressed; one with
    more than `RAW_CHARS_MAX` bytes of them compresses them; both decode the same way."""
    docs = ["harbour ferry " * (1 + i % 3) + "okafor" for i in range(40)]
    docs[7] += " tillbury"
    seen = set()
    with packed_index(docs) as searcher:
        reader = searcher.reader()
        for term, per_doc in expected_postings(docs).items():
            flags = set()
            for block in blocks(reader, "body", term):
                flags.add(bool(block.values._flags & RAW_CHARS))
                decoded = {
                    block.base + local: _triples(block.values.value(i))
                    for i, local in enumerate(block.ids)
                }
                assert decoded == {d: per_doc[d] for d in decoded}
            many = sum(len(v) for v in per_doc.values()) * 8 > RAW_CHARS_MAX
            assert flags == ({False} if many else {True}), term
            seen.add(many)
        assert seen == {True, False}


@given(
    position=st.integers(0, 70_000), start=st.integers(0, 2**32 - 1), end=st.integers(0, 2**32 - 1)
)
def test_one_occurrence_encodes_as_the_arrays_would(position: int, start: int, end: int) -> None:
    """A block's lone occurrence has its own quick path; its bytes are the general ones."""
    raw, packed, flags = _encode_occurrences(array("I", [1]), array("I", [position, start, end]), 3)
    width = "H" if position < 65536 else "I"
    assert raw == array(width, [1]).tobytes() + array(width, [position]).tobytes()
    assert packed == array("I", [start]).tobytes() + array("I", [end]).tobytes()
    assert flags == POSITIONS | RAW_CHARS | (SHORT if width == "H" else 0)
