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
    from assistant.claims import spans

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


def test_fractions_and_shares_are_numbers():
    from assistant.claims import numbers

    assert numbers("a quarter of a million euros") == {"250000": "a quarter of a million"}
    assert numbers("half a billion fans") == {"500000000": "half a billion"}
    assert numbers("sales rose nearly a quarter year on year") == {"25": "a quarter"}
    assert numbers("two thirds of voters") == {"67": "two thirds"}
    # a quarter or a third that is a time or a rank, and a mixed number, are not shares
    assert numbers("in the first quarter of 2023") == {"2023": "2023"}
    assert numbers("a third title for Orlen") == {} and numbers("its best result in a quarter.") == {}
    assert numbers("two and a half years") == {"2": "two"}


def test_spans_by_their_count_and_from_two_years():
    from assistant.claims import claim_facts, passage_facts, spans, spans_held

    assert spans("she led it from 1921 to 1954") == {"33 year"}
    assert "3" not in claim_facts("She led it for three decades.").numbers  # the span states 30 years, not a 3
    held = passage_facts("Ida Varga led the club for 33 years, from 1921 to 1954.")
    assert not claim_facts("Ida Varga led the club for more than three decades.").missing_from([held])
    assert claim_facts("Ida Varga led the club for three decades.").missing_from([held])  # not hedged: 30, not 33
    assert claim_facts("Ida Varga led the club for more than four decades.").missing_from([held])
    assert claim_facts("Ida Varga led the club for nearly four decades.").missing_from([held])
    assert not claim_facts("Ida Varga led the club for more than three decades.").missing_from(
        [passage_facts("Ida Varga led the club from 1921 to 1954.")])
    assert spans_held("for more than three decades", "for 33 years") == {"30 year"}
    assert spans_held("for more than three decades", "for 45 years") == set()


def test_a_bare_amount_takes_the_scale_of_the_amounts_beside_it():
    from assistant.claims import passage_facts

    facts = passage_facts("Revenue rose to $18.76 billion, up from $10.389 in the year before.").numbers
    assert "10389000000" in facts and "10.389" in facts
    assert "12000000000" not in passage_facts("It made $12, and $4 billion or $3 million in all.").numbers  # two scales
    assert "12000000000" not in passage_facts("It made $12, and €4 billion in all.").numbers  # another currency


def test_quarters_and_currency_codes_and_a_swapped_pair_of_letters():
    from assistant.claims import claim_facts, passage_facts

    usd = passage_facts("Each member receives USD 250,000 a year.")
    assert not claim_facts("Each member receives a quarter of a million US dollars a year.").missing_from([usd])
    assert "q1" in passage_facts("Orlen's first-quarter sales rose.").names
    assert not claim_facts("Ida Varga won her first Orlenbury title.").missing_from(
        [passage_facts("Ida Varga won her first Orlenbruy title.")])
    assert claim_facts("Ida Varga won in Austria.").missing_from([passage_facts("Ida Varga won in Australia.")])


def test_a_span_in_months_is_one_in_years_and_a_range_shares_its_unit():
    from assistant.claims import claim_facts, passage_facts, spans, spans_held

    assert spans("within one to two years") == {"1 year", "2 year"}
    held = passage_facts("Orlen aims to break even within the next one to two years.")
    assert not claim_facts("Orlen aims to break even in the next 12 to 24 months.").missing_from([held])
    assert spans_held("in the next 12 to 24 months", "within the next one to two years") == {"12 month", "24 month"}
    assert claim_facts("Orlen aims to break even in the next 12 to 36 months.").missing_from([held]) == {"36"}
    assert spans_held("in the next 18 months", "within the next one to two years") == set()
    assert "12" not in passage_facts("A year ago Orlen sold 5 plants.").numbers  # "a year" states no count


def test_a_multiplier_is_held_by_the_two_numbers_the_claim_relates():
    from assistant.claims import claim_facts, passage_facts

    held = passage_facts("Bids for the fair rose from three in 1990 to fifteen in 2010.")
    assert not claim_facts("Bids rose fivefold, from three in 1990 to fifteen in 2010.").missing_from([held])
    assert not claim_facts("Bids rose 5 times over, from three in 1990 to fifteen in 2010.").missing_from([held])
    assert claim_facts("Bids rose tenfold, from three in 1990 to fifteen in 2010.").missing_from([held]) == {"tenfold"}
    assert claim_facts("Bids rose fivefold by 2010.").missing_from([held]) == {"fivefold"}  # no numbers to relate


def test_a_hedge_is_part_of_its_number_not_a_word_to_match():
    from assistant.claims import claim_facts, content_words, passage_facts, without_hedges

    said = "rose from about 255,000 to roughly 510,000, nearly twenty"
    assert without_hedges(said) == "rose from 255,000 to 510,000, twenty"
    assert content_words("roughly 510,000 cars") == content_words("510,000 cars")
    facts = claim_facts("Output rose to roughly 510,000 cars.")
    assert facts.roughly_held({"509737"}) == {"510000"} and facts.roughly_held({"530000"}) == set()
    assert not facts.missing_from([passage_facts("Output: 509,737 cars.")])
