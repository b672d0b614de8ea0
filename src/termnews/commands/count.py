"""`termnews count [QUERY…]`: how many stories each query finds, and how many are unread.

Each argument is one query (quote a query of several words). With none, every saved search
in the config file is counted, as the browser's saved-search list would show them. Unread
is what `(QUERY) is:unread` finds, so it always agrees with searching for it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher


@dataclass(frozen=True)
class Count:
    """One query's numbers; `name` is the saved search's, or None for a query given."""

    query: str
    total: int | None
    unread: int | None
    name: str | None = None

    def record(self) -> dict[str, Any]:
        named = {"name": self.name} if self.name is not None else {}
        return {**named, "query": self.query, "total": self.total, "unread": self.unread}


def register(subparsers: Any) -> None:
    from termnews.commands.common import add_json_option
    from termnews.commands.search import add_index_options

    parser = subparsers.add_parser(
        "count",
        help="count the stories, and the unread ones, each query or saved search finds",
        description="For each QUERY (one argument each, so quote a query of several words), "
        "print how many stories it finds and how many of them are unread. With no QUERY, "
        "count every saved search in the config file.",
    )
    parser.add_argument("queries", nargs="*", metavar="QUERY", help="one query per argument")
    add_json_option(parser)
    add_index_options(parser)


def run(args: argparse.Namespace) -> int:
    from termnews.commands.common import (
        load_settings_noting_problems,
        searcher_with_state,
    )

    if args.queries:
        wanted = [(None, query) for query in args.queries]
    else:
        settings = load_settings_noting_problems()
        wanted = [(saved.name, saved.query) for saved in settings.searches]
        if not wanted:
            print(NO_SAVED_SEARCHES, file=sys.stderr)
            return 0
    with searcher_with_state(args, writing=False) as (searcher, _state):
        counts = count_all(searcher, wanted)
    print_counts(counts, as_json=args.json)
    return 0


NO_SAVED_SEARCHES = (
    "No saved searches yet: save one with `termnews searches add NAME QUERY`, "
    "or give queries to count: `termnews count QUERY…`"
)


def count_all(searcher: Searcher, wanted: Sequence[tuple[str | None, str]]) -> list[Count]:
    """The total and unread count of each (name, query)."""
    from termnews.commands.common import run_query, unread_query

    counts = []
    for name, query in wanted:
        total = run_query(searcher, query).total
        # The unread part re-parses the same words: its notice would only repeat the first.
        unread = searcher.search(unread_query(query), limit=0).total if total else 0
        counts.append(Count(query, total, unread, name))
    return counts


def print_counts(counts: Sequence[Count], *, as_json: bool) -> None:
    """One JSON object a line, or aligned columns: total, unread, then the name and query."""
    from termnews.commands.common import print_json

    if as_json:
        for count in counts:
            print_json(count.record())
        return
    numbers = [(_number(c.total), _number(c.unread)) for c in counts]
    total_width = max([len("total"), *(len(t) for t, _u in numbers)])
    unread_width = max([len("unread"), *(len(u) for _t, u in numbers)])
    named = any(c.name is not None for c in counts)
    print(f"{'total':>{total_width}}  {'unread':>{unread_width}}  {'search' if named else 'query'}")
    for count, (total, unread) in zip(counts, numbers, strict=True):
        query = count.query if count.query.strip() else "(every story)"
        label = f"{count.name}: {query}" if count.name is not None else query
        print(f"{total:>{total_width}}  {unread:>{unread_width}}  {label}")


def _number(value: int | None) -> str:
    return "-" if value is None else str(value)
