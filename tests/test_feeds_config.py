"""Feeds in the config file and in OPML: [[feeds]] and [fetch] read with a problem per mistake,
written in place keeping a person's comments, and OPML read safely and written to read back.

Every feed URL is invented, on 127.0.0.1 or an example.org-style host; nothing is fetched.
"""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termnews.errors import TermnewsError
from termnews.feeds.opml import OpmlError, OpmlFeed, folder_tag, read_opml, write_opml
from termnews.settings import (
    ConfigFileError,
    DuplicateFeedError,
    FeedSettingError,
    FeedSubscription,
    add_feed,
    add_feeds,
    check_feed_url,
    load_settings,
    remove_feed,
    save_search,
)
from termnews.settings.subscriptions import FULLTEXT_CHOICES, every_seconds, feed_url_key
from termnews.state.tags import TagNameError


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("TERMNEWS_CONFIG", str(path))
    monkeypatch.setenv("TERMNEWS_DATA_DIR", str(tmp_path / "data"))
    return path


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(text)
    path.write_text(text, encoding="utf-8")
    return text


# --- reading [[feeds]] and [fetch] ---------------------------------------------------------


def test_feeds_and_fetch_read_with_their_defaults(config: Path, tmp_path: Path) -> None:
    write(
        config,
        """\
        [[feeds]]
        url = "https://news.example.org/harbour.rss"
        name = "Harbour Gazette"
        tags = ["Coast", "shipping", "coast"]
        fulltext = "always"

        [[feeds]]
        url = "http://127.0.0.1:8123/velmora.xml"
        """,
    )
    settings = load_settings()
    assert settings.problems == ()
    assert settings.feeds == (
        FeedSubscription(
            "https://news.example.org/harbour.rss",
            "Harbour Gazette",
            ("coast", "shipping"),
            "always",
        ),
        FeedSubscription("http://127.0.0.1:8123/velmora.xml"),
    )
    assert settings.fetch.archive == tmp_path / "data" / "news"
    assert settings.fetch.every is None and settings.fetch.every_seconds is None


def test_fetch_table_archive_and_interval(config: Path) -> None:
    write(config, '[fetch]\narchive = "fetched/news"\nevery = "30m"\n')
    fetch = load_settings().fetch
    # A relative archive is beside the config file, wherever termnews is run from.
    assert fetch.archive == config.parent / "fetched" / "news"
    assert (fetch.every, fetch.every_seconds) == ("30m", 1800)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ('url = "ftp://files.example.org/feed"', ["entry 1", "'ftp:'", "unused"]),
        ('url = "file:///etc/passwd"', ["entry 1", "'file:'", "unused"]),
        ('url = "https:///feed.xml"', ["entry 1", "names no host", "unused"]),
        ('url = "news.example.org/rss"', ["entry 1", "no scheme"]),
        ('name = "No address"', ["entry 1", "has no url"]),
        ("url = 7", ["entry 1", "the url must be text", "the number 7"]),
    ],
)
def test_an_unusable_feed_url_is_a_problem_and_the_feed_is_unused(
    config: Path, entry: str, words: list[str]
) -> None:
    write(config, f'[[feeds]]\n{entry}\n\n[[feeds]]\nurl = "http://127.0.0.1/ok.rss"\n')
    settings = load_settings()
    assert [feed.url for feed in settings.feeds] == ["http://127.0.0.1/ok.rss"]
    assert len(settings.problems) == 1
    problem = settings.problems[0]
    assert problem.startswith(f"{config}, line 1: [[feeds]] entry 1")
    for word in words:
        assert word in problem


def test_a_bad_tag_or_fulltext_is_reported_and_the_feed_still_used(config: Path) -> None:
    write(
        config,
        """\
        [[feeds]]
        url = "http://127.0.0.1/a.rss"
        tags = ["good", "not good"]
        fulltext = "sometimes"
        nmae = "typo"
        """,
    )
    settings = load_settings()
    assert settings.feeds == (FeedSubscription("http://127.0.0.1/a.rss", None, ("good",), "auto"),)
    problems = "\n".join(settings.problems)
    assert len(settings.problems) == 3
    assert "'not good' cannot be a tag" in problems
    assert "fulltext must be" in problems and "'sometimes'" in problems
    assert "unknown field 'nmae' (did you mean 'name'?)" in problems


