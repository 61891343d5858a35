"""Who said what: the speaker of each sentence, from the attribution patterns of news writing.

Explicit attributions ("…,” said X", "X said", "According to X") name a speaker; a pronoun ("he added")
or a bare quotation takes the speaker of the sentence before it in the same paragraph. A surname alone
resolves to the fullest form the article uses for that person ("Secretary General Jane Doe"), and so does
an office without a name ("the Secretary General of the alliance") when one named person in the article
holds that office.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Sequence

from .article import MONTHS, WEEKDAYS, Article, blank_quotations, has_quotation, open_quotations, opens_with_quotation

_VERBS = (
    # "Smith added 10 points" is no saying.
    r"said|says|added(?!\s+[\d£$€])|adds(?!\s+[\d£$€])|continued|continues|warned|warns|stressed|stresses|explained|explains|"
    "noted|notes|stated|states|told|tells|asked|asks|emphasized|emphasised|emphasizes|assured|assures|"
    # "declared that …", not "declared a state of emergency": an act, not words; "shouted “…”", not "shouted abuse".
    r"(?:declared|declares|shouted|exclaimed|yelled)(?=\s*(?:that\b|:|,?\s*[\"“‘]))|"
    "insisted|insists|argued|argues|wrote|writes|announced|announces|admitted|"
    "claimed|claims|replied|suggested|urged|urges|predicted|acknowledged|confirmed|confirms|denied|"
    "denies|cautioned|recalled|reiterated|concluded|speaks|spoke|conceded|maintained|countered|"
    "remarked|testified|estimated|estimates|observed|vowed|pledged|complained|responded|revealed|accused|questioned|"
    # "The agency had initially reported that …": a report of what someone says, not of what happened.
    r"reported(?=\s+that\b)|"
    # "rejected any suggestion that …", not "rejected the bid" nor "rejected the criticism": turning down
    # a claim is answering what it claims.
    r"(?:rejected|rejects|dismissed|dismisses)(?=\s+(?:(?:any|the|all|a|an|such|those|these|what\s+\w+\s+called)\s+)?"
    r"(?:suggestions?|claims?|accusations?|allegations?)\s+that\b)|"
    r"congratulated|congratulates|thanked|thanks(?=\s+[A-Z“\"])|"
    # "declined to say whether …": an answer, and news reports it as one; not "declined to give her name".
    # Not "refused to confirm the nominee": confirming or discussing is an act, unless of a question.
    r"(?:declined|refused)(?=\s+to\s+(?:say|comment|elaborate|speculate|(?:confirm|discuss)\s+(?:whether|how|what|why|if)\b))|"
    r"described|ruled|called\s+for|called\s+on|pointed\s+out|pointed\s+to|"
    # "called the deal “a disaster”": naming something in quoted words is saying them.
    r"(?:called|calls|dubbed|branded|hailed|describes|termed|labelled|labeled)(?=[^\"“‘]{0,80}[\"“‘])"
)
# Verbs that end an inverted attribution ("…,” said X"): "told X" names whom X spoke to, not the speaker.
_INVERTED_VERBS = "said|says|added|adds|continued|warned|explained|noted|asked|wrote|insisted|argued|replied|recalled|cautioned|stressed"
# Weekdays and months follow a name ("said Ferreira Thursday") without being part of it. Not "May",
# which is a name too.
_DAY_OR_MONTH = rf"(?!May\b)(?:{WEEKDAYS}|{MONTHS})\b"
_NOT_NAME = rf"(?!{_DAY_OR_MONTH})"
# A capitalised word, or an abbreviated title before a name ("Sen.", "Dr.", "U.S.").
_TITLE_ABBREVIATION = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr|Maj|Adm|Cmdr|Supt|Insp|Det|Hon|Pres|[A-Z])\."
# Capitalised words that never name anyone: pronouns and articles that start a sentence, and pronouns for
# nobody in particular ("“Nobody asked them to.”").
_NOT_NAME_WORD = (
    r"(?!(?:I|We|It|You|They|He|She|This|That|These|Those|There|Here|Our|My|Their|His|Her|Its|Your|The|A|An|"
    r"Nobody|Somebody|Someone|Anybody|Anyone|Everybody|Everyone|Nothing|Something|Everything|None|All|Both|"
    r"Each|Many|Few|Some|Most|No)\b)"
)
# Nor do conjunctions, adverbs and prepositions that start a sentence before a name ("But Sophie Marsh
# said", "While BSkyB said", "For Ann Lowe, …"), though within a name they may stand ("Doctors Without
# Borders", "Teach For America").
_NOT_FIRST_NAME_WORD = (
    r"(?!(?:But|And|Or|So|Yet|Still|However|Meanwhile|Yesterday|Today|Tonight|Initially|Eventually|Finally|Later|Earlier|Previously|"
    r"Recently|Currently|Originally|Ultimately|Subsequently|Separately|Similarly|Additionally|Instead|While|"
    r"When|After|Before|Although|Though|Because|If|Since|As|Once|Unless|Until|Despite|During|Following|For|In|"
    r"On|At|With|Without|From|By|To|Under|Over|Through|Among|Amid|Unlike|Like|Against|Across|Within|"
    # "Two Harries penalties": a count, not a first name.
    r"One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b)"
)
# "Wexmoor-based Castellan": where a body is, not part of its name.
_WORD = rf"{_NOT_NAME}{_NOT_NAME_WORD}(?![\w’']+-based\b)(?:{_TITLE_ABBREVIATION}(?=\s+[A-Z])|(?:[A-Z]\.){{2,}}|[A-Z][\w’'\-]*)"
# A name starts where a word starts, so that a long hyphenated word is scanned once, not once per letter.
# "the House of Assembly Committee on Transport": a body's name goes on after "on", no other name does
# ("Campaign group Millbrook on Foot said" is about the foot, not from it).
_BODY_ON = r"(?:(?<=Committee)|(?<=Commission)|(?<=Council)|(?<=Subcommittee))\s+on\s+(?:the\s+)?"
_NAME = rf"(?<![\w’'\-]){_NOT_FIRST_NAME_WORD}{_WORD}(?:(?:\s+(?:(?:of|the|de|von|van|al|bin|for|and|&)\s+){{0,2}}|{_BODY_ON}){_WORD}){{0,6}}"
# "a diplomat", "an Eastern European diplomat", "some farmers", "a spokesman for the ministry" — but not
# "a diplomat before …".
_FUNCTION_WORD = (
    r"(?:after|before|at|in|on|of|to|for|from|with|during|while|when|as|and|but|or|that|who|which|has|had|"
    r"have|is|was|were|will|would|also|then|said|says|told|he|she|they|it|we|i|you|the|a|an|by|"
    # "according to a report seen by this newspaper": the report, not what saw it.
    r"seen|obtained|reviewed)\b"
)
# Where a word starts: within a long hyphenated word, "\b" stands before every part.
_LOWER = rf"(?<![\w’'\-])(?!{_FUNCTION_WORD})[a-z][\w\-]*(?:[’']s\b)?"
# "Germany’s", "Swiftline’s": whose office it is, before the office.
_POSSESSIVE = r"[A-Z][\w\-]*[’']s"
_DETERMINER = (
    r"(?:[Aa]n?|[Oo]ne|[Tt]he|[Ss]ome|[Mm]any|[Ss]everal|[Oo]ther|[Mm]ost|[Tt]wo|[Tt]hree|[Ff]our|[Tt]heir|[Hh]is|[Hh]er|[Ii]ts|[Oo]ur)"
)
# Wire copy's unnamed sources need no determiner: "according to people familiar with the matter".
_UNNAMED_SOURCES = (
    r"(?:[Pp]eople|[Ss]ources|[Pp]ersons)\s+(?:familiar\s+with|close\s+to|briefed\s+on)\s+the\s+(?:[A-Z][\w\-]*\s+)?[a-z]+"
)
# What a description cannot end in: a time ("£40 a year, the town treasurer, X, said" is the treasurer),
# or what was done to a document ("according to a study published on Wednesday" is the study).
_NO_HEAD = (
    r"(?!(?:year|years|month|months|week|weeks|day|days|hour|hours|time|published|released|issued|conducted|"
    r"commissioned)(?![\w’'\-]))"
)
# "A spokeswoman for the Federal Foreign Office in Berlin", "The EU delegation in Varlo": where, by name.
_DESCRIPTION = (
    rf"{_DETERMINER}\s+(?:(?:{_WORD}|{_LOWER})\s+){{0,3}}{_NO_HEAD}{_LOWER}"
    rf"(?:\s+(?:for|of|at|from|with)\s+(?:(?:the|its|their)\s+)?(?:{_NAME}|{_LOWER}))?(?:\s+in\s+(?!May\b){_NAME})?|{_UNNAMED_SOURCES}"
)
_PRONOUN = r"[Hh]e|[Ss]he|[Tt]hey"
# Words that join a clause to what goes before: "…, but campaigners say", "which critics say".
_CONJUNCTION = r"and|but|or|yet|so|while|as|though|although|which|that|because|where|when|now|if|since|whether|who|after|before|then"
_SUBJECT_PRONOUN = {"him": "he", "her": "she", "them": "they"}
_GROUP_NOUNS = (
    r"officials|police|sources|analysts|experts|residents|witnesses|critics|"
    r"economists|investigators|prosecutors|authorities|organi[sz]ers|researchers|scientists|campaigners|"
    r"protesters|lawmakers|legislators|diplomats|executives|doctors|supporters|opponents|activists|lawyers|"
    r"investors|traders|farmers|parents|fans|ministers"
)
# People in the plural need no determiner: "…, officials said", "“…,” local residents said".
_GROUP = (
    # Where a word starts, as a name does, so that a long hyphenated word is scanned once, not once per letter.
    rf"(?<![\w’'\-]){_NOT_FIRST_NAME_WORD}(?:(?:{_WORD}|local|senior|government|state|city|federal|military|security|health|industry|company|party)\s+){{0,2}}"
    rf"(?:{_GROUP_NOUNS})"
)
# "Drovnia’s foreign ministry", "Germany’s deputy minister": an office or a body by whose it is.
_POSSESSED = rf"{_POSSESSIVE}\s+(?:{_LOWER}\s+){{0,2}}{_LOWER}"
# "The NSW State Emergency Service (SES) said": a body's initials in brackets after its name are part of it.
_INITIALS = r"\s+\([A-Z]{2,6}\)"
# A name before a possessed office: "According to Lumenor’s own guidance" is Lumenor.
_SPEAKER_FORMS = rf"{_DESCRIPTION}|{_PRONOUN}|(?:[Tt]he\s+)?{_NAME}(?:{_INITIALS})?|{_GROUP}|{_POSSESSED}"
_SPEAKER = rf"(?P<speaker>{_SPEAKER_FORMS})"
# "officials said to be close to him" are not speaking.
_VERB = rf"(?:{_VERBS})\b(?!\s+to\s+(?:be|have)\b)"
# Where an inverted attribution's speaker ends: the sentence or clause ends, or a time, place or
# circumstance follows ("said Jane Doe after the meeting"); so "…, said the plan was wrong" names no one.
_SPEAKER_END = (
    r"(?=\s*(?:$|[.,;:!?—–(]|--)|\s+(?:in|on|at|after|before|during|when|while|who|whose|which|"
    rf"according|adding|yesterday|today|last|this|late|early)\b|\s+{_DAY_OR_MONTH})"
)
# A description ends an inverted attribution only where the clause ends: "…, said the plan was wrong"
# and "…, said the talks went on after midnight" name no one.
_DESCRIPTION_END = (
    rf"(?=\s*(?:$|[.,;:!?—–(]|--)|\s+(?:in\s+a\s+statement|on\s+{_DAY_OR_MONTH}|who|whose|which)\b)"
)
# What sits between a speaker and the verb ("Jane Doe, a spokeswoman for the agency, said"): an apposition
# or a relative clause, without a quotation but for a word or two quoted within it ("The analyst, who rates
# the stock “hold”, said", read with the quoted word blanked), and not too long to be one.
_APPOSITION = r"(?P<apposition>(?:[^\"“”‘]|[“\"]_{1,40}[”\"]){1,160}?)"
# A name right after a preposition is what the clause is about, not its subject: "Customers in Harrogate,
# where …, said" is not Harrogate speaking.
_CLAUSE_START = r"(?:^|[,:;]\s+|(?<!\bin)(?<!\bat)(?<!\bof)(?<!\bfor)(?<!\bfrom)(?<!\bto)(?<!\bwith)(?<!\bby)(?<!\bon)(?<!\babout)\s)(?<![’'\w])"
# A sentence's subject before its first comma: "An analyst at a Toronto bank who covers the company, …".
# "Customers in Harrogate, where …, said": people of a place, without a determiner. A clause is no
# subject: in "The cause was heart failure, his daughter, Jo Lee, said", the daughter speaks.
_SUBJECT = (
    rf"(?P<subject>(?:(?:{_DETERMINER}|{_POSSESSIVE})\s+(?:{_WORD}\s+){{0,3}}{_LOWER}|[A-Z][a-z]+s(?=\s+(?:in|at|from|of)\s))"
    rf"(?:(?!\s(?:is|are|was|were)\s)[^,\"“”‘]){{0,100}}?)"
)
# What a body or a person puts out in writing: "according to figures from the agency" names the agency,
# "the report said" the report's author.
_DOCUMENT_NOUN = (
    r"(?:statements?|study|reports?|surveys?|analysis|figures|data|estimates?|filings?|polls?|papers?|review|research|"
    r"summary|letters?|assessments?|audits?|census|records|documents)"
)
# "a study by X", "figures from X", "a summary released by X", "a statement on behalf of X": the author follows.
_DOCUMENT_OF = (
    # "the Detailed Project Report (DPR) prepared by X": a document by its title, and its initials.
    rf"(?:(?:a|an|the)\s+)?(?:(?:{_LOWER}|[A-Z][a-z]+)\s+){{0,2}}?(?i:{_DOCUMENT_NOUN})(?:{_INITIALS})?,?\s+"
    # "figures presented at the meeting by X": where, between the document and its author.
    r"(?:from|by|(?:issued|released|published|compiled|presented|prepared|commissioned|collected|gathered|provided)\s+"
    r"(?:(?:at|in|on|to)\s+[^,.;:\"“”‘]{1,40}?\s+)?by|"
    r"(?:(?:issued|released|read)\s+)?on\s+behalf\s+of)\s+"
)
# An author by name, or by whose they are: "Mr Reid’s family", "the victim’s family".
_AUTHORED = re.compile(
    rf"\b{_DOCUMENT_OF}(?P<author>(?:[Tt]he\s+)?(?:{_LOWER}\s+)?(?:{_NAME}(?:(?<=[’']s)\s+[a-z]+)?|family\b))"
)
# How many sentences back "the statement" is the one just mentioned, whoever else put one out before:
# "X read a statement on behalf of the family. “…,” the statement said."
_DOCUMENT_REACH = 2
_DOCUMENT_ALONE = re.compile(rf"[Tt]he\s+(?:{_LOWER}\s+)?(?P<noun>{_DOCUMENT_NOUN})")
# "the spokesperson", "the diplomat": someone described in full ("a government spokesperson") before.
_DESCRIBED_AGAIN = re.compile(r"[Tt]he\s+(?P<head>[a-z]+)")
# "X, a cardiologist, called the findings encouraging but said …": something done first, then the saying.
_FIRST_DID = r"(?:[^\"“”‘,.;:]{1,80}?\s(?:and|but)\s+)"
# A quotation's end: a comma, question or exclamation mark, with a closing quotation mark.
_QUOTATION_END = r"(?:[,?!]?[”\"’']|,)"

# A description in lower case before a name: "…,” said club secretary Priya Shah", "retired teacher
# Helen Ward". Not a time: "said yesterday".
_DESCRIPTION_BEFORE = rf"(?:[A-Z][\w’'\-]* +){{0,2}}(?:(?!(?:yesterday|today|tonight|earlier|later|recently|now)\b){_LOWER} +){{1,3}}"

# "“…,” said a senior detective involved in the investigation, who …": right after the words quoted,
# someone, however long the description, up to where the clause or a relative clause begins or a time
# follows. Only where the words quoted end in their own comma or mark (`_explicit_speaker`): "the ‘green
# deal’ added a new tax" quotes no one.
_DESCRIBED_AFTER_QUOTATION = re.compile(
    rf"[”\"’']\s*(?P<verb>{_INVERTED_VERBS})\b\s+(?P<speaker>[Aa]n?\s+(?!{_FUNCTION_WORD})[^,.;:!?\"“”‘]{{1,80}}?)"
    rf"(?=\s*(?:[,.;:!?]|$)|\s+(?:who|whose|which|that|on|last|this|yesterday|today)\b|\s+{_DAY_OR_MONTH})"
)
_QUOTATION_CLOSED_BY_MARK = re.compile(r"[,?!]\s*[”\"’']\s*$")

# Most specific first: an inverted attribution after a quotation names the speaker of the whole sentence
# even when another subject stands at its start ("The ministers had warned …, said X.").
_INVERTED = (
    re.compile(
        rf"{_QUOTATION_END}\s*(?P<verb>{_INVERTED_VERBS})\b\s+(?:{_DESCRIPTION_BEFORE})?(?P<speaker>{_NAME}|[Tt]he\s+{_NAME}){_SPEAKER_END}"
    ),
    # "…,” said Bayline's managing director, Joan Okafor.": the office, then the name in apposition.
    re.compile(
        rf"{_QUOTATION_END}\s*(?P<verb>{_INVERTED_VERBS})\b\s+(?P<speaker>{_DESCRIPTION}|{_POSSESSED}|{_PRONOUN})"
        rf"(?:,\s+(?P<apposition>{_NAME})(?=\s*(?:[.,;:!?]|$)))?{_DESCRIPTION_END}"
    ),
    _DESCRIBED_AFTER_QUOTATION,
)
# "Owen Takacs, an analyst at Greyhill Securities, said …": a speaker, an apposition, the verb.
_APPOSED = re.compile(
    rf"(?:^{_SUBJECT}|{_CLAUSE_START}{_SPEAKER}),\s+{_APPOSITION},\s+{_FIRST_DID}?(?:also\s+|then\s+|later\s+)?(?:has\s+|had\s+)?{_VERB}"
)
# Words of office that stand before a name in news writing ("NATO Secretary General Jens Stoltenberg",
# "U.S. Secretary of State Ann Lee"): the person's name is what follows the last of them.
_OFFICE_WORDS = frozenset(
    """President Vice Prime Minister Ministers Secretary General Chancellor Foreign Defense Defence Interior
    Finance Economy Federal State Affairs Deputy Chief Head Spokesperson Spokesman Spokeswoman Ambassador
    Envoy Senator Representative Governor Mayor Premier Commissioner Director Chairman Chairwoman Chair
    Leader Speaker King Queen Prince Princess Pope Admiral General Colonel Lieutenant Major Captain
    Commander Sergeant Officer Judge Justice Attorney Professor Master Marshal Sheriff Constable
    Superintendent Inspector Prosecutor Executive Councillor Councilor Manager Coach Detective""".split()
)
# Office words that qualify another rather than name an office of their own.
_QUALIFYING_OFFICE_WORDS = frozenset(
    "Vice Prime Foreign Defense Defence Interior Finance Economy Federal State Affairs Deputy Chief Head General Executive Officer Master".split()
)
# Abbreviated titles, spelt out so that a question's "the governor" finds "Gov. Ann Lee".
TITLES_SPELT_OUT = {
    "Gov": "Governor", "Sen": "Senator", "Rep": "Representative", "Dr": "Doctor", "Prof": "Professor",
    "Gen": "General", "Lt": "Lieutenant", "Col": "Colonel", "Sgt": "Sergeant", "Capt": "Captain",
    "Supt": "Superintendent", "Insp": "Inspector", "Det": "Detective", "Adm": "Admiral", "Pres": "President",
    "Rev": "Reverend", "Maj": "Major", "Cmdr": "Commander",
}
# Words for a person by office or occupation: "What did the governor say?" asks about one.
ROLE_NOUNS = frozenset(word.lower() for word in _OFFICE_WORDS | set(TITLES_SPELT_OUT.values())) | frozenset(
    """official ceo executive founder coach manager prosecutor lawyer sheriff councillor councilor
    inspector analyst economist organiser organizer researcher scientist campaigner agent solicitor barrister
    landlord tenant teacher owner neighbour neighbor wife husband son daughter mother father brother
    sister""".split()
)
# Speakers that are not people, whom "he" or "she" cannot stand for.
_NOT_PEOPLE = frozenset(
    """company council association ministry government agency union department office committee commission
    court party group board bank firm police league club university statement study report survey filing
    organisation organization institute foundation service authority""".split()
)
# "According to Tervonia’s defence ministry": an office or a body by whose it is, not a document of theirs
# ("According to Lumenor’s own guidance" is Lumenor).
_POSSESSED_OFFICE = (
    rf"{_POSSESSIVE}\s+(?:{_LOWER}\s+){{0,2}}"
    rf"(?:{'|'.join(sorted(noun for noun in _NOT_PEOPLE | ROLE_NOUNS if not re.fullmatch(_DOCUMENT_NOUN, noun)))})"
    # The office ends the phrase: "Ukraine's general staff" is no general, "China's state media" no state.
    r"(?![\w’'\-]|\s+[a-z])"
)
_ACCORDING = (
    rf"[Aa]ccording to\s+(?:{_DOCUMENT_OF}|(?:a|an|the)\s+(?:{_LOWER}\s+){{0,2}}?{_DOCUMENT_NOUN}\s+"
    rf"(?={_NAME}\s+(?:published|released|issued|wrote|compiled|commissioned|conducted|led)\b))?"
    # "According to him, …": the one "he" stands for.
    rf"(?P<speaker>{_POSSESSED_OFFICE}|{_SPEAKER_FORMS}|[Hh]im(?=,)|[Hh]er(?=,)|[Tt]hem(?=,)"
    # "according to court filings", "according to water company data": documents, named without an article.
    rf"|(?:(?:{_WORD}|{_LOWER})\s+){{0,2}}{_DOCUMENT_NOUN}(?=\s*(?:[.,;:!?]|$)))"
    # "according to the fire chief, Tom Reed.": the name in apposition, where the clause ends.
    rf"(?:,\s+(?P<apposition>{_NAME})(?=\s*(?:[.,;:!?]|$)))?"
)
# "According to Mr. Tull, Mr. Sable insisted …": the source the sentence opens with tells what another
# did or thought; but "According to the report, the minister said …" gives the minister's words.
_OPENING_SOURCE = re.compile(rf"^{_ACCORDING}")
_SAID_LATER = re.compile(r"\b(?:said|says|told|tells)\b")
_PATTERNS = [
    *_INVERTED,
    _OPENING_SOURCE,
    re.compile(rf"{_QUOTATION_END}\s*{_SPEAKER}\s+(?:also\s+)?{_VERB}"),
    re.compile(rf"\b{_ACCORDING}"),
    _APPOSED,
    # "Supporters say …": the plural verb, for people in the plural only ("The rules say" is no one).
    # "…, but campaigners say": the conjunction is no part of who says it.
    re.compile(rf"(?:^|{_CLAUSE_START})(?P<speaker>(?:(?!(?i:{_CONJUNCTION})\b)[A-Za-z]+\s+)?(?i:{_GROUP_NOUNS}))\s+(?:say|argue|insist)\b"),
    # "A senior aide who was not authorized to speak publicly about the talks said": the subject, then
    # what defines it, then the verb.
    re.compile(rf"^(?P<speaker>{_DESCRIPTION}|{_GROUP})\s+who\s+[^,;:\"“”‘]{{1,120}}?\s(?:also\s+)?{_VERB}"),
    # "The agency had initially reported …", "officials have repeatedly said …".
    re.compile(rf"{_CLAUSE_START}{_SPEAKER}\s+(?:also\s+|then\s+|later\s+)?(?:has\s+|had\s+|have\s+)?(?:[a-z]+ly\s+)?{_VERB}"),
    # "Captain Jo Fenwick also paid tribute, saying …": something done, then the words as its manner.
    re.compile(
        rf"{_CLAUSE_START}{_SPEAKER}\s+(?:also\s+)?(?!{_FUNCTION_WORD})[a-z]+\b[^,;:\"“”‘]{{0,60}},\s+"
        # "…, adding about ten minutes to most journeys" adds a quantity, and says nothing.
        r"(?:saying|adding(?!\s+(?:to|about|around|some|nearly|almost|roughly|up|more|less|another|\d|[£$€]))|"
        r"arguing|warning|insisting|claiming|noting|explaining)\b"
    ),
    # "Among those waiting was Tom Gleeson, 78, from Newcastle West, Co Limerick, who said he had …", "The
    # van belonged to Sentinel Cash Services, which said in a statement …": someone named where a clause
    # introduces them (not "fans of Manchester United, who said"), with an age, a town or a description
    # between (not "Jane Roe, …, and the envoy Tom Lee, who": his words), then their words in a relative clause.
    re.compile(
        rf"(?:^|[,:;]\s+|\b(?:was|were|is|are|by|to|and|with|from)\s+)(?P<speaker>{_NAME})"
        rf"(?:,\s+(?:\d{{1,3}}|(?:an?|the|from|of|aged)\s[^,;:\"“”‘]{{1,58}}|[A-Z][\w’'\-]*(?:\s[A-Z][\w’'\-]*){{0,2}})){{0,3}}"
        r",\s+(?:who|which)\s+"
        rf"(?:also\s+|later\s+)?{_VERB}"
    ),
]
_NAME_RE = re.compile(_NAME)
_PRONOUN_RE = re.compile(_PRONOUN)
# "the council", "a spokesperson for the association": a body named in full elsewhere in the article.
_BODY = re.compile(r"(?P<before>.*\b(?:for|of|at|from)\s+)?[Tt]he\s+(?P<noun>[a-z]+)")
# A name with one of these words names a body or a place, not a person.
BODY_WORD = re.compile(
    r"\b(?:Council|Association|Ministry|Government|Agency|Union|Department|Office|Committee|Commission|Court|"
    r"Party|Group|Board|Bank|Corp|Co|Inc|Ltd|University|College|Institute|Foundation|Service|Authority|League|"
    r"Club|Police|Street|Road|Avenue|River|County|City|Town|State|Republic|Kingdom|Island|Islands|Mountains|"
    r"Valley|Basin|Hall|Centre|Center|Industries|Holdings|Capital|Securities|Partners|Systems|Management|"
    r"Airlines|Airways|Technologies|Media|Energy|Fund|Trust|Charity|Society|Network|Alliance|Coalition|"
    r"Federation|Organisation|Organization|Chamber|Chambers|Nations|Bureau|Programme|Program|Secretariat|"
    r"Parliament|Assembly|Senate|Congress|Administration|Forum|Tribunal|Journal|Review)\b"
)
# How a description of a person starts: "a Democrat", "the agency's lawyer", "Germany's deputy minister",
# "chief executive of …".
# Whose a description is: "Germany's", "Harbour City's", "Rovers'".
_OWNER = rf"(?:(?:[A-Z][\w\-]*\s+){{0,2}}{_POSSESSIVE}|[A-Z][\w\-]*s[’'])"
_ROLE_START = rf"(?:(?:an?|the)\s+[A-Za-z0-9]|{_OWNER}\s+[a-z]|(?!{_FUNCTION_WORD})[a-z])"
# A person's description in apposition after their name, up to a relative clause: "Maria Lopez, a
# spokeswoman for the agency, …", "Tom Reyes, 62, a retired teacher".
_ROLE = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:\d{{1,3}},\s+)?(?P<role>{_ROLE_START}[^,.;:\"“”‘]{{2,100}}?)"
    r"(?=,|\.|;|:|\s+(?:who|whose|which|that)\b)"
)
# A name a source is given by, whatever its first words: "According to Ms Okonedo, the money paid for …" goes
# on with what she said, not with who she is.
_ACCORDING_BEFORE = re.compile(r"[Aa]ccording to\s+(?:[A-Z][\w’'\-.]*\s+)*$")
_ACCORDING_REACH = 40
# "Many of the local residents Tom Lee spoke to": how many, not a description of Tom Lee.
_NOT_QUANTIFIER = r"(?!(?:Many|Some|Most|None|All|Both|Each|Few|No|Several|Any)\b)"
_ROLE_BEFORE = re.compile(
    rf"(?:\b(?:{_INVERTED_VERBS})\s+(?P<lower>{_DESCRIPTION_BEFORE})|(?:^|(?<=[.!?]\s))(?P<capital>{_NOT_FIRST_NAME_WORD}{_NOT_QUANTIFIER}(?:[A-Z][\w’'\-]* +(?:of +(?:the +)?)?){{1,3}}{_DESCRIPTION_BEFORE}))"
    rf"(?P<name>{_NAME})(?:{_SPEAKER_END}|\s+(?:also\s+)?{_VERB})",
    re.MULTILINE,
)
_AGE_OR_TOWN = re.compile(r"(?:,\s+\d{1,3})?(?:,\s+of\s+[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*)?$")
_ROLE_AHEAD = re.compile(
    rf"(?:^|(?<=[.!?]\s))(?:(?:But|And|Yet|So)\s+)?"
    rf"(?P<role>(?:The|{_OWNER})\s+[a-z][^,.;:\"“”‘]{{2,80}}?),\s+(?P<name>{_NAME}),", re.MULTILINE
)
_WHO_CLAUSE = re.compile(r",\s+(?:who|whose)\b.*", re.DOTALL)
_RELATIVE = re.compile(r"\s+(?:who|whose|which|that)\b.*|,.*", re.DOTALL)
_DESCRIBED_NAME = re.compile(rf"(?:[Tt]he|[Aa]n?)\s+(?:{_LOWER}\s+){{1,3}}(?P<name>{_NAME})")
_ROLE_MAX_WORDS = 16

def is_group(speaker: str) -> bool:
    """Whether `speaker` is a body or people in the plural, whom "they" can stand for ("the council",
    "Northern Nevada Building Trades Council", "officials"), not one person."""
    name = split_speaker(speaker)[0]
    return bool(name.split()) and (_names_a_body(name) or in_plural(speaker))


def in_plural(speaker: str) -> bool:
    """Whether `speaker` is people in the plural ("EU officials", "residents"), who say rather than says."""
    words = split_speaker(speaker)[0].split()
    return bool(words) and re.fullmatch(_GROUP_NOUNS, words[-1].lower()) is not None


def _names_a_body(name: str) -> bool:
    """Whether a speaker's `name` (one word at least) is a body's: a word for one ends it ("the council")
    or stands in it ("Northern Nevada Building Trades Council")."""
    return name.split()[-1].lower() in _NOT_PEOPLE or bool(BODY_WORD.search(name))


def speaker_words(speaker: str) -> str:
    """A speaker with abbreviated titles spelt out: "Gov. Ann Lee" -> "Gov. Governor Ann Lee"."""
    return re.sub(
        r"\b(" + "|".join(TITLES_SPELT_OUT) + r")\.?(?=\s)", lambda m: f"{m.group()} {TITLES_SPELT_OUT[m.group(1)]}", speaker
    )


# Words before a name that are no first name.
TITLES = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Cr Cllr Sir Dame Lord Lady Prof Prof.".split()) | frozenset(
    f"{title}." for title in TITLES_SPELT_OUT
) | frozenset(TITLES_SPELT_OUT)
# Titles that tell which pronoun stands for their bearer.
# Adjectives of nationality or region ("German", "Nordic", "Chinese"): they describe rather than name.
DEMONYM = re.compile(r"[a-z](?:an|ian|ean|ish|ese|ic|ch)$")
GENDER_OF_TITLE = {
    **dict.fromkeys("Mr Mr. Sir Lord King Prince".split(), "he"),
    **dict.fromkeys("Mrs Mrs. Ms Ms. Miss Dame Lady Queen Princess".split(), "she"),
}


# "It said" of a body, not "It added to the pressure" or "It says a lot about …".
_IT_SAID = re.compile(r"(?:^|[,;:]\s+|[”\"’]\s*)[Ii]t\s+said\b(?!\s+to\s+be)")
# Descriptions that tell which pronoun stands for a person: "a spokeswoman for …", "his wife".
_GENDERED_ROLE = re.compile(
    r"\b(?:(?P<she>\w*woman|\w*women|wife|mother|daughter|sister|grandmother|widow)|"
    r"spokesman|chairman|congressman|businessman|husband|father|son|brother|grandfather|widower)\b"
)


def _pronoun_told(names: Sequence[str], description: str | None) -> str | None:
    """The pronoun that stands for a speaker, where their title tells it (the first of `names` to have
    one: "Ms Okafor") or else their description ("a spokeswoman for …")."""
    # "Mr Reid’s family" are no "he": the title is another's.
    title = next(
        (words.split()[0] for words in names if words.split() and words.split()[0] in GENDER_OF_TITLE and not re.search(r"[’']s\b", words)),
        None,
    )
    if title:
        return GENDER_OF_TITLE[title]
    gendered = _GENDERED_ROLE.search(description or "")
    return ("she" if gendered.group("she") else "he") if gendered else None


# "Shop owners on Elm Street said": a name that goes on from a place after a preposition is the end of
# that place's name ("Street"), not a speaker.
# Not a day or a month ("Later on Tuesday Mr Smith said"), nor before a title, which starts a person.
_WITHIN_PLACE = re.compile(rf"\b(?:in|at|of|for|from|to|with|by|on|about|near)\s+(?:{_NOT_NAME}[A-Z][\w’'\-]*\s+)+$")
_TITLE_FIRST = re.compile(rf"(?:{_TITLE_ABBREVIATION}|(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady|Prof|Cllr|Cr)\b)")


def _within_place(match: re.Match[str], sentence: str) -> bool:
    """Whether the speaker `match` found starts inside a place's name (`_WITHIN_PLACE`)."""
    if "speaker" not in match.groupdict() or match.start("speaker") <= 0:
        return False
    start = match.start("speaker")
    first = sentence[start:].split(maxsplit=1)[0]
    return first not in _OFFICE_WORDS and not _TITLE_FIRST.match(first) and bool(_WITHIN_PLACE.search(sentence, 0, start))


