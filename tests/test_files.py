"""Reading and writing user files: one message for each way it fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizdeck.files import FileError, read_text, write_text


def test_read_text_drops_a_bom_and_reports_bad_bytes_with_their_position(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes(b"\xef\xbb\xbfsalam\n")
    assert read_text(good, limit=100) == "salam\n"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\nCaf\xe9\n")
    with pytest.raises(FileError) as caught:
        read_text(bad, limit=100)
    assert str(caught.value) == f"{bad}:2:4: not UTF-8 text (byte 0xe9); save the file as UTF-8"


def test_read_text_refuses_large_files_and_folders(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(FileError, match=r"file is too large \(3 MB; the limit is 2 MB\): split it$"):
        read_text(big, limit=2 * 1024 * 1024, too_large_hint=": split it")
    with pytest.raises(FileError, match="is a folder; give the text"):
        read_text(tmp_path, limit=100, folder_hint="give the text")


def test_write_text_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text(target, "one\n", overwrite=False)
    with pytest.raises(FileError, match="already exists; pass --force to overwrite it"):
        write_text(target, "two\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "one\n"
    write_text(target, "two\n")
    assert target.read_text(encoding="utf-8") == "two\n"


def test_write_text_names_a_missing_folder_or_a_folder_in_the_way(tmp_path: Path) -> None:
    with pytest.raises(FileError) as caught:
        write_text(tmp_path / "nowhere" / "out.txt", "x")
    assert str(caught.value) == f"{tmp_path / 'nowhere' / 'out.txt'}: the folder {tmp_path / 'nowhere'} does not exist"
    with pytest.raises(FileError, match="is a folder; give a file name"):
        write_text(tmp_path, "x")


def test_write_text_bom_for_spreadsheets_and_dash_for_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    write_text(target, "أ,ب\n", bom=True)
    assert target.read_bytes() == b"\xef\xbb\xbf" + "أ,ب\n".encode()
    write_text("-", "أ,ب\n", bom=True)
    assert capsys.readouterr().out == "أ,ب\n"
