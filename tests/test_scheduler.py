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


# --- against fsrs itself -------------------------------------------------------------------------

# Cards in Review with stabilities from under a day to centuries: intervals from 1 day to fsrs's
# maximum, so every fuzz range (none below 2.5 days, 3 days, weeks, months, years, the cap) is met.
STABILITIES = (0.5, 1.5, 2.5, 3.0, 3.5, 4.0, 6.0, 10.0, 30.0, 100.0, 1000.0, 10000.0, 1e6)
SEEDS = tuple(f"bank/q{n}/1" for n in range(8))


def _reviewed(stability: float, reps: int) -> Memory:
    return Memory(state=State.Review, stability=stability, difficulty=5.0, due=START,
                  last_review=START - timedelta(days=max(1, round(min(stability, 30000)))), reps=reps)


def _fsrs_due(memory: Memory, rating: Rating, seed: str, monkeypatch: pytest.MonkeyPatch, **options: float) -> object:
    """What fsrs itself schedules, its fuzz drawn from the generator quizdeck seeds for the card."""
    import random

    import fsrs
    import fsrs.scheduler

    monkeypatch.setattr(fsrs.scheduler, "random", random.Random(f"{seed}:{memory.reps}").random)
    card = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=memory.stability,
                     difficulty=memory.difficulty, due=memory.due, last_review=memory.last_review)
    return fsrs.Scheduler(enable_fuzzing=True, **options).review_card(card, rating, START)[0].due


@pytest.mark.parametrize("stability", STABILITIES)
def test_fuzz_is_fsrs_own_drawn_from_the_cards_seed(stability: float, monkeypatch: pytest.MonkeyPatch) -> None:
    scheduler = Scheduler()  # fuzz is on unless turned off
    spread = set()
    for seed in SEEDS:
        for rating in (H, G, E):
            memory = _reviewed(stability, reps=3)
            due = scheduler.review(memory, rating, START, fuzz_seed=seed).due
            assert due == _fsrs_due(memory, rating, seed, monkeypatch), (seed, rating)
            spread.add(due)
    if stability >= 3.0:
        assert len(spread) > 3  # the seeds really spread the cards


def test_desired_retention_is_fsrs_own(monkeypatch: pytest.MonkeyPatch) -> None:
    for retention in (0.8, 0.95):
        scheduler = Scheduler(desired_retention=retention)
        for stability in (3.0, 30.0, 300.0):
            memory = _reviewed(stability, reps=5)
            due = scheduler.review(memory, G, START, fuzz_seed="k").due
            assert due == _fsrs_due(memory, G, "k", monkeypatch, desired_retention=retention)
    # A lower retention asks for reviews less often.
    lax, strict = Scheduler(desired_retention=0.8, enable_fuzzing=False), Scheduler(enable_fuzzing=False)
    memory = _reviewed(30.0, reps=5)
    assert lax.review(memory, G, START).due > strict.review(memory, G, START).due  # type: ignore[operator]


def test_the_intervals_shown_are_the_ones_given_for_any_seed_even_none() -> None:
    scheduler = Scheduler()
    card = scheduler.review(NEW, E, START)
    later = START + 30 * D
    for seed in ((), ("x",), ("bank/q1/1",)):
        kwargs = {"fuzz_seed": seed[0]} if seed else {}
        shown = scheduler.preview(card, later, **kwargs)
        for rating in (A, H, G, E):
            assert scheduler.review(card, rating, later, **kwargs).due == later + shown[rating], (seed, rating)
    # Without a seed a card has the empty seed's fuzz, the same every time.
    assert scheduler.review(card, E, later).due == scheduler.review(card, E, later, fuzz_seed="").due
    assert scheduler.review(card, E, later).due != scheduler.review(card, E, later, fuzz_seed="x").due