def _explicit_speaker(sentence: str) -> tuple[str, str | None] | None:
    """The speaker a sentence's attribution names, and the apposition between speaker and verb."""
    # Attributions are read outside the quotations: their words are the speaker's.
    blanked = blank_quotations(sentence)
    for pattern in _PATTERNS:
        match = pattern.search(blanked)
        if (
            not match
            or (pattern in _INVERTED and _closes_apposition(match, blanked))
            or (pattern is _OPENING_SOURCE and _SAID_LATER.search(blanked, match.end()))
            or (pattern is _DESCRIBED_AFTER_QUOTATION and not _QUOTATION_CLOSED_BY_MARK.search(sentence[: match.start("verb")]))
            or _within_place(match, blanked)
        ):
            continue
        groups = {name: sentence[match.start(name) : match.end(name)] for name, value in match.groupdict().items() if value}
        speaker = _RELATIVE.sub("", groups["subject"]) if "subject" in groups else groups["speaker"]
        # "According to Lumenor's own guidance": Lumenor.
        speaker = re.sub(r"[’']s$", "", speaker)
        return _SUBJECT_PRONOUN.get(speaker.lower(), speaker), groups.get("apposition")
    return None


def _closes_apposition(inverted: re.Match[str], sentence: str) -> bool:
    """Whether the comma before an inverted attribution's verb closes an apposition instead: "Owen Takacs,
    an analyst at Greyhill Securities, said the deal made sense" is Takacs speaking, not "the deal"."""
    if not inverted.group().startswith(","):
        return False
    apposed = _APPOSED.search(sentence)
    if apposed is None or apposed.end() != inverted.end("verb"):
        return False
    # "Under the plan, the government will pay …, said Maria Lopez": a clause, not an apposition.
    apposition = apposed.group("apposition")
    return _role(apposition) is not None or bool(re.match(r"(?:who|whose)\b", apposition))


