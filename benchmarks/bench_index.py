"""Index and search benchmark: `bench.py [index] --corpus DIR [--json] [--queries N] [--merge]`.

Prints one JSON object (and, without --json, a readable table on stderr):

- `index_docs_per_s`: a full `termnews.engine.store.sync` (walk, parse, index, commit);
- `baseline_docs_per_s`: bare Whoosh (`MpWriter`, same schema and writer settings) indexing
  the same documents already parsed, in the same run; `build_vs_baseline` is the median of
  `--build-rounds` ratios, each of a baseline measured just before a build (`build_rounds`
  lists them; the rates shown are the medians); `build_vs_baseline_cpu` is the same
  comparison in CPU time per story, which other programs on the machine barely move;
- `noop_sync_s`, `add_one_s`: an unchanged re-sync, and a re-sync after one new story;
- `clustering_*`, what finding copies (`termnews.engine.copies`) costs: full builds with it
  on and off (`TERMNEWS_COPIES=off`), alternated for `--clustering-rounds` pairs, as
  `clustering_build_added_pct` (the median of the pairs' wall-time ratios) and
  `clustering_cpu_added_pct` (of their CPU per story), and the copies file against the rest
  of the index (`clustering_size_added_pct`);
- `open_first_query_ms`, `rss_mb` (`rss_end_mb`: again after the folding, related and
  context stages) and, per query type, `<type>_p50_ms`/`<type>_p95_ms`, how
  many distinct queries ran (`<type>_n`) and their mean hit count (`<type>_mean_hits`),
  measured in a fresh process that only searches, as the browser would: open, first query,
  then numpy loaded (`numpy_load_ms`) as the browser does in its first pause, then the timed
  queries (each type cycles through its set for `--queries` runs);
- `folding_*`: queries of several types and the empty query with copies folded (the default)
  and with every copy, timed alternately: `folding_added_p95_ms` the difference of the p95s,
  `folding_added_paired_p95_ms` the p95 of each query's own difference;
- `related_*`: related stories (`Searcher.related`) of `--queries` stories, each its first
  time, once the searcher is warmed up as the browser's is; `context_*`: the timeline and
  facets (`Searcher.context`) of the drawn query whose match count is nearest 5,000
  (`context_query`, `context_hits`), after the first call (`context_first_ms`), which reads
  the story columns once per index generation;
- `state_*`: the `state` queries (other types' queries with a reading-state filter added)
  against a state database in a temporary folder where `STATE_SHARES` of the stories are
  read, starred and tagged (seeded); `state_base_p95_ms` is the same queries without the
  filter, timed alternately with them, `state_added_p95_ms` the difference of the two p95s
  and `state_added_paired_p95_ms` the p95 of each query's own difference;
  `state_first_ms` the first filtered query (it reads the identity column) and
  `state_after_mark_ms` a filtered query right after a mark (the snapshot is read again);
- `queries` ({type: [query, ...]}), `query_details` and `missing`: the query set itself.

Queries are drawn from the index just built (`bench_queries.py`): its own words, phrases,
authors, datelines and dates, seeded by `--seed`, so a real archive is timed on what it holds
and not on the no-hit path. `--queries-from FILE.json` replays the set of an earlier run.
The corpus is never written to: the build reads it through a temporary folder of symlinks,
which also lets `add_one_s` add a held-back story.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:  # run as a script, or imported by bench.py or the tests
    sys.path.insert(0, str(BENCH_DIR))

import bench_queries  # noqa: E402
from bench_queries import QUERY_TYPES  # noqa: E402

WRITER = {"procs": 2, "limitmb": 256, "multisegment": True, "compound": False}
#: Timed runs per query type when --queries is not given.
ROUNDS = 60
#: Baseline-then-build pairs measured; the build ratio is the median of the pairs' ratios.
BUILD_ROUNDS = 3
#: Builds with and without finding copies, alternated, for the `clustering_*` figures.
CLUSTERING_ROUNDS = 3
#: The share of stories the state benchmark marks read, starred and tagged.
STATE_SHARES = {"read": 0.20, "starred": 0.02, "tagged": 0.05}
#: Marks made one at a time to time the first filtered query after each.
MARKS_TIMED = 5


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


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the writers' worker processes).

    Other programs on a shared machine stretch wall-clock time far more than CPU time, so
    CPU per story is the steadier way to compare two builds (see `build`).
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def baseline(corpus: Path, workdir: Path) -> tuple[float, float, float]:
    """(parse docs/s, bare Whoosh docs/s, its CPU ms per doc) on the same files, parsed
    before indexing starts."""
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
    started, cpu = time.perf_counter(), cpu_seconds()
    writer = ix.writer(**WRITER)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    rate = len(docs) / (time.perf_counter() - started)
    cpu_ms = (cpu_seconds() - cpu) * 1000 / max(1, len(docs))
    shutil.rmtree(folder)
    return parse_rate, rate, cpu_ms


def build(corpus: Path, workdir: Path, rounds: int) -> dict[str, Any]:
    """Build rates against the baseline, then the re-sync figures on the first round's index.

    Each round measures the baseline and then our build, one right after the other, and the
    ratio is taken within the round: on a shared machine the speed drifts between minutes,
    and the median of the rounds' ratios is steadier than one pair. Later rounds build into a
    scratch folder that is deleted afterwards. Each round also compares CPU time per story
    (`cpu_ratio`: the baseline's over ours), which other load on the machine barely moves.
    """
    from termnews.engine.sync import sync

    view = workdir / "archive"
    held_back = symlink_view(corpus, view)
    index_dir = workdir / "index"
    runs: list[dict[str, float]] = []
    first = None
    for number in range(rounds):
        parse_rate, base_rate, base_cpu_ms = baseline(corpus, workdir)
        target = index_dir if number == 0 else workdir / "index-again"
        cpu = cpu_seconds()
        report = sync(view, target, procs=2)
        cpu_ms = (cpu_seconds() - cpu) * 1000 / max(1, report.new)
        first = first or report
        rate = report.new / report.seconds
        runs.append(
            {
                "baseline_docs_per_s": round(base_rate, 1),
                "index_docs_per_s": round(rate, 1),
                "ratio": round(rate / base_rate, 3) if base_rate else 0.0,
                "baseline_cpu_ms_per_doc": round(base_cpu_ms, 3),
                "index_cpu_ms_per_doc": round(cpu_ms, 3),
                "cpu_ratio": round(base_cpu_ms / cpu_ms, 3) if cpu_ms else 0.0,
                "parse_docs_per_s": round(parse_rate, 1),
            }
        )
        if number:
            shutil.rmtree(target)
    assert first is not None
    figures: dict[str, Any] = {
        "docs": first.new + 1,
        "skipped": len(first.skipped),
        "index_s": round(first.seconds, 2),
    }
    for key in ("index_docs_per_s", "baseline_docs_per_s", "parse_docs_per_s"):
        figures[key] = round(statistics.median(run[key] for run in runs), 1)
    figures["build_vs_baseline"] = round(statistics.median(run["ratio"] for run in runs), 2)
    figures["build_vs_baseline_cpu"] = round(statistics.median(run["cpu_ratio"] for run in runs), 2)
    figures["build_rounds"] = runs
    started = time.perf_counter()
    noop = sync(view, index_dir)
    figures["noop_sync_s"] = round(time.perf_counter() - started, 3)
    assert noop.new == noop.changed == noop.removed == 0
    (view / "added-one.txt").symlink_to(held_back[0])
    started = time.perf_counter()
    added = sync(view, index_dir)
    figures["add_one_s"] = round(time.perf_counter() - started, 3)
    if added.new != 1:  # the held-back file did not parse: nothing was added to time
        figures["add_one_s"] = None
    segments = [n for n in os.listdir(index_dir) if n.endswith(".pst")]
    figures["segments"] = len(segments)
    figures["index_mb"] = round(sum(f.stat().st_size for f in index_dir.iterdir()) / 2**20, 1)
    return figures


def clustering_cost(view: Path, index_dir: Path, workdir: Path, rounds: int) -> dict[str, Any]:
    """`clustering_*`: full builds of `view` with copies found and not, alternated (on, off,
    then off, on, ...) so that drift on a shared machine falls on both sides. The added
    share is the median of each pair's own ratio, as for the build ratio: this machine's
    speed drifts by more than the copies cost between pairs, and a pair's two builds run
    back to back."""
    from termnews.engine.copies.data import COPIES_FILE
    from termnews.engine.copies.switch import SWITCH
    from termnews.engine.sync import sync

    seconds: dict[bool, list[float]] = {True: [], False: []}
    cpu_ms: dict[bool, list[float]] = {True: [], False: []}
    for number in range(rounds):
        for on in (True, False) if number % 2 == 0 else (False, True):
            target = workdir / "index-clustering"
            if not on:
                os.environ[SWITCH] = "off"
            try:
                cpu = cpu_seconds()
                report = sync(view, target, procs=2)
                cpu_ms[on].append((cpu_seconds() - cpu) * 1000 / max(1, report.new))
                seconds[on].append(report.seconds)
            finally:
                os.environ.pop(SWITCH, None)
            shutil.rmtree(target)
    figures: dict[str, Any] = {}
    if rounds:
        on_s, off_s = statistics.median(seconds[True]), statistics.median(seconds[False])
        wall = [on / off for on, off in zip(seconds[True], seconds[False], strict=True)]
        cpu = [on / off for on, off in zip(cpu_ms[True], cpu_ms[False], strict=True)]
        figures["clustering_build_on_s"] = round(on_s, 2)
        figures["clustering_build_off_s"] = round(off_s, 2)
        figures["clustering_build_added_pct"] = round((statistics.median(wall) - 1) * 100, 1)
        figures["clustering_cpu_added_pct"] = round((statistics.median(cpu) - 1) * 100, 1)
        figures["clustering_pairs_s"] = [
            [round(a, 2), round(b, 2)] for a, b in zip(seconds[True], seconds[False], strict=True)
        ]
    copies = index_dir / COPIES_FILE
    if copies.exists():
        total = sum(f.stat().st_size for f in index_dir.iterdir())
        size = copies.stat().st_size
        figures["clustering_size_mb"] = round(size / 2**20, 2)
        figures["clustering_size_added_pct"] = round(size * 100 / max(1, total - size), 2)
    return figures


# -- searching (in a fresh process) ---------------------------------------------------------


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered), 2), round(p95, 2)


def _timed(searcher: Any, kind: str, text: str) -> tuple[float, Any]:
    """(milliseconds, Results) for one query of type `kind`, as a front end would run it."""
    from termnews.results import SortOrder

    if kind == "snippets20":  # the first page's stored fields and snippets, on their own
        results = searcher.search(text, limit=0)
        started = time.perf_counter()
        searcher.hits(results, 0, 20)
    else:
        started = time.perf_counter()
        if kind == "typeahead":
            results = searcher.search_as_you_type(text, limit=20)
        elif kind == "sorted_newest":
            results = searcher.search(text, sort=SortOrder.NEWEST, limit=20)
        else:  # `nohit` included: a search that finds nothing computes its suggestion
            results = searcher.search(text, limit=20)
    return (time.perf_counter() - started) * 1000, results


def marked_state(searcher: Any, folder: Path, seed: int) -> Any:
    """A state database in `folder` with `STATE_SHARES` of the index's stories marked."""
    from termnews.state.store import StateStore

    identities = sorted(searcher.all_identities())
    rng = random.Random(seed)

    def share(name: str) -> list[str]:
        return rng.sample(identities, round(len(identities) * STATE_SHARES[name]))

    store = StateStore(folder / "state.db")
    store.set_read(share("read"), True)
    store.set_starred(share("starred"), True)
    store.add_tag(share("tagged"), bench_queries.BENCH_TAG)
    return store


def state_figures(searcher: Any, items: list[str], rounds: int) -> dict[str, Any]:
    """The `state` queries and the same queries without their filter, timed alternately.

    Alternating keeps a busy machine's slow minutes out of the difference between the two.
    """
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="termnews-bench-state-") as tmp:
        store = marked_state(searcher, Path(tmp), bench_queries.DEFAULT_SEED)
        searcher.attach_state(store)
        elapsed, _results = _timed(searcher, "state", items[0])
        figures["state_first_ms"] = round(elapsed, 2)
        filtered, plain = [], []
        totals: dict[str, int] = {}
        for i in range(rounds):
            text = items[i % len(items)]
            base_ms, _base = _timed(searcher, "state", bench_queries.without_state_filter(text))
            elapsed, results = _timed(searcher, "state", text)
            plain.append(base_ms)
            filtered.append(elapsed)
            totals[text] = results.total
        identity = sorted(searcher.all_identities())[0]
        after_mark = []
        for i in range(MARKS_TIMED):
            store.set_read([identity], i % 2 == 0)
            elapsed, _results = _timed(searcher, "state", items[i % len(items)])
            after_mark.append(elapsed)
        searcher.attach_state(None)
        store.close()
    figures["state_p50_ms"], figures["state_p95_ms"] = _percentiles(filtered)
    figures["state_base_p50_ms"], figures["state_base_p95_ms"] = _percentiles(plain)
    figures["state_added_p95_ms"] = round(figures["state_p95_ms"] - figures["state_base_p95_ms"], 2)
    # Per query: the filtered run less its unfiltered twin (fewer matches can make it faster).
    _p50, figures["state_added_paired_p95_ms"] = _percentiles(
        [with_filter - without for with_filter, without in zip(filtered, plain, strict=True)]
    )
    figures["state_mean_hits"] = round(statistics.mean(totals.values()), 1)
    figures["state_after_mark_ms"] = round(statistics.median(after_mark), 2)
    figures["state_marked"] = {
        name: round(share * len(searcher.all_identities())) for name, share in STATE_SHARES.items()
    }
    return figures


