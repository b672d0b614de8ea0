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

import itertools
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from whoosh.analysis import RegexTokenizer

from termnews.engine.lexicon import FieldTerms, Lexicon, fold
from termnews.engine.query.language import FIELD_NAMES, OPERATORS
from termnews.engine.schema import DEFAULT_FIELDS, text_analyzer

#: Fields whose terms are stems; a bare word is respelled from these.
STEMMED_FIELDS = ("headline", "body", "caption")
NAME_FIELDS = frozenset({"authors", "dateline", "agency"})
#: A word this long or shorter may be one edit off; a longer one two.
SHORT_WORD = 4
#: How many candidates per word are turned into surface words and tried.
CANDIDATES = 4
#: How many stories a stem's spellings are read from.
SURFACE_STORIES = 5
#: How many spelled-out candidates to remember (a person retypes the same miss).
SPELLINGS_KEPT = 512
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


@dataclass(frozen=True, slots=True, order=True)
class _Candidate:
    """An index term a missed word may have meant; orders best first."""

    edits: int
    fewer_stories: int
    """Minus the stories holding it, so that more stories sort first."""
    term: str
    field: str  # "": a term of the headline, body and caption together


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
        self._nearby_terms: dict[str | None, _Nearby] = {}
        self._spellings: dict[tuple[str, str, str], str | None] = {}

    def install(self, prepared: Prepared) -> None:
        """Keep what `prepare` built (anything built meanwhile is kept instead)."""
        for field, nearby in prepared.items():
            self._nearby_terms.setdefault(field, nearby)

    def suggest(self, text: str, count: Callable[[str], int]) -> Suggestion | None:
        """The closest respelling of `text` that `count` finds stories for, or None.

        The best respelling of every missed word is tried first, then the next ones of each
        word in turn; candidates are spelled out only as they are reached.
        """
        misses = [miss for miss in self._misses(text) if miss.word]
        if not misses:
            return None
        streams = [self._respellings(miss) for miss in misses]
        firsts = [next(stream, None) for stream in streams]
        if None in firsts:
            return None
        chosen: list[str] = firsts  # type: ignore[assignment]
        others = (
            [*chosen[:i], word, *chosen[i + 1 :]]
            for i, stream in enumerate(streams)
            for word in stream
        )
        tries = itertools.chain([chosen], others)  # lazy: a word is spelled when reached
        for words in itertools.islice(tries, ATTEMPTS):
            candidate = _replace(text, misses, words)
            total = count(candidate)
            if total:
                return Suggestion(candidate, total)
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

    def _candidates(self, miss: _Miss) -> list[_Candidate]:
        """Index terms `miss` may have meant, best first: fewest edits, then most stories.

        A bare word searches the headline, body and the name fields, so it may become any
        of their words; a field's word only one of that field's. A stem is as near as the
        typed word or its own stem is to it (`goverments`, stem `gover`, is one edit from
        `govern`).
        """
        folded = fold(miss.word)
        limit = 1 if len(folded) <= SHORT_WORD else 2
        near: list[_Candidate] = []
        if miss.field is None or miss.field not in NAME_FIELDS:
            terms = self._nearby(miss.field)
            forms = {folded} | {token.text for token in self._stem(folded)}
            for form in forms:
                near += [
                    _Candidate(edits, fewer, term, miss.field or "")
                    for edits, fewer, term in terms.within(form, limit)
                ]
            # A doubled or swapped letter in an ending hides the stem (`goaltenderrs`,
            # `graed`): the stems of the typed word with that one edit undone.
            for variant in _one_letter_less_or_swapped(folded):
                for token in self._stem(variant):
                    frequency = terms.frequency(token.text)
                    if frequency:
                        near.append(_Candidate(1, -frequency, token.text, miss.field or ""))
        names = NAME_FIELDS & set(DEFAULT_FIELDS) if miss.field is None else {miss.field}
        for field in sorted(names & NAME_FIELDS):
            near += [
                _Candidate(edits, fewer, term, field)
                for edits, fewer, term in self._nearby(field).within(folded, limit)
            ]
        best: dict[tuple[str, str], _Candidate] = {}
        for candidate in sorted(near):
            best.setdefault((candidate.term, candidate.field), candidate)
        return list(best.values())[:CANDIDATES]

    def _respellings(self, miss: _Miss) -> Iterator[str]:
        """`miss` respelled, best first, as words within its edit limit of what was typed
        (a stem near the typed word's stem can spell far from it: `aper`, `per`)."""
        folded = fold(miss.word)
        limit = 1 if len(folded) <= SHORT_WORD else 2
        for candidate in self._candidates(miss):
            word = self._spelled(candidate, miss)
            if word is not None and _distance(folded, fold(word)) <= limit:
                yield word

    def _spelled(self, candidate: _Candidate, miss: _Miss) -> str | None:
        """The candidate as a word a person types, in the case `miss` was typed in."""
        key = (candidate.term, candidate.field, miss.word)
        if key not in self._spellings:
            if candidate.field in NAME_FIELDS:
                word = self._name_surface(candidate.field, candidate.term) or candidate.term
            else:
                field = candidate.field or None
                word = self._text_surface(candidate.term, fold(miss.word), field)
            if len(self._spellings) >= SPELLINGS_KEPT:
                self._spellings.clear()
            self._spellings[key] = None if word is None else _cased(word, miss.word)
        return self._spellings[key]

    def _nearby(self, field: str | None) -> _Nearby:
        """A field's terms to look near in; None: the headline, body and caption terms
        together, which a bare word is respelled from."""
        found = self._nearby_terms.get(field)
        if found is None:
            if field is not None:
                found = _Nearby(self._lexicon.terms(field))
            else:
                found = _Nearby(_text_terms([self._lexicon.terms(f) for f in STEMMED_FIELDS]))
            self._nearby_terms[field] = found
        return found

    # -- surface words ---------------------------------------------------------------------

    def _text_surface(self, stem: str, folded: str, field: str | None) -> str | None:
        """A word stories spell that stems to `stem`, the one closest to what was typed,
        from the first few stories that hold it (one story may only say `reports`)."""
        words: set[str] = set()
        for name in (field,) if field else ("body", "headline"):
            if not self._holders(name, stem):
                continue
            if name == "body":  # the body's postings say where each word is
                matcher = self._reader.postings(name, stem)
                for _story in range(SURFACE_STORIES):
                    if not matcher.is_active():
                        break
                    stored = self._reader.stored_fields(matcher.id()).get(name) or ""
                    spans = matcher.value_as("characters")
                    words |= {stored[start:end].lower() for _pos, start, end in spans}
                    if any(_distance(folded, fold(word)) <= 1 for word in words):
                        break
                    matcher.next()
            else:  # a headline is short enough to read word by word
                docnum = min(self._holders(name, stem))
                stored = self._reader.stored_fields(docnum).get(name) or ""
                words |= {
                    token.text.lower()
                    for token in _TOKENS(stored)
                    if [t.text for t in self._stem(token.text)] == [stem]
                }
            if words:
                break
        return min(words, key=lambda w: (_distance(folded, fold(w)), w)) if words else None

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


