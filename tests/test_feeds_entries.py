"""Feed bytes to clean entries: RSS and Atom, bad charsets, broken feeds and hostile text.

Every feed here is invented (fictional papers, people and places).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from termnews.feeds.entries import (
    MAX_LINE_CHARS,
    UNTITLED,
    FeedEntry,
    ParsedFeed,
    clean_line,
    clean_text,
    decode_feed,
    html_to_text,
    parse_feed,
    web_link,
)
from termnews.feeds.http import Fetcher, FetchLimits

FEED_URL = "http://news.quillby.test/feed.xml"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Quillby Harbour Gazette</title>
  <link>http://news.quillby.test/</link>
  <item>
    <title>Ferry timetable &amp; fares change at Quillby</title>
    <link>/2026/12/ferry</link>
    <guid isPermaLink="false">quillby-ferry-2026-12</guid>
    <description>&lt;p&gt;Short teaser.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>The ferry to Ostrel Isle will sail <b>hourly</b>.</p>
      <script>alert("no")</script>
      <p>Fares rise by two marks.<br>Season tickets are unchanged.</p>]]></content:encoded>
    <pubDate>Tue, 01 Dec 2026 10:30:00 +0200</pubDate>
    <dc:creator>Maren Tollby</dc:creator>
    <category>Transport</category>
    <category>Quillby</category>
  </item>
  <item>
    <title>Lighthouse reopens</title>
    <link>http://news.quillby.test/2026/11/lighthouse</link>
    <description>&lt;p&gt;The keeper, Ilse Varn, lit the lamp again.&lt;/p&gt;</description>
    <pubDate>Mon, 30 Nov 2026 18:00:00 GMT</pubDate>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">The &lt;i&gt;Ostrel&lt;/i&gt; Courier</title>
  <link rel="alternate" href="http://ostrel.test/"/>
  <id>urn:uuid:ostrel-courier</id>
  <updated>2026-12-01T09:00:00Z</updated>
  <entry>
    <id>urn:uuid:ostrel-1</id>
    <title>Market square repaved</title>
    <link rel="alternate" href="http://ostrel.test/market"/>
    <updated>2026-12-01T09:00:00+01:00</updated>
    <author><name>Tomas Brell</name></author>
    <author><name>Ada Quist</name></author>
    <category term="town" label="Town news"/>
    <summary>Cobbles return.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <p>Cobbles return to the square.</p><p>Stalls move for a week.</p></div></content>
  </entry>
</feed>
"""


def rss_with_items(*items: str, channel_title: str = "Quillby Post") -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{channel_title}</title>{body}</channel></rss>"
    ).encode()


def assert_clean(text: str) -> None:
    for char in text:
        assert char == "\n" or unicodedata.category(char) not in ("Cc", "Cs"), repr(text)


def entry_strings(entry: FeedEntry) -> list[str]:
    return [
        entry.key,
        entry.title,
        entry.summary,
        entry.content,
        entry.link or "",
        *entry.authors,
        *entry.tags,
    ]


# --- RSS and Atom -------------------------------------------------------------------------------


def test_rss_two_entries_with_every_field() -> None:
    feed = parse_feed(RSS.encode(), FEED_URL, "application/rss+xml; charset=utf-8")

    assert feed.error is None and feed.warning is None
    assert feed.title == "Quillby Harbour Gazette"
    assert feed.link == "http://news.quillby.test/"
    ferry, lighthouse = feed.entries
    assert ferry.key == "quillby-ferry-2026-12"
    assert ferry.link == "http://news.quillby.test/2026/12/ferry"  # resolved against the feed
    assert ferry.title == "Ferry timetable & fares change at Quillby"
    assert ferry.authors == ("Maren Tollby",)
    assert ferry.published == datetime(2026, 12, 1, 8, 30)  # +02:00 read as UTC, naive
    assert ferry.tags == ("Transport", "Quillby")
    assert lighthouse.key == "http://news.quillby.test/2026/11/lighthouse"  # no guid: the link
    assert lighthouse.published == datetime(2026, 11, 30, 18, 0)


def test_content_encoded_is_preferred_and_turned_into_paragraphs() -> None:
    ferry = parse_feed(RSS.encode(), FEED_URL).entries[0]

    assert ferry.content == (
        "The ferry to Ostrel Isle will sail hourly.\n\n"
        "Fares rise by two marks.\nSeason tickets are unchanged."
    )
    assert ferry.summary == "Short teaser."
    assert ferry.body == ferry.content


