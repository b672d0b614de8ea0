"""What termnews's own SQLite files (the reading state, the feed ledger) share: how a file
is recognised as one of ours, and how it is brought up to the schema this code writes.

Each file's header carries SQLite's `application_id` (which of our files it is) and
`user_version` (its schema). A file with tables and another id is someone else's; one with
a higher version is a newer termnews's. Neither may be written to.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Header:
    """The schema version, application id and table count of an open database."""

    version: int
    application_id: int
    tables: int

    def foreign(self, application_id: int) -> bool:
        """True when the file holds tables but is not the kind of file `application_id` names."""
        return bool(self.tables) and self.application_id != application_id

    def newer_than(self, version: int) -> bool:
        return self.version > version


def read_header(conn: sqlite3.Connection) -> Header:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return Header(int(version), int(application_id), int(tables))


def switch_to_wal(conn: sqlite3.Connection, patience_s: float) -> None:
    """`PRAGMA journal_mode = WAL`, tried again for up to `patience_s` while another process
    holds a lock: SQLite answers this pragma "database is locked" at once, without waiting
    out the busy timeout, when another connection is inside a transaction (two fetches
    opening a new ledger together)."""
    deadline = time.monotonic() + patience_s
    delay = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def newer_message(version: int, known: int) -> str:
    """`written by a newer termnews (version 3; this one knows up to 1)`."""
    return f"written by a newer termnews (version {version}; this one knows up to {known})"


def apply_migrations(
    conn: sqlite3.Connection, migrations: Mapping[int, str], application_id: int
) -> None:
    """Every migration script past the file's version, then the new version and id.

    Runs inside the caller's write transaction, and reads the version itself: another
    process may have upgraded the file between the caller's look and its lock.
    """
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    newest = max(migrations)
    for step in range(current + 1, newest + 1):
        for statement in migrations[step].split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {application_id}")
    conn.execute(f"PRAGMA user_version = {newest}")
