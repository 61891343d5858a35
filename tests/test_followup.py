"""Follow-up questions made whole from the conversation: rules on made-up talk, then this article."""

from __future__ import annotations

import pytest

from qa.followup import resolve


def _turns(question: str, answer: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


SPAIN = _turns("What is Spain's view on tariffs?", "“Spain opposes them.”\n— Spain\nparagraph 2")
MAYOR = _turns(
    "What did Mayor Lopez say about the harbour?",
    "“We will rebuild,” Lopez said.”\n— Ana Lopez, Mayor\nparagraph 1 · The storm",
)


@pytest.mark.parametrize(
    ("history", "question", "whole"),
    [
        (SPAIN, "And Italy's?", "What is Italy's view on tariffs?"),
        (SPAIN, "What about Portugal's?", "What is Portugal's view on tariffs?"),
        (MAYOR, "And the governor?", "What did the governor say about the harbour?"),
        (MAYOR, "And Ortiz?", "What did Ortiz say about the harbour?"),
        (SPAIN, "And the ministers?", "The ministers?"),  # nothing named in that form to stand in for
        (MAYOR, "And what did the council say about it?", "What did the council say about the harbour?"),
        (MAYOR, "What did she say about the repairs?", "What did Ana Lopez say about the repairs?"),
        (MAYOR, "When was the harbour built?", "When was the harbour built?"),  # stands on its own
        ([], "And Italy's?", "And Italy's?"),  # nothing to follow
    ],
)
def test_follow_ups_are_rewritten_from_the_previous_turn(history, question, whole):
    assert resolve(question, history) == whole


def test_the_latest_turn_is_the_one_followed():
    history = SPAIN + _turns("What is Greece's view on fishing?", "“Greece wants quotas.”\n— Greece\nparagraph 4")
    assert resolve("And Malta's?", history) == "What is Malta's view on fishing?"


def test_turns_without_text_content_are_skipped():
    history = [*SPAIN, {"role": "assistant", "content": [{"type": "image"}]}]
    assert resolve("What did they say about ports?", history) == "What did Spain say about ports?"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("first", "follow_up", "expected"),
    [
        ("What did Stoltenberg say about dialogue?", "And what did Baerbock say about it?", "Annalena Baerbock"),
        ("What is Turkey's position on Russia?", "And Hungary's?", "Hungary makes no secret"),
        ("What did Stoltenberg say about dialogue?", "What did he say about Putin?", "Vladimir Putin will invade"),
    ],
)
def test_follow_up_pairs_on_the_article(shipped_qa, first, follow_up, expected):
    previous = shipped_qa.ask(first)
    answer = shipped_qa.ask(follow_up, history=_turns(previous.question, previous.text))
    assert answer.found and answer.question == follow_up
    top = answer.quotes[0]
    assert expected in top.text or expected == top.speaker
