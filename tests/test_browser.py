"""The chat in a real browser: Chromium, headless, driven by Playwright against `python app.py`."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ARTICLE, running_server

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
# Headless as root, and quiet: no sandbox (root has none), and none of the background connections to
# Google's hosts that a closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSWER_TIMEOUT_MS = 30_000
# `make screenshot` points this at docs/screenshot.png; otherwise the picture goes to a temporary folder.
SCREENSHOT_ENV = "QA_SCREENSHOT"

XSS_PAYLOADS = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]


@pytest.fixture(scope="module")
def server_log(tmp_path_factory):
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="module")
def server_url(server_log):
    with running_server("app.py", server_log) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One visitor's page, recording every dialog that opens and every request that leaves the server."""

    def __init__(self, browser, url: str, width: int = 1400, height: int = 1000) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.dialogs: list[str] = []
        self.foreign_requests: list[str] = []
        host = urlparse(url).netloc
        self.page.on("dialog", self._on_dialog)
        self.page.on(
            "request",
            lambda request: (
                self.foreign_requests.append(request.url)
                if urlparse(request.url).netloc != host and not request.url.startswith("data:")
                else None
            ),
        )
        self.page.goto(url)
        self.chat = self.page.locator("#qa-chat")
        self.question = self.page.locator("#qa-question textarea")

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def bot_messages(self):
        return self.chat.locator('[data-testid="bot"]')

    def ask(self, text: str) -> None:
        """Type `text`, press Enter and wait for the reply."""
        replies = self.bot_messages().count()
        self.question.fill(text)
        self.question.press("Enter")
        self.page.wait_for_function(
            "n => document.querySelectorAll('#qa-chat [data-testid=\"bot\"]').length > n",
            arg=replies,
            timeout=ANSWER_TIMEOUT_MS,
        )

    def last_user_message(self):
        return self.chat.locator('[data-testid="user"] .message-content').last


@pytest.fixture
def visit(browser, server_url):
    visit = Visit(browser, server_url)
    yield visit
    visit.page.close()


def test_a_question_gets_its_quote_speaker_place_and_source(visit, tmp_path):
    visit.ask("What did Stoltenberg say about dialogue?")
    quote = visit.chat.locator("blockquote").first
    assert "NATO will take part in “a sincere and fundamental dialogue” with Russia" in quote.inner_text()
    answer = visit.bot_messages().first.inner_text()
    assert "— Jens Stoltenberg, NATO Secretary General" in answer
    assert "paragraph 3" in answer

    sources = visit.chat.get_by_text("Sources", exact=True)
    sources.click()
    highlighted = visit.chat.locator("mark").first
    highlighted.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert highlighted.inner_text().startswith("NATO will take part in")

    article_mark = visit.page.locator("#qa-article mark")
    assert article_mark.count() == 1
    assert article_mark.inner_text().startswith("NATO will take part in")
    assert visit.page.locator("#qa-article #qa-p3.qa-quoted").count() == 1

    screenshot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "screenshot.png")
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(screenshot), animations="disabled")
    assert screenshot.stat().st_size > 10_000
    assert visit.foreign_requests == []


def test_an_answers_copy_button_copies_the_answer_without_its_sources(visit):
    visit.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit.ask("What did Stoltenberg say about dialogue?")
    answer = visit.bot_messages().filter(has=visit.page.locator("blockquote")).last
    # Gradio puts a bubble's buttons right after its row.
    buttons = answer.locator("xpath=ancestor::div[contains(@class, 'message-row')]/following-sibling::div[1]")
    buttons.get_by_role("button", name="Copy message").click()
    copied = visit.page.evaluate("navigator.clipboard.readText()")
    assert "NATO will take part in “a sincere and fundamental dialogue” with Russia" in copied
    assert "— Jens Stoltenberg, NATO Secretary General" in copied and "paragraph 3" in copied
    assert "Sources" not in copied and "At the same time" not in copied  # the rest of the sources' paragraph

    # The sources still follow the answer, folded until opened.
    sources = visit.bot_messages().last
    assert sources.inner_text().strip() == "Sources"
    assert visit.chat.get_by_text("At the same time").count() == 0
    sources.get_by_text("Sources", exact=True).click()
    visit.chat.get_by_text("At the same time").wait_for(timeout=ANSWER_TIMEOUT_MS)


