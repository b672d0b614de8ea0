"""Bringing the news in: the subscribed feeds fetched into termnews's own archive, tagged, indexed.

`termnews fetch` and the browser's fetch key (`F`, and the `[fetch] every` timer) run the same
steps, so they live here, between the two front ends and the parts they join:

1. `fetch_feeds`: every feed fetched into the fetch archive (`fetch_archive`), the ledger
   and the full-text extractor opened and closed around the run;
2. `tag_stories`: each written story gets its feed's `tags` and its entry's own categories
   as reading-state tags, so `tag:NAME` finds it (`plan_tags` reads the stories,
   `apply_tags` writes the state);
3. `sync_archive`: the archive's index brought up to date.

The front ends decide what to show (a progress bar, a status line) and which index to sync.
The browser runs these steps in a process of its own (`termnews.fetch_child`), which sends
back the tag plan for the browser to apply to its own reading state, and syncs the
browser's own index only while the browser holds its lock. Nothing here imports a front end
(see the import-linter contracts in pyproject.toml).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from termnews.engine.sync import SyncReport
    from termnews.feeds.run import FeedOutcome, RunSummary
    from termnews.state.store import StateStore

#: The feed ledger's file in termnews's data dir: what each feed and entry became.
LEDGER_FILE = "feeds.db"


class Subscription(Protocol):
    """What bringing news in needs of one `[[feeds]]` entry (`settings.FeedSubscription`)."""

    url: str
    name: str | None
    tags: tuple[str, ...]
    fulltext: str


def fetch_archive(settings: Any) -> Path:
    """The archive fetched stories go to (`[fetch] archive`): termnews's own, made on first use."""
    archive = Path(settings.fetch.archive).expanduser()
    archive.mkdir(parents=True, exist_ok=True)
    return archive.resolve()


def fetch_feeds(
    feeds: Sequence[Subscription],
    archive: Path,
    *,
    progress: Callable[[FeedOutcome], None] | None = None,
    limits: Any = None,
    stop: threading.Event | None = None,
    threads: int | None = None,
) -> tuple[RunSummary, str | None]:
    """Fetch `feeds` into `archive`: (the run's summary, why there was no full text or None).

    `progress` is called once per feed as it finishes, from the calling thread; setting
    `stop` ends the run early (see `fetch_all`); `threads` bounds the feeds fetched at once.
    """
    from termnews import config
    from termnews.feeds.fulltext import FullTextExtractor
    from termnews.feeds.ledger import FeedLedger
    from termnews.feeds.run import FEED_THREADS, fetch_all

    ledger_path = config.data_dir() / LEDGER_FILE
    with FeedLedger(ledger_path) as ledger, FullTextExtractor() as extractor:
        summary = fetch_all(
            feeds,
            archive,
            ledger,
            extractor=extractor,
            progress=progress,
            limits=limits,
            stop=stop,
            threads=threads or FEED_THREADS,
        )
        return summary, extractor.problem


def story_tags(feed_tags: Iterable[str], categories: Iterable[str]) -> tuple[str, ...]:
    """A story's tags: its feed's, then its entry's categories made tags, without repeats.

    A category is used as it is when it already is a tag name (`normalise_tag`), else made
    into one as OPML folders are ("World News" -> `world-news`); one that leaves nothing (a
    category of punctuation only) is dropped.
    """
    from termnews.feeds.opml import as_tag

    tags = list(feed_tags)
    tags.extend(tag for category in categories if (tag := as_tag(category)))
    return tuple(dict.fromkeys(tags))


@dataclass
class TagPlan:
    """The tags to put on a run's stories: per tag, the story identities that get it."""

    by_tag: dict[str, list[str]] = field(default_factory=dict)
    headlines: dict[str, str] = field(default_factory=dict)
    """Each tagged story's headline, kept with its marks (see `StateStore.add_tag`)."""
    tagged: int = 0


def plan_tags(feeds: Iterable[Subscription], archive: Path, summary: RunSummary) -> TagPlan:
    """Which tags (`story_tags`) each written story gets; a file that no longer parses gets none.

    Reading the stories is the costly part, and needs no reading state: the browser's fetch
    process does it and sends the plan back, and the browser puts the tags on its own state.
    """
    from termnews.errors import TermnewsError
    from termnews.identity import story_identity
    from termnews.parsing import parse_file

    tags_of = {feed.url: feed.tags for feed in feeds}
    plan = TagPlan()
    for story in summary.written:
        tags = story_tags(tags_of.get(story.feed_url, ()), story.categories)
        if not tags:
            continue
        try:
            article = parse_file(archive / story.relpath)
        except (TermnewsError, OSError):
            continue
        identity = story_identity(article)
        plan.headlines[identity] = article.headline or ""
        plan.tagged += 1
        for tag in tags:
            plan.by_tag.setdefault(tag, []).append(identity)
    return plan


def apply_tags(plan: TagPlan, state: StateStore) -> int:
    """Put `plan`'s tags on its stories in `state`; returns how many stories got one.

    Raises `TermnewsError` (a read-only or busy reading state) for the caller to report.
    """
    for tag, identities in plan.by_tag.items():
        state.add_tag(identities, tag, plan.headlines)
    return plan.tagged


def tag_stories(
    feeds: Iterable[Subscription], archive: Path, summary: RunSummary, state: StateStore
) -> int:
    """Put each written story's tags (`story_tags`) on it in `state`; returns how many got one.

    A story file that no longer parses is skipped. Raises `TermnewsError` (a read-only or
    busy reading state) for the caller to report.
    """
    return apply_tags(plan_tags(feeds, archive, summary), state)


def sync_archive(archive: Path, index_dir: Path | None = None) -> SyncReport:
    """Bring the index of `archive` (its own, unless `index_dir`) up to date."""
    from termnews import config
    from termnews.engine.sync import sync

    return sync(archive, index_dir or config.resolve_index_dir(archive, None))


def summary_line(summary: RunSummary) -> str:
    """`12 feeds · 41 new · 1 failed`: one line for a notification."""
    feeds = len(summary.outcomes)
    parts = [f"{feeds} {'feed' if feeds == 1 else 'feeds'}", f"{summary.new} new"]
    if summary.updated:
        parts.append(f"{summary.updated} updated")
    parts.append(f"{summary.failed} failed")
    return " · ".join(parts)
