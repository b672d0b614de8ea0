"""The reading state under real OS processes: concurrent writers, SIGKILL mid-write, readers
during writes; and files it must never write to (corrupt, foreign, newer)."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from bench_support import load_benchmark
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync
from termnews.state.store import (
    APPLICATION_ID,
    StateReadOnlyError,
    StateRecord,
    StateStore,
    StateUnavailableError,
)

#: Set to run the concurrency test longer by hand (the benchmark script prints the figures).
STRESS_SECONDS_ENV = "TERMNEWS_STATE_STRESS_SECONDS"


def run_python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stress_module() -> ModuleType:
    return load_benchmark("state_stress")


def quick_check(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])


# -- concurrency -----------------------------------------------------------------------------


def test_three_processes_writing_at_once_lose_nothing_and_never_fail(tmp_path: Path) -> None:
    """Two browsers and a `termnews mark` loop, all creating and writing one new database."""
    seconds = float(os.environ.get(STRESS_SECONDS_ENV, "3"))
    outcome = stress_module().run(tmp_path / "data" / "state.db", workers=3, seconds=seconds)
    assert outcome["problems"] == []
    assert outcome["lost_writes"] == 0
    assert len(outcome["workers"]) == 3
    assert all(worker["writes"] > 0 for worker in outcome["workers"])
    with sqlite3.connect(tmp_path / "data" / "state.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


FLIP = """
    import sys
    from termnews.state.store import StateRecord, StateStore
    story = "f" * 32
    with StateStore(sys.argv[1]) as store:
        print("ready", flush=True)
        for _ in range(int(sys.argv[2])):
            store.merge([StateRecord(story, read=True, starred=True, tags=("pair",))])
            store.prune([])
"""


def test_a_reader_never_sees_half_of_another_process_change(tmp_path: Path) -> None:
    """One change sets read, star and tag together (and one prune clears them together);
    a snapshot or an export taken meanwhile holds all three or none."""
    db = tmp_path / "state.db"
    StateStore(db).close()
    story = "f" * 32
    with StateStore(db) as reader:
        writer = run_python(FLIP, str(db), "400")
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        seen = set()
        while writer.poll() is None:
            snapshot = reader.snapshot()
            state = snapshot.of(story)
            seen.add((state.read, state.starred, bool(state.tags)))
            exported = [(r.read, r.starred, bool(r.tags)) for r in reader.records()]
            seen.update(exported or [(False, False, False)])
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert seen <= {(True, True, True), (False, False, False)}


# -- SIGKILL ---------------------------------------------------------------------------------

MARK_MANY = """
    import sys
    from pathlib import Path
    from termnews.state.store import StateStore
    identities = [f"{n:032x}" for n in range(10_000)]
    # Long headlines make the change far larger than SQLite's page cache, so it spills into
    # the WAL while it runs: a kill then lands in the middle of a half-written transaction.
    headlines = {i: f"Orchard co-op ledger {i} " + "harvest " * 200 for i in identities}
    with StateStore(sys.argv[1]) as store:
        print("ready", flush=True)
        store.set_read(identities, True, headlines)
        Path(sys.argv[2]).write_text("done")
