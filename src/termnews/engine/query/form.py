"""The query's internal form: what the engine's fast paths read instead of Whoosh's objects.

Whoosh's query classes carry parser and matcher concerns (normalisation, spans, expansion);
matching, ranking, phrases and highlighting each used to tell them apart with their own
`isinstance` ladder, and had to agree on which shapes were phrases or exact date ranges.
Here a parsed query is translated once (`translate`) into a few frozen, hashable nodes,
and every consumer dispatches on those. A shape the form cannot express (wildcards, fuzzy
terms, sloppy phrases, term ranges) becomes an `Opaque` node that holds the Whoosh query,
and the consumers hand it to Whoosh as before.

Terms are kept exactly as the parser analysed them (stemmed, folded): the form changes the
representation, never the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, get_args

from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from termnews.errors import TermnewsError

#: The only field whose ranges the date column answers (see `DocSets.published_between`).
DATE_FIELD = "published"

#: (field, ((word, offset), ...)): an exact phrase, each word with its distance from the first.
PhraseKey = tuple[str, tuple[tuple[str, int], ...]]


@dataclass(frozen=True, slots=True)
class Term:
    """One analysed word in one field."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words at exact distances from the first: `"state of the art"` is state@0 art@3.

    Only exact phrases are expressed: a sloppy one (`"a b"~3`) stays `Opaque`, since
    matching it is a different algorithm from the bulk key match in `matching.phrases`.
    """

    field: str
    words: tuple[tuple[str, int], ...]
    boost: float = 1.0

    @property
    def key(self) -> PhraseKey:
        return self.field, self.words


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Not:
    """Every story but the child's matches (alone, or as an `And` child: `a NOT b`)."""

    child: Node
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class AndNot:
    """`a -b`: the positive side's matches and scores, less the negative side's matches."""

    positive: Node
    negative: Node


@dataclass(frozen=True, slots=True)
class AndMaybe:
    """`a ANDMAYBE b`: `required` decides the matches; `optional` only adds to scores."""

    required: Node
    optional: Node


@dataclass(frozen=True, slots=True)
class DateRange:
    """A `date:` range as inclusive bounds on the sortable date column (None: open).

    It scores a constant `boost`, as Whoosh's constant-score range does.
    """

    field: str
    start: int | None
    end: int | None
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Every:
    """Every live story (`field` None), or every story with something in `field`.

    Whoosh scores it a constant `boost` per story.
    """

    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Nothing:
    """Matches no story (Whoosh's NullQuery: an empty query, or only stop words)."""


#: The filters the query language knows: `is:VALUE` for these values, `tag:NAME`, and
#: `feed:NAME` (which the index answers, not the reading state; see `engine.filters`).
IS_VALUES: tuple[str, ...] = ("read", "unread", "starred")
FILTER_NAMES = frozenset({"is", "tag", "feed"})


@dataclass(frozen=True, slots=True)
class Filter:
    """A filter on a story's state rather than its text, such as `is:unread` or `tag:x`,
    or on where it came from (`feed:x`).

    The query language produces these (`value` already case-folded). A matcher resolves
    them through a `FilterResolver`; without one it raises `UnsupportedFilter`. A filter
    narrows the matches and adds nothing to a story's score.
    """

    name: str
    value: str


class FilterQuery(wq.Query):  # type: ignore[misc]
    """A state filter inside a parsed Whoosh query: what `translate` turns into `Filter`.

    Whoosh cannot match it by itself (the docnums depend on the reading state of the
    moment); `engine.filters.bind` swaps it for the matching docnums before Whoosh sees it,
    so a filter under a wildcard's OR still matches exactly.
    """

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return type(other) is FilterQuery and (other.name, other.value) == (self.name, self.value)

    def __hash__(self) -> int:
        return hash((FilterQuery, self.name, self.value))

    def __repr__(self) -> str:
        return f"FilterQuery({self.name!r}, {self.value!r})"

    def __str__(self) -> str:
        return f"{self.name}:{self.value}"

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count())

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        raise UnsupportedFilter(Filter(self.name, self.value))


class FilterResolver(Protocol):
    """Answers state filters with the live docnums of the current reader generation."""

    def stories(self, name: str, value: str) -> frozenset[int]: ...


