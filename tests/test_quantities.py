"""What numbers count, on synthetic sentences."""

from assistant.quantities import asked, counted, mismatch

UNIT = "Over the past decade, the firm has acquired more than 40,000 Zantor chips and opened 3 plants in Orlen."


def test_the_words_after_a_number_are_what_it_counts():
    assert counted(UNIT) == {"40000": ("zantor", "chips"), "3": ("plants",)}


def test_dates_years_amounts_shares_and_spans_count_nothing():
    text = ("On May 28, 2021 Orlen paid $5 million, a 12 percent share, for 3 years of work; sales rose tenfold "
            "and the town grew 4 times over.")
    assert counted(text) == {}


def test_how_many_names_what_is_counted():
    assert asked("How many Zantor chips did the firm buy?") == ("zantor", "chips")
    assert asked("how many plants are in Orlen") == ("plants",)
    assert asked("Who runs the firm?") == ()


def test_a_number_moved_to_another_noun_is_a_mismatch_and_another_spelling_is_not():
    m = mismatch("The firm employs 40,000 engineers.", UNIT)
    assert m is not None and (m.value, m.claimed, m.stated) == ("40,000", "engineers", "zantor chips")
    assert mismatch("It bought forty thousand chips.", UNIT) is None
    assert mismatch("It bought over 40,000 of them.", UNIT) is None  # counts nothing it names
    assert mismatch("40,000", UNIT, "How many engineers does the firm employ?") is not None
    assert mismatch("40,000", UNIT, "How many chips has the firm bought?") is None


def test_time_spans_by_value():
    from assistant.coverage import spans

    assert spans("a decade ago") == spans("ten years ago") == {"10 year"}
    assert spans("half a century") == {"50 year"} and spans("a three-day meeting") == {"3 day"}
    assert spans("up 4% year over year") == spans("a YoY rise") == {"yoy"}


def test_rounding():
    from assistant.claims import rounds_to

    assert rounds_to("619700000", "620000000") and rounds_to("40312", "40000")
    assert not rounds_to("50000", "40000") and not rounds_to("7", "10") and not rounds_to("40312", "41000")


def test_a_people_and_its_place_are_one_name():
    from assistant.claims import claim_facts, passage_facts

    passage = passage_facts("Orlen became the second country in Asia to host the games, and the first in Europe.")
    assert not claim_facts("Orlen became the second Asian nation to host the games.").missing_from([passage])
    assert not claim_facts("It was the first European host.").missing_from([passage])
    assert claim_facts("It was the first African host.").missing_from([passage]) == {"African"}
