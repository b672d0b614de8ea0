"""Bytes to clean text: the only place that knows about encodings and terminal-hostile bytes.

Everything later in the pipeline may assume a `str` with `\\n` line endings, no byte-order
mark, no control characters and no escape sequences, because those would otherwise reach the
user's terminal through the headline, the snippet or the article view.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from termnews.errors import ParseError

#: Bytes that never occur in text; one of these in the first block means a binary file.
_BINARY_SNIFF_BYTES = 8192

#: ANSI/VT escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other 2-byte ESC.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, terminated by BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
#: C0 and C1 controls except newline and tab, plus DEL and the bidi/zero-width format
#: characters that can reorder or hide text on screen.
_CONTROL_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]"
)
#: Classic UTF-8-read-as-cp1252 sequences (`â€™`, `Ã©`, `Â `); their absence lets us skip ftfy.
_MOJIBAKE_HINT = re.compile("[ÂÃâ][\u0080-\u00bf\u20ac\u201a-\u2122\u0152\u0160\u0178\u017d]")
#: Characters that render as spaces or breaks; plain `str.replace` is far faster than a
#: `str.translate` table on long ASCII text, and most files contain none of them.
_SPACE_LIKE = (("\t", " "), ("\u2028", "\n"), ("\u2029", "\n\n"))
#: The ASCII characters `_CONTROL_CHARS` removes, as bytes: on ASCII text one C-level
#: `bytes.translate` tells whether there is anything to remove at all.
_ASCII_CONTROL_BYTES = bytes([*range(0, 9), *range(11, 32), 127])
#: What `_CONTROL_CHARS` removes, as valid UTF-8 shows it: ASCII controls but tab, newline
#: and CR (which `_finish` turns into newlines first); C1 controls (lead byte c2); U+FEFF,
#: U+FFFE, U+FFFF (lead byte ef); U+2060-U+2069 (e2 81); and U+200B-U+200F, U+202A-U+202E
#: (`_FORMAT_CHARS_UTF8`). Lead bytes rule out more than that, which only costs a regex scan.
_ASCII_CONTROL_BYTES_BUT_CR = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_SUSPECT_UTF8_LEADS = (b"\xc2", b"\xef", b"\xe2\x81")
_FORMAT_CHARS_UTF8 = re.compile(rb"\xe2\x80[\x8b-\x8f\xaa-\xae]")
#: Control bytes that never appear in text files (tab, newline, CR, ESC are allowed).
_BINARY_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 27), 28, 29, 30, 31])


@dataclass(frozen=True, slots=True)
class DecodedText:
    """The cleaned text and what had to be repaired on the way (they become warnings)."""

    text: str
    warnings: tuple[str, ...]


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or a high share of non-text control bytes, mean this is not an article."""
    head = data[:_BINARY_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _BINARY_CONTROL_BYTES))
    return controls > max(8, len(head) // 100)


def strip_controls(text: str) -> str:
    """Remove escape sequences first (so their parameters go too), then lone control chars."""
    if text.isascii() and _ascii_is_clean(text):
        return text  # plain ASCII with nothing to remove (most older wire copy): no regex scans
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL_CHARS.sub("", text)


def _ascii_is_clean(text: str) -> bool:
    """No control character (ESC included) in `text`, which the caller knows is ASCII."""
    return len(text.encode("ascii").translate(None, _ASCII_CONTROL_BYTES)) == len(text)


def utf8_has_no_controls(data: bytes) -> bool:
    """True only if valid UTF-8 `data` holds nothing `_CONTROL_CHARS` removes but CRs.

    Plain byte searches over what the file already is: far cheaper than a regex scan of the
    decoded text, which is wider than the bytes once one curly quote makes it two-byte.
    """
    return not _has_ascii_controls(data) and _has_no_wide_controls(data)


def _has_ascii_controls(data: bytes) -> bool:
    return len(data.translate(None, _ASCII_CONTROL_BYTES_BUT_CR)) != len(data)


def _has_no_wide_controls(data: bytes) -> bool:
    """No C1, bidi, zero-width or BOM character in valid UTF-8 `data`."""
    if data.isascii():
        return True
    return not any(lead in data for lead in _SUSPECT_UTF8_LEADS) and not (
        _FORMAT_CHARS_UTF8.search(data)
    )


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was once decoded as cp1252 (`â€™` → `’`), only where it is present."""
    # Every hint starts with one of these three; `in` rules them out far faster than the
    # regex scan, and a text without any of them cannot hold mojibake.
    if "Â" not in text and "Ã" not in text and "â" not in text:
        return text
    if not _MOJIBAKE_HINT.search(text):
        return text
    import ftfy  # imported lazily: most files never need it

    return ftfy.fix_encoding(text)


def decode_bytes(data: bytes) -> DecodedText:
    """Decode an article file's bytes, recording every repair.

    UTF-8 is tried first because it is what sites serve today; cp1252 is the classic fallback
    for older Windows-made files (its `\\x96` is an en dash), and latin-1 accepts anything left.
    """
    # Every byte `looks_binary` counts is an ASCII control, so a file without any (most files)
    # needs no second pass over its head.
    ascii_controls = _has_ascii_controls(data)
    if ascii_controls and looks_binary(data):
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return _finish(data.decode("utf-16"), ["decoded as UTF-16"])
            except UnicodeDecodeError:
                pass
        raise ParseError("not a text article (binary data)")
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Valid UTF-8 stays UTF-8; only the bytes that are not get read as cp1252. A file
        # with one stray `\x96` is then right everywhere, and a cp1252 file too.
        text = data.decode("utf-8", errors=_CP1252_ERRORS)
        warnings.append("decoded as cp1252")
        return _finish(text, warnings)
    return _finish(text, warnings, controls_free=not ascii_controls and _has_no_wide_controls(data))


def _cp1252_for_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the offending bytes as cp1252 (dropping undefined ones)."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="ignore"), error.end


_CP1252_ERRORS = "termnews-cp1252"
codecs.register_error(_CP1252_ERRORS, _cp1252_for_bad_bytes)


def _finish(text: str, warnings: list[str], *, controls_free: bool = False) -> DecodedText:
    """`controls_free`: the text has no control character but CRs, which go right here."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char, replacement in _SPACE_LIKE:
        if char in text:
            text = text.replace(char, replacement)
    cleaned = text if controls_free else strip_controls(text)
    if len(cleaned) != len(text):
        warnings.append("removed control characters")
    repaired = repair_mojibake(cleaned)
    if repaired != cleaned:
        warnings.append("repaired mojibake")
        repaired = strip_controls(repaired)
    if not repaired.strip():
        raise ParseError("empty file")
    return DecodedText(repaired, tuple(warnings))
