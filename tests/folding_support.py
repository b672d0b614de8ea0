"""Shared by the folding tests: copies made by hand, and every row of a result read in pages."""

from __future__ import annotations

import numpy as np

from termnews.engine.copies import Clusters
from termnews.engine.searcher import Searcher
from termnews.results import Hit, Results


def install(searcher: Searcher, labels: list[int]) -> None:
    """Make the stories with equal labels copies of each other, for the next searches."""
    gen = searcher._gen
    count = gen.reader.doc_count_all()
    cluster_of = np.array([labels[d % len(labels)] for d in range(count)], dtype=np.int64)
    ids = [f"c{n}" for n in range(int(cluster_of.max()) + 1)]
    gen._copies = Clusters(cluster_of, ids, np.ones(count, dtype=bool))


def every_row(searcher: Searcher, results: Results, page: int) -> list[Hit]:
    rows: list[Hit] = []
    for start in range(0, results.rows, page):
        rows += searcher.hits(results, start, start + page)
    return rows
