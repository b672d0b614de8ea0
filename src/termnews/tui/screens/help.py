"""The `?` screen: a key reference generated from the bindings the widgets really have.

Generating it (rather than writing it out) means the help can never disagree with the keys,
including the ones a person changed in the config file. Each rebindable key is followed by
its action name, dim, which is what the config's `[keys]` table calls it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from termnews.tui.keymap import as_binding

#: Friendlier spellings of Textual key names for the reference.
KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "asterisk": "*",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "space": "space",
    "escape": "Esc",
    "enter": "Enter",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "down": "↓",
    "up": "↑",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
    "f1": "F1",
}


def key_label(keys: str) -> str:
    """`down,j` -> `↓ j`; `ctrl+q` -> `ctrl+q`."""
    return " ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


#: Shown for an action the config left without a key.
NO_KEY_LABEL = "(no key)"


def help_rows(
    sections: Iterable[tuple[str, list[BindingType]]],
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(section title, [(keys, description, action id)]) for every described binding."""
    rows = []
    for title, bindings in sections:
        entries = []
        seen: set[str] = set()
        for raw in bindings:
            binding = as_binding(raw)
            if binding is None or not binding.description or binding.system:
                continue
            label = key_label(binding.key)
            if (label, binding.description) in seen:
                continue
            seen.add((label, binding.description))
            entries.append((label, binding.description, binding.id or ""))
        if entries:
            rows.append((title, entries))
    return rows


def help_content(sections: Iterable[tuple[str, list[BindingType]]]) -> Content:
    """The whole reference as one `Content`: a heading per section, then `keys  description`."""
    rows = help_rows(sections)
    width = max((len(label) for _, entries in rows for label, _, _ in entries), default=4) + 2
    described = max((len(text) for _, entries in rows for _, text, _ in entries), default=4) + 2
    content = Content("")
    for number, (title, entries) in enumerate(rows):
        if number:
            content += Content("\n\n")
        content += Content(title).stylize("bold")
        for label, description, action in entries:
            content += Content("\n  ") + Content(label.ljust(width)).stylize("bold $accent")
            if action:
                content += Content(description.ljust(described)) + Content(action).stylize("dim")
            else:
                content += Content(description)
    return content


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works. Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help"),
    ]

    def __init__(self, sections: list[tuple[str, list[BindingType]]], config: str = "") -> None:
        """`config` names the file whose `[keys]` table changes the keys."""
        super().__init__()
        self._sections = sections
        self._config = config

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "termnews keys"
            box.border_subtitle = "Esc to close"
            content = help_content(self._sections)
            if self._config:
                content += Content("\n\n") + Content(
                    f"Change a key in {self._config} with a [keys] line naming the dim "
                    'action: star = "x"'
                ).stylize("dim")
            yield Static(content, markup=False, id="help-text")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
