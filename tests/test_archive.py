"""The archive walk: which files count as stories, and their signatures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from termnews.archive import check_archive, resolve_in, scan
from termnews.errors import TermnewsError


def _touch(path: Path, text: str = "Headline\n\nBody text.\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_scan_finds_nested_stories_and_skips_dotfiles_and_readmes(tmp_path: Path) -> None:
    for rel in ("a.txt", "2024/01/b.txt", "notes"):
        _touch(tmp_path / rel)
    for rel in (".swp", ".git/config", "sub/.hidden.txt", "README", "README.txt", "x/README.md"):
        _touch(tmp_path / rel)

    found = scan(tmp_path)

    assert sorted(found) == ["2024/01/b.txt", "a.txt", "notes"]


def test_signature_is_mtime_ns_and_size(tmp_path: Path) -> None:
    _touch(tmp_path / "a.txt", "12345")
    os.utime(tmp_path / "a.txt", ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))

    item = scan(tmp_path)["a.txt"]

    assert item.signature == (1_700_000_000_123_456_789, 5)


def test_symlinked_folder_loops_are_not_followed(tmp_path: Path) -> None:
    _touch(tmp_path / "sub/a.txt")
    (tmp_path / "sub/loop").symlink_to(tmp_path, target_is_directory=True)

    assert sorted(scan(tmp_path)) == ["sub/a.txt"]


def test_resolve_in_joins_posix_relative_paths(tmp_path: Path) -> None:
    assert resolve_in(tmp_path, "2024/01/b.txt") == tmp_path / "2024" / "01" / "b.txt"


def test_check_archive_rejects_files_and_missing_folders(tmp_path: Path) -> None:
    _touch(tmp_path / "a.txt")
    with pytest.raises(TermnewsError, match="not a folder"):
        check_archive(tmp_path / "a.txt")
    with pytest.raises(TermnewsError, match="no such folder"):
        check_archive(tmp_path / "missing")
    assert check_archive(tmp_path) == tmp_path.resolve()
