"""A private tmux server for the tests that run the real `termnews` in a real terminal.

Each test gets its own server (a socket in its temporary dir), so a tmux the developer has
open is never touched. The screen is polled until what is awaited shows; the timeout only
bounds a failure, it measures nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
TERMNEWS = Path(sys.executable).with_name("termnews")
#: Long enough for a cold start and the first sync on a slow, busy machine.
TIMEOUT = 60.0

#: The marks of a module of tmux tests: skipped, saying why, where they cannot run.
NEEDS_TMUX = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)"),
    pytest.mark.skipif(not TERMNEWS.exists(), reason=f"{TERMNEWS} is not installed"),
]


class Tmux:
    """One detached tmux session, `termnews`, on a private server."""

    def __init__(self, socket: Path, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def run(self, *args: str) -> str:
        assert TMUX is not None
        result = subprocess.run(
            [TMUX, "-S", str(self.socket), *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        return result.stdout

    def alive(self) -> bool:
        assert TMUX is not None
        result = subprocess.run(
            [TMUX, "-S", str(self.socket), "has-session", "-t", "termnews"],
            env=self.env,
            capture_output=True,
            timeout=30,
            check=False,
        )
        return result.returncode == 0

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "termnews")

    def wait_for(self, what: str, condition: Callable[[str], object]) -> str:
        """Poll the screen until `condition(screen)` holds; fail with the last screen."""
        deadline = time.monotonic() + TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.1)
        pytest.fail(f"no {what} after {TIMEOUT:.0f} s; the screen was:\n{screen}")

    def kill_server(self) -> None:
        """End the private server and whatever still runs in it."""
        subprocess.run(
            [str(TMUX), "-S", str(self.socket), "kill-server"],
            env=self.env,
            capture_output=True,
            timeout=30,
            check=False,
        )
