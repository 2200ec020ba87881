"""Whose fact it is (assistant/owners.py) and the role check that removes a fact moved to another name of the
same sentence (roles._moved). Every sentence here is synthetic, written for these tests: made-up products (the
Vega 2, the Rho, Kelvin 4), firms (Halvor Motors, Orlen Auto) and people (Ida Varga, Tomas Reid)."""

from __future__ import annotations

import pytest

from assistant import owners, roles
from assistant.types import Chunk

# Synthetic: (claim, passage sentence, words the reason must give).
MOVED = [
    # a noun event: the date is the phone's release, Kelvin 4's release is only placed a day before it
    ("Kelvin 4 was officially released on September 20, 2019.",
     "Preorders began on September 13, 2019, and the handset was officially released on September 20, 2019, one "
     "day after the official public release of Kelvin 4.", ["September 20, 2019", "the handset", "Kelvin 4"]),
    ("Kelvin 4 was released on March 3, 2021.",
     "The handset was released on March 3, 2021, two days after the release of Kelvin 4.",
     ["March 3, 2021", "the release of Kelvin 4"]),
    # possessive noun events
    ("Orlen Auto launched the Rho on May 5.",
     "Halvor Motors' launch of the Vega on May 5 came a week after Orlen Auto's launch of the Rho.",
     ["May 5", "Halvor Motors' launch of the Vega", "Orlen Auto"]),
    # a number in the name tells two versions apart; gapping gives the second its own date
    ("Kelvin 5 was released on March 1, 2021.", "Kelvin 4 was released on March 1, 2021, and Kelvin 5 on June 9, 2022.",
     ["March 1, 2021", "Kelvin 4", "Kelvin 5"]),
    # parentheticals: each name with its own date
    ("Kelvin 5 was released on March 1, 2021.",
     "Kelvin 4 (March 1, 2021) and Kelvin 5 (June 9, 2022) were both released by Halvor Motors.",
     ["March 1, 2021", "Kelvin 4", "Kelvin 5"]),
    # amounts and counts
    ("The Rho costs $599.", "The Vega costs $599, while the Rho costs $899.", ["$599", "Vega", "Rho"]),
    ("Orlen Auto employs 5,000 people.",
     "Halvor Motors employs 5,000 people, while its rival Orlen Auto employs 12,000.",
     ["5,000", "Halvor Motors", "Orlen Auto"]),
    # a relative clause: the year is Ida Varga's election, Tomas Reid's year is another
    ("Tomas Reid was elected mayor in 2014.",
     "Ida Varga, who was elected mayor in 2014, was succeeded by Tomas Reid in 2018.", ["2014", "Ida Varga"]),
    # an abbreviated month or "No." before a number is no name, and the fact still has its owner
    ("Kelvin 5 was released on Jul 13, 2021.", "Kelvin 4 was released on Jul 13, 2021, a day after the release of "
     "Kelvin 5.", ["Kelvin 4", "Kelvin 5"]),
    ("Tomas Reid finished No. 1 in 2019.", "Ida Varga finished No. 1 in 2019, and Tomas Reid finished No. 2.",
     ["Ida Varga", "Tomas Reid"]),
]

