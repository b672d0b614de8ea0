"""Reprints for the tests of folded copies: one story filed again under other headlines.

`write_reprints` adds two copies of the browser tests' seawall story to an archive: one with
the same body under another headline and agency, one that also rewords a paragraph and adds
one (so a diff has something to show). The people, places and agencies are invented.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The paragraphs of the seawall story (tests/tui/data/01-harbour-seawall.txt).
SEAWALL = [
    "QUILLMOUTH – Councillors in the harbour town of Quillmouth voted on Friday to spend four "
    "million dollars repairing the seawall that shelters its fishing wharf.",
    "The vote came after three storms in January pushed waves over the wall and flooded the "
    "lower market street twice.",
    "Mayor Hesper Galloway said the seawall repairs would begin in May, once the lobster "
    "season ends, so that boats are not kept from the wharf.",
    '"We have patched this wall for twenty years," Galloway said. "This time we fix it properly."',
]

REPRINT = """March 3rd, 2024

Storm-battered Quillmouth seawall to get four million dollar repair

By Wren Ashdown, Tidewater News Agency on March 3, 2024.

{body}
"""

REWORDED = """March 4th, 2024

Quillmouth seawall repairs to start in May

By Pell Morrow, Harbourlight Daily on March 4, 2024.

{body}
"""

#: What the reworded copy changes: its third paragraph, and a paragraph it adds at the end.
REWORDED_THIRD = (
    "Mayor Hesper Galloway said the seawall repairs would begin in early May, once the "
    "lobster season ends, so that boats are not kept from the wharf."
)
ADDED_LAST = (
    "The town will ask the province to share the cost of the work, the mayor added on Saturday."
)
#: 2022-06-01 12:00 UTC, as the browser tests' own stories.
FIXED_MTIME = 1654084800


def write_reprints(archive: Path) -> tuple[Path, Path]:
    """The seawall story's two copies, written into `archive` with fixed mtimes."""
    reworded = [*SEAWALL[:2], REWORDED_THIRD, SEAWALL[3], ADDED_LAST]
    paths = (archive / "09-seawall-reprint.txt", archive / "10-seawall-reworded.txt")
    for path, template, body in zip(paths, (REPRINT, REWORDED), (SEAWALL, reworded), strict=True):
        path.write_text(template.format(body="\n\n".join(body)), encoding="utf-8")
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return paths
