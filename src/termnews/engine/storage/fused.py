"""Whoosh's analyzer chains run as one loop over regex matches, for indexing.

Whoosh analyzes a field by chaining generators (tokenizer, then one generator per filter),
each of which sets attributes on one shared `Token` per word. At index time that chain was
the largest single cost of a build: five Python frames resumed per word, for every word of
every story. The chains our schema uses are a regex tokenizer followed by filters that each
map a word to another word or drop it, so the whole chain is a function of the word's text
alone. `FusedAnalyzer` runs that function once per distinct word (a dict remembers it) and
keeps the tokenizer's positions and character offsets as Whoosh would set them.

Any chain with a part not listed in `_STEPS` (or options that depend on more than the word:
a renumbering stop filter, a tokenizer that splits on gaps) is left to Whoosh.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)

#: Distinct words remembered per analyzer before the memory is dropped and started again.
#: A news archive's vocabulary, numbers included, passes this only on very large builds.
WORD_MEMORY = 200_000
#: What `rows` reads for a raw word it has not numbered yet (numbers are -1 and up).
_UNSEEN = -2
#: Analyzers whose plan is kept (a sync opens the schema afresh each time).
_PLANS_KEPT = 16

Step = Callable[[str], "str | None"]


def _lowercase(_: Any) -> Step:
    return str.lower


def _charset(part: CharsetFilter) -> Step:
    charmap = part.charmap
    return lambda word: word.translate(charmap)


def _stop(part: StopFilter) -> Step | None:
    if part.renumber:  # renumbering depends on the words before, not on this word
        return None
    stops, low, high = part.stops, part.min, part.max

    def stop(word: str) -> str | None:
        size = len(word)
        if size < low or (high is not None and size > high) or word in stops:
            return None
        return word

    return stop


def _stem(part: StemFilter) -> Step | None:
    if part.lang:  # a language's stemmer is looked up by Whoosh when the filter loads
        return None
    # The filter's own cache is not needed: `FusedAnalyzer` remembers every word's result.
    stem, ignore = part.stemfn, part.ignore
    return lambda word: word if word in ignore else stem(word)


_STEPS: dict[type, Callable[[Any], Step | None]] = {
    LowercaseFilter: _lowercase,
    CharsetFilter: _charset,
    StopFilter: _stop,
    StemFilter: _stem,
}


class FusedAnalyzer:
    """One analyzer chain as a regex and a remembered word → indexed word (or None) map."""

    def __init__(self, pattern: Any, steps: list[Step]) -> None:
        self._finditer = pattern.finditer
        self._findall_words = _whole_matches(pattern)
        self._whole_array_cut = _whole_array_cut if _is_whooshs_default(pattern) else None
        self._steps = steps
        self._memory: dict[str, str | None] = {}
        # For `rows`: raw word -> the number of what it is indexed as (-1: dropped), and
        # the indexed words by number.
        self._numbers: dict[str, int] = {}
        self._numbered: dict[str, int] = {}
        self._by_number: list[str] = []

    def indexed(self, word: str) -> str | None:
        """What the chain makes of `word`: the word to index, or None if it is dropped."""
        memory = self._memory
        try:
            return memory[word]
        except KeyError:
            pass
        result = self._chain(word)
        if len(memory) >= WORD_MEMORY:
            memory.clear()
        memory[word] = result
        return result

    def _chain(self, word: str) -> str | None:
        result: str | None = word
        for step in self._steps:
            result = step(result)
            if result is None:
                break
        return result

    def positions(self, text: str) -> dict[str, list[int]]:
        """Indexed word → its positions (every match counts, dropped words too)."""
        indexed = self.indexed
        memory = self._memory
        found: dict[str, list[int]] = {}
        for position, raw in enumerate(self._findall_words(text)):
            word = memory[raw] if raw in memory else indexed(raw)
            if word is None:
                continue
            occurrences = found.get(word)
            if occurrences is None:
                found[word] = [position]
            else:
                occurrences.append(position)
        return found

    def positions_and_chars(self, text: str) -> dict[str, list[int]]:
        """Indexed word → flat (position, start, end) triples of its occurrences.

        The text is cut with whole-array steps where it can be (`_whole_array_cut`): a
        match object per word, asked for its text and span, was most of a story's
        tokenizing.
        """
        words = self._whole_array_cut(text) if self._whole_array_cut is not None else None
        cut: Iterable[tuple[str, int, int]]
        if words is not None:
            cut = zip(*words, strict=True)
        else:
            cut = ((match.group(), match.start(), match.end()) for match in self._finditer(text))
        indexed = self.indexed
        memory = self._memory
        found: dict[str, list[int]] = {}
        for position, (raw, start, end) in enumerate(cut):
            word = memory[raw] if raw in memory else indexed(raw)
            if word is None:
                continue
            occurrences = found.get(word)
            if occurrences is None:
                found[word] = [position, start, end]
            else:
                occurrences += (position, start, end)
        return found

    def rows(self, texts: list[str], *, chars: bool) -> OccurrenceRows:
        """Every indexed word occurrence of all of `texts` at once (see `OccurrenceRows`):
        what `positions_and_chars` (or `positions`) gives text by text, as arrays.

        A story's words one at a time through dicts and lists was most of a build's
        indexing; a batch of stories is cut with one set of whole-array steps, its words
        looked up with `map` and its occurrences kept as columns, with no Python step per
        word.
        """
        raws, starts, ends, text_of, positions = self._cut_many(texts)
        numbers = self._numbers
        if len(numbers) >= WORD_MEMORY:
            numbers.clear()
            self._numbered.clear()
            self._by_number.clear()
        number = np.fromiter(
            map(numbers.get, raws, repeat(_UNSEEN)), dtype=np.int64, count=len(raws)
        )
        for at in np.flatnonzero(number == _UNSEEN).tolist():
            number[at] = self._number(raws[at])
        kept = np.flatnonzero(number >= 0)
        distinct, word = np.unique(number[kept], return_inverse=True)
        words = list(map(self._by_number.__getitem__, distinct.tolist()))
        return OccurrenceRows(
            words=words,
            word=word,
            text=text_of[kept],
            position=positions[kept],
            start=starts[kept] if chars else None,
            end=ends[kept] if chars else None,
            texts=len(texts),
        )

    def _number(self, raw: str) -> int:
        known = self._numbers.get(raw)
        if known is not None:  # the same raw word earlier in this batch
            return known
        indexed = self._chain(raw)
        if indexed is None:
            number = -1
        else:
            number = self._numbered.setdefault(indexed, len(self._by_number))
            if number == len(self._by_number):
                self._by_number.append(indexed)
        self._numbers[raw] = number
        return number

    def _cut_many(
        self, texts: list[str]
    ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(words, starts, ends, text index, position in its text) of every match in
        `texts`, offsets counted within each text."""
        if self._whole_array_cut is not None and texts:
            # Joined by spaces, which no match crosses (a dot joins only word characters).
            cut = _cut_arrays(" ".join(texts))
            if cut is not None:
                raws, starts, ends = cut
                sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
                bases = np.concatenate(([0], np.cumsum(sizes[:-1])))
                text_of = np.searchsorted(bases, starts, side="right") - 1
                first_word = np.searchsorted(text_of, np.arange(len(texts)))
                positions = np.arange(len(raws)) - first_word[text_of]
                offset = bases[text_of]
                return raws, starts - offset, ends - offset, text_of, positions
        raws = []
        starts_list: list[int] = []
        ends_list: list[int] = []
        counts = []
        for text in texts:
            one = self._whole_array_cut(text) if self._whole_array_cut is not None else None
            if one is None:
                matches = [(m.group(), m.start(), m.end()) for m in self._finditer(text)]
                one = tuple(map(list, zip(*matches, strict=True))) or ([], [], [])
            words, starts, ends = one
            raws += words
            starts_list += starts
            ends_list += ends
            counts.append(len(words))
        sizes = np.array(counts, dtype=np.int64)
        text_of = np.repeat(np.arange(len(texts)), sizes)
        first_word = np.concatenate(([0], np.cumsum(sizes)[:-1])) if len(texts) else sizes
        positions = np.arange(len(raws)) - first_word[text_of]
        return (
            raws,
            np.array(starts_list, dtype=np.int64),
            np.array(ends_list, dtype=np.int64),
            text_of,
            positions,
        )


