"""What the help screen lists: the app's keys, grouped where they work, with the keys in effect.

The sections are built from the bindings the app and its widgets really have, and then given
the keys a person's `[keys]` table chose (or "(no key)"), so the help cannot disagree with
what a key does.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding, BindingType

from termnews.tui.context import CONTEXT_ACTIONS
from termnews.tui.keymap import KeysInEffect, as_binding
from termnews.tui.marking import MARKING_ACTIONS
from termnews.tui.screens.article import ArticleScreen
from termnews.tui.screens.copies import CopiesScreen
from termnews.tui.screens.copies_diff import CopyDiffScreen
from termnews.tui.screens.help import NO_KEY_LABEL
from termnews.tui.screens.saved_searches import SavedSearchesScreen
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.results import ResultList
from termnews.tui.widgets.search_bar import SearchBar

Sections = list[tuple[str, list[BindingType]]]


def _action_of(binding: BindingType) -> str:
    return binding.action if isinstance(binding, Binding) else binding[1]


def help_sections(app_bindings: Sequence[BindingType]) -> Sections:
    """The app's keys (the reading-state ones apart) and each place's own, as they are declared.

    Bindings with no action are lines of the help only: keys Textual or a widget handles
    without a binding of ours.
    """
    apart = MARKING_ACTIONS | CONTEXT_ACTIONS
    everywhere = [b for b in app_bindings if _action_of(b) not in apart]
    context = [b for b in app_bindings if _action_of(b) in CONTEXT_ACTIONS]
    marking = [b for b in app_bindings if _action_of(b) in MARKING_ACTIONS]
    marking.append(Binding("enter", "", "Open a story: marks it read"))
    return [
        ("Everywhere", [*everywhere, Binding("ctrl+p", "", "Command palette")]),
        ("Reading state (list and article)", marking),
        ("Context (list and article)", context),
        ("Search box", [*SearchBar.BINDINGS, Binding("enter", "", "Go to results")]),
        (
            "Result list",
            [*ResultList.BINDINGS, Binding("other keys", "", "Type into the search box")],
        ),
        ("Article", [*ArticleView.BINDINGS, *ArticleScreen.BINDINGS]),
        (
            "Saved searches (S)",
            [Binding("enter", "", "Run the search"), *SavedSearchesScreen.BINDINGS],
        ),
        (
            "Copies of a story (C)",
            [
                Binding("enter", "", "Open the copy"),
                *CopiesScreen.BINDINGS,
                *CopyDiffScreen.BINDINGS,
            ],
        ),
    ]


def in_effect(sections: Sections, keys: KeysInEffect) -> Sections:
    """The help's sections with the keys the person's config gave each action."""
    shown: Sections = []
    for title, bindings in sections:
        kept: list[BindingType] = []
        for raw in bindings:
            binding = as_binding(raw)
            if binding is None:
                continue
            kept.append(keys.binding(binding) or binding.with_key(NO_KEY_LABEL))
        shown.append((title, kept))
    return shown
