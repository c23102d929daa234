"""`quizdeck review`: a spaced-repetition session in the terminal, saved rating by rating."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from quizdeck.commands._output import MAX_COUNT, RTL_OPTION, STORE_OPTION, checked_time, console, reports_errors

if TYPE_CHECKING:
    from quizdeck.bank import Bank
    from quizdeck.commands._asking import Screen
    from quizdeck.questions import Question
    from quizdeck.review import ReviewCard, Session
    from quizdeck.scheduler import Rating, Scheduler
    from quizdeck.store import CardKey, Store

#: Set to an ISO-8601 time to run quizdeck at that moment (a testing aid: simulate days).
NOW_VAR = "QUIZDECK_NOW"

#: Exit status after Ctrl-C, as a shell reports a process ended by SIGINT (as `take` does).
EXIT_INTERRUPTED = 130

CTRL_C = "\x03"
CTRL_D = "\x04"


def clock(env: Mapping[str, str]) -> datetime:
    """The time now, in UTC: $QUIZDECK_NOW if set (a testing aid), else the system clock.

    QUIZDECK_NOW is ISO-8601 (`2026-03-01T09:00:00+00:00`, `2026-03-01T09:00Z`); a time without
    an offset is taken as UTC. It stands still: every event of a run happens at that moment.
    """
    from quizdeck.errors import UsageError

    value = env.get(NOW_VAR)
    if not value:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{NOW_VAR}={value!r} is not an ISO-8601 time (e.g. 2026-03-01T09:00:00+00:00); fix it or unset {NOW_VAR}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return checked_time(moment, NOW_VAR).astimezone(timezone.utc)


def start_of_day(now: datetime) -> datetime:
    """Midnight (local time) of the learner's day containing `now`, in UTC."""
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


class Quit(Exception):
    """The learner ended the session (Ctrl-C, Ctrl-D, or q); `interrupted` for Ctrl-C."""

    def __init__(self, interrupted: bool) -> None:
        super().__init__("interrupted" if interrupted else "ended")
        self.interrupted = interrupted


#: What KeyReader returns for an escape sequence (an arrow, Home, F1...): never a rating.
SEQUENCE = "\x1b["


def split_keys(chunk: str) -> list[str]:
    """The key presses in what the terminal sent at once: each character is a key, but a whole
    escape sequence (ESC [ ... final byte, ESC O x, or ESC and one character: an arrow, F1,
    Alt+x) is one key, returned as SEQUENCE; ESC alone (at the end) is Esc."""
    from quizdeck.commands import _editor

    return [SEQUENCE if len(key) > 1 else key for key in _editor.split_keys(chunk)]


class KeyReader:
    """Single key presses, without Enter: raw mode on a terminal, else characters of stdin.

    Keys typed ahead (" 3" in one burst) are kept for the next reads; an escape sequence (an
    arrow key) is one key, SEQUENCE, whole (see `split_keys`); end of input reads as Ctrl-D.
    """

    def __init__(self) -> None:
        self._pending: list[str] = []

    def __call__(self) -> str:
        if not self._pending:
            chunk = self._chunk()
            self._pending = split_keys(chunk) or [CTRL_D]
        return self._pending.pop(0)

    def _chunk(self) -> str:
        if not sys.stdin.isatty():
            data = sys.stdin.read(1)
            if data == "\x1b":
                # Piped keys come one by one: read the rest of an escape sequence, if it is one.
                data += sys.stdin.read(1)
                if data[1:] == "[":
                    while (more := sys.stdin.read(1)) and not "\x40" <= more <= "\x7e":
                        data += more
                    data += more
                elif data[1:] == "O":
                    data += sys.stdin.read(1)
            return data
        import termios
        import tty

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            # TCSANOW, not the default TCSAFLUSH: a key typed before raw mode began is kept.
            tty.setraw(fd, termios.TCSANOW)
            data = os.read(fd, 64)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        return data.decode("utf-8", errors="replace")


