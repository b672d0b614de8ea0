"""Did you mean: respell the words of a query that find nothing, from the terms of their field.

- Only a word with no hits is respelled, and it is judged the way the search judges it: a
  bare word through its stem in the headline and body and its folded form in the name
  fields, so `coffe` (whose stem `coff` is in no story) is a miss even though it is the
  stem of `coffee`.
- A word is respelled from the terms of the fields it was searched in: a bare word from the
  headline, body and caption terms and the author and dateline names (a bare word finds
  those too), `by:` only from the authors' name tokens, `in:` the datelines', `agency:`
  the agencies'. A body word is never offered for a name.
- Candidates come from rapidfuzz's optimal-string-alignment distance over the field's term
  list (`Lexicon`), in C: no index to build beyond the term list the completer already
  reads. They rank by distance, then by how many stories hold them.
- Stemmed fields hold stems (`coffe`), so a stem is offered as a word a person would type,
  read from a story that holds it (`coffee`, `montréal`).
- A respelled query is offered only if it finds stories, and says how many.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh.analysis import RegexTokenizer

from termnews.engine.lexicon import FieldTerms, Lexicon, fold
from termnews.engine.query.language import FIELD_NAMES, OPERATORS
from termnews.engine.schema import DEFAULT_FIELDS, text_analyzer

#: Fields whose terms are stems; a bare word is respelled from these.
STEMMED_FIELDS = ("headline", "body", "caption")
NAME_FIELDS = frozenset({"authors", "dateline", "agency"})
#: How many candidates per word are turned into surface words and tried.
CANDIDATES = 4
#: How many respelled queries are counted before giving up.
ATTEMPTS = 4

#: One clause of a query: an optional sign and field name, then a quoted phrase or a word.
_CLAUSE = re.compile(
    r'(?<![^\s(])[-+]?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s()"]+))'
)
_WORD = re.compile(r"[^\W_]+")
_TOKENS = RegexTokenizer()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A respelled query and how many stories it finds."""

    text: str
    total: int


@dataclass(frozen=True, slots=True)
class _Miss:
    """A typed word that finds nothing: where it is in the text, and its field."""

    start: int
    end: int
    word: str
    field: str | None  # None: a bare word, searched in the default fields


