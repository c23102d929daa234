"""`quizdeck list`: the banks found, with their question counts by type."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from quizdeck.commands._output import RTL_OPTION, console, reports_errors

if TYPE_CHECKING:
    from rich.console import Console

    from quizdeck.rtl import Mode


@reports_errors
def list_banks(
    paths: list[Path] = typer.Argument(
        ..., metavar="PATH", help="Bank files, or folders searched for *.toml.", show_default=False
    ),
    rtl_mode: str | None = RTL_OPTION,
) -> None:
    """Show the banks found: id, title, language, file, and how many questions of each type.

    Banks that do not load are named on stderr (run `quizdeck check` for the details) and make
    the exit status 1.

    Example: quizdeck list quizzes/ --rtl visual
    """
    import os

    from quizdeck import rtl
    from quizdeck.commands._display import display_mode

    # A wrong --rtl is a usage error before anything is read.
    rtl.resolve_mode(rtl_mode, os.environ, isatty=False)
    out = console()
    mode = display_mode(rtl_mode, out)
    out.file.write(rtl.session_prefix(mode))
    try:
        failed = _list(out, paths, mode)
    finally:
        out.file.write(rtl.session_suffix(mode))
        out.file.flush()
    raise typer.Exit(1 if failed else 0)


def _list(out: Console, paths: list[Path], mode: Mode) -> int:
    """Print each bank found; the number of paths and banks that failed."""
    from collections import Counter

    from quizdeck import rtl
    from quizdeck.bank import check_banks, find_bank_files
    from quizdeck.commands._output import error
    from quizdeck.questions import QUESTION_TYPES

    failed = 0
    for folder in paths:
        # Said, as `check` says it: an empty listing with status 0 reads as "all is well".
        if folder.is_dir() and not find_bank_files([folder]):
            failed += 1
            error(f"{folder}: no *.toml bank files in this folder")
    for path, bank, problems in check_banks(paths):
        if bank is None:
            failed += 1
            error(f"{path}: not a valid bank ({len(problems)} problem{'s' if len(problems) != 1 else ''}; "
                  f"run `quizdeck check {path}`)")
            continue
        counts = Counter(q.type for q in bank.questions)
        total = len(bank.questions)
        # In visual mode the Arabic title is reshaped and reordered within the left-to-right line.
        title = rtl.display_text(bank.title, "ltr", mode, 10_000).strip()
        out.print(f"{bank.id}  {title}  [{bank.language}]  {total} question{'s' if total != 1 else ''}  {path}",
                  markup=False)
        out.print("  " + " · ".join(f"{t} {counts[t]}" for t in QUESTION_TYPES if counts[t]), markup=False)
    return failed
