"""The plain-string gates in front of case-insensitive regexes must never turn a match away."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from termnews.parsing.folding import REGEX_ONLY_FOLDS, lower_like_regex

_ASCII_LETTER = re.compile("[a-z]", re.IGNORECASE)


def test_every_character_the_regex_folds_to_an_ascii_letter_is_covered() -> None:
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue  # lone surrogates are not text
        char = chr(code)
        if _ASCII_LETTER.fullmatch(char):
            folded = lower_like_regex(char)
            assert len(folded) == 1 and folded.isascii(), hex(code)
            assert re.fullmatch(folded, char, re.IGNORECASE), hex(code)


def test_the_folds_table_is_what_str_lower_misses() -> None:
    for char, letter in REGEX_ONLY_FOLDS.items():
        assert char.lower() != letter
        assert re.fullmatch(letter, char, re.IGNORECASE)


WORDS = ["photo", "contributed to this", "is solely responsible for", "image", "submitted", " is a"]
#: Each letter as the regex may meet it: either case, or the one other character it folds.
SPELLINGS = {
    letter: [letter, letter.upper(), *(c for c, f in REGEX_ONLY_FOLDS.items() if f == letter)]
    for letter in "abcdefghijklmnopqrstuvwxyz"
}


@st.composite
def texts_holding_a_word(draw: st.DrawFn) -> tuple[str, str]:
    word = draw(st.sampled_from(WORDS))
    spelled = "".join(draw(st.sampled_from(SPELLINGS.get(char, [char]))) for char in word)
    around = st.text(alphabet=st.sampled_from([*"aZ .İıſΣé"]), max_size=8)
    return word, draw(around) + spelled + draw(around)


@given(texts_holding_a_word())
def test_a_word_the_regex_finds_is_in_the_folded_text(case: tuple[str, str]) -> None:
    word, text = case
    assert re.search(re.escape(word), text, re.IGNORECASE)
    assert word in lower_like_regex(text)
