"""Answering: turn scored sentences into verbatim quotes, or decline, and render the answer."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, Sequence

from .errors import QueryError
from .index import Index
from .question import asks_who_said
from .quotes import REPORTED, in_plural, split_speaker
from .retrieve import Candidate, Retriever, tokens
from .schema import Answer, Quote

if TYPE_CHECKING:
    import numpy as np

MAX_QUESTION_CHARS = 1000
MAX_K = 50
MAX_QUOTES = 3
# A further quote joins the answer only when it scores nearly as well as the best one.
RELATED_MARGIN = 0.04
CLOSEST_SHOWN = 2
# A declined question is shown its closest passages only when they share something with it: off-topic
# questions ("How tall is the Eiffel Tower?") score 0.05 to 0.2 on the calibration set, questions near
# the article's subject 0.3 and more.
CLOSEST_FLOOR = 0.25

# The cut-off below which the best sentence is not taken as an answer. Chosen with
# `python benchmarks/calibrate.py` on tests/data/calibration.jsonl (124 questions, 54 of them
# unanswerable, written for this purpose and none in the test set tests/data/questions.jsonl) and the
# fifty-one articles of tests/data/news (1,902 questions, 324 unanswerable): the cut-off with the
# lowest balanced error (answerable and unanswerable questions weighed equally), averaged over its
# neighbours ±0.03, or the lowest within 0.001 of it. The script prints the sweep. Besides the cut-off, a
# question is declined when its best sentence lacks the kind of answer it asks for (see question.py) or
# it names something the article never mentions (below); "What did X say?" is answered under it (below).
MIN_SCORE = 0.47

# A question naming something the article never mentions is declined, unless its best sentence matches
# so well that the name is likely just another word for something the article does name ("Germany's
# foreign minister" for its "Federal Foreign Minister"): on the calibration set, unanswerable questions
# with such a name score at most 0.56.
UNKNOWN_NAME_OVERRIDE = 0.60

# "What did X say?" asks for nothing but X's words: any of them answers it, however little it is like the
# question, once retrieval has found them to be X's by name (an office alone, "the foreign minister", may be
# another country's).
_ONLY_WHO = re.compile(
    r"^\s*(?:and\s+|so\s+)?what\s+(?:else\s+)?(?:did|does|has|have|had)\s+[^?]+?\s+(?:say|said|tell|told|add|added)"
    r"(?:\s+(?:else|next|then|too|also))?\s*\??\s*$",
    re.IGNORECASE,
)

# "What does the article say about Georgia?" asks for nothing but a sentence that names Georgia.
_ABOUT_ARTICLE = re.compile(
    r"^\s*(?:and\s+|so\s+)?what\s+(?:does|did|do)\s+(?:the\s+)?(?:article|story|report|piece|text)\s+"
    r"(?:say|said|tell\s+us|report|mention)\s+(?:about|on|of)\s+(?P<topic>[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)

NOT_FOUND = "The article doesn't say."
# "Who said that?" of a sentence in which nobody speaks.
OWN_WORDS = "Nobody: these are the article's own words, not a quotation of anyone."
# A quote that opens or closes with a quotation mark of the article's own reads as a quotation already;
# put between ours it would open or close with two ("““We are ready,” she said.”").
_OPENING_MARKS = ("“", '"', "‘", "'", "«", "„")
_CLOSING_MARKS = ("”", '"', "’", "'", "»", "“")
# The fewest characters of a sentence looked for inside an earlier answer given in a caller's own words.
_MIN_SENTENCE_FOUND = 20
_MAX_ANSWER_SEARCHED = 5000
# Words a caller's answer quotes: between quotation marks, and long enough to be looked for.
_QUOTED_WORDS = re.compile(rf"[“\"]([^”\"]{{{_MIN_SENTENCE_FOUND},}})[”\"]")


# Control characters, lone surrogates and symbols such as emoji stand between words.
_NOT_ASKED = frozenset({"Cc", "Cs", "So"})
# Invisible characters within a word: soft hyphens, joiners, and the selectors that ask for an emoji's
# colour form (marks, like accents, but of no letter).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def clean_question(question: Any) -> str:
    """The question as it will be searched, or `QueryError` if there is nothing to search."""
    if not isinstance(question, str):
        raise QueryError(f"question must be a string, got {type(question).__name__}")
    # Lone surrogates cannot be encoded, control characters mean nothing and emoji ("What did X say? 🙂")
    # are no words of the article: all become spaces. NFKC folds full-width and other compatibility forms
    # into the letters the article is written in.
    question = _INVISIBLE.sub("", question)
    question = "".join(" " if unicodedata.category(char) in _NOT_ASKED else char for char in question)
    question = unicodedata.normalize("NFKC", question)
    question = re.sub(r"\s+", " ", question).strip()
    # "?" or "..." asks nothing: without a letter or a digit there is nothing to look for.
    if not any(char.isalnum() for char in question):
        raise QueryError("question is empty: ask something about the article")
    if len(question) > MAX_QUESTION_CHARS:
        raise QueryError(
            f"question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}"
        )
    return question


def check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QueryError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return k


def check_history(history: Any) -> list[dict[str, Any]]:
    """Previous chat turns as `{"role": ..., "content": ...}` dicts, as Gradio's chat passes them."""
    if history is None:
        return []
    if not isinstance(history, (list, tuple)):
        raise QueryError(f"history must be a list of {{'role', 'content'}} dicts, got {type(history).__name__}")
    for number, turn in enumerate(history):
        if not isinstance(turn, dict) or "role" not in turn or "content" not in turn:
            raise QueryError(f"history turn {number} must be a dict with 'role' and 'content', got {turn!r:.80}")
        if turn["role"] not in ("user", "assistant", "system"):
            raise QueryError(f"history turn {number} has role {turn['role']!r}; expected 'user', 'assistant' or 'system'")
    # Content in parts, as chat clients send it, is read as its text; other content (a file, None) holds
    # no words to follow up on, and is left as it is.
    return [{**turn, "content": content_text(turn["content"]) or turn["content"]} for turn in history]