@dataclass(frozen=True, slots=True)
class OccurrenceRows:
    """The indexed word occurrences of a batch of texts, one row per occurrence, in text
    order and within a text in position order. Positions count every match, dropped words
    too, and offsets count characters within the text, as Whoosh's tokenizer does."""

    words: list[str]
    """The batch's distinct indexed words; `word` holds indexes into it."""
    word: np.ndarray
    text: np.ndarray
    """Which of the texts (0-based) the occurrence is in."""
    position: np.ndarray
    start: np.ndarray | None
    """Character offsets: None unless asked for."""
    end: np.ndarray | None
    texts: int
    """How many texts were cut (a text with no words has no rows)."""


#: Whoosh's RegexTokenizer default: runs of word characters or `*`, joined by single dots.
_WHOOSH_DEFAULT = r"[\w\*]+(\.?[\w\*]+)*"
_WHOOSH_DEFAULT_GROUPLESS = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
#: Characters of the Basic Multilingual Plane that the pattern's `[\w\*]` takes: `\w` is
#: `str.isalnum()` or `_`. Made on first use (65,536 tests, a few milliseconds).
_bmp_word_table: np.ndarray | None = None


def _bmp_words() -> np.ndarray:
    global _bmp_word_table
    if _bmp_word_table is None:
        table = np.fromiter((chr(code).isalnum() for code in range(65536)), dtype=bool, count=65536)
        table[ord("_")] = table[ord("*")] = True
        _bmp_word_table = table
    return _bmp_word_table


