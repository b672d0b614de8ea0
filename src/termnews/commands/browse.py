"""`termnews browse [ARCHIVE] [--index-dir DIR] [--demo]`: open the Textual browser.

Textual is imported inside `run` only, so every other command (and `--version`) starts without
it. The last archive opened is remembered in the user state dir, so a bare `termnews` picks up
where the person left off.

The reading state and the config file (saved searches, keys) are opened here and handed to
the browser. A database that cannot be used
(damaged, or written by a newer termnews) is left untouched: the browser runs with an empty,
read-only stand-in and says why.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from termnews import config

HOW_TO_START = """\
termnews: no archive yet. Start with one of:
  termnews PATH      index and browse the stories in the folder PATH
  termnews feeds add URL && termnews fetch
                     subscribe to a feed and bring its stories in
  termnews --demo    browse the bundled sample stories"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "browse",
        help="browse and search an archive in the terminal (the default command)",
        description="Open the terminal browser. With ARCHIVE, the index is synced first "
        "(in the background); with no argument, the last archive opened is used.",
    )
    parser.add_argument("archive", nargs="?", metavar="ARCHIVE", help="folder of story files")
    parser.add_argument("--index-dir", metavar="DIR", help="where the index lives")
    parser.add_argument("--demo", action="store_true", help="browse the bundled sample stories")
    parser.add_argument(
        "--no-sync",
        action="store_true",
        help="open the index as it is, without syncing it with the archive first",
    )
    parser.add_argument(
        "--poll",
        action="store_true",
        help="look for new stories by polling the archive (for network mounts, where "
        "change notifications do not arrive)",
    )


def choose_archive(args: argparse.Namespace) -> tuple[Path | None, str | None]:
    """(archive, error): the demo, the given folder, or the remembered one."""
    if args.demo:
        from termnews.demo import sample_articles_dir

        demo = sample_articles_dir()
        if demo is None:
            return None, "termnews: the sample articles are not installed with this copy."
        return demo, None
    if args.archive:
        archive = Path(args.archive).expanduser()
        if not archive.is_dir():
            return None, f"termnews: {args.archive}: not a folder of stories."
        return archive.resolve(), None
    remembered = config.recall_archive()
    if remembered is None:
        if args.index_dir:
            return None, None  # an explicit index can be browsed without its archive
        fetched = config.data_dir() / "news"
        if fetched.is_dir():  # what `termnews fetch` brought in, termnews's own archive
            return fetched.resolve(), None
        return None, HOW_TO_START
    if not remembered.is_dir():
        return None, f"termnews: the last archive, {remembered}, is gone.\n{HOW_TO_START}"
    return remembered, None


def run(args: argparse.Namespace) -> int:
    from termnews.tui.collector import pause_collector, resume_collector

    pause_collector()  # until the first frame (the app resumes it), or until this returns
    try:
        return _browse(args)
    finally:
        resume_collector()


def _browse(args: argparse.Namespace) -> int:
    archive, error = choose_archive(args)
    if error:
        print(error, file=sys.stderr)
        return 2
    index_dir = config.resolve_index_dir(archive, args.index_dir)
    if archive is not None:
        config.remember_archive(archive)

    from termnews.tui import prepare_textual

    prepare_textual()  # before Textual is imported: it reads its settings once
    from termnews.settings import load_settings
    from termnews.state.store import StateStore
    from termnews.tui.app import TermnewsApp, low_colour_terminal

    # 16-colour terminals (TERM=xterm, screen) get the ANSI theme, which stays legible there.
    theme = "ansi-dark" if low_colour_terminal() else None
    settings = load_settings()  # never raises: the browser shows what is wrong with it
    with StateStore.open_or_fallback(config.state_db_path()) as state:
        app = TermnewsApp(
            index_dir,
            archive,
            sync=not args.no_sync,
            theme=theme,
            state=state,
            settings=settings,
            watch=archive is not None,
            poll=args.poll or settings.watch.poll,  # [watch] poll, for network mounts
        )
        app.run()
    return int(app.return_code or 0)
