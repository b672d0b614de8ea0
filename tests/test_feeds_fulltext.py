"""Full-text extraction: charset decoding, the worker's timeout and restart, boilerplate left out.

Pages are generated: invented news articles about invented places and people, wrapped in the
navigation, adverts, cookie banners, newsletter boxes and footers of a news site.

The worker runs in another process, so no monkeypatch reaches it; tests that need a page to
hang or crash the worker name a function of this module as the worker's target.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from termnews.feeds.fulltext import (
    FullTextExtractor,
    decode_html,
    extract_text,
    extract_with_trafilatura,
    page_text,
    tidy_paragraphs,
    without_headline,
)

HANG_MARKER = "HANG-THE-WORKER"
CRASH_MARKER = "CRASH-THE-WORKER"
GREEDY_MARKER = "EAT-ALL-THE-MEMORY"
URL = "https://gazette.example/2026/12/harbour-vote"


# -- worker targets (run in the worker process, imported there by module name) -----------------


def misbehave_on_marker(html: str, url: str) -> str | None:
    """Hangs or dies on a page carrying a marker; extracts any other page normally."""
    if HANG_MARKER in html:
        while True:
            time.sleep(60)
    if CRASH_MARKER in html:
        os._exit(3)
    if GREEDY_MARKER in html:
        return str(len(bytearray(1024 * 1024 * 1024)))
    return extract_with_trafilatura(html, url)


def target(name: str) -> str:
    return f"{__name__}:{name}"


# -- invented pages -----------------------------------------------------------------------------

PLACES = ["Port Averill", "Lake Brennoch", "Castelmarre", "Osterwick", "Valdoria", "Skarnholm"]
PEOPLE = ["Mira Tolvanen", "Abel Quennec", "Dara Fenwright", "Ilse Marrow", "Tomas Ebberly"]
BODIES = ["harbour council", "regional transit board", "water authority", "school trust"]
TOPICS = ["ferry timetable", "flood barrier", "night bus route", "library extension", "fish market"]
SENTENCES = [
    "The {body} of {place} voted on Tuesday to review the {topic}, after months of complaints "
    "from residents who say the current plan leaves them worse off.",
    "{person}, who has chaired the {body} since the spring, said the decision was overdue and "
    "promised a public meeting before the end of the month.",
    "Traders near the old quay in {place} said the {topic} had cost them customers, and several "
    "signed a letter asking for a fresh survey of the district.",
    "Officials in {other} are watching closely, since a similar {topic} was shelved there two "
    "years ago for lack of money.",
    "According to figures published by the {body}, costs rose by a third over the winter, "
    "mostly because of repairs that had been put off for a decade.",
    "{person} said the next step would be a consultation open to everyone in {place} and the "
    "villages around it, with results expected in the new year.",
    "Not everyone agrees: a group of residents in {other} argues that the {topic} should wait "
    "until the {body} has settled its budget.",
]
BOILERPLATE = [
    "We use cookies to improve your experience",
    "Accept all cookies",
    "Sign up for the Morning Tide newsletter",
    "Most read this week",
    "All rights reserved",
    "Privacy policy",
    "Advertisement",
    "Share this story",
]
NAV_SECTIONS = ["Home", "Local", "Region", "Business", "Sport", "Culture", "Weather", "Opinion"]


@dataclass(frozen=True)
class Page:
    html: str
    headline: str
    paragraphs: tuple[str, ...]


def invented_page(seed: int, *, charset: str = "utf-8", extra_body: str = "") -> Page:
    """A news site's article page: 5-10 paragraphs amid the site's boilerplate."""
    rng = random.Random(seed)

    def paragraph() -> str:
        words = {
            "place": rng.choice(PLACES),
            "other": rng.choice(PLACES),
            "person": rng.choice(PEOPLE),
            "body": rng.choice(BODIES),
            "topic": rng.choice(TOPICS),
        }
        chosen = rng.sample(SENTENCES, rng.randint(2, 4))
        return " ".join(sentence.format(**words) for sentence in chosen)

    paragraphs = tuple(paragraph() for _ in range(rng.randint(5, 10)))
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    headline = f"{place} reopens the debate over its {topic}"
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in NAV_SECTIONS)
    most_read = "".join(
        f'<li><a href="/story/{n}">{rng.choice(PLACES)} weighs a new {rng.choice(TOPICS)}</a></li>'
        for n in range(5)
    )
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>{headline} | The Averill Gazette</title>
<meta property="og:title" content="{headline}">
<style>.ad-slot {{ min-height: 250px }} nav li {{ display: inline }}</style>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"section": "local"}});</script>
</head><body>
<div class="cookie-banner" id="consent"><p>{BOILERPLATE[0]}. Read our
<a href="/privacy">cookie notice</a>.</p><button>{BOILERPLATE[1]}</button></div>
<header class="site-header"><a class="logo" href="/">The Averill Gazette</a>
<nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q"><button>Search</button></form></header>
<div class="ad-slot ad-top"><span>{BOILERPLATE[6]}</span></div>
<main><article class="story">
<h1>{headline}</h1>
<p class="byline">By {rng.choice(PEOPLE)} in {place}</p>
<time datetime="2026-11-3{seed % 2}">30 November 2026</time>
<div class="share"><span>{BOILERPLATE[7]}</span> <a href="#">Post</a> <a href="#">Mail</a></div>
<div class="story-body">
{body}
{extra_body}
</div></article>
<aside class="most-read"><h2>{BOILERPLATE[3]}</h2><ol>{most_read}</ol></aside>
<div class="newsletter"><h3>{BOILERPLATE[2]}</h3><p>Every weekday at seven.</p>
<input type="email"><button>Subscribe</button></div>
</main>
<div class="ad-slot ad-bottom"><span>{BOILERPLATE[6]}</span></div>
<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/privacy">{BOILERPLATE[5]}</a></li></ul>
<p>© 2026 The Averill Gazette. {BOILERPLATE[4]}.</p></footer>
</body></html>
"""
    return Page(html, headline, paragraphs)


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> Iterator[FullTextExtractor]:
    with FullTextExtractor() as shared:
        yield shared


