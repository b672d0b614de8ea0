"""`termnews state export|import|prune|path`: the reading state as a file, and its upkeep.

`export` writes every mark as JSON lines (docs/state-format.md), the form to back up, diff
or carry to another machine; `import` merges such a file in, all or nothing, and importing
the same file twice changes nothing. `prune` forgets the marks of stories that are no longer
in the index, and only when asked: the marks are what a person cannot rebuild.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from termnews.errors import TermnewsError

PRUNE_HELP = "forget the marks of stories the index no longer holds"
PRUNE_DESCRIPTION = (
    "Forget the marks of stories that no index holds any more. One reading state serves "
    "every archive, so a mark is kept while any archive's index (in the cache dir) holds "
    "its story; an index that cannot be read stops the prune, unless --this-index-only "
    "says to judge by the one index alone. --dry-run says how many first."
)


class ExportError(TermnewsError):
    """The export file could not be written."""


class PruneRefusedError(TermnewsError):
    """A prune that would forget every mark because the index is empty or the wrong one."""


def register(subparsers: Any) -> None:
    from termnews.commands.common import add_json_option
    from termnews.commands.search import add_index_options

    parser = subparsers.add_parser(
        "state",
        help="export, import or prune the reading state (read, starred, tags)",
        description="The reading state: which stories are read, starred and tagged.",
    )
    actions = parser.add_subparsers(dest="state_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="write every mark as JSON lines (to stdout, or to FILE with -o)"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (replaced whole)")
    imported = actions.add_parser(
        "import", help="merge marks from an export: a read, a star or a tag is never lost"
    )
    imported.add_argument("file", metavar="FILE", help="an export, or - for standard input")
    add_json_option(imported)
    prune = actions.add_parser("prune", help=PRUNE_HELP, description=PRUNE_DESCRIPTION)
    prune.add_argument("--dry-run", action="store_true", help="say how many, change nothing")
    prune.add_argument(
        "--this-index-only",
        action="store_true",
        help="keep only the marks of stories in this index, whatever other archives hold",
    )
    add_json_option(prune)
    add_index_options(prune)
    path = actions.add_parser("path", help="print where the reading state is kept")
    add_json_option(path)


def run(args: argparse.Namespace) -> int:
    return {"export": _export, "import": _import, "prune": _prune, "path": _path}[
        args.state_action
    ](args)


def _export(args: argparse.Namespace) -> int:
    from termnews import config
    from termnews.commands.common import open_state_for_reading
    from termnews.state.records import dump

    with open_state_for_reading() as state:
        data = "".join(dump(state.records())).encode("utf-8")
    if args.output:
        try:
            config.write_atomically(Path(args.output).expanduser(), data)
        except OSError as error:
            reason = (error.strerror or type(error).__name__).lower()
            raise ExportError(f"{args.output}: cannot be written ({reason})") from error
    else:
        # Bytes, not text: the format is UTF-8 whatever the terminal's locale says.
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _import(args: argparse.Namespace) -> int:
    from termnews.commands.common import open_state_for_writing, plural, print_json
    from termnews.state.records import load

    source = "standard input" if args.file == "-" else args.file
    # The whole file is checked before the database is opened: a bad line changes nothing.
    records = load(_import_lines(args.file, source), source=source)
    with open_state_for_writing() as state:
        report = state.merge(records)
    if args.json:
        print_json(
            {
                "action": "import",
                "source": source,
                "stories": report.stories,
                "read": report.read,
                "starred": report.starred,
                "tags": report.tags,
                "changed": report.changed,
            }
        )
    elif not report.stories:
        print(f"{source} holds no marks: nothing changed")
    elif report.changed:
        print(
            f"{plural(report.stories)} in {source}: {report.read} newly read, "
            f"{report.starred} newly starred, {plural(report.tags, 'tag', 'tags')} added"
        )
    else:
        print(f"{plural(report.stories)} in {source}: nothing changed, every mark was here")
    return 0


def _import_lines(name: str, source: str) -> list[str]:
    """The file's lines as text; an unreadable or non-UTF-8 file says which line is at fault."""
    from termnews.state.records import StateFileError

    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).expanduser().read_bytes()
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise StateFileError(f"{source}: cannot be read ({reason})") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise StateFileError(f"{source}, line {line}: is not UTF-8 text") from error
    # "\n" only: str.splitlines would also break inside a headline holding U+2028, which
    # JSON written with ensure_ascii=False leaves as it is.
    return text.split("\n")


def _prune(args: argparse.Namespace) -> int:
    from termnews.commands.common import (
        plural,
        print_json,
        require_index,
        searcher_with_state,
    )

    with searcher_with_state(args, writing=True) as (searcher, state):
        present = searcher.all_identities()
        if not args.this_index_only:
            present = present | _identities_in_other_indexes(require_index(args))
        marked = {record.identity for record in state.records()}
        doomed = len(marked - present)
        if doomed and not present:
            raise PruneRefusedError(
                "the index holds no stories, so pruning would forget every mark; "
                "index the archive first (or give --index-dir DIR or --archive ARCHIVE)"
            )
        if doomed and not args.dry_run:
            doomed = state.prune(present)
    if args.json:
        print_json(
            {
                "action": "prune",
                "dry_run": args.dry_run,
                "removed": doomed,
                "kept": len(marked) - doomed,
            }
        )
    else:
        verb = "would forget" if args.dry_run else "forgot"
        print(
            f"{verb} the marks of {plural(doomed)} not in the index; "
            f"{plural(len(marked) - doomed)} with marks {'would stay' if args.dry_run else 'stay'}"
        )
    return 0


def _identities_in_other_indexes(this_index: Path) -> frozenset[str]:
    """Every story the other archives' indexes hold, so a prune keeps their marks too.

    An index that cannot be read (built by another version, damaged) may hold stories with
    marks: the prune stops rather than guess, and says what to do.
    """
    from termnews import config
    from termnews.engine.searcher import Searcher
    from termnews.engine.store import index_exists

    found: set[str] = set()
    root = config.cache_dir() / "indexes"
    others = sorted(p for p in root.glob("*") if p.is_dir()) if root.is_dir() else []
    for index_dir in others:
        if index_dir.resolve() == this_index.resolve() or not index_exists(index_dir):
            continue
        try:
            with Searcher(index_dir) as other:
                found |= other.all_identities()
        except TermnewsError as error:
            raise PruneRefusedError(
                f"cannot tell which stories another archive holds: {error}. Rebuild or delete "
                "that index, or prune with --this-index-only"
            ) from error
    return frozenset(found)


def _path(args: argparse.Namespace) -> int:
    from termnews import config
    from termnews.commands.common import print_json

    path = config.state_db_path()
    if args.json:
        print_json({"path": str(path), "exists": path.exists()})
    else:
        print(path)
    return 0
