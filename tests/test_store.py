"""The progress store: migrations, refusals that leave a file untouched, saving, indexed queries."""

from __future__ import annotations

import multiprocessing
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from quizdeck.scheduler import NEW, Memory, Rating, Scheduler, State
from quizdeck.store import (
    SCHEMA_VERSION,
    STORE_NAME,
    ActivitySummary,
    CardKey,
    Store,
    StoreError,
    migrate,
    store_path,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
KEY = CardKey("all-types", "capital-card", 1)
SCHEDULER = Scheduler(enable_fuzzing=False)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    with Store.open(path, now=NOW) as opened:
        yield opened


def rate(store: Store, key: CardKey, rating: Rating, now: datetime, *, cram: bool = False) -> None:
    before = store.memory(key)
    after = before if cram else SCHEDULER.review(before, rating, now)
    store.save_review(key, before, after, rating, now, duration_ms=1200, cram=cram)


# --- where it is ---------------------------------------------------------------------------


def test_store_path_prefers_the_option_then_quizdeck_home(tmp_path: Path) -> None:
    assert store_path(tmp_path / "x.db", {"QUIZDECK_HOME": "/elsewhere"}) == tmp_path / "x.db"
    assert store_path(None, {"QUIZDECK_HOME": str(tmp_path)}) == tmp_path / STORE_NAME
    default = store_path(None, {})
    assert default.name == STORE_NAME and default.parent.name == "quizdeck"


# --- migrations ----------------------------------------------------------------------------


def test_a_fresh_store_gets_every_migration_and_wal_mode(store: Store, path: Path) -> None:
    rows = store.db.execute("SELECT number, name, applied_at FROM migrations ORDER BY number").fetchall()
    stamp = int(NOW.timestamp() * 1000)
    assert rows == [(1, "cards_and_reviews", stamp), (2, "banks", stamp), (3, "quiz_attempts", stamp)]
    assert store.version() == SCHEMA_VERSION == 3
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert path.exists()


def test_an_older_store_is_upgraded_and_keeps_its_history(path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    assert migrate(db, upto=1) == [1]
    db.execute(
        "INSERT INTO cards (bank_id, question_id, card, state, due, reps, lapses) "
        "VALUES ('old-bank', 'q1', 1, 2, 0, 3, 1)"
    )
    db.execute("INSERT INTO reviews (card_id, reviewed_at, rating, state_before, state_after) VALUES (1, 0, 3, 1, 2)")
    db.close()
    with Store.open(path, now=NOW) as store:
        assert store.version() == 3
        assert [b.id for b in store.banks()] == ["old-bank"]
        assert store.banks()[0].path is None
        memory = store.memory(CardKey("old-bank", "q1", 1))
        assert (memory.state, memory.reps, memory.lapses) == (State.Review, 3, 1)
        assert len(store.reviews(CardKey("old-bank", "q1", 1))) == 1
    with Store.open(path) as again:  # nothing left to apply
        assert again.db.execute("SELECT count(*) FROM migrations").fetchone()[0] == 3


def test_a_store_from_a_newer_quizdeck_is_refused_and_untouched(path: Path) -> None:
    with Store.open(path) as store:
        store.db.execute("INSERT INTO migrations (number, name) VALUES (?, 'from-the-future')", (SCHEMA_VERSION + 1,))
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: this progress store was written by a newer quizdeck (schema version {SCHEMA_VERSION + 1}; "
        f"this quizdeck knows up to {SCHEMA_VERSION}); it was left untouched: upgrade quizdeck "
        "(pip install -U quizdeck)"
    )
    assert path.read_bytes() == before


def test_another_sqlite_database_is_refused_and_untouched(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.execute("INSERT INTO notes VALUES ('keep me')")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"not a quizdeck progress store \(it has tables notes\.\.\.\)"):
        Store.open(path)
    assert path.read_bytes() == before


def test_garbage_bytes_are_refused_and_untouched(path: Path) -> None:
    garbage = bytes(range(256)) * 20
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: is not a SQLite database, so not a quizdeck progress store; it was left "
        "untouched: give another file with --store or move this one away"
    )
    assert path.read_bytes() == garbage


def test_an_empty_file_becomes_a_store(path: Path) -> None:
    path.write_bytes(b"")
    with Store.open(path) as store:
        assert store.version() == SCHEMA_VERSION


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"is a folder; --store takes a file"):
        Store.open(tmp_path)


def test_a_read_only_store_is_refused_and_untouched(path: Path) -> None:
    with Store.open(path) as store:
        rate(store, KEY, Rating.Good, NOW)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with pytest.raises(StoreError) as caught:
            Store.open(path)
        assert str(caught.value) == (
            f"{path}: the progress store is read-only; make it writable (chmod u+w '{path}') "
            "or give another file with --store"
        )
        assert path.read_bytes() == before
    finally:
        path.chmod(0o644)


def test_a_write_waits_for_a_locked_store_then_says_so(path: Path) -> None:
    with Store.open(path, timeout=0.1) as store:
        rate(store, KEY, Rating.Good, NOW)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError) as caught:
                rate(store, KEY, Rating.Good, NOW + timedelta(minutes=10))
            assert str(caught.value) == (
                f"{path}: the progress store is locked by another program (waited 0.1 s); close "
                "other programs using it and try again"
            )
        finally:
            other.execute("ROLLBACK")
            other.close()
        # The failed write left nothing half done, and the store works again.
        assert len(store.reviews(KEY)) == 1
        rate(store, KEY, Rating.Good, NOW + timedelta(minutes=10))
        assert len(store.reviews(KEY)) == 2


