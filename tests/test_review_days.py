"""Day after day through the real CLI: a learner reviews the bundled banks and all-types with a fixed
clock (QUIZDECK_NOW), and every day sees exactly the cards due then, then the day's new cards."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pexpect

from quizdeck.bank import Bank, load_bank
from quizdeck.questions import Card, Choice, Cloze, Match, Multi, Numeric, Order, Question, Short, TrueFalse
from quizdeck.review import bank_keys
from quizdeck.store import CardKey
from tests.conftest import BANKS, QUIZZES

QUIZDECK = str(Path(sys.executable).with_name("quizdeck"))
START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
NEW_PER_DAY = 4
HEADER = re.compile(r"\n([a-z0-9-]+) / ([a-z0-9-]+) \((\w+)(, back to front|, front to back| c(\d+))?\) - (\w+) - ")
END = re.compile(r"session over|session stopped|Nothing to review")


def right_answer(bank: Bank, question: Question, card: int, screen: str) -> str:
    """What a learner who knows the answer types (the labels read off the screen: choices are
    shuffled on every review)."""

    def label(text: str) -> str:
        return str(re.findall(rf"(\S+)\) {re.escape(text)}\r", screen)[-1])

    if isinstance(question, Choice):
        return label(question.answer)
    if isinstance(question, Multi):
        return " ".join(label(a) for a in question.answers)
    if isinstance(question, Order):
        return " ".join(label(item) for item in question.items)
    if isinstance(question, Match):
        return " ".join(label(right) for _, right in question.pairs)
    if isinstance(question, TrueFalse):
        return "t" if question.answer else "f"
    if isinstance(question, Short):
        return question.answer
    if isinstance(question, Numeric):
        return f"{question.answer:g}"
    if isinstance(question, Cloze):
        return next(d.answer for d in question.deletions if d.number == card)
    raise AssertionError(question.type)


def due_before(store: Path, now: datetime) -> list[CardKey]:
    """The cards the store has due at `now`, most overdue first (read independently of quizdeck)."""
    if not store.exists():
        return []
    db = sqlite3.connect(store)
    try:
        rows = db.execute(
            "SELECT bank_id, question_id, card FROM cards WHERE due <= ? ORDER BY due, bank_id, question_id, card",
            (int(now.timestamp() * 1000),),
        ).fetchall()
    finally:
        db.close()
    return [CardKey(*row) for row in rows]


def started(store: Path) -> set[CardKey]:
    if not store.exists():
        return set()
    db = sqlite3.connect(store)
    try:
        return {CardKey(*row) for row in db.execute("SELECT bank_id, question_id, card FROM cards WHERE state != 0")}
    finally:
        db.close()


def review_day(store: Path, banks: list[Bank], now: datetime, forget: set[CardKey]) -> list[CardKey]:
    """Run one day's session, answering every card right except those in `forget` (the first time
    they are shown); returns the cards in the order shown."""
    env = dict(os.environ, TERM="dumb", TZ="UTC", QUIZDECK_NOW=now.isoformat(), QUIZDECK_RTL="logical")
    child = pexpect.spawn(
        QUIZDECK,
        ["review", *(str(b.path) for b in banks), "--store", str(store), "--new", str(NEW_PER_DAY), "--no-bury"],
        env=env,
        encoding="utf-8",
        dimensions=(50, 200),
        timeout=15,
    )
    child.delaybeforesend = None
    by_id = {b.id: b for b in banks}
    shown: list[CardKey] = []
    forgotten: set[CardKey] = set()
    while child.expect([HEADER, END]) == 0:
        bank_id, qid, _, direction, deletion = child.match.group(1, 2, 3, 4, 5)
        card = int(deletion) if deletion else 2 if direction == ", back to front" else 1
        key = CardKey(bank_id, qid, card)
        shown.append(key)
        question = by_id[bank_id].question(qid)
        forget_now = key in forget and key not in forgotten
        if forget_now:
            forgotten.add(key)
        if isinstance(question, Card):
            child.expect_exact("show the answer")
            child.send(" ")
            child.expect_exact("4 Easy")
            child.send("1" if forget_now else "3")
        else:
            child.expect_exact("> ")
            child.sendline("-" if forget_now else right_answer(by_id[bank_id], question, card, child.before))
            if not forget_now:
                child.expect_exact("(Enter: Good)")
                child.send("\r")
        child.expect_exact("next review in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return shown


def test_a_learner_reviews_the_banks_day_after_day(tmp_path: Path) -> None:
    store = tmp_path / "progress.db"
    banks = [
        load_bank(BANKS / "all-types.toml"),
        load_bank(QUIZZES / "coalition-iraq-vocab.toml"),
        load_bank(QUIZZES / "coalition-iraq.toml"),
    ]
    history: dict[int, list[CardKey]] = {}
    # Forgotten on day 3: a flashcard (rated 1 Again) and a choice question (skipped, so Again).
    lapsed = {CardKey("all-types", "capital-card", 1), CardKey("all-types", "largest-planet", 1)}
    for day in range(4):
        now = START + timedelta(days=day)
        due = due_before(store, now)
        new = [key for bank in banks for key in [k for k in bank_keys(bank) if k not in started(store)][:NEW_PER_DAY]]
        shown = review_day(store, banks, now, forget=lapsed if day == 2 else set())
        history[day] = shown
        # The day's cards: those due, most overdue first, then the day's new ones in bank order;
        # cards still learning come back after them.
        distinct = list(dict.fromkeys(shown))
        assert distinct[: len(due)] == due, day
        assert distinct[len(due) :] == new, day
        # Every card was answered right in the end: nothing is left due today.
        assert due_before(store, now) == []
    # Day 1's cards were learned (10 minutes, then 2 days): not back on day 2, back on day 3.
    day_one = set(history[0])
    assert len(day_one) == NEW_PER_DAY * len(banks)
    assert not day_one & set(history[1])
    assert day_one <= set(history[2])
    # The cards forgotten on day 3 came back in the same session, relearned.
    assert [history[2].count(key) for key in sorted(lapsed)] == [2, 2]
    env = dict(os.environ, TZ="UTC", QUIZDECK_NOW=(START + timedelta(days=3)).isoformat())
    stats = pexpect.run(
        f"{QUIZDECK} stats {BANKS / 'all-types.toml'} --store {store} --json", env=env, encoding="utf-8"
    )
    [report] = json.loads(stats)["banks"]
    assert [(h["question_id"], h["card"], h["lapses"]) for h in report["hardest"]] == [
        ("capital-card", 1, 1),
        ("largest-planet", 1, 1),
    ]
    assert report["cards"]["new"] == 0 and report["orphaned"] == []  # 11 cards, 4 a day
    assert report["last_30_days"]["retention_reviews"] > 0
