"""Related stories: the stories most like one, never the story itself nor its copies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from termnews.engine.copies import Clusters
from termnews.engine.related import key_terms
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync
from termnews.errors import StoryNotFoundError

SEAWALL = (
    "Councillors in the harbour town of Quillmouth voted to spend four million dollars "
    "repairing the seawall that shelters its fishing wharf. Three storms in January pushed "
    "waves over the seawall and flooded the lower market street twice. Mayor Hesper Galloway "
    "said the seawall repairs would begin in May, once the lobster season ends."
)
STORIES = {
    # The story, and a reprint of it by another agency: a copy, not a related story.
    "seawall.txt": ("Quillmouth council approves seawall repairs", "Canadian Press", SEAWALL),
    "seawall-reprint.txt": ("Seawall repairs approved in Quillmouth", "Harbor Daily", SEAWALL),
    # Another day of the same subject, and another angle on it.
    "seawall-work.txt": (
        "Work begins on the Quillmouth seawall",
        "Harbor Daily",
        "Crews started repairing the Quillmouth seawall on Monday, months after storms sent "
        "waves over the wall. The seawall repairs will close part of the wharf until autumn, "
        "Mayor Hesper Galloway said.",
    ),
    "wharf-flooding.txt": (
        "Fishers count the cost of flooded wharf",
        "Canadian Press",
        "Lobster fishers in Quillmouth say the winter storms that flooded the wharf cost them "
        "weeks of work. Waves broke over the seawall three times, and the market street "
        "flooded twice.",
    ),
    # Other subjects.
    "transit.txt": (
        "Transit workers vote to strike",
        "Canadian Press",
        "Bus drivers in Harrowgate voted to strike next month unless the transit authority "
        "improves its wage offer. The union said talks had stalled over pensions.",
    ),
    "library.txt": (
        "Neighbourhood library reopens",
        "Harbor Daily",
        "The Montréal neighbourhood library reopened after a long renovation, with a new "
        "children's reading room and longer evening hours, the borough said.",
    ),
    "budget.txt": (
        "Province tables budget with small surplus",
        "Canadian Press",
        "The finance minister tabled a budget with a small surplus, promising more money for "
        "rural clinics and a freeze on tuition.",
    ),
}


def story_text(headline: str, agency: str, body: str, day: int) -> str:
    return f"{headline}\n\nBy Ada Quist, {agency} on March {day}, 2024.\n\nQUILLMOUTH – {body}\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("related")
    archive = root / "archive"
    archive.mkdir()
    for day, (name, (headline, agency, body)) in enumerate(STORIES.items(), start=1):
        (archive / name).write_text(story_text(headline, agency, body, day), encoding="utf-8")
    sync(archive, root / "index")
    return archive, root / "index"


@pytest.fixture
def searcher(built: tuple[Path, Path]) -> Iterator[Searcher]:
    with Searcher(built[1]) as opened:
        yield opened


def stem(path: str) -> str:
    return Path(path).name


def make_copies(searcher: Searcher, *names: str) -> None:
    """Make the stories `names` one cluster of copies in the open generation."""
    gen = searcher._gen
    count = gen.reader.doc_count_all()
    cluster_of = np.arange(count, dtype=np.int64)
    docnums = [gen.searcher.document_number(path=name) for name in names]
    cluster_of[docnums] = min(docnums)
    gen._copies = Clusters(cluster_of, [f"s{d}" for d in range(count)], np.ones(count, bool))


def test_the_story_itself_is_never_related(searcher: Searcher) -> None:
    found = [stem(hit.path) for hit in searcher.related("seawall.txt").hits]
    assert "seawall.txt" not in found
    assert found  # and its subject finds others


def test_a_reprint_is_a_copy_not_a_related_story(searcher: Searcher) -> None:
    # The sync finds the reprint a copy (`engine.copies`): the same words, yet never listed.
    found = [stem(hit.path) for hit in searcher.related("seawall.txt").hits]
    assert "seawall-reprint.txt" not in found


def test_every_story_of_its_cluster_is_left_out(searcher: Searcher) -> None:
    assert "seawall-work.txt" in [stem(hit.path) for hit in searcher.related("seawall.txt").hits]
    make_copies(searcher, "seawall.txt", "seawall-work.txt")
    found = [stem(hit.path) for hit in searcher.related("seawall.txt").hits]
    assert "seawall-work.txt" not in found
    assert "seawall.txt" not in found
    assert "wharf-flooding.txt" in found


def test_other_days_and_angles_rank_above_other_subjects(searcher: Searcher) -> None:
    found = [stem(hit.path) for hit in searcher.related("seawall.txt").hits]
    assert found[:2] == ["seawall-work.txt", "wharf-flooding.txt"]
    assert set(found) <= {"seawall-work.txt", "wharf-flooding.txt"} | {
        name for name in STORIES if name not in ("seawall.txt", "seawall-reprint.txt")
    }


def test_scores_descend_and_limit_holds(searcher: Searcher) -> None:
    hits = searcher.related("seawall.txt", limit=2).hits
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score > 0


def test_key_terms_say_what_the_story_is_about(searcher: Searcher) -> None:
    gen = searcher._gen
    docnum = gen.searcher.document_number(path="seawall-work.txt")
    terms = [term.text for term in key_terms(gen, docnum)]
    assert "seawal" in terms[:3]  # stemmed, as the index holds it
    assert all(len(term) > 2 and not any(c.isdigit() for c in term) for term in terms)
    # A word no other story has cannot find one: it is not a key term.
    assert "crew" not in terms


def test_related_pages_like_search_results(searcher: Searcher) -> None:
    results = searcher.related("seawall.txt", limit=4)
    assert searcher.hits(results, 0, 4) == list(results.hits)
    assert len(searcher.identities(results)) == results.total


def test_an_absolute_path_is_found_too(searcher: Searcher, built: tuple[Path, Path]) -> None:
    archive, _index = built
    hits = searcher.related(str(archive / "transit.txt")).hits
    assert "transit.txt" not in [stem(hit.path) for hit in hits]


def test_a_story_not_in_the_index_says_so(searcher: Searcher) -> None:
    with pytest.raises(StoryNotFoundError, match=r"nowhere\.txt"):
        searcher.related("nowhere.txt")
