"""A claim joining facts that one passage states in separate, non-adjacent lines (a fact sheet: "Date: ...
Location: ... Seats: ...") is kept when the run of lines says it, and a wrong fact joined to true ones is still
removed. Every sentence here is synthetic: the made-up town of Orlen, its festival and its people."""

from __future__ import annotations

import pytest

from assistant.types import Chunk

SHEET = ("Orlen Harbour Festival. Date: Saturday, June 14, 2025. Location: Orlen, Norway. Number of Stages: 12 "
         "(9 outdoors). Opening Act: Ida Varga (a local choir).")
ARTICLE = ("The Orlen marathon was first run in 1998. It now starts at the harbour. Tomas Reid won the men's race "
           "this year. The women's race went to Lena Holt. The prize money rose to 40,000 euros.")


def chunk(article_id: str, text: str) -> Chunk:
    return Chunk(id=f"{article_id}-0", article_id=article_id, text=text, start=0, end=len(text), title="")


def verdict(verifier, text: str, passage: str):
    result = verifier.verify(f"{text} [1]", verifier.passages([chunk("a", passage)]))
    assert len(result.checks) == 1, result.checks
    return result.checks[0]


@pytest.mark.parametrize("text", [
    "The festival on Saturday, June 14, 2025 in Orlen, Norway had 12 stages, and Ida Varga opened it.",
    "The festival, held in Orlen, Norway on June 14, 2025, had 12 stages.",
])
def test_facts_of_a_fact_sheet_are_joined(verifier, text):
    check = verdict(verifier, text, SHEET)
    assert check.supported, check.reason


@pytest.mark.parametrize("text,wrong", [
    ("The festival on Saturday, June 14, 2025 in Orlen, Norway had 15 stages.", "15"),
    ("The festival in Orlen, Norway on June 14, 2025 had 9 stages, and Ida Varga opened it.", "9"),
    ("The festival, held in Orlen, Norway on June 14, 2025, had 12 stages, and Tomas Reid opened it.", "Tomas"),
    ("The festival in Orlen, Norway had 12 stages on June 14, 2025, and it was cancelled because of heavy rain.",
     "cancelled"),
])
def test_a_wrong_fact_joined_to_true_ones_is_removed(verifier, text, wrong):
    check = verdict(verifier, text, SHEET)
    assert not check.supported and wrong in check.reason


def test_facts_far_apart_in_a_passage_are_not_joined(verifier):
    # the race's year is five sentences from the prize money: no run of lines short enough holds both
    check = verdict(verifier, "The prize money of the Orlen marathon, first run in 1998, rose to 40,000 euros.",
                    ARTICLE)
    assert not check.supported


def test_winners_stated_apart_keep_their_races(verifier):
    assert verdict(verifier, "Tomas Reid won the men's race and Lena Holt the women's race.", ARTICLE).supported
    check = verdict(verifier, "Lena Holt won the men's race and Tomas Reid the women's race.", ARTICLE)
    assert not check.supported
