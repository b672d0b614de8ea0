"""Opening stories: the side pane when wide, a screen of their own when narrow.

A mixin of `TermnewsApp` (see `tui.mixin`); its actions are the bindings' `next_result` and
`previous_result`. A story is read and laid out by a worker, so the cursor never waits for
one: the pane keeps what it showed until the story arrives (and says it is loading only if
that takes a while), and a story the cursor has left is dropped on arrival. Opening a story
with Enter marks it read (`MarkingActions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.timer import Timer
from textual.worker import get_current_worker

from termnews.results import Hit, Results
from termnews.tui.marks import MarkView
from termnews.tui.messages import StoryLoaded
from termnews.tui.mixin import AppMixin
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.story import Story, build_story
from termnews.tui.widgets.article_view import LOADING_STORY
from termnews.tui.widgets.results import ResultList
from termnews.tui.widgets.status import marks_content

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher
    from termnews.tui.keymap import KeysInEffect
    from termnews.tui.widgets.article_view import ArticleView

#: How long a story may take before its pane says it is loading. A story usually arrives
#: within a frame or two, and saying "loading" for that long would only make the pane flicker.
QUIET_LOADING_DELAY = 0.15


@dataclass(frozen=True)
class WantedStory:
    """The story the app is waiting for, and whether it should take the focus on arrival."""

    key: tuple[str, frozenset[str]]
    focus: bool


class StoryActions(AppMixin):
    """Which story to show, where, and what happens while it loads.

    Besides the attributes below it calls the app's `focus_now`, the search part's `_summary`,
    the marking part's `_mark_read_on_opening`, and the copy/pager part's `_copy` and `_page`.
    """

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    searcher: Searcher | None
    results: Results | None
    marks: MarkView
    keys: KeysInEffect
    _story: Story | None
    _story_wanted: WantedStory | None
    _row_wanted: tuple[int, bool] | None
    _loading_timer: Timer | None
    result_list: ResultList
    article_pane: ArticleView
    article_screen: ArticleScreen | None
    closing: bool
    on_main_screen: bool
    wide: bool

    def on_result_list_selected(self, message: ResultList.Selected) -> None:
        self.open_result(message.index, focus=True)

    def on_result_list_highlighted(self, message: ResultList.Highlighted) -> None:
        if self.closing:
            return
        wanted = self._row_wanted
        if wanted is not None and wanted[0] == message.index and message.hit is not None:
            self._row_wanted = None
            index, focus = wanted
            if focus and not self.wide and not self.article_screen is not None:
                return  # the screen opened for this story was closed before its row came
            self.open_result(index, focus=focus)
        elif self.wide and self.on_main_screen:
            # Side by side, the article pane previews the highlighted story: once the row is
            # painted, so that reading the story (a worker, but the same interpreter) never
            # delays the frame with a keystroke's results or the cursor's move.
            self.call_after_refresh(self._preview, message.index)

    def _preview(self, index: int) -> None:
        """Preview story `index` in the side pane, if the cursor is still on it."""
        if (
            self.closing
            or not (self.wide and self.on_main_screen)
            or self.result_list.cursor != index
            or self._row_wanted is not None
        ):
            return  # moved on, narrowed, or covered: what is wanted now is shown instead
        self.open_result(index, focus=False)

    def open_result(self, index: int, *, focus: bool) -> None:
        """Show story `index`: in the side pane when wide, on its own screen when narrow.

        The story is read by a worker. Until it arrives the pane keeps what it showed (and
        says it is loading if that takes a while); the full screen opens at once, so Enter
        always answers. A row that has not arrived yet is opened when the list has it.
        """
        hit = self.result_list.hit_at(index)
        terms = self.results.terms if self.results is not None else frozenset()
        key = (hit.path, terms) if hit is not None else None
        ready = self._story if self._story is not None and self._story.key == key else None
        if focus and not self.wide and not self.article_screen is not None:
            self.push_screen(ArticleScreen(ready, self._summary()))
        if hit is None or key is None:
            self._row_wanted = (index, focus)
            self._story_wanted = None
            self._expect_story()
            return
        self._row_wanted = None
        if focus:
            self._mark_read_on_opening(hit)
        if ready is not None:
            self._story_wanted = None
            self._stop_expecting_story()
            self._present(ready, focus)
            return
        wanted = self._story_wanted
        if wanted is not None and wanted.key == key:
            self._story_wanted = WantedStory(key, focus or wanted.focus)
            return
        if self.searcher is None:
            return
        self._story_wanted = WantedStory(key, focus)
        self._expect_story()
        self._load_story(self.searcher, hit, terms)

    @work(thread=True, exclusive=True, group="story", exit_on_error=False)
    def _load_story(self, searcher: Searcher, hit: Hit, terms: frozenset[str]) -> None:
        """The story to show. Exclusive: moving the cursor on drops the story it left."""
        keys = self.keys.keys.get("copies") or ()
        story = build_story(searcher, hit.path, terms, hit.identity, keys[0] if keys else None)
        if not get_current_worker().is_cancelled:
            self.post_message(StoryLoaded(story, "show"))

    def on_story_loaded(self, message: StoryLoaded) -> None:
        if self.closing:
            return
        story = message.story
        if message.use == "copy":
            self._copy(story.article)
            return
        if message.use == "pager":
            self._page(story.article)
            return
        wanted = self._story_wanted
        if wanted is None or wanted.key != story.key:
            return  # the cursor has moved on, or the query changed its highlights
        self._story_wanted = None
        self._stop_expecting_story()
        self._present(story, wanted.focus)

    def _present(self, story: Story, focus: bool) -> None:
        """Put a loaded story where the layout shows stories, focused if asked.

        Narrow, that is the article screen `open_result` pushed; if it has been closed since,
        the person has moved on and the story is only kept.
        """
        self._story = story
        if (screen := self.article_screen) is not None:
            screen.show(story)
            screen.set_marks(marks_content(self.marks.of(story.identity)))
        elif self.wide:
            view = self.article_pane
            if view.story is not story:
                view.show(story)
            if focus:
                self.focus_now(view)

    def _expect_story(self) -> None:
        """A story is on its way: say so in its pane if it is slow to come."""
        if self._loading_timer is None:
            self._loading_timer = self.set_timer(QUIET_LOADING_DELAY, self._story_is_slow)

    def _stop_expecting_story(self) -> None:
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None

    def _story_is_slow(self) -> None:
        self._loading_timer = None
        if not self.is_running:
            return  # the timer outlived the app
        if self._story_wanted is not None or self._row_wanted is not None:
            self._show_in_story_view(LOADING_STORY)

    def _show_in_story_view(self, message: str) -> None:
        """A quiet line instead of a story, wherever the story would have gone."""
        if (screen := self.article_screen) is not None:
            screen.show_message(message)
        elif self.wide:
            self.article_pane.show_message(message)

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
