"""The fused analyzer gives exactly the words, positions and offsets Whoosh's chain gives."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.formats import tokens

from termnews.engine.schema import name_analyzer, text_analyzer
from termnews.engine.storage import fused as fused_module
from termnews.engine.storage.fused import fused, word_occurrences

PIECES = [
    "The",
    "harbour",
    "HARBOURS",
    "Montréal",
    "MONTRÉAL",
    "naïve",
    "Œuvre",
    "ß",
    "a",
    "I",
    "of",
    "to",
    "3.14",
    "U.S.",
    "e-mail",
    "under_score",
    "x*y",
    "wild*",
    "—",
    ",",
    ".",
    "(AP)",
    "İstanbul",
    "ﬁnance",
    "running",
    "ran",
    "2024-01-25",
    "don't",
    "\n",
    "  ",
    "\t",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map(" ".join)


#: ASCII only (the fast path): dots that join words and dots that do not, stars, underscores.
ASCII_PIECES = ["a.b", "a..b", ".x", "x.", "U.S.", "*", "x*y", "_", "3.14", "..", "a.b.c", "-"]
ascii_texts = st.lists(
    st.one_of(
        st.sampled_from(ASCII_PIECES + [p for p in PIECES if p.isascii()]),
        st.text(alphabet=[chr(c) for c in range(128)], max_size=6),
    ),
    max_size=40,
).map(lambda parts: "".join(parts) if len(parts) % 2 else " ".join(parts))


def whoosh_occurrences(analyzer: Any, text: str, *, chars: bool) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    options = {"positions": True, "chars": chars, "boosts": True, "mode": "index"}
    for token in tokens(text, analyzer, options):
        occurrence = [token.pos, token.startchar, token.endchar] if chars else [token.pos]
        found.setdefault(token.text, []).extend(occurrence)
    return found


@pytest.mark.parametrize("make", [text_analyzer, name_analyzer])
@pytest.mark.parametrize("chars", [False, True])
@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_fused_chain_matches_whoosh(make: Any, chars: bool, text: str) -> None:
    analyzer = make()
    plan = fused(analyzer)
    assert plan is not None
    ours = dict(word_occurrences(plan, text, chars=chars))
    assert ours == whoosh_occurrences(analyzer, text, chars=chars)
    assert list(ours) == list(whoosh_occurrences(analyzer, text, chars=chars))  # same order


def test_words_are_remembered_but_the_memory_stays_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(fused_module, "WORD_MEMORY", 3)
    plan = fused(text_analyzer())
    assert plan is not None
    text = "harbour ferries council votes snowfall ploughs"
    assert dict(word_occurrences(plan, text, chars=False)) == whoosh_occurrences(
        text_analyzer(), text, chars=False
    )
    assert len(plan._memory) <= 3


@pytest.mark.parametrize(
    "analyzer",
    [
        RegexTokenizer(gaps=True) | LowercaseFilter(),
        RegexTokenizer() | StopFilter(renumber=True),
        RegexTokenizer() | StemFilter(lang="en"),
        RegexTokenizer(),  # a bare tokenizer is not a chain Whoosh composes
    ],
)
def test_chains_that_depend_on_more_than_the_word_are_left_to_whoosh(analyzer: Any) -> None:
    assert fused(analyzer) is None


@pytest.mark.parametrize("make", [text_analyzer, name_analyzer])
@settings(max_examples=300, deadline=None)
@given(text=ascii_texts)
def test_ascii_text_gets_whooshs_words_and_offsets(make: Any, text: str) -> None:
    """ASCII text takes the whole-array path; words glued together and dots at every place
    check where it cuts words."""
    analyzer = make()
    assert fused(analyzer)._whole_array_cut is not None  # the schema's tokenizer takes that path
    ours = word_occurrences(fused(analyzer), text, chars=True)
    theirs = whoosh_occurrences(analyzer, text, chars=True)
    assert ours == theirs and list(ours) == list(theirs)


unicode_texts = st.lists(
    st.one_of(st.sampled_from(ASCII_PIECES + PIECES), st.text(max_size=8)), max_size=30
).map(lambda parts: "".join(parts) if len(parts) % 2 else " ".join(parts))


@pytest.mark.parametrize("make", [text_analyzer, name_analyzer])
@settings(max_examples=300, deadline=None)
@given(text=unicode_texts)
def test_any_text_gets_whooshs_words_and_offsets(make: Any, text: str) -> None:
    """Accents, letters of every script, digits of other systems, marks, symbols, astral
    characters and lone surrogates: the whole-array cut or, where it stands aside, the
    regex, always gives Whoosh's words and offsets."""
    analyzer = make()
    ours = word_occurrences(fused(analyzer), text, chars=True)
    theirs = whoosh_occurrences(analyzer, text, chars=True)
    assert ours == theirs and list(ours) == list(theirs)


def occurrences_by_text(rows: Any, *, chars: bool) -> list[dict[str, list[int]]]:
    """The rows of a batch turned back into each text's word -> flat occurrences."""
    found: list[dict[str, list[int]]] = [{} for _ in range(rows.texts)]
    columns = [rows.word, rows.text, rows.position] + ([rows.start, rows.end] if chars else [])
    for word, text, *occurrence in zip(*(column.tolist() for column in columns), strict=True):
        found[text].setdefault(rows.words[word], []).extend(occurrence)
    return found


@pytest.mark.parametrize("make", [text_analyzer, name_analyzer])
@pytest.mark.parametrize("chars", [False, True])
@settings(max_examples=150, deadline=None)
@given(batch=st.lists(st.one_of(unicode_texts, ascii_texts), max_size=8))
def test_a_batch_of_texts_gets_each_texts_words_and_offsets(
    make: Any, chars: bool, batch: list[str]
) -> None:
    """Texts cut together (joined, or one by one where one has astral characters) give
    every text the words, positions and offsets Whoosh gives it alone."""
    analyzer = make()
    plan = fused(analyzer)
    rows = plan.rows(batch, chars=chars)
    assert rows.texts == len(batch)
    assert (rows.start is not None) == chars
    assert rows.words == sorted(set(rows.words), key=rows.words.index)  # each word once
    assert occurrences_by_text(rows, chars=chars) == [
        whoosh_occurrences(analyzer, text, chars=chars) for text in batch
    ]


def test_a_batchs_numbered_words_stay_bounded_and_right(monkeypatch: Any) -> None:
    monkeypatch.setattr(fused_module, "WORD_MEMORY", 3)
    analyzer = text_analyzer()
    plan = fused(analyzer)
    batch = ["harbour ferries council", "votes snowfall ploughs", "harbour votes the"]
    for _ in range(3):
        rows = plan.rows(batch, chars=True)
        assert occurrences_by_text(rows, chars=True) == [
            whoosh_occurrences(analyzer, text, chars=True) for text in batch
        ]
    assert len(plan._numbers) <= len(set(" ".join(batch).split()))
