"""Untrusted sheets, keys and grids: linear time, capped messages, never a traceback.

The hypothesis tests have a deadline, generous for a busy machine: a reader that goes quadratic
on generated input (a line scan per key, a regex that backtracks) fails them. The old reader
scanned the sheet from line 1 with a new regex for every key: 2.4 s for 4,000 keys it finds,
about twice that for 4,000 it does not (test_many_keys_stay_linear). The larger input below
asserts what a user sees (a short stderr with a count of the rest), not time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from quizdeck.bank import Bank, load_bank, parse_bank
from quizdeck.cli import app
from quizdeck.grid import parse_grid, parse_key
from quizdeck.sheet import MAX_PROBLEMS, SheetError, key_lines, parse_sheet

from .conftest import BANKS

BANK = load_bank(BANKS / "all-types.toml")
IDS = [q.id for q in BANK.questions]

keys = st.one_of(st.sampled_from(IDS), st.text(max_size=20))
scalars = st.one_of(st.text(max_size=12), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.sampled_from(["a", "b", "ب", "صح", "خ", "T", "1 3", "ac", "Jupiter"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5),
                                                                                         inner, max_size=3),
                      max_leaves=6)


def _read(text: str, bank: Bank = BANK) -> None:
    try:
        sheet = parse_sheet(text, bank, name="fuzz.toml")
    except SheetError as error:
        assert 1 <= len(error.problems) <= MAX_PROBLEMS + 1
        assert all(str(p).startswith("fuzz.toml") for p in error.problems)
    else:
        assert set(sheet.responses) <= set(IDS)


@settings(deadline=1000, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=12))
def test_generated_toml_sheets_are_read_or_refused(data: dict[str, object]) -> None:
    _read(tomli_w.dumps(data))


@settings(deadline=1000, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({"id": keys, "response": values}), max_size=12))
def test_generated_results_files_are_read_or_refused(questions: list[dict[str, object]]) -> None:
    _read(json.dumps({"bank": BANK.id, "questions": questions}))


@settings(deadline=1000, max_examples=100)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused(text: str) -> None:
    _read(text)


@settings(deadline=2000, max_examples=10)
@given(st.sampled_from(["x", "\"q\\\"", "[a", "a.", "'k'"]))
def test_many_keys_stay_linear(shape: str) -> None:
    # 4,000 keys no question has: one scan of the text finds the lines of the few reported.
    text = "".join(f"{shape}{n} = 1\n" for n in range(4000))
    _read(text)
    key_lines(text, {f"x{n}" for n in range(4000)})


@settings(deadline=2000, max_examples=30)
@given(st.lists(st.lists(st.text(max_size=8), max_size=12), max_size=40))
def test_generated_grids_are_graded_or_refused(rows: list[list[str]]) -> None:
    key = parse_key("version,number,id,answer\nA,1,largest-planet,B\nA,2,planet-order,1 2 4 3\n", BANK)
    text = "student,version,1,2\n" + "\n".join(",".join(json.dumps(c) for c in row) for row in rows)
    try:
        students, problems = parse_grid(text, BANK, key, "g.csv")
    except SheetError:
        return
    assert all(str(p).startswith("g.csv") for p in problems)
    assert all(0 <= a.mark.points <= 1 for s in students for a in s.answers)


def test_sixteen_thousand_unknown_keys_give_a_short_message(tmp_path: Path) -> None:
    # Was: a regex scan from line 1 per key and the bank's whole id list in every message
    # (19 s and 28 MB of stderr).
    bank_text = "[bank]\nid = \"big\"\ntitle = \"Big\"\nlanguage = \"en\"\n" + "".join(
        f'[[questions]]\nid = "question-{n}"\ntype = "short"\nprompt = "p"\nanswer = "a"\n' for n in range(2000)
    )
    bank = tmp_path / "big.toml"
    bank.write_text(bank_text, encoding="utf-8")
    sheet = tmp_path / "hostile.toml"
    sheet.write_text("".join(f"unknown-{n} = 1\n" for n in range(16_000)), encoding="utf-8")
    result = CliRunner().invoke(app, ["grade", str(bank), str(sheet)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0] == f'quizdeck: error: {sheet}:1: question "unknown-0": no question with this id in {bank}'
    assert lines[MAX_PROBLEMS - 1].startswith(f'{sheet}:{MAX_PROBLEMS}: question "unknown-{MAX_PROBLEMS - 1}"')
    assert lines[-1] == f"{sheet}: … and 15,980 more problems"
    assert len(result.stderr) < 5000


def test_a_misspelt_id_in_a_large_bank_gets_a_suggestion() -> None:
    bank = parse_bank("[bank]\nid = \"b\"\ntitle = \"B\"\nlanguage = \"en\"\n" + "".join(
        f'[[questions]]\nid = "{name}"\ntype = "short"\nprompt = "p"\nanswer = "a"\n'
        for name in [f"q{n}" for n in range(11)] + ["victory-year"]), "b.toml")
    with pytest.raises(SheetError) as failure:
        parse_sheet('victory-yeer = "2017"\n', bank, name="s.toml")
    assert str(failure.value) == 's.toml:1: question "victory-yeer": no question with this id in b.toml; ' \
                                 'did you mean "victory-year"?'


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(SheetError, match="nested too deeply"):
        parse_sheet("a = " + "[" * 100_000, BANK, name="deep.toml")
    with pytest.raises(SheetError, match="nested too deeply"):
        parse_sheet("{\"questions\": " + "[" * 100_000, BANK, name="deep.json")
