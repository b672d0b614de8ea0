"""The timeline strip: one row under the search box, when the current query's stories appeared.

`2024-02-23 ▁▃█▅▂▁▁▃ 2024-12-25 · weekly` : Textual's `Sparkline` between the first and last
story's dates (as precise as a bucket: `2024-02` when they are months), then the bucket
size. The bars are glyphs of eight heights, all in one colour, so the shape reads under
NO_COLOR and on 16-colour terminals, and a repaint is one short run of one style over SSH.
The sparkline gets one cell a bucket when there is room
(squeezed, Textual keeps the highest of the buckets a cell stands for).

The same row says what the list shows instead of a query's results (`message`), such as
the stories related to one; it is hidden when it has nothing to say, and a timeline is
hidden on a terminal too short to spare the row (the stylesheet, by the app's `-short`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Label, Sparkline

if TYPE_CHECKING:
    from termnews.engine.context import Timeline

#: How a bucket size is said at the end of the strip.
BUCKET_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}


def bucket_label(bucket: str, day: str) -> str:
    """A day as precisely as the buckets go: `2024`, `2024-02` or `2024-02-19`."""
    return {"year": day[:4], "month": day[:7]}.get(bucket, day)


class TimelineBars(Sparkline):
    """Textual's Sparkline, its row sent as one run of one style.

    The sparkline styles each cell on its own (a colour blended between two); ours are one
    colour, so neighbouring cells merge into one run: a 60-bucket timeline costs some 120
    bytes to repaint instead of 2 KB, on every search.
    """

    def render_lines(self, crop: Region) -> list[Strip]:
        return [strip.simplify() for strip in super().render_lines(crop)]


class TimelineStrip(Horizontal):
    """The query's timeline, or a one-line message, or nothing (hidden)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline: Timeline | None = None
        self.message = ""
        self._labels_width = 0

    def compose(self) -> ComposeResult:
        # Nothing at start: the strip is hidden until a search's timeline (or a message)
        # arrives, and its five parts would only add to the styling before the first frame.
        yield from ()

    def _parts(self) -> None:
        """Mount the labels and bars the first time the strip has something to show."""
        if self.children:
            return
        self.mount_all(
            [
                Label("", id="timeline-first", markup=False),
                TimelineBars([], id="timeline-bars"),
                Label("", id="timeline-last", markup=False),
                Label("", id="timeline-bucket", markup=False),
                Label("", id="timeline-message", markup=False),
            ]
        )

    def show_timeline(self, timeline: Timeline | None) -> None:
        """Show `timeline` (None or no buckets: hide the strip)."""
        if timeline == self.timeline and not self.message:
            return  # typing on often keeps the timeline: nothing to send
        self.timeline, self.message = timeline, ""
        self._update()

    def show_message(self, message: str) -> None:
        """A line instead of the timeline (what the list shows); "" hides the strip."""
        self.timeline, self.message = None, message
        self._update()

    def clear(self) -> None:
        self.show_timeline(None)

    @property
    def shown(self) -> bool:
        """Whether the strip has something to show (a short terminal hides it all the same:
        the app's `-short` class, see the stylesheet)."""
        return self.has_class("-shown")

    def _update(self) -> None:
        timeline, message = self.timeline, self.message
        self.set_class(bool(message), "-message")
        if message:
            self._parts()
            self._set_label("#timeline-message", message)
            self.add_class("-shown")
            return
        if timeline is None or not timeline.counts:
            self.remove_class("-shown")
            return
        self._parts()
        assert timeline.first is not None and timeline.last is not None
        first = bucket_label(timeline.bucket, timeline.first.isoformat())
        last = bucket_label(timeline.bucket, timeline.last.isoformat())
        if last == first:
            last = ""  # one bucket: its date once
        bucket = f"· {BUCKET_WORDS[timeline.bucket]}"
        self._set_label("#timeline-first", first)
        self._set_label("#timeline-last", last)
        self._set_label("#timeline-bucket", bucket)
        self._labels_width = len(first) + len(last) + len(bucket) + 3  # a space after each
        bars = self.query_one("#timeline-bars", Sparkline)
        bars.data = [float(count) for count in timeline.counts]
        self.add_class("-shown")
        self._fit()

    def _set_label(self, selector: str, text: str) -> None:
        """Put `text` in a label unless it says it already: a label's new text lays the
        screen out again (its width is its text's), and typing on often keeps the dates."""
        label = self.query_one(selector, Label)
        if label.content != text:
            label.update(text)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """One cell a bucket when the row has room, else whatever room is left."""
        if self.timeline is None or self.message:
            return
        room = max(4, self.size.width - self._labels_width - 2)  # the strip's own padding
        bars = self.query_one("#timeline-bars", Sparkline)
        width = min(len(self.timeline.counts), room)
        if bars.styles.width is None or bars.styles.width.value != width:
            bars.styles.width = width  # a new width lays the screen out again
