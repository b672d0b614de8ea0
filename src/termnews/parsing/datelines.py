"""The dateline that opens a story's first paragraph: `BRANDON FALLS, Vt. (AP) —`.

It is the place in capitals, an optional region (`, Vt.`, `, Ont.`), an optional date
(`, Oct 2`) and agency tag (`(Reuters)`), then a dash. All of it comes off the body; the
place (with its region) becomes the `dateline` field and the tag names the agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_PLACE_WORD = rf"(?:[{_UPPER}][{_UPPER}.'’-]*|ST\.|FT\.|MT\.)"
_PLACE = rf"{_PLACE_WORD}(?:[ /]{_PLACE_WORD}){{0,5}}"
#: `Vt.`, `Ont.`, `N.S.`, `New Mexico`
_REGION = rf"(?:[{_UPPER}][\w.'’-]*\.?(?: [{_UPPER}][\w.'’-]*\.?){{0,3}})"
_MONTH_DAY = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|"
    r"June|July|August|September|October|November|December|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|"
    r"SEP|SEPT|OCT|NOV|DEC)\.?\s+\d{1,2}(?:,?\s+(?:19|20)\d\d)?"
)
_DASH = r"(?:--|[–—―‒_-])"
DATELINE_PATTERN = re.compile(
    rf"^(?P<place>{_PLACE}(?:,\s*(?!{_MONTH_DAY}\b){_REGION}){{0,2}})"
    rf"(?:,?\s+(?P<date>{_MONTH_DAY}))?"
    rf"(?:\s*\((?P<tag>[A-Za-z][A-Za-z .&/-]{{0,30}})\))?"
    rf"\s*{_DASH}\s*(?=\S)"
)
#: Agency tags as they appear in datelines, mapped to the agency's usual name.
AGENCY_TAGS: dict[str, str] = {
    "ap": "Associated Press",
    "reuters": "Reuters",
    "reuter": "Reuters",
    "cp": "The Canadian Press",
    "afp": "AFP",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg News",
    "upi": "United Press International",
    "dpa": "dpa",
    "xinhua": "Xinhua",
    "ips": "IPS",
}


#: Capitalised openers that look like a dateline but are wire slugs (`FILE - A crew ...` is
#: how AP captions a file photo).
NOT_PLACES = frozenset(
    {
        "FILE",
        "UPDATE",
        "UPDATED",
        "CORRECTION",
        "CORRECTED",
        "EDITOR'S NOTE",
        "EDS",
        "ADVANCE",
        "WARNING",
        "BREAKING",
        "ANALYSIS",
        "OPINION",
        "EXCLUSIVE",
        "REFILE",
        "WRAPUP",
        "FACTBOX",
        "PHOTOS",
        "VIDEO",
        "WATCH",
        "LIVE",
        "NOTE",
        "URGENT",
        "BULLETIN",
        "FLASH",
    }
)


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    date_text: str | None
    agency: str | None
    end: int
    """Offset in the paragraph where the story text begins."""


def _capital_share(place: str) -> float:
    head = place.split(",")[0]
    letters = [ch for ch in head if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0


#: `(Bloomberg) -- Text`: an agency tag with no place, as some services open their copy.
TAG_ONLY_PATTERN = re.compile(rf"^\((?P<tag>[A-Z][A-Za-z .&-]{{1,30}})\)\s*{_DASH}\s*(?=\S)")


def match_dateline(paragraph: str) -> Dateline | None:
    """The dateline at the start of `paragraph`, or None when it does not open with one.

    A tag with no place gives a Dateline whose `place` is empty: the tag still names the
    agency and still comes off the body.
    """
    match = DATELINE_PATTERN.match(paragraph)
    if not match:
        tag_only = TAG_ONLY_PATTERN.match(paragraph)
        if tag_only and tag_only.group("tag").strip().lower() in AGENCY_TAGS:
            agency = AGENCY_TAGS[tag_only.group("tag").strip().lower()]
            return Dateline("", None, agency, tag_only.end())
        return None
    place = match.group("place").strip().rstrip(",")
    head = place.split(",")[0]
    if head in NOT_PLACES:
        return None
    if len(head.replace(" ", "")) < 2 or _capital_share(place) < 0.99:
        return None
    tag = match.group("tag")
    agency = None
    if tag:
        agency = AGENCY_TAGS.get(tag.strip().lower(), tag.strip())
    return Dateline(place, match.group("date"), agency, match.end())
