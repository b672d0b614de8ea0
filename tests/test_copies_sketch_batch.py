"""A batch of bodies sketches as each body alone would, and as the plain definition says.

`sketch_many` and the cut of non-ASCII bodies into words compute the same values as `words`
and `word_hash` by other routes, for speed; persisted copies data depends on those values
staying the same, so they are checked against a reference written the slow, plain way.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.engine.copies import sketch as sk

MASK64 = (1 << 64) - 1
MASK32 = (1 << 32) - 1


def fmix32(value: int) -> int:
    """MurmurHash3's 32-bit finalizer, in Python integers."""
    value ^= value >> 16
    value = (value * 0x85EBCA6B) & MASK32
    value ^= value >> 13
    value = (value * 0xC2B2AE35) & MASK32
    return value ^ (value >> 16)


def fmix64(value: int) -> int:
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & MASK64
    value ^= value >> 33
    value = (value * 0xC4CEB9FE1A85EC53) & MASK64
    return value ^ (value >> 33)


def reference_sketch(body: str) -> bytes:
    """The sketch by its definition, one word, shingle and permutation at a time."""
    hashes = [sk.word_hash(word.encode("utf-8")) for word in sk.words(body)]
    if not hashes:
        return sk.NO_WORDS
    width = min(sk.SHINGLE_WORDS, len(hashes))
    weights = [int(weight) for weight in sk._SHINGLE_MIX[:width]]
    shingle_set = sorted(
        {
            sum(word * weight for word, weight in zip(hashes[i : i + width], weights, strict=True))
            & MASK64
            for i in range(len(hashes) - width + 1)
        }
    )
    spread = sum(fmix64((value * sk._FINGERPRINT_MIX) & MASK64) for value in shingle_set)
    fingerprint = fmix64((spread + len(shingle_set) * sk._MIX64) & MASK64) or 1
    values = [fmix32((value ^ (value >> 32)) & MASK32) for value in shingle_set]
    # The permutations themselves are held to datasketch's in tests/test_copies.py.
    a, b = (column.tolist() for column in sk._permutations(sk.BANDS * sk.ROWS))
    signature = [min((x * v + y) & MASK32 for v in values) for x, y in zip(a, b, strict=True)]
    band_weights = [int(weight) for weight in sk._BAND_MIX]
    keys = b""
    for band in range(sk.BANDS):
        rows = signature[band * sk.ROWS : (band + 1) * sk.ROWS]
        mixed = sum(row * weight for row, weight in zip(rows, band_weights, strict=True)) & MASK64
        keys += ((mixed ^ (mixed >> 32)) & MASK32).to_bytes(4, "little")
    return fingerprint.to_bytes(8, "little") + keys


#: Words and marks that take every route through the cut: ASCII, accented letters (composed,
#: decomposed, capital), the typographic marks, letters whose folding changes their length or
#: leaves a combining mark (`ß`, `İ`), full-width and compatibility forms, digits, `_`, symbols
#: that are not word characters, and lone combining marks.
WORDS = [
    "pier",
    "Ferry",
    "ORVELLE",
    "2024",
    "7",
    "snake_case",
    "_",
    "Québec",
    "Montréal",
    "MONTRÉAL",
    "École",
    "e\u0301te\u0301",
    "naïve",
    "Straße",
    "STRASSE",
    "İstanbul",
    "ΣΊΣΥΦΟΣ",
    "ＦＵＬＬ",
    "ﬁnance",
    "x²",
    "½",
    "Ⅻ",
    "°C",
    "5€",
    "\u0301",
    "ǅ",
    "\u00b5m",
]
SEPARATORS = [" ", "  ", "\n\n", ", ", ". ", " - ", "/", *sk._TYPOGRAPHIC, " \u2019"]
LONG_WORDS = ["x" * 300, "é" * 200, "Ab9_" * 90]

words = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(LONG_WORDS),
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
)


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """A body: none to a few dozen words with separators, or a phrase said again and again."""
    chosen = draw(st.lists(words, max_size=draw(st.sampled_from([0, 1, 4, 12, 40]))))
    text = "".join(word + draw(st.sampled_from(SEPARATORS)) for word in chosen)
    if chosen and draw(st.booleans()):
        text = " ".join([text] * draw(st.integers(2, 4)))
    return draw(st.sampled_from(["", " ", "\u2014"])) + text


@settings(max_examples=150)
@given(st.lists(bodies(), max_size=12))
def test_a_batch_sketches_as_the_definition_says(batch: list[str]) -> None:
    expected = [reference_sketch(body) for body in batch]
    assert sk.sketch_many(batch) == expected
    assert [sk.sketch(body) for body in batch] == expected


@settings(max_examples=60)
@given(st.lists(bodies(), min_size=1, max_size=8), st.integers(1, 40))
def test_a_minhash_made_in_pieces_is_the_whole(batch: list[str], columns: int) -> None:
    """Big batches make the MinHash product a few thousand shingles at a time; a set split
    across pieces must still get its minimum over all of them."""
    with mock.patch.object(sk, "_PRODUCT_COLUMNS", columns):
        assert sk.sketch_many(batch) == [reference_sketch(body) for body in batch]


