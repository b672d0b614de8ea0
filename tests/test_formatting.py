"""The one plain-text rendering of a story that parse, show, the pager and `y` share."""

from __future__ import annotations

from termnews.article import Article
from termnews.formatting import article_as_text

STORY = Article(
    path="s.txt",
    headline="Harbourview council approves a seawall plan after a decade of argument and storms",
    authors=("Ana Ruiz", "Ben Holt"),
    agency="The Canadian Press",
    published="2024-01-25",
    dateline="HALIFAX",
    caption="Waves hit the old wall, Tuesday, Jan. 23, 2024.",
    photo_credit="THE CANADIAN PRESS/Lee Park",
    body="Councillors voted 7-2 on Thursday to rebuild the seawall. " * 4
    + "\n\nWork starts in May.",
    contributors=("Sam Lee",),
    notes=("This report by The Canadian Press was first published Jan. 25, 2024.",),
)


def test_wrapped_for_a_pager() -> None:
    text = article_as_text(STORY, width=40)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "By Ana Ruiz and Ben Holt · The Canadian Press" in text.replace("\n", " ")
    assert "HALIFAX · Thursday, January 25, 2024" in text
    assert text.rstrip().endswith("first published Jan. 25, 2024.")


def test_unwrapped_for_the_clipboard_keeps_one_line_per_paragraph() -> None:
    text = article_as_text(STORY)
    paragraphs = text.strip().split("\n\n")
    assert paragraphs[0].splitlines()[0] == STORY.headline
    assert STORY.body.split("\n\n")[0] in paragraphs
    assert "With files from Sam Lee" in paragraphs


def test_a_result_row_credits_people_as_the_byline_does() -> None:
    from termnews.formatting import join_names, row_meta

    names = ("Ana Ruiz", "Ben Holt", "Cy Dorn")
    assert join_names(names) == "Ana Ruiz, Ben Holt and Cy Dorn"
    assert row_meta("2024-01-25", False, names, "HALIFAX") == (
        "Jan 25, 2024 · Ana Ruiz, Ben Holt and Cy Dorn · HALIFAX"
    )
    assert (
        row_meta(None, False, ("Ana Ruiz", "Ben Holt"), None) == "undated · Ana Ruiz and Ben Holt"
    )
