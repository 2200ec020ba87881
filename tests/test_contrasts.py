"""Comparisons and changes read by their sides (assistant/contrasts.py), negations and list roles of shared
predicates (assistant/predicates.py), all wired into roles.conflict, on synthetic sentences: every sentence here is
made up, about the made-up towns of Orlen, Kelvara and Dunmore, and labelled by hand. Real spaCy parses throughout.
"""

from __future__ import annotations

import pytest

from assistant import contrasts, frames, predicates, roles
from assistant.types import Chunk

# Synthetic: (answer sentence, passage sentence, rule, words the reason must quote), each a misstatement.
MISSTATED = [
    # comparisons with a multiplier, sides read from the parse (the passage's side is a clause)
    ("The Orlen council spent nine times as much on the depot as the depot now earns in fees.",
     "The depot's fee income is nine times more than the $2 million the Orlen council spent on it.",
     "comparison", ["nine times more", "turns the comparison round"]),
    ("Orlen sent half as many trains to Kelvara as Dunmore did.",
     "Orlen sent twice as many trains to Kelvara as Dunmore did.", "comparison", ["twice as many", "half as many"]),
    ("Orlen's grain exports were three times larger than Kelvara's.",
     "Kelvara's grain exports were three times larger than Orlen's.", "comparison", ["three times larger"]),
    # "fewer / more than" whose sides are described, not named
    ("Orlen's 12 trains were fewer than any other town in the region ran.",
     "Orlen, which ran 12 trains, more than any other town in the region, won the rail prize.",
     "comparison", ["more than any other town", "fewer than"]),
    # a comparison of two things the passage counts
    ("The Orlen fair has been held more times than there have been winners.",
     "The Orlen fair has been held 40 times, with 45 winners.", "comparison", ["40 times", "45 winners"]),
    ("The depot in Orlen has more cranes than gates.", "The depot in Orlen has 9 cranes and 12 gates.",
     "comparison", ["9 cranes", "12 gates"]),
    # direction words for amounts
    ("Freight in Orlen was up 12 percent from last year.", "Freight in Orlen fell 12 percent from last year.",
     "direction", ["fell 12 percent", "up 12 percent"]),
    ("Orlen's freight was 3 million tonnes in 2021, up from 4 million tonnes.",
     "Orlen's freight fell to 3 million tonnes in 2021 from 4 million tonnes.", "direction", ["fell", "up"]),
    ("The council spent $2 million more than in 2020.", "The council's spending fell by $2 million from 2020.",
     "direction", ["fell by $2 million", "$2 million more than in 2020"]),
    ("Orlen's freight volume halved in 2020.", "In 2020 Orlen doubled its freight volume.", "direction",
     ["doubled", "halved"]),
    # direction words of opposite pairs: a change's pace said of what changes, and verbs of helping / holding back
    ("Orlen's freight boom owes much to the slowing progress of its rail works.",
     "Orlen's freight boom owes much to the rapid progress of its rail works.", "direction", ["rapid", "slowing"]),
    ("The Orlen council's plan has focused on reforms and on a shrinking regional audience.",
     "The Orlen council's plan has focused on reforms and on expanding its regional audience.", "direction",
     ["expanding", "shrinking"]),
    ("The new depot would dampen the economic development of the Kelvara valley.",
     "The new depot would invigorate the economic development of the Kelvara valley.", "direction",
     ["invigorate", "dampen"]),
    # negation added or dropped around a predicate the passage states
    ("Orlen was not the first town to open a rail depot.", "Orlen became the first town to open a rail depot.",
     "negation", ["the first town to open a rail depot", "not the first"]),
    ("Orlen is not the only town with a rail depot.", "Orlen is the only town with a rail depot.", "negation",
     ["not the only town"]),
    ("Orlen was never the first town to open a depot.", "Orlen was the first town to open a depot.", "negation",
     ["never"]),
    ("Orlen was the first town to open a depot.", "Orlen was not the first town to open a depot.", "negation",
     ["it is not the first town", "the answer says it is"]),
    ("Ida Varga no longer leads the council.", "Ida Varga leads the council.", "negation",
     ["Ida Varga leads the council", "no longer"]),
    ("Ida Varga still leads the council.", "Ida Varga no longer leads the council.", "negation",
     ["denies", "no longer"]),
    # a denial, in other words than the passage's, of what the passage states with no negation at all
    ("Ida Varga does not regard the Orlen depot as an asset with investment potential.",
     "Ida Varga points to the investment potential of the Orlen depot as an asset.", "negation",
     ["no negation", "not regard"]),
    ("According to the poll, Kelvara voters did not want Ida Varga to win the vote.",
     "The poll found Kelvara voters preferred that Ida Varga win the vote.", "negation", ["not want"]),
    # role swaps where one side is a list
    ("Orlen beat Kelvara and Dunmore to host the fair.",
     "After two failed bids, the town beat Orlen and Dunmore to host the fair.", "role",
     ["the town beat Orlen and Dunmore", "Orlen beat Kelvara and Dunmore"]),
    ("Orlen and Kelvara beat Dunmore to host the fair.", "Orlen beat Kelvara and Dunmore to host the fair.", "role",
     ["Orlen beat Kelvara and Dunmore"]),
]

