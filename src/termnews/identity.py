"""A story's content identity: the key its reading state is kept under.

A path is no key for state a person cannot rebuild: archives are moved, files renamed,
re-saved by another tool with other line endings or trailing spaces. What stays the same is
the story itself, so the identity is a hash of what a reader would call "this story": its
headline, its publication date and the opening words of its body, each normalised so that
layout, case, accents typed as combining marks, and punctuation drift do not count.

The opening words rather than the whole body: re-scraped copies of one story differ in the
tail (a corrected trailer, a dropped "Share this story"), and the parser does not always cut
those away. The opening words still tell two different stories apart even when they share a
headline and a date (two briefs both headlined "Weather").

A story fetched from the web (one with a source line, `Article.url`) has a better key: its
address. A feed that corrects an entry changes its headline or its first words, and the
correction must keep the reader's marks, so such a story's identity is a hash of its
normalised URL alone (`normalised_url`): the same 32 hex digits, from another recipe, that
no story without an address can have.

The value is stable across versions of termnews: it is what state exports carry, so
changing this function orphans every mark. `IDENTITY_VERSION` names the recipe.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

from termnews.article import Article

#: Names the recipe below; a new recipe would need a migration of every state database.
IDENTITY_VERSION = 1
#: How many opening words of the body take part.
OPENING_WORDS = 60
#: Hex digits kept of the SHA-256: 128 bits, far beyond any archive's chance of a collision.
IDENTITY_HEX_DIGITS = 32

_WORD = re.compile(r"\w+")
#: Query parameters that say how a reader arrived, not which story they read.
_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalised_words(text: str) -> list[str]:
    """The words of `text`, compatibility-normalised and case-folded, without punctuation.

    NFKC folds the forms one character takes in different encodings (a precomposed é and e
    plus a combining accent, full-width digits), so a story re-saved by another tool keeps
    its identity; whitespace and punctuation never count.
    """
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


#: Characters of a body normalised to find its opening words: enough for 60 words of most
#: text; a body whose first characters hold fewer words is normalised whole.
_OPENING_CHARS = 1024


def opening_words(body: str) -> list[str]:
    """`normalised_words(body)[:OPENING_WORDS]`, normalising only the body's start.

    A cut through the text can change only the words at the cut (a letter parted from its
    combining accent), so the start serves when it holds two more words than are taken.
    Normalising whole bodies was a fifth of indexing a short story outside its words.
    """
    if len(body) > _OPENING_CHARS:
        words = normalised_words(body[:_OPENING_CHARS])
        if len(words) >= OPENING_WORDS + 2:
            return words[:OPENING_WORDS]
    return normalised_words(body)[:OPENING_WORDS]


def normalised_url(url: str) -> str:
    """`url` with what does not name the story taken away.

    Scheme and host are case-folded and the default port dropped; `http` and `https` count as
    one (a site that moves to https keeps its stories' marks); the fragment goes, and so do
    tracking parameters (`utm_*`, `fbclid`, ...). The path and the remaining query are kept as
    written, in their order: on many sites they are case-sensitive and name the story.

    Applied until nothing changes: taking a piece away can leave another to take (a
    fragment cut off after a trailing space, an empty query piece), and an address must
    name the same story however often it was normalised.
    """
    once = _normalised_once(url)
    again = _normalised_once(once)
    while again != once:
        once, again = again, _normalised_once(again)
    return once


def _normalised_once(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the address as written
        port = None
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    # The query's pieces as written (not decoded and re-encoded), less the tracking ones.
    query = "&".join(piece for piece in parts.query.split("&") if piece and not _is_tracking(piece))
    if scheme == "http":
        scheme = "https"
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _is_tracking(piece: str) -> bool:
    name = piece.split("=", 1)[0].lower()
    return name.startswith("utm_") or name in _TRACKING_PARAMS


def story_identity(article: Article) -> str:
    """The identity of `article`: 32 hex digits, equal for equal stories."""
    if article.url:
        text = f"url-v{IDENTITY_VERSION}\x1f{normalised_url(article.url)}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:IDENTITY_HEX_DIGITS]
    headline = " ".join(normalised_words(article.headline or ""))
    published = (article.published or "")[:10]  # the day: a re-scrape may add or drop the time
    opening = " ".join(opening_words(article.body or ""))
    text = "\x1f".join((f"v{IDENTITY_VERSION}", headline, published, opening))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:IDENTITY_HEX_DIGITS]
