"""The FAISS index on disk: build, save atomically with a manifest, load and validate.

A saved index is a folder:
- `chunks.faiss`: one unit vector per chunk (retrieval of passages);
- `sentences.faiss`: one unit vector per sentence (choice of the quote inside them);
- `chunks.json`: the articles' structure (paragraphs, sentences, speakers, chunks) as offsets;
- `manifest.json`: how the index was built and a sha256 of every other file and article.

The manifest is written last, so a crash mid-save leaves files whose checksums do not match it, and the
next load rebuilds instead of trusting them. The article text itself stays in the article files.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from . import __version__
from .article import Article, read_article, read_text, sha256_text
from .chunks import Chunk, ChunkSettings, chunk_article, make_chunk
from .embed import Embedder, model_id
from .errors import ArticleError, IndexLoadError, QAError
from .quotes import find_speakers

if TYPE_CHECKING:
    import faiss
    import numpy as np

log = logging.getLogger("qa")

FORMAT_VERSION = 1
# Bump when parsing, sentence splitting or speaker finding changes what chunks.json holds.
ANALYSIS_VERSION = 1
MANIFEST = "manifest.json"
METADATA = "chunks.json"
CHUNK_VECTORS = "chunks.faiss"
SENTENCE_VECTORS = "sentences.faiss"


def analysis() -> dict[str, Any]:
    """What turned the text into sentences and speakers; an index made by anything else is stale."""
    from importlib.metadata import version

    return {"version": ANALYSIS_VERSION, "segmenter": f"pysbd {version('pysbd')}"}


class StaleIndex(Exception):
    """Why a saved index cannot be used as it is; the loader turns it into a rebuild or an error."""


@dataclass(frozen=True)
class Document:
    article: Article
    source: Path
    speakers: tuple[str | None, ...]


@dataclass
class Index:
    """Articles, their chunks and sentences, and one vector for each, ready to search."""

    manifest: dict[str, Any]
    documents: list[Document]
    chunks: list[Chunk]
    chunk_vectors: faiss.Index
    sentence_vectors: faiss.Index
    sentence_rows: list[tuple[int, int]] = field(init=False)  # (document, sentence) per vector
    _doc_numbers: dict[str, int] = field(init=False)
    _first_rows: list[int] = field(init=False)  # the first sentence row of each document

    def __post_init__(self) -> None:
        self.sentence_rows = [
            (number, sentence)
            for number, document in enumerate(self.documents)
            for sentence in range(len(document.article.sentences))
        ]
        self._doc_numbers = {document.article.doc: n for n, document in enumerate(self.documents)}
        counts = [len(document.article.sentences) for document in self.documents]
        self._first_rows = [0, *itertools.accumulate(counts)][:-1]

    @property
    def several_articles(self) -> bool:
        """Whether quotes must name their article to be found."""
        return len(self.documents) > 1

    def article(self, doc: str) -> Article:
        return self.documents[self._doc_numbers[doc]].article

    def chunk_text(self, chunk: Chunk) -> str:
        return self.article(chunk.doc).text[chunk.start : chunk.end]

    def chunk_sentence_rows(self, chunk: Chunk) -> range:
        """The rows of `sentence_vectors` that hold the sentences of `chunk`."""
        offset = self._first_rows[self._doc_numbers[chunk.doc]]
        return range(offset + chunk.first_sentence, offset + chunk.last_sentence)


def _doc_ids(paths: Sequence[Path]) -> list[str]:
    """A readable, unique name for each article: its file name without extension."""
    ids: list[str] = []
    for path in paths:
        stem, n = path.stem, 2
        candidate = stem
        while candidate in ids:
            candidate, n = f"{stem}-{n}", n + 1
        ids.append(candidate)
    return ids


# Exact search while it is cheap, HNSW beyond. On this project's 2-core machine (`make bench`), exact
# search of 384-dimensional vectors costs about 0.055 ms per thousand on one thread: under 3 ms up to
# 50,000 vectors, 5.6 ms at 103,170, and it grows with every article. HNSW at the settings below answers
# in 0.1 ms at 103,170 vectors and finds 0.995 of exact search's top 10.
EXACT_SEARCH_LIMIT = 50_000
HNSW_NEIGHBOURS = 32
HNSW_BUILD_BREADTH = 80
HNSW_SEARCH_BREADTH = 256


def vector_index(vectors: np.ndarray, exact_limit: int = EXACT_SEARCH_LIMIT) -> faiss.Index:
    """An inner-product FAISS index of `vectors`: exact up to `exact_limit` vectors, HNSW beyond."""
    import faiss

    if len(vectors) <= exact_limit:
        index = faiss.IndexFlatIP(vectors.shape[1])
    else:
        index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_BUILD_BREADTH
        index.hnsw.efSearch = HNSW_SEARCH_BREADTH
    index.add(vectors)
    return index


@dataclass(frozen=True)
class _Parsed:
    document: Document
    chunks: list[Chunk]
    chunk_texts: list[str]
    sentence_texts: list[str]


def _parse(source: Path, doc: str, settings: ChunkSettings) -> _Parsed:
    article = read_article(source, doc)
    chunks = chunk_article(article, settings)
    return _Parsed(
        Document(article, source, tuple(find_speakers(article))),
        chunks,
        [article.text[chunk.start : chunk.end] for chunk in chunks],
        [article.sentence_text(i) for i in range(len(article.sentences))],
    )


# An article's vectors: its chunks' and its sentences', in order.
ArticleVectors = tuple["np.ndarray", "np.ndarray"]


def _embed_articles(
    parsed: list[_Parsed], embedder: Embedder, known: dict[str, ArticleVectors], progress: bool
) -> list[ArticleVectors]:
    """The vectors of every article, embedding only those whose text (by sha256) `known` lacks and
    each distinct text once."""
    import numpy as np

    vectors = dict(known)
    new = {}
    for item in parsed:
        sha = item.document.article.sha256
        reusable = sha in vectors and (len(vectors[sha][0]), len(vectors[sha][1])) == (
            len(item.chunks),
            len(item.sentence_texts),
        )
        if not reusable:
            new.setdefault(sha, item)
    if new:
        texts = [text for item in new.values() for text in item.chunk_texts + item.sentence_texts]
        encoded = embedder.encode(texts, progress=progress)
        splits = np.cumsum([n for item in new.values() for n in (len(item.chunk_texts), len(item.sentence_texts))])
        pieces = np.split(encoded, splits[:-1])
        for number, sha in enumerate(new):
            vectors[sha] = (pieces[2 * number], pieces[2 * number + 1])
    return [vectors[item.document.article.sha256] for item in parsed]


def build(
    paths: Sequence[Path | str],
    embedder: Embedder,
    settings: ChunkSettings,
    progress: bool = False,
    known: dict[str, ArticleVectors] | None = None,
) -> Index:
    """Read, split and embed `paths` into an index held in memory.

    `known` maps an article's sha256 to vectors computed before with the same model and settings (see
    `known_vectors`); those articles are not embedded again.
    """
    import numpy as np

    if not paths:
        raise QAError("no articles to index: give at least one article file")
    sources = [Path(path).resolve() for path in paths]
    if len(set(sources)) != len(sources):
        raise QAError("the same article file is listed twice: " + ", ".join(map(str, paths)))
    parsed = [_parse(source, doc, settings) for source, doc in zip(sources, _doc_ids(sources))]
    article_vectors = _embed_articles(parsed, embedder, known or {}, progress)
    chunk_vectors = np.concatenate([chunk for chunk, _ in article_vectors])
    sentence_vectors = np.concatenate([sentence for _, sentence in article_vectors])
    documents = [item.document for item in parsed]
    chunks = [chunk for item in parsed for chunk in item.chunks]
    manifest = {
        "format": FORMAT_VERSION,
        "qa_version": __version__,
        "model": embedder.model_name,
        "dimension": int(sentence_vectors.shape[1]),
        "normalized": True,
        "metric": "inner_product",
        "chunking": settings.to_dict(),
        "analysis": analysis(),
        "articles": [
            {"doc": d.article.doc, "path": str(d.source), "sha256": d.article.sha256} for d in documents
        ],
        "counts": {
            "articles": len(documents),
            "paragraphs": sum(len(d.article.paragraphs) for d in documents),
            "sentences": len(sentence_vectors),
            "chunks": len(chunks),
        },
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return Index(
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        chunk_vectors=vector_index(chunk_vectors),
        sentence_vectors=vector_index(sentence_vectors),
    )


def _metadata(index: Index) -> dict[str, Any]:
    return {
        "documents": [
            {
                "article": document.article.to_dict(),
                "speakers": list(document.speakers),
                "chunks": [
                    [c.first_sentence, c.last_sentence]
                    for c in index.chunks
                    if c.doc == document.article.doc
                ],
            }
            for document in index.documents
        ]
    }


def _write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would make a shared index unreadable to others
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save(index: Index, directory: Path | str) -> None:
    """Write `index` into `directory`, every file atomically and the manifest last."""
    import faiss

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        CHUNK_VECTORS: faiss.serialize_index(index.chunk_vectors).tobytes(),
        SENTENCE_VECTORS: faiss.serialize_index(index.sentence_vectors).tobytes(),
        METADATA: json.dumps(_metadata(index), ensure_ascii=False).encode("utf-8"),
    }
    for name, data in files.items():
        _write_atomic(directory / name, data)
    manifest = dict(index.manifest)
    manifest["articles"] = [
        {**entry, "path": os.path.relpath(entry["path"], directory.resolve())}
        for entry in manifest["articles"]
    ]
    manifest["files"] = {name: _sha256(data) for name, data in files.items()}
    _write_atomic(directory / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    index.manifest = manifest


_MANIFEST_TYPES = {
    "format": int,
    "model": str,
    "dimension": int,
    "chunking": dict,
    "analysis": dict,
    "articles": list,
    "counts": dict,
    "files": dict,
}


def _read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, checked for the fields and types loading relies on."""
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise StaleIndex(f"there is no {MANIFEST}") from None
    except (OSError, ValueError, RecursionError) as error:
        raise StaleIndex(f"{MANIFEST} is unreadable ({type(error).__name__})") from None
    if not isinstance(manifest, dict):
        raise StaleIndex(f"{MANIFEST} is not a JSON object")
    missing = sorted(_MANIFEST_TYPES.keys() - manifest.keys())
    if missing:
        raise StaleIndex(f"{MANIFEST} lacks the fields {missing}")
    wrong = sorted(key for key, kind in _MANIFEST_TYPES.items() if not isinstance(manifest[key], kind))
    articles_ok = all(
        isinstance(entry, dict)
        and all(isinstance(entry.get(key), str) for key in ("doc", "path", "sha256"))
        and "\0" not in entry["path"]
        for entry in manifest["articles"]
    ) if "articles" not in wrong else True
    if wrong or not articles_ok or not manifest["articles"]:
        raise StaleIndex(f"{MANIFEST} has malformed fields {wrong or ['articles']}")
    return manifest


