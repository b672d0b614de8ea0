"""What the browser draws again when new results arrive: only what changed.

A keystroke usually keeps most of the rows on screen (often all of them), so the list draws
again only the lines whose story, marks or cursor changed; a layout of the screen (the search
box grows with each letter) leaves the list's scrollbar alone. These tests count the lines
the widgets render, not time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.scrollbar import ScrollBar

from termnews.tui.app import TermnewsApp
from termnews.tui.frames import FrameTimer
from termnews.tui.widgets.results import ROW_HEIGHT, ResultList

from .conftest import settle


def record_lines(widget: ResultList) -> list[int]:
    """The screen lines `widget` renders from now on, in order."""
    drawn: list[int] = []
    render_line = widget.render_line

    def recording(y: int):  # type: ignore[no-untyped-def]
        drawn.append(y)
        return render_line(y)

    widget.render_line = recording  # type: ignore[method-assign]
    return drawn


async def test_the_same_results_again_draw_no_line_of_the_list(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.results
        assert results is not None and app.searcher is not None and results.hits
        drawn = record_lines(app.result_list)
        # Another query with the very same stories, as typing one more letter often gives.
        app.result_list.show(replace(results, query="x"), app.searcher.hits)
        await settle(pilot)
        assert drawn == []


async def test_a_changed_snippet_draws_only_its_line(make_app: Callable[..., TermnewsApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.results
        assert results is not None and app.searcher is not None and len(results.hits) > 2
        hits = list(results.hits)
        hits[1] = replace(hits[1], snippet="Changed: " + hits[1].snippet, snippet_spans=())
        drawn = record_lines(app.result_list)
        app.result_list.show(replace(results, hits=tuple(hits)), app.searcher.hits)
        await settle(pilot)
        assert drawn == [1 * ROW_HEIGHT + 2]  # row 1's third line, its snippet
        assert "Changed: " in app.result_list.render_line(ROW_HEIGHT + 2).text


async def test_moving_the_cursor_with_new_results_draws_both_rows(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.results
        assert results is not None and app.searcher is not None and len(results.hits) > 2
        app.result_list.cursor = 2
        await settle(pilot)
        drawn = record_lines(app.result_list)
        app.result_list.show(results, app.searcher.hits)  # the cursor goes back to the top
        await settle(pilot)
        assert sorted(drawn) == [0, 1, 2, 6, 7, 8]


async def test_a_layout_leaves_the_list_scrollbar_alone(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    # 14 rows: the test archive's stories do not fit, so the list has a scrollbar.
    async with app.run_test(size=(80, 14)) as pilot:
        await settle(pilot)
        bar = app.result_list.vertical_scrollbar
        assert app.result_list.show_vertical_scrollbar
        rendered: list[int] = []
        render = ScrollBar.render

        def recording(self: ScrollBar):  # type: ignore[no-untyped-def]
            rendered.append(id(self))
            return render(self)

        ScrollBar.render = recording  # type: ignore[method-assign]
        try:
            app.search_bar.refresh(layout=True)  # what each letter typed does
            await settle(pilot)
        finally:
            ScrollBar.render = render  # type: ignore[method-assign]
        assert id(bar) not in rendered


async def test_the_main_screen_paints_through_the_frame_timer(
    make_app: Callable[..., TermnewsApp],
) -> None:
    """Textual's own update timer is never made: every frame goes through `FrameTimer`
    (if Textual stopped asking `_update_timer` for it, this would fail)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen._frame_timer, FrameTimer)  # type: ignore[attr-defined]
        assert app.screen._Screen__update_timer is None  # type: ignore[attr-defined]


async def test_a_query_longer_than_the_box_scrolls_to_its_end(
    make_app: Callable[..., TermnewsApp],
) -> None:
    """The box's width grows without a layout of the screen: it still scrolls with the
    cursor, so the letters being typed are the ones shown."""
    app = make_app()
    async with app.run_test(size=(40, 24)) as pilot:
        await settle(pilot)
        words = "harbour seawall ferry schedule budget library quota strike"
        await pilot.press(*(" " if c == " " else c for c in words))
        await settle(pilot)
        box = app.search_bar
        assert box.value == words
        assert box.scroll_offset.x > 0
        shown = "".join(box.render_line(0).text)
        assert "quota strike" in shown and "harbour" not in shown
        for _ in words:
            await pilot.press("left")
        await settle(pilot)
        shown = "".join(box.render_line(0).text)
        assert "harbour" in shown and "strike" not in shown


async def test_the_scrollbar_follows_the_number_of_results(
    make_app: Callable[..., TermnewsApp],
) -> None:
    """Fitted without a layout, the scrollbar still shows, sizes and hides with the results."""
    app = make_app()
    async with app.run_test(size=(80, 14)) as pilot:
        await settle(pilot)
        results = app.results
        assert results is not None and app.searcher is not None and len(results.hits) > 4
        rows = app.result_list
        bar = rows.vertical_scrollbar
        assert rows.show_vertical_scrollbar and bar.window_virtual_size == results.rows * 3
        one = replace(results, total=1, hits=results.hits[:1], folded_total=-1)
        rows.show(one, app.searcher.hits)
        await settle(pilot)
        assert not rows.show_vertical_scrollbar  # one story fits: no scrollbar
        assert rows.virtual_size.height == 3
        four = replace(results, total=4, hits=results.hits[:4], folded_total=-1)
        rows.show(four, app.searcher.hits)
        await settle(pilot)
        assert rows.show_vertical_scrollbar and bar.window_virtual_size == 12
        assert bar.window_size == rows.scrollable_content_region.height
        rows.show(results, app.searcher.hits)
        await settle(pilot)
        assert rows.show_vertical_scrollbar and bar.window_virtual_size == results.rows * 3
        # Drawn as a list that was never anything else would be.
        fresh = make_app()
        async with fresh.run_test(size=(80, 14)) as fresh_pilot:
            await settle(fresh_pilot)
            assert fresh.export_screenshot() == app.export_screenshot()
