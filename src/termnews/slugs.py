"""Names as safe folder and file names: the one rule both feeds and the engine apply.

A fetched story lands under `feeds/<slug of the feed's name>/`, and `feed:NAME` finds it by
folding what was typed the same way. The rule lives here, apart from `termnews.feeds` (which
imports httpx and friends and is never imported by the engine), so that the folder a story
is written to and the value a query searches for cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata

#: The longest folder or file-name stem `slugify` returns: long enough to read, short enough
#: that a nested path stays far below any file system's limit.
MAX_SLUG = 60
#: What a name with no letters or digits in it (`???`, a headline in another script) becomes.
FALLBACK_SLUG = "untitled"
#: Names Windows refuses for a file whatever the extension; an archive may be synced there.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """`name` as a safe folder or file name: lower-case ASCII letters, digits and dashes.

    Accents are folded (`Île` gives `ile`), everything else becomes one dash, and the result is
    cut at a dash to at most `MAX_SLUG` characters. It is never empty, never holds `..`, `/`,
    NUL or a control character, and slugifying it again changes nothing.
    """
    folded = unicodedata.normalize("NFKD", name.casefold())
    slug = _NOT_SLUG.sub("-", folded.encode("ascii", "ignore").decode("ascii")).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[: MAX_SLUG + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2 :] else slug[:MAX_SLUG]
        slug = slug.strip("-")
    if not slug:
        return FALLBACK_SLUG
    return f"{slug}_" if slug in _RESERVED else slug
