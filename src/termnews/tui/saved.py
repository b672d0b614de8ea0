"""Saved searches in the browser: `S` lists them with their counts, `ctrl+s` saves the query.

A mixin of `TermnewsApp` (see `tui.mixin`); its actions are the bindings' `saved_searches`
and `save_search`. The searches live in the person's config file: saving or removing one
writes the file and reads the searches back from it, so the list always shows what the file
holds. The `[keys]` read at start stay in effect until the browser starts again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from termnews.errors import TermnewsError
from termnews.results import SortOrder
from termnews.settings import SavedSearch, Settings, config_path, load_settings
from termnews.tui.mixin import AppMixin

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher
    from termnews.tui.screens.article import ArticleScreen
    from termnews.tui.screens.saved_searches import RunSearch
    from termnews.tui.widgets.results import ResultList
    from termnews.tui.widgets.search_bar import SearchBar


class SavedSearchActions(AppMixin):
    """The saved-searches screen and the save prompt.

    Besides the attributes below it calls the search part's `run_search` and the app's
    `focus_now`.
    """

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    settings: Settings
    searcher: Searcher | None
    query_text: str
    search_bar: SearchBar
    result_list: ResultList
    article_screen: ArticleScreen | None

    def action_saved_searches(self) -> None:
        """`S`: the saved searches with their counts; Enter runs one."""
        count = None
        if (searcher := self.searcher) is not None:

            def count(query: str) -> int:
                return searcher.search(query, SortOrder.NEWEST, 0).total

        # Imported when first asked for, so start-up does not pay for the screen.
        from termnews.tui.screens.saved_searches import SavedSearchesScreen

        screen = SavedSearchesScreen(
            self.settings.searches,
            count=count,
            current_query=self.query_text,
            save=self._save_search,
            remove=self._remove_search,
            config_path=str(self._config_path()),
            config_has_problems=bool(self.settings.problems),
        )
        self.push_screen(screen, self._run_saved_search)

    def _config_path(self) -> Path:
        return self.settings.path if self.settings.path is not None else config_path()

    def _reload_searches(self) -> tuple[SavedSearch, ...]:
        """Read the searches back from the file just written (keys stay as they started)."""
        fresh = load_settings(self._config_path())
        self.settings = Settings(
            searches=fresh.searches,
            keys=self.settings.keys,
            problems=self.settings.problems,
            path=self._config_path(),
        )
        return self.settings.searches

    def _save_search(self, name: str, query: str) -> tuple[SavedSearch, ...]:
        from termnews.settings import save_search

        save_search(name, query, self._config_path())
        return self._reload_searches()

    def _remove_search(self, name: str) -> tuple[SavedSearch, ...]:
        from termnews.settings import remove_search

        remove_search(name, self._config_path())
        return self._reload_searches()

    def _run_saved_search(self, choice: RunSearch | None) -> None:
        """Put the chosen search's query in the box and search; the list takes the focus."""
        if choice is None:
            return
        if self.article_screen is not None:
            self.pop_screen()
        query = choice.saved.query
        search = self.search_bar
        search.value = query  # its Changed message runs the search
        search.cursor_position = len(query)
        if query == self.query_text:
            self.run_search(delay=0)  # the same query: Changed is not sent, search anyway
        self.focus_now(self.result_list)
        self.notify(f"Saved search {choice.saved.name!r}", timeout=2, markup=False)

    def action_save_search(self) -> None:
        """`ctrl+s`: save the query in the search box under a name."""
        query = self.query_text
        if not query.strip():
            self.notify("Type a query first: there is nothing to save.", severity="warning")
            return
        from termnews.tui.screens.saved_searches import save_search_prompt

        prompt = save_search_prompt(query, self.settings.searches, id="save-search-prompt")

        def answered(name: str | None) -> None:
            if name is None:
                return
            try:
                self._save_search(name.strip(), query)
            except TermnewsError as error:
                self.notify(str(error), title="Not saved", severity="error", markup=False)
                return
            self.notify(
                f"Saved as {name.strip()!r} in {self._config_path()}.", timeout=3, markup=False
            )

        self.push_screen(prompt, answered)
