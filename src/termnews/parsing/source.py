"""The source line: the web address a story was fetched from, on the file's last line.

termnews writes it under every story it fetches (`termnews.feeds.stories`), and any other
tool may too. It has to be told apart from the story's own text, so it is read only in one
exact form, and only as the last line that is not blank:

    Source: https://www.example.com/news/2024/harbour-vote

`Source:` (in any case), spaces, then one absolute http or https address with no spaces in
it, and nothing else on the line. A sentence (`Source: the ministry's figures`), a credit
under a chart, or an address anywhere but the last line stays text, so no story without
this line reads any differently.
"""

from __future__ import annotations

import re

#: The label the line opens with; termnews writes exactly this.
SOURCE_LABEL = "Source:"
_SOURCE_LINE = re.compile(r"Source:[ \t]+(?P<url>https?://[^\s/?#]+[^\s]*)", re.IGNORECASE)


def split_source_line(text: str) -> tuple[str, str | None]:
    """`(text without the source line, its URL)`, or `(text, None)` when it has none."""
    # Only the last line is copied: a story is parsed once per sync, and most have no such line.
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
    start = text.rfind("\n", 0, end) + 1
    last = text[start:end].strip()
    # One prefix test turns away nearly every story before the regex is tried.
    if last[:7].lower() != "source:":
        return text, None
    found = _SOURCE_LINE.fullmatch(last)
    if found is None:
        return text, None
    return text[:start], found.group("url")
