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
once with numpy. The words' hashes too come from whole-array steps over the body's bytes,
with no Python step per word (`_tokens` cuts the words). A build sketches its bodies a batch
at a time (`sketch_many`), each numpy step once for the batch: on bodies of a few hundred
words numpy's fixed cost per call, not the arithmetic, was most of a sketch.
A shingle set is then a sorted array of 64-bit hashes, which the exact check intersects.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

#: Words per shingle.
SHINGLE_WORDS = 5
#: Shingle-set Jaccard similarity at or above which two bodies are copies.
THRESHOLD = 0.5
#: A body with fewer distinct shingles than this (about 30 words) is only ever a copy of an
#: identical body: in a short notice (`Brantmoor Mills quarterly payout 7 cents, as before,
#: paid May 9 to owners on record April 20`) the few words that differ are the whole news,
#: and two companies' notices would otherwise pass any threshold.
MIN_SHINGLES = 25
#: LSH: the signature is cut into BANDS bands of ROWS values; one equal band makes a candidate.
BANDS = 20
ROWS = 3
#: The MinHash permutations' seed: fixed, so signatures are the same in every process and run.
SEED = 20_251_202
#: Spreads shingle hashes before a set's fingerprint sums them.
_FINGERPRINT_MIX = 0xD6E8FEB86659FD93
#: Names the recipe (normalisation, shingles, hashes, permutations, bands, threshold):
#: persisted copies data made with another recipe is recomputed.
RECIPE = (
    f"3 k={SHINGLE_WORDS} t={THRESHOLD} m={MIN_SHINGLES} b={BANDS} r={ROWS} seed={SEED} "
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
    """One word's hash, as `_word_hashes_and_starts` computes it for every word of a body."""
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


def _word_hashes_and_starts(cut: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The hash of every word of `cut` (its runs of bytes other than a space), in order, and
    the offset in `cut` where each word starts.

    A word's polynomial hash is a difference of prefix sums of byte * _P**i, brought back
    to its own start by _P**-start: a few whole-array steps for the whole text, however
    many bodies it holds.
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
        return np.empty(0, dtype=np.uint64), edges
    starts, ends = edges[0::2], edges[1::2]
    up, down = _powers(1 << max(10, size.bit_length()))
    prefix = np.zeros(size + 1, dtype=np.uint64)
    np.cumsum(buf * up[:size], out=prefix[1:])
    return _finish((prefix[ends] - prefix[starts]) * down[starts]), starts


def words(body: str) -> list[str]:
    """The body's words: NFKC-normalised, case-folded, punctuation and layout dropped."""
    return _WORD.findall(unicodedata.normalize("NFKC", body).casefold())


#: For an ASCII body: word characters (`\w`: letters, digits, `_`) lower-cased, the rest a space.
_ASCII_WORDS = bytes(
    ord(chr(c).lower()) if chr(c).isalnum() or chr(c) == "_" else ord(" ") for c in range(256)
)
#: For the UTF-8 of a text whose characters beyond ASCII are all word characters: its ASCII
#: bytes as in `_ASCII_WORDS`, and every byte of a longer character (0x80 and up) kept.
_UTF8_WORDS = _ASCII_WORDS[:128] + bytes(range(128, 256))
_ASCII_BYTES = bytes(range(128))
#: A character that is neither ASCII nor a word character: it only ever separates words.
_NOT_ASCII_NOR_WORD = re.compile(r"[^\x00-\x7f\w]")


#: Typographic punctuation that wire copy is full of; none of it is a word character, even
#: after NFKC, so a space in its place cuts the words where `words` would.
_TYPOGRAPHIC = (
    "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u2022\u00b7\u00ab\u00bb\u00a0\u2010\u2011"
)


def _word_hashes_of(body: str) -> np.ndarray:
    """The hash of each of `words(body)`, in order."""
    return _word_hashes_and_starts(_tokens(body))[0]


def _tokens(body: str) -> bytes:
    """The UTF-8 of `words(body)` in order, each word followed by one or more spaces.

    For a body that is ASCII once its typographic punctuation is a space (most wire copy
    is), the body with every word character lower-cased and every other character a space:
    NFKC changes no ASCII text, casefolding ASCII is lower-casing, and `\\w` in ASCII is
    letters, digits and `_`. One `bytes.translate` costs a fraction of the regex, which was a
    third of a story's sketch; other bodies take `_unicode_tokens`.
    """
    if not body.isascii():
        for mark in _TYPOGRAPHIC:
            if mark in body:
                body = body.replace(mark, " ")
        if not body.isascii():
            return _unicode_tokens(body)
    return body.encode("ascii").translate(_ASCII_WORDS)


def _unicode_tokens(body: str) -> bytes:
    """`_tokens` for a body with characters beyond ASCII (accented names: Québec, Montréal).

    `words` is `\\w+` over `NFKC(body).casefold()`. Once no character beyond ASCII in that
    text is a separator, its words are the maximal runs of bytes of its UTF-8 that are not
    ASCII separators, so `_UTF8_WORDS` cuts them, and their hashes come from whole-array
    steps as for ASCII (a word's hash is over its UTF-8 either way) instead of the regex's
    list and a hash per word, which cost four times as much. Steps that would change
    nothing are skipped: NFKC for text already in NFKC, and casefolding when every character
    beyond ASCII folds to itself (casefolding maps each character on its own, and folding
    ASCII is the lower-casing `_UTF8_WORDS` does).
    """
    text = body
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    beyond = _beyond_ascii(text)
    if beyond.casefold() != beyond:
        # Each character folds to one or more, so an unchanged string means each folded to
        # itself: one test for all of them, and most bodies' accented letters pass it.
        text = text.casefold()
        beyond = _beyond_ascii(text)
    if beyond and not beyond.isalnum():
        # `\w` is `str.isalnum` or `_`: some characters (symbols, combining marks, the dot
        # that folding `İ` leaves, lone surrogates) separate words, and a space does as well.
        text = _NOT_ASCII_NOR_WORD.sub(" ", text)
    return text.encode("utf-8").translate(_UTF8_WORDS)


def _beyond_ascii(text: str) -> str:
    """The characters of `text` that are not ASCII, in order: few, and checked as a whole."""
    encoded = text.encode("utf-8", "surrogatepass")
    return encoded.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


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
    values = np.asarray(shingle_set, dtype=np.uint64)
    return int(_fingerprints(values, np.array([0, values.size]))[0])


def _fingerprints(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """`fingerprint` of each set `values[bounds[i]:bounds[i + 1]]` (none empty), at once.

    Each value is spread by a 64-bit mixer before the values are summed: a shingle's hash
    is a linear mix of its words' hashes, and a plain sum of a set's would be equal for
    unequal sets of the same words. The sum does not depend on order, and with the set's
    size mixed in it is as good a digest as a cryptographic hash of the set's bytes was,
    without a hash call per story (a tenth of a sketch).
    """
    sums = np.add.reduceat(_fmix64(values * np.uint64(_FINGERPRINT_MIX)), bounds[:-1])
    digests = _fmix64(sums + np.diff(bounds).astype(np.uint64) * np.uint64(_MIX64))
    digests[digests == 0] = 1
    return digests


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, in place (`values` must be a fresh array)."""
    values ^= values >> np.uint64(33)
    values *= np.uint64(0xFF51AFD7ED558CCD)
    values ^= values >> np.uint64(33)
    values *= np.uint64(0xC4CEB9FE1A85EC53)
    values ^= values >> np.uint64(33)
    return values


#: A sketch: the fingerprint (8 bytes) then the BANDS keys (4 bytes each), little-endian.
SKETCH_BYTES = 8 + 4 * BANDS
NO_WORDS = bytes(SKETCH_BYTES)


def sketch(body: str) -> bytes:
    """What the clustering keeps of one body (`NO_WORDS` for a body without words).

    Computed where the body is at hand: in the worker process that parses the story. For
    one body this is cheaper than `sketch_many([body])`, whose steps for a batch cost more
    calls than they save on one.
    """
    shingle_set = shingles(body)
    if not shingle_set.size:
        return NO_WORDS
    keys = band_keys(signature(shingle_set)).astype("<u4").tobytes()
    return fingerprint(shingle_set).to_bytes(8, "little") + keys


def sketch_many(bodies: Sequence[str]) -> list[bytes]:
    """`[sketch(body) for body in bodies]`, byte for byte, with the numpy work done for all
    the bodies at once (see `sketches_and_signatures`)."""
    return sketches_and_signatures(bodies)[0]


def sketches_and_signatures(bodies: Sequence[str]) -> tuple[list[bytes], list[bytes]]:
    """Each body's `sketch`, and its whole MinHash `signature` as little-endian uint32
    (`SIGNATURE_BYTES`; b"" for a body without words), the numpy work done for all the
    bodies at once.

    One body's sketch is some sixty numpy calls on arrays of a few hundred values, and
    numpy's fixed cost per call (1-2 µs) was most of it; here each step is one call, or a
    few, for the whole batch, and only the sort and the fingerprint are made body by body.
    The signatures let the exact check pass over candidates that are clearly not copies
    (`plainly_apart`) without reading their bodies again.
    """
    hashes, counts = _batch_word_hashes(bodies)
    values, bounds = _batch_shingle_sets(hashes, counts)
    sketches = [NO_WORDS] * len(bodies)
    signatures = [b""] * len(bodies)
    filled = np.flatnonzero(bounds[1:] > bounds[:-1])
    if not filled.size:
        return sketches, signatures
    minima = _batch_signatures(values, bounds[filled])
    keys = _batch_band_keys(minima).tobytes()
    sizes = np.diff(bounds)[filled].astype(np.uint32)
    whole = np.vstack([minima.astype(np.uint32), sizes]).T.astype("<u4").tobytes()
    digests = _fingerprints(values, np.append(bounds[filled], bounds[-1])).astype("<u8")
    digests_bytes = digests.tobytes()
    size = 4 * BANDS
    for row, body in enumerate(filled.tolist()):
        digest = digests_bytes[8 * row : 8 * row + 8]
        sketches[body] = digest + keys[row * size : (row + 1) * size]
        signatures[body] = whole[row * SIGNATURE_BYTES : (row + 1) * SIGNATURE_BYTES]
    return sketches, signatures


#: A signature as `sketches_and_signatures` gives it: BANDS * ROWS little-endian uint32, then
#: the size of the shingle set (uint32).
SIGNATURE_BYTES = 4 * (BANDS * ROWS + 1)
#: Fewer equal values than this, of the BANDS * ROWS, and a pair is plainly not a copy: its
#: estimated Jaccard similarity is under 0.2, where a pair at the threshold (0.5) agrees in
#: 11 or fewer of 60 values with probability 4e-7 (the binomial tail). On the generated 20k
#: corpus this passes over 1,300 of 2,199 candidate pairs, none of them copies.
AGREEMENT_FLOOR = 12


#: This many equal values or more, of the BANDS * ROWS, between two sets of at least
#: MIN_SHINGLES shingles each, and a pair is plainly a copy: its estimated Jaccard
#: similarity is 0.87 or more, and a pair below the threshold (0.5) agrees in 52 or more
#: of 60 values with probability 3e-9 (the binomial tail). On the generated 20k corpus
#: every one of its 558 copies is one, and the exact check reads 191 bodies instead of 1,244.
AGREEMENT_CEILING = 52


def plainly_alike(
    first: np.ndarray, second: np.ndarray, first_size: np.ndarray, second_size: np.ndarray
) -> np.ndarray:
    """For rows of signatures paired row by row, with their shingle sets' sizes: True
    where the two agree in `AGREEMENT_CEILING` values or more and neither set is short
    (a short body is only ever a copy of an identical one, `are_copies`)."""
    agree = np.count_nonzero(first == second, axis=1)
    long_enough = (first_size >= MIN_SHINGLES) & (second_size >= MIN_SHINGLES)
    return (agree >= AGREEMENT_CEILING) & long_enough


def plainly_apart(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """For rows of signatures (uint32, BANDS * ROWS a row) paired row by row: True where
    the two agree in fewer than `AGREEMENT_FLOOR` values."""
    return np.count_nonzero(first == second, axis=1) < AGREEMENT_FLOOR


def shingles_many(bodies: Sequence[str]) -> list[np.ndarray]:
    """`[shingles(body) for body in bodies]`, with the numpy work done for all at once."""
    hashes, counts = _batch_word_hashes(bodies)
    values, bounds = _batch_shingle_sets(hashes, counts)
    ends = bounds[1:].tolist()
    return [values[start:end] for start, end in zip(bounds[:-1].tolist(), ends, strict=True)]


def _batch_word_hashes(bodies: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The hashes of all the bodies' words, body after body, and each body's word count.

    The bodies' `_tokens` joined by a space hash as one text: a word never spans two bodies,
    and its hash is the same wherever it lies in the text.
    """
    cut = [_tokens(body) for body in bodies]
    hashes, starts = _word_hashes_and_starts(b" ".join(cut))
    # Where each body starts in the joined text: after the bodies before it and their spaces.
    offsets = np.cumsum([0, *map(len, cut)]) + np.arange(len(cut) + 1)
    return hashes, np.diff(np.searchsorted(starts, offsets))


def _batch_shingle_sets(
    hashes: np.ndarray, counts: np.ndarray, k: int = SHINGLE_WORDS
) -> tuple[np.ndarray, np.ndarray]:
    """Each body's `shingles`, body after body, and where each body's set starts and ends
    (`bounds[i]:bounds[i + 1]`), from the bodies' word hashes (`_batch_word_hashes`).
    """
    hashes, counts = _pad_short_bodies(hashes, counts, k)
    runs = hashes.size - k + 1
    if runs <= 0:
        return np.empty(0, dtype=np.uint64), np.zeros(counts.size + 1, dtype=np.intp)
    # As in `shingles`: every k-word run's mix, here over all the bodies' words at once.
    mixed = hashes[:runs] * _SHINGLE_MIX[0]
    for j in range(1, k):
        mixed += hashes[j : j + runs] * _SHINGLE_MIX[j]
    mixed = mixed[_runs_inside_bodies(runs, counts, k)]
    bounds = np.concatenate([[0], np.cumsum(np.maximum(counts - (k - 1), 0))])
    return _sorted_distinct(mixed, bounds)


def _pad_short_bodies(
    hashes: np.ndarray, counts: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The word hashes with zeros after each body of fewer than k words, up to k.

    Such a body is one shingle of all its words (`shingles`); zero hashes add nothing to
    the mix, so padded it is one run of k words like any other, with the same hash.
    """
    short = (counts > 0) & (counts < k)
    if not short.any():
        return hashes, counts
    ends = np.cumsum(counts)[short]
    padded = np.insert(hashes, np.repeat(ends, k - counts[short]), np.uint64(0))
    return padded, np.where(short, k, counts)


def _runs_inside_bodies(runs: int, counts: np.ndarray, k: int) -> np.ndarray:
    """Which of the k-word runs of the joined bodies' words lie inside one body: not the
    k - 1 runs that start before a body's end and end in the next."""
    ends = np.cumsum(counts)
    inside = np.ones(runs, dtype=bool)
    crossing = ends[(counts > 0) & (ends < runs + k - 1)]  # every body's end but the last
    inside[(crossing[:, np.newaxis] - np.arange(1, k)).ravel()] = False
    return inside


def _sorted_distinct(values: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each set `values[bounds[i]:bounds[i + 1]]` sorted and without repeats, set after set,
    and the new bounds. The sort is one call a set; the rest one call for them all."""
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        values[start:end].sort()
    first = np.empty(values.size, dtype=bool)
    np.not_equal(values[1:], values[:-1], out=first[1:])
    # A set's smallest value is kept even when the set before ended with the same value.
    first[bounds[:-1][bounds[1:] > bounds[:-1]]] = True
    kept = np.concatenate([[0], np.cumsum(first)])
    return values[first], kept[bounds]


#: Columns of the MinHash's (permutations x shingles) product made at a time: 4 MB. Not
#: pieces that fit a core's L2 cache (512 KB, some 2,000 columns), which measured three
#: times as slow per value: numpy copies a broadcast operand through its buffer (8,192
#: values) when the rows are shorter than about half of it, and rows of 4,096 were still
#: 1.5 times as slow as rows of 8,192 and more.
_PRODUCT_COLUMNS = 16_384


def _batch_signatures(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The MinHash `signature` of each set of `values` (sets starting at `starts`, none
    empty) as the columns of one (BANDS * ROWS, sets) array.

    A permutation's minimum over a set is `np.minimum.reduceat` of its row of products; a
    product made in pieces gives each piece's minimum, and then the minimum of a set's pieces.
    """
    a, b = _permutations(BANDS * ROWS)
    mixed = _fmix32(hash_values(values))
    if mixed.size <= _PRODUCT_COLUMNS:
        return _minima(a, b, mixed, starts)
    cuts = np.union1d(starts, np.arange(0, mixed.size, _PRODUCT_COLUMNS))
    pieces = np.empty((a.size, cuts.size), dtype=np.uint32)
    for begin in range(0, mixed.size, _PRODUCT_COLUMNS):
        end = begin + _PRODUCT_COLUMNS
        low, high = np.searchsorted(cuts, [begin, end])
        pieces[:, low:high] = _minima(a, b, mixed[begin:end], cuts[low:high] - begin)
    return np.minimum.reduceat(pieces, np.searchsorted(cuts, starts), axis=1)


def _minima(a: np.ndarray, b: np.ndarray, mixed: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Each permutation's (row's) minimum over each run of `mixed` that starts at `starts`."""
    products = np.multiply.outer(a, mixed)
    products += b[:, np.newaxis]
    return np.minimum.reduceat(products, starts, axis=1)


def _batch_band_keys(signatures: np.ndarray) -> np.ndarray:
    """`band_keys` of each column of `signatures`, one row of little-endian uint32 a set."""
    rows = signatures.T.astype(np.uint64).reshape(-1, BANDS, ROWS)
    mixed = (rows * _BAND_MIX).sum(axis=2, dtype=np.uint64)
    return ((mixed ^ (mixed >> np.uint64(32))) & _MASK32).astype("<u4")


def unpack_many(packed: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """`unpack` of many sketches at once: their fingerprints (uint64) and band keys (one row
    of uint32 each). Raises ValueError if any sketch has another size."""
    if any(len(one) != SKETCH_BYTES for one in packed):
        raise ValueError("not a sketch")
    rows = np.frombuffer(b"".join(packed), dtype=np.uint8).reshape(len(packed), SKETCH_BYTES)
    fps = rows[:, :8].copy().view("<u8").ravel().astype(np.uint64)
    bands = rows[:, 8:].copy().view("<u4").astype(np.uint32)
    return fps, bands
