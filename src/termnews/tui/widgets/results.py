"""The result list: a virtualised, three-lines-per-story view of a `Results` value.

Why a `ScrollView` with `render_line` and not an `OptionList`: an OptionList builds an option
(and measures it) for every row, which is 100,000 objects, each with its stored fields and
snippet read, for a query that matches everything. Here the virtual height is simply
`total * 3`; a row's `Hit` is fetched on demand, a page at a time, through the `fetch` callable
(`Searcher.hits`), and only the rows on screen are ever rendered. Moving the cursor refreshes
just the six lines of the old and new rows, so one row down sends a few lines over SSH instead
of a full repaint.

Rows are never fetched on the UI thread: the searcher may be busy with a search for another
thread, and drawing must not wait for it. A row that is not loaded yet is drawn as a dim `…`
placeholder and its page is fetched by a worker (the way Toolong's `LogLines` draws lines its
reader thread has not delivered); the rows repaint when the page arrives.

Story text is untrusted: rows are built as `Content` from plain strings, with highlight spans
added by offset, so a headline like `[bold]x[/]` is shown exactly as written.

Each row carries its reading state as glyphs in a column of its own (`●` unread, `★` starred,
tags dim at the end of line two), so it survives NO_COLOR and 16-colour terminals; an unread
headline is also bold. The state comes from the `marks_of` callable the app sets, and is part
of each cached line's key, so `refresh_marks` repaints exactly the rows whose marks changed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.worker import Worker, WorkerState, get_current_worker

from termnews.formatting import folded_marker, row_meta
from termnews.results import Hit, Results, Span
from termnews.state.store import UNMARKED, StoryState
from termnews.tui.widgets.stray_keys import RedirectStrayKeys

#: Lines per story row: headline, date · byline · dateline, snippet.
ROW_HEIGHT = 3
#: Hits fetched per round trip to the searcher when scrolling past the first page.
PAGE_SIZE = 40
#: Hits kept in memory; enough for many screens, small enough for 100k-result queries.
HIT_CACHE_SIZE = 2000
#: The cursor marker; a glyph as well as a colour so the cursor survives NO_COLOR.
GUTTER_CURSOR = "▌ "
GUTTER_BLANK = "  "
#: What a row says until its page has arrived.
PLACEHOLDER = "…"
#: The marks column, before the headline: unread, then starred, then a space.
UNREAD_MARK = "●"
STARRED_MARK = "★"
MARKS_BLANK = "   "

Fetch = Callable[[Results, int, int], list[Hit]]
MarksOf = Callable[[str], StoryState]
#: What one screen line of the list is drawn from (`ResultList._line_key`).
LineKey = tuple[object, ...]


def marks_column(state: StoryState) -> str:
    """`●★ `, `●  `, ` ★ ` or three spaces: the glyphs before a headline."""
    unread = " " if state.read else UNREAD_MARK
    starred = STARRED_MARK if state.starred else " "
    return f"{unread}{starred} "


def tags_text(state: StoryState) -> str:
    """`#harbour #strike`: a row's tags, sorted, as line two ends with them."""
    return " ".join(f"#{name}" for name in sorted(state.tags))


def _with_spans(text: str, base: object, match: object, spans: tuple[Span, ...]) -> Content:
    """Plain text as Content with a base style and the match style over each span."""
    content = Content(text)
    if base:
        content = content.stylize(base)  # type: ignore[arg-type]
    length = len(text)
    for start, end in spans:
        if 0 <= start < end <= length:
            content = content.stylize(match, start, end)  # type: ignore[arg-type]
    return content


def _row_of(hits: tuple[Hit, ...], path: str, cluster: str) -> int:
    """The row of the story at `path` among `hits`, else of a copy of it (its cluster's row
    once copies are folded), else the first row."""
    for index, hit in enumerate(hits):
        if hit.path == path:
            return index
    if cluster:
        for index, hit in enumerate(hits):
            if hit.cluster == cluster:
                return index
    return 0


def _with_marker(text: Content, marker: Content, room: int) -> Content:
    """`text · +2`, the marker kept whole: the text gives way to it on a narrow row."""
    spaced = Content(" · ") + marker
    if text.cell_length + spaced.cell_length <= room:
        return text + spaced
    keep = room - marker.cell_length - 1
    if keep < 4:  # no room worth showing the line for: the line as it was
        return text
    return text.truncate(keep, ellipsis=True) + Content(" ") + marker


