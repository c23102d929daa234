"""Generated banks and byte strings: the loader returns a Bank or raises BankError, never anything else."""

from __future__ import annotations

from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizdeck.bank import decode_bank_bytes, parse_bank
from quizdeck.errors import BankError
from quizdeck.questions import QUESTION_TYPES

KEYS = ["id", "type", "prompt", "answer", "answers", "choices", "accept", "back", "reverse", "text",
        "items", "pairs", "tolerance", "unit", "tags", "hint", "explanation", "source", "image", "fuzzy",
        "anwser", "x"]

scalars = st.one_of(
    st.text(max_size=12), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.sampled_from(["2017", "a", "b", "", " ", "{{c1::x}}", "{{c1::", "img.png", "../x.png", *QUESTION_TYPES]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=8)
question_tables = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
bank_tables = st.dictionaries(st.sampled_from(["id", "title", "language", "tags", "fuzzy", "other"]), values,
                              max_size=5)
documents = st.fixed_dictionaries(
    {},
    optional={
        "bank": st.one_of(bank_tables, values),
        "questions": st.one_of(st.lists(question_tables, max_size=5), values),
    },
)


def _load(text: str) -> None:
    try:
        bank = parse_bank(text, "fuzz.toml")
    except BankError as error:
        assert error.problems, "a BankError always names at least one problem"
        for problem in error.problems:
            assert str(problem).startswith("fuzz.toml")
    else:
        assert bank.questions


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents)
def test_generated_banks_never_crash_the_loader(document: dict[str, Any]) -> None:
    _load(tomli_w.dumps(document))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_the_loader(data: bytes) -> None:
    try:
        text = decode_bank_bytes(data, "fuzz.toml")
    except BankError:
        return
    _load(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from('[]{}="\'#\n .,:abc1-'), max_size=120))
def test_toml_like_text_never_crashes_the_loader(text: str) -> None:
    _load(text)


def test_deep_nesting_is_reported_not_raised() -> None:
    # Deep enough that tomllib itself overflows the stack on some Pythons: the loader reports it.
    text = "x = " + "[" * 5000 + "]" * 5000
    with pytest.raises(BankError) as caught:
        parse_bank(text, "deep.toml")
    assert [str(problem) for problem in caught.value.problems] == ["deep.toml: TOML nested too deeply to be a bank"]