def test_the_same_url_twice_keeps_the_first(config: Path) -> None:
    write(
        config,
        """\
        [[feeds]]
        url = "https://news.example.org/rss"
        name = "First"

        [[feeds]]
        url = "HTTPS://News.Example.org:443/rss#latest"
        name = "Second"
        """,
    )
    settings = load_settings()
    assert [feed.name for feed in settings.feeds] == ["First"]
    assert settings.problems[0].startswith(f"{config}, line 5: [[feeds]] entry 2")
    assert "unused" in settings.problems[0]


def test_inline_feeds_are_read_and_their_problems_name_the_entry(config: Path) -> None:
    write(
        config,
        """\
        feeds = [
          { url = "http://127.0.0.1/a.rss", tags = ["x"] },
          { url = "mailto:desk@news.example.org" },
        ]
        """,
    )
    settings = load_settings()
    assert settings.feeds == (FeedSubscription("http://127.0.0.1/a.rss", tags=("x",)),)
    assert settings.problems[0].startswith(f"{config}: [[feeds]] entry 2")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('feeds = "https://news.example.org/rss"', "feeds must be [[feeds]] tables"),
        ('[fetch]\nevery = "soon"', "every must be a number and a unit"),
        ('[fetch]\nevery = "10s"', "at least a minute"),
        ("[fetch]\nevery = 30", "every must be text"),
        ("[fetch]\narchive = 3", "archive must be a folder path"),
        ('[fetch]\nevry = "1h"', "unknown field 'evry' (did you mean 'every'?)"),
        ("fetch = 1", "fetch must be a [fetch] table"),
    ],
)
def test_a_wrong_feeds_or_fetch_shape_is_one_problem(config: Path, text: str, words: str) -> None:
    write(config, text + "\n")
    settings = load_settings()
    assert len(settings.problems) == 1, settings.problems
    assert str(config) in settings.problems[0] and words in settings.problems[0]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[fetch]\n# how often\nevery = "soon"', "line 3: [fetch] every must be a number"),
        ('[fetch]\narchive = "~/news"\nevery = 30', "line 3: [fetch] every must be text"),
        ('[keys]\nhelp = "F1"\n\n[fetch]\narchive = 3', "line 5: [fetch] archive must be"),
        ('[fetch]\nevery = "1h"\nevry = "1h"', "line 3: [fetch] unknown field 'evry'"),
    ],
)
def test_a_fetch_mistake_names_its_line(config: Path, text: str, words: str) -> None:
    """As a [watch] or [keys] mistake does: the person goes straight to the line."""
    write(config, text + "\n")
    (problem,) = load_settings().problems
    assert problem.startswith(f"{config}, line ") and words in problem


def test_a_broken_file_names_file_and_line_and_gives_no_feeds(config: Path) -> None:
    write(config, '[[feeds]]\nurl = "http://127.0.0.1/a.rss"\n\n[[feeds]\n')
    settings = load_settings()
    assert settings.feeds == ()
    assert settings.problems[0].startswith(f"{config}, line 4, column")


# --- the checks the reader, the writer and the CLI share -----------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed.xml",
        "https://news.example.org/rss?edition=coast",
        "  https://news.example.org:8443/atom  ",
        "http://[::1]:8080/feed",
    ],
)
def test_web_addresses_are_feed_urls(url: str) -> None:
    assert check_feed_url(url) == url.strip()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "needs a URL"),
        ("javascript:alert(1)", "'javascript:'"),
        ("file:///home/ines/feed.xml", "'file:'"),
        ("//news.example.org/rss", "no scheme"),
        ("http://", "names no host"),
        ("http://news.example.org:port/rss", "not a feed URL"),
        ("http://news.example.org/a b", "spaces or control characters"),
        ("http://news.example.org/\x1b[31m", "spaces or control characters"),
    ],
)
def test_other_text_is_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(FeedSettingError) as caught:
        check_feed_url(url)
    assert reason in str(caught.value)
    assert isinstance(caught.value, TermnewsError)


