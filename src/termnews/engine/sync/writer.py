"""Applies a sync plan to a Whoosh index: in this process, or in worker processes for bulk work.

Why our own workers instead of Whoosh's `MpWriter`: its parent process must parse every
file and pickle the documents to the workers, which leaves one core parsing while two
others index. Here the parent only deals out file *paths* (the same share to the same
worker every time, so a build is deterministic); each worker parses and indexes its share
into its own segment (`multisegment`), and the parent commits all segments, in worker
order, in one TOC write. Workers also watch their parent: if it is killed (SIGKILL), they
stop after their batch instead of lingering and holding the write lock's inherited file
descriptor.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.index import FileIndex
from whoosh.writing import CLEAR, SegmentWriter

from termnews.archive import ArchiveFile, resolve_in
from termnews.engine.copies import copies_enabled
from termnews.engine.copies.sketch import sketches_and_signatures
from termnews.engine.schema import document, signature_text
from termnews.engine.storage.codec import PackedCodec
from termnews.engine.whoosh_adapter import (
    add_documents,
    close_segment,
    commit_with_segments,
    unlocked_writer,
)
from termnews.errors import TermnewsError

#: No compound files (a compound segment copies its stored fields into memory on open), and
#: postings held in memory up to about 256 MB a writer before a run is spilled to disk
#: (`engine.storage.termpool`).
WRITER_OPTIONS: dict[str, Any] = {"compound": False, "limitmb": 256, "codec": PackedCodec()}
#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 400
#: Files per job handed to a worker: small enough to balance the load, big enough to be cheap.
BATCH_SIZE = 32
#: Stories parsed before their words go into the index together (`add_documents`).
INDEX_BATCH = 64
#: Bodies sketched together (`sketches_and_signatures`). Alone, 16 to 256 cost the same per
#: body; inside a build, where indexing fills the CPU's caches, 16 keep the sketch's tables
#: and products small enough to stay in them: finding copies added 8.9-9.0% to a 20k build
#: in sixteens against 9.6-10.1% in batches of 64.
SKETCH_BATCH = 16

Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    """What applying a plan did: the files that failed to parse, and how many were indexed."""

    indexed: int = 0
    skipped: dict[str, tuple[str, str]] = field(default_factory=dict)
    """rel path -> (signature text, reason)"""
    sketches: dict[str, tuple[str, bytes, bytes]] = field(default_factory=dict)
    """rel path -> (signature text, copies sketch of its body, its MinHash signature),
    computed while it was parsed"""


def parse_and_document(archive: Path, item: ArchiveFile) -> dict[str, Any]:
    """Parse one file into index fields; raises ParseError (or anything) for the caller to log."""
    from termnews.parsing import parse_file

    article = parse_file(resolve_in(archive, item.rel))
    return document(item.rel, article, item.mtime_ns, item.size)


def skip_reason(error: BaseException) -> str:
    """A one-line reason for a file we could not index; never stops the run."""
    from termnews.errors import ParseError

    if isinstance(error, ParseError):
        return error.reason
    if isinstance(error, OSError):
        return f"cannot read: {error.strerror or error}"
    return f"parser failed: {type(error).__name__}: {error}"


def _index_items(
    writer: SegmentWriter,
    archive: Path,
    items: Iterable[ArchiveFile],
    outcome: Outcome,
    tick: Callable[[], None],
) -> None:
    sketching = copies_enabled()
    parsed: list[tuple[ArchiveFile, dict[str, Any]]] = []

    def add_parsed() -> None:
        add_documents(writer, [doc for _, doc in parsed])
        outcome.indexed += len(parsed)
        if sketching:
            bodies = [(item.rel, doc["sig"], doc["body"]) for item, doc in parsed]
            for start in range(0, len(bodies), SKETCH_BATCH):
                _sketch_all(bodies[start : start + SKETCH_BATCH], outcome)
        parsed.clear()

    for item in items:
        try:
            doc = parse_and_document(archive, item)
        except Exception as error:  # a bad file is reported, never fatal
            outcome.skipped[item.rel] = (
                signature_text(item.mtime_ns, item.size),
                skip_reason(error),
            )
        else:
            parsed.append((item, doc))
            if len(parsed) >= INDEX_BATCH:
                add_parsed()
        tick()
    add_parsed()


def _sketch_all(bodies: list[tuple[str, str, str]], outcome: Outcome) -> None:
    """Sketch these bodies (rel path, signature, body) into `outcome`, and forget them.

    Sketched here, while the bodies are at hand and the build still parallel, and a batch
    at a time: between two stories' indexing the sketch's arrays and tables leave the CPU's
    caches, and one story at a time a sketch cost 1.7 times as much; a batch also makes
    each numpy step once for all its bodies instead of once a body
    (`sketches_and_signatures`)."""
    packed, signatures = sketches_and_signatures([body for _, _, body in bodies])
    for (rel, sig, _), sketched, signature in zip(bodies, packed, signatures, strict=True):
        outcome.sketches[rel] = (sig, sketched, signature)
    bodies.clear()


def apply(
    ix: FileIndex,
    archive: Path,
    delete: Sequence[str],
    add: Sequence[ArchiveFile],
    *,
    clear: bool,
    procs: int,
    lock_fd: int | None,
    progress: Progress | None,
) -> Outcome:
    """Delete `delete`, index `add`, and commit once. The caller holds the write lock.

    `clear` drops every existing segment in the same commit (a `--rebuild`), so readers see
    the old index until the new one is complete.
    """
    writer = unlocked_writer(ix, **WRITER_OPTIONS)
    try:
        if not clear:
            for rel in delete:
                writer.delete_by_term("path", rel)
        if procs > 1 and len(add) >= PARALLEL_MIN_FILES:
            outcome, segments = _index_in_workers(ix, archive, add, procs, lock_fd, progress)
            commit_with_segments(writer, segments, CLEAR if clear else None)
        else:
            outcome = Outcome()
            done = 0
            total = len(add)

            def tick() -> None:
                nonlocal done
                done += 1
                if progress is not None and (done % 25 == 0 or done == total):
                    progress(done, total)

            _index_items(writer, archive, add, outcome, tick)
            # As the workers' commit does: one path, which also drops emptied segments.
            commit_with_segments(writer, [], CLEAR if clear else None)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    return outcome


# -- worker processes ----------------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    """`fork` where it is safe: workers inherit the imported parser and start in milliseconds.

    Forking a process that runs other threads (the browser syncs from a worker thread) can
    copy a lock some other thread held at that instant, and the child then hangs on it; such
    a process starts its workers from a clean `forkserver` instead.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _worker_main(
    worker: int,
    index_dir: str,
    archive: str,
    batches: list[Sequence[ArchiveFile]],
    results: Any,
    counter: Any,
    lock_fd: int | None,
) -> None:
    """Index this worker's batches into a private segment, then hand it back."""
    if lock_fd is not None:
        # A forked copy of the lock's descriptor would keep the index locked after a
        # SIGKILL of the parent for as long as this process lives.
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    # Indexing allocates millions of small tuples and no cycles: the cyclic collector would
    # only rescan them over and over. The process exits when its segment is done.
    gc.disable()
    try:
        from whoosh.index import open_dir

        ix = open_dir(index_dir)
        writer = unlocked_writer(ix, **WRITER_OPTIONS)
        outcome = Outcome()

        def tick() -> None:
            with counter.get_lock():
                counter.value += 1

        parent = multiprocessing.parent_process()
        for batch in batches:
            # The parent died: give up quietly. (Not `os.getppid()`: a worker started by a
            # forkserver is that server's child, not the build's.)
            if parent is not None and not parent.is_alive():
                writer.cancel()
                return
            _index_items(writer, Path(archive), batch, outcome, tick)
        segment = close_segment(writer)
        payload = (outcome.skipped, outcome.sketches)
        results.put(("ok", worker, segment, outcome.indexed, payload))
    except BaseException:
        results.put(("error", worker, None, 0, traceback.format_exc()))


