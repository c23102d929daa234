"""`quizdeck stats`: a learner's progress per bank, from the review store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from quizdeck.commands._output import RTL_OPTION, STORE_OPTION, console, reports_errors

if TYPE_CHECKING:
    from rich.console import Console

    from quizdeck.review import BankProgress
    from quizdeck.store import AttemptRecord

#: Width of the longest bar of the forecast chart, in columns.
BAR_WIDTH = 30


@reports_errors
def stats(
    bank_paths: list[Path] | None = typer.Argument(
        None,
        metavar="BANK",
        help="Bank files (default: every bank in the store).",
        show_default=False,
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
    store: Path | None = STORE_OPTION,
    rtl_mode: str | None = RTL_OPTION,
) -> None:
    """Show review progress: cards new / learning / review, what falls due this week, reviews and
    retention over the last 30 days, the hardest cards, and orphaned cards (stored cards whose
    question is no longer in its bank: reported, never deleted); then the quizzes taken (`take`),
    newest first, with their scores and whether they can be resumed.

    Without BANK, every bank the store has seen (found again through the file it was last
    reviewed from).

    Example: quizdeck stats quizzes/coalition-iraq.toml --json
    """
    from quizdeck import rtl
    from quizdeck.bank import Bank, load_bank
    from quizdeck.commands._display import saved_mode
    from quizdeck.commands.review import clock, start_of_day
    from quizdeck.errors import QuizdeckError
    from quizdeck.review import bank_progress
    from quizdeck.store import Store, store_path

    mode = rtl.resolve_mode(rtl_mode, os.environ, configured=saved_mode(rtl_mode))
    now = clock(os.environ)
    day_start = start_of_day(now)
    path = store_path(store, os.environ)
    banks = [load_bank(p) for p in bank_paths or []]
    exists = path.exists()
    # A missing store is not created by looking at it: every card is simply new. Nor is a store
    # written to by looking at it, so a read-only one can be reported on.
    with Store.open(path, now=now, read_only=True) if exists else Store.open_empty() as db:
        progress: list[BankProgress] = []
        if banks:
            for bank in banks:
                progress.append(
                    bank_progress(
                        db,
                        bank.id,
                        bank.title,
                        str(bank.path) if bank.path else None,
                        bank,
                        day_start=day_start,
                        now=now,
                    )
                )
        else:
            for record in db.banks():
                found: Bank | None = None
                problem = ""
                if record.path is None:
                    problem = "bank file unknown (not reviewed since the store was upgraded)"
                else:
                    try:
                        found = load_bank(record.path)
                    except QuizdeckError:
                        problem = f"bank file {record.path} cannot be read now"
                    else:
                        if found.id != record.id:
                            problem = f"{record.path} now holds bank {found.id!r}"
                            found = None
                progress.append(
                    bank_progress(
                        db, record.id, record.title, record.path, found, day_start=day_start, now=now, problem=problem
                    )
                )
        attempts = db.attempts([bank.id for bank in banks] if banks else None, limit=QUIZZES_SHOWN)
    if json_output:
        from quizdeck.files import json_text, write_text

        document = {
            "store": str(path),
            "now": now.isoformat(),
            "banks": [to_json(p) for p in progress],
            "quizzes": [quiz_json(a) for a in attempts],
        }
        write_text("-", json_text(document))
        return
    out = console()
    if not progress and not attempts:
        out.print(f"No reviews yet in {path}: start with `quizdeck review BANK`.", markup=False)
        return
    out.file.write(rtl.session_prefix(mode))
    try:
        for number, item in enumerate(progress):
            if number:
                out.print()
            render(out, item, mode)
        if attempts:
            if progress:
                out.print()
            out.print("quizzes taken (newest first):", style="bold", markup=False)
            for line in quiz_lines(attempts):
                out.print(f"  {line}", markup=False)
    finally:
        out.file.write(rtl.session_suffix(mode))
        out.file.flush()


#: How many quiz attempts `stats` lists.
QUIZZES_SHOWN = 20


def quiz_json(attempt: AttemptRecord) -> dict[str, Any]:
    """One quiz attempt as a JSON-able dict."""
    answered = len(attempt.answers)
    score = round(attempt.score, 4)
    return {
        "bank": attempt.bank_id,
        "path": attempt.bank_path,
        "started": attempt.started_at.isoformat(),
        "finished": None if attempt.finished_at is None else attempt.finished_at.isoformat(),
        "seed": attempt.seed,
        "questions": len(attempt.question_ids),
        "answered": answered,
        "score": int(score) if score == int(score) else score,
        "percent": round(100 * attempt.score / answered, 1) if answered else 0.0,
        "seconds": round(attempt.seconds, 1),
    }


def quiz_lines(attempts: list[AttemptRecord]) -> list[str]:
    """One line per quiz attempt: when, which bank, score, and whether it can be resumed."""
    lines = []
    for attempt in attempts:
        data = quiz_json(attempt)
        when = attempt.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        state = "finished" if attempt.finished_at is not None else "stopped; take BANK --resume continues it"
        lines.append(f"{when}  {attempt.bank_id}: {data['score']} of {data['answered']} answered "
                     f"({data['percent']:g}%), {data['answered']} of {data['questions']} questions, {state}")
    return lines


def to_json(item: BankProgress) -> dict[str, Any]:
    """One bank's progress as a JSON-able dict."""
    from quizdeck.scheduler import State

    activity = item.activity
    return {
        "id": item.bank_id,
        "title": item.title,
        "path": item.path,
        "problem": item.problem or None,
        "cards": {
            "new": item.new,
            "learning": item.states.get(State.Learning, 0) + item.states.get(State.Relearning, 0),
            "review": item.states.get(State.Review, 0),
        },
        "due": {
            "today": item.forecast[0][1],
            "next_7_days": sum(count for _, count in item.forecast[1:]),
            "forecast": [{"date": day.astimezone().date().isoformat(), "due": count} for day, count in item.forecast],
        },
        "last_30_days": {
            "reviews": activity.reviews,
            "right": activity.correct,
            "days": activity.days,
            "cram_reviews": activity.cram,
            "retention": None if item.retention is None else round(item.retention, 4),
            "retention_reviews": activity.mature_reviews,
        },
        "hardest": [
            {"question_id": key.question_id, "card": key.card, "lapses": lapses, "reviews": reviews}
            for key, lapses, reviews in item.hardest
        ],
        "orphaned": None
        if item.orphaned is None
        else [{"question_id": key.question_id, "card": key.card} for key in item.orphaned],
    }


