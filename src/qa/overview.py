"""Questions about an article as a whole: what it is about, and whom it quotes. Neither is like any one
sentence, so retrieval would decline them; news answers both by its form. The opening paragraph (the
lede) states what the story is about, and the speakers found at index time are whom it quotes.
"""

from __future__ import annotations

import re

from .answer import MAX_QUOTES, NOT_FOUND, attribution, quote_at, render
from .article import Article
from .index import Index
from .quotes import DIRECT
from .schema import Answer, Quote

# "the article", "this story", "the text": how a reader names what they are reading. Not "the report" nor
# "that article", which may be one the article tells of.
_THE_ARTICLE = r"(?:the|this)\s+(?:news\s+)?(?:article|story|piece|text)"
_POLITE = r"(?:(?:can|could|would)\s+you\s+|please\s+|just\s+)?"
_END = r"(?:,?\s+(?:for\s+me|please|briefly|in\s+short|in\s+(?:a|one)\s+(?:sentence|line|paragraph)))*\s*(?:[?.!]+\s*)?$"

_ASKS_GIST = re.compile(
    r"^\s*(?:(?:so|and|ok(?:ay)?|hi|hello)\b[,!]?\s*)*(?:"
    rf"whats?(?:'s|’s|\s+is|\s+was)?\s+(?:{_THE_ARTICLE}|this)\s+(?:all\s+|mainly\s+|really\s+)?about"
    rf"|what\s+(?:does|did)\s+{_THE_ARTICLE}\s+(?:say|report|cover|tell\s+(?:us|me))"
    rf"|what\s+(?:is|are)\s+(?:the\s+)?(?:main|key)\s+(?:points?|message|takeaways?|ideas?|news)(?:\s+(?:of|in)\s+{_THE_ARTICLE})?"
    rf"|what(?:'s|’s|\s+is)\s+the\s+gist(?:\s+of\s+{_THE_ARTICLE})?"
    # Not "summarize it": "it" may be the last answer.
    rf"|{_POLITE}(?:summari[sz]e|sum\s+up|recap)(?:\s+{_THE_ARTICLE})?|{_POLITE}sum\s+(?:{_THE_ARTICLE}|this)\s+up"
    rf"|{_POLITE}(?:give(?:\s+me)?\s+)?(?:a\s+|the\s+)?(?:short\s+|brief\s+|quick\s+)?(?:summary|tl;?\s*dr|overview|gist)(?:\s+of\s+{_THE_ARTICLE})?"
    rf"){_END}",
    re.IGNORECASE,
)

# Not "speaking" or "talking": "Who is speaking?" may ask about the last quote.
_QUOTED = r"(?:quoted|cited|interviewed)"
_ASKS_WHO_IS_QUOTED = re.compile(
    r"^\s*(?:(?:so|and|ok(?:ay)?)\b[,!]?\s*)*(?:"
    rf"who(?:'s|’s|\s+is|\s+are|\s+was|\s+were|\s+gets|\s+got)\s+(?:being\s+)?{_QUOTED}(?:\s+in\s+{_THE_ARTICLE})?"
    rf"|who(?:m)?\s+(?:does|did)\s+{_THE_ARTICLE}\s+(?:quote|cite|interview|let\s+speak)"
    rf"|who\s+(?:speaks|talks|spoke|said\s+anything|has\s+a\s+say)\s+in\s+{_THE_ARTICLE}"
    # Not "Which experts are quoted?": that asks for some of them.
    rf"|(?:which|what)\s+(?:people|persons|sources|speakers|voices)\s+(?:are|were|does\s+{_THE_ARTICLE})\s+(?:{_QUOTED}|quote|cite)(?:\s+in\s+{_THE_ARTICLE})?"
    rf"|(?:who|what)\s+are\s+(?:the\s+)?(?:sources|speakers|voices)(?:\s+(?:in|of)\s+{_THE_ARTICLE})?"
    rf"|{_POLITE}(?:list|name|show(?:\s+me)?)\s+(?:all\s+|every(?:one|body)\s+|the\s+)?(?:people\s+|persons\s+|sources\s+|speakers\s+)?"
    rf"(?:who\s+(?:is|are|was|were|gets?)\s+)?(?:{_QUOTED}|sources|speakers)(?:\s+in\s+{_THE_ARTICLE})?"
    rf"){_END}",
    re.IGNORECASE,
)

