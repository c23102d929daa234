"""`quizdeck show`: print a bank, or one question, as a teacher reviews it."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdeck.commands._output import RTL_OPTION, console, reports_errors


@reports_errors
def show(
    bank_path: Path = typer.Argument(..., metavar="BANK", help="The bank file.", show_default=False),
    question_id: str | None = typer.Argument(None, metavar="[QUESTION-ID]", help="Show only this question."),
    rtl_mode: str | None = RTL_OPTION,
) -> None:
    """Print a bank (or one question) with its answers, explanations and sources.

    Example: quizdeck show quizzes/coalition-iraq.toml victory-year --rtl visual
    """
    import os
    import sys

    from quizdeck import rtl
    from quizdeck.bank import load_bank
    from quizdeck.commands._display import saved_mode
    from quizdeck.questions import question_details

    mode = rtl.resolve_mode(rtl_mode, os.environ, isatty=sys.stdout.isatty(), configured=saved_mode(rtl_mode))
    bank = load_bank(bank_path)
    out = console()
    questions = (bank.question(question_id),) if question_id else bank.questions
    width = max(20, out.width)

    def say(text: str, indent: str = "") -> None:
        """Print `text` after `indent`; in visual mode wrapped and reordered in the space left."""
        if mode == "logical":
            out.print(indent + text, markup=False)
            return
        lines = rtl.display_lines(text, max(10, width - len(indent)), bank.direction, mode)
        for number, line in enumerate(lines):
            out.print((indent if number == 0 else " " * len(indent)) + line, markup=False)

    out.file.write(rtl.session_prefix(mode))
    try:
        if not question_id:
            about = f"[{bank.id}, {bank.language}, {len(bank.questions)} questions]"
            if mode == "visual" and bank.direction == "rtl":
                # The title gets a line of its own, right-aligned; the ASCII facts stay left.
                say(bank.title)
                out.print(about, markup=False)
            else:
                say(f"{bank.title}  {about}")
            if bank.description:
                say(bank.description)
            out.print()
        for question in questions:
            out.print(f"{question.id} ({question.type})", style="bold", markup=False)
            for label, value in question_details(question):
                if label in ("tags", "image", "reverse"):
                    # Identifiers and paths, not text in the bank's language: never reordered.
                    out.print(f"  {label}: {value}", markup=False)
                else:
                    say(value, f"  {label}: ")
            out.print()
    finally:
        out.file.write(rtl.session_suffix(mode))
