"""Result rows: a page of matches turned into `Hit`s with their snippets and highlights.

Rows are the expensive part of a result (a stored-field read and a snippet each), so they
are built only for the page on screen. A snippet centres on the query's words, whose
character offsets come straight from the body's postings instead of re-analysing the body.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from termnews.engine.copies import Clusters
from termnews.engine.display import Display, body_spans, displays
from termnews.engine.generation import Generation
from termnews.engine.highlight import snippet, spans_of
from termnews.engine.storage.codec import character_spans
from termnews.engine.storage.postings import values_for
from termnews.results import Hit, Span


def hit_rows(
    gen: Generation,
    docnums: list[int],
    scores: list[float],
    terms: frozenset[str],
    folded: list[int] | None = None,
) -> list[Hit]:
    """The rows for `docnums` (with their `scores`), highlighting `terms`.

    `folded` gives each row's count of copies folded into it (when the results fold them).
    """
    if not docnums:
        return []
    copies = gen.copies
    folded = folded if folded is not None else [0] * len(docnums)
    ranges = _body_ranges(gen, docnums, terms) if terms else {}
    shown = displays(gen, docnums)  # kept per generation: see `engine.display`
    hits = []
    for docnum, score, folded_here in zip(docnums, scores, folded, strict=True):
        row = shown[docnum]
        if not terms and not score and not folded_here:
            hits.append(_plain_hit(row, docnum, copies))
            continue
        if ranges.get(docnum):
            text, marks = snippet(row.body, ranges[docnum])
        else:
            text, marks = row.lead, spans_of(row.lead_words, terms)
        headline_spans = tuple(spans_of(row.headline_words, terms))
        hits.append(
            _hit(row, docnum, copies, score, text, headline_spans, tuple(marks), folded_here)
        )
    return hits


def _hit(
    row: Display,
    docnum: int,
    copies: Clusters,
    score: float,
    snippet: str,
    headline_spans: tuple[Any, ...],
    snippet_spans: tuple[Any, ...],
    folded: int,
) -> Hit:
    """One result row, from the story's kept display fields and what this query adds."""
    return Hit(
        path=row.path,
        headline=row.headline,
        authors=row.authors,
        agency=row.agency,
        dateline=row.dateline,
        published=row.published,
        date_estimated=row.date_estimated,
        score=score,
        snippet=snippet,
        headline_spans=headline_spans,
        snippet_spans=snippet_spans,
        identity=row.identity,
        cluster=copies.cluster_id(docnum),
        copies=copies.size(docnum) - 1,
        folded=folded,
    )


def _plain_hit(row: Display, docnum: int, copies: Clusters) -> Hit:
    """The row of a story matched by no words, unscored and folding nothing: the same Hit
    for every such query (a date range, a state filter, the empty query), so it is made
    once and kept with the story's display fields, where building it was most of a page.
    It is kept with the clusters it was made with: the copies it counts are theirs."""
    if row.plain is None or row.plain[0] is not copies:
        hit = _hit(row, docnum, copies, 0.0, row.lead, (), (), 0)
        row.plain = (copies, hit)
    return row.plain[1]


def _body_ranges(
    gen: Generation, docnums: Iterable[int], terms: frozenset[str]
) -> dict[int, list[Span]]:
    """Character offsets of query terms in each body, straight from the postings.

    A term whose postings are cached is looked for only in the hits that hold it: the
    completions of a partial word are each in few of the hits, and every block read for
    nothing costs a decompression.
    """
    wanted = sorted(set(docnums))
    ranges: dict[int, list[Span]] = {}
    postings = gen.docsets.postings
    kept = body_spans(gen)  # (term, docnum) -> spans, kept per generation
    for term in terms:
        unknown = []
        for docnum in wanted:
            spans = kept.get((term, docnum))
            if spans is None:
                unknown.append(docnum)
            elif spans:
                ranges.setdefault(docnum, []).extend(spans)
        if not unknown:
            continue
        known = postings.peek("body", term)
        holding = unknown if known is None else _members(known.ids, unknown)
        found = values_for(gen.reader, "body", term, holding, known)
        for docnum in unknown:
            value = found.get(docnum)
            spans = tuple(character_spans(value)) if value is not None else ()
            kept.put((term, docnum), spans)
            if spans:
                ranges.setdefault(docnum, []).extend(spans)
    return ranges


def _members(ids: Any, wanted: list[int]) -> list[int]:
    """The wanted docnums present in the ascending array `ids` (a binary search each)."""
    found = []
    for docnum in wanted:
        i = bisect_left(ids, docnum)
        if i < len(ids) and ids[i] == docnum:
            found.append(docnum)
    return found
