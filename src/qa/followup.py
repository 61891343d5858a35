"""Follow-up questions made whole from the conversation, without a language model.

A reader asks "And Hungary's?" after "What is Turkey's position on Russia?", or "And what did Baerbock say
about it?" after a question about dialogue, or "What did he say about Ukraine?" after an answer quoting
someone. Search needs the whole question, so the follow-up is rewritten from the previous question and
answer: a short "And X?" takes the previous question with X in place of what it named, and "Anything
about Y?" the previous question about Y; "it", "this" or "that" after "about" becomes the previous
question's topic; "he", "she" or "they" as a subject becomes the previous answer's speaker. A bare "When?"
or "Where was that?" asks the previous question again with its own question word, and "Who said that?"
asks who said the previous answer's quote. A question that stands on its own is left as it is. "What else
did X say?" is searched as it stands, but not answered with a quote the conversation has given.

"What did he say next?" is not a question to search at all: it asks for what follows the previous
answer's quote in the article, which `quote_followed` finds in the conversation for the answerer to look up.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from .answer import MAX_QUESTION_CHARS, NOT_FOUND, quoted, unquoted
from .question import only_full_name, person_asked_about
from .quotes import BODY_WORD, is_group, split_speaker
from .retrieve import ASKED_SPEAKER, content_words

_ELLIPSIS = re.compile(r"^(?:and what about|and how about|what about|how about|and)\s+(?P<subject>.+?)\s*\??$", re.IGNORECASE)
# The thing a question names: a capitalised word after its first, with its possessive if it has one.
_NAMED = re.compile(r"(?<!^)\b[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*(?:[’']s)?")
_TOPIC = re.compile(r"\babout\s+(?P<topic>[^?.!]+)", re.IGNORECASE)
_PRONOUN_TOPIC = re.compile(r"\babout\s+(?:it|this|that)\b", re.IGNORECASE)
# "he", "she" or "they" before a verb of saying anywhere; "he" or "she" as the question's own subject
# ("What did he point out?", "Who is she meeting?"), but not after a subject the question names ("Why did
# the workers say they would strike?"), and not "they" ("How many homes did they lose?": the residents).
_PRONOUN_SPEAKER = re.compile(r"\b(?:he|she|they)\b(?=\s+(?:say|said|add|added|think|tell|told|warn|warned)\b)", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:(?:what|who|whom|when|where|why|which|how)(?:\s+[\w’'\-]+){0,2}?\s+)?"
    r"(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could)\s+(?P<pronoun>he|she|they)\b",
    re.IGNORECASE,
)
# "And what was the bad news, according to him?": whose words the question asks for.
_PRONOUN_SOURCE = re.compile(r"\baccording\s+to\s+(?P<pronoun>him|her|them)\b(?!\s+[a-z])", re.IGNORECASE)
# "What is her job?", "And his role?": whose, after the question's verb or an "and".
_PRONOUN_POSSESSIVE = re.compile(
    r"^\s*(?:and\s+)?(?:(?:what|where|which)\s+(?:is|was|are|were)\s+)?(?P<pronoun>his|her)\b(?=\s+\w)", re.IGNORECASE
)
# The words of a question that asks nothing but what an earlier answer's speaker said or is.
_POINTING_WORDS = frozenset("say said says add added adds tell told else next afterwards mean meant".split())
# "Anything about pitches?", "And on wages?": the previous question again, on another topic.
_TOPIC_ELLIPSIS = re.compile(
    r"^\s*(?:and\s+|(?:and\s+)?(?:anything|something)\s+(?:else\s+)?)(?:about|on)\s+(?P<topic>[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)
# "What else did the fire marshal say?": anything but the quote already given.
_ELSE = re.compile(r"\belse\b", re.IGNORECASE)
# The attribution line of a rendered answer: "— Jane Doe, Federal Foreign Minister (reported speech)":
# the speaker's name, then their description.
_ATTRIBUTION = re.compile(r"^— (?P<speaker>[^,(\n]+)(?P<description>[^(\n]*)", re.MULTILINE)
_ELSE_SAID = re.compile(
    r"^\s*(?:and\s+|so\s+)?what\s+else\s+(?:did|does|has|had)\s+(?P<who>[^?]+?)\s+(?:say|said|add|added)\s*\??\s*$",
    re.IGNORECASE,
)
_MAX_ELLIPSIS_WORDS = 4
# "When?", "Where was that?", "And how many?": the previous question, asked again with another question word.
_BARE_QUESTION_WORD = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+)?(?P<word>when|where|why|how\s+many|how\s+much|how\s+long)"
    r"(?:\s+(?:was|is|did|does)\s+(?:that|this|it)(?:\s+happen)?)?\s*\??\s*$",
    re.IGNORECASE,
)
# A question's own question word: "What" of "What penalties could …", "How many" of "How many troops has
# …". Only where a verb like "did" follows can another word take its place: "Who warned …?" asked "Why?"
# has no "Why warned …?".
_ASKED_WITH = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:what|which|who|whom|when|where|why|how(?:\s+(?:many|much|long))?)\b"
    r"(?=(?:\s+[\w’'\-]+){0,3}?\s+(?:did|does|do|is|are|was|were|has|have|had|will|would|could|can|should|might|may)\b)",
    re.IGNORECASE,
)
# "he" or "she", as subject, object or owner.
_GENDERED_PRONOUN = re.compile(r"\b(?:he|she|him|her|his)\b", re.IGNORECASE)
# "Who said that?": the previous answer's quote, whose speaker is asked for.
_WHO_SAID_THAT = re.compile(
    r"^\s*(?:and\s+|so\s+)?who\s+(?:said|says|say|wrote|was|is)\s+(?P<that>that|this|it)\s*\??\s*$", re.IGNORECASE
)
# Enough of a quote to find it again: search weighs a question's words, not its length.
_MAX_QUOTE_WORDS = 40
# The whole question must be one of these: "What else did he say about Putin?" or "What did Baerbock say
# after that meeting?" ask something of their own, and are searched.
_NEXT = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:"
    r"what\s+(?:did|does|do)\s+(?:he|she|they)\s+(?:say|add|tell\s+\w+)\s+(?:next|after\s+that|then|afterwards)"
    r"|what\s+else\s+(?:did|does|do)\s+(?:he|she|they)\s+(?:say|add)"
    # "Did he say anything else?", "Did she say more?"
    r"|(?:did|does|do)\s+(?:he|she|they)\s+(?:say|add)\s+(?:anything|something)\s+(?:else|more)|(?:did|does|do)\s+(?:he|she|they)\s+(?:say|add)\s+more"
    r"|what\s+(?:did|does|do)\s+(?:he|she|they)\s+add"
    r"|what\s+(?:came|comes|follows|followed)\s+(?:next|after(?:\s+that)?)"
    r"|then\s+what|what\s+next|then|next|after\s+that|afterwards"
    r")\s*\??\s*$",
    re.IGNORECASE,
)
# The quote of a rendered answer: from its start, or after the line that answers a "Who said …?" question
# ("Jane Doe, Mayor:"), up to the line of the attribution or the place ("— …", "paragraph …"). A quote
# may itself hold line breaks.
_QUOTE_START = re.compile(r"\A(?:[^\n]*:\n\n)?")
_QUOTE_END = re.compile(r"\n(?=— |paragraph )")


def _last(history: Sequence[dict[str, Any]], role: str) -> str | None:
    for turn in reversed(history):
        if turn.get("role") == role and isinstance(turn.get("content"), str):
            return turn["content"]
    return None


def _possessive(text: str) -> bool:
    return text.endswith(("’s", "'s"))


def _replace_named(previous: str, subject: str) -> str | None:
    """`previous` with `subject` in place of the first thing it names in the same form ("Turkey's" for
    "Hungary's", "Stoltenberg" for "Baerbock"). A subject with an article ("the Nordic countries") is a
    whole noun phrase: it takes the place of the first thing named in any form, made possessive to match,
    and of a "Which …" phrase around it ("Which NATO country")."""
    if re.match(r"(?:the|a|an)\s", subject, re.IGNORECASE):
        named = _NAMED.search(previous)
        if not named:
            # "What did the mayor say …?" then "And the fire chief?": the speaker asked about is replaced.
            asked = ASKED_SPEAKER.search(previous)
            return previous[: asked.start("who")] + subject + previous[asked.end("who") :] if asked else None
        which = re.match(rf"\s*which\s+{re.escape(named.group())}\s+[a-z]+\b", previous, re.IGNORECASE)
        if which:
            return subject[:1].upper() + subject[1:] + previous[which.end() :]
        if _possessive(named.group()):
            subject += "’" if subject.endswith("s") else "’s"
        return previous[: named.start()] + subject + previous[named.end() :]
    names = [name for name in _NAMED.finditer(previous) if _possessive(name.group()) == _possessive(subject)]
    if not names:
        return None
    named = names[0]
    return previous[: named.start()] + subject + previous[named.end() :]


def quote_followed(question: str, history: Sequence[dict[str, Any]]) -> str | None:
    """The previous answer's (first) quote, when `question` asks what came after it ("What did he say
    next?", "What did she add?", or "What else did Baerbock say?" after Baerbock's words); otherwise None.
    An answer not in this project's form (a caller's own history) is taken whole, for the answerer to
    find the article's words in. A declined answer has no quote to follow: the passages it shows are the
    ones that do not answer."""
    followed = _before_exhausted(question, history)
    if _NEXT.search(question) or _else_of_previous_speaker(question, followed):
        return _previous_quote(followed)
    return None


def _before_exhausted(question: str, history: Sequence[dict[str, Any]]) -> Sequence[dict[str, Any]]:
    """`history` without the turns at its end that asked `question` ("What else did he say?") and were told
    the article says no more: asked again, it follows the same answer, and is told so again. Another
    question declined ("What else did Baerbock say?") is not passed over: "she" may mean its person."""
    asked = " ".join(question.lower().split())
    end = len(history)
    while (
        end >= 2
        and history[end - 1].get("role") == "assistant"
        and str(history[end - 1].get("content")).startswith(NOT_FOUND)
        and history[end - 2].get("role") == "user"
        and " ".join(str(history[end - 2].get("content")).lower().split()) == asked
    ):
        end -= 2
    return history[:end]


def fitting_history(
    question: str, history: Sequence[dict[str, Any]], pronoun_of: Callable[[str], str | None]
) -> Sequence[dict[str, Any]]:
    """`history` up to the latest answer whose speaker the "he" or "she" of `question` can mean:
    `pronoun_of` tells the pronoun of an answer's speaker, or None where the article does not tell. After
    Stoltenberg's words, "What else did she say?" means the woman quoted before him; with no one to fit,
    the history is none. A question without "he" or "she" takes the history whole."""
    asked = _GENDERED_PRONOUN.search(question)
    answers = [end for end in range(len(history), 0, -1) if _is_answer(history[end - 1])] if asked else []  # latest first
    if not answers:
        return history
    pronoun = "he" if asked.group().lower() in ("he", "him", "his") else "she"
    fitting = next((end for end in answers if pronoun_of(history[end - 1]["content"]) in (None, pronoun)), None)
    if fitting == answers[0]:
        return history
    return history[:fitting] if fitting is not None else []


def _is_answer(turn: dict[str, Any]) -> bool:
    """Whether a turn is an answer that quotes the article, not a question or a decline."""
    content = turn.get("content")
    return turn.get("role") == "assistant" and isinstance(content, str) and not content.startswith(NOT_FOUND)


def quote_asked_about(question: str, history: Sequence[dict[str, Any]]) -> str | None:
    """The previous answer's (first) quote, when `question` asks who said it ("Who said that?")."""
    return _previous_quote(history) if _WHO_SAID_THAT.match(question) else None


