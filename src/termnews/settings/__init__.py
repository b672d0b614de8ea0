"""The user config file: saved searches and key bindings, read by the CLI and the browser.

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

Reading never raises: `load_settings()` returns a `Settings` whose `problems` are sentences
naming the file and the line or entry at fault; a broken file reads as empty settings, so the
browser still starts. Writing (`save_search`, `remove_search`) edits the file in place keeping
the person's comments and order, and refuses, with a `ConfigFileError`, to touch a file it
cannot parse. Key names are explained in `termnews.settings.keys`.

Nothing here imports Textual, Whoosh or the engine: the CLI reads this file too.
"""

from typing import TYPE_CHECKING, Any

from termnews.settings.keys import KeyNameError, check_keys, normalize_key, normalize_keys
from termnews.settings.location import CONFIG_ENV, ConfigFileError, config_path
from termnews.settings.model import SavedSearch, Settings
from termnews.settings.reading import load_settings

if TYPE_CHECKING:
    from termnews.settings.saving import remove_search, save_search

_SAVING = ("remove_search", "save_search")


def __getattr__(name: str) -> Any:
    """Load the writer (and tomlkit) only when a search is saved or removed, not at startup."""
    if name in _SAVING:
        from termnews.settings import saving

        return getattr(saving, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CONFIG_ENV",
    "ConfigFileError",
    "KeyNameError",
    "SavedSearch",
    "Settings",
    "check_keys",
    "config_path",
    "load_settings",
    "normalize_key",
    "normalize_keys",
    "remove_search",
    "save_search",
]
