"""`quizdeck import` through the CLI: what is written, what is said, and the exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app

DATA = Path(__file__).resolve().parent / "data" / "spreadsheets"
MOODLE = Path(__file__).parents[2] / "shared" / "external" / "gift"

runner = CliRunner()

QUIZ_GIFT = """\
// A small quiz
::boils::Water boils at 100 °C at sea level.{T}

::essay::Describe the water cycle.{}

Grant is {~buried =entombed ~living} in Grant's tomb.
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["import", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def quiz(tmp_path: Path) -> Path:
    path = tmp_path / "water-quiz.gift"
    path.write_text(QUIZ_GIFT, encoding="utf-8")
    return path


def test_import_gift_writes_a_checked_bank_and_reports_skips_by_line(quiz: Path, tmp_path: Path) -> None:
    out = tmp_path / "water.toml"
    code, stdout, stderr = invoke(str(quiz), "-o", str(out))
    assert code == 0 and stdout == ""
    assert stderr.splitlines() == [
        f'{quiz}:4: question "essay": skipped: an essay question ({{}} with nothing inside); quizdeck has no '
        "essay type",
        f"{out}: 2 questions imported from {quiz}, 1 skipped",
    ]
    bank = load_bank(out)
    assert (bank.id, bank.title, bank.language) == ("water", "water-quiz", "en")
    assert [q.id for q in bank.questions] == ["boils", "grant-is-in-grants-tomb"]
    assert out.read_text(encoding="utf-8").startswith(
        "# Imported by quizdeck from water-quiz.gift (GIFT): 2 questions.\n"
        "# What was skipped or changed on the way:\n"
        '#   water-quiz.gift:4: question "essay": skipped:')
    check = runner.invoke(app, ["check", str(out)])
    assert check.exit_code == 0, check.output


def test_import_options_name_the_bank(quiz: Path, tmp_path: Path) -> None:
    out = tmp_path / "bank.toml"
    code, _, _ = invoke(str(quiz), "-o", str(out), "--id", "water-cycle", "--title", "The water cycle",
                        "--language", "en-GB")
    assert code == 0
    bank = load_bank(out)
    assert (bank.id, bank.title, bank.language) == ("water-cycle", "The water cycle", "en-GB")


def test_refuses_to_overwrite_without_force(quiz: Path, tmp_path: Path) -> None:
    out = tmp_path / "water.toml"
    out.write_text("keep me", encoding="utf-8")
    code, _, stderr = invoke(str(quiz), "-o", str(out))
    assert code == 2
    assert stderr == f"quizdeck: error: {out} already exists; choose another file or add --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == "keep me"
    code, _, _ = invoke(str(quiz), "-o", str(out), "--force")
    assert code == 0 and load_bank(out).id == "water"


def test_nothing_importable_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    source, out = tmp_path / "essays.gift", tmp_path / "essays.toml"
    source.write_text("::one::Write.{}\n\nJust a description.\n", encoding="utf-8")
    code, _, stderr = invoke(str(source), "-o", str(out))
    assert code == 1 and not out.exists()
    assert stderr.splitlines() == [
        f'{source}:1: question "one": skipped: an essay question ({{}} with nothing inside); quizdeck has no essay '
        "type",
        f"{source}:3: skipped: a description (text with no {{answers}}); quizdeck has no question without answers",
        f"quizdeck: error: {source}: no question could be imported; nothing written",
    ]


@pytest.mark.parametrize(("args", "message"), [
    (["missing.gift"], "missing.gift: no such file"),
    (["quiz.docx"], 'quiz.docx: cannot tell the format from the suffix ".docx"; add --format gift, csv or tsv'),
    # A workbook or an Anki package: say how to get a file import reads (--format csv would read binary).
    (["quiz.xlsx"], 'quiz.xlsx: is an Excel workbook: save it as CSV (Excel: File > Save As > "CSV UTF-8"; '
                    "LibreOffice: Save As > Text CSV, character set UTF-8) and import the .csv"),
    (["quiz.colpkg"], "quiz.colpkg: is a whole Anki collection: export a deck from Anki as a package (File > "
                      "Export > Anki Deck Package) and import the .apkg"),
    (["water-quiz.gift", "--id", "Bad Id"], '--id "Bad Id" is not a valid bank id: use lowercase letters, digits '
                                            "and '-' (like \"moodle-quiz\")"),
    (["water-quiz.gift", "--language", "arabic!"], '--language "arabic!" is not a BCP 47 language tag like "ar" '
                                                   'or "en-GB"'),
])
def test_usage_errors(args: list[str], message: str, quiz: Path, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("quiz.docx", "quiz.xlsx", "quiz.colpkg"):
        (tmp_path / name).write_bytes(b"PK\x03\x04")
    code, _, stderr = invoke(*args, "-o", "out.toml")
    assert (code, stderr) == (2, f"quizdeck: error: {message}\n")
    assert not (tmp_path / "out.toml").exists()


def test_import_spreadsheet_reports_rows(tmp_path: Path) -> None:
    out = tmp_path / "rows.toml"
    code, _, stderr = invoke(str(DATA / "bad-rows.csv"), "-o", str(out))
    assert code == 0
    lines = stderr.splitlines()
    assert lines[0] == (f'{DATA / "bad-rows.csv"}: row 4, column "type": skipped: unknown type "shrot"; '
                        'did you mean "short"?')
    assert lines[-1] == f"{out}: 3 questions imported from {DATA / 'bad-rows.csv'}, 4 skipped"
    assert runner.invoke(app, ["check", str(out)]).exit_code == 0


@pytest.mark.parametrize(("name", "count", "language"), [
    ("excel-utf8.csv", 10, "en"),
    ("excel-european.csv", 3, "en"),
    ("excel-unicode-text.txt", 2, "ar"),  # a .txt with tabs and no GIFT braces is a spreadsheet
    ("anki-notes.txt", 3, "en"),  # a .txt starting with Anki's headers is Anki's export
    ("quizlet.tsv", 3, "ar"),
])
def test_import_each_spreadsheet_fixture_passes_check(name: str, count: int, language: str, tmp_path: Path) -> None:
    out = tmp_path / "bank.toml"
    code, _, stderr = invoke(str(DATA / name), "-o", str(out))
    assert code == 0, stderr
    bank = load_bank(out)
    assert (len(bank.questions), bank.language) == (count, language)


def test_format_option_overrides_the_suffix(tmp_path: Path) -> None:
    source, out = tmp_path / "questions.dat", tmp_path / "bank.toml"
    source.write_text("Is this GIFT?{T}\n", encoding="utf-8")
    code, _, _ = invoke(str(source), "-o", str(out), "--format", "gift")
    assert code == 0 and load_bank(out).questions[0].type == "truefalse"


@pytest.mark.skipif(not MOODLE.is_dir(), reason="Moodle's GIFT examples are not installed")
def test_import_moodle_examples_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "moodle.toml"
    code, _, stderr = invoke(str(MOODLE / "moodle_examples.txt"), "-o", str(out))
    assert code == 0
    assert stderr.splitlines()[-1] == f"{out}: 43 questions imported from {MOODLE / 'moodle_examples.txt'}, 10 warnings"
    assert runner.invoke(app, ["check", str(out)]).exit_code == 0


@pytest.mark.parametrize(("rows", "language"), [
    # An Arabic word and an English definition a row: Arabic, however long the definitions. With
    # letters counted, these longer definitions made it an English bank, shown left to right.
    ("Front,Back\nالبيت,house\nكتاب,\"book, a thing you read\"\nمدرسة,\"school, where children learn\"\n", "ar"),
    # An English list quoting one Arabic word stays English.
    ("term,definition\nhouse,a building to live in\nbook,كتاب in Arabic\nschool,where children learn\n"
     "pen,a thing to write with\n", "en"),
])
def test_the_language_of_a_vocabulary_list(tmp_path: Path, rows: str, language: str) -> None:
    source = tmp_path / "words.csv"
    source.write_text(rows, encoding="utf-8")
    code, _, _ = invoke(str(source), "-o", str(tmp_path / "words.toml"))
    assert code == 0
    assert load_bank(tmp_path / "words.toml").language == language


@pytest.mark.parametrize(("text", "count"), [
    ("Question; Answer\nCapital of France; Paris\nCapital of Italy; Rome\n", 2),  # a semicolon list saved as .txt
    ("capital of France\tParis\n", 1),
    ("The {{c1::Sun}} is a star\tastronomy\n", 1),  # an Anki cloze line is not a GIFT answer set
    ("::q::Is the Sun a star?{T}\n", 1),
    ("Which planet is largest? {\n  ~Mars\n  =Jupiter\n}\n", 1),
    ("Two plus {#4} equals four.\n\nThe {1:SA:=Sun} is a star.\n", 2),
    # Braces in a list's HTML (MediaWiki's JSON and CSS, as Wikivoyage's lists for Anki hold them):
    ('"Hello"|"<span data-mw=\'{""attrs"":{},""body"":[{}]}\'>Bonjour</span>"\n'
     'thanks|"<style>.a{font-style:italic}</style>merci"\n', 2),
])
def test_a_txt_is_read_as_what_its_content_is(text: str, count: int, tmp_path: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_text(text, encoding="utf-8")
    code, _, err = invoke(str(source), "-o", str(tmp_path / "out.toml"))
    assert code == 0, err
    assert len(load_bank(tmp_path / "out.toml").questions) == count


DETAILED_BANK = """\
[bank]
id = "solar-system"
title = "The solar system"
language = "en"
description = "Planets and stars."
authors = ["A. Teacher"]
tags = ["science"]
source = "Unit 3 notes"

[[questions]]
id = "sun"
type = "truefalse"
prompt = "The Sun is a star."
answer = true
tags = ["stars"]
"""


def test_a_gift_round_trip_keeps_the_bank_details(tmp_path: Path) -> None:
    source = tmp_path / "source.toml"
    source.write_text(DETAILED_BANK, encoding="utf-8")
    result = runner.invoke(app, ["export", str(source), "--format", "gift", "-o", str(tmp_path / "moodle.gift")])
    assert result.exit_code == 0, result.stderr
    code, _, err = invoke(str(tmp_path / "moodle.gift"), "-o", str(tmp_path / "back.toml"))
    assert code == 0, err
    back, original = load_bank(tmp_path / "back.toml"), load_bank(source)
    assert (back.id, back.title, back.language, back.description, back.authors, back.tags, back.source) == (
        original.id, original.title, original.language, original.description, original.authors, original.tags,
        original.source)
    assert back.questions == original.questions


def test_a_moodle_category_titles_the_bank(tmp_path: Path) -> None:
    source = tmp_path / "export.txt"
    source.write_text("$CATEGORY: $course$/top/Unit 3: Fractions\n\n::q::Half of 4?{#2}\n", encoding="utf-8")
    code, _, err = invoke(str(source), "-o", str(tmp_path / "unit.toml"))
    assert code == 0, err
    assert load_bank(tmp_path / "unit.toml").title == "Unit 3: Fractions"


ALL_TYPES = Path(__file__).resolve().parent / "banks" / "all-types.toml"


def exported_csv(bank: Path, tmp_path: Path) -> Path:
    out = tmp_path / "sheet.csv"
    result = runner.invoke(app, ["export", str(bank), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def test_update_from_an_unchanged_spreadsheet_changes_nothing(tmp_path: Path) -> None:
    bank = tmp_path / "bank.toml"
    bank.write_text("# Kept: the author's own note.\n" + ALL_TYPES.read_text(encoding="utf-8"), encoding="utf-8")
    before = bank.read_bytes()
    code, _, err = invoke(str(exported_csv(bank, tmp_path)), "-o", str(bank), "--update")
    assert code == 0, err
    assert err.strip().endswith("0 updated, 0 added, 9 unchanged, 0 not in the file (kept); nothing to write")
    assert bank.read_bytes() == before


def test_update_brings_a_spreadsheet_edit_back_and_keeps_the_rest(tmp_path: Path) -> None:
    bank = tmp_path / "bank.toml"
    text = ALL_TYPES.read_text(encoding="utf-8").replace('[[questions]]\nid = "largest-planet"',
                                                          '# Asked every year.\n[[questions]]\nid = "largest-planet"')
    bank.write_text(text, encoding="utf-8")
    sheet = exported_csv(bank, tmp_path)
    rows = sheet.read_text(encoding="utf-8-sig").splitlines()
    edited = [row.replace("Which planet is the largest?", "Which planet is the biggest?") for row in rows
              if not row.startswith("capital-card,")]
    edited.append("new-row,short,Who wrote Hamlet?,Shakespeare,,,,,,,,,,,")
    sheet.write_text("\r\n".join(edited) + "\r\n", encoding="utf-8")
    original = load_bank(bank)

    code, _, err = invoke(str(sheet), "-o", str(bank), "--update")
    assert code == 0, err
    assert err.splitlines() == [
        f'{bank}: warning: question "capital-card": not in sheet.csv; kept (add --prune to remove it)',
        f"{bank}: 1 updated, 1 added, 7 unchanged, 1 not in the file (kept)"]
    merged = load_bank(bank)
    assert merged.title == original.title and merged.tags == original.tags
    assert [q.id for q in merged.questions] == [*(q.id for q in original.questions), "new-row"]
    assert merged.question("largest-planet").prompt == "Which planet is the biggest?"
    assert merged.questions[2:9] == original.questions[2:9]
    written = bank.read_text(encoding="utf-8")
    assert written.startswith("# A small English bank") and "# Asked every year.\n[[questions]]" in written

    code, _, err = invoke(str(sheet), "-o", str(bank), "--update", "--prune")
    assert code == 0, err
    assert err.splitlines()[-1] == f"{bank}: 0 updated, 0 added, 9 unchanged, 1 removed"
    assert "capital-card" not in [q.id for q in load_bank(bank).questions]


@pytest.mark.parametrize(("args", "message"), [
    (["--prune"], "--prune removes questions from an existing bank: use it with --update"),
    (["--update", "--title", "T"], "--title cannot be used with --update"),
])
def test_update_usage_errors(args: list[str], message: str, quiz: Path, tmp_path: Path) -> None:
    (tmp_path / "bank.toml").write_text(ALL_TYPES.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = invoke(str(quiz), "-o", str(tmp_path / "bank.toml"), *args)
    assert code == 2 and message in err


def test_update_needs_an_existing_bank(quiz: Path, tmp_path: Path) -> None:
    code, _, err = invoke(str(quiz), "-o", str(tmp_path / "none.toml"), "--update")
    assert code == 2 and "does not exist; leave out --update to create it" in err


PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                          "1f15c4890000000d49444154789c63f8cf00000301010018dd8db40000000049454e44ae426082")


def test_anki_text_export_images_come_from_beside_the_file(tmp_path: Path) -> None:
    (tmp_path / "kitab.png").write_bytes(PNG_BYTES)
    (tmp_path / "fake.png").write_text("not a picture", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text('#separator:tab\n#html:true\n'
                     '<img src="kitab.png">\tbook\n'
                     '<img src="missing.png">\tpen\n'
                     '<img src="fake.png">\thouse\n'
                     'قَلَم <img src="kitab.png" alt="pen">\tpen\n', encoding="utf-8")
    code, _, err = invoke(str(notes), "-o", str(tmp_path / "out" / "vocab.toml"))
    assert code == 2  # the output's folder does not exist
    (tmp_path / "out").mkdir()
    code, _, err = invoke(str(notes), "-o", str(tmp_path / "out" / "vocab.toml"))
    assert code == 0, err
    questions = load_bank(tmp_path / "out" / "vocab.toml").questions
    assert [(q.prompt, q.image) for q in questions] == [("What does the picture show?", "vocab-media/kitab.png"),
                                                        ("قَلَم", "vocab-media/kitab.png")]
    assert (tmp_path / "out" / "vocab-media" / "kitab.png").read_bytes() == PNG_BYTES
    assert not (tmp_path / "out" / "vocab-media" / "fake.png").exists()
    assert f'{notes}: warning: row 4: image left out: image "missing.png" is not beside notes.txt' in err
    assert f"{notes}: row 4: skipped: its front is only a picture, which could not be brought" in err
    assert f"{notes}: row 5: skipped: its front is only a picture, which could not be brought" in err


def test_update_keeps_the_banks_header_comment_true(tmp_path: Path) -> None:
    first = tmp_path / "words.csv"
    first.write_text("book,كتاب\npen,قلم\n", encoding="utf-8")
    bank = tmp_path / "words.toml"
    code, _, err = invoke(str(first), "-o", str(bank))
    assert code == 0, err
    assert bank.read_text(encoding="utf-8").startswith("# Imported by quizdeck from words.csv (CSV): 2 questions.\n")

    more = tmp_path / "more words.tsv"
    more.write_text("book\tكتاب\npen\tقلم\nhouse\tبيت\n", encoding="utf-8")
    code, _, err = invoke(str(more), "-o", str(bank), "--update")
    assert code == 0, err
    assert bank.read_text(encoding="utf-8").splitlines()[0] == \
        "# Imported by quizdeck from words.csv (CSV); updated from more words.tsv (TSV): 3 questions."

    one = tmp_path / "one.csv"
    one.write_text("house,بيت\n", encoding="utf-8")
    code, _, err = invoke(str(one), "-o", str(bank), "--update", "--prune")
    assert code == 0, err
    text = bank.read_text(encoding="utf-8")
    assert text.splitlines()[0] == \
        "# Imported by quizdeck from words.csv (CSV); updated from one.csv (CSV): 1 question."
    assert len(load_bank(bank).questions) == 1
    assert text.count("# Imported by quizdeck") == 1


def test_anki_columns_header_naming_tags_fills_tags(tmp_path: Path) -> None:
    # Anki's `#columns:` line names the columns as a header row would: the one named Tags holds each
    # note's tags, split at spaces as Anki splits them (a comma stays inside its tag, as in Anki).
    source = tmp_path / "modules-anki.csv"
    source.write_text('#deck:Terraform::Modules\n#separator:Comma\n#columns:Front,Back,Tags\n'
                      '"What is a module?","A directory of .tf files","demo14,modules"\n'
                      '"Where are variables declared?","In variables.tf, by convention","demo14 variables"\n',
                      encoding="utf-8")
    code, _, err = invoke(str(source), "-o", str(tmp_path / "bank.toml"))
    assert (code, err) == (0, f"{tmp_path / 'bank.toml'}: 2 questions imported from {source}\n")
    questions = load_bank(tmp_path / "bank.toml").questions
    assert [(q.prompt, q.tags) for q in questions] == [("What is a module?", ("demo14,modules",)),
                                                      ("Where are variables declared?", ("demo14", "variables"))]


def test_an_anki_text_files_unnamed_third_column_is_reported_with_the_line_that_names_it(tmp_path: Path) -> None:
    # An Anki text file cannot take a header row (Anki would import it as a note): the report says
    # which header line makes the column the tags.
    source = tmp_path / "animals.txt"
    source.write_text("#separator:tab\n#html:false\nHund\tdog\tnoun animals\nKatze\tcat\tnoun animals\n",
                      encoding="utf-8")
    code, _, err = invoke(str(source), "-o", str(tmp_path / "bank.toml"))
    assert code == 0
    assert err.splitlines()[0] == (
        f'{source}: warning: row 3: column 3 ignored in 2 rows: a list has a term, a definition and tags (add the '
        'line "#tags column:3" above the notes, as Anki\'s export writes it, see docs/interchange.md)')
    source.write_text("#separator:tab\n#html:false\n#tags column:3\nHund\tdog\tnoun animals\n", encoding="utf-8")
    code, _, err = invoke(str(source), "-o", str(tmp_path / "bank.toml"), "--force")
    assert (code, load_bank(tmp_path / "bank.toml").questions[0].tags) == (0, ("noun", "animals"))
