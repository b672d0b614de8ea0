"""Journeys that depend on timing: keys in one read, and a side pane kept in step with the list."""

from __future__ import annotations

import asyncio
import string
from collections.abc import Callable

from textual import events

from termnews.results import SortOrder
from termnews.tui.app import TermnewsApp

from .conftest import settle


def deliver_at_once(app: TermnewsApp, keys: str) -> None:
    """Queue every key before the app handles any, like one read from the terminal."""
    for char in keys:
        key = "slash" if char == "/" else char
        app.post_message(events.Key(key, char))


async def test_slash_then_letters_in_one_read_all_reach_the_search_box(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        assert app.focused is app.result_list
        deliver_at_once(app, "/ferry")
        await settle(pilot)
        assert app.focused is app.search_bar
        assert app.search_bar.value == "ferry"
        assert copied == []  # the `y` of "ferry" typed, it did not copy


async def test_side_pane_follows_the_cursor_story_as_the_query_changes(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = []
        for query in ("quillmout", "quillmouth", "seawall"):
            app.search_bar.value = query
            await settle(pilot)
            cursor_hit = app.result_list.hit_at(app.result_list.cursor)
            assert cursor_hit is not None
            view = app.query_one("#article")
            assert view.article is not None
            assert view.article.path == cursor_hit.path, query
            shown.append(view.article.path)
        assert len(set(shown)) > 1  # the queries put different stories first


async def test_slash_and_letters_from_the_full_screen_article_reach_the_search_box(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "enter")  # to the list, then its first story full screen
        await settle(pilot)
        assert app.screen is not app.screen_stack[0]
        deliver_at_once(app, "/ferry")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        assert app.focused is app.search_bar
        assert app.search_bar.value == "ferry"


async def test_a_word_typed_at_launch_is_a_query(make_app: Callable[..., TermnewsApp]) -> None:
    app = make_app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"seawall")  # `s` would sort and `y`-like keys act in the list
        await settle(pilot)
        assert app.focused is app.search_bar
        assert app.search_bar.value == "seawall"
        assert app.sort == SortOrder.RELEVANCE
        assert app.results is not None and app.results.query == "seawall"
        assert 1 <= app.result_list.total < 8
        headline = app.result_list.hit_at(0)
        assert headline is not None and "seawall" in headline.headline.lower()
        assert copied == []


async def test_letters_typed_in_the_list_go_to_the_search_box_unless_bound_there(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "j")  # to the list; `j` is the list's own
        assert app.focused is app.result_list
        assert app.result_list.cursor == 1
        await pilot.press("s")  # bound: sorts, and the list keeps the focus
        await settle(pilot)
        assert app.sort == SortOrder.NEWEST
        assert app.focused is app.result_list
        deliver_at_once(app, "mile")  # `m` is bound to nothing: the word is a query
        await settle(pilot)
        assert app.focused is app.search_bar
        assert app.search_bar.value == "mile"
        assert app.results is not None and app.results.query == "mile"
        await pilot.press("down", "escape")  # Esc from the list comes back to the box
        assert app.focused is app.search_bar


async def test_clearing_the_query_brings_the_focus_back_to_the_search_box(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"ferry", "enter")
        await settle(pilot)
        assert app.focused is app.result_list
        app.search_bar.value = ""  # as the palette or a future key might
        await settle(pilot)
        assert app.focused is app.search_bar
        assert app.result_list.total == 8


async def test_every_printable_key_in_the_list_is_either_bound_or_typed_into_the_box(
    make_app: Callable[..., TermnewsApp],
) -> None:
    """All of printable ASCII, one key at a time: none is silently lost in the list."""
    from textual.keys import _character_to_key

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        typed = []
        for char in string.printable.strip() + " ":
            key = _character_to_key(char)
            app.search_bar.value = ""
            app.focus_now(app.result_list)
            if key in app.screen.active_bindings:
                continue  # `j`, `s`, `?`... keep their meaning (tested on their own)
            app.post_message(events.Key(key, char))
            for _ in range(1000):  # until handled; a lost key fails below
                if app.search_bar.value:
                    break
                await asyncio.sleep(0.001)
            assert app.focused is app.search_bar, repr(char)
            assert app.search_bar.value == char, repr(char)
            typed.append(char)
        assert "a" in typed and "7" in typed and "," in typed
        assert not {"j", "k", "g", "G", "s", "y", "o", "q", "?", "/", "[", "]"} & set(typed)
