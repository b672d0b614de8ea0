"""The query language: user text -> a Whoosh query, a notice, and the words typed.

Whoosh's parser never raises, but it silently rewrites broken input into something the user
did not ask for (`foo:bar` becomes a search for two words in every field). So we check the
text first and, when it is malformed, search the plain words and say so.

Two kinds of clause are resolved by us rather than by Whoosh, through placeholders that the
parser passes through untouched (`path:__tn0__`) and that are then swapped for real queries:
`date:` expressions (see `dates_query`), and the partial last word of search-as-you-type.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from whoosh import query as wq
from whoosh.qparser import (
    FuzzyTermPlugin,
    MultifieldParser,
    PhrasePlugin,
    PlusMinusPlugin,
)
from whoosh.qparser.plugins import FieldAliasPlugin
from whoosh.query.spans import SpanNear2

from termnews.engine.query.dates import DateSyntaxError, date_query
from termnews.engine.schema import DEFAULT_FIELDS

#: Field names a person may type, and the index field each one means.
FIELD_NAMES: dict[str, str] = {
    "headline": "headline",
    "body": "body",
    "caption": "caption",
    "author": "authors",
    "authors": "authors",
    "by": "authors",
    "agency": "agency",
    "dateline": "dateline",
    "in": "dateline",
    "date": "published",
}
TEXT_FIELDS = frozenset({"headline", "body", "caption", "authors", "agency", "dateline"})
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
#: A partial last word shorter than this is not completed: one or two letters begin
#: thousands of words, so it would match nearly every story and rank them by noise. Such
#: a word counts only if the index holds it as a whole word (`eu`); else it waits for
#: the next keystroke, and the results stay those of the words before it.
MIN_PREFIX = 3

_DATE_CLAUSE = re.compile(r'(?<![\w:])([-+]?)date:(\[[^\]]*\]|"[^"]*"|[<>]=?[^\s()]+|[^\s()]*)')
_FIELD_PREFIX = re.compile(r"(?<![\w:])[-+]?([A-Za-z_]+):(\S?)")
_LAST_WORD = re.compile(r"(?<![^\s(])(?P<sign>[-+]?)(?:(?P<field>[A-Za-z]+):)?(?P<word>[^\W_]+)$")
_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")


@dataclass(frozen=True)
class ParsedQuery:
    """A Whoosh query plus what the engine did on the user's behalf."""

    query: Any
    notice: str | None
    words: tuple[str, ...]
    """The plain words typed (no operators or field names): the raw material for suggestions."""
    completed: tuple[str, ...] = ()
    """The words a partial last word was completed to, for the status line."""
    rank_query: Any = None
    """When a partial word was completed: the query without it, to rank by. Scoring the
    union of ten completions for every match is what makes typeahead slow; ranking by the
    complete words (among the stories that match everything) is cheap and orders the same
    stories almost the same way."""


#: (index field or None for the default fields, partial word) -> {index field: [terms]}
Completer = Callable[[str | None, str], dict[str, list[str]]]


class _GapPhrasePlugin(PhrasePlugin):
    """Phrases that respect the gaps left by stop words.

    Our analyzer drops stop words without renumbering positions, so `"state of the art"`
    is indexed as state@0 art@3. Whoosh's Phrase forgets positions and would demand art@1;
    here each gap becomes an exact-distance `SpanNear2` link instead.
    """

    class PhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser: Any) -> Any:
            fieldname = self.fieldname or parser.fieldname
            field = parser.schema[fieldname] if parser.schema else None
            if field is None or not field.analyzer or self.slop != 1:
                return super().query(parser)
            tokens = [
                (t.text, t.pos)
                for t in field.tokenize(self.text, mode="query", positions=True, chars=True)
            ]
            if not tokens:
                return wq.NullQuery
            if len(tokens) == 1:
                return wq.Term(fieldname, tokens[0][0], boost=self.boost)
            gaps = [b[1] - a[1] for a, b in itertools.pairwise(tokens)]
            if all(gap == 1 for gap in gaps):
                return wq.Phrase(fieldname, [t for t, _ in tokens], boost=self.boost)
            chain: Any = wq.Term(fieldname, tokens[0][0])
            for (text, _pos), gap in zip(tokens[1:], gaps, strict=True):
                chain = SpanNear2([chain, wq.Term(fieldname, text)], slop=gap, mindist=gap)
            return chain

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser: Any, match: Any) -> Any:
            slop = int(match.group("slop")) if match.group("slop") else 1
            return _GapPhrasePlugin.PhraseNode(match.group("text"), match.start("text"), slop)

    def taggers(self, parser: Any) -> list[tuple[Any, int]]:
        return [(self.PhraseTagger(self.expr), 0)]


def make_parser(schema: Any) -> MultifieldParser:
    """One parser per searcher: building it (plugins, taggers) costs more than a parse."""
    parser = MultifieldParser(list(DEFAULT_FIELDS), schema)
    parser.remove_plugin_class(PhrasePlugin)
    parser.add_plugin(_GapPhrasePlugin())
    parser.add_plugin(PlusMinusPlugin())
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(FieldAliasPlugin({"authors": ["author", "by"], "dateline": ["in"]}))
    return parser


