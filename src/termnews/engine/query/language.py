"""The query language: user text -> a Whoosh query, a notice, and the words typed.

Whoosh's parser never raises, but it silently rewrites broken input into something the user
did not ask for (`foo:bar` becomes a search for two words in every field). So we check the
text first and, when it is malformed, search the plain words and say so.

Three kinds of clause are resolved by us rather than by Whoosh, through placeholders that the
parser passes through untouched (`path:__tn0__`) and that are then swapped for real queries:
`date:` expressions (see `dates_query`), filters (`is:unread`, `is:read`, `is:starred`,
`tag:NAME` and `feed:NAME`, which become `form.Filter`), and the partial last word of
search-as-you-type.
"""

from __future__ import annotations

import itertools
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import whoosh
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.qparser import (
    FuzzyTermPlugin,
    MultifieldParser,
    PhrasePlugin,
    PlusMinusPlugin,
    syntax,
)
from whoosh.qparser.common import QueryParserError
from whoosh.qparser.plugins import FieldAliasPlugin
from whoosh.query.spans import SpanNear2

from termnews.engine.lru import LRU
from termnews.engine.query.dates import DateSyntaxError, date_query
from termnews.engine.query.form import (
    FILTER_NAMES,
    IS_VALUES,
    And,
    AndMaybe,
    AndNot,
    FilterQuery,
    Node,
    Opaque,
    Or,
    Phrase,
    Term,
    translate,
)
from termnews.engine.query.quick import quick_parse
from termnews.engine.schema import DEFAULT_FIELDS, FEED_FIELD
from termnews.slugs import slugify
from termnews.state.tags import TagNameError, normalise_tag

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
#: How many analysed phrases to keep per parser (`_phrase_tokens`).
PHRASES_KEPT = 512

_DATE_CLAUSE = re.compile(r'(?<![\w:])([-+]?)date:(\[[^\]]*\]|"[^"]*"|[<>]=?[^\s()]+|[^\s()]*)')
#: A text that is one `date:` clause and nothing else, its value in characters that hold no
#: other syntax (no field, quote, bracket or parenthesis inside): see `_sole_date`.
_SOLE_DATE = re.compile(r'\s*date:(\[[\w .*/-]*\]|"[\w .*/-]*"|[<>]=?[\w.*/-]+|[\w.*/-]+)\s*')
#: A filter: `is:unread`, `-is:read`, `tag:harbour-works`, `feed:"Harbour Beacon"`.
_FILTER_CLAUSE = re.compile(r'(?<![\w:])([-+]?)(is|tag|feed):("[^"]*"|[^\s()"]+)', re.IGNORECASE)
#: A filter's quoted value still being typed at the end (`feed:"Harbour Bea`).
_OPEN_FILTER_VALUE = re.compile(r'(?<![\w:])[-+]?(?:is|tag|feed):"[^"]*$', re.IGNORECASE)
_FIELD_PREFIX = re.compile(r"(?<![\w:])[-+]?([A-Za-z_]+):(\S?)")
#: A field name with no value yet (`by:`, `by:"`): while typing, it waits for its value.
_OPEN_CLAUSE = re.compile(r'(?<![^\s(])[-+]?[A-Za-z]+:"?$')
_LAST_WORD = re.compile(r"(?<![^\s(])(?P<sign>[-+]?)(?:(?P<field>[A-Za-z]+):)?(?P<word>[^\W_]+)$")
_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")


@dataclass(frozen=True)
class ParsedQuery:
    """A Whoosh query and its form (`query.form`), plus what the engine did on the user's
    behalf. The form is what the engine's own paths read; the Whoosh query is what Whoosh
    matches and scores when they cannot."""

    query: Any
    form: Node
    notice: str | None
    words: tuple[str, ...]
    """The plain words typed (no operators or field names): the raw material for suggestions."""
    rank_query: Any = None
    """When a partial word was completed: the query without it, to rank by. Scoring the
    union of ten completions for every match is what makes typeahead slow; ranking by the
    complete words (among the stories that match everything) is cheap and orders the same
    stories almost the same way."""
    rank_form: Node | None = None
    """`rank_query`'s form."""
    pending: str | None = None
    """The last word (or field) as typed, when it is not applied yet: the completer found
    too many words it may become (`p`), it is negated (excluding every word that begins
    `-co` would drop stories the finished word keeps), or it is a field with no value."""
    open_phrase: str | None = None
    """A phrase still being typed (`"city cou`): its words are searched as words until the
    closing quote arrives."""