# Synthetic: faithful paraphrases, and sentences whose fact the passage does give to the claim's name.
FAITHFUL = [
    ("Kelvin 4 was released by Halvor Motors on March 1, 2021.",  # passive
     "Halvor Motors released Kelvin 4 on March 1, 2021, a year before the launch of Kelvin 5."),
    ("Halvor Motors released Kelvin 4 on October 4, 2021.",  # a pronoun in the passage
     "Halvor Motors unveiled Kelvin 4 in May and released it on October 4, 2021."),
    ("Kelvin 4 was released on October 4, 2021.",  # "it": the sentence does not say whose, so no conflict
     "Halvor Motors announced Kelvin 4 in May; it was released on October 4, 2021, after the release of Kelvin 3."),
    ("Kelvin 4 was released on March 1, 2021.",  # reordered, the date before an "after" clause
     "On March 1, 2021, two days after the Kestrel handset went on sale, Kelvin 4 was released."),
    ("The Vega 2 was released on May 5.", "The Vega 2, released on May 5, costs $599, while the Rho costs $899."),
    ("The Vega 2 costs $599.", "The Vega 2, released on May 5, costs $599, while the Rho costs $899."),
    ("The Rho is priced at $899.", "The Vega costs $599, while the Rho costs $899."),
    ("The Vega went on sale on May 5 and costs $599.", "The Vega, which costs $599, went on sale on May 5."),
    ("The Rho was released on May 5.", "The Vega and the Rho were both released on May 5."),
    ("Orlen Auto's launch of the Rho came on May 5.", "Orlen Auto launched the Rho on May 5."),
    ("Ida Varga was elected mayor in 2014.",
     "Ida Varga, who was elected mayor in 2014, was succeeded by Tomas Reid in 2018."),
    ("Tomas Reid succeeded Ida Varga in 2018.",
     "Ida Varga, who was elected mayor in 2014, was succeeded by Tomas Reid in 2018."),
    ("The handset was released on March 3, 2021, two days after Kelvin 4.",
     "The handset was released on March 3, 2021, two days after the release of Kelvin 4."),
    # a description in a clause beside the name's may be the name: "the software" is Kelvin 4
    ("Kelvin 4 was released to the public on October 4, 2021.",
     "Halvor Motors released Kelvin 4 to developers in May, and the software was released to the public on "
     "October 4, 2021."),
    # "alongside" puts both releases at one time
    ("Kelvin 4 was released on March 3, 2021.",
     "The handset was released on March 3, 2021, alongside the release of Kelvin 4."),
    ("Kelvin 4 (March 1, 2021) came first.",
     "Kelvin 4 (March 1, 2021) and Kelvin 5 (June 9, 2022) were both released by Halvor Motors."),
    ("London became the first city to host the games three times",
     "London became the first city to host the games three times, having hosted them in 1908 and 1948."),
    # a dateline's "Jul 15, 2017" is no participant; the year of the title won is the win's
    ("Maria Lopez was beaten by Poland's Anna Novak, who won the 2017 Wimbledon women's singles title.",
     "Jul 15, 2017 ... Poland's Anna Novak beats Maria Lopez to win 2017 Wimbledon title in women's singles ..."),
    ("Maria Lopez was beaten by Poland's Anna Novak, who won the 2017 Wimbledon women's singles title.",
     "Poland's Anna Novak beats Maria Lopez to win 2017 Wimbledon title in women's singles."),
    # "No. 1" numbers a finish: "No" is nobody taking part
    ("Between her first and last year-end No. 1 finishes, in 2008 and 2019, Ida Varga has the longest time span of "
     "any player: 11 years.",
     "Ida Varga has the longest time span (11 years) between her first and last year-end No. 1 finish (2008–2019)."),
]

# Synthetic: the counterparts of the faithful ones above with the fact given to the other name: still conflicts.
MOVED_TWINS = [
    ("Maria Lopez won the 2017 Wimbledon women's singles title.",
     "Poland's Anna Novak beats Maria Lopez to win 2017 Wimbledon title in women's singles."),
    ("Tomas Reid has the longest time span (11 years) between his first and last No. 1 finish (2008–2019).",
     "Ida Varga has the longest time span (11 years) between her first and last year-end No. 1 finish (2008–2019), "
     "ahead of Tomas Reid."),
]


@pytest.mark.parametrize("claim,unit", MOVED_TWINS)
def test_the_fact_given_to_the_other_name_still_conflicts(claim, unit):
    assert roles.conflict(claim, unit) is not None


def test_a_month_or_no_before_a_number_is_no_name():
    names = {n.text for n in owners.read("Jul 15, 2017 ... Ida Varga finished No. 1, as Jan Koum said.").names}
    assert names == {"Ida Varga", "Jan Koum"}
    assert "Jul Reid" in {n.text for n in owners.read("Ida Varga met Jul Reid on Jul 13.").names}


@pytest.mark.parametrize("claim,unit,words", MOVED)
def test_a_fact_moved_to_another_name_of_the_sentence_is_a_role_conflict(claim, unit, words):
    found = roles._moved(claim, unit)
    assert found is not None and found.rule == "role", (claim, unit)
    assert all(w in found.reason for w in words), found.reason
    assert roles.conflict(claim, unit) is not None


