"""A `date:` clause alone: its own parse and its own path through the engine.

Browsing a period (`date:[2024-01-02 to 2024-01-09]`) skips the general parse (`parse`
reads the clause straight) and the set algebra (the range is a run of the date order,
`DocSets.in_date_order`). Both must answer exactly what the general paths answer: the
parse what the general parse makes of the text, the search what the same range searched
with a word no story holds left out (`-zqxjv`, which takes the general path) finds, row
for row, page by page, folded or not, with the same totals, identities, timeline and facets.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folding_support import every_row, install
from termnews.engine.query import language
from termnews.engine.query.form import DateRange
from termnews.engine.query.language import make_parser, parse
from termnews.engine.rows import hit_rows
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync
from termnews.results import SortOrder
from termnews.state.store import Snapshot

NOW = datetime(2024, 2, 14, 12, 0)
STORIES = 90
#: A word in no story: searched with a minus, it leaves a range's stories as they are but
#: sends the query down the general path.
ABSENT = "zqxjv"


class Marks:
    """A `StateView` whose read marks a test sets directly."""

    def __init__(self) -> None:
        self.current = Snapshot((0, 0))

    def mark_read(self, identities: set[str]) -> None:
        self.current = Snapshot((self.current.version[0] + 1, 0), frozenset(identities))

    def snapshot(self) -> Snapshot:
        return self.current


@pytest.fixture(scope="module")
def marks() -> Marks:
    return Marks()


@pytest.fixture(scope="module")
def searcher(
    tmp_path_factory: pytest.TempPathFactory, gen: ModuleType, marks: Marks
) -> Iterator[Searcher]:
    root = tmp_path_factory.mktemp("date-alone")
    archive = root / "archive"
    paths = gen.generate(STORIES, archive, seed=11, words=50)
    for n, path in enumerate(paths[:12]):  # stories of one date: ties in the date order
        shutil.copy(path, path.with_name(f"again-{n}-{path.name}"))
    sync(archive, root / "index", procs=1)
    for path in paths[3::9]:  # deleted documents, which no order may hold
        path.unlink()
    sync(archive, root / "index", procs=1)
    with Searcher(root / "index", now=lambda: NOW, state=marks) as opened:
        yield opened


@pytest.fixture(scope="module")
def days(searcher: Searcher) -> list[str]:
    everything = searcher.search("", limit=STORIES * 2, all_copies=True)
    return sorted({(hit.published or "")[:10] for hit in everything.hits})


@pytest.fixture(scope="module")
def parser(searcher: Searcher) -> Any:
    return make_parser(searcher._gen.searcher.schema)


def general_parse(parser: Any, text: str) -> language.ParsedQuery:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(language, "_sole_date", lambda _text, _now: None)
        return parse(parser, text, NOW)


#: Date expressions as typed, well formed or not: what follows `date:`.
_DAY = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%Y-%m")),
    st.integers(1, 9999).map(lambda y: f"{y:04d}"),
    st.sampled_from(["today", "yesterday", "last week", "this month", "last 7 days", "3 days ago"]),
    st.sampled_from(["*", "", "2024-13-40", "march", "25 January 2024", "AND", "2024 OR"]),
    st.text(alphabet="0123456789-./* abto", max_size=12),
)
_VALUE = st.one_of(
    st.builds(
        lambda a, b, sep: f"[{a}{sep}{b}]", _DAY, _DAY, st.sampled_from([" to ", "..", " TO "])
    ),
    _DAY.map(lambda d: f'"{d}"'),
    st.builds(lambda op, d: f"{op}{d}", st.sampled_from([">", ">=", "<", "<="]), _DAY),
    _DAY,
)


@settings(max_examples=300, deadline=None)
@given(
    value=_VALUE,
    before=st.sampled_from(["", " ", "  "]),
    after=st.sampled_from(["", " ", "\t"]),
)
def test_a_date_clause_alone_parses_as_the_general_parse_does(
    parser: Any, value: str, before: str, after: str
) -> None:
    text = f"{before}date:{value}{after}"
    assert parse(parser, text, NOW) == general_parse(parser, text)


def test_the_common_shapes_take_the_short_parse() -> None:
    """Otherwise the comparison above would compare the general parse with itself."""
    for text in ("date:[2024-01-02 to 2024-01-09]", " date:2024-01 ", 'date:"last week"'):
        assert language._sole_date(text, NOW) is not None
    for text in ("date:[2024 to 2023]", "date:x", "-date:2024", "date:2024 harbour"):
        assert language._sole_date(text, NOW) is None


_SORTS = st.sampled_from(list(SortOrder))


def _range_text(data: st.DataObject, days: list[str]) -> str:
    side = st.one_of(st.sampled_from(days), st.dates().map(lambda d: d.isoformat()), st.just("*"))
    low, high = sorted([data.draw(side), data.draw(side)], key=lambda s: (s == "*", s))
    return f"date:[{low} to {high}]"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    sort=_SORTS,
    all_copies=st.booleans(),
    limit=st.integers(0, 30),
    page=st.integers(1, 9),
    labels=st.lists(st.integers(0, 30), min_size=1, max_size=STORIES),
)
def test_a_range_alone_finds_what_the_general_path_finds(
    searcher: Searcher,
    days: list[str],
    data: st.DataObject,
    sort: SortOrder,
    all_copies: bool,
    limit: int,
    page: int,
    labels: list[int],
) -> None:
    install(searcher, labels)
    text = _range_text(data, days)
    fast = searcher.search(text, sort, limit=limit, all_copies=all_copies)
    # A range ranks nothing: by relevance, it is listed newest first.
    order = SortOrder.NEWEST if sort is SortOrder.RELEVANCE else sort
    general = searcher.search(f"{text} -{ABSENT}", order, limit=limit, all_copies=all_copies)

    assert fast.sort is general.sort is order
    assert (fast.total, fast.folded_total) == (general.total, general.folded_total)
    assert fast.hits == general.hits
    assert every_row(searcher, fast, page) == every_row(searcher, general, page)
    assert searcher.identities(fast) == searcher.identities(general)
    ours, theirs = searcher.context(fast), searcher.context(general)
    assert (ours.total, ours.timeline, ours.facets) == (
        theirs.total,
        theirs.timeline,
        theirs.facets,
    )


def _oracle(searcher: Searcher, start: int | None, end: int | None, newest: bool) -> list[int]:
    """A range's live docnums in date order, ties by docnum, by a plain pass over the dates."""
    docsets = searcher._gen.docsets
    dates = docsets.dates()
    low = start if start is not None else min(dates)
    high = end if end is not None else max(dates)
    inside = [d for d in range(len(dates)) if low <= dates[d] <= high and d in docsets.live]
    return sorted(inside, key=lambda d: (-dates[d] if newest else dates[d], d))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), newest=st.booleans())
