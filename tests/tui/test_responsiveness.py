"""The browser never waits on the engine: keys are handled and drawn while it is busy.

The searcher's `hits` (a page of rows) and `article` (a story) are made slow, holding the
searcher's lock the way a real slow call would. While one of them is in flight the cursor
still moves and the search box still takes letters, and each key is on screen long before
the slow call could have finished. The rows and the story arrive afterwards on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events

from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync
from termnews.tui.app import TermnewsApp
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.widgets.article_view import LOADING_STORY
from termnews.tui.widgets.results import GUTTER_CURSOR, PAGE_SIZE, PLACEHOLDER, ROW_HEIGHT

from .conftest import settle

#: How long each slow engine call takes.
SLOW_CALL = 0.5
#: Every key must be on screen within this, a fifth of a slow call, so it cannot have waited
#: for one; each test also checks the slow call is still running when the key is drawn.
PAINT_BOUND = SLOW_CALL / 5
#: The browser's own target for a key on screen. The fastest of several keys must meet it: one
#: key on a loaded test machine may miss a frame, but a browser that waited would miss it by
#: the whole slow call every time.
TARGET = 0.050
#: Keys timed per test.
KEYS = 5
#: Enough stories that the end of the list is beyond the rows that come with the results.
STORIES = PAGE_SIZE + 20


class SlowEngine:
    """Wraps `Searcher.hits` and `Searcher.article` so each takes `SLOW_CALL` under the lock."""

    def __init__(self) -> None:
        self._busy = 0
        self._guard = threading.Lock()
        self.calls: list[str] = []
        #: Cleared by a test to keep slow calls running past `SLOW_CALL` until it has timed
        #: its keys, so a busy test machine cannot let the call finish first.
        self.gate = threading.Event()
        self.gate.set()
        #: Set once a test has timed its keys: the calls still queued need not be slow.
        self.done = False

    @property
    def busy(self) -> bool:
        """True while a slow call is running."""
        with self._guard:
            return self._busy > 0

    def wrap(self, name: str, original):  # type: ignore[no-untyped-def]
        engine = self

        def slow(searcher: Searcher, *args, **kwargs):  # type: ignore[no-untyped-def]
            # Under the searcher's lock, as a slow engine call would be: other calls wait.
            with getattr(searcher, "_lock", contextlib.nullcontext()):
                with engine._guard:
                    engine._busy += 1
                    engine.calls.append(name)
                try:
                    if not engine.done:
                        time.sleep(SLOW_CALL)
                    engine.gate.wait(timeout=30)
                    return original(searcher, *args, **kwargs)
                finally:
                    with engine._guard:
                        engine._busy -= 1

        return slow


@pytest.fixture
def slow_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowEngine]:
    engine = SlowEngine()
    for name in ("hits", "article"):
        monkeypatch.setattr(Searcher, name, engine.wrap(name, getattr(Searcher, name)))
    yield engine


@pytest.fixture
def long_index(tmp_path: Path) -> Path:
    """An index of `STORIES` invented stories, one a day, so every sort is deterministic."""
    archive = tmp_path / "long-archive"
    archive.mkdir()
    for number in range(STORIES):
        day = 1 + number % 28
        month = ("March", "April", "May")[number // 28]
        (archive / f"{number:03d}-lantern.txt").write_text(
            f"{month} {day}, 2023\n\n"
            f"Lantern walk number {number} crosses the Tillbury footbridge\n\n"
            f"By Odile Marchetti, The Canadian Press\n\n"
            f"TILLBURY – Walkers carried paper lanterns over the footbridge for the "
            f"{number}th evening, the organisers said.\n",
            encoding="utf-8",
        )
    index = tmp_path / "long-index"
    sync(archive, index)
    return index


async def seconds_to_paint(app: TermnewsApp, key: str, handled) -> float:  # type: ignore[no-untyped-def]
    """Time from a key press until `handled()` holds and the screen has been redrawn.

    The key goes in as the terminal driver delivers it: `pilot.press` adds waits of its own
    (it sleeps until the process looks idle), which would be measured instead of the app.
    """
    started = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    await until(handled)
    painted = asyncio.get_running_loop().create_future()
    app.call_after_refresh(painted.set_result, None)
    await painted
    return time.perf_counter() - started


async def until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for `condition()` to hold (a worker thread to get going), failing after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.0005)


def row_line(app: TermnewsApp, row: int, part: int = 0) -> str:
    """The text of line `part` of story `row`, as the list draws it at its scroll offset."""
    results = app.result_list
    return results.render_line(row * ROW_HEIGHT + part - round(results.scroll_offset.y)).text


async def test_the_cursor_moves_while_a_story_loads(
    long_index: Path, slow_engine: SlowEngine
) -> None:
    app = TermnewsApp(long_index, None, sync=False, show_timing=False, debounce=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down")  # from the search box to the list
        slow_engine.gate.clear()
        await pilot.press("j")  # the side pane starts loading the second story
        await until(lambda: slow_engine.busy)
        times = []
        for row in range(2, 2 + KEYS):
            times.append(
                await seconds_to_paint(app, "j", lambda r=row: app.result_list.cursor == r)
            )
            assert slow_engine.busy, "the story load finished first: nothing was tested"
            assert row_line(app, row).startswith(GUTTER_CURSOR.strip())
        slow_engine.done = True
        slow_engine.gate.set()
        assert max(times) < PAINT_BOUND, times
        assert min(times) < TARGET, times
        await settle(pilot)
        last = 1 + KEYS
        shown = app.article_pane.article
        hit = app.result_list.hit_at(last)
        assert shown is not None and hit is not None and shown.headline == hit.headline


async def test_typing_goes_on_while_rows_load(long_index: Path, slow_engine: SlowEngine) -> None:
    app = TermnewsApp(long_index, None, sync=False, show_timing=False, debounce=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.result_list.total == STORIES
        slow_engine.gate.clear()
        await pilot.press("down", "G")  # the last rows are not loaded: their page is fetched
        await until(lambda: slow_engine.busy)
        last = STORIES - 1
        assert app.result_list.cursor == last
        assert row_line(app, last).strip().endswith(PLACEHOLDER)

        await pilot.press("escape")  # back to the search box, the page still on its way
        times = []
        for typed in ("w", "wa", "wal", "walk", "walke"):
            times.append(
                await seconds_to_paint(app, typed[-1], lambda t=typed: app.search_bar.value == t)
            )
            assert slow_engine.busy, "the page arrived first: nothing was tested"
        slow_engine.done = True
        slow_engine.gate.set()
        assert max(times) < PAINT_BOUND, times
        assert min(times) < TARGET, times

        for _ in range(KEYS):
            await pilot.press("backspace")
        await settle(pilot)
        assert app.search_bar.value == ""
        assert app.results is not None and app.results.total == STORIES
        assert "hits" in slow_engine.calls


async def test_rows_arrive_after_a_jump_to_the_end(
    long_index: Path, slow_engine: SlowEngine
) -> None:
    app = TermnewsApp(long_index, None, sync=False, show_timing=False, debounce=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "G")
        await until(lambda: slow_engine.busy)
        assert row_line(app, STORIES - 1).strip().endswith(PLACEHOLDER)
        await settle(pilot)
        oldest = row_line(app, STORIES - 1)
        assert "Lantern walk number 0 crosses" in oldest
        assert PLACEHOLDER not in oldest.split("Lantern")[0]


async def test_a_slow_story_says_it_is_loading_and_esc_still_closes_it(
    long_index: Path, slow_engine: SlowEngine
) -> None:
    app = TermnewsApp(long_index, None, sync=False, show_timing=False, debounce=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # the article screen opens before its story
        assert isinstance(app.screen, ArticleScreen)
        view = app.screen.view
        await until(lambda: LOADING_STORY in view.render_line(1).text)
        assert slow_engine.busy and view.article is None

        await pilot.press("escape")  # closed while the story is still on its way
        assert not isinstance(app.screen, ArticleScreen)
        await settle(pilot)
        assert not isinstance(app.screen, ArticleScreen)  # its arrival did not reopen it
        assert app.focused is app.result_list
