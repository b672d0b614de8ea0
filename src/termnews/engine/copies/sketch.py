"""A story body's word shingles, its MinHash signature, and the LSH band keys built from it.

Everything here is a pure function of the body text and the constants below, so worker
processes of a bulk build, the parent of an incremental sync and the evaluation script all
compute the same values. The constants were chosen from `benchmarks/copies_eval.py`: on
Reuters-21578 (4,584 stories) and the generated 20k corpus, k=5 and T=0.5 fold every pair of
identical bodies and every generated reprint (changed word, added trailer), fold no pair whose
word sets overlap less than half, and, with MIN_SHINGLES, no two companies' earnings or
dividend templates; T=0.3 starts folding unrelated stories, T=0.7 loses corrected reprints.
20 bands of 3 rows make a pair at T=0.5 a candidate 93% of the time, at 0.6 99.6%.

Speed matters (this runs once per story in every build), so a shingle is never built as a
string: each word is hashed once (a polynomial hash of its UTF-8, mixed), and the hash of a
run of k words is a fixed linear mix of its words' hashes, computed for the whole body at
once with numpy. For an ASCII body the words' hashes too come from whole-array steps over
its bytes, with no Python step per word.
A shingle set is then a sorted array of 64-bit hashes, which the exact check intersects.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import re
import unicodedata

import numpy as np

#: Words per shingle.
SHINGLE_WORDS = 5
#: Shingle-set Jaccard similarity at or above which two bodies are copies.
THRESHOLD = 0.5
#: A body with fewer distinct shingles than this (about 30 words) is only ever a copy of an
#: identical body: in a short notice (`Qtly div 7 cts vs 7 cts prior Pay May 9 Record
#: April 20`) the few words that differ are the whole news, and two companies' notices
#: would otherwise pass any threshold.
MIN_SHINGLES = 25
#: LSH: the signature is cut into BANDS bands of ROWS values; one equal band makes a candidate.
BANDS = 20
ROWS = 3
#: The MinHash permutations' seed: fixed, so signatures are the same in every process and run.
SEED = 20_251_202
#: Names the recipe (normalisation, shingles, hashes, permutations, bands, threshold):
#: persisted copies data made with another recipe is recomputed.
RECIPE = (
    f"2 k={SHINGLE_WORDS} t={THRESHOLD} m={MIN_SHINGLES} b={BANDS} r={ROWS} seed={SEED} "
    f"datasketch {importlib.metadata.version('datasketch').split('.')[0]}"
)

_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)


def _odd_constants(count: int, salt: int) -> np.ndarray:
    rng = np.random.RandomState(SEED + salt)
    return rng.randint(1, 1 << 62, count, dtype=np.int64).astype(np.uint64) * np.uint64(
        2
    ) + np.uint64(1)


#: Position weights of a shingle's words (so `a b` and `b a` differ), and of a band's rows.
_SHINGLE_MIX = _odd_constants(64, 1)
_BAND_MIX = _odd_constants(ROWS, 2)


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's MinHash permutations `(a, b)` for `num_perm` values and our seed.

    Made here as datasketch (2.x, its default "affine32" scheme) makes them, from numpy's
    seeded generator: an odd 32-bit `a` and a 32-bit `b` each. Importing datasketch for them
    would bring scipy into every process that sketches a body (half a second of CPU and
    tens of megabytes, in each worker of a build and in the browser's syncs); a test holds
    these equal to `datasketch.MinHash(num_perm, seed=SEED).permutations`, and the
    signatures to its `update_batch`.
    """
    generator = np.random.RandomState(SEED)
    width = 32
    a = generator.randint(0, 1 << (width - 1), num_perm, dtype=np.uint32) * np.uint32(2)
    b = generator.randint(0, 1 << width, num_perm, dtype=np.uint32)
    return a + np.uint32(1), b


#: The word hash: sum(byte[i] * _P**i) mod 2**64 over the word's UTF-8, then `_finish`.
_P = 0x100000001B3
_P_INVERSE = pow(_P, -1, 1 << 64)
_MIX64 = 0x9E3779B97F4A7C15


def _finish(hashes: np.ndarray) -> np.ndarray:
    """Spread a polynomial hash's bits (its low bits depend only on a word's first bytes)."""
    hashes ^= hashes >> np.uint64(29)
    hashes *= np.uint64(_MIX64)
    hashes ^= hashes >> np.uint64(32)
    return hashes


