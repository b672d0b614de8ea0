"""When the browser lets Python's cyclic garbage collector run: never mid-keystroke.

`termnews browse` holds the collector until the first frame is painted
(`pause_collector`), what start-up built is frozen out of it once the first results are up
(`freeze_startup_objects`), and from then on the older generations are collected in the
person's pauses (`IdleCollector`). This module imports nothing of Textual or ours, so the
browse command can hold the collector before Textual is loaded.

Python collects its older generations once enough objects have been made, wherever that
happens to be. Measured in the browser while typing at a human pace, a collection of the
middle generation took 1-6 ms and a full one 9-17 ms, and they fell on keystrokes: four
of the five slowest of 84 in one run had one. `IdleCollector` keeps the youngest generation
automatic (a fraction of a millisecond) and holds the older two; a timer collects them as
Python would have (after as many younger collections as its thresholds say), but only once
no key has come for a moment, or anyway when far more than that has piled up, so a long
burst of keys cannot grow memory without bound.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

#: No key for this long is a pause, in which a collection costs the person nothing.
QUIET_S = 0.4
#: How often the browser asks whether to collect (a wake-up, never a repaint).
CHECK_S = 0.25
#: The older generations' thresholds while held: never reached.
HELD = 1 << 30
#: Past this many times Python's own threshold, a generation is collected even mid-burst.
AT_MOST = 8

_collector_paused = False


def pause_collector() -> None:
    """Hold Python's cyclic garbage collector until `resume_collector`, called by the browser
    once its first frame is painted.

    Start-up builds many objects and frees almost none, so the collections it sets off walk
    ever more live objects (Textual's among them) for little: some 13 ms of the launch in
    alternated runs. Does nothing if the collector is already off.
    """
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def resume_collector() -> None:
    """Turn the collector back on if `pause_collector` turned it off (else nothing)."""
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.enable()


def freeze_startup_objects() -> None:
    """Exempt everything built at start-up (Textual, the index readers) from the collector.

    A full collection walks every live object, and with the browser loaded that is long
    enough to land on a keystroke now and then. Frozen objects are never walked again, so the
    rare full collection only sees what was made since. Called once the first results are up.
    """
    gc.collect()
    gc.freeze()


class IdleCollector:
    """Holds the collector's older generations and collects them in pauses (see module)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_key = clock()
        self._thresholds = gc.get_threshold()
        self.held = False

    def hold(self) -> None:
        """Stop Python collecting the older generations by itself (until `release`)."""
        if not self.held:
            self._thresholds = gc.get_threshold()
            gc.set_threshold(self._thresholds[0], HELD, HELD)
            self.held = True

    def release(self) -> None:
        """Give Python back its own thresholds."""
        if self.held:
            gc.set_threshold(*self._thresholds)
            self.held = False

    def key_pressed(self) -> None:
        self._last_key = self._clock()

    def tick(self) -> int | None:
        """Collect what Python would have collected by now, if the person has paused or
        too much waits; returns the oldest generation collected, or None."""
        if not self.held:
            return None
        quiet = self._clock() - self._last_key >= QUIET_S
        collected = None
        _threshold0, threshold1, threshold2 = self._thresholds
        # Python's counts: younger collections since the middle generation's last one, and
        # middle collections since the oldest's last one.
        _young, middle, old = gc.get_count()
        if middle >= threshold1 and (quiet or middle >= AT_MOST * threshold1):
            gc.collect(1)
            collected = 1
            _young, middle, old = gc.get_count()
        if old >= threshold2 and (quiet or old >= AT_MOST * threshold2):
            gc.collect(2)
            collected = 2
        return collected
