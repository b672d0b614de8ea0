"""Typing never empties the list by accident: if a query finds stories, so does every
prefix of it typed on the way (`search_as_you_type`).

The queries are drawn from the stories of a generated archive: one to three neighbouring
words of a body, some with the story's author (`by:`) or dateline (`in:`). Each is checked
at every keystroke, with the completer's budget as shipped and with one so small that most
last words wait (`Results.pending_word`), so both ways of not applying a word are covered.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from whoosh.analysis import STOP_WORDS

from termnews.engine import complete
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync

QUERIES = 200
_WORD = re.compile(r"[^\W\d_]{2,}")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> Iterator[Searcher]:
    root = tmp_path_factory.mktemp("typing")
    gen.generate(300, root / "archive", seed=11, words=150)
    sync(root / "archive", root / "index", procs=1)
    with Searcher(root / "index") as opened:
        yield opened


def drawn_queries(searcher: Searcher, count: int, seed: int) -> list[str]:
    """`count` queries taken from the stories' own words, fields and names."""
    rng = random.Random(seed)
    stories = searcher.search("", limit=0).total
    page = searcher.hits(searcher.search("", limit=0), 0, stories)
    queries: list[str] = []
    while len(queries) < count:
        hit = rng.choice(page)
        words = _WORD.findall(searcher.article(hit.path).body)
        if len(words) < 3:
            continue
        start = rng.randrange(len(words) - 2)
        clause = " ".join(words[start : start + rng.randint(1, 3)])
        kind = rng.random()
        if kind < 0.15 and hit.authors:
            surname = hit.authors[0].split()[-1]
            clause = f"{clause} by:{surname}" if rng.random() < 0.5 else f"by:{surname} {clause}"
        elif kind < 0.3 and hit.dateline:
            place = _WORD.findall(hit.dateline)
            if place:
                clause = f"in:{place[0]} {clause}"
        queries.append(clause)
    return queries


@pytest.mark.parametrize("budget", ["as shipped", "tight"])
def test_no_prefix_of_a_query_with_results_shows_an_empty_list(
    searcher: Searcher, budget: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = QUERIES
    if budget == "tight":
        monkeypatch.setattr(complete, "MAX_COMPLETIONS", 3)
        count = QUERIES // 4  # the same queries' first quarter: held-back words, not coverage
    checked = 0
    for query in drawn_queries(searcher, count, seed=5):
        if not searcher.search(query, limit=0).total:
            continue  # the rule is about queries that find something
        checked += 1
        for end in range(1, len(query) + 1):
            typed = query[:end]
            results = searcher.search_as_you_type(typed, limit=0)
            assert results.total, f"{typed!r} (on the way to {query!r}) shows nothing"
    assert checked > count // 2


def test_a_longer_prefix_never_shows_more_than_a_shorter_one(searcher: Searcher) -> None:
    """Completions are exact or not applied, so each letter can only narrow the list."""
    for query in drawn_queries(searcher, 40, seed=9):
        last = query.split()[-1]
        if ":" in last or len(last) < 4 or last.lower() in STOP_WORDS:
            continue  # a finished stop word is dropped: the list widens again, rightly
        before = query[: len(query) - len(last)]
        totals = [
            searcher.search_as_you_type(before + last[:end], limit=0).total
            for end in range(1, len(last) + 1)
        ]
        assert totals == sorted(totals, reverse=True), (query, totals)


def test_a_word_too_common_to_apply_waits_and_says_so(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(complete, "MAX_COMPLETIONS", 3)
    query = next(q for q in drawn_queries(searcher, 50, seed=3) if " " in q and ":" not in q)
    head, last = query.rsplit(" ", 1)

    results = searcher.search_as_you_type(f"{head} {last[0]}")

    assert results.pending_word == last[0]
    assert results.total == searcher.search(head).total
    assert searcher.search_as_you_type(f"{head} ").pending_word is None


def test_a_prefix_that_begins_no_word_finds_nothing_and_is_not_pending(
    searcher: Searcher,
) -> None:
    results = searcher.search_as_you_type("zqxv")

    assert results.total == 0 and results.pending_word is None


def test_a_phrase_being_typed_searches_its_words_quietly(searcher: Searcher) -> None:
    """Until the closing quote, no "unbalanced quote" notice and never an empty list."""
    phrases = [q for q in drawn_queries(searcher, 60, seed=21) if " " in q and ":" not in q]
    checked = 0
    for words in phrases:
        quoted = f'"{words}"'
        if not searcher.search(quoted, limit=0).total:
            continue
        checked += 1
        for end in range(1, len(quoted)):
            results = searcher.search_as_you_type(quoted[:end], limit=0)
            assert results.notice is None, (quoted[:end], results.notice)
            assert results.total, f"{quoted[:end]!r} (on the way to {quoted!r}) shows nothing"
            assert results.pending_word is not None
        finished = searcher.search_as_you_type(quoted, limit=0)
        assert finished.pending_word is None
        assert finished.total == searcher.search(quoted, limit=0).total
    assert checked >= 5


@pytest.fixture(autouse=True)
def _paths_exist(searcher: Searcher) -> None:
    """The drawn queries read stories back by path: the archive must still be there."""
    hit = searcher.search("", limit=1).hits[0]
    assert Path(hit.path).exists()
