"""What kind of answer a question asks for, and whether a sentence can give it.

"What did X say?" wants a statement, "How many …?" a number, "When …?" a time, "Who …?" a person,
"Where …?" a place. A sentence
without one can be on the question's topic and still not answer it, which is the commonest way a
near-miss looks like an answer; retrieval uses this to rank such sentences lower.
"""

from __future__ import annotations

import re
from enum import Enum

from .article import MONTHS, WEEKDAYS
from .quotes import BODY_WORD
from .related import without_possessive


class AnswerType(Enum):
    STATEMENT = "statement"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    PERSON = "person"
    PLACE = "place"


_ASKS = [
    # "What did X say …?": only a sentence in which someone speaks can answer.
    (AnswerType.STATEMENT, re.compile(
        r"\bwhat\s+(?:did|does|do|has|have|had|was|is|were)\s+.+?\s+(?:say|said|says|tell|told|warn|warned|claim|"
        r"claimed|stress|stressed|emphasi[sz]e|announce|announced|argue|argued|(?:add|added)(?!\s+to\b))\b",
        re.IGNORECASE)),
    # "On what date …?" wants the calendar; "When …?" may be answered by "after the meeting" too.
    (AnswerType.DATE, re.compile(r"\b(?:what|which)\s+(?:date|day|year|month|weekday)\b", re.IGNORECASE)),
    (AnswerType.TIME, re.compile(
        r"^\s*(?:and\s+)?when\b|\b(?:what|which)\s+(?:days|time|week)\b|\bhow\s+long\b"
        r"|\bsince\s+when\b", re.IGNORECASE)),
    (AnswerType.NUMBER, re.compile(
        r"\bhow\s+(?:many|much|old|far|big|large|high|tall)\b|\b(?:what|which)\s+(?:number|percentage|share|proportion|amount)\b",
        re.IGNORECASE)),
    (AnswerType.PERSON, re.compile(
        r"^\s*(?:and\s+)?(?:who|whom)\b|\bwhose\b|\b(?:which|what)\s+(?:person|people|official|officials|leader|leaders|"
        r"minister|ministers|president|politician|politicians|diplomat|spokesman|spokeswoman|representative|man|woman)\b",
        re.IGNORECASE)),
    (AnswerType.PLACE, re.compile(
        r"^\s*(?:and\s+)?where\b|\b(?:which|what)\s+(?:city|cities|country|countries|place|places|town|capital|region|"
        r"state|states|nation|nations|continent)\b", re.IGNORECASE)),
]

