"""Fetching the feeds from the browser: `F` and the `[fetch] every` timer, against a feed
served on 127.0.0.1 (pytest-httpserver), into a real archive and index.

The fetched stories must arrive as any new story does: "N new" in the status line with the
list and its cursor untouched, then ctrl+r. Waits are loops on what the app says, with a
generous ceiling, so a loaded machine is slower but not flaky.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from textual.pilot import Pilot
from werkzeug import Request, Response

from termnews.settings import FeedSubscription, FetchSettings, Settings, load_settings
from termnews.tui.app import TermnewsApp
from termnews.tui.fetching import NO_FEEDS, RUNNING
from termnews.tui.keymap import resolve_keys

from .conftest import CEILING_SECONDS, status_text, wait_until

MakeApp = Callable[..., TermnewsApp]


ITEMS = [
    ("Lamplighters of Orvelle vote to keep the gas lamps", "<category>Heritage</category>"),
    ("Orvelle ferry adds a winter crossing", "<category>Transport News</category>"),
]


def rss() -> str:
    items = "".join(
        f"<item><title>{title}</title><link>http://127.0.0.1/orvelle/{n}</link>"
        f"<guid>orvelle-{n}</guid><description>The town council of Orvelle met on Monday "
        f"and heard from the lamplighters' guild about story {n}.</description>"
        f"{categories}</item>"
        for n, (title, categories) in enumerate(ITEMS, start=1)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Orvelle Crier</title>'
        f"{items}</channel></rss>"
    )


def serve_rss(httpserver: HTTPServer) -> None:
    """`rss()` served at /feed.xml."""
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(), content_type="application/rss+xml"
    )


def settings_for(url: str, archive: Path, **fetch: object) -> Settings:
    feed = FeedSubscription(url, name="Orvelle Crier", tags=("coast",), fulltext="never")
    return Settings(feeds=(feed,), fetch=FetchSettings(archive=archive, **fetch))  # type: ignore[arg-type]


def announced(app: TermnewsApp) -> str | None:
    """The watcher's "N new" (not "newest first", nor the fetch's own progress)."""
    text = status_text(app).split("Fetching")[0]
    found = re.search(r"\b\d+ new\b", text)
    return found.group(0) if found else None


def notifications(app: TermnewsApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


def fetch_over(app: TermnewsApp) -> bool:
    return not app._fetching and not any(w.is_running for w in app.workers if w.group == "fetch")


async def ready(pilot: Pilot) -> None:
    app = pilot.app
    assert isinstance(app, TermnewsApp)
    await wait_until(pilot, lambda: app.results is not None, "the first results")
    if app.watch_archive:
        await wait_until(pilot, app.watch_ready.is_set, "the watcher")


@pytest.mark.parametrize("watch", [True, False])
async def test_f_fetches_into_the_archive_shown_and_announces_the_stories(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer, watch: bool
) -> None:
    serve_rss(httpserver)
    settings = settings_for(httpserver.url_for("/feed.xml"), archive)
    app = make_app(settings=settings, watch=watch)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.focus_now(app.result_list)
        await pilot.press("down")
        before = app.result_list.highlighted_hit
        total_before = app.results.total if app.results else 0
        assert before is not None

        await pilot.press("F")
        await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
        await wait_until(pilot, lambda: announced(app) == "2 new", '"2 new" in the status')

        assert ("Fetch", "1 feed · 2 new · 0 failed") in notifications(app)
        assert "Fetching" not in status_text(app)
        # Announced only: the same results, the cursor on the same story.
        assert app.results is not None and app.results.total == total_before
        kept = app.result_list.highlighted_hit
        assert kept is not None and kept.path == before.path
        assert len(list((archive / "feeds").rglob("*.txt"))) == 2

        await pilot.press("ctrl+r")
        await wait_until(
            pilot,
            lambda: app.results is not None and app.results.total == total_before + 2,
            "the fetched stories in the results",
        )
        kept = app.result_list.highlighted_hit
        assert kept is not None and kept.path == before.path

        # The feed's tag and each entry's category, made tags: `tag:NAME` finds them.
        for query, count in (("tag:coast", 2), ("tag:heritage", 1), ("tag:transport-news", 1)):
            app.search_bar.value = query
            await wait_until(
                pilot,
                lambda q=query, c=count: (
                    app.results is not None and app.results.query == q and app.results.total == c
                ),
                f"{query} to find {count}",
            )


async def test_a_summary_gets_its_page_extracted_in_a_process_started_by_the_browser(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer
) -> None:
    """The extractor is a spawned process; under Textual, stderr has no file descriptor,
    which multiprocessing needs to start one (see `tui.processes`)."""
    paragraphs = "".join(
        f"<p>The lamplighters of Orvelle walked the quay at dusk, paragraph {i}, lighting "
        "each of the forty gas lamps by hand as their guild has done for a century.</p>"
        for i in range(6)
    )
    httpserver.expect_request("/page").respond_with_data(
        f"<html><body><nav>Home</nav><article><h1>Lamps</h1>{paragraphs}</article></body></html>",
        content_type="text/html; charset=utf-8",
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Orvelle Crier</title>'
        f"<item><title>Lamps</title><link>{httpserver.url_for('/page')}</link>"
        "<guid>lamps</guid><description>Lamps lit.</description></item></channel></rss>",
        content_type="application/rss+xml",
    )
    feed = FeedSubscription(httpserver.url_for("/feed.xml"), name="Orvelle Crier")
    settings = Settings(feeds=(feed,), fetch=FetchSettings(archive=archive))
    app = make_app(settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.focus_now(app.result_list)
        await pilot.press("F")
        await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
        await wait_until(pilot, lambda: announced(app) == "1 new", '"1 new" in the status')
        assert notifications(app)[-1] == ("Fetch", "1 feed · 1 new · 0 failed")
    (story,) = (archive / "feeds").rglob("*.txt")
    assert "paragraph 5" in story.read_text(encoding="utf-8")


async def test_another_archive_is_left_alone_and_the_summary_says_where(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_rss(httpserver)
    fetched = tmp_path / "fetched-news"
    app = make_app(settings=settings_for(httpserver.url_for("/feed.xml"), fetched), watch=True)
    files_before = sorted(archive.rglob("*"))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.focus_now(app.result_list)
        await pilot.press("F")
        await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
        await pilot.pause(0.5)  # the watcher would have seen a write by now
        title, message = notifications(app)[-1]
        assert title == "1 feed · 2 new · 0 failed"
        assert str(fetched) in message and f"termnews {fetched}" in message
        assert announced(app) is None
    assert sorted(archive.rglob("*")) == files_before
    assert len(list((fetched / "feeds").rglob("*.txt"))) == 2


async def test_no_feeds_says_how_to_add_one_and_f_then_fetches_the_one_added(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_rss(httpserver)
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    app = make_app(settings=load_settings(config))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.focus_now(app.result_list)  # in the search box F is a letter like any other
        await pilot.press("F")
        await pilot.pause()
        assert ("Fetch", NO_FEEDS) in notifications(app)
        assert "termnews feeds add URL" in NO_FEEDS
        assert not [w for w in app.workers if w.group == "fetch"]

        # As `termnews feeds add` would, in another terminal: no restart needed.
        config.write_text(
            f'[[feeds]]\nurl = "{httpserver.url_for("/feed.xml")}"\nname = "Orvelle Crier"\n'
            f'fulltext = "never"\n\n[fetch]\narchive = "{archive}"\n',
            encoding="utf-8",
        )
        await pilot.press("F")
        await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
        await wait_until(pilot, lambda: announced(app) == "2 new", '"2 new" in the status')


async def test_a_second_f_says_one_is_running_and_a_failure_is_a_sentence(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer
) -> None:
    release = threading.Event()

    def slow_and_gone(_request: Request) -> Response:
        release.wait(CEILING_SECONDS)
        return Response("gone", status=404)

    httpserver.expect_request("/feed.xml").respond_with_handler(slow_and_gone)
    app = make_app(settings=settings_for(httpserver.url_for("/feed.xml"), archive))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.focus_now(app.result_list)
        await pilot.press("F")
        assert "Fetching 0/1 feeds · 0 new" in status_text(app)
        await pilot.press("F")
        assert ("Fetch", RUNNING) in notifications(app)
        assert len([w for w in app.workers if w.group == "fetch"]) == 1
        release.set()
        await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
        await pilot.pause()
        title, message = notifications(app)[-1]
        assert title == "1 feed · 0 new · 1 failed"
        assert "Orvelle Crier" in message and "404" in message
        assert "Traceback" not in message
        assert "Fetching" not in status_text(app)


async def test_the_timer_fetches_on_its_own(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer
) -> None:
    serve_rss(httpserver)
    # The config file refuses less than a minute; the setting itself takes any interval.
    settings = settings_for(httpserver.url_for("/feed.xml"), archive, every_seconds=1)
    app = make_app(settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: announced(app) == "2 new", "a fetch on the timer")
        await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
        assert ("Fetch", "1 feed · 2 new · 0 failed") in notifications(app)


async def test_the_timer_runs_without_feeds_and_fetches_the_first_one_added(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    """Each tick reads the config file again, as `F` does: no restart after `feeds add`."""
    serve_rss(httpserver)
    config = tmp_path / "config.toml"
    config.write_text('[fetch]\nevery = "1m"\n', encoding="utf-8")
    assert load_settings(config).fetch.every_seconds == 60
    # The file refuses less than a minute; the setting itself takes any interval.
    settings = Settings(path=config, fetch=FetchSettings(every_seconds=1))
    app = make_app(settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app._fetch_timer is not None
        config.write_text(
            f'[[feeds]]\nurl = "{httpserver.url_for("/feed.xml")}"\nname = "Orvelle Crier"\n'
            f'fulltext = "never"\n\n[fetch]\nevery = "1m"\narchive = "{archive}"\n',
            encoding="utf-8",
        )
        await wait_until(pilot, lambda: announced(app) == "2 new", "a fetch on the timer")
        await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
        assert ("Fetch", "1 feed · 2 new · 0 failed") in notifications(app)


async def test_no_timer_without_every(make_app: MakeApp, archive: Path) -> None:
    settings = settings_for("http://127.0.0.1:9/feed.xml", archive)
    app = make_app(settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app._fetch_timer is None


def test_the_fetch_key_is_configurable() -> None:
    keys = resolve_keys({"fetch_feeds": ("ctrl+g",)}, TermnewsApp.binding_places())
    assert keys.problems == ()
    assert keys.keys["fetch_feeds"] == ("ctrl+g",)
    assert resolve_keys({}, TermnewsApp.binding_places()).keys["fetch_feeds"] == ("F",)


def test_browse_polls_when_the_config_says_so(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from termnews import cli

    config = tmp_path / "config.toml"
    config.write_text("[watch]\npoll = true\n", encoding="utf-8")
    monkeypatch.setenv("TERMNEWS_CONFIG", str(config))
    monkeypatch.setenv("TEXTUAL_FPS", "unset")
    assert load_settings().watch.poll
    launched: list[bool] = []
    monkeypatch.setattr(TermnewsApp, "run", lambda app: launched.append(app.watch_poll))
    assert cli.main(["browse", str(archive)]) == 0
    assert launched == [True]


async def test_a_burst_big_enough_for_worker_processes_is_announced(
    make_app: MakeApp, archive: Path, tmp_path: Path
) -> None:
    """What a fetch of many feeds writes at once is indexed by processes (see tui.processes).

    The stories are written beside the archive, then renamed into it together, so that the
    watcher sees them as one batch.
    """
    import os
    from pathlib import PurePosixPath

    from termnews.engine.sync.writer import PARALLEL_MIN_FILES
    from termnews.feeds.stories import story_text, write_story

    staging = tmp_path / "staging"
    for n in range(PARALLEL_MIN_FILES):
        text = story_text(
            headline=f"Orvelle tide table, week {n}",
            authors=("Mara Quell",),
            published=None,
            body=f"High water at Orvelle quay in week {n} comes an hour later than last year.",
            url=f"http://127.0.0.1/tides/{n}",
            site="Orvelle Crier",
        )
        write_story(staging, PurePosixPath(f"{n}.txt"), text)
    app = make_app(watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        (archive / "tides").mkdir()
        for story in staging.iterdir():
            os.replace(story, archive / "tides" / story.name)
        expected = f"{PARALLEL_MIN_FILES} new"
        await wait_until(pilot, lambda: announced(app) == expected, f'"{expected}"')
        assert not notifications(app)


def held_feeds(
    httpserver: HTTPServer, count: int, release: threading.Event
) -> tuple[tuple[FeedSubscription, ...], list[str]]:
    """`count` feeds whose answers (404s) wait for `release`; the paths asked, in order."""
    asked: list[str] = []

    def held(request: Request) -> Response:
        asked.append(request.path)
        release.wait(CEILING_SECONDS)
        return Response("gone", status=404)

    for n in range(count):
        httpserver.expect_request(f"/feed/{n}").respond_with_handler(held)
    feeds = tuple(
        FeedSubscription(httpserver.url_for(f"/feed/{n}"), fulltext="never") for n in range(count)
    )
    return feeds, asked


def gone(pid: int) -> bool:
    """No process `pid` any more (an ended child is reaped by the browser)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def group_members(group: int) -> list[int]:
    """The processes of process group `group` (Linux's /proc)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            members.append(int(stat.parent.name))
    return members


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="process priorities are POSIX's")
async def test_the_fetch_runs_in_a_process_of_its_own_at_a_lower_priority(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer
) -> None:
    """Its Python work never takes turns with the keystrokes for the interpreter."""
    from termnews.tui.fetching import NICE

    release = threading.Event()
    feeds, asked = held_feeds(httpserver, 1, release)
    app = make_app(settings=Settings(feeds=feeds, fetch=FetchSettings(archive=archive)))
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            app.start_fetch(asked=True)
            await wait_until(pilot, lambda: bool(asked), "the feed's request")
            child = app._fetch_child
            assert child is not None and child.pid != os.getpid()
            assert os.getpriority(os.PRIO_PROCESS, child.pid) == min(19, mine + NICE)
            assert os.getpriority(os.PRIO_PROCESS, 0) == mine
            assert not [t for t in threading.enumerate() if t.name.startswith("termnews-fetch")]
            release.set()
            await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
            assert notifications(app)[-1][0] == "1 feed · 0 new · 1 failed"
            assert gone(child.pid)
    finally:
        release.set()


async def test_a_fetch_process_that_fails_is_a_sentence(
    make_app: MakeApp, archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The feeds' ledger cannot be opened: its folder is a file.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("TERMNEWS_DATA_DIR", str(blocked))
    app = make_app(settings=settings_for("http://127.0.0.1:9/feed.xml", archive))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.start_fetch(asked=True)
        await wait_until(pilot, lambda: fetch_over(app), "the fetch to end")
        await pilot.pause()
        title, message = notifications(app)[-1]
        assert title == "The fetch failed"
        assert message and "Traceback" not in message
        assert "Fetching" not in status_text(app)


async def test_quitting_stops_a_fetch_before_the_feeds_not_yet_begun(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer
) -> None:
    from termnews.tui.fetching import FEED_THREADS

    release = threading.Event()
    feeds, asked = held_feeds(httpserver, FEED_THREADS + 2, release)
    app = make_app(settings=Settings(feeds=feeds, fetch=FetchSettings(archive=archive)))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            app.focus_now(app.result_list)
            await pilot.press("F")
            await wait_until(pilot, lambda: bool(asked), "the first request")
            child = app._fetch_child
            assert child is not None
            app.stop_fetching()  # what quitting does first
            await wait_until(pilot, child.stopping.is_set, "the fetch's process to hear it")
            release.set()
            await wait_until(pilot, lambda: fetch_over(app), "the fetch to stop")
            # Only the feeds already begun were asked for; no summary of a fetch cut short.
            assert len(asked) == FEED_THREADS
            assert not [t for t, _ in notifications(app) if "feeds" in t]
            assert "Fetching" not in status_text(app)
            assert gone(child.pid)
    finally:
        release.set()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="lists processes from /proc")
async def test_a_stopped_fetch_that_does_not_end_is_killed_with_the_processes_it_started(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed under way may wait a minute on its server: the browser does not wait for it.

    The feed's first page is extracted, which starts the extractor's process (kept for the
    next page); the second page is held. Stopped, the fetch's process cannot end by itself,
    and is killed with the extractor once the grace is over.
    """
    from termnews import fetch_child

    monkeypatch.setattr(fetch_child, "STOP_GRACE_S", 0.5)
    release = threading.Event()
    asked: list[str] = []
    paragraphs = "".join(
        f"<p>The lamplighters of Orvelle walked the quay at dusk, paragraph {i}, lighting "
        "each of the forty gas lamps by hand as their guild has done for a century.</p>"
        for i in range(6)
    )

    def page(request: Request) -> Response:
        asked.append(request.path)
        if request.path == "/page/2":
            release.wait(CEILING_SECONDS)
        return Response(
            f"<html><body><article><h1>Lamps</h1>{paragraphs}</article></body></html>",
            content_type="text/html; charset=utf-8",
        )

    httpserver.expect_request("/page/1").respond_with_handler(page)
    httpserver.expect_request("/page/2").respond_with_handler(page)
    items = "".join(
        f"<item><title>Lamps {n}</title><link>{httpserver.url_for(f'/page/{n}')}</link>"
        f"<guid>lamps-{n}</guid><description>Lamps lit.</description></item>"
        for n in (1, 2)
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Orvelle Crier</title>'
        f"{items}</channel></rss>",
        content_type="application/rss+xml",
    )
    feed = FeedSubscription(httpserver.url_for("/feed.xml"), fulltext="always")
    app = make_app(settings=Settings(feeds=(feed,), fetch=FetchSettings(archive=archive)))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            app.start_fetch(asked=True)
            await wait_until(pilot, lambda: "/page/2" in asked, "the first page extracted")
            child = app._fetch_child
            assert child is not None
            started = [pid for pid in group_members(child.pid) if pid != child.pid]
            assert started, "the extractor's process"
            app.stop_fetching()
            await wait_until(pilot, lambda: fetch_over(app), "the fetch to be killed")
            assert not release.is_set()  # the held page never came: it was not waited for
            assert "Fetching" not in status_text(app)
            assert not [t for t, _ in notifications(app) if "feed" in t]
            await wait_until(pilot, lambda: not group_members(child.pid), "no process left")
    finally:
        release.set()


async def test_quitting_leaves_no_fetch_process_behind(
    make_app: MakeApp, archive: Path, httpserver: HTTPServer
) -> None:
    import time

    release = threading.Event()
    feeds, asked = held_feeds(httpserver, 1, release)
    app = make_app(settings=Settings(feeds=feeds, fetch=FetchSettings(archive=archive)))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            app.focus_now(app.result_list)
            await pilot.press("F")
            await wait_until(pilot, lambda: bool(asked), "the feed's request")
            child = app._fetch_child
            assert child is not None
            await pilot.press("ctrl+q")
        deadline = time.monotonic() + CEILING_SECONDS
        while not gone(child.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(child.pid)
        assert not release.is_set()
    finally:
        release.set()
