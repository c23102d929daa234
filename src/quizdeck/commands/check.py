"""`quizdeck check`: validate banks and report every problem at once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from quizdeck.commands._output import console, reports_errors


class Paragraphs(str, Enum):
    """How `--source` splits its text into paragraphs."""

    auto = "auto"
    lines = "lines"
    blocks = "blocks"


@reports_errors
def check(
    paths: list[Path] = typer.Argument(
        ..., metavar="PATH", help="Bank files, or folders searched for *.toml.", show_default=False
    ),
    source: Path | None = typer.Option(
        None,
        "--source",
        metavar="TEXT",
        show_default=False,
        help="The text the banks quote: check that every question's source quote occurs in it.",
    ),
    paragraphs: Paragraphs = typer.Option(
        Paragraphs.auto,
        "--paragraphs",
        help="How --source is split: lines (one paragraph per non-empty line), blocks "
        "(separated by blank lines), or auto (blocks if the text is hard-wrapped, else lines).",
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
    verbose: bool = typer.Option(
        False,
        "--verbose",
        "-v",
        help="With --source: print the paragraph each question's quote comes from.",
    ),
) -> None:
    """Validate banks: every problem in every file, each with its file, line, question and key.

    With --source TEXT, also check that each question's `source` quote
    occurs in TEXT (whitespace folded), and find its paragraph.
    A quote not in TEXT is an error. These are warnings, which fail
    the check only with --strict: a quote that differs from TEXT only
    in harakat, tatweel, quotation marks or dashes; a quote found in
    several paragraphs; a question without a quote; a paragraph that
    no question quotes.

    Exit status: 0 when every bank is valid and every quote is found,
    1 when not (or, with --strict, on a warning), 2 when a bank path
    or the --source text cannot be read.

    Example: quizdeck check quizzes/ --source ../shared/seed/article.ar.txt --verbose
    """
    from quizdeck.bank import check_banks, find_bank_files
    from quizdeck.errors import UsageError

    text = None
    if source is not None:
        from quizdeck.source import check_sources, load_source

        text = load_source(source, paragraphs.value)
    elif verbose:
        raise UsageError(
            "--verbose lists the paragraph of each question's quote: give the text with --source"
        )

    out = console()
    exit_code = 0
    valid = invalid = errors = 0
    missing = warnings = 0
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
                count = len(bank.questions)
                out.print(f"{path}: ok ({count} question{'s' if count != 1 else ''})", markup=False)
            else:
                invalid += 1
                errors += len(problems)
                for problem in problems:
                    out.print(str(problem), markup=False)
                exit_code = max(exit_code, 1)
            if bank is not None and text is not None:
                report = check_sources(bank, text)
                if verbose:
                    for entry in report.questions:
                        out.print(f"  {entry.question_id}: {entry.describe()}", markup=False)
                for problem in report.problems(str(path)):
                    out.print(str(problem), markup=False)
                    if problem.severity == "warning":
                        warnings += 1
                    else:
                        missing += 1
                out.print(f"{path}: {report.summary()}", markup=False)
    if missing:
        exit_code = max(exit_code, 1)
    if strict and warnings:
        exit_code = max(exit_code, 1)
    checked = valid + invalid
    if checked:
        summary = f"{checked} bank{'s' if checked != 1 else ''} checked: {valid} valid"
        if invalid:
            summary += f", {invalid} with {errors} problem{'s' if errors != 1 else ''}"
        if missing:
            summary += f"; {missing} quote{'s' if missing != 1 else ''} not found"
        if warnings:
            summary += f"; {warnings} warning{'s' if warnings != 1 else ''}"
            if strict:
                summary += " (failing: --strict)"
        out.print(summary, markup=False)
    raise typer.Exit(exit_code)