#: The query types whose queries the folding figures time both ways; the empty query (every
#: story, the largest match set to fold) is timed with them.
FOLDING_TYPES = ("term", "and2", "phrase", "field", "date_range", "sorted_newest", "typeahead")
#: Queries of each type the folding figures cycle through.
FOLDING_PER_TYPE = 10


def _timed_copies(searcher: Any, kind: str, text: str, all_copies: bool) -> tuple[float, Any]:
    """(milliseconds, Results) for one query with copies folded or not (first page of 20)."""
    from termnews.results import SortOrder

    started = time.perf_counter()
    if kind == "typeahead":
        results = searcher.search_as_you_type(text, limit=20, all_copies=all_copies)
    elif kind == "sorted_newest":
        results = searcher.search(text, SortOrder.NEWEST, 20, all_copies=all_copies)
    else:
        results = searcher.search(text, limit=20, all_copies=all_copies)
    return (time.perf_counter() - started) * 1000, results


def folding_figures(searcher: Any, plan: dict[str, list[str]], rounds: int) -> dict[str, Any]:
    """`folding_*`: queries with copies folded (the default) against the same with every copy
    (`all_copies=True`), timed alternately so both see the same caches and machine load;
    `folding_added_p95_ms` is the difference of the p95s, `folding_added_paired_p95_ms` the
    p95 of each query's own difference, `folding_mean_folded` the mean number of matches
    folded away per query."""
    pairs = [("sorted_newest", "")] + [
        (kind, text) for kind in FOLDING_TYPES for text in (plan.get(kind) or [])[:FOLDING_PER_TYPE]
    ]
    folded, every, added, saved = [], [], [], []
    for i in range(max(rounds, len(pairs))):
        kind, text = pairs[i % len(pairs)]
        timings = {}
        for all_copies in (i % 2 == 0, i % 2 == 1):  # alternate which runs first
            timings[all_copies], results = _timed_copies(searcher, kind, text, all_copies)
            if not all_copies:
                saved.append(results.total - results.folded_total)
        folded.append(timings[False])
        every.append(timings[True])
        added.append(timings[False] - timings[True])
    figures: dict[str, Any] = {"folding_n": len(pairs)}
    figures["folding_p50_ms"], figures["folding_p95_ms"] = _percentiles(folded)
    figures["folding_all_copies_p50_ms"], figures["folding_all_copies_p95_ms"] = _percentiles(every)
    figures["folding_added_p95_ms"] = round(
        figures["folding_p95_ms"] - figures["folding_all_copies_p95_ms"], 2
    )
    figures["folding_added_paired_p95_ms"] = _percentiles(added)[1]
    figures["folding_mean_folded"] = round(statistics.mean(saved), 1)
    return figures