def _else_of_previous_speaker(question: str, history: Sequence[dict[str, Any]]) -> bool:
    """Whether `question` asks what else the previous answer's speaker said, naming them ("What else did
    Baerbock say?", "What else did the minister say?") rather than by a pronoun."""
    asked = _ELSE_SAID.match(question)
    answer = _last(history, "assistant")
    attribution = _ATTRIBUTION.search(answer) if asked and answer else None
    if not attribution:
        return False
    words = set(re.findall(r"[\w’'\-]+", re.sub(r"^(?:the|a|an)\s+", "", asked.group("who").lower())))
    return words <= set(re.findall(r"[\w’'\-]+", (attribution.group("speaker") + attribution.group("description")).lower()))


def given_before(question: str, history: Sequence[dict[str, Any]]) -> str:
    """When `question` asks for something not yet given ("What else did the mayor say?"), every answer of
    the conversation that quoted the article, line by line, each line's white space made single spaces;
    declined answers left out, since the passages they show did not answer. Otherwise nothing."""
    if not _ELSE.search(question):
        return ""
    return "\n".join(
        " ".join(line.split())
        for turn in history
        if _is_answer(turn)
        for line in turn["content"].splitlines()
    )


def dangling_reference(question: str, history: Sequence[dict[str, Any]]) -> str | None:
    """The words by which `question`, as made whole from the conversation `history`, points back at an
    earlier answer when there is none: "he" of "What did he add?" asked first or after a declined answer,
    "that" of "Who said that?". None when it points back at nothing, or there is an answer to point at.
    Searched as it stands, such a question would be answered with whoever's words are most like "he said"."""
    answer = _last(history, "assistant")
    if answer is not None and not answer.startswith(NOT_FOUND):
        return None
    who_said_that = _WHO_SAID_THAT.match(question)
    if who_said_that:
        return who_said_that.group("that")
    pronoun = _PRONOUN_SUBJECT.search(question)
    # "What did he invent in 1890?" asks something of its own, to be searched; "What did he say about
    # that?" asks nothing but what it points back at.
    if pronoun and not set(content_words(question)) - _POINTING_WORDS:
        return pronoun.group("pronoun")
    following = _NEXT.search(question)
    return following.group().strip().rstrip("?").strip() if following else None


