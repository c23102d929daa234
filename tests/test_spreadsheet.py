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
    parse_table,
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


# --- each column's value and problem, word for word ---------------------------------------------


def rows_read(text: str, name: str = "s.csv", delimiter: str | None = None) -> tuple[list[object], list[str]]:
    questions, problems = read_spreadsheet(text.encode(), name, delimiter)
    return list(questions), [str(p) for p in problems]


def test_a_problem_with_a_cell_names_its_row_and_column() -> None:
    text = ("id,type,prompt,answer,choices,accept,tolerance,unit,text,items,pairs,explanation,hint,tags,source,"
            "reverse,image,fuzzy\n"
            "c1,card,Front,Back,,,,,,,,,,,,maybe,,\n"
            "c2,card,Front2,Back2,,,,,,,,,,,,,/abs/x.png,\n"
            "t1,truefalse,Sky blue?,maybe,,,,,,,,,,,,,,\n"
            "n1,numeric,Pi?,3.14,,,x,,,,,,,,,,,\n"
            "n2,numeric,Pi2?,3.14,,,-1,,,,,,,,,,,\n"
            "n3,numeric,Pi3?,1e400,,,,,,,,,,,,,,\n"
            "ch1,choice,Which?,a,a|a|b,,,,,,,,,,,,,\n"
            "m1,multi,Which m?,a|z,a|b|c,,,,,,,,,,,,,\n"
            "m2,multi,Which m2?,a,a|a|c,,,,,,,,,,,,,\n"
            "s1,short,Who?,Ali,,Ali,,,,,,,,,,,,\n"
            "cz,cloze,,,,,,,No deletions here,,,,,,,,,\n"
            "o1,order,Order?,,,,,,,a|a|b,,,,,,,,\n"
            "mt,match,Match?,,,,,,,,a=1|a=2,,,,,,,\n"
            "f1,short,Fuzzy?,x,,,,,,,,,,,,,,perhaps\n"
            "n4,numeric,Pi4?,nan,,,,,,,,,,,,,,\n"
            "n5,numeric,Pi5?,3,,,-inf,,,,,,,,,,,\n")
    questions, problems = rows_read(text)
    assert questions == []
    assert problems == [
        's.csv: row 2, column "reverse": skipped: expected true or false, got "maybe"',
        's.csv: row 3, column "image": skipped: "/abs/x.png" is an absolute path; give it relative to the bank\'s '
        "folder",
        's.csv: row 4, column "answer": skipped: expected true or false, got "maybe"',
        's.csv: row 5, column "tolerance": skipped: expected a number, got "x"',
        's.csv: row 6, column "tolerance": skipped: expected a number >= 0, got -1',
        's.csv: row 7, column "answer": skipped: expected a finite number, got "1e400"',
        's.csv: row 8, column "choices": skipped: "a" appears twice; every item must be different',
        's.csv: row 9, column "answer": skipped: "z" is not one of the choices ("a", "b", "c"); copy it exactly',
        's.csv: row 10, column "choices": skipped: "a" appears twice; every item must be different',
        's.csv: row 11, column "accept": skipped: "Ali" is already the answer; list only other accepted answers',
        's.csv: row 12, column "text": skipped: a cloze needs at least one deletion like {{c1::answer}}',
        's.csv: row 13, column "items": skipped: "a" appears twice; every item must be different',
        's.csv: row 14, column "pairs": skipped: the left item "a" appears twice; every left item must be different',
        's.csv: row 15, column "fuzzy": skipped: expected true or false, got "perhaps"',
        's.csv: row 16, column "answer": skipped: expected a finite number, got "nan"',
        's.csv: row 17, column "tolerance": skipped: expected a finite number, got "-inf"',
    ]


