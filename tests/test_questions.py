"""The question types as a teacher reads them back: `quizdeck show`, prompts, card counts, cloze text."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app
from quizdeck.questions import (
    COMMON_FIELDS,
    QUESTION_TYPES,
    TYPE_FIELDS,
    Card,
    Cloze,
    Deletion,
    Short,
    card_count,
    cloze_display,
    fields_for,
    format_number,
    parse_deletions,
    prompt_text,
    question_details,
)

from .conftest import BANKS

runner = CliRunner()


def _show(path: Path) -> list[str]:
    result = runner.invoke(app, ["show", "--rtl", "logical", str(path)])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_show_prints_every_type_with_its_answers() -> None:
    assert _show(BANKS / "all-types.toml") == [
        "Every question type  [all-types, en, 9 questions]",
        "One question of each type.",
        "",
        "capital-card (card)",
        "  prompt: Capital of France",
        "  back: Paris",
        "  reverse: yes",
        "  tags: geo",
        "",
        "largest-planet (choice)",
        "  prompt: Which planet is the largest?",
        "  choice:   Mars",
        "  choice: * Jupiter",
        "  choice:   Venus",
        "  choice:   Mercury",
        "  hint: It is a gas giant.",
        "  explanation: Jupiter is more than twice as massive as all the other planets together.",
        "",
        "primary-colours (multi)",
        "  prompt: Which of these are primary colours of light?",
        "  choice: * red",
        "  choice: * green",
        "  choice: * blue",
        "  choice:   yellow",
        "",
        "water-boils (truefalse)",
        "  prompt: At sea level, water boils at 100 degrees Celsius.",
        "  answer: true",
        "",
        "author-hamlet (short)",
        "  prompt: Who wrote Hamlet?",
        "  answer: William Shakespeare",
        "  also accepted: Shakespeare",
        "  tags: literature",
        "",
        "speed-of-light (numeric)",
        "  prompt: The speed of light, in thousands of km per second?",
        "  answer: 300 thousand km/s (± 1)",
        "",
        "planets-cloze (cloze)",
        "  text: The [...] is a star; the [satellite] orbits the Earth.",
        "  c1: Sun",
        "  c2: Moon",
        "",
        "planet-order (order)",
        "  prompt: Order these planets from the Sun outwards.",
        "  1: Mercury",
        "  2: Venus",
        "  3: Earth",
        "  4: Mars",
        "",
        "capitals-match (match)",
        "  prompt: Match each country to its capital.",
        "  pair: France -> Paris",
        "  pair: Italy -> Rome",
        "  pair: Spain -> Madrid",
        "",
    ]


MORE_KEYS = """\
[bank]
id = "more-keys"
title = "Keys a question may leave out or add"
language = "en"

[[questions]]
id = "pi"
type = "numeric"
prompt = "Pi to eight decimals?"
answer = 3.14159265
source = "A circle's circumference over its diameter."
image = "circle.png"
tags = ["maths", "circles"]

[[questions]]
id = "far"
type = "numeric"
prompt = "How far?"
answer = 2.5
unit = "km"
tolerance = 0.000001

[[questions]]
id = "big"
type = "numeric"
prompt = "A big number?"
answer = 1e20

[[questions]]
id = "moon-card"
type = "card"
prompt = "Earth's satellite"
back = "the Moon"

[[questions]]
id = "flat-earth"
type = "truefalse"
prompt = "The Earth is flat."
answer = false

[[questions]]
id = "author"
type = "short"
prompt = "Who wrote Hamlet?"
answer = "Shakespeare"
accept = ["William Shakespeare", "the Bard"]

