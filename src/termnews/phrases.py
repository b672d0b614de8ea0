"""Exact phrase matching over the cached posting sets, decoding positions only for candidates.

Whoosh checks a phrase by walking the intersection of its words one document at a time and
decoding each word's positions through several layers of matcher objects. Here the
intersection comes from the cached posting sets (`DocSets`), each word's posting blocks are
decoded once (`PostingCache.with_values`), and a candidate's positions are one
`pickle.loads` of its raw value away.

A word-pair (shingle) field would make a two-word phrase one term lookup, but measured with
the bulk writer it halved the build rate (650 -> 315 stories/s on 3,000 stories), so exact
phrases are checked here instead.

A phrase is a list of (word, offset): `"state of the art"` is state@0 art@3, because the
analyzer keeps the gaps of dropped stop words (see `querylang._GapPhrasePlugin`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from itertools import accumulate
from operator import itemgetter
from pickle import loads
from typing import Any

from whoosh import query as wq
from whoosh.query.spans import SpanNear2

#: (field, ((word, offset), ...)): a phrase with each word's distance from the first.
PhraseKey = tuple[str, tuple[tuple[str, int], ...]]


def phrase_key(q: Any) -> PhraseKey | None:
    """The words and offsets of an exact phrase query, or None for anything else."""
    if isinstance(q, wq.Phrase):
        if q.slop != 1 or not q.words:
            return None
        return q.fieldname, tuple((str(w), i) for i, w in enumerate(q.words))
    if isinstance(q, SpanNear2) and q.ordered and q.slop == q.mindist and len(q.qs) == 2:
        head, tail = q.qs
        if not isinstance(tail, wq.Term):
            return None
        first = phrase_key(head) if not isinstance(head, wq.Term) else None
        if isinstance(head, wq.Term):
            first = (head.fieldname, ((str(head.text), 0),))
        if first is None or first[0] != tail.fieldname:
            return None
        last = first[1][-1][1]
        return first[0], (*first[1], (str(tail.text), last + q.slop))
    return None


def phrase_words(q: Any) -> list[wq.Term] | None:
    """The phrase's words as terms (what Whoosh sums to score it), or None if not a phrase."""
    key = phrase_key(q)
    if key is None:
        return None
    return [wq.Term(key[0], word) for word, _offset in key[1]]


def verify(
    words: list[tuple[dict[int, bytes], int]], candidates: Collection[int], with_chars: bool
) -> set[int]:
    """The candidates in which every word sits at its offset from the first.

    `words` holds each word's raw posting values (docnum -> bytes) and its offset, rarest
    word first; `with_chars` says the values hold (position, start, end) triples. The first
    words narrow a set of possible start positions per story; the last only has to hit one.
    """
    (first, first_offset), *middle, (last, last_offset) = words
    starts: dict[int, set[int]] = {}
    for docnum in candidates:
        starts[docnum] = {p - first_offset for p in _positions(first[docnum], with_chars)}
    for values, offset in middle:
        narrowed: dict[int, set[int]] = {}
        for docnum, possible in starts.items():
            kept = possible.intersection(
                [p - offset for p in _positions(values[docnum], with_chars)]
            )
            if kept:
                narrowed[docnum] = kept
        starts = narrowed
    found = set()
    for docnum, possible in starts.items():
        for p in _positions(last[docnum], with_chars):
            if p - last_offset in possible:
                found.add(docnum)
                break
    return found


_FIRST = itemgetter(0)


def _positions(value: bytes, with_chars: bool) -> Iterator[int]:
    codes = loads(memoryview(value)[4:])  # after Whoosh's 4-byte count: pickled deltas
    return accumulate(map(_FIRST, codes)) if with_chars else accumulate(codes)
