"""The web app: a chat over `qa.ask` beside the article, and the same answers as an API and MCP tool.

The app is a thin shell. Answers come from `QA.ask`, their markup from `markup.py`; this module only
lays out the page, keeps each visitor's conversation, and names the endpoints.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .answer import MAX_QUESTION_CHARS
from .errors import QAError
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

    from .api import QA
    from .schema import Answer

EXAMPLES = [
    "What did Stoltenberg say about dialogue?",
    "Where will the EU ministers meet?",
    "What does Russia stand to lose?",
    "Who is hostile to negotiations with Moscow?",
]

# Follow-ups refer to the last few exchanges; a long visit need not resend all of it with every question.
HISTORY_TURNS = 20

# Answering is short CPU work (one question embedding, ~20 ms), so a queue shared by every endpoint and
# two workers, one per core, keeps answers coming without threads fighting over the cores; the queue's
# bound turns a flood into "queue full" replies instead of unbounded memory.
CONCURRENCY_ID = "answer"
CONCURRENCY_LIMIT = 2
QUEUE_SIZE = 256

CSS = """
.qa-article { max-height: 70vh; overflow-y: auto; padding-right: 0.5em; line-height: 1.5; }
.qa-article h2 { margin-top: 0; }
.qa-number { display: inline-block; min-width: 1.8em; color: var(--body-text-color-subdued); font-size: 0.85em; }
.qa-article mark { background: #fde68a; color: inherit; padding: 0 0.1em; }
.qa-paragraph.qa-quoted { border-left: 3px solid #f59e0b; padding-left: 0.5em; }
"""
# After an answer, bring its highlighted paragraph into view in the article panel.
SCROLL_TO_QUOTE = """() => {
  document.querySelector("#qa-article .qa-quoted")?.scrollIntoView({block: "nearest"});
}"""
# How the app is served, locally and on a Space: no share link through Gradio's relay, no folder served
# beyond Gradio's own, and the MCP server on, which lists the public endpoints (`ask`, `chat`) as tools.
LAUNCH_OPTIONS: dict[str, Any] = {"share": False, "mcp_server": True, "footer_links": ["api"], "css": CSS}


def chat_turn(
    engine: QA, message: str, shown: list[Message], turns: list[dict[str, str]]
) -> tuple[list[Message], list[dict[str, str]], Answer | None]:
    """One turn of the page's chat. `shown` is what the chat displays (escaped Markdown), `turns` the
    plain conversation, passed to `ask` as its `history` (the latest HISTORY_TURNS of it); both come back
    extended, with the answer, or with None and an apology when the question is refused."""
    shown = [*shown, user_message(message)]
    try:
        answer = engine.ask(message, history=turns[-HISTORY_TURNS:])
    except QAError as error:
        return [*shown, error_message(str(error))], turns, None
    turns = [*turns, {"role": "user", "content": message}, {"role": "assistant", "content": answer.text}]
    return [*shown, *answer_messages(answer, engine.index)], turns, answer


def build_demo(engine: QA | None = None) -> gr.Blocks:
    """The app over `engine` (default: the shipped article), with its index and model loaded now."""
    # Gradio reports usage to its makers unless told not to; a reader's questions are no one else's business.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # Answers run CONCURRENCY_LIMIT at a time, one per core; BLAS threads of their own would have them
    # fight over the same cores (`make bench`). Takes effect when nothing has loaded numpy yet, as in
    # `python app.py` and `qa serve`.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    import gradio as gr

    from .api import default_qa

    engine = engine or default_qa()
    engine.warm_up()
    index = engine.index
    shown_article = index.documents[0].article

    def answer_or_refuse(question: str, history: list[dict[str, Any]] | None) -> Answer:
        """The answer, or the reason the question is refused as an error that API clients receive."""
        try:
            return engine.ask(question, history=history)
        except QAError as error:
            raise gr.Error(str(error)) from None

    def ask(question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Answer a question about the news article with verbatim quotes from it.

        Returns the answer as JSON: `found` (False when the article does not answer the question),
        `text` (the answer to show), and `quotes`, each with the exact `text` quoted, its character
        offsets `start` and `end` in the article, the `paragraph` number and `section`, and the
        `speaker` and `speaker_role` where someone said the words. When nothing is found, `closest`
        holds the nearest passages, which do not answer the question. Never invents text.

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
        return answer_markdown(answer_or_refuse(message, history), name_doc=index.several_articles)

    def respond(
        message: str, shown: list[Message], turns: list[dict[str, str]]
    ) -> tuple[str, list[Message], list[dict[str, str]], Any]:
        shown, turns, answer = chat_turn(engine, message, shown, turns)
        view = article_html(shown_article, answer.quotes) if answer else gr.skip()
        return "", shown, turns, view

    headline = shown_article.headline or "the article"
    with gr.Blocks(title="qa: ask the article") as demo:
        gr.Markdown(
            f"## Ask the article\nEvery answer is a verbatim quote from *{escape_markdown(headline)}*, "
            "with who said it and where. When the article doesn't say, neither does this."
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
                    feedback_options=None,
                    placeholder="Ask a question about the article, or pick an example below.",
                    elem_id="qa-chat",
                )
                question = gr.Textbox(
                    placeholder="What did … say about …?",
                    show_label=False,
                    max_length=MAX_QUESTION_CHARS,
                    submit_btn="Ask",
                    elem_id="qa-question",
                    autofocus=True,
                )
                examples = gr.Examples([[q] for q in EXAMPLES], inputs=[question], label="Examples")
                new_conversation = gr.ClearButton([chatbot, turns, question], value="New conversation", size="sm")
            with gr.Column(scale=2):
                gr.Markdown("### The article")
                article_view = gr.HTML(article_html(shown_article), elem_id="qa-article")

        turn = dict(
            fn=respond,
            inputs=[question, chatbot, turns],
            outputs=[question, chatbot, turns, article_view],
            api_visibility="private",
            concurrency_id=CONCURRENCY_ID,
            concurrency_limit=CONCURRENCY_LIMIT,
        )
        for trigger in (question.submit, examples.load_input_event.then):
            trigger(**turn).then(fn=None, js=SCROLL_TO_QUOTE)
        new_conversation.click(lambda: article_html(shown_article), outputs=article_view, api_visibility="private")
        gr.api(ask, api_name="ask", concurrency_id=CONCURRENCY_ID, concurrency_limit=CONCURRENCY_LIMIT)
        gr.api(chat, api_name="chat", concurrency_id=CONCURRENCY_ID, concurrency_limit=CONCURRENCY_LIMIT)
    demo.queue(max_size=QUEUE_SIZE, default_concurrency_limit=CONCURRENCY_LIMIT)
    return demo
