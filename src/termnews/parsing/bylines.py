"""Bylines: who wrote a story, for which agency, and when.

`By Ana Ruiz and Ben Holt, The Canadian Press on January 25, 2024.` carries three fields at
once; AP copy writes the names in capitals. Names are title-cased with the usual exceptions
(McDonald, O'Brien, Jean-Luc, van der Berg) so a search for an author finds every spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from termnews.parsing.dates import find_date
from termnews.parsing.folding import lower_like_regex

BYLINE_START = re.compile(r"^(?:by|par)\b[:\s]\s*(?=\S)", re.IGNORECASE)

#: Words that mark a byline segment as an agency, outlet or role rather than a person.
_ORG_WORDS = frozenset(
    [
        "press",
        "associated",
        "reuters",
        "reuter",
        "bloomberg",
        "afp",
        "agence",
        "france-presse",
        "upi",
        "staff",
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "writer",
        "writers",
        "editor",
        "editors",
        "initiative",
        "journalism",
        "news",
        "newspaper",
        "times",
        "journal",
        "herald",
        "post",
        "star",
        "sun",
        "gazette",
        "tribune",
        "chronicle",
        "globe",
        "daily",
        "weekly",
        "magazine",
        "radio",
        "tv",
        "television",
        "cbc",
        "ctv",
        "bbc",
        "cnn",
        "npr",
        "service",
        "services",
        "wire",
        "wires",
        "bureau",
        "network",
        "media",
        "group",
        "desk",
        "team",
        "contributor",
        "columnist",
        "special",
        "report",
        "times-colonist",
        "free",
        "freelance",
        "publishing",
        "observer",
        "examiner",
        "telegram",
        "record",
        "review",
        "today",
        "standard",
        "leader",
        "mail",
        "guardian",
        "independent",
        "courier",
        "dispatch",
        "bulletin",
        "sentinel",
        "register",
        "inquirer",
        "enterprise",
        "citizen",
        "province",
        "region",
        "local",
        "canadian",
        "the",
        "agency",
        "online",
        "digital",
    ]
)
_ACRONYMS = frozenset(
    [
        "AP",
        "CP",
        "AFP",
        "UPI",
        "CBC",
        "CTV",
        "BBC",
        "CNN",
        "NPR",
        "NBC",
        "ABC",
        "CBS",
        "PBS",
        "TV",
        "USA",
        "UK",
        "US",
        "EU",
        "UN",
        "LJI",
        "CNW",
        "PA",
        "DPA",
        "ANP",
        "II",
        "III",
        "IV",
        "VI",
    ]
)
_LOWER_PARTICLES = frozenset(
    [
        "de",
        "da",
        "das",
        "dos",
        "du",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "la",
        "le",
        "di",
        "bin",
        "al",
        "y",
    ]
)
_EMAIL_OR_HANDLE = re.compile(r"\s*(?:\S+@\S+\.\w+|@\w+|https?://\S+)\s*")
_SEPARATORS = re.compile(r"\s*(?:\||\s[–—]\s|\s-\s|•|·)\s*")
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\bet\b)\s*", re.IGNORECASE)
_TRAILING_PUNCT = " .,;:–—-"
_DATE_LEAD = re.compile(
    r"[\s,|·•–—-]*\b(?:on|posted|updated|published|(?:last\s+)?modified)?[\s:]*$", re.IGNORECASE
)
#: Well-known agencies that may follow the names without a comma (`By Jo Lee The Canadian Press`).
_KNOWN_AGENCIES = re.compile(
    r"(?:^|\s+)(The Canadian Press|The Associated Press|Associated Press|Reuters?|Bloomberg News|"
    r"Bloomberg|Agence France-Presse|AFP)$",
    re.IGNORECASE,
)
#: How every `_KNOWN_AGENCIES` name ends: text that ends otherwise is not searched at all.
_KNOWN_AGENCY_ENDINGS = ("press", "presse", "reuter", "reuters", "news", "bloomberg", "afp")
#: What every `_SEPARATORS` match contains, and what every `_EMAIL_OR_HANDLE` match contains.
_SEPARATOR_CHARS = ("|", "–", "—", "-", "•", "·")
_CONTACT_MARKS = ("@", "http")


_BARE_AGENCY = re.compile(
    r"(?:The )?(?:Canadian Press|Associated Press|Reuters|Bloomberg(?: News)?|AFP|"
    r"Agence France-Presse|UPI|United Press International|CP|AP)(?: Staff| Writer)?",
    re.IGNORECASE,
)


#: `<PARP>`: a stock symbol, which headlines carry and names never do (`PAR PHARMACEUTICAL
#: <PARP> SEEKS NYSE LISTING` opens with the French `par`, yet is no byline).
_TICKER = re.compile(r"<[A-Z][A-Z0-9.]*>")


@dataclass(frozen=True, slots=True)
class Byline:
    authors: tuple[str, ...]
    agency: str | None
    published: str | None


@lru_cache(maxsize=8)  # the header grammar asks about the byline line two or three times
def is_byline(line: str) -> bool:
    """`By ...` on a line of its own that names people or an outlet, not a sentence.

    "By noon Wednesday, crews had..." opens a story with no byline: its first words are not
    capitalised like a name, or what follows the names reads as prose, not as an outlet.
    """
    start = BYLINE_START.match(line)
    if not start or len(line) > 240 or line.rstrip().endswith("?") or _TICKER.search(line):
        return False
    first_word = line[start.end() :].split(maxsplit=1)[0]
    if not (first_word[:1].isupper() or first_word.lower() in ("staff", "the")):
        return False
    byline = parse_byline(line)
    if not byline.authors and not byline.agency:
        return False
    return byline.agency is None or _reads_like_outlet(byline.agency)


def is_bare_agency(line: str) -> bool:
    """A line that is nothing but a wire agency's name, standing in for a byline."""
    return bool(_BARE_AGENCY.fullmatch(line.strip(" .")))