class ResultList(RedirectStrayKeys, ScrollView, can_focus=True):
    """Every story that matches the query, drawn three lines per story, rendered lazily."""

    TYPE_TO_SEARCH = True

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "results--loading",
        "results--headline",
        "results--headline-read",
        "results--marks",
        "results--tags",
        "results--copies",
        "results--meta",
        "results--snippet",
        "results--match",
        "results--cursor",
        "results--cursor-blurred",
        "results--gutter",
        "results--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        # Each `id` is the action's name in the config file's [keys] table (see tui.keymap).
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("g,home", "first", "First", show=False, id="first"),
        Binding("G,end", "last", "Last", show=False, id="last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("enter", "open", "Open", id="open"),
    ]

    cursor: reactive[int] = reactive(0, init=False, repaint=False)
    """Index of the highlighted story in the whole result set (not just the screen)."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another story, or its row arrived (the side pane previews it).

        `hit` is None while the row is still loading; another `Highlighted` follows with it.
        """

        index: int
        hit: Hit | None

    @dataclass
    class Selected(Message):
        """The person chose a story (Enter or a click on the highlighted row)."""

        index: int
        hit: Hit

    @dataclass
    class PageLoaded(Message, bubble=False):
        """The row worker fetched `hits`, rows `start` onwards of `results`."""

        results: Results
        start: int
        hits: tuple[Hit, ...]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.results: Results | None = None
        self._fetch: Fetch | None = None
        self._hits: OrderedDict[int, Hit] = OrderedDict()
        self._render_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(512)
        self._empty_message = "Loading…"
        self._fetch_failed = False
        self._loading_pages: set[int] = set()
        """Pages the running row worker was asked for and has not delivered yet."""
        self._delivered_pages: set[int] = set()
        """Pages a worker delivered for these results (a short one is never asked for again)."""
        self._rows_worker: Worker[None] | None = None
        self._load_scheduled = False
        self.marks_of: MarksOf = lambda identity: UNMARKED
        """The reading state of a story by identity; the app sets it."""
        self._drawn: dict[int, LineKey] = {}
        """What each screen line was last drawn from (see `_refresh_changed_lines`)."""
        self._styles: dict[tuple[str, bool, bool], VisualStyle] = {}
        self._prefixes: dict[tuple[bool, str, bool], Content] = {}
        self._sized_for: tuple[Size, Size, Size] | None = None
        """The sizes the scrollbar was last fitted to (see `_size_updated`)."""

    # -- data ----------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many rows the current results hold (0 before the first search): one per
        cluster of copies when they are folded."""
        return self.results.rows if self.results is not None else 0

    def show(self, results: Results, fetch: Fetch, *, keep_path: str | None = None) -> None:
        """Display new results; keep the cursor on `keep_path` when it is still in the page.

        The first page that came with `results` is seeded into the cache, so the common case
        (a fresh query, cursor near the top) never calls back into the searcher. `fetch`
        (`Searcher.hits`) is called from the row worker only, never on the UI thread.
        """
        self.workers.cancel_group(self, "rows")  # rows of the old results are not wanted
        was = self._hits.get(self.cursor) if self.results is not None else None
        self.results = results
        self._fetch = fetch
        self._fetch_failed = False
        self._loading_pages.clear()
        self._delivered_pages.clear()
        self._hits.clear()
        for index, hit in enumerate(results.hits):
            self._hits[index] = hit
        cursor = 0
        if keep_path is not None:
            cursor = _row_of(results.hits, keep_path, was.cluster if was is not None else "")
        self._set_virtual_height(results.rows * ROW_HEIGHT)
        self.set_reactive(ResultList.cursor, cursor)
        scrolled_from = self.scroll_offset.y
        self.scroll_to(y=0, animate=False, immediate=True)
        if cursor:
            self._scroll_to_cursor()
        if self.scroll_offset.y == scrolled_from:
            # Typing on usually keeps most rows as they were, often all of them: only the
            # lines whose text, marks or cursor changed are drawn and sent again.
            self._refresh_changed_lines()
        # (Scrolled, the whole list is being drawn again already.)
        self.post_message(self.Highlighted(cursor, self.hit_at(cursor)))

    def set_empty_message(self, message: str) -> None:
        """What the list says when it has no rows: `Loading…`, `Indexing…`, `No stories`."""
        self._empty_message = message
        if not self.total:
            self.refresh()

    def hit_at(self, index: int) -> Hit | None:
        """The story at `index` if its row has arrived; None while it is being fetched.

        A missing row asks the row worker for its page, and a `Highlighted` message follows
        when the cursor's row arrives, so callers wanting the cursor's story can wait for it.
        """
        if self.results is None or not 0 <= index < self.results.rows:
            return None
        hit = self._hits.get(index)
        if hit is not None:
            self._hits.move_to_end(index)
            return hit
        self._schedule_loading()
        return None

    # -- loading rows ----------------------------------------------------------------------

    def _schedule_loading(self) -> None:
        """Fetch the missing rows once this round of drawing is over (once, however many)."""
        if self._load_scheduled or self._fetch is None or self._fetch_failed:
            return
        self._load_scheduled = True
        self.call_later(self._load_missing_pages)

    def _missing_pages(self) -> list[int]:
        """Pages with a row under the cursor or on screen that has not arrived, cursor's first."""
        total = self.total
        if not total:
            return []
        top = round(self.scroll_offset.y)
        first = top // ROW_HEIGHT
        last = min(total - 1, (top + self.scrollable_content_region.height) // ROW_HEIGHT)
        pages: list[int] = []
        for row in (self.cursor, *range(first, last + 1)):
            page = row // PAGE_SIZE
            if page not in pages and page not in self._delivered_pages and row not in self._hits:
                pages.append(page)
        return pages

    def _load_missing_pages(self) -> None:
        """Start a row worker for what the screen lacks now, unless one is already on it.

        Pages asked for earlier and scrolled past are dropped: the new worker replaces the
        old one, so holding PageDown through a long list fetches only where it stops.
        """
        self._load_scheduled = False
        if self.results is None or self._fetch is None or self._fetch_failed:
            return
        pages = self._missing_pages()
        if not pages or self._loading_pages.issuperset(pages):
            return
        self._loading_pages = set(pages)
        self._rows_worker = self._load_pages(self.results, self._fetch, pages)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def _load_pages(self, results: Results, fetch: Fetch, pages: list[int]) -> None:
        """Fetch `pages` of `results` in a thread and post each one as it is ready."""
        worker = get_current_worker()
        for page in pages:
            if worker.is_cancelled:
                return
            start = page * PAGE_SIZE
            hits = fetch(results, start, min(results.rows, start + PAGE_SIZE))
            self.post_message(self.PageLoaded(results, start, tuple(hits)))

    def on_result_list_page_loaded(self, message: PageLoaded) -> None:
        """Keep the page, repaint its rows, and tell the app if the cursor's row came."""
        if message.results is not self.results:
            return  # the query changed while the page was on its way
        page = message.start // PAGE_SIZE
        self._loading_pages.discard(page)
        self._delivered_pages.add(page)
        for offset, hit in enumerate(message.hits):
            self._hits[message.start + offset] = hit
        while len(self._hits) > HIT_CACHE_SIZE:
            evicted, _ = self._hits.popitem(last=False)
            self._delivered_pages.discard(evicted // PAGE_SIZE)  # fetched again if need be
        self.refresh_lines(message.start * ROW_HEIGHT, len(message.hits) * ROW_HEIGHT)
        if message.start <= self.cursor < message.start + len(message.hits):
            self.post_message(self.Highlighted(self.cursor, self._hits.get(self.cursor)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The row worker is done: what it did not deliver may be asked for again.

        A failed fetch (an index swapped underneath) stops fetching until new results. The
        message goes on to the app, which tells the person; the rows stay placeholders until
        the app shows new results, which it does when the index changes.
        """
        finished = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if event.worker is not self._rows_worker or event.state not in finished:
            return
        self._rows_worker = None
        self._loading_pages.clear()
        if event.state == WorkerState.ERROR:
            self._fetch_failed = True

    @property
    def highlighted_hit(self) -> Hit | None:
        """The story under the cursor, if any."""
        return self.hit_at(self.cursor) if self.total else None

    # -- rendering -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Theme or focus styles changed: the cached strips carry old colours."""
        super().notify_style_update()
        self._render_cache.clear()
        self._styles.clear()
        self._prefixes.clear()

    def _on_resize(self, event: events.Resize) -> None:
        self._render_cache.clear()
        self.virtual_size = Size(event.size.width, self.total * ROW_HEIGHT)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Textual's sizing of a scroll view, skipped when nothing it looks at has changed.

        Textual compares the scrollable height with the region's (which always differ once
        the list scrolls), so every layout of the screen repainted the scrollbar: a frame of
        its own and a column of bytes.
        """
        seen = (size, container_size, self.virtual_size)
        if seen == self._sized_for:
            return False
        self._sized_for = seen
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _set_virtual_height(self, height: int) -> None:
        """Set the scrollable height; the rows already drawn stay valid.

        The reactive `virtual_size` would repaint every line and lay the screen out again,
        after which Textual fits the scrollbar, whose repaint then waits for a frame of its
        own. Fitted here, the scrollbar is painted in the frame that paints the rows, and the
        screen is laid out again only if the scrollbar appears or goes.
        """
        size = Size(self.scrollable_content_region.width, height)
        if size == self.virtual_size:
            return
        self.set_reactive(ResultList.virtual_size, size)
        if self._sized_for is None:  # never laid out yet: Textual fits it then
            self.refresh(repaint=False, layout=True)
            return
        self._scroll_update(size)  # what `_size_updated` does once sized
        self._sized_for = (*self._sized_for[:2], size)

    def _line_key(self, y: int, width: int) -> LineKey:
        """Everything screen line `y` is drawn from: equal keys, equal lines.

        A row's part is keyed by the fields that part shows, not by the row's place or its
        story's score, so a story that stays on screen from one keystroke to the next (the
        usual case) keeps its lines. `width` is the list's (`scrollable_content_region`, which
        costs more than the rest of the key to work out, so callers work it out once).
        """
        if not self.total:
            return ("empty", self._empty_message if y == 1 else "", width)
        index, part = divmod(self.scroll_offset.y + y, ROW_HEIGHT)
        if index >= self.total:
            return ("blank", width)
        hit = self.hit_at(index)
        state = self.marks_of(hit.identity) if hit is not None else UNMARKED
        shown: tuple[object, ...] | None = None
        if hit is not None:
            if part == 0:
                shown = (hit.headline, hit.headline_spans)
            elif part == 1:
                shown = (hit.published, hit.date_estimated, hit.authors, hit.dateline, hit.folded)
            else:
                shown = (hit.snippet, hit.snippet_spans)
        return (shown, part, index == self.cursor, self.has_focus, width, state)

    def render_line(self, y: int) -> Strip:
        """One screen line: part `y % 3` of story `y // 3`, counted from the scroll offset."""
        width = self.scrollable_content_region.width
        key = self._line_key(y, width)
        self._drawn[y] = key
        cached = self._render_cache.get(key)
        if cached is not None:
            return cached
        base = self.get_visual_style()
        if key[0] == "empty":
            if y != 1:
                return Strip.blank(width, base.rich_style)
            message = Content(self._empty_message).stylize(self.get_visual_style("results--empty"))
            return Strip(
                message.truncate(width, ellipsis=True, pad=True).render_segments(base), width
            )
        if key[0] == "blank":
            return Strip.blank(width, base.rich_style)
        shown, part, selected, focused, _width, state = key
        hit = self.hit_at((self.scroll_offset.y + y) // ROW_HEIGHT)
        strip = self._render_row_line(hit, state, part, selected, focused, width)
        if shown is not None:  # a placeholder is drawn again when its row arrives
            self._render_cache[key] = strip
        return strip

    def _refresh_changed_lines(self) -> None:
        """Repaint the lines on screen that would not be drawn as they were last drawn."""
        top = self.scroll_offset.y
        first = -1  # the first line of a run of changed lines
        width, height = self.scrollable_content_region.size
        for y in range(height + 1):
            changed = y < height and self._drawn.get(y) != self._line_key(y, width)
            if changed and first < 0:
                first = y
            elif not changed and first >= 0:
                self.refresh_lines(top + first, y - first)
                first = -1

    def refresh_marks(self) -> None:
        """Repaint the rows on screen whose reading state is not what they show."""
        if self.total:
            self._refresh_changed_lines()

    def _style(self, name: str = "", partial: bool = True) -> VisualStyle:
        """`get_visual_style` of a component class ("": the list's own), remembered.

        Textual works out the pseudo-classes behind a style on every call, which was a fifth
        of drawing a line; the list's styles change only with the theme or the stylesheet
        (`notify_style_update` forgets them) and with the focus (part of the key).
        """
        key = (name, partial, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = (
                self.get_visual_style(name, partial=partial) if name else self.get_visual_style()
            )
            self._styles[key] = style
        return style

    def _prefix(self, selected: bool, marks: str) -> Content:
        """The gutter and the marks column before a line's text (a handful, remembered)."""
        key = (selected, marks, self.has_focus)
        prefix = self._prefixes.get(key)
        if prefix is None:
            gutter = Content(GUTTER_CURSOR if selected else GUTTER_BLANK)
            prefix = gutter.stylize(self._style("results--gutter")) + Content(marks).stylize(
                self._style("results--marks")
            )
            self._prefixes[key] = prefix
        return prefix

    def _render_row_line(
        self,
        hit: Hit | None,
        state: StoryState,
        part: int,
        selected: bool,
        focused: bool,
        width: int,
    ) -> Strip:
        """Build one of the three lines of a row as Content, then as a Strip."""
        if selected:
            base = self._style("results--cursor" if focused else "results--cursor-blurred", False)
        else:
            base = self._style()
        match_style = self._style("results--match")
        if hit is None:
            text = Content(PLACEHOLDER if part == 0 else "").stylize(
                self._style("results--loading")
            )
        elif part == 0:
            headline_class = "results--headline-read" if state.read else "results--headline"
            text = _with_spans(
                hit.headline or "(no headline)",
                self._style(headline_class),
                match_style,
                hit.headline_spans,
            )
        elif part == 1:
            meta = row_meta(hit.published, hit.date_estimated, hit.authors, hit.dateline)
            text = Content(meta).stylize(self._style("results--meta"))
            if state.tags:
                tags = Content(tags_text(state))
                text += Content(" · ") + tags.stylize(self._style("results--tags"))
            if hit.folded:
                room = max(0, width - len(GUTTER_BLANK) - len(MARKS_BLANK))
                text = _with_marker(
                    text,
                    Content(folded_marker(hit.folded)).stylize(self._style("results--copies")),
                    room,
                )
        else:
            text = _with_spans(
                hit.snippet,
                self._style("results--snippet"),
                match_style,
                hit.snippet_spans,
            )
        marks = marks_column(state) if hit is not None and part == 0 else MARKS_BLANK
        room = max(0, width - len(GUTTER_BLANK) - len(MARKS_BLANK))
        body = text.truncate(room, ellipsis=True, pad=True)
        return Strip((self._prefix(selected, marks) + body).render_segments(base), width)

    # -- cursor ----------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self.total - 1)) if self.total else 0

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint only the old and new rows, keep the cursor on screen, tell the app."""
        self.refresh_lines(old * ROW_HEIGHT, ROW_HEIGHT)
        self.refresh_lines(new * ROW_HEIGHT, ROW_HEIGHT)
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(new, self.hit_at(new)))

    def _scroll_to_cursor(self) -> None:
        """Scroll only when the cursor row is (partly) off screen.

        Scrolling repaints the whole list, so a move within the screen must not scroll.
        """
        top = self.cursor * ROW_HEIGHT
        scroll_y = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if scroll_y <= top and top + ROW_HEIGHT <= scroll_y + height:
            return
        target = top if top < scroll_y else top + ROW_HEIGHT - height
        self.scroll_to(y=max(0, target), animate=False, immediate=True, force=True)

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh_lines(self.cursor * ROW_HEIGHT, ROW_HEIGHT)

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh_lines(self.cursor * ROW_HEIGHT, ROW_HEIGHT)

    @property
    def _rows_per_page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_cursor_down(self) -> None:
        """Next story."""
        self.cursor += 1

    def action_cursor_up(self) -> None:
        """Previous story."""
        self.cursor -= 1

    def action_first(self) -> None:
        """First story."""
        self.cursor = 0

    def action_last(self) -> None:
        """Last story (no rows between are fetched: only the screen is rendered)."""
        self.cursor = self.total - 1

    def action_page_down(self) -> None:
        """One screenful of stories down."""
        self.cursor += self._rows_per_page

    def action_page_up(self) -> None:
        """One screenful of stories up."""
        self.cursor -= self._rows_per_page

    def action_open(self) -> None:
        """Open the highlighted story."""
        hit = self.highlighted_hit
        if hit is not None:
            self.post_message(self.Selected(self.cursor, hit))

    def _on_click(self, event: events.Click) -> None:
        """Mouse is optional: a click highlights, a second click (or a double) opens."""
        offset = event.get_content_offset(self)
        if offset is None or not self.total:
            return
        index = (self.scroll_offset.y + offset.y) // ROW_HEIGHT
        if index >= self.total:
            return
        if index == self.cursor or event.chain >= 2:
            self.cursor = index
            self.action_open()
        else:
            self.cursor = index
