"""The Whoosh schema, its version, and the mapping from an Article to an index document.

Kept apart from the sync machinery so that the worker processes of a bulk build and the
searcher agree on one definition, and so that bumping `SCHEMA_VERSION` is the one act that
makes every existing index rebuild itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from termnews.article import Article
from termnews.engine.storage.codec import PackedCharacters, PackedPositions
from termnews.identity import story_identity

#: Bump whenever the schema or an analyzer changes: old indexes then rebuild on the next sync.
SCHEMA_VERSION = 9

#: Fields a bare word searches. Captions and summaries are searchable by name only: they are
#: not body text (docs/format.md), and they would dilute the body's BM25 statistics.
DEFAULT_FIELDS: tuple[str, ...] = ("headline", "body", "dateline", "authors")

#: Separates several authors inside the one stored `authors` string (never in a name).
AUTHOR_SEPARATOR = "\n"

#: The field `feed:NAME` searches: the folder a fetched story was written to, `feeds/<slug>/`.
FEED_FIELD = "feed"
#: The archive folder `termnews fetch` writes under (`feeds.stories.story_relpath`).
FEEDS_FOLDER = "feeds"


def text_analyzer() -> Analyzer:
    """Words, lowercased, accent-folded, stop words dropped *without* renumbering, stemmed.

    Folding makes `montreal` find `MONTRÉAL`. Keeping the positions of dropped stop words
    (`renumber=False`) is what lets the query side demand the exact gap in `"x the y"`, which
    StemmingAnalyzer's renumbering would blur into `x y`.
    """
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(renumber=False)
        | StemFilter(cachesize=100_000)
    )


class ColumnID(ID):
    """An ID kept as a column (and stored, if asked) but left out of the inverted index.

    For values read only by docnum, never looked up: each one unique to its story, they
    would be a term and a posting list per story, a sixth of the terms a build writes.
    """

    indexed = False


class CoarseDATETIME(DATETIME):
    """A DATETIME indexed at two precisions instead of Whoosh's eight.

    Date ranges are answered from the `published` column (`DocSets.published_between`);
    the terms serve only Whoosh's own range queries, which stay right with fewer tiers (a
    range then reads more terms). Each tier was a term a story, most of them unique.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shift_step = 32


def name_analyzer() -> Analyzer:
    """Names and places: folded but neither stemmed nor stop-filtered (`in:the pas`)."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def build_schema() -> Schema:
    """The one schema. Few stored fields, because every stored field costs at open time.

    - `body` records character offsets (`chars=True`) so snippets need no re-analysis, and
      suggestions and typeahead read its term list (no spelling field: it slows builds ~45%).
    - `path` and `sig` are sortable so that sync reads them as columns, not stored documents;
      `path` alone is indexed, for deleting a story by its path.
    - `sid` is the story's content identity (`termnews.identity`), the key of its reading
      state: stored for result rows, and a column so state filters map it to docnums in bulk.
      Neither `sig` nor `sid` is ever looked up as a term, so neither is indexed.
    - Text fields store positions packed (`engine.storage.codec`), which phrases decode in bulk.
    - `published` falls back to the file's mtime (`est` marks it) so every story sorts.
    - `feed` is the folder slug of a fetched story's feed (`feed_of`), for `feed:NAME`: one
      ID term per story, neither stored nor scored (the query language makes it a filter).
    """
    text = text_analyzer()
    names = name_analyzer()
    schema = Schema(
        path=ID(unique=True, stored=True, sortable=True),
        sig=ColumnID(sortable=True),
        sid=ColumnID(stored=True, sortable=True),
        feed=ID(),
        headline=TEXT(analyzer=text, stored=True, field_boost=2.0),
        body=TEXT(analyzer=text, stored=True, chars=True),
        caption=TEXT(analyzer=text),
        authors=TEXT(analyzer=names, stored=True),
        agency=TEXT(analyzer=names, stored=True),
        dateline=TEXT(analyzer=names, stored=True),
        published=CoarseDATETIME(sortable=True),
        pub=STORED(),
        est=STORED(),
    )
    for _name, field in schema.items():
        if isinstance(field, TEXT):
            packed = PackedCharacters if field.format.supports("characters") else PackedPositions
            field.format = packed(field_boost=field.format.field_boost)
    return schema


def feed_of(rel_path: str) -> str | None:
    """The feed a story was fetched from, as its folder names it: `feeds/<slug>/…` -> slug.

    The folder is the feed's name made safe (`termnews.slugs.slugify`), so `feed:NAME`
    folds what is typed the same way. A story elsewhere in the archive has no feed.
    """
    parts = rel_path.split("/")
    if len(parts) >= 3 and parts[0] == FEEDS_FOLDER and parts[1]:
        return parts[1]
    return None


def signature_text(mtime_ns: int, size: int) -> str:
    """The file signature as the index stores it; equal text means an unchanged file."""
    return f"{mtime_ns}:{size}"


def published_of(article: Article, mtime_ns: int) -> tuple[datetime, str, bool]:
    """The date to sort by, its ISO text, and whether it was estimated from the mtime.

    Articles without a date (or with one we cannot read back) still need a place in a
    newest-first list, so the file's mtime stands in and is marked as an estimate.
    """
    if article.published:
        try:
            when = datetime.fromisoformat(article.published)
        except ValueError:
            pass
        else:
            return when.replace(tzinfo=None), article.published, False
    when = datetime.fromtimestamp(mtime_ns / 1e9).replace(microsecond=0)
    return when, when.isoformat(), True


def document(rel_path: str, article: Article, mtime_ns: int, size: int) -> dict[str, Any]:
    """The keyword arguments for `writer.add_document` for one parsed story."""
    when, iso, estimated = published_of(article, mtime_ns)
    doc: dict[str, Any] = {
        "path": rel_path,
        "sig": signature_text(mtime_ns, size),
        "sid": story_identity(article),
        "headline": article.headline or "",
        "body": article.body or "",
        "published": when,
        "pub": iso,
        "est": estimated,
    }
    caption = " ".join(part for part in (article.summary, article.caption) if part)
    if caption:
        doc["caption"] = caption
    if article.authors:
        doc["authors"] = AUTHOR_SEPARATOR.join(article.authors)
    if article.agency:
        doc["agency"] = article.agency
    if article.dateline:
        doc["dateline"] = article.dateline
    feed = feed_of(rel_path)
    if feed:
        doc[FEED_FIELD] = feed
    return doc
