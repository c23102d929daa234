"""Reading and writing the user's files, with one clear message for each way that can fail.

Banks, answer sheets, source texts and imported files are read through `read_text` or
`read_bytes`; every file a command writes goes through `write_text`. A failure raises `FileError`,
whose message starts with the path (and line:column where a bad byte is), so every command
reports an unreadable file the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

from quizdeck.errors import Problem, UsageError


class FileError(UsageError):
    """A file that cannot be read or written as asked: where, and what is wrong."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(str(self.problem()))

    def problem(self) -> Problem:
        """The failure as a Problem, for commands that report problems file by file."""
        return Problem(self.path, self.reason, line=self.line, column=self.column)


def read_bytes(path: Path, *, limit: int, folder_hint: str = "give a file", too_large_hint: str = "") -> bytes:
    """The bytes of a file no larger than `limit`; a FileError saying why not otherwise."""
    try:
        if path.is_dir():
            raise FileError(path, f"is a folder; {folder_hint}")
        size = path.stat().st_size
        if size > limit:
            raise FileError(path, f"file is too large ({size / 1024 / 1024:.0f} MB; the limit is "
                                  f"{limit // 1024 // 1024} MB){too_large_hint}")
        return path.read_bytes()
    except FileNotFoundError:
        raise FileError(path, "no such file") from None
    except PermissionError:
        raise FileError(path, "permission denied: the file cannot be read") from None
    except OSError as error:
        raise FileError(path, f"cannot be read: {error.strerror or error}") from None


def decode_text(data: bytes, name: str | Path) -> str:
    """UTF-8 text (a leading byte order mark dropped); a FileError at the first bad byte otherwise."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = byte_position(data, nul)
        raise FileError(name, "binary data (a NUL byte), not a text file", line, column)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = byte_position(data, error.start)
        raise FileError(name, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
                        line, column) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, *, limit: int, folder_hint: str = "give a file", too_large_hint: str = "") -> str:
    """A UTF-8 text file, read and decoded; a FileError saying what is wrong otherwise."""
    return decode_text(read_bytes(path, limit=limit, folder_hint=folder_hint, too_large_hint=too_large_hint), path)


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def write_text(target: str | Path, text: str, *, overwrite: bool = True, bom: bool = False) -> None:
    """Write UTF-8 text with \\n line ends to a file, or to standard output for "-".

    With `overwrite=False` an existing file is left alone and reported. `bom` starts the file with
    a byte order mark (spreadsheet programs need it to read UTF-8); standard output never gets one.
    """
    if str(target) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(target)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    try:
        with path.open("wb" if overwrite else "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise FileError(path, "already exists; pass --force to overwrite it") from None
    except IsADirectoryError:
        raise FileError(path, "is a folder; give a file name") from None
    except FileNotFoundError:
        raise FileError(path, f"the folder {path.parent} does not exist") from None
    except PermissionError:
        raise FileError(path, "permission denied: the file cannot be written") from None
    except OSError as error:
        raise FileError(path, f"cannot be written: {error.strerror or error}") from None