# -- extraction ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_article_paragraphs_are_kept_and_the_boilerplate_dropped(
    extractor: FullTextExtractor, seed: int
) -> None:
    page = invented_page(seed)
    text = extractor.extract_text(page.html.encode("utf-8"), URL)
    assert text is not None
    extracted = text.split("\n\n")
    for paragraph in page.paragraphs:
        assert paragraph in extracted
    assert page.headline not in extracted  # the story file carries it already
    for phrase in [*BOILERPLATE, *NAV_SECTIONS[1:]]:
        assert phrase not in text


WESTERN = "Café Mérot’s owner, Élodie Varenne, has seen it all."
CENTRAL = "Żaneta Wrzosówna’s bakery in Świeradz opened at dawn."


@pytest.mark.parametrize(
    ("declaration", "codec", "sentence"),
    [
        ('<meta charset="windows-1252">', "cp1252", WESTERN),
        # Read as windows-1252, as browsers do: ’ is 0x92, which latin-1 leaves undefined.
        ('<meta charset="ISO-8859-1">', "cp1252", WESTERN),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            "cp1252",
            WESTERN,
        ),
        # Not the fallback encoding: only the declaration can decode this one right.
        ('<meta charset="windows-1250">', "cp1250", CENTRAL),
    ],
)
def test_a_page_in_a_legacy_charset_declared_by_its_meta_decodes_right(
    extractor: FullTextExtractor, declaration: str, codec: str, sentence: str
) -> None:
    page = invented_page(4, extra_body=f"<p>{sentence}</p>")
    html = page.html.replace('<meta charset="utf-8">', declaration)
    text = extractor.extract_text(html.encode(codec), URL)
    assert text is not None
    assert sentence in text.split("\n\n")


