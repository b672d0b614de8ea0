"""Copies in the browser, driven by keys: folded rows (+N), `c`, the Copies section, `C`,
Enter on a copy and `d`'s paragraph diff, on a real index holding two seawall reprints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reprints_support import write_reprints
from termnews.engine.sync import sync
from termnews.tui.app import TermnewsApp
from termnews.tui.screens.copies import CopiesScreen
from termnews.tui.screens.copies_diff import CopyDiffScreen
from termnews.tui.story import COPIES_HEADING
from termnews.tui.widgets.results import ResultList

from .conftest import copy_archive, settle, status_text

MakeApp = Callable[..., TermnewsApp]


@pytest.fixture
def copies_app(tmp_path: Path) -> MakeApp:
    """An app on the browser tests' stories and two copies of the seawall story."""
    archive = copy_archive(tmp_path / "archive")
    write_reprints(archive)
    sync(archive, tmp_path / "index")

    def factory(**overrides: object) -> TermnewsApp:
        options: dict[str, object] = {"sync": False, "show_timing": False, "debounce": 0.0}
        options.update(overrides)
        return TermnewsApp(tmp_path / "index", archive, **options)  # type: ignore[arg-type]

    return factory


def row_text(results: ResultList, line: int) -> str:
    return results.render_line(line).text


async def search(pilot, query: str) -> None:
    await settle(pilot)
    await pilot.press(*list(query), "enter")  # Enter: to the list
    await settle(pilot)


async def test_copies_fold_into_one_row_and_c_shows_every_copy(copies_app: MakeApp) -> None:
    app = copies_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "seawall")
        rows = app.result_list
        assert rows.total == 2
        assert rows.hit_at(0).folded == 2
        assert row_text(rows, 1).rstrip().endswith("· +2")
        assert status_text(app).startswith("4 stories · 2 after folding copies · best match")
        story = rows.hit_at(0).path

        await pilot.press("c")
        await settle(pilot)
        assert rows.total == 4
        assert rows.hit_at(rows.cursor).path == story  # the cursor stayed on its story
        assert "+2" not in row_text(rows, 1)
        assert status_text(app).startswith("4 results · every copy")

        await pilot.press("j", "j")  # onto another copy of it
        await settle(pilot)
        copy = rows.hit_at(rows.cursor)
        assert copy.cluster == rows.hit_at(0).cluster and copy.path != story
        await pilot.press("c")
        await settle(pilot)
        assert rows.total == 2 and rows.cursor == 0  # on the row it is folded into


async def test_story_lists_its_copies_and_c_opens_diffs_and_copies(copies_app: MakeApp) -> None:
    app = copies_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "seawall")
        await pilot.press("enter")  # open the story, full screen
        await settle(pilot)
        story = app._story
        # The reworded copy ranks first for "seawall" (a short headline that says it).
        assert story is not None and story.path.endswith("10-seawall-reworded.txt")
        assert len(story.copies) == 2
        texts = [block.text for block in story.blocks]
        heading = next(i for i, text in enumerate(texts) if text.startswith(COPIES_HEADING))
        assert heading == len(texts) - 3
        assert "Tidewater News Agency · Mar 3, 2024 · Storm-battered" in texts[-1]

        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, CopiesScreen)
        listed = app.screen.copies
        assert listed is not None and len(listed) == 2
        assert listed[0].path.endswith("01-harbour-seawall.txt")  # oldest first

        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, CopyDiffScreen)
        kinds = [change.kind for change in app.screen.changes]
        assert kinds == ["same", "changed", "same", "removed"]
        await pilot.press("escape")
        assert isinstance(app.screen, CopiesScreen)

        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CopiesScreen)
        assert app._story is not None and app._story.path.endswith("01-harbour-seawall.txt")
        assert len(app._story.copies) == 2  # the two reprints


async def test_a_story_without_copies_says_so(copies_app: MakeApp) -> None:
    app = copies_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "ferry")
        await pilot.press("C")
        await settle(pilot)
        assert not isinstance(app.screen, CopiesScreen)
        assert any("no copies" in n.message for n in app._notifications)


async def test_mark_all_read_marks_every_copy_and_says_so(copies_app: MakeApp) -> None:
    from termnews.tui.screens.confirm import ConfirmScreen

    app = copies_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "seawall")
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("Mark 4 stories read?")
        assert "Copies folded into the 2 rows included." in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("c")  # every copy shown: each of them is read
        await settle(pilot)
        rows = app.result_list
        assert rows.total == 4
        assert all(app.marks.of(rows.hit_at(i).identity).read for i in range(4))


async def test_the_fold_key_is_configurable(copies_app: MakeApp) -> None:
    from termnews.settings import Settings

    app = copies_app(settings=Settings(keys={"toggle_copies": ("x",)}))
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "seawall")
        assert app.result_list.total == 2
        await pilot.press("x")
        await settle(pilot)
        assert app.result_list.total == 4
        assert app.keys.keys["toggle_copies"] == ("x",)


async def test_the_copies_heading_names_the_key_in_effect(copies_app: MakeApp) -> None:
    from termnews.settings import Settings

    app = copies_app(settings=Settings(keys={"copies": ("K",)}))
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "seawall")
        story = app._story  # the first row, previewed beside the list
        assert story is not None and story.copies
        heading = next(b.text for b in story.blocks if b.text.startswith(COPIES_HEADING))
        assert heading == "Copies (2) · K to compare"
        await pilot.press("K")
        await settle(pilot)
        assert isinstance(app.screen, CopiesScreen)


# -- snapshots: the +N marker, the Copies section and the diff, at 80x24 and 120x40 ---------


async def _open_top_story(pilot, query: str) -> None:
    await search(pilot, query)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_folded_row(snap_compare, copies_app: MakeApp, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        await search(pilot, "seawall")

    assert snap_compare(copies_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_copies_section(snap_compare, copies_app: MakeApp, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        await _open_top_story(pilot, "seawall")
        await pilot.press("G")  # the end of the story, where its copies are listed
        await pilot.pause()

    assert snap_compare(copies_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_diff(snap_compare, copies_app: MakeApp, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        await _open_top_story(pilot, "seawall")
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(copies_app(), terminal_size=size, run_before=run_before)
