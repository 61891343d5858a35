"""What kind of answer a question asks for, and which sentences can give it."""

from __future__ import annotations

import pytest

from qa.question import AnswerType, answer_type, answers_weakly, asks_who_said, can_answer, person_asked_about


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What did the mayor say about the budget?", AnswerType.STATEMENT),
        ("What has the minister told reporters?", AnswerType.STATEMENT),
        ("How many people attended?", AnswerType.NUMBER),
        ("How much did the bridge cost?", AnswerType.NUMBER),
        ("When will the talks start?", AnswerType.TIME),
        ("On what day is the vote?", AnswerType.DATE),
        ("In which year did it open?", AnswerType.DATE),
        ("How long did the strike last?", AnswerType.TIME),
        ("Who chairs the committee?", AnswerType.PERSON),
        ("Which official signed the order?", AnswerType.PERSON),
        ("Where is the summit?", AnswerType.PLACE),
        ("Which countries joined?", AnswerType.PLACE),
        ("What does the plan include?", None),
        ("Why did prices rise?", None),
    ],
)
def test_answer_type_of_questions(question, kind):
    assert answer_type(question) is kind


@pytest.mark.parametrize(
    ("kind", "sentence", "speaker", "fits"),
    [
        (AnswerType.NUMBER, "About 3,000 people came.", None, True),
        (AnswerType.NUMBER, "Only a few residents stayed.", None, True),
        (AnswerType.NUMBER, "A massive crowd came to the square.", None, False),
        (AnswerType.TIME, "The talks start on Monday.", None, True),
        (AnswerType.TIME, "It was built in the 1980s.", None, True),
        (AnswerType.TIME, "The talks were difficult.", None, False),
        (AnswerType.TIME, "The river burst its banks at 4.30pm.", None, True),  # a time of day
        (AnswerType.TIME, "The session begins Jan. 20.", None, True),  # an abbreviated month
        (AnswerType.DATE, "The caps take effect beginning Jan. 5.", None, True),
        (AnswerType.TIME, "He spoke after the meeting.", None, True),
        (AnswerType.DATE, "He spoke after the meeting.", None, False),
        (AnswerType.DATE, "They may meet on Monday.", None, True),
        (AnswerType.DATE, "They may meet soon.", None, False),
        (AnswerType.NUMBER, "It wants to keep out Finland and Sweden.", None, True),
        (AnswerType.NUMBER, "The aim is twofold.", None, True),
        (AnswerType.PERSON, "Mayor Ana Lopez signed it.", None, True),
        (AnswerType.PERSON, "The officials signed it.", None, True),
        (AnswerType.PERSON, "The order was signed.", None, False),
        (AnswerType.PERSON, "“We signed it,” she said.", "Mayor Ana Lopez", True),
        (AnswerType.PLACE, "The summit is in Vienna.", None, True),
        (AnswerType.PLACE, "Sweden rationed fuel.", None, True),
        (AnswerType.PLACE, "The summit was long.", None, False),
        (AnswerType.STATEMENT, "The budget grew.", None, False),
        (AnswerType.STATEMENT, "“The budget grew,” the mayor said.", "the mayor", True),
        (None, "Anything at all.", None, True),
    ],
)
def test_which_sentences_can_answer(kind, sentence, speaker, fits):
    assert can_answer(kind, sentence, speaker) is fits


@pytest.mark.parametrize(
    ("sentence", "weakly"),
    [
        ("The summit is in Vienna.", False),
        ("Two of the injured were taken to St. Adalbert Medical Center.", False),
        ("Shares fell after the Kessenberg-based chipmaker cut its forecast.", False),
        ("Priya Shah, a trader based in Boston, sold.", False),
        ("DORREGA, Belmora (AP) — A strong earthquake shook the north.", False),
        # A capitalised word alone is as often a person or a body as a place.
        ("Sweden rationed fuel.", True),
        ("Secretary General Anneliese Korver said the mission had support.", True),
        ("The summit was held at short notice.", True),
    ],
)
def test_a_where_question_is_answered_weakly_by_a_sentence_that_names_no_place_as_a_place(sentence, weakly):
    assert can_answer(AnswerType.PLACE, sentence, None)
    assert answers_weakly(AnswerType.PLACE, sentence) is weakly
    assert not answers_weakly(AnswerType.TIME, sentence)


@pytest.mark.parametrize(
    ("question", "person"),
    [("Who is Jane Doe?", "Jane Doe"), ("Where does Prof Hill work?", "Prof Hill"), ("Where is Lena Hartmann based?", "Lena Hartmann"),
     ("What is Baerbock’s job?", "Baerbock"), ("What does Roe do?", "Roe"), ("Who does Kim Soto work for?", "Kim Soto"),
     ("Which firm does Priya Shah work for?", "Priya Shah"), ("Which party does Tomás Arriaga belong to?", "Tomás Arriaga"),
     ("Who does Lee Park play for?", "Lee Park"), ("what newspaper does Ann Cole write for", "Ann Cole"),
     ("Who is the mayor?", None), ("Who said the risk is real?", None), ("Where did the talks take place?", None),
     ("Which party won the vote?", None), ("Which firm does the mayor work for?", None), ("Which hospital is Tom Reid in?", None)],
)
def test_the_person_a_question_asks_about(question, person):
    assert person_asked_about(question) == person


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("which official said nobody thinks it is an exercise", True),
        ("Which of the experts warned about floods?", True),
        ("Which sanctions were announced?", False),  # what was said, not who said it
        ("Which countries were described as hostile?", False),
        ("Which towns does Robichaud say have no backup?", False),  # what he said, of towns
        ("Which sanctions did the minister say were needed?", False),
        ("Which countries has Russia warned?", False),
    ],
)
def test_which_with_a_verb_of_saying_asks_who_said(question, asks):
    assert asks_who_said(question) is asks