def wait_for(keys: str, read: Callable[[], str], *, refused: Callable[[], None] | None = None) -> str:
    """Read keys until one of `keys`; Ctrl-C, Ctrl-D, q and Esc end the session. An escape
    sequence (an arrow key) is never one of `keys`: `refused` is called to say so."""
    wanted = set(keys)
    while True:
        key = read()
        if key == CTRL_C:
            raise Quit(interrupted=True)
        if key in (CTRL_D, "q", "Q", "\x1b"):
            raise Quit(interrupted=False)
        if key in wanted:
            return key
        if key == SEQUENCE and refused is not None:
            refused()


@reports_errors
def review(
    bank_paths: list[Path] = typer.Argument(
        ..., metavar="BANK", help="One or more bank files, or folders searched for *.toml.", show_default=False
    ),
    new: int = typer.Option(
        20,
        "--new",
        min=0,
        metavar="N",
        help="At most N new cards a day from each bank (cards started earlier today count).",
    ),
    limit: int | None = typer.Option(None, "--limit", min=1, max=MAX_COUNT, metavar="N",
                                     help="At most N cards in this session."),
    cram: bool = typer.Option(
        False,
        "--cram",
        help="Review every card, due or not, without changing its schedule (before an exam).",
    ),
    bury: bool = typer.Option(
        True,
        "--bury/--no-bury",
        help="Bury siblings (a card and its reverse, the blanks of one cloze) until tomorrow, as Anki does: "
        "one card of a question a day. --no-bury asks them all.",
    ),
    store: Path | None = STORE_OPTION,
    rtl_mode: str | None = RTL_OPTION,
) -> None:
    """Review flashcards with spaced repetition (FSRS): the cards due now, then new ones.

    Flashcards: Enter or space shows the answer, then one key rates it - 1 Again, 2 Hard,
    3 Good, 4 Easy - each labelled with when the card would come back. Other questions are
    answered as in `quizdeck take`; a wrong answer rates Again, a right one asks Hard, Good or
    Easy (Enter: Good; q or Esc: Good, and the session ends). Choices are shuffled anew on every
    review; the other cards of a question (a reverse, a cloze's other blanks) wait until tomorrow
    (see --no-bury). Each rating is saved at once: Ctrl-C, Ctrl-D or q ends the session and loses
    nothing. Progress lives in the store (see --store); `quizdeck stats` shows it.

    Example: quizdeck review quizzes/coalition-iraq.toml --new 10
    """
    from quizdeck import rtl
    from quizdeck.bank import find_bank_files, load_bank
    from quizdeck.commands._asking import Screen
    from quizdeck.commands._display import display_mode
    from quizdeck.errors import UsageError
    from quizdeck.review import Session, plan_from_store
    from quizdeck.scheduler import Scheduler
    from quizdeck.store import Store, store_path

    if rtl_mode is not None and rtl_mode not in rtl.MODES:
        raise UsageError(f"--rtl must be one of {', '.join(rtl.MODES)} (got {rtl_mode!r})")
    env_mode = os.environ.get(rtl.ENV_VAR)
    if rtl_mode is None and env_mode and env_mode not in rtl.MODES:
        raise UsageError(f"{rtl.ENV_VAR} must be one of {', '.join(rtl.MODES)} (got {env_mode!r})")
    now = clock(os.environ)
    # A folder is every bank in it, as for `check` and `export` (`quizdeck review quizzes/`).
    banks = [load_bank(path) for path in find_bank_files(bank_paths)]
    if not banks:
        raise UsageError(f"no *.toml banks found in {', '.join(str(p) for p in bank_paths)}")
    seen: dict[str, Bank] = {}
    for bank in banks:
        if bank.id in seen:
            raise UsageError(
                f"{bank.name}: bank id {bank.id!r} is also the id of {seen[bank.id].name}; "
                "give each bank once (bank ids must be unique)"
            )
        seen[bank.id] = bank
    out = console()
    # The first right-to-left title is the sample the one-time question shows (see _display).
    sample = next((bank.title for bank in banks if rtl.has_rtl(bank.title)), "")
    mode = display_mode(rtl_mode, out, sample=sample, interactive=True)
    screens = {bank.id: Screen.for_bank(bank, out, mode) for bank in banks}

    with Store.open(store_path(store, os.environ), now=now) as db:
        for bank in banks:
            db.remember_bank(bank.id, bank.title, bank.path, now)
        ids = [bank.id for bank in banks]
        plan = plan_from_store(
            db, banks, now=now, day_start=start_of_day(now), new_limit=new, limit=limit, cram=cram, bury=bury
        )
        session = Session(plan.cards, cram=cram)
        out.file.write(rtl.session_prefix(mode))
        ended = "finished"
        try:
            if plan.orphans:
                out.print(
                    f"note: {len(plan.orphans)} stored card(s) no longer match a question in "
                    "their bank; `quizdeck stats` lists them (their history is kept)",
                    markup=False,
                    style="yellow",
                )
            if plan.buried:
                out.print(
                    f"{plan.buried} sibling card(s) (the reverse of a card, another blank of a cloze) buried "
                    "until tomorrow; --no-bury asks them today",
                    markup=False,
                    style="dim",
                )
            if not plan.cards:
                out.print(_nothing_message(banks, cram, new, _new_waiting(db, banks)), markup=False)
            else:
                ended = run(session, screens, db, Scheduler(), lambda: clock(os.environ), KeyReader())
            show_summary(out, session, db, ids, clock(os.environ), ended=ended, cram=cram, orphans=plan.orphans)
        finally:
            out.file.write(rtl.session_suffix(mode))
            out.file.flush()
    if ended == "interrupted":
        raise typer.Exit(EXIT_INTERRUPTED)


