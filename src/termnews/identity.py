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

The value is stable across versions of termnews: it is what state exports carry, so
changing this function orphans every mark. `IDENTITY_VERSION` names the recipe.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from termnews.article import Article

#: Names the recipe below; a new recipe would need a migration of every state database.
IDENTITY_VERSION = 1
#: How many opening words of the body take part.
OPENING_WORDS = 60
#: Hex digits kept of the SHA-256: 128 bits, far beyond any archive's chance of a collision.
IDENTITY_HEX_DIGITS = 32

_WORD = re.compile(r"\w+")


def normalised_words(text: str) -> list[str]:
    """The words of `text`, compatibility-normalised and case-folded, without punctuation.

    NFKC folds the forms one character takes in different encodings (a precomposed é and e
    plus a combining accent, full-width digits), so a story re-saved by another tool keeps
    its identity; whitespace and punctuation never count.
    """
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def story_identity(article: Article) -> str:
    """The identity of `article`: 32 hex digits, equal for equal stories."""
    headline = " ".join(normalised_words(article.headline or ""))
    published = (article.published or "")[:10]  # the day: a re-scrape may add or drop the time
    opening = " ".join(normalised_words(article.body or "")[:OPENING_WORDS])
    text = "\x1f".join((f"v{IDENTITY_VERSION}", headline, published, opening))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:IDENTITY_HEX_DIGITS]
