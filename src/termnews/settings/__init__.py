"""The user config file: saved searches, key bindings and feeds, read by the CLI and browser.

The file is TOML at `config_path()`: `$XDG_CONFIG_HOME/termnews/config.toml` (the platform's
user config dir), or the full path in $TERMNEWS_CONFIG. For example::

    # Searches I run every morning.
    [[searches]]
    name = "Harbour strikes"
    query = 'strike (harbour OR port) date:"last 7 days"'

    [[searches]]
    name = "Velmora grain"
    query = 'headline:wheat in:velmora'

    [keys]
    star = "x"                  # one key
    next_result = ["j", "down"] # or several
    focus_search = "?"          # punctuation as typed; "question_mark" works too
    help = "F1"

    [[feeds]]
    url = "https://news.example.org/harbour.rss"
    name = "Harbour Gazette"
    tags = ["coast", "shipping"]
    fulltext = "auto"           # "always", "never"; auto fetches the page for a bare summary

    [fetch]
    archive = "~/news/fetched"  # default: news/ in termnews's data dir
    every = "30m"               # how often the open browser fetches: s, m, h or d, >= 1m

    [watch]
    poll = true                 # look at the archive's files instead of waiting to be told:
                                # for network mounts (NFS, SMB, sshfs); as `browse --poll`

Reading never raises: `load_settings()` returns a `Settings` whose `problems` are sentences
naming the file and the line or entry at fault; a broken file reads as empty settings, so the
browser still starts. Writing (`save_search`, `remove_search`, `add_feed`, `add_feeds`,
`remove_feed`) edits the file in place keeping
the person's comments and order, and refuses, with a `ConfigFileError`, to touch a file it
cannot parse. Key names are explained in `termnews.settings.keys`.

Nothing here imports Textual, Whoosh or the engine: the CLI reads this file too.
"""

from typing import TYPE_CHECKING, Any

from termnews.settings.keys import KeyNameError, check_keys, normalize_key, normalize_keys
from termnews.settings.location import CONFIG_ENV, ConfigFileError, config_path
from termnews.settings.model import (
    FeedSubscription,
    FetchSettings,
    SavedSearch,
    Settings,
    WatchSettings,
)
from termnews.settings.reading import load_settings
from termnews.settings.subscriptions import FeedSettingError, check_feed_url

if TYPE_CHECKING:
    from termnews.settings.saving import (
        DuplicateFeedError,
        add_feed,
        add_feeds,
        remove_feed,
        remove_search,
        save_search,
    )

_SAVING = (
    "DuplicateFeedError",
    "add_feed",
    "add_feeds",
    "remove_feed",
    "remove_search",
    "save_search",
)


def __getattr__(name: str) -> Any:
    """Load the writer (and tomlkit) only when something is saved or removed, not at startup."""
    if name in _SAVING:
        from termnews.settings import saving

        return getattr(saving, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CONFIG_ENV",
    "ConfigFileError",
    "DuplicateFeedError",
    "FeedSettingError",
    "FeedSubscription",
    "FetchSettings",
    "KeyNameError",
    "SavedSearch",
    "Settings",
    "WatchSettings",
    "add_feed",
    "add_feeds",
    "check_feed_url",
    "check_keys",
    "config_path",
    "load_settings",
    "normalize_key",
    "normalize_keys",
    "remove_feed",
    "remove_search",
    "save_search",
]