#: The timeline and facets are timed on the query whose match count is nearest this.
CONTEXT_HITS = 5000


def context_figures(searcher: Any, plan: dict[str, list[str]], rounds: int) -> dict[str, Any]:
    """`related_*`: `Searcher.related` for `rounds` different stories (seeded), each its first
    time; `context_*`: the timeline and facets (`Searcher.context`) of the plan's query with
    the match count nearest `CONTEXT_HITS`, after `context_first_ms`, the first call, which
    reads the story columns once per index generation."""
    searcher.warm_up()  # the browser's first pause reads the term lists key terms use
    everything = searcher.search("", limit=0)
    rows = searcher.hits(everything, 0, min(everything.total, 50 * rounds))
    picked = random.Random(bench_queries.DEFAULT_SEED).sample(rows, min(rounds, len(rows)))
    timings = []
    for hit in picked:
        started = time.perf_counter()
        searcher.related(hit.path)
        timings.append((time.perf_counter() - started) * 1000)
    figures: dict[str, Any] = {"related_n": len(picked)}
    if timings:
        figures["related_p50_ms"], figures["related_p95_ms"] = _percentiles(timings)
    candidates = {text for items in plan.values() for text in items if text}
    totals = {text: searcher.search(text, limit=0).total for text in sorted(candidates)}
    if not totals:
        return figures
    query = min(totals, key=lambda text: (abs(totals[text] - CONTEXT_HITS), text))
    results = searcher.search(query, limit=20)
    started = time.perf_counter()
    searcher.context(results)
    figures["context_first_ms"] = round((time.perf_counter() - started) * 1000, 1)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        searcher.context(results)
        timings.append((time.perf_counter() - started) * 1000)
    figures["context_query"], figures["context_hits"] = query, results.total
    figures["context_p50_ms"], figures["context_p95_ms"] = _percentiles(timings)
    return figures


