"""The Textual browser. This is the only package in termnews that imports Textual.

Keeping Textual behind this boundary lets `termnews parse`, `index` and `search` start without
paying for its import, and keeps the core testable without a terminal. This module itself
imports nothing of Textual or ours, so `prepare_textual` and `pause_collector` can run
before Textual is loaded.
"""

from __future__ import annotations

import gc
import os
from collections.abc import MutableMapping

FRAME_RATE_ENV = "TEXTUAL_FPS"
#: Frames a second Textual may paint. Textual holds every change until the next frame, so a
#: keystroke's results wait for it; twice its default rate halves that wait. It sends no extra
#: frames, because nothing in the browser animates or blinks.
FRAME_RATE = 120


def prepare_textual(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set the browser's frame rate; call before Textual is first imported.

    Textual reads its frame rate from the environment once, when it is imported, and offers
    no other setting for it. A person's own `TEXTUAL_FPS` wins.
    """
    environ.setdefault(FRAME_RATE_ENV, str(FRAME_RATE))


_collector_paused = False


def pause_collector() -> None:
    """Hold Python's cyclic garbage collector until `resume_collector`, called by the browser
    once its first frame is painted.

    Start-up builds many objects and frees almost none, so the collections it sets off walk
    ever more live objects (Textual's among them) for little: some 13 ms of the launch in
    alternated runs. Does nothing if the collector is already off.
    """
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def resume_collector() -> None:
    """Turn the collector back on if `pause_collector` turned it off (else nothing)."""
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.enable()
