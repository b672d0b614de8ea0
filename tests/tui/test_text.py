"""The presentation rules the widgets share: names, dates, wrapping, terminals, the pager."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from termnews.article import Article
from termnews.formatting import (
    article_as_text,
    byline_text,
    dateline_text,
    row_meta,
    short_date,
)
from termnews.tui.app import low_colour_terminal, run_pager
from termnews.tui.text import wrap_ranges


def test_byline_reads_like_a_newspaper() -> None:
    assert byline_text(("Ana Ruiz", "Ben Holt"), "The Canadian Press") == (
        "By Ana Ruiz and Ben Holt · The Canadian Press"
    )
    assert byline_text(("A", "B", "C"), None) == "By A, B and C"
    assert byline_text((), "Reuters") == "Reuters"


def test_dates() -> None:
    assert dateline_text("OTTAWA", "2024-01-25") == "OTTAWA · Thursday, January 25, 2024"
    assert dateline_text(None, "2024-01-25T17:12:00") == "Thursday, January 25, 2024, 5:12 PM"
    assert short_date("2024-01-25", estimated=True) == "~Jan 25, 2024"
    assert short_date("not a date") == "undated"
    assert row_meta("2024-01-25", False, ("Ana Ruiz",), "OTTAWA") == (
        "Jan 25, 2024 · Ana Ruiz · OTTAWA"
    )


@given(st.text(alphabet=st.sampled_from("ab  \nçé漢"), max_size=200), st.integers(1, 30))
def test_wrap_ranges_cover_the_words_and_fit(text: str, width: int) -> None:
    from rich.cells import cell_len

    ranges = wrap_ranges(text, width)
    for start, end in ranges:
        assert 0 <= start <= end <= len(text)
        assert cell_len(text[start:end]) <= max(width, 2)
    kept = "".join(text[start:end] for start, end in ranges)
    assert "".join(kept.split()) == "".join(text.split())  # no word is lost or reordered


def test_low_colour_terminals() -> None:
    assert low_colour_terminal({"TERM": "xterm"})
    assert low_colour_terminal({"TERM": "screen"})
    assert not low_colour_terminal({"TERM": "xterm-256color"})
    assert not low_colour_terminal({"TERM": "xterm", "COLORTERM": "truecolor"})


def test_run_pager_falls_back_and_reports() -> None:
    error = run_pager("text", {"PAGER": "/nonexistent/pager", "PATH": "/nonexistent"})
    # `less` is looked up on the real PATH by subprocess; either it ran or we were told why.
    assert error is None or "No pager found" in error


def test_article_as_text_has_every_part_in_reading_order() -> None:
    article = Article(
        path="x.txt",
        headline="Ferry adds sailings",
        authors=("Ana Ruiz",),
        agency="The Canadian Press",
        published="2024-01-25",
        dateline="OTTAWA",
        summary="A deck.",
        caption="A caption",
        photo_credit="THE CANADIAN PRESS/Lee Park",
        body="First.\n\nSecond.",
        contributors=("Sam Lee",),
        notes=("First published Jan. 25, 2024.",),
    )
    assert article_as_text(article) == (
        "Ferry adds sailings\nBy Ana Ruiz · The Canadian Press\n"
        "OTTAWA · Thursday, January 25, 2024\n\nA deck.\n\n"
        "A caption (THE CANADIAN PRESS/Lee Park)\n\nFirst.\n\nSecond.\n\n"
        "With files from Sam Lee\n\nFirst published Jan. 25, 2024.\n"
    )
