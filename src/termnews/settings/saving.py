"""Saving and removing searches and feeds by editing the config file as a person wrote it.

tomlkit keeps comments, blank lines, quoting and order, so the only change to the file is the
one entry. Three checks keep a person's file safe: it must parse with tomllib (the reader's
parser) before anything is written; tomlkit must give back exactly the text it read, or an
edit could move what the person wrote; and the new text, read with tomllib, must be exactly
the old settings with the one change, or nothing is written.
"""

from __future__ import annotations

import contextlib
import copy
import os
import tomllib
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Array, InlineTable, Table
from tomlkit.toml_document import TOMLDocument

from termnews.config import write_atomically
from termnews.settings.layout import append_entry, remove_entries
from termnews.settings.location import ConfigFileError, config_path, parse_config, read_config_text
from termnews.settings.model import FeedSubscription
from termnews.settings.reading import FEEDS_TABLE, SEARCHES_TABLE
from termnews.settings.subscriptions import (
    FeedSettingError,
    check_feed_tags,
    check_feed_url,
    check_fulltext,
    feed_url_key,
)


def save_search(name: str, query: str, path: Path | None = None) -> None:
    """Save `query` under `name`: a new [[searches]] entry, or the query of the one so named.

    The entry that is replaced is the first of that name, the one the reader uses. Raises
    ConfigFileError, leaving the file untouched, if the name is blank or the file cannot be
    read, parsed or edited without disturbing the rest of it.
    """
    path = _target(path)
    refusal = f"the search {name!r} was not saved"
    if not name.strip():
        raise ConfigFileError("a saved search needs a name that is not blank", path)
    document, settings = _load(path, refusal)
    expected = copy.deepcopy(settings)
    expected_searches = expected.setdefault(SEARCHES_TABLE, [])
    searches = _array_of(document, SEARCHES_TABLE, path, refusal)
    entry = None if searches is None else _first_named(searches, name)
    if entry is not None:
        entry["query"] = query
        next(item for item in expected_searches if _name_of(item) == name)["query"] = query
    else:
        expected_searches.append({"name": name, "query": query})
        append_entry(document, searches, SEARCHES_TABLE, {"name": name, "query": query})
    _write(document, path, expected, refusal)


def remove_search(name: str, path: Path | None = None) -> bool:
    """Remove every saved search called `name`; False (file untouched) if there was none."""
    path = _target(path)
    refusal = f"the search {name!r} was not removed"
    document, settings = _load(path, refusal)
    searches = _array_of(document, SEARCHES_TABLE, path, refusal)
    if searches is None:
        return False
    doomed = [index for index, entry in enumerate(searches) if _name_of(entry) == name]
    if not doomed:
        return False
    remove_entries(document, searches, SEARCHES_TABLE, doomed)
    expected = copy.deepcopy(settings)
    expected[SEARCHES_TABLE] = [item for item in expected[SEARCHES_TABLE] if _name_of(item) != name]
    if not expected[SEARCHES_TABLE]:
        del expected[SEARCHES_TABLE]
    _write(document, path, expected, refusal)
    return True


class DuplicateFeedError(FeedSettingError):
    """A feed is already subscribed to (its URL compared as `feed_url_key` does)."""


def add_feed(
    url: str,
    *,
    name: str | None = None,
    tags: tuple[str, ...] | list[str] = (),
    fulltext: str = "auto",
    path: Path | None = None,
) -> FeedSubscription:
    """Subscribe to `url`: a new [[feeds]] entry at the end of the others; what was added.

    Raises FeedSettingError (a bad URL, tag or fulltext), DuplicateFeedError, or
    ConfigFileError, each leaving the file untouched.
    """
    feed = FeedSubscription(
        url=check_feed_url(url),
        name=name.strip() if name and name.strip() else None,
        tags=check_feed_tags(tuple(tags)),
        fulltext=check_fulltext(fulltext),
    )
    add_feeds([feed], path=path)
    return feed


def add_feeds(feeds: list[FeedSubscription], *, path: Path | None = None) -> None:
    """Add several checked subscriptions in one edit of the file (an OPML import).

    All or nothing: any URL already subscribed to, or given twice, raises
    DuplicateFeedError and nothing is written. Callers that want to skip duplicates leave
    them out first (`Settings.feed`).
    """
    path = _target(path)
    what = f"the feed {feeds[0].url!r} was" if len(feeds) == 1 else f"the {len(feeds)} feeds were"
    refusal = f"{what} not added"
    if not feeds:
        return
    document, settings = _load(path, refusal)
    expected = copy.deepcopy(settings)
    expected_feeds = expected.setdefault(FEEDS_TABLE, [])
    if not isinstance(expected_feeds, list):
        raise ConfigFileError(
            f"{path}: feeds is not a list of [[feeds]] tables; {refusal} and the file is unchanged",
            path,
        )
    taken = {feed_url_key(url) for url in map(_url_of, expected_feeds) if isinstance(url, str)}
    array = _array_of(document, FEEDS_TABLE, path, refusal)
    for feed in feeds:
        key = feed_url_key(feed.url)
        if key in taken:
            raise DuplicateFeedError(f"{feed.url} is already subscribed to; {refusal}")
        taken.add(key)
        fields = _feed_fields(feed)
        expected_feeds.append(copy.deepcopy(fields))
        array = append_entry(document, array, FEEDS_TABLE, fields)
    _write(document, path, expected, refusal)


