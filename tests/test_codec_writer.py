"""The packed field writer takes a term's postings at a time and writes what W3's writes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.filedb.filestore import RamStorage

from termnews.engine.schema import build_schema
from termnews.engine.storage.codec import PackedCodec
from termnews.engine.whoosh_adapter import add_document, unlocked_writer

WORDS = ["harbour", "ferry", "council", "vote", "snow", "plough", "Okafor", "Tillbury"]
texts = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join)
stories = st.lists(st.tuples(texts, words, texts), min_size=1, max_size=30)
#: Enough stories that common words fill several of W3's 128-posting blocks, and some words
#: occur once (an inlined posting list).
many_stories = st.tuples(stories, st.integers(5, 40)).map(lambda drawn: drawn[0] * drawn[1])


def pooled_files(codec: PackedCodec, docs: list[tuple[str, str, str]]) -> dict[str, bytes]:
    """`written_files`, the words going through the term pool's packed occurrences (as a
    build's do), so that each term's list is written at once by the direct path."""
    storage = RamStorage()
    ix = storage.create_index(build_schema())
    writer = unlocked_writer(ix, codec=codec, compound=False)
    for i, (headline, body, names) in enumerate(docs):
        add_document(
            writer, {"path": f"s{i}", "headline": headline, "body": body, "authors": names}
        )
    writer.commit(merge=False)
    return {
        name[name.index(".") :]: storage.open_file(name).read()
        for name in storage.list()
        if not name.endswith((".toc", ".seg"))
    }


class W3FieldsCodec(PackedCodec):
    """Our codec with W3's own field writer, which takes one posting a call."""

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return W3FieldWriter(self, storage, segment)


def written_files(codec: PackedCodec, docs: list[tuple[str, str, str]]) -> dict[str, bytes]:
    """The segment files an index of `docs` is written as, named without the segment's id."""
    storage = RamStorage()
    ix = storage.create_index(build_schema())
    writer = ix.writer(codec=codec, compound=False)
    for i, (headline, body, names) in enumerate(docs):
        writer.add_document(path=f"s{i}", headline=headline, body=body, authors=names)
    writer.commit(merge=False)
    return {
        name[name.index(".") :]: storage.open_file(name).read()
        for name in storage.list()
        if not name.endswith((".toc", ".seg"))
    }


def assert_same_files(docs: list[tuple[str, str, str]]) -> None:
    ours, theirs = written_files(PackedCodec(), docs), written_files(W3FieldsCodec(), docs)
    assert set(ours) == set(theirs) and {".trm", ".pst"} <= set(ours)
    for name, data in ours.items():
        assert data == theirs[name], name


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(stories)
def test_the_packed_field_writer_writes_what_w3_writes(docs: list[tuple[str, str, str]]) -> None:
    assert_same_files(docs)


@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(many_stories)
def test_posting_lists_of_several_blocks_are_cut_where_w3_cuts_them(
    docs: list[tuple[str, str, str]],
) -> None:
    assert_same_files(docs)


def test_a_word_in_exactly_one_block_and_one_more_posting() -> None:
    for count in (127, 128, 129, 256, 257):
        assert_same_files([("ferry", "harbour vote", "Okafor")] * count)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(stories, st.integers(1, 5))
def test_term_lists_written_at_once_are_what_w3_writes_a_posting_at_a_time(
    docs: list[tuple[str, str, str]], blocklimit: int
) -> None:
    """Headlines (weights of 2), bodies (character offsets) and names, cut into blocks of
    one to five postings: every block's statistics, the term info and the files agree."""
    ours = pooled_files(PackedCodec(blocklimit=blocklimit), docs)
    theirs = written_files(W3FieldsCodec(blocklimit=blocklimit), docs)
    assert set(ours) == set(theirs) and {".trm", ".pst"} <= set(ours)
    for name, data in ours.items():
        assert data == theirs[name], name


def test_term_lists_at_whooshs_own_block_size() -> None:
    docs = [("ferry", "harbour vote " * (i % 3 + 1), "Okafor") for i in range(300)]
    assert pooled_files(PackedCodec(), docs) == written_files(W3FieldsCodec(), docs)


def test_stories_past_16_bit_positions_and_the_longest_length_code() -> None:
    """Positions past 65,535 (blocks of 32-bit positions), field lengths past the last
    length code, and words seen hundreds of times in one story (compressed offsets)."""
    long_body = "snow " * 70_000 + "harbour ferry " * 300 + "Okafor"
    docs = [
        ("ferry", long_body, "Okafor"),
        ("harbour vote", "harbour ferry vote", "Tillbury"),
        ("snow", "snow " * 110_000, "Okafor"),
    ] * 3
    ours = pooled_files(PackedCodec(blocklimit=2), docs)
    assert ours == written_files(W3FieldsCodec(blocklimit=2), docs)


def test_terms_written_together_take_the_run_encoder(monkeypatch: Any) -> None:
    """The segments compared above are written through `encode_blocks`, a run at a time."""
    runs = []
    encode_blocks = PackedCodec().postings_writer(RamStorage().create_file("x")).encode_blocks

    def counted(self: Any, run: Any) -> list[bytes]:
        runs.append(len(run.bounds) - 1)
        return encode_blocks.__func__(self, run)  # type: ignore[attr-defined]

    from termnews.engine.storage import codec

    monkeypatch.setattr(codec.PackedPostingsWriter, "encode_blocks", counted)
    docs = [("ferry", "harbour vote " * (i % 3 + 1), "Okafor") for i in range(300)]
    assert pooled_files(PackedCodec(), docs) == written_files(W3FieldsCodec(), docs)
    assert runs and sum(runs) > len(runs)  # several blocks a call
