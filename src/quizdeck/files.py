"""Reading and writing the user's files, with one clear message for each way that can fail.

Banks, answer sheets, source texts and imported files are read through `read_text` or
`read_bytes`. Every file a command writes goes through the one output opener, `write_text` /
`write_bytes`, which guarantees:

- an input is never overwritten: a command passes the files it read as `inputs`, and a target
  that is one of them (the same path, a symlink to it or a hard link, compared with samefile)
  is refused before anything is written;
- a file is written whole or not at all: the data goes to a temporary file beside the target,
  which then replaces it in one rename, so a killed process or a full disk never leaves half a
  file (a symlinked target is written through: the link stays, its file is replaced);
- text for standard output ("-") that reaches a terminal has its controls made visible.

JSON goes through `json_text`, which refuses NaN and infinities (they are not JSON) and writes C1
controls and bidi overrides as \\u escapes. A failure raises `FileError`, whose message starts with
the path (and line:column where a bad byte is), so every command reports a file the same way.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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


def refuse_inputs(target: str | Path, inputs: Iterable[str | Path], *, what: str = "an input of this command") -> None:
    """A FileError if `target` is one of `inputs`: the same file by path, symlink or hard link."""
    if str(target) == "-":
        return
    path = Path(target)
    try:
        if not path.exists():
            return
    except OSError:
        return
    for source in inputs:
        if str(source) == "-":
            continue
        try:
            same = os.path.samefile(path, source)
        except OSError:
            continue
        if same:
            shown = "" if Path(source) == path else f" ({source})"
            raise FileError(path, f"that is {what}{shown}; write to another file")


def write_text(target: str | Path, text: str, *, overwrite: bool = True, bom: bool = False,
               inputs: Iterable[str | Path] = ()) -> None:
    """Write UTF-8 text with \\n line ends to a file, or to standard output for "-".

    With `overwrite=False` an existing file is left alone and reported. `bom` starts the file with
    a byte order mark (spreadsheet programs need it to read UTF-8); standard output never gets one.
    A target that is one of `inputs` is refused (see `refuse_inputs`).
    """
    if str(target) == "-":
        if sys.stdout.isatty():
            from quizdeck.controls import visible

            text = visible(text)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_bytes(target, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"), overwrite=overwrite, inputs=inputs)


def write_bytes(target: str | Path, data: bytes, *, overwrite: bool = True, inputs: Iterable[str | Path] = ()) -> None:
    """Write `data` to a file atomically (a temporary file, then one rename); see the module doc."""
    path = Path(target)
    refuse_inputs(path, inputs)
    try:
        if path.is_dir():
            raise FileError(path, "is a folder; give a file name")
        if not overwrite and path.exists():
            raise FileError(path, "already exists; pass --force to overwrite it")
        final = path.resolve() if path.is_symlink() else path
        folder = final.parent
        if not folder.is_dir():
            raise FileError(path, f"the folder {path.parent} does not exist")
        try:
            mode = final.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = _default_mode()
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{final.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            if overwrite:
                os.replace(temporary, final)
            else:
                _place_new(temporary, final)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
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


def _place_new(temporary: str, final: Path) -> None:
    """Rename without replacing: a hard link fails if `final` appeared meanwhile."""
    try:
        os.link(temporary, final)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: a last check, then the rename.
        if final.exists():
            raise FileExistsError(final) from None
        os.replace(temporary, final)


def _default_mode() -> int:
    """The mode a new file gets (0o666 less the umask), as open() would give it."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


# C1 controls and bidi formatting characters, which json.dumps(ensure_ascii=False) leaves raw.
_JSON_RAW = str.maketrans({code: f"\\u{code:04x}" for code in
                           [*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def json_text(data: Any) -> str:
    """`data` as indented UTF-8 JSON ending in a newline: the one JSON writer of quizdeck.

    NaN and infinities are not JSON: they raise ValueError (a bug, since banks and answers refuse
    them before) rather than being written as NaN or Infinity. C1 controls and bidi overrides are
    written as \\u escapes, so the JSON shown in a terminal obeys nothing.
    """
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False).translate(_JSON_RAW) + "\n"
