"""Top-1 and top-3 sentence hits on SQuAD v1.1 dev, for each retrieval signal alone and for the fusion.

    python benchmarks/squad.py [N_ARTICLES] [PATH]

Each SQuAD article (its paragraphs joined by blank lines) is indexed the way `qa` indexes a news
article; a question is a hit when the chosen sentence contains one of its gold answers
(case-insensitive). Each ranking orders the same candidates (the union of the best chunks, sentences
and BM25 sentences), so the rows compare the scoring, not the candidate search. The data is CC BY-SA 4.0, by the SQuAD authors (Rajpurkar et al. 2016).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from qa.chunks import ChunkSettings
from qa.embed import Embedder
from qa.index import build
from qa.retrieve import W_CHUNK, W_CHUNK_LEXICAL, W_LEXICAL, W_MISFIT, W_SENTENCE, W_SPEAKER, Retriever

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "squad-v1.1-dev.json"
RANKINGS = {
    "dense sentence": lambda c: c.sentence,
    "BM25 sentence": lambda c: c.lexical,
    "fusion (qa)": lambda c: c.score,
}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    data = json.loads(Path(sys.argv[2] if len(sys.argv) > 2 else DEFAULT_DATA).read_text())["data"][:count]
    print(
        f"weights: sentence {W_SENTENCE}, chunk {W_CHUNK}, BM25 {W_LEXICAL}, chunk BM25 {W_CHUNK_LEXICAL}, "
        f"speaker {W_SPEAKER}, misfit {W_MISFIT}"
    )
    embedder = Embedder()
    hits = {name: [0, 0] for name in RANKINGS}
    questions = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for number, article in enumerate(data):
            path = Path(folder) / f"article-{number}.txt"
            path.write_text("\n\n".join(p["context"] for p in article["paragraphs"]) + "\n", encoding="utf-8")
            retriever = Retriever.for_embedder(build([path], embedder, ChunkSettings()), embedder)
            text = retriever.index.documents[0].article
            items = [(q["question"], [a["text"].lower() for a in q["answers"]]) for p in article["paragraphs"] for q in p["qas"]]
            vectors = embedder.encode([question for question, _ in items])
            for (question, golds), vector in zip(items, vectors):
                questions += 1
                candidates = retriever.search(question, vector, 5)
                for name, key in RANKINGS.items():
                    ranked = sorted(candidates, key=key, reverse=True)[:3]
                    found = [any(g in text.sentence_text(c.row).lower() for g in golds) for c in ranked]
                    hits[name][0] += bool(found and found[0])
                    hits[name][1] += any(found)
    print(f"{count} articles, {questions} questions, {time.perf_counter() - started:.0f} s")
    print(f"{'ranking':16} {'top-1':>6} {'top-3':>6}")
    for name, (top1, top3) in hits.items():
        print(f"{name:16} {top1 / questions:6.3f} {top3 / questions:6.3f}")


if __name__ == "__main__":
    main()
