"""Related stories: the stories most like one story, leaving out the story and its copies.

"Like" is measured the way Whoosh's `more_like` does, without its costs: the story's key
terms are picked with the Bo1 model (`whoosh.classify.Bo1Model`, a term's weight in the
story against its frequency in the whole index), and every other story is scored by BM25F
over body and headline for those terms, each weighted by how key it is. Whoosh would
re-analyse the story, then walk an OR of the terms one posting per Python call; here the
terms' postings come scored from the posting cache that ranking shares
(`storage.postings`) and are added up with numpy, so a story's related list costs a few
array additions.

Copies (the same story reprinted, `engine.copies`) are not related stories: they are left
out, with the story itself, as the generation's clusters say.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from termnews.engine import vector
from termnews.engine.generation import Generation

#: How many key terms a story is searched by: enough to tell its subject, few enough that
#: a common word in a long story does not pull in everything (Whoosh's `more_like` takes 10).
KEY_TERMS = 12
#: The fields scored, and how many times a key term counts when it is in the headline.
FIELDS = ("body", "headline")
HEADLINE_WEIGHT = 2
#: Terms in more than this share of the stories say nothing about a subject (in a small
#: archive every word is in a large share: there Bo1's weighting alone ranks them).
MAX_DOC_SHARE = 0.1
SMALL_ARCHIVE = 50


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """One of a story's key terms (analysed: lowercased, folded, stemmed) and its weight."""

    text: str
    weight: float
    """Its Bo1 score divided by the best one's, so the first term weighs 1."""


def key_terms(gen: Generation, docnum: int, count: int = KEY_TERMS) -> list[KeyTerm]:
    """The `count` terms that best tell what story `docnum` is about, best first.

    Bo1 as Whoosh has it, with a term's document frequency standing for its collection
    frequency: the browser has every body term's document frequency in memory (the
    lexicon typeahead reads), where asking the reader costs a file lookup a term, several
    hundred a story. Words only this story has (a typo, a name) cannot find another story,
    and words in a large share of the stories find all of them: both are skipped.
    """
    stored = gen.reader.stored_fields(docnum)
    analyzer = gen.searcher.schema["body"].analyzer
    counts: Counter[str] = Counter()
    for token in analyzer(stored.get("body") or ""):
        counts[token.text] += 1
    for token in analyzer(stored.get("headline") or ""):
        counts[token.text] += HEADLINE_WEIGHT
    stories = max(1, gen.reader.doc_count())
    ceiling = stories if stories <= SMALL_ARCHIVE else int(stories * MAX_DOC_SHARE)
    frequency = _frequencies(gen, "body")
    scored: list[tuple[float, str]] = []
    for text, tf in counts.items():
        if len(text) < 3 or any(char.isdigit() for char in text):
            continue  # years, amounts, initials: shared by stories on every subject
        in_stories = frequency(text)
        if in_stories < 2 or in_stories > ceiling:
            continue
        f = in_stories / stories
        scored.append((tf * math.log2((1.0 + f) / f) + math.log2(1.0 + f), text))
    best = heapq.nlargest(count, scored)
    if not best:
        return []
    top = best[0][0]
    return [KeyTerm(text, score / top) for score, text in best]


def _frequencies(gen: Generation, field: str) -> Callable[[str], int]:
    """A term's document frequency in `field`: from the lexicon once it is read, else the
    reader (without reading the whole term list for one story)."""
    if gen.lexicon.loaded(field):
        return gen.lexicon.terms(field).frequency
    reader = gen.reader
    return lambda text: int(reader.doc_frequency(field, text))


def related_docnums(
    gen: Generation, terms: list[KeyTerm], limit: int, excluded: set[int] | frozenset[int]
) -> list[tuple[int, float]]:
    """(docnum, score) of the `limit` stories most like a story of key terms `terms`, best
    first (ties by docnum).

    `excluded`: stories never to return (the story and its copies); deleted ones never are.
    """
    if not terms or limit <= 0:
        return []
    np = vector.load()
    size = gen.reader.doc_count_all()
    acc = np.zeros(size)
    postings = gen.docsets.postings
    for term in terms:
        for field in FIELDS:
            ids, scores = postings.scored_arrays(field, term.text, np)  # none: empty
            acc[ids] += scores * term.weight
    out = [*excluded, *gen.docsets.deleted]
    if out:
        acc[np.fromiter(out, dtype=np.int64, count=len(out))] = 0.0
    candidates = np.flatnonzero(acc > 0)
    if len(candidates) > limit:
        found = acc[candidates]
        threshold = np.partition(found, len(found) - limit)[len(found) - limit]
        candidates = candidates[found >= threshold]
    order = np.lexsort((candidates, -acc[candidates]))[:limit]
    best = candidates[order]
    return list(zip(best.tolist(), acc[best].tolist(), strict=True))


def copies_of(gen: Generation, docnum: int) -> frozenset[int]:
    """The story and its copies: its cluster in `gen.copies` (every story its own cluster
    where the copies are not known)."""
    return frozenset((docnum, *gen.copies.members(docnum)))
