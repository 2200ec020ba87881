"""The eval suite's scoring rules on hand-made cases: each rule is shown passing and failing."""

from __future__ import annotations

import pytest

from assistant.prompts import CANNOT_ANSWER
from eval.datasets import Case
from eval.gate import check
from eval.metrics import Attempt, Passage, percentile, score_case, summarise
from eval.scoring import answer_matches, contains_alias, is_abstention, match_groups, normalise, parse_number

SEED = "sensetime.txt"
FACT = "the company has acquired more than 40,000 NVIDIA chips"
CHIPS = Case(id="chips", question="How many chips?", answers=[["40,000", "forty thousand"]], evidence=[FACT])
ABSTAIN = Case(id="ceo", question="Who is the CEO of NVIDIA?", must_abstain=True)


def test_normalise_folds_case_whitespace_punctuation_and_quotes():
    assert normalise("  SenseTime’s  CO-FOUNDER,\n Xu Bing! ") == "sensetime s co founder xu bing"
    assert normalise("40,000 chips; 10.4 billion.") == "40000 chips 10.4 billion"


@pytest.mark.parametrize("alias", ["40,000", "40000", "forty thousand", "Forty-Thousand", "40 thousand"])
def test_every_spelling_of_a_number_matches(alias):
    assert contains_alias("SenseTime has acquired more than 40,000 NVIDIA chips.", alias)


@pytest.mark.parametrize("text, alias, expected", [
    ("more than 40,300 chips", "40,000", True),  # within 1%
    ("more than 41,000 chips", "40,000", False),  # 2.5% off
    ("revenue of $10.4 billion", "10,400 million", True),
    ("revenue of $10.5 billion", "$10.4 billion", False),
    ("founded in December 2005", "December 2015", False),  # years match exactly
    ("within one to two years", "1 to 2 years", True),
    ("a tenfold gap", "ten-fold", False),  # spelling variants are aliases' business, not the matcher's
    ("May 28, 2023", "May 28", True),
    ("May 280 people", "May 28", False),
])
def test_numbers_match_by_value_with_tolerance(text, alias, expected):
    assert contains_alias(text, alias) is expected


def test_aliases_match_whole_words_only():
    assert contains_alias("Xu Bing said so", "xu bing")
    assert not contains_alias("Xuan Bingo said so", "Xu Bing")
    assert not contains_alias("a USB stick", "US")


def test_every_group_must_match_by_any_alias():
    groups = [["domestic chip production"], ["investment potential", "as an asset"]]
    assert answer_matches("Domestic chip production and computing as an asset.", groups)
    assert match_groups("Domestic chip production only.", groups) == ["domestic chip production", None]
    assert not answer_matches("Domestic chip production only.", groups)
    assert not answer_matches("anything", [])


def test_parse_number():
    assert parse_number("forty thousand") == 40000
    assert parse_number("one hundred and five") == 105
    assert parse_number("two chips") is None


def test_abstention_is_the_one_phrase_or_the_flag():
    assert is_abstention(CANNOT_ANSWER)
    assert is_abstention("whatever", flagged=True)
    assert not is_abstention("The report does not contain the price.")
    assert is_abstention("The context does not contain the price.", refusals=True)


def _attempt(text, quotes=(), retrieved=(), abstained=False):
    return Attempt(text=text, abstained=abstained, citations=[Passage(q, SEED) for q in quotes],
                   retrieved=[Passage(t, SEED) for t in retrieved])


def test_a_correct_answer_citing_the_fact_passes():
    r = score_case(CHIPS, _attempt(f"{FACT}. [1]", [f"Xu said {FACT}."], ["Other text.", f"So {FACT}."]))
    assert r.correct and r.passed
    assert (r.citation_precision, r.citation_recall, r.rank) == (1.0, 1.0, 2)


def test_an_extra_citation_that_does_not_hold_the_fact_halves_precision():
    r = score_case(CHIPS, _attempt(f"{FACT} [1]. Profit soon [2].", [FACT, "The goal is to turn profitable."]))
    assert r.correct and not r.passed
    assert r.citation_precision == 0.5 and r.citation_recall == 1.0
    assert "1 of 2 citations do not support the fact" in r.failures


def test_a_right_number_with_the_wrong_citation_has_no_recall():
    r = score_case(CHIPS, _attempt("40,000 [1]", ["The goal is to turn profitable within two years."]))
    assert r.correct
    assert r.citation_precision == 0.0 and r.citation_recall == 0.0


