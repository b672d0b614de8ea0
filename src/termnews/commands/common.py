"""What the reading-state commands share: the index, the reading state, the config, and words.

Two ways to open the reading state, on purpose:

- A command that only reads (`count`, `searches`, `state export`) must work even when the
  database is damaged or from a newer termnews: it gets an empty stand-in and one line on
  stderr saying why. A missing database is simply empty, and is not created by reading.
- A command that writes must never touch a database it cannot trust, so opening one raises
  `StateUnavailableError`; the CLI turns that into its message and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from termnews.commands.search import NO_INDEX, locate_index, suggestion_hint
from termnews.errors import IndexMissingError, TermnewsError
from termnews.results import SortOrder

if TYPE_CHECKING:
    from termnews.engine.searcher import Searcher
    from termnews.results import Results
    from termnews.settings import Settings
    from termnews.state.store import StateStore


def plural(count: int, one: str = "story", many: str = "stories") -> str:
    """`1 story`, `2 stories`."""
    return f"{count} {one if count == 1 else many}"


def note(message: str) -> None:
    """One line on stderr, so that stdout stays what `--json` or a pipe expects."""
    print(f"termnews: {message}", file=sys.stderr)


def require_index(args: argparse.Namespace) -> Path:
    """The index to use (see `search.locate_index`), or IndexMissingError saying what to run."""
    index_dir = locate_index(args)
    if index_dir is None:
        raise IndexMissingError(NO_INDEX.removeprefix("termnews: "))
    return index_dir


def open_state_for_reading() -> StateStore:
    """The reading state to read from; never raises for a damaged or newer database."""
    from termnews import config
    from termnews.state.store import StateStore

    path = config.state_db_path()
    if not path.exists():
        # Nothing marked yet: an empty store in memory, so reading creates no file.
        return StateStore(":memory:", read_only=True)
    store = StateStore.open_or_fallback(path)
    if store.problem:
        note(f"{store.problem}; going on as if nothing were read, starred or tagged")
    return store


def open_state_for_writing() -> StateStore:
    """The reading state to change; `StateUnavailableError` (exit 2) if it cannot be trusted."""
    from termnews import config
    from termnews.state.store import StateStore

    return StateStore(config.state_db_path())


@contextmanager
def searcher_with_state(
    args: argparse.Namespace, *, writing: bool
) -> Iterator[tuple[Searcher, StateStore]]:
    """The Searcher of the index `args` name, seeing the reading state (for `is:`, `tag:`).

    The index is found first, so a command run with no index fails before it opens, and
    perhaps creates, the reading state.
    """
    index_dir = require_index(args)
    with open_state_for_writing() if writing else open_state_for_reading() as state:
        # Imported only now: a refused state fails fast, without loading Whoosh.
        from termnews.engine.searcher import Searcher

        with Searcher(index_dir, state=state) as searcher:
            yield searcher, state


def run_query(searcher: Searcher, query: str) -> Results:
    """`query` run for its count and its matches only, its notice (if any) on stderr,
    naming the query, since one command may run several."""
    results = searcher.search(query, limit=0)
    if results.notice:
        note(f"note: {query}: {results.notice}")
    return results


def unread_query(query: str) -> str:
    """The query for the unread stories among `query`'s matches."""
    return f"({query}) is:unread" if query.strip() else "is:unread"


def report_no_match(results: Results) -> None:
    """`No stories match.` and a respelling, on stderr, when a query found nothing."""
    if results.total == 0:
        print(f"No stories match.{suggestion_hint(results)}", file=sys.stderr)


def load_settings_noting_problems() -> Settings:
    """The config file's settings; what is wrong with it goes to stderr once, and we go on."""
    from termnews.settings import load_settings

    settings = load_settings()
    for problem in settings.problems:
        note(problem)
    return settings


