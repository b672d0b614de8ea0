"""Where a new [[searches]] or [[feeds]] entry goes, and what becomes of the lines around a
removed one.

tomlkit files the blank lines and comments that follow an entry's last value under that entry,
though a person wrote them about whatever comes next: in

    [[searches]]
    name = "Velmora grain"
    query = "headline:wheat"

    # Keys below.
    [keys]

"# Keys below." belongs to [keys]. So these edits treat an entry's trailing material from its
first blank line on as "between" material that stays in place: a new entry goes in before it,
and a removed entry hands it on. Comments with no blank line before them stay with the entry.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, Comment, Item, Key, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

BodyItem = tuple[Key | None, Item]


def append_entry(
    document: TOMLDocument, searches: AoT | Array | None, table: str, fields: dict[str, Any]
) -> AoT | Array:
    """Add a new entry after the last one of `table`, or at the end of the file; the array.

    The array is returned so that several entries can be added in one edit (a feed import):
    a new array of tables only exists in the document once the first entry is added.
    """
    if isinstance(searches, Array):
        inline = tomlkit.inline_table()
        inline.update(fields)
        searches.append(inline)
        return searches
    entry = tomlkit.table()
    for key, value in fields.items():
        entry.add(key, value)
    if searches is None:
        text = tomlkit.dumps(document)
        if text.strip() and not text.endswith("\n\n"):
            entry.trivia.indent = "\n"  # a blank line before the new [[searches]] header
        searches = tomlkit.aot()
        document.append(table, searches)
        searches.append(entry)
        return document[table]
    # What separated the last entry from what follows now separates the new one from it.
    entry.value.body.extend(_take_between(searches[-1]))
    if not _ends_with_blank_line(searches):
        entry.trivia.indent = "\n"
    searches.append(entry)
    return searches


def _ends_with_blank_line(entries: AoT) -> bool:
    """Whether the array's text ends with a blank line, read from its last entry alone: the
    whole array's text costs time in proportion to its length, once per entry added, which
    an import of hundreds of feeds would feel."""
    last = entries[-1].as_string()
    return last.endswith("\n\n") if last else entries.as_string().endswith("\n\n")


def remove_entries(
    document: TOMLDocument, searches: AoT | Array, table: str, doomed: list[int]
) -> None:
    """Remove the entries at `doomed`, keeping the material between entries in its place."""
    for index in sorted(doomed, reverse=True):
        if isinstance(searches, Array):  # inline tables: nothing but the entry to take out
            del searches[index]
            continue
        between = _take_between(searches[index])
        del searches[index]
        if index < len(searches):
            # A comment above the next entry's header is about that entry: keep it there.
            following = searches[index]
            following.trivia.indent = _comments(between) + following.trivia.indent
        elif index > 0:
            # The last entry went: what followed it now follows the one before, in place of
            # what separated the two.
            previous = searches[index - 1]
            _take_between(previous)
            previous.value.body.extend(between)
        else:
            _give_to_next_table(document, table, between)
    if len(searches) == 0:
        # An emptied array of tables would be written back as `searches = []` at the top.
        del document[table]


def _take_between(entry: Table) -> list[BodyItem]:
    """Remove and return the entry's trailing material from its first blank line on."""
    body = entry.value.body
    last_value = max((at for at, (key, _) in enumerate(body) if key is not None), default=-1)
    start = next(
        (at for at in range(last_value + 1, len(body)) if isinstance(body[at][1], Whitespace)),
        len(body),
    )
    between = body[start:]
    del body[start:]
    return between


def _comments(items: list[BodyItem]) -> str:
    return "".join(item.as_string() for _, item in items if isinstance(item, Comment))


def _give_to_next_table(document: TOMLDocument, table: str, between: list[BodyItem]) -> None:
    """Comments left by the last entry of an array that is going away go to what follows it."""
    comments = [(key, item) for key, item in between if isinstance(item, Comment)]
    if not comments:
        return
    after = document.body[_place_of(document, table) + 1 :]
    following = next((item for _, item in after if isinstance(item, Table | AoT)), None)
    if isinstance(following, AoT) and len(following) > 0:
        following = following[0]
    if isinstance(following, Table):
        following.trivia.indent = _comments(comments) + following.trivia.indent
    else:
        # Nothing follows: the comments end the file, as they did. Appending at the end of
        # the body shifts no key's place in tomlkit's index of it.
        document.body.extend(comments)


def _place_of(document: TOMLDocument, table: str) -> int:
    return next(at for at, (key, _) in enumerate(document.body) if key and key.key == table)
