"""Posts and where they are held, on synthetic sentences (made-up firms and people, not news)."""

import pytest

from assistant.relations import moved, posts
from assistant.types import Chunk

UNIT = "On May 3, Zantor's co-founder, Ida Varga, said the company had opened 3 plants for Kelvara in Orlen."


def test_the_shapes_news_writes_posts_in():
    assert [(p.kind, p.who, p.org) for p in posts(UNIT)] == [("found", "Ida Varga", "Zantor")]
    for text in ("Ida Varga founded Zantor.", "Ida Varga, the co-founder of Zantor, spoke.",
                 "Zantor co-founder Ida Varga spoke.", "Ida Varga, who co-founded Zantor, spoke."):
        assert [(p.kind, p.who, p.org) for p in posts(text)] == [("found", "Ida Varga", "Zantor")], text
    assert [(p.kind, p.who, p.org) for p in posts("Tomas Reid is the CEO of Kelvara and Orlen Rail.")] == [
        ("ceo", "Tomas Reid", "Kelvara and Orlen Rail")]


@pytest.mark.parametrize("claim", ["Ida Varga founded Kelvara.", "Kelvara co-founder Ida Varga opened 3 plants."])
def test_a_post_put_at_another_organisation_is_moved(claim):
    found = moved(claim, UNIT)
    assert found is not None and "Zantor" in found.reason and "Kelvara" in found.reason


@pytest.mark.parametrize("claim", [
    "Ida Varga co-founded Zantor.",
    "Zantor's co-founder Ida Varga said it had opened 3 plants in Orlen for Kelvara.",
    "Ida Varga is the CEO of Kelvara.",  # another post: the unit says nothing of it
    "Tomas Reid founded Kelvara.",  # another person
])
def test_the_same_post_or_another_one_is_no_move(claim):
    assert moved(claim, UNIT) is None


def test_the_verifier_removes_it_with_the_reason(verifier):
    chunk = Chunk(id="z-0", article_id="z", text=UNIT, start=0, end=len(UNIT), title="Synthetic: Zantor")
    passages = verifier.passages([chunk])
    check = verifier.verify("Ida Varga founded Kelvara [1].", passages).checks[0]
    assert not check.supported and check.rule == "post" and "Zantor" in check.reason, check
    kept = verifier.verify("Ida Varga, Zantor's co-founder, said it had opened 3 plants for Kelvara [1].", passages)
    assert kept.checks[0].supported, kept.checks[0]


TEAMS = "Ida Varga (Team Zantor) won the Orlen race, while Kelvara Rail's Tomas Reid won the final stage."


def test_a_bare_affiliation_is_read_and_a_post_says_more():
    assert {(p.kind, p.who, p.org) for p in posts(TEAMS)} == {("of", "Ida Varga", "Team Zantor"),
                                                             ("of", "Tomas Reid", "Kelvara Rail")}
    assert [(p.kind, p.who, p.org) for p in posts("Zantor's CEO Ida Varga spoke.")] == [("ceo", "Ida Varga", "Zantor")]


def test_a_team_given_to_the_other_rider_is_moved():
    """Synthetic: the passage gives Team Zantor to Ida Varga; the answer makes Tomas Reid its rider."""
    found = moved("Team Zantor rider Tomas Reid won the final stage.", TEAMS)
    assert found is not None and "Kelvara Rail" in found.reason and "Team Zantor" in found.reason


@pytest.mark.parametrize("claim", [
    "Kelvara Rail rider Tomas Reid won the final stage.",  # the passage's own affiliation
    "Team Orlen rider Tomas Reid won the final stage.",  # a team the passage gives nobody: not a moved fact here
    "Team Zantor rider Ida Varga won the Orlen race.",
])
def test_an_affiliation_the_passage_does_not_give_another_is_no_move(claim):
    assert moved(claim, TEAMS) is None


def test_the_verifier_removes_a_moved_team_and_keeps_the_rider_of_his_own(verifier):
    passages = verifier.passages([Chunk(id="t-0", article_id="t", text=TEAMS, start=0, end=len(TEAMS),
                                        title="Synthetic: the Orlen race")])
    check = verifier.verify("Team Zantor rider Tomas Reid won the final stage [1].", passages).checks[0]
    assert not check.supported and check.rule == "post" and "Kelvara Rail" in check.reason, check
    kept = verifier.verify("Kelvara Rail rider Tomas Reid won the final stage [1].", passages).checks[0]
    assert kept.supported, kept
