"""Snapshot tests: what the browser looks like, at 80x24 and 120x40, in colour and NO_COLOR,
with the reading-state glyphs (● unread, ★ starred, #tags) on the rows.

Snapshots are deterministic: fixed story dates and mtimes, timing hidden in the status line,
no cursor blink, animations off. Update them on purpose only (`make snapshots`) and review the
SVG diff.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from termnews.tui.app import TermnewsApp

from .conftest import settle

MakeApp = Callable[..., TermnewsApp]


async def _search(pilot, query: str) -> None:
    """Type `query` straight after launch (the search box has the focus), wait for results."""
    await settle(pilot)
    if query:
        await pilot.press(*list(query))
    await settle(pilot)


def test_list_80x24(snap_compare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=lambda p: _search(p, ""))


def test_search_results_80x24(snap_compare, make_app: MakeApp) -> None:
    async def run_before(pilot) -> None:
        await _search(pilot, "quillmouth")
        await pilot.press("enter")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_article_full_screen_80x24(snap_compare, make_app: MakeApp) -> None:
    async def run_before(pilot) -> None:
        await _search(pilot, "seawall")
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_side_by_side_120x40(snap_compare, make_app: MakeApp) -> None:
    async def run_before(pilot) -> None:
        await _search(pilot, "quillmouth")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)


def test_no_color_120x40(snap_compare, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        await _search(pilot, "brindle")
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)


def test_markup_headline_is_literal_80x24(snap_compare, make_app: MakeApp) -> None:
    async def run_before(pilot) -> None:
        await _search(pilot, "treasure")
        await pilot.press("enter", "enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_help_80x24(snap_compare, make_app: MakeApp) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


async def _mark_some(pilot) -> None:
    """Star the first story, tag the second, read the third: every glyph on one screen."""
    await settle(pilot)
    await pilot.press("down", "asterisk", "j", "t", *"gale", "space", *"harbour", "enter")
    await settle(pilot)
    await pilot.press("j", "u", "j")  # `u` on an unread story reads it
    await pilot.pause()


def test_marks_80x24(snap_compare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_mark_some)


def test_marks_no_color_80x24(
    snap_compare, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_mark_some)
