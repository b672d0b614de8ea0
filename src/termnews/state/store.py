"""The reading state: which stories are read, starred and tagged, in one SQLite database.

This is the one thing termnews keeps that a person cannot rebuild (an archive re-syncs, an
index rebuilds), so the store is careful in ways the rest need not be:

- It lives in the data dir (`config.state_db_path`), never beside the archive or the index.
- Stories are keyed by content identity (`termnews.identity`), not by path, so moving or
  re-saving an archive keeps every mark.
- WAL mode and a busy timeout let two browsers and a shell loop share it; a write that still
  finds the database busy is retried, so "database is locked" never reaches a person.
- Every change is one transaction (`synchronous=FULL`): marking 10,000 stories read and being
  killed half-way leaves all of the change or none of it.
- A database that is corrupt, not ours, or from a newer termnews is never written to: it is
  opened as an empty, read-only store with a message saying why (`StateStore.fallback`).

Readers take a `Snapshot`, re-read only when someone (this process or another) committed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from termnews.errors import TermnewsError
from termnews.sqlite_schema import Header, apply_migrations, newer_message, read_header
from termnews.state.tags import normalise_tag

#: The schema this code writes. A database with a higher number is left alone.
SCHEMA_VERSION = 1
#: SQLite's application_id for our databases ("tnws"), so another program's file is refused.
APPLICATION_ID = 0x746E7773
#: How long SQLite itself waits for another writer, per attempt.
BUSY_TIMEOUT_MS = 5_000
#: How long a write keeps retrying in all before it gives up with a clear message.
WRITE_PATIENCE_S = 60.0
#: How long a waiting write sleeps between looks for the write lock (a random span, so two
#: waiters do not look in step). SQLite's own busy wait backs off to long sleeps, and a writer
#: committing back to back (a shell loop) leaves only short gaps between its transactions, so
#: a browser's one mark could wait through many of its commits; short looks find the gaps.
LOCK_POLL_S = (0.0005, 0.002)
#: How long SQLite's own busy wait may try first (its first looks come quickly).
LOCK_FIRST_WAIT_MS = 10

T = TypeVar("T")


class StateError(TermnewsError):
    """The reading state could not be used as asked; the message says why."""


class StateUnavailableError(StateError):
    """The database cannot be opened for writing: corrupt, not ours, newer, or unreadable."""


class StateReadOnlyError(StateError):
    """A change was asked of a store opened read-only."""


@dataclass(frozen=True, slots=True)
class StoryState:
    """One story's marks."""

    read: bool = False
    starred: bool = False
    tags: frozenset[str] = frozenset()