@pytest.mark.parametrize("claim,unit", FAITHFUL)
def test_the_fact_said_of_the_same_name_is_no_conflict(claim, unit):
    assert roles._moved(claim, unit) is None
    assert roles.conflict(claim, unit) is None


def test_a_fact_is_tied_to_the_event_it_is_said_of_not_to_the_nearest_name():
    read = owners.read("The handset was released on September 20, 2019, one day after the release of Kelvin 4.")
    date = next(o for o in read.facts if o.written == "September 20, 2019")
    assert date.kind == "date" and date.event.described == "The handset" and not date.event.who
    other = next(e for e in read.events if any(n.text == "Kelvin 4" for n in e.who))
    assert other.lemma == date.event.lemma and other.index != date.event.index
    assert read.related(other, date.event)


def test_numbers_in_a_name_tell_it_apart_and_are_not_facts():
    read = owners.read("Kelvin 4 was released on March 1, 2021, and Kelvin 5 on June 9, 2022.")
    assert {n.keys for n in read.names} >= {frozenset({"kelvin", "4"}), frozenset({"kelvin", "5"})}
    assert {o.written: [n.text for n in o.event.who] for o in read.facts} == {
        "March 1, 2021": ["Kelvin 4"], "June 9, 2022": ["Kelvin 5"]}


def test_an_amount_keeps_its_currency_and_its_owner():
    read = owners.read("The Vega costs $599, while the Rho costs $899.")
    assert {o.written: (o.kind, [n.text for n in o.event.who]) for o in read.facts} == {
        "$599": ("money", ["Vega"]), "$899": ("money", ["Rho"])}


def test_the_verifier_removes_the_moved_fact_and_keeps_the_record(verifier):
    text = ("Preorders began on September 13, 2019, and the handset was officially released on September 20, 2019, "
            "one day after the official public release of Kelvin 4.")
    passages = verifier.passages([Chunk("z-0", "z", text, 0, len(text))])
    moved = verifier.verify("Kelvin 4 was officially released on September 20, 2019 [1].", passages)
    assert moved.text == "" and moved.checks[0].rule == "role"
    assert "Kelvin 4" in moved.checks[0].reason and "September 20, 2019" in moved.checks[0].reason
    kept = verifier.verify("The handset was officially released on September 20, 2019 [1].", passages)
    assert kept.checks[0].supported, kept.checks[0].reason


# Synthetic: the time belongs to the profit goal; the purchase is stated apart, with no time of its own.
GOAL = ("Halvor Motors has bought more than 3,000 robots. The goal for Halvor Motors is to turn profitable "
        "within the next two to three years.")


def test_a_time_moved_to_another_event_the_passage_states_apart_is_a_role_conflict():
    found = roles._retimed("Halvor Motors aims to buy more than 3,000 robots within the next two to three years.",
                           GOAL)
    assert found is not None and found.rule == "role" and "the next two to three years" in found.reason, found
    assert "turn" in found.reason and "buy" in found.reason


@pytest.mark.parametrize("claim,unit", [
    ("Halvor Motors aims to turn profitable within the next two to three years.", GOAL),
    # both events in the claim: the parses may only hang the time differently
    ("Halvor Motors, which bought more than 3,000 robots, aims to turn profitable within two to three years.", GOAL),
    # the passage gives the purchase a date of its own: a wrong date, or a misparse, not this rule's
    ("Halvor Motors bought the robots in 2021.", "Halvor Motors bought the robots in 2020 and sold them in 2021."),
])
def test_a_time_kept_on_its_event_or_with_both_events_is_no_retiming(claim, unit):
    assert roles._retimed(claim, unit) is None


def test_the_verifier_removes_the_retimed_purchase(verifier):
    passages = verifier.passages([Chunk("g-0", "g", GOAL, 0, len(GOAL))])
    moved = verifier.verify("Halvor Motors aims to buy more than 3,000 robots within the next two to three years "
                            "[1].", passages).checks[0]
    assert not moved.supported and moved.rule == "role", moved
    kept = verifier.verify("Halvor Motors aims to turn profitable within the next two to three years [1].",
                           passages).checks[0]
    assert kept.supported, kept.reason


