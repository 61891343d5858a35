"""From a file's bytes to an article's text: plain text as it is, HTML and Markdown as their prose.

A news page saved as HTML holds menus, adverts, comments and scripts around the story; trafilatura finds
the story and this module writes it out as plain text: the headline, then each heading and paragraph as
a block of its own. That text is what the article *is* from then on: quotes are cut from it, offsets
point into it, and the app shows it. Markdown is read the same way, its syntax dropped.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import TYPE_CHECKING, Iterable

from .errors import ArticleError

if TYPE_CHECKING:
    from lxml.etree import _Element

HTML_SUFFIXES = frozenset({".html", ".htm"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
SUFFIXES = HTML_SUFFIXES | MARKDOWN_SUFFIXES | TEXT_SUFFIXES


def extractor() -> str:
    """What turns pages into text; an index built with another is stale."""
    from importlib.metadata import version

    return f"trafilatura {version('trafilatura')}, markdown-it-py {version('markdown-it-py')}"


def decode(data: bytes, name: str) -> str:
    """`data` as UTF-8 text, or an `ArticleError` that says why it is not an article."""
    if not data.strip():
        raise ArticleError(f"{name} has no text: the file is empty or blank")
    # Text never holds NUL; images, PDFs and archives nearly always do, and early. UTF-16 text holds NULs
    # too, and is better told it is not UTF-8.
    binary = b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if binary:
        raise ArticleError(f"{name} is a binary file, not text: give a .txt, .md or .html article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArticleError(f"{name} is not UTF-8 text (byte {error.start}): save it as UTF-8 and try again") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text(element: _Element) -> str:
    """The words of `element` on one line; a line break (trafilatura's <lb/>) parts words as a space does."""
    for line_break in element.iter("lb"):
        line_break.text = " "
    return _one_line("".join(element.itertext()))


def _items(listing: _Element) -> Iterable[str]:
    """Each item of a list as a paragraph of its own, an item's own list's items after it."""
    for item in listing.findall("item"):
        nested = item.findall("list")
        for inner in nested:
            item.remove(inner)
        yield _text(item)
        for inner in nested:
            yield from _items(inner)


def _blocks_of_page(body: _Element) -> Iterable[tuple[str, str]]:
    """(kind, text) for each heading and paragraph of trafilatura's story tree, in order."""
    for element in body:
        if element.tag == "list":
            yield from (("p", text) for text in _items(element))
        else:
            kind = element.get("rend", "h2") if element.tag == "head" else "p"
            yield kind, _text(element)


def html_text(page: str, name: str) -> str:
    """The story of the HTML `page` as plain text: headline, then headings and paragraphs."""
    import trafilatura

    story = trafilatura.bare_extraction(page, include_comments=False, include_tables=False, with_metadata=True)
    if story is None or story.body is None:
        raise ArticleError(f"{name} has no article text that could be found among the page's HTML")
    blocks = [(kind, text) for kind, text in _blocks_of_page(story.body) if text]
    if not any(kind == "p" for kind, _ in blocks):
        raise ArticleError(f"{name} has no article text that could be found among the page's HTML")
    # The page's own title stands in for a headline the story's tree lost.
    if blocks[0][0] != "h1" and story.title:
        blocks.insert(0, ("h1", _one_line(story.title)))
    return "\n\n".join(text for _, text in blocks) + "\n"


def markdown_text(source: str, name: str) -> str:
    """The prose of Markdown `source` as plain text: headings and paragraphs, without the syntax, links'
    targets, images, raw HTML or code."""
    from markdown_it import MarkdownIt

    blocks: list[str] = []
    for token in MarkdownIt("commonmark").parse(source):
        if token.type != "inline" or not token.children:
            continue
        words = [
            child.content if child.type in ("text", "code_inline") else " "
            for child in token.children
            if child.type in ("text", "code_inline", "softbreak", "hardbreak")
        ]
        line = _one_line("".join(words))
        if line:
            blocks.append(line)
    if not blocks:
        raise ArticleError(f"{name} has no text outside its Markdown syntax")
    return "\n\n".join(blocks) + "\n"


# A page's source opens with its doctype or its html, head or body tag.
_PAGE_SOURCE = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def article_text(data: bytes, name: str) -> str:
    """The article text of the file `name` with contents `data`, by its suffix: .html/.htm, .md, else text;
    text that is a web page's source (pasted, or saved as .txt) is read as the page."""
    suffix = PurePath(name).suffix.lower()
    text = decode(data, name)
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and _PAGE_SOURCE.match(text)):
        return html_text(text, name)
    if suffix in MARKDOWN_SUFFIXES:
        return markdown_text(text, name)
    return text