def test_without_content_the_description_is_the_body() -> None:
    lighthouse = parse_feed(RSS.encode(), FEED_URL).entries[1]

    assert lighthouse.content == ""
    assert lighthouse.summary == "The keeper, Ilse Varn, lit the lamp again."
    assert lighthouse.body == lighthouse.summary


def test_atom_entries() -> None:
    feed = parse_feed(ATOM.encode(), "http://ostrel.test/atom.xml", "application/atom+xml")

    assert feed.error is None and feed.warning is None
    assert feed.title == "The Ostrel Courier"
    assert feed.link == "http://ostrel.test/"
    (market,) = feed.entries
    assert market.key == "urn:uuid:ostrel-1"
    assert market.link == "http://ostrel.test/market"
    assert market.title == "Market square repaved"
    assert market.authors == ("Tomas Brell", "Ada Quist")
    assert market.published == datetime(2026, 12, 1, 8, 0)
    assert market.tags == ("Town news",)
    assert market.summary == "Cobbles return."
    assert market.content == "Cobbles return to the square.\n\nStalls move for a week."


def test_a_feed_with_no_entries_is_not_an_error() -> None:
    feed = parse_feed(rss_with_items(), FEED_URL)

    assert feed == ParsedFeed(title="Quillby Post", link=None, entries=())


def test_an_entry_repeated_in_the_feed_comes_out_once() -> None:
    item = "<title>Tide tables</title><guid>tide-1</guid>"

    feed = parse_feed(rss_with_items(item, item), FEED_URL)

    assert [entry.key for entry in feed.entries] == ["tide-1"]


# --- entries missing parts ----------------------------------------------------------------------


def test_entries_without_title_date_or_link_still_come_out() -> None:
    feed = parse_feed(
        rss_with_items(
            "<description>Gulls nested on the old customs house this spring, and the harbour "
            "master let them stay until the chicks had flown.</description>",
            "<description>Snow on the pass.</description>",
            "<guid>empty-item</guid>",
        ),
        FEED_URL,
    )

    long_text, short_text, empty = feed.entries
    assert long_text.title == "Gulls nested on the old customs house this spring, and…"
    assert short_text.title == "Snow on the pass."
    assert empty.title == UNTITLED
    for entry in feed.entries:
        assert entry.published is None and entry.link is None


def test_an_entry_without_guid_or_link_gets_a_stable_key_of_its_own() -> None:
    items = (
        "<title>Bridge vote</title><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>",
        "<title>Bridge vote</title><pubDate>Wed, 02 Dec 2026 10:00:00 GMT</pubDate>",
        "<description>Untitled and undated, first.</description>",
        "<description>Untitled and undated, second.</description>",
    )

    keys = [entry.key for entry in parse_feed(rss_with_items(*items), FEED_URL).entries]
    again = [entry.key for entry in parse_feed(rss_with_items(*items), FEED_URL).entries]

    assert keys == again
    assert len(set(keys)) == 4
    assert all(key.startswith("sha256:") for key in keys)


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "file:///etc/passwd", "mailto:desk@quillby.test"]
)
def test_a_link_that_is_not_a_web_address_is_dropped(link: str) -> None:
    item = f"<title>Odd link</title><link>{escape(link)}</link><guid>odd</guid>"

    (entry,) = parse_feed(rss_with_items(item), FEED_URL).entries

    assert entry.link is None


# --- charsets -----------------------------------------------------------------------------------

TITLE = "Café “Zoë” in Łódźby — ½ price"
CP1252_TITLE = "Café “Zoë” at Žabno — ½ price"  # every character exists in Windows-1252


def rss_titled(title: str, declaration: str = "") -> str:
    return (
        f'<?xml version="1.0"{declaration}?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><title>{title}</title><guid>one</guid></item></channel></rss>"
    )


