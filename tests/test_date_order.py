"""Date ranges: their stories found by bisecting the date order, listed newest first.

A range alone ranks nothing (every match scores the same), so it is listed as the empty
query is; its set and orders must be those of a plain pass over the date column, with
deleted stories left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.engine import vector
from termnews.engine.query.form import DateRange
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync
from termnews.results import SortOrder

NOW = datetime(2024, 2, 14, 12, 0)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> Iterator[Searcher]:
    root = tmp_path_factory.mktemp("dates")
    archive = root / "archive"
    gen.generate(80, archive, seed=5, words=60)
    sync(archive, root / "index", procs=1)
    for path in sorted(archive.rglob("*.txt"))[::7]:  # leave deleted documents behind
        path.unlink()
    sync(archive, root / "index", procs=1)
    with Searcher(Path(root / "index"), now=lambda: NOW) as opened:
        yield opened


def _plain(searcher: Searcher, start: int | None, end: int | None) -> frozenset[int]:
    docsets = searcher._gen.docsets
    low = -math.inf if start is None else start
    high = math.inf if end is None else end
    inside = {d for d, value in enumerate(docsets.dates()) if low <= value <= high}
    return frozenset(inside - docsets.deleted)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_range_finds_what_a_pass_over_the_dates_finds(searcher: Searcher, data: st.DataObject):
    docsets = searcher._gen.docsets
    dates = docsets.dates()
    bound = st.one_of(st.none(), st.sampled_from(dates), st.integers(min(dates), max(dates)))
    start, end = data.draw(bound), data.draw(bound)
    found = docsets.published_between(DateRange("published", start, end))

    assert found == _plain(searcher, start, end)
    for numpy in (False, True):
        if numpy:
            vector.load()
        for newest in (True, False):
            assert docsets.by_date(found, newest) == docsets._sorted(found, newest)
            assert docsets.by_date(set(found), newest) == docsets._sorted(found, newest)


def test_a_range_alone_is_listed_newest_first(searcher: Searcher) -> None:
    query = "date:[2000-01-01 to 2100-01-01]"
    ranked = searcher.search(query, limit=200, all_copies=True)
    newest = searcher.search(query, sort=SortOrder.NEWEST, limit=200, all_copies=True)

    assert ranked.sort is SortOrder.NEWEST
    assert ranked.total > 20
    assert [hit.path for hit in ranked.hits] == [hit.path for hit in newest.hits]
    published = [hit.published or "" for hit in ranked.hits]
    assert published == sorted(published, reverse=True)