# Synthetic faithful paraphrases (and one sentence about something else): none is a contradiction.
FAITHFUL = [
    ("Kelvara and Dunmore were beaten by Orlen in the bid to host the fair.",
     "Orlen beat Kelvara and Dunmore to host the fair."),
    ("Orlen beat Kelvara and Dunmore to host the fair.",
     "Kelvara and Dunmore lost to Orlen in the bid to host the fair."),
    ("Kelvara was beaten by Orlen in the final.", "Orlen defeated Kelvara in the final."),
    ("Kelvara trails Orlen in rail freight.", "Orlen leads Kelvara in rail freight."),
    ("Kelvara trails Orlen in freight, with half as many trains.",
     "Orlen leads Kelvara in freight and has twice as many trains."),
    ("Orlen has twice as many trains as Kelvara.", "Orlen has double the number of trains that Kelvara has."),
    ("Orlen's train fleet is double the size of Kelvara's.", "Orlen has twice as many trains as Kelvara."),
    ("Orlen exported twice as much grain as Kelvara.", "Kelvara exported half as much grain as Orlen."),
    ("The Orlen depot handled fewer trains than the Kelvara depot.",
     "The Kelvara depot handled more trains than the Orlen depot."),
    ("Orlen exported more grain than Kelvara did.", "Kelvara exported less grain than Orlen."),
    ("The depot now earns nine times as much in fees as the Orlen council spent on it.",
     "The depot's fee income is nine times more than the $2 million the Orlen council spent on it."),
    ("The depot in Orlen has fewer cranes than gates.", "The depot in Orlen has 9 cranes and 12 gates."),
    ("More than 90 towns sent teams to the Orlen fair.", "Over 90 towns sent teams to the Orlen fair."),
    ("Freight in Orlen was 3 million tonnes, down from 4 million tonnes.",
     "Freight in Orlen fell to 3 million tonnes from 4 million tonnes."),
    ("Exports from Orlen were up 5% on the year.", "Orlen's exports increased 5% year on year."),
    ("Orlen's exports rose to $5 million, up from $3 million.",
     "Orlen's exports increased from $3 million to $5 million."),
    ("The council spent $2 million less than in 2020.", "The council's spending fell by $2 million from 2020."),
    ("Orlen's debt fell by half.", "Orlen halved its debt."),
    ("The number of trains in Orlen doubled to 40.", "The number of trains in Orlen rose from 20 to 40."),
    ("Orlen's freight grew in 2021, though less than in 2020.",
     "Orlen's freight grew in 2021, but more slowly than in 2020."),
    ("Tomas Reid will step down from the council in May.",
     "Tomas Reid, who will step down from the council in May, saw his pay rise 5%."),
    ("Orlen's revenue rose sharply in 2021.", "Orlen's profit fell in 2021."),  # about something else
    ("Orlen's freight boom owes much to the quick progress of its rail works.",
     "Orlen's freight boom owes much to the rapid progress of its rail works."),
    ("The new depot would energise the economic development of the Kelvara valley.",
     "The new depot would invigorate the economic development of the Kelvara valley."),
    ("The Orlen council's plan has focused on reforms and on a growing regional audience.",
     "The Orlen council's plan has focused on reforms and on expanding its regional audience."),
    ("Orlen's rail works saw a rapid decline in freight.", "Orlen's rail works saw a steep decline in freight."),
    ("The depot would speed up Orlen's growth.", "The depot would accelerate Orlen's growth."),
    ("Orlen became the first town to open a rail depot.", "Orlen was the first town to open a rail depot."),
    ("At the time, Ida Varga was not the mayor.", "At the time, Ida Varga was not yet the mayor of Orlen."),
    ("Ida Varga ceased to lead the council in 2020.", "Since 2020 Ida Varga no longer leads the council."),
    # a denial the passage gives in its own words ("absent", "former", "skipped", "voted against", "accepted")
    ("Ida Varga did not attend the Orlen rail fair in May.", "Ida Varga was absent from the Orlen rail fair in May."),
    ("Ida Varga is not the head of the Orlen rail club.",
     "Ida Varga, the former head of the Orlen rail club, spoke on Monday."),
    ("Ida Varga did not take part in the Orlen rail fair in May.", "Ida Varga skipped the Orlen rail fair in May."),
    ("The Orlen council did not back the Kelvara rail plan.", "The Orlen council voted against the Kelvara rail plan."),
    ("Orlen did not reject the Kelvara rail plan.", "Orlen accepted the Kelvara rail plan."),
    ("Orlen's freight did not rise in 2021.", "Orlen's freight fell in 2021."),
]


