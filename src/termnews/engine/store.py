"""The index store: where an archive's index lives, which version it is, its lock and reset.

The index directory holds Whoosh's files plus two small JSON files of our own, both written
atomically: `termnews-index.json` (schema version and the archive served) and
`termnews-skipped.json` (files that failed to parse, with their signatures, so that an
unchanged bad file is not re-parsed on every run). Every write happens under Whoosh's own
write lock file, so a second `termnews index` waits briefly and then reports the index busy,
while readers never take a lock at all.

Kill-safety comes from Whoosh's commit protocol: segment files are written first and the
table of contents is renamed into place last, so a build killed at any point leaves the
previous generation intact; the next sync (`termnews.engine.sync`) sees what is missing and
indexes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from termnews.config import write_atomically
from termnews.errors import IndexBusyError, IndexMissingError, IndexUnwritableError

INDEX_NAME = "MAIN"
META_FILE = "termnews-index.json"
SKIPPED_FILE = "termnews-skipped.json"
#: The copy clusters' cache (`termnews.engine.copies.data`), reset with the index.
COPIES_FILE = "termnews-copies.npz"
#: How long a second writer waits for the first before reporting the index busy.
LOCK_TIMEOUT_S = 2.0


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

    from termnews.engine.schema import SCHEMA_VERSION

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
    from termnews.engine.whoosh_adapter import column_values

    found: dict[str, str] = {}
    for leaf, _offset in reader.leaf_readers():
        if leaf.doc_count_all() == 0:
            continue
        paths = [raw.decode("utf-8") for raw in column_values(leaf, "path")]
        sigs = [raw.decode("utf-8") for raw in column_values(leaf, "sig")]
        if leaf.has_deletions():
            for docnum in leaf.all_doc_ids():
                found[paths[docnum]] = sigs[docnum]
        else:
            found.update(zip(paths, sigs, strict=True))
    return found


# -- writing ---------------------------------------------------------------------------------


def ensure_writable(index_dir: Path) -> None:
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


class WriteLock:
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


def reset(index_dir: Path, archive: Path) -> None:
    """Start an empty index with the current schema, leaving open readers untouched.

    A new, higher TOC generation is written instead of wiping the folder, so a searcher that
    has the old files open keeps working, and a kill at any point leaves a readable index.
    """
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC, clean_files

    from termnews.engine.schema import SCHEMA_VERSION, build_schema
    from termnews.engine.whoosh_adapter import latest_generation

    storage = FileStorage(str(index_dir))
    generation = latest_generation(storage, INDEX_NAME) + 1
    TOC(build_schema(), [], generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, [])
    meta = {"schema_version": SCHEMA_VERSION, "archive": str(archive)}
    write_atomically(index_dir / META_FILE, json.dumps(meta, indent=1).encode())
    write_atomically(index_dir / SKIPPED_FILE, b"{}")
    # The copy clusters (engine.copies) are a cache of this index: they start again with it.
    (index_dir / COPIES_FILE).unlink(missing_ok=True)


def is_damaged(index_dir: Path) -> bool:
    """True if the index is there but cannot be opened (a damaged table of contents)."""
    try:
        open_index(index_dir).close()
    except IndexMissingError:
        return True
    return False


def clear_leftovers(index_dir: Path) -> None:
    """Remove what a killed writer leaves behind: its sort-pool folder and TOC temp files."""
    shutil.rmtree(index_dir / f"{INDEX_NAME}.tmp", ignore_errors=True)
    for name in os.listdir(index_dir):
        if (name.startswith(f"_{INDEX_NAME}_") and ".toc." in name) or (
            name.startswith(f".{COPIES_FILE}.") and name.endswith(".tmp")
        ):
            with contextlib.suppress(OSError):
                os.remove(index_dir / name)


def needs_reset(index_dir: Path, archive: Path) -> bool:
    from termnews.engine.schema import SCHEMA_VERSION

    meta = read_meta(index_dir)
    return (
        meta is None
        or meta.get("schema_version") != SCHEMA_VERSION
        or meta.get("archive") != str(archive)
        or not _has_toc(index_dir)
    )


def write_skipped(index_dir: Path, skipped: dict[str, tuple[str, str]]) -> None:
    """Record the files that failed to parse, with their signatures, unless already recorded."""
    if skipped != read_skipped(index_dir):
        data = json.dumps({rel: list(v) for rel, v in sorted(skipped.items())}, indent=0)
        write_atomically(index_dir / SKIPPED_FILE, data.encode())
