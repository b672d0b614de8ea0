"""A story out of the browser: `y` copies it as plain text, `o` reads it in the pager.

A mixin of `TermnewsApp` (see `tui.mixin`); its actions are the bindings' `copy` and
`open_pager`. Both work on the story being read, or on the highlighted row's story, which a
worker reads first when it is not loaded yet; the app's `on_story_loaded` hands that story
back to `_copy` or `_page`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import SuspendNotSupported

from termnews.article import Article
from termnews.formatting import article_as_text
from termnews.tui.messages import StoryLoaded, StoryUse
from termnews.tui.mixin import AppMixin
from termnews.tui.story import Story, build_story
from termnews.tui.terminal import run_pager
from termnews.tui.widgets.article_view import MAX_TEXT_WIDTH, ArticleView

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher
    from termnews.tui.screens.article import ArticleScreen
    from termnews.tui.widgets.results import ResultList


class StoryOutActions(AppMixin):
    """Copy and pager, on the story at hand."""

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    searcher: Searcher | None
    _story: Story | None
    result_list: ResultList
    article_screen: ArticleScreen | None

    def action_copy(self) -> None:
        """`y`: copy the story as plain text through OSC 52, which also works over SSH."""
        self._use_story("copy")

    def _copy(self, article: Article) -> None:
        text = article_as_text(article)
        self.copy_to_clipboard(text)
        self.notify(f"Copied {len(text):,} characters to the clipboard.", timeout=3)

    def action_open_pager(self) -> None:
        """`o`: read the story in `$PAGER` (then `less`), handing it the whole terminal."""
        self._use_story("pager")

    def _page(self, article: Article) -> None:
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

    def _article_at_hand(self) -> Article | None:
        """The story being read, or the highlighted one if it is loaded already."""
        reading: ArticleView | None = None
        if (screen := self.article_screen) is not None:
            reading = screen.view
        elif isinstance(self.focused, ArticleView):
            reading = self.focused
        if reading is not None and reading.article is not None:
            return reading.article
        hit = self.result_list.highlighted_hit
        story = self._story
        if hit is not None and story is not None and story.path == hit.path:
            return story.article
        return None

    def _use_story(self, use: StoryUse) -> None:
        """`o`/`y` on the story at hand, or on the highlighted one once a worker has read it."""
        article = self._article_at_hand()
        if article is not None and use == "copy":
            self._copy(article)
            return
        if article is not None:
            self._page(article)
            return
        hit = self.result_list.highlighted_hit
        if hit is None or self.searcher is None:
            what = "copy" if use == "copy" else "open"
            self.notify(f"No story to {what}.", severity="warning")
            return
        self._load_story_for(self.searcher, hit.path, use)

    @work(thread=True, exclusive=True, group="story-use", exit_on_error=False)
    def _load_story_for(self, searcher: Searcher, path: str, use: StoryUse) -> None:
        """A story for `o` or `y` that is not on screen; apart from `_load_story`, so it
        neither cancels nor is cancelled by the side pane following the cursor."""
        self.post_message(StoryLoaded(build_story(searcher, path, frozenset()), use))