def test_opening_a_store_locked_exclusively_fails_clearly(path: Path) -> None:
    with Store.open(path) as store:
        rate(store, KEY, Rating.Good, NOW)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")  # outside WAL, an exclusive lock stops readers
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match=r"locked by another program \(waited 0.1 s\)"):
            Store.open(path, timeout=0.1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store.open(path) as store:
        assert store.memory(KEY).reps == 1


# --- saving and reading --------------------------------------------------------------------


def test_a_rating_is_committed_at_once_and_logged_in_full(store: Store, path: Path) -> None:
    rate(store, KEY, Rating.Good, NOW)
    # Another connection sees it at once: nothing waits for a later commit.
    other = sqlite3.connect(path)
    assert other.execute("SELECT state, reps FROM cards").fetchall() == [(int(State.Learning), 1)]
    other.close()
    rate(store, KEY, Rating.Good, NOW + timedelta(minutes=10))
    memory = store.memory(KEY)
    assert memory == SCHEDULER.review(SCHEDULER.review(NEW, Rating.Good, NOW), Rating.Good, NOW + timedelta(minutes=10))
    log = store.reviews(KEY)
    assert [(r.rating, r.state_before, r.state_after, r.interval, r.duration_ms, r.cram) for r in log] == [
        (Rating.Good, State.New, State.Learning, timedelta(minutes=10), 1200, False),
        (Rating.Good, State.Learning, State.Review, timedelta(days=2), 1200, False),
    ]
    # The log is enough to rebuild the schedule.
    assert SCHEDULER.replay((r.rating, r.reviewed_at) for r in log) == memory


def test_cram_reviews_are_logged_but_leave_the_schedule_alone(store: Store) -> None:
    rate(store, KEY, Rating.Good, NOW)
    scheduled = store.memory(KEY)
    rate(store, KEY, Rating.Again, NOW + timedelta(minutes=1), cram=True)
    assert store.memory(KEY) == scheduled
    other = CardKey("all-types", "water-boils", 1)
    rate(store, other, Rating.Easy, NOW, cram=True)
    assert store.memory(other) == NEW
    assert [r.cram for r in store.reviews(KEY)] == [False, True]
    assert store.introduced_since(["all-types"], NOW) == 1  # cram does not introduce a card


def test_due_cards_come_most_overdue_first(store: Store) -> None:
    for number, hours in enumerate((5, 1, 3), 1):
        key = CardKey("b", f"q{number}", 1)
        memory = SCHEDULER.review(NEW, Rating.Good, NOW - timedelta(hours=hours) - timedelta(minutes=10))
        store.save_review(key, NEW, memory, Rating.Good, NOW - timedelta(hours=hours))
    assert [k.question_id for k, _ in store.due("b", NOW)] == ["q1", "q3", "q2"]
    assert [k.question_id for k, _ in store.due("b", NOW, limit=2)] == ["q1", "q3"]
    assert store.due("other-bank", NOW) == []
    assert store.count_due(["b"], NOW) == 3


def test_the_session_queries_use_indexes_not_scans(store: Store) -> None:
    queries: list[str] = []
    store.db.set_trace_callback(queries.append)
    store.due("b", NOW, limit=5)
    store.memory(KEY)
    store.introduced_since(["b", "c"], NOW)
    store.count_due(["b"], NOW)
    store.next_due(["b"], NOW)
    store.db.set_trace_callback(None)
    plans = {sql: " | ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql)) for sql in queries}
    assert len(plans) == 5
    for sql, plan in plans.items():
        assert "SCAN" not in plan, (sql, plan)
    due, memory, today, count, upcoming = plans.values()
    assert due.startswith("SEARCH cards USING INDEX cards_due (bank_id=? AND due<?)")
    assert memory == "SEARCH cards USING INDEX sqlite_autoindex_cards_1 (bank_id=? AND question_id=? AND card=?)"
    # The bank's cards, then each card's reviews: the work does not grow with other banks.
    assert today == (
        "SEARCH cards USING COVERING INDEX cards_due (bank_id=?) | "
        "SEARCH reviews USING INDEX reviews_card (card_id=? AND reviewed_at>?)"
    )
    assert count == "SEARCH cards USING COVERING INDEX cards_due (bank_id=? AND due<?)"
    assert upcoming == "SEARCH cards USING INDEX cards_due (bank_id=? AND due>?)"


def test_orphaned_cards_are_kept(store: Store) -> None:
    gone = CardKey("all-types", "removed-question", 1)
    rate(store, gone, Rating.Good, NOW)
    with Store.open(store.path) as again:
        assert gone in again.states("all-types")
        assert len(again.reviews(gone)) == 1


def test_banks_are_remembered_with_their_file(store: Store, tmp_path: Path) -> None:
    store.remember_bank("b", "A bank", tmp_path / "b.toml", NOW)
    store.remember_bank("b", "A bank, renamed", None, NOW)
    [record] = store.banks()
    assert (record.id, record.title, record.path) == ("b", "A bank, renamed", str(tmp_path / "b.toml"))


def test_activity_counts_right_answers_and_retention(store: Store) -> None:
    key = CardKey("b", "q", 1)
    for offset, rating in ((0, Rating.Good), (10, Rating.Good)):
        rate(store, key, rating, NOW + timedelta(minutes=offset))
    rate(store, key, Rating.Again, NOW + timedelta(days=3))  # a lapse of a review card
    rate(store, key, Rating.Good, NOW + timedelta(days=3, minutes=10))
    summary = store.activity(["b"], NOW - timedelta(days=1))
    assert (summary.reviews, summary.correct, summary.mature_reviews, summary.mature_correct, summary.days) == (
        4,
        3,
        1,
        0,
        2,
    )
    assert store.hardest(["b"]) == [(key, 1, 4)]


def test_the_store_file_is_private_to_its_owner_whatever_the_umask(path: Path) -> None:
    # The store holds a learner's history: readable by its owner alone, even under umask 000.
    previous = os.umask(0)
    try:
        with Store.open(path) as store:
            rate(store, KEY, Rating.Good, NOW)
            modes = {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir()}
    finally:
        os.umask(previous)
    assert modes == {"progress.db": 0o600, "progress.db-wal": 0o600, "progress.db-shm": 0o600}


# --- opening a new store from two programs at once ----------------------------------------


def _open_at_the_same_instant(path: str, start: Any, results: Any) -> None:
    start.wait()
    try:
        Store.open(Path(path)).close()
        results.put("opened")
    except StoreError as failure:
        results.put(str(failure))


@pytest.mark.racing
def test_two_programs_creating_one_store_at_the_same_instant_both_open_it(tmp_path: Path) -> None:
    # Before the fix, one of the two failed about one time in three ("locked ... waited 5 s",
    # said at once): switching a new file to WAL does not wait for a reader.
    context = multiprocessing.get_context("fork")
    for attempt in range(12):
        path = tmp_path / f"store-{attempt}.db"
        start, results = context.Barrier(2), context.Queue()
        workers = [context.Process(target=_open_at_the_same_instant, args=(str(path), start, results)) for _ in "ab"]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        assert [results.get(timeout=5), results.get(timeout=5)] == ["opened", "opened"], attempt
        with Store.open(path) as store:
            migrations = store.db.execute("SELECT number FROM migrations ORDER BY number").fetchall()
            assert migrations == [(1,), (2,), (3,)]  # each applied once
            assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_opening_a_new_store_waits_for_another_program_writing_it(path: Path) -> None:
    # Another program is creating the store (it holds the write lock on the new, empty file):
    # quizdeck waits for it instead of failing at once as SQLite's switch to WAL does.
    path.write_bytes(b"")
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE half_done (x)")
    release = threading.Timer(0.3, writer.execute, ("ROLLBACK",))
    release.start()
    try:
        started = time.monotonic()
        with Store.open(path, timeout=5) as store:
            assert time.monotonic() - started >= 0.25
            assert store.version() == SCHEMA_VERSION
            assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        release.join()
        writer.close()


def test_opening_gives_up_after_the_busy_timeout_and_says_how_long_it_waited(path: Path) -> None:
    path.write_bytes(b"")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE half_done (x)")
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            Store.open(path, timeout=0.3)
        waited = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert str(caught.value) == (
        f"{path}: the progress store is locked by another program (waited 0.3 s); close other "
        "programs using it and try again"
    )
    assert waited >= 0.25
    assert path.read_bytes() == b""  # left as it was


# --- two sessions rating one card ----------------------------------------------------------


def test_two_sessions_rating_one_card_both_count_and_the_later_rating_wins(path: Path) -> None:
    with Store.open(path, now=NOW) as first, Store.open(path, now=NOW) as second:
        # Both sessions planned the card while it was new.
        assert first.memory(KEY) == second.memory(KEY) == NEW

        def review(rating: Rating, moment: datetime) -> Callable[[Memory], Memory]:
            return lambda memory: SCHEDULER.review(memory, rating, moment)

        first.rate(KEY, Rating.Easy, NOW, review(Rating.Easy, NOW), duration_ms=2500)
        later = NOW + timedelta(minutes=1)
        before, after = second.rate(KEY, Rating.Hard, later, review(Rating.Hard, later))
        # The second rating was applied to the first one's result, not to the stale new card.
        easy = SCHEDULER.review(NEW, Rating.Easy, NOW)
        assert before == easy
        assert after == SCHEDULER.review(easy, Rating.Hard, later)
        assert second.memory(KEY) == first.memory(KEY) == after
        assert after.reps == 2
        log = first.reviews(KEY)
        assert [(r.key, r.rating, r.state_before, r.state_after, r.duration_ms) for r in log] == [
            (KEY, Rating.Easy, State.New, State.Review, 2500),
            (KEY, Rating.Hard, State.Review, State.Review, None),
        ]
        assert SCHEDULER.replay((r.rating, r.reviewed_at) for r in log) == after


def test_a_cram_rating_reads_the_card_but_leaves_its_schedule(store: Store) -> None:
    rate(store, KEY, Rating.Good, NOW)
    scheduled = store.memory(KEY)

    def never(memory: Memory) -> Memory:
        raise AssertionError("a cram rating must not be scheduled")

    assert store.rate(KEY, Rating.Again, NOW + timedelta(minutes=1), never, cram=True) == (scheduled, scheduled)
    assert store.memory(KEY) == scheduled
    assert [(r.rating, r.cram) for r in store.reviews(KEY)] == [(Rating.Good, False), (Rating.Again, True)]


# --- failed writes -------------------------------------------------------------------------


def test_a_failed_write_is_rolled_back_whole_and_the_store_works_after(store: Store) -> None:
    rate(store, KEY, Rating.Good, NOW)
    before = store.memory(KEY)
    # The review-log row cannot be written (as on a disk failing mid-transaction): the card's
    # new schedule, written first in the same transaction, must not survive alone.
    store.db.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON reviews BEGIN SELECT RAISE(ABORT, 'no room'); END"
    )
    with pytest.raises(StoreError, match=r"no room"):
        rate(store, KEY, Rating.Easy, NOW + timedelta(minutes=10))
    assert not store.db.in_transaction
    assert store.memory(KEY) == before
    assert len(store.reviews(KEY)) == 1
    store.db.execute("DROP TRIGGER refuse")
    rate(store, KEY, Rating.Easy, NOW + timedelta(minutes=10))
    assert len(store.reviews(KEY)) == 2
    with Store.open(store.path) as again:
        assert again.memory(KEY) == store.memory(KEY) != before


def test_a_new_store_on_a_full_disk_is_reported_and_nothing_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = sqlite3.connect

    def no_room(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        db.execute("PRAGMA max_page_count = 1")  # SQLite's own "database or disk is full"
        return db

    monkeypatch.setattr(sqlite3, "connect", no_room)
    path = tmp_path / "learner" / "progress.db"
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: the disk is full, so the progress store cannot be written (database or disk is full); "
        "nothing was saved: free some space, or give a file on another disk with --store"
    )
    assert list(path.parent.iterdir()) == []


def test_a_new_store_that_the_system_refuses_to_write_is_reported_and_nothing_is_left(tmp_path: Path) -> None:
    # A real write failure from the operating system (a file size limit: EFBIG, as a full disk
    # gives ENOSPC), in a separate process.
    path = tmp_path / "progress.db"
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from quizdeck.store import Store, StoreError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        "    Store.open(Path(sys.argv[1]))\n"
        "except StoreError as failure:\n"
        "    print(failure)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60)
    assert done.stderr == ""
    assert done.stdout == (
        f"{path}: the progress store cannot be written or read (disk I/O error); nothing was saved: "
        "check the disk (is it full, or removed?), or give another file with --store\n"
    )
    assert list(tmp_path.iterdir()) == []


# --- values quizdeck never writes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "value", "problem"),
    [
        ("cards", "state", 99, "the state of card all-types/capital-card/1 is 99, not a card state (0-3)"),
        ("cards", "state", "x", "the state of card all-types/capital-card/1 is 'x', not a card state (0-3)"),
        ("cards", "reps", "x", "the review count of card all-types/capital-card/1 is 'x', not a count"),
        ("cards", "lapses", -1, "the lapse count of card all-types/capital-card/1 is -1, not a count"),
        ("cards", "stability", "high", "the stability of card all-types/capital-card/1 is 'high', not a number"),
        ("cards", "step", 1.5, "the learning step of card all-types/capital-card/1 is 1.5, not a count"),
        (
            "cards",
            "due",
            10**18,
            "the due time of card all-types/capital-card/1 is 1000000000000000000, out of the range of dates",
        ),
        ("cards", "last_review", "soon", "the last review time of card all-types/capital-card/1 is 'soon', not a time"),
        ("reviews", "rating", 7, "the rating of a review of card all-types/capital-card/1 is 7, not a rating (1-4)"),
        (
            "reviews",
            "state_before",
            -3,
            "the state before a review of card all-types/capital-card/1 is -3, not a card state (0-3)",
        ),
        (
            "reviews",
            "state_after",
            4,
            "the state after a review of card all-types/capital-card/1 is 4, not a card state (0-3)",
        ),
        (
            "reviews",
            "reviewed_at",
            "today",
            "the time of a review of card all-types/capital-card/1 is 'today', not a time",
        ),
        ("reviews", "duration_ms", -5, "the duration of a review of card all-types/capital-card/1 is -5, not a count"),
        (
            "reviews",
            "interval_ms",
            "long",
            "the interval of a review of card all-types/capital-card/1 is 'long', not a number of milliseconds",
        ),
        # Text columns turn numbers into text: only bytes are not text there.
        ("banks", "id", b"\x00", "a bank's id is b'\\x00', not text"),
        ("banks", "title", b"\x00", "the title of bank all-types is b'\\x00', not text"),
        ("banks", "path", b"\x00", "the file of bank all-types is b'\\x00', not text"),
    ],
)
def test_a_value_quizdeck_never_writes_is_a_clear_error_naming_the_file(
    store: Store, path: Path, table: str, column: str, value: object, problem: str
) -> None:
    rate(store, KEY, Rating.Good, NOW)
    store.remember_bank("all-types", "Every type", path.parent / "all-types.toml", NOW)
    store.db.execute(f"UPDATE {table} SET {column} = ?", (value,))
    read = {"cards": lambda: store.memory(KEY), "reviews": lambda: store.reviews(KEY), "banks": store.banks}[table]
    with pytest.raises(StoreError) as caught:
        read()
    assert str(caught.value) == (
        f"{path}: {problem}, which quizdeck never writes: the file was changed by another program or is "
        "damaged; it was left untouched: restore a copy, or give another file with --store"
    )


