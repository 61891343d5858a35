"""Follow-up questions made whole from the conversation: rules on made-up talk, then this article."""

from __future__ import annotations

import time

import pytest

from qa.answer import was_given
from qa.errors import QueryError
from qa.followup import dangling_reference, fitting_history, given_before, quote_followed, resolve
from qa.article import parse_article
from qa.quotes import find_speakers, speaker_pronouns, split_speaker


def _turns(question: str, answer: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


SPAIN = _turns("What is Spain's view on tariffs?", "“Spain opposes them.”\n— Spain\nparagraph 2")
MAYOR = _turns(
    "What did Mayor Lopez say about the harbour?",
    "“We will rebuild,” Lopez said.\n— Ana Lopez, Mayor\nparagraph 1 · The storm",
)


@pytest.mark.parametrize(
    ("history", "question", "whole"),
    [
        (SPAIN, "And Italy's?", "What is Italy's view on tariffs?"),
        (SPAIN, "What about Portugal's?", "What is Portugal's view on tariffs?"),
        (MAYOR, "And the governor?", "What did the governor say about the harbour?"),
        (MAYOR, "And Ortiz?", "What did Ortiz say about the harbour?"),
        (SPAIN, "And the ministers?", "What is the ministers’ view on tariffs?"),  # a noun phrase, any form
        (_turns("Which EU country opposes tariffs?", "“Spain does.”"), "And the Nordic countries?",
         "The Nordic countries opposes tariffs?"),
        (_turns("Which tariffs does Spain oppose?", "“Steel.”"), "And the ministers?",
         "Which tariffs does the ministers oppose?"),
        (MAYOR, "And what did the council say about it?", "What did the council say about the harbour?"),
        (MAYOR, "What did she say about the repairs?", "What did Lopez say about the repairs?"),
        (_turns("What did the mayor say about the flood?", "“We will rebuild.”"), "And the fire chief?",
         "What did the fire chief say about the flood?"),  # the speaker asked about, described
        (MAYOR, "When was the harbour built?", "When was the harbour built?"),  # stands on its own
        (_turns("Where did the ministers meet?", "“In Brest.”"), "When?", "When did the ministers meet?"),
        (_turns("How many ships did the storm sink?", "“Four.”"), "And where was that?", "Where ships did the storm sink?"),
        (_turns("Who warned of a storm?", "“Ann Lee.”"), "Why?", "Why?"),  # no "Why warned of a storm?"
        (MAYOR, "Why did the workers say they would strike?", "Why did the workers say they would strike?"),
        (MAYOR, "How many homes did they lose?", "How many homes did they lose?"),
        (MAYOR, "Anything about the 1\\2 split?", "What did Mayor Lopez say about the 1\\2 split?"),  # taken as typed
        (SPAIN, "Why?", "Why is Spain's view on tariffs?"),
        (_turns("Is the harbour open?", "“Yes.”"), "When?", "When?"),  # no question word to put it in place of
        (MAYOR, "Who said that?", "Who said “We will rebuild,” Lopez said.?"),
        (_turns("What did he say?", "I think he said we will rebuild the whole harbour."), "Who said it?",
         "Who said “I think he said we will rebuild the whole harbour.”?"),  # a caller's own answer, whole
        (_turns("Who won?", "The article doesn't say."), "Who said that?", "Who said that?"),
        (MAYOR, "What did she point out?", "What did Lopez point out?"),  # a pronoun before any verb
        (MAYOR, "Who is she meeting?", "Who is Lopez meeting?"),
        (MAYOR, "And what was the worst damage, according to her?", "What was the worst damage, according to Lopez?"),
        # "them" is a speaker in the plural only: the mayor is no "them".
        (MAYOR, "What was the cost, according to them?", "What was the cost, according to them?"),
        # "her" owning a noun is no source of its own.
        (MAYOR, "What did the report find, according to her predecessor?", "What did the report find, according to her predecessor?"),
        (_turns("What did the union say?", "“We will strike.”\n— Northern Trades Council\nparagraph 2"),
         "What did they tell the firm?", "What did Northern Trades Council tell the firm?"),  # a body by its name
        (MAYOR, "Anything about the repairs?", "What did Mayor Lopez say about the repairs?"),  # another topic
        (_turns("What will the league do?", "“Fund a study.”"), "Anything else about pitches?",
         "What will the league do about pitches?"),
        (_turns("What will the league do?", "“Fund a study.”"), "And wages?", "What will the league do about wages?"),
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


@pytest.mark.parametrize(
    ("history", "question"),
    [
        (_turns("What is Spain's view on " + "tariffs and " * 100_000 + "ports?", "“No.”"), "And Italy's?"),
        (_turns("What did the mayor say about " + "the harbour " * 100_000 + "?", "“No.”"), "Why is it about that?"),
        (_turns("What did the mayor say?", "“No.”\n— Ana " + "Lopez" * 100_000), "What did she say about ports?"),
    ],
    ids=["named", "topic", "speaker"],
)
def test_a_follow_up_made_longer_than_a_question_may_be_is_searched_as_asked(history, question):
    """A question alone may not exceed 1,000 characters; made whole from a huge history, it would have
    the whole of that searched, at seconds a megabyte."""
    assert resolve(question, history) == question


def test_a_history_of_many_opening_quotes_is_read_in_linear_time():
    """Found with one lazy pattern, the quote took 12 s for this history of 90 KB, and grew with its square."""
    history = [{"role": "assistant", "content": "\n“x" * 30_000}]
    started = time.perf_counter()
    # Not an answer in this project's form, so it is taken whole for the answerer to look in.
    assert quote_followed("What did he say next?", history) == history[0]["content"].strip()
    assert time.perf_counter() - started < 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("first", "follow_up", "expected"),
    [
        ("What did Stoltenberg say about dialogue?", "And what did Baerbock say about it?", "Annalena Baerbock"),
        ("What is Turkey's position on Russia?", "And Hungary's?", "Hungary makes no secret"),
        ("What did Stoltenberg say about dialogue?", "What did he say about Putin?", "Vladimir Putin will invade"),
        ("Where did the EU ministers want to meet?", "When?", "on Thursday and Friday"),
        ("When do government representatives of the USA and Russia want to talk?", "And where?", "in Geneva"),
    ],
)
def test_follow_up_pairs_on_the_article(shipped_qa, first, follow_up, expected):
    previous = shipped_qa.ask(first)
    answer = shipped_qa.ask(follow_up, history=_turns(previous.question, previous.text))
    assert answer.found and answer.question == follow_up
    top = answer.quotes[0]
    assert expected in top.text or expected == top.speaker


@pytest.mark.parametrize(
    "question",
    ["What did she say next?", "What did she add?", "What else did she say?", "And then?", "And after that?",
     "What came next?", "next?", "did she say anything else", "Did she say more?"],
)
def test_asking_what_came_next_takes_the_previous_quote(question):
    assert quote_followed(question, MAYOR) == "“We will rebuild,” Lopez said."


@pytest.mark.parametrize(
    ("history", "question"),
    [(MAYOR, "What did she say about the repairs?"), (MAYOR, "When did the storm hit?"), ([], "What did he add?"),
     (_turns("What did he say?", "The article doesn't say."), "What did he say next?"),
     # A question of its own, though it starts like one about what came next.
     (MAYOR, "What else did she say about the harbour?"), (MAYOR, "What did Ortiz say after that meeting?"),
     (MAYOR, "What did she add to the plan?"),
     # A declined answer shows passages that do not answer; there is nothing to go on from.
     (_turns("Who won?", "The article doesn't say. The closest passages, which do not answer the question:\n\n"
                         "“We will rebuild,” Lopez said.\n— Ana Lopez, Mayor\nparagraph 1"), "What did she say next?")],
)
def test_other_questions_or_no_quote_to_follow_take_none(history, question):
    assert quote_followed(question, history) is None


def test_the_quote_is_read_from_a_who_said_answer_and_across_line_breaks():
    answer = "Ana Lopez, Mayor:\n\n“We will rebuild.\nEvery family will get help.”\n— Ana Lopez, Mayor (reported speech)\nparagraph 1"
    assert quote_followed("What did she say next?", _turns("Who said it?", answer)) == (
        "We will rebuild.\nEvery family will get help."
    )


@pytest.mark.slow
def test_what_came_next_follows_a_quote_that_opens_with_the_articles_own_mark(shipped_qa):
    first = shipped_qa.ask("Who said the risk of conflict is real?")
    assert first.quotes[0].text.startswith("“")
    after = shipped_qa.ask("What did he say next?", history=_turns(first.question, first.text))
    quote = after.quotes[0]
    assert quote.speaker == "Jens Stoltenberg" and quote.start > first.quotes[0].end


@pytest.mark.slow
def test_what_came_next_follows_an_answer_given_in_the_callers_own_words(shipped_qa):
    """A caller's history need not hold this project's rendered answers: the article's sentence is found
    inside whatever the assistant turn says."""
    first = shipped_qa.ask("Who said that the risk of conflict is real?").quotes[0]
    history = [
        {"role": "user", "content": "Who said that the risk of conflict is real?"},
        {"role": "assistant", "content": f"It was Stoltenberg. He said: {first.text}"},
    ]
    after = shipped_qa.ask("What did he say next?", history=history)
    assert after.found and after.quotes[0].start > first.end
    assert after.quotes[0].speaker == first.speaker


@pytest.mark.slow
def test_what_came_next_follows_the_words_a_callers_answer_quotes(shipped_qa):
    """The caller quotes the article's words, ending them with a full stop where the article goes on."""
    history = [
        {"role": "user", "content": "What did the NATO chief say about the risk?"},
        {"role": "assistant", "content": "He said: “The risk of conflict is real.”"},
    ]
    after = shipped_qa.ask("What did he say next?", history=history).quotes[0]
    assert after.text.startswith("“Russia’s aggressive actions") and after.speaker == "Jens Stoltenberg"


@pytest.mark.slow
def test_what_came_next_follows_a_quote_given_in_part(shipped_qa):
    """An earlier answer that quotes only the start of a sentence still finds it."""
    first = shipped_qa.ask("Who said that the risk of conflict is real?").quotes[0]
    history = [{"role": "assistant", "content": first.text[: len(first.text) // 2]}]
    after = shipped_qa.ask("What did he say next?", history=history)
    assert after.found and after.quotes[0].start > first.end


@pytest.mark.slow
def test_who_said_that_names_the_speaker_of_the_previous_quote(shipped_qa):
    previous = shipped_qa.ask("What do Eastern European diplomats think of Washington's goal?")
    assert previous.found and previous.quotes[0].speaker
    answer = shipped_qa.ask("Who said that?", history=_turns(previous.question, previous.text))
    assert answer.found and answer.speaker and answer.speaker.startswith(previous.quotes[0].speaker)
    assert answer.quotes[0].start == previous.quotes[0].start


@pytest.mark.slow
def test_who_said_the_writers_own_words_is_nobody(shipped_qa):
    previous = shipped_qa.ask("What did the Central European countries think of negotiations?")
    assert previous.found and previous.quotes[0].speaker is None
    answer = shipped_qa.ask("Who said that?", history=_turns(previous.question, previous.text))
    assert answer.found and answer.speaker is None
    assert answer.text.startswith("Nobody: these are the article's own words, not a quotation of anyone.")
    assert [quote.start for quote in answer.quotes] == [previous.quotes[0].start]


def test_asking_for_something_else_sets_every_quote_given_aside():
    declined = _turns("Who won?", "The article doesn't say. The closest passages, …")
    history = [*MAYOR, *declined, *_turns("And the port?", "“Boats are back.”")]
    assert given_before("What else did the mayor say?", history) == f"{MAYOR[1]['content']}\n“Boats are back.”"
    assert given_before("What did the mayor say?", history) == ""


def test_a_sentence_was_given_only_as_a_quote_of_its_own():
    given = given_before("What else?", _turns("Who spoke?", "Jane Roe, Mayor:\n\n“He said  No. Then he left.”\n— Jane Roe, Mayor"))
    assert was_given("He said No. Then he left.", given)
    assert not was_given("No.", given)  # within another sentence


@pytest.mark.slow
@pytest.mark.parametrize("asked", ["What else did he say?", "What else did Stoltenberg say?"])
def test_what_else_someone_said_goes_through_all_their_words_once(shipped_qa, asked):
    first = shipped_qa.ask("What did Stoltenberg say about Putin?")
    retriever = shipped_qa.retriever
    theirs = [speaker for speaker in retriever.speakers if speaker and split_speaker(speaker)[0] == first.quotes[0].speaker]
    history, starts = _turns(first.question, first.text), [first.quotes[0].start]
    for _ in theirs[1:]:
        answer = shipped_qa.ask(asked, history=history)
        assert answer.found and answer.quotes[0].speaker == first.quotes[0].speaker
        starts.append(answer.quotes[0].start)
        history += _turns(asked, answer.text)
    assert len(set(starts)) == len(theirs)  # all of their sentences, each once, those before the first too
    for _ in range(2):  # and then no more, however often it is asked again
        exhausted = shipped_qa.ask(asked, history=history)
        assert not exhausted.found
        assert exhausted.text == "The article doesn't say. That is all the article quotes of Jens Stoltenberg."
        history += _turns(asked, exhausted.text)


@pytest.mark.slow
def test_what_else_someone_said_is_not_what_was_just_quoted(shipped_qa):
    first = shipped_qa.ask("What did Stoltenberg say about the risk of conflict?")
    answer = shipped_qa.ask("What else did Stoltenberg say?", history=_turns(first.question, first.text))
    assert answer.found and answer.quotes[0].start != first.quotes[0].start
    assert "Stoltenberg" in answer.quotes[0].speaker


@pytest.mark.parametrize(("question", "whole"), [("What is her job?", "What is Lopez’s job?"), ("Where does she work?", "Where does Lopez work?")])
def test_whose_job_is_asked_is_the_previous_speakers(question, whole):
    assert resolve(question, MAYOR) == whole


def test_a_declined_answer_names_nobody_a_pronoun_can_mean():
    declined = _turns("Who won?", "The article doesn't say. The closest passages, which do not answer the question:\n\n"
                                  "“We will rebuild.”\n— Ana Lopez, Mayor\nparagraph 1")
    assert resolve("What did she point out?", declined) == "What did she point out?"


@pytest.mark.parametrize(
    ("question", "word"),
    [("Who said that?", "that"), ("What did he add?", "he"), ("What else did she say?", "she"), ("What came next?", "What came next")],
)
def test_a_question_pointing_back_at_no_answer_is_told_so(question, word):
    declined = _turns("Who won?", "The article doesn't say.")
    assert dangling_reference(question, []) == word
    assert dangling_reference(question, declined) == word
    assert dangling_reference(question, MAYOR) is None  # there is an answer to point at
    assert dangling_reference("What did Lopez say about the bridge?", []) is None
    # Asked first, "he" may be the article's only man: the question asks something of its own.
    assert dangling_reference("What did he invent in 1890?", []) is None


def test_only_the_same_question_told_there_is_no_more_is_passed_over():
    first = _turns("What did Jane Doe say about rents?", "“Rents are too high,” Doe said.")
    told = _turns("What else did he say?", "The article doesn't say.")
    assert quote_followed("What else did he say?", first + told) == "“Rents are too high,” Doe said."
    other = _turns("What else did Tom Reeve say?", "The article doesn't say.")
    assert quote_followed("What else did he say?", first + other) is None


def test_he_or_she_follows_the_latest_answer_whose_speaker_it_can_mean():
    pronouns = {"“We will rebuild,” Lopez said.": "she", "“The bridge stays shut,” Reyes said.": "he", "“Rain.”": None}
    lopez, reyes, unknown = (_turns("What did they say?", answer) for answer in pronouns)
    declined = _turns("What did Biden say?", "The article doesn't say.")
    history = lopez + reyes + declined
    assert fitting_history("What else did she say?", history, pronouns.get) == lopez
    assert fitting_history("What did he say next?", history, pronouns.get) == history  # the latest fits
    assert fitting_history("Where does he work?", reyes + unknown, pronouns.get) == reyes + unknown  # not told
    assert fitting_history("What else did she say?", reyes, pronouns.get) == []  # no one to fit
    assert fitting_history("What else did they say?", history, pronouns.get) == history


def test_the_pronoun_of_a_speaker_is_read_from_titles_descriptions_and_he_or_she():
    text = (
        "Storm\n\n“We will rebuild,” Ms Lopez said. “The bridge stays shut,” said Tom Reyes. “No,” he added. "
        "“Yes,” said Jo Hart, a spokeswoman. “Maybe,” said Sam Lee.\n"
    )
    article = parse_article(text, "storm")
    speakers = find_speakers(article)
    texts = [article.sentence_text(i) for i in range(len(article.sentences))]
    assert speaker_pronouns(texts, speakers) == {"Ms Lopez": "she", "Tom Reyes": "he", "Jo Hart, a spokeswoman": "she"}


def test_they_is_the_previous_speaker_only_when_that_is_a_body_or_group():
    union = _turns("What did the union say?", "“Fix this.”\n— Northern Nevada Building Trades Council (reported speech)\nparagraph 3")
    assert resolve("What are they asking for?", union) == "What are Northern Nevada Building Trades Council asking for?"
    one = _turns("Who met Lopez?", "“We will rebuild,” Lopez said.\n— Ana Lopez, Mayor\nparagraph 1")
    assert resolve("What did they want?", one) == "What did they want?"


def test_he_after_who_someone_is_is_that_person():
    introduced = _turns("Who is Tom Reeve?", "“The council's cabinet member for housing, Tom Reeve, welcomed the fine.”")
    # As the question named him: "Reeve" alone could be another Reeve of the article.
    assert resolve("What did he say?", introduced) == "What did Tom Reeve say?"


@pytest.mark.slow
def test_a_bare_why_after_a_question_that_pointed_at_nothing_names_the_users_words(shipped_qa):
    declined = shipped_qa.ask("What did Joe Biden say?")
    history = _turns(declined.question, declined.text) + _turns("What did he add?", "The article doesn't say.")
    with pytest.raises(QueryError, match=r"“Why\?” refers back to the last answer, which found nothing in the article"):
        shipped_qa.ask("Why?", history=history)


@pytest.mark.slow
def test_who_said_that_after_a_declined_answer_says_the_last_answer_found_nothing(shipped_qa):
    first = shipped_qa.ask("What did Stoltenberg say about Putin?")
    declined = shipped_qa.ask("What did Joe Biden say?")
    history = _turns(first.question, first.text) + _turns(declined.question, declined.text)
    with pytest.raises(QueryError, match="“that” refers back to the last answer, which found nothing in the article"):
        shipped_qa.ask("Who said that?", history=history)


@pytest.mark.slow
def test_she_after_only_his_words_is_a_clear_error(shipped_qa):
    first = shipped_qa.ask("What did Stoltenberg say about Putin?")
    with pytest.raises(QueryError, match="“she” fits no one quoted in this conversation so far"):
        shipped_qa.ask("What else did she say?", history=_turns(first.question, first.text))


@pytest.mark.slow
def test_asking_what_he_added_with_nobody_quoted_yet_is_a_clear_error(shipped_qa):
    with pytest.raises(QueryError, match=r"“he” refers back to an earlier answer, and there is none to go by"):
        shipped_qa.ask("What did he add?")
    declined = shipped_qa.ask("What did Joe Biden say?")
    with pytest.raises(QueryError, match=r"“that” refers back to the last answer, which found nothing in the article"):
        shipped_qa.ask("Who said that?", history=_turns(declined.question, declined.text))


def test_a_history_of_long_blank_runs_is_read_in_linear_time():
    history = _turns("What did" + " " * 100_000 + "the mayor say?", "“We will rebuild.”")
    started = time.perf_counter()
    assert resolve("Anything about wages?", history) == "What did the mayor say about wages?"
    assert time.perf_counter() - started < 1
