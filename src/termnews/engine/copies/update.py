"""Keeps the persisted copy relation in step with the index, at the end of every sync.

Incremental: entries whose file is unchanged keep their fingerprint, band keys and edges;
only new fingerprints are matched, against every fingerprint present (LSH candidates, then
the exact Jaccard check on shingle sets recomputed from the stored bodies of the few
candidates). Whether two fingerprints are copies depends on nothing but their two bodies,
so every pair is decided once, by the same rule, whatever the order or batching of syncs;
the clusters (connected components) are then recomputed from all edges, which is cheap.
The one exception is the signature pass (`_decided_by_signatures`), for pairs of stories
sketched by the same sync: it may pass over a true copy with probability 4e-7, and take a
pair below the threshold for a copy with probability 3e-9.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from termnews.engine.copies import data as store
from termnews.engine.copies.columns import live_stories
from termnews.engine.copies.data import NO_BODY, CopiesData
from termnews.engine.copies.sketch import (
    BANDS,
    ROWS,
    SIGNATURE_BYTES,
    are_copies,
    plainly_alike,
    plainly_apart,
    shingles_many,
    sketch_many,
    unpack_many,
)

#: Stored bodies read and cut into shingles in one batch (bounds the memory a batch holds).
SHINGLE_BATCH = 256

Sketches = Mapping[str, tuple[str, bytes, bytes]]
"""rel path -> (file signature text, packed sketch, MinHash signature), as the parsing
workers computed them (`sketch.sketches_and_signatures`)."""


def update(ix: Any, index_dir: Path, sketches: Sketches, *, fresh: bool) -> None:
    """Recompute and persist the copies of `ix`'s latest generation (under the write lock).

    `fresh` ignores what was persisted (a rebuild): every fingerprint is matched anew.
    """
    old = None if fresh else store.read(index_dir)
    old = old or CopiesData.empty()
    with ix.reader() as reader:
        live = live_stories(reader)
        fps, bands = _sketches(reader, live, old, sketches)
        node_fp, first = np.unique(fps, return_index=True)
        has_words = node_fp != NO_BODY
        node_fp, first = node_fp[has_words], first[has_words]
        is_new = ~np.isin(node_fp, old.fps)
        kept = old.edges[np.isin(old.edges, node_fp).all(axis=1)] if old.edges.size else old.edges
        pairs = _candidates(bands[first], is_new)
        pairs, alike = _decided_by_signatures(pairs, first, live, sketches)
        found = np.concatenate([alike, _confirmed(reader, live.docnums[first], pairs)])
        edges = np.concatenate([kept, node_fp[found].reshape(-1, 2)]).astype(np.uint64)
        edges = np.unique(np.sort(edges, axis=1), axis=0) if edges.size else edges.reshape(0, 2)
        rep = _representatives(fps, live.sids, node_fp, edges)
        result = CopiesData(
            generation=reader.generation(),
            paths=live.paths,
            sigs=live.sigs,
            sids=live.sids,
            fps=fps,
            bands=bands,
            edges=edges,
            docnums=live.docnums,
            rep=rep,
        )
    store.write(index_dir, result)


def _sketches(
    reader: Any, live: Any, old: CopiesData, sketches: Sketches
) -> tuple[np.ndarray, np.ndarray]:
    """Each live story's fingerprint and band keys: kept, from the workers, or computed."""
    count = len(live.paths)
    fps = np.zeros(count, dtype=np.uint64)
    bands = np.zeros((count, BANDS), dtype=np.uint32)
    known = {(path, sig): i for i, (path, sig) in enumerate(zip(old.paths, old.sigs, strict=True))}
    kept_at: list[int] = []
    kept_from: list[int] = []
    given_at: list[int] = []
    given: list[bytes] = []
    missing_at: list[int] = []
    for i, (path, sig) in enumerate(zip(live.paths, live.sigs, strict=True)):
        at = known.get((path, sig))
        if at is not None:
            kept_at.append(i)
            kept_from.append(at)
            continue
        sketched = sketches.get(path)
        if sketched is not None and sketched[0] == sig:
            given_at.append(i)
            given.append(sketched[1])
        else:  # indexed without a sketch (an older file, or copies were off)
            missing_at.append(i)
    if kept_at:
        fps[kept_at], bands[kept_at] = old.fps[kept_from], old.bands[kept_from]
    # The missing are sketched from their stored bodies a batch at a time: turning copies
    # on for an archive indexed without them sketches every story here.
    for start in range(0, len(missing_at), SHINGLE_BATCH):
        batch = missing_at[start : start + SHINGLE_BATCH]
        bodies = [reader.stored_fields(int(live.docnums[i])).get("body") or "" for i in batch]
        given_at.extend(batch)
        given.extend(sketch_many(bodies))
    if given_at:
        # All the new sketches unpacked at once, not one `unpack` each.
        fps[given_at], bands[given_at] = unpack_many(given)
    return fps, bands


