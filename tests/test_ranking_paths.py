"""Both ways of summing scores (Python, and numpy once loaded) agree with Whoosh, bit for bit.

The corpus is 600 generated stories, so common words and phrases give match sets of hundreds
of stories, with deletions in the index, OR gates, phrases in every default field and
constant-score date clauses.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest

from termnews.engine import ranking, vector
from termnews.engine.query.language import parse
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync

NOW = datetime(2024, 2, 14, 15, 30)
QUERIES = [
    "council",
    "city council",
    '"city council"',
    '"per cent" OR housing',
    '"public health" -vaccine',
    "(climate change) OR wildfire",
    "health date:[2015-01-01 to 2020-12-31]",
    '"first responders" NOT fire',
    "headline:council OR body:budget",
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> Path:
    root = tmp_path_factory.mktemp("ranking")
    archive = root / "archive"
    gen.generate(600, archive, seed=7, words=250)
    sync(archive, root / "index", procs=1)
    for path in sorted(archive.rglob("*.txt"))[::25]:  # leave deleted documents behind
        path.unlink()
    sync(archive, root / "index", procs=1)
    return root / "index"


@pytest.fixture
def searcher(index_dir: Path) -> Iterator[Searcher]:
    with Searcher(index_dir, now=lambda: NOW) as opened:
        yield opened


@pytest.mark.parametrize("vectorised", [False, True], ids=["python", "numpy"])
def test_each_way_ranks_as_whoosh_scores(
    searcher: Searcher, vectorised: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    vector.load()  # as after a phrase, or a pause in the browser

    monkeypatch.setattr(ranking, "VECTORISE_FROM", 0 if vectorised else 10**9)
    assert searcher._gen.searcher.reader().has_deletions()
    for text in QUERIES:
        parsed = parse(searcher._gen.parser, text, searcher._now())
        whoosh = searcher._gen.searcher.search(parsed.query, limit=None).top_n
        expected = sorted(((d, round(s, 9)) for s, d in whoosh), key=lambda x: (-x[1], x[0]))
        results = searcher.search(text, limit=20, all_copies=True)  # ranking, not folding
        got = [
            (d, round(h.score, 9))
            for d, h in zip(results.handle.docnums, results.hits, strict=True)
        ]
        assert results.total == len(expected), text
        assert got == expected[:20], text


def test_the_two_ways_give_the_same_floats(searcher: Searcher) -> None:
    docsets = searcher._gen.docsets
    for text in QUERIES:
        query = parse(searcher._gen.parser, text, searcher._now()).query
        leaves = ranking.additive_leaves(query)
        assert leaves is not None, text
        matches = docsets.matches(query)
        count = searcher._gen.searcher.reader().doc_count_all()
        ways = [
            ranking.top(docsets.postings, leaves, matches, 50, count, docsets.matches, vectorise=v)
            for v in (False, True)
        ]
        assert ways[0] == ways[1], text


def test_document_frequencies_from_the_term_lists_give_whooshs_scores(searcher: Searcher) -> None:
    """Once the term lists are read, a term's idf takes its document frequency from them,
    not from Whoosh's lookups: the scores are the same floats, to the last bit."""
    from termnews.engine.storage.postings import PostingCache

    gen = searcher._gen
    gen.warm_up()
    from_lists = PostingCache(gen.searcher, terms=gen.lexicon)
    through_whoosh = PostingCache(gen.searcher)
    for field in ("headline", "body"):
        for term in gen.lexicon.terms(field).terms[::7]:
            assert gen.lexicon.frequency(field, term) == gen.reader.doc_frequency(field, term)
            got = from_lists.scored(field, term).scores.tobytes()
            assert got == through_whoosh.scored(field, term).scores.tobytes(), term