def test_url_keys_ignore_case_of_host_default_ports_and_fragments() -> None:
    same = [
        "https://News.Example.org/rss",
        "HTTPS://news.example.org:443/rss",
        "https://news.example.org/rss#top",
    ]
    assert len({feed_url_key(url) for url in same}) == 1
    assert feed_url_key("https://news.example.org/RSS") != feed_url_key(same[0])
    assert feed_url_key("http://news.example.org/rss") != feed_url_key(same[0])
    assert feed_url_key("https://news.example.org:8443/rss") != feed_url_key(same[0])


@given(st.text(max_size=40) | st.from_regex(r"https?://[\[\]:@a-z0-9./]{0,20}", fullmatch=True))
def test_a_url_key_is_given_for_any_text(text: str) -> None:
    key = feed_url_key(text)  # never raises: `feeds rm` compares names and broken entries too
    try:
        check_feed_url(text)
    except FeedSettingError:
        return
    # A feed URL's key is a feed URL whose key is itself.
    assert feed_url_key(check_feed_url(key)) == key


@pytest.mark.parametrize(
    ("text", "seconds"), [("1m", 60), ("30m", 1800), ("2h", 7200), ("1d", 86400), (" 90 S ", 90)]
)
def test_every_is_a_count_and_a_unit(text: str, seconds: int) -> None:
    assert every_seconds(text) == seconds


# --- writing -------------------------------------------------------------------------------

HAND_WRITTEN = """\
# My termnews settings.
[[searches]]
name = "Harbour strikes"
query = "strike harbour"

# The feeds I read.
[[feeds]]
url = "https://news.example.org/harbour.rss"  # the coast desk
name = "Harbour Gazette"

# Keys below.
[keys]
star = "x"
"""


def test_add_feed_keeps_comments_and_order(config: Path) -> None:
    before = write(config, HAND_WRITTEN)
    feed = add_feed("http://127.0.0.1/velmora.xml", name="Velmora Post", tags=["Grain"])
    assert feed == FeedSubscription("http://127.0.0.1/velmora.xml", "Velmora Post", ("grain",))
    entry = (
        '[[feeds]]\nurl = "http://127.0.0.1/velmora.xml"\nname = "Velmora Post"\n'
        'tags = ["grain"]\n\n'
    )
    assert config.read_text(encoding="utf-8") == before.replace(
        "# Keys below.", entry + "# Keys below."
    )
    assert [feed.name for feed in load_settings().feeds] == ["Harbour Gazette", "Velmora Post"]


def test_add_then_remove_gives_back_the_file_as_written(config: Path) -> None:
    before = write(config, HAND_WRITTEN)
    add_feed("http://127.0.0.1/velmora.xml", fulltext="never")
    assert load_settings().feeds[-1].fulltext == "never"
    assert remove_feed("http://127.0.0.1/velmora.xml") == ["http://127.0.0.1/velmora.xml"]
    assert config.read_text(encoding="utf-8") == before


def test_add_feed_creates_the_file(config: Path) -> None:
    add_feed("http://127.0.0.1/a.rss")
    assert config.read_text(encoding="utf-8") == '[[feeds]]\nurl = "http://127.0.0.1/a.rss"\n'


def test_feeds_and_searches_live_side_by_side(config: Path) -> None:
    add_feed("http://127.0.0.1/a.rss", name="A")
    save_search("Ferries", "ferry")
    add_feed("http://127.0.0.1/b.rss", name="B")
    settings = load_settings()
    assert [feed.name for feed in settings.feeds] == ["A", "B"]
    assert [saved.name for saved in settings.searches] == ["Ferries"]


def test_a_duplicate_url_is_refused_and_the_file_unchanged(config: Path) -> None:
    before = write(config, HAND_WRITTEN)
    with pytest.raises(DuplicateFeedError, match="already subscribed"):
        add_feed("HTTPS://news.example.org:443/harbour.rss", name="Again")
    assert config.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("url", "tags", "fulltext", "error"),
    [
        ("gopher://news.example.org/", (), "auto", FeedSettingError),
        ("http://127.0.0.1/a.rss", ("two words",), "auto", TagNameError),
        ("http://127.0.0.1/a.rss", (), "often", FeedSettingError),
    ],
)
def test_add_feed_refuses_bad_values_before_touching_the_file(
    config: Path, url: str, tags: tuple[str, ...], fulltext: str, error: type[Exception]
) -> None:
    before = write(config, HAND_WRITTEN)
    with pytest.raises(error):
        add_feed(url, tags=tags, fulltext=fulltext)
    assert config.read_text(encoding="utf-8") == before