@pytest.mark.parametrize(
    ("content", "content_type", "title"),
    [
        # UTF-8 mislabelled as Latin-1 by the server
        (rss_titled(TITLE).encode(), "application/rss+xml; charset=iso-8859-1", TITLE),
        # UTF-8 mislabelled in its own declaration
        (rss_titled(TITLE, ' encoding="iso-8859-1"').encode(), "", TITLE),
        # Windows-1252 with no charset anywhere
        (rss_titled(CP1252_TITLE).encode("cp1252"), "text/xml", CP1252_TITLE),
        # Windows-1252 declared as Latin-1, as servers often do
        (rss_titled(CP1252_TITLE, ' encoding="ISO-8859-1"').encode("cp1252"), "", CP1252_TITLE),
        # a charset nobody has heard of
        (rss_titled(TITLE).encode(), "application/xml; charset=x-no-such-charset", TITLE),
        # UTF-16 with a byte-order mark
        (rss_titled(TITLE, ' encoding="utf-16"').encode("utf-16"), "", TITLE),
        # UTF-8 with a byte-order mark
        (b"\xef\xbb\xbf" + rss_titled(TITLE).encode(), "application/xml", TITLE),
    ],
)
def test_wrong_or_missing_charsets_still_give_the_right_text(
    content: bytes, content_type: str, title: str
) -> None:
    feed = parse_feed(content, FEED_URL, content_type)

    assert feed.error is None
    assert feed.title == title
    assert feed.entries[0].title == title


def test_undecodable_bytes_become_replacement_characters_not_errors() -> None:
    assert decode_feed(b"Ostrel \x81\x8d caf\xe9", "text/xml; charset=us-ascii") == (
        "Ostrel \ufffd\ufffd café"
    )


# --- not a feed, or a broken one ----------------------------------------------------------------


def test_a_web_page_is_an_error_that_points_at_its_feed() -> None:
    page = (
        b"<!DOCTYPE html><html><head><title>Quillby Gazette</title>"
        b'<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
        b"<body><p>Welcome</p></body></html>"
    )

    feed = parse_feed(page, "http://news.quillby.test/", "text/html; charset=utf-8")

    assert feed.entries == ()
    assert feed.error == (
        "This address is a web page, not a feed; the page names a feed at "
        "http://news.quillby.test/feed.xml."
    )


def test_a_web_page_without_a_feed_link_is_an_error() -> None:
    page = b"<html><body><h1>Not found</h1><p>Try the front page.</p></body></html>"

    feed = parse_feed(page, FEED_URL, "")

    assert feed.entries == ()
    assert feed.error == "This address is a web page, not a feed."


@pytest.mark.parametrize("content", [b"", b"   \n", b"\x00\x01\x02 binary", b'{"json": true}'])
def test_garbage_is_an_error(content: bytes) -> None:
    feed = parse_feed(content, FEED_URL, "application/octet-stream")

    assert feed.entries == ()
    assert feed.error and feed.error.endswith(".")
    assert feed.title == "news.quillby.test"


def test_content_that_names_a_local_file_is_not_read_from_disk(tmp_path: Path) -> None:
    local = tmp_path / "local-feed.xml"
    local.write_bytes(rss_with_items("<title>From the disk</title><guid>disk</guid>"))

    feed = parse_feed(str(local).encode(), FEED_URL, "application/xml")

    assert feed.entries == ()
    assert feed.error is not None


def test_a_malformed_feed_that_still_has_entries_gives_them_with_a_warning() -> None:
    broken = (
        b'<rss version="2.0"><channel><title>Quillby Post</title>'
        b"<item><title>Mayor re-elected</title><guid>a</guid></item>"
        b"<item><title>Storm&nbsp;warning <b>tonight</title><guid>b</guid></item>"
        b"</channel>"  # &nbsp; is not XML, <b> is never closed, nor is <rss>
    )

    feed = parse_feed(broken, FEED_URL, "application/rss+xml")

    assert feed.error is None
    assert feed.warning and feed.warning.startswith("The feed is not well-formed")
    assert [entry.title for entry in feed.entries] == ["Mayor re-elected", "Storm warning tonight"]


# --- hostile text -------------------------------------------------------------------------------


def test_escapes_controls_and_nuls_are_removed_everywhere() -> None:
    hostile = "\x1b[2J\x1b]0;owned\x07Dock\x00 strike\x1b[31m ends\x1b[0m\x07\x08 ../../etc"
    item = (
        f"<title>{escape(hostile)}</title>"
        f"<guid>../../{escape(hostile)}</guid>"
        f"<description>&lt;p&gt;{escape(hostile)}&lt;/p&gt;</description>"
        f"<category>{escape(hostile)}</category>"
        f"<author>desk@quillby.test ({escape(hostile)})</author>"
    )

    feed = parse_feed(rss_with_items(item, channel_title=escape(hostile)), FEED_URL)

    (entry,) = feed.entries
    assert feed.title == "Dock strike ends ../../etc"
    assert entry.title == "Dock strike ends ../../etc"
    assert entry.summary == "Dock strike ends ../../etc"
    assert entry.tags == ("Dock strike ends ../../etc",)
    for text in [feed.title, *entry_strings(entry)]:
        assert_clean(text)
        assert "\x1b" not in text and "owned" not in text


