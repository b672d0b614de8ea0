"""The older garbage is collected in the person's pauses, and Python gets its thresholds back.

The unit tests drive `IdleCollector` with a clock of their own and Python's collector
stood in for (its counts are what decide, and a real one's depend on everything else the
test process has made); the pilot test checks that the real browser holds the collector
once its first results are up, sees keys, and gives Python its thresholds back at exit.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

from termnews.tui import collector as collector_module
from termnews.tui.app import TermnewsApp
from termnews.tui.collector import AT_MOST, HELD, QUIET_S, IdleCollector

from .conftest import settle, wait_until


class FakeCollector:
    """Python's collector as `IdleCollector` uses it: thresholds, counts, collections."""

    def __init__(self) -> None:
        self.thresholds = (700, 10, 10)
        self.counts = [0, 0, 0]
        self.collected: list[int] = []

    def get_threshold(self) -> tuple[int, int, int]:
        return self.thresholds

    def set_threshold(self, *thresholds: int) -> None:
        self.thresholds = thresholds  # type: ignore[assignment]

    def get_count(self) -> tuple[int, int, int]:
        return tuple(self.counts)  # type: ignore[return-value]

    def collect(self, generation: int = 2) -> int:
        """As Python does: the collected generation and the younger ones start again, and
        the next older one counts one more collection."""
        self.collected.append(generation)
        for younger in range(generation + 1):
            self.counts[younger] = 0
        if generation < 2:
            self.counts[generation + 1] += 1
        return 0


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeCollector:
    stand_in = FakeCollector()
    for name in ("get_threshold", "set_threshold", "get_count", "collect"):
        monkeypatch.setattr(collector_module.gc, name, getattr(stand_in, name))
    return stand_in


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_holding_keeps_the_youngest_generation_automatic(fake: FakeCollector) -> None:
    collector = IdleCollector(Clock())
    collector.hold()
    assert fake.thresholds == (700, HELD, HELD)
    collector.release()
    assert fake.thresholds == (700, 10, 10)


def test_nothing_is_collected_while_keys_come(fake: FakeCollector) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.hold()
    fake.counts = [0, 12, 11]  # past Python's thresholds: it would have collected both
    for _ in range(5):
        clock.now += QUIET_S / 4
        collector.key_pressed()
        assert collector.tick() is None
    assert fake.collected == []


def test_a_pause_collects_what_python_would_have(fake: FakeCollector) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.hold()
    collector.key_pressed()
    fake.counts = [0, 12, 3]
    clock.now += QUIET_S
    assert collector.tick() == 1  # the middle generation only: the oldest is not due
    assert fake.collected == [1]
    fake.counts = [0, 10, 10]
    assert collector.tick() == 2
    assert fake.collected == [1, 1, 2]
    assert collector.tick() is None  # nothing due any more


def test_far_too_much_is_collected_even_while_typing(fake: FakeCollector) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.hold()
    fake.counts = [0, AT_MOST * 10, 0]
    collector.key_pressed()
    assert collector.tick() == 1


def test_a_collector_not_held_never_collects(fake: FakeCollector) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    fake.counts = [0, 50, 50]
    clock.now += 10
    assert collector.tick() is None
    assert fake.collected == []


async def test_the_browser_collects_in_pauses_and_gives_the_thresholds_back(
    make_app: Callable[..., TermnewsApp],
) -> None:
    before = gc.get_threshold()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: app.collector.held, "the collector to be held")
        assert gc.get_threshold()[1:] == (HELD, HELD)
        seen = app.collector._last_key
        await pilot.press("x")
        assert app.collector._last_key > seen
    assert gc.get_threshold() == before