# Court reports name counsel by their side: "Sarah Okonedo, prosecuting, said".
_COURT_SIDES = frozenset({"prosecuting", "defending"})


def _role(apposition: str) -> str | None:
    """The description of a person in an apposition, without a relative clause or an age; None when it
    describes nothing ("who spoke on condition of anonymity")."""
    apposition = re.sub(r"^\d{1,3},\s+", "", apposition.strip())
    role = _RELATIVE.sub("", apposition).strip()
    words = role.split()
    if not words or not re.match(_ROLE_START, role) or len(words) > _ROLE_MAX_WORDS:
        return None
    # "… summon the agency's head, Chief Adewale Ogunrinde, next Thursday over …": when, not who he is.
    if re.match(rf"(?:next|last|this|on|early|late|earlier|later)\s|{_DAY_OR_MONTH}", role):
        return None
    # "For Ellie Brandt, the numbers are almost beside the point": a clause, not a description.
    if re.search(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must|did|does|do)\b", role):
        return None
    if role in _COURT_SIDES:
        return role
    # "Jo Adeyemi, started leading …" goes on with what she did. A description without an article reads
    # as an office of something: "general secretary of the union".
    if words[0] not in ("a", "an", "the") and not re.match(_OWNER, role) and not re.search(r"\s(?:of|at|for)\s", role):
        return None
    return role if len(words) >= 2 else None