@pytest.mark.parametrize("claim,unit,rule,words", MISSTATED)
def test_a_misstatement_is_named_in_plain_words(claim, unit, rule, words):
    module = predicates if rule in ("negation", "role") else contrasts
    found = module.conflict(claim, unit)
    assert found is not None and found.rule == rule, found
    assert all(w in found.reason for w in words), found.reason
    assert roles.conflict(claim, unit) is not None  # wired in (an earlier rule may name it first)


@pytest.mark.parametrize("claim,unit", FAITHFUL)
def test_a_faithful_paraphrase_is_no_contradiction(claim, unit):
    assert roles.conflict(claim, unit) is None


def test_the_sides_of_a_multiplier_comparison_are_read_from_the_parse():
    """The passage's lower side is the quantity and the clause after it ("the $2 million the council spent on
    it"), which the parser hangs on the verb; the higher side is the subject."""
    (found,) = contrasts.comparisons("The depot's fee income is nine times more than the $2 million the Orlen "
                                     "council spent on it.")
    assert {"fee", "incom"} <= set(found.higher) and {"orlen", "council", "spend"} <= set(found.lower)
    assert not set(found.higher) & {"orlen", "council"}
    (mine,) = contrasts.comparisons("The Orlen council spent nine times as much on the depot as the depot now "
                                    "earns in fees.")
    assert {"orlen", "council"} <= set(mine.higher) and {"earn", "fee"} <= set(mine.lower)


def test_a_quantity_after_than_is_no_comparison_and_an_earlier_time_is_a_change():
    assert contrasts.comparisons("Orlen Rail Works has bought more than 40,000 chips.") == ()
    assert contrasts.comparisons("Orlen won more than a third of the seats.") == ()
    (change,) = contrasts.changes("The council spent $2 million less than in 2020.")
    assert change.polarity == -1 and change.amount == {"2000000"}
    assert contrasts.comparisons("The council spent $2 million less than in 2020.") == ()


def test_a_predicate_complement_carries_its_negation_and_subject():
    (said,) = predicates.complements("Orlen became the first town to open a rail depot.")
    (denied,) = predicates.complements("It was not the first town to open a rail depot.")
    assert said.head == denied.head and said.marks == denied.marks == {"first"}
    assert said.subject == {"orlen"} and not denied.subject  # "it": whoever the passage says
    assert not said.negation and denied.negation == "not"


def test_a_misstatement_is_removed_by_the_verifier_and_its_faithful_paraphrase_kept(verifier):
    unit = "Freight in Orlen rose 12 percent in 2021, and Orlen became the first town to open a rail depot."
    passages = verifier.passages([Chunk("o-9", "o", unit, 0, len(unit))])
    wrong = verifier.verify("Freight in Orlen was down 12 percent in 2021 [1].", passages).checks[0]
    assert not wrong.supported and wrong.rule == "direction" and "rose 12 percent" in wrong.reason
    kept = verifier.verify("Freight in Orlen was up 12 percent in 2021 [1].", passages).checks[0]
    assert kept.supported, kept.reason


# Synthetic: a defeat says who won, however it is written; the one beaten did not win.
DEFEATS = ["Kelvara lost to Orlen in the bid to host the fair.", "Kelvara was beaten by Orlen in the bid for the fair.",
           "Orlen beat Kelvara in the bid to host the fair."]


