"""Reading an article: structure, sentences and offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.article import has_quotation, open_quotations, parse_article, read_article, split_sentences
from qa.errors import ArticleError

from conftest import ARTICLE

# This article's sentences, split by hand.
SENTENCES = [
    "In the conflict over Ukraine, the European foreign ministers are counting on unity – also in contrast to the USA.",
    "NATO chief Stoltenberg is ready to enter into a dialogue with Russia, but is also preparing for diplomatic efforts to fail.",
    "After a crisis meeting of NATO foreign ministers, the Secretary General of the Defense Alliance warned of a “real” risk of a renewed Russian invasion of Ukraine.",
    "“The risk of conflict is real,” said NATO Secretary General Jens Stoltenberg after a video conference with NATO foreign ministers.",
    "“Russia’s aggressive actions seriously undermine the security order in Europe,” he added.",
    "NATO will take part in “a sincere and fundamental dialogue” with Russia, but “we must be prepared for the possibility of diplomacy failing,” Stoltenberg said.",
    "At the same time, he assured that the USA would not make any decisions about European security without Europe being at the negotiating table.",
    "The ministers had emphasized that any further aggression by Russia against Ukraine would have significant consequences and a high price for Russia, said Stoltenberg.",
    "This included economic sanctions, among other things.",
    "The ministers’ video conference was scheduled at short notice.",
    "According to a European diplomat, the aim of the video conference was to find a common position on how to deal with Russia in the Ukraine conflict.",
    "“The purpose of the meeting is twofold: to remain united and to ensure that Europeans are involved in the discussions about security in the European area,” he said before the meeting.",
    "A massive Russian troop deployment on the Ukrainian border has been fueling fears of a Russian invasion of the neighboring state for weeks.",
    "According to Stoltenberg, Russia is currently continuing its military reinforcement in the Ukraine area.",
    "Moscow denies any plans to attack and is demanding an agreement from the USA and NATO that prohibits the eastward expansion of the military alliance.",
    "Government representatives from the USA and Russia want to speak about the crisis in Geneva from Monday.",
    "Talks between Russia and NATO will follow on Wednesday, and a meeting is planned for Thursday within the framework of the Organization for Security and Cooperation in Europe (OSCE) with Ukraine and Georgia.",
    "The EU defense and foreign ministers wanted to meet on Thursday and Friday in Brest, western France.",
    "NATO Secretary General Jens Stoltenberg also wanted to attend the meeting.",
    "Alluding to the upcoming meeting, Federal Foreign Minister Annalena Baerbock said: “It is clear to us that dialogue must take place on the basis of the core principles of the European security order.”",
    "They have now agreed on the upcoming dialogue formats with Russia.",
    "Stoltenberg said nobody knows whether Russian President Vladimir Putin will invade Ukraine.",
    "He added that Russia “has a great deal to lose in a conflict”.",
    "Moscow wants to “restore its sphere of influence over the countries in its neighborhood,” he continued.",
    "“It tries to push back NATO and wants to prevent an expansion of the Western defense alliance to include Ukraine and Georgia, and even Finland and Sweden.”",
    "But through its “aggressiveness” Russia provokes exactly “what it wants to prevent,” said Stoltenberg.",
    "Finnish President Sauli Niinistö and Sweden’s Prime Minister Magdalena Andersson consulted Stoltenberg to be included in NATO’s talks on Ukraine and security in Europe.",
    "The positions within the alliance diverge.",
    "Turkey speaks openly about the need for a partnership with Russia, and Hungary makes no secret of its pro-Russian stance.",
    "The Central European countries, however, are hostile to negotiations with Moscow.",
    "They are surprised at the actions of the USA: “Sometimes we have the impression that we don’t really know what Washington’s goal is,” said an Eastern European diplomat.",
]


@pytest.fixture(scope="module")
def article():
    return read_article(ARTICLE)


def test_sentences_of_the_article_match_the_hand_made_list(article):
    assert [article.sentence_text(i) for i in range(len(article.sentences))] == SENTENCES


def test_offsets_index_the_file_text_exactly(article):
    assert article.text == ARTICLE.read_bytes().decode("utf-8")
    for sentence in article.sentences:
        piece = article.text[sentence.start : sentence.end]
        assert piece == piece.strip() and piece
        assert article.paragraph(sentence.paragraph).start <= sentence.start
        assert sentence.end <= article.paragraph(sentence.paragraph).end


def test_headline_sections_and_numbered_paragraphs(article):
    assert article.headline == "“Real” risk of conflict: NATO: Russia threatens security in Europe"
    assert [s.title for s in article.sections] == [
        "Strengthening the European position",
        "Russia has “a lot to lose”",
    ]
    assert [p.number for p in article.paragraphs] == list(range(1, 11))
    assert article.paragraphs[0].section is None
    assert article.paragraphs[4].section == "Strengthening the European position"
    assert article.paragraphs[-1].section == "Russia has “a lot to lose”"


def test_trailing_boilerplate_is_not_content(article):
    last_content = max(p.end for p in article.paragraphs)
    assert article.text[last_content:].split() == [".", "source", "site-34"]
    assert all("site-34" not in article.sentence_text(i) for i in range(len(article.sentences)))


@pytest.mark.parametrize(
    "sentences",
    [
        # a quotation over several sentences stays one sentence
        ["He said: “We are ready. We have always been ready. Nobody doubts it.”", "The minister nodded."],
        # abbreviations and a question ending inside a closing quote do not split
        ["The U.S. envoy, Mr. Smith, arrived at 9 a.m. on Jan. 5.", "“Is this the end?” she asked.", "Nobody knew."],
        # a time's stop before its day ends no sentence; before another sentence it does
        ["He was arrested about 3 p.m. Thursday at a gas station.", "The meeting ended at 5 p.m.", "The mayor left."],
        # nor before its time zone, while a word after it that only looks like one starts a sentence
        ["Staff were told at 6 a.m. Pacific time and locked out.", "It ended at 6 a.m.", "Eastern Europe woke."],
    ],
    ids=["quotation", "abbreviations", "time of day", "time zone"],
)
def test_sentence_splitting(sentences):
    text = " ".join(sentences)
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == sentences


def test_windows_line_endings_keep_offsets_verbatim(tmp_path: Path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("Title here\r\n\r\nFirst sentence. Second one.\r\n\r\nThird one here.\r\n".encode())
    article = read_article(path)
    assert article.headline == "Title here"
    assert [article.sentence_text(i) for i in range(3)] == ["First sentence.", "Second one.", "Third one here."]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "has no text"), (b"   \n\n  \n", "has no text"), (b"\xff\xfe\x00bad", "not UTF-8"),
     (b"***\n\n. . .\n", "has no text"), ("\u2003\n\u200b\n".encode(), "has no text")],
)
def test_unusable_article_files_raise_article_error(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message):
        read_article(path)


def test_missing_article_file_names_the_path(tmp_path: Path):
    with pytest.raises(ArticleError, match="not found: .*nowhere.txt"):
        read_article(tmp_path / "nowhere.txt")


def test_article_structure_round_trips_through_its_dict(article):
    assert type(article).from_dict(article.to_dict(), article.text) == article


def test_first_paragraph_without_headline(tmp_path: Path):
    article = parse_article("Just one paragraph that says something. And more.", "doc")
    assert article.headline is None
    assert len(article.paragraphs) == 1 and len(article.sentences) == 2


def test_a_single_line_without_full_stop_is_a_paragraph():
    article = parse_article("Only one line about the harbour reopening on Tuesday", "one")
    assert article.headline is None
    assert [article.sentence_text(0)] == ["Only one line about the harbour reopening on Tuesday"]


def test_an_article_of_short_lines_keeps_them_as_paragraphs():
    article = parse_article("Harbour Reopens\n\nBoats are back\n\nThe town cheers\n", "short")
    assert article.headline == "Harbour Reopens"
    assert [article.sentence_text(i) for i in range(2)] == ["Boats are back", "The town cheers"]
    assert article.sections == ()


def test_last_paragraph_without_full_stop_is_kept_and_source_lines_dropped():
    text = "Vote Result\n\nThe council voted on Monday.\n\nAsked about it later, he said “no”\n\nSource: wire\n"
    article = parse_article(text, "vote")
    assert article.sentence_text(len(article.sentences) - 1) == "Asked about it later, he said “no”"
    assert all("wire" not in article.sentence_text(i) for i in range(len(article.sentences)))


@pytest.mark.parametrize("blank", ["\u2003", "\u3000", "\f", "\u200b", "\ufeff", " \u00a0 "])
def test_lines_of_unicode_blanks_separate_paragraphs(blank):
    text = f"Harbour News\n\n{blank}\n\nThe harbour reopened on Tuesday.\n{blank}\nRepairs cost 2 million euros.\n"
    article = parse_article(text, "blank")
    assert [(p.number, article.text[p.start : p.end]) for p in article.paragraphs] == [
        (1, "The harbour reopened on Tuesday."),
        (2, "Repairs cost 2 million euros."),
    ]


def test_a_separator_line_is_not_a_paragraph():
    article = parse_article("Title Here\n\nFirst part of the story.\n\n***\n\nSecond part.\n", "sep")
    assert [article.sentence_text(i) for i in range(len(article.sentences))] == ["First part of the story.", "Second part."]


def test_a_huge_paragraph_is_split_completely_with_verbatim_offsets():
    sentences = [f"Sentence number {n} says “something {n}” about the port." for n in range(3000)]
    text = "Long Story\n\n" + " ".join(sentences) + "\n"
    article = parse_article(text, "long")
    assert [article.sentence_text(i) for i in range(len(article.sentences))] == sentences


@pytest.mark.parametrize(
    ("text", "left_open", "quoted"),
    [
        ("'We will act,' said Mr Khan.", 0, True),
        ("I don't know what the workers' union wants.", 0, False),  # apostrophes, a plural possessive
        ("‘Those studies are done.", 1, False),  # a quotation that runs on into the next paragraph
        ("He called it “great”.", 0, True),
        ('"We asked for years.', 1, True),
    ],
)
def test_quotation_marks_are_told_from_apostrophes(text, left_open, quoted):
    assert open_quotations(text) == left_open
    assert has_quotation(text) is quoted


def test_a_quotation_in_single_marks_stays_one_sentence():
    article = parse_article("Shops\n\nMr Khan said: 'I have stopped. Nobody comes.' Rain fell.\n", "shops")
    assert [article.sentence_text(i) for i in range(len(article.sentences))] == [
        "Mr Khan said: 'I have stopped. Nobody comes.'",
        "Rain fell.",
    ]


def test_an_article_with_a_line_per_paragraph_and_no_blank_lines_is_read_by_its_lines():
    pasted = (
        "Library to reopen\n"
        "The council voted on Tuesday to reopen the library.\n"
        "“It is a promise kept,” said Councillor Priya Ramanathan.\n"
        "What happens next\n"
        "Work begins in March.\n"
    )
    article = parse_article(pasted, "pasted")
    assert article.headline == "Library to reopen"
    assert [article.text[p.start : p.end] for p in article.paragraphs] == [
        "The council voted on Tuesday to reopen the library.",
        "“It is a promise kept,” said Councillor Priya Ramanathan.",
        "Work begins in March.",
    ]
    assert [section.title for section in article.sections] == ["What happens next"]
    # Hard-wrapped prose breaks lines mid-sentence: it stays one paragraph.
    wrapped = "The council met on Monday and voted on the plan, which\nwas opposed by residents who said the road\nwas too narrow for lorries.\n"
    assert len(parse_article(wrapped, "wrapped").paragraphs) == 1


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        # After a word in lower case, a capital's stop before a quotation ends a sentence ("on X.").
        ("“No,” Maranek wrote on X. “These men were not ours.”", ["“No,” Maranek wrote on X.", "“These men were not ours.”"]),
        # Before a pronoun, too.
        ("He died at home in Carrow Heights, N.J. He was 86.", ["He died at home in Carrow Heights, N.J.", "He was 86."]),
        # After a first name or an initial, it is a name's or an abbreviation's.
        ("Robert E. “Bob” Smith, a firefighter, died on Monday.", ["Robert E. “Bob” Smith, a firefighter, died on Monday."]),
        ("Britain values the U.S. “special relationship”, she said.", ["Britain values the U.S. “special relationship”, she said."]),
    ],
)
def test_a_capital_letters_stop_ends_a_sentence_only_where_no_name_goes_on(paragraph, sentences):
    assert [paragraph[start:end] for start, end in split_sentences(paragraph, 0, len(paragraph))] == sentences
