"""The index on disk: manifest, atomic saves, and every stale or damaged state detected."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np
import pytest

from qa.chunks import ChunkSettings
from qa.errors import ArticleError, IndexLoadError, QAError
from qa.index import (
    CHUNK_VECTORS,
    HNSW_SEARCH_BREADTH,
    MANIFEST,
    METADATA,
    SENTENCE_VECTORS,
    StaleIndex,
    build,
    known_vectors,
    load,
    model_folder,
    open_index,
    save,
    vector_index,
)

from conftest import CountingEmbedder, FakeEmbedder

SETTINGS = ChunkSettings()


@pytest.fixture
def saved(tmp_path: Path, article_copy: Path, fake_embedder) -> Path:
    directory = tmp_path / "index"
    save(build([article_copy], fake_embedder, SETTINGS), directory)
    return directory


def _rewrite_checksum(directory: Path, name: str) -> None:
    """Make the manifest vouch for a changed file, so that only the deeper checks can catch it."""
    import hashlib

    manifest = json.loads((directory / MANIFEST).read_text())
    manifest["files"][name] = hashlib.sha256((directory / name).read_bytes()).hexdigest()
    (directory / MANIFEST).write_text(json.dumps(manifest))


def test_manifest_records_how_the_index_was_built(saved: Path, article_copy: Path):
    manifest = json.loads((saved / MANIFEST).read_text())
    assert manifest["format"] == 1
    assert manifest["qa_version"]
    assert manifest["model"] == "test/fake-embedder"
    assert manifest["dimension"] == 64
    assert manifest["normalized"] is True and manifest["metric"] == "inner_product"
    assert manifest["chunking"] == {"window": 3, "overlap": 1}
    assert manifest["analysis"]["segmenter"].startswith("pysbd ")
    assert manifest["counts"] == {"articles": 1, "paragraphs": 10, "sentences": 31, "chunks": 13}
    assert manifest["built_at"].endswith("Z")
    [entry] = manifest["articles"]
    assert (saved / entry["path"]).resolve() == article_copy.resolve()
    assert set(manifest["files"]) == {CHUNK_VECTORS, SENTENCE_VECTORS, METADATA}


def test_load_round_trips(saved: Path, fake_embedder):
    index = load(saved, fake_embedder.model_name, SETTINGS)
    assert index.chunk_vectors.ntotal == 13 and index.sentence_vectors.ntotal == 31
    assert index.chunk_vectors.d == 64
    document = index.documents[0]
    assert document.article.sentence_text(0).startswith("In the conflict over Ukraine")
    assert len(document.speakers) == 31


def test_save_leaves_no_temporary_files(saved: Path):
    assert sorted(p.name for p in saved.iterdir()) == sorted([MANIFEST, METADATA, CHUNK_VECTORS, SENTENCE_VECTORS])


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(saved, article_copy, fake_embedder, monkeypatch):
    before = (saved / CHUNK_VECTORS).read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        save(build([article_copy], fake_embedder, ChunkSettings(window=2, overlap=0)), saved)
    assert (saved / CHUNK_VECTORS).read_bytes() == before
    assert not [p for p in saved.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.undo()
    load(saved, fake_embedder.model_name, SETTINGS)  # still whole and current


def _rebuilds(directory: Path, embedder, caplog, why: str, settings: ChunkSettings = SETTINGS) -> None:
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = open_index(directory, embedder, settings)
    rebuild_lines = [r.getMessage() for r in caplog.records if "rebuilding the index" in r.getMessage()]
    assert len(rebuild_lines) == 1, rebuild_lines
    assert why in rebuild_lines[0]
    assert index.sentence_vectors.ntotal == 31
    caplog.clear()
    load(directory, embedder.model_name, settings)  # the rebuilt index was saved and is current


def test_current_index_loads_without_rebuilding(saved, fake_embedder, caplog):
    with caplog.at_level(logging.WARNING, logger="qa"):
        open_index(saved, fake_embedder, SETTINGS)
    assert not caplog.records


def test_changed_article_is_detected_and_rebuilt(saved, article_copy, fake_embedder, caplog):
    article_copy.write_text(article_copy.read_text(encoding="utf-8").replace("Brest", "Lyon"), encoding="utf-8")
    _rebuilds(saved, fake_embedder, caplog, "has changed since the index was built")
    index = load(saved, fake_embedder.model_name, SETTINGS)
    assert "Lyon" in index.documents[0].article.text


def test_another_models_index_is_kept_and_this_models_is_built_beside_it(saved, fake_embedder, caplog):
    manifest = json.loads((saved / MANIFEST).read_text())
    manifest["model"] = "some/other-model"
    (saved / MANIFEST).write_text(json.dumps(manifest))
    files = {path.name: path.read_bytes() for path in saved.iterdir() if path.is_file()}
    beside = model_folder(saved, fake_embedder.model_name)
    with caplog.at_level(logging.WARNING, logger="qa"):
        assert open_index(saved, fake_embedder, SETTINGS).sentence_vectors.ntotal == 31
    assert [record.getMessage() for record in caplog.records] == [f"rebuilding the index in {beside}: there is no {MANIFEST}"]
    caplog.clear()
    load(beside, fake_embedder.model_name, SETTINGS)  # this model's index, saved and current
    assert {path.name: path.read_bytes() for path in saved.iterdir() if path.is_file()} == files
    with caplog.at_level(logging.WARNING, logger="qa"):
        assert open_index(saved, fake_embedder, SETTINGS).sentence_vectors.ntotal == 31
    assert not caplog.records  # found beside it, not built again
    with pytest.raises(StaleIndex, match="built with model 'some/other-model'"):
        load(saved, fake_embedder.model_name, SETTINGS)


def test_each_model_has_a_folder_of_its_own():
    folders = {model_folder("index", model) for model in ("a/b", "a-b", "/home/me/models/a b", "sentence-transformers/all-MiniLM-L6-v2")}
    assert len(folders) == 4
    assert all(folder.parent == Path("index") / "models" for folder in folders)
    assert model_folder("index", "all-MiniLM-L6-v2") == model_folder("index", "sentence-transformers/all-MiniLM-L6-v2")


def test_changed_chunking_is_detected_and_rebuilt(saved, fake_embedder, caplog):
    _rebuilds(saved, fake_embedder, caplog, "built with chunking", ChunkSettings(window=2, overlap=0))


def test_changed_text_analysis_is_detected_and_rebuilt(saved, fake_embedder, caplog):
    manifest = json.loads((saved / MANIFEST).read_text())
    manifest["analysis"]["version"] = 0
    (saved / MANIFEST).write_text(json.dumps(manifest))
    _rebuilds(saved, fake_embedder, caplog, "its sentences and speakers come from")


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "does not match its manifest"),
        (lambda p: p.write_bytes(p.read_bytes()[:-1]), "does not match its manifest"),
        (lambda p: p.write_bytes(os.urandom(4096)), "does not match its manifest"),
        (lambda p: p.unlink(), "is missing"),
    ],
    ids=["zero-bytes", "truncated-half", "truncated-one-byte", "random-bytes", "missing"],
)
@pytest.mark.parametrize("name", [CHUNK_VECTORS, SENTENCE_VECTORS, METADATA])
def test_damaged_files_are_detected_and_rebuilt(saved, fake_embedder, caplog, damage, why, name):
    damage(saved / name)
    _rebuilds(saved, fake_embedder, caplog, f"{name} {why}")


def test_garbage_faiss_file_vouched_for_by_the_manifest_is_caught(saved, fake_embedder, caplog):
    (saved / CHUNK_VECTORS).write_bytes(os.urandom(2048))
    _rewrite_checksum(saved, CHUNK_VECTORS)
    _rebuilds(saved, fake_embedder, caplog, f"{CHUNK_VECTORS} is not a FAISS index")


def test_wrong_dimension_is_caught(saved, fake_embedder, caplog):
    import faiss

    wrong = faiss.IndexFlatIP(32)
    wrong.add(np.ones((13, 32), dtype="float32"))
    faiss.write_index(wrong, str(saved / CHUNK_VECTORS))
    _rewrite_checksum(saved, CHUNK_VECTORS)
    _rebuilds(saved, fake_embedder, caplog, "has dimension 32, the manifest says 64")


def _forge_metadata(directory: Path, change) -> None:
    metadata = json.loads((directory / METADATA).read_text())
    change(metadata["documents"][0])
    (directory / METADATA).write_text(json.dumps(metadata))
    _rewrite_checksum(directory, METADATA)


def test_chunks_not_matching_the_index_are_caught(saved, fake_embedder, caplog):
    _forge_metadata(saved, lambda document: document["chunks"].append(document["chunks"][0]))
    _rebuilds(saved, fake_embedder, caplog, "holds 13 vectors for 14 entries")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d.update(chunks=[[1, 0]] * 13), "has a chunk outside its paragraph"),
        (lambda d: d["chunks"].__setitem__(0, [1, 2]), "has sentences that no chunk holds"),
        (lambda d: d["article"]["sentences"][0].__setitem__(0, -5), "sentence offsets outside the article"),
        (lambda d: d["article"]["sentences"][3].__setitem__(1, 10**7), "sentence offsets outside the article"),
        (lambda d: d["article"]["sentences"][0].__setitem__(2, 99), "paragraph 99, which does not exist"),
        (lambda d: d["speakers"].pop(), "speakers that do not match"),
        (lambda d: d["speakers"].__setitem__(0, 7), "speakers that do not match"),
        (lambda d: d["article"]["sentences"][0].__setitem__(0, 0.5), "fields of the wrong type"),
        (lambda d: d["article"]["sentences"][0].__setitem__(2, True), "fields of the wrong type"),
        (lambda d: d["article"].update(headline={"text": "x"}), "fields of the wrong type"),
        (lambda d: d["article"]["sections"][0].update(title=7), "fields of the wrong type"),
        (lambda d: d["article"].update(doc="another"), "names article 'another' where manifest.json names"),
        (lambda d: d["article"].update(doc=["x"]), "names article ['x'] where manifest.json names"),
        (lambda d: d["speakers"].__setitem__(3, "  "), "speakers that do not match"),
        (lambda d: d["speech"].__setitem__(0, "direct"), "kinds of speech that do not match its speakers"),
        (lambda d: d["speech"].__setitem__(3, "sung"), "kinds of speech that do not match its speakers"),
        (lambda d: d["speech"].pop(), "kinds of speech that do not match its speakers"),
    ],
    ids=["reversed-chunks", "uncovered-sentence", "negative-offset", "offset-past-end", "no-such-paragraph",
         "speaker-missing", "speaker-not-text", "offset-fraction", "paragraph-true", "headline-not-text",
         "section-title-not-text", "other-article-name", "article-name-not-text", "speaker-blank",
         "speech-without-speaker", "speech-of-no-kind", "speech-missing"],
)
def test_forged_metadata_vouched_for_by_the_manifest_is_caught(saved, fake_embedder, caplog, change, why):
    _forge_metadata(saved, change)
    _rebuilds(saved, fake_embedder, caplog, why)


@pytest.mark.parametrize(
    "metadata",
    [json.dumps({"documents": [{"article": {}}]}), "[" * 100_000 + "]" * 100_000],
    ids=["no-fields", "deep"],
)
def test_malformed_metadata_is_caught(saved, fake_embedder, caplog, metadata):
    (saved / METADATA).write_text(metadata)
    _rewrite_checksum(saved, METADATA)
    _rebuilds(saved, fake_embedder, caplog, "is malformed")


def _manifest_with(directory: Path, **fields) -> bytes:
    return json.dumps({**json.loads((directory / MANIFEST).read_text()), **fields}).encode()


@pytest.mark.parametrize(
    "manifest",
    [
        b"",
        b"{not json",
        b"[1, 2]",
        b'{"format": 1}',
        b"[" * 100_000 + b"]" * 100_000,
        lambda d: _manifest_with(d, files=[]),
        lambda d: _manifest_with(d, articles=[]),
        lambda d: _manifest_with(d, articles=[{"doc": "x", "path": "a\u0000b", "sha256": "0"}]),
        lambda d: _manifest_with(d, articles=["x"]),
        lambda d: _manifest_with(d, dimension="384"),
        lambda d: _manifest_with(d, articles=json.loads((d / MANIFEST).read_text())["articles"] * 2),
    ],
    ids=["empty", "not-json", "list", "few-fields", "deep", "files-list", "no-articles", "nul-path",
         "article-not-object", "dimension-text", "same-name-twice"],
)
def test_unreadable_manifest_without_known_articles_is_a_typed_error(saved, fake_embedder, manifest):
    (saved / MANIFEST).write_bytes(manifest(saved) if callable(manifest) else manifest)
    with pytest.raises(IndexLoadError, match=r"cannot use the index in .*index: manifest\.json .*qa index"):
        open_index(saved, fake_embedder, SETTINGS)


def test_unreadable_manifest_rebuilds_from_the_articles_asked_for(saved, article_copy, fake_embedder, caplog):
    (saved / MANIFEST).write_bytes(b"\x00garbage")
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = open_index(saved, fake_embedder, SETTINGS, sources=[article_copy])
    assert "manifest.json is unreadable" in caplog.text
    assert index.sentence_vectors.ntotal == 31


def test_missing_index_folder_is_built_from_the_articles_asked_for(tmp_path, article_copy, fake_embedder):
    index = open_index(tmp_path / "new", fake_embedder, SETTINGS, sources=[article_copy])
    assert index.chunk_vectors.ntotal == 13
    assert (tmp_path / "new" / MANIFEST).exists()


def test_other_articles_than_asked_for_are_detected(saved, tmp_path, article_copy, fake_embedder, caplog):
    other = tmp_path / "other.txt"
    other.write_text("Other News\n\nA single sentence of news here. And one more.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = open_index(saved, fake_embedder, SETTINGS, sources=[article_copy, other])
    assert "other article files" in caplog.text
    assert [d.article.doc for d in index.documents] == ["nato-russia-real-risk-of-conflict", "other"]


def test_missing_article_is_a_typed_error(saved, article_copy, fake_embedder):
    article_copy.unlink()
    with pytest.raises(ArticleError, match=r"article file not found: .*nato-russia.*relative to its folder"):
        open_index(saved, fake_embedder, SETTINGS)


def test_a_file_given_for_the_index_folder_is_a_typed_error(article_copy, fake_embedder):
    with pytest.raises(IndexLoadError, match=r"cannot use the index in .*: it is a file; give the folder"):
        open_index(article_copy, fake_embedder, SETTINGS)
    assert article_copy.read_text(encoding="utf-8").startswith("“Real” risk")


def test_save_failure_after_rebuild_answers_from_memory(saved, article_copy, fake_embedder, caplog, monkeypatch):
    (saved / MANIFEST).unlink()

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("qa.index.tempfile.mkstemp", read_only)
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = open_index(saved, fake_embedder, SETTINGS, sources=[article_copy])
    assert "could not save the rebuilt index" in caplog.text
    assert index.sentence_vectors.ntotal == 31


def test_several_articles_in_one_index(tmp_path, article_copy, fake_embedder):
    second = tmp_path / "second.txt"
    second.write_text("Second Story\n\nThe council met on Tuesday. “We agreed,” said Mayor Ann Lee.\n", encoding="utf-8")
    directory = tmp_path / "both"
    save(build([article_copy, second], fake_embedder, SETTINGS), directory)
    index = load(directory, fake_embedder.model_name, SETTINGS)
    assert [d.article.doc for d in index.documents] == ["nato-russia-real-risk-of-conflict", "second"]
    assert index.sentence_vectors.ntotal == 33
    assert index.documents[1].speakers[1] == "Mayor Ann Lee"


def test_build_refuses_no_articles_and_duplicates(article_copy, fake_embedder):
    with pytest.raises(QAError, match="no articles to index"):
        build([], fake_embedder, SETTINGS)
    with pytest.raises(QAError, match="listed twice"):
        build([article_copy, article_copy], fake_embedder, SETTINGS)


def test_load_without_manifest_says_why(saved, fake_embedder):
    (saved / MANIFEST).unlink()
    with pytest.raises(StaleIndex, match="there is no manifest.json"):
        load(saved, fake_embedder.model_name, SETTINGS)


def _stories(folder: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = folder / f"story-{number}.txt"
        path.write_text(
            f"Story {number}\n\nThe council of town {number} met on Tuesday. “We agreed,” said Mayor Ann Lee.\n\n"
            f"Repairs in town {number} cost {number + 2} million euros.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _embedded_texts(paths: list[Path]) -> list[str]:
    """What a build from nothing embeds for `paths`."""
    counting = CountingEmbedder(FakeEmbedder())
    build(paths, counting, SETTINGS)
    return counting.texts


def test_adding_an_article_embeds_only_that_article(tmp_path, fake_embedder):
    stories = _stories(tmp_path, 4)
    directory = tmp_path / "index"
    save(build(stories[:3], fake_embedder, SETTINGS), directory)

    counting = CountingEmbedder(fake_embedder)
    known = known_vectors(directory, fake_embedder.model_name, SETTINGS)
    grown = build(stories, counting, SETTINGS, known=known)
    assert counting.texts == _embedded_texts(stories[3:])

    fresh = build(stories, fake_embedder, SETTINGS)
    for name in ("chunk_vectors", "sentence_vectors"):
        ours, theirs = getattr(grown, name), getattr(fresh, name)
        assert np.array_equal(ours.reconstruct_n(0, ours.ntotal), theirs.reconstruct_n(0, theirs.ntotal))


def test_a_changed_article_is_embedded_again_and_only_it(tmp_path, fake_embedder, caplog):
    stories = _stories(tmp_path, 3)
    directory = tmp_path / "index"
    save(build(stories, fake_embedder, SETTINGS), directory)
    stories[1].write_text(stories[1].read_text(encoding="utf-8") + "\nA new paragraph was added.\n", encoding="utf-8")

    counting = CountingEmbedder(fake_embedder)
    with caplog.at_level(logging.WARNING, logger="qa"):
        index = open_index(directory, counting, SETTINGS, sources=stories)
    assert "has changed since the index was built" in caplog.text
    assert counting.texts == _embedded_texts(stories[1:2])
    assert any("A new paragraph was added." in text for text in counting.texts)
    assert index.sentence_vectors.ntotal == sum(len(d.article.sentences) for d in index.documents)


def test_identical_articles_are_embedded_once(tmp_path, fake_embedder):
    [story] = _stories(tmp_path, 1)
    twin = tmp_path / "twin.txt"
    twin.write_text(story.read_text(encoding="utf-8"), encoding="utf-8")
    counting = CountingEmbedder(fake_embedder)
    index = build([story, twin], counting, SETTINGS)
    assert counting.texts == _embedded_texts([story])
    assert index.sentence_vectors.ntotal == 2 * len(index.documents[0].article.sentences)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / SENTENCE_VECTORS).write_bytes(b"garbage"),
        lambda d: (d / MANIFEST).unlink(),
        lambda d: (d / METADATA).write_text("{}"),
    ],
    ids=["damaged-vectors", "no-manifest", "bad-metadata"],
)
def test_a_damaged_index_lends_no_vectors(saved, fake_embedder, damage):
    assert known_vectors(saved, fake_embedder.model_name, SETTINGS)
    damage(saved)
    assert known_vectors(saved, fake_embedder.model_name, SETTINGS) == {}


def test_another_model_or_chunking_lends_no_vectors(saved, fake_embedder):
    assert known_vectors(saved, "another/model", SETTINGS) == {}
    assert known_vectors(saved, fake_embedder.model_name, ChunkSettings(window=2, overlap=0)) == {}


def test_large_collections_get_an_approximate_index_that_saves_and_loads(tmp_path):
    import faiss

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((3000, 32)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert isinstance(vector_index(vectors), faiss.IndexFlatIP)
    approximate = vector_index(vectors, exact_limit=1000)
    assert isinstance(approximate, faiss.IndexHNSWFlat)
    restored = faiss.deserialize_index(faiss.serialize_index(approximate))
    assert restored.hnsw.efSearch == HNSW_SEARCH_BREADTH
    assert np.array_equal(restored.reconstruct_n(0, 3000), vectors)
    queries = vectors[:200] + 0.1 * rng.standard_normal((200, 32)).astype("float32")
    _, exact = vector_index(vectors).search(queries, 10)
    _, found = restored.search(queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, found)])
    assert recall >= 0.99


@pytest.mark.slow
def test_embedding_that_tells_its_progress_gives_the_same_vectors(embedder):
    texts = [f"Sentence {n} of the article, " + "with more words " * (n % 7) for n in range(70)]
    shares: list[float] = []
    told = embedder.encode(texts, progress=shares.append)
    np.testing.assert_allclose(told, embedder.encode(texts), atol=1e-6)
    # A share after each batch of 32, rising to the whole.
    assert shares == sorted(shares) and len(shares) == 3 and shares[-1] == 1.0
