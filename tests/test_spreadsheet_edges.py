"""CSV/TSV import at its edges: encodings told apart by a few bytes, Anki's header lines, cells longer
than the csv module reads by default, line breaks inside cells, and rows that are almost a question."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quizdeck.errors import QuizdeckError
from quizdeck.spreadsheet import decode_text, detect_delimiter, parse_spreadsheet, parse_table


def imported(text: str, name: str = "f.txt", delimiter: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """The bank tables a file's text imports as, and the problems the import reports."""
    result = parse_table(text, name, delimiter)
    return [item.table for item in result.items], [str(p) for p in result.problems]


# --- encodings -------------------------------------------------------------------------------------


def test_utf16_big_endian_with_its_byte_order_mark_holding_mostly_arabic() -> None:
    # Arabic letters are two bytes with no NUL: only the byte order mark says how to read the file.
    text = "عاصمة مصر\tالقاهرة\nعاصمة العراق\tبغداد\n"
    result = parse_spreadsheet("\ufeff".encode("utf-16-be") + text.encode("utf-16-be"), "arabic.txt")
    assert [(item.table["prompt"], item.table["back"]) for item in result.items] == [
        ("عاصمة مصر", "القاهرة"), ("عاصمة العراق", "بغداد")]
    assert result.problems == []


@pytest.mark.parametrize("data", [b"\x00", b"a\x00", b"\x00\x00\x00"])
def test_a_file_of_fewer_than_four_bytes_holding_a_nul_is_binary(data: bytes) -> None:
    # Too short to tell UTF-16 by where its NULs fall: one character is no spreadsheet.
    with pytest.raises(QuizdeckError) as error:
        decode_text(data, "f.csv")
    assert str(error.value) == "f.csv: binary data (a NUL byte), not a text file"


def test_utf16_without_a_byte_order_mark_is_judged_on_its_first_200_bytes() -> None:
    # Big-endian, half its first 100 characters Latin: exactly a quarter of the 200 bytes are NUL,
    # which is not more than a quarter. The Latin letter at byte 200 does not count.
    text = "ب" * 50 + "a" * 50 + "a"
    with pytest.raises(QuizdeckError) as error:
        decode_text(text.encode("utf-16-be"), "f.csv")
    assert str(error.value) == "f.csv: binary data (a NUL byte), not a text file"
    assert decode_text(("ب" * 49 + "a" * 51).encode("utf-16-be"), "f.csv") == "ب" * 49 + "a" * 51


def test_broken_utf16_big_endian_without_a_byte_order_mark_names_the_file_and_line() -> None:
    data = "prompt\tanswer\nab".encode("utf-16-be") + b"\xdc\x00"  # a low surrogate alone
    with pytest.raises(QuizdeckError) as error:
        parse_spreadsheet(data, "words.txt")
    assert str(error.value) == ('words.txt:2: not UTF-16-BE text (byte 0xdc); save the file as UTF-8 (in Excel: '
                                '"CSV UTF-8"; in LibreOffice: character set "Unicode (UTF-8)")')


def test_a_windows_1256_arabic_csv_is_refused_at_its_line() -> None:
    # Excel's plain "CSV" on an Arabic Windows is Windows-1256; this one starts with an empty line.
    data = b"\n" + "prompt,answer\nعاصمة مصر,القاهرة\n".encode("cp1256")
    with pytest.raises(QuizdeckError) as error:
        parse_spreadsheet(data, "arabic.csv")
    assert str(error.value) == ('arabic.csv:3: not UTF-8 text (byte 0xda); save the file as UTF-8 (in Excel: '
                                '"CSV UTF-8"; in LibreOffice: character set "Unicode (UTF-8)")')


