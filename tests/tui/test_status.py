"""The status line's summary of a `Results`: counts, the word being typed, suggestions."""

from __future__ import annotations

from termnews.results import Results, SortOrder
from termnews.tui.widgets.status import TYPING_MARKER, results_summary


def summary(**fields: object) -> str:
    values: dict[str, object] = {
        "query": "harbour",
        "sort": SortOrder.RELEVANCE,
        "total": 37,
        "hits": (),
        "elapsed_ms": 4.2,
    }
    values.update(fields)
    return results_summary(Results(**values), show_timing=False).plain  # type: ignore[arg-type]


def test_count_and_order() -> None:
    assert summary() == "37 results · best match"
    assert summary(total=1, sort=SortOrder.NEWEST) == "1 result · newest first"


def test_timing_is_shown_when_asked() -> None:
    values = {"query": "q", "sort": SortOrder.OLDEST, "total": 2, "hits": (), "elapsed_ms": 4.2}
    text = results_summary(Results(**values)).plain  # type: ignore[arg-type]
    assert text == "2 results · oldest first · 4 ms"


def test_a_word_still_being_typed_is_marked_after_the_count() -> None:
    text = summary(query="harbour fe", pending_word="fe")
    assert text == f"37 results {TYPING_MARKER} · best match"
    assert TYPING_MARKER not in summary(pending_word=None)


def test_the_suggestion_says_how_many_stories_it_finds() -> None:
    text = summary(query="cofee", total=0, suggestion="coffee", suggestion_total=196)
    assert text == "0 results · best match · did you mean coffee? 196 stories (Tab)"
    one = summary(query="cofee", total=0, suggestion="coffee", suggestion_total=1)
    assert one.endswith("did you mean coffee? 1 story (Tab)")


def test_markup_in_a_suggestion_is_plain_text() -> None:
    text = summary(total=0, suggestion="[bold]x[/]", suggestion_total=3)
    assert "did you mean [bold]x[/]? 3 stories" in text
