"""`bench.py fetch`: fetching news end to end against a server on 127.0.0.1.

A local HTTP server (standard library, in a thread) serves `--feeds` RSS feeds of
`--entries` entries each. Every entry carries only a one-line summary, so each story's page
is fetched and its article extracted (trafilatura, in its worker process). Timed:

- `first_fetch`: fetch, extract, write and index every story (what `termnews fetch` does);
- `refetch`: the same feeds again with nothing new (every feed answers 304);
- peak RSS of the process over the run (the extractor's worker is counted apart);
- `watch_native_s` / `watch_poll_s`: a story written into an open browser's archive the way
  `termnews fetch` writes one (a temporary file renamed into place) until the browser's
  status line says "1 new", with the watcher told by the system and with it polling
  (`[watch] poll`); median and worst of `--watch-runs`.

The pages and feeds are invented here; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORDS = (
    "harbour",
    "council",
    "ferry",
    "grain",
    "silo",
    "pilots",
    "quay",
    "barley",
    "cooperative",
    "tide",
    "storm",
    "seawall",
    "budget",
    "library",
    "lantern",
    "festival",
    "promenade",
    "trailer",
    "valley",
    "autumn",
    "winter",
    "crew",
    "vote",
)


def paragraph(seed: int) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(40)]
    return " ".join(words).capitalize() + "."


def page(feed: int, entry: int) -> bytes:
    body = "".join(f"<p>{paragraph(feed * 1000 + entry * 10 + i)}</p>" for i in range(8))
    return (
        f"<html><head><title>Story {feed}-{entry}</title></head><body><nav>Home Sport</nav>"
        f"<article><h1>Story {feed}-{entry}</h1>{body}</article><footer>Subscribe</footer>"
        "</body></html>"
    ).encode()


def feed_xml(base: str, feed: int, entries: int) -> bytes:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    items = "".join(
        f"<item><title>Story {feed}-{e} from the harbour</title>"
        f"<link>{base}/page/{feed}/{e}</link><guid>f{feed}-e{e}</guid>"
        f"<pubDate>{format_datetime(start + timedelta(hours=e))}</pubDate>"
        f"<description>Summary of story {feed}-{e}.</description></item>"
        for e in range(entries)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench feed {feed}</title>'
        f"{items}</channel></rss>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    entries = 20

    def log_message(self, *_args: Any) -> None:
        return

    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if parts[0] == "feed":
            if self.headers.get("If-None-Match") == f'"feed-{parts[1]}"':
                self.send_response(304)
                self.end_headers()
                return
            data, kind = feed_xml(base, int(parts[1]), self.entries), "application/rss+xml"
            etag = f'"feed-{parts[1]}"'
        elif parts[0] == "page":
            data, kind, etag = page(int(parts[1]), int(parts[2])), "text/html", None
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(data)


@dataclass(frozen=True)
class Feed:
    url: str
    name: str | None
    fulltext: str = "auto"
    tags: tuple[str, ...] = ()


#: The figures with a target, as the README's tables give them.
TARGETS = {
    "stories_per_s": "≥ 40",
    "refetch_s": "≤ 2 s",
    "peak_rss_mb": "≤ 200 MB",
    "peak_rss_extractor_mb": "≤ 200 MB",
    "watch_native_worst_s": "≤ 2 s",
    "watch_poll_worst_s": "≤ 5 s",
}
#: Stories already in the watched archive before any is timed.
WATCH_ARCHIVE_STORIES = 50


def watched_story(number: int) -> str:
    from termnews.feeds.stories import story_text

    return story_text(
        headline=f"Watched story {number} from the harbour",
        authors=("Ines Calloway",),
        published=datetime(2026, 11, 1) + timedelta(hours=number),
        body="\n\n".join(paragraph(number * 10 + i) for i in range(4)),
        url=f"http://127.0.0.1/watched/{number}",
        site="Bench watch",
    )


async def _watch_latency(archive: Path, index: Path, poll: bool, runs: int) -> list[float]:
    """Seconds from a story's rename into the archive to "1 new" in the open browser."""
    from pathlib import PurePosixPath

    from termnews.feeds.stories import write_story
    from termnews.tui.app import TermnewsApp

    app = TermnewsApp(index, archive, sync=False, watch=True, poll=poll)
    seconds: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while app.results is None or not app.watch_ready.is_set():
            await asyncio.sleep(0.01)
        for run in range(runs):
            await asyncio.sleep(0.5)  # apart from the last batch, as separate fetches are
            before = app._new_stories
            number = 10_000 * (2 if poll else 1) + run
            started = time.perf_counter()
            write_story(archive, PurePosixPath(f"watched/{number}.txt"), watched_story(number))
            while app._new_stories == before:
                await asyncio.sleep(0.005)
            seconds.append(time.perf_counter() - started)
        await pilot.press("ctrl+q")
    return seconds


