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
