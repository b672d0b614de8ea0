"""Deck, caption and credit; trailers and boilerplate at the end of the story."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termnews.parsing.captions import find_credit, parse_front_matter, split_sentences
from termnews.parsing.trailers import (
    _ASCII_LOWERING,
    _BOILERPLATE_FIRST_CHARS,
    _BOILERPLATE_FIRST_LETTERS,
    _BOILERPLATE_PREFIX,
    _boilerplate_prefix,
    classify_trailer,
    is_boilerplate,
    is_promo,
    may_hold_promo,
    peel_trailers,
    starts_tail,
    tail_and_boilerplate,
)


@pytest.mark.parametrize(
    ("paragraph", "before", "credit"),
    [
        (
            "A crew works on the pier, Tuesday, Feb. 6, 2024. THE CANADIAN PRESS/Lee Park",
            "A crew works on the pier, Tuesday, Feb. 6, 2024.",
            "THE CANADIAN PRESS/Lee Park",
        ),
        ("Smoke rises. (AP Photo/Jo Lee, File)", "Smoke rises.", "AP Photo/Jo Lee, File"),
        ("Firefighters at work. (Photo: Jo Lee)", "Firefighters at work.", "Photo: Jo Lee"),
        ("The harbour. REUTERS/Jo Lee/File Photo", "The harbour.", "REUTERS/Jo Lee/File Photo"),
        ("Crews at work. Jo Lee/Getty Images", "Crews at work.", "Jo Lee/Getty Images"),
    ],
)
def test_credits(paragraph: str, before: str, credit: str) -> None:
    assert find_credit(paragraph) == (before, credit)


@pytest.mark.parametrize(
    ("paragraph", "credit"),
    [
        ("The old mill. (Submitted by Dana Orr)", "Submitted by Dana Orr"),
        ("The old mill. (Courtesy of the Vell family)", "Courtesy of the Vell family"),
        ("The old mill. Photo by Jo Lee", "Photo by Jo Lee"),
        ("The old mill. (IMAGE: Jo Lee)", "IMAGE: Jo Lee"),
        # Characters the regex folds but `str.lower` does not must not hide a credit.
        ("The old mill. (ımage: Jo Lee)", "ımage: Jo Lee"),
        ("The old mill. (Courteſy of Jo Lee)", "Courteſy of Jo Lee"),
    ],
)
def test_credits_without_a_slash(paragraph: str, credit: str) -> None:
    assert find_credit(paragraph) == ("The old mill.", credit)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Ines Roy of the Harbour Ledger contributed to this story.",
        "– Jo Lee contributed to this report.",
        "The Tarn Beacon is solely responsible for this content.",
        "The Beacon receives funding support from the Larch Fund. The Beacon is responsible for "
        "all coverage.",
        "Jo Lee contrıbuted to thıs report.",
        "Jo Lee is a Local Journalism Initiative reporter with the Tarn Beacon.",
        "Jo Lee ıs a reporter with the Tarn Beacon.",
        "The Beacon is ſolely responsible for this content.",
    ],
)
def test_notes_that_open_with_any_words(paragraph: str) -> None:
    assert classify_trailer(paragraph) == ("note", paragraph)


def test_a_sentence_near_a_note_phrase_is_no_note() -> None:
    assert classify_trailer("Jo Lee said she contributed to this city.") is None


def test_paragraph_without_credit() -> None:
    assert find_credit("The mayor said 24/7 service is coming.") is None


def test_deck_glued_to_caption_is_split_at_the_dated_photo_sentence() -> None:
    parts = parse_front_matter(
        [
            "The town says rebuilding will take years. But Mayor Ana Cote said Thursday she "
            "is hopeful. Cote speaks in Halifax, Monday, Jan. 22, 2024. THE CANADIAN PRESS/Lee Park"
        ]
    )
    assert parts.summary == (
        "The town says rebuilding will take years. But Mayor Ana Cote said Thursday she is hopeful."
    )
    assert parts.caption == "Cote speaks in Halifax, Monday, Jan. 22, 2024."
    assert parts.credit == "THE CANADIAN PRESS/Lee Park"


def test_separate_deck_paragraph() -> None:
    parts = parse_front_matter(["Winter sailings start next month.", "A ferry. (Photo: Jo Lee)"])
    assert parts.summary == "Winter sailings start next month."
    assert parts.caption == "A ferry."


def test_sentences_do_not_break_after_abbreviations() -> None:
    assert split_sentences("Mr. Lee went to St. John's on Jan. 5. He left.") == [
        "Mr. Lee went to St. John's on Jan. 5.",
        "He left.",
    ]


@pytest.mark.parametrize(
    "line",
    ["Share this story:", "Notify of", "View all comments", "Advertisement", "Related Stories"],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate(line)


def test_trailers_are_peeled_from_the_end_only() -> None:
    body, trailers = peel_trailers(
        [
            "Copyright lawyers were consulted, the mayor said.",
            "The vote is Tuesday.",
            "This report by The Canadian Press was first published Jan. 25, 2024.",
            "– With files from Sam Lee and Ines Roy",
            "(Reporting by Jo Lee; Editing by Max Ng)",
        ]
    )
    assert body == ["Copyright lawyers were consulted, the mayor said.", "The vote is Tuesday."]
    assert trailers.contributors == ["Sam Lee", "Ines Roy"]
    assert trailers.notes == [
        "This report by The Canadian Press was first published Jan. 25, 2024.",
        "(Reporting by Jo Lee; Editing by Max Ng)",
    ]


def test_ap_rule_separated_tail() -> None:
    body, trailers = peel_trailers(
        [
            "Story text.",
            "___",
            "Associated Press writer Jo Lee in Boston contributed to this report.",
        ]
    )
    assert body == ["Story text."]
    assert trailers.notes == [
        "Associated Press writer Jo Lee in Boston contributed to this report."
    ]


LINE_PIECES = [
    "Share this story",
    "Related",
    "READ MORE:",
    "3 comments",
    "Updated 2 hours ago",
    "Advertisement",
    "Trending now",
    " ",
    ":",
    ".",
    "-",
    "The council met",
    "x" * 60,
]


@given(st.lists(st.sampled_from(LINE_PIECES), max_size=5).map("".join))
def test_one_pass_line_test_agrees_with_the_two_tests(line: str) -> None:
    assert tail_and_boilerplate(line) == (starts_tail(line), is_boilerplate(line))


def test_the_first_character_gate_is_exactly_what_the_regex_folds() -> None:
    letters = re.compile(f"[{_BOILERPLATE_FIRST_LETTERS}]", re.IGNORECASE)
    digit = re.compile(r"\d")
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        assert bool(letters.fullmatch(char)) == (char in _BOILERPLATE_FIRST_CHARS), hex(code)
        assert bool(digit.fullmatch(char)) == char.isdecimal(), hex(code)


@pytest.mark.parametrize(
    "line",
    [
        "READ MORE: x", "Related: x", "Also read: x", "See also: x", "Click here", "Sign up now",
        "Subscribe to x", "Follow us on x", "Copyright 2024 Tarn Media", "3 comments",
        "This article was shared", "Tags: x", "Filed under: x", "Posted in: x",
        "Image source: x", "Advertisement 2", "Listen to this article", "Estimated reading time",
        "Reading time: 2", "4 min read", "Share on Facebook", "Story continues below",
        "Advertisement article continues after", "Continue reading below", "Updated 2 hours ago",
        "Last posted: a day ago", "an hour ago", "ſhare via email", "İmage source: x",
        "a\u00a0day ago", "An\u2003hour ago", "12\u00a0hrs ago", "٣ comments",
        "thıs article was shared", "eſtimated reading time", "PUBLISHED: 3 days ago",
    ],
)  # fmt: skip
def test_every_boilerplate_prefix_passes_the_gate(line: str) -> None:
    assert _BOILERPLATE_PREFIX.match(line)
    assert _boilerplate_prefix(line)
    assert is_boilerplate(line)


GATE_PIECES = [
    *LINE_PIECES,
    "ı",
    "٣",
    "K",
    "a ",
    "An ",
    "a\u00a0",
    "5 ",
    "4 min read",
    "The ",
    "This article was shared",
    "hours ago",
    "tags:",
]


@given(st.lists(st.sampled_from(GATE_PIECES), max_size=4).map("".join))
def test_the_gate_never_turns_a_prefix_away(line: str) -> None:
    assert _boilerplate_prefix(line) == bool(_BOILERPLATE_PREFIX.match(line))


def test_only_the_listed_characters_lower_case_to_ascii_letters() -> None:
    found = {}
    for code in range(0x80, 0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        lowered = chr(code).lower()
        if any("a" <= char <= "z" for char in lowered):
            found[chr(code)] = lowered
    assert found == _ASCII_LOWERING


PROMO_PIECES = [
    "Sign up for our ",
    "NEWSLETTER",
    "newsİetter",
    "İnbox",
    "inbox",
    "EMAİL",
    "eMail",
    "delivered to your ",
    "enter your ",
    "\u212a",
    "Σ",
    " ",
    "\n\n",
    "today.",
]


@given(st.lists(st.sampled_from(PROMO_PIECES), max_size=6).map("".join))
def test_a_story_with_a_promo_paragraph_may_hold_promos(text: str) -> None:
    if any(is_promo(paragraph.strip()) for paragraph in text.split("\n\n")):
        assert may_hold_promo(text)
