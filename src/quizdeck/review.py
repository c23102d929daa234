"""A review session's pure core: which cards to show, in what order, and what was done.

Every question is one or more reviewable cards (`card_numbers`): a cloze gives one card per
deletion number (card N asks deletion cN), a `card` with `reverse = true` gives card 1 (front to
back) and card 2 (back to front), any other question gives card 1.

A normal session shows the cards due now, most overdue first, then new cards in bank order, up
to the daily limit of each bank (new cards already introduced today count against it); `limit`
caps the number of cards in the session. A card rated into a short (learning) step comes back in the same
session when it falls due, or earlier if nothing else is left and it is due within
`LEARN_AHEAD` (as Anki does).

A cram session (`cram=True`) shows every card of the banks, due or not - studied cards soonest
due first, then new ones - once each. Its ratings are kept in the review log, flagged as cram,
so the learner's effort is on record, but they never change a card's schedule: the scheduler and
retention statistics ignore them.

Nothing here reads the clock or the terminal; times, and the store where one is needed
(`plan_from_store`, `bank_progress`), are passed in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from quizdeck.bank import Bank
from quizdeck.questions import Card, Cloze, Question, card_count
from quizdeck.scheduler import Memory, Rating, State
from quizdeck.store import ActivitySummary, CardKey, Store

#: How far ahead a learning card may be shown when nothing else is left (Anki's default).
LEARN_AHEAD = timedelta(minutes=20)

#: The daily limit of new cards when `--new` is not given.
DEFAULT_NEW_PER_DAY = 20


def card_numbers(question: Question) -> tuple[int, ...]:
    """The card numbers a question gives: its deletion numbers for a cloze, (1, 2) for a reversed card."""
    if isinstance(question, Cloze):
        numbers = tuple(sorted({d.number for d in question.deletions}))
    elif isinstance(question, Card) and question.reverse:
        numbers = (1, 2)
    else:
        numbers = (1,)
    assert len(numbers) == card_count(question)
    return numbers


def bank_keys(bank: Bank) -> list[CardKey]:
    """Every card of a bank, in bank order."""
    return [CardKey(bank.id, q.id, n) for q in bank.questions for n in card_numbers(q)]


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """One card to show: its identity, its question and bank, and what the scheduler knows of it."""

    key: CardKey
    question: Question
    bank: Bank
    memory: Memory

    @property
    def is_new(self) -> bool:
        """Whether the card has never been reviewed."""
        return self.memory.state == State.New

    @property
    def reversed(self) -> bool:
        """Whether this is the back-to-front card of a reversed flashcard."""
        return isinstance(self.question, Card) and self.key.card == 2


@dataclass(frozen=True, slots=True)
class Plan:
    """The cards a session will show, and the stored cards whose question is gone (orphans)."""

    cards: tuple[ReviewCard, ...]
    orphans: tuple[CardKey, ...] = ()
    new_left_today: int = 0
    #: Cards left out until tomorrow because a sibling (another card of the same question) is
    #: in the session or was reviewed today.
    buried: int = 0


def orphans_of(bank: Bank, known: Iterable[CardKey]) -> list[CardKey]:
    """Stored cards of `bank` that no longer match a card of it (question or deletion removed)."""
    current = set(bank_keys(bank))
    return sorted(key for key in known if key.bank_id == bank.id and key not in current)


def _lookup(banks: Sequence[Bank]) -> dict[CardKey, tuple[Bank, Question]]:
    return {CardKey(b.id, q.id, n): (b, q) for b in banks for q in b.questions for n in card_numbers(q)}


def _sibling(key: CardKey) -> tuple[str, str]:
    return (key.bank_id, key.question_id)


def plan_session(
    banks: Sequence[Bank],
    *,
    due: Iterable[tuple[CardKey, Memory]],
    known: Mapping[CardKey, State],
    introduced_today: Mapping[str, int],
    new_limit: int = DEFAULT_NEW_PER_DAY,
    limit: int | None = None,
    reviewed_today: Collection[CardKey] = (),
    bury: bool = True,
) -> Plan:
    """The cards of a normal session: due cards most overdue first, then new cards up to the limit.

    `due` are the stored cards due now (any order), `known` the state of every stored card of
    the banks, `introduced_today` how many new cards of each bank (by id) were already started
    today. The daily limit of new cards is per bank, as Anki's is per deck: reviewing two banks
    together never starves the second of new cards.

    With `bury` (Anki's default), siblings - the cards of one question: a card and its reverse,
    the blanks of a cloze - are never asked on the same day: the first in the session's order
    is taken, the others wait until tomorrow, and so does any card a sibling of which is in
    `reviewed_today` (cards reviewed since the start of the learner's day). A card reviewed
    today itself (a learning step) still comes back.
    """
    lookup = _lookup(banks)
    orphans = sorted(key for key in known if key not in lookup)
    taken = {_sibling(key) for key in reviewed_today} if bury else set()
    buried = 0

    def unburied(key: CardKey) -> bool:
        nonlocal buried
        if not bury or key in reviewed_today:
            return True
        if _sibling(key) in taken:
            buried += 1
            return False
        taken.add(_sibling(key))
        return True

    due_cards = sorted(
        ((key, memory) for key, memory in due if key in lookup and memory.state != State.New),
        key=lambda item: (item[1].due or datetime.min, item[0]),
    )
    chosen = [ReviewCard(key, lookup[key][1], lookup[key][0], memory) for key, memory in due_cards if unburied(key)]
    new_left = 0
    for bank in banks:
        left = max(0, new_limit - introduced_today.get(bank.id, 0))
        new_left += left
        # A card met only in cram is stored, but still new.
        fresh = [key for key in bank_keys(bank) if known.get(key, State.New) == State.New]
        picked: list[CardKey] = []
        for key in fresh:
            if len(picked) == left:
                break
            if unburied(key):
                picked.append(key)
        chosen.extend(ReviewCard(key, lookup[key][1], bank, Memory()) for key in picked)
    if limit is not None:
        chosen = chosen[:limit]
    return Plan(tuple(chosen), tuple(orphans), new_left, buried)


def plan_cram(
    banks: Sequence[Bank],
    *,
    stored: Mapping[CardKey, Memory],
    limit: int | None = None,
) -> Plan:
    """The cards of a cram session: every card of the banks, studied ones soonest due first, then new ones."""
    lookup = _lookup(banks)
    orphans = sorted(key for key in stored if key not in lookup)
    studied = sorted(
        ((key, memory) for key, memory in stored.items() if key in lookup and memory.due is not None),
        key=lambda item: (item[1].due or datetime.min, item[0]),
    )
    chosen = [ReviewCard(key, lookup[key][1], lookup[key][0], memory) for key, memory in studied]
    studied_keys = {key for key, _ in studied}
    chosen.extend(
        ReviewCard(key, lookup[key][1], lookup[key][0], stored.get(key, Memory()))
        for bank in banks
        for key in bank_keys(bank)
        if key not in studied_keys
    )
    if limit is not None:
        chosen = chosen[:limit]
    return Plan(tuple(chosen), tuple(orphans), 0)


def plan_from_store(
    store: Store,
    banks: Sequence[Bank],
    *,
    now: datetime,
    day_start: datetime,
    new_limit: int = DEFAULT_NEW_PER_DAY,
    limit: int | None = None,
    cram: bool = False,
    bury: bool = True,
) -> Plan:
    """A session's plan from what the store knows: `plan_session` (or `plan_cram`) fed with indexed
    queries only - the due cards of each bank, its cards' states, the cards it introduced since
    `day_start` (the start of the learner's day) and, to bury their siblings, the cards reviewed
    since then."""
    if cram:
        stored = {key: memory for bank in banks for key, memory in store.cards(bank.id).items()}
        return plan_cram(banks, stored=stored, limit=limit)
    known = {key: state for bank in banks for key, state in store.states(bank.id).items()}
    # Due cards whose question is gone are skipped, so a limited query fetches that many more.
    orphans = [key for bank in banks for key in orphans_of(bank, known)]
    due_limit = None if limit is None else limit + len(orphans)
    return plan_session(
        banks,
        due=[item for bank in banks for item in store.due(bank.id, now, due_limit)],
        known=known,
        introduced_today={bank.id: store.introduced_since([bank.id], day_start) for bank in banks},
        new_limit=new_limit,
        limit=limit,
        reviewed_today=_reviewed_since(store, banks, day_start) if bury else (),
        bury=bury,
    )


def _reviewed_since(store: Store, banks: Sequence[Bank], since: datetime) -> set[CardKey]:
    return {
        key
        for bank in banks
        for key, memory in store.cards(bank.id).items()
        if memory.last_review is not None and memory.last_review >= since
    }


@dataclass(frozen=True, slots=True)
class Answer:
    """One review done in a session."""

    card: ReviewCard
    rating: Rating
    correct: bool
    after: Memory


@dataclass
class Session:
    """The queue of a running session and what has been answered so far.

    Call `next(now)` for the card to show (None when the session is over), then `answered(...)`
    once its rating is saved.
    """

    cards: Sequence[ReviewCard]
    cram: bool = False
    learn_ahead: timedelta = LEARN_AHEAD
    answers: list[Answer] = field(default_factory=list)
    _queue: list[ReviewCard] = field(default_factory=list, repr=False)
    _learning: list[ReviewCard] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._queue = list(self.cards)

    def next(self, now: datetime) -> ReviewCard | None:
        """The card to show at `now`: a learning card now due, else the next queued card, else a
        learning card due within the learn-ahead limit; None when nothing is left."""
        self._learning.sort(key=lambda c: (c.memory.due or now, c.key))
        if self._learning and self._due(self._learning[0], now):
            return self._learning.pop(0)
        if self._queue:
            return self._queue.pop(0)
        if self._learning and self._due(self._learning[0], now + self.learn_ahead):
            return self._learning.pop(0)
        return None

    @staticmethod
    def _due(card: ReviewCard, moment: datetime) -> bool:
        return card.memory.due is not None and card.memory.due <= moment

    def answered(self, card: ReviewCard, rating: Rating, after: Memory, *, correct: bool, now: datetime) -> None:
        """Record a saved rating; a card due again within the learn-ahead limit comes back later."""
        self.answers.append(Answer(card, rating, correct, after))
        if not self.cram and after.due is not None and after.due <= now + self.learn_ahead:
            self._learning.append(replace(card, memory=after))

    def put_back(self, card: ReviewCard) -> None:
        """Return a card that was shown but not rated (the session ended on it) to where it came from:
        the queue, or the learning cards if it was already answered once in this session."""
        if any(answer.card.key == card.key for answer in self.answers):
            self._learning.append(card)
        else:
            self._queue.insert(0, card)

    @property
    def unseen(self) -> int:
        """Cards of the plan not shown yet in this session (learning repeats not counted)."""
        return len(self._queue)

    @property
    def remaining(self) -> int:
        """Cards still to show (including learning cards waiting to come back)."""
        return len(self._queue) + len(self._learning)

    def summary(self) -> Summary:
        """What the session did."""
        ratings = {rating: 0 for rating in Rating}
        for answer in self.answers:
            ratings[answer.rating] += 1
        return Summary(
            reviews=len(self.answers),
            cards=len({a.card.key for a in self.answers}),
            right=sum(a.correct for a in self.answers),
            new=len({a.card.key for a in self.answers if a.card.is_new}),
            ratings=ratings,
        )


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for the end-of-session screen."""

    reviews: int
    cards: int
    right: int
    new: int
    ratings: Mapping[Rating, int]


# --- progress (for `quizdeck stats`) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BankProgress:
    """A bank's progress as `quizdeck stats` shows it.

    `new` and `orphaned` need the bank itself and are None when its file could not be read;
    `forecast` is the cards due on each day from today (overdue ones count as today) on;
    `retention` is the share of recall reviews of cards in the Review state that were not
    rated Again (None without any), the measure FSRS aims at 90%.
    """

    bank_id: str
    title: str
    path: str | None
    states: Mapping[State, int]
    new: int | None
    forecast: tuple[tuple[datetime, int], ...]
    activity: ActivitySummary
    hardest: tuple[tuple[CardKey, int, int], ...]
    orphaned: tuple[CardKey, ...] | None
    problem: str = ""
    #: The bank's questions and the cards they give (None when the bank could not be read): a
    #: cloze gives a card per blank, a reversed card two.
    questions: int | None = None
    cards: int | None = None

    @property
    def retention(self) -> float | None:
        """Right answers among reviews of mature cards, 0-1."""
        if not self.activity.mature_reviews:
            return None
        return self.activity.mature_correct / self.activity.mature_reviews


def bank_progress(
    store: Store,
    bank_id: str,
    title: str,
    path: str | None,
    bank: Bank | None,
    *,
    day_start: datetime,
    now: datetime,
    days: int = 7,
    window: int = 30,
    problem: str = "",
) -> BankProgress:
    """Gather one bank's progress from the store (and from the bank, for new and orphaned cards)."""
    states = store.state_counts(bank_id)
    edges = [day_start + timedelta(days=n) for n in range(1, days + 2)]
    counts = store.due_counts(bank_id, edges)
    new: int | None = None
    orphaned: tuple[CardKey, ...] | None = None
    if bank is not None:
        known = store.states(bank_id)
        new = sum(1 for key in bank_keys(bank) if known.get(key, State.New) == State.New)
        orphaned = tuple(orphans_of(bank, known))
        # An orphan is never shown again, so it is not due: take it out of the day it would fall on.
        for key in orphaned:
            due = store.memory(key).due
            day = next((n for n, edge in enumerate(edges) if due is not None and due < edge), None)
            if day is not None:
                counts[day] -= 1
    forecast = tuple((day_start + timedelta(days=n), count) for n, count in enumerate(counts))
    return BankProgress(
        bank_id=bank_id,
        title=bank.title if bank is not None else title,
        path=path,
        states={state: count for state, count in states.items() if state != State.New},
        new=new,
        forecast=forecast,
        activity=store.activity([bank_id], now - timedelta(days=window)),
        hardest=tuple(store.hardest([bank_id])),
        orphaned=orphaned,
        problem=problem,
        questions=None if bank is None else len(bank.questions),
        cards=None if bank is None else len(bank_keys(bank)),
    )
