from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "articles" / "nato-russia-real-risk-of-conflict.txt"
DATA = Path(__file__).resolve().parent / "data"


class FakeEmbedder:
    """Hashed bag of words: fast and deterministic, for tests of logic that needs no real meaning."""

    model_name = "test/fake-embedder"
    dimension = 64

    def warm_up(self) -> None:
        pass

    def encode(self, texts, progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype="float32")
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def embedder():
    """The real model, loaded once for the whole session."""
    from qa.embed import Embedder

    model = Embedder()
    model.warm_up()
    return model


@pytest.fixture
def article_copy(tmp_path: Path) -> Path:
    """The shipped article in a folder of its own, free to change."""
    folder = tmp_path / "articles"
    folder.mkdir()
    return Path(shutil.copy(ARTICLE, folder / ARTICLE.name))


@pytest.fixture(scope="session")
def shipped_qa(embedder, tmp_path_factory):
    """The committed index and article, copied so no test can change the repository's files."""
    from qa.api import QA

    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(ROOT / "index", root / "index")
    shutil.copytree(ROOT / "articles", root / "articles")
    engine = QA(root / "index", articles=[root / "articles" / ARTICLE.name], embedder=embedder)
    engine.warm_up()
    return engine
