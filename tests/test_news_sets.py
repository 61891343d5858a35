"""The whole pipeline on fifty-one news articles other than the shipped one, in other house styles, with
questions written by colleagues who had not seen the code (see the README for which were measured
blind). The floors sit a little under the figures measured, to catch a regression, not to claim more."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.evaluate import evaluate_sets

pytestmark = pytest.mark.slow

NEWS = sorted((Path(__file__).parent / "data" / "news").glob("*.jsonl"))


def test_answers_on_other_news_articles():
    assert len(NEWS) == 51
    report = evaluate_sets(NEWS)
    assert report.questions == 1902
    assert report.top1_hit >= 0.58
    assert report.recall_at_k >= 0.88
    assert report.speaker_right >= 0.71
    assert report.declined_correctly >= 0.64
    assert report.mean_quote_words <= 35