@pytest.mark.parametrize("width, height", [(1400, 1000), (390, 844)])
def test_a_long_answer_shows_from_its_start_and_a_short_one_whole(browser, server_url, width, height):
    visit = Visit(browser, server_url, width=width, height=height)
    newest_reply = """() => {
        const chat = document.querySelector("#qa-chat [role=log]");
        const messages = [...chat.querySelectorAll('[data-testid="user"], [data-testid="bot"]')];
        const top = chat.getBoundingClientRect().top;
        const [question, answer, sources] = messages.slice(-3).map(node => node.getBoundingClientRect());
        return {question: question.top - top, answer: answer.top - top, end: sources.bottom - top,
                height: chat.clientHeight};
    }"""
    try:
        visit.ask("Where will the EU ministers meet?")
        visit.ask("What did Stoltenberg say?")
        assert visit.bot_messages().nth(-2).locator("blockquote").count() >= 3
        visit.page.wait_for_timeout(1_000)  # Gradio scrolled to the end 300 ms after the answer came
        shown = visit.page.evaluate(newest_reply)
        assert shown["end"] - shown["question"] > shown["height"]  # the question and answer do not fit
        assert 0 <= shown["question"] < shown["answer"] < shown["height"]

        visit.ask("Where will the EU ministers meet?")
        visit.page.wait_for_timeout(1_000)
        shown = visit.page.evaluate(newest_reply)
        assert 0 <= shown["question"] and shown["end"] <= shown["height"]  # all of it in view
    finally:
        visit.page.close()


def test_a_new_conversation_clears_the_chat_and_the_highlight(visit):
    visit.ask("Where will the EU ministers meet?")
    assert visit.page.locator("#qa-article mark").count() == 1
    visit.question.fill("What did Baerbock")  # a question half typed
    visit.page.get_by_role("button", name="New conversation").click()
    visit.page.wait_for_function("() => !document.querySelector('#qa-article mark')", timeout=ANSWER_TIMEOUT_MS)
    assert visit.chat.locator('[data-testid="bot"], [data-testid="user"]').count() == 0
    assert visit.question.input_value() == "What did Baerbock"  # kept, as the chat's own clear button keeps it


def test_clicking_an_example_asks_it(visit):
    visit.page.get_by_text("Where will the EU ministers meet?", exact=True).click()
    visit.chat.locator("blockquote").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "in Brest, western France" in visit.chat.locator("blockquote").first.inner_text()
    assert visit.last_user_message().inner_text() == "Where will the EU ministers meet?"


def test_a_declined_question_looks_unlike_an_answer(visit):
    visit.ask("What is the capital of Australia?")
    reply = visit.bot_messages().last
    assert reply.inner_text().startswith("⊘ Not in the article.")
    assert reply.locator("blockquote").count() == 0
    assert visit.chat.locator("blockquote").count() == 0


def test_article_view_shows_headline_sections_and_numbered_paragraphs(visit):
    article = visit.page.locator("#qa-article")
    assert article.locator("h2").inner_text().startswith("“Real” risk of conflict")
    assert article.locator("h3").all_inner_texts() == [
        "Strengthening the European position",
        "Russia has “a lot to lose”",
    ]
    paragraphs = article.locator("p.qa-paragraph")
    numbers = [paragraphs.nth(i).locator(".qa-number").inner_text() for i in range(paragraphs.count())]
    assert numbers == [str(n) for n in range(1, paragraphs.count() + 1)]
    last = ARTICLE.read_text(encoding="utf-8").split("\n\n")[-2].strip()
    assert paragraphs.last.inner_text().endswith(last[-60:])


@pytest.mark.parametrize("payload", XSS_PAYLOADS + ["*not bold* _not italic_ `not code` # not a heading"])
def test_hostile_questions_show_as_inert_text(visit, payload):
    visit.ask(payload)
    shown = visit.last_user_message()
    assert shown.inner_text() == payload
    assert shown.locator("img, a, em, strong, code, h1, script").count() == 0
    visit.page.wait_for_timeout(500)  # a broken image's onerror fires after its load fails
    assert visit.dialogs == []
    assert visit.page.locator('img[src="x"], a[href^="javascript"], [onerror]').count() == 0
    assert visit.foreign_requests == []


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_question_gets_its_reason_and_no_empty_bubble(visit, blank):
    visit.ask(blank)
    assert visit.chat.locator('[data-testid="user"]').count() == 0
    assert visit.bot_messages().count() == 1
    assert "question is empty" in visit.bot_messages().first.inner_text()


