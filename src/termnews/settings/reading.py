"""The config file -> Settings, never raising: whatever is wrong becomes a problem sentence.

The browser must start even when the file is broken, so a TOML error gives empty settings and
one problem naming the file and line, and a wrong entry is skipped with a problem naming the
file and the entry while the rest is still used.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from termnews.settings.keys import KeyNameError, normalize_keys
from termnews.settings.location import ConfigFileError, config_path, parse_config, read_config_text
from termnews.settings.model import (
    FeedSubscription,
    FetchSettings,
    SavedSearch,
    Settings,
    WatchSettings,
)
from termnews.settings.subscriptions import (
    check_feed_tags,
    check_feed_url,
    check_fulltext,
    every_seconds,
    feed_url_key,
)

SEARCHES_TABLE = "searches"
KEYS_TABLE = "keys"
FEEDS_TABLE = "feeds"
FETCH_TABLE = "fetch"
WATCH_TABLE = "watch"
KNOWN_TABLES = (SEARCHES_TABLE, KEYS_TABLE, FEEDS_TABLE, FETCH_TABLE, WATCH_TABLE)
SEARCH_FIELDS = ("name", "query")
FEED_FIELDS = ("url", "name", "tags", "fulltext")
FETCH_FIELDS = ("archive", "every")
WATCH_FIELDS = ("poll",)
_FEEDS_HEADER = re.compile(r"\s*\[\[\s*(feeds|\"feeds\"|'feeds')\s*\]\]\s*(#.*)?$")


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file (`config_path()` unless given); a missing file is empty settings."""
    path = config_path() if path is None else path
    try:
        text = read_config_text(path)
        if text is None:
            return Settings(path=path)
        document = parse_config(text, path)
    except ConfigFileError as error:
        problem = f"{error}; none of its settings are used until it is fixed"
        return Settings(path=path, problems=(problem,))
    problems: list[str] = []
    for name in document:
        if name not in KNOWN_TABLES:
            problems.append(
                f"{path}: unknown setting {name!r}{_did_you_mean(name, KNOWN_TABLES)} is ignored"
            )
    searches = _read_searches(document.get(SEARCHES_TABLE, []), path, problems)
    keys = _read_keys(document.get(KEYS_TABLE, {}), path, problems)
    feeds = _read_feeds(document.get(FEEDS_TABLE, []), path, problems, _header_lines(text))
    fetch = _read_fetch(document.get(FETCH_TABLE, {}), path, problems, text)
    watch = _read_watch(document.get(WATCH_TABLE, {}), path, problems, text)
    return Settings(
        searches=searches,
        keys=keys,
        feeds=feeds,
        fetch=fetch,
        watch=watch,
        problems=tuple(problems),
        path=path,
    )


def _read_searches(value: Any, path: Path, problems: list[str]) -> tuple[SavedSearch, ...]:
    if not isinstance(value, list):
        problems.append(
            f"{path}: searches must be [[searches]] tables with a name and a query, "
            f"not {_kind(value)}"
        )
        return ()
    searches: list[SavedSearch] = []
    seen: set[str] = set()
    for number, entry in enumerate(value, start=1):
        where = f"{path}: [[searches]] entry {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a table with a name and a query, not {_kind(entry)}")
            continue
        name, query = entry.get("name"), entry.get("query")
        if isinstance(name, str) and name.strip():
            where = f"{where} ({name!r})"
        for extra in [field for field in entry if field not in SEARCH_FIELDS]:
            hint = _did_you_mean(extra, SEARCH_FIELDS)
            problems.append(f"{where}: unknown field {extra!r}{hint} is ignored")
        if name is None:
            problems.append(f"{where} has no name")
        elif not isinstance(name, str):
            problems.append(f"{where}: the name must be text in quotes, not {_kind(name)}")
        elif not name.strip():
            problems.append(f"{where} has an empty name")
        elif query is None:
            problems.append(f"{where} has no query")
        elif not isinstance(query, str):
            problems.append(f"{where}: the query must be text in quotes, not {_kind(query)}")
        elif name in seen:
            problems.append(f"{where}: another search before it has this name; this one is unused")
        else:
            seen.add(name)
            searches.append(SavedSearch(name=name, query=query))
    return tuple(searches)


