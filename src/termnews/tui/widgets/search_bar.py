"""The search box: an `Input` that never blinks and hands the keyboard to the list.

It has the focus at launch, so the first thing typed is a query. The cursor blink is off
because a blinking cursor sends a little traffic every half second for as long as the browser
is open, which a slow SSH link notices. Down and Enter move to the result list; Esc clears the
query, and on an empty box does nothing, so pressing it again is never destructive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

PLACEHOLDER = 'Search: words, "a phrase", by:ruiz, in:ottawa, date:2024 — empty lists all'


class SearchBar(Input):
    """The query box at the top of the browser."""

    #: The box's scrollable width grows with each letter typed. Textual lays the whole screen
    #: out again for that, in the frame that echoes the letter; but the box's own size is
    #: fixed by the stylesheet (one row, the screen's width), and its scrolling reads this
    #: value directly, so a repaint of the box is all a new width needs.
    virtual_size = Reactive(Size(0, 0), layout=False)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "Results", id="to_results"),
        Binding("escape", "clear", "Clear", show=False, id="clear_search"),
        Binding(
            "tab", "accept_suggestion", "Accept suggestion", show=False, id="accept_suggestion"
        ),
    ]

    @dataclass
    class Leave(Message):
        """The person wants the result list (Down)."""

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

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Keys typed into the box: the footer leaves out app keys that would be typed here.

        Textual cannot name the character of `slash`, so it is added: `/` types a slash.
        """
        return key == "slash" or super().check_consume_key(key, character)

    def action_to_results(self) -> None:
        """Move to the list (Down)."""
        self.post_message(self.Leave())

    def action_clear(self) -> None:
        """Esc: clear the query (every story is listed again); the box keeps the focus."""
        self.value = ""

    def action_accept_suggestion(self) -> None:
        """Tab: take the "did you mean" query, or move focus on as Tab usually does."""
        if self.suggestion and self.suggestion != self.value:
            self.value = self.suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
