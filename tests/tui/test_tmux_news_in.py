"""News in, end to end, in a real terminal: subscribe, fetch, browse, fetch again while the
browser is open, and see the new story arrive without the list moving under the reader.

Everything is the installed `termnews` command: `feeds add` and `fetch` as a person types
them, and the browser in its own tmux server (a socket in the test's temporary dir). The feed
is served on 127.0.0.1 by pytest-httpserver, and grows by one entry between the fetches.
Every path termnews touches (config, data, state, caches, its archive) is under the test's
temporary dir. The screen is polled until it says what is awaited; the timeout only bounds a
failure, it measures nothing.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from cli_support import private_env

from .tmux_support import NEEDS_TMUX, TERMNEWS, Tmux

pytestmark = NEEDS_TMUX

#: Invented entries, oldest first; the browser lists them newest first.
#: Short enough to show whole in the list pane of an 80-column terminal.
HEADLINES = (
    "Ferry adds a winter crossing",
    "Barley reaches the Orvelle silo",
    "Pilots guide the last carrier",
    "Velmora backs the seawall",
)


def rss(count: int) -> str:
    items = "".join(
        f"<item><title>{headline}</title><link>http://127.0.0.1/story/{n}</link>"
        f"<guid>beacon-{n}</guid><pubDate>Tue, {n + 1:02d} Dec 2026 08:00:00 +0000</pubDate>"
        f"<description>Reported for the Harbour Beacon: {headline.lower()}, "
        f"a story told at length for item {n}, so that no page is fetched for it.</description>"
        "</item>"
        for n, headline in enumerate(HEADLINES[:count], start=1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Harbour Beacon</title><link>http://127.0.0.1/</link>"
        f"<description>Invented news</description>{items}</channel></rss>"
    )


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    env = private_env(tmp_path)
    env.pop("NO_COLOR", None)
    session = Tmux(tmp_path / "tmux.sock", env)
    yield session
    session.kill_server()


def marked_row(screen: str) -> tuple[int, str]:
    """Where the list's highlighted row starts on screen, and what it says: the lines its
    `▌` bar marks, cut at the list pane's edge (the story pane beside it may scroll)."""
    lines = screen.splitlines()
    marked = [i for i, line in enumerate(lines) if line.startswith("▌")]
    assert marked, f"no highlighted row on the screen:\n{screen}"
    return marked[0], "\n".join(lines[i].split("▏")[0].rstrip() for i in marked)


def highlighted(screen: str) -> str | None:
    """The headline on the list's highlighted row, if one is."""
    lines = [line for line in screen.splitlines() if line.startswith("▌")]
    return next((h for h in HEADLINES if lines and h in lines[0]), None)


def status_line(screen: str) -> str:
    """The line above the footer: counts, order, and "N new"."""
    return screen.splitlines()[-2]


def termnews(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(TERMNEWS), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def test_a_fetch_while_browsing_is_announced_then_shown_with_the_cursor_kept(
    httpserver: HTTPServer, tmux: Tmux
) -> None:
    served = {"count": 3}
    httpserver.expect_request("/beacon.xml").respond_with_handler(
        lambda _request: Response(rss(served["count"]), content_type="application/rss+xml")
    )
    # 1-2. Subscribe and fetch, as a person types it.
    termnews("feeds", "add", httpserver.url_for("/beacon.xml"), "--fulltext", "never",
             env=tmux.env)  # fmt: skip
    assert "3 new stories" in termnews("fetch", env=tmux.env)

    # 3. `termnews` with no archive browses the fetched one.
    tmux.run("new-session", "-d", "-s", "termnews", "-x", "80", "-y", "24",
             shlex.quote(str(TERMNEWS)))  # fmt: skip
    tmux.wait_for(
        "the fetched stories",
        lambda s: all(h in s for h in HEADLINES[:3]) and "3 results" in status_line(s),
    )

    # 4. The cursor on the second row (newest first), then a fetch finds one more entry.
    tmux.run("send-keys", "-t", "termnews", "Enter")  # from the search box to the list
    tmux.wait_for("the list's keys", lambda s: "⏎ Open" in s.splitlines()[-1])
    tmux.run("send-keys", "-t", "termnews", "Down")
    screen = tmux.wait_for("the cursor on the second row", lambda s: highlighted(s) == HEADLINES[1])
    top, row = marked_row(screen)
    served["count"] = 4
    assert "1 new story" in termnews("fetch", env=tmux.env)

    # 5. Announced, and nothing moved: the same list, the cursor on the same story.
    screen = tmux.wait_for("1 new", lambda s: re.search(r"\b1 new\b", status_line(s)))
    assert HEADLINES[3] not in screen
    assert "3 results" in status_line(screen)
    assert marked_row(screen) == (top, row)

    # ...and ctrl+r shows the new story at the top, the cursor still on its story.
    tmux.run("send-keys", "-t", "termnews", "C-r")
    screen = tmux.wait_for(
        "the new story", lambda s: HEADLINES[3] in s and "4 results" in status_line(s)
    )
    assert not re.search(r"\b\d+ new\b", status_line(screen))
    moved_to, same_row = marked_row(screen)
    assert same_row == row
    assert moved_to == top + 3  # one three-line row, the new story's, above it now
    lines = screen.splitlines()
    assert HEADLINES[3] in next(line for line in lines if "●" in line)  # the first row

    tmux.run("send-keys", "-t", "termnews", "C-q")
