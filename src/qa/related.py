"""Related words: the article's words for what a question names with a word the article never uses.

A reader who asks about "penalties" finds the article's "sanctions"; exact word matching (BM25) does
not. For a question word no sentence uses, the article words whose out-of-context vectors lie close to
it (`Embedder.word_vectors`) stand in for it, each counted at its likeness. Words the article does use
are matched as they are: there the exact word is the better evidence.
"""

from __future__ import annotations

import re
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


# The names news gives one state: its country, people, capital and seat of government ("the Kremlin
# said", "Beijing warned", "Russia's"). Word vectors do not know them for one another ("Kremlin" and
# "Moscow" are 0.22 alike, under RELATED_LIKENESS), so they are listed. A name the articles never use
# stands for those of its group that they do. Phrases of several words are matched in questions only.
_STATE_NAMES = (
    "russia, russian, russians, moscow, kremlin",
    "united states, usa, us, america, american, americans, washington, white house, pentagon, capitol hill",
    "britain, british, uk, united kingdom, london, downing street, whitehall, westminster",
    "france, french, paris, elysee, élysée",
    "germany, german, germans, berlin, chancellery",
    "china, chinese, beijing, zhongnanhai",
    "ukraine, ukrainian, ukrainians, kyiv, kiev",
    "european union, eu, brussels",
    "japan, japanese, tokyo",
    "india, indian, new delhi, delhi",
    "turkey, turkish, ankara",
    "iran, iranian, tehran",
    "israel, israeli, jerusalem",
    "north korea, pyongyang",
    "south korea, seoul",
    "taiwan, taiwanese, taipei",
    "poland, polish, warsaw",
    "hungary, hungarian, budapest",
    "italy, italian, rome",
    "spain, spanish, madrid",
    "canada, canadian, ottawa",
    "australia, australian, canberra",
    "belarus, belarusian, minsk",
    "syria, syrian, damascus",
    "saudi arabia, saudi, riyadh",
    "egypt, egyptian, cairo",
    "finland, finnish, helsinki",
    "sweden, swedish, stockholm",
    "norway, norwegian, oslo",
    "denmark, danish, copenhagen",
    "netherlands, dutch, the hague",
    "austria, austrian, vienna",
    "greece, greek, athens",
    "ireland, irish, dublin",
    "portugal, portuguese, lisbon",
    "lithuania, lithuanian, vilnius",
    "latvia, latvian, riga",
    "estonia, estonian, tallinn",
    "brazil, brazilian, brasilia",
    "mexico, mexican, mexico city",
    "pakistan, pakistani, islamabad",
    "afghanistan, afghan, kabul",
    "iraq, iraqi, baghdad",
    "south africa, pretoria",
    "nigeria, nigerian, abuja",
    "kenya, kenyan, nairobi",
    "venezuela, venezuelan, caracas",
    "cuba, cuban, havana",
)
# "The Kremlin" stands for Moscow nearly as well as the word itself: the city's government, not the city.
STATE_LIKENESS = 0.8
_STATE_OF = {name: group for group in (frozenset(line.split(", ")) for line in _STATE_NAMES) for name in group}
_STATE_NAME = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(name) for name in _STATE_OF), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


# Names that are also ordinary words, taken only when capitalised.
_ALSO_WORDS = frozenset({"us", "uk", "eu", "usa", "turkey", "china", "polish"})


def state_names(question: str) -> list[str]:
    """The names of states in `question`: capitalised, or in a question typed all in lower case, any
    that is no ordinary word as well ("us", "polish")."""
    lower_case = question == question.lower()
    return [
        match.group()
        for match in _STATE_NAME.finditer(question)
        if match.group()[:1].isupper() or (lower_case and match.group() not in _ALSO_WORDS)
    ]


def same_state(name: str) -> frozenset[str]:
    """The other single-word names of the state `name` (as `state_names` finds it) names: for "the
    Kremlin", Russia, Russian, Moscow and the rest; none for a name of no state. Not "us": in a text's
    lower-cased words it is the pronoun as often."""
    group = _STATE_OF.get(name.lower(), frozenset())
    return frozenset(other for other in group if " " not in other and other not in {name.lower(), "us"})
