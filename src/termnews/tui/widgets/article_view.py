"""The article view: one story laid out for reading, with the query's matches to jump between.

It is a `ScrollView` that wraps the story itself (`wrap_ranges`) instead of a container of
`Static` widgets, for three reasons: it knows which line each match is on (for `n`/`N` and the
match counter), it can centre an 80-column text block in a wide pane, and paging repaints only
this widget's lines, never more than one screen over a slow link.

All story text goes in as plain `Content`; highlight spans are applied by offset, so markup-like
text in a story is displayed literally.
"""

from __future__ import annotations

from dataclasses import dataclass
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

from termnews.article import Article
from termnews.tui.story import RULE, Block, Story
from termnews.tui.text import wrap_ranges
from termnews.tui.widgets.stray_keys import RedirectStrayKeys

#: The widest the body text gets; longer lines are tiring to read.
MAX_TEXT_WIDTH = 80
RULE_CHAR = "─"

#: What the view says before any story is chosen.
CHOOSE_A_STORY = "Choose a story and press Enter to read it."
#: What it says while a story is on its way from the searcher.
LOADING_STORY = "Loading the story…"


@dataclass(frozen=True, slots=True)
class _Line:
    """A wrapped screen line: a slice of one block (block -1 is a blank line)."""

    block: int
    start: int
    end: int


