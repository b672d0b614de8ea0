"""`termnews tag add|rm NAME QUERY…`: tag, or untag, every story a query matches.

The name is checked before anything is searched or written, so a name `tag:NAME` could not
find again (a space, a colon) is refused with the reason, and nothing changes.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    from termnews.commands.common import (
        add_json_option,
        add_query_arguments,
        allow_options_among_words,
    )
    from termnews.commands.search import add_index_options

    parser = subparsers.add_parser(
        "tag",
        help="add a tag to, or remove it from, every story a query matches",
        description="Tag (add) or untag (rm) every story QUERY matches, all of them, and say "
        "how many changed. Tags are case-insensitive; find them again with tag:NAME.",
    )
    parser.add_argument("action", choices=("add", "rm"), help="add the tag, or remove it")
    parser.add_argument("name", metavar="NAME", help="the tag: letters and digits, joined by -_./+")
    add_query_arguments(parser, "tag")
    add_json_option(parser)
    add_index_options(parser)
    allow_options_among_words(parser)


def run(args: argparse.Namespace) -> int:
    from termnews.commands.common import change_matches
    from termnews.state.tags import normalise_tag

    name = normalise_tag(args.name)  # TagNameError (exit 2) before any search or write
    if args.action == "add":
        return change_matches(
            args,
            "tag-add",
            lambda state, identities, titles: state.add_tag(identities, name, titles),
            done=f"tagged {name}",
            unchanged="already {was}",
            adds=True,
            extra={"tag": name},
        )
    return change_matches(
        args,
        "tag-rm",
        lambda state, identities, _titles: state.remove_tag(identities, name),
        done=f"untagged {name}",
        unchanged="{was} not tagged " + name,
        adds=False,
        extra={"tag": name},
    )
