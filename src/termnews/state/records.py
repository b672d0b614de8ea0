"""Reading state as plain text: one JSON object per line, one line per story with a mark.

The format is stable, so a person can back it up, diff it, and move it between machines
(docs/state-format.md describes it)::

    {"identity": "3f1c...", "read": true, "read_at": "2026-11-30T08:12:00+00:00",
     "starred": false, "starred_at": null, "tags": ["harbour"], "headline": "Ferry ..."}

(on one line). `identity` is the story's content identity; `headline` is only for the
reader of the file and is never used to match. Keys a later version adds are ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from termnews.errors import TermnewsError
from termnews.state.store import StateRecord
from termnews.state.tags import TagNameError, normalise_tag

_IDENTITY = re.compile(r"[0-9a-f]{32}")


class StateFileError(TermnewsError):
    """A state file line that cannot be imported; says which line and why."""


def to_line(record: StateRecord) -> str:
    """One record as its line (without the newline)."""
    return json.dumps(
        {
            "identity": record.identity,
            "read": record.read,
            "read_at": record.read_at,
            "starred": record.starred,
            "starred_at": record.starred_at,
            "tags": list(record.tags),
            "headline": record.headline,
        },
        ensure_ascii=False,
    )


def dump(records: Iterable[StateRecord]) -> Iterator[str]:
    """The lines of an export, each ending in a newline."""
    for record in records:
        yield to_line(record) + "\n"


def load(lines: Iterable[str], source: str = "the state file") -> list[StateRecord]:
    """Every record in `lines`, or `StateFileError` naming the first bad line.

    All or nothing: an import either takes the whole file or changes nothing.
    """
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(_record(json.loads(line)))
        except (ValueError, TypeError, TagNameError) as error:
            raise StateFileError(f"{source}, line {number}: {error}") from None
    return records


def _record(raw: Any) -> StateRecord:
    if not isinstance(raw, dict):
        raise ValueError("expected a JSON object")
    identity = raw.get("identity")
    if not isinstance(identity, str) or not _IDENTITY.fullmatch(identity):
        raise ValueError("'identity' must be 32 lowercase hex digits")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("'tags' must be a list of names")
    flags = {}
    for key in ("read", "starred"):
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise ValueError(f"'{key}' must be true or false")
        flags[key] = value
    stamps = {}
    for key in ("read_at", "starred_at"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{key}' must be a date-time or null")
        stamps[key] = value
    headline = raw.get("headline") or ""
    if not isinstance(headline, str):
        raise ValueError("'headline' must be text")
    return StateRecord(
        identity=identity,
        read=flags["read"],
        starred=flags["starred"],
        tags=tuple(sorted({normalise_tag(t) for t in tags})),
        headline=headline,
        read_at=stamps["read_at"],
        starred_at=stamps["starred_at"],
    )
