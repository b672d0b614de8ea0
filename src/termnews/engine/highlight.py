"""Highlight spans and snippets, as plain offsets: front ends style them, we never emit markup.

A query term is an *analysed* form (`rebuild` for "rebuilding", `montreal` for "MONTRÉAL"),
so matching any text means analysing it the same way: fold, then compare both the folded word
(names and places are indexed unstemmed) and its stem (headline and body are stemmed).

The analysis is the name analyzer's (`schema.name_analyzer`: its tokenizer's pattern,
lowercase, accent fold) done by hand, a word at a time through a cache: running Whoosh's
filter chain over every headline of every page cost more than finding the stories.
A text's analysed words (`words`) can be kept, and matched against each query's terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from whoosh.analysis import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from termnews.results import Span

#: Characters of body text a snippet shows, before the ellipses.
SNIPPET_CHARS = 200
_STOP = frozenset(STOP_WORDS)
#: The pattern `RegexTokenizer()` (the name analyzer's tokenizer) finds words with.
_TOKEN = default_pattern
_SPACE = re.compile(r"\s+")

#: One analysed word of a text: [start, end) in it, its folded form and that form's stem.
Word = tuple[int, int, str, str]


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return stem(word)


@lru_cache(maxsize=200_000)
def _forms(raw: str) -> tuple[str, str] | None:
    """A token as typed -> (folded, stem of folded), as the analyzers make it; None for a
    stop word, which no query term stands for."""
    word = raw.lower().translate(accent_map)
    if word in _STOP:
        return None
    return word, _stem(word)


def words(text: str) -> tuple[Word, ...]:
    """Every word of `text` a query term may stand for, analysed: what `spans_of` matches."""
    found = []
    for match in _TOKEN.finditer(text):
        forms = _forms(match.group())
        if forms is not None:
            found.append((match.start(), match.end(), forms[0], forms[1]))
    return tuple(found)


def spans_of(analysed: Iterable[Word], terms: frozenset[str] | set[str]) -> list[Span]:
    """[start, end) of each analysed word whose folded or stemmed form is a query term."""
    if not terms:
        return []
    return [(start, end) for start, end, word, root in analysed if word in terms or root in terms]


def spans(text: str, terms: frozenset[str] | set[str]) -> list[Span]:
    """[start, end) of every word in `text` whose folded or stemmed form is a query term."""
    if not terms or not text:
        return []
    return spans_of(words(text), terms)


def _squeeze(text: str, marks: Iterable[Span]) -> tuple[str, list[Span]]:
    """Collapse runs of whitespace (paragraph breaks) to one space, moving spans with the text.

    Matches are words and hold no whitespace, so only the gaps between them need squeezing,
    each with one C-speed regex call.
    """
    pieces: list[str] = []
    moved: list[Span] = []
    cursor = 0
    length = 0
    for start, end in sorted(marks):
        if start < cursor or end <= start:
            continue
        gap = _squeezed(text[cursor:start])
        pieces.append(gap)
        length += len(gap)
        pieces.append(text[start:end])
        moved.append((length, length + end - start))
        length += end - start
        cursor = end
    pieces.append(_squeezed(text[cursor:]))
    return "".join(pieces), moved


def _squeezed(gap: str) -> str:
    """`gap` with each run of whitespace made one space. Most gaps between matches hold
    only single spaces (every whitespace but the space is unprintable), and testing for
    that costs less than the regex call."""
    if gap.isprintable() and "  " not in gap:
        return gap
    return _SPACE.sub(" ", gap)


def _window(ranges: list[Span], width: int) -> tuple[int, int]:
    """The stretch of `width` characters that holds the most matches."""
    best = (0, 0)
    j = 0
    for i, (start, _end) in enumerate(ranges):
        if j < i:
            j = i
        while j + 1 < len(ranges) and ranges[j + 1][1] - start <= width:
            j += 1
        if j - i > best[1] - best[0]:
            best = (i, j)
    return best


def snippet(body: str, ranges: list[Span], width: int = SNIPPET_CHARS) -> tuple[str, list[Span]]:
    """The most match-dense stretch of `body` with its highlight spans, cut at word boundaries.

    `ranges` are character offsets of matches in `body` (from the index's stored character
    positions, so no re-analysis is needed). With no matches, the story's opening is shown.
    """
    if not body:
        return "", []
    if not ranges:
        start, end = 0, min(len(body), width)
        first = last = None
    else:
        ranges = sorted(set(ranges))
        i, j = _window(ranges, width)
        first, last = ranges[i][0], ranges[j][1]
        slack = max(0, width - (last - first))
        start = max(0, first - slack // 3)
        end = min(len(body), max(last, start + width))
    if start > 0:
        cut = body.find(" ", start, first if first is not None else start + 30)
        start = cut + 1 if cut != -1 else start
    if end < len(body):
        cut = body.rfind(" ", last if last is not None else end - 30, end)
        end = cut if cut != -1 else end
    inside = [(s - start, e - start) for s, e in ranges if s >= start and e <= end]
    text, marks = _squeeze(body[start:end], inside)
    text = text.strip()
    lead = len(body[start:end]) - len(body[start:end].lstrip())
    if lead:
        text_marks = [(s - 1, e - 1) for s, e in marks]  # the squeezed lead is one space
        marks = [(max(0, s), e) for s, e in text_marks]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(body) else ""
    shift = len(prefix)
    return f"{prefix}{text}{suffix}", [(s + shift, e + shift) for s, e in marks]


def lead_snippet(
    body: str, terms: frozenset[str], width: int = SNIPPET_CHARS
) -> tuple[str, list[Span]]:
    """The story's opening, highlighted by re-analysis (cheap: it is only `width` long)."""
    text, _ = snippet(body, [], width)
    return text, spans(text, terms)