class ArticleView(RedirectStrayKeys, ScrollView, can_focus=True):
    """A story formatted for reading: headline, byline, dateline, deck, caption, body, notes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article--headline",
        "article--byline",
        "article--dateline",
        "article--muted",
        "article--body",
        "article--match",
        "article--current-match",
        "article--rule",
        "article--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        # Each `id` is the action's name in the config file's [keys] table (see tui.keymap);
        # an id names one set of default keys, so paging here is not the list's page_down.
        Binding("space,pagedown", "page_down", "Page", show=False, id="page_forward"),
        Binding("b,pageup", "page_up", "Page back", show=False, id="page_back"),
        Binding("down,j", "line_down", "Down", show=False, id="line_down"),
        Binding("up,k", "line_up", "Up", show=False, id="line_up"),
        Binding("g,home", "top", "Top", show=False, id="top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="bottom"),
        Binding("n", "next_match", "Next match", id="next_match"),
        Binding("N", "previous_match", "Prev match", id="previous_match"),
    ]

    current_match: reactive[int | None] = reactive(None, init=False, repaint=False)
    """Which match `n`/`N` is on (index into the match list), or None before the first jump."""

    @dataclass
    class MatchMoved(Message):
        """The match counter changed: `current` is 1-based, 0 when no match is selected."""

        current: int
        total: int

    def __init__(
        self,
        *,
        id: str | None = None,
        classes: str | None = None,
        message: str = CHOOSE_A_STORY,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.story: Story | None = None
        self._blocks: tuple[Block, ...] = ()
        self._matches: list[tuple[int, int, int]] = []
        """(block, start, end) for every highlighted term, in reading order."""
        self._lines: list[_Line] = []
        self._match_lines: list[int] = []
        self._wrapped_width = -1
        self._left_pad = 0
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(256)
        self.empty_message = message
        """What the view says when it has no story (shown dim on its second line)."""

    # -- content -----------------------------------------------------------------------------

    @property
    def article(self) -> Article | None:
        """The article on show, if any."""
        return self.story.article if self.story is not None else None

    def show(self, story: Story) -> None:
        """Lay out `story` from the top, its matches highlighted."""
        self.story = story
        self._lay_out(story.blocks)

    def show_message(self, message: str) -> None:
        """No story, just a quiet line: while one loads, or when it could not be opened."""
        self.story = None
        self.empty_message = message
        self._lay_out(())

    def _lay_out(self, blocks: tuple[Block, ...]) -> None:
        self._blocks = blocks
        self._matches = [
            (index, start, end)
            for index, block in enumerate(self._blocks)
            for start, end in block.spans
        ]
        self._wrapped_width = -1
        self._cache.clear()
        self._rewrap()
        self.set_reactive(ArticleView.current_match, None)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.MatchMoved(0, len(self._matches)))

    # -- layout ------------------------------------------------------------------------------

    def _rewrap(self) -> None:
        """Re-flow the blocks for the current width (on show and on every resize)."""
        width = self.scrollable_content_region.width
        if width == self._wrapped_width:
            return
        self._wrapped_width = width
        self._cache.clear()
        text_width = max(10, min(MAX_TEXT_WIDTH, width - 2))
        self._left_pad = max(1, (width - text_width) // 2) if width > text_width else 0
        lines: list[_Line] = []
        match_lines: list[int] = []
        match_index = 0
        for block_index, block in enumerate(self._blocks):
            if block.space_before and lines:
                lines.append(_Line(-1, 0, 0))
            if block.kind == RULE:
                lines.append(_Line(block_index, 0, 0))
                continue
            for start, end in wrap_ranges(block.text, text_width):
                while (
                    match_index < len(self._matches)
                    and self._matches[match_index][0] == block_index
                    and self._matches[match_index][1] < max(end, start + 1)
                ):
                    match_lines.append(len(lines))
                    match_index += 1
                lines.append(_Line(block_index, start, end))
            while match_index < len(self._matches) and self._matches[match_index][0] == block_index:
                match_lines.append(len(lines) - 1)
                match_index += 1
        self._lines = lines
        self._match_lines = match_lines
        self.virtual_size = Size(width, len(lines) + 1)

    def _on_resize(self, event: events.Resize) -> None:
        self._rewrap()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._wrapped_width:
            self._rewrap()
        base = self.get_visual_style()
        line_no = self.scroll_offset.y + y
        if self.story is None:
            if y == 1:
                message = Content(self.empty_message).stylize(
                    self.get_visual_style("article--empty", partial=True)
                )
                return Strip(message.center(width).render_segments(base), width)
            return Strip.blank(width, base.rich_style)
        if line_no >= len(self._lines):
            return Strip.blank(width, base.rich_style)
        line = self._lines[line_no]
        current = self._current_span_on(line_no)
        key = (line_no, width, current)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        strip = self._render_wrapped(line, current, width)
        self._cache[key] = strip
        return strip

    def _current_span_on(self, line_no: int) -> tuple[int, int] | None:
        """The current match's offsets if it starts on this line (it gets a stronger style)."""
        index = self.current_match
        if index is None or index >= len(self._matches):
            return None
        if self._match_lines[index] != line_no:
            return None
        _, start, end = self._matches[index]
        return (start, end)

    def _render_wrapped(self, line: _Line, current: tuple[int, int] | None, width: int) -> Strip:
        base = self.get_visual_style()
        if line.block < 0:
            return Strip.blank(width, base.rich_style)
        block = self._blocks[line.block]
        pad = Content(" " * self._left_pad)
        if block.kind == RULE:
            rule = Content(RULE_CHAR * min(12, max(1, width - self._left_pad))).stylize(
                self.get_visual_style("article--rule", partial=True)
            )
            return Strip((pad + rule).truncate(width, pad=True).render_segments(base), width)
        content = Content(block.text[line.start : line.end]).stylize(
            self.get_visual_style(block.kind, partial=True)
        )
        match_style = self.get_visual_style("article--match", partial=True)
        for start, end in block.spans:
            s, e = max(start, line.start), min(end, line.end)
            if s < e:
                content = content.stylize(match_style, s - line.start, e - line.start)
        if current is not None:
            s, e = max(current[0], line.start), min(current[1], line.end)
            if s < e:
                content = content.stylize(
                    self.get_visual_style("article--current-match", partial=True),
                    s - line.start,
                    e - line.start,
                )
        return Strip((pad + content).truncate(width, pad=True).render_segments(base), width)

    # -- matches -----------------------------------------------------------------------------

    def watch_current_match(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None and index < len(self._match_lines):
                self.refresh_line(self._match_lines[index])
        if new is not None and new < len(self._match_lines):
            line = self._match_lines[new]
            height = self.scrollable_content_region.height
            if not self.scroll_offset.y <= line < self.scroll_offset.y + height:
                self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)
        self.post_message(self.MatchMoved(0 if new is None else new + 1, len(self._matches)))

    def action_next_match(self) -> None:
        """Jump to the next highlighted query term, wrapping at the end."""
        if not self._matches:
            self.notify("No matches for the query in this story.", timeout=2)
            return
        current = self.current_match
        self.current_match = 0 if current is None else (current + 1) % len(self._matches)

    def action_previous_match(self) -> None:
        """Jump to the previous highlighted query term, wrapping at the start."""
        if not self._matches:
            self.notify("No matches for the query in this story.", timeout=2)
            return
        current = self.current_match
        self.current_match = (
            len(self._matches) - 1 if current is None else (current - 1) % len(self._matches)
        )

    # -- scrolling ---------------------------------------------------------------------------

    def action_page_down(self) -> None:
        """Forward one screen (space), keeping one line of context."""
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + height, animate=False, immediate=True)

    def action_page_up(self) -> None:
        """Back one screen (b)."""
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=max(0, self.scroll_offset.y - height), animate=False, immediate=True)

    def action_line_down(self) -> None:
        self.scroll_to(y=self.scroll_offset.y + 1, animate=False, immediate=True)

    def action_line_up(self) -> None:
        self.scroll_to(y=max(0, self.scroll_offset.y - 1), animate=False, immediate=True)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
