"""The full-screen article for terminals narrower than 100 columns.

Below that width the list and the article cannot sit side by side, so Enter pushes this screen
and Esc pops it. `[` and `]` still step through the results: the app swaps the story in place.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer

from termnews.article import Article
from termnews.tui.widgets.article_view import ArticleView, SpansFor
from termnews.tui.widgets.status import StatusLine, match_counter


class ArticleScreen(Screen[None]):
    """One story filling the terminal, with the status line and the footer keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self, article: Article, spans_for: SpansFor | None, summary: Content | None = None
    ) -> None:
        super().__init__()
        self._article = article
        self._spans_for = spans_for
        self._summary = summary or Content("")

    def compose(self) -> ComposeResult:
        yield ArticleView(id="article-full")
        yield StatusLine(id="article-status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(StatusLine).set_main(self._summary)
        view = self.query_one(ArticleView)
        view.show(self._article, self._spans_for)
        view.focus()

    def show(self, article: Article, spans_for: SpansFor | None) -> None:
        """Swap in another story (`[`/`]`) without popping and re-pushing the screen."""
        self._article = article
        self._spans_for = spans_for
        self.query_one(ArticleView).show(article, spans_for)

    def on_article_view_match_moved(self, message: ArticleView.MatchMoved) -> None:
        """This screen owns its status line, so the match counter is updated here."""
        message.stop()
        self.query_one(StatusLine).set_extra(match_counter(message.current, message.total))

    def set_summary(self, summary: Content) -> None:
        """The results summary changed underneath (a sort or a re-sync)."""
        self._summary = summary
        self.query_one(StatusLine).set_main(summary)

    def action_back(self) -> None:
        """Back to the result list."""
        self.dismiss(None)