def test_enter_pressed_again_on_an_empty_box_gives_the_reason_once(visit):
    visit.ask("")
    for _ in range(2):
        visit.question.press("Enter")
    # A question sent while the empty ones are still answered is not taken: send it until it is. Its
    # answer comes after theirs.
    visit.question.fill("Where will the EU ministers meet?")
    for _ in range(20):
        visit.question.press("Enter")
        try:
            visit.chat.locator("blockquote").first.wait_for(timeout=1_500)
            break
        except Exception:  # noqa: BLE001 - Playwright's timeout; pressed again
            continue
    assert "in Brest, western France" in visit.chat.locator("blockquote").first.inner_text()
    assert visit.chat.get_by_text("question is empty").count() == 1


def test_a_refused_question_leaves_no_earlier_quote_marked(visit):
    visit.ask("Where will the EU ministers meet?")
    assert visit.page.locator("#qa-article mark").count() == 1
    visit.ask("z" * 1200)  # refused: over the length limit
    visit.page.wait_for_function("() => !document.querySelector('#qa-article mark')", timeout=ANSWER_TIMEOUT_MS)


def test_a_question_over_the_length_limit_is_refused_saying_how_long_it_is(visit):
    # The box does not cut it short without a word: the whole question goes, and is refused.
    visit.ask("z" * 1200)
    assert "question is 1200 characters long; the limit is 1000" in visit.bot_messages().last.inner_text()
    assert visit.question.input_value() == "z" * 1200  # kept, to be shortened rather than typed again


def test_the_chats_clear_button_forgets_the_conversation_too(visit):
    visit.ask("What did Stoltenberg say about dialogue?")
    visit.chat.get_by_role("button", name="Clear").click()
    visit.page.wait_for_function("() => !document.querySelector('#qa-chat [data-testid=\"bot\"]')", timeout=ANSWER_TIMEOUT_MS)
    visit.ask("What else did he say?")
    assert "refers back to an earlier answer, and there is none to go by" in visit.bot_messages().last.inner_text()


def test_who_said_the_articles_own_words_says_so_with_the_sentence(visit):
    visit.ask("Where will the EU ministers meet?")
    visit.ask("Who said that?")
    reply = visit.bot_messages().nth(-2).inner_text()
    assert reply.startswith("Nobody: these are the article's own words, not a quotation of anyone.")
    assert "in Brest, western France" in reply


def test_whom_the_article_quotes_is_listed_line_by_line_with_the_evidence(visit):
    visit.page.get_by_text("Who is quoted in the article?", exact=True).click()
    visit.chat.locator("blockquote").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    reply = visit.bot_messages().nth(-2)
    assert reply.locator("strong").first.inner_text().endswith("speakers, in the order they first speak:")
    lines = reply.inner_text().splitlines()
    listed = [line for line in lines if line.startswith("- ")]
    assert listed[0].startswith("- Jens Stoltenberg, NATO Secretary General: ")
    # One block quote, the speaker's first words, for each speaker listed.
    assert reply.locator("blockquote").count() == len(listed)


def test_on_a_phone_the_answer_stays_in_view(browser, server_url):
    phone = Visit(browser, server_url, width=390, height=844)
    try:
        phone.ask("What did Stoltenberg say about dialogue?")
        phone.page.wait_for_timeout(500)  # the panel's scroll runs after the answer
        top = phone.chat.locator("blockquote").first.evaluate("node => node.getBoundingClientRect().top")
        assert 0 <= top < 844
    finally:
        phone.page.close()


# Added articles: pasted or uploaded, for one visitor only.

PAGE = Path(__file__).resolve().parent / "data" / "news-page.html"
PAGE_HEADLINE = "Harbour city votes for tram line after decade of delays"
# Made up for these tests: a second story with a mayor of its own, so that each visitor's question has
# an answer in either visitor's article.
LIBRARY_STORY = """Town library reopens after flood repairs

The public library of Dunmere reopened on Saturday, eight months after a flood ruined its ground floor.

"Books survived upstairs, and so did our readers' patience," Mayor Colm Brady said at the opening.

Repairs cost 2.3 million euros, most of it paid by insurance.
"""


