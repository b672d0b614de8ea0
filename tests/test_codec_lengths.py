"""The packed field writer reads each field's lengths once, and writes what W3's would."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.filedb.filestore import RamStorage

from termnews.engine.schema import build_schema
from termnews.engine.storage.codec import CachedLengths, PackedCodec

WORDS = ["harbour", "ferry", "council", "vote", "snow", "plough", "Okafor", "Tillbury"]
texts = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join)
stories = st.lists(st.tuples(texts, words, texts), min_size=1, max_size=30)


class CountingLengths:
    """A per-document reader that counts how often each field's lengths are asked for."""

    def __init__(self, table: dict[str, list[int]]) -> None:
        self.table = table
        self.asked: dict[str, int] = {}

    def doc_count_all(self) -> int:
        return len(next(iter(self.table.values())))

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        self.asked[fieldname] = self.asked.get(fieldname, 0) + 1
        column = self.table.get(fieldname)
        return default if column is None else column[docnum]


@given(
    st.dictionaries(
        st.sampled_from(["body", "headline"]),
        st.lists(st.integers(0, 900), min_size=4, max_size=4),
        min_size=1,
    )
)
def test_cached_lengths_answer_as_the_reader_does_reading_each_story_once(
    table: dict[str, list[int]],
) -> None:
    table = {name: column[:4] for name, column in table.items()}
    reader = CountingLengths(table)
    cached = CachedLengths(reader)
    for _ in range(3):
        for field in ("body", "headline", "caption"):
            for docnum in range(4):
                expected = table[field][docnum] if field in table else 0
                assert cached.doc_field_length(docnum, field) == expected
    assert all(count == 4 for count in reader.asked.values())


class W3FieldsCodec(PackedCodec):
    """Our codec with W3's own field writer, which asks for a length per posting."""

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


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(stories)
def test_the_packed_field_writer_writes_what_w3_writes(docs: list[tuple[str, str, str]]) -> None:
    ours, theirs = written_files(PackedCodec(), docs), written_files(W3FieldsCodec(), docs)
    assert set(ours) == set(theirs) and {".trm", ".pst"} <= set(ours)
    for name, data in ours.items():
        assert data == theirs[name], name
