"""`quizdeck show`: print a bank, or one question, as a teacher reviews it."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdeck.commands._output import console, reports_errors


@reports_errors
def show(
    bank_path: Path = typer.Argument(..., metavar="BANK", help="The bank file.", show_default=False),
    question_id: str | None = typer.Argument(None, metavar="[QUESTION-ID]", help="Show only this question."),
) -> None:
    """Print a bank (or one question) with its answers, explanations and sources.

    Example: quizdeck show quizzes/coalition-iraq.toml victory-year
    """
    from quizdeck.bank import load_bank
    from quizdeck.questions import question_details

    bank = load_bank(bank_path)
    out = console()
    questions = (bank.question(question_id),) if question_id else bank.questions
    if not question_id:
        out.print(f"{bank.title}  [{bank.id}, {bank.language}, {len(bank.questions)} questions]", markup=False)
        if bank.description:
            out.print(bank.description, markup=False)
        out.print()
    for question in questions:
        out.print(f"{question.id} ({question.type})", style="bold", markup=False)
        for label, value in question_details(question):
            out.print(f"  {label}: {value}", markup=False)
        out.print()