"""


def count_read(db: Path) -> int:
    with StateStore(db) as store:
        return len(store.snapshot().read)


def test_a_write_killed_half_way_leaves_all_or_nothing(tmp_path: Path) -> None:
    killed_mid_write = 0
    for attempt, wal_bytes in enumerate([2 << 20, 512 << 10, 6 << 20, 1 << 20, 4 << 20]):
        db, done = tmp_path / f"state-{attempt}.db", tmp_path / f"done-{attempt}"
        StateStore(db).close()
        child = run_python(MARK_MANY, str(db), str(done))
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            wal = Path(f"{db}-wal")
            while child.poll() is None and not done.exists():
                if wal.exists() and wal.stat().st_size >= wal_bytes:
                    break
                time.sleep(0.001)
            finished = done.exists() or child.poll() is not None
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait(timeout=60)
        read = count_read(db)  # opens cleanly: StateStore raises on a damaged file
        assert read in (0, 10_000)
        assert quick_check(db) == "ok"
        if not finished:
            assert child.returncode == -signal.SIGKILL
            # Killed with part of the change already in the WAL, and none of it kept.
            killed_mid_write += read == 0
        if killed_mid_write >= 2:
            break
    assert killed_mid_write >= 1, "every write finished before it could be killed"


def test_the_killed_write_can_be_done_again(tmp_path: Path) -> None:
    db, done = tmp_path / "state.db", tmp_path / "done"
    StateStore(db).close()
    child = run_python(MARK_MANY, str(db), str(done))
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    wal = Path(f"{db}-wal")
    while child.poll() is None and not (wal.exists() and wal.stat().st_size > 1 << 20):
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    with StateStore(db) as store:
        before = len(store.snapshot().read)
        assert store.set_read([f"{n:032x}" for n in range(10_000)], True) == 10_000 - before
        assert len(store.snapshot().read) == 10_000


# -- files that must not be written ----------------------------------------------------------


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(64 * 1024))


def damaged_page(path: Path) -> None:
    with StateStore(path) as store:
        identities = [f"{n:032x}" for n in range(3000)]
        store.set_read(identities, True, {i: f"Seawall ledger {i}" for i in identities})
        store.add_tag(identities[::3], "seawall")
    size = path.stat().st_size
    assert not Path(f"{path}-wal").exists() and size > 40 * 4096
    with path.open("r+b") as handle:  # a whole page of garbage in the middle of the file
        handle.seek((size // 4096 // 2) * 4096)
        handle.write(random.Random(11).randbytes(4096))


def foreign(path: Path, journal: str = "delete") -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        conn.execute("INSERT INTO recipes VALUES ('Kestrel Bay chowder', 40)")
    conn.close()


def newer(path: Path, journal: str = "delete") -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.execute("CREATE TABLE stories (identity TEXT PRIMARY KEY, flags BLOB)")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 99")
    conn.close()


REFUSED: dict[str, Callable[[Path], None]] = {
    "random bytes": random_bytes,
    "damaged page": damaged_page,
    "another program's database": foreign,
    "another program's WAL database": lambda path: foreign(path, "wal"),
    "a newer termnews": newer,
    "a newer termnews in WAL mode": lambda path: newer(path, "wal"),
}


def fingerprint(path: Path) -> dict[str, str]:
    """Every file beside `path` (its -wal, -shm, -journal too), by name and content hash."""
    return {
        sibling.name: hashlib.sha256(sibling.read_bytes()).hexdigest()
        for sibling in sorted(path.parent.iterdir())
    }


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_file_that_is_not_ours_to_write_is_left_exactly_as_it_was(
    tmp_path: Path, kind: str
) -> None:
    db = tmp_path / "data" / "state.db"
    db.parent.mkdir()
    REFUSED[kind](db)
    before = fingerprint(db)

    with pytest.raises(StateUnavailableError) as caught:
        StateStore(db)
    assert str(db) in str(caught.value)
    with pytest.raises(StateUnavailableError):
        StateStore(db, read_only=True)

    store = StateStore.open_or_fallback(db)
    assert store.read_only and store.problem and str(db) in store.problem
    assert list(store.records()) == [] and store.snapshot().read == frozenset()
    with pytest.raises(StateReadOnlyError, match="read-only"):
        store.set_read(["a" * 32], True)
    with pytest.raises(StateReadOnlyError):
        store.merge([StateRecord("a" * 32, starred=True)])
    store.close()

    assert fingerprint(db) == before


def test_the_refusals_say_why(tmp_path: Path) -> None:
    reasons = {}
    for kind, make in REFUSED.items():
        db = tmp_path / kind.replace(" ", "-").replace("'", "") / "state.db"
        db.parent.mkdir()
        make(db)
        reasons[kind] = str(StateStore.open_or_fallback(db).problem)
    assert "damaged" in reasons["random bytes"] and "damaged" in reasons["damaged page"]
    assert "not a termnews reading state" in reasons["another program's database"]
    assert "not a termnews reading state" in reasons["another program's WAL database"]
    assert "newer termnews" in reasons["a newer termnews"] and "99" in reasons["a newer termnews"]
    assert "newer termnews" in reasons["a newer termnews in WAL mode"]


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    db.touch()
    with StateStore(db) as store:
        assert store.set_read(["a" * 32], True) == 1
    assert quick_check(db) == "ok"


# -- stories that disappear ------------------------------------------------------------------


def write_story(folder: Path, name: str, headline: str, place: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f"{headline}\n\nBy Tamsin Vey, The Kestrel Courier on May 2, 2025.\n\n"
        f"{place.upper()} – The {headline.lower()} drew a crowd of neighbours on Friday.\n\n"
        f"Organisers in {place} said they would meet again next spring.\n",
        encoding="utf-8",
    )


def test_a_story_that_disappears_keeps_its_state_until_prune(tmp_path: Path) -> None:
    archive, index_dir, db = tmp_path / "archive", tmp_path / "index", tmp_path / "state.db"
    write_story(archive, "fair.txt", "Orchard fair moves indoors", "Glenmorrow")
    write_story(archive, "tram.txt", "Tram depot gets solar roof", "Orvelle")
    sync(archive, index_dir)
    with Searcher(index_dir) as searcher:
        every = searcher.all_identities()
    assert len(every) == 2

    with StateStore(db) as store:
        store.set_read(every, True)
        store.set_starred(every, True)
        store.add_tag(every, "kept")
        moved = tmp_path / "away.txt"
        (archive / "fair.txt").rename(moved)
        sync(archive, index_dir)
        with Searcher(index_dir) as searcher:
            remaining = searcher.all_identities()
        (gone,) = every - remaining

        assert store.state_of(gone).read and store.state_of(gone).starred
        assert store.tag_counts() == {"kept": 2}

        # It comes back (re-saved elsewhere, renamed): its marks are still there.
        (archive / "sub").mkdir()
        moved.rename(archive / "sub" / "fair-again.txt")
        sync(archive, index_dir)
        with Searcher(index_dir) as searcher:
            assert searcher.all_identities() == every
        (archive / "sub" / "fair-again.txt").unlink()
        sync(archive, index_dir)

        assert store.prune(remaining) == 1
        assert store.state_of(gone).read is False
        assert store.tag_counts() == {"kept": 1}
        assert store.prune(remaining) == 0


class BusyOnce:
    """A connection whose next COMMIT fails as if another process held the lock."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn, self.busy = conn, True

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql == "COMMIT" and self.busy:
            self.busy = False
            raise sqlite3.OperationalError("database is locked")
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.conn, name)


