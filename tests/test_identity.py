"""Content identity: one story keeps one identity however its file is moved or re-saved, and
different stories never share one. Every story here is invented."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from termnews.article import Article
from termnews.identity import (
    IDENTITY_HEX_DIGITS,
    OPENING_WORDS,
    normalised_url,
    normalised_words,
    opening_words,
    story_identity,
)
from termnews.parsing import parse_file

FERRY_STORY = """\
Île-Sainte-Odile ferry Marisol returns after a winter refit

By Odile Brassard, The Kestrel Courier on March 4, 2024.

GLENMORROW – The ferry Marisol is back on the crossing to Île-Sainte-Odile after six
weeks in the Orvelle dry dock, where crews replaced both engines and the café deck.

Captain Tamsin Vey said the new engines were quieter and would save the operator about
a fifth of its fuel bill. "The islanders noticed before we told them," Vey said.

Régis Aubertin, who runs the island's only hardware store, said deliveries had piled up
on the mainland wharf while the ship was away.

This report by The Kestrel Courier was first published March 4, 2024.
"""

LIBRARY_STORY = """\
Kestrel Bay library keeps its Saturday hours

By Nell Harrow, The Kestrel Courier on March 4, 2024.

KESTREL BAY – The town library will stay open on Saturdays after the council found
money in its parks budget, ending a month of petitions from parents and retirees.

Librarian Pernille Oakes said the reading room drew more people on Saturday than on any
two weekdays together.
"""


def write(folder: Path, name: str, text: str, *, newline: str = "\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def identity_of(path: Path) -> str:
    return story_identity(parse_file(path))


def trailing_spaces(text: str) -> str:
    return "\n".join(line + "  \t" if line else line for line in text.split("\n"))


def extra_blank_lines(text: str) -> str:
    return text.replace("\n\n", "\n\n\n\n")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


RESAVED = {
    "moved": lambda text: text,
    "crlf": lambda text: text,
    "trailing spaces": trailing_spaces,
    "extra blank lines": extra_blank_lines,
    "nfd accents": nfd,
    "all at once": lambda text: nfd(extra_blank_lines(trailing_spaces(text))),
}


@pytest.mark.parametrize("variant", sorted(RESAVED))
def test_a_resaved_or_moved_copy_keeps_its_identity(tmp_path: Path, variant: str) -> None:
    original = write(tmp_path / "archive", "2024-03-04-marisol-refit.txt", FERRY_STORY)
    newline = "\r\n" if variant in ("crlf", "all at once") else "\n"
    copy = write(
        tmp_path / "elsewhere" / "older",
        "marisol.TXT",
        RESAVED[variant](FERRY_STORY),
        newline=newline,
    )
    assert copy.read_bytes() != original.read_bytes() or variant == "moved"
    assert identity_of(copy) == identity_of(original)


def test_nfd_really_differs_from_nfc_on_disk(tmp_path: Path) -> None:
    """The NFD case above is only a test if the file's bytes hold combining marks."""
    assert "\u0301" in nfd(FERRY_STORY) and "\u0301" not in FERRY_STORY


def test_identity_is_32_lowercase_hex_digits(tmp_path: Path) -> None:
    identity = identity_of(write(tmp_path, "a.txt", FERRY_STORY))
    assert len(identity) == IDENTITY_HEX_DIGITS
    assert identity == identity.lower() and int(identity, 16) >= 0


def test_a_changed_tail_keeps_the_identity(tmp_path: Path) -> None:
    """Re-scrapes differ in what follows the opening words; the identity ignores that."""
    longer = FERRY_STORY.replace(
        "This report by",
        "Ferry schedules for the spring are posted at the Glenmorrow terminal.\n\nThis report by",
    )
    assert identity_of(write(tmp_path, "a.txt", FERRY_STORY)) == identity_of(
        write(tmp_path, "b.txt", longer)
    )


DIFFERENT = {
    "headline": lambda text: text.replace("after a winter refit", "after a spring refit"),
    "date": lambda text: text.replace("March 4, 2024.\n\nGLEN", "March 5, 2024.\n\nGLEN"),
    "opening words": lambda text: text.replace("is back on the crossing", "returned to the run"),
    "another story": lambda _text: LIBRARY_STORY,
}