def _candidates(node_bands: np.ndarray, is_new: np.ndarray) -> np.ndarray:
    """(pairs, 2) node indexes sharing a band key, at least one of them new, each pair once.

    Every (band, key) of every node is sorted at once, and every new node of a group of
    equal ones is paired with each other node of its group, all groups at once: a Python
    step per group was most of the time, a 20k build's bands holding some 24,000 groups of
    two or more, and a sort per band most of the rest.
    """
    if not node_bands.size:
        return np.empty((0, 2), dtype=np.int64)
    count, bands = node_bands.shape
    keyed = (np.arange(bands, dtype=np.uint64) << np.uint64(32)) | node_bands.astype(np.uint64)
    flat = keyed.ravel()
    order = np.argsort(flat)
    ordered = flat[order]
    node_of = order // bands  # each sorted place's node
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, ordered.size])
    group_of = np.repeat(np.arange(starts.size), sizes)  # each sorted place's group
    chosen = np.flatnonzero((sizes[group_of] > 1) & is_new[node_of])
    if not chosen.size:
        return np.empty((0, 2), dtype=np.int64)
    # Each chosen (new) node, once for every member of its group.
    spans = sizes[group_of[chosen]]
    a = np.repeat(node_of[chosen], spans)
    first = np.repeat(starts[group_of[chosen]], spans)
    step = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    b = node_of[first + step]
    keep = a != b
    low, high = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    pairs = np.unique(low.astype(np.int64) * count + high)
    return np.stack([pairs // count, pairs % count], axis=1)


def _decided_by_signatures(
    pairs: np.ndarray, node_entry: np.ndarray, live: Any, sketches: Sketches
) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs (of nodes, each standing for the live entry `node_entry[node]`)
    that the exact check must still decide, and those that are plainly copies: for pairs
    whose two MinHash signatures were both computed by this sync's workers, pairs plainly
    apart are dropped (`sketch.plainly_apart`) and pairs plainly alike are copies
    (`sketch.plainly_alike`).

    Most candidates share a band by chance, and most of the rest are close reprints;
    deciding them from their signatures spares reading their bodies back and cutting them
    into shingles, most of the exact check. A pair with a story sketched by an earlier sync
    (whose signature is not kept) is checked as before.
    """
    if not pairs.size:
        return pairs, pairs
    nodes = np.unique(pairs)
    known = np.zeros(node_entry.size, dtype=bool)
    rows = np.zeros((node_entry.size, BANDS * ROWS + 1), dtype=np.uint32)
    for node, entry in zip(nodes.tolist(), node_entry[nodes].tolist(), strict=True):
        given = sketches.get(live.paths[entry])
        if given is not None and given[0] == live.sigs[entry] and len(given[2]) == SIGNATURE_BYTES:
            rows[node] = np.frombuffer(given[2], dtype="<u4")
            known[node] = True
    a, b = pairs[:, 0], pairs[:, 1]
    both = known[a] & known[b]
    values, sizes = rows[:, :-1], rows[:, -1]
    apart = both & plainly_apart(values[a], values[b])
    alike = both & plainly_alike(values[a], values[b], sizes[a], sizes[b])
    return pairs[~apart & ~alike], pairs[alike]


def _confirmed(reader: Any, node_doc: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """The candidate pairs that really are copies (`sketch.are_copies`, exact).

    Every candidate's shingles are made from its stored body, a batch of bodies at a time
    (`shingles_many`): one at a time, this check was most of the copies' cost to a build.
    """
    if not pairs.size:
        return pairs
    nodes = np.unique(pairs).tolist()
    sets: dict[int, np.ndarray] = {}
    for start in range(0, len(nodes), SHINGLE_BATCH):
        batch = nodes[start : start + SHINGLE_BATCH]
        bodies = [reader.stored_fields(int(node_doc[node])).get("body") or "" for node in batch]
        sets.update(zip(batch, shingles_many(bodies), strict=True))
    keep = [are_copies(sets[a], sets[b]) for a, b in pairs.tolist()]
    return pairs[np.asarray(keep, dtype=bool)]


def _representatives(
    fps: np.ndarray, sids: list[str], node_fp: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """Per entry, the entry with the smallest identity in its cluster (itself if alone)."""
    parent = list(range(node_fp.size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    if edges.size:
        ends = np.searchsorted(node_fp, edges)
        for a, b in ends.tolist():
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    rep = np.arange(fps.size, dtype=np.int64)
    has_words = np.flatnonzero(fps != NO_BODY)
    if not has_words.size:
        return rep
    component = np.array([root(n) for n in range(node_fp.size)], dtype=np.int64)
    entry_component = component[np.searchsorted(node_fp, fps[has_words])]
    best: dict[int, int] = {}
    for entry, comp in zip(has_words.tolist(), entry_component.tolist(), strict=True):
        current = best.get(comp)
        if current is None or sids[entry] < sids[current]:
            best[comp] = entry
    rep[has_words] = [best[c] for c in entry_component.tolist()]
    return rep