def search_figures(index_dir: Path, plan: dict[str, list[str]], rounds: int) -> dict[str, Any]:
    """Runs in its own process: open, first query, every query type, then RSS."""
    import psutil

    from termnews.engine import vector
    from termnews.engine.searcher import Searcher

    first = next((items[0] for items in plan.values() if items), None)
    started = time.perf_counter()
    searcher = Searcher(index_dir)
    if first is not None:  # with no query set at all, only the open is timed
        searcher.search(first, limit=20)
    figures: dict[str, Any] = {
        "open_first_query_ms": round((time.perf_counter() - started) * 1000, 1)
    }
    # The browser loads numpy in its first pause after start-up (`termnews.engine.vector`); a
    # process that has not, such as `termnews search`, pays this on its first phrase.
    started = time.perf_counter()
    vector.load()
    figures["numpy_load_ms"] = round((time.perf_counter() - started) * 1000, 1)
    for kind in QUERY_TYPES:
        items = (plan.get(kind) or [])[:rounds]  # the queries that will run
        figures[f"{kind}_n"] = len(items)
        if not items:  # said in `missing`; no figure rather than a figure of nothing
            figures[f"{kind}_p50_ms"] = figures[f"{kind}_p95_ms"] = None
            figures[f"{kind}_mean_hits"] = None
            continue
        if kind == "state":
            figures.update(state_figures(searcher, items, rounds))
            continue
        samples = []
        totals: dict[str, int] = {}
        suggested: set[str] = set()
        for i in range(rounds):
            text = items[i % len(items)]
            elapsed, results = _timed(searcher, kind, text)
            samples.append(elapsed)
            totals[text] = results.total
            if results.suggestion:
                suggested.add(text)
        p50, p95 = _percentiles(samples)
        figures[f"{kind}_p50_ms"], figures[f"{kind}_p95_ms"] = p50, p95
        figures[f"{kind}_mean_hits"] = round(statistics.mean(totals.values()), 1)
        if kind == "nohit":
            figures["nohit_suggested"] = len(suggested)
    # Taken where it always was (after the query types), then again after the stages that
    # scroll 3,000 rows and read every story's columns.
    figures["rss_mb"] = round(psutil.Process().memory_info().rss / 2**20, 1)
    figures.update(folding_figures(searcher, plan, rounds))
    figures.update(context_figures(searcher, plan, rounds))
    figures["rss_end_mb"] = round(psutil.Process().memory_info().rss / 2**20, 1)
    searcher.close()
    return figures