def _new_waiting(db: Store, banks: Sequence[Bank]) -> int:
    """How many cards of the banks have never been reviewed."""
    from quizdeck.review import bank_keys
    from quizdeck.scheduler import State

    waiting = 0
    for bank in banks:
        known = db.states(bank.id)
        waiting += sum(1 for key in bank_keys(bank) if known.get(key, State.New) == State.New)
    return waiting


def _nothing_message(banks: Sequence[Bank], cram: bool, new: int, new_waiting: int = 0) -> str:
    names = ", ".join(bank.id for bank in banks)
    if cram:
        return f"Nothing to cram: {names} has no cards."
    if not new:
        hint = " (--new 0: no new cards)"
    elif new_waiting:
        # Without this, a learner who wants more new cards today is not told how to get them.
        hint = (f"; today's {new} new card(s) per bank are done, {new_waiting} more wait: "
                f"--new {new * 2} raises today's limit")
    else:
        hint = ""
    return f"Nothing to review in {names} now{hint}."


def run(
    session: Session,
    screens: Mapping[str, Screen],
    db: Store,
    scheduler: Scheduler,
    now: Callable[[], datetime],
    read: Callable[[], str],
) -> str:
    """Show cards until the session is over or the learner quits; how it ended: "finished",
    "stopped" (Ctrl-D, q) or "interrupted" (Ctrl-C). A card on screen then is not rated.

    The clock is read once per event (a card shown, a rating given) and passed down.
    """
    import time
    from dataclasses import replace
    from functools import partial

    from quizdeck.scheduler import format_interval

    card: ReviewCard | None = None
    ended = "finished"
    try:
        while (card := session.next(moment := now())) is not None:
            if not session.cram:
                # Another terminal may have reviewed this card since the session was planned: show
                # it only if it is due again now (not merely within learn-ahead, which would
                # repeat the other terminal's review at once).
                fresh = db.memory(card.key)
                if fresh.reps != card.memory.reps:
                    if not fresh.is_due(moment):
                        continue
                    card = replace(card, memory=fresh)
            screen = screens[card.key.bank_id]
            shown = time.monotonic()
            rating, correct, stop = ask_card(card, screen, scheduler, moment, read, session)
            moment = now()
            # The card's memory is re-read as the rating is saved: if another terminal rated it
            # meanwhile, this rating applies on top of that one instead of overwriting it.
            _, after = db.rate(
                card.key,
                rating,
                moment,
                partial(scheduler.review, rating=rating, now=moment, fuzz_seed=str(card.key)),
                duration_ms=round((time.monotonic() - shown) * 1000),
                cram=session.cram,
            )
            session.answered(card, rating, after, correct=correct, now=moment)
            card = None
            if session.cram:
                screen.ui(f"{rating.name} (cram: schedule unchanged)", style="dim")
            else:
                assert after.due is not None
                screen.ui(f"{rating.name}: next review in {format_interval(after.due - moment)}", style="dim")
            if stop:
                raise Quit(interrupted=False)
    except Quit as quit:
        ended = "interrupted" if quit.interrupted else "stopped"
    except KeyboardInterrupt:
        ended = "interrupted"
    except EOFError:
        ended = "stopped"
    if ended != "finished":
        if card is not None:
            session.put_back(card)
        # The terminal left the cursor after "^C" or on the prompt line.
        next(iter(screens.values())).ui("")
    return ended


