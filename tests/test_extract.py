"""Files to article text: a saved news page down to its story, Markdown down to its prose, bad files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CountingEmbedder
from qa.article import parse_article
from qa.errors import ArticleError
from qa.extract import article_text

PAGE = Path(__file__).resolve().parent / "data" / "news-page.html"
# What the page's reader sees of the story; everything else on the page is navigation, adverts,
# sign-ups, comments or the footer.
STORY_PARAGRAPHS = [
    "The city council of Port Ellery approved a 12-kilometre tram line on Tuesday evening",
    "Thirty-one councillors voted for the plan and eleven against it.",
    "“This is the day the harbour stops being cut off from the rest of the city,” Mayor Ines Albrecht told",
    "The line is expected to cost 410 million euros.",
    "Tomas Verhoeven, who leads the opposition group on the council, said the estimate was too optimistic.",
    "“We are not against trams. We are against signing a blank cheque,” Verhoeven said.",
    "According to the transport authority, the first contracts will be put out to tender in June.",
    "Shopkeepers on Quay Street, where the line will run for almost a kilometre, have asked for compensation",
]
BOILERPLATE = [
    "cookies", "Subscribe", "Advertisement", "Holiday flats", "energy supplier", "Bus drivers announce strike",
    "Share on social media", "morning briefing", "Your email", "Comments", "About time!", "waste of taxpayers",
    "Most read", "Storm warning", "new language", "All rights reserved", "Terms of use", "dataLayer",
    "querySelectorAll", "Marta Lindqvist",
]


def test_a_news_page_reads_as_its_story_alone():
    text = article_text(PAGE.read_bytes(), PAGE.name)
    for paragraph in STORY_PARAGRAPHS:
        assert paragraph in text
    for noise in BOILERPLATE:
        assert noise not in text


def test_a_news_page_keeps_its_headline_sections_and_paragraphs():
    article = parse_article(article_text(PAGE.read_bytes(), PAGE.name), "page")
    assert article.headline == "Harbour city votes for tram line after decade of delays"
    assert [section.title for section in article.sections] == ["Costs and funding", "What happens next"]
    assert len(article.paragraphs) == len(STORY_PARAGRAPHS)
    for paragraph, start in zip(article.paragraphs, STORY_PARAGRAPHS):
        assert article.text[paragraph.start : paragraph.end].startswith(start)


def test_the_page_title_stands_in_for_a_missing_headline():
    page = (
        "<html><head><title>Ferry fares rise in May</title></head><body><article>"
        + "<p>Ferry fares on the island routes will rise by eight percent in May, the operator said on Friday. "
        "The company blamed fuel costs and the new port fees.</p>" * 3
        + "</article></body></html>"
    )
    assert article_text(page.encode(), "ferry.html").startswith("Ferry fares rise in May\n\n")


def test_markdown_reads_as_its_prose():
    source = (
        "# Ferry fares rise\n\n"
        "Fares rise by **eight** percent, [the operator](https://example.com) said.\n"
        "It blamed `fuel` costs.\n\n"
        "![a ferry](ferry.png)\n\n"
        "<div class=ad>Buy now</div>\n\n"
        "## Reactions\n\n"
        "- Commuters were angry.\n"
        "- Tourists shrugged.\n\n"
        "> “We have no choice,” the mayor said.\n"
    )
    assert article_text(source.encode(), "fares.md") == (
        "Ferry fares rise\n\n"
        "Fares rise by eight percent, the operator said. It blamed fuel costs.\n\n"
        "Reactions\n\n"
        "Commuters were angry.\n\n"
        "Tourists shrugged.\n\n"
        "“We have no choice,” the mayor said.\n"
    )


@pytest.mark.parametrize("name", ["pasted text", "saved.txt"])
def test_a_pages_source_pasted_or_saved_as_text_reads_as_the_page(name):
    assert article_text(PAGE.read_bytes(), name) == article_text(PAGE.read_bytes(), PAGE.name)
    with pytest.raises(ArticleError, match=f"{name} has no article text"):
        article_text(b"<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav></body></html>", name)


def test_text_with_a_tag_in_it_is_still_text():
    assert article_text(b"Headline\n\nA <b>bold</b> claim.", "pasted text") == "Headline\n\nA <b>bold</b> claim."


def test_plain_text_is_kept_exactly_line_endings_and_all():
    data = "Headline\r\n\r\nFirst paragraph.\r\n".encode()
    assert article_text(data, "story.txt") == data.decode()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "empty.txt has no text: the file is empty"),
        (b" \n\t\n", "blank.html", "blank.html has no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture.txt", "picture.txt is a binary file"),
        (b"%PDF-1.7\n\x00\x01binary", "paper.md", "paper.md is a binary file"),
        ("Caf\u00e9 news".encode("latin-1"), "latin.txt", r"latin.txt is not UTF-8 text \(byte 3\)"),
        ("Ferry news".encode("utf-16"), "wide.txt", r"wide.txt is not UTF-8 text \(byte 0\)"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "menu.html", "menu.html has no article text"),
        (b"![only a picture](x.png)\n", "picture.md", "picture.md has no text outside its Markdown syntax"),
    ],
)
def test_files_that_are_not_articles_are_refused_with_the_reason(data, name, message):
    with pytest.raises(ArticleError, match=message):
        article_text(data, name)


def test_html_and_markdown_articles_index_save_load_and_grow_without_embedding_again(tmp_path, fake_embedder):
    from qa.chunks import ChunkSettings
    from qa.index import build, known_vectors, load, save

    settings = ChunkSettings()
    notes = tmp_path / "notes.md"
    notes.write_text("# Ferry fares rise\n\nFares rise by **eight** percent in May, the operator said.\n", encoding="utf-8")
    index = build([PAGE, notes], fake_embedder, settings)
    save(index, tmp_path / "index")
    loaded = load(tmp_path / "index", fake_embedder.model_name, settings)
    page = loaded.article("news-page")
    assert page.text == article_text(PAGE.read_bytes(), PAGE.name)
    assert loaded.article("notes").headline == "Ferry fares rise"

    counting = CountingEmbedder(fake_embedder)
    third = tmp_path / "third.txt"
    third.write_text("Bridge reopens\n\nThe bridge reopened on Monday.\n", encoding="utf-8")
    known = known_vectors(tmp_path / "index", fake_embedder.model_name, settings)
    grown = build([PAGE, notes, third], counting, settings, known=known)
    assert set(counting.texts) == {"The bridge reopened on Monday."}
    assert [d.article.doc for d in grown.documents] == ["news-page", "notes", "third"]


def test_line_breaks_part_words_and_nested_list_items_stand_once():
    body = "The council met on Monday to talk about the new tram line and its costs. " * 4
    page = (
        "<html><head><title>Tram plan</title></head><body><article><h1>Tram plan approved</h1>"
        f"<p>{body}“We agreed,” said the mayor.<br>Then the vote came.</p>"
        "<ul><li>The first stage runs to the harbour and back again<ul><li>It opens in the spring of 2027 for all</li></ul></li>"
        "<li>The second stage reaches the campus in a later year</li></ul>"
        f"<p>{body}</p></article></body></html>"
    )
    text = article_text(page.encode(), "tram.html")
    assert "“We agreed,” said the mayor. Then the vote came." in text
    assert text.count("It opens in the spring of 2027 for all") == 1
    assert "The first stage runs to the harbour and back again\n\nIt opens" in text