def _search_in_subprocess(index_dir: Path, queries_file: Path, rounds: int) -> dict[str, Any]:
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--_search",
            str(index_dir),
            "--queries-from",
            str(queries_file),
            "--queries",
            str(rounds),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"bench: the search process failed (exit status {result.returncode})")
    return json.loads(result.stdout)


def merge_figures(index_dir: Path, queries_file: Path, rounds: int) -> dict[str, Any]:
    """Does merging the build's segments into one pay? Time it, then re-measure queries."""
    from whoosh.index import open_dir
    from whoosh.writing import SegmentWriter

    from termnews.engine.store import INDEX_NAME
    from termnews.engine.sync.writer import WRITER_OPTIONS

    started = time.perf_counter()
    ix = open_dir(str(index_dir), indexname=INDEX_NAME)
    SegmentWriter(ix, **WRITER_OPTIONS).commit(optimize=True)  # our codec, as a sync merges
    merged = {"merge_s": round(time.perf_counter() - started, 1)}
    after = _search_in_subprocess(index_dir, queries_file, rounds)
    merged.update({f"merged_{k}": v for k, v in after.items() if k.endswith("p95_ms")})
    merged["merged_open_first_query_ms"] = after["open_first_query_ms"]
    return merged


def query_set(index_dir: Path, args: argparse.Namespace) -> bench_queries.QuerySet:
    """The set to time: replayed from --queries-from, else drawn from the index (seeded)."""
    if args.queries_from:
        return bench_queries.load(args.queries_from)
    return bench_queries.draw(index_dir, seed=args.seed, per_type=args.per_type)


