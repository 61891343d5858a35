"""Labelled question sets: reading them, and scoring the whole pipeline against them (`qa eval`)."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .answer import check_history
from .errors import QAError
from .schema import Answer

if TYPE_CHECKING:
    from .api import QA
    from .embed import Embedder


@dataclass(frozen=True)
class Labelled:
    """A question and what a right answer quotes: any of `expect`, or nothing if unanswerable; and, where
    the question asks who said something or what someone said, who: `speaker`, a part of the name or
    description the top quote must be attributed to. `kind` groups questions in the report."""

    question: str
    expect: tuple[str, ...] | None
    history: tuple[dict[str, str], ...] = ()
    speaker: str | None = None
    kind: str | None = None

    @property
    def answerable(self) -> bool:
        return self.expect is not None

    def quote_hits(self, text: str) -> bool:
        folded = " ".join(text.lower().split())
        return any(" ".join(e.lower().split()) in folded for e in self.expect or ())

    def speaker_right(self, answer: Answer) -> bool:
        if not answer.found or self.speaker is None:
            return False
        top = answer.quotes[0]
        said_by = " ".join(filter(None, (top.speaker, top.speaker_role))).lower()
        return self.speaker.lower() in said_by

    def is_right(self, answer: Answer) -> bool:
        if not self.answerable:
            return not answer.found
        hit = answer.found and self.quote_hits(answer.quotes[0].text)
        return hit and (self.speaker is None or self.speaker_right(answer))


def _set_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QAError(f"{path}: not a labelled set: it is not UTF-8 text") from None


def read_labelled(path: str | Path) -> list[Labelled]:
    """Read a JSONL file of `{"question": ..., "expect": [substrings] or null, "history": [...]?,
    "speaker": "..."?, "kind": "..."?}` lines."""
    items = []
    for number, line in enumerate(_set_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"a line must be a JSON object, got {_json_kind(row)}")
            missing = [field for field in ("question", "expect") if field not in row]
            if missing:
                raise ValueError(f"missing {' and '.join(repr(field) for field in missing)}")
            if not isinstance(row["question"], str) or not row["question"].strip():
                raise ValueError("the question is empty or not a string")
            expect = row["expect"]
            # A string would be read letter by letter, and nearly any quote would hold one of its letters.
            if expect is not None and (
                not isinstance(expect, list) or not expect or not all(isinstance(e, str) and e.strip() for e in expect)
            ):
                raise ValueError(f"expect must be a list of substrings, or null, got {expect!r:.80}")
            history = tuple(check_history(row.get("history") or []))
            speaker, kind = row.get("speaker"), row.get("kind")
            if not all(value is None or isinstance(value, str) for value in (speaker, kind)):
                raise TypeError("speaker and kind must be strings")
            items.append(Labelled(row["question"], None if expect is None else tuple(expect), history, speaker, kind))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise QAError(f"{path}:{number}: not a labelled question ({error})") from None
    if not items:
        raise QAError(f"{path}: not a labelled set: it holds no questions")
    return items


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(
        type(value), "a number"
    )


def _field(holder: Any, key: str, kind: type, where: str) -> Any:
    """`holder[key]`, which must be a `kind`; else a ValueError that says where in the file."""
    if not isinstance(holder, dict):
        raise ValueError(f"{where} must be a JSON object, got {_json_kind(holder)}")
    if key not in holder:
        raise ValueError(f"{where} has no {key!r}")
    value = holder[key]
    if not isinstance(value, kind):
        raise ValueError(f"{where}: {key!r} must be {_json_kind(kind())}, got {_json_kind(value)}")
    return value


def read_squad(path: str | Path) -> list[tuple[str, list[Labelled]]]:
    """Each article of a SQuAD-format file as (its text, its questions): paragraphs joined by blank lines
    under the title; an answerable question expects any of its answers, an impossible one nothing."""
    try:
        data = _field(json.loads(_set_text(path)), "data", list, "the file")
        articles = []
        for a, article in enumerate(data, 1):
            title = _field(article, "title", str, f"article {a}")
            contexts, questions = [], []
            for p, paragraph in enumerate(_field(article, "paragraphs", list, f"article {a}"), 1):
                where = f"article {a}, paragraph {p}"
                contexts.append(_field(paragraph, "context", str, where))
                for q, labelled in enumerate(_field(paragraph, "qas", list, where), 1):
                    asked = f"{where}, question {q}"
                    question = _field(labelled, "question", str, asked)
                    if labelled.get("is_impossible"):
                        questions.append(Labelled(question, None))
                        continue
                    answers = [_field(answer, "text", str, f"{asked}, answer {n}") for n, answer in enumerate(_field(labelled, "answers", list, asked), 1)]
                    if not answers:
                        raise ValueError(f"{asked} has no answers and is not marked is_impossible")
                    questions.append(Labelled(question, tuple(answers)))
            articles.append((title.replace("_", " ") + "\n\n" + "\n\n".join(contexts) + "\n", questions))
    except ValueError as error:
        raise QAError(f"{path}: not a SQuAD-format file: {error}") from None
    return articles


@dataclass(frozen=True)
class Report:
    """How the pipeline did on a labelled set. Rates are None where the set has no question of that kind."""

    questions: int
    answerable: int
    unanswerable: int
    top1_hit: float | None  # answerable questions whose top quote holds an expected answer
    recall_at_k: float | None  # answerable questions with an expected answer in the k best-ranked sentences
    k: int
    declined_correctly: float | None  # unanswerable questions declined (the recall of declining)
    decline_precision: float | None  # declined questions that were unanswerable
    answerable_kept: float | None  # answerable questions not declined
    speaker_right: float | None  # questions labelled with a speaker whose top quote is attributed to them
    by_kind: dict[str, float]  # questions right (quoted, or declined, as labelled), by their kind
    mean_quote_words: float | None  # words in the top quote, over answered questions
    latency_p50_ms: float
    latency_p95_ms: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> Iterator[str]:
        def rate(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.3f}"

        yield f"questions: {self.questions} ({self.answerable} answerable, {self.unanswerable} unanswerable)"
        yield f"top-1 quote hit: {rate(self.top1_hit)}"
        yield f"recall@{self.k} of ranked sentences: {rate(self.recall_at_k)}"
        yield f"declined correctly: {rate(self.declined_correctly)} (precision of declining: {rate(self.decline_precision)})"
        yield f"answerable kept: {rate(self.answerable_kept)}"
        if self.speaker_right is not None:
            yield f"right speaker: {rate(self.speaker_right)}"
        for kind, right in self.by_kind.items():
            yield f"  right, {kind}: {rate(right)}"
        words = "n/a" if self.mean_quote_words is None else f"{self.mean_quote_words:.1f}"
        yield f"mean words per top quote: {words}"
        yield f"latency p50 / p95: {self.latency_p50_ms:.1f} / {self.latency_p95_ms:.1f} ms"


@dataclass(frozen=True)
class _Outcome:
    labelled: Labelled
    answer: Answer
    seconds: float
    in_top_k: bool


def _run(engine: QA, items: Sequence[Labelled], k: int) -> list[_Outcome]:
    outcomes = []
    for item in items:
        started = time.perf_counter()
        try:
            answer = engine.ask(item.question, history=list(item.history))
        except QAError as error:
            raise QAError(f"cannot ask {item.question!r}: {error}") from None
        seconds = time.perf_counter() - started
        # Ranked as `ask` ranks it: a follow-up as the whole question its history makes of it.
        searched = engine.standalone(item.question, item.history)
        vector = engine.embedder.encode_query(searched)
        ranked = engine.retriever.search(searched, vector, k, engine.topic_vector(searched))[:k]
        texts = engine.retriever.texts
        outcomes.append(_Outcome(item, answer, seconds, any(item.quote_hits(texts[c.row]) for c in ranked)))
    return outcomes


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _report(outcomes: list[_Outcome], k: int) -> Report:
    answerable = [o for o in outcomes if o.labelled.answerable]
    unanswerable = [o for o in outcomes if not o.labelled.answerable]
    answered = [o for o in outcomes if o.answer.found]
    declined = [o for o in outcomes if not o.answer.found]
    with_speaker = [o for o in outcomes if o.labelled.speaker is not None]
    kinds = sorted({o.labelled.kind for o in outcomes if o.labelled.kind})
    latencies = sorted(o.seconds * 1000 for o in outcomes) or [0.0]
    return Report(
        questions=len(outcomes),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        top1_hit=_share([o.labelled.is_right(o.answer) for o in answerable]),
        recall_at_k=_share([o.in_top_k for o in answerable]),
        k=k,
        declined_correctly=_share([not o.answer.found for o in unanswerable]),
        decline_precision=_share([not o.labelled.answerable for o in declined]),
        answerable_kept=_share([o.answer.found for o in answerable]),
        speaker_right=_share([o.labelled.speaker_right(o.answer) for o in with_speaker]),
        by_kind={
            kind: statistics.mean(o.labelled.is_right(o.answer) for o in outcomes if o.labelled.kind == kind)
            for kind in kinds
        },
        mean_quote_words=statistics.mean(len(o.answer.quotes[0].text.split()) for o in answered) if answered else None,
        latency_p50_ms=statistics.median(latencies),
        latency_p95_ms=latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
    )


def evaluate(engine: QA, items: Sequence[Labelled], k: int = 3) -> Report:
    """Ask every question of `items` through `engine` and score the answers."""
    return _report(_run(engine, items, k), k)


def evaluate_sets(
    paths: Sequence[str | Path], index_dir: str | Path | None = None, model: str | None = None, k: int = 3
) -> Report:
    """Ask the questions of several labelled sets and score all answers together. A set beside an article
    of the same name (`news/flood.jsonl` and `news/flood.txt`) is asked of that article, indexed for the
    run; any other, of the index in `index_dir`, or of the shipped article."""
    from .embed import Embedder

    embedder = Embedder(model)
    outcomes: list[_Outcome] = []
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as folder:
        for number, path in enumerate(paths):
            engine = set_engine(Path(path), Path(folder) / f"index-{number}", embedder, index_dir)
            outcomes.extend(_run(engine, read_labelled(path), k))
    return _report(outcomes, k)


def set_engine(path: Path, index_dir: Path, embedder: Embedder, other_index: str | Path | None = None) -> QA:
    """The answerer a labelled set is asked of: the article beside it (`flood.txt` for `flood.jsonl`),
    indexed into `index_dir`; else the index in `other_index`, or the shipped article."""
    from .api import DEFAULT_ARTICLE, QA, default_index_dir

    article = path.with_suffix(".txt")
    if article.exists():
        return article_engine(article, index_dir, embedder)
    if other_index is not None:
        return QA(other_index, embedder=embedder)
    return QA(default_index_dir(), articles=[DEFAULT_ARTICLE], embedder=embedder)


def article_engine(article: Path, index_dir: Path, embedder: Embedder) -> QA:
    """An answerer over `article` alone, its index built into `index_dir`."""
    from .api import QA
    from .chunks import ChunkSettings
    from .index import build, save

    save(build([article], embedder, ChunkSettings()), index_dir)
    return QA(index_dir, articles=[article], embedder=embedder)


def evaluate_squad(path: str | Path, model: str | None = None, k: int = 3, progress: bool = False) -> Report:
    """Index each article of a SQuAD-format file on its own, ask its questions, and score all answers."""
    from .embed import Embedder

    embedder = Embedder(model)
    outcomes: list[_Outcome] = []
    articles = read_squad(path)
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as folder:
        for number, (text, items) in enumerate(articles):
            article = Path(folder) / f"article-{number}.txt"
            article.write_text(text, encoding="utf-8")
            outcomes.extend(_run(article_engine(article, Path(folder) / f"index-{number}", embedder), items, k))
            if progress:
                print(f"article {number + 1} of {len(articles)}: {len(outcomes)} questions asked", flush=True)
    return _report(outcomes, k)