def word_hash(word: bytes) -> int:
    """One word's hash, as `_ascii_word_hashes` computes it for every word of a body."""
    total, power = 0, 1
    for byte in word:
        total = (total + byte * power) & 0xFFFFFFFFFFFFFFFF
        power = (power * _P) & 0xFFFFFFFFFFFFFFFF
    return int(_finish(np.array([total], dtype=np.uint64))[0])


@functools.cache
def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """_P**i and _P**-i mod 2**64 for i < size (numpy's integer products wrap mod 2**64)."""
    ones = np.ones(1, dtype=np.uint64)
    up = np.cumprod(np.concatenate([ones, np.full(size - 1, _P, dtype=np.uint64)]))
    down = np.cumprod(np.concatenate([ones, np.full(size - 1, _P_INVERSE, dtype=np.uint64)]))
    return up, down


def _ascii_word_hashes(cut: bytes) -> np.ndarray:
    """The hash of every word of `cut` (word characters, everything else a space), in order.

    A word's polynomial hash is a difference of prefix sums of byte * _P**i, brought back
    to its own start by _P**-start: a few whole-array steps for the whole body.
    """
    size = len(cut)
    buf = np.frombuffer(cut, dtype=np.uint8)
    in_word = buf != 32
    edges = np.flatnonzero(in_word[1:] != in_word[:-1]) + 1
    if size and in_word[0]:
        edges = np.concatenate([[0], edges])
    if size and in_word[-1]:
        edges = np.concatenate([edges, [size]])
    if not edges.size:
        return np.empty(0, dtype=np.uint64)
    starts, ends = edges[0::2], edges[1::2]
    up, down = _powers(1 << max(10, size.bit_length()))
    prefix = np.zeros(size + 1, dtype=np.uint64)
    np.cumsum(buf * up[:size], out=prefix[1:])
    return _finish((prefix[ends] - prefix[starts]) * down[starts])


class _WordHashes(dict[str, int]):
    """word -> its hash, filled on first sight, for the words of bodies that are not ASCII."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 500_000:  # bounded: a worker lives for one build, a browser longer
            self.clear()
        value = self[word] = word_hash(word.encode("utf-8"))
        return value


_word_hashes = _WordHashes()


def words(body: str) -> list[str]:
    """The body's words: NFKC-normalised, case-folded, punctuation and layout dropped."""
    return _WORD.findall(unicodedata.normalize("NFKC", body).casefold())


#: For an ASCII body: word characters (`\w`: letters, digits, `_`) lower-cased, the rest a space.
_ASCII_WORDS = bytes(
    ord(chr(c).lower()) if chr(c).isalnum() or chr(c) == "_" else ord(" ") for c in range(256)
)


#: Typographic punctuation that wire copy is full of; none of it is a word character, even
#: after NFKC, so a space in its place cuts the words where `words` would.
_TYPOGRAPHIC = (
    "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u2022\u00b7\u00ab\u00bb\u00a0\u2010\u2011"
)


def _word_hashes_of(body: str) -> np.ndarray:
    """The hash of each of `words(body)`, in order."""
    found = _tokens(body)
    if isinstance(found, bytes):
        return _ascii_word_hashes(found)
    return np.fromiter(map(_word_hashes.__getitem__, found), dtype=np.uint64, count=len(found))


def _tokens(body: str) -> list[str] | bytes:
    """`words(body)`; or, when the body is ASCII once its typographic punctuation is a
    space (most wire copy is), the body with every word character lower-cased and every
    other character a space, whose space-separated runs are those words.

    The same words in the same order: NFKC changes no ASCII text, casefolding ASCII is
    lower-casing, and `\\w` in ASCII is letters, digits and `_`. One `bytes.translate` and
    `split` cost a fraction of the regex, which was a third of a story's sketch.
    """
    if not body.isascii():
        for mark in _TYPOGRAPHIC:
            if mark in body:
                body = body.replace(mark, " ")
        if not body.isascii():
            return words(body)
    return body.encode("ascii").translate(_ASCII_WORDS)