def _lower_determiner(description: str) -> str:
    """A description as it reads after a name: "The pianist" at a sentence's start is "the pianist"."""
    return re.sub(r"^(?:The|Their|His|Her|Its|Our|An|A)\b", lambda word: word.group().lower(), description)


def _person_at(name: str) -> tuple[str, str | None]:
    """A name as the person and where they work or stand: "Kim Soto of Bernstein" -> ("Kim Soto",
    "Bernstein"), "Councillor Dean Mulgrew of the Central Ward" -> ("Councillor Dean Mulgrew", "the Central
    Ward"). Without a first name and a surname before "of", or with a body's word among them, it is no
    person's name: "Bank of England", "Secretary of State Ann Lee", "Ohio Department of Transportation"."""
    person, _, employer = name.partition(" of ")
    named = [word for word in person.split() if word not in _OFFICE_WORDS and word not in TITLES]
    if (employer[:1].isupper() or employer.startswith("the ")) and len(named) >= 2 and not BODY_WORD.search(person):
        return person, employer
    return name, None


def _full_names(article: Article) -> dict[str, str]:
    """Map each capitalised name's last word to the longest name with that last word in the article."""
    longest: dict[str, str] = {}
    for paragraph in article.paragraphs:
        for match in _NAME_RE.finditer(article.text, paragraph.start, paragraph.end):
            # "Jane Doe and John Roe" names two people. A nickname in quotation marks is no part of the
            # name that follows it: "Owain ‘Bomber’ Harries" is Harries, not "Bomber’ Harries".
            quoted = article.text[match.start() - 1 : match.start()] in ("‘", "'")
            for name in match.group().split(" and "):
                name = _person_at(re.sub(r"^[^’']*[’']\s+", "", name) if quoted else name)[0]
                last = name.split()[-1]
                if len(name) > len(longest.get(last, "")):
                    longest[last] = name
    return longest