def _article_path(directory: Path, entry: dict[str, Any]) -> Path:
    """Article paths in a manifest are relative to the index folder, so a checkout can move."""
    return (directory / entry["path"]).resolve()


def manifest_sources(directory: Path) -> list[Path] | None:
    """The article files a saved index was built from, or None if its manifest is unreadable."""
    try:
        return [_article_path(directory, entry) for entry in _read_manifest(directory)["articles"]]
    except StaleIndex:
        return None


def _read_checked(directory: Path, name: str, manifest: dict[str, Any]) -> bytes:
    try:
        data = (directory / name).read_bytes()
    except FileNotFoundError:
        raise StaleIndex(f"{name} is missing") from None
    except OSError as error:
        raise StaleIndex(f"{name} cannot be read ({error.strerror})") from None
    if not data:
        raise StaleIndex(f"{name} is empty")
    if _sha256(data) != manifest["files"].get(name):
        raise StaleIndex(f"{name} does not match its manifest (truncated, damaged or changed)")
    return data


def _read_vectors(directory: Path, name: str, manifest: dict[str, Any], rows: int) -> faiss.Index:
    import faiss
    import numpy as np

    data = _read_checked(directory, name, manifest)
    dimension = manifest["dimension"]
    try:
        index = faiss.deserialize_index(np.frombuffer(data, dtype="uint8"))
    except RuntimeError:
        raise StaleIndex(f"{name} is not a FAISS index") from None
    if index.d != dimension:
        raise StaleIndex(f"{name} has dimension {index.d}, the manifest says {dimension}")
    if index.ntotal != rows:
        raise StaleIndex(f"{name} holds {index.ntotal} vectors for {rows} entries in {METADATA}")
    return index


