"""Every hand-labelled wire fixture must parse to exactly its expected record.

tests/fixtures/wire/NAME.txt is a story; NAME.json is its record as a careful human labels it
(docs/format.md), without `path` (filled in here) and `warnings` (free-form, not compared).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from termnews.parsing import parse_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "wire"
#: Fixtures the parser is known to get wrong, with why. strict=True: a fix must remove the entry.
KNOWN_LIMITATIONS = {
    "blind_local_no_dateline_deck_weekday_sitedate": (
        "a deck with no dateline after it reads exactly like a short first paragraph"
    ),
    "blind_local_special_to_star_deck_no_dateline": (
        "a deck with no dateline after it reads exactly like a short first paragraph"
    ),
}
CASES = [
    pytest.param(
        path,
        id=path.stem,
        marks=[pytest.mark.xfail(reason=KNOWN_LIMITATIONS[path.stem], strict=True)]
        if path.stem in KNOWN_LIMITATIONS
        else [],
    )
    for path in sorted(FIXTURES.glob("*.txt"))
    if path.with_suffix(".json").exists()
]


@pytest.mark.parametrize("txt", CASES)
def test_wire_fixture(txt: Path) -> None:
    expected = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    expected["path"] = str(txt)
    # No fixture ends in a source line, so none may gain a URL; the labels predate the field.
    expected.setdefault("url", None)
    got = parse_bytes(txt.read_bytes(), str(txt)).to_dict()
    got.pop("warnings")
    assert got == expected


def test_fixture_set_is_complete() -> None:
    assert len(CASES) >= 36
    assert all(p.with_suffix(".json").exists() for p in FIXTURES.glob("*.txt"))
