"""`quizdeck take`: a quiz in the terminal, or graded from an answer sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from quizdeck.commands._output import (
    MAX_COUNT,
    RTL_OPTION,
    SEED_MAX,
    SEED_MIN,
    STORE_OPTION,
    console,
    echo,
    reports_errors,
)

if TYPE_CHECKING:
    from quizdeck.commands._asking import Screen
    from quizdeck.session import Answer, Quiz, Results
    from quizdeck.store import Store

#: The summary lists at most this many missed questions (a sheet of thousands would scroll for
#: minutes); --json has them all.
MISSED_SHOWN = 100

#: Exit status after Ctrl-C, as a shell reports a process ended by SIGINT.
EXIT_INTERRUPTED = 130


@reports_errors
def take(
    bank_path: Path = typer.Argument(..., metavar="BANK", help="The bank file.", show_default=False),
    tag: str | None = typer.Option(None, "--tag", help="Only questions with this tag."),
    limit: int | None = typer.Option(None, "--limit", min=1, max=MAX_COUNT, help="Ask at most N questions.",
                                     metavar="N"),
    shuffle: bool = typer.Option(True, "--shuffle/--no-shuffle", help="Shuffle the questions and their choices."),
    seed: int | None = typer.Option(
        None,
        "--seed",
        metavar="N",
        min=SEED_MIN,
        max=SEED_MAX,
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
    save_sheet: Path | None = typer.Option(
        None,
        "--save-sheet",
        metavar="FILE",
        help="Write what was answered as an answer sheet (TOML) that grade and take --answers read.",
    ),
    resume: bool = typer.Option(
        False, "--resume", help="Continue the last unfinished quiz of this bank at its first unanswered question."
    ),
    store: Path | None = STORE_OPTION,
) -> None:
    """Take a quiz: every question asked in the terminal, with feedback and a summary at the end.

    Answer with the labels shown (a b c, or أ ب ج for Arabic banks; digits 1-9 work too), type
    '?' for a hint and '-' to skip. Ctrl-C or Ctrl-D ends the quiz with a summary of what was
    answered. Every quiz is recorded in the progress store as it is answered, so a stopped one
    is kept: --resume continues it, and `stats` lists quizzes taken. With --answers the
    responses come from an answer sheet (see docs/quiz.md) and nothing is asked.

    Example: quizdeck take quizzes/coalition-iraq.toml --limit 10 --seed 7
    """
    import os
    import random
    import sys
    import time

    from quizdeck import rtl
    from quizdeck.bank import load_bank
    from quizdeck.commands._asking import Screen
    from quizdeck.commands._display import display_mode
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
    if resume and (answers is not None or seed is not None or tag is not None or limit is not None or not shuffle):
        raise UsageError("--resume continues a quiz with its own options; give it without --answers, --seed, "
                         "--tag, --limit or --no-shuffle")
    for target in (save_sheet,):
        if target is not None and (not target.resolve().parent.is_dir() or target.is_dir()):
            raise UsageError(f"--save-sheet {target}: give a file name in a folder that exists")
    from quizdeck.files import refuse_inputs

    for output in (json_path, save_sheet):
        if output is not None:
            refuse_inputs(output, [bank_path, *([answers] if answers is not None else [])])
    bank = load_bank(bank_path)
    if answers is not None:
        from quizdeck.bank import paused_collector

        with paused_collector():
            sheet = load_sheet(answers, bank)
    else:
        sheet = None
    attempt = None
    previous: list[Answer] = []
    if resume:
        attempt, quiz, previous = _resumed(bank, bank_path, store)
        seed, tag, limit, shuffle = quiz.seed, quiz.tag, _int(attempt.options.get("limit")), bool(
            attempt.options.get("shuffle", True))
    else:
        if seed is None:
            # A short seed, shown in the summary, so a teacher can replay exactly this quiz.
            seed = random.SystemRandom().randrange(1, 100_000)
        quiz = build_quiz(bank, seed=seed, tag=tag, limit=limit, shuffle=shuffle)
    # With the results on standard output, everything for people goes to standard error.
    to_stdout = json_path == "-"
    out = console(stderr=to_stdout)
    mode = display_mode(rtl_mode, out, sample=bank.title if bank.direction == "rtl" else "",
                        interactive=sheet is None and not to_stdout)
    replay = _replay_command(bank_path, tag=tag, limit=limit, shuffle=shuffle, seed=seed)
    screen = Screen.for_bank(bank, out, mode, read=_reader(to_stdout), wrap_ui=True)
    clock: Callable[[], float] = time.monotonic

    recorder = None
    if sheet is None:
        recorder = _Recorder.open(store, bank, bank_path, quiz, attempt,
                                  {"tag": tag, "limit": limit, "shuffle": shuffle})
        if recorder.problem:
            echo(f"quizdeck: warning: {recorder.problem}; this quiz is not recorded", err=True)
    out.file.write(rtl.session_prefix(mode))
    ended = "finished"
    try:
        if sheet is not None:
            # Nobody took this quiz in real time: the results carry no time.
            from quizdeck.bank import paused_collector

            with paused_collector():
                result = grade_responses(quiz, sheet.responses)
        else:
            if sys.stdin.isatty():
                import readline  # noqa: F401  (importing it gives input() line editing and history)
            if previous:
                screen.ui(f"resuming: {len(previous)} of {len(quiz)} questions answered before", style="yellow")
            answered, ended, elapsed = run(quiz, screen, clock, previous=previous,
                                           on_answer=recorder.record if recorder else None,
                                           elapsed=attempt.seconds if attempt else 0.0)
            if recorder is not None and ended == "finished":
                recorder.finish(elapsed)
            result = results(bank, answered, quiz_length=len(quiz), seed=seed, time_seconds=elapsed)
        show_summary(screen, quiz, result, ended=ended, replay=replay)
    finally:
        out.file.write(rtl.session_suffix(mode))
        out.file.flush()
        if recorder is not None:
            recorder.close()
    inputs = [bank_path, *([answers] if answers is not None else [])]
    if json_path is not None:
        write_json(json_path, result.to_dict(), inputs)
    if save_sheet is not None:
        from quizdeck.files import write_text
        from quizdeck.sheet import sheet_toml

        write_text(save_sheet, sheet_toml({a.question.id: a.response for a in result.answers}), inputs=inputs)
    if ended == "interrupted":
        if recorder is not None and recorder.attempt_id is not None:
            echo(f"kept: continue this quiz with {_program()} take {_quoted(bank_path)} --resume", err=to_stdout)
        raise typer.Exit(EXIT_INTERRUPTED)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _resumed(bank: Any, bank_path: Path, store: Path | None) -> tuple[Any, Quiz, list[Answer]]:
    """The last unfinished attempt of `bank`, its quiz rebuilt, and the answers it has."""
    import os

    from quizdeck.errors import UsageError
    from quizdeck.session import answer, build_quiz
    from quizdeck.store import Store, store_path

    path = store_path(store, os.environ)
    attempt = None
    if path.exists():
        with Store.open(path, read_only=True) as db:
            attempt = db.unfinished_attempt(bank.id)
    if attempt is None:
        raise UsageError(f"{bank.name}: no unfinished quiz of this bank to resume in {path}; "
                         f"start one with: {_program()} take {_quoted(bank_path)}")
    options = attempt.options
    stored_tag = options.get("tag")
    tag = stored_tag if isinstance(stored_tag, str) else None
    quiz = build_quiz(bank, seed=attempt.seed, tag=tag, limit=_int(options.get("limit")),
                      shuffle=bool(options.get("shuffle", True)))
    if tuple(a.question.id for a in quiz.asked) != attempt.question_ids:
        raise UsageError(f"{bank.name}: the bank has changed since this quiz was started (its questions are not "
                         f"the same), so it cannot be resumed; start again with: {_program()} take "
                         f"{_quoted(bank_path)}")
    by_position = {a.position: a for a in attempt.answers}
    previous = []
    for position, asked in enumerate(quiz.asked):
        if position not in by_position:
            break
        stored = by_position[position]
        previous.append(answer(bank, asked.question, stored.response, hint_used=stored.hint_used))
    return attempt, quiz, previous


class _Recorder:
    """Writes a quiz attempt to the progress store answer by answer (Ctrl-C keeps them)."""

    def __init__(self, db: Store | None, attempt_id: int | None, problem: str = "") -> None:
        self.db = db
        self.attempt_id = attempt_id
        self.problem = problem

    @classmethod
    def open(cls, store: Path | None, bank: Any, bank_path: Path, quiz: Quiz, attempt: Any,
             options: dict[str, object]) -> _Recorder:
        import os

        from quizdeck.commands.review import clock
        from quizdeck.store import Store, StoreError, store_path

        try:
            db = Store.open(store_path(store, os.environ))
        except StoreError as failure:
            return cls(None, None, str(failure))
        try:
            if attempt is not None:
                return cls(db, attempt.id)
            number = db.start_attempt(bank.id, bank_path, seed=quiz.seed, options=options,
                                      question_ids=[a.question.id for a in quiz.asked], now=clock(os.environ))
            return cls(db, number)
        except StoreError as failure:
            db.close()
            return cls(None, None, str(failure))

    def record(self, position: int, result: Answer, seconds: float) -> None:
        import os

        from quizdeck.commands.review import clock
        from quizdeck.store import AttemptAnswer, StoreError

        if self.db is None or self.attempt_id is None:
            return
        try:
            self.db.record_answer(self.attempt_id, AttemptAnswer(position, result.question.id, result.response,
                                                                 result.mark.points, result.hint_used),
                                  now=clock(os.environ), seconds=seconds)
        except StoreError as failure:
            echo(f"quizdeck: warning: {failure}; the rest of this quiz is not recorded", err=True)
            self.close()

    def finish(self, seconds: float) -> None:
        import os

        from quizdeck.commands.review import clock
        from quizdeck.store import StoreError

        if self.db is None or self.attempt_id is None:
            return
        try:
            self.db.finish_attempt(self.attempt_id, now=clock(os.environ), seconds=seconds)
        except StoreError as failure:
            echo(f"quizdeck: warning: {failure}", err=True)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


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


def run(
    quiz: Quiz,
    screen: Screen,
    clock: Callable[[], float],
    *,
    previous: Sequence[Answer] = (),
    on_answer: Callable[[int, Answer, float], None] | None = None,
    elapsed: float = 0.0,
) -> tuple[list[Answer], str, float]:
    """Ask every question of `quiz` after the `previous` answers (a resumed quiz); returns the
    answers, how it ended ("finished", "eof" or "interrupted") and the seconds it took by
    `clock` (plus the `elapsed` seconds before it was resumed). `on_answer(position, answer,
    seconds)` is called as each answer is given.

    The question on screen when Ctrl-C or Ctrl-D comes is not counted: the summary is of what
    was answered (or skipped).
    """
    from quizdeck.commands._asking import SKIP, ask, describe_skipped, show_feedback
    from quizdeck.session import answer

    answered: list[Answer] = list(previous)
    start = clock() - elapsed
    ended = "finished"
    try:
        for number, asked in enumerate(quiz.asked, 1):
            if number <= len(previous):
                continue
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
                describe_skipped(question, screen, options=asked.options)
            else:
                result = answer(quiz.bank, question, response, hint_used=hint_used)
                show_feedback(screen, question, response, result.mark)
            answered.append(result)
            if on_answer is not None:
                on_answer(number - 1, result, clock() - start)
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

    words = [*_program_words(), "take", str(bank_path)]
    if tag:
        words += ["--tag", tag]
    if limit is not None:
        words += ["--limit", str(limit)]
    if not shuffle:
        words.append("--no-shuffle")
    words += ["--seed", str(seed)]
    return shlex.join(words)


def _program_words() -> list[str]:
    """The program as it was invoked: `quizdeck` when that is what the shell finds, else its path
    (`.venv/bin/quizdeck`), or `python -m quizdeck`."""
    import os
    import shutil
    import sys

    invoked = sys.argv[0] if sys.argv and sys.argv[0] else "quizdeck"
    name = os.path.basename(invoked)
    if name == "__main__.py":
        return [sys.executable, "-m", "quizdeck"]
    found = shutil.which(name)
    if os.sep not in invoked or (found is not None and os.path.realpath(found) == os.path.realpath(invoked)):
        return [name]
    return [invoked]


def _program() -> str:
    import shlex

    return shlex.join(_program_words())


def _quoted(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


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
    # Up to four hundred lines: printed at once (Screen.batched).
    with screen.batched():
        screen.ui(f"missed ({len(missed)}):", style="bold")
        for a in missed[:MISSED_SHOWN]:
            worth = _points(a.mark.points) + (" point" if a.mark.points == 1 else " points")
            screen.ui(f"  {a.question.id} ({a.question.type}, {worth})", style="bold")
            screen.content(_first_line(a.question), indent="    ")
            screen.labelled("your answer", format_response(a.question, a.response), indent="    ")
            screen.labelled("answer", describe_expected(a.question), style="green", indent="    ")
        if len(missed) > MISSED_SHOWN:
            rest = len(missed) - MISSED_SHOWN
            screen.ui(f"… and {rest:,} more missed (--json FILE writes every answer)", style="bold")


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
