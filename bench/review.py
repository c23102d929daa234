"""Benchmark the review store: `stats` and `review` start flat in the size of other banks' data.

    .venv/bin/python bench/review.py            # stores of 10,000 and 100,000 cards
    .venv/bin/python bench/review.py --sizes 10000 300000 --runs 9

Each store is generated into a temporary folder (executemany in one transaction): cards in banks
of 1,000, each card with ten reviews spread over the last 30 days (100,000 cards -> 1,000,000 log
rows, every one inside the 30-day window `stats` reports on), due times spread from 5 days overdue
to 60 days ahead. The bank looked at is one of them, bench-0000 (1,000 flashcards), the same in
every store: what changes is how much *other* banks' data the store holds.

Compared: the same whole command (`quizdeck stats BANK --json`, `quizdeck review BANK` quitting at
the first card) on the largest store against the smallest, which is the floor: a store holding
only a little besides the bank. The stores take turns, and the least CPU time of the runs is kept
(bench/_common.py). Target: the largest store within 1.1x of the smallest. The store's own part
(bank_progress for stats, plan_from_store for review, in this process) is shown too, without a
target: it is where a query that reads every bank's reviews would show.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _common import Result, best, cpu_of, report, run_child
from quizdeck.bank import Bank, load_bank
from quizdeck.review import bank_progress, plan_from_store
from quizdeck.scheduler import State
from quizdeck.store import CardKey, Store

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
BANK_SIZE = 1000
REVIEWS_PER_CARD = 10
WINDOW_DAYS = 30
MS = 1000
DAY_MS = 86_400 * MS
QUIZDECK = str(Path(sys.executable).with_name("quizdeck"))


def generate(path: Path, cards: int, rng: random.Random) -> None:
    """Fill a new store with `cards` cards, each with ten reviews in the last 30 days."""
    Store.open(path, now=NOW).close()
    db = sqlite3.connect(path, isolation_level=None)
    now_ms = int(NOW.timestamp() * MS)
    card_rows = []
    review_rows = []
    for n in range(cards):
        bank, question = divmod(n, BANK_SIZE)
        due = now_ms + rng.randrange(-5 * DAY_MS, 60 * DAY_MS)
        card_rows.append(
            (n + 1, f"bench-{bank:04d}", f"q{question:05d}", 1, int(State.Review), None,
             rng.uniform(1, 100), rng.uniform(1, 10), due, due - 5 * DAY_MS, REVIEWS_PER_CARD, rng.randrange(3))
        )
        # Ten reviews, three days apart, the first within the window's first three days.
        first = now_ms - WINDOW_DAYS * DAY_MS + rng.randrange(3 * DAY_MS)
        for r in range(REVIEWS_PER_CARD):
            at = first + r * 3 * DAY_MS
            before = State.New if r == 0 else State.Review
            review_rows.append(
                (n + 1, at, rng.randrange(1, 5), 4000, int(before), int(State.Review), 3 * DAY_MS,
                 at + 3 * DAY_MS, 10.0, 5.0, 0)
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
    db.close()


def write_bank(path: Path) -> Path:
    """bench-0000 as a bank file: 1,000 flashcards whose ids match the store's cards."""
    lines = ['[bank]', 'id = "bench-0000"', 'title = "Bench"', 'language = "en"', ""]
    for n in range(BANK_SIZE):
        lines += ["[[questions]]", f'id = "q{n:05d}"', 'type = "card"', f'prompt = "front {n}"',
                  f'back = "back {n}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def stats_in_process(path: Path, bank: Bank) -> None:
    """The store's part of `quizdeck stats BANK`."""
    with Store.open(path, now=NOW, read_only=True) as db:
        bank_progress(db, bank.id, bank.title, None, bank, day_start=NOW - timedelta(hours=9), now=NOW)


def review_in_process(path: Path, bank: Bank) -> None:
    """The store's part of `quizdeck review BANK` before the first card."""
    with Store.open(path, now=NOW) as db:
        db.remember_bank(bank.id, bank.title, None, NOW)
        plan_from_store(db, [bank], now=NOW, day_start=NOW - timedelta(hours=9))


def query_plans(path: Path, bank_id: str) -> list[tuple[str, str]]:
    """EXPLAIN QUERY PLAN of the queries whose work could grow with other banks' data."""
    queries: list[str] = []
    since = NOW - timedelta(days=WINDOW_DAYS)
    with Store.open(path, now=NOW) as db:
        db.db.set_trace_callback(queries.append)
        db.activity([bank_id], since)
        db.introduced_since([bank_id], NOW)
        db.due(bank_id, NOW, limit=50)
        db.memory(CardKey(bank_id, "q00001", 1))
        db.next_due([bank_id], NOW)
        db.db.set_trace_callback(None)
        named = ["last 30 days (stats)", "new today", "due cards", "one card", "next due"]
        return [
            (name, " | ".join(row[3] for row in db.db.execute("EXPLAIN QUERY PLAN " + sql)))
            for name, sql in zip(named, queries, strict=True)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000], metavar=("FLOOR", "SIZE"))
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    small, large = args.sizes
    rng = random.Random(1)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="quizdeck-bench-review-") as folder:
        root = Path(folder)
        bank_file = write_bank(root / "bench.toml")
        bank = load_bank(bank_file)
        stores = {size: root / f"store-{size}.db" for size in (small, large)}
        for size, path in stores.items():
            generate(path, size, rng)
            print(f"store of {size:,} cards: {path.stat().st_size / 1024 / 1024:.0f} MB", flush=True)
        env = dict(os.environ, QUIZDECK_NOW=NOW.isoformat(), QUIZDECK_HOME=str(root), TZ="UTC")

        def command(name: str, path: Path) -> float:
            if name == "stats":
                return run_child([QUIZDECK, "stats", str(bank_file), "--store", str(path), "--json"], env=env).cpu
            return run_child([QUIZDECK, "review", str(bank_file), "--store", str(path)], stdin=b"q", env=env).cpu

        for name in ("stats", "review"):
            figures = best({str(size): lambda n=name, p=path: command(n, p) for size, path in stores.items()},
                           args.runs)
            results.append(Result("review", f"`{name}` of one 1,000-card bank, store of {large:,} cards",
                                  figures[str(large)], figures[str(small)], "s",
                                  f"same command, store of {small:,} cards", 1.1))
        parts = {"stats": stats_in_process, "review": review_in_process}
        for name, part in parts.items():
            figures = best({str(size): lambda f=part, p=path: cpu_of(lambda: f(p, bank))  # type: ignore[misc]
                            for size, path in stores.items()}, args.runs * 3)
            results.append(Result("review", f"{name}: the store's part alone, store of {large:,} cards",
                                  figures[str(large)], figures[str(small)], "s",
                                  f"same calls, store of {small:,} cards"))
        plans = query_plans(stores[large], bank.id)
    print(f"\nPython {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; CPU seconds, least of "
          f"{args.runs} interleaved runs (store's part: {args.runs * 3})")
    report(results)
    print("\nQuery plans (largest store):\n")
    for name, plan in plans:
        print(f"- {name}: `{plan}`")


if __name__ == "__main__":
    main()
