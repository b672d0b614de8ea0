"""Copies: the same wire story reprinted under other headlines, found at index time.

Two stories are copies when the word shingles of their parsed bodies have a Jaccard
similarity of at least a threshold (`sketch.THRESHOLD`); clusters are the connected
components of that relation. Sketches are computed where bodies are parsed (`sketch`), the
relation is kept up to date at the end of each sync (`hook`, `update`) in a file of the index
folder (`data`), and a generation sees it as `Clusters` (`gen.copies`, `load`).
"""

from __future__ import annotations

from termnews.engine.copies.clusters import Clusters
from termnews.engine.copies.load import load_clusters
from termnews.engine.copies.switch import copies_enabled

__all__ = ["Clusters", "copies_enabled", "load_clusters"]
