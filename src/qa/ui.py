"""The web app: a chat over `qa.ask` beside the article, and the same answers as an API and MCP tool.

The app is a thin shell. Answers come from `QA.ask`, their markup from `markup.py`, a visitor's own
articles from `collection.py`; this module only lays out the page, keeps each visitor's conversation,
and names the endpoints. The API answers from the shipped article; pasted and uploaded articles belong
to the page's session alone.
"""

# No `from __future__ import annotations` here: Gradio hands an event the visitor's `gr.Request` by
# the parameter's annotation, which it must be able to read as the class itself.
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .answer import content_text
from .api import QA
from .article import Article
from .collection import ALL_ARTICLES, PASTED_NAME, Limits, Sessions, choices
from .errors import QAError
from .schema import Answer
from .markup import (
    Message,
    answer_markdown,
    answer_messages,
    article_html,
    error_message,
    escape_markdown,
    user_message,
)

if TYPE_CHECKING:
    import gradio as gr


log = logging.getLogger("qa")

EXAMPLES = [
    "What did Stoltenberg say about dialogue?",
    "Where will the EU ministers meet?",
    "What does Russia stand to lose?",
    "Who is hostile to negotiations with Moscow?",
    "Who is quoted in the article?",
]

# Follow-ups refer to the last exchanges; a long visit need not resend all of it with every question. Thirty
# exchanges let "What else did he say?" go through all of a much-quoted speaker's words before any is
# forgotten and given again.
HISTORY_TURNS = 60

# Answering is short CPU work (one question embedding, ~20 ms), so a queue shared by every endpoint and
# two workers, one per core, keeps answers coming without threads fighting over the cores; the queue's
# bound turns a flood into "queue full" replies instead of unbounded memory.
CONCURRENCY_ID = "answer"
CONCURRENCY_LIMIT = 2
QUEUE_SIZE = 256
# Embedding an added article takes seconds of both cores; one at a time leaves answering room to run.
ADDING_ID = "add"
LIMITS = Limits()
UPLOAD_TYPES = [".txt", ".md", ".html", ".htm"]
# Also what a visitor sees after choosing a file of another type, which Gradio refuses in the browser.
NOTHING_TO_ADD = (
    f"⚠ Nothing to add: paste an article's text, or choose a {', '.join(UPLOAD_TYPES[:-1])} "
    f"or {UPLOAD_TYPES[-1]} file."
)

ADDED = "Added"
# What the progress bar says while an added article is read and embedded.
EMBEDDING = "Reading and embedding the article"
BOTH_GIVEN = "⚠ Both pasted text and a file are here: add one at a time. Clear the text or remove the file, then press Add article."

CSS = """
.qa-article { max-height: 70vh; overflow-y: auto; padding-right: 0.5em; line-height: 1.5; }
.qa-article h2 { margin-top: 0; }
.qa-standfirst { margin: 0 0 0.5em; color: #374151; font-weight: 600; }
/* Gradio's subdued grey is 1.9:1 on white; this one reads at 7:1. */
.qa-number { display: inline-block; min-width: 1.8em; color: #4b5563; font-size: 0.85em; }
.qa-article mark { background: #fde68a; color: inherit; padding: 0 0.1em; }
.qa-paragraph.qa-quoted { border-left: 3px solid #f59e0b; padding-left: 0.5em; }
#qa-add-status:empty { display: none; }
/* Gradio's orange under white text is 2.8:1; this one is 5.2:1. */
#qa-add-button { background: #c2410c; border-color: #c2410c; color: #ffffff; }
#qa-add-button:hover { background: #9a3412; border-color: #9a3412; }
/* Closest passages did not answer: their sentence is set apart without the answers' highlight. */
#qa-chat em.qa-near { font-style: normal; text-decoration: underline dotted; }
/* Gradio's arrow lies over the chooser's text box; a long title on a narrow screen ran under it. */
#qa-source input { padding-right: var(--size-8); text-overflow: ellipsis; }
"""
# After an answer, bring its highlighted paragraph into view in the article panel, scrolling the panel
# alone: scrollIntoView scrolls the page too, and on a phone took the answer out of sight.
SCROLL_TO_QUOTE = """() => {
  const quoted = document.querySelector("#qa-article .qa-top") || document.querySelector("#qa-article .qa-quoted");
  const panel = quoted?.closest(".qa-article");
  if (panel) panel.scrollTop += quoted.getBoundingClientRect().top - panel.getBoundingClientRect().top - 16;
}"""
# After an answer, the chat shows where it starts: scrolled to its end, a long answer's first quotes were out
# of sight above. The question shows above it unless it would take a third of the box. The newest reply is
# the last message not folded (sources are): an answer, a decline or a refusal. A short reply ends at the
# bottom as before, since the box scrolls no further than its end.
SCROLL_TO_ANSWER = """() => {
  const chat = document.querySelector("#qa-chat [role=log]");
  const messages = [...(chat?.querySelectorAll('[data-testid="user"], [data-testid="bot"]') ?? [])];
  const reply = messages.findLast(message => message.dataset.testid === "bot" && !message.querySelector(".thought-group"));
  if (!reply) return;
  const asked = messages[messages.indexOf(reply) - 1];
  const top = node => node.getBoundingClientRect().top;
  const start = asked?.dataset.testid === "user" && top(reply) - top(asked) < chat.clientHeight / 3 ? asked : reply;
  chat.scrollTop += top(start) - top(chat) - 24;
}"""
# Another article, or the same one anew, opens at its headline.
_PANEL_TO_TOP = 'document.querySelector("#qa-article .qa-article")?.scrollTo(0, 0);'
SCROLL_TO_TOP = f"() => {{ {_PANEL_TO_TOP} }}"
# Once an article is added, it opens at its headline, and the question box is where the reader goes next:
# on a phone it is a long scroll up from the button. A refused article changes nothing.
AFTER_ADDING = f"""(status) => {{
  if (!status || !status.startsWith({ADDED!r})) return;
  {_PANEL_TO_TOP}
  document.querySelector("#qa-question")?.scrollIntoView({{block: "center"}});
}}"""
# How the app is served, locally and on a Space: no share link through Gradio's relay, no folder served
# beyond Gradio's own, and the MCP server on, which lists the public endpoints (`ask`, `chat`) as tools.
# Uploads over the article limit are refused by the server before they reach the app. Gradio keeps
# about 45 KB of state for every session, and every API call is a session of its own: by default up to
# 10,000 of them, 450 MB that a stream of API calls fills (tests/test_load.py). A thousand bounds it to
# 45 MB; under heavy API traffic, a page idle for some seconds then loses its conversation's state.
LAUNCH_OPTIONS: dict[str, Any] = {
    "share": False,
    "mcp_server": True,
    "footer_links": ["api"],
    "css": CSS,
    "max_file_size": LIMITS.file_bytes,
    "state_session_capacity": 1000,
}