# --- delimiters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "delimiter"), [
    # European decimal commas inside quotes, under a title line of one quoted cell: the commas in
    # quotes do not count, the semicolons outside them do.
    ('"Pi, to two places"\n"3,14";"pi"\n"2,72";"e"\n', ";"),
    # A record ending in a quoted cell shows its delimiter just before the quote, even when the next
    # row lacks its definition.
    ('Paris, France;"capital, largest city"\nRome, Italy\n', ";"),
    # Only the first 20 non-empty lines are counted: here they tie, and a tie goes to ';'.
    ("Week 1\n" + "a;b\n" * 9 + "c,d\n" * 9 + "e;f,g\n" + "h,i\n", ";"),
    # '|' needs nine in ten records alike: nine of eleven are not enough.
    ("a|b\n" * 9 + "c|d|e\n" * 2, ","),
    # A file longer than the 65,536 characters sampled: its 21st record, cut by the sample, is left out.
    ("a|b\n" * 18 + "a|b|c\n" * 2 + "a|b|" + "c" * 66_000 + "\n", "|"),
])
def test_delimiter_at_the_edges_of_detection(text: str, delimiter: str) -> None:
    assert detect_delimiter(text) == delimiter


# --- cells longer than the csv module's default limit ----------------------------------------------


@pytest.fixture
def fresh_field_limit() -> Iterator[None]:
    """The csv module's field limit as a fresh process has it (128 KiB); other tests raise it for good."""
    old = csv.field_size_limit(128 * 1024)
    try:
        yield
    finally:
        csv.field_size_limit(old)


@pytest.mark.usefixtures("fresh_field_limit")
def test_a_file_that_is_one_long_cell_is_read() -> None:
    # No line end: the cell is the whole of the notes, longer than the limit a fresh process starts with.
    text = "{{c1::Paris}} is the capital of France. " + "It lies on the Seine. " * 8000
    tables, problems = imported("#separator:tab\n#html:false\n" + text.strip())
    assert problems == []
    assert [(t["type"], len(t["text"])) for t in tables] == [("cloze", len(text.strip()))]


@pytest.mark.usefixtures("fresh_field_limit")
def test_a_long_first_line_is_read_when_the_delimiter_is_detected() -> None:
    back = "b" * 200_000
    tables, problems = imported(f"word,{back}\n")
    assert problems == []
    assert [(t["prompt"], len(t["back"])) for t in tables] == [("word", 200_000)]


# --- line breaks and HTML in a list's cells ---------------------------------------------------------


def test_a_line_break_inside_a_quoted_cell_of_a_list_is_kept_as_one_line_end() -> None:
    # Excel writes CRLF at the end of each row and inside a quoted cell alike.
    tables, problems = imported('"one\r\ntwo","three\r\nfour"\r\ncat,"قطة\r\nهرّة"\r\n', "words.csv")
    assert problems == []
    assert tables == [
        {"id": "one-two", "type": "card", "prompt": "one\ntwo", "back": "three\nfour"},
        {"id": "cat", "type": "card", "prompt": "cat", "back": "قطة\nهرّة"},
    ]


# --- Anki's header lines ---------------------------------------------------------------------------


def test_anki_columns_line_is_split_by_the_files_separator() -> None:
    # `#columns:` lists the names with the notes' own separator; "Tag" is read as "tags".
    tables, problems = imported("#separator:tab\n#html:false\n#columns:Front\tBack\tTag\ncat\tقطة\tanimals nouns\n")
    assert problems == []
    assert tables == [{"id": "cat", "type": "card", "prompt": "cat", "back": "قطة", "tags": ["animals", "nouns"]}]


def test_anki_tags_column_line_wins_over_a_column_named_tags() -> None:
    tables, problems = imported("#separator:tab\n#columns:Front\tBack\tTags\tMore\n#tags column:4\n"
                                "cat\tقطة\tkept\tanimals\n")
    assert tables == [{"id": "cat", "type": "card", "prompt": "cat", "back": "قطة", "tags": ["animals"]}]
    assert problems == [
        'f.txt: warning: row 4: column 3 ("tags") ignored in 1 row: a list has a term, a definition and tags '
        '(add the line "#tags column:3" above the notes, as Anki\'s export writes it, see docs/interchange.md)']