def _header_lines(text: str) -> list[int]:
    """The line of each [[feeds]] header, so a problem can say where its entry starts."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if _FEEDS_HEADER.match(line)
    ]


def _read_feeds(
    value: Any, path: Path, problems: list[str], header_lines: list[int]
) -> tuple[FeedSubscription, ...]:
    if not isinstance(value, list):
        problems.append(f"{path}: feeds must be [[feeds]] tables with a url, not {_kind(value)}")
        return ()
    feeds: list[FeedSubscription] = []
    seen: set[str] = set()
    # Header lines are only trusted when there is one per entry: a header inside a multi-line
    # string, or entries written inline, would put a problem on the wrong line.
    lines = header_lines if len(header_lines) == len(value) else None
    for number, entry in enumerate(value, start=1):
        place = f"{path}, line {lines[number - 1]}" if lines else str(path)
        where = f"{place}: [[feeds]] entry {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a table with a url, not {_kind(entry)}")
            continue
        feed = _read_feed(entry, where, problems)
        if feed is None:
            continue
        key = feed_url_key(feed.url)
        if key in seen:
            problems.append(
                f"{where} ({feed.url!r}): another feed before it has this URL; this one is unused"
            )
            continue
        seen.add(key)
        feeds.append(feed)
    return tuple(feeds)


def _read_feed(entry: dict[str, Any], where: str, problems: list[str]) -> FeedSubscription | None:
    """One [[feeds]] table; None (with a problem) if its URL is unusable.

    A bad name, tag or fulltext choice is reported and left out, and the feed is still used:
    the URL is what matters, and dropping a subscription over a typo in a tag loses news.
    """
    from termnews.errors import TermnewsError

    url = entry.get("url")
    if isinstance(url, str) and url.strip():
        where = f"{where} ({url.strip()!r})"
    for extra in [field for field in entry if field not in FEED_FIELDS]:
        problems.append(
            f"{where}: unknown field {extra!r}{_did_you_mean(extra, FEED_FIELDS)} is ignored"
        )
    if url is None:
        problems.append(f"{where} has no url")
        return None
    if not isinstance(url, str):
        problems.append(f"{where}: the url must be text in quotes, not {_kind(url)}")
        return None
    try:
        url = check_feed_url(url)
    except TermnewsError as error:
        problems.append(f"{where}: {error}; this feed is unused")
        return None
    name = entry.get("name")
    if name is not None and not (isinstance(name, str) and name.strip()):
        problems.append(
            f"{where}: the name must be text in quotes, not {_kind(name)}; it is ignored"
        )
        name = None
    tags: tuple[str, ...] = ()
    raw_tags = entry.get("tags", [])
    if isinstance(raw_tags, str):
        raw_tags = [raw_tags]
    if not isinstance(raw_tags, list) or not all(isinstance(tag, str) for tag in raw_tags):
        problems.append(
            f'{where}: tags must be a list of names in quotes, such as ["world", "sport"], '
            f"not {_kind(raw_tags)}; they are ignored"
        )
    else:
        kept: list[str] = []
        for tag in raw_tags:
            try:
                kept.extend(check_feed_tags([tag]))
            except TermnewsError as error:
                problems.append(f"{where}: {error}; that tag is ignored")
        tags = tuple(dict.fromkeys(kept))
    fulltext = entry.get("fulltext", "auto")
    try:
        if not isinstance(fulltext, str):
            raise ValueError
        fulltext = check_fulltext(fulltext)
    except (TermnewsError, ValueError):
        problems.append(
            f'{where}: fulltext must be "auto", "always" or "never", not {_kind(fulltext)}; '
            '"auto" is used'
        )
        fulltext = "auto"
    return FeedSubscription(url=url, name=name, tags=tags, fulltext=fulltext)


def _read_fetch(value: Any, path: Path, problems: list[str], text: str) -> FetchSettings:
    from termnews.errors import TermnewsError

    if not isinstance(value, dict):
        problems.append(f"{path}: fetch must be a [fetch] table, not {_kind(value)}")
        return FetchSettings()
    for extra in [field for field in value if field not in FETCH_FIELDS]:
        hint = _did_you_mean(extra, FETCH_FIELDS)
        where = _place(path, _key_line(text, FETCH_TABLE, extra))
        problems.append(f"{where}: [fetch] unknown field {extra!r}{hint} is ignored")
    options: dict[str, Any] = {}
    archive = value.get("archive")
    if archive is not None:
        if isinstance(archive, str) and archive.strip():
            folder = Path(archive.strip()).expanduser()
            # A relative archive is relative to the config file, not to wherever termnews runs.
            options["archive"] = folder if folder.is_absolute() else path.parent / folder
        else:
            where = _place(path, _key_line(text, FETCH_TABLE, "archive"))
            problems.append(
                f"{where}: [fetch] archive must be a folder path in quotes, not {_kind(archive)}; "
                "the default is used"
            )
    every = value.get("every")
    if every is not None:
        where = _place(path, _key_line(text, FETCH_TABLE, "every"))
        try:
            if not isinstance(every, str):
                raise TypeError
            options["every_seconds"] = every_seconds(every)
            options["every"] = every.strip()
        except TypeError:
            problems.append(
                f'{where}: [fetch] every must be text in quotes such as "30m", not {_kind(every)}; '
                "it is ignored"
            )
        except TermnewsError as error:
            problems.append(f"{where}: [fetch] {error}; it is ignored")
    return FetchSettings(**options)


def _read_watch(value: Any, path: Path, problems: list[str], text: str) -> WatchSettings:
    if not isinstance(value, dict):
        problems.append(f"{path}: watch must be a [watch] table, not {_kind(value)}")
        return WatchSettings()
    for extra in [field for field in value if field not in WATCH_FIELDS]:
        hint = _did_you_mean(extra, WATCH_FIELDS)
        where = _place(path, _key_line(text, WATCH_TABLE, extra))
        problems.append(f"{where}: [watch] unknown field {extra!r}{hint} is ignored")
    poll = value.get("poll", False)
    if not isinstance(poll, bool):
        where = _place(path, _key_line(text, WATCH_TABLE, "poll"))
        problems.append(
            f"{where}: [watch] poll must be true or false, not {_kind(poll)}; it is ignored"
        )
        poll = False
    return WatchSettings(poll=poll)


def _place(path: Path, line: int | None) -> str:
    return f"{path}, line {line}" if line else str(path)


def _key_line(text: str, table: str, key: str) -> int | None:
    """The line of `key = ...` in the `[table]` section, or None (an inline table, say).

    A key in quotes is found too; a line inside a multi-line string could be mistaken for
    one only if it looks exactly like `key =`, which a problem's line number can live with.
    """
    header = re.compile(rf"\s*\[\s*(?:{table}|\"{table}\"|'{table}')\s*\]\s*(#.*)?$")
    entry = re.compile(rf"\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):
            inside = bool(header.match(line))
        elif inside and entry.match(line):
            return number
    return None


def _read_keys(value: Any, path: Path, problems: list[str]) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        problems.append(
            f"{path}: keys must be a [keys] table of action = key lines, not {_kind(value)}"
        )
        return {}
    keys: dict[str, tuple[str, ...]] = {}
    for action, bound in value.items():
        where = f"{path}: [keys] {action}"
        if isinstance(bound, str):
            texts = [bound]
        elif isinstance(bound, list) and all(isinstance(item, str) for item in bound):
            texts = bound
        else:
            problems.append(
                f'{where} must be a key in quotes or a list of them, such as "ctrl+r" or '
                f'["j", "down"], not {_kind(bound)}'
            )
            continue
        names: list[str] = []
        try:
            for text in texts:
                names.extend(name for name in normalize_keys(text) if name not in names)
        except KeyNameError as error:
            problems.append(f"{where}: {error}")
            continue
        keys[action] = tuple(names)
    return keys


def _kind(value: Any) -> str:
    """What a TOML value is, in words a person who wrote it would use."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return f"the date or time {value.isoformat()}"
    return type(value).__name__


def _did_you_mean(name: str, known: tuple[str, ...]) -> str:
    import difflib  # only when there is a problem to hint at

    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
