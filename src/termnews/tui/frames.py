"""When the browser's main screen paints: as soon as something changed, at most once a frame.

Textual paints a screen from an interval timer that it pauses while nothing is to be drawn.
When that timer is resumed after a pause, it skips to a tick of its own grid that lies one to
two frames after the moment it was resumed, and the frame after a keystroke's echo in the
search box is always such a frame: the results then waited 8 to 17 ms (at 120 frames a
second) for a paint that had nothing else to wait for, a third of a keystroke's time.

`FrameTimer` keeps the limit on the rate, and nothing else: a frame comes at once when the
last one is at least a frame's time ago, else when that time is up. `PromptFrames` gives a
screen this timer in place of Textual's (`Screen._update_timer`, private: Textual is pinned,
and a test checks that the screen paints through this timer). Only the main screen has it:
on the article screen Textual's later frame gathers what arrives in pieces (the story, its
marks) into one, which sends fewer bytes, and no keystroke there waits on a search.
"""

from __future__ import annotations

from textual._time import get_time, sleep
from textual.screen import UPDATE_PERIOD, Screen
from textual.timer import EventTargetGone, Timer


class FrameTimer(Timer):
    """An interval timer whose ticks are at least `interval` apart, and no later than that."""

    async def _run(self) -> None:
        interval = self._interval
        await self._active.wait()
        # A new screen's first frame waits a frame's time, as Textual's does: what it shows
        # first (a story arriving from its worker) then goes out in the same frame.
        last = get_time()
        while True:
            wait = last + interval - get_time()
            if wait > 0:
                await sleep(wait)
            await self._active.wait()  # paused until the screen has something to paint
            last = get_time()
            try:
                await self._tick(next_timer=last, count=0)
            except EventTargetGone:
                break


class PromptFrames(Screen[None]):
    """A screen that paints through a `FrameTimer`."""

    _frame_timer: FrameTimer | None = None

    @property
    def _update_timer(self) -> Timer:
        timer = self._frame_timer
        if timer is None:
            timer = FrameTimer(
                self,
                UPDATE_PERIOD,
                name="screen_update",
                callback=self._on_timer_update,
                pause=True,
            )
            timer._start()
            self._timers.add(timer)
            self._frame_timer = timer
        return timer
