"""Typeahead: the whole index terms a partial last word may become, or "not yet".

A Whoosh prefix query walks every completion's postings one document at a time; here the
prefix is looked up in the field's sorted term list (`Lexicon`) and the completions become
ordinary terms, which the match sets decode once and cache.

Exact or nothing: a partial word expands to every term it may become, in every field it is
searched in, or (`None`) to nothing yet when that is more than a keystroke may spend, and
the results stay those of the words before it. Taking only the most frequent completions
would make the list shrink at `coffee pr`, grow again at `coffee pri`, and could show
nothing at all while the finished query has results.
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

from termnews.engine.lexicon import Lexicon, fold
from termnews.engine.schema import DEFAULT_FIELDS, FEED_FIELD, text_analyzer

#: At most this many completions, over all fields: each is a posting list to decode and a
#: set to merge on every keystroke.
MAX_COMPLETIONS = 60
#: How many postings the completions of one partial word may add up to, per story in the
#: index. Decoding them is the cost of a keystroke; past this the word waits for more letters.
POSTINGS_PER_DOC = 1.5
#: Small indexes may always expand this many postings.
MIN_POSTINGS = 20_000
#: Fields whose terms are stems: a partial word may have run past its stem (`housin` -> the
#: stem `hous` of housing), so the stems of the words it may still become count too.
STEMMED_FIELDS = frozenset({"headline", "body", "caption"})
#: Endings a partial word may grow into; with what was typed, their stems are completions.
_SUFFIXES = (
    "s", "e", "es", "ed", "er", "ers", "est", "ing", "ings", "ies", "ied", "ion", "ions",
    "ation", "ations", "ational", "ly", "ness", "ment", "ments", "al", "ally", "ity", "ive",
    "ous", "ful", "ism", "ist", "ists", "ize", "ized", "ise", "ised", "ence", "ance", "y",
)  # fmt: skip

#: The pattern the text analyzer's tokenizer finds words with (`schema.text_analyzer`).
_TOKEN = default_pattern
_STOP = frozenset(STOP_WORDS)
_ANALYZER = text_analyzer()
#: The text analyzer's StopFilter drops words shorter than this.
_MIN_LENGTH = 2

#: field -> completions (most frequent first); None when there are too many to apply yet.
Completions = dict[str, list[str]] | None


class Completer:
    """Completions from one index generation's term lists (see `Lexicon`)."""

    def __init__(self, lexicon: Lexicon, doc_count: int) -> None:
        self._lexicon = lexicon
        self._budget = max(MIN_POSTINGS, int(POSTINGS_PER_DOC * doc_count))

    def __call__(self, field: str | None, word: str) -> Completions:
        """Every term `word` may become in `field` (None: the fields a bare word searches).

        {} when no term begins so (the word is then searched as typed); None when the
        completions are too many or too long to apply on this keystroke.

        For `FEED_FIELD`, `word` is a folder slug already (`feed:harb`): the feeds whose
        folder begins so, which the query language turns into filters.
        """
        if field == FEED_FIELD:
            return self._feeds(word)
        folded = fold(word)
        if not folded:
            return {}
        out: dict[str, list[str]] = {}
        spent = 0
        count = 0
        for name in (field,) if field else DEFAULT_FIELDS:
            found = self._field(name, folded)
            if found is None:
                return None
            count += len(found)
            spent += sum(frequency for _term, frequency in found)
            if count > MAX_COMPLETIONS or spent > self._budget:
                return None
            if found:
                out[name] = [term for term, _f in sorted(found, key=lambda tf: -tf[1])]
        return out

    def _feeds(self, slug: str) -> Completions:
        """The feed folders that begin with `slug`, in name order; None if too many."""
        found = self._lexicon.terms(FEED_FIELD).with_prefix(slug, MAX_COMPLETIONS)
        if found is None:
            return None
        return {FEED_FIELD: [feed for feed, _frequency in found]} if found else {}

    def _field(self, field: str, folded: str) -> list[tuple[str, int]] | None:
        terms = self._lexicon.terms(field)
        found = terms.with_prefix(folded, MAX_COMPLETIONS)
        if found is None or field not in STEMMED_FIELDS:
            return found
        seen = {term for term, _f in found}
        for stem in self._stems_ahead(folded):
            if stem not in seen and not stem.startswith(folded):
                frequency = terms.frequency(stem)
                if frequency:
                    found.append((stem, frequency))
                    seen.add(stem)
        return found

    def _stems_ahead(self, folded: str) -> frozenset[str]:
        """The stems of the words `folded` may still become by growing an ending.

        Asked once per stemmed field of a keystroke, and again as the same word is typed
        on: kept for the last words (the stemming of ~100 endings is most of a keystroke's
        completion).
        """
        return _stems_ahead(folded)


@lru_cache(maxsize=256)
def _stems_ahead(folded: str) -> frozenset[str]:
    """`Completer._stems_ahead`, kept for the last words typed."""
    words = {folded}
    for suffix in _SUFFIXES:
        for cut in range(len(suffix)):
            if folded.endswith(suffix[:cut]):
                words.add(folded + suffix[cut:])
    stems: set[str] = set()
    folded_already = folded == folded.lower().translate(accent_map)
    for word in words:
        if folded_already and _TOKEN.fullmatch(word):
            # One folded token: the analyzer would only drop a stop word and stem the rest,
            # which is this without running its filter chain (and its slower stem cache).
            if len(word) >= _MIN_LENGTH and word not in _STOP:
                stems.add(_stem(word))
        else:
            stems.update(token.text for token in _ANALYZER(word))
    return frozenset(stems)


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return porter_stem(word)
