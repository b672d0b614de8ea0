"""Lower-casing that agrees with `re.IGNORECASE`, for exact plain-string gates before a regex.

A case-insensitive regex that needs a word (`photo`, `contributed to this`) cannot match a text
whose lower-cased form lacks that word, and `word in text` is far cheaper than a regex scan.
That holds only if lower-casing folds every character the regex folds: for ASCII letters,
`re.IGNORECASE` also takes `İ` and `ı` for `i` and `ſ` for `s`, which `str.lower()` leaves
apart. Those three are mapped first, so the gate never turns away a text the regex would match.
"""

from __future__ import annotations

#: The only characters that `re.IGNORECASE` takes for an ASCII letter and `str.lower()` does
#: not turn into it (checked over every code point in tests/parsing/test_folding.py).
REGEX_ONLY_FOLDS = {"İ": "i", "ı": "i", "ſ": "s"}
_FOLD_TABLE = str.maketrans(REGEX_ONLY_FOLDS)


def lower_like_regex(text: str) -> str:
    """`text.lower()`, with the letters `re.IGNORECASE` also folds to ASCII folded too.

    For any lower-case ASCII `word`, `word in lower_like_regex(text)` is True whenever a
    case-insensitive pattern that spells `word` out literally can match inside `text`.
    """
    if text.isascii() or not any(char in text for char in REGEX_ONLY_FOLDS):
        return text.lower()
    return text.translate(_FOLD_TABLE).lower()
