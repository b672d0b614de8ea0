"""The index of one archive: where it lives, which version it is, and keeping it in sync.

The index directory holds Whoosh's files plus two small JSON files of our own, both written
atomically: `termnews-index.json` (schema version and the archive served) and
`termnews-skipped.json` (files that failed to parse, with their signatures, so that an
unchanged bad file is not re-parsed on every run). Every write happens under Whoosh's own
write lock file, so a second `termnews index` waits briefly and then reports the index busy,
while readers never take a lock at all.

Kill-safety comes from Whoosh's commit protocol: segment files are written first and the
table of contents is renamed into place last, so a build killed at any point leaves the
previous generation intact; the next sync sees what is missing and indexes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from termnews.config import write_atomically
from termnews.errors import IndexBusyError, IndexMissingError, IndexUnwritableError

INDEX_NAME = "MAIN"
META_FILE = "termnews-index.json"
SKIPPED_FILE = "termnews-skipped.json"
#: How long a second writer waits for the first before reporting the index busy.
LOCK_TIMEOUT_S = 2.0


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

    def summary(self) -> str:
        """`12 new, 0 changed, 0 removed, 1 skipped in 0.8 s` (plus a note when rebuilt)."""
        line = (
            f"{self.new} new, {self.changed} changed, {self.removed} removed, "
            f"{len(self.skipped)} skipped in {self.seconds:.1f} s"
        )
        return f"{line} (rebuilt)" if self.rebuilt else line


# -- metadata --------------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_meta(index_dir: Path) -> dict[str, Any] | None:
    """The index's own record (schema version, archive), or None if there is no usable one."""
    return _read_json(index_dir / META_FILE)


def _has_toc(index_dir: Path) -> bool:
    try:
        names = os.listdir(index_dir)
    except OSError:
        return False
    prefix = f"_{INDEX_NAME}_"
    return any(n.startswith(prefix) and n.endswith(".toc") for n in names)


def index_exists(index_dir: Path) -> bool:
    """True if a search can open this index (it may still be empty or being built)."""
    return read_meta(index_dir) is not None and _has_toc(index_dir)


def archive_of(index_dir: Path) -> Path | None:
    """The archive this index was built from, as recorded on the last build."""
    meta = read_meta(index_dir)
    archive = meta.get("archive") if meta else None
    return Path(archive) if isinstance(archive, str) else None


def missing_index_message(index_dir: Path) -> str:
    """The sentence every front end shows when there is nothing to search yet."""
    return (
        f"no index at {index_dir}; run `termnews index ARCHIVE` first "
        "(or point --index-dir / TERMNEWS_INDEX_DIR at an existing index)"
    )


def open_index(index_dir: Path) -> Any:
    """Open the Whoosh index for reading, or raise IndexMissingError saying what to run."""
    from whoosh.index import open_dir

    from termnews.schema import SCHEMA_VERSION

    if not index_exists(index_dir):
        raise IndexMissingError(missing_index_message(index_dir))
    meta = read_meta(index_dir) or {}
    version = meta.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        archive = meta.get("archive") or "ARCHIVE"
        raise IndexMissingError(
            f"the index at {index_dir} was built by another version of termnews "
            f"(index format {version}, this one reads {SCHEMA_VERSION}); "
            f"run `termnews index {archive}` to rebuild it"
        )
    try:
        return open_dir(str(index_dir), indexname=INDEX_NAME)
    except Exception as error:  # a damaged table of contents fails in many ways
        archive = meta.get("archive") or "ARCHIVE"
        raise IndexMissingError(
            f"the index at {index_dir} cannot be opened ({error}); "
            f"run `termnews index {archive}` to rebuild it"
        ) from error


def read_skipped(index_dir: Path) -> dict[str, tuple[str, str]]:
    """rel path -> (signature text, reason) for files known not to parse."""
    data = _read_json(index_dir / SKIPPED_FILE) or {}
    return {
        rel: (str(value[0]), str(value[1]))
        for rel, value in data.items()
        if isinstance(value, list) and len(value) == 2
    }


