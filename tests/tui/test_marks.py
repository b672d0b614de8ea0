"""The browser's view of the marks, and the tag prompt's little language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termnews.state.store import Snapshot, StoryState
from termnews.state.tags import TagNameError
from termnews.tui.marks import MarkView, TagEdit, parse_tag_edit

TAGS = st.sampled_from(["harbour", "Storm", "ferry-times", "v1.2", "a+b", "Ærø"])
SIGNS = st.sampled_from(["", "+", "-"])


@given(st.lists(st.tuples(SIGNS, TAGS), max_size=8))
def test_the_last_word_about_a_tag_wins(words: list[tuple[str, str]]) -> None:
    edit = parse_tag_edit("  ".join(f"{sign}{tag}" for sign, tag in words))
    final: dict[str, bool] = {}
    for sign, tag in words:
        final[tag.casefold()] = sign != "-"
    assert set(edit.add) == {tag for tag, adding in final.items() if adding}
    assert set(edit.remove) == {tag for tag, adding in final.items() if not adding}
    assert not set(edit.add) & set(edit.remove)


def test_an_empty_line_asks_for_nothing() -> None:
    assert parse_tag_edit("   ") == TagEdit()
    assert parse_tag_edit("").empty


@pytest.mark.parametrize("line", ["bad:name", "-", "+", "ok (paren)", '"quoted"'])
def test_a_name_tag_search_could_not_find_is_refused(line: str) -> None:
    with pytest.raises(TagNameError):
        parse_tag_edit(line)


def test_own_changes_stay_over_a_snapshot_taken_before_them() -> None:
    view = MarkView(Snapshot((0, 0)))
    view.changed("a", StoryState(read=True))
    before_b = view.changes_made
    view.changed("b", StoryState(starred=True))
    # A snapshot taken (in another thread) after the first change, before the second.
    view.replace(Snapshot((0, 1), read=frozenset({"a"})), before_b)
    assert view.of("a") == StoryState(read=True)
    assert view.of("b") == StoryState(starred=True)  # not in that snapshot: still laid over
    view.replace(Snapshot((1, 2)), view.changes_made)  # another program unread everything
    assert view.of("a") == StoryState()
    assert view.of("b") == StoryState()


def test_tag_names_most_used_first_then_by_name() -> None:
    snapshot = Snapshot((0, 0), tags={"storm": frozenset({"a", "b"}), "ferry": frozenset({"a"})})
    view = MarkView(snapshot)
    view.changed("c", StoryState(tags=frozenset({"anchor"})))
    assert view.tag_names() == ["storm", "anchor", "ferry"]
