"""Choose the answer cut-off (qa.answer.MIN_SCORE) from labelled sets and print the sweep.

    python benchmarks/calibrate.py [SET.jsonl ...]

A set beside an article of the same name (`news/aquifer-deal.jsonl` and `news/aquifer-deal.txt`) is asked
of that article; any other set, of the shipped one. The default sets are tests/data/calibration.jsonl
and the news articles in tests/data/news/, so that the cut-off fits more than one article.

For each question it records the best sentence's score, whether that sentence holds the expected words,
and whether the question is declined whatever its score (it names something the article never
mentions, or asks what someone said about something only others speak of) or answered whatever it (it
asks for nothing but the words of someone it names). A question that asks what
came next, or who someone is, is answered by place, not score, and is left out. A cut-off is right for an answerable
question when the question is kept and its top quote hits, and for an unanswerable one when it is
declined; its error is the mean of the two kinds' error rates (balanced).
The printed choice is the cut-off whose neighbourhood (±0.03) has the lowest balanced error on average,
or the lowest cut-off within 0.001 of it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from qa.answer import answered_whatever_the_score, declined_whatever_the_score, viable
from qa.embed import Embedder
from qa.evaluate import Labelled, read_labelled, set_engine
from qa.followup import given_before

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SMOOTHING = 3  # hundredths on each side
# Smoothed errors closer than this are a tie: under a third of one answerable question's share.
TIE = 0.001


def default_sets() -> list[Path]:
    return [DATA / "calibration.jsonl", *sorted((DATA / "news").glob("*.jsonl"))]


def score_set(path: Path, folder: Path, embedder: Embedder) -> list[tuple[Labelled, float, bool, bool]]:
    """(question, best score, top quote hits, declined whatever the score) for each question of a set."""
    engine = set_engine(path, folder / path.stem, embedder)
    retriever = engine.retriever
    rows = []
    for item in read_labelled(path):
        history = list(item.history)
        question = engine.standalone(item.question, history)
        if engine.by_place(item.question, history, question, given_before(item.question, history)) is not None:
            continue
        topic = engine.topic_vector(question)
        answering = viable(retriever.search(question, engine.embedder.encode_query(question), 5, topic))
        if not answering:
            rows.append((item, 0.0, False, True))
            continue
        best = answering[0]
        hit = item.answerable and item.quote_hits(retriever.texts[best.row])
        declined_anyway = declined_whatever_the_score(question, best, retriever, topic)
        # Answered at any cut-off: as if it scored the most a sentence can.
        score = 1.0 if answered_whatever_the_score(question, best, retriever) else best.score
        rows.append((item, score, hit, declined_anyway))
        print(f"{best.score:.3f} {'A' if item.answerable else 'U'} hit={hit!s:5} declined_anyway={rows[-1][3]!s:5} {item.question}")
    return rows


def main() -> None:
    paths = [Path(arg) for arg in sys.argv[1:]] or default_sets()
    rows = []
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            print(f"\n{path.name}")
            rows.extend(score_set(path, Path(folder), embedder))

    answerable = sum(item.answerable for item, *_ in rows)
    unanswerable = len(rows) - answerable
    sweep = []
    for step in range(0, 101):
        cutoff = step / 100
        missed = wrongly_kept = 0
        for item, score, hit, declined_anyway in rows:
            kept = score >= cutoff and not declined_anyway
            if item.answerable:
                missed += not (kept and hit)
            else:
                wrongly_kept += kept
        # Balanced error: the two kinds of question count equally, whatever their numbers in the set.
        sweep.append((cutoff, (missed / answerable + wrongly_kept / unanswerable) / 2, missed, wrongly_kept))
    # A cut-off is judged with its neighbours, so that the choice does not sit on the edge of a lucky gap
    # between two questions' scores.
    smoothed = []
    for position, (cutoff, *_) in enumerate(sweep):
        window = [error for _, error, *_ in sweep[max(0, position - SMOOTHING) : position + SMOOTHING + 1]]
        smoothed.append((sum(window) / len(window), cutoff))
    print(f"\n{answerable} answerable, {unanswerable} unanswerable questions")
    print("cut-off  missed  wrongly answered  balanced error  smoothed")
    for (cutoff, error, missed, wrongly_kept), (average, _) in zip(sweep, smoothed):
        if 0.2 <= cutoff <= 0.7:
            print(f"{cutoff:7.2f}  {missed:6}  {wrongly_kept:16}  {error:14.4f}  {average:8.4f}")
    # Near-ties go to the lower cut-off: a question kept wrongly still shows a verbatim quote and its place
    # for the reader to judge, while one declined wrongly hides the answer.
    lowest = min(average for average, _ in smoothed)
    average, choice = next((average, cutoff) for average, cutoff in smoothed if average <= lowest + TIE)
    _, error, missed, wrongly_kept = sweep[round(choice * 100)]
    print(
        f"\nchosen cut-off: {choice:.2f} (misses {missed} answerable, answers {wrongly_kept} unanswerable; "
        f"balanced error {error:.3f}, {average:.3f} on average within ±{SMOOTHING / 100:.2f})"
    )


if __name__ == "__main__":
    main()
