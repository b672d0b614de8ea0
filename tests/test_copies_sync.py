"""Copies kept up to date by sync: incrementally, across restarts, from any indexing order,
and recomputed when their file is lost or damaged."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copies_stories import SENTENCES, body_of, cluster_of, partition, story_text, write
from termnews.engine.copies import update as copies_update
from termnews.engine.copies.data import COPIES_FILE
from termnews.engine.sync import sync
from termnews.engine.sync import writer as sync_writer

A = body_of(0, 10)
B_CHAIN = body_of(2, 10)  # shares 8 of 10 sentences with A and with C
C_CHAIN = body_of(4, 10)  # shares 6 of 10 with A: below the threshold
OTHER = "Tide tables for the coming week were posted at the harbour office. " * 3


def test_chain_precondition() -> None:
    from termnews.engine.copies import sketch as sk

    a, b, c = (sk.shingles(x) for x in (A, B_CHAIN, C_CHAIN))
    assert sk.are_copies(a, b) and sk.are_copies(b, c) and not sk.are_copies(a, c)


def test_add_change_remove_and_split(tmp_path: Path) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write(archive, "a.txt", story_text("Pier to close", A))
    sync(archive, index_dir)
    assert cluster_of(index_dir, "a.txt") == {"a.txt"}

    write(archive, "b.txt", story_text("Pier closing for repairs", B_CHAIN))  # added
    write(archive, "c.txt", story_text("Pier repairs", C_CHAIN))
    sync(archive, index_dir)
    assert cluster_of(index_dir, "a.txt") == {"a.txt", "b.txt", "c.txt"}  # a-b-c, a !~ c

    (archive / "b.txt").unlink()  # removed: the chain splits, since a and c do not match
    sync(archive, index_dir)
    assert partition(index_dir) == {frozenset({"a.txt"}), frozenset({"c.txt"})}

    write(archive, "b.txt", story_text("Pier closing", B_CHAIN))
    sync(archive, index_dir)
    write(archive, "b.txt", story_text("Tide tables", OTHER))  # changed into another story
    os.utime(archive / "b.txt", ns=(1, 1))
    sync(archive, index_dir)
    assert len(partition(index_dir)) == 3

    write(archive, "d.txt", story_text("Pier shut", A))  # a cluster of two...
    sync(archive, index_dir)
    assert cluster_of(index_dir, "a.txt") == {"a.txt", "d.txt"}
    (archive / "d.txt").unlink()  # ...losing one leaves two singletons
    sync(archive, index_dir)
    assert cluster_of(index_dir, "a.txt") == {"a.txt"}


def test_clusters_survive_a_restart_and_a_noop_sync_keeps_the_file(tmp_path: Path) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write(archive, "a.txt", story_text("Pier to close", A))
    write(archive, "b.txt", story_text("Pier closing", A))
    sync(archive, index_dir)
    before = (index_dir / COPIES_FILE).stat().st_mtime_ns
    first = partition(index_dir)  # a new reader, as a restarted browser opens
    report = sync(archive, index_dir)
    assert not report.changed_anything
    assert (index_dir / COPIES_FILE).stat().st_mtime_ns == before
    assert partition(index_dir) == first == {frozenset({"a.txt", "b.txt"})}


@pytest.mark.parametrize("damage", [b"", b"not a zip file at all", None])
def test_a_lost_or_damaged_copies_file_means_singletons_until_the_next_sync(
    tmp_path: Path, damage: bytes | None
) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write(archive, "a.txt", story_text("Pier to close", A))
    write(archive, "b.txt", story_text("Pier closing", A))
    sync(archive, index_dir)
    copies_file = index_dir / COPIES_FILE
    if damage is None:
        copies_file.unlink()
    else:
        copies_file.write_bytes(damage)
    assert partition(index_dir) == {frozenset({"a.txt"}), frozenset({"b.txt"})}
    sync(archive, index_dir)  # nothing changed in the archive: the copies are recomputed
    assert partition(index_dir) == {frozenset({"a.txt", "b.txt"})}


def test_a_rebuild_recomputes_the_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write(archive, "a.txt", story_text("Pier to close", A))
    write(archive, "b.txt", story_text("Pier closing", A))
    sync(archive, index_dir)
    seen: list[bool] = []
    real = copies_update.update

    def spy(*args: object, fresh: bool) -> None:
        seen.append(fresh)
        real(*args, fresh=fresh)  # type: ignore[arg-type]

    monkeypatch.setattr("termnews.engine.copies.hook.update", spy)
    sync(archive, index_dir, rebuild=True)
    assert seen == [True]
    assert partition(index_dir) == {frozenset({"a.txt", "b.txt"})}


def test_workers_sketch_as_the_parent_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stories = _pool()
    archive = tmp_path / "archive"
    for name, text in stories.items():
        write(archive, name, text)
    sync(archive, tmp_path / "one-process", procs=1)
    monkeypatch.setattr(sync_writer, "PARALLEL_MIN_FILES", 1)
    sync(archive, tmp_path / "workers", procs=2)
    assert partition(tmp_path / "workers") == partition(tmp_path / "one-process")
    assert len(partition(tmp_path / "workers")) < len(stories)


def test_deciding_candidates_by_their_signatures_changes_no_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signatures only spare the exact check pairs it would decide the same way: with
    nothing decided by them the same stories fold as with pairs passed over as plainly
    apart and pairs taken as plainly alike."""
    from termnews.engine.copies import sketch as sk

    stories = _pool()
    # Forty notices of twelve sentences drawn from one pool of forty: many pairs share a
    # few sentences, so some share a band by chance while far from copies.
    draw = random.Random(7)
    syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "quil", "dar", "ne", "sup", "ost", "bre"]
    pool = [
        " ".join("".join(draw.choice(syllables) for _ in range(3)) for _ in range(10)) + "."
        for _ in range(40)
    ]
    for number in range(40):
        body = " ".join(draw.sample(pool, 12))
        stories[f"x{number}.txt"] = story_text(f"Notice {number}", body)
    # And a long story reprinted with one word changed: plainly a copy.
    long_body = " ".join(draw.sample(pool, 30))
    stories["y0.txt"] = story_text("Long notice", long_body)
    stories["y1.txt"] = story_text("Long notice again", long_body.replace(".", " quil.", 1))
    archive = tmp_path / "archive"
    for name, text in stories.items():
        write(archive, name, text)
    decided: list[tuple[int, int]] = []  # (passed over, taken as copies) per sync
    real = copies_update._decided_by_signatures

    def counting(pairs, *args):  # type: ignore[no-untyped-def]
        left, alike = real(pairs, *args)
        decided.append((len(pairs) - len(left) - len(alike), len(alike)))
        return left, alike

    monkeypatch.setattr(copies_update, "_decided_by_signatures", counting)
    sync(archive, tmp_path / "with-signatures", procs=1)
    never = lambda a, b, *sizes: sk.np.zeros(len(a), bool)  # noqa: E731
    monkeypatch.setattr(copies_update, "plainly_apart", never)
    monkeypatch.setattr(copies_update, "plainly_alike", never)
    sync(archive, tmp_path / "without", procs=1)
    assert decided[0][0] > 0 and decided[0][1] > 0 and decided[1] == (0, 0)
    assert partition(tmp_path / "with-signatures") == partition(tmp_path / "without")


