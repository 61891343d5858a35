"""The FAISS index on disk: build, save atomically with a manifest, load and validate.

A saved index is a folder:
- `chunks.faiss`: one unit vector per chunk (retrieval of passages);
- `sentences.faiss`: one unit vector per sentence (choice of the quote inside them);
- `chunks.json`: the articles' structure (paragraphs, sentences, speakers and their kind of speech,
  chunks) as offsets;
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
import re
import struct
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Sequence

from . import __version__
from .article import Article, read_article, read_text, sha256_text
from .chunks import Chunk, ChunkSettings, chunk_article, make_chunk
from .embed import Embedder, Progress, model_id
from .errors import ArticleError, IndexLoadError, QAError
from .extract import extractor
from .quotes import DIRECT, REPORTED, find_speakers, speech_kind

if TYPE_CHECKING:
    import faiss
    import numpy as np

log = logging.getLogger("qa")

FORMAT_VERSION = 1
# Bump when parsing, sentence splitting or speaker finding changes what chunks.json holds.
ANALYSIS_VERSION = 18
MANIFEST = "manifest.json"
METADATA = "chunks.json"
CHUNK_VECTORS = "chunks.faiss"
SENTENCE_VECTORS = "sentences.faiss"


def analysis() -> dict[str, Any]:
    """What turned files into text, sentences and speakers; an index made by anything else is stale."""
    from importlib.metadata import version

    return {"version": ANALYSIS_VERSION, "segmenter": f"pysbd {version('pysbd')}", "extractor": extractor()}


class StaleIndex(Exception):
    """Why a saved index cannot be used as it is; the loader turns it into a rebuild or an error."""


class ModelChanged(StaleIndex):
    """The index was built with another model than the one asked for."""


# Where an index folder keeps the indexes of its articles made with other models than its own.
OTHER_MODELS = "models"


def model_folder(directory: Path | str, model: str) -> Path:
    """The folder inside `directory` for the index of its articles made with `model`: readable, and unique
    by a hash of the model's name, which may be a path."""
    name = model_id(model)
    readable = re.sub(r"[^\w.-]+", "-", name).strip("-.")[-60:] or "model"
    return Path(directory) / OTHER_MODELS / f"{readable}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class Document:
    article: Article
    source: Path | str  # the file, or the name of an article given as text
    speakers: tuple[str | None, ...]
    speech: tuple[str | None, ...]  # per sentence: DIRECT, REPORTED, or None where nobody speaks


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

    def has_article(self, doc: str) -> bool:
        return doc in self._doc_numbers

    def article(self, doc: str) -> Article:
        return self.documents[self._doc_numbers[doc]].article

    def chunk_text(self, chunk: Chunk) -> str:
        return self.article(chunk.doc).text[chunk.start : chunk.end]

    def chunk_sentence_rows(self, chunk: Chunk) -> range:
        """The rows of `sentence_vectors` that hold the sentences of `chunk`."""
        offset = self._first_rows[self._doc_numbers[chunk.doc]]
        return range(offset + chunk.first_sentence, offset + chunk.last_sentence)


def unique_name(name: str, taken: Collection[str], numbered: str = "{name}-{number}") -> str:
    """`name`, or the first of its `numbered` forms from 2 on ("report-2") that is not `taken`."""
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = numbered.format(name=name, number=number), number + 1
    return candidate


def _doc_ids(paths: Sequence[Path]) -> list[str]:
    """A readable, unique name for each article: its file name without extension."""
    ids: list[str] = []
    for path in paths:
        ids.append(unique_name(path.stem, ids))
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


def _document(article: Article, source: Path | str, speakers: Sequence[str | None]) -> Document:
    speech = (speech_kind(article.sentence_text(i), speaker) for i, speaker in enumerate(speakers))
    return Document(article, source, tuple(speakers), tuple(speech))


def _parse(article: Article, source: Path | str, settings: ChunkSettings) -> _Parsed:
    chunks = chunk_article(article, settings)
    return _Parsed(
        _document(article, source, find_speakers(article)),
        chunks,
        [article.text[chunk.start : chunk.end] for chunk in chunks],
        [article.sentence_text(i) for i in range(len(article.sentences))],
    )


