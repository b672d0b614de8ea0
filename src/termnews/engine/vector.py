"""numpy, loaded only when it pays: importing it costs more than most queries do.

Phrases need numpy (matching every occurrence of two common words in Python would take
longer than the whole query may), so the first phrase in a process loads it. Everything
else has a pure-Python way that is exact and quick enough, and switches to numpy's once it
is loaded: long posting lists widen and sum faster with it. The browser loads it in a
worker thread as soon as its first results are on screen, so a phrase typed later does
not wait for the import.
"""

from __future__ import annotations

from typing import Any

_numpy: Any | None = None


def loaded() -> Any | None:
    """numpy once `load` has finished importing it, else None (and nothing is imported).

    Not `sys.modules`: a module is listed there as soon as its import starts, so a search
    thread could meet a half-initialised numpy while the background import runs.
    """
    return _numpy


def load() -> Any:
    """numpy, importing it now if need be."""
    global _numpy
    if _numpy is None:
        import numpy

        _numpy = numpy
    return _numpy