UNMARKED = StoryState()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Every mark at one moment. `version` changes whenever anyone commits a change."""

    version: tuple[int, int]
    read: frozenset[str] = frozenset()
    starred: frozenset[str] = frozenset()
    tags: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def of(self, identity: str) -> StoryState:
        tags = frozenset(name for name, members in self.tags.items() if identity in members)
        if not tags and identity not in self.read and identity not in self.starred:
            return UNMARKED
        return StoryState(identity in self.read, identity in self.starred, tags)

    def identities(self, name: str, value: str) -> frozenset[str]:
        """The stories a state filter names: `is:read`, `is:starred`, `tag:NAME`.

        `is:unread` is the complement of `is:read` and needs the list of all stories, which
        only the engine has; it asks for `is:read` and subtracts.
        """
        if name == "is" and value == "read":
            return self.read
        if name == "is" and value == "starred":
            return self.starred
        if name == "tag":
            return self.tags.get(value, frozenset())
        raise ValueError(f"not a state filter: {name}:{value}")


@dataclass(frozen=True, slots=True)
class StateRecord:
    """One story's marks as exported and imported (`termnews.state.records`)."""

    identity: str
    read: bool = False
    starred: bool = False
    tags: tuple[str, ...] = ()
    headline: str = ""
    read_at: str | None = None
    starred_at: str | None = None


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What an import changed."""

    stories: int
    read: int
    starred: int
    tags: int

    @property
    def changed(self) -> int:
        return self.read + self.starred + self.tags


_SCHEMA_V1 = """
CREATE TABLE stories (
    identity   TEXT PRIMARY KEY,
    read       INTEGER NOT NULL DEFAULT 0,
    read_at    TEXT,
    starred    INTEGER NOT NULL DEFAULT 0,
    starred_at TEXT,
    headline   TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE tags (
    identity TEXT NOT NULL,
    tag      TEXT NOT NULL,
    added_at TEXT,
    PRIMARY KEY (identity, tag)
) WITHOUT ROWID;
CREATE INDEX tags_by_name ON tags (tag, identity);
"""

#: version -> the script that brings a database from the version before it to this one.
MIGRATIONS: dict[int, str] = {1: _SCHEMA_V1}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


class StateStore:
    """The reading state database. Thread-safe: one connection behind one lock."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        """Open (creating if need be) the database at `path`.

        Raises `StateUnavailableError` when it is corrupt, not a termnews database, from a
        newer termnews, or cannot be read or created; the file is then left as it was.
        """
        self.path = Path(path)
        self.read_only = read_only
        self.problem: str | None = None
        self._lock = threading.RLock()
        self._local_writes = 0
        self._snapshot: Snapshot | None = None
        self._conn = self._connect()

    @classmethod
    def fallback(cls, problem: str) -> StateStore:
        """An empty, read-only store standing in for one that could not be opened."""
        store = cls(":memory:", read_only=True)
        store.problem = problem
        return store

    @classmethod
    def open_or_fallback(cls, path: Path) -> StateStore:
        """The store at `path`, or an empty read-only one whose `problem` says why not."""
        try:
            return cls(path)
        except StateUnavailableError as error:
            return cls.fallback(str(error))

    # -- opening -------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        memory = str(self.path) == ":memory:"
        # Read-only opens the file read-only: it must create nothing and change no setting.
        on_disk_read_only = self.read_only and not memory
        if not memory:
            self._check_existing()
            if on_disk_read_only and not self.path.exists():
                raise StateUnavailableError(f"there is no reading state at {self.path} yet")
        try:
            if not memory and not self.read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            target = f"{self.path.resolve().as_uri()}?mode=ro" if on_disk_read_only else None
            conn = sqlite3.connect(
                target or str(self.path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # we issue BEGIN IMMEDIATE ourselves
                check_same_thread=False,
                uri=on_disk_read_only,
            )
        except (sqlite3.Error, OSError) as error:
            raise StateUnavailableError(
                f"cannot open the reading state at {self.path}: {error}"
            ) from error
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not memory and not self.read_only:
                self._retrying(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(conn)
        except sqlite3.Error as error:
            conn.close()
            raise StateUnavailableError(
                f"cannot use the reading state at {self.path}: {error}"
            ) from error
        return conn

    def _check_existing(self) -> None:
        """Refuse, without writing a byte, a file we must not touch."""
        if not self.path.exists():
            return
        try:
            if self.path.stat().st_size == 0:
                return  # an empty file is an empty database to SQLite: safe to set up
        except OSError as error:
            raise StateUnavailableError(
                f"cannot read the reading state at {self.path}: {error}"
            ) from error
        header, check = self._probe_leaving_no_files()
        if check != "ok":
            raise StateUnavailableError(
                f"the reading state at {self.path} is damaged ({check}); it was left as it is"
            )
        if header.foreign(APPLICATION_ID):
            raise StateUnavailableError(
                f"{self.path} is not a termnews reading state; it was left as it is"
            )
        if header.newer_than(SCHEMA_VERSION):
            raise StateUnavailableError(
                f"the reading state at {self.path} was "
                f"{newer_message(header.version, SCHEMA_VERSION)}; it was left as it is"
            )

    def _probe_leaving_no_files(self) -> tuple[Header, str]:
        """`_probe`, without creating a -wal or -shm beside a file we may be about to refuse.

        SQLite opening a WAL database read-only creates its -wal and -shm and cannot remove
        them. With no -wal or -journal beside it the file alone is the whole database, so it is
        read as immutable (no locks, no side files). Every writer makes one of those side files
        before it changes the file, or at least changes its modification time; if either
        happened during the read, what it saw may be torn, and an ordinary read decides.
        """

        def unchanged_since(before: tuple[int, int, int] | None) -> tuple[int, int, int] | None:
            try:
                if any(Path(f"{self.path}{side}").exists() for side in ("-wal", "-journal")):
                    return None
                info = self.path.stat()
            except OSError:
                return None  # the ordinary read says what is wrong
            now = (info.st_ino, info.st_size, info.st_mtime_ns)
            return now if before is None or now == before else None

        before = unchanged_since(None)
        if before is None:
            return self._probe(immutable=False)
        try:
            verdict = self._probe(immutable=True)
        except StateUnavailableError:
            if unchanged_since(before) is None:
                return self._probe(immutable=False)
            raise
        return verdict if unchanged_since(before) is not None else self._probe(immutable=False)

    def _probe(self, *, immutable: bool) -> tuple[Header, str]:
        """The file's header and its `quick_check` verdict."""
        uri = f"{self.path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"
        try:
            probe = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        except (sqlite3.Error, OSError) as error:
            raise StateUnavailableError(
                f"cannot read the reading state at {self.path}: {error}"
            ) from error
        try:
            header = read_header(probe)
            check = probe.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StateUnavailableError(
                f"the reading state at {self.path} is damaged ({error}); it was left as it is"
            ) from error
        finally:
            probe.close()
        return header, str(check)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        if self.read_only and str(self.path) != ":memory:":
            raise StateUnavailableError(
                f"the reading state at {self.path} needs upgrading, which read-only cannot do"
            )
        if version and str(self.path) != ":memory:":
            # A copy from before the upgrade: a migration bug must not cost a year of marks.
            backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
            if not backup.exists():
                import shutil  # only an upgrade needs it

                shutil.copy2(self.path, backup)
        self._retrying(lambda: self._begin_immediate(conn), poll=True)
        try:
            apply_migrations(conn, MIGRATIONS, APPLICATION_ID)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- plumbing --------------------------------------------------------------------------------

    def _retrying(self, action: Callable[[], T], *, poll: bool = False) -> T:
        """`action`, tried again while another process holds the write lock.

        `poll`: `action` gives up soon when the lock is held (`_begin_immediate`), and is
        tried again after `LOCK_POLL_S` rather than after a growing delay.
        """
        deadline = time.monotonic() + WRITE_PATIENCE_S
        delay = 0.01
        while True:
            try:
                return action()
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                if time.monotonic() > deadline:
                    raise StateError(
                        f"the reading state at {self.path} stayed busy for "
                        f"{WRITE_PATIENCE_S:.0f} s (another termnews is writing); try again"
                    ) from error
                time.sleep(random.uniform(*LOCK_POLL_S) if poll else delay)
                delay = min(delay * 2, 0.2)

    def _write(
        self,
        change: Callable[[sqlite3.Connection], int],
        update: Callable[[Snapshot], Snapshot] | None = None,
    ) -> int:
        """Run `change` in one immediate transaction; returns what it counted.

        `update` applies the same change to a snapshot. When no other process committed
        since the cached snapshot was read, it is updated in place rather than re-read:
        re-reading every mark after each keypress costs tens of ms at 10,000 marks.
        """
        if self.read_only:
            reason = f": {self.problem}" if self.problem else ""
            raise StateReadOnlyError(f"the reading state is read-only{reason}")
        with self._lock:
            conn = self._conn

            def attempt() -> int:
                self._begin_immediate(conn)
                try:
                    counted = change(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
                return counted

            try:
                counted = self._retrying(attempt, poll=True)
            except sqlite3.Error as error:
                raise StateError(f"could not save to the reading state: {error}") from error
            self._local_writes += 1
            cached = self._snapshot
            fresh = cached is not None and cached.version[0] == self._data_version()
            if update is not None and cached is not None and fresh:
                self._snapshot = dataclasses.replace(
                    update(cached), version=(cached.version[0], self._local_writes)
                )
            return counted

    @staticmethod
    def _begin_immediate(conn: sqlite3.Connection) -> None:
        """Take the write lock, or fail soon (`SQLITE_BUSY`) for `_retrying` to poll again."""
        conn.execute(f"PRAGMA busy_timeout = {LOCK_FIRST_WAIT_MS}")
        try:
            conn.execute("BEGIN IMMEDIATE")
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Every mark now; the same object until someone commits a change."""
        with self._lock, self._reading() as conn:
            version = (self._data_version(), self._local_writes)
            if self._snapshot is not None and self._snapshot.version == version:
                return self._snapshot
            try:
                read = frozenset(
                    r[0] for r in conn.execute("SELECT identity FROM stories WHERE read")
                )
                starred = frozenset(
                    r[0] for r in conn.execute("SELECT identity FROM stories WHERE starred")
                )
                grouped: dict[str, set[str]] = {}
                for identity, tag in conn.execute("SELECT identity, tag FROM tags"):
                    grouped.setdefault(tag, set()).add(identity)
            except sqlite3.Error as error:
                raise StateError(f"could not read the reading state: {error}") from error
            tags = {name: frozenset(members) for name, members in grouped.items()}
            self._snapshot = Snapshot(version, read, starred, tags)
            return self._snapshot

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so queries run one after another see one committed state
        (a change another process commits between them would otherwise show by halves)."""
        conn = self._conn
        try:
            conn.execute("BEGIN")
        except sqlite3.Error as error:
            raise StateError(f"could not read the reading state: {error}") from error
        try:
            yield conn
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("COMMIT")  # ends the read; nothing was written

    def _data_version(self) -> int:
        """SQLite's counter of commits by *other* connections (ours count in `_local_writes`)."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def state_of(self, identity: str) -> StoryState:
        return self.snapshot().of(identity)

    def tag_counts(self) -> dict[str, int]:
        """Every tag in use, with how many stories carry it, by name."""
        return {name: len(members) for name, members in sorted(self.snapshot().tags.items())}

    def records(self) -> Iterator[StateRecord]:
        """Every story with any mark, ordered by identity (a stable export)."""
        with self._lock, self._reading() as conn:
            rows = conn.execute(
                "SELECT identity, read, starred, headline, read_at, starred_at FROM stories "
                "UNION SELECT identity, 0, 0, '', NULL, NULL FROM tags "
                "WHERE identity NOT IN (SELECT identity FROM stories) ORDER BY identity"
            ).fetchall()
            tags: dict[str, list[str]] = {}
            for identity, tag in conn.execute("SELECT identity, tag FROM tags ORDER BY tag"):
                tags.setdefault(identity, []).append(tag)
        for identity, read, starred, headline, read_at, starred_at in rows:
            yield StateRecord(
                identity,
                bool(read),
                bool(starred),
                tuple(tags.get(identity, ())),
                headline or "",
                read_at,
                starred_at,
            )

    # -- changing --------------------------------------------------------------------------------

    def set_read(
        self, identities: Iterable[str], read: bool, headlines: Mapping[str, str] | None = None
    ) -> int:
        """Mark stories read (or unread); returns how many changed."""
        return self._set_flag("read", identities, read, headlines)

    def set_starred(
        self, identities: Iterable[str], starred: bool, headlines: Mapping[str, str] | None = None
    ) -> int:
        """Star (or unstar) stories; returns how many changed."""
        return self._set_flag("starred", identities, starred, headlines)

    def _set_flag(
        self,
        column: str,
        identities: Iterable[str],
        value: bool,
        headlines: Mapping[str, str] | None,
    ) -> int:
        assert column in ("read", "starred")
        wanted = list(dict.fromkeys(identities))
        if not wanted:
            return 0
        titles = headlines or {}
        stamp = _now()

        def change(conn: sqlite3.Connection) -> int:
            before = conn.total_changes
            if value:
                conn.executemany(
                    f"INSERT INTO stories (identity, {column}, {column}_at, headline) "
                    f"VALUES (?, 1, ?, ?) ON CONFLICT (identity) DO UPDATE SET "
                    f"{column} = 1, {column}_at = excluded.{column}_at, "
                    f"headline = CASE WHEN excluded.headline != '' THEN excluded.headline "
                    f"ELSE headline END WHERE {column} = 0",
                    ((i, stamp, titles.get(i, "")) for i in wanted),
                )
            else:
                conn.executemany(
                    f"UPDATE stories SET {column} = 0, {column}_at = NULL "
                    f"WHERE identity = ? AND {column} = 1",
                    ((i,) for i in wanted),
                )
            changed = conn.total_changes - before
            if not value:
                self._forget_unmarked(conn, wanted)
            return changed

        def update(snapshot: Snapshot) -> Snapshot:
            marked: frozenset[str] = getattr(snapshot, column)
            marked = marked | frozenset(wanted) if value else marked - frozenset(wanted)
            return dataclasses.replace(snapshot, **{column: marked})

        return self._write(change, update)

    def add_tag(
        self, identities: Iterable[str], tag: str, headlines: Mapping[str, str] | None = None
    ) -> int:
        """Tag stories `tag` (normalised, see `tags.normalise_tag`); returns how many changed."""
        name = normalise_tag(tag)
        wanted = list(dict.fromkeys(identities))
        titles = headlines or {}
        stamp = _now()

        def change(conn: sqlite3.Connection) -> int:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO tags (identity, tag, added_at) VALUES (?, ?, ?)",
                ((i, name, stamp) for i in wanted),
            )
            changed = conn.total_changes - before
            if titles:
                conn.executemany(
                    "INSERT INTO stories (identity, headline) VALUES (?, ?) "
                    "ON CONFLICT (identity) DO UPDATE SET headline = excluded.headline "
                    "WHERE excluded.headline != ''",
                    ((i, titles[i]) for i in wanted if titles.get(i)),
                )
            return changed

        def update(snapshot: Snapshot) -> Snapshot:
            tags = dict(snapshot.tags)
            tags[name] = tags.get(name, frozenset()) | frozenset(wanted)
            return dataclasses.replace(snapshot, tags=tags)

        return self._write(change, update) if wanted else 0

    def remove_tag(self, identities: Iterable[str], tag: str) -> int:
        """Take `tag` off stories; returns how many changed."""
        name = normalise_tag(tag)
        wanted = list(dict.fromkeys(identities))

        def change(conn: sqlite3.Connection) -> int:
            before = conn.total_changes
            conn.executemany(
                "DELETE FROM tags WHERE identity = ? AND tag = ?", ((i, name) for i in wanted)
            )
            changed = conn.total_changes - before
            self._forget_unmarked(conn, wanted)
            return changed

        def update(snapshot: Snapshot) -> Snapshot:
            tags = dict(snapshot.tags)
            left = tags.pop(name, frozenset()) - frozenset(wanted)
            if left:
                tags[name] = left
            return dataclasses.replace(snapshot, tags=tags)

        return self._write(change, update) if wanted else 0

    @staticmethod
    def _forget_unmarked(conn: sqlite3.Connection, identities: list[str]) -> None:
        """Drop rows left with no mark at all, so the database holds only what has state."""
        conn.executemany(
            "DELETE FROM stories WHERE identity = ? AND read = 0 AND starred = 0 "
            "AND NOT EXISTS (SELECT 1 FROM tags WHERE tags.identity = stories.identity)",
            ((i,) for i in identities),
        )

    def merge(self, records: Iterable[StateRecord]) -> MergeReport:
        """Add `records` to what is here: a read or a star is never lost, tags are united.

        Merging the same records twice changes nothing the second time.
        """
        incoming = list(records)
        counts = {"read": 0, "starred": 0, "tags": 0}

        def change(conn: sqlite3.Connection) -> int:
            counts.update(read=0, starred=0, tags=0)  # a retried attempt counts afresh
            for record in incoming:
                for column, value, stamp in (
                    ("read", record.read, record.read_at),
                    ("starred", record.starred, record.starred_at),
                ):
                    if not value:
                        continue
                    before = conn.total_changes
                    conn.execute(
                        f"INSERT INTO stories (identity, {column}, {column}_at, headline) "
                        f"VALUES (?, 1, ?, ?) ON CONFLICT (identity) DO UPDATE SET "
                        f"{column} = 1, {column}_at = excluded.{column}_at WHERE {column} = 0",
                        (record.identity, stamp or _now(), record.headline),
                    )
                    counts[column] += conn.total_changes - before
                for tag in record.tags:
                    before = conn.total_changes
                    conn.execute(
                        "INSERT OR IGNORE INTO tags (identity, tag, added_at) VALUES (?, ?, ?)",
                        (record.identity, normalise_tag(tag), _now()),
                    )
                    counts["tags"] += conn.total_changes - before
                if record.headline and (record.read or record.starred or record.tags):
                    # A story that is only tagged has a row for its headline too (as `add_tag`
                    # keeps one), else an export imported elsewhere would lose the headline.
                    conn.execute(
                        "INSERT INTO stories (identity, headline) VALUES (?, ?) "
                        "ON CONFLICT (identity) DO UPDATE SET headline = excluded.headline "
                        "WHERE headline = ''",
                        (record.identity, record.headline),
                    )
            return sum(counts.values())

        if incoming:
            self._write(change)
        return MergeReport(len(incoming), counts["read"], counts["starred"], counts["tags"])

    def prune(self, keep: Iterable[str]) -> int:
        """Forget the marks of every story not in `keep`; returns how many stories."""
        kept = set(keep)

        def change(conn: sqlite3.Connection) -> int:
            known = {r[0] for r in conn.execute("SELECT identity FROM stories")}
            known |= {r[0] for r in conn.execute("SELECT identity FROM tags")}
            gone = sorted(known - kept)
            conn.executemany("DELETE FROM tags WHERE identity = ?", ((i,) for i in gone))
            conn.executemany("DELETE FROM stories WHERE identity = ?", ((i,) for i in gone))
            return len(gone)

        return self._write(change)