#: (index field or None for the default fields, partial word) -> {index field: [terms]},
#: {} when no term begins so, None when there are too many to apply on this keystroke.
Completer = Callable[[str | None, str], dict[str, list[str]] | None]
#: (filter name, folded value) -> whether a filter typed last is finished (`tag:harb` is not,
#: while `harbour` is still being typed): an unfinished one waits, as a partial word does.
FilterReady = Callable[[str, str], bool]


def filter_value(name: str, value: str) -> str | None:
    """The value `name:value` searches for (folded as tags are stored, or as a feed's folder
    was named), or None if invalid."""
    name = name.lower()
    if name == "is":
        folded = value.lower()
        return folded if folded in IS_VALUES else None
    if name == FEED_FIELD:
        # The folder a feed's stories are written to is its name made safe by `slugify`:
        # folding what is typed the same way finds it by name or by folder, in any case.
        typed = value.strip('"').strip()
        return slugify(typed) if typed else None
    try:
        return normalise_tag(value.strip('"'))  # the one rule for what a tag may be called
    except TagNameError:
        return None


def _is_ready(name: str, value: str) -> bool:
    """Without the state to ask: an `is:` value is finished once it is one of them."""
    return name != "is" or value in IS_VALUES


def _filter_problem(name: str, value: str) -> str:
    if name.lower() == "is":
        accepted = ", ".join(f"is:{v}" for v in IS_VALUES)
        return f"'is:{value}' is not a state (try {accepted}), so ignored it"
    if name.lower() == FEED_FIELD:
        return f"'feed:{value}' names no feed (give its name or folder), so ignored it"
    return (
        f"'tag:{value}' is not a tag name (letters and digits, joined by - _ . / +), so ignored it"
    )


def filter_clauses(text: str) -> list[str]:
    """The state filters of `text` as typed (`-is:read`), for the plain-words fallback."""
    return [match.group().strip() for match in _FILTER_CLAUSE.finditer(text)]


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
            tokens = _phrase_tokens(parser, fieldname, field, self.text)
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


#: Each parser's analysed phrases: (field, text) -> (term, position) of each word.
_PHRASES: WeakKeyDictionary[Any, LRU[tuple[str, str], tuple[tuple[str, int], ...]]] = (
    WeakKeyDictionary()
)


def _phrase_tokens(parser: Any, fieldname: str, field: Any, text: str) -> tuple[Any, ...]:
    """The words of a phrase as `field` indexes them, with their positions. Kept per
    parser (one schema): a phrase is analysed once for each of the four fields a bare
    phrase searches, and again on every keystroke typed after it."""
    kept = _PHRASES.get(parser)
    if kept is None:
        kept = _PHRASES[parser] = LRU(PHRASES_KEPT)
    found = kept.get((fieldname, text))
    if found is None:
        found = tuple(
            (t.text, t.pos) for t in field.tokenize(text, mode="query", positions=True, chars=True)
        )
        kept.put((fieldname, text), found)
    return found


class _NestedPlusMinusPlugin(PlusMinusPlugin):
    """`+` and `-` inside parentheses too.

    Whoosh sorts only the top level into required, optional and banned parts; inside a
    group the `-` marker was dropped, so `(tag:x -is:read) OR falcon` searched for
    `tag:x is:read`. Groups holding a `+` or `-` are sorted the same way first.
    """

    def do_plusminus(self, parser: Any, group: Any) -> Any:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode) and _holds_sign(node):
                group[i] = self.do_plusminus(parser, node)
        banned = _only_banned(group, self.Minus)
        if banned is not None:
            # `-velmora` alone: Whoosh takes away from nothing and finds nothing, where a
            # person means what `NOT velmora` finds (every story without the word).
            return syntax.NotGroup([syntax.OrGroup(banned)])
        return super().do_plusminus(parser, group)


def _only_banned(group: Any, minus: type) -> list[Any] | None:
    """The nodes of `group` when each is preceded by `-` and nothing else is in it."""
    banned: list[Any] = []
    expecting = False
    for node in group:
        if isinstance(node, minus):
            expecting = True
        elif expecting and not isinstance(node, syntax.Whitespace):
            banned.append(node)
            expecting = False
        elif not isinstance(node, syntax.Whitespace):
            return None
    return banned if banned and not expecting else None


