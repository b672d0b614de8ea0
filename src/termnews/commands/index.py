"""`termnews index ARCHIVE [--rebuild] [--index-dir DIR] [-v]`: build or update an index.

A progress bar appears only on a terminal; in a pipe or cron job the command prints just its
one summary line, so logs stay readable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "index",
        help="build or update the search index of an archive",
        description="Index the stories in ARCHIVE: new and changed files are (re)indexed and "
        "deleted ones removed. Nothing is written inside ARCHIVE; the index lives in the user "
        "cache folder unless --index-dir or TERMNEWS_INDEX_DIR says otherwise.",
    )
    parser.add_argument("archive", metavar="ARCHIVE", help="folder of story files")
    parser.add_argument("--rebuild", action="store_true", help="re-index every file from scratch")
    parser.add_argument("--index-dir", metavar="DIR", help="where the index lives")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list the files that were skipped, and why"
    )


def run(args: argparse.Namespace) -> int:
    from termnews import config
    from termnews.engine.sync import sync
    from termnews.errors import TermnewsError

    archive = Path(args.archive).expanduser()
    if not archive.is_dir():
        what = "no such folder" if not archive.exists() else "not a folder"
        print(f"termnews: {args.archive}: {what} (give the folder that holds the stories)",
              file=sys.stderr)  # fmt: skip
        return 2
    archive = archive.resolve()
    index_dir = config.resolve_index_dir(archive, args.index_dir)
    try:
        if sys.stderr.isatty():
            report = _sync_with_progress_bar(sync, archive, index_dir, args.rebuild)
        else:
            report = sync(archive, index_dir, rebuild=args.rebuild)
    except TermnewsError as error:
        print(f"termnews: {error}", file=sys.stderr)
        return 2
    config.remember_archive(archive)
    print(report.summary())
    if args.verbose:
        for path, reason in report.skipped:
            print(f"  skipped {path}: {reason}")
    elif report.skipped:
        print("  (run with -v to see which files were skipped and why)")
    return 0


def _sync_with_progress_bar(sync: Any, archive: Path, index_dir: Path, rebuild: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True)
    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("indexing", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return sync(archive, index_dir, rebuild=rebuild, progress=progress)
