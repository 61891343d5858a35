"""The question answerer: an index, its model and its retriever, loaded lazily and once."""

from __future__ import annotations

import os
import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .answer import (
    answer,
    answer_at,
    answer_next,
    answer_who_said,
    check_history,
    check_k,
    clean_question,
    sentence_in,
    speaker_in,
    was_given,
)
from .followup import (
    dangling_reference,
    fitting_history,
    given_before,
    quote_asked_about,
    quote_followed,
    resolve,
)
from .chunks import ChunkSettings
from .embed import Embedder
from .errors import QAError, QueryError, SettingsError
from .index import Index, build, known_vectors, open_index, save
from .overview import answer_overview
from .question import age_asked_of, person_asked_about
from .retrieve import Retriever, spoken_topic
from .schema import Answer

if TYPE_CHECKING:
    import numpy as np

# The project's own files: src/qa/api.py -> the repository root.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ARTICLE = PROJECT_ROOT / "articles" / "nato-russia-real-risk-of-conflict.txt"
INDEX_ENV = "QA_INDEX_DIR"


def default_index_dir() -> Path:
    return Path(os.environ.get(INDEX_ENV) or PROJECT_ROOT / "index")


_HE_OR_SHE = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)


class QA:
    """Answers questions from the index in `index_dir` (or one given in memory, see `from_index`).

    The index, the model and the search structures load on first use (or `warm_up()`), once, under a
    lock; after that `ask` only reads shared state, so threads may call it at once.
    """

    def __init__(
        self,
        index_dir: str | Path | None,
        *,
        articles: Sequence[str | Path] | None = None,
        model: str | None = None,
        chunking: ChunkSettings | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.articles = [Path(path) for path in articles] if articles is not None else None
        # An embedder may be shared, so that several answerers load the model once.
        self.embedder = embedder or Embedder(model)
        self.chunking = chunking or ChunkSettings()
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_index(cls, index: Index, embedder: Embedder) -> QA:
        """An answerer over `index` as built in memory (for example by `build_articles`), never saved."""
        engine = cls(None, embedder=embedder, chunking=ChunkSettings(**index.manifest["chunking"]))
        engine._retriever = Retriever.for_embedder(index, embedder)
        return engine

    def warm_up(self) -> None:
        if self._retriever is not None:
            return
        with self._lock:
            if self._retriever is None:
                assert self.index_dir is not None, "an answerer made from an index has its retriever"
                index = open_index(self.index_dir, self.embedder, self.chunking, self.articles)
                self.embedder.warm_up_queries()
                self._retriever = Retriever.for_embedder(index, self.embedder)

    @property
    def retriever(self) -> Retriever:
        self.warm_up()
        assert self._retriever is not None
        return self._retriever

    @property
    def index(self) -> Index:
        return self.retriever.index

    def ask(
        self, question: str, *, k: int = 5, history: Sequence[dict[str, Any]] | None = None
    ) -> Answer:
        """Answer `question` with verbatim quotes from the article(s), best first.

        `k` is how many passages each ranking contributes. `history` takes the previous chat turns as
        `{"role", "content"}` dicts; a follow-up question is read in their light (see `followup.py`).
        Raises `QueryError` (a `ValueError`) for an empty question or one over 1,000 characters, a bad `k`
        or `history`, and a follow-up that asks nothing but what it points back at when the conversation
        has no answer for it to point at ("What did he add?" asked first)."""
        question = clean_question(question)
        k = check_k(k)
        history = check_history(history)
        retriever = self.retriever
        given = given_before(question, history)
        # "he" or "she" follows the latest answer whose speaker it can mean.
        followed = fitting_history(question, history, self._pronoun_of_answer)
        searched = self.standalone(question, followed)
        placed = self.by_place(question, followed, searched, given)
        if placed is not None:
            return placed
        dangling = dangling_reference(searched, followed)
        if dangling:
            # "Why?" made whole from a question that itself pointed back: the user's words are what points.
            pointing = dangling if re.search(rf"\b{re.escape(dangling)}\b", question, re.IGNORECASE) else question.strip()
            if history and not followed:
                raise QueryError(f"“{pointing}” fits no one quoted in this conversation so far: ask the question in full")
            if any(turn.get("role") == "assistant" for turn in followed):
                raise QueryError(f"“{pointing}” refers back to the last answer, which found nothing in the article: ask the question in full")
            raise QueryError(f"“{pointing}” refers back to an earlier answer, and there is none to go by: ask the question in full")
        topic = self.topic_vector(searched)
        candidates = retriever.search(searched, self.embedder.encode_query(searched), k, topic)
        if given:
            candidates = [c for c in candidates if not was_given(retriever.texts[c.row], given)]
        return replace(answer(searched, candidates, retriever, topic), question=question)

    def by_place(self, question: str, history: Sequence[dict[str, Any]], searched: str, given: str = "") -> Answer | None:
        """The answer found by its place in an article, not by likeness to the question: what the article
        is about or whom it quotes (`overview.py`), what follows the previous answer's quote ("What did
        he say next?"; with the answers `given`, the next not among them), the speaker of that quote ("Who
        said that?"), or the sentence that describes the person `searched` asks about ("Who is Jane
        Doe?") or gives their age ("How old is Jane Doe?"). None for any other question."""
        index = self.retriever.index
        overview = answer_overview(question, index)
        if overview is not None:
            return overview
        asked_about = quote_asked_about(question, history)
        who = answer_who_said(question, asked_about, index) if asked_about is not None else None
        if who is not None:
            return who
        previous = quote_followed(question, history)
        pronoun = _HE_OR_SHE.search(question)
        placed = sentence_in(previous, index) if previous is not None and pronoun else None
        if placed is not None and index.documents[placed[0]].speakers[placed[1]] is None:
            # "What did he add?" after the writer's own words: what follows is nobody's addition. Unless
            # "he" is someone the conversation named ("Who is Tom Reeve?"): then his words are searched.
            if _HE_OR_SHE.search(searched):
                raise QueryError(f"“{pronoun.group()}” refers back to the last answer, which quotes no one: ask the question in full")
            previous = None
        after = answer_next(question, previous, index, given) if previous is not None else None
        if after is not None:
            return after
        person = person_asked_about(searched)
        aged = age_asked_of(searched)
        row = self.retriever.introduction(person) if person else self.retriever.age_given(aged) if aged else None
        return answer_at(question, index, *index.sentence_rows[row]) if row is not None else None

    def _pronoun_of_answer(self, answer: str) -> str | None:
        """The pronoun ("he", "she") of the speaker of an earlier answer's quote, where the article tells."""
        speaker = speaker_in(answer, self.index)
        return self.retriever.pronouns.get(speaker) if speaker else None

    def topic_vector(self, question: str) -> np.ndarray | None:
        """The vector of what a question about someone's words asks them about, if it asks about anything."""
        topic = spoken_topic(question)
        return self.embedder.encode_query(topic) if topic else None

    def standalone(self, question: str, history: Sequence[dict[str, Any]]) -> str:
        """The whole question a follow-up ("And Hungary's?", "What did he say about it?") implies in the
        conversation `history`; a question that stands on its own, as it is. Either way with the articles'
        names written as they write them ("nato" as NATO)."""
        index = self.index
        return resolve(self.retriever.cased(question), history, lambda answer: speaker_in(answer, index))


def as_path(value: object, what: str) -> Path:
    """`value` as a path, or a `SettingsError` that names it."""
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise SettingsError(f"{what} must be a path, got {value!r}")
    return Path(value)


def default_qa(model: str | None = None) -> QA:
    """The shipped article and its committed index."""
    return QA(default_index_dir(), articles=[DEFAULT_ARTICLE], model=model)


def build_index(
    paths: str | Path | Sequence[str | Path],
    out_dir: str | Path,
    *,
    model: str | None = None,
    window: int = 3,
    overlap: int = 1,
    progress: bool = False,
) -> Path:
    """Index the article files `paths` into `out_dir` and return `out_dir`.

    Articles that an index already in `out_dir` holds, unchanged and built the same way, keep their
    vectors: adding one article to an index of many embeds that one article. One path alone may be
    given as it is.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    given = paths
    try:
        paths = list(paths)
    except TypeError:
        paths = []
    if not paths or not all(isinstance(p, (str, os.PathLike)) for p in paths):
        raise SettingsError(f"articles to index must be one or more file paths, got {given!r}")
    out_dir = as_path(out_dir, "the index folder")
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        # Said before the articles are embedded, not after.
        raise QAError(f"cannot write an index to {out_dir}: it is a file, not a folder")
    embedder, settings = Embedder(model), ChunkSettings(window, overlap)
    known = known_vectors(out_dir, embedder.model_name, settings)
    index = build([Path(p) for p in paths], embedder, settings, progress, known=known)
    save(index, out_dir)
    return Path(out_dir)
