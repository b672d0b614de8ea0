"""Reading state in the browser: opening reads, `u` `*` `t` `A` mark, and every change is saved
the moment it shows; a state database that cannot be used leaves the browser read-only."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from termnews.state.store import StateStore
from termnews.tui.app import TermnewsApp
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.screens.confirm import ConfirmScreen
from termnews.tui.screens.prompt import PromptScreen
from termnews.tui.widgets.results import ROW_HEIGHT, STARRED_MARK, UNREAD_MARK, ResultList

from .conftest import settle

MakeApp = Callable[..., TermnewsApp]


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.db"


@pytest.fixture
def state(state_path: Path) -> Iterator[StateStore]:
    with StateStore(state_path) as store:
        yield store


def headline_line(results: ResultList, index: int) -> str:
    """The first line of row `index` as the screen shows it (row must be on screen)."""
    return results.render_line(index * ROW_HEIGHT - round(results.scroll_offset.y)).text


def marks_shown(results: ResultList, index: int) -> str:
    """The marks column of row `index`: two characters after the cursor gutter."""
    return headline_line(results, index)[2:4]


def notifications(app: TermnewsApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def reopened(path: Path) -> StateStore:
    """A second connection, as another termnews would have: sees only what was committed."""
    return StateStore(path)


async def test_opening_a_story_marks_it_read_and_u_makes_it_unread_again(
    make_app: MakeApp, state: StateStore, state_path: Path
) -> None:
    app = make_app(state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.result_list
        hit = results.hit_at(0)
        assert hit is not None and hit.identity
        assert marks_shown(results, 0) == f"{UNREAD_MARK} "

        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        with reopened(state_path) as other:  # written at once, not at exit
            assert other.state_of(hit.identity).read
        await pilot.press("escape")
        assert marks_shown(results, 0) == "  "

        await pilot.press("u")
        assert marks_shown(results, 0) == f"{UNREAD_MARK} "
        with reopened(state_path) as other:
            assert not other.state_of(hit.identity).read
        await pilot.press("u")
        assert marks_shown(results, 0) == "  "


async def test_star_and_unstar_the_highlighted_story(
    make_app: MakeApp, state: StateStore, state_path: Path
) -> None:
    app = make_app(state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "j", "asterisk")
        results = app.result_list
        hit = results.hit_at(1)
        assert hit is not None
        assert marks_shown(results, 1) == f"{UNREAD_MARK}{STARRED_MARK}"
        assert marks_shown(results, 0) == f"{UNREAD_MARK} "  # only the highlighted row
        with reopened(state_path) as other:
            assert other.state_of(hit.identity).starred
            assert not other.state_of(hit.identity).read  # starring is not reading
        await pilot.press("asterisk")
        assert marks_shown(results, 1) == f"{UNREAD_MARK} "
        with reopened(state_path) as other:
            assert not other.state_of(hit.identity).starred


async def test_the_marking_keys_are_typed_while_the_search_box_has_the_focus(
    make_app: MakeApp, state: StateStore
) -> None:
    app = make_app(state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is app.search_bar
        await pilot.press("u", "asterisk", "t", "A", "S")
        await settle(pilot)
        assert app.search_bar.value == "u*tAS"
        assert not isinstance(app.screen, PromptScreen | ConfirmScreen)
        assert state.snapshot().read == frozenset()
        assert state.snapshot().starred == frozenset()


async def test_tag_prompt_adds_and_removes_and_refuses_a_bad_name(
    make_app: MakeApp, state: StateStore, state_path: Path
) -> None:
    state.add_tag(["0" * 32], "harbour")  # a tag in use elsewhere: the prompt completes it
    app = make_app(state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "t")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        await pilot.press("h", "a", "tab")  # completes to the tag in use
        await pilot.pause()
        box = prompt.query_one("#prompt-input")
        assert box.value == "harbour"
        await pilot.press("space", *"Storm", "space", *"bad:name", "enter")
        await pilot.pause()
        assert app.screen is prompt  # refused: still open, and says why
        assert "bad:name" in prompt.problem
        for _ in "bad:name":
            await pilot.press("backspace")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)

        hit = app.result_list.hit_at(0)
        assert hit is not None
        with reopened(state_path) as other:
            assert other.state_of(hit.identity).tags == {"harbour", "storm"}
        assert any("Tagged harbour, storm" in text for text in notifications(app))

        await pilot.press("t", *"-harbour", "enter")
        await settle(pilot)
        with reopened(state_path) as other:
            assert other.state_of(hit.identity).tags == {"storm"}

        await pilot.press("t", "escape")  # Esc changes nothing
        await settle(pilot)
        with reopened(state_path) as other:
            assert other.state_of(hit.identity).tags == {"storm"}


async def test_tags_show_on_the_row_when_there_is_room(
    make_app: MakeApp, state: StateStore
) -> None:
    app = make_app(state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "t", *"gale", "enter")
        await settle(pilot)
        meta = app.result_list.render_line(1).text
        assert "#gale" in meta


async def test_mark_all_read_asks_with_the_count_and_marks_every_match(
    make_app: MakeApp, state: StateStore, state_path: Path
) -> None:
    app = make_app(state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"quillmouth", "enter")
        await settle(pilot)
        total = app.result_list.total
        assert total >= 2
        await pilot.press("A")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert f"Mark {total} stories read? y/n" in confirm.question
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert state.snapshot().read == frozenset()

        await pilot.press("A")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        identities = {app.result_list.hit_at(i).identity for i in range(total)}
        with reopened(state_path) as other:
            assert other.snapshot().read == identities  # these and no others
        assert all(marks_shown(app.result_list, i) == "  " for i in range(total))
        assert any(f"Marked {total} stories read" in text for text in notifications(app))

        await pilot.press("A")  # nothing left to mark: no question
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("read already" in text for text in notifications(app))


async def test_the_article_screen_marks_the_story_it_shows(
    make_app: MakeApp, state: StateStore
) -> None:
    app = make_app(state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        story = app.screen.story
        assert story is not None and story.identity
        await pilot.press("asterisk", "u")
        await settle(pilot)
        marks = state.snapshot().of(story.identity)
        assert marks.starred and not marks.read
        status = str(app.screen.query_one("#article-status").content)
        assert "● unread" in status and "★ starred" in status
        await pilot.press("t", *"ferry", "enter")
        await settle(pilot)
        assert state.snapshot().of(story.identity).tags == {"ferry"}
        assert "#ferry" in str(app.screen.query_one("#article-status").content)


async def test_marks_from_another_program_show_after_the_next_search(
    make_app: MakeApp, state: StateStore, state_path: Path
) -> None:
    app = make_app(state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hit = app.result_list.hit_at(0)
        assert hit is not None
        with reopened(state_path) as other:
            other.set_starred([hit.identity], True)
        await pilot.press("space", "backspace")  # any search reads the state afresh
        await settle(pilot)
        assert marks_shown(app.result_list, 0) == f"{UNREAD_MARK}{STARRED_MARK}"


async def test_a_damaged_state_database_is_left_alone_and_the_browser_is_read_only(
    make_app: MakeApp, state_path: Path
) -> None:
    state_path.parent.mkdir(parents=True)
    damaged = b"SQLite format 3\x00" + bytes(range(256)) * 8
    state_path.write_bytes(damaged)
    with StateStore.open_or_fallback(state_path) as state:
        assert state.read_only
        app = make_app(state=state)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            said = "\n".join(notifications(app))
            titles = [notification.title for notification in app._notifications]
            assert str(state_path) in said and "Reading state is read-only" in titles
            assert "marks read-only" in str(app.status.content)
            await pilot.press("down", "enter")  # opening works; it marks nothing
            await settle(pilot)
            await pilot.press("escape", "u")
            await settle(pilot)
            assert any("Cannot change marks" in text for text in notifications(app))
            assert marks_shown(app.result_list, 0) == f"{UNREAD_MARK} "
    assert state_path.read_bytes() == damaged
    assert sorted(path.name for path in state_path.parent.iterdir()) == ["state.db"]


async def test_side_by_side_a_preview_is_not_a_read_but_enter_is(
    make_app: MakeApp, state: StateStore
) -> None:
    app = make_app(state=state)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "j")  # the pane follows the cursor: previews
        await settle(pilot)
        assert app.article_pane.story is not None
        assert state.snapshot().read == frozenset()
        assert marks_shown(app.result_list, 1) == f"{UNREAD_MARK} "
        await pilot.press("enter")  # into the pane: read
        await settle(pilot)
        hit = app.result_list.hit_at(1)
        assert hit is not None
        assert state.snapshot().read == {hit.identity}
        assert marks_shown(app.result_list, 1) == "  "
        await pilot.press("asterisk")  # the pane's story, with the pane focused
        assert state.snapshot().starred == {hit.identity}
        assert marks_shown(app.result_list, 1) == f" {STARRED_MARK}"


class SlowStore(StateStore):
    """A store whose bulk marking takes a while, as 100,000 stories on a slow disk would."""

    def set_read(self, identities, read, headlines=None):  # type: ignore[no-untyped-def]
        identities = list(identities)
        if len(identities) > 1:
            time.sleep(0.5)
        return super().set_read(identities, read, headlines)


async def test_quitting_while_mark_all_is_being_written_waits_for_it(
    make_app: MakeApp, state_path: Path
) -> None:
    with SlowStore(state_path) as state:
        app = make_app(state=state)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            total = app.result_list.total
            await pilot.press("down", "A")
            await settle(pilot)
            await pilot.press("y", "ctrl+q")  # at once, while the worker sleeps
            await pilot.pause()
        with reopened(state_path) as other:
            assert len(other.snapshot().read) == total
