"""The result list: a virtualised, three-lines-per-story view of a `Results` value.

Why a `ScrollView` with `render_line` and not an `OptionList`: an OptionList builds an option
(and measures it) for every row, which is 100,000 objects and several seconds for a query that
matches everything. Here the virtual height is simply `total * 3`; a row's `Hit` is fetched
on demand, a page at a time, through the `fetch` callable (`Searcher.hits`), and only the rows
on screen are ever rendered. Moving the cursor refreshes just the six lines of the old and new
rows, so one row down costs a few hundred bytes over SSH instead of a full repaint.

Story text is untrusted: rows are built as `Content` from plain strings, with highlight spans
added by offset, so a headline like `[bold]x[/]` is shown exactly as written.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from termnews.formatting import row_meta
from termnews.results import Hit, Results, Span
from termnews.tui.text import squash_whitespace
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

Fetch = Callable[[Results, int, int], list[Hit]]


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


class ResultList(RedirectStrayKeys, ScrollView, can_focus=True):
    """Every story that matches the query, drawn three lines per story, rendered lazily."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "results--headline",
        "results--meta",
        "results--snippet",
        "results--match",
        "results--cursor",
        "results--cursor-blurred",
        "results--gutter",
        "results--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "open", "Open"),
    ]

    cursor: reactive[int] = reactive(0, init=False, repaint=False)
    """Index of the highlighted story in the whole result set (not just the screen)."""

    class Highlighted(Message):
        """The cursor moved to another story (the side pane previews it)."""

        def __init__(self, index: int, hit: Hit | None) -> None:
            self.index = index
            self.hit = hit
            super().__init__()

    class Selected(Message):
        """The person chose a story (Enter or a click on the highlighted row)."""

        def __init__(self, index: int, hit: Hit) -> None:
            self.index = index
            self.hit = hit
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.results: Results | None = None
        self._fetch: Fetch | None = None
        self._hits: OrderedDict[int, Hit] = OrderedDict()
        self._render_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(512)
        self._empty_message = "Loading…"
        self._fetch_failed = False

    # -- data ----------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many stories the current results hold (0 before the first search)."""
        return self.results.total if self.results is not None else 0

    def show(self, results: Results, fetch: Fetch, *, keep_path: str | None = None) -> None:
        """Display new results; keep the cursor on `keep_path` when it is still in the page.

        The first page that came with `results` is seeded into the cache, so the common case
        (a fresh query, cursor near the top) never calls back into the searcher.
        """
        self.results = results
        self._fetch = fetch
        self._fetch_failed = False
        self._hits.clear()
        for index, hit in enumerate(results.hits):
            self._hits[index] = hit
        self._render_cache.clear()
        cursor = 0
        if keep_path is not None:
            for index, hit in enumerate(results.hits):
                if hit.path == keep_path:
                    cursor = index
                    break
        self.virtual_size = Size(self.scrollable_content_region.width, results.total * ROW_HEIGHT)
        self.set_reactive(ResultList.cursor, cursor)
        self.scroll_to(y=0, animate=False, immediate=True)
        if cursor:
            self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(cursor, self.hit_at(cursor)))

    def set_empty_message(self, message: str) -> None:
        """What the list says when it has no rows: `Loading…`, `Indexing…`, `No stories`."""
        self._empty_message = message
        if not self.total:
            self.refresh()

    def hit_at(self, index: int) -> Hit | None:
        """The story at `index`, fetching its page from the searcher when not cached.

        A failed fetch (an index swapped underneath us) returns None and the row renders
        blank; the app refreshes the results when the index changes, so this is transient.
        """
        if self.results is None or not 0 <= index < self.results.total:
            return None
        hit = self._hits.get(index)
        if hit is not None:
            self._hits.move_to_end(index)
            return hit
        if self._fetch is None or self._fetch_failed:
            return None
        start = index - index % PAGE_SIZE
        stop = min(self.results.total, start + PAGE_SIZE)
        try:
            fetched = self._fetch(self.results, start, stop)
        except Exception as error:  # the row must never take the app down
            self._fetch_failed = True
            self.notify(f"Could not load results: {error}", severity="error")
            return None
        for offset, fetched_hit in enumerate(fetched):
            self._hits[start + offset] = fetched_hit
        while len(self._hits) > HIT_CACHE_SIZE:
            self._hits.popitem(last=False)
        return self._hits.get(index)

    @property
    def highlighted_hit(self) -> Hit | None:
        """The story under the cursor, if any."""
        return self.hit_at(self.cursor) if self.total else None

    # -- rendering -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Theme or focus styles changed: the cached strips carry old colours."""
        super().notify_style_update()
        self._render_cache.clear()

    def _on_resize(self, event: events.Resize) -> None:
        self._render_cache.clear()
        self.virtual_size = Size(event.size.width, self.total * ROW_HEIGHT)

    def render_line(self, y: int) -> Strip:
        """One screen line: part `y % 3` of story `y // 3`, counted from the scroll offset."""
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        index, part = divmod(line, ROW_HEIGHT)
        base = self.get_visual_style()
        if not self.total:
            if y == 1:
                message = Content(self._empty_message).stylize(
                    self.get_visual_style("results--empty")
                )
                return Strip(
                    message.truncate(width, ellipsis=True, pad=True).render_segments(base), width
                )
            return Strip.blank(width, base.rich_style)
        if index >= self.total:
            return Strip.blank(width, base.rich_style)
        selected = index == self.cursor
        focused = self.has_focus
        key = (index, part, selected, focused, width)
        cached = self._render_cache.get(key)
        if cached is not None:
            return cached
        strip = self._render_row_line(index, part, selected, focused, width)
        self._render_cache[key] = strip
        return strip

    def _render_row_line(
        self, index: int, part: int, selected: bool, focused: bool, width: int
    ) -> Strip:
        """Build one of the three lines of a row as Content, then as a Strip."""
        hit = self.hit_at(index)
        if selected:
            row_class = "results--cursor" if focused else "results--cursor-blurred"
            base = self.get_visual_style(row_class)
        else:
            base = self.get_visual_style()
        match_style = self.get_visual_style("results--match", partial=True)
        if hit is None:
            text = Content("…") if part == 0 else Content("")
        elif part == 0:
            text = _with_spans(
                hit.headline or "(no headline)",
                self.get_visual_style("results--headline", partial=True),
                match_style,
                hit.headline_spans,
            )
        elif part == 1:
            meta = row_meta(hit.published, hit.date_estimated, hit.authors, hit.dateline)
            text = Content(meta).stylize(self.get_visual_style("results--meta", partial=True))
        else:
            snippet, spans = squash_whitespace(hit.snippet, hit.snippet_spans)
            text = _with_spans(
                snippet,
                self.get_visual_style("results--snippet", partial=True),
                match_style,
                tuple(spans),
            )
        gutter = Content(GUTTER_CURSOR if selected else GUTTER_BLANK).stylize(
            self.get_visual_style("results--gutter", partial=True)
        )
        body = text.truncate(max(0, width - len(GUTTER_BLANK)), ellipsis=True, pad=True)
        return Strip((gutter + body).render_segments(base), width)

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
