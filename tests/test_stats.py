"""`quizdeck stats`: the text report, its JSON, orphans, banks found again, and the forecast chart."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from quizdeck.cli import app
from quizdeck.commands.stats import forecast_lines

from .conftest import QUIZZES

runner = CliRunner()
DAY = "2026-03-01T09:00:00Z"

BANK = """[bank]
id = "three"
title = "Three cards"
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

[[questions]]
id = "three"
type = "truefalse"
prompt = "Trois is three."
answer = true
"""


@pytest.fixture(autouse=True)
def _utc_logical(utc: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZDECK_RTL", "logical")


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "three.toml"
    path.write_text(BANK, encoding="utf-8")
    return path


def run(*args: str, keys: str = "", now: str = DAY) -> Result:
    return runner.invoke(app, list(args), input=keys, env={"QUIZDECK_NOW": now, "COLUMNS": "80"})


def studied(bank: Path) -> None:
    """Day 1: "one" learned (Good, Good), "two" Again then Good; day 3: "two" Good, "one" lapses."""
    run("review", str(bank), "--new", "2", keys=" 3 1 3 3")
    run("review", str(bank), "--new", "0", keys=" 3 1", now="2026-03-03T09:00:00Z")


def test_stats_of_a_studied_bank(bank: Path) -> None:
    studied(bank)
    result = run("stats", str(bank), now="2026-03-03T10:00:00Z")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "three: Three cards\n"
        f"  file: {bank}\n"
        "  cards: 1 new, 1 learning, 1 review\n"
        "  due: 1 today, 1 in the next 7 days\n"
        "    today    ██████████████████████████████ 1\n"
        "    Wed 04   0\n"
        "    Thu 05   0\n"
        "    Fri 06   0\n"
        "    Sat 07   ██████████████████████████████ 1\n"
        "    Sun 08   0\n"
        "    Mon 09   0\n"
        "    Tue 10   0\n"
        "  last 30 days: 6 reviews on 2 day(s), 4 right; retention 0% of 1 mature reviews\n"
        "  hardest cards (most lapses):\n"
        "    one card 1: 1 lapse(s) in 3 reviews\n"
    )


def test_stats_as_json(bank: Path) -> None:
    studied(bank)
    result = run("stats", str(bank), "--json", now="2026-03-03T10:00:00Z")
    document = json.loads(result.output)
    assert document["now"] == "2026-03-03T10:00:00+00:00"
    [report] = document["banks"]
    assert report == {
        "id": "three",
        "title": "Three cards",
        "path": str(bank),
        "problem": None,
        "cards": {"new": 1, "learning": 1, "review": 1},
        "due": {
            "today": 1,
            "next_7_days": 1,
            "forecast": [{"date": f"2026-03-{day:02d}", "due": 1 if day in (3, 7) else 0} for day in range(3, 11)],
        },
        "last_30_days": {
            "reviews": 6,
            "right": 4,
            "days": 2,
            "cram_reviews": 0,
            "retention": 0.0,
            "retention_reviews": 1,
        },
        "hardest": [{"question_id": "one", "card": 1, "lapses": 1, "reviews": 3}],
        "orphaned": [],
    }


def test_without_banks_every_bank_in_the_store_is_found_again(bank: Path, tmp_path: Path) -> None:
    studied(bank)
    everything = json.loads(run("stats", "--json").output)
    assert [b["id"] for b in everything["banks"]] == ["three"]
    assert everything["banks"][0]["path"] == str(bank.resolve())
    assert everything["banks"][0]["cards"]["new"] == 1
    bank.rename(tmp_path / "moved.toml")
    text = run("stats").output
    assert f"  note: bank file {bank.resolve()} cannot be read now; new and orphaned cards cannot be counted\n" in text
    assert "  cards: ? new, 1 learning, 1 review\n" in text


def test_orphaned_cards_are_listed_never_deleted(bank: Path) -> None:
    studied(bank)
    bank.write_text(BANK.replace('id = "two"', 'id = "deux"'), encoding="utf-8")
    text = run("stats", str(bank)).output
    assert text.endswith(
        "  orphaned cards (1; their question is gone from the bank, their history is kept):\n    two card 1\n"
    )
    report = json.loads(run("stats", str(bank), "--json").output)["banks"][0]
    assert report["orphaned"] == [{"question_id": "two", "card": 1}]
    assert report["cards"]["learning"] + report["cards"]["review"] == 2  # still counted
    assert report["cards"]["new"] == 2  # "deux" is a new question now


def test_orphaned_cards_are_not_counted_as_due(bank: Path) -> None:
    studied(bank)
    bank.write_text(BANK.replace('id = "two"', 'id = "deux"'), encoding="utf-8")
    report = json.loads(run("stats", str(bank), "--json", now="2026-03-03T10:00:00Z").output)["banks"][0]
    assert report["orphaned"] == [{"question_id": "two", "card": 1}]
    # "two" would have fallen due on the 7th; only "one" (due today) is left.
    assert report["due"]["forecast"] == [
        {"date": f"2026-03-{day:02d}", "due": 1 if day == 3 else 0} for day in range(3, 11)
    ]
    assert (report["due"]["today"], report["due"]["next_7_days"]) == (1, 0)


def test_an_empty_store_is_not_created_by_looking(bank: Path, _isolated_home: Path) -> None:
    result = run("stats")
    assert result.output == (
        f"No reviews yet in {_isolated_home / 'progress.db'}: start with `quizdeck review BANK`.\n"
    )
    fresh = json.loads(run("stats", str(bank), "--json").output)["banks"][0]
    assert fresh["cards"] == {"new": 3, "learning": 0, "review": 0}
    assert not (_isolated_home / "progress.db").exists()


def test_a_broken_store_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "p.db"
    store.write_bytes(b"\x00garbage" * 100)
    result = run("stats", "--store", str(store))
    assert result.exit_code == 1
    assert result.output.startswith(f"quizdeck: error: {store}: is not a SQLite database")


def test_the_forecast_chart_scales_to_the_busiest_day() -> None:
    days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 5)]
    assert forecast_lines(tuple(zip(days, [4, 0, 1, 100], strict=True)), width=20) == [
        "today    █ 4",
        "Mon 02   0",
        "Tue 03   ▏ 1",
        "Wed 04   ████████████████████ 100",
    ]


def test_an_arabic_title_is_reordered_for_a_terminal_without_bidi(tmp_path: Path) -> None:
    # stats had no --rtl: in a terminal that does no bidi (kitty, Alacritty...) the title of an
    # Arabic bank came out letter by letter backwards, while review showed it right.
    from quizdeck import rtl

    path = tmp_path / "words.toml"
    path.write_text(BANK.replace('title = "Three cards"', 'title = "مفردات"').replace('"en"', '"ar"'),
                    encoding="utf-8")
    logical = run("stats", str(path), "--rtl", "logical").output
    assert logical.startswith("three: مفردات\n")
    visual = run("stats", str(path), "--rtl", "visual").output
    # "مفردات" with its letters joined (presentation forms) and in screen order, right to left.
    title = "three: \ufe95\ufe8d\ufea9\ufeae\ufed4\ufee3"
    assert visual.startswith(rtl.BIDI_OFF + title + "\n")
    assert visual.endswith(rtl.BIDI_RESTORE)


def test_one_review_is_not_called_reviews(bank: Path) -> None:
    run("review", str(bank), "--new", "1", keys=" 3")
    text = run("stats", str(bank)).output
    assert (
        "  last 30 days: 1 review on 1 day(s), 1 right; retention not measured yet: no card has reached review\n"
    ) in text


def test_review_cards_without_reviews_in_review_are_explained_not_denied(bank: Path) -> None:
    # Easy graduates a new card straight to review: the card counts as review, but retention
    # (reviews of cards already in review) has nothing to measure yet.
    run("review", str(bank), "--new", "1", keys=" 4")
    text = run("stats", str(bank)).output
    assert "1 review\n" in text
    assert "retention not measured yet: the 1 review card(s) are not due back yet\n" in text
    assert "no review-state" not in text


def test_cloze_blanks_are_explained_as_cards_of_their_own() -> None:
    from quizdeck.bank import load_bank
    from quizdeck.review import bank_keys

    bank = QUIZZES / "coalition-iraq.toml"
    loaded = load_bank(bank)
    questions, cards = len(loaded.questions), len(bank_keys(loaded))
    assert cards > questions  # the bundled bank has cloze questions
    run("review", str(bank), "--new", "1", keys="-\n")
    text = run("stats", str(bank)).output
    assert (
        f"    ({questions} questions give {cards} cards: each blank of a cloze and each side of a reversed card "
        "is a card of its own)\n"
    ) in text


def test_stats_reads_a_read_only_store_without_writing_it(bank: Path, _isolated_home: Path) -> None:
    studied(bank)
    store = _isolated_home / "progress.db"
    before = store.read_bytes()
    store.chmod(0o444)
    try:
        result = run("stats", str(bank), now="2026-03-03T10:00:00Z")
    finally:
        store.chmod(0o644)
    assert result.exit_code == 0, result.output
    assert "  cards: 1 new, 1 learning, 1 review\n" in result.output
    assert store.read_bytes() == before
    # Reviewing does write, so it still refuses the file.
    store.chmod(0o444)
    try:
        refused = run("review", str(bank), keys="q")
    finally:
        store.chmod(0o644)
    assert refused.exit_code == 1
    assert f"{store}: the progress store is read-only" in refused.output


def test_stats_of_a_store_with_a_value_quizdeck_never_writes_is_an_error_not_a_traceback(
    bank: Path, _isolated_home: Path
) -> None:
    studied(bank)
    store = _isolated_home / "progress.db"
    db = sqlite3.connect(store)
    db.execute("UPDATE cards SET state = 99 WHERE question_id = 'one'")
    db.commit()
    db.close()
    result = run("stats", str(bank), now="2026-03-03T10:00:00Z")
    assert result.exit_code == 1
    assert result.output == (
        f"quizdeck: error: {store}: the state of a card of bank three is 99, not a card state (0-3), which quizdeck "
        "never writes: the file was changed by another program or is damaged; it was left untouched: "
        "restore a copy, or give another file with --store\n"
    )
