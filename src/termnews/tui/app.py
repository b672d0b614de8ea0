"""TermnewsApp: the browser. It composes the widgets, owns the workers, and calls the core.

The app is deliberately thin. Everything it knows about stories comes from `termnews.engine`
(`Searcher`) and `termnews.engine.store` (`sync`) as typed values (`Results`, `Hit`, `Article`); it
never touches Whoosh. Blocking work runs in thread workers that talk back only through
messages, and every failure becomes a notification instead of a traceback, because a browser
used over SSH has no good place to show one.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shlex
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on, work
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from termnews.article import Article
from termnews.engine import vector
from termnews.errors import IndexMissingError, TermnewsError
from termnews.formatting import article_as_text
from termnews.results import Results, SortOrder, Span
from termnews.tui.commands import TermnewsCommands
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.screens.help import HelpScreen
from termnews.tui.widgets.article_view import MAX_TEXT_WIDTH, ArticleView
from termnews.tui.widgets.results import ROW_HEIGHT, ResultList
from termnews.tui.widgets.search_bar import SearchBar
from termnews.tui.widgets.status import (
    StatusLine,
    match_counter,
    progress_content,
    results_summary,
)

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher


T = TypeVar("T")

#: Below this many columns the list fills the width and articles open full screen.
WIDE_COLUMNS = 100
#: At most this many rows are built with each search (a 120x40 screen shows 12); the list asks
#: for more through `Searcher.hits` on demand, and every row costs a snippet per keystroke.
FIRST_PAGE = 20
#: Terminals that are known to have only 8/16 colours get the ANSI theme, which stays legible.
LOW_COLOUR_TERMS = {"xterm", "screen", "linux", "vt100", "vt220", "ansi", "tmux", "rxvt"}


class SearchDone(Message):
    """A search worker finished; `generation` lets the handler drop stale answers."""

    def __init__(self, results: Results, generation: int, keep_path: str | None) -> None:
        self.results = results
        self.generation = generation
        self.keep_path = keep_path
        super().__init__()


class IndexOpened(Message):
    """The searcher is ready (opened in a thread so the first frame never waits for it)."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        super().__init__()


class SyncProgress(Message):
    """`done` of `total` files looked at by the running sync."""

    def __init__(self, done: int, total: int) -> None:
        self.done = done
        self.total = total
        super().__init__()


class SyncDone(Message):
    """The sync finished; `summary` is the report's one-line summary."""

    def __init__(self, summary: str, changed: bool) -> None:
        self.summary = summary
        self.changed = changed
        super().__init__()


def freeze_startup_objects() -> None:
    """Exempt everything built at start-up (Textual, the index readers) from the collector.

    A full collection walks every live object; with the browser loaded that took ~30 ms, and
    it fell on a keystroke now and then. Frozen objects are never walked again, so the rare
    full collection only sees what was made since. Called once the first results are on screen.
    """
    gc.collect()
    gc.freeze()


