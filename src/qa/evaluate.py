"""Labelled question sets: reading them and scoring answers against them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import QAError
from .schema import Answer


@dataclass(frozen=True)
class Labelled:
    """A question and what a right answer quotes: any of `expect`, or nothing if unanswerable."""

    question: str
    expect: tuple[str, ...] | None

    @property
    def answerable(self) -> bool:
        return self.expect is not None

    def quote_hits(self, text: str) -> bool:
        folded = " ".join(text.lower().split())
        return any(" ".join(e.lower().split()) in folded for e in self.expect or ())

    def is_right(self, answer: Answer) -> bool:
        if not self.answerable:
            return not answer.found
        return answer.found and self.quote_hits(answer.quotes[0].text)


def read_labelled(path: str | Path) -> list[Labelled]:
    """Read a JSONL file of `{"question": ..., "expect": [substrings] or null}` lines."""
    items = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            expect = row["expect"]
            items.append(Labelled(row["question"], None if expect is None else tuple(expect)))
        except (ValueError, KeyError, TypeError) as error:
            raise QAError(f"{path}:{number}: not a labelled question ({error})") from None
    return items
