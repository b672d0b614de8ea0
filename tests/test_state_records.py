"""Reading state as JSON lines: export, import into a fresh database, import again, and the
lines an import refuses (by number, writing nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.state import records
from termnews.state.records import StateFileError
from termnews.state.store import StateRecord, StateStore

A, B, C, D = ("a" * 32, "b" * 32, "c" * 32, "d" * 32)


def marked(store: StateStore) -> None:
    """A little of everything: read, starred, tagged only, headlines with accents."""
    store.set_read([A, B], True, {A: "Le traversier Marisol revient à Île-Sainte-Odile"})
    store.set_starred([B, C], True, {C: "Orchard fair moves indoors"})
    store.add_tag([A, D], "Ferry", {D: "Tram line opens in Kestrel Bay"})
    store.add_tag([D], "kestrel-bay")
    store.set_read([C], True)
    store.set_read([C], False)


def export(store: StateStore, path: Path) -> None:
    path.write_text("".join(records.dump(store.records())), encoding="utf-8")


def import_(store: StateStore, path: Path) -> int:
    with path.open(encoding="utf-8") as lines:
        return store.merge(records.load(lines, str(path))).changed


def test_export_then_import_into_a_fresh_database_gives_identical_records(tmp_path: Path) -> None:
    with StateStore(tmp_path / "old.db") as old:
        marked(old)
        export(old, tmp_path / "state.jsonl")
        exported = list(old.records())
    assert len(exported) == 4
    with StateStore(tmp_path / "new.db") as new:
        assert import_(new, tmp_path / "state.jsonl") > 0
        assert list(new.records()) == exported
        assert import_(new, tmp_path / "state.jsonl") == 0
        assert list(new.records()) == exported


def test_importing_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    with StateStore(tmp_path / "old.db") as old:
        marked(old)
        export(old, tmp_path / "state.jsonl")
    with StateStore(tmp_path / "mine.db") as mine:
        mine.set_read([D], True)
        mine.add_tag([A], "harbour")
        first = mine.merge(records.load((tmp_path / "state.jsonl").read_text().splitlines()))
        assert (first.stories, first.read, first.starred, first.tags) == (4, 2, 2, 3)
        again = mine.merge(records.load((tmp_path / "state.jsonl").read_text().splitlines()))
        assert (again.stories, again.changed) == (4, 0)


def test_the_export_is_one_json_object_a_line(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.db") as store:
        marked(store)
        lines = list(records.dump(store.records()))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    first = json.loads(lines[0])
    assert set(first) == {
        "identity",
        "read",
        "read_at",
        "starred",
        "starred_at",
        "tags",
        "headline",
    }
    assert "Île-Sainte-Odile" in lines[0]  # text stays readable, not \\u-escaped


def test_blank_lines_and_unknown_keys_are_ignored_and_tags_normalised() -> None:
    lines = [
        "",
        json.dumps({"identity": A, "read": True, "from_a_later_version": [1, 2]}),
        "   ",
        json.dumps({"identity": B, "tags": ["Ferry", "FERRY", "Harbour"], "headline": None}),
    ]
    assert records.load(lines) == [
        StateRecord(A, read=True),
        StateRecord(B, tags=("ferry", "harbour")),
    ]


GOOD = json.dumps({"identity": A, "read": True})


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "Expecting property name"),
        ("[1, 2]", "expected a JSON object"),
        ('"just text"', "expected a JSON object"),
        (json.dumps({"read": True}), "'identity' must be 32 lowercase hex digits"),
        (json.dumps({"identity": A.upper()}), "'identity' must be 32 lowercase hex digits"),
        (json.dumps({"identity": A[:-1]}), "'identity' must be 32 lowercase hex digits"),
        (json.dumps({"identity": A, "read": "yes"}), "'read' must be true or false"),
        (json.dumps({"identity": A, "starred": 1}), "'starred' must be true or false"),
        (json.dumps({"identity": A, "tags": "ferry"}), "'tags' must be a list of names"),
        (json.dumps({"identity": A, "tags": [3]}), "'tags' must be a list of names"),
        (json.dumps({"identity": A, "tags": ["two words"]}), "'two words' cannot be a tag"),
        (json.dumps({"identity": A, "read_at": 5}), "'read_at' must be a date-time or null"),
        (json.dumps({"identity": A, "headline": 7}), "'headline' must be text"),
    ],
)
def test_a_bad_line_is_named_by_number_and_nothing_is_written(
    tmp_path: Path, bad: str, reason: str
) -> None:
    source = tmp_path / "state.jsonl"
    source.write_text(f"{GOOD}\n\n{bad}\n{GOOD}\n", encoding="utf-8")
    with StateStore(tmp_path / "s.db") as store:
        store.set_starred([B], True)
        before = list(store.records())
        with pytest.raises(StateFileError) as caught:
            import_(store, source)
        assert str(caught.value).startswith(f"{source}, line 3: ")
        assert reason in str(caught.value)
        assert list(store.records()) == before


# -- properties ------------------------------------------------------------------------------

HEX = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
STAMPS = st.one_of(st.none(), st.datetimes().map(lambda moment: moment.isoformat()))
TAG_NAMES = st.lists(
    st.from_regex(r"[a-zé0-9][a-zé0-9\-./+]{0,10}", fullmatch=True), max_size=3, unique=True
)
RECORDS = st.builds(
    StateRecord,
    identity=HEX,
    read=st.booleans(),
    starred=st.booleans(),
    tags=TAG_NAMES.map(lambda names: tuple(sorted(names))),
    headline=st.text(max_size=30),
    read_at=STAMPS,
    starred_at=STAMPS,
)


@settings(max_examples=100)
@given(st.lists(RECORDS, max_size=5))
def test_dump_then_load_gives_the_same_records(originals: list[StateRecord]) -> None:
    assert records.load(list(records.dump(originals))) == originals


@settings(max_examples=60, deadline=None)
@given(st.lists(RECORDS, max_size=6, unique_by=lambda record: record.identity))
def test_any_export_imports_into_a_fresh_database_unchanged(originals: list[StateRecord]) -> None:
    """Records as a store exports them (a mark each, stamps only with their mark) round-trip."""
    exported = sorted(
        (
            StateRecord(
                r.identity,
                r.read,
                r.starred,
                r.tags,
                r.headline,
                r.read_at if r.read else None,
                r.starred_at if r.starred else None,
            )
            for r in originals
            if r.read or r.starred or r.tags
        ),
        key=lambda record: record.identity,
    )
    with StateStore(":memory:") as fresh:
        fresh.merge(records.load(list(records.dump(exported))))
        imported = list(fresh.records())
    assert [r.identity for r in imported] == [r.identity for r in exported]
    for got, want in zip(imported, exported, strict=True):
        assert (got.read, got.starred, got.tags, got.headline) == (
            want.read,
            want.starred,
            want.tags,
            want.headline,
        )
        assert got.read_at == (want.read_at if want.read and want.read_at else got.read_at)
        assert got.starred_at == (
            want.starred_at if want.starred and want.starred_at else got.starred_at
        )
