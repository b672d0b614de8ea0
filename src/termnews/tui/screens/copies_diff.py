"""How a copy differs from the open story, paragraph by paragraph (`d` in the copies list).

Each paragraph of the diff is one line of its own, led by its glyph (`+` only in the copy,
`-` only in this story, `~` reworded, with this story's wording beneath), so it reads the
same under NO_COLOR; colours only repeat the glyphs. Runs of paragraphs both share are one
dim line counting them. The whole diff scrolls; Esc goes back to the list of copies.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from termnews.article import Article
from termnews.tui.paragraph_diff import Change, paragraph_diff, summary

#: What the glyphs mean, under the title.
LEGEND = "+ only in the copy · - only in this story · ~ changed"


def change_content(change: Change) -> Content:
    """One paragraph of the diff, without its glyph, as plain-text Content (story text is
    never markup)."""
    if change.kind == "same":
        count = change.count
        return Content(f"⋯ {count} paragraph{'s' if count != 1 else ''} the same")
    text = Content(change.text)
    if change.kind == "changed":
        text += Content("\nwas: ").stylize("dim") + Content(change.before).stylize("italic")
    return text


class CopyDiffScreen(Screen[None]):
    """The differences between the open story and one of its copies."""

    DEFAULT_CSS = """
    CopyDiffScreen #diff-head {
        padding: 0 1;
        border-bottom: solid $accent;
        height: auto;
    }
    CopyDiffScreen #diff-body {
        padding: 0 1;
    }
    CopyDiffScreen .diff-change {
        height: auto;
        margin-top: 1;
    }
    CopyDiffScreen .diff-glyph {
        width: 2;
        text-style: bold;
    }
    CopyDiffScreen .diff-text {
        width: 1fr;
    }
    CopyDiffScreen .diff-same {
        color: $text-muted;
        text-style: dim;
    }
    CopyDiffScreen .diff-added {
        color: $text-success;
    }
    CopyDiffScreen .diff-removed {
        color: $text-error;
    }
    CopyDiffScreen .diff-changed {
        color: $text-warning;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back to the copies"),
    ]

    def __init__(self, ours: Article, theirs: Article, their_source: str) -> None:
        super().__init__()
        self.ours = ours
        self.theirs = theirs
        self.their_source = their_source
        self.changes = paragraph_diff(ours.paragraphs, theirs.paragraphs)

    def compose(self) -> ComposeResult:
        head = Content("This story: ").stylize("bold") + Content(self.ours.headline or "-")
        head += Content("\n") + Content("The copy:   ").stylize("bold")
        head += Content(f"{self.theirs.headline or '-'} ({self.their_source})")
        head += Content("\n") + Content(summary(self.changes)).stylize("bold")
        head += Content("\n") + Content(LEGEND).stylize("dim")
        yield Static(head, id="diff-head", markup=False)
        with VerticalScroll(id="diff-body", can_focus=True):
            for change in self.changes:
                # The glyph in a column of its own, so a wrapped paragraph hangs after it.
                with Horizontal(classes=f"diff-change diff-{change.kind}"):
                    yield Static(Content(change.glyph), classes="diff-glyph", markup=False)
                    yield Static(change_content(change), classes="diff-text", markup=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#diff-body").focus()

    def action_back(self) -> None:
        self.dismiss(None)
