"""The Textual browser. This is the only package in termnews that imports Textual.

Keeping Textual behind this boundary lets `termnews parse`, `index` and `search` start without
paying for its import, and keeps the core testable without a terminal. This module itself
imports nothing of Textual or ours, so `prepare_textual` can run before Textual is loaded.
"""

from __future__ import annotations

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
