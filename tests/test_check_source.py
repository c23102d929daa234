"""`quizdeck check --source`: quotes checked against a text, through the CLI, as an author sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.cli import app

runner = CliRunner()

TEXT = (
    "كان داعش في كل مكان، بما في ذلك نينوى وديالى.\n"
    "وهذا ليس بهذه البساطة ـ ممّا يجعل الانسحاب غير مجدٍ.\n"
    "وأعلنوا النصر على داعش في عام 2017.\n"
)


def bank_text(*questions: tuple[str, str | None]) -> str:
    """A bank of true/false questions with these (id, source) pairs; None: no source."""
    body = "".join(
        f'\n[[questions]]\nid = "{qid}"\ntype = "truefalse"\nprompt = "وفقاً للنص؟"\nanswer = true\n'
        + (f'source = "{source}"\n' if source is not None else "")
        for qid, source in questions
    )
    return f'[bank]\nid = "demo"\ntitle = "تجربة"\nlanguage = "ar"\n{body}'


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the text as article.txt; the tests run in it, so paths print short."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def write(name: str, *questions: tuple[str, str | None]) -> str:
    Path(name).write_text(bank_text(*questions), encoding="utf-8")
    return name


def check(*args: str) -> tuple[int, list[str], str]:
    result = runner.invoke(app, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout.splitlines(), result.stderr


GOOD = (
    ("places", "بما في ذلك نينوى وديالى"),
    ("withdrawal", "ممّا يجعل الانسحاب غير مجدٍ"),
    ("victory-year", "وأعلنوا النصر على داعش في عام 2017."),
)


def test_every_quote_found_in_every_paragraph(files: Path) -> None:
    code, lines, _ = check(write("bank.toml", *GOOD), "--source", "article.txt")
    assert code == 0
    assert lines == [
        "bank.toml: ok (3 questions)",
        "bank.toml: sources: 3 quotes found in 3 paragraphs; paragraphs without a question: none",
        "1 bank checked: 1 valid",
    ]


def test_verbose_names_each_questions_paragraph(files: Path) -> None:
    code, lines, _ = check(write("bank.toml", *GOOD), "--source", "article.txt", "--verbose")
    assert code == 0
    assert lines[:4] == [
        "bank.toml: ok (3 questions)",
        "  places: paragraph 1",
        "  withdrawal: paragraph 2",
        "  victory-year: paragraph 3",
    ]


def test_whitespace_differences_are_not_reported(files: Path) -> None:
    bank = write("bank.toml", ("places", "بما في  ذلك\\nنينوى   وديالى"), *GOOD[1:])
    code, lines, _ = check(bank, "--source", "article.txt", "--strict")
    assert code == 0
    assert lines[1].startswith("bank.toml: sources: 3 quotes found in 3 paragraphs;")


def test_a_missing_quote_fails_the_check(files: Path) -> None:
    bank = write("bank.toml", GOOD[0], GOOD[1], ("victory-year", "وأعلنوا النصر على داعش في عام 2014."))
    code, lines, _ = check(bank, "--source", "article.txt")
    assert code == 1
    assert lines == [
        "bank.toml: ok (3 questions)",
        'bank.toml: question "victory-year" (#3), key "source": quote not found in article.txt: '
        'its first 6 words match paragraph 3, then the text has "2017." where the quote has "2014."',
        "bank.toml: warning: paragraph 3 of article.txt has no question",
        "bank.toml: sources: 2 quotes found in 2 paragraphs, 1 not found; "
        "paragraphs without a question: 3",
        "1 bank checked: 1 valid; 1 quote not found; 1 warning",
    ]


def test_harakat_only_difference_is_a_warning_that_strict_fails(files: Path) -> None:
    bank = write("bank.toml", GOOD[0], ("withdrawal", "مما يجعل الانسحاب غير مجد"), GOOD[2])
    code, lines, _ = check(bank, "--source", "article.txt")
    assert code == 0
    assert lines == [
        "bank.toml: ok (3 questions)",
        'bank.toml: warning: question "withdrawal" (#2), key "source": quote differs from the text '
        'in harakat only: the text has "ممّا" where the quote has "مما"; the text has "مجدٍ" '
        'where the quote has "مجد"',
        "bank.toml: sources: 3 quotes found in 3 paragraphs (1 not verbatim); "
        "paragraphs without a question: none",
        "1 bank checked: 1 valid; 1 warning",
    ]
    code, lines, _ = check(bank, "--source", "article.txt", "--strict")
    assert code == 1
    assert lines[-1] == "1 bank checked: 1 valid; 1 warning (failing: --strict)"


def test_verbose_marks_quotes_that_are_not_verbatim(files: Path) -> None:
    bank = write("bank.toml", GOOD[0], ("withdrawal", "ليس بهذه البساطة ممّا"), ("extra", None))
    code, lines, _ = check(bank, "--source", "article.txt", "-v")
    assert code == 0
    assert lines[1:4] == ["  places: paragraph 1", "  withdrawal: paragraph 2 (not verbatim)",
                          "  extra: no source"]
    assert 'quote differs from the text in tatweel only: the text has "ـ" where the quote has nothing' in lines[4]


def test_questions_without_source_and_uncovered_paragraphs_are_warnings(files: Path) -> None:
    code, lines, _ = check(write("bank.toml", GOOD[0], ("opinion", None)), "--source", "article.txt")
    assert code == 0
    assert lines == [
        "bank.toml: ok (2 questions)",
        'bank.toml: warning: question "opinion" (#2), key "source": no source quote; add source = '
        '"..." with the sentence of the text the question comes from',
        "bank.toml: warning: paragraphs 2 and 3 of article.txt have no question",
        "bank.toml: sources: 1 quote found in 1 paragraph, 1 question without a source; "
        "paragraphs without a question: 2, 3",
        "1 bank checked: 1 valid; 2 warnings",
    ]
    code, _, _ = check("bank.toml", "--source", "article.txt", "--strict")
    assert code == 1


def test_each_bank_is_reported_on_its_own(files: Path) -> None:
    write("a.toml", *GOOD)
    write("b.toml", GOOD[0])
    code, lines, _ = check("a.toml", "b.toml", "--source", "article.txt")
    assert code == 0
    assert lines == [
        "a.toml: ok (3 questions)",
        "a.toml: sources: 3 quotes found in 3 paragraphs; paragraphs without a question: none",
        "b.toml: ok (1 question)",
        "b.toml: warning: paragraphs 2 and 3 of article.txt have no question",
        "b.toml: sources: 1 quote found in 1 paragraph; paragraphs without a question: 2, 3",
        "2 banks checked: 2 valid; 1 warning",
    ]


def test_an_invalid_bank_is_reported_as_before_without_sources(files: Path) -> None:
    Path("broken.toml").write_text(bank_text(*GOOD).replace("answer = true", "answer = 1", 1), encoding="utf-8")
    code, lines, _ = check("broken.toml", "--source", "article.txt")
    assert code == 1
    assert lines == [
        'broken.toml:10: question "places" (#1), key "answer": expected true or false, got the integer 1',
        "1 bank checked: 0 valid, 1 with 1 problem",
    ]


def test_blank_line_paragraphs(files: Path) -> None:
    Path("wrapped.txt").write_text("كان داعش في كل مكان،\nبما في ذلك نينوى وديالى.\n\nوأعلنوا النصر.\n",
                                   encoding="utf-8")
    bank = write("bank.toml", ("places", "مكان، بما في ذلك"), ("victory", "وأعلنوا النصر."))
    code, lines, _ = check(bank, "--source", "wrapped.txt", "-v")
    assert code == 0
    assert lines[1:3] == ["  places: paragraph 1", "  victory: paragraph 2"]
    code, lines, _ = check(bank, "--source", "wrapped.txt", "-v", "--paragraphs", "lines")
    assert lines[1:3] == ["  places: paragraphs 1 to 2", "  victory: paragraph 3"]


def test_without_source_the_check_is_unchanged(files: Path) -> None:
    code, lines, _ = check(write("bank.toml", ("opinion", None)))
    assert code == 0
    assert lines == ["bank.toml: ok (1 question)", "1 bank checked: 1 valid"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (None, "quizdeck: error: source text article.txt: no such file"),
        (b"\xd9\x83\xd8\xa7\xd9\x86 \xe9t\xe9\n", "quizdeck: error: source text article.txt:1:8: "
                                                  "not UTF-8 text (byte 0xe9); save the file as UTF-8"),
        (b"", "quizdeck: error: source text article.txt: the file is empty; "
              "it needs the text the bank quotes from"),
    ],
    ids=["missing", "not-utf8", "empty"],
)
def test_a_bad_source_file_is_a_usage_error(files: Path, setup: bytes | None, message: str) -> None:
    if setup is None:
        Path("article.txt").unlink()
    else:
        Path("article.txt").write_bytes(setup)
    code, lines, stderr = check(write("bank.toml", *GOOD), "--source", "article.txt")
    assert code == 2
    assert lines == []
    assert stderr.splitlines() == [message]


def test_verbose_without_source_is_a_usage_error(files: Path) -> None:
    code, _, stderr = check(write("bank.toml", *GOOD), "--verbose")
    assert code == 2
    assert stderr.splitlines() == [
        "quizdeck: error: --verbose lists the paragraph of each question's quote: give the text "
        "with --source"
    ]


def test_a_missing_bank_path_still_exits_2_with_source(files: Path) -> None:
    code, lines, _ = check("nope.toml", write("bank.toml", *GOOD), "--source", "article.txt")
    assert code == 2
    assert lines[0] == "nope.toml: no such file or folder"
    assert lines[-1] == "1 bank checked: 1 valid"