def _check_settings(
    manifest: dict[str, Any], model: str, settings: ChunkSettings, sources: Sequence[Path] | None, directory: Path
) -> None:
    if manifest["format"] != FORMAT_VERSION:
        raise StaleIndex(f"it has format version {manifest['format']}, this qa reads {FORMAT_VERSION}")
    if manifest["model"] != model:
        raise StaleIndex(f"it was built with model {manifest['model']!r}, the model setting is {model!r}")
    if manifest["chunking"] != settings.to_dict():
        raise StaleIndex(f"it was built with chunking {manifest['chunking']}, the setting is {settings.to_dict()}")
    if manifest["analysis"] != analysis():
        raise StaleIndex(f"its sentences and speakers come from {manifest['analysis']}, this qa uses {analysis()}")
    built_from = [_article_path(directory, entry) for entry in manifest["articles"]]
    if sources is not None and built_from != [Path(s).resolve() for s in sources]:
        raise StaleIndex("it was built from other article files than the ones asked for")


def _check_structure(article: Article, chunks: list[Chunk], speakers: list[Any]) -> None:
    """Offsets and ranges that search relies on: in bounds, in order, every sentence in a chunk."""
    where = f"{METADATA} for article {article.doc}"
    previous_end = 0
    for sentence in article.sentences:
        if not previous_end <= sentence.start < sentence.end <= len(article.text):
            raise StaleIndex(f"{where} has sentence offsets outside the article or out of order")
        if not 1 <= sentence.paragraph <= len(article.paragraphs):
            raise StaleIndex(f"{where} has a sentence in paragraph {sentence.paragraph}, which does not exist")
        previous_end = sentence.end
    covered: set[int] = set()
    for chunk in chunks:
        paragraph = article.paragraph(chunk.paragraph)
        if not paragraph.first_sentence <= chunk.first_sentence < chunk.last_sentence <= paragraph.last_sentence:
            raise StaleIndex(f"{where} has a chunk outside its paragraph")
        covered.update(range(chunk.first_sentence, chunk.last_sentence))
    if covered != set(range(len(article.sentences))):
        raise StaleIndex(f"{where} has sentences that no chunk holds")
    if len(speakers) != len(article.sentences) or not all(s is None or isinstance(s, str) for s in speakers):
        raise StaleIndex(f"{where} has speakers that do not match its sentences")


