"""A one-line question over the browser: the tag prompt and the name of a search to save.

Enter answers, Esc cancels. An answer the caller's `check` refuses keeps the prompt open
with the reason under the box, so a typing slip costs one correction, not a retyped line.
Tab (or Right at the end) takes the grey completion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

#: Checks an answer: None if it will do, else why not (shown under the box).
Check = Callable[[str], str | None]


class LastWordSuggester(Suggester):
    """Completes the last word of the line from `names`, keeping a leading `+` or `-`.

    `names` is called for each suggestion, so tags added meanwhile are offered too; for a
    `-` word, `removable` (the story's own tags) is offered before the rest.
    """

    def __init__(
        self,
        names: Callable[[], Sequence[str]],
        removable: Callable[[], Sequence[str]] = lambda: (),
    ) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._names = names
        self._removable = removable

    async def get_suggestion(self, value: str) -> str | None:
        head, _, word = value.rpartition(" ")
        sign = word[:1] if word[:1] in "+-" else ""
        stem = word[len(sign) :]
        if not stem:
            return None
        candidates = [*self._removable(), *self._names()] if sign == "-" else self._names()
        for name in candidates:
            if name.startswith(stem) and name != stem:
                return f"{head} {sign}{name}" if head else f"{sign}{name}"
        return None


class PromptInput(Input):
    """The prompt's box: Tab takes the completion instead of moving the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "cursor_right", "Complete", show=False),
    ]


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line; dismissed with the answer, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        *,
        hint: str = "",
        value: str = "",
        placeholder: str = "",
        suggester: Suggester | None = None,
        check: Check | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._title = title
        self._hint = hint
        self._value = value
        self._placeholder = placeholder
        self._suggester = suggester
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box") as box:
            box.border_title = self._title
            box.border_subtitle = "Enter: done · Esc: cancel"
            if self._hint:
                yield Static(Content(self._hint), classes="prompt-hint", markup=False)
            yield PromptInput(
                self._value,
                placeholder=self._placeholder,
                suggester=self._suggester,
                select_on_focus=False,
                id="prompt-input",
            )
            yield Static(Content(""), classes="prompt-problem", markup=False)

    def on_mount(self) -> None:
        box = self.query_one(PromptInput)
        box.cursor_blink = False  # see SearchBar: a blink is traffic over a slow link
        box.cursor_position = len(box.value)
        self.set_focus(box)

    @property
    def problem(self) -> str:
        """What is wrong with the last answer given, if it was refused."""
        return str(self.query_one(".prompt-problem", Static).content)

    @on(Input.Submitted, "#prompt-input")
    def _answered(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self._check(event.value) if self._check is not None else None
        if problem:
            self.query_one(".prompt-problem", Static).update(Content(problem))
            return
        self.dismiss(event.value)

    @on(Input.Changed, "#prompt-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one(".prompt-problem", Static).update(Content(""))

    def action_cancel(self) -> None:
        """Esc: leave without an answer."""
        self.dismiss(None)
