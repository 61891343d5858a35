"""Who said what, on this article and on a made-up one with other names and patterns."""

from __future__ import annotations

import pytest

from qa.article import parse_article, read_article
from qa.quotes import find_speakers, speech_kind, split_speaker

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
