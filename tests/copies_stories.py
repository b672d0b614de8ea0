"""Invented wire stories for the copies tests: one body reprinted in several ways, templates.

Every name, place and figure here is made up.
"""

from __future__ import annotations

from pathlib import Path

from termnews.engine.generation import Generation
from termnews.engine.store import open_index

#: Sentences of invented wire copy; a story body is a run of them.
SENTENCES = [
    "The harbour board of Orvelle voted on Tuesday to close the old ferry pier for repairs.",
    "Engineers found cracks in three of the pilings that hold up the western landing.",
    "Repairs are expected to take eleven weeks and cost about four million dollars.",
    "Commuters will be carried by a shuttle bus that leaves the square every twenty minutes.",
    "Board chair Minna Castellane said the decision was difficult but could not wait.",
    "Local shop owners worry that fewer visitors will cross the water during the summer.",
    "A petition asking for a temporary floating dock has gathered nine hundred names.",
    "The board said it would study the floating dock but warned about the tides.",
    "Ferry crews will be moved to the Kestrel Bay route until the work is finished.",
    "The last major repair of the pier was carried out almost thirty years ago.",
    "Inspectors will return in the spring to check the eastern landing as well.",
    "Residents can follow the progress of the work on the board's public notice wall.",
    "Fishing boats may still tie up at the northern end of the pier on weekdays.",
    "A public meeting about the closure is planned for the first Thursday of next month.",
]


def body_of(first: int, count: int) -> str:
    """Paragraphs of `count` sentences from `first` on, two sentences per paragraph."""
    picked = SENTENCES[first : first + count]
    return "\n\n".join(" ".join(picked[i : i + 2]) for i in range(0, len(picked), 2))


BODY = body_of(0, 10)


def story_text(
    headline: str,
    body: str,
    *,
    site_date: str = "March 4, 2024",
    dateline: str = "ORVELLE —",
    tail: str = "",
) -> str:
    """A story in the wire layout: site date line, headline, byline, dateline and body."""
    return (
        f"{site_date}\n\n{headline}\n\nBy Tobin Ashgrove, Orvelle Courier\n\n"
        f"{dateline} {body}\n" + (f"\n{tail}\n" if tail else "")
    )


def earnings(company: str, profit: str, cents: int, revenue: str, rises: list[int]) -> str:
    """An earnings report: the same layout for every company, its own figures."""
    lines = [
        f"{company} said third-quarter profit was {profit} million dollars, or {cents} cents "
        f"a share, compared with a loss a year earlier.",
        f"Revenue rose to {revenue} million dollars.",
    ]
    lines += [
        f"Sales in its {segment} unit rose {rise} percent."
        for segment, rise in zip(SEGMENTS, rises, strict=False)
    ]
    return " ".join(lines)


SEGMENTS = ["freight", "marine", "catering", "leasing", "publishing", "transit"]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def partition(index_dir: Path) -> frozenset[frozenset[str]]:
    """The clusters of the index's latest generation, as sets of file paths."""
    gen = Generation(open_index(index_dir), index_dir, 0)
    try:
        clusters: dict[str, set[str]] = {}
        copies = gen.copies
        for docnum in gen.reader.all_doc_ids():
            path = gen.reader.stored_fields(docnum)["path"]
            clusters.setdefault(copies.cluster_id(docnum), set()).add(path)
        return frozenset(frozenset(members) for members in clusters.values())
    finally:
        gen.close()


def cluster_of(index_dir: Path, name: str) -> frozenset[str]:
    """The paths in the cluster of the story stored as `name`."""
    for members in partition(index_dir):
        if name in members:
            return members
    raise AssertionError(f"{name} is not in the index")
