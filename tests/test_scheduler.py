"""The scheduler: fixed clock, fuzz off, rating sequences against exact intervals."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from quizdeck.scheduler import NEW, Memory, Rating, Scheduler, State, format_interval

START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
A, H, G, E = Rating.Again, Rating.Hard, Rating.Good, Rating.Easy


def intervals(ratings: list[Rating], *, fuzz: bool = False, seed: str = "") -> list[timedelta]:
    """Rate a new card with each rating in turn, each review exactly when the card falls due."""
    scheduler = Scheduler(enable_fuzzing=fuzz)
    memory, now, found = NEW, START, []
    for rating in ratings:
        memory = scheduler.review(memory, rating, now, fuzz_seed=seed)
        assert memory.due is not None
        found.append(memory.due - now)
        now = memory.due
    return found


M, D = timedelta(minutes=1), timedelta(days=1)


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([G, G, G, G], [10 * M, 2 * D, 11 * D, 46 * D]),
        ([E, E, E], [8 * D, 66 * D, 397 * D]),
        ([A, H, G, G], [1 * M, 5.5 * M, 10 * M, 1 * D]),
        ([G, G, G, A, G, G], [10 * M, 2 * D, 11 * D, 10 * M, 2 * D, 5 * D]),
    ],
    ids=["good-good-good-good", "easy-easy-easy", "again-hard-good-good", "lapse-and-relearn"],
)
def test_rating_sequences_give_exact_intervals(ratings: list[Rating], expected: list[timedelta]) -> None:
    assert intervals(ratings) == expected


def test_states_reps_and_lapses_follow_the_ratings() -> None:
    scheduler = Scheduler(enable_fuzzing=False)
    memory, now = NEW, START
    seen = []
    for rating in (G, G, A, G):
        memory = scheduler.review(memory, rating, now)
        seen.append((memory.state, memory.step, memory.reps, memory.lapses))
        assert memory.last_review == now
        assert memory.due is not None
        now = memory.due
    assert seen == [
        (State.Learning, 1, 1, 0),
        (State.Review, None, 2, 0),
        (State.Relearning, 0, 3, 1),
        (State.Review, None, 4, 1),
    ]


def test_preview_labels_match_what_each_rating_gives() -> None:
    scheduler = Scheduler(enable_fuzzing=False)
    preview = scheduler.preview(NEW, START)
    assert {r.name: format_interval(v) for r, v in preview.items()} == {
        "Again": "1m",
        "Hard": "6m",
        "Good": "10m",
        "Easy": "8d",
    }
    learned = scheduler.review(NEW, G, START)
    assert {r.name: format_interval(v) for r, v in scheduler.preview(learned, START + 10 * M).items()} == {
        "Again": "1m",
        "Hard": "10m",
        "Good": "2d",
        "Easy": "4d",
    }


def test_fuzz_is_deterministic_per_card_and_shown_exactly() -> None:
    # Fuzz spreads long intervals but comes from the card's identity, not global random state.
    a1 = intervals([E, E, E, E], fuzz=True, seed="bank/q1/1")
    a2 = intervals([E, E, E, E], fuzz=True, seed="bank/q1/1")
    b = intervals([E, E, E, E], fuzz=True, seed="bank/q2/1")
    assert a1 == a2
    assert a1 != b
    plain = intervals([E, E, E, E])
    for fuzzed, exact in zip(a1, plain, strict=True):
        assert abs(fuzzed - exact) <= exact * 0.15 + D  # fsrs's fuzz range
    scheduler = Scheduler()
    card = scheduler.review(NEW, E, START, fuzz_seed="x")
    later = START + 30 * D
    shown = scheduler.preview(card, later, fuzz_seed="x")[G]
    assert scheduler.review(card, G, later, fuzz_seed="x").due == later + shown


def test_replay_rebuilds_the_schedule_from_the_log() -> None:
    scheduler = Scheduler()
    memory, now, log = NEW, START, []
    for rating in (G, G, H, A, G, E):
        log.append((rating, now))
        memory = scheduler.review(memory, rating, now, fuzz_seed="k")
        assert memory.due is not None
        now = memory.due + timedelta(hours=3)
    assert scheduler.replay(log, fuzz_seed="k") == memory


def test_a_naive_time_is_refused_with_a_precise_message() -> None:
    with pytest.raises(ValueError, match=r"naive datetime 2026-03-01T09:00:00; use datetime.now\(timezone.utc\)"):
        Scheduler().review(NEW, G, datetime(2026, 3, 1, 9, 0))


def test_an_aware_time_in_another_zone_is_converted_to_utc() -> None:
    tokyo = timezone(timedelta(hours=9))
    memory = Scheduler(enable_fuzzing=False).review(NEW, G, datetime(2026, 3, 1, 18, 0, tzinfo=tokyo))
    assert memory.last_review == START
    assert memory.last_review is not None and memory.last_review.tzinfo == timezone.utc


def test_new_memory_is_due_at_once_and_retrievability_falls() -> None:
    scheduler = Scheduler(enable_fuzzing=False)
    assert NEW.is_due(START)
    assert scheduler.retrievability(NEW, START) == 0
    card = scheduler.review(scheduler.review(NEW, G, START), G, START + 10 * M)
    assert isinstance(card, Memory)
    assert not card.is_due(START + D)
    assert card.is_due(START + 3 * D)
    soon = scheduler.retrievability(card, START + 2 * D)
    late = scheduler.retrievability(card, START + 30 * D)
    assert 0.9 < soon < 1 and late < soon


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(seconds=20), "<1m"),
        (M, "1m"),
        (5.5 * M, "6m"),
        (90 * M, "2h"),
        (D, "1d"),
        (29 * D, "29d"),
        (46 * D, "1.5mo"),
        (60 * D, "2mo"),
        (397 * D, "1.1y"),
        (730 * D, "2y"),
    ],
)
def test_intervals_are_written_short(interval: timedelta, text: str) -> None:
    assert format_interval(interval) == text
