"""What comes after the story: trailers worth keeping as notes, and site boilerplate to drop.

Trailers are recognised only at the end of the body, walking backwards, so a body sentence
that happens to mention "copyright" is never lost. Boilerplate lines (`Share this story:`)
are dropped wherever they stand; the ones that start a site's tail cut everything after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from termnews.parsing.bylines import smart_title
from termnews.parsing.folding import REGEX_ONLY_FOLDS, lower_like_regex

_BOILERPLATE_LINES = frozenset(
    """share this story | share this article | share this | share | share on facebook |
    share on twitter | share on x | share via email | tweet | email | print | notify of |
    inline feedbacks | view all comments | load comments | show comments | comments |
    advertisement | advertising | ad | sponsored content | related stories | related |
    related articles | related content | related links | read more | read next | more from |
    trending | trending now | most read | most popular | recommended | recommended for you |
    you may also like | sign up for our newsletter | subscribe | subscribe now | log in |
    report an error | report a typo | journalistic standards | editorial standards |
    join the conversation | leave a comment | post a comment | 0 comments | skip to content |
    story continues below advertisement | article content | continue reading |
    latest news | top stories | watch | listen | photos | newest | oldest | most voted |
    guest | login | follow us | follow | about us | contact us | privacy policy |
    terms of use | terms of service | terms and conditions | cookie policy | site map | sitemap |
    back to top | top of page | corrections | submit a news tip | send us a tip |
    our standards: the thomson reuters trust principles | story continues | copy link |
    copy link copied | link copied | share this article in your social network |
    the thomson reuters trust principles""".replace("\n", " ").split("|")
)
_BOILERPLATE = frozenset(" ".join(item.split()) for item in _BOILERPLATE_LINES)
#: Lines that begin a site's tail: once the body has started, nothing after them is story.
_TAIL_STARTERS = frozenset(
    """share this story|share this article|notify of|inline feedbacks|view all comments|
    load comments|related stories|related articles|related content|join the conversation|
    leave a comment|post a comment|you may also like|recommended for you|trending now|
    most read|most popular|more from|latest news|read next|trending|related|more stories|
    most viewed|editor's picks|top stories|popular stories|recommended|also in the news|
    more in|you might also like|around the web|comments are closed|more from this author|
    more by this author|comments""".replace("\n", "").split("|")
)
_BOILERPLATE_PREFIX = re.compile(
    r"^(?:read more:|related:|also read:|see also:|click here|sign up |subscribe to |"
    r"follow us on |copyright ©? ?\d{4} .{0,40}(?:inc|ltd|media|llc)\b|\d+ comments?$|"
    r"this article was shared|tags?:|filed under:|posted in:|image source:|"
    r"advertisement \d+$|"
    r"listen to this article|estimated reading time|reading time:|\d+ min(?:ute)?s? read$|"
    r"share (?:on|via) (?:facebook|x|twitter|linkedin|whatsapp|reddit|email)|"
    r"(?:advertisement )?(?:story|article) continues (?:below|after)|"
    r"continue reading (?:below|after)|"
    r"(?:(?:last )?(?:updated|posted|published):?\s*)?"  # `Updated 3 hours ago`: no date in it
    r"(?:an?|\d+)\s+(?:min(?:ute)?s?|hours?|hrs?|days?)\s+ago\.?$)",
    re.IGNORECASE,
)
#: Every `_BOILERPLATE_PREFIX` alternative starts with one of these letters (in either case,
#: or a character re.IGNORECASE folds to one) or a digit (`\d` in a str pattern is exactly
#: `str.isdecimal`). Nearly half of all lines start otherwise, and one set lookup turns them
#: away before the regex tries each alternative in turn.
_BOILERPLATE_FIRST_LETTERS = "acefilprstu"
_BOILERPLATE_FIRST_CHARS = frozenset(
    _BOILERPLATE_FIRST_LETTERS
    + _BOILERPLATE_FIRST_LETTERS.upper()
    + "".join(
        char for char, letter in REGEX_ONLY_FOLDS.items() if letter in _BOILERPLATE_FIRST_LETTERS
    )
)
#: The first three letters of each alternative, lower-cased (`read more:` gives `rea`; the
#: optional `last `/`updated` before `an hour ago` give `las`/`upd`). The rest open with a digit
#: then a digit or space (`12 comments`), or with `a` or `an` then a space (`a day ago`). Most
#: lines that pass the first-letter test (`The`, `It`, `Pro...`) fail this one.
_BOILERPLATE_OPENINGS = frozenset(
    {
        "rea", "rel", "als", "adv", "art", "see", "sig", "sub", "sha", "sto", "cli", "cop",
        "con", "fol", "fil", "thi", "tag", "pos", "pub", "ima", "lis", "las", "est", "upd",
    }
)  # fmt: skip


def _boilerplate_prefix(line: str) -> bool:
    """`_BOILERPLATE_PREFIX` matches `line`; its first characters are tested first."""
    first = line[:1]
    if first not in _BOILERPLATE_FIRST_CHARS and not first.isdecimal():
        return False
    opening = line[:3]
    # One letter for one letter, as the regex folds; plain `lower` is exact on ASCII.
    opening = opening.lower() if opening.isascii() else lower_like_regex(opening)
    if opening not in _BOILERPLATE_OPENINGS:
        second = line[1:2]
        spaced_article = opening[:1] == "a" and (
            second.isspace() or (opening[1:2] == "n" and line[2:3].isspace())
        )
        counted = first.isdecimal() and (second.isdecimal() or second.isspace())
        if not spaced_article and not counted:
            return False
    return bool(_BOILERPLATE_PREFIX.match(line))


_WITH_FILES = re.compile(
    r"^[\s–—―-]*(?:with|avec) (?:files|reporting|assistance|des fichiers) (?:from|by|de)"
    r"\s+(?P<names>.+?)[.\s]*$",
    re.IGNORECASE,
)
_NOTE_PATTERNS = re.compile(
    r"^(?:"
    r"this (?:report|story|article|item)\b.{0,120}\b(?:first|originally) (?:published|posted|"
    r"appeared)"
    r"|\(?\s*(?:reporting|writing|additional reporting|editing|compiled|edited) by\b"
    r"|(?:copyright|©|\(c\))\s*(?:\d{4}|the|©)"
    r"|all rights reserved"
    r"|(?:the )?associated press (?:writers?|reporters?|photographers?|correspondents?|"
    r"videojournalists?|researchers?|news researchers?)\b.{0,300}\bcontributed"
    r"|the associated press receives support"
    r"|the canadian press (?:health|climate) coverage"
    r"|(?:reuters?|ap|upi|cp|afp)$"  # a bare agency sign-off under old wire copy
    r"|(?:the )?local journalism initiatives? (?:is|are) funded"
    r"|this is a corrected (?:version|story)"
    r"|this (?:story|article|report|item) (?:has been|was) (?:corrected|updated|clarified|amended)"
    r"|\(\(.{3,200}\)\)$"  # Reuters contact: ((jane.roe@thomsonreuters.com; +44 20 ...))
    r"|to contact the (?:reporters?|editors?|writers?|authors?)\b"
    r"|companies in this (?:story|report|article)\s*:"
    r"|[a-z]{2,4}(?:/[a-z]{2,4})+$"  # AFP desk slug: cl/mb/jh
    r"|(?:--|[–—])\s*.{0,60}\bnewsroom\b"  # Reuters sign-off: -- London Newsroom +44 ...
    r"|(?:tel|phone|fax)?\s*:?\s*\+\d[\d ()-]{6,}$"
    r"|corrects? (?:paragraph|spelling|name|headline)"
    r"|(?:note to readers|editor'?s note|correction)\s*:"
    r"|follow (?:\w+ ){0,3}(?:on|at) (?:twitter|x|facebook|instagram|bluesky|threads)"
    r"|follow (?:ap'?s|the ap'?s|reuters'?) "
    r"|find more (?:of )?ap'?s"
    r"|more (?:ap|on)\b.{0,80}https?://"
    r"|(?:[\w.+-]+@[\w-]+\.[\w.]+)$"
    r"|[–—-]\s*(?:the canadian press|the associated press|associated press|reuters|staff)\.?$"
    r")",
    re.IGNORECASE,
)
#: The notes that open with any words at all: each needs a phrase from `_NOTE_CLAUSE_WORDS`,
#: so a plain `in` on the lower-cased paragraph rules them out before the regex backtracks
#: through its leading `.{0,200}` or `[\w ...]{3,60}`. Together with `_NOTE_PATTERNS` they are
#: every note form.
_NOTE_CLAUSES = re.compile(
    r"^(?:"
    r".{0,200}\bcontributed to this (?:report|story)"
    r"|.{0,80}\bis solely responsible for (?:all )?(?:this )?content"
    r"|.{0,120}\breceives? (?:\w+ ){0,2}support from\b.{0,200}\bresponsible for\b"
    r"|[\w .'’-]{3,60} is an? (?:local journalism initiative |lji )?(?:reporter|journalist|"
    r"correspondent|writer|freelance writer|contributor)\b.{0,80}\b(?:with|for|at)\b.{0,120}$"
    r")",
    re.IGNORECASE,
)
_NOTE_CLAUSE_WORDS = ("contributed to this", "is solely responsible for", "support from", " is a")
_SEPARATOR = re.compile(r"^[\s_*=#~-]{3,}$")
#: The non-space characters a `_SEPARATOR` line is made of (`\s` is exactly `str.isspace`).
_SEPARATOR_CHARS = "_*=#~-"
_FIRST_PUBLISHED = re.compile(r"\b(?:first|originally) (?:published|posted|appeared)\b", re.I)


@dataclass(slots=True)
class Trailers:
    contributors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_published_line: str | None = None


def normalise_line(line: str) -> str:
    return " ".join(line.lower().strip(" :.|>»›•-").split())


#: No boilerplate phrase is longer than this, so longer lines skip the set lookup.
_LONGEST_BOILERPLATE = max(len(item) for item in _BOILERPLATE) + 8


_LINK_LABEL = re.compile(
    r"^(?:read more|related|also read|see also|more|more on this|more coverage|watch)\s*:?$",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"\b(?:sign up|subscribe)\b.{0,200}\b(?:newsletter|inbox)\b"
    r"|\b(?:newsletter|inbox)\b.{0,200}\b(?:sign up|subscribe)\b"
    r"|\bdelivered to your inbox\b|\benter your email\b",
    re.IGNORECASE,
)


def is_link_label(line: str) -> bool:
    """`READ MORE:` on a line of its own: the next line is a linked headline, not story."""
    return bool(_LINK_LABEL.match(line.strip()))


def is_promo(paragraph: str) -> bool:
    """A newsletter sign-up pitch that the site put between paragraphs."""
    if len(paragraph) > 300:
        return False
    lowered = paragraph.lower()  # plain `in` tests first: almost no paragraph is a pitch
    if "newsletter" not in lowered and "inbox" not in lowered and "email" not in lowered:
        return False
    return bool(_PROMO.search(paragraph))


#: The only characters besides A-Z whose lower case holds an ASCII letter (checked over every
#: code point in the tests): `İ` gives `i` and a combining dot, which no word of `is_promo`
#: can continue, and the Kelvin sign gives `k`, which none of them holds.
_ASCII_LOWERING = {"İ": "i\u0307", "\u212a": "k"}


def may_hold_promo(text: str) -> bool:
    """False when no paragraph drawn from `text` can be a promo.

    `is_promo` needs `newsletter`, `inbox` or `email` in a paragraph's lower case. Such a word
    in a paragraph is in its story too (none has a space), and by `_ASCII_LOWERING` it is
    there in ASCII letters of either case, which lower-casing the UTF-8 bytes finds: one
    C-level pass instead of lower-casing every paragraph.
    """
    lowered = text.encode("utf-8", "surrogatepass").lower()
    return b"newsletter" in lowered or b"inbox" in lowered or b"email" in lowered


def is_boilerplate(line: str) -> bool:
    if len(line) <= _LONGEST_BOILERPLATE and normalise_line(line) in _BOILERPLATE:
        return True
    return len(line) < 200 and _boilerplate_prefix(line)


def starts_tail(line: str) -> bool:
    return len(line) <= _LONGEST_BOILERPLATE and normalise_line(line) in _TAIL_STARTERS


def tail_and_boilerplate(line: str) -> tuple[bool, bool]:
    """`(starts_tail(line), is_boilerplate(line))`, normalising the line once for both."""
    if len(line) > _LONGEST_BOILERPLATE:
        return False, len(line) < 200 and _boilerplate_prefix(line)
    normal = normalise_line(line)
    return normal in _TAIL_STARTERS, normal in _BOILERPLATE or _boilerplate_prefix(line)


#: `in Kingston, Jamaica` after a name: the place, with a one-word region, is not a person.
_PLACE_AFTER_NAME = re.compile(
    r"\s+(?:in|at) [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*"
    r"(?:, [A-Z][\w.'’-]*\.?(?=\s+and\s|\s*[,;&]|\s*$))?"
)
_AFFILIATION = re.compile(r"\s+(?:of|from|with|in|at) (?:the )?[A-Z][\w .'’-]*$")


def split_names(text: str) -> list[str]:
    """`Sam Lee and Ines Roy` or `A, B & C` → separate names, ALL-CAPS title-cased.

    An affiliation after a name (`Sam Lee of The Beacon`, `Ines Roy in Halifax`) is dropped:
    contributors are people, and the outlet is not part of anyone's name.
    """
    text = _PLACE_AFTER_NAME.sub("", text.strip())
    names = [n.strip(" .;:") for n in re.split(r"\s*(?:,|;|\band\b|&)\s*", text) if n.strip(" .")]
    cleaned = []
    for name in names:
        bare = _AFFILIATION.sub("", name) if not name.lower().startswith("the ") else name
        cleaned.append(smart_title(bare) if bare.isupper() and len(bare) > 3 else bare)
    return cleaned


def classify_trailer(paragraph: str) -> tuple[str, str | list[str]] | None:
    """('contributors', names) or ('note', text) when `paragraph` is a trailer, else None."""
    files = _WITH_FILES.match(paragraph)
    if files:
        return "contributors", split_names(files.group("names"))
    if len(paragraph) > 400:
        return None
    lowered = lower_like_regex(paragraph)
    has_clause = any(word in lowered for word in _NOTE_CLAUSE_WORDS)
    undashed, stripped = paragraph.strip(" \t–—-"), paragraph.strip()
    for candidate in (undashed, stripped) if undashed != stripped else (stripped,):
        if _NOTE_PATTERNS.match(candidate) or (has_clause and _NOTE_CLAUSES.match(candidate)):
            return "note", stripped
    return None


_AP_TAIL = re.compile(
    r"^(?:follow|find more|more (?:ap|on)|for more|see more|read more|the associated press|"
    r"associated press|ap |contact|this story|online:|on the web|___)|contributed",
    re.IGNORECASE,
)


def _is_ap_tail(paragraph: str) -> bool:
    return len(paragraph) <= 400 and (
        classify_trailer(paragraph) is not None or bool(_AP_TAIL.search(paragraph))
    )


def _looks_like_site_chrome(paragraph: str) -> bool:
    """A short, unpunctuated, capitalised line: a menu or footer link, not a sentence."""
    words = paragraph.split()
    return (
        0 < len(words) <= 5
        and len(paragraph) <= 40
        and not paragraph.endswith((".", "!", "?", "”", '"', ":"))
        and all(
            word[:1].isupper() or word.lower() in ("and", "of", "the", "&", "to") for word in words
        )
    )


def peel_trailers(paragraphs: list[str]) -> tuple[list[str], Trailers]:
    """Remove trailers from the end of the body (and `___` separated AP tails)."""
    found = Trailers()
    body = list(paragraphs)
    collected: list[tuple[str, str | list[str]]] = []
    while body:
        last = body[-1]
        if _SEPARATOR.match(last):
            body.pop()
            continue
        kind = classify_trailer(last)
        if (
            kind is None
            and len(body) > 1
            and _looks_like_site_chrome(last)
            and (classify_trailer(body[-2]) is not None or _looks_like_site_chrome(body[-2]))
        ):
            body.pop()  # a site link below the trailers (`About Us`), not story text
            continue
        if kind is None:
            break
        collected.append(kind)
        body.pop()
    # AP puts a rule (`___`) before its tail of follow-ups and contributor lines; a rule
    # before ordinary paragraphs is only a section break, and the rule itself is never text.
    for index in range(len(body) - 1, max(len(body) - 4, 0) - 1, -1):
        if _SEPARATOR.match(body[index]) and index > 0:
            tail = body[index + 1 :]
            if tail and all(_is_ap_tail(p) for p in tail):
                collected.extend(("note", p) for p in reversed(tail))
                del body[index:]
            break
    # A rule starts with a rule character or a space; testing that first spares the regex call
    # on nearly every paragraph.
    body = [
        paragraph
        for paragraph in body
        if (paragraph[:1] not in _SEPARATOR_CHARS and not paragraph[:1].isspace())
        or not _SEPARATOR.match(paragraph)
    ]
    for kind, value in reversed(collected):
        if kind == "contributors":
            assert isinstance(value, list)
            found.contributors.extend(value)
        else:
            assert isinstance(value, str)
            found.notes.append(value)
            if found.first_published_line is None and _FIRST_PUBLISHED.search(value):
                found.first_published_line = value
    return body, found
