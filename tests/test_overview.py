"""Questions about an article as a whole: what it is about (its opening), and whom it quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FakeEmbedder
from qa.answer import NOT_FOUND
from qa.api import QA
from qa.overview import LEDE_SENTENCES, asks_gist, asks_who_is_quoted

GIST = [
    "What is this article about?",
    "what's the story about",
    "What is the article really about?",
    "Summarize the article",
    "Can you summarise the article for me?",
    "Can you summarize the article in one sentence?",
    "What is this article about, briefly?",
    "Whats the article about",
    "What's this about?",
    "Sum this up",
    "Give a summary of the article",
    "tl;dr",
    "TLDR please",
    "Give me a short summary of the article.",
    "What are the main points?",
    "What's the gist?",
    "What does the article say?",
    "so what is the piece about",
]
NOT_GIST = [
    "What does the article say about Georgia?",
    "Summarize what Stoltenberg said",
    "What is the main point Stoltenberg made?",
    "What was the meeting about?",
    "What is it about?",
    "Summarize it",  # "it" may be the last answer
    "What is the article's headline?",
    "What does the report say?",  # a report the article may tell of
    "What is that article about?",
]
WHO_IS_QUOTED = [
    "Who is quoted in the article?",
    "who's quoted",
    "Who does the story quote?",
    "Which people are quoted?",
    "list everyone quoted",
    "Who are the sources?",
    "Who speaks in the article?",
    "name the speakers",
    "Whom does the article quote?",
]
NOT_WHO_IS_QUOTED = [
    "Who was quoted about the ferry?",
    "Who is quoted as saying the risk is real?",
    "Who said the risk of conflict is real?",
    "Who is Baerbock?",
    "Who are the Central European countries hostile to?",
    "Who is speaking at the summit?",
    "Who is speaking?",  # may ask about the last quote
    "Who is quoted in the report?",
    "Which experts are quoted?",  # some of them, not all
]


@pytest.mark.parametrize("question", GIST)
def test_questions_about_what_the_article_is_about(question):
    assert asks_gist(question) and not asks_who_is_quoted(question)


@pytest.mark.parametrize("question", NOT_GIST)
def test_questions_about_something_in_it_are_not_about_the_whole(question):
    assert not asks_gist(question)


@pytest.mark.parametrize("question", WHO_IS_QUOTED)
def test_questions_about_whom_the_article_quotes(question):
    assert asks_who_is_quoted(question) and not asks_gist(question)


@pytest.mark.parametrize("question", NOT_WHO_IS_QUOTED)
def test_questions_about_one_speaker_or_statement_are_not_about_all(question):
    assert not asks_who_is_quoted(question)


def _assert_verbatim(engine: QA, answer) -> None:
    for quote in answer.quotes:
        assert engine.index.article(quote.doc).text[quote.start : quote.end] == quote.text


def test_what_the_article_is_about_is_its_opening_paragraph(shipped_qa):
    answer = shipped_qa.ask("What is this article about?")
    article = shipped_qa.index.documents[0].article
    opening = article.paragraphs[0]
    expected = [article.sentence_text(s) for s in range(opening.first_sentence, opening.last_sentence)][:LEDE_SENTENCES]
    assert answer.found and [quote.text for quote in answer.quotes] == expected
    assert all(quote.paragraph == 1 for quote in answer.quotes)
    _assert_verbatim(shipped_qa, answer)
    assert answer.lead and answer.text.startswith(answer.lead)
    assert answer.to_dict()["lead"] == answer.lead


def test_whom_the_article_quotes_is_every_speaker_once_by_their_first_words(shipped_qa):
    answer = shipped_qa.ask("Who is quoted in the article?")
    document = shipped_qa.index.documents[0]
    speaking = [s for s, speaker in enumerate(document.speakers) if speaker is not None]
    assert answer.found and speaking
    _assert_verbatim(shipped_qa, answer)
    firsts = [quote.start for quote in answer.quotes]
    assert firsts == sorted(firsts)
    by_quote = {quote.start: quote for quote in answer.quotes}
    # Each speaker's first sentence is a quote, and no other sentence is.
    seen: set[str] = set()
    for sentence in speaking:
        start = document.article.sentences[sentence].start
        first = document.speakers[sentence] not in seen
        seen.add(document.speakers[sentence])
        assert (start in by_quote) is first
    assert len(answer.quotes) == len(seen)
    # The list counts every sentence that gives someone's words, once.
    assert answer.lead.startswith(f"{len(seen)} speakers")
    counted = sum(int(number) for line in answer.lead.splitlines() if line.startswith("- ") for number in line.split(": ")[-1].split() if number.isdigit())
    assert counted == len(speaking)
    for quote in answer.quotes:
        assert quote.speaker and f"- {quote.speaker}" in answer.lead


ABOUT_A_BRIDGE = (
    "Bridge Closed After Cracks Found\n\n"
    "The Elm Street bridge in Danbury was closed on Monday after inspectors found cracks in two of its beams. "
    "Repairs could take until spring.\n\n"
    "“We will not take any chances with people's safety,” said Mayor Rosa Quint.\n\n"
    "Local residents said the detour would cost them customers. Quint said she would meet them on Friday.\n"
)
ABOUT_A_FAIR = (
    "County Fair Opens\n\n"
    "The Harlan County fair opened on Saturday with a record 300 stalls. "
    "Organisers expect 40,000 visitors over the week.\n\n"
    "The fair runs until Sunday.\n"
)


@pytest.fixture
def two_articles(tmp_path: Path) -> QA:
    bridge, fair = tmp_path / "bridge.txt", tmp_path / "fair.txt"
    bridge.write_text(ABOUT_A_BRIDGE, encoding="utf-8")
    fair.write_text(ABOUT_A_FAIR, encoding="utf-8")
    engine = QA(tmp_path / "index", articles=[bridge, fair], embedder=FakeEmbedder())
    engine.warm_up()
    return engine


def test_several_articles_are_each_told_by_their_first_sentence(two_articles):
    answer = two_articles.ask("What's the story about?")
    assert [quote.doc for quote in answer.quotes] == ["bridge", "fair"]
    assert [quote.text.split()[:3] for quote in answer.quotes] == [["The", "Elm", "Street"], ["The", "Harlan", "County"]]
    assert "paragraph 1 · bridge" in answer.text and "paragraph 1 · fair" in answer.text
    _assert_verbatim(two_articles, answer)


def test_whom_several_articles_quote_is_listed_article_by_article(two_articles):
    answer = two_articles.ask("Who is quoted?")
    assert answer.lead.splitlines()[:3] == [
        "2 speakers, in the order they first speak:",
        "In “Bridge Closed After Cracks Found”:",
        "- Rosa Quint, Mayor: 1 quoted, 1 reported",
    ]
    assert "In “County Fair Opens”" not in answer.lead
    assert [quote.speaker for quote in answer.quotes] == ["Rosa Quint", "Local residents"]
    _assert_verbatim(two_articles, answer)


def test_an_article_that_quotes_no_one_says_so(tmp_path: Path):
    fair = tmp_path / "fair.txt"
    fair.write_text(ABOUT_A_FAIR, encoding="utf-8")
    engine = QA(tmp_path / "index", articles=[fair], embedder=FakeEmbedder())
    answer = engine.ask("Who is quoted in the article?")
    assert not answer.found and answer.quotes == ()
    assert answer.text == f"{NOT_FOUND} It quotes no one: all of it is in the writer's own words."
