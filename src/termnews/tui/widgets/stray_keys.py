"""Keys typed right after `/` reach the search box, however fast they arrive."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


class RedirectStrayKeys:
    """Mixin for the panes: move focus at once on `/`, and pass on keys queued before it moved.

    Textual queues each key on the widget that was focused when the key was read, and runs an
    app binding only after the key has bubbled up. When `/` and the letters after it arrive in
    one read (fast typing, a paste, an SSH link that batches keystrokes), the letters would be
    handled by the list before `/` had moved focus: lost, or worse, run as the list's own keys
    (`y` copies, `s` sorts).
    """

    #: Keys whose app action moves focus, run as soon as the pane sees them.
    FOCUS_ACTIONS: ClassVar[dict[str, str]] = {"slash": "app.focus_search"}

    if TYPE_CHECKING:  # provided by the Widget this is mixed into
        app: App[object]
        screen: Screen[object]
        run_action: Callable[[str], Awaitable[None]]

    async def _on_key(self, event: events.Key) -> None:
        focused = self.app.focused
        if focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        action = self.FOCUS_ACTIONS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)
        # Otherwise Textual's dispatcher goes on to `Widget._on_key` (bindings, scrolling): it
        # calls each class's own `_on_key` in turn, so calling it here would run it twice.
