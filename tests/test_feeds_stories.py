"""Fetched entries as wire-story files: the parser reads back what was written, file names are
safe, and writing never leaves half a file or a file outside the archive.

Every headline, name, outlet and address here is invented.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.feeds import stories
from termnews.feeds.stories import (
    MAX_SLUG,
    UnsafeStoryPathError,
    slugify,
    story_relpath,
    story_text,
    write_story,
)
from termnews.parsing import parse_bytes

# -- invented text with awkward characters ---------------------------------------------------

PLACES = ["Harbourview", "Kestrel", "Île-Sainte-Odile", "Orvelle", "Glenmorrow", "Québec-Nord"]
WORDS = [
    "harbour", "council", "vote", "seawall", "ferry", "café", "école", "naïve", "piñata",
    "crew", "spring", "wharf", "island", "rain", "déjà", "mayor", "tide", "7-2", "40%",
    "islanders'", "town's", "über", "façade", "co-op", "2024", "señora", "smørrebrød",
]  # fmt: skip
FIRST_NAMES = ["Ana", "Ben", "Régis", "Odile", "Tamsin", "Siân", "Jean-Luc", "Pernille", "Zoë"]
LAST_NAMES = ["Ruiz", "Holt", "Aubertin", "Brassard", "Vey", "Vasquez-Moreau", "Oakes", "Løvik"]
OUTLETS = ["The Kestrel Courier", "Harbourview Beacon", "Orvelle Daily Ledger"]

words = st.sampled_from(WORDS)
place = st.sampled_from(PLACES)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """A sentence with quotes, dashes and accents, starting with a capital and ending in a stop.

    Every sentence ends in punctuation: the parser joins a paragraph that starts in lower case
    to one left unfinished, as it must for double-spaced scrapes of wrapped text.
    """
    middle = draw(st.lists(words, min_size=2, max_size=10))
    if draw(st.booleans()):
        # Never right after the opening word: `Harbourview – 7-2 – ...` at the top of a story
        # is a title-case dateline (docs/format.md), and the parser rightly reads it as one.
        at = draw(st.integers(1, len(middle) - 1))
        middle[at] = draw(
            st.sampled_from(["“{}”", '"{}"', "‘{}’", "– {} –", "— {}", "({})"])
        ).format(middle[at])
    end = draw(st.sampled_from([".", "!", "?", ".”", '."', "…"]))
    return f"{draw(place)} {' '.join(middle)}{end}"


@st.composite
def plain_paragraph(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(sentence(), min_size=1, max_size=4)))


@st.composite
def look_alike(draw: st.DrawFn) -> str:
    """A paragraph that reads like a dateline, a byline or a date line."""
    kind = draw(st.sampled_from(["dateline", "byline", "date"]))
    if kind == "dateline":
        return f"{draw(place).upper()} – {draw(sentence())}"
    if kind == "byline":
        return f"By {draw(st.sampled_from(FIRST_NAMES))} {draw(st.sampled_from(LAST_NAMES))}"
    return "March 4, 2024"


@st.composite
def body_paragraphs(draw: st.DrawFn) -> list[str]:
    """Plain paragraphs, with look-alikes only from the fifth paragraph on and never last.

    The parser reads a dateline in the first four paragraphs as where the story starts (the
    paragraphs above it become the deck), hoists a byline from the first blocks into the header,
    and reads a date line right under the header as the header's date: that is what such a line
    means in a wire story, so the round trip cannot hold for them there. Further down they are
    body text, and that is what is tested.
    """
    opening = draw(st.lists(plain_paragraph(), min_size=1, max_size=4))
    if len(opening) < 4:
        return opening
    rest = draw(st.lists(st.one_of(plain_paragraph(), look_alike()), max_size=6))
    return [*opening, *rest, draw(plain_paragraph())]


@st.composite
def headline(draw: st.DrawFn) -> str:
    # Three words at least, opening with a place: a one- or two-word headline can read as a
    # site's section name or as chrome (`Comments`), and `By ...` as a byline.
    return f"{draw(place)} {' '.join(draw(st.lists(words, min_size=2, max_size=9)))}"


author = st.builds(
    lambda a, b: f"{a} {b}", st.sampled_from(FIRST_NAMES), st.sampled_from(LAST_NAMES)
)
moment = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.none()
) | st.datetimes(
    min_value=datetime(1990, 1, 2),
    max_value=datetime(2035, 12, 30),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))]),
)
address = st.builds(
    lambda host, path: f"https://{host}.example/{path}",
    st.sampled_from(["courier", "beacon", "news.ledger"]),
    st.text(alphabet="abcdefghij0123456789-_/?=&%.", max_size=30),
)


def parse(text: str):
    return parse_bytes(text.encode("utf-8"), "story.txt")


def as_published(when: datetime) -> str:
    """What the parser gives back: UTC, to the minute (a date line has no seconds)."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.replace(second=0, microsecond=0).isoformat()


