"""The verifier on the labelled claims of eval/verifier/claims.jsonl (seed article from corpus/, RGB passages
read from ../shared), and the role/direction rules on synthetic sentences about the made-up town of Orlen."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant import roles
from assistant.meaning import load_decision
from assistant.types import Chunk
from eval.verifier_set import FAITHFUL, MISSTATEMENTS, available, cases


@pytest.fixture(scope="module")
def verdicts(verifier):
    if not available():
        pytest.fail("../shared/datasets/rgb-en-fact is missing: the labelled claims need its passages")
    out = {}
    for case in cases():
        result = verifier.verify(f"{case.claim} [1]", verifier.passages([case.chunk]))
        out[case.id] = (case, result.checks[0])
    return out


def test_the_fitted_decision_is_the_committed_one():
    decision = load_decision()
    assert decision is not None and len(decision.weights) == len(decision.features)


def test_the_labelled_set_is_large_enough_and_split_by_class():
    all_cases = cases()
    faithful = [c for c in all_cases if c.supported]
    assert len(faithful) >= 60 and len(all_cases) - len(faithful) >= 60
    assert {c.split for c in all_cases} <= {"dev", "heldout", "pending"}
    by = Counter((c.cls, c.split) for c in all_cases)
    for cls in FAITHFUL + MISSTATEMENTS:
        assert by[(cls, "dev")] and by[(cls, "heldout")], cls


# The dev split is what the decision is fitted on and the rules were fixed against, so it is held to the issue's
# targets. The held-out split is written blind after each round of fixes and only reported (python -m
# eval.fit_verifier --report); here it is held to a floor that catches a collapse (rules that fit the dev wording
# only), not to the target, which would turn it into a second dev set.
HELDOUT_FLOOR = 0.75


def _rate(verdicts, split: str, supported: bool) -> float:
    right = [check.supported == supported for case, check in verdicts.values()
             if case.split == split and case.supported == supported]
    return sum(right) / len(right)


def test_faithful_paraphrases_are_kept(verdicts):
    assert _rate(verdicts, "dev", True) >= 0.9
    assert _rate(verdicts, "heldout", True) >= HELDOUT_FLOOR


def test_misstatements_are_removed_and_say_which_rule(verdicts):
    assert _rate(verdicts, "dev", False) >= 0.95
    assert _rate(verdicts, "heldout", False) >= HELDOUT_FLOOR
    removed = [check for case, check in verdicts.values() if not case.supported and not check.supported]
    assert all(check.rule and check.reason for check in removed)
    assert {c.rule for c in removed} >= {"facts", "addition", "negation", "direction", "comparison", "role"}


@pytest.mark.parametrize("claim,unit,rule,words", [
    ("Tomas Reid defeated Ida Varga in the mayoral race.", "Ida Varga defeated Tomas Reid in the mayoral race.",
     "role", ["Ida Varga defeated Tomas Reid", "Tomas Reid defeated Ida Varga"]),
    ("Orlen trails Kelvara in rail freight.", "Orlen leads Kelvara in rail freight.", "comparison", ["reverse"]),
    ("Harbour master Tomas Reid expects freight growth to accelerate.",
     "Harbour master Tomas Reid expects freight growth to slow.", "direction", ["slow", "accelerate"]),
    ("Ida Varga is optimistic about the depot.", "Ida Varga is pessimistic about the depot.", "direction",
     ["pessimistic", "optimistic"]),
    ("Orlen Rail Works will not open a depot.", "Orlen Rail Works will open a depot.", "negation", ["not"]),
    ("Ida Varga is the mayor of Orlen.", "Tomas Reid is the mayor of Orlen.", "role", ["Tomas Reid", "Ida Varga"]),
    ("Kelvara finished ahead of Orlen.", "Champions Orlen Runners-up Kelvara", "comparison", ["reverse"]),
    ("The cast: Ida Varga (Lady Orla) and Tomas Reid (Captain Fenn).",
     "The cast: Tomas Reid (Lady Orla) and Ida Varga (Captain Fenn).", "role", ["Tomas Reid", "Ida Varga"]),
    ("The depot in Orlen opened on March 3 without any delays.",
     "After long delays, the depot in Orlen opened on March 3.", "negation", ["delays", "without"]),
    ("Orlen Rail Works does not aim to open a depot in Kelvara.",
     "The goal of Orlen Rail Works is to open a depot in Kelvara.", "negation", ["not open"]),
    ("Orlen's freight industry is shrinking fast.", "Orlen's freight industry is experiencing rapid growth.",
     "direction", ["growth", "shrinking"]),
    ("Orlen's freight industry is in steep decline.", "Orlen's freight industry is experiencing rapid growth.",
     "direction", ["growth", "decline"]),
    ("Ida Varga expects a widening of the gap between Orlen and Kelvara.",
     "Ida Varga expects a reduction in the gap between Orlen and Kelvara.", "direction", ["reduction", "widening"]),
    ("The Orlen council is discouraging rail investment.", "The Orlen council is encouraging rail investment.",
     "direction", ["encouraging", "discouraging"]),
    ("Orlen's freight grew 5% last year.", "Freight in Orlen and Kelvara grew 3% and 5%, respectively, last year.",
     "role", ["respectively", "Orlen 3%"]),
    ("Orlen Rovers won the cup in 2017.", "Orlen Rovers won the cup in 2018 after beating Kelvara in 2017.", "role",
     ["2018", "2017"]),
    # a multiple of what the other side has, against a deficit or another multiple
    ("Mayor Ida Varga said Orlen's rail capacity is ten times that of Kelvara.",
     "Mayor Ida Varga acknowledged the current deficit in rail capacity in Orlen, pointing out a tenfold gap compared "
     "to Kelvara.", "comparison", ["reverse", "times"]),
    ("Orlen's freight is twice that of Kelvara.", "Orlen's freight is half that of Kelvara.", "comparison",
     ["reverse", "twice"]),
    ("Orlen carries three times as much freight as Kelvara.", "Kelvara carries three times as much freight as Orlen.",
     "comparison", ["reverse"]),
    # a table of standings: a position opens each entry
    ("Tomas Reid finished ahead of Ida Varga at the Orlen Open.",
     "Orlen Open 2024 ; T4, Kelvara I. Varga ; T4, Orlen A. Kell ; T9, Orlen T. Reid ...", "comparison",
     ["reverse", "Varga ranks fourth", "Reid number 9"]),
    # the doer of a post's verb: the passage's director is not the one the answer says directed it
    ("The Orlen film was directed by Tomas Reid from a screenplay by Ida Varga.",
     "The Orlen film's director Ida Varga and screenwriter Tomas Reid met in 1990.", "role",
     ["Ida Varga is the director", "Tomas Reid directed"]),
    # a post written with a capital, in apposition: the parser reads it as a proper name
    ("Professor Varga, head of the university's School of Music, said it was right that Dr. Tomas Reid was being "
     "awarded the Orlen Prize.", "Dr. Tomas Reid, Head of the university's School of Music, said: \"It is right that "
     "Professor Varga is being awarded the Orlen Prize ...", "role", ["Tomas Reid is Head", "Varga is head"]),
])
def test_a_contradiction_is_named_in_plain_words(claim, unit, rule, words):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == rule, found
    assert all(w in found.reason for w in words), found.reason


@pytest.mark.parametrize("claim,unit", [
    ("Ida Varga was defeated by Tomas Reid.", "Tomas Reid defeated Ida Varga."),
    ("Kelvara trails Orlen in rail freight.", "Orlen leads Kelvara in rail freight."),
    ("Tomas Reid said growth will slow.", "Harbour master Tomas Reid expects growth to slow."),
    ("She said the project cost 2.5 billion euros.", "Mayor Ida Varga said the project cost 2.5 billion euros."),
    ("The depot in Orlen opened with no delays.", "The depot in Orlen opened without delays."),
    ("Orlen Rail Works aims to open a depot in Kelvara.",
     "The goal of Orlen Rail Works is to open a depot in Kelvara."),
    ("Kelvara's freight grew 5% last year.", "Freight in Orlen and Kelvara grew 3% and 5%, respectively, last year."),
    # the time of an adverbial clause is its head's when the head has none of its own
    ("Orlen Rovers won their second league title in the 2019 final.",
     "Orlen Rovers won their second league title after beating Kelvara 3-1 in the 2019 final."),
    ("Mayor Ida Varga said Kelvara has ten times Orlen's rail capacity.",
     "Mayor Ida Varga acknowledged the current deficit in rail capacity in Orlen, pointing out a tenfold gap compared "
     "to Kelvara."),
    ("Orlen's freight is twice that of Kelvara.", "Kelvara's freight is half that of Orlen."),
    ("Ida Varga finished ahead of Tomas Reid at the Orlen Open.",
     "Orlen Open 2024 ; T4, Kelvara I. Varga ; T4, Orlen A. Kell ; T9, Orlen T. Reid ..."),
    ("Tomas Reid finished ahead of Ida Varga.", "Orlen Open winners ; 2024, Tomas Reid (Poland), Ida Varga (Austria)"),
    ("The Orlen film was directed by Ida Varga from a screenplay by Tomas Reid.",
     "The Orlen film's director Ida Varga and screenwriter Tomas Reid met in 1990."),
    ("Ida Varga directed the Orlen film with Tomas Reid.", "The Orlen film's director Ida Varga met Tomas Reid."),
    ("Kelvara beat Orlen three times in a row.", "Orlen lost to Kelvara three times in a row."),  # a count, no ratio
    ("Tomas Reid, head of the Orlen School of Music, said Ida Varga was right.",
     "Tomas Reid, Head of the Orlen School of Music, said Ida Varga was right."),
    ("The Kelvara Courier, founded by Ida Varga, first appeared in 1990.",
     "The Kelvara Courier was a Polish daily newspaper founded by Ida Varga that first appeared in 1990."),
])
def test_the_same_roles_in_other_words_are_no_contradiction(claim, unit):
    assert roles.conflict(claim, unit) is None


def test_a_contradicted_sentence_is_removed_even_when_another_passage_states_its_facts(verifier):
    a = "Ida Varga defeated Tomas Reid in the mayoral race on March 3."
    b = "Tomas Reid and Ida Varga met on March 3 in Orlen."
    passages = verifier.passages([Chunk("a-0", "a", a, 0, len(a)), Chunk("b-0", "b", b, 0, len(b))])
    result = verifier.verify("Tomas Reid defeated Ida Varga in the mayoral race on March 3 [1].", passages)
    assert result.text == "" and result.checks[0].rule == "role"


def test_a_bare_answer_is_checked_in_the_role_its_question_asks_for(verifier):
    text = "Results of the 2024 rowing cup. Champions Norway Runners-up Chile Third place Kenya"
    passages = verifier.passages([Chunk("c-0", "c", text, 0, len(text))])
    runner_up = verifier.verify("Chile [1]", passages, "Who won the 2024 rowing cup?").checks[0]
    assert not runner_up.supported and runner_up.rule == "rank" and "second" in runner_up.reason
    assert verifier.verify("Norway [1]", passages, "Who won the 2024 rowing cup?").checks[0].supported


ORLEN_UNIT = "The Orlen council is stepping up its support for the Kelvara freight depot."


@pytest.mark.parametrize("addition,words", [
    (", largely because of heavy lobbying by local farmers.", "lobbying"),  # a cause
    (" to cut shipping costs for grain exporters.", "shipping costs"),  # a purpose
    (", despite fierce opposition from environmental groups.", "opposition"),  # a circumstance
])
def test_an_unsupported_addition_is_removed_and_named(verifier, addition, words):
    claim = ORLEN_UNIT.rstrip(".") + addition
    passages = verifier.passages([Chunk("o-0", "o", ORLEN_UNIT, 0, len(ORLEN_UNIT))])
    check = verifier.verify(f"{claim} [1]", passages).checks[0]
    assert not check.supported and check.rule == "addition", check
    assert words in check.reason and "adds" in check.reason


def test_an_attribution_the_passage_does_not_make_is_an_addition(verifier):
    claim = "According to rail analysts, the Orlen council is stepping up its support for the Kelvara freight depot."
    passages = verifier.passages([Chunk("o-0", "o", ORLEN_UNIT, 0, len(ORLEN_UNIT))])
    check = verifier.verify(f"{claim} [1]", passages).checks[0]
    assert not check.supported and check.rule == "addition" and "analysts" in check.reason


def test_connective_words_are_no_addition(verifier):
    passages = verifier.passages([Chunk("o-0", "o", ORLEN_UNIT, 0, len(ORLEN_UNIT))])
    claim = "In short, the Orlen council is also stepping up its support for the Kelvara freight depot."
    assert verifier.verify(f"{claim} [1]", passages).checks[0].supported


def test_a_reworded_predicate_is_not_counted_as_an_added_phrase(verifier):
    """"increasing its backing" for "stepping up its support": words the unit lacks, but the sentence's own
    predicate and object, not a phrase hung on it."""
    from assistant import coverage
    from assistant.meaning import surface_words

    words = list(surface_words(ORLEN_UNIT).values())
    keys = coverage.unit_keys(ORLEN_UNIT)
    reworded = coverage.uncovered("The Orlen council is increasing its backing for the Kelvara freight depot.", keys,
                                  words, verifier.embedder)
    assert reworded.share > 0 and reworded.largest == 0
    added = coverage.uncovered(ORLEN_UNIT.rstrip(".") + " after months of protests by angry farmers.", keys, words,
                               verifier.embedder)
    assert added.largest >= 3 and "protests" in added.phrase


def test_a_reworded_predicate_with_an_opening_phrase_is_not_counted_as_an_added_phrase(verifier):
    """Synthetic: the uncovered words ("run", "expects", "shrink", "giving rise") hang on the sentence's root, so
    they reword its predicate; the phrase that opens the sentence ("In the long run") does not make them a
    modifier."""
    from assistant import coverage
    from assistant.meaning import surface_words

    unit = ("In the long term, the Orlen council foresees a diminishing deficit at the Kelvara freight depot, with "
            "Orlen even birthing firms valued in the billions.")
    claim = ("In the long run, the Orlen council expects the deficit at the Kelvara freight depot to shrink, with "
             "Orlen even giving rise to firms worth billions.")
    found = coverage.uncovered(claim, coverage.unit_keys(unit), list(surface_words(unit).values()), verifier.embedder)
    assert found.share > 0.2 and found.largest == 0, found


def test_an_addition_resting_on_the_next_sentence_is_supported_by_the_pair(verifier):
    text = ("The Orlen council is stepping up its support for the Kelvara freight depot. "
            "The depot will handle grain exports from local farms.")
    passages = verifier.passages([Chunk("o-1", "o", text, 0, len(text))])
    claim = ("The Orlen council is stepping up its support for the Kelvara freight depot, which will handle grain "
             "exports from local farms.")
    check = verifier.verify(f"{claim} [1]", passages).checks[0]
    assert check.supported, check.reason


@pytest.mark.parametrize("claim,extreme", [
    ("The Orlen council is stepping up its support for the Kelvara freight depot, the largest in the region.",
     "largest"),
    ("The Orlen council is stepping up its support for the most visited freight depot, in Kelvara.", "most visited"),
    ("The Orlen council is stepping up its support for the Kelvara freight depot, built in under a year.",
     "under a year"),
])
def test_a_superlative_or_time_span_the_passage_does_not_state_is_an_addition(verifier, claim, extreme):
    passages = verifier.passages([Chunk("o-0", "o", ORLEN_UNIT, 0, len(ORLEN_UNIT))])
    check = verifier.verify(f"{claim} [1]", passages).checks[0]
    assert not check.supported and check.rule == "addition" and extreme in check.reason, check


def test_a_means_the_passage_does_not_state_is_an_addition_and_one_it_states_is_kept(verifier):
    passages = verifier.passages([Chunk("o-0", "o", ORLEN_UNIT, 0, len(ORLEN_UNIT))])
    check = verifier.verify("The Orlen council is stepping up its support for the Kelvara freight depot by "
                            "borrowing [1].", passages).checks[0]  # one word, yet a fact of its own
    assert not check.supported and check.rule == "addition" and "by borrowing" in check.reason, check
    unit = "The Orlen council is stepping up its support for the Kelvara freight depot by funding new cranes."
    passages = verifier.passages([Chunk("o-3", "o", unit, 0, len(unit))])
    said = "The Orlen council is backing the Kelvara freight depot more by funding new cranes [1]."
    assert verifier.verify(said, passages).checks[0].supported


def test_a_superlative_the_passage_states_is_kept(verifier):
    unit = "The Kelvara freight depot, the largest in the region, opened on March 3."
    passages = verifier.passages([Chunk("o-2", "o", unit, 0, len(unit))])
    check = verifier.verify("The largest freight depot in the region opened in Kelvara on March 3 [1].", passages)
    assert check.checks[0].supported, check.checks[0].reason


def test_according_to_the_article_is_no_addition_but_according_to_others_is(verifier):
    passages = verifier.passages([Chunk("o-0", "o", ORLEN_UNIT, 0, len(ORLEN_UNIT))])
    said = "the Orlen council is stepping up its support for the Kelvara freight depot [1]."
    assert verifier.verify(f"According to the article, {said}", passages).checks[0].supported
    check = verifier.verify(f"According to local officials, {said}", passages).checks[0]
    assert not check.supported and check.rule == "addition" and "According to local officials" in check.reason


def test_a_time_span_counts_only_when_stated_word_for_word(verifier):
    """"years" is near "September" as a word vector; a time span is checked like a number all the same."""
    unit = "The Kelvara freight depot opened in September 2021."
    passages = verifier.passages([Chunk("o-3", "o", unit, 0, len(unit))])
    check = verifier.verify("The Kelvara freight depot opened in September 2021, after years of planning [1].",
                            passages).checks[0]
    assert not check.supported and check.rule == "addition" and "years" in check.reason


def test_an_ordinal_in_words_is_the_number_and_an_opening_connective_no_name(verifier):
    unit = "The Orlen rail fair, the 75th edition of the event, opened on March 3."
    passages = verifier.passages([Chunk("o-4", "o", unit, 0, len(unit))])
    for claim in ("The Orlen rail fair, the seventy-fifth edition of the event, opened on March 3.",
                  "Indeed, the Orlen rail fair opened on March 3, as the 75th edition of the event."):
        check = verifier.verify(f"{claim} [1]", passages).checks[0]
        assert check.supported, check.reason
    wrong = verifier.verify("The Orlen rail fair, the seventy-sixth edition of the event, opened on March 3 [1].",
                            passages).checks[0]
    assert not wrong.supported and wrong.rule == "facts"


def _check(verifier, claim: str, unit: str):
    passages = verifier.passages([Chunk("o-9", "o", unit, 0, len(unit))])
    return verifier.verify(f"{claim} [1]", passages).checks[0]


def test_a_subject_of_neither_nor_denies_its_verb(verifier):
    unit = "Ida Varga and Tomas Reid are first-time nominees for the Orlen prize."
    kept = _check(verifier, "Ida Varga and Tomas Reid are both first-time nominees for the Orlen prize.", unit)
    assert kept.supported, kept.reason
    denied = _check(verifier, "Neither Ida Varga nor Tomas Reid is a first-time nominee for the Orlen prize.", unit)
    assert not denied.supported and denied.rule == "negation" and "Neither" in denied.reason, denied
    won = "Ida Varga and Tomas Reid won seats on the Orlen council."
    assert roles.conflict("Neither Ida Varga nor Tomas Reid won seats on the Orlen council.", won).rule == "negation"
    assert roles.conflict("Neither Ida Varga nor Tomas Reid won seats on the Orlen council.",
                          "Neither Ida Varga nor Tomas Reid won seats on the Orlen council.") is None


def test_a_restriction_denied_is_the_opposite_of_it_stated(verifier):
    unit = "The Kelvara phone goes on sale on May 2, exclusively in Orlen."
    kept = _check(verifier, "The Kelvara phone goes on sale on May 2, exclusively in Orlen.", unit)
    assert kept.supported, kept.reason
    assert _check(verifier, "The Kelvara phone goes on sale on May 2, solely in Orlen.", unit).supported
    denied = _check(verifier, "The Kelvara phone goes on sale on May 2, but not exclusively in Orlen.", unit)
    assert not denied.supported and denied.rule == "negation" and "not exclusively" in denied.reason, denied
    wider = "The Kelvara phone goes on sale on May 2, though not only in Orlen."
    assert roles.conflict("The Kelvara phone goes on sale on May 2, only in Orlen.", wider).rule == "negation"
    assert roles.conflict("The Kelvara phone goes on sale on May 2, and not just in Orlen.", wider) is None


def test_lengthening_and_shortening_a_timeline_are_opposites(verifier):
    unit = "Ida Varga told Orlen staff to work from home until June, an extension of the council's earlier timeline."
    kept = _check(verifier, "Ida Varga told Orlen staff to work from home until June, extending the council's earlier "
                            "timeline.", unit)
    assert kept.supported, kept.reason
    cut = _check(verifier, "Ida Varga told Orlen staff to work from home until June, cutting short the council's "
                           "earlier timeline.", unit)
    assert not cut.supported and cut.rule == "direction" and "cutting short" in cut.reason, cut
    later = "The Orlen council pushed back the opening of the Kelvara bridge to May."
    assert roles.conflict("The Orlen council brought forward the opening of the Kelvara bridge to May.",
                          later).rule == "direction"
    assert roles.conflict("The Orlen council postponed the opening of the Kelvara bridge to May.", later) is None


def test_a_time_order_is_checked_against_the_dates_the_passage_gives_each_side(verifier):
    unit = "The Orlen open tournament runs May 8-11 at Kelvara park. Practice rounds begin Monday, May 5."
    kept = _check(verifier, "Practice rounds for the Orlen open begin on May 5, before the tournament itself runs "
                            "May 8-11 at Kelvara park.", unit)
    assert kept.supported, kept.reason
    for wrong in ("Practice rounds for the Orlen open only begin once the tournament itself has finished its May 8-11 "
                  "run at Kelvara park.",
                  "Practice rounds for the Orlen open begin only after the tournament at Kelvara park has finished."):
        check = _check(verifier, wrong, unit)
        assert not check.supported and check.rule == "comparison" and "May 5" in check.reason, check
    # "once" as "formerly" orders nothing; and a year on one side only is no day-by-day order
    assert roles.conflict("The Orlen open was once held after the Kelvara open.",
                          "The Orlen open was held on May 3. The Kelvara open was held on May 9.") is not None
    assert roles.conflict("The Orlen open was once the largest tournament in Kelvara.",
                          "The Orlen open runs May 8-11. The Kelvara open tournament runs May 2-4.") is None
    assert roles.conflict("The Kelvara open came after the Orlen open.",
                          "The Kelvara open was held on May 3, 2021. The Orlen open was held on May 9.") is None
