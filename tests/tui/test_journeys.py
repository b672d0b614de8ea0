"""Pilot journeys: the real app, driven by keys, on a real index of our own stories."""

from __future__ import annotations

import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from termnews.engine.sync import sync
from termnews.results import SortOrder
from termnews.tui.app import TermnewsApp
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.screens.help import HelpScreen
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.results import ResultList
from termnews.tui.widgets.search_bar import SearchBar

from .conftest import settle, status_text

MakeApp = Callable[..., TermnewsApp]


def notifications(app: TermnewsApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def row_text(results: ResultList, line: int) -> str:
    return results.render_line(line).text


def match_total(app: TermnewsApp) -> int:
    """How many matches the status line says the story on screen has."""
    found = re.search(r"(\d+) matches|match \d+/(\d+)", status_text(app))
    assert found is not None, status_text(app)
    return int(found.group(1) or found.group(2))


async def type_query(pilot, text: str) -> None:
    """Type `text` as a query: straight away from the search box, after `/` from elsewhere."""
    if pilot.app.focused is not pilot.app.search_bar:
        await pilot.press("slash")
    await pilot.press(*list(text))
    await settle(pilot)


async def test_empty_query_lists_every_story_newest_first(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.result_list
        assert results.total == 8
        dates = [results.hit_at(i).published or "" for i in range(7)]
        assert dates == sorted(dates, reverse=True)
        assert "Quillmouth council approves seawall" in row_text(results, 0)
        assert "Mar 2, 2024" in row_text(results, 1)
        assert status_text(app).startswith("8 results · newest first")
        assert " ms" not in status_text(app)  # timing hidden for deterministic tests


async def test_search_open_next_match_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "seawall")
        assert isinstance(app.focused, SearchBar)
        assert app.results is not None and app.results.query == "seawall"
        assert 1 <= app.result_list.total < 8
        headlines = [app.result_list.hit_at(i).headline for i in range(app.result_list.total)]
        assert any("seawall" in headline.lower() for headline in headlines)

        await pilot.press("down")
        assert isinstance(app.focused, ResultList)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        view = app.screen.query_one(ArticleView)
        assert view.article is not None
        total = match_total(app)
        assert total >= 2
        assert f"{total} matches" in status_text(app)

        await pilot.press("n")
        assert view.current_match == 0
        assert f"match 1/{total}" in status_text(app)
        await pilot.press("n")
        assert f"match 2/{total}" in status_text(app)
        await pilot.press("N")
        assert f"match 1/{total}" in status_text(app)

        await pilot.press("escape")
        assert not isinstance(app.screen, ArticleScreen)
        assert isinstance(app.focused, ResultList)
        await pilot.press("escape")
        assert isinstance(app.focused, SearchBar)
        await pilot.press("escape")  # clears the query: every story again
        await settle(pilot)
        assert app.search_bar.value == ""
        assert app.result_list.total == 8
        await pilot.press("escape")  # nothing left to clear: the box keeps the focus
        assert isinstance(app.focused, SearchBar)


async def test_article_shows_byline_dateline_and_trailers(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "brindle")
        await pilot.press("enter", "enter")
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        lines = [view.render_line(y).text.strip() for y in range(8)]
        assert lines[0] == "Ferry operator adds winter sailings to Brindle Island"
        assert "By Ana Ruiz and Ben Holt · The Canadian Press" in lines
        assert "OTTAWA · Thursday, January 25, 2024" in lines
        await pilot.press("space")
        assert view.scroll_offset.y > 0 or view.max_scroll_y == 0


async def test_next_and_previous_result_from_the_article(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "enter")  # to the list, then open its first story
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        first = view.article
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert view.article is not None and view.article.path != first.path
        assert app.result_list.cursor == 1
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert view.article.path == first.path


async def test_sort_cycles_and_searches_again(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "quillmouth")
        await pilot.press("enter")  # to the list, so `s` is a key and not a letter
        assert app.sort == SortOrder.RELEVANCE
        await pilot.press("s")
        await settle(pilot)
        assert app.sort == SortOrder.NEWEST
        assert app.results is not None and app.results.sort == SortOrder.NEWEST
        total = app.result_list.total
        dates = [app.result_list.hit_at(i).published or "" for i in range(total)]
        assert dates == sorted(dates, reverse=True)
        assert "newest first" in status_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert app.results.sort == SortOrder.OLDEST
        dates = [app.result_list.hit_at(i).published or "" for i in range(app.result_list.total)]
        assert dates == sorted(dates)


async def test_help_is_generated_from_the_bindings(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")  # `?` would be typed: the search box has the focus
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").content)
        for description in (
            "Next match",
            "Copy",
            "Sort",
            "Quit (always)",
            "Command palette",
            "Type into the search box",
        ):
            assert description in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("down", "question_mark")  # from the list, `?` is the help key
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.search_bar.value == ""


async def test_pager_receives_the_article(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "pager-input.txt"
    stub = tmp_path / "stub-pager"
    stub.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"open({str(record)!r}, 'wb').write(sys.stdin.buffer.read())\n"
    )
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGER", str(stub))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "brindle")
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
    text = record.read_text(encoding="utf-8")
    assert text.startswith("Ferry operator adds winter sailings to Brindle Island\n")
    assert "By Ana Ruiz and Ben Holt · The Canadian Press" in text
    assert "two extra winter sailings" in text


async def test_missing_pager_is_a_notification(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGER", "/nonexistent/pager")
    monkeypatch.setenv("PATH", "/nonexistent")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "o")  # from the list: the highlighted story, read first
        await settle(pilot)
        assert any("No pager found" in message for message in notifications(app))
        assert app.is_running


async def test_copy_puts_the_article_on_the_clipboard(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "brindle")
        await pilot.press("enter", "y")
        await settle(pilot)
        assert app.clipboard.startswith("Ferry operator adds winter sailings")
        assert "Residents had complained" in app.clipboard


async def test_q_types_in_the_search_box_and_quits_from_the_list(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        assert app.search_bar.value == "q"
        assert app.is_running
        await pilot.press("escape", "down")  # clear, then to the list
        assert isinstance(app.focused, ResultList)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_quits_while_typing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a", "ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_wide_terminal_shows_list_and_article_side_by_side(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.query_one("#article", ArticleView)
        assert pane.display and pane.region.width > 0
        assert app.result_list.region.x < pane.region.x
        assert pane.article is not None  # the highlighted story is previewed
        first = pane.article.path
        await pilot.press("down", "j")
        await settle(pilot)
        assert pane.article.path != first
        await pilot.press("enter")
        assert app.focused is pane
        assert not isinstance(app.screen, ArticleScreen)
        await pilot.press("escape")
        assert isinstance(app.focused, ResultList)


async def test_sync_runs_in_a_worker_and_fills_the_list(archive: Path, tmp_path: Path) -> None:
    app = TermnewsApp(tmp_path / "fresh-index", archive, sync=True, show_timing=False, debounce=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.result_list.total == 8
        assert "8 results" in status_text(app)


async def test_missing_index_is_a_notification_not_a_crash(tmp_path: Path) -> None:
    app = TermnewsApp(tmp_path / "no-index", None, sync=False, show_timing=False, debounce=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert notifications(app)
        await pilot.press("slash", "x", "enter", "enter", "o", "y", "s")
        await settle(pilot)
        assert app.is_running


async def test_unparseable_query_is_not_a_crash(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, '"unbalanced (by: AND OR')
        assert app.is_running
        assert app.results is not None


async def test_resync_picks_up_a_new_story(
    make_app: MakeApp, archive: Path, index_dir: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.result_list.total == 8
        (archive / "09-new.txt").write_text(
            "May 5, 2024\n\nOrchard growers in Tillbury brace for late frost\n\n"
            "By Perpetua Vance, The Canadian Press\n\n"
            "TILLBURY – Apple growers lit smudge pots overnight.\n",
            encoding="utf-8",
        )
        app.action_resync()
        await settle(pilot)
        assert app.result_list.total == 9


async def test_markup_in_a_headline_is_shown_literally(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "treasure")
        assert "[bold]x[/] marks the spot" in row_text(app.result_list, 0)
        await pilot.press("enter", "enter")
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        assert view.render_line(0).text.strip().startswith("[bold]x[/] marks the spot")


def test_index_is_real(index_dir: Path, archive: Path) -> None:
    """Guard: the fixtures index the real files (a second sync finds nothing to do)."""
    report = sync(archive, index_dir)
    assert (report.new, report.changed, report.removed) == (0, 0, 0)


async def test_the_engine_warms_up_once_the_first_results_are_up(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from termnews.engine.searcher import Searcher

    loads: list[str] = []
    monkeypatch.setattr(Searcher, "warm_up", lambda self: loads.append(app.query_text))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert loads == [""]  # after the first (empty) query's results, before any typing
        await pilot.press(*"seawall")
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert loads == [""]  # once is enough
