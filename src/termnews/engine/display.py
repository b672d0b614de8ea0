"""What a result row shows of a story, read once per index generation and kept.

A row needs a story's stored fields (headline, authors, dates, its body for the snippet),
its file's path and its headline's analysed words for highlighting. Reading and preparing
them was most of what a page of results cost, and a person typing sees the same stories
keystroke after keystroke, so they are kept per generation (a reader's stored fields never
change) in an LRU weighed by the text held. The parts that depend on the query (the body's
snippet, the spans of its terms) are made per search from what is kept here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from termnews.archive import resolve_in
from termnews.engine.highlight import Word, snippet, words
from termnews.engine.lru import LRU
from termnews.engine.schema import AUTHOR_SEPARATOR
from termnews.results import Hit, Span

if TYPE_CHECKING:
    from termnews.engine.copies import Clusters
    from termnews.engine.generation import Generation

#: Characters of stored text the kept rows may hold in all, per generation (~4 MB for
#: 800 stories of typical length): forty pages of results, more than typing one query
#: walks through, at a fraction of the search process's memory.
HELD_CHARS = 2_000_000


class Display:
    """One story as a row shows it; the lead snippet and analysed words made when needed."""

    __slots__ = (
        "_headline_words",
        "_lead",
        "_lead_words",
        "agency",
        "authors",
        "body",
        "date_estimated",
        "dateline",
        "headline",
        "identity",
        "path",
        "plain",
        "published",
    )

    def __init__(self, stored: dict, path: str) -> None:
        self.path = path
        self.headline: str = stored.get("headline") or ""
        authors = stored.get("authors") or ""
        self.authors = tuple(a for a in authors.split(AUTHOR_SEPARATOR) if a)
        self.agency: str | None = stored.get("agency")
        self.dateline: str | None = stored.get("dateline")
        self.published: str | None = stored.get("pub")
        self.date_estimated = bool(stored.get("est"))
        self.identity: str = stored.get("sid") or ""
        self.body: str = stored.get("body") or ""
        self._headline_words: tuple[Word, ...] | None = None
        self._lead: str | None = None
        self._lead_words: tuple[Word, ...] | None = None
        self.plain: tuple[Clusters, Hit] | None = None
        """The story's row for a query of no words, once made, and the clusters of copies
        it was made with (`rows.hit_rows`)."""

    @property
    def headline_words(self) -> tuple[Word, ...]:
        """The headline's analysed words (`highlight.words`), for its spans."""
        if self._headline_words is None:
            self._headline_words = words(self.headline)
        return self._headline_words

    @property
    def lead(self) -> str:
        """The story's opening as a snippet (`highlight.lead_snippet`'s text)."""
        if self._lead is None:
            self._lead = snippet(self.body, [])[0]
        return self._lead

    @property
    def lead_words(self) -> tuple[Word, ...]:
        """The lead snippet's analysed words."""
        if self._lead_words is None:
            self._lead_words = words(self.lead)
        return self._lead_words

    def weight(self) -> int:
        return len(self.body) + len(self.headline) + 200


def row_weight(row: Display) -> int:
    """What a kept row weighs in `Generation.rows`: the characters it holds."""
    return row.weight()


#: How many (term, story) character-span lists to keep per generation: a term's spans on
#: forty pages of results, for several terms.
HELD_SPANS = 20_000


def body_spans(gen: Generation) -> LRU[tuple[str, int], tuple[Span, ...]]:
    """The kept character spans of terms in stories' bodies (`()` where a term is not):
    decoding a page's posting blocks for them was the costliest part of a row left, and
    the words typed and the stories found repeat from keystroke to keystroke."""
    return gen.body_spans


def displays(gen: Generation, docnums: Iterable[int]) -> dict[int, Display]:
    """The display fields of `docnums` in `gen`: kept ones as they are, the others read in
    docnum order (one forward pass over the stored-fields file) and kept."""
    kept = gen.rows
    out: dict[int, Display] = {}
    missing = []
    for docnum in docnums:
        row = kept.get(docnum)
        if row is None:
            missing.append(docnum)
        else:
            out[docnum] = row
    if missing:
        reader, archive = gen.reader, gen.archive
        for docnum in sorted(set(missing)):
            stored = reader.stored_fields(docnum)
            rel = stored["path"]
            path = rel if archive is None else str(resolve_in(archive, rel))
            out[docnum] = row = Display(stored, path)
            kept.put(docnum, row)
    return out