[[questions]]
id = "sun-cloze"
type = "cloze"
prompt = "Fill in the blanks."
text = "The {{c1::Sun}} is a {{c2::star::a kind of body}}."
"""

# The smallest valid PNG: one transparent pixel.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4b00000000049454e44ae426082"
)


def test_show_prints_numbers_in_full_and_the_keys_a_question_may_add(tmp_path: Path) -> None:
    (tmp_path / "circle.png").write_bytes(PIXEL)
    bank = tmp_path / "more.toml"
    bank.write_text(MORE_KEYS, encoding="utf-8")
    assert _show(bank) == [
        "Keys a question may leave out or add  [more-keys, en, 7 questions]",
        "",
        "pi (numeric)",
        "  prompt: Pi to eight decimals?",
        "  answer: 3.14159265",  # every digit the teacher wrote
        "  source: A circle's circumference over its diameter.",
        "  image: circle.png",
        "  tags: maths, circles",
        "",
        "far (numeric)",
        "  prompt: How far?",
        "  answer: 2.5 km (± 0.000001)",
        "",
        "big (numeric)",
        "  prompt: A big number?",
        "  answer: 100000000000000000000",  # never 1e+20
        "",
        "moon-card (card)",
        "  prompt: Earth's satellite",
        "  back: the Moon",
        "",
        "flat-earth (truefalse)",
        "  prompt: The Earth is flat.",
        "  answer: false",
        "",
        "author (short)",
        "  prompt: Who wrote Hamlet?",
        "  answer: Shakespeare",
        "  also accepted: William Shakespeare | the Bard",
        "",
        "sun-cloze (cloze)",
        "  prompt: Fill in the blanks.",
        "  text: The [...] is a [a kind of body].",
        "  c1: Sun",
        "  c2: star",
        "",
    ]


def test_a_question_built_without_a_prompt_shows_no_prompt_line() -> None:
    assert question_details(Short(id="bare", answer="x")) == [("answer", "x")]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (300, "300"), (300.0, "300"), (-3.0, "-3"), (2.5, "2.5"), (-2.5, "-2.5"), (0.001, "0.001"),
        (0.00001, "0.00001"), (1e-7, "0.0000001"), (3.14159265, "3.14159265"), (1e20, "100000000000000000000"),
        (123456789.123, "123456789.123"), (float("inf"), "inf"),
    ],
)
def test_numbers_are_written_as_a_teacher_writes_them(value: float, text: str) -> None:
    assert format_number(value) == text
    if text != "inf":
        assert float(text) == value  # reads back as the same number


def test_the_prompt_a_student_reads_first() -> None:
    bank = load_bank(BANKS / "all-types.toml")
    by_id = {q.id: q for q in bank.questions}
    assert prompt_text(by_id["largest-planet"]) == "Which planet is the largest?"
    # A cloze without a prompt is its blanked text; with one, the prompt comes first.
    assert prompt_text(by_id["planets-cloze"]) == "The [...] is a star; the [satellite] orbits the Earth."
    text = "The {{c1::Sun}} is a star."
    with_prompt = Cloze(id="c", prompt="Fill in the blank.", text=text, deletions=parse_deletions(text))
    assert prompt_text(with_prompt) == "Fill in the blank.\nThe [...] is a star."


def test_cards_per_question() -> None:
    assert card_count(Card(id="c", prompt="front", back="back")) == 1
    assert card_count(Card(id="c", prompt="front", back="back", reverse=True)) == 2
    assert card_count(Short(id="s", prompt="?", answer="x")) == 1
    text = "{{c1::a}} {{c2::b}} {{c1::c}} {{c3::d}}"
    # One card per deletion number: a number used twice is one card.
    assert card_count(Cloze(id="z", text=text, deletions=parse_deletions(text))) == 3


def test_deletions_are_read_with_their_spaces_trimmed() -> None:
    assert parse_deletions("The {{c1:: Sun }} and {{c12:: Moon :: a satellite }}.") == (
        Deletion(1, "Sun"),
        Deletion(12, "Moon", "a satellite"),
    )
    assert parse_deletions("no deletion {{c1:}} here") == ()


def test_cloze_display_blanks_with_the_hint_or_the_blank_given() -> None:
    text = "The {{c1::Sun}} is a {{c2::star:: a kind of body }}."
    assert cloze_display(text) == "The [...] is a [a kind of body]."
    assert cloze_display(text, blank="____") == "The ____ is a [a kind of body]."
    assert cloze_display(text, reveal=True) == "The Sun is a star."
    assert cloze_display("{{c1:: padded }}", reveal=True) == "padded"
    assert cloze_display("{{c1::x:: }}") == "[...]"  # a blank hint is no hint


def test_every_type_takes_the_common_keys_first_then_its_own() -> None:
    for question_type in QUESTION_TYPES:
        fields = fields_for(question_type)
        assert [f.name for f in fields] == [f.name for f in COMMON_FIELDS] + [
            f.name for f in TYPE_FIELDS[question_type]
        ]
        prompt = next(f for f in fields if f.name == "prompt")
        # Only a cloze may leave its prompt out; the key is otherwise the same.
        assert prompt.required is (question_type != "cloze"), question_type
        assert (prompt.kind, prompt.doc) == ("text", COMMON_FIELDS[2].doc)
        assert [f for f in fields if f.name != "prompt"] == [
            f for f in COMMON_FIELDS + TYPE_FIELDS[question_type] if f.name != "prompt"
        ]