class UnsupportedFilter(TermnewsError):
    """A state filter reached a matcher that has no way to resolve it."""

    def __init__(self, node: Filter) -> None:
        super().__init__(f"'{node.name}:{node.value}' cannot be searched yet")
        self.node = node


@dataclass(frozen=True, slots=True)
class Opaque:
    """A Whoosh query the form does not express; consumers let Whoosh match and score it."""

    query: Any


Node = (
    Term
    | Phrase
    | And
    | Or
    | Not
    | AndNot
    | AndMaybe
    | DateRange
    | Every
    | Nothing
    | Filter
    | Opaque
)
NODE_TYPES: tuple[type, ...] = get_args(Node)

NOTHING = Nothing()


def holds_filter(q: Node) -> bool:
    """Whether a state filter is anywhere in `q` (not inside an `Opaque`: none is made so)."""
    match q:
        case Filter():
            return True
        case And(children) | Or(children):
            return any(holds_filter(child) for child in children)
        case Not(child):
            return holds_filter(child)
        case AndNot(first, second) | AndMaybe(first, second):
            return holds_filter(first) or holds_filter(second)
    return False


def as_form(q: Any) -> Node:
    """`q` if it is already in the form, else its translation (for callers holding Whoosh's)."""
    return q if isinstance(q, NODE_TYPES) else translate(q)


def translate(q: Any) -> Node:
    """The form of a parsed Whoosh query.

    Classes are matched exactly: a subclass means something else (`Ordered` is an `And`
    that also wants its words in order), so it stays `Opaque`, as do classes the form has
    no node for (`DisjunctionMax`) and an `Or` that needs a minimum number of matches or
    scales its scores.
    """
    kind = type(q)
    if kind is FilterQuery:
        return Filter(q.name, q.value)
    if kind is wq.Term:
        return Term(q.fieldname, str(q.text), float(q.boost))
    if kind is wq.And:
        return And(tuple(map(translate, q.subqueries)), float(q.boost))
    if kind is wq.Or:
        if q.minmatch or q.scale:
            return Opaque(q)
        return Or(tuple(map(translate, q.subqueries)), float(q.boost))
    if kind is wq.Not:
        return Not(translate(q.query), float(q.boost))
    if kind is wq.AndNot:
        return AndNot(translate(q.a), translate(q.b))
    if kind is wq.AndMaybe:
        return AndMaybe(translate(q.a), translate(q.b))
    if q is wq.NullQuery or kind is type(wq.NullQuery):
        return NOTHING
    if kind is wq.Every:
        return Every(q.fieldname, float(q.boost))
    if isinstance(q, wq.NumericRange):  # Whoosh's DateRange is one
        if q.fieldname != DATE_FIELD or not q.constantscore:
            return Opaque(q)
        start = None if q.start is None else q.start + (1 if q.startexcl else 0)
        end = None if q.end is None else q.end - (1 if q.endexcl else 0)
        return DateRange(q.fieldname, start, end, float(q.boost))
    key = _phrase_key(q)
    if key is not None:
        return Phrase(key[0], key[1], float(getattr(q, "boost", 1.0)))  # SpanNear2 has none
    return Opaque(q)


def _phrase_key(q: Any) -> PhraseKey | None:
    """The words and offsets of an exact phrase, or None.

    A phrase comes as Whoosh's `Phrase` when its words are adjacent, or as a chain of
    exact-distance `SpanNear2` links when stop words left gaps (`language._GapPhrasePlugin`).
    """
    if type(q) is wq.Phrase:
        if q.slop != 1 or not q.words:
            return None
        return q.fieldname, tuple((str(word), i) for i, word in enumerate(q.words))
    if type(q) is SpanNear2 and q.ordered and q.slop == q.mindist and len(q.qs) == 2:
        head, tail = q.qs
        if type(tail) is not wq.Term:
            return None
        first = (head.fieldname, ((str(head.text), 0),)) if type(head) is wq.Term else None
        if first is None:
            first = _phrase_key(head)
        if first is None or first[0] != tail.fieldname:
            return None
        last = first[1][-1][1]
        return first[0], (*first[1], (str(tail.text), last + q.slop))
    return None
