"""Turn the Reuters-21578 SGML collection into stories in termnews's wire layout.

    python benchmarks/reuters_to_wire.py SGML_DIR_OR_FILES... OUT_DIR [--limit N]

Reuters-21578 (1987 Reuters newswire, free for research use) is not shipped with termnews;
with a copy of it, this script makes the benchmarks' real-shaped archive again. Each
`<REUTERS>` element that has a `<BODY>` becomes one file, `reut-NNNNN.txt` after its NEWID,
laid out as docs/format.md describes:

    February 12, 1987 09:30            <- site date line, from <DATE>

    VELMARA WOOL CLIP REVIEW           <- headline, from <TITLE>, capitals kept

    By Jo Lee, Reuters                 <- byline, from <AUTHOR> when there is one

    QUORVALE, Feb 12 - Late frosts ... <- <DATELINE> as written, then the <BODY>

    ...                                <- one paragraph per indented line of the body

    Reuter                             <- the sign-off, a trailer the parser keeps as a note

The files are read as Latin-1 (their SGML is ASCII but for a handful of odd bytes), SGML entities
(`&lt;`, `&amp;`, `&#3;`) are decoded, and control characters are dropped. Lines keep the
collection's own hard wrapping. Every file is written to a temporary name and renamed, so an
interrupted run never leaves half a story; the same input always gives the same bytes.

`benchmarks/score_reuters.py` converts, parses the result and scores it field by field.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_ELEMENT = re.compile(r"<REUTERS\b(?P<attrs>[^>]*)>(?P<inner>.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'\bNEWID="(?P<id>\d+)"')
#: C0 and C1 controls except newline (tabs become spaces first).
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_DATE = re.compile(
    r"^\s*(?P<day>\d{1,2})-(?P<mon>[A-Za-z]{3})-(?P<year>\d{4})\s+(?P<h>\d\d):(?P<m>\d\d)"
)
#: English month names, whatever the locale says.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = tuple(name[:3].upper() for name in _MONTH_NAMES)
#: The bare sign-off that ends nearly every Reuters body.
_SIGN_OFF = re.compile(r"^\s*REUTERS?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Story:
    """One <REUTERS> element with a body, its fields decoded but otherwise as written."""

    newid: int
    date: dt.datetime | None
    title: str | None
    author: str | None
    dateline: str | None
    #: The body's lines, each without trailing space; an indented line starts a paragraph.
    body_lines: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"reut-{self.newid:05d}.txt"


def clean(text: str) -> str:
    """SGML entities decoded, tabs as spaces, control characters (`&#3;`, stray bytes) gone."""
    return _CONTROLS.sub("", html.unescape(text).replace("\t", " "))


def _field(inner: str, tag: str) -> str | None:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", inner, re.S)
    return clean(match.group(1)) if match else None


def _one_line(text: str | None) -> str | None:
    if text is None:
        return None
    return " ".join(text.split()) or None


def parse_date(text: str | None) -> dt.datetime | None:
    """`12-FEB-1987 09:30:45.20` as a datetime to the minute; None if it is not that."""
    match = _DATE.match(text or "")
    if not match or match.group("mon").upper() not in _MONTHS:
        return None
    try:
        return dt.datetime(
            int(match.group("year")),
            _MONTHS.index(match.group("mon").upper()) + 1,
            int(match.group("day")),
            int(match.group("h")),
            int(match.group("m")),
        )
    except ValueError:
        return None


def parse_sgml(text: str) -> Iterator[Story]:
    """The stories with a body in one SGML file's text, in file order."""
    for element in _ELEMENT.finditer(text):
        inner = element.group("inner")
        body = _field(inner, "BODY")
        if body is None:
            continue
        newid = _NEWID.search(element.group("attrs"))
        if newid is None:
            continue
        yield Story(
            newid=int(newid.group("id")),
            date=parse_date(_field(inner, "DATE")),
            title=_one_line(_field(inner, "TITLE")),
            author=_one_line(_field(inner, "AUTHOR")),
            dateline=_one_line(_field(inner, "DATELINE")),
            body_lines=tuple(line.rstrip() for line in body.split("\n")),
        )


def sgml_files(sources: Iterable[Path]) -> list[Path]:
    """The `.sgm` files named or found (not recursively) in the named directories, sorted."""
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files.extend(sorted(source.glob("*.sgm")))
        else:
            files.append(source)
    return files


def read_stories(sources: Iterable[Path], limit: int | None = None) -> Iterator[Story]:
    count = 0
    for path in sgml_files(sources):
        for story in parse_sgml(path.read_text(encoding="latin-1")):
            if limit is not None and count >= limit:
                return
            count += 1
            yield story


def paragraphs(story: Story) -> list[list[str]]:
    """The body as paragraphs of lines, the dateline in front of the first one.

    A Reuters body starts a paragraph with an indented line; blank lines also separate
    paragraphs. The sign-off (`Reuter`) is kept as a last paragraph of its own.
    """
    result: list[list[str]] = []
    for line in story.body_lines:
        if not line.strip():
            if result and result[-1]:
                result.append([])
            continue
        if line[:1] == " " and result and result[-1]:
            result.append([])
        if not result:
            result.append([])
        result[-1].append(" ".join(line.split()))
    result = [paragraph for paragraph in result if paragraph]
    if story.dateline:
        if result:
            result[0][0] = f"{story.dateline} {result[0][0]}"
        else:
            result = [[story.dateline]]
    if result and len(result[-1]) > 1 and _SIGN_OFF.match(result[-1][-1]):
        result.append([result[-1].pop()])  # `Reuter` run on under the last line
    return result


def date_line(when: dt.datetime) -> str:
    """`February 12, 1987 09:30`: a site date line as our parser reads it."""
    return f"{_MONTH_NAMES[when.month - 1]} {when.day}, {when.year} {when:%H:%M}"


def render(story: Story) -> str:
    """The story's text in the wire layout, ending in one newline."""
    parts: list[str] = []
    if story.date is not None:
        parts.append(date_line(story.date))
    if story.title:
        parts.append(story.title)
    if story.author:
        parts.append(story.author)
    parts.extend("\n".join(paragraph) for paragraph in paragraphs(story))
    return "\n\n".join(parts) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` as UTF-8 under a temporary name in the same folder, then rename it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def convert(sources: Iterable[Path], out_dir: Path, limit: int | None = None) -> list[Path]:
    """Write one story file per SGML story with a body; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for story in read_stories(sources, limit):
        path = out_dir / story.name
        write_atomic(path, render(story))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path, help="SGML files or folders of them")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="convert the first N stories")
    args = parser.parse_args(argv)
    missing = [str(source) for source in args.sources if not source.exists()]
    if missing:
        print(f"no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if not sgml_files(args.sources):
        print("no .sgm files found", file=sys.stderr)
        return 2
    written = convert(args.sources, args.out_dir, args.limit)
    print(f"wrote {len(written)} stories to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
