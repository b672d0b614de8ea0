"""The settings as plain frozen values: what the CLI and the browser read, never TOML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SavedSearch:
    """A query a person named so they can run it again without retyping it."""

    name: str
    query: str


@dataclass(frozen=True)
class FeedSubscription:
    """One `[[feeds]]` entry: a feed URL (http or https), and how its stories are kept.

    `tags` are already normalised (see `termnews.state.tags`); `fulltext` is "auto" (fetch the
    page when the feed gives only a summary), "always" or "never".
    """

    url: str
    name: str | None = None
    tags: tuple[str, ...] = ()
    fulltext: str = "auto"

    @property
    def label(self) -> str:
        """What to call the feed in a message: its name, else its URL."""
        return self.name or self.url


def _default_archive() -> Path:
    from termnews.config import data_dir

    return data_dir() / "news"


@dataclass(frozen=True)
class FetchSettings:
    """The `[fetch]` table: where fetched stories go, and how often to fetch (None: on demand).

    `archive` defaults to `news` in termnews's data dir, next to the reading state, because
    fetched stories, like marks, cannot be rebuilt once a feed has dropped them.
    """

    archive: Path = field(default_factory=_default_archive)
    every: str | None = None
    every_seconds: int | None = None


@dataclass(frozen=True)
class WatchSettings:
    """The `[watch]` table: how the browser follows its archive while open.

    `poll` looks at the files every so often instead of waiting to be told of changes, for
    network mounts (NFS, SMB, sshfs) where change notifications never arrive; the same as
    `termnews browse --poll`.
    """

    poll: bool = False


@dataclass(frozen=True)
class Settings:
    """Everything read from the config file, plus what was wrong with it.

    `keys` maps an action name to the key names the person chose for it, already normalised
    (see `termnews.settings.keys`); `check_keys` merges them with a front end's defaults.
    `problems` are complete sentences for the person, in file order; a front end shows them
    and carries on with whatever was valid.
    """

    searches: tuple[SavedSearch, ...] = ()
    feeds: tuple[FeedSubscription, ...] = ()
    fetch: FetchSettings = field(default_factory=FetchSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)
    # Not hashed: a dict cannot be, and nothing needs a Settings as a dict key.
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    problems: tuple[str, ...] = ()
    path: Path | None = None

    def search(self, name: str) -> SavedSearch | None:
        """The saved search called `name`, or None."""
        return next((saved for saved in self.searches if saved.name == name), None)

    def feed(self, url_or_name: str) -> FeedSubscription | None:
        """The feed with this URL (compared as `feed_url_key` does), else the first so named."""
        from termnews.settings.subscriptions import feed_url_key

        key = feed_url_key(url_or_name)
        by_url = next((feed for feed in self.feeds if feed_url_key(feed.url) == key), None)
        return by_url or next((feed for feed in self.feeds if feed.name == url_or_name), None)
