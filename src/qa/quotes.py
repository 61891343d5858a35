"""Who said what: the speaker of each sentence, from the attribution patterns of news writing.

Explicit attributions ("…,” said X", "X said", "According to X") name a speaker; a pronoun ("he added")
or a bare quotation takes the speaker of the sentence before it in the same paragraph. A surname alone
resolves to the fullest form the article uses for that person ("Secretary General Jane Doe"), and so does
an office without a name ("the Secretary General of the alliance") when one named person in the article
holds that office.
"""

from __future__ import annotations

import re

from .article import Article

_VERBS = (
    "said|says|added|adds|continued|continues|warned|warns|stressed|stresses|explained|explains|"
    "noted|notes|stated|states|told|tells|asked|asks|emphasized|emphasised|emphasizes|assured|assures|"
    "declared|declares|insisted|insists|argued|argues|wrote|writes|announced|announces|admitted|"
    "claimed|claims|replied|suggested|urged|urges|predicted|acknowledged|confirmed|confirms|denied|"
    "denies|cautioned|recalled|reiterated|concluded|speaks|spoke"
)
_WORD = r"[A-Z][\w’'\-]*"
_NAME = rf"{_WORD}(?:\s+(?:(?:of|the|de|von|van|al|bin)\s+){{0,2}}{_WORD}){{0,6}}"
# "a diplomat", "an Eastern European diplomat", "a local fisherman" — but not "a diplomat before …".
_FUNCTION_WORD = (
    r"(?:after|before|at|in|on|of|to|for|from|with|during|while|when|as|and|but|or|that|who|which|has|had|"
    r"have|is|was|were|will|would|also|then)\b"
)
_LOWER = r"[a-z][\w\-]*"
_DESCRIPTION = rf"(?:[Aa]n?|[Tt]he)\s+(?:{_WORD}\s+){{0,3}}{_LOWER}(?:\s+(?!{_FUNCTION_WORD}){_LOWER})?"
_PRONOUN = r"[Hh]e|[Ss]he|[Tt]hey"
_SPEAKER = rf"(?P<speaker>{_DESCRIPTION}|{_PRONOUN}|{_NAME})"
_VERB = rf"(?:{_VERBS})\b"

# Most specific first: an inverted attribution after a quotation names the speaker of the whole sentence
# even when another subject stands at its start ("The ministers had warned …, said X.").
_PATTERNS = [
    re.compile(rf"[,”\"]\s*{_VERB}\s+{_SPEAKER}"),
    re.compile(rf"[,”\"]\s*{_SPEAKER}\s+(?:also\s+)?{_VERB}"),
    re.compile(rf"\b[Aa]ccording to\s+{_SPEAKER}"),
    re.compile(rf"(?:^|[,:;]\s+|\s)(?<![’'\w]){_SPEAKER}\s+(?:also\s+|then\s+|later\s+)?(?:has\s+|had\s+|have\s+)?{_VERB}"),
]
_NAME_RE = re.compile(_NAME)

# Words of office that stand before a name in news writing ("NATO Secretary General Jens Stoltenberg",
# "U.S. Secretary of State Ann Lee"): the person's name is what follows the last of them.
_OFFICE_WORDS = frozenset(
    """President Vice Prime Minister Ministers Secretary General Chancellor Foreign Defense Defence Interior
    Finance Economy Federal State Affairs Deputy Chief Head Spokesperson Spokesman Spokeswoman Ambassador
    Envoy Senator Representative Governor Mayor Premier Commissioner Director Chairman Chairwoman Chair
    Leader Speaker King Queen Prince Princess Pope Admiral General Colonel Lieutenant Major Captain
    Commander Sergeant Officer Judge Justice Attorney Professor Dr Sir Lord Lady Master""".split()
)


def _explicit_speaker(sentence: str) -> str | None:
    for pattern in _PATTERNS:
        match = pattern.search(sentence)
        if match:
            return match.group("speaker")
    return None


def _is_bare_quotation(sentence: str) -> bool:
    return sentence[:1] in "“\"" and sentence.rstrip(".!?")[-1:] in "”\""


