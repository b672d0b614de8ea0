"""What `engine/whoosh_adapter.py` relies on in Whoosh's internals, pinned against the installed
Whoosh: each test compares the adapter's reads and commits with Whoosh's public API on small
indexes written with our schema and codec. If a Whoosh upgrade changes any of it, these fail;
audit `src/termnews/engine/whoosh_adapter.py` against the new release.
"""

from __future__ import annotations

import importlib.metadata
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import whoosh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import open_dir
from whoosh.util.numeric import length_to_byte
from whoosh.writing import CLEAR, LockError

from termnews.engine.schema import build_schema, text_analyzer
from termnews.engine.storage.codec import PackedCodec, PackedLeafMatcher, read_list, walk_blocks
from termnews.engine.store import INDEX_NAME
from termnews.engine.sync.writer import WRITER_OPTIONS
from termnews.engine.whoosh_adapter import (
    AUDITED_WHOOSH_VERSION,
    BlockLimits,
    add_document,
    add_documents,
    block_limits,
    close_segment,
    column_values,
    commit_with_segments,
    field_length_bytes,
    field_term_records,
    latest_generation,
    posting_extent,
    postings_file,
    unlocked_writer,
)

WORDS = ["quarry", "lantern", "orchard", "tide", "the", "of", "granary", "mill", "mills"]
bodies = st.lists(st.sampled_from(WORDS), min_size=0, max_size=30).map(" ".join)
headlines = st.one_of(st.just(""), st.sampled_from(WORDS[:4]))
stories = st.lists(st.tuples(headlines, bodies), min_size=1, max_size=30)


def test_installed_whoosh_is_the_release_the_adapter_was_audited_for() -> None:
    installed = importlib.metadata.version("whoosh-reloaded")
    assert installed == whoosh.versionstring() == AUDITED_WHOOSH_VERSION, (
        f"whoosh-reloaded {installed} is installed, but src/termnews/engine/whoosh_adapter.py "
        f"was audited against {AUDITED_WHOOSH_VERSION}: audit every private name it uses "
        "against the new release (this file's tests help), then update AUDITED_WHOOSH_VERSION"
    )


# -- helpers -----------------------------------------------------------------------------


def write_segments(ix: Any, stories: list[tuple[str, str]], commits: int, codec: Any) -> None:
    """`stories` (headline, body) as documents d0, d1... in `commits` unmerged segments."""
    chunk = max(1, -(-len(stories) // commits))
    for start in range(0, len(stories), chunk):
        writer = ix.writer(codec=codec)
        for i, (headline, body) in enumerate(stories[start : start + chunk], start):
            writer.add_document(path=f"d{i}", headline=headline, body=body)
        writer.commit(merge=False)


def expected_postings(stories: list[tuple[str, str]]) -> dict[str, dict[int, list[Any]]]:
    """body term -> docnum -> (position, start, end) of each occurrence, from the analyzer."""
    found: dict[str, dict[int, list[Any]]] = defaultdict(dict)
    for docnum, (_headline, body) in enumerate(stories):
        for token in text_analyzer()(body, positions=True, chars=True):
            found[token.text].setdefault(docnum, []).append(
                (token.pos, token.startchar, token.endchar)
            )
    return found


# -- posting blocks: BlockPostingsWriter, BlockLeafMatcher, block_limits, posting_extent ------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories=stories, blocklimit=st.integers(1, 6), commits=st.integers(1, 2))
def test_packed_blocks_read_back_through_whooshs_public_matcher(
    stories: list[tuple[str, str]], blocklimit: int, commits: int
) -> None:
    """Whoosh's own matcher methods (which read the block statistics our `_goto` sets) see
    exactly the postings written, in blocks of `blocklimit`, with the right block bounds."""
    ix = RamStorage().create_index(build_schema())
    write_segments(ix, stories, commits, PackedCodec(blocklimit=blocklimit))
    expected = expected_postings(stories)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term, per_doc in expected.items():
            seen: dict[int, Any] = {}
            weights: list[float] = []
            for leaf, base in reader.leaf_readers():
                if not leaf.doc_frequency("body", term):
                    continue
                matcher = leaf.postings("body", term)
                assert type(matcher) is PackedLeafMatcher
                blocks = 0
                while matcher.is_active():
                    blocks += 1
                    top, best = matcher.block_max_id(), matcher.block_max_weight()
                    shortest, longest = matcher.block_min_length(), matcher.block_max_length()
                    in_block = []
                    # Whoosh's block-skipping reads these bounds, so they must hold.
                    while True:
                        docnum = matcher.id()
                        in_block.append(docnum)
                        seen[base + docnum] = matcher.value_as("characters")
                        assert matcher.weight() == len(per_doc[base + docnum])
                        weights.append(matcher.weight())
                        if matcher.next():  # True: moved to the next block (or the end)
                            break
                    assert top == in_block[-1] and len(in_block) <= blocklimit
                    assert best == max(weights[-len(in_block) :])
                    lengths = [leaf.doc_field_length(d, "body") for d in in_block]
                    assert (shortest, longest) == (min(lengths), max(lengths))
                size = leaf.doc_frequency("body", term)
                assert blocks == math.ceil(size / blocklimit)
            assert seen == per_doc


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories=stories, blocklimit=st.integers(1, 6), target=st.integers(0, 30))
def test_skip_to_lands_where_whooshs_iteration_says(
    stories: list[tuple[str, str]], blocklimit: int, target: int
) -> None:
    ix = RamStorage().create_index(build_schema())
    write_segments(ix, stories, 1, PackedCodec(blocklimit=blocklimit))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term, per_doc in expected_postings(stories).items():
            matcher = reader.postings("body", term)
            matcher.skip_to(target)
            later = [d for d in sorted(per_doc) if d >= target]
            if later:
                assert matcher.is_active() and matcher.id() == later[0]
            else:
                assert not matcher.is_active()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories=stories, blocklimit=st.integers(1, 6))
