"""The archive watcher: a story written while the browser is open is announced, then shown.

These drive the real app over a real archive and index, with the real `watchfiles` watcher
(inotify, and polling as for network mounts). Waits are loops on what the screen says, with
a generous ceiling, so a loaded machine is slower but not flaky; when things work they end
as soon as the status line changes.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from termnews.tui.app import TermnewsApp
from termnews.tui.watching import is_story_file
from termnews.tui.widgets.status import new_stories_content

from .conftest import status_text, wait_until

MakeApp = Callable[..., TermnewsApp]

#: The longest a test waits for the watcher; it stops waiting as soon as the screen says so.

NEW_STORY = """\
March 3, 2026

Glassblowers of Vessington reopen the old kiln

By Ilse Marrow, Vessington Courier on March 3, 2026.

VESSINGTON – The glassblowers' guild relit the town's oldest kiln on Tuesday, after a
winter of repairs paid for by a bake sale and a raffle of a blue decanter.
"""


def announced(app: TermnewsApp) -> str | None:
    """The status line's "N new", if it says one (not to be confused with "newest first")."""
    found = re.search(r"\b\d+ new\b", status_text(app))
    return found.group(0) if found else None


def nothing_but_the_watcher_runs(app: TermnewsApp) -> bool:
    return not any(w.is_running for w in app.workers if w.group != "watch")


async def settle_beside_watcher(pilot: Pilot) -> None:
    """Like `conftest.settle`, but the watcher's worker runs until the app ends."""
    for _ in range(3):
        await wait_until(pilot, lambda: nothing_but_the_watcher_runs(pilot.app), "the workers")
        await pilot.pause()


async def announce_then_apply(pilot: Pilot, archive: Path) -> None:
    """Write a story, see "1 new" with the list untouched, then apply it with ctrl+r."""
    app = pilot.app
    assert isinstance(app, TermnewsApp)
    await settle_beside_watcher(pilot)
    await wait_until(pilot, app.watch_ready.is_set, "the watcher to start")
    app.focus_now(app.result_list)
    await pilot.press("down")
    await pilot.pause()
    before = app.result_list.highlighted_hit
    assert before is not None
    total_before = app.results.total if app.results else 0
    assert announced(app) is None

    (archive / "09-vessington-kiln.txt").write_text(NEW_STORY, encoding="utf-8")
    await wait_until(pilot, lambda: announced(app) == "1 new", '"1 new" in the status')

    # Announced only: the same results, the cursor on the same story.
    assert app.results is not None and app.results.total == total_before
    after = app.result_list.highlighted_hit
    assert after is not None and after.path == before.path

    await pilot.press("ctrl+r")
    await wait_until(
        pilot,
        lambda: app.results is not None and app.results.total == total_before + 1,
        "the new story in the results",
    )
    await settle_beside_watcher(pilot)
    assert announced(app) is None
    kept = app.result_list.highlighted_hit
    assert kept is not None and kept.path == before.path
    await pilot.press("slash", *"vessington")
    await wait_until(
        pilot,
        lambda: app.results is not None and app.results.total == 1,
        "a search to find the new story",
    )


