"""`quizdeck check`: validate banks and report every problem at once."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdeck.commands._output import console


def check(
    paths: list[Path] = typer.Argument(..., help="Bank files, or folders searched for *.toml.", show_default=False),
) -> None:
    """Validate banks: every problem in every file, each with its file, line, question and key.

    Exit status: 0 when every bank is valid, 1 when any is not, 2 when a path does not exist.

    Example: quizdeck check quizzes/
    """
    from quizdeck.bank import check_banks, find_bank_files
    from quizdeck.errors import UsageError

    out = console()
    exit_code = 0
    valid = invalid = errors = 0
    for raw in paths:
        try:
            files = find_bank_files([raw])
        except UsageError as failure:
            out.print(str(failure), markup=False)
            exit_code = 2
            continue
        if not files:
            out.print(f"{raw}: no *.toml bank files in this folder", markup=False)
            exit_code = max(exit_code, 1)
            continue
        for path, bank, problems in check_banks(files):
            if bank is not None:
                valid += 1
                out.print(f"{path}: ok ({len(bank.questions)} questions)", markup=False)
            else:
                invalid += 1
                errors += len(problems)
                for problem in problems:
                    out.print(str(problem), markup=False)
                exit_code = max(exit_code, 1)
    checked = valid + invalid
    if checked:
        summary = f"{checked} bank{'s' if checked != 1 else ''} checked: {valid} valid"
        if invalid:
            summary += f", {invalid} with {errors} problem{'s' if errors != 1 else ''}"
        out.print(summary, markup=False)
    raise typer.Exit(exit_code)
