"""BM25F top-k over cached posting arrays, scoring exactly as Whoosh's matchers would.

Whoosh scores a union or intersection by walking it one document at a time in Python, at
1-2 µs a posting. For the query shapes people type (words, fields, AND, OR, NOT, dates) a
document's Whoosh score is simply the sum of the scores of the query terms it contains,
among the documents that match. So we add each term's pre-scored postings into one dense
list (tens of nanoseconds a posting) and pick the top `want` of the exact match set.

The sum rule holds when no AND sits under an OR: in `(a b) OR c` a story holding `a` but not
`b` matches through `c` only, and `a` must not count. `additive_leaves` says when it holds;
otherwise the caller falls back to Whoosh.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from termnews.postings import PostingCache


@dataclass(frozen=True, slots=True)
class Leaf:
    """A scored term of the query, or (`members` set) a constant-score clause like a date."""

    field: str
    text: str
    boost: float = 1.0
    constant: Any = None
    """For a constant-score clause: the query whose matches each score `boost`."""


def additive_leaves(q: Any) -> list[Leaf] | None:
    """The leaves whose scores add up to `q`'s Whoosh score, or None if they would not."""
    leaves: list[Leaf] = []
    return leaves if _walk(q, leaves, under_or=False) else None


def _walk(q: Any, leaves: list[Leaf], *, under_or: bool) -> bool:
    if isinstance(q, wq.Term):
        leaves.append(Leaf(q.fieldname, str(q.text), float(q.boost)))
        return True
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return True
    if isinstance(q, wq.NumericRange):
        if not q.constantscore:
            return False
        leaves.append(Leaf("", "", float(q.boost), constant=q))
        return True
    if getattr(q, "boost", 1.0) != 1.0:
        return False
    if isinstance(q, wq.Or):
        if q.minmatch or q.scale:
            return False
        return all(_walk(child, leaves, under_or=True) for child in q.subqueries)
    if under_or:
        # A leaf present under AND/NOT in an OR does not mean the OR matched through it.
        return False
    if isinstance(q, wq.And):
        for child in q.subqueries:
            if isinstance(child, wq.Not):
                # Whoosh scores `x NOT y` as `x` plus the inverse matcher's constant 1.
                leaves.append(Leaf("", "", float(child.boost), constant=child))
            elif not _walk(child, leaves, under_or=False):
                return False
        return True
    if isinstance(q, wq.AndNot):
        return _walk(q.a, leaves, under_or=False)
    if isinstance(q, wq.AndMaybe):
        return _walk(q.a, leaves, under_or=False) and _walk(q.b, leaves, under_or=True)
    return False


def top(
    postings: PostingCache,
    leaves: list[Leaf],
    matches: Collection[int],
    want: int,
    doc_count_all: int,
    members: Any,
) -> list[tuple[int, float]]:
    """The best `want` of `matches` as (docnum, score): score descending, then docnum.

    `members(q)` gives the match set of a constant-score clause. Ties go to the lower
    docnum, as in Whoosh's collector, so pages are stable.
    """
    if not matches or want <= 0:
        return []
    acc = [0.0] * doc_count_all
    for leaf in leaves:
        if leaf.constant is not None:
            for d in members(leaf.constant):
                acc[d] += leaf.boost
            continue
        found = postings.get(leaf.field, leaf.text)
        if leaf.boost == 1.0:
            for d, s in zip(found.ids, found.scores, strict=True):
                acc[d] += s
        else:
            boost = leaf.boost
            for d, s in zip(found.ids, found.scores, strict=True):
                acc[d] += s * boost
    if want >= len(matches):
        chosen = list(matches)
    else:
        # The want-th best score, then everything at or above it (ties included).
        threshold = heapq.nlargest(want, [acc[d] for d in matches])[-1]
        chosen = [d for d in matches if acc[d] >= threshold]
    chosen.sort(key=lambda d: (-acc[d], d))
    return [(d, acc[d]) for d in chosen[:want]]
