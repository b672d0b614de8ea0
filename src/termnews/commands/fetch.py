"""`termnews fetch [--quiet] [--json]`: bring the subscribed feeds into termnews's own archive.

Every `[[feeds]]` entry of the config file is fetched (conditionally, so an unchanged feed
costs one small request), its new and changed entries are written as wire stories under
`ARCHIVE/feeds/`, the archive's index is synced, and the feeds' tags and the entries' own
categories are put on their stories (the steps are `termnews.newsin`'s, which the browser's
fetch key runs too). The run ends with one summary line; a progress bar shows on a terminal
only, so cron mail holds nothing but failures and that line. Exit status: 0 when every feed
was fetched or unchanged, 1 when any failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "fetch",
        help="fetch the subscribed feeds into termnews's own archive and index them",
        description="Fetch every feed in the config file's [[feeds]] (see `termnews feeds`), "
        "write new and changed stories as text files under the fetch archive "
        "($XDG_DATA_HOME/termnews/news unless [fetch] archive says otherwise), and sync its "
        "index. Exit status: 0 when every feed was fetched or unchanged, 1 when any failed.",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print only failures")
    parser.add_argument("--json", action="store_true", help="print one JSON object per feed")
    parser.add_argument(
        "--no-index", action="store_true", help="write the stories but leave the index as it is"
    )


def run(args: argparse.Namespace) -> int:
    from termnews.commands.common import load_settings_noting_problems
    from termnews.newsin import fetch_archive

    settings = load_settings_noting_problems()
    feeds = list(settings.feeds)
    if not feeds:
        print(
            "termnews: no feeds to fetch; subscribe with `termnews feeds add URL`",
            file=sys.stderr,
        )
        return 2
    archive = fetch_archive(settings)
    summary = _fetch(feeds, archive, quiet=args.quiet or args.json)
    for outcome in summary.outcomes:
        if args.json:
            print(json.dumps(_as_record(outcome), ensure_ascii=False))
        elif outcome.status == "failed":
            print(f"termnews: {outcome.name}: {outcome.error}", file=sys.stderr)
        elif outcome.warning and not args.quiet:
            print(f"termnews: {outcome.name}: {outcome.warning}", file=sys.stderr)
    _tag_stories(feeds, archive, summary)
    if not args.no_index:
        _sync(archive, quiet=args.quiet or args.json)
    if not args.quiet and not args.json:
        print(summary.line())
    return 1 if summary.failed else 0


def _fetch(feeds: list[Any], archive: Path, *, quiet: bool) -> Any:
    from termnews.newsin import fetch_feeds

    if quiet or not sys.stderr.isatty():
        summary, problem = fetch_feeds(feeds, archive)
    else:
        summary, problem = _with_progress_bar(feeds, archive)
    if problem:
        print(f"termnews: no full text this time: {problem}", file=sys.stderr)
    return summary


def _with_progress_bar(feeds: list[Any], archive: Path) -> tuple[Any, str | None]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress

    from termnews.newsin import fetch_feeds

    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("fetching feeds", total=len(feeds))
        stories = [0]

        def progress(outcome: Any) -> None:
            stories[0] += outcome.new + outcome.updated
            bar.update(task, advance=1, description=f"fetching feeds ({stories[0]} stories)")

        return fetch_feeds(feeds, archive, progress=progress)


def _tag_stories(feeds: list[Any], archive: Path, summary: Any) -> None:
    """Put the feeds' tags and the entries' categories on the stories, in the reading state."""
    from termnews import config
    from termnews.errors import TermnewsError
    from termnews.newsin import tag_stories
    from termnews.state.store import StateStore

    try:
        with StateStore(config.state_db_path()) as state:
            tag_stories(feeds, archive, summary, state)
    except TermnewsError as error:
        print(f"termnews: the feeds' tags were not saved: {error}", file=sys.stderr)


def _sync(archive: Path, *, quiet: bool) -> None:
    from termnews import config
    from termnews.newsin import sync_archive

    report = sync_archive(archive)
    config.remember_archive(archive)
    if not quiet and report.skipped:
        print(f"termnews: {len(report.skipped)} stories could not be indexed", file=sys.stderr)


def _as_record(outcome: Any) -> dict[str, Any]:
    return {
        "feed": outcome.url,
        "name": outcome.name,
        "status": outcome.status,
        "new": outcome.new,
        "updated": outcome.updated,
        "error": outcome.error,
        "warning": outcome.warning,
    }
