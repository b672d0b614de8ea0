"""Deck and photo caption: the paragraph sites paste between the byline and the story.

A caption ends in a photo credit (`THE CANADIAN PRESS/Lee Park`, `(AP Photo/Jo Lee, File)`,
`(Photo: Jo Lee)`). When the site glued the deck in front of the caption, the caption is taken
to start at the last sentence that dates the photo (`..., Tuesday, Feb. 6, 2024.`), which is
how wire captions are written; the sentences before it are the deck.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from termnews.parsing.folding import lower_like_regex

_UP = "A-ZÀ-ÖØ-Þ"
_CREDIT = re.compile(
    r"(?:^|(?<=[.!?”\"’)])\s+|\s+(?=\())"
    r"(?P<credit>"
    rf"\(\s*(?:[^()]{{0,60}}/[^()]{{1,80}}|(?i:photo|photograph|file photo|image|submitted|"
    rf"courtesy)\b[^()]{{0,80}})\)"  # (AP Photo/Jo Lee, File) | (Photo: Jo Lee)
    # THE CANADIAN PRESS/Lee Park | REUTERS/Jo Lee/File Photo
    rf"|[{_UP}][{_UP}0-9.&' -]{{1,40}}(?:/[{_UP}][{_UP}.&' -]{{0,20}})?"
    r"/\s?[^/\s][^/]{0,60}(?:/[^/]{1,30})?"
    r"|(?:AP|CP|AFP|Reuters|Getty Images|Bloomberg)(?i: Photo)?/[^/]{1,60}(?:/[^/]{1,30})?"
    r"|(?i:Photo|Photograph|File photo|Image)(?: by|:| courtesy(?: of)?) [^.]{1,80}\.?"
    r"|[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}"
    r"/(?:Getty Images|AFP|Reuters|AP|Bloomberg|The Canadian Press)"
    r")\s*$"
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "mt",
        "ft",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "ont",
        "que",
        "man",
        "sask",
        "alta",
        "b.c",
        "n.s",
        "n.b",
        "n.l",
        "p.e.i",
        "vt",
        "mass",
        "calif",
        "fla",
        "ill",
        "pa",
        "n.y",
        "n.j",
        "wash",
        "ore",
        "tex",
        "ariz",
        "colo",
        "conn",
        "ga",
        "ky",
        "la",
        "md",
        "mich",
        "minn",
        "miss",
        "mo",
        "mont",
        "neb",
        "nev",
        "okla",
        "tenn",
        "va",
        "wis",
        "wyo",
        "d.c",
        "u.s",
        "u.k",
        "inc",
        "ltd",
        "corp",
        "co",
    ]
)
#: What marks the sentence a caption starts with: a `FILE -` slug, a photo phrase, or the
#: full date the photo was taken (`..., Tuesday, Feb. 6, 2024.`, `on Feb. 10, 2023.`).
_FILE_SLUG = re.compile(r"^(?:FILE|File)\s*[-–—]")
_PHOTO_SENTENCE = re.compile(
    r"\b(?:file photo|in this (?:file )?(?:photo|image)|shown|pictured|poses?|posed)\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April"
    r"|June|July|August|September|October|November|December)\.?\s+\d{1,2},?\s+\d{4}"
    r"|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}"
)


@dataclass(frozen=True, slots=True)
class CaptionParts:
    summary: str | None
    caption: str | None
    credit: str | None


#: A credit without a slash is `(Photo: ...)`, `Photo by ...`, `(Submitted ...)` or
#: `(Courtesy ...)`: it names one of these words, so a paragraph with neither a slash nor any of
#: them holds no credit, and the costly `_CREDIT` scan is skipped for it.
_SLASHLESS_CREDIT_WORDS = ("photo", "image", "submitted", "courtesy")


def find_credit(paragraph: str) -> tuple[str, str] | None:
    """(text before the credit, credit) when the paragraph ends in a photo credit."""
    if "/" not in paragraph:
        lowered = lower_like_regex(paragraph)
        if not any(word in lowered for word in _SLASHLESS_CREDIT_WORDS):
            return None
    match = _CREDIT.search(paragraph)
    if not match:
        return None
    credit = match.group("credit").strip()
    before = paragraph[: match.start()].rstrip()
    if "/" not in credit and not re.match(
        r"\(?\s*(?:photo|file|image|submitted|courtesy)", credit, re.I
    ):
        return None
    if not before and len(credit) > 80:
        return None
    return before, credit.strip("()").strip() if credit.startswith("(") else credit


#: A mid-story caption must credit a photo, not merely cite a source (`(Reuters/Ipsos)`).
_PHOTO_CREDIT = re.compile(
    r"photo|canadian press|press/|reuters/|getty|afp/|handout|/file|\bap\b|\bcp\b",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d{4}\b|\bin a \d{4} (?:file )?photo\b"
)
_MAX_INLINE_CAPTION = 400


def may_hold_inline_caption(text: str) -> bool:
    """False when no paragraph drawn from `text` can be an inline caption.

    `inline_caption` needs a slash or `hoto` near a paragraph's end. Neither has a space, so a
    paragraph cut from a text that has neither has none either: one test per story.
    """
    return "/" in text or "hoto" in text


def inline_caption(paragraph: str) -> tuple[str, str] | None:
    """(caption, credit) for a photo caption that a site left between story paragraphs."""
    tail = paragraph[-90:]
    if len(paragraph) > _MAX_INLINE_CAPTION or ("/" not in tail and "hoto" not in tail):
        return None  # cheap test first: almost every paragraph is story text
    found = find_credit(paragraph)
    if found is None:
        return None
    before, credit = found
    if not before or not _PHOTO_CREDIT.search(credit):
        return None
    dated = _PHOTO_SENTENCE.search(before) or _MONTH_YEAR.search(before)
    if not dated and not _FILE_SLUG.match(before):
        return None
    return before, credit


def split_sentences(text: str) -> list[str]:
    """Sentences, without breaking after `Jan.`, `Mr.`, `Vt.` or initials."""
    pieces = _SENTENCE_BREAK.split(text)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    words = sentence.rstrip().split()
    if not words:
        return False
    last = words[-1].rstrip(".").lower().lstrip('(“"')
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def split_caption(text: str) -> tuple[str | None, str | None]:
    """(deck, caption) from the text that preceded a credit."""
    sentences = split_sentences(text)
    if len(sentences) <= 1:
        return None, text or None
    slugged = [i for i, sentence in enumerate(sentences) if _FILE_SLUG.match(sentence)]
    dated = [i for i, sentence in enumerate(sentences) if _PHOTO_SENTENCE.search(sentence)]
    start = slugged[-1] if slugged else (dated[-1] if dated else None)
    if start is None:
        return None, text
    deck = " ".join(sentences[:start]).strip() or None
    caption = " ".join(sentences[start:]).strip() or None
    return deck, caption


def parse_front_matter(paragraphs: list[str]) -> CaptionParts:
    """Deck, caption and credit from the paragraphs between the byline and the story."""
    decks: list[str] = []
    captions: list[str] = []
    credits: list[str] = []
    for paragraph in paragraphs:
        credited = find_credit(paragraph)
        if credited is None:
            decks.append(paragraph)
            continue
        before, credit = credited
        credits.append(credit)
        deck, caption = split_caption(before)
        if deck:
            decks.append(deck)
        if caption:
            captions.append(caption)
    return CaptionParts(
        " ".join(decks) or None, " ".join(captions) or None, "; ".join(credits) or None
    )
