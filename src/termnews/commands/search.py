"""`termnews search QUERY [--json] [--limit N] [--sort ORDER]`: search from the shell.

The table is built from rich `Text` objects with highlight spans applied by offset, never by
formatting story text into markup: a headline containing `[bold]` is shown as written.
Notices and suggestions go to stderr so that `--json` output stays one object per line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from termnews.results import SortOrder

SORTS = tuple(order.value for order in SortOrder)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search the index and print matching stories",
        description='Search the index. Words are ANDed; OR, NOT, -word, "phrases", word*, '
        "word~ and the fields headline: body: author:/by: agency: dateline:/in: date: work; "
        'is:unread, tag:NAME and feed:NAME (a feed\'s name, "Quoted", or its folder) filter. '
        "With no QUERY, every story is listed newest first.",
    )
    parser.add_argument("query", nargs="*", metavar="QUERY", help="the query (quote it)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (20)")
    parser.add_argument("--sort", choices=SORTS, default="relevance", help="result order")
    parser.add_argument(
        "--stats",
        action="store_true",
        help="instead of the stories: when they appeared (a sparkline over every match) "
        "and their top agencies, datelines and authors",
    )
    parser.add_argument(
        "--all-copies",
        action="store_true",
        help="list every copy of a story (by default reprints of one body are folded into "
        "one row, marked +N)",
    )
    add_index_options(parser)


def add_index_options(parser: argparse.ArgumentParser) -> None:
    """`--index-dir` and `--archive`, shared with `show`."""
    parser.add_argument("--index-dir", metavar="DIR", help="the index to use")
    parser.add_argument("--archive", metavar="ARCHIVE", help="use the index of this archive")


def locate_index(args: argparse.Namespace) -> Path | None:
    """--index-dir, $TERMNEWS_INDEX_DIR, --archive's index, then the last archive indexed."""
    from termnews import config

    archive = Path(args.archive).expanduser().resolve() if args.archive else None
    if archive is None and not args.index_dir and not _env_index_dir():
        archive = config.recall_archive()
        if archive is None:
            return None
    return config.resolve_index_dir(archive, args.index_dir)


def _env_index_dir() -> str | None:
    import os

    from termnews import config

    return os.environ.get(config.INDEX_DIR_ENV) or None


NO_INDEX = (
    "termnews: no index yet; run `termnews index ARCHIVE` first "
    "(or give --index-dir DIR or --archive ARCHIVE)"
)


def index_for_listing(args: argparse.Namespace) -> Path | None:
    """The index a command that lists stories reads (`--limit N` checked first), or None
    once the reason is said on stderr (exit status 2)."""
    if args.limit < 1:
        print("termnews: --limit must be 1 or more", file=sys.stderr)
        return None
    index_dir = locate_index(args)
    if index_dir is None:
        print(NO_INDEX, file=sys.stderr)
    return index_dir


def run(args: argparse.Namespace) -> int:
    from termnews.engine.searcher import Searcher
    from termnews.errors import TermnewsError
    from termnews.results import SortOrder

    index_dir = index_for_listing(args)
    if index_dir is None:
        return 2
    from termnews.commands.common import open_state_for_reading

    query = " ".join(args.query)
    try:
        # The reading state answers is:unread, is:starred and tag:NAME.
        with open_state_for_reading() as state, Searcher(index_dir, state=state) as searcher:
            # With --stats no row is printed, so none is built (a snippet each).
            limit = 0 if args.stats else args.limit
            results = searcher.search(
                query, sort=SortOrder(args.sort), limit=limit, all_copies=args.all_copies
            )
            context = searcher.context(results) if args.stats else None
    except TermnewsError as error:
        print(f"termnews: {error}", file=sys.stderr)
        return 2
    if results.notice:
        print(f"termnews: note: {results.notice}", file=sys.stderr)
    if context is not None:
        from termnews.commands.stats import stats_record, stats_text

        if args.json:
            # Rows once copies are folded (equal to total with --all-copies).
            record = {**stats_record(context), "folded_total": results.folded_total}
            print(json.dumps(record, ensure_ascii=False))
        else:
            sys.stdout.write(stats_text(context))
    elif args.json:
        for hit in results.hits:
            print(json.dumps(hit_record(hit), ensure_ascii=False))
    else:
        print_table(results)
    if results.total == 0:
        print(f"No stories match.{suggestion_hint(results)}", file=sys.stderr)
    return 0


def suggestion_hint(results: Any) -> str:
    """` Did you mean: coffee? (196 stories)`, or '' when there is no suggestion."""
    if not results.suggestion:
        return ""
    count = results.suggestion_total
    return f" Did you mean: {results.suggestion}? ({count} {'story' if count == 1 else 'stories'})"


def hit_record(hit: Any) -> dict[str, Any]:
    """The `--json` object for one hit."""
    return {
        "path": hit.path,
        "headline": hit.headline,
        "authors": list(hit.authors),
        "agency": hit.agency,
        "dateline": hit.dateline,
        "published": hit.published,
        "date_estimated": hit.date_estimated,
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "cluster": hit.cluster,
        "copies": hit.copies,
        "folded": hit.folded,
    }


def _styled(text: str, spans: Any, base: str, mark: str) -> Any:
    from rich.text import Text

    styled = Text(text, style=base)
    for start, end in spans:
        styled.stylize(mark, start, end)
    return styled


def print_table(results: Any) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from termnews.formatting import folded_marker, join_names, short_date, stories_count

    console = Console(highlight=False, soft_wrap=False)
    if not results.hits:
        return
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=True, pad_edge=False)
    table.add_column("date", no_wrap=True, style="cyan", width=13)
    table.add_column("story", ratio=1)
    for hit in results.hits:
        story = Text()
        story.append_text(_styled(hit.headline, hit.headline_spans, "bold", "reverse"))
        if hit.folded:
            story.append(f" {folded_marker(hit.folded)}", style="dim")
        byline = " · ".join(
            part for part in (join_names(hit.authors), hit.agency, hit.dateline) if part
        )
        if byline:
            story.append("\n")
            story.append(byline, style="italic")
        if hit.snippet:
            story.append("\n")
            story.append_text(_styled(hit.snippet, hit.snippet_spans, "", "bold yellow"))
        story.append("\n")
        story.append(hit.path, style="dim")
        date = short_date(hit.published, hit.date_estimated)
        table.add_row(Text(date), story)
    console.print(table)
    shown = len(results.hits)
    console.print(
        Text(
            f"{shown} of {stories_count(results.total, results.folded_total)}"
            f" · {results.sort.label} · "
            f"{results.elapsed_ms:.0f} ms",
            style="dim",
        )
    )
