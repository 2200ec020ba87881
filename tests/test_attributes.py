"""Attributes bound to names (place, people, organisation), on synthetic sentences (made-up people, firms and the
town of Orlen, not news)."""

import pytest

from assistant import roles
from assistant.attributes import bindings, moved
from assistant.types import Chunk

RACE = "Polish rider Ida Varga and Austria's Tomas Reid finished ahead of the field in the Orlen Classic."
TABLE = "Orlen Open winners ; 2024, Ida Varga (Poland), Tomas Reid (Austria) ; 2023, Ana Kell (Spain)"
FIRMS = "Zantor Ltd. (HQ: Orlen; CEO: Ida Varga) and Kelvara Inc. (HQ: Varnsby; CEO: Tomas Reid) agreed to merge."
MATCH = "Ana Kell of Spain was also in contention, but in the end it was Ida Varga who won. The midfielder starred."


def _bound(text: str) -> set[tuple[str, str]]:
    return {(b.attribute_text, b.name_text) for b in bindings(text)}


def test_the_constructions_that_bind_an_attribute_to_a_name():
    assert {("Polish", "Ida Varga"), ("Austria", "Tomas Reid")} <= _bound(RACE)
    assert {("Poland", "Ida Varga"), ("Austria", "Tomas Reid"), ("Spain", "Ana Kell")} <= _bound(TABLE)
    assert ("Spain", "Ana Kell") in _bound(MATCH)
    assert ("Dutch", "Ida Varga") in _bound("The winner was Ida Varga, the Dutch midfielder.")
    assert ("Austrian", "Tomas Reid") in _bound("Austrian Tomas Reid won.")
    assert ("Orlen", "Zantor Ltd") in _bound("Zantor Ltd. is based in Orlen.")


def test_a_first_name_that_ends_like_a_peoples_name_is_no_attribute():
    """"Brian" and "Julian" end as "Austrian" does; the recogniser reads the whole run as one person."""
    assert not _bound("The plan Brian Keller left behind was finished by Ida Varga.")
    assert not _bound("Julian Morrow opened the Orlen depot.")
    assert ("Austrian", "Tomas Reid") in _bound("Austrian Tomas Reid won.")
    assert not roles.conflict("The plan Brian Keller left behind was finished by Ida Varga.",
                              "Ida Varga on Finishing Brian Keller's Plan for the Orlen Depot.")


@pytest.mark.parametrize(("claim", "unit", "holder"), [
    ("The Austrian rider Ida Varga finished ahead of the field.", RACE, "Tomas Reid"),
    ("Ida Varga of Austria finished ahead of the field in the Orlen Classic.", RACE, "Tomas Reid"),
    ("The 2024 Orlen Open was won by Ida Varga of Austria.", TABLE, "Tomas Reid"),
    ("The 2024 Orlen Open was won by Austria's Ida Varga.", TABLE, "Tomas Reid"),
    ("The winner in the end was Ida Varga, the Spanish midfielder.", MATCH, "Ana Kell"),
    ("Kelvara Inc. is listed with its headquarters in Orlen.", FIRMS, "Zantor Ltd"),
])
def test_an_attribute_given_to_another_name_is_moved(claim, unit, holder):
    reason = moved(claim, unit)
    assert reason is not None and holder in reason, reason
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == "role", found


@pytest.mark.parametrize(("claim", "unit"), [
    ("Polish rider Ida Varga finished ahead of the field.", RACE),
    ("Ida Varga of Poland and the Austrian Tomas Reid finished ahead of the field.", RACE),
    ("The 2024 Orlen Open was won by Ida Varga (Poland).", TABLE),
    ("The 2024 Orlen Open was won by the Polish player Ida Varga.", TABLE),
    ("Ana Kell, the Spanish player, was also in contention.", MATCH),
    ("Zantor Ltd. is headquartered in Orlen.", FIRMS),
    ("Spanish rider Ana Kell won in Orlen.", "Ana Kell won in Orlen, beating Tomas Reid of Austria."),  # not said
    ("Austrian Tomas Reid won.", "Austria's Tomas Reid beat Austria's Ida Varga."),  # both of Austria
])
def test_the_same_attribute_said_another_way_is_no_move(claim, unit):
    assert moved(claim, unit) is None


def test_a_people_and_its_place_are_one_owner_in_the_roles():
    claim = "Slovenian rider Ida Varga of Team Orlen claimed the yellow jersey as overall champion of the Orlen Tour."
    unit = "Slovenia's Ida Varga (Team Orlen) took home the yellow jersey as the overall winner of the Orlen Tour."
    assert roles.conflict(claim, unit) is None
    moved_claim = "Slovenian rider Tomas Reid claimed the yellow jersey as overall champion of the Orlen Tour."
    assert roles.conflict(moved_claim, unit + " Tomas Reid of Austria was second.") is not None


def test_the_verifier_removes_it_with_the_reason(verifier):
    chunk = Chunk(id="o-0", article_id="o", text=TABLE, start=0, end=len(TABLE), title="Synthetic: Orlen Open")
    passages = verifier.passages([chunk])
    check = verifier.verify("The 2024 Orlen Open was won by Ida Varga of Austria [1].", passages).checks[0]
    assert not check.supported and check.rule == "role" and "Tomas Reid" in check.reason, check
    check = verifier.verify("The 2024 Orlen Open was won by Ida Varga of Poland [1].", passages).checks[0]
    assert check.rule != "role", check
