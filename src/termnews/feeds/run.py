"""One fetch run: every subscribed feed fetched, its new and changed entries written as stories.

Feeds are fetched from a few threads at once (the `Fetcher` keeps each host to two
connections), so one slow or dead feed never holds up the rest; full-text extraction runs in
its own process (`fulltext`), one page at a time. What was fetched is remembered in the
ledger: conditional-GET validators per feed, and per entry the file it became and a digest of
its text, so an unchanged entry is never written again and an updated one replaces its file
(its URL keeps its content identity, and so its reading state).

Nothing here touches the index: the caller syncs it once the run is over.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal, Protocol

from termnews.feeds.entries import FeedEntry, parse_feed
from termnews.feeds.http import Fetcher, FetchLimits
from termnews.feeds.stories import story_relpath, story_text, write_story

#: An entry whose own text is shorter than this is taken for a summary: with `fulltext =
#: "auto"` its page is fetched and the article extracted. 600 characters is about 100 words,
#: longer than any feed summary seen and shorter than any whole wire story.
SUMMARY_CHARS = 600
#: Feeds fetched at once. The fetcher limits each host to two connections, so this bounds
#: only how many different hosts are in flight.
FEED_THREADS = 8


class Subscription(Protocol):
    """What a run needs of one `[[feeds]]` entry."""

    url: str
    name: str | None
    fulltext: str


class Extractor(Protocol):
    def extract_text(self, html: bytes, url: str, *, content_type: str = "") -> str | None: ...


@dataclass(frozen=True, slots=True)
class WrittenStory:
    """A story file written by this run (new, or replacing an updated entry)."""

    feed_url: str
    relpath: PurePosixPath
    updated: bool
    categories: tuple[str, ...] = ()
    """The entry's own categories, as the feed wrote them (the caller makes tags of them)."""


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """How one feed went."""

    url: str
    name: str
    status: Literal["fetched", "unchanged", "failed", "stopped"]
    new: int = 0
    updated: int = 0
    error: str | None = None
    warning: str | None = None
    written: tuple[WrittenStory, ...] = ()