def test_every_reader_checks_the_values_it_returns(store: Store) -> None:
    rate(store, KEY, Rating.Good, NOW)
    rate(store, CardKey("all-types", "later", 1), Rating.Good, NOW)
    # One card due long ago (due() returns it), one due "after" every time (next_due() does).
    store.db.execute("UPDATE cards SET state = 99, lapses = 'x', due = -1")
    store.db.execute("UPDATE cards SET due = 'x' WHERE question_id = 'later'")
    readers = {
        "due": lambda: store.due("all-types", NOW + timedelta(days=400)),
        "cards": lambda: store.cards("all-types"),
        "states": lambda: store.states("all-types"),
        "state_counts": lambda: store.state_counts("all-types"),
        "next_due": lambda: store.next_due(["all-types"], NOW),
        "hardest": lambda: store.hardest(["all-types"]),
    }
    problems = {
        "due": "the state of card all-types/capital-card/1 is 99",
        "cards": "the state of card all-types/capital-card/1 is 99",
        "states": "the state of card all-types/capital-card/1 is 99",
        "state_counts": "the state of a card of bank all-types is 99",
        "next_due": "the due time of card all-types/later/1 is 'x', not a time",
        "hardest": "the lapse count of card all-types/capital-card/1 is 'x', not a count",
    }
    for name, read in readers.items():
        with pytest.raises(StoreError, match=re.escape(problems[name]) + ", (not|which)"):
            read()
            pytest.fail(f"{name} returned a value quizdeck never writes")
    store.db.execute("UPDATE cards SET state = 2, lapses = 1, reps = 'x', due = 0")
    with pytest.raises(StoreError, match=r"the review count of card all-types/capital-card/1 is 'x', not a count"):
        store.hardest(["all-types"])
    store.db.execute("UPDATE cards SET reps = 1, difficulty = 'hard'")
    with pytest.raises(StoreError, match=r"the difficulty of card all-types/capital-card/1 is 'hard', not a number"):
        store.due("all-types", NOW)
    store.db.execute("UPDATE cards SET difficulty = 5")
    store.db.execute("UPDATE cards SET question_id = x'00' WHERE question_id = 'later'")
    with pytest.raises(StoreError, match=r"a card's question id in bank all-types is b'\\x00', not text"):
        store.cards("all-types")
    store.db.execute("UPDATE cards SET question_id = 'later', card = -1 WHERE question_id = x'00'")
    with pytest.raises(StoreError, match=r"the card number of all-types/later is -1, not a count"):
        store.cards("all-types")
    store.remember_bank("all-types", "Every type", None, NOW)
    store.db.execute("UPDATE banks SET title = x'00'")
    with pytest.raises(StoreError, match=r"the title of bank all-types is b'\\x00', not text"):
        store.banks()


