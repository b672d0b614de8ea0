"""Copies of one story are found at index time: reprints fold, look-alikes do not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from copies_stories import (
    BODY,
    SENTENCES,
    body_of,
    cluster_of,
    earnings,
    partition,
    story_text,
    write,
)
from termnews.engine.copies import sketch as sk
from termnews.engine.generation import Generation
from termnews.engine.store import open_index
from termnews.engine.sync import sync


def test_reprints_of_one_body_fold_into_one_cluster(tmp_path: Path) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    changed = BODY.replace("eleven weeks", "twelve weeks")
    write(archive, "a-original.txt", story_text("Orvelle ferry pier to close for repairs", BODY))
    write(archive, "b-headline.txt", story_text("Cracked pilings shut Orvelle pier", BODY))
    write(
        archive,
        "c-site-date.txt",
        story_text("Pier closes", BODY, site_date="2024-03-06", dateline="ORVELLE (AP) —"),
    )
    write(
        archive,
        "d-boilerplate.txt",
        story_text("Ferry pier repairs", BODY, tail="Share this story:\n\nView all comments"),
    )
    write(archive, "e-changed-word.txt", story_text("Ferry pier shut for weeks", changed))
    trailer = BODY + "\n\nAn earlier version of this story gave the wrong day for the vote."
    write(archive, "f-trailer.txt", story_text("Orvelle pier repairs approved", trailer))
    write(archive, "g-other.txt", story_text("Orvelle market hours", body_of(10, 4)))
    sync(archive, index_dir)

    reprints = {f"{c}-{n}.txt" for c, n in zip("abcdef", NAMES, strict=True)}
    assert cluster_of(index_dir, "a-original.txt") == reprints
    assert cluster_of(index_dir, "g-other.txt") == {"g-other.txt"}


NAMES = ["original", "headline", "site-date", "boilerplate", "changed-word", "trailer"]


def test_templates_and_stories_on_one_topic_do_not_fold(tmp_path: Path) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    first = earnings("Talvin Freight Lines", "14.2", 31, "212.4", [4, 12, 7, 22, 3, 9])
    second = earnings("Brackwater Mills", "3.7", 9, "48.1", [6, 2, 15, 8, 11, 5])
    write(archive, "earnings-1.txt", story_text("Talvin Freight third-quarter profit", first))
    write(archive, "earnings-2.txt", story_text("Brackwater Mills third-quarter profit", second))
    # One event, written twice by different reporters: the same topic words, other sentences.
    write(
        archive,
        "pier-1.txt",
        story_text(
            "Orvelle pier to shut",
            "The Orvelle harbour board has closed the ferry pier after engineers found "
            "cracked pilings at the western landing. Repairs should last eleven weeks and "
            "cost four million dollars, and a shuttle bus will carry commuters meanwhile. "
            "Shop owners fear a quiet summer without visitors crossing on the ferry.",
        ),
    )
    write(
        archive,
        "pier-2.txt",
        story_text(
            "Ferry riders face bus rides as pier repairs begin",
            "Ferry passengers in Orvelle will ride a bus for most of the summer. Cracks in "
            "the pilings of the pier's western landing forced the harbour board to close it, "
            "a spokesperson said, and the four million dollar repair will take eleven weeks. "
            "A petition for a floating dock has drawn hundreds of names from worried shops.",
        ),
    )
    sync(archive, index_dir)
    assert all(len(members) == 1 for members in partition(index_dir))


def test_a_short_notice_is_only_a_copy_of_an_identical_one() -> None:
    notice = "Brantmoor Mills quarterly payout 7 cents as before paid May 9 to owners on record "
    notice += "April {day}"
    a, b = (sk.shingles(notice.format(day=day)) for day in (20, 27))
    assert sk.jaccard(a, b) >= sk.THRESHOLD  # alike enough by the threshold alone...
    assert not sk.are_copies(a, b)  # ...but the figures that differ are the whole notice
    assert sk.fingerprint(a) == sk.fingerprint(sk.shingles(notice.format(day=20).upper()))


def test_sketches_ignore_case_width_and_layout_but_not_words() -> None:
    text = " ".join(SENTENCES[:6])
    same = "\n\n  " + text.upper().replace("ELEVEN", "ＥＬＥＶＥＮ")  # full-width letters
    assert sk.sketch(text) == sk.sketch(same)
    assert sk.sketch(text) != sk.sketch(text.replace("eleven", "twelve"))
    assert sk.sketch("") == sk.sketch(" .. ") == sk.NO_WORDS


def test_clusters_api_on_a_generation(tmp_path: Path) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write(archive, "a.txt", story_text("Pier to close", BODY))
    write(archive, "b.txt", story_text("Pier closing", BODY))
    write(archive, "c.txt", story_text("Market hours", body_of(10, 4)))
    sync(archive, index_dir)
    gen = Generation(open_index(index_dir), index_dir, 0)
    try:
        copies = gen.copies
        assert gen.copies is copies  # built once per generation
        docnum = {gen.reader.stored_fields(d)["path"]: d for d in gen.reader.all_doc_ids()}
        a, b, c = docnum["a.txt"], docnum["b.txt"], docnum["c.txt"]
        assert copies.members(a) == copies.members(b) == tuple(sorted((a, b)))
        assert copies.members(c) == (c,) and copies.size(a) == 2 and copies.size(c) == 1
        sids = {gen.reader.stored_fields(d)["sid"] for d in (a, b)}
        assert copies.cluster_id(a) == copies.cluster_id(b) == min(sids)
        assert copies.cluster_id(c) == gen.reader.stored_fields(c)["sid"]
        assert copies.count_distinct([a, b, c]) == 2
        assert copies.count_distinct(np.array([a, b])) == 1 and copies.count_distinct([]) == 0
        assert copies.cluster_of.shape == (gen.reader.doc_count_all(),)
    finally:
        gen.close()


def test_signatures_are_datasketch_minhashes() -> None:
    from datasketch import MinHash

    shingle_set = sk.shingles(" ".join(SENTENCES))
    reference = MinHash(num_perm=sk.BANDS * sk.ROWS, seed=sk.SEED, hashfunc=int)
    reference.update_batch(sk.hash_values(shingle_set).tolist())
    assert np.array_equal(sk.signature(shingle_set), reference.hashvalues.astype(np.uint64))
    for num_perm in (sk.BANDS * sk.ROWS, 64, 128):
        ours = sk._permutations(num_perm)
        theirs = MinHash(num_perm=num_perm, seed=sk.SEED).permutations
        assert all(np.array_equal(x, y) for x, y in zip(ours, theirs, strict=True))


@given(
    st.text(
        alphabet=st.sampled_from(
            list("abcXYZ019_ .,'-\n\t") + list("\u2019\u201c\u2013\u00a0\u2026éÅßﬁ²\u0301")
        ),
        max_size=60,
    )
)
def test_the_fast_word_cut_is_the_regexs(body: str) -> None:
    """ASCII bodies (once typographic punctuation is a space) are cut and hashed without the
    regex or a step per word: the words' hashes, and so every shingle and sketch, must come
    out as hashing each of the regex's words one at a time."""
    from termnews.engine.copies import sketch as sk

    fast = sk._word_hashes_of(body).tolist()
    assert fast == [sk.word_hash(word.encode("utf-8")) for word in sk.words(body)]


@given(
    st.integers(0, 40).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(0, 5), min_size=3, max_size=3), min_size=n, max_size=n),
            st.lists(st.booleans(), min_size=n, max_size=n),
        )
    )
)
def test_candidates_are_the_pairs_sharing_a_band_with_a_new_node(
    case: tuple[list[list[int]], list[bool]],
) -> None:
    """Candidate pairs, found a band at a time over whole groups of equal keys, are exactly
    the pairs of nodes with some band key in common and at least one of them new."""
    import numpy as np

    from termnews.engine.copies.update import _candidates

    rows, new = case
    bands = np.array(rows, dtype=np.uint32).reshape(len(rows), 3)
    found = _candidates(bands, np.array(new, dtype=bool))
    want = sorted(
        (i, j)
        for i in range(len(rows))
        for j in range(i + 1, len(rows))
        if (new[i] or new[j]) and any(x == y for x, y in zip(rows[i], rows[j], strict=True))
    )
    assert [tuple(pair) for pair in found.tolist()] == want
