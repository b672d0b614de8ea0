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
class Settings:
    """Everything read from the config file, plus what was wrong with it.

    `keys` maps an action name to the key names the person chose for it, already normalised
    (see `termnews.settings.keys`); `check_keys` merges them with a front end's defaults.
    `problems` are complete sentences for the person, in file order; a front end shows them
    and carries on with whatever was valid.
    """

    searches: tuple[SavedSearch, ...] = ()
    # Not hashed: a dict cannot be, and nothing needs a Settings as a dict key.
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    problems: tuple[str, ...] = ()
    path: Path | None = None

    def search(self, name: str) -> SavedSearch | None:
        """The saved search called `name`, or None."""
        return next((saved for saved in self.searches if saved.name == name), None)
