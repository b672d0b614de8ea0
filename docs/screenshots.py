"""Makes the README's screenshots of the browser: `python docs/screenshots.py`.

Each is an SVG that Textual itself draws (`App.save_screenshot`) from the real app, driven by
its Pilot over the bundled sample archive, so a screenshot shows exactly what a person sees at
that terminal size. The archive is indexed into a temporary folder first; the reading state
is an empty one in memory, so no row carries a mark from whoever ran this.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from termnews.engine.sync import sync
from termnews.tui.app import TermnewsApp

DOCS = Path(__file__).resolve().parent
SAMPLES = DOCS.parent / "sample_articles"

Steps = Callable[[Pilot], Awaitable[None]]


async def _settle(pilot: Pilot) -> None:
    """Until no worker runs and every message they posted has been handled."""
    for _ in range(20):
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if not any(worker.is_running for worker in pilot.app.workers):
            return


def _typing(query: str, *then: str) -> Steps:
    async def steps(pilot: Pilot) -> None:
        await _settle(pilot)
        await pilot.press(*query)
        await _settle(pilot)
        for key in then:
            await pilot.press(key)
            await _settle(pilot)

    return steps


#: file name -> (terminal size, what to do before the picture is taken)
SHOTS: dict[str, tuple[tuple[int, int], Steps]] = {
    # The folded row (+2) under the cursor, the query's timeline above the list.
    "tui-copies-timeline-120x40.svg": ((120, 40), _typing("winnipeg transit", "down", "down")),
    # That story opened and read to its end, where its copies are listed.
    "tui-copies-80x24.svg": ((80, 24), _typing("winnipeg transit", "down", "down", "enter", "G")),
}


async def _shoot(index_dir: Path, name: str, size: tuple[int, int], steps: Steps) -> None:
    app = TermnewsApp(index_dir, SAMPLES, sync=False, show_timing=False, debounce=0.0)
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        app.save_screenshot(filename=name, path=str(DOCS))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="termnews-shots-") as scratch:
        index_dir = Path(scratch) / "index"
        sync(SAMPLES, index_dir)
        for name, (size, steps) in SHOTS.items():
            asyncio.run(_shoot(index_dir, name, size, steps))
            print(f"wrote {DOCS / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
