"""Related words: a question word the article never uses is matched by the article's words like it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.api import QA
from qa.related import MAX_RELATED, RELATED_LIKENESS, STATE_LIKENESS, RelatedWords, comparable, same_state, state_names
from qa.retrieve import Bm25, Retriever, tokens

TEXTS = [
    "The ministry announced sanctions against the harbour company.",
    "The council met on Tuesday in the town hall.",
    "Fishermen said the storm had damaged their boats.",
]

ARTICLE = """Harbour inquiry ends

The council met on Tuesday to discuss the state of the harbour after last week's storm.

Fishermen said the storm had damaged dozens of boats and that the company running the harbour had been warned for years.

The ministry announced sanctions against the harbour company on Wednesday.

Officials said the company had ignored safety rules and would have to repair the sea wall by the spring.
"""


def _vectors(table: dict[str, list[float]]):
    """Word vectors from a table; a word it lacks is like none of the table's."""

    def word_vectors(words):
        rows = np.array([table.get(word, [0, 0, 0, 1]) for word in words], dtype="float32")
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    return word_vectors


def test_a_stand_in_scores_as_the_unused_word_would_times_its_likeness():
    bm25 = Bm25(TEXTS)
    query = tokens("What penalties were announced?")  # "penalties" is in no text, "sanctions" in the first
    exact = bm25.scores(query)
    stood_in = bm25.scores(query, {"penalty": [("sanction", 0.5)]})
    rows, weights = bm25.postings["sanction"]
    as_if_used = weights[0] / bm25.idf["sanction"] * bm25.unseen_idf
    full_match = bm25.idf["announc"] + bm25.unseen_idf
    assert rows.tolist() == [0]
    assert stood_in[0] - exact[0] == pytest.approx(0.5 * as_if_used / full_match)
    assert stood_in[1:] == pytest.approx(exact[1:])


def test_a_word_the_texts_use_is_never_stood_in_for():
    bm25 = Bm25(TEXTS)
    query = tokens("Which storm damaged the boats?")
    assert bm25.scores(query, {"storm": [("sanction", 1.0)]}) == pytest.approx(bm25.scores(query))


def test_several_stand_ins_count_as_the_most_alike_not_their_sum():
    bm25 = Bm25(["sanctions and fines", "sanctions", "fines"])
    sanction, fine = tokens("sanctions fines")
    both = bm25.scores(["penalty"], {"penalty": [(sanction, 0.6), (fine, 0.5)]})
    alone = bm25.scores(["penalty"], {"penalty": [(sanction, 0.6)]})
    assert both[0] == pytest.approx(alone[0])
    assert both[2] > 0


def test_related_words_are_the_alike_ones_most_alike_first():
    table = {"penalties": [1, 0, 0, 0], "sanctions": [1, 0.5, 0, 0], "fines": [1, 1, 0, 0], "boats": [0, 0, 1, 0]}
    related = RelatedWords({"sanction": ["sanctions"], "fin": ["fines"], "boat": ["boats"]}, _vectors(table))
    like, unrelated = related.like(["penalties", "unrelated"])
    assert [stem for stem, _ in like] == ["sanction", "fin"]
    assert like[0][1] > like[1][1] >= RELATED_LIKENESS
    assert unrelated == []


def test_a_word_gets_at_most_max_related_stand_ins():
    spellings = {f"word{letter}": [f"word{letter}"] for letter in "abcdefghijklmno"}
    assert len(spellings) > MAX_RELATED
    related = RelatedWords(spellings, lambda words: np.ones((len(words), 2), dtype="float32") / np.sqrt(2))
    assert len(related.like(["anything"])[0]) == MAX_RELATED


@pytest.mark.parametrize(
    ("word", "compared"),
    [("Poland's", "Poland"), ("sweden’s", "sweden"), ("penalties", "penalties"), ("2023", None), ("don’t", None),
     ("турция", None), ("long-term", None)],
)
def test_only_english_letters_are_compared_and_a_possessive_goes(word, compared):
    assert comparable(word) == compared


def _harbour_retriever(fake_embedder, tmp_path: Path, word_vectors) -> Retriever:
    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    engine = QA(tmp_path / "index", articles=[path], embedder=fake_embedder)
    return Retriever(engine.index, word_vectors)


def _lexical(retriever: Retriever, question: str, fake_embedder, word: str) -> float:
    candidates = retriever.search(question, fake_embedder.encode_query(question), 5)
    return next(c.lexical for c in candidates if word in retriever.texts[c.row])


def test_the_retriever_lets_the_articles_word_stand_in_only_with_word_vectors(fake_embedder, tmp_path: Path):
    table = {"penalties": [1, 0, 0, 0], "sanctions": [1, 0.2, 0, 0]}
    question = "What penalties were announced?"
    with_vectors = _harbour_retriever(fake_embedder, tmp_path, _vectors(table))
    without = Retriever(with_vectors.index, lambda words: None)
    assert with_vectors.stand_ins(question) == {"penalty": [("sanction", pytest.approx(0.98, abs=0.01))]}
    assert _lexical(with_vectors, question, fake_embedder, "sanctions") > _lexical(without, question, fake_embedder, "sanctions")
    assert without.stand_ins(question) == {}


