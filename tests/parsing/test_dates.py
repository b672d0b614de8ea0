"""Dates in every form docs/format.md lists; never a guessed year or day."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termnews.parsing.dates import (
    _DATE_LINE_NOISE,
    DATE_PATTERN,
    FoundDate,
    _iso_of,
    _strip_date_line_noise,
    find_date,
    month_day,
    parse_date_line,
)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("January 25, 2024", "2024-01-25"),
        ("Jan. 25, 2024", "2024-01-25"),
        ("Jan 25 2024", "2024-01-25"),
        ("March 3rd, 2024", "2024-03-03"),
        ("2024-01-25", "2024-01-25"),
        ("25 January 2024", "2024-01-25"),
        ("Sept. 4, 2019", "2019-09-04"),
        ("JAN. 25, 2024", "2024-01-25"),
        ("Thursday, January 25, 2024", "2024-01-25"),
        ("January 25, 2024 5:12 pm", "2024-01-25T17:12:00"),
        ("Jan. 25, 2024 3:14 PM EST", "2024-01-25T15:14:00"),
        ("Posted: Jan 5, 2024 12:05 a.m.", "2024-01-05T00:05:00"),
        ("Updated 2024-01-25 14:03", "2024-01-25T14:03:00"),
        ("25/01/2024", "2024-01-25"),
    ],
)
def test_whole_line_dates(line: str, iso: str) -> None:
    assert parse_date_line(line) == iso


@pytest.mark.parametrize(
    "line",
    [
        "Ferry operator adds winter sailings",
        "Council to vote on March 3, 2024 budget",
        "February 30, 2024",
        "Jan 25",
        "2024",
    ],
)
def test_non_dates_and_impossible_dates_are_refused(line: str) -> None:
    assert parse_date_line(line) is None


def test_find_date_reports_position() -> None:
    found = find_date("This report was first published Jan. 25, 2024.")
    assert found is not None
    assert found.iso == "2024-01-25"
    assert found.start == 32


def test_yearless_month_day() -> None:
    assert month_day("Oct 2") == (10, 2)
    assert month_day("Feb. 5") == (2, 5)
    assert month_day("MARCH 11") == (3, 11)
    assert month_day("2 March") == (3, 2)
    assert month_day("Monday") is None


NOISY_PIECES = [
    "Updated",
    "LAST modified",
    "Posted on",
    "Date:",
    " ",
    "\t",
    "|",
    "·",
    "•",
    ",",
    ".",
    "(",
    "Jan 5, 2024",
    "5:12 pm",
    "x",
]


@given(st.lists(st.sampled_from(NOISY_PIECES), min_size=1, max_size=7).map("".join))
def test_noise_is_cut_as_the_whole_pattern_cuts_it(line: str) -> None:
    """The shortcut for lines that cannot end in noise agrees with the full substitution."""
    stripped = line.strip()
    assert _strip_date_line_noise(stripped) == _DATE_LINE_NOISE.sub("", stripped)


def test_the_updated_stamp_after_a_date_is_noise() -> None:
    assert parse_date_line("Jan. 5, 2024 | Updated 3 hours ago") == "2024-01-05"
    assert parse_date_line("Posted Jan. 5, 2024 (last modified Jan. 6)") == "2024-01-05"


def _find_date_scanning_everything(text: str) -> FoundDate | None:
    for match in DATE_PATTERN.finditer(text):
        iso = _iso_of(match, with_time=True)
        if iso:
            return FoundDate(iso, match.start(), match.end())
    return None


DATE_PIECES = [
    "Wednesday",
    "Sat",
    ".",
    ",",
    " ",
    "  ",
    "\u2003",
    "September",
    "Jan.",
    "31st",
    "30th",
    "5",
    "1999",
    "2024",
    "2024-01-25",
    " 5 pm",
    "This report was first published",
    "x",
]


@given(st.lists(st.sampled_from(DATE_PIECES), max_size=14).map("".join))
def test_the_scan_from_near_the_first_year_finds_what_a_full_scan_finds(text: str) -> None:
    assert find_date(text) == _find_date_scanning_everything(text)


def test_a_date_with_the_longest_lead_before_its_year_is_found_whole() -> None:
    text = "Filler words here and there, Wednesday., September. 30th, 2024 at 5 pm"
    assert find_date(text) == FoundDate("2024-09-30T17:00:00", 29, 70)
