"""Fetching the feeds from inside the browser: the `F` key, and the `[fetch] every` timer.

A mixin of `TermnewsApp` (see `tui.mixin`); its action is the bindings' `fetch_feeds`. One
thread worker at a time runs what `termnews fetch` runs (`termnews.newsin`): the subscribed
feeds fetched into the fetch archive, their stories tagged, the archive's index synced. The
UI hears of it through messages only: progress for the status line ("Fetching 3/12 feeds ·
41 new"), then one summary as a notification ("12 feeds · 41 new · 1 failed").

The stories themselves arrive the way any new story does (`tui.watching`): when the browser
shows the fetch archive, the sync here runs under the index's write lock and announces
"N new", and nothing on screen moves until ctrl+r. When it shows another archive, the
stories still go to the fetch archive (termnews writes only into the archive it made), and
the summary says where.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.message import Message

from termnews.tui.mixin import AppMixin
from termnews.tui.watching import ArchiveChanged

if TYPE_CHECKING:
    from textual.timer import Timer

    from termnews.engine.searcher import Searcher
    from termnews.feeds.run import FeedOutcome, RunSummary
    from termnews.settings import FeedSubscription, Settings
    from termnews.state.store import StateStore
    from termnews.tui.widgets.status import StatusLine

#: Failed feeds named in the summary; the rest are counted.
FAILURES_SHOWN = 3
NO_FEEDS = "No feeds to fetch. Subscribe with `termnews feeds add URL`, then press F again."
RUNNING = "A fetch is already running."
#: How much lower than the browser a fetch runs (nice values go from -20 to 19).
NICE = 10
#: Feeds fetched at once from the browser. Each feed's thread parses and writes in Python,
#: taking turns with the browser for the interpreter; fewer than `termnews fetch` uses
#: leave the keys more turns, and the person is not waiting on the fetch.
FEED_THREADS = 3


@dataclass
class FetchProgress(Message):
    """One more feed is done: `done` of `total`, `new` stories so far."""

    done: int
    total: int
    new: int


@dataclass
class FetchFinished(Message):
    """The fetch is over: its one-line summary and what went wrong, as sentences."""

    line: str
    new: int
    failures: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    elsewhere: Path | None = None
    """The fetch archive, when it is not the archive this browser shows."""
    asked: bool = True
    """A person pressed the key (else the timer fetched): only then is "nothing new" said."""
    stopped: bool = False


@dataclass
class _Run:
    """What one fetch needs, gathered on the UI thread before the worker starts."""

    feeds: list[FeedSubscription]
    settings: Settings
    archive: Path | None
    index_dir: Path
    asked: bool
    stop: threading.Event = field(default_factory=threading.Event)


class FetchActions(AppMixin):
    """Fetch the subscribed feeds in the background, by key or on a timer."""

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    settings: Settings
    archive: Path | None
    index_dir: Path
    state: StateStore
    searcher: Searcher | None
    index_write_lock: threading.Lock
    status: StatusLine
    closing: bool
    _fetch_stop: threading.Event
    _fetching: bool
    _fetch_timer: Timer | None

    def start_fetch_timer(self) -> None:
        """Fetch every `[fetch] every` while the browser is open (nothing when it is unset)."""
        every = self.settings.fetch.every_seconds
        if every and self.settings.feeds:
            self._fetch_timer = self.set_interval(every, self._fetch_on_timer)

    def stop_fetching(self) -> None:
        """Let a running fetch end early (quitting): feeds not begun are not fetched."""
        self._fetch_stop.set()
        if self._fetch_timer is not None:
            self._fetch_timer.stop()

    def action_fetch_feeds(self) -> None:
        """`F`: fetch the subscribed feeds now; their stories are announced as "N new"."""
        self.start_fetch(asked=True)

    def _fetch_on_timer(self) -> None:
        self.start_fetch(asked=False)

    def start_fetch(self, *, asked: bool) -> bool:
        """Start a fetch unless one is running or there are no feeds; True if it started."""
        settings = self._subscriptions_now()
        feeds = list(settings.feeds)
        if not feeds:
            if asked:
                self.notify(NO_FEEDS, title="Fetch", markup=False)
            return False
        if self._fetching:
            if asked:
                self.notify(RUNNING, title="Fetch", markup=False)
            return False
        if self._fetch_stop.is_set():  # quitting
            return False
        self._fetching = True
        self._show_fetching(0, len(feeds), 0)
        run = _Run(feeds, settings, self.archive, self.index_dir, asked, self._fetch_stop)
        self._fetch(run)
        return True

    def _subscriptions_now(self) -> Settings:
        """The settings as the config file says now, for its [[feeds]] and [fetch].

        A person who adds a feed (`termnews feeds add URL`) while the browser is open should
        not need to restart it for `F` to fetch it. The file is read again (a millisecond);
        settings that were not read from a file, and a file that is now broken, give what
        the browser started with. Nothing else is taken from it: its keys and searches are
        the ones the browser started with, and its problems were said at start.
        """
        path = self.settings.path
        if path is None:
            return self.settings
        from termnews.settings import ConfigFileError, load_settings
        from termnews.settings.location import parse_config, read_config_text

        try:
            text = read_config_text(path)
            if text is not None:
                parse_config(text, path)
        except ConfigFileError:
            return self.settings
        return load_settings(path)

    def _show_fetching(self, done: int, total: int, new: int) -> None:
        from termnews.tui.widgets.status import fetching_content

        self.status.set_activity(fetching_content(done, total, new))

    @work(thread=True, group="fetch", exit_on_error=False)
    def _fetch(self, run: _Run) -> None:
        """Fetch, tag and sync off the UI thread; every outcome comes back as a message.

        The work runs in a thread of its own, at a lower priority (`_yield_to_the_keys`):
        the worker's thread is one of Textual's pool, which later searches reuse, so it must
        keep its priority. Whatever goes wrong ends as a `FetchFinished` naming it: a fetch
        runs unattended on the timer, and its failure must be a sentence, never a traceback
        or a stuck "Fetching…".
        """
        finished: list[FetchFinished] = []

        def fetch() -> None:
            try:
                _yield_to_the_keys()
                finished.append(self._fetch_and_index(run))
            except Exception as error:  # the one place a fetch's surprise becomes words
                from termnews.errors import TermnewsError

                reason = str(error) if isinstance(error, TermnewsError) else repr(error)
                finished.append(FetchFinished("The fetch failed", 0, (reason,), asked=run.asked))

        thread = threading.Thread(target=fetch, name="termnews-fetch", daemon=True)
        thread.start()
        thread.join()
        self.post_message(finished[0])

    def _fetch_and_index(self, run: _Run) -> FetchFinished:
        from termnews.errors import TermnewsError
        from termnews.newsin import fetch_archive, fetch_feeds, summary_line, tag_stories
        from termnews.tui.processes import prepare_child_processes

        prepare_child_processes()  # the extractor and the index writers are processes
        archive = fetch_archive(run.settings)
        total = len(run.feeds)
        counts = {"done": 0, "new": 0}

        def progress(outcome: FeedOutcome) -> None:
            counts["done"] += 1
            counts["new"] += outcome.new
            self.post_message(FetchProgress(counts["done"], total, counts["new"]))

        summary, no_fulltext = fetch_feeds(
            run.feeds, archive, progress=progress, stop=run.stop, threads=FEED_THREADS
        )
        problems: list[str] = []
        if no_fulltext:
            problems.append(f"No full text this time: {no_fulltext}")
        try:
            tag_stories(run.feeds, archive, summary, self.state)
        except TermnewsError as error:
            problems.append(f"The feeds' tags were not saved: {error}")
        ours = run.archive is not None and run.archive.resolve() == archive
        if not run.stop.is_set() and summary.written:
            problems.extend(self._index(archive, run.index_dir if ours else None))
        return FetchFinished(
            summary_line(summary),
            summary.new,
            _failures(summary),
            tuple(problems),
            elsewhere=None if ours else archive,
            asked=run.asked,
            stopped=run.stop.is_set(),
        )

    def _index(self, archive: Path, index_dir: Path | None) -> list[str]:
        """Sync the fetch archive's index; announce the new stories when it is the one shown.

        The browser's own index is synced under its write lock, like the watcher's syncs, and
        the stories are announced the way the watcher announces them. Another archive's
        index is synced unless it is this browser's own index ($TERMNEWS_INDEX_DIR names
        one index for every archive): syncing another archive into it would replace it.
        """
        from termnews import config
        from termnews.newsin import sync_archive

        if index_dir is None:
            other = config.resolve_index_dir(archive, None)
            if other.absolute() == self.index_dir.absolute():
                return [f"Not indexed here: run `termnews index {archive}` to search them"]
            sync_archive(archive, other)
            return []
        with self.index_write_lock:
            report = sync_archive(archive, index_dir)
        searcher = self.searcher
        if searcher is not None:
            searcher.refresh()
        if report.changed_anything:
            self.post_message(ArchiveChanged(report.new + report.changed, report.removed))
        return []

    def on_fetch_progress(self, message: FetchProgress) -> None:
        if self.closing or not self._fetching:
            return
        self._show_fetching(message.done, message.total, message.new)

    def on_fetch_finished(self, message: FetchFinished) -> None:
        self._fetching = False
        if self.closing:
            return
        self.status.set_activity(Content(""))
        if message.stopped:
            return  # quitting: a summary of a fetch cut short would only be noise
        lines = [*message.failures, *message.problems]
        if message.elsewhere is not None:
            lines.append(
                f"The stories went to {message.elsewhere}, not the archive open here; "
                f"browse them with `termnews {message.elsewhere}`"
            )
        if not (message.asked or message.new or message.failures or message.problems):
            return  # the timer found nothing: nothing to say
        severity = "warning" if message.failures or message.problems else "information"
        self.notify(
            "\n".join(lines) or message.line,
            title=message.line if lines else "Fetch",
            severity=severity,
            markup=False,
        )


def _yield_to_the_keys() -> None:
    """Lower this thread's priority, so the fetch gives way to the person typing.

    On Linux a thread has its own nice value, and the threads and processes it starts (the
    feeds' threads, the extractor, the index writers) inherit it: the fetch then takes the
    CPU the browser leaves, and keystrokes keep their speed on a machine with few cores.
    Elsewhere, or where it is not allowed, the fetch keeps its priority.
    """
    import os

    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + NICE)


def _failures(summary: RunSummary) -> tuple[str, ...]:
    """`Harbour Gazette: HTTP 404`, one per failed feed (the first few, then a count)."""
    failed = [o for o in summary.outcomes if o.status == "failed"]
    shown = tuple(f"{o.name}: {o.error}" for o in failed[:FAILURES_SHOWN])
    if len(failed) > FAILURES_SHOWN:
        shown += (f"and {len(failed) - FAILURES_SHOWN} more failed",)
    return shown