def syntax_problem(text: str) -> str | None:
    """Why `text` is malformed, as a phrase for the notice, or None if it reads cleanly."""
    if text.count('"') % 2:
        return "unbalanced quote"
    unquoted = re.sub(r'"[^"]*"', '""', text)
    depth = 0
    for char in unquoted:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return "unbalanced parenthesis"
    if depth:
        return "unbalanced parenthesis"
    if unquoted.count("[") != unquoted.count("]"):
        return "unbalanced bracket"
    for match in _FIELD_PREFIX.finditer(unquoted):
        name, following = match.group(1), match.group(2)
        if name.lower() not in FIELD_NAMES:
            return f"unknown field '{name}:'"
        if not following or following.isspace():
            return f"'{name}:' needs a value"
    tokens = unquoted.split()
    if tokens and (tokens[0] in OPERATORS - {"NOT"} or tokens[-1] in OPERATORS):
        return f"{tokens[0] if tokens[0] in OPERATORS else tokens[-1]} needs a word on each side"
    for first, second in itertools.pairwise(tokens):
        if first in OPERATORS - {"NOT"} and second in OPERATORS - {"NOT"}:
            return f"{first} {second} in a row"
    return None


def plain_words(text: str) -> list[str]:
    """The words of `text`, without field names or operators: the fallback query."""
    without_fields = re.sub(r"(?<![\w:])[A-Za-z_]+:", " ", text)
    return [w for w in _WORD.findall(without_fields) if w not in OPERATORS]


def _without_dangling_operator(text: str) -> str:
    """`housing OR ` -> `housing`: what is left once a too-short last word is held back."""
    tokens = text.split()
    while tokens and tokens[-1] in OPERATORS:
        tokens.pop()
    return " ".join(tokens)


def _substitute(q: Any, replacements: dict[str, Any]) -> Any:
    if isinstance(q, wq.Term) and q.fieldname == "path" and q.text in replacements:
        return replacements[q.text]
    if q.is_leaf():
        return q
    return q.apply(lambda child: _substitute(child, replacements))


def parse(
    parser: MultifieldParser,
    text: str,
    now: datetime,
    completer: Completer | None = None,
) -> ParsedQuery:
    """Turn the user's text into a query. Never raises on bad input: see `ParsedQuery.notice`."""
    notices: list[str] = []
    original = text
    problem = syntax_problem(text)
    if problem:
        words = plain_words(text)
        notices.append(f"{problem}, so searched for the words instead")
        text = " ".join(words)

    replacements: dict[str, Any] = {}

    def placeholder(value: Any) -> str:
        key = f"__tn{len(replacements)}__"
        replacements[key] = value
        return f"path:{key}"

    def replace_date(match: re.Match[str]) -> str:
        sign, expr = match.group(1), match.group(2)
        try:
            return sign + placeholder(date_query("published", expr, now))
        except DateSyntaxError as error:
            notices.append(f"{error}, so ignored that date")
            return " "

    text = _DATE_CLAUSE.sub(replace_date, text)

    completed: list[str] = []
    rank_text = ""
    if completer is not None and text and not text[-1].isspace() and text.count('"') % 2 == 0:
        match = _LAST_WORD.search(text)
        word = match.group("word") if match else ""
        field_typed = match.group("field") if match else None
        if match and word not in OPERATORS and (field_typed is None or field_typed in FIELD_NAMES):
            field = FIELD_NAMES[field_typed] if field_typed else None
            if field in (None, *TEXT_FIELDS):
                expansions = completer(field, word)
                alternatives = [
                    wq.Term(name, term) for name, terms in expansions.items() for term in terms
                ]
                if alternatives:
                    for terms in expansions.values():
                        completed.extend(t for t in terms if t not in completed)
                    rank_text = text[: match.start()]
                    text = (
                        text[: match.start()]
                        + match.group("sign")
                        + placeholder(wq.Or(alternatives))
                    )
                elif len(word) < MIN_PREFIX:
                    text = _without_dangling_operator(text[: match.start()])

    words = tuple(
        w.lower() for w in plain_words(re.sub(r"path:__tn\d+__", " ", text)) if len(w) > 1
    )
    if not text.strip():
        parsed: Any = wq.Every()
    else:
        try:
            parsed = _substitute(parser.parse(text), replacements)
        except Exception:  # Whoosh raises on a few odd inputs, e.g. `0(-)`
            fallback = " ".join(plain_words(original))
            notices.append("could not read the query, so searched for the words instead")
            parsed = parser.parse(fallback) if fallback else wq.NullQuery
    rank_query = None
    if rank_text.strip() and not notices:
        try:
            rank_query = _substitute(parser.parse(rank_text), replacements)
        except Exception:  # ranking is an optimisation: fall back to the full query
            rank_query = None
    return ParsedQuery(
        query=parsed,
        notice="; ".join(notices) or None,
        words=words,
        completed=tuple(completed),
        rank_query=rank_query,
    )


def positive_terms(q: Any, reader: Any, expand_limit: int = 50) -> set[tuple[str, str]]:
    """(field, text) of every term that makes a story match, for highlighting.

    Negated parts are skipped (highlighting a word the story must *not* contain would mislead)
    and prefix/fuzzy/wildcard terms are expanded against the index, up to `expand_limit`.
    """
    found: set[tuple[str, str]] = set()

    def walk(node: Any) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, wq.Term):
            if node.fieldname in TEXT_FIELDS:
                found.add((node.fieldname, str(node.text)))
            return
        if isinstance(node, wq.Phrase):
            found.update((node.fieldname, str(w)) for w in node.words)
            return
        if isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
            if node.fieldname in TEXT_FIELDS:
                for i, (_field, term) in enumerate(node.expanded_terms(reader)):
                    if i >= expand_limit:
                        break
                    text = term.decode("utf-8") if isinstance(term, bytes) else term
                    found.add((node.fieldname, text))
            return
        children: Iterable[Any] = node.children() if not node.is_leaf() else ()
        for child in children:
            walk(child)

    walk(q)
    return found