def load(
    directory: Path | str,
    model: str,
    settings: ChunkSettings,
    sources: Sequence[Path] | None = None,
) -> Index:
    """Load a saved index, or raise `StaleIndex` saying why it does not match its articles and settings."""
    directory = Path(directory)
    manifest = _read_manifest(directory)
    try:
        _check_settings(manifest, model_id(model), settings, sources, directory)
        documents_meta = json.loads(_read_checked(directory, METADATA, manifest))["documents"]
        documents: list[Document] = []
        chunks: list[Chunk] = []
        for entry, meta in zip(manifest["articles"], documents_meta, strict=True):
            source = _article_path(directory, entry)
            text = read_text(source)
            if sha256_text(text) != entry["sha256"]:
                raise StaleIndex(f"article {source} has changed since the index was built")
            article = Article.from_dict(meta["article"], text)
            article_chunks = [make_chunk(article, first, last) for first, last in meta["chunks"]]
            _check_structure(article, article_chunks, meta["speakers"])
            documents.append(Document(article, source, tuple(meta["speakers"])))
            chunks.extend(article_chunks)
    except ArticleError:
        raise
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise StaleIndex(f"{METADATA} or {MANIFEST} is malformed ({type(error).__name__}: {error})") from None
    sentence_count = sum(len(d.article.sentences) for d in documents)
    return Index(
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        chunk_vectors=_read_vectors(directory, CHUNK_VECTORS, manifest, len(chunks)),
        sentence_vectors=_read_vectors(directory, SENTENCE_VECTORS, manifest, sentence_count),
    )


