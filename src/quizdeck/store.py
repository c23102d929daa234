"""The progress store: every learner's cards and review log, in one SQLite file.

Where it is: `--store PATH`, else `$QUIZDECK_HOME/progress.db`, else `progress.db` in the
platform's user data folder (platformdirs). The schema is created and upgraded by the numbered
migrations in `MIGRATIONS` (each applied once, recorded in the `migrations` table, as in
simonw/llm); a store written by a newer quizdeck is refused, never downgraded.

Durability: the file is in WAL mode with `synchronous=FULL`, and each rating is written by
`rate` in a transaction of its own, so killing the process loses at most the card on screen and
never corrupts the file; two sessions on one store both work (a writer waits up to the busy
timeout for the other; `rate` reads the card inside its transaction, so two ratings of one card
both count; two programs creating one store at once create it once). A file that is locked,
read-only, from a newer quizdeck, not a quizdeck store, not SQLite at all, or holding values
quizdeck never writes raises `StoreError` naming the path and what to do; such a file is never
written to. `Store.open(path, read_only=True)` (for `stats`) never writes.

Cards are keyed by (bank id, question id, card number) - see `review.card_numbers` - so editing
a question's wording keeps its history; a question removed from its bank leaves an orphaned card
that `stats` reports and nothing deletes. Times are stored as integer milliseconds since the Unix
epoch, UTC.
"""

from __future__ import annotations

import math
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

from quizdeck.errors import QuizdeckError
from quizdeck.scheduler import RATINGS, Memory, Rating, State, utc

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


def _m003_quiz_attempts(db: sqlite3.Connection) -> None:
    # Every interactive `take`: the quiz (bank, seed, options, the questions in the order asked)
    # and each answer as it is given, so Ctrl-C keeps it and `take --resume` continues it.
    db.execute("""
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            bank_id TEXT NOT NULL,
            bank_path TEXT,
            seed INTEGER NOT NULL,
            options TEXT NOT NULL,
            question_ids TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            finished_at INTEGER,
            seconds REAL NOT NULL DEFAULT 0
        )""")
    db.execute("CREATE INDEX attempts_bank ON attempts (bank_id, started_at)")
    db.execute("""
        CREATE TABLE attempt_answers (
            attempt_id INTEGER NOT NULL REFERENCES attempts (id),
            position INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            response TEXT,
            points REAL NOT NULL,
            hint_used INTEGER NOT NULL DEFAULT 0,
            answered_at INTEGER NOT NULL,
            PRIMARY KEY (attempt_id, position)
        )""")


