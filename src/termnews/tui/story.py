"""A story made ready to read: the article cut into styled blocks, its matches found.

This is plain data built off the UI thread: finding the query's matches asks the searcher,
which another thread may be busy with, so the browser's story worker builds a `Story` and
the article view only wraps and draws it. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from termnews.article import Article
from termnews.errors import TermnewsError
from termnews.formatting import (
    byline_text,
    caption_line,
    contributors_line,
    dateline_text,
    short_date,
)
from termnews.results import Hit, Span

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher

SpansFor = Callable[[str], list[Span]]

#: The block kinds are the article view's component classes, which style them.
HEADLINE = "article--headline"
BYLINE = "article--byline"
DATELINE = "article--dateline"
MUTED = "article--muted"
BODY = "article--body"
RULE = "article--rule"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-like piece of the story, styled by `kind`."""

    text: str
    kind: str
    spans: tuple[Span, ...] = ()
    space_before: bool = True


@dataclass(frozen=True, slots=True)
class Story:
    """An article laid out as blocks, highlighted for the query words `terms`.

    `path` is the hit's path the story was asked for, which names it in the result list
    (the article's own path may be spelt differently).
    """

    path: str
    article: Article
    terms: frozenset[str]
    blocks: tuple[Block, ...]
    identity: str = ""
    """The hit's content identity: what the reading-state keys mark on this screen."""
    copies: tuple[Hit, ...] = ()
    """The other copies of this story in the index (reprints of its body), oldest first."""

    @property
    def key(self) -> tuple[str, frozenset[str]]:
        """Two stories with the same key look the same on screen."""
        return (self.path, self.terms)


def lay_out(
    path: str,
    article: Article,
    terms: frozenset[str],
    spans_for: SpansFor | None,
    identity: str = "",
    copies: tuple[Hit, ...] = (),
    compare_key: str | None = "C",
) -> Story:
    """The story as blocks; `spans_for(text)` says where the query matches in a block.

    Its `copies` (other stories with the same body) are listed at the end, with the key that
    lists them to compare (`compare_key`, the one in effect; None when it has none)."""
    blocks = [*story_blocks(article, spans_for), *copies_blocks(copies, compare_key)]
    return Story(path, article, terms, tuple(blocks), identity, copies)


def story_blocks(article: Article, spans_for: SpansFor | None) -> list[Block]:
    """Headline, byline, dateline, deck, caption, a rule, the body, then the notes."""

    def spans(text: str) -> tuple[Span, ...]:
        if spans_for is None or not text:
            return ()
        try:
            return tuple(sorted(spans_for(text)))
        except Exception:  # highlighting is a nicety; the story must still show
            return ()

    byline = byline_text(article.authors, article.agency)
    blocks = [Block(article.headline or "(no headline)", HEADLINE, spans(article.headline), False)]
    if byline:
        blocks.append(Block(byline, BYLINE, spans(byline)))
    if line := dateline_text(article.dateline, article.published):
        blocks.append(Block(line, DATELINE, (), space_before=not byline))
    if article.summary:
        blocks.append(Block(article.summary, MUTED, spans(article.summary)))
    if line := caption_line(article):
        blocks.append(Block(line, MUTED, spans(line)))
    blocks.append(Block("", RULE))
    for paragraph in article.paragraphs:
        blocks.append(Block(paragraph, BODY, spans(paragraph)))
    if line := contributors_line(article):
        blocks.append(Block(line, MUTED, spans(line)))
    for note in article.notes:
        blocks.append(Block(note, MUTED, spans(note)))
    return blocks


#: The heading of the story's list of copies (and its count after it).
COPIES_HEADING = "Copies"


def copies_blocks(copies: tuple[Hit, ...], compare_key: str | None = "C") -> list[Block]:
    """`Copies (2)` and a line a copy: source, date and headline; nothing without copies.

    The source is the agency the copy names, else the folder it was filed in (a feed's)."""
    if not copies:
        return []
    heading = f"{COPIES_HEADING} ({len(copies)})"
    if compare_key:
        heading += f" · {compare_key} to compare"
    blocks = [Block("", RULE), Block(heading, BYLINE)]
    for copy in copies:
        blocks.append(Block(copy_line(copy), MUTED, space_before=False))
    return blocks


def copy_source(copy: Hit) -> str:
    """Who filed a copy: its agency, else its folder's name (a feed's), else `unknown`."""
    if copy.agency:
        return copy.agency
    folder = copy.path.replace("\\", "/").rsplit("/", 2)
    return folder[-2] if len(folder) >= 2 and folder[-2] else "unknown source"


def copy_line(copy: Hit) -> str:
    """`The Coastal Wire · Nov 14, 2023 · Ferry adds winter sailings`."""
    date = short_date(copy.published, copy.date_estimated)
    parts = [copy_source(copy), date, copy.headline or "(no headline)"]
    return " · ".join(part for part in parts if part)


class StoryUnavailable(TermnewsError):
    """A story could not be read or parsed; the message names its file."""


def build_story(
    searcher: Searcher,
    path: str,
    terms: frozenset[str],
    identity: str = "",
    compare_key: str | None = "C",
) -> Story:
    """Read and lay out the story at `path`, highlighted for `terms` (in a worker thread)."""
    try:
        article = searcher.article(path)
    except (TermnewsError, OSError) as error:
        raise StoryUnavailable(f"Cannot open {path}: {error}") from error
    except Exception as error:  # a story that breaks the parser must not break the app
        raise StoryUnavailable(f"Cannot open {path}: {error!r}") from error
    spans_for = (lambda text: searcher.spans(text, terms)) if terms else None
    try:
        copies = tuple(searcher.copies(path))
    except Exception:  # the list of copies is a nicety: the story must still show
        copies = ()
    return lay_out(path, article, terms, spans_for, identity, copies, compare_key)