def shingles(body: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of the body's k-word runs.

    A body of k words or fewer is one shingle; a body without words has none (and is never
    anyone's copy).
    """
    hashed = _word_hashes_of(body)
    if not hashed.size:
        return np.empty(0, dtype=np.uint64)
    width = min(k, hashed.size)
    count = hashed.size - width + 1
    # sum(word[i + j] * MIX[j]) for every start i, as `width` whole-array steps (wrapping
    # mod 2**64), which is several times cheaper than a reduction over a sliding window.
    mixed = hashed[:count] * _SHINGLE_MIX[0]
    for j in range(1, width):
        mixed += hashed[j : j + count] * _SHINGLE_MIX[j]
    mixed.sort()
    return mixed[np.r_[True, mixed[1:] != mixed[:-1]]]  # np.unique, without its overhead


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The exact Jaccard similarity of two shingle sets (0 when either is empty)."""
    if not a.size or not b.size:
        return 0.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


def are_copies(
    a: np.ndarray,
    b: np.ndarray,
    threshold: float = THRESHOLD,
    min_shingles: int = MIN_SHINGLES,
) -> bool:
    """The copy relation between two different shingle sets (equal sets always are copies:
    they share a fingerprint, see `update`). The arguments are for the evaluation script."""
    if min(a.size, b.size) < min_shingles:
        return False
    return jaccard(a, b) >= threshold


def hash_values(shingle_set: np.ndarray) -> np.ndarray:
    """The 32-bit values the MinHash takes in: each shingle hash folded to 32 bits."""
    return ((shingle_set ^ (shingle_set >> np.uint64(32))) & _MASK32).astype(np.uint32)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch's "affine32" scheme applies it first."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signature(shingle_set: np.ndarray, num_perm: int = BANDS * ROWS) -> np.ndarray:
    """The MinHash signature (BANDS * ROWS values) of a non-empty shingle set.

    The values are those of datasketch's `MinHash(num_perm, seed=SEED, hashfunc=int)` after
    `update_batch(hash_values(shingle_set))` (a test holds them equal), computed in one numpy
    step with its permutations: `update_batch` spends most of its time calling the hash
    function once per value in Python (0.11 ms a story against 0.04 ms here). `num_perm`
    is for the evaluation script, which compares other band layouts.
    """
    a, b = _permutations(num_perm)
    mixed = _fmix32(hash_values(shingle_set))
    # (permutations, shingles), wrapping mod 2**32: each permutation's minimum is then taken
    # along a row in memory order, a fifth cheaper than down the columns of the transpose.
    products = np.multiply.outer(a, mixed)
    products += b[:, np.newaxis]
    return products.min(axis=1).astype(np.uint64)


def band_keys(sig: np.ndarray, bands: int = BANDS) -> np.ndarray:
    """One uint32 key per band: equal bands give equal keys (unequal ones rarely do)."""
    rows = sig.size // bands
    mix = _BAND_MIX if rows == ROWS else _odd_constants(rows, 2)
    mixed = (sig.reshape(bands, rows) * mix).sum(axis=1, dtype=np.uint64)
    return ((mixed ^ (mixed >> np.uint64(32))) & _MASK32).astype(np.uint32)


def fingerprint(shingle_set: np.ndarray) -> int:
    """A 64-bit digest of the shingle set: equal for equal sets, never 0 (0: no words)."""
    digest = hashlib.blake2b(shingle_set.astype("<u8").tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "little") or 1


#: A sketch: the fingerprint (8 bytes) then the BANDS keys (4 bytes each), little-endian.
SKETCH_BYTES = 8 + 4 * BANDS
NO_WORDS = bytes(SKETCH_BYTES)


def sketch(body: str) -> bytes:
    """What the clustering keeps of one body (`NO_WORDS` for a body without words).

    Computed where the body is at hand: in the worker process that parses the story.
    """
    shingle_set = shingles(body)
    if not shingle_set.size:
        return NO_WORDS
    keys = band_keys(signature(shingle_set)).astype("<u4").tobytes()
    return fingerprint(shingle_set).to_bytes(8, "little") + keys


def unpack(packed: bytes) -> tuple[int, np.ndarray]:
    """(fingerprint, band keys) of a sketch; raises ValueError for one of another size."""
    if len(packed) != SKETCH_BYTES:
        raise ValueError("not a sketch")
    return int.from_bytes(packed[:8], "little"), np.frombuffer(packed[8:], dtype="<u4")