def test_a_range_is_a_run_of_the_date_order(
    searcher: Searcher, data: st.DataObject, newest: bool
) -> None:
    docsets = searcher._gen.docsets
    dates = docsets.dates()
    bound = st.one_of(st.none(), st.sampled_from(dates), st.integers(min(dates) - 1, max(dates)))
    start, end = data.draw(bound), data.draw(bound)
    q = DateRange("published", start, end)
    expected = _oracle(searcher, start, end, newest)

    assert docsets.in_date_order(q, newest) == expected
    assert docsets.by_date(docsets.published_between(q), newest) == expected


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    sort=st.sampled_from([SortOrder.NEWEST, SortOrder.OLDEST]),
    read=st.sets(st.integers(0, STORIES * 2)),
    rest=st.sampled_from(["-is:read", "is:unread", "NOT is:read", "is:read", "-said", "said"]),
)
def test_a_range_with_a_filter_or_a_word_keeps_to_both(
    searcher: Searcher,
    marks: Marks,
    days: list[str],
    data: st.DataObject,
    sort: SortOrder,
    read: set[int],
    rest: str,
) -> None:
    identities = sorted(set(searcher.all_identities()))
    marks.mark_read({identities[n % len(identities)] for n in read})
    text = _range_text(data, days)
    alone = searcher.search(text, sort, limit=1000, all_copies=True)
    combined = searcher.search(f"{text} {rest}", sort, limit=1000, all_copies=True)
    other = searcher.search(rest, sort, limit=1000, all_copies=True)

    kept = {hit.path for hit in other.hits}
    assert [hit.path for hit in combined.hits] == [
        hit.path for hit in alone.hits if hit.path in kept
    ]
    assert combined.total == len(combined.hits)


def test_a_row_of_no_words_is_the_row_any_query_makes_of_it(searcher: Searcher) -> None:
    """Such rows are made once and kept: they must be what a row with a word that is in no
    body (nothing to highlight, the lead as snippet) is made of."""
    gen = searcher._gen
    docnums = sorted(gen.docsets.live)
    zeros = [0.0] * len(docnums)
    kept = hit_rows(gen, docnums, zeros, frozenset())

    assert kept == hit_rows(gen, docnums, zeros, frozenset({ABSENT}))
    assert hit_rows(gen, docnums, zeros, frozenset()) == kept  # and again, from the kept ones
    install(searcher, [0, 1, 1])  # other clusters: the kept rows count the new copies
    regrouped = hit_rows(gen, docnums, zeros, frozenset())
    assert regrouped == hit_rows(gen, docnums, zeros, frozenset({ABSENT})) != kept