def open_adding(visit: Visit) -> None:
    if not visit.page.locator("#qa-paste textarea").is_visible():
        visit.page.get_by_text("Add an article of your own").click()


def add_article(visit: Visit, *, text: str | None = None, file: Path | None = None) -> str:
    """Paste `text` or upload `file`, press the button and return the status line once it has one."""
    open_adding(visit)
    if file is not None:
        visit.page.locator("#qa-upload input[type=file]").set_input_files(str(file))
        # Done when the file is on the server and offered for download. Its name as text is no sign:
        # that shows while uploading, and once uploaded it is split into stem and extension.
        visit.page.locator(f'#qa-upload a[download="{file.name}"]').wait_for(timeout=ANSWER_TIMEOUT_MS)
    if text is not None:
        visit.page.locator("#qa-paste textarea").fill(text)
    return press_add(visit)


def press_add(visit: Visit) -> str:
    """Press "Add article" and return the status line once it has a new outcome."""
    status = visit.page.locator("#qa-add-status")
    before = status.inner_text()
    visit.page.locator("#qa-add-button").click()
    # While the article is embedded, the status line shows Gradio's progress; then the outcome.
    visit.page.wait_for_function(
        """before => {
            const text = document.querySelector('#qa-add-status')?.innerText.trim() ?? '';
            return /^(Added|⚠)/.test(text) && text !== before;
        }""",
        arg=before.strip(),
        timeout=60_000,
    )
    return status.inner_text()


def article_choices(visit: Visit) -> list[str]:
    visit.page.locator("#qa-source input").click()
    options = visit.page.locator("#qa-source [role=option]")
    labels = [options.nth(i).get_attribute("aria-label") for i in range(options.count())]
    visit.page.keyboard.press("Escape")
    return labels


def choose_article(visit: Visit, label: str) -> None:
    visit.page.locator("#qa-source input").click()
    visit.page.locator("#qa-source").get_by_role("option", name=label, exact=True).click()


def test_an_uploaded_news_page_is_answered_from_its_story(visit):
    from qa.extract import article_text

    story = article_text(PAGE.read_bytes(), PAGE.name)
    status = add_article(visit, file=PAGE)
    assert status.startswith(f"Added {PAGE_HEADLINE}")
    view = visit.page.locator("#qa-article")
    assert view.locator("h2").inner_text() == PAGE_HEADLINE
    assert [h.strip() for h in view.locator("h3").all_inner_texts()] == ["Costs and funding", "What happens next"]
    for boilerplate in ("Advertisement", "cookies", "Most read", "newsletter", "All rights reserved", "waste of taxpayers"):
        assert boilerplate not in view.inner_text()

    visit.ask("How much will the tram line cost?")
    quote = visit.chat.locator("blockquote").last.inner_text().strip().strip("“”")
    assert "410 million euros" in quote and quote in story
    answer = visit.bot_messages().filter(has=visit.page.locator("blockquote")).last
    assert PAGE_HEADLINE in answer.inner_text()  # the quote names its article
    assert visit.page.locator("#qa-article mark").inner_text() in story

    panel = visit.page.locator("#qa-article .qa-article")
    assert panel.evaluate("panel => { panel.scrollTop = panel.scrollHeight; return panel.scrollTop; }") > 0
    choose_article(visit, "“Real” risk of conflict: NATO: Russia threatens security in Europe")
    visit.page.wait_for_function("() => document.querySelector('#qa-article h2').innerText.startsWith('“Real”')")
    # Another article opens at its headline, not where the last one was scrolled to.
    visit.page.wait_for_function("() => document.querySelector('#qa-article .qa-article').scrollTop === 0")
    visit.ask("What did Stoltenberg say about dialogue?")
    assert "sincere and fundamental dialogue" in visit.chat.locator("blockquote").last.inner_text()

    choose_article(visit, "All 2 articles")
    visit.ask("What did Verhoeven say about the trams?")
    assert "blank cheque" in visit.chat.locator("blockquote").last.inner_text()
    assert visit.page.locator("#qa-article h2").inner_text() == PAGE_HEADLINE
    assert visit.foreign_requests == [] and visit.dialogs == []