def known_vectors(directory: Path | str, model: str, settings: ChunkSettings) -> dict[str, ArticleVectors]:
    """The vectors of every article in the index saved in `directory`, by the article's sha256, if that
    index was built with `model` and `settings` and its files are intact; otherwise none. The articles
    themselves may have changed or gone: a changed article has another sha256."""
    directory = Path(directory)
    try:
        manifest = _read_manifest(directory)
        _check_settings(manifest, model_id(model), settings, None, directory)
        documents = json.loads(_read_checked(directory, METADATA, manifest))["documents"]
        chunk_counts = [len(meta["chunks"]) for meta in documents]
        sentence_counts = [len(meta["article"]["sentences"]) for meta in documents]
        chunk_vectors = _read_vectors(directory, CHUNK_VECTORS, manifest, sum(chunk_counts))
        sentence_vectors = _read_vectors(directory, SENTENCE_VECTORS, manifest, sum(sentence_counts))
        if len(documents) != len(manifest["articles"]):
            return {}
    except (StaleIndex, KeyError, TypeError, ValueError):
        return {}
    known: dict[str, ArticleVectors] = {}
    chunk_start = sentence_start = 0
    for entry, chunk_count, sentence_count in zip(manifest["articles"], chunk_counts, sentence_counts):
        known[entry["sha256"]] = (
            chunk_vectors.reconstruct_n(chunk_start, chunk_count),
            sentence_vectors.reconstruct_n(sentence_start, sentence_count),
        )
        chunk_start += chunk_count
        sentence_start += sentence_count
    return known


def open_index(
    directory: Path | str,
    embedder: Embedder,
    settings: ChunkSettings,
    sources: Sequence[Path] | None = None,
) -> Index:
    """Load the index in `directory`; if it is stale or damaged, rebuild it from its articles and save it.

    `sources` are the articles the index must hold; without them, the ones its manifest names.
    """
    directory = Path(directory)
    try:
        return load(directory, embedder.model_name, settings, sources)
    except StaleIndex as reason:
        rebuild_from = sources or manifest_sources(directory)
        if not rebuild_from:
            raise IndexLoadError(
                f"cannot use the index in {directory}: {reason}; "
                f"build it with `qa index ARTICLE ... --out {directory}`"
            ) from None
        log.warning("rebuilding the index in %s: %s", directory, reason)
    index = build(rebuild_from, embedder, settings, known=known_vectors(directory, embedder.model_name, settings))
    try:
        save(index, directory)
    except OSError as error:
        log.warning("could not save the rebuilt index in %s (%s); using it from memory", directory, error)
    return index
