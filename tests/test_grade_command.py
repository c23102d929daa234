"""`quizdeck grade` through the CLI: a class's sheets, tables, JSON and CSV gradebooks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

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
    items = result.stdout.splitlines()
    at = items.index("item analysis")
    assert [line.rstrip() for line in items[at + 1 : at + 3]] == [
        "question  type       answered  facility      D   DI    DE  flags",
        "─" * 160,
    ]
    assert (
        'river     choice          6/6      0.33  +0.50   +0    +0  wrong choice "Amazon" picked more than the answer'
        in lines
    )
    assert "hamlet    short           5/6      0.50  -1.00  -90  -100  negative discrimination" in lines
    assert "boils     truefalse       6/6      1.00  +0.00    -     -  everybody right" in lines
    assert "D: mean points of the top 2 minus the bottom 2 students by score" in lines
    at = lines.index("wrong choices: how many students picked each")
    assert lines[at + 8 : at + 11] == ["river", "3 × Amazon", "1 × Danube"]
    assert lines[at + 14 :] == ["boils", "0 × false"]


def test_one_students_wrong_choices_are_those_picked(tmp_path: Path) -> None:
    # With one sheet, a choice nobody picked is only a choice this student did not pick: the list
    # names the wrong choices the student picked, and says so; JSON still counts every choice.
    bank, sheets = setup_class(tmp_path)
    dan = next(path for path in sheets if path.endswith("dan.toml"))
    out = tmp_path / "dan.json"
    result = grade(bank, dan, "--json", str(out))
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "wrong choices: how many students picked each" not in lines
    at = lines.index("wrong choices the student picked")
    assert lines[at + 1 :] == ["capital", "1 × Rome", "river", "1 × Amazon", "planet", "1 × Venus"]
    options = {q["id"]: q["options"] for q in json.loads(out.read_text(encoding="utf-8"))["questions"]}
    assert options["capital"][3] == {"text": "Berlin", "picks": 0, "right": False}


def test_item_analysis_fits_80_columns_without_cutting_ids(tmp_path: Path) -> None:
    # Two ids with one beginning ("capital-card", "capitals-match") were both shown as
    # "capita…", and the table was wider than the terminal.
    sheets = []
    for name, picked in (("ana", "Jupiter"), ("ben", "Mars"), ("cai", "Mars")):
        path = tmp_path / f"{name}.toml"
        path.write_text(f'largest-planet = "{picked}"\ncapital-card = true\n', encoding="utf-8")
        sheets.append(str(path))
    result = runner.invoke(app, ["grade", str(BANKS / "all-types.toml"), *sheets], env={"COLUMNS": "80"})
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    assert "capital-card     card            3/3      1.00  +0.00   -   -  everybody right" in lines
    assert "capitals-match   match           0/3      0.00  +0.00   -   -  nobody answered" in lines


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
        '("Moon", "Phobos", "Titan") nor the label of one',
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
    at = logical.index("  provinces")
    assert logical[at + 1 : at + 3] == ["    1 × البصرة", "    0 × كربلاء"]
    assert any('wrong choice "4" picked more than the answer' in line for line in logical)
    visual = grade(bank, *paths, "--rtl", "visual").stdout.splitlines()
    # Letters joined (presentation forms) and in screen order, right to left: read backwards,
    # "التحالف الدولي والعراق".
    assert visual[0] == "\ufed5\ufe8d\ufeae\ufecc\ufedf\ufe8d\ufeed \ufef2\ufedf\ufeed\ufeaa\ufedf\ufe8d " \
                        "\ufed2\ufedf\ufe8e\ufea4\ufe98\ufedf\ufe8d: 3 students"
    at = visual.index("  provinces")
    # Right-aligned, reordered line by line (156 = the width of 160 less the indent): "1 × البصرة"
    # and "0 × كربلاء" (lam-alef joined into one form).
    assert visual[at + 1 : at + 3] == [
        " " * 146 + "\ufe93\ufeae\ufebc\ufe92\ufedf\ufe8d × 1",
        " " * 147 + "\ufe80\ufefc\ufe91\ufeae\ufedb × 0",
    ]
    assert any('wrong choice "4" picked more than the answer' in line for line in visual)


def test_a_long_arabic_choice_reads_top_to_bottom_in_visual_mode(tmp_path: Path) -> None:
    bank = tmp_path / "long.toml"
    long_choice = "نقل قواعد التحالف إلى القيادة العراقية بعد إعلان النصر على داعش في عام 2017"
    bank.write_text(
        '[bank]\nid = "long"\ntitle = "طويل"\nlanguage = "ar"\n\n[[questions]]\nid = "why"\n'
        f'type = "choice"\nprompt = "لماذا؟"\nchoices = ["{long_choice}", "وجود داعش"]\nanswer = "وجود داعش"\n',
        encoding="utf-8",
    )
    path = tmp_path / "ali.toml"
    path.write_text(f'why = "{long_choice}"\n', encoding="utf-8")
    result = runner.invoke(app, ["grade", str(bank), str(path), "--rtl", "visual"], env={"COLUMNS": "40"})
    lines = result.stdout.splitlines()
    at = lines.index("  why")
    # Wrapped in logical order first, then each line reordered: the first line holds the
    # text's beginning ("1 × نقل قواعد ...").
    assert lines[at + 1 : at + 4] == [
        "   ﺓﺩﺎﻴﻘﻟﺍ ﻰﻟﺇ ﻒﻟﺎﺤﺘﻟﺍ ﺪﻋﺍﻮﻗ ﻞﻘﻧ × 1",  # 1 × نقل قواعد التحالف إلى القيادة
        " ﻲﻓ ﺶﻋﺍﺩ ﻰﻠﻋ ﺮﺼﻨﻟﺍ ﻥﻼﻋﺇ ﺪﻌﺑ ﺔﻴﻗﺍﺮﻌﻟﺍ",  # العراقية بعد إعلان النصر على داعش في
        " " * 28 + "2017 ﻡﺎﻋ",  # عام 2017
    ]


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


def test_one_student_is_one_student(tmp_path: Path) -> None:
    path = tmp_path / "ana.toml"
    path.write_text('largest-planet = "Jupiter"\n', encoding="utf-8")
    result = grade(str(BANKS / "all-types.toml"), str(path))
    assert result.stdout.splitlines()[0] == "Every question type: 1 student"


def test_show_report_writes_into_the_console_it_is_given(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # A console into a file (not a terminal) gets every line, escaped; nothing leaks to stdout.
    from quizdeck.analysis import analyse
    from quizdeck.bank import load_bank
    from quizdeck.commands._output import console
    from quizdeck.commands.grade import show_report
    from quizdeck.session import build_quiz, grade_responses
    from quizdeck.sheet import parse_sheet

    bank_path, _ = setup_class(tmp_path)
    bank = load_bank(bank_path)
    quiz = build_quiz(bank, seed=0, shuffle=False)
    graded = [(f"ana\x1b[2J{n}", grade_responses(quiz, parse_sheet(text, bank).responses))
              for n, text in enumerate(SHEETS.values())]
    buffer = io.StringIO()
    show_report(console(file=buffer, width=100), analyse(bank, graded))
    assert capsys.readouterr().out == ""
    text = buffer.getvalue()
    assert "hamlet    short           5/6      0.50  -1.00  -90  -100  negative discrimination" in text
    assert "3 × Amazon" in text
    assert "\x1b" not in text


def test_the_report_on_standard_output_and_the_tables_on_standard_error(tmp_path: Path) -> None:
    bank, sheets = setup_class(tmp_path)
    result = grade(bank, *sheets, "--report", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and "item analysis" in result.stderr
    refused = grade(bank, *sheets, "--report", "-", "--csv", "-")
    assert refused.exit_code == 2
    assert "--csv - and --report - cannot both write to standard output" in refused.stderr


def test_item_table_rows_folded_wrapped_and_not_ascii() -> None:
    # One format lays out the common row; a folded id, wrapped flags and an Arabic id take the
    # general path, and every row lines up the same way.
    from quizdeck.commands.grade import item_table

    rows = [
        (["q1", "choice", "3/3", "1.00", "+0.00", "+0", "+0", ""], None),
        (["a-very-long-question-id-that-is-folded", "short", "2/3", "0.67", "-1.00", "-90", "-100",
          'nobody right; wrong choice "Amazon river basin" picked more than the answer'], "red"),
        (["عاصمة", "truefalse", "3/3", "0.00", "-", "-", "-", 'wrong choice "false" picked more than the answer'],
         "red"),
        (["q4", "numeric", "10/10", "0.50", "+0.25", "+12", "+30", "negative discrimination"], "red"),
    ]
    flags = " " * 66
    columns = [list(column) for column in zip(*[cells for cells, _ in rows], strict=True)]
    lines = [(line, style) for text, style in item_table(columns, [style for _, style in rows], 60)
             for line in text.split("\n")]
    assert lines == [
        ("question         type       answered  facility      D   DI    DE  flags", None),
        ("─" * 60, None),
        ("q1               choice          3/3      1.00  +0.00   +0    +0", None),
        ("a-very-long-que  short           2/3      0.67  -1.00  -90  -100  nobody right;", "red"),
        ("stion-id-that-i" + flags[15:] + "wrong choice", "red"),
        ("s-folded" + flags[8:] + '"Amazon river', "red"),
        (flags + 'basin" picked', "red"),
        (flags + "more than the", "red"),
        (flags + "answer", "red"),
        ("عاصمة            truefalse       3/3      0.00      -    -     -  wrong choice", "red"),
        (flags + '"false" picked', "red"),
        (flags + "more than the", "red"),
        (flags + "answer", "red"),
        ("q4               numeric       10/10      0.50  +0.25  +12   +30  negative", "red"),
        (flags + "discrimination", "red"),
    ]


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(' \t\n-"abcé;'), max_size=60), st.integers(min_value=1, max_value=30))
def test_item_table_wraps_flags_as_textwrap_does(text: str, width: int) -> None:
    import textwrap

    from quizdeck.commands.grade import wrap_flags

    assert wrap_flags(text, width) == textwrap.wrap(text, width)


def test_item_table_wraps_a_long_flag_on_words() -> None:
    from quizdeck.commands.grade import wrap_flags

    flag = 'nobody right; wrong choice "c5" picked more than the answer'
    assert wrap_flags(flag, 15) == ["nobody right;", 'wrong choice', '"c5" picked', "more than the", "answer"]
