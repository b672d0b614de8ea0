"""Incremental sync in one process: add, change, delete, no-op, skips, rebuilds, errors."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from termnews.engine.store import (
    META_FILE,
    archive_of,
    index_exists,
    indexed_signatures,
    open_index,
)
from termnews.engine.sync import sync
from termnews.engine.sync import writer as sync_module
from termnews.errors import IndexUnwritableError, TermnewsError

STORIES = Path(__file__).parent / "data" / "search" / "stories"
ALL_STORIES = {
    "council.txt",
    "ferry.txt",
    "harbour/seawall.txt",
    "lighthouse.txt",
    "montreal-snow.txt",
    "orchard.txt",
}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    target = tmp_path / "archive"
    shutil.copytree(STORIES, target)
    return target


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def indexed(index_dir: Path) -> set[str]:
    with open_index(index_dir).reader() as reader:
        return set(indexed_signatures(reader))


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its mtime and size: equal snapshots mean no writes."""
    result = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            info = os.stat(os.path.join(root, name))
            result[os.path.relpath(os.path.join(root, name), folder)] = (
                info.st_mtime_ns,
                info.st_size,
            )
    return result


def write_story(path: Path, headline: str, body: str) -> None:
    path.write_text(f"{headline}\n\nBy Nell Harrow on March 1, 2024.\n\n{body}\n", "utf-8")


def test_first_sync_indexes_every_story_and_records_the_archive(
    archive: Path, index_dir: Path
) -> None:
    report = sync(archive, index_dir)

    assert (report.new, report.changed, report.removed) == (6, 0, 0)
    assert report.rebuilt
    assert report.skipped == (("broken.txt", "not a text article (binary data)"),)
    assert indexed(index_dir) == ALL_STORIES
    assert index_exists(index_dir)
    assert archive_of(index_dir) == archive.resolve()
    assert report.summary().startswith("6 new, 0 changed, 0 removed, 1 skipped in ")


def test_a_no_op_sync_writes_nothing(archive: Path, index_dir: Path) -> None:
    sync(archive, index_dir)
    before = snapshot(index_dir)

    report = sync(archive, index_dir)

    assert (report.new, report.changed, report.removed, report.rebuilt) == (0, 0, 0, False)
    assert len(report.skipped) == 1  # still reported, but not re-parsed
    assert snapshot(index_dir) == before


def test_sync_adds_changes_and_removes(archive: Path, index_dir: Path) -> None:
    sync(archive, index_dir)
    write_story(archive / "new.txt", "Tram line opens", "ORVELLE – The tram opened.")
    write_story(archive / "ferry.txt", "Ferry sailings cut", "ORVELLE – Fewer crossings.")
    os.utime(archive / "ferry.txt", ns=(1_800_000_000_000_000_000,) * 2)
    (archive / "council.txt").unlink()

    report = sync(archive, index_dir)

    assert (report.new, report.changed, report.removed) == (1, 1, 1)
    assert indexed(index_dir) == (ALL_STORIES - {"council.txt"}) | {"new.txt"}
    with open_index(index_dir).searcher() as searcher:
        doc = searcher.document(path="ferry.txt")
    assert doc["headline"] == "Ferry sailings cut"


def test_a_fixed_file_is_indexed_and_a_removed_bad_file_is_forgotten(
    archive: Path, index_dir: Path
) -> None:
    sync(archive, index_dir)
    write_story(archive / "broken.txt", "Now readable", "ORVELLE – Fixed.")

    report = sync(archive, index_dir)

    assert (report.new, report.skipped) == (1, ())
    (archive / "broken.txt").unlink()
    assert sync(archive, index_dir).removed == 1


def test_a_changed_file_that_no_longer_parses_leaves_the_index(
    archive: Path, index_dir: Path
) -> None:
    sync(archive, index_dir)
    (archive / "orchard.txt").write_bytes(b"\x00\x01\x02 binary now \xff")

    report = sync(archive, index_dir)

    assert report.skipped[0][0] == "broken.txt"
    assert ("orchard.txt", "not a text article (binary data)") in report.skipped
    assert "orchard.txt" not in indexed(index_dir)


