"""What a tag may be called: a name that reads back unchanged in a query (`tag:NAME`)."""

from __future__ import annotations

import re
import unicodedata

from termnews.errors import TermnewsError

#: Letters and digits of any script, and the joiners people use in tag names.
_TAG = re.compile(r"[^\W_][\w\-./+]*")
MAX_TAG_LENGTH = 64


class TagNameError(TermnewsError):
    """A tag name that could not be searched for as written."""


def normalise_tag(name: str) -> str:
    """`name` as stored and searched: NFKC, case-folded, trimmed.

    Tags are case-insensitive (`Climate` and `climate` are one tag), since the query
    language folds case everywhere else. Spaces, quotes, colons and brackets are refused
    rather than silently changed, because `tag:NAME` could not find them again.
    """
    tag = unicodedata.normalize("NFKC", name).strip().casefold()
    if not tag:
        raise TagNameError("a tag needs a name")
    if len(tag) > MAX_TAG_LENGTH:
        raise TagNameError(f"a tag name is at most {MAX_TAG_LENGTH} characters")
    if not _TAG.fullmatch(tag):
        raise TagNameError(
            f"'{name.strip()}' cannot be a tag: use letters and digits, joined by - _ . / +"
        )
    return tag
