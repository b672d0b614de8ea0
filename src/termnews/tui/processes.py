"""Child processes started from inside the browser: give multiprocessing a real stderr.

While a Textual app runs, `sys.stderr` is Textual's capture of printed text, whose `fileno()`
is -1. The first process multiprocessing starts with "spawn" or "forkserver" (the full-text
extractor of a fetch, the index writers of a sync of 400 files or more) first launches its
resource tracker, handing it `sys.stderr.fileno()`; with -1 the launch fails with
"bad value(s) in fds_to_keep", and the fetch or sync with it. So the tracker is started here,
once, with the process's own stderr, before anything in the browser starts such a process.
"""

from __future__ import annotations

import sys
import threading

_lock = threading.Lock()


def prepare_child_processes() -> None:
    """Start multiprocessing's resource tracker with the real stderr (at once if running).

    Called from worker threads: `sys.stderr` is swapped for the few milliseconds the launch
    takes, under a lock, so two workers never swap it at once. A failure here is left for the
    process start that follows to report, in the words of whoever starts it.
    """
    real = sys.__stderr__
    if real is None:
        return
    from multiprocessing import resource_tracker

    with _lock:
        shown, sys.stderr = sys.stderr, real
        try:
            resource_tracker.ensure_running()
        except (OSError, ValueError):
            pass
        finally:
            sys.stderr = shown