async def test_a_new_story_is_announced_then_shown(make_app: MakeApp, archive: Path) -> None:
    app = make_app(watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await announce_then_apply(pilot, archive)


async def test_polling_sees_a_new_story_too(make_app: MakeApp, archive: Path) -> None:
    app = make_app(watch=True, poll=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await announce_then_apply(pilot, archive)


async def test_a_story_another_process_indexed_first_is_announced_too(
    make_app: MakeApp, archive: Path
) -> None:
    """`termnews fetch` in a shell writes its stories and syncs the index itself, often
    before the watcher's sync gets to them: that sync then finds nothing to do, and the
    stories must still be announced."""
    from termnews.engine.sync import sync

    app = make_app(watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_beside_watcher(pilot)
        await wait_until(pilot, app.watch_ready.is_set, "the watcher to start")
        total_before = app.results.total if app.results else 0
        with app.index_write_lock:  # the watcher's sync waits until "the other process" is done
            (archive / "09-vessington-kiln.txt").write_text(NEW_STORY, encoding="utf-8")
            assert sync(archive, app.index_dir).new == 1
        await wait_until(pilot, lambda: announced(app) == "1 new", '"1 new" in the status')
        assert app.results is not None and app.results.total == total_before
        await pilot.press("ctrl+r")
        await wait_until(
            pilot,
            lambda: app.results is not None and app.results.total == total_before + 1,
            "the new story in the results",
        )


async def test_a_watcher_kept_from_the_index_keeps_its_changes_and_tries_again(
    make_app: MakeApp, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process writing the index for longer than the watcher waits for its lock (a
    shell's fetch syncing a big batch) must not end the watching: the change is synced, and
    announced, once the lock is free."""
    from termnews.engine.store import WriteLock
    from termnews.tui import watching

    monkeypatch.setattr(watching, "LOCK_WAIT_S", 0.1)
    app = make_app(watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_beside_watcher(pilot)
        await wait_until(pilot, app.watch_ready.is_set, "the watcher to start")
        other_process = WriteLock(app.index_dir, timeout=1.0)
        try:
            (archive / "09-vessington-kiln.txt").write_text(NEW_STORY, encoding="utf-8")
            await wait_until(
                pilot,
                lambda: any(n.title == "Watching the archive" for n in app._notifications),
                "the watcher's warning",
            )
            assert announced(app) is None
            assert [w for w in app.workers if w.group == "watch" and w.is_running]
        finally:
            other_process.release()
        await wait_until(pilot, lambda: announced(app) == "1 new", '"1 new" in the status')
        warnings = [n for n in app._notifications if n.title == "Watching the archive"]
        assert len(warnings) == 1  # said once, not at every retry
        assert "busy" in warnings[0].message


async def test_quitting_stops_the_watcher(make_app: MakeApp) -> None:
    app = make_app(watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, app.watch_ready.is_set, "the watcher to start")
        watcher = next(w for w in app.workers if w.group == "watch")
        await pilot.press("q")
    # The thread sees the stop event at its next wake-up and returns.
    for _ in range(200):
        if not watcher.is_running:
            break
        await asyncio.sleep(0.05)
    assert not watcher.is_running


async def test_without_an_archive_nothing_is_watched(index_dir: Path) -> None:
    app = TermnewsApp(index_dir, None, sync=False, show_timing=False, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not [w for w in app.workers if w.group == "watch"]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("09-story.txt", True),
        (".09-story.txt", False),
        ("09-story.txt.tmp", False),
        ("09-story.tmp", False),
        ("notes.md", False),
    ],
)
def test_only_story_files_wake_the_watcher(name: str, kept: bool) -> None:
    from watchfiles import Change

    assert is_story_file(Change.added, f"/archive/{name}") is kept


def test_the_announcement_is_words_not_only_colour() -> None:
    assert new_stories_content(3, 0).plain == "3 new"
    assert new_stories_content(1, 2).plain == "1 new, 2 gone"
    assert new_stories_content(0, 0).plain == ""


@pytest.mark.parametrize(("extra", "poll"), [([], False), (["--poll"], True)])
def test_browse_watches_its_archive_and_polls_when_asked(
    archive: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str], poll: bool
) -> None:
    from termnews import cli

    launched: list[tuple[bool, bool]] = []
    # The command sets the frame rate for Textual; this test process gets its own back after.
    monkeypatch.setenv("TEXTUAL_FPS", "unset")
    monkeypatch.setattr(
        TermnewsApp, "run", lambda app: launched.append((app.watch_archive, app.watch_poll))
    )
    assert cli.main(["browse", str(archive), *extra]) == 0
    assert launched == [(True, poll)]
