"""The progress store: migrations, refusals that leave a file untouched, saving, indexed queries."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizdeck.scheduler import NEW, Rating, Scheduler, State
from quizdeck.store import (
    SCHEMA_VERSION,
    STORE_NAME,
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
    assert default.name == STORE_NAME and "quizdeck" in str(default.parent)


# --- migrations ----------------------------------------------------------------------------


def test_a_fresh_store_gets_every_migration_and_wal_mode(store: Store, path: Path) -> None:
    rows = store.db.execute("SELECT number, name, applied_at FROM migrations ORDER BY number").fetchall()
    assert rows == [(1, "cards_and_reviews", int(NOW.timestamp() * 1000)), (2, "banks", int(NOW.timestamp() * 1000))]
    assert store.version() == SCHEMA_VERSION == 2
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
        assert store.version() == 2
        assert [b.id for b in store.banks()] == ["old-bank"]
        assert store.banks()[0].path is None
        memory = store.memory(CardKey("old-bank", "q1", 1))
        assert (memory.state, memory.reps, memory.lapses) == (State.Review, 3, 1)
        assert len(store.reviews(CardKey("old-bank", "q1", 1))) == 1
    with Store.open(path) as again:  # nothing left to apply
        assert again.db.execute("SELECT count(*) FROM migrations").fetchone()[0] == 2


def test_a_store_from_a_newer_quizdeck_is_refused_and_untouched(path: Path) -> None:
    with Store.open(path) as store:
        store.db.execute("INSERT INTO migrations (number, name) VALUES (3, 'from-the-future')")
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: this progress store was written by a newer quizdeck (schema version 3; this "
        "quizdeck knows up to 2); it was left untouched: upgrade quizdeck (pip install -U quizdeck)"
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
    assert today.startswith("SEARCH reviews USING INDEX reviews_time (reviewed_at>?)")
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


def test_the_store_file_stays_private_to_the_process_umask(path: Path) -> None:
    # Not world-writable: the store holds a learner's history.
    Store.open(path).close()
    assert not os.stat(path).st_mode & 0o002
