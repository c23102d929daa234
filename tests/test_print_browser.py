"""Printed exams in a real browser: headless Chromium prints the HTML to PDF and takes screenshots.

Skipped only where no Chromium is installed (CI installs Debian's `chromium` and `fonts-noto-core`).
The PDF's pages are counted from the file itself; its text is read with poppler's `pdftotext`
(those assertions are skipped where poppler-utils is missing).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.cli import app

from .conftest import BANKS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed")

ARABIC_BANK = BANKS / "exam-arabic.toml"
TITLE = "الشراكة بين التحالف الدولي والعراق"


def chromium(profile: Path, page: Path, *args: str) -> None:
    """Run headless Chromium on a local file, with nothing that reaches the network."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        *args, page.as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def print_exam(folder: Path, *args: str) -> Path:
    """`quizdeck print` into folder/exam.html, as a teacher runs it."""
    target = folder / "exam.html"
    result = CliRunner().invoke(app, ["print", *args, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def to_pdf(folder: Path, page: Path) -> bytes:
    pdf = folder / "exam.pdf"
    chromium(folder / "profile", page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    return pdf.read_bytes()


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def media_boxes(pdf: bytes) -> set[tuple[int, int]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return {(round(float(width)), round(float(height))) for width, height in boxes}


_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x0640])
_HARAKAT = re.compile(r"[\u064B-\u0652\u0670\s]")


def folded(text: str) -> str:
    """Text as compared with a PDF's: presentation forms undone, no bidi marks, harakat or spaces."""
    return _HARAKAT.sub("", unicodedata.normalize("NFKC", text).translate(_BIDI_CONTROLS))


def pdf_pages_text(folder: Path) -> list[str]:
    """The text of each page of folder/exam.pdf, folded; skips the test without pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", str(folder / "exam.pdf"), "-"], check=True, capture_output=True,
                            timeout=60)
    pages = result.stdout.decode("utf-8").split("\f")
    return [folded(page) for page in pages if page.strip()]


def dark_pixels(png: bytes) -> tuple[int, int, list[tuple[int, int]]]:
    """Width, height and the (x, y) of every dark pixel of an 8-bit RGB(A) PNG (stdlib only)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        data = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += data
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    dark: list[tuple[int, int]] = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        dark.extend((x, y) for x in range(width)
                    if sum(line[x * channels:x * channels + 3]) < 3 * 110)
        previous = line
    return width, height, dark


@pytest.fixture(scope="module")
def arabic_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, bytes]:
    """Two versions of three Arabic questions (choice, true/false, match): the papers' PDF (in
    folder/exam.pdf) and the keys' PDF (exam-key.html, printed to folder/keys/exam.pdf)."""
    folder = tmp_path_factory.mktemp("arabic-exam")
    page = print_exam(folder, str(ARABIC_BANK), "--tag", "short-exam", "--versions", "2", "--seed", "1")
    (folder / "keys").mkdir()
    return folder, to_pdf(folder, page), to_pdf(folder / "keys", folder / "exam-key.html")


def test_each_version_and_each_key_is_a_page_of_its_own(arabic_pdf: tuple[Path, bytes, bytes]) -> None:
    _, papers, keys = arabic_pdf
    assert papers.startswith(b"%PDF") and keys.startswith(b"%PDF")
    assert page_count(papers) == 2 and page_count(keys) == 2
    assert media_boxes(papers) == media_boxes(keys) == {(595, 842)}  # A4, in points


def test_the_pdf_shows_the_arabic_text_labels_and_keys(arabic_pdf: tuple[Path, bytes, bytes]) -> None:
    folder, _, _ = arabic_pdf
    pages = pdf_pages_text(folder) + pdf_pages_text(folder / "keys")
    assert len(pages) == 4
    paper_a, paper_b, key_a, key_b = pages
    for paper, version in ((paper_a, "النموذج أ"), (paper_b, "النموذج ب")):
        for text in (TITLE, version, "الاسم:", "التاريخ:", "الصف:",
                     "وفقاً للنص، في أي عام أُعلن النصر على داعش؟",
                     "وفقاً للنص، لم تعد لداعش أي خلايا نائمة.",
                     "صِل كل اسم بصفته كما وردت في النص.", "غابي طومسون", "المتحدث باسم قوات الأمن",
                     "أ)", "ب)", "ج)", "د)", "صح", "خطأ", "2017", "2014"):
            assert folded(text) in paper, (version, text)
        assert folded("مفتاح الإجابة") not in paper
    assert folded("النموذج ب") not in paper_a
    for key, version in ((key_a, "النموذج أ"), (key_b, "النموذج ب")):
        assert folded(f"مفتاح الإجابة — {version}") in key
        assert folded("خطأ") in key and "2017" in key
        assert folded("الاسم:") not in key


def test_the_pdf_embeds_a_font_with_arabic_glyphs(arabic_pdf: tuple[Path, bytes, bytes]) -> None:
    folder, _, _ = arabic_pdf
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    fonts = subprocess.run(["pdffonts", str(folder / "exam.pdf")], check=True, capture_output=True,
                           text=True, timeout=60).stdout
    assert re.search(r"Arabic|Amiri|DejaVuSans", fonts), fonts


def test_letter_paper(tmp_path: Path) -> None:
    page = print_exam(tmp_path, str(BANKS / "all-types.toml"), "--paper", "letter", "--no-key", "--limit", "2")
    pdf = to_pdf(tmp_path, page)
    assert media_boxes(pdf) == {(612, 792)}
    assert page_count(pdf) == 1


def screenshot(folder: Path, page: Path) -> tuple[int, int, list[tuple[int, int]]]:
    png = folder / "shot.png"
    chromium(folder / "profile", page, f"--screenshot={png}", "--window-size=600,700", "--hide-scrollbars")
    return dark_pixels(png.read_bytes())


def edge_rows(width: int, dark: list[tuple[int, int]]) -> tuple[int, int]:
    """How many pixel rows of ink reach only the right edge, and how many only the left edge.

    Right-to-left lines start at the right margin and end ragged on the left, so their rows reach
    the right edge only; full-width rules and fields reach both and are not counted.
    """
    rows: dict[int, tuple[int, int]] = {}
    for x, y in dark:
        low, high = rows.get(y, (x, x))
        rows[y] = (min(low, x), max(high, x))
    right = sum(1 for low, high in rows.values() if high > 0.85 * width and low > 0.15 * width)
    left = sum(1 for low, high in rows.values() if low < 0.15 * width and high < 0.85 * width)
    return right, left


@pytest.mark.parametrize(("bank", "direction"), [(ARABIC_BANK, "rtl"), (BANKS / "all-types.toml", "ltr")])
def test_text_is_aligned_to_the_languages_side(tmp_path: Path, bank: Path, direction: str) -> None:
    page = print_exam(tmp_path, str(bank), "--no-key")
    width, height, dark = screenshot(tmp_path, page)
    assert len(dark) > width * height / 200, "the page rendered (almost) blank"
    right, left = edge_rows(width, dark)
    start, end = (right, left) if direction == "rtl" else (left, right)
    # Measured: about 220 rows against 3 for Arabic, 109 against 0 for English.
    assert start > 40 and start > 5 * end, (right, left)
