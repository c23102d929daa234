"""`quizdeck take`: a quiz in the terminal, or graded from an answer sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from quizdeck.commands._output import RTL_OPTION, console, echo, reports_errors

if TYPE_CHECKING:
    from quizdeck.commands._asking import Screen
    from quizdeck.session import Answer, Quiz, Results

#: Exit status after Ctrl-C, as a shell reports a process ended by SIGINT.
EXIT_INTERRUPTED = 130


@reports_errors
def take(
    bank_path: Path = typer.Argument(..., metavar="BANK", help="The bank file.", show_default=False),
    tag: str | None = typer.Option(None, "--tag", help="Only questions with this tag."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Ask at most N questions.", metavar="N"),
    shuffle: bool = typer.Option(True, "--shuffle/--no-shuffle", help="Shuffle the questions and their choices."),
    seed: int | None = typer.Option(
        None,
        "--seed",
        metavar="N",
        help="Shuffle from this seed: the same seed gives the same quiz.",
    ),
    rtl_mode: str | None = RTL_OPTION,
    answers: Path | None = typer.Option(
        None,
        "--answers",
        metavar="FILE",
        help="Take the responses from an answer sheet (TOML) instead of the keyboard.",
    ),
    json_path: str | None = typer.Option(
        None,
        "--json",
        metavar="FILE",
        help="Write the results as JSON to FILE ('-' for standard output).",
    ),
) -> None:
    """Take a quiz: every question asked in the terminal, with feedback and a summary at the end.

    Answer with the labels shown (a b c, or أ ب ج for Arabic banks; digits 1-9 work too), type
    '?' for a hint and '-' to skip. Ctrl-C or Ctrl-D ends the quiz with a summary of what was
    answered. With --answers the responses come from an answer sheet (see docs/quiz.md) and
    nothing is asked.

    Example: quizdeck take quizzes/coalition-iraq.toml --limit 10 --seed 7
    """
    import os
    import random
    import sys
    import time

    from quizdeck import rtl
    from quizdeck.bank import load_bank
    from quizdeck.commands._asking import Screen
    from quizdeck.errors import UsageError
    from quizdeck.session import build_quiz, grade_responses, results
    from quizdeck.sheet import load_sheet

    # Checked before anything is read: a wrong --rtl (or QUIZDECK_RTL) is a usage error.
    rtl.resolve_mode(rtl_mode, os.environ, isatty=False)
    # Said now, not after the student has answered every question.
    if json_path not in (None, "-") and not Path(json_path).resolve().parent.is_dir():
        raise UsageError(f"--json {json_path}: no such folder {str(Path(json_path).parent)!r}")
    if json_path not in (None, "-") and Path(json_path).is_dir():
        raise UsageError(f"--json {json_path}: is a folder; give a file name")
    bank = load_bank(bank_path)
    sheet = load_sheet(answers, bank) if answers is not None else None
    if seed is None:
        # A short seed, shown in the summary, so a teacher can replay exactly this quiz.
        seed = random.SystemRandom().randrange(1, 100_000)
    quiz = build_quiz(bank, seed=seed, tag=tag, limit=limit, shuffle=shuffle)
    # With the results on standard output, everything for people goes to standard error.
    to_stdout = json_path == "-"
    out = console(stderr=to_stdout)
    mode = rtl.resolve_mode(rtl_mode, os.environ, isatty=out.is_terminal)
    replay = _replay_command(bank_path, tag=tag, limit=limit, shuffle=shuffle, seed=seed)
    screen = Screen.for_bank(bank, out, mode, read=_reader(to_stdout), wrap_ui=True)
    clock: Callable[[], float] = time.monotonic

    out.file.write(rtl.session_prefix(mode))
    ended = "finished"
    try:
        if sheet is not None:
            # Nobody took this quiz in real time: the results carry no time.
            result = grade_responses(quiz, sheet.responses)
        else:
            if sys.stdin.isatty():
                import readline  # noqa: F401  (importing it gives input() line editing and history)
            answered, ended, elapsed = run(quiz, screen, clock)
            result = results(bank, answered, quiz_length=len(quiz), seed=seed, time_seconds=elapsed)
        show_summary(screen, quiz, result, ended=ended, replay=replay)
    finally:
        out.file.write(rtl.session_suffix(mode))
        out.file.flush()
    if json_path is not None:
        write_json(json_path, result.to_dict(), [bank_path, *([answers] if answers is not None else [])])
    if ended == "interrupted":
        raise typer.Exit(EXIT_INTERRUPTED)


def _reader(prompt_on_stderr: bool) -> Callable[[str], str]:
    """`input`, or when standard output carries data, a reader that prompts on standard error."""
    if not prompt_on_stderr:
        return input

    import sys

    def read(prompt: str) -> str:
        echo(prompt, err=True, end="")
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    return read


def run(quiz: Quiz, screen: Screen, clock: Callable[[], float]) -> tuple[list[Answer], str, float]:
    """Ask every question of `quiz`; returns the answers, how it ended ("finished", "eof" or
    "interrupted") and the seconds it took by `clock`.

    The question on screen when Ctrl-C or Ctrl-D comes is not counted: the summary is of what
    was answered (or skipped).
    """
    from quizdeck.commands._asking import SKIP, ask, describe_skipped, show_feedback
    from quizdeck.session import answer

    answered: list[Answer] = []
    start = clock()
    ended = "finished"
    try:
        for number, asked in enumerate(quiz.asked, 1):
            question = asked.question
            score = sum(a.mark.points for a in answered)
            screen.ui("")
            screen.ui(
                f"question {number} of {len(quiz)}   score so far: {_points(score)} of {len(answered)}",
                style="bold blue",
            )
            response = ask(question, screen, options=asked.options)
            hint_used = question.id in screen.hints_shown
            if response is SKIP:
                result = answer(quiz.bank, question, None, hint_used=hint_used)
                describe_skipped(question, screen)
            else:
                result = answer(quiz.bank, question, response, hint_used=hint_used)
                show_feedback(screen, question, response, result.mark)
            answered.append(result)
    except KeyboardInterrupt:
        ended = "interrupted"
    except EOFError:
        ended = "eof"
    if ended != "finished":
        # The terminal left the cursor after "^C" or on the prompt line.
        screen.ui("")
    return answered, ended, clock() - start


def _replay_command(bank_path: Path, *, tag: str | None, limit: int | None, shuffle: bool, seed: int) -> str:
    """The command that asks the same quiz again."""
    import shlex

    words = ["quizdeck", "take", str(bank_path)]
    if tag:
        words += ["--tag", tag]
    if limit is not None:
        words += ["--limit", str(limit)]
    if not shuffle:
        words.append("--no-shuffle")
    words += ["--seed", str(seed)]
    return shlex.join(words)


def show_summary(screen: Screen, quiz: Quiz, result: Results, *, ended: str, replay: str) -> None:
    """Score, percentage, time taken, and every question missed with its answer."""
    from quizdeck.commands._asking import format_response
    from quizdeck.grading import describe_expected

    screen.ui("")
    screen.console.rule("summary")
    if ended == "interrupted":
        screen.ui(f"quiz stopped (Ctrl-C) after {result.total} of {len(quiz)} questions", style="yellow")
    elif ended == "eof":
        screen.ui(f"quiz ended after {result.total} of {len(quiz)} questions", style="yellow")
    screen.ui(f"score: {_points(result.score)} of {result.total} ({result.percent:g}%)", style="bold")
    if result.time_seconds is not None:
        screen.ui(f"time taken: {_duration(result.time_seconds)}")
    screen.ui(f"seed: {quiz.seed}; this quiz again:", style="dim")
    # On a line of its own and never wrapped by us: a command cut by a newline cannot be pasted.
    screen.console.print(f"  {replay}", style="dim", markup=False, highlight=False, soft_wrap=True)
    missed = result.missed
    if not missed:
        if result.total:
            screen.ui("nothing missed", style="green")
        return
    screen.ui(f"missed ({len(missed)}):", style="bold")
    for a in missed:
        worth = _points(a.mark.points) + (" point" if a.mark.points == 1 else " points")
        screen.ui(f"  {a.question.id} ({a.question.type}, {worth})", style="bold")
        screen.content(_first_line(a.question), indent="    ")
        screen.labelled("your answer", format_response(a.question, a.response), indent="    ")
        screen.labelled("answer", describe_expected(a.question), style="green", indent="    ")


def _first_line(question: Any) -> str:
    from quizdeck.questions import prompt_text

    text = prompt_text(question)
    return text.splitlines()[0] if text else question.id


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _duration(seconds: float) -> str:
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def write_json(path: str, data: Any, inputs: Sequence[Path | str] = ()) -> None:
    """Write `data` as JSON to a file (never over one of `inputs`), or to standard output for '-'."""
    from quizdeck.files import json_text, write_text

    write_text(path, json_text(data), inputs=inputs)
