"""Where termnews keeps its index and state, following the platform's conventions.

Nothing here ever points inside the user's archive: the index for an archive lives in the
user cache dir, keyed by the archive's absolute path, so a read-only archive works. The state
dir remembers the last archive opened, so a bare `termnews` picks up where the person left off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "termnews"
INDEX_DIR_ENV = "TERMNEWS_INDEX_DIR"
STATE_DIR_ENV = "TERMNEWS_STATE_DIR"
DATA_DIR_ENV = "TERMNEWS_DATA_DIR"
STATE_DB_FILE = "state.db"
LAST_ARCHIVE_FILE = "last_archive"


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def state_dir() -> Path:
    """The remembered last archive lives here; overridable so tests never touch $HOME."""
    override = os.environ.get(STATE_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_state_dir(APP_NAME))


def data_dir() -> Path:
    """Where what a person cannot rebuild lives: the reading state (and fetched news).

    Never the cache dir: deleting the cache or an index must lose no mark.
    """
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def state_db_path() -> Path:
    """The reading state database: read, starred and tagged stories."""
    return data_dir() / STATE_DB_FILE


def last_archive_path() -> Path:
    """The file that names the last archive browsed or indexed."""
    return state_dir() / LAST_ARCHIVE_FILE


def remember_archive(archive: Path) -> None:
    """Best effort: an unwritable state dir must not stop the browser from opening."""
    with contextlib.suppress(OSError):
        write_atomically(last_archive_path(), str(archive).encode("utf-8"))


def recall_archive() -> Path | None:
    """The last archive remembered, or None (never remembered, or the file is unreadable)."""
    try:
        text = last_archive_path().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text else None


def default_index_dir(archive: Path) -> Path:
    """One index per archive: a readable slug plus a hash so two `news` folders never clash."""
    resolved = archive.expanduser().resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    slug = "".join(ch if ch.isalnum() else "-" for ch in resolved.name)[:40] or "root"
    return cache_dir() / "indexes" / f"{slug}-{digest}"


def resolve_index_dir(archive: Path | None, explicit: str | os.PathLike[str] | None) -> Path:
    """`--index-dir` wins, then $TERMNEWS_INDEX_DIR, then the per-archive cache default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(INDEX_DIR_ENV)
    if env:
        return Path(env).expanduser()
    if archive is None:
        raise ValueError("no archive given and no index directory set")
    return default_index_dir(archive)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a sibling temp file and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