def _previous_quote(history: Sequence[dict[str, Any]]) -> str | None:
    answer = _last(history, "assistant")
    if answer is None or answer.startswith(NOT_FOUND):
        return None
    start = _QUOTE_START.match(answer).end()
    end = _QUOTE_END.search(answer, start)
    return unquoted(answer[start : end.start()]) if end else answer.strip() or None


def _on_topic(previous_question: str, topic: str) -> str:
    """The previous question about `topic` instead: its own topic replaced, or `topic` added."""
    asked = _TOPIC.search(previous_question)
    if asked:
        return previous_question[: asked.start("topic")] + topic + previous_question[asked.end("topic") :]
    return f"{previous_question.rstrip().rstrip('?').rstrip()} about {topic}?"


def _called(speaker: str) -> str:
    """How a reader names a speaker in a question: a person by surname ("Stoltenberg"), a body or anyone
    else as named or described ("the Trades Council", "an Eastern European diplomat")."""
    name = split_speaker(speaker)[0]
    return name.split()[-1] if name[:1].isupper() and not BODY_WORD.search(name) else name


def resolve(
    question: str, history: Sequence[dict[str, Any]], speaker_of: Callable[[str], str | None] | None = None
) -> str:
    """`question` as a question that stands on its own, given the conversation so far. `speaker_of` finds
    who speaks in an earlier answer that is not in this project's form (a caller's own history), from the
    article's words in it."""
    # The history is the client's: its turns may hold any whitespace, which the patterns after this one
    # (and search) take as a question's single spaces.
    standalone = " ".join(_standalone(question, history, speaker_of).split())
    # The history is the client's to send, of any length: a follow-up made whole from it is held to the
    # limit of a question asked outright, so that "And X?" cannot have a megabyte of text searched.
    return standalone if len(standalone) <= MAX_QUESTION_CHARS else question


