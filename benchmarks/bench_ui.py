"""The browser's benchmark: `benchmarks/bench.py ui` calls `main(argv)`.

Figures, each next to its target and baseline:

* first frame with the corpus's index, and a minimal Textual app measured in the same run;
* keystroke to updated results, p95 over real typing through the pilot: the typed words are
  real words of the index being measured, drawn by `bench_queries.typing_words` (seeded by
  `--seed`), so an archive is typed at in its own words;
* bytes over a pty at 80x24: one row down, one page of an article, a full repaint, idle/s;
* RSS (peak) while browsing the corpus and, if given, a 100k-story corpus;
* keystroke to updated results again while the same browser fetches `--fetch-feeds` feeds of
  20 entries each from a server on 127.0.0.1 (`bench_fetch`'s, pages extracted), only the
  keystrokes made while the fetch runs counted.

The pty figures come from `pty_ui_bytes.py`, our own counterpart of the shared
`pty_bytes.py` tool. Indexes are built once per corpus with the real
`termnews.engine.sync.sync` and reused (one folder per corpus under `--index-root`).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PTY_SCRIPT = HERE / "pty_ui_bytes.py"
#: What the status line shows once the list is filled ("412 stories · 380 after folding
#: copies", or "6 results" when nothing is folded): the first frame never says either.
READY = "stories|results"
if str(HERE) not in sys.path:  # run as a script, or imported by bench.py
    sys.path.insert(0, str(HERE))

import bench_queries  # noqa: E402

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("termnews-baseline")

Minimal().run()
"""

#: (figure, target, newsboat baseline, bare-Textual baseline) for the table.
BASELINES = {
    "down": ("≤ 1.5 KB", "27 B", "4.7 KB"),
    "page": ("≤ 1 full repaint", "154 B", "4.7 KB"),
    "repaint": ("—", "2.0 KB", "15.3 KB"),
    "idle": ("≤ 50 B/s", "—", "~1.5 KB/s (blinking Input)"),
}


def index_folder(index_root: Path, corpus: Path) -> Path:
    """One index folder per corpus, so two corpora never rebuild each other's index."""
    resolved = corpus.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:8]
    return index_root / f"index-{resolved.name}-{digest}"


def ensure_index(corpus: Path, index_dir: Path) -> dict[str, Any]:
    """Build (or bring up to date) the index for `corpus`; reports what sync did."""
    from termnews.engine.store import open_index
    from termnews.engine.sync import sync

    started = time.perf_counter()
    report = sync(corpus, index_dir)
    seconds = time.perf_counter() - started
    return {
        "index_dir": str(index_dir),
        "summary": report.summary(),
        "seconds": round(seconds, 2),
        "stories": open_index(index_dir).doc_count(),
    }


