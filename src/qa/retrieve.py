"""Retrieval: score the article's sentences for a question.

Candidates come from three rankings: the best chunks (a sentence read in its context), the best single
sentences (dense) and the best sentences by BM25 (exact words: names, places, days; for a question word
the article never uses, the article's words most like it, see `related.py`). Each candidate is then
scored on all signals at once, so a sentence found by one ranking is judged by the others too.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

from .article import MONTHS, WEEKDAYS
from .index import Index
from .question import answer_type, answers_weakly, asks_who_said, can_answer, is_number_word
from .quotes import (
    BODY_WORD,
    DEMONYM,
    GENDER_OF_TITLE,
    ROLE_NOUNS,
    TITLES,
    TITLES_SPELT_OUT,
    description_head,
    first_name,
    same_first_name,
    speaker_pronouns,
    speaker_words,
    split_speaker,
    unaccented,
)
from .related import STATE_LIKENESS, RelatedWords, StandIns, WordVectors, same_state, state_names, without_possessive

if TYPE_CHECKING:
    import numpy as np

    from .embed import Embedder

# Whether a vocabulary holds each word whole (`Embedder.whole_words`); None where it cannot tell.
WholeWords = Callable[[Sequence[str]], "list[bool] | None"]

_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves whose whether there's what's who's""".split()
)
# Words that ask for a statement: only then does naming a speaker in the question favour that speaker.
_SPEECH_WORDS = frozenset(
    "say said says tell told warn warned warns add added claim claimed according think thinks believe "
    "believes describe described comment commented stress stressed emphasize emphasized emphasise "
    "emphasised mean meant view opinion quote quoted assure assured insist insisted argue argued acknowledge "
    "acknowledged admit admitted announce announced caution cautioned concede conceded confirm confirmed deny "
    "denied declare declared explain explained predict predicted pledge pledged promise promised reiterate "
    "reiterated reply replied respond responded reveal revealed suggest suggested urge urged vow vowed accuse "
    "accused complain complained testify testified react reacted reacts".split()
)
# Of those, the words that ask what someone said, not what they thought or did: only these hold an answer
# to the words of the speaker named ("What did Luther believe …?" may be answered by the writer).
_SAYING_WORDS = frozenset(
    "say said says tell told claim claimed comment commented stress stressed warn warned warns "
    "according argue argued insist insisted announce announced react reacted reacts respond responded reply "
    "replied quote quoted".split()
)
# The topic of "What did X say about Y?", "What is X's view on Y?", "How did X react to Y?": "about" before
# "on", which as often tells when ("say on Tuesday").
_SPOKEN_TOPIC = [
    re.compile(
        r"\b(?:say|said|says|tell|told|comment|commented|warn|warned|argue|argued|claim|claimed|stress|stressed)\b"
        rf"[^?]*?\b{preposition}\s+(?P<topic>[^?.!]+)",
        re.IGNORECASE,
    )
    for preposition in ("(?:about|regarding|concerning)", "on")
] + [
    re.compile(
        r"\b(?:(?:view|views|position|stance|opinion)\s+(?:on|about|regarding)|(?:react|reacted|reacts|respond|"
        r"responded|responds)\s+to|think\s+(?:of|about))\s+(?P<topic>[^?.!]+)",
        re.IGNORECASE,
    )
]
# A topic that is a day, a month or a pronoun is no topic: "say on Tuesday", "say about it".
_NO_TOPIC = re.compile(rf"(?:it|this|that|them|him|her|{WEEKDAYS}|{MONTHS})\b", re.IGNORECASE)
# How much better another sentence of the same article must match the topic than the best of the
# speaker's own for "What did X say about Y?" to be declined: the article speaks of Y, but not in X's
# words. On the labelled sets (tests/data), the answerable questions of this kind whose top quote is
# right differ by at most 0.24; 38 of the 68 unanswerable ones by 0.25 or more.
TOPIC_ELSEWHERE_MARGIN = 0.25


_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
_AGE_ALONE = re.compile(r"(?P<pronoun>He|She)\s+(?:was|is)\s+(?:aged\s+)?\d{1,3}\.?")
# The name a sentence opens with, as its subject: "Mr. Eli Stone", "Eli Stone, a saxophonist, …".
_OPENING_NAME = re.compile(r"(?:[A-Z][\w’'\-]*\.?\s+){0,4}[A-Z][\w’'\-]*(?=[,\s])")


def _is_about(sentence: str, person: str, pronoun: str) -> bool:
    """Whether `sentence` opens with `person` (a name as a question gives it) as its subject, so that a
    "He was 86." after it is their age: not "His father, Tom Stone, died. He was 52.", nor "Mr. Stone is
    survived by his wife. She is 79." for her, nor Ann Stone for Eli Stone."""
    opening = _OPENING_NAME.match(sentence)
    words = opening.group().split() if opening else []
    if not words or words[-1] != person.split()[-1]:
        return False
    title = next((word for word in words if word in GENDER_OF_TITLE), None)
    asked_first, said_first = first_name(person), first_name(" ".join(words))
    if title and GENDER_OF_TITLE[title] != pronoun:
        return False
    return asked_first is None or said_first is None or same_first_name(asked_first, said_first)
_MULTI_WORD_NAME = re.compile(r"(?:[A-Z][\w’'\-]*\s+)+[A-Z][\w’'\-]*")


def _folded(text: str) -> str:
    """`text` as a name is looked for in it: lower case, single spaces, one kind of apostrophe."""
    return " ".join(text.split()).lower().replace("’", "'")


def spoken_topic(question: str) -> str | None:
    """What a question about someone's words asks them about: "the talks" of "What did X say about the talks?"."""
    for pattern in _SPOKEN_TOPIC:
        match = pattern.search(question)
        if match and not _NO_TOPIC.match(match.group("topic")):
            return match.group("topic").strip()
    return None

