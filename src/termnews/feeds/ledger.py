"""What termnews remembers between fetches, per feed and per entry, in one SQLite database.

Per feed: the validators for a conditional GET (ETag, Last-Modified), when it was last fetched
and how that went, and how many fetches in a row have failed (so `feeds list` can point at a
feed that has been dead for a week). Per entry: the file it became and a digest of the text
written, so an unchanged entry is not rewritten and a corrected one replaces its own file.

It lives in the data dir (`config.data_dir() / "feeds.db"`), beside the reading state, and is
opened the same way: WAL and a busy timeout, so a `termnews fetch` from cron and one typed
by hand can share it. Unlike the reading state it can be rebuilt (losing it costs one full
fetch of every feed and rewrites each story once), so it is kept simple.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from termnews.errors import TermnewsError
from termnews.sqlite_schema import (
    apply_migrations,
    newer_message,
    read_header,
    switch_to_wal,
)

#: The schema this code writes. A database with a higher number is left alone.
SCHEMA_VERSION = 1
#: SQLite's application_id for the feed ledger ("tnfd"), so another program's file is refused.
APPLICATION_ID = 0x746E6664
BUSY_TIMEOUT_MS = 10_000
#: The status `record_fetch` counts as a failure; any other counts as a success.
FAILED = "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url                  TEXT PRIMARY KEY,
    etag                 TEXT,
    last_modified        TEXT,
    last_fetch           TEXT,
    last_status          TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT,
    new_count            INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
    feed_url TEXT NOT NULL,
    key      TEXT NOT NULL,
    relpath  TEXT NOT NULL,
    digest   TEXT NOT NULL,
    PRIMARY KEY (feed_url, key)
) WITHOUT ROWID;
"""


class LedgerError(TermnewsError):
    """The feed ledger cannot be used; the message says why and where."""


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """One feed as the ledger last saw it."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: datetime | None = None  # UTC, naive
    last_status: str | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    new_count: int = 0


class FeedLedger:
    """The ledger database. Thread-safe: one connection behind one lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # each write is its own `with self._conn` transaction
                check_same_thread=False,
            )
        except (sqlite3.Error, OSError) as error:
            raise LedgerError(f"cannot open the feed ledger at {self.path}: {error}") from error
        try:
            self._set_up()
        except sqlite3.Error as error:
            self._conn.close()
            raise LedgerError(
                f"cannot use the feed ledger at {self.path}: {error}; it was left as it is"
            ) from error

    def _set_up(self) -> None:
        conn = self._conn
        header = read_header(conn)
        if header.foreign(APPLICATION_ID):
            raise sqlite3.DatabaseError("it is not a termnews feed ledger")
        if header.newer_than(SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"it was {newer_message(header.version, SCHEMA_VERSION)}")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        switch_to_wal(conn, BUSY_TIMEOUT_MS / 1000)
        conn.execute("PRAGMA synchronous = NORMAL")  # rebuildable: a lost last commit is fine
        if header.version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                apply_migrations(conn, {1: _SCHEMA}, APPLICATION_ID)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    # -- feeds ------------------------------------------------------------------------------

    def feed(self, url: str) -> FeedRecord | None:
        """What the ledger knows of the feed at `url`, or None if it was never fetched."""
        with self._lock:
            row = self._conn.execute(
                "SELECT url, etag, last_modified, last_fetch, last_status, "
                "consecutive_failures, last_error, new_count FROM feeds WHERE url = ?",
                (url,),
            ).fetchone()
        return None if row is None else _record(row)

    def feeds(self) -> list[FeedRecord]:
        """Every feed the ledger knows, by URL."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT url, etag, last_modified, last_fetch, last_status, "
                "consecutive_failures, last_error, new_count FROM feeds ORDER BY url"
            ).fetchall()
        return [_record(row) for row in rows]

    def record_fetch(
        self,
        url: str,
        *,
        status: str,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
        new: int = 0,
        at: datetime | None = None,
    ) -> FeedRecord:
        """Record one fetch of `url`; the feed's record afterwards is returned.

        A `"failed"` status counts one more failure in a row and keeps the error; any other
        status (fetched, unchanged) sets the count back to 0 and clears the error. A failure
        says nothing about the feed's validators, so a failed fetch given none keeps the ones
        recorded before; a success stores what it was given.
        """
        when = at or datetime.now(UTC)
        if when.tzinfo is not None:  # a naive `at` is UTC already
            when = when.astimezone(UTC).replace(tzinfo=None)
        when = when.replace(microsecond=0)
        failed = status == FAILED
        with self._lock, self._transaction():
            before = self._conn.execute(
                "SELECT etag, last_modified, consecutive_failures FROM feeds WHERE url = ?",
                (url,),
            ).fetchone()
            old_etag, old_modified, failures = before if before is not None else (None, None, 0)
            if failed:
                etag = etag if etag is not None else old_etag
                last_modified = last_modified if last_modified is not None else old_modified
            self._conn.execute(
                "INSERT OR REPLACE INTO feeds (url, etag, last_modified, last_fetch, "
                "last_status, consecutive_failures, last_error, new_count) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    url,
                    etag,
                    last_modified,
                    when.isoformat(),
                    status,
                    failures + 1 if failed else 0,
                    error if failed else None,
                    max(0, int(new)),
                ),
            )
        record = self.feed(url)
        assert record is not None
        return record

    # -- entries ----------------------------------------------------------------------------

    def entry(self, feed_url: str, key: str) -> tuple[str, str] | None:
        """`(relpath, digest)` of the file entry `key` of `feed_url` became, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT relpath, digest FROM entries WHERE feed_url = ? AND key = ?",
                (feed_url, key),
            ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def folders(self, feed_url: str) -> list[str]:
        """The archive folders (`feeds/<folder>/…`) the entries of `feed_url` were written
        to, the one holding most first: what `feed:<folder>` finds them by. Usually one; a
        feed renamed in the config writes its new entries to a new folder."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT substr(relpath, 7, instr(substr(relpath, 7), '/') - 1) AS folder "
                "FROM entries WHERE feed_url = ? AND relpath LIKE 'feeds/%/%' "
                "GROUP BY folder ORDER BY count(*) DESC, folder",
                (feed_url,),
            ).fetchall()
        return [str(row[0]) for row in rows if row[0]]

    def record_entry(self, feed_url: str, key: str, relpath: str, digest: str) -> None:
        """Remember that entry `key` of `feed_url` was written to `relpath` with `digest`."""
        with self._lock, self._transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO entries (feed_url, key, relpath, digest) "
                "VALUES (?, ?, ?, ?)",
                (feed_url, key, str(relpath), digest),
            )

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> FeedLedger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the body raised."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")


def _record(row: tuple) -> FeedRecord:
    url, etag, modified, last_fetch, status, failures, error, new = row
    return FeedRecord(
        url=url,
        etag=etag,
        last_modified=modified,
        last_fetch=datetime.fromisoformat(last_fetch) if last_fetch else None,
        last_status=status,
        consecutive_failures=int(failures),
        last_error=error,
        new_count=int(new),
    )
