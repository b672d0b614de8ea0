"""Folding copies in search results: the folded count, the folded order and its paging.

The folding is tested against cluster assignments drawn by hypothesis over a generated
corpus: the copies core decides which stories are copies, and folding must be exact for any
answer it gives. Each example installs its clusters in the open generation (the cached
`gen.copies`), which is what a new generation would load.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folding_support import every_row, install
from termnews.engine import folding
from termnews.engine.copies import Clusters
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync
from termnews.results import Hit, SortOrder

STORIES = 70
#: Queries over the generated corpus's own words: one word, two, OR, NOT, the empty query.
QUERIES = [
    "",
    "council",
    "police",
    "said OR police",
    "police OR court",
    "water OR fire OR election",
    "said -council",
    "the",
    "hospital OR school",
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> Iterator[Searcher]:
    root = tmp_path_factory.mktemp("folding")
    gen.generate(STORIES, root / "archive", seed=5, words=90)
    sync(root / "archive", root / "index")
    with Searcher(root / "index") as opened:
        yield opened


def first_of_each_cluster(hits: list[Hit]) -> list[Hit]:
    seen: set[str] = set()
    kept = []
    for hit in hits:
        if hit.cluster not in seen:
            seen.add(hit.cluster)
            kept.append(hit)
    return kept


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    labels=st.lists(st.integers(0, 40), min_size=1, max_size=STORIES),
    query=st.sampled_from(QUERIES),
    sort=st.sampled_from(list(SortOrder)),
    limit=st.integers(1, 12),
    page=st.integers(1, 9),
)
def test_folded_rows_are_one_per_cluster_in_order_none_missing(
    searcher: Searcher, labels: list[int], query: str, sort: SortOrder, limit: int, page: int
) -> None:
    install(searcher, labels)
    every = searcher.search(query, sort, limit=limit, all_copies=True)
    unfolded = every_row(searcher, every, 25)
    assert len(unfolded) == every.total and every.folded_total == every.total

    folded = searcher.search(query, sort, limit=limit)
    assert not folded.all_copies and folded.total == every.total
    # The count shown with folding on is the number of distinct clusters among the hits.
    assert folded.folded_total == len({hit.cluster for hit in unfolded})

    expected = first_of_each_cluster(unfolded)
    rows = every_row(searcher, folded, page)
    assert [row.path for row in rows] == [hit.path for hit in expected]
    assert [row.path for row in folded.hits] == [hit.path for hit in expected[:limit]]
    matched = {}
    for hit in unfolded:
        matched[hit.cluster] = matched.get(hit.cluster, 0) + 1
    assert [row.folded for row in rows] == [matched[row.cluster] - 1 for row in rows]
    assert all(row.copies >= row.folded for row in rows)
    assert all(hit.folded == 0 for hit in unfolded)


def test_marking_every_result_covers_every_copy(searcher: Searcher) -> None:
    install(searcher, [n // 4 for n in range(STORIES)])
    folded = searcher.search("", limit=5)
    assert folded.folded_total < folded.total
    identities = searcher.identities(folded)
    assert len(identities) == len(set(identities)) == folded.total


def test_a_relevance_page_short_of_clusters_ranks_further(searcher: Searcher) -> None:
    """Every story one cluster but a few: the first ranked page holds one row's worth."""
    install(searcher, [0] * (STORIES - 3) + [1, 2, 3])
    folded = searcher.search("said OR the OR council", limit=2)
    rows = every_row(searcher, folded, 2)
    assert len(rows) == folded.folded_total == len({row.cluster for row in rows})


def test_without_copies_the_folded_order_is_the_result_order(searcher: Searcher) -> None:
    install(searcher, list(range(STORIES)))
    folded = searcher.search("council", limit=50)
    every = searcher.search("council", limit=50, all_copies=True)
    assert folded.folded_total == folded.total == every.total
    assert [h.path for h in folded.hits] == [h.path for h in every.hits]
    assert all(h.copies == 0 and h.folded == 0 for h in folded.hits)


def test_copies_lists_the_other_members_oldest_first(searcher: Searcher) -> None:
    install(searcher, [n // 3 for n in range(STORIES)])
    first = searcher.search("", SortOrder.OLDEST, limit=1).hits[0]
    copies = searcher.copies(first.path)
    assert len(copies) == first.copies == 2
    assert first.path not in {c.path for c in copies}
    assert {c.cluster for c in copies} == {first.cluster}
    assert [c.published or "" for c in copies] == sorted(c.published or "" for c in copies)


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=30), st.integers(1, 30))
def test_counting_clusters_by_flags_agrees_with_the_clusters_own_count(
    numbers: list[int], picked: int
) -> None:
    """Small cluster numbers are counted by flags, large ones by `Clusters.count_distinct`."""
    for scale in (1, 10**9):  # numbers below the flags' bound, and far above it
        cluster_of = np.array([n % (len(numbers) * scale) for n in numbers], dtype=np.int64)
        clusters = Clusters(cluster_of, [], np.ones(len(numbers), dtype=bool))
        docnums = np.arange(min(picked, len(numbers)), dtype=np.int64)
        assert folding.count_distinct(np, clusters, docnums) == len(
            set(cluster_of[docnums].tolist())
        )
