"""The status line: result count, sort order and time, or a suggestion, notice or progress.

It is one line of `Content` assembled from plain strings, so a query echoed back in a
"did you mean" can never inject markup.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from termnews.formatting import stories_count
from termnews.results import Results
from termnews.state.store import StoryState

PROGRESS_WIDTH = 20


#: After the count while the last word is still being typed (the results leave it out).
TYPING_MARKER = "typing…"
#: After the count while copies are not folded (`c` folds them again).
EVERY_COPY = "every copy"


def _stories(count: int) -> str:
    return f"{count:,} stor{'ies' if count != 1 else 'y'}"


def results_summary(results: Results, *, show_timing: bool = True) -> Content:
    """`37 results · newest first · 4 ms`, with the suggestion or notice when there is one.

    While the engine holds back a last word that is still being typed, a dim `typing…`
    follows the count, so the person knows the list is not the answer to every word yet.
    """
    if not results.all_copies and results.folded_total != results.total:
        # Copies folded into their rows: both figures, the rows being the second.
        count = stories_count(results.total, results.folded_total)
    else:
        count = f"{results.total:,} result{'s' if results.total != 1 else ''}"
        if results.all_copies and results.total:
            count += f" · {EVERY_COPY}"
    content = Content(count)
    if results.pending_word:
        content += Content(" ") + Content(TYPING_MARKER).stylize("dim")
    tail = [results.sort.label]
    if show_timing:
        tail.append(f"{results.elapsed_ms:.0f} ms")
    content += Content(" · " + " · ".join(tail))
    if results.suggestion:
        content += Content(" · did you mean ") + Content(results.suggestion).stylize("bold")
        content += Content("?")
        if results.suggestion_total:
            content += Content(f" {_stories(results.suggestion_total)}")
        content += Content(" (Tab)")
    if results.notice:
        content += Content(" · ") + Content(results.notice).stylize("italic")
    return content


def progress_content(label: str, done: int, total: int) -> Content:
    """`Indexing ━━━━━━────── 120/400`: a text bar, cheap to redraw over SSH."""
    if total <= 0:
        return Content(f"{label}…")
    filled = round(PROGRESS_WIDTH * min(done, total) / total)
    bar = Content("━" * filled).stylize("bold") + Content("─" * (PROGRESS_WIDTH - filled))
    return Content(f"{label} ") + bar + Content(f" {done:,}/{total:,}")


def match_counter(current: int, total: int) -> Content:
    """`match 2/7 · n/N` while jumping, `7 matches · n/N` before, nothing without matches."""
    if not total:
        return Content("")
    if current:
        return Content(f"match {current}/{total} · n/N")
    return Content(f"{total} match{'es' if total != 1 else ''} · n/N")


def marks_content(state: StoryState) -> Content:
    """`● unread · ★ starred · #harbour`: the open story's marks, glyphs as on its row."""
    parts = [Content("● unread").stylize("bold") if not state.read else Content("read")]
    if state.starred:
        parts.append(Content("★ starred").stylize("bold"))
    if state.tags:
        parts.append(Content(" ".join(f"#{name}" for name in sorted(state.tags))))
    return Content(" · ").join(parts)


def new_stories_content(fresh: int, removed: int) -> Content:
    """`3 new` (and `1 gone`): what the archive watcher added since the results were shown.

    Words, not only a colour, so it reads the same under NO_COLOR.
    """
    parts = []
    if fresh:
        parts.append(f"{fresh:,} new")
    if removed:
        parts.append(f"{removed:,} gone")
    if not parts:
        return Content("")
    return Content(", ".join(parts)).stylize("bold")


def fetching_content(done: int, total: int, new: int) -> Content:
    """`Fetching 3/12 feeds · 41 new`: a fetch of the feeds under way in the browser."""
    return Content(f"Fetching {done:,}/{total:,} feeds · {new:,} new").stylize("italic")


class StatusLine(Static):
    """One line under the panes; the app decides what it says."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id, markup=False)
        self._main = Content("")
        self._extra = Content("")
        self._marks = Content("")
        self._new = Content("")
        self._activity = Content("")
        self._shown = Content("")

    def set_main(self, content: Content) -> None:
        """The results summary or progress (left part)."""
        self._main = content
        self._redraw()

    def set_extra(self, content: Content) -> None:
        """The article's match counter (`match 2/7`), shown after the main part."""
        self._extra = content
        self._redraw()

    def set_marks(self, content: Content) -> None:
        """The open story's reading state (`● unread · ★ starred`), shown first."""
        self._marks = content
        self._redraw()

    def set_new(self, fresh: int, removed: int) -> None:
        """What the archive watcher found (`3 new`), shown after the main part until applied."""
        self._new = new_stories_content(fresh, removed)
        self._redraw()

    def set_activity(self, content: Content) -> None:
        """Work the browser does beside the search (a fetch of the feeds), shown last."""
        self._activity = content
        self._redraw()

    def _redraw(self) -> None:
        content = self._main
        if self._marks:
            content = self._marks + Content("  ·  ") + content
        if self._new:
            content = content + Content(" · ") + self._new
        if self._extra:
            content = content + Content("  ·  ") + self._extra
        if self._activity:
            content = content + Content("  ·  ") + self._activity
        if content.is_same(self._shown):
            return  # the same line: nothing to draw or send
        self._shown = content
        # One row whatever it says (the stylesheet gives the line its height and the screen's
        # width), so a new text needs no layout of the screen, only this line drawn again.
        self.update(content, layout=False)
