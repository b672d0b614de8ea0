"""Typed search results: the contract between the search engine and every front end.

The browser and the CLI only ever see these values, never Whoosh objects, so the engine can
change underneath them. Hits are materialised lazily (`Searcher.hits`) because a query that
matches 100,000 stories must not pay for 100,000 stored-field reads or snippets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

#: A highlight span: [start, end) character offsets into the string it belongs to.
Span = tuple[int, int]


class SortOrder(StrEnum):
    """The orders a person can cycle through with `s`; the value is the CLI spelling."""

    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"

    @property
    def label(self) -> str:
        """How the status line names the order (`newest first`)."""
        return {"relevance": "best match", "newest": "newest first", "oldest": "oldest first"}[
            self.value
        ]

    def next(self) -> SortOrder:
        """The order after this one, wrapping around, for the `s` key."""
        members = list(SortOrder)
        return members[(members.index(self) + 1) % len(members)]


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching story as a result row shows it."""

    path: str
    headline: str
    authors: tuple[str, ...]
    agency: str | None
    dateline: str | None
    published: str | None
    """ISO date or date-time; when `date_estimated` it came from the file's mtime."""
    date_estimated: bool
    score: float
    snippet: str
    """One line: the engine collapses whitespace and moves the spans with it, so a front end
    shows it as it is."""
    headline_spans: tuple[Span, ...] = ()
    snippet_spans: tuple[Span, ...] = ()
    identity: str = ""
    """The story's content identity (`termnews.identity`): the key of its reading state."""
    cluster: str = ""
    """The stable id of the story's cluster of copies (reprints of one body): the same for
    every copy, and across restarts."""
    copies: int = 0
    """How many other stories in the whole index are copies of this one."""
    folded: int = 0
    """How many of those copies matched this query and were folded into this row (0 when
    the results show every copy)."""


@dataclass(frozen=True, slots=True)
class Results:
    """The answer to one query.

    `hits` holds the first page only; the rest come from `Searcher.hits(results, start, stop)`.
    `terms` are the analysed query words, which `Searcher.spans` uses to highlight any text.
    """

    query: str
    sort: SortOrder
    """The order the hits are in: an empty query asked for by relevance lists newest first."""
    total: int
    hits: tuple[Hit, ...]
    elapsed_ms: float
    suggestion: str | None = None
    """A respelled query ("coffee") when nothing matched and a respelling finds stories."""
    suggestion_total: int = 0
    """How many stories `suggestion` finds (0 when there is none)."""
    notice: str | None = None
    """What the engine did on the user's behalf, e.g. fell back to plain terms."""
    terms: frozenset[str] = frozenset()
    pending_word: str | None = None
    """The last word while it is still being typed, not applied yet (it begins too many
    words, is negated, or is a field with no value): the hits are those of the words
    before it. Only `search_as_you_type` sets it."""
    handle: object = field(default=None, compare=False, repr=False)
    """Opaque to front ends: what `Searcher.hits` pages through these results with."""
    folded_total: int = -1
    """How many rows the results have when copies are folded: the distinct clusters of
    copies among all the matches. Equal to `total` when every copy is shown (and when not
    given: no copies)."""
    all_copies: bool = False
    """Every copy of a story is a row of its own; False when copies are folded into one."""

    def __post_init__(self) -> None:
        if self.all_copies or self.folded_total < 0:  # nothing is folded: a row a story
            object.__setattr__(self, "folded_total", self.total)

    @property
    def rows(self) -> int:
        """How many rows the results list: every story, or one per cluster of copies."""
        return self.folded_total
