"""The feed ledger: what one fetch leaves for the next, kept across processes."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.feeds.ledger import FeedLedger, FeedRecord, LedgerError

FEED = "https://courier.example/rss.xml"
OTHER = "https://beacon.example/atom"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "feeds.db"


def test_an_unknown_feed_and_entry_are_none(db: Path) -> None:
    with FeedLedger(db) as ledger:
        assert ledger.feed(FEED) is None
        assert ledger.entry(FEED, "guid-1") is None
        assert ledger.feeds() == []


def test_records_persist_across_reopening(db: Path) -> None:
    when = datetime(2026, 12, 2, 8, 30, 15)
    with FeedLedger(db) as ledger:
        ledger.record_fetch(
            FEED, status="fetched", etag='W/"abc"', last_modified="Wed, 02 Dec 2026 08:00:00 GMT",
            error=None, new=12, at=when,
        )  # fmt: skip
        ledger.record_entry(FEED, "guid-1", "feeds/courier/2026/12/ferry-0a1b2c3d.txt", "d1")
        ledger.record_entry(OTHER, "guid-1", "feeds/beacon/2026/12/vote-11223344.txt", "d2")
    with FeedLedger(db) as reopened:
        assert reopened.feed(FEED) == FeedRecord(
            url=FEED,
            etag='W/"abc"',
            last_modified="Wed, 02 Dec 2026 08:00:00 GMT",
            last_fetch=when,
            last_status="fetched",
            consecutive_failures=0,
            last_error=None,
            new_count=12,
        )
        assert reopened.entry(FEED, "guid-1") == ("feeds/courier/2026/12/ferry-0a1b2c3d.txt", "d1")
        assert reopened.entry(OTHER, "guid-1") == ("feeds/beacon/2026/12/vote-11223344.txt", "d2")
        assert [record.url for record in reopened.feeds()] == sorted([FEED])


def test_failures_count_up_and_reset_on_success(db: Path) -> None:
    with FeedLedger(db) as ledger:
        ledger.record_fetch(FEED, status="fetched", etag="e1", last_modified="m1", new=3)
        for count in (1, 2, 3):
            record = ledger.record_fetch(FEED, status="failed", error=f"timed out ({count})")
            assert record.consecutive_failures == count
            assert record.last_error == f"timed out ({count})"
            assert record.last_status == "failed"
            # A failure says nothing about the validators: the last good ones stay.
            assert (record.etag, record.last_modified) == ("e1", "m1")
            assert record.new_count == 0
    with FeedLedger(db) as ledger:
        assert ledger.feed(FEED).consecutive_failures == 3  # type: ignore[union-attr]
        record = ledger.record_fetch(FEED, status="unchanged", etag="e1", last_modified="m1")
        assert record.consecutive_failures == 0
        assert record.last_error is None
        assert (
            ledger.record_fetch(FEED, status="failed", error="HTTP 500").consecutive_failures == 1
        )


def test_a_success_stores_the_validators_it_was_given(db: Path) -> None:
    with FeedLedger(db) as ledger:
        ledger.record_fetch(FEED, status="fetched", etag="e1", last_modified="m1")
        record = ledger.record_fetch(FEED, status="fetched", etag=None, last_modified="m2")
        assert (record.etag, record.last_modified) == (None, "m2")


def test_feeds_are_kept_apart(db: Path) -> None:
    with FeedLedger(db) as ledger:
        ledger.record_fetch(FEED, status="failed", error="refused")
        ledger.record_fetch(OTHER, status="fetched", new=1)
        assert ledger.feed(FEED).consecutive_failures == 1  # type: ignore[union-attr]
        assert ledger.feed(OTHER).consecutive_failures == 0  # type: ignore[union-attr]
        assert [record.url for record in ledger.feeds()] == sorted([FEED, OTHER])


def test_fetch_times_are_kept_in_utc(db: Path) -> None:
    with FeedLedger(db) as ledger:
        east = datetime(2026, 12, 2, 17, 0, 5, 999, tzinfo=timezone(timedelta(hours=9)))
        record = ledger.record_fetch(FEED, status="fetched", at=east)
        assert record.last_fetch == datetime(2026, 12, 2, 8, 0, 5)
        before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        record = ledger.record_fetch(FEED, status="fetched")
        assert record.last_fetch is not None and record.last_fetch >= before


def test_a_corrected_entry_replaces_its_record(db: Path) -> None:
    with FeedLedger(db) as ledger:
        ledger.record_entry(FEED, "guid-1", "feeds/a.txt", "old")
        ledger.record_entry(FEED, "guid-1", "feeds/a.txt", "new")
        assert ledger.entry(FEED, "guid-1") == ("feeds/a.txt", "new")


@settings(max_examples=30, deadline=None)
@given(keys=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=20, unique=True))
def test_any_entry_key_round_trips(
    tmp_path_factory: pytest.TempPathFactory, keys: list[str]
) -> None:
    db = tmp_path_factory.mktemp("ledger") / "feeds.db"
    with FeedLedger(db) as ledger:
        for number, key in enumerate(keys):
            ledger.record_entry(FEED, key, f"feeds/{number}.txt", f"digest-{number}")
    with FeedLedger(db) as ledger:
        for number, key in enumerate(keys):
            assert ledger.entry(FEED, key) == (f"feeds/{number}.txt", f"digest-{number}")


def test_threads_may_share_one_ledger(db: Path) -> None:
    with FeedLedger(db) as ledger:

        def work(feed: int) -> None:
            for n in range(20):
                ledger.record_entry(f"https://f{feed}.example/", f"k{n}", f"feeds/{n}.txt", "d")
                ledger.record_fetch(f"https://f{feed}.example/", status="failed", error="x")

        threads = [threading.Thread(target=work, args=(feed,)) for feed in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(record.consecutive_failures == 20 for record in ledger.feeds())
        assert len(ledger.feeds()) == 4


def test_a_file_that_is_not_a_ledger_is_refused_and_left_alone(tmp_path: Path) -> None:
    garbage = tmp_path / "feeds.db"
    garbage.write_bytes(b"these are not the pages of a database" * 200)
    with pytest.raises(LedgerError, match=r"feeds\.db"):
        FeedLedger(garbage)
    assert garbage.read_bytes() == b"these are not the pages of a database" * 200

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="not a termnews feed ledger"):
        FeedLedger(other)


def test_a_ledger_from_a_newer_termnews_is_refused(db: Path) -> None:
    FeedLedger(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(LedgerError, match="newer termnews"):
        FeedLedger(db)


def test_folders_name_where_a_feed_s_stories_went_most_first(db: Path) -> None:
    """What `feeds list` shows for `feed:`: a feed renamed in the config writes its new
    entries to a new folder, and its older stories stay where they were."""
    url = "http://127.0.0.1/beacon.xml"
    with FeedLedger(db) as ledger:
        assert ledger.folders(url) == []
        ledger.record_entry(url, "a", "feeds/harbour-beacon/2026/11/a-1a2b3c4d.txt", "d1")
        ledger.record_entry(url, "b", "feeds/the-beacon/2026/12/b-2b3c4d5e.txt", "d2")
        ledger.record_entry(url, "c", "feeds/the-beacon/undated/c-3c4d5e6f.txt", "d3")
        ledger.record_entry("http://127.0.0.1/other.xml", "a", "feeds/other/a.txt", "d4")
        assert ledger.folders(url) == ["the-beacon", "harbour-beacon"]
