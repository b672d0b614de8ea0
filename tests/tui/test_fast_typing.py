"""Keystrokes that arrive in one read, as a paste or a batching SSH link delivers them."""

from __future__ import annotations

from collections.abc import Callable

from textual import events

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
        assert app.focused is app.result_list
        deliver_at_once(app, "/ferry")
        await settle(pilot)
        assert app.focused is app.search_bar
        assert app.search_bar.value == "ferry"
        assert copied == []  # the `y` of "ferry" typed, it did not copy