def rating_labels(
    card: ReviewCard, scheduler: Scheduler, now: datetime, *, cram: bool, ratings: Sequence[Rating] | None = None
) -> str:
    """The rating keys with the interval each would give: "1 Again: 1m   2 Hard: 6m ..."."""
    from quizdeck.scheduler import RATINGS, format_interval

    shown = RATINGS if ratings is None else ratings
    if cram:
        return "   ".join(f"{int(r)} {r.name}" for r in shown)
    intervals = scheduler.preview(card.memory, now, fuzz_seed=str(card.key))
    return "   ".join(f"{int(r)} {r.name}: {format_interval(intervals[r])}" for r in shown)


def _header(card: ReviewCard, session: Session) -> str:
    from quizdeck.questions import Card, Cloze

    kind = card.question.type
    if isinstance(card.question, Card) and card.question.reverse:
        kind += ", back to front" if card.reversed else ", front to back"
    elif isinstance(card.question, Cloze) and card_total(card) > 1:
        kind += f" c{card.key.card}"
    status = "new" if card.is_new else card.memory.state.name.lower()
    return f"{card.key.bank_id} / {card.question.id} ({kind}) - {status} - {session.remaining + 1} left"


def card_total(card: ReviewCard) -> int:
    from quizdeck.questions import card_count

    return card_count(card.question)


def ask_card(
    card: ReviewCard, screen: Screen, scheduler: Scheduler, now: datetime, read: Callable[[], str], session: Session
) -> tuple[Rating, bool, bool]:
    """Show one card and get its rating: (rating, whether the learner was right, whether the
    learner ended the session with it: q or Esc after a right answer rates Good, then ends)."""
    import random

    from quizdeck.commands._asking import SKIP, ask, describe_skipped, show_feedback
    from quizdeck.grading import grade
    from quizdeck.questions import Card
    from quizdeck.scheduler import RATINGS, Rating
    from quizdeck.session import presented_options

    def refused(keys: str) -> Callable[[], None]:
        return lambda: screen.ui(f"arrow and function keys do nothing here: press {keys}", style="yellow")

    screen.ui("")
    screen.ui(_header(card, session), style="bold blue")
    question = card.question
    if isinstance(question, Card):
        front, back = (question.back, question.prompt) if card.reversed else (question.prompt, question.back)
        screen.content(front, style="bold")
        screen.ui("Enter or space: show the answer   q: quit", style="dim")
        wait_for("\r\n ", read, refused=refused("Enter or space"))
        screen.content(back, style="green")
        if question.explanation:
            screen.content(question.explanation, style="italic")
        screen.ui(rating_labels(card, scheduler, now, cram=session.cram))
        key = wait_for("1234", read, refused=refused("1, 2, 3 or 4"))
        rating = Rating(int(key))
        return rating, rating != Rating.Again, False
    asked = single_deletion(card)
    # Shuffled on every review, the same way for the same review (card and review count): the
    # learner remembers the answer, not its letter.
    options = presented_options(asked, random.Random(f"{card.key}:{card.memory.reps}"))
    response = ask(asked, screen, options=options)
    if response is SKIP:
        describe_skipped(asked, screen, options=options)
        correct = False
    else:
        mark = grade(asked, response, fuzzy=card.bank.fuzzy_for(question))
        show_feedback(screen, asked, response, mark)
        correct = mark.correct
    if not correct:
        screen.ui("rated 1 Again", style="dim")
        return Rating.Again, False, False
    screen.ui(rating_labels(card, scheduler, now, cram=session.cram, ratings=RATINGS[1:]) + "   (Enter: Good)")
    try:
        key = wait_for("234\r\n", read, refused=refused("2, 3, 4 or Enter"))
    except Quit as quit:
        if quit.interrupted:
            raise
        # The answer was right: leaving now still records it, as Good.
        return Rating.Good, True, True
    return (Rating.Good if key in "\r\n" else Rating(int(key))), True, False