def test_posting_extent_is_the_whole_list_after_the_magic(
    stories: list[tuple[str, str]], blocklimit: int
) -> None:
    ix = RamStorage().create_index(build_schema())
    write_segments(ix, stories, 1, PackedCodec(blocklimit=blocklimit))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term, per_doc in expected_postings(stories).items():
            matcher = reader.postings("body", term)
            matcher = getattr(matcher, "child", matcher)
            postfile, first, end = posting_extent(matcher)
            assert postfile.get(first - 4, 4) == WHOOSH3_HEADER_MAGIC
            whole = memoryview(postfile.get(first, end - first))
            places = list(walk_blocks(whole))
            assert sum(size for _at, size, _count, _top in places) == end - first
            assert len(places) == math.ceil(len(per_doc) / blocklimit)
            plist = read_list(whole, with_positions=True)
            assert list(memoryview(plist.ids).cast("I")) == list(matcher.all_ids())
            assert list(memoryview(plist.weights).cast("f")) == [
                float(len(per_doc[d])) for d in sorted(per_doc)
            ]


def test_block_limits_are_the_codecs_own() -> None:
    assert block_limits(PackedCodec(blocklimit=7, inlinelimit=3)) == BlockLimits(7, 3)
    assert block_limits(W3Codec()) == BlockLimits(128, 1)
    writer = PackedCodec(blocklimit=7, inlinelimit=3).postings_writer(None)
    assert writer._blocklimit == 7 and writer._inlinelimit == 3


# -- per-document columns: field_length_bytes --------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stories=stories,
    commits=st.integers(1, 3),
    deleted=st.sets(st.integers(0, 29), max_size=5),
)
def test_field_length_bytes_equal_whooshs_per_document_lengths(
    stories: list[tuple[str, str]], commits: int, deleted: set[int]
) -> None:
    """Optional headlines leave segments with no headline column, or a column that stops
    before the segment's last documents; deletions must not shift anything."""
    ix = RamStorage().create_index(build_schema())
    write_segments(ix, stories, commits, PackedCodec())
    if deleted:
        writer = ix.writer(codec=PackedCodec())
        for i in deleted:
            writer.delete_by_term("path", f"d{i}")
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        for leaf, _base in searcher.reader().leaf_readers():
            count = leaf.doc_count_all()
            for field in ("body", "headline", "caption"):
                got = field_length_bytes(leaf, field)
                assert got is not None, "the one-slice path no longer applies to W3 segments"
                want = [length_to_byte(leaf.doc_field_length(d, field, 0)) for d in range(count)]
                assert list(got) == want


def test_field_length_bytes_leaves_other_readers_to_the_caller() -> None:
    class NotASegment:
        def doc_count_all(self) -> int:
            return 3

    assert field_length_bytes(NotASegment(), "body") is None


