"""The real `termnews` in a real terminal (tmux): a word typed at launch is a query, and marks
survive a restart.

The pilot tests drive the app inside the test process; this one runs the installed command
the way a person does, with its own tmux server (a socket in the test's temporary dir, so a
tmux the developer has open is never touched) and every cache and state path pointed into
the temporary dir. The screen is polled until the results show; the timeout is generous
because it only bounds a failure, it does not measure anything.
"""

from __future__ import annotations

import os
import re
import shlex
import time
from pathlib import Path

import pytest

from .tmux_support import NEEDS_TMUX, TERMNEWS, TIMEOUT, Tmux

pytestmark = NEEDS_TMUX


@pytest.fixture
def tmux(tmp_path: Path) -> Tmux:
    env = dict(os.environ)
    for name in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        env[name] = str(tmp_path / "xdg" / name.lower())
    env["TERMNEWS_STATE_DIR"] = str(tmp_path / "state")
    env["TERMNEWS_INDEX_DIR"] = str(tmp_path / "index")
    env.pop("NO_COLOR", None)
    session = Tmux(tmp_path / "tmux.sock", env)
    yield session
    session.kill_server()


def test_a_word_typed_at_launch_finds_stories(tmux: Tmux, archive: Path) -> None:
    command = f"{shlex.quote(str(TERMNEWS))} {shlex.quote(str(archive))}"
    tmux.run("new-session", "-d", "-s", "termnews", "-x", "80", "-y", "24", command)
    tmux.wait_for("first frame", lambda screen: "Search:" in screen)

    tmux.run("send-keys", "-t", "termnews", "-l", "seawall")
    # Counts go by as the word is typed (a half-typed word can match nothing): wait for one.
    screen = tmux.wait_for(
        "results for seawall",
        lambda screen: re.search(r"[1-9]\d* results? · best match", screen),
    )
    lines = screen.splitlines()
    assert "seawall" in lines[0]  # the word went into the search box...
    count = re.search(r"(\d+) results? · best match", screen)
    assert count is not None and 1 <= int(count.group(1)) < 8  # ...and narrowed the list
    assert "Quillmouth council approves seawall" in screen
    assert "newest first" not in screen  # `s` was typed, not taken as the sort key

    tmux.run("send-keys", "-t", "termnews", "C-q")
    deadline = time.monotonic() + TIMEOUT
    while tmux.alive():  # the session ends with the program
        assert time.monotonic() < deadline, "termnews did not quit on ctrl+q"
        time.sleep(0.1)


def _start(tmux: Tmux, command: str) -> None:
    tmux.run("new-session", "-d", "-s", "termnews", "-x", "80", "-y", "24", command)
    tmux.wait_for("first frame", lambda screen: "Search:" in screen)


def _quit(tmux: Tmux) -> None:
    tmux.run("send-keys", "-t", "termnews", "C-q")
    deadline = time.monotonic() + TIMEOUT
    while tmux.alive():
        assert time.monotonic() < deadline, "termnews did not quit on ctrl+q"
        time.sleep(0.1)


def _row_of(screen: str, headline: str) -> str:
    """The screen line that shows `headline` in the result list."""
    lines = [line for line in screen.splitlines() if headline in line]
    assert lines, screen
    return lines[0]


def test_a_story_read_stays_read_and_a_star_is_found_by_is_starred(
    tmux: Tmux, archive: Path
) -> None:
    """Marks are written as they are made: they survive ctrl+q and a fresh start, and the
    engine's `is:starred` finds the story starred."""
    headline = "Quillmouth council approves seawall"
    command = f"{shlex.quote(str(TERMNEWS))} {shlex.quote(str(archive))}"
    _start(tmux, command)
    tmux.run("send-keys", "-t", "termnews", "-l", "seawall")
    screen = tmux.wait_for("results", lambda s: re.search(r"[1-9]\d* results? · best", s))
    assert "●" in _row_of(screen, headline)  # unread at first
    tmux.run("send-keys", "-t", "termnews", "Enter")  # to the list...
    tmux.wait_for("the list's keys", lambda s: "⏎ Open" in s.splitlines()[-1])
    tmux.run("send-keys", "-t", "termnews", "Enter")  # ...and open the story
    tmux.wait_for("the story, read", lambda s: s.splitlines()[-2].lstrip().startswith("read "))
    _quit(tmux)

    _start(tmux, command)  # a fresh process: only what was written to disk
    tmux.run("send-keys", "-t", "termnews", "-l", "seawall")
    screen = tmux.wait_for("results", lambda s: re.search(r"[1-9]\d* results? · best", s))
    assert "●" not in _row_of(screen, headline)

    tmux.run("send-keys", "-t", "termnews", "Enter")
    tmux.wait_for("the list's keys", lambda s: "⏎ Open" in s.splitlines()[-1])
    tmux.run("send-keys", "-t", "termnews", "*")
    screen = tmux.wait_for("a star", lambda s: "★" in _row_of(s, headline))
    tmux.run("send-keys", "-t", "termnews", "/", "Escape")  # back to the box, cleared
    tmux.wait_for("every story", lambda s: "8 results" in s)
    tmux.run("send-keys", "-t", "termnews", "-l", "is:starred")
    screen = tmux.wait_for("the starred story", lambda s: "1 result · " in s)
    assert "★" in _row_of(screen, headline)
    assert screen.count("★") == 1
    _quit(tmux)