@pytest.mark.parametrize("unit", DEFEATS)
def test_a_defeat_says_who_won(unit):
    assert roles.conflict("Orlen won the bid to host the fair.", unit) is None
    found = roles.conflict("Kelvara won the bid to host the fair.", unit)
    assert found is not None and found.rule == "role"
    assert "Orlen won" in found.reason, found.reason


def test_a_denied_defeat_names_no_winner():
    assert roles.conflict("Kelvara won the bid.", "Kelvara did not beat Orlen in the bid for the fair.") is None


# Synthetic: two things the passage ranks, and the answer giving each the other's rank.
RANKED = "Ida Varga became the first woman mayor of Orlen and the third mayor born in Kelvara."


def test_ranks_moved_between_the_things_a_passage_ranks_are_a_conflict():
    assert {(r, k) for r, k, _ in predicates.ordinals(RANKED)} == {(1, frozenset({"woman", "mayor"})),
                                                                  (3, frozenset({"mayor"}))}
    found = roles.conflict("Ida Varga became the third woman mayor of Orlen and the first mayor born in Kelvara.",
                           RANKED)
    assert found is not None and found.rule == "rank" and "first woman mayor" in found.reason, found


@pytest.mark.parametrize("claim", [
    "Ida Varga, the third mayor born in Kelvara, became the first woman mayor of Orlen.",  # reordered
    "Ida Varga became the second woman mayor of Orlen.",  # a wrong rank, but none moved: not this rule's
    "Sales rose in the first and second quarters.",
])
def test_ranks_kept_or_not_moved_are_no_rank_conflict(claim):
    found = roles.conflict(claim, RANKED)
    assert found is None or found.rule != "rank", found


def test_the_verifier_removes_the_moved_rank(verifier):
    passages = verifier.passages([Chunk("o-10", "o", RANKED, 0, len(RANKED))])
    wrong = verifier.verify("Ida Varga became the third woman mayor of Orlen and the first mayor born in Kelvara "
                            "[1].", passages).checks[0]
    assert not wrong.supported and wrong.rule == "rank", wrong
    kept = verifier.verify("Ida Varga became Orlen's first woman mayor and the third mayor born in Kelvara [1].",
                           passages).checks[0]
    assert kept.supported, kept.reason


# Synthetic: the order of two sides, said by a comparative verb or phrase ("ahead of", "outclasses", "trailed") in
# the answer, and by a winner, a superlative count or an ordering noun ("an upgrade to") in the passage.
PODIUM = "Ida Varga won the Orlen marathon, while Tomas Reid and Ana Holt rounded out the podium."
UPGRADE = "Editor's note: The Kelvara 6a came out in 2022 and is an upgrade in every way to the Kelvara 5a."
MOST = "Ida Varga was the Orlen mayor with most re-election wins as of 2021."
ORDER_REVERSED = [
    ("Tomas Reid finished ahead of Ida Varga in the Orlen marathon.", PODIUM, "ranks first"),
    ("The Kelvara 5a outclasses the Kelvara 6a in every way.", UPGRADE, "upgrade"),
    ("The Kelvara 5a outclasses the Kelvara 6a in every way.",
     "The Kelvara 5a is outclassed in every way by the Kelvara 6a.", "outclassed"),
    ("As of 2021, Ida Varga trailed other Orlen mayors in re-election wins.", MOST, "most"),
]
ORDER_KEPT = [
    ("Ida Varga finished ahead of Tomas Reid in the Orlen marathon.", PODIUM),
    ("Tomas Reid finished behind Ida Varga in the Orlen marathon.", PODIUM),
    ("Ida Varga won the Orlen marathon ahead of Tomas Reid.", PODIUM),
    ("The Kelvara 5a is bettered in every way by the Kelvara 6a, which came out in 2022.", UPGRADE),
    ("The Kelvara 6a outclasses the Kelvara 5a in every way.", UPGRADE),
    ("As of 2021, other Orlen mayors trailed Ida Varga in re-election wins.", MOST),
    ("Ida Varga had the most re-election wins of any Orlen mayor as of 2021.", MOST),
]


@pytest.mark.parametrize("claim,unit,cue", ORDER_REVERSED)
def test_an_order_turned_round_is_a_comparison_conflict(claim, unit, cue):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == "comparison", found
    assert cue in found.reason, found.reason


@pytest.mark.parametrize("claim,unit", ORDER_KEPT)
def test_an_order_kept_is_no_contradiction(claim, unit):
    assert roles.conflict(claim, unit) is None


