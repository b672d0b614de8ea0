"""Keys meant for the search box reach it, however fast they arrive and wherever they land."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget


class RedirectStrayKeys:
    """Mixin for the panes: move focus at once on `/`, and pass on keys queued before it moved.

    Textual queues each key on the widget that was focused when the key was read, and runs an
    app binding only after the key has bubbled up. When `/` and the letters after it arrive in
    one read (fast typing, a paste, an SSH link that batches keystrokes), the letters would be
    handled by the list before `/` had moved focus: lost, or worse, run as the list's own keys
    (`y` copies, `s` sorts).

    With `TYPE_TO_SEARCH`, a printable key that nothing on the screen is bound to also goes
    to the search box, as if `/` had come first: a person who starts typing in the list means
    a query. Keys that are bound here (`j`, `s`, `y`, `?`...) keep their meaning.
    """

    #: Keys whose app action moves focus, run as soon as the pane sees them.
    FOCUS_ACTIONS: ClassVar[dict[str, str]] = {"slash": "app.focus_search"}
    #: Send unbound printable keys to the search box (and move focus there).
    TYPE_TO_SEARCH: ClassVar[bool] = False

    if TYPE_CHECKING:  # provided by the Widget this is mixed into
        app: App[object]
        screen: Screen[object]
        run_action: Callable[[str], Awaitable[None]]

    async def _on_key(self, event: events.Key) -> None:
        focused = self.app.focused
        if focused is not None and focused is not self:
            self._pass_on(event, focused)
            return
        action = self.FOCUS_ACTIONS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)
            return
        if self.TYPE_TO_SEARCH and event.is_printable and not self._is_bound(event.key):
            await self.run_action("app.focus_search")
            focused = self.app.focused
            if focused is not None and focused is not self:
                self._pass_on(event, focused)
        # Otherwise Textual's dispatcher goes on to `Widget._on_key` (bindings, scrolling): it
        # calls each class's own `_on_key` in turn, so calling it here would run it twice.

    def _is_bound(self, key: str) -> bool:
        """True if `key` does something here: a binding of this pane, its screen or the app."""
        return key in self.screen.active_bindings

    @staticmethod
    def _pass_on(event: events.Key, target: Widget) -> None:
        """Handle `event` as a key typed into `target` (after any already queued there)."""
        event.stop()
        event.prevent_default()
        target.post_message(events.Key(event.key, event.character))
