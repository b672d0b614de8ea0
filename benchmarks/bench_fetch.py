"""`bench.py fetch`: fetching news end to end against a server on 127.0.0.1.

A local HTTP server (standard library, in a thread) serves `--feeds` RSS feeds of
`--entries` entries each. Every entry carries only a one-line summary, so each story's page
is fetched and its article extracted (trafilatura, in its worker process). Timed:

- `first_fetch`: fetch, extract, write and index every story (what `termnews fetch` does);
- `refetch`: the same feeds again with nothing new (every feed answers 304);
- peak RSS of the process over the run (the extractor's worker is counted apart).

The pages and feeds are invented here; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.py fetch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE.parent / "src"))
    from termnews.engine.sync import sync
    from termnews.feeds.fulltext import FullTextExtractor
    from termnews.feeds.ledger import FeedLedger
    from termnews.feeds.run import fetch_all

    Handler.entries = args.entries
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
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
    server.shutdown()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # The extractor's worker process, once it has exited (the largest child's peak).
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures["peak_rss_extractor_mb"] = round(children / 1024, 1)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:24} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