def _reads_like_outlet(agency: str) -> bool:
    """An outlet or role is capitalised words or uses outlet vocabulary; prose is neither."""
    words = agency.replace(",", " ").split()
    if len(words) > 10:
        return False
    if looks_like_org(agency):
        return True
    return all(word[:1].isupper() or word.lower() in _LOWER_PARTICLES for word in words)


def smart_title(word_run: str) -> str:
    """Title-case an ALL-CAPS name or outlet while keeping Mc/O'/hyphen rules and acronyms."""
    words = word_run.split()
    out: list[str] = []
    for position, word in enumerate(words):
        bare = word.strip(".,")
        if bare.upper() in _ACRONYMS or "." in bare or (len(bare) == 1 and word.endswith(".")):
            out.append(word)  # acronyms and initials: `AP`, `J.R.`, `T.`
            continue
        if not word.isupper():
            # `McTAVISH`: the wire kept the prefix's case (the test first: few words start so)
            mac = _MAC_PREFIX.match(word) if word.startswith(("Mc", "Mac")) else None
            out.append(mac.group(1) + _title_word(mac.group(2).lower()) if mac else word)
            continue
        lowered = word.lower()
        if position > 0 and lowered in _LOWER_PARTICLES:
            out.append(lowered)
            continue
        out.append(_title_word(lowered))
    return " ".join(out)


_WORD_JOINERS = re.compile(r"([-'’])")


def _title_word(word: str) -> str:
    pieces = _WORD_JOINERS.split(word)
    titled = "".join(
        piece[:1].upper() + piece[1:] if piece not in "-'’" else piece for piece in pieces
    )
    if titled.startswith("Mc") and len(titled) > 3:
        titled = "Mc" + titled[2].upper() + titled[3:]
    return titled


def _is_caps(text: str) -> bool:
    if text.isascii() and not text.isupper():
        return False  # a lower-case letter, or fewer than two letters: the common answer, fast
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


@lru_cache(maxsize=16)  # a byline's parts and names are asked about more than once
def looks_like_org(segment: str) -> bool:
    """True for `The Canadian Press`, `Staff Writer`, `AP`: words no personal name uses."""
    words = [w.strip(".,()").lower() for w in segment.split()]
    if not words:
        return False
    if any(word in _ORG_WORDS for word in words):
        return True
    return segment.strip().upper() in _ACRONYMS


