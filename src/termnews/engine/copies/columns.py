"""The three columns the copies read for every live story: path, file signature, identity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from termnews.engine.whoosh_adapter import reader_column_values


@dataclass(frozen=True)
class LiveStories:
    """Per live story of one reader, in docnum order."""

    docnums: np.ndarray
    paths: list[str]
    sigs: list[str]
    sids: list[str]


def _column(reader: Any, name: str) -> list[str]:
    """Every docnum's value of the column `name`, read a segment at a time."""
    return [raw.decode("utf-8") for raw in reader_column_values(reader, name)]


def live_stories(reader: Any, *, with_files: bool = True) -> LiveStories:
    """Read the columns once (cheap: no stored documents); `with_files=False` skips path and
    signature when only identities are wanted."""
    total = reader.doc_count_all()
    if not total:  # an empty index has no columns at all
        return LiveStories(np.empty(0, np.int64), [], [], [])
    if reader.has_deletions():
        docnums = np.fromiter(sorted(reader.all_doc_ids()), dtype=np.int64)
    else:
        docnums = np.arange(total, dtype=np.int64)
    sids = _column(reader, "sid")
    paths = _column(reader, "path") if with_files else sids
    sigs = _column(reader, "sig") if with_files else sids
    if docnums.size != total:
        keep = docnums.tolist()
        return LiveStories(
            docnums, [paths[d] for d in keep], [sigs[d] for d in keep], [sids[d] for d in keep]
        )
    return LiveStories(docnums, paths, sigs, sids)
