"""The query language and the Searcher, against a small index of invented stories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termnews.engine import complete
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync
from termnews.errors import IndexMissingError
from termnews.results import Results, SortOrder

STORIES = Path(__file__).parent / "data" / "search" / "stories"
NOW = datetime(2024, 2, 14, 15, 30)  # a Wednesday
LIGHTHOUSE_MTIME = datetime(2020, 6, 1, 12, 0).timestamp()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("search")
    archive = root / "archive"
    shutil.copytree(STORIES, archive)
    os.utime(archive / "lighthouse.txt", (LIGHTHOUSE_MTIME, LIGHTHOUSE_MTIME))
    sync(archive, root / "index")
    return archive, root / "index"


@pytest.fixture(scope="module")
def searcher(built: tuple[Path, Path]) -> Iterator[Searcher]:
    with Searcher(built[1], now=lambda: NOW) as opened:
        yield opened


def names(searcher: Searcher, query: str, sort: SortOrder = SortOrder.RELEVANCE) -> list[str]:
    return [Path(hit.path).stem for hit in searcher.search(query, sort=sort).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("seawall promenade", {"seawall"}),
        ("seawall ferry", set()),
        ("seawall AND promenade", {"seawall"}),
        ("ferry OR seawall", {"ferry", "seawall"}),
        ("rebuild NOT ferry", {"seawall"}),
        ("rebuild -ferry", {"seawall"}),
        ('"winter sailings"', {"ferry"}),
        ("light*", {"lighthouse"}),
        ("seawoll~", {"seawall"}),
        ("(ferry OR council) library", {"council"}),
    ],
)
def test_operators(searcher: Searcher, query: str, expected: set[str]) -> None:
    assert set(names(searcher, query)) == expected


@pytest.mark.parametrize(
    ("negated", "spelled_out"),
    [
        ("-ferry", "NOT ferry"),
        ("-ferry -seawall", "NOT ferry NOT seawall"),
        ("(-ferry)", "NOT ferry"),
        ("(-ferry) OR seawall", "(NOT ferry) OR seawall"),
    ],
)
def test_a_word_taken_away_from_nothing_means_every_story_without_it(
    searcher: Searcher, negated: str, spelled_out: str
) -> None:
    found = searcher.search(negated, limit=100)
    assert found.total > 0
    assert found.total == searcher.search(spelled_out, limit=100).total
    assert set(names(searcher, negated)) == set(names(searcher, spelled_out))


def test_phrases_keep_the_gap_of_a_dropped_stop_word(searcher: Searcher) -> None:
    assert names(searcher, '"state of the art"') == ["orchard"]
    assert names(searcher, '"state art"') == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("headline:seawall", {"seawall"}),
        ("headline:ploughs", set()),
        ("body:ploughs", {"montreal-snow"}),
        ("author:okafor", {"council"}),
        ("by:okafor", {"council"}),
        ('by:"ines varga"', {"ferry"}),
        ('agency:"northern press"', {"montreal-snow"}),
        ('dateline:"kestrel bay"', {"council"}),
        ("in:kestrel", {"council"}),
        ("in:brandon", {"ferry"}),
    ],
)
def test_fields_and_aliases(searcher: Searcher, query: str, expected: set[str]) -> None:
    assert set(names(searcher, query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2024", {"seawall", "montreal-snow", "orchard"}),
        ("date:2024-01", {"seawall", "orchard"}),
        ("date:2024-01-25", {"seawall"}),
        ("date:[2024-01-01 to 2024-02-15]", {"seawall", "orchard", "montreal-snow"}),
        ("date:[2024-01-01 to 2024-01-31]", {"seawall", "orchard"}),
        ("date:>2023-06", {"ferry", "seawall", "orchard", "montreal-snow"}),
        ('date:"last week"', {"montreal-snow"}),
        ("date:<2021", {"lighthouse"}),  # no date in the story: the file's mtime stands in
        ("ferry -date:2024", {"ferry"}),
        ("lake date:2023", {"ferry"}),
    ],
)
def test_dates(searcher: Searcher, query: str, expected: set[str]) -> None:
    assert set(names(searcher, query)) == expected


def test_accents_fold_both_ways(searcher: Searcher) -> None:
    assert names(searcher, "montreal") == ["montreal-snow"]
    assert names(searcher, "MONTRÉAL") == ["montreal-snow"]
    assert names(searcher, "by:elodie") == ["montreal-snow"]


def test_stemming_matches_other_forms_of_a_word(searcher: Searcher) -> None:
    assert set(names(searcher, "rebuilding")) == {"seawall", "ferry"}
    assert set(names(searcher, "rebuilds")) == {"seawall", "ferry"}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(list('ab "()[]:*~-^+<>=date:by:in:OR AND NOT 2024-1')), max_size=30
    )
)
def test_no_query_ever_raises(searcher: Searcher, query: str) -> None:
    results = searcher.search(query)
    assert results.total >= 0
    assert searcher.search_as_you_type(query).total >= 0


@pytest.mark.parametrize(
    "query",
    ['"seawall', "(seawall", "seawall)", "colour:blue seawall", "headline: seawall", "seawall OR"],
)
def test_malformed_queries_fall_back_to_the_words_and_say_so(
    searcher: Searcher, query: str
) -> None:
    results = searcher.search(query)

    assert results.notice and "searched for the words instead" in results.notice
    if "colour" not in query:
        assert [Path(h.path).stem for h in results.hits] == ["seawall"]


def test_an_unreadable_date_is_ignored_with_a_notice(searcher: Searcher) -> None:
    results = searcher.search("date:someday ferry")

    assert results.notice and "someday" in results.notice
    assert [Path(h.path).stem for h in results.hits] == ["ferry"]


def test_a_misspelling_gets_a_suggestion(searcher: Searcher) -> None:
    results = searcher.search("sewall")

    assert results.total == 0
    assert results.suggestion == "seawall"
    assert searcher.search("seawall").suggestion is None


def test_an_empty_query_lists_every_story_newest_first(searcher: Searcher) -> None:
    results = searcher.search("")

    assert results.total == 6
    assert [Path(h.path).stem for h in results.hits] == [
        "montreal-snow",
        "seawall",
        "orchard",
        "ferry",
        "council",
        "lighthouse",
    ]
    assert names(searcher, "", SortOrder.OLDEST)[0] == "lighthouse"
    assert results.sort == SortOrder.NEWEST  # what it did, not what was asked
    assert searcher.search_as_you_type("").sort == SortOrder.NEWEST
    assert searcher.search("", SortOrder.OLDEST).sort == SortOrder.OLDEST


def docnums(results: Results) -> list[int]:
    """The ranked matches behind `results` (the Searcher's paging handle knows them)."""
    return list(results.handle.docnums)  # type: ignore[attr-defined]


def test_one_letter_is_a_prefix_too(searcher: Searcher) -> None:
    """A small index can afford every word that begins `s`: the list narrows at once."""
    results = searcher.search_as_you_type("clearing s")

    assert results.pending_word is None
    assert docnums(results) == docnums(searcher.search("clearing snow"))


@pytest.mark.parametrize(
    ("typed", "before", "pending"),
    [
        ("clearing s", "clearing", "s"),
        ("clearing OR s", "clearing", "s"),
        ("s", "", "s"),
        ("rebuild -fer", "rebuild", "-fer"),
        ("rebuild NOT fer", "rebuild", "fer"),
        ("clearing by:", "clearing", "by:"),
        ('clearing in:"', "clearing", 'in:"'),
    ],
)
def test_a_word_not_applied_yet_keeps_the_results_of_the_words_before_it(
    searcher: Searcher,
    typed: str,
    before: str,
    pending: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Too many completions to apply, a negated prefix, or a field with no value yet."""
    monkeypatch.setattr(complete, "MAX_COMPLETIONS", 1)  # every `s` word is too many
    results = searcher.search_as_you_type(typed)

    assert results.pending_word == pending
    assert docnums(results) == docnums(searcher.search(before))
    assert searcher.search(typed).pending_word is None


def test_a_word_that_may_become_a_field_or_a_stop_word_does_not_empty_the_list(
    searcher: Searcher,
) -> None:
    for typed, finished in [("library auth", "library author:okafor"), ("ferry fro", "ferry from")]:
        assert searcher.search(typed).total == 0  # `auth` and `fro` are in no story
        results = searcher.search_as_you_type(typed)
        before = typed.rsplit(" ", 1)[0]

        assert results.pending_word == typed.rsplit(" ", 1)[1]
        assert docnums(results) == docnums(searcher.search(before))
        assert searcher.search(finished).total > 0


def test_a_stop_word_never_keeps_a_story_out(searcher: Searcher) -> None:
    """The headline and body never hold `of`; a bare `of` must not demand it of a name."""
    assert docnums(searcher.search("library of")) == docnums(searcher.search("library"))
    assert searcher.search("The").total == searcher.search("").total
    assert names(searcher, '"state of the art"') == ["orchard"]  # quoted: the gap counts
    assert names(searcher, "in:kestrel") == ["council"]


def test_ranking_matches_whoosh_scoring_every_match(searcher: Searcher) -> None:
    from termnews.engine.query.language import parse

    shapes = ["seawall", "winter OR snow", "snow -montreal", "snow NOT montreal"]
    shapes += ["headline:seawall ferry", '"winter sailings"', '"state of the art" OR ferry']
    shapes += ['"winter sailings" -snow', "(winter sailings) OR seawall", 'by:"lena okafor"']
    for text in shapes:
        parsed = parse(searcher._gen.parser, text, searcher._now())
        whoosh = searcher._gen.searcher.search(parsed.query, limit=None).top_n
        expected = sorted(((d, round(s, 9)) for s, d in whoosh), key=lambda x: (-x[1], x[0]))
        results = searcher.search(text)
        got = [(d, round(h.score, 9)) for d, h in zip(docnums(results), results.hits, strict=True)]
        assert got == expected, text


def test_sort_orders(searcher: Searcher) -> None:
    assert names(searcher, "rebuild", SortOrder.NEWEST) == ["seawall", "ferry"]
    assert names(searcher, "rebuild", SortOrder.OLDEST) == ["ferry", "seawall"]
    relevance = searcher.search("seawall").hits
    assert relevance[0].score > 0


def test_hits_carry_fields_snippet_and_spans(searcher: Searcher) -> None:
    results = searcher.search("rebuilding seawall")
    hit = results.hits[0]

    assert Path(hit.path).name == "seawall.txt" and Path(hit.path).is_absolute()
    assert hit.authors == ("Mira Castell",)
    assert (hit.agency, hit.dateline, hit.published) == (
        "The Coastal Wire",
        "PORT ALDWIN",
        "2024-01-25",
    )
    assert not hit.date_estimated
    assert [hit.headline[s:e] for s, e in hit.headline_spans] == ["Seawall"]
    assert {hit.snippet[s:e] for s, e in hit.snippet_spans} == {"rebuild", "seawall"}
    assert {"rebuild", "seawal"} <= results.terms


def test_an_estimated_date_is_marked(searcher: Searcher) -> None:
    (hit,) = searcher.search("lighthouse keeper").hits

    assert hit.date_estimated and hit.published.startswith("2020-06-01")


def test_hits_materialises_any_slice_lazily(searcher: Searcher) -> None:
    results = searcher.search("", limit=2)

    assert len(results.hits) == 2 and results.total == 6
    rest = searcher.hits(results, 2, 6)
    assert [h.path for h in rest] == [h.path for h in searcher.search("").hits[2:6]]


def test_spans_highlight_any_text(searcher: Searcher) -> None:
    terms = searcher.search("montreal rebuilding").terms
    text = "MONTRÉAL crews are Rebuilding"

    assert [text[s:e] for s, e in searcher.spans(text, terms)] == ["MONTRÉAL", "Rebuilding"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("seaw", {"seawall"}),
        ("rebui", {"seawall", "ferry"}),
        ("by:oka", {"council"}),
        ("in:glen", {"orchard"}),
        ("clearing bud", {"montreal-snow"}),
        ("rebuildin", {"seawall", "ferry"}),  # past the stem `rebuild` of rebuilding
        ("montré", {"montreal-snow"}),
    ],
)
def test_search_as_you_type_completes_the_last_word(
    searcher: Searcher, typed: str, expected: set[str]
) -> None:
    results = searcher.search_as_you_type(typed)

    assert {Path(h.path).stem for h in results.hits} == expected


def test_article_reparses_the_file(searcher: Searcher, built: tuple[Path, Path]) -> None:
    article = searcher.article(str(built[0] / "ferry.txt"))

    assert article.headline == "Ferry operator adds winter sailings"
    assert article.authors == ("Tomas Rell", "Ines Varga")
    assert searcher.article("ferry.txt") == article


def test_a_missing_index_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="termnews index"):
        Searcher(tmp_path / "nothing-here")


def test_refresh_sees_a_sync_and_old_results_still_page(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(STORIES, archive)
    sync(archive, tmp_path / "index")
    with Searcher(tmp_path / "index") as opened:
        before = opened.search("", limit=1)
        assert not opened.refresh()
        (archive / "tram.txt").write_text(
            "Tram line opens\n\nBy Nell Harrow on March 1, 2024.\n\nORVELLE – The tram opened.\n"
        )
        (archive / "ferry.txt").unlink()
        sync(archive, tmp_path / "index")

        assert opened.refresh()
        assert names(opened, "tram") == ["tram"]
        paged = {Path(h.path).stem for h in opened.hits(before, 0, 6)}
        assert "tram" in paged and "ferry" not in paged
        assert opened.search("").total == 6


def test_the_article_falls_back_to_the_index_when_the_file_is_gone(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(STORIES, archive)
    sync(archive, tmp_path / "index")
    (archive / "orchard.txt").unlink()

    with Searcher(tmp_path / "index") as opened:
        article = opened.article("orchard.txt")

    assert article.headline == "Apple growers report record harvest"
    assert "cider press" in article.body and article.warnings


def test_relevance_pages_past_the_first_are_scored_on_demand(searcher: Searcher) -> None:
    query = "rebuild OR ferry OR snow OR library OR apples"
    everything = searcher.search(query, limit=10)
    first = searcher.search(query, limit=1)

    assert first.total == everything.total == 5 and len(first.hits) == 1
    rest = searcher.hits(first, 1, 10)
    assert [h.path for h in first.hits + tuple(rest)] == [h.path for h in everything.hits]
    assert [h.score for h in rest] == [h.score for h in everything.hits[1:]]


def test_typeahead_results_still_page_after_a_refresh(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(STORIES, archive)
    sync(archive, tmp_path / "index")
    with Searcher(tmp_path / "index") as opened:
        partial = opened.search_as_you_type("seaw", limit=0)
        (archive / "council.txt").unlink()
        sync(archive, tmp_path / "index")
        assert opened.refresh()

        assert [Path(h.path).stem for h in opened.hits(partial, 0, 5)] == ["seawall"]


def test_every_public_method_may_be_called_from_several_threads(tmp_path: Path) -> None:
    """The browser calls from workers and its UI thread at once, with no lock of its own."""
    import threading

    archive = tmp_path / "archive"
    shutil.copytree(STORIES, archive)
    sync(archive, tmp_path / "index")
    failures: list[BaseException] = []
    with Searcher(tmp_path / "index") as opened:
        stop = threading.Event()

        def keep_calling(typed: str) -> None:
            try:
                while not stop.is_set():
                    results = opened.search_as_you_type(typed, limit=1)
                    opened.hits(results, 0, 5)
                    opened.search(typed + "x")  # a miss: its suggestion reads term lists
                    opened.warm_up()
                    opened.article("ferry.txt")
            except BaseException as error:  # reported by the assertion below
                failures.append(error)

        workers = [threading.Thread(target=keep_calling, args=(t,)) for t in ("sea", "win")]
        for worker in workers:
            worker.start()
        for round_ in range(8):
            (archive / f"extra{round_}.txt").write_text(
                "Seawall talks resume\n\nBy Nell Harrow on March 1, 2024.\n\nORVELLE – Talks.\n"
            )
            sync(archive, tmp_path / "index")
            assert opened.refresh()
        stop.set()
        for worker in workers:
            worker.join()
        assert opened._gen.warmed  # a warmed generation's successor is warmed before use
    assert failures == []


def test_warm_up_reads_the_term_lists_the_searcher_would_read_itself(
    built: tuple[Path, Path],
) -> None:
    with Searcher(built[1]) as lazy, Searcher(built[1]) as warmed:
        warmed.warm_up()
        assert warmed._gen.warmed
        for field in ("headline", "body", "authors", "dateline"):
            assert warmed._gen.lexicon.loaded(field)
            assert warmed._gen.lexicon.terms(field).terms == lazy._gen.lexicon.terms(field).terms
        for typed in ("seaw", "sewall", "by:okafr", "in:kestrle"):
            a, b = warmed.search_as_you_type(typed), lazy.search_as_you_type(typed)
            assert (a.total, a.hits, a.suggestion, a.pending_word) == (
                b.total,
                b.hits,
                b.suggestion,
                b.pending_word,
            )
            assert a.suggestion or a.total


def test_an_empty_index_warms_up_and_answers(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    sync(tmp_path / "archive", tmp_path / "index")
    with Searcher(tmp_path / "index") as opened:
        opened.warm_up()
        assert opened.search("sewall").total == 0
        assert opened.search_as_you_type("se").total == 0


@pytest.mark.parametrize("files", [{}, {"notes.txt": b"", "photo.jpg": b"\x00\xff\x00binary"}])
def test_an_index_with_no_stories_lists_nothing_in_every_order(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    """An empty archive, or one where nothing parses, answers every query with no stories."""
    archive = tmp_path / "archive"
    archive.mkdir()
    for name, data in files.items():
        (archive / name).write_bytes(data)
    sync(archive, tmp_path / "index")
    with Searcher(tmp_path / "index") as opened:
        for sort in SortOrder:
            assert opened.search("", sort).total == 0
            assert opened.search("harbour date:2024", sort).total == 0
        assert opened.search_as_you_type("").hits == ()
