"""A bulk build started from a thread (as the browser does) must not fork a threaded process."""

from __future__ import annotations

import threading
from multiprocessing.context import BaseContext
from pathlib import Path

import pytest

from termnews.engine.sync import SyncReport, sync
from termnews.engine.sync import writer as sync_module

STORY = (
    "Ferry adds winter sailings {n}\n\n"
    "By Ana Ruiz, The Canadian Press on January {day}, 2024.\n\n"
    "HALIFAX – The ferry operator added sailing number {n} to the winter timetable.\n"
)


def test_bulk_build_from_a_thread_uses_clean_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_module, "PARALLEL_MIN_FILES", 4)
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(12):
        (archive / f"story-{n:02d}.txt").write_text(STORY.format(n=n, day=n + 1))
    started: list[str] = []
    real_context = sync_module._context

    def recording_context() -> BaseContext:
        ctx = real_context()
        started.append(ctx.get_start_method())
        return ctx

    monkeypatch.setattr(sync_module, "_context", recording_context)
    reports: list[SyncReport] = []
    thread = threading.Thread(
        target=lambda: reports.append(sync(archive, tmp_path / "index", procs=2))
    )
    thread.start()
    thread.join(timeout=120)
    assert reports and reports[0].new == 12
    assert started and started[0] != "fork"
