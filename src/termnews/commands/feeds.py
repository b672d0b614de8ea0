"""`termnews feeds [list | add URL | rm URL|NAME | import FILE | export]`: the subscriptions.

The feeds live in the config file as [[feeds]] entries (`termnews.settings`), which a person
may also edit by hand; every change here edits that file keeping its comments and order, and
a file that cannot be parsed is never written (exit status 2, naming the file and line).
Listing adds what the last fetches recorded (`termnews.feeds.ledger`), when there is a record
of them; without one it shows the config alone.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from termnews.settings import FeedSubscription

NO_FEEDS = (
    "No feeds yet: subscribe with `termnews feeds add URL`, or bring a reader's list with "
    "`termnews feeds import FILE.opml`."
)


def register(subparsers: Any) -> None:
    from termnews.commands.common import add_json_option

    parser = subparsers.add_parser(
        "feeds",
        help="list, add, remove, import or export the feeds you subscribe to",
        description="The feeds termnews fetches news from, kept as [[feeds]] entries in the "
        "config file. With no action, list them with what their last fetch found.",
    )
    add_json_option(parser)
    actions = parser.add_subparsers(dest="feeds_action", metavar="ACTION")
    listing = actions.add_parser("list", help="list the feeds (the default)")
    add = actions.add_parser("add", help="subscribe to the feed at URL")
    add.add_argument("url", metavar="URL", help="the feed's http:// or https:// address")
    add.add_argument("--name", help="what to call the feed (default: its URL)")
    add.add_argument(
        "--fulltext",
        choices=("auto", "always", "never"),
        default="auto",
        help="fetch each story's web page for its full text: always, never, or (auto) only "
        "when the feed gives just a summary",
    )
    remove = actions.add_parser("rm", help="unsubscribe from a feed, by URL or by name")
    remove.add_argument("feed", metavar="URL|NAME", help="the feed's URL, or its name")
    importing = actions.add_parser(
        "import",
        help="subscribe to every feed in an OPML file",
        description="Subscribe to every feed in an OPML file (as feed readers export). The "
        "folders a feed is in become its tags; feeds already subscribed to are skipped.",
    )
    importing.add_argument("file", metavar="FILE", help="the OPML file, or - for stdin")
    actions.add_parser("export", help="print the feeds as OPML, for another reader")
    for action in (add, importing):
        action.add_argument(
            "--tag",
            action="append",
            default=[],
            dest="tags",
            metavar="TAG",
            help="tag the feed's stories TAG (repeat for more)",
        )
    for action in (listing, add, remove, importing):
        # Also after the action. SUPPRESS: an action's own default would overwrite a --json
        # given before it.
        action.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
        )


def run(args: argparse.Namespace) -> int:
    action = args.feeds_action or "list"
    return {
        "list": _list,
        "add": _add,
        "rm": _remove,
        "import": _import,
        "export": _export,
    }[action](args)


def _add(args: argparse.Namespace) -> int:
    from termnews.commands.common import print_json
    from termnews.settings import DuplicateFeedError, add_feed, config_path

    try:
        feed = add_feed(args.url, name=args.name, tags=args.tags, fulltext=args.fulltext)
    except DuplicateFeedError as error:
        print(f"termnews: {error}", file=sys.stderr)
        return 1
    if args.json:
        print_json({"action": "add", **_config_record(feed)})
    else:
        tags = f"  [{', '.join(feed.tags)}]" if feed.tags else ""
        print(f"subscribed to {feed.label}{tags}  (in {config_path()})")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from termnews.commands.common import print_json
    from termnews.settings import remove_feed

    removed = remove_feed(args.feed)
    if args.json:
        print_json({"action": "rm", "feed": args.feed, "removed": removed})
    else:
        for url in removed:
            print(f"unsubscribed from {url}")
    if not removed:
        print(f"termnews: no feed has the URL or name {args.feed!r}", file=sys.stderr)
        return 1
    return 0


def _list(args: argparse.Namespace) -> int:
    from termnews.commands.common import load_settings_noting_problems, print_json

    settings = load_settings_noting_problems()
    if not settings.feeds:
        if not settings.problems:  # else the problem said why, and "no feeds yet" would mislead
            print(NO_FEEDS, file=sys.stderr)
        return 0
    with _LedgerView() as ledger:
        for feed in settings.feeds:
            figures = ledger.figures(feed.url)
            if args.json:
                print_json({**_config_record(feed), **_ledger_record(figures)})
            else:
                print(_describe(feed, figures, ledger.available))
    return 0


def _import(args: argparse.Namespace) -> int:
    from termnews.commands.common import note, print_json
    from termnews.errors import TermnewsError
    from termnews.feeds.opml import read_opml
    from termnews.settings import FeedSubscription, add_feeds, check_feed_url, load_settings
    from termnews.settings.subscriptions import FULLTEXT_CHOICES, check_feed_tags, feed_url_key

    extra_tags = check_feed_tags(args.tags)  # a bad --tag is refused before anything is read
    outlines = read_opml(_read_input(args.file))
    _require_parsable_config()
    settings = load_settings()
    taken = {feed_url_key(feed.url) for feed in settings.feeds}
    new: list[FeedSubscription] = []
    duplicates = invalid = 0
    for outline in outlines:
        try:
            url = check_feed_url(outline.url)
        except TermnewsError as error:
            note(f"skipped: {error}")
            invalid += 1
            continue
        if feed_url_key(url) in taken:
            duplicates += 1
            continue
        taken.add(feed_url_key(url))
        tags = _usable_tags([*outline.folder_tags, *extra_tags])
        fulltext = outline.fulltext or "auto"  # what `feeds add` gives a feed not told
        if fulltext not in FULLTEXT_CHOICES:
            choices = ", ".join(FULLTEXT_CHOICES)
            note(f"{url}: fulltext {fulltext!r} is not one of {choices}; it gets auto")
            fulltext = "auto"
        new.append(FeedSubscription(url=url, name=outline.name, tags=tags, fulltext=fulltext))
    add_feeds(new)  # one edit of the file for them all; ConfigFileError (exit 2) writes nothing
    if args.json:
        print_json(
            {
                "action": "import",
                "added": len(new),
                "duplicates": duplicates,
                "invalid": invalid,
            }
        )
    else:
        print(
            f"imported {_count(len(new), 'feed')}; skipped {duplicates} already subscribed "
            f"and {invalid} without a usable URL"
        )
    return 0


def _export(args: argparse.Namespace) -> int:
    from termnews.commands.common import load_settings_noting_problems
    from termnews.feeds.opml import write_opml

    settings = load_settings_noting_problems()
    sys.stdout.flush()
    sys.stdout.buffer.write(write_opml(settings.feeds))
    sys.stdout.buffer.flush()
    return 0


def _require_parsable_config() -> None:
    """ConfigFileError (exit 2, naming file and line) now if the config cannot be parsed,
    rather than after sorting 200 feeds; a missing file is fine (it will be created)."""
    from termnews.settings import ConfigFileError, config_path
    from termnews.settings.location import parse_config, read_config_text

    path = config_path()
    try:
        text = read_config_text(path)
        if text is not None:
            parse_config(text, path)
    except ConfigFileError as error:
        message = f"{error}; nothing was imported and the file is unchanged"
        raise ConfigFileError(message, path) from None


def _read_input(name: str) -> bytes:
    from termnews.feeds.opml import MAX_OPML_BYTES, OpmlError

    try:
        if name == "-":
            return sys.stdin.buffer.read(MAX_OPML_BYTES + 1)
        with open(name, "rb") as handle:
            return handle.read(MAX_OPML_BYTES + 1)
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise OpmlError(f"{name}: cannot be read ({reason})") from None


def _usable_tags(names: list[str]) -> tuple[str, ...]:
    """Tags as `tag:NAME` finds them; a folder name that cannot be one is left out."""
    from termnews.state.tags import TagNameError, normalise_tag

    kept: list[str] = []
    for name in names:
        try:
            tag = normalise_tag(name)
        except TagNameError:
            continue
        if tag not in kept:
            kept.append(tag)
    return tuple(kept)


def _config_record(feed: FeedSubscription) -> dict[str, Any]:
    return {"url": feed.url, "name": feed.name, "tags": list(feed.tags), "fulltext": feed.fulltext}


def _ledger_record(figures: dict[str, Any] | None) -> dict[str, Any]:
    fields = ("last_fetch", "last_status", "new", "failures", "last_error", "folders")
    return {field: (figures or {}).get(field) for field in fields}


def _describe(feed: FeedSubscription, figures: dict[str, Any] | None, ledger: bool) -> str:
    """Two lines: the feed as configured, then what its last fetch found (if anything knows)."""
    head = feed.name or feed.url
    parts = [head]
    if feed.name:
        parts.append(feed.url)
    if feed.tags:
        parts.append(f"[{', '.join(feed.tags)}]")
    if feed.fulltext != "auto":
        parts.append(f"fulltext={feed.fulltext}")
    line = "  ".join(parts)
    if not ledger:
        return line
    if figures is None:
        return f"{line}\n    not fetched yet"
    status = figures.get("last_status") or "?"
    detail = f"    last fetch {figures.get('last_fetch') or '?'} ({status})"
    detail += f", {_count(figures.get('new') or 0, 'new story', 'new stories')}"
    failures = figures.get("failures") or 0
    if failures:
        detail += f", failed {_count(failures, 'time')} in a row"
    if figures.get("last_error"):
        detail += f": {figures['last_error']}"
    if figures.get("folders"):  # what to search its stories by
        detail += " · " + ", ".join(f"feed:{folder}" for folder in figures["folders"])
    return f"{line}\n{detail}"


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


class _LedgerView:
    """What the fetch ledger recorded per feed, read-only; absent when there is none to read.

    The ledger is its own module and its own file: either may not exist yet (no fetch has
    run, or this build has no fetching), and a listing must still show the config. A
    damaged ledger is said once on stderr and the listing goes on without it.
    """

    def __init__(self) -> None:
        self.available = False
        self._ledger: Any = None

    def __enter__(self) -> _LedgerView:
        from termnews import config
        from termnews.commands.common import note

        path = config.data_dir() / "feeds.db"
        if not path.exists():
            return self
        try:
            from termnews.feeds.ledger import FeedLedger
        except ImportError:
            return self
        try:
            self._ledger = FeedLedger(path)
            self.available = True
        except Exception as error:  # any failure to open it leaves the config listing
            # The ledger's own errors name the file; others (sqlite's) do not.
            said = str(error) if str(path) in str(error) else f"{path}: {error}"
            note(f"{said}; feeds are listed without fetch figures")
        return self

    def __exit__(self, *_: object) -> None:
        close = getattr(self._ledger, "close", None)
        if callable(close):
            close()

    def figures(self, url: str) -> dict[str, Any] | None:
        if not self.available:
            return None
        try:
            record = self._ledger.feed(url)
        except Exception as error:  # damaged past opening: list the rest from the config
            from termnews.commands.common import note

            note(f"{self._ledger.path}: {error}; the rest are listed without fetch figures")
            self.available = False
            return None
        if record is None:
            return None
        return {
            "last_fetch": _when(getattr(record, "last_fetch", None)),
            "last_status": getattr(record, "last_status", None),
            "new": getattr(record, "new_count", None),
            "failures": getattr(record, "consecutive_failures", None),
            "last_error": getattr(record, "last_error", None),
            "folders": self._folders(url),
        }

    def _folders(self, url: str) -> list[str] | None:
        """The folders its stories went to (`feed:` finds them by these), if the ledger says."""
        folders = getattr(self._ledger, "folders", None)
        return folders(url) if callable(folders) else None


def _when(value: Any) -> str | None:
    """A moment as ISO text in UTC, whether the ledger keeps a datetime, a number or text."""
    import datetime as dt

    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        value = dt.datetime.fromtimestamp(value, tz=dt.UTC)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds")
    return str(value)
