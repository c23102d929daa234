"""`quizdeck new`: start a bank from a template with one commented example of every question type."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer

from quizdeck.commands._output import echo, reports_errors


@reports_errors
def new(
    bank_path: Path = typer.Argument(..., metavar="BANK.toml", help="The bank file to create.", show_default=False),
    title: str = typer.Option(..., "--title", "-t", help="The bank's title.", show_default=False),
    language: str = typer.Option(
        ..., "--language", "-l", help="BCP 47 tag of the questions' language (ar, en, fr...).", show_default=False,
    ),
    bank_id: str | None = typer.Option(None, "--id", help="The bank's id (default: made from the file name)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
) -> None:
    """Create a bank with one commented example of every question type.

    The examples are in Arabic for right-to-left languages (ar, fa, he,
    ur...) and in English otherwise; the file passes `quizdeck check` as
    written. Comments explain every key (see docs/bank-format.md). An
    existing file is never overwritten without --force.

    Example: quizdeck new history.toml --title "تاريخ العراق" --language ar
    """
    from quizdeck.bank import parse_bank
    from quizdeck.errors import UsageError
    from quizdeck.files import write_text
    from quizdeck.scaffold import bank_template

    if bank_path.suffix.lower() != ".toml":
        raise UsageError(f"{bank_path}: bank files end in .toml (`check` and `list` look for *.toml)")
    if bank_path.is_dir():
        raise UsageError(f"{bank_path}: is a folder; give the new bank's file name")
    text = bank_template(bank_path, title=title, language=language, bank_id=bank_id)
    bank = parse_bank(text, bank_path)  # a template that does not load is a bug, not the user's mistake
    write_text(bank_path, text, overwrite=force)
    # The command to run next is quoted for the shell, so that it can be pasted as it is.
    echo(f"{bank_path}: new bank \"{bank.id}\" ({bank.direction}) with {len(bank.questions)} example "
         f"questions, one of each type. Edit them, then run: quizdeck check {shlex.quote(str(bank_path))}")