def _looks_like_name(piece: str) -> bool:
    words = piece.split()
    if not 1 <= len(words) <= 5:
        return False
    return all(
        w[:1].isupper() or w.lower() in _LOWER_PARTICLES or w[:1] in "'’" for w in words
    ) and not looks_like_org(piece)


_MAC_PREFIX = re.compile(r"^(Ma?c)([A-Z][A-Z'’-]+)$")
_KEEP_FINAL_PERIOD = re.compile(r"(?:\b(?:jr|sr|st)|\b[a-z])\.$", re.IGNORECASE)


def _clean_name(name: str) -> str:
    name = name.strip(" ,;:–—-'\"“”")
    if name.endswith(".") and not _KEEP_FINAL_PERIOD.search(name):
        name = name.rstrip(".")
    # smart_title only touches words in capitals: `Claire LAMBERT` (AFP) → `Claire Lambert`.
    return smart_title(name)


@lru_cache(maxsize=4)  # one story asks about the same line up to three times
def parse_byline(line: str) -> Byline:
    """Split a byline into authors, agency or role, and its date.

    Comma-separated segments are names until the first one that reads as an outlet or role;
    that segment and everything after it is the agency (`Local Journalism Initiative
    Reporter, Brandon Sun`).
    """
    text = BYLINE_START.sub("", line.strip(), count=1)
    # Each costly pattern below runs only on text that holds what every match of it needs.
    if any(mark in text for mark in _CONTACT_MARKS):
        text = _EMAIL_OR_HANDLE.sub(" ", text)
    text = text.strip()
    published = None
    found = find_date(text)
    if found:
        published = found.iso
        tail = text[found.end :].strip(_TRAILING_PUNCT)
        head = _DATE_LEAD.sub("", text[: found.start])
        text = head if not tail or len(tail) < 4 else f"{head}, {tail}"
    text = text.strip(_TRAILING_PUNCT)
    if any(char in text for char in _SEPARATOR_CHARS):
        segments = [s for s in _SEPARATORS.split(text) if s.strip(_TRAILING_PUNCT)]
    else:
        segments = [text] if text.strip(_TRAILING_PUNCT) else []
    if len(segments) > 1:
        text = ", ".join(s.strip(_TRAILING_PUNCT) for s in segments)
    agency: str | None = None
    known = _KNOWN_AGENCIES.search(text) if _may_end_in_known_agency(text) else None
    if known and "," not in text[: known.start()][-2:]:
        agency = known.group(1)
        text = text[: known.start()].strip(_TRAILING_PUNCT)
    parts = [p.strip() for p in text.split(",")]
    authors: list[str] = []
    for index, part in enumerate(parts):
        if not part:
            continue
        if _may_hold_several_names(part):
            names = [n for n in _NAME_SPLIT.split(part) if n.strip(_TRAILING_PUNCT)]
        else:
            names = [part] if part.strip(_TRAILING_PUNCT) else []
        part_is_org = looks_like_org(part)
        not_names = part_is_org or not all(_looks_like_name(n) for n in names)
        if (not names or not_names) and (authors or index > 0 or part_is_org):
            rest = ", ".join(p for p in parts[index:] if p)
            agency = ", ".join(filter(None, [rest, agency]))
            break
        authors.extend(_clean_name(n) for n in names)
    return Byline(
        tuple(a for a in authors if a), clean_agency(agency) if agency else None, published
    )


def _may_hold_several_names(part: str) -> bool:
    """False only when `_NAME_SPLIT` cannot match: no comma, ampersand, `and` or `et`."""
    if "," in part or "&" in part:
        return True
    lowered = lower_like_regex(part)
    return "and" in lowered or "et" in lowered


def _may_end_in_known_agency(text: str) -> bool:
    """False only when `_KNOWN_AGENCIES` cannot match: the text ends in no agency's last word.

    `$` also matches before a final newline, so such text is always searched.
    """
    return text.endswith("\n") or lower_like_regex(text[-12:]).endswith(_KNOWN_AGENCY_ENDINGS)


def clean_agency(text: str) -> str:
    """An agency or role as written, title-cased when old wire copy set it in capitals."""
    text = text.strip(_TRAILING_PUNCT)
    return smart_title(text) if _is_caps(text) else text
