"""What a sync asks of the copies: are they current, and bring them up to date."""

from __future__ import annotations

from pathlib import Path

from termnews.engine.copies import data as store
from termnews.engine.copies.switch import copies_enabled
from termnews.engine.copies.update import Sketches, update
from termnews.engine.store import open_index
from termnews.errors import IndexMissingError


def copies_current(index_dir: Path) -> bool:
    """True if the persisted copies match the index's latest generation (or are off).

    Cheap (the file's small header): a sync with nothing else to do asks it every time, so
    that a missing or damaged copies file is recomputed by the next sync.
    """
    if not copies_enabled():
        return True
    try:
        ix = open_index(index_dir)
    except IndexMissingError:
        return False  # the sync that follows finds the index damaged and rebuilds it
    try:
        return store.written_for(index_dir) == ix.latest_generation()
    finally:
        ix.close()


def refresh_copies(index_dir: Path, sketches: Sketches, *, fresh: bool) -> None:
    """Recompute the copies for the index's latest generation (the caller holds the lock).

    `fresh`: a reset or `--rebuild`, where nothing persisted may be kept.
    """
    if not copies_enabled():
        store.remove(index_dir)  # a stale file must not outlive the stories it describes
        return
    ix = open_index(index_dir)
    try:
        update(ix, index_dir, sketches, fresh=fresh)
    finally:
        ix.close()
