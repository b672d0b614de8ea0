"""Datelines: the place, with its region, and the agency tag; the date and dash come off.

Places in capitals are datelines on sight; places in title case (`Quito –`) must also not read
as the start of a sentence (`But – as ever –`, `The minister – who`). Every name here is
invented.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.parsing.datelines import PERSON_TITLES, STOP_WORDS, match_dateline


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
    ("paragraph", "place", "date_text", "agency", "rest"),
    [
        ("Quorvale – The vote", "Quorvale", None, None, "The vote"),
        ("San Teodoro – City officials", "San Teodoro", None, None, "City officials"),
        ("Brantmoor — Workers at", "Brantmoor", None, None, "Workers at"),
        ("Velmara, Feb 26 - Showers", "Velmara", "Feb 26", None, "Showers"),
        ("New Harlow, March 3 (Reuters) - Stocks", "New Harlow", "March 3", "Reuters", "Stocks"),
        ("Porto de Lanza – Officials", "Porto de Lanza", None, None, "Officials"),
        ("Ashby-upon-Wend -- A ferry", "Ashby-upon-Wend", None, None, "A ferry"),
        ("St. Aldric, N.L. — Fog", "St. Aldric, N.L.", None, None, "Fog"),
        ("Kelvane, Marrow Coast, Feb 26 - Shr", "Kelvane, Marrow Coast", "Feb 26", None, "Shr"),
        ("Dunmere _ The", "Dunmere", None, None, "The"),
        ("Orlan Falls – “We", "Orlan Falls", None, None, "“We"),
        ("Port Elsby – 2024 was", "Port Elsby", None, None, "2024 was"),
        ("Quorvale – The mayor – who – said", "Quorvale", None, None, "The mayor – who – said"),
        ("The Hague – Dutch", "The Hague", None, None, "Dutch"),
        ("Dar es Velm – Officials", "Dar es Velm", None, None, "Officials"),
        # Backed by a region abbreviation or a date, a place may start with a person's title.
        ("Prince Aldric, B.C. – The", "Prince Aldric, B.C.", None, None, "The"),
        ("King Orrin, March 3 - X", "King Orrin", "March 3", None, "X"),
        ("Port Of Velm, Tellany, March 3 - X", "Port Of Velm, Tellany", "March 3", None, "X"),
        # Old wire copy: lower-case months and text, a day before its month, a bare `Reuter`.
        ("Caldera, feb 26 - venezuelan", "Caldera", "feb 26", None, "venezuelan"),
        ("Lago verde, march 4 - the", "Lago verde", "march 4", None, "the"),
        ("HAVERTON, 2 March - The", "HAVERTON", "2 March", None, "The"),
        ("BRISK HOLLOW, MARCH 11 - A", "BRISK HOLLOW", "MARCH 11", None, "A"),
        (
            "OSSORY CITY, Okla. March 11, Reuter - X",
            "OSSORY CITY, Okla.",
            "March 11",
            "Reuters",
            "X",
        ),
        ("MILLBECK, Md., - March 4 - Acme", "MILLBECK, Md.", "March 4", None, "Acme"),
        ("TARNWICK, MINN.,March 13 - X", "TARNWICK, MINN.", "March 13", None, "X"),
        ("FENWICK, March 4, - Net", "FENWICK", "March 4", None, "Net"),
        ("HAVERTON, March 5- Net", "HAVERTON", "March 5", None, "Net"),
        ("HAVERTON- Crews", "HAVERTON", None, None, "Crews"),
        ("Velm-Ashby – The", "Velm-Ashby", None, None, "The"),
    ],
)
def test_title_case_and_old_wire_datelines(
    paragraph: str, place: str, date_text: str | None, agency: str | None, rest: str
) -> None:
    dateline = match_dateline(paragraph)
    assert dateline is not None
    assert (dateline.place, dateline.date_text, dateline.agency) == (place, date_text, agency)
    assert paragraph[dateline.end :] == rest


@pytest.mark.parametrize(
    "paragraph",
    [
        "A man - who asked not to be named",
        "Ottawa – lower case",
        "The end.",
        "But – as ever – the vote went ahead.",
        "Meanwhile – The council met.",
        "However — The council met.",
        "Still – It rained.",
        "Yet – Nobody came.",
        "The minister – who spoke first – left.",
        "In Quorvale – The vote",
        "Mr. Dalby – The mayor",
        "President Orrin – The",
        "King Orrin – The crowd",
        "Prince Aldric, Jr. – The",
        "Port Of Velm – The",
        "Sister, Feb 26 - The vote",
        "Judge Orrin – The court",
        "Monday – The ferry",
        "We – The people",
        "Farrow Liberal Party – The",
        "Quill Holdings Inc – The",
        "Update – The council",
        "File – A crew works",
        "Notes - Net excluded",
        "Tamsin Orrel – Quorvale's mayor – said",
        "Sales rose on March 2 – The",
        "It was, March 2 – the",
        "Vasquella-Mora, who spoke, said",
        "WAL-TON 44.0 885",
        "TELL-ANY nil 7,500",
        "Quorvale-The vote",
        "Brantmoor said – The",
    ],
)
def test_ordinary_paragraphs_have_no_dateline(paragraph: str) -> None:
    assert match_dateline(paragraph) is None


# --- properties ----------------------------------------------------------------------------

_SYLLABLES = ["bran", "vel", "mor", "quo", "tal", "dun", "ash", "kel", "orr", "fen", "lis", "tor"]
_ENDINGS = ["vale", "mere", "ton", "wick", "by", "stead", "holm", "ford", "ham", "dale"]
_DASHES = [" - ", " -- ", " – ", " — ", " _ ", " –", "–"]


@st.composite
def _invented_word(draw: st.DrawFn) -> str:
    """A capitalised word no dictionary or stop list holds (`Kelmere`, `Quodale`)."""
    stem = "".join(draw(st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=2)))
    word = (stem + draw(st.sampled_from(_ENDINGS))).capitalize()
    return word


@st.composite
def _title_place(draw: st.DrawFn) -> str:
    words = draw(st.lists(_invented_word(), min_size=1, max_size=4))
    if len(words) >= 2 and draw(st.booleans()):
        words.insert(1, draw(st.sampled_from(["de", "la", "del", "upon", "on"])))
    return " ".join(words)


_REGIONS = ["", ", Vt.", ", Ont.", ", N.S.", ", Marrow Coast", ", Tellany"]
_DATES = ["", ", Feb 26", ", March 3", ", Oct. 2", ", Sept 14, 2023"]
_TAGS = ["", " (Reuters)", " (AP)", " (CP)"]
_OPENERS = ["The", "A", "Officials", "Crews", "Police", "Shares", "“We", "2024", "Three"]


@settings(max_examples=120, deadline=None)
@given(
    place=_title_place(),
    region=st.sampled_from(_REGIONS),
    date=st.sampled_from(_DATES),
    tag=st.sampled_from(_TAGS),
    dash=st.sampled_from(_DASHES),
    opener=st.sampled_from(_OPENERS),
)
def test_invented_title_case_datelines_are_recognised(
    place: str, region: str, date: str, tag: str, dash: str, opener: str
) -> None:
    rest = f"{opener} said on Tuesday that the ferry would run."
    paragraph = f"{place}{region}{date}{tag}{dash}{rest}"
    dateline = match_dateline(paragraph)
    assert dateline is not None, paragraph
    assert dateline.place == place + region
    assert dateline.date_text == (date.lstrip(", ") or None)
    assert paragraph[dateline.end :] == rest


#: Titles of people are left out: `King City, March 3 -` is a place (see the examples above).
_OPENING_STOP_WORDS = sorted(
    word.capitalize()
    for word in STOP_WORDS
    if word.isalpha() and word not in ("i",) and word not in PERSON_TITLES
)
_LOWER_WORDS = ["said", "was", "the", "and", "rose", "crews", "officials", "ferry", "vote"]


@settings(max_examples=120, deadline=None)
@given(
    first=st.sampled_from(_OPENING_STOP_WORDS),
    more=st.lists(_invented_word() | st.sampled_from(_LOWER_WORDS), max_size=3),
    region=st.sampled_from(["", ", Vt.", ", Marrow Coast"]),
    date=st.sampled_from(_DATES),
    dash=st.sampled_from(_DASHES),
    opener=st.sampled_from([*_OPENERS, "as", "who", "the"]),
)
def test_sentences_opening_with_a_stop_word_are_not_datelines(
    first: str, more: list[str], region: str, date: str, dash: str, opener: str
) -> None:
    paragraph = " ".join([first, *more]) + f"{region}{date}{dash}{opener} vote went ahead."
    assert match_dateline(paragraph) is None, paragraph


@settings(max_examples=120, deadline=None)
@given(
    first=st.sampled_from(_LOWER_WORDS) | _invented_word().map(str.lower),
    more=st.lists(_invented_word() | st.sampled_from(_LOWER_WORDS), max_size=3),
    dash=st.sampled_from(_DASHES),
    opener=st.sampled_from([*_OPENERS, "as", "who"]),
)
def test_sentences_opening_in_lower_case_are_not_datelines(
    first: str, more: list[str], dash: str, opener: str
) -> None:
    paragraph = " ".join([first, *more]) + f"{dash}{opener} vote went ahead."
    assert match_dateline(paragraph) is None, paragraph


@settings(max_examples=100, deadline=None)
@given(
    place=_title_place(),
    dash=st.sampled_from([" - ", " – ", " — "]),
    aside=st.sampled_from(["who", "as ever", "the mayor", "a former councillor"]),
)
def test_title_case_words_before_a_lower_case_aside_are_not_datelines(
    place: str, dash: str, aside: str
) -> None:
    """`Tamsin Orrel – who ran twice – said`: a name and an aside, not a dateline."""
    assert match_dateline(f"{place}{dash}{aside}{dash}said the vote went ahead.") is None


@settings(max_examples=100, deadline=None)
@given(
    title=st.sampled_from(sorted(PERSON_TITLES)),
    name=_invented_word(),
    dash=st.sampled_from(_DASHES),
    opener=st.sampled_from(_OPENERS),
)
def test_a_title_and_a_name_without_date_or_region_is_no_dateline(
    title: str, name: str, dash: str, opener: str
) -> None:
    """`Judge Orrin – The court`: a person, unless a date or a region says it is a place."""
    assert match_dateline(f"{title.capitalize()} {name}{dash}{opener} vote went ahead.") is None
    backed = match_dateline(f"{title.capitalize()} {name}, B.C.{dash}{opener} vote went ahead.")
    assert backed is not None
    assert backed.place == f"{title.capitalize()} {name}, B.C."


@settings(max_examples=100, deadline=None)
@given(
    first=_invented_word(),
    last=_invented_word(),
    town=_invented_word(),
    dash=st.sampled_from([" - ", " – ", " — ", " -- "]),
)
def test_a_full_name_before_a_capitalised_aside_is_no_dateline(
    first: str, last: str, town: str, dash: str
) -> None:
    """`Tamsin Orrel – Quorvale's mayor – said`: the aside closes before the sentence ends."""
    paragraph = f"{first} {last}{dash}{town}'s mayor since 2019{dash}said the vote went ahead."
    assert match_dateline(paragraph) is None
