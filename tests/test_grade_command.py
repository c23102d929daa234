"""`quizdeck grade` through the CLI: a class's sheets, tables, JSON and CSV gradebooks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from quizdeck import rtl
from quizdeck.cli import app

from .conftest import BANKS
from .test_analysis import BANK, SHEETS

runner = CliRunner()


def setup_class(tmp_path: Path) -> tuple[str, list[str]]:
    bank = tmp_path / "class.toml"
    bank.write_text(BANK, encoding="utf-8")
    paths = []
    for name, text in SHEETS.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(str(path))
    return str(bank), paths


def grade(*args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["grade", *args], env={"COLUMNS": "160"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_tables_of_students_and_items(tmp_path: Path) -> None:
    bank, sheets = setup_class(tmp_path)
    result = grade(bank, *sheets)
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "A class test: 6 students" in lines
    rows = [[cell.strip() for cell in line.strip("│┃").split("│")] for line in lines if line.startswith("│")]
    assert ["ana", "4 / 6", "66.7"] in rows
    assert ["fay", "2 / 6", "33.3"] in rows
    assert [
        "river",
        "choice",
        "6/6",
        "0.33",
        "2/6",
        "+0.50",
        "Amazon: 3, Danube: 1",
        'wrong choice "Amazon" picked more than the answer',
    ] in rows
    assert ["hamlet", "short", "5/6", "0.50", "3/6", "-1.00", "", "negative discrimination"] in rows
    assert ["boils", "truefalse", "6/6", "1.00", "6/6", "+0.00", "false: 0", "everybody right"] in rows
    assert "discrimination: mean points of the top 2 minus the bottom 2 students by score" in lines


def test_csv_gradebook_to_stdout(tmp_path: Path) -> None:
    bank, sheets = setup_class(tmp_path)
    result = grade(bank, *sheets, "--csv", "-")
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["student", "score", "total", "percent", "capital", "moon", "river", "planet", "boils", "hamlet"],
        ["ana", "4", "6", "66.7", "1", "1", "1", "0", "1", "0"],
        ["ben", "3", "6", "50", "1", "1", "0", "0", "1", "0"],
        ["cai", "3", "6", "50", "1", "0", "1", "0", "1", "0"],
        ["dan", "3", "6", "50", "0", "1", "0", "0", "1", "1"],
        ["eve", "2", "6", "33.3", "0", "0", "0", "0", "1", "1"],
        ["fay", "2", "6", "33.3", "0", "0", "0", "0", "1", "1"],
    ]
    # The tables went to stderr.
    assert "item analysis" in result.stderr


def test_json_to_a_file(tmp_path: Path) -> None:
    bank, sheets = setup_class(tmp_path)
    out = tmp_path / "class.json"
    result = grade(bank, *sheets, "--json", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["name"] for s in data["students"]] == list(SHEETS)
    planet = next(q for q in data["questions"] if q["id"] == "planet")
    assert planet["flags"][0] == "nobody right"
    assert planet["facility"] == 0


def test_bad_sheets_are_reported_and_the_others_graded(tmp_path: Path) -> None:
    bank, sheets = setup_class(tmp_path)
    bad = tmp_path / "zed.toml"
    bad.write_text('capital = "Paris"\nmoon = "Mooon"\n', encoding="utf-8")
    result = grade(bank, *sheets, str(bad), str(tmp_path / "missing.toml"), "--csv", "-")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f'quizdeck: error: {bad}:2: question "moon" (choice): "Mooon" is not one of the choices '
        '("Moon", "Phobos", "Titan")',
        f"quizdeck: error: {tmp_path / 'missing.toml'}: no such file",
    ]
    assert "2 of 8 sheets had problems and were not graded (see above)" in result.stderr
    assert len(result.stdout.splitlines()) == 7  # header + the six good sheets


def test_both_outputs_on_stdout_is_refused(tmp_path: Path) -> None:
    bank, sheets = setup_class(tmp_path)
    result = grade(bank, *sheets, "--json", "-", "--csv", "-")
    assert result.exit_code == 2
    assert "cannot both write to standard output" in result.stderr


def test_arabic_texts_in_logical_and_visual_mode(tmp_path: Path) -> None:
    sheets = {
        "huda": 'bases = "4"\nprovinces = ["نينوى", "البصرة"]\ninvited = false\n',
        "omar": 'bases = "8"\nprovinces = ["نينوى", "ديالى"]\ninvited = true\n',
        "sara": 'bases = "4"\ninvited = true\n',
    }
    paths = []
    for name, text in sheets.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    bank = str(BANKS / "take-arabic.toml")
    logical = grade(bank, *paths, "--rtl", "logical").stdout.splitlines()
    assert logical[0] == "التحالف الدولي والعراق: 3 students"
    assert any("│ البصرة: 1, كربلاء: 0 │" in line for line in logical)
    assert any('wrong choice "4" picked more than the' in line for line in logical)
    visual = grade(bank, *paths, "--rtl", "visual").stdout.splitlines()
    title = rtl.display_text("التحالف الدولي والعراق", "rtl", "visual", 100).strip()
    assert visual[0] == f"{title}: 3 students"
    shaped = [rtl.display_text(t, "rtl", "visual", 100).strip() for t in ("البصرة", "كربلاء")]
    assert any(f"│ {shaped[0]}: 1, {shaped[1]}: 0 │" in line for line in visual)


def test_two_sheets_with_one_name_are_told_apart(tmp_path: Path) -> None:
    bank, _ = setup_class(tmp_path)
    for group in ("a", "b"):
        (tmp_path / group).mkdir()
        (tmp_path / group / "ali.toml").write_text(f'capital = "{"Paris" if group == "a" else "Rome"}"\n')
    result = grade(bank, str(tmp_path / "a" / "ali.toml"), str(tmp_path / "b" / "ali.toml"), "--csv", "-")
    assert [row[:2] for row in csv.reader(io.StringIO(result.stdout))][1:] == [
        [str(tmp_path / "a" / "ali.toml"), "1"],
        [str(tmp_path / "b" / "ali.toml"), "0"],
    ]