# --- reading a store without writing it (stats) --------------------------------------------


def test_a_read_only_store_can_be_read_and_is_left_untouched(path: Path) -> None:
    with Store.open(path, now=NOW) as store:
        rate(store, KEY, Rating.Good, NOW)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with Store.open(path, read_only=True) as store:
            assert store.memory(KEY).reps == 1
            beside = {p.name for p in path.parent.iterdir()}
            assert beside <= {"progress.db", "progress.db-shm", "progress.db-wal"}
            with pytest.raises(StoreError, match=r"read-only; make it writable"):
                rate(store, KEY, Rating.Good, NOW + timedelta(minutes=10))
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before


def test_reading_an_older_store_upgrades_it_if_it_may_be_written(path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, upto=1)
    db.close()
    path.chmod(0o444)
    try:
        with pytest.raises(StoreError) as caught:
            Store.open(path, read_only=True)
    finally:
        path.chmod(0o644)
    assert str(caught.value) == (
        f"{path}: this progress store was written by an older quizdeck and is read-only, so it cannot be "
        f"upgraded to be read; make it writable (chmod u+w '{path}') and try again"
    )
    with Store.open(path, read_only=True) as store:
        assert store.version() == SCHEMA_VERSION
        assert store.banks() == []


def test_reading_a_missing_store_is_refused(path: Path) -> None:
    with pytest.raises(StoreError, match=r"there is no progress store here"):
        Store.open(path, read_only=True)
    assert not path.exists()


# --- the figures stats and review show ------------------------------------------------------


def put(store: Store, key: CardKey, **memory: Any) -> None:
    """Store a card with the given memory (a Review card by default)."""
    after = Memory(**{"state": State.Review, "stability": 3.0, "difficulty": 5.0, **memory})
    store.save_review(key, NEW, after, Rating.Good, NOW - timedelta(days=40))


def test_new_cards_are_counted_from_their_first_scheduled_review_on(store: Store) -> None:
    since = NOW
    a, b, c, d = (CardKey("b", name, 1) for name in "abcd")
    rate(store, a, Rating.Good, since - timedelta(milliseconds=1))  # before the window
    rate(store, b, Rating.Good, since)  # at its start: counts
    rate(store, b, Rating.Good, since + timedelta(minutes=10))  # a second review: not a new card
    rate(store, c, Rating.Again, since + timedelta(hours=1), cram=True)  # cram does not introduce
    rate(store, d, Rating.Again, since + timedelta(hours=2))
    rate(store, CardKey("other", "a", 1), Rating.Good, since)  # another bank
    assert store.introduced_since(["b"], since) == 2
    assert store.introduced_since(["b", "other"], since) == 3
    assert store.introduced_since(["other"], since) == 1
    assert store.introduced_since([], since) == 0


def test_activity_counts_only_again_as_wrong_and_review_state_cards_as_mature(store: Store) -> None:
    since = NOW - timedelta(days=30)
    learning, mature = CardKey("b", "learning", 1), CardKey("b", "mature", 1)
    put(store, mature)
    put(store, learning, state=State.Learning, step=0)
    log = [
        (learning, Rating.Hard, NOW),  # right (only Again is wrong), not mature
        (learning, Rating.Again, NOW + timedelta(minutes=1)),
        (mature, Rating.Hard, NOW + timedelta(days=1)),  # mature and right
        (mature, Rating.Again, NOW + timedelta(days=2)),  # mature and wrong (now Relearning)
        (mature, Rating.Easy, NOW + timedelta(days=2, minutes=5)),  # relearning: not mature
    ]
    for key, rating, moment in log:
        rate(store, key, rating, moment)
    rate(store, learning, Rating.Again, NOW + timedelta(days=3), cram=True)
    rate(store, learning, Rating.Good, since - timedelta(milliseconds=1))  # before the window
    rate(store, CardKey("other", "x", 1), Rating.Again, NOW)
    summary = store.activity(["b"], since)
    assert summary == ActivitySummary(reviews=5, cram=1, correct=3, mature_reviews=2, mature_correct=1, days=4)
    # The days are calendar days in UTC, counted once however many reviews they hold.
    assert store.activity(["b"], NOW + timedelta(days=2)).days == 2
    assert store.activity(["b", "other"], since).reviews == 6
    assert store.activity([], since) == ActivitySummary(0, 0, 0, 0, 0, 0)


def test_the_hardest_cards_come_by_lapses_then_reviews_then_name(store: Store) -> None:
    cards = {
        CardKey("b", "few", 1): (1, 3),
        CardKey("b", "many", 1): (4, 9),
        CardKey("b", "many-more-reps", 1): (4, 12),
        CardKey("b", "tied", 2): (2, 5),
        CardKey("b", "tied", 1): (2, 5),
        CardKey("a", "tied", 1): (2, 5),
        CardKey("b", "never-lapsed", 1): (0, 20),
        CardKey("other", "worst", 1): (9, 9),
    }
    for key, (lapses, reps) in cards.items():
        put(store, key, lapses=lapses, reps=reps)
    assert store.hardest(["a", "b"], limit=10) == [
        (CardKey("b", "many-more-reps", 1), 4, 12),
        (CardKey("b", "many", 1), 4, 9),
        (CardKey("a", "tied", 1), 2, 5),
        (CardKey("b", "tied", 1), 2, 5),
        (CardKey("b", "tied", 2), 2, 5),
        (CardKey("b", "few", 1), 1, 3),
    ]
    assert [key.question_id for key, _, _ in store.hardest(["b"], limit=2)] == ["many-more-reps", "many"]
    assert store.hardest([]) == []


