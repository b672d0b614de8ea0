"""Fetching the feeds from inside the browser: the `F` key, and the `[fetch] every` timer.

A mixin of `TermnewsApp` (see `tui.mixin`); its action is the bindings' `fetch_feeds`. One
fetch at a time runs what `termnews fetch` runs (`termnews.newsin`) in a process of its own, at
a lower priority (`termnews.fetch_child`): the subscribed feeds fetched into the fetch archive,
the archive's index synced. Run in the browser's threads instead, the fetch's Python work took
turns with the keystrokes for the interpreter lock. A thread worker here reads the child's
lines, puts the feeds' tags on the stories in the browser's reading state, and tells the UI
through messages only: progress for the status line ("Fetching 3/12 feeds · 41 new"), then one
summary as a notification ("12 feeds · 41 new · 1 failed"). Quitting stops the child, and kills
it with everything it started when it does not end soon (`FetchChild.stop`).

The stories themselves arrive the way any new story does (`tui.watching`): when the browser
shows the fetch archive, the child syncs its index while the browser holds the index's write
lock, the browser announces "N new", and nothing on screen moves until ctrl+r. When it shows
another archive, the stories still go to the fetch archive (termnews writes only into the
archive it made), and the summary says where.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content
from textual.message import Message

from termnews.tui.mixin import AppMixin
from termnews.tui.watching import ArchiveChanged

if TYPE_CHECKING:
    from textual.timer import Timer

    from termnews.engine.searcher import Searcher
    from termnews.fetch_child import FetchChild, FetchRequest
    from termnews.settings import FeedSubscription, Settings
    from termnews.state.store import StateStore
    from termnews.tui.widgets.status import StatusLine

#: Failed feeds named in the summary; the rest are counted.
FAILURES_SHOWN = 3
NO_FEEDS = "No feeds to fetch. Subscribe with `termnews feeds add URL`, then press F again."
RUNNING = "A fetch is already running."
#: How much lower than the browser a fetch runs (nice values go from -20 to 19).
NICE = 10
#: Feeds fetched at once from the browser. The fetch's process takes the CPU the browser
#: leaves; fewer feeds than `termnews fetch` takes leave the machine's cores to the keys too,
#: and the person is not waiting on the fetch.
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
    _fetch_child: FetchChild | None = None
    """The fetch's process while one runs (set and cleared by the worker's thread)."""

    def start_fetch_timer(self) -> None:
        """Fetch every `[fetch] every` while the browser is open (nothing when it is unset).

        The timer runs even when no feed is subscribed yet: each of its fetches reads the
        config file again (`start_fetch`), so the first feed added while the browser is open
        is fetched on time, and a tick without feeds does nothing.
        """
        every = self.settings.fetch.every_seconds
        if every:
            self._fetch_timer = self.set_interval(every, self._fetch_on_timer)

    def stop_fetching(self) -> None:
        """Stop a running fetch (quitting): feeds not begun are not fetched, nothing more is
        written or indexed, and a process that does not end soon is killed."""
        self._fetch_stop.set()
        if self._fetch_timer is not None:
            self._fetch_timer.stop()
        child = self._fetch_child
        if child is not None:
            child.stop()

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
        not need to restart it for `F` (or the timer) to fetch it. The file is read again (a
        millisecond); settings that were not read from a file, and a file that is now broken,
        give what the browser started with. Nothing else is taken from it: its keys and
        searches are the ones the browser started with, and its problems were said at start.
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
        """Run the fetch's process and follow it; every outcome comes back as a message.

        Whatever goes wrong ends as a `FetchFinished` naming it: a fetch runs unattended on
        the timer, and its failure must be a sentence, never a traceback or a stuck
        "Fetching…".
        """
        try:
            finished = self._fetch_in_child(run)
        except Exception as error:  # the one place a fetch's surprise becomes words
            from termnews.errors import TermnewsError

            reason = str(error) if isinstance(error, TermnewsError) else repr(error)
            finished = FetchFinished("The fetch failed", 0, (reason,), asked=run.asked)
        self.post_message(finished)

    def _fetch_in_child(self, run: _Run) -> FetchFinished:
        from termnews.fetch_child import FetchChild
        from termnews.newsin import fetch_archive

        archive = fetch_archive(run.settings)
        ours = run.archive is not None and run.archive.resolve() == archive
        request, problems = self._request(run, archive, ours)
        child = FetchChild(request)
        self._fetch_child = child
        if run.stop.is_set():  # quitting began while the process started
            child.stop()
        locked = False
        last: dict[str, Any] | None = None
        try:
            for message in child.messages():
                kind = message.get("type")
                if kind == "progress":
                    self.post_message(
                        FetchProgress(message["done"], message["total"], message["new"])
                    )
                elif kind == "lock" and not locked:
                    # The child syncs the index on screen: not while the watcher does.
                    self.index_write_lock.acquire()
                    locked = True
                    child.send("go")
                elif kind in ("finished", "failed"):
                    last = message
            if last is not None and last["type"] == "finished":
                problems.extend(self._tag(last))
                if ours and last["synced"] is not None:
                    # Still under the lock: a watcher's sync after this one finds nothing
                    # and its searcher no newer index, so the stories are announced once.
                    self._announce(last["synced"])
        finally:
            try:
                child.close()
            finally:
                if locked:
                    self.index_write_lock.release()
                self._fetch_child = None
        if last is None:
            stopped = run.stop.is_set()
            reason = "" if stopped else child.failure()
            return FetchFinished("The fetch failed", 0, (reason,), asked=run.asked, stopped=stopped)
        if last["type"] == "failed":
            return FetchFinished(
                "The fetch failed", 0, (last["reason"],), asked=run.asked, stopped=last["stopped"]
            )
        return FetchFinished(
            last["line"],
            last["new"],
            _failures(last["failed"]),
            tuple(problems + last["problems"]),
            elsewhere=None if ours else archive,
            asked=run.asked,
            stopped=last["stopped"],
        )

    def _request(self, run: _Run, archive: Path, ours: bool) -> tuple[FetchRequest, list[str]]:
        """What the child is to do, and a problem known before it starts.

        The browser's own index is synced by the child while the browser holds its write
        lock (`lock`). Another archive's index is synced unless it is this browser's own
        index ($TERMNEWS_INDEX_DIR names one index for every archive): syncing another
        archive into it would replace it.
        """
        from termnews import config
        from termnews.fetch_child import FetchRequest

        problems: list[str] = []
        index_dir: Path | None = run.index_dir
        if not ours:
            index_dir = config.resolve_index_dir(archive, None)
            if index_dir.absolute() == self.index_dir.absolute():
                problems.append(f"Not indexed here: run `termnews index {archive}` to search them")
                index_dir = None
        request = FetchRequest(tuple(run.feeds), archive, index_dir, ours, FEED_THREADS, NICE)
        return request, problems

    def _tag(self, finished: dict[str, Any]) -> list[str]:
        """Put the feeds' tags and the entries' categories on the stories, in our state."""
        from termnews.errors import TermnewsError
        from termnews.newsin import TagPlan, apply_tags

        plan = TagPlan(finished["tags"], finished["headlines"], finished["tagged"])
        try:
            apply_tags(plan, self.state)
        except TermnewsError as error:
            return [f"The feeds' tags were not saved: {error}"]
        return []

    def _announce(self, synced: dict[str, int]) -> None:
        """The child synced the index on screen: read it again, say "N new" as the watcher
        would; nothing on screen moves."""
        searcher = self.searcher
        if searcher is not None:
            searcher.refresh()
        if synced["changed"]:
            self.post_message(ArchiveChanged(synced["fresh"], synced["removed"]))

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


def _failures(failed: list[list[str]]) -> tuple[str, ...]:
    """`Harbour Gazette: HTTP 404`, one per failed feed (the first few, then a count)."""
    shown = tuple(f"{name}: {error}" for name, error in failed[:FAILURES_SHOWN])
    if len(failed) > FAILURES_SHOWN:
        shown += (f"and {len(failed) - FAILURES_SHOWN} more failed",)
    return shown