@settings(max_examples=150, deadline=None)
@given(
    title=headline(),
    authors=st.lists(author, max_size=3, unique=True),
    published=st.none() | moment,
    paragraphs=body_paragraphs(),
    url=st.none() | address,
    site=st.sampled_from(["", *OUTLETS]),
)
def test_the_parser_reads_back_what_was_written(
    title: str,
    authors: list[str],
    published: datetime | None,
    paragraphs: list[str],
    url: str | None,
    site: str,
) -> None:
    text = story_text(
        headline=title,
        authors=tuple(authors),
        published=published,
        body="\n\n".join(paragraphs),
        url=url,
        site=site,
    )
    article = parse(text)
    assert article.headline == title
    assert article.authors == tuple(authors)
    assert article.published == (as_published(published) if published else None)
    assert article.body == "\n\n".join(paragraphs)
    assert article.url == url
    # The outlet is written only where the parser reads it back; it is never mangled.
    assert article.agency in (site, None)


def test_the_written_layout() -> None:
    text = story_text(
        headline="Harbourview council backs seawall plan",
        authors=("Ana Ruiz", "Ben Holt"),
        published=datetime(2024, 3, 4, 12, 12, 33, tzinfo=timezone(timedelta(hours=-5))),
        body="Councillors voted 7-2.\n\nThe work starts in spring.",
        url="https://beacon.example/seawall",
        site="The Harbourview Beacon",
    )
    assert parse(text).agency == "The Harbourview Beacon"
    assert text == (
        "Harbourview council backs seawall plan\n"
        "By Ana Ruiz and Ben Holt, The Harbourview Beacon\n"
        "Published 2024-03-04 17:12 UTC\n\n"
        "Councillors voted 7-2.\n\n"
        "The work starts in spring.\n\n"
        "Source: https://beacon.example/seawall\n"
    )


@pytest.mark.parametrize(
    "authors", [("newsroom@beacon.example",), ("Beacon Staff, Wire Desk",), ("???",)]
)
def test_an_author_field_the_parser_cannot_read_is_left_out_not_made_body(
    authors: tuple[str, ...],
) -> None:
    body = "Councillors voted 7-2 on Thursday.\n\nThe work starts in spring."
    article = parse(
        story_text(
            headline="Harbourview council backs seawall plan",
            authors=authors,
            published=None,
            body=body,
            url=None,
            site="",
        )
    )
    assert article.body == body
    assert article.headline == "Harbourview council backs seawall plan"


def test_control_characters_and_odd_addresses_are_cleaned() -> None:
    text = story_text(
        headline="Harbour\x1b[31m vote\ttonight\n",
        authors=(),
        published=None,
        body="Councillors \x07voted.\n\n\n\nThe work\nstarts in spring.",
        url="https://beacon.example/a story\x00",
        site="",
    )
    assert "\x1b" not in text and "\x07" not in text and "\x00" not in text
    article = parse(text)
    assert article.headline == "Harbour vote tonight"
    assert article.body == "Councillors voted.\n\nThe work starts in spring."
    assert article.url == "https://beacon.example/a%20story"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "https://", ""])
def test_an_address_that_is_not_http_gets_no_source_line(url: str) -> None:
    text = story_text(
        headline="Harbourview council backs seawall plan",
        authors=(),
        published=None,
        body="Councillors voted.",
        url=url,
        site="",
    )
    assert "Source:" not in text
    assert parse(text).url is None


# -- file names -------------------------------------------------------------------------------