def test_a_model_number_is_a_name_of_its_own():
    """"the Kelvara 5a" and "the Kelvara 6a" are two things, not one "Kelvara"."""
    (found,) = frames.read("The Kelvara 5a outclasses the Kelvara 6a in every way.").comparisons
    assert {"5a"} <= found.higher and found.lower == {"6a"}


def test_the_verifier_removes_a_denial_and_a_turned_order_and_keeps_their_paraphrases(verifier):
    text = ("The poll found Kelvara voters preferred that Ida Varga win the vote. " + PODIUM)
    passages = verifier.passages([Chunk("o-11", "o", text, 0, len(text))])
    denied = verifier.verify("Kelvara voters did not want Ida Varga to win the vote [1].", passages).checks[0]
    assert not denied.supported and denied.rule == "negation", denied
    turned = verifier.verify("Tomas Reid finished ahead of Ida Varga in the Orlen marathon [1].", passages).checks[0]
    assert not turned.supported and turned.rule == "comparison", turned
    kept = verifier.verify("Ida Varga won the Orlen marathon, ahead of Tomas Reid and Ana Holt [1].", passages)
    assert kept.checks[0].supported, kept.checks[0].reason


# Synthetic: opposite words of a change or an age, bounds stated the other way, numbered ranks compared with a
# larger number above, denials by an implicative verb ("failed to") or "never" on an adverb, "respectively" pairs
# swapped, a lead one name owns given to another, a share ("a tenth of what Y has") with its sides turned, and a
# description moved to another name, the two sides of "was more than double what" turned round, and two posts
# swapped between two people.
REWORDED = [
    ("The cost of running the Orlen depot has plunged since 2010.",
     "The cost of running the Orlen depot has skyrocketed since 2010.", "direction", ["skyrocketed", "plunged"]),
    ("The Orlen rail fair has been in something of a decline since 2015.",
     "The Orlen rail fair has had a resurgence since 2015.", "direction", ["resurgence", "decline"]),
    ("Orlen's next growth will come from its newest depot.", "Orlen's next growth will come from its oldest depot.",
     "direction", ["oldest", "newest"]),
    ("The Orlen depot's revenue topped $40 million in 2021.",
     "The Orlen depot's revenue was nearly $40 million in 2021.", "comparison",
     ["nearly $40 million", "topped $40 million"]),
    ("Kelvara spent just under $3 million on the depot.", "Kelvara spent more than $3 million on the depot.",
     "comparison", ["more than $3 million", "just under $3 million"]),
    ("Ida Varga ended the season ranked higher in chess, at No. 7, than in draughts, at No. 3.",
     "Ida Varga ended the season in the top 10 in chess (at No.7) and draughts (at No.3).", "comparison",
     ["No. 3 above No. 7"]),
    ("Orlen hosts the fair even though the town failed to win the council vote in Kelvara.",
     "Orlen hosts the fair after the town scored a clear victory in the council vote in Kelvara.", "negation",
     ["failed to win"]),
    ("Ida Varga arrived at the Kelvara Open having never before played in a national chess final.",
     "Ida Varga arrived at the Kelvara Open having played in only one previous national chess final.", "negation",
     ["never"]),
    # two pairs of a "respectively" list swapped in one sentence
    ("Tomas Reid stars as Captain Sef and Mila Orr as Lord Brann.",
     "Ida Varga, Tomas Reid, and Mila Orr star in the Orlen play as Queen Alda, Lord Brann, and Captain Sef, "
     "respectively.", "role", ["Tomas Reid Lord Brann", "respectively"]),
    # a lead owned by one name given to another the passage names
    ("The talent gap is tied to the dominance Kelvara holds in rail freight.",
     "Unlike Kelvara, Orlen owes its talent gap to Orlen's dominance in rail freight.", "comparison",
     ["Orlen is ahead", "gives it to another"]),
    # a share or a multiple of what the other side holds, its sides turned round
    ("Kelvara has only a tenth of the rail freight capacity that Orlen has.",
     "The mayor pointed to the deficit in rail freight capacity in Orlen, a tenfold gap compared to Kelvara.",
     "comparison", ["the reverse", "tenth"]),
    ("Orlen has ten times the rail freight capacity that Kelvara has.",
     "The mayor pointed to the deficit in rail freight capacity in Orlen, a tenfold gap compared to Kelvara.",
     "comparison", ["the reverse", "times"]),
    # a description the passage binds to one name given to another name it gives
    ("Mila Orr, now one of the most sought-after rail engineers in Kelvara, was married to Tomas Reid.",
     "Tomas Reid is now one of the most sought-after rail engineers in Kelvara. He was married to Mila Orr.", "role",
     ["Tomas Reid is", "says it of Mila Orr"]),
    # "X was more than double what Y ...": the sides of a multiple, read from the words
    ("The Orlen depot's income in 2019 was more than double what it earned this year.",
     "In 2019 the Orlen depot earned $2 million. This year its income was more than double what the depot earned "
     "in 2019.", "comparison", ["turns the comparison round", "This year its income was more than double"]),
    # two posts the passage gives two people, swapped between them
    ("Tomas Reid was named chief executive of Orlen Rail, while Mila Orr stays on as chairman.",
     "Mila Orr was named chief executive of Orlen Rail, and Tomas Reid will remain its chairman.", "post",
     ["ceo post to Mila Orr", "the answer gives Tomas Reid the ceo post"]),
]
REWORDED_KEPT = [
    ("The cost of running the Orlen depot has soared since 2010.",
     "The cost of running the Orlen depot has skyrocketed since 2010."),
    ("The Orlen rail fair has enjoyed a revival since 2015.", "The Orlen rail fair has had a resurgence since 2015."),
    ("Orlen's next growth will come from its earliest depot.", "Orlen's next growth will come from its oldest depot."),
    ("The Orlen depot's revenue was almost $40 million in 2021.",
     "The Orlen depot's revenue was nearly $40 million in 2021."),
    ("Kelvara spent over $3 million on the depot.", "Kelvara spent more than $3 million on the depot."),
    ("Ida Varga ended the season ranked higher in draughts, at No. 3, than in chess, at No. 7.",
     "Ida Varga ended the season in the top 10 in chess (at No.7) and draughts (at No.3)."),
    ("Orlen hosts the fair after the town won the council vote in Kelvara.",
     "Orlen hosts the fair after the town scored a clear victory in the council vote in Kelvara."),
    ("Ida Varga failed to win the council vote in Kelvara.", "Ida Varga lost the council vote in Kelvara."),
    ("Ida Varga arrived at the Kelvara Open having never before played in a national chess final.",
     "Ida Varga arrived at the Kelvara Open having never played in a national chess final before."),
    ("Tomas Reid stars as Lord Brann and Mila Orr as Captain Sef.",
     "Ida Varga, Tomas Reid, and Mila Orr star in the Orlen play as Queen Alda, Lord Brann, and Captain Sef, "
     "respectively."),
    ("The talent gap is tied to the dominance Orlen holds in rail freight.",
     "Unlike Kelvara, Orlen owes its talent gap to Orlen's dominance in rail freight."),
    ("Orlen has only a tenth of the rail freight capacity that Kelvara has.",
     "The mayor pointed to the deficit in rail freight capacity in Orlen, a tenfold gap compared to Kelvara."),
    ("Kelvara has ten times the rail freight capacity that Orlen has.",
     "The mayor pointed to the deficit in rail freight capacity in Orlen, a tenfold gap compared to Kelvara."),
    ("Tomas Reid, now one of the most sought-after rail engineers in Kelvara, was married to Mila Orr.",
     "Tomas Reid is now one of the most sought-after rail engineers in Kelvara. He was married to Mila Orr."),
    ("The Orlen depot's income this year was more than double what it earned in 2019.",
     "In 2019 the Orlen depot earned $2 million. This year its income was more than double what the depot earned "
     "in 2019."),
    ("Mila Orr became chief executive of Orlen Rail, while Tomas Reid stays on as chairman.",
     "Mila Orr was named chief executive of Orlen Rail, and Tomas Reid will remain its chairman."),
    ("Tomas Reid remains chairman of Orlen Rail.",
     "Mila Orr was named chief executive of Orlen Rail, and Tomas Reid will remain its chairman."),
]


@pytest.mark.parametrize("claim,unit,rule,words", REWORDED)
def test_a_reworded_reversal_bound_rank_or_denial_is_a_conflict(claim, unit, rule, words):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == rule, found
    assert all(w in found.reason for w in words), found.reason


@pytest.mark.parametrize("claim,unit", REWORDED_KEPT)
def test_the_same_change_bound_rank_or_denial_in_other_words_is_no_conflict(claim, unit):
    assert roles.conflict(claim, unit) is None
