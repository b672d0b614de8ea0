"""Wire-story parsing: bytes in, `Article` out. Pure functions; never imports Textual.

`parse_file` is the only function here that touches the filesystem, and it only reads.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from termnews.article import Article
from termnews.errors import ParseError
from termnews.parsing.decode import decode_bytes
from termnews.parsing.wire import parse_text

__all__ = ["MAX_FILE_BYTES", "ParseError", "parse_bytes", "parse_file"]

#: Larger files are refused unread: no story is this long, and a stray archive or video is.
MAX_FILE_BYTES = 5 * 1024 * 1024


def parse_bytes(data: bytes, path: str) -> Article:
    """Parse one article's raw bytes; raises ParseError (with a reason) for non-articles."""
    if not data.strip():
        raise ParseError("empty file", path)
    try:
        decoded = decode_bytes(data)
        return parse_text(decoded.text, path, decoded.warnings)
    except ParseError as error:
        raise ParseError(error.reason, path) from None


def human_size(size: int) -> str:
    """`5 MB`, `1.2 KB`: sizes as a person reads them in an error message."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def parse_file(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> Article:
    """Read and parse one file, turning every filesystem problem into a ParseError reason."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ParseError("no such file", name) from None
    except PermissionError:
        raise ParseError("permission denied", name) from None
    except OSError as error:
        raise ParseError(error.strerror or "cannot read file", name) from None
    if stat.S_ISDIR(info.st_mode):
        raise ParseError("is a directory", name)
    if not stat.S_ISREG(info.st_mode):
        raise ParseError("not a regular file", name)
    if info.st_size > max_bytes:
        raise ParseError(
            f"too large ({human_size(info.st_size)}; the limit is {human_size(max_bytes)})", name
        )
    try:
        data = Path(path).read_bytes()
    except PermissionError:
        raise ParseError("permission denied", name) from None
    except OSError as error:
        raise ParseError(error.strerror or "cannot read file", name) from None
    return parse_bytes(data, name)