def forecast_lines(forecast: tuple[tuple[Any, int], ...], width: int = BAR_WIDTH) -> list[str]:
    """The due forecast as a bar chart, one line a day: "today    ████ 4"."""
    peak = max((count for _, count in forecast), default=0)
    lines = []
    for number, (day, count) in enumerate(forecast):
        label = "today" if number == 0 else day.astimezone().strftime("%a %d")
        bar = "█" * round(count / peak * width) if peak else ""
        if count and not bar:
            bar = "▏"
        lines.append(f"{label:<8} {bar}{' ' if bar else ''}{count}")
    return lines


def render(out: Console, item: BankProgress, mode: str = "logical") -> None:
    """One bank's progress, for people; Arabic (Hebrew...) titles reordered for the terminal's `mode`."""
    from quizdeck import rtl
    from quizdeck.scheduler import State

    def say(text: str = "", style: str = "") -> None:
        # A terminal without bidi (visual mode) would show a right-to-left title backwards, as
        # `review` and `take` would without their own reordering.
        if mode == "visual" and rtl.has_rtl(text):
            text = "\n".join(rtl.display_lines(text, out.width, "ltr", "visual"))
        out.print(text, markup=False, style=style or None)

    say(f"{item.bank_id}: {item.title}", style="bold")
    if item.path:
        say(f"  file: {item.path}")
    if item.problem:
        say(f"  note: {item.problem}; new and orphaned cards cannot be counted", style="yellow")
    learning = item.states.get(State.Learning, 0) + item.states.get(State.Relearning, 0)
    new = "?" if item.new is None else str(item.new)
    in_review = item.states.get(State.Review, 0)
    say(f"  cards: {new} new, {learning} learning, {in_review} review")
    if item.questions is not None and item.cards is not None and item.cards != item.questions:
        say(
            f"    ({item.questions} questions give {item.cards} cards: each blank of a cloze and each side "
            "of a reversed card is a card of its own)"
        )
    week = sum(count for _, count in item.forecast[1:])
    say(f"  due: {item.forecast[0][1]} today, {week} in the next 7 days")
    for line in forecast_lines(item.forecast):
        say(f"    {line}")
    activity = item.activity
    if activity.reviews:
        if item.retention is not None:
            retention = f"retention {item.retention:.0%} of {activity.mature_reviews} mature reviews"
        elif in_review:
            # Retention counts reviews of cards already in review; these have not come back yet.
            retention = f"retention not measured yet: the {in_review} review card(s) are not due back yet"
        else:
            retention = "retention not measured yet: no card has reached review"
        say(
            f"  last 30 days: {activity.reviews} review{'' if activity.reviews == 1 else 's'} "
            f"on {activity.days} day(s), "
            f"{activity.correct} right; {retention}"
        )
    else:
        say("  last 30 days: no reviews")
    if activity.cram:
        say(f"  cram reviews (not scheduled): {activity.cram}")
    if item.hardest:
        say("  hardest cards (most lapses):")
        for key, lapses, reviews in item.hardest:
            say(f"    {key.question_id} card {key.card}: {lapses} lapse(s) in {reviews} reviews")
    if item.orphaned:
        say(
            f"  orphaned cards ({len(item.orphaned)}; their question is gone from the bank, their history is kept):",
            style="yellow",
        )
        for key in item.orphaned:
            say(f"    {key.question_id} card {key.card}")
