"""`quizdeck export`: banks to an Anki package (or, through export_text, GIFT and CSV)."""

from __future__ import annotations

import os
import time
from datetime import datetime
from enum import Enum
from pathlib import Path

import typer

from quizdeck.commands._output import checked_seconds, checked_time, console, error, reports_errors
from quizdeck.errors import UsageError


class Format(str, Enum):
    """What `export` writes."""

    apkg = "apkg"
    gift = "gift"
    csv = "csv"


_SUFFIXES = {".apkg": Format.apkg, ".gift": Format.gift, ".csv": Format.csv}  # .txt: say --format gift|csv


@reports_errors
def export(
    bank_paths: list[Path] = typer.Argument(
        ..., metavar="BANK...", help="Bank files, or folders searched for *.toml.", show_default=False
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE",
        help="The file to write (with --each: the folder). Required for apkg.", show_default=False,
    ),
    format_: Format | None = typer.Option(
        None, "--format", "-f", help="apkg, gift or csv. Default: from the -o suffix, else apkg.",
        show_default=False,
    ),
    deck: str | None = typer.Option(
        None, "--deck", metavar="NAME",
        help='Deck name, "::" to nest ("Arabic::Vocabulary"). Default: the bank\'s title; '
        "several banks go under a common parent deck (NAME, or \"quizdeck\").",
        show_default=False,
    ),
    each: bool = typer.Option(
        False, "--each", help="One package per bank: -o is a folder, each bank goes to FOLDER/BANK-ID.apkg."
    ),
    check: bool = typer.Option(
        False, "--check", help="Write nothing; fail (exit 1) if a package is missing or out of date with its bank."
    ),
    now: str | None = typer.Option(
        None, "--now", metavar="WHEN",
        help="Time stamped on new and changed notes: Unix seconds or ISO 8601 with a time zone. "
        "Default: $SOURCE_DATE_EPOCH, else the clock.",
        show_default=False,
    ),
    trusted_html: bool = typer.Option(
        False, "--trusted-html",
        help="Pass bank text to Anki as HTML, unescaped. Only for banks you wrote: scripts in them will run.",
    ),
) -> None:
    """Export banks as an Anki package: one deck per bank, every question type, Arabic right to left.

    Notes are identified by bank id and question id: re-importing a newer
    export updates the notes whose questions changed and keeps every card's
    review history. A manifest beside the package (FILE.apkg.manifest.json)
    remembers what was exported: keep it with the package.

    Example: quizdeck export quizzes/coalition-iraq.toml -o coalition-iraq.apkg

    Rebuild every bundled deck: quizdeck export quizzes --each -o decks
    """
    fmt = format_ or (_SUFFIXES.get(output.suffix.lower(), Format.apkg) if output and not each else Format.apkg)
    if fmt is not Format.apkg:
        if each or check:
            raise UsageError(f"--each and --check work with apkg only, not {fmt.value}")
        if deck or trusted_html or now:
            raise UsageError(f"--deck, --now and --trusted-html are for Anki packages; {fmt.value} has no decks")
        if output is not None and output.suffix.lower() in _SUFFIXES and _SUFFIXES[output.suffix.lower()] is not fmt:
            raise UsageError(f"{output}: the name says {output.suffix.lower()[1:]} but --format is {fmt.value}; "
                             f"end the file in .{fmt.value}")
        from quizdeck.commands.export_text import export_text

        export_text(bank_paths, fmt.value, output)
        return

    from quizdeck import anki
    from quizdeck.bank import find_bank_files, load_bank

    if output is None:
        raise UsageError("give the package to write with -o FILE.apkg (or -o FOLDER with --each)")
    banks = [load_bank(path) for path in find_bank_files(bank_paths)]
    if not banks:
        raise UsageError(f"no *.toml banks found in {', '.join(str(p) for p in bank_paths)}")
    if each:
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: with --each, -o names a folder, and this is a file")
        # With --each, --deck is the parent of every bank's deck, as when banks share a package.
        jobs = [([bank], path, f"{deck}::{anki.deck_names([bank])[0]}" if deck else None)
                for bank, path in anki.each_output(banks, output)]
    else:
        if output.is_dir():
            raise UsageError(f"{output} is a folder; give a file like {output / 'deck.apkg'} (or use --each)")
        if output.suffix.lower() != ".apkg":
            # Anki imports a package by its suffix only: "deck" or "exam.md" would be a zip nobody can open.
            raise UsageError(f"{output}: an Anki package's name must end in .apkg (Anki imports no other); "
                             "for GIFT or CSV, end it in .gift or .csv, or add --format gift|csv")
        jobs = [(banks, output, deck)]

    out = console()
    if check:
        stale = 0
        for job_banks, path, job_deck in jobs:
            reason = anki.check_package(job_banks, path, deck=job_deck, trusted_html=trusted_html)
            if reason:
                stale += 1
                error(f"{reason}; rebuild it by running this command without --check")
            else:
                out.print(f"{path} is up to date", markup=False)
        if stale:
            raise typer.Exit(1)
        return

    stamp = _parse_now(now)
    for job_banks, path, job_deck in jobs:
        built = anki.export_package(job_banks, path, now=stamp, deck=job_deck, trusted_html=trusted_html)
        images = f", {built.media} image{'s' if built.media != 1 else ''}" if built.media else ""
        out.print(
            f"{path}: {built.notes} notes, {built.cards} cards in {', '.join(built.decks)} "
            f"({len(built.new)} new, {len(built.changed)} changed, {built.unchanged} unchanged{images})",
            markup=False,
        )


def _parse_now(value: str | None) -> int:
    """The stamp for new and changed notes; read from the clock only here, at the edge."""
    source = "--now"
    if value is None:
        value = os.environ.get("SOURCE_DATE_EPOCH")
        source = "SOURCE_DATE_EPOCH"
        if not value:
            return int(time.time())
    value = value.strip()
    if value.isdigit():
        return checked_seconds(int(value), source)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f'{source} "{value}": expected Unix seconds or an ISO 8601 time like '
                         '"2026-11-29T09:00:00Z"') from None
    if moment.tzinfo is None:
        raise UsageError(f'{source} "{value}": give a time zone, like "2026-11-29T09:00:00Z" or "+03:00"')
    return int(checked_time(moment, source).timestamp())
