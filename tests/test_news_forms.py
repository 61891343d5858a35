"""Answers on short made-up articles in forms the shipped one lacks: an obituary, a council story, a
science story, a court report and an earnings report, alone and as one collection, with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.api import QA
from qa.chunks import ChunkSettings
from qa.errors import QueryError
from qa.index import build, save

pytestmark = pytest.mark.slow

ARTICLES = {
    "obituary": (
        "Eli Stone, saxophonist of the church-rooted sound, dies at 86\n\n"
        "Eli Stone, a tenor saxophonist whose broad sound carried him from storefront churches to the concert "
        "halls of Europe, died on Tuesday at his home in Carrow Heights, N.J. He was 86.\n\n"
        "The cause was heart failure, his daughter, Lena Stone-Ruiz, said.\n\n"
        "Mr. Stone recorded 41 albums as a leader. “I learned to breathe in church before I learned to play in "
        "a club,” he wrote in his 1998 memoir.\n"
    ),
    "council": (
        "Council approves plan to reopen Millbrook library\n\n"
        "Ashford Vale District Council voted on Tuesday to spend £4.2 million reopening the Millbrook library, "
        "which closed in 2019. The refurbished building will include a small café run by a local charity.\n\n"
        "Councillor Geoffrey Marsh, who leads the opposition, said the council was spending money it did not have. "
        "“This is the wrong project at the wrong time,” he said.\n\n"
        "The chief engineer on the project, Tomasz Nowak of Coastline Partners, rejected the criticism. He told "
        "the meeting that the roof could be repaired within a year.\n\n"
        "A spokesperson for Ashford Vale District Council said the contract would be put out to tender in January.\n\n"
        "Council tax will rise by about £40 a year, the town treasurer, Gareth Lloyd, said.\n"
    ),
    "science": (
        "Seagrass stores more carbon than thought\n\n"
        "Seagrass meadows lock away twice as much carbon as estimated, according to a study published on "
        "Wednesday in the journal Marine Letters.\n\n"
        "Restoring half of the lost meadows could remove 1.8 million tonnes of carbon dioxide a year, the "
        "researchers calculated.\n\n"
        "Professor Anders Holm, a co-author, called for boats to be banned from anchoring in the meadows.\n\n"
        "The government said it would set out its response in its marine plan, due next spring.\n"
    ),
    "court": (
        "Charity treasurer jailed for fraud\n\n"
        "Deborah Finch, 54, was jailed on Friday for stealing £412,000 from a carers' charity.\n\n"
        "Finch told the jury she had borrowed the money and always intended to pay it back.\n\n"
        "Sarah Okonedo, prosecuting, said the payments had been disguised as invoices from suppliers who did not exist.\n\n"
        "Marcus Hale, defending, said his client had been struggling with gambling debts and depression.\n\n"
        "The Lantern Institute, which ran the charity's respite service, said it had tightened every financial control.\n"
    ),
    "earnings": (
        "Veltro shares fall on weak outlook\n\n"
        "Veltro Semiconductor said revenue rose 23 per cent to €4.82bn in the July-September quarter.\n\n"
        "Its shares fell 11 per cent in Kessenberg.\n"
    ),
}


def _engine(articles: list[Path], folder: Path, embedder) -> QA:
    save(build(articles, embedder, ChunkSettings()), folder)
    return QA(folder, articles=articles, embedder=embedder)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("forms")
    paths = {}
    for name, text in ARTICLES.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def alone(files, embedder, tmp_path_factory) -> dict[str, QA]:
    return {name: _engine([path], tmp_path_factory.mktemp(name), embedder) for name, path in files.items()}


@pytest.fixture(scope="module")
def collection(files, embedder, tmp_path_factory) -> QA:
    return _engine([files["council"], files["science"]], tmp_path_factory.mktemp("collection"), embedder)


def _turns(answer) -> list[dict[str, str]]:
    return [{"role": "user", "content": answer.question}, {"role": "assistant", "content": answer.text}]


def test_an_age_in_a_sentence_of_its_own_answers_how_old_he_was_after_a_question_naming_him(alone):
    obituary = alone["obituary"]
    died = obituary.ask("Where did Eli Stone die?")
    assert died.quotes[0].speaker is None  # the writer's words: "he" is the one the question named
    age = obituary.ask("how old was he", history=_turns(died))
    assert age.found and age.quotes[0].text == "He was 86."


def test_what_he_added_after_the_writers_own_words_is_a_clear_error_unless_he_was_named(alone):
    obituary = alone["obituary"]
    died = obituary.ask("When did the saxophonist die?")
    assert died.found and died.quotes[0].speaker is None
    with pytest.raises(QueryError, match="“he” refers back to the last answer, which quotes no one"):
        obituary.ask("What did he add?", history=_turns(died))
    # Named in the question before, "he" is Eli Stone, and his own words are searched.
    named = obituary.ask("Where did Eli Stone die?")
    added = obituary.ask("What did he add?", history=_turns(named))
    assert added.found and added.quotes[0].speaker == "Eli Stone"


def test_a_description_ending_in_a_role_finds_its_speaker(alone):
    engineer = alone["council"].ask("What did the engineer say about the roof?")
    assert engineer.found and engineer.quotes[0].speaker == "Tomasz Nowak"
    treasurer = alone["council"].ask("What did the treasurer say?")
    assert treasurer.found and treasurer.quotes[0].speaker == "Gareth Lloyd"
    spokesperson = alone["council"].ask("What did the council spokesperson say?")
    assert spokesperson.found and "tender in January" in spokesperson.quotes[0].text


def test_someone_of_the_same_surname_and_another_first_name_is_not_the_speaker(alone):
    council = alone["council"]
    assert not council.ask("What did Theo Marsh say?").found
    for asked in ("What did Mr Marsh say?", "What did Geoff Marsh say?", "What did Geoffrey Marsh say?"):
        assert council.ask(asked).quotes[0].speaker == "Geoffrey Marsh", asked


def test_a_topic_only_another_article_of_a_collection_speaks_of_is_declined(alone, collection):
    assert not collection.ask("What did Marsh say about anchoring?").found
    assert collection.ask("What did Holm say about anchoring?").quotes[0].speaker == "Anders Holm"
    # A topic no article names is judged as with Marsh's article alone.
    asked = "What did Marsh say about the expense?"
    assert collection.ask(asked).found == alone["council"].ask(asked).found


def test_who_he_is_then_what_else_he_said_is_his_words(alone):
    council = alone["council"]
    who = council.ask("Who is Tomasz Nowak?")
    assert who.found and who.quotes[0].speaker is None  # the writer's introduction of him
    more = council.ask("What else did he say?", history=_turns(who))
    assert more.found and more.quotes[0].speaker == "Tomasz Nowak"


def test_words_typed_without_accents_or_as_a_chemical_formula_or_a_season_are_matched(alone):
    assert "café" in alone["council"].ask("Who will run the cafe?").quotes[0].text
    asked = "How much CO2 could restoration remove?"
    assert alone["science"].retriever.unknown_terms(asked) == []
    assert "1.8 million tonnes" in alone["science"].ask(asked).quotes[0].text
    assert "next spring" in alone["science"].ask("When is the marine plan due?").quotes[0].text


def test_a_compound_with_a_known_part_is_no_unknown_name(alone):
    asked = "What were Veltro's sales in the July-September quarter?"
    assert alone["earnings"].retriever.unknown_terms(asked) == []
    assert alone["earnings"].retriever.unknown_terms("What were Veltro's sales in April?") == ["April"]
    answer = alone["earnings"].ask(asked)
    assert answer.found and "€4.82bn" in answer.quotes[0].text


def test_counsel_are_found_by_their_side_of_the_case(alone):
    court = alone["court"]
    for asked, speaker in (
        ("What did the prosecutor say about the invoices?", ("Sarah Okonedo", "prosecuting")),
        ("What did the defence barrister say about her debts?", ("Marcus Hale", "defending")),
    ):
        # Found by their side whether or not the words clear the cut-off (the defence's score 0.463 is under
        # 0.47): the best passage, given or offered as the closest, is theirs.
        answer = court.ask(asked)
        best = (answer.quotes or answer.closest)[0]
        assert (best.speaker, best.speaker_role) == speaker, asked


def test_a_body_with_a_word_of_its_name_the_article_never_uses_is_another_body(alone):
    court = alone["court"]
    assert court.ask("What did the Lantern Institute say about controls?").quotes[0].speaker == "Lantern Institute"
    assert not court.ask("What did the Essex Lantern Institute say about controls?").found
    assert not court.ask("What did the Norwegian Lantern Institute say about controls?").found  # a demonym too


def test_what_one_speaker_said_about_another_is_the_first_ones_words(alone, embedder):
    retriever = alone["court"].retriever
    question = "What did the defence barrister say about Finch's debts?"
    candidates = retriever.search(question, embedder.encode_query(question), 5)
    assert {retriever.speakers[candidate.row] for candidate in candidates if candidate.speaker} == {"Marcus Hale, defending"}
    assert retriever.speakers[candidates[0].row] == "Marcus Hale, defending"
