"""Decoding: every repair the wild demands, and a clear reason for every refusal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termnews.errors import ParseError
from termnews.parsing.decode import (
    _CONTROL_CHARS,
    _has_ascii_controls,
    decode_bytes,
    looks_binary,
    strip_controls,
    utf8_has_no_controls,
)


def test_bom_and_crlf_are_removed() -> None:
    decoded = decode_bytes(b"\xef\xbb\xbfHeadline\r\n\r\nBody line\rmore")
    assert decoded.text == "Headline\n\nBody line\nmore"
    assert decoded.warnings == ()


def test_cp1252_fallback_is_recorded() -> None:
    decoded = decode_bytes("OTTAWA \x96 It\x92s cold".encode("latin-1"))
    assert decoded.text == "OTTAWA – It’s cold"
    assert "decoded as cp1252" in decoded.warnings


def test_bytes_undefined_in_cp1252_are_dropped() -> None:
    decoded = decode_bytes(b"Caf\xe9 \x81open")
    assert decoded.text == "Café open"
    assert "decoded as cp1252" in decoded.warnings


def test_a_stray_cp1252_byte_in_utf8_spoils_nothing_else() -> None:
    data = "“Hi” OTTAWA – ok".encode().replace("–".encode(), b"\x96")
    assert decode_bytes(data).text == "“Hi” OTTAWA – ok"


def test_mojibake_is_repaired() -> None:
    decoded = decode_bytes("The mayorâ€™s plan for MontrÃ©al".encode())
    assert decoded.text == "The mayor’s plan for Montréal"
    assert "repaired mojibake" in decoded.warnings


@pytest.mark.parametrize(
    "raw",
    [
        "red \x1b[31mALERT\x1b[0m text",
        "title \x1b]0;pwned\x07 text",
        "bell \x07 and backspace \x08 text",
        "c1 \x9b31m text",
        "bidi \u202e override",
    ],
)
def test_escape_sequences_and_controls_are_stripped(raw: str) -> None:
    cleaned = strip_controls(raw)
    assert "\x1b" not in cleaned and "\x07" not in cleaned and "\u202e" not in cleaned
    assert "31m" not in cleaned and "pwned" not in cleaned


ASCII_CONTROLS = "".join(chr(code) for code in [*range(0, 9), *range(11, 32), 127])


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_loses_exactly_its_controls(raw: str) -> None:
    """Plain ASCII takes a shortcut when it is clean; clean or not, only controls go."""
    cleaned = strip_controls(raw)
    assert not any(char in ASCII_CONTROLS for char in cleaned)
    if "\x1b" not in raw:  # an escape sequence takes its printable parameters with it
        assert cleaned == "".join(char for char in raw if char not in ASCII_CONTROLS)


@given(st.text(alphabet="ab \n\x1b\x07[]0;m"))
def test_ascii_text_is_cleaned_as_any_other_text(raw: str) -> None:
    """The ASCII shortcut and the general path agree (a leading `é` forces the general one)."""
    assert "\u00e9" + strip_controls(raw) == strip_controls("\u00e9" + raw)


def test_tabs_become_spaces_and_nbsp_is_kept() -> None:
    assert decode_bytes("a\tb $1.6\u00a0billion".encode()).text == "a b $1.6\u00a0billion"


@pytest.mark.parametrize("data", [b"", b"   \n\n  ", b"\x1b[0m\n"])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(ParseError, match="empty"):
        decode_bytes(data)


def test_binary_input_is_refused() -> None:
    with pytest.raises(ParseError, match="binary data"):
        decode_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))


def test_utf16_with_bom_is_decoded() -> None:
    decoded = decode_bytes("Headline\n\nBody".encode("utf-16"))
    assert decoded.text == "Headline\n\nBody"


def test_the_utf8_control_test_passes_no_control_character() -> None:
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000 or code == 0x0D:
            continue  # surrogates are not text; CRs become newlines before controls are cut
        char = chr(code)
        if utf8_has_no_controls(char.encode()):
            assert not _CONTROL_CHARS.match(char), hex(code)


@given(
    st.text(
        alphabet=st.sampled_from(
            [*"ab \n\r\t\x1b\x07\x85\xa0é’€", "\u200b", "\u202e", "\u2060", "\ufeff", "\u2028"]
        )
    )
)
def test_text_the_utf8_test_calls_clean_has_no_controls(raw: str) -> None:
    if utf8_has_no_controls(raw.encode()):
        assert not _CONTROL_CHARS.search(raw.replace("\r", ""))


@pytest.mark.parametrize(
    "raw", ["a\u200bb", "a\x85b", "a\ufeffb", "a\u2066b", "a\x1b[1mb", "a\x07b"]
)
def test_controls_in_utf8_files_are_still_removed(raw: str) -> None:
    decoded = decode_bytes(("“" + raw).encode())
    assert decoded.text == "“ab"
    assert "removed control characters" in decoded.warnings


@given(st.binary(max_size=300))
def test_bytes_without_ascii_controls_never_look_binary(data: bytes) -> None:
    if not _has_ascii_controls(data):
        assert not looks_binary(data)
