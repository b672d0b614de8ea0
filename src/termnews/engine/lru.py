"""One size-bounded least-recently-used map, for the engine's caches.

The caches hold what a person keeps reusing while typing (a word's postings, its match set,
a phrase's stories, recent results), so the oldest unused entry is the one to forget. Their
bound is a count, or a weight such as the postings held, since one common word can outweigh
a hundred rare ones.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class LRU(Generic[K, V]):
    """A map that forgets its least recently used entries once their weight passes `limit`.

    Each entry weighs `weight(value)` (1 by default, so `limit` is a count). The newest
    entry is always kept, even alone past the limit: it was put there to be used. Values
    are never None (`get` answers None for a missing key).
    """

    __slots__ = ("_entries", "_held", "_limit", "_weight")

    def __init__(self, limit: int, weight: Callable[[V], int] = _one) -> None:
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._limit = limit
        self._weight = weight
        self._held = 0

    def get(self, key: K) -> V | None:
        """The value, now the most recently used; None if absent."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def peek(self, key: K) -> V | None:
        """The value without marking it used."""
        return self._entries.get(key)

    def put(self, key: K, value: V) -> None:
        """Store `value` (replacing any under `key`) as the most recent, then trim."""
        old = self._entries.pop(key, None)
        if old is not None:
            self._held -= self._weight(old)
        self._entries[key] = value
        self._held += self._weight(value)
        while self._held > self._limit and len(self._entries) > 1:
            _key, dropped = self._entries.popitem(last=False)
            self._held -= self._weight(dropped)

    @property
    def held(self) -> int:
        """The total weight of the entries kept."""
        return self._held

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)
