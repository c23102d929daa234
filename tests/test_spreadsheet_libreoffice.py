"""Importing CSV files that LibreOffice Calc itself saved (tests/data/spreadsheets/libreoffice-saved.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app
from quizdeck.questions import Card, Choice, Short, TrueFalse

DATA = Path(__file__).resolve().parent / "data" / "spreadsheets"
runner = CliRunner()


def imported(name: str, tmp_path: Path) -> Path:
    output = tmp_path / "imported.toml"
    result = runner.invoke(app, ["import", str(DATA / name), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["check", str(output)]).exit_code == 0
    return output


@pytest.mark.parametrize("name", ["libreoffice-saved-comma.csv", "libreoffice-saved-semicolon.csv"])
def test_a_question_sheet_saved_by_libreoffice_imports_whole(name: str, tmp_path: Path) -> None:
    bank = load_bank(imported(name, tmp_path))
    assert bank.language == "ar"
    assert [q.id for q in bank.questions] == ["victory-year", "bases-count", "invited", "sdf"]
    victory = bank.question("victory-year")
    assert isinstance(victory, Short) and victory.answer == "2017"  # an unquoted number cell
    assert victory.tags == ("p01", "numbers")
    bases = bank.question("bases-count")
    assert isinstance(bases, Choice) and bases.choices == ("4", "8", "12") and bases.answer == "8"
    invited = bank.question("invited")
    assert isinstance(invited, TrueFalse) and invited.answer is True  # Calc's TRUE
    assert invited.prompt == 'The Iraqi government invited the force, "explicitly" to help.'
    assert invited.explanation == "Paragraph 7, line one;\nline two of the note."
    sdf = bank.question("sdf")
    assert isinstance(sdf, Short) and sdf.accept == ("SDF",)


def test_a_vocabulary_list_saved_by_libreoffice_as_tab_separated_imports_as_cards(tmp_path: Path) -> None:
    bank = load_bank(imported("libreoffice-saved-vocab.tsv", tmp_path))
    cards = bank.questions
    assert all(isinstance(card, Card) for card in cards)
    assert [(c.prompt, c.back) for c in cards if isinstance(c, Card)] == [
        ("الخلايا النائمة", "sleeper cells"),
        ("قوات الأمن العراقية", "Iraqi Security Forces"),
        ("إزالة الألغام", "demining, mine clearance"),
    ]
    assert bank.direction == "rtl"
