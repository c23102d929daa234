"""Answer sheets: loading, and every problem reported with file:line and question id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import Bank, load_bank, parse_bank
from quizdeck.cli import app
from quizdeck.sheet import SheetError, load_sheet, parse_sheet, sheet_toml

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


# --- what each kind of mistake tells the student or teacher, word for word ------------------------


def short_bank(ids: list[str], extra: str = "") -> Bank:
    """A bank of short questions with these ids (and `extra` questions appended)."""
    return parse_bank('[bank]\nid = "b"\ntitle = "B"\nlanguage = "en"\n' + "".join(
        f'[[questions]]\nid = "{name}"\ntype = "short"\nprompt = "p"\nanswer = "a"\n' for name in ids) + extra,
        "b.toml")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("water-boils = false", None),
        ("capital-card = false", None),
        ("water-boils = 2026-12-02", 'question "water-boils" (truefalse): expected true or false '
                                     "(also T/F, صح/خطأ, ص/خ), got date"),
        ("author-hamlet = false", 'question "author-hamlet" (short): expected the answer as a text in quotes, '
                                  "got false"),
        ("author-hamlet = true", 'question "author-hamlet" (short): expected the answer as a text in quotes, '
                                 "got true"),
        ("author-hamlet = { a = 1 }", 'question "author-hamlet" (short): expected the answer as a text in quotes, '
                                      "got a table"),
        ("author-hamlet = 12:30:00", 'question "author-hamlet" (short): expected the answer as a text in quotes, '
                                     "got time"),
        ("speed-of-light = inf", 'question "speed-of-light" (numeric): expected a number (e.g. 300), '
                                 "got inf (not a finite number)"),
        ("speed-of-light = nan", 'question "speed-of-light" (numeric): expected a number (e.g. 300), '
                                 "got nan (not a finite number)"),
        ("speed-of-light = true", 'question "speed-of-light" (numeric): expected a number (e.g. 300), got true'),
        ("largest-planet = true", 'question "largest-planet" (choice): expected the text or label of one choice, '
                                  "got true"),
        ("largest-planet = [\"b\"]", 'question "largest-planet" (choice): expected the text or label of one choice, '
                                     "got a list"),
        ("largest-planet = 5", 'question "largest-planet" (choice): "5" is not one of the choices '
                               '("Mars", "Jupiter", "Venus", "Mercury") nor the label of one'),
        ("primary-colours = [\"red\", \"orange\"]", 'question "primary-colours" (multi): "orange" is not one of the '
                                                    'choices ("red", "green", "blue", "yellow") nor the label of one'),
        ("primary-colours = 3", 'question "primary-colours" (multi): expected a list of texts '
                                "(the chosen choices' texts), got the number 3"),
        ("primary-colours = [\"red\", 3]", 'question "primary-colours" (multi): expected a list of texts '
                                           "(the chosen choices' texts), got a list"),
        ("planet-order = \"Venus first\"", 'question "planet-order" (order): expected a list of texts '
                                           '(every item, in your order) or of labels, got the text "Venus first"'),
        ("planet-order = [\"Mercury\", \"Pluto\"]", 'question "planet-order" (order): "Pluto" is not one of the items '
                                                    '("Mercury", "Venus", "Earth", "Mars") nor the label of one'),
        ("planet-order = [\"Mercury\", \"Venus\"]", 'question "planet-order" (order): expected all 4 items in some '
                                                    'order; missing "Earth", "Mars"'),
        ("planets-cloze = \"Sun\"", 'question "planets-cloze" (cloze): expected a list of 2 texts '
                                    '(one per blank, c1 first), got the text "Sun"'),
        ("capitals-match = \"Paris\"", 'question "capitals-match" (match): expected a table of left = right texts '
                                       '(e.g. { "France" = "Paris" }), got the text "Paris"'),
    ],
)
def test_each_value_a_student_may_write_is_read_or_refused_in_words(all_types_bank: Path, line: str,
                                                                     message: str | None) -> None:
    bank = load_bank(all_types_bank)
    if message is None:
        key, value = line.split(" = ")
        assert parse_sheet(line + "\n", bank, name="s.toml").responses == {key: value == "true"}
    else:
        assert problems("\n" + line + "\n", all_types_bank) == [f"s.toml:2: {message}"]


def test_numbers_in_every_form_a_sheet_holds(all_types_bank: Path) -> None:
    # A float, an int and digits in a text are a numeric answer; a choice's label may be a bare number.
    bank = load_bank(all_types_bank)
    text = 'speed-of-light = 2.995e2\nlargest-planet = 2\nprimary-colours = "1 3"\n'
    assert parse_sheet(text, bank, name="s.toml").responses == {
        "speed-of-light": 299.5, "largest-planet": "Jupiter", "primary-colours": ["red", "blue"]}
    assert parse_sheet('speed-of-light = "٣٠٠"\n', bank).responses == {"speed-of-light": "٣٠٠"}


def test_a_sheet_without_a_name_is_called_sheet(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    assert parse_sheet("", bank).name == "<sheet>"
    with pytest.raises(SheetError) as failure:
        parse_sheet("water-boils = 3\n", bank)
    assert str(failure.value) == ('<sheet>:1: question "water-boils" (truefalse): expected true or false '
                                  "(also T/F, صح/خطأ, ص/خ), got the number 3")


def test_a_loaded_sheet_knows_its_file(all_types_bank: Path, tmp_path: Path) -> None:
    path = tmp_path / "omar.toml"
    path.write_text("water-boils = true\n", encoding="utf-8")
    sheet = load_sheet(path, load_bank(all_types_bank))
    assert (sheet.name, sheet.path, sheet.responses) == ("omar", path, {"water-boils": True})


def test_a_folder_given_as_a_sheet(all_types_bank: Path, tmp_path: Path) -> None:
    with pytest.raises(SheetError) as failure:
        load_sheet(tmp_path, load_bank(all_types_bank))
    assert str(failure.value) == f"{tmp_path}: is a folder; give an answer sheet (.toml file or take --json results)"


@pytest.mark.parametrize(("count", "listing"), [
    (10, '"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"'),
    (11, '"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", …'),
])
def test_the_choices_listed_in_a_message_stop_at_ten(count: int, listing: str) -> None:
    choices = [f"c{n}" for n in range(count)]
    bank = short_bank([], f'[[questions]]\nid = "pick"\ntype = "choice"\nprompt = "p"\nchoices = {choices}\n'
                          'answer = "c0"\n')
    with pytest.raises(SheetError) as failure:
        parse_sheet('pick = "c99"\n', bank, name="s.toml")
    assert str(failure.value) == f's.toml:1: question "pick" (choice): "c99" is not one of the choices ({listing}) ' \
                                 "nor the label of one"


@pytest.mark.parametrize(("count", "help_"), [
    (10, " (its questions: q0, q1, q2, q3, q4, q5, q6, q7, q8, q9)"),
    (11, '; did you mean "q1"?'),
])
def test_unknown_ids_list_a_small_banks_questions_or_suggest_one(count: int, help_: str) -> None:
    bank = short_bank([f"q{n}" for n in range(count)])
    with pytest.raises(SheetError) as failure:
        parse_sheet('q1x = "a"\n', bank, name="s.toml")
    assert str(failure.value) == f's.toml:1: question "q1x": no question with this id in b.toml{help_}'


def test_long_keys_and_values_are_quoted_up_to_80_characters(all_types_bank: Path) -> None:
    key80, key81 = "k" * 80, "k" * 81
    text = f'{key80} = 1\n{key81} = 1\nlargest-planet = "{"v" * 81}"\n'
    assert problems(text, all_types_bank)[:3] == [
        f's.toml:1: question "{key80}": no question with this id in {all_types_bank} (its questions: capital-card, '
        "largest-planet, primary-colours, water-boils, author-hamlet, speed-of-light, planets-cloze, planet-order, "
        "capitals-match)",
        f's.toml:2: question "{key80}…": no question with this id in {all_types_bank} (its questions: capital-card, '
        "largest-planet, primary-colours, water-boils, author-hamlet, speed-of-light, planets-cloze, planet-order, "
        "capitals-match)",
        f's.toml:3: question "largest-planet" (choice): "{"v" * 80}…" is not one of the choices '
        '("Mars", "Jupiter", "Venus", "Mercury") nor the label of one',
    ]


def test_keys_are_found_on_their_line_however_toml_quotes_them() -> None:
    bank = short_bank(["a", "b"])
    text = "a = 'x'\n'literal-key' = 1\n\"escaped\\u002dkey\" = 1\n[table-key]\nx = 1\n"
    with pytest.raises(SheetError) as failure:
        parse_sheet(text, bank, name="s.toml")
    assert [str(p) for p in failure.value.problems] == [
        f's.toml:{line}: question "{key}": no question with this id in b.toml (its questions: a, b)'
        for line, key in [(2, "literal-key"), (3, "escaped-key"), (4, "table-key")]
    ]


def test_a_sheet_may_answer_questions_named_bank_and_questions() -> None:
    # A sheet with a [bank] table and a questions list is taken for a bank only when the bank has no
    # question called "bank"; a [bank] table alone is an unknown question like any other.
    extra = ('[[questions]]\nid = "bank"\ntype = "match"\nprompt = "p"\npairs = [["x", "y"], ["z", "w"]]\n'
             '[[questions]]\nid = "questions"\ntype = "multi"\nprompt = "p"\nchoices = ["u", "v"]\nanswers = ["u"]\n')
    bank = short_bank(["a"], extra)
    sheet = parse_sheet('questions = ["v"]\n[bank]\nx = "w"\n', bank, name="s.toml")
    assert sheet.responses == {"questions": ["v"], "bank": {"x": "w"}}
    with pytest.raises(SheetError) as failure:
        parse_sheet('a = "x"\n[bank]\nid = "b"\n', short_bank(["a"]), name="s.toml")
    assert str(failure.value) == 's.toml:2: question "bank": no question with this id in b.toml (its questions: a)'


def test_sheet_toml_writes_what_parse_sheet_reads_back(all_types_bank: Path) -> None:
    responses = {"capital-card": True, "largest-planet": None, "primary-colours": ["red", "blue"],
                 "speed-of-light": 299.5, "capitals-match": {"France": "Paris"}}
    text = sheet_toml(responses)
    assert text == ('capital-card = true\nprimary-colours = [\n    "red",\n    "blue",\n]\nspeed-of-light = 299.5\n\n'
                    '[capitals-match]\nFrance = "Paris"\n')
    answered = {key: value for key, value in responses.items() if value is not None}
    assert parse_sheet(text, load_bank(all_types_bank)).responses == answered


# --- take --json results as a sheet ---------------------------------------------------------------


def test_take_json_results_are_read_as_a_sheet(all_types_bank: Path, tmp_path: Path) -> None:
    # The results `take --answers ... --json` writes, unanswered questions (null) among answered ones.
    answers = tmp_path / "answers.toml"
    answers.write_text('capital-card = true\nwater-boils = "F"\nplanet-order = ["b", "a", "c", "d"]\n',
                       encoding="utf-8")
    results = tmp_path / "salma.json"
    taken = CliRunner().invoke(app, ["take", str(all_types_bank), "--answers", str(answers), "--no-shuffle",
                                     "--json", str(results)])
    assert taken.exit_code == 0, taken.output
    assert [q["response"] for q in json.loads(results.read_text(encoding="utf-8"))["questions"]][:4] == [
        True, None, None, False]
    sheet = load_sheet(results, load_bank(all_types_bank))
    assert (sheet.name, sheet.responses) == ("salma", {
        "capital-card": True, "water-boils": False, "planet-order": ["Venus", "Mercury", "Earth", "Mars"]})
    # Read by its content, whatever its name and however it starts.
    indented = tmp_path / "salma.toml"
    indented.write_text("\n  " + results.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_sheet(indented, load_bank(all_types_bank)).responses == sheet.responses


def test_results_without_a_bank_id_are_read(all_types_bank: Path) -> None:
    text = json.dumps({"questions": [{"id": "water-boils", "response": True}]})
    assert parse_sheet(text, load_bank(all_types_bank)).responses == {"water-boils": True}


def results_problem(text: str, all_types_bank: Path) -> str:
    with pytest.raises(SheetError) as failure:
        parse_sheet(text, load_bank(all_types_bank), name="r.json")
    return str(failure.value)


NOT_RESULTS = ('r.json: JSON that is not take --json results (expected an object whose "questions" list has an "id" '
               'and a "response" for each question)')


@pytest.mark.parametrize("data", [
    {"bank": "all-types"},
    {"questions": {"id": "water-boils", "response": True}},
    {"questions": ["water-boils"]},
    {"questions": 1},
    {"questions": [{"response": True}]},
    {"questions": [{"id": 3, "response": True}]},
    {"questions": [{"id": "water-boils"}]},
    {"questions": [{"id": "water-boils", "response": True}, {"id": "capital-card"}]},
])
def test_json_that_is_not_results_is_named_so(all_types_bank: Path, data: dict[str, object]) -> None:
    assert results_problem(json.dumps(data), all_types_bank) == NOT_RESULTS


def test_results_of_another_bank(all_types_bank: Path) -> None:
    text = json.dumps({"bank": "planets", "questions": [{"id": "water-boils", "response": True}]})
    assert results_problem(text, all_types_bank) == (
        f'r.json: these are results of the bank "planets", not of {all_types_bank} (bank id "all-types")')


def test_broken_results_json(all_types_bank: Path) -> None:
    assert results_problem('{"questions": [\n  {"id": "water-boils",, }\n]}', all_types_bank) == (
        "r.json:2:24: JSON syntax error: Expecting property name enclosed in double quotes "
        "(a sheet starting with { is read as take --json results)")
    assert results_problem('{"questions": ' + "[" * 100_000, all_types_bank) == (
        "r.json: JSON nested too deeply to be take --json results")


def test_a_sheet_holds_at_most_100000_answers(all_types_bank: Path) -> None:
    def results(count: int) -> str:
        return json.dumps({"questions": [{"id": f"x{n}", "response": 1} for n in range(count)]})

    last = results_problem(results(100_000), all_types_bank).splitlines()[-1]
    assert last == "r.json: … and 99,980 more problems"
    assert results_problem(results(100_001), all_types_bank) == (
        "r.json: 100,001 answers: more than a sheet can hold (100,000); is this an answer sheet?")


ONE_BLANK = """[bank]
id = "b"
title = "B"
language = "en"

[[questions]]
id = "capital"
type = "cloze"
text = "The capital of France is {{c1::Paris}}."
"""


@pytest.mark.parametrize(("line", "read", "message"), [
    ('capital = "Paris"', ["Paris"], None),      # one blank: its text alone, as a short answer's
    ('capital = ["Paris"]', ["Paris"], None),
    ('capital = 3', None, "expected the blank's text (or a list of it), got the number 3"),
    ('capital = ["Paris", "Lyon"]', None, "expected 1 entry, got 2"),
])
def test_a_cloze_of_one_blank_takes_its_text_alone(tmp_path: Path, line: str, read: list[str] | None,
                                                  message: str | None) -> None:
    bank_path = tmp_path / "bank.toml"
    bank_path.write_text(ONE_BLANK, encoding="utf-8")
    bank = load_bank(bank_path)
    if message is None:
        key = line.split(" = ")[0]
        assert parse_sheet(line + "\n", bank, name="s.toml").responses == {key: read}
    else:
        with pytest.raises(SheetError) as caught:
            parse_sheet(line + "\n", bank, name="s.toml")
        assert [str(p) for p in caught.value.problems] == [
            f's.toml:1: question "{line.split(" = ")[0]}" (cloze): {message}']