@pytest.mark.parametrize("change", sorted(DIFFERENT))
def test_different_stories_have_different_identities(tmp_path: Path, change: str) -> None:
    changed = DIFFERENT[change](FERRY_STORY)
    assert changed != FERRY_STORY
    assert identity_of(write(tmp_path, "a.txt", FERRY_STORY)) != identity_of(
        write(tmp_path, "b.txt", changed)
    )


def test_two_briefs_with_one_headline_and_date_differ_by_their_bodies(tmp_path: Path) -> None:
    brief = "Weather\n\nBy Staff, The Kestrel Courier on June 2, 2025.\n\nORVELLE – {body}\n"
    morning = write(tmp_path, "a.txt", brief.format(body="Fog until noon, then sun over the bay."))
    evening = write(tmp_path, "b.txt", brief.format(body="Showers overnight and a cool wind."))
    first, second = parse_file(morning), parse_file(evening)
    assert (first.headline, first.published) == (second.headline, second.published)
    assert story_identity(first) != story_identity(second)


def test_only_the_day_of_the_date_counts() -> None:
    """A re-scrape may add or drop the time of day; the story is the same."""
    day = Article(path="a", headline="Tram line opens", published="2024-05-01", body="Riders.")
    timed = Article(
        path="b", headline="Tram line opens", published="2024-05-01T17:12:00", body="Riders."
    )
    assert story_identity(day) == story_identity(timed)


def test_only_the_opening_words_count() -> None:
    opening = " ".join(f"word{n}" for n in range(OPENING_WORDS))
    first = Article(path="a", headline="H", published="2024-01-01", body=opening + " tail one")
    second = Article(path="b", headline="H", published="2024-01-01", body=opening + " tail two")
    shorter = Article(path="c", headline="H", published="2024-01-01", body=opening[:-1])
    assert story_identity(first) == story_identity(second)
    assert story_identity(first) != story_identity(shorter)


# -- properties ------------------------------------------------------------------------------

WORDS = st.text(
    alphabet=st.characters(
        categories=("Lu", "Ll", "Nd", "Mn", "Zs", "Po", "Pd"), max_codepoint=0x36F
    ),
    max_size=40,
)
DATES = st.one_of(st.none(), st.dates().map(lambda day: day.isoformat()))


def normal_form(headline: str, published: str | None, body: str) -> tuple[object, ...]:
    """What the identity promises to depend on, and nothing else."""
    return (
        normalised_words(headline),
        (published or "")[:10],
        normalised_words(body)[:OPENING_WORDS],
    )


@settings(max_examples=300)
@given(WORDS, DATES, WORDS, WORDS, DATES, WORDS)
def test_distinct_stories_never_share_an_identity(
    headline_a: str,
    date_a: str | None,
    body_a: str,
    headline_b: str,
    date_b: str | None,
    body_b: str,
) -> None:
    first = Article(path="a.txt", headline=headline_a, published=date_a, body=body_a)
    second = Article(path="b.txt", headline=headline_b, published=date_b, body=body_b)
    same = normal_form(headline_a, date_a, body_a) == normal_form(headline_b, date_b, body_b)
    assert (story_identity(first) == story_identity(second)) == same


@settings(max_examples=200)
@given(WORDS, DATES, WORDS)
def test_layout_case_and_accent_form_never_count(
    headline: str, published: str | None, body: str
) -> None:
    original = Article(path="a.txt", headline=headline, published=published, body=body)
    resaved = Article(
        path="elsewhere/b.txt",
        headline=nfd(f"  {headline.upper()}  "),
        published=published,
        body=nfd(body.replace(" ", "\r\n  ")) + "\r\n\r\n",
    )
    assume(normalised_words(headline.upper()) == normalised_words(headline))
    assert story_identity(original) == story_identity(resaved)


@given(WORDS, WORDS)
def test_a_headline_word_cannot_slide_into_the_body(headline: str, body: str) -> None:
    """The parts are kept apart: moving a word across the boundary changes the identity."""
    words = normalised_words(headline)
    assume(words)
    first = Article(path="a", headline=headline, published="2024-01-01", body=body)
    moved = Article(
        path="b",
        headline=" ".join(words[:-1]),
        published="2024-01-01",
        body=f"{words[-1]} {body}",
    )
    assert story_identity(first) != story_identity(moved)


# -- stories with an address: the identity comes from the normalised URL ----------------------