def _holds_sign(group: Any) -> bool:
    signs = (PlusMinusPlugin.Plus, PlusMinusPlugin.Minus)
    return any(
        isinstance(node, signs) or (isinstance(node, syntax.GroupNode) and _holds_sign(node))
        for node in group
    )


def make_parser(schema: Any) -> MultifieldParser:
    """One parser per searcher: building it (plugins, taggers) costs more than a parse."""
    parser = MultifieldParser(list(DEFAULT_FIELDS), schema)
    parser.remove_plugin_class(PhrasePlugin)
    parser.add_plugin(_GapPhrasePlugin())
    parser.add_plugin(_NestedPlusMinusPlugin())
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
        if name.lower() not in FIELD_NAMES and name.lower() not in FILTER_NAMES:
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
    """The words of `text`, without field names, operators or state filters: the fallback."""
    without_fields = re.sub(r"(?<![\w:])[A-Za-z_]+:", " ", _FILTER_CLAUSE.sub(" ", text))
    return [w for w in _WORD.findall(without_fields) if w not in OPERATORS]


def _without_dangling_operator(text: str) -> str:
    """`housing OR ` -> `housing`: what is left once a too-short last word is held back."""
    tokens = text.split()
    while tokens and tokens[-1] in OPERATORS:
        tokens.pop()
    return " ".join(tokens)


_BARE_WORD = re.compile(r"(?<![^\s(])[A-Za-z]+(?![^\s)])")