def test_a_misspelt_word_is_the_articles_word_it_misspells(fake_embedder, tmp_path: Path):
    """By spelling alone, with no word vectors: a letter or two off, as alike as the two spellings are."""
    retriever = Retriever(_harbour_retriever(fake_embedder, tmp_path, None).index, None)
    question = "Which sanctoins did the ministry announce?"
    assert retriever.stand_ins(question) == {"sanctoin": [("sanction", pytest.approx(0.875))]}
    assert _lexical(retriever, question, fake_embedder, "sanctions") > _lexical(
        retriever, "Which penalties did the ministry announce?", fake_embedder, "sanctions"
    )
    # Spelt unlike any of the article's words, a word is no misspelling of one.
    assert retriever.stand_ins("Which penalties did the ministry announce?") == {}
    # Nor is one the model's vocabulary holds whole: "coast" is a word of its own, not a misspelt "cost".
    knowing = Retriever(retriever.index, None, lambda words: [True] * len(words))
    assert knowing.stand_ins(question) == {}


@pytest.mark.slow
def test_the_models_vocabulary_tells_a_word_from_a_misspelling(embedder):
    assert embedder.whole_words(["coast", "flight", "Board", "redy", "sanctoins", "negotaitions"]) == [
        True, True, True, False, False, False
    ]


@pytest.mark.parametrize(
    "question", ["Who met on Friday?", "Who met in Hamburg?", "Were five boats damaged?", "What did the fishermen tell?"]
)
def test_names_numbers_and_words_of_saying_get_no_stand_in(fake_embedder, tmp_path: Path, question):
    # Every word is alike here: only the rule keeps "Friday" from standing for "Tuesday", "five" for
    # "dozens", "tell" for "said".
    retriever = _harbour_retriever(fake_embedder, tmp_path, lambda words: np.ones((len(words), 2), dtype="float32") / np.sqrt(2))
    assert retriever.stand_ins(question) == {}
    assert retriever.stand_ins("Who met in the chamber?")  # an ordinary unused word does get some


@pytest.mark.slow
def test_the_models_word_vectors_find_the_articles_word_for_an_unused_one(embedder):
    vectors = embedder.word_vectors(["penalties", "sanctions", "boats", "Biden", "ሰላም"])
    assert np.allclose(np.linalg.norm(vectors[:4], axis=1), 1.0, atol=1e-5)
    assert not vectors[4].any()  # spelt only by the unknown piece: like nothing, not like every such word
    assert vectors[0] @ vectors[1] >= RELATED_LIKENESS
    assert vectors[0] @ vectors[2] < RELATED_LIKENESS
    assert vectors[3] @ vectors[1] < RELATED_LIKENESS


@pytest.mark.slow
def test_a_question_in_other_words_finds_the_sentence_by_the_articles_word(embedder, tmp_path: Path):
    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    engine = QA(tmp_path / "index", articles=[path], embedder=embedder)
    question = "What penalties were imposed?"  # the article says "sanctions", never "penalties"
    best = engine.retriever.search(question, embedder.encode_query(question), 5)[0]
    assert "sanctions" in engine.retriever.texts[best.row]
    assert best.lexical > 0
    without = Retriever(engine.index).search(question, embedder.encode_query(question), 5)
    assert next(c for c in without if c.row == best.row).lexical == 0


STATES_ARTICLE = """Border talks planned

Moscow said on Monday that it had no plans to send more troops to the border.

The alliance's foreign ministers will meet in Brussels on Friday to discuss the crisis.

Fishermen said the storm had damaged their boats.

Washington said it would send two envoys to the talks.
"""


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What does the Kremlin want?", ["Kremlin"]),
        ("what does the kremlin want", ["kremlin"]),  # typed all in lower case
        ("What did the White House and Downing Street say?", ["White House", "Downing Street"]),
        ("Did the US and the UK agree?", ["US", "UK"]),
        ("what did they tell us about turkey", []),  # ordinary words, not the states
        ("What did they tell us about the polish on the kremlin's domes?", []),  # a question with capitals: only those count
    ],
)
def test_state_names_are_found_as_news_writes_and_readers_type_them(question, names):
    assert state_names(question) == names


def test_a_states_other_names_are_its_country_people_capital_and_seat():
    assert {"moscow", "russia", "russian"} <= same_state("Kremlin")
    assert "kremlin" not in same_state("Kremlin")
    assert {"usa", "washington", "american"} <= same_state("White House")
    assert "us" not in same_state("White House")  # in lower-cased text, the pronoun as often
    assert "white house" not in same_state("USA")  # phrases are matched in questions only
    assert same_state("Hamburg") == frozenset()


