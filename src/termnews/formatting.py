"""Plain-text renderings of an article's parts, shared by the CLI and the browser.

Kept in the core so that `termnews parse`, `termnews show` and the article view all say
`By Ana Ruiz and Ben Holt · The Canadian Press` the same way.
"""

from __future__ import annotations

from datetime import date, datetime

from termnews.article import Article


def join_names(names: tuple[str, ...] | list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def byline_text(article: Article) -> str:
    """`By Ana Ruiz and Ben Holt · The Canadian Press`, or just the agency, or ``""``."""
    parts = []
    if article.authors:
        parts.append(f"By {join_names(article.authors)}")
    if article.agency:
        parts.append(article.agency)
    return " · ".join(parts)


def long_date(iso: str | None) -> str:
    """`Thursday, January 25, 2024` (with `, 5:12 PM` when a time is known)."""
    if not iso:
        return ""
    try:
        if "T" in iso:
            moment = datetime.fromisoformat(iso)
            return f"{moment:%A, %B} {moment.day}, {moment.year}, {moment:%I:%M %p}".replace(
                ", 0", ", "
            )
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day:%A, %B} {day.day}, {day.year}"


def short_date(iso: str | None) -> str:
    """`2024-01-25`: the compact form result rows use."""
    return iso[:10] if iso else ""


def dateline_text(article: Article) -> str:
    """`OTTAWA · Thursday, January 25, 2024`; either half may be missing."""
    return " · ".join(part for part in (article.dateline, long_date(article.published)) if part)
