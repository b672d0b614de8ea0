"""`Clusters`: which stories of one index generation are copies of each other.

The copy relation is computed at index time and persisted (`copies.store`); a generation
only maps it onto its own docnums, so building one costs array work, never shingling.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


class Clusters:
    """The copy clusters of one generation, by docnum.

    `cluster_of[d]` is a cluster number for every docnum `d` (deleted slots hold anything);
    equal numbers mean the same cluster. `ids[c]` is cluster `c`'s stable id: the smallest
    content identity (`sid`) among its members, the same across restarts and rebuilds.
    """

    def __init__(self, cluster_of: np.ndarray, ids: Sequence[str], live: np.ndarray) -> None:
        """`live`: a bool per docnum, False for deleted slots (never members)."""
        self.cluster_of = cluster_of
        self._ids = ids
        self._live = live
        self._order: np.ndarray | None = None
        self._labels: np.ndarray | None = None
        self._members: dict[int, tuple[int, ...]] | None = None

    @classmethod
    def singletons(cls, identities: Sequence[str], live: np.ndarray) -> Clusters:
        """Every story its own cluster: the answer when no copies data can be read."""
        return cls(np.arange(len(identities), dtype=np.int64), identities, live)

    def cluster_id(self, docnum: int) -> str:
        """The cluster's stable id: the smallest `sid` among its members."""
        return self._ids[int(self.cluster_of[docnum])]

    def members(self, docnum: int) -> tuple[int, ...]:
        """The live docnums of `docnum`'s cluster, itself included, in ascending order."""
        label = int(self.cluster_of[docnum])
        shared = self._shared().get(label)
        if shared is not None:
            return shared
        if self._live[docnum]:  # a live story in no cluster of several: its own
            return (int(docnum),)
        order, labels = self._grouped()
        label = self.cluster_of[docnum]
        lo = int(np.searchsorted(labels, label, side="left"))
        hi = int(np.searchsorted(labels, label, side="right"))
        found = tuple(int(d) for d in order[lo:hi])
        return found if found else (int(docnum),)

    def size(self, docnum: int) -> int:
        """How many live stories the cluster holds (at least 1)."""
        return len(self.members(docnum))

    def count_distinct(self, docnums: Iterable[int] | np.ndarray) -> int:
        """How many distinct clusters `docnums` fall into."""
        if isinstance(docnums, np.ndarray):
            picked = docnums.astype(np.int64, copy=False)
        else:
            picked = np.fromiter(docnums, dtype=np.int64)
        if not picked.size:
            return 0
        return int(np.unique(self.cluster_of[picked]).size)

    def _shared(self) -> dict[int, tuple[int, ...]]:
        """Label -> live members of each cluster of two or more, built on first use: a row
        asks for its cluster's members twice, and two array searches a row cost more than
        the rest of the row."""
        if self._members is None:
            order, labels = self._grouped()
            starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
            stops = np.r_[starts[1:], labels.size]
            several = np.flatnonzero(stops - starts > 1)  # most stories are alone
            self._members = {
                int(labels[starts[i]]): tuple(order[starts[i] : stops[i]].tolist())
                for i in several.tolist()
            }
        return self._members

    def _grouped(self) -> tuple[np.ndarray, np.ndarray]:
        """Live docnums sorted by cluster (then docnum) and their labels, built on first use."""
        if self._order is None or self._labels is None:
            live = np.flatnonzero(self._live)
            self._order = live[np.argsort(self.cluster_of[live], kind="stable")]
            self._labels = self.cluster_of[self._order]
        return self._order, self._labels