def _is_whooshs_default(pattern: Any) -> bool:
    return pattern.pattern == _WHOOSH_DEFAULT and pattern.flags == re.UNICODE


def _whole_array_cut(text: str) -> tuple[list[str], list[int], list[int]] | None:
    """`_cut_arrays` with the offsets as lists."""
    cut = _cut_arrays(text)
    if cut is None:
        return None
    words, starts, ends = cut
    return words, starts.tolist(), ends.tolist()


def _cut_arrays(text: str) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    r"""(words, starts, ends) of the default pattern's matches in `text`, in order; None for
    a text with characters beyond the Basic Multilingual Plane (or lone surrogates), which
    is left to the regex.

    A match is a maximal run of word characters and of dots that have a word character on
    both sides: `[\w\*]+` then any number of `\.?[\w\*]+`, matched greedily. With every
    other character made a space, the words are what `str.split` gives (no word character
    is a space). Offsets count characters, as Python's (and Whoosh's) do.
    """
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        kind, encoding = np.uint8, "ascii"
    else:
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        except UnicodeEncodeError:  # a lone surrogate
            return None
        if codes.max() > 0xFFFF:
            return None
        kind, encoding = np.uint32, "utf-32-le"
    word = _bmp_words()[codes]
    inside = word.copy()
    if codes.size > 2:
        inside[1:-1] |= (codes[1:-1] == 46) & word[:-2] & word[2:]
    edges = np.flatnonzero(inside[1:] != inside[:-1]) + 1
    if codes.size and inside[0]:
        edges = np.concatenate(([0], edges))
    if codes.size and inside[-1]:
        edges = np.concatenate((edges, [codes.size]))
    words = np.where(inside, codes, 32).astype(kind).tobytes().decode(encoding).split()
    return words, edges[0::2].astype(np.int64), edges[1::2].astype(np.int64)


def _whole_matches(pattern: Any) -> Callable[[str], list[str]]:
    """`findall` returning each whole match, whatever groups the pattern has."""
    if pattern.groups == 0:
        return pattern.findall
    if _is_whooshs_default(pattern):
        return _WHOOSH_DEFAULT_GROUPLESS.findall  # the same matches, without a capture
    finditer = pattern.finditer
    return lambda text: [match.group() for match in finditer(text)]


def _plan(analyzer: Any) -> FusedAnalyzer | None:
    if type(analyzer) is not CompositeAnalyzer or not analyzer.items:
        return None
    tokenizer, *filters = analyzer.items
    if type(tokenizer) is not RegexTokenizer or tokenizer.gaps:
        return None
    steps: list[Step] = []
    for part in filters:
        make = _STEPS.get(type(part))
        step = make(part) if make is not None else None
        if step is None:
            return None
        steps.append(step)
    return FusedAnalyzer(tokenizer.expression, steps)


#: id(analyzer) -> (analyzer, its plan): the analyzer is held so its id is not reused.
_plans: dict[int, tuple[Any, FusedAnalyzer | None]] = {}


def fused(analyzer: Any) -> FusedAnalyzer | None:
    """The fused form of `analyzer`, or None when only Whoosh's own chain will do."""
    known = _plans.get(id(analyzer))
    if known is not None and known[0] is analyzer:
        return known[1]
    if len(_plans) >= _PLANS_KEPT:
        _plans.clear()
    plan = _plan(analyzer)
    _plans[id(analyzer)] = (analyzer, plan)
    return plan


def index_options_plain(kwargs: dict[str, Any]) -> bool:
    """Whether Whoosh would call the analyzer with nothing but defaults we reproduce."""
    return not any(
        kwargs.get(name) for name in ("start_pos", "start_char", "keeporiginal", "no_morph")
    ) and kwargs.get("removestops", True)


def word_occurrences(plan: FusedAnalyzer, text: str, *, chars: bool) -> dict[str, list[int]]:
    """Indexed word of `text` -> its positions, or flat (position, start, end) triples with
    `chars`, in first-seen order."""
    return plan.positions_and_chars(text) if chars else plan.positions(text)
