"""normalize's shortcut for ASCII answers gives exactly what the general Unicode rules give."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from quizdeck.grading import _normalize_pass, normalize

ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=40)


@given(ASCII)
def test_ascii_text_normalizes_as_the_unicode_rules_do(text: str) -> None:
    assert normalize(text) == _normalize_pass(text)


def test_every_short_mix_of_digits_points_commas_apostrophes_controls_and_spaces() -> None:
    # The characters whose rules depend on their neighbours: a point between digits stays, a
    # comma before three digits goes, an apostrophe joins, a control goes, punctuation splits.
    for size in range(5):
        for chars in itertools.product("a1.,'9 \t\x00\x1c\x7f-A_", repeat=size):
            text = "".join(chars)
            assert normalize(text) == _normalize_pass(text), repr(text)


def test_examples_read_as_a_student_means_them() -> None:
    assert normalize("  The U.S.A., 1,000  ") == "the u s a 1000"
    assert normalize("3.5 km.") == "3.5 km"
    assert normalize("don't\x00stop") == "dontstop"
    assert normalize("...") == ""
