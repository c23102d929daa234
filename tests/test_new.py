"""`quizdeck new`: the scaffolded bank loads, passes `check`, and explains every key."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app
from quizdeck.errors import UsageError
from quizdeck.questions import BANK_FIELDS, COMMON_FIELDS, QUESTION_TYPES, TYPE_FIELDS
from quizdeck.scaffold import bank_template, slugify, toml_value

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

runner = CliRunner()
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


def new(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["new", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("language", "direction"), [
    ("ar", "rtl"), ("en", "ltr"), ("he", "rtl"), ("fa", "rtl"), ("en-GB", "ltr"), ("fr", "ltr"), ("ur", "rtl"),
])
def test_new_bank_passes_check_as_written(tmp_path: Path, language: str, direction: str) -> None:
    path = tmp_path / "My History Quiz.toml"
    code, out, err = new(str(path), "--title", "Quiz: \"one\" \\ two", "--language", language)
    assert (code, err) == (0, "")
    assert out == (f"{path}: new bank \"my-history-quiz\" ({direction}) with 9 example questions, one of each "
                   f"type. Edit them, then run: quizdeck check '{path}'\n")  # quoted: it holds spaces
    check = runner.invoke(app, ["check", str(path)])
    assert check.exit_code == 0, check.output
    assert check.output.splitlines()[0] == f"{path}: ok (9 questions)"
    bank = load_bank(path)
    assert (bank.id, bank.title, bank.language, bank.direction) == (
        "my-history-quiz", 'Quiz: "one" \\ two', language, direction)
    assert [q.type for q in bank.questions] == list(QUESTION_TYPES)
    # Examples are in the direction's language: Arabic prompts right to left, English otherwise.
    prompts = " ".join(q.prompt or getattr(q, "text", "") for q in bank.questions)
    assert bool(ARABIC_LETTER.search(prompts)) == (direction == "rtl")
    if direction == "ltr":
        assert "Which planet is the largest?" in prompts


def test_every_key_of_the_format_is_explained() -> None:
    text = bank_template("quiz.toml", title="t", language="en")
    lines = text.splitlines()
    for field in BANK_FIELDS:
        assert any(re.match(rf"^(# )?{field.name} = ", line) for line in lines), field.name
    for field in COMMON_FIELDS:
        assert any(re.match(rf"^#   {field.name} ", line) for line in lines), field.name
    for question_type, fields in TYPE_FIELDS.items():
        section = text.split(f'type = "{question_type}"', 1)[1].split("[[questions]]", 1)[0]
        note = text.split(f'type = "{question_type}"', 1)[0].rsplit("[[questions]]", 1)[0]
        assert note.rstrip().splitlines()[-1].startswith("#"), f"no comment before the {question_type} example"
        for field in fields:
            assert re.search(rf"^(# )?{field.name} = ", section, re.MULTILINE), (question_type, field.name)
            assert f"`{field.name}" in note.split("\n\n")[-1], (question_type, field.name)
    assert "docs/bank-format.md" in text
    assert text.startswith("# A quizdeck question bank.")


def test_examples_are_short_and_correct() -> None:
    bank_text = bank_template("quiz.toml", title="t", language="ar")
    data = tomllib.loads(bank_text)
    by_type = {q["type"]: q for q in data["questions"]}
    assert by_type["choice"]["answer"] == "المشتري"
    assert by_type["order"]["items"] == ["عطارد", "الزهرة", "الأرض", "المريخ"]
    assert by_type["numeric"]["answer"] == 384
    assert all(len(q.get("prompt", q.get("text", ""))) < 100 for q in data["questions"])


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "quiz.toml"
    path.write_text("precious", encoding="utf-8")
    assert new(str(path), "--title", "t", "--language", "en") == (
        2, "", f"quizdeck: error: {path}: already exists; pass --force to overwrite it\n")
    assert path.read_text(encoding="utf-8") == "precious"
    code, _, _ = new(str(path), "--title", "t", "--language", "en", "--force")
    assert code == 0
    assert load_bank(path).id == "quiz"


def test_id_option_and_slugs(tmp_path: Path) -> None:
    code, _, _ = new(str(tmp_path / "x.toml"), "--title", "t", "--language", "en", "--id", "world-capitals")
    assert code == 0 and load_bank(tmp_path / "x.toml").id == "world-capitals"
    assert slugify("Géographie 2e année") == "geographie-2e-annee"
    assert slugify("__History__of--Iraq") == "history-of-iraq"
    assert slugify("تاريخ") == ""


@pytest.mark.parametrize(("name", "args", "message"), [
    ("تاريخ.toml", ["--title", "t", "--language", "ar"],
     "تاريخ.toml: no id can be made from this file name; give one with --id, like --id history-quiz"),
    ("quiz.toml", ["--title", "t", "--language", "en", "--id", "Bad Id"],
     "--id \"Bad Id\" is not a valid id: use lowercase letters, digits and single '-' between them "
     "(like \"history-quiz\")"),
    ("quiz.toml", ["--title", "t", "--language", "arabic!"],
     "--language \"arabic!\" is not a BCP 47 language tag; use one like \"ar\" or \"en-GB\""),
    ("quiz.toml", ["--title", "  ", "--language", "en"], "--title must not be empty"),
])
def test_mistakes(tmp_path: Path, name: str, args: list[str], message: str) -> None:
    path = tmp_path / name
    if message.startswith(name):
        message = f"{path.name}{message[len(name):]}"
    assert new(str(path), *args) == (2, "", f"quizdeck: error: {message}\n")
    assert not path.exists()


def test_file_name_must_end_in_toml(tmp_path: Path) -> None:
    path = tmp_path / "quiz.txt"
    assert new(str(path), "--title", "t", "--language", "en") == (
        2, "", f"quizdeck: error: {path}: bank files end in .toml (`check` and `list` look for *.toml)\n")
    missing = tmp_path / "no" / "quiz.toml"
    assert new(str(missing), "--title", "t", "--language", "en") == (
        2, "", f"quizdeck: error: {missing}: the folder {missing.parent} does not exist\n")


def test_bank_template_rejects_what_check_would() -> None:
    with pytest.raises(UsageError):
        bank_template("quiz.toml", title="t", language="e")


@given(st.text())
def test_toml_strings_round_trip(value: str) -> None:
    assert tomllib.loads(f"x = {toml_value(value)}")["x"] == value
