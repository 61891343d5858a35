"""qa: ask a news article questions and get verbatim, attributed quotes from it.

    >>> import qa
    >>> answer = qa.ask("What did Stoltenberg say about dialogue?")
    >>> answer.found, answer.quotes[0].speaker

Importing `qa` is cheap: the model, FAISS and the index load on the first question.
"""

from __future__ import annotations

__version__ = "0.1.0"

import threading
from pathlib import Path
from typing import Any, Sequence

from .api import QA, as_path, build_index, default_qa
from .errors import ArticleError, IndexLoadError, ModelError, QAError, QueryError, SettingsError
from .schema import Answer, Quote

__all__ = [
    "QA",
    "Answer",
    "ArticleError",
    "IndexLoadError",
    "ModelError",
    "QAError",
    "Quote",
    "QueryError",
    "SettingsError",
    "ask",
    "build_index",
    "load",
]

_default: QA | None = None
_default_lock = threading.Lock()


def _default_qa() -> QA:
    global _default
    with _default_lock:
        if _default is None:
            _default = default_qa()
        return _default


def ask(question: str, *, k: int = 5, history: Sequence[dict[str, Any]] | None = None) -> Answer:
    """Answer `question` from the shipped article with verbatim quotes (see `QA.ask`)."""
    return _default_qa().ask(question, k=k, history=history)


def load(index_dir: str | Path, *, model: str | None = None) -> QA:
    """A question answerer over the index in `index_dir`, rebuilt from its articles if stale."""
    return QA(as_path(index_dir, "the index folder"), model=model)
