"""TermnewsApp: the browser. It composes the widgets, holds the state its parts share, and
reports what fails.

The app is deliberately thin. Everything it knows about stories comes from `termnews.engine`
(`Searcher`, `sync`) as typed values (`Results`, `Hit`, `Article`); it never touches Whoosh.
Every call into the searcher runs in a thread worker and comes back as a message, so a key is
handled and drawn at once even while the engine is busy: the searcher has one lock, and a
search, a page of rows and a story take turns on it in the background. Every failure becomes a
notification instead of a traceback, because a browser used over SSH has no good place to show
one.

Each job lives in a mixin in a module of its own, which this class inherits (`tui.mixin` says
how Textual still finds their actions and handlers): `searching` (search as you type and the
status line's summary), `indexing` (open, sync, refresh), `watching` (new stories in the
archive), `fetching` (the feeds, by key or on a timer), `stories` (which story shows where),
`story_out` (copy and pager), `marking` (the
reading-state keys) and `saved` (saved searches). What stays here ties them together: the
bindings, whose ids the config's `[keys]` table and the help use; the widgets and the state
every part reads; the one place worker failures are reported; focus moves, the layout
breakpoint and quitting.

The person's config (`termnews.settings`) gives the saved searches and the `[keys]` table;
what is wrong with it is said once at start (`startup_report`), and the browser starts all
the same.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from termnews.errors import TermnewsError
from termnews.results import Results, SortOrder
from termnews.settings import Settings
from termnews.state.store import StateStore
from termnews.tui.collector import CHECK_S, IdleCollector, freeze_startup_objects, resume_collector
from termnews.tui.commands import TermnewsCommands
from termnews.tui.context import MIN_ROWS, ContextActions
from termnews.tui.copies import CopiesActions
from termnews.tui.fetching import FetchActions
from termnews.tui.indexing import IndexActions
from termnews.tui.keymap import MainScreen, resolve_keys
from termnews.tui.marking import MarkingActions
from termnews.tui.marks import MarkView
from termnews.tui.saved import SavedSearchActions
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.searching import SearchActions
from termnews.tui.startup_report import (
    config_file_label,
    config_file_name,
    config_problems,
    report_start_problems,
)
from termnews.tui.stories import StoryActions, WantedStory
from termnews.tui.story import Story
from termnews.tui.story_out import StoryOutActions
from termnews.tui.terminal import low_colour_terminal, run_pager
from termnews.tui.watching import WatchActions
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.results import ResultList
from termnews.tui.widgets.search_bar import SearchBar
from termnews.tui.widgets.status import StatusLine
from termnews.tui.widgets.timeline import TimelineStrip

if TYPE_CHECKING:
    from termnews.engine.context import Context
    from termnews.engine.searcher import Searcher

# The browse command and the tests import these from here, where the browser starts.
__all__ = ["TermnewsApp", "low_colour_terminal", "run_pager"]


#: Below this many columns the list fills the width and articles open full screen.
WIDE_COLUMNS = 100


class TermnewsApp(
    SearchActions,
    IndexActions,
    StoryActions,
    StoryOutActions,
    MarkingActions,
    SavedSearchActions,
    WatchActions,
    ContextActions,
    FetchActions,
    CopiesActions,
    App[None],
):
    """Search box, result list, article view, status line and footer."""

    CSS_PATH = "termnews.tcss"
    TITLE = "termnews"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"),
        (WIDE_COLUMNS, "-wide"),
    ]
    #: Below `tui.context.MIN_ROWS` rows the timeline strip gives its row back to the list.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (MIN_ROWS, "-tall")]
    COMMANDS = App.COMMANDS | {TermnewsCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        # Each `id` is the action's name in the config file's [keys] table (see tui.keymap).
        Binding("slash", "focus_search", "Search", id="focus_search"),
        Binding("s", "cycle_sort", "Sort", id="cycle_sort"),
        # Copies of one story (reprints) are one row, marked +N, until `c` shows them all.
        Binding(
            "c", "toggle_copies", "Fold copies / show every copy", show=False, id="toggle_copies"
        ),
        Binding("C", "copies", "Copies of this story", show=False, id="copies"),
        Binding(
            "left_square_bracket",
            "previous_result",
            "Previous story",
            show=False,
            id="previous_result",
        ),
        Binding("right_square_bracket", "next_result", "Next story", show=False, id="next_result"),
        Binding("o", "open_pager", "Pager", show=False, id="open_pager"),
        Binding("y", "copy", "Copy", show=False, id="copy"),
        Binding("r", "related", "Related stories (Esc: back)", show=False, id="related"),
        Binding("f", "facets", "Facets: narrow by agency, place, author", show=False, id="facets"),
        Binding("S", "saved_searches", "Saved searches", show=False, id="saved_searches"),
        # ctrl+s works in the search box too: type a query, save it.
        Binding("ctrl+s", "save_search", "Save this search", show=False, id="save_search"),
        # ctrl+r works in the search box too; the status line says "N new" when there are some.
        Binding(
            "ctrl+r",
            "apply_new",
            "Show new stories from the archive",
            show=False,
            id="apply_new",
        ),
        # Its stories arrive as the watcher's do: "N new" in the status line, then ctrl+r.
        Binding("F", "fetch_feeds", "Fetch the subscribed feeds now", show=False, id="fetch_feeds"),
        # F1 too: `?` is typed like any letter while the search box has the focus, and the
        # footer then shows the key that still works there.
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("q", "quit", "Quit", id="quit"),
        # The reading-state keys live here so that they work on the list and on the story
        # being read alike; the search box types them as letters instead (Input takes every
        # printable key before an app binding sees it). Last, so a narrow footer cuts
        # them before Help and Quit.
        Binding("u", "toggle_read", "Read/unread", id="toggle_read"),
        Binding("asterisk", "star", "Star", id="star"),
        Binding("t", "tag", "Tag (name adds, -name removes)", show=False, id="tag"),
        Binding(
            "A",
            "mark_all_read",
            "Mark every result read (asks first)",
            show=False,
            id="mark_all_read",
        ),
        # No id: the one key that always quits cannot be configured away.
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
        state: StateStore | None = None,
        settings: Settings | None = None,
        watch: bool = False,
        poll: bool = False,
    ) -> None:
        """`sync=False` opens the index as it is (tests and benchmarks that built it already).

        `show_timing=False` hides the milliseconds in the status line, which keeps snapshot
        tests deterministic; `debounce` is the pause that coalesces fast typing. `state` is
        the reading state (`termnews browse` opens the person's); without one the browser
        keeps marks in memory until it quits. `settings` is the person's config
        (saved searches, keys); without it the defaults. `watch=True` follows the archive's
        changes while open (see `tui.watching`); `poll` makes that look at the files every
        so often instead of being told by the system, which network mounts need.
        """
        if theme:
            # Before `App.__init__`, which builds the stylesheet from the theme's variables:
            # setting `self.theme` any later parses and applies every rule a second time, a
            # quarter of the start-up's styling, before the first frame is painted.
            self.set_reactive(App.theme, theme)
        super().__init__()
        if theme:
            # What `App._watch_theme` would have done besides re-styling, for the theme's CSS.
            self.set_class(True, f"-theme-{theme}", update=False)
        self._owns_state = state is None
        self.state = state if state is not None else StateStore(":memory:")
        self.marks = MarkView()
        self.settings = settings if settings is not None else Settings()
        self.keys = resolve_keys(
            self.settings.keys, self.binding_places(), config_file_name(self.settings)
        )
        """The keys in effect: the defaults with the person's `[keys]` applied."""
        self.index_dir = index_dir
        self.archive = archive
        self.sync_on_start = sync and archive is not None
        self.show_timing = show_timing
        self.debounce = debounce
        self.animation_level = "none"
        self.query_text = query
        self.sort = SortOrder.RELEVANCE
        self.all_copies = False
        """Every copy of a story a row of its own (`c`); by default copies are folded."""
        self.results: Results | None = None
        self.searcher: Searcher | None = None
        """Set on the UI thread only; workers are handed the searcher they should use."""
        self._generation = 0
        self._last_change = 0.0
        self.collector = IdleCollector()
        """Collects Python's older garbage in the person's pauses (`collect_in_pauses`)."""
        self._syncing = False
        self._story: Story | None = None
        """The last story shown, kept so that coming back to it needs no reload."""
        self._story_wanted: WantedStory | None = None
        self._row_wanted: tuple[int, bool] | None = None
        """(index, focus): a story to open once its row has arrived in the list."""
        self._loading_timer: Timer | None = None
        self.watch_archive = watch
        self.watch_poll = poll
        self.index_write_lock = threading.Lock()
        """Held by whatever syncs the index: start-up, the palette's resync, the watcher."""
        self._watch_stop = threading.Event()
        self.watch_ready = threading.Event()
        """Set once the watcher is looking at the archive: changes from then on are seen."""
        self._new_stories = 0
        self._removed_stories = 0
        self._query_context: Context | None = None
        """The timeline and facets of the results shown, once computed (`tui.context`)."""
        self._related_trail: list[Any] = []
        """What `r` replaced in the list, for Esc to bring back (`tui.context`)."""
        self._fetch_stop = threading.Event()
        """Set on quitting: a fetch under way fetches no more feeds."""
        self._fetching = False
        self._fetch_timer: Timer | None = None

    # -- composition -----------------------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield SearchBar(self.query_text, id="search")
        yield TimelineStrip(id="timeline")
        with Horizontal(id="panes"):
            yield ResultList(id="results")
            yield ArticleView(id="article")
        yield StatusLine(id="status")
        yield Footer()

    @classmethod
    def binding_places(cls) -> dict[str, list[BindingType]]:
        """The bindings that are active together: keys clash only within one place."""
        return {
            "result list": [*cls.BINDINGS, *ResultList.BINDINGS],
            "article": [*cls.BINDINGS, *ArticleView.BINDINGS, *ArticleScreen.BINDINGS],
            "search box": [*cls.BINDINGS, *SearchBar.BINDINGS],
        }

    def config_problems(self) -> list[str]:
        """What is wrong with the config file, each naming the file (and line or entry)."""
        return config_problems(self.settings, self.keys)

    def on_mount(self) -> None:
        if self.keys.keymap:
            self.set_keymap(self.keys.keymap)
        report_start_problems(self, self.config_problems(), self.state)
        self.result_list.set_empty_message("Opening the index…")
        self.result_list.marks_of = self.marks.of
        self.focus_now(self.search_bar)  # the first thing a person types is a query
        # The engine starts once the first frame is out: its workers' imports would
        # otherwise take the interpreter from the thread painting that frame.
        self.call_after_refresh(self._start_engine)

    def _start_engine(self) -> None:
        """Sync, open and watch the index, and fetch on a timer: whatever start-up asks."""
        resume_collector()  # held by `termnews browse` for the first frame
        if self.sync_on_start:
            self._start_sync()
        self._open_index(quiet_missing=self.sync_on_start)
        if self.watch_archive:
            self.start_watching()
        self.start_fetch_timer()

    def on_unmount(self) -> None:
        self.stop_watching()  # the worker's thread would otherwise hold up the exit
        self.stop_fetching()
        self.collector.release()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.collector.key_pressed()
        await super().on_event(event)

    def collect_in_pauses(self) -> None:
        """Freeze what start-up built out of the collector, and from now on collect the
        older garbage only when no key comes (`tui.collector`); called once the first
        results are up."""
        freeze_startup_objects()
        if not self.collector.held:
            self.collector.hold()
            self.set_interval(CHECK_S, self.collector.tick, name="collect in pauses")

    @property
    def result_list(self) -> ResultList:
        return self.query_one("#results", ResultList)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    @property
    def timeline_strip(self) -> TimelineStrip:
        return self.query_one("#timeline", TimelineStrip)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def article_pane(self) -> ArticleView:
        """The side pane (shown only when wide)."""
        return self.query_one("#article", ArticleView)

    @property
    def article_screen(self) -> ArticleScreen | None:
        """The full-screen article, when it is on top."""
        stack = self.screen_stack
        top = stack[-1] if stack else None
        return top if isinstance(top, ArticleScreen) else None

    @property
    def closing(self) -> bool:
        """The screens are gone: messages still queued have nothing left to update."""
        return not self.screen_stack

    @property
    def on_main_screen(self) -> bool:
        """No article, help or palette over the list (and the app is not shutting down)."""
        stack = self.screen_stack
        return bool(stack) and stack[-1] is stack[0]

    @property
    def wide(self) -> bool:
        """Side-by-side layout (the breakpoint class on the main screen)."""
        return self.size.width >= WIDE_COLUMNS

    # -- worker failures: every call into the searcher but `close` runs in a worker --------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures are reported: as a notification, never a crash."""
        worker = event.worker
        if event.state != WorkerState.ERROR or self.closing:
            return
        error = worker.error
        message = str(error) if isinstance(error, TermnewsError) else repr(error)
        if worker.group == "sync":
            self._syncing = False
            self._refresh_status()
            self.notify(f"Sync failed: {message}", severity="error", markup=False)
        elif worker.group == "open":
            self.result_list.set_empty_message("No index. Run `termnews PATH` to build one.")
            self.notify(message, title="Index", severity="error", markup=False)
        elif worker.group == "watch":
            self.notify(
                f"Stopped watching the archive: {message}", severity="warning", markup=False
            )
        elif worker.group == "refresh":
            self.notify(f"Could not reload the index: {message}", severity="error", markup=False)
        elif worker.group in ("context", "context-ahead"):
            self.context_failed()  # the results are fine: only their timeline is missing
        elif worker.group == "related":
            self.notify(
                f"Could not find related stories: {message}", severity="error", markup=False
            )
        elif worker.group == "rows":
            self.notify(f"Could not load results: {message}", severity="error", markup=False)
        elif worker.group in ("matches", "mark-all"):
            self.notify(f"Could not mark them read: {message}", severity="error", markup=False)
        elif worker.group in ("story", "story-use"):
            if worker.group == "story":
                self._story_wanted = None
                self._stop_expecting_story()
                self._show_in_story_view("Could not open this story.")
            self.notify(message, severity="error", markup=False)
        else:
            self.notify(f"Search failed: {message}", severity="error", markup=False)

    # -- the search box (its @on handlers must stay on the App class; see tui.mixin) ---------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if not event.value and self.on_main_screen:
            self.focus_now(self.search_bar)  # back to every story: ready for a new query
        self.run_search()

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        self.focus_now(self.result_list)

    def on_search_bar_leave(self, message: SearchBar.Leave) -> None:
        self.focus_now(self.result_list)

    # -- actions -------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """`/`: type a query (from any pane, or back from the full-screen article)."""
        if self.article_screen is not None:
            self.pop_screen()  # takes the screen off the stack at once; unmounting follows
        search = self.search_bar
        self.focus_now(search)
        search.cursor_position = len(search.value)

    def action_back(self) -> None:
        """Esc: article pane -> list (-> the results before `r`) -> search box."""
        if isinstance(self.focused, ResultList) and self.leave_related():
            return
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

    def action_help(self) -> None:
        """`?`: the key reference, built from the bindings below."""
        # Imported on the first `?`: it gathers every screen's bindings, which start-up
        # need not load.
        from termnews.tui.help_sections import help_sections, in_effect
        from termnews.tui.screens.help import HelpScreen

        sections = help_sections(self.BINDINGS)
        config = config_file_label(self.settings)
        self.push_screen(HelpScreen(in_effect(sections, self.keys), config))

    # -- layout --------------------------------------------------------------------------------

    def on_resize(self) -> None:
        """Crossing the breakpoint moves an open article between its screen and the pane."""
        if self.wide and self.article_screen is not None:
            self.pop_screen()
            if self._story is not None:
                self.article_pane.show(self._story)
                self.article_pane.focus()

    async def action_quit(self) -> None:
        """`q`/`ctrl+q`: close the searcher and leave.

        A "mark all read" still being written is waited for: it is one transaction, and
        leaving under it would leave none of it done.
        """
        self.stop_watching()
        self.stop_fetching()
        for worker in list(self.workers):
            if worker.group == "mark-all" and worker.is_running:
                with contextlib.suppress(WorkerFailed, WorkerCancelled):
                    await worker.wait()
        searcher, self.searcher = self.searcher, None
        if searcher is not None:
            searcher.close()
        if self._owns_state:
            self.state.close()
        self.exit()