def content_text(content: Any) -> str | None:
    """A chat message's content as text: a string, or a list of parts as chat clients (and Gradio's chat)
    send it, `[{"type": "text", "text": "…"}]`, its text parts joined; None for anything else."""
    if isinstance(content, str):
        return content
    if isinstance(content, (list, tuple)):
        texts = [part.get("text") for part in content if isinstance(part, dict) and part.get("type", "text") == "text"]
        if texts and all(isinstance(text, str) for text in texts):
            return "\n".join(texts)
    return None


def to_quote(index: Index, candidate: Candidate) -> Quote:
    return quote_at(index, *index.sentence_rows[candidate.row], candidate.score)


def quote_at(index: Index, document_number: int, sentence_number: int, score: float) -> Quote:
    """Sentence `sentence_number` of document `document_number` as a quote."""
    document = index.documents[document_number]
    sentence = document.article.sentences[sentence_number]
    speaker = document.speakers[sentence_number]
    name, role = split_speaker(speaker) if speaker else (None, None)
    return Quote(
        text=document.article.text[sentence.start : sentence.end],
        start=sentence.start,
        end=sentence.end,
        doc=document.article.doc,
        paragraph=sentence.paragraph,
        section=document.article.paragraph(sentence.paragraph).section,
        score=round(score, 4),
        speaker=name,
        speaker_role=role,
        speech=document.speech[sentence_number],
    )


def attribution(quote: Quote) -> str | None:
    """Who said the quote, as "Jane Doe, Federal Foreign Minister", or None."""
    if not quote.speaker:
        return None
    return f"{quote.speaker}, {quote.speaker_role}" if quote.speaker_role else quote.speaker


def attribution_line(quote: Quote) -> str | None:
    """The attribution under a quote: who said it, and whether the words are theirs or the writer's
    account of them ("Jane Doe, Mayor (reported speech)")."""
    speaker = attribution(quote)
    if speaker and quote.speech == REPORTED:
        return f"{speaker} (reported speech)"
    return speaker


def location(quote: Quote, article: str | None = None) -> str:
    """Where the quote stands: "paragraph 7 · Section heading", then `article`, what to call its article
    where there are several."""
    parts = [f"paragraph {quote.paragraph}"]
    if quote.section:
        parts.append(quote.section)
    if article:
        parts.append(article)
    return " · ".join(parts)


def quoted(text: str) -> str:
    """`text` shown as a quotation: between quotation marks, unless it opens or closes with its own."""
    return text if text.startswith(_OPENING_MARKS) or text.endswith(_CLOSING_MARKS) else f"“{text}”"


def unquoted(shown: str) -> str:
    """The text that `quoted` showed as `shown`; where that was between the article's own marks, the part
    inside them, which still lies in the article's sentence."""
    return shown[1:-1] if len(shown) > 1 and shown[0] == "“" and shown[-1] == "”" else shown


def _render_quote(quote: Quote, name_doc: bool) -> str:
    lines = [quoted(quote.text)]
    speaker = attribution_line(quote)
    if speaker:
        lines.append(f"— {speaker}")
    lines.append(location(quote, quote.doc if name_doc else None))
    return "\n".join(lines)


