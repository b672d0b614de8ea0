"""The terminal around the browser: how many colours it can show, and its pager.

Neither needs Textual: the browse command asks about colours before the app is built, and
the pager runs while the app has handed the whole terminal over.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from typing import Any

#: Terminals that are known to have only 8/16 colours get the ANSI theme, which stays legible.
LOW_COLOUR_TERMS = {"xterm", "screen", "linux", "vt100", "vt220", "ansi", "tmux", "rxvt"}


def low_colour_terminal(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """True for `TERM=xterm`/`screen` and friends without a truecolor/256-colour hint."""
    term = environ.get("TERM", "")
    if environ.get("COLORTERM") or "256" in term or "direct" in term:
        return False
    return term in LOW_COLOUR_TERMS or term.startswith(("screen.", "vt"))


def run_pager(text: str, environ: dict[str, Any] | os._Environ[str] = os.environ) -> str | None:
    """Pipe `text` into `$PAGER`, falling back to `less -R`; returns an error message or None."""
    candidates: list[list[str]] = []
    pager = environ.get("PAGER", "").strip()
    if pager:
        with contextlib.suppress(ValueError):  # unbalanced quotes: fall back to less
            candidates.append(shlex.split(pager))
    candidates.append(["less", "-R"])
    for command in candidates:
        try:
            subprocess.run(command, input=text.encode("utf-8"), check=False)
        except (FileNotFoundError, PermissionError):
            continue
        except OSError as error:
            return f"Pager failed: {error}"
        return None
    return "No pager found: set $PAGER or install less."
