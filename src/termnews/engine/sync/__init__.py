"""Keeping an archive's index in step with its files: plan the work, then write it.

`plan` finds what changed from file signatures alone; `writer` indexes it, in this process
or in worker processes for a bulk build. `sync()` ties them together under the store's write
lock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from termnews.engine.copies.hook import copies_current, refresh_copies
from termnews.engine.store import (
    LOCK_TIMEOUT_S,
    WriteLock,
    clear_leftovers,
    ensure_writable,
    is_damaged,
    needs_reset,
    open_index,
    reset,
    write_skipped,
)
from termnews.engine.sync.plan import Plan, plan_sync
from termnews.errors import IndexMissingError


@dataclass(frozen=True)
class SyncReport:
    """What one sync did, for the CLI's summary line and the browser's status bar."""

    new: int
    changed: int
    removed: int
    skipped: tuple[tuple[str, str], ...]
    """(path, reason) for every archive file that is not in the index because it won't parse."""
    seconds: float
    rebuilt: bool
    """True when the whole index was rebuilt (`--rebuild`, a new schema, another archive)."""

    @property
    def changed_anything(self) -> bool:
        """True when the index now differs from before: stories added, changed or removed."""
        return bool(self.new or self.changed or self.removed or self.rebuilt)

    def summary(self) -> str:
        """`12 new, 0 changed, 0 removed, 1 skipped in 0.8 s` (plus a note when rebuilt)."""
        line = (
            f"{self.new} new, {self.changed} changed, {self.removed} removed, "
            f"{len(self.skipped)} skipped in {self.seconds:.1f} s"
        )
        return f"{line} (rebuilt)" if self.rebuilt else line


def sync(
    archive: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    procs: int | None = None,
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> SyncReport:
    """Bring the index of `archive` up to date: index new and changed files, drop deleted ones.

    A run with nothing to do takes no lock and writes nothing. `progress(done, total)` is
    called from this thread while files are indexed. Files that fail to parse are skipped
    with their reason (see `SyncReport.skipped`) and never stop the run.
    """
    from termnews.archive import check_archive, scan
    from termnews.engine.sync.writer import Outcome, apply

    started = time.perf_counter()
    archive = check_archive(archive)
    index_dir = index_dir.expanduser().absolute()
    files = scan(archive)

    must_reset = needs_reset(index_dir, archive)
    if not must_reset and not rebuild:
        try:
            plan = plan_sync(index_dir, files, everything=False)
        except IndexMissingError:
            pass  # damaged: rebuilt below, under the lock
        else:
            if plan.is_empty and copies_current(index_dir):
                return _report(plan, started, rebuilt=False)

    ensure_writable(index_dir)
    lock = WriteLock(index_dir, lock_timeout)
    try:
        clear_leftovers(index_dir)
        # Re-check: another writer may have run. A damaged index starts again.
        must_reset = needs_reset(index_dir, archive) or is_damaged(index_dir)
        if must_reset:
            reset(index_dir, archive)
        plan = plan_sync(index_dir, files, everything=must_reset or rebuild)
        ix = open_index(index_dir)
        if plan.is_empty and not (must_reset or rebuild):
            outcome = Outcome()  # only the copies were out of date
        else:
            outcome = apply(
                ix,
                archive,
                delete=plan.removed + tuple(item.rel for item in plan.add_changed),
                add=plan.add_new + plan.add_changed,
                clear=rebuild and not must_reset,
                procs=procs if procs is not None else (os.cpu_count() or 1),
                lock_fd=lock.fd,
                progress=progress,
            )
        skipped = plan.skipped | outcome.skipped
        write_skipped(index_dir, skipped)
        refresh_copies(index_dir, outcome.sketches, fresh=must_reset or rebuild)
    finally:
        lock.release()
    final = Plan(
        tuple(i for i in plan.add_new if i.rel not in outcome.skipped),
        tuple(i for i in plan.add_changed if i.rel not in outcome.skipped),
        plan.removed,
        skipped,
    )
    return _report(final, started, rebuilt=must_reset or rebuild)


def _report(plan: Plan, started: float, *, rebuilt: bool) -> SyncReport:
    skipped = tuple(sorted((rel, reason) for rel, (_sig, reason) in plan.skipped.items()))
    return SyncReport(
        new=len(plan.add_new),
        changed=len(plan.add_changed),
        removed=len(plan.removed),
        skipped=skipped,
        seconds=time.perf_counter() - started,
        rebuilt=rebuilt,
    )
