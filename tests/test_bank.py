"""The bank loader through its Python API."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizdeck.bank import find_bank_files, load_bank, parse_bank, text_direction
from quizdeck.errors import BankError, UsageError
from quizdeck.questions import (
    Card,
    Choice,
    Cloze,
    Deletion,
    Match,
    Numeric,
    Order,
    card_count,
    cloze_display,
    prompt_text,
)

from .conftest import BANKS

HEADER = '[bank]\nid = "b"\ntitle = "B"\nlanguage = "ar"\n\n'


def test_all_types_bank_loads_into_typed_questions(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    assert (bank.id, bank.title, bank.language, bank.direction) == ("all-types", "Every question type", "en", "ltr")
    assert [q.type for q in bank.questions] == [
        "card", "choice", "multi", "truefalse", "short", "numeric", "cloze", "order", "match"]
    choice = bank.question("largest-planet")
    assert isinstance(choice, Choice)
    assert choice.choices == ("Mars", "Jupiter", "Venus", "Mercury")
    assert choice.answer == "Jupiter"
    cloze = bank.question("planets-cloze")
    assert isinstance(cloze, Cloze)
    assert cloze.deletions == (Deletion(1, "Sun"), Deletion(2, "Moon", "satellite"))
    assert isinstance(bank.question("capitals-match"), Match)
    assert bank.question("capitals-match").pairs[0] == ("France", "Paris")  # type: ignore[union-attr]
    assert isinstance(bank.question("speed-of-light"), Numeric)


def test_unknown_question_id_suggests_close_ones(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    with pytest.raises(UsageError, match='no question with id "planet-orders"; did you mean "planet-order"'):
        bank.question("planet-orders")


def test_tags_select_questions_and_bank_tags_select_all(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    assert [q.id for q in bank.with_tag("geo")] == ["capital-card"]
    assert len(bank.with_tag("demo")) == 9
    assert bank.with_tag("nothing") == ()


def test_cards_per_question() -> None:
    bank = load_bank(BANKS / "all-types.toml")
    assert [card_count(q) for q in bank.questions] == [2, 1, 1, 1, 1, 1, 2, 1, 1]


def test_cloze_display_blanks_and_reveals() -> None:
    text = "The {{c1::Sun}} is a star; the {{c2::Moon::satellite}} orbits."
    assert cloze_display(text) == "The [...] is a star; the [satellite] orbits."
    assert cloze_display(text, reveal=True) == "The Sun is a star; the Moon orbits."


def test_cloze_prompt_text_is_the_blanked_text() -> None:
    bank = parse_bank(HEADER + '[[questions]]\nid = "c"\ntype = "cloze"\ntext = "في عام {{c1::2017}} أُعلن النصر"\n')
    assert prompt_text(bank.questions[0]) == "في عام [...] أُعلن النصر"


@pytest.mark.parametrize(("tag", "direction"), [
    ("ar", "rtl"), ("ar-IQ", "rtl"), ("fa", "rtl"), ("he", "rtl"), ("ur", "rtl"), ("ckb", "rtl"),
    ("en", "ltr"), ("fr-CA", "ltr"), ("az-Arab", "rtl"), ("ku-Arab", "rtl"), ("ar-Latn", "ltr"), ("zh-Hant", "ltr"),
])
def test_direction_follows_language_and_script(tag: str, direction: str) -> None:
    assert text_direction(tag) == direction


def test_fuzzy_setting_question_overrides_bank() -> None:
    bank = parse_bank(
        '[bank]\nid = "b"\ntitle = "B"\nlanguage = "en"\nfuzzy = false\n\n'
        '[[questions]]\nid = "a"\ntype = "short"\nprompt = "p"\nanswer = "x"\n\n'
        '[[questions]]\nid = "b"\ntype = "short"\nprompt = "p"\nanswer = "x"\nfuzzy = true\n'
    )
    assert [bank.fuzzy_for(q) for q in bank.questions] == [False, True]


def test_arabic_text_and_reverse_card_load() -> None:
    bank = parse_bank(HEADER + '[[questions]]\nid = "sleeper-cells"\ntype = "card"\nprompt = "الخلايا النائمة"\n'
                      'back = "sleeper cells"\nreverse = true\n')
    card = bank.questions[0]
    assert isinstance(card, Card) and card.reverse and card.prompt == "الخلايا النائمة"
    assert bank.direction == "rtl"


def test_order_keeps_the_written_order() -> None:
    bank = parse_bank(HEADER + '[[questions]]\nid = "o"\ntype = "order"\nprompt = "p"\n'
                      'items = ["2014", "2017", "2020"]\n')
    assert isinstance(bank.questions[0], Order)
    assert bank.questions[0].items == ("2014", "2017", "2020")


def test_errors_carry_every_problem_with_lines() -> None:
    text = HEADER + ('[[questions]]\nid = "a"\ntype = "choice"\nprompt = "p"\nchoices = ["x", "x"]\nanswer = "x"\n\n'
                     '[[questions]]\nid = "b"\ntype = "numeric"\nprompt = "p"\nanswer = nan\n')
    with pytest.raises(BankError) as caught:
        parse_bank(text, "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        'bank.toml:10: question "a" (#1), key "choices": "x" appears twice; every item must be different',
        'bank.toml:17: question "b" (#2), key "answer": expected a finite number, got nan',
    ]


def test_image_must_exist_beside_the_bank(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = tmp_path / "bank.toml"
    path.write_text(HEADER + '[[questions]]\nid = "m"\ntype = "card"\nprompt = "p"\nback = "b"\n'
                    'image = "img/map.png"\n',
                    encoding="utf-8")
    assert load_bank(path).questions[0].image == "img/map.png"


def test_find_bank_files_searches_folders_and_rejects_missing(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.toml").write_text("")
    assert find_bank_files([tmp_path]) == [tmp_path / "b.toml", tmp_path / "sub" / "a.toml"]
    with pytest.raises(UsageError, match="no such file or folder"):
        find_bank_files([tmp_path / "missing.toml"])


def test_a_folder_named_like_a_bank_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "bank.toml"
    folder.mkdir()
    with pytest.raises(BankError, match=r"is a folder; give a \.toml file"):
        load_bank(folder)


def test_tables_built_in_memory_report_at_most_twenty_problems_and_count_the_rest() -> None:
    from quizdeck.bank import bank_from_data

    data = {"bank": {"id": "b", "title": "B", "language": "en"},
            "questions": [{"id": f"q{n}", "type": "essay", "prompt": "?"} for n in range(50)]}
    with pytest.raises(BankError) as raised:
        bank_from_data(data, "imported.toml")
    lines = str(raised.value).splitlines()
    assert len(lines) == 21
    assert lines[-1] == "imported.toml: … and 30 more problems"


CARD = '[[questions]]\nid = "{qid}"\ntype = "card"\nprompt = "p"\nback = "b"\n\n'


def test_a_bank_is_named_by_its_file_else_its_id_and_finds_images_beside_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = HEADER + CARD.format(qid="q1")
    in_memory = parse_bank(text)
    assert (in_memory.name, in_memory.folder, in_memory.path) == ("b", tmp_path, None)
    on_disk = parse_bank(text, tmp_path / "unit" / "bank.toml")
    assert (on_disk.name, on_disk.folder) == (str(tmp_path / "unit" / "bank.toml"), tmp_path / "unit")


def test_an_unknown_question_id_names_the_bank_and_up_to_three_close_ids() -> None:
    bank = parse_bank(HEADER + "".join(CARD.format(qid=q) for q in ["river-1", "river-2", "river-3", "river-4", "x"]))
    assert bank.get("river-9") is None
    assert bank.get("x") is bank.questions[-1]
    with pytest.raises(UsageError) as close:
        bank.question("river-9")
    assert str(close.value) == 'b: no question with id "river-9"; did you mean "river-4", "river-3", "river-2"?'
    with pytest.raises(UsageError) as far:
        bank.question("mountains")
    assert str(far.value) == 'b: no question with id "mountains"'


def test_loading_pauses_the_garbage_collector_and_leaves_it_as_it_found_it() -> None:
    import gc

    from quizdeck.bank import paused_collector

    assert gc.isenabled()
    with paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()
    parse_bank(HEADER + CARD.format(qid="q1"))
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_collector():
            assert not gc.isenabled()
        parse_bank(HEADER + CARD.format(qid="q1"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_folders_named_like_banks_are_not_banks_and_dangling_links_are_kept_to_be_reported(tmp_path: Path) -> None:
    (tmp_path / "unit.toml").mkdir()
    (tmp_path / "unit.toml" / "a.toml").write_text("")
    (tmp_path / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    assert find_bank_files([tmp_path]) == [tmp_path / "unit.toml" / "a.toml"]
    assert find_bank_files([tmp_path / "gone.toml"]) == [tmp_path / "gone.toml"]


def test_a_file_of_blank_lines_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.toml"
    path.write_text("\n  \n\t\n")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: file is empty; a bank needs a [bank] table and [[questions]]"]


def test_tables_built_in_memory_are_validated_without_lines_and_left_as_they_were() -> None:
    from quizdeck.bank import bank_from_data

    tables = [{"id": "q1", "type": "card", "prompt": "p", "back": "b"}]
    data = {"bank": {"id": "b", "title": "B", "language": "en"}, "questions": tables}
    bank = bank_from_data(data, "imported.toml")
    assert data["questions"] is tables and tables == [{"id": "q1", "type": "card", "prompt": "p", "back": "b"}]
    assert (bank.name, [q.id for q in bank.questions]) == ("imported.toml", ["q1"])
    assert bank_from_data(data).name == "b"
    tables.append({"id": "q1", "type": "card", "prompt": "p"})
    with pytest.raises(BankError) as caught:
        bank_from_data(data, "imported.toml")
    assert [str(p) for p in caught.value.problems] == [
        'imported.toml: question "q1" (#2): duplicate id "q1": question #1 already uses it; ids must be unique',
        'imported.toml: question "q1" (#2): missing required key "back" (The back of the flashcard.)',
    ]
    assert len(tables) == 2 and tables[1] == {"id": "q1", "type": "card", "prompt": "p"}
    with pytest.raises(BankError) as unnamed:
        bank_from_data({"bank": {"id": "b", "title": "B", "language": "en"}, "questions": []})
    assert [str(p) for p in unnamed.value.problems] == [
        "<bank>: the bank has no questions; add at least one [[questions]] table"]


def test_beyond_twenty_problems_a_misspelt_required_key_still_stands_for_the_missing_one() -> None:
    # 30 questions, each with one problem: "promt" is reported, "prompt" is not also said to be missing.
    text = HEADER + "".join(f'[[questions]]\nid = "q{n}"\ntype = "card"\npromt = "p"\nback = "b"\n\n'
                            for n in range(30))
    with pytest.raises(BankError) as caught:
        parse_bank(text, "bank.toml")
    found = [str(p) for p in caught.value.problems]
    assert len(found) == 21
    assert found[0] == 'bank.toml:9: question "q0" (#1): unknown key "promt"; did you mean "prompt"?'
    assert found[-1] == "bank.toml: … and 10 more problems"


def test_problems_are_listed_in_line_order_and_those_without_a_line_first() -> None:
    text = ('[[questions]]\nid = "q1"\ntype = "card"\nprompt = "p"\nback = 3\n\n'
            '[bank]\nid = "b"\ntitle = ""\nlanguage = "en"\n')
    with pytest.raises(BankError) as caught:
        parse_bank(text, "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        'bank.toml:5: question "q1" (#1), key "back": expected non-empty text, got the integer 3',
        'bank.toml:9: [bank], key "title": expected non-empty text, got an empty string',
    ]


def test_keys_are_located_quoted_or_dotted_and_never_past_their_table() -> None:
    text = HEADER + ('[[questions]]\n"id" = "q1"\ntype = "card"\nprompt = "p"\n\'back\' = 3\n\n'
                     '[[questions]]\nid = "q2"\ntype = "card"\nprompt = "p"\nback = "b"\nreverse.x = 1\n\n'
                     '[[questions]]\nid = "q3"\ntype = "card"\nprompt = "p"\n\n[questions.back]\nx = 1\n\n'
                     '[[questions]]\nid = "q4"\ntype = "card"\nprompt = "p"\nback = "b"\n')
    with pytest.raises(BankError) as caught:
        parse_bank(text, "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        'bank.toml:10: question "q1" (#1), key "back": expected non-empty text, got the integer 3',
        'bank.toml:17: question "q2" (#2), key "reverse": expected true or false, got a table',
        'bank.toml:19: question "q3" (#3), key "back": expected non-empty text, got a table',
    ]


def test_bytes_decoded_without_a_name_are_named_bank_and_nested_tables_twice_by_their_dotted_name() -> None:
    from quizdeck.bank import decode_bank_bytes

    with pytest.raises(BankError) as empty:
        decode_bank_bytes(b" \n")
    assert [str(p) for p in empty.value.problems] == [
        "<bank>: file is empty; a bank needs a [bank] table and [[questions]]"]
    with pytest.raises(BankError) as twice:
        parse_bank(HEADER + "[bank.notes]\na = 1\n\n[bank.notes]\nb = 2\n", "bank.toml")
    assert [str(p) for p in twice.value.problems] == [
        "bank.toml:9:12: TOML syntax error: [bank.notes] declared twice (write each table once)"]


def test_tables_built_in_memory_without_questions_are_told_to_add_some() -> None:
    from quizdeck.bank import bank_from_data

    with pytest.raises(BankError) as caught:
        bank_from_data({"bank": {"id": "b", "title": "B", "language": "en"}}, "imported.toml")
    assert [str(p) for p in caught.value.problems] == [
        "imported.toml: the bank has no questions; add at least one [[questions]] table"]


def test_image_paths_are_kept_in_one_spelling_and_looked_for_only_beside_a_file() -> None:
    question = '[[questions]]\nid = "m"\ntype = "card"\nprompt = "p"\nback = "b"\nimage = {image}\n'
    for written in ['"anki-images\\\\dot.png"', '"./anki-images/dot.png"', '"anki-images//dot.png"']:
        bank = parse_bank(HEADER + question.format(image=written), BANKS / "bank.toml")
        assert bank.questions[0].image == "anki-images/dot.png", written
    # A bank read from text alone has no folder to look in: the name is checked, not the file.
    assert parse_bank(HEADER + question.format(image='"maps/none.png"')).questions[0].image == "maps/none.png"


def test_a_tolerance_of_zero_is_an_exact_answer() -> None:
    bank = parse_bank(HEADER + '[[questions]]\nid = "n"\ntype = "numeric"\nprompt = "p"\nanswer = 2017\n'
                      'tolerance = 0\n')
    assert bank.questions[0] == Numeric(id="n", prompt="p", answer=2017, tolerance=0)


@pytest.mark.parametrize(("questions", "got"), [('""', "an empty string"), ('"q1"', 'the string "q1"'),
                                                ("[]", None), ("[1]", "an array"), ("7", "the integer 7")])
def test_questions_that_are_not_tables_are_reported_on_their_line(questions: str, got: str | None) -> None:
    with pytest.raises(BankError) as caught:
        parse_bank(f"questions = {questions}\n\n" + HEADER, "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        "bank.toml: the bank has no questions; add at least one [[questions]] table" if got is None else
        f"bank.toml:1: 'questions' must be an array of tables [[questions]], got {got}"]


def test_a_deletion_opened_twice_leaves_a_malformed_one_behind() -> None:
    with pytest.raises(BankError) as caught:
        parse_bank(HEADER + '[[questions]]\nid = "c"\ntype = "cloze"\ntext = "Fill {{{{c1::x}}c2:y}} in"\n', "b.toml")
    assert [str(p) for p in caught.value.problems] == [
        'b.toml:9: question "c" (#1), key "text": malformed deletion near "{{c2:y}} in"; write {{c1::answer}} or '
        "{{c1::answer::hint}}"]


def test_a_dotted_key_too_deep_after_a_blank_first_line_is_located_on_its_own_line() -> None:
    with pytest.raises(BankError) as caught:
        parse_bank("\n" + "a" + ".b" * 20 + " = 1\n", "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        "bank.toml:2:1: a dotted key of 21 parts (the limit is 16); no bank or sheet nests keys this deep"]


def test_a_quoted_false_gets_the_hint_and_a_list_names_its_wrong_item_by_position() -> None:
    with pytest.raises(BankError) as caught:
        parse_bank(HEADER + '[[questions]]\nid = "q"\ntype = "card"\nprompt = "p"\nback = "b"\nfuzzy = "false"\n'
                   'tags = ["a", 3]\n', "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        'bank.toml:11: question "q" (#1), key "fuzzy": expected true or false, got the string "false" (write true '
        "or false without quotes)",
        'bank.toml:12: question "q" (#1), key "tags": item 2: expected non-empty text, got the integer 3',
    ]


def test_a_type_that_is_not_text_suggests_no_type_and_a_misspelt_bank_table_suggests_bank() -> None:
    # str(["choice"]) is close to "choice", but an array is not a misspelt type.
    with pytest.raises(BankError) as array:
        parse_bank(HEADER + '[[questions]]\nid = "q"\ntype = ["choice"]\nprompt = "p"\n', "bank.toml")
    assert [str(p) for p in array.value.problems] == [
        'bank.toml:8: question "q" (#1), key "type": expected one of card, choice, multi, truefalse, short, numeric, '
        "cloze, order, match, got an array"]
    with pytest.raises(BankError) as misspelt:
        parse_bank(HEADER.replace("[bank]", "[bnk]") + CARD.format(qid="q"), "bank.toml")
    assert [str(p) for p in misspelt.value.problems] == [
        "bank.toml: missing the [bank] table (with id, title and language)",
        'bank.toml:1: unknown top-level key "bnk"; did you mean [bank]?',
    ]


def test_questions_written_as_a_key_after_the_bank_header_say_where_they_belong() -> None:
    with pytest.raises(BankError) as caught:
        parse_bank(HEADER + 'questions = [{id = "q", type = "card", prompt = "p", back = "b"}]\n', "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        'bank.toml:6: [bank]: "questions" is a key of [bank] here: in TOML every key written after [bank] belongs '
        "to it; write each question as a [[questions]] table, or move `questions = [...]` above [bank]"]


def test_tables_inside_the_bank_table_are_found_on_their_own_header_line() -> None:
    with pytest.raises(BankError) as caught:
        parse_bank(HEADER + '[bank.extra]\nx = 1\n\n[[bank.questions]]\nid = "q"\ntype = "card"\n', "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        'bank.toml:6: [bank]: unknown key "extra"; allowed keys are id, title, language, description, authors, '
        "tags, source, fuzzy",
        'bank.toml:9: [bank]: "questions" is a key of [bank] here: in TOML every key written after [bank] belongs '
        "to it; write each question as a [[questions]] table, or move `questions = [...]` above [bank]"]


def test_questions_inside_the_bank_table_are_named_beside_real_questions_and_other_problems() -> None:
    with pytest.raises(BankError) as caught:
        parse_bank(HEADER.replace('title = ', 'titel = ') + 'questions = 1\n' + CARD.format(qid="q"), "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        'bank.toml:3: [bank]: unknown key "titel"; did you mean "title"?',
        'bank.toml:6: [bank]: "questions" is a key of [bank] here: in TOML every key written after [bank] belongs '
        "to it; write each question as a [[questions]] table, or move `questions = [...]` above [bank]"]


TWENTY_PROBLEMS = "".join(f'[[questions]]\nid = "q{n}"\ntype = "card"\nprompt = "p"\nback = 1\n\n' for n in range(20))


@pytest.mark.parametrize(("question", "rest"), [
    # One misspelt key resembling two missing ones stands for one of them, as when it is shown:
    # 'unknown key "answer_choices"; did you mean "choices"?' and 'missing required key "answer"'.
    ('id = "c"\ntype = "choice"\nprompt = "p"\nanswer_choices = ["a", "b"]\n', 2),
    # A key of another type is not a misspelling: 'unknown key "answers": type "short" has no "answers"
    # (it belongs to multi)' and 'missing required key "answer"'.
    ('id = "s"\ntype = "short"\nprompt = "p"\nanswers = ["a"]\n', 2),
    # Every unknown key of a question counts, not only its first.
    ('id = "c"\ntype = "card"\nprompt = "p"\nfoo = 1\nbar = 2\nback = "b"\n', 2),
])
def test_problems_beyond_the_twentieth_are_counted_as_if_they_were_shown(question: str, rest: int) -> None:
    with pytest.raises(BankError) as caught:
        parse_bank(HEADER + TWENTY_PROBLEMS + "[[questions]]\n" + question, "bank.toml")
    assert [str(p) for p in caught.value.problems][-1] == f"bank.toml: … and {rest} more problems"
    with pytest.raises(BankError) as shown:
        parse_bank(HEADER + "[[questions]]\n" + question, "bank.toml")
    assert len(shown.value.problems) == rest


def test_bank_problems_are_located_in_the_bank_table_wherever_it_is() -> None:
    # The [bank] table after the questions: its keys are looked for below its header, not in the
    # question that has a key of the same name or a line of text starting with "bank.".
    question = ('[[questions]]\nid = "q"\ntype = "card"\nprompt = "p"\n'
                'back = """\nbank. A river bank is its side.\n"""\nhint = "h"\n\n')
    with pytest.raises(BankError) as caught:
        parse_bank(question + HEADER.replace('title = "B"\n', "") + 'hint = "x"\n', "bank.toml")
    assert [str(p) for p in caught.value.problems] == [
        'bank.toml:10: [bank]: missing required key "title" (The bank\'s title, shown in quizzes and used as the Anki '
        "deck name.)",
        'bank.toml:14: [bank]: unknown key "hint"; allowed keys are id, title, language, description, authors, tags, '
        "source, fuzzy",
    ]


def test_top_level_problems_are_located_by_their_key_or_any_header_naming_them() -> None:
    # The last line is searched in its turn, not first.
    with pytest.raises(BankError) as last:
        parse_bank("questions = 7\n", "bank.toml")
    assert [str(p) for p in last.value.problems] == [
        "bank.toml: missing the [bank] table (with id, title and language)",
        "bank.toml:1: 'questions' must be an array of tables [[questions]], got the integer 7",
    ]
    # A [bank] written inline or as dotted keys: its problems are on its first line.
    with pytest.raises(BankError) as inline:
        parse_bank('bank = { id = "b", title = "", language = "ar" }\n\n' + CARD.format(qid="q"), "bank.toml")
    assert [str(p) for p in inline.value.problems] == [
        'bank.toml:1: [bank], key "title": expected non-empty text, got an empty string']
    with pytest.raises(BankError) as dotted_bank:
        parse_bank('questions = [{ id = "q", type = "card", prompt = "p", back = "b" }]\n'
                   'bank.id = "b"\nbank.language = "ar"\n', "bank.toml")
    assert [str(p) for p in dotted_bank.value.problems] == [
        'bank.toml:2: [bank]: missing required key "title" (The bank\'s title, shown in quizzes and used as the Anki '
        "deck name.)"]
    # A [bank] made only by the header of a table inside it, after a comment line.
    with pytest.raises(BankError) as inner:
        parse_bank('# notes\n[bank.extra]\nnote = "x"\n\n' + CARD.format(qid="q"), "bank.toml")
    assert [str(p) for p in inner.value.problems][:2] == [
        'bank.toml:2: [bank]: unknown key "extra"; allowed keys are id, title, language, description, authors, '
        "tags, source, fuzzy",
        'bank.toml:2: [bank]: missing required key "id" (The bank\'s identity, stable forever: progress and Anki '
        "notes hang on it.)"]
    # An unknown table named only by the header of a table inside it.
    with pytest.raises(BankError) as dotted:
        parse_bank(HEADER + CARD.format(qid="q") + "[extra.part]\nx = 1\n", "bank.toml")
    assert [str(p) for p in dotted.value.problems] == [
        'bank.toml:12: unknown top-level key "extra" (a bank has only [bank] and [[questions]])']
    # A key spelt with an escape is not found in the text: reported without a line.
    with pytest.raises(BankError) as escaped:
        parse_bank('"qu\\u0065stions" = 7\n"b\\u0061nk" = { id = "b", title = "", language = "ar" }\n', "bank.toml")
    assert [str(p) for p in escaped.value.problems] == [
        'bank.toml: [bank], key "title": expected non-empty text, got an empty string',
        "bank.toml: 'questions' must be an array of tables [[questions]], got the integer 7",
    ]
