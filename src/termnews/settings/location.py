"""Where the config file lives, and turning its bytes into a TOML table or one clear error.

Both the reader (which turns the error into a problem and carries on) and the writer (which
refuses to touch a file it cannot parse) go through `read_config_text` and `parse_config`, so
a person sees the same sentence from either.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import platformdirs

from termnews.config import APP_NAME
from termnews.errors import TermnewsError

CONFIG_ENV = "TERMNEWS_CONFIG"
CONFIG_FILE = "config.toml"

# Python 3.11's tomllib puts the position only in the message: "Reason (at line 3, column 7)"
# or "Reason (at end of document)". Later Pythons also set `lineno`/`colno`, used when present.
_POSITION = re.compile(r"^(?P<reason>.*?) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_AT_END = re.compile(r"^(?P<reason>.*?) \(at end of document\)$")


class ConfigFileError(TermnewsError):
    """The config file exists but cannot be read or is not valid TOML.

    `str(error)` names the file and, for a TOML error, the line and column.
    """

    def __init__(self, message: str, path: Path, line: int | None = None) -> None:
        self.path = path
        self.line = line
        super().__init__(message)


def config_path() -> Path:
    """$TERMNEWS_CONFIG if set (a full file path), else config.toml in the user config dir."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE


def read_config_text(path: Path) -> str | None:
    """The file's text, or None when there is no file (which is not a problem).

    A byte-order mark, which some editors add, is dropped rather than reported.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigFileError(f"{path}: cannot be read ({reason.lower()})", path) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise ConfigFileError(
            f"{path}, line {line}: is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8",
            path,
            line,
        ) from error


def parse_config(text: str, path: Path) -> dict[str, Any]:
    """The TOML document as plain Python values, or a ConfigFileError naming file and line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column, reason = _decode_error_position(error, text)
        where = f"line {line}, column {column}" if column else f"line {line} (the end of the file)"
        raise ConfigFileError(f"{path}, {where}: {reason}", path, line) from error


def _decode_error_position(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    """(line, column, reason) of a TOML error; column 0 means "at the end of the file"."""
    message = str(error.args[0]) if error.args else str(error)
    lineno = getattr(error, "lineno", None)
    colno = getattr(error, "colno", None)
    if isinstance(lineno, int) and isinstance(colno, int):
        return lineno, colno, str(getattr(error, "msg", message))
    found = _POSITION.match(message)
    if found:
        return int(found["line"]), int(found["column"]), found["reason"]
    at_end = _AT_END.match(message)
    last_line = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    return max(last_line, 1), 0, at_end["reason"] if at_end else message
