"""Search as you type: every keystroke's search in a worker, the newest answer shown.

A mixin of `TermnewsApp` (see `tui.mixin`); its action is the bindings' `cycle_sort`. Each
search is numbered: a newer keystroke cancels the worker of the older one, and an answer
that still arrives late is dropped, so the list never flashes stale rows. The search worker
also reads the reading state for the rows' marks. The status line's summary of the results
is kept here too, since a search is what changes it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.worker import get_current_worker

from termnews.results import Results, SortOrder
from termnews.state.store import Snapshot, StateError, StateStore
from termnews.tui.marks import MarkView
from termnews.tui.messages import SearchDone
from termnews.tui.mixin import AppMixin
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.results import ROW_HEIGHT
from termnews.tui.widgets.status import match_counter, results_summary

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher
    from termnews.tui.screens.article import ArticleScreen
    from termnews.tui.widgets.results import ResultList
    from termnews.tui.widgets.search_bar import SearchBar
    from termnews.tui.widgets.status import StatusLine

#: At most this many rows are built with each search (a 120x40 screen shows 12); the list asks
#: for more through `Searcher.hits` on demand, and every row costs a snippet per keystroke.
FIRST_PAGE = 20
#: At most this many rows are built with a search that keeps the cursor on a story further
#: down (folding copies or showing them all moves it): each costs a snippet.
KEEP_ROWS_AT_MOST = 200


class SearchActions(AppMixin):
    """Run searches, show their results, and keep the status line's summary.

    Besides the attributes below it calls the index part's `_warm_up` and the app's
    `collect_in_pauses` once the first results are up. The search box's own handlers stay
    on the app (they are declared with `@on`).
    """

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    state: StateStore
    marks: MarkView
    searcher: Searcher | None
    query_text: str
    sort: SortOrder
    all_copies: bool
    results: Results | None
    show_timing: bool
    debounce: float
    _generation: int
    _last_change: float
    _syncing: bool
    result_list: ResultList
    search_bar: SearchBar
    status: StatusLine
    article_screen: ArticleScreen | None
    closing: bool

    def run_search(
        self, *, delay: float | None = None, keep_path: str | None = None, rows: int = 0
    ) -> None:
        """Start a search for the current query and sort; any older one is cancelled.

        `rows`: build at least this many rows with it (up to `KEEP_ROWS_AT_MOST`), so a
        story further down can keep the cursor (`keep_path`).
        """
        if self.searcher is None:
            return
        self._generation += 1
        now = time.monotonic()
        if delay is None:
            # Leading-edge debounce: a keystroke after a pause searches at once, a burst of
            # fast typing is coalesced into one search per `debounce` seconds.
            delay = 0.0 if now - self._last_change >= self.debounce else self.debounce
        self._last_change = now
        self._search(
            self.searcher,
            self.query_text,
            self.sort,
            self.all_copies,
            max(self._first_page(), min(rows, KEEP_ROWS_AT_MOST)),
            self._generation,
            delay,
            keep_path,
            self.marks.changes_made,
        )

    def _first_page(self) -> int:
        """Hits to build (with snippets) per keystroke: a screenful and a little more.

        Every hit costs a snippet on the critical path of a keystroke; the rest of the list is
        fetched as it scrolls into view.
        """
        rows_on_screen = max(1, self.size.height // ROW_HEIGHT)
        return min(FIRST_PAGE, rows_on_screen + 2)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(
        self,
        searcher: Searcher,
        query: str,
        sort: SortOrder,
        all_copies: bool,
        first_page: int,
        generation: int,
        delay: float,
        keep_path: str | None,
        changes_before: int,
    ) -> None:
        """Search as you type. Exclusive: a newer keystroke cancels this one.

        The debounce happens here, in the thread, so the UI never waits; a cancelled worker
        wakes, sees it is stale and returns without touching the searcher. The reading state
        is read here too (the search itself just did, for `is:` filters, so it is usually the
        same snapshot), so that marks made by other programs show with the new rows.
        """
        worker = get_current_worker()
        if delay > 0:
            time.sleep(delay)
        if worker.is_cancelled:
            return
        results = searcher.search_as_you_type(query, sort, first_page, all_copies=all_copies)
        snapshot: Snapshot | None
        try:
            snapshot = self.state.snapshot()
        except StateError:
            snapshot = None  # the rows keep the marks they had; a search still answers
        if not worker.is_cancelled:
            self.post_message(SearchDone(results, generation, keep_path, snapshot, changes_before))

    def on_search_done(self, message: SearchDone) -> None:
        if self.closing:
            return
        if message.generation != self._generation or self.searcher is None:
            return  # a newer query is on its way; never flash stale rows
        first = self.results is None
        self.results = message.results
        if message.snapshot is not None:
            self.marks.replace(message.snapshot, message.changes_before)
        self.result_list.show(message.results, self.searcher.hits, keep_path=message.keep_path)
        self.search_bar.suggestion = message.results.suggestion
        self._refresh_status()
        self.call_after_refresh(self.after_results, message.results)  # its timeline, next
        if first:
            self.call_after_refresh(self.collect_in_pauses)
            self.call_after_refresh(self._warm_up, self.searcher)

    def set_sort(self, order: SortOrder) -> None:
        """Change the order and search again (the palette's Sort commands use this)."""
        self.sort = order
        self.run_search(delay=0)
        self.notify(f"Sorted by {order.label}", timeout=2)

    def action_cycle_sort(self) -> None:
        """`s`: best match -> newest first -> oldest first."""
        self.set_sort(self.sort.next())

    def _summary(self) -> Content:
        if self.results is None:
            return Content("")
        summary = results_summary(self.results, show_timing=self.show_timing)
        if self.state.read_only:
            summary += Content(" · ") + Content("marks read-only").stylize("bold")
        return summary

    def _refresh_status(self) -> None:
        if (screen := self.article_screen) is not None:
            screen.set_summary(self._summary())
        if self._syncing:
            return  # the progress bar owns the line until the sync ends
        if self.results is None:
            self.status.set_main(Content("Opening the index…"))
            return
        self.status.set_main(self._summary())

    def on_article_view_match_moved(self, message: ArticleView.MatchMoved) -> None:
        # Only the side pane's view reaches here; the article screen handles its own.
        self.status.set_extra(match_counter(message.current, message.total))
