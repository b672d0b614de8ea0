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
from termnews.formatting import byline_text, caption_line, contributors_line, dateline_text
from termnews.results import Span

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
) -> Story:
    """The story as blocks; `spans_for(text)` says where the query matches in a block."""
    return Story(path, article, terms, tuple(story_blocks(article, spans_for)), identity)


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


class StoryUnavailable(TermnewsError):
    """A story could not be read or parsed; the message names its file."""


def build_story(searcher: Searcher, path: str, terms: frozenset[str], identity: str = "") -> Story:
    """Read and lay out the story at `path`, highlighted for `terms` (in a worker thread)."""
    try:
        article = searcher.article(path)
    except (TermnewsError, OSError) as error:
        raise StoryUnavailable(f"Cannot open {path}: {error}") from error
    except Exception as error:  # a story that breaks the parser must not break the app
        raise StoryUnavailable(f"Cannot open {path}: {error!r}") from error
    spans_for = (lambda text: searcher.spans(text, terms)) if terms else None
    return lay_out(path, article, terms, spans_for, identity)