def test_replay_with_or_without_a_seed_gives_what_reviewing_gave() -> None:
    scheduler = Scheduler()
    for seed in ((), ("k",)):
        kwargs = {"fuzz_seed": seed[0]} if seed else {}
        memory, now, log = NEW, START, []
        for rating in (E, E, G, E, H, E):
            log.append((rating, now))
            memory = scheduler.review(memory, rating, now, **kwargs)
            assert memory.due is not None
            now = memory.due
        assert scheduler.replay(log, **kwargs) == memory
    assert scheduler.replay(log, fuzz_seed="k") != scheduler.replay(log)


def test_only_forgetting_a_card_in_review_is_a_lapse() -> None:
    scheduler = Scheduler(enable_fuzzing=False)
    assert scheduler.review(NEW, A, START).lapses == 0  # a new card forgotten: not yet learned
    learned = scheduler.review(scheduler.review(NEW, G, START), G, START + 10 * M)
    assert learned.state == State.Review
    for rating in (H, G, E):
        assert scheduler.review(learned, rating, START + 2 * D).lapses == 0, rating
    assert scheduler.review(learned, A, START + 2 * D).lapses == 1


def test_a_card_is_due_from_the_moment_it_falls_due() -> None:
    card = Scheduler(enable_fuzzing=False).review(NEW, G, START)
    assert card.due == START + 10 * M
    assert not card.is_due(START + 10 * M - timedelta(microseconds=1))
    assert card.is_due(START + 10 * M)


def test_a_time_in_a_named_zone_is_accepted_and_stored_in_utc() -> None:
    from zoneinfo import ZoneInfo

    baghdad = datetime(2026, 3, 1, 12, 0, tzinfo=ZoneInfo("Asia/Baghdad"))  # UTC+3
    memory = Scheduler(enable_fuzzing=False).review(NEW, G, baghdad)
    assert memory.last_review == START
    assert memory.last_review is not None and memory.last_review.utcoffset() == timedelta(0)


def test_times_are_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        memory = Scheduler(enable_fuzzing=False).review(NEW, G, START)
        assert memory.last_review is not None and memory.last_review.utcoffset() == timedelta(0)
        assert memory.due is not None and memory.due.isoformat() == "2026-03-01T09:10:00+00:00"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_time_whose_zone_does_not_know_its_offset_is_refused_as_naive() -> None:
    from datetime import tzinfo

    class Unknown(tzinfo):
        def utcoffset(self, dt: datetime | None) -> timedelta | None:
            return None

    with pytest.raises(ValueError) as refused:
        Scheduler().review(NEW, G, datetime(2026, 3, 1, 9, 0, tzinfo=Unknown()))
    assert str(refused.value) == (
        "expected a timezone-aware datetime, got the naive datetime 2026-03-01T09:00:00; "
        "use datetime.now(timezone.utc) or give it a tzinfo"
    )


def test_retrievability_needs_only_stability_and_the_last_review() -> None:
    scheduler = Scheduler(enable_fuzzing=False)
    card = scheduler.review(scheduler.review(NEW, G, START), G, START + 10 * M)
    bare = Memory(state=State.Review, stability=card.stability, last_review=card.last_review)
    for days in (1, 10, 100):
        assert scheduler.retrievability(bare, START + days * D) == scheduler.retrievability(card, START + days * D)
    assert scheduler.retrievability(Memory(stability=3.0), START) == 0.0  # never reviewed


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(0), "<1m"),
        (timedelta(seconds=-30), "<1m"),
        (timedelta(seconds=59), "<1m"),
        (60 * M - timedelta(seconds=31), "59m"),
        (60 * M, "1h"),
        (23 * 60 * M, "23h"),
        (24 * 60 * M, "1d"),
        (30 * D - timedelta(hours=13), "29d"),
        (30 * D, "1mo"),
        (364 * D, "12.1mo"),
        (365 * D, "1y"),
        (548 * D, "1.5y"),
        (36500 * D, "100y"),
    ],
)
def test_intervals_change_unit_exactly_at_an_hour_a_day_a_month_a_year(interval: timedelta, text: str) -> None:
    assert format_interval(interval) == text
