"""Who said what on the shipped article: who-said answers, the kind of speech, and what came next."""

from __future__ import annotations

import pytest

from qa.answer import NOT_FOUND
from qa.markup import answer_markdown

pytestmark = pytest.mark.slow


def _turns(answer) -> list[dict[str, str]]:
    return [{"role": "user", "content": answer.question}, {"role": "assistant", "content": answer.text}]


def test_who_said_is_answered_with_the_speaker_then_the_quote(shipped_qa):
    answer = shipped_qa.ask("Who warned of a real risk of a renewed Russian invasion?")
    top = answer.quotes[0]
    # The article calls him "the Secretary General of the Defense Alliance" here and names him later.
    assert "Secretary General of the Defense Alliance warned" in top.text
    assert (top.speaker, top.speaker_role) == ("Jens Stoltenberg", "NATO Secretary General")
    assert answer.text.startswith("Jens Stoltenberg, NATO Secretary General:\n\n“After a crisis meeting")
    assert answer_markdown(answer, shipped_qa.index, name_doc=False).startswith("**Jens Stoltenberg, NATO Secretary General**:\n\n> After a crisis meeting")


def test_a_question_that_asks_no_speaker_is_not_led_by_one(shipped_qa):
    answer = shipped_qa.ask("What did Stoltenberg say about dialogue?")
    assert answer.text.startswith("“NATO will take part")


def test_reported_speech_is_labelled_as_such(shipped_qa):
    reported = shipped_qa.ask("What does Stoltenberg say about Russia's military reinforcement?").quotes[0]
    assert reported.text.startswith("According to Stoltenberg") and reported.speech == "reported"
    direct = shipped_qa.ask("What did Stoltenberg say about dialogue?").quotes[0]
    assert direct.speech == "direct"
    assert "— Jens Stoltenberg, NATO Secretary General (reported speech)\n" in shipped_qa.ask(
        "What does Stoltenberg say about Russia's military reinforcement?"
    ).text


def test_what_he_said_next_walks_through_his_statements_in_order(shipped_qa):
    answer = shipped_qa.ask("What did Stoltenberg say about whether Putin will invade?")
    assert answer.quotes[0].text.startswith("Stoltenberg said nobody knows")
    said = []
    history = _turns(answer)
    for _ in range(3):
        answer = shipped_qa.ask("What did he say next?", history=history)
        said.append(answer.quotes[0].text[:30])
        assert answer.quotes[0].speaker == "Jens Stoltenberg"
        history += _turns(answer)
    assert said == ["He added that Russia “has a gr", "Moscow wants to “restore its s", "“It tries to push back NATO an"]


def test_nothing_more_said_is_declined_and_an_unknown_quote_is_searched(shipped_qa):
    last = shipped_qa.ask("Who said that they don't really know what Washington's goal is?")
    assert last.quotes[0].speaker == "an Eastern European diplomat"
    nothing_more = shipped_qa.ask("What did he say next?", history=_turns(last))
    # Declined by place, with no passages offered: a search would have offered the closest ones.
    assert (nothing_more.found, nothing_more.closest) == (False, ())
    assert nothing_more.text == f"{NOT_FOUND} An Eastern European diplomat says nothing more after that in the article."
    elsewhere = [{"role": "user", "content": "Who?"}, {"role": "assistant", "content": "“Words from elsewhere.”\n— Jens Stoltenberg\nparagraph 1"}]
    searched = shipped_qa.ask("What else did he say about the risk of conflict?", history=elsewhere)
    assert "The risk of conflict is real" in searched.quotes[0].text
