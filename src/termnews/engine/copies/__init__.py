"""Copies: the same wire story reprinted under other headlines, found at index time.

Two stories are copies when the word shingles of their parsed bodies have a Jaccard
similarity of at least a threshold; clusters are the connected components of that relation.
A generation sees them as `Clusters` (`gen.copies`).
"""

from __future__ import annotations

from termnews.engine.copies.clusters import Clusters
from termnews.engine.copies.load import load_clusters

__all__ = ["Clusters", "load_clusters"]
