"""Answer sheets: loading, and every problem reported with file:line and question id."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizdeck.bank import load_bank
from quizdeck.sheet import SheetError, load_sheet, parse_sheet

BANKS = Path(__file__).resolve().parent / "banks"

GOOD = """\
capital-card = true
largest-planet = "Jupiter"
primary-colours = ["red", "blue"]
water-boils = false
author-hamlet = "Shakespear"
speed-of-light = "300 thousand km/s"
planets-cloze = ["Sun", "Moon"]
planet-order = ["Venus", "Mercury", "Earth", "Mars"]

[capitals-match]
France = "Paris"
Italy = "Madrid"
"""


def test_a_good_sheet(all_types_bank: Path, tmp_path: Path) -> None:
    bank = load_bank(all_types_bank)
    path = tmp_path / "amina.toml"
    path.write_text(GOOD, encoding="utf-8")
    sheet = load_sheet(path, bank)
    assert sheet.name == "amina"
    assert sheet.responses["primary-colours"] == ["red", "blue"]
    assert sheet.responses["speed-of-light"] == "300 thousand km/s"
    assert sheet.responses["capitals-match"] == {"France": "Paris", "Italy": "Madrid"}
    assert "no-such" not in sheet.responses


def test_an_empty_sheet_answers_nothing(all_types_bank: Path) -> None:
    sheet = parse_sheet("# nothing yet\n", load_bank(all_types_bank), name="blank.toml")
    assert sheet.responses == {}
    assert sheet.name == "blank"


def problems(text: str, bank_path: Path) -> list[str]:
    with pytest.raises(SheetError) as failure:
        parse_sheet(text, load_bank(bank_path), name="s.toml")
    return [str(p) for p in failure.value.problems]


def test_every_problem_is_reported_with_line_and_question(all_types_bank: Path) -> None:
    text = """\
capital-card = "maybe"
largest-planet = "Jupitr"
primary-colours = "red"
water-boils = 1
author-hamlet = ["Shakespeare"]
speed-of-light = "fast"
planets-cloze = ["Sun"]
planet-order = ["Mercury", "Venus", "Earth"]
capitals-match = { Germany = "Berlin" }
victory-year = 2017
"""
    assert problems(text, all_types_bank) == [
        's.toml:1: question "capital-card" (card): expected true (knew it) or false (also T/F, صح/خطأ, ص/خ), '
        'got the text "maybe"',
        's.toml:2: question "largest-planet" (choice): "Jupitr" is not one of the choices '
        '("Mars", "Jupiter", "Venus", "Mercury") nor the label of one',
        's.toml:3: question "primary-colours" (multi): expected a list of texts '
        "(the chosen choices' texts) or of labels, got the text \"red\"",
        's.toml:4: question "water-boils" (truefalse): expected true or false (also T/F, صح/خطأ, ص/خ), '
        "got the number 1",
        's.toml:5: question "author-hamlet" (short): expected the answer as a text in quotes, got a list',
        's.toml:6: question "speed-of-light" (numeric): expected a number (e.g. 300), got the text "fast"',
        's.toml:7: question "planets-cloze" (cloze): expected 2 entries (one per blank, c1 first), got 1',
        's.toml:8: question "planet-order" (order): expected all 4 items in some order; missing "Mars"',
        's.toml:9: question "capitals-match" (match): "Germany" is not a left-hand item ("France", "Italy", "Spain") '
        "nor the label of one",
        's.toml:10: question "victory-year": no question with this id in '
        f"{all_types_bank} (its questions: capital-card, largest-planet, primary-colours, "
        "water-boils, author-hamlet, speed-of-light, planets-cloze, planet-order, capitals-match)",
    ]


def test_what_a_student_writes_on_paper_is_read_as_meant(all_types_bank: Path) -> None:
    # Labels in the bank's choice order (Latin, Arabic or digits) and true/false in every spelling.
    text = """\
