"""Plain-text presentation helpers shared by the widgets, the pager and the clipboard.

They return plain strings (never markup), so every caller decides how to style them, and the
pager and `y` produce exactly the words the screen shows. Nothing here imports Textual, which
keeps these rules testable without an app.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from rich.cells import get_character_cell_size

from termnews.article import Article


def join_names(names: Sequence[str]) -> str:
    """`Ana Ruiz`, `Ana Ruiz and Ben Holt`, `A, B and C`: how a newspaper credits people."""
    names = [n for n in names if n]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def byline(authors: Sequence[str], agency: str | None) -> str:
    """`By Ana Ruiz and Ben Holt · The Canadian Press`; either half may be missing."""
    parts = []
    if authors:
        parts.append(f"By {join_names(authors)}")
    if agency:
        parts.append(agency)
    return " · ".join(parts)


def parse_iso(value: str | None) -> date | datetime | None:
    """An ISO date or date-time from the index, or None when it is missing or malformed.

    A bad value must never crash a render, so this swallows the error instead of raising.
    """
    if not value:
        return None
    try:
        if "T" in value or " " in value.strip():
            return datetime.fromisoformat(value)
        return date.fromisoformat(value)
    except ValueError:
        return None


def long_date(value: str | None) -> str:
    """`Thursday, January 25, 2024`, plus `5:12 PM` when the story gives a time."""
    parsed = parse_iso(value)
    if parsed is None:
        return ""
    day = parsed.date() if isinstance(parsed, datetime) else parsed
    text = f"{day:%A}, {day:%B} {day.day}, {day.year}"
    if isinstance(parsed, datetime) and (parsed.hour or parsed.minute):
        hour = parsed.hour % 12 or 12
        text += f", {hour}:{parsed.minute:02d} {'AM' if parsed.hour < 12 else 'PM'}"
    return text


def short_date(value: str | None, estimated: bool = False) -> str:
    """`Jan 25, 2024` for a result row; `~` marks a date guessed from the file's mtime."""
    parsed = parse_iso(value)
    if parsed is None:
        return "undated"
    day = parsed.date() if isinstance(parsed, datetime) else parsed
    return f"{'~' if estimated else ''}{day:%b} {day.day}, {day.year}"


def dateline_line(dateline: str | None, published: str | None) -> str:
    """`OTTAWA · Thursday, January 25, 2024`: where and when, as the article view shows it."""
    return " · ".join(part for part in (dateline, long_date(published)) if part)


def row_meta(
    published: str | None, estimated: bool, authors: Sequence[str], dateline: str | None
) -> str:
    """Line two of a result row: `Jan 25, 2024 · Ana Ruiz, Ben Holt · OTTAWA`."""
    parts = [short_date(published, estimated)]
    if authors:
        parts.append(", ".join(authors))
    if dateline:
        parts.append(dateline)
    return " · ".join(parts)


def caption_line(article: Article) -> str:
    """The photo caption followed by its credit, the way print puts them together."""
    caption = article.caption or ""
    credit = article.photo_credit or ""
    if caption and credit:
        return f"{caption} ({credit})"
    return caption or (f"Photo: {credit}" if credit else "")


def contributors_line(article: Article) -> str:
    """`With files from Sam Lee and Ines Roy`, or empty."""
    if not article.contributors:
        return ""
    return f"With files from {join_names(article.contributors)}"


def article_as_text(article: Article) -> str:
    """The whole story as plain text, for `$PAGER` and the clipboard (`y`).

    It follows the article view's order so that what is copied is what was read.
    """
    blocks = [article.headline]
    if line := byline(article.authors, article.agency):
        blocks.append(line)
    if line := dateline_line(article.dateline, article.published):
        blocks.append(line)
    text_blocks = ["\n".join(blocks)]
    if article.summary:
        text_blocks.append(article.summary)
    if line := caption_line(article):
        text_blocks.append(line)
    text_blocks.extend(article.paragraphs)
    if line := contributors_line(article):
        text_blocks.append(line)
    text_blocks.extend(article.notes)
    return "\n\n".join(text_blocks) + "\n"


def wrap_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap that returns each line as a `[start, end)` range into `text`.

    Ranges rather than strings let the article view slice one styled `Content` per line and
    know exactly which line a highlighted match falls on, for `n`/`N`. Words longer than the
    width are split; explicit newlines end a line. Widths are terminal cells, not characters.
    """
    width = max(1, width)
    ranges: list[tuple[int, int]] = []
    length = len(text)
    pos = 0
    while pos < length:
        if ranges:
            while pos < length and text[pos] == " ":
                pos += 1
            if pos >= length:
                break
        start = pos
        cells = 0
        last_space = -1
        index = pos
        while index < length:
            char = text[index]
            if char == "\n":
                break
            size = get_character_cell_size(char)
            if cells + size > width:
                break
            if char == " ":
                last_space = index
            cells += size
            index += 1
        if index >= length or text[index] == "\n":
            ranges.append((start, index))
            pos = index + 1
            continue
        if text[index] == " ":
            end = index
        elif last_space > start:
            end = last_space
        else:
            end = max(index, start + 1)
        ranges.append((start, end))
        pos = end
    return ranges or [(0, 0)]


def squash_whitespace(text: str, spans: Sequence[tuple[int, int]] = ()) -> tuple[str, list]:
    """Collapse runs of whitespace (newlines included) to one space, remapping spans.

    A snippet must fit one row, and its highlight offsets must still point at the same words
    after the squeeze, so this keeps a map from old offsets to new ones.
    """
    out: list[str] = []
    mapping: list[int] = []
    previous_space = True
    for char in text:
        mapping.append(len(out))
        if char.isspace():
            if not previous_space:
                out.append(" ")
            previous_space = True
        else:
            out.append(char)
            previous_space = False
    mapping.append(len(out))
    squashed = "".join(out)
    stripped = squashed.rstrip()
    new_spans = []
    for start, end in spans:
        if 0 <= start < end <= len(text):
            new_start, new_end = mapping[start], min(mapping[end], len(stripped))
            if new_start < new_end:
                new_spans.append((new_start, new_end))
    return stripped, new_spans