def test_a_new_schema_version_rebuilds_the_index(archive: Path, index_dir: Path) -> None:
    sync(archive, index_dir)
    meta_path = index_dir / META_FILE
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "schema_version": -1}))

    report = sync(archive, index_dir)

    assert report.rebuilt and report.new == 6
    assert indexed(index_dir) == ALL_STORIES
    assert json.loads(meta_path.read_text())["schema_version"] == meta["schema_version"]


def test_rebuild_reindexes_everything(archive: Path, index_dir: Path) -> None:
    sync(archive, index_dir)

    report = sync(archive, index_dir, rebuild=True)

    assert report.rebuilt and report.new == 6
    assert indexed(index_dir) == ALL_STORIES


def test_worker_processes_build_the_same_index(
    archive: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_module, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(sync_module, "BATCH_SIZE", 2)
    seen: list[tuple[int, int]] = []

    report = sync(
        archive, index_dir, procs=2, progress=lambda done, total: seen.append((done, total))
    )

    assert report.new == 6 and len(report.skipped) == 1
    assert indexed(index_dir) == ALL_STORIES
    assert seen[-1] == (7, 7)


def index_content(index_dir: Path) -> tuple[list[str], list[tuple[object, ...]]]:
    """Each docnum's path, and every posting (field, word, docnum, weight, value)."""
    from whoosh.index import open_dir

    with open_dir(str(index_dir)).reader() as reader:
        paths = [fields["path"] for _, fields in reader.iter_docs()]
        postings = [
            (field, word, docnum, weight, value)
            for field, word in reader.all_terms()
            for docnum, weight, value in _postings(reader, field, word)
        ]
    return paths, postings


def _postings(reader: object, field: str, word: bytes) -> list[tuple[int, float, bytes]]:
    matcher = reader.postings(field, word)  # type: ignore[attr-defined]
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found


def test_builds_in_worker_processes_are_deterministic(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_module, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(sync_module, "BATCH_SIZE", 1)
    builds = []
    for attempt in range(3):
        sync(archive, tmp_path / f"index-{attempt}", procs=3)
        builds.append(index_content(tmp_path / f"index-{attempt}"))
    assert builds[0] == builds[1] == builds[2]
    assert sorted(builds[0][0]) == sorted(ALL_STORIES)


def test_batches_are_dealt_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_module, "BATCH_SIZE", 2)
    files = [f"s{n}" for n in range(10)]
    dealt = sync_module.deal_batches(files, 3)  # type: ignore[arg-type]
    assert dealt == [
        [["s0", "s1"], ["s6", "s7"]],
        [["s2", "s3"], ["s8", "s9"]],
        [["s4", "s5"]],
    ]


def test_nothing_is_ever_written_into_the_archive(archive: Path, index_dir: Path) -> None:
    before = snapshot(archive)
    sync(archive, index_dir)
    write_story(archive / "new.txt", "Tram line opens", "ORVELLE – The tram opened.")
    before["new.txt"] = snapshot(archive)["new.txt"]

    sync(archive, index_dir, rebuild=True)

    assert snapshot(archive) == before


def test_a_read_only_archive_is_fine(archive: Path, index_dir: Path) -> None:
    folders = [archive, *(p for p in archive.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        assert sync(archive, index_dir).new == 6
    finally:
        for folder in folders:
            folder.chmod(0o755)


def test_an_index_dir_that_cannot_be_created_is_a_clear_error(
    archive: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    with pytest.raises(IndexUnwritableError, match="cannot create the index folder"):
        sync(archive, blocker / "index")


def test_an_archive_that_is_not_a_folder_is_a_clear_error(archive: Path, index_dir: Path) -> None:
    with pytest.raises(TermnewsError, match="not a folder"):
        sync(archive / "ferry.txt", index_dir)


def test_a_segment_whose_every_story_changed_is_dropped(archive: Path, index_dir: Path) -> None:
    """Touching every file re-indexes them all: the old segment, now all deleted entries,
    must not stay for every posting list to step over."""
    sync(archive, index_dir)
    later = 1_900_000_000
    for path in archive.rglob("*.txt"):
        os.utime(path, (later, later))
    report = sync(archive, index_dir)
    assert report.changed == len(ALL_STORIES)
    ix = open_index(index_dir)
    segments = ix._segments()
    assert segments and all(seg.deleted_count() < seg.doc_count_all() for seg in segments)
    assert sum(seg.doc_count_all() for seg in segments) == len(ALL_STORIES)
    assert indexed(index_dir) == ALL_STORIES