def test_adding_an_article_shows_its_progress_in_words_a_reader_knows(visit):
    # Made up, and long enough to be embedded in several batches.
    shelves = "".join(f"\nShelf {n} of the reading room was dried by volunteers on day {n}.\n" for n in range(150))
    open_adding(visit)
    visit.page.locator("#qa-paste textarea").fill(LIBRARY_STORY + shelves)
    # Every change to the page is read, however short the time it shows.
    visit.page.evaluate(
        """() => {
            const seen = window.qaProgress = new Set();
            new MutationObserver(() => {
                const text = document.body.innerText;
                if (text.includes("Batches")) seen.add("Batches");
                const share = text.match(/Reading and embedding the article - ([\\d.]+)%/);
                if (share) seen.add(Number(share[1]) > 0 ? "running" : "started");
            }).observe(document.body, {subtree: true, childList: true, characterData: true});
        }"""
    )
    assert press_add(visit).startswith("Added Town library reopens after flood repairs")
    assert sorted(visit.page.evaluate("[...window.qaProgress]")) == ["running", "started"]


def test_two_visitors_never_see_each_others_articles(browser, server_url):
    first, second = Visit(browser, server_url), Visit(browser, server_url)
    try:
        add_article(first, file=PAGE)
        add_article(second, text=LIBRARY_STORY)
        first.ask("What did the mayor say?")
        second.ask("What did the mayor say?")
        # Each visitor's answer is their own article's mayor: the quote and who said it.
        first_answer = first.bot_messages().filter(has=first.page.locator("blockquote")).last.inner_text()
        second_answer = second.bot_messages().filter(has=second.page.locator("blockquote")).last.inner_text()
        assert "Ines Albrecht" in first_answer and "Colm Brady" not in first_answer
        assert "Books survived" in second_answer and "Colm Brady" in second_answer and "Albrecht" not in second_answer
        assert not any("library" in choice for choice in article_choices(first))
        assert not any("tram" in choice for choice in article_choices(second))
    finally:
        first.page.close()
        second.page.close()


