"""A person's `[keys]` applied to the browser: which key runs which action, and what clashed.

Every binding a person may change carries an `id`, which is the action name the config file
uses (`star = "x"`). Textual's own keymap (`App.set_keymap`) then swaps the keys of those
bindings wherever they are, so the bindings stay declared once, in their widgets.

Keys only clash where both actions can run: the app's keys work everywhere, a widget's only
while it (or a screen of it) has the focus. So the merge is checked once per place (the result
list, the article, the search box), each place being the app's bindings plus its own, and a
key an action loses in any place is taken from it everywhere, since one action has one set of
keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from textual.binding import ActiveBinding, Binding, BindingType

from termnews.settings import check_keys
from termnews.tui.frames import PromptFrames

#: What an action with no key at all is bound to: a key name no terminal ever sends, since
#: Textual's keymap treats an empty key list as "keep the defaults".
NO_KEY = "unbound-by-config"


class HidesUnboundKeys:
    """Mixin for screens: an action left with no key is not offered in the footer.

    The footer and the list's type-to-search both read `active_bindings`.
    """

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings  # type: ignore[misc]
        return {key: bound for key, bound in bindings.items() if key != NO_KEY}


class MainScreen(HidesUnboundKeys, PromptFrames):
    """The browser's first screen: the search box, the list, the article pane."""


@dataclass(frozen=True)
class KeysInEffect:
    """The outcome of merging a person's keys with the defaults."""

    keymap: dict[str, str]
    """binding id -> comma-separated keys, for `App.set_keymap` (changed actions only)."""
    keys: dict[str, tuple[str, ...]]
    """Every rebindable action -> the keys it has now (empty when it has none)."""
    problems: tuple[str, ...]
    """Unknown actions, bad key names and clashes, as sentences naming both bindings."""

    def binding(self, binding: Binding) -> Binding | None:
        """`binding` with the keys in effect; None if it has no key left."""
        if binding.id is None or binding.id not in self.keys:
            return binding
        keys = self.keys[binding.id]
        if not keys:
            return None
        return binding.with_key(",".join(keys), key_display=None)


def as_binding(binding: BindingType) -> Binding | None:
    """A `Binding` for a BINDINGS entry (which may be a plain tuple)."""
    if isinstance(binding, Binding):
        return binding
    if isinstance(binding, tuple) and len(binding) >= 2:
        return Binding(*binding)
    return None


def default_keys(bindings: Iterable[BindingType]) -> dict[str, tuple[str, ...]]:
    """action id -> its default keys, for the bindings that have an id."""
    keys: dict[str, tuple[str, ...]] = {}
    for raw in bindings:
        binding = as_binding(raw)
        if binding is None or binding.id is None:
            continue
        found = [key.strip() for key in binding.key.split(",") if key.strip()]
        keys[binding.id] = tuple(dict.fromkeys([*keys.get(binding.id, ()), *found]))
    return keys


def resolve_keys(
    user_keys: Mapping[str, Sequence[str]],
    places: Mapping[str, Iterable[BindingType]],
    source: str = "config.toml",
) -> KeysInEffect:
    """Merge `user_keys` (action -> keys from the config) over the bindings of each place."""
    defaults_by_place = {place: default_keys(bindings) for place, bindings in places.items()}
    every_default: dict[str, tuple[str, ...]] = {}
    for defaults in defaults_by_place.values():
        every_default.update(defaults)

    problems: list[str] = []
    # Unknown actions once, against every action there is (for the "did you mean").
    unknown = {action: keys for action, keys in user_keys.items() if action not in every_default}
    if unknown:
        _, found = check_keys(unknown, every_default, source)
        problems.extend(found)

    effective: dict[str, tuple[str, ...]] = {}
    for defaults in defaults_by_place.values():
        mine = {action: keys for action, keys in user_keys.items() if action in defaults}
        merged, found = check_keys(mine, defaults, source)
        problems.extend(problem for problem in found if problem not in problems)
        for action, keys in merged.items():
            if action in effective:  # kept only the keys it keeps in every place
                keys = tuple(key for key in effective[action] if key in keys)
            effective[action] = keys

    keymap = {
        action: ",".join(keys) if keys else NO_KEY
        for action, keys in effective.items()
        if keys != every_default.get(action)
    }
    return KeysInEffect(keymap, effective, tuple(problems))