def indexed_signatures(reader: Any) -> dict[str, str]:
    """rel path -> signature text of every live document, read from columns (no stored docs).

    Reading columns segment by segment keeps a no-op sync of 100k files well under a second,
    where loading each stored document (with its body) would not.
    """
    found: dict[str, str] = {}
    for leaf, _offset in reader.leaf_readers():
        if leaf.doc_count_all() == 0:
            continue
        paths = leaf.column_reader("path")
        sigs = leaf.column_reader("sig")
        if leaf.has_deletions():
            for docnum in leaf.all_doc_ids():
                found[paths[docnum]] = sigs[docnum]
        else:
            found.update(zip(list(paths), list(sigs), strict=True))
    return found


# -- writing ---------------------------------------------------------------------------------


def _ensure_writable(index_dir: Path) -> None:
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IndexUnwritableError(
            f"cannot create the index folder {index_dir}: {error.strerror or error}; "
            "choose another with --index-dir or TERMNEWS_INDEX_DIR"
        ) from error
    if not os.access(index_dir, os.W_OK | os.X_OK):
        raise IndexUnwritableError(
            f"cannot write to the index folder {index_dir} (permission denied); "
            "choose another with --index-dir or TERMNEWS_INDEX_DIR"
        )


class _WriteLock:
    """Whoosh's own `MAIN_WRITELOCK`, held for a whole sync (schema reset, deletes, commit)."""

    def __init__(self, index_dir: Path, timeout: float) -> None:
        from whoosh.util.filelock import FileLock

        self._lock = FileLock(str(index_dir / f"{INDEX_NAME}_WRITELOCK"))
        deadline = time.monotonic() + timeout
        while True:
            try:
                acquired = self._lock.acquire(blocking=False)
            except OSError as error:
                raise IndexUnwritableError(
                    f"cannot lock the index at {index_dir}: {error.strerror or error}"
                ) from error
            if acquired:
                return
            if time.monotonic() >= deadline:
                raise IndexBusyError(
                    f"the index at {index_dir} is busy: another `termnews index` is "
                    "updating it; try again when it has finished"
                )
            time.sleep(0.05)

    @property
    def fd(self) -> int | None:
        return getattr(self._lock, "fd", None)

    def release(self) -> None:
        self._lock.release()


def _reset(index_dir: Path, archive: Path) -> None:
    """Start an empty index with the current schema, leaving open readers untouched.

    A new, higher TOC generation is written instead of wiping the folder, so a searcher that
    has the old files open keeps working, and a kill at any point leaves a readable index.
    """
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC, clean_files

    from termnews.schema import SCHEMA_VERSION, build_schema

    storage = FileStorage(str(index_dir))
    generation = TOC._latest_generation(storage, INDEX_NAME) + 1
    TOC(build_schema(), [], generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, [])
    meta = {"schema_version": SCHEMA_VERSION, "archive": str(archive)}
    write_atomically(index_dir / META_FILE, json.dumps(meta, indent=1).encode())
    write_atomically(index_dir / SKIPPED_FILE, b"{}")


def _damaged(index_dir: Path) -> bool:
    """True if the index is there but cannot be opened (a damaged table of contents)."""
    try:
        open_index(index_dir).close()
    except IndexMissingError:
        return True
    return False


def _clear_leftovers(index_dir: Path) -> None:
    """Remove what a killed writer leaves behind: its sort-pool folder and TOC temp files."""
    shutil.rmtree(index_dir / f"{INDEX_NAME}.tmp", ignore_errors=True)
    for name in os.listdir(index_dir):
        if name.startswith(f"_{INDEX_NAME}_") and ".toc." in name:
            with contextlib.suppress(OSError):
                os.remove(index_dir / name)


