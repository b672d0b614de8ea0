"""The side-by-side benchmark against SQLite FTS5 (benchmarks/bench_peer.py) asks both engines
the same thing: each query type's FTS5 translation finds what termnews finds."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from bench_support import load_benchmark
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync

SAMPLES = Path(__file__).resolve().parents[1] / "sample_articles"


def _load(name: str) -> ModuleType:
    return load_benchmark(name)


@pytest.fixture(scope="module")
def peer() -> ModuleType:
    return _load("bench_peer")


@pytest.fixture(scope="module")
def fts5(peer: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    records, _seconds = peer.parse_archive(SAMPLES)
    assert len(records) > 40
    connection, _seconds = peer.build_fts5(records, tmp_path_factory.mktemp("fts5") / "db")
    return connection


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index") / "ix"
    sync(SAMPLES, folder)
    return folder


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("term", "seawall", ('"seawall"',)),
        ("and2", "seawall council", ('"seawall" "council"',)),
        ("phrase", '"snow crab"', ('"snow crab"',)),
        ("field", 'by:"ana ruiz"', ('authors : "ana ruiz"',)),
        ("field", 'in:"port aldane"', ('dateline : "port aldane"',)),
        ("typeahead", "seawall coun", ('"seawall" coun*',)),
        ("typeahead", "coun", ("coun*",)),
        ("date_range", "date:[2020-01-01 to 2020-12-31]", ("2020-01-01", "2021-01-01")),
    ],
)
def test_each_query_type_has_its_fts5_form(
    peer: ModuleType, kind: str, text: str, expected: tuple[str, ...]
) -> None:
    _sql, parameters = peer.fts5_query(kind, text)
    assert parameters == expected


def test_both_engines_find_the_same_rows(
    peer: ModuleType, fts5: sqlite3.Connection, index_dir: Path
) -> None:
    queries = {
        "term": ["seawall", "quota", "ferry"],
        "and2": ["seawall council", "snow crab"],
        "phrase": ['"snow crab"'],
        "date_range": ["date:[2019-01-01 to 2020-12-31]"],
        "sorted_newest": ["council"],
    }
    with Searcher(index_dir) as searcher:
        figures = peer.compare(searcher, fts5, queries, rounds=4)
    for kind, items in queries.items():
        row = figures[kind]
        assert row["queries"] == len(items)
        assert row["counts_differ"] == {}, kind
        assert row["termnews_p95_ms"] > 0 and row["fts5_p95_ms"] > 0
    assert figures["field"] is None  # no field queries were given: no figure of nothing


def test_the_scale_fit_recovers_a_power_law() -> None:
    scale = _load("bench_scale")
    a, b = scale.fit([(n, 3.0 * n**1.25) for n in (20_000, 100_000, 300_000)])
    assert a == pytest.approx(3.0, rel=1e-6) and b == pytest.approx(1.25, rel=1e-6)
    assert scale.fit([(20_000, 5.0)]) is None  # one size fits no curve
    runs = [
        {"size": 20_000, "build_s": 10.0, "index_mb": 100.0},
        {"size": 100_000, "build_s": 50.0, "index_mb": 500.0},
    ]
    text = scale.table(runs)
    assert "| build (s) | 10.0 | 50.0 | b = 1.00 | 500.0 |" in text
    assert "index size (MB)" in text and "term p95" not in text  # no figure of nothing
