"""`termnews mark read|unread|star|unstar QUERY…`: change the marks of every matching story.

Every match counts, not a page of them: `termnews mark read in:velmora` marks all the
stories datelined Velmora, as the browser's list would show them scrolled to the end.
"""

from __future__ import annotations

import argparse
from typing import Any

#: action -> (store method, value, what happened to a changed story, what the others were).
ACTIONS: dict[str, tuple[str, bool, str, str]] = {
    "read": ("set_read", True, "marked read", "already {was}"),
    "unread": ("set_read", False, "marked unread", "already {was}"),
    "star": ("set_starred", True, "starred", "already {was}"),
    "unstar": ("set_starred", False, "unstarred", "{was} not starred"),
}


def register(subparsers: Any) -> None:
    from termnews.commands.common import (
        add_json_option,
        add_query_arguments,
        allow_options_among_words,
    )
    from termnews.commands.search import add_index_options

    parser = subparsers.add_parser(
        "mark",
        help="mark every story a query matches read, unread, starred or unstarred",
        description="Mark every story QUERY matches (all of them, not a page) and say how "
        "many changed. QUERY is a search as `termnews search` takes it, including is:read, "
        "is:unread, is:starred, tag:NAME and feed:NAME.",
    )
    parser.add_argument("action", choices=tuple(ACTIONS), help="the mark to set or clear")
    add_query_arguments(parser, "mark")
    add_json_option(parser)
    add_index_options(parser)
    allow_options_among_words(parser)


def run(args: argparse.Namespace) -> int:
    from termnews.commands.common import change_matches

    method, value, done, unchanged = ACTIONS[args.action]
    return change_matches(
        args,
        args.action,
        lambda state, identities, titles: int(getattr(state, method)(identities, value, titles)),
        done=done,
        unchanged=unchanged,
        adds=value,
    )