#: The numbered migrations, oldest first. Append only: never edit or reorder a released one.
MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection], None]], ...] = (
    (1, "cards_and_reviews", _m001_cards_and_reviews),
    (2, "banks", _m002_banks),
    (3, "quiz_attempts", _m003_quiz_attempts),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(
    db: sqlite3.Connection,
    *,
    upto: int = SCHEMA_VERSION,
    now: datetime | None = None,
    check: Callable[[], None] | None = None,
) -> list[int]:
    """Apply the migrations not yet applied (up to `upto`) in one transaction; their numbers.

    `db` must be in autocommit mode (isolation_level=None). The transaction holds the write lock
    from its first statement, so two programs creating one store at once apply each migration
    once; `check` runs first inside it (to refuse a file that is not a store after all).
    """
    stamp = _ms(now) if now is not None else None
    db.execute("BEGIN IMMEDIATE")
    try:
        if check is not None:
            check()
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
        # SQLite may have rolled back already (a full disk does): ROLLBACK would then fail and
        # hide the real error.
        if db.in_transaction:
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


@dataclass(frozen=True, slots=True)
class AttemptAnswer:
    """One answer of a quiz attempt: its place in the quiz, the response (an answer-sheet value,
    None when skipped) and the points it scored."""

    position: int
    question_id: str
    response: object
    points: float
    hint_used: bool


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One `take` of a bank: how the quiz was built and what was answered so far."""

    id: int
    bank_id: str
    bank_path: str | None
    seed: int
    options: dict[str, object]
    question_ids: tuple[str, ...]
    started_at: datetime
    finished_at: datetime | None
    seconds: float
    answers: tuple[AttemptAnswer, ...]

    @property
    def score(self) -> float:
        return sum(a.points for a in self.answers)


def _ms(moment: datetime) -> int:
    return int(utc(moment).timestamp() * 1000)


class _Unreadable(Exception):
    """A value quizdeck never writes (the file was edited or damaged); `_guard` names the file."""


def _time(ms: object, what: str) -> datetime | None:
    if ms is None:
        return None
    if type(ms) is not int:
        raise _Unreadable(f"{what} is {ms!r}, not a time")
    try:
        return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    except (OverflowError, ValueError, OSError):
        raise _Unreadable(f"{what} is {ms!r}, out of the range of dates") from None


def _state(value: object, what: str) -> State:
    if type(value) is not int or value not in State._value2member_map_:
        raise _Unreadable(f"{what} is {value!r}, not a card state (0-3)")
    return State(value)


def _rating(value: object, what: str) -> Rating:
    if type(value) is not int or not 1 <= value <= len(RATINGS):
        raise _Unreadable(f"{what} is {value!r}, not a rating (1-4)")
    return RATINGS[value - 1]


def _count(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        raise _Unreadable(f"{what} is {value!r}, not a count")
    return value


def _optional_count(value: object, what: str) -> int | None:
    return None if value is None else _count(value, what)


def _number(value: object, what: str) -> float | None:
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value):  # type: ignore[arg-type]
        raise _Unreadable(f"{what} is {value!r}, not a number")
    return float(value)  # type: ignore[arg-type]


def _text(value: object, what: str) -> str:
    if type(value) is not str:
        raise _Unreadable(f"{what} is {value!r}, not text")
    return value


_MEMORY_COLUMNS = "state, step, stability, difficulty, due, last_review, reps, lapses"


def _memory(row: tuple[object, ...], key: CardKey | str) -> Memory:
    """A card's memory from its row; `_Unreadable` (naming the card) if a value is not one quizdeck writes."""
    state, step, stability, difficulty, due, last_review, reps, lapses = row
    card = f"card {key}"
    return Memory(
        state=_state(state, f"the state of {card}"),
        step=_optional_count(step, f"the learning step of {card}"),
        stability=_number(stability, f"the stability of {card}"),
        difficulty=_number(difficulty, f"the difficulty of {card}"),
        due=_time(due, f"the due time of {card}"),
        last_review=_time(last_review, f"the last review time of {card}"),
        reps=_count(reps, f"the review count of {card}"),
        lapses=_count(lapses, f"the lapse count of {card}"),
    )


def _key(bank_id: object, question_id: object, card: object) -> CardKey:
    bank = _text(bank_id, "a card's bank id")
    question = _text(question_id, f"a card's question id in bank {bank}")
    return CardKey(bank, question, _count(card, f"the card number of {bank}/{question}"))


# --- the store -----------------------------------------------------------------------------


class Store:
    """An open progress store. Use `Store.open(path)`, ideally as a context manager."""

    def __init__(self, db: sqlite3.Connection, path: Path, timeout: float) -> None:
        self.db = db
        self.path = path
        self.timeout = timeout

    # opening ------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path, *, timeout: float = BUSY_TIMEOUT, now: datetime | None = None, read_only: bool = False
    ) -> Store:
        """Open (creating or upgrading if needed) the store at `path`; a StoreError if it can't be used.

        `read_only` (for `stats`, which only reads) opens an existing file without writing to it,
        so a read-only store can be reported on; it must exist and be up to date.
        """
        path = Path(path)
        created = _check_file(path, read_only=read_only)
        if created:
            # The store holds a learner's history: their own to read (SQLite gives its WAL files
            # the same permissions).
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass  # another session created it a moment ago
            except OSError as failure:
                raise StoreError(
                    f"{path}: the progress store cannot be created ({failure.strerror or failure}); "
                    "give another file with --store"
                ) from None
        try:
            if read_only:
                db = _connect_read_only(path, timeout)
            else:
                db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as failure:
            if isinstance(failure, sqlite3.OperationalError) and _is_lock_failure(failure):
                # Reading (stats) waits for a program holding the store exclusively, as writing does.
                raise StoreError(_locked_message(path, timeout)) from None
            raise StoreError(
                f"{path}: the progress store cannot be opened ({failure}); "
                "check the path, or choose another with --store"
            ) from None
        store = cls(db, path, timeout)
        old = False
        try:
            with store._guard():
                # Before anything else, so that every statement below waits for other programs.
                db.execute(f"PRAGMA busy_timeout = {round(timeout * 1000)}")
                if read_only:
                    store._check_identity()
                    old = store.version() < SCHEMA_VERSION
                else:
                    store._retry_while_locked(lambda: store._set_up(now))
        except BaseException:
            db.close()
            if created:
                _discard_new_file(path)
            raise
        if read_only and old:
            # Its tables are not all there yet: upgrade it, if it may be written.
            db.close()
            if not _writable(path):
                raise StoreError(
                    f"{path}: this progress store was written by an older quizdeck and is read-only, so it "
                    f"cannot be upgraded to be read; make it writable (chmod u+w '{path}') and try again"
                )
            return cls.open(path, timeout=timeout, now=now)
        return store

    def _set_up(self, now: datetime | None) -> None:
        """Check the file, create or upgrade its tables, switch to WAL; safe to repeat."""
        self._check_identity()
        if self.version() < SCHEMA_VERSION:
            migrate(self.db, now=now, check=self._check_identity)
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("PRAGMA foreign_keys = ON")

    def _retry_while_locked(self, action: Callable[[], None]) -> None:
        """Run `action`, again while another program holds a lock, until the busy timeout is spent.

        SQLite's own wait does not cover every case: switching a new file to WAL while another
        program reads it fails at once (SQLite refuses to wait where waiting could deadlock).
        """
        deadline = time.monotonic() + self.timeout
        pause = 0.005
        while True:
            try:
                action()
                return
            except sqlite3.OperationalError as failure:
                if not _is_lock_failure(failure) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

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
        """Turn SQLite's locked / read-only / full / not-a-database failures, and values quizdeck
        never writes, into StoreErrors."""
        try:
            yield
        except sqlite3.OperationalError as failure:
            text = str(failure).lower()
            if _is_lock_failure(failure):
                raise StoreError(_locked_message(self.path, self.timeout)) from None
            if "readonly" in text or "read-only" in text:
                raise StoreError(_read_only_message(self.path)) from None
            if "full" in text:
                raise StoreError(
                    f"{self.path}: the disk is full, so the progress store cannot be written ({failure}); "
                    "nothing was saved: free some space, or give a file on another disk with --store"
                ) from None
            if "i/o" in text:
                raise StoreError(
                    f"{self.path}: the progress store cannot be written or read ({failure}); nothing was "
                    "saved: check the disk (is it full, or removed?), or give another file with --store"
                ) from None
            raise StoreError(f"{self.path}: the progress store cannot be used ({failure})") from None
        except sqlite3.DatabaseError as failure:
            raise StoreError(
                f"{self.path}: not a usable SQLite database ({failure}); it was left "
                "untouched: give another file with --store"
            ) from None
        except _Unreadable as failure:
            raise StoreError(
                f"{self.path}: {failure}, which quizdeck never writes: the file was changed by another "
                "program or is damaged; it was left untouched: restore a copy, or give another file "
                "with --store"
            ) from None

    # reading ------------------------------------------------------------------------------

    def memory(self, key: CardKey) -> Memory:
        """What the store knows about a card (a new card's memory if it has never been reviewed)."""
        with self._guard():
            row = self.db.execute(
                f"SELECT {_MEMORY_COLUMNS} FROM cards WHERE bank_id = ? AND question_id = ? AND card = ?",
                (key.bank_id, key.question_id, key.card),
            ).fetchone()
            return _memory(row, key) if row else Memory()

    def due(self, bank_id: str, now: datetime, limit: int | None = None) -> list[tuple[CardKey, Memory]]:
        """A bank's cards due at `now`, most overdue first, at most `limit` (an index range scan)."""
        with self._guard():
            rows = self.db.execute(
                f"SELECT question_id, card, {_MEMORY_COLUMNS} FROM cards "
                "WHERE bank_id = ? AND due <= ? ORDER BY due, question_id, card LIMIT ?",
                (bank_id, _ms(now), -1 if limit is None else limit),
            )
            found = []
            for row in rows:
                key = _key(bank_id, row[0], row[1])
                found.append((key, _memory(row[2:], key)))
            return found

    def cards(self, bank_id: str) -> dict[CardKey, Memory]:
        """Every card of a bank the store knows (for cram sessions and stats)."""
        with self._guard():
            rows = self.db.execute(
                f"SELECT question_id, card, {_MEMORY_COLUMNS} FROM cards WHERE bank_id = ?", (bank_id,)
            )
            found = {}
            for row in rows:
                key = _key(bank_id, row[0], row[1])
                found[key] = _memory(row[2:], key)
            return found

    def states(self, bank_id: str) -> dict[CardKey, State]:
        """The state of each of a bank's known cards (for new cards and orphans)."""
        with self._guard():
            rows = self.db.execute("SELECT question_id, card, state FROM cards WHERE bank_id = ?", (bank_id,))
            found = {}
            for qid, card, state in rows:
                key = _key(bank_id, qid, card)
                found[key] = _state(state, f"the state of card {key}")
            return found

    def introduced_since(self, bank_ids: Collection[str], since: datetime) -> int:
        """How many cards of these banks had their first (non-cram) review at or after `since`."""
        if not bank_ids:
            return 0
        marks = ", ".join("?" * len(bank_ids))
        with self._guard():
            row = self.db.execute(
                # Cards first (CROSS JOIN fixes the order): the banks' own cards and their own
                # reviews are read, however many other banks the store holds.
                "SELECT count(*) FROM cards CROSS JOIN reviews ON reviews.card_id = cards.id "
                f"AND reviews.reviewed_at >= ? WHERE cards.bank_id IN ({marks}) "
                "AND reviews.state_before = 0 AND reviews.cram = 0",
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
                    key = _key(bank_id, qid, card)
                    moment = _time(due, f"the due time of card {key}")
                    assert moment is not None  # due > ? is never true of NULL
                    found.append((key, moment))
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
            return {_state(state, f"the state of a card of bank {bank_id}"): int(count) for state, count in rows}

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
                # Cards first, as in introduced_since: the work grows with these banks alone.
                "FROM cards CROSS JOIN reviews ON reviews.card_id = cards.id AND reviews.reviewed_at >= ? "
                f"WHERE cards.bank_id IN ({marks})",
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
            found = []
            for b, q, c, lapses, reps in rows:
                key = _key(b, q, c)
                lapsed = _count(lapses, f"the lapse count of card {key}")
                found.append((key, lapsed, _count(reps, f"the review count of card {key}")))
            return found

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
                what = f"a review of card {key}"
                moment = _time(at, f"the time of {what}")
                if moment is None:
                    raise _Unreadable(f"the time of {what} is missing")
                if type(interval) is not int and interval is not None:
                    raise _Unreadable(f"the interval of {what} is {interval!r}, not a number of milliseconds")
                records.append(
                    ReviewRecord(
                        key,
                        moment,
                        _rating(rating, f"the rating of {what}"),
                        _optional_count(duration, f"the duration of {what}"),
                        _state(before, f"the state before {what}"),
                        _state(after, f"the state after {what}"),
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
            found = []
            for bank_id, title, path in rows:
                name = _text(bank_id, "a bank's id")
                found.append(
                    BankRecord(
                        name,
                        _text(title, f"the title of bank {name}"),
                        None if path is None else _text(path, f"the file of bank {name}"),
                    )
                )
            return found

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

    def rate(
        self,
        key: CardKey,
        rating: Rating,
        now: datetime,
        review: Callable[[Memory], Memory],
        *,
        duration_ms: int | None = None,
        cram: bool = False,
    ) -> tuple[Memory, Memory]:
        """Record one rating of a card; its memory (before, after), `after` being `review(before)`.

        The card's memory is read inside the write transaction, so when two sessions rate one
        card at once the later rating is applied on top of the earlier one (both count) rather
        than overwriting it. A cram rating leaves the schedule alone (`review` is not called).
        """
        with self._write():
            before = self.memory(key)
            after = before if cram else review(before)
            self._save(key, before, after, rating, now, duration_ms=duration_ms, cram=cram)
        return before, after

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
        was, and a card first seen in cram stays new. `before` is taken as given: a session that
        may share the store with another uses `rate`, which reads it inside the transaction.
        """
        with self._write():
            self._save(key, before, after, rating, now, duration_ms=duration_ms, cram=cram)

    def _save(
        self,
        key: CardKey,
        before: Memory,
        after: Memory,
        rating: Rating,
        now: datetime,
        *,
        duration_ms: int | None,
        cram: bool,
    ) -> None:
        at = _ms(now)
        due = _ms(after.due) if after.due is not None else None
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

    # quiz attempts (take) --------------------------------------------------------------------

    def start_attempt(
        self,
        bank_id: str,
        bank_path: Path | None,
        *,
        seed: int,
        options: Mapping[str, object],
        question_ids: Sequence[str],
        now: datetime,
    ) -> int:
        """Record a new quiz attempt (nothing answered yet); its id."""
        import json

        with self._write():
            cursor = self.db.execute(
                "INSERT INTO attempts (bank_id, bank_path, seed, options, question_ids, started_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (bank_id, str(bank_path.resolve()) if bank_path is not None else None, seed,
                 json.dumps(dict(options), ensure_ascii=False), json.dumps(list(question_ids), ensure_ascii=False),
                 _ms(now), _ms(now)),
            )
            return int(cursor.lastrowid or 0)

    def record_answer(self, attempt_id: int, answer: AttemptAnswer, *, now: datetime, seconds: float) -> None:
        """Record one answer of an attempt, committed at once (Ctrl-C after it loses nothing)."""
        import json

        with self._write():
            self.db.execute(
                "INSERT OR REPLACE INTO attempt_answers (attempt_id, position, question_id, response, points,"
                " hint_used, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (attempt_id, answer.position, answer.question_id,
                 None if answer.response is None else json.dumps(answer.response, ensure_ascii=False),
                 answer.points, int(answer.hint_used), _ms(now)),
            )
            self.db.execute("UPDATE attempts SET updated_at = ?, seconds = ? WHERE id = ?",
                            (_ms(now), seconds, attempt_id))

    def finish_attempt(self, attempt_id: int, *, now: datetime, seconds: float) -> None:
        """Mark an attempt finished (every question answered or skipped)."""
        with self._write():
            self.db.execute("UPDATE attempts SET finished_at = ?, updated_at = ?, seconds = ? WHERE id = ?",
                            (_ms(now), _ms(now), seconds, attempt_id))

    def unfinished_attempt(self, bank_id: str) -> AttemptRecord | None:
        """The latest attempt of a bank that was stopped before its end, or None."""
        found = self.attempts([bank_id], unfinished=True, limit=1)
        return found[0] if found else None

    def attempts(
        self, bank_ids: Collection[str] | None = None, *, unfinished: bool = False, limit: int | None = None
    ) -> list[AttemptRecord]:
        """Quiz attempts, newest first: of `bank_ids` (default every bank), only unfinished ones
        if asked. A store from before attempts were kept has none."""
        import json

        with self._guard():
            if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'attempts'").fetchone():
                return []
            where: list[str] = []
            arguments: list[object] = []
            if bank_ids is not None:
                where.append(f"bank_id IN ({', '.join('?' * len(bank_ids))})")
                arguments.extend(bank_ids)
            if unfinished:
                where.append("finished_at IS NULL")
            query = ("SELECT id, bank_id, bank_path, seed, options, question_ids, started_at, finished_at, seconds"
                     " FROM attempts" + (" WHERE " + " AND ".join(where) if where else "")
                     + " ORDER BY started_at DESC, id DESC" + (f" LIMIT {int(limit)}" if limit is not None else ""))
            records = []
            for row in self.db.execute(query, arguments).fetchall():
                number, bank_id, bank_path, seed, options, question_ids, started, finished, seconds = row
                what = f"quiz attempt {number}"
                try:
                    decoded_options = json.loads(_text(options, f"the options of {what}"))
                    decoded_ids = json.loads(_text(question_ids, f"the questions of {what}"))
                except ValueError:
                    raise _Unreadable(f"{what} is not one quizdeck wrote") from None
                if not isinstance(decoded_options, dict) or not isinstance(decoded_ids, list) or not all(
                    isinstance(i, str) for i in decoded_ids
                ):
                    raise _Unreadable(f"{what} is not one quizdeck wrote")
                answers = []
                for position, question_id, response, points, hint_used in self.db.execute(
                    "SELECT position, question_id, response, points, hint_used FROM attempt_answers"
                    " WHERE attempt_id = ? ORDER BY position", (number,)
                ):
                    try:
                        value = None if response is None else json.loads(_text(response, f"an answer of {what}"))
                    except ValueError:
                        raise _Unreadable(f"an answer of {what} is not one quizdeck wrote") from None
                    answers.append(AttemptAnswer(_count(position, f"an answer's place in {what}"),
                                                 _text(question_id, f"a question of {what}"), value,
                                                 _number(points, f"the points of an answer of {what}") or 0.0,
                                                 bool(hint_used)))
                start = _time(started, f"the start of {what}")
                if type(seed) is not int or start is None:
                    raise _Unreadable(f"{what} is not one quizdeck wrote")
                records.append(AttemptRecord(
                    _count(number, "an attempt's id"), _text(bank_id, f"the bank of {what}"),
                    None if bank_path is None else _text(bank_path, f"the bank file of {what}"), seed,
                    decoded_options, tuple(decoded_ids), start, _time(finished, f"the end of {what}"),
                    _number(seconds, f"the time of {what}") or 0.0, tuple(answers),
                ))
            return records

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, committed on leaving (BEGIN IMMEDIATE: wait for other writers now)."""
        with self._guard():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                # SQLite may have rolled back already (a full disk does).
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")


def _connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that never writes to the file, even where SQLite cannot create the WAL's
    shared-memory file beside it (a folder we may not write): then the file is read as it is
    (`immutable`), which is safe as nobody else can write there either."""
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    db = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as failure:
        if "readonly" not in str(failure).lower():
            db.close()
            raise
        db.close()
        db = sqlite3.connect(
            uri + "&immutable=1", uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
        )
    return db


def _is_lock_failure(failure: sqlite3.OperationalError) -> bool:
    text = str(failure).lower()
    return "locked" in text or "busy" in text


def _locked_message(path: Path, timeout: float) -> str:
    return (
        f"{path}: the progress store is locked by another program (waited {timeout:g} s); "
        "close other programs using it and try again"
    )


def _read_only_message(path: Path) -> str:
    return (
        f"{path}: the progress store is read-only; make it writable (chmod u+w '{path}') "
        "or give another file with --store"
    )


def _check_file(path: Path, *, read_only: bool = False) -> bool:
    """Refuse, before SQLite touches it, a path that is a folder, read-only, or not SQLite.

    Whether the file is new (quizdeck will create it); `read_only` allows a read-only file and
    refuses a missing one.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        if read_only:
            raise StoreError(f"{path}: there is no progress store here; give another file with --store") from None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as failure:
            raise StoreError(
                f"{path}: cannot create the progress store's folder "
                f"({failure.strerror or failure}); give another file with --store"
            ) from None
        return True
    except OSError as failure:
        raise StoreError(f"{path}: cannot read the progress store ({failure.strerror or failure})") from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path}: is a folder; --store takes a file (e.g. {path / STORE_NAME})")
    if not read_only and not _writable(path, info):
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
    return False


def _writable(path: Path, info: os.stat_result | None = None) -> bool:
    """Whether quizdeck may write the file. Write bits are checked, not just access(): root may
    write anywhere, but a file its owner made read-only is one they meant to keep as it is."""
    info = info or path.stat()
    return bool(info.st_mode & 0o222) and os.access(path, os.W_OK)


def _discard_new_file(path: Path) -> None:
    """Remove the empty file a failed first open left (a full disk), unless another program
    has started writing a store there meanwhile."""
    try:
        if path.stat().st_size:
            return
        if any(Path(f"{path}{suffix}").exists() for suffix in ("-journal", "-wal")):
            return
        path.unlink()
    except OSError:
        pass
