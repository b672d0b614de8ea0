"""Layout-level behaviour of the grammar: where the header ends and the story begins."""

from __future__ import annotations

from termnews.article import Article
from termnews.parsing import parse_bytes


def parse(text: str) -> Article:
    return parse_bytes(text.encode(), "story.txt")


def test_byline_after_the_deck_is_still_the_byline() -> None:
    article = parse(
        "Jan. 5, 2024\n\nFerry adds sailings\n\n"
        "The province says the new sailings begin in December.\n\n"
        "By Ana Ruiz, The Canadian Press\n\n"
        "HALIFAX – The ferry will run twice daily.\n\nMore text here.\n"
    )
    assert article.authors == ("Ana Ruiz",)
    assert article.summary == "The province says the new sailings begin in December."
    assert article.body == "The ferry will run twice daily.\n\nMore text here."


def test_header_without_blank_lines() -> None:
    article = parse(
        "March 3rd, 2024\nSeawall plan approved\nBy Jo Lee, Staff\n"
        "PORT ALDANE, N.S. — Council voted Tuesday.\n\nWork begins in May.\n"
    )
    assert article.site_date == "2024-03-03"
    assert article.headline == "Seawall plan approved"
    assert article.agency == "Staff"
    assert article.dateline == "PORT ALDANE, N.S."
    assert article.body == "Council voted Tuesday.\n\nWork begins in May."


def test_one_paragraph_per_line_without_blank_lines() -> None:
    long_a = "OTTAWA – " + "The committee heard from eleven witnesses over two days. " * 3
    long_b = "Members will report back before the summer break, the chair said on Friday. " * 2
    article = parse(f"Committee hears witnesses\n\n{long_a.strip()}\n{long_b.strip()}\n")
    assert article.body.count("\n\n") == 1


def test_story_opening_with_by_is_not_a_byline() -> None:
    article = parse(
        "Power restored after storm\n\n"
        "By noon Wednesday, crews had restored power to most homes in the valley.\n\n"
        "About 200 customers remain in the dark.\n"
    )
    assert article.authors == ()
    assert article.body.startswith("By noon Wednesday")
    assert "no byline" in article.warnings


def test_file_photo_caption_is_not_a_dateline() -> None:
    article = parse(
        "Mill reopens\n\nBy DANA WEXLER, Associated Press\n\n"
        "FILE - Workers leave the mill in Brandon Falls, Vt., on Feb. 10, 2023. "
        "(AP Photo/Jo Lee, File)\n\n"
        "BRANDON FALLS, Vt. (AP) — The mill reopened Monday.\n"
    )
    assert (
        article.caption == "FILE - Workers leave the mill in Brandon Falls, Vt., on Feb. 10, 2023."
    )
    assert article.photo_credit == "AP Photo/Jo Lee, File"
    assert article.dateline == "BRANDON FALLS, Vt."
    assert article.body == "The mill reopened Monday."


def test_yearless_dateline_borrows_the_site_year_across_new_year() -> None:
    article = parse(
        "Jan 2, 2024\n\nMarkets close the year\n\nLONDON, Dec 31 (Reuters) - Stocks fell.\n"
    )
    assert article.published == "2023-12-31"
    assert article.agency == "Reuters"


def test_no_date_anywhere_means_no_date() -> None:
    article = parse("Quiet day at the harbour\n\nHALIFAX – Nothing happened.\n")
    assert article.published is None
    assert "no date" in article.warnings


def test_markup_like_text_is_kept_literally() -> None:
    article = parse("[bold]Alert[/] <b>now</b>\n\nOTTAWA – The [link=x]tag[/link] stayed.\n")
    assert article.headline == "[bold]Alert[/] <b>now</b>"
    assert article.body == "The [link=x]tag[/link] stayed."


def test_story_with_no_headline_starts_at_its_dateline() -> None:
    lede = (
        "OTTAWA – "
        + "The committee heard from eleven witnesses over two long days of hearings. " * 3
    )
    article = parse(f"Jan 5, 2024\n\n{lede}\n\nMore to come.\n")
    assert article.headline == ""
    assert article.dateline == "OTTAWA"
    assert article.body.startswith("The committee heard")
    assert "no headline" in article.warnings


def test_relative_timestamps_under_the_byline_are_dropped() -> None:
    article = parse(
        "Ferry adds sailings\n\nBy Ana Ruiz, The Canadian Press\nUpdated 3 hours ago\n\n"
        "HALIFAX – The ferry runs twice a day.\n"
    )
    assert article.summary is None
    assert article.body == "The ferry runs twice a day."
    assert article.published is None


def test_double_spaced_scrape_of_wrapped_lines_is_rejoined() -> None:
    article = parse(
        "Ferry adds sailings\n\nBy Ana Ruiz, The Canadian Press\n\n"
        "HALIFAX – The ferry operator said on Tuesday that it\n\n"
        "will add two sailings a day to the\n\nwinter timetable.\n\n"
        "eBay listings for old tickets doubled.\n"
    )
    assert article.body == (
        "The ferry operator said on Tuesday that it will add two sailings a day to the winter "
        "timetable.\n\neBay listings for old tickets doubled."
    )


def test_a_wrapped_word_that_looks_like_site_chrome_stays_in_its_paragraph() -> None:
    article = parse(
        "Velmara sets dividend\n\n"
        "QUORVALE, March 2 - Velmara Corp raised its dividend to 12 cts a\n"
        "share.\n\n"
        "Its board declined to make\ncomments\non the timing.\n\n"
        "The payout is in May.\n"
    )
    assert article.body == (
        "Velmara Corp raised its dividend to 12 cts a share.\n\n"
        "Its board declined to make comments on the timing.\n\nThe payout is in May."
    )


def test_title_case_dateline_comes_off_the_body() -> None:
    article = parse(
        "Ferry adds sailings\n\nBy Ana Ruiz, Reuters\n\n"
        "Porto de Lanza, March 3 (Reuters) - The ferry runs twice a day.\n"
    )
    assert article.dateline == "Porto de Lanza"
    assert article.agency == "Reuters"
    assert article.body == "The ferry runs twice a day."


def test_title_case_sentence_with_dashes_keeps_its_words() -> None:
    article = parse(
        "Ferry adds sailings\n\nBy Ana Ruiz, Reuters\n\n"
        "Meanwhile – as ever – the ferry runs twice a day.\n"
    )
    assert article.dateline is None
    assert article.body == "Meanwhile – as ever – the ferry runs twice a day."