@dataclass
class RunSummary:
    """Every feed's outcome, in the order of the subscriptions."""

    outcomes: list[FeedOutcome] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def updated(self) -> int:
        return sum(o.updated for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(o.status == "failed" for o in self.outcomes)

    @property
    def written(self) -> list[WrittenStory]:
        return [story for o in self.outcomes for story in o.written]

    def line(self) -> str:
        """`12 feeds: 37 new stories, 2 updated, 1 failed`."""
        feeds = len(self.outcomes)
        parts = [f"{self.new} new {'story' if self.new == 1 else 'stories'}"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        parts.append(f"{self.failed} failed")
        return f"{feeds} {'feed' if feeds == 1 else 'feeds'}: " + ", ".join(parts)


def fetch_all(
    subscriptions: Iterable[Subscription],
    archive: Path,
    ledger: Any,
    *,
    limits: FetchLimits | None = None,
    extractor: Extractor | None = None,
    progress: Callable[[FeedOutcome], None] | None = None,
    threads: int = FEED_THREADS,
    stop: threading.Event | None = None,
) -> RunSummary:
    """Fetch every subscription into `archive`, recording what happened in `ledger`.

    Once `stop` is set (the browser is quitting), feeds not started yet are not fetched and a
    feed being fetched writes no more entries (outcome "stopped"); what is in flight ends
    within the fetcher's limits. A feed stopped part-way keeps no validators, so the next run
    fetches it whole and writes the entries this one left.
    """
    feeds = list(subscriptions)
    summary = RunSummary()
    with Fetcher(limits or FetchLimits()) as fetcher:
        run_one = _FeedRun(fetcher, archive, ledger, extractor, stop or threading.Event())
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            for outcome in pool.map(run_one, feeds):
                summary.outcomes.append(outcome)
                if progress is not None:
                    progress(outcome)
    return summary


class _FeedRun:
    def __init__(
        self,
        fetcher: Fetcher,
        archive: Path,
        ledger: Any,
        extractor: Extractor | None,
        stop: threading.Event,
    ) -> None:
        self.fetcher = fetcher
        self.stop = stop
        self.archive = archive
        self.ledger = ledger
        self.extractor = extractor
        # The ledger has one connection and the extractor one worker process: each is used
        # by one feed's thread at a time, and neither waits on the other.
        self.guard = threading.Lock()
        self.extracting = threading.Lock()

    def __call__(self, feed: Subscription) -> FeedOutcome:
        name = feed.name or feed.url
        if self.stop.is_set():
            return FeedOutcome(feed.url, name, "stopped")
        try:
            return self._fetch(feed, name)
        except Exception as error:  # one feed's surprise must not end the run for all
            message = f"{type(error).__name__}: {error}"
            self._record(feed.url, status="failed", error=message, new=0)
            return FeedOutcome(feed.url, name, "failed", error=message)

    def _record(self, url: str, **fields: Any) -> None:
        with self.guard:
            record = self.ledger.feed(url)
            fields.setdefault("etag", getattr(record, "etag", None))
            fields.setdefault("last_modified", getattr(record, "last_modified", None))
            self.ledger.record_fetch(url, **fields)

    def _fetch(self, feed: Subscription, name: str) -> FeedOutcome:
        with self.guard:
            known = self.ledger.feed(feed.url)
        result = self.fetcher.fetch(
            feed.url,
            etag=getattr(known, "etag", None),
            last_modified=getattr(known, "last_modified", None),
        )
        if result.status == "not_modified":
            self._record(feed.url, status="unchanged", error=None, new=0)
            return FeedOutcome(feed.url, name, "unchanged")
        if result.status == "failed":
            self._record(feed.url, status="failed", error=result.error, new=0)
            return FeedOutcome(feed.url, name, "failed", error=result.error)
        parsed = parse_feed(result.content, result.final_url or feed.url, result.content_type)
        if parsed.error:
            self._record(feed.url, status="failed", error=parsed.error, new=0)
            return FeedOutcome(feed.url, name, "failed", error=parsed.error)
        site = feed.name or parsed.title or name
        folder = feed.name or parsed.title or feed.url  # `story_relpath` makes it a safe name
        written: list[WrittenStory] = []
        for entry in parsed.entries:
            if self.stop.is_set():
                break
            story = self._write_entry(feed, entry, site, folder)
            if story is not None:
                written.append(story)
        stopped = self.stop.is_set()
        new = sum(not story.updated for story in written)
        self._record(
            feed.url,
            status="fetched",
            error=None,
            new=new,
            etag=None if stopped else result.etag,
            last_modified=None if stopped else result.last_modified,
        )
        return FeedOutcome(
            feed.url,
            name,
            "stopped" if stopped else "fetched",
            new=new,
            updated=len(written) - new,
            warning=parsed.warning,
            written=tuple(written),
        )

    def _write_entry(
        self, feed: Subscription, entry: FeedEntry, site: str, folder: str
    ) -> WrittenStory | None:
        body = self._body(feed, entry)
        text = story_text(
            headline=entry.title,
            authors=entry.authors,
            published=entry.published,
            body=body,
            url=entry.link,
            site=site,
        )
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self.guard:
            known = self.ledger.entry(feed.url, entry.key)
        if known is not None and known[1] == digest:
            return None
        relpath = (
            PurePosixPath(known[0])
            if known is not None
            else story_relpath(folder, entry.published, entry.key, entry.title)
        )
        write_story(self.archive, relpath, text)
        with self.guard:
            self.ledger.record_entry(feed.url, entry.key, str(relpath), digest)
        return WrittenStory(feed.url, relpath, updated=known is not None, categories=entry.tags)

    def _body(self, feed: Subscription, entry: FeedEntry) -> str:
        """The entry's own text, or its page's article when the feed carries a summary."""
        own = entry.content if len(entry.content) >= len(entry.summary) else entry.summary
        wanted = feed.fulltext == "always" or (feed.fulltext == "auto" and len(own) < SUMMARY_CHARS)
        if not wanted or not entry.link or self.extractor is None:
            return own
        page = self.fetcher.fetch(entry.link)
        if page.status != "ok":
            return own
        with self.extracting:
            extracted = self.extractor.extract_text(
                page.content, page.final_url or entry.link, content_type=page.content_type
            )
        # The feed's own words win when extraction fails or finds less than they hold.
        return extracted if extracted and len(extracted) > len(own) else own