def test_character_references_to_escapes_are_removed_too() -> None:
    item = "<title>Vote &#x1b;[2Jcounted&#27;]0;x&#7;</title><guid>v</guid>"

    (entry,) = parse_feed(rss_with_items(item), FEED_URL).entries

    assert_clean(entry.title)
    assert "\x1b" not in entry.title and "2J" not in entry.title


def test_html_to_text_keeps_paragraphs_and_hides_scripts() -> None:
    html = (
        "<h2>Harbour</h2><p>Boats &amp; nets\n   were   mended.</p>"
        "<style>p{color:red}</style><ul><li>Nets</li><li>Oars</li></ul>"
        "<p>Line one<br/>line two</p><script>var x = '<p>hidden</p>';</script>"
    )

    assert html_to_text(html) == (
        "Harbour\n\nBoats & nets were mended.\n\nNets\n\nOars\n\nLine one\nline two"
    )


def test_clean_text_removes_terminal_sequences_whole() -> None:
    assert clean_text("a\x1b[2Jb") == "ab"
    assert clean_text("a\x1b]0;title\x07b") == "ab"
    assert clean_text("a\x1b]8;;http://x.test/\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"
    assert clean_text("a\x9b2Jb") == "ab"
    assert clean_text("line\r\nnext\rlast\ttab") == "line\nnext\nlast tab"
    # An unterminated string sequence ends at the line's end, not the article's.
    assert clean_text("a\x1b]0;never ended\nsecond line") == "a\nsecond line"


@given(st.text())
def test_clean_text_leaves_no_control_character_but_newlines(text: str) -> None:
    cleaned = clean_text(text)

    assert_clean(cleaned)
    assert "\x1b" not in cleaned and "\r" not in cleaned and "\t" not in cleaned
    assert clean_text(cleaned) == cleaned


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))))
def test_clean_text_keeps_ordinary_text_as_it_is(text: str) -> None:
    assert clean_text(text) == text


@given(st.text())
def test_clean_line_is_one_trimmed_line(text: str) -> None:
    line = clean_line(text)

    assert_clean(line)
    assert "\n" not in line and line == line.strip()
    assert len(line) <= MAX_LINE_CHARS


@given(st.text())
def test_web_link_is_none_or_an_http_address(text: str) -> None:
    link = web_link(text)

    assert link is None or (link.lower().startswith(("http://", "https://")) and " " not in link)


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=80), guid=st.text(max_size=40))
def test_any_title_and_guid_come_out_clean(title: str, guid: str) -> None:
    item = f"<title>{escape(title)}</title><guid>{escape(guid)}</guid><description>x</description>"

    feed = parse_feed(rss_with_items(item), FEED_URL)

    assert feed.error is None
    for entry in feed.entries:
        for text in entry_strings(entry):
            assert_clean(text)
        assert "\n" not in entry.title and entry.title


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_parse_feed_never_raises(content: bytes) -> None:
    feed = parse_feed(content, FEED_URL, "application/xml")

    assert isinstance(feed, ParsedFeed)
    assert (feed.error is None) or feed.entries == ()


# --- fetched over HTTP --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    httpserver = HTTPServer(host="127.0.0.1", port=0)
    httpserver.start()
    yield httpserver
    httpserver.stop()


def test_a_fetched_feed_parses_with_the_servers_content_type(server: HTTPServer) -> None:
    server.expect_request("/latin.xml").respond_with_data(
        rss_titled(CP1252_TITLE).encode("cp1252"),
        content_type="application/rss+xml; charset=windows-1252",
    )
    server.expect_request("/page.html").respond_with_data(
        "<html><body><p>Hello</p></body></html>", content_type="text/html"
    )
    limits = FetchLimits(total_timeout_s=1.5, max_bytes=64 * 1024)

    with Fetcher(limits) as fetcher:
        fetched = fetcher.fetch(server.url_for("/latin.xml"))
        page = fetcher.fetch(server.url_for("/page.html"))
    feed = parse_feed(fetched.content, fetched.final_url, fetched.content_type)
    not_a_feed = parse_feed(page.content, page.final_url, page.content_type)

    assert feed.error is None
    assert feed.entries[0].title == CP1252_TITLE
    assert not_a_feed.error == "This address is a web page, not a feed."
