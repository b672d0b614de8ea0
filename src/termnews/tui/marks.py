"""What the result rows show of the reading state, and the one-story changes the keys make.

The rows read a `MarkView`: the last `Snapshot` of the store with this browser's own later
changes laid over it. The overlay exists because a fresh snapshot re-reads every mark, which
is too slow to do on every keystroke once a person has read tens of thousands of stories; so a
change is written to the store at once (one small transaction), laid over the snapshot for the
rows, and the next snapshot (taken in the search worker) replaces both.

Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from termnews.state.store import UNMARKED, Snapshot, StateStore, StoryState
from termnews.state.tags import normalise_tag


class MarkView:
    """The marks as the browser shows them: a snapshot plus the changes made since."""

    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self._snapshot = snapshot
        self._changes: dict[str, tuple[int, StoryState]] = {}
        self._count = 0

    @property
    def changes_made(self) -> int:
        """How many changes this view has seen; a snapshot taken later includes them all."""
        return self._count

    def of(self, identity: str) -> StoryState:
        """The marks of one story as they are now."""
        changed = self._changes.get(identity)
        if changed is not None:
            return changed[1]
        if self._snapshot is None or not identity:
            return UNMARKED
        return self._snapshot.of(identity)

    def tag_names(self) -> list[str]:
        """Every tag in use, most used first (what the tag prompt completes)."""
        counts: dict[str, int] = {}
        if self._snapshot is not None:
            counts = {name: len(members) for name, members in self._snapshot.tags.items()}
        for _, state in self._changes.values():
            for name in state.tags:
                counts.setdefault(name, 1)
        return sorted(counts, key=lambda name: (-counts[name], name))

    def changed(self, identity: str, state: StoryState) -> None:
        """Record a change this browser wrote, so the rows show it before the next snapshot."""
        self._count += 1
        self._changes[identity] = (self._count, state)

    def replace(self, snapshot: Snapshot, taken_after: int) -> None:
        """Use `snapshot`, taken once `taken_after` changes had been written.

        Changes made after that are not in it (it was taken in another thread), so they stay
        laid over it; the rest are dropped, which also lets other programs' marks show.
        """
        self._snapshot = snapshot
        self._changes = {
            identity: (number, state)
            for identity, (number, state) in self._changes.items()
            if number > taken_after
        }


@dataclass(frozen=True)
class TagEdit:
    """What a line typed into the tag prompt asks for: tags to add and tags to remove."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.add and not self.remove


def parse_tag_edit(text: str) -> TagEdit:
    """`harbour -draft +strike` -> add harbour and strike, remove draft.

    Tag names have no spaces, so words are tags; `-name` removes, `name` or `+name` adds.
    Raises `TagNameError` for a name that could not be searched for as `tag:NAME`.
    """
    add: list[str] = []
    remove: list[str] = []
    for word in text.split():
        target = add
        if word[0] in "+-":
            target = remove if word[0] == "-" else add
            word = word[1:]
        name = normalise_tag(word)
        for other in (add, remove):
            if name in other:
                other.remove(name)
        target.append(name)
    return TagEdit(tuple(add), tuple(remove))


def apply_tag_edit(
    store: StateStore, identity: str, headline: str, before: StoryState, edit: TagEdit
) -> StoryState:
    """Write `edit` for one story (a transaction per tag) and return its marks after it."""
    titles = {identity: headline} if headline else None
    for name in edit.add:
        if name not in before.tags:
            store.add_tag([identity], name, titles)
    for name in edit.remove:
        if name in before.tags:
            store.remove_tag([identity], name)
    return replace(before, tags=(before.tags | set(edit.add)) - set(edit.remove))


def set_read(
    store: StateStore, identity: str, headline: str, before: StoryState, read: bool
) -> StoryState:
    """Mark one story read or unread; returns its marks after."""
    store.set_read([identity], read, {identity: headline} if headline else None)
    return replace(before, read=read)


def set_starred(
    store: StateStore, identity: str, headline: str, before: StoryState, starred: bool
) -> StoryState:
    """Star or unstar one story; returns its marks after."""
    store.set_starred([identity], starred, {identity: headline} if headline else None)
    return replace(before, starred=starred)


def unread_among(view: MarkView, identities: Iterable[str]) -> int:
    """How many of `identities` are not read."""
    return sum(1 for identity in identities if not view.of(identity).read)