def _without_stop_words(text: str, keep_last: bool) -> str:
    """`council of` -> `council `: bare stop words dropped.

    The headline and body analyzers drop them, so such a word was searched in the name
    fields alone, and `council of` wanted a story by someone called Of (and `the` alone
    lists every story, as the empty query does). Kept: operators (`OR`), a word in quotes,
    in a range or after a field name (`in:the pas`), a last word still being typed (`of`
    may become `offer`), and any text the dropping would make malformed.
    """
    typing_end = len(text) if keep_last and text[-1:].strip() else -1

    def drop(match: re.Match[str]) -> str:
        word, before = match.group(), text[: match.start()]
        inside = before.count('"') % 2 or before.count("[") > before.count("]")
        if word.lower() not in STOP_WORDS or word in OPERATORS or inside:
            return word
        return word if match.end() == typing_end else ""

    dropped = _BARE_WORD.sub(drop, text)
    if dropped == text:
        return text
    if syntax_problem(dropped) and not syntax_problem(text):
        return text
    return dropped


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
    filter_ready: FilterReady = _is_ready,
) -> ParsedQuery:
    """Turn the user's text into a query. Never raises on bad input: see `ParsedQuery.notice`.

    With a `completer` (search-as-you-type), a state filter typed last waits until
    `filter_ready` says its value is finished (`is:unr` is not), as an open field does. A
    `feed:` typed last is completed as a partial word is: `feed:harb` finds the stories of
    every feed whose folder begins `harb` (`completer(FEED_FIELD, …)` names them).
    """
    if completer is None and (sole := _sole_date(text, now)) is not None:
        return sole
    notices: list[str] = []
    pending: str | None = None
    open_phrase: str | None = None
    typed_feeds: tuple[str, tuple[str, ...]] | None = None  # (the slug typed, feeds it may be)
    if completer is not None and (open_clause := _OPEN_CLAUSE.search(text)):
        pending = open_clause.group().strip()
        text = _without_dangling_operator(text[: open_clause.start()])
        completer = None  # the words before it are finished
    if completer is not None:
        text = _closed_filter_value(text)  # `feed:"Harbour Bea` reads as if closed
    if completer is not None and (last := _typed_filter(text)) is not None:
        name = last.group(2).lower()
        value = filter_value(name, last.group(3))
        choices: list[str] = []
        if name == FEED_FIELD and value is not None and not _negated(text, last):
            found = completer(FEED_FIELD, value) or {}
            choices = [feed for feed in found.get(FEED_FIELD, ()) if filter_ready(name, feed)]
        if choices and value is not None:
            typed_feeds = (value, tuple(choices))
        elif value is None or not filter_ready(name, value):
            pending = last.group().strip()
            text = _without_dangling_operator(text[: last.start()])
            completer = None
    if completer is not None and text.count('"') % 2:
        # A phrase still being typed: until its closing quote arrives, its words are searched
        # as words (a superset of the phrase, so the list never empties on the way), quietly.
        opening = text.rfind('"')
        open_phrase = text[opening:].strip()
        text = text[:opening] + text[opening + 1 :]
    original = text
    problem = syntax_problem(text)
    if problem:
        words = plain_words(text)
        notices.append(f"{problem}, so searched for the words instead")
        text = " ".join([*words, *filter_clauses(text)])  # the state filters still apply

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

    def replace_filter(match: re.Match[str]) -> str:
        if _quoted(match.string, match.start()):
            return match.group()
        sign, name, typed = match.group(1), match.group(2).lower(), match.group(3)
        value = filter_value(name, typed)
        if value is None:
            notices.append(_filter_problem(name, typed))
            return " "
        if typed_feeds and name == FEED_FIELD and match.end() == len(match.string):
            typed_value, feeds = typed_feeds
            if value == typed_value:  # the partial `feed:harb` typed last
                alternatives = [FilterQuery(name, feed) for feed in feeds]
                return sign + placeholder(
                    alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)
                )
        return sign + placeholder(FilterQuery(name, value))

    text = _DATE_CLAUSE.sub(replace_date, text)
    text = _FILTER_CLAUSE.sub(replace_filter, text)
    text = _without_stop_words(text, keep_last=completer is not None)

    rank_text = ""
    if completer is not None and text and not text[-1].isspace() and text.count('"') % 2 == 0:
        match = _LAST_WORD.search(text)
        word = match.group("word") if match else ""
        field_typed = match.group("field") if match else None
        if match and word not in OPERATORS and (field_typed is None or field_typed in FIELD_NAMES):
            field = FIELD_NAMES[field_typed] if field_typed else None
            if field in (None, *TEXT_FIELDS):
                before = text[: match.start()]
                negated = match.group("sign") == "-" or before.split()[-1:] == ["NOT"]
                expansions = None if negated else completer(field, word)
                alternatives = [
                    wq.Term(name, term)
                    for name, terms in (expansions or {}).items()
                    for term in terms
                ]
                if expansions is None:
                    pending = match.group().strip()
                    text = _without_dangling_operator(before)
                elif alternatives:
                    rank_text = text[: match.start()]
                    text = (
                        text[: match.start()]
                        + match.group("sign")
                        + placeholder(wq.Or(alternatives))
                    )

    words = tuple(
        w.lower() for w in plain_words(re.sub(r"path:__tn\d+__", " ", text)) if len(w) > 1
    )
    if not text.strip():
        parsed: Any = wq.Every()
    else:
        read = _whoosh_parse(parser, text)
        if read is not None:
            parsed = _substitute(read, replacements)
        else:
            fallback = " ".join(plain_words(original))
            notices.append("could not read the query, so searched for the words instead")
            read = _whoosh_parse(parser, fallback) if fallback else None
            parsed = wq.NullQuery if read is None else read
    rank_query = None
    if rank_text.strip() and not notices:
        read = _whoosh_parse(parser, rank_text)
        # Ranking by it is an optimisation: if it cannot be read, rank by the full query.
        rank_query = None if read is None else _substitute(read, replacements)
    return ParsedQuery(
        query=parsed,
        form=translate(parsed),
        notice="; ".join(notices) or None,
        words=words,
        rank_query=rank_query,
        rank_form=None if rank_query is None else translate(rank_query),
        pending=pending,
        open_phrase=open_phrase,
    )


def _sole_date(text: str, now: datetime) -> ParsedQuery | None:
    """What `parse` makes of a `date:` clause alone (`date:[2024-01-02 to 2024-01-09]`,
    `date:"last week"`), or None for any other text: the clause's range itself.

    Browsing a period is a query of its own, answered in a few microseconds
    (`DocSets.in_date_order`), and the general parse (placeholders, checks, Whoosh's
    parser) cost several times that. An operator in the value is left to the general parse,
    whose syntax check reads `[2024 AND OR 2025]` as malformed; so is an unreadable date,
    for its notice.
    """
    found = _SOLE_DATE.fullmatch(text)
    if found is None or not OPERATORS.isdisjoint(text.split()):
        return None
    try:
        query = date_query("published", found.group(1), now)
    except DateSyntaxError:
        return None
    return ParsedQuery(query=query, form=translate(query), notice=None, words=())


def typed_filter(text: str) -> str | None:
    """The name of the filter (`is`, `tag`, `feed`) `text` ends with while it is typed, or
    None."""
    last = _typed_filter(_closed_filter_value(text))
    return None if last is None else last.group(2).lower()


