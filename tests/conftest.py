from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

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

    warm_up_queries = warm_up

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def word_vectors(self, words) -> None:
        """No word is like another here: related words are tested with the real model."""
        return None

    def whole_words(self, words) -> None:
        """No vocabulary here: any word unused may be a misspelling."""
        return None

    def encode(self, texts, progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype="float32")
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


class CountingEmbedder:
    """The embedder it wraps (the fake or the real model), noting every text it embeds for an index."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self.texts: list[str] = []

    def __getattr__(self, name: str):
        return getattr(self.embedder, name)

    def encode(self, texts, progress: bool = False):
        self.texts.extend(texts)
        return self.embedder.encode(texts, progress=progress)


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


SERVER_START_TIMEOUT = 180
SERVER_COMMANDS = {
    "app.py": [sys.executable, "app.py"],
    "qa serve": [sys.executable, "-m", "qa.cli", "serve"],
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen
    log: Path


@contextlib.contextmanager
def started_server(name: str, log_dir: Path) -> Iterator[Server]:
    """The app started as `name` (`python app.py` or `qa serve`) on a free port, with its process and log."""
    port = _free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1"}
    command = SERVER_COMMANDS[name] + (["--port", str(port)] if name == "qa serve" else [])
    log_path = log_dir / "server.log"
    with open(log_path, "w") as log:  # a file, not a pipe: nobody reads the server's output while it runs
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                if process.poll() is not None:
                    pytest.fail(f"{name} exited with {process.returncode}: {log_path.read_text()}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{name} did not listen on port {port} within {SERVER_START_TIMEOUT} s")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    time.sleep(0.5)
            yield Server(f"http://127.0.0.1:{port}/", process, log_path)
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextlib.contextmanager
def running_server(name: str, log_dir: Path) -> Iterator[str]:
    """The app started as `name` on a free port; yields its URL."""
    with started_server(name, log_dir) as server:
        yield server.url
