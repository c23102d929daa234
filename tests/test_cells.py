"""The one CSV cell writer: no cell quizdeck writes is run as a formula, and its import reads them back."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cells import csv_text, read_cell, safe_cell
from quizdeck.cli import app
from quizdeck.spreadsheet import read_spreadsheet, write_csv

from .conftest import BANKS

# OWASP's list, and the same after white space; each must come out led by an apostrophe.
FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1", "\u00a0@x",
            '=HYPERLINK("http://evil","x")', "'=1", "\uff1d1"]
PLAIN = ["", "text", "-5", "-0.25", "-1e3", "-.5", "5", "a=b", "x-y", "عربي"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_like_cells_get_an_apostrophe(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", PLAIN)
def test_text_and_plain_negative_numbers_are_left_alone(cell: str) -> None:
    assert safe_cell(cell) == cell


@given(st.text())
def test_reading_a_guarded_cell_gives_back_what_was_written(cell: str) -> None:
    assert read_cell(safe_cell(cell)) == cell


def test_cells_are_quoted_where_csv_needs_it() -> None:
    text = csv_text([["a,b", 'say "hi"', "two\nlines", -3, None]])
    assert text == '"a,b","say ""hi""","two\nlines",-3,\r\n'
    assert next(csv.reader(io.StringIO(text))) == ["a,b", 'say "hi"', "two\nlines", "-3", ""]


def test_exported_formulas_import_back_unchanged(tmp_path: Path) -> None:
    bank = tmp_path / "bank.toml"
    bank.write_text(
        '[bank]\nid = "f"\ntitle = "F"\nlanguage = "en"\n\n'
        + "".join(f'[[questions]]\nid = "q{n}"\ntype = "card"\nprompt = {prompt!r}\nback = "-5"\n\n'
                  .replace("'", '"') for n, prompt in enumerate(["=1+1", "@SUM(A1)", "x\\t=1", "-2+3"]))
        + '[[questions]]\nid = "tab"\ntype = "card"\nprompt = "\\t=1"\nback = "\\r=2"\n',
        encoding="utf-8")
    loaded = load_bank(bank)
    text, written, _ = write_csv([loaded])
    assert written == 5
    rows = list(csv.reader(io.StringIO(text)))
    assert all(not cell or (cell[0] not in "=+@\t\r" and not cell.startswith("-2")) for row in rows for cell in row)
    questions, problems = read_spreadsheet(text.encode("utf-8"), "bank.csv")
    assert [p for p in problems if p.severity == "error"] == []
    assert [(q.prompt, getattr(q, "back", None)) for q in questions] == [
        (q.prompt, getattr(q, "back", None)) for q in loaded.questions]


def test_grade_csv_never_writes_a_live_formula_from_a_file_name(tmp_path: Path) -> None:
    bank = tmp_path / "bank.toml"
    shutil.copy(BANKS / "all-types.toml", bank)
    names = ["=HYPERLINK(1)", "@SUM(1)", "+cmd", "-x", "\tx"]
    sheets = []
    for name in names:
        sheet = tmp_path / f"{name}.toml"
        sheet.write_text('largest-planet = "Jupiter"\n', encoding="utf-8")
        sheets.append(str(sheet))
    out = tmp_path / "grades.csv"
    result = CliRunner().invoke(app, ["grade", str(bank), *sheets, "--csv", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert sorted(row[0] for row in rows[1:]) == sorted("'" + name for name in names)