def allow_options_among_words(parser: argparse.ArgumentParser) -> None:
    """Let options go anywhere among a command's words: `mark read --json in:velmora`.

    Python 3.11's argparse gives a `*` positional its words at once, with the positional
    before it, so in `mark read --json in:velmora` the query is already taken (empty) when
    `in:velmora` comes, and the command fails with "unrecognized arguments". Intermixed
    parsing reads the options first and the words after. The parent parser calls
    `parse_known_args` on this very object, so the intermixed parse is put there; it calls
    `parse_known_args` itself, so the plain one is back in place while it runs.
    """
    plain = parser.parse_known_args

    def intermixed(
        args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parser.parse_known_args = plain  # type: ignore[method-assign]
        try:
            return parser.parse_known_intermixed_args(args, namespace)
        finally:
            parser.parse_known_args = intermixed  # type: ignore[method-assign]

    parser.parse_known_args = intermixed  # type: ignore[method-assign]


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON objects, one a line")


def print_json(record: dict[str, Any]) -> None:
    import json

    print(json.dumps(record, ensure_ascii=False))


def add_query_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """QUERY… (joined with spaces, as `search` does) or --all, for a command that changes marks."""
    parser.add_argument("query", nargs="*", metavar="QUERY", help=f"the stories to {what}")
    parser.add_argument(
        "--all", action="store_true", help=f"{what} every story in the index (instead of QUERY)"
    )


def query_of(args: argparse.Namespace) -> str:
    """The query a changing command applies to; an empty one only when asked with --all.

    An empty query matches every story, so forgetting the words must not change them all.
    """
    query = " ".join(args.query).strip()
    if args.all and query:
        raise QueryArgumentError("give either QUERY or --all, not both")
    if not args.all and not query:
        raise QueryArgumentError("give a QUERY for the stories to change (or --all for every one)")
    return query


class QueryArgumentError(TermnewsError):
    """A changing command's query is missing, comes with --all, or cannot be read as written."""


#: A change to at most this many stories also records their headlines (see `headlines_of`).
HEADLINES_AT_MOST = 500

#: (the store, the identities matched, identity -> headline where known) -> how many changed.
Change = Callable[["StateStore", list[str], dict[str, str]], int]


def headlines_of(searcher: Searcher, results: Results) -> dict[str, str]:
    """identity -> headline of every match, when there are few enough to read cheaply.

    The reading state keeps a headline only so that an export means something to the person
    reading it; nothing ever matches on it. Each headline costs a row (a stored-field read
    and a snippet), so marking thousands of stories goes without them rather than waiting.
    """
    if not 0 < results.total <= HEADLINES_AT_MOST:
        return {}
    rows = searcher.hits(results, 0, results.total)
    return {row.identity: row.headline for row in rows if row.identity and row.headline}


def _filters_in(query: str) -> bool:
    """Whether `query` holds a filter (`is:`, `tag:`, `feed:`), which narrows the matches."""
    from termnews.engine.query.language import filter_clauses

    return bool(filter_clauses(query))


def change_matches(
    args: argparse.Namespace,
    action: str,
    change: Change,
    *,
    done: str,
    unchanged: str,
    adds: bool,
    extra: dict[str, Any] | None = None,
) -> int:
    """Apply `change` to every story `args` matches (all of them, not a page), and report.

    `done` says what happened to the stories that changed (`marked read`); `unchanged` what
    was already true of the others, with `{was}` for the verb (`already {was}`). A change
    that `adds` a mark is given the stories' headlines, when there are few.
    """
    query = query_of(args)
    with searcher_with_state(args, writing=True) as (searcher, state):
        # Every copy of a story is a story to change: its headline is read like any other's.
        results = searcher.search(query, limit=0, all_copies=True)
        if results.notice:
            # A search may go on with what it could read of a query; a change to every match
            # may not: `is:wobbly` ignored would be the empty query, which is every story.
            raise QueryArgumentError(
                f"{results.notice}; nothing was changed (try the query with `termnews search`)"
            )
        if query and results.sort is not SortOrder.RELEVANCE and not _filters_in(query):
            # Asked by relevance, it came newest first: nothing in it to rank by, so it is
            # the empty query in disguise (`the`, only words every search drops). Filters
            # alone (`feed:x`, `tag:y -is:read`) rank nothing either, but they do narrow.
            raise QueryArgumentError(
                f"'{query}' has no words that are searched, so it matches every story; "
                "nothing was changed (use --all to change every story)"
            )
        identities = searcher.identities(results) if results.total else []
        titles = headlines_of(searcher, results) if adds else {}
        changed = change(state, identities, titles) if identities else 0
    matched = len(identities)
    if args.json:
        record = {"action": action, **(extra or {}), "query": query}
        print_json({**record, "matched": matched, "changed": changed})
    else:
        print(describe_change(matched, changed, done, unchanged))
    report_no_match(results)
    return 0


def describe_change(matched: int, changed: int, done: str, unchanged: str) -> str:
    """`12 stories match: 9 marked read, 3 already were`."""
    if matched == 0:
        return "0 stories match: nothing changed"
    head = f"{plural(matched)} {'matches' if matched == 1 else 'match'}: {changed} {done}"
    rest = matched - changed
    if rest:
        verb = "was" if rest == 1 else "were"
        head += f", {rest} {unchanged.replace('{was}', verb)}"
    return head