def table(figures: dict[str, Any]) -> str:
    """The figures as text: build figures first, then one row per query type."""
    lines = [
        f"{key:32} {value}"
        for key, value in figures.items()
        if not isinstance(value, dict | list) and not key.startswith(QUERY_TYPES)
    ]
    lines.append("")
    lines.append(f"{'query type':14} {'n':>4} {'mean hits':>10} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in QUERY_TYPES:
        n = figures.get(f"{kind}_n", 0)
        if not n:
            lines.append(f"{kind:14} {0:>4}   no queries of this kind (see `missing`)")
            continue
        lines.append(
            f"{kind:14} {n:>4} {figures[f'{kind}_mean_hits']:>10} "
            f"{figures[f'{kind}_p50_ms']:>8} {figures[f'{kind}_p95_ms']:>8}"
        )
    if "state_added_p95_ms" in figures:
        lines.append(
            f"state filter adds {figures['state_added_p95_ms']} ms at p95 "
            f"(without it: p95 {figures['state_base_p95_ms']} ms); first filtered query "
            f"{figures['state_first_ms']} ms, one right after a mark "
            f"{figures['state_after_mark_ms']} ms"
        )
    if "folding_added_p95_ms" in figures:
        lines.append(
            f"folding copies adds {figures['folding_added_p95_ms']} ms at p95 "
            f"(p95 {figures['folding_p95_ms']} ms folded, {figures['folding_all_copies_p95_ms']}"
            f" ms with every copy; paired p95 {figures['folding_added_paired_p95_ms']} ms); "
            f"{figures['folding_mean_folded']} matches folded away per query on average"
        )
    if "related_p95_ms" in figures:
        lines.append(
            f"related stories: p50 {figures['related_p50_ms']} ms, p95 "
            f"{figures['related_p95_ms']} ms over {figures['related_n']} stories"
        )
    if "context_p95_ms" in figures:
        lines.append(
            f"timeline+facets of {figures['context_query']!r} ({figures['context_hits']} hits): "
            f"p50 {figures['context_p50_ms']} ms, p95 {figures['context_p95_ms']} ms; "
            f"the first, reading the story columns, {figures['context_first_ms']} ms"
        )
    if "nohit_suggested" in figures:
        lines.append(f"nohit queries given a suggestion: {figures['nohit_suggested']}")
    for note in figures.get("missing") or []:
        lines.append(f"NOTE: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.py index", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="folder of stories (see gen_corpus.py)")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument(
        "--queries", type=int, default=ROUNDS, help=f"timed runs per query type ({ROUNDS})"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=bench_queries.DEFAULT_SEED,
        help=f"seed for drawing the query set from the index ({bench_queries.DEFAULT_SEED})",
    )
    parser.add_argument(
        "--per-type",
        type=int,
        default=bench_queries.PER_TYPE,
        help=f"distinct queries drawn per type ({bench_queries.PER_TYPE})",
    )
    parser.add_argument(
        "--queries-from",
        type=Path,
        help="replay the query set of an earlier run's JSON output instead of drawing one",
    )
    parser.add_argument(
        "--build-rounds",
        type=int,
        default=BUILD_ROUNDS,
        help=f"baseline-then-build pairs; the median ratio is reported ({BUILD_ROUNDS})",
    )
    parser.add_argument("--merge", action="store_true", help="also measure a merge afterwards")
    parser.add_argument(
        "--clustering-rounds",
        type=int,
        default=CLUSTERING_ROUNDS,
        help=f"on-off build pairs timing what finding copies costs ({CLUSTERING_ROUNDS})",
    )
    parser.add_argument("--_search", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._search:
        plan = bench_queries.load(args.queries_from).queries
        print(json.dumps(search_figures(args._search, plan, args.queries)))
        return 0
    if args.corpus is None or not args.corpus.is_dir():
        parser.error("--corpus DIR is required and must be a folder")
    corpus = args.corpus.resolve()
    from termnews.archive import scan

    if len(scan(corpus)) < 2:  # one story is held back to time adding one
        parser.error(f"{corpus} holds fewer than two story files")
    with tempfile.TemporaryDirectory(prefix="termnews-bench-") as tmp:
        workdir = Path(tmp)
        os.environ.pop("TERMNEWS_INDEX_DIR", None)
        figures: dict[str, Any] = build(corpus, workdir, args.build_rounds)
        figures.update(
            clustering_cost(workdir / "archive", workdir / "index", workdir, args.clustering_rounds)
        )
        started = time.perf_counter()
        drawn = query_set(workdir / "index", args)
        figures["draw_queries_s"] = round(time.perf_counter() - started, 2)
        queries_file = workdir / "queries.json"
        queries_file.write_text(json.dumps(drawn.to_json()), encoding="utf-8")
        figures["query_runs_per_type"] = args.queries
        figures.update(_search_in_subprocess(workdir / "index", queries_file, args.queries))
        for kind in QUERY_TYPES:  # the same figures again, grouped by percentile
            figures.setdefault("p50_ms", {})[kind] = figures[f"{kind}_p50_ms"]
            figures.setdefault("p95_ms", {})[kind] = figures[f"{kind}_p95_ms"]
        if args.merge:
            figures.update(merge_figures(workdir / "index", queries_file, args.queries))
        figures.update(drawn.to_json())
    if not args.json:
        print(table(figures), file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH_DIR))
    sys.exit(main())
