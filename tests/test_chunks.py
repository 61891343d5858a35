from __future__ import annotations

import pytest

from qa.article import parse_article, read_article
from qa.chunks import ChunkSettings, chunk_article

from conftest import ARTICLE


def test_chunks_are_overlapping_windows_inside_each_paragraph():
    article = read_article(ARTICLE)
    settings = ChunkSettings(window=3, overlap=1)
    chunks = chunk_article(article, settings)
    for chunk in chunks:
        paragraph = article.paragraph(chunk.paragraph)
        assert paragraph.first_sentence <= chunk.first_sentence < chunk.last_sentence <= paragraph.last_sentence
        assert chunk.last_sentence - chunk.first_sentence <= settings.window
        assert (chunk.start, chunk.end) == (
            article.sentences[chunk.first_sentence].start,
            article.sentences[chunk.last_sentence - 1].end,
        )
        assert chunk.doc == article.doc
    covered = {i for chunk in chunks for i in range(chunk.first_sentence, chunk.last_sentence)}
    assert covered == set(range(len(article.sentences)))
    # Paragraph 9 has five sentences: windows 0-3 and 2-5 share one sentence.
    ninth = [(c.first_sentence, c.last_sentence) for c in chunks if c.paragraph == 9]
    first = article.paragraph(9).first_sentence
    assert ninth == [(first, first + 3), (first + 2, first + 5)]


def test_a_chunk_never_cuts_a_quotation():
    text = "Headline Here\n\nShe said: “One. Two. Three. Four.” Then a pause. After that, more. The end."
    article = parse_article(text, "doc")
    for chunk in chunk_article(article, ChunkSettings(window=1, overlap=0)):
        piece = text[chunk.start : chunk.end]
        assert piece.count("“") == piece.count("”")


@pytest.mark.parametrize(
    ("window", "overlap", "message"),
    [(0, 0, "window must be at least 1 sentence, got 0"), (3, 3, "overlap must be from 0 to window - 1 .2., got 3"),
     (2, -1, "got -1")],
)
def test_bad_chunk_settings_are_refused(window, overlap, message):
    with pytest.raises(ValueError, match=message):
        ChunkSettings(window=window, overlap=overlap)
