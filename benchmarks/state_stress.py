"""Several processes write one reading-state database at once; no write may be lost or fail.

Stand-ins for two browsers and a `termnews mark` loop: each worker is its own OS process with
its own `StateStore` on the same file, changing marks as fast as it can for a while. Each keeps
a ledger of what it changed; afterwards the database must hold every one of those changes, every
count a worker got back must have been exact, and no worker may have seen an exception (a
"database is locked" would be one).

Each worker owns its own stories (so their final state is known exactly) and also marks a pool
of shared stories read and tags them with its own tag (changes that commute, so their final state
is known too, while the workers fight over the same rows).

    .venv/bin/python benchmarks/state_stress.py --seconds 30 --workers 3

prints one JSON object: per worker, its writes and writes/s; lost writes; problems.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from termnews.state.store import StateStore

SHARED_STORIES = [hashlib.sha256(f"shared-{n}".encode()).hexdigest()[:32] for n in range(24)]


def identity_for(worker: str, number: int) -> str:
    return hashlib.sha256(f"{worker}-{number}".encode()).hexdigest()[:32]


@dataclass
class Ledger:
    """What one worker changed, as the final state it expects, and what went wrong."""

    worker: str
    read: set[str] = field(default_factory=set)
    starred: set[str] = field(default_factory=set)
    tags: dict[str, set[str]] = field(default_factory=dict)
    shared_read: set[str] = field(default_factory=set)
    shared_tagged: set[str] = field(default_factory=set)
    writes: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    open_ms: float = 0.0
    wrong_counts: list[str] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "worker": self.worker,
            "read": sorted(self.read),
            "starred": sorted(self.starred),
            "tags": {name: sorted(members) for name, members in self.tags.items()},
            "shared_read": sorted(self.shared_read),
            "shared_tagged": sorted(self.shared_tagged),
            "writes": self.writes,
            "seconds": self.seconds,
            "latencies_ms": self.latencies_ms,
            "open_ms": self.open_ms,
            "wrong_counts": self.wrong_counts,
            "error": self.error,
        }


def work(
    db: Path, worker: str, seconds: float, start_at: float, seed: int, pause_ms: float = 0.0
) -> Ledger:
    """Change marks on `db` for `seconds`, starting at the wall-clock time `start_at`.

    With `pause_ms`, it waits up to that long between writes, as a person at a browser does;
    without, it writes back to back, as a shell loop does.
    """
    ledger = Ledger(worker)
    chooser = random.Random(seed)
    own_tag = f"by-{worker}"
    time.sleep(max(0.0, start_at - time.time()))
    began = time.monotonic()
    try:
        with StateStore(db) as store:  # every worker may be the one that creates the file
            ledger.open_ms = (time.monotonic() - began) * 1000
            mine: list[str] = []
            while time.monotonic() - began < seconds:
                ledger.writes += 1
                write_began = time.monotonic()
                step = chooser.random()
                if step < 0.3 or not mine:
                    story = identity_for(worker, len(mine))
                    mine.append(story)
                    expect(ledger, "read new", store.set_read([story], True), 1)
                    ledger.read.add(story)
                elif step < 0.45:
                    story = chooser.choice(mine)
                    now = story not in ledger.read
                    expect(ledger, "toggle read", store.set_read([story], now), 1)
                    (ledger.read.add if now else ledger.read.discard)(story)
                elif step < 0.6:
                    story = chooser.choice(mine)
                    now = story not in ledger.starred
                    expect(ledger, "toggle star", store.set_starred([story], now), 1)
                    (ledger.starred.add if now else ledger.starred.discard)(story)
                elif step < 0.75:
                    story, tag = chooser.choice(mine), chooser.choice(["ferry", "tram", "orchard"])
                    members = ledger.tags.setdefault(tag, set())
                    if story in members:
                        expect(ledger, "untag", store.remove_tag([story], tag.upper()), 1)
                        members.discard(story)
                    else:
                        expect(ledger, "tag", store.add_tag([story], tag), 1)
                        members.add(story)
                elif step < 0.85:
                    stories = chooser.sample(SHARED_STORIES, 3)
                    store.set_read(stories, True)  # others mark these too: no exact count
                    ledger.shared_read.update(stories)
                else:
                    story = chooser.choice(SHARED_STORIES)
                    wanted = 0 if story in ledger.shared_tagged else 1
                    expect(ledger, "shared tag", store.add_tag([story], own_tag), wanted)
                    ledger.shared_tagged.add(story)
                ledger.latencies_ms.append((time.monotonic() - write_began) * 1000)
                if pause_ms:
                    time.sleep(chooser.uniform(0, pause_ms) / 1000)
                if chooser.random() < 0.2:
                    check_own_view(ledger, store, chooser.choice(mine))
    except Exception:
        ledger.error = traceback.format_exc()
    ledger.seconds = time.monotonic() - began
    return ledger


def expect(ledger: Ledger, what: str, got: int, wanted: int) -> None:
    if got != wanted:
        ledger.wrong_counts.append(f"{what}: {got} changed, expected {wanted}")


def check_own_view(ledger: Ledger, store: StateStore, story: str) -> None:
    """A worker's own writes show in its next snapshot (as a browser's list would)."""
    state = store.state_of(story)
    tags = {name for name, members in ledger.tags.items() if story in members}
    if (state.read, state.starred, set(state.tags)) != (
        story in ledger.read,
        story in ledger.starred,
        tags,
    ):
        ledger.wrong_counts.append(f"own view of {story} is {state}")


def lost_writes(db: Path, ledgers: list[dict[str, Any]]) -> list[str]:
    """Every difference between what the workers did and what the database holds."""
    problems = []
    with StateStore(db, read_only=True) as store:
        snapshot = store.snapshot()
        for ledger in ledgers:
            worker = ledger["worker"]
            own = set(ledger["read"]) | set(ledger["starred"])
            for members in ledger["tags"].values():
                own |= set(members)
            for story in own:
                state = snapshot.of(story)
                tags = {name for name, members in ledger["tags"].items() if story in members}
                expected = (story in ledger["read"], story in ledger["starred"], tags)
                if (state.read, state.starred, set(state.tags)) != expected:
                    problems.append(f"{worker}: {story} is {state}, expected {expected}")
            for story in ledger["shared_read"]:
                if story not in snapshot.read:
                    problems.append(f"{worker}: shared {story} is not read")
            tagged = snapshot.identities("tag", f"by-{worker}")
            if tagged != set(ledger["shared_tagged"]):
                problems.append(
                    f"{worker}: by-{worker} on {len(tagged)} stories, expected "
                    f"{len(ledger['shared_tagged'])}"
                )
    return problems


def latency_figures(latencies_ms: list[float]) -> dict[str, float]:
    """How long one write took, waiting for the others included: median, p99, slowest."""
    if not latencies_ms:
        return {}
    ordered = sorted(latencies_ms)
    return {
        "p50_ms": round(ordered[len(ordered) // 2], 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, len(ordered) * 99 // 100)], 1),
        "max_ms": round(ordered[-1], 1),
    }


def run(
    db: Path, workers: int = 3, seconds: float = 3.0, browser_pause_ms: float = 0.0
) -> dict[str, Any]:
    """Start `workers` processes on `db` at once; their ledgers, figures and any problems.

    With `browser_pause_ms`, every worker but the last pauses between writes like a browser.
    """
    start_at = time.time() + 1.5  # after every interpreter has imported termnews
    children = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                f"w{n}",
                "--db",
                str(db),
                "--seconds",
                str(seconds),
                "--start-at",
                str(start_at),
                "--seed",
                str(n),
                "--pause-ms",
                str(browser_pause_ms if n < workers - 1 else 0.0),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(workers)
    ]
    ledgers, problems = [], []
    for child in children:
        out, err = child.communicate(timeout=seconds + 120)
        if child.returncode != 0:
            problems.append(f"worker exited {child.returncode}: {err.strip()[-2000:]}")
            continue
        ledger = json.loads(out)
        ledgers.append(ledger)
        if ledger["error"]:
            problems.append(f"{ledger['worker']} raised: {ledger['error']}")
        problems.extend(f"{ledger['worker']}: {wrong}" for wrong in ledger["wrong_counts"])
    lost = lost_writes(db, ledgers)
    return {
        "workers": [
            {
                "worker": ledger["worker"],
                "writes": ledger["writes"],
                "seconds": round(ledger["seconds"], 2),
                "writes_per_s": round(ledger["writes"] / max(ledger["seconds"], 1e-9), 1),
                "open_ms": round(ledger["open_ms"], 1),
                **latency_figures(ledger["latencies_ms"]),
            }
            for ledger in ledgers
        ],
        "lost_writes": len(lost),
        "problems": problems + lost,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--db", type=Path, help="default: a fresh file in a temporary folder")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--pause-ms", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--browser-pause-ms",
        type=float,
        default=0.0,
        help="all workers but the last wait up to this long between writes (default: none)",
    )
    args = parser.parse_args()
    if args.worker:
        ledger = work(args.db, args.worker, args.seconds, args.start_at, args.seed, args.pause_ms)
        print(json.dumps(ledger.to_json()))
        return
    with tempfile.TemporaryDirectory(prefix="termnews-state-stress-") as folder:
        db = args.db or Path(folder) / "state.db"
        outcome = run(db, args.workers, args.seconds, args.browser_pause_ms)
        print(json.dumps(outcome, indent=2))


if __name__ == "__main__":
    main()
