"""The index behind the browser: opened off the UI thread, kept in step with the archive.

A mixin of `TermnewsApp` (see `tui.mixin`); its action is the palette's `resync`. Opening an
index imports Whoosh and reads its segments, and a sync reads every changed file, so both run
in thread workers; the sync reports its progress in the status line, and the searcher then
looks for the new index generation it wrote. Once the first results are up, the engine's
one-off loading runs (`_warm_up`) and what start-up built is frozen out of the collector.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from termnews.errors import IndexMissingError
from termnews.results import Results
from termnews.state.store import StateStore
from termnews.tui.collector import freeze_startup_objects
from termnews.tui.messages import IndexOpened, IndexRefreshed, SyncDone, SyncProgress
from termnews.tui.mixin import AppMixin
from termnews.tui.story import Story
from termnews.tui.widgets.status import progress_content

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher
    from termnews.tui.widgets.results import ResultList
    from termnews.tui.widgets.status import StatusLine


class IndexActions(AppMixin):
    """Open, sync, refresh and warm up the index, each in its own worker group.

    Besides the attributes below it calls the search part's `run_search` and `_refresh_status`.
    """

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    index_dir: Path
    archive: Path | None
    state: StateStore
    searcher: Searcher | None
    results: Results | None
    _story: Story | None
    _syncing: bool
    index_write_lock: threading.Lock
    result_list: ResultList
    status: StatusLine
    closing: bool

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_index(self, quiet_missing: bool = False) -> None:
        """Open the index off the UI thread: importing Whoosh and opening segments takes time."""
        from termnews.engine.searcher import Searcher

        try:
            searcher = Searcher(self.index_dir, state=self.state)
        except IndexMissingError:
            if quiet_missing:
                return  # the running sync will create it and open it again
            raise
        self.post_message(IndexOpened(searcher))

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh_index(self, searcher: Searcher) -> None:
        """Pick up what a sync wrote; the searcher may be busy, so this waits in a thread."""
        self.post_message(IndexRefreshed(searcher.refresh()))

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self, searcher: Searcher) -> None:
        """Let the engine do its one-off loading once the first results are up.

        Doing it here, off the UI thread and after the first results, keeps it out of both the
        launch and the first query that would need it (a phrase). The collector is told to
        leave alone what that loaded, as it is for the rest of the start-up objects.
        """
        searcher.warm_up()
        freeze_startup_objects()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync(self, archive: Path) -> None:
        """Bring the index up to date with the archive, reporting progress as it goes."""
        from termnews.engine.sync import sync
        from termnews.tui.processes import prepare_child_processes

        prepare_child_processes()  # 400 stories or more are indexed by worker processes

        last = [-1]

        def progress(done: int, total: int) -> None:
            # At most ~100 messages however large the archive: each one redraws the status.
            step = (done * 100) // total if total else 0
            if step != last[0] or done == total:
                last[0] = step
                self.post_message(SyncProgress(done, total))

        with self.index_write_lock:  # the archive watcher syncs too (see tui.watching)
            report = sync(archive, self.index_dir, progress=progress)
        self.post_message(SyncDone(report.summary(), report.changed_anything))

    def on_index_opened(self, message: IndexOpened) -> None:
        if self.closing:
            message.searcher.close()
            return
        old, self.searcher = self.searcher, message.searcher
        if old is not None:
            old.close()
        self.result_list.set_empty_message("No stories match.")
        self.run_search(delay=0)

    def on_sync_done(self, message: SyncDone) -> None:
        if self.closing:
            return
        self._syncing = False
        self._refresh_status()
        if message.changed:
            self.notify(message.summary, title="Index", markup=False)
        if self.searcher is None:
            self._open_index(quiet_missing=False)
        else:
            self._refresh_index(self.searcher)

    def on_sync_progress(self, message: SyncProgress) -> None:
        if self.closing:
            return
        self._syncing = message.done < message.total
        self.status.set_main(progress_content("Indexing", message.done, message.total))
        if self.results is None:
            self.result_list.set_empty_message(
                f"Indexing the archive… {message.done:,}/{message.total:,}"
            )

    def on_index_refreshed(self, message: IndexRefreshed) -> None:
        if self.closing:
            return
        if not message.changed:
            return
        self._story = None  # its file may have changed: read it again when it is next shown
        hit = self.result_list.highlighted_hit
        self.run_search(delay=0, keep_path=hit.path if hit else None)

    def action_resync(self) -> None:
        """Palette: sync the index with the archive again."""
        archive = self.archive
        if archive is None:
            from termnews.engine.store import archive_of

            archive = archive_of(self.index_dir)
        if archive is None:
            self.notify("This index does not record its archive.", severity="warning")
            return
        self.archive = archive
        self._start_sync()

    def _start_sync(self) -> None:
        assert self.archive is not None
        self._syncing = True
        self.status.set_main(progress_content("Indexing", 0, 0))
        self._sync(self.archive)
