"""Answers as chat messages and the article as a page: safe Markdown and HTML for the web app.

Every piece of text that comes from a user or an article passes through `escape_markdown` or
`html.escape` before it meets markup, so a question such as `<img src=x onerror=alert(1)>` or
`[x](javascript:alert(1))`, or a quote holding `*stars*`, shows as the characters it is. The only tags
in the output are the ones written here.
"""

from __future__ import annotations

import html
import re
from typing import Any, Callable, Iterable, Sequence

from .answer import MAX_QUESTION_CHARS, NOT_FOUND, attribution_line, location
from .article import Article, Paragraph
from .index import Index
from .schema import Answer, Quote

Message = dict[str, Any]

# Characters that start Markdown syntax anywhere in a line: links and images (brackets), emphasis, code,
# tables, strikethrough, math, e-mail links. CommonMark lets a backslash make any of them literal. The
# rest of what Markdown reads ("1." or "-" for a list, "#" for a heading, "=" or "-" under a heading)
# does so only at a line's start, and a web address only as "://" or "www.": elsewhere they stay as they
# are, so that what a reader copies from the chat has no backslashes in it but where they must be.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]|~$^@])|(?<=[Ww][Ww][Ww])(\.)|(:)(?=//)")
_LINE_SYNTAX = re.compile(r"^([ \t]*)(?:([#+\-=])|(\d+)([.)]))", re.MULTILINE)

DECLINED_LABEL = "Not in the article."
CLOSEST_TITLE = "Closest passages: they do not answer the question"
SOURCES_TITLE = "Sources"


# A line's leading blanks would make it a code block, where backslash escapes show as backslashes.
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


def _escape_line_start(line: re.Match[str]) -> str:
    blanks, mark, number, stop = line.groups()
    return f"{blanks}\\{mark}" if mark else f"{blanks}{number}\\{stop}"


def escape_markdown(text: str) -> str:
    """`text` as Markdown that renders as exactly these characters, with no tag, link or format."""
    # A lone carriage return ends a line for Markdown too; as a newline, the indent rule below sees it.
    text = re.sub(r"\r\n?", "\n", text)
    escaped = _MARKDOWN_SYNTAX.sub(lambda mark: "\\" + mark.group(), html.escape(text, quote=False))
    escaped = _LINE_SYNTAX.sub(_escape_line_start, escaped)
    return _INDENT.sub(lambda blanks: "&#32;" * len(blanks.group()), escaped)


def user_message(question: str) -> Message:
    """The visitor's question as the chat shows it: escaped, and cut at the length limit."""
    shown = question if len(question) <= MAX_QUESTION_CHARS else question[:MAX_QUESTION_CHARS] + "…"
    return {"role": "user", "content": escape_markdown(shown)}


def _where(index: Index, quote: Quote, name_doc: bool) -> str:
    """Where `quote` stands, naming its article by its headline when `name_doc` says so."""
    return location(quote, index.article(quote.doc).title if name_doc else None)


def _quote_block(index: Index, quote: Quote, name_doc: bool) -> str:
    # The block quote is the quotation marks: marks of ours around the text would nest with the article's
    # own ("“NATO will take part in “a sincere dialogue” with Russia”").
    lines = [f"> {escape_markdown(quote.text)}", ""]
    speaker = attribution_line(quote)
    if speaker:
        lines.append(f"— {escape_markdown(speaker)}")
    lines.append(f"*{escape_markdown(_where(index, quote, name_doc))}*")
    return "\n".join(lines)


# How an answer's quotes are highlighted; closest passages, which do not answer, are set apart otherwise.
_MARK = ("<mark>", "</mark>")


def _overlaps(span: tuple[int, int], paragraph: Paragraph) -> bool:
    return span[0] < paragraph.end and paragraph.start < span[1]


def _highlighted(
    text: str,
    start: int,
    end: int,
    spans: Iterable[tuple[int, int]],
    escape: Callable[[str], str],
    tag: tuple[str, str] = _MARK,
) -> str:
    """`text[start:end]` escaped by `escape`, with each (start, end) span of `spans` inside it between the
    opening and closing `tag`."""
    pieces: list[str] = []
    position = start
    for span_start, span_end in sorted(spans):
        span_start, span_end = max(span_start, position), min(span_end, end)
        if span_start >= span_end:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"{tag[0]}{escape(text[span_start:span_end])}{tag[1]}")
        position = span_end
    pieces.append(escape(text[position:end]))
    return "".join(pieces)


# The sentences of closest passages are set apart from their paragraph, not highlighted as answers are.
_NEAR = ('<em class="qa-near">', "</em>")


