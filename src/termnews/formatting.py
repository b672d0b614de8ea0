"""Plain-text renderings of an article's parts, shared by the CLI, the pager and the browser.

They return plain strings (never markup), so every caller decides how to style them, and
`termnews parse`, `termnews show`, `$PAGER`, the clipboard and the article view all say
`By Ana Ruiz and Ben Holt · The Canadian Press` the same way.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, datetime

from termnews.article import Article


def join_names(names: Sequence[str]) -> str:
    """`Ana Ruiz`, `Ana Ruiz and Ben Holt`, `A, B and C`: how a newspaper credits people."""
    names = [n for n in names if n]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def byline_text(authors: Sequence[str], agency: str | None) -> str:
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


def dateline_text(dateline: str | None, published: str | None) -> str:
    """`OTTAWA · Thursday, January 25, 2024`: where and when, as the article view shows it."""
    return " · ".join(part for part in (dateline, long_date(published)) if part)


def row_meta(
    published: str | None, estimated: bool, authors: Sequence[str], dateline: str | None
) -> str:
    """Line two of a result row: `Jan 25, 2024 · Ana Ruiz and Ben Holt · OTTAWA`."""
    parts = [short_date(published, estimated)]
    if authors:
        parts.append(join_names(authors))
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


def article_as_text(article: Article, width: int | None = None) -> str:
    """The whole story as plain text, for `termnews parse`/`show`, `$PAGER` and `y`.

    It follows the article view's order so that what is copied is what was read. With a
    `width` every paragraph is wrapped at word boundaries, as a pager will not do it; without
    one (the clipboard) each paragraph stays one line, for the receiving program to wrap.
    """
    blocks = [article.headline]
    if line := byline_text(article.authors, article.agency):
        blocks.append(line)
    if line := dateline_text(article.dateline, article.published):
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
    if width is not None:
        text_blocks = [
            "\n".join(textwrap.fill(line, width=width) for line in block.split("\n"))
            for block in text_blocks
        ]
    return "\n\n".join(text_blocks) + "\n"


def folded_marker(folded: int) -> str:
    """`+2`: a result row stands for its story and two copies of it that matched too."""
    return f"+{folded}"


def stories_count(total: int, folded_total: int) -> str:
    """`412 stories · 380 after folding copies`, or `412 stories` when nothing was folded."""
    stories = f"{total:,} {'story' if total == 1 else 'stories'}"
    if folded_total == total:
        return stories
    return f"{stories} · {folded_total:,} after folding copies"
