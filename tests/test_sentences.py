"""Sentence boundaries: a numbering abbreviation does not end a sentence. Synthetic text."""

from __future__ import annotations

import pytest

from assistant.claims import answer_sentences
from assistant.sentences import split_sentences


@pytest.mark.parametrize("text,expected", [
    ("World No. 1 Ilse Vanek won the final. She was happy.",
     ["World No. 1 Ilse Vanek won the final.", "She was happy."]),
    ("The report is in Vol. 3 of the series. It was long.", ["The report is in Vol. 3 of the series.", "It was long."]),
    ("She finished at No. 2 in doubles and No. 5 in singles.",
     ["She finished at No. 2 in doubles and No. 5 in singles."]),
    ("Asked if she would stay, she said No. Then she left.",
     ["Asked if she would stay, she said No.", "Then she left."]),
])
def test_numbering_abbreviations_do_not_end_a_sentence(text, expected):
    found = split_sentences(text)
    assert [s.text for s in found] == expected
    assert all(text[s.start:s.end] == s.text for s in found)  # offsets still quote the text


def test_an_answer_sentence_with_a_ranking_is_checked_whole():
    assert answer_sentences("Her doubles ranking of No. 2 was better than her No. 5 in singles. [1]") == [
        "Her doubles ranking of No. 2 was better than her No. 5 in singles. [1]"]