# Weights of the signals, chosen on public data rather than on this project's article: on the first
# 12 articles of SQuAD v1.1 dev (3,468 questions), `python benchmarks/squad.py` gives top-1 sentence hits
# of 0.589 for the sentence's similarity alone, 0.661 for its BM25 alone and 0.740 for these weights (a
# plateau: moving any weight by 0.05 changes it by under 0.01). Each signal is read for the sentence and
# for its best chunk, the context a sentence such as "he added …" needs. The speaker bonus favours the
# sentences of a person the question asks about ("What did X say?"); it does not touch questions that ask
# for no statement.
W_SENTENCE = 0.40
W_CHUNK = 0.20
W_LEXICAL = 0.20
W_CHUNK_LEXICAL = 0.20
W_SPEAKER = 0.10
# A sentence without the kind of answer the question asks for ("How many …?" and no number), or with
# another speaker's words than those asked for, is ranked down by this much; chosen like the weights
# above (`python benchmarks/squad.py`).
W_MISFIT = 0.10
# A sentence that holds only a weak sign of the answer (`answers_weakly`: "where" and no place named as a
# place) is ranked down by this share of W_MISFIT. Chosen among 0.25, 0.5, 0.75 and 1 on the news sets of
# tests/data/news (where-questions right: 0.645, 0.660, 0.652, 0.546; 0.631 without), then checked on SQuAD.
WEAK_FIT = 0.5

# Names match on their first letters too, so that an adjective finds its place ("Swedish", "Sweden").
_PREFIX = 4
# How alike a misspelt name or word and the article's word must be (difflib's ratio): "Primier" and
# "premier" score 0.86, "Bedigo" and "bendigo" 0.92; "Scholz" and "school" only 0.83, "Blinken" and
# "baltic" 0.46.
_MISSPELT = 0.85
_TOPIC = re.compile(r"\b(?:about|regarding|concerning|on the subject of)\s+([^?.!,;:]+)", re.IGNORECASE)
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]{1,5}s?")  # "EU", "TVs", "CO2", "G7"
# The last word of a run of capitalised words: where a person's surname stands ("Vladimir Putin",
# "Prime Minister Eva Berg"). Countries and cities mostly stand alone. Words are matched whole, from
# where they start, so that a long hyphenated word is scanned once, not once per letter.
_SURNAME = re.compile(r"(?<![\w’'\-])[A-Z][\w’'\-]*\s+([A-Z][\w’'\-]*)(?![\w’'\-])(?!\s+[A-Z])")
# Who a "What did X say …?" question asks about.
ASKED_SPEAKER = re.compile(
    r"\bwhat\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?:say|said|tell|told|think)\b",
    re.IGNORECASE,
)

BM25_K1 = 1.2
BM25_B = 0.75


def _names(question: str) -> list[str]:
    """Capitalised words after the first: in a question, the names it asks about."""
    return [word for word in _WORD.findall(question)[1:] if word[:1].isupper()]


def _name_stems(text: str, *, is_question: bool = True) -> set[str]:
    """The names of `text` as the speakers' words are kept: stemmed, lower case. A question's first word
    is capitalised whatever it is, so it names no one; in part of a question ("the defence barrister",
    "Baerbock") any capitalised word may."""
    words = _WORD.findall(text)[1:] if is_question else _WORD.findall(text)
    return {_stem(word.lower()) for word in words if word[:1].isupper()}


@lru_cache(maxsize=256)
def _state_stems(name: str) -> frozenset[str]:
    """The stems of the other names of the state that `name` names (`related.same_state`)."""
    return frozenset(_stem(other) for other in same_state(name))


# Past forms of common irregular verbs, which no suffix stripping finds: a question asks where they
# "meet", the article tells where they "met". "Said" and "told" are left alone: nearly every statement
# in news is "said", and matching it made declining worse on the labelled sets.
_IRREGULAR = {
    past: base
    for base, forms in {
        "speak": "spoke spoken", "write": "wrote written", "meet": "met",
        "hold": "held", "lead": "led", "leave": "left", "lose": "lost", "win": "won", "take": "took taken",
        "make": "made", "give": "gave given", "come": "came", "become": "became", "begin": "began begun",
        "go": "went gone", "bring": "brought", "think": "thought", "find": "found", "keep": "kept",
        "send": "sent", "spend": "spent", "build": "built", "pay": "paid", "sell": "sold", "buy": "bought",
        "fall": "fell fallen", "rise": "rose risen", "grow": "grew grown", "know": "knew known",
        "see": "saw seen", "run": "ran", "choose": "chose chosen", "strike": "struck", "fight": "fought",
        "draw": "drew drawn", "stand": "stood", "seek": "sought", "teach": "taught", "catch": "caught",
        "break": "broke broken", "feel": "felt", "hear": "heard", "mean": "meant", "get": "got gotten",
        "drive": "drove driven", "fly": "flew flown", "throw": "threw thrown", "wear": "wore worn",
        "withdraw": "withdrew withdrawn", "undertake": "undertook undertaken", "forgive": "forgave forgiven",
        "eat": "ate eaten", "sink": "sank sunk", "shake": "shook shaken", "steal": "stole stolen",
        "freeze": "froze frozen", "hide": "hid hidden", "ride": "rode ridden", "swear": "swore sworn",
    }.items()
    for past in forms.split()
}


# British spellings in their American form, so that a reader's "dialog" finds the article's "dialogue":
# -ogue, -our, -tre and -bre, -ise (with their endings).
_BRITISH = tuple(
    (re.compile(pattern), american)
    for pattern, american in (
        (r"(?<=\w{3})ogue(s?)$", r"og\1"),
        (r"(?<=\w{3})our(s|ed|ing|able|ite|ites|er|ers)?$", r"or\1"),
        (r"(?<=\w{3})([tb])re(s?)$", r"\1er\2"),
        (r"(?<=\w{3}[^aeiou])is(e|ed|es|ing|ation|ations)$", r"iz\1"),
    )
)


