"""Index and search benchmark: `bench.py [index] --corpus DIR [--json] [--queries N] [--merge]`.

Prints one JSON object (and, without --json, a readable table on stderr):

- `index_docs_per_s`: a full `termnews.engine.store.sync` (walk, parse, index, commit);
- `baseline_docs_per_s`: bare Whoosh (`MpWriter`, same schema and writer settings) indexing
  the same documents already parsed, in the same run;
- `noop_sync_s`, `add_one_s`: an unchanged re-sync, and a re-sync after one new story;
- `open_first_query_ms`, `rss_mb` and `p50_ms`/`p95_ms` per query type, measured in a fresh
  process that only searches, as the browser would: open, first query, then numpy loaded
  (`numpy_load_ms`) as the browser does in its first pause, then the timed queries.

The corpus is never written to: the build reads it through a temporary folder of symlinks,
which also lets `add_one_s` add a held-back story. Queries come from the generator's
`QUERY_VOCAB` (the corpus's own words), so they are the same on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
WRITER = {"procs": 2, "limitmb": 256, "multisegment": True, "compound": False}
QUERY_TYPES = (
    "term",
    "and2",
    "phrase",
    "field",
    "date_range",
    "sorted_newest",
    "typeahead",
    "snippets20",
)


def _vocab() -> dict[str, list[str]]:
    sys.path.insert(0, str(BENCH_DIR))
    from gen_corpus import QUERY_VOCAB

    return QUERY_VOCAB


def queries(vocab: dict[str, list[str]]) -> dict[str, list[str]]:
    """The fixed query list of each type, from the corpus's own vocabulary."""
    years = range(2005, 2026)
    return {
        "term": list(vocab["terms"]),
        "and2": list(vocab["pairs"]),
        "phrase": [f'"{p}"' for p in vocab["phrases"]],
        "field": [f'by:"{a}"' for a in vocab["authors"][:10]]
        + [f'in:"{d}"' for d in vocab["datelines"][:10]],
        "date_range": [f"date:[{y}-01-01 to {y}-02-15]" for y in years],
        "sorted_newest": list(vocab["terms"]),
        "typeahead": [
            f"{t.split()[0]} {p}" for t, p in zip(vocab["terms"], vocab["prefixes"], strict=False)
        ]
        + list(vocab["prefixes"]),
        "snippets20": list(vocab["terms"]),
    }


# -- building ----------------------------------------------------------------------------


def symlink_view(corpus: Path, target: Path) -> list[Path]:
    """Mirror `corpus` as real folders of symlinks; returns the files left out (for add-one)."""
    from termnews.archive import scan

    files = sorted(scan(corpus))
    held_back = files[-1:]
    for rel in files[:-1]:
        link = target / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(corpus / rel)
    return [corpus / rel for rel in held_back]


def baseline(corpus: Path, workdir: Path) -> tuple[float, float]:
    """(parse docs/s, bare Whoosh docs/s) on the same files, parsed before indexing starts."""
    from whoosh.index import create_in

    from termnews.archive import scan
    from termnews.engine.schema import build_schema, document
    from termnews.parsing import parse_file

    started = time.perf_counter()
    docs = []
    for item in scan(corpus).values():
        try:
            docs.append(document(item.rel, parse_file(corpus / item.rel), item.mtime_ns, item.size))
        except Exception:
            continue
    parse_rate = len(docs) / (time.perf_counter() - started)
    folder = workdir / "baseline"
    folder.mkdir()
    ix = create_in(str(folder), build_schema())
    started = time.perf_counter()
    writer = ix.writer(**WRITER)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    rate = len(docs) / (time.perf_counter() - started)
    shutil.rmtree(folder)
    return parse_rate, rate


def build(corpus: Path, workdir: Path) -> dict[str, Any]:
    from termnews.engine.sync import sync

    view = workdir / "archive"
    held_back = symlink_view(corpus, view)
    index_dir = workdir / "index"
    report = sync(view, index_dir, procs=2)
    figures: dict[str, Any] = {
        "docs": report.new + 1,
        "skipped": len(report.skipped),
        "index_s": round(report.seconds, 2),
        "index_docs_per_s": round(report.new / report.seconds, 1),
    }
    started = time.perf_counter()
    noop = sync(view, index_dir)
    figures["noop_sync_s"] = round(time.perf_counter() - started, 3)
    assert noop.new == noop.changed == noop.removed == 0
    (view / "added-one.txt").symlink_to(held_back[0])
    started = time.perf_counter()
    added = sync(view, index_dir)
    figures["add_one_s"] = round(time.perf_counter() - started, 3)
    assert added.new == 1, added
    segments = [n for n in os.listdir(index_dir) if n.endswith(".pst")]
    figures["segments"] = len(segments)
    figures["index_mb"] = round(sum(f.stat().st_size for f in index_dir.iterdir()) / 2**20, 1)
    return figures


