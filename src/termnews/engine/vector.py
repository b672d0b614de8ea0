"""numpy, through one door: `load` imports it, `loaded` says whether that has happened.

Importing numpy costs more than most queries do. It used to wait for the first phrase;
since the clusters of copies (`engine.copies`) are numpy arrays that every folded search
reads, it is now imported with the index, and the first search pays for it. Ranking still
asks `loaded()` before taking its vectorised paths, and keeps exact pure-Python ones.
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


class ArraySet(frozenset):  # type: ignore[type-arg]
    """A set of docnums that also holds them as a sorted numpy int64 array.

    A match set built with numpy (the union of a partial word's completions) keeps the
    array it was made from, so that ranking and folding, which want an array, take it
    instead of converting the set back one member at a time. Set operations on it give
    plain frozensets, without the array.
    """

    __slots__ = ("array",)
    array: Any

    def __new__(cls, members: Any) -> ArraySet:
        made = super().__new__(cls, members.tolist())
        made.array = members
        return made


def as_array(np: Any, docnums: Any) -> Any:
    """`docnums` (a collection of ints) as a numpy int64 array, in no particular order."""
    if type(docnums) is ArraySet:
        return docnums.array
    return np.fromiter(docnums, dtype=np.int64, count=len(docnums))
