"""`quizdeck take` without a keyboard: answer sheets in, results JSON out (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.cli import app

from .conftest import BANKS

runner = CliRunner()

ALL_RIGHT = """\
capital-card = true
largest-planet = "Jupiter"
primary-colours = ["red", "green", "blue"]
water-boils = true
author-hamlet = "Shakespeare"
speed-of-light = 300
planets-cloze = ["Sun", "Moon"]
planet-order = ["Mercury", "Venus", "Earth", "Mars"]
capitals-match = { France = "Paris", Italy = "Rome", Spain = "Madrid" }
"""

ARABIC = """\
spokeswoman = "غابى طومسون"
victory-year = "٢٠١٧"
bases = "8"
provinces = ["نينوى"]
invited = true
transfer-cloze = ["٨", "2020"]
timeline = ["إعلان النصر على داعش", "انتشار داعش في نينوى وديالى", "نقل ثماني قواعد إلى القيادة العراقية"]
people = { "غابي طومسون" = "المتحدثة السابقة باسم التحالف", "تحسين الخفاجي" = "المتحدث باسم قوات الأمن" }
"""


def take(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["take", *args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def sheet(tmp_path: Path, text: str, name: str = "sheet.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_all_right_from_a_sheet_to_stdout(all_types_bank: Path, tmp_path: Path) -> None:
    result = take(str(all_types_bank), "--answers", sheet(tmp_path, ALL_RIGHT), "--json", "-", "--seed", "4")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["bank"], data["score"], data["total"], data["percent"]) == ("all-types", 9, 9, 100.0)
    assert data["seed"] == 4
    assert all(q["correct"] for q in data["questions"])
    # The quiz order is the shuffle of seed 4, the same as an interactive quiz with --seed 4.
    again = json.loads(
        take(str(all_types_bank), "--answers", sheet(tmp_path, ALL_RIGHT), "--json", "-", "--seed", "4").stdout
    )
    assert [q["id"] for q in again["questions"]] == [q["id"] for q in data["questions"]]
    # People's output went to stderr, so stdout is the JSON alone.
    assert "score: 9 of 9 (100%)" in result.stderr
    assert "nothing missed" in result.stderr


EXPECTED = {
    "capital-card": "Paris",
    "largest-planet": "Jupiter",
    "primary-colours": ["red", "green", "blue"],
    "water-boils": True,
    "author-hamlet": "William Shakespeare",
    "speed-of-light": 300,
    "planets-cloze": ["Sun", "Moon"],
    "planet-order": ["Mercury", "Venus", "Earth", "Mars"],
    "capitals-match": {"France": "Paris", "Italy": "Rome", "Spain": "Madrid"},
}


def test_results_give_the_expected_answer_of_every_question(all_types_bank: Path, tmp_path: Path) -> None:
    # Right, wrong, partly right and unanswered alike: a mark's expected answer is worked out only
    # when the results are written, and must still be there for every question.
    for text in (ALL_RIGHT, 'largest-planet = "Mars"\nprimary-colours = ["red", "yellow"]\nspeed-of-light = 7\n'):
        result = take(str(all_types_bank), "--answers", sheet(tmp_path, text), "--json", "-", "--seed", "4")
        assert result.exit_code == 0, result.output
        questions = json.loads(result.stdout)["questions"]
        assert {q["id"]: q["expected"] for q in questions} == EXPECTED
        assert all(type(q["expected"]) is type(EXPECTED[q["id"]]) for q in questions)  # 300, not 300.0


def test_summary_lists_missed_questions(all_types_bank: Path, tmp_path: Path) -> None:
    text = 'largest-planet = "Mars"\nwater-boils = true\nauthor-hamlet = "Marlowe"\n'
    out = tmp_path / "results.json"
    result = take(str(all_types_bank), "--no-shuffle", "--answers", sheet(tmp_path, text), "--json", str(out))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "score: 1 of 9 (11.1%)" in lines
    assert "missed (8):" in lines
    at = lines.index("  largest-planet (choice, 0 points)")
    assert lines[at + 1 : at + 4] == [
        "    Which planet is the largest?",
        "    your answer: Mars",
        "    answer: Jupiter",
    ]
    at = lines.index("  author-hamlet (short, 0 points)")
    assert lines[at + 2 : at + 4] == ["    your answer: Marlowe", "    answer: William Shakespeare"]
    assert "    your answer: (no answer)" in lines
    data = json.loads(out.read_text(encoding="utf-8"))
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["author-hamlet"] | {"detail": ""} == {
        "id": "author-hamlet",
        "type": "short",
        "points": 0,
        "correct": False,
        "response": "Marlowe",
        "expected": "William Shakespeare",
        "detail": "",
        "hint_used": False,
    }
    assert by_id["primary-colours"]["response"] is None
    assert data["score"] == 1


def test_arabic_sheet_grades_arabic_spellings_and_digits(tmp_path: Path) -> None:
    result = take(str(BANKS / "take-arabic.toml"), "--no-shuffle", "--answers", sheet(tmp_path, ARABIC), "--json", "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    points = {q["id"]: q["points"] for q in data["questions"]}
    # Alef maqsura for yaa, and Arabic-Indic digits, are the same answer.
    assert points["spokeswoman"] == 1
    assert points["victory-year"] == 1
    assert points["bases"] == 1
    assert points["invited"] == 1
    assert points["transfer-cloze"] == 1
    assert points["people"] == 1
    assert points["provinces"] == 0.5  # one of the two provinces, no wrong one
    assert points["timeline"] == 0.5  # the first two swapped: one step in order of two
    assert points["trained"] == 0  # not in the sheet
    assert data["questions"][1]["response"] == "٢٠١٧"
    assert data["total"] == 9


def test_tag_and_limit(all_types_bank: Path, tmp_path: Path) -> None:
    result = take(str(all_types_bank), "--tag", "literature", "--answers", sheet(tmp_path, ALL_RIGHT), "--json", "-")
    data = json.loads(result.stdout)
    assert [q["id"] for q in data["questions"]] == ["author-hamlet"]
    result = take(str(all_types_bank), "--limit", "3", "--answers", sheet(tmp_path, ALL_RIGHT), "--json", "-")
    assert json.loads(result.stdout)["total"] == 3


def test_no_question_with_the_tag_is_an_error(all_types_bank: Path) -> None:
    result = take(str(all_types_bank), "--tag", "history")
    assert result.exit_code == 2
    assert result.stderr == (
        f"quizdeck: error: {all_types_bank}: no question has the tag 'history' "
        "(tags in this bank: demo, geo, literature)\n"
    )
    assert result.stdout == ""


def test_a_bad_sheet_is_reported_and_nothing_is_asked(all_types_bank: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path, 'water-boils = "maybe"\nnope = 1\n')
    result = take(str(all_types_bank), "--answers", path, "--json", "-")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'quizdeck: error: {path}:1: question "water-boils" (truefalse): expected true or false '
        '(also T/F, صح/خطأ, ص/خ), got the text "maybe"',
        f'{path}:2: question "nope": no question with this id in {all_types_bank} (its questions: '
        "capital-card, largest-planet, primary-colours, water-boils, author-hamlet, speed-of-light, "
        "planets-cloze, planet-order, capitals-match)",
    ]
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["--rtl", "sideways"], "--rtl: invalid value 'sideways'; use one of auto, logical, visual"),
        (["--limit", "0"], "Invalid value for '--limit'"),
    ],
)
def test_bad_options(all_types_bank: Path, args: list[str], message: str) -> None:
    result = take(str(all_types_bank), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_answers_from_piped_stdin(all_types_bank: Path) -> None:
    # Standard input not a terminal and no sheet: one line per answer, until it ends.
    lines = "\n".join(["", "y", "b", "a b c", "t", "Shakespeare", "300", "Sun", "Moon"]) + "\n"
    result = take(str(all_types_bank), "--no-shuffle", "--json", "-", input=lines)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [q["response"] for q in data["questions"]] == [
        True,
        "Jupiter",
        ["red", "green", "blue"],
        True,
        "Shakespeare",
        "300",
        ["Sun", "Moon"],
    ]
    assert data["finished"] is False
    assert (data["score"], data["total"]) == (7, 7)
    assert "quiz ended after 7 of 9 questions" in result.stderr


def test_json_into_a_missing_folder_is_refused_before_the_quiz(all_types_bank: Path, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "results.json"
    result = take(str(all_types_bank), "--json", str(target), input="b\n")
    assert result.exit_code == 2
    assert result.stderr == f"quizdeck: error: --json {target}: no such folder '{target.parent}'\n"
    assert result.stdout == ""


def test_json_onto_a_folder_is_refused_before_the_quiz(all_types_bank: Path, tmp_path: Path) -> None:
    # It used to be refused only after the last question: the student's answers were lost.
    result = take(str(all_types_bank), "--json", str(tmp_path), input="b\n")
    assert result.exit_code == 2
    assert result.stderr == f"quizdeck: error: --json {tmp_path}: is a folder; give a file name\n"
    assert result.stdout == ""
