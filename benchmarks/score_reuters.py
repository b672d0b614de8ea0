"""Score the parser on Reuters-21578 stories converted to the wire layout.

    python benchmarks/score_reuters.py SGML_DIR_OR_FILES... [--out DIR] [--limit N] [-v]

Each story is converted with `reuters_to_wire.py` (into a temporary folder unless `--out`
names one), parsed with `termnews.parsing.parse_file`, and compared with what the SGML itself
says, read independently of the parser:

- headline: the <TITLE>, whitespace collapsed;
- authors: the names in <AUTHOR> (`By Jo Lee and Al Roy, Reuters`), capitals title-cased;
  no <AUTHOR> means no authors;
- published: the day the story is dated, by the format's rule that a dated dateline comes
  before the site date line: the dateline's month and day in <DATE>'s year (the year before
  when that month is later than <DATE>'s), else the day of <DATE>. About 3% of datelines
  carry the next or previous day (a Tokyo story filed in the New York evening); the table's
  last line says how often the parsed date is simply <DATE>'s day;
- dateline: the place as <DATELINE> gives it before the date (`QUORVALE, Feb 12 -` → `QUORVALE`);
- first_paragraph: the body's first paragraph is the text after the dateline's dash, up to the
  first paragraph break of <BODY>, whitespace collapsed.

Prints a table, then one line of JSON with the counts; `-v` lists a few misses per field.
Exit status 0 when every field reaches `--target` (0.99 by default), 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import reuters_to_wire as r2w  # noqa: E402
from termnews.errors import ParseError  # noqa: E402
from termnews.parsing import parse_file  # noqa: E402

FIELDS = ("headline", "authors", "published", "dateline", "first_paragraph")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: A word and a day (`Feb 12`, in odd capitals, even with the month misspelt), or a day and a month.
_DATE = (
    r"(?:(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>(?i:{'|'.join(_MONTHS)})[A-Za-z]*))"
)
_DATED = re.compile(
    rf"^(?P<place>.*?)[\s,-]*\b{_DATE}\b[\s,]*(?:(?i:reuters?)\s*)?(?:--|-)\s*(?P<rest>.*)$", re.S
)
_UNDATED = re.compile(r"^(?P<place>.*?)\s+(?:--|-)(?:\s+(?P<rest>.*))?$", re.S)
_BY = re.compile(r"^by\s+", re.I)
_AGENCY = re.compile(r"\breuters?\b", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*", re.I)


def _squash(text: str) -> str:
    return " ".join(text.split())


def split_dateline(dateline: str) -> tuple[str | None, tuple[int, int] | None, str]:
    """(place, (month, day) when the month reads as one, text after the dash)."""
    dated = _DATED.match(dateline)
    match = dated or _UNDATED.match(dateline)
    if not match:
        return None, None, dateline
    place = match.group("place").strip(" ,-")
    month_day = None
    if dated:
        month = (dated.group("month") or dated.group("month2")).lower()[:3]
        if month in _MONTHS:
            day = int(dated.group("day") or dated.group("day2"))
            month_day = (_MONTHS.index(month) + 1, day)
    return place or None, month_day, (match.group("rest") or "").strip()


def story_day(when: dt.datetime | None, month_day: tuple[int, int] | None) -> str | None:
    """The day a story is dated: its dateline's, in the year of <DATE>, else <DATE>'s day."""
    if when is None:
        return None
    if month_day is not None:
        month, day = month_day
        year = when.year - 1 if month > when.month else when.year
        with contextlib.suppress(ValueError):
            return dt.date(year, month, day).isoformat()
    return when.date().isoformat()


def expected_authors(author: str | None) -> list[str]:
    """`By Jo Lee and AL ROY, Reuters Correspondent` → `["Jo Lee", "Al Roy"]`."""
    if not author:
        return []
    segments = _BY.sub("", author.strip()).split(",")
    agency_at = next(
        (i for i, segment in enumerate(segments) if _AGENCY.search(segment)), len(segments)
    )
    names = ",".join(segments[:agency_at])
    return [
        name.title() if name.isupper() else name
        for name in (n.strip(" .") for n in _NAME_SPLIT.split(names))
        if name
    ]


def expected_fields(story: r2w.Story) -> dict[str, object]:
    place, month_day, rest = split_dateline(story.dateline or "")
    body = r2w.paragraphs(replace(story, dateline=None))
    first = " ".join(body[0]) if body and not r2w._SIGN_OFF.match(" ".join(body[0])) else ""
    return {
        "headline": story.title or "",
        "authors": expected_authors(story.author),
        "published": story_day(story.date, month_day),
        "dateline": place,
        "first_paragraph": _squash(f"{rest} {first}"),
    }


def parsed_fields(path: Path) -> dict[str, object] | None:
    try:
        article = parse_file(path)
    except ParseError:
        return None
    return {
        "headline": article.headline,
        "authors": list(article.authors),
        "published": article.published[:10] if article.published else None,
        "dateline": article.dateline,
        "first_paragraph": _squash(article.body.split("\n\n")[0]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path, help="SGML files or folders of them")
    parser.add_argument("--out", type=Path, help="keep the converted stories in this folder")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--target", type=float, default=0.99)
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses per field")
    parser.add_argument("--misses", type=int, default=5, help="misses listed per field (-v)")
    args = parser.parse_args(argv)
    if not r2w.sgml_files(args.sources):
        print("no .sgm files found", file=sys.stderr)
        return 2

    hits = dict.fromkeys(FIELDS, 0)
    misses: dict[str, list[tuple[str, object, object]]] = {field: [] for field in FIELDS}
    errors: list[str] = []
    total = same_day = 0
    with tempfile.TemporaryDirectory(prefix="termnews-reuters-") as scratch:
        out_dir = args.out or Path(scratch)
        out_dir.mkdir(parents=True, exist_ok=True)
        for story in r2w.read_stories(args.sources, args.limit):
            path = out_dir / story.name
            r2w.write_atomic(path, r2w.render(story))
            total += 1
            want = expected_fields(story)
            got = parsed_fields(path)
            if got is None:
                errors.append(story.name)
            elif story.date and got["published"] == story.date.date().isoformat():
                same_day += 1
            for field in FIELDS:
                value = None if got is None else got[field]
                if got is not None and value == want[field]:
                    hits[field] += 1
                else:
                    misses[field].append((story.name, want[field], value))

    if not total:
        print("no stories with a body", file=sys.stderr)
        return 2
    if args.verbose:
        for field in FIELDS:
            if not misses[field]:
                continue
            print(f"== {field}: {len(misses[field])} misses")
            for name, want, value in misses[field][: args.misses]:
                print(f"  {name}\n    expected: {want!r}\n    got:      {value!r}")
        print()
    print(f"{'field':<16}{'match':>12}{'accuracy':>10}")
    for field in FIELDS:
        print(f"{field:<16}{hits[field]:>6}/{total:<5}{hits[field] / total:>10.4f}")
    print(f"{'(<DATE> day)':<16}{same_day:>6}/{total:<5}{same_day / total:>10.4f}  not scored")
    print(f"stories: {total}, parse errors: {len(errors)}")
    report = {
        "stories": total,
        "published_is_date_day": same_day,
        "parse_errors": len(errors),
        "fields": {
            field: {"hits": hits[field], "total": total, "accuracy": round(hits[field] / total, 4)}
            for field in FIELDS
        },
    }
    print(json.dumps(report, sort_keys=True))
    return 0 if all(hits[field] / total >= args.target for field in FIELDS) else 1


if __name__ == "__main__":
    sys.exit(main())
