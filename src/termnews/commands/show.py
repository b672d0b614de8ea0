"""`termnews show PATH [--json]`: print one story in full.

PATH is a file (as `termnews search` prints it) or a path relative to the archive. A file
that is readable is parsed afresh; one that is gone is shown from the index's copy.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    from termnews.commands.search import add_index_options

    parser = subparsers.add_parser(
        "show",
        help="print one story in full",
        description="Print a story: headline, byline, dateline and date, then the body. "
        "PATH is a file, or a path inside the indexed archive.",
    )
    parser.add_argument("path", metavar="PATH", help="the story file")
    parser.add_argument("--json", action="store_true", help="print the parsed record as JSON")
    add_index_options(parser)


def run(args: argparse.Namespace) -> int:
    from termnews.commands.search import NO_INDEX, locate_index
    from termnews.errors import IndexUnusableError, ParseError, TermnewsError
    from termnews.formatting import article_as_text
    from termnews.parsing import parse_file

    candidate = Path(args.path).expanduser()
    try:
        if candidate.is_file():
            article = parse_file(candidate)
        else:
            index_dir = locate_index(args)
            if index_dir is None:
                print(f"termnews: {args.path}: no such file", file=sys.stderr)
                print(NO_INDEX, file=sys.stderr)
                return 2
            from termnews.engine.searcher import Searcher

            with Searcher(index_dir) as searcher:
                article = searcher.article(args.path)
    except ParseError as error:
        print(f"termnews: {args.path}: {error.reason}", file=sys.stderr)
        return 1
    except IndexUnusableError as error:
        print(f"termnews: {error}", file=sys.stderr)
        return 2
    except TermnewsError as error:  # e.g. StoryNotFoundError
        print(f"termnews: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(article.to_dict(), ensure_ascii=False))
    else:
        width = max(20, min(100, shutil.get_terminal_size((80, 24)).columns) - 1)
        sys.stdout.write(article_as_text(article, width=width))
    return 0
