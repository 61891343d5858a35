"""Chunks: overlapping windows of whole sentences inside one paragraph.

Sentences already keep a multi-sentence quotation whole, so a window never cuts a quotation in two.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .article import Article
from .errors import SettingsError


@dataclass(frozen=True)
class ChunkSettings:
    window: int = 3
    overlap: int = 1

    def __post_init__(self) -> None:
        for name, value in (("window", self.window), ("overlap", self.overlap)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsError(f"chunk {name} must be a whole number of sentences, got {value!r}")
        if self.window < 1:
            raise SettingsError(f"chunk window must be at least 1 sentence, got {self.window}")
        if not 0 <= self.overlap < self.window:
            raise SettingsError(
                f"chunk overlap must be from 0 to window - 1 ({self.window - 1}), got {self.overlap}"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    doc: str
    paragraph: int
    first_sentence: int
    last_sentence: int  # exclusive
    start: int
    end: int


def make_chunk(article: Article, first: int, last: int) -> Chunk:
    """The chunk of sentences `first` to `last` (exclusive) of `article`."""
    return Chunk(
        doc=article.doc,
        paragraph=article.sentences[first].paragraph,
        first_sentence=first,
        last_sentence=last,
        start=article.sentences[first].start,
        end=article.sentences[last - 1].end,
    )


def chunk_article(article: Article, settings: ChunkSettings) -> list[Chunk]:
    chunks = []
    step = settings.window - settings.overlap
    for paragraph in article.paragraphs:
        first = paragraph.first_sentence
        while True:
            last = min(first + settings.window, paragraph.last_sentence)
            chunks.append(make_chunk(article, first, last))
            if last >= paragraph.last_sentence:
                break
            first += step
    return chunks
