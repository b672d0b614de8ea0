"""The dateline that opens a story's first paragraph: `BRANDON FALLS, Vt. (AP) —`, `Quito –`.

It is a place, an optional region (`, Vt.`, `, Ont.`, `, British Columbia`), an optional date
(`, Oct 2`, `, 2 March`) and agency tag (`(Reuters)`, or a bare `, Reuter` after the date),
then a dash. All of it comes off the body; the place (with its region) becomes the `dateline`
field and the tag names the agency. docs/format.md describes the forms.

Most copy sets the place in capitals, which no sentence does. About one story in fifty sets it
in title case (`San Francisco –`, `Quorvale, Feb 12 -`), and so do sentences: `But – as ever –
the vote`, `The minister – who`. A wrong guess there costs the reader the story's first words,
while a missed dateline only leaves the place in front of the first paragraph, so a title-case
place must pass every test in `_title_place_ok` and, when no date or agency tag backs it up,
must be followed by what starts a sentence (and, if it has two words or more, not by an aside
that a second dash closes: `Jo Lee – Ottawa's mayor – said`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿĀ-ž"
#: A place word in capitals (`ST.`, `TROIS-RIVIÈRES`) or in title case (`St.`, `O'Hare`,
#: `Saint-Jean-sur-Richelieu`); which of the two the place is, is decided after the match.
#: Words are matched possessively (`*+`), which keeps a sentence that is no dateline from
#: costing the regex engine thousands of steps; so a hyphen belongs to a word only between
#: letters (`TROIS-RIVIÈRES`), and one before a space or the text (`OTTAWA- The`) is the dash.
_PLACE_WORD = rf"[{_UPPER}](?:[{_LETTER}.'’]|-(?=[{_LETTER}]))*+"
#: Lower-case words that join the words of a place name: `Rio de Janeiro`, `Stratford upon Avon`.
_CONNECTORS = _word_set(
    "de la le les los las del della da do dos das du des di el es en e y sur upon on of am an "
    "der den van von au aux"
)
_MONTH_NAME = (
    r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    r"june|july|august|september|october|november|december)"
)
#: `Oct 2`, `Oct. 2, 2024`, `MARCH 11`, `march 4` and the day-first `2 March`.
_MONTH_DAY = (
    rf"(?:{_MONTH_NAME}\.?\s+\d{{1,2}}(?:,?\s+(?:19|20)\d\d)?|\d{{1,2}}\s+{_MONTH_NAME}\.?)"
)
_NOT_DATE = rf"(?!{_MONTH_DAY}\b)"
_CONNECTOR_WORD = r"[a-z](?:[a-z'’]|-(?=[a-z]))*+"
_PLACE = rf"{_PLACE_WORD}(?:[ /](?:{_NOT_DATE}{_PLACE_WORD}|{_CONNECTOR_WORD})){{0,5}}"
#: `Vt.`, `Ont.`, `N.S.`, `New Mexico`
_REGION_WORD = rf"[{_UPPER}](?:[\w.'’]|-(?=\w))*+"
_REGION = rf"(?:{_REGION_WORD}(?: {_REGION_WORD}){{0,3}})"
_DASH = r"(?:--|[–—―‒_-])"
DATELINE_PATTERN = re.compile(
    rf"^(?P<place>{_PLACE}(?:\s*,\s*{_NOT_DATE}{_REGION}){{0,2}})"
    # `, Feb 26`, `Va. Feb 26`, `, - March 4` (a stray dash before the date), `March 4,`
    rf"(?:(?P<date_comma>\s*,\s*|\s+)(?:{_DASH}\s*)?(?P<date>{_MONTH_DAY})\b,?)?"
    rf"(?:,?\s*(?P<bare_tag>(?i:reuters?))\b)?"
    rf"(?:\s*\((?P<tag>[A-Za-z][A-Za-z .&/-]{{0,30}})\))?"
    rf"(?P<dash>\s*{_DASH}\s*)(?=\S)"
)
#: The characters a dateline's dash is made of, and how far into a paragraph it may stand.
_DASH_CHARS = ("-", "–", "—", "_", "―", "‒")
_MAX_DATELINE = 160
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

#: Words that open sentences, never places: a title-case "place" may not start with one (nor
#: contain one in capitals). Articles, pronouns, conjunctions, prepositions, sentence adverbs,
#: interjections, titles of people, days and months, and the slugs above.
STOP_WORDS = (
    _word_set(
        """
    a an the this that these those there here it its it's he she we they you i me us them his
    her hers our their my your who whom whose what which when where why how whoever whatever
    one some many most much more few several all both each every any either neither no none
    nobody nothing everyone everybody everything someone somebody something anyone anything
    and but or nor so yet for because although though while whilst if unless since as after
    before until till once whether than then thus hence therefore
    in on at by from to with without of off over under into onto upon about above across
    against along among amid amidst around behind below beneath beside besides between beyond
    despite during except inside near outside past per through throughout toward towards
    within via like unlike up down out
    meanwhile however still also now later earlier today tonight yesterday tomorrow again even
    only just perhaps maybe sometimes often never always already soon recently currently
    clearly obviously indeed instead nevertheless nonetheless moreover furthermore likewise
    similarly otherwise finally first second third last lastly next overall ultimately
    anyway elsewhere nearby overseas abroad altogether admittedly fortunately unfortunately
    hopefully importantly notably specifically sadly surely certainly actually basically
    well oh ah yes no ok okay sure please thanks thank sorry hey hello hi wow not too
    mr mrs ms miss mx dr prof sir dame lord lady madam president minister premier mayor
    senator sen rep gov governor chief judge justice pope king queen prince princess
    gen general capt captain col colonel lt sgt officer const constable det coun councillor
    rev father sister brother uncle aunt
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    is are was were be been being has have had do does did will would can could should
    shall must might may let here's there's that's what's who's
    """
    )
    | frozenset(word.lower() for word in NOT_PLACES)
    | _word_set(
        "editor's note notes editorial commentary review explainer interview letters podcast "
        "sponsored advertisement listen"
    )
)
#: Titles of people that also begin place names (`Prince Rupert`, `King City`, `General Santos`).
PERSON_TITLES = _word_set("prince princess king queen lord lady judge justice chief general sister")
#: A region written as an abbreviation (`B.C.`, `Vt.`, `Ont.`), which a name's suffix is not.
_REGION_ABBREVIATION = re.compile(
    r"(?!(?:Jr|Sr|Inc|Co|Corp|Ltd)\.)[A-Z][A-Za-z]{0,3}\.(?:[A-Z]\.)*"
)
#: Title-case places that do start with `The`.
_THE_PLACES = frozenset({"the hague", "the pas", "the dalles", "the bronx", "the woodlands"})
#: A last word that names an organisation, not a place: `Liberal Party –`, `Acme Inc –`.
_ORG_TAILS = _word_set(
    "inc corp co ltd llc plc lp party council committee association associates union ministry "
    "department board group company club team government news press police court agency "
    "office commission foundation institute society league federation partners holdings "
    "systems industries resources trust fund bancorp capital investors securities "
    "communications technologies enterprises brothers"
)
#: At most this many capitalised words in a title-case place (`Oklahoma City`, `Rio de Janeiro`).
_MAX_TITLE_WORDS = 4
#: How far a second dash may stand and still close an aside (`Jo Lee – Ottawa's mayor – said`).
_ASIDE_REACH = 160
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_SPACED_DASH = re.compile(r"\s(?:--|[–—―‒_-])\s")
#: What a sentence starts with: a capital, a digit, a quote, a bracket or a `<TICKER>`.
_SENTENCE_START = re.compile(rf"[{_UPPER}0-9“\"‘'(<$£€]")


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    date_text: str | None
    agency: str | None
    end: int
    """Offset in the paragraph where the story text begins."""


def _in_capitals(head: str) -> bool:
    """`ST. JOHN'S`, `MONTRÉAL`: letters, none of them lower case."""
    return head.upper() == head and head.lower() != head


#: `(Bloomberg) -- Text`: an agency tag with no place, as some services open their copy.
TAG_ONLY_PATTERN = re.compile(rf"^\((?P<tag>[A-Z][A-Za-z .&-]{{1,30}})\)\s*{_DASH}\s*(?=\S)")


def _is_stop_word(word: str) -> bool:
    return word.lower().rstrip(".,") in STOP_WORDS


def _title_place_ok(head: str, *, dated: bool, date_after_head: bool, abbreviated: bool) -> bool:
    """Whether `head` (the place before any region) reads as a title-case place name.

    Its first word is capitalised and opens no sentence; later words are capitalised place
    words or lower-case connectors inside the name (`Rio de Janeiro`). What else passes
    depends on what backs the place up:

    - a date (`Port Of Kells, Arvenia, March 3 -`): capitalised function words inside it;
    - a date or a region abbreviation (`Prince Rupert, B.C. –`): a first word that is a
      person's title, as some place names begin;
    - a date right after a comma (`Lago verde, march 4 -`): a lower-case word, as old wire copy
      typed it.
    """
    words = head.replace("/", " ").split()
    if not words or not 1 <= len(words) <= _MAX_TITLE_WORDS + 2:
        return False
    if " ".join(words).lower() in _THE_PLACES:
        return True
    first = words[0]
    if not first[:1].isupper() or len(first.rstrip(".")) < 2:
        return False
    if _is_stop_word(first) and not (
        (dated or abbreviated) and len(words) > 1 and first.lower() in PERSON_TITLES
    ):
        return False
    if words[-1].lower().rstrip(".") in _ORG_TAILS:
        return False
    capitalised = 0
    for index, word in enumerate(words):
        if word[:1].isupper():
            if index and not dated and _is_stop_word(word):
                return False
            capitalised += 1
        elif word.lower() in _CONNECTORS and 0 < index < len(words) - 1:
            continue
        elif not (date_after_head and len(words) <= 3):
            return False
    return capitalised <= _MAX_TITLE_WORDS


def _starts_aside(rest: str) -> bool:
    """`– Ottawa's mayor – said ...`: a second dash closes the clause before a sentence ends."""
    window = rest[:_ASIDE_REACH]
    end = _SENTENCE_END.search(window)
    return bool(_SPACED_DASH.search(window[: end.start()] if end else window))


def match_dateline(paragraph: str) -> Dateline | None:
    """The dateline at the start of `paragraph`, or None when it does not open with one.

    A tag with no place gives a Dateline whose `place` is empty: the tag still names the
    agency and still comes off the body.
    """
    start = paragraph[:_MAX_DATELINE]
    if not any(dash in start for dash in _DASH_CHARS):
        return None  # most paragraphs: no dash near the start, so no dateline to look for
    match = DATELINE_PATTERN.match(paragraph)
    if not match:
        tag_only = TAG_ONLY_PATTERN.match(paragraph)
        if tag_only and tag_only.group("tag").strip().lower() in AGENCY_TAGS:
            agency = AGENCY_TAGS[tag_only.group("tag").strip().lower()]
            return Dateline("", None, agency, tag_only.end())
        return None
    place = match.group("place").strip().rstrip(",").rstrip()
    head = place.split(",")[0].strip()
    if len(head.replace(" ", "")) < 2:
        return None
    date, tag, bare_tag = match.group("date"), match.group("tag"), match.group("bare_tag")
    backed = date is not None or tag is not None or bare_tag is not None
    dash = match.group("dash")
    if not backed and dash.strip() in "-_" and dash == dash.strip():
        return None  # `Vasquez-Moreau, who`, `WAL-MART 44.0`: a hyphen inside a name
    if _in_capitals(head):
        if head in NOT_PLACES:
            return None
    else:
        region = place[len(head) :].strip(" ,")
        ok = _title_place_ok(
            head,
            dated=date is not None,
            date_after_head=date is not None and "," in match.group("date_comma") and not region,
            abbreviated=bool(_REGION_ABBREVIATION.fullmatch(region)),
        )
        if not ok:
            return None
        if not backed:
            # Nothing but the words says this is a place: the story must start after the dash.
            rest = paragraph[match.end() :]
            if not _SENTENCE_START.match(rest):
                return None
            # `Jo Lee – Ottawa's mayor – said`: a name and an aside. A first reference names a
            # person in full, so one word before the dash is a place even when an aside
            # follows (`Quito – The president – who won in May – said`).
            if " " in head and _starts_aside(rest):
                return None
    agency = None
    if tag:
        agency = AGENCY_TAGS.get(tag.strip().lower(), tag.strip())
    elif bare_tag:
        agency = AGENCY_TAGS[bare_tag.lower()]
    return Dateline(place, date, agency, match.end())
