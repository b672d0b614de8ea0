"""What the browser's thread workers send back to the UI thread.

A worker never touches a widget: it posts one of these, and the app's handler for it (named
after the class, `on_search_done` and so on) updates the screen on the UI thread. Each
carries what the handler needs to tell a fresh answer from a stale one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from termnews.results import Results
from termnews.state.store import Snapshot
from termnews.tui.story import Story

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher

#: What a loaded story is for: the screen, or the clipboard or pager straight away.
StoryUse = Literal["show", "copy", "pager"]


@dataclass
class SearchDone(Message):
    """A search worker finished; `generation` lets the handler drop stale answers.

    `snapshot` is the reading state read after the search, once `changes_before` changes of
    this browser had been written (see `MarkView.replace`); None if it could not be read.
    """

    results: Results
    generation: int
    keep_path: str | None
    snapshot: Snapshot | None = None
    changes_before: int = 0


@dataclass
class MatchesListed(Message):
    """Every story `results` matched, by identity, for marking them all read."""

    results: Results
    identities: list[str]


@dataclass
class AllMarkedRead(Message):
    """The worker marked `changed` stories read and read the state back as `snapshot`."""

    changed: int
    snapshot: Snapshot
    changes_before: int


@dataclass
class IndexOpened(Message):
    """The searcher is ready (opened in a thread so the first frame never waits for it)."""

    searcher: Searcher


@dataclass
class IndexRefreshed(Message):
    """The searcher looked for a newer index generation; `changed` if it found one."""

    changed: bool


@dataclass
class StoryLoaded(Message):
    """A story worker finished: `story` is ready to show, copy or page, as `use` says."""

    story: Story
    use: StoryUse


@dataclass
class SyncProgress(Message):
    """`done` of `total` files looked at by the running sync."""

    done: int
    total: int


@dataclass
class SyncDone(Message):
    """The sync finished; `summary` is the report's one-line summary."""

    summary: str
    changed: bool
