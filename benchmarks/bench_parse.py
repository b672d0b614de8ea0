"""Parser throughput: how many stories per second one core turns into Articles.

    bench.py parse --corpus DIR [--json] [--limit N] [--seconds S] [--rounds R]

All files are read into memory first, because reading is the disk's cost, not the parser's.
Parsing then runs in one thread, so the figure is per core and means the same on a laptop and
on a many-core CI machine. It is not pinned to a CPU: on a busy box pinning only stops the
scheduler from moving the run to an idle core. CPU time is recorded beside wall time instead.
The indexer's first run parses every story, so this figure bounds how fast a fresh archive can
become searchable.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_STORIES_PER_S = 3000
_FLOOR_SECONDS = 1.0


def _corpus(root: Path, limit: int | None) -> list[Path]:
    """Sorted so that `--limit N` always picks the same N stories."""
    paths = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    return paths[:limit] if limit else paths


def _percentile(sorted_values: list[int], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return float(sorted_values[index])


def run(
    stories: list[tuple[str, bytes]],
    parse: Callable[[bytes, str], object],
    error_type: type[Exception],
    min_seconds: float = 3.0,
    min_rounds: int = 3,
) -> dict[str, Any]:
    """Times `parse` over `stories`: rounds repeat until `min_seconds` or `min_rounds` is met.

    Either condition ends the run, so a 100k-story archive is parsed once rather than three
    times over; a tiny `--limit` sample still runs for at least a second, or its figure is noise.
    """
    for path, data in stories[:50]:  # warm-up: regex compilation and first imports
        with contextlib.suppress(error_type):
            parse(data, path)

    reasons: Counter[str] = Counter()
    timings: list[int] = []
    rounds = 0
    elapsed = 0.0
    clock = time.perf_counter_ns
    cpu_start = time.thread_time()
    while elapsed < min_seconds and (rounds < min_rounds or elapsed < _FLOOR_SECONDS):
        gc.collect()
        round_start = clock()
        for path, data in stories:
            start = clock()
            try:
                parse(data, path)
            except error_type as error:
                if rounds == 0:
                    reasons[str(getattr(error, "reason", error))] += 1
            timings.append(clock() - start)
        elapsed += (clock() - round_start) / 1e9
        rounds += 1

    cpu_seconds = time.thread_time() - cpu_start
    timings.sort()
    parsed = len(stories) * rounds
    per_s = parsed / elapsed if elapsed else 0.0
    return {
        "stories": len(stories),
        "rounds": rounds,
        "seconds": round(elapsed, 3),
        "stories_per_s": round(per_s, 1),
        # On a busy machine wall time includes waiting for the CPU; these two make that visible.
        "cpu_share": round(cpu_seconds / elapsed, 3) if elapsed else None,
        "stories_per_cpu_s": round(parsed / cpu_seconds, 1) if cpu_seconds else None,
        "us_per_story_p50": round(_percentile(timings, 0.50) / 1000, 1),
        "us_per_story_p95": round(_percentile(timings, 0.95) / 1000, 1),
        "failures": sum(reasons.values()),
        "failure_reasons": dict(reasons.most_common(5)),
        "target_stories_per_s": TARGET_STORIES_PER_S,
        "ratio_to_target": round(per_s / TARGET_STORIES_PER_S, 3),
    }


def _table(result: dict[str, Any]) -> str:
    rows = [
        ("corpus", result["corpus"]),
        ("stories", f"{result['stories']:,} (mean {result['mean_words']:.0f} words)"),
        ("rounds", f"{result['rounds']} in {result['seconds']:.2f} s, one thread"),
        ("throughput", f"{result['stories_per_s']:,.0f} stories/s"),
        ("per CPU s", f"{result['stories_per_cpu_s'] or 0:,.0f} stories/s"),
        ("target", f"{result['target_stories_per_s']:,} stories/s"),
        ("ratio", f"{result['ratio_to_target']:.2f}x target"),
        ("p50 / p95", f"{result['us_per_story_p50']:,.0f} / {result['us_per_story_p95']:,.0f} µs"),
        ("failures", str(result["failures"])),
    ]
    rows += [(f"  {reason}", str(count)) for reason, count in result["failure_reasons"].items()]
    if (result["cpu_share"] or 1.0) < 0.9:
        share = result["cpu_share"] * 100
        rows.append(("note", f"the parser had the CPU {share:.0f}% of the time: the box is busy"))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.py parse", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of story files")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--limit", type=int, default=None, help="parse only the first N files")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum timed seconds")
    parser.add_argument("--rounds", type=int, default=3, help="or this many rounds")
    args = parser.parse_args(argv)

    try:
        from termnews.errors import ParseError
        from termnews.parsing import parse_bytes
    except ImportError as error:
        print(f"bench parse: cannot import the parser ({error})", file=sys.stderr)
        return 2
    if not args.corpus.is_dir():
        print(
            f"bench parse: {args.corpus} is not a folder; make one with "
            "benchmarks/gen_corpus.py N DIR",
            file=sys.stderr,
        )
        return 2
    paths = _corpus(args.corpus, args.limit)
    if not paths:
        print(f"bench parse: no files under {args.corpus}", file=sys.stderr)
        return 2

    stories = [(str(p), p.read_bytes()) for p in paths]
    mean_words = sum(len(data.split()) for _, data in stories) / len(stories)
    result = run(stories, parse_bytes, ParseError, args.seconds, args.rounds)
    result = {
        "benchmark": "parse",
        "corpus": str(args.corpus),
        "mean_words": round(mean_words, 1),
        **result,
        "python": platform.python_version(),
    }
    print(json.dumps(result) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