# Synthetic: a description, an owner or a relative clause the passage binds to one name, put on another.
DESCRIBED = [
    # a describing noun before a title moved to another player: (claim, unit, words the reason must give)
    ("Orvale State freshman quarterback Ida Varga joined Halvor College linebacker Tomas Reid and Kestrel Tech "
     "quarterback Lena Moss on Monday.",
     "Orvale State quarterback Ida Varga joined Halvor College linebacker Tomas Reid and Kestrel Tech freshman "
     "quarterback Lena Moss on Monday.", ["Lena Moss", "Ida Varga", "freshman"]),
    # a ranking title ("No. 1" as the answer writes it, "No1" as the passage does)
    ("World No. 1 Ida Varga won the final with a straight-sets victory over Lena Moss.",
     "Ida Varga won the final with a straight-sets victory over the world No1, Lena Moss.", ["Lena Moss", "Ida Varga"]),
    # whose growth: a possessive moved to another country, the rest of the phrase alike
    ("The deal would accelerate Norway's AI technology growth.",
     "The deal would accelerate Finland's AI technology growth.", ["Finland", "Norway"]),
    # a relative clause the parser reads with the other name
    ("Tomas Reid, who was recently cast to play the lead in Kestrel, will star alongside Ida Varga.",
     "Tomas Reid will star alongside Ida Varga (Halvor), who was recently cast to play the lead in Kestrel.",
     ["Ida Varga", "Tomas Reid"]),
    # the clause said as the claim's own predicate, after a dateline the parser runs into the sentence
    ("Lena Moss received the 2021 medal on Friday.",
     "May 3, 2021 ... Varga, who received the 2021 medal on Friday, the painter Lena Moss received it for 2020.",
     ["Varga", "Lena Moss"]),
]

DESCRIBED_FAITHFUL = [
    ("Ida Varga joined Halvor College linebacker Tomas Reid and Kestrel Tech freshman quarterback Lena Moss on Monday.",
     "Orvale State quarterback Ida Varga joined Halvor College linebacker Tomas Reid and Kestrel Tech freshman "
     "quarterback Lena Moss on Monday."),
    ("Ida Varga beat world No. 1 Lena Moss in straight sets.",
     "Ida Varga won the final with a straight-sets victory over the world No1, Lena Moss."),
    ("The deal would accelerate the AI technology growth of Finland.",
     "The deal would accelerate Finland's AI technology growth."),
    ("Tomas Reid will star alongside Ida Varga, who was recently cast to play the lead in Kestrel.",
     "Tomas Reid will star alongside Ida Varga (Halvor), who was recently cast to play the lead in Kestrel."),
    ("Varga received the 2021 medal on Friday.",
     "May 3, 2021 ... Varga, who received the 2021 medal on Friday, the painter Lena Moss received it for 2020."),
    ("Lena Moss became the first Orvale golfer ever to win the Kestrel Open, making history on Sunday.",
     "Lena Moss made history for herself on Sunday, becoming the first Orvale golfer to win the Kestrel Open."),
]


@pytest.mark.parametrize("claim,unit,words", DESCRIBED)
def test_a_description_bound_to_one_name_put_on_another_is_a_role_conflict(claim, unit, words):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == "role", (claim, unit)
    assert all(w in found.reason for w in words), found.reason


@pytest.mark.parametrize("claim,unit", DESCRIBED_FAITHFUL)
def test_a_description_kept_on_its_name_is_no_conflict(claim, unit):
    assert roles.conflict(claim, unit) is None


def test_the_sentence_that_restates_the_claim_is_checked_even_when_another_holds_its_names(verifier):
    text = ("Analysts say the Brazilian government is also backing its robotics industry.\n\nCurrently, Chile's "
            "robotics industry is experiencing rapid growth. The country has built several large robotics plants. It "
            "is worth noting that the Chilean government is stepping up its support for the robotics industry.")
    passages = verifier.passages([Chunk("n-0", "n", text, 0, len(text))])
    moved = verifier.verify("The Brazilian government is stepping up its support for the robotics industry [1].",
                            passages).checks[0]
    assert not moved.supported and moved.rule == "role" and "Chilean" in moved.reason, moved
    kept = verifier.verify("The Chilean government is stepping up its support for the robotics industry [1].",
                           passages).checks[0]
    assert kept.supported, kept.reason
