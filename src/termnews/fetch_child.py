"""The browser's fetch in a process of its own: `python -m termnews.fetch_child`.

A fetch parses feeds, writes stories and indexes them in Python. Run in the browser's own
threads, that work takes turns with the keystrokes for one interpreter lock, whatever its OS
priority; in a child process, at a lower priority, it takes only the CPU the browser leaves.
The child runs the steps `termnews fetch` runs (`termnews.newsin`) but one: the tags are put on
the stories by the browser, in its own reading state (which may live in its memory only).

The browser writes one request, a JSON line, to the child's stdin (`FetchRequest`). The child
answers in JSON lines on its stdout:

- `{"type": "progress", "done": 3, "total": 12, "new": 41}` as each feed ends;
- `{"type": "lock"}` when it is ready to sync the browser's own index: it waits for `go`, which
  the browser writes once it holds its index write lock, so this sync never overlaps the
  browser's own (its watcher's);
- `{"type": "stopping"}` once it has heard `stop`;
- `{"type": "finished", ...}` last: the summary, the failed feeds, problems as sentences, the
  tags to put on the stories, what the sync found (`run`).

Later lines from the browser are `go` and `stop`. The end of its stdin is a stop too: the
browser is gone, and the child ends with the feeds already under way rather than outlive it.
Stopped, the child starts no feed, writes no more entries (story files are written whole or
not at all) and syncs nothing. The child starts a process group of its own, so that the
browser can end it with everything it started (the extractor, the index writers) when it does
not end by itself soon enough (`FetchChild.stop`).

This module imports no front end: the browser's `tui.fetching` drives `FetchChild`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from termnews.settings.model import FeedSubscription

#: How long a stopped child may take to end by itself before it is killed with its group.
STOP_GRACE_S = 3.0
#: How much of the child's stderr is kept, to say why it ended without a summary.
STDERR_TAIL = 2000


@dataclass(frozen=True)
class FetchRequest:
    """What the child is to do: fetch `feeds` into `archive`, then sync `index_dir`."""

    feeds: tuple[FeedSubscription, ...]
    archive: Path
    index_dir: Path | None
    """The index to sync when stories were written; None: sync none."""
    lock: bool
    """Sync only once the browser says `go` (it is the browser's own index)."""
    threads: int
    nice: int
    """How much lower than the browser the child runs (nice values go from -20 to 19)."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "feeds": [
                    [feed.url, feed.name, list(feed.tags), feed.fulltext] for feed in self.feeds
                ],
                "archive": str(self.archive),
                "index_dir": None if self.index_dir is None else str(self.index_dir),
                "lock": self.lock,
                "threads": self.threads,
                "nice": self.nice,
            }
        )

    @classmethod
    def from_json(cls, line: str | bytes) -> FetchRequest:
        data = json.loads(line)
        return cls(
            feeds=tuple(
                FeedSubscription(url, name, tuple(tags), fulltext)
                for url, name, tags, fulltext in data["feeds"]
            ),
            archive=Path(data["archive"]),
            index_dir=None if data["index_dir"] is None else Path(data["index_dir"]),
            lock=bool(data["lock"]),
            threads=int(data["threads"]),
            nice=int(data["nice"]),
        )


# -- the browser's side ---------------------------------------------------------------------


class FetchChild:
    """A running fetch process, as the browser sees it: its lines, and a way to stop it."""

    def __init__(self, request: FetchRequest) -> None:
        # A file, not a pipe: nobody reads it until the child has ended, and a full pipe
        # would stop a child that writes much there.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `close`)
        # Every descriptor is given: under Textual `sys.stderr` has none (see `tui.processes`),
        # and the child must never write on the terminal the browser draws on.
        self._process = subprocess.Popen(
            [sys.executable, "-m", "termnews.fetch_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=_child_env(),
            start_new_session=True,
        )
        self._write_lock = threading.Lock()
        self._killer: threading.Timer | None = None
        self._said: list[str] = []
        self.stopping = threading.Event()
        """Set once the child has said it heard `stop`."""
        self.send(request.to_json())

    @property
    def pid(self) -> int:
        return self._process.pid

    def send(self, line: str) -> None:
        """Write one line to the child; a child already gone is not an error."""
        stdin = self._process.stdin
        if stdin is None:
            return
        with self._write_lock, contextlib.suppress(OSError, ValueError):
            stdin.write(line.encode("utf-8") + b"\n")
            stdin.flush()

    def messages(self) -> Iterator[dict[str, Any]]:
        """The child's lines, parsed, until it closes its stdout (it ended, or was killed)."""
        stdout = self._process.stdout
        assert stdout is not None
        for line in stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not ours: a library printing on stdout
            if not isinstance(message, dict):
                continue
            if message.get("type") == "stopping":
                self.stopping.set()
            yield message

    def stop(self, grace: float | None = None) -> None:
        """Ask the child to stop; kill it, with all it started, if it has not ended in `grace`
        seconds (`STOP_GRACE_S`): a feed under way may wait a minute on a slow server."""
        self.send("stop")
        with self._write_lock:
            if self._killer is None:
                wait = STOP_GRACE_S if grace is None else grace
                self._killer = threading.Timer(wait, self.kill)
                self._killer.daemon = True
                self._killer.start()

    def kill(self) -> None:
        """End the child and every process it started (its process group) at once."""
        if self._process.poll() is not None:
            return
        with contextlib.suppress(OSError):
            if hasattr(os, "killpg"):
                os.killpg(self._process.pid, signal.SIGKILL)
            else:
                self._process.kill()

    def close(self) -> int:
        """Wait for the child to end (its stdout is closed by then); its exit status."""
        if self._process.stdin is not None:
            with self._write_lock, contextlib.suppress(OSError):
                self._process.stdin.close()
        status = self._process.wait()
        if self._killer is not None:
            self._killer.cancel()
        if self._process.stdout is not None:
            self._process.stdout.close()
        if not self._stderr.closed:
            self._stderr.seek(0, os.SEEK_END)
            self._stderr.seek(max(0, self._stderr.tell() - STDERR_TAIL))
            self._said = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
            self._stderr.close()
        return status

    def failure(self) -> str:
        """Why the child ended without a summary: the last line it wrote on stderr, or else
        its exit status (after `close`)."""
        if self._said:
            return self._said[-1]
        status = self._process.returncode
        if status is not None and status < 0:
            return f"the fetch process was ended by signal {-status}"
        return f"the fetch process ended with status {status}"


def _child_env() -> dict[str, str]:
    """The browser's environment, with this copy of termnews first on the child's path."""
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


# -- the child's side -----------------------------------------------------------------------


class _Out:
    """JSON lines on stdout, from any thread; a browser that is gone stops the run.

    Written to the descriptor, past `sys.stdout`'s buffer, whose lock a daemon thread could
    be holding when the interpreter exits (it aborts then).
    """

    def __init__(self, fd: int, stop: threading.Event) -> None:
        self._fd = fd
        self._stop = stop
        self._lock = threading.Lock()

    def __call__(self, message: dict[str, Any]) -> None:
        line = memoryview(json.dumps(message).encode("ascii") + b"\n")
        with self._lock:
            try:
                while line:
                    line = line[os.write(self._fd, line) :]
            except OSError:
                self._stop.set()


def _lines(fd: int) -> Iterator[bytes]:
    """The lines read from `fd`, unbuffered by Python.

    Not `sys.stdin`: a daemon thread blocked in a read of it holds its buffer's lock, and the
    interpreter aborts at exit when it finds that lock taken.
    """
    pending = b""
    while chunk := os.read(fd, 65536):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        yield from lines
    if pending:
        yield pending


def _listen(lines: Iterator[bytes], stop: threading.Event, go: threading.Event, emit: _Out) -> None:
    """Hear `go` and `stop` from the browser; its stdin closing means it is gone: stop."""
    with contextlib.suppress(OSError):
        for line in lines:
            word = line.strip()
            if word == b"go":
                go.set()
            elif word == b"stop":
                break
    stop.set()
    go.set()  # a sync waiting for the lock gives up
    emit({"type": "stopping"})


def run(
    request: FetchRequest,
    emit: Callable[[dict[str, Any]], None],
    stop: threading.Event,
    go: threading.Event,
) -> dict[str, Any]:
    """Fetch, read the tags, sync: the `finished` message, every outcome in it as words."""
    from termnews.errors import TermnewsError
    from termnews.newsin import fetch_feeds, plan_tags, summary_line, sync_archive

    total = len(request.feeds)
    counts = {"done": 0, "new": 0}

    def progress(outcome: Any) -> None:
        counts["done"] += 1
        counts["new"] += outcome.new
        emit({"type": "progress", "done": counts["done"], "total": total, "new": counts["new"]})

    summary, no_fulltext = fetch_feeds(
        request.feeds, request.archive, progress=progress, stop=stop, threads=request.threads
    )
    problems: list[str] = []
    if no_fulltext:
        problems.append(f"No full text this time: {no_fulltext}")
    plan = plan_tags(request.feeds, request.archive, summary)
    synced: dict[str, int] | None = None
    if request.index_dir is not None and summary.written and not stop.is_set():
        if request.lock:
            emit({"type": "lock"})
            go.wait()
        if not stop.is_set():
            try:
                report = sync_archive(request.archive, request.index_dir)
            except TermnewsError as error:
                problems.append(f"The stories were written but not indexed: {error}")
            else:
                synced = {
                    "fresh": report.new + report.changed,
                    "removed": report.removed,
                    "changed": int(report.changed_anything),
                }
    return {
        "type": "finished",
        "line": summary_line(summary),
        "new": summary.new,
        "failed": [[o.name, o.error or ""] for o in summary.outcomes if o.status == "failed"],
        "problems": problems,
        "stopped": stop.is_set(),
        "tags": plan.by_tag,
        "headlines": plan.headlines,
        "tagged": plan.tagged,
        "synced": synced,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """The child: one request on stdin, JSON lines on stdout, then exit."""
    lines = _lines(sys.stdin.fileno())
    first = next(lines, b"")
    if not first.strip():
        return 2  # the browser went before it asked anything
    request = FetchRequest.from_json(first)
    # Before any thread starts: on Linux a nice value is a thread's own, and the threads and
    # processes started later (feeds, extractor, index writers) inherit it.
    with contextlib.suppress(AttributeError, OSError):  # not on Windows; not allowed
        os.nice(request.nice)
    stop, go = threading.Event(), threading.Event()
    emit = _Out(sys.stdout.fileno(), stop)
    threading.Thread(
        target=_listen, args=(lines, stop, go, emit), name="termnews-fetch-listen", daemon=True
    ).start()
    try:
        finished = run(request, emit, stop, go)
    except Exception as error:  # the one place a fetch's surprise becomes words
        from termnews.errors import TermnewsError

        reason = str(error) if isinstance(error, TermnewsError) else repr(error)
        finished = {"type": "failed", "reason": reason, "stopped": stop.is_set()}
    emit(finished)
    return 0


if __name__ == "__main__":
    sys.exit(main())