# -- searching (in a fresh process) ---------------------------------------------------------


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered), 2), round(p95, 2)


def search_figures(index_dir: Path, rounds: int) -> dict[str, Any]:
    """Runs in its own process: open, first query, every query type, then RSS."""
    import psutil

    from termnews.engine import vector
    from termnews.engine.searcher import Searcher
    from termnews.results import SortOrder

    plan = queries(_vocab())
    started = time.perf_counter()
    searcher = Searcher(index_dir)
    searcher.search(plan["term"][0], limit=20)
    figures: dict[str, Any] = {
        "open_first_query_ms": round((time.perf_counter() - started) * 1000, 1)
    }
    # The browser loads numpy in its first pause after start-up (`termnews.engine.vector`); a
    # process that has not, such as `termnews search`, pays this on its first phrase.
    started = time.perf_counter()
    vector.load()
    figures["numpy_load_ms"] = round((time.perf_counter() - started) * 1000, 1)
    for kind in QUERY_TYPES:
        items = plan[kind]
        samples = []
        totals = []
        for i in range(rounds):
            text = items[i % len(items)]
            if kind == "snippets20":
                results = searcher.search(text, limit=0)
                t0 = time.perf_counter()
                searcher.hits(results, 0, 20)
            else:
                t0 = time.perf_counter()
                if kind == "typeahead":
                    results = searcher.search_as_you_type(text, limit=20)
                elif kind == "sorted_newest":
                    results = searcher.search(text, sort=SortOrder.NEWEST, limit=20)
                else:
                    results = searcher.search(text, limit=20)
            samples.append((time.perf_counter() - t0) * 1000)
            totals.append(results.total)
        p50, p95 = _percentiles(samples)
        figures[f"{kind}_p50_ms"], figures[f"{kind}_p95_ms"] = p50, p95
        figures[f"{kind}_median_hits"] = statistics.median(totals)
    figures["rss_mb"] = round(psutil.Process().memory_info().rss / 2**20, 1)
    searcher.close()
    return figures


def _search_in_subprocess(index_dir: Path, rounds: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--_search", str(index_dir), "--queries", str(rounds)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def merge_figures(index_dir: Path, rounds: int) -> dict[str, Any]:
    """Does merging the build's segments into one pay? Time it, then re-measure queries."""
    from whoosh.index import open_dir
    from whoosh.writing import SegmentWriter

    from termnews.engine.store import INDEX_NAME
    from termnews.engine.sync.writer import WRITER_OPTIONS

    started = time.perf_counter()
    ix = open_dir(str(index_dir), indexname=INDEX_NAME)
    SegmentWriter(ix, **WRITER_OPTIONS).commit(optimize=True)  # our codec, as a sync merges
    merged = {"merge_s": round(time.perf_counter() - started, 1)}
    after = _search_in_subprocess(index_dir, rounds)
    merged.update({f"merged_{k}": v for k, v in after.items() if k.endswith("p95_ms")})
    merged["merged_open_first_query_ms"] = after["open_first_query_ms"]
    return merged


def table(figures: dict[str, Any]) -> str:
    lines = [f"{key:32} {value}" for key, value in figures.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.py index", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="folder of stories (see gen_corpus.py)")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument("--queries", type=int, default=60, help="runs per query type (60)")
    parser.add_argument("--merge", action="store_true", help="also measure a merge afterwards")
    parser.add_argument("--_search", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._search:
        print(json.dumps(search_figures(args._search, args.queries)))
        return 0
    if args.corpus is None or not args.corpus.is_dir():
        parser.error("--corpus DIR is required and must be a folder")
    corpus = args.corpus.resolve()
    with tempfile.TemporaryDirectory(prefix="termnews-bench-") as tmp:
        workdir = Path(tmp)
        os.environ.pop("TERMNEWS_INDEX_DIR", None)
        parse_rate, base_rate = baseline(corpus, workdir)
        figures: dict[str, Any] = build(corpus, workdir)
        figures["baseline_docs_per_s"] = round(base_rate, 1)
        figures["parse_docs_per_s"] = round(parse_rate, 1)
        figures["build_vs_baseline"] = round(figures["index_docs_per_s"] / base_rate, 2)
        figures.update(_search_in_subprocess(workdir / "index", args.queries))
        for kind in QUERY_TYPES:  # the key names: p50_ms/p95_ms per type
            figures.setdefault("p50_ms", {})[kind] = figures[f"{kind}_p50_ms"]
            figures.setdefault("p95_ms", {})[kind] = figures[f"{kind}_p95_ms"]
        if args.merge:
            figures.update(merge_figures(workdir / "index", args.queries))
    if not args.json:
        print(table({k: v for k, v in figures.items() if not isinstance(v, dict)}), file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH_DIR))
    sys.exit(main())