def _roles(article: Article) -> dict[str, tuple[str, str, int]]:
    """Map a name's last word to the name, the description first given to it, and where: in apposition ("Maria Lopez, a
    spokeswoman for the agency,"), or in lower case before it where it is said to speak ("said club
    secretary Priya Shah", "Fire service spokeswoman Mia Ross said"), or before it in apposition at a
    sentence's start ("The council's cabinet member for housing, Tom Reeve, welcomed the fine")."""
    found = [
        (match.start(), match.group("name"), _role(match.group("role")))
        for match in _ROLE.finditer(article.text)
        if not _ACCORDING_BEFORE.search(article.text, max(0, match.start() - _ACCORDING_REACH), match.start())
    ]
    found += [
        (match.start(), match.group("name"), _role(_lower_determiner(match.group("role"))))
        for match in _ROLE_AHEAD.finditer(article.text)
    ]
    found += [
        (match.start(), match.group("name"), _lower_determiner((match.group("lower") or match.group("capital")).strip()))
        for match in _ROLE_BEFORE.finditer(article.text)
    ]
    roles: dict[str, tuple[str, str, int]] = {}
    for start, name, role in sorted(found):
        if role:
            person = _person_at(name)[0]
            roles.setdefault(person.split()[-1], (person, role, start))
    return roles


def first_name(name: str) -> str | None:
    """The first name of a person's name, the word before the surname that is no title, office or
    nationality: "Eli" of "Mr. Eli Stone"; None for "Mr Stone", "German Foreign Minister Baerbock" or a
    body's name."""
    words = [word for word in name.split() if word not in TITLES and word not in _OFFICE_WORDS]
    if len(words) < 2 or BODY_WORD.search(name) or DEMONYM.search(words[-2]):
        return None
    return words[-2]


def same_first_name(first: str, other: str) -> bool:
    """Whether two first names may be one person's: the same, or one short for the other ("Geoff", "Geoffrey")."""
    first, other = unaccented(first.lower()), unaccented(other.lower())
    return first == other or (min(len(first), len(other)) >= 3 and (first.startswith(other) or other.startswith(first)))


def unaccented(word: str) -> str:
    """`word` as most readers type it: "Léo" is "Leo"."""
    return "".join(char for char in unicodedata.normalize("NFKD", word) if not unicodedata.combining(char))


def _same_person(name: str, other: str) -> bool:
    """Whether two names of one surname may be one person: not "Eli Stone" and "Ann Stone"."""
    first, other_first = first_name(name), first_name(other)
    return first is None or other_first is None or same_first_name(first, other_first)


