"""A query's context in the browser: its timeline strip, its facets (`f`), related stories (`r`).

A mixin of `TermnewsApp` (see `tui.mixin`); its actions are the bindings' `facets` and
`related`.

- The timeline is computed by a worker started once the first page of a search's results is
  on screen (`after_results`), so it never delays them; an answer for results no longer
  shown is dropped. The strip is hidden for the empty query (every story, newest first: the
  archive's own history says little), and on terminals under `MIN_ROWS` rows it gives its
  row back to the list (the stylesheet hides it; growing the terminal shows it again).
- `f` shows the facets of the search's results (those under related stories too); the value
  picked is added to the query in the search box, which then searches as if typed.
- `r` replaces the list with the stories related to the one at hand (the open story, else
  the highlighted row), under a line that says so; Esc brings back the results (and the
  cursor) that were there. `r` again on a related story goes one level deeper, and each
  Esc comes back one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from termnews.results import Results
from termnews.tui.mixin import AppMixin
from termnews.tui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from termnews.engine.context import Context
    from termnews.engine.searcher import Searcher
    from termnews.tui.screens.article import ArticleScreen
    from termnews.tui.widgets.results import ResultList
    from termnews.tui.widgets.search_bar import SearchBar
    from termnews.tui.widgets.timeline import TimelineStrip

#: Below this many rows the timeline strip is not shown: the list needs every row.
MIN_ROWS = 20
#: How many related stories `r` lists.
RELATED_COUNT = 10
#: The actions of this part: the help lists them apart, as keys of the list and article.
CONTEXT_ACTIONS = frozenset({"related", "facets"})


@dataclass
class ContextDone(Message):
    """The context worker computed `context` for `results`."""

    results: Results
    context: Context


@dataclass
class RelatedFound(Message):
    """The related-stories worker found `related` for the story headlined `headline`."""

    related: Results
    headline: str


@dataclass
class _Before:
    """What the list showed before `r`: given back by Esc."""

    results: Results
    cursor: int
    related: Results
    """The related results shown over it: if the list shows others now, a search replaced
    them and there is nothing to go back to."""
    header: str
    """The line shown over `related`."""


class ContextActions(AppMixin):
    """The timeline strip, the facets panel and related stories.

    Besides the attributes below it calls the search part's `_refresh_status` and the app's
    `focus_now`.
    """

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    searcher: Searcher | None
    results: Results | None
    query_text: str
    result_list: ResultList
    search_bar: SearchBar
    timeline_strip: TimelineStrip
    article_screen: ArticleScreen | None
    closing: bool
    _query_context: Context | None
    _related_trail: list[_Before]
    _facets_wanted: Results | None = None
    """The results `f` asked the facets of, until their context arrives."""
    _context_of: Results | None = None
    """The results `_query_context` was computed for (a sync may change a query's stories)."""
    _columns_asked = False
    """Whether the story columns were read ahead (once a browser run: a new generation
    reads only the segments its sync wrote, when its first timeline asks)."""

    # -- the timeline ------------------------------------------------------------------------

    def after_results(self, results: Results) -> None:
        """New results are on screen: their timeline next (the search part calls this)."""
        self._related_trail.clear()  # a search replaced whatever related stories showed
        if self.closing or results is not self.results:
            return
        if not self._wants_timeline(results):
            self.timeline_strip.clear()
            if self.searcher is not None and not self._columns_asked:
                self._columns_asked = True  # read ahead, so the first timeline is quick
                self._prepare_context(self.searcher)
            return
        if self.searcher is not None:
            self._compute_context(self.searcher, results)

    @staticmethod
    def _wants_timeline(results: Results) -> bool:
        return bool(results.query.strip())

    @work(thread=True, group="context-ahead", exit_on_error=False)
    def _prepare_context(self, searcher: Searcher) -> None:
        """What every timeline needs, read in a pause (`Searcher.prepare_context`)."""
        searcher.prepare_context()

    @work(thread=True, exclusive=True, group="context", exit_on_error=False)
    def _compute_context(self, searcher: Searcher, results: Results) -> None:
        """The timeline and facets of every match. Exclusive: a newer search's replaces it."""
        context = searcher.context(results)
        if not get_current_worker().is_cancelled:
            self.post_message(ContextDone(results, context))

    def on_context_done(self, message: ContextDone) -> None:
        if self.closing or message.results is not self._searched():
            return  # the results changed meanwhile: a newer answer is on its way
        self._query_context, self._context_of = message.context, message.results
        if not self._related_trail:
            if self._wants_timeline(message.results):
                self.timeline_strip.show_timeline(message.context.timeline)
            else:
                self.timeline_strip.clear()
        if self._facets_wanted is message.results:
            # `f` was pressed before the context came (its worker may have been replaced
            # by the one the results started: either answer opens the facets).
            self._facets_wanted = None
            self._open_facets(message.context)

    def context_failed(self) -> None:
        """The context worker failed: the strip goes (the results themselves are fine)."""
        if not self._related_trail:
            self.timeline_strip.clear()

    # -- facets ------------------------------------------------------------------------------

    def action_facets(self) -> None:
        """`f`: the agencies, datelines and authors of the search's results, to narrow the
        query by (over related stories too: the query in the box is what they narrow)."""
        results = self._searched()
        if results is None or self.searcher is None:
            return
        context = self._query_context
        if context is not None and self._context_of is results:
            self._open_facets(context)
        else:
            self._facets_wanted = results
            self._compute_context(self.searcher, results)

    def _open_facets(self, context: Context) -> None:
        # Loaded on the first `f`, like every screen start-up does not show.
        from termnews.tui.screens.facets import FacetsScreen, narrowed

        if self.article_screen is not None:
            self.pop_screen()  # the facets narrow the list: show it under them

        def picked(added: str | None) -> None:
            if not added:
                return
            query = narrowed(self.search_bar.value, added)
            self.search_bar.value = query  # searches, as typing would
            self.search_bar.cursor_position = len(query)
            self.focus_now(self.result_list)

        self.push_screen(FacetsScreen(context), picked)

    # -- related stories ---------------------------------------------------------------------

    def action_related(self) -> None:
        """`r`: the stories most like the open story (or the highlighted one)."""
        if self.searcher is None:
            return
        story = None
        if (screen := self.article_screen) is not None:
            story = screen.story
        elif isinstance(self.focused, ArticleView):
            story = self.focused.story
        if story is not None:
            path, headline = story.path, story.article.headline or ""
        elif (hit := self.result_list.highlighted_hit) is not None:
            path, headline = hit.path, hit.headline
        else:
            self.notify("No story to find related stories for.", timeout=2)
            return
        self._find_related(self.searcher, path, headline)

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def _find_related(self, searcher: Searcher, path: str, headline: str) -> None:
        related = searcher.related(path, limit=RELATED_COUNT)
        if not get_current_worker().is_cancelled:
            self.post_message(RelatedFound(related, headline))

    def on_related_found(self, message: RelatedFound) -> None:
        if self.closing or self.results is None or self.searcher is None:
            return
        if not message.related.total:
            self.notify("No related stories.", timeout=3)
            return
        if self.article_screen is not None:
            self.pop_screen()
        if self._related_trail and self.result_list.results is not self._related_trail[-1].related:
            self._related_trail.clear()
        header = related_header(message.headline)
        before = _Before(self.results, self.result_list.cursor, message.related, header)
        self._related_trail.append(before)
        self._show_list(message.related)
        self.timeline_strip.show_message(header)
        self.focus_now(self.result_list)

    def leave_related(self) -> bool:
        """Esc on the list: back to what it showed before `r`; False if it shows no related."""
        trail = self._related_trail
        if not trail or self.result_list.results is not trail[-1].related:
            trail.clear()
            return False
        before = trail.pop()
        self._show_list(before.results)
        self.result_list.cursor = before.cursor
        if trail:  # still related stories (of the story one level up)
            self.timeline_strip.show_message(trail[-1].header)
            return True
        context = self._query_context
        if context is not None and self._context_of is before.results:
            if self._wants_timeline(before.results):
                self.timeline_strip.show_timeline(context.timeline)
            else:
                self.timeline_strip.clear()
        else:
            self.timeline_strip.clear()
            self.after_results(before.results)
        return True

    def _searched(self) -> Results | None:
        """The search's results: those on the list, or under the related stories shown."""
        trail = self._related_trail
        if trail and self.result_list.results is trail[-1].related:
            return trail[0].results
        return self.results

    def _show_list(self, results: Results) -> None:
        """Put `results` in the list and the status line (no search is run)."""
        assert self.searcher is not None
        self.results = results
        self.result_list.show(results, self.searcher.hits)
        self._refresh_status()


def related_header(headline: str) -> str:
    """The line over a list of related stories."""
    shown = " ".join(headline.split()) or "this story"
    return f"Related to “{shown}” · Esc: back"
