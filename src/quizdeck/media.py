"""The one media resolver: a question's image, found safely inside its bank's folder.

A bank (or a file imported into one) names its images; a hostile bank could name `/etc/passwd`,
`../../.ssh/id_rsa`, a symlink to either, a FIFO that blocks forever, or a 1 GB sparse file that
takes minutes and gigabytes to embed. `resolve_image` is the only way quizdeck turns an image
name into a file, and `read_image` the only way it reads one; `check`, `print`, `export` and
`import` all use them, so every command refuses the same names with the same message.

An image is accepted when its name is relative, has no `..` part and ends in an image suffix;
the file it resolves to (after every symlink) is inside the bank's folder, is a regular file,
holds at most MAX_IMAGE_BYTES, and starts like the image type its suffix names.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path, PurePosixPath

from quizdeck.errors import QuizdeckError

#: The image file names a bank may give, by suffix.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})

#: The largest image quizdeck reads (10 MB): ample for a photo or a scanned figure in a quiz, and a
#: bound on what an exam page or an Anki package embeds.
MAX_IMAGE_BYTES = 10 * 1024 * 1024

# How each type's files start (SVG: XML text, perhaps after a byte order mark and white space).
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".svg": (b"<",),
}


class MediaError(QuizdeckError):
    """An image name that does not lead to an image quizdeck may read; the message says why."""


def check_name(name: str) -> str | None:
    """Why an image name is refused before looking at any file (None: the name is fine)."""
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or re.match(r"^[A-Za-z]:", name):
        return f'"{name}" is an absolute path; give it relative to the bank\'s folder'
    if ".." in posix.parts:
        return f'"{name}" leaves the bank\'s folder; keep images inside it'
    if posix.suffix.lower() not in IMAGE_SUFFIXES:
        return f'"{name}" is not an image; use one of {", ".join(sorted(IMAGE_SUFFIXES))}'
    return None


def resolve_image(folder: Path, name: str) -> Path:
    """The real path of image `name` of a bank in `folder`; MediaError if it may not be read."""
    reason = check_name(name)
    if reason:
        raise MediaError(reason)
    base = folder.resolve()
    wanted = folder / PurePosixPath(name.replace("\\", "/"))
    try:
        target = (base / PurePosixPath(name.replace("\\", "/"))).resolve(strict=True)
    except FileNotFoundError:
        raise MediaError(f'image file "{name}" not found (looked for {wanted})') from None
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop
        why = getattr(error, "strerror", None) or error
        raise MediaError(f'image file "{name}" cannot be opened ({why})') from None
    if not target.is_relative_to(base):
        raise MediaError(f'"{name}" leaves the bank\'s folder (it links to {target}); keep images inside it')
    try:
        info = target.stat()
    except OSError as error:
        raise MediaError(f'image file "{name}" cannot be opened ({error.strerror or error})') from None
    if not stat.S_ISREG(info.st_mode):
        raise MediaError(f'"{name}" is not a regular file; give an image file')
    if info.st_size > MAX_IMAGE_BYTES:
        raise MediaError(f'image file "{name}" is too large ({_megabytes(info.st_size)}; the limit is '
                         f"{_megabytes(MAX_IMAGE_BYTES)}); make it smaller")
    return target


def read_image(folder: Path, name: str) -> bytes:
    """The bytes of image `name` of a bank in `folder`, checked as `resolve_image` does, and
    refused unless they start like the image type the suffix names."""
    target = resolve_image(folder, name)
    try:
        with target.open("rb") as stream:
            data = stream.read(MAX_IMAGE_BYTES + 1)
    except OSError as error:
        raise MediaError(f'image file "{name}" cannot be read ({error.strerror or error})') from None
    if len(data) > MAX_IMAGE_BYTES:  # it grew since resolve_image looked
        raise MediaError(f'image file "{name}" is too large (the limit is {_megabytes(MAX_IMAGE_BYTES)})')
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip() if suffix == ".svg" else data
    if not start.startswith(_SIGNATURES[suffix]):
        raise MediaError(f'image file "{name}" is not a {suffix[1:].upper()} image (its bytes say otherwise)')
    return data


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
