"""The chat in a real browser: Chromium, headless, driven by Playwright against `python app.py`."""

from __future__ import annotations

import os
import shutil
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
def server_url(tmp_path_factory):
    with running_server("app.py", tmp_path_factory.mktemp("server")) as url:
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

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
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


def test_a_new_conversation_clears_the_chat_and_the_highlight(visit):
    visit.ask("Where will the EU ministers meet?")
    assert visit.page.locator("#qa-article mark").count() == 1
    visit.page.get_by_role("button", name="New conversation").click()
    visit.page.wait_for_function("() => !document.querySelector('#qa-article mark')", timeout=ANSWER_TIMEOUT_MS)
    assert visit.chat.locator('[data-testid="bot"], [data-testid="user"]').count() == 0


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


def test_the_question_box_stops_at_the_length_limit(visit):
    # The server checks the limit too (test_app.py); the box keeps a visitor from typing past it.
    visit.question.fill("z" * 1200)
    assert len(visit.question.input_value()) == 1000
