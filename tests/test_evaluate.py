"""`qa eval`: the whole pipeline scored on a labelled set, JSONL or SQuAD-format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.errors import QAError
from qa.evaluate import Labelled, evaluate, read_labelled, read_squad

from conftest import DATA

QA = [sys.executable, "-m", "qa.cli"]

SQUAD = {
    "data": [
        {
            "title": "Port_Ellis",
            "paragraphs": [
                {
                    "context": "The harbour of Port Ellis reopened on Tuesday after a week of repairs. "
                    "Repairs cost about 2 million euros, paid by the regional government.",
                    "qas": [
                        {"id": "1", "question": "When did the harbour reopen?", "answers": [{"text": "Tuesday", "answer_start": 43}]},
                        {"id": "2", "question": "Who paid for the repairs?", "answers": [{"text": "the regional government", "answer_start": 120}]},
                        {"id": "3", "question": "What is the capital of Australia?", "answers": [], "is_impossible": True},
                    ],
                }
            ],
        }
    ]
}


def _eval(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*QA, "eval", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_report_on_the_test_set_matches_the_answers(shipped_qa):
    items = read_labelled(DATA / "questions.jsonl")
    report = evaluate(shipped_qa, items, k=3)
    answerable = [item for item in items if item.answerable]
    assert (report.questions, report.answerable, report.unanswerable) == (len(items), len(answerable), 12)
    right = sum(item.is_right(shipped_qa.ask(item.question)) for item in answerable)
    assert report.top1_hit == right / len(answerable)
    assert report.recall_at_k >= report.top1_hit  # the top quote is among the best-ranked sentences
    assert report.declined_correctly >= 0.8
    assert 5 < report.mean_quote_words < 60
    assert 0 < report.latency_p50_ms <= report.latency_p95_ms


@pytest.mark.slow
def test_a_question_the_answerer_refuses_is_named_in_the_error(shipped_qa):
    with pytest.raises(QAError, match=r"cannot ask 'What did he add\?': “he” refers back to an earlier answer"):
        evaluate(shipped_qa, [Labelled("What did he add?", ("dialogue",))])


@pytest.mark.slow
def test_qa_eval_prints_the_report_as_json_and_as_text():
    result = _eval(str(DATA / "questions.jsonl"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["questions"] == 36 and report["k"] == 3
    assert report["top1_hit"] >= 0.9 and report["declined_correctly"] >= 0.8
    text = _eval(str(DATA / "questions.jsonl"), "-k", "1").stdout
    assert "questions: 36 (24 answerable, 12 unanswerable)" in text and "recall@1 of ranked sentences" in text


@pytest.mark.slow
def test_qa_eval_indexes_each_squad_article(tmp_path: Path):
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    result = _eval(str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["questions"], report["answerable"], report["unanswerable"]) == (3, 2, 1)
    assert report["top1_hit"] == 1.0 and report["declined_correctly"] == 1.0


@pytest.mark.slow
def test_qa_eval_scores_sets_together_each_on_the_article_beside_it(tmp_path: Path):
    harbour, storm = tmp_path / "harbour.txt", tmp_path / "storm.txt"
    harbour.write_text("Harbour reopens\n\nThe harbour of Port Ellis reopened on Tuesday after repairs.\n", encoding="utf-8")
    storm.write_text("Storm hits coast\n\nThe storm cut power to 4,000 homes, the utility said.\n", encoding="utf-8")
    for article, line in [
        (harbour, {"question": "When did the harbour reopen?", "expect": ["reopened on Tuesday"]}),
        (storm, {"question": "How many homes lost power?", "expect": ["4,000 homes"]}),
    ]:
        article.with_suffix(".jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    # Each set is asked of its own article: the other one does not hold its answer.
    result = _eval(str(tmp_path / "harbour.jsonl"), str(tmp_path / "storm.jsonl"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["questions"], report["top1_hit"]) == (2, 1.0)


def test_qa_eval_refuses_a_squad_file_with_others(tmp_path: Path):
    result = _eval(str(tmp_path / "squad.json"), str(DATA / "questions.jsonl"))
    assert result.returncode != 0
    assert "a SQuAD file is scored alone" in result.stderr and "Traceback" not in result.stderr


def test_squad_file_becomes_articles_and_labelled_questions(tmp_path: Path):
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    [(text, items)] = read_squad(path)
    assert text.startswith("Port Ellis\n\nThe harbour of Port Ellis reopened")
    assert items[0] == Labelled("When did the harbour reopen?", ("Tuesday",))
    assert items[2].expect is None


def test_jsonl_with_history_is_read(tmp_path: Path):
    path = tmp_path / "set.jsonl"
    turn = {"role": "user", "content": "What did Stoltenberg say?"}
    path.write_text(json.dumps({"question": "And Baerbock?", "expect": ["Baerbock"], "history": [turn]}) + "\n")
    assert read_labelled(path) == [Labelled("And Baerbock?", ("Baerbock",), (turn,))]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.jsonl", '{"question": "x"}\n', r"bad.jsonl:1: not a labelled question \(missing 'expect'\)"),
        ("bad.jsonl", '["x", null]\n', r"bad.jsonl:1: not a labelled question \(a line must be a JSON object, got a list\)"),
        ("bad.jsonl", '{"question": "x", "expect": null}\n{"question": " ", "expect": null}\n',
         r"bad.jsonl:2: not a labelled question \(the question is empty"),
        ("bad.json", '{"data": [{"title": "t"}]}', r"bad.json: not a SQuAD-format file: article 1 has no 'paragraphs'$"),
        ("bad.json", '[]', r"bad.json: not a SQuAD-format file: the file must be a JSON object, got a list$"),
        ("bad.json", '{"data": [{"title": "t", "paragraphs": [{"context": "c", "qas": [{"question": "q"}]}]}]}',
         r"bad.json: not a SQuAD-format file: article 1, paragraph 1, question 1 has no 'answers'$"),
        ("bad.json", '{"data": "x"}', r"bad.json: not a SQuAD-format file: the file: 'data' must be a list, got a string$"),
        ("bad.jsonl", b"\x89PNG\r\n\x1a\n\x00", r"bad.jsonl: not a labelled set: it is not UTF-8 text"),
        ("bad.json", "{}".encode("utf-16"), r"bad.json: not a labelled set: it is not UTF-8 text"),
        # A string would be read letter by letter, and nearly every quote would hold one of its letters.
        ("bad.jsonl", '{"question": "x", "expect": "Geneva"}\n',
         r"bad.jsonl:1: not a labelled question \(expect must be a list of substrings, or null, got 'Geneva'"),
        ("bad.jsonl", '{"question": "x", "expect": []}\n', r"bad.jsonl:1: .*expect must be a list of substrings"),
        ("bad.jsonl", '{"question": "x", "expect": ["a"], "history": "bad"}\n',
         r"bad.jsonl:1: not a labelled question \(history must be a list .* got str"),
        ("bad.jsonl", "\n\n", r"bad.jsonl: not a labelled set: it holds no questions"),
    ],
)
def test_malformed_sets_are_refused_with_where(tmp_path: Path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    reader = read_squad if name.endswith(".json") else read_labelled
    with pytest.raises(QAError, match=message):
        reader(path)


def test_speakers_kinds_and_the_precision_of_declining_are_reported(tmp_path: Path, shipped_qa):
    lines = [
        {"question": "Who said the risk of conflict is real?", "expect": ["risk of conflict is real"],
         "kind": "who-said", "speaker": "Stoltenberg"},
        {"question": "Who said the risk of conflict is real?", "expect": ["risk of conflict is real"],
         "kind": "who-said", "speaker": "Baerbock"},
        {"question": "What did Joe Biden say?", "expect": None, "kind": "unanswerable"},
        {"question": "What is the capital of Peru?", "expect": ["Lima"], "kind": "where"},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    report = evaluate(shipped_qa, read_labelled(path))
    assert report.speaker_right == 0.5
    assert report.by_kind == {"unanswerable": 1.0, "where": 0.0, "who-said": 0.5}
    assert report.decline_precision == 0.5  # Biden declined rightly, Peru wrongly
    text = "\n".join(report.lines())
    assert "right speaker: 0.500" in text and "(precision of declining: 0.500)" in text
    assert "  right, who-said: 0.500" in text


def test_a_speaker_label_must_be_text(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "Who?", "expect": ["x"], "speaker": 3}\n', encoding="utf-8")
    with pytest.raises(QAError, match="bad.jsonl:1: not a labelled question .speaker and kind must be strings"):
        read_labelled(path)


@pytest.mark.slow
def test_recall_ranks_a_follow_up_as_the_question_its_history_makes(shipped_qa):
    first = "Where did the EU ministers want to meet?"
    history = ({"role": "user", "content": first}, {"role": "assistant", "content": shipped_qa.ask(first).text})
    follow_up = Labelled("When?", ("on Thursday and Friday",), history)
    assert evaluate(shipped_qa, [follow_up], k=1).recall_at_k == 1.0