def run_pty(
    command: list[str],
    *,
    keys: str,
    marker: str,
    ready: str,
    idle: float,
    env: dict[str, str] | None = None,
    size: str = "80x24",
) -> dict[str, Any]:
    args = [
        sys.executable,
        str(PTY_SCRIPT),
        "--size",
        size,
        "--keys",
        keys,
        "--marker",
        marker,
        "--ready",
        ready,
        "--idle",
        str(idle),
    ]
    for key, value in (env or {}).items():
        args += ["--env", f"{key}={value}"]
    result = subprocess.run(
        [*args, "--", *command], capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def browse_command(index_dir: Path) -> list[str]:
    return [sys.executable, "-m", "termnews", "browse", "--index-dir", str(index_dir), "--no-sync"]


def private_files(state_dir: str) -> dict[str, str]:
    """Env overrides that keep every file termnews writes (last archive, reading state,
    config) inside the benchmark's temporary folder, never the user's own."""
    return {
        "TERMNEWS_STATE_DIR": state_dir,
        "TERMNEWS_DATA_DIR": str(Path(state_dir) / "data"),
        "TERMNEWS_CONFIG": str(Path(state_dir) / "config.toml"),
    }


def first_frames(index_dir: Path, runs: int, state_dir: str) -> dict[str, Any]:
    """Median launch-to-first-frame for termnews and a minimal Textual app, interleaved."""
    ours: list[float] = []
    ready: list[float] = []
    bare: list[float] = []
    env = private_files(state_dir)
    for _ in range(runs):
        result = run_pty(
            browse_command(index_dir), keys="", marker="Search:", ready=READY, idle=0.1, env=env
        )
        ours.append(result["first_frame_s"])
        if result.get("ready_s"):
            ready.append(result["ready_s"])
        result = run_pty(
            [sys.executable, "-c", MINIMAL_APP],
            keys="",
            marker="termnews-baseline",
            ready="",
            idle=0.1,
        )
        bare.append(result["first_frame_s"])
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    return {
        "termnews_s": round(ours_median, 3),
        "minimal_textual_s": round(bare_median, 3),
        "ratio": round(ours_median / bare_median, 2),
        "results_shown_s": round(statistics.median(ready), 3) if ready else None,
        "runs": runs,
    }


async def _keystrokes(
    index_dir: Path, queries: list[str], gap: float, *, fetch_feeds: Any = None
) -> dict[str, Any]:
    """Keystroke-to-painted-results latencies; with `fetch_feeds` (a `Settings` with feeds),
    the browser fetches them meanwhile and only keystrokes made during the fetch count."""
    # First, as `termnews browse` does: Textual's frame rate, set before Textual is imported.
    from termnews.tui import prepare_textual

    prepare_textual()

    # isort: split
    from textual import events

    from termnews.tui.app import TermnewsApp

    app = TermnewsApp(index_dir, None, sync=False, settings=fetch_feeds)
    fetch_started = 0.0
    latencies: list[float] = []
    engine_ms: list[float] = []
    overhead_ms: list[float] = []  # the browser's share: latency minus the engine's own time
    async with app.run_test(size=(80, 24)) as pilot:
        while app.results is None:
            await asyncio.sleep(0.01)
        await pilot.press("slash")
        if fetch_feeds is not None:
            fetch_started = time.perf_counter()
            app.start_fetch(asked=True)
        # While fetching, the words again if need be: the fetch may outlast one pass.
        for query in queries * 3 if fetch_feeds is not None else queries:
            if fetch_feeds is not None and not app._fetching:
                break
            app.search_bar.value = ""
            while app.results is None or app.results.query != "":
                await asyncio.sleep(0.005)
            typed = ""
            for char in query:
                await asyncio.sleep(gap)  # a person typing, slower than the debounce
                typed += char
                started = time.perf_counter()
                # The key goes in as the terminal driver delivers it. `pilot.press` would add
                # its own waits: it polls until the process looks idle, which a search thread
                # busy on the CPU postpones, in sleep-sized steps.
                app.post_message(events.Key(char, char))
                while app.results is None or app.results.query != typed:
                    await asyncio.sleep(0.0005)
                painted = asyncio.get_running_loop().create_future()
                app.call_after_refresh(painted.set_result, None)
                await painted  # the list has taken the results and the screen is redrawn
                if fetch_feeds is not None and not app._fetching:
                    break  # the fetch is over: this keystroke no longer competes with it
                latencies.append(time.perf_counter() - started)
                engine_ms.append(app.results.elapsed_ms)
                overhead_ms.append(latencies[-1] * 1000 - app.results.elapsed_ms)
        fetch_s = None
        fetch_said: list[str] = []
        if fetch_feeds is not None:
            while app._fetching:
                await asyncio.sleep(0.05)
            fetch_s = round(time.perf_counter() - fetch_started, 1)
            # The fetch's summary: that it fetched every story, not that it failed fast.
            fetch_said = [f"{n.title}: {n.message}" for n in app._notifications]
        await pilot.press("ctrl+q")

    def p95_of(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]

    if not latencies:  # the fetch was over before the first keystroke
        return {"keystrokes": 0, "fetch_s": fetch_s, "fetch_said": fetch_said}
    latencies.sort()
    p95 = p95_of(latencies)
    return {
        "keystrokes": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "engine_p50_ms": round(statistics.median(engine_ms), 1),
        "engine_p95_ms": round(p95_of(engine_ms), 1),
        "browser_overhead_p95_ms": round(p95_of(overhead_ms), 1),
        "typing_gap_s": gap,
        "queries": queries,
        "fetch_s": fetch_s,
        "fetch_said": fetch_said,
    }


def keystrokes_while_fetching(
    index_dir: Path, queries: list[str], gap: float, feeds: int, state_dir: str
) -> dict[str, Any]:
    """`_keystrokes` while the browser fetches `feeds` feeds of 20 summary-only entries.

    The feeds are served from a process of their own: a news site is never inside the
    reader's process, and a server's threads in it would take the browser's interpreter
    lock for every request, which no user's browser pays.
    """
    import multiprocessing

    from termnews.settings import FeedSubscription, FetchSettings, Settings

    # The fetch archive's own index goes to the cache dir: keep it in the temporary folder.
    os.environ["XDG_CACHE_HOME"] = str(Path(state_dir) / "cache")
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(target=_serve_feeds, args=(ports, 20), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=60)}"
    settings = Settings(
        feeds=tuple(
            FeedSubscription(f"{base}/feed/{n}", f"Bench feed {n}", fulltext="auto")
            for n in range(feeds)
        ),
        fetch=FetchSettings(archive=Path(state_dir) / "fetched"),
    )
    try:
        figures = asyncio.run(_keystrokes(index_dir, queries, gap, fetch_feeds=settings))
    finally:
        server.terminate()
        server.join()
    figures["feeds"] = feeds
    return figures


