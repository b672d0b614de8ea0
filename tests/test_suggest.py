"""Did you mean: misspellings people make, over an invented archive, and where answers come from.

The archive is small and made up: coffee stories among corporate, coffin and offer stories
(words within two edits of `coffee` or its stem), a body word close to a reporter's name
(`lending`, `Okafor`), and a town whose name is written with an accent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termnews.engine.schema import text_analyzer
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync

STORIES = {
    "roastery": (
        "Coffee roastery opens on Wharf Street",
        "Lena Okafor",
        "MONTRÉAL",
        "The roastery sells coffee from three growers. Coffee prices rose this spring.",
    ),
    "cafe": (
        "Harbour cafe doubles its coffee order",
        "Lena Okafor",
        "KESTREL BAY",
        "The cafe on the harbour now buys twice the coffee it bought last year.",
    ),
    "beans": (
        "Greenhouse trial grows coffee beans",
        "Ines Varga",
        "MONTRÉAL",
        "A greenhouse near the harbour grows coffee under lamps through the winter.",
    ),
    "lending": (
        "Credit union widens its lending",
        "Tomas Rell",
        "BRANDON FALLS",
        "Lending to small firms rose. The corporate office made an offer to the union.",
    ),
    "coffin": (
        "Museum shows a painted coffin",
        "Marta Quell",
        "KESTREL BAY",
        "The coffin was found in a barn. Corporate donors paid for the display.",
    ),
    "offers": (
        "Ferry line offers winter fares",
        "Tomas Rell",
        "BRANDON FALLS",
        "The ferry offered cheaper fares on winter mornings, and more offers will follow.",
    ),
}


def story_text(headline: str, author: str, dateline: str, body: str) -> str:
    return f"{headline}\n\nBy {author}, Harbor Daily on May 2, 2023.\n\n{dateline} – {body}\n"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    root = tmp_path_factory.mktemp("suggest")
    archive = root / "archive"
    archive.mkdir()
    for name, parts in STORIES.items():
        (archive / f"{name}.txt").write_text(story_text(*parts), encoding="utf-8")
    sync(archive, root / "index", procs=1)
    with Searcher(root / "index") as opened:
        yield opened


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("cofee", "coffee"),  # a letter dropped
        ("coffe", "coffee"),  # ... which is also the stem of `coffee`, yet finds nothing
        ("cofffee", "coffee"),  # a letter doubled
        ("cofefe", "coffee"),  # two letters swapped
        ("ocffee", "coffee"),  # ... the first two
        ("morninsg", "mornings"),  # ... in the ending, which hides the stem `morn`
        ("coffie", "coffee"),  # a letter replaced
        ("Cofee", "Coffee"),  # as it was typed: capitalised
        ("harbuor", "harbour"),
        ("greenhuose", "greenhouse"),
        ("montral", "montréal"),  # the accent as the stories write it
        ("coffee harbuor", "coffee harbour"),  # only the word with no hits changes
        ("okafr", "okafor"),  # a bare word finds authors too
        ("by:okafr", "by:okafor"),
        ('by:"lena okafr"', 'by:"lena okafor"'),
        ("by:vraga", "by:varga"),
        ("in:montral", "in:montréal"),
        ("in:kestrle", "in:kestrel"),
    ],
)
def test_a_misspelling_is_answered_with_the_word_the_archive_holds(
    searcher: Searcher, typed: str, meant: str
) -> None:
    results = searcher.search(typed)

    assert results.total == 0
    assert results.suggestion == meant
    assert results.suggestion_total == searcher.search(meant).total > 0


def test_an_accent_left_out_is_no_misspelling(searcher: Searcher) -> None:
    assert searcher.search("montreal").total == 2 and searcher.search("in:montreal").total == 2
    assert searcher.search("montreal").suggestion is None


def test_a_name_field_is_never_offered_a_body_word(searcher: Searcher) -> None:
    """`lendin` is one edit from the body word `lending`, but no author is called that."""
    assert searcher.search("lendin").suggestion == "lending"
    assert searcher.search("by:lendin").suggestion is None


def test_one_name_field_is_never_offered_another_s_name(searcher: Searcher) -> None:
    """`quel` is one edit from the reporter `Quell`, and no place is called that."""
    assert searcher.search("by:quel").suggestion == "by:quell"
    assert searcher.search("quel").suggestion == "quell"  # a bare word finds authors too
    assert searcher.search("in:quel").suggestion is None


def test_no_suggestion_when_every_word_has_hits(searcher: Searcher) -> None:
    """`coffin roastery` finds nothing together, but neither word is misspelt."""
    results = searcher.search("coffin roastery")

    assert results.total == 0 and results.suggestion is None


def test_no_suggestion_when_the_respelled_query_finds_nothing(searcher: Searcher) -> None:
    assert searcher.search("coffin cofee").suggestion is None  # coffee stories hold no coffin


def test_as_you_type_a_misspelt_word_is_respelled_too(searcher: Searcher) -> None:
    results = searcher.search_as_you_type("harbour cofef")

    assert results.total == 0 and results.suggestion == "harbour coffee"
    assert results.suggestion_total == 2


# -- property: a suggestion only ever comes from the field that was searched --------------

_STEM = text_analyzer()
_NAME_FIELD_WORDS = {"by": "authors", "in": "dateline"}


def _field_values(searcher: Searcher, field: str) -> set[str]:
    return set(searcher._gen.lexicon.terms(field).terms)


def _mutations(word: str) -> st.SearchStrategy[str]:
    letters = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
    spot = st.integers(0, len(word) - 1)
    return st.one_of(
        spot.map(lambda i: word[:i] + word[i + 1 :]),
        spot.map(lambda i: word[:i] + word[i] + word[i:]),
        st.tuples(spot, letters).map(lambda p: word[: p[0]] + p[1] + word[p[0] + 1 :]),
        spot.filter(lambda i: i < len(word) - 1).map(
            lambda i: word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        ),
    )


_SOURCE_WORDS = sorted(
    {w.lower() for parts in STORIES.values() for part in parts for w in re.findall(r"\w{4,}", part)}
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from([None, "by", "in"]),
    word=st.sampled_from(_SOURCE_WORDS).flatmap(_mutations),
)
def test_a_suggestion_never_comes_from_another_field(
    searcher: Searcher, field: str | None, word: str
) -> None:
    typed = f"{field}:{word}" if field else word
    results = searcher.search(typed)
    if results.suggestion is None:
        return
    assert results.suggestion_total == searcher.search(results.suggestion).total > 0
    offered = results.suggestion.split(":")[-1].lower()
    if field:
        assert _fold(offered) in _field_values(searcher, _NAME_FIELD_WORDS[field])
    else:  # a bare word: the words of the fields it searches
        stems = [token.text for token in _STEM(offered)]
        text_terms = _field_values(searcher, "body") | _field_values(searcher, "headline")
        names = _field_values(searcher, "authors") | _field_values(searcher, "dateline")
        assert (stems and stems[0] in text_terms) or _fold(offered) in names


def _fold(word: str) -> str:
    from termnews.engine.lexicon import fold

    return fold(word)


@pytest.fixture(autouse=True)
def _archive_is_there(searcher: Searcher) -> None:
    assert all(Path(h.path).exists() for h in searcher.search("", limit=10).hits)