def who_said(question: str, quotes: Sequence[Quote]) -> str | None:
    """The answer to a "Who said …?" question: the top quote's speaker, or None for other questions."""
    return attribution(quotes[0]) if quotes and asks_who_said(question) else None


def render(
    quotes: Sequence[Quote], closest: Sequence[Quote], name_doc: bool, speaker: str | None = None, lead: str | None = None
) -> str:
    """The answer as plain text: the quotes (led by `speaker`, the answer to a who-said question, or by
    `lead`, what they are), or the decline and the closest passages."""
    if quotes:
        rendered = "\n\n".join(_render_quote(quote, name_doc) for quote in quotes)
        if speaker:
            return f"{speaker}:\n\n{rendered}"
        return f"{lead}\n\n{rendered}" if lead else rendered
    if not closest:
        return NOT_FOUND
    passages = "\n\n".join(_render_quote(quote, name_doc) for quote in closest)
    return f"{NOT_FOUND} The closest passages, which do not answer the question:\n\n{passages}"


def answered_whatever_the_score(question: str, best: Candidate, retriever: Retriever) -> bool:
    """Whether `question` is answered by `best` even under MIN_SCORE: it asks for nothing but the words of
    someone it names by name, and `best` holds them; or for nothing but what the article says about
    something, and `best` names it."""
    if _ONLY_WHO.match(question):
        return retriever.names_speaker_by_name(question, best.row)
    about = _ABOUT_ARTICLE.match(question)
    topic = set(tokens(about.group("topic"))) if about else set()
    return bool(topic) and topic <= set(tokens(retriever.texts[best.row]))


def declined_whatever_the_score(
    question: str, best: Candidate, retriever: Retriever, topic: np.ndarray | None = None
) -> bool:
    """Whether `question` is declined even if `best` clears MIN_SCORE: the question asks what someone said
    whom the article never quotes, or about a `topic` (the vector of `spoken_topic(question)`) that the
    article speaks of clearly better elsewhere than in anything that person says, or it names something
    the article never mentions."""
    if retriever.silent_person(question):
        return True
    if topic is not None and retriever.topic_elsewhere(question, best, topic):
        return True
    return best.score < UNKNOWN_NAME_OVERRIDE and bool(retriever.unknown_terms(question))


def was_given(sentence: str, given: str) -> bool:
    """Whether the article's `sentence` is among the answers `given` (`followup.given_before`) whole: from
    a line's start, a quotation mark or the end of a sentence before it, to a line's end, a quotation mark
    or a space. A short sentence ("No.") inside a longer one was not given."""
    folded = " ".join(sentence.split())
    return bool(re.search(rf"(?:^|[“\"‘']|(?<=[.!?…])\s){re.escape(folded)}(?=$|[”\"’']|\s)", given, re.MULTILINE))


def answer_next(question: str, previous: str, index: Index, given: str = "") -> Answer | None:
    """What follows the sentence `previous` (an earlier answer's quote, or a text that holds it) in its
    article: the next sentence its speaker says, or, where nobody speaks in it, the next sentence. With
    the answers `given` so far ("What else did he say?"), the next one not among them, and once the
    article ends, the first from its start. None when no article holds `previous`; a declined answer
    when the article says nothing more."""
    found = sentence_in(previous, index)
    if found is None:
        return None
    number, sentence = found
    document = index.documents[number]
    speaker = document.speakers[sentence]
    count = len(document.article.sentences)
    following = [*range(sentence + 1, count), *(range(sentence) if given else ())]
    after = next(
        (
            s
            for s in following
            if (speaker is None or document.speakers[s] == speaker)
            and not (given and was_given(document.article.sentence_text(s), given))
        ),
        None,
    )
    if after is None:
        return Answer(question, False, f"{NOT_FOUND} {_nothing_more(speaker, given)}")
    return answer_at(question, index, number, after)


def _nothing_more(speaker: str | None, given: str) -> str:
    """Why the article has nothing to follow an answer with: a reader told only that the article doesn't
    say may take it that the question missed, not that everything was given."""
    if speaker is None:
        return "Nothing more: every sentence has been given." if given else "Nothing follows: that is where the article ends."
    name = split_speaker(speaker)[0]
    if given:
        return f"That is all the article quotes of {name}."
    verb = "say" if in_plural(speaker) else "says"
    return f"{name[:1].upper()}{name[1:]} {verb} nothing more after that in the article."


