"""Each field's term list, in memory: what completion and spelling suggestion look words up in.

Whoosh hands out a field's terms one generator step and one `TermInfo` object at a time,
merged across segments in Python, which at tens of microseconds a term is far too slow to
do per keystroke. Here each segment's terms are read in one go
(`whoosh_adapter.field_term_records`), once per index generation; afterwards a prefix
is two binary searches and a document frequency one. Where each term's posting list lies
in each segment is kept too (`FieldTerms.records`), so that the posting lists of a partial
word's completions are read without Whoosh's hash lookups.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from termnews.engine.schema import name_analyzer
from termnews.engine.whoosh_adapter import TermRecords, field_term_records

#: Past every character: `prefix + _LAST` bounds the terms that begin with `prefix`.
_LAST = "\U0010ffff"

_names = name_analyzer()


def fold(word: str) -> str:
    """The word as name fields index it (lowercased, accents folded); '' if no word."""
    tokens = [token.text for token in _names(word)]
    return tokens[0] if tokens else ""


#: How many (term, segment) places a field's list may keep (16 bytes each): past this (a
#: vocabulary of millions over many segments) Whoosh finds the terms, as it did before.
MAX_PLACES = 4_000_000
#: Per segment, where each term's posting list starts and ends in its postings file (-1:
#: not in that segment; `INLINED`: in the terms file, for Whoosh to read).
SegmentPlaces = tuple[array, array]


class FieldTerms:
    """One field's terms in order, with each one's document frequency (deletions included)."""

    def __init__(
        self, frequencies: dict[str, int], places: list[SegmentPlaces] | None = None
    ) -> None:
        """`places`: where each term's postings are in each segment (`records`), if known."""
        self.terms: list[str] = sorted(frequencies)
        self.frequencies = array("l", (frequencies[t] for t in self.terms))
        self._places = places

    @classmethod
    def of_segments(cls, segments: list[TermRecords]) -> FieldTerms:
        """The field's terms over every segment, with where each segment keeps their postings."""
        frequencies: dict[str, int] = {}
        for found in segments:
            for term, frequency in zip(found.terms, found.frequencies, strict=True):
                frequencies[term] = frequencies.get(term, 0) + frequency
        made = cls(frequencies)
        if len(made.terms) * len(segments) <= MAX_PLACES:
            made._places = _aligned(made.terms, segments)
        return made

    def records(self, term: str) -> list[tuple[int, int, int]] | None:
        """(segment number, start, end) of the posting list of `term` in each segment
        holding it, in segment order (start `INLINED`: held inline); None when the places
        were not read (another codec's segments)."""
        if self._places is None:
            return None
        i = bisect_left(self.terms, term)
        if i == len(self.terms) or self.terms[i] != term:
            return []
        return [
            (number, starts[i], ends[i])
            for number, (starts, ends) in enumerate(self._places)
            if starts[i] != -1
        ]

    def __len__(self) -> int:
        return len(self.terms)

    def frequency(self, term: str) -> int:
        """How many stories hold `term` (0 if none)."""
        i = bisect_left(self.terms, term)
        if i < len(self.terms) and self.terms[i] == term:
            return self.frequencies[i]
        return 0

    def with_prefix(self, prefix: str, limit: int) -> list[tuple[str, int]] | None:
        """(term, frequency) of every term beginning with `prefix`; None if over `limit`."""
        start = bisect_left(self.terms, prefix)
        stop = bisect_left(self.terms, prefix + _LAST, start)
        if stop - start > limit:
            return None
        return list(zip(self.terms[start:stop], self.frequencies[start:stop], strict=True))


class Lexicon:
    """The term lists of one reader, each read the first time it is asked for.

    Not thread-safe on its own: it reads through the reader's files, so call it under the
    lock that guards the reader (the Searcher's). `read_apart` reads term lists through
    files of its own instead, for a worker to call without that lock, and `install` takes
    what it read.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, FieldTerms] = {}

    def terms(self, field: str) -> FieldTerms:
        found = self._fields.get(field)
        if found is None:
            found = self._fields[field] = _read_field(_leaves(self._reader), field)
        return found

    def records(self, field: str, term: str) -> list[tuple[int, int, int]] | None:
        """`FieldTerms.records` if the field's terms are read already (never reads them:
        a field's list is read ahead, apart, and a keystroke must not wait for it)."""
        found = self._fields.get(field)
        return None if found is None else found.records(term)

    def frequency(self, field: str, term: str) -> int | None:
        """`FieldTerms.frequency` if the field's terms are read already (see `records`)."""
        found = self._fields.get(field)
        return None if found is None else found.frequency(term)

    def loaded(self, field: str) -> bool:
        return field in self._fields

    def install(self, read: dict[str, FieldTerms]) -> None:
        """Keep term lists read by `read_apart` (a list read meanwhile is kept instead)."""
        for field, terms in read.items():
            self._fields.setdefault(field, terms)


def segments_of(reader: Any) -> list[Any]:
    """The segments a reader reads, for `read_apart` to open again (none when empty)."""
    return [segment for leaf in _leaves(reader) if (segment := leaf.segment()) is not None]


def read_apart(
    storage: Any, schema: Any, segments: list[Any], fields: Iterable[str]
) -> dict[str, FieldTerms]:
    """The term lists of `fields` in `segments`, read through readers opened for this only.

    Whoosh reads a file by seeking its shared handle, so two threads must not read through
    one reader at once; readers of their own let a worker read the (large) body term list
    while searches go on under the lock.
    """
    from whoosh.reading import SegmentReader

    readers = [SegmentReader(storage, schema, segment) for segment in segments]
    try:
        return {field: _read_field(readers, field) for field in fields}
    finally:
        for reader in readers:
            reader.close()


def _leaves(reader: Any) -> list[Any]:
    return [reader] if reader.is_atomic() else [leaf for leaf, _base in reader.leaf_readers()]


def _read_field(leaves: list[Any], field: str) -> FieldTerms:
    segments = []
    for leaf in leaves:
        found = field_term_records(leaf, field)
        if found is None:  # not a W3 terms file: the slow way, and no places
            return FieldTerms(_frequencies(leaves, field))
        segments.append(found)
    return FieldTerms.of_segments(segments)


def _aligned(terms: list[str], segments: list[TermRecords]) -> list[SegmentPlaces]:
    """Each segment's posting extents, at the index of each term in `terms` (see
    `SegmentPlaces`)."""
    aligned = []
    index: dict[str, int] | None = None
    for found in segments:
        if len(found.terms) == len(terms):
            # The segment holds every term: its terms are `terms`, in the same order (UTF-8
            # bytes sort as their code points do).
            aligned.append((found.starts, found.ends))
            continue
        if index is None:
            index = {term: i for i, term in enumerate(terms)}
        placed = array("q", [-1]) * len(terms)
        ends = array("q", [-1]) * len(terms)
        for term, start, end in zip(found.terms, found.starts, found.ends, strict=True):
            i = index[term]
            placed[i] = start
            ends[i] = end
        aligned.append((placed, ends))
    return aligned


def _frequencies(leaves: list[Any], field: str) -> dict[str, int]:
    frequencies: dict[str, int] = {}
    for leaf in leaves:
        for term, frequency in _iterate_segment(leaf, field):
            frequencies[term] = frequencies.get(term, 0) + frequency
    return frequencies


def _iterate_segment(leaf: Any, field: str) -> list[tuple[str, int]]:
    if field not in leaf.indexed_field_names():
        return []
    return [
        (text.decode("utf-8") if isinstance(text, bytes) else text, info.doc_frequency())
        for text, info in leaf.iter_field(field)
    ]