water-boils = "F"
capital-card = "صح"
largest-planet = "b"
primary-colours = "a c"
planet-order = ["b", "a", "c", "d"]
"capitals-match".France = "a"
"""
    sheet = parse_sheet(text, load_bank(all_types_bank), name="s.toml")
    assert sheet.responses == {
        "water-boils": False,
        "capital-card": True,
        "largest-planet": "Jupiter",
        "primary-colours": ["red", "blue"],
        "planet-order": ["Venus", "Mercury", "Earth", "Mars"],
        "capitals-match": {"France": "Paris"},
    }


@pytest.mark.parametrize(
    ("written", "value"),
    [("true", True), ("True", True), ("T", True), ("t", True), ("صح", True), ("ص", True),
     ("false", False), ("FALSE", False), ("F", False), ("خطأ", False), ("خطا", False), ("خ", False)],
)
def test_true_and_false_in_every_spelling(all_types_bank: Path, written: str, value: bool) -> None:
    sheet = parse_sheet(f'water-boils = "{written}"\n', load_bank(all_types_bank), name="s.toml")
    assert sheet.responses == {"water-boils": value}


@pytest.mark.parametrize(("written", "choice"), [("أ", "Mars"), ("ب", "Jupiter"), ("2", "Jupiter"), ("٤", "Mercury"),
                                                  ("D", "Mercury"), ("Venus", "Venus")])
def test_a_choice_by_label_in_any_script_or_by_text(all_types_bank: Path, written: str, choice: str) -> None:
    sheet = parse_sheet(f'largest-planet = "{written}"\n', load_bank(all_types_bank), name="s.toml")
    assert sheet.responses == {"largest-planet": choice}


def test_a_label_past_the_choices_is_refused(all_types_bank: Path) -> None:
    assert problems('largest-planet = "e"\n', all_types_bank) == [
        's.toml:1: question "largest-planet" (choice): "e" is not one of the choices '
        '("Mars", "Jupiter", "Venus", "Mercury") nor the label of one',
    ]


def test_duplicates_and_unknown_texts_in_lists(all_types_bank: Path) -> None:
    assert problems('primary-colours = ["red", "red"]\n', all_types_bank) == [
        's.toml:1: question "primary-colours" (multi): "red" is listed twice'
    ]
    assert problems('\n\n"capitals-match".France = "Lyon"\n', all_types_bank) == [
        's.toml:3: question "capitals-match" (match): "Lyon" is not a right-hand item ("Paris", "Rome", "Madrid") '
        "nor the label of one"
    ]


def test_toml_syntax_error_has_its_line(all_types_bank: Path) -> None:
    found = problems('water-boils = true\nlargest-planet = "Jupiter\n', all_types_bank)
    assert len(found) == 1
    assert found[0].startswith("s.toml:2:")
    assert "TOML syntax error" in found[0]


def test_arabic_choices_named_with_other_spellings_are_canonical() -> None:
    bank = load_bank(BANKS / "take-arabic.toml")
    # Alef maqsura written as yaa, and harakat: still the choices of the bank, stored as the bank writes them.
    sheet = parse_sheet('provinces = ["نينوي", "دِيالى"]\nvictory-year = "٢٠١٧"\n', bank, name="x.toml")
    assert sheet.responses["provinces"] == ["نينوى", "ديالى"]
    assert sheet.responses["victory-year"] == "٢٠١٧"


def test_file_problems(all_types_bank: Path, tmp_path: Path) -> None:
    bank = load_bank(all_types_bank)
    with pytest.raises(SheetError, match=r"missing\.toml: no such file"):
        load_sheet(tmp_path / "missing.toml", bank)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'author-hamlet = "Moli\xe8re"\n')
    with pytest.raises(SheetError, match=r"latin1\.toml:1:22: not UTF-8 text"):
        load_sheet(latin1, bank)


def test_a_bank_given_as_a_sheet_is_named_for_what_it_is(all_types_bank: Path) -> None:
    # `quizdeck grade bank.toml *.toml` catches the bank too: it got one "no question with this
    # id" per table, each listing every id of the bank.
    text = all_types_bank.read_text(encoding="utf-8")
    assert problems(text, all_types_bank) == [
        "s.toml: this is a question bank, not an answer sheet (a sheet has one `question-id = answer` "
        "line per question; see docs/quiz.md)"
    ]