def test_due_boundaries_now_is_due_and_next_due_is_strictly_later(store: Store) -> None:
    edge = NOW + timedelta(days=1)
    put(store, CardKey("b", "at-now", 1), due=NOW)
    put(store, CardKey("b", "just-after-now", 1), due=NOW + timedelta(milliseconds=1))
    put(store, CardKey("b", "at-edge", 1), due=edge)
    put(store, CardKey("c", "soonest", 1), due=NOW + timedelta(milliseconds=1))
    put(store, CardKey("c", "later", 1), due=edge + timedelta(days=3))
    put(store, CardKey("b", "new", 1), state=State.New, stability=None, difficulty=None)
    assert [key.question_id for key, _ in store.due("b", NOW)] == ["at-now"]
    assert store.count_due(["b"], NOW) == 1
    assert store.count_due(["b", "c"], edge) == 4
    assert store.next_due(["b", "c"], NOW, limit=3) == [
        (CardKey("b", "just-after-now", 1), NOW + timedelta(milliseconds=1)),
        (CardKey("c", "soonest", 1), NOW + timedelta(milliseconds=1)),
        (CardKey("b", "at-edge", 1), edge),
    ]
    assert store.next_due(["c"], NOW + timedelta(milliseconds=1)) == [
        (CardKey("c", "later", 1), edge + timedelta(days=3))
    ]
    assert store.next_due(["b"], edge) == []


def test_due_counts_put_a_card_due_on_an_edge_in_the_later_day(store: Store) -> None:
    edges = [NOW + timedelta(days=n) for n in (1, 2, 3)]
    dues = {
        "overdue": NOW - timedelta(days=5),
        "before-first-edge": edges[0] - timedelta(milliseconds=1),
        "on-first-edge": edges[0],
        "on-second-edge": edges[1],
        "just-before-last-edge": edges[2] - timedelta(milliseconds=1),
        "on-last-edge": edges[2],  # beyond the last day: not counted
    }
    for name, due in dues.items():
        put(store, CardKey("b", name, 1), due=due)
    put(store, CardKey("b", "new", 1), state=State.New, stability=None, difficulty=None)
    put(store, CardKey("other", "overdue", 1), due=NOW - timedelta(days=5))
    assert store.due_counts("b", edges) == [2, 1, 2]
    assert store.due_counts("b", []) == []


def test_stats_figures_read_only_the_banks_asked_for(store: Store) -> None:
    # The work of activity and introduced_since (SQLite's virtual machine steps) stays the same
    # when another bank's reviews fill the window: stats and review start flat in the store's size.
    for number in range(20):
        rate(store, CardKey("mine", f"q{number}", 1), Rating.Good, NOW)

    def steps(action: Callable[[], object]) -> int:
        counted = [0]

        def count() -> int:
            counted[0] += 1
            return 0

        store.db.set_progress_handler(count, 1)
        try:
            action()
        finally:
            store.db.set_progress_handler(None, 1)
        return counted[0]

    since = NOW - timedelta(days=30)
    alone = (steps(lambda: store.activity(["mine"], since)), steps(lambda: store.introduced_since(["mine"], since)))
    rows = [(f"q{n}",) for n in range(3000)]
    store.db.execute("BEGIN")
    store.db.executemany("INSERT INTO cards (bank_id, question_id, card, state) VALUES ('others', ?, 1, 2)", rows)
    store.db.execute(
        "INSERT INTO reviews (card_id, reviewed_at, rating, state_before, state_after) "
        "SELECT id, ?, 3, 0, 2 FROM cards WHERE bank_id = 'others'",
        (int(NOW.timestamp() * 1000),),
    )
    store.db.execute("COMMIT")
    crowded = (steps(lambda: store.activity(["mine"], since)), steps(lambda: store.introduced_since(["mine"], since)))
    assert store.activity(["others"], since).reviews == 3000
    for before, after in zip(alone, crowded, strict=True):
        assert after <= before * 1.1, (alone, crowded)


def test_only_an_empty_file_nobody_is_writing_is_removed_after_a_failed_first_open(tmp_path: Path) -> None:
    # Another program creating the same store at that moment has a journal or WAL beside it, or
    # has written its first page: its file is kept.
    from quizdeck.store import _discard_new_file

    cases = {"alone": (b"", []), "journal": (b"", ["-journal"]), "wal": (b"", ["-wal"]), "written": (b"S", [])}
    for name, (content, beside) in cases.items():
        path = tmp_path / f"{name}.db"
        path.write_bytes(content)
        for suffix in beside:
            Path(f"{path}{suffix}").write_bytes(b"")
        _discard_new_file(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "journal.db", "journal.db-journal", "wal.db", "wal.db-wal", "written.db",
    ]
    _discard_new_file(tmp_path / "missing.db")  # nothing to remove: no error


# --- quiz attempts (take) ------------------------------------------------------------------


def test_quiz_attempts_are_kept_answer_by_answer_and_read_back_newest_first(store: Store, tmp_path: Path) -> None:
    from quizdeck.store import AttemptAnswer, AttemptRecord

    bank_file = tmp_path / "quiz.toml"
    first = store.start_attempt("quiz", bank_file, seed=7, options={"limit": 2, "shuffle": True},
                                question_ids=["q1", "q2"], now=NOW)
    store.record_answer(first, AttemptAnswer(1, "q1", ["نينوى", 2017], 1.0, False), now=NOW, seconds=4.5)
    store.record_answer(first, AttemptAnswer(2, "q2", None, 0.0, True), now=NOW, seconds=9.0)
    store.record_answer(first, AttemptAnswer(2, "q2", "again", 0.5, True), now=NOW, seconds=9.5)  # replaced
    later = store.start_attempt("quiz", None, seed=8, options={}, question_ids=["q2"], now=NOW + timedelta(hours=1))
    other = store.start_attempt("other", None, seed=9, options={}, question_ids=["x"], now=NOW + timedelta(hours=2))
    store.finish_attempt(later, now=NOW + timedelta(hours=1, minutes=3), seconds=180.0)
    done = AttemptRecord(later, "quiz", None, 8, {}, ("q2",), NOW + timedelta(hours=1),
                         NOW + timedelta(hours=1, minutes=3), 180.0, ())
    stopped = AttemptRecord(
        first, "quiz", str(bank_file.resolve()), 7, {"limit": 2, "shuffle": True}, ("q1", "q2"), NOW, None, 9.5,
        (AttemptAnswer(1, "q1", ["نينوى", 2017], 1.0, False), AttemptAnswer(2, "q2", "again", 0.5, True)),
    )
    assert store.attempts(["quiz"]) == [done, stopped]
    assert stopped.score == 1.5
    assert [a.id for a in store.attempts()] == [other, later, first]
    assert [a.id for a in store.attempts(limit=2)] == [other, later]
    assert [a.id for a in store.attempts(["quiz", "other"], unfinished=True)] == [other, first]
    assert store.unfinished_attempt("quiz") == stopped
    assert store.unfinished_attempt("nothing") is None


