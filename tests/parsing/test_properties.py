"""Properties that must hold for any input at all: the parser either returns an Article or
raises ParseError with a reason, and no field ever carries a control character to the terminal.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termnews.article import Article
from termnews.errors import ParseError
from termnews.parsing import parse_bytes

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\x1b]")

#: Pieces of real wire copy, so generated inputs reach deep into the grammar, not only the
#: decoder's rejection paths.
WIRE_PIECES = [
    "March 3rd, 2024\n",
    "Harbour town votes on seawall\n",
    "By Ana Ruiz and Ben Holt, The Canadian Press on January 25, 2024.\n",
    "By DANA WEXLER, Associated Press\n",
    "A crew works on the pier, Tuesday, Feb. 6, 2024. THE CANADIAN PRESS/Lee Park\n",
    "OTTAWA – The council voted on Tuesday.\n",
    "LONDON, Feb 5 (Reuters) - Shares rose.\n",
    "WASHINGTON (AP) _ Lawmakers met.\n",
    "This report by The Canadian Press was first published Jan. 25, 2024.\n",
    "– With files from Sam Lee and Ines Roy\n",
    "Share this story:\nNotify of\nView all comments\n",
    "\n",
    "\r\n",
    "\x1b[31m",
    "\x1b]0;title\x07",
    "\x00",
    "â€™",
    "\ufeff",
    "[bold]x[/]",
]


def _check_article(article: Article) -> None:
    for name, value in article.to_dict().items():
        if name == "path":
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None:
                continue
            assert isinstance(item, str), name
            assert not CONTROL.search(item), (name, item)


def _parse_or_reason(data: bytes) -> None:
    try:
        article = parse_bytes(data, "story.txt")
    except ParseError as error:
        assert error.reason
        assert error.path == "story.txt"
        return
    _check_article(article)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_any_bytes_give_an_article_or_a_reason(data: bytes) -> None:
    _parse_or_reason(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WIRE_PIECES) | st.text(max_size=80), max_size=25))
def test_wire_like_text_never_leaks_control_characters(pieces: list[str]) -> None:
    text = "".join(pieces)
    _parse_or_reason(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WIRE_PIECES) | st.text(max_size=40), max_size=20))
def test_cp1252_bytes_are_decoded_not_rejected(pieces: list[str]) -> None:
    text = "".join(pieces)
    data = text.encode("cp1252", "ignore")
    _parse_or_reason(data)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=300))
def test_body_paragraphs_are_never_empty(text: str) -> None:
    try:
        article = parse_bytes(text.encode(), "s.txt")
    except ParseError:
        return
    assert all(p.strip() for p in article.body.split("\n\n")) or article.body == ""
