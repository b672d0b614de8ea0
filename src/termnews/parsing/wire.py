"""The wire-story grammar: clean text in, an `Article` out.

The file is read as blocks of lines separated by blank lines. The header (site date line,
headline, byline) is read line by line, because scrapers often drop the blank lines between
them; everything after it is read as paragraphs. The story proper starts at the paragraph that
opens with a dateline; what sits between the byline and that paragraph is deck and caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from termnews.article import Article
from termnews.errors import ParseError
from termnews.parsing.bylines import (
    Byline,
    clean_agency,
    is_bare_agency,
    is_byline,
    looks_like_org,
    parse_byline,
)
from termnews.parsing.captions import (
    find_credit,
    inline_caption,
    may_hold_inline_caption,
    parse_front_matter,
)
from termnews.parsing.datelines import Dateline, match_dateline
from termnews.parsing.dates import find_date, month_day, parse_date_line
from termnews.parsing.source import split_source_line
from termnews.parsing.trailers import (
    classify_trailer,
    is_boilerplate,
    is_link_label,
    is_promo,
    may_hold_promo,
    peel_trailers,
    tail_and_boilerplate,
)

#: A wrapped line is at most this long; longer lines are whole paragraphs of their own.
_WRAP_WIDTH = 100
#: How far into the content the dateline paragraph may sit (deck and caption come first).
_MAX_FRONT_PARAGRAPHS = 3
_MAX_FRONT_CHARS = 700
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")
_CONTACT_LINE = re.compile(
    r"^(?:(?:e-?mail|twitter|x|follow(?: \w+)? on (?:twitter|x))\s*:?\s*)?"
    r"(?:[\w.+-]+@[\w-]+\.[\w.]+|@\w{2,30})(?:\s*[|·/]\s*(?:[\w.+-]+@[\w-]+\.[\w.]+|@\w{2,30}))*$",
    re.IGNORECASE,
)
_BULLETS = ("•", "* ", "- ", "– ", "▪", "◦", "●", "■", "·")
#: A line longer than this that opens with a dateline is the story, not a headline.
_MAX_HEADLINE = 150
_PARAGRAPH_END = (".", "!", "?", ")", "”", '"', "’")
#: A linked headline after a bare `READ MORE:` is at most this long.
_MAX_LINK_TITLE = 160
#: Trailers sit in the last few blocks; only there is a block split line by line.
_TRAILER_BLOCKS = 4
_FIRST_PUBLISHED_BY = re.compile(r"^this (?:report|story|article) by (?P<org>.+?) was ", re.I)


@dataclass(slots=True)
class _Header:
    site_date: str | None = None
    headline: str = ""
    byline: Byline | None = None
    header_date: str | None = None
    rest: list[list[str]] = field(default_factory=list)


def _blocks(text: str) -> list[list[str]]:
    """Blocks of stripped lines; whole-text regexes keep the per-line Python work small."""
    blocks = []
    # A chunk can hold only what the whole text holds: test the text once, not each chunk.
    indented = "\n " in text or "\n\t" in text
    spaced = "  " in text or "\t" in text
    for chunk in _BLANK_LINES.split(text):
        if indented and ("\n " in chunk or "\n\t" in chunk):
            blocks.extend(_split_indented(chunk))
            continue
        if spaced and ("  " in chunk or "\t" in chunk):
            chunk = _SPACES.sub(" ", chunk)
        if "\n" not in chunk:  # a paragraph on one line: the common case
            line = chunk.strip()
            if line:
                blocks.append([line])
            continue
        lines = [line.strip() for line in chunk.split("\n")]
        if lines[0] and lines[-1]:
            blocks.append(lines)
        elif any(lines):
            blocks.append([line for line in lines if line])
    return blocks


def _split_indented(chunk: str) -> list[list[str]]:
    """Old wire copy marks paragraphs by indenting their first line, with no blank lines."""
    raw_lines = [line for line in chunk.split("\n") if line.strip()]
    indents = [len(line) - len(line.lstrip(" \t")) for line in raw_lines]
    base = min(indents, default=0)
    blocks: list[list[str]] = []
    for line, indent in zip(raw_lines, indents, strict=True):
        clean = _SPACES.sub(" ", line).strip()
        if not blocks or (indent >= base + 2 and max(indents) > base):
            blocks.append([clean])
        else:
            blocks[-1].append(clean)
    return blocks


def _hoist_late_byline(blocks: list[list[str]]) -> list[list[str]]:
    """Move a byline that follows the deck up to just below the headline.

    Many sites print headline, deck, then byline; the wire order is headline, byline, deck.
    Reordering once lets the rest of the grammar see one layout.
    """
    first_text = next(
        (
            index
            for index, block in enumerate(blocks[:3])
            if any(not parse_date_line(line) and not is_boilerplate(line) for line in block)
        ),
        None,
    )
    if first_text is None:
        return blocks
    if len(blocks[first_text]) == 1 and _is_section_kicker(
        blocks[first_text][0], _next_line(blocks, first_text, 1)
    ):
        first_text += 1  # the headline is under the section name
    between_chars = 0
    for index in range(first_text + 1, min(first_text + 4, len(blocks))):
        block = blocks[index]
        if is_byline(block[0]):
            if index == first_text + 1:
                return blocks
            return [
                *blocks[: first_text + 1], block, *blocks[first_text + 1 : index],
                *blocks[index + 1 :],
            ]  # fmt: skip
        between_chars += sum(len(line) for line in block)
        if between_chars > _MAX_FRONT_CHARS or match_dateline(block[0]):
            return blocks
    return blocks


def _read_header(blocks: list[list[str]]) -> _Header:
    header = _Header()
    for block_index, block in enumerate(blocks):
        line_index = 0
        while line_index < len(block):
            line = block[line_index]
            line_index += 1
            if is_boilerplate(line):
                continue
            date_iso = parse_date_line(line)
            if not header.headline and header.byline is None:
                if date_iso and header.site_date is None:
                    header.site_date = date_iso
                elif is_byline(line):
                    header.byline = parse_byline(line)
                elif len(line) > _MAX_HEADLINE and match_dateline(line):
                    # The story starts at once: there is no headline.
                    header.rest = [block[line_index - 1 :], *blocks[block_index + 1 :]]
                    return header
                elif _is_section_kicker(line, _next_line(blocks, block_index, line_index)):
                    continue  # `Canada`, `NEWS` above the headline: the site's section
                else:
                    wrapped = _headline_continuation(block, line_index)
                    header.headline = " ".join([line, *wrapped])
                    line_index += len(wrapped)
            elif header.byline is None and is_byline(line):
                header.byline = parse_byline(line)
            elif header.byline is None and is_bare_agency(line):
                header.byline = Byline((), line.rstrip(" ."), None)
            elif header.byline is not None and _CONTACT_LINE.match(line):
                continue  # `jo@paper.ca`, `Twitter: @jo`: how to reach the writer
            elif header.byline is not None and _is_agency_line(line, header.byline):
                # Older AP copy puts `Associated Press Writer` on the line below the names.
                header.byline = replace(header.byline, agency=clean_agency(line))
            elif date_iso:
                # `Posted ...` then `Last Updated ...`: the first is the story's date.
                header.header_date = header.header_date or date_iso
            else:
                header.rest = [block[line_index - 1 :], *blocks[block_index + 1 :]]
                return header
    return header


def _next_line(blocks: list[list[str]], block_index: int, line_index: int) -> str | None:
    """The line after `blocks[block_index][line_index - 1]`, across a blank line."""
    if line_index < len(blocks[block_index]):
        return blocks[block_index][line_index]
    if block_index + 1 < len(blocks):
        return blocks[block_index + 1][0]
    return None


def _is_section_kicker(line: str, following: str | None) -> bool:
    """A one- or two-word section name printed above a longer, unpunctuated headline."""
    return (
        following is not None
        and len(line.split()) <= 2
        and len(line) <= 20
        and not any(ch.isdigit() for ch in line)
        and not line.endswith((*_PARAGRAPH_END, ":"))
        and len(following) > len(line) + 10
        and not following.endswith((".", "!"))
        and not is_byline(following)
        and parse_date_line(following) is None
        and match_dateline(following) is None
    )


def _is_agency_line(line: str, byline: Byline) -> bool:
    return (
        byline.agency is None
        and len(line) <= 60
        and not line.endswith((".", "?", "!", ":", "”"))
        and looks_like_org(line)
        and match_dateline(line) is None
    )


def _headline_continuation(block: list[str], index: int) -> list[str]:
    """Lines that continue a hard-wrapped headline: short runs ending at a byline or date."""
    first = block[index - 1]
    if len(first) < 40 or first.endswith((".", "!", "?", "”", '"')):
        return []
    continuation: list[str] = []
    for line in block[index : index + 3]:
        if is_byline(line) or parse_date_line(line):
            return continuation
        if match_dateline(line) or is_boilerplate(line):
            return []
        continuation.append(line)
    return (
        continuation if index + len(continuation) == len(block) and len(continuation) <= 2 else []
    )


def _paragraphs(blocks: list[list[str]], *, promos: bool = True) -> list[str]:
    """Join hard-wrapped lines, drop boilerplate and (if `promos`) sign-up pitches, cut the tail."""
    paragraphs: list[str] = []
    skip_link = False
    trailer_zone = len(blocks) - _TRAILER_BLOCKS
    for block_index, block in enumerate(blocks):
        if len(block) == 1:
            # Most blocks are one line: the loop below, less what only wrapped lines need.
            line = block[0]
            tail, boilerplate = tail_and_boilerplate(line)
            if tail and paragraphs:
                break
            if skip_link:
                skip_link = False
                if len(line) <= _MAX_LINK_TITLE and not line.endswith((".", "!", "?")):
                    continue
            if boilerplate:
                skip_link = is_link_label(line)
            else:
                paragraphs.append(line)
            continue
        pending: list[str] = []
        cut = False
        split_trailers = block_index >= trailer_zone
        for line in block:
            if pending and _continues(pending, line):
                pending.append(line)  # `share.` wrapped onto a line of its own is story text
                continue
            tail, boilerplate = tail_and_boilerplate(line)
            if tail and paragraphs:
                cut = True
                break
            if skip_link:
                skip_link = False
                if len(line) <= _MAX_LINK_TITLE and not line.endswith((".", "!", "?")):
                    continue  # the headline a bare `READ MORE:` line points at
            if boilerplate:
                skip_link = is_link_label(line)
                continue
            if (
                pending
                and split_trailers
                and pending[-1].endswith(_PARAGRAPH_END)
                and classify_trailer(line) is not None
            ):
                paragraphs.extend(_join(pending))
                pending = []
            pending.append(line)
        if pending:
            paragraphs.extend(_join(pending))
        if cut:
            break
    if promos:
        paragraphs = [p for p in paragraphs if not is_promo(p)]
    return _rejoin_split_sentences(paragraphs)


def _continues(pending: list[str], line: str) -> bool:
    """A lower-case line under an unfinished one is the rest of its sentence, hard-wrapped.

    Site chrome (`Share`, `Comments`) stands on its own; a wrapped `share.` or `comments`
    finishes the line above it, and taking it for chrome would drop it or cut the story.
    """
    return bool(pending) and line[:1].islower() and not pending[-1].endswith(_PARAGRAPH_END)


def _rejoin_split_sentences(paragraphs: list[str]) -> list[str]:
    """Undo blank lines that cut a sentence in two (double-spaced scrapes of wrapped text).

    A real paragraph break never falls between an unfinished sentence and a word in lower
    case, so that pair is one paragraph.
    """
    merged: list[str] = []
    for paragraph in paragraphs:
        if (
            merged
            and paragraph[:1].islower()
            and not merged[-1].endswith((*_PARAGRAPH_END, ":", ";"))
        ):
            merged[-1] = f"{merged[-1]} {paragraph}"
        else:
            merged.append(paragraph)
    return merged


def _join(lines: list[str]) -> list[str]:
    """One paragraph from wrapped lines; long lines and bullet items stay their own paragraphs."""
    if len(lines) == 1:
        return lines
    if any(line.startswith(_BULLETS) for line in lines[1:]):
        items: list[list[str]] = []
        for line in lines:
            if not items or line.startswith(_BULLETS):
                items.append([line])
            else:
                items[-1].append(line)
        return [" ".join(item) for item in items]
    if max(len(line) for line in lines[:-1]) <= _WRAP_WIDTH:
        return [" ".join(lines)]
    return lines


def _find_story_start(paragraphs: list[str]) -> tuple[int, Dateline | None]:
    """Index of the first story paragraph and its dateline (None when the story has none)."""
    credited = [find_credit(p) is not None for p in paragraphs[: _MAX_FRONT_PARAGRAPHS + 1]]
    for index, paragraph in enumerate(paragraphs[: _MAX_FRONT_PARAGRAPHS + 1]):
        if credited[index]:
            continue  # a caption, even one that opens like a dateline
        dateline = match_dateline(paragraph)
        if dateline is not None:
            return index, dateline
        if len(paragraph) > _MAX_FRONT_CHARS:
            break  # too long for a deck: the story has begun, without a dateline
    # No dateline: the front matter runs to the last credited caption near the top.
    start = max(
        (i + 1 for i in range(min(len(credited), _MAX_FRONT_PARAGRAPHS)) if credited[i]), default=0
    )
    return start, None


def _is_note(paragraph: str) -> bool:
    kind = classify_trailer(paragraph)
    return kind is not None and kind[0] == "note"


def _take_inline_captions(
    paragraphs: list[str],
) -> tuple[list[str], list[tuple[str, str]]]:
    """Photo captions the site left between paragraphs: out of the body, kept in order.

    The first paragraph is never one: it is where the story (and its dateline) begins.
    """
    body = paragraphs[:1]
    captions: list[tuple[str, str]] = []
    for paragraph in paragraphs[1:]:
        found = inline_caption(paragraph)
        if found is None:
            body.append(paragraph)
        else:
            captions.append(found)
    return body, captions


def _dateline_date(dateline: Dateline, context_iso: str | None) -> str | None:
    """A dated dateline's date; a yearless one (`Oct 2`) borrows the site date's year."""
    if not dateline.date_text:
        return None
    found = find_date(dateline.date_text, with_time=False)
    if found:
        return found.iso
    parts = month_day(dateline.date_text)
    if not parts or not context_iso:
        return None
    month, day = parts
    year = int(context_iso[:4])
    if month > int(context_iso[5:7]):
        year -= 1  # a December dateline on a story the site dated in January
    found = find_date(f"{year}-{month:02d}-{day:02d}", with_time=False)
    return found.iso if found else None


def parse_text(text: str, path: str, warnings: tuple[str, ...] = ()) -> Article:
    """Parse cleaned article text (see `decode.decode_bytes`) into an Article."""
    notes_warnings = list(warnings)
    text, url = split_source_line(text)  # the fetched story's address, never story text
    header = _read_header(_hoist_late_byline(_blocks(text)))
    paragraphs = _paragraphs(header.rest, promos=may_hold_promo(text))
    start, dateline = _find_story_start(paragraphs)
    # A correction notice printed above the story is a note, not the deck.
    top_notes: list[str] = []
    front_matter: list[str] = []
    for paragraph in paragraphs[:start]:
        (top_notes if _is_note(paragraph) else front_matter).append(paragraph)
    front = parse_front_matter(front_matter)
    body_paragraphs = paragraphs[start:]
    if dateline is not None and body_paragraphs:
        body_paragraphs[0] = body_paragraphs[0][dateline.end :].lstrip()
    body_paragraphs, trailers = peel_trailers(body_paragraphs)
    inline: list[tuple[str, str]] = []
    if may_hold_inline_caption(text):  # most stories have no slash and no `photo` at all
        body_paragraphs, inline = _take_inline_captions(body_paragraphs)
    caption, credit = front.caption, front.credit
    if caption is None and credit is None and inline:
        caption, credit = inline[0]
    if not header.headline and not body_paragraphs:
        raise ParseError("no article text found")

    byline = header.byline
    first_published = None
    if trailers.first_published_line:
        found = find_date(trailers.first_published_line)
        first_published = found.iso if found else None
    published = (
        (byline.published if byline else None)
        or header.header_date
        or first_published
        or (_dateline_date(dateline, header.site_date) if dateline else None)
        or header.site_date
    )
    agency = (byline.agency if byline else None) or (dateline.agency if dateline else None)
    if agency is None and trailers.first_published_line:
        org = _FIRST_PUBLISHED_BY.match(trailers.first_published_line)
        agency = org.group("org") if org else None

    if not header.headline:
        notes_warnings.append("no headline")
    if byline is None:
        notes_warnings.append("no byline")
    if dateline is None:
        notes_warnings.append("no dateline")
    if published is None:
        notes_warnings.append("no date")
    return Article(
        path=path,
        headline=header.headline,
        authors=byline.authors if byline else (),
        agency=agency,
        published=published,
        dateline=(dateline.place or None) if dateline else None,
        summary=front.summary,
        caption=caption,
        photo_credit=credit,
        body="\n\n".join([p for p in body_paragraphs if p]),
        contributors=tuple(trailers.contributors),
        notes=(*top_notes, *trailers.notes),
        site_date=header.site_date,
        url=url,
        warnings=tuple(notes_warnings),
    )