class _People:
    """What the article says of the people in it: full names, descriptions, and which pronoun is theirs."""

    def __init__(self, article: Article) -> None:
        self.text = article.text
        self.full_names = _full_names(article)
        self.roles = _roles(article)
        # The people named with one office before their name, and where first: "Judge" of "U.S. District
        # Judge Harold Kimura". Offices that qualify others ("State", "Chief", "Vice") are no holder's alone.
        self.titled: dict[str, list[tuple[str, int]]] = {}
        for name in dict.fromkeys(re.sub(r"[’']s$", "", name) for name in self.full_names.values()):
            offices = _offices_of(name)
            if len(offices) == 1 and not offices & _QUALIFYING_OFFICE_WORDS:
                self.titled.setdefault(next(iter(offices)), []).append((name, self.text.find(name)))
        self.pronouns: dict[str, str] = {}
        self.genders: dict[str, set[str]] = {}  # the genders of the titles each surname is given
        for title, surname in _TITLED.findall(article.text):
            self.genders.setdefault(re.sub(r"[’']s$", "", surname), set()).add(GENDER_OF_TITLE[title])

    def named(self, name: str, apposition: str | None) -> str:
        """A named speaker in full: the longest form of the name, and the description given to it."""
        name, employer = _person_at(name)
        last = name.split()[-1]
        # An office is no surname: "Attorney General" is not the "Secretary General" named before. Nor is a
        # longer name another form of this one unless it ends with all of it: "NHS England" is not the
        # "East of England".
        longest = self.full_names.get(last, name)
        # "Ms. Okafor" is "Gov. Ruth Okafor", unless the article has a "Mr. Okafor" too.
        untitled = longest.endswith(f" {_untitled(name)}") and len(self.genders.get(last, ())) < 2
        full = longest if last not in _OFFICE_WORDS and (longest.endswith(f" {name}") or untitled) else name
        if full == name:
            # "Sir Martin" for "Sir Martin Pryce": a short form that only one longer name starts with.
            longer = {other for other in self.full_names.values() if other.startswith(name + " ")}
            full = longer.pop() if len(longer) == 1 else name
        given = self.roles.get(last)
        # The description given to this person, not to another of the surname ("Eli Stone, a saxophonist"
        # is no description of his daughter Ann Stone).
        role = (_role(apposition) if apposition else None) or (given[1] if given and _same_person(given[0], full) else None)
        if employer:
            role = f"{role} of {employer}" if role else f"of {employer}"
        speaker = f"{full}, {role}" if role and role not in full else full
        pronoun = _pronoun_told((full, name), role)
        if pronoun:
            self.pronouns.setdefault(speaker, pronoun)
        return speaker

    def resolve(self, speaker: str, apposition: str | None) -> str:
        """The speaker an attribution names, in the fullest form the article gives."""
        initials = re.search(rf"{_INITIALS}$", speaker)
        if initials:
            return self.resolve(speaker[: initials.start()], apposition) + initials.group()
        # "Dunning's daughter, Karen Dunning-Ortiz, 44, of Westbrook, said": the name, with an age or a town;
        # "The state Governor, Alhaji Abdulrasheed Olanrewaju, who spoke through his aide, …, said": the
        # name, then what tells how he spoke.
        apposed_name = _AGE_OR_TOWN.sub("", _WHO_CLAUSE.sub("", apposition.strip()), count=1) if apposition else ""
        name_in_apposition = _NAME_RE.fullmatch(apposed_name)
        if name_in_apposition and (not _NAME_RE.fullmatch(speaker) or speaker.split()[-1] in _OFFICE_WORDS):
            # "the Home Secretary, Helen Marsh, said": the apposition is the name, the subject the office.
            # "Their team manager, Stefano Gallo," is "Stefano Gallo, their team manager", and "the county's
            # chief fire officer, Helen Marsh" keeps the county's.
            office = re.sub(r"^[Tt]he\s+(?![\w\-]+[’']s\s)", "", speaker)
            name = self.named(apposed_name, None)
            office = _lower_determiner(office)
            if office.lower() in name.lower():
                return name  # "The council leader, Councillor David Pryce," already known as the council leader
            return f"{office} {name}" if office.split()[-1] in _OFFICE_WORDS else f"{name}, {office}"
        if re.match(r"[Tt]he\s+[A-Z]", speaker) and _NAME_RE.fullmatch(speaker[4:]):
            speaker = speaker[4:]  # "The National Police Chiefs' Council" is named without its article
        described = _DESCRIBED_NAME.fullmatch(speaker)
        if described:
            # "The pianist Harriet Vance, who toured with him, said": Vance, described as the pianist.
            speaker = described.group("name")
        if _NAME_RE.fullmatch(speaker):
            return self.named(speaker, apposition)
        body = _BODY.fullmatch(speaker)
        if body:
            full = self.full_names.get(body.group("noun").capitalize())
            if full and len(full.split()) > 1:
                return f"{body.group('before') or ''}{full}"
        return speaker

    def by_pronoun(self, pronoun: str, candidates: list[str]) -> str | None:
        """The latest of `candidates` (latest last) a pronoun can stand for: one whose pronoun is not
        known to be another, by what was said of them so far or by the titles of their surname."""
        pronoun = pronoun.lower()
        for speaker in reversed(candidates):
            if pronoun == "they":
                return speaker
            name, description = split_speaker(speaker)
            surname = name.split()[-1]
            if surname.lower() in _NOT_PEOPLE:
                continue
            # "Lena Ruiz, his daughter" is no "he"; "Vance", where the article has "Ms. Vance", is a "she",
            # though "Ann Stone", where it has "Mr. Stone", may be his daughter.
            told = _pronoun_told((name,), description)
            first_named = len([word for word in name.split() if word not in TITLES and word not in _OFFICE_WORDS]) > 1
            if told not in (None, pronoun) or (told is None and not first_named and pronoun not in self.genders.get(surname, {pronoun})):
                continue
            # The first pronoun used for someone is theirs from then on.
            if self.pronouns.setdefault(speaker, pronoun) == pronoun:
                return speaker
        return None


    def holder_of(self, noun: str, before: int) -> str | None:
        """The one person the article has described by `noun` ("captain" of "Harbour City's captain") by
        character `before` (the end of the sentence that refers to them), if one."""
        holders = {name for name, role, start in self.roles.values() if start < before and _head_noun(role) == noun}
        # "U.S. District Judge Harold Kimura" is "the judge", by the office before his name, unless the
        # article has a judge it does not name ("a new judge", "judges").
        titled = {name for name, start in self.titled.get(noun.capitalize(), ()) if start < before}
        if titled and not re.search(rf"\b(?:an?\s+(?:[a-z]+\s+)?{noun}|{noun}s)\b", self.text, re.IGNORECASE):
            holders |= titled
        surnames = {name.split()[-1] for name in holders}
        return self.named(min(holders, key=len), None) if len(surnames) == 1 and len(holders) <= 2 else None

    def is_body(self, speaker: str) -> bool:
        """Whether `speaker` is a body, not a person: named by a word for one ("the council", "Drovnia’s
        foreign ministry"), or by a single capitalised word no pronoun has stood for ("Castellan")."""
        name = speaker.split(",")[0]
        return _names_a_body(name) or (len(name.split()) == 1 and name[:1].isupper() and speaker not in self.pronouns)


_TITLED = re.compile(rf"\b({'|'.join(map(re.escape, GENDER_OF_TITLE))})(?<=\w|\.)\s+(?:[A-Z][\w’'\-]*\s+)?([A-Z][\w’'\-]*)")


def _untitled(name: str) -> str:
    """A name without the titles before it: "Ms. Okafor" -> "Okafor", so that it is a form of "Gov. Ruth
    Okafor"."""
    words = name.split()
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    return " ".join(words)


def _is_office_alone(description: str) -> bool:
    """Whether `description` is an office that one person holds: "(the) Secretary General of the
    alliance", but not "a Defense Ministry official", one of many, whose office words only qualify."""
    title = description.split(" of the ")[0].split()
    return bool(title) and title[0].lower() not in ("a", "an") and title[-1].capitalize() in _OFFICE_WORDS


def _office(description: str) -> frozenset[str]:
    """The words of office in a description of a person, before any "of the …" that names the body, in
    either case: "Secretary General of the Defense Alliance" -> {Secretary, General}, "the fire marshal" ->
    {Marshal}; none in "a European diplomat"."""
    title = description.split(" of the ")[0]
    return frozenset(word.capitalize() for word in title.split() if word.capitalize() in _OFFICE_WORDS)


def _by_office(speakers: list[str | None]) -> dict[str, str]:
    """Each office without a name among `speakers` ("the Secretary General of the alliance") mapped to
    the one named speaker whose office is just that ("the governor": "Gov. Ruth Okafor", not "Lt. Gov.
    Samuel Brandt"), else the one whose office has all its words, where there is exactly one."""
    offices = {speaker: _offices_of(speaker) for speaker in set(filter(None, speakers))}
    named = {speaker for speaker in offices if split_speaker(speaker)[1] or offices[speaker]}
    resolved = {}
    for speaker in set(offices) - named:
        if not _is_office_alone(speaker):
            continue
        office = _office(speaker)
        exact = [name for name in named if offices[name] == office]
        holders = exact or [name for name in named if office <= offices[name]]
        if len(holders) == 1:
            resolved[speaker] = holders[0]
    return resolved


def _by_description(speakers: list[str | None]) -> dict[str, str]:
    """Each description of one person without a name among `speakers` ("The study’s lead author") mapped
    to the one named speaker whose description has a part that begins with it ("Dr Ann Lee, a freshwater
    ecologist … and the study’s lead author"), where exactly one has. Not a body ("The club said" is not
    "Sarah Jones, the club’s manager") nor people in the plural ("the families")."""
    named = [speaker for speaker in set(filter(None, speakers)) if split_speaker(speaker)[1]]
    resolved = {}
    for speaker in set(filter(None, speakers)) - set(named):
        described = re.fullmatch(r"[Tt]he\s+(?P<words>[a-z][^,]*)", speaker)
        head = speaker.split()[-1].lower()
        if described is None or head in _NOT_PEOPLE or (head.endswith("s") and not head.endswith("ss")):
            continue
        # "the cabinet member" begins "cabinet member for leisure"; "the club" does not begin "the club’s manager".
        part = re.compile(rf"(?:^|\band\s|,\s)(?:(?:the|a|an)\s+)?{re.escape(described.group('words'))}(?![\w’'])", re.IGNORECASE)
        holders = [name for name in named if part.search(split_speaker(name)[1] or "")]
        if len(holders) == 1:
            resolved[speaker] = holders[0]
    return resolved


def _with_initials(speakers: list[str | None]) -> dict[str, str]:
    """A body named once with its initials ("Environment Agency (EA)") and elsewhere without them ("the
    Environment Agency", "the EA") mapped to the form with them: one body, one speaker."""
    forms = {}
    for speaker in filter(None, speakers):
        initials = re.search(rf"{_INITIALS}$", speaker)
        if initials:
            name = speaker[: initials.start()]
            letters = initials.group().strip()[1:-1]
            for form in (name, f"the {name}", f"The {name}", letters, f"the {letters}", f"The {letters}"):
                forms.setdefault(form, speaker)
    return forms