LIBRARY = Article(
    path="library.txt",
    headline="Kestrel Bay library keeps its Saturday hours",
    published="2024-03-04",
    body="The town library will stay open on Saturdays.",
)


def test_a_story_without_an_address_keeps_the_identity_it_always_had() -> None:
    # The value the recipe gave before stories could carry a URL: marks made then stay valid.
    assert story_identity(LIBRARY) == "95539b05c6ac1f6050682424cee74232"


def test_a_corrected_entry_keeps_its_identity_through_its_address() -> None:
    first = replace(LIBRARY, url="https://courier.example/library-hours")
    corrected = replace(
        first,
        headline="Kestrel Bay library keeps Saturday hours after council vote",
        published="2024-03-05",
        body="Correction: the library will stay open on Saturday mornings only.",
    )
    assert story_identity(first) == story_identity(corrected)
    assert story_identity(first) != story_identity(LIBRARY)
    assert len(story_identity(first)) == IDENTITY_HEX_DIGITS
    assert all(ch in "0123456789abcdef" for ch in story_identity(first))


@pytest.mark.parametrize(
    ("written", "same_as"),
    [
        ("HTTPS://Courier.EXAMPLE/news/1", "https://courier.example/news/1"),
        ("http://courier.example/news/1", "https://courier.example/news/1"),
        ("https://courier.example:443/news/1", "https://courier.example/news/1"),
        ("https://courier.example/news/1#comments", "https://courier.example/news/1"),
        (
            "https://courier.example/news/1?utm_source=rss&utm_medium=feed",
            "https://courier.example/news/1",
        ),
        (
            "https://courier.example/news/1?id=4&UTM_Campaign=x&fbclid=abc",
            "https://courier.example/news/1?id=4",
        ),
        ("https://courier.example", "https://courier.example/"),
        ("  https://courier.example/news/1\n", "https://courier.example/news/1"),
    ],
)
def test_what_does_not_name_the_story_does_not_count(written: str, same_as: str) -> None:
    assert normalised_url(written) == normalised_url(same_as)
    assert story_identity(replace(LIBRARY, url=written)) == story_identity(
        replace(LIBRARY, url=same_as)
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://courier.example/news/1", "https://courier.example/news/2"),
        ("https://courier.example/News/1", "https://courier.example/news/1"),  # paths keep case
        ("https://courier.example/news?id=1", "https://courier.example/news?id=2"),
        ("https://courier.example/news?id=1&p=2", "https://courier.example/news?p=2&id=1"),
        ("https://courier.example:8443/news/1", "https://courier.example/news/1"),
        ("https://courier.example/news/1", "https://beacon.example/news/1"),
    ],
)
def test_different_addresses_are_different_stories(one: str, other: str) -> None:
    assert story_identity(replace(LIBRARY, url=one)) != story_identity(replace(LIBRARY, url=other))


@given(st.text(min_size=1, max_size=80))
def test_normalising_twice_changes_nothing(path: str) -> None:
    once = normalised_url(f"https://courier.example/{path}")
    assert normalised_url(once) == once


def test_a_file_with_a_source_line_takes_its_identity_from_the_address(tmp_path: Path) -> None:
    source = "\nSource: https://courier.example/ferry?utm_source=rss\n"
    original = write(tmp_path / "a", "ferry.txt", FERRY_STORY + source)
    updated = write(
        tmp_path / "b",
        "ferry.txt",
        FERRY_STORY.replace("returns after a winter refit", "is back after its refit") + source,
    )
    plain = write(tmp_path / "c", "ferry.txt", FERRY_STORY)
    assert identity_of(original) == identity_of(updated)
    assert identity_of(original) != identity_of(plain)


#: Long bodies mixing words, numbers, punctuation, accents and combining marks, so that the
#: 1,024-character start is cut at every kind of place.
LONG_PIECES = ["harbour", "Île", "e\u0301te\u0301", "ﬁnance", "3.5", "—", "…", "ß", "\u0301", "  "]
long_bodies = st.lists(
    st.one_of(st.sampled_from(LONG_PIECES), st.text(max_size=12)), min_size=50, max_size=400
).map(" ".join)


@settings(max_examples=200)
@given(long_bodies)
def test_opening_words_read_from_the_start_are_the_whole_bodys(body: str) -> None:
    assert opening_words(body) == normalised_words(body)[:OPENING_WORDS]
