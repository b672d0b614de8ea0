"""The facets panel (`f`): who filed the current query's stories, and from where, with counts.

Three groups, agencies, datelines and authors, each its most common values among every
match (not only the rows on screen). Enter on a value narrows the query: the screen is
dismissed with the clause to add (`by:"Dana Vickery"`, `in:OTTAWA`, `agency:Reuters`),
which the browser appends to the search box, so the person sees the query that runs.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from termnews.engine.context import Context, Facet

#: Each group: its title and the query field its values narrow by (`engine.query.language`).
GROUPS = (("Agencies", "agency"), ("Datelines", "in"), ("Authors", "by"))
#: A value that can follow `field:` unquoted: letters and digits only.
_BARE = re.compile(r"[^\W_]+")


def clause(field: str, value: str) -> str:
    """The query clause that keeps the stories with `value` in `field`.

    A value of more than one word is quoted, so it is searched as a phrase in that field;
    a quote inside it (never seen in a name) is dropped, since a query cannot escape one.
    """
    value = " ".join(value.replace('"', " ").split())
    if _BARE.fullmatch(value):
        return f"{field}:{value}"
    return f'{field}:"{value}"'


def narrowed(query: str, added: str) -> str:
    """`query` with `added` after it (and nothing else when the query is empty)."""
    return f"{query.rstrip()} {added}" if query.strip() else added


#: Before the highlighted value, as the result list marks its cursor: a glyph, not only a
#: colour, so the cursor shows under NO_COLOR.
CURSOR = "▌ "
NO_CURSOR = "  "


def facet_prompt(facet: Facet, width: int, cursor: bool = False) -> Content:
    """`▌ 4,068  The Canadian Press`: the cursor mark, the count right-aligned, the value."""
    mark = CURSOR if cursor else NO_CURSOR
    return Content(f"{mark}{facet.count:>{width},}  ") + Content(facet.value)


class FacetsScreen(ModalScreen[str | None]):
    """The facets of the current query; dismissed with the clause to add, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f", "close", "Close"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self._facets: dict[str, tuple[Facet, int]] = {}
        """Each option's facet and count width, to redraw its prompt with the cursor."""
        self._marked: int | None = None

    def compose(self) -> ComposeResult:
        context = self.context
        title = f"{context.total:,} {'story' if context.total == 1 else 'stories'}"
        if context.query.strip():
            title = f"{context.query.strip()} · {title}"
        with Vertical(classes="prompt-box", id="facets-box"):
            yield Static(Content("Narrow the search by…").stylize("bold"), id="facets-title")
            yield Static(Content(title), classes="prompt-hint", id="facets-query")
            yield OptionList(*self._options(), id="facets-list")
            yield Static(
                Content("Enter adds it to the query · Esc closes"),
                classes="prompt-hint",
            )

    def _options(self) -> list[Option | None]:
        facets = self.context.facets
        groups = {"agency": facets.agencies, "in": facets.datelines, "by": facets.authors}
        found = [facet for group in groups.values() for facet in group]
        width = max((len(f"{facet.count:,}") for facet in found), default=1)
        options: list[Option | None] = []
        seen: set[str] = set()
        for title, field in GROUPS:
            options.append(Option(Content(title).stylize("bold underline"), disabled=True))
            values = groups[field]
            if not values:
                options.append(Option(Content("  (none)").stylize("dim"), disabled=True))
            for facet in values:
                added = clause(field, facet.value)
                if added not in seen:  # two spellings that read the same in a query
                    seen.add(added)
                    options.append(Option(facet_prompt(facet, width), id=added))
                    self._facets[added] = (facet, width)
        return options

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.focus()
        first = next((i for i, option in enumerate(listing.options) if not option.disabled), None)
        if first is not None:
            listing.highlighted = first

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Move the cursor mark to the highlighted value."""
        listing = event.option_list
        for index, cursor in ((self._marked, False), (event.option_index, True)):
            option = listing.options[index] if index is not None else None
            if option is not None and option.id in self._facets:
                facet, width = self._facets[option.id]
                listing.replace_option_prompt_at_index(index, facet_prompt(facet, width, cursor))
        self._marked = event.option_index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
