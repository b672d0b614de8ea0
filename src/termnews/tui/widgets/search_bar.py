"""The search box: an `Input` that never blinks and hands the keyboard to the list.

The cursor blink is off because a blinking cursor costs about 1.5 KB/s of idle traffic, which
a slow SSH link notices. Down and Enter move to the result list; Esc clears the query first,
so a second Esc is never destructive.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = 'Search: words, "a phrase", by:ruiz, in:ottawa, date:2024 — empty lists all'


class SearchBar(Input):
    """The query box at the top of the browser."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "Results", show=False),
        Binding("escape", "clear_or_leave", "Clear", show=False),
        Binding("tab", "accept_suggestion", "Accept suggestion", show=False),
    ]

    class Leave(Message):
        """The person wants the result list (Down, Enter, or Esc on an empty box)."""

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(
            value=value,
            placeholder=PLACEHOLDER,
            id=id,
            select_on_focus=False,
        )
        self.cursor_blink = False
        self.suggestion: str | None = None
        """The engine's "did you mean" for the current query; Tab accepts it."""

    def action_to_results(self) -> None:
        """Move to the list (Down)."""
        self.post_message(self.Leave())

    def action_clear_or_leave(self) -> None:
        """Esc: clear the query if there is one, otherwise go to the list."""
        if self.value:
            self.value = ""
        else:
            self.post_message(self.Leave())

    def action_accept_suggestion(self) -> None:
        """Tab: take the "did you mean" query, or move focus on as Tab usually does."""
        if self.suggestion and self.suggestion != self.value:
            self.value = self.suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
