"""The chat app: a thin Gradio shell over `qa.ask`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import QAError

if TYPE_CHECKING:
    import gradio as gr

    from .api import QA

EXAMPLES = [
    "What did Stoltenberg say about dialogue?",
    "Where will the EU ministers meet?",
    "What does Russia stand to lose?",
    "What did Baerbock say?",
]


def build_demo(engine: QA | None = None) -> gr.ChatInterface:
    """The chat app over `engine` (default: the shipped article), with its index loaded now."""
    import gradio as gr

    from .api import default_qa

    engine = engine or default_qa()
    engine.warm_up()

    def respond(message: str, history: list[dict[str, Any]]) -> str:
        try:
            return engine.ask(message, history=history).text
        except QAError as error:
            return f"Sorry, I can't answer that: {error}"

    headline = engine.index.documents[0].article.headline or "the article"
    return gr.ChatInterface(
        respond,
        title="Ask the article",
        description=f"Answers are verbatim quotes from “{headline}”, with who said them and where.",
        examples=EXAMPLES,
        api_name="chat",
    )
