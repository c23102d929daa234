"""What every command shares: the one way to the terminal, and a user's mistake as one line and an exit code.

Every byte of user text a command shows (bank text, sheet names, file names, messages quoting them)
goes through `console()`, `echo()` or `error()` here: the console never reads rich markup or emoji
codes in it (`[bold]` and `:smile:` stay as typed) and writes every terminal control and bidi
override as a visible escape (see quizdeck.controls), whatever renderable carries it: str, Text,
Table. Commands never call print(), typer.echo(), sys.stdout.write() or rich's Console() themselves;
tests/test_terminal.py fails when one does.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from quizdeck.errors import QuizdeckError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import IO

    from rich.console import Console

P = ParamSpec("P")
R = TypeVar("R")


#: The `--rtl` option of every command that shows bank text in the terminal (see docs/rtl.md).
RTL_OPTION: str | None = typer.Option(
    None,
    "--rtl",
    metavar="auto|logical|visual",
    help="Right-to-left text: 'logical' for terminals that do bidi themselves (GNOME Terminal, Konsole, "
    "macOS Terminal), 'visual' to reshape, reorder and right-align it here (kitty, Alacritty, Windows "
    "Terminal). Default: $QUIZDECK_RTL, else auto (detected from the terminal).",
    show_default=False,
)


#: The `--store` option of the commands that read or write review progress (see docs/review.md).
STORE_OPTION: Path | None = typer.Option(
    None,
    "--store",
    metavar="PATH",
    help="The progress store (default: $QUIZDECK_HOME/progress.db, else the user data folder).",
    show_default=False,
)


#: The largest number an option counting questions or cards (--limit) takes: far above any bank,
#: far below what the store's 64-bit integers and Python's ranges overflow at.
MAX_COUNT = 1_000_000

#: Seeds are kept in the store as 64-bit integers.
SEED_MIN, SEED_MAX = -(2**63), 2**63 - 1

#: The years a time given to quizdeck (--now, QUIZDECK_NOW) may fall in: dates a day, a month or
#: a forecast away must still exist, and milliseconds since 1970 fit in the store's integers.
YEARS = (1970, 9000)


def checked_time(moment: datetime, source: str) -> datetime:
    """`moment` if it lies in YEARS; a UsageError naming `source` otherwise (never an OverflowError)."""
    from quizdeck.errors import UsageError

    if not YEARS[0] <= moment.year < YEARS[1]:
        raise UsageError(f"{source}: {moment.isoformat()} is out of range; give a time between "
                         f"{YEARS[0]} and {YEARS[1]}")
    return moment


def checked_seconds(seconds: int, source: str) -> int:
    """Unix seconds, if they fall in YEARS; a UsageError naming `source` otherwise."""
    from quizdeck.errors import UsageError

    low = int(datetime(YEARS[0], 1, 1, tzinfo=timezone.utc).timestamp())
    high = int(datetime(YEARS[1], 1, 1, tzinfo=timezone.utc).timestamp())
    if not low <= seconds < high:
        raise UsageError(f"{source}: {seconds} seconds is out of range; give a time between "
                         f"{YEARS[0]} and {YEARS[1]}")
    return seconds


def console(stderr: bool = False, *, file: IO[str] | None = None, width: int | None = None) -> Console:
    """The terminal writer: a rich console that shows user text as text, never as commands.

    No markup, no emoji codes, no highlighting; every segment it renders has its controls made
    visible (rich's own styles and cursor controls are kept: they are not user text). Lines are
    never wrapped mid-message (long paths stay copyable). `file` and `width` are for tests.
    """
    return _writer_class()(stderr=stderr, file=file, width=width, highlight=False, soft_wrap=True,
                           markup=False, emoji=False)


@functools.cache
def _writer_class() -> type[Console]:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment
    from rich.text import Text

    from quizdeck.controls import has_controls, visible

    class TerminalWriter(Console):
        """rich's Console, with the controls in every rendered segment of text made visible."""

        def render_str(self, text: str, **options: Any) -> Text:
            # Strings are escaped before rich measures them, so tables size their columns to
            # what is shown; render() below catches Text and everything else.
            return super().render_str(visible(text), **options)

        def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
            # Console.render recurses into nested renderables through self.render, so tables,
            # panels and Text all pass here; escaping is idempotent, so passing twice is harmless.
            for segment in super().render(renderable, options):
                if segment.control or not has_controls(segment.text):
                    yield segment
                else:
                    yield Segment(visible(segment.text), segment.style)

    return TerminalWriter


def echo(message: str = "", *, err: bool = False, end: str = "\n") -> None:
    """A line of plain text on stdout (or stderr), its controls made visible."""
    from quizdeck.controls import visible

    stream = sys.stderr if err else sys.stdout
    stream.write(visible(message) + end)
    stream.flush()


def plain(out: Console, text: str) -> None:
    """Lines of plain text straight into a console's own file (no rich rendering: fast for long
    reports), controls made visible as the console does."""
    from quizdeck.controls import visible

    out.file.write(visible(text) + "\n")
    out.file.flush()


def error(message: str) -> None:
    """Print `quizdeck: error: message` on stderr, its controls made visible."""
    echo(f"quizdeck: error: {message}", err=True)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Show a QuizdeckError as one line on stderr and exit with its code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except QuizdeckError as failure:
            error(str(failure))
            raise typer.Exit(failure.exit_code) from None

    return wrapper
