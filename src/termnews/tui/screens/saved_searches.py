"""The saved searches: each with how many stories it finds and how many of those are unread.

The list opens at once with the names; the counts follow from a worker (each is a search, and
the engine may be busy), filled in row by row. Unread is what `(QUERY) is:unread` finds, so it
is exactly what running the search and narrowing it to unread stories would list.

Enter runs the highlighted search in the browser; `a` saves the query in the search box
under a name; `d` forgets the highlighted one. Both edit the config file through
`termnews.settings`, which keeps the person's comments and refuses a file it cannot parse.
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
from textual.worker import get_current_worker

from termnews.errors import TermnewsError
from termnews.settings import SavedSearch
from termnews.tui.screens.confirm import ConfirmScreen
from termnews.tui.screens.prompt import PromptScreen

#: Counts a query's matches (`Searcher.search(...).total`), in a worker thread.
Count = Callable[[str], int]
#: Saves (name, query) and returns the searches as they are now; raises TermnewsError.
Save = Callable[[str, str], Sequence[SavedSearch]]
#: Forgets the search called name and returns the searches as they are now.
Remove = Callable[[str], Sequence[SavedSearch]]

NAME_WIDTH = 28
COUNT_WIDTH = 8
NOT_COUNTED = "…"


def unread_query(query: str) -> str:
    """The query for the unread stories among a saved search's."""
    return f"({query}) is:unread" if query.strip() else "is:unread"


def counts_line(total: int | None, unread: int | None) -> str:
    """`   1,234      56` with `…` for a count still on its way."""
    shown = [NOT_COUNTED if n is None else f"{n:,}" for n in (total, unread)]
    return "".join(text.rjust(COUNT_WIDTH) for text in shown)


def save_search_prompt(
    query: str, searches: Sequence[SavedSearch], id: str | None = None
) -> PromptScreen:
    """The prompt that names `query` to save it (`S` then `a`, or ctrl+s anywhere).

    Saving a query that is saved already offers its name, so Enter updates it.
    """
    suggested = next((saved.name for saved in searches if saved.query == query), "")
    return PromptScreen(
        "Save search",
        hint=f"Save {query!r} as:",
        value=suggested,
        placeholder="a name, e.g. Harbour strikes",
        check=lambda name: None if name.strip() else "A saved search needs a name.",
        id=id,
    )


def search_prompt(saved: SavedSearch, total: int | None, unread: int | None) -> Content:
    """One row: the name and the counts side by side, the query dim beneath."""
    name = saved.name if len(saved.name) <= NAME_WIDTH else saved.name[: NAME_WIDTH - 1] + "…"
    first = Content(name.ljust(NAME_WIDTH)).stylize("bold") + Content(counts_line(total, unread))
    return first + Content("\n  ") + Content(saved.query or "(every story)").stylize("dim")


@dataclass(frozen=True)
class RunSearch:
    """What the screen is dismissed with: run this saved search."""

    saved: SavedSearch


class SavedSearchesScreen(ModalScreen[RunSearch | None]):
    """The saved searches with their counts; Enter runs one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("a", "save_current", "Save current search"),
        Binding("d,delete", "remove", "Forget search"),
    ]

    @dataclass
    class Counted(Message):
        """The worker counted saved search `index` of the list it was given."""

        searches: tuple[SavedSearch, ...]
        index: int
        total: int
        unread: int

    def __init__(
        self,
        searches: Sequence[SavedSearch],
        *,
        count: Count | None,
        current_query: str,
        save: Save,
        remove: Remove,
        config_path: str,
        config_has_problems: bool = False,
    ) -> None:
        super().__init__()
        self.searches = tuple(searches)
        self._count = count
        self._current_query = current_query
        self._save = save
        self._remove = remove
        self._config_path = config_path
        self._config_has_problems = config_has_problems
        self.counts: dict[int, tuple[int, int]] = {}
        """index -> (total, unread), as the worker delivers them."""

    def compose(self) -> ComposeResult:
        with Vertical(id="searches-box") as box:
            box.border_title = "Saved searches"
            box.border_subtitle = "Enter: run · a: save current · d: forget · Esc: close"
            header = "Name".ljust(NAME_WIDTH) + "Stories".rjust(COUNT_WIDTH)
            yield Static(Content(header + "Unread".rjust(COUNT_WIDTH)).stylize("bold"))
            yield OptionList(id="searches-list")
            yield Static(Content(""), id="searches-empty", markup=False)

    def on_mount(self) -> None:
        self._fill()

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#searches-list", OptionList)

    def _fill(self) -> None:
        """Show `self.searches` and count them afresh."""
        self.counts = {}
        options = self.option_list
        options.set_options(
            Option(search_prompt(saved, None, None), id=str(index))
            for index, saved in enumerate(self.searches)
        )
        empty = self.query_one("#searches-empty", Static)
        if self.searches:
            empty.update(Content(""))
            empty.display = False
            options.highlighted = 0
        else:
            empty.display = True
            if self._config_has_problems:
                text = (
                    f"No saved searches: {self._config_path} has problems, named when "
                    "termnews started. Fix them and start again."
                )
            else:
                text = (
                    "No saved searches yet. Press a to save the query in the search box, "
                    f"or add [[searches]] entries to {self._config_path}."
                )
            empty.update(Content(text))
        self.set_focus(options)
        if self._count is not None and self.searches:
            self._count_all(self.searches, self._count)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _count_all(self, searches: tuple[SavedSearch, ...], count: Count) -> None:
        """Each search's total and unread count, posted one search at a time."""
        worker = get_current_worker()
        for index, saved in enumerate(searches):
            if worker.is_cancelled:
                return
            total = count(saved.query)
            unread = count(unread_query(saved.query)) if total else 0
            self.post_message(self.Counted(searches, index, total, unread))

    def on_saved_searches_screen_counted(self, message: Counted) -> None:
        if message.searches != self.searches:
            return  # counted for a list since changed
        self.counts[message.index] = (message.total, message.unread)
        saved = self.searches[message.index]
        self.option_list.replace_option_prompt_at_index(
            message.index, search_prompt(saved, message.total, message.unread)
        )

    @on(OptionList.OptionSelected, "#searches-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(RunSearch(self.searches[event.option_index]))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_save_current(self) -> None:
        """`a`: name the query in the search box and save it."""
        query = self._current_query
        if not query.strip():
            self.notify("Type a query first: there is nothing to save.", severity="warning")
            return
        self.app.push_screen(save_search_prompt(query, self.searches), self._save_as)

    def _save_as(self, name: str | None) -> None:
        if name is None:
            return
        try:
            self.searches = tuple(self._save(name.strip(), self._current_query))
        except TermnewsError as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return
        self.notify(f"Saved as {name.strip()!r}.", timeout=3, markup=False)
        self._fill()

    def action_remove(self) -> None:
        """`d`: forget the highlighted search (after a yes)."""
        index = self.option_list.highlighted
        if index is None or not self.searches:
            return
        saved = self.searches[index]

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.searches = tuple(self._remove(saved.name))
            except TermnewsError as error:
                self.notify(str(error), title="Not removed", severity="error", markup=False)
                return
            self.notify(f"Forgot {saved.name!r}.", timeout=3, markup=False)
            self._fill()

        self.app.push_screen(
            ConfirmScreen(f"Forget the saved search {saved.name!r}? y/n"), answered
        )
