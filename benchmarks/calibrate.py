"""Choose the answer cut-off (qa.answer.MIN_SCORE) from a labelled set and print the sweep.

    python benchmarks/calibrate.py [tests/data/calibration.jsonl]

For each question it records the best sentence's score, whether that sentence holds the expected words,
and whether the question names something the article never mentions (always declined). A cut-off is
right for an answerable question when the question is kept and its top quote hits, and for an
unanswerable one when it is declined; its error is the mean of the two kinds' error rates (balanced). The printed choice is the cut-off whose neighbourhood (±0.03) has the
lowest balanced error on average.
"""

from __future__ import annotations

import sys
from pathlib import Path

import qa
from qa.answer import declined_whatever_the_score
from qa.evaluate import read_labelled

ROOT = Path(__file__).resolve().parents[1]
SMOOTHING = 3  # hundredths on each side


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "calibration.jsonl"
    items = read_labelled(path)
    engine = qa.load(ROOT / "index")
    engine.warm_up()
    retriever = engine.retriever
    rows = []
    for item in items:
        vector = engine.embedder.encode_query(item.question)
        candidates = retriever.search(item.question, vector, 5)
        best = candidates[0]
        document, sentence = retriever.index.sentence_rows[best.row]
        hit = item.answerable and item.quote_hits(retriever.index.documents[document].article.sentence_text(sentence))
        rows.append((item, best.score, hit, declined_whatever_the_score(item.question, best, retriever)))
        print(f"{best.score:.3f} {'A' if item.answerable else 'U'} hit={hit!s:5} declined_anyway={rows[-1][3]!s:5} {item.question}")

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
            print(f"{cutoff:7.2f}  {missed:6}  {wrongly_kept:16}  {error:14.3f}  {average:8.3f}")
    average, choice = min(smoothed)
    _, error, missed, wrongly_kept = sweep[round(choice * 100)]
    print(
        f"\nchosen cut-off: {choice:.2f} (misses {missed} answerable, answers {wrongly_kept} unanswerable; "
        f"balanced error {error:.3f}, {average:.3f} on average within ±{SMOOTHING / 100:.2f})"
    )


if __name__ == "__main__":
    main()
