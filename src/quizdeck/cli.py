"""The `quizdeck` command: argument parsing over the core, one module per command.

Only typer is imported here; each command imports what it needs (rich, genanki, fsrs...) when it
runs, so `quizdeck --help` starts as fast as an empty typer app.
"""

from __future__ import annotations

import typer

from quizdeck import __version__
from quizdeck.commands import (
    check,
    config,
    export,
    grade,
    import_,
    listing,
    new,
    print_,
    review,
    schema,
    show,
    stats,
    take,
)

app = typer.Typer(
    name="quizdeck",
    help="Question banks in TOML: terminal quizzes, spaced-repetition review, and exports.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from quizdeck.commands._output import echo

        echo(f"quizdeck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Question banks in TOML: terminal quizzes, spaced-repetition review, and exports."""


# In the order of the user guide: write and check banks, take and grade quizzes, review, exchange.
app.command("new")(new.new)
app.command("check")(check.check)
app.command("list")(listing.list_banks)
app.command("show")(show.show)
app.command("schema")(schema.schema)
app.command("take")(take.take)
app.command("grade")(grade.grade)
app.command("review")(review.review)
app.command("stats")(stats.stats)
app.command("export")(export.export)
app.command("import")(import_.import_)
app.command("print")(print_.print_exam)
app.command("config")(config.config)


def main() -> None:
    """Console entry point."""
    app(prog_name="quizdeck")
