"""`quizdeck review` through typer's CliRunner: whole screens, session ends, and one-line errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from quizdeck.cli import app

runner = CliRunner()
NOW = "2026-03-01T09:00:00Z"

TWO_CARDS = """[bank]
id = "two"
title = "Two cards"
language = "en"

[[questions]]
id = "one"
type = "card"
prompt = "One in French"
back = "un"

[[questions]]
id = "two"
type = "card"
prompt = "Two in French"
back = "deux"
explanation = "As in deux-roues."
"""


@pytest.fixture(autouse=True)
def _utc_logical(utc: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZDECK_RTL", "logical")


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "two.toml"
    path.write_text(TWO_CARDS, encoding="utf-8")
    return path


def review(*args: str, keys: str = "", now: str = NOW) -> Result:
    return runner.invoke(app, ["review", *args], input=keys, env={"QUIZDECK_NOW": now, "COLUMNS": "80"})


def test_a_whole_session_screen_by_screen(bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "p.db"
    result = review(str(bank), "--store", str(store), keys=" 4\n3 3")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "\n"
        "two / one (card) - new - 2 left\n"
        "One in French\n"
        "Enter or space: show the answer   q: quit\n"
        "un\n"
        "1 Again: 1m   2 Hard: 6m   3 Good: 10m   4 Easy: 10d\n"
        "Easy: next review in 10d\n"
        "\n"
        "two / two (card) - new - 1 left\n"
        "Two in French\n"
        "Enter or space: show the answer   q: quit\n"
        "deux\n"
        "As in deux-roues.\n"
        "1 Again: 1m   2 Hard: 6m   3 Good: 10m   4 Easy: 8d\n"
        "Good: next review in 10m\n"
        "\n"
        "two / two (card) - learning - 1 left\n"
        "Two in French\n"
        "Enter or space: show the answer   q: quit\n"
        "deux\n"
        "As in deux-roues.\n"
        "1 Again: 1m   2 Hard: 10m   3 Good: 2d   4 Easy: 4d\n"
        "Good: next review in 2d\n"
        "\n"
        "───────────────────────────────── session over ─────────────────────────────────\n"
        "Reviewed 2 cards (3 reviews, 2 new): 3 right, 0 wrong or forgotten.\n"
        "Ratings: Again 0, Hard 0, Good 2, Easy 1\n"
        "Next due: in 2d (2026-03-03 09:00); 0 card(s) due within 24 hours.\n"
    )
    # The next day: nothing is due, and no card is new any more.
    later = review(str(bank), "--store", str(store), now="2026-03-02T09:00:00Z")
    assert later.output == (
        "Nothing to review in two now.\nNext due: in 1d (2026-03-03 09:00); 1 card(s) due within 24 hours.\n"
    )


def test_new_cards_started_today_count_against_the_limit(bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "p.db"
    first = review(str(bank), "--store", str(store), "--new", "1", keys=" 4")
    assert "two / one (card) - new" in first.output and "two / two" not in first.output
    again = review(str(bank), "--store", str(store), "--new", "1", now="2026-03-01T15:00:00Z")
    # It used to stop at "Nothing to review in two now.", not saying how to learn more today.
    assert again.output.startswith(
        "Nothing to review in two now; today's 1 new card(s) per bank are done, 1 more wait: "
        "--new 2 raises today's limit.\n")
    tomorrow = review(str(bank), "--store", str(store), "--new", "1", keys=" 4", now="2026-03-02T09:00:00Z")
    assert "two / two (card) - new" in tomorrow.output


def test_quit_keys_end_the_session_with_ratings_saved(bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "p.db"
    result = review(str(bank), "--store", str(store), keys=" 4 q")
    assert result.exit_code == 0
    assert "session stopped" in result.output
    assert "Reviewed 1 card (1 review, 1 new): 1 right" in result.output
    assert "1 card(s) of this session not reviewed; they wait for the next session." in result.output
    db = sqlite3.connect(store)
    assert db.execute("SELECT question_id, rating FROM reviews JOIN cards ON cards.id = card_id").fetchall() == [
        ("one", 4)
    ]
    db.close()
    ctrl_c = review(str(bank), "--store", str(store), keys="\x03")
    assert ctrl_c.exit_code == 130
    end_of_input = review(str(bank), "--store", str(store), keys="")
    assert end_of_input.exit_code == 0


def test_cram_reviews_without_touching_the_schedule(bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "p.db"
    review(str(bank), "--store", str(store), keys=" 4 4")
    db = sqlite3.connect(store)
    before = db.execute("SELECT * FROM cards ORDER BY id").fetchall()
    result = review(str(bank), "--store", str(store), "--cram", keys=" 1 1", now="2026-03-02T09:00:00Z")
    assert "1 Again   2 Hard   3 Good   4 Easy\nAgain (cram: schedule unchanged)" in result.output
    assert "Cram session: no card's schedule was changed." in result.output
    assert db.execute("SELECT * FROM cards ORDER BY id").fetchall() == before
    assert db.execute("SELECT rating, cram FROM reviews ORDER BY id").fetchall() == [(4, 0), (4, 0), (1, 1), (1, 1)]
    db.close()


def test_a_removed_question_is_noted_not_deleted(bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "p.db"
    review(str(bank), "--store", str(store), keys=" 4 4")
    bank.write_text(TWO_CARDS.split('[[questions]]\nid = "two"')[0], encoding="utf-8")
    result = review(str(bank), "--store", str(store), now="2026-04-01T09:00:00Z", keys="q")
    assert result.output.startswith(
        "note: 1 stored card(s) no longer match a question in their bank; `quizdeck stats` lists "
        "them (their history is kept)\n"
    )
    db = sqlite3.connect(store)
    assert db.execute("SELECT count(*) FROM cards WHERE question_id = 'two'").fetchone()[0] == 1
    db.close()


def test_the_default_store_is_in_quizdeck_home(bank: Path, _isolated_home: Path) -> None:
    review(str(bank), keys=" 4")
    assert (_isolated_home / "progress.db").exists()


@pytest.mark.parametrize(
    ("args", "env_now", "message", "code"),
    [
        (["--rtl", "sideways"], NOW, "--rtl must be one of auto, logical, visual (got 'sideways')", 2),
        (
            [],
            "yesterday",
            "QUIZDECK_NOW='yesterday' is not an ISO-8601 time (e.g. "
            "2026-03-01T09:00:00+00:00); fix it or unset QUIZDECK_NOW",
            2,
        ),
        (["--new", "-1"], NOW, None, 2),
    ],
)
def test_usage_errors_are_one_line(bank: Path, args: list[str], env_now: str, message: str | None, code: int) -> None:
    result = review(str(bank), *args, now=env_now)
    assert result.exit_code == code
    if message is not None:
        assert result.output == f"quizdeck: error: {message}\n"


def test_the_same_bank_twice_is_refused(bank: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text(TWO_CARDS, encoding="utf-8")
    result = review(str(bank), str(copy))
    assert result.exit_code == 2
    assert result.output == (
        f"quizdeck: error: {copy}: bank id 'two' is also the id of {bank}; "
        "give each bank once (bank ids must be unique)\n"
    )


def test_an_unusable_store_is_one_line_and_left_untouched(bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "notes.txt"
    store.write_text("my shopping list\n", encoding="utf-8")
    result = review(str(bank), "--store", str(store))
    assert result.exit_code == 1
    assert result.output == (
        f"quizdeck: error: {store}: is not a SQLite database, so not a quizdeck progress store; it "
        "was left untouched: give another file with --store or move this one away\n"
    )
    assert store.read_text(encoding="utf-8") == "my shopping list\n"


def test_an_orphaned_card_is_never_called_due(bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "p.db"
    review(str(bank), "--store", str(store), keys=" 4 4")
    bank.write_text(TWO_CARDS.split('[[questions]]\nid = "two"')[0], encoding="utf-8")
    # A month later both stored cards are overdue, but "two" is no longer in the bank: one is due.
    result = review(str(bank), "--store", str(store), now="2026-04-01T09:00:00Z", keys="q")
    assert result.output.endswith("\n1 card(s) due now.\n"), result.output


def test_the_summary_counts_only_cards_not_yet_shown(bank: Path, tmp_path: Path) -> None:
    # Both cards rated Good come back in 10 minutes; quitting on the first one's repeat leaves
    # no card of the session unreviewed (it used to say "2 card(s) ... not reviewed").
    result = review(str(bank), "--store", str(tmp_path / "p.db"), keys=" 3 3q")
    assert "session stopped" in result.output
    assert "not reviewed" not in result.output
    assert result.output.endswith(
        "Reviewed 2 cards (2 reviews, 2 new): 2 right, 0 wrong or forgotten.\n"
        "Ratings: Again 0, Hard 0, Good 2, Easy 0\n"
        "Next due: in 10m (2026-03-01 09:10); 2 card(s) due within 24 hours.\n"
    )


@pytest.mark.parametrize("cram", [False, True])
def test_overdue_cards_are_not_called_unscheduled(bank: Path, tmp_path: Path, cram: bool) -> None:
    store = tmp_path / "p.db"
    review(str(bank), "--store", str(store), keys=" 4 4")
    # A month later both cards are overdue and none falls due later: the summary used to say
    # "2 card(s) due now." then "No reviews scheduled yet." (after cram, only the latter).
    args = ["--cram"] if cram else []
    result = review(str(bank), "--store", str(store), *args, keys="q", now="2026-04-01T09:00:00Z")
    assert result.output.endswith("\n2 card(s) due now.\n")
    assert "No reviews scheduled yet." not in result.output


def test_a_card_another_session_just_reviewed_is_skipped(bank: Path, tmp_path: Path) -> None:
    # Two terminals planned the same new cards; the other one rated "two" Good (back in 10 minutes)
    # while this one was on "one". This session used to show "two" again at once, as a learning
    # card within the 20-minute learn-ahead limit: reviewed twice in a row.
    import io
    from datetime import datetime, timezone

    from rich.console import Console

    from quizdeck.bank import load_bank
    from quizdeck.commands._asking import Screen
    from quizdeck.commands.review import run
    from quizdeck.review import Session, plan_from_store
    from quizdeck.scheduler import NEW, Rating, Scheduler
    from quizdeck.store import CardKey, Store

    now = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
    loaded = load_bank(bank)
    out = Console(file=io.StringIO(), width=80, color_system=None)
    scheduler = Scheduler()
    with Store.open(tmp_path / "p.db", now=now) as mine, Store.open(tmp_path / "p.db", now=now) as other:
        plan = plan_from_store(mine, [loaded], now=now, day_start=now, new_limit=20)
        session = Session(plan.cards)
        key = CardKey("two", "two", 1)
        other.save_review(key, NEW, scheduler.review(NEW, Rating.Good, now), Rating.Good, now, duration_ms=1)
        keys = iter(" 3 3")
        ended = run(session, {"two": Screen.for_bank(loaded, out, "logical")}, mine, scheduler,
                    lambda: now, lambda: next(keys, "\x04"))
    assert ended == "finished"
    assert [answer.card.key.question_id for answer in session.answers] == ["one", "one"]
    assert "two / two" not in out.file.getvalue()  # type: ignore[attr-defined]


def test_a_folder_reviews_every_bank_in_it(bank: Path, tmp_path: Path) -> None:
    # It used to fail with "is a folder; give a .toml file, or let `check` search the folder".
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "three.toml").write_text(TWO_CARDS.replace('id = "two"\ntitle', 'id = "three"\ntitle'),
                                                  encoding="utf-8")
    result = review(str(tmp_path), "--store", str(tmp_path / "p.db"), "--new", "1", keys="q")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\nthree / one (card) - new - 2 left\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert review(str(empty)).output == f"quizdeck: error: no *.toml banks found in {empty}\n"


def test_escape_sequences_are_whole_keys() -> None:
    from quizdeck.commands.review import SEQUENCE, split_keys

    assert split_keys(" 3") == [" ", "3"]
    assert split_keys("\x1b[A") == [SEQUENCE]
    assert split_keys("\x1b[1;5C3") == [SEQUENCE, "3"]  # Ctrl+Right, then 3
    assert split_keys("\x1bOP\x1b[B") == [SEQUENCE, SEQUENCE]  # F1, Down
    assert split_keys("\x1bx") == [SEQUENCE]  # Alt+x
    assert split_keys("\x1b") == ["\x1b"]  # Esc alone
    assert split_keys("2\x1b") == ["2", "\x1b"]
    assert split_keys("\x1b[") == [SEQUENCE]  # cut short: still never a key of its own
    assert split_keys("") == []


def test_wait_for_never_returns_a_sequence_or_nothing() -> None:
    from quizdeck.commands.review import SEQUENCE, Quit, wait_for

    keys = iter([SEQUENCE, "", "x", "3"])
    notes: list[str] = []
    assert wait_for("1234", lambda: next(keys), refused=lambda: notes.append("refused")) == "3"
    assert notes == ["refused"]
    for key in ("q", "Q", "\x1b", "\x04"):
        with pytest.raises(Quit) as ended:
            wait_for("1234", iter([key]).__next__)
        assert not ended.value.interrupted
    with pytest.raises(Quit) as ended:
        wait_for("1234", iter(["\x03"]).__next__)
    assert ended.value.interrupted
