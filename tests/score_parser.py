"""Score the wire-story parser against hand-labelled fixtures.

Usage: python tests/score_parser.py [DIR] [-v]

DIR defaults to tests/fixtures/wire. Every NAME.txt there is parsed with
`termnews.parsing.parse_bytes`, and each field of the record is compared exactly with
NAME.json (lists as lists, strings as strings; nothing is normalised). `path` and `warnings`
are not scored: the json leaves them out. A parse error counts as a miss on every field.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from termnews.article import FIELD_NAMES  # noqa: E402
from termnews.parsing import parse_bytes  # noqa: E402

#: Every field of the record except the two the json leaves out.
FIELDS = tuple(name for name in FIELD_NAMES if name not in ("path", "warnings"))
DEFAULT_DIR = HERE / "fixtures" / "wire"


def load_cases(directory: Path) -> list[tuple[str, Path, dict]]:
    cases = []
    for txt in sorted(directory.glob("*.txt")):
        expected_path = txt.with_suffix(".json")
        if not expected_path.exists():
            continue
        cases.append((txt.stem, txt, json.loads(expected_path.read_text(encoding="utf-8"))))
    return cases


def parse_case(txt: Path) -> tuple[dict | None, str | None]:
    try:
        return parse_bytes(txt.read_bytes(), str(txt)).to_dict(), None
    except Exception as error:  # a crash is a miss on every field, not a scorer crash
        return None, f"{type(error).__name__}: {error}"


def describe(field: str, expected: object, got: object) -> str:
    if isinstance(expected, str) and isinstance(got, str) and ("\n" in expected or "\n" in got):
        diff = difflib.unified_diff(
            expected.split("\n\n"), got.split("\n\n"), "expected", "got", lineterm="", n=0
        )
        return "\n".join("      " + line for line in diff)
    return f"      expected: {expected!r}\n      got:      {got!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("-v", "--verbose", action="store_true", help="show every mismatch")
    args = parser.parse_args(argv)

    cases = load_cases(args.directory)
    if not cases:
        print(f"no NAME.txt + NAME.json pairs in {args.directory}", file=sys.stderr)
        return 2

    hits = dict.fromkeys(FIELDS, 0)
    scored = dict.fromkeys(FIELDS, 0)
    perfect = 0
    for name, txt, expected in cases:
        got, error = parse_case(txt)
        misses = []
        for field in FIELDS:
            if field not in expected:
                continue
            scored[field] += 1
            value = None if got is None else got.get(field)
            if got is not None and value == expected[field]:
                hits[field] += 1
            else:
                misses.append((field, expected[field], value))
        if not misses:
            perfect += 1
        if args.verbose and misses:
            print(f"\n== {name}" + (f"  [PARSE ERROR {error}]" if error else ""))
            if not error:
                for field, want, value in misses:
                    print(f"  {field}:")
                    print(describe(field, want, value))

    if args.verbose:
        print()
    print(f"{'field':<14}{'match':>8}{'accuracy':>10}")
    total_hits = total_scored = 0
    for field in FIELDS:
        if not scored[field]:
            continue
        total_hits += hits[field]
        total_scored += scored[field]
        share = 100 * hits[field] / scored[field]
        print(f"{field:<14}{hits[field]:>4}/{scored[field]:<3}{share:>9.1f}%")
    share = 100 * total_hits / total_scored
    print(f"{'ALL FIELDS':<14}{total_hits:>4}/{total_scored:<3}{share:>9.1f}%")
    print(f"fixtures fully correct: {perfect}/{len(cases)}")
    return 0 if total_hits == total_scored else 1


if __name__ == "__main__":
    sys.exit(main())
