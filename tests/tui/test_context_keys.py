"""The query's context in the browser: the timeline strip, `f` facets and `r` related stories."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import OptionList

from termnews.tui.app import TermnewsApp
from termnews.tui.context import ContextDone
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.screens.facets import FacetsScreen, clause, narrowed
from termnews.tui.widgets.results import ResultList
from termnews.tui.widgets.search_bar import SearchBar

from .conftest import settle

MakeApp = Callable[..., TermnewsApp]


async def search(pilot, query: str) -> None:
    await settle(pilot)
    await pilot.press(*list(query))
    await settle(pilot)


def headlines(app: TermnewsApp) -> list[str]:
    assert app.results is not None
    return [hit.headline for hit in app.results.hits]


# -- the timeline strip ------------------------------------------------------------------------


async def test_the_strip_shows_the_querys_timeline_once_results_are_up(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.timeline_strip.shown  # every story: no timeline
        await search(pilot, "quillmouth")
        strip = app.timeline_strip
        assert strip.display and strip.timeline is not None
        assert app.results is not None and strip.timeline.total == app.results.total == 2
        assert strip.timeline.bucket == "week"
        assert str(strip.query_one("#timeline-first").render()) == "2023-10-02"
        assert str(strip.query_one("#timeline-last").render()) == "2024-03-02"
        old_results, old_context = app.results, app._query_context
        assert old_context is not None
        await pilot.press("escape")  # the query cleared: every story again
        await settle(pilot)
        assert not app.timeline_strip.shown
        # A timeline that arrives for results no longer shown is dropped.
        app.post_message(ContextDone(old_results, old_context))
        await pilot.pause()
        assert not app.timeline_strip.shown


async def test_no_strip_on_a_short_terminal(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 18)) as pilot:
        await search(pilot, "quillmouth")
        assert app.timeline_strip.shown and not app.timeline_strip.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.timeline_strip.display


# -- facets ----------------------------------------------------------------------------------


async def test_f_picks_a_facet_and_narrows_the_query(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "quillmouth")
        await pilot.press("enter", "f")  # to the list, then the facets
        await settle(pilot)
        await pilot.press("escape")  # closes them, the query as it was
        await settle(pilot)
        assert not isinstance(app.screen, FacetsScreen)
        assert app.query_one(SearchBar).value == "quillmouth"
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FacetsScreen)
        listing = screen.query_one(OptionList)
        ids = [option.id for option in listing.options if not option.disabled]
        assert ids == [
            'agency:"The Canadian Press"',
            "in:QUILLMOUTH",
            'by:"Osric Penhallow"',
            'by:"Marisol Treadwell"',
        ]
        for _ in range(len(listing.options)):
            highlighted = listing.highlighted_option
            if highlighted is not None and highlighted.id == 'by:"Marisol Treadwell"':
                break
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FacetsScreen)
        assert app.query_one(SearchBar).value == 'quillmouth by:"Marisol Treadwell"'
        assert headlines(app) == ["Quillmouth council approves seawall repairs after winter storms"]
        assert isinstance(app.focused, ResultList)


def test_facet_clauses_are_what_the_query_language_reads() -> None:
    assert clause("in", "OTTAWA") == "in:OTTAWA"
    assert clause("in", "KELOWNA, B.C.") == 'in:"KELOWNA, B.C."'
    assert clause("by", 'Ana "Red" Ruiz') == 'by:"Ana Red Ruiz"'
    assert narrowed("", "in:OTTAWA") == "in:OTTAWA"
    assert narrowed("ferry ", "in:OTTAWA") == "ferry in:OTTAWA"


# -- related stories -------------------------------------------------------------------------


async def test_r_lists_related_stories_and_escape_brings_the_results_back(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "j", "j")  # the list, third story
        before = headlines(app)
        source = app.result_list.highlighted_hit
        assert source is not None and app.result_list.cursor == 2
        await pilot.press("r")
        await settle(pilot)
        assert source.headline not in headlines(app)
        assert app.timeline_strip.shown
        assert app.timeline_strip.message == f"Related to “{source.headline}” · Esc: back"
        assert app.result_list.total == len(headlines(app)) > 0
        related = headlines(app)[0]
        await pilot.press("enter")  # opens a related story
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.story is not None and app.screen.story.article.headline == related
        await pilot.press("escape")  # back to the related list
        await settle(pilot)
        assert headlines(app)[0] == related
        await pilot.press("escape")  # back to the results, cursor where it was
        await settle(pilot)
        assert headlines(app) == before
        assert app.result_list.cursor == 2
        assert not app.timeline_strip.shown  # the empty query has no timeline
        assert isinstance(app.focused, ResultList)
        await pilot.press("r")
        await settle(pilot)
        assert app._related_trail
        await pilot.press("f")  # over related stories: the facets of the search beneath
        await settle(pilot)
        assert isinstance(app.screen, FacetsScreen) and app.screen.context.total == 8
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash", *"ferry")  # a new query leaves the related stories
        await settle(pilot)
        assert not app._related_trail
        assert headlines(app) == ["Ferry operator adds winter sailings to Brindle Island"]


async def test_r_in_the_story_view_lists_its_related_stories(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "quillmouth")
        await pilot.press("enter", "enter")  # open the first story
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        opened = app.screen.story
        assert opened is not None
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ArticleScreen)
        assert opened.article.headline not in headlines(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.timeline_strip.timeline is not None  # the query's timeline is back
        assert len(headlines(app)) == 2


async def test_the_palette_offers_related_stories(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "quillmouth")
        await pilot.press("enter", "ctrl+p", *"Related stories")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app._related_trail
        assert app.timeline_strip.message.startswith("Related to “")