def test_add_and_remove_refuse_a_broken_file(config: Path) -> None:
    before = write(config, HAND_WRITTEN + "[[feeds]\n")
    with pytest.raises(
        ConfigFileError, match=r"line 14, column 8.*not added and the file is unchanged"
    ):
        add_feed("http://127.0.0.1/a.rss")
    with pytest.raises(ConfigFileError, match="not removed"):
        remove_feed("Harbour Gazette")
    assert config.read_text(encoding="utf-8") == before


def test_add_feeds_writes_two_hundred_in_one_edit(config: Path) -> None:
    write(config, HAND_WRITTEN)
    feeds = [
        FeedSubscription(f"http://127.0.0.1:9000/feed/{number}.xml", f"Feed {number}", ("bulk",))
        for number in range(200)
    ]
    add_feeds(feeds)
    settings = load_settings()
    assert settings.problems == ()
    assert settings.feeds[1:] == tuple(feeds)


def test_add_feeds_is_all_or_nothing(config: Path) -> None:
    before = write(config, HAND_WRITTEN)
    feeds = [
        FeedSubscription("http://127.0.0.1/new.xml"),
        FeedSubscription("https://news.example.org/harbour.rss"),
    ]
    with pytest.raises(DuplicateFeedError):
        add_feeds(feeds)
    assert config.read_text(encoding="utf-8") == before


def test_remove_feed_by_name_or_url_and_nothing_for_a_stranger(config: Path) -> None:
    before = write(config, HAND_WRITTEN)
    assert remove_feed("Nobody") == []
    assert remove_feed("http://127.0.0.1/nowhere") == []
    assert config.read_text(encoding="utf-8") == before
    assert remove_feed("Harbour Gazette") == ["https://news.example.org/harbour.rss"]
    settings = load_settings()
    assert settings.feeds == () and settings.problems == ()
    assert "# Keys below." in config.read_text(encoding="utf-8")


def test_settings_find_a_feed_by_url_then_by_name(config: Path) -> None:
    write(config, HAND_WRITTEN)
    settings = load_settings()
    assert settings.feed("HTTPS://news.example.org/harbour.rss#x") is settings.feeds[0]
    assert settings.feed("Harbour Gazette") is settings.feeds[0]
    assert settings.feed("Velmora Post") is None


NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(
    lambda name: bool(name.strip())
)
TAGS = st.lists(st.from_regex(r"[a-z0-9][a-z0-9\-./+]{0,10}", fullmatch=True), max_size=3)
PATHS = st.from_regex(r"/[A-Za-z0-9._~/\-]{0,20}(\?[a-z]=[0-9]{1,3})?", fullmatch=True)


