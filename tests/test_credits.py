"""Who did it, when names trade roles: the agent of coordinated participles ("written and directed by X") as
each one's doer, a participle hung on a noun root after that noun's relative clause ("X, which had been
bidding, missed out") as its predicate, a relative "where" as a place and not a doer ("it was Y where Z
hoisted"), and a name the claim makes the doer that the passage makes the one it is done to ("talk A out of
it"), all through roles.conflict. Every sentence is made up (the town of Orlen, Kelvara, Ida Varga, Tomas
Reid, Mara Lind) and labelled by hand; real spaCy parses.
"""

from __future__ import annotations

import pytest

from assistant import nlp, roles

pytestmark = pytest.mark.skipif(not nlp.available(), reason="spaCy model not installed")

FILM = "Written and directed by Ida Varga, the Orlen film stars an ensemble cast including Tomas Reid, " \
       "Mara Lind and Piet Kessel."
FILM_ACTIVE = "The Orlen film was written, produced and directed by Ida Varga, and it stars Tomas Reid."
BID = "Kelvara, which has been bidding for some time, was to miss out by four votes as Ida Varga famously " \
      "lifted the cup when Orlen was ..."
TALK = "'It's going to upset people,' the coach told the pair. ... to talk Tomas Reid out of the Orlen final twist."

# (answer sentence, passage sentence, words the reason must quote): misstatements
MISSTATED = [
    ("The Orlen film was written by Tomas Reid and directed by Ida Varga, with a cast that includes Mara Lind.",
     FILM, ["Ida Varga", "Tomas Reid"]),
    ("Mara Lind wrote the Orlen film, which Ida Varga directed.", FILM, ["Ida Varga", "Mara Lind"]),
    ("Tomas Reid produced the Orlen film.", FILM_ACTIVE, ["Ida Varga", "Tomas Reid"]),
    ("Orlen, which had been bidding for some time, missed out by four votes, and it was Kelvara where Ida Varga "
     "famously lifted the cup.", BID, ["Kelvara", "Orlen"]),
    ("Tomas Reid tried to talk the coach out of the Orlen final twist.", TALK, ["Tomas Reid"]),
    ("It was Orlen that missed out by four votes.", BID, ["Kelvara", "Orlen"]),
]

# (answer sentence, passage sentence): the same roles said in other words
FAITHFUL = [
    ("Ida Varga wrote and directed the Orlen film, whose ensemble cast includes Tomas Reid and Mara Lind.", FILM),
    ("The Orlen film was written and directed by Ida Varga.", FILM),
    ("Ida Varga wrote, produced and directed the Orlen film, which stars Tomas Reid.", FILM_ACTIVE),
    ("Tomas Reid stars in the Orlen film, which Ida Varga wrote and directed.", FILM),
    ("The Orlen film, written and directed by Ida Varga, stars Tomas Reid.", FILM),
    ("Kelvara, which had been bidding for some time, missed out by four votes.", BID),
    ("It was Kelvara that missed out by four votes.", BID),
    ("Kelvara missed out by four votes, as Ida Varga famously lifted the cup.", BID),
    ("Someone tried to talk Tomas Reid out of the Orlen final twist.", TALK),
    ("The coach tried to talk Tomas Reid out of the Orlen final twist.", TALK),
    ("With Tomas Reid crowned Orlen champion, the coach tried to talk Tomas Reid out of the twist.", TALK),
]


@pytest.mark.parametrize(("claim", "unit", "quoted"), MISSTATED)
def test_exchanged_roles_are_caught(claim, unit, quoted):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == "role", found
    for words in quoted:
        assert words in found.reason


@pytest.mark.parametrize(("claim", "unit"), FAITHFUL)
def test_same_roles_in_other_words_are_kept(claim, unit):
    assert roles.conflict(claim, unit) is None
