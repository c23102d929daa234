"""`quizdeck check` through the CLI: exact messages and exit codes for every malformed bank."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.cli import app

from .conftest import BANKS, ROOT

MALFORMED = Path(__file__).resolve().parent / "malformed"
CASES = sorted(MALFORMED.glob("*.toml"))

runner = CliRunner()


def check(*args: str) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_malformed_bank_gives_its_exact_messages(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    code, lines = check(str(case.relative_to(ROOT)))
    assert lines[:-1] == expected
    valid = all(": ok (" in line for line in expected)
    assert code == (0 if valid else 1)
    assert lines[-1] == ("1 bank checked: 1 valid" if valid else
                         f"1 bank checked: 0 valid, 1 with {len(expected)} problem{'s' if len(expected) > 1 else ''}")


def test_every_problem_in_every_file_in_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, lines = check("tests/malformed/wrong-types.toml", "tests/malformed/duplicate-ids.toml",
                        "tests/banks/all-types.toml")
    assert code == 1
    assert sum(line.startswith("tests/malformed/wrong-types.toml:") for line in lines) == 8
    assert sum(line.startswith("tests/malformed/duplicate-ids.toml:") for line in lines) == 1
    assert "tests/banks/all-types.toml: ok (9 questions)" in lines
    assert lines[-1] == "3 banks checked: 1 valid, 2 with 9 problems"


def test_folder_is_searched_for_banks(tmp_path: Path) -> None:
    nested = tmp_path / "unit-1"
    nested.mkdir()
    (nested / "bank.toml").write_bytes((BANKS / "all-types.toml").read_bytes())
    (tmp_path / "notes.txt").write_text("not a bank")
    code, lines = check(str(tmp_path))
    assert code == 0
    assert lines == [f"{nested / 'bank.toml'}: ok (9 questions)", "1 bank checked: 1 valid"]


def test_folder_without_banks_is_reported(tmp_path: Path) -> None:
    code, lines = check(str(tmp_path))
    assert code == 1
    assert lines == [f"{tmp_path}: no *.toml bank files in this folder"]


def test_missing_path_is_a_usage_error_and_the_rest_is_still_checked() -> None:
    code, lines = check("no/such/bank.toml", str(BANKS / "all-types.toml"))
    assert code == 2
    assert lines[0] == "no/such/bank.toml: no such file or folder"
    assert lines[-1] == "1 bank checked: 1 valid"


def test_no_arguments_is_a_usage_error() -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root (as CI runs) reads any file whatever its mode, so the refusal is made by the reader
    # itself, as the operating system gives it to a user without permission.
    bank = tmp_path / "locked.toml"
    bank.write_text("[bank]\n")
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path == bank:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    code, lines = check(str(bank))
    assert code == 1
    assert lines == [f"{bank}: permission denied: the file cannot be read", "1 bank checked: 0 valid, 1 with 1 problem"]


def test_a_file_the_system_fails_to_read_is_reported(tmp_path: Path) -> None:
    # A real read failure that happens as root too: the kernel refuses to read this process's
    # memory at offset 0 (EIO).
    code, lines = check("/proc/self/mem")
    assert code == 1
    assert lines == ["/proc/self/mem: cannot be read: Input/output error", "1 bank checked: 0 valid, 1 with 1 problem"]


def test_unreadable_file_as_root_via_a_fifo_like_path(tmp_path: Path) -> None:
    # A dangling symlink cannot be read by anyone, root included.
    bank = tmp_path / "dangling.toml"
    bank.symlink_to(tmp_path / "gone.toml")
    code, lines = check(str(bank))
    assert code == 1
    assert lines[0] == f"{bank}: no such file"


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    bank = tmp_path / "huge.toml"
    with bank.open("wb") as handle:  # sparse: large on paper, nothing written
        handle.truncate(65 * 1024 * 1024)
    code, lines = check(str(bank))
    assert code == 1
    assert lines[0] == f"{bank}: file is too large (65 MB; the limit is 64 MB): split it into several banks"


def test_bundled_banks_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    if not list((ROOT / "quizzes").glob("*.toml")):
        pytest.skip("no bundled banks yet")
    code, lines = check("quizzes")
    assert code == 0, lines
