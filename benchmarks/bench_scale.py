"""How termnews's costs grow with the archive: `bench.py scale [--sizes 20000,100000,300000]`.

For each size, a generated corpus (`gen_corpus.py`, seeded, made once under `--root`) is
indexed from scratch and then searched the way `bench.py index` searches (a fresh process,
the query sets drawn from the index itself), and these are recorded:

- `build_s`: a full `sync` with `--procs` processes; `build_peak_rss_mb` the largest
  resident size of any process of the build (parent or worker);
- `index_mb`: the index folder's size;
- `open_first_query_ms`, `rss_mb` and every query type's `p95_ms`: as in `bench.py index`.

Each size's figures are kept in `--root/scale-N.json`, so a run can add one size at a time
(the 300,000-story build takes a while) and the fit uses every size on record. The fit is a
power law per figure, `y = a * N^b`, by least squares on the logarithms: `b` near 1 is
linear growth, above about 1.1 faster than linear. The line printed for 1,000,000 stories
is that fit extrapolated, not a measurement.

Not part of `make bench` (it takes tens of minutes): `make bench-scale`.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import bench_index  # noqa: E402
import bench_queries  # noqa: E402

DEFAULT_SIZES = (20_000, 100_000, 300_000)
EXTRAPOLATE_TO = 1_000_000
#: The corpora's seed: one size is always the same stories.
CORPUS_SEED = 42
QUERY_ROUNDS = 40
#: The figures fitted and extrapolated, with how they read in the table.
FITTED = {
    "build_s": "build (s)",
    "index_mb": "index size (MB)",
    "build_peak_rss_mb": "build peak RSS (MB)",
    "open_first_query_ms": "open + first query (ms)",
    "rss_mb": "RSS searching (MB)",
    **{f"{kind}_p95_ms": f"{kind} p95 (ms)" for kind in bench_queries.QUERY_TYPES},
}


def corpus_for(size: int, root: Path) -> Path:
    """The generated corpus of `size` stories, made now if it is not there yet."""
    folder = root / f"termnews-corpus-{size}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(BENCH_DIR / "gen_corpus.py"), str(size), str(folder)],
            check=True,
        )
        done.write_text(f"{size}\n")
    return folder


_BUILD = """
import json, resource, sys, time
from pathlib import Path
from termnews.engine.sync import sync
started = time.perf_counter()
report = sync(Path(sys.argv[1]), Path(sys.argv[2]), procs=int(sys.argv[3]))
seconds = time.perf_counter() - started
peak_kb = max(
    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
)
print(json.dumps({"stories": report.new, "build_s": seconds, "build_peak_rss_mb": peak_kb / 1024}))
"""


def build(corpus: Path, index_dir: Path, procs: int) -> dict[str, Any]:
    """A full build in its own process, so its peak RSS is its own."""
    result = subprocess.run(
        [sys.executable, "-c", _BUILD, str(corpus), str(index_dir), str(procs)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout)
    figures["build_s"] = round(figures["build_s"], 1)
    figures["build_peak_rss_mb"] = round(figures["build_peak_rss_mb"], 1)
    figures["index_mb"] = round(sum(f.stat().st_size for f in index_dir.iterdir()) / 2**20, 1)
    return figures


def measure(size: int, root: Path, procs: int, rounds: int) -> dict[str, Any]:
    corpus = corpus_for(size, root)
    with tempfile.TemporaryDirectory(prefix="termnews-scale-", dir=root) as scratch:
        index_dir = Path(scratch) / "index"
        figures: dict[str, Any] = {"size": size, "procs": procs}
        figures.update(build(corpus, index_dir, procs))
        queries = bench_queries.draw(index_dir)
        queries_file = Path(scratch) / "queries.json"
        queries_file.write_text(json.dumps(queries.to_json()))
        searched = bench_index._search_in_subprocess(index_dir, queries_file, rounds)
    figures.update(
        {
            key: value
            for key, value in searched.items()
            if key in FITTED or key in ("open_first_query_ms", "rss_mb")
        }
    )
    figures["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return figures


def fit(points: list[tuple[int, float]]) -> tuple[float, float] | None:
    """(a, b) of `y = a * N^b` through `points` (least squares on the logarithms)."""
    usable = [(math.log(n), math.log(y)) for n, y in points if n > 0 and y and y > 0]
    if len(usable) < 2:
        return None
    mean_x = sum(x for x, _ in usable) / len(usable)
    mean_y = sum(y for _, y in usable) / len(usable)
    spread = sum((x - mean_x) ** 2 for x, _ in usable)
    if not spread:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in usable) / spread
    return math.exp(mean_y - slope * mean_x), slope


def table(runs: list[dict[str, Any]]) -> str:
    sizes = [run["size"] for run in runs]
    header = ["figure", *(f"{n:,}" for n in sizes), "growth N^b", f"{EXTRAPOLATE_TO:,} (fit)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, label in FITTED.items():
        values = [run.get(key) for run in runs]
        if all(v is None for v in values):
            continue
        fitted = fit([(n, v) for n, v in zip(sizes, values, strict=True) if v is not None])
        growth = f"b = {fitted[1]:.2f}" if fitted else "-"
        guess = f"{fitted[0] * EXTRAPOLATE_TO ** fitted[1]:,.1f}" if fitted else "-"
        cells = ["-" if v is None else f"{v:,}" for v in values]
        lines.append("| " + " | ".join([label, *cells, growth, guess]) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.py scale", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in DEFAULT_SIZES),
        help="comma-separated corpus sizes to measure now",
    )
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=QUERY_ROUNDS)
    parser.add_argument("--table-only", action="store_true", help="fit what is on record")
    args = parser.parse_args(argv)
    args.root.mkdir(parents=True, exist_ok=True)
    if not args.table_only:
        for size in (int(n) for n in args.sizes.split(",") if n.strip()):
            figures = measure(size, args.root, args.procs, args.rounds)
            (args.root / f"scale-{size}.json").write_text(json.dumps(figures, indent=1))
            print(f"{size:,} stories: {json.dumps(figures)}", file=sys.stderr)
    runs = sorted(
        (json.loads(p.read_text()) for p in args.root.glob("scale-*.json")),
        key=lambda run: run["size"],
    )
    if not runs:
        print("bench scale: no sizes on record yet", file=sys.stderr)
        return 1
    print(table(runs))
    return 0