def _states_retriever(fake_embedder, tmp_path: Path) -> Retriever:
    path = tmp_path / "border.txt"
    path.write_text(STATES_ARTICLE, encoding="utf-8")
    return QA(tmp_path / "index", articles=[path], embedder=fake_embedder).retriever


def test_a_states_name_the_article_never_uses_stands_for_the_one_it_does(fake_embedder, tmp_path: Path):
    retriever = _states_retriever(fake_embedder, tmp_path)
    question = "What plans does the Kremlin have for the border?"
    assert retriever.stand_ins(question)["kremlin"] == [("moscow", STATE_LIKENESS)]
    assert retriever.unknown_terms(question) == []
    assert retriever.unknown_terms("What are the Kremlin's plans for the border?") == []
    assert _lexical(retriever, question, fake_embedder, "Moscow said") > _lexical(
        retriever, "What plans does Zorland have for the border?", fake_embedder, "Moscow said"
    )
    # A state the article never names by any name is still unknown.
    assert retriever.unknown_terms("What plans does Beijing have for the border?") == ["Beijing"]


def test_a_state_speaks_by_any_of_its_names(fake_embedder, tmp_path: Path):
    retriever = _states_retriever(fake_embedder, tmp_path)
    moscow_said = next(row for row, text in enumerate(retriever.texts) if text.startswith("Moscow said"))
    assert retriever.speakers[moscow_said] == "Moscow"
    question = "What did the Kremlin say about troops?"
    assert retriever.silent_person(question) is None
    assert retriever.names_speaker_by_name(question, moscow_said)
    best = retriever.search(question, fake_embedder.encode_query(question), 5)[0]
    assert best.row == moscow_said and best.speaker == 1.0
    assert retriever.silent_person("What did Beijing say about troops?") == "Beijing"
    # A name of several words, too.
    question = "What did the White House say about envoys?"
    assert retriever.silent_person(question) is None
    best = retriever.search(question, fake_embedder.encode_query(question), 5)[0]
    assert retriever.speakers[best.row] == "Washington" and best.speaker == 1.0


MISSION_ARTICLE = """Runoff too close to call

The head of the European Union observation mission, Henrik Dahlberg, said the vote had been fair.

The World Health Organization said clinics stayed open on polling day.

Turnout was 71 percent, the electoral council said.
"""


def test_an_acronym_names_the_body_the_article_spells_out(fake_embedder, tmp_path: Path):
    path = tmp_path / "runoff.txt"
    path.write_text(MISSION_ARTICLE, encoding="utf-8")
    retriever = QA(tmp_path / "index", articles=[path], embedder=fake_embedder).retriever
    dahlberg = next(row for row, text in enumerate(retriever.texts) if text.startswith("The head"))
    question = "What did the EU observer say about the vote?"
    assert retriever.silent_person(question) is None and retriever.unknown_terms(question) == []
    best = retriever.search(question, fake_embedder.encode_query(question), 5)[0]
    assert best.row == dahlberg and best.speaker == 1.0
    assert retriever.silent_person("What did the WHO say about clinics?") is None
    # Initials the article's names do not spell are somebody it never quotes.
    assert retriever.silent_person("What did the UN say about the vote?") == "UN"


HEADS_ARTICLE = """Runoff too close to call

The head of the European Union observation mission, Henrik Dahlberg, said the vote had been fair.

Valmonte's head coach, Ray Ortiz, said his players were tired after the vote.
"""


def test_the_head_of_something_is_its_chief_and_a_head_coach_is_no_chief(fake_embedder, tmp_path: Path):
    path = tmp_path / "runoff.txt"
    path.write_text(HEADS_ARTICLE, encoding="utf-8")
    retriever = QA(tmp_path / "index", articles=[path], embedder=fake_embedder).retriever
    dahlberg = next(row for row, text in enumerate(retriever.texts) if text.startswith("The head"))
    ortiz = next(row for row, text in enumerate(retriever.texts) if text.startswith("Valmonte"))
    for question in ("What did the EU observer mission chief say about the vote?", "What did the chief say about the vote?"):
        assert retriever.silent_person(question) is None
        candidates = {candidate.row: candidate for candidate in retriever.search(question, fake_embedder.encode_query(question), 5)}
        assert candidates[dahlberg].speaker == 1.0 and candidates[ortiz].speaker == 0.0


@pytest.mark.slow
def test_a_question_naming_the_seat_of_government_is_answered_from_the_capitals_words(embedder, tmp_path: Path):
    path = tmp_path / "border.txt"
    path.write_text(STATES_ARTICLE, encoding="utf-8")
    answer = QA(tmp_path / "index", articles=[path], embedder=embedder).ask("Does the Kremlin plan to send more soldiers?")
    assert answer.found
    assert answer.quotes[0].text.startswith("Moscow said")
