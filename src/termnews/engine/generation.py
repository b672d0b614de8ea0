"""One generation of the index: the reader and everything read from it, swapped as a whole.

A sync writes a new generation. Document numbers, the match sets and posting arrays built
from them, the story identities state filters map to docnums, the term lists completion and
suggestion read, the query parser over the schema:
each is valid for the reader it came from, and mixing two generations' parts would find
the wrong stories. Keeping them in one object makes a refresh one assignment, and lets a
page of older results tell that it came from another generation (`number`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from termnews.engine import suggest
from termnews.engine.complete import Completer
from termnews.engine.copies import Clusters, load_clusters
from termnews.engine.display import HELD_CHARS, HELD_SPANS, Display, row_weight
from termnews.engine.filters import StateFilters, StateView
from termnews.engine.lexicon import FieldTerms, Lexicon, read_apart, segments_of
from termnews.engine.lru import LRU
from termnews.engine.matching.matchsets import DocSets
from termnews.engine.query.language import make_parser
from termnews.engine.schema import DEFAULT_FIELDS
from termnews.engine.store import archive_of
from termnews.engine.story_columns import StoryColumns
from termnews.results import Span

#: The term lists worth reading ahead: what completion and suggestions look words up in.
FIELDS_WARMED = tuple(dict.fromkeys((*DEFAULT_FIELDS, *suggest.FIELDS_USED)))


@dataclass(frozen=True, slots=True)
class WarmUp:
    """What `Generation.prepare_warm_up` read and built, for `finish_warm_up` to keep."""

    terms: dict[str, FieldTerms]
    suggester: suggest.Prepared


class Generation:
    """The open reader of one index generation, its caches, and what is built from it.

    Not thread-safe: the Searcher holds its lock around every use once it is shared (a new
    one is opened and warmed by one thread before it is).
    """

    def __init__(
        self, ix: Any, index_dir: Path, number: int, state: StateView | None = None
    ) -> None:
        """`state`: where `is:` and `tag:` filters read the marks from (None: no marks)."""
        self.number = number
        self.searcher = ix.searcher()
        self.reader = self.searcher.reader()
        self.filters = StateFilters(self.reader, lambda: self.docsets.live, state)
        self.lexicon = Lexicon(self.reader)
        self.docsets = DocSets(self.searcher, self.filters, self.lexicon)
        self.parser = make_parser(self.searcher.schema)
        self.archive: Path | None = archive_of(index_dir)
        self.completer = Completer(self.lexicon, self.reader.doc_count_all())
        self.suggester = suggest.Suggester(self.lexicon, self.reader, self.docsets.term)
        self.warmed = False
        self._storage = ix.storage
        self._segments = segments_of(self.reader)
        self._index_dir = index_dir
        self._copies: Clusters | None = None
        # What result rows show of each story, and where terms are in bodies: a reader's
        # stored fields never change, so they are kept for as long as the generation lives.
        self.rows: LRU[int, Display] = LRU(HELD_CHARS, row_weight)
        self.body_spans: LRU[tuple[str, int], tuple[Span, ...]] = LRU(HELD_SPANS)
        self.story_columns: StoryColumns | None = None
        """Every story's date, agency, dateline and authors, once read (`Searcher.context`)."""

    @property
    def copies(self) -> Clusters:
        """Which stories of this generation are copies of each other, read once on first use."""
        if self._copies is None:
            self._copies = load_clusters(self.reader, self._index_dir)
        return self._copies

    def up_to_date(self) -> bool:
        return bool(self.searcher.up_to_date())

    def prepare_warm_up(self) -> WarmUp:
        """Read the term lists typeahead and suggestions use, and build the suggester's
        lookups from them, through files of its own: safe without the lock, while searches
        use this generation."""
        terms = read_apart(self._storage, self.searcher.schema, self._segments, FIELDS_WARMED)
        return WarmUp(terms, suggest.prepare(terms))

    def finish_warm_up(self, prepared: WarmUp) -> None:
        """Take what `prepare_warm_up` built (under the lock, once this one is shared)."""
        self.lexicon.install(prepared.terms)
        self.suggester.install(prepared.suggester)
        self.warmed = True

    def warm_up(self) -> None:
        """Both steps at once, for a generation no other thread sees yet."""
        self.finish_warm_up(self.prepare_warm_up())

    def close(self) -> None:
        self.searcher.close()
