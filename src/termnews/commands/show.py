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
    parser.add_argument(
        "--related",
        action="store_true",
        help="instead of the story: the stories most like it (its copies left out); "
        "with --json, one object per line",
    )
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="with --related: at most N (10)"
    )
    add_index_options(parser)


def run(args: argparse.Namespace) -> int:
    from termnews.commands.search import NO_INDEX, locate_index
    from termnews.errors import IndexUnusableError, ParseError, TermnewsError
    from termnews.formatting import article_as_text
    from termnews.parsing import parse_file

    candidate = Path(args.path).expanduser()
    if args.related:
        return _related(args, candidate)
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


def _related(args: argparse.Namespace, candidate: Path) -> int:
    """`show --related PATH`: the stories most like PATH's, as `search` lists them."""
    from termnews.commands.search import hit_record, index_for_listing, print_table
    from termnews.engine.searcher import Searcher
    from termnews.errors import IndexUnusableError, TermnewsError

    index_dir = index_for_listing(args)
    if index_dir is None:
        return 2
    # A file named from here is found by its absolute path; anything else is a path inside
    # the archive, as `search` prints them relative or absolute.
    path = str(candidate.resolve()) if candidate.is_file() else args.path
    try:
        with Searcher(index_dir) as searcher:
            results = searcher.related(path, limit=args.limit)
    except TermnewsError as error:
        print(f"termnews: {error}", file=sys.stderr)
        return 2 if isinstance(error, IndexUnusableError) else 1
    if args.json:
        for hit in results.hits:
            print(json.dumps(hit_record(hit), ensure_ascii=False))
    else:
        print_table(results)
    if not results.hits:
        print("No related stories.", file=sys.stderr)
    return 0