def test_columns_a_spreadsheet_leaves_out_are_empty() -> None:
    # No tolerance, unit, accept, reverse, choices, items, pairs or text column: a question that
    # needs one is refused, the others load without it; a cloze may be written in the prompt column.
    questions, problems = rows_read("type,prompt,answer\nnumeric,Pi?,3\nshort,Who?,Ali\ncard,Front,Back\n"
                                    "choice,Which?,a\nmulti,Which m?,a|b\norder,Order?,\nmatch,Match?,\n"
                                    "cloze,The {{c1::Sun}} is a star,\ntruefalse,Sky?,yes\n")
    assert questions == [
        Numeric(id="pi", prompt="Pi?", answer=3), Short(id="who", prompt="Who?", answer="Ali"),
        Card(id="front", prompt="Front", back="Back"),
        Cloze(id="the-sun-is-a-star", text="The {{c1::Sun}} is a star", deletions=(Deletion(1, "Sun"),)),
        TrueFalse(id="sky", prompt="Sky?", answer=True),
    ]
    assert problems == [
        's.csv: row 5, column "choices": skipped: a choice question needs the "choices" column filled in',
        's.csv: row 6, column "choices": skipped: a multi question needs the "choices" column filled in',
        's.csv: row 7, column "items": skipped: an order question needs the "items" column filled in',
        's.csv: row 8, column "pairs": skipped: a match question needs the "pairs" column filled in',
    ]
    questions, problems = rows_read("type,prompt,explanation\ncard,F,e\nchoice,C?,e\nmulti,M?,e\ntruefalse,T?,e\n"
                                    "short,S?,e\nnumeric,N?,e\n")
    assert questions == []
    assert problems == [
        's.csv: row 2, column "answer": skipped: a card question needs the "answer" column filled in',
        's.csv: row 3, column "choices": skipped: a choice question needs the "choices" column filled in',
        's.csv: row 4, column "choices": skipped: a multi question needs the "choices" column filled in',
        's.csv: row 5, column "answer": skipped: a truefalse question needs the "answer" column filled in',
        's.csv: row 6, column "answer": skipped: a short question needs the "answer" column filled in',
        's.csv: row 7, column "answer": skipped: a numeric question needs the "answer" column filled in',
    ]
    assert rows_read("text,explanation\nThe {{c1::Sun}} is a star,hot\n") == ([
        Cloze(id="the-sun-is-a-star", text="The {{c1::Sun}} is a star", deletions=(Deletion(1, "Sun"),),
              explanation="hot")], [])


def test_the_type_of_a_row_without_one_comes_from_the_columns_it_fills() -> None:
    questions, problems = rows_read("prompt,answer,choices,items,pairs,text,tolerance,unit,accept\n"
                                    "M?,,,,a=1|b=2,,,,\nO?,,,x|y,,,,,\nMu?,a|b,a|b|c,,,,,,\nCh?,a,a|b,,,,,,\n"
                                    ",,,,,The {{c1::Sun}},,,\nTol?,3,,,,,1,,\nUnit?,3,,,,,,cm,\nAcc?,x,,,,,,,y\n"
                                    "Card?,z,,,,,,,\n")
    assert problems == []
    assert questions == [
        Match(id="m", prompt="M?", pairs=(("a", "1"), ("b", "2"))), Order(id="o", prompt="O?", items=("x", "y")),
        Multi(id="mu", prompt="Mu?", choices=("a", "b", "c"), answers=("a", "b")),
        Choice(id="ch", prompt="Ch?", choices=("a", "b"), answer="a"),
        Cloze(id="the-sun", text="The {{c1::Sun}}", deletions=(Deletion(1, "Sun"),)),
        Numeric(id="tol", prompt="Tol?", answer=3, tolerance=1),
        Numeric(id="unit", prompt="Unit?", answer=3, unit="cm"),
        Short(id="acc", prompt="Acc?", answer="x", accept=("y",)), Card(id="card", prompt="Card?", back="z"),
    ]


def test_numbers_as_spreadsheets_write_them() -> None:
    # A minus sign, spaces and no-break spaces between thousands, a decimal comma; a whole number
    # stays whole unless it is written with a point or an exponent.
    text = ("prompt,answer,type\nA?,−5,numeric\nB?,1 000,numeric\nC?,1\u00a0000,numeric\nD?,\"1,5\",numeric\n"
            "H?,1e-3,numeric\nI?,3.0,numeric\nJ?,1e3,numeric\nK?,1E3,numeric\nL?,3,numeric\n")
    questions, problems = rows_read(text)
    assert problems == []
    assert [(q.id, repr(q.answer)) for q in questions] == [  # type: ignore[attr-defined]
        ("a", "-5"), ("b", "1000"), ("c", "1000"), ("d", "1.5"), ("h", "0.001"), ("i", "3.0"), ("j", "1000.0"),
        ("k", "1000.0"), ("l", "3")]
    bank_text, _, _ = build_bank(parse_spreadsheet(text.encode(), "n.csv"), bank_id="n", title="N", language="en")
    assert [line for line in bank_text.splitlines() if line.startswith("answer")] == [
        "answer = -5", "answer = 1000", "answer = 1000", "answer = 1.5", "answer = 0.001", "answer = 3.0",
        "answer = 1000.0", "answer = 1000.0", "answer = 3"]


