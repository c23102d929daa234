"""`quizdeck review` in a real pseudo-terminal: single-key ratings, typed answers, kills, two sessions."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest

from quizdeck.scheduler import State
from tests.conftest import BANKS, press_ctrl_c

QUIZDECK = str(Path(sys.executable).with_name("quizdeck"))
DAY_ONE = "2026-03-01T09:00:00Z"


def spawn(
    store: Path, *args: str, now: str = DAY_ONE, bank: Path = BANKS / "all-types.toml", bury: bool = False
) -> pexpect.spawn:
    """A review session; siblings are not buried unless `bury` (these tests follow one card to its reverse)."""
    env = dict(os.environ, TERM="dumb", TZ="UTC", QUIZDECK_NOW=now, QUIZDECK_RTL="logical")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        QUIZDECK,
        ["review", str(bank), "--store", str(store), *args, *([] if bury else ["--no-bury"])],
        env=env,
        encoding="utf-8",
        dimensions=(40, 100),
        timeout=15,
    )
    return child


def labels(child: pexpect.spawn, *texts: str) -> str:
    """The labels the screen just shown gives these choices (they are shuffled on every review)."""
    return " ".join(re.findall(rf"(\S+)\) {re.escape(text)}\r", child.before)[-1] for text in texts)


def reviews(store: Path) -> list[tuple[str, int, int, int]]:
    """(question id, card number, rating, cram) of every logged review, in order."""
    db = sqlite3.connect(store)
    try:
        return db.execute(
            "SELECT question_id, cards.card, rating, cram FROM reviews JOIN cards ON cards.id = card_id "
            "ORDER BY reviews.id"
        ).fetchall()
    finally:
        db.close()


def integrity(store: Path) -> str:
    db = sqlite3.connect(store)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def test_a_flashcard_is_revealed_and_rated_with_single_keys(tmp_path: Path) -> None:
    store = tmp_path / "progress.db"
    child = spawn(store)
    child.expect_exact("all-types / capital-card (card, front to back) - new")
    child.expect_exact("Capital of France\r\nEnter or space: show the answer   q: quit\r\n")
    assert "Paris" not in child.before
    child.send(" ")  # space reveals
    child.expect_exact("Paris\r\n1 Again: 1m   2 Hard: 6m   3 Good: 10m   4 Easy: 7d\r\n")
    child.send("x")  # not a rating key: ignored
    child.send("3")  # no Enter
    child.expect_exact("Good: next review in 10m")
    # The reversed card asks back to front; Enter reveals too.
    child.expect_exact("all-types / capital-card (card, back to front) - new")
    child.expect_exact("Paris\r\nEnter or space: show the answer")
    child.send("\r")
    child.expect_exact("Capital of France\r\n1 Again: 1m   2 Hard: 6m   3 Good: 10m   4 Easy: 9d\r\n")
    child.send("1")
    child.expect_exact("Again: next review in 1m")
    # An auto-graded question is answered as in `take`; a right answer offers Hard / Good / Easy.
    child.expect_exact("type one label (a-d or 1-4)")
    child.sendline(labels(child, "Jupiter"))
    child.expect_exact("right!")
    child.expect_exact("2 Hard: 6m   3 Good: 10m   4 Easy: 9d   (Enter: Good)")
    child.send("\r")
    child.expect_exact("Good: next review in 10m")
    # A wrong answer rates Again by itself.
    child.expect_exact("type every right label")
    child.sendline(labels(child, "yellow"))
    child.expect_exact("wrong")
    child.expect_exact("rated 1 Again")
    child.expect_exact("type t (true) or f (false)")
    child.sendcontrol("d")  # Ctrl-D at a typed answer ends the session
    child.expect_exact("session stopped")
    child.expect_exact("Reviewed 4 cards (4 reviews, 4 new): 2 right, 2 wrong or forgotten.")
    child.expect_exact("Ratings: Again 2, Hard 0, Good 2, Easy 0")
    child.expect_exact("Next due: in 1m (2026-03-01 09:01); 4 card(s) due within 24 hours.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert reviews(store) == [
        ("capital-card", 1, 3, 0),
        ("capital-card", 2, 1, 0),
        ("largest-planet", 1, 3, 0),
        ("primary-colours", 1, 1, 0),
    ]


def test_typed_answers_and_a_cloze_card_asking_only_its_deletion(tmp_path: Path) -> None:
    store = tmp_path / "progress.db"
    child = spawn(store, "--cram")
    for _ in range(5):  # the two flashcards, choice, multi, true/false: quit keys would end it
        child.expect(r"- new - \d+ left")
        index = child.expect_exact(["show the answer", "type one label", "type every right label", "type t (true)"])
        child.send(" 4" if index == 0 else "")
        if index:
            answers = {1: ("Jupiter",), 2: ("red", "green", "blue")}
            child.sendline(labels(child, *answers[index]) if index in answers else "t")
            child.expect_exact("(Enter: Good)")
            child.send("4")
        child.expect_exact("cram: schedule unchanged")
    child.expect_exact("Who wrote Hamlet?")
    child.sendline("shakespear")  # a typo is forgiven
    child.expect_exact("right!")
    child.send("\r")
    child.expect_exact("The speed of light")
    child.sendline("300")
    child.send("3")
    child.expect_exact("all-types / planets-cloze (cloze c1)")
    # Card 1 asks c1 only: c2 is shown filled in.
    child.expect_exact("The [...] is a star; the Moon orbits the Earth.")
    child.sendline("Sun")
    child.expect_exact("right!")
    child.send("3")
    child.expect_exact("all-types / planets-cloze (cloze c2)")
    child.expect_exact("The Sun is a star; the [satellite] orbits the Earth.")
    child.sendline("Mars")
    child.expect_exact("wrong")
    child.expect_exact("answer: The Sun is a star; the Moon orbits the Earth.")
    child.expect_exact("rated 1 Again")
    child.send("q")  # Order question: q is a line here; Ctrl-C ends the session anywhere
    press_ctrl_c(child)
    child.expect_exact("session stopped")
    child.expect_exact("Cram session: no card's schedule was changed.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    logged = reviews(store)
    assert [row[:2] for row in logged[-4:]] == [
        ("author-hamlet", 1),
        ("speed-of-light", 1),
        ("planets-cloze", 1),
        ("planets-cloze", 2),
    ]
    assert [row[2] for row in logged[-4:]] == [3, 3, 3, 1]
    assert all(row[3] == 1 for row in logged)
    db = sqlite3.connect(store)
    assert db.execute("SELECT count(*) FROM cards WHERE state != 0").fetchone()[0] == 0
    db.close()


@pytest.mark.parametrize("moment", ["on-screen", "after-rating"])
def test_a_session_killed_with_sigkill_loses_nothing_saved(tmp_path: Path, moment: str) -> None:
    store = tmp_path / "progress.db"
    child = spawn(store)
    for rating in "342":
        child.expect_exact("show the answer" if rating != "2" else "type one label")
        if rating == "2":
            child.sendline(labels(child, "Jupiter"))
            child.expect_exact("(Enter: Good)")
        else:
            child.send(" ")
            child.expect_exact("4 Easy")
        child.send(rating)
        child.expect_exact("next review in")
    if moment == "on-screen":
        child.expect_exact("type every right label")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert integrity(store) == "ok"
    assert reviews(store) == [("capital-card", 1, 3, 0), ("capital-card", 2, 4, 0), ("largest-planet", 1, 2, 0)]
    # The store opens and the session resumes where it stopped.
    again = spawn(store)
    again.expect_exact("all-types / primary-colours (multi) - new")
    press_ctrl_c(again)
    again.expect(pexpect.EOF)


def test_two_sessions_at_once_both_save(tmp_path: Path) -> None:
    store = tmp_path / "progress.db"
    other_bank = tmp_path / "other.toml"
    shutil.copy(BANKS / "all-types.toml", other_bank)
    other_bank.write_text(
        other_bank.read_text(encoding="utf-8").replace('id = "all-types"', 'id = "other"'), encoding="utf-8"
    )
    first = spawn(store)
    second = spawn(store, bank=other_bank)
    for child in (first, second, first, second):
        child.expect_exact("show the answer")
        child.send(" ")
        child.expect_exact("4 Easy")
        child.send("3")
        child.expect_exact("Good: next review in 10m")
    # Both on the same card of the same bank, both showing it as new: the later rating is
    # applied on top of the earlier one (not to the new card it showed), and both are logged.
    third = spawn(store)
    third.expect_exact("all-types / largest-planet (choice) - new")
    first.expect_exact("all-types / largest-planet (choice) - new")
    for child, key, name in ((first, "4", "Easy"), (third, "2", "Hard")):
        child.expect_exact("type one label")
        child.sendline(labels(child, "Jupiter"))
        child.expect_exact("(Enter: Good)")
        child.send(key)
        child.expect_exact(f"{name}: next review in")
    for child in (first, second, third):
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    assert integrity(store) == "ok"
    db = sqlite3.connect(store)
    rows = db.execute(
        "SELECT bank_id, question_id, cards.card, rating FROM reviews "
        "JOIN cards ON cards.id = card_id ORDER BY reviews.id"
    ).fetchall()
    db.close()
    assert sorted(rows) == sorted(
        [
            ("all-types", "capital-card", 1, 3),
            ("other", "capital-card", 1, 3),
            ("all-types", "capital-card", 2, 3),
            ("other", "capital-card", 2, 3),
            ("all-types", "largest-planet", 1, 4),
            ("all-types", "largest-planet", 1, 2),
        ]
    )
    db = sqlite3.connect(store)
    planet = db.execute(
        "SELECT rating, state_before, state_after, due_after FROM reviews JOIN cards ON cards.id = card_id "
        "WHERE question_id = 'largest-planet' ORDER BY reviews.id"
    ).fetchall()
    card = db.execute("SELECT state, reps, due FROM cards WHERE question_id = 'largest-planet'").fetchone()
    db.close()
    easy, hard = planet
    assert easy[:3] == (4, int(State.New), int(State.Review))
    assert hard[:3] == (2, int(State.Review), int(State.Review))  # rated as the Review card it had become
    assert card == (int(State.Review), 2, hard[3])  # the later rating's schedule, both counted
