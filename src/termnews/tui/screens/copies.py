"""The copies of a story (`C`): the same body filed again by another agency or feed.

The list opens at once; the copies, and the two stories a diff compares, are read by a
worker (the searcher may be busy with another thread). Enter opens the highlighted copy in
the story view; `d` shows how it differs from the story the list was opened on, paragraph
by paragraph (`CopyDiffScreen`); Esc closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from termnews.article import Article
from termnews.formatting import short_date
from termnews.results import Hit
from termnews.tui.screens.copies_diff import CopyDiffScreen
from termnews.tui.story import copy_source

#: The other copies of the story at a path (`Searcher.copies`), in a worker thread.
FindCopies = Callable[[str], Sequence[Hit]]
#: The whole story at a path (`Searcher.article`), in a worker thread.
LoadArticle = Callable[[str], Article]

NO_COPIES = "No other copies of this story in the archive."


def copy_prompt(copy: Hit) -> Content:
    """One row: the copy's headline, then its source and date, dim."""
    headline = Content(copy.headline or "(no headline)").stylize("bold")
    where = " · ".join(
        part
        for part in (copy_source(copy), short_date(copy.published, copy.date_estimated))
        if part
    )
    return headline + Content("\n  ") + Content(where).stylize("dim")


class CopiesScreen(ModalScreen[Hit | None]):
    """The other copies of one story; dismissed with the copy to open, or None."""

    DEFAULT_CSS = """
    CopiesScreen {
        align: center middle;
    }
    CopiesScreen #copies-box {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    CopiesScreen #copies-list {
        height: auto;
        max-height: 20;
        border: none;
        padding: 0;
    }
    CopiesScreen #copies-empty {
        color: $text-muted;
        text-style: italic;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("d", "diff", "Differences from this story"),
    ]

    @dataclass
    class Found(Message):
        """The worker read the copies."""

        copies: tuple[Hit, ...]

    @dataclass
    class Compared(Message):
        """The worker read both stories of a diff."""

        ours: Article
        theirs: Article
        copy: Hit

    @dataclass
    class Failed(Message):
        """A worker could not read what it was asked for."""

        text: str

    def __init__(
        self,
        path: str,
        headline: str,
        *,
        find: FindCopies,
        load: LoadArticle,
        copies: Sequence[Hit] | None = None,
    ) -> None:
        """`copies`: the copies if already known (the story view has them), else found."""
        super().__init__()
        self.path = path
        self.headline = headline
        self._find = find
        self._load = load
        self.copies: tuple[Hit, ...] | None = tuple(copies) if copies is not None else None

    def compose(self) -> ComposeResult:
        with Vertical(id="copies-box") as box:
            box.border_title = f"Copies of: {self.headline or '(no headline)'}"
            box.border_subtitle = "Enter: open · d: differences · Esc: close"
            yield OptionList(id="copies-list")
            yield Static(Content("Looking for copies…"), id="copies-empty", markup=False)

    def on_mount(self) -> None:
        if self.copies is not None:
            self._fill(self.copies)
        else:
            self._find_copies(self.path)
        self.set_focus(self.option_list)

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#copies-list", OptionList)

    @work(thread=True, exclusive=True, group="copies", exit_on_error=False)
    def _find_copies(self, path: str) -> None:
        try:
            self.post_message(self.Found(tuple(self._find(path))))
        except Exception as error:  # a story gone from the index: say so, stay open
            self.post_message(self.Failed(f"Could not list the copies: {error}"))

    def on_copies_screen_found(self, message: Found) -> None:
        self._fill(message.copies)

    def _fill(self, copies: tuple[Hit, ...]) -> None:
        self.copies = copies
        self.option_list.set_options(
            Option(copy_prompt(copy), id=str(index)) for index, copy in enumerate(copies)
        )
        empty = self.query_one("#copies-empty", Static)
        empty.display = not copies
        if copies:
            self.option_list.highlighted = 0
        else:
            empty.update(Content(NO_COPIES))

    def on_copies_screen_failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", markup=False)

    @property
    def highlighted_copy(self) -> Hit | None:
        index = self.option_list.highlighted
        if self.copies is None or index is None or not 0 <= index < len(self.copies):
            return None
        return self.copies[index]

    @on(OptionList.OptionSelected, "#copies-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.copies is not None:
            self.dismiss(self.copies[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)

    def action_diff(self) -> None:
        """`d`: how the highlighted copy differs from the story, paragraph by paragraph."""
        copy = self.highlighted_copy
        if copy is not None:
            self._compare(self.path, copy)

    @work(thread=True, exclusive=True, group="copies-diff", exit_on_error=False)
    def _compare(self, path: str, copy: Hit) -> None:
        try:
            ours, theirs = self._load(path), self._load(copy.path)
        except Exception as error:
            self.post_message(self.Failed(f"Could not compare them: {error}"))
            return
        self.post_message(self.Compared(ours, theirs, copy))

    def on_copies_screen_compared(self, message: Compared) -> None:
        self.app.push_screen(
            CopyDiffScreen(message.ours, message.theirs, copy_source(message.copy))
        )
