"""Walks an archive folder and reports each story file with its signature.

The walk only reads: termnews never writes inside the user's archive, so a read-only
archive (a mounted share, a checkout owned by someone else) works exactly like any other.
A signature is `(mtime_ns, size)`, which is what `stat` gives for free: hashing 100k files
on every sync would cost far more than the one-in-a-million chance of a same-size,
same-nanosecond edit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from termnews.errors import TermnewsError

#: Files that document an archive rather than being stories in it.
IGNORED_NAMES = frozenset({"README", "README.txt", "README.md"})

Signature = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ArchiveFile:
    """One story file: its path relative to the archive (POSIX form) and its signature."""

    rel: str
    mtime_ns: int
    size: int

    @property
    def signature(self) -> Signature:
        return (self.mtime_ns, self.size)


def check_archive(archive: Path) -> Path:
    """The archive as an absolute path, or a user-facing error saying what is wrong with it."""
    path = archive.expanduser()
    if not path.exists():
        raise TermnewsError(f"{archive}: no such folder")
    if not path.is_dir():
        raise TermnewsError(f"{archive}: not a folder (give the folder that holds the stories)")
    if not os.access(path, os.R_OK | os.X_OK):
        raise TermnewsError(f"{archive}: cannot read this folder (permission denied)")
    return path.resolve()


def _ignored(name: str) -> bool:
    return name.startswith(".") or name in IGNORED_NAMES


def scan(archive: Path) -> dict[str, ArchiveFile]:
    """Every story file under `archive`, keyed by its relative POSIX path.

    Dotfiles and dot-dirs (`.git`, editor swap files) and README files are skipped. Symlinked
    directories are not followed, so a link loop cannot hang a sync; symlinked files are read.
    Unreadable subfolders are skipped silently rather than failing the whole walk.
    """
    root = archive
    found: dict[str, ArchiveFile] = {}
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if _ignored(name):
                continue
            rel = f"{prefix}{name}"
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{rel}/"))
                    continue
                if not entry.is_file(follow_symlinks=True):
                    continue
                info = entry.stat(follow_symlinks=True)
            except OSError:
                continue
            found[rel] = ArchiveFile(rel, info.st_mtime_ns, info.st_size)
    return found


def resolve_in(archive: Path, rel: str) -> Path:
    """The file for an index path; `rel` always uses `/`, whatever the platform."""
    return archive.joinpath(*rel.split("/"))
