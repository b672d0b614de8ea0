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
import string
from collections.abc import Callable
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
        self._ascii_spans = _ascii_spans if _is_whooshs_default(pattern) else None
        self._steps = steps
        self._memory: dict[str, str | None] = {}

    def indexed(self, word: str) -> str | None:
        """What the chain makes of `word`: the word to index, or None if it is dropped."""
        memory = self._memory
        try:
            return memory[word]
        except KeyError:
            pass
        result: str | None = word
        for step in self._steps:
            result = step(result)
            if result is None:
                break
        if len(memory) >= WORD_MEMORY:
            memory.clear()
        memory[word] = result
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
        """Indexed word → flat (position, start, end) triples of its occurrences."""
        if self._ascii_spans is not None and text.isascii():
            return self._ascii_positions_and_chars(text)
        indexed = self.indexed
        memory = self._memory
        found: dict[str, list[int]] = {}
        for position, match in enumerate(self._finditer(text)):
            raw = match.group()
            word = memory[raw] if raw in memory else indexed(raw)
            if word is None:
                continue
            start, end = match.span()
            occurrences = found.get(word)
            if occurrences is None:
                found[word] = [position, start, end]
            else:
                occurrences += (position, start, end)
        return found

    def _ascii_positions_and_chars(self, text: str) -> dict[str, list[int]]:
        """`positions_and_chars` of an ASCII text, its words and their offsets found with
        whole-array steps: a match object per word, asked for its text and span, was most
        of a story's tokenizing."""
        indexed = self.indexed
        memory = self._memory
        raws, starts, ends = self._ascii_spans(text)
        found: dict[str, list[int]] = {}
        for position, (raw, start, end) in enumerate(zip(raws, starts, ends, strict=True)):
            word = memory[raw] if raw in memory else indexed(raw)
            if word is None:
                continue
            occurrences = found.get(word)
            if occurrences is None:
                found[word] = [position, start, end]
            else:
                occurrences += (position, start, end)
        return found


#: Whoosh's RegexTokenizer default: runs of word characters or `*`, joined by single dots.
_WHOOSH_DEFAULT = r"[\w\*]+(\.?[\w\*]+)*"
_WHOOSH_DEFAULT_GROUPLESS = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
#: In ASCII text, the characters that pattern's `[\w\*]` takes.
_ASCII_WORD = np.zeros(256, dtype=bool)
for _char in string.ascii_letters + string.digits + "_*":
    _ASCII_WORD[ord(_char)] = True


def _is_whooshs_default(pattern: Any) -> bool:
    return pattern.pattern == _WHOOSH_DEFAULT and pattern.flags == re.UNICODE


def _ascii_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    r"""(words, starts, ends) of the default pattern's matches in an ASCII `text`, in order.

    A match is a maximal run of word characters and of dots that have a word character on
    both sides: `[\w\*]+` then any number of `\.?[\w\*]+`, matched greedily. With every
    other character made a space, the words are what `str.split` gives.
    """
    codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    word = _ASCII_WORD[codes]
    inside = word.copy()
    if codes.size > 2:
        inside[1:-1] |= (codes[1:-1] == 46) & word[:-2] & word[2:]
    edges = np.flatnonzero(inside[1:] != inside[:-1]) + 1
    if codes.size and inside[0]:
        edges = np.concatenate(([0], edges))
    if codes.size and inside[-1]:
        edges = np.concatenate((edges, [codes.size]))
    words = np.where(inside, codes, 32).astype(np.uint8).tobytes().decode("ascii").split()
    return words, edges[0::2].tolist(), edges[1::2].tolist()


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
