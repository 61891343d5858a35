"""Reading an article: headline, sections, numbered paragraphs and sentences, each with character offsets
into the text exactly as read, so every quote can be cut straight out of that text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ArticleError
from .extract import article_text

# The names of days and months, as patterns: questions, attributions and sentence ends all meet them.
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"

# A heading is short and does not end like a sentence; longer lines are prose even without a full stop.
_HEADING_MAX_WORDS = 14
_SENTENCE_END = ".!?:;,…"
_CLOSERS = "”’\"')]»"
# Quotation marks. A single quote is also an apostrophe ("don't", "the workers' union"): it opens a
# quotation only where a word starts and closes one only where a word ends.
_QUOTE_MARK = re.compile(
    r"(?P<double>[“”\"])|(?P<opens>(?<![\w’'‘])[‘'](?=[^\s’'‘]))|(?P<closes>(?<=[^\s‘'’])[’'](?![\w’'‘]))"
)
# Everything that shows as nothing: Unicode white space and the invisible format characters.
_BLANK = "".join(char for char in map(chr, range(0x3001)) if char.isspace()) + "\ufeff\u200b\u200c\u200d\u2060"
# Lines after the last paragraph that name the source or the rights are not content.
_BOILERPLATE = re.compile(
    r"^(?:source|sources|via|credit|credits|photo|photos|image|copyright|©|\(c\)|all rights reserved|read more)\b",
    re.IGNORECASE,
)
# pysbd's time grows with the square of a text's length; longer paragraphs are cut at likely sentence ends
# first, so that a huge paragraph costs seconds, not minutes.
_SEGMENTER_MAX_CHARS = 5000
_LIKELY_SENTENCE_END = re.compile(r"[.!?][”\"’)]*\s+(?=[A-Z“\"‘(])")


@dataclass(frozen=True)
class Sentence:
    """A sentence, or several that one quotation spans, as a character span."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Paragraph:
    number: int
    start: int
    end: int
    section: str | None
    first_sentence: int
    last_sentence: int  # exclusive