def deal_batches(add: Sequence[ArchiveFile], procs: int) -> list[list[Sequence[ArchiveFile]]]:
    """Each worker's batches: dealt round the workers in archive order, the same every time.

    Which worker indexes which story decides the segments and so every docnum, which decide
    how ties in ranking fall. Dealing the batches (instead of handing them to whichever
    worker asks first) makes the same archive give the same index on every build; dealing
    small batches in turn keeps the workers' shares alike.
    """
    dealt: list[list[Sequence[ArchiveFile]]] = [[] for _ in range(procs)]
    for number, start in enumerate(range(0, len(add), BATCH_SIZE)):
        dealt[number % procs].append(add[start : start + BATCH_SIZE])
    return dealt


def _index_in_workers(
    ix: FileIndex,
    archive: Path,
    add: Sequence[ArchiveFile],
    procs: int,
    lock_fd: int | None,
    progress: Progress | None,
) -> tuple[Outcome, list[Any]]:
    ctx = _context()
    if ctx.get_start_method() != "fork":
        lock_fd = None  # only a forked child inherits the descriptor it must close
    results = ctx.Queue()
    counter = ctx.Value("l", 0)
    shares = deal_batches(add, procs)
    workers = [
        ctx.Process(
            target=_worker_main,
            args=(
                number,
                ix.storage.folder,
                str(archive),
                share,
                results,
                counter,
                lock_fd,
            ),
            daemon=True,
        )
        for number, share in enumerate(shares)
    ]
    for worker in workers:
        worker.start()
    total = len(add)
    last_report = 0.0

    def report(force: bool = False) -> None:
        nonlocal last_report
        now = time.monotonic()
        if progress is not None and (force or now - last_report >= 0.1):
            last_report = now
            progress(min(counter.value, total), total)

    def check_alive() -> None:
        if any(w.exitcode not in (None, 0) for w in workers):
            raise TermnewsError("an indexing worker process died; run the same command again")

    try:
        outcome = Outcome()
        segments: dict[int, Any] = {}
        pending = procs
        while pending:
            try:
                status, number, segment, indexed, payload = results.get(timeout=0.1)
            except queue.Empty:
                check_alive()
                report()
                continue
            pending -= 1
            if status != "ok":
                last_line = str(payload).strip().splitlines()[-1:] or ["unknown error"]
                raise TermnewsError(f"an indexing worker failed: {last_line[0]}")
            outcome.indexed += indexed
            skipped, sketches = payload
            outcome.skipped.update(skipped)
            outcome.sketches.update(sketches)
            if segment is not None:
                segments[number] = segment
        for worker in workers:
            worker.join()
        report(force=True)
        # In worker order, not in the order they finished: docnums follow segment order.
        return outcome, [segments[number] for number in sorted(segments)]
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join(1)
