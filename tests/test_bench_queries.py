"""The benchmark draws its query sets from the index it measures (bench_queries.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench_support import load_benchmark
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
STORIES = 60


def _load(name: str) -> ModuleType:
    return load_benchmark(name)


@pytest.fixture(scope="module")
def bq() -> ModuleType:
    return _load("bench_queries")


@pytest.fixture(scope="module")
def corpus(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    gen.generate(STORIES, folder, seed=7, words=200)
    return folder


@pytest.fixture(scope="module")
def index_dir(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index") / "ix"
    sync(corpus, folder)
    return folder


@pytest.fixture(scope="module")
def drawn(bq: ModuleType, index_dir: Path) -> object:
    return bq.draw(index_dir, seed=11, per_type=12)


def _totals(index_dir: Path, queries: list[str], *, as_you_type: bool = False) -> list[int]:
    with Searcher(index_dir) as searcher:
        run = searcher.search_as_you_type if as_you_type else searcher.search
        return [run(q, limit=0).total for q in queries]


def test_every_query_type_is_drawn(bq: ModuleType, drawn: object) -> None:
    assert set(drawn.queries) == set(bq.QUERY_TYPES)
    assert all(drawn.queries[kind] for kind in bq.QUERY_TYPES)
    assert drawn.missing == []
    assert all(len(set(items)) == len(items) for items in drawn.queries.values())


def test_same_seed_same_set_other_seed_another(bq: ModuleType, index_dir: Path) -> None:
    first = bq.draw(index_dir, seed=11, per_type=12)
    again = bq.draw(index_dir, seed=11, per_type=12)
    other = bq.draw(index_dir, seed=12, per_type=12)
    assert first.queries == again.queries
    assert first.queries != other.queries


def test_set_does_not_depend_on_the_order_stories_were_indexed(
    bq: ModuleType, corpus: Path, index_dir: Path, tmp_path: Path
) -> None:
    # Worker processes index batches in whatever order they finish, so two builds of one
    # archive number its stories differently; here the second half goes in first.
    files = sorted(p.relative_to(corpus) for p in corpus.rglob("*.txt"))
    view = tmp_path / "view"
    reordered = tmp_path / "ix"
    for part in (files[len(files) // 2 :], files[: len(files) // 2]):
        for rel in part:
            (view / rel).parent.mkdir(parents=True, exist_ok=True)
            (view / rel).symlink_to(corpus / rel)
        sync(view, reordered)
    assert bq.draw(reordered, seed=11, per_type=12).queries == (
        bq.draw(index_dir, seed=11, per_type=12).queries
    )


def test_words_phrases_and_dates_are_found(drawn: object, index_dir: Path) -> None:
    for kind in ("term", "and2", "phrase", "date_range"):
        totals = _totals(index_dir, drawn.queries[kind])
        assert all(total > 0 for total in totals), (kind, totals)


def test_phrases_are_two_or_three_words_of_one_story(drawn: object, corpus: Path) -> None:
    text = " ".join(
        " ".join(p.read_text(encoding="utf-8", errors="replace").lower().split())
        for p in corpus.rglob("*.txt")
    )
    for phrase in drawn.queries["phrase"]:
        words = phrase.strip('"')
        assert 2 <= len(words.split()) <= 3
        assert words in text


def test_field_queries_hit_stories_with_that_author_or_place(
    drawn: object, index_dir: Path
) -> None:
    fields = drawn.queries["field"]
    assert any(q.startswith("by:") for q in fields) and any(q.startswith("in:") for q in fields)
    with Searcher(index_dir) as searcher:
        for query in fields:
            results = searcher.search(query, limit=5)
            assert results.total > 0, query
            value = query.split(":", 1)[1].strip('"')
            for hit in results.hits:
                held = hit.authors if query.startswith("by:") else (hit.dateline or "",)
                assert any(value in name.lower() for name in held), (query, hit)


def test_term_levels_go_from_common_to_rare(drawn: object) -> None:
    levels = drawn.details["term_levels"]
    high = [pick["stories"] for pick in levels["high"]]
    mid = [pick["stories"] for pick in levels["mid"]]
    low = [pick["stories"] for pick in levels["low"]]
    assert high and mid and low
    assert min(high) >= max(mid) >= max(low) >= min(low) >= 2
    assert all(w.isalpha() for w in drawn.queries["term"])


def test_typeahead_prefixes_start_real_words(drawn: object, index_dir: Path) -> None:
    items = drawn.queries["typeahead"]
    bare = [q for q in items if " " not in q]
    assert bare and all(3 <= len(q) <= 5 for q in bare)
    assert all(len(q.split()[-1]) <= 5 for q in items)
    assert all(total > 0 for total in _totals(index_dir, bare, as_you_type=True))


def test_misspellings_find_nothing_as_typed(drawn: object, index_dir: Path) -> None:
    typos = drawn.queries["nohit"]
    assert typos
    assert _totals(index_dir, typos) == [0] * len(typos)


def test_a_set_round_trips_through_json(bq: ModuleType, drawn: object, tmp_path: Path) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps({"index_docs_per_s": 1.0, **drawn.to_json()}), encoding="utf-8")
    replayed = bq.load(saved)
    assert replayed.queries == drawn.queries
    assert replayed.details["drawn_from"] == str(saved)
    saved.write_text(json.dumps({"queries": {"term": [1, 2]}}), encoding="utf-8")
    with pytest.raises(ValueError):
        bq.load(saved)


def test_an_index_without_stories_says_so(bq: ModuleType, tmp_path: Path) -> None:
    archive = tmp_path / "empty"
    archive.mkdir()
    (archive / "not-a-story.txt").write_bytes(b"")
    sync(archive, tmp_path / "ix")
    drawn = bq.draw(tmp_path / "ix")
    assert not any(drawn.queries.values())
    assert drawn.missing and "no stories" in drawn.missing[0]


def test_typing_words_are_real_seeded_words(bq: ModuleType, index_dir: Path) -> None:
    words = bq.typing_words(index_dir, 8, seed=3)
    assert words == bq.typing_words(index_dir, 8, seed=3)
    assert len(words) == 8 and all(len(w) >= 5 and w.isalpha() for w in words)
    assert all(total > 0 for total in _totals(index_dir, words))


@given(
    word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=14),
    seed=st.integers(0, 2**32),
)
def test_a_misspelling_is_one_edit_after_the_first_letter(
    bq: ModuleType, word: str, seed: int
) -> None:
    typo = bq.misspell(word, random.Random(seed))
    assert typo != word
    assert typo[0] == word[0]
    assert abs(len(typo) - len(word)) <= 1
    if len(typo) == len(word):  # replaced or swapped: one or two neighbouring places differ
        differ = [i for i, (a, b) in enumerate(zip(typo, word, strict=True)) if a != b]
        assert len(differ) in (1, 2) and differ[-1] - differ[0] <= 1
    else:  # dropped or doubled: the shorter is the longer without one letter
        short, long_ = sorted((typo, word), key=len)
        assert any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def test_the_table_says_when_a_type_has_no_queries(bq: ModuleType) -> None:
    bench_index = _load("bench_index")
    figures: dict[str, object] = {"index_docs_per_s": 10.0, "missing": ["field: none"]}
    for kind in bq.QUERY_TYPES:
        figures.update({f"{kind}_n": 3, f"{kind}_mean_hits": 2.0})
        figures.update({f"{kind}_p50_ms": 1.0, f"{kind}_p95_ms": 2.0})
    figures["field_n"] = 0
    text = bench_index.table(figures)
    assert "field             0   no queries of this kind" in text
    assert "NOTE: field: none" in text


def test_state_queries_are_other_queries_with_a_filter_added(bq: ModuleType, drawn: object) -> None:
    bases = {q for kind in bq.STATE_BASES for q in drawn.queries[kind]}
    added = set()
    for query in drawn.queries["state"]:
        base = bq.without_state_filter(query)
        assert base in bases and base != query
        added.add(query[len(base) + 1 :])
    assert added == set(bq.STATE_FILTERS)