def _closed_filter_value(text: str) -> str:
    """`text` with the quote closed when it ends in a filter's quoted value being typed."""
    if text.count('"') % 2 and _OPEN_FILTER_VALUE.search(text):
        return text + '"'
    return text


def _negated(text: str, clause: re.Match[str]) -> bool:
    """Whether `clause` (a filter typed last) is negated: `-feed:x` or `NOT feed:x`."""
    return clause.group(1) == "-" or text[: clause.start()].split()[-1:] == ["NOT"]


def _typed_filter(text: str) -> re.Match[str] | None:
    """The filter `text` ends with, while its value is still being typed."""
    found = list(_FILTER_CLAUSE.finditer(text))
    last = found[-1] if found else None
    if last is None or last.end() != len(text) or _quoted(text, last.start()):
        return None
    return last


def _quoted(text: str, at: int) -> bool:
    """Whether `at` is inside a quoted phrase (where `is:read` is two words, not a filter)."""
    return text[:at].count('"') % 2 == 1


#: What Whoosh's parser raises on the odd inputs it cannot read (`NOT AND x`): its own
#: error, or a builtin one from a parse step that assumed a shape the text does not have.
_PARSER_FAILURES = (
    QueryParserError,
    IndexError,
    NotImplementedError,
    AssertionError,
    AttributeError,
)
_WHOOSH_DIR = str(Path(whoosh.__file__).parent)


def _whoosh_parse(parser: MultifieldParser, text: str) -> Any | None:
    """Whoosh's query for `text`, or None when its parser fails on it.

    Only a failure raised inside Whoosh's code counts as unreadable input; any other
    exception is a bug of ours (a plugin, a placeholder) and propagates. The common shapes
    (words, phrases, `field:value`) skip the general parser (`query.quick`).
    """
    quick = quick_parse(parser, text, _TYPED_FIELDS, DEFAULT_FIELDS, _phrase_in)
    if quick is not None:
        return quick
    try:
        return parser.parse(text)
    except _PARSER_FAILURES as error:
        if not _raised_in_whoosh(error):
            raise
        return None


#: The field names `quick_parse` reads: `date:` is never left in the text it gets.
_TYPED_FIELDS = {name: field for name, field in FIELD_NAMES.items() if name != "date"}


def _phrase_in(parser: MultifieldParser, words: str, field: str) -> Any:
    """What the phrase plugin makes of `"words"` in `field` (for `quick_parse`)."""
    node = _GapPhrasePlugin.PhraseNode(words, 0, 1)
    node.set_fieldname(field)
    return node.query(parser)


def _raised_in_whoosh(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and frames[-1].filename.startswith(_WHOOSH_DIR)


def positive_terms(q: Node, reader: Any, expand_limit: int = 50) -> set[tuple[str, str]]:
    """(field, text) of every term that makes a story match, for highlighting.

    Negated parts are skipped (highlighting a word the story must *not* contain would mislead)
    and prefix/fuzzy/wildcard terms are expanded against the index, up to `expand_limit`.
    """
    found: set[tuple[str, str]] = set()

    def walk(node: Node) -> None:
        match node:
            case Term(field, text):
                if field in TEXT_FIELDS:
                    found.add((field, text))
            case Phrase(field, words):
                found.update((field, word) for word, _offset in words)
            case And(children) | Or(children):
                for child in children:
                    walk(child)
            case AndNot(positive, _negative):
                walk(positive)
            case AndMaybe(required, optional):
                walk(required)
                walk(optional)
            case Opaque(query):
                for leaf in query.leaves():
                    _whoosh_leaf_terms(leaf, reader, expand_limit, found)

    walk(q)
    return found


def _whoosh_leaf_terms(
    leaf: Any, reader: Any, expand_limit: int, found: set[tuple[str, str]]
) -> None:
    """The terms of a leaf Whoosh matches for us (`form.Opaque`): a sloppy phrase's words,
    and the first `expand_limit` index terms a prefix, wildcard or fuzzy term stands for."""
    if isinstance(leaf, wq.Term):
        if leaf.fieldname in TEXT_FIELDS:
            found.add((leaf.fieldname, str(leaf.text)))
    elif isinstance(leaf, wq.Phrase):
        found.update((leaf.fieldname, str(w)) for w in leaf.words)
    elif isinstance(leaf, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)) and leaf.fieldname in TEXT_FIELDS:
        for i, (_field, term) in enumerate(leaf.expanded_terms(reader)):
            if i >= expand_limit:
                break
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            found.add((leaf.fieldname, text))