def test_the_http_charset_wins_over_the_page_and_a_bom_over_both() -> None:
    html = '<html><head><meta charset="utf-8"></head><body><p>Mérot’s</p></body></html>'
    assert "Mérot’s" in decode_html(html.encode("cp1252"), "text/html; charset=windows-1252")
    bommed = "\ufeff" + html.replace("utf-8", "windows-1252")
    assert "Mérot’s" in decode_html(bommed.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert "Mérot’s" in decode_html(bommed.encode("utf-16-le"))


def test_a_page_declared_latin_1_but_saved_as_utf_8_is_read_as_utf_8() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Mérot’s</p></body></html>'
    assert "<p>Mérot’s</p>" in decode_html(html.encode("utf-8"))


def test_an_xml_declaration_names_the_encoding_and_is_removed() -> None:
    xhtml = '<?xml version="1.0" encoding="windows-1252"?>\n<html><body><p>Café</p></body></html>'
    decoded = decode_html(xhtml.encode("cp1252"))
    assert decoded.startswith("\n<html>")
    assert "Café" in decoded


def test_a_page_naming_a_codec_that_is_not_a_text_encoding_is_read_as_utf_8() -> None:
    html = '<html><head><meta charset="zlib"></head><body><p>Mérot</p></body></html>'
    assert "Mérot" in decode_html(html.encode("utf-8"))


CP1252_TEXT = st.text(
    alphabet=st.characters(
        codec="cp1252", exclude_categories=("Cc", "Cs"), exclude_characters="<>"
    ),
    max_size=80,
)


@given(CP1252_TEXT)
def test_any_windows_1252_text_declared_by_meta_round_trips(text: str) -> None:
    html = f'<html><head><meta charset="windows-1252"></head><body><p>{text}</p>'
    encoded = html.encode("cp1252")
    # The one exception, on purpose: bytes that are also valid UTF-8 are read as UTF-8.
    assume(encoded.isascii() or not _valid_utf8(encoded))
    assert decode_html(encoded) == html


@given(st.text(max_size=200), st.integers(min_value=0, max_value=800))
def test_a_utf_8_page_cut_anywhere_decodes_without_replacement_characters(
    text: str, cut: int
) -> None:
    html = f'<html><head><meta charset="utf-8"></head><body><p>{text}</p>'
    assume("\ufffd" not in text)
    decoded = decode_html(html.encode("utf-8")[:cut])
    assert "\ufffd" not in decoded
    assert html.startswith(decoded)


@given(st.binary(max_size=2000), st.sampled_from(["", "text/html; charset=zlib", "x; charset="]))
def test_any_bytes_decode_without_raising(content: bytes, content_type: str) -> None:
    text = page_text(content, content_type)
    assert text is None or not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)


def test_a_hanging_page_is_killed_at_the_timeout_and_the_next_page_extracts() -> None:
    hanging = invented_page(5, extra_body=f"<p>{HANG_MARKER}</p>")
    crashing = invented_page(6, extra_body=f"<p>{CRASH_MARKER}</p>")
    normal = invented_page(7)
    with FullTextExtractor(timeout_s=1.0, target=target("misbehave_on_marker")) as misbehaving:
        assert misbehaving.extract_text(hanging.html.encode(), URL) is None
        assert misbehaving.timeouts == 1
        text = misbehaving.extract_text(normal.html.encode(), URL)
        assert text is not None and normal.paragraphs[0] in text
        assert misbehaving.extract_text(crashing.html.encode(), URL) is None
        text = misbehaving.extract_text(normal.html.encode(), URL)
        assert text is not None and normal.paragraphs[-1] in text
        assert misbehaving.worker_starts == 3
        assert misbehaving.problem is None


def test_a_page_that_needs_more_memory_than_the_cap_gets_none_and_the_next_extracts() -> None:
    greedy = invented_page(12, extra_body=f"<p>{GREEDY_MARKER}</p>")
    normal = invented_page(13)
    with FullTextExtractor(
        target=target("misbehave_on_marker"), max_memory_bytes=512 * 1024 * 1024
    ) as capped:
        assert capped.extract_text(greedy.html.encode(), URL) is None
        text = capped.extract_text(normal.html.encode(), URL)
        assert text is not None and normal.paragraphs[0] in text


def test_oversize_input_is_cut_at_max_bytes() -> None:
    page = invented_page(8, extra_body="<p>" + "Padding sentence of the harbour story. " * 400)
    tail = "The last paragraph, about the Skarnholm lighthouse keeper, lies beyond the cut."
    html = page.html.replace("</div></article>", f"<p>{tail}</p></div></article>")
    max_bytes = html.index(tail)
    text = extract_text(html.encode("utf-8"), URL, max_bytes=max_bytes)
    assert text is not None
    assert page.paragraphs[0] in text
    assert "Skarnholm lighthouse" not in text


