"""How a copy of a story differs from it, paragraph by paragraph.

Copies share most of their body (that is what makes them copies), so the useful answer is
which paragraphs one agency added, cut or reworded: difflib over whole paragraphs, with a
reworded one told from a cut-and-add by how alike the two are. Every line carries a glyph
(`+` only in the copy, `-` only in this story, `~` changed), so the diff reads the same
without colour. Plain data: nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["added", "removed", "changed", "same"]

#: The glyph before each kind of line.
GLYPHS: dict[str, str] = {"added": "+", "removed": "-", "changed": "~", "same": " "}
#: Two paragraphs at least this alike (difflib's ratio over their words) are one changed
#: paragraph; less alike, one was cut and another added.
CHANGED_FROM = 0.5


@dataclass(frozen=True, slots=True)
class Change:
    """One paragraph of the diff: `text` as the copy has it (as this story has it when
    `removed`), and for a changed one `before`, this story's wording."""

    kind: Kind
    text: str
    before: str = ""
    count: int = 1
    """For `same`: how many paragraphs alike in a row this one stands for."""

    @property
    def glyph(self) -> str:
        return GLYPHS[self.kind]


def _alike(a: str, b: str) -> float:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def paragraph_diff(ours: Sequence[str], theirs: Sequence[str]) -> list[Change]:
    """The changes that turn `ours` (the open story's paragraphs) into `theirs` (a copy's).

    A run of paragraphs both share becomes one `same` entry counting them.
    """
    changes: list[Change] = []
    matcher = SequenceMatcher(None, list(ours), list(theirs), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.append(Change("same", ours[i1], count=i2 - i1))
        elif tag == "delete":
            changes.extend(Change("removed", text) for text in ours[i1:i2])
        elif tag == "insert":
            changes.extend(Change("added", text) for text in theirs[j1:j2])
        else:
            changes.extend(_replaced(ours[i1:i2], theirs[j1:j2]))
    return changes


def _replaced(ours: Sequence[str], theirs: Sequence[str]) -> list[Change]:
    """A block of paragraphs replaced by another: pair them in order while they stay alike."""
    changes: list[Change] = []
    i = j = 0
    while i < len(ours) and j < len(theirs):
        if _alike(ours[i], theirs[j]) >= CHANGED_FROM:
            changes.append(Change("changed", theirs[j], before=ours[i]))
            i, j = i + 1, j + 1
        elif j + 1 < len(theirs) and _alike(ours[i], theirs[j + 1]) >= CHANGED_FROM:
            changes.append(Change("added", theirs[j]))
            j += 1
        else:
            changes.append(Change("removed", ours[i]))
            i += 1
    changes.extend(Change("removed", text) for text in ours[i:])
    changes.extend(Change("added", text) for text in theirs[j:])
    return changes


def summary(changes: Sequence[Change]) -> str:
    """`2 added · 1 removed · 3 changed`, or `the same paragraphs` when nothing differs."""
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in GLYPHS}
    parts = [
        f"{GLYPHS[kind]}{counts[kind]} {kind}"
        for kind in ("added", "removed", "changed")
        if counts[kind]
    ]
    return " · ".join(parts) if parts else "the same paragraphs"
