"""`quizdeck list` and `quizdeck show` as a teacher sees them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from quizdeck.cli import app

from .conftest import BANKS

runner = CliRunner()


def test_list_shows_each_bank_with_counts_by_type(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", str(BANKS / "all-types.toml")])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"all-types  Every question type  [en]  9 questions  {BANKS / 'all-types.toml'}",
        "  card 1 · choice 1 · multi 1 · truefalse 1 · short 1 · numeric 1 · cloze 1 · order 1 · match 1",
    ]


def test_list_names_invalid_banks_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[bank]\n", encoding="utf-8")
    result = runner.invoke(app, ["list", str(bad), str(BANKS / "all-types.toml")])
    assert result.exit_code == 1
    assert f"quizdeck: error: {bad}: not a valid bank (" in result.stderr
    assert "all-types  Every question type" in result.stdout


def test_list_missing_path_is_a_usage_error() -> None:
    result = runner.invoke(app, ["list", "nowhere/"])
    assert result.exit_code == 2
    assert result.stderr == "quizdeck: error: nowhere: no such file or folder\n"


def test_list_of_a_folder_without_banks_says_so_and_fails(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a bank", encoding="utf-8")
    result = runner.invoke(app, ["list", str(tmp_path), str(BANKS / "all-types.toml")])
    assert result.exit_code == 1
    assert result.stderr == f"quizdeck: error: {tmp_path}: no *.toml bank files in this folder\n"
    assert "all-types  Every question type" in result.stdout


def test_show_one_question_with_its_answer() -> None:
    result = runner.invoke(app, ["show", str(BANKS / "all-types.toml"), "largest-planet"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "largest-planet (choice)"
    assert "  choice: * Jupiter" in lines
    assert "  choice:   Mars" in lines
    assert "  hint: It is a gas giant." in lines


def test_show_unknown_question_suggests_ids() -> None:
    result = runner.invoke(app, ["show", str(BANKS / "all-types.toml"), "largest"])
    assert result.exit_code == 2
    assert 'no question with id "largest"; did you mean "largest-planet"?' in result.stderr


def test_show_invalid_bank_prints_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[bank]\nid = "x"\ntitle = "t"\n', encoding="utf-8")
    result = runner.invoke(app, ["show", str(bad)])
    assert result.exit_code == 1
    assert "missing required key \"language\"" in result.stderr
    assert "the bank has no questions" in result.stderr


def test_list_shows_arabic_titles_in_visual_mode(tmp_path: Path) -> None:
    # A terminal without bidi (kitty, Windows Terminal) showed Arabic titles backwards and
    # unjoined, and `list` had no --rtl to fix it.
    from quizdeck import rtl

    bank = tmp_path / "ar.toml"
    bank.write_text(
        '[bank]\nid = "ar"\ntitle = "التحالف الدولي"\nlanguage = "ar"\n\n'
        '[[questions]]\nid = "q"\ntype = "truefalse"\nprompt = "صحيح؟"\nanswer = true\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["list", str(bank), "--rtl", "visual"])
    assert result.exit_code == 0
    title = rtl.display_text("التحالف الدولي", "ltr", "visual", 100)
    assert title != "التحالف الدولي"
    assert result.stdout.splitlines()[0] == f"{rtl.BIDI_OFF}ar  {title}  [ar]  1 question  {bank}"
    assert result.stdout.endswith(rtl.BIDI_RESTORE)
    logical = runner.invoke(app, ["list", str(bank), "--rtl", "logical"])
    assert logical.stdout.splitlines()[0] == f"ar  التحالف الدولي  [ar]  1 question  {bank}"