def answer_who_said(question: str, previous: str, index: Index) -> Answer | None:
    """Who said the sentence `previous` (an earlier answer's quote) that "Who said that?" asks about: its
    speaker, with the sentence as evidence; or, for the writer's own words, that nobody is quoted in it
    (OWN_WORDS, and the sentence).
    None when no article holds `previous`."""
    found = sentence_in(previous, index)
    if found is None:
        return None
    quote = quote_at(index, *found, 1.0)
    speaker = attribution(quote)
    if speaker is None:
        text = render((quote,), (), index.several_articles, lead=OWN_WORDS)
        return Answer(question, True, text, (quote,), lead=OWN_WORDS)
    return Answer(question, True, render((quote,), (), index.several_articles, speaker), (quote,), (), speaker)


def answer_at(question: str, index: Index, document_number: int, sentence_number: int) -> Answer:
    """`question` answered by one sentence found by its place, not by likeness to the question: as sure as
    a quote gets."""
    quote = quote_at(index, document_number, sentence_number, 1.0)
    return Answer(question, True, render((quote,), (), index.several_articles), (quote,))


def speaker_in(text: str, index: Index) -> str | None:
    """Who speaks in the article's sentence that `text` (an earlier answer) is or holds first."""
    found = sentence_in(text, index)
    return index.documents[found[0]].speakers[found[1]] if found else None


def sentence_in(text: str, index: Index) -> tuple[int, int] | None:
    """The (document, sentence) that `text` is; else the one it holds first; else the one that holds it
    (a caller's answer may quote only part of a sentence). None if there is none. Texts and sentences
    shorter than a few words are passed over: they could turn up anywhere."""
    # An answer's quote opens it; a caller's history may be long, and every sentence is looked for in it.
    text = text.strip()[:_MAX_ANSWER_SEARCHED]
    earliest: tuple[int, int, int] | None = None
    holder: tuple[int, int] | None = None
    for number, document in enumerate(index.documents):
        article = document.article
        for sentence in range(len(article.sentences)):
            words = article.sentence_text(sentence)
            if words == text:
                return number, sentence
            at = text.find(words) if len(words) >= _MIN_SENTENCE_FOUND else -1
            if at >= 0 and (earliest is None or at < earliest[0]):
                earliest = (at, number, sentence)
            if holder is None and len(text) >= _MIN_SENTENCE_FOUND and text in words:
                holder = (number, sentence)
    if earliest:
        return earliest[1:]
    if holder is None:
        # "He said: “The risk of conflict is real.”": the quoted words, not the whole, lie in a sentence.
        for quoted_words in _QUOTED_WORDS.findall(text):
            # Its own end: the article may go on with a comma where the caller ended with a full stop.
            words = quoted_words.strip().rstrip(".,;:!? ")
            holder = sentence_in(words, index) if len(words) >= _MIN_SENTENCE_FOUND and words != text else None
            if holder:
                break
    return holder


def viable(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates that hold the kind of answer asked for, best first: a sentence without it, or with
    another speaker's words than those asked for, cannot answer, however like the question it is."""
    return [candidate for candidate in candidates if candidate.misfit < 1.0]


def answer(
    question: str, candidates: Sequence[Candidate], retriever: Retriever, topic: np.ndarray | None = None
) -> Answer:
    """Quote the best sentences if they answer `question` well enough, else decline. `topic` is the vector
    of what a question about someone's words asks them about (`spoken_topic`), if it has one."""
    index = retriever.index
    name_doc = index.several_articles
    answering = viable(candidates)
    best = answering[0] if answering else None
    clears = best is not None and (best.score >= MIN_SCORE or answered_whatever_the_score(question, best, retriever))
    if best is None or not clears or declined_whatever_the_score(question, best, retriever, topic):
        closest = tuple(to_quote(index, c) for c in candidates[:CLOSEST_SHOWN] if c.score >= CLOSEST_FLOOR)
        return Answer(question, False, render((), closest, name_doc), (), closest)
    if _ONLY_WHO.match(question) and best.speaker:
        speaker_of_best = retriever.speakers[best.row]
        # Nothing asked but the words of the one the best sentence gives: the first the article gives of
        # theirs, in its order, as news puts the main point of what someone said first.
        theirs = (c for c in answering if retriever.speakers[c.row] == speaker_of_best)
        chosen = sorted(theirs, key=lambda c: c.row)[:MAX_QUOTES]
    else:
        chosen = [c for c in answering[:MAX_QUOTES] if c.score >= best.score - RELATED_MARGIN]
    quotes = tuple(to_quote(index, c) for c in chosen)
    speaker = who_said(question, quotes)
    return Answer(question, True, render(quotes, (), name_doc, speaker), quotes, (), speaker)