# An article's vectors: its chunks' and its sentences', in order.
ArticleVectors = tuple["np.ndarray", "np.ndarray"]


def _embed_articles(
    parsed: list[_Parsed], embedder: Embedder, known: dict[str, ArticleVectors], progress: Progress
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
    """Read, split and embed `paths` into an index held in memory (see `build_articles`)."""
    if not paths:
        raise QAError("no articles to index: give at least one article file")
    sources = [Path(path).resolve() for path in paths]
    if len(set(sources)) != len(sources):
        raise QAError("the same article file is listed twice: " + ", ".join(map(str, paths)))
    articles = [read_article(source, doc) for source, doc in zip(sources, _doc_ids(sources))]
    return build_articles(articles, sources, embedder, settings, progress, known)


def build_articles(
    articles: Sequence[Article],
    sources: Sequence[Path | str],
    embedder: Embedder,
    settings: ChunkSettings,
    progress: Progress = False,
    known: dict[str, ArticleVectors] | None = None,
) -> Index:
    """Split and embed `articles`, read from `sources`, into an index held in memory.

    `known` maps an article's sha256 to vectors computed before with the same model and settings (see
    `known_vectors` and `article_vectors`); those articles are not embedded again.
    """
    import numpy as np

    parsed = [_parse(article, source, settings) for article, source in zip(articles, sources, strict=True)]
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
                "speech": list(document.speech),
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
    docs = [entry["doc"] for entry in manifest["articles"]]
    if len(set(docs)) != len(docs):  # quotes name their article by it
        raise StaleIndex(f"{MANIFEST} gives two articles the same name: {docs}")
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


# How FAISS lays out the two kinds of index `vector_index` makes (faiss/impl/index_write.cpp). Both start
# with a four-byte kind and a header: dimension, vector count, two unused counts, whether trained, metric.
# A flat index then holds its vectors as a count of floats and the floats. An HNSW index holds its graph as
# five arrays, each a count and its items, and five numbers, followed by its vectors as a flat index.
_FLAT_KIND = b"IxFI"
_HNSW_KIND = b"IHNf"
_HEADER = struct.Struct("<iqqq?i")
_COUNT = struct.Struct("<Q")
_INNER_PRODUCT = 0
# Item sizes of the graph's arrays: level probabilities, neighbours per level, each vector's level, each
# vector's first neighbour, neighbours.
_HNSW_ARRAYS = (8, 4, 4, 8, 4)
_HNSW_LEVELS, _HNSW_OFFSETS = 2, 3
_HNSW_NUMBERS = struct.Struct("<5i")
_FLOAT = 4


class _Layout:
    """A serialized FAISS index read field by field, refusing any size that runs past its end."""

    def __init__(self, data: bytes, name: str) -> None:
        self.data, self.name, self.position = data, name, 0

    def take(self, size: int) -> bytes:
        if size > len(self.data) - self.position:
            raise StaleIndex(f"{self.name} is shorter than the sizes written in it (truncated or damaged)")
        self.position += size
        return self.data[self.position - size : self.position]

    def array(self, item_size: int) -> int:
        """Skip a count and its items; return the count."""
        (count,) = _COUNT.unpack(self.take(_COUNT.size))
        self.take(count * item_size)
        return count

    def header(self, dimension: int, rows: int) -> bytes:
        """Read a kind and header that must describe `rows` inner-product vectors of `dimension`."""
        kind = self.take(4)
        if kind not in (_FLAT_KIND, _HNSW_KIND):
            raise StaleIndex(f"{self.name} is not a FAISS index of a kind qa writes")
        found_dimension, count, _, _, _, metric = _HEADER.unpack(self.take(_HEADER.size))
        if found_dimension != dimension:
            raise StaleIndex(f"{self.name} has dimension {found_dimension}, the manifest says {dimension}")
        if count != rows:
            raise StaleIndex(f"{self.name} holds {count} vectors for {rows} entries in {METADATA}")
        if metric != _INNER_PRODUCT:
            raise StaleIndex(f"{self.name} does not compare vectors by inner product")
        return kind


def _check_layout(data: bytes, name: str, dimension: int, rows: int) -> None:
    """Refuse `data` unless it is an index as `vector_index` makes it, of `rows` vectors of `dimension`,
    whose every recorded size fits in it.

    FAISS trusts the sizes in the file: a damaged one makes it allocate what it says, up to terabytes (a
    MemoryError, or minutes of zeroing gigabytes and the process killed for memory), before it finds the
    file too short. The manifest's checksum catches damage, but not a manifest damaged or forged with it.
    A FAISS that one day writes another layout fails this check too, and the index is rebuilt, not lost.
    """
    layout = _Layout(data, name)
    kind = layout.header(dimension, rows)
    if kind == _HNSW_KIND:
        counts = [layout.array(item_size) for item_size in _HNSW_ARRAYS]
        if counts[_HNSW_LEVELS] != rows or counts[_HNSW_OFFSETS] != rows + 1:
            raise StaleIndex(f"{name} has a search graph that does not match its {rows} vectors")
        layout.take(_HNSW_NUMBERS.size)
        kind = layout.header(dimension, rows)
    if kind != _FLAT_KIND or layout.array(_FLOAT) != rows * dimension or layout.position != len(data):
        raise StaleIndex(f"{name} does not hold exactly {rows} vectors of dimension {dimension}")


def deserialize(data: bytes, name: str, dimension: int, rows: int) -> faiss.Index:
    """The FAISS index serialized in `data` (from the file `name`), which must hold `rows` vectors of
    `dimension`; or `StaleIndex` saying why it cannot be used."""
    import faiss
    import numpy as np

    _check_layout(data, name, dimension, rows)
    try:
        return faiss.deserialize_index(np.frombuffer(data, dtype="uint8"))
    except RuntimeError:
        raise StaleIndex(f"{name} is not a FAISS index") from None


def _read_vectors(directory: Path, name: str, manifest: dict[str, Any], rows: int) -> faiss.Index:
    return deserialize(_read_checked(directory, name, manifest), name, manifest["dimension"], rows)


def _check_settings(
    manifest: dict[str, Any], model: str, settings: ChunkSettings, sources: Sequence[Path] | None, directory: Path
) -> None:
    if manifest["format"] != FORMAT_VERSION:
        raise StaleIndex(f"it has format version {manifest['format']}, this qa reads {FORMAT_VERSION}")
    if manifest["model"] != model:
        raise ModelChanged(f"it was built with model {manifest['model']!r}, the model setting is {model!r}")
    if manifest["chunking"] != settings.to_dict():
        raise StaleIndex(f"it was built with chunking {manifest['chunking']}, the setting is {settings.to_dict()}")
    if manifest["analysis"] != analysis():
        raise StaleIndex(f"its sentences and speakers come from {manifest['analysis']}, this qa uses {analysis()}")
    built_from = [_article_path(directory, entry) for entry in manifest["articles"]]
    if sources is not None and built_from != [Path(s).resolve() for s in sources]:
        raise StaleIndex("it was built from other article files than the ones asked for")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _check_types(article: Article) -> None:
    """Every field of the article's structure of the type its dataclass declares. A forged offset that is a
    fraction or text would pass the range checks below or fail them with a TypeError, and otherwise fail
    only when a quote is cut from the text; a headline that is not text, when the page shows it."""
    well_typed = (
        _text_or_none(article.headline)
        and all(isinstance(s.title, str) and _whole(s.start) and _whole(s.end) for s in article.sections)
        and all(
            all(map(_whole, (p.number, p.start, p.end, p.first_sentence, p.last_sentence)))
            and _text_or_none(p.section)
            for p in article.paragraphs
        )
        and all(_whole(s.start) and _whole(s.end) and _whole(s.paragraph) for s in article.sentences)
    )
    if not well_typed:
        raise StaleIndex(f"{METADATA} for article {article.doc} has fields of the wrong type")


def _check_structure(article: Article, chunks: list[Chunk], speakers: list[Any], speech: list[Any]) -> None:
    """Offsets and ranges that search relies on: in bounds, in order, every sentence in a chunk."""
    _check_types(article)
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
    if len(speakers) != len(article.sentences) or not all(s is None or (isinstance(s, str) and s.strip()) for s in speakers):
        raise StaleIndex(f"{where} has speakers that do not match its sentences")
    kinds_fit = all(
        kind in (DIRECT, REPORTED, None) and (kind is None) == (speaker is None) for kind, speaker in zip(speech, speakers)
    )
    if len(speech) != len(speakers) or not kinds_fit:
        raise StaleIndex(f"{where} has kinds of speech that do not match its speakers")


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
            if not source.exists():
                raise ArticleError(
                    f"article file not found: {source}, which the index in {directory} was built from. An index "
                    f"keeps its articles' paths relative to its folder: move it with them, or build it again with "
                    f"`qa index ARTICLE ... --out {directory}`"
                )
            text = read_text(source)
            if sha256_text(text) != entry["sha256"]:
                raise StaleIndex(f"article {source} has changed since the index was built")
            article = Article.from_dict(meta["article"], text)
            # Quotes name their article by `doc`; the manifest's names are the ones known to be unique.
            if article.doc != entry["doc"]:
                raise StaleIndex(f"{METADATA} names article {article.doc!r} where {MANIFEST} names {entry['doc']!r}")
            article_chunks = [make_chunk(article, first, last) for first, last in meta["chunks"]]
            _check_structure(article, article_chunks, meta["speakers"], meta["speech"])
            documents.append(Document(article, source, tuple(meta["speakers"]), tuple(meta["speech"])))
            chunks.extend(article_chunks)
    except ArticleError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, RecursionError) as error:
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
    except (StaleIndex, KeyError, TypeError, ValueError, RecursionError):
        return {}
    shas = [entry["sha256"] for entry in manifest["articles"]]
    return _split_vectors(shas, chunk_vectors, chunk_counts, sentence_vectors, sentence_counts)


