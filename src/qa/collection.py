"""A reader's own articles: the shipped ones plus those they paste or upload, kept in memory, with limits.

The web app gives each visitor a `Collection` of their own, held by `Sessions` under the visitor's
session id and dropped when the session ends, so no visitor ever searches another's articles. Added
articles are embedded once; asking across all of them reuses those vectors.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import TYPE_CHECKING, Sequence

from .article import Article, parse_article
from .embed import Progress
from .errors import ArticleError, QAError
from .extract import HTML_SUFFIXES, SUFFIXES, article_text
from .index import ArticleVectors, article_vectors, build_articles, unique_name

if TYPE_CHECKING:
    from .api import QA

# The chooser's value for all articles at once; `_unique_doc` keeps added articles from taking the name.
ALL_ARTICLES = "*all*"
PASTED_NAME = "pasted text"
_DOC_NAME_MAX_CHARS = 80
_BYTES_PER_CHARACTER = 4  # the most UTF-8 takes


class LimitError(ArticleError):
    """An article or a session over one of the `Limits`."""


@dataclass(frozen=True)
class Limits:
    """What one visitor may add. A typical news article is 3,000 to 20,000 characters; embedding takes
    about a second per 10,000 characters on two cores."""

    # A news page saved with its scripts and styles inline runs to a MB or two; trafilatura reads 2 MB of
    # such a page in about a second here, and one visitor's add waits for another's.
    file_bytes: int = 2_000_000
    article_chars: int = 100_000
    session_chars: int = 300_000
    articles: int = 5


def _doc_name(article: Article, fallback: str) -> str:
    name = " ".join((article.headline or fallback).split())
    if len(name) > _DOC_NAME_MAX_CHARS:
        name = name[: _DOC_NAME_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return name


class Collection:
    """The articles one visitor can ask about, alone or all at once: those of `base` and the added ones."""

    def __init__(self, base: QA, limits: Limits | None = None) -> None:
        self.base = base
        self.limits = limits or Limits()
        self._added: list[tuple[Article, QA]] = []
        self._vectors: dict[str, ArticleVectors] = {}
        self._all: QA | None = None
        self._lock = threading.Lock()
        self._adding = threading.Lock()

    @property
    def articles(self) -> list[Article]:
        return [document.article for document in self.base.index.documents] + [a for a, _ in self._added]

    @property
    def added(self) -> list[Article]:
        return [article for article, _ in self._added]

    def article(self, doc: str) -> Article:
        for article in self.articles:
            if article.doc == doc:
                return article
        raise QAError(f"no article named {doc!r} in this session")

    def add(self, data: bytes | str, name: str = PASTED_NAME, progress: Progress = False) -> Article:
        """Read `data` as the file `name` (.txt, .md, .html; pasted text is plain text), index it on its
        own and return the article. Raises `ArticleError` (a `LimitError` for the limits) and changes
        nothing when the article cannot be added. Adds to one collection run one at a time, so that the
        limits and names hold whatever the threads."""
        with self._adding:
            return self._add(data, name, progress)

    def _add(self, data: bytes | str, name: str, progress: Progress) -> Article:
        limits = self.limits
        suffix = PurePath(name).suffix.lower()
        if name != PASTED_NAME and suffix not in SUFFIXES:
            raise ArticleError(f"{name}: {suffix} files are not articles here; give a .txt, .md or .html file")
        raw = data.encode("utf-8") if isinstance(data, str) else data
        # Pasted text is not a file: its limit is in characters, as a visitor counts, just below.
        if name != PASTED_NAME and len(raw) > limits.file_bytes:
            raise LimitError(f"{name} is {len(raw):,} bytes; the limit is {limits.file_bytes:,}")
        # Text and Markdown are hardly shorter than their file: one far over the limit is refused before
        # it is parsed, which for megabytes of Markdown takes a minute. A page's markup may be most of it.
        if suffix not in HTML_SUFFIXES and len(raw) > _BYTES_PER_CHARACTER * limits.article_chars:
            raise LimitError(f"{name} has over {limits.article_chars:,} characters of text; the limit is {limits.article_chars:,}")
        if len(self._added) >= limits.articles:
            raise LimitError(f"this session already has {limits.articles} added articles, the most it may hold")
        text = article_text(raw, name)
        if len(text) > limits.article_chars:
            raise LimitError(f"{name} has {len(text):,} characters of text; the limit is {limits.article_chars:,}")
        held = self.characters
        if held + len(text) > limits.session_chars:
            raise LimitError(
                f"{name} would bring this session to {held + len(text):,} characters of articles; "
                f"the limit is {limits.session_chars:,}"
            )
        article = parse_article(text, "", source=name)
        if any(existing.sha256 == article.sha256 for existing in self.articles):
            raise ArticleError(f"{name} holds the same text as an article already here")
        article = replace(article, doc=self._unique_doc(_doc_name(article, PurePath(name).stem or name)))
        index = build_articles([article], [name], self.base.embedder, self.base.chunking, progress)
        from .api import QA

        with self._lock:
            self._added.append((article, QA.from_index(index, self.base.embedder)))
            self._vectors.update(article_vectors(index))
            self._all = None
        return article

    def _unique_doc(self, name: str) -> str:
        return unique_name(name, {article.doc for article in self.articles} | {ALL_ARTICLES}, "{name} ({number})")

    def engine(self, doc: str) -> QA:
        """The answerer for one article by its doc name, or for all of them (`ALL_ARTICLES`)."""
        if doc == ALL_ARTICLES:
            return self._engine_for_all()
        for article, engine in self._added:
            if article.doc == doc:
                return engine
        if self.base.index.has_article(doc):
            return self.base
        raise QAError(f"no article named {doc!r} in this session")

    def _engine_for_all(self) -> QA:
        with self._lock:
            if self._all is None and not self._added:
                return self.base
            if self._all is None:
                from .api import QA

                documents = self.base.index.documents
                vectors = {**article_vectors(self.base.index), **self._vectors}
                index = build_articles(
                    [*(d.article for d in documents), *self.added],
                    [*(d.source for d in documents), *(a.doc for a in self.added)],
                    self.base.embedder,
                    self.base.chunking,
                    known=vectors,
                )
                self._all = QA.from_index(index, self.base.embedder)
            return self._all

    @property
    def characters(self) -> int:
        """Characters of added articles held."""
        return sum(len(article.text) for article in self.added)


class Sessions:
    """Each visitor's `Collection` by session id, made with the first added article and dropped by `end`.

    At most `max_sessions` visitors hold added articles at once; beyond that the one idle longest past
    `idle_seconds` makes room, and if none has, the new visitor is told to try later. Each holds at most
    its `Limits` of text, with its vectors and search structures, and, once it asks all its articles at
    once, a second copy of those and of the base articles'. Articles are added one at a time, whatever
    the session: embedding takes both cores anyway.
    """

    def __init__(
        self, base: QA, limits: Limits | None = None, max_sessions: int = 32, idle_seconds: float = 3600
    ) -> None:
        self.base = base
        self.limits = limits or Limits()
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self._collections: dict[str, tuple[Collection, float]] = {}
        self._lock = threading.Lock()
        self._adding = threading.Lock()

    def __len__(self) -> int:
        return len(self._collections)

    def get(self, session: str) -> Collection | None:
        """The session's collection, or None while it has added nothing."""
        with self._lock:
            held = self._collections.get(session)
            if held is None:
                return None
            self._collections[session] = (held[0], time.monotonic())
            return held[0]

    def _make_room(self, evict: bool) -> None:
        """Raise `LimitError` if a new session has no room, even counting the one idle longest as gone;
        with `evict`, drop that one to make the room."""
        if len(self._collections) < self.max_sessions:
            return
        session, (_, last_used) = min(self._collections.items(), key=lambda item: item[1][1])
        if time.monotonic() - last_used < self.idle_seconds:
            raise LimitError(
                f"the server holds the articles of {self.max_sessions} visitors, its most; try again later"
            )
        if evict:
            del self._collections[session]

    def add(
        self, session: str, data: bytes | str, name: str = PASTED_NAME, progress: Progress = False
    ) -> tuple[Collection, Article]:
        """Add an article to the session's collection, made for it if it has none (see `Collection.add`);
        the collection and the article. A new session takes its place only once its first article is
        in, so a refused file neither holds one nor pushes another visitor out."""
        with self._adding:
            with self._lock:
                held = self._collections.get(session)
                if held is None:
                    self._make_room(evict=False)  # before the seconds of embedding, not only after
            collection = held[0] if held else Collection(self.base, self.limits)
            article = collection.add(data, name, progress)
            with self._lock:
                if session not in self._collections:
                    self._make_room(evict=True)
                self._collections[session] = (collection, time.monotonic())
            return collection, article

    def end(self, session: str) -> bool:
        """Drop the session's articles; whether it had any."""
        with self._lock:
            return self._collections.pop(session, None) is not None

    def engine(self, session: str, doc: str) -> QA:
        """The answerer for the article `doc` the session has chosen (or `ALL_ARTICLES`). A chosen added
        article the session no longer holds (dropped when idle, or by a restart) is a `QAError`, never a
        quiet answer from another article."""
        collection = self.get(session)
        if collection is not None:
            return collection.engine(doc)
        if doc == ALL_ARTICLES or self.base.index.has_article(doc):
            return self.base
        raise QAError(f"the article {doc!r} is no longer held for this page; add it again")


def choices(articles: Sequence[Article]) -> list[tuple[str, str]]:
    """(label, doc) for a chooser of articles, and "all articles" when there are several. Articles of the
    same title (a story pasted, then its saved page) are told apart by number: "Title (2)"."""
    options = []
    for position, article in enumerate(articles):
        same = sum(other.title == article.title for other in articles[:position])
        options.append((f"{article.title} ({same + 1})" if same else article.title, article.doc))
    if len(articles) > 1:
        options.append((f"All {len(articles)} articles", ALL_ARTICLES))
    return options
