"""What is wrong at start, said once: the config file's problems and a read-only reading state.

The browser starts all the same, on the defaults for whatever the config file got wrong and
without changing marks when the reading state cannot be written, so each problem is one
notification that stays up long enough to be read, never an error that stops the browser.
"""

from __future__ import annotations

from textual.app import App

from termnews.settings import Settings
from termnews.state.store import StateStore
from termnews.tui.keymap import KeysInEffect

#: How long a start-up problem stays on screen: long enough to read a list of them.
PROBLEM_TIMEOUT = 30
#: How the messages name a config file the browser was given no path for (tests see no
#: temporary path).
DEFAULT_CONFIG_NAME = "config.toml"


def config_file_label(settings: Settings) -> str:
    """The config file as messages and the help name it: its whole path when known."""
    return str(settings.path) if settings.path is not None else DEFAULT_CONFIG_NAME


def config_file_name(settings: Settings) -> str:
    """The config file's name alone, as the `[keys]` problems name it."""
    return settings.path.name if settings.path is not None else DEFAULT_CONFIG_NAME


def config_problems(settings: Settings, keys: KeysInEffect) -> list[str]:
    """What is wrong with the config file, each naming the file (and line or entry)."""
    where = config_file_label(settings)
    problems = list(settings.problems)
    for problem in keys.problems:
        detail = problem.removeprefix("keys: ")
        problems.append(f"{where}: [keys] {detail}")
    return problems


def report_start_problems(app: App[None], config: list[str], state: StateStore) -> None:
    """Notify the config file's problems, then the reading state's, if there are any."""
    if config:
        app.notify(
            "\n".join(config),
            title="Config file problem" + ("s" if len(config) > 1 else ""),
            severity="error",
            timeout=PROBLEM_TIMEOUT,
            markup=False,
        )
    if state.problem:
        app.notify(
            f"{state.problem}. Marks cannot be changed, and none are shown, until it is fixed.",
            title="Reading state is read-only",
            severity="error",
            timeout=PROBLEM_TIMEOUT,
            markup=False,
        )