def test_a_wrong_answer_fails():
    r = score_case(CHIPS, _attempt("About 4,000 chips [1]", [FACT]))
    assert not r.correct and "accepted answer not in the answer" in r.failures


def test_abstaining_on_an_answerable_question_fails_and_scores_no_recall():
    r = score_case(CHIPS, _attempt(CANNOT_ANSWER, abstained=True))
    assert not r.correct and r.citation_recall == 0.0
    assert r.failures == ["abstained on an answerable question"]


def test_a_must_abstain_question_passes_only_by_abstaining():
    assert score_case(ABSTAIN, _attempt(CANNOT_ANSWER, abstained=True)).passed
    r = score_case(ABSTAIN, _attempt("Jensen Huang [1]", ["Jensen Huang leads NVIDIA."]))
    assert not r.correct and r.citation_precision is None


def test_rgb_citations_support_by_positive_passage_or_by_stating_the_answer():
    case = Case(id="0", question="Super Bowl 2021 location", answers=[["Tampa, Florida"]], positive_ids=["p1"])
    attempt = Attempt(text="In Tampa, Florida [1][2][3]", abstained=False, citations=[
        Passage("played at Raymond James Stadium", "p1"), Passage("It is in Tampa, Florida.", "p9"),
        Passage("Super Bowl LV tickets", "p8")], retrieved=[Passage("x", "p8"), Passage("y", "p1")])
    r = score_case(case, attempt)
    assert r.correct and r.rank == 2
    assert [c["supports"] for c in r.citations] == [True, True, False]


def test_summary_figures():
    results = [
        score_case(CHIPS, _attempt(FACT, [FACT], [FACT])),  # right, rank 1
        score_case(CHIPS, _attempt(CANNOT_ANSWER, abstained=True, retrieved=["x", "y", FACT])),  # false abstention
        score_case(ABSTAIN, _attempt(CANNOT_ANSWER, abstained=True)),
        score_case(ABSTAIN, _attempt("Jensen Huang", ["Jensen Huang leads NVIDIA."])),  # should have abstained
    ]
    s = summarise(results)
    assert s["accuracy"] == 0.5 and s["citation_precision"] == 1.0 and s["citation_recall"] == 0.5
    assert s["abstention_precision"] == 0.5 and s["abstention_recall"] == 0.5
    assert s["hit_at_1"] == 0.5 and s["hit_at_5"] == 1.0 and s["mrr"] == pytest.approx((1 + 1 / 3) / 2)
    none = summarise([score_case(CHIPS, _attempt(FACT))])
    assert none["abstention_precision"] is None and none["citation_precision"] is None


def test_percentile_is_a_measured_value():
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert percentile(list(map(float, range(1, 101))), 95) == 95.0
    assert percentile([], 50) is None


def _report(**figures):
    return {"dataset": {"fingerprint": "f"}, "modes": {"extractive": {"status": "ran", **figures}}}


BASELINE = {"mode": "extractive", "fingerprint": "f", "gated": ["accuracy", "citation_precision", "abstention_recall"],
            "figures": {"accuracy": 0.8, "citation_precision": 0.9, "abstention_recall": 1.0, "mrr": 0.9}}


def test_the_gate_passes_at_or_above_the_baseline():
    assert check(_report(accuracy=0.8, citation_precision=0.95, abstention_recall=1.0, mrr=0.1), BASELINE) == ([], [])


def test_the_gate_fails_on_any_gated_drop():
    regressions, _ = check(_report(accuracy=0.79, citation_precision=0.9, abstention_recall=0.9), BASELINE)
    assert [r.metric for r in regressions] == ["accuracy", "abstention_recall"]


def test_the_gate_fails_when_the_mode_did_not_run_and_warns_on_other_questions():
    report = {"dataset": {"fingerprint": "g"}, "modes": {"extractive": {"status": "skipped", "reason": "x"}}}
    regressions, warnings = check(report, BASELINE)
    assert len(regressions) == 3 and warnings


def test_a_digit_ordinal_in_a_date_is_its_number():
    assert contains_alias("The Pixel 6 was announced on October 19th, 2021.", "October 19 2021")
    assert contains_alias("It opened on the 3rd of May.", "3 of May")
    assert not contains_alias("It opened on October 18th, 2021.", "October 19 2021")