def _offices_of(speaker: str) -> frozenset[str]:
    """The words of office of a named speaker: of their description, of the offices before their name
    ("Minister for Health Declan Moriarty" -> {Minister}), and of the abbreviated titles there ("Gov. Ruth
    Okafor" -> {Governor})."""
    name, description = split_speaker(speaker)
    words = name.split()[:-1]
    # British copy drops the dots ("Det Insp Fiona Gallacher"): a title without one counts where only
    # titles come before it, since a name's first word may be spelt like one.
    leading = len(list(itertools.takewhile(lambda word: word.rstrip(".") in TITLES_SPELT_OUT, words)))
    titles = {
        TITLES_SPELT_OUT.get(word.rstrip("."), "") for number, word in enumerate(words) if word.endswith(".") or number < leading
    }
    # Not "The chief executive", an office without a name, nor "Prime Minister of the Northern Isles", an
    # office and where it is held.
    title = name.split(" of the ")[0].split()
    nameless = re.match(rf"{_DETERMINER}\s", name) or all(word in _OFFICE_WORDS for word in title)
    before_name = frozenset() if nameless else _office(" ".join(words))
    return _office(description or "") | before_name | (titles & _OFFICE_WORDS)


def _fullest_forms(speakers: list[str | None]) -> dict[str, str]:
    """Each form of a person's name among `speakers` mapped to the fullest one, so that one person is named
    alike throughout: "Daniel Corrigan" to "Daniel Corrigan, Minister for Emergency Services". Only names
    count, not descriptions ("a union spokesperson"); forms with different first names, or titles of
    different gender ("Mr Smith", "Mrs Smith"), are different people and are left apart. Of equally full
    forms, the first the article gives wins."""
    by_surname: dict[str, list[str]] = {}
    for speaker in dict.fromkeys(filter(None, speakers)):
        name = split_speaker(speaker)[0]
        if name[:1].isupper() and not re.match(rf"{_DETERMINER}\s", name) and not BODY_WORD.search(name):
            by_surname.setdefault(name.split()[-1], []).append(speaker)
    fullest = {}
    for forms in by_surname.values():
        names = [split_speaker(form)[0].split() for form in forms]
        first_names = {words[0] for words in names if len(words) > 1 and words[0] not in TITLES}
        genders = {GENDER_OF_TITLE[words[0]] for words in names if words[0] in GENDER_OF_TITLE}
        if len(first_names) > 1 or len(genders) > 1:
            continue
        best = max(forms, key=lambda form: (split_speaker(form)[1] is not None, len(form)))
        fullest.update(dict.fromkeys(forms, best))
    return fullest


def find_speakers(article: Article) -> list[str | None]:
    """The speaker of every sentence of `article` (None where no one is quoted or reported)."""
    speakers, named_again = _find_speakers(article)
    by_office = _by_office(speakers)
    by_description = _by_description(speakers)
    speakers = [
        by_office.get(speaker) or named_again.get(speaker) or by_description.get(speaker) or speaker if speaker else None
        for speaker in speakers
    ]
    with_initials = _with_initials(speakers)
    speakers = [with_initials.get(speaker, speaker) if speaker else None for speaker in speakers]
    fullest = _fullest_forms(speakers)
    return [fullest.get(speaker, speaker) if speaker else None for speaker in speakers]


_PARTICIPLE_OPENING = re.compile(r"[A-Z][a-z]+(?:ed|ing)\s+(?:by|in|on|at|to|about|for|after|from|with|outside)\b[^,\"“”‘]*,\s+")
# "Asked by Blue Chorus how he hoped to be remembered, Mr. Stone said": the subject follows the opening phrase.
# A sentence about someone named before it (see `mentioned` in `_find_speakers`), unless its opening is in
# apposition to a name: "His lawyer, John Roe, filed a motion."
_OPENING_PRONOUN = {"He": "he", "His": "he", "She": "she", "Her": "she"}
_ABOUT_SOMEONE_BEFORE = re.compile(r"(?P<pronoun>He|She|His|Her)\b(?!\s+(?:[a-z]+\s+){0,2}[a-z]+,\s+[A-Z])")
# Not "to", "by" or "on": "The award went to Gareth Lloyd. “…,” he said." is Lloyd speaking.
_AFTER_PREPOSITION = re.compile(r"\b(?:for|with|against|about|than|over)\s+$")
# Looked for just before each name, not in all the sentence before it, which for a sentence of many
# names would be read again for each.
_PREPOSITION_REACH = 12


def _person_named(sentence: str, people: _People) -> str | None:
    """The first name in `sentence` that looks like a person's, in full: one of a first name and a surname
    or a title and one ("Gareth Lloyd", "Mr Khan"), or a surname the article gives such a name for; not
    a name of one word alone, which may as well be a country or a body, nor a body's or a place's, nor
    one joined by "of" ("Shares of Kestrel", though "Tomasz Nowak of Coastline Partners" is Nowak); nor one in an opening phrase before the subject ("Asked by
    Blue Chorus how he hoped to be remembered, Mr. Sable said …")."""
    opening = _PARTICIPLE_OPENING.match(sentence)
    for match in _NAME_RE.finditer(sentence, opening.end() if opening else 0):
        name = _person_at(match.group())[0]  # "Tomasz Nowak of Coastline Partners" is Nowak
        # "… was just as pleased for Pugh": the name after a preposition is not who the sentence is about.
        if _AFTER_PREPOSITION.search(sentence[max(0, match.start() - _PREPOSITION_REACH) : match.start()]):
            continue
        full = people.full_names.get(name.split()[-1], name)
        if (
            len(full.split()) >= 2
            and full.split()[-1] not in _OFFICE_WORDS
            and not BODY_WORD.search(full)
            and not re.search(r"\s(?:of|for|and|the)\s", full)
        ):
            return people.named(name, None)
    return None


_HEAD_END = re.compile(r"\s+(?:for|of|at|from|with|in|on|who|whose|which)\s+")
_INDEFINITE = re.compile(r"[Aa]n?\s")
_DOCUMENT_MENTIONED = re.compile(rf"\b(?:[Aa]n?|its|their|his|her)\s+(?:{_LOWER}\s+)?({_DOCUMENT_NOUN})\b")


def _described(speaker: str) -> str | None:
    """The noun a speaker is first described by, "spokesperson" of "a spokesperson for the company" or of
    "Jo Reyes, a spokesperson for …"; None for a speaker not described so."""
    description = speaker.split(", ", 1)[-1]
    return _head_noun(description) if _INDEFINITE.match(description) else None


def _head_noun(description: str) -> str | None:
    """The word a description ends in before what qualifies it: "engineer" of "the chief engineer on the
    project", "spokesperson" of "a spokesperson for the company"."""
    words = _HEAD_END.split(description)[0].split()
    return words[-1].lower() if words else None


def description_head(speaker: str) -> str | None:
    """The head of a speaker's description (`_head_noun`): "engineer" of "Tomasz Nowak, the chief engineer
    on the project"; None for a speaker without a description."""
    description = split_speaker(speaker)[1]
    return _head_noun(description) if description else None


def _referred_back(
    speaker: str,
    described: dict[str, str],
    authors: dict[str, list[tuple[str, int]]],
    people: _People,
    before: int,
    sentence: int,
) -> str:
    """A speaker referred to again in short, as the article first gave them: "the statement" as the author
    of the statements the two sentences before mention, else of all those mentioned so far, if they have
    one; "the spokesperson" as the latest speaker described as one ("A government spokesperson", "Jo Reyes,
    a spokesperson for …")."""
    document = _DOCUMENT_ALONE.fullmatch(speaker)
    if document:
        mentions = authors.get(document.group("noun"), [])
        recent = {author for author, at in mentions if at >= sentence - _DOCUMENT_REACH}
        every = recent or {author for author, _ in mentions}
        return every.pop() if len(every) == 1 else speaker
    again = _DESCRIBED_AGAIN.fullmatch(speaker)
    if again is None:
        return speaker
    # "The captain" after "Harbour City's captain, Jamie Rourke,": the one the article describes so.
    return described.get(again.group("head")) or people.holder_of(again.group("head"), before) or speaker


# Members of parliaments and a company's chiefs, by their initials: people, where "the FBI" is a body.
_MEMBER_ACRONYMS = frozenset({"MP", "MPs", "MEP", "MSP", "MLA", "MPP", "TD", "CEO", "CFO"})


def _described_anew(speaker: str) -> bool:
    """Whether `speaker` is someone news has just named, named again by another description: "the Dublin
    Bay North TD", "the Wales head coach", "the 45-year-old". A name or an age in it tells the writer knows
    who; someone new would be introduced by name. Not "the boy’s father", not "the driver"."""
    words = speaker.split()
    if len(words) < 2 or words[0].lower() != "the" or re.search(r"[’']", speaker):
        return False
    head = words[-1]
    if head in _MEMBER_ACRONYMS or re.fullmatch(r"\d{1,3}-year-old", head):
        return True
    # "the Attorney General" is an office, named by its own words.
    return head.lower() in ROLE_NOUNS and any(word[:1].isupper() and word not in _OFFICE_WORDS for word in words[1:-1])


