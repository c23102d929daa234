"""Rebuild the example files of the README's teacher walkthrough from the bundled bank.

Run: .venv/bin/python examples/build.py

What a class of students hands in for `quizzes/coalition-iraq.toml`:
- sheets/amina.toml, sheets/omar.toml: TOML answer sheets, choices named by label (أ ب ج in the
  bank's order) or by text, true/false as صح/خطأ;
- sheets/huda.json: the results file `take --json` writes, which `grade` reads as a sheet;
- exam-key.csv: the key `quizdeck print quizzes/coalition-iraq.toml --versions 2 --limit 20
  --seed 2025 -o exam.html` writes beside the papers;
- grid.csv: a class of eight students' paper answers to that exam, as a teacher types them in
  (or a scanner exports them): one row per student, cells as written on paper.

Everything is a pure function of the bank, so the files change only when the bank does;
tests/test_readme_walkthrough.py fails when they are out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from quizdeck.bank import Bank, load_bank  # noqa: E402
from quizdeck.cells import csv_text  # noqa: E402
from quizdeck.exam import KEY_CSV_HEADER, build_exam, key_rows  # noqa: E402
from quizdeck.grading import expected_answer  # noqa: E402
from quizdeck.questions import Card, Choice, Cloze, Match, Multi, Numeric, Order, Question, Short, TrueFalse  # noqa: E402
from quizdeck.rtl import ARABIC_LABELS  # noqa: E402
from quizdeck.session import build_quiz, grade_responses  # noqa: E402
from quizdeck.sheet import sheet_toml  # noqa: E402

BANK = ROOT / "quizzes" / "coalition-iraq.toml"
HERE = Path(__file__).resolve().parent
EXAM = {"versions": 2, "limit": 20, "seed": 2025}
STUDENTS = ("amal", "bilal", "dalia", "fares", "ghada", "hadi", "jana", "karim")


def _right(question: Question) -> Any:
    return True if isinstance(question, Card) else expected_answer(question)


def _wrong(question: Question) -> Any:
    """A plausible wrong answer, as a sheet holds it."""
    if isinstance(question, Choice):
        return next(c for c in question.choices if c != question.answer)
    if isinstance(question, Multi):
        return [next(c for c in question.choices if c not in question.answers)]
    if isinstance(question, TrueFalse):
        return not question.answer
    if isinstance(question, Numeric):
        return question.answer + 1 + question.tolerance * 2
    if isinstance(question, Cloze):
        return ["لا أدري" for _ in expected_answer(question)]
    if isinstance(question, Order):
        return list(reversed(question.items))
    if isinstance(question, Match):
        rights = [r for _, r in question.pairs]
        return {left: rights[(n + 1) % len(rights)] for n, (left, _) in enumerate(question.pairs)}
    if isinstance(question, Short):
        return "لا أدري"
    return False  # a card not known


def _as_written(question: Question, value: Any) -> Any:
    """A sheet value the way a teacher types it: choices by their label, true/false in Arabic."""
    if isinstance(question, Choice):
        return ARABIC_LABELS[question.choices.index(value)]
    if isinstance(question, Multi):
        return " ".join(ARABIC_LABELS[question.choices.index(v)] for v in value)
    if isinstance(question, TrueFalse):
        return "صح" if value else "خطأ"
    return value


def sheet(bank: Bank, every: int, *, labels: bool) -> dict[str, Any]:
    """Every question answered, every `every`-th one wrong."""
    values = {}
    for n, question in enumerate(bank.questions):
        value = _wrong(question) if n % every == every - 1 else _right(question)
        values[question.id] = _as_written(question, value) if labels else value
    return values


def grid_cell(written: str, question: Question, wrong: bool) -> str:
    """What a student wrote for one printed question: the key's answer, or a wrong one."""
    if not wrong:
        return written
    if isinstance(question, Choice):
        labels = ARABIC_LABELS[: len(question.choices)]
        return labels[(labels.index(written) + 1) % len(labels)]
    if isinstance(question, Multi):
        return written.split()[0]
    if isinstance(question, TrueFalse):
        return "خطأ" if written == "صح" else "صح"
    if isinstance(question, Numeric):
        return str(int(float(written)) + 1) if written.lstrip("-").isdigit() else written + "1"
    if isinstance(question, Order):
        return " ".join(reversed(written.split()))
    if isinstance(question, Match):
        parts = written.split()
        return " ".join(parts[1:] + parts[:1])
    if isinstance(question, Cloze):
        return "; ".join("لا أدري" for _ in written.split(";"))
    return "لا أدري"


def files() -> dict[str, str]:
    """Every example file's path (under examples/) and text."""
    bank = load_bank(BANK)
    out: dict[str, str] = {}
    out["sheets/amina.toml"] = sheet_toml(sheet(bank, 7, labels=True))
    out["sheets/omar.toml"] = sheet_toml(sheet(bank, 3, labels=False))
    quiz = build_quiz(bank, seed=41, shuffle=True)
    responses = sheet(bank, 4, labels=False)
    results = grade_responses(quiz, responses, time_seconds=1260.0).to_dict()
    out["sheets/huda.json"] = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    exam = build_exam(bank, versions=EXAM["versions"], limit=EXAM["limit"], seed=EXAM["seed"])
    rows = key_rows(exam)
    out["exam-key.csv"] = csv_text([KEY_CSV_HEADER, *rows], line_end="\n")
    count = len(exam.versions[0].questions)
    grid = [["student", "version", *(str(n) for n in range(1, count + 1))]]
    for k, student in enumerate(STUDENTS):
        version = exam.versions[k % len(exam.versions)]
        cells = []
        for number, (label, _, question_id, written) in enumerate(
            (r for r in rows if r[0] == version.label), 1
        ):
            question = bank.get(question_id)
            assert question is not None and label == version.label
            cells.append(grid_cell(written, question, wrong=(number * 7 + k * 5) % 11 < k + 1))
        grid.append([student, version.letter, *cells])
    out["grid.csv"] = csv_text(grid, line_end="\n")
    return out


def main() -> None:
    for name, text in files().items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"examples/{name}")


if __name__ == "__main__":
    main()
