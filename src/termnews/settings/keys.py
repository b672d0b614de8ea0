"""Key names as Textual spells them, and a person's bindings merged with a front end's defaults.

What a config file may write for a key (so `[keys]` never needs Textual's exact spelling):

- a single character: letters and digits as they are, so "G" (shift+g) differs from "g";
  punctuation by its Textual name, so "?" means "question_mark", "/" "slash",
  "[" "left_square_bracket", " " "space" and "," "comma";
- a named key in any case, with "-" or " " read as "_": "PageDown", "F1", "question_mark";
  a few common nicknames too: esc, return, pgup, pgdn, del, ins;
- modifiers before the key joined by "+", in any order: "Ctrl+R" means "ctrl+r" (a letter
  after a modifier is lowercased, as terminals report it), "Shift+Ctrl+Up" "ctrl+shift+up",
  "ctrl++" "ctrl+plus";
- several keys in one string separated by commas, as in a Textual Binding: "j,down".

This module must not import Textual (the CLI reads the config too), so the character names
follow Textual's own rule: the character's Unicode name, lowercased, with the same few
replacements Textual makes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})

# The names Textual gives punctuation in place of the Unicode ones (textual.keys).
_UNICODE_NAME_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_NICKNAMES = {
    "esc": "escape",
    "return": "enter",
    "pgup": "pageup",
    "page_up": "pageup",
    "pgdn": "pagedown",
    "page_down": "pagedown",
    "del": "delete",
    "ins": "insert",
}
_NAMED_KEY = re.compile(r"[a-z0-9_]+")


class KeyNameError(ValueError):
    """Text that is not a key name; the message says what was wrong."""


def normalize_keys(text: str) -> tuple[str, ...]:
    """One or more comma-separated keys as Textual names them; KeyNameError if any is not one."""
    if text == ",":
        return ("comma",)
    parts = text.split(",") if len(text) > 1 else [text]
    return tuple(normalize_key(part) for part in parts)


def normalize_key(text: str) -> str:
    """One key as Textual names it (see the module docstring); KeyNameError if it is not one."""
    if len(text) == 1:
        return _character_key(text)
    text = text.strip()
    if not text:
        raise KeyNameError("an empty key name")
    if len(text) == 1:
        return _character_key(text)
    head, _, last = text.rpartition("+")
    if not last and head.endswith("+"):  # "ctrl++": the key is the plus sign itself
        head, last = head[:-1], "+"
    # Textual names modifiers in alphabetical order ("ctrl+shift+up"), whatever order is typed.
    modifiers = sorted({part.strip().lower() for part in head.split("+")}) if head else []
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            raise KeyNameError(f"{modifier!r} in {text!r} is not one of {_listing(MODIFIERS)}")
    last = last.strip()
    if not last:
        raise KeyNameError(f"{text!r} has no key after the modifiers")
    if len(last) == 1:
        key = _character_key(last.lower() if modifiers else last)
    else:
        key = last.lower().replace("-", "_").replace(" ", "_")
        key = _NICKNAMES.get(key, key)
        if not _NAMED_KEY.fullmatch(key):
            raise KeyNameError(f"{text!r} is not a key name")
    return "+".join([*modifiers, key])


def _character_key(character: str) -> str:
    """Textual's name for the key that types `character`."""
    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        if character == "\t":
            return "tab"
        raise KeyNameError(f"{character!r} is not a key that can be bound") from None
    return _UNICODE_NAME_REPLACEMENTS.get(name, name)


def check_keys(
    user_keys: Mapping[str, Sequence[str]],
    defaults: Mapping[str, Sequence[str]],
    source: str = "config.toml",
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Merge a person's bindings over a front end's defaults: (effective bindings, problems).

    `defaults` are the bindings of one place in the front end (keys that only ever apply in
    different places cannot clash, so the caller checks each place on its own). An action the
    person names replaces all of its default keys; an empty list unbinds it.

    Every key the person binds ends with one action: when it is a key an action has by
    default, the person's binding keeps it and the default action loses it; when two of the
    person's own actions share a key, the first written keeps it. Either way it is reported.
    Default actions sharing a key among themselves are the front end's business and are left
    alone. An action the front end does not have is reported and ignored.
    """
    problems: list[str] = []
    effective = {action: _default_keys(keys) for action, keys in defaults.items()}
    user_set: dict[str, tuple[str, ...]] = {}
    for action, keys in user_keys.items():
        if action not in defaults:
            problems.append(_unknown_action(action, defaults))
            continue
        user_set[action] = _normalized(action, keys, problems)

    owner: dict[str, str] = {}
    for action, keys in user_set.items():
        kept = []
        for key in keys:
            holder = owner.get(key)
            if holder is not None and holder != action:
                problems.append(
                    f"keys: {key!r} is bound to both {holder} (set in {source}) and "
                    f"{action} (set in {source}); {holder} keeps it"
                )
            elif key not in kept:
                owner[key] = action
                kept.append(key)
        effective[action] = tuple(kept)

    for action, keys in list(effective.items()):
        if action in user_set:
            continue
        for key in keys:
            if key in owner:
                problems.append(
                    f"keys: {key!r} is bound to both {owner[key]} (set in {source}) and "
                    f"{action} (default); {owner[key]} keeps it"
                )
        kept = tuple(key for key in keys if key not in owner)
        if keys and not kept:
            problems[-1] += f", so {action} has no key now"
        effective[action] = kept
    return effective, problems


def _normalized(action: str, keys: Sequence[str], problems: list[str]) -> tuple[str, ...]:
    """Normalised keys in order without repeats; a bad name is reported and skipped."""
    found: list[str] = []
    for text in keys:
        try:
            names = normalize_keys(text)
        except KeyNameError as error:
            problems.append(f"keys: {action}: {error}")
            continue
        found.extend(name for name in names if name not in found)
    return tuple(found)


def _default_keys(keys: Sequence[str]) -> tuple[str, ...]:
    """A front end's own keys, normalised where possible; never reported to the person."""
    found: list[str] = []
    for text in keys:
        try:
            names: tuple[str, ...] = normalize_keys(text)
        except KeyNameError:
            names = (text.strip(),)
        found.extend(name for name in names if name not in found)
    return tuple(found)


def _unknown_action(action: str, defaults: Mapping[str, Sequence[str]]) -> str:
    import difflib  # only when there is a problem to hint at

    close = difflib.get_close_matches(action, list(defaults), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"keys: there is no action {action!r}{hint}; its keys are ignored"


def _listing(names: frozenset[str]) -> str:
    ordered = sorted(names)
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]