@given(name=NAMES, tags=TAGS, path=PATHS)
def test_any_feed_added_reads_back_exactly(name: str, tags: list[str], path: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.toml"
        config.write_text(HAND_WRITTEN, encoding="utf-8")
        feed = add_feed(f"http://127.0.0.1{path}", name=name, tags=tags, path=config)
        assert load_settings(config).feeds[-1] == feed
        assert feed.tags == tuple(dict.fromkeys(tags))
        remove_feed(feed.url, config)
        assert config.read_text(encoding="utf-8") == HAND_WRITTEN


# --- OPML ----------------------------------------------------------------------------------

NESTED_OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Ines's reader</title></head>
  <body>
    <outline text="World News">
      <outline text="Europe">
        <outline text="Velmora Post" xmlUrl="http://127.0.0.1/velmora.xml" type="rss"/>
      </outline>
      <outline title="Coast Desk" text="ignored" xmlURL="http://127.0.0.1/coast.xml"/>
    </outline>
    <outline text="Just a note"/>
    <outline text="Loose" xmlUrl="http://127.0.0.1/loose.xml" category="/Sport/Rowing,/x"/>
  </body>
</opml>
"""


def test_folders_become_tags_outermost_first() -> None:
    assert read_opml(NESTED_OPML) == [
        OpmlFeed("http://127.0.0.1/velmora.xml", "Velmora Post", ("world-news", "europe")),
        OpmlFeed("http://127.0.0.1/coast.xml", "Coast Desk", ("world-news",)),
        OpmlFeed("http://127.0.0.1/loose.xml", "Loose", ("sport/rowing", "x")),
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<opml version="2.0"><body><outline text="&lol3;" xmlUrl="http://127.0.0.1/a"/></body></opml>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="http://127.0.0.1/a"/></body></opml>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_a_doctype_is_refused(data: bytes) -> None:
    with pytest.raises(OpmlError, match="DOCTYPE"):
        read_opml(data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><body>not a list</body></html>", "not OPML"),
        (b"<opml><body><outline text='a'></body></opml>", "not well-formed XML at line 1"),
        (b"\x00\xff garbage", "not well-formed"),
        (b'<opml><body><outline text="&nope;"/></body></opml>', "not well-formed"),
    ],
)
def test_what_is_not_opml_is_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(OpmlError, match=reason):
        read_opml(data)


def test_control_characters_and_escapes_are_removed_from_titles() -> None:
    # XML 1.0 refuses ESC even as a character reference, but allows the one-byte CSI (0x9b)
    # that some terminals read as the start of an escape sequence.
    with pytest.raises(OpmlError):
        read_opml(
            b'<opml><body><outline text="&#x1b;[31m" xmlUrl="http://127.0.0.1/a"/></body></opml>'
        )
    data = (
        b'<opml><body><outline text="Red &#x9b;31mAlert&#9;Desk"'
        b' xmlUrl="http://127.0.0.1/a&#x9b;"/></body></opml>'
    )
    [feed] = read_opml(data)
    assert feed.name == "Red 31mAlert Desk"
    assert feed.url == "http://127.0.0.1/a"


@pytest.mark.parametrize(
    ("title", "tag"),
    [
        ("World News", "world-news"),
        ("  Sport/Rowing ", "sport/rowing"),
        ("!!!", None),
        ("Été", "été"),
    ],
)
def test_folder_titles_as_tags(title: str, tag: str | None) -> None:
    assert folder_tag(title) == tag


# Text XML 1.0 can carry, on one line (what `write_opml` writes).
XML_NAMES = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=20)
    .map(lambda name: " ".join(name.split()))
    .filter(bool)
)
FEEDS = st.lists(
    st.builds(
        FeedSubscription,
        url=PATHS.map(lambda path: f"http://127.0.0.1{path}"),
        name=st.none() | XML_NAMES,
        tags=TAGS.map(lambda tags: tuple(dict.fromkeys(tags))),
        fulltext=st.sampled_from(FULLTEXT_CHOICES),
    ),
    max_size=6,
    unique_by=lambda feed: feed.url,
)


@given(FEEDS)
def test_export_reads_back_as_the_same_feeds(feeds: list[FeedSubscription]) -> None:
    written = write_opml(feeds)
    back = read_opml(written)
    # Feeds come back grouped by their first tag; each with its URL, name (none when it had
    # none), tags and fulltext setting.
    assert sorted(back, key=repr) == sorted(
        (OpmlFeed(feed.url, feed.name, feed.tags, feed.fulltext) for feed in feeds), key=repr
    )
    # ...and written again, byte for byte the same file.
    again = [
        FeedSubscription(feed.url, feed.name, feed.folder_tags, feed.fulltext or "auto")
        for feed in back
    ]
    assert write_opml(again) == written


@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda text: text.encode("utf-8")))
def test_any_bytes_give_feeds_or_an_opml_error(data: bytes) -> None:
    try:
        feeds = read_opml(b"<opml><body>" + data + b"</body></opml>")
    except OpmlError:
        return
    for feed in feeds:
        assert feed.url and not any(ord(char) < 32 for char in feed.url + (feed.name or ""))
