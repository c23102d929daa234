"""What every command shares: consoles, and turning a user's mistake into one line and an exit code."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

from quizdeck.errors import QuizdeckError

if TYPE_CHECKING:
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


def console(stderr: bool = False) -> Console:
    """A rich console that never wraps lines mid-message (long paths stay copyable)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """Print `quizdeck: error: message` on stderr."""
    print(f"quizdeck: error: {message}", file=sys.stderr)


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
