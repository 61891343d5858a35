"""The chat's Markdown and the article's HTML: escaped, highlighted, and rendered by a real parser."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from qa.answer import NOT_FOUND, OWN_WORDS
from qa.api import QA
from qa.article import parse_article
from qa.markup import (
    CLOSEST_TITLE,
    SOURCES_TITLE,
    answer_markdown,
    answer_messages,
    article_html,
    escape_markdown,
    user_message,
)
from qa.schema import Answer, Quote
from qa.ui import chat_turn

from conftest import FakeEmbedder

HOSTILE_ARTICLE = (
    "Council <b>Votes</b> on *Budget*\n\n"
    "The council met on Monday. <script>alert('x')</script> The mayor said the vote was close.\n\n"
    "Spending [plan](javascript:alert(1)) and ![img](http://evil.example/x.png)\n\n"
    "“We agreed on **everything**,” said Mayor Ann Lee. Costs rose by 5 % & more.\n"
)
# CommonMark, and the GitHub flavour a chat renders, which also makes links of bare addresses
# ("www.example.com", "WWW.example.com", "https://…"), tables and strikethrough.
RENDERERS = [MarkdownIt("commonmark"), MarkdownIt("gfm-like")]
# The tags that Markdown without any syntax still produces.
PLAIN_TAGS = {"p", "br"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def _parse(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    return parser


def _words(text: str) -> list[str]:
    return text.split()


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")) | st.sampled_from("\n\r\t")))
@settings(max_examples=400, deadline=None)
def test_escaped_text_renders_as_exactly_its_characters(text):
    for renderer in RENDERERS:
        parsed = _parse(renderer.render(escape_markdown(text)))
        assert {tag for tag, _ in parsed.tags} <= PLAIN_TAGS
        assert all(not attrs for _, attrs in parsed.tags)
        assert _words("".join(parsed.text)) == _words(text)


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "*a* _b_ `c` # d", "&lt; &amp;", "$$x^2$$",
        "WWW.evil.com", "foo_www.evil.com", "_www.evil.com_", "https://evil.example", "a@b.com", "~~gone~~", "| a | b |",
    ],
)
def test_hostile_and_markdown_text_is_shown_literally(text):
    for renderer in RENDERERS:
        assert renderer.render(escape_markdown(text)) == f"<p>{html.escape(text, quote=False)}</p>\n"


def test_user_message_is_escaped_and_cut_at_the_limit():
    assert user_message("<b>hi</b>")["content"] == "&lt;b&gt;hi&lt;/b&gt;"
    long = user_message("y" * 5000)["content"]
    assert long == "y" * 1000 + "…"


@pytest.fixture(scope="module")
def hostile_qa(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    article = folder / "council.txt"
    article.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    engine = QA(folder / "index", articles=[article], embedder=FakeEmbedder())
    engine.warm_up()
    return engine


def _quote(engine: QA, needle: str, speaker: str | None = None, role: str | None = None) -> Quote:
    article = engine.index.documents[0].article
    sentence = next(s for s in article.sentences if needle in article.text[s.start : s.end])
    return Quote(
        text=article.text[sentence.start : sentence.end],
        start=sentence.start,
        end=sentence.end,
        doc=article.doc,
        paragraph=sentence.paragraph,
        section=article.paragraph(sentence.paragraph).section,
        score=0.8,
        speaker=speaker,
        speaker_role=role,
    )


def test_an_answer_is_a_block_quote_with_speaker_and_place_then_its_sources(hostile_qa):
    quote = _quote(hostile_qa, "We agreed", "Ann Lee", "Mayor")
    answer = Answer("What did the mayor say?", True, "…", (quote,))
    main, sources = answer_messages(answer, hostile_qa.index)
    rendered = MarkdownIt("commonmark").render(main["content"])
    parsed = _parse(rendered)
    assert [tag for tag, _ in parsed.tags] == ["blockquote", "p", "p", "em"]
    # The block quote marks it as a quotation; it is shown as it is, with no quotation marks of ours.
    assert parsed.text[1] == quote.text == "“We agreed on **everything**,” said Mayor Ann Lee."
    # The short line before it is a section heading: a hostile one, shown as it is.
    assert "— Ann Lee, Mayor\nparagraph 2 · Spending [plan](javascript:alert(1)) and ![img](http://evil.example/x.png)" in "".join(parsed.text)

    assert sources["metadata"] == {"title": SOURCES_TITLE, "status": "done"}
    sources_html = MarkdownIt("commonmark").render(sources["content"])
    marked = sources_html.split("<mark>")[1].split("</mark>")[0]
    assert html.unescape(marked) == quote.text
    assert html.unescape(sources_html.split("</mark>")[1]).startswith(" Costs rose by 5 % & more.")


def test_a_declined_answer_is_labelled_and_its_closest_passages_are_not_sources(hostile_qa):
    closest = _quote(hostile_qa, "council met")
    main, passages = answer_messages(Answer("Who won?", False, "…", (), (closest,)), hostile_qa.index)
    assert main["content"].startswith("⊘ **Not in the article.**")
    assert ">" not in main["content"]
    assert passages["metadata"]["title"] == CLOSEST_TITLE
    assert answer_messages(Answer("Who won?", False, "…"), hostile_qa.index) == [main]


def test_closest_passages_of_one_paragraph_show_it_once_with_each_marked(hostile_qa):
    first, second = _quote(hostile_qa, "council met"), _quote(hostile_qa, "vote was close")
    _, passages = answer_messages(Answer("Who won?", False, "…", (), (first, second)), hostile_qa.index)
    rendered = MarkdownIt("commonmark").render(passages["content"])
    assert rendered.count("paragraph 1") == 1
    # Set apart from their paragraph, but not highlighted as an answer's quotes are.
    assert "<mark>" not in rendered
    near = rendered.split('<em class="qa-near">')[1:]
    assert [html.unescape(part.split("</em>")[0]) for part in near] == [first.text, second.text]


def test_a_declined_follow_up_that_found_everything_says_so_not_that_it_missed(hostile_qa):
    told = Answer("What else did she say?", False, f"{NOT_FOUND} That is all the article quotes of Ann Lee.")
    assert answer_markdown(told, hostile_qa.index, name_doc=False) == "⊘ That is all the article quotes of Ann Lee."


def test_who_said_the_articles_own_words_is_shown_as_such(hostile_qa):
    quote = _quote(hostile_qa, "council met")
    main, _ = answer_messages(Answer("Who said that?", True, "…", (quote,), lead=OWN_WORDS), hostile_qa.index)
    assert main["content"].startswith(f"**{escape_markdown(OWN_WORDS)}**")
    assert "> " in main["content"]


def test_article_html_escapes_the_article_and_marks_the_quote(hostile_qa):
    article = hostile_qa.index.documents[0].article
    quote = _quote(hostile_qa, "We agreed")
    page = article_html(article, [quote])
    parsed = _parse(page)
    assert {tag for tag, _ in parsed.tags} == {"article", "h2", "h3", "p", "span", "mark"}
    attributes = {name for _, attrs in parsed.tags for name, _ in attrs}
    assert attributes == {"class", "id"}
    text = html.unescape("".join(parsed.text))
    assert "<script>alert('x')</script>" in text and "![img](http://evil.example/x.png)" in text
    assert page.count("<mark>") == 1 and html.unescape(page.split("<mark>")[1].split("</mark>")[0]) == quote.text
    assert page.count("qa-quoted") == 1
    numbers = [attrs for tag, attrs in parsed.tags if tag == "p"]
    assert [dict(a)["id"] for a in numbers] == [f"qa-p{n}" for n in range(1, len(article.paragraphs) + 1)]


def test_article_html_marks_the_top_quotes_paragraph_for_the_panel_to_scroll_to(hostile_qa):
    later, earlier = _quote(hostile_qa, "We agreed"), _quote(hostile_qa, "council met")
    page = article_html(hostile_qa.index.documents[0].article, [later, earlier])
    assert page.count("qa-quoted") == 2
    assert re.findall(r'class="[^"]*qa-top[^"]*" id="(qa-p\d+)"', page) == [f"qa-p{later.paragraph}"]


def test_article_html_shows_the_lines_under_the_headline_unless_they_repeat_it():
    kicker = parse_article("Seawall to be rebuilt\n\nFlood defences\nCouncil approves plan\n\nThe council voted.\n", "a")
    page = article_html(kicker)
    assert re.findall(r'<p class="qa-standfirst">([^<]*)</p>', page) == ["Flood defences", "Council approves plan"]
    assert page.index("qa-standfirst") < page.index('id="qa-p1"') and len(kicker.paragraphs) == 1
    repeated = parse_article("Risk of conflict: NATO warns\n\nRisk of conflict\nNATO warns\n\nThe council voted.\n", "b")
    assert "qa-standfirst" not in article_html(repeated)


class RecordingQA:
    """A QA that notes the history of every question before answering it."""

    def __init__(self, engine: QA) -> None:
        self.engine = engine
        self.index = engine.index
        self.histories: list[list[dict[str, str]]] = []

    def ask(self, question, *, history=None):
        self.histories.append(list(history))
        return self.engine.ask(question, history=history)


def test_the_same_refusal_twice_in_a_row_stands_once(hostile_qa):
    shown, turns, answer = chat_turn(hostile_qa, "", [], [])
    assert answer is None and len(shown) == 1 and "question is empty" in shown[0]["content"]
    assert chat_turn(hostile_qa, "  ", shown, turns)[0] == shown
    # As the chat hands its messages back: the content in parts.
    as_handed_back = [{"role": "assistant", "content": [{"type": "text", "text": shown[0]["content"]}], "metadata": None}]
    assert chat_turn(hostile_qa, "", as_handed_back, turns)[0] == as_handed_back


def test_follow_up_questions_pass_the_conversation_so_far(hostile_qa):
    engine = RecordingQA(hostile_qa)
    shown, turns, first = chat_turn(engine, "When did the council meet?", [], [])
    shown, turns, second = chat_turn(engine, "And what did the mayor say?", shown, turns)
    assert engine.histories[0] == []
    assert engine.histories[1] == [
        {"role": "user", "content": "When did the council meet?"},
        {"role": "assistant", "content": first.text},
    ]
    assert len(turns) == 4 and turns[-1] == {"role": "assistant", "content": second.text}
    assert [m["role"] for m in shown].count("user") == 2


def test_a_refused_question_gets_an_apology_and_leaves_the_conversation_as_it_was(hostile_qa):
    earlier = [{"role": "user", "content": "x"}]
    shown, turns, answer = chat_turn(hostile_qa, "   ", earlier, [])
    assert answer is None and turns == []
    assert shown[: len(earlier)] == earlier and shown[-2]["role"] == "user"
    apology = _parse(MarkdownIt("commonmark").render(shown[-1]["content"]))
    assert "".join(apology.text).strip() == "Sorry, I can't answer that: question is empty: ask something about the article"


def test_an_answers_lead_is_shown_before_its_quotes_its_first_line_bold_the_rest_plain(hostile_qa):
    quote = _quote(hostile_qa, "We agreed", "Ann *Lee*", "Mayor")
    lead = "1 speaker, in the order they first speak:\n- Ann *Lee*, Mayor: 1 quoted\n\nThe first words of each:"
    main, _ = answer_messages(Answer("Who is quoted?", True, "…", (quote,), lead=lead), hostile_qa.index)
    rendered = MarkdownIt("commonmark").render(main["content"])
    assert rendered.startswith("<p><strong>1 speaker, in the order they first speak:</strong>")
    assert "- Ann *Lee*, Mayor: 1 quoted" in html.unescape(rendered)
    assert "<em>" not in rendered.split("<blockquote>")[0]
    assert "<blockquote>" in rendered and "The first words of each:" in rendered