def remove_feed(url_or_name: str, path: Path | None = None) -> list[str]:
    """Unsubscribe from the feed with this URL, or else every feed so named; the URLs removed.

    A URL wins over a name, so a feed whose name is another feed's URL cannot be removed by
    mistake. An empty list means nothing matched and the file is untouched.
    """
    path = _target(path)
    refusal = f"the feed {url_or_name!r} was not removed"
    document, settings = _load(path, refusal)
    entries = _array_of(document, FEEDS_TABLE, path, refusal)
    if entries is None:
        return []
    urls = [_url_of(entry) for entry in entries]
    key = feed_url_key(url_or_name)
    doomed = [
        at for at, url in enumerate(urls) if isinstance(url, str) and feed_url_key(url) == key
    ]
    if not doomed:
        doomed = [at for at, entry in enumerate(entries) if _name_of(entry) == url_or_name]
    if not doomed:
        return []
    removed = [str(urls[at]) for at in doomed]
    remove_entries(document, entries, FEEDS_TABLE, doomed)
    expected = copy.deepcopy(settings)
    expected[FEEDS_TABLE] = [
        item for at, item in enumerate(expected[FEEDS_TABLE]) if at not in set(doomed)
    ]
    if not expected[FEEDS_TABLE]:
        del expected[FEEDS_TABLE]
    _write(document, path, expected, refusal)
    return removed


def _feed_fields(feed: FeedSubscription) -> dict[str, Any]:
    """The [[feeds]] lines for `feed`, leaving out what is the default."""
    fields: dict[str, Any] = {"url": feed.url}
    if feed.name:
        fields["name"] = feed.name
    if feed.tags:
        fields["tags"] = list(feed.tags)
    if feed.fulltext != "auto":
        fields["fulltext"] = feed.fulltext
    return fields


def _url_of(entry: Any) -> Any:
    return entry.get("url") if isinstance(entry, dict) else None


def _target(path: Path | None) -> Path:
    """The file to edit; through a symlink (a dotfiles checkout), so the link survives."""
    path = config_path() if path is None else path
    return path.resolve() if path.is_symlink() else path


def _load(path: Path, refusal: str) -> tuple[TOMLDocument, dict[str, Any]]:
    """(the file as a tomlkit document, as tomllib reads it); empty if there is no file."""
    try:
        text = read_config_text(path) or ""
        settings = parse_config(text, path)
    except ConfigFileError as error:
        raise ConfigFileError(f"{error}; {refusal} and the file is unchanged", path) from error
    try:
        document = tomlkit.parse(text)
        round_trip = tomlkit.dumps(document)
    except tomlkit.exceptions.TOMLKitError as error:
        # Python's own reader accepted the file; a disagreement is reported, not guessed at.
        raise ConfigFileError(
            f"{path}: cannot be edited safely ({error}); {refusal} and the file is unchanged",
            path,
        ) from error
    if round_trip != text:
        # tomlkit gathers [[searches]] (or [[feeds]]) entries that other tables split apart,
        # which would move what the person wrote; they can put the entries together instead.
        raise ConfigFileError(
            f"{path}: cannot be edited without moving what is in it (are the [[searches]] or "
            f"[[feeds]] entries split by another table? keep them together); {refusal} and the "
            "file is unchanged",
            path,
        )
    return document, settings


def _array_of(document: TOMLDocument, table: str, path: Path, refusal: str) -> AoT | Array | None:
    """The `table` array to edit, None if there is none; refuses a shape it cannot edit."""
    if table not in document:
        return None
    entries = document[table]
    if isinstance(entries, AoT):
        return entries
    if isinstance(entries, Array) and all(isinstance(item, InlineTable) for item in entries):
        return entries
    raise ConfigFileError(
        f"{path}: {table} is not a list of [[{table}]] tables; {refusal} and the file is unchanged",
        path,
    )


def _first_named(searches: AoT | Array, name: str) -> Table | InlineTable | None:
    return next((entry for entry in searches if _name_of(entry) == name), None)


def _name_of(entry: Any) -> Any:
    return entry.get("name") if isinstance(entry, dict) else None


def _write(document: TOMLDocument, path: Path, expected: dict[str, Any], refusal: str) -> None:
    """Replace the file with the edited document, if it reads back as exactly `expected`."""
    text = tomlkit.dumps(document)
    try:
        reads_back = tomllib.loads(text) == expected
    except tomllib.TOMLDecodeError:
        reads_back = False
    if not reads_back:
        raise ConfigFileError(
            f"{path}: the edit would not read back as asked; {refusal} and the file is unchanged",
            path,
        )
    mode = None
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode & 0o7777
    try:
        write_atomically(path, text.encode("utf-8"))
        if mode is not None:
            os.chmod(path, mode)
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise ConfigFileError(f"{path}: cannot be written ({reason}); {refusal}", path) from error