# -- per-document columns: column_values -----------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=st.lists(
        st.tuples(st.text(min_size=1, max_size=12), st.none() | st.text(max_size=8)),
        min_size=1,
        max_size=25,
    ),
    commits=st.integers(1, 3),
)
def test_column_values_equal_whooshs_column_reader(
    docs: list[tuple[str, str | None]], commits: int
) -> None:
    """Paths of every length (accents included) and identities that only some stories have,
    so some columns hold empty values or stop before their segment's last document."""
    ix = RamStorage().create_index(build_schema())
    chunk = max(1, -(-len(docs) // commits))
    for start in range(0, len(docs), chunk):
        writer = ix.writer(codec=PackedCodec())
        for i, (path, sid) in enumerate(docs[start : start + chunk], start):
            fields = {"path": f"{i}/{path}", "body": "harbour"}
            if sid is not None:
                fields["sid"] = sid
            writer.add_document(**fields)
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        for leaf, _base in searcher.reader().leaf_readers():
            for field in ("path", "sid", "published"):
                want = list(leaf.column_reader(field, translate=False))
                assert column_values(leaf, field) == want


# -- the terms file: field_term_records, postings_file ----------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stories=stories,
    commits=st.integers(1, 3),
    deleted=st.sets(st.integers(0, 29), max_size=5),
)
def test_field_term_records_equal_whooshs_term_iteration(
    stories: list[tuple[str, str]], commits: int, deleted: set[int]
) -> None:
    ix = RamStorage().create_index(build_schema())
    write_segments(ix, stories, commits, PackedCodec())
    if deleted:
        writer = ix.writer(codec=PackedCodec())
        for i in deleted:
            writer.delete_by_term("path", f"d{i}")
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        for leaf, _base in searcher.reader().leaf_readers():
            for field in ("body", "headline", "path", "caption"):
                got = field_term_records(leaf, field)
                assert got is not None, "the one-read path no longer applies to W3 segments"
                want = []
                if field in leaf.indexed_field_names():
                    want = [
                        (text.decode("utf-8"), info.doc_frequency())
                        for text, info in leaf.iter_field(field)
                    ]
                assert list(zip(got.terms, got.frequencies, strict=True)) == want
                for term, start, end in zip(got.terms, got.starts, got.ends, strict=True):
                    assert not leaf.term_info(field, term).is_inlined()
                    # Where Whoosh's own matcher for the term reads its blocks.
                    matcher = leaf.postings(field, term)
                    matcher = getattr(matcher, "child", matcher)
                    extent = (postings_file(leaf), start, end)
                    assert extent == posting_extent(matcher), term


def test_field_term_records_leave_other_readers_to_the_caller() -> None:
    class NotASegment:
        pass

    assert field_term_records(NotASegment(), "body") is None


# -- writing and committing: unlocked_writer, close_segment, commit_with_segments ----------


def new_index(folder: Path, stories: list[tuple[str, str]]) -> Any:
    ix = FileStorage(str(folder)).create_index(build_schema(), indexname=INDEX_NAME)
    if stories:
        write_segments(ix, stories, 1, PackedCodec())
    return ix


def stored_paths(folder: Path) -> set[str]:
    ix = open_dir(str(folder), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        return {fields["path"] for fields in searcher.all_stored_fields()}


def test_an_unlocked_writer_leaves_whooshs_write_lock_to_its_holder(tmp_path: Path) -> None:
    ix = new_index(tmp_path, [])
    lock = ix.lock("WRITELOCK")
    assert lock.acquire()
    try:
        writer = unlocked_writer(ix, **WRITER_OPTIONS)  # would raise LockError if it locked
        writer.add_document(path="d0", body="quarry lantern")
        writer.commit()
        with pytest.raises(LockError):
            ix.writer(timeout=0.0)  # the lock is held: Whoosh's own writer must wait
    finally:
        lock.release()
    assert stored_paths(tmp_path) == {"d0"}


def worker_segment(ix: Any, paths: list[str]) -> Any:
    writer = unlocked_writer(ix, **WRITER_OPTIONS)
    for path in paths:
        writer.add_document(path=path, headline="orchard", body=f"tide mill {path}")
    return close_segment(writer)


def test_segments_from_workers_commit_in_one_toc_write(tmp_path: Path) -> None:
    ix = new_index(tmp_path, [("granary", "quarry lantern")] * 4)  # d0..d3
    before = latest_generation(ix.storage, INDEX_NAME)
    parent = unlocked_writer(ix, **WRITER_OPTIONS)
    parent.delete_by_term("path", "d1")
    parent.add_document(path="p0", body="granary of the mill")
    segments = [worker_segment(ix, ["w0", "w1"]), worker_segment(ix, ["w2"])]
    assert worker_segment(ix, []) is None  # a worker that indexed nothing
    # Until the commit, a reader sees the last committed index as it was.
    assert stored_paths(tmp_path) == {"d0", "d1", "d2", "d3"}
    commit_with_segments(parent, segments)
    assert parent.is_closed
    assert latest_generation(ix.storage, INDEX_NAME) == before + 1
    assert stored_paths(tmp_path) == {"d0", "d2", "d3", "p0", "w0", "w1", "w2"}
    reopened = open_dir(str(tmp_path), indexname=INDEX_NAME)
    with reopened.searcher() as searcher:
        assert searcher.document_number(path="w2") is not None
        found = {hit["path"] for hit in searcher.find("body", "mill", limit=None)}
        assert found == {"p0", "w0", "w1", "w2"}
    assert not (tmp_path / f"{INDEX_NAME}.tmp").exists()


def test_a_clear_commit_keeps_only_the_new_segments_and_deletes_the_old_files(
    tmp_path: Path,
) -> None:
    ix = new_index(tmp_path, [("granary", "quarry lantern")] * 3)
    old_ids = [segment.segment_id() for segment in ix._segments()]
    parent = unlocked_writer(ix, **WRITER_OPTIONS)
    segments = [worker_segment(ix, ["w0"])]
    commit_with_segments(parent, segments, CLEAR)
    assert stored_paths(tmp_path) == {"w0"}
    names = [p.name for p in tmp_path.iterdir()]
    assert not [name for name in names if any(old in name for old in old_ids)]
    assert [name for name in names if segments[0].segment_id() in name]


# -- the table of contents: latest_generation ----------------------------------------------


def test_latest_generation_follows_commits_and_survives_a_damaged_toc(tmp_path: Path) -> None:
    storage = FileStorage(str(tmp_path))
    assert latest_generation(storage, INDEX_NAME) == -1
    ix = new_index(tmp_path, [("granary", "quarry")])
    assert latest_generation(storage, INDEX_NAME) == ix.latest_generation() == 1
    write_segments(ix, [("", "lantern")], 1, PackedCodec())
    assert latest_generation(storage, INDEX_NAME) == ix.latest_generation() == 2
    assert latest_generation(storage, "OTHER") == -1
    (toc,) = [p for p in tmp_path.iterdir() if p.name.endswith("_2.toc")]
    toc.write_bytes(b"not a table of contents")
    with pytest.raises(Exception):  # noqa: B017 - whatever Whoosh raises on garbage
        open_dir(str(tmp_path), indexname=INDEX_NAME)
    assert latest_generation(storage, INDEX_NAME) == 2


def segment_files(storage: Any) -> dict[str, bytes]:
    return {
        name[name.index(".") :]: storage.open_file(name).read()
        for name in storage.list()
        if not name.endswith((".toc", ".seg"))
    }


def test_add_document_writes_the_segment_whooshs_add_document_writes() -> None:
    from termnews.engine.schema import document
    from termnews.parsing import parse_file

    samples = Path(__file__).resolve().parents[1] / "sample_articles"
    docs = []
    for number, path in enumerate(sorted(samples.glob("*.txt"))):
        doc = document(path.name, parse_file(path), 1_700_000_000_000_000_000 + number, number)
        docs.append(doc)
    docs.append({**docs[0], "path": "accents.txt", "body": "Montréal İstanbul U.S. ﬁnance x*y"})
    docs.append({**docs[1], "path": "astral.txt", "headline": "Harbour 🚢 ferry", "body": "a𝔘b"})
    written = []
    for ours in (False, True, "together"):
        storage = RamStorage()
        ix = storage.create_index(build_schema())
        if ours == "together":  # a batch at a time, each field's words at once
            writer = unlocked_writer(ix, **WRITER_OPTIONS)
            for first in range(0, len(docs), 3):
                add_documents(writer, docs[first : first + 3])
        elif ours:  # our writer: the term pool, documents added by the adapter
            writer = unlocked_writer(ix, **WRITER_OPTIONS)
            for doc in docs:
                add_document(writer, doc)
        else:  # Whoosh's own writer, posting pool and add_document
            writer = ix.writer(**WRITER_OPTIONS)
            for doc in docs:
                writer.add_document(**doc)
        writer.commit(merge=False)
        written.append(segment_files(storage))
    assert set(written[0]) == set(written[1]) == set(written[2])
    assert {".trm", ".pst"} <= set(written[0])
    for name, data in written[0].items():
        assert data == written[1][name] == written[2][name], name