def test_a_build_sized_batch_is_each_body_alone() -> None:
    """32 long bodies, more shingles than one product holds, as the build sketches them."""
    vocabulary = [f"w{i}" for i in range(900)] + WORDS
    batch = [
        " ".join(vocabulary[(n * 37 + i * i) % len(vocabulary)] for i in range(700 + 13 * n))
        for n in range(32)
    ]
    assert sum(len(body.split()) for body in batch) > sk._PRODUCT_COLUMNS
    batch[5], batch[9] = "", "Brantmoor payout"  # no words, and fewer than a shingle's
    assert sk.sketch_many(batch) == [sk.sketch(body) for body in batch]
    assert sk.sketch_many(batch[:3]) == [reference_sketch(body) for body in batch[:3]]
    assert sk.sketch_many([]) == []


@given(
    st.lists(
        st.one_of(
            st.sampled_from(list("aZ09_ .,\n") + list(sk._TYPOGRAPHIC) + WORDS),
            st.characters(),
            st.characters(categories=["Cs"]),  # lone surrogates, as a lax decoder leaves
        ),
        max_size=40,
    ).map("".join)
)
def test_the_cut_of_any_text_is_the_regexs_words(body: str) -> None:
    """Bodies beyond ASCII are cut into words without the regex: the cut must hold exactly
    `words(body)`, as UTF-8, and hash to their `word_hash`es."""
    assert sk._tokens(body).split() == [word.encode("utf-8") for word in sk.words(body)]
    hashes = [sk.word_hash(word.encode("utf-8")) for word in sk.words(body)]
    assert sk._word_hashes_of(body).tolist() == hashes


def test_the_cut_of_accented_names_and_folded_letters() -> None:
    body = "MONTRÉAL, Québec — İzmir’s e\u0301te\u0301 STRASSE/Straße 20 °C\udc80ＡＢ"
    expected = ["montréal", "québec", "i", "zmir", "s", "été", "strasse", "strasse", "20"]
    expected += ["c", "ab"]
    assert sk.words(body) == expected
    assert sk._tokens(body).decode("utf-8").split() == expected


@settings(max_examples=60)
@given(st.lists(bodies(), max_size=12))
def test_shingle_sets_made_in_a_batch_are_each_bodys(batch: list[str]) -> None:
    """The exact check's shingle sets, made for many candidates at once."""
    made = sk.shingles_many(batch)
    assert len(made) == len(batch)
    for body, shingle_set in zip(batch, made, strict=True):
        assert shingle_set.tolist() == sk.shingles(body).tolist()


@settings(max_examples=40)
@given(st.lists(bodies(), max_size=12))
def test_sketches_unpack_to_their_fingerprints_and_band_keys(batch: list[str]) -> None:
    packed = sk.sketch_many(batch)
    fps, bands = sk.unpack_many(packed)
    assert fps.tolist() == [int.from_bytes(one[:8], "little") for one in packed]
    assert bands.tolist() == [list(memoryview(one[8:]).cast("I")) for one in packed]
    assert bands.shape == (len(batch), sk.BANDS)


def test_a_sketch_of_another_size_is_refused() -> None:
    with pytest.raises(ValueError):
        sk.unpack_many([sk.NO_WORDS, b"short"])


@settings(max_examples=40)
@given(st.lists(bodies(), max_size=12))
def test_the_signatures_that_come_with_a_batch_are_each_bodys_minhash(batch: list[str]) -> None:
    packed, signatures = sk.sketches_and_signatures(batch)
    assert packed == sk.sketch_many(batch)
    for body, signature in zip(batch, signatures, strict=True):
        shingle_set = sk.shingles(body)
        if not shingle_set.size:
            assert signature == b""
        else:
            values = sk.signature(shingle_set).astype("<u4").tobytes()
            size = np.array([shingle_set.size], dtype="<u4").tobytes()
            assert signature == values + size  # then the set's size
            assert len(signature) == sk.SIGNATURE_BYTES


def test_plainly_apart_needs_fewer_than_the_floor_of_equal_values() -> None:
    first = np.zeros((3, sk.BANDS * sk.ROWS), dtype=np.uint32)
    second = np.ones_like(first)
    second[1, : sk.AGREEMENT_FLOOR - 1] = 0  # one short of the floor: apart
    second[2, : sk.AGREEMENT_FLOOR] = 0  # at the floor: checked
    assert sk.plainly_apart(first, second).tolist() == [True, True, False]


def test_plainly_alike_needs_the_ceiling_of_equal_values_and_no_short_set() -> None:
    first = np.zeros((4, sk.BANDS * sk.ROWS), dtype=np.uint32)
    second = np.ones_like(first)
    second[0, : sk.AGREEMENT_CEILING] = 0  # at the ceiling: alike
    second[1, : sk.AGREEMENT_CEILING - 1] = 0  # one short: left to the exact check
    second[2:, :] = 0  # every value equal, but one set is short (row 3)
    sizes = np.array([sk.MIN_SHINGLES, sk.MIN_SHINGLES, sk.MIN_SHINGLES, sk.MIN_SHINGLES - 1])
    alike = sk.plainly_alike(first, second, np.full(4, sk.MIN_SHINGLES), sizes)
    assert alike.tolist() == [True, False, True, False]
