"""Text layout helpers for the widgets: wrapping into cell ranges and squeezing snippets.

They return plain strings (never markup), so every caller decides how to style them, and the
pager and `y` produce exactly the words the screen shows. Nothing here imports Textual, which
keeps these rules testable without an app.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size


def wrap_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap that returns each line as a `[start, end)` range into `text`.

    Ranges rather than strings let the article view slice one styled `Content` per line and
    know exactly which line a highlighted match falls on, for `n`/`N`. Words longer than the
    width are split; explicit newlines end a line. Widths are terminal cells, not characters.
    """
    width = max(1, width)
    ranges: list[tuple[int, int]] = []
    length = len(text)
    pos = 0
    while pos < length:
        if ranges:
            while pos < length and text[pos] == " ":
                pos += 1
            if pos >= length:
                break
        start = pos
        cells = 0
        last_space = -1
        index = pos
        while index < length:
            char = text[index]
            if char == "\n":
                break
            size = get_character_cell_size(char)
            if cells + size > width:
                break
            if char == " ":
                last_space = index
            cells += size
            index += 1
        if index >= length or text[index] == "\n":
            ranges.append((start, index))
            pos = index + 1
            continue
        if text[index] == " ":
            end = index
        elif last_space > start:
            end = last_space
        else:
            end = max(index, start + 1)
        ranges.append((start, end))
        pos = end
    return ranges or [(0, 0)]
