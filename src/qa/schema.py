"""The results `qa` hands out: frozen, JSON-safe through `to_dict()`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Quote:
    """Verbatim words of an article: `article_text[start:end] == text`.

    `speaker` is who said or reported the words, as the article names them ("Jane Doe", "a European
    diplomat"), `speaker_role` the office the article gives them ("Federal Foreign Minister"), and
    `speech` how the sentence gives their words: "direct" (in quotation marks) or "reported".
    """

    text: str
    start: int
    end: int
    doc: str
    paragraph: int
    section: str | None
    score: float
    speaker: str | None
    speaker_role: str | None = None
    speech: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """An answer to one question.

    `quotes` hold the answer, best first, and are empty when `found` is False; `closest` then holds the
    nearest passages, which do not answer the question and are offered only as such. `speaker` answers a
    "Who said …?" question: who said the top quote, as "Jane Doe, Mayor"; None for other questions.
    `lead` is what the answer says before its quotes when they do not answer alone: what they are ("What
    the article is about, as it opens:") or what they bear out (the list of whom the article quotes); else None.
    """

    question: str
    found: bool
    text: str
    quotes: tuple[Quote, ...] = ()
    closest: tuple[Quote, ...] = ()
    speaker: str | None = None
    lead: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "found": self.found,
            "text": self.text,
            "quotes": [quote.to_dict() for quote in self.quotes],
            "closest": [quote.to_dict() for quote in self.closest],
            "speaker": self.speaker,
            "lead": self.lead,
        }
