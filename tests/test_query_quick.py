"""The quick reading of common query shapes builds exactly what Whoosh's parser builds."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.engine.query.language import _TYPED_FIELDS, _phrase_in, make_parser
from termnews.engine.query.quick import quick_parse
from termnews.engine.schema import DEFAULT_FIELDS, build_schema

PARSER = make_parser(build_schema())

#: Words as people type them: cases, accents, digits, stop words, operators' spellings.
WORDS = st.sampled_from(
    [
        "harbour", "Harbour", "HARBOUR", "rebuilding", "ferries", "Montréal", "MONTRÉAL",
        "naïve", "Straße", "1987", "u2", "x", "the", "of", "and", "And", "or", "not",
        "a", "it", "was", "ﬁnance", "Œuvre", "velmora", "okafor", "río",
    ]
)  # fmt: skip
#: What only the general parser reads: its operators, signs, groups and punctuation.
ODD = st.sampled_from(
    ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "-x", "+x", "(x)", "x*", "x~", "x^2",
     "co-op", "o'neil", "U.S.", "[a TO b]", "__tn0__", "x_y", '"x"~2', "a:b", "*"]
)  # fmt: skip
FIELDS = st.sampled_from([*_TYPED_FIELDS, "Headline", "BY", "date", "tag", "path", "nowhere"])
GAPS = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", " \n "])
PUNCT = st.sampled_from(["", ",", ".", "'", "-", " ,", "!"])


@st.composite
def phrases(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=0, max_size=4))
    return '"' + " ".join(w + draw(PUNCT) for w in words) + '"'


@st.composite
def clauses(draw: st.DrawFn, odd: bool) -> tuple[str, bool]:
    """(a clause, whether it is one of the shapes the quick reading takes)."""
    kind = draw(st.sampled_from(["word", "phrase", "field", "placeholder", "odd"]))
    if kind == "word":
        return draw(WORDS), True
    if kind == "phrase":
        text = draw(phrases())
        return text, text != '""'
    if kind == "placeholder":
        return f"path:__tn{draw(st.integers(0, 12))}__", True
    if kind == "odd" and odd:
        return draw(ODD), False
    field = draw(FIELDS)
    value = draw(st.one_of(WORDS, phrases()))
    simple = field in _TYPED_FIELDS and value != '""' and value not in ("AND", "OR", "NOT")
    return f"{field}:{value}", simple


@st.composite
def queries(draw: st.DrawFn, odd: bool = True) -> tuple[str, bool]:
    parts = draw(st.lists(clauses(odd), min_size=1, max_size=5))
    text = draw(st.sampled_from(["", " "]))
    for clause, _simple in parts:
        text += clause + draw(GAPS)
    return text.rstrip() if draw(st.booleans()) else text, all(s for _c, s in parts)


def quick(text: str) -> Any:
    return quick_parse(PARSER, text, _TYPED_FIELDS, DEFAULT_FIELDS, _phrase_in)


@settings(max_examples=400, deadline=None)
@given(queries())
def test_the_quick_reading_is_whooshs_or_declines(drawn: tuple[str, bool]) -> None:
    text, simple = drawn
    read = quick(text)
    if simple:
        assert read is not None, text
    if read is not None:
        expected = PARSER.parse(text)
        assert read == expected and repr(read) == repr(expected), text


@pytest.mark.parametrize(
    "text",
    ["harbour vote", '"state of the art"', 'by:"ana ruiz"', "in:velmora council", "rebuilding"],
)
def test_common_queries_take_the_quick_reading(text: str) -> None:
    assert quick(text) == PARSER.parse(text)


@pytest.mark.parametrize("text", ["a AND b", "-harbour", "(a b)", "harb*", "co-op", "x:y", ""])
def test_other_queries_are_left_to_whoosh(text: str) -> None:
    assert quick(text) is None
