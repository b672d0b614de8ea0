"""What the browser does before its first frame: as little as the first frame needs.

The first frame's time is measured by `benchmarks/bench_ui.py`; these tests keep the work
that was taken off that path from coming back: styling the screen twice for a theme given
at start, opening the index (and loading the engine) before the frame is painted, styling
the hidden timeline strip's parts, and loading command modules or screens the first frame
does not use.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from termnews import cli
from termnews.tui.app import TermnewsApp
from termnews.tui.collector import pause_collector, resume_collector
from termnews.tui.widgets.timeline import TimelineStrip

from .conftest import settle


async def test_a_theme_given_at_start_styles_the_screen_once(
    make_app: Callable[..., TermnewsApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    reparsed: list[Stylesheet] = []
    original = Stylesheet.reparse

    def counting_reparse(self: Stylesheet) -> None:
        reparsed.append(self)
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counting_reparse)
    app = make_app(theme="ansi-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "ansi-dark"
        assert app.current_theme.name == "ansi-dark"
        assert {"-theme-ansi-dark", "-dark-mode"} <= app.classes
        assert app.native_ansi_color  # ANSI colours go to the terminal as they are
        assert (
            app.stylesheet._variables["background"]
            == app.current_theme.to_color_system().generate()["background"]
        )
        assert reparsed == []


async def test_the_index_opens_once_the_first_frame_is_painted(
    make_app: Callable[..., TermnewsApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    happened: list[str] = []
    display, open_index = TermnewsApp._display, TermnewsApp._open_index

    def painting(self: TermnewsApp, *args: object) -> None:
        if args[-1] is not None:  # a frame with something in it
            happened.append("frame")
        display(self, *args)  # type: ignore[arg-type]

    def opening(self: TermnewsApp, *args: object, **kwargs: object) -> object:
        happened.append("open")
        return open_index(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(TermnewsApp, "_display", painting)
    monkeypatch.setattr(TermnewsApp, "_open_index", opening)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.results is not None  # opened all the same, and searched
    assert "open" in happened and happened.index("frame") < happened.index("open")


async def test_the_timeline_strip_has_no_parts_until_it_shows_something(
    make_app: Callable[..., TermnewsApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        strip = app.query_one("#timeline", TimelineStrip)
        assert not strip.children
        await settle(pilot)  # every story, newest first: no timeline for that
        assert not strip.children
        strip.show_message("Related to one story")
        await pilot.pause()
        assert strip.shown and len(strip.children) == 5


async def test_the_collector_held_for_start_up_runs_again_once_the_first_frame_is_out(
    make_app: Callable[..., TermnewsApp],
) -> None:
    pause_collector()
    try:
        assert not gc.isenabled()
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
    finally:
        resume_collector()
        gc.enable()


def test_the_browse_command_leaves_the_collector_on_however_it_ends(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[bool] = []

    def fake_run(self: TermnewsApp) -> None:
        seen.append(gc.isenabled())  # what the app's own start-up would find

    monkeypatch.setattr(TermnewsApp, "run", fake_run)
    # The command sets Textual's frame rate; this test process gets its own back after.
    monkeypatch.setenv("TEXTUAL_FPS", "unset")
    monkeypatch.delenv("TEXTUAL_FPS")
    monkeypatch.setenv("TERMNEWS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TERMNEWS_CONFIG", str(tmp_path / "config.toml"))
    assert cli.main(["browse", "--index-dir", str(tmp_path / "index"), "--no-sync"]) == 0
    assert seen == [False] and gc.isenabled()
    assert cli.main(["browse", str(tmp_path / "no-such-folder")]) == 2
    assert gc.isenabled()


def loaded_after(code: str) -> set[str]:
    """The `termnews` modules a fresh interpreter has loaded after running `code`."""
    script = f"{code}\nimport sys\nprint(' '.join(m for m in sys.modules if 'termnews' in m))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(result.stdout.split())


def test_a_named_command_loads_no_other_command_module() -> None:
    loaded = loaded_after("import termnews.cli as cli\ncli.build_parser('browse')")
    commands = {name for name in loaded if name.startswith("termnews.commands.")}
    assert commands == {"termnews.commands.browse"}


def test_the_browser_loads_no_engine_code_and_no_screen_it_does_not_show_at_start() -> None:
    loaded = loaded_after("import termnews.tui.app")
    assert not {name for name in loaded if name.startswith("termnews.engine")}
    later = {"help", "facets", "copies", "copies_diff", "prompt", "confirm", "saved_searches"}
    assert not {f"termnews.tui.screens.{name}" for name in later} & loaded


def test_a_command_alone_has_the_same_options_as_in_the_whole_command_line() -> None:
    from termnews.cli import build_parser

    def browse_help(parser: object) -> str:
        subparsers = next(
            action
            for action in parser._subparsers._group_actions  # type: ignore[attr-defined]
            if action.dest == "command"
        )
        return str(subparsers.choices["browse"].format_help())

    assert browse_help(build_parser("browse")) == browse_help(build_parser())
