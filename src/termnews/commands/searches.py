"""`termnews searches [add NAME QUERY… | rm NAME]`: the saved searches, with their counts.

The searches live in the config file (`termnews.settings`), which a person may also edit by
hand; adding or removing one here edits that file keeping its comments and order. Listing
works without an index too (the counts are then left out, with a note saying why), so a
person can always see what is saved.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    from termnews.commands.common import add_json_option
    from termnews.commands.search import add_index_options

    parser = subparsers.add_parser(
        "searches",
        help="list the saved searches with their counts; add or remove one",
        description="List the saved searches from the config file with how many stories each "
        "finds and how many of those are unread; `add NAME QUERY…` saves a search (or changes "
        "the query of the one so named), `rm NAME` removes one.",
    )
    add_json_option(parser)
    add_index_options(parser)
    actions = parser.add_subparsers(dest="searches_action", metavar="ACTION")
    add = actions.add_parser("add", help="save QUERY under NAME")
    add.add_argument("name", metavar="NAME", help="the search's name (quote it if it has spaces)")
    add.add_argument("query", nargs="+", metavar="QUERY", help="the query to save")
    remove = actions.add_parser("rm", help="remove the saved search NAME")
    remove.add_argument("name", metavar="NAME", help="the search's name")
    for action in (add, remove):
        # Also after the action (`searches add --json ...`). SUPPRESS: an action's own default
        # would overwrite a --json given before it.
        action.add_argument("--json", action="store_true", default=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    if args.searches_action == "add":
        return _add(args)
    if args.searches_action == "rm":
        return _remove(args)
    return _list(args)


def _add(args: argparse.Namespace) -> int:
    from termnews.commands.common import print_json
    from termnews.settings import config_path, save_search

    query = " ".join(args.query)
    save_search(args.name, query)  # ConfigFileError (exit 2) leaves the file as it was
    if args.json:
        print_json({"action": "add", "name": args.name, "query": query})
    else:
        print(f"saved {args.name!r}: {query}  (in {config_path()})")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from termnews.commands.common import print_json
    from termnews.settings import remove_search

    removed = remove_search(args.name)
    if args.json:
        print_json({"action": "rm", "name": args.name, "removed": removed})
    elif removed:
        print(f"removed {args.name!r}")
    if not removed:
        print(f"termnews: no saved search is called {args.name!r}", file=sys.stderr)
        return 1
    return 0


def _list(args: argparse.Namespace) -> int:
    from termnews.commands.common import (
        load_settings_noting_problems,
        note,
        searcher_with_state,
    )
    from termnews.commands.count import NO_SAVED_SEARCHES, Count, count_all, print_counts
    from termnews.errors import IndexUnusableError

    settings = load_settings_noting_problems()
    wanted = [(saved.name, saved.query) for saved in settings.searches]
    if not wanted:
        print(NO_SAVED_SEARCHES, file=sys.stderr)
        return 0
    try:
        with searcher_with_state(args, writing=False) as (searcher, _state):
            counts = count_all(searcher, wanted)
    except IndexUnusableError as error:
        note(f"{error} (the searches are listed without counts)")
        counts = [Count(query, None, None, name) for name, query in wanted]
    print_counts(counts, as_json=args.json)
    return 0