def test_a_store_from_before_attempts_has_none(path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, upto=2)
    store = Store(db, path, 1.0)
    try:
        assert store.attempts() == []
    finally:
        db.close()


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("options", "{", "quiz attempt 1 is not one quizdeck wrote"),
        ("options", "[1]", "quiz attempt 1 is not one quizdeck wrote"),
        ("question_ids", "[1]", "quiz attempt 1 is not one quizdeck wrote"),
        ("question_ids", "{}", "quiz attempt 1 is not one quizdeck wrote"),
        ("seed", "x", "quiz attempt 1 is not one quizdeck wrote"),
        ("started_at", "x", "the start of quiz attempt 1 is 'x', not a time"),
        ("finished_at", "soon", "the end of quiz attempt 1 is 'soon', not a time"),
        ("bank_path", b"\x00", "the bank file of quiz attempt 1 is b'\\x00', not text"),
        ("options", b"\x00", "the options of quiz attempt 1 is b'\\x00', not text"),
        ("question_ids", b"\x00", "the questions of quiz attempt 1 is b'\\x00', not text"),
        ("bank_id", b"\x00", "the bank of quiz attempt 1 is b'\\x00', not text"),
        ("seconds", "long", "the time of quiz attempt 1 is 'long', not a number"),
        ("id", -1, "an attempt's id is -1, not a count"),
    ],
)
def test_a_quiz_attempt_quizdeck_never_wrote_is_a_clear_error(
    store: Store, path: Path, column: str, value: object, problem: str
) -> None:
    from quizdeck.store import AttemptAnswer

    number = store.start_attempt("quiz", path, seed=1, options={}, question_ids=["q1"], now=NOW)
    store.record_answer(number, AttemptAnswer(1, "q1", "x", 1.0, False), now=NOW, seconds=1.0)
    store.db.execute("PRAGMA foreign_keys = OFF")  # as in another program editing the file
    store.db.execute(f"UPDATE attempts SET {column} = ?", (value,))
    with pytest.raises(StoreError) as caught:
        store.attempts()
    assert str(caught.value).startswith(f"{path}: {problem}, which quizdeck never writes")


def test_an_answer_quizdeck_never_wrote_is_a_clear_error(store: Store, path: Path) -> None:
    from quizdeck.store import AttemptAnswer

    number = store.start_attempt("quiz", None, seed=1, options={}, question_ids=["q1"], now=NOW)
    store.record_answer(number, AttemptAnswer(1, "q1", "x", 1.0, False), now=NOW, seconds=1.0)
    store.db.execute("UPDATE attempt_answers SET response = '{'")
    with pytest.raises(StoreError, match=r": an answer of quiz attempt 1 is not one quizdeck wrote, which"):
        store.attempts()
    store.db.execute("UPDATE attempt_answers SET response = '1', points = 'x'")
    with pytest.raises(StoreError, match=r": the points of an answer of quiz attempt 1 is 'x', not a number, which"):
        store.attempts()
    problems = {
        "response = x'00'": "an answer of quiz attempt 1 is b'\\x00', not text",
        "position = -1": "an answer's place in quiz attempt 1 is -1, not a count",
        "question_id = x'00'": "a question of quiz attempt 1 is b'\\x00', not text",
    }
    for change, problem in problems.items():
        store.db.execute("UPDATE attempt_answers SET response = '1', points = 1, position = 1, question_id = 'q1'")
        store.db.execute(f"UPDATE attempt_answers SET {change}")
        with pytest.raises(StoreError) as caught:
            store.attempts()
        assert str(caught.value).startswith(f"{path}: {problem}, which quizdeck never writes"), change


def test_an_up_to_date_store_opens_at_once_while_another_session_is_saving(path: Path) -> None:
    Store.open(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO banks (id, title) VALUES ('other', 'Other')")
    try:
        # Nothing to create or upgrade: opening takes no write lock, so it need not wait.
        with Store.open(path, timeout=0.2) as store:
            assert store.banks() == []
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_switching_a_store_to_wal_waits_for_another_program_writing_it(path: Path) -> None:
    # A store with its tables but not yet in WAL mode (another program is creating it): SQLite
    # does not wait to switch it while the other writes, so quizdeck retries until it can.
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db)
    db.close()
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO banks (id, title) VALUES ('other', 'Other')")
    release = threading.Timer(0.3, writer.execute, ("COMMIT",))
    release.start()
    try:
        started = time.monotonic()
        with Store.open(path, timeout=5) as store:
            assert time.monotonic() - started >= 0.25
            assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert [bank.id for bank in store.banks()] == ["other"]
    finally:
        release.join()
        writer.close()


def test_the_review_log_keeps_the_schedule_given_and_none_for_cram(store: Store) -> None:
    rate(store, KEY, Rating.Good, NOW)
    after = store.memory(KEY)
    rate(store, KEY, Rating.Again, NOW + timedelta(minutes=1), cram=True)
    rows = store.db.execute(
        "SELECT state_before, state_after, interval_ms, due_after, stability, difficulty, cram FROM reviews ORDER BY id"
    ).fetchall()
    assert after.due is not None
    due = int(after.due.timestamp() * 1000)
    assert rows == [
        (0, 1, due - int(NOW.timestamp() * 1000), due, after.stability, after.difficulty, 0),
        (1, 1, None, None, None, None, 1),
    ]


def test_next_due_breaks_ties_by_card_whatever_the_order_of_the_banks(store: Store) -> None:
    soon = NOW + timedelta(hours=1)
    put(store, CardKey("b", "x", 1), due=soon)
    put(store, CardKey("a", "y", 1), due=soon)
    assert [key for key, _ in store.next_due(["b", "a"], NOW, limit=2)] == [CardKey("a", "y", 1), CardKey("b", "x", 1)]


def test_an_empty_store_in_memory_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Store.open_empty() as store:
        assert store.path == Path(":memory:")
        assert store.version() == SCHEMA_VERSION
        assert store.banks() == []
    assert list(tmp_path.iterdir()) == []


# --- where the store is, and files it cannot use ---------------------------------------------


def test_on_windows_the_store_is_in_the_local_app_data_folder_with_no_author_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platformdirs
    import platformdirs.windows

    local = "C:/Users/Ana/AppData/Local"
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda csidl: local)
    assert store_path(None, {}) == Path(local) / "quizdeck" / STORE_NAME


def test_a_store_in_folders_that_do_not_exist_yet_creates_them(tmp_path: Path) -> None:
    path = tmp_path / "school" / "term-2" / STORE_NAME
    with Store.open(path) as store:
        assert store.version() == SCHEMA_VERSION
    assert path.is_file()


def test_a_folder_that_cannot_be_created_is_reported(tmp_path: Path) -> None:
    # /proc refuses new folders, even to root.
    path = Path("/proc/quizdeck-nowhere/term-2") / STORE_NAME
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: cannot create the progress store's folder (No such file or directory); "
        "give another file with --store"
    )


def test_a_file_that_cannot_be_created_is_reported() -> None:
    # /proc's folder exists but refuses new files, even to root.
    path = Path("/proc") / "quizdeck-progress.db"
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: the progress store cannot be created (No such file or directory); give another file with --store"
    )
    assert not path.exists()


def test_a_path_the_system_cannot_look_at_is_reported(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 300) / STORE_NAME
    for read_only in (False, True):
        with pytest.raises(StoreError) as caught:
            Store.open(path, read_only=read_only)
        assert str(caught.value) == f"{path}: cannot read the progress store (File name too long)"