def _passages(index: Index, quotes: Sequence[Quote], name_doc: bool, tag: tuple[str, str] = _MARK) -> str:
    """The paragraphs around `quotes`, each once, with every quote in it between `tag`s, under where it stands."""
    by_paragraph: dict[tuple[str, int], list[Quote]] = {}
    for quote in quotes:
        by_paragraph.setdefault((quote.doc, quote.paragraph), []).append(quote)
    passages = []
    for (doc, number), held in by_paragraph.items():
        article = index.article(doc)
        paragraph = article.paragraph(number)
        spans = [(quote.start, quote.end) for quote in held]
        body = _highlighted(article.text, paragraph.start, paragraph.end, spans, escape_markdown, tag)
        passages.append(f"**{escape_markdown(_where(index, held[0], name_doc))}**\n\n{body}")
    return "\n\n".join(passages)


def _collapsed(title: str, body: str) -> Message:
    # Gradio's chat shows a message with a metadata title as a box that opens on a click; "done" starts it shut.
    return {"role": "assistant", "content": body, "metadata": {"title": title, "status": "done"}}


def answer_markdown(answer: Answer, index: Index, name_doc: bool) -> str:
    """The answer's main message: its quotes (from `index`) as block quotes with who and where, or the
    decline."""
    if not answer.found:
        # "That is all the article quotes of Jane Doe": no question missed, so no "Not in the article".
        more = answer.text[len(NOT_FOUND) :].strip() if answer.text.startswith(NOT_FOUND) and not answer.closest else ""
        return f"⊘ {escape_markdown(more)}" if more else f"⊘ **{DECLINED_LABEL}** {escape_markdown(NOT_FOUND)}"
    quotes = "\n\n".join(_quote_block(index, quote, name_doc) for quote in answer.quotes)
    if answer.speaker:
        return f"**{escape_markdown(answer.speaker)}**:\n\n{quotes}"
    if answer.lead:
        # Its first line says what the quotes are; any further lines (a list of speakers) are plain.
        first, _, rest = answer.lead.partition("\n")
        lead = f"**{escape_markdown(first)}**" + (f"\n{escape_markdown(rest)}" if rest else "")
        return f"{lead}\n\n{quotes}"
    return quotes


def answer_messages(answer: Answer, index: Index, name_doc: bool | None = None) -> list[Message]:
    """The chat messages for `answer`: the answer, then its sources (or closest passages) collapsed.
    Quotes name their article when `name_doc` says so, by default when `index` holds several."""
    name_doc = index.several_articles if name_doc is None else name_doc
    messages: list[Message] = [{"role": "assistant", "content": answer_markdown(answer, index, name_doc)}]
    if answer.quotes:
        messages.append(_collapsed(SOURCES_TITLE, _passages(index, answer.quotes, name_doc)))
    elif answer.closest:
        messages.append(_collapsed(CLOSEST_TITLE, _passages(index, answer.closest, name_doc, _NEAR)))
    return messages


def error_message(reason: str) -> Message:
    return {"role": "assistant", "content": f"**Sorry, I can't answer that:** {escape_markdown(reason)}"}


def _title_lines(article: Article) -> list[str]:
    """The lines between the headline and the first paragraph (a kicker, a subtitle), which no answer
    quotes; none where they only repeat the headline, as when it was made of them."""
    if not article.paragraphs:
        return []
    blocks = re.split(r"\n[ \t]*\n", article.text[: article.paragraphs[0].start].replace("\r\n", "\n").strip())
    lines = [
        line.strip()
        for block in blocks[1 if article.headline else 0 :]
        for line in block.splitlines()
        if any(char.isalnum() for char in line)
    ]
    headline_words = set(re.findall(r"\w+", (article.headline or "").lower()))
    return [] if set(re.findall(r"\w+", " ".join(lines).lower())) <= headline_words else lines


def article_html(article: Article, highlights: Sequence[Quote] = ()) -> str:
    """The article as HTML: headline, section headings and numbered paragraphs, `highlights` marked."""
    spans = [(quote.start, quote.end) for quote in highlights if quote.doc == article.doc]
    # The answer's first quote in this article is the one read first: the panel scrolls to its paragraph.
    top = next(((quote.start, quote.end) for quote in highlights if quote.doc == article.doc), None)
    parts = ['<article class="qa-article">']
    if article.headline:
        parts.append(f"<h2>{html.escape(article.headline)}</h2>")
    parts.extend(f'<p class="qa-standfirst">{html.escape(line)}</p>' for line in _title_lines(article))
    section: str | None = None
    for paragraph in article.paragraphs:
        if paragraph.section and paragraph.section != section:
            parts.append(f"<h3>{html.escape(paragraph.section)}</h3>")
        section = paragraph.section
        body = _highlighted(article.text, paragraph.start, paragraph.end, spans, html.escape)
        quoted = any(_overlaps(span, paragraph) for span in spans)
        marked = (" qa-quoted" if quoted else "") + (" qa-top" if top and _overlaps(top, paragraph) else "")
        parts.append(
            f'<p class="qa-paragraph{marked}" id="qa-p{paragraph.number}">'
            f'<span class="qa-number">{paragraph.number}</span> {body}</p>'
        )
    parts.append("</article>")
    return "\n".join(parts)
