"""Datelines: the place, with its region, and the agency tag; the date and dash come off."""

from __future__ import annotations

import pytest

from termnews.parsing.datelines import match_dateline


@pytest.mark.parametrize(
    ("paragraph", "place", "date_text", "agency", "rest"),
    [
        ("OTTAWA – The vote", "OTTAWA", None, None, "The vote"),
        ("WASHINGTON (AP) — The vote", "WASHINGTON", None, "Associated Press", "The vote"),
        ("LONDON, Feb 5 (Reuters) - Shares", "LONDON", "Feb 5", "Reuters", "Shares"),
        (
            "BRANDON FALLS, Vt. (AP) — A crew",
            "BRANDON FALLS, Vt.",
            None,
            "Associated Press",
            "A crew",
        ),
        ("MONTRÉAL – Le maire", "MONTRÉAL", None, None, "Le maire"),
        ("TORONTO, Ont. — Police", "TORONTO, Ont.", None, None, "Police"),
        ("HALIFAX -- Crews", "HALIFAX", None, None, "Crews"),
        ("WASHINGTON (AP) _ Lawmakers", "WASHINGTON", None, "Associated Press", "Lawmakers"),
        ("ST. JOHN'S, N.L. — Fog", "ST. JOHN'S, N.L.", None, None, "Fog"),
        ("TROIS-RIVIÈRES, Que. — Un", "TROIS-RIVIÈRES, Que.", None, None, "Un"),
        (
            "NEW YORK, Jan. 5, 2024 (AP) — Stocks",
            "NEW YORK",
            "Jan. 5, 2024",
            "Associated Press",
            "Stocks",
        ),
    ],
)
def test_datelines(
    paragraph: str, place: str, date_text: str | None, agency: str | None, rest: str
) -> None:
    dateline = match_dateline(paragraph)
    assert dateline is not None
    assert dateline.place == place
    assert dateline.date_text == date_text
    assert dateline.agency == agency
    assert paragraph[dateline.end :] == rest


@pytest.mark.parametrize(
    "paragraph", ["A man - who asked not to be named", "Ottawa – lower case", "The end."]
)
def test_ordinary_paragraphs_have_no_dateline(paragraph: str) -> None:
    assert match_dateline(paragraph) is None
