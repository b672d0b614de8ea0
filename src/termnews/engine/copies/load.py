"""Builds one generation's `Clusters` from the persisted copies data.

The fast path: the file was written for this very generation (the usual case: a sync writes
it right after its commit), so its docnums apply as they are. Otherwise (a reader opened in
the instant between the commit and that write, or a file left from a killed sync) entries
are matched by path and file signature, and a story the file does not know is a singleton.
With no usable file at all, every story is a singleton.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from termnews.engine.copies import data as store
from termnews.engine.copies.clusters import Clusters
from termnews.engine.copies.columns import live_stories
from termnews.engine.copies.data import CopiesData


def _live_mask(total: int, docnums: np.ndarray) -> np.ndarray:
    live = np.zeros(total, dtype=bool)
    live[docnums] = True
    return live


def load_clusters(reader: Any, index_dir: Path) -> Clusters:
    """The clusters of `reader`'s generation; every story a singleton when none are known."""
    total = reader.doc_count_all()
    found = store.read(index_dir)
    fits = found is not None and (not found.docnums.size or int(found.docnums.max()) < total)
    if found is not None and fits and found.generation == reader.generation():
        return _same_generation(found, total)
    live = live_stories(reader, with_files=found is not None)
    if found is None:
        sid_of = [""] * total
        for docnum, sid in zip(live.docnums.tolist(), live.sids, strict=True):
            sid_of[docnum] = sid
        return Clusters.singletons(sid_of, _live_mask(total, live.docnums))
    return _by_path(found, live, total)


def _same_generation(found: CopiesData, total: int) -> Clusters:
    cluster_of = np.arange(total, dtype=np.int64)
    cluster_of[found.docnums] = found.docnums[found.rep]
    sid_of = [""] * total
    for docnum, sid in zip(found.docnums.tolist(), found.sids, strict=True):
        sid_of[docnum] = sid
    return Clusters(cluster_of, sid_of, _live_mask(total, found.docnums))


def _by_path(found: CopiesData, live: Any, total: int) -> Clusters:
    """Entries matched by (path, signature); each cluster named by its smallest live sid."""
    entry_at = {key: i for i, key in enumerate(zip(found.paths, found.sigs, strict=True))}
    sid_of = [""] * total
    best: dict[int, int] = {}  # the old cluster's representative entry -> best live docnum
    group_of: list[int] = []
    for docnum, path, sig, sid in zip(
        live.docnums.tolist(), live.paths, live.sigs, live.sids, strict=True
    ):
        sid_of[docnum] = sid
        entry = entry_at.get((path, sig))
        group = int(found.rep[entry]) if entry is not None else -1 - docnum
        group_of.append(group)
        current = best.get(group)
        if current is None or sid < sid_of[current]:
            best[group] = docnum
    cluster_of = np.arange(total, dtype=np.int64)
    if group_of:
        cluster_of[live.docnums] = [best[g] for g in group_of]
    return Clusters(cluster_of, sid_of, _live_mask(total, live.docnums))
