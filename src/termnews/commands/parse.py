"""`termnews parse FILE... [--json]`: show what the parser makes of each file.

Bad files get one line on stderr and the exit status becomes 1, but every other file is
still printed: one broken file in a batch must not hide the rest.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "parse",
        help="parse article files and print them (readable, or JSON with --json)",
        description="Parse wire-story text files and print the structured record.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="article files to parse")
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=None,  # the parser's own limit; importing it here would load the parser
        metavar="N",
        help="skip files larger than N bytes (default: 5 MB)",
    )


def run(args: argparse.Namespace) -> int:
    from termnews.errors import ParseError
    from termnews.formatting import article_as_text
    from termnews.parsing import MAX_FILE_BYTES, parse_file

    width = max(20, min(100, shutil.get_terminal_size((80, 24)).columns) - 1)
    limit = MAX_FILE_BYTES if args.max_bytes is None else args.max_bytes
    status = 0
    first = True
    for name in args.files:
        try:
            article = parse_file(name, max_bytes=limit)
        except ParseError as error:
            print(f"termnews: {name}: {error.reason}", file=sys.stderr)
            status = 1
            continue
        if args.json:
            print(json.dumps(article.to_dict(), ensure_ascii=False))
        else:
            if not first:
                print("─" * min(width, 40))
            print(article_as_text(article, width=width))
        first = False
        sys.stdout.flush()
    return status
