"""Scheduling: when a card comes back, given how the learner rated it (FSRS, as modern Anki uses).

A thin, pure wrapper over the `fsrs` package. What the scheduler knows about one card is a
frozen `Memory`; `Scheduler.review` returns the next one. Time is an argument: `now` must be a
timezone-aware datetime (it is converted to UTC); a naive one is refused with a precise message,
because a naive time silently shifts every interval by the machine's UTC offset.

Fuzz (a small random spread of long intervals, so cards learned together do not all fall due
on the same day) does not come from global random state: it is drawn from a `random.Random`
seeded with the card's identity and its review count, as Anki does. The same history therefore
always gives the same schedule, and the intervals shown on the rating keys are exactly the
ones a rating will give. Pass `enable_fuzzing=False` for the textbook intervals.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import IntEnum

import fsrs
from fsrs.scheduler import FUZZ_RANGES

Rating = fsrs.Rating

#: Ratings in key order, for screens: key "1" is Again ... key "4" is Easy.
RATINGS: tuple[Rating, ...] = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)


class State(IntEnum):
    """Where a card is in its life. The values 1-3 are fsrs's; 0 is a card never reviewed."""

    New = 0
    Learning = 1
    Review = 2
    Relearning = 3


@dataclass(frozen=True, slots=True)
class Memory:
    """What the scheduler knows about one card.

    `due` and `last_review` are UTC-aware (None for a new card); `step` is the learning or
    relearning step (None in Review); `reps` counts reviews and `lapses` the times a card in
    Review was forgotten (rated Again).
    """

    state: State = State.New
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def is_due(self, now: datetime) -> bool:
        """Whether the card should be reviewed at `now` (a new card always may be)."""
        return self.due is None or self.due <= utc(now)


#: A card that has never been reviewed.
NEW = Memory()


def utc(moment: datetime) -> datetime:
    """`moment` in UTC; a ValueError naming the value if it is naive."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(
            f"expected a timezone-aware datetime, got the naive datetime {moment.isoformat()}; "
            "use datetime.now(timezone.utc) or give it a tzinfo"
        )
    return moment.astimezone(timezone.utc)


class Scheduler:
    """FSRS with quizdeck's choices: default parameters, 90% retention, deterministic fuzz."""

    def __init__(self, *, desired_retention: float = 0.9, enable_fuzzing: bool = True) -> None:
        # fsrs's own fuzz reads the global random generator; ours is seeded per card (see below).
        self._fsrs = fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=False)
        self.enable_fuzzing = enable_fuzzing
        self.maximum_interval = self._fsrs.maximum_interval

    def review(self, memory: Memory, rating: Rating, now: datetime, *, fuzz_seed: str = "") -> Memory:
        """The card's memory after it is rated `rating` at `now`.

        `fuzz_seed` names the card (e.g. "bank/question/1") so that its fuzz is its own.
        """
        now = utc(now)
        rating = Rating(rating)
        card = fsrs.Card(
            card_id=0,
            state=fsrs.State.Learning if memory.state == State.New else fsrs.State(int(memory.state)),
            step=0 if memory.state == State.New else memory.step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due or now,
            last_review=memory.last_review,
        )
        card, _ = self._fsrs.review_card(card, rating, now)
        due = card.due
        if self.enable_fuzzing and card.state == fsrs.State.Review:
            rng = random.Random(f"{fuzz_seed}:{memory.reps}")
            due = now + self._fuzz(due - now, rng)
        lapsed = memory.state == State.Review and rating == Rating.Again
        return Memory(
            state=State(int(card.state)),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=due,
            last_review=now,
            reps=memory.reps + 1,
            lapses=memory.lapses + (1 if lapsed else 0),
        )

    def preview(self, memory: Memory, now: datetime, *, fuzz_seed: str = "") -> dict[Rating, timedelta]:
        """The interval each rating would give, for labels such as "3 Good: 2d"."""
        now = utc(now)
        intervals: dict[Rating, timedelta] = {}
        for rating in RATINGS:
            due = self.review(memory, rating, now, fuzz_seed=fuzz_seed).due
            assert due is not None
            intervals[rating] = due - now
        return intervals

    def replay(self, reviews: Iterable[tuple[Rating, datetime]], *, fuzz_seed: str = "") -> Memory:
        """Rebuild a card's memory from its review log: (rating, time) pairs, oldest first."""
        memory = NEW
        for rating, moment in reviews:
            memory = self.review(memory, rating, moment, fuzz_seed=fuzz_seed)
        return memory

    def retrievability(self, memory: Memory, now: datetime) -> float:
        """The predicted chance (0-1) that the learner recalls the card at `now`; 0 for a new card."""
        if memory.stability is None or memory.last_review is None:
            return 0.0
        card = fsrs.Card(
            card_id=0,
            state=fsrs.State.Review,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due or utc(now),
            last_review=memory.last_review,
        )
        return float(self._fsrs.get_card_retrievability(card, utc(now)))

    def _fuzz(self, interval: timedelta, rng: random.Random) -> timedelta:
        """fsrs's fuzz ranges, drawn from `rng` instead of the global generator."""
        days = interval.days
        if days < 2.5:  # fsrs leaves short intervals alone
            return interval
        delta = 1.0
        for fuzz_range in FUZZ_RANGES:
            delta += fuzz_range["factor"] * max(min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0)
        low = max(2, round(days - delta))
        high = min(round(days + delta), self.maximum_interval)
        low = min(low, high)
        fuzzed = min(round(rng.random() * (high - low + 1) + low), self.maximum_interval)
        return timedelta(days=fuzzed)


def format_interval(interval: timedelta) -> str:
    """A short human interval, as on Anki's buttons: "1m", "10m", "3h", "2d", "1.5mo", "2.1y"."""
    seconds = max(0.0, interval.total_seconds())
    minutes = seconds / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