def test_a_write_retried_after_a_busy_commit_is_done_and_counted_once(tmp_path: Path) -> None:
    with StateStore(tmp_path / "state.db") as store:
        real = store._conn
        store._conn = BusyOnce(real)  # type: ignore[assignment]
        assert store.set_read(["a" * 32, "b" * 32], True) == 2
        store._conn = BusyOnce(real)  # type: ignore[assignment]
        report = store.merge(
            [StateRecord("a" * 32, read=True, starred=True, tags=("ferry", "tram"))]
        )
        assert (report.read, report.starred, report.tags) == (0, 1, 2)
        store._conn = real
        assert store.state_of("a" * 32).starred and store.tag_counts() == {"ferry": 1, "tram": 1}


@pytest.mark.parametrize("where", ["a folder", "under a file"])
def test_a_path_that_cannot_hold_a_database_falls_back_with_its_name(
    tmp_path: Path, where: str
) -> None:
    if where == "a folder":
        db = tmp_path / "state.db"
        db.mkdir()
    else:
        (tmp_path / "data").write_text("not a folder")
        db = tmp_path / "data" / "state.db"
    with pytest.raises(StateUnavailableError, match=str(db)):
        StateStore(db)
    store = StateStore.open_or_fallback(db)
    assert store.read_only and str(db) in str(store.problem)
    with pytest.raises(StateReadOnlyError, match=str(db)):
        store.add_tag(["a" * 32], "ferry")
