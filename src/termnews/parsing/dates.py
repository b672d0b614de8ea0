"""Every date form that wire copy uses, turned into ISO strings, without guessing.

Hand-written patterns cover the forms in docs/format.md because they are an order of magnitude
faster than a general parser and, more importantly, never invent a missing year or day;
python-dateutil handles the rare whole-line date that the patterns do not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_TIME = (
    r"(?:,?\s*(?:at\s+)?(?P<hour>[0-2]?\d)(?::(?P<minute>[0-5]\d))(?::[0-5]\d)?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
    r"|,?\s*(?:at\s+)?(?P<hour2>1[0-2]|0?[1-9])\s*(?P<ampm2>[ap])\.?\s?m\b\.?)"
    r"(?:\s*(?P<tz>[A-Z]{1,4}T|UTC|GMT|ET|PT|CT|MT|AT|NT)\b)?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

_MDY = rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"
_DMY = rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}"
_ISO = r"(?P<iso>(?:1[89]|20)\d\d-[01]\d-[0-3]\d)(?:[T ](?P<isotime>[0-2]\d:[0-5]\d(?::[0-5]\d)?))?"

#: A full date (year included) anywhere in a string, with an optional time after it.
_DMY_RENAMED = _DMY.replace("month", "month2").replace("day", "day2").replace("year", "year2")
DATE_PATTERN = re.compile(
    rf"\b{_WEEKDAY}(?:(?P<mdy>{_MDY})|(?P<dmy>{_DMY_RENAMED})|{_ISO})(?:{_TIME})?",
    re.IGNORECASE,
)
#: Words that sites put around a date on its own line.
_DATE_LINE_LEAD = (
    r"^(?:(?:last\s+)?(?:updated|posted|published|modified|date|originally published)"
    r"(?:\s+on)?\s*:?\s*)?"
)
_DATE_LINE_NOISE = re.compile(
    rf"{_DATE_LINE_LEAD}|[\s|·•,.]*(?:[|·•(]\s*(?:last\s+)?(?:updated|modified)\b.*)?$",
    re.IGNORECASE,
)
_DATE_LINE_LEAD_PATTERN = re.compile(_DATE_LINE_LEAD, re.IGNORECASE)
#: Trailing noise (`, `, ` | Updated 5:12 pm`) ends the line in one of these characters or
#: opens with one of the marks; a line with neither has only the leading words to lose.
_TRAILING_NOISE_ENDS = ("|", "·", "•", ",", ".")
_TRAILING_NOISE_MARKS = ("|", "·", "•", "(")
#: `4:32 PM EDT, Tue March 5, 2024`: some sites print the time first.
_TIME_FIRST = re.compile(
    r"^(?P<time>[0-2]?\d:[0-5]\d\s*(?:[ap]\.?\s?m\.?)?)\s*(?:[A-Z]{1,4}T|UTC|GMT|ET|PT)?[,\s]+"
    r"(?P<date>.+)$",
    re.IGNORECASE,
)
#: Month and day without a year, as Reuters datelines carry them (`HAMBURG, Oct 2`), or the
#: day first (`AMSTERDAM, 2 March`).
MONTH_DAY_PATTERN = re.compile(
    rf"^(?:{_MONTH}\s+{_DAY}|{_DAY.replace('day', 'day2')}\s+{_MONTH.replace('month', 'month2')})$",
    re.IGNORECASE,
)


#: Every date the patterns or dateutil accept has a year in this form.
_YEAR_DIGITS = re.compile(r"(?:1[89]|20)\d\d")
#: How far before its year a `DATE_PATTERN` match can start when each `\s+` in it is one
#: character: `Wednesday., ` (12) then `September. 31st, ` (17).
_MAX_LEAD_TO_YEAR = 29
_WHITESPACE_RUN = re.compile(r"\s\s")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text: its ISO form and where it sat, so callers can cut it out."""

    iso: str
    start: int
    end: int


def _build(year: int, month: int, day: int, hour: int | None, minute: int | None) -> str | None:
    try:
        if hour is None:
            return date(year, month, day).isoformat()
        return datetime(year, month, day, hour, minute or 0).isoformat()
    except ValueError:
        return None


