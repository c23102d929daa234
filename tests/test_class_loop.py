"""The class loop through the CLI: print papers and keys, fill in a class grid, grade it.

Also every kind of sheet a student produces: take --json results, labels, true/false spellings.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from quizdeck.cli import app

from .conftest import BANKS

runner = CliRunner()
ARABIC_BANK = BANKS / "take-arabic.toml"


def run(*args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args), env={"COLUMNS": "120"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def printed(folder: Path, bank: Path, *args: str) -> list[dict[str, str]]:
    result = run("print", str(bank), "--versions", "2", "--seed", "3", "-o", str(folder / "exam.html"), *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO((folder / "exam-key.csv").read_text(encoding="utf-8"))))


def write_grid(path: Path, rows: list[list[str]]) -> str:
    count = max(len(row) for row in rows) - 2
    lines = [",".join(["student", "version", *(str(n) for n in range(1, count + 1))])]
    lines += [",".join(f'"{cell}"' for cell in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def key_of(rows: list[dict[str, str]], version: str) -> list[dict[str, str]]:
    return [row for row in rows if row["version"] == version]


def test_print_writes_papers_keys_and_a_csv_key_apart(tmp_path: Path, all_types_bank: Path) -> None:
    rows = printed(tmp_path, all_types_bank)
    papers = (tmp_path / "exam.html").read_text(encoding="utf-8")
    keys = (tmp_path / "exam-key.html").read_text(encoding="utf-8")
    # The papers can be mailed: no key in them.
    assert "Answer key" not in papers and 'class="key"' not in papers
    assert keys.count('<section class="key"') == 2
    assert list(rows[0]) == ["version", "number", "id", "answer"]
    assert [(r["version"], r["number"], r["id"], r["answer"]) for r in key_of(rows, "A")] == [
        ("A", "1", "largest-planet", "B"),
        ("A", "2", "planet-order", "1 2 4 3"),
        ("A", "3", "primary-colours", "B C D"),
        ("A", "4", "capital-card", "Paris"),
        ("A", "5", "planets-cloze", "Sun; Moon"),
        ("A", "6", "author-hamlet", "William Shakespeare"),
        ("A", "7", "capitals-match", "A C B"),
        ("A", "8", "water-boils", "True"),
        ("A", "9", "speed-of-light", "300"),
    ]
    assert len(key_of(rows, "B")) == 9
    # The CSV says what the HTML key says: version A's first answer is B on the paper.
    assert '<span class="number">1.</span><div class="content"><p>B. Jupiter</p>' in keys


def test_a_grid_of_paper_answers_is_graded_against_each_version(tmp_path: Path, all_types_bank: Path) -> None:
    rows = printed(tmp_path, all_types_bank)
    perfect_a = [r["answer"] for r in key_of(rows, "A")]
    perfect_b = [r["answer"] for r in key_of(rows, "B")]
    # Version A as a student writes it: lower case, no spaces, T for True, Arabic-free.
    sloppy_a = ["b", "1243", "bcd", "paris", "Sun;Moon", "Shakespeare", "ACB", "T", "300"]
    # Wrong on purpose: C (Venus) for B, the order with 3 and 4 swapped... (see below).
    wrong_a = ["C", "1 2 3 4", "B", "London", "Sun; Mars", "Marlowe", "B A C", "F", "150"]
    grid = write_grid(tmp_path / "grid.csv", [
        ["amina", "A", *perfect_a], ["badr", "B", *perfect_b], ["carla", "a", *sloppy_a],
        ["dina", "A", *wrong_a], ["emil", "A", "B", "", "", "", "", "", "", "", ""],
    ])
    out = tmp_path / "class.json"
    result = run("grade", str(all_types_bank), "--key", str(tmp_path / "exam-key.csv"), grid, "--json", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    scores = {s["student"]: s["percent"] for s in data["students"]}
    assert scores["amina"] == scores["badr"] == scores["carla"] == 100
    assert scores["emil"] == round(100 / 9, 1)  # one right answer, the rest unanswered
    dina = next(s for s in data["students"] if s["student"] == "dina")["points"]
    # Order 1 2 3 4 against 1 2 4 3: 3 of 4 in order = 2/3; multi B only of B C D = 1/3;
    # cloze one blank of two; match B A C against A C B: no pair right.
    assert dina == {"capital-card": 0, "largest-planet": 0, "primary-colours": 0.3333, "water-boils": 0,
                    "author-hamlet": 0, "speed-of-light": 0, "planets-cloze": 0.5, "planet-order": 0.6667,
                    "capitals-match": 0}
    # The terminal table is sorted by score, with the class figures under it.
    lines = result.stdout.splitlines()
    names = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert names == ["amina", "badr", "carla", "dina", "emil"]
    assert any(line.startswith("class: mean ") and "KR-20" in line and "SEM" in line for line in lines)


def test_impossible_cells_are_reported_by_row_and_column_and_counted_wrong(tmp_path: Path,
                                                                           all_types_bank: Path) -> None:
    rows = printed(tmp_path, all_types_bank)
    perfect = [r["answer"] for r in key_of(rows, "A")]
    bad = list(perfect)
    bad[0] = "E"          # only A-D on the paper
    bad[8] = "fast"       # not a number
    grid = write_grid(tmp_path / "grid.csv", [["amina", "A", *perfect], ["omar", "A", *bad], ["zed", "Q", *perfect]])
    result = run("grade", str(all_types_bank), "--key", str(tmp_path / "exam-key.csv"), grid, "--csv", "-")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        f'quizdeck: error: {grid}: row 3, column C (question 1 of version A, "largest-planet"), student "omar": '
        '"E" is not a label on this paper (A-D); counted wrong',
        f'quizdeck: error: {grid}: row 3, column K (question 9 of version A, "speed-of-light"), student "omar": '
        '"fast" is not a number; counted wrong',
        f'quizdeck: error: {grid}: row 4, column B (version), student "zed": "Q" is not a version of this exam '
        "(A, B); the row is not graded",
    ]
    gradebook = list(csv.reader(io.StringIO(result.stdout)))
    assert [row[:4] for row in gradebook] == [["student", "score", "total", "percent"],
                                              ["amina", "9", "9", "100"], ["omar", "7", "9", "77.8"]]


def test_arabic_papers_come_back_with_arabic_labels_and_sah_khata(tmp_path: Path) -> None:
    rows = printed(tmp_path, ARABIC_BANK)
    assert {r["version"] for r in rows} == {"أ", "ب"}
    key = {r["id"]: r["answer"] for r in key_of(rows, "أ")}
    assert key["invited"] == "صح"
    perfect = [r["answer"] for r in key_of(rows, "أ")]
    other = [r["answer"] for r in key_of(rows, "ب")]
    swapped = ["خ" if cell == "صح" else cell for cell in perfect]
    grid = write_grid(tmp_path / "grid.csv", [["هدى", "أ", *perfect], ["عمر", "B", *other], ["سارة", "1", *swapped]])
    out = tmp_path / "class.json"
    result = run("grade", str(ARABIC_BANK), "--key", str(tmp_path / "exam-key.csv"), grid, "--json", str(out))
    assert result.exit_code == 0, result.output
    scores = {s["student"]: s["percent"] for s in json.loads(out.read_text(encoding="utf-8"))["students"]}
    assert scores == {"هدى": 100, "عمر": 100, "سارة": round(800 / 9, 1)}


def test_a_key_of_another_bank_is_refused(tmp_path: Path, all_types_bank: Path) -> None:
    printed(tmp_path, ARABIC_BANK)
    grid = write_grid(tmp_path / "grid.csv", [["amina", "A", "B"]])
    result = run("grade", str(all_types_bank), "--key", str(tmp_path / "exam-key.csv"), grid)
    assert result.exit_code == 1
    assert (f'{tmp_path / "exam-key.csv"}: row 2: no question "victory-year" in {all_types_bank}; '
            "is this the key of another bank?") in result.stderr


def test_take_json_results_are_a_sheet(tmp_path: Path, all_types_bank: Path) -> None:
    sheet = tmp_path / "amina.toml"
    sheet.write_text('largest-planet = "b"\nwater-boils = "F"\nauthor-hamlet = "Shakespeare"\n', encoding="utf-8")
    results = tmp_path / "amina-results.json"
    taken = run("take", str(all_types_bank), "--answers", str(sheet), "--json", str(results), "--seed", "5")
    assert taken.exit_code == 0, taken.output
    assert json.loads(results.read_text(encoding="utf-8"))["score"] == 2
    # The results file goes straight into grade (and take --answers), whatever it is called.
    graded = run("grade", str(all_types_bank), str(results), "--json", "-")
    assert graded.exit_code == 0, graded.output
    student = json.loads(graded.stdout)["students"][0]
    assert (student["student"], student["score"]) == ("amina-results", 2)
    again = run("take", str(all_types_bank), "--answers", str(results), "--json", "-")
    assert json.loads(again.stdout)["score"] == 2


def test_results_of_another_bank_are_refused(tmp_path: Path, all_types_bank: Path) -> None:
    results = tmp_path / "r.json"
    results.write_text('{"bank": "other", "questions": [{"id": "x", "response": "y"}]}', encoding="utf-8")
    result = run("grade", str(all_types_bank), str(results))
    assert result.exit_code == 1
    assert f'{results}: these are results of the bank "other", not of {all_types_bank}' in result.stderr


def test_a_report_page_is_written(tmp_path: Path, all_types_bank: Path) -> None:
    rows = printed(tmp_path, all_types_bank)
    perfect = [r["answer"] for r in key_of(rows, "A")]
    grid = write_grid(tmp_path / "grid.csv", [["amina", "A", *perfect], ["omar", "A", *(["x"] * 9)]])
    report = tmp_path / "report.html"
    run("grade", str(all_types_bank), "--key", str(tmp_path / "exam-key.csv"), grid, "--report", str(report))
    page = report.read_text(encoding="utf-8")
    assert page.count('<rect class="bar"') == 10
    assert 'data-count="1"' in page and '<html lang="en" dir="ltr">' in page
