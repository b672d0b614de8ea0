"""The base of the app's mixins: the parts of `TermnewsApp` that live in modules of their own.

At run time a mixin is a plain class, and Textual still finds its `action_*` methods and its
`on_*` message handlers, since it looks them up through the app's whole class hierarchy. Two
things must stay on the App class itself: `BINDINGS` (Textual merges them only from its own
classes) and handlers declared with `@on` (registered by Textual's metaclass, which a plain
mixin does not have). Type checkers are shown the App as the base, for `notify`,
`push_screen` and the rest; each mixin names in its class body what it uses of the
browser's own attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    AppMixin = App[None]
else:
    AppMixin = object