@given(st.text())
def test_slugs_are_always_safe_names(name: str) -> None:
    slug = slugify(name)
    assert slug
    assert len(slug) <= MAX_SLUG
    assert ".." not in slug and "/" not in slug and "\\" not in slug and "\x00" not in slug
    assert all(ch.isprintable() and not ch.isspace() for ch in slug)
    assert slug not in (".", "..")
    assert slugify(slug) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Île-Sainte-Odile ferry returns", "ile-sainte-odile-ferry-returns"),
        ("../../etc/passwd", "etc-passwd"),
        ("“Quotes” – and — dashes!", "quotes-and-dashes"),
        ("", "untitled"),
        ("???", "untitled"),
        ("CON", "con_"),
        ("Straße", "strasse"),
    ],
)
def test_slug_examples(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_long_names_are_cut_at_a_word() -> None:
    slug = slugify("Harbourview council backs the seawall plan after ten years of debate")
    assert slug == "harbourview-council-backs-the-seawall-plan-after-ten-years"


def test_story_paths() -> None:
    when = datetime(2024, 3, 4, 17, 12)
    path = story_relpath("Kestrel Courier", when, "tag:courier,2024:1", "Ferry returns")
    assert path.parts[:4] == ("feeds", "kestrel-courier", "2024", "03")
    assert path.name.startswith("ferry-returns-") and path.suffix == ".txt"
    assert len(path.stem.rsplit("-", 1)[1]) == 8
    other = story_relpath("Kestrel Courier", when, "tag:courier,2024:2", "Ferry returns")
    assert other != path
    assert story_relpath("Kestrel Courier", None, "k").parts[:3] == (
        "feeds",
        "kestrel-courier",
        "undated",
    )
    assert story_relpath("../..", when, "k").parts[1] == "untitled"


# -- writing ----------------------------------------------------------------------------------


def test_write_story_creates_folders_and_replaces_whole(tmp_path: Path) -> None:
    archive = tmp_path / "news"
    rel = PurePosixPath("feeds/courier/2024/03/ferry-0a1b2c3d.txt")
    written = write_story(archive, rel, "First version\n")
    assert written == archive.resolve() / rel
    assert written.read_text(encoding="utf-8") == "First version\n"
    write_story(archive, rel, "Corrected version\n")
    assert written.read_text(encoding="utf-8") == "Corrected version\n"
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name]


def test_write_story_goes_through_a_temporary_file_and_a_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = PurePosixPath("feeds/courier/ferry.txt")
    target = write_story(tmp_path, rel, "Old text\n")
    renames: list[tuple[str, str]] = []

    def failing_replace(source: str | os.PathLike[str], dest: str | os.PathLike[str]) -> None:
        renames.append((str(source), str(dest)))
        raise OSError("disk full")

    monkeypatch.setattr(stories.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_story(tmp_path, rel, "New text that never lands\n")
    (source, dest), *_ = renames
    assert dest == str(target) and Path(source).parent == target.parent and source != dest
    # The story is whole (the old one), and the temporary file is gone.
    assert target.read_text(encoding="utf-8") == "Old text\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


@pytest.mark.parametrize(
    "rel", ["../outside.txt", "/tmp/outside.txt", "feeds/../../outside.txt", "", "feeds/a\x00.txt"]
)
def test_write_story_refuses_paths_that_leave_the_archive(tmp_path: Path, rel: str) -> None:
    archive = tmp_path / "news"
    with pytest.raises(UnsafeStoryPathError):
        write_story(archive, rel, "text\n")
    assert not (tmp_path / "outside.txt").exists()


def test_write_story_refuses_a_folder_that_links_out(tmp_path: Path) -> None:
    archive, outside = tmp_path / "news", tmp_path / "elsewhere"
    archive.mkdir()
    outside.mkdir()
    (archive / "feeds").symlink_to(outside)
    with pytest.raises(UnsafeStoryPathError, match="outside the archive"):
        write_story(archive, "feeds/courier/2024/ferry.txt", "text\n")
    assert list(outside.iterdir()) == []  # nothing was created on the far side


def test_write_story_refuses_a_file_that_links_out(tmp_path: Path) -> None:
    archive, outside = tmp_path / "news", tmp_path / "victim.txt"
    (archive / "feeds").mkdir(parents=True)
    outside.write_text("keep me\n", encoding="utf-8")
    (archive / "feeds" / "ferry.txt").symlink_to(outside)
    with pytest.raises(UnsafeStoryPathError):
        write_story(archive, "feeds/ferry.txt", "text\n")
    assert outside.read_text(encoding="utf-8") == "keep me\n"


def test_a_link_that_stays_inside_the_archive_is_fine(tmp_path: Path) -> None:
    archive = tmp_path / "news"
    (archive / "real").mkdir(parents=True)
    (archive / "feeds").symlink_to(archive / "real")
    written = write_story(archive, "feeds/ferry.txt", "text\n")
    assert (archive / "real" / "ferry.txt").read_text(encoding="utf-8") == "text\n"
    assert written.exists()


def test_an_archive_reached_through_a_link_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "news").symlink_to(tmp_path / "real")
    write_story(tmp_path / "news", "feeds/ferry.txt", "text\n")
    assert (tmp_path / "real" / "feeds" / "ferry.txt").exists()
