"""`quizdeck review` as a learner used to Anki expects it, in a real pseudo-terminal, on the bundled
Arabic banks: siblings buried until the next day, choices shuffled on every review, q or Esc after
a right answer recording Good, and arrow keys at a rating prompt refused with a note, never a rating.

Questions are taken from the bundled banks by type (the first ones), so the tests follow the banks
when their wording changes.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pexpect
import tomli_w
import tomllib

from tests.conftest import QUIZZES, press_ctrl_c

QUIZDECK = str(Path(sys.executable).with_name("quizdeck"))
DAY_ONE = "2026-03-01T09:00:00Z"
DAY_TWO = "2026-03-02T09:00:00Z"
ARROW_UP, ARROW_DOWN, F1 = "\x1b[A", "\x1b[B", "\x1bOP"
REFUSED = "arrow and function keys do nothing here"


def bank_of(tmp_path: Path, source: str, count: int, **match: Any) -> tuple[Path, list[dict[str, Any]]]:
    """A bank of the first `count` questions of a bundled bank having the `match` fields."""
    data = tomllib.loads((QUIZZES / source).read_text(encoding="utf-8"))
    picked = [q for q in data["questions"] if all(q.get(k) == v for k, v in match.items())][:count]
    assert len(picked) == count
    path = tmp_path / source
    path.write_text(tomli_w.dumps({"bank": data["bank"], "questions": picked}), encoding="utf-8")
    return path, picked


def spawn(store: Path, bank: Path, *args: str, now: str = DAY_ONE) -> pexpect.spawn:
    env = dict(os.environ, TERM="dumb", TZ="UTC", QUIZDECK_NOW=now, QUIZDECK_RTL="logical")
    return pexpect.spawn(
        QUIZDECK, ["review", str(bank), "--store", str(store), *args],
        env=env, encoding="utf-8", dimensions=(40, 120), timeout=15,
    )


def logged(store: Path) -> list[tuple[str, int, int]]:
    db = sqlite3.connect(store)
    try:
        return db.execute(
            "SELECT question_id, cards.card, rating FROM reviews JOIN cards ON cards.id = card_id ORDER BY reviews.id"
        ).fetchall()
    finally:
        db.close()


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return str(child.before)


def test_a_card_and_its_reverse_are_never_asked_the_same_day(tmp_path: Path) -> None:
    bank, cards = bank_of(tmp_path, "coalition-iraq-vocab.toml", 2, type="card", reverse=True)
    store = tmp_path / "progress.db"
    child = spawn(store, bank)
    child.expect_exact("2 sibling card(s) (the reverse of a card, another blank of a cloze) buried until tomorrow")
    for card in cards:
        child.expect_exact(f"({'card'}, front to back) - new")
        child.expect_exact(card["prompt"])
        child.send(" ")
        child.expect_exact(card["back"])
        child.send("4")  # Easy: days away
        child.expect_exact("Easy: next review in")
    rest = finish(child)
    assert "back to front" not in rest and "Reviewed 2 cards" in rest
    assert [(q, n) for q, n, _ in logged(store)] == [(cards[0]["id"], 1), (cards[1]["id"], 1)]
    # The next day the reverse cards are asked, back to front: the English first.
    child = spawn(store, bank, now=DAY_TWO)
    child.expect_exact("back to front) - new")
    child.expect_exact(cards[0]["back"])
    child.send(" ")
    child.expect_exact(cards[0]["prompt"])
    child.send("3")
    child.expect_exact("Good: next review in")
    child.expect_exact(f"{cards[1]['id']} (card, back to front) - new")
    child.expect_exact("show the answer")
    child.send("q")
    finish(child)
    assert logged(store)[-1] == (cards[0]["id"], 2, 3)


def test_no_bury_asks_the_reverse_in_the_same_session(tmp_path: Path) -> None:
    bank, cards = bank_of(tmp_path, "coalition-iraq-vocab.toml", 1, type="card", reverse=True)
    store = tmp_path / "progress.db"
    child = spawn(store, bank, "--no-bury")
    child.expect_exact("front to back) - new")
    child.send(" ")
    child.send("4")
    child.expect_exact("back to front) - new")
    child.expect_exact(cards[0]["back"])
    press_ctrl_c(child)
    assert "buried" not in finish(child)


def _choice_order(child: pexpect.spawn, choices: list[str]) -> list[str]:
    child.expect_exact("type one label")
    shown = re.findall(r"  (\S+)\) (.+?)\r\n", child.before)
    assert sorted(text for _, text in shown) == sorted(choices)
    return [text for _, text in shown]


def _label(child: pexpect.spawn, text: str) -> str:
    return str(re.findall(rf"(\S+)\) {re.escape(text)}\r", child.before)[-1])


def test_choices_are_shuffled_on_every_review_and_the_same_for_the_same_review(tmp_path: Path) -> None:
    bank, [question] = bank_of(tmp_path, "coalition-iraq.toml", 1, type="choice")
    store = tmp_path / "progress.db"
    orders = []
    child = spawn(store, bank)
    for _ in range(4):  # Again brings it back at once (nothing else is left): a new review each time
        orders.append(_choice_order(child, question["choices"]))
        child.sendline("-")
        child.expect_exact(f"answer: {_label(child, question['answer'])}) {question['answer']}")
        child.expect_exact("rated 1 Again")
    press_ctrl_c(child)
    finish(child)
    assert len({tuple(order) for order in orders}) > 1
    # The same card at the same review count is shown the same way (a repeat of the first review).
    again = spawn(tmp_path / "other.db", bank)
    assert _choice_order(again, question["choices"]) == orders[0]
    press_ctrl_c(again)
    finish(again)


def test_q_or_esc_after_a_right_answer_records_good_and_ends_the_session(tmp_path: Path) -> None:
    bank, questions = bank_of(tmp_path, "coalition-iraq.toml", 2, type="choice")
    store = tmp_path / "progress.db"
    for key, day in (("q", DAY_ONE), ("\x1b", DAY_TWO)):
        child = spawn(store, bank, now=day)
        child.expect_exact("type one label")
        question = next(q for q in questions if q["prompt"][:30] in child.before)
        child.sendline(_label(child, question["answer"]))
        child.expect_exact("right!")
        child.expect_exact("(Enter: Good)")
        child.send(key)
        child.expect_exact("Good")
        child.expect_exact("session stopped")
        child.expect_exact("Ratings: Again 0, Hard 0, Good 1, Easy 0")
        finish(child)
        assert child.exitstatus == 0
        assert logged(store)[-1] == (question["id"], 1, 3)


def test_arrow_keys_at_a_rating_prompt_are_refused_with_a_note_never_a_rating(tmp_path: Path) -> None:
    bank, [card] = bank_of(tmp_path, "coalition-iraq-vocab.toml", 1, type="card", reverse=True)
    store = tmp_path / "progress.db"
    child = spawn(store, bank)
    child.expect_exact(card["prompt"])
    child.send(ARROW_DOWN)  # at "show the answer": refused too
    child.expect_exact(f"{REFUSED}: press Enter or space")
    child.send(" ")
    child.expect_exact("4 Easy")
    child.send(ARROW_UP)
    child.expect_exact(f"{REFUSED}: press 1, 2, 3 or 4")
    child.send(F1)
    child.expect_exact(f"{REFUSED}: press 1, 2, 3 or 4")
    child.send("2")
    child.expect_exact("Hard: next review in")
    child.expect_exact("show the answer")
    child.send("q")
    finish(child)
    assert logged(store) == [(card["id"], 1, 2)]

    bank, [question] = bank_of(tmp_path, "coalition-iraq.toml", 1, type="choice")
    child = spawn(store, bank)
    child.expect_exact("type one label")
    child.sendline(_label(child, question["answer"]))
    child.expect_exact("(Enter: Good)")
    child.send(ARROW_DOWN)  # was: silently Good
    child.expect_exact(f"{REFUSED}: press 2, 3, 4 or Enter")
    child.send("4")
    child.expect_exact("Easy: next review in")
    finish(child)
    assert logged(store)[-1] == (question["id"], 1, 4)