def with_question(shown: list[Message], message: str) -> list[Message]:
    """`shown` with the visitor's question after it; a blank question has nothing to show but the reason
    it is refused."""
    return [*shown, user_message(message)] if message.strip() else shown


def chat_turn(
    engine: QA, message: str, shown: list[Message], turns: list[dict[str, str]], name_doc: bool | None = None
) -> tuple[list[Message], list[dict[str, str]], Answer | None]:
    """One turn of the page's chat. `shown` is what the chat displays (escaped Markdown), `turns` the
    plain conversation, passed to `ask` as its `history` (the latest HISTORY_TURNS of it); both come back
    extended, with the answer, or with None and an apology when the question is refused. Quotes name
    their article when `name_doc` says so (see `answer_messages`)."""
    shown = with_question(shown, message)
    try:
        answer = engine.ask(message, history=turns[-HISTORY_TURNS:])
    except QAError as error:
        refusal = error_message(str(error))
        # Enter pressed again on an empty box says nothing new: the reason stands once.
        # Gradio hands the chat's messages back with their content as a list of parts.
        repeated = bool(shown) and shown[-1].get("role") == "assistant" and content_text(shown[-1].get("content")) == refusal["content"]
        return (shown if repeated else [*shown, refusal]), turns, None
    turns = [*turns, {"role": "user", "content": message}, {"role": "assistant", "content": answer.text}]
    return [*shown, *answer_messages(answer, engine.index, name_doc)], turns, answer


def added_message(article: Article) -> str:
    paragraphs = len(article.paragraphs)
    return (
        f"{ADDED} *{escape_markdown(article.doc)}* ({paragraphs} paragraph{'s' * (paragraphs != 1)}). "
        "Answers now come from it; choose another article above at any time."
    )


