"""The config file in the browser: saved searches with their counts, saving the current query,
keys a person remapped (and what clashed), and a broken file that still lets the browser start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from termnews.settings import load_settings
from termnews.state.store import StateStore
from termnews.tui.app import TermnewsApp
from termnews.tui.screens.help import HelpScreen
from termnews.tui.screens.prompt import PromptScreen
from termnews.tui.screens.saved_searches import SavedSearchesScreen, unread_query

from .conftest import settle

MakeApp = Callable[..., TermnewsApp]

SEARCHES = """\
# Mine: kept as written when a search is saved.
[[searches]]
name = "Quillmouth"
query = "quillmouth"

[[searches]]
name = "Ferries"
query = "ferry"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.toml"


@pytest.fixture
def state(tmp_path: Path) -> Iterator[StateStore]:
    with StateStore(tmp_path / "state.db") as store:
        yield store


def write(config: Path, text: str) -> Path:
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return config


def messages(app: TermnewsApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


def test_unread_is_the_saved_query_narrowed_to_unread_stories() -> None:
    assert unread_query("harbour OR ferry") == "(harbour OR ferry) is:unread"
    assert unread_query("  ") == "is:unread"


async def test_saved_searches_show_total_and_unread_side_by_side_and_run(
    make_app: MakeApp, config: Path, state: StateStore
) -> None:
    app = make_app(settings=load_settings(write(config, SEARCHES)), state=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"quillmouth", "enter")
        await settle(pilot)
        first = app.result_list.hit_at(0)
        assert first is not None
        state.set_read([first.identity], True)  # one of the two Quillmouth stories is read
        await pilot.press("escape", "escape")  # back to every story
        await settle(pilot)
        await pilot.press("down", "S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SavedSearchesScreen)
        assert screen.counts == {0: (2, 1), 1: (1, 1)}
        row = str(screen.option_list.get_option_at_index(0).prompt)
        assert row.split()[:3] == ["Quillmouth", "2", "1"]

        await pilot.press("down", "enter")  # the second: Ferries
        await settle(pilot)
        assert not isinstance(app.screen, SavedSearchesScreen)
        assert app.search_bar.value == "ferry"
        assert app.results is not None and app.results.query == "ferry"
        assert app.result_list.total == 1
        assert app.focused is app.result_list


async def test_ctrl_s_saves_the_query_in_the_config_keeping_its_comments(
    make_app: MakeApp, config: Path
) -> None:
    app = make_app(settings=load_settings(write(config, SEARCHES)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"seawall", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("enter")  # a blank name is refused, the prompt stays
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "needs a name" in app.screen.problem
        await pilot.press(*"Sea walls", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
    saved = load_settings(config)
    assert saved.search("Sea walls") is not None
    assert saved.search("Sea walls").query == "seawall"
    assert config.read_text(encoding="utf-8").startswith("# Mine: kept as written")
    assert [s.name for s in app.settings.searches] == ["Quillmouth", "Ferries", "Sea walls"]


async def test_the_saved_searches_screen_saves_the_current_query_too(
    make_app: MakeApp, config: Path
) -> None:
    app = make_app(settings=load_settings(config))  # no file yet: no searches
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"brindle", "enter", "S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SavedSearchesScreen)
        assert "No saved searches yet" in str(screen.query_one("#searches-empty").content)
        await pilot.press("a", *"Island", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert [s.name for s in screen.searches] == ["Island"]
        assert screen.counts == {0: (1, 1)}
    assert load_settings(config).search("Island").query == "brindle"


async def test_a_broken_config_is_named_with_its_line_and_the_browser_still_starts(
    make_app: MakeApp, config: Path
) -> None:
    write(config, SEARCHES + '\n[keys]\nstar = "x\n')  # an unclosed string on line 11
    app = make_app(settings=load_settings(config))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.result_list.total == 8
        said = messages(app)
        assert len(said) == 1
        title, message = said[0]
        assert title == "Config file problem"
        assert str(config) in message and "line 11" in message
        await pilot.press("down", "asterisk")  # the default keys are in use
        assert app.marks.of(app.result_list.hit_at(0).identity).starred


async def test_a_remapped_key_works_and_a_clash_is_reported_naming_both(
    make_app: MakeApp, config: Path, state: StateStore
) -> None:
    write(config, '[keys]\nstar = "x"\nmark_all_read = "u"\nstarr = "z"\n')
    app = make_app(settings=load_settings(config), state=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        problems = "\n".join(message for _, message in messages(app))
        assert "'u' is bound to both mark_all_read" in problems
        assert "toggle_read (default)" in problems
        assert "there is no action 'starr' (did you mean 'star'?)" in problems
        assert str(config) in problems

        await pilot.press("x")  # typed into the search box, not a star
        await settle(pilot)
        assert app.search_bar.value == "x"
        await pilot.press("backspace")
        await settle(pilot)
        await pilot.press("down", "x")
        hit = app.result_list.hit_at(0)
        assert hit is not None
        assert state.snapshot().of(hit.identity).starred
        await pilot.press("asterisk")  # the old key is no longer bound: it starts a query
        await settle(pilot)
        assert state.snapshot().of(hit.identity).starred
        assert app.focused is app.search_bar and app.search_bar.value == "*"
        await pilot.press("escape", "down")
        await settle(pilot)
        await pilot.press("u")  # now mark_all_read's: it asks
        await settle(pilot)
        assert "Mark 8 stories read?" in app.screen.question
        await pilot.press("n")

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-text").content)
        assert "x           Star" in help_text
        assert "(no key)" in help_text  # toggle_read lost its only key
        footer_keys = set(app.screen_stack[0].active_bindings)
        assert "unbound-by-config" not in footer_keys
