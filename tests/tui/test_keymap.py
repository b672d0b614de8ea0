"""Merging a person's `[keys]` with the browser's bindings, place by place."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.tui.app import TermnewsApp
from termnews.tui.keymap import NO_KEY, default_keys, resolve_keys

PLACES = TermnewsApp.binding_places()
ALL_DEFAULTS: dict[str, tuple[str, ...]] = {}
for _bindings in PLACES.values():
    ALL_DEFAULTS.update(default_keys(_bindings))


def test_no_config_changes_nothing() -> None:
    keys = resolve_keys({}, PLACES)
    assert keys.keymap == {}
    assert keys.problems == ()
    assert keys.keys["star"] == ("asterisk",)
    assert keys.keys["page_forward"] == ("space", "pagedown")


def test_keys_of_places_never_active_together_do_not_clash() -> None:
    # `n` is the article's next match; the list's cursor can have it too.
    keys = resolve_keys({"cursor_down": ["n"]}, PLACES)
    assert keys.problems == ()
    assert keys.keymap == {"cursor_down": "n"}
    assert keys.keys["next_match"] == ("n",)


def test_an_app_key_clashes_with_the_article_and_takes_the_key_everywhere() -> None:
    keys = resolve_keys({"saved_searches": ["n"]}, PLACES, "my.toml")
    assert keys.problems == (
        "keys: 'n' is bound to both saved_searches (set in my.toml) and next_match "
        "(default); saved_searches keeps it, so next_match has no key now",
    )
    assert keys.keymap == {"saved_searches": "n", "next_match": NO_KEY}


def test_unknown_actions_are_named_once_with_a_hint() -> None:
    keys = resolve_keys({"next_mach": ["m"]}, PLACES)
    assert keys.problems == (
        "keys: there is no action 'next_mach' (did you mean 'next_match'?); its keys are ignored",
    )
    assert keys.keymap == {}


KEY_NAMES = st.sampled_from(["x", "u", "n", "j", "s", "ctrl+r", "f5", "question_mark", "A"])


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(sorted(ALL_DEFAULTS)),
        st.lists(KEY_NAMES, min_size=0, max_size=2),
        max_size=5,
    )
)
def test_in_every_place_a_key_the_person_chose_runs_one_action(
    user: dict[str, list[str]],
) -> None:
    keys = resolve_keys(user, PLACES)
    for action, chosen in user.items():
        assert set(keys.keys[action]) <= set(chosen)  # never a key the person did not give
    for bindings in PLACES.values():
        owners: dict[str, set[str]] = {}
        for action in default_keys(bindings):
            for key in keys.keys[action]:
                owners.setdefault(key, set()).add(action)
        for key, actions in owners.items():
            if len(actions) > 1:  # only the defaults' own sharing is left alone
                assert not any(action in user for action in actions), (key, actions)
                assert all(key in ALL_DEFAULTS[action] for action in actions)
    for action, bound in keys.keymap.items():
        assert bound == (",".join(keys.keys[action]) or NO_KEY)
