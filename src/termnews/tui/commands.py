"""The command palette (ctrl+p): sort orders, marks, context, themes, open, copy, re-sync, help.

Each command calls an existing app action, so the palette adds discoverability without a second
code path to test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from termnews.results import SortOrder

if TYPE_CHECKING:
    from termnews.tui.app import TermnewsApp


class TermnewsCommands(Provider):
    """Browser commands for the palette; the app's themes are listed too."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: TermnewsApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for order in SortOrder:
            commands.append(
                (
                    f"Sort: {order.label}",
                    f"Order the results {order.label}",
                    lambda order=order: app.set_sort(order),
                )
            )
        commands += [
            ("Open in pager", "Read the story in $PAGER (or less)", app.action_open_pager),
            ("Copy article", "Copy the story as text (OSC 52, works over SSH)", app.action_copy),
            ("Read/unread", "Mark the story read, or unread again (u)", app.action_toggle_read),
            ("Star", "Star the story, or take its star away (*)", app.action_star),
            ("Tag story", "Add or remove tags on the story (t)", app.action_tag),
            (
                "Mark all read",
                "Mark every story in the results read, after a yes (A)",
                app.action_mark_all_read,
            ),
            ("Related stories", "Stories most like this one, not copies (r)", app.action_related),
            ("Facets", "Narrow by agency, dateline or author, with counts (f)", app.action_facets),
            ("Saved searches", "Run a saved search; see its counts (S)", app.action_saved_searches),
            ("Save this search", "Save the query under a name (ctrl+s)", app.action_save_search),
            ("Re-sync index", "Pick up new, changed and deleted files", app.action_resync),
            ("Keys", "Show every key binding", app.action_help),
        ]
        for name in sorted(app.available_themes):
            commands.append(
                (
                    f"Theme: {name}",
                    "Switch the colour theme",
                    lambda name=name: setattr(app, "theme", name),
                )
            )
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