def test_the_header_rows_own_warnings() -> None:
    # A column named twice: the first is used. Cells past the last named column: counted when they
    # hold something. An unnamed column: quiet on rows too short to reach it.
    assert rows_read("prompt,answer,answer\nQ?,first,second\n") == (
        [Card(id="q", prompt="Q?", back="first")],
        ['s.csv: warning: row 1, column "answer": column "answer" appears twice; the first is used'])
    assert rows_read("prompt,answer\nQ?,a,,\nR?,b,x,y\n") == (
        [Card(id="q", prompt="Q?", back="a"), Card(id="r", prompt="R?", back="b")],
        ["s.csv: warning: row 3: 2 cell(s) beyond the last named column ignored"])
    assert rows_read("prompt,answer,\nA?,a\nB?,b,c\n") == (
        [Card(id="a", prompt="A?", back="a"), Card(id="b", prompt="B?", back="b")],
        ["s.csv: warning: row 1: cells under column 3, which has no name, ignored"])


def test_an_unknown_type_gets_the_closest_or_the_list() -> None:
    assert rows_read("prompt,answer,type\nA?,a,zzzzzz\nB?,b,shrt\n") == ([], [
        's.csv: row 2, column "type": skipped: unknown type "zzzzzz"; use one of card, choice, multi, truefalse, '
        "short, numeric, cloze, order, match",
        's.csv: row 3, column "type": skipped: unknown type "shrt"; did you mean "short"?'])


@pytest.mark.parametrize(("text", "line", "named"), [
    ("a;\n", 1, "a semicolon"), ("a,\n", 1, "a comma"), ("a\t\n", 1, "a tab"), ("#separator:Pipe\na|\n", 2, '"|"')])
def test_a_missing_definition_names_the_files_delimiter(text: str, line: int, named: str) -> None:
    delimiter = {"a;\n": ";", "a,\n": ","}.get(text)
    assert rows_read(text, delimiter=delimiter) == ([], [
        f"s.csv: row {line}: skipped: the definition (column 2) is empty; write term and definition separated by "
        f"{named}"])


def test_a_delimiter_given_is_used_rather_than_detected() -> None:
    assert rows_read("x,y;z\nu,v;w\n", delimiter=";")[0] == [Card(id="x-y", prompt="x,y", back="z"),
                                                             Card(id="u-v", prompt="u,v", back="w")]
    assert rows_read("x,y;z\nu,v;w\n")[0] == [Card(id="x", prompt="x", back="y;z"),
                                            Card(id="u", prompt="u", back="v;w")]


def test_a_backslash_that_escapes_nothing_is_kept() -> None:
    assert split_list("a\\") == ["a\\"]
    assert split_list("a\\Xb|c\\") == ["a\\Xb", "c\\"]
    assert split_pairs("a\\b=c\\") == [("a\\b", "c\\")]


def test_written_cells_of_every_kind() -> None:
    bank = _bank('''
[[questions]]
id = "c"
type = "card"
prompt = "P"
back = "B"
reverse = true
image = "img/x.png"
fuzzy = true

[[questions]]
id = "t"
type = "truefalse"
prompt = "T"
answer = true

[[questions]]
id = "f"
type = "truefalse"
prompt = "F"
answer = false

[[questions]]
id = "n"
type = "numeric"
prompt = "N"
answer = 3
tolerance = 0

[[questions]]
id = "m"
type = "match"
prompt = "M"
pairs = [["1+1=2", "a|b"], ["x", "y=z\\\\"]]
''')
    text, written, _ = write_csv([bank])
    assert (written, text) == (5, (
        "id,type,prompt,answer,choices,accept,tolerance,unit,text,items,pairs,explanation,hint,tags,source,reverse,"
        "image,fuzzy\r\n"
        "c,card,P,B,,,,,,,,,,,,true,img/x.png,true\r\n"
        "t,truefalse,T,true,,,,,,,,,,,,,,\r\n"
        "f,truefalse,F,false,,,,,,,,,,,,,,\r\n"
        "n,numeric,N,3,,,,,,,,,,,,,,\r\n"
        "m,match,M,,,,,,,,1+1\\=2=a\\|b|x=y\\=z\\\\,,,,,,,\r\n"))
    assert tuple(read_spreadsheet(text.encode(), "all.csv")[0]) == bank.questions