def _time_of(match: re.Match[str]) -> tuple[int | None, int | None]:
    if match.group("isotime"):
        hh, mm = match.group("isotime").split(":")[:2]
        return int(hh), int(mm)
    hour_text = match.group("hour") or match.group("hour2")
    if not hour_text:
        return None, None
    hour = int(hour_text)
    minute = int(match.group("minute") or 0)
    ampm = (match.group("ampm") or match.group("ampm2") or "").lower()
    if hour > 23 or (ampm and not 1 <= hour <= 12):
        return None, None
    if ampm == "p" and hour != 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    return hour, minute


def _iso_of(match: re.Match[str], with_time: bool) -> str | None:
    hour, minute = _time_of(match) if with_time else (None, None)
    if match.group("iso"):
        year, month, day = (int(part) for part in match.group("iso").split("-"))
    elif match.group("mdy"):
        year = int(match.group("year"))
        month = MONTHS[match.group("month").lower()]
        day = int(match.group("day"))
    else:
        year = int(match.group("year2"))
        month = MONTHS[match.group("month2").lower()]
        day = int(match.group("day2"))
    return _build(year, month, day, hour, minute)


def find_date(text: str, *, with_time: bool = True) -> FoundDate | None:
    """The first complete, valid date in `text` (a time after it is kept when present)."""
    first_year = _YEAR_DIGITS.search(text)
    if not first_year:
        return None  # every date pattern has a year: most bylines and notes have none
    # No match can start further before the first year than a date's lead is long, so the
    # scan starts there (`This report ... was first published Jan. 25, 2024.`). The bound
    # holds only while no two whitespace characters stand together.
    start = first_year.start() - _MAX_LEAD_TO_YEAR
    if start <= 0 or _WHITESPACE_RUN.search(text):
        start = 0
    for match in DATE_PATTERN.finditer(text, start):
        iso = _iso_of(match, with_time)
        if iso:
            return FoundDate(iso, match.start(), match.end())
    return None


@lru_cache(maxsize=32)  # the header grammar asks about the same few lines several times
def parse_date_line(line: str) -> str | None:
    """ISO form of a line that is only a date (`March 3rd, 2024`, `Posted Jan 5, 2024 5:12 pm`).

    Returns None when the line holds anything else, so a headline that merely mentions a date
    is never mistaken for the site's date line.
    """
    stripped = line.strip()
    if len(stripped) > 80 or not _YEAR_DIGITS.search(stripped):
        return None
    core = _strip_date_line_noise(stripped)
    time_first = _TIME_FIRST.match(core)
    if time_first:
        core = f"{time_first.group('date')} {time_first.group('time')}"
    match = DATE_PATTERN.fullmatch(core)
    if match:
        return _iso_of(match, with_time=True)
    return _dateutil_fallback(core)


def _strip_date_line_noise(stripped: str) -> str:
    """`_DATE_LINE_NOISE` removed from a stripped line.

    The trailing alternative is tried at every offset, which makes the substitution the
    costliest step; a line that can hold no trailing noise only needs its leading words cut.
    """
    if stripped.endswith(_TRAILING_NOISE_ENDS) or any(
        mark in stripped for mark in _TRAILING_NOISE_MARKS
    ):
        return _DATE_LINE_NOISE.sub("", stripped)
    lead = _DATE_LINE_LEAD_PATTERN.match(stripped)
    return stripped[lead.end() :] if lead else stripped


def _dateutil_fallback(text: str) -> str | None:
    """Whole-line dates in forms the patterns miss (`25/01/2024`), if dateutil is sure of them."""
    if not re.fullmatch(r"[\w ,./:-]{6,40}", text) or not re.search(r"(?:1[89]|20)\d\d", text):
        return None
    from dateutil import parser as date_parser

    try:
        parsed = date_parser.parse(text, default=datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1:
        return None
    has_time = bool(re.search(r"\d:\d\d", text))
    return parsed.replace(tzinfo=None).isoformat() if has_time else parsed.date().isoformat()


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) from a yearless `Oct 2`, for datelines that carry only that much."""
    match = MONTH_DAY_PATTERN.match(text.strip())
    if not match:
        return None
    month = match.group("month") or match.group("month2")
    return MONTHS[month.lower()], int(match.group("day") or match.group("day2"))
