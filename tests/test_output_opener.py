"""The one output opener: no command writes over its own input, and no file is left half written."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck import files
from quizdeck.cli import app
from quizdeck.files import FileError, write_text

from .conftest import BANKS


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "b.toml"
    shutil.copy(BANKS / "all-types.toml", path)
    return path


def sheet_for(tmp_path: Path) -> Path:
    sheet = tmp_path / "ali.toml"
    sheet.write_text('largest-planet = "Jupiter"\n', encoding="utf-8")
    return sheet


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("command", [
    ["export", "{bank}", "--format", "gift", "-o", "{target}"],
    ["export", "{bank}", "--format", "csv", "-o", "{target}"],
    ["print", "{bank}", "--format", "md", "-o", "{target}"],
    ["take", "{bank}", "--answers", "{sheet}", "--json", "{target}"],
    ["grade", "{bank}", "{sheet}", "--csv", "{target}"],
    ["grade", "{bank}", "{sheet}", "--json", "{target}"],
], ids=lambda c: f"{c[0]}-{c[-2]}-{c[-3]}")
def test_no_command_writes_over_the_bank(bank: Path, tmp_path: Path, command: list[str], link: str) -> None:
    sheet = sheet_for(tmp_path)
    target = bank
    if link == "symlink":
        target = tmp_path / "link.toml"
        target.symlink_to(bank)
    elif link == "hardlink":
        target = tmp_path / "hard.toml"
        os.link(bank, target)
    before = bank.read_bytes()
    args = [part.format(bank=bank, sheet=sheet, target=target) for part in command]
    code, shown = run(*args)
    assert code == 2, shown
    # Refused before any work: no quiz asked, no class graded, no export's notes printed.
    assert shown.startswith(f"quizdeck: error: {target}: that is "), shown
    assert shown.endswith("; write to another file\n")
    assert bank.read_bytes() == before


def test_grade_never_writes_over_a_sheet(bank: Path, tmp_path: Path) -> None:
    sheet = sheet_for(tmp_path)
    before = sheet.read_bytes()
    code, shown = run("grade", str(bank), str(sheet), "--csv", str(sheet))
    assert code == 2
    assert shown.endswith(f"quizdeck: error: {sheet}: that is an input of this command; write to another file\n")
    assert sheet.read_bytes() == before


def test_import_never_writes_over_its_source(tmp_path: Path) -> None:
    source = tmp_path / "cards.csv"
    source.write_text("front,back\ncat,قطة\n", encoding="utf-8")
    code, shown = run("import", str(source), "-o", str(source), "--force", "--language", "ar")
    assert code == 2, shown
    assert "that is an input of this command" in shown
    assert source.read_text(encoding="utf-8") == "front,back\ncat,قطة\n"


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")

    def killed(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", killed)
    with pytest.raises(FileError, match=r"out\.txt: cannot be written: No space left on device"):
        write_text(target, "new\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_writing_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_new_file_gets_the_usual_permissions_and_no_clobber_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    write_text(target, "x", overwrite=False)
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    with pytest.raises(FileError, match="already exists; pass --force"):
        write_text(target, "y", overwrite=False)
    assert target.read_text(encoding="utf-8") == "x"


# Writing a user's file any other way would skip the guarantees above; a scratch file in a
# temporary folder (anki.py and apkg.py read a package's collection there) is the one exception.
SRC = Path(__file__).parent.parent / "src" / "quizdeck"
WRITES = re.compile(r"\.write_(text|bytes)\(|open\([^)]*[\"'][wax]b?\+?[\"']|csv\.writer\(|json\.dump\(|os\.replace\(")
SCRATCH = {("anki.py", 'db_path.write_bytes(archive.read("collection.anki2"))'),
           ("apkg.py", "path.write_bytes(collection)")}


@pytest.mark.parametrize("module", sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")))
def test_files_are_written_only_through_the_output_opener(module: str) -> None:
    if module in ("files.py", "cells.py"):
        return
    lines = (SRC / module).read_text(encoding="utf-8").splitlines()
    offending = [line.strip() for line in lines
                 if WRITES.search(line) and (Path(module).name, line.strip()) not in SCRATCH]
    assert offending == [], f"{module} writes a file without quizdeck.files / quizdeck.cells: {offending}"
