"""Exact phrase matching in bulk: every occurrence becomes one int, and sets do the matching.

Whoosh checks a phrase by walking the intersection of its words one document at a time and
decoding each word's positions through several layers of matcher objects; checking one
candidate at a time in Python was still most of a phrase's cost. Here the candidates come
from the cached posting sets (`DocSets`), only the posting blocks that hold one are
inflated, and their packed positions (`engine.storage.codec`) turn into keys through C
iterators, with no Python code run per occurrence.

A word-pair (shingle) field would make a two-word phrase one term lookup, but measured with
the bulk writer it halved the build rate, so exact phrases are checked here instead.

A phrase is a list of (word, offset): `"state of the art"` is state@0 art@3, because the
analyzer keeps the gaps of dropped stop words (see `query.language._GapPhrasePlugin`); the
query's form (`query.form.Phrase`) carries those offsets.
"""

from __future__ import annotations

from typing import Any

from termnews.engine import vector

#: Scales a docnum above any position in one story, so (docnum, position) is one int.
KEY_SCALE = 1 << 24


def matching_docs(words: list[Occurrences]) -> list[int]:
    """The docnums (ascending) in which every word sits at its offset from the phrase's first.

    `words` holds each word's occurrences and its offset, rarest word first. Every
    occurrence becomes one int, `docnum * KEY_SCALE + position - offset`, so an occurrence
    that lines up with the phrase start has the same key for every word: the phrase holds
    where the keys of all words meet. Each word's keys come out ascending (docnums ascend,
    and positions within a story), so meeting them is a binary search a key. Deleted
    documents are not filtered out here.
    """
    np = vector.load()

    keys = None
    for occurrences in words:
        found = occurrence_keys(occurrences)
        if keys is None:
            keys = found
        elif len(found):
            at = np.searchsorted(found, keys).clip(0, len(found) - 1)
            keys = keys[found[at] == keys]
        else:
            keys = found
        if not len(keys):
            return []
    if keys is None:
        return []
    docs = keys // KEY_SCALE
    first = np.empty(len(docs), dtype=bool)  # the first key of each story (they are sorted)
    first[0] = True
    np.not_equal(docs[1:], docs[:-1], out=first[1:])
    return docs[first].tolist()


#: A word's (docnum, position) arrays, one entry per occurrence, and its offset in the phrase.
Occurrences = tuple[tuple[Any, Any], int]


def occurrence_keys(occurrences: Occurrences) -> Any:
    """`docnum * KEY_SCALE + position - offset` for each occurrence, ascending (numpy int64)."""
    (docnums, posns), offset = occurrences
    return docnums * KEY_SCALE + (posns - offset)
