"""The progress store: every learner's cards and review log, in one SQLite file.

Where it is: `--store PATH`, else `$QUIZDECK_HOME/progress.db`, else `progress.db` in the
platform's user data folder (platformdirs). The schema is created and upgraded by the numbered
migrations in `MIGRATIONS` (each applied once, recorded in the `migrations` table, as in
simonw/llm); a store written by a newer quizdeck is refused, never downgraded.

Durability: the file is in WAL mode with `synchronous=FULL`, and each rating is written by
`save_review` in a transaction of its own, so killing the process loses at most the card on
screen and never corrupts the file; two sessions on one store both work (a writer waits up to
the busy timeout for the other). A file that is locked, read-only, from a newer quizdeck, not a
quizdeck store, or not SQLite at all raises `StoreError` naming the path and what to do; such a
file is never written to.

Cards are keyed by (bank id, question id, card number) - see `review.card_numbers` - so editing
a question's wording keeps its history; a question removed from its bank leaves an orphaned card
that `stats` reports and nothing deletes. Times are stored as integer milliseconds since the Unix
epoch, UTC.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType

from quizdeck.errors import QuizdeckError
from quizdeck.scheduler import Memory, Rating, State, utc

#: The store's file name inside QUIZDECK_HOME or the user data folder.
STORE_NAME = "progress.db"

#: Marks the file as a quizdeck store (PRAGMA application_id; "QDK1").
APPLICATION_ID = 0x51444B31

#: How long a write waits for another session's write before giving up, in seconds.
BUSY_TIMEOUT = 5.0

SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(QuizdeckError):
    """The progress store cannot be used; the message names the file and what to do."""


def store_path(option: Path | None, env: Mapping[str, str]) -> Path:
    """Where the store is: the `--store` option, else QUIZDECK_HOME, else the user data folder."""
    if option is not None:
        return option
    home = env.get("QUIZDECK_HOME")
    if home:
        return Path(home) / STORE_NAME
    import platformdirs

    return platformdirs.user_data_path("quizdeck", appauthor=False) / STORE_NAME


# --- schema --------------------------------------------------------------------------------


def _m001_cards_and_reviews(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            bank_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            card INTEGER NOT NULL,
            state INTEGER NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due INTEGER,
            last_review INTEGER,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            UNIQUE (bank_id, question_id, card)
        )""")
    # Finding due cards is a range scan of this index, whatever the size of the store.
    db.execute("CREATE INDEX cards_due ON cards (bank_id, due)")
    db.execute("""
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards (id),
            reviewed_at INTEGER NOT NULL,
            rating INTEGER NOT NULL,
            duration_ms INTEGER,
            state_before INTEGER NOT NULL,
            state_after INTEGER NOT NULL,
            interval_ms INTEGER,
            due_after INTEGER,
            stability REAL,
            difficulty REAL,
            cram INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("CREATE INDEX reviews_card ON reviews (card_id, reviewed_at)")
    # Today's new cards and the last 30 days' reviews are range scans of this one.
    db.execute("CREATE INDEX reviews_time ON reviews (reviewed_at)")


def _m002_banks(db: sqlite3.Connection) -> None:
    # Remember each bank's title and file, so `stats` without arguments can find the banks
    # again (to count new cards and orphans). Banks reviewed before this migration are known
    # by id only until they are next reviewed.
    db.execute("""
        CREATE TABLE banks (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            path TEXT,
            seen_at INTEGER
        )""")
    db.execute("INSERT INTO banks (id, title) SELECT DISTINCT bank_id, bank_id FROM cards")


#: The numbered migrations, oldest first. Append only: never edit or reorder a released one.
MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection], None]], ...] = (
    (1, "cards_and_reviews", _m001_cards_and_reviews),
    (2, "banks", _m002_banks),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(db: sqlite3.Connection, *, upto: int = SCHEMA_VERSION, now: datetime | None = None) -> list[int]:
    """Apply the migrations not yet applied (up to `upto`) in one transaction; their numbers.

    `db` must be in autocommit mode (isolation_level=None).
    """
    stamp = _ms(now) if now is not None else None
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("""CREATE TABLE IF NOT EXISTS migrations (
                        number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER)""")
        done = {row[0] for row in db.execute("SELECT number FROM migrations")}
        applied = []
        for number, name, step in MIGRATIONS:
            if number > upto or number in done:
                continue
            step(db)
            db.execute("INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)", (number, name, stamp))
            applied.append(number)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return applied


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class CardKey:
    """A card's identity: its bank, its question, and its number within the question."""

    bank_id: str
    question_id: str
    card: int

    def __str__(self) -> str:
        return f"{self.bank_id}/{self.question_id}/{self.card}"


@dataclass(frozen=True, slots=True)
class BankRecord:
    """A bank the store has seen: its id, title and file (None if never recorded)."""

    id: str
    title: str
    path: str | None


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One row of the review log."""

    key: CardKey
    reviewed_at: datetime
    rating: Rating
    duration_ms: int | None
    state_before: State
    state_after: State
    interval: timedelta | None
    cram: bool


@dataclass(frozen=True, slots=True)
class ActivitySummary:
    """Reviews of a set of banks since some time (cram reviews counted apart)."""

    reviews: int
    cram: int
    correct: int
    mature_reviews: int
    mature_correct: int
    days: int


def _ms(moment: datetime) -> int:
    return int(utc(moment).timestamp() * 1000)


def _time(ms: int | None) -> datetime | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


_MEMORY_COLUMNS = "state, step, stability, difficulty, due, last_review, reps, lapses"


def _memory(row: tuple[object, ...]) -> Memory:
    state, step, stability, difficulty, due, last_review, reps, lapses = row
    assert isinstance(state, int) and isinstance(reps, int) and isinstance(lapses, int)
    return Memory(
        state=State(state),
        step=step if isinstance(step, int) else None,
        stability=float(stability) if isinstance(stability, (int, float)) else None,
        difficulty=float(difficulty) if isinstance(difficulty, (int, float)) else None,
        due=_time(due if isinstance(due, int) else None),
        last_review=_time(last_review if isinstance(last_review, int) else None),
        reps=reps,
        lapses=lapses,
    )


# --- the store -----------------------------------------------------------------------------


class Store:
    """An open progress store. Use `Store.open(path)`, ideally as a context manager."""

    def __init__(self, db: sqlite3.Connection, path: Path, timeout: float) -> None:
        self.db = db
        self.path = path
        self.timeout = timeout

    # opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, timeout: float = BUSY_TIMEOUT, now: datetime | None = None) -> Store:
        """Open (creating or upgrading if needed) the store at `path`; a StoreError if it can't be used."""
        path = Path(path)
        _check_file(path)
        try:
            db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as failure:
            raise StoreError(
                f"{path}: the progress store cannot be opened ({failure}); "
                "check the path, or choose another with --store"
            ) from None
        store = cls(db, path, timeout)
        try:
            with store._guard():
                store._check_identity()
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = FULL")
                db.execute("PRAGMA foreign_keys = ON")
                if store.version() < SCHEMA_VERSION:
                    migrate(db, now=now)
        except BaseException:
            db.close()
            raise
        return store

    @classmethod
    def open_empty(cls) -> Store:
        """An empty store in memory (to report on a store file that does not exist yet)."""
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        migrate(db)
        return cls(db, Path(":memory:"), BUSY_TIMEOUT)

    def _check_identity(self) -> None:
        """Refuse a SQLite file that is not a quizdeck store, or is from a newer quizdeck."""
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        if tables and (app_id != APPLICATION_ID or "migrations" not in tables):
            raise StoreError(
                f"{self.path}: this SQLite database is not a quizdeck progress store "
                f"(it has tables {', '.join(sorted(tables)[:3])}...); it was left untouched: "
                "give another file with --store"
            )
        version = self.version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: this progress store was written by a newer quizdeck (schema version "
                f"{version}; this quizdeck knows up to {SCHEMA_VERSION}); it was left untouched: "
                "upgrade quizdeck (pip install -U quizdeck)"
            )

    def version(self) -> int:
        """The schema version: the highest migration applied (0 for an empty file)."""
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'migrations'").fetchone():
            return 0
        return int(self.db.execute("SELECT coalesce(max(number), 0) FROM migrations").fetchone()[0])

    def close(self) -> None:
        """Close the connection (everything is already committed)."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite's locked / read-only / not-a-database failures into StoreErrors."""
        try:
            yield
        except sqlite3.OperationalError as failure:
            text = str(failure).lower()
            if "locked" in text or "busy" in text:
                raise StoreError(
                    f"{self.path}: the progress store is locked by another program (waited "
                    f"{self.timeout:g} s); close other programs using it and try again"
                ) from None
            if "readonly" in text or "read-only" in text:
                raise StoreError(_read_only_message(self.path)) from None
            raise StoreError(f"{self.path}: the progress store cannot be used ({failure})") from None
        except sqlite3.DatabaseError as failure:
            raise StoreError(
                f"{self.path}: not a usable SQLite database ({failure}); it was left "
                "untouched: give another file with --store"
            ) from None

    # reading ------------------------------------------------------------------------------

    def memory(self, key: CardKey) -> Memory:
        """What the store knows about a card (a new card's memory if it has never been reviewed)."""
        with self._guard():
            row = self.db.execute(
                f"SELECT {_MEMORY_COLUMNS} FROM cards WHERE bank_id = ? AND question_id = ? AND card = ?",
                (key.bank_id, key.question_id, key.card),
            ).fetchone()
        return _memory(row) if row else Memory()

    def due(self, bank_id: str, now: datetime, limit: int | None = None) -> list[tuple[CardKey, Memory]]:
        """A bank's cards due at `now`, most overdue first, at most `limit` (an index range scan)."""
        with self._guard():
            rows = self.db.execute(
                f"SELECT question_id, card, {_MEMORY_COLUMNS} FROM cards "
                "WHERE bank_id = ? AND due <= ? ORDER BY due, question_id, card LIMIT ?",
                (bank_id, _ms(now), -1 if limit is None else limit),
            )
            return [(CardKey(bank_id, row[0], row[1]), _memory(row[2:])) for row in rows]

    def cards(self, bank_id: str) -> dict[CardKey, Memory]:
        """Every card of a bank the store knows (for cram sessions and stats)."""
        with self._guard():
            rows = self.db.execute(
                f"SELECT question_id, card, {_MEMORY_COLUMNS} FROM cards WHERE bank_id = ?", (bank_id,)
            )
            return {CardKey(bank_id, row[0], row[1]): _memory(row[2:]) for row in rows}

    def states(self, bank_id: str) -> dict[CardKey, State]:
        """The state of each of a bank's known cards (for new cards and orphans)."""
        with self._guard():
            rows = self.db.execute("SELECT question_id, card, state FROM cards WHERE bank_id = ?", (bank_id,))
            return {CardKey(bank_id, qid, card): State(state) for qid, card, state in rows}

    def introduced_since(self, bank_ids: Collection[str], since: datetime) -> int:
        """How many cards of these banks had their first (non-cram) review at or after `since`."""
        if not bank_ids:
            return 0
        marks = ", ".join("?" * len(bank_ids))
        with self._guard():
            row = self.db.execute(
                # CROSS JOIN keeps reviews outside: only the time window's rows are read.
                "SELECT count(*) FROM reviews CROSS JOIN cards ON cards.id = reviews.card_id "
                f"WHERE reviews.reviewed_at >= ? AND reviews.state_before = 0 AND reviews.cram = 0 "
                f"AND cards.bank_id IN ({marks})",
                (_ms(since), *bank_ids),
            ).fetchone()
        return int(row[0])

    def next_due(self, bank_ids: Collection[str], after: datetime, limit: int = 1) -> list[tuple[CardKey, datetime]]:
        """The first `limit` cards of these banks falling due after `after`, soonest first."""
        found: list[tuple[CardKey, datetime]] = []
        with self._guard():
            for bank_id in bank_ids:
                rows = self.db.execute(
                    "SELECT question_id, card, due FROM cards WHERE bank_id = ? AND due > ? ORDER BY due LIMIT ?",
                    (bank_id, _ms(after), limit),
                )
                for qid, card, due in rows:
                    moment = _time(due)
                    assert moment is not None
                    found.append((CardKey(bank_id, qid, card), moment))
        return sorted(found, key=lambda item: (item[1], item[0]))[:limit]

    def count_due(self, bank_ids: Collection[str], before: datetime) -> int:
        """How many cards of these banks are due at or before `before`."""
        total = 0
        with self._guard():
            for bank_id in bank_ids:
                row = self.db.execute(
                    "SELECT count(*) FROM cards WHERE bank_id = ? AND due <= ?", (bank_id, _ms(before))
                ).fetchone()
                total += int(row[0])
        return total

    def due_counts(self, bank_id: str, edges: list[datetime]) -> list[int]:
        """How many of a bank's cards fall due before edges[0], then in [edges[i], edges[i+1])."""
        counts = []
        with self._guard():
            previous: int | None = None
            for edge in edges:
                if previous is None:
                    row = self.db.execute(
                        "SELECT count(*) FROM cards WHERE bank_id = ? AND due < ?", (bank_id, _ms(edge))
                    ).fetchone()
                else:
                    row = self.db.execute(
                        "SELECT count(*) FROM cards WHERE bank_id = ? AND due >= ? AND due < ?",
                        (bank_id, previous, _ms(edge)),
                    ).fetchone()
                counts.append(int(row[0]))
                previous = _ms(edge)
        return counts

    def state_counts(self, bank_id: str) -> dict[State, int]:
        """How many of a bank's known cards are in each state."""
        with self._guard():
            rows = self.db.execute("SELECT state, count(*) FROM cards WHERE bank_id = ? GROUP BY state", (bank_id,))
            return {State(state): int(count) for state, count in rows}

    def activity(self, bank_ids: Collection[str], since: datetime) -> ActivitySummary:
        """Reviews of these banks since `since`: counts, right answers, and retention of mature cards.

        A review is "correct" unless rated Again; "mature" reviews are those of cards in the
        Review state (recall after a real interval), the reviews retention is measured on.
        """
        if not bank_ids:
            return ActivitySummary(0, 0, 0, 0, 0, 0)
        marks = ", ".join("?" * len(bank_ids))
        with self._guard():
            row = self.db.execute(
                "SELECT "
                " sum(cram = 0), sum(cram = 1), sum(cram = 0 AND rating > 1),"
                " sum(cram = 0 AND state_before = 2), sum(cram = 0 AND state_before = 2 AND rating > 1),"
                " count(DISTINCT reviewed_at / 86400000) "
                "FROM reviews CROSS JOIN cards ON cards.id = reviews.card_id "
                f"WHERE reviews.reviewed_at >= ? AND cards.bank_id IN ({marks})",
                (_ms(since), *bank_ids),
            ).fetchone()
        return ActivitySummary(*(int(value or 0) for value in row))

    def hardest(self, bank_ids: Collection[str], limit: int = 5) -> list[tuple[CardKey, int, int]]:
        """The cards with the most lapses: (key, lapses, reviews), worst first."""
        if not bank_ids:
            return []
        marks = ", ".join("?" * len(bank_ids))
        with self._guard():
            rows = self.db.execute(
                "SELECT bank_id, question_id, card, lapses, reps FROM cards "
                f"WHERE bank_id IN ({marks}) AND lapses > 0 "
                "ORDER BY lapses DESC, reps DESC, bank_id, question_id, card LIMIT ?",
                (*bank_ids, limit),
            )
            return [(CardKey(b, q, c), int(lapses), int(reps)) for b, q, c, lapses, reps in rows]

    def reviews(self, key: CardKey) -> list[ReviewRecord]:
        """A card's review log, oldest first (what `Scheduler.replay` rebuilds its schedule from)."""
        with self._guard():
            rows = self.db.execute(
                "SELECT reviewed_at, rating, duration_ms, state_before, state_after, interval_ms, cram "
                "FROM reviews JOIN cards ON cards.id = reviews.card_id "
                "WHERE bank_id = ? AND question_id = ? AND card = ? ORDER BY reviewed_at, reviews.id",
                (key.bank_id, key.question_id, key.card),
            )
            records = []
            for at, rating, duration, before, after, interval, cram in rows:
                moment = _time(at)
                assert moment is not None
                records.append(
                    ReviewRecord(
                        key,
                        moment,
                        Rating(rating),
                        duration,
                        State(before),
                        State(after),
                        timedelta(milliseconds=interval) if interval is not None else None,
                        bool(cram),
                    )
                )
            return records

    def banks(self) -> list[BankRecord]:
        """Every bank the store has cards of or has seen, by id."""
        with self._guard():
            rows = self.db.execute(
                "SELECT id, title, path FROM banks UNION "
                "SELECT DISTINCT bank_id, bank_id, NULL FROM cards WHERE bank_id NOT IN (SELECT id FROM banks) "
                "ORDER BY 1"
            )
            return [BankRecord(bank_id, title, path) for bank_id, title, path in rows]

    # writing ------------------------------------------------------------------------------

    def remember_bank(self, bank_id: str, title: str, path: Path | None, now: datetime) -> None:
        """Record a bank's title and file (so `stats` can find it again later)."""
        with self._write():
            self.db.execute(
                "INSERT INTO banks (id, title, path, seen_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                "path = coalesce(excluded.path, banks.path), seen_at = excluded.seen_at",
                (bank_id, title, str(path.resolve()) if path is not None else None, _ms(now)),
            )

    def save_review(
        self,
        key: CardKey,
        before: Memory,
        after: Memory,
        rating: Rating,
        now: datetime,
        *,
        duration_ms: int | None = None,
        cram: bool = False,
    ) -> None:
        """Record one rating: the card's new memory and a review-log row, committed at once.

        A cram review (`cram=True`) is logged (flagged) but leaves the card's schedule as it
        was, and a card first seen in cram stays new.
        """
        at = _ms(now)
        due = _ms(after.due) if after.due is not None else None
        with self._write():
            if cram:
                self.db.execute(
                    "INSERT INTO cards (bank_id, question_id, card, state, step, stability, difficulty, due,"
                    " last_review, reps, lapses) VALUES (?, ?, ?, 0, NULL, NULL, NULL, NULL, NULL, 0, 0) "
                    "ON CONFLICT DO NOTHING",
                    (key.bank_id, key.question_id, key.card),
                )
            else:
                self.db.execute(
                    "INSERT INTO cards (bank_id, question_id, card, state, step, stability, difficulty, due,"
                    " last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (bank_id, question_id, card) DO UPDATE SET state = excluded.state,"
                    " step = excluded.step, stability = excluded.stability, difficulty = excluded.difficulty,"
                    " due = excluded.due, last_review = excluded.last_review, reps = excluded.reps,"
                    " lapses = excluded.lapses",
                    (
                        key.bank_id,
                        key.question_id,
                        key.card,
                        int(after.state),
                        after.step,
                        after.stability,
                        after.difficulty,
                        due,
                        _ms(after.last_review) if after.last_review is not None else None,
                        after.reps,
                        after.lapses,
                    ),
                )
            card_id = self.db.execute(
                "SELECT id FROM cards WHERE bank_id = ? AND question_id = ? AND card = ?",
                (key.bank_id, key.question_id, key.card),
            ).fetchone()[0]
            self.db.execute(
                "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, state_before, state_after,"
                " interval_ms, due_after, stability, difficulty, cram) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    card_id,
                    at,
                    int(rating),
                    duration_ms,
                    int(before.state),
                    int(before.state if cram else after.state),
                    None if cram or due is None else due - at,
                    None if cram else due,
                    None if cram else after.stability,
                    None if cram else after.difficulty,
                    int(cram),
                ),
            )

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, committed on leaving (BEGIN IMMEDIATE: wait for other writers now)."""
        with self._guard():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")


def _read_only_message(path: Path) -> str:
    return (
        f"{path}: the progress store is read-only; make it writable (chmod u+w '{path}') "
        "or give another file with --store"
    )


def _check_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a path that is a folder, read-only, or not SQLite."""
    try:
        info = path.stat()
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as failure:
            raise StoreError(
                f"{path}: cannot create the progress store's folder "
                f"({failure.strerror or failure}); give another file with --store"
            ) from None
        return
    except OSError as failure:
        raise StoreError(f"{path}: cannot read the progress store ({failure.strerror or failure})") from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path}: is a folder; --store takes a file (e.g. {path / STORE_NAME})")
    # Write bits are checked, not just access(): root may write anywhere, but a file its owner
    # made read-only is one they meant to keep as it is.
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise StoreError(_read_only_message(path))
    if info.st_size:
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as failure:
            raise StoreError(f"{path}: cannot read the progress store ({failure.strerror or failure})") from None
        if header != SQLITE_HEADER:
            raise StoreError(
                f"{path}: is not a SQLite database, so not a quizdeck progress store; it was "
                "left untouched: give another file with --store or move this one away"
            )
