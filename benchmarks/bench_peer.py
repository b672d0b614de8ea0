"""termnews against SQLite FTS5 on the same archive: `bench.py peer --corpus DIR [--json]`.

FTS5 is what someone who wants fast search over a folder of text files reaches for first: it
ships with Python. This benchmark builds both from the same files and times the same seeded
queries through both in one process, alternating engine by engine and query by query, so
that the machine's drift falls on both alike.

**What is built.**
- termnews: a full `sync` (walk, parse, index, commit; `--procs` worker processes), as
  `termnews index` does it, after a build of a few of the same files has imported the
  modules a build needs (about 0.1-0.2 s, paid once by a process, as `import sqlite3` is
  not counted for FTS5). Its parse time is stated apart: the same files parsed once more in
  this process, one core, timed on their own.
- Each engine builds `BUILDS` times, alternating, and its median time is the one compared.
- FTS5: the records from that parse inserted into an FTS5 table (`porter unicode61`, the
  columns a person searches: headline, body, authors, dateline, agency) plus a plain table
  holding each story's date, indexed, for date ranges and newest-first. Insert and index
  creation only; its parse is the same as ours and is not counted twice.

**What is asked.** The query sets of `bench_queries.draw`, drawn from the termnews index just
built, so both engines are asked about words the archive holds. Each query returns the top
20 with what a person sees in a row: headline, path, authors, and a snippet of the body
where a word matched (termnews: `Results.hits`; FTS5: `snippet()`). FTS5's syntax for each:

| type | termnews | FTS5 |
|---|---|---|
| term | `harbour` | `MATCH '"harbour"' ORDER BY rank` (bm25) |
| and | `harbour vote` | `MATCH '"harbour" "vote"' ORDER BY rank` |
| phrase | `"harbour vote"` | `MATCH '"harbour vote"' ORDER BY rank` |
| field | `by:"ana ruiz"`, `in:"harbourview"` | `MATCH 'authors : "ana ruiz"'`, `'dateline : ...'` |
| date range | `date:[2024-01-02 to 2024-01-09]` | `published >= '2024-01-02' AND published <` |
| | | `'2024-01-10' ORDER BY published DESC` (no MATCH) |
| newest first | `harbour`, sorted newest | `MATCH '"harbour"' ORDER BY published DESC` |
| typeahead | `harbour vo` (as you type) | `MATCH '"harbour" vo*' ORDER BY rank` |

A date range matches no words, so FTS5 has nothing to make a snippet of: it returns the first
200 characters of the body instead, as termnews's rows do for such a query.

**What is printed.** Per query type: each engine's p50 and p95 in milliseconds and
`FTS5 p95 ÷ termnews p95` (above 1 means termnews answers faster), with how many queries'
top-20 hit counts differ between the two (they should not, or the comparison is unfair);
then each engine's build time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from bench_queries import DEFAULT_SEED, PER_TYPE, draw  # noqa: E402

#: The query types both engines can answer, in the order they are printed.
PEER_TYPES = ("term", "and2", "phrase", "field", "date_range", "sorted_newest", "typeahead")
#: Runs per query type (cycling through its queries), per engine.
ROUNDS = 60
#: Builds per engine; the median is compared.
BUILDS = 3
#: Files of the archive the warm-up build indexes.
WARM_UP_FILES = 3
PAGE = 20
SNIPPET_TOKENS = 16
_FIELD = re.compile(r'^(by|in):"(?P<value>[^"]*)"$')
_DATE_RANGE = re.compile(r"^date:\[(?P<low>\d{4}-\d{2}-\d{2}) to (?P<high>\d{4}-\d{2}-\d{2})\]$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Record:
    """One parsed story, as both engines store it."""

    path: str
    headline: str
    body: str
    authors: str
    dateline: str
    agency: str
    published: str


def warm_up(corpus: Path, scratch: Path, procs: int) -> None:
    """Build an index of a few of the archive's files, so that the timed builds do not pay
    for importing the parser, Whoosh and numpy (a process pays that once)."""
    from termnews.archive import scan
    from termnews.engine.sync import sync

    few = scratch / "archive"
    for item in sorted(scan(corpus).values(), key=lambda item: item.rel)[:WARM_UP_FILES]:
        target = few / item.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / item.rel, target)
    few.mkdir(parents=True, exist_ok=True)
    sync(few, scratch / "index", procs=procs)


def parse_archive(corpus: Path) -> tuple[list[Record], float]:
    """Every story of `corpus` parsed (one core), and the seconds it took."""
    from termnews.archive import scan
    from termnews.engine.schema import published_of
    from termnews.parsing import parse_file

    started = time.perf_counter()
    records = []
    for item in scan(corpus).values():
        try:
            article = parse_file(corpus / item.rel)
        except Exception:  # a story that will not parse is skipped by both
            continue
        when, _iso, _estimated = published_of(article, item.mtime_ns)
        records.append(
            Record(
                path=item.rel,
                headline=article.headline or "",
                body=article.body or "",
                authors="\n".join(article.authors),
                dateline=article.dateline or "",
                agency=article.agency or "",
                published=when.isoformat(),
            )
        )
    return records, time.perf_counter() - started


def build_fts5(records: list[Record], database: Path) -> tuple[sqlite3.Connection, float]:
    """The FTS5 table and the date table, filled in one transaction; (connection, seconds)."""
    started = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.executescript(
        """
        CREATE VIRTUAL TABLE stories USING fts5(
            headline, body, authors, dateline, agency, tokenize = 'porter unicode61'
        );
        CREATE TABLE meta (id INTEGER PRIMARY KEY, path TEXT NOT NULL, published TEXT NOT NULL);
        """
    )
    with connection:
        connection.executemany(
            "INSERT INTO stories (rowid, headline, body, authors, dateline, agency) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                (n, r.headline, r.body, r.authors, r.dateline, r.agency)
                for n, r in enumerate(records, 1)
            ),
        )
        connection.executemany(
            "INSERT INTO meta (id, path, published) VALUES (?, ?, ?)",
            ((n, r.path, r.published) for n, r in enumerate(records, 1)),
        )
        connection.execute("CREATE INDEX meta_published ON meta (published)")
    return connection, time.perf_counter() - started


def _quoted(words: list[str]) -> str:
    return " ".join(f'"{w}"' for w in words)


_RANKED = (
    "SELECT meta.path, stories.headline, stories.authors, "
    f"snippet(stories, 1, '[', ']', '…', {SNIPPET_TOKENS}) "
    "FROM stories JOIN meta ON meta.id = stories.rowid "
    "WHERE stories MATCH ? ORDER BY {order} LIMIT {page}"
)
_DATED = (
    "SELECT meta.path, stories.headline, stories.authors, substr(stories.body, 1, 200) "
    "FROM meta JOIN stories ON stories.rowid = meta.id "
    "WHERE meta.published >= ? AND meta.published < ? ORDER BY meta.published DESC LIMIT {page}"
)


def fts5_query(kind: str, text: str) -> tuple[str, tuple[str, ...]]:
    """FTS5's SQL and parameters for a termnews query of type `kind` (see the module table)."""
    ranked = _RANKED.format(order="rank", page=PAGE)
    if kind == "date_range":
        found = _DATE_RANGE.match(text)
        if found is None:
            raise ValueError(f"not a date range: {text}")
        high = date.fromisoformat(found.group("high")) + timedelta(days=1)
        return _DATED.format(page=PAGE), (found.group("low"), high.isoformat())
    if kind == "field":
        found = _FIELD.match(text)
        if found is None:
            raise ValueError(f"not a field query: {text}")
        column = "authors" if text.startswith("by:") else "dateline"
        return ranked, (f"{column} : {_quoted([' '.join(_WORD.findall(found['value']))])}",)
    if kind == "phrase":
        return ranked, (_quoted([" ".join(_WORD.findall(text))]),)
    if kind == "typeahead":
        words = _WORD.findall(text)
        return ranked, (" ".join([*(f'"{w}"' for w in words[:-1]), f"{words[-1]}*"]),)
    if kind == "sorted_newest":
        newest = _RANKED.format(order="meta.published DESC", page=PAGE)
        return newest, (_quoted(_WORD.findall(text)),)
    return ranked, (_quoted(_WORD.findall(text)),)