@pytest.mark.parametrize(
    "content",
    [
        b"",
        bytes(random.Random(9).getrandbits(8) for _ in range(20000)),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + b"\x00" * 500,
        b"\x00<\x00h\x00t\x00m\x00l\x00>" * 300,
        b"Just a line of plain text with no markup at all.",
        b"<<<<>>>>\x01\x02<html" * 50,
    ],
    ids=["empty", "random", "png", "pdf", "utf16-without-bom", "plain-text", "controls"],
)
def test_garbage_gets_none_without_starting_a_worker(content: bytes) -> None:
    extractor = FullTextExtractor()
    assert extractor.extract_text(content, URL) is None
    assert extractor.worker_starts == 0


def test_a_worker_that_cannot_start_says_why_and_is_not_retried() -> None:
    with FullTextExtractor(target="termnews_no_such_module:extract") as broken:
        page = invented_page(10).html.encode()
        assert broken.extract_text(page, URL) is None
        assert broken.extract_text(page, URL) is None
        assert broken.worker_starts == 1
        assert broken.problem is not None and "termnews_no_such_module" in broken.problem


def test_pages_from_several_threads_each_get_their_own_article(
    extractor: FullTextExtractor,
) -> None:
    pages = [invented_page(seed) for seed in range(20, 26)]
    results: dict[int, str | None] = {}

    def extract(index: int) -> None:
        results[index] = extractor.extract_text(pages[index].html.encode(), URL)

    threads = [threading.Thread(target=extract, args=(i,)) for i in range(len(pages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index, page in enumerate(pages):
        text = results[index]
        assert text is not None and text.split("\n\n")[-1] == page.paragraphs[-1]


def test_the_extractor_can_be_used_again_after_close(extractor: FullTextExtractor) -> None:
    page = invented_page(11)
    extractor.close()
    text = extractor.extract_text(page.html.encode(), URL)
    assert text is not None and page.paragraphs[0] in text


# -- tidying the text ---------------------------------------------------------------------------


def test_tidy_paragraphs_joins_lines_as_paragraphs_and_strips_terminal_escapes() -> None:
    raw = "First  line\twith   gaps\r\n\n\x1b[31mRed\x1b[0m second\x07\n\x1b]0;title\x07Third\n \n"
    assert tidy_paragraphs(raw) == "First line with gaps\n\nRed second\n\nThird"


@given(st.text())
def test_tidy_paragraphs_leaves_no_controls_and_no_empty_paragraphs(raw: str) -> None:
    tidied = tidy_paragraphs(raw)
    if tidied is None:
        return
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", tidied)
    for paragraph in tidied.split("\n\n"):
        assert paragraph and paragraph == paragraph.strip() and "\n" not in paragraph


def test_tidy_paragraphs_of_nothing_is_none() -> None:
    assert tidy_paragraphs(" \n\t\n\x1b[0m") is None


@pytest.mark.parametrize(
    "html",
    [
        "<title>Ferry vote &amp; the quay | The Averill Gazette</title>",
        "<title>The Averill Gazette</title><h1 class=x>Ferry <em>vote</em> &amp;\n the quay</h1>",
        "<meta property='og:title' content='Ferry vote &amp; the quay'>",
        '<meta property="og:title" content="FERRY VOTE &amp; THE QUAY">',
    ],
)
def test_a_first_paragraph_that_is_the_page_headline_is_dropped(html: str) -> None:
    text = "Ferry vote & the quay\n\nThe harbour council met."
    assert without_headline(text, html) == "The harbour council met."
    assert without_headline("Ferry vote & the quay", html) is None


@pytest.mark.parametrize(
    "html",
    [
        "<title>Ferry vote & the quay turns sour</title>",
        "<h1>Something else</h1><p>Ferry vote & the quay</p>",
        "",
    ],
)
def test_a_first_paragraph_that_only_resembles_the_headline_stays(html: str) -> None:
    text = "Ferry vote & the quay\n\nThe harbour council met."
    assert without_headline(text, html) == text


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