def test_anki_export_saved_by_an_editor_that_trims_line_ends(tmp_path: Path) -> None:
    # Anki ends a note without tags with a tab before its empty tags cell; an editor that trims trailing
    # whitespace on save leaves the row one cell short of the `#tags column:3` Anki wrote.
    anki = pytest.importorskip("anki.collection")
    col = anki.Collection(str(tmp_path / "collection.anki2"))
    try:
        deck = col.decks.id("Arabic")
        for front, back, tags in [("cat", "قطة", []), ("dog", "كلب", ["animals"])]:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"], note.tags = front, back, tags
            col.add_note(note, deck)
        out = tmp_path / "notes.txt"
        col.export_note_csv(out_path=str(out), limit=anki.DeckIdLimit(deck), with_html=False, with_tags=True,
                            with_deck=False, with_notetype=False, with_guid=False)
    finally:
        col.close()
    written = out.read_text(encoding="utf-8")
    assert "#tags column:3\n" in written and "cat\tقطة\t\n" in written
    trimmed = "".join(line.rstrip() + "\n" for line in written.splitlines())
    tables, problems = imported(trimmed, "notes.txt")
    assert problems == []
    assert tables == [{"id": "cat", "type": "card", "prompt": "cat", "back": "قطة"},
                      {"id": "dog", "type": "card", "prompt": "dog", "back": "كلب", "tags": ["animals"]}]


def test_a_front_of_only_an_image_with_an_empty_back_and_a_third_cell_is_an_empty_term() -> None:
    # Only a front image beside a definition becomes a picture prompt; here the definition is empty.
    tables, problems = imported('#separator:tab\n#html:true\n<img src="a.png">\t\tx\n')
    assert tables == []
    assert problems == [
        "f.txt: row 3: skipped: the term (column 1) is empty",
        'f.txt: warning: row 3: column 3 ignored in 1 row: a list has a term, a definition and tags (add the line '
        '"#tags column:3" above the notes, as Anki\'s export writes it, see docs/interchange.md)']


@pytest.mark.parametrize(("cells", "named"), [
    (6, "column 3, column 4, column 5 and 1 more column"),
    (7, "column 3, column 4, column 5 and 2 more columns"),
])
def test_more_than_three_ignored_columns_are_named_three_and_counted(cells: int, named: str) -> None:
    row = ",".join(f'"{cell}"' for cell in ["cat", "قطة", "a", "b", "c", "d", "e"][:cells])
    tables, problems = imported(row + "\n", "words.csv")
    assert tables == [{"id": "cat", "type": "card", "prompt": "cat", "back": "قطة"}]
    assert problems == [
        f"words.csv: warning: row 1: {named} ignored in 1 row: a list has a term, a definition and tags (name a "
        "column \"tags\" in a header row, or use the spreadsheet form's columns, see docs/interchange.md)"]


# --- spreadsheets with a header row ----------------------------------------------------------------


def test_a_header_naming_columns_by_their_other_names_is_a_spreadsheet() -> None:
    # "Question" is "prompt": with a type and choices the file is the spreadsheet form, not a list.
    tables, problems = imported("Question,Answer,Type,Choices\nWhich is red?,apple,choice,apple|sky\n", "s.csv")
    assert problems == []
    assert tables == [{"id": "which-is-red", "type": "choice", "prompt": "Which is red?",
                       "choices": ["apple", "sky"], "answer": "apple"}]


def test_a_cloze_row_with_a_text_keeps_it_when_its_prompt_holds_a_deletion_too() -> None:
    tables, problems = imported("type,prompt,text\ncloze,{{c1::Paris}} is in France,{{c1::Rome}} is in Italy\n",
                                "s.csv")
    assert problems == []
    assert [(t["type"], t["text"]) for t in tables] == [("cloze", "{{c1::Rome}} is in Italy")]


def test_a_cloze_row_with_neither_prompt_nor_text_is_reported() -> None:
    tables, problems = imported("type,prompt,text\ncloze,,\n", "s.csv")
    assert tables == []
    assert problems == ['s.csv: row 2, column "text": skipped: a cloze question needs the "text" column filled in']