# An article's words repeat, and a stem takes a few regular expressions: each word is stemmed once.
@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A light suffix stripper: enough to match 'meet' with 'meeting' and 'sanction' with 'sanctions'. A
    possessive goes first, so that "Turing's" and "Turing" stem alike, and British spelling is made
    American, and accents dropped, as most readers type them ("cafe" for "café")."""
    word = without_possessive(word)
    if not word.isascii():
        word = unaccented(word)
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for british, american in _BRITISH:
        word = british.sub(american, word)
    for suffix, replacement in (("ies", "y"), ("ment", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


_ROLES = frozenset(_stem(word) for word in ROLE_NOUNS)
# Other words a question may use for an office the article names: "the lawyer" for "Keene's attorney",
# "the prosecutor" for an "Assistant District Attorney", "the spokesman" for a spokeswoman. Listed rather
# than found by word vectors, which find "king" like "queen" and "lieutenant" like "sergeant". Words of
# one group stand for each other; a prosecutor is an attorney, but not every attorney a prosecutor.
_SAME_OFFICE = (
    ("lawyer", "attorney"),
    ("spokesman", "spokeswoman", "spokesperson"),
    ("chair", "chairman", "chairwoman"),
    ("councillor", "councilor"),
)
_OTHER_WORDS_FOR_OFFICE = {
    word: tuple(other for other in group if other != word) for group in _SAME_OFFICE for word in group
} | {
    "prosecutor": ("attorney", "prosecut"),
    "prosecution": ("prosecut",),
    # "the defence barrister" for "Marcus Hale, defending" (stemmed "defend").
    "defence": ("defend",),
    "defense": ("defend",),
}


# A company's offices by their initials, as a question may type them and an article spell them out.
_OFFICES_BY_INITIALS = {
    "CEO": "chief executive",
    "CFO": "chief financial officer",
    "COO": "chief operating officer",
    "CTO": "chief technology officer",
}
_OFFICE_INITIALS = re.compile(rf"\b(?i:{'|'.join(_OFFICES_BY_INITIALS)})\b")

# "The head of the European Union election observation mission" is its chief; a head coach is no chief.
_HEAD_OF = re.compile(r"\bhead\s+of\b", re.IGNORECASE)


def _chief(speaker: str) -> frozenset[str]:
    """"chief" for a speaker described as the head of something; nothing for anyone else."""
    return frozenset({"chief"}) if _HEAD_OF.search(split_speaker(speaker)[1] or "") else frozenset()


def _with_offices(terms: set[str]) -> set[str]:
    """`terms` with the other words for the offices among them."""
    return terms | {other for term in terms for other in _OTHER_WORDS_FOR_OFFICE.get(term, ())}


def content_words(text: str) -> list[str]:
    """The words of `text` that are not stopwords, lower-cased; an acronym is kept even when it spells a
    stopword ("US")."""
    words = (match.group() for match in _WORD.finditer(text))
    return [word.lower() for word in words if word.lower() not in _STOPWORDS or (len(word) > 1 and word.isupper())]


def tokens(text: str) -> list[str]:
    """Content words of `text`, lower-cased and stemmed."""
    return [_stem(word) for word in content_words(text)]


def _spellings(texts: list[str]) -> dict[str, list[str]]:
    """Each stem of `texts` and the ways they spell it."""
    spellings: dict[str, set[str]] = {}
    for text in texts:
        for word in content_words(text):
            spellings.setdefault(_stem(word), set()).add(word)
    return {stem: sorted(words) for stem, words in spellings.items()}


# Lower-case words a question uses as words, whatever the articles capitalise: "tell us" is not the US,
# "it may rain" not the month.
_NEVER_CASED = _STOPWORDS | frozenset("us may might must shall say said".split())


def _name_forms(texts: list[str]) -> dict[str, str]:
    """The words `texts` write capitalised and never in lower case, where nothing but a name would be
    (not first in a sentence, nor in a quotation or after a colon), by their lower-case form: "stoltenberg"
    -> "Stoltenberg", "nato" -> "NATO"."""
    lower: set[str] = set()
    forms: dict[str, str] = {}
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group()
            before = text[: match.start()].rstrip()
            if word.islower():
                lower.add(word)
            elif word[0].isupper() and before and (before[-1].isalnum() or before[-1] in ",;(”\"’'"):
                forms.setdefault(word.lower(), word)
    return {folded: word for folded, word in forms.items() if folded not in lower and folded not in _NEVER_CASED}


# A name of several capitalised words, which a reader may give by its initials: "European Union".
_CAPITALISED_RUN = re.compile(r"(?<![\w’'])(?!The\s)[A-Z][a-z]+(?:\s+(?:(?:of|for|and|on|the)\s+)?[A-Z][a-z]+){1,5}")


# A speaker's name is asked for on every sentence of theirs: each is read once.
@lru_cache(maxsize=1 << 12)
def acronyms(text: str) -> frozenset[str]:
    """The initials of the names of several words in `text`, as a question's acronym would be tokenised:
    "eu" for "the European Union", "who" for "the World Health Organization"."""
    return frozenset({
        "".join(word[0] for word in run.split() if word[0].isupper()).lower()
        for run in _CAPITALISED_RUN.findall(text)
    })


def _compounds(texts: list[str]) -> frozenset[str]:
    """Each two neighbouring words written as one, stemmed: a question's "layoffs" or "takeover" is the
    article's "lay off" or "take over"."""
    joined = set()
    for text in texts:
        words = [match.group().lower() for match in _WORD.finditer(text)]
        joined.update(_stem(first + second) for first, second in zip(words, words[1:]))
    return frozenset(joined)


