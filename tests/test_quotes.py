"""Who said what, on this article and on a made-up one with other names and patterns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.article import parse_article, read_article
from qa.quotes import find_speakers, speaker_pronouns, speaker_words, speech_kind, split_speaker

from conftest import ARTICLE

STOLTENBERG = "NATO Secretary General Jens Stoltenberg"


@pytest.fixture(scope="module")
def speakers_by_start():
    article = read_article(ARTICLE)
    speakers = find_speakers(article)
    return {article.sentence_text(i)[:40]: speaker for i, speaker in enumerate(speakers)}


@pytest.mark.parametrize(
    ("sentence_start", "speaker"),
    [
        ("After a crisis meeting of NATO foreign m", STOLTENBERG),  # the office alone, one holder
        ("“The risk of conflict is real,” said NAT", STOLTENBERG),  # inverted attribution
        ("“Russia’s aggressive actions seriously u", STOLTENBERG),  # "he added"
        ("NATO will take part in “a sincere and fu", STOLTENBERG),  # surname resolved to the full name
        ("The ministers had emphasized that any fu", STOLTENBERG),  # reported, "said X" wins over subject
        ("According to a European diplomat, the ai", "a European diplomat"),
        ("“The purpose of the meeting is twofold: ", "a European diplomat"),  # "he said" after "According to"
        ("Alluding to the upcoming meeting, Federa", "Federal Foreign Minister Annalena Baerbock"),
        ("“It tries to push back NATO and wants to", STOLTENBERG),  # a bare quotation continues its speaker
        ("They are surprised at the actions of the", "an Eastern European diplomat"),
        ("This included economic sanctions, among ", None),
        ("The positions within the alliance diverg", None),
    ],
)
def test_speakers_of_the_article(speakers_by_start, sentence_start, speaker):
    assert speakers_by_start[sentence_start] == speaker


def test_speakers_in_another_article():
    text = (
        "Storm Hits Coast\n\n"
        "Mayor Ana Lopez visited the harbour on Sunday. “We will rebuild,” Lopez said. "
        "“Every family will get help.”\n\n"
        "The weather service issued a warning, a spokesman told reporters. Rain fell all night.\n\n"
        "“It was terrifying,” said a local fisherman. She added that the port would reopen soon.\n\n"
        "The officials have said no to a new pier. Turkey speaks openly about a partnership.\n"
    )
    article = parse_article(text, "storm")
    speakers = find_speakers(article)
    by_sentence = {article.sentence_text(i): s for i, s in enumerate(speakers)}
    assert by_sentence["“We will rebuild,” Lopez said."] == "Mayor Ana Lopez"
    assert by_sentence["“Every family will get help.”"] == "Mayor Ana Lopez"
    assert by_sentence["The weather service issued a warning, a spokesman told reporters."] == "a spokesman"
    assert by_sentence["Rain fell all night."] is None
    assert by_sentence["“It was terrifying,” said a local fisherman."] == "a local fisherman"
    assert by_sentence["She added that the port would reopen soon."] == "a local fisherman"
    assert by_sentence["The officials have said no to a new pier."] == "The officials"
    assert by_sentence["Turkey speaks openly about a partnership."] == "Turkey"


@pytest.mark.parametrize(
    ("others", "speaker"),
    [("", "Prime Minister Eva Berg"), ("Prime Minister Jon Dahl said so too. ", "Prime Minister of the Northern Isles")],
    ids=["one-holder", "two-holders"],
)
def test_an_office_without_a_name_is_its_one_holder(others, speaker):
    text = (
        "Island talks\n\n"
        "After the vote, the Prime Minister of the Northern Isles warned of delays. “We will wait,” said Prime "
        "Minister Eva Berg. "
        f"{others}Rain fell.\n"
    )
    article = parse_article(text, "island")
    assert find_speakers(article)[0] == speaker


@pytest.mark.parametrize(
    ("speaker", "name", "role"),
    [
        ("NATO Secretary General Jens Stoltenberg", "Jens Stoltenberg", "NATO Secretary General"),
        ("Federal Foreign Minister Annalena Baerbock", "Annalena Baerbock", "Federal Foreign Minister"),
        ("U.S. Secretary of State Ann Lee", "Ann Lee", "U.S. Secretary of State"),
        ("Sweden’s Prime Minister Eva Berg", "Eva Berg", "Sweden’s Prime Minister"),
        ("Mayor Ana Lopez", "Ana Lopez", "Mayor"),
        ("Ana Lopez", "Ana Lopez", None),
        ("Stoltenberg", "Stoltenberg", None),
        ("an Eastern European diplomat", "an Eastern European diplomat", None),
        ("The officials", "The officials", None),
        ("Secretary General of the Defense Alliance", "Secretary General of the Defense Alliance", None),
        ("NATO", "NATO", None),
        ("Governor Ann Lee of Ohio", "Ann Lee", "Governor of Ohio"),
        # No office ends in "of": without one before the name, the words are a name whole.
        ("Bank of England", "Bank of England", None),
        ("Analyst Laura Birch of Peel Hunt", "Analyst Laura Birch of Peel Hunt", None),
    ],
)
def test_speaker_splits_into_name_and_office(speaker, name, role):
    assert split_speaker(speaker) == (name, role)


@pytest.mark.parametrize(
    ("sentence", "speaker", "kind"),
    [
        ("“We will rebuild,” Lopez said.", "Ana Lopez", "direct"),
        ('"We will rebuild," Lopez said.', "Ana Lopez", "direct"),
        ("He added that Russia “has a great deal to lose”.", "Jens Stoltenberg", "direct"),  # words of theirs
        ("According to Lopez, the port will reopen.", "Ana Lopez", "reported"),
        ("Lopez said the port would reopen soon.", "Ana Lopez", "reported"),
        ("Rain fell all night.", None, None),
    ],
)
def test_each_statement_is_a_direct_quote_or_reported_speech(sentence, speaker, kind):
    assert speech_kind(sentence, speaker) == kind


def test_an_official_of_a_ministry_is_not_its_minister():
    text = (
        "Defense talks\n\nDefense Minister Eva Berg opened the talks on Monday. "
        "“The plan is sound,” said a Defense Ministry official.\n"
    )
    article = parse_article(text, "defense")
    assert find_speakers(article)[1] == "a Defense Ministry official"


NEWS = (
    "Council backs river plan\n\n"
    "The Home Secretary, Helen Marsh, said: 'We will act. Nobody should wait this long.'\n\n"
    "'It is too little, too late,' said Mr Omar Khan, who runs a shop on Mill Street.\n\n"
    "Maria Lopez, a spokeswoman for the river agency, said the work would start in May. "
    "Lopez said the cost was not yet known.\n\n"
    "Sen. Robert Hale, a Democrat, called the plan \"a good start\" on Tuesday. "
    "\"We asked for years, and nobody listened.\n\n"
    "\"Now the money is here,\" Hale said in a statement.\n\n"
    "The Northern Trades Council, which represents the builders, said the jobs were welcome. "
    "\"We are ready,\" the council said.\n\n"
    "Judge Ann Roe ruled that the permit was valid. Mr Tom Lee, the agency's lawyer, said the ruling was fair.\n\n"
    "She warned that the case could return to court. Some farmers said the payments were too small.\n\n"
    "Sir Martin Pryce will lead the inquiry. Sir Martin told the BBC that he would meet the farmers. "
    "Acme, the builder, said the caps amounted to a ban.\n"
)


@pytest.fixture(scope="module")
def news_speakers():
    article = parse_article(NEWS, "news")
    speakers = find_speakers(article)
    return {article.sentence_text(i): (s, speech_kind(article.sentence_text(i), s)) for i, s in enumerate(speakers)}


@pytest.mark.parametrize(
    ("sentence_start", "speaker", "kind"),
    [
        # An office, then the name in apposition; single quotation marks, the quotation kept whole.
        ("The Home Secretary, Helen Marsh, said: 'We will act.", "Home Secretary Helen Marsh", "direct"),
        # Inverted after a single closing quote; a title that tells "he" from "she".
        ("'It is too little, too late,' said Mr Omar Khan", "Mr Omar Khan", "direct"),
        # A description in apposition stays with the name, and with every later mention of it.
        ("Maria Lopez, a spokeswoman for the river agency, said", "Maria Lopez, a spokeswoman for the river agency", "reported"),
        ("Lopez said the cost", "Maria Lopez, a spokeswoman for the river agency", "reported"),
        # An abbreviated title is part of the name; naming something in quoted words is saying them.
        ("Sen. Robert Hale, a Democrat, called the plan", "Sen. Robert Hale, a Democrat", "direct"),
        # A quotation that runs on into the next paragraph keeps its speaker.
        ("\"We asked for years", "Sen. Robert Hale, a Democrat", "direct"),
        # A body named in full, then as "the council"; a relative clause between subject and verb.
        ("The Northern Trades Council, which represents", "Northern Trades Council", "reported"),
        ("\"We are ready,\" the council said.", "Northern Trades Council", "direct"),
        # "She" in the next paragraph is the judge, not the man quoted since.
        ("She warned that the case", "Judge Ann Roe", "reported"),
        ("Some farmers said", "Some farmers", "reported"),
        # "Sir Martin" is short for the one longer name; "told the BBC" names the listener, not a speaker.
        ("Sir Martin told the BBC", "Sir Martin Pryce", "reported"),
        # ", said the caps amounted to …" names what was said, not who said it.
        ("Acme, the builder, said the caps", "Acme, the builder", "reported"),
        ("Judge Ann Roe ruled", "Judge Ann Roe", "reported"),
    ],
)
def test_speakers_in_the_ways_news_is_written(news_speakers, sentence_start, speaker, kind):
    matches = [value for sentence, value in news_speakers.items() if sentence.startswith(sentence_start)]
    assert matches == [(speaker, kind)]


def _speakers_of_sentences_starting(text: str, sentence_start: str) -> list[str | None]:
    """The speakers found for the sentences of the made-up article `text` that start so."""
    article = parse_article(text, "made-up")
    speakers = find_speakers(article)
    return [speakers[i] for i in range(len(speakers)) if article.sentence_text(i).startswith(sentence_start)]


NEWS_MORE = (
    "Summit ends\n\n"
    "Foreign Minister Eleni Vardaki, who chaired the session, said the breakthrough came after midnight. "
    "A senior U.S. official told reporters that Washington welcomed the deal. Germany’s deputy economy "
    "minister, Lukas Brenner, cautioned that the cost was “a floor, not a ceiling”. The talks will resume "
    "in May, according to a statement issued by the Greek government.\n\n"
    "Gareth Lloyd, 34, a bus driver who lives on Church Hill, spent the evening wading from door to door. "
    "‘I had waders in the shed,’ he said.\n\n"
    "Dana Kowalczyk, the head coach, has no doubts. She argued that the programme worked, a choice she "
    "admitted had been unpopular.\n\n"
    "The fire started at 412 Maple St., near the corner, the fire marshal said. “It was set,” said City Fire "
    "Marshal Dana Okonjo. Rebecca Hollins, Swiftline’s chief executive, said the cuts were needed. The "
    "Centers for Medicare & Medicaid Services said it would review the study.\n\n"
    "\"People just turned up with vans,\" said club secretary Priya Shah. \"Nobody asked them to.\"\n\n"
    "“I’ve bought my bread there for years,” said retired teacher Helen Ward, 74. Fire service spokeswoman "
    "Mia Ross said the bakery had passed its inspection. Water had seeped beneath the wall, according to a "
    "preliminary report seen by this newspaper.\n\n"
    "Customers in Harrogate, where the first branch opened, said they were saddened.\n\n"
    "Waits in the East of England were longest. The total rose to 7.9 million, according to figures from NHS "
    "England. Talks began in January, according to people familiar with the matter.\n\n"
    "“Regulators will look hard at it,” said analyst Kim Soto of Bernstein. Soto said the price was fair. "
    "The Ohio Department of Transportation said it would study the plan.\n"
)


@pytest.mark.parametrize(
    ("sentence_start", "speaker"),
    [
        # ", said the breakthrough came after midnight" names what was said, not who said it.
        ("Foreign Minister Eleni Vardaki, who chaired", "Foreign Minister Eleni Vardaki"),
        ("A senior U.S. official told reporters", "A senior U.S. official"),
        # An office with a possessive before the name in apposition.
        ("Germany’s deputy economy minister, Lukas Brenner", "Lukas Brenner, Germany’s deputy economy minister"),
        ("The talks will resume in May", "the Greek government"),
        # "he" is the man the paragraph has just named, though someone else was quoted before.
        ("‘I had waders in the shed,’ he said.", "Gareth Lloyd, a bus driver"),
        # "a choice she admitted" is no speaker: "she" is the coach the paragraph named.
        ("She argued that the programme worked", "Dana Kowalczyk, the head coach"),
        # "St." ends no sentence; an office named without its holder is the one person who holds it.
        ("The fire started at 412 Maple St., near the corner", "City Fire Marshal Dana Okonjo"),
        ("Rebecca Hollins, Swiftline’s chief executive", "Rebecca Hollins, Swiftline’s chief executive"),
        ("The Centers for Medicare & Medicaid Services", "Centers for Medicare & Medicaid Services"),
        # A description in lower case before the name, after the verb or at the sentence's start.
        ("\"People just turned up", "Priya Shah, club secretary"),
        # Nobody is nobody's name: the quotation goes on in the words of the one quoted before it.
        ("\"Nobody asked them to.\"", "Priya Shah, club secretary"),
        ("“I’ve bought my bread", "Helen Ward, retired teacher"),
        ("Fire service spokeswoman", "Mia Ross, Fire service spokeswoman"),
        ("Water had seeped beneath the wall", "a preliminary report"),
        # The place after "in" is where the customers are, not who speaks.
        ("Customers in Harrogate", "Customers in Harrogate"),
        # A longer name with the same last word is another's: NHS England is not the East of England.
        ("The total rose to 7.9 million", "NHS England"),
        ("Talks began in January", "people familiar with the matter"),
        # A person and where they work, named alike when the surname comes alone; but a body is whole.
        ("“Regulators will look hard", "Kim Soto, analyst of Bernstein"),
        ("Soto said the price was fair", "Kim Soto, analyst of Bernstein"),
        ("The Ohio Department of Transportation", "Ohio Department of Transportation"),
    ],
)
def test_more_ways_news_is_written(sentence_start, speaker):
    matches = _speakers_of_sentences_starting(NEWS_MORE, sentence_start)
    assert matches == [speaker]


def test_a_speaker_in_apposition_splits_into_name_and_description():
    assert split_speaker("Maria Lopez, a spokeswoman for the river agency") == (
        "Maria Lopez",
        "a spokeswoman for the river agency",
    )
    assert split_speaker("NATO Secretary General Jens Stoltenberg, a Norwegian") == (
        "Jens Stoltenberg",
        "NATO Secretary General, a Norwegian",
    )


def test_abbreviated_titles_are_spelt_out_for_matching_questions():
    assert speaker_words("Gov. Ann Lee, a Democrat") == "Gov. Governor Ann Lee, a Democrat"
    assert speaker_words("Dr Jane Hill") == "Dr Doctor Jane Hill"


NEWS_DIR = Path(__file__).parent / "data" / "news"
NEWS_SETS = sorted((NEWS_DIR / "speakers").glob("*.jsonl"))


def test_speakers_of_news_articles_labelled_by_someone_else():
    """Every sentence that quotes or reports someone in fifty-one news articles of different house styles,
    labelled by writers who had not seen this code (the articles were then used to improve it, so the
    figures are not blind; see the README for the figures before). At least 90% get the right speaker and the right kind of speech, and no
    sentence without speech gets a speaker."""
    labelled_sentences = right_speaker = right_kind = 0
    for labels in NEWS_SETS:
        article = read_article(NEWS_DIR / f"{labels.stem}.txt")
        speakers = find_speakers(article)
        labelled = set()
        rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            (sentence,) = [i for i in range(len(article.sentences)) if row["contains"] in article.sentence_text(i)]
            labelled.add(sentence)
            speaker = speakers[sentence]
            right_speaker += speaker is not None and row["speaker"].lower() in speaker.lower()
            right_kind += speech_kind(article.sentence_text(sentence), speaker) == row["speech"]
        labelled_sentences += len(rows)
        assert [i for i, speaker in enumerate(speakers) if speaker and i not in labelled] == []
    assert len(NEWS_SETS) == 51
    assert right_speaker >= 0.9 * labelled_sentences
    assert right_kind >= 0.9 * labelled_sentences


REFERRED_BACK = (
    "Water report\n\n"
    "Levels fell by a third, according to a study Ana Ruiz published last year. "
    "Leaks rose by 4%, according to figures from the Water Regulation Authority.\n\n"
    "A government spokesperson said the fund would grow. \"We are listening,\" the spokesperson said.\n\n"
    "Jo Reyes, a spokeswoman for the water company, said prices would hold. \"No rise this year,\" the spokeswoman added.\n\n"
    "In a statement, the Anglers' Trust said the rivers were dying. \"Act now,\" the statement said.\n\n"
    "Tom Hale said in an emailed report that costs rose. The Farmers' Union said in a report that wells ran dry. "
    "\"The worst in memory,\" the report said.\n"
)


@pytest.mark.parametrize(
    ("sentence_start", "speaker"),
    [
        ("Levels fell by a third", "Ana Ruiz"),  # a document by a named person is theirs
        ("Leaks rose by 4%", "Water Regulation Authority"),
        ("\"We are listening,\"", "A government spokesperson"),  # described in short, as first described
        ("\"No rise this year,\"", "Jo Reyes, a spokeswoman for the water company"),
        ("\"Act now,\"", "Anglers' Trust"),  # the statement, of the one who made it
        ("\"The worst in memory,\"", "the report"),  # two bodies' reports so far: whose is not told
    ],
)
def test_a_speaker_referred_to_in_short_is_named_as_first_given(sentence_start, speaker):
    assert _speakers_of_sentences_starting(REFERRED_BACK, sentence_start) == [speaker]


MORE_WAYS = (
    "Club sacks manager\n\n"
    "But Sophie Marsh, 23, said the squad was not good enough. Captain Jo Fenwick also paid tribute, saying "
    "the players had 'let the boss down'.\n\n"
    "Agent Tom Kell said his client would be back. 'He is a fighter,' Kell said.\n\n"
    "The Minister for Sport, Ann Corr, said clubs needed help. 'We will act,' Ms Corr said.\n\n"
    "For Ann Lowe, a fan, the numbers are beside the point. 'I cried,' she said. While Vexa Ltd said it "
    "would bid, no offer was made.\n\n"
    "Doctors Without Borders said the camp was full. The Attorney General said the law was clear. A union "
    "spokesperson said pay was low. A government spokesperson said talks would go on. 'We are listening,' "
    "the spokesperson added.\n\n"
    "Gary Doyle himself spoke on Sunday evening.\n\n"
    "In a message posted online, he wrote: 'I am proud of what we built.'\n\n"
    "According to Lumenor's own published guidance, scores are 'one signal among many'. The complaint, which "
    "seeks damages, says the district used the tool, called Check, on 14,000 essays.\n"
)


@pytest.mark.parametrize(
    ("sentence_start", "speaker"),
    [
        ("But Sophie Marsh, 23", "Sophie Marsh"),  # "But" opens the sentence, not the name
        ("Captain Jo Fenwick also paid tribute", "Captain Jo Fenwick"),  # "…, saying …"
        ("In a message posted online", "Gary Doyle"),  # "he", introduced in the paragraph before
        ("According to Lumenor's own", "Lumenor"),  # a possessive names its owner
        ("The complaint, which seeks damages", "The complaint"),  # not "the district used the tool"
        ("'We will act,' Ms Corr said", "Ann Corr, Minister for Sport"),  # one person, named alike throughout
        ("'I cried,' she said", "Ann Lowe, a fan"),  # a description, not the clause that follows it
        ("While Vexa Ltd said", "Vexa Ltd"),
        ("Doctors Without Borders said", "Doctors Without Borders"),  # "Without" may stand within a name
        ("The Attorney General said", "Attorney General"),  # an office, not a surname of another's
        ("A union spokesperson said", "A union spokesperson"),  # descriptions are not merged as names are
        ("'We are listening,'", "A government spokesperson"),  # the latest described so
    ],
)
def test_more_ways_news_names_a_speaker(sentence_start, speaker):
    assert _speakers_of_sentences_starting(MORE_WAYS, sentence_start) == [speaker]


MATCH_AND_METRO = (
    "Wales edge Italy\n\n"
    "‘We dug in,’ Owain Harries said.\n\n"
    "The fly-half was just as pleased for Dai Pugh. ‘He changed the game,’ he said.\n\n"
    "Their team manager, Stefano Gallo, told reporters that Italy would appeal. Leader of the Opposition Ravi "
    "Rao termed the plan “a pipe dream”.\n\n"
    "The state will bear 40% of the cost, officials said. “It was terrifying,” local residents said. Police "
    "said the road was closed. Jo Reyes met people said to be close to the minister.\n\n"
    "The fire started in a kitchen, according to the county's chief fire officer, Helen Marsh. A heater was "
    "to blame, according to the fire chief, Tom Reed. Campaign group Millbrook on Foot said the bridge should "
    "stay shut.\n\n"
    "The award went to Gareth Lloyd. “I am thrilled,” he said. On Sunday club chairman Paul Dean said the club "
    "was proud. Yesterday police said the road was shut. But officials said it would open.\n"
)


@pytest.mark.parametrize(
    ("sentence_start", "speaker"),
    [
        ("‘He changed the game", "Owain Harries"),  # "for Dai Pugh" is whom the sentence is about, not who
        ("Their team manager", "Stefano Gallo, their team manager"),
        ("Leader of the Opposition", "Leader of the Opposition Ravi Rao"),  # naming the plan in quoted words
        ("The state will bear", "officials"),  # people in the plural, without a determiner
        ("“It was terrifying", "local residents"),
        ("Police said", "Police"),
        ("Jo Reyes met", None),  # "said to be" is nobody speaking
        ("The fire started in a kitchen", "Helen Marsh, the county's chief fire officer"),  # not "the county"
        ("A heater was to blame", "Tom Reed, fire chief"),
        ("Campaign group Millbrook", None),
        ("“I am thrilled", "Gareth Lloyd"),  # after "to" a name is still whom "he" can mean
        ("On Sunday club chairman", "Paul Dean"),  # the sentence's opening words are no part of his role
        ("Yesterday police said", "police"),
        ("But officials said", "officials"),  # not "Foot": a name after "on" is what is spoken of, not who speaks
    ],
)
def test_groups_possessives_and_objects_in_attribution(sentence_start, speaker):
    assert _speakers_of_sentences_starting(MATCH_AND_METRO, sentence_start) == [speaker]


WIRE_AND_HONORIFICS = (
    "Bid rejected\n\n"
    '"The board concluded that the offer undervalues us," the company said in a statement. Owen Takacs, an '
    "analyst at Greyhill Securities, said the deal made strategic sense for Castellan, which wants to grow. "
    "Under the plan, the state will pay half, said Maria Lopez, a spokeswoman for the agency.\n\n"
    "Castellan Industries said in a statement that it was disappointed. It said it had financing in place.\n\n"
    "“We will not send soldiers where one of the two armies has told us they are not welcome,” Anna Halasz "
    "said. Drovnia’s foreign ministry said it had not ruled out a mission. A senior aide who was not "
    "authorized to speak publicly about the talks said a delay was likely. Supporters say the bill is the "
    "last chance.\n\n"
    "Gov. Ruth Okafor lost the vote. “I may have misjudged the calendar,” Ms. Okafor said. The governor said "
    "the Senate would sit through the weekend.\n\n"
    "“It is a pay cut,” said Mr Gary Pike. “The offer is fair,” said Joanna Brent, a spokeswoman for First Bus. "
    "Mr Pike disagreed. “It is nothing of the sort,” he said. “It is late,” said Rovers chief executive Steve "
    "Waggott. Jordan Pickford made three fine saves. “We will regroup,” he said. Sources close to the "
    "Portuguese club said the fee was high.\n\n"
    "It added to a miserable week. The rules say every player must register. Figures tell another story. "
    "Tesla's shares added 3 per cent. The company cut 200 jobs and warned of more. In the '90s, Smith said, the "
    "players' union grew.\n"
)


@pytest.mark.parametrize(
    ("sentence_start", "speaker"),
    [
        ('"The board concluded', "the company"),  # a verb inside a quotation is no attribution
        ("Owen Takacs", "Owen Takacs, an analyst at Greyhill Securities"),  # not "the deal made …", after the comma
        ("Under the plan", "Maria Lopez, a spokeswoman for the agency"),  # a clause is no apposition
        ("It said it had", "Castellan Industries"),  # "it", the body just quoted
        ("“We will not send", "Anna Halasz"),  # not "two armies", inside the quotation
        ("Drovnia’s foreign ministry", "Drovnia’s foreign ministry"),
        ("A senior aide who", "A senior aide"),  # not "the talks" of the clause that says which aide
        ("Supporters say", "Supporters"),
        ("“I may have misjudged", "Gov. Ruth Okafor"),  # "Ms. Okafor" is the governor named before
        ("The governor said", "Gov. Ruth Okafor"),  # the office, its one holder
        ("“It is nothing of the sort", "Mr Gary Pike"),  # the one quoted before whom the sentence before is about
        ("“It is late", "Steve Waggott, Rovers chief executive"),  # a club's name before the office
        ("“We will regroup", "Steve Waggott, Rovers chief executive"),  # Pickford, never quoted, is not "he"
        ("Sources close to the Portuguese", "Sources close to the Portuguese club"),
        ("It added to a miserable", None),  # only "it said" is the body's
        ("The rules say", None),  # the plural verb is for people only
        ("Figures tell", None),
        ("Tesla's shares added 3", None),  # "added" a number is no saying
        ("The company cut 200", None),  # not "The company cut", for "… and warned of more"
        ("In the '90s, Smith said", "Smith"),  # "'90s" opens no quotation
    ],
)
def test_wire_copy_and_honorifics(sentence_start, speaker):
    assert _speakers_of_sentences_starting(WIRE_AND_HONORIFICS, sentence_start) == [speaker]


OKAFORS = (
    "Vote lost\n\nGov. Ruth Okafor lost. Ms. Okafor left early. Mr. Okafor, her husband, watched. “We won,” "
    "Mr. Okafor said. “We lost,” Ms. Okafor said.\n"
)
FERRY = (
    "Ferry fares\n\n“Nobody likes paying more,” said Bayline's managing director, Joan Okafor. “We will see,” "
    "said the city's mayor, Ann Lee, after the vote.\n"
)


@pytest.mark.parametrize(
    ("text", "sentence_start", "speaker"),
    [
        # A woman described so is not "he".
        ("Talks\n\n“The offer is fair,” said Joanna Brent, a spokeswoman. “It is not,” he said.\n", "“It is not", None),
        # Two people of one surname stay apart by their titles.
        (OKAFORS, "“We won", "Mr. Okafor"),
        (OKAFORS, "“We lost", "Ms. Okafor"),
        # A description before the name at a sentence's start is their role.
        (
            "Fine\n\nThe council's cabinet member for housing, Tom Reeve, welcomed the fine. “We will act,” said Reeve.\n",
            "“We will act",
            "Tom Reeve, the council's cabinet member for housing",
        ),
        # A nickname, or a count, before a surname is no first name.
        (
            "Match\n\nOwain ‘Bomber’ Harries kicked the winner. Two Harries penalties gave Wales the lead. "
            "‘I didn’t look at the clock,’ Harries said.\n",
            "‘I didn’t look",
            "Harries",
        ),
        # An office, then the name in apposition, after "said".
        (FERRY, "“Nobody likes", "Joan Okafor, Bayline's managing director"),
        (FERRY, "“We will see", "Ann Lee, the city's mayor"),
    ],
)
def test_pronouns_titles_and_descriptions_name_the_right_person(text, sentence_start, speaker):
    assert _speakers_of_sentences_starting(text, sentence_start) == [speaker]


OBITUARY = (
    "Saxophonist dies at 86\n\n"
    "Eli Stone, a saxophonist, died on Tuesday at his home in Carrow Heights, N.J. He was 86.\n\n"
    "“I learned to breathe in church,” he wrote in his 1998 memoir.\n\n"
    "The cause was heart failure, his daughter, Lena Stone-Ruiz, said.\n\n"
    "The pianist Ada Vance, who toured with him, said his gift was sincerity. “He never played a note he "
    "didn’t mean,” Ms. Vance said.\n\n"
    "His recovery coincided with his marriage in 1981 to the poet Ina Morrow.\n\n"
    "“I was gone, and the music waited for me,” he told the magazine Blue Chorus in 2004.\n\n"
    "Raymond Tull, the school’s president, said 600 students had passed through. According to Mr. Tull, "
    "Mr. Stone insisted that every student learn a hymn by ear.\n\n"
    "Asked by Blue Chorus how he hoped to be remembered, Mr. Stone kept it short. “Tell them I showed up,” he said.\n"
)
MATCH = (
    "City win\n\n"
    "But City's captain, Jamie Rourke, pulled one back. Rovers' manager, Tony Vasquez, was angry.\n\n"
    "The captain, who has played 300 games, called his header “the ugliest goal I’ve ever scored”.\n"
)
WIRE = (
    "Border closed\n\n"
    "Gunmen opened fire on a patrol, according to Tervonia's defence ministry. "
    "Trade worth $2bn is at stake, according to the Tervonian Chamber of Commerce.\n\n"
    "“Closing a border does not close a problem,” Maranek wrote on X. “Selvik knows these men were not ours.”\n\n"
    "Drivers will be diverted via the ring road, adding about ten minutes to most journeys.\n\n"
    "Seagrass stores carbon, according to a study published on Wednesday in the journal Marine Letters.\n\n"
    "Solberg said she hoped governments would count seagrass, as the United Nations has asked.\n\n"
    "“Protecting what is left is the cheapest climate action we have,” she said.\n"
)


@pytest.mark.parametrize(
    ("text", "sentence_start", "speaker"),
    [
        # A clause before the comma is no speaker: the daughter speaks.
        (OBITUARY, "The cause was", "Lena Stone-Ruiz, his daughter"),
        # A description before the name at a sentence's start is theirs, in lower case.
        (OBITUARY, "“He never played", "Ada Vance, the pianist"),
        # After sentences about him ("His recovery … to the poet Ina Morrow"), "he" is still the one they are about.
        (OBITUARY, "“I was gone", "Eli Stone, a saxophonist"),
        # "According to X" at the start tells whose the whole sentence is.
        (OBITUARY, "According to Mr. Tull", "Raymond Tull, the school’s president"),
        # The subject after an opening phrase, not the magazine in it, is whom "he" means.
        (OBITUARY, "“Tell them", "Eli Stone, a saxophonist"),
        # "The captain" is the one the article describes as captain.
        (MATCH, "The captain", "Jamie Rourke, City's captain"),
        (WIRE, "Gunmen opened fire", "Tervonia's defence ministry"),
        (WIRE, "Trade worth", "Tervonian Chamber of Commerce"),
        # "on X." ends a sentence: the quotation after it is Maranek's too, as a sentence of its own.
        (WIRE, "“Selvik knows", "Maranek"),
        # A quantity after "adding" is no statement; a study that is not named by its author is the study.
        (WIRE, "Drivers will be diverted", None),
        (WIRE, "Seagrass stores carbon", "a study"),
        # "she" is never a body such as the United Nations.
        (WIRE, "“Protecting what is left", "Solberg"),
    ],
)
def test_obituaries_wire_copy_and_match_reports(text, sentence_start, speaker):
    assert _speakers_of_sentences_starting(text, sentence_start) == [speaker]


def test_a_second_reference_by_role_does_not_repeat_the_role():
    text = "Budget\n\nThe council leader, Councillor David Pryce, said he hoped to win. He said hours would grow.\n"
    assert _speakers_of_sentences_starting(text, "The council leader") == ["Councillor David Pryce, the council leader"]
    assert _speakers_of_sentences_starting(text, "He said hours") == ["Councillor David Pryce, the council leader"]


@pytest.mark.parametrize(
    ("text", "sentence_start", "speaker"),
    [
        # Words that end no description may still stand in one.
        ("“We were starved,” a recently released hostage said.", "“We were", "a recently released hostage"),
        ("“Parents are furious,” a day-care owner said.", "“Parents", "a day-care owner"),
        # An office ends its phrase: "Ukraine's general staff" is no general.
        ("Twelve drones fell, according to Ukraine's general staff.", "Twelve", "Ukraine"),
        # Only "adding" a quantity says nothing; "saying about 200 jobs would go" says something.
        ("The minister defended the cuts, saying about 200 jobs would go.", "The minister", "The minister"),
        # "According to X" at the start gives way to a speaker that says: the minister's words.
        ("According to the report, the minister said the cuts were temporary.", "According", "the minister"),
        # "She" opening a sentence does not hide the man it names from a "he" after it.
        ("Maria Lopez opened the evening. She handed the award to John Smith. “It is for my team,” he said.", "“It is", "John Smith"),
        # "Mr. Stone" says nothing of his daughter Ann Stone's pronoun.
        (
            "Eli Stone died on Tuesday. Mr. Stone recorded 41 albums. “He practised every day,” said his daughter, "
            "Ann Stone. “Music was his life,” she added.",
            "“Music",
            "Ann Stone, his daughter",
        ),
        # "the treasurer" is not someone the article describes only after.
        ("“The numbers do not add up,” the treasurer said. The opposition's treasurer, Jo Lee, disagreed.", "“The numbers", "the treasurer"),
    ],
)
def test_what_a_reviewer_found_the_rules_must_not_read_wrongly(text, sentence_start, speaker):
    assert _speakers_of_sentences_starting(f"Story\n\n{text}\n", sentence_start) == [speaker]


WARDS = (
    "Council vote\n\n"
    "Councillor Dean Mulgrew of the Central Ward, who moved the motion, said the town needed homes. "
    "Councillor Sam Petrie of the Coastal Ward said the vote was rushed. "
    "The agency had initially reported that 14 people had died.\n"
)


COURT = (
    "Treasurer jailed\n\n"
    "According to Sarah Okonedo, the money paid for five holidays in Dubai. "
    "Ms Okonedo, prosecuting, said the payments were disguised as invoices. "
    "Marcus Hale, defending, said his client had been struggling with debts.\n"
)


APPEAL = (
    "Walker missing\n\n"
    "Police Scotland said in a statement that the bothy had been checked. "
    "Det Insp Fiona Gallacher, who is leading the inquiry, said officers were concerned.\n\n"
    "The search resumed at dawn.\n\n"
    "Sergeant Kirsty Doig read a statement on behalf of Mr Reid’s family at a briefing.\n\n"
    "“Callum is a loving son,” the statement said.\n\n"
    "“The driver may hold information,” the detective said.\n\n"
    "One employee at the centre, who spoke on condition of anonymity, said staff were told by email.\n\n"
    "As she took the stage, Marisol Echeverría shouted “Hope has won!” to the crowd. "
    "Fans shouted abuse at the referee.\n"
)


@pytest.mark.parametrize(
    ("text", "sentence_start", "speaker"),
    [
        # Each councillor is their own person, whatever ward they stand for.
        (WARDS, "Councillor Dean Mulgrew", "Councillor Dean Mulgrew, of the Central Ward"),
        (WARDS, "Councillor Sam Petrie", "Councillor Sam Petrie, of the Coastal Ward"),
        (WARDS, "The agency had initially reported", "The agency"),
        # Court reports name counsel by their side.
        (COURT, "Ms Okonedo", "Sarah Okonedo, prosecuting"),
        (COURT, "Marcus Hale", "Marcus Hale, defending"),
        # What follows "According to Ms Okonedo," is what she said, not who she is.
        (COURT, "According to", "Sarah Okonedo, prosecuting"),
        # British copy drops the dots of a title: "Det Insp" is a detective inspector.
        (APPEAL, "“The driver", "Det Insp Fiona Gallacher"),
        # "The statement" is the one mentioned just before, whoever put out another further back.
        (APPEAL, "“Callum is", "Mr Reid’s family"),
        (APPEAL, "One employee", "One employee at the centre"),
        (APPEAL, "As she took", "Marisol Echeverría"),
        # Shouting is saying only where the words shouted are given.
        (APPEAL, "Fans shouted", None),
    ],
)
def test_wards_court_sides_dotless_titles_statements_and_shouted_words(text, sentence_start, speaker):
    assert _speakers_of_sentences_starting(text, sentence_start) == [speaker]


GOVERNOR = (
    "Fares cut\n\n"
    "The state Governor, Alhaji Bala Sani, who spoke through his aide, Mr Tunde Ojo, in Kaduna on Monday, said the plan "
    "would start in March. "
    "Meanwhile, the Chairman of the Senate Committee on Health, Senator Ada Nwosu, said the bill would pass. "
    "The panel will summon the Managing Director of the transit agency, Chief Obi Eze, next Tuesday over the purchase "
    "of the buses. "
    "Eze said the agency had nothing to hide.\n\n"
    "Among the passengers was Ruth Alder, 64, from Kent, who said she had waited six hours.\n"
)


BORDER = (
    "Border closed\n\n"
    "A spokesman for the Foreign Office in London said the embassy was open. "
    "The UN mission in Juba said in a statement that it was concerned.\n\n"
    "“Sanctions are easy to announce,” Milan Dorosh said. "
    "According to him, the talks could resume in May.\n\n"
    "Minister for Health Declan Moran said the figures were unacceptable. "
    "He added that beds had been opened. "
    "Rain fell all week. "
    "The minister rejected a suggestion that the cap was to blame, saying staff numbers had grown.\n\n"
    "Aoife Byrne said the plan was flawed.\n\n"
    "“It will not work,” the Cork North TD said.\n\n"
    "As the whistle went, Huw Jones punched the air.\n\n"
    "‘That was not pretty,’ the Wales head coach said. "
    "“We are looking into it,” the FBI said.\n\n"
    "Ann Lee, the Labour MP for Kent, said the bill was weak.\n\n"
    "“It cannot pass,” the Conservative MP said.\n\n"
    "Ilse Maranek rejected any suggestion that the attackers had come from her country. "
    "The board rejected the bid on Monday. "
    "President Rodrigo Salcedo congratulated “all voters” on their turnout.\n"
)


HEIST = (
    "Van robbed\n\n"
    "“They knew the route,” said a senior detective involved in the case, who asked not to be named. "
    "“It was quiet,” said a Durban-based guard at a private firm. "
    "The van belonged to Rand Secure Holdings, which said in a statement that it was shocked.\n"
)


@pytest.mark.parametrize(
    ("text", "sentence_start", "speaker"),
    [
        # Right after the words quoted, however long the description of who said them.
        (HEIST, "“They knew", "a senior detective involved in the case"),
        (HEIST, "“It was quiet", "a Durban-based guard at a private firm"),
        (HEIST, "The van belonged", "Rand Secure Holdings"),
        # The name in apposition to an office, though a clause on how he spoke follows it.
        (GOVERNOR, "The state Governor", "Alhaji Bala Sani, the state Governor"),
        # A committee's name goes on after "on".
        (GOVERNOR, "Meanwhile", "Senator Ada Nwosu, Chairman of the Senate Committee on Health"),
        # "next Tuesday over the purchase of the buses" tells when he is summoned, not who he is.
        (GOVERNOR, "Eze said", "Chief Obi Eze"),
        (GOVERNOR, "Among the passengers", "Ruth Alder"),
        # Where a spokesman or a mission is does not end who speaks.
        (BORDER, "A spokesman", "A spokesman for the Foreign Office in London"),
        (BORDER, "The UN mission", "The UN mission in Juba"),
        (BORDER, "According to him", "Milan Dorosh"),
        # "The minister" is the one whose name follows his office.
        (BORDER, "The minister", "Minister for Health Declan Moran"),
        # A description with a place or a team in it names again whoever was just quoted or named.
        (BORDER, "“It will not work", "Aoife Byrne"),
        (BORDER, "‘That was not pretty", "Huw Jones"),
        # A body by its initials is still a body; one described otherwise before is someone else.
        (BORDER, "“We are looking", "FBI"),
        (BORDER, "“It cannot pass", "Conservative MP"),
        # Turning down a claim answers it; turning down a bid does not say anything.
        (BORDER, "Ilse Maranek", "Ilse Maranek"),
        (BORDER, "The board rejected", None),
        (BORDER, "President Rodrigo Salcedo", "President Rodrigo Salcedo"),
    ],
)
def test_offices_before_names_places_after_them_and_people_named_again(text, sentence_start, speaker):
    assert _speakers_of_sentences_starting(text, sentence_start) == [speaker]


def test_the_title_of_someone_whose_family_speaks_is_not_the_familys_pronoun():
    article = parse_article(APPEAL, "made-up")
    speakers = find_speakers(article)
    pronouns = speaker_pronouns([article.sentence_text(i) for i in range(len(speakers))], speakers)
    assert "Mr Reid’s family" in speakers and "Mr Reid’s family" not in pronouns


SUMMIT_STATEMENTS = (
    "Pipeline deal\n\n"
    "The fund will hold 18 billion euros, according to a statement issued by the Greek government.\n\n"
    "Sofia Marchetti, a spokeswoman for Energy Watch, said the plan relied on gas. "
    "“What exactly have we built?” she said in an emailed statement.\n\n"
    "The first phase is due in 2028. Its cost is not known. Talks resume in June.\n\n"
    "The statement also said the bank would manage the fund.\n"
)


def test_a_statement_referred_to_long_after_two_were_mentioned_is_nobody_s_in_particular():
    # Marchetti's was the last statement mentioned, but sentences before this one: "the statement" may
    # be either, and is credited to neither.
    assert _speakers_of_sentences_starting(SUMMIT_STATEMENTS, "The statement also") == ["The statement"]


VERDICT = (
    "Jury convicts former chief\n\n"
    "U.S. District Judge Maria Ostrander, who presided over the trial, set sentencing for May 2. "
    "“You took this seriously,” the judge told jurors before dismissing them.\n\n"
    "Vell declined to say whether other executives would be charged. "
    "Two former managers testified under immunity, according to court filings. "
    "The plant released 9,000 tonnes of waste in 2023, according to regional water data.\n\n"
    "The Coastal Rescue Service (CRS) said 40 homes had been flooded. "
    "Fishing is allowed in dry weather, but campaigners say the rules are ignored. "
    "Shop owners on Harbour Road said the closure had cost them customers.\n\n"
    "“The decline is steep,” said Dr Ines Varga, a marine biologist at Lund University and the survey’s lead author. "
    "The survey’s lead author said the team would return in spring. "
    "Sea levels rose by 3mm, according to the largest survey of its kind.\n\n"
    "Bureau of Fisheries senior scientist Tom Aske said stocks were falling. "
    "Ferry use fell by a third, according to figures presented at the meeting by Finance Director Ruth Kell.\n"
)


@pytest.mark.parametrize(
    ("sentence_start", "speaker"),
    [
        # "The judge" is the one person whose office before their name is Judge, though she had not spoken.
        ("“You took this", "U.S. District Judge Maria Ostrander"),
        # Declining to say is an answer, and news reports it as one.
        ("Vell declined", "Vell"),
        # Documents named without an article, after "according to".
        ("Two former managers", "court filings"),
        ("The plant released", "regional water data"),
        # A body's initials in brackets are part of its name; a conjunction is no part of who says.
        ("The Coastal Rescue Service", "Coastal Rescue Service (CRS)"),
        ("Fishing is allowed", "campaigners"),
        # "Harbour Road", after "on", is where the owners are, not who speaks.
        ("Shop owners", None),
        # "The survey’s lead author" is the one named speaker described so.
        ("The survey’s lead author", "Dr Ines Varga, a marine biologist at Lund University and the survey’s lead author"),
        ("Sea levels rose", "the largest survey of its kind"),
        ("Bureau of Fisheries", "Tom Aske, Bureau of Fisheries senior scientist"),
        # Where the figures were presented stands between them and who presented them.
        ("Ferry use fell", "Finance Director Ruth Kell"),
    ],
)
def test_judges_refusals_documents_initials_and_authors_described_again(sentence_start, speaker):
    assert _speakers_of_sentences_starting(VERDICT, sentence_start) == [speaker]


REVIEWED = (
    "Council news\n\n"
    "Sarah Jones, the club’s manager, said the season had been hard. "
    "The club said in a statement that it would appeal the fine.\n\n"
    "Secretary of State Ann Blake visited the port in May. The state said it would appeal the ruling.\n\n"
    "The case was first heard by Judge Ann Patel in 2019. A new judge was appointed this year. "
    "“The delay is regrettable,” the judge said.\n\n"
    "Later on Tuesday Mr Smith said the deal was done. The Senate refused to confirm the nominee. "
    "The plan, which critics say will cost billions, was approved.\n\n"
    "The Environment Agency (EA) said rivers were high. The EA said levels would fall. "
    "The Environment Agency said it was monitoring.\n\n"
    "Two people were charged, according to filings by the Justice Department. The filings said the scheme ran for years.\n"
)


@pytest.mark.parametrize(
    ("sentence_start", "speaker"),
    [
        # A body is not its officer, though her description names it.
        ("The club said", "The club"),
        # "State" qualifies an office; it is none of its own.
        ("The state said", "The state"),
        # The article has a judge it does not name: "the judge" may be either.
        ("“The delay", "the judge"),
        # A day is no place whose name goes on into the speaker's.
        ("Later on Tuesday", "Mr Smith"),
        # Refusing to confirm a nominee is an act.
        ("The Senate refused", None),
        ("The plan, which critics", "critics"),
        # One body, however the article names it after giving its initials.
        ("The EA said", "Environment Agency (EA)"),
        ("The Environment Agency said", "Environment Agency (EA)"),
        ("The filings said", "the Justice Department"),
    ],
)
def test_what_a_review_of_the_new_rules_found_they_must_not_read_wrongly(sentence_start, speaker):
    assert _speakers_of_sentences_starting(REVIEWED, sentence_start) == [speaker]
