"""Snippets are one line whose highlight spans still cover the words that matched."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from termnews.engine.highlight import lead_snippet, snippet

WORDS = st.lists(st.sampled_from(["tide", "harbour", "wall", "Ferry", "rain", "council"]))
GAPS = st.sampled_from([" ", "  ", "\n", "\n\n", " \n\t ", "\u2028"])


@st.composite
def bodies(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A body of words joined by any whitespace, and the offsets of some of its words."""
    words = draw(WORDS.filter(bool))
    body, spans = draw(GAPS) if draw(st.booleans()) else "", []
    for word in words:
        if draw(st.booleans()):
            spans.append((len(body), len(body) + len(word)))
        body += word + draw(GAPS)
    return body, spans


@given(bodies(), st.integers(min_value=20, max_value=200))
def test_a_snippet_is_one_line_with_its_spans_on_the_matched_words(
    drawn: tuple[str, list[tuple[int, int]]], width: int
) -> None:
    body, ranges = drawn
    text, marks = snippet(body, ranges, width)

    assert "\n" not in text and "  " not in text and text == text.strip()
    matched = {body[start:end] for start, end in ranges}
    for start, end in marks:
        assert text[start:end] in matched


def test_the_lead_snippet_highlights_by_analysis() -> None:
    text, marks = lead_snippet("Ferries\n\nresumed  at the harbour wall.", frozenset({"ferri"}))

    assert text == "Ferries resumed at the harbour wall."
    assert [text[s:e] for s, e in marks] == ["Ferries"]
    assert not re.search(r"\s{2}", text)
