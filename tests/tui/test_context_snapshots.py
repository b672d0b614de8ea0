"""Snapshots of the query's context: the timeline strip, the facets panel, related stories.

As in `test_snapshots.py`: fixed story dates, timing hidden, no blink. Update on purpose only
(`make snapshots`) and review the SVG diff.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from termnews.tui.app import TermnewsApp

from .conftest import settle

MakeApp = Callable[..., TermnewsApp]
#: Matches stories over more than a year (monthly bars) from five agencies and places.
QUERY = "said"


async def _search(pilot, query: str) -> None:
    await settle(pilot)
    await pilot.press(*list(query))
    await settle(pilot)


async def _facets(pilot) -> None:
    await _search(pilot, QUERY)
    await pilot.press("enter", "f")
    await settle(pilot)


def test_timeline_80x24(snap_compare, make_app: MakeApp) -> None:
    assert snap_compare(
        make_app(), terminal_size=(80, 24), run_before=lambda pilot: _search(pilot, QUERY)
    )


def test_timeline_no_color_120x40(
    snap_compare, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(
        make_app(), terminal_size=(120, 40), run_before=lambda pilot: _search(pilot, QUERY)
    )


def test_facets_80x24(snap_compare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_facets)


def test_facets_120x40(snap_compare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_facets)


def test_related_80x24(snap_compare, make_app: MakeApp) -> None:
    async def run_before(pilot) -> None:
        await _search(pilot, "quillmouth")
        await pilot.press("enter", "r")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
