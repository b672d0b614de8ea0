"""Sync across real processes: a busy lock, a build killed with SIGKILL, a reader during a write."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from termnews.engine.searcher import Searcher
from termnews.engine.store import INDEX_NAME, indexed_signatures, open_index
from termnews.engine.sync import sync
from termnews.errors import IndexBusyError

PLACES = ["ORVELLE", "KESTREL BAY", "GLENMORROW", "PORT ALDWIN", "CAPE MORROW"]
TOPICS = ["tram", "harbour", "orchard", "library", "ferry", "seawall", "bridge", "market"]


def write_archive(folder: Path, count: int, start: int = 0) -> None:
    """`count` small invented stories, different enough to give the index real work."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        topic = TOPICS[i % len(TOPICS)]
        place = PLACES[i % len(PLACES)]
        sentences = " ".join(
            f"The {topic} committee met for the {n}th time in {place.title()} on day {i}."
            for n in range(1, 30)
        )
        (folder / f"story-{i:05d}.txt").write_text(
            f"{topic.title()} plan number {i} goes ahead\n\n"
            f"By Nell Harrow on March {1 + i % 28}, 2024.\n\n"
            f"{place} – {sentences}\n\nResidents of {place.title()} said story {i} mattered.\n",
            encoding="utf-8",
        )


def run_python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def count_indexed(index_dir: Path) -> int:
    with open_index(index_dir).reader() as reader:
        return len(indexed_signatures(reader))


KILL_AT = """
    import os, signal, sys
    from pathlib import Path
    from termnews.engine.sync import writer as sync_module
    from termnews.engine.sync import sync
    sync_module.PARALLEL_MIN_FILES = 1
    sync_module.BATCH_SIZE = 4
    kill_at = int(sys.argv[3])

    def progress(done, total):
        if done >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    sync(Path(sys.argv[1]), Path(sys.argv[2]), procs=int(sys.argv[4]), progress=progress)
"""


@pytest.mark.parametrize("procs", [1, 2])
def test_a_build_killed_mid_way_is_finished_by_the_next_run(tmp_path: Path, procs: int) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write_archive(archive, 120)
    sync(archive, index_dir)
    write_archive(archive, 200, start=120)

    killed = run_python(KILL_AT, str(archive), str(index_dir), "60", str(procs))
    killed.wait(timeout=60)

    assert killed.returncode == -signal.SIGKILL
    assert count_indexed(index_dir) == 120  # the killed commit never happened; index opens
    # The next run gets the lock (orphaned workers let go of it) and finishes the job.
    report = sync(archive, index_dir, lock_timeout=10)
    assert report.new == 200
    assert count_indexed(index_dir) == 320
    assert not (index_dir / f"{INDEX_NAME}.tmp").exists()


HOLD_LOCK = """
    import sys, time
    from whoosh.util.filelock import FileLock
    lock = FileLock(sys.argv[1])
    assert lock.acquire()
    print("locked", flush=True)
    time.sleep(30)
"""


def test_a_second_writer_waits_briefly_then_reports_busy(tmp_path: Path) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write_archive(archive, 5)
    sync(archive, index_dir)
    write_archive(archive, 1, start=5)
    holder = run_python(HOLD_LOCK, str(index_dir / f"{INDEX_NAME}_WRITELOCK"))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(IndexBusyError, match="busy"):
            sync(archive, index_dir, lock_timeout=0.5)
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    assert sync(archive, index_dir).new == 1


WRITE = """
    import sys
    from pathlib import Path
    from termnews.engine.sync import writer as sync_module
    from termnews.engine.sync import sync
    sync_module.PARALLEL_MIN_FILES = 1
    print(sync(Path(sys.argv[1]), Path(sys.argv[2]), procs=2).summary(), flush=True)
"""


def test_a_reader_keeps_working_while_another_process_syncs(tmp_path: Path) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write_archive(archive, 60)
    sync(archive, index_dir)
    write_archive(archive, 300, start=60)
    (archive / "story-00000.txt").unlink()

    with Searcher(index_dir) as searcher:
        writer = run_python(WRITE, str(archive), str(index_dir))
        totals = []
        while writer.poll() is None:
            searcher.refresh()
            results = searcher.search("committee")
            # One row per set of copies: the written stories share their template's body.
            assert len(searcher.hits(results, 0, 20)) == min(20, results.folded_total)
            totals.append(results.total)
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        searcher.refresh()
        totals.append(searcher.search("committee").total)

    assert totals[0] == 60 and totals[-1] == 359
    assert set(totals) <= {60, 359}  # a reader sees one generation or the next, never a mix