def _pool() -> dict[str, str]:
    """Eight stories: a chain, reprints of one body, and unrelated ones."""
    return {
        "a.txt": story_text("Pier to close", A),
        "b.txt": story_text("Pier closing", B_CHAIN),
        "c.txt": story_text("Pier repairs", C_CHAIN),
        "d.txt": story_text("Pier shut", A, site_date="2024-03-05"),
        "e.txt": story_text("Market hours", body_of(10, 4)),
        "f.txt": story_text("Market", body_of(10, 4) + "\n\nWith files from Ida Corran."),
        "g.txt": story_text("Tides", OTHER),
        "h.txt": story_text("Notice", " ".join(SENTENCES[::3])),
    }


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_partition_does_not_depend_on_order_or_batches(tmp_path: Path, data) -> None:
    stories = _pool()
    names = data.draw(st.permutations(sorted(stories)))
    cuts = sorted(data.draw(st.sets(st.integers(1, len(names) - 1), max_size=3)))
    run = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
    everything, stepwise = run / "all", run / "steps"
    for name, text in stories.items():
        write(everything, name, text)
    sync(everything, run / "index-all", procs=1)
    for start, stop in zip([0, *cuts], [*cuts, len(names)], strict=True):
        for name in names[start:stop]:
            write(stepwise, name, stories[name])
        sync(stepwise, run / "index-steps", procs=1)
    assert partition(run / "index-steps") == partition(run / "index-all")


def test_copies_turned_on_for_an_index_built_without_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stories indexed while copies were off have no sketch: the next sync with copies on
    sketches them from their stored bodies (a few at a time) and folds as a fresh build."""
    from termnews.engine.copies.switch import SWITCH

    archive = tmp_path / "archive"
    for name, text in _pool().items():
        write(archive, name, text)
    sync(archive, tmp_path / "fresh", procs=1)
    monkeypatch.setenv(SWITCH, "off")
    sync(archive, tmp_path / "later", procs=1)
    assert not (tmp_path / "later" / COPIES_FILE).exists()
    monkeypatch.delenv(SWITCH)
    monkeypatch.setattr(copies_update, "SHINGLE_BATCH", 3)
    sync(archive, tmp_path / "later", procs=1)
    assert partition(tmp_path / "later") == partition(tmp_path / "fresh")
    assert len(partition(tmp_path / "fresh")) < len(_pool())
