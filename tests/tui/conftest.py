"""Fixtures for the browser tests: a real archive of our own stories, indexed for real.

The stories in `data/` are invented for these tests. They are copied into a temporary
archive with fixed modification times, so the one undated story always sorts (and shows its
estimated date) the same way, which keeps the snapshots stable.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from termnews.engine.sync import sync
from termnews.tui.app import TermnewsApp

DATA = Path(__file__).parent / "data"
#: 2022-06-01 12:00 UTC: older than every dated story, so the undated one sorts last.
FIXED_MTIME = 1654084800


def copy_archive(target: Path) -> Path:
    """Copy the test stories into `target` with fixed mtimes; returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(DATA.glob("*.txt")):
        destination = target / source.name
        shutil.copyfile(source, destination)
        os.utime(destination, (FIXED_MTIME, FIXED_MTIME))
    return target


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_archive(tmp_path / "archive")


@pytest.fixture
def index_dir(archive: Path, tmp_path: Path) -> Path:
    """A real Whoosh index of the test archive, built by the real sync."""
    directory = tmp_path / "index"
    sync(archive, directory)
    return directory


@pytest.fixture
def make_app(index_dir: Path, archive: Path) -> Callable[..., TermnewsApp]:
    """An app on the prepared index, without the start-up sync and with timing hidden."""

    def factory(**overrides: object) -> TermnewsApp:
        options: dict[str, object] = {"sync": False, "show_timing": False, "debounce": 0.0}
        options.update(overrides)
        return TermnewsApp(index_dir, archive, **options)  # type: ignore[arg-type]

    return factory


async def settle(pilot: Pilot) -> None:
    """Wait until every worker has finished and every message they posted is handled.

    Opening the index posts a message that starts the first search, so one round of
    waiting is not always enough; loop until nothing is left running.
    """
    app = pilot.app
    for _ in range(10):
        # A failed worker is reported to the person as a notification; here it only means
        # "finished", so its exception is not re-raised into the test.
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                return


#: How long a test lets the app run for what it awaits before failing: it bounds a failure
#: on a slow machine, it times nothing.
CEILING_SECONDS = 15.0


def status_text(app: TermnewsApp) -> str:
    """The status line of whichever screen is showing, as plain text."""
    from termnews.tui.widgets.status import StatusLine

    return str(app.screen.query_one(StatusLine).content)


async def wait_until(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition` holds; fail saying `what` was awaited."""
    import time

    deadline = time.monotonic() + CEILING_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {CEILING_SECONDS:.0f} s for {what}")
        await pilot.pause(0.05)
