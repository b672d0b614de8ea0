"""BM25F top-k over cached posting arrays, scoring exactly as Whoosh's matchers would.

Whoosh scores a union or intersection by walking it one document at a time in Python, several
method calls a posting. For the query shapes people type (words, fields, AND, OR, NOT, dates) a
document's Whoosh score is simply the sum of the scores of the query terms it contains, among
the documents that match. So we add each term's pre-scored postings into one dense list (an
array addition a posting) and pick the top `want` of the exact match set.

Under an OR the sum needs gates: in `(a b) OR c` a story holding `a` but not `b` matches
through `c` only, so `a` counts only in stories matching `a b` as a whole (the same goes for
phrases). `additive_leaves` reads the query's form (`engine.query.form`) and returns None
for shapes whose score is not such a sum; the caller then falls back to Whoosh.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from termnews.engine import vector
from termnews.engine.query.form import (
    And,
    AndMaybe,
    AndNot,
    DateRange,
    Every,
    Filter,
    Node,
    Not,
    Nothing,
    Or,
    Phrase,
    Term,
    as_form,
)
from termnews.engine.storage.postings import PostingCache

#: Sum with numpy (when loaded) from this many matches up; below it, Python is as quick.
VECTORISE_FROM = 256
#: Score only the matching stories when the posting list is this many times longer: a binary
#: search per story costs about what scoring a few postings in a row does.
RESTRICT_RATIO = 4


@dataclass(frozen=True, slots=True)
class Leaf:
    """A scored term of the query, or (`constant`) a constant-score clause like a date."""

    field: str
    text: str
    boost: float = 1.0
    constant: Node | None = None
    """For a constant-score clause: the query whose matches each score `boost`."""
    gates: tuple[Node, ...] = ()
    """Queries a story must match for this leaf to count (an AND or phrase under an OR)."""


def additive_leaves(q: Node | Any) -> list[Leaf] | None:
    """The leaves whose gated scores add up to `q`'s Whoosh score, or None if they may not.

    A Whoosh query is translated first; the searcher passes the form it translated once.
    """
    leaves: list[Leaf] = []
    return leaves if _walk(as_form(q), leaves, under_or=False, gates=()) else None


def _walk(q: Node, leaves: list[Leaf], *, under_or: bool, gates: tuple[Node, ...]) -> bool:
    match q:
        case Nothing() | Filter():
            return True  # no score: a filter only narrows the matches
        case Term(field, text, boost):
            leaves.append(Leaf(field, text, boost, gates=gates))
            return True
        case DateRange(boost=boost) | Every(boost=boost):
            # Whoosh scores each of their stories a constant `boost`.
            leaves.append(Leaf("", "", boost, constant=q, gates=gates))
            return True
        case Or(children, boost):
            return boost == 1.0 and all(
                _walk(c, leaves, under_or=True, gates=gates) for c in children
            )
    if under_or:
        # Under an OR, an AND or a phrase counts only where it matches as a whole.
        return _walk(q, leaves, under_or=False, gates=(*gates, q))
    match q:
        case Phrase(field, words, boost):
            # Whoosh scores a phrase as the sum of its words' scores, where it matches.
            leaves.extend(Leaf(field, word, boost, gates=gates) for word, _offset in words)
            return True
        case And(children, boost):
            if boost != 1.0:
                return False
            for child in children:
                if isinstance(child, Not):
                    # Whoosh scores `x NOT y` as `x` plus the inverse matcher's constant 1.
                    leaves.append(Leaf("", "", child.boost, constant=child, gates=gates))
                elif not _walk(child, leaves, under_or=False, gates=gates):
                    return False
            return True
        case AndNot(positive, _negative):
            return _walk(positive, leaves, under_or=False, gates=gates)
        case AndMaybe(required, optional):
            return _walk(required, leaves, under_or=False, gates=gates) and _walk(
                optional, leaves, under_or=True, gates=gates
            )
    return False


def top(
    postings: PostingCache,
    leaves: list[Leaf],
    matches: Collection[int],
    want: int,
    doc_count_all: int,
    members: Any,
    vectorise: bool | None = None,
) -> list[tuple[int, float]]:
    """The best `want` of `matches` as (docnum, score): score descending, then docnum.

    `members(q)` gives the match set of a query node (a gate, or a constant-score clause);
    each distinct node is asked once a call, since the leaves of one gated AND or phrase
    share its gate. Ties go to the lower docnum, as in Whoosh's collector, so pages are
    stable. Large match sets are summed with numpy once it is loaded (the first phrase loads
    it), with the same arithmetic in the same order, so both ways give the same floats;
    `vectorise` forces one way (for tests).
    """
    if not matches or want <= 0:
        return []
    members = _asked_once(members)
    np = vector.loaded() if vectorise is None else (vector.load() if vectorise else None)
    if np is not None and (vectorise or len(matches) >= VECTORISE_FROM):
        return _top_vectorised(np, postings, leaves, matches, want, doc_count_all, members)
    acc = [0.0] * doc_count_all
    for leaf in leaves:
        gate = _gate(leaf.gates, members)
        if leaf.constant is not None:
            for d in _constant_scored(members(leaf.constant), gate, matches):
                acc[d] += leaf.boost
            continue
        boost = leaf.boost
        pool = matches if gate is None else gate
        if len(pool) * RESTRICT_RATIO < len(postings.get(leaf.field, leaf.text)):
            # Few stories count: score just those (a phrase of two common words).
            if gate is not None and len(matches) < len(gate):
                pool = [d for d in matches if d in gate]
            for d, s in postings.scores_in(leaf.field, leaf.text, sorted(pool)):
                acc[d] += s * boost
            continue
        found = postings.scored(leaf.field, leaf.text)
        if gate is not None:
            for d, s in zip(found.ids, found.scores, strict=True):
                if d in gate:
                    acc[d] += s * boost
        elif boost == 1.0:
            for d, s in zip(found.ids, found.scores, strict=True):
                acc[d] += s
        else:
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


def _top_vectorised(
    np: Any,
    postings: PostingCache,
    leaves: list[Leaf],
    matches: Collection[int],
    want: int,
    doc_count_all: int,
    members: Any,
) -> list[tuple[int, float]]:
    acc = np.zeros(doc_count_all)
    for leaf in leaves:
        gate = _gate(leaf.gates, members)
        if leaf.constant is not None:
            chosen = _constant_scored(members(leaf.constant), gate, matches)
            acc[np.fromiter(chosen, dtype=np.int64, count=len(chosen))] += leaf.boost
            continue
        ids, scores = postings.scored_arrays(leaf.field, leaf.text, np)
        if gate is not None:
            inside_gate = np.zeros(doc_count_all, dtype=bool)
            inside_gate[np.fromiter(gate, dtype=np.int64, count=len(gate))] = True
            keep = inside_gate[ids]
            acc[ids[keep]] += scores[keep] * leaf.boost
        elif leaf.boost == 1.0:
            acc[ids] += scores
        else:
            acc[ids] += scores * leaf.boost
    docnums = vector.as_array(np, matches)
    found = acc[docnums]
    if want < len(docnums):
        # The want-th best score, then everything at or above it (ties included).
        threshold = np.partition(found, len(found) - want)[len(found) - want]
        docnums = docnums[found >= threshold]
    order = np.lexsort((docnums, -acc[docnums]))[:want]
    best = docnums[order]
    return list(zip(best.tolist(), acc[best].tolist(), strict=True))


def _constant_scored(
    inside: Collection[int], gate: Collection[int] | None, matches: Collection[int]
) -> Collection[int]:
    """The stories a constant-score clause adds its boost to, as far as the result can tell.

    Only the matches' scores are ever read, so a clause that holds most of the archive
    (`NOT is:read`, every unread story) is walked over the matches instead of over itself.
    """
    chosen = inside if gate is None else gate.intersection(inside)  # type: ignore[attr-defined]
    if len(matches) < len(chosen):
        return [d for d in matches if d in chosen]
    return chosen


def _asked_once(members: Callable[[Node], Collection[int]]) -> Callable[[Node], Any]:
    """`members`, remembering each node's answer (query nodes are frozen and hashable)."""
    answers: dict[Node, Collection[int]] = {}

    def member_set(q: Node) -> Collection[int]:
        found = answers.get(q)
        if found is None:
            found = answers[q] = members(q)
        return found

    return member_set


def _gate(gates: tuple[Node, ...], members: Any) -> set[int] | frozenset[int] | None:
    if not gates:
        return None
    sets = [members(g) for g in gates]
    if len(sets) == 1:
        return sets[0]
    return set(sets[0]).intersection(*sets[1:])
