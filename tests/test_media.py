"""The one media resolver: images inside the bank's folder, regular files, image types, size-limited."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.cli import app
from quizdeck.media import MAX_IMAGE_BYTES, MediaError, read_image, resolve_image

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def bank_with_image(folder: Path, image: str) -> Path:
    bank = folder / "bank.toml"
    bank.write_text('[bank]\nid = "m"\ntitle = "M"\nlanguage = "en"\n\n[[questions]]\nid = "q"\ntype = "card"\n'
                    f'prompt = "p"\nback = "b"\nimage = "{image}"\n', encoding="utf-8")
    return bank


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inside = tmp_path / "bank"
    inside.mkdir()
    return inside


def test_a_symlink_to_a_file_outside_is_refused_by_every_command(folder: Path, tmp_path: Path) -> None:
    (folder / "passwd.png").symlink_to("/etc/passwd")
    bank = bank_with_image(folder, "passwd.png")
    message = '"passwd.png" leaves the bank\'s folder (it links to /etc/passwd); keep images inside it'
    for args in (["check", str(bank)], ["print", str(bank)], ["print", str(bank), "-f", "md"],
                 ["export", str(bank), "-o", str(tmp_path / "x.apkg")], ["take", str(bank)], ["show", str(bank)]):
        code, shown = run(*args)
        assert code != 0, args
        assert message in shown, (args, shown)
        assert "root:" not in shown
    assert not (tmp_path / "x.apkg").exists()


@pytest.mark.parametrize(("make", "message"), [
    (lambda f: os.mkfifo(f / "fifo.png"), '"fifo.png" is not a regular file; give an image file'),
    (lambda f: (f / "dir.png").mkdir(), '"dir.png" is not a regular file; give an image file'),
    (lambda f: (f / "loop.png").symlink_to(f / "loop.png"), 'image file "loop.png" cannot be opened'),
])
def test_anything_but_a_regular_file_is_refused(folder: Path, make: object, message: str) -> None:
    make(folder)  # type: ignore[operator]
    name = message.split('"')[1]
    with pytest.raises(MediaError, match=message.replace("(", r"\(").replace(".", r"\.")):
        resolve_image(folder, name)


def test_a_sparse_gigabyte_is_refused_before_reading(folder: Path) -> None:
    with (folder / "huge.png").open("wb") as handle:
        handle.truncate(1024**3)
    bank = bank_with_image(folder, "huge.png")
    code, shown = run("print", str(bank))
    assert code == 1
    assert 'image file "huge.png" is too large (1024.0 MB; the limit is 10.0 MB); make it smaller' in shown
    (folder / "fits.png").write_bytes(PNG + b"\0" * (MAX_IMAGE_BYTES - len(PNG)))
    assert len(read_image(folder, "fits.png")) == MAX_IMAGE_BYTES


def test_bytes_that_are_not_the_named_image_type_are_refused(folder: Path) -> None:
    (folder / "text.png").write_text("root:x:0:0\n", encoding="utf-8")
    with pytest.raises(MediaError, match=r'"text\.png" is not a PNG image'):
        read_image(folder, "text.png")
    (folder / "ok.svg").write_text('\n<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    assert read_image(folder, "ok.svg").startswith(b"\n<svg")


@pytest.mark.parametrize(("name", "message"), [
    ("/etc/passwd.png", "is an absolute path"),
    ("../x.png", "leaves the bank's folder"),
    ("a/../../x.png", "leaves the bank's folder"),
    ("C:\\x.png", "is an absolute path"),
    ("x.sh", "is not an image"),
])
def test_names_are_refused_before_any_file_is_looked_at(folder: Path, name: str, message: str) -> None:
    with pytest.raises(MediaError, match=message):
        resolve_image(folder, name)


def test_an_image_in_a_subfolder_is_read(folder: Path, tmp_path: Path) -> None:
    (folder / "img").mkdir()
    (folder / "img" / "a.png").write_bytes(PNG)
    (folder / "same.png").symlink_to(folder / "img" / "a.png")
    assert read_image(folder, "img/a.png") == PNG
    assert read_image(folder, "same.png") == PNG
    bank = bank_with_image(folder, "img/a.png")
    shutil.copy(bank, tmp_path / "copy.toml")
    assert run("check", str(bank))[0] == 0