def watch_figures(tmp: Path, runs: int) -> dict[str, Any]:
    """The watcher's latency, native and polling, on a small archive of our own."""
    from pathlib import PurePosixPath

    from termnews.engine.sync import sync
    from termnews.feeds.stories import write_story
    from termnews.tui import prepare_textual

    prepare_textual()  # as `termnews browse` does, before Textual is imported
    archive, index = tmp / "watched", tmp / "watched-index"
    for number in range(WATCH_ARCHIVE_STORIES):
        write_story(archive, PurePosixPath(f"seed/{number}.txt"), watched_story(number))
    sync(archive, index)
    figures: dict[str, Any] = {}
    for label, poll in (("native", False), ("poll", True)):
        seconds = asyncio.run(_watch_latency(archive, index, poll, runs))
        figures[f"watch_{label}_s"] = round(statistics.median(seconds), 2)
        figures[f"watch_{label}_worst_s"] = round(max(seconds), 2)
    return figures


def feed_server(entries: int) -> ThreadingHTTPServer:
    """The loopback server of the benchmark's feeds (`entries` each) and their pages, on a
    free port of 127.0.0.1; not yet serving."""
    Handler.entries = entries
    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.py fetch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument(
        "--watch-runs", type=int, default=3, help="stories timed per watcher mode (0: none)"
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE.parent / "src"))
    from termnews.engine.sync import sync
    from termnews.feeds.fulltext import FullTextExtractor
    from termnews.feeds.ledger import FeedLedger
    from termnews.feeds.run import fetch_all

    server = feed_server(args.entries)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feeds = [Feed(f"{base}/feed/{n}", f"Bench feed {n}") for n in range(args.feeds)]
    figures: dict[str, Any] = {"feeds": args.feeds, "entries_per_feed": args.entries}
    with tempfile.TemporaryDirectory(prefix="termnews-bench-fetch-") as tmp:
        archive, index = Path(tmp) / "news", Path(tmp) / "index"
        archive.mkdir()
        ledger = FeedLedger(Path(tmp) / "feeds.db")
        with FullTextExtractor() as extractor:
            started = time.perf_counter()
            summary = fetch_all(feeds, archive, ledger, extractor=extractor)
            fetched = time.perf_counter()
            sync(archive, index)
            done = time.perf_counter()
            figures["new_stories"] = summary.new
            figures["failed_feeds"] = summary.failed
            figures["fetch_extract_write_s"] = round(fetched - started, 2)
            figures["index_s"] = round(done - fetched, 2)
            figures["stories_per_s"] = round(summary.new / (done - started), 1)
            started = time.perf_counter()
            again = fetch_all(feeds, archive, ledger, extractor=extractor)
            figures["refetch_s"] = round(time.perf_counter() - started, 2)
            figures["refetch_unchanged"] = sum(o.status == "unchanged" for o in again.outcomes)
        ledger.close()
        # The fetch's peak, before the watcher figures load a browser into this process.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        figures["peak_rss_mb"] = round(peak / 1024, 1)
        if args.watch_runs > 0:
            figures.update(watch_figures(Path(tmp), args.watch_runs))
    server.shutdown()
    # The extractor's worker process, once it has exited (the largest child's peak).
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures["peak_rss_extractor_mb"] = round(children / 1024, 1)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            target = f"  (target {TARGETS[key]})" if key in TARGETS else ""
            print(f"{key:24} {value}{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