# The lede: news puts the main point in its opening paragraph, and one or two sentences of it say it.
LEDE_SENTENCES = 2


def asks_gist(question: str) -> bool:
    """Whether `question` asks what the article is about ("What is this story about?", "Summarize it")."""
    return bool(_ASKS_GIST.match(question))


def asks_who_is_quoted(question: str) -> bool:
    """Whether `question` asks whom the article quotes ("Who is quoted?", "list the sources")."""
    return bool(_ASKS_WHO_IS_QUOTED.match(question))


def answer_overview(question: str, index: Index) -> Answer | None:
    """`question` answered from the form of the articles, if it asks about an article as a whole; else None."""
    if asks_gist(question):
        return answer_gist(question, index)
    if asks_who_is_quoted(question):
        return answer_who_is_quoted(question, index)
    return None


def answer_gist(question: str, index: Index) -> Answer:
    """What the article is about, in its own words: its opening paragraph's first sentences. With several
    articles, the first sentence of each, as many as an answer holds."""
    several = index.several_articles
    per_article = 1 if several else LEDE_SENTENCES
    quotes = tuple(
        quote_at(index, number, sentence, 1.0)
        for number, document in enumerate(index.documents[:MAX_QUOTES])
        for sentence in _lede(document.article)[:per_article]
    )
    if several:
        shown = "each" if len(quotes) == len(index.documents) else f"{len(quotes)} of the {len(index.documents)}"
        lead = f"What the articles are about, as {shown} {'opens' if shown == 'each' else 'open'}:"
    else:
        lead = "What the article is about, as it opens:"
    return Answer(question, True, render(quotes, (), several, lead=lead), quotes, lead=lead)


def _lede(article: Article) -> range:
    """The sentences of the article's opening paragraph."""
    opening = article.paragraphs[0]
    return range(opening.first_sentence, opening.last_sentence)


def answer_who_is_quoted(question: str, index: Index) -> Answer:
    """Whom the articles quote or report, in the order they first speak, with how often, and the first
    sentence of each as evidence."""
    lines: list[str] = []
    quotes: list[Quote] = []
    for number, document in enumerate(index.documents):
        # Per speaker, in the order they first speak: their first sentence, then how many sentences give
        # their words in quotation marks and how many in the writer's.
        speakers: dict[str, list[int]] = {}
        for sentence, speaker in enumerate(document.speakers):
            if speaker is not None:
                counts = speakers.setdefault(speaker, [sentence, 0, 0])
                counts[1 if document.speech[sentence] == DIRECT else 2] += 1
        if speakers and index.several_articles:
            lines.append(f"In “{document.article.title}”:")
        for first, direct, reported in speakers.values():
            quote = quote_at(index, number, first, 1.0)
            quotes.append(quote)
            lines.append(f"- {attribution(quote)}: {_how_often(direct, reported)}")
    if not quotes:
        return Answer(question, False, f"{NOT_FOUND} It quotes no one: all of it is in the writer's own words.")
    people = "speaker" if len(quotes) == 1 else "speakers"
    listing = "\n".join(lines)
    lead = f"{len(quotes)} {people}, in the order they first speak:\n{listing}\n\nThe first words of each:"
    return Answer(question, True, render(quotes, (), index.several_articles, lead=lead), tuple(quotes), lead=lead)


def _how_often(direct: int, reported: int) -> str:
    """"3 quoted, 1 reported": how many sentences give a speaker's words in quotation marks, and how many
    tell them in the writer's words."""
    return ", ".join(f"{count} {kind}" for count, kind in ((direct, "quoted"), (reported, "reported")) if count)
