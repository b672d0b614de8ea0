"""The reading-state keys: read/unread, star, tag, and mark every result read.

A mixin of `TermnewsApp` (see `tui.mixin`): its `action_*` methods are the actions the app's
bindings name (`toggle_read`, `star`, `tag`, `mark_all_read`), and its `on_*` methods handle
the messages its workers post.

One story's change is written to the `StateStore` the moment a key makes it, one small
transaction on the UI thread, so quitting or a dropped connection loses nothing. The rows
show marks from a `MarkView`: the snapshot the last search took, with the browser's later
changes laid over it. Marking a whole result set read lists the stories and writes them in
workers, after a yes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from termnews.results import Hit, Results
from termnews.state.store import StateError, StateReadOnlyError, StateStore, StoryState
from termnews.state.tags import TagNameError
from termnews.tui import marks
from termnews.tui.marks import MarkView
from termnews.tui.messages import AllMarkedRead, MatchesListed
from termnews.tui.mixin import AppMixin
from termnews.tui.story import Story
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.status import marks_content

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher
    from termnews.tui.screens.article import ArticleScreen
    from termnews.tui.widgets.results import ResultList

#: The app's keys that change the reading state, listed apart in the help.
MARKING_ACTIONS = frozenset({"toggle_read", "star", "tag", "mark_all_read"})
#: `marks.set_read` or `marks.set_starred`: (store, identity, headline, marks before, on).
SetMark = Callable[[StateStore, str, str, StoryState, bool], StoryState]


def _tag_edit_problem(text: str) -> str | None:
    """Why the tag prompt's line cannot be applied, or None."""
    try:
        marks.parse_tag_edit(text)
    except TagNameError as error:
        return str(error)
    return None


