"""The full-screen article for terminals narrower than 100 columns.

Below that width the list and the article cannot sit side by side, so Enter pushes this screen
and Esc pops it. `[` and `]` still step through the results: the app swaps the story in place.
The screen opens at once, before its story has arrived from the searcher, so Enter always
answers; the app fills it in (or says it is loading) as the story worker reports.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer

from termnews.tui.keymap import HidesUnboundKeys
from termnews.tui.story import Story
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.status import StatusLine, match_counter


class ArticleScreen(HidesUnboundKeys, Screen[None]):
    """One story filling the terminal, with the status line and the footer keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, story: Story | None, summary: Content | None = None) -> None:
        super().__init__()
        self._story = story
        self._message = ""
        self._summary = summary or Content("")
        self._marks = Content("")

    def compose(self) -> ComposeResult:
        # Blank until the story arrives: a story that loads at once never flashes a message.
        yield ArticleView(id="article-full", message="")
        yield StatusLine(id="article-status")
        yield Footer(show_command_palette=False)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def story(self) -> Story | None:
        """The story on this screen (known before the screen has composed its view)."""
        return self._story

    def on_mount(self) -> None:
        status = self.query_one(StatusLine)
        status.set_main(self._summary)
        status.set_marks(self._marks)
        self._update_view()
        self.view.focus()

    def show(self, story: Story) -> None:
        """Show `story`: the one Enter opened, or another (`[`/`]`) swapped in place."""
        self._story = story
        self._update_view()

    def show_message(self, message: str) -> None:
        """A quiet line instead of the story (loading, or it could not be opened)."""
        self._story = None
        self._message = message
        self._update_view()

    def _update_view(self) -> None:
        # The app may answer before this screen has composed; mounting shows it then.
        for view in self.query(ArticleView):
            if self._story is None:
                view.show_message(self._message)
            elif view.story is not self._story:
                view.show(self._story)

    def on_article_view_match_moved(self, message: ArticleView.MatchMoved) -> None:
        """This screen owns its status line, so the match counter is updated here."""
        message.stop()
        self.query_one(StatusLine).set_extra(match_counter(message.current, message.total))

    def set_summary(self, summary: Content) -> None:
        """The results summary changed underneath (a sort or a re-sync)."""
        self._summary = summary
        self.query_one(StatusLine).set_main(summary)

    def set_marks(self, marks: Content) -> None:
        """The story's reading state, which the marking keys change while it is read."""
        self._marks = marks
        for status in self.query(StatusLine):  # none yet if the screen has not composed
            status.set_marks(marks)

    def action_back(self) -> None:
        """Back to the result list."""
        self.dismiss(None)