def _full_names(article: Article) -> dict[str, str]:
    """Map each capitalised name's last word to the longest name with that last word in the article."""
    longest: dict[str, str] = {}
    for paragraph in article.paragraphs:
        for match in _NAME_RE.finditer(article.text, paragraph.start, paragraph.end):
            name = match.group()
            last = name.split()[-1]
            if len(name) > len(longest.get(last, "")):
                longest[last] = name
    return longest


def _office(description: str) -> frozenset[str]:
    """The words of office in a description of a person, before any "of the …" that names the body:
    "Secretary General of the Defense Alliance" -> {Secretary, General}; none in "a European diplomat"."""
    title = description.split(" of the ")[0]
    return frozenset(word for word in title.split() if word in _OFFICE_WORDS)


def _is_office_alone(description: str) -> bool:
    """Whether `description` is an office that one person holds: "(the) Secretary General of the
    alliance", but not "a Defense Ministry official", one of many, whose office words only qualify."""
    title = description.split(" of the ")[0].split()
    return bool(title) and title[0].lower() not in ("a", "an") and title[-1] in _OFFICE_WORDS


def _by_office(speakers: list[str | None]) -> dict[str, str]:
    """Each office without a name among `speakers` ("the Secretary General of the alliance") mapped to
    the one named speaker whose office has all its words, where there is exactly one."""
    named = {speaker for speaker in speakers if speaker and split_speaker(speaker)[1]}
    resolved = {}
    for speaker in set(filter(None, speakers)) - named:
        if not _is_office_alone(speaker):
            continue
        office = _office(speaker)
        holders = [name for name in named if office <= _office(split_speaker(name)[1] or "")]
        if len(holders) == 1:
            resolved[speaker] = holders[0]
    return resolved


def find_speakers(article: Article) -> list[str | None]:
    """The speaker of every sentence of `article` (None where no one is quoted or reported)."""
    speakers = _find_speakers(article)
    by_office = _by_office(speakers)
    return [by_office.get(speaker, speaker) if speaker else None for speaker in speakers]


def _find_speakers(article: Article) -> list[str | None]:
    full_names = _full_names(article)
    speakers: list[str | None] = []
    for paragraph in article.paragraphs:
        previous: str | None = None
        for index in range(paragraph.first_sentence, paragraph.last_sentence):
            sentence = article.sentence_text(index)
            speaker = _explicit_speaker(sentence)
            if speaker is not None and re.fullmatch(_PRONOUN, speaker):
                speaker = previous
            elif speaker is None and _is_bare_quotation(sentence):
                speaker = previous
            elif speaker is not None and re.fullmatch(_NAME, speaker):
                speaker = full_names.get(speaker.split()[-1], speaker)
            speakers.append(speaker)
            previous = speaker or previous
    return speakers


DIRECT = "direct"
REPORTED = "reported"


def speech_kind(sentence: str, speaker: str | None) -> str | None:
    """How `sentence` gives its speaker's words: DIRECT when it quotes them in quotation marks (a bare
    quotation continuing its speaker too), REPORTED when it tells what they said in the writer's words,
    None when nobody speaks in it."""
    if speaker is None:
        return None
    return DIRECT if re.search(r"[“”\"]", sentence) else REPORTED


def split_speaker(speaker: str) -> tuple[str, str | None]:
    """A speaker as (name, office): "Federal Foreign Minister Jane Doe" -> ("Jane Doe", "Federal Foreign
    Minister"). A description ("a European diplomat"), an office alone ("Secretary General of the
    alliance") or a bare name has no office."""
    words = speaker.split()
    # "the head of the agency", "Secretary General of the alliance": the capitalised words after "of the"
    # name a body, not a person.
    if not words or words[0].lower() in ("a", "an", "the") or " of the " in speaker:
        return speaker, None
    name_start = len(words)
    # Acronyms (NATO, U.S.) belong to the office, never to a name.
    while (
        name_start > 0
        and words[name_start - 1][:1].isupper()
        and words[name_start - 1] not in _OFFICE_WORDS
        and not words[name_start - 1].replace(".", "").isupper()
    ):
        name_start -= 1
    if name_start == 0 or name_start == len(words):
        return speaker, None
    return " ".join(words[name_start:]), " ".join(words[:name_start])