def termnews_runner(searcher: Any, kind: str) -> Callable[[str], int]:
    """A function that runs one query of `kind` as the browser does and returns its row count."""
    from termnews.results import SortOrder

    # Every copy is a row of its own, as in FTS5, which knows nothing of copies: both
    # engines then return the same rows, and folding's small cost is not what is compared.
    if kind == "typeahead":
        return lambda text: len(searcher.search_as_you_type(text, limit=PAGE, all_copies=True).hits)
    sort = SortOrder.NEWEST if kind == "sorted_newest" else SortOrder.RELEVANCE
    return lambda text: len(searcher.search(text, sort=sort, limit=PAGE, all_copies=True).hits)


def fts5_runner(connection: sqlite3.Connection, kind: str) -> Callable[[str], int]:
    def run(text: str) -> int:
        sql, parameters = fts5_query(kind, text)
        return len(connection.execute(sql, parameters).fetchall())

    return run


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered), 2), round(p95, 2)


def compare(
    searcher: Any, connection: sqlite3.Connection, queries: dict[str, list[str]], rounds: int
) -> dict[str, Any]:
    """Per query type: both engines' p50/p95, the ratio, and the queries whose counts differ."""
    figures: dict[str, Any] = {}
    for kind in PEER_TYPES:
        items = queries.get(kind) or []
        if not items:
            figures[kind] = None
            continue
        ours, theirs = termnews_runner(searcher, kind), fts5_runner(connection, kind)
        for text in items:  # one untimed pass each: caches, and the count check
            ours(text), theirs(text)
        ours_ms: list[float] = []
        theirs_ms: list[float] = []
        differ: dict[str, tuple[int, int]] = {}
        for n in range(rounds):
            text = items[n % len(items)]
            # Who goes first alternates, so neither always runs on the other's warm cache.
            order = ((ours, ours_ms), (theirs, theirs_ms))
            counts = []
            for run, samples in order if n % 2 == 0 else reversed(order):
                started = time.perf_counter()
                counts.append(run(text))
                samples.append((time.perf_counter() - started) * 1000)
            if n % 2:
                counts.reverse()
            if counts[0] != counts[1]:
                differ[text] = (counts[0], counts[1])
        ours_p50, ours_p95 = _percentiles(ours_ms)
        theirs_p50, theirs_p95 = _percentiles(theirs_ms)
        figures[kind] = {
            "queries": len(items),
            "termnews_p50_ms": ours_p50,
            "termnews_p95_ms": ours_p95,
            "fts5_p50_ms": theirs_p50,
            "fts5_p95_ms": theirs_p95,
            "fts5_over_termnews_p95": round(theirs_p95 / ours_p95, 2) if ours_p95 else None,
            "counts_differ": {text: list(pair) for text, pair in differ.items()},
        }
    return figures