@pytest.mark.parametrize(("text", "delimiter"), [
    ("prompt;answer\na,b\nc,d\n", ";"),  # two known column names decide, whatever the rows hold
    ("a;b,c\nd;e,f\n", ","),  # csv.Sniffer's choice, found in the first line
    ("prompt X answer\n", ","), ("aXb\ncXd\n", ","),  # only tab, ';' and ',' are delimiters
    ("a;b\nc,d\n", ";"), ("a,b,c\nd;e\n", ";"),  # as many lines with each: ';' before ','
    ("x" * 65530 + ";\n" + "a,b\n" * 5, ";"),  # only the first 64 KiB are looked at
])
def test_how_a_delimiter_is_chosen(text: str, delimiter: str) -> None:
    assert detect_delimiter(text) == delimiter


def test_html_in_a_list_is_read_as_html_and_reported_once() -> None:
    assert rows_read("a <b>b</b>\tc &amp; d\n  plain  \t  x  \n<i>e</i>\tf<br>g\n", "s.txt") == ([
        Card(id="a-b", prompt="a b", back="c & d"), Card(id="plain", prompt="plain", back="x"),
        Card(id="e", prompt="e", back="f\ng")],
        ["s.txt: warning: row 1: 2 rows hold HTML markup (like <b> or <br>), read as HTML as Anki's import reads it"])
    # Without #html:true an image tag is markup like any other: read as text, not taken as the image.
    assert rows_read('<img src="x.png"> cat\tقطة\n', "s.txt") == (
        [Card(id="cat", prompt="cat", back="قطة")],
        ["s.txt: warning: row 1: 1 row holds HTML markup (like <b> or <br>), read as HTML as Anki's import reads it"])


def test_images_of_an_anki_html_list() -> None:
    questions, problems = rows_read('#html:true\n<img src="a.png">\tback\n<img src="b.png"><img src="c.png">\tmore\n'
                                    '<img src="d.png">\t\n', "s.txt")
    assert [(q.prompt, q.image, q.back) for q in questions] == [  # type: ignore[attr-defined]
        ("What does the picture show?", "a.png", "back"), ("What does the picture show?", "b.png", "more")]
    assert problems == [
        's.txt: warning: row 2: the front is only an image: its prompt is "What does the picture show?"',
        's.txt: warning: row 3: the front is only an image: its prompt is "What does the picture show?"',
        's.txt: warning: row 3: image "c.png" dropped: a question has one image',
        "s.txt: row 4: skipped: the term (column 1) is empty",
    ]


def test_rows_after_a_bad_row_are_read() -> None:
    assert rows_read("\tthree\nfour\tquatre\nalone\n", "s.txt") == ([Card(id="four", prompt="four", back="quatre")], [
        "s.txt: row 1: skipped: the term (column 1) is empty",
        "s.txt: row 3: skipped: the definition (column 2) is empty; write term and definition separated by a tab"])
    # A row whose only cells are Anki's special columns has no term.
    assert rows_read("#guid column:1\n#tags column:2\nabc\tt1\n", "s.txt") == (
        [], ["s.txt: row 3: skipped: the term (column 1) is empty"])


def test_anki_header_lines_for_the_note_type_and_tags() -> None:
    assert rows_read("#notetype:Basic (and reversed card)\n#tags:geo  eu geo\nFrance\tParis\n", "s.txt") == (
        [Card(id="france", prompt="France", back="Paris", reverse=True, tags=("geo", "eu"))], [])
    # Columns named by number; a row too short to reach them has neither.
    assert rows_read("#notetype column:3\n#tags column:4\nFrance\tParis\tBasic (and reversed card)\tgeo\n"
                     "Italy\tRome\n", "s.txt") == ([
                         Card(id="france", prompt="France", back="Paris", reverse=True, tags=("geo",)),
                         Card(id="italy", prompt="Italy", back="Rome")], [])
    # "#tags column:" wins over a Tags named by "#columns:".
    questions, _ = rows_read("#tags column:4\n#columns:Front,Back,Tags,Extra\nF\tB\tt3\tt4\n", "s.txt")
    assert questions == [Card(id="f", prompt="F", back="B", tags=("t4",))]
    # A file of header lines only, the last without a line end, is still Anki's.
    assert parse_spreadsheet(b"#separator:Semicolon", "x.txt").format == "Anki text"


