""""past" and "beyond" order two times only when they govern one: "past the deadline", "past 2030", "beyond March"
are a time order; "over the past decade", "in the past", "the past two years" are a span of time, and "past Varna",
"past the plant" a place or a rival. Every sentence is synthetic (Orlen, Varna Steel), made up for the test; real
spaCy parses."""

from __future__ import annotations

import pytest

from assistant import sequence
from assistant.arcs import sentence


def _cue_words(text: str) -> list[str]:
    s = sentence(text)
    return [" ".join(s.t[i].text for i in sorted(cue)) for _, _, cue, _ in sequence.orders(s)]


@pytest.mark.parametrize("text", [
    "Varna Steel delivered the rails past the deadline.",
    "The rule lets Orlen traders file up to two weeks past the original March 4 deadline.",
    "Varna Steel will keep the plant open past 2030.",
    "Orlen kept the fair running past March.",
    "Varna Steel kept working past the end of the strike.",
    "The Orlen tram line opened beyond March.",
    "Varna Steel stayed open past midnight.",
    "Varna Steel stayed open past the release of its report.",
    "The rule gives Orlen traders up to two weeks beyond the original March 4 deadline to file.",
])
def test_past_or_beyond_a_time_is_a_time_order(text):
    assert [w for w in _cue_words(text) if w in ("past", "beyond")], text


@pytest.mark.parametrize("text", [
    "Varna Steel has acquired more than 40,000 chips over the past decade.",
    "Over the past decade, Varna Steel has bought 300 furnaces.",
    "Varna Steel has grown steadily in the past.",
    "Orlen has doubled its exports over the past two years.",
    "Varna Steel hired 200 workers in the past year, Orlen said.",
    "Orlen exports rose for the past 12 months.",
    "Varna Steel grew in years past.",
    "Orlen traders filed past two weeks.",  # parsed as a preposition over a span
    "A late goal lifted Orlen past Varna to claim the cup.",
    "Orlen walked past the Varna Steel plant.",
    "Varna Steel shares rose past $10 on Monday.",
    "Orlen's plan went far beyond the Varna Steel proposal.",
])
def test_past_or_beyond_a_span_place_or_rival_orders_nothing(text):
    assert not [w for w in _cue_words(text) if w in ("past", "beyond")], text
