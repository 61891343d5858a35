"""Related words: the article's words for what a question names with a word the article never uses.

A reader who asks about "penalties" finds the article's "sanctions"; exact word matching (BM25) does
not. For a question word no sentence uses, the article words whose out-of-context vectors lie close to
it (`Embedder.word_vectors`) stand in for it, each counted at its likeness. Words the article does use
are matched as they are: there the exact word is the better evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# How alike two words' vectors must be for one to stand for the other: "penalties" finds "sanctions"
# (0.35) and "allies" "alliance" (0.39), while "Biden" finds nothing in the NATO article (at most 0.23).
# Chosen among 0.30, 0.35 and 0.40 on the fifteen news sets of tests/data/news with this article's set
# (756 questions; top-1 quote hits 0.609, 0.597 and 0.591, before words of saying were left out), then
# checked on SQuAD v1.1 dev.
RELATED_LIKENESS = 0.30
# The most stand-ins one word gets, so that a large collection's vocabulary costs no more per word.
MAX_RELATED = 10

WordVectors = Callable[[Sequence[str]], "np.ndarray | None"]
# For a query term no text uses: the terms that stand in for it, with their likeness.
StandIns = Mapping[str, Sequence[tuple[str, float]]]


def without_possessive(word: str) -> str:
    """`word` less its possessive: "Poland's" is Poland."""
    return word[:-2] if word.endswith(("’s", "'s")) else word


def comparable(word: str) -> str | None:
    """`word` as its vector is taken, or None if it has none worth comparing. A possessive goes ("Poland's"
    is Poland, not its apostrophe); anything but English letters is left out: the model's word pieces
    spell other scripts letter by letter, and any two such words come out alike."""
    bare = without_possessive(word)
    return bare if bare.isascii() and bare.isalpha() else None


class RelatedWords:
    """The words of a vocabulary (`spellings`: each stem and the ways the texts spell it), with their
    vectors, ready to find the ones like a word that is not among them."""

    def __init__(self, spellings: Mapping[str, Sequence[str]], word_vectors: WordVectors) -> None:
        pairs = sorted({(stem, bare) for stem, words in spellings.items() for word in words if (bare := comparable(word))})
        self._stem_of_word = [stem for stem, _ in pairs]
        self._word_vectors = word_vectors
        self._vectors = word_vectors([word for _, word in pairs]) if pairs else None

    def like(self, words: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each of `words`, the stems with a spelling at least RELATED_LIKENESS like it, with their
        likeness, most alike first; none for a word without a comparable spelling, or without vectors."""
        import numpy as np

        found: list[list[tuple[str, float]]] = [[] for _ in words]
        asked = [(number, bare) for number, word in enumerate(words) if (bare := comparable(word))]
        queries = self._word_vectors([bare for _, bare in asked]) if asked and self._vectors is not None else None
        if queries is None:
            return found
        for (number, _), likeness in zip(asked, queries @ self._vectors.T):
            close = np.flatnonzero(likeness >= RELATED_LIKENESS)
            best: dict[str, float] = {}
            for row in close[np.argsort(-likeness[close], kind="stable")]:
                best.setdefault(self._stem_of_word[row], float(likeness[row]))
                if len(best) == MAX_RELATED:
                    break
            found[number] = list(best.items())
        return found
