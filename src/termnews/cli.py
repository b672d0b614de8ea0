"""The `termnews` command line: argparse, dispatch, and one place that turns errors into messages.

It stays thin: every command lives in `termnews.commands.<name>` and calls the core.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from termnews import __version__
from termnews.errors import TermnewsError

#: Subcommand name -> module under termnews.commands. `browse` is the default command.
COMMANDS: dict[str, str] = {
    "browse": "browse",
    "index": "index",
    "search": "search",
    "show": "show",
    "parse": "parse",
    "mark": "mark",
    "tag": "tag",
    "count": "count",
    "searches": "searches",
    "state": "state",
    "feeds": "feeds",
    "fetch": "fetch",
}
DEFAULT_COMMAND = "browse"


class UsageError(Exception):
    """A mistake in how the command was called: reported on stderr with exit status 2."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` a command's name, that command alone.

    A command's own options, help and usage read the same either way; `only` spares the
    browser importing the eleven other command modules before its first frame.
    """
    parser = argparse.ArgumentParser(
        prog="termnews",
        description="Search and read a local archive of news stories from the terminal.",
        epilog="With no command, `termnews [ARCHIVE]` opens the browser (same as `browse`).",
    )
    parser.add_argument("--version", action="version", version=f"termnews {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"termnews.commands.{module_name}").register(subparsers)
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """`termnews`, `termnews PATH` and `termnews --demo` all mean `termnews browse ...`."""
    if not argv:
        return [DEFAULT_COMMAND]
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    return [DEFAULT_COMMAND, *argv]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = _with_default_command(list(sys.argv[1:] if argv is None else argv))
    # `termnews --help` (or a mistyped command) needs every command; a named one, itself.
    parser = build_parser(args_list[0] if args_list[0] in COMMANDS else None)
    args = parser.parse_args(args_list)
    module = importlib.import_module(f"termnews.commands.{COMMANDS[args.command]}")
    try:
        return int(module.run(args) or 0)
    except (UsageError, TermnewsError) as error:
        # Every expected failure (missing or busy index, unreadable archive) says what to do
        # in one line; a traceback would only hide that sentence.
        print(f"termnews: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("termnews: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `termnews search x | head` closes the pipe early; that is not an error worth a trace.
        sys.stderr.close()
        return 0
