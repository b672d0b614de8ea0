"""Copies in the browser: folding them in the list (`c`) and listing a story's (`C`).

A mixin of `TermnewsApp` (see `tui.mixin`); its actions are the bindings' `toggle_copies`
and `copies`. Copies of one story (the same body filed by several agencies or feeds) are
folded into one row by default, marked `+N`; `c` shows every copy instead, or folds them
again, keeping the cursor on its story (or on the row its story is folded into). `C` lists
the copies of the story being read (from the list: of the highlighted one); Enter there
opens a copy in the story view, `d` compares it with the story.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from termnews.results import Hit, Results
from termnews.tui.mixin import AppMixin
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.stories import WantedStory
from termnews.tui.widgets.results import ResultList

if TYPE_CHECKING:
    from textual.widget import Widget

    from termnews.engine.searcher import Searcher
    from termnews.tui.screens.copies import CopiesScreen
    from termnews.tui.story import Story
    from termnews.tui.widgets.article_view import ArticleView


class CopiesActions(AppMixin):
    """Fold copies or show them all; list, open and compare a story's copies.

    Besides the attributes below it calls the search part's `run_search` and `_summary`,
    the story part's `_expect_story` and `_load_story`, and the marking part's
    `_mark_read_on_opening`.
    """

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    searcher: Searcher | None
    results: Results | None
    all_copies: bool
    _story: Story | None
    _story_wanted: WantedStory | None
    _row_wanted: tuple[int, bool] | None
    result_list: ResultList
    article_pane: ArticleView
    article_screen: ArticleScreen | None
    wide: bool
    focused: Widget | None

    def action_toggle_copies(self) -> None:
        """`c`: show every copy of a story as a row of its own, or fold them again."""
        self.all_copies = not self.all_copies
        rows = self.result_list
        hit = rows.highlighted_hit
        # Unfolding moves a story down by the copies folded above it: build enough rows
        # with the search for it to be among them.
        self.run_search(delay=0, keep_path=hit.path if hit else None, rows=2 * rows.cursor + 2)
        if self.all_copies:
            self.notify("Every copy shown: c folds them again.", timeout=2)
        else:
            self.notify("Copies folded into one row (+N): c shows every copy.", timeout=2)

    def action_copies(self) -> None:
        """`C`: the copies of the story being read (from the list: the highlighted one's)."""
        if self.searcher is None:
            return
        story = self._story
        reading = self.article_screen is not None or not isinstance(self.focused, ResultList)
        if reading and story is not None:
            path, headline, copies = story.path, story.article.headline, story.copies
            if not copies:
                self.notify("This story has no copies.", timeout=2)
                return
            screen = self._copies_screen(self.searcher, path, headline, copies)
        else:
            hit = self.result_list.highlighted_hit
            if hit is None:
                return
            if not hit.copies:
                self.notify("This story has no copies.", timeout=2)
                return
            screen = self._copies_screen(self.searcher, hit.path, hit.headline, None)
        self.push_screen(screen, self._open_copy)

    @staticmethod
    def _copies_screen(
        searcher: Searcher, path: str, headline: str, copies: tuple[Hit, ...] | None
    ) -> CopiesScreen:
        # Loaded on the first `C`, with its comparison screen, which start-up never shows.
        from termnews.tui.screens.copies import CopiesScreen

        return CopiesScreen(
            path, headline, find=searcher.copies, load=searcher.article, copies=copies
        )

    def _open_copy(self, copy: Hit | None) -> None:
        """Show the chosen copy where stories show, as Enter on its row would."""
        if copy is None or self.searcher is None:
            return
        terms = self.results.terms if self.results is not None else frozenset()
        if not self.wide and self.article_screen is None:
            self.push_screen(ArticleScreen(None, self._summary()))
        self._mark_read_on_opening(copy)
        self._row_wanted = None
        self._story_wanted = WantedStory((copy.path, terms), True)
        self._expect_story()
        self._load_story(self.searcher, copy, terms)