_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundreds?|thousands?|millions?|billions?|dozens?|half|percent|few|several|many|none|single|both|couple|"
    r"twofold|threefold|double|triple|twice|pair)\b",
    re.IGNORECASE,
)
# Names in a list count too: "How many countries …?" is answered by "Finland and Sweden". Case matters,
# and a match starts only where a word starts, so that a long hyphenated word is scanned once, not once
# per letter.
_NAME_LIST = re.compile(r"(?<![\w’'\-])[A-Z][\w’'\-]*,?\s+and\s+(?:even\s+|also\s+)?[A-Z]")
_CALENDAR = (
    r"\b(?:1\d{3}|20\d\d)s?\b|\b\d{1,4}\s*(?:AD|BC|BCE|CE)\b|\bAD\s*\d{1,4}\b|"
    rf"\b(?:{WEEKDAYS}|{MONTHS})\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{{1,2}}\b"
)
# Case matters here: "may" is no month.
_DATE = re.compile(_CALENDAR + r"|\b(?:today|tomorrow|yesterday)\b|\b\d{1,2}(?:st|nd|rd|th)\b")
_TIME = re.compile(
    _CALENDAR + r"|\b(?:today|tomorrow|"
    r"yesterday|tonight|morning|evening|night|weekend|week|month|year|day|hour|minute|decade|century|era|"
    r"period|age|spring|summer|autumn|winter|season|quarter)s?\b|\b(?:centuries|millennia)\b|\b(?:since|until|ago|soon|recently|currently|now|later|earlier|during|following|after|"
    r"before)\b|\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:noon|midday|midnight|o’clock|o'clock)\b",
    re.IGNORECASE,
)
# A name: a capitalised word that is not just the sentence's first word.
_NAME = (
    r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]|^(?!(?:The|A|An|In|On|At|But|And|This|That|These|Those|It|He|She|They|"
    r"We|I|There|According|After|Before|When|While|If|As)\b)[A-Z]"
)
# A person: a name ("Newton", "Jane Doe"), a role or a group of people, or a speaker.
_PERSON = re.compile(_NAME)
_PEOPLE_NOUNS = (
    r"minister|president|secretary|diplomat|chief|spokes(?:man|woman|person)|representative|official|"
    r"leader|chancellor|ambassador|general|head|mayor|governor|king|queen|prime|people|crew|team|member|"
    r"citizen|engineer|scientist|worker|soldier|troop|student|group|committee|council|government|congress|"
    r"parliament|party|company|author|founder|director|manager|officer|expert|analyst|charity|charities|firm|"
    r"organi[sz]ation|agency|agencies|authority|authorities|board|trust|union|club|volunteer|resident|family|families"
)
_PEOPLE = re.compile(rf"\b(?:{_PEOPLE_NOUNS})s?\b", re.IGNORECASE)
# A place: a name or a place preposition.
_PLACE = re.compile(_NAME + r"|\b(?:in|at|near|inside|under|among|across|between|within|along|into|from)\b")


_WHO_SAID = re.compile(
    r"^\s*(?:and\s+)?(?:who\s+(?:\w+\s+){0,2}?|"
    # "Which official said …?", "Which of the experts warned …?"; not "Which towns does X say …?"
    rf"which\s+(?:of\s+the\s+)?(?:\w+\s+)?(?:{_PEOPLE_NOUNS})s?\s+(?:also\s+)?)"
    r"(?:said|says|say|warned|warns|told|tells|added|described|describes|"
    r"called|calls|stated|claimed|claims|argued|insisted|stressed|emphasi[sz]ed|announced|denied|denies|spoke|"
    r"speaks|assured|predicted|noted|explained|admitted)\b",
    re.IGNORECASE,
)


# What a question may ask a person is a member of: "Which firm does Jane Doe work for?"
_EMPLOYER = (
    r"(?:firm|company|business|bank|fund|agency|party|group|organi[sz]ation|body|union|university|college|"
    r"school|hospital|club|team|side|newspaper|paper|outlet|broadcaster|network|department|ministry|office|"
    r"institute|institution|charity|campaign|council|committee|think\s+tank)"
)
# "Who is Jane Doe?", "Where does she work?", "What is Roe's job?", "Which party does Roe belong to?":
# what the article says a person is.
_ABOUT_PERSON = re.compile(
    r"^\s*(?:and\s+)?(?:who\s+(?:is|was)\s+(?P<who>[^?]+?)|where\s+(?:does|did)\s+(?P<works>[^?]+?)\s+work"
    r"|where\s+(?:is|was)\s+(?P<based>[^?]+?)\s+based|who\s+does\s+(?P<employer>[^?]+?)\s+(?:work\s+for|represent|play\s+for|write\s+for)"
    # "what's Jo Roe's job on the council": where the job is held goes after it.
    r"|what(?:[’']s|\s+is|\s+was)\s+(?P<whose>[^?]+?)[’']s?\s+(?:job|role|title|occupation|position)(?:\s+(?:on|at|in|with)\s+[^?]+?)?"
    r"|what\s+does\s+(?P<does>[^?]+?)\s+do(?:\s+for\s+a\s+living)?"
    rf"|(?:which|what)\s+{_EMPLOYER}\s+(?:does|did|is|was)\s+(?P<member>[^?]+?)\s+"
    # Not "in" or "at" alone: "Which hospital is Smith in?" asks where he is.
    r"(?:work\s+(?:for|at|in)|belong\s+to|represent|play\s+for|write\s+for|lead|run|head|chair|with|from))"
    r"\s*\??\s*$",
    re.IGNORECASE,
)


_AGE_ASKED = re.compile(r"^\s*(?:and\s+)?how\s+old\s+(?:is|was)\s+(?P<who>[^?]+?)\s*\??\s*$", re.IGNORECASE)


def age_asked_of(question: str) -> str | None:
    """The person by name whose age `question` asks ("Peter Halloran" of "How old is Peter Halloran?")."""
    return _person_named_in(_AGE_ASKED, question)


def person_asked_about(question: str) -> str | None:
    """The person by name that `question` asks who they are, what they do or where they work ("Jane Doe"
    of "Where does Jane Doe work?"); None for other questions, and for anyone not named ("the mayor")."""
    return _person_named_in(_ABOUT_PERSON, question)


# A name of two or more capitalised words after a question's first word: "Everett Sable" in "Where did
# Everett Sable die?"; not a place ("in Carrow Heights").
_FULL_NAME = re.compile(
    r"(?<=\s)(?<!\bin\s)(?<!\bat\s)(?<!\bto\s)(?<!\bfrom\s)(?<!\bnear\s)[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)+"
)


def only_full_name(question: str) -> str | None:
    """The one full name of a person `question` gives, if it gives exactly one ("Eli Stone" of "Where did
    Eli Stone's band tour?")."""
    names = [without_possessive(name) for name in _FULL_NAME.findall(question)]
    return names[0] if len(names) == 1 and not BODY_WORD.search(names[0]) else None


def _person_named_in(pattern: re.Pattern[str], question: str) -> str | None:
    """The person `pattern`'s one matching group holds in `question`, if named by name (every word capitalised)."""
    asked = pattern.match(question)
    person = next((group for group in asked.groups() if group), None) if asked else None
    return person if person and all(word[:1].isupper() for word in person.split()) else None


def is_number_word(word: str) -> bool:
    """Whether `word` tells a number ("five", "dozens", "12"): another number answers another question,
    however alike the two words are."""
    return bool(_NUMBER.fullmatch(word))


def asks_who_said(question: str) -> bool:
    """Whether `question` asks who said something ("Who said …?", "Which official warned …?"): its answer is a
    speaker, and the quote is the evidence."""
    return bool(_WHO_SAID.search(question))


def answer_type(question: str) -> AnswerType | None:
    """The kind of answer `question` asks for, if it asks for one of the kinds above. "Who said …?" asks
    for a person, and one who speaks: only a statement can answer it."""
    if asks_who_said(question):
        return AnswerType.STATEMENT
    for kind, pattern in _ASKS:
        if pattern.search(question):
            return kind
    return None


# A place named as a place: after a preposition ("in Brest", "at the Pubil car park in Glen Lyon"), as
# where a body is based ("the Kessenberg-based chipmaker", "based in Boston"), or in a dateline ("DORREGA,
# Belmora (AP) —"). A capitalised word alone is as often a person or a body.
_NAMED_PLACE = re.compile(
    r"\b(?:in|at|near|outside|inside|across|from|to)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}[A-Z]"
    r"|[A-Z][\w’'\-]*-based\b|\b(?:based|headquartered|located)\s+in\b"
    r"|^(?:[A-Z]{3,}(?:[ \-][A-Z]{2,})*,|[^.!?]{2,60}?\((?:AP|AFP|Reuters|Bloomberg|PA|dpa)\))"
)


def answers_weakly(kind: AnswerType | None, sentence: str) -> bool:
    """Whether `sentence`, which `can_answer` a question of `kind`, holds only a weak sign of its answer:
    for "where", no place named as a place (`_NAMED_PLACE`)."""
    return kind is AnswerType.PLACE and not _NAMED_PLACE.search(sentence)


def can_answer(kind: AnswerType | None, sentence: str, speaker: str | None) -> bool:
    """Whether `sentence` holds an answer of `kind` (a person may also be the sentence's speaker)."""
    if kind is None:
        return True
    if kind is AnswerType.STATEMENT:
        return speaker is not None
    if kind is AnswerType.NUMBER:
        return bool(_NUMBER.search(sentence) or _NAME_LIST.search(sentence))
    if kind is AnswerType.DATE:
        return bool(_DATE.search(sentence))
    if kind is AnswerType.TIME:
        return bool(_TIME.search(sentence))
    if kind is AnswerType.PERSON:
        return speaker is not None or bool(_PERSON.search(sentence) or _PEOPLE.search(sentence))
    return bool(_PLACE.search(sentence))
