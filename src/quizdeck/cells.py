"""The one CSV cell writer: spreadsheet cells that are never run as formulas.

A cell from a bank, an answer sheet or a student's file name may start like a formula
(`=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...`); Excel, LibreOffice and Google Sheets run such a cell
when the CSV is opened. Following OWASP's CSV-injection rules, `safe_cell` puts an apostrophe
before every cell that starts with = + - @ TAB or CR, also after leading white space (some
spreadsheets skip it) and after apostrophes already there (so reading back is exact). A plain
number (`-5`, `-0.25`, `-1e3`) is left alone: it is data, not a formula, and must stay a number.
`csv_text` writes rows of such cells, quoted where CSV needs it (delimiter, quote, line breaks).

`read_cell` undoes `safe_cell` exactly (read_cell(safe_cell(x)) == x for every x), so quizdeck's
CSV import reads its own exports back unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

# What a spreadsheet may read as the start of a formula: OWASP's = + - @ (and their full-width
# forms, which some spreadsheets fold), after any white space.
_FORMULA = re.compile(r"[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
_NUMBER = re.compile(r"-(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def _formula_like(cell: str) -> bool:
    bare = cell.lstrip("'")
    if bare[:1] in ("\t", "\r"):
        return True
    return _FORMULA.match(bare) is not None and _NUMBER.fullmatch(bare) is None


def safe_cell(value: object) -> str:
    """The text of a cell, with a leading apostrophe if a spreadsheet could run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if _formula_like(text) else text


def read_cell(cell: str) -> str:
    """A cell as written before `safe_cell` guarded it (a user's own guard apostrophe too)."""
    return cell[1:] if cell.startswith("'") and _formula_like(cell[1:]) else cell


def csv_text(rows: Iterable[Iterable[object]], *, delimiter: str = ",", line_end: str = "\r\n") -> str:
    """Rows of cells as CSV text, every cell through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