def test_a_lists_extra_columns_are_named_from_its_header() -> None:
    questions, problems = rows_read("term,definition,notes,more\na,b,c,d\ne,f,,g\nh,i,j,k,l\n", "v.csv")
    assert [q.back for q in questions] == ["b", "f", "i"]  # type: ignore[attr-defined]
    assert problems == [
        'v.csv: warning: row 2: column 3 ("notes"), column 4 ("more"), column 5 ignored in 3 rows: a list has a '
        'term, a definition and tags (name a column "tags" in a header row, or use the spreadsheet form\'s columns, '
        "see docs/interchange.md)"]
    # The tags column is the one named tags after the first two.
    assert rows_read("tags,meaning,tags\nx,y,z\n", "t.csv") == ([Card(id="x", prompt="x", back="y", tags=("z",))], [])


def test_anki_header_lines_in_any_case_and_spacing() -> None:
    assert rows_read("#Separator: Semicolon \n#TAGS: a b\nx;y\n", "s.txt") == (
        [Card(id="x", prompt="x", back="y", tags=("a", "b"))], [])
    assert rows_read("#separator:;\nx;y,z\n", "s.txt") == ([Card(id="x", prompt="x", back="y,z")], [])
    # An Anki file with commas keeps its columns: a third one is reported, not joined to the second.
    questions, problems = rows_read("#separator:comma\na,b,c\n", "s.txt")
    assert questions == [Card(id="a", prompt="a", back="b")]
    assert problems[0].startswith("s.txt: warning: row 2: column 3 ignored in 1 row: ")


@pytest.mark.parametrize(("data", "form"), [(b"a,b\n", "CSV"), (b"a\tb\n", "TSV"),
                                             (b"#html:false\na\tb\n", "Anki text"), (b"", "CSV")])
def test_the_form_a_file_is_read_as(data: bytes, form: str) -> None:
    assert parse_spreadsheet(data).format == form


def test_a_header_of_two_known_columns_with_a_prompt_is_the_spreadsheet_form() -> None:
    # Problems then name the column, not the list's column number.
    assert rows_read("prompt,answer\nQ?,\n") == (
        [], ['s.csv: row 2, column "answer": skipped: a card question needs the "answer" column filled in'])


def test_many_extra_columns_are_counted_and_an_unknown_name_is_shown_as_read() -> None:
    assert rows_read("term,definition\na,b,c,d,e,f,g\n", "v.csv")[1] == [
        "v.csv: warning: row 2: column 3, column 4, column 5 and 2 more columns ignored in 1 row: a list has a term, "
        'a definition and tags (name a column "tags" in a header row, or use the spreadsheet form\'s columns, see '
        "docs/interchange.md)"]
    assert rows_read("prompt,answer, My  Colour \nQ?,A,red\n")[1] == [
        's.csv: warning: row 1, column "my_colour": unknown column "my_colour" ignored; known columns are id, type, '
        "prompt, answer, choices, accept, tolerance, unit, text, items, pairs, explanation, hint, tags, source, "
        "reverse, image, fuzzy"]


def test_a_file_without_a_name_is_called_csv() -> None:
    _, problems = read_spreadsheet(b"a\n")
    assert [str(p) for p in problems] == [
        "<csv>: row 1: skipped: the definition (column 2) is empty; write term and definition separated by a comma"]
    assert parse_table("a,b\n").name == parse_spreadsheet(b"a,b\n").name == "<csv>"


def test_a_long_cell_in_any_row_is_read() -> None:
    # Longer than the csv module's default limit of 128 KiB, and not in the first line.
    result = parse_table("term,definition\nnext," + "b" * 200_000 + "\n", "long.csv")
    assert [len(item.table["back"]) for item in result.items] == [200_000]


@pytest.mark.parametrize(("data", "text"), [
    ("ab".encode("utf-16-le"), "ab"), ("ab".encode("utf-16-be"), "ab"),  # four bytes are enough to tell
    (b"\xfe\xff\x00a\x00b", "ab"),  # big-endian, with its byte order mark
    (b"\xef\xbb\xbf\xef\xbb\xbfa,b", "a,b"),  # a byte order mark written twice
])
def test_decoded_texts(data: bytes, text: str) -> None:
    assert decode_text(data, "f.csv") == text


