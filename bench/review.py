"""Benchmark the review store: starting a session stays flat as the store grows; a rating saves fast.

    .venv/bin/python bench/review.py            # stores of 10,000 and 100,000 cards
    .venv/bin/python bench/review.py --sizes 10000 100000 300000

Each store is generated into a temporary folder (executemany in one transaction): cards in
banks of 1,000, ten review-log rows per card (100,000 cards -> 1,000,000 log rows), due times
spread from 5 days overdue to 60 days ahead. The session under test reviews one bank of 1,000
cards, so its work should not depend on how many other cards the store holds. Times are wall
clock, median of several runs, with the file in the OS cache (as on a second session of the day).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quizdeck.bank import Bank
from quizdeck.questions import Card
from quizdeck.review import plan_from_store
from quizdeck.scheduler import NEW, Rating, Scheduler, State
from quizdeck.store import CardKey, Store

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
BANK_SIZE = 1000
REVIEWS_PER_CARD = 10
MS = 1000


def generate(path: Path, cards: int, rng: random.Random) -> float:
    """Fill a new store with `cards` cards and ten log rows each; seconds taken."""
    start = time.perf_counter()
    Store.open(path, now=NOW).close()
    db = sqlite3.connect(path, isolation_level=None)
    now_ms = int(NOW.timestamp() * MS)
    day = 86_400 * MS
    card_rows = []
    review_rows = []
    for n in range(cards):
        bank, question = divmod(n, BANK_SIZE)
        due = now_ms + rng.randrange(-5 * day, 60 * day)
        card_rows.append(
            (
                n + 1,
                f"bench-{bank:04d}",
                f"q{question:05d}",
                1,
                int(State.Review),
                None,
                rng.uniform(1, 100),
                rng.uniform(1, 10),
                due,
                due - 5 * day,
                REVIEWS_PER_CARD,
                rng.randrange(3),
            )
        )
        first = now_ms - 200 * day + rng.randrange(day)
        for r in range(REVIEWS_PER_CARD):
            at = first + r * 19 * day
            review_rows.append(
                (
                    n + 1,
                    at,
                    rng.randrange(1, 5),
                    4000,
                    int(State.Review),
                    int(State.Review),
                    5 * day,
                    at + 5 * day,
                    10.0,
                    5.0,
                    0,
                )
            )
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO cards (id, bank_id, question_id, card, state, step, stability, difficulty,"
        " due, last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        card_rows,
    )
    db.executemany(
        "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, state_before, state_after,"
        " interval_ms, due_after, stability, difficulty, cram) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        review_rows,
    )
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return time.perf_counter() - start


def session_bank() -> Bank:
    """The bank reviewed: bench-0000, 1,000 flashcards (all of them in the store)."""
    questions = tuple(Card(id=f"q{n:05d}", prompt=f"front {n}", back=f"back {n}") for n in range(BANK_SIZE))
    return Bank(id="bench-0000", title="Bench", language="en", questions=questions)


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm up: the first run pays for imports and the OS cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def start_session(path: Path, bank: Bank) -> int:
    """What `quizdeck review BANK` does before showing the first card."""
    with Store.open(path, now=NOW) as db:
        db.remember_bank(bank.id, bank.title, None, NOW)
        plan = plan_from_store(db, [bank], now=NOW, day_start=NOW - timedelta(hours=9))
        return len(plan.cards)


def query_plans(path: Path) -> list[tuple[str, str]]:
    """EXPLAIN QUERY PLAN of every query a session runs, as the store issues them."""
    queries: list[str] = []
    with Store.open(path, now=NOW) as db:
        db.db.set_trace_callback(queries.append)
        db.due("bench-0000", NOW, limit=50)
        db.memory(CardKey("bench-0000", "q00001", 1))
        db.introduced_since(["bench-0000"], NOW)
        db.next_due(["bench-0000"], NOW)
        db.db.set_trace_callback(None)
        named = ["due cards", "one card", "new today", "next due"]
        return [
            (name, " | ".join(row[3] for row in db.db.execute("EXPLAIN QUERY PLAN " + sql)))
            for name, sql in zip(named, queries, strict=True)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1)
    bank = session_bank()
    scheduler = Scheduler()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"store-{size}.db"
            built = generate(path, size, rng)
            megabytes = path.stat().st_size / 1024 / 1024
            opening = median_ms(lambda p=path: Store.open(p).close(), args.runs)  # type: ignore[misc]
            with Store.open(path) as db:
                finding = median_ms(lambda d=db: d.due(bank.id, NOW), args.runs)  # type: ignore[misc]
                due_count = len(db.due(bank.id, NOW))
            starting = median_ms(lambda p=path: start_session(p, bank), args.runs)  # type: ignore[misc]
            with Store.open(path, now=NOW) as db:
                saves = []
                for n in range(args.saves):
                    key = CardKey("bench-new", f"n{n:05d}", 1)
                    moment = NOW + timedelta(seconds=n)
                    after = scheduler.review(NEW, Rating.Good, moment, fuzz_seed=str(key))
                    start = time.perf_counter()
                    db.save_review(key, NEW, after, Rating.Good, moment, duration_ms=3000)
                    saves.append(time.perf_counter() - start)
            saving = statistics.median(saves) * 1000
            worst = max(saves) * 1000
            rows.append(
                (size, size * REVIEWS_PER_CARD, megabytes, built, opening, finding, due_count, starting, saving, worst)
            )
            plans = query_plans(path)
    print(
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; one bank of {BANK_SIZE} "
        f"cards reviewed; median of {args.runs} runs, saves median of {args.saves}\n"
    )
    print(
        "| cards | log rows | file MB | generate s | open ms | find due ms (due) | start session ms "
        "| save one rating ms (max) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size, log, megabytes, built, opening, finding, due_count, starting, saving, worst in rows:
        print(
            f"| {size:,} | {log:,} | {megabytes:.0f} | {built:.1f} | {opening:.2f} | {finding:.2f} ({due_count}) "
            f"| {starting:.1f} | {saving:.2f} ({worst:.1f}) |"
        )
    print("\nQuery plans (largest store):\n")
    for name, plan in plans:
        print(f"- {name}: `{plan}`")


if __name__ == "__main__":
    main()