class Suggester:
    """Respellings from one index generation: its term lists and its stories."""

    def __init__(self, lexicon: Lexicon, reader: Any, holders: Callable[[str, str], Any]) -> None:
        """`holders(field, term)`: the live stories holding a term (the search's match sets)."""
        self._lexicon = lexicon
        self._reader = reader
        self._holders = holders
        self._stem = text_analyzer()
        self._text_terms: FieldTerms | None = None

    def warm_up(self) -> None:
        """Import rapidfuzz and read every term list a suggestion may need, so the first
        miss does not wait for them."""
        _distance("", "")
        self._words()
        for field in NAME_FIELDS:
            self._lexicon.terms(field)

    def suggest(self, text: str, count: Callable[[str], int]) -> Suggestion | None:
        """The closest respelling of `text` that `count` finds stories for, or None."""
        misses = [miss for miss in self._misses(text) if miss.word]
        if not misses:
            return None
        options = [self._respellings(miss) for miss in misses]
        if not all(options):
            return None
        tried = 0
        for varied in range(len(misses)):
            for choice in options[varied]:
                chosen = [opts[0] for opts in options]
                chosen[varied] = choice
                if varied and choice == options[varied][0]:
                    continue  # the all-first combination is tried once, on the first pass
                candidate = _replace(text, misses, chosen)
                total = count(candidate)
                tried += 1
                if total:
                    return Suggestion(candidate, total)
                if tried >= ATTEMPTS:
                    return None
        return None

    # -- which words find nothing ----------------------------------------------------------

    def _misses(self, text: str) -> list[_Miss]:
        misses = []
        for clause in _CLAUSE.finditer(text):
            typed = clause.group("field")
            field = FIELD_NAMES.get(typed.lower()) if typed else None
            if (typed and field is None) or field == "published":
                continue
            part = "phrase" if clause.group("phrase") is not None else "word"
            value, offset = clause.group(part), clause.start(part)
            if part == "word" and (value in OPERATORS or re.search(r"[*?~^\[\]]", value)):
                continue
            for word in _WORD.finditer(value):
                if not self._hits(field, word.group()):
                    start = offset + word.start()
                    misses.append(_Miss(start, start + len(word.group()), word.group(), field))
        return misses

    def _hits(self, field: str | None, word: str) -> bool:
        """Whether `word` alone finds a story in `field`, as the search analyses it there."""
        for name in (field,) if field else DEFAULT_FIELDS:
            if name in NAME_FIELDS:
                forms = [fold(word)]
            else:
                forms = [token.text for token in self._stem(word)]
                if not forms:
                    return True  # a stop word: it never keeps a story out
            if any(form and self._holders(name, form) for form in forms):
                return True
        return False

    # -- candidates ------------------------------------------------------------------------

    def _respellings(self, miss: _Miss) -> list[str]:
        """Surface words for `miss`, best first: fewest edits, then most stories.

        A bare word searches the headline, body and the name fields, so it may become any
        of their words; a field's word only one of that field's.
        """
        folded = fold(miss.word)
        limit = 1 if len(folded) <= 4 else 2
        best: dict[str, tuple[int, int]] = {}
        if miss.field is None or miss.field not in NAME_FIELDS:
            best.update(self._text_respellings(folded, limit, miss.field))
        names = NAME_FIELDS & set(DEFAULT_FIELDS) if miss.field is None else {miss.field}
        for field in sorted(names & NAME_FIELDS):
            near = sorted(_within(self._lexicon.terms(field), folded, limit))
            for edits, more_stories_first, term in near[:CANDIDATES]:
                surface = self._name_surface(field, term) or term
                if surface not in best or best[surface] > (edits, more_stories_first):
                    best[surface] = (edits, more_stories_first)
        ranked = sorted(best, key=lambda word: best[word])[:CANDIDATES]
        return [_cased(word, miss.word) for word in ranked]

    def _text_respellings(
        self, folded: str, limit: int, field: str | None
    ) -> dict[str, tuple[int, int]]:
        """Words of the stemmed fields near `folded`: (edits, -stories) by surface word."""
        terms = self._words() if field is None else self._lexicon.terms(field)
        stems = {token.text for token in self._stem(folded)} - {folded}
        near = _within(terms, folded, limit)
        for stem in stems:
            near += _within(terms, stem, limit)
        best: dict[str, tuple[int, int]] = {}
        for _edits, more_stories_first, stem in sorted(near):
            if len(best) >= CANDIDATES:
                break
            surface = self._text_surface(stem, folded, field)
            if surface is None or surface in best:
                continue
            edits = _distance(folded, fold(surface))
            if edits <= limit:  # `offer` is near `coffe`, but `offered` is not a respelling
                best[surface] = (edits, more_stories_first)
        return best

    def _words(self) -> FieldTerms:
        """The headline, body and caption terms together: what a bare word is respelled from."""
        if self._text_terms is None:
            merged: dict[str, int] = {}
            for field in STEMMED_FIELDS:
                terms = self._lexicon.terms(field)
                for term, frequency in zip(terms.terms, terms.frequencies, strict=True):
                    merged[term] = max(merged.get(term, 0), frequency)
            self._text_terms = FieldTerms(merged)
        return self._text_terms

    # -- surface words ---------------------------------------------------------------------

    def _text_surface(self, stem: str, folded: str, field: str | None) -> str | None:
        """A word stories spell that stems to `stem`, the one closest to what was typed."""
        for name in (field,) if field else ("body", "headline"):
            if not self._holders(name, stem):
                continue
            if name == "body":  # the body's postings say where each word is
                matcher = self._reader.postings(name, stem)
                stored = self._reader.stored_fields(matcher.id()).get(name) or ""
                spans = matcher.value_as("characters")
                words = {stored[start:end].lower() for _pos, start, end in spans}
            else:  # a headline is short enough to read word by word
                docnum = min(self._holders(name, stem))
                stored = self._reader.stored_fields(docnum).get(name) or ""
                words = {
                    token.text.lower()
                    for token in _TOKENS(stored)
                    if [t.text for t in self._stem(token.text)] == [stem]
                }
            if words:
                return min(words, key=lambda w: (_distance(folded, fold(w)), w))
        return None

    def _name_surface(self, field: str, term: str) -> str | None:
        """The name token as a story spells it (`montréal` for the term `montreal`)."""
        holders = self._holders(field, term)
        if not holders:
            return None
        stored = self._reader.stored_fields(min(holders)).get(field) or ""
        for token in _TOKENS(stored):
            if fold(token.text) == term:
                return token.text.lower()
        return None


def _within(terms: FieldTerms, word: str, limit: int) -> list[tuple[int, int, str]]:
    """(distance, -frequency, term) of every term within `limit` edits of `word`.

    Distance 0 counts: a typed word with no hits can still be a stem (`coffe`, of coffee).
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extract(word, terms.terms, scorer=OSA.distance, score_cutoff=limit, limit=None)
    return [(distance, -terms.frequencies[i], term) for term, distance, i in found]


def _distance(a: str, b: str) -> int:
    """Edits from `a` to `b`, a swap of neighbours counting one (optimal string alignment)."""
    from rapidfuzz.distance import OSA  # imported on the first miss: it costs tens of ms

    return int(OSA.distance(a, b))


def _cased(word: str, typed: str) -> str:
    """The suggestion in the case the word was typed in (`Coffe` -> `Coffee`)."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _replace(text: str, misses: list[_Miss], words: list[str]) -> str:
    out, last = [], 0
    for miss, word in zip(misses, words, strict=True):
        out.append(text[last : miss.start])
        out.append(word)
        last = miss.end
    out.append(text[last:])
    return "".join(out)
