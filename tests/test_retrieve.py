"""BM25 as the textbook formula gives it, over the postings it keeps."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from qa.retrieve import BM25_B, BM25_K1, Bm25, _is_about, tokens

TEXTS = [
    "The council met on Tuesday in the town hall.",
    "Repairs cost two million euros, the council said.",
    "Fishermen returned to the harbour on Tuesday after the storm.",
    "Nothing else happened.",
]


def _textbook(texts: list[str], query: list[str]) -> list[float]:
    documents = [Counter(tokens(text)) for text in texts]
    average = sum(sum(d.values()) for d in documents) / len(documents)
    scores = []
    for document in documents:
        length = sum(document.values())
        score = 0.0
        for term in set(query):
            df = sum(term in d for d in documents)
            if not df or term not in document:
                continue
            idf = math.log(1 + (len(documents) - df + 0.5) / (df + 0.5))
            tf = document[term]
            score += idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / average))
        scores.append(score)
    return scores


@pytest.mark.parametrize("question", ["When did the council meet?", "harbour storm Tuesday", "Who won the cup?"])
def test_scores_are_textbook_bm25_scaled_by_a_full_match(question):
    bm25 = Bm25(TEXTS)
    query = tokens(question)
    rarest = max(bm25.idf.values())
    full_match = sum(bm25.idf.get(term, rarest) for term in set(query))
    expected = np.minimum(np.array(_textbook(TEXTS, query)) / full_match, 1.0)
    assert np.allclose(bm25.scores(query), expected, atol=1e-6)


def test_an_empty_collection_and_an_empty_query_score_nothing():
    assert Bm25([]).scores(["council"]).shape == (0,)
    assert not Bm25(TEXTS).scores([]).any()


def test_crediting_scores_the_rows_given_as_if_they_held_each_term_once():
    bm25 = Bm25(TEXTS)
    query = tokens("What did the council say about repairs?")
    plain = bm25.scores(query)
    credited = bm25.crediting(plain, query, {"council"}, [1, 2])
    rarest = max(bm25.idf.values())
    full_match = sum(bm25.idf.get(term, rarest) for term in set(query))
    assert credited[2] == pytest.approx(plain[2] + bm25.idf["council"] / full_match)
    assert credited[1] == plain[1]  # it says "council" already
    assert credited[0] == plain[0] and credited[3] == plain[3]  # not given
    assert bm25.crediting(plain, query, {"harbour"}, [0]).tolist() == plain.tolist()  # no term of the query


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("dialogue", "dialog"),
        ("colours", "colors"),
        ("labourers", "laborers"),
        ("centre", "center"),
        ("theatres", "theaters"),
        ("organised", "organized"),
        ("organisation", "organization"),
        ("criticising", "criticizing"),
    ],
)
def test_british_and_american_spellings_match(british, american):
    assert tokens(british) == tokens(american)


@pytest.mark.parametrize(("word", "other"), [("hour", "hor"), ("tour", "tor"), ("rise", "rize"), ("league", "leag")])
def test_short_words_keep_their_spelling(word, other):
    assert tokens(word) != tokens(other)


@pytest.mark.parametrize(
    ("sentence", "person", "pronoun", "about"),
    [
        ("Eli Stone, a saxophonist, died on Tuesday at his home in Carrow Heights, N.J.", "Eli Stone", "he", True),
        ("Mr. Eli Stone died on Tuesday.", "Eli Stone", "he", True),
        # "He was 52." after these is someone else's age.
        ("His father, Tom Stone, died in 1990.", "Eli Stone", "he", False),
        ("Mr. Stone is survived by his wife, Ruth Stone.", "Ruth Stone", "she", False),
        ("Ann Stone died in 2011.", "Eli Stone", "she", False),
    ],
)
def test_an_age_in_a_sentence_of_its_own_is_of_the_one_the_sentence_before_opens_with(sentence, person, pronoun, about):
    assert _is_about(sentence, person, pronoun) is about
