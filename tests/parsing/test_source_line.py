"""The source line: a fetched story's address on its last line, and nothing else is one.

Every story here is invented.
"""

from __future__ import annotations

import pytest

from termnews.parsing import parse_bytes
from termnews.parsing.source import split_source_line

STORY = """\
Harbourview council backs seawall plan

By Ana Ruiz, The Harbourview Beacon

HARBOURVIEW – Councillors voted 7-2 on Thursday to build the seawall.

The work starts in spring.
"""


def parse(text: str):
    return parse_bytes(text.encode("utf-8"), "story.txt")


def test_the_last_line_gives_the_url_and_leaves_the_body() -> None:
    plain = parse(STORY)
    article = parse(STORY + "\nSource: https://beacon.example/news/seawall?id=7#top\n\n")
    assert article.url == "https://beacon.example/news/seawall?id=7#top"
    assert plain.url is None
    assert article.body == plain.body
    assert article.notes == plain.notes


@pytest.mark.parametrize(
    "last_line",
    [
        "Source: Harbourview council minutes",  # a credit, not an address
        "Source: ftp://beacon.example/seawall",  # another scheme
        "Source: https://beacon.example/a b",  # a space: not one address
        "Source: https://",  # no host
        "The source: https://beacon.example/seawall",  # more words on the line
        "Source https://beacon.example/seawall",  # no colon
    ],
)
def test_near_misses_stay_story_text(last_line: str) -> None:
    text = STORY + "\n" + last_line + "\n"
    assert split_source_line(text) == (text, None)
    assert last_line.split()[-1] in parse(text).body


def test_a_source_line_with_text_under_it_is_text() -> None:
    text = STORY + "\nSource: https://beacon.example/seawall\n\nThe vote was close.\n"
    article = parse(text)
    assert article.url is None
    assert "Source: https://beacon.example/seawall" in article.body


def test_the_label_is_read_in_any_case_and_may_share_the_last_block() -> None:
    article = parse(STORY.rstrip() + "\nSOURCE:  HTTPS://Beacon.example/Seawall")
    assert article.url == "HTTPS://Beacon.example/Seawall"
    assert article.body.endswith("The work starts in spring.")


def test_url_sits_before_warnings_in_the_record() -> None:
    record = parse(STORY + "\nSource: https://beacon.example/s\n").to_dict()
    names = list(record)
    assert names.index("url") == names.index("warnings") - 1
    assert record["url"] == "https://beacon.example/s"
