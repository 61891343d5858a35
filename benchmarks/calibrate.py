"""Choose the answer cut-off (qa.answer.MIN_SCORE) from a labelled set and print the sweep.

    python benchmarks/calibrate.py [tests/data/calibration.jsonl]

For each question it records the best sentence's score, whether that sentence holds the expected words,
and whether the question names something the article never mentions (always declined). A cut-off is
right for an answerable question when the question is kept and its top quote hits, and for an
unanswerable one when it is declined. The printed choice is the cut-off whose neighbourhood (±0.03) makes
the fewest mistakes on average.
"""

from __future__ import annotations

import sys
from pathlib import Path

import qa
from qa.evaluate import read_labelled

ROOT = Path(__file__).resolve().parents[1]
SMOOTHING = 3  # hundredths on each side


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "calibration.jsonl"
    items = read_labelled(path)
    engine = qa.load(ROOT / "index")
    engine.warm_up()
    retriever = engine._retriever
    rows = []
    for item in items:
        vector = engine.embedder.encode([item.question])[0]
        candidates = retriever.search(item.question, vector, 5)
        best = candidates[0]
        document, sentence = retriever.index.sentence_rows[best.row]
        hit = item.answerable and item.quote_hits(retriever.index.documents[document].article.sentence_text(sentence))
        rows.append((item, best.score, hit, bool(retriever.unknown_terms(item.question))))
        print(f"{best.score:.3f} {'A' if item.answerable else 'U'} hit={hit!s:5} unknown={rows[-1][3]!s:5} {item.question}")

    sweep = []
    for step in range(0, 101):
        cutoff = step / 100
        mistakes = 0
        for item, score, hit, unknown in rows:
            kept = score >= cutoff and not unknown
            mistakes += (not (kept and hit)) if item.answerable else kept
        sweep.append((cutoff, mistakes))
    # A cut-off is judged with its neighbours, so that the choice does not sit on the edge of a lucky gap
    # between two questions' scores.
    smoothed = []
    for position, (cutoff, _) in enumerate(sweep):
        window = [m for _, m in sweep[max(0, position - SMOOTHING) : position + SMOOTHING + 1]]
        smoothed.append((sum(window) / len(window), cutoff))
    print("\ncut-off  mistakes  smoothed")
    for (cutoff, mistakes), (average, _) in zip(sweep, smoothed):
        if 0.2 <= cutoff <= 0.7:
            print(f"{cutoff:7.2f}  {mistakes:8}  {average:8.2f}")
    average, choice = min(smoothed)
    mistakes = dict(sweep)[choice]
    print(f"\nchosen cut-off: {choice:.2f} ({mistakes} mistakes of {len(rows)}; {average:.2f} on average within ±{SMOOTHING / 100:.2f})")


if __name__ == "__main__":
    main()
