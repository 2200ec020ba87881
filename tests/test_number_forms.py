"""One value, many spellings: what assistant.claims.numbers reads from the ways news and LLMs write a number.
Generated from a table of forms, not from any labelled claim; every sentence fragment is made up."""

from __future__ import annotations

import pytest

from assistant import claims

# (one way, another way of writing the same value)
SAME = [
    ("4,000 workers", "4000 workers"), ("4,000 workers", "four thousand workers"),
    ("4,000 workers", "4 thousand workers"),
    ("2.5 million people", "2,500,000 people"), ("2.5 million people", "two and a half million people"),
    ("2.5 million people", "2 and a half million people"), ("1.5 million", "a million and a half"),
    ("1.5 million", "one and a half million"), ("1 million units", "a million units"),
    ("1,000,000 units", "one million units"), ("a thousand fans", "1,000 fans"), ("a hundred stores", "100 stores"),
    ("$3 billion", "$3bn"), ("$3 billion", "three billion dollars"), ("$3.2 billion", "$3,200 million"),
    ("£40 million", "£40m"), ("£40m", "40 million pounds"), ("$5,000", "$5k"), ("€2 billion", "€2b"),
    ("15% of", "15 per cent of"), ("15% of", "fifteen percent of"), ("a dozen stores", "12 stores"),
    ("twenty-one games", "21 games"), ("300,000", "three hundred thousand"), ("50 cents", "$0.50"),
    ("$100 million", "a hundred million dollars"), ("1.5 million", "1 million and a half"),
    ("$2 billion in Q3 2031", "$2 billion in the third quarter of 2031"), ("3Q 2031 sales", "Q3 2031 sales"),
    ("40 000 chips", "40,000 chips"), ("1 250 000 riders", "1,250,000 riders"),  # thousands set apart by spaces
    ("Orlen Quest Part II", "Orlen Quest Part 2"), ("Orlen Bowl LV", "Orlen Bowl 55"),  # a Roman numeral in a title
    ("Orlen Nights IX", "Orlen Nights 9"), ("Orlen Quest XIV", "Orlen Quest 14"),
]
# (a form, another value or other numbers): must not read as the same
DIFFERENT = [
    ("won 6-1", "won six-one", {"6", "1"}),  # a score: two numbers, not 7
    ("the 100m final", "the 100m final", {"100"}),  # no currency: "m" may be metres
    ("2.5 million people", "3.5 million people", None),
    ("a million and a half", "a million", None),
    ("four thousand, forty thousand", "four thousand, forty thousand", {"4000", "40000"}),  # a list: two numbers
    ("in 2031 100 riders", "in 2031 100 riders", {"2031", "100"}),  # a year is no group of thousands
    ("Varna II", "I met VI today", set()),  # a numeral only after a capitalised word, two letters or more
]


@pytest.mark.parametrize("one,other", SAME)
def test_one_value_in_two_spellings_reads_the_same(one, other):
    assert claims.numbers(one).keys() == claims.numbers(other).keys() != set()


@pytest.mark.parametrize("one,other,values", DIFFERENT)
def test_other_values_stay_apart(one, other, values):
    if values is None:
        assert claims.numbers(one).keys() != claims.numbers(other).keys()
    else:
        assert set(claims.numbers(other)) == values
