"""`date:` expressions resolve to half-open intervals; relative forms use an injected now."""

from __future__ import annotations

from datetime import datetime

import pytest

from termnews.engine.query.dates import DateSyntaxError, date_query, interval

NOW = datetime(2024, 2, 14, 15, 30)  # a Wednesday


@pytest.mark.parametrize(
    ("expr", "start", "end"),
    [
        ("2024", datetime(2024, 1, 1), datetime(2025, 1, 1)),
        ("2024-01", datetime(2024, 1, 1), datetime(2024, 2, 1)),
        ("2024-01-25", datetime(2024, 1, 25), datetime(2024, 1, 26)),
        # The case Whoosh's date plugin collapses to the whole year:
        ("[2024-01-01 to 2024-02-15]", datetime(2024, 1, 1), datetime(2024, 2, 16)),
        ("[2023-11 TO 2024]", datetime(2023, 11, 1), datetime(2025, 1, 1)),
        ("[2024-01-01 to]", datetime(2024, 1, 1), None),
        ("[* to 2023]", None, datetime(2024, 1, 1)),
        (">2023-06", datetime(2023, 7, 1), None),
        (">=2023-06", datetime(2023, 6, 1), None),
        ("<2024-01-15", None, datetime(2024, 1, 15)),
        ("<=2023", None, datetime(2024, 1, 1)),
        ('"25 January 2024"', datetime(2024, 1, 25), datetime(2024, 1, 26)),
    ],
)
def test_absolute_forms(expr: str, start: datetime | None, end: datetime | None) -> None:
    assert interval(expr, NOW) == (start, end)


@pytest.mark.parametrize(
    ("expr", "start", "end"),
    [
        ("today", datetime(2024, 2, 14), datetime(2024, 2, 15)),
        ("yesterday", datetime(2024, 2, 13), datetime(2024, 2, 14)),
        ('"this week"', datetime(2024, 2, 12), datetime(2024, 2, 19)),
        ('"last week"', datetime(2024, 2, 5), datetime(2024, 2, 12)),
        ('"this month"', datetime(2024, 2, 1), datetime(2024, 3, 1)),
        ('"last month"', datetime(2024, 1, 1), datetime(2024, 2, 1)),
        ('"last year"', datetime(2023, 1, 1), datetime(2024, 1, 1)),
        ('"last 7 days"', datetime(2024, 2, 8), datetime(2024, 2, 15)),
        ('"past 2 weeks"', datetime(2024, 2, 1), datetime(2024, 2, 15)),
        ('"3 days ago"', datetime(2024, 2, 11), datetime(2024, 2, 12)),
        ('>"last week"', datetime(2024, 2, 12), None),
    ],
)
def test_relative_forms(expr: str, start: datetime | None, end: datetime | None) -> None:
    assert interval(expr, NOW) == (start, end)


@pytest.mark.parametrize("expr", ["", "soon", "2024-13", "2024-02-30", "[2024 to 2023]", "[x to]"])
def test_unreadable_dates_raise_a_clear_error(expr: str) -> None:
    with pytest.raises(DateSyntaxError):
        interval(expr, NOW)


def test_date_query_is_a_half_open_date_range() -> None:
    q = date_query("published", "2024-01", NOW)

    assert (q.fieldname, q.startdate, q.enddate, q.endexcl) == (
        "published",
        datetime(2024, 1, 1),
        datetime(2024, 2, 1),
        True,
    )