#: What `prepare` builds for `Suggester.install`.
Prepared = dict[str | None, "_Nearby"]
#: The term lists `prepare` needs.
FIELDS_USED = (*STEMMED_FIELDS, *sorted(NAME_FIELDS))


def prepare(terms: dict[str, FieldTerms]) -> Prepared:
    """Everything a suggestion looks words up in, built from the term lists alone (no
    reader), so that a worker can build it without the Searcher's lock. Imports rapidfuzz."""
    _distance("", "")
    prepared: Prepared = {None: _Nearby(_text_terms([terms[f] for f in STEMMED_FIELDS]))}
    for field in NAME_FIELDS:
        prepared[field] = _Nearby(terms[field])
    return prepared


def _text_terms(lists: list[FieldTerms]) -> FieldTerms:
    """The headline, body and caption terms together, each with its largest frequency."""
    merged: dict[str, int] = {}
    for terms in lists:
        for term, frequency in zip(terms.terms, terms.frequencies, strict=True):
            merged[term] = max(merged.get(term, 0), frequency)
    return FieldTerms(merged)


class _Ordered:
    """Terms in groups (by first letter, or one group of all), each ordered by length, so a
    lookup slices out the terms of a group of about the typed length. Plain arrays, not a
    key per term: a hundred thousand tuples would weigh more than the terms."""

    def __init__(self, terms: FieldTerms, group: Callable[[str], str]) -> None:
        order = sorted(
            range(len(terms)), key=lambda i: (group(terms.terms[i]), len(terms.terms[i]))
        )
        self.terms = [terms.terms[i] for i in order]
        self.frequencies = array("l", (terms.frequencies[i] for i in order))
        self.lengths = array("l", (len(term) for term in self.terms))
        self.groups: dict[str, tuple[int, int]] = {}
        for i, term in enumerate(self.terms):
            start, _stop = self.groups.get(group(term), (i, i))
            self.groups[group(term)] = (start, i + 1)

    def within(self, word: str, limit: int, group: str) -> list[tuple[int, int, str]]:
        """(edits, -stories, term) of the terms of `group` within `limit` edits of `word`.

        Edits count a swap of neighbours as one (`cofefe` is one from `coffee`). Levenshtein
        distance, which counts a swap as two, picks the candidates, being twice as quick:
        within `limit` for long words, one more for short ones, whose limit is 1. Distance
        0 counts: a typed word with no hits can still be a stem (`coffe`, of coffee).
        """
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        first, last = self.groups.get(group, (0, 0))
        start = bisect_left(self.lengths, len(word) - limit, first, last)
        stop = bisect_right(self.lengths, len(word) + limit, start, last)
        found = process.extract(
            word,
            self.terms[start:stop],
            scorer=Levenshtein.distance,
            score_cutoff=limit if len(word) > SHORT_WORD else limit + 1,
            limit=None,
        )
        near = []
        for term, _levenshtein, i in found:
            edits = _distance(word, term)
            if edits <= limit:
                near.append((edits, -self.frequencies[start + i], term))
        return near


class _Nearby:
    """Where a field's terms near a typed word are looked for.

    Most misspellings keep the first letter, or swap it with the second, so the terms that
    begin with either are compared first (a tenth of the list); the whole list, cut to
    about the word's length, only when they hold nothing within one edit.
    """

    def __init__(self, terms: FieldTerms) -> None:
        self.frequency = terms.frequency
        self._by_letter = _Ordered(terms, lambda term: term[:1])
        self._by_length = _Ordered(terms, lambda _term: "")

    def within(self, word: str, limit: int) -> list[tuple[int, int, str]]:
        """(edits, -stories, term) of terms within `limit` edits of `word` (see `_Ordered`)."""
        near = []
        for letter in dict.fromkeys(word[:2]):  # `obnus`: bonus begins with the second
            near += self._by_letter.within(word, limit, letter)
        if any(edits <= 1 for edits, _f, _t in near):
            return near
        return self._by_length.within(word, limit, "")


def _one_letter_less_or_swapped(word: str) -> set[str]:
    """`word` with one letter dropped, or two neighbours swapped."""
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return (dropped | swapped) - {word}


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
