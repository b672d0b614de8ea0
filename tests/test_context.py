"""A query's context: its timeline's buckets and its facets' counts, over every match."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termnews.engine.context import (
    FACET_TOP,
    MAX_BUCKETS,
    Facet,
    as_array,
    bucket_end,
    facets,
    timeline,
)
from termnews.engine.searcher import Searcher
from termnews.engine.story_columns import (
    MICROSECONDS_A_DAY,
    Reader,
    StoryColumns,
    of_stories,
    value_key,
)
from termnews.engine.sync import sync

STORIES = 80
QUERIES = ["", "council", "police OR court", "said -council", "water OR fire OR election"]


def columns_of_days(days: list[int]) -> StoryColumns:
    """Columns for stories published on `days` (day numbers), with no facets."""
    none = np.full(len(days), -1, dtype=np.int32)
    empty = np.zeros(0, dtype=np.int32)
    values: dict[str, tuple[str, ...]] = {"agency": (), "dateline": (), "authors": ()}
    return StoryColumns(np.asarray(days, dtype=np.int64), none, none, empty, empty, values)


FIRST_DAY = date(2001, 1, 1).toordinal() - 1
day_numbers = st.integers(FIRST_DAY, FIRST_DAY + 365 * 25)


@given(
    st.lists(day_numbers, min_size=1, max_size=200).flatmap(
        lambda days: st.tuples(st.just(days), st.lists(st.sampled_from(range(len(days)))))
    )
)
def test_bucket_counts_sum_to_the_matches(drawn: tuple[list[int], list[int]]) -> None:
    days, picked = drawn
    columns = columns_of_days(days)
    docnums = as_array(np, set(picked) or {0})
    found = timeline(columns, docnums)
    assert found.total == len(docnums)
    assert len(found.starts) == len(found.counts)
    assert len(found.counts) <= MAX_BUCKETS or found.bucket == "year"
    # Each story is counted in the bucket its day falls in.
    expected = Counter()
    for docnum in docnums.tolist():
        day = date.fromordinal(days[docnum] + 1)
        for index, start in enumerate(found.starts):
            if start <= day <= bucket_end(found.bucket, start):
                expected[index] += 1
                break
        else:
            raise AssertionError(f"{day} is in no bucket")
    assert [expected[i] for i in range(len(found.counts))] == list(found.counts)
    # Buckets run without gaps, and the first and last hold a story.
    for before, after in zip(found.starts, found.starts[1:], strict=False):
        assert bucket_end(found.bucket, before) + timedelta(days=1) == after
    assert found.counts[0] and found.counts[-1]


def buckets_needed(bucket: str, first: int, last: int) -> int:
    """How many buckets of a size the days `first` to `last` span, counted by hand."""
    a, b = date.fromordinal(first + 1), date.fromordinal(last + 1)
    return {
        "day": last - first + 1,
        "week": ((b - timedelta(days=b.weekday())) - (a - timedelta(days=a.weekday()))).days // 7
        + 1,
        "month": (b.year * 12 + b.month) - (a.year * 12 + a.month) + 1,
        "year": b.year - a.year + 1,
    }[bucket]


@given(day_numbers, st.integers(0, 365 * 30))
def test_the_finest_bucket_that_fits_is_chosen(first: int, span: int) -> None:
    found = timeline(columns_of_days([first, first + span]), np.array([0, 1]))
    sizes = ["day", "week", "month", "year"]
    chosen = sizes.index(found.bucket)
    assert len(found.counts) == buckets_needed(found.bucket, first, first + span)
    assert len(found.counts) <= MAX_BUCKETS or found.bucket == "year"
    for finer in sizes[:chosen]:
        assert buckets_needed(finer, first, first + span) > MAX_BUCKETS


def test_no_matches_no_buckets() -> None:
    found = timeline(columns_of_days([FIRST_DAY]), np.zeros(0, dtype=np.int64))
    assert found.counts == () and found.first is None


# -- facets over a generated corpus ---------------------------------------------------------


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> Iterator[Searcher]:
    root = tmp_path_factory.mktemp("context")
    gen.generate(STORIES, root / "archive", seed=11, words=80)
    sync(root / "archive", root / "index")
    with Searcher(root / "index") as opened:
        yield opened


@pytest.fixture(scope="module")
def columns(searcher: Searcher) -> StoryColumns:
    gen = searcher._gen
    return Reader(gen.reader, gen.docsets.dates()).read_all()


def brute_force(searcher: Searcher, docnums: list[int]) -> dict[str, Counter[str]]:
    """Each facet's counts, from every story's stored fields, grouped as the engine groups."""
    counts: dict[str, Counter[str]] = {"agency": Counter(), "dateline": Counter()}
    counts["authors"] = Counter()
    for docnum in docnums:
        stored = searcher._gen.reader.stored_fields(docnum)
        for field in ("agency", "dateline"):
            if (stored.get(field) or "").strip():
                counts[field][value_key(stored[field])] += 1
        for name in (stored.get("authors") or "").split("\n"):
            if name.strip():
                counts["authors"][value_key(name)] += 1
    return counts


def top_of(counted: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


def as_keys(found: tuple[Facet, ...]) -> list[tuple[str, int]]:
    return [(value_key(facet.value), facet.count) for facet in found]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picked=st.sets(st.integers(0, STORIES - 1), min_size=1))
def test_facet_counts_match_brute_force(
    searcher: Searcher, columns: StoryColumns, picked: set[int]
) -> None:
    found = facets(columns, as_array(np, picked))
    expected = brute_force(searcher, sorted(picked))
    for listed, field in (
        (found.agencies, "agency"),
        (found.datelines, "dateline"),
        (found.authors, "authors"),
    ):
        keys = as_keys(listed)
        assert len(keys) == min(FACET_TOP, len(expected[field]))
        # The same counts, most first; ties may be cut at the tenth either way.
        assert [count for _key, count in keys] == [c for _k, c in top_of(expected[field])][
            : len(keys)
        ]
        assert all(expected[field][key] == count for key, count in keys)


@pytest.mark.parametrize("query", QUERIES)
def test_a_querys_context_covers_every_match(searcher: Searcher, query: str) -> None:
    results = searcher.search(query, limit=5, all_copies=True)
    context = searcher.context(results)
    assert context.total == results.total == context.timeline.total
    every = searcher.hits(results, 0, results.total)
    assert len(every) == results.total
    agencies = Counter(value_key(hit.agency) for hit in every if hit.agency)
    assert as_keys(context.facets.agencies) == top_of(agencies)[: len(context.facets.agencies)]
    days = sorted(date.fromisoformat(hit.published[:10]) for hit in every if hit.published)
    if days:
        assert (context.timeline.first, context.timeline.last) == (days[0], days[-1])


def test_columns_days_are_the_publication_days(searcher: Searcher, columns: StoryColumns) -> None:
    dates = searcher._gen.docsets.dates()
    assert columns.days.tolist() == [value // MICROSECONDS_A_DAY for value in dates]


def test_spellings_of_one_value_are_one_facet() -> None:
    assert value_key("MONTRÉAL") == value_key(" Montreal ") == "montreal"


def test_a_new_generation_reads_only_the_stories_a_sync_wrote(
    tmp_path: Path, gen: ModuleType
) -> None:
    gen.generate(12, tmp_path / "archive", seed=3, words=40)
    sync(tmp_path / "archive", tmp_path / "index")
    with Searcher(tmp_path / "index") as searcher:
        first = Reader(searcher._gen.reader, searcher._gen.docsets.dates())
        before = first.read_all()
        assert first.read_count == 12
        gen.generate(13, tmp_path / "more", seed=4, words=40)
        newest = sorted((tmp_path / "more").rglob("*.txt"))[-1]
        (tmp_path / "archive" / "added.txt").write_bytes(newest.read_bytes())
        sync(tmp_path / "archive", tmp_path / "index")
        assert searcher.refresh()
        later = Reader(searcher._gen.reader, searcher._gen.docsets.dates())
        after = later.read_all()
        assert later.read_count == 1
        assert len(after.agency) == len(before.agency) + 1
        results = searcher.search("", limit=1)
        assert searcher.context(results).total == 13


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picked=st.sets(st.integers(0, STORIES - 1), min_size=1))
def test_a_few_matches_read_on_their_own_count_the_same(
    searcher: Searcher, columns: StoryColumns, picked: set[int]
) -> None:
    docnums = as_array(np, picked)
    gen = searcher._gen
    own = of_stories(gen.reader, gen.docsets.dates(), docnums)
    assert facets(own, docnums) == facets(columns, docnums)
    assert timeline(own, docnums) == timeline(columns, docnums)