def single_deletion(card: ReviewCard) -> Question:
    """The question to ask for a card: for cloze card N, the cloze with only cN blanked (the
    other deletions shown filled in, as Anki does); any other question as it is."""
    from dataclasses import replace

    from quizdeck.questions import CLOZE_PATTERN, Cloze

    question = card.question
    if not isinstance(question, Cloze):
        return question
    number = card.key.card

    def fill(match: re.Match[str]) -> str:
        return match.group(0) if int(match.group(1)) == number else str(match.group(2)).strip()

    return replace(
        question,
        text=CLOZE_PATTERN.sub(fill, question.text),
        deletions=tuple(d for d in question.deletions if d.number == number),
    )


def show_summary(
    out: object,
    session: Session,
    db: Store,
    bank_ids: Sequence[str],
    now: datetime,
    *,
    ended: str,
    cram: bool,
    orphans: Sequence[CardKey] = (),
) -> None:
    """What was reviewed, how many right, and when the next cards fall due (orphans never do)."""
    from datetime import timedelta

    from rich.console import Console

    from quizdeck.scheduler import RATINGS, format_interval

    assert isinstance(out, Console)
    summary = session.summary()
    if summary.reviews:
        out.print()
        out.rule("session over" if ended == "finished" else "session stopped")
        cards = "card" if summary.cards == 1 else "cards"
        out.print(
            f"Reviewed {summary.cards} {cards} ({summary.reviews} review{'' if summary.reviews == 1 else 's'}, "
            f"{summary.new} new): {summary.right} right, "
            f"{summary.reviews - summary.right} wrong or forgotten.",
            markup=False,
        )
        out.print("Ratings: " + ", ".join(f"{r.name} {summary.ratings[r]}" for r in RATINGS), markup=False)
        # Cards waiting to come back from a learning step were reviewed: "Next due" covers them.
        if session.unseen:
            out.print(
                f"{session.unseen} card(s) of this session not reviewed; they wait for the next session.",
                markup=False,
            )
        if cram:
            out.print("Cram session: no card's schedule was changed.", markup=False)
    orphaned = set(orphans)
    orphan_dues = [due for key in orphaned if (due := db.memory(key).due) is not None]

    def count_due(moment: datetime) -> int:
        return db.count_due(bank_ids, moment) - sum(1 for due in orphan_dues if due <= moment)

    due_now = count_due(now)
    if due_now:
        # After cram too: cramming left these cards due, and only a normal review reschedules them.
        out.print(f"{due_now} card(s) due now.", markup=False)
    upcoming = [item for item in db.next_due(bank_ids, now, limit=len(orphaned) + 1) if item[0] not in orphaned]
    if upcoming:
        _, due = upcoming[0]
        within_day = count_due(now + timedelta(days=1))
        when = due.astimezone().strftime("%Y-%m-%d %H:%M")
        out.print(
            f"Next due: in {format_interval(due - now)} ({when}); {within_day} card(s) due within 24 hours.",
            markup=False,
        )
    elif not due_now and (summary.reviews or not cram):
        out.print("No reviews scheduled yet.", markup=False)