def low_colour_terminal(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """True for `TERM=xterm`/`screen` and friends without a truecolor/256-colour hint."""
    term = environ.get("TERM", "")
    if environ.get("COLORTERM") or "256" in term or "direct" in term:
        return False
    return term in LOW_COLOUR_TERMS or term.startswith(("screen.", "vt"))


class TermnewsApp(App[None]):
    """Search box, result list, article view, status line and footer."""

    CSS_PATH = "termnews.tcss"
    TITLE = "termnews"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"),
        (WIDE_COLUMNS, "-wide"),
    ]
    COMMANDS = App.COMMANDS | {TermnewsCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("left_square_bracket", "previous_result", "Previous story", show=False),
        Binding("right_square_bracket", "next_result", "Next story", show=False),
        Binding("o", "open_pager", "Pager", show=False),
        Binding("y", "copy", "Copy", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back", show=False),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit (always)", priority=True, show=False),
    ]

    def __init__(
        self,
        index_dir: Path,
        archive: Path | None = None,
        *,
        sync: bool = True,
        query: str = "",
        show_timing: bool = True,
        debounce: float = 0.1,
        theme: str | None = None,
    ) -> None:
        """`sync=False` opens the index as it is (tests and benchmarks that built it already).

        `show_timing=False` hides the milliseconds in the status line, which keeps snapshot
        tests deterministic; `debounce` is the pause that coalesces fast typing.
        """
        super().__init__()
        self.index_dir = index_dir
        self.archive = archive
        self.sync_on_start = sync and archive is not None
        self.show_timing = show_timing
        self.debounce = debounce
        self.animation_level = "none"
        self._start_theme = theme
        self.query_text = query
        self.sort = SortOrder.RELEVANCE
        self.results: Results | None = None
        self.searcher: Searcher | None = None
        self._lock = threading.RLock()
        self._generation = 0
        self._last_change = 0.0
        self._syncing = False
        self._article: Article | None = None
        self._article_index: int | None = None
        #: (path, results) of the story on screen: a new query re-shows it with new highlights.
        self._article_shown: tuple[str, Results | None] | None = None

    # -- composition -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBar(self.query_text, id="search")
        with Horizontal(id="panes"):
            yield ResultList(id="results")
            yield ArticleView(id="article")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self._start_theme:
            self.theme = self._start_theme
        results = self.query_one(ResultList)
        results.set_empty_message("Opening the index…")
        results.focus()
        if self.sync_on_start:
            self._start_sync()
        self._open_index(quiet_missing=self.sync_on_start)

    @property
    def result_list(self) -> ResultList:
        return self.query_one("#results", ResultList)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def wide(self) -> bool:
        """Side-by-side layout (the breakpoint class on the main screen)."""
        return self.size.width >= WIDE_COLUMNS

    # -- the searcher, shared between the UI thread and the workers ----------------------------

    def _locked(self, call: Callable[[Searcher], T]) -> T:
        """Run `call` with the searcher under the lock (Whoosh readers are not thread-safe)."""
        with self._lock:
            if self.searcher is None:
                raise IndexMissingError("The index is not open yet.")
            return call(self.searcher)

    def _first_page(self) -> int:
        """Hits to build (with snippets) per keystroke: a screenful and a little more.

        Every hit costs a snippet on the critical path of a keystroke; the rest of the list is
        fetched as it scrolls into view.
        """
        rows_on_screen = max(1, self.size.height // ROW_HEIGHT)
        return min(FIRST_PAGE, rows_on_screen + 2)

    def _fetch_hits(self, results: Results, start: int, stop: int) -> list:
        return self._locked(lambda searcher: searcher.hits(results, start, stop))

    def _spans_for(self, results: Results | None) -> Callable[[str], list[Span]] | None:
        if results is None or not results.terms:
            return None
        terms = results.terms
        return lambda text: self._locked(lambda searcher: searcher.spans(text, terms))

    # -- workers -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_index(self, quiet_missing: bool = False) -> None:
        """Open the index off the UI thread: importing Whoosh and opening segments takes time."""
        from termnews.engine.searcher import Searcher

        try:
            searcher = Searcher(self.index_dir)
        except IndexMissingError:
            if quiet_missing:
                return  # the running sync will create it and open it again
            raise
        self.post_message(IndexOpened(searcher))

    @work(thread=True, exclusive=True, group="numpy", exit_on_error=False)
    def _load_numpy(self) -> None:
        """Load numpy once the first results are up, then exempt it from the collector.

        Phrases need it, and long posting lists widen and sum faster with it (keystroke p95
        40 against 48 ms at 20k). Loading it here, off the UI thread and after the first
        results, keeps its 70-90 ms out of both the launch and the first phrase.
        """
        vector.load()
        freeze_startup_objects()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(
        self, query: str, sort: SortOrder, generation: int, delay: float, keep_path: str | None
    ) -> None:
        """Search as you type. Exclusive: a newer keystroke cancels this one.

        The debounce happens here, in the thread, so the UI never waits; a cancelled worker
        wakes, sees it is stale and returns without touching the searcher.
        """
        worker = get_current_worker()
        if delay > 0:
            time.sleep(delay)
        if worker.is_cancelled:
            return
        with self._lock:
            if worker.is_cancelled or self.searcher is None:
                return
            results = self.searcher.search_as_you_type(query, sort, self._first_page())
        if not worker.is_cancelled:
            self.post_message(SearchDone(results, generation, keep_path))

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync(self, archive: Path) -> None:
        """Bring the index up to date with the archive, reporting progress as it goes."""
        from termnews.engine.sync import sync

        last = [-1]

        def progress(done: int, total: int) -> None:
            # At most ~100 messages however large the archive: each one redraws the status.
            step = (done * 100) // total if total else 0
            if step != last[0] or done == total:
                last[0] = step
                self.post_message(SyncProgress(done, total))

        report = sync(archive, self.index_dir, progress=progress)
        changed = bool(report.new or report.changed or report.removed or report.rebuilt)
        self.post_message(SyncDone(report.summary(), changed))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures are reported: as a notification, never a crash."""
        worker = event.worker
        if event.state == WorkerState.ERROR:
            error = worker.error
            message = str(error) if isinstance(error, TermnewsError) else repr(error)
            if worker.group == "sync":
                self._syncing = False
                self._refresh_status()
                self.notify(f"Sync failed: {message}", severity="error", markup=False)
            elif worker.group == "open":
                self.result_list.set_empty_message("No index. Run `termnews PATH` to build one.")
                self.notify(message, title="Index", severity="error", markup=False)
            else:
                self.notify(f"Search failed: {message}", severity="error", markup=False)

    # -- messages from the workers -------------------------------------------------------------

    def on_index_opened(self, message: IndexOpened) -> None:
        with self._lock:
            if self.searcher is not None:
                self.searcher.close()
            self.searcher = message.searcher
        self.result_list.set_empty_message("No stories match.")
        self.run_search(delay=0)

    def on_search_done(self, message: SearchDone) -> None:
        if message.generation != self._generation:
            return  # a newer query is on its way; never flash stale rows
        first = self.results is None
        self.results = message.results
        self.result_list.show(message.results, self._fetch_hits, keep_path=message.keep_path)
        self.search_bar.suggestion = message.results.suggestion
        self._refresh_status()
        if first:
            self.call_after_refresh(freeze_startup_objects)
            self.call_after_refresh(self._load_numpy)

    def on_sync_progress(self, message: SyncProgress) -> None:
        self._syncing = message.done < message.total
        self.status.set_main(progress_content("Indexing", message.done, message.total))
        if self.results is None:
            self.result_list.set_empty_message(
                f"Indexing the archive… {message.done:,}/{message.total:,}"
            )

    def on_sync_done(self, message: SyncDone) -> None:
        self._syncing = False
        self._refresh_status()
        if message.changed:
            self.notify(message.summary, title="Index", markup=False)
        if self.searcher is None:
            self._open_index(quiet_missing=False)
            return
        try:
            changed = self._locked(lambda searcher: searcher.refresh())
        except Exception as error:  # a broken refresh must not take the app down
            self.notify(f"Could not reload the index: {error}", severity="error", markup=False)
            return
        if changed:
            hit = self.result_list.highlighted_hit
            self.run_search(delay=0, keep_path=hit.path if hit else None)

    # -- searching -----------------------------------------------------------------------------

    def run_search(self, *, delay: float | None = None, keep_path: str | None = None) -> None:
        """Start a search for the current query and sort; any older one is cancelled."""
        if self.searcher is None:
            return
        self._generation += 1
        now = time.monotonic()
        if delay is None:
            # Leading-edge debounce: a keystroke after a pause searches at once, a burst of
            # fast typing is coalesced into one search per `debounce` seconds.
            delay = 0.0 if now - self._last_change >= self.debounce else self.debounce
        self._last_change = now
        self._search(self.query_text, self.sort, self._generation, delay, keep_path)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.run_search()

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        self.focus_now(self.result_list)

    def on_search_bar_leave(self, message: SearchBar.Leave) -> None:
        self.focus_now(self.result_list)

    def set_sort(self, order: SortOrder) -> None:
        """Change the order and search again (the palette's Sort commands use this)."""
        self.sort = order
        self.run_search(delay=0)
        self.notify(f"Sorted by {order.label}", timeout=2)

    def _summary(self) -> Content:
        if self.results is None:
            return Content("")
        return results_summary(self.results, show_timing=self.show_timing)

    def _refresh_status(self) -> None:
        if isinstance(self.screen, ArticleScreen):
            self.screen.set_summary(self._summary())
        if self._syncing:
            return  # the progress bar owns the line until the sync ends
        if self.results is None:
            self.status.set_main(Content("Opening the index…"))
            return
        self.status.set_main(self._summary())

    # -- articles ------------------------------------------------------------------------------

    def _load_article(self, path: str) -> Article | None:
        try:
            return self._locked(lambda searcher: searcher.article(path))
        except (TermnewsError, OSError) as error:
            self.notify(f"Cannot open {path}: {error}", severity="error", markup=False)
        except Exception as error:  # a story that breaks the parser must not break the app
            self.notify(f"Cannot open {path}: {error!r}", severity="error", markup=False)
        return None

    def on_result_list_selected(self, message: ResultList.Selected) -> None:
        self.open_result(message.index, focus=True)

    def on_result_list_highlighted(self, message: ResultList.Highlighted) -> None:
        # Side by side, the article pane previews the highlighted story.
        if self.wide and message.hit is not None and self.screen is self.screen_stack[0]:
            self.open_result(message.index, focus=False)

    def open_result(self, index: int, *, focus: bool) -> None:
        """Show story `index`: in the side pane when wide, on its own screen when narrow."""
        hit = self.result_list.hit_at(index)
        if hit is None:
            return
        shown = (hit.path, self.results)
        if self._article is not None and self._article_shown == shown and not focus:
            return  # the same story for the same query: already on screen, highlighted
        article = self._load_article(hit.path)
        if article is None:
            return
        self._article = article
        self._article_index = index
        self._article_shown = shown
        spans_for = self._spans_for(self.results)
        if isinstance(self.screen, ArticleScreen):
            self.screen.show(article, spans_for)
        elif self.wide:
            view = self.query_one("#article", ArticleView)
            view.show(article, spans_for)
            if focus:
                self.focus_now(view)
        elif focus:
            self.push_screen(ArticleScreen(article, spans_for, self._summary()))

    def on_article_view_match_moved(self, message: ArticleView.MatchMoved) -> None:
        # Only the side pane's view reaches here; the article screen handles its own.
        self.status.set_extra(match_counter(message.current, message.total))

    def _step_result(self, step: int) -> None:
        results = self.result_list
        if not results.total:
            return
        target = results.cursor + step
        if not 0 <= target < results.total:
            self.notify("No more stories that way.", timeout=2)
            return
        results.cursor = target
        self.open_result(target, focus=True)

    def action_next_result(self) -> None:
        """`]`: the next story in the results, without going back to the list."""
        self._step_result(+1)

    def action_previous_result(self) -> None:
        """`[`: the previous story in the results."""
        self._step_result(-1)

    def _current_article(self) -> Article | None:
        """The story being read, or else the highlighted one (so `o`/`y` work from the list)."""
        focused_on_article = isinstance(self.screen, ArticleScreen) or isinstance(
            self.focused, ArticleView
        )
        if focused_on_article and self._article is not None:
            return self._article
        hit = self.result_list.highlighted_hit
        if hit is None:
            return self._article
        if self._article is not None and self._article.path == hit.path:
            return self._article
        return self._load_article(hit.path)

    # -- actions -------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """`/`: type a query (from any pane, or back from the full-screen article)."""
        if isinstance(self.screen, ArticleScreen):
            self.pop_screen()  # takes the screen off the stack at once; unmounting follows
        self.focus_now(self.search_bar)

    def action_back(self) -> None:
        """Esc: article pane -> list -> search box."""
        if isinstance(self.focused, ArticleView):
            self.focus_now(self.result_list)
        elif isinstance(self.focused, ResultList):
            self.focus_now(self.search_bar)

    def focus_now(self, widget: Widget) -> None:
        """Move focus before the next key is handled.

        `Widget.focus()` defers the change, so keys that arrive in the same read (fast typing,
        a paste, or an SSH link that batches keystrokes: `/ferry`) would still go to the old
        widget, where `y` copies and `s` sorts instead of typing.
        """
        self.screen.set_focus(widget)

    def action_cycle_sort(self) -> None:
        """`s`: best match -> newest first -> oldest first."""
        self.set_sort(self.sort.next())

    def action_help(self) -> None:
        """`?`: the key reference, built from the bindings below."""
        sections: list[tuple[str, list[BindingType]]] = [
            ("Everywhere", [*self.BINDINGS, Binding("ctrl+p", "", "Command palette")]),
            ("Search box", [*SearchBar.BINDINGS, Binding("enter", "", "Go to results")]),
            ("Result list", list(ResultList.BINDINGS)),
            ("Article", [*ArticleView.BINDINGS, *ArticleScreen.BINDINGS]),
        ]
        self.push_screen(HelpScreen(sections))

    def action_copy(self) -> None:
        """`y`: copy the story as plain text through OSC 52, which also works over SSH."""
        article = self._current_article()
        if article is None:
            self.notify("No story to copy.", severity="warning")
            return
        text = article_as_text(article)
        self.copy_to_clipboard(text)
        self.notify(f"Copied {len(text):,} characters to the clipboard.", timeout=3)

    def action_open_pager(self) -> None:
        """`o`: read the story in `$PAGER` (then `less`), handing it the whole terminal."""
        article = self._current_article()
        if article is None:
            self.notify("No story to open.", severity="warning")
            return
        text = article_as_text(article, width=max(20, min(MAX_TEXT_WIDTH, self.size.width - 1)))
        try:
            with self.suspend():
                error = run_pager(text)
        except SuspendNotSupported:
            # No real terminal to give away (a headless test run): run the pager anyway.
            error = run_pager(text)
        self.refresh()
        if error:
            self.notify(error, severity="error", markup=False)

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

    # -- layout --------------------------------------------------------------------------------

    def on_resize(self) -> None:
        """Crossing the breakpoint moves an open article between its screen and the pane."""
        if self.wide and isinstance(self.screen, ArticleScreen):
            self.pop_screen()
            if self._article is not None:
                self.query_one("#article", ArticleView).show(
                    self._article, self._spans_for(self.results)
                )
                self.query_one("#article", ArticleView).focus()

    async def action_quit(self) -> None:
        """`q`/`ctrl+q`: close the searcher and leave."""
        with self._lock:
            if self.searcher is not None:
                self.searcher.close()
                self.searcher = None
        self.exit()


def run_pager(text: str, environ: dict[str, Any] | os._Environ[str] = os.environ) -> str | None:
    """Pipe `text` into `$PAGER`, falling back to `less -R`; returns an error message or None."""
    candidates: list[list[str]] = []
    pager = environ.get("PAGER", "").strip()
    if pager:
        with contextlib.suppress(ValueError):  # unbalanced quotes: fall back to less
            candidates.append(shlex.split(pager))
    candidates.append(["less", "-R"])
    for command in candidates:
        try:
            subprocess.run(command, input=text.encode("utf-8"), check=False)
        except (FileNotFoundError, PermissionError):
            continue
        except OSError as error:
            return f"Pager failed: {error}"
        return None
    return "No pager found: set $PAGER or install less."
