"""CSV/TSV: files as Excel, LibreOffice, Google Sheets, Quizlet and Anki save them; round trips; bad rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from quizdeck.bank import Bank, find_bank_files, load_bank, parse_bank
from quizdeck.cli import app
from quizdeck.commands.export_text import export_text
from quizdeck.convert import build_bank
from quizdeck.errors import BankError, QuizdeckError
from quizdeck.questions import Card, Choice, Cloze, Deletion, Match, Multi, Numeric, Order, Short, TrueFalse
from quizdeck.spreadsheet import (
    decode_text,
    detect_delimiter,
    join_list,
    join_pairs,
    parse_spreadsheet,
    read_spreadsheet,
    split_list,
    split_pairs,
    write_csv,
)

from .conftest import QUIZZES

DATA = Path(__file__).resolve().parent / "data" / "spreadsheets"
QUIZZES_BANKS = find_bank_files([QUIZZES]) if QUIZZES.is_dir() else []


def read(name: str) -> tuple[list[object], list[str]]:
    questions, problems = read_spreadsheet((DATA / name).read_bytes(), name)
    return list(questions), [str(p) for p in problems]


# --- files as programs save them ---------------------------------------------------------------


def test_excel_csv_utf8_bom_crlf_quoted_newlines_every_type() -> None:
    raw = (DATA / "excel-utf8.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,type,") and b"\r\n" in raw and b'""huge""' in raw
    questions, problems = read("excel-utf8.csv")
    assert problems == []
    assert questions == [
        Choice(id="largest-planet", prompt="Which planet is the largest?", choices=("Mars", "Jupiter", "Venus"),
               answer="Jupiter", explanation='Jupiter is "huge":\nmore than twice the mass of the rest, together.',
               hint="It is a gas giant.", tags=("space", "planets")),
        Multi(id="primary-colours", prompt="Which are primary colours of light?",
              choices=("red", "green", "blue", "yellow"), answers=("red", "green", "blue")),
        TrueFalse(id="water-boils", prompt="At sea level, water boils at 100 °C.", answer=True),
        Short(id="author-hamlet", prompt="Who wrote Hamlet?", answer="William Shakespeare",
              accept=("Shakespeare", "Will Shakespeare"), tags=("literature",)),
        Numeric(id="speed-of-light", prompt="The speed of light, in thousands of km per second?", answer=300,
                tolerance=1, unit="thousand km/s"),
        Cloze(id="sun-cloze", text="The {{c1::Sun}} is a star, 1 AU away.", deletions=(Deletion(1, "Sun"),)),
        Order(id="planet-order", prompt="Order these planets from the Sun outwards.",
              items=("Mercury", "Venus", "Earth", "Mars")),
        Match(id="capitals", prompt="Match each country to its capital.",
              pairs=(("France", "Paris"), ("Italy", "Rome"), ("Spain", "Madrid"))),
        Numeric(id="victory-year", prompt="في أي عام أُعلن النصر على داعش في العراق؟", answer=2017,
                tags=("فهم-المقروء",)),
        Card(id="capital-card", prompt="عاصمة العراق", back="بغداد"),
    ]


def test_excel_european_semicolons_and_decimal_commas() -> None:
    questions, problems = read("excel-european.csv")
    assert problems == []
    assert questions[0] == Numeric(id="pi", prompt="Pi, to two decimals?", answer=3.14, tolerance=0.005)
    assert questions[1] == Choice(id="largest-planet", prompt="Which planet is the largest; and why?",
                                  choices=("Mars", "Jupiter"), answer="Jupiter", explanation="Mass; size, and more.")


def test_excel_unicode_text_is_utf16_tab_separated() -> None:
    assert (DATA / "excel-unicode-text.txt").read_bytes()[:2] == b"\xff\xfe"
    questions, problems = read("excel-unicode-text.txt")
    assert problems == []
    assert questions == [Card(id="q-fc5f312b", prompt="عاصمة العراق", back="بغداد"),
                         Card(id="capital-of-france", prompt="capital of France", back="Paris")]


def test_libreoffice_csv_infers_missing_types() -> None:
    questions, problems = read("libreoffice.csv")
    assert problems == []
    assert questions == [
        Choice(id="which-is-a-noble-gas", prompt="Which is a noble gas?", choices=("Neon", "Nitrogen", "Oxygen"),
               answer="Neon"),
        Card(id="what-is-h2o", prompt="What is H2O?", back="water"),
        Short(id="symbol-for-iron-with-a-comma", prompt="Symbol for iron, with a comma, please", answer="Fe"),
    ]


def test_google_sheets_capitalised_headers_in_any_order() -> None:
    questions, problems = read("google-sheets.csv")
    assert problems == []
    assert questions == [
        Numeric(id="q-75c82e11", prompt="2 + 2 = ?", answer=4, tags=("maths",)),
        TrueFalse(id="is-the-earth-flat", prompt="Is the Earth flat?", answer=False, tags=("science", "myths")),
    ]


def test_quizlet_tab_and_unquoted_comma_exports_become_cards() -> None:
    questions, problems = read("quizlet.tsv")
    assert problems == []
    assert questions == [Card(id="q-00cef5ca", prompt="التحالف الدولي", back="the international coalition"),
                         Card(id="q-995bafeb", prompt="نزع الألغام", back="demining, mine clearance"),
                         Card(id="sleeper-cells", prompt="sleeper cells", back="خلايا نائمة")]
    questions, problems = read("quizlet-comma.csv")
    assert questions[0] == Card(id="photosynthesis", prompt="photosynthesis",
                                back="how plants make sugar from light, water and CO2")
    assert problems == []


def test_anki_notes_in_plain_text_with_headers() -> None:
    # Written by Anki's own "Notes in Plain Text" export (every option on).
    questions, problems = read("anki-notes.txt")
    assert problems == []
    assert questions[0] == Card(id="capital-of-france", prompt="capital, of France", back='Paris line2 "q"',
                                tags=("eu", "geo"))
    cloze = questions[1]
    assert isinstance(cloze, Cloze) and cloze.id == "the-sun-is-a-star-moon"
    assert cloze.text == "The {{c1::Sun}} is a star; {{c2::Moon::sat}}" and cloze.explanation == "extra"
    assert questions[2] == Card(id="q-fc5f312b", prompt="عاصمة العراق", back="بغداد")


def test_real_anki_export_imports(tmp_path: Path) -> None:
    anki = pytest.importorskip("anki.collection")
    col = anki.Collection(str(tmp_path / "collection.anki2"))
    try:
        deck = col.decks.id("Arabic")
        note = col.new_note(col.models.by_name("Basic (and reversed card)"))
        note["Front"], note["Back"] = "<b>نزع</b> الألغام", "demining<br>mine clearance"
        note.tags = ["vocab"]
        col.add_note(note, deck)
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = "أُعلن النصر على داعش في عام {{c1::2017}}"
        col.add_note(cloze, deck)
        out = tmp_path / "notes.txt"
        col.export_note_csv(out_path=str(out), limit=anki.DeckIdLimit(deck), with_html=True, with_tags=True,
                            with_deck=True, with_notetype=True, with_guid=True)
    finally:
        col.close()
    questions, problems = read_spreadsheet(out.read_bytes(), "notes.txt")
    assert problems == []
    assert questions[0] == Card(id="q-995bafeb", prompt="نزع الألغام", back="demining\nmine clearance", reverse=True,
                                tags=("vocab",))
    assert isinstance(questions[1], Cloze) and questions[1].text == "أُعلن النصر على داعش في عام {{c1::2017}}"


# --- bad rows ------------------------------------------------------------------------------------


def test_bad_rows_reported_by_spreadsheet_row_others_imported() -> None:
    questions, problems = read("bad-rows.csv")
    assert [q.id for q in questions] == ["ok-1", "ok-2", "ok-3"]  # type: ignore[attr-defined]
    # Row 3's prompt spans two lines of the file; rows count as a spreadsheet shows them.
    assert problems == [
        'bad-rows.csv: row 4, column "type": skipped: unknown type "shrot"; did you mean "short"?',
        'bad-rows.csv: row 5, column "answer": skipped: "Pluto" is not one of the choices ("Mars", "Venus"); '
        "copy it exactly",
        'bad-rows.csv: row 7, column "answer": skipped: a short question needs the "answer" column filled in',
        'bad-rows.csv: row 8, column "answer": skipped: expected a number, got "three"',
    ]


def test_two_column_rows_missing_a_side() -> None:
    questions, problems = read_spreadsheet(b"term\tdefinition\none\tun\ntwo\t\n\tthree\n", "list.tsv")
    assert [q.prompt for q in questions] == ["one"]
    assert [str(p) for p in problems] == [
        "list.tsv: row 3: skipped: the definition (column 2) is empty; write term and definition separated by a tab",
        "list.tsv: row 4: skipped: the term (column 1) is empty",
    ]


def test_unknown_columns_and_duplicate_ids_are_warnings() -> None:
    data = "id,type,prompt,answer,colour\nsame,short,One?,1,red\nsame,short,Two?,2,\nNot Kebab,short,Three?,3,\n"
    questions, problems = read_spreadsheet(data.encode(), "s.csv")
    assert [q.id for q in questions] == ["same", "same-2", "not-kebab"]
    assert [str(p) for p in problems] == [
        's.csv: warning: row 1, column "colour": unknown column "colour" ignored; known columns are id, type, '
        "prompt, answer, choices, accept, tolerance, unit, text, items, pairs, explanation, hint, tags, source, "
        "reverse, image, fuzzy",
        's.csv: warning: row 3, column "id": id "same" is used by an earlier row; imported as "same-2"',
        's.csv: warning: row 4, column "id": id "Not Kebab" is not kebab-case; imported as "not-kebab"',
    ]


# --- encodings and delimiters --------------------------------------------------------------------


def test_encodings() -> None:
    text = "prompt\tanswer\nعاصمة العراق\tبغداد\n"
    assert decode_text(text.encode("utf-8-sig"), "f") == text
    assert decode_text(text.encode("utf-16"), "f") == text
    assert decode_text(text.encode("utf-16-be"), "f") == text  # no BOM: told apart by where the NULs are
    assert decode_text(text.encode("utf-16-le"), "f") == text
    with pytest.raises(QuizdeckError) as error:
        decode_text("prompt,answer\ncafé,coffee\n".encode("cp1252"), "old.csv")
    assert str(error.value) == ('old.csv:2: not UTF-8 text (byte 0xe9); save the file as UTF-8 (in Excel: '
                                '"CSV UTF-8"; in LibreOffice: character set "Unicode (UTF-8)")')


@pytest.mark.parametrize(("text", "expected"), [
    ("id;type;prompt\n", ";"),
    ("prompt\tanswer\n", "\t"),
    ("term,definition with; semicolon\nb,c\n", ","),
    ("a;b\nc;d\ne;f\n", ";"),
    ("a\tb, c\nd\te, f, g\n", "\t"),
    ('"a,b";c\n"d,e";f\n', ";"),
    ("single column\n", ","),
])
def test_delimiter_detection(text: str, expected: str) -> None:
    assert detect_delimiter(text) == expected


def test_lists_and_pairs_escape_their_separators() -> None:
    assert split_list(" a | b\\|c || d\\\\ ") == ["a", "b|c", "d\\"]
    assert split_list("C:\\temp|x") == ["C:\\temp", "x"]
    assert split_pairs("x\\=y=1|a=b=c|no") == [("x=y", "1"), ("a", "b=c"), ("no", None)]
    items = ["a|b", "c\\d", "=e"]
    assert split_list(join_list(items)) == items
    pairs = [("1+1=2", "yes|no"), ("\\", "=")]
    assert split_pairs(join_pairs(pairs)) == pairs


# --- writing and round trips -------------------------------------------------------------------


def test_csv_round_trip_is_exact(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    text, written, problems = write_csv([bank])
    assert written == len(bank.questions) and problems == []
    questions, read_problems = read_spreadsheet(text.encode(), "all-types.csv")
    assert read_problems == []
    assert tuple(questions) == bank.questions


@pytest.mark.parametrize("path", QUIZZES_BANKS, ids=[p.stem for p in QUIZZES_BANKS])
def test_every_bundled_bank_round_trips_through_csv(path: Path) -> None:
    try:
        bank = load_bank(path)
    except BankError as error:  # a bank being written right now; `check` tests own its validity
        pytest.skip(f"{path.name} does not load yet: {error.problems[0]}")
    text, _, _ = write_csv([bank])
    questions, problems = read_spreadsheet(text.encode(), path.name)
    assert problems == []
    assert tuple(questions) == bank.questions


def _bank(questions: str) -> Bank:
    return parse_bank(f'[bank]\nid = "b"\ntitle = "B"\nlanguage = "en"\n\n{questions}')


def test_written_csv_shape_and_formula_guard() -> None:
    bank = _bank('''
[[questions]]
id = "eq"
type = "choice"
prompt = "=1+1 is a formula in a spreadsheet; which is right?"
choices = ["= 2", "+3", "-5", "@x", "'=quoted"]
answer = "-5"
fuzzy = false

[[questions]]
id = "neg"
type = "numeric"
prompt = "Minus five?"
answer = -5
''')
    text, _, _ = write_csv([bank])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert text.endswith("\r\n")
    assert rows[0] == ["id", "type", "prompt", "answer", "choices", "accept", "tolerance", "unit", "text", "items",
                       "pairs", "explanation", "hint", "tags", "source", "fuzzy"]
    assert rows[1][2] == "'=1+1 is a formula in a spreadsheet; which is right?"
    assert rows[1][3:5] == ["-5", "'= 2|+3|-5|@x|'=quoted"]  # the cell starts with '=', so it is guarded once
    assert rows[1][-1] == "false"
    assert rows[2][3] == "-5"  # a number stays a number
    back, problems = read_spreadsheet(text.encode(), "guard.csv")
    assert problems == [] and tuple(back) == bank.questions


def test_export_text_csv_file_has_bom_stdout_has_none(tmp_path: Path, all_types_bank: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.csv"
    export_text([all_types_bank], "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,type,prompt,answer,")
    assert capsys.readouterr().err == f"{out}: 9 questions as CSV\n"
    export_text([all_types_bank], "csv", Path("-"))
    assert capsys.readouterr().out.startswith("id,type,prompt,answer,")


def test_quizdeck_export_format_csv_then_import_gives_the_same_bank(tmp_path: Path, all_types_bank: Path) -> None:
    runner = CliRunner()
    out, again = tmp_path / "all.csv", tmp_path / "again.toml"
    result = runner.invoke(app, ["export", str(all_types_bank), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", str(out), "-o", str(again), "--id", "all-types"])
    assert result.exit_code == 0, result.output
    assert load_bank(again).questions == load_bank(all_types_bank).questions


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*'ab,;\t"|=\\\n\r \'-5.', "type", "prompt", "choice", "answer", "choices",
                                  "#separator:", "#html:true\n", "{{c1::x}}", "true"]), max_size=40).map("".join))
def test_any_table_is_imported_or_reported_never_a_traceback(text: str) -> None:
    try:
        result = parse_spreadsheet(text.encode("utf-8"), "fuzz.csv")
    except QuizdeckError:
        return
    _, _, problems = build_bank(result, bank_id="fuzz", title="Fuzz", language="en")
    assert all(p.where.startswith("row ") for p in problems)


def test_empty_columns_at_the_right_are_quiet_unless_they_hold_something() -> None:
    questions, problems = read_spreadsheet(b"prompt,answer,,\nA?,a,,\nB?,b,,x\n", "t.csv")
    assert [q.prompt for q in questions] == ["A?", "B?"]
    assert [str(p) for p in problems] == ["t.csv: warning: row 1: cells under column 4, which has no name, ignored"]


def test_a_broken_anki_cloze_is_reported_by_row_and_column() -> None:
    questions, problems = read_spreadsheet(b"The {{c1::x}} and {{c3::y}}\tz\n", "cloze.tsv")
    assert questions == []
    assert [str(p) for p in problems] == [
        'cloze.tsv: row 1, column "1": skipped: deletions are numbered c1, c3; number them c1 to c2 without gaps']


def test_a_quoted_list_keeps_its_columns_and_a_tags_column_fills_tags() -> None:
    text = ('arabic,english,tags\n'
            'أسْتاذ,"professor, teacher",noun Occupations Chapter_1\n'
            'طالِب,student,noun Chapter_1\n')
    questions, problems = read_spreadsheet(text.encode(), "vocab.csv")
    assert problems == []
    assert [(q.prompt, q.back, q.tags) for q in questions] == [  # type: ignore[attr-defined]
        ("أسْتاذ", "professor, teacher", ("noun", "Occupations", "Chapter_1")),
        ("طالِب", "student", ("noun", "Chapter_1"))]


def test_a_headerless_quoted_list_reports_its_third_column_once() -> None:
    text = 'أسْتاذ,"professor, teacher",noun\nطالِب,student,noun\nكِتاب,book,\n'
    questions, problems = read_spreadsheet(text.encode(), "vocab.csv")
    assert [q.back for q in questions] == ["professor, teacher", "student", "book"]  # type: ignore[attr-defined]
    assert [str(p) for p in problems] == [
        'vocab.csv: warning: row 1: column 3 ignored in 2 rows: a list has a term, a definition and tags (name a '
        'column "tags" in a header row, or use the spreadsheet form\'s columns, see docs/interchange.md)']


def test_an_unquoted_comma_list_is_still_rejoined_as_quizlet_writes_it() -> None:
    questions, problems = read_spreadsheet(b"mitosis,cell division, in two\nmeiosis,division, in four\n", "q.csv")
    assert problems == []
    assert [q.back for q in questions] == ["cell division, in two", "division, in four"]  # type: ignore[attr-defined]


def test_vocabulary_ids_stay_with_their_words_when_rows_are_inserted_or_moved() -> None:
    rows = ["كِتاب\tbook", "قَلَم\tpen", "to go\tذَهَبَ", "to go\tمَضى", "بَيْت\thouse"]
    before = {(q.prompt, q.back): q.id for q in read_spreadsheet("\n".join(rows).encode(), "v.tsv")[0]}  # type: ignore
    edited = [rows[4], rows[1], "مَدْرَسة\tschool", rows[3], rows[0], rows[2]]
    after = {(q.prompt, q.back): q.id for q in read_spreadsheet("\n".join(edited).encode(), "v.tsv")[0]}  # type: ignore
    assert len(set(before.values())) == 5
    assert {key: after[key] for key in before} == before