def build_demo(engine: QA | None = None, limits: Limits = LIMITS) -> "gr.Blocks":
    """The app over `engine` (default: the shipped article), with its index and model loaded now.
    Visitors may add articles of their own within `limits`."""
    # Gradio reports usage to its makers unless told not to; a reader's questions are no one else's business.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # Answers run CONCURRENCY_LIMIT at a time, one per core; BLAS threads of their own would have them
    # fight over the same cores (`make bench`). Takes effect when nothing has loaded numpy yet, as in
    # `python app.py` and `qa serve`.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    # The server's log tells when visitors' articles are added and freed.
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("qa: %(message)s"))
        log.addHandler(handler)
    import gradio as gr

    from .api import default_qa

    engine = engine or default_qa()
    engine.warm_up()
    index = engine.index
    sessions = Sessions(engine, limits)
    first_article = index.documents[0].article

    def answer_or_refuse(question: str, history: list[dict[str, Any]] | None) -> Answer:
        """The answer, or the reason the question is refused as an error that API clients receive."""
        try:
            return engine.ask(question, history=history)
        except QAError as error:
            raise gr.Error(str(error)) from None

    def ask(question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Answer a question about the news article with verbatim quotes from it.

        Returns the answer as a dictionary; over MCP it comes written as a Python literal (True, False,
        None, quotes as Python puts them), not as JSON. Its keys: `found` (False when the article does
        not answer the question), `text` (the answer to show), and `quotes`, each with the exact `text`
        quoted, its character offsets `start` and `end` in the article, the `paragraph` number and
        `section`, and the `speaker` and `speaker_role` where someone said the words. When nothing is
        found, `closest` holds the nearest passages, which do not answer the question. Never invents text.

        Args:
            question: a question about the article, at most 1,000 characters.
            history: earlier turns of the conversation as {"role": "user" | "assistant", "content": str};
                a follow-up such as "And Hungary's?" is read in their light.
        """
        return answer_or_refuse(question, history).to_dict()

    def chat(message: str, history: list[dict[str, Any]] | None = None) -> str:
        """Answer a question about the news article as Markdown: the quotes, who said them and where.

        Args:
            message: a question about the article, at most 1,000 characters.
            history: earlier turns of the conversation as {"role": "user" | "assistant", "content": str}.
        """
        return answer_markdown(answer_or_refuse(message, history), index, name_doc=index.several_articles)

    def chosen_article(session: str, doc: str) -> Article:
        """The article the visitor has chosen; with all chosen, or the chosen one no longer held, the first."""
        collection = sessions.get(session)
        try:
            return first_article if collection is None or doc == ALL_ARTICLES else collection.article(doc)
        except QAError:
            return first_article

    def respond(
        message: str, shown: list[Message], turns: list[dict[str, str]], doc: str, request: gr.Request
    ) -> tuple[str, list[Message], list[dict[str, str]], Any]:
        session = request.session_hash
        try:
            chosen = sessions.engine(session, doc)
        except QAError as error:
            return gr.skip(), [*with_question(shown, message), error_message(str(error))], turns, gr.skip()
        # Once a visitor has articles of their own, every quote says which article it is from.
        name_doc = sessions.get(session) is not None or chosen.index.several_articles
        shown, turns, answer = chat_turn(chosen, message, shown, turns, name_doc=name_doc)
        if answer is None:
            # A refused question quotes nothing: no earlier answer's quote stays marked as if it were its.
            # The box is left as it is: the question stays, to be mended rather than typed again ("question
            # is 1,215 characters long"), and whatever was typed meanwhile is not overwritten.
            return gr.skip(), shown, turns, article_html(chosen_article(session, doc))
        # The article panel follows the answer: with all articles chosen, it shows the quoted one.
        quoted = answer.quotes[0].doc if answer.quotes else None
        article = chosen.index.article(quoted) if quoted else chosen_article(session, doc)
        return "", shown, turns, article_html(article, answer.quotes)

    # Gradio tracking tqdm would show sentence-transformers' bar under its own label, "Batches": the embedding
    # tells its progress to the bar instead.
    def add_article(
        pasted: str, upload: str | None, request: gr.Request, progress: gr.Progress = gr.Progress()
    ) -> tuple[Any, Any, Any, Any, str]:
        """Index the pasted text or the uploaded file for this session and make it the chosen article.
        A refused article changes nothing but the status line."""
        if upload and pasted.strip():
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), BOTH_GIVEN
        if upload:
            try:
                data, name = Path(upload).read_bytes(), Path(upload).name
            except OSError:  # Gradio's cache drops uploads left for an hour
                return gr.skip(), None, gr.skip(), gr.skip(), "⚠ The uploaded file is gone from the server; choose it again."
        elif pasted.strip():
            data, name = pasted, PASTED_NAME
        else:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), NOTHING_TO_ADD
        progress(0, desc=EMBEDDING)
        try:
            collection, article = sessions.add(
                request.session_hash, data, name, progress=lambda share: progress(share, desc=EMBEDDING)
            )
        except QAError as error:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), f"⚠ {escape_markdown(str(error))}"
        log.info("session added an article (%d characters; %d sessions hold articles)", len(article.text), len(sessions))
        chooser = gr.Dropdown(choices=choices(collection.articles), value=article.doc)
        return "", None, chooser, article_html(article), added_message(article)

    def show_chosen(doc: str, request: gr.Request) -> str:
        return article_html(chosen_article(request.session_hash, doc))

    def examples_for(doc: str) -> gr.Dataset:
        """The examples ask about the shipped article: shown while it is chosen, alone or with all."""
        return gr.Dataset(visible=doc in (first_article.doc, ALL_ARTICLES))

    def end_session(request: gr.Request) -> None:
        if sessions.end(request.session_hash):
            log.info("session ended; its articles are freed (%d sessions hold articles)", len(sessions))

    with gr.Blocks(title="qa: ask the article", delete_cache=(3600, 3600)) as demo:
        gr.Markdown(
            "## Ask the article\nEvery answer is a verbatim quote from the article beside the chat, with who "
            "said it and where. When the article doesn't say, neither does this."
        )
        turns = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Answers",
                    height=560,
                    sanitize_html=True,
                    allow_tags=False,
                    latex_delimiters=[],
                    buttons=["copy"],
                    # A bubble's copy button copies all of it: in bubbles of their own, an answer and the
                    # sources folded under it are copied apart.
                    group_consecutive_messages=False,
                    # SCROLL_TO_ANSWER scrolls instead, once the answer is in.
                    autoscroll=False,
                    feedback_options=None,
                    placeholder="Ask a question about the article.",
                    elem_id="qa-chat",
                )
                # No max_length: the box would cut a longer question short without a word; the answerer
                # refuses it, saying how long it is.
                question = gr.Textbox(
                    label="Question about the article",
                    placeholder="What did … say about …?",
                    show_label=False,
                    submit_btn="Ask",
                    elem_id="qa-question",
                    autofocus=True,
                )
                examples = gr.Examples([[q] for q in EXAMPLES], inputs=[question], label="Examples")
                # A half-typed question stays, as with the chat's own clear button.
                new_conversation = gr.ClearButton([chatbot, turns], value="New conversation", size="sm")
            with gr.Column(scale=2):
                source = gr.Dropdown(
                    choices=choices([first_article]),
                    value=first_article.doc,
                    label="Answers come from",
                    interactive=True,
                    elem_id="qa-source",
                )
                article_view = gr.HTML(article_html(first_article), elem_id="qa-article")
                with gr.Accordion("Add an article of your own", open=False, elem_id="qa-add"):
                    gr.Markdown(
                        f"Paste its text, or upload a {', '.join(UPLOAD_TYPES)} file (a saved news page "
                        f"works: its story is kept, menus and adverts dropped). Up to {limits.article_chars:,} "
                        f"characters each, {limits.articles} articles per visit; only you can ask about them, "
                        "and they are gone when you close the page."
                    )
                    # No max_length: the box would cut a longer article short without a word, and the
                    # rest be added as if whole; the server refuses it, saying how long it is.
                    pasted = gr.Textbox(
                        label="Article text",
                        lines=6,
                        placeholder="Headline\n\nFirst paragraph…",
                        elem_id="qa-paste",
                    )
                    upload = gr.File(label="…or a file", file_types=UPLOAD_TYPES, type="filepath", elem_id="qa-upload")
                    add = gr.Button("Add article", variant="primary", size="sm", elem_id="qa-add-button")
                    status = gr.Markdown(elem_id="qa-add-status")

        turn = dict(
            fn=respond,
            inputs=[question, chatbot, turns, source],
            outputs=[question, chatbot, turns, article_view],
            api_visibility="private",
            concurrency_id=CONCURRENCY_ID,
            concurrency_limit=CONCURRENCY_LIMIT,
        )
        for trigger in (question.submit, examples.load_input_event.then):
            trigger(**turn).then(fn=None, js=SCROLL_TO_QUOTE).then(fn=None, js=SCROLL_TO_ANSWER)
        show = dict(fn=show_chosen, inputs=source, outputs=article_view, api_visibility="private")
        new_conversation.click(**show).then(fn=None, js=SCROLL_TO_TOP)
        # The chat's own clear button forgets the conversation too, not only what the chat shows.
        chatbot.clear(lambda: [], outputs=turns, api_visibility="private").then(**show).then(fn=None, js=SCROLL_TO_TOP)
        source.input(**show).then(fn=None, js=SCROLL_TO_TOP)
        # `change`, not `input`: adding an article chooses it too.
        source.change(examples_for, inputs=source, outputs=examples.dataset, api_visibility="private")
        add.click(
            add_article,
            inputs=[pasted, upload],
            outputs=[pasted, upload, source, article_view, status],
            api_visibility="private",
            concurrency_id=ADDING_ID,
            concurrency_limit=1,
        ).then(fn=None, inputs=status, js=AFTER_ADDING)
        demo.unload(end_session)
        gr.api(ask, api_name="ask", concurrency_id=CONCURRENCY_ID, concurrency_limit=CONCURRENCY_LIMIT)
        gr.api(chat, api_name="chat", concurrency_id=CONCURRENCY_ID, concurrency_limit=CONCURRENCY_LIMIT)
    demo.queue(max_size=QUEUE_SIZE, default_concurrency_limit=CONCURRENCY_LIMIT)
    return demo