def test_closing_the_page_frees_its_articles(browser, server_url, server_log):
    visit = Visit(browser, server_url)
    add_article(visit, text=LIBRARY_STORY.replace("Dunmere", "Kilbrook"))
    log = server_log / "server.log"
    freed_before = log.read_text().count("its articles are freed")
    visit.page.close()
    # The server learns of the close when the page's heartbeat connection drops.
    deadline = time.monotonic() + 60
    while log.read_text().count("its articles are freed") == freed_before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert log.read_text().count("its articles are freed") > freed_before


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "is a binary file"),
        ("latin.txt", "Caf\u00e9 owners said the rent doubled.\n".encode("latin-1"), "is not UTF-8 text"),
        ("empty.md", b"", "has no text"),
        ("huge.txt", ("A sentence about the harbour. " * 4000).encode(), "the limit is 100,000"),
    ],
)
def test_a_bad_file_gets_one_clear_message_and_nothing_else_changes(visit, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    view_before = visit.page.locator("#qa-article").inner_html()
    status = add_article(visit, file=path)
    assert status.startswith("⚠") and message in status and name in status
    assert visit.page.locator("#qa-article").inner_html() == view_before
    assert article_choices(visit) == ["“Real” risk of conflict: NATO: Russia threatens security in Europe"]
    assert visit.chat.locator('[data-testid="bot"]').count() == 0


def test_a_pasted_article_over_the_limit_is_refused_whole(visit):
    # Made up: the library story, run on to past 100,000 characters.
    text = LIBRARY_STORY + "\n" + "Volunteers dried the books one by one in the town hall. " * 2000
    view_before = visit.page.locator("#qa-article").inner_html()
    status = add_article(visit, text=text)
    refused = re.fullmatch(r"⚠ pasted text has ([\d,]+) characters of text; the limit is 100,000", status.strip())
    assert refused and int(refused.group(1).replace(",", "")) > 100_000
    assert len(visit.page.locator("#qa-paste textarea").input_value()) == len(text)  # kept to shorten
    assert visit.page.locator("#qa-article").inner_html() == view_before
    assert article_choices(visit) == ["“Real” risk of conflict: NATO: Russia threatens security in Europe"]


def test_pasted_text_and_a_file_at_once_are_refused_and_neither_is_lost(visit, tmp_path):
    page = tmp_path / "library.txt"
    page.write_text(LIBRARY_STORY, encoding="utf-8")
    pasted = HOSTILE_ARTICLE
    status = add_article(visit, text=pasted, file=page)
    assert status.strip().startswith("⚠ Both pasted text and a file are here: add one at a time.")
    assert visit.page.locator("#qa-paste textarea").input_value() == pasted
    assert visit.page.locator(f'#qa-upload a[download="{page.name}"]').count() == 1
    assert article_choices(visit) == ["“Real” risk of conflict: NATO: Russia threatens security in Europe"]


def test_the_add_button_reads_at_ordinary_text_contrast(visit):
    open_adding(visit)
    foreground, background = visit.page.locator("#qa-add-button").evaluate(
        "button => [getComputedStyle(button).color, getComputedStyle(button).backgroundColor]"
    )

    def luminance(css: str) -> float:
        channels = [int(value) / 255 for value in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5


def test_a_file_of_another_type_gets_no_contradicting_line(visit, tmp_path):
    picture = tmp_path / "img.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    open_adding(visit)
    visit.page.locator("#qa-upload input[type=file]").set_input_files(str(picture))
    visit.page.get_by_text("Invalid file type").wait_for(timeout=ANSWER_TIMEOUT_MS)  # Gradio's own refusal
    status = press_add(visit)
    assert status.strip() == "⚠ Nothing to add: paste an article's text, or choose a .txt, .md, .html or .htm file."
    assert article_choices(visit) == ["“Real” risk of conflict: NATO: Russia threatens security in Europe"]


def test_the_examples_show_only_while_the_shipped_article_answers(visit):
    example = visit.page.get_by_text("Where will the EU ministers meet?", exact=True)
    example.wait_for(state="visible", timeout=ANSWER_TIMEOUT_MS)
    add_article(visit, text=LIBRARY_STORY)
    example.wait_for(state="hidden", timeout=ANSWER_TIMEOUT_MS)
    choose_article(visit, "All 2 articles")
    example.wait_for(state="visible", timeout=ANSWER_TIMEOUT_MS)
    choose_article(visit, "Town library reopens after flood repairs")
    example.wait_for(state="hidden", timeout=ANSWER_TIMEOUT_MS)
    choose_article(visit, "“Real” risk of conflict: NATO: Russia threatens security in Europe")
    example.click()
    visit.chat.locator("blockquote").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "in Brest, western France" in visit.chat.locator("blockquote").first.inner_text()


def test_on_a_phone_the_chosen_title_stops_short_of_its_arrow(browser, server_url, tmp_path):
    phone = Visit(browser, server_url, width=390, height=844)
    try:
        chooser = phone.page.locator("#qa-source input")
        chooser.scroll_into_view_if_needed()
        text_right, overflows, ellipsis = chooser.evaluate(
            """input => {
                const style = getComputedStyle(input);
                return [input.getBoundingClientRect().right - parseFloat(style.paddingRight),
                        input.scrollWidth > input.clientWidth, style.textOverflow === "ellipsis"];
            }"""
        )
        arrow = phone.page.locator("#qa-source .dropdown-arrow").bounding_box()
        phone.page.locator("#qa-source").screenshot(path=str(tmp_path / "chooser-390.png"))
        assert overflows, "the shipped headline no longer overflows a phone's chooser: this test tests nothing"
        assert ellipsis and text_right <= arrow["x"]
    finally:
        phone.page.close()


HOSTILE_ARTICLE = """Council <script>alert('x')</script> budget row

The council <img src=x onerror=alert(1)> met on Monday to discuss the [budget](javascript:alert(1)).

"We cannot spend what we do not have," Treasurer ![logo](http://evil.example/x.png) Ruth Obi said.
"""


def test_a_hostile_article_shows_as_inert_text(visit):
    add_article(visit, text=HOSTILE_ARTICLE)
    visit.ask("When did the council meet?")
    visit.chat.get_by_text("Sources", exact=True).click()
    visit.page.wait_for_timeout(500)  # a broken image's onerror fires after its load fails
    assert "<script>alert('x')</script>" in visit.page.locator("#qa-article h2").inner_text()
    assert "![logo](http://evil.example/x.png)" in visit.page.locator("#qa-article").inner_text()
    quote = visit.chat.locator("blockquote").last.inner_text()
    assert "<img src=x onerror=alert(1)>" in quote and "[budget](javascript:alert(1))" in quote
    assert visit.page.locator('#qa-article script, #qa-chat script, img[src="x"], a[href^="javascript"], [onerror]').count() == 0
    assert visit.dialogs == [] and visit.foreign_requests == []
