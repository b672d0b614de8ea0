"""`feed:NAME`: the stories fetched from one feed, by its name or its folder.

The archive is laid out as `termnews fetch` lays it out (`story_relpath` names each file
from the feed's name), next to stories of the person's own that belong to no feed. It is
indexed in two syncs, one story edited and one moved between them, so the index has two
segments and deleted documents. Every expected answer is worked out in Python from the
stories, never read back from the engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from termnews.engine.complete import Completer
from termnews.engine.query.language import parse
from termnews.engine.schema import FEED_FIELD, feed_of
from termnews.engine.searcher import Searcher
from termnews.engine.sync import sync
from termnews.feeds.stories import slugify as feeds_slugify
from termnews.feeds.stories import story_relpath
from termnews.results import Results, SortOrder
from termnews.slugs import slugify
from termnews.state.store import Snapshot

#: Feed names as a config file gives them; the folders are made from them.
HARBOUR = "Harbour Beacon"
ISLAND = "Île Côtière: News!"
HARBOURSIDE = "Harbourside Weekly"
FEEDS = (HARBOUR, ISLAND, HARBOURSIDE)


@dataclass(frozen=True)
class Story:
    name: str
    feed: str | None
    words: frozenset[str]
    month: int

    @property
    def relpath(self) -> str:
        if self.feed is None:
            return f"own/{self.name}.txt"
        published = datetime(2026, self.month, 3, 9, 0, tzinfo=UTC)
        return str(story_relpath(self.feed, published, self.name, self.name))

    def text(self) -> str:
        return (
            f"{self.name.title()}\n\nPublished 2026-{self.month:02d}-03 09:00 UTC\n\n"
            f"The {' '.join(sorted(self.words))} of Quillmouth, item {self.name}.\n"
        )


WORDS = ("council", "seawall", "ferry")


def _stories() -> list[Story]:
    made = []
    for number, (feed, words) in enumerate(
        itertools.product((*FEEDS, None), (("council",), ("council", "seawall"), ("ferry",)))
    ):
        made.append(Story(f"item-{number:02d}", feed, frozenset(words), 10 + number % 3))
    return made


STORIES = _stories()
#: Written first as a draft, then as its story: a deleted document in the first segment.
EDITED = STORIES[0]
#: Moved from the island feed's folder to the harbour feed's between the syncs.
MOVED = STORIES[4]
FINAL = [Story(s.name, HARBOUR, s.words, s.month) if s is MOVED else s for s in STORIES]


def _write(archive: Path, story: Story, text: str | None = None) -> None:
    path = archive / story.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text or story.text(), encoding="utf-8")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feed-filter")
    archive, index = root / "archive", root / "index"
    for story in STORIES:
        _write(archive, story, "Draft\n\nNothing yet.\n" if story is EDITED else None)
    sync(archive, index, procs=1)
    _write(archive, EDITED)
    (archive / MOVED.relpath).unlink()
    _write(archive, FINAL[STORIES.index(MOVED)])
    sync(archive, index, procs=1)
    return index


class ReadState:
    """A `StateView` in which the stories named are read."""

    def __init__(self, identities: frozenset[str]) -> None:
        self.current = Snapshot((1, 0), identities)

    def snapshot(self) -> Snapshot:
        return self.current


@pytest.fixture(scope="module")
def searcher(index: Path) -> Iterator[Searcher]:
    with Searcher(index) as opened:
        yield opened


def story_name(path: str) -> str:
    """`item-07` from `…/item-07-1a2b3c4d.txt` (fetched) or `own/item-07.txt`."""
    return Path(path).stem[: len("item-00")]


def all_names(searcher: Searcher, results: Results) -> list[str]:
    names: list[str] = []
    for start in range(0, results.total, 4):
        names += [story_name(hit.path) for hit in searcher.hits(results, start, start + 4)]
    return names


def found(searcher: Searcher, query: str, sort: SortOrder = SortOrder.RELEVANCE) -> set[str]:
    """The stories `query` finds, read page by page: none twice, as many as the total says."""
    results = searcher.search(query, sort=sort, limit=3)
    assert results.notice is None, (query, results.notice)
    names = all_names(searcher, results)
    assert len(names) == len(set(names)) == results.total, query
    return set(names)


def names(condition) -> set[str]:  # type: ignore[no-untyped-def]
    return {story.name for story in FINAL if condition(story)}


# -- where a story's feed comes from ----------------------------------------------------------


def test_a_story_s_feed_is_the_folder_fetch_wrote_it_to() -> None:
    assert feed_of("feeds/harbour-beacon/2026/12/seawall-1a2b3c4d.txt") == "harbour-beacon"
    assert feed_of("feeds/harbour-beacon/undated/story-1a2b3c4d.txt") == "harbour-beacon"
    assert feed_of("own/feeds/x/y.txt") is None
    assert feed_of("feeds/loose.txt") is None
    assert feed_of("story.txt") is None


def test_the_folder_rule_is_one_function_shared_with_fetch() -> None:
    assert feeds_slugify is slugify
    assert slugify(ISLAND) == "ile-cotiere-news"


# -- searching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        'feed:"Harbour Beacon"',
        "feed:harbour-beacon",
        "feed:HARBOUR-BEACON",
        'feed:"harbour   beacon"',
        'feed:"HARBOUR BEACON!"',
    ],
)
def test_a_feed_is_found_by_its_name_or_its_folder_in_any_case(
    searcher: Searcher, typed: str
) -> None:
    assert found(searcher, typed) == names(lambda s: s.feed == HARBOUR)


@pytest.mark.parametrize(
    "typed", ['feed:"île côtière: news!"', 'feed:"Ile Cotiere News"', "feed:ile-cotiere-news"]
)
def test_accents_and_punctuation_do_not_count(searcher: Searcher, typed: str) -> None:
    assert found(searcher, typed) == names(lambda s: s.feed == ISLAND)


def test_a_feed_is_its_own_folder_not_every_feed_its_name_begins(searcher: Searcher) -> None:
    """`harbour-beacon` and `harbourside-weekly` share a beginning, not a feed."""
    harbourside = found(searcher, 'feed:"Harbourside Weekly"')
    assert harbourside == names(lambda s: s.feed == HARBOURSIDE)
    assert found(searcher, "feed:harbour") == set()


def test_the_moved_story_counts_in_its_new_feed_only(searcher: Searcher) -> None:
    assert MOVED.name in found(searcher, "feed:harbour-beacon")
    assert MOVED.name not in found(searcher, "feed:ile-cotiere-news")
    assert EDITED.name in found(searcher, "feed:harbour-beacon seawall") | found(
        searcher, "feed:harbour-beacon council"
    )


QUERIES = {
    "council feed:harbour-beacon": lambda s: "council" in s.words and s.feed == HARBOUR,
    "council -feed:harbour-beacon": lambda s: "council" in s.words and s.feed != HARBOUR,
    "NOT feed:harbour-beacon": lambda s: s.feed != HARBOUR,
    "-feed:harbour-beacon": lambda s: s.feed != HARBOUR,
    "feed:harbour-beacon OR feed:ile-cotiere-news": lambda s: s.feed in (HARBOUR, ISLAND),
    "(feed:harbour-beacon seawall) OR ferry": lambda s: (
        (s.feed == HARBOUR and "seawall" in s.words) or "ferry" in s.words
    ),
    "ferry AND NOT (feed:harbourside-weekly OR feed:harbour-beacon)": lambda s: (
        "ferry" in s.words and s.feed not in (HARBOURSIDE, HARBOUR)
    ),
    "feed:harbour-beacon date:2026-11": lambda s: s.feed == HARBOUR and s.month == 11,
    "feed:harbour-beacon -date:2026-11": lambda s: s.feed == HARBOUR and s.month != 11,
    "sea* feed:harbour-beacon": lambda s: "seawall" in s.words and s.feed == HARBOUR,
    "council~1 -feed:harbour-beacon": lambda s: "council" in s.words and s.feed != HARBOUR,
    '"the council" feed:harbourside-weekly': lambda s: (
        "council" in s.words and s.feed == HARBOURSIDE
    ),
}


@pytest.mark.parametrize("query", sorted(QUERIES))
@pytest.mark.parametrize("sort", list(SortOrder))
def test_feed_combines_with_words_operators_groups_and_dates(
    searcher: Searcher, query: str, sort: SortOrder
) -> None:
    assert found(searcher, query, sort) == names(QUERIES[query])


def test_a_feed_alone_lists_newest_first_and_scores_nothing(searcher: Searcher) -> None:
    results = searcher.search("feed:harbour-beacon", limit=20)
    assert results.sort is SortOrder.NEWEST
    with_feed = searcher.search("council feed:harbour-beacon", limit=20)
    alone = searcher.search("council", limit=20)
    scores = {hit.path: hit.score for hit in alone.hits}
    for hit in with_feed.hits:
        assert hit.score == pytest.approx(scores[hit.path], abs=1e-6)


def test_a_feed_combines_with_the_reading_state(index: Path) -> None:
    with Searcher(index) as plain:
        identity = {story_name(h.path): h.identity for h in plain.search("", limit=100).hits}
    read = frozenset(identity[s.name] for s in FINAL[::2])
    read_names = {s.name for s in FINAL[::2]}
    with Searcher(index, state=ReadState(read)) as searcher:
        assert found(searcher, "council feed:harbour-beacon NOT is:read") == names(
            lambda s: "council" in s.words and s.feed == HARBOUR and s.name not in read_names
        )
        assert found(searcher, "is:read -feed:harbour-beacon") == names(
            lambda s: s.name in read_names and s.feed != HARBOUR
        )


def test_an_empty_feed_value_is_ignored_with_a_notice(searcher: Searcher) -> None:
    results = searcher.search('council feed:""', limit=50)
    assert results.notice is not None and "feed:" in results.notice
    assert results.total == len(names(lambda s: "council" in s.words))


# -- as it is typed -----------------------------------------------------------------------------


def typed(searcher: Searcher, text: str) -> tuple[set[str], str | None]:
    results = searcher.search_as_you_type(text, limit=100)
    return {story_name(h.path) for h in results.hits}, results.pending_word


def test_a_partial_feed_typed_last_finds_every_feed_it_may_become(searcher: Searcher) -> None:
    assert typed(searcher, "feed:harb") == (names(lambda s: s.feed in (HARBOUR, HARBOURSIDE)), None)
    assert typed(searcher, "feed:harbour-b") == (names(lambda s: s.feed == HARBOUR), None)
    assert typed(searcher, "ferry feed:i") == (
        names(lambda s: "ferry" in s.words and s.feed == ISLAND),
        None,
    )


def test_a_quoted_feed_name_being_typed_is_completed(searcher: Searcher) -> None:
    assert typed(searcher, 'feed:"Harbour Bea') == (names(lambda s: s.feed == HARBOUR), None)
    assert typed(searcher, 'council feed:"Île Cô') == (
        names(lambda s: "council" in s.words and s.feed == ISLAND),
        None,
    )


def test_a_feed_typed_last_that_finds_nothing_waits(searcher: Searcher) -> None:
    """Like a partial word: the list stays that of the words before it."""
    council = names(lambda s: "council" in s.words)
    assert typed(searcher, "council feed:zz") == (council, "feed:zz")
    assert typed(searcher, "council feed:") == (council, "feed:")
    assert typed(searcher, 'council feed:"') == (council, 'feed:"')


def test_a_negated_partial_feed_waits_until_it_names_a_feed(searcher: Searcher) -> None:
    """Leaving out every feed `harb` begins would drop stories the finished name keeps."""
    everything = names(lambda s: True)
    assert typed(searcher, "-feed:harb") == (everything, "-feed:harb")
    assert typed(searcher, "NOT feed:harbour-beacon") == (names(lambda s: s.feed != HARBOUR), None)


def test_completion_names_the_feed_folders_a_prefix_may_become(searcher: Searcher) -> None:
    gen = searcher._gen
    completer = Completer(gen.lexicon, gen.reader.doc_count_all())
    assert completer(FEED_FIELD, "harb") == {FEED_FIELD: ["harbour-beacon", "harbourside-weekly"]}
    assert completer(FEED_FIELD, "q") == {}
    parsed = parse(gen.parser, "feed:ile", datetime(2026, 12, 2), completer)
    assert parsed.pending is None
    assert "ile-cotiere-news" in repr(parsed.form)