def test_a_store_whose_first_bytes_cannot_be_read_is_reported(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(path).close()
    opener = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return opener(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == f"{path}: cannot read the progress store (Permission denied)"


def test_a_file_sqlite_cannot_open_is_reported(tmp_path: Path) -> None:
    import socket

    path = tmp_path / STORE_NAME
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(path))  # a socket: it exists, but is no file SQLite can open
        for read_only in (False, True):
            with pytest.raises(StoreError) as caught:
                Store.open(path, read_only=read_only)
            assert str(caught.value) == (
                f"{path}: the progress store cannot be opened (unable to open database file); "
                "check the path, or choose another with --store"
            )
    finally:
        listener.close()


def test_a_store_read_only_for_everyone_is_refused_whatever_its_other_bits(path: Path) -> None:
    # 0o555: readable and executable by all (as files copied from some USB sticks are), writable by none.
    Store.open(path).close()
    path.chmod(0o555)
    try:
        with pytest.raises(StoreError, match=r"the progress store is read-only; make it writable"):
            Store.open(path)
    finally:
        path.chmod(0o644)


def test_an_empty_file_the_learner_made_is_kept_when_the_first_open_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = sqlite3.connect

    def no_room(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        db.execute("PRAGMA max_page_count = 1")  # SQLite's own "database or disk is full"
        return db

    path = tmp_path / STORE_NAME
    path.write_bytes(b"")
    monkeypatch.setattr(sqlite3, "connect", no_room)
    with pytest.raises(StoreError, match=r"the disk is full"):
        Store.open(path)
    assert path.read_bytes() == b""  # quizdeck did not create it, so it does not remove it


def test_a_database_with_a_migrations_table_of_its_own_is_refused_naming_its_tables(path: Path) -> None:
    # Many programs keep a "migrations" table: that alone does not make a quizdeck store.
    db = sqlite3.connect(path)
    for table in ("users", "migrations", "posts", "comments", "tags"):
        db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: this SQLite database is not a quizdeck progress store (it has tables comments, "
        "migrations, posts...); it was left untouched: give another file with --store"
    )
    assert path.read_bytes() == before


def test_a_quizdeck_id_without_quizdecks_migrations_is_refused(path: Path) -> None:
    from quizdeck.store import APPLICATION_ID

    db = sqlite3.connect(path)
    db.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY)")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"not a quizdeck progress store \(it has tables cards\.\.\.\)"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_file_another_program_fills_while_quizdeck_creates_the_store_is_left_to_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another program writes its own tables into the new, empty file just as quizdeck begins to
    # create its store there: quizdeck checks the file again inside its transaction and leaves it.
    connect = sqlite3.connect

    def connect_and_race(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        raced: list[str] = []

        def other_program_writes_first(sql: str) -> None:
            if sql == "BEGIN IMMEDIATE" and not raced:
                raced.append(sql)
                other = connect(path)
                other.execute("CREATE TABLE notes (body TEXT)")
                other.commit()
                other.close()

        db.set_trace_callback(other_program_writes_first)
        return db

    monkeypatch.setattr(sqlite3, "connect", connect_and_race)
    with pytest.raises(StoreError, match=r"not a quizdeck progress store \(it has tables notes\.\.\.\)"):
        Store.open(path)
    monkeypatch.undo()
    db = sqlite3.connect(path)
    assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
    db.close()


def test_the_version_of_a_database_without_quizdecks_tables_is_zero(tmp_path: Path) -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    store = Store(db, Path(":memory:"), 1.0)
    assert store.version() == 0
    assert migrate(db) == [1, 2, 3]
    assert store.version() == SCHEMA_VERSION
    db.close()


# --- waiting for other programs --------------------------------------------------------------


def test_a_write_waits_for_another_sessions_write_to_finish(path: Path) -> None:
    with Store.open(path, now=NOW) as store:
        writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO banks (id, title) VALUES ('other', 'Other')")
        release = threading.Timer(0.3, writer.execute, ("COMMIT",))
        release.start()
        try:
            rate(store, KEY, Rating.Good, NOW)  # waits (up to 5 s) instead of failing at once
        finally:
            release.join()
            writer.close()
        assert store.memory(KEY).reps == 1
        assert [bank.id for bank in store.banks()] == ["all-types", "other"]


def test_reading_a_store_another_program_holds_exclusively_waits_then_says_it_is_locked(path: Path) -> None:
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")  # outside WAL, an exclusive lock stops readers
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            Store.open(path, read_only=True, timeout=0.3)
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert str(caught.value) == (
        f"{path}: the progress store is locked by another program (waited 0.3 s); close other programs "
        "using it and try again"
    )
    # It waited the time it says, not SQLite's default of 5 s (a generous bound for a busy machine).
    assert 0.25 <= waited < 4


class _Clock:
    """quizdeck.store's clock in a test: sleeping moves it on at once, and the other program's
    write (`writer`) is committed once `release` seconds have passed (never if None)."""

    def __init__(self, writer: sqlite3.Connection, release: float | None) -> None:
        self.writer = writer
        self.release = release
        self.now = 1000.0
        self.start = self.now
        self.sleeps = 0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        assert self.sleeps < 500, "retrying in a busy loop"
        self.now += seconds
        if self.release is not None and self.writer.in_transaction and self.now - self.start >= self.release:
            self.writer.execute("COMMIT")  # done at `release`: quizdeck sees it on its next try


def _store_another_program_is_writing(path: Path) -> sqlite3.Connection:
    """A store with its tables but not yet in WAL mode, and another program's write under way:
    SQLite refuses at once (without waiting) to switch it to WAL, so quizdeck retries."""
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db)
    db.close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO banks (id, title) VALUES ('other', 'Other')")
    return writer


def test_opening_retries_at_least_every_tenth_of_a_second_until_the_other_program_is_done(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizdeck.store

    writer = _store_another_program_is_writing(path)
    clock = _Clock(writer, release=0.5)
    monkeypatch.setattr(quizdeck.store, "time", clock)
    try:
        with Store.open(path, timeout=2.0) as store:
            opened_at = clock.now - clock.start
            assert [bank.id for bank in store.banks()] == ["other"]
    finally:
        writer.close()
    # Open within a tenth of a second of the other program finishing, not seconds later.
    assert 0.5 <= opened_at <= 0.6


def test_opening_gives_up_within_the_busy_timeout_while_another_program_keeps_writing(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizdeck.store

    writer = _store_another_program_is_writing(path)
    clock = _Clock(writer, release=None)
    monkeypatch.setattr(quizdeck.store, "time", clock)
    try:
        with pytest.raises(StoreError, match=r"locked by another program \(waited 2 s\)"):
            Store.open(path, timeout=2.0)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    # It waited most of the time it says, and never longer.
    assert 1.8 <= clock.now - clock.start <= 2.0


# --- reading a store read-only ---------------------------------------------------------------


def test_reading_an_older_store_upgrades_it_with_the_time_and_busy_timeout_given(path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, upto=1)
    db.close()
    with Store.open(path, read_only=True, timeout=0.2, now=NOW) as store:
        stamps = store.db.execute("SELECT number, applied_at FROM migrations ORDER BY number").fetchall()
        assert stamps == [(1, None), (2, int(NOW.timestamp() * 1000)), (3, int(NOW.timestamp() * 1000))]
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match=r"locked by another program \(waited 0.2 s\)"):
                store.remember_bank("b", "B", None, NOW)
        finally:
            other.execute("ROLLBACK")
            other.close()


def test_a_store_in_a_folder_nobody_may_write_is_read_as_it_is(tmp_path: Path) -> None:
    # Without write access to the folder, SQLite cannot create the WAL's shared-memory file beside
    # the store, so quizdeck reads the file as it is. Root may write anywhere: the read is done by
    # a child process that gives up root for "nobody".
    import pwd
    import tempfile

    if os.geteuid() != 0:
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        user = None
    else:
        folder = Path(tempfile.mkdtemp())  # reachable by "nobody", unlike pytest's tmp_path
        user = pwd.getpwnam("nobody")
    path = folder / STORE_NAME
    try:
        with Store.open(path, now=NOW) as store:
            rate(store, KEY, Rating.Good, NOW)
            store.remember_bank("all-types", "كل الأنواع", None, NOW)
        before = path.read_bytes()
        path.chmod(0o444)
        folder.chmod(0o555)
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:  # the child: reports what it read through the pipe, and exits
            status = 1
            try:
                os.close(reader)
                if user is not None:
                    os.setgid(user.pw_gid)
                    os.setuid(user.pw_uid)
                found: list[object] = []
                with Store.open(path, read_only=True) as store:
                    # Handed to another thread, as a store may be.
                    worker = threading.Thread(target=lambda: found.extend([store.memory(KEY).reps, store.banks()]))
                    worker.start()
                    worker.join()
                os.write(writer, repr(found).encode())
                status = 0
            except BaseException as failure:
                os.write(writer, repr(failure).encode())
            finally:
                os._exit(status)
        os.close(writer)
        with os.fdopen(reader, "rb") as pipe:
            said = pipe.read().decode()
        _, status = os.waitpid(child, 0)
        assert said == "[1, [BankRecord(id='all-types', title='كل الأنواع', path=None)]]"
        assert os.waitstatus_to_exitcode(status) == 0
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == [STORE_NAME]
        with Store.open(path, read_only=True) as store:  # and by one who may write the folder
            assert store.memory(KEY).reps == 1
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
        if user is not None:
            import shutil

            shutil.rmtree(folder)


def test_a_store_may_be_used_from_another_thread_than_the_one_that_opened_it(path: Path) -> None:
    with Store.open(path, now=NOW) as store:
        worker = threading.Thread(target=rate, args=(store, KEY, Rating.Good, NOW))
        worker.start()
        worker.join()
        assert store.memory(KEY).reps == 1
    found: list[object] = []
    with Store.open(path, read_only=True) as store, Store.open_empty() as empty:
        worker = threading.Thread(target=lambda: found.extend([store.memory(KEY).reps, empty.banks()]))
        worker.start()
        worker.join()
    assert found == [1, []]


# --- quiz attempts: what is kept, as it is kept ------------------------------------------------


def test_a_skipped_answer_and_nothing_scored_read_back_as_none_and_zero(store: Store) -> None:
    from quizdeck.store import AttemptAnswer

    number = store.start_attempt("quiz", None, seed=1, options={}, question_ids=["q1", "q2"], now=NOW)
    store.record_answer(number, AttemptAnswer(1, "q1", None, 0.0, False), now=NOW, seconds=0.0)
    [attempt] = store.attempts()
    assert attempt.answers == (AttemptAnswer(1, "q1", None, 0.0, False),)
    assert (attempt.seconds, attempt.score) == (0.0, 0.0)
    store.record_answer(number, AttemptAnswer(2, "q2", "x", 0.0, True), now=NOW, seconds=0.0)
    store.finish_attempt(number, now=NOW, seconds=0.0)
    [attempt] = store.attempts()
    assert [(a.points, a.hint_used) for a in attempt.answers] == [(0.0, False), (0.0, True)]
    assert (attempt.seconds, attempt.score, attempt.finished_at) == (0.0, 0.0, NOW)


def test_a_quiz_attempt_is_kept_as_readable_text_for_other_sqlite_tools(store: Store, path: Path) -> None:
    # A teacher opening the store with another SQLite tool reads Arabic answers, options and
    # question ids as written (not as \\u escapes), and a skipped answer as NULL.
    from quizdeck.store import AttemptAnswer

    number = store.start_attempt("عواصم", None, seed=1, options={"الوسم": "جغرافيا"},
                                 question_ids=["عاصمة-العراق", "نهر"], now=NOW)
    store.record_answer(number, AttemptAnswer(1, "عاصمة-العراق", "بغداد", 1.0, False), now=NOW, seconds=3.0)
    store.record_answer(number, AttemptAnswer(2, "نهر", None, 0.0, False), now=NOW, seconds=5.0)
    other = sqlite3.connect(path)
    try:
        assert other.execute("SELECT options, question_ids FROM attempts").fetchall() == [
            ('{"الوسم": "جغرافيا"}', '["عاصمة-العراق", "نهر"]')
        ]
        assert other.execute("SELECT response FROM attempt_answers ORDER BY position").fetchall() == [
            ('"بغداد"',), (None,)
        ]
    finally:
        other.close()


def test_a_cram_review_logs_the_state_before_whatever_memory_it_is_given(store: Store) -> None:
    rate(store, KEY, Rating.Good, NOW)
    before = store.memory(KEY)
    moved = SCHEDULER.review(before, Rating.Good, NOW + timedelta(minutes=10))
    assert moved.state != before.state
    store.save_review(KEY, before, moved, Rating.Good, NOW + timedelta(minutes=10), cram=True)
    assert store.memory(KEY) == before
    last = store.reviews(KEY)[-1]
    assert (last.state_before, last.state_after, last.cram) == (before.state, before.state, True)


def test_without_a_limit_next_due_gives_the_soonest_card_and_hardest_five(store: Store) -> None:
    for number in range(1, 8):
        put(store, CardKey("b", f"q{number}", 1), lapses=number, reps=10, due=NOW + timedelta(hours=number))
    assert store.next_due(["b"], NOW) == [(CardKey("b", "q1", 1), NOW + timedelta(hours=1))]
    assert [key.question_id for key, _, _ in store.hardest(["b"])] == ["q7", "q6", "q5", "q4", "q3"]


def _edit_schema(path: Path, table: str, old: str, new: str) -> None:
    """Change a table's definition in the file, as another program could (PRAGMA writable_schema)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA writable_schema = ON")
    done = db.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = ?", (old, new, table))
    assert done.rowcount == 1
    db.execute("PRAGMA writable_schema = OFF")
    db.close()


def test_values_a_store_with_an_edited_schema_holds_are_clear_errors(path: Path) -> None:
    # Another program removed a constraint or changed a column's type, then wrote values quizdeck
    # never writes: a review without a time, a card whose bank id is a number.
    with Store.open(path, now=NOW) as store:
        rate(store, KEY, Rating.Good, NOW)
        put(store, CardKey("7", "q", 1), lapses=2, reps=3)
    _edit_schema(path, "reviews", "reviewed_at INTEGER NOT NULL", "reviewed_at INTEGER")
    _edit_schema(path, "cards", "bank_id TEXT NOT NULL", "bank_id INTEGER NOT NULL")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE reviews SET reviewed_at = NULL")
    db.execute("UPDATE cards SET bank_id = 7 WHERE question_id = 'q'")
    db.close()
    tail = (", which quizdeck never writes: the file was changed by another program or is damaged; it was "
            "left untouched: restore a copy, or give another file with --store")
    with Store.open(path) as store:
        with pytest.raises(StoreError) as caught:
            store.reviews(KEY)
        assert str(caught.value) == f"{path}: the time of a review of card {KEY} is missing{tail}"
        with pytest.raises(StoreError) as caught:
            store.hardest(["7"])
        assert str(caught.value) == f"{path}: a card's bank id is 7, not text{tail}"
