"""The bundled Arabic bank graded as students type: spelling variants right, wrong facts wrong.

A student leaves out harakat, writes ا for أ إ آ, ى for a final ي, ه for a final ة, and may type
Arabic-Indic digits; `quizdeck take --answers` must mark all of that right, and must never mark
right a different number or another question's answer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import tomli_w
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app
from quizdeck.questions import Cloze, Numeric, Short

from .conftest import QUIZZES

BANK = QUIZZES / "coalition-iraq.toml"
HARAKAT = re.compile("[\u064b-\u0652\u0670]")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def student_spelling(text: str) -> str:
    text = HARAKAT.sub("", text).translate(str.maketrans("أإآ", "ااا"))
    text = re.sub(r"ي\b", "ى", text)
    text = re.sub(r"ة\b", "ه", text)
    return text.translate(ARABIC_INDIC)


def take(sheet: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "sheet.toml"
    path.write_text(tomli_w.dumps(sheet), encoding="utf-8")
    result = CliRunner().invoke(app, ["take", str(BANK), "--answers", str(path), "--json", "-", "--no-shuffle"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def typed_questions() -> list[Short | Numeric | Cloze]:
    return [q for q in load_bank(BANK).questions if isinstance(q, (Short, Numeric, Cloze))]


def test_typed_answers_in_a_students_spelling_are_right(tmp_path: Path) -> None:
    sheet: dict[str, Any] = {}
    for question in typed_questions():
        if isinstance(question, Short):
            sheet[question.id] = student_spelling(question.answer)
        elif isinstance(question, Numeric):
            sheet[question.id] = f"{question.answer:g}".translate(ARABIC_INDIC)
        else:
            sheet[question.id] = [student_spelling(d.answer) for d in question.deletions]
    assert len(sheet) >= 15
    results = take(sheet, tmp_path)
    wrong = [(q["id"], q["response"], q["expected"]) for q in results["questions"]
             if q["id"] in sheet and not q["correct"]]
    assert wrong == []


def test_accepted_variants_are_right_too(tmp_path: Path) -> None:
    sheet = {q.id: student_spelling(q.accept[-1]) for q in typed_questions() if isinstance(q, Short) and q.accept}
    assert sheet
    results = take(sheet, tmp_path)
    assert [q["id"] for q in results["questions"] if q["id"] in sheet and not q["correct"]] == []


def test_wrong_numbers_and_other_questions_answers_are_wrong(tmp_path: Path) -> None:
    questions = typed_questions()
    shorts = [q for q in questions if isinstance(q, Short)]
    sheet: dict[str, Any] = {}
    for question in questions:
        if isinstance(question, Numeric):
            sheet[question.id] = f"{question.answer + 1:g}".translate(ARABIC_INDIC)
    for question, other in zip(shorts, shorts[1:] + shorts[:1], strict=True):
        if other.answer not in (question.answer, *question.accept):
            sheet[question.id] = student_spelling(other.answer)
    results = take(sheet, tmp_path)
    right = [(q["id"], q["response"]) for q in results["questions"] if q["id"] in sheet and q["points"] > 0]
    assert right == []


def test_a_sheet_answering_nan_or_infinity_is_refused_with_its_line(tmp_path: Path) -> None:
    numeric = next(q for q in typed_questions() if isinstance(q, Numeric))
    for value in ("nan", "inf", "-inf", "1e400"):
        sheet = tmp_path / "sheet.toml"
        sheet.write_text(f'"{numeric.id}" = {value}\n', encoding="utf-8")
        result = CliRunner().invoke(app, ["take", str(BANK), "--answers", str(sheet), "--json", "-"])
        assert result.exit_code != 0, value
        assert f"sheet.toml:1: question \"{numeric.id}\" (numeric): expected a number" in result.output, value
        assert "not a finite number" in result.output and "Traceback" not in result.output, value
        assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    sheet = tmp_path / "sheet.json"
    sheet.write_text(f'{{"questions": [{{"id": "{numeric.id}", "response": NaN}}]}}', encoding="utf-8")
    result = CliRunner().invoke(app, ["take", str(BANK), "--answers", str(sheet), "--json", "-"])
    assert result.exit_code != 0 and "not a finite number" in result.output