def _standalone(question: str, history: Sequence[dict[str, Any]], speaker_of: Callable[[str], str | None] | None) -> str:
    previous_question = _last(history, "user")
    if previous_question is None:
        return question
    if _WHO_SAID_THAT.match(question):
        quote = _previous_quote(history)
        return f"Who said {quoted(' '.join(quote.split()[:_MAX_QUOTE_WORDS]))}?" if quote else question
    bare = _BARE_QUESTION_WORD.match(question)
    asked_with = _ASKED_WITH.match(previous_question)
    if bare and asked_with:
        word = bare.group("word")
        return word[:1].upper() + word[1:].lower() + previous_question[asked_with.end() :]
    on_topic = _TOPIC_ELLIPSIS.match(question)
    if on_topic and len(on_topic.group("topic").split()) <= _MAX_ELLIPSIS_WORDS:
        return _on_topic(previous_question, on_topic.group("topic"))
    ellipsis = _ELLIPSIS.match(question.strip())
    if ellipsis and len(ellipsis.group("subject").split()) <= _MAX_ELLIPSIS_WORDS and not re.search(
        r"\b(?:what|who|when|where|how|why|which|did|does|is|are)\b", ellipsis.group("subject"), re.IGNORECASE
    ):
        subject = ellipsis.group("subject")
        rewritten = _replace_named(previous_question, subject)
        if rewritten:
            return rewritten
        if subject.islower():
            return _on_topic(previous_question, subject)
    topic = _TOPIC.search(previous_question)
    if topic and _PRONOUN_TOPIC.search(question):
        question = _PRONOUN_TOPIC.sub(lambda _: f"about {topic.group('topic').strip()}", question)
    answer = _last(history, "assistant")
    pronoun = (
        _PRONOUN_SPEAKER.search(question)
        or _PRONOUN_SUBJECT.search(question)
        or _PRONOUN_POSSESSIVE.search(question)
        or _PRONOUN_SOURCE.search(question)
    )
    # A declined answer's attribution lines are the closest passages': nobody the question can mean.
    if answer and pronoun and not answer.startswith(NOT_FOUND):
        attribution = _ATTRIBUTION.search(answer)
        speaker = attribution.group("speaker").strip() if attribution else speaker_of(answer) if speaker_of else None
        # "Who is Tom Reeve?" answered with the sentence that describes him, or "Where did Everett Sable
        # die?" with the writer's words: "he" or "she" is the one the question named.
        named = None
        if not speaker and re.search(r"\b(?:he|she|him|her|his)\b", pronoun.group(), re.IGNORECASE):
            # As the question named them: "Eli Stone", not "Stone", which his daughter Lena Stone-Ruiz shares.
            named = speaker = person_asked_about(previous_question) or only_full_name(previous_question)
        # "they" as a subject (or "them" as a source) is the previous speaker only where that is a body or a
        # group: after "Finland and Sweden consulted Stoltenberg", "What did they want?" is not about Stoltenberg.
        plural = pronoun.re in (_PRONOUN_SUBJECT, _PRONOUN_SOURCE) and pronoun.group("pronoun").lower() in ("they", "them")
        if speaker and plural and not is_group(speaker):
            speaker = None
        if speaker:
            start, end = pronoun.span("pronoun") if pronoun.re is not _PRONOUN_SPEAKER else pronoun.span()
            whose = "’s" if pronoun.re is _PRONOUN_POSSESSIVE else ""
            question = question[:start] + (named or _called(speaker)) + whose + question[end:]
    question = re.sub(r"^(?:and|so)\s+", "", question, flags=re.IGNORECASE)
    return question[:1].upper() + question[1:]