class Bm25:
    """BM25 over a fixed list of texts.

    Each term's postings hold the rows that use it and the BM25 weight it gives each of them, computed
    once; a query then sums a few arrays, which stays fast at a hundred thousand texts.
    """

    def __init__(self, texts: list[str]) -> None:
        import numpy as np

        documents = [Counter(tokens(text)) for text in texts]
        lengths = np.array([sum(counts.values()) for counts in documents], dtype="float32")
        self.size = len(documents)
        frequency: Counter[str] = Counter()
        for counts in documents:
            frequency.update(counts.keys())
        self.idf = {term: math.log(1 + (self.size - df + 0.5) / (df + 0.5)) for term, df in frequency.items()}
        # A query word no text uses weighs as much as the rarest word that some text does use.
        self.unseen_idf = max(self.idf.values(), default=1.0)
        norms = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(float(lengths.mean()), 1e-9)) if self.size else lengths
        rows: dict[str, list[int]] = {}
        weights: dict[str, list[float]] = {}
        for row, counts in enumerate(documents):
            for term, tf in counts.items():
                rows.setdefault(term, []).append(row)
                weights.setdefault(term, []).append(self.idf[term] * tf * (BM25_K1 + 1) / (tf + float(norms[row])))
        self.postings = {
            term: (np.array(rows[term], dtype="int32"), np.array(weights[term], dtype="float32")) for term in rows
        }

    def scores(self, query: list[str], stand_ins: StandIns | None = None) -> np.ndarray:
        """Every text's BM25 score, divided by what a text of average length holding every query term
        once would get, so that 1.0 means the whole question matches and words the texts never use
        count against it.

        `stand_ins` gives, for a query term no text uses, terms the texts do use and how alike each is
        (`Retriever.stand_ins`): a text holding one scores as if it held the term itself, times that
        likeness; a text holding several, by the most alike."""
        import numpy as np

        unique = set(query)
        full_match = self._full_match(unique)
        totals = np.zeros(self.size, dtype="float32")
        for term in unique & self.postings.keys():
            rows, weights = self.postings[term]
            totals[rows] += weights
        for term, alike in (stand_ins or {}).items():
            if term not in unique or term in self.postings:
                continue
            standing_in = np.zeros(self.size, dtype="float32")
            for other, likeness in alike:
                if other in self.postings:
                    rows, weights = self.postings[other]
                    standing_in[rows] = np.maximum(standing_in[rows], weights / self.idf[other] * likeness)
            totals += standing_in * self.unseen_idf
        return np.minimum(totals / full_match, 1.0)

    def _full_match(self, unique: set[str]) -> float:
        return sum(self.idf.get(term, self.unseen_idf) for term in unique) or 1.0

    def crediting(self, scores: np.ndarray, query: list[str], terms: set[str], rows: list[int]) -> np.ndarray:
        """`scores` (of `query`) with each of `rows` scored as if it held, once, those of `terms` it lacks,
        each weighing its idf, as in a text of average length."""
        import numpy as np

        credited = scores.copy()
        full_match = self._full_match(set(query))
        for term in set(query) & terms:
            lacking = np.zeros(self.size, dtype=bool)
            lacking[rows] = True
            if term in self.postings:
                lacking[self.postings[term][0]] = False
            credited[lacking] += self.idf.get(term, self.unseen_idf) / full_match
        return np.minimum(credited, 1.0)


@dataclass(frozen=True)
class Candidate:
    """A sentence (by its row in the index) and the signals that score it."""

    row: int
    sentence: float
    chunk: float
    lexical: float
    chunk_lexical: float
    speaker: float
    # 1.0 when the sentence lacks the kind of answer asked for, or gives another's words than those asked
    # for; WEAK_FIT when it holds only a weak sign of the answer.
    misfit: float

    @property
    def score(self) -> float:
        return (
            W_SENTENCE * self.sentence
            + W_CHUNK * self.chunk
            + W_LEXICAL * self.lexical
            + W_CHUNK_LEXICAL * self.chunk_lexical
            + W_SPEAKER * self.speaker
            - W_MISFIT * self.misfit
        )