class MarkingActions(AppMixin):
    """The keys that change the reading state, on the list and on the story being read."""

    # What this part uses of the app (set in `TermnewsApp.__init__`, or its properties).
    state: StateStore
    marks: MarkView
    searcher: Searcher | None
    results: Results | None
    result_list: ResultList
    article_screen: ArticleScreen | None
    closing: bool

    def _story_at_hand(self) -> tuple[str, str] | None:
        """(identity, headline) of the story the marking keys act on.

        The story being read when an article has the focus (its own screen, or the side
        pane), else the highlighted row.
        """
        story: Story | None = None
        if (screen := self.article_screen) is not None:
            story = screen.story
        elif isinstance(self.focused, ArticleView):
            story = self.focused.story
        if story is not None and story.identity:
            return story.identity, story.article.headline or ""
        hit = self.result_list.highlighted_hit
        if hit is not None and hit.identity:
            return hit.identity, hit.headline
        return None

    def _change_marks(
        self, identity: str, change: Callable[[StoryState], StoryState]
    ) -> StoryState | None:
        """Write one story's change now, and show it on its row and its article.

        Returns the story's marks after, or None (and says why) if nothing was written.
        """
        try:
            after = change(self.marks.of(identity))
        except StateReadOnlyError as error:
            self.notify(f"Cannot change marks: {error}.", severity="warning", markup=False)
            return None
        except StateError as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False)
            return None
        self.marks.changed(identity, after)
        self._show_marks()
        return after

    def _show_marks(self) -> None:
        """Repaint what shows marks: the rows whose marks changed, and the article's line."""
        self.result_list.refresh_marks()
        screen = self.article_screen
        if screen is not None:
            story = screen.story
            shown = story.identity if story is not None else ""
            if not shown and (hit := self.result_list.highlighted_hit) is not None:
                shown = hit.identity
            screen.set_marks(marks_content(self.marks.of(shown)) if shown else Content(""))

    def _mark_read_on_opening(self, hit: Hit) -> None:
        """Opening a story reads it. A read-only state was reported at start: stay quiet."""
        if not hit.identity or self.state.read_only or self.marks.of(hit.identity).read:
            return
        self._change_marks(
            hit.identity,
            lambda before: marks.set_read(self.state, hit.identity, hit.headline, before, True),
        )

    def _no_story_to_mark(self) -> None:
        self.notify("No story to mark: choose one in the list first.", severity="warning")

    def _refused_as_read_only(self) -> bool:
        """Say so and return True when marks cannot be written (before asking anything)."""
        if not self.state.read_only:
            return False
        self.notify(
            f"Cannot change marks: the reading state is read-only: {self.state.problem}.",
            severity="warning",
            markup=False,
        )
        return True

    def _flip_story_at_hand(self, write: SetMark, flipped: Callable[[StoryState], bool]) -> None:
        """Write `flipped(marks before)` with `write` for the story the marking keys act on."""
        target = self._story_at_hand()
        if target is None:
            self._no_story_to_mark()
            return
        identity, headline = target
        self._change_marks(
            identity,
            lambda before: write(self.state, identity, headline, before, flipped(before)),
        )

    def action_toggle_read(self) -> None:
        """`u`: the story read or unread again."""
        self._flip_story_at_hand(marks.set_read, lambda before: not before.read)

    def action_star(self) -> None:
        """`*`: star the story, or take its star away."""
        self._flip_story_at_hand(marks.set_starred, lambda before: not before.starred)

    def action_tag(self) -> None:
        """`t`: add or remove tags on the story, in a prompt that completes tag names."""
        target = self._story_at_hand()
        if target is None:
            self._no_story_to_mark()
            return
        if self._refused_as_read_only():
            return
        identity, headline = target
        tags = sorted(self.marks.of(identity).tags)
        current = ", ".join(tags) if tags else "none yet"
        # Imported when first asked for: start-up pays for none of the marking screens.
        from termnews.tui.screens.prompt import LastWordSuggester, PromptScreen

        prompt = PromptScreen(
            "Tag story",
            hint=f"Tags: {current}\nname or +name adds it, -name removes it; Tab completes.",
            placeholder="e.g. harbour -draft",
            suggester=LastWordSuggester(
                self.marks.tag_names, lambda: sorted(self.marks.of(identity).tags)
            ),
            check=_tag_edit_problem,
            id="tag-prompt",
        )
        self.push_screen(prompt, lambda answer: self._apply_tags(identity, headline, answer))

    def _apply_tags(self, identity: str, headline: str, answer: str | None) -> None:
        if not answer:
            return
        edit = marks.parse_tag_edit(answer)  # the prompt checked it already
        before = self.marks.of(identity)
        after = self._change_marks(
            identity,
            lambda before: marks.apply_tag_edit(self.state, identity, headline, before, edit),
        )
        if after is None:
            return
        added = sorted(after.tags - before.tags)
        removed = sorted(before.tags - after.tags)
        said = []
        if added:
            said.append("tagged " + ", ".join(added))
        if removed:
            said.append("untagged " + ", ".join(removed))
        message = "; ".join(said) if said else "no change"
        self.notify(message[0].upper() + message[1:] + ".", timeout=3, markup=False)

    def action_mark_all_read(self) -> None:
        """`A`: mark every story in the results read (all of them, not just the screen)."""
        if self.searcher is None or self.results is None:
            return
        if not self.results.total:
            self.notify("No stories to mark.", severity="warning")
            return
        if self._refused_as_read_only():
            return
        self._list_matches(self.searcher, self.results)

    @work(thread=True, exclusive=True, group="matches", exit_on_error=False)
    def _list_matches(self, searcher: Searcher, results: Results) -> None:
        """Every story the results matched (the list holds only what was on screen)."""
        self.post_message(MatchesListed(results, searcher.identities(results)))

    def on_matches_listed(self, message: MatchesListed) -> None:
        if self.closing:
            return
        if message.results is not self.results:
            # The results changed meanwhile (a keystroke, a sync): the count would be wrong.
            self.notify("The results changed: press A again to mark these.", timeout=3)
            return
        identities = message.identities
        unread = marks.unread_among(self.marks, identities)
        stories = f"{len(identities):,} stor{'ies' if len(identities) != 1 else 'y'}"
        if not unread:
            self.notify(f"All {stories} here are read already.", timeout=3)
            return
        question = f"Mark {stories} read? y/n"
        if unread != len(identities):
            question += f"\n({unread:,} of them are unread now.)"
        results = message.results
        if results.folded_total != results.total:
            # The list shows fewer rows than that: the copies folded into them count too.
            question += f"\n(Copies folded into the {results.folded_total:,} rows included.)"

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_all_read(identities, self.marks.changes_made)

        from termnews.tui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen(question, title="Mark all read"), answered)

    @work(thread=True, exclusive=True, group="mark-all", exit_on_error=False)
    def _mark_all_read(self, identities: list[str], changes_before: int) -> None:
        """One transaction for them all: killed half-way, none or all of them are marked."""
        changed = self.state.set_read(identities, True)
        self.post_message(AllMarkedRead(changed, self.state.snapshot(), changes_before))

    def on_all_marked_read(self, message: AllMarkedRead) -> None:
        if self.closing:
            return
        self.marks.replace(message.snapshot, message.changes_before)
        self._show_marks()
        count = message.changed
        self.notify(f"Marked {count:,} stor{'ies' if count != 1 else 'y'} read.", timeout=3)