@dataclass(frozen=True)
class Section:
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    doc: str
    text: str
    headline: str | None
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]

    @property
    def title(self) -> str:
        """What a reader calls the article: its headline, else its name."""
        return self.headline or self.doc

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)

    def sentence_text(self, index: int) -> str:
        sentence = self.sentences[index]
        return self.text[sentence.start : sentence.end]

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]

    def to_dict(self) -> dict[str, Any]:
        """The structure without the text, which stays in the article file."""
        return {
            "doc": self.doc,
            "headline": self.headline,
            "sections": [asdict(section) for section in self.sections],
            "paragraphs": [asdict(paragraph) for paragraph in self.paragraphs],
            "sentences": [[s.start, s.end, s.paragraph] for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str) -> Article:
        return cls(
            doc=data["doc"],
            text=text,
            headline=data["headline"],
            sections=tuple(Section(**section) for section in data["sections"]),
            paragraphs=tuple(Paragraph(**paragraph) for paragraph in data["paragraphs"]),
            sentences=tuple(Sentence(*row) for row in data["sentences"]),
        )


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text(path: Path) -> str:
    """The article's text: a text file's as read, UTF-8 with line endings kept so offsets match the file;
    an HTML or Markdown file's story as plain text (see `extract.py`)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"article file not found: {path}") from None
    except IsADirectoryError:
        raise ArticleError(f"article path is a directory, not a file: {path}") from None
    except OSError as error:
        raise ArticleError(f"cannot read article file {path}: {error.strerror}") from None
    return article_text(data, str(path))


def read_article(path: Path, doc: str | None = None) -> Article:
    return parse_article(read_text(path), doc or Path(path).stem, source=str(path))


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    lines = []
    for match in re.finditer(r"[^\n]*\n?", text):
        raw = match.group()
        if not raw:
            continue
        stripped = raw.strip(_BLANK)
        if not stripped:
            lines.append(_Line(match.start(), match.start(), ""))
            continue
        start = match.start() + raw.index(stripped)
        lines.append(_Line(start, start + len(stripped), stripped))
    return lines


def _blocks(text: str) -> list[list[_Line]]:
    """Runs of non-blank lines: a blank line separates paragraphs."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in _lines(text):
        if line.text:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    # Text pasted from a page or an e-mail often has no blank lines, only a line per paragraph: every line
    # a whole sentence or a heading. Hard-wrapped text breaks lines mid-sentence and stays one block.
    lines = blocks[0] if len(blocks) == 1 else []
    ends = [line.text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END for line in lines]
    headings = [
        _is_heading(line.text) and next_line.text[:1].isupper() for line, next_line in zip(lines, lines[1:])
    ]
    if len(lines) > 2 and 2 * sum(ends) >= len(lines) and all(end or heading for end, heading in zip(ends, headings)):
        return [[line] for line in lines]
    return blocks


def _has_words(line: str) -> bool:
    return any(char.isalnum() for char in line)


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > _HEADING_MAX_WORDS or not _has_words(line):
        return False
    return line.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END


def _drop_trailing_boilerplate(blocks: list[list[_Line]]) -> None:
    """Source lines, credits and lone dots after the last paragraph are not content."""
    while blocks:
        block = blocks[-1]
        while block and (not _has_words(block[-1].text) or _BOILERPLATE.match(block[-1].text)):
            block.pop()
        if block:
            return
        blocks.pop()


def parse_article(text: str, doc: str, source: str | None = None) -> Article:
    """Split `text` into headline, sections, paragraphs and sentences; offsets index `text` itself."""
    # A block of only punctuation ("***") separates; it says nothing.
    blocks = [block for block in _blocks(text) if any(_has_words(line.text) for line in block)]
    _drop_trailing_boilerplate(blocks)
    if not blocks:
        raise ArticleError(f"article has no text: {source or doc}")

    # A short block without a full stop is a heading only when prose follows it; otherwise (a last line
    # without a full stop, an article of short lines) it is a paragraph like any other.
    heading_like = [all(_is_heading(line.text) for line in block) for block in blocks]
    last_prose = max((i for i, heading in enumerate(heading_like) if not heading), default=-1)

    headline = None
    if len(blocks) > 1 and heading_like[0]:
        headline = " ".join(line.text for line in blocks[0])

    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for number, block in enumerate(blocks):
        start, end = block[0].start, block[-1].end
        if headline is not None and number == 0:
            continue
        if heading_like[number] and number < last_prose:
            # Headings above the first paragraph belong to the title (kicker, subtitle), not to a section.
            if paragraphs:
                sections.append(Section(" ".join(line.text for line in block), start, end))
            continue
        paragraph_number = len(paragraphs) + 1
        first = len(sentences)
        sentences.extend(Sentence(s, e, paragraph_number) for s, e in split_sentences(text, start, end))
        section = sections[-1].title if sections else None
        paragraphs.append(Paragraph(paragraph_number, start, end, section, first, len(sentences)))
    return Article(doc, text, headline, tuple(sections), tuple(paragraphs), tuple(sentences))


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def open_quotations(text: str) -> int:
    """How many quotations `text` leaves open. A closing mark with nothing open (a plural possessive,
    "the workers' union") is ignored; a straight double quote opens or closes by parity."""
    double = single = 0
    for match in _QUOTE_MARK.finditer(text):
        mark = match.group()
        if mark == '"':
            double = 1 - double
        elif mark == "“":
            double += 1
        elif mark == "”":
            double = max(0, double - 1)
        elif match.group("opens"):
            single += 1
        else:
            single = max(0, single - 1)
    return double + single


def blank_quotations(text: str) -> str:
    """`text` with the words between each pair of quotation marks it opens and closes blanked out ("_"),
    the marks and the length kept: a verb inside a quotation ("“… the board concluded …”") is the
    speaker's word, not an attribution. A straight double quote opens where a word follows it and closes
    where one ends before it; a quotation left open, or closed without being opened, is not blanked."""
    blanked = list(text)
    double: int | None = None  # where the words of the open double quotation start
    single: int | None = None
    for match in _QUOTE_MARK.finditer(text):
        mark, start, end = match.group(), match.start(), match.end()
        closing = mark == "”" or (mark == '"' and double is not None)
        if match.group("double") and closing:
            if double is not None:
                blanked[double:start] = "_" * (start - double)
            double = None
        elif mark == "“" or (mark == '"' and text[end : end + 1].strip()):
            double = end
        elif match.group("opens") and not text[end : end + 1].isdigit():  # not the ’ of "the ’90s"
            single = end
        elif match.group("closes") and single is not None:
            blanked[single:start] = "_" * (start - single)
            single = None
    return "".join(blanked)


def has_quotation(text: str) -> bool:
    """Whether `text` holds words in quotation marks: double ones, or single ones that open and close."""
    opened = False
    for match in _QUOTE_MARK.finditer(text):
        if match.group("double") or (opened and match.group("closes")):
            return True
        opened = opened or bool(match.group("opens"))
    return False


def opens_with_quotation(text: str) -> bool:
    """Whether `text` starts with an opening quotation mark."""
    match = _QUOTE_MARK.match(text)
    return bool(match) and match.group() not in "”" and not match.group("closes")


def _pieces(paragraph: str) -> list[tuple[int, int]]:
    """`paragraph` cut at likely sentence ends into pieces short enough for the segmenter."""
    pieces, start = [], 0
    for boundary in _LIKELY_SENTENCE_END.finditer(paragraph):
        if boundary.end() - start > _SEGMENTER_MAX_CHARS:
            pieces.append((start, boundary.end()))
            start = boundary.end()
    pieces.append((start, len(paragraph)))
    return pieces


def _segment(paragraph: str, start: int, end: int) -> list[tuple[int, int]]:
    """The segmenter's sentences of `paragraph[start:end]`, located in `paragraph`."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for segment in _segmenter().segment(paragraph[start:end]):
        piece = segment.strip(_BLANK)
        if not piece:
            continue
        found = paragraph.find(piece, cursor, end)
        if found < 0:
            break  # the segmenter changed the text: keep the rest whole rather than guess offsets
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    rest = paragraph[cursor:end].strip(_BLANK)
    if rest:
        found = paragraph.index(rest, cursor, end)
        spans.append((found, found + len(rest)))
    return spans


_TIME_OF_DAY_END = re.compile(r"\b[ap]\.\s?m\.$", re.IGNORECASE)
_DAY_START = re.compile(
    rf"(?:{WEEKDAYS}|{MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|ET|EST|EDT|"
    r"PT|PST|PDT|CT|CST|CDT|MT|GMT|BST|UTC|"
    # "6 a.m. Pacific time", but not "6 a.m. Eastern Europe woke …".
    r"(?:Pacific|Eastern|Central|Mountain|Atlantic)\s+(?:[Tt]ime|[Ss]tandard|[Dd]aylight))\b"
)


# A capital letter's stop ends a sentence where no name can go on after it, which the segmenter reads as
# an initial's: before a pronoun ("… at his home in Carrow Heights, N.J. He was 86."), or, after a word in
# lower case, before a quotation mark ("… Maranek wrote on X. “Selvik knows …”"). After a first name or
# another initial it is a name's or an abbreviation's: "Robert E. “Bob” Smith", "the U.S. “special
# relationship”".
_CAPITAL_STOP_END = re.compile(
    r"\b[A-Z]\.(?P<gap>\s+)(?=(?:He|She|It|They|We|His|Her|Its|Their|The|This|There)\s)"
    r"|(?<![\w.])[a-z]+\s[A-Z]\.(?P<quoted_gap>\s+)(?=[\"“‘])"
)


def _cut_after_capital_stops(paragraph: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for match in _CAPITAL_STOP_END.finditer(paragraph, start, end):
        gap = "gap" if match.group("gap") else "quoted_gap"
        spans.append((start, match.start(gap)))
        start = match.end(gap)
    return [*spans, (start, end)]


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of `text[start:end]`; a quotation that runs over several sentences stays one span."""
    paragraph = text[start:end]
    spans = [
        (cut_start, cut_end)
        for s, e in _pieces(paragraph)
        for span in _segment(paragraph, s, e)
        for cut_start, cut_end in _cut_after_capital_stops(paragraph, *span)
    ]

    merged: list[tuple[int, int]] = []
    for span_start, span_end in spans:
        last = merged[-1] if merged else None
        if last and (
            open_quotations(paragraph[last[0] : last[1]]) > 0
            or not _has_words(paragraph[span_start:span_end])
            # A piece that starts in lower case or with a comma goes on from a stop that ended no
            # sentence: "412 Maple St., near the corner".
            or re.match(r"[,;:)\]a-z]", paragraph[span_start:span_end])
            # "about 3 p.m. Thursday at a gas station": a time's stop before its day ends no sentence.
            or (_TIME_OF_DAY_END.search(paragraph[last[0] : last[1]]) and _DAY_START.match(paragraph[span_start:span_end]))
        ):
            merged[-1] = (last[0], span_end)
        else:
            merged.append((span_start, span_end))
    return [(start + s, start + e) for s, e in merged]
