"""`quizdeck list`: the banks found, with their question counts by type."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdeck.commands._output import console, reports_errors


@reports_errors
def list_banks(
    paths: list[Path] = typer.Argument(
        ..., metavar="PATH", help="Bank files, or folders searched for *.toml.", show_default=False
    ),
) -> None:
    """Show the banks found: id, title, language, file, and how many questions of each type.

    Banks that do not load are named on stderr (run `quizdeck check` for the details) and make
    the exit status 1.

    Example: quizdeck list quizzes/
    """
    from collections import Counter

    from quizdeck.bank import check_banks
    from quizdeck.commands._output import error
    from quizdeck.questions import QUESTION_TYPES

    out = console()
    failed = 0
    for path, bank, problems in check_banks(paths):
        if bank is None:
            failed += 1
            error(f"{path}: not a valid bank ({len(problems)} problem{'s' if len(problems) != 1 else ''}; "
                  f"run `quizdeck check {path}`)")
            continue
        counts = Counter(q.type for q in bank.questions)
        total = len(bank.questions)
        out.print(f"{bank.id}  {bank.title}  [{bank.language}]  {total} question{'s' if total != 1 else ''}  {path}",
                  markup=False)
        out.print("  " + " · ".join(f"{t} {counts[t]}" for t in QUESTION_TYPES if counts[t]), markup=False)
    raise typer.Exit(1 if failed else 0)