@pytest.mark.parametrize(("data", "name", "message"), [
    # UTF-16 without a byte order mark is recognised when more than a quarter of its head is NUL in
    # the odd (little-endian) or even (big-endian) bytes; Arabic letters have none.
    ("aببb".encode("utf-16-le"), "f.csv", "f.csv: binary data (a NUL byte), not a text file"),
    ("aببb".encode("utf-16-be"), "f.csv", "f.csv: binary data (a NUL byte), not a text file"),
    (b"ab\x00cd", "f.csv", "f.csv: binary data (a NUL byte), not a text file"),
    (b"\xff\xfea\x00b", "f.csv", 'f.csv:1: not UTF-16 text (byte 0x62); save the file as UTF-8 (in Excel: '
                                 '"CSV UTF-8"; in LibreOffice: character set "Unicode (UTF-8)")'),
    (b"a\x00b\x00\n\x00\x00\xd8", "f.csv", 'f.csv:2: not UTF-16-LE text (byte 0x00); save the file as UTF-8 (in '
                                           'Excel: "CSV UTF-8"; in LibreOffice: character set "Unicode (UTF-8)")'),
    (b"ok\n\xe9", "Q.GIFT", "Q.GIFT:2: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
])
def test_undecodable_files(data: bytes, name: str, message: str) -> None:
    with pytest.raises(QuizdeckError) as error:
        decode_text(data, name)
    assert str(error.value) == message


def test_a_file_too_large_for_a_bank_stops_at_the_row_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import quizdeck.bank

    monkeypatch.setattr(quizdeck.bank, "MAX_BANK_BYTES", 2**20)
    rows = [("t" * 400 + str(n), "d") for n in range(3000)]
    size, passed = 0, 0
    for passed, (front, back) in enumerate(rows, 1):  # noqa: B007
        size += 30 + len(front) + 12 + len(back) + 12
        if size > 2**20:
            break
    with pytest.raises(QuizdeckError) as raised:
        parse_table("\n" + "".join(f"{front},{back}\n" for front, back in rows), "big.csv")
    assert passed > 1000
    assert str(raised.value) == (
        f"big.csv: row {passed + 1:,}: the {passed:,} questions read up to here would make a bank of more than the "
        f"1 MB a bank may hold, so reading stopped; split the file into parts of at most {passed - 1:,} questions "
        "and import each")


def test_a_pair_without_both_sides_is_shown_as_written() -> None:
    assert rows_read("type,prompt,pairs\nmatch,M?,a=1|b\nmatch,N?,c=|d=2\nmatch,O?,=x|e=3\n") == ([], [
        f's.csv: row {row}, column "pairs": skipped: the pair "{pair}" is not left=right (write pairs like '
        '"France=Paris|Italy=Rome")' for row, pair in [(2, "b"), (3, "c="), (4, "=x")]])


@pytest.mark.parametrize(("text", "delimiter"), [
    ("a|b\nc|d\n", "|"), ("a|b|c\nd|e|f\n", "|"), ("x|y\n\n\nz|w\n", "|"),  # every record split alike
    ("a|b\n" * 9 + "c|d|e\n", "|"),  # nine in ten records alike are enough
    ("a|b\n" * 8 + "c|d|e\n" * 2, ","),  # eight in ten are not
    ("a|b\n" * 19 + "c\n" * 3, "|"),  # only the first 21 records are compared
    ("a|b,c\nd|e,f\n", ","),  # ',' splits them as alike: '|' is not chosen
    ("|\n|\n", ","),  # no record holds anything
    ("front|back\n", "|"),  # a file of one record, read whole: that record counts
    ("Xylophone|musical instrument\nXenon|chemical element\nXerox|copier\n", "|"),  # a capital X is no delimiter
    ("word|meaning\n" * 6000, "|"),  # longer than the sample: its last record, maybe cut, is left out
    ("word|meaning\n" * 6000 + "a|b|c|d|e\n", "|"),
    ("a|b\n" * 4 + "a|b|c\n" + "a|b\n" * 3 + "a|b|c\n" + "a|b\n" * 20000, "|"),  # 18 of the first 20 alike
    ("a|b\na|b|c\n" * 8000, ","),  # the first records disagree, however long the file
])
def test_a_pipe_is_the_delimiter_when_only_it_splits_the_records_alike(text: str, delimiter: str) -> None:
    assert detect_delimiter(text) == delimiter
