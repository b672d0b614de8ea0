"""Bylines: several authors, capitals, agencies and roles, and dates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termnews.parsing.bylines import (
    _CONTACT_MARKS,
    _EMAIL_OR_HANDLE,
    _KNOWN_AGENCIES,
    _NAME_SPLIT,
    _SEPARATOR_CHARS,
    _SEPARATORS,
    _is_caps,
    _may_end_in_known_agency,
    _may_hold_several_names,
    is_byline,
    parse_byline,
    smart_title,
)


@pytest.mark.parametrize(
    ("line", "authors", "agency", "published"),
    [
        (
            "By Ana Ruiz and Ben Holt, The Canadian Press on January 25, 2024.",
            ("Ana Ruiz", "Ben Holt"),
            "The Canadian Press",
            "2024-01-25",
        ),
        ("By DANA WEXLER, Associated Press", ("Dana Wexler",), "Associated Press", None),
        (
            "By DANA WEXLER and OMAR FELL, Associated Press",
            ("Dana Wexler", "Omar Fell"),
            "Associated Press",
            None,
        ),
        (
            "By Mira Castel, Local Journalism Initiative Reporter",
            ("Mira Castel",),
            "Local Journalism Initiative Reporter",
            None,
        ),
        ("By A. Li, B. Cho and C. Dunn", ("A. Li", "B. Cho", "C. Dunn"), None, None),
        ("By Jo Lee & Max Ng", ("Jo Lee", "Max Ng"), None, None),
        ("By The Associated Press", (), "The Associated Press", None),
        ("By Staff", (), "Staff", None),
        ("By Jo Lee The Canadian Press", ("Jo Lee",), "The Canadian Press", None),
        (
            "By Ana Ruiz | The Canadian Press | Jan 25, 2024",
            ("Ana Ruiz",),
            "The Canadian Press",
            "2024-01-25",
        ),
        (
            "By Ana Ruiz, Ben Holt, and Cy Dunn, Reuters",
            ("Ana Ruiz", "Ben Holt", "Cy Dunn"),
            "Reuters",
            None,
        ),
        ("BY JO LEE", ("Jo Lee",), None, None),
    ],
)
def test_parse_byline(
    line: str, authors: tuple[str, ...], agency: str | None, published: str | None
) -> None:
    byline = parse_byline(line)
    assert byline.authors == authors
    assert byline.agency == agency
    assert byline.published == published


@pytest.mark.parametrize(
    ("caps", "titled"),
    [
        ("DANA WEXLER", "Dana Wexler"),
        ("SEAN MCDONALD", "Sean McDonald"),
        ("PAT O'BRIEN", "Pat O'Brien"),
        ("JEAN-LUC PICARD", "Jean-Luc Picard"),
        ("LUIS DE LA CRUZ", "Luis de la Cruz"),
        ("ROBERT KING III", "Robert King III"),
    ],
)
def test_smart_title(caps: str, titled: str) -> None:
    assert smart_title(caps) == titled


def test_sentences_that_start_with_by_are_not_bylines() -> None:
    assert is_byline("By Ana Ruiz")
    assert not is_byline("Bylaw changes were approved")
    assert not is_byline("By the way, who decides?")


def test_reuter_is_an_agency_not_an_author() -> None:
    byline = parse_byline("By Tamsin Orrel, Reuter")
    assert byline.authors == ("Tamsin Orrel",)
    assert byline.agency == "Reuter"


def test_a_caps_headline_with_a_ticker_is_not_a_french_byline() -> None:
    assert not is_byline("PAR VELMARA <PRVL> SEEKS LISTING")
    assert is_byline("Par Tamsin Orrel, La Presse")


BYLINE_PIECES = [
    "Jo Lee",
    " ",
    ", ",
    " | ",
    " – ",
    " - ",
    "•",
    "·",
    "The Canadian Press",
    "ASSOCIATED PRESS",
    "Reuter",
    "Bloomberg News",
    "Agence France-Presse",
    "afp",
    "Preſſ",
    "\n",
    "jo@paper.ca",
    "@jo",
    "https://x.ca",
    "É",
    "中",
]
bylines_text = st.lists(st.sampled_from(BYLINE_PIECES), min_size=1, max_size=6).map("".join)


@given(bylines_text)
def test_the_shortcuts_never_skip_a_pattern_that_would_match(text: str) -> None:
    """Each pattern is skipped only for text that no match of it can come from."""
    if _KNOWN_AGENCIES.search(text):
        assert _may_end_in_known_agency(text)
    if _SEPARATORS.search(text):
        assert any(char in text for char in _SEPARATOR_CHARS)
    if _EMAIL_OR_HANDLE.search(text):
        assert any(mark in text for mark in _CONTACT_MARKS)
    if _NAME_SPLIT.search(text):
        assert _may_hold_several_names(text)


@given(bylines_text)
def test_caps_means_every_letter_is_a_capital(text: str) -> None:
    letters = [char for char in text if char.isalpha()]
    assert _is_caps(text) == (len(letters) >= 2 and all(char.isupper() for char in letters))


@pytest.mark.parametrize(
    ("line", "agency"),
    [
        ("By Jo Lee The Canadian Press", "The Canadian Press"),
        ("By Jo Lee THE ASSOCIATED PRESS", "The Associated Press"),
        ("By Jo Lee Reuter", "Reuter"),
        ("By Jo Lee Agence France-Presse", "Agence France-Presse"),
    ],
)
def test_an_agency_after_the_names_without_a_comma(line: str, agency: str) -> None:
    assert parse_byline(line).agency == agency
    assert parse_byline(line).authors == ("Jo Lee",)
