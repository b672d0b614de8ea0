"""`date:` expressions -> half-open datetime intervals, and from there Whoosh `DateRange`s.

We do not use Whoosh's DateParserPlugin: it collapses dashed ISO dates inside a range
(`[2024-01-01 to 2024-02-15]`) to their year. Every form here resolves to a period
`[start, end)`, so `date:2024-01` and `date:>2024-01` share one definition of "January".
Relative forms take `now` as an argument so that tests can pin the clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from whoosh.query import DateRange, Every

Interval = tuple[datetime | None, datetime | None]
"""[start, end): either side may be open (None)."""

_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_ROLLING = re.compile(r"^(?:last|past)\s+(\d+)\s+(day|week|month|year)s?$")
_AGO = re.compile(r"^(\d+)\s+(day|week|month|year)s?\s+ago$")
_NAMED = re.compile(r"^(this|last)\s+(week|month|year)$")
_RANGE = re.compile(r"^\[\s*(.*?)\s*(?:\bto\b|\.\.)\s*(.*?)\s*\]$", re.IGNORECASE)
_COMPARE = re.compile(r"^(>=|<=|>|<)\s*(.+)$")


class DateSyntaxError(ValueError):
    """A `date:` value we cannot read; the message quotes it for the user."""


def _day(when: datetime) -> datetime:
    return when.replace(hour=0, minute=0, second=0, microsecond=0)


def period(text: str, now: datetime) -> tuple[datetime, datetime]:
    """The period a single date expression names: `2024`, `2024-01`, `2024-01-25`, `today`,
    `yesterday`, `this week`, `last month`, `last 7 days`, `3 days ago`, or anything
    dateutil reads as one day (`25 January 2024`).

    Weeks start on Monday. `last week` is the previous calendar week; `last 7 days` is rolling
    and ends today.
    """
    value = " ".join(text.strip().strip('"').lower().split())
    if match := _ISO.match(value):
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            if day is not None:
                start = datetime(year, month, day)  # type: ignore[arg-type]
                return start, start + timedelta(days=1)
            if month is not None:
                start = datetime(year, month, 1)  # type: ignore[arg-type]
                return start, start + relativedelta(months=1)
            start = datetime(year, 1, 1)  # type: ignore[arg-type]
            return start, start + relativedelta(years=1)
        except ValueError as error:
            raise DateSyntaxError(f"no such date: {text}") from error
    today = _day(now)  # only the relative forms below read the clock
    if value == "today":
        return today, today + timedelta(days=1)
    if value == "yesterday":
        return today - timedelta(days=1), today
    if match := _NAMED.match(value):
        which, unit = match.groups()
        if unit == "week":
            start = today - timedelta(days=today.weekday())
            step = relativedelta(weeks=1)
        elif unit == "month":
            start = today.replace(day=1)
            step = relativedelta(months=1)
        else:
            start = today.replace(month=1, day=1)
            step = relativedelta(years=1)
        if which == "last":
            start -= step
        return start, start + step
    if match := _ROLLING.match(value):
        count, unit = int(match.group(1)), _UNITS[match.group(2)]
        return today + timedelta(days=1) - relativedelta(**{unit: count}), today + timedelta(days=1)
    if match := _AGO.match(value):
        count, unit = int(match.group(1)), _UNITS[match.group(2)]
        start = today - relativedelta(**{unit: count})
        return start, start + timedelta(days=1)
    return _fallback_day(text)


def _fallback_day(text: str) -> tuple[datetime, datetime]:
    from dateutil import parser as dateutil_parser

    cleaned = text.strip().strip('"')
    if not re.search(r"\d", cleaned):
        raise DateSyntaxError(f"cannot read the date {text!r}")
    try:
        when = dateutil_parser.parse(cleaned, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError) as error:
        raise DateSyntaxError(f"cannot read the date {text!r}") from error
    start = _day(when.replace(tzinfo=None))
    return start, start + timedelta(days=1)


def interval(expr: str, now: datetime) -> Interval:
    """The interval for everything that may follow `date:`: a period, `[a to b]` (either end
    may be empty or `*`), or a comparison `>2023-06`, `>=2024`, `<2024-01-15`, `<=2023`."""
    value = expr.strip()
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        value = value[1:-1].strip()
    if match := _RANGE.match(value):
        low, high = (side.strip().strip('"') for side in match.groups())
        start = period(low, now)[0] if low not in ("", "*") else None
        end = period(high, now)[1] if high not in ("", "*") else None
        if start is not None and end is not None and start >= end:
            raise DateSyntaxError(f"the range {expr} ends before it starts")
        return start, end
    if match := _COMPARE.match(value):
        operator, rest = match.groups()
        start, end = period(rest, now)
        return {
            ">": (end, None),
            ">=": (start, None),
            "<": (None, start),
            "<=": (None, end),
        }[operator]
    if not value:
        raise DateSyntaxError("`date:` needs a value, e.g. date:2024-01")
    return period(value, now)


def date_query(fieldname: str, expr: str, now: datetime) -> Any:
    """A Whoosh `DateRange` over `fieldname` for a `date:` expression (half-open)."""
    start, end = interval(expr, now)
    if start is None and end is None:
        return Every()
    return DateRange(fieldname, start, end, endexcl=end is not None)
