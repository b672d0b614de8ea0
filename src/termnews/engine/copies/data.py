"""The persisted copy relation: one file in the index folder, `termnews-copies.npz`.

It is a cache that a sync keeps in step with the index, never the only record of anything:
a missing, damaged or outdated file only means every story is a singleton until the next
sync recomputes it (from the bodies the index stores).

What it holds, per live story of the index generation it was written for (in docnum order):
its path and file signature (to tell which entries a later sync can keep), its content
identity (cluster ids are the smallest identity of the members), the fingerprint of its
shingle set and its LSH band keys. Stories with one fingerprint have the same shingles, so
the copy relation is kept between *fingerprints* (`edges`): a hundred reprints of one body
cost one node, not 4,950 pairs. Finally, for a fast load, each entry's docnum in that
generation and the entry holding its cluster's id (`rep`).

Written atomically (a temp file renamed into place), under the index's write lock.
"""

from __future__ import annotations

import io
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from termnews.config import write_atomically
from termnews.engine.copies.sketch import BANDS, RECIPE
from termnews.engine.store import COPIES_FILE

#: The file's layout; a file of another layout is recomputed like a damaged one.
FORMAT = 2
#: Marks an entry whose body has no words: no fingerprint, never anyone's copy.
NO_BODY = np.uint64(0)


@dataclass
class CopiesData:
    """The copy relation as persisted, for the index generation `generation`."""

    generation: int
    paths: list[str]
    sigs: list[str]
    sids: list[str]
    fps: np.ndarray
    """uint64 per entry: the shingle set's fingerprint (NO_BODY for a body without words)."""
    bands: np.ndarray
    """(entries, BANDS) uint32: the LSH band keys."""
    edges: np.ndarray
    """(pairs, 2) uint64: fingerprints whose shingle sets are copies (smaller first)."""
    docnums: np.ndarray
    """int64 per entry: its docnum in `generation`."""
    rep: np.ndarray
    """int64 per entry: the entry whose identity names its cluster (itself if alone)."""

    @classmethod
    def empty(cls) -> CopiesData:
        return cls(
            -1,
            [],
            [],
            [],
            np.empty(0, np.uint64),
            np.empty((0, BANDS), np.uint32),
            np.empty((0, 2), np.uint64),
            np.empty(0, np.int64),
            np.empty(0, np.int64),
        )


def _joined(texts: list[str]) -> np.ndarray:
    """The texts, one a line, deflated quickly: paths and identities shrink threefold."""
    packed = zlib.compress("\n".join(texts).encode("utf-8"), 1)
    return np.frombuffer(packed, dtype=np.uint8)


def _split(blob: np.ndarray, count: int) -> list[str]:
    texts = zlib.decompress(blob.tobytes()).decode("utf-8").split("\n")
    if not count:
        return []
    if len(texts) != count:
        raise ValueError("entry count mismatch")
    return texts


def _meta(generation: int, count: int) -> np.ndarray:
    text = json.dumps(
        {"format": FORMAT, "recipe": RECIPE, "generation": generation, "entries": count}
    )
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def write(index_dir: Path, data: CopiesData) -> None:
    """Persist `data` atomically. Only the texts are compressed: hashes would not shrink, and
    compressing them costs a tenth of a second at 20,000 stories, on every sync."""
    buffer = io.BytesIO()
    np.savez(
        buffer,
        meta=_meta(data.generation, len(data.paths)),
        paths=_joined(data.paths),
        sigs=_joined(data.sigs),
        sids=_joined(data.sids),
        fps=data.fps.astype("<u8"),
        bands=data.bands.astype("<u4"),
        edges=data.edges.astype("<u8"),
        docnums=data.docnums.astype("<i4"),
        rep=data.rep.astype("<i4"),
    )
    write_atomically(index_dir / COPIES_FILE, buffer.getvalue())


def _read_meta(archive: np.lib.npyio.NpzFile) -> dict[str, object]:
    meta = json.loads(archive["meta"].tobytes().decode("utf-8"))
    if not isinstance(meta, dict) or meta.get("recipe") != RECIPE or meta.get("format") != FORMAT:
        raise ValueError("another recipe")
    return meta


def written_for(index_dir: Path) -> int | None:
    """The generation the file was written for, or None if it is missing, damaged or made
    with another recipe: the cheap check a sync with nothing else to do makes."""
    try:
        with np.load(index_dir / COPIES_FILE, allow_pickle=False) as archive:
            generation = _read_meta(archive).get("generation")
    except Exception:  # a damaged file fails in many ways, and only means "recompute"
        return None
    return generation if isinstance(generation, int) else None


def read(index_dir: Path) -> CopiesData | None:
    """The persisted data, or None if it is missing, damaged or made with another recipe."""
    try:
        with np.load(index_dir / COPIES_FILE, allow_pickle=False) as archive:
            meta = _read_meta(archive)
            count = int(meta["entries"])  # type: ignore[call-overload]
            data = CopiesData(
                generation=int(meta["generation"]),  # type: ignore[call-overload]
                paths=_split(archive["paths"], count),
                sigs=_split(archive["sigs"], count),
                sids=_split(archive["sids"], count),
                fps=archive["fps"].astype(np.uint64),
                bands=archive["bands"].astype(np.uint32).reshape(-1, BANDS),
                edges=archive["edges"].astype(np.uint64).reshape(-1, 2),
                docnums=archive["docnums"].astype(np.int64),
                rep=archive["rep"].astype(np.int64),
            )
    except Exception:  # a damaged file fails in many ways, and only means "recompute"
        return None
    sizes = {len(data.sigs), len(data.sids), data.fps.size, len(data.bands)}
    sizes |= {data.docnums.size, data.rep.size}
    if sizes != {count} or (count and not (data.rep.min() >= 0 and data.rep.max() < count)):
        return None
    return data


def remove(index_dir: Path) -> None:
    """Forget the copies (a reset or rebuild): the next sync computes them afresh."""
    (index_dir / COPIES_FILE).unlink(missing_ok=True)