def run(corpus: Path, rounds: int, seed: int, procs: int) -> dict[str, Any]:
    from termnews.engine.searcher import Searcher
    from termnews.engine.sync import sync

    with tempfile.TemporaryDirectory(prefix="termnews-peer-") as scratch:
        work = Path(scratch)
        warm_up(corpus, work / "warm-up", procs)
        records, parse_s = parse_archive(corpus)
        build_seconds: list[float] = []
        fts5_seconds: list[float] = []
        for build in range(BUILDS):
            last = build == BUILDS - 1
            index = work / ("index" if last else f"index-{build}")
            build_seconds.append(sync(corpus, index, procs=procs).seconds)
            database = work / ("fts5.db" if last else f"fts5-{build}.db")
            connection, seconds = build_fts5(records, database)
            fts5_seconds.append(seconds)
            if not last:
                connection.close()
                shutil.rmtree(index)
                database.unlink()
        report_seconds = statistics.median(build_seconds)
        fts5_s = statistics.median(fts5_seconds)
        index_mb = sum(f.stat().st_size for f in (work / "index").iterdir()) / 2**20
        fts5_mb = (work / "fts5.db").stat().st_size / 2**20
        queries = draw(work / "index", seed=seed, per_type=PER_TYPE).queries
        with Searcher(work / "index") as searcher:
            searcher.warm_up()  # as the browser does in its first pause
            by_type = compare(searcher, connection, queries, rounds)
        connection.close()
    parse_rate = len(records) / parse_s if parse_s else 0.0
    # The build's parse share, estimated from the one-core parse rate spread over the workers.
    build_parse_s = parse_s / max(1, min(procs, os.cpu_count() or 1))
    write_s = max(0.0, report_seconds - build_parse_s)
    return {
        "stories": len(records),
        "procs": procs,
        "termnews_build_s": round(report_seconds, 2),
        "termnews_builds_s": [round(seconds, 2) for seconds in build_seconds],
        "fts5_inserts_s": [round(seconds, 3) for seconds in fts5_seconds],
        "parse_s_one_core": round(parse_s, 2),
        "parse_docs_per_s_one_core": round(parse_rate, 1),
        "termnews_build_minus_parse_s": round(write_s, 2),
        "fts5_insert_s": round(fts5_s, 2),
        "build_ratio_parse_excluded": round(write_s / fts5_s, 1) if fts5_s else None,
        "termnews_index_mb": round(index_mb, 1),
        "fts5_mb": round(fts5_mb, 1),
        "types": by_type,
    }


