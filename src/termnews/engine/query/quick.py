"""The common query shapes read without Whoosh's general parser: the same query, sooner.

Most queries are a few words, a quoted phrase or a `field:value` clause. Whoosh's parser
runs a dozen plugins' taggers and filters over any text, which costs more than a keystroke's
whole search of a small archive. Text made only of those clauses, separated by whitespace,
is read here instead; each clause becomes what Whoosh builds for it, through Whoosh's own
pieces (`term_query` for a word, the phrase plugin's node for a phrase), grouped and
normalised as its parser does. Anything else (operators, signs, groups, ranges, wildcards,
boosts, punctuation in a word) returns None, and the caller asks the general parser.

A property test holds the two to the same query for random text of these shapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from whoosh import query as wq

#: One clause and the whitespace before it: `word`, `"a phrase"`, `field:word`,
#: `field:"a phrase"`, or a placeholder (`path:__tn0__`, see `language.parse`). A word is
#: letters and digits only: an apostrophe, a dot or a hyphen is Whoosh's to read.
_CLAUSE = re.compile(
    r'\s*(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"\r\n]+)"|(?P<word>[^\W_]+|__tn\d+__))(?=\s|$)'
)
_PLACEHOLDER = re.compile(r"__tn\d+__")
#: Whoosh's operators, which it reads in these exact cases only.
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

#: (parser, phrase text, field) -> the query the phrase plugin makes for it in that field.
PhraseMaker = Callable[[Any, str, str], Any]


def quick_parse(
    parser: Any,
    text: str,
    fields: dict[str, str],
    default_fields: tuple[str, ...],
    phrase: PhraseMaker,
) -> Any | None:
    """Whoosh's query for `text` if it is only words, phrases and field clauses; else None.

    `fields` maps the field names a person types (`by`) to index fields (`authors`);
    `default_fields` are those a bare word or phrase searches.
    """
    clauses: list[Any] = []
    at = 0
    while at < len(text):
        found = _CLAUSE.match(text, at)
        if found is None:
            if text[at:].isspace():
                break
            return None
        at = found.end()
        typed, word, words = found.group("field"), found.group("word"), found.group("phrase")
        if typed is None:
            if word is not None and (word in _OPERATORS or _PLACEHOLDER.fullmatch(word)):
                return None
            clauses.append(_any_field(parser, default_fields, word, words, phrase))
        elif typed == "path":  # only our placeholders are written so
            if word is None or not _PLACEHOLDER.fullmatch(word):
                return None
            clauses.append(wq.Term("path", word))
        else:
            field = fields.get(typed.lower()) if typed.islower() else None
            if field is None or field not in parser.schema:
                return None
            if word is not None and word in _OPERATORS:
                return None
            clauses.append(_in_field(parser, field, word, words, phrase))
    if not clauses:
        return None
    q = wq.And([clause for clause in clauses if clause is not None])
    return (q or wq.NullQuery).normalize()


def _in_field(
    parser: Any, field: str, word: str | None, words: str | None, phrase: PhraseMaker
) -> Any:
    if word is not None:
        return parser.term_query(field, word, wq.Term)
    return phrase(parser, words or "", field)


def _any_field(
    parser: Any,
    default_fields: tuple[str, ...],
    word: str | None,
    words: str | None,
    phrase: PhraseMaker,
) -> Any:
    """A bare clause: the same clause in each default field, ORed (Whoosh's multifield)."""
    subs = [_in_field(parser, field, word, words, phrase) for field in default_fields]
    return wq.Or([sub for sub in subs if sub is not None])