def _may_be_described_so(person: str, description: str) -> bool:
    """Whether `person` may be the one `description` (`_described_anew`) names again: nothing the article
    gave them differs. "Ann Lee, the Labour MP" is no "the Conservative MP", an analyst no "the CEO",
    "Councillor Ann Lee" no "the Cork North TD"."""
    words = description.split()[1:]
    known = split_speaker(person)[1]
    if known:
        known_words = set(known.lower().split())
        return all(word.lower() in known_words for word in words if word[:1].isupper() or word is words[-1])
    offices = _offices_of(person)
    return not offices or words[-1].capitalize() in offices


def _documents_in(sentence: str, speaker: str | None) -> list[tuple[str, str]]:
    """The documents `sentence` mentions, as (noun, author): "a study by X" is X's, and "a statement" in
    a sentence whose speaker is X ("X said in a statement") is X's too."""
    authored = [
        (noun.group(), match.group("author"))
        for match in _AUTHORED.finditer(sentence)
        if (noun := re.search(_DOCUMENT_NOUN, match.group()))
    ]
    if speaker and not _DOCUMENT_ALONE.fullmatch(speaker):
        for noun in _DOCUMENT_MENTIONED.findall(sentence):
            if all(noun != known for known, _ in authored):
                authored.append((noun, speaker))
    return authored


def _nearest(acting: str | None, previous: str | None, named: list[str | None]) -> list[str | None]:
    """Whom a sentence that points back without a name ("he said", "the Wales head coach said") may mean:
    the one quoted before whom the sentence before is about, if nobody spoke in it; else whoever this
    paragraph quoted last; else `named`, the people named just before."""
    return [acting] if acting else [previous] if previous else named


def _find_speakers(article: Article) -> tuple[list[str | None], dict[str, str | None]]:
    """The speaker of every sentence as its attribution gives them, and the person each description
    that names someone again ("the Wales head coach") stands for."""
    people = _People(article)
    speakers: list[str | None] = []
    named_again: dict[str, str | None] = {}
    spoken: list[str] = []  # every speaker so far, latest last
    # Who put out each document of each kind the article has mentioned so far, and in which sentence.
    authors: dict[str, list[tuple[str, int]]] = {}
    described: dict[str, str] = {}  # the latest speaker first described by each noun ("spokesperson")
    continued: str | None = None  # who speaks on where the last paragraph ended
    # Who the last paragraph named last, if nobody spoke after, with the pronoun that cannot mean them (see below).
    introduced: list[tuple[str, str | None]] = []
    for paragraph in article.paragraphs:
        previous: str | None = None
        # People this paragraph has named so far, latest last, each with the pronoun that cannot mean them: a
        # sentence that opens with "He" or "His …" goes on about someone named before, so a "he said" after
        # it is not whoever it names ("His recovery coincided with his marriage to the poet Ina Morrow. “…,”
        # he said."), while a "she said" may be ("He handed the award to Jo Ruiz. “…,” she said.").
        mentioned: list[tuple[str, str | None]] = []
        acting: str | None = None  # the one quoted before whom the sentence before is about, if nobody spoke in it
        for index in range(paragraph.first_sentence, paragraph.last_sentence):
            sentence = article.sentence_text(index)
            found = _explicit_speaker(sentence)
            speaker: str | None = None
            if found and _PRONOUN_RE.fullmatch(found[0]):
                # "he said" is the person just quoted in this paragraph; else the one it has just named
                # ("Gareth Lloyd spent the evening wading. ‘…,’ he said."), or the paragraph before
                # introduced; else the last one quoted. A person known as "she" is passed over for "he".
                # "“…,” said Brent. Mr Pike disagreed. “…,” he said.": the one the sentence before is
                # about, where nobody spoke in it, comes before whoever was quoted.
                pronoun = found[0].lower()
                named = [person for person, not_them in mentioned or introduced if not_them != pronoun]
                speaker = people.by_pronoun(found[0], spoken + _nearest(acting, previous, named))
            elif found:
                resolved = people.resolve(*found)
                speaker = _referred_back(resolved, described, authors, people, article.sentences[index].end, index)
                if speaker == resolved and found[1] is None and _described_anew(found[0]):
                    # "Aoife Kinsella said …. “…,” the Dublin Bay North TD said.": whoever was just quoted
                    # or named, if a person, and if no one named holds the office (see `find_speakers`).
                    named = [person for person, _ in mentioned or introduced][-1:] or speakers[-1:]
                    nearest = _nearest(acting, previous, named)
                    person = next((who for who in nearest if who and not people.is_body(who) and who[:1].isupper()), None)
                    if person and _may_be_described_so(person, found[0]):
                        # Said of two people in one article, a description is left as it is for both.
                        named_again[speaker] = person if named_again.get(speaker, person) == person else None
            elif _IT_SAID.search(sentence) and previous and people.is_body(previous):
                # "Castellan said in a statement … It said it had financing": the body just quoted.
                speaker = previous
            elif opens_with_quotation(sentence):
                # A quotation without attribution goes on with its speaker: the one of this paragraph,
                # or, at a paragraph's start, the one quoted where the last paragraph ended.
                speaker = previous or (continued if index == paragraph.first_sentence else None)
            speakers.append(speaker)
            for noun, author in _documents_in(sentence, speaker):
                authors.setdefault(noun, []).append((author, index))
            if speaker:
                spoken.append(speaker)
                noun = _described(speaker)
                if noun:
                    described[noun] = speaker
            previous = speaker or previous
            person = _person_named(sentence, people)
            if person:
                opening = _ABOUT_SOMEONE_BEFORE.match(sentence)
                mentioned.append((person, _OPENING_PRONOUN[opening.group("pronoun")] if opening else None))
            # Only someone already quoted: "Mr Pike disagreed." answers back, "Harry Kane scored twice" does not.
            opening = None if speaker else _NAME_RE.match(sentence)
            acting = _person_named(opening.group(), people) if opening else None
            acting = acting if acting in spoken else None
        introduced = mentioned[-1:] if paragraph.last_sentence > paragraph.first_sentence and not speakers[-1] else []
        if paragraph.last_sentence > paragraph.first_sentence:
            last = article.sentence_text(paragraph.last_sentence - 1)
            quoted = has_quotation(last) or open_quotations(article.text[paragraph.start : paragraph.end]) > 0
            continued = speakers[-1] if quoted else None
    return speakers, named_again


def speaker_pronouns(sentences: Sequence[str], speakers: Sequence[str | None]) -> dict[str, str]:
    """The pronoun the article uses for each speaker ("he" or "she"), where it tells: by a title ("Ms
    Okafor"), a description ("a spokeswoman for …"), or a "he said" or "she added" attributed to them. A
    speaker called both is left out."""
    found: dict[str, set[str]] = {}
    for sentence, speaker in zip(sentences, speakers):
        if not speaker:
            continue
        explicit = _explicit_speaker(sentence)
        told = {explicit[0].lower()} & {"he", "she"} if explicit else set()
        name, description = split_speaker(speaker)
        # The title of the name as the speaker is known or as this sentence gives it ("Ms Yusuf told").
        pronoun = _pronoun_told((name, explicit[0] if explicit else ""), description)
        found.setdefault(speaker, set()).update(told | {pronoun} - {None})
    return {speaker: next(iter(told)) for speaker, told in found.items() if len(told) == 1}


DIRECT = "direct"
REPORTED = "reported"


def speech_kind(sentence: str, speaker: str | None) -> str | None:
    """How `sentence` gives its speaker's words: DIRECT when it quotes them in quotation marks (a bare
    quotation continuing its speaker too), REPORTED when it tells what they said in the writer's words,
    None when nobody speaks in it."""
    if speaker is None:
        return None
    return DIRECT if has_quotation(sentence) or opens_with_quotation(sentence) else REPORTED


def split_speaker(speaker: str) -> tuple[str, str | None]:
    """A speaker as (name, office): "Federal Foreign Minister Jane Doe" -> ("Jane Doe", "Federal Foreign
    Minister"). A description ("a European diplomat"), an office alone ("Secretary General of the
    alliance") or a bare name has no office."""
    if ", " in speaker:
        # "Maria Lopez, a spokeswoman for the agency": the description after the comma is the role.
        head, description = speaker.split(", ", 1)
        name, office = split_speaker(head)
        return name, f"{office}, {description}" if office else description
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
    connector = words[name_start - 1]
    if connector.islower():
        # No office ends in "of": in "Governor Ann Lee of Ohio" the name stands before it and where the office
        # is after it. Without an office before that, the words are taken whole: "Bank of England" is no
        # "England", nor "Analyst Laura Birch of Peel Hunt" a "Peel Hunt".
        name, office = split_speaker(" ".join(words[: name_start - 1]))
        return (name, f"{office} {connector} {' '.join(words[name_start:])}") if office else (speaker, None)
    return " ".join(words[name_start:]), " ".join(words[:name_start])
