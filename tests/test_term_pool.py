"""The term pool writes the segments Whoosh's own posting pool writes, spilled runs or not."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import PostingPool

from termnews.engine.schema import build_schema
from termnews.engine.storage import termpool
from termnews.engine.storage.codec import PackedCodec
from termnews.engine.storage.termpool import TermPool
from termnews.engine.whoosh_adapter import add_document, add_documents, unlocked_writer

WORDS = [
    "harbour", "Harbours", "ferry", "the", "a", "vote", "voted", "Montréal", "MONTREAL",
    "İstanbul", "U.S.", "x*y", "2024", "7", "ﬁnance", "Okafor", "of", "strike", "naïve",
]  # fmt: skip
text = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
document = st.fixed_dictionaries(
    {"headline": text, "body": text},
    optional={"authors": text, "caption": text, "dateline": text, "agency": text},
)
documents = st.lists(document, min_size=1, max_size=12)
#: A run of stories long enough that common words fill several 128-posting blocks.
long_run = st.tuples(documents, st.integers(10, 30)).map(lambda drawn: drawn[0] * drawn[1])


def full(docs: list[dict[str, str]], first: int = 0) -> list[dict[str, Any]]:
    """Documents with every kind of field the schema has: IDs, a date, stored-only."""
    return [
        {
            **doc,
            "path": f"s{first + i}",
            "sig": f"{first + i}:{len(doc['body'])}",
            "sid": f"id{(first + i) % 5}",
            "published": datetime(2024, 1, 1 + (first + i) % 28),
            "pub": "2024-01-01",
            "est": False,
        }
        for i, doc in enumerate(docs)
    ]


def segment_files(storage: Any) -> dict[str, bytes]:
    files = [name for name in storage.list() if not name.endswith((".toc", ".seg"))]
    return {name[name.index(".") :]: storage.open_file(name).read() for name in files}


def written(
    batches: list[list[dict[str, Any]]], ours: bool, limitmb: float = 64, together: int = 0
) -> Any:
    """Each batch committed as one writer's segment; the last commit merges what it can.
    Ours adds documents one at a time, or `together` at a time with `add_documents`."""
    storage = RamStorage()
    ix = storage.create_index(build_schema())
    for number, batch in enumerate(batches):
        last = number == len(batches) - 1
        if ours:
            writer = unlocked_writer(ix, codec=PackedCodec(), compound=False, limitmb=limitmb)
            if together:
                for first in range(0, len(batch), together):
                    add_documents(writer, batch[first : first + together])
            for doc in batch if not together else ():
                add_document(writer, doc)
        else:
            writer = ix.writer(codec=PackedCodec(), compound=False)
            for doc in batch:
                writer.add_document(**doc)
        writer.commit(merge=last)
    return segment_files(storage)


def assert_same_segments(
    batches: list[list[dict[str, Any]]], limitmb: float = 64, together: int = 0
) -> None:
    theirs = written(batches, ours=False)
    mine = written(batches, ours=True, limitmb=limitmb, together=together)
    assert set(mine) == set(theirs) and {".trm", ".pst"} <= set(mine)
    for name, data in theirs.items():
        assert mine[name] == data, name


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    documents,
    st.sampled_from([1, 2, 5, 64]),
    st.sampled_from([0.0005, 0.01, 64]),
    st.sampled_from([3, 40, termpool.FOLD_ROWS]),
)
def test_documents_added_together_write_the_same_segment(
    docs: list[dict[str, str]], together: int, limit: float, fold_rows: int
) -> None:
    """`add_documents` (a field's words for several documents at once, kept as columns
    until they are folded into the words' arrays, the segment is written or a run
    spilled) writes what Whoosh writes."""
    with patch.object(termpool, "FOLD_ROWS", fold_rows):
        assert_same_segments([full(docs)], limitmb=limit, together=together)


@settings(max_examples=6, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(long_run, st.sampled_from([3, 64]))
def test_long_lists_added_together_are_cut_into_the_same_blocks(
    docs: list[dict[str, str]], together: int
) -> None:
    assert_same_segments([full(docs)], together=together)


def test_words_added_both_ways_into_one_field_come_back_in_docnum_order() -> None:
    """A field whose words came one document at a time and a batch at a time, the two
    interleaved in docnum order, is written as if every document came alone."""
    docs = full([{"headline": "ferry vote", "body": f"harbour ferry {n} vote"} for n in range(9)])
    docs[4]["body"] = None  # the batch around it leaves this document out of the field
    storage = RamStorage()
    ix = storage.create_index(build_schema())
    writer = unlocked_writer(ix, codec=PackedCodec(), compound=False)
    add_document(writer, docs[0])
    add_documents(writer, docs[1:4])
    add_document(writer, docs[4])
    add_documents(writer, docs[5:8])
    add_document(writer, docs[8])
    writer.commit(merge=False)
    theirs = written([docs], ours=False)
    mine = segment_files(storage)
    for name, data in theirs.items():
        assert mine[name] == data, name


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents)
def test_a_segment_is_the_one_whooshs_pool_writes(docs: list[dict[str, str]]) -> None:
    assert_same_segments([full(docs)])


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents, st.sampled_from([0.0005, 0.002, 0.01]))
def test_spilled_runs_join_into_the_same_segment(docs: list[dict[str, str]], limit: float) -> None:
    assert_same_segments([full(docs)], limitmb=limit)


@settings(max_examples=6, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(long_run, st.sampled_from([0.02, 64]))
def test_long_posting_lists_are_cut_into_the_same_blocks(
    docs: list[dict[str, str]], limit: float
) -> None:
    assert_same_segments([full(docs)], limitmb=limit)


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents, documents, documents)
def test_segments_merged_in_go_through_the_pool_as_whooshs_do(
    first: list[dict[str, str]], second: list[dict[str, str]], third: list[dict[str, str]]
) -> None:
    # The third writer merges the two small segments before it into its own: their postings
    # reach the pool one at a time, after the writer's own words.
    batches = [full(first), full(second, 100), full(third, 200)]
    assert_same_segments(batches)
    assert_same_segments(batches, limitmb=0.001)


postings = st.lists(
    st.tuples(
        st.sampled_from(["body", "headline", "path"]),
        st.binary(min_size=1, max_size=6),
        st.integers(0, 50),
        st.sampled_from([1.0, 2.0, 0.5]),
        st.one_of(st.none(), st.binary(max_size=8)),
    ),
    max_size=60,
    # A term has one posting per document and field (Whoosh's pool cannot sort two).
    unique_by=lambda posting: posting[:3],
)


@settings(max_examples=60, deadline=None)
@given(postings, st.sampled_from([0.0002, 64]))
def test_postings_added_one_at_a_time_come_back_as_whooshs_pool_sorts_them(
    added: list[Any], limit: float
) -> None:
    storage = RamStorage()
    pool = TermPool(storage, limitmb=limit)
    whoosh_pool = PostingPool(storage, None, limitmb=64)
    try:
        for posting in added:
            pool.add(posting)
            whoosh_pool.add(posting)
        if limit < 1 and len(added) > 2:
            assert pool.runs
        # Whoosh's field writer reads a value of None as no value (b"").
        expected = [(f, t, d, w, v or b"") for f, t, d, w, v in whoosh_pool.iter_postings()]
        assert list(pool.iter_postings()) == expected
    finally:
        pool.cleanup()
        whoosh_pool.cleanup()


def test_words_out_of_docnum_order_are_sorted_as_whoosh_would() -> None:
    storage = RamStorage()
    pool = TermPool(storage)
    pool.add_occurrences("body", 5, {"ferry": [0, 0, 5], "vote": [1, 6, 10]}, 3, 1.0)
    pool.add_occurrences("body", 2, {"ferry": [3, 9, 14, 7, 20, 25]}, 3, 1.0)
    lists = {term.btext: term for term in pool.iter_postings().term_lists()}
    ferry = lists[b"ferry"]
    assert list(ferry.ids) == [2, 5] and ferry.weights == [2.0, 1.0]
    assert ferry.value_list()[0] == bytes(__import__("array").array("I", [3, 9, 14, 7, 20, 25]))
    assert list(lists[b"vote"].ids) == [5]


def test_cleanup_deletes_the_spilled_runs(tmp_path: Any) -> None:
    from whoosh.filedb.filestore import FileStorage

    ix = FileStorage(str(tmp_path)).create_index(build_schema())
    writer = unlocked_writer(ix, codec=PackedCodec(), compound=False, limitmb=0.001)
    try:
        for doc in full([{"headline": "harbour ferry vote", "body": "the ferry strike"}] * 20):
            add_document(writer, doc)
        pool = writer.pool
        runs = list(pool.runs)
        assert runs and all(pool.tempstore.file_exists(run) for run in runs)
        pool.cleanup()  # what Whoosh's writer calls as it closes the segment
        assert not pool.runs and not any(pool.tempstore.file_exists(run) for run in runs)
    finally:
        writer.cancel()
