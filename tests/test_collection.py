"""A visitor's own articles: adding, limits, asking one or all, and sessions kept apart and freed."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from conftest import ARTICLE, ROOT, CountingEmbedder
from qa.api import QA
from qa.collection import ALL_ARTICLES, PASTED_NAME, Collection, LimitError, Limits, Sessions, choices
from qa.errors import ArticleError, QAError
from qa.markup import answer_messages, escape_markdown

PAGE = Path(__file__).resolve().parent / "data" / "news-page.html"


def story(town: str, mayor: str = "Ann Lee") -> str:
    return (
        f"Flood repairs finished in {town}\n\n"
        f"The bridge of {town} reopened on Monday after a flood closed it in spring.\n\n"
        f"“The {town} bridge carries our trade again,” said Mayor {mayor}.\n"
    )


@pytest.fixture
def base(tmp_path, embedder) -> QA:
    """The shipped article and its committed index, copied, answered with the real model."""
    shutil.copytree(ROOT / "index", tmp_path / "index")
    shutil.copytree(ROOT / "articles", tmp_path / "articles")
    engine = QA(tmp_path / "index", articles=[tmp_path / "articles" / ARTICLE.name], embedder=CountingEmbedder(embedder))
    engine.warm_up()
    assert engine.embedder.texts == []
    return engine


def verbatim(engine: QA, question: str) -> list[str]:
    answer = engine.ask(question)
    for quote in answer.quotes:
        assert engine.index.article(quote.doc).text[quote.start : quote.end] == quote.text
    return [quote.text for quote in answer.quotes]


def test_an_added_article_is_answered_from_and_named_by_its_headline(base):
    collection = Collection(base)
    article = collection.add(story("Kilbrook").encode(), "kilbrook.txt")
    assert article.doc == "Flood repairs finished in Kilbrook"
    assert [a.doc for a in collection.articles] == ["nato-russia-real-risk-of-conflict", article.doc]
    engine = collection.engine(article.doc)
    assert any("Kilbrook bridge" in text for text in verbatim(engine, "What did the mayor say about the bridge?"))
    passages = [quote for question in ("Who reopened?", "bridge") for quote in engine.ask(question).quotes + engine.ask(question).closest]
    assert passages and all(quote.doc == article.doc for quote in passages)
    assert collection.engine("nato-russia-real-risk-of-conflict") is base


def test_pasted_text_and_html_pages_are_added_alike(base):
    collection = Collection(base)
    pasted = collection.add(story("Dunmere"))
    page = collection.add(PAGE.read_bytes(), PAGE.name)
    assert pasted.doc == "Flood repairs finished in Dunmere"
    assert page.doc == "Harbour city votes for tram line after decade of delays"
    assert "Advertisement" not in page.text
    assert collection.article(page.doc) is page


def test_all_articles_are_asked_at_once_without_embedding_any_again(base):
    collection = Collection(base)
    first = collection.add(story("Kilbrook", "Ann Lee"), "a.txt")
    second = collection.add(story("Dunmere", "Colm Brady"), "b.txt")
    embedded = len(base.embedder.texts)
    everything = collection.engine(ALL_ARTICLES)
    assert len(base.embedder.texts) == embedded
    assert [d.article.doc for d in everything.index.documents] == [
        "nato-russia-real-risk-of-conflict", first.doc, second.doc
    ]
    docs = {quote.doc for quote in everything.ask("What did the mayor say about the bridge?", k=10).quotes}
    assert docs <= {first.doc, second.doc} and docs
    assert collection.engine(ALL_ARTICLES) is everything  # built once until another article comes
    collection.add(story("Ardmore"), "c.txt")
    assert collection.engine(ALL_ARTICLES) is not everything


def test_quotes_from_all_articles_name_each_by_its_headline(base):
    collection = Collection(base)
    collection.add(story("Kilbrook"), "a.txt")
    everything = collection.engine(ALL_ARTICLES)
    messages = answer_messages(everything.ask("What did Stoltenberg say about dialogue?"), everything.index)
    headline = escape_markdown(base.index.documents[0].article.headline)
    assert headline and len(messages) == 2 and all(headline in message["content"] for message in messages)
    assert not any(base.index.documents[0].article.doc in message["content"] for message in messages)


def test_the_same_headline_twice_gets_a_name_of_its_own(base):
    collection = Collection(base)
    first = collection.add(story("Kilbrook"), "a.txt")
    second = collection.add(story("Kilbrook") + "\nA second edition.\n", "b.txt")
    assert (first.doc, second.doc) == ("Flood repairs finished in Kilbrook", "Flood repairs finished in Kilbrook (2)")


@pytest.mark.parametrize(
    ("data", "name", "error", "message"),
    [
        (b"x" * 2_001, "big.txt", LimitError, "big.txt is 2,001 bytes; the limit is 2,000"),
        ("Long story\n\n" + "A sentence. " * 100, PASTED_NAME, LimitError, "pasted text has 1,212 characters of text; the limit is 1,000"),
        (b"%PDF-1.7\n\x00\x01", "paper.pdf", ArticleError, r"paper.pdf: .pdf files are not articles here"),
        (b"\x00\x01\x02binary", "blob.txt", ArticleError, "blob.txt is a binary file"),
        ("Caf\u00e9".encode("latin-1"), "latin.md", ArticleError, "latin.md is not UTF-8 text"),
        (b"", "empty.html", ArticleError, "empty.html has no text"),
        ("   \n\n ", PASTED_NAME, ArticleError, "pasted text has no text"),
    ],
)
def test_a_refused_article_says_why_and_changes_nothing(base, data, name, error, message):
    collection = Collection(base, Limits(file_bytes=2_000, article_chars=1_000))
    collection.add(story("Kilbrook"), "kept.txt")
    before = list(collection.articles)
    with pytest.raises(error, match=message):
        collection.add(data, name)
    assert collection.articles == before


def test_a_session_holds_a_bounded_number_and_size_of_articles(base):
    by_count = Collection(base, Limits(articles=2))
    by_count.add(story("Kilbrook"), "a.txt")
    by_count.add(story("Dunmere"), "b.txt")
    with pytest.raises(LimitError, match="already has 2 added articles"):
        by_count.add(story("Ardmore"), "c.txt")

    sizes = [len(story(town)) for town in ("Kilbrook", "Dunmere", "Ardmore")]
    by_size = Collection(base, Limits(session_chars=sizes[0] + sizes[1] + 10))
    by_size.add(story("Kilbrook"), "a.txt")
    by_size.add(story("Dunmere"), "b.txt")
    with pytest.raises(LimitError, match=f"would bring this session to {sum(sizes):,} characters"):
        by_size.add(story("Ardmore"), "c.txt")
    assert len(by_size.added) == 2


def test_the_same_text_is_not_added_twice(base):
    collection = Collection(base)
    collection.add(story("Kilbrook"), "a.txt")
    with pytest.raises(ArticleError, match="same text as an article already here"):
        collection.add(story("Kilbrook"), "again.txt")
    shipped = base.index.documents[0].article.text
    with pytest.raises(ArticleError, match="same text as an article already here"):
        collection.add(shipped)


def test_unknown_article_names_are_a_typed_error(base):
    with pytest.raises(QAError, match="no article named 'nowhere' in this session"):
        Collection(base).engine("nowhere")


def test_choices_offer_each_article_and_all_when_there_are_several(base):
    collection = Collection(base)
    assert choices(collection.articles) == [
        ("“Real” risk of conflict: NATO: Russia threatens security in Europe", "nato-russia-real-risk-of-conflict")
    ]
    article = collection.add(story("Kilbrook"), "a.txt")
    assert choices(collection.articles)[1:] == [(article.headline, article.doc), ("All 2 articles", ALL_ARTICLES)]
    # A story pasted, then its saved page: one title, told apart by number.
    again = collection.add(story("Kilbrook", mayor="Jo Park"), "b.txt")
    assert choices(collection.articles)[1:3] == [(article.headline, article.doc), (f"{article.headline} (2)", again.doc)]


def test_sessions_never_see_each_others_articles_even_at_once(base):
    sessions = Sessions(base)
    towns = {f"visitor-{n}": f"Town{n}" for n in range(6)}
    errors: list[BaseException] = []

    def visit(session: str, town: str) -> None:
        try:
            _, article = sessions.add(session, story(town))
            engine = sessions.engine(session, article.doc)
            quotes = " ".join(verbatim(engine, "What did the mayor say about the bridge?"))
            assert town in quotes
            assert not any(other in quotes for other in towns.values() if other != town)
            assert [a.doc for a in sessions.get(session).added] == [f"Flood repairs finished in {town}"]
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=visit, args=item) for item in towns.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(sessions) == len(towns)


def test_a_session_without_articles_answers_from_the_base_and_an_ended_one_is_freed(base):
    sessions = Sessions(base)
    shipped = base.index.documents[0].article.doc
    assert sessions.engine("new", shipped) is base and sessions.engine("new", ALL_ARTICLES) is base
    assert sessions.get("new") is None
    collection, article = sessions.add("visitor", story("Kilbrook"))
    assert collection.added == [article]
    assert sessions.engine("visitor", article.doc) is not base
    assert sessions.end("visitor") is True
    assert sessions.get("visitor") is None and len(sessions) == 0
    assert sessions.end("visitor") is False
    # The page still names the dropped article: it is told so, not answered from another.
    with pytest.raises(QAError, match="the article 'Flood repairs finished in Kilbrook' is no longer held"):
        sessions.engine("visitor", article.doc)


def test_a_first_article_refused_leaves_no_session_behind(base):
    sessions = Sessions(base)
    with pytest.raises(ArticleError, match="has no text"):
        sessions.add("visitor", "   ")
    assert len(sessions) == 0


def test_a_refused_file_pushes_no_idle_visitor_out(base):
    sessions = Sessions(base, max_sessions=1, idle_seconds=0)
    sessions.add("first", story("Kilbrook"))
    with pytest.raises(ArticleError, match="has no text"):
        sessions.add("second", "   ")
    assert sessions.get("first") is not None and len(sessions) == 1


def test_adds_from_many_threads_keep_the_limits(base):
    collection = Collection(base, Limits(articles=3))
    outcomes: list[str] = []

    def add(town: str) -> None:
        try:
            outcomes.append(collection.add(story(town)).doc)
        except ArticleError as error:
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=add, args=(town,)) for town in ["Kilbrook"] * 3 + ["Dunmere", "Ardmore", "Lismore"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(collection.added) == 3
    assert len({article.sha256 for article in collection.added}) == 3  # the same text never twice
    assert outcomes.count("LimitError") + outcomes.count("ArticleError") == 3


def test_the_server_holds_a_bounded_number_of_sessions(base, monkeypatch):
    sessions = Sessions(base, max_sessions=2, idle_seconds=60)
    clock = [1000.0]
    monkeypatch.setattr("qa.collection.time.monotonic", lambda: clock[0])
    sessions.add("first", story("Kilbrook"))
    clock[0] += 30
    sessions.add("second", story("Dunmere"))
    with pytest.raises(LimitError, match="holds the articles of 2 visitors, its most; try again later"):
        sessions.add("third", story("Ardmore"))
    clock[0] += 31  # "first" has now been idle past the limit and makes room
    sessions.add("third", story("Ardmore"))
    assert sessions.get("first") is None and sessions.get("second") is not None


def test_a_hostile_article_is_indexed_and_answered_as_valid_json(base):
    hostile = (
        "Council <script>alert('x')</script> budget row\n\n"
        "The council <img src=x onerror=alert(1)> met on Monday to discuss the [budget](javascript:alert(1)).\n\n"
        "\"We cannot spend what we do not have,\" said Treasurer ![logo](http://evil.example/x.png) Ruth Obi "
        "\u202eevil\u202c and ‘quotes’ \\\" \x0b.\n"
    )
    collection = Collection(base)
    article = collection.add(hostile)
    engine = collection.engine(article.doc)
    for question in ("When did the council meet?", "What did Ruth Obi say?", "<script>?"):
        answer = engine.ask(question)
        data = json.loads(json.dumps(answer.to_dict()))
        assert data == answer.to_dict()
        for quote in answer.quotes + answer.closest:
            assert article.text[quote.start : quote.end] == quote.text
    assert "<img src=x onerror=alert(1)>" in engine.ask("When did the council meet?").quotes[0].text


@pytest.mark.parametrize("word", ["Aa-", "Aa'", "Aa, ", "x-"])
def test_a_hostile_article_of_one_long_word_is_added_and_asked_without_a_hang(base, word):
    """Patterns that restarted at every letter of a hyphenated word took 10 s to add such an article and
    30 s to answer one "How many …?" question on it: time that every visitor waits for."""
    collection = Collection(base)
    started = time.perf_counter()
    article = collection.add("Long word\n\n" + word * 20_000 + "end.\n")
    engine = collection.engine(article.doc)
    for question in ("How many are there?", "Who said the word?", "When was it?"):
        engine.ask(question)
    assert time.perf_counter() - started < 10
