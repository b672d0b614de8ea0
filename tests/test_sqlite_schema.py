"""What termnews's SQLite files share: switching one to WAL while another process writes."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from termnews.sqlite_schema import switch_to_wal


def _writing(path: Path) -> sqlite3.Connection:
    """A connection in the middle of a write transaction on `path`."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("CREATE TABLE IF NOT EXISTS notes (text TEXT)")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO notes VALUES ('harbour')")
    return conn


def test_wal_waits_for_another_writer_to_finish(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    writer = _writing(path)
    release = threading.Timer(0.3, lambda: writer.execute("COMMIT"))
    release.start()
    conn = sqlite3.connect(path, timeout=0.01)
    try:
        switch_to_wal(conn, patience_s=5)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        release.join()
        conn.close()
        writer.close()


def test_wal_gives_up_after_its_patience(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    writer = _writing(path)
    conn = sqlite3.connect(path, timeout=0.01)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            switch_to_wal(conn, patience_s=0.1)
    finally:
        conn.close()
        writer.execute("ROLLBACK")
        writer.close()