def table(figures: dict[str, Any]) -> str:
    lines = [
        f"termnews vs SQLite FTS5 on {figures['stories']:,} stories (top {PAGE}, snippets)",
        "| query type | termnews p50 / p95 | FTS5 p50 / p95 | FTS5 ÷ termnews (p95) "
        "| counts differ |",
        "|---|---|---|---|---|",
    ]
    for kind in PEER_TYPES:
        row = figures["types"].get(kind)
        if row is None:
            lines.append(f"| {kind} | - | - | - | no queries drawn |")
            continue
        lines.append(
            f"| {kind} | {row['termnews_p50_ms']} / {row['termnews_p95_ms']} ms "
            f"| {row['fts5_p50_ms']} / {row['fts5_p95_ms']} ms "
            f"| {row['fts5_over_termnews_p95']} | {len(row['counts_differ'])} of {row['queries']} |"
        )
    lines.append(
        f"build: termnews {figures['termnews_build_s']} s with {figures['procs']} processes "
        f"(parse {figures['parse_s_one_core']} s on one core, "
        f"{figures['parse_docs_per_s_one_core']:,.0f} stories/s; "
        f"about {figures['termnews_build_minus_parse_s']} s without it) · "
        f"FTS5 insert {figures['fts5_insert_s']} s · "
        f"ratio without parsing {figures['build_ratio_parse_excluded']}×"
    )
    lines.append(
        f"size: termnews index {figures['termnews_index_mb']} MB · FTS5 {figures['fts5_mb']} MB"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.py peer", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="the archive to build from")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="runs per query type")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the query sets' seed")
    parser.add_argument("--procs", type=int, default=2, help="termnews's build processes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"bench peer: {args.corpus} is not a folder", file=sys.stderr)
        return 2
    figures = run(args.corpus, args.rounds, args.seed, args.procs)
    print(json.dumps(figures) if args.json else table(figures))
    return 0
