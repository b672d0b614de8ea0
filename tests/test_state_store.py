"""The reading-state store, method by method: exact counts, toggles, tags, snapshots shared
between two stores on one file, pruning and merging."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews import config
from termnews.state.store import (
    UNMARKED,
    StateReadOnlyError,
    StateRecord,
    StateStore,
    StateUnavailableError,
    StoryState,
)
from termnews.state.tags import MAX_TAG_LENGTH, TagNameError, normalise_tag

A, B, C, D = ("a" * 32, "b" * 32, "c" * 32, "d" * 32)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.db"


@pytest.fixture
def store(db: Path) -> Iterator[StateStore]:
    with StateStore(db) as opened:
        yield opened


def rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_the_default_database_lives_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path / "mine"))
    assert config.state_db_path() == tmp_path / "mine" / "state.db"
    with StateStore(config.state_db_path()) as store:
        assert store.set_read([A], True) == 1
    assert (tmp_path / "mine" / "state.db").is_file()


def test_a_new_store_is_empty(store: StateStore) -> None:
    snapshot = store.snapshot()
    assert (snapshot.read, snapshot.starred, dict(snapshot.tags)) == (frozenset(), frozenset(), {})
    assert store.state_of(A) is UNMARKED
    assert list(store.records()) == []
    assert store.tag_counts() == {}


def test_read_counts_are_exact_and_toggle_back(store: StateStore) -> None:
    assert store.set_read([A, B, A], True) == 2
    assert store.set_read([A, B, C], True) == 1  # only C was unread
    assert store.set_read([], True) == 0
    assert store.snapshot().read == {A, B, C}
    assert store.set_read([A, D], False) == 1  # D was never read
    assert store.set_read([A], False) == 0
    assert store.snapshot().read == {B, C}
    assert store.state_of(B) == StoryState(read=True)


def test_star_counts_are_exact_and_toggle_back(store: StateStore) -> None:
    assert store.set_starred((i for i in [A, B]), True) == 2
    assert store.set_starred([B], True) == 0
    assert store.set_starred([B, C], False) == 1
    assert store.snapshot().starred == {A}
    assert store.snapshot().read == frozenset()
    assert store.state_of(A) == StoryState(starred=True)


def test_read_and_star_are_independent(store: StateStore) -> None:
    store.set_read([A], True)
    store.set_starred([A], True)
    store.set_read([A], False)
    assert store.state_of(A) == StoryState(read=False, starred=True)
    store.set_read([A], True)
    store.set_starred([A], False)
    assert store.state_of(A) == StoryState(read=True, starred=False)


def test_tags_are_case_insensitive(store: StateStore) -> None:
    assert store.add_tag([A, B], "Harbour") == 2
    assert store.add_tag([A, B, C], "HARBOUR") == 1
    assert store.add_tag([A], " harbour ") == 0
    assert store.add_tag([A], "Ferry") == 1
    assert store.tag_counts() == {"ferry": 1, "harbour": 3}
    assert store.state_of(A).tags == {"harbour", "ferry"}
    assert store.snapshot().identities("tag", "harbour") == {A, B, C}
    assert store.remove_tag([A, D], "hArBoUr") == 1
    assert store.remove_tag([A], "harbour") == 0
    assert store.tag_counts() == {"ferry": 1, "harbour": 2}


def test_tag_names_fold_like_the_query_language() -> None:
    assert normalise_tag("Île-Sainte-Odile") == "île-sainte-odile"
    assert normalise_tag("Ｆｅｒｒｙ") == "ferry"  # full-width letters
    assert normalise_tag("e\u0301te\u0301") == normalise_tag("été")
    assert normalise_tag("council/2025") == "council/2025"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "a tag needs a name"),
        ("   ", "a tag needs a name"),
        ("two words", "'two words' cannot be a tag"),
        ("tag:ferry", "'tag:ferry' cannot be a tag"),
        ('"quoted"', "cannot be a tag: use letters and digits"),
        ("(harbour)", "cannot be a tag"),
        ("-leading", "cannot be a tag"),
        ("x" * (MAX_TAG_LENGTH + 1), f"at most {MAX_TAG_LENGTH} characters"),
    ],
)
def test_bad_tag_names_are_refused_with_a_reason(
    store: StateStore, name: str, message: str
) -> None:
    for change in (store.add_tag, store.remove_tag):
        with pytest.raises(TagNameError) as caught:
            change([A], name)
        assert message in str(caught.value)
    with pytest.raises(TagNameError):
        store.add_tag([], name)  # refused even with no stories to tag
    assert list(store.records()) == []


@given(st.text(max_size=20))
def test_a_normalised_tag_normalises_to_itself(name: str) -> None:
    """Import normalises tags that were exported normalised: that must change nothing."""
    try:
        tag = normalise_tag(name)
    except TagNameError:
        return
    assert normalise_tag(tag) == tag
    assert tag == tag.strip() and tag


def test_snapshot_is_cached_until_a_change(store: StateStore) -> None:
    first = store.snapshot()
    assert store.snapshot() is first
    store.set_read([A], True)
    second = store.snapshot()
    assert second is not first and second.version != first.version
    assert store.snapshot() is second
    store.set_read([A], True)  # changes nothing, but it was a write: a fresh read is harmless
    assert store.snapshot().read == {A}


def test_a_second_store_on_the_same_file_is_seen(db: Path) -> None:
    with StateStore(db) as browser, StateStore(db) as shell_loop:
        before = browser.snapshot()
        assert browser.snapshot() is before
        assert shell_loop.set_read([A], True) == 1
        after = browser.snapshot()
        assert after is not before and after.read == {A}
        assert shell_loop.add_tag([B], "ferry") == 1
        assert browser.snapshot().identities("tag", "ferry") == {B}
        assert browser.set_starred([B], True) == 1
        assert shell_loop.snapshot().starred == {B}
        assert browser.set_read([A], True) == 0  # the other store already marked it


def test_marks_survive_closing_and_reopening(db: Path) -> None:
    with StateStore(db) as store:
        store.set_read([A], True, {A: "Tram line opens"})
        store.set_starred([B], True)
        store.add_tag([C], "Orchard")
    with StateStore(db) as store:
        assert store.state_of(A) == StoryState(read=True)
        assert store.state_of(B) == StoryState(starred=True)
        assert store.state_of(C) == StoryState(tags=frozenset({"orchard"}))
        assert [r.headline for r in store.records() if r.identity == A] == ["Tram line opens"]


def test_rows_with_no_marks_left_are_dropped(db: Path, store: StateStore) -> None:
    store.set_read([A], True)
    store.set_starred([B], True)
    store.add_tag([C], "ferry", {C: "Ferry back"})
    store.add_tag([A], "ferry")
    assert rows(db, "stories") == 3
    store.set_read([A], False)
    assert rows(db, "stories") == 3  # A still carries a tag
    store.remove_tag([A, C], "ferry")
    store.set_starred([B], False)
    assert (rows(db, "stories"), rows(db, "tags")) == (0, 0)
    assert list(store.records()) == []


def test_headlines_are_kept_for_the_export_only(store: StateStore) -> None:
    store.set_read([A], True, {A: "Seawall vote"})
    store.set_starred([A], True, {A: ""})  # an empty headline never overwrites one
    store.add_tag([B], "x", {B: "Orchard fair"})
    by_identity = {r.identity: r for r in store.records()}
    assert by_identity[A].headline == "Seawall vote"
    assert by_identity[B].headline == "Orchard fair"
    assert by_identity[A].read_at and by_identity[A].starred_at
    assert by_identity[B].read_at is None


def test_records_are_ordered_and_complete(store: StateStore) -> None:
    store.add_tag([D, A], "zeta")
    store.add_tag([A], "alpha")
    store.set_read([C], True)
    store.set_starred([A], True)
    records = list(store.records())
    assert [r.identity for r in records] == [A, C, D]
    assert records[0].tags == ("alpha", "zeta") and records[0].starred and not records[0].read
    assert records[1].read and records[1].tags == ()
    assert records[2] == StateRecord(D, tags=("zeta",))


def test_state_filters(store: StateStore) -> None:
    store.set_read([A, B], True)
    store.set_starred([B], True)
    store.add_tag([C], "ferry")
    snapshot = store.snapshot()
    assert snapshot.identities("is", "read") == {A, B}
    assert snapshot.identities("is", "starred") == {B}
    assert snapshot.identities("tag", "ferry") == {C}
    assert snapshot.identities("tag", "unknown") == frozenset()
    with pytest.raises(ValueError, match="not a state filter"):
        snapshot.identities("is", "unread")


def test_prune_keeps_what_is_asked(store: StateStore) -> None:
    store.set_read([A, B], True)
    store.set_starred([C], True)
    store.add_tag([D], "ferry")
    assert store.prune([A, C, "e" * 32]) == 2
    assert {r.identity for r in store.records()} == {A, C}
    assert store.tag_counts() == {}
    assert store.prune([A, C]) == 0
    assert store.prune([]) == 2
    assert list(store.records()) == []


def test_a_read_only_store_refuses_every_change(db: Path) -> None:
    with StateStore(db) as store:
        store.set_read([A], True)
    with StateStore(db, read_only=True) as reader:
        assert reader.snapshot().read == {A}
        for change in (
            lambda: reader.set_read([B], True),
            lambda: reader.set_starred([B], True),
            lambda: reader.add_tag([B], "x"),
            lambda: reader.remove_tag([A], "x"),
            lambda: reader.merge([StateRecord(B, read=True)]),
            lambda: reader.prune([]),
        ):
            with pytest.raises(StateReadOnlyError, match="read-only"):
                change()
    with StateStore(db) as store:
        assert [r.identity for r in store.records()] == [A]


def test_a_read_only_store_never_creates_a_database(db: Path) -> None:
    with pytest.raises(StateUnavailableError, match=str(db.name)):
        StateStore(db, read_only=True)
    assert not db.parent.exists() or sorted(db.parent.iterdir()) == []


def test_a_fallback_store_is_empty_read_only_and_says_why() -> None:
    store = StateStore.fallback("the disk is full")
    assert store.problem == "the disk is full"
    assert list(store.records()) == [] and store.state_of(A) is UNMARKED
    with pytest.raises(StateReadOnlyError, match="the disk is full"):
        store.set_read([A], True)


# -- merge -----------------------------------------------------------------------------------

IDENTITIES = st.sampled_from([A, B, C, D])
TAGS = st.lists(st.sampled_from(["ferry", "Ferry", "harbour", "orchard", "tram"]), max_size=3)
RECORDS = st.builds(StateRecord, identity=IDENTITIES, read=st.booleans(), starred=st.booleans())
STATES = st.dictionaries(IDENTITIES, st.tuples(st.booleans(), st.booleans(), TAGS), max_size=4)


def fill(store: StateStore, state: dict[str, tuple[bool, bool, list[str]]]) -> None:
    for identity, (read, starred, tags) in state.items():
        store.set_read([identity], read)
        store.set_starred([identity], starred)
        for tag in tags:
            store.add_tag([identity], tag)


def marks(store: StateStore) -> dict[str, tuple[bool, bool, frozenset[str]]]:
    return {r.identity: (r.read, r.starred, frozenset(r.tags)) for r in store.records()}


@settings(max_examples=60, deadline=None)
@given(STATES, STATES)
def test_merge_never_loses_a_mark_and_unites_tags(
    here: dict[str, tuple[bool, bool, list[str]]],
    there: dict[str, tuple[bool, bool, list[str]]],
) -> None:
    with StateStore(":memory:") as mine, StateStore(":memory:") as theirs:
        fill(mine, here)
        fill(theirs, there)
        before, incoming = marks(mine), marks(theirs)
        report = mine.merge(theirs.records())
        after = marks(mine)
        for identity in set(before) | set(incoming):
            old = before.get(identity, (False, False, frozenset()))
            new = incoming.get(identity, (False, False, frozenset()))
            assert after[identity] == (old[0] or new[0], old[1] or new[1], old[2] | new[2])
        assert set(after) == set(before) | set(incoming)
        assert report.stories == len(incoming)
        assert report.read == len(
            {i for i in after if after[i][0]} - {i for i in before if before[i][0]}
        )
        assert report.starred == len(
            {i for i in after if after[i][1]} - {i for i in before if before[i][1]}
        )
        assert report.tags == sum(len(after[i][2]) for i in after) - sum(
            len(before[i][2]) for i in before
        )
        assert mine.merge(theirs.records()).changed == 0


def test_merge_keeps_the_first_read_time_and_fills_headlines(store: StateStore) -> None:
    store.set_read([A], True)
    (mine,) = store.records()
    report = store.merge(
        [StateRecord(A, read=True, read_at="2001-01-01T00:00:00+00:00", headline="Tram line")]
    )
    assert report.changed == 0
    (after,) = store.records()
    assert after.read_at == mine.read_at
    assert after.headline == "Tram line"


def test_merging_a_record_with_no_mark_adds_no_row(db: Path, store: StateStore) -> None:
    report = store.merge([StateRecord(A, headline="Nothing marked")])
    assert (report.stories, report.changed) == (1, 0)
    assert rows(db, "stories") == 0


def test_a_bad_tag_in_a_merge_writes_nothing(store: StateStore) -> None:
    with pytest.raises(TagNameError):
        store.merge([StateRecord(A, read=True), StateRecord(B, tags=("two words",))])
    assert list(store.records()) == []


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["read", "unread", "star", "unstar", "tag", "untag"]),
        st.lists(st.sampled_from([A, B, C, D]), max_size=4),
        st.sampled_from(["harbour", "ferry"]),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(OPERATIONS)
def test_a_snapshot_updated_in_place_equals_one_read_afresh(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, list[str], str]]
) -> None:
    """Our own changes update the cached snapshot without re-reading; it must not drift."""
    db = tmp_path_factory.mktemp("inplace") / "state.db"
    with StateStore(db) as store:
        store.snapshot()
        for action, ids, tag in operations:
            match action:
                case "read" | "unread":
                    store.set_read(ids, action == "read")
                case "star" | "unstar":
                    store.set_starred(ids, action == "star")
                case "tag":
                    store.add_tag(ids, tag)
                case "untag":
                    store.remove_tag(ids, tag)
            kept = store.snapshot()
            with StateStore(db) as fresh:
                again = fresh.snapshot()
            assert (kept.read, kept.starred, dict(kept.tags)) == (
                again.read,
                again.starred,
                dict(again.tags),
            )


def test_a_change_by_another_store_is_read_afresh_not_patched(db: Path) -> None:
    with StateStore(db) as first, StateStore(db) as second:
        first.snapshot()
        second.set_starred([B], True)
        first.set_read([A], True)  # the cached snapshot is stale: it must not be patched
        assert first.snapshot().starred == {B}
        assert first.snapshot().read == {A}


def test_our_own_change_needs_no_re_read(store: StateStore) -> None:
    store.snapshot()
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    store.set_read([A], True)
    store.add_tag([B], "harbour")
    snapshot = store.snapshot()
    assert snapshot.read == {A} and snapshot.tags == {"harbour": {B}}
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT")]