def _serve_feeds(ports: Any, entries: int) -> None:
    """Serve `bench_fetch`'s feeds and pages on 127.0.0.1 until killed; the port goes to
    `ports`."""
    sys.path.insert(0, str(HERE))
    import bench_fetch

    server = bench_fetch.feed_server(entries)
    ports.put(server.server_address[1])
    server.serve_forever()


def browsing_run(index_dir: Path, state_dir: str, word: str, size: str = "80x24") -> dict[str, Any]:
    """One pty session: idle, into the list, row down, open, page, back, end of list, repaint,
    typing `word`. The browser starts in the search box; its down arrow moves to the list."""
    keys = f"list=\\x1b[B,down=j,open=\\r,page=\\x20,back=\\x1b,end=G,repaint=,search=/,type={word}"
    return run_pty(
        browse_command(index_dir),
        keys=keys,
        marker="Search:",
        ready=READY,
        idle=3.0,
        env=private_files(state_dir),
        size=size,
    )


def _kb(value: float) -> str:
    return f"{value:,.0f} B" if value < 1024 else f"{value / 1024:.1f} KB"


def _stories(count: int) -> str:
    return f"{count / 1000:.1f}k" if count % 1000 else f"{count // 1000}k"


def table(data: dict[str, Any]) -> str:
    ff = data["first_frame"]
    ks = data["keystroke"]
    b = data["bytes"]
    size = _stories(data["index"]["stories"])
    rows = [
        ("figure", "termnews", "target", "baseline"),
        (
            f"first frame, {size} index",
            f"{ff['termnews_s']:.2f} s ({ff['ratio']:.2f}×)",
            "≤ 0.4 s and ≤ 1.75×",
            f"minimal Textual app {ff['minimal_textual_s']:.2f} s",
        ),
        (
            "list filled after launch",
            f"{ff['results_shown_s']:.2f} s" if ff["results_shown_s"] else "—",
            "—",
            "—",
        ),
        (
            f"keystroke → results, p95 ({size})",
            f"{ks['p95_ms']:.0f} ms (p50 {ks['p50_ms']:.0f})",
            "≤ 50 ms",
            "newsboat 65–100 ms",
        ),
        ("… of which the search engine, p95", f"{ks['engine_p95_ms']:.0f} ms", "—", "—"),
        ("… of which the browser, p95", f"{ks['browser_overhead_p95_ms']:.0f} ms", "—", "—"),
    ]
    if data.get("keystroke_fetching", {}).get("keystrokes"):
        kf = data["keystroke_fetching"]
        rows.append(
            (
                f"… p95 while fetching {kf['feeds']} feeds ({kf['keystrokes']} keys, "
                f"fetch {kf['fetch_s']} s)",
                f"{kf['p95_ms']:.0f} ms (p50 {kf['p50_ms']:.0f})",
                "≤ 50 ms",
                "—",
            )
        )
    rows += [
        (
            "one row down",
            _kb(b["down_bytes"]),
            BASELINES["down"][0],
            f"newsboat {BASELINES['down'][1]}, OptionList {BASELINES['down'][2]}",
        ),
        (
            "one page of article",
            _kb(b["page_bytes"]),
            f"≤ {_kb(b['repaint_bytes'])} (our repaint)",
            f"newsboat {BASELINES['page'][1]}, OptionList {BASELINES['page'][2]}",
        ),
        (
            "full repaint",
            _kb(b["repaint_bytes"]),
            BASELINES["repaint"][0],
            f"newsboat {BASELINES['repaint'][1]}, OptionList {BASELINES['repaint'][2]}",
        ),
        (
            "idle traffic",
            f"{b['idle_bytes_per_s']:.0f} B/s",
            BASELINES["idle"][0],
            BASELINES["idle"][2],
        ),
        (
            f"peak RSS browsing, {size}",
            f"{b['peak_rss_mb']:.0f} MB",
            "≤ 130 MB (20k)",
            "newsboat 130 MB",
        ),
    ]
    if data.get("bytes_100k"):
        rows.append(
            (
                f"peak RSS browsing, {_stories(data['index_100k']['stories'])}",
                f"{data['bytes_100k']['peak_rss_mb']:.0f} MB",
                "≤ 250 MB",
                "—",
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    lines = []
    for number, row in enumerate(rows):
        lines.append(
            "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)) + " |"
        )
        if number == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.py ui", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/termnews-bench-corpus"))
    parser.add_argument("--corpus-100k", type=Path, default=Path("/tmp/termnews-corpus-100k"))
    parser.add_argument("--index-root", type=Path, default=Path("/tmp/termnews-ui-bench"))
    parser.add_argument("--runs", type=int, default=5, help="first-frame launches per app")
    parser.add_argument("--words", type=int, default=12, help="words typed for latency")
    parser.add_argument(
        "--seed",
        type=int,
        default=bench_queries.DEFAULT_SEED,
        help="seed for drawing the typed words from the index",
    )
    parser.add_argument("--gap", type=float, default=0.15, help="seconds between keystrokes")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--skip-100k", action="store_true")
    parser.add_argument(
        "--fetch-feeds",
        type=int,
        default=50,
        help="feeds the browser fetches while keystrokes are timed again (0: skip)",
    )
    args = parser.parse_args(argv)

    if not args.corpus.is_dir():
        print(
            f"no corpus at {args.corpus}; run benchmarks/gen_corpus.py 20000 {args.corpus}",
            file=sys.stderr,
        )
        return 2
    data: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="termnews-ui-state-") as state_dir:
        os.environ.update(private_files(state_dir))
        index_dir = index_folder(args.index_root, args.corpus)
        data["index"] = ensure_index(args.corpus, index_dir)
        words = bench_queries.typing_words(index_dir, args.words, seed=args.seed)
        if not words:
            print(f"no words to type: the index of {args.corpus} holds none", file=sys.stderr)
            return 2
        data["typed_words"] = {"seed": args.seed, "words": words}
        data["first_frame"] = first_frames(index_dir, args.runs, state_dir)
        data["keystroke"] = asyncio.run(_keystrokes(index_dir, words, args.gap))
        if args.fetch_feeds > 0:
            data["keystroke_fetching"] = keystrokes_while_fetching(
                index_dir, words, args.gap, args.fetch_feeds, state_dir
            )
        data["bytes"] = browsing_run(index_dir, state_dir, words[0])
        if not args.skip_100k and args.corpus_100k.is_dir():
            index_100k = index_folder(args.index_root, args.corpus_100k)
            data["index_100k"] = ensure_index(args.corpus_100k, index_100k)
            data["bytes_100k"] = browsing_run(index_100k, state_dir, words[0])
    print(table(data))
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.exit(main(sys.argv[1:]))
