"""`grade --report` in a real browser: headless Chromium renders the page, prints it to PDF and
takes a screenshot (skipped where no Chromium is installed, as the printed exams are)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.cli import app

from .conftest import BANKS
from .test_print_browser import CHROMIUM, chromium, edge_rows, pdf_pages_text, screenshot

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed")

SHEETS = {
    "huda": 'bases = "ب"\ninvited = "صح"\nprovinces = "أ د"\nvictory-year = "2017"\n',
    "omar": 'bases = "أ"\ninvited = "خطأ"\nvictory-year = "٢٠١٧"\n',
    "sara": 'bases = "8"\ninvited = true\n',
    "zaid": 'invited = "خ"\n',
}


def report(folder: Path, bank: Path, sheets: dict[str, str]) -> Path:
    paths = []
    for name, text in sheets.items():
        path = folder / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    target = folder / "report.html"
    result = CliRunner().invoke(app, ["grade", str(bank), *paths, "--report", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_the_arabic_report_prints_with_its_figures_and_histogram(tmp_path: Path) -> None:
    page = report(tmp_path, BANKS / "take-arabic.toml", SHEETS)
    dom = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'p2'}",
         "--dump-dom", page.as_uri()], check=True, capture_output=True, timeout=120,
    ).stdout.decode("utf-8")
    # Parsed as SVG: ten bars, the one of 0-10% holding the one student who scored nothing right.
    assert dom.count('<rect class="bar"') == 10
    assert 'data-count="1"' in dom
    chromium(tmp_path / "profile", page, f"--print-to-pdf={tmp_path / 'exam.pdf'}", "--no-pdf-header-footer")
    text = " ".join(pdf_pages_text(tmp_path))
    # pdf_pages_text folds the text: spaces are gone.
    for expected in ("KR-20", "standarderrorofmeasurement", "discriminativeefficiency", "huda", "bases",
                     "score(%)"):
        assert expected in text, expected


def test_an_arabic_report_reads_right_to_left(tmp_path: Path) -> None:
    page = report(tmp_path, BANKS / "take-arabic.toml", SHEETS)
    width, height, dark = screenshot(tmp_path, page)
    assert len(dark) > width * height / 200, "the page rendered (almost) blank"
    right, left = edge_rows(width, dark)
    assert right > 3 * left, (right, left)