def _split_vectors(
    shas: Sequence[str],
    chunk_vectors: faiss.Index,
    chunk_counts: Sequence[int],
    sentence_vectors: faiss.Index,
    sentence_counts: Sequence[int],
) -> dict[str, ArticleVectors]:
    """Each article's rows of the two FAISS indexes, by the article's sha256."""
    vectors: dict[str, ArticleVectors] = {}
    chunk_start = sentence_start = 0
    for sha, chunk_count, sentence_count in zip(shas, chunk_counts, sentence_counts, strict=True):
        vectors[sha] = (
            chunk_vectors.reconstruct_n(chunk_start, chunk_count),
            sentence_vectors.reconstruct_n(sentence_start, sentence_count),
        )
        chunk_start += chunk_count
        sentence_start += sentence_count
    return vectors


def article_vectors(index: Index) -> dict[str, ArticleVectors]:
    """The vectors of every article in `index`, by the article's sha256, to build other indexes from."""
    return _split_vectors(
        [document.article.sha256 for document in index.documents],
        index.chunk_vectors,
        [sum(chunk.doc == document.article.doc for chunk in index.chunks) for document in index.documents],
        index.sentence_vectors,
        [len(document.article.sentences) for document in index.documents],
    )


def open_index(
    directory: Path | str,
    embedder: Embedder,
    settings: ChunkSettings,
    sources: Sequence[Path] | None = None,
) -> Index:
    """Load the index in `directory`; if it is stale or damaged, rebuild it from its articles and save it.

    `sources` are the articles the index must hold; without them, the ones its manifest names. An index
    made with another model is left as it is, and the index of its articles made with this one is kept
    in a folder of its own inside it (`model_folder`).
    """
    directory = Path(directory)
    if directory.is_file():
        raise IndexLoadError(f"cannot use the index in {directory}: it is a file; give the folder `qa index` wrote")
    try:
        return load(directory, embedder.model_name, settings, sources)
    except ModelChanged as reason:
        # Trying another model must not cost the index of the one in use, the shipped index least of all.
        log.info("the index in %s is not for this model (%s)", directory, reason)
        return open_index(model_folder(directory, embedder.model_name), embedder, settings, sources or manifest_sources(directory))
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
