"""The pure core of a review session: cards per question, what is due, new-card limits, cram, the queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizdeck.bank import Bank, load_bank
from quizdeck.questions import Card, Cloze, parse_deletions
from quizdeck.review import (
    LEARN_AHEAD,
    Session,
    bank_keys,
    card_numbers,
    orphans_of,
    plan_cram,
    plan_session,
)
from quizdeck.scheduler import NEW, Memory, Rating, Scheduler, State
from quizdeck.store import CardKey

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
SCHEDULER = Scheduler(enable_fuzzing=False)


@pytest.fixture
def bank(all_types_bank: Path) -> Bank:
    return load_bank(all_types_bank)


def key(question: str, card: int = 1) -> CardKey:
    return CardKey("all-types", question, card)


def reviewed(due: datetime, state: State = State.Review) -> Memory:
    return Memory(state=state, stability=3.0, difficulty=5.0, due=due, last_review=due - timedelta(days=3), reps=2)


def test_each_question_gives_its_cards(bank: Bank) -> None:
    assert [str(k) for k in bank_keys(bank)] == [
        "all-types/capital-card/1",
        "all-types/capital-card/2",  # reverse = true: two cards
        "all-types/largest-planet/1",
        "all-types/primary-colours/1",
        "all-types/water-boils/1",
        "all-types/author-hamlet/1",
        "all-types/speed-of-light/1",
        "all-types/planets-cloze/1",
        "all-types/planets-cloze/2",  # one per deletion
        "all-types/planet-order/1",
        "all-types/capitals-match/1",
    ]


def test_cloze_cards_are_numbered_by_deletion_not_position() -> None:
    # Banks number deletions c1..cN today; a card number is still the deletion's own number, so
    # a question whose deletions change keeps the history of those that stay.
    text = "{{c3::x}} and {{c1::y}} and {{c3::z}}"
    assert card_numbers(Cloze(id="c", text=text, deletions=parse_deletions(text))) == (1, 3)


def test_due_cards_come_first_most_overdue_first_then_new_ones_in_bank_order(bank: Bank) -> None:
    due = [
        (key("water-boils"), reviewed(NOW - timedelta(hours=1))),
        (key("capital-card", 2), reviewed(NOW - timedelta(days=2))),
    ]
    known = {k: State.Review for k, _ in due}
    plan = plan_session([bank], due=due, known=known, introduced_today={}, new_limit=3, bury=False)
    assert [str(c.key) for c in plan.cards] == [
        "all-types/capital-card/2",
        "all-types/water-boils/1",
        "all-types/capital-card/1",
        "all-types/largest-planet/1",
        "all-types/primary-colours/1",
    ]
    assert [c.is_new for c in plan.cards] == [False, False, True, True, True]
    assert plan.cards[0].reversed and not plan.cards[2].reversed
    assert plan.buried == 0


def test_siblings_are_buried_the_first_in_order_is_asked(bank: Bank) -> None:
    due = [
        (key("water-boils"), reviewed(NOW - timedelta(hours=1))),
        (key("capital-card", 2), reviewed(NOW - timedelta(days=2))),
    ]
    known = {k: State.Review for k, _ in due}
    plan = plan_session([bank], due=due, known=known, introduced_today={}, new_limit=3)
    # The due reverse card is asked; its new front-to-back sibling waits, and takes no new slot.
    assert [str(c.key) for c in plan.cards] == [
        "all-types/capital-card/2",
        "all-types/water-boils/1",
        "all-types/largest-planet/1",
        "all-types/primary-colours/1",
        "all-types/author-hamlet/1",
    ]
    assert plan.buried == 1


def test_a_cloze_gives_one_blank_a_day_and_a_card_reviewed_today_buries_its_siblings(bank: Bank) -> None:
    plan = plan_session([bank], due=[], known={}, introduced_today={}, new_limit=20)
    assert [str(c.key) for c in plan.cards if c.key.question_id in ("planets-cloze", "capital-card")] == [
        "all-types/capital-card/1",
        "all-types/planets-cloze/1",
    ]
    assert plan.buried == 2
    # Earlier today the reverse card was reviewed and is due again (a learning step): it comes
    # back, its sibling stays buried; a cloze blank reviewed today buries the other blank.
    learning = Memory(state=State.Learning, step=1, due=NOW, last_review=NOW - timedelta(minutes=10), reps=1)
    known = {key("capital-card", 2): State.Learning, key("planets-cloze", 2): State.Review}
    plan = plan_session(
        [bank], due=[(key("capital-card", 2), learning)], known=known, introduced_today={}, new_limit=20,
        reviewed_today={key("capital-card", 2), key("planets-cloze", 2)},
    )
    shown = [str(c.key) for c in plan.cards]
    assert "all-types/capital-card/2" in shown
    assert "all-types/capital-card/1" not in shown
    assert "all-types/planets-cloze/1" not in shown
    assert plan.buried == 2
    # --no-bury: every card.
    plan = plan_session(
        [bank], due=[(key("capital-card", 2), learning)], known=known, introduced_today={}, new_limit=20,
        reviewed_today={key("capital-card", 2), key("planets-cloze", 2)}, bury=False,
    )
    assert {"all-types/capital-card/1", "all-types/planets-cloze/1"} <= {str(c.key) for c in plan.cards}
    assert plan.buried == 0


def test_new_cards_started_today_count_against_the_daily_limit(bank: Bank) -> None:
    known = {key("capital-card"): State.Learning, key("capital-card", 2): State.Learning}
    plan = plan_session([bank], due=[], known=known, introduced_today={"all-types": 2}, new_limit=3)
    assert [str(c.key) for c in plan.cards] == ["all-types/largest-planet/1"]
    assert plan.new_left_today == 1
    assert plan_session([bank], due=[], known=known, introduced_today={"all-types": 5}, new_limit=3).cards == ()


def test_a_card_seen_only_in_cram_is_still_new(bank: Bank) -> None:
    plan = plan_session([bank], due=[], known={key("capital-card"): State.New}, introduced_today={}, new_limit=1)
    assert [str(c.key) for c in plan.cards] == ["all-types/capital-card/1"]


def test_limit_caps_the_session_and_orphans_are_reported_not_shown(bank: Bank) -> None:
    gone = key("removed-question")
    due = [(gone, reviewed(NOW - timedelta(days=9))), (key("water-boils"), reviewed(NOW))]
    known = {gone: State.Review, key("water-boils"): State.Review}
    plan = plan_session([bank], due=due, known=known, introduced_today={}, limit=2)
    assert [str(c.key) for c in plan.cards] == ["all-types/water-boils/1", "all-types/capital-card/1"]
    assert plan.orphans == (gone,)
    assert orphans_of(bank, known) == [gone]


def test_cram_takes_every_card_studied_soonest_due_first(bank: Bank) -> None:
    stored = {
        key("author-hamlet"): reviewed(NOW + timedelta(days=9)),
        key("water-boils"): reviewed(NOW + timedelta(days=1)),
        key("removed"): reviewed(NOW),
    }
    plan = plan_cram([bank], stored=stored)
    assert [str(c.key) for c in plan.cards][:4] == [
        "all-types/water-boils/1",
        "all-types/author-hamlet/1",
        "all-types/capital-card/1",
        "all-types/capital-card/2",
    ]
    assert len(plan.cards) == 11 and plan.orphans == (key("removed"),)
    assert len(plan_cram([bank], stored=stored, limit=3).cards) == 3


def test_a_learning_card_comes_back_in_the_same_session(bank: Bank) -> None:
    plan = plan_session([bank], due=[], known={}, introduced_today={}, new_limit=2, bury=False)
    session = Session(plan.cards)
    first = session.next(NOW)
    assert first is not None and first.key == key("capital-card")
    after = SCHEDULER.review(first.memory, Rating.Again, NOW)  # back in 1 minute
    session.answered(first, Rating.Again, after, correct=False, now=NOW)
    second = session.next(NOW)
    assert second is not None and second.key == key("capital-card", 2)
    session.answered(
        second, Rating.Easy, SCHEDULER.review(second.memory, Rating.Easy, NOW), correct=True, now=NOW
    )  # days away: done for today
    # Nothing else is left, so the learning card is shown early (within the learn-ahead limit)...
    again = session.next(NOW)
    assert again is not None and again.key == first.key and again.memory == after
    session.answered(again, Rating.Good, SCHEDULER.review(after, Rating.Good, NOW), correct=True, now=NOW)
    # ...and once it is rated into a 10-minute step it comes back again, then the session ends.
    last = session.next(NOW)
    assert last is not None and last.key == first.key
    session.answered(last, Rating.Good, SCHEDULER.review(last.memory, Rating.Good, NOW), correct=True, now=NOW)
    assert session.next(NOW) is None
    summary = session.summary()
    assert (summary.reviews, summary.cards, summary.right, summary.new) == (4, 2, 3, 2)
    assert summary.ratings == {Rating.Again: 1, Rating.Hard: 0, Rating.Good: 2, Rating.Easy: 1}


def test_a_learning_card_due_later_than_the_learn_ahead_limit_waits(bank: Bank) -> None:
    card = plan_session([bank], due=[], known={}, introduced_today={}, new_limit=1).cards[0]
    session = Session([card])
    assert session.next(NOW) == card
    later = replace(NEW, state=State.Learning, step=1, due=NOW + LEARN_AHEAD + timedelta(minutes=1))
    session.answered(card, Rating.Good, later, correct=True, now=NOW)
    assert session.next(NOW) is None
    assert session.remaining == 0


def test_cram_sessions_never_requeue(bank: Bank) -> None:
    card = plan_cram([bank], stored={}).cards[0]
    session = Session([card], cram=True)
    assert session.next(NOW) == card
    session.answered(card, Rating.Again, card.memory, correct=False, now=NOW)
    assert session.next(NOW) is None


def test_reversed_only_for_the_second_card_of_a_reversed_flashcard(bank: Bank) -> None:
    plan = plan_cram([bank], stored={})
    flags = {str(c.key): c.reversed for c in plan.cards if isinstance(c.question, Card)}
    assert flags == {"all-types/capital-card/1": False, "all-types/capital-card/2": True}


def test_the_new_card_limit_is_per_bank(bank: Bank, tmp_path: Path) -> None:
    other_path = tmp_path / "other.toml"
    other_path.write_text(
        '[bank]\nid = "other"\ntitle = "Other"\nlanguage = "en"\n'
        '[[questions]]\nid = "one"\ntype = "card"\nprompt = "1"\nback = "one"\n'
        '[[questions]]\nid = "two"\ntype = "card"\nprompt = "2"\nback = "two"\n',
        encoding="utf-8",
    )
    other = load_bank(other_path)
    plan = plan_session([bank, other], due=[], known={}, introduced_today={"other": 1}, new_limit=2, bury=False)
    assert [str(c.key) for c in plan.cards] == ["all-types/capital-card/1", "all-types/capital-card/2", "other/one/1"]
    assert plan.new_left_today == 3
