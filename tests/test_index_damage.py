"""Damaged index files beyond those of test_index.py: cut at any point, sizes inside FAISS files forged
(with a manifest that vouches for them), a folder that cannot be written, a disk that fills up mid-save.
Each ends in a rebuild with one log line saying why, or a typed error; never a crash, a huge allocation
or a file left half-written."""

from __future__ import annotations

import errno
import logging
import os
import struct
import tempfile
from pathlib import Path

import faiss
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.api import QA
from qa.errors import IndexLoadError
from qa.index import (
    CHUNK_VECTORS,
    MANIFEST,
    METADATA,
    SENTENCE_VECTORS,
    StaleIndex,
    deserialize,
    load,
    open_index,
    vector_index,
)

from conftest import FakeEmbedder
from test_index import SETTINGS, _rebuilds, _rewrite_checksum, saved  # noqa: F401 (saved is a fixture)

INDEX_FILES = sorted([CHUNK_VECTORS, SENTENCE_VECTORS, METADATA, MANIFEST])
CUTS = {
    "one-byte": lambda data: data[:1],
    "half": lambda data: data[: len(data) // 2],
    "all-but-one-byte": lambda data: data[:-1],
}


def _files(directory: Path) -> list[str]:
    """Everything in the folder: a temporary or half-written file left behind shows here."""
    return sorted(path.name for path in directory.iterdir())


@pytest.mark.parametrize("cut", CUTS.values(), ids=CUTS.keys())
@pytest.mark.parametrize("name", [CHUNK_VECTORS, SENTENCE_VECTORS, METADATA])
def test_a_file_cut_short_is_rebuilt_even_when_the_manifest_vouches_for_it(saved, fake_embedder, caplog, name, cut):
    path = saved / name
    path.write_bytes(cut(path.read_bytes()))
    _rewrite_checksum(saved, name)
    why = "is malformed" if name == METADATA else f"{name} is shorter than the sizes written in it"
    _rebuilds(saved, fake_embedder, caplog, why)
    assert _files(saved) == INDEX_FILES


@pytest.mark.parametrize("name", [CHUNK_VECTORS, SENTENCE_VECTORS, METADATA])
def test_a_file_cut_to_one_byte_is_rebuilt(saved, fake_embedder, caplog, name):
    (saved / name).write_bytes((saved / name).read_bytes()[:1])
    _rebuilds(saved, fake_embedder, caplog, f"{name} does not match its manifest")


# The manifest's own damage: without the articles to rebuild from, a typed error that says how to build.
MANIFEST_DAMAGE = {
    "one-byte": CUTS["one-byte"],
    "half": CUTS["half"],
    # The newline that ends the file is not part of its JSON.
    "all-but-one-character": lambda data: data.rstrip(b"\n")[:-1],
    "random-bytes": lambda data: os.urandom(len(data)),
}


@pytest.mark.parametrize("damage", MANIFEST_DAMAGE.values(), ids=MANIFEST_DAMAGE.keys())
def test_a_damaged_manifest_is_a_typed_error_or_a_rebuild_from_the_articles(saved, article_copy, fake_embedder, caplog, damage):
    (saved / MANIFEST).write_bytes(damage((saved / MANIFEST).read_bytes()))
    with pytest.raises(IndexLoadError, match=r"cannot use the index in .*: manifest\.json is unreadable .*qa index"):
        open_index(saved, fake_embedder, SETTINGS)
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = open_index(saved, fake_embedder, SETTINGS, sources=[article_copy])
    assert "rebuilding the index" in caplog.text and "manifest.json is unreadable" in caplog.text
    assert index.sentence_vectors.ntotal == 31
    assert _files(saved) == INDEX_FILES
    load(saved, fake_embedder.model_name, SETTINGS)


def test_a_size_that_would_allocate_terabytes_is_refused_before_faiss_reads_it(saved, fake_embedder, caplog):
    """FAISS allocates what a size field says before it finds the file short: std::bad_alloc, a
    MemoryError in Python, for this one; for one of a few gigabytes, minutes of zeroing memory or the
    process killed for it."""
    path = saved / CHUNK_VECTORS
    data = path.read_bytes()
    floats = struct.pack("<Q", 13 * 64)  # the count of floats before the vectors: 13 chunks, 64 dimensions
    assert data.count(floats) == 1
    path.write_bytes(data.replace(floats, struct.pack("<Q", 2**36)))
    _rewrite_checksum(saved, CHUNK_VECTORS)
    _rebuilds(saved, fake_embedder, caplog, f"{CHUNK_VECTORS} is shorter than the sizes written in it")


def test_an_index_that_compares_by_distance_is_caught(saved, fake_embedder, caplog):
    vectors = np.eye(64, dtype="float32")[:13]
    other = faiss.IndexFlatL2(64)
    other.add(vectors)
    faiss.write_index(other, str(saved / CHUNK_VECTORS))
    _rewrite_checksum(saved, CHUNK_VECTORS)
    _rebuilds(saved, fake_embedder, caplog, f"{CHUNK_VECTORS} is not a FAISS index of a kind qa writes")


def _serialized(kind: str) -> bytes:
    """300 unit vectors of dimension 16 as `vector_index` saves them: exact, or HNSW as for large collections."""
    vectors = np.random.default_rng(0).standard_normal((300, 16)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return faiss.serialize_index(vector_index(vectors, exact_limit=10 if kind == "hnsw" else 1000)).tobytes()


SERIALIZED = {kind: _serialized(kind) for kind in ("flat", "hnsw")}
# Sizes a damaged field may hold: past the file's end, past memory, past FAISS's own limit, negative.
HUGE = st.sampled_from([2**31, 2**33, 2**36, 2**40 - 1, 2**63, 2**64 - 1]) | st.integers(0, 2**64 - 1)


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """`data` cut short, with bytes changed, or with any eight bytes replaced by a large number."""
    how = draw(st.sampled_from(["cut", "bytes", "number"]))
    if how == "cut":
        return data[: draw(st.integers(0, len(data) - 1))]
    changed = bytearray(data)
    if how == "bytes":
        for _ in range(draw(st.integers(1, 8))):
            changed[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    else:
        # Most sizes sit in the first 150 bytes (the graph's array counts), the rest anywhere.
        position = draw(st.integers(0, 150) | st.integers(0, len(data) - 8))
        changed[position : position + 8] = struct.pack("<Q", draw(HUGE))
    return bytes(changed)


@pytest.mark.parametrize("kind", SERIALIZED)
@settings(max_examples=400, deadline=1000)
@given(data=st.data())
def test_any_damage_to_a_faiss_file_is_stale_or_harmless(kind, data):
    """Whatever the damage, `deserialize` either refuses it as stale or returns an index of the right
    shape that searches; within the deadline, so never a huge allocation either."""
    blob = data.draw(damaged(SERIALIZED[kind]))
    try:
        index = deserialize(blob, CHUNK_VECTORS, 16, 300)
    except StaleIndex as why:
        assert str(why).startswith(CHUNK_VECTORS)
        return
    assert (index.d, index.ntotal) == (16, 300)
    index.search(np.ones((1, 16), dtype="float32"), 5)


class _FileOnFullDisk:
    """A file on a disk that fills up: half of what is written gets there, then ENOSPC."""

    def __init__(self, file) -> None:
        self.file = file

    def __enter__(self) -> _FileOnFullDisk:
        return self

    def __exit__(self, *exc_info) -> None:
        self.file.close()

    def write(self, data: bytes) -> int:
        self.file.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fails_on_call(function, call: int, failure):
    """`function`, except that its `call`-th call does `failure` instead."""
    calls = []

    def sometimes_failing(*args, **kwargs):
        calls.append(1)
        return failure(*args, **kwargs) if len(calls) == call else function(*args, **kwargs)

    return sometimes_failing


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


_REAL_FDOPEN = os.fdopen


def _half_written(*args, **kwargs) -> _FileOnFullDisk:
    return _FileOnFullDisk(_REAL_FDOPEN(*args, **kwargs))


FULL_DISK = {
    "write": lambda call: (os, "fdopen", _fails_on_call(os.fdopen, call, _half_written)),
    "fsync": lambda call: (os, "fsync", _fails_on_call(os.fsync, call, _no_space)),
    "rename": lambda call: (os, "replace", _fails_on_call(os.replace, call, _no_space)),
}
# Files are saved in this order, so the n-th call fails on the n-th file.
SAVE_ORDER = [CHUNK_VECTORS, SENTENCE_VECTORS, METADATA, MANIFEST]


@pytest.mark.parametrize("failing_file", [1, 3, 4], ids=lambda n: SAVE_ORDER[n - 1])
@pytest.mark.parametrize("step", FULL_DISK)
def test_a_full_disk_mid_save_answers_from_memory_and_leaves_no_partial_file(
    saved, fake_embedder, caplog, monkeypatch, step, failing_file
):
    (saved / SENTENCE_VECTORS).write_bytes(b"")  # stale, so opening rebuilds and saves
    monkeypatch.setattr(*FULL_DISK[step](failing_file))
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = open_index(saved, fake_embedder, SETTINGS)
    monkeypatch.undo()
    assert index.sentence_vectors.ntotal == 31
    assert f"could not save the rebuilt index in {saved} ([Errno 28] No space left on device); using it from memory" in caplog.text
    assert _files(saved) == INDEX_FILES
    # What the failed save left is whole or caught: the next start loads it or rebuilds it, and is current.
    open_index(saved, fake_embedder, SETTINGS)
    load(saved, fake_embedder.model_name, SETTINGS)


def test_a_read_only_index_folder_is_answered_from_memory_and_left_untouched(saved, article_copy, caplog, monkeypatch):
    (saved / SENTENCE_VECTORS).write_bytes(b"")  # stale, so the answerer rebuilds and tries to save
    before = {path.name: path.read_bytes() for path in saved.iterdir()}
    saved.chmod(0o555)
    if os.geteuid() == 0:
        # Root writes into any folder; refuse as the folder refuses everyone else.
        def refuse(*args, dir=None, **kwargs):
            if Path(dir) == saved:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))
            return real_mkstemp(*args, dir=dir, **kwargs)

        real_mkstemp = tempfile.mkstemp
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        engine = QA(saved, articles=[article_copy], embedder=FakeEmbedder())
        with caplog.at_level(logging.WARNING, logger="qa"):
            answer = engine.ask("Where will the EU ministers meet?")
    finally:
        saved.chmod(0o755)
    assert "rebuilding the index" in caplog.text and f"{SENTENCE_VECTORS} is empty" in caplog.text
    assert f"could not save the rebuilt index in {saved} ([Errno 13] Permission denied" in caplog.text
    text = article_copy.read_text(encoding="utf-8")
    assert answer.found and "Brest" in answer.quotes[0].text
    for quote in answer.quotes:
        assert text[quote.start : quote.end] == quote.text
    assert {path.name: path.read_bytes() for path in saved.iterdir()} == before