def _needs_reset(index_dir: Path, archive: Path) -> bool:
    from termnews.schema import SCHEMA_VERSION

    meta = read_meta(index_dir)
    return (
        meta is None
        or meta.get("schema_version") != SCHEMA_VERSION
        or meta.get("archive") != str(archive)
        or not _has_toc(index_dir)
    )


@dataclass(frozen=True)
class _Plan:
    add_new: tuple[Any, ...]
    add_changed: tuple[Any, ...]
    removed: tuple[str, ...]
    skipped: dict[str, tuple[str, str]]
    """Still-valid skip records (file unchanged since it failed)."""
    stale_skips: bool = False
    """A file that once failed has changed or gone: the skip list needs rewriting."""

    @property
    def is_empty(self) -> bool:
        return not (self.add_new or self.add_changed or self.removed or self.stale_skips)


def _plan(index_dir: Path, files: dict[str, Any], everything: bool) -> _Plan:
    from termnews.schema import signature_text

    if everything:
        return _Plan(tuple(files.values()), (), (), {})
    ix = open_index(index_dir)
    with ix.reader() as reader:
        indexed = indexed_signatures(reader)
    known_bad = read_skipped(index_dir)
    new, changed, still_bad = [], [], {}
    for rel, item in files.items():
        sig = signature_text(item.mtime_ns, item.size)
        if rel in indexed:
            if indexed[rel] != sig:
                changed.append(item)
        elif rel in known_bad and known_bad[rel][0] == sig:
            still_bad[rel] = known_bad[rel]
        else:
            new.append(item)
    removed = tuple(rel for rel in indexed if rel not in files)
    stale = bool(set(known_bad) - set(still_bad))
    return _Plan(tuple(new), tuple(changed), removed, still_bad, stale)


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
    from termnews.sync import apply

    started = time.perf_counter()
    archive = check_archive(archive)
    index_dir = index_dir.expanduser().absolute()
    files = scan(archive)

    reset = _needs_reset(index_dir, archive)
    if not reset and not rebuild:
        try:
            plan = _plan(index_dir, files, everything=False)
        except IndexMissingError:
            pass  # damaged: rebuilt below, under the lock
        else:
            if plan.is_empty:
                return _report(plan, started, rebuilt=False)

    _ensure_writable(index_dir)
    lock = _WriteLock(index_dir, lock_timeout)
    try:
        _clear_leftovers(index_dir)
        # Re-check: another writer may have run. A damaged index starts again.
        reset = _needs_reset(index_dir, archive) or _damaged(index_dir)
        if reset:
            _reset(index_dir, archive)
        plan = _plan(index_dir, files, everything=reset or rebuild)
        to_add = plan.add_new + plan.add_changed
        ix = open_index(index_dir)
        outcome = apply(
            ix,
            archive,
            delete=plan.removed + tuple(item.rel for item in plan.add_changed),
            add=to_add,
            clear=rebuild and not reset,
            procs=procs if procs is not None else (os.cpu_count() or 1),
            lock_fd=lock.fd,
            progress=progress,
        )
        skipped = plan.skipped | outcome.skipped
        if skipped != read_skipped(index_dir):
            data = json.dumps({rel: list(v) for rel, v in sorted(skipped.items())}, indent=0)
            write_atomically(index_dir / SKIPPED_FILE, data.encode())
    finally:
        lock.release()
    final = _Plan(
        tuple(i for i in plan.add_new if i.rel not in outcome.skipped),
        tuple(i for i in plan.add_changed if i.rel not in outcome.skipped),
        plan.removed,
        skipped,
    )
    return _report(final, started, rebuilt=reset or rebuild)


def _report(plan: _Plan, started: float, *, rebuilt: bool) -> SyncReport:
    skipped = tuple(sorted((rel, reason) for rel, (_sig, reason) in plan.skipped.items()))
    return SyncReport(
        new=len(plan.add_new),
        changed=len(plan.add_changed),
        removed=len(plan.removed),
        skipped=skipped,
        seconds=time.perf_counter() - started,
        rebuilt=rebuilt,
    )
