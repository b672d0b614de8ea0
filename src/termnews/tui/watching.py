"""Watching the archive: stories `termnews fetch` writes appear while the browser is open.

A mixin of `TermnewsApp` (see `tui.mixin`); its action is the bindings' `apply_new`. One
thread worker watches the archive folder with `watchfiles` and, on each batch of changed
story files, syncs the index and refreshes the searcher there, off the UI thread. The UI is
only told how many stories are new or changed: the status line says "N new", and the list,
its cursor, its scroll and the open story stay as they are until the person asks for the
new results, so nothing moves under someone who is reading.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from termnews.tui.mixin import AppMixin

if TYPE_CHECKING:
    from watchfiles import Change

    from termnews.engine.searcher import Searcher
    from termnews.tui.story import Story
    from termnews.tui.widgets.results import ResultList
    from termnews.tui.widgets.status import StatusLine

#: Changes closer together than this are one batch: a fetch writes many files in a burst.
DEBOUNCE_MS = 300
#: How long the watcher waits in its native code before looking at the stop event again.
STOP_CHECK_MS = 200
#: How long one of the watcher's syncs waits for another process's write lock on the index
#: before it gives up until its next wake (`STOP_CHECK_MS` later) and tries again.
LOCK_WAIT_S = 2.0


def is_story_file(change: Change, path: str) -> bool:
    """Story files only: `.txt`, and not the hidden or `.tmp` files a writer renames into place."""
    name = Path(path).name
    return name.endswith(".txt") and not name.startswith(".") and not name.endswith(".tmp")


def changed_in(batch: set[tuple[Change, str]]) -> tuple[int, int]:
    """(story files there now, story files gone) in a batch of changes, each file once."""
    paths = {path for _change, path in batch}
    present = sum(1 for path in paths if Path(path).is_file())
    return present, len(paths) - present


@dataclass
class ArchiveChanged(Message):
    """The watcher synced the index: `fresh` stories are new or changed, `removed` are gone."""

    fresh: int
    removed: int


@dataclass
class WatchTrouble(Message):
    """The watcher could not sync the index now (`reason`); it keeps the changes and retries."""

    reason: str


class WatchActions(AppMixin):
    """Watch the archive, sync on change, and show the new results when asked."""

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    index_dir: Path
    archive: Path | None
    searcher: Searcher | None
    watch_poll: bool
    index_write_lock: threading.Lock
    _watch_stop: threading.Event
    watch_ready: threading.Event
    _new_stories: int
    _removed_stories: int
    _story: Story | None
    result_list: ResultList
    status: StatusLine
    closing: bool

    def start_watching(self) -> None:
        """Watch the archive, when the browser knows one."""
        if self.archive is not None and self.archive.is_dir():
            self._watch(self.archive, self.watch_poll, self._watch_stop)

    def stop_watching(self) -> None:
        """Let the watcher's thread end, so quitting never waits for it."""
        self._watch_stop.set()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _watch(self, archive: Path, poll: bool, stop: threading.Event) -> None:
        """Sync the index after each batch of changed story files, until `stop` is set.

        The sync shares `index_write_lock` with the start-up sync and the palette's resync,
        so only one of them writes the index at a time. A sync that cannot lock the index
        (another process is writing it) keeps its changes for the next try: the watcher
        never stops watching over it. The watcher wakes every
        `STOP_CHECK_MS` even when nothing changed (an empty batch): that is when it sees the
        stop event, and the first wake says it is watching (`watch_ready`).
        """
        from watchfiles import watch

        from termnews.engine.sync import sync
        from termnews.errors import IndexUnusableError
        from termnews.tui.processes import prepare_child_processes

        missed: set[tuple[Change, str]] = set()  # changes not synced yet
        failing = False
        for batch in watch(
            archive,
            watch_filter=is_story_file,
            debounce=DEBOUNCE_MS,
            stop_event=stop,
            rust_timeout=STOP_CHECK_MS,
            yield_on_timeout=True,
            force_polling=poll,
            raise_interrupt=False,
        ):
            self.watch_ready.set()
            if stop.is_set():
                return
            missed |= batch
            if not missed:
                continue
            prepare_child_processes()  # a batch of 400 stories or more is indexed by processes
            try:
                with self.index_write_lock:
                    report = sync(archive, self.index_dir, lock_timeout=LOCK_WAIT_S)
            except IndexUnusableError as error:
                # Another process holds the index longer than we wait (a shell's fetch
                # syncing a big batch), or it cannot be written now: the changes stay
                # missed, and the next wake tries again. Said once a streak, not each time.
                if not failing:
                    self.post_message(WatchTrouble(str(error)))
                failing = True
                continue
            batch, missed, failing = missed, set(), False
            searcher = self.searcher
            refreshed = searcher is not None and not stop.is_set() and searcher.refresh()
            if report.changed_anything:
                self.post_message(ArchiveChanged(report.new + report.changed, report.removed))
            elif refreshed and not getattr(self, "_fetching", False):
                # Another process indexed the files first (`termnews fetch` in a shell syncs
                # as soon as it has written them), so our sync found nothing left to do; the
                # stories are still new to the list on screen, and the batch says which.
                # (A fetch of the browser's own announces what its sync found instead.)
                fresh, removed = changed_in(batch)
                if fresh or removed:
                    self.post_message(ArchiveChanged(fresh, removed))

    def on_watch_trouble(self, message: WatchTrouble) -> None:
        if not self.closing:
            self.notify(
                f"Changed stories wait: {message.reason}. The watcher keeps trying.",
                title="Watching the archive",
                severity="warning",
                markup=False,
            )

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        if self.closing:
            return
        self._new_stories += message.fresh
        self._removed_stories += message.removed
        self.status.set_new(self._new_stories, self._removed_stories)

    def action_apply_new(self) -> None:
        """`ctrl+r`: search again with the new stories, the cursor staying on its story."""
        self._new_stories = 0
        self._removed_stories = 0
        self.status.set_new(0, 0)
        hit = self.result_list.highlighted_hit
        self._story = None  # its file may have changed: read it again when it is next shown
        self.run_search(delay=0, keep_path=hit.path if hit else None)