class Retriever:
    """Scores an index's sentences for questions. With `word_vectors` (`Embedder.word_vectors`), a question
    word the articles never use is matched by the articles' words most like it (`related.py`); and by the
    ones spelt like it but for a letter or two, unless `whole_words` (`Embedder.whole_words`) knows it for
    a word of its own ("coast" is no misspelt "cost")."""

    def __init__(self, index: Index, word_vectors: WordVectors | None = None, whole_words: WholeWords | None = None) -> None:
        import numpy as np

        self.index = index
        self.whole_words = whole_words
        self.sentence_matrix = index.sentence_vectors.reconstruct_n(0, index.sentence_vectors.ntotal)
        self.chunk_matrix = index.chunk_vectors.reconstruct_n(0, index.chunk_vectors.ntotal)
        self.sentence_chunks: list[list[int]] = [[] for _ in index.sentence_rows]
        for number, chunk in enumerate(index.chunks):
            for row in index.chunk_sentence_rows(chunk):
                self.sentence_chunks[row].append(number)
        self.row_documents = np.array([document for document, _ in index.sentence_rows], dtype="int32")
        self.texts: list[str] = []
        self.speakers: list[str | None] = []
        self.speaker_tokens: list[frozenset[str]] = []
        # The last word of each speaker and the head of their description: "the treasurer" and "the
        # engineer" name "Gareth Lloyd, town treasurer" and "Tomasz Nowak, the chief engineer on the project".
        self.speaker_heads: list[frozenset[str]] = []
        for document_number, sentence in index.sentence_rows:
            document = index.documents[document_number]
            self.texts.append(document.article.sentence_text(sentence))
            self.speakers.append(document.speakers[sentence])
            who = self.speakers[-1] or ""
            speaker = tokens(speaker_words(who))
            # "the EU observer" is "Henrik Dahlberg, the head of the European Union election observation mission".
            chief = _chief(who)
            self.speaker_tokens.append(frozenset(speaker) | acronyms(who) | chief)
            self.speaker_heads.append(frozenset(speaker[-1:] + tokens(description_head(who) or "")) | chief)
        self.rows_by_speaker_word: dict[str, list[int]] = {}
        for row, words in enumerate(self.speaker_tokens):
            for word in words:
                self.rows_by_speaker_word.setdefault(word, []).append(row)
        self.bm25 = Bm25(self.texts)
        self.related_words = RelatedWords(_spellings(self.texts), word_vectors) if word_vectors is not None else None
        self.chunk_bm25 = Bm25([index.chunk_text(chunk) for chunk in index.chunks])
        self.vocabulary = (
            frozenset(self.bm25.idf)
            | frozenset(token for document in index.documents for token in tokens(document.article.headline or ""))
            | _compounds(self.texts)
            | frozenset().union(*map(acronyms, self.texts))
        )
        self.prefixes = frozenset(word[:_PREFIX] for word in self.vocabulary if len(word) >= _PREFIX)
        self.words_by_length: dict[int, list[str]] = {}
        for word in self.vocabulary:
            self.words_by_length.setdefault(len(word), []).append(word)
        self.spoken = frozenset().union(*self.speaker_tokens)
        self.article_texts = [_folded(document.article.text) for document in index.documents]
        self.surnames = frozenset(
            _stem(match.group(1).lower())
            for document in index.documents
            for match in _SURNAME.finditer(document.article.text)
        )
        self.name_forms = _name_forms(self.texts)

    @classmethod
    def for_embedder(cls, index: Index, embedder: Embedder) -> Retriever:
        """A retriever whose related words and misspellings are judged by `embedder`'s model."""
        return cls(index, embedder.word_vectors, embedder.whole_words)

    def cased(self, question: str) -> str:
        """`question` with the names it types in lower case written as the articles write them, so that
        "what did stoltenberg say?" asks about Stoltenberg; a question all in capitals is read in lower
        case first. An office by its initials ("the CEO") is spelt out where the articles spell it out
        ("Chief Executive Dana Whitcombe") and never use the initials."""
        if not any(char.islower() for char in question):
            question = question.lower()
        question = _WORD.sub(lambda word: self._name_form(word.group()), question)
        return _OFFICE_INITIALS.sub(lambda initials: self._spelt_out(initials.group()), question)

    def _name_form(self, word: str) -> str:
        """`word` as the articles write it, if a name; "pennington's" as "Pennington's"."""
        if word in self.name_forms:
            return self.name_forms[word]
        base = without_possessive(word)
        return self.name_forms[base] + word[len(base) :] if base in self.name_forms else word

    def _spelt_out(self, initials: str) -> str:
        office = _OFFICES_BY_INITIALS[initials.upper()]
        spelt_out = initials.lower() not in self.vocabulary and all(_stem(word) in self.vocabulary for word in office.split())
        return office if spelt_out else initials

    def _known(self, name: str) -> bool:
        """Whether the articles use `name` or, for longer names, a word of the same stem
        ("Swedish" for "Sweden") or one misspelt by a letter or two ("Primier" for "Premier")."""
        word = _stem(name.lower())
        if word in self.vocabulary:
            return True
        if len(word) < _PREFIX:
            return False
        return word[:_PREFIX] in self.prefixes or bool(self._spelt_alike(word, 1))

    def _spelt_alike(self, word: str, most: int) -> list[str]:
        """Up to `most` of the articles' words (stems) spelt like `word` but for a letter or two, most alike
        first: "premier" for "primier", "ready" for "redy"."""
        # Only words of nearly the same length can be that close; comparing with those alone keeps a
        # large collection's vocabulary from costing milliseconds per word.
        nearby = (w for n in range(len(word) - 2, len(word) + 3) for w in self.words_by_length.get(n, ()))
        return difflib.get_close_matches(word, nearby, n=most, cutoff=_MISSPELT)

    def _unknown_name(self, name: str) -> bool:
        return name.lower() not in _STOPWORDS and not DEMONYM.search(name) and not self._known(name)

    def unknown_terms(self, question: str) -> list[str]:
        """What `question` asks about that the articles never mention: names (capitalised words after
        its first), and the topic after "about" when none of its words occurs.

        Adjectives of nationality or region ("German", "Nordic", "Chinese") are left out: they describe
        rather than name, and an article often says the same with another word ("Federal", "Sweden"). So
        are abbreviations ("TV", "EU", "WWII"), which an article as often spells out.
        """
        # "the July-September quarter": a compound the articles know a part of is known.
        compounded = {
            part
            for compound in _HYPHENATED.findall(question)
            if any(self._known(part) for part in compound.split("-"))
            for part in compound.split("-")
        }
        # "the Kremlin" in an article that names Moscow.
        stated = {word for name in state_names(question) if _state_stems(name) & self.vocabulary for word in name.split()}
        unknown = [
            name
            for name in _names(question)
            if name not in compounded
            and without_possessive(name) not in stated
            and name not in TITLES
            and not _ABBREVIATION.fullmatch(name)
            and self._unknown_name(name)
        ]
        topic = _TOPIC.search(question)
        if topic:
            words = [word for word in _WORD.findall(topic.group(1)) if word.lower() not in _STOPWORDS]
            if words and not any(self._known(word) for word in words):
                unknown.extend(word for word in words if word not in unknown)
        return unknown


    def silent_person(self, question: str) -> str | None:
        """The person a "What did X say?" question asks about when no article quotes or reports X: X is
        named in them but never speaks, or not named at all ("the UN Secretary-General"). Any words found
        would be somebody else's."""
        asked = ASKED_SPEAKER.search(question)
        if not asked:
            return None
        who = asked.group("who")
        if self._state_speakers(who):  # "the Kremlin", "the White House", where Moscow or Washington speaks
            return None
        # "the American Heart Association" where the article has "heart" and "associated" but never that
        # name, and no speaker of its last word: somebody the article does not quote.
        named = _MULTI_WORD_NAME.search(re.sub(r"^[Tt]he\s+", "", who))
        words = named.group().split() if named else []
        # "the Norwegian Polar Institute" where only the Baltic Polar Institute speaks: a body with a word of
        # its name the articles never use, as they spell it, is another body, however like the known one.
        if words and BODY_WORD.search(named.group()) and not set(tokens(named.group())) <= self.vocabulary:
            return named.group()
        if words and words[0] not in TITLES_SPELT_OUT:
            phrase = _folded(named.group())
            # "Theo Marsh" where only Councillor Geoffrey Marsh speaks: another Marsh.
            surname = _stem(words[-1].lower())
            unheard = not any(
                surname in tokens and not self._another_person(named.group(), tokens) for tokens in self._distinct_speaker_tokens
            )
            if unheard and (not any(phrase in text for text in self.article_texts) or self._first_names_differ(words)):
                return named.group()
        for name in _WORD.findall(who):
            word = _stem(name.lower())
            if name[:1].isupper() and name not in TITLES and word not in self.spoken and (word in self.surnames or self._unknown_name(name)):
                return name
        # "the governor", "Nevada's governor", "the mayor of the city": an office the articles never name.
        head = _WORD.findall(who.split(" of ")[0])
        if head and head[-1].lower() in ROLE_NOUNS:
            word = _stem(head[-1].lower())
            # "the defence barrister" is the one "defending"; "Valmonte's head coach" no "head of finance".
            offices = _with_offices({word}) | {
                other for modifier in head[:-1] for other in _OTHER_WORDS_FOR_OFFICE.get(modifier.lower(), ())
            }
            if not offices & self.spoken and word not in self.vocabulary:
                return head[-1]
        return None

    def topic_elsewhere(self, question: str, best: Candidate, topic: np.ndarray) -> bool:
        """Whether `question`, naming the speaker of `best`, asks about a topic (`topic`, its vector) that
        the article speaks of clearly better elsewhere than in anything that speaker says. Not when the
        speaker's words hold every word of the topic: a long sentence that names "energy and flour prices"
        among much else speaks of energy prices, however like them a short one elsewhere is."""
        import numpy as np

        speaker = self.speakers[best.row]
        if not best.speaker or speaker is None:
            return False
        rows = np.flatnonzero(self.row_documents == self.row_documents[best.row])
        theirs = [row for row in rows if self.speakers[row] == speaker]
        topic_words = set(tokens(spoken_topic(question) or ""))
        if topic_words and self.index.several_articles:
            # In a collection, a topic only another article speaks of ("What did Marsh say about anchoring?"
            # of the council story, with a science story beside it) is one Marsh's article never mentions.
            document_rows = set(map(int, rows))
            holders = [set(self.bm25.postings[word][0].tolist()) for word in topic_words if word in self.bm25.postings]
            if holders and not any(rows_of & document_rows for rows_of in holders):
                return True
        if topic_words and topic_words <= self.bm25.postings.keys():
            holding = set.intersection(*(set(self.bm25.postings[word][0].tolist()) for word in topic_words))
            if holding.intersection(map(int, theirs)):
                return False
        similarity = self.sentence_matrix[rows] @ topic
        return float(similarity.max() - (self.sentence_matrix[theirs] @ topic).max()) >= TOPIC_ELSEWHERE_MARGIN

    @cached_property
    def pronouns(self) -> dict[str, str]:
        """The pronoun ("he" or "she") of each speaker whose article tells it (`quotes.speaker_pronouns`);
        read when a follow-up first asks about "he" or "she"."""
        pronouns: dict[str, str] = {}
        for document in self.index.documents:
            texts = [document.article.sentence_text(i) for i in range(len(document.article.sentences))]
            pronouns.update(speaker_pronouns(texts, document.speakers))
        return pronouns

    def age_given(self, person: str) -> int | None:
        """The row of the first sentence that gives the age of `person` (a name, as a question gives it),
        as news writes it: "Peter Halloran, 58,", "Halloran (58)", "Halloran, aged 58", "58-year-old Peter
        Halloran". None where no sentence does."""
        surname = re.escape(person.split()[-1])
        age = (
            rf"\b{surname},\s+(?:aged\s+)?\d{{1,3}}\b(?!\s*(?:%|per|percent|million|billion))|\b{surname}\s+\(\d{{1,3}}\)"
            rf"|\b\d{{1,3}}-year-old\s+(?:[\w’'\-]+\s+){{0,3}}?{surname}\b"
        )
        given = re.compile(age)
        for row, text in enumerate(self.texts):
            if given.search(text):
                return row
            alone = _AGE_ALONE.fullmatch(text)
            if alone and row > 0 and self.row_documents[row] == self.row_documents[row - 1]:
                if _is_about(self.texts[row - 1], person, alone.group("pronoun").lower()):
                    return row
        return None

    def introduction(self, person: str) -> int | None:
        """The row of the sentence that tells who `person` (a name, as a question gives it) is: the first
        to give the description the article attaches to that speaker, with their name. None when no
        one speaker has that name, or the article gives them no description."""
        import numpy as np

        names = {_stem(word.lower()) for word in _WORD.findall(person) if word[:1].isupper()}
        if not names:
            return None
        their_rows: dict[str | None, int] = {}  # each speaker so named, by the first row they speak in
        for row in self.rows_by_speaker_word.get(next(iter(names)), ()):
            if names <= self.speaker_tokens[row]:
                their_rows.setdefault(self.speakers[row], row)
        # The name must be theirs ("Prof Hill" for "Prof Jane Hill"): "NATO" in "NATO Secretary General
        # Jens Stoltenberg" is his office's, not him.
        speakers = [speaker for speaker in their_rows if names & set(tokens(split_speaker(speaker or "")[0])) - _ROLES]
        if len(speakers) != 1:
            return None
        name, role = split_speaker(speakers[0] or "")
        if not role:
            return None
        surname = name.split()[-1]
        # "Councillor, cabinet member for leisure": an office before the name and a description after it,
        # both in the sentence that introduces her.
        parts = role.lower().split(", ")
        for row in np.flatnonzero(self.row_documents == self.row_documents[their_rows[speakers[0]]]):
            text = self.texts[row]
            folded = " ".join(text.split()).lower()
            if surname in text and all(part in folded for part in parts):
                return int(row)
        return None

    @staticmethod
    def _plural_role(question: str) -> bool:
        return any(word[-1:] == "s" and word[:-1] in ROLE_NOUNS for word in map(str.lower, _WORD.findall(question)))

    def _speaker_names(self, text: str, *, is_question: bool = True) -> set[str]:
        """The speakers' words `text` names them by: its names (`_name_stems`), and for a state's name
        the names its speakers go by."""
        return _name_stems(text, is_question=is_question) | self._state_speakers(text)

    def _named_speaker_rows(self, text: str, query_terms: set[str], names: set[str]) -> set[int]:
        """The sentences whose speaker `text` (a question, or its part that says who is asked about)
        names, by its `query_terms` and `names` (`_speaker_names`)."""
        query_terms = _with_offices(query_terms)
        rows = {row for word in query_terms | names for row in self.rows_by_speaker_word.get(word, ())}
        full_names = [match.group() for match in _MULTI_WORD_NAME.finditer(text)]
        return {
            row
            for row in rows
            if self._names_speaker(names, query_terms, row)
            and not any(self._another_person(name, self.speaker_tokens[row]) for name in full_names)
        }

    @cached_property
    def _distinct_speaker_tokens(self) -> frozenset[frozenset[str]]:
        return frozenset(self.speaker_tokens)

    @cached_property
    def _speakers_names(self) -> frozenset[str]:
        """Each speaker's name without their description."""
        return frozenset(split_speaker(speaker)[0] for speaker in self.speakers if speaker)

    def _first_names_differ(self, words: list[str]) -> bool:
        """Whether a speaker of the surname of a person's name `words` goes by another first name: "Theo
        Marsh", named in an article where only Councillor Geoffrey Marsh speaks ("Geoff Marsh" is him)."""
        first = first_name(" ".join(words))
        if first is None:
            return False
        for name in self._speakers_names:
            other = first_name(name)
            if name.split()[-1] == words[-1] and other is not None and not same_first_name(first, other):
                return True
        return False

    @staticmethod
    def _another_person(name: str, speaker: frozenset[str]) -> bool:
        """Whether `name` ("Theo Marsh") is someone else than the speaker of `speaker`'s words ("Councillor
        Geoffrey Marsh"): the surname is theirs, the first name is not."""
        first = first_name(name)
        surname = _stem(name.split()[-1].lower())
        return first is not None and surname in speaker and not any(same_first_name(first, word) for word in speaker)

    def names_speaker_by_name(self, question: str, row: int) -> bool:
        """Whether `question` names the speaker of sentence `row` by a name, or by an office that nobody
        else in the article holds, in no other words than the speaker's ("the analyst" for the one
        "analyst Kim Soto"; not "the Chinese foreign minister" for the German one)."""
        if self._speaker_names(question) & (self.speaker_tokens[row] - _ROLES):
            return True
        asked = ASKED_SPEAKER.search(question)
        words = set(tokens(asked.group("who"))) if asked else set()
        speaker = self.speaker_tokens[row]
        if not words & (_ROLES | self.speaker_heads[row]) or not words <= speaker:
            return False
        holders = {
            self.speakers[other]
            for word in words
            for other in self.rows_by_speaker_word.get(word, ())
            if words <= self.speaker_tokens[other]
        }
        return len(holders) == 1

    def _names_speaker(self, names: set[str], query_terms: set[str], row: int) -> bool:
        """Whether a question, by its `names` (`_speaker_names`) and `query_terms`, names the speaker of
        sentence `row`: by a capitalised word of the speaker's name ("Baerbock", "NATO"), by the head of a
        description ("the diplomat"), by an office ("the governor" for "Gov. Ann Lee"), or by two words of
        a title ("the foreign minister")."""
        speaker = self.speaker_tokens[row]
        if not speaker:
            return False
        if self.speaker_heads[row] & query_terms or len(query_terms & speaker) >= 2 or query_terms & speaker & _ROLES:
            return True
        return bool(names & speaker)

    def stand_ins(self, question: str) -> dict[str, list[tuple[str, float]]]:
        """For each word of `question` that no sentence uses, the sentences' words most like it (by stem;
        see `related.py`), leaving out the question's own words, which count already. A name or a
        number gets none: "Tuesday" is not "Wednesday", nor Poland Hungary, nor five six, however alike
        the words are used. Nor does a word of saying: "say" would find the "said" of every statement,
        and who says what is the speaker signal's to match. A state's name gets its other names
        (`_state_stand_ins`), and a word misspelt ("negotaitions") the word it misspells, as alike as the
        two spellings are."""
        stand_ins = self._state_stand_ins(question)
        names = {name.lower() for name in _names(question)}
        asked = {_stem(word): word for word in content_words(question)}
        unused = {
            stem: word
            for stem, word in asked.items()
            if stem not in self.bm25.idf
            and stem not in stand_ins
            and word not in names
            and word not in _SPEECH_WORDS
            and not is_number_word(word)
        }
        found = self.related_words.like(list(unused.values())) if self.related_words is not None else [[] for _ in unused]
        known = (self.whole_words(list(unused.values())) if self.whole_words is not None else None) or [False] * len(unused)
        for stem, alike, is_word in zip(unused, found, known):
            others = {other: likeness for other, likeness in alike if other not in asked}
            if len(stem) >= _PREFIX and not is_word:
                for other in self._spelt_alike(stem, 2):
                    others[other] = max(others.get(other, 0.0), difflib.SequenceMatcher(None, stem, other).ratio())
            if others:
                stand_ins[stem] = sorted(others.items(), key=lambda pair: -pair[1])
        return stand_ins

    def _state_speakers(self, question: str) -> set[str]:
        """The speakers' words for the states `question` names by a name no speaker goes by: "the
        Kremlin" asks for Moscow's or Russia's words."""
        return {
            stem
            for name in state_names(question)
            if not set(tokens(name)) & self.spoken
            for stem in _state_stems(name) & self.spoken
        }

    def _state_stand_ins(self, question: str) -> dict[str, list[tuple[str, float]]]:
        """For a state's name in `question` that no sentence uses ("the Kremlin"), the state's other
        names that sentences do use (Moscow, Russia), at STATE_LIKENESS."""
        stand_ins = {}
        for name in state_names(question):
            others = sorted(_state_stems(name) & self.bm25.idf.keys())
            for stem in tokens(name):
                if others and stem not in self.bm25.idf:
                    stand_ins[stem] = [(other, STATE_LIKENESS) for other in others]
        return stand_ins

    def search(self, question: str, vector: np.ndarray, k: int, topic: np.ndarray | None = None) -> list[Candidate]:
        """The sentences that may answer `question`, best first; `vector` is its embedding, and `topic` that
        of what a question about someone's words asks them about (`spoken_topic`), if it has one."""
        import faiss
        import numpy as np

        query = tokens(question)
        stand_ins = self.stand_ins(question)
        lexical = self.bm25.scores(query, stand_ins)
        chunk_lexical = self.chunk_bm25.scores(query, stand_ins)
        words = {w.lower() for w in _WORD.findall(question)}
        asks_for_statement = bool(_SPEECH_WORDS & words)
        kind = answer_type(question)
        query_terms = set(query)

        # One question is too little work to share: FAISS's threads cost more to wake than they save (a
        # search of 100,000 vectors takes 7 ms on one thread, 15 ms on two). The setting is per thread,
        # and the caller's own is restored.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            _, chunk_ids = self.index.chunk_vectors.search(vector[None, :], min(k, len(self.index.chunks)))
            _, sentence_ids = self.index.sentence_vectors.search(vector[None, :], min(k, len(self.sentence_chunks)))
        finally:
            faiss.omp_set_num_threads(threads)
        rows: set[int] = set()
        for chunk_id in chunk_ids[0]:
            if chunk_id >= 0:
                rows.update(self.index.chunk_sentence_rows(self.index.chunks[chunk_id]))
        rows.update(int(row) for row in sentence_ids[0] if row >= 0)
        matched = np.flatnonzero(lexical)
        if len(matched) > k:
            matched = matched[np.argpartition(-lexical[matched], k - 1)[:k]]
        rows.update(int(row) for row in matched)
        named: set[int] = set()
        if asks_for_statement:
            # "What did the defence barrister say about Finchley's debts?" asks for the barrister's words,
            # not Finchley's: where the part saying who is asked about names a speaker, theirs are named.
            asked = ASKED_SPEAKER.search(question)
            if asked:
                who = asked.group("who")
                named = self._named_speaker_rows(who, set(tokens(who)), self._speaker_names(who, is_question=False))
            named = named or self._named_speaker_rows(question, query_terms, self._speaker_names(question))
        rows.update(named)
        if named:
            # A quote seldom repeats its speaker's name ("…,” he said): the name the question gives them
            # counts for every sentence of theirs, not only for those that introduce them.
            naming = query_terms & frozenset().union(*(self.speaker_tokens[row] for row in named))
            lexical = self.bm25.crediting(lexical, query, naming, sorted(named))
        # "What did X say …?" about someone the article quotes is not answered in somebody else's words (the
        # writer's may do, where the kind of question allows); in "Who said …?" the names are what was said
        # about, not who said it, and "the ministers" are more than the one minister the article quotes.
        only_named = (
            bool(named) and bool(_SAYING_WORDS & words) and not asks_who_said(question) and not self._plural_role(question)
        )

        ordered = sorted(rows)
        sentence_similarity = self.sentence_matrix[ordered] @ vector
        if named and topic is not None:
            # The question's vector holds the name it asks about, which draws it to the sentence that
            # introduces them ("Dr. Miriam Okafor, the study's lead author, said …") over their words on the
            # topic asked about; half of each of their sentences' likeness is to that topic alone.
            is_named = np.isin(ordered, sorted(named))
            sentence_similarity[is_named] = (sentence_similarity[is_named] + self.sentence_matrix[ordered][is_named] @ topic) / 2
        candidates = []
        for row, similarity in zip(ordered, sentence_similarity):
            chunk_similarity = float(np.max(self.chunk_matrix[self.sentence_chunks[row]] @ vector))
            others_words = only_named and row not in named and self.speakers[row] is not None
            fits = not others_words and can_answer(kind, self.texts[row], self.speakers[row])
            candidates.append(
                Candidate(
                    row=row,
                    sentence=float(similarity),
                    chunk=chunk_similarity,
                    lexical=float(lexical[row]),
                    chunk_lexical=float(chunk_lexical[self.sentence_chunks[row]].max()),
                    speaker=1.0 if row in named else 0.0,
                    misfit=1.0 if not fits else WEAK_FIT if answers_weakly(kind, self.texts[row]) else 0.0,
                )
            )
        candidates.sort(key=lambda candidate: candidate.score, reverse=True)
        return candidates
