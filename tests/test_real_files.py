"""Real files from public course repositories: every one imports, and every row or note is imported or
reported. tests/data/SOURCES.md says where each comes from and under which licence."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app

DATA = Path(__file__).resolve().parent / "data" / "flashcard-sets"
runner = CliRunner()


@pytest.mark.parametrize(("name", "count", "warnings"), [
    ("devops.csv", 16, 1),  # one warning: rows holding HTML are read as HTML, as Anki reads them
    ("programming-basic.csv", 53, 1),
    ("programming-general.csv", 22, 0),
    ("DevOps.apkg", 16, 0),
    ("Programming - basic.apkg", 53, 0),
])
def test_each_real_file_imports_whole(name: str, count: int, warnings: int, tmp_path: Path) -> None:
    out = tmp_path / "bank.toml"
    result = runner.invoke(app, ["import", str(DATA / name), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    bank = load_bank(out)
    assert len(bank.questions) == count
    assert len(result.stderr.splitlines()) == warnings + 1  # the warnings, then the summary line
    assert all("<b>" not in q.prompt and "<br>" not in getattr(q, "back", "") for q in bank.questions)


def test_the_csv_and_the_package_anki_made_from_it_agree(tmp_path: Path) -> None:
    for name in ("devops.csv", "DevOps.apkg"):
        result = runner.invoke(app, ["import", str(DATA / name), "-o", str(tmp_path / f"{name}.toml")])
        assert result.exit_code == 0, result.stderr
    from_csv = load_bank(tmp_path / "devops.csv.toml").questions
    from_apkg = load_bank(tmp_path / "DevOps.apkg.toml").questions
    assert [(q.id, q.prompt) for q in from_csv] == [(q.id, q.prompt) for q in from_apkg]
