"""`quizdeck print` through the CLI: files written, formats, keys apart, and one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app
from quizdeck.exam import build_exam, read_images, render_html, render_markdown

from .conftest import BANKS

runner = CliRunner()
ARABIC_BANK = BANKS / "exam-arabic.toml"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["print", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_html_to_stdout_holds_each_version_in_its_seeded_order(all_types_bank: Path) -> None:
    code, out, err = run(str(all_types_bank), "--versions", "2", "--seed", "4")
    assert (code, err) == (0, "")
    assert out.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    assert out.endswith("</html>\n")
    version_a = ["planet-order", "largest-planet", "speed-of-light", "primary-colours", "capital-card",
                 "planets-cloze", "water-boils", "capitals-match", "author-hamlet"]
    version_b = ["author-hamlet", "capitals-match", "primary-colours", "planet-order", "largest-planet",
                 "water-boils", "speed-of-light", "capital-card", "planets-cloze"]
    found = re.findall(r'class="version">([^<]*)<|data-id="([^"]*)"', out)
    assert [heading or qid for heading, qid in found] == [
        "Version A", *version_a, "Version B", *version_b,
        "Answer key — Version A", *version_a, "Answer key — Version B", *version_b,
    ]
    # The same exam as the library builds: the command adds nothing of its own.
    exam = build_exam(load_bank(all_types_bank), versions=2, seed=4)
    assert out == render_html(exam, images=read_images(exam))


def test_the_same_command_writes_the_same_bytes(tmp_path: Path) -> None:
    for name in ("one.html", "two.html"):
        code, out, _ = run(str(ARABIC_BANK), "--versions", "3", "--seed", "11", "--limit", "5",
                           "-o", str(tmp_path / name))
        assert code == 0
        key = tmp_path / name.replace(".html", "-key.html")
        keys = f"answer keys in {key} and {key.with_suffix('.csv')}"
        assert out == f"{tmp_path / name}: 3 versions of 5 questions, {keys}\n"
    for suffix in (".html", "-key.html", "-key.csv"):
        assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes()
    code, _, _ = run(str(ARABIC_BANK), "--versions", "3", "--seed", "12", "--limit", "5",
                     "-o", str(tmp_path / "three.html"))
    assert (tmp_path / "one.html").read_bytes() != (tmp_path / "three.html").read_bytes()


def test_markdown_format_from_the_option_or_the_file_suffix(tmp_path: Path, all_types_bank: Path) -> None:
    exam = build_exam(load_bank(all_types_bank), versions=2)
    code, out, _ = run(str(all_types_bank), "--versions", "2", "--format", "md")
    assert code == 0
    assert out.startswith("# Every question type\n\n**Version A**\n")
    target = tmp_path / "exam.md"
    code, _, _ = run(str(all_types_bank), "--versions", "2", "-o", str(target))
    assert code == 0
    # Written beside a different folder, links to the bank's images are made relative to it.
    assert target.read_text(encoding="utf-8").startswith("# Every question type\n\n**Version A**\n")
    assert target.read_text(encoding="utf-8") == render_markdown(exam, image_prefix=_relative(all_types_bank,
                                                                                              tmp_path), keys=False)
    assert (tmp_path / "exam-key.md").read_text(encoding="utf-8").startswith("# Every question type\n\n## Answer key")


def _relative(bank: Path, folder: Path) -> str:
    from quizdeck.exam import image_prefix_for

    return image_prefix_for(bank.parent, folder)


def test_keys_in_a_separate_file(tmp_path: Path) -> None:
    papers, key = tmp_path / "exam.html", tmp_path / "key.html"
    code, out, _ = run(str(ARABIC_BANK), "--versions", "2", "-o", str(papers), "--key", str(key))
    assert code == 0
    assert out == f"{papers}: 2 versions of 9 questions, answer keys in {key} and {tmp_path / 'key.csv'}\n"
    paper_text, key_text = papers.read_text(encoding="utf-8"), key.read_text(encoding="utf-8")
    assert 'class="paper"' in paper_text and "مفتاح الإجابة" not in paper_text
    assert 'class="paper"' not in key_text
    assert key_text.count('<section class="key"') == 2
    assert "مفتاح الإجابة — النموذج أ" in key_text and "مفتاح الإجابة — النموذج ب" in key_text


def test_no_key(tmp_path: Path, all_types_bank: Path) -> None:
    code, out, _ = run(str(all_types_bank), "--no-key", "--format", "md")
    assert code == 0 and "Answer key" not in out and "**Version A**" in out


def test_letter_paper(all_types_bank: Path) -> None:
    code, out, _ = run(str(all_types_bank), "--paper", "letter")
    assert code == 0 and "@page { size: letter;" in out


def test_tag_and_limit(all_types_bank: Path) -> None:
    code, out, _ = run(str(ARABIC_BANK), "--tag", "short-exam", "--format", "md", "--no-key")
    assert code == 0
    assert re.findall(r"^(\d+)\. ", out, re.MULTILINE) == ["1", "2", "3"]  # top-level: the questions
    assert {"victory-year", "sleeper-cells", "names-match"} == {
        q.id for q in load_bank(ARABIC_BANK).with_tag("short-exam")}
    code, out, _ = run(str(all_types_bank), "--limit", "2", "--format", "md", "--no-key", "--versions", "2")
    assert code == 0
    assert re.findall(r"^(\d+)\. ", out, re.MULTILINE) == ["1", "2"] * 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.toml"], 1, "quizdeck: error: missing.toml: no such file\n"),
        ([str(BANKS / "all-types.toml"), "--tag", "nope"], 2,
         f"quizdeck: error: {BANKS / 'all-types.toml'}: no question has the tag \"nope\"; "
         "tags in this bank: demo, geo, literature\n"),
        ([str(BANKS / "all-types.toml"), "--key", "k.html", "--no-key"], 2,
         "quizdeck: error: --key and --no-key cannot be used together\n"),
        ([str(BANKS / "all-types.toml"), "-o", str(BANKS / "all-types.toml")], 2,
         f"quizdeck: error: {BANKS / 'all-types.toml'}: that is the bank itself; write to another file\n"),
        ([str(BANKS / "all-types.toml"), "-o", "/nonexistent-folder/exam.html"], 2,
         "quizdeck: error: /nonexistent-folder/exam.html: the folder /nonexistent-folder does not exist\n"),
        # These used to write HTML into exam.pdf (no PDF reader opens it) and exam.docx.
        ([str(BANKS / "all-types.toml"), "-o", "/nonexistent-folder/exam.pdf"], 2,
         "quizdeck: error: /nonexistent-folder/exam.pdf: print writes HTML or Markdown, not PDF; write "
         "/nonexistent-folder/exam.html, open it in a browser and print it (or save it as PDF)\n"),
        ([str(BANKS / "all-types.toml"), "-o", "/nonexistent-folder/exam.docx"], 2,
         'quizdeck: error: /nonexistent-folder/exam.docx: cannot tell the format from the suffix ".docx"; end the '
         "name in .html or .md, or give --format html|md\n"),
    ],
)
def test_mistakes_are_one_line(args: list[str], code: int, message: str) -> None:
    assert run(*args) == (code, "", message)


def test_key_and_output_must_differ(tmp_path: Path, all_types_bank: Path) -> None:
    same = str(tmp_path / "x.html")
    assert run(str(all_types_bank), "-o", same, "--key", same) == (
        2, "", f"quizdeck: error: {same}: -o and --key name the same file; give the key its own file\n")


@pytest.mark.parametrize("versions", ["0", "27"])
def test_versions_out_of_range(versions: str, all_types_bank: Path) -> None:
    code, out, err = run(str(all_types_bank), "--versions", versions)
    assert code == 2 and out == ""
    assert "Invalid value for '--versions'" in err


def test_bad_bank_is_reported_not_printed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[bank]\nid = "x"\ntitle = "t"\nlanguage = "en"\n[[questions]]\nid = "q"\ntype = "choice"\n'
                   'prompt = "p"\nchoices = ["a", "b"]\nanswer = "c"\n', encoding="utf-8")
    code, out, err = run(str(bad))
    assert (code, out) == (1, "")
    assert err.startswith(f"quizdeck: error: {bad}:10: question \"q\" (#1), key \"answer\": ")
