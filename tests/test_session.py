"""The quiz session core: building a quiz from a seed, grading responses, results as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizdeck.bank import load_bank
from quizdeck.errors import UsageError
from quizdeck.grading import Mark
from quizdeck.questions import Choice, Match, Order
from quizdeck.session import Answer, build_quiz, grade_responses, presented_options, results

RIGHT = {
    "capital-card": True,
    "largest-planet": "Jupiter",
    "primary-colours": ["red", "green", "blue"],
    "water-boils": True,
    "author-hamlet": "Shakespeare",
    "speed-of-light": 300,
    "planets-cloze": ["Sun", "Moon"],
    "planet-order": ["Mercury", "Venus", "Earth", "Mars"],
    "capitals-match": {"France": "Paris", "Italy": "Rome", "Spain": "Madrid"},
}


def ids(quiz: object) -> list[str]:
    return [a.question.id for a in quiz.asked]  # type: ignore[attr-defined]


def test_same_seed_same_quiz_and_other_seeds_differ(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    first = build_quiz(bank, seed=7)
    again = build_quiz(bank, seed=7)
    assert first.asked == again.asked
    others = {tuple(ids(build_quiz(bank, seed=s))) for s in range(1, 20)}
    assert len(others) > 1
    assert sorted(ids(first)) == sorted(q.id for q in bank.questions)


def test_shuffle_reorders_choices_reproducibly(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    orders = {
        next(a.options for a in build_quiz(bank, seed=s).asked if a.question.id == "largest-planet") for s in range(30)
    }
    assert len(orders) > 1
    assert all(sorted(o) == sorted(("Mars", "Jupiter", "Venus", "Mercury")) for o in orders)


def test_no_shuffle_keeps_bank_order_but_scrambles_order_and_match(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    quiz = build_quiz(bank, seed=1, shuffle=False)
    assert ids(quiz) == [q.id for q in bank.questions]
    by_id = {a.question.id: a for a in quiz.asked}
    assert by_id["largest-planet"].options == ("Mars", "Jupiter", "Venus", "Mercury")
    assert by_id["water-boils"].options == ()
    # The bank writes order items in the right order: showing them so would give the answer away.
    order = by_id["planet-order"].options
    assert sorted(order) == sorted(("Mercury", "Venus", "Earth", "Mars"))
    assert order != ("Mercury", "Venus", "Earth", "Mars")
    assert by_id["capitals-match"].options != ("Paris", "Rome", "Madrid")
    # ...and the scramble does not depend on the seed without --shuffle.
    assert build_quiz(bank, seed=99, shuffle=False).asked == quiz.asked


def test_order_and_match_are_never_shown_in_the_answer_order() -> None:
    order = Order(id="two", prompt="p", items=("first", "second"))
    match = Match(id="m", prompt="p", pairs=(("a", "1"), ("b", "2")))
    import random

    for seed in range(50):
        assert presented_options(order, random.Random(seed)) == ("second", "first")
        assert presented_options(match, random.Random(seed)) == ("2", "1")
    choice = Choice(id="c", prompt="p", choices=("x", "y"), answer="x")
    assert presented_options(choice, None) == ("x", "y")


def test_tag_and_limit(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    assert ids(build_quiz(bank, seed=1, tag="geo")) == ["capital-card"]
    # The bank's own tags apply to every question.
    assert len(build_quiz(bank, seed=1, tag="demo")) == 9
    limited = build_quiz(bank, seed=3, limit=4)
    assert len(limited) == 4
    assert ids(limited) == ids(build_quiz(bank, seed=3))[:4]


def test_a_tag_nobody_has_is_a_clear_error(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    with pytest.raises(UsageError) as failure:
        build_quiz(bank, seed=1, tag="history")
    assert str(failure.value) == (
        f"{all_types_bank}: no question has the tag 'history' (tags in this bank: demo, geo, literature)"
    )
    with pytest.raises(UsageError, match="--limit must be at least 1"):
        build_quiz(bank, seed=1, limit=0)


def test_all_right_results(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    quiz = build_quiz(bank, seed=5, shuffle=False)
    result = grade_responses(quiz, RIGHT, time_seconds=12.34)
    data = result.to_dict()
    assert data["bank"] == "all-types"
    assert (data["score"], data["total"], data["percent"]) == (9, 9, 100.0)
    assert data["seed"] == 5
    assert data["time_seconds"] == 12.3
    assert data["finished"] is True
    assert [q["id"] for q in data["questions"]] == list(RIGHT)
    first = data["questions"][0]
    assert {k: first[k] for k in ("id", "type", "points", "correct", "response", "expected")} == {
        "id": "capital-card",
        "type": "card",
        "points": 1,
        "correct": True,
        "response": True,
        "expected": "Paris",
    }
    match = data["questions"][-1]
    assert match["expected"] == {"France": "Paris", "Italy": "Rome", "Spain": "Madrid"}
    json.dumps(data)  # JSON-able all the way down
    assert result.missed == ()


def test_partial_and_unanswered(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    quiz = build_quiz(bank, seed=5, shuffle=False)
    responses = {
        "largest-planet": "Mars",
        "planet-order": ["Venus", "Mercury", "Earth", "Mars"],
        "author-hamlet": "Marlowe",
    }
    result = grade_responses(quiz, responses)
    data = result.to_dict()
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["largest-planet"]["points"] == 0
    assert by_id["largest-planet"]["correct"] is False
    assert by_id["water-boils"]["response"] is None
    assert by_id["water-boils"]["points"] == 0
    order_points = by_id["planet-order"]["points"]
    # Venus and Mercury swapped: Mercury (or Venus), Earth, Mars in order, two steps of three.
    assert order_points == 0.6667 and by_id["planet-order"]["correct"] is False
    assert data["score"] == order_points
    assert data["total"] == 9
    assert data["percent"] == round(100 * order_points / 9, 1)
    assert "time_seconds" not in data
    assert len(result.missed) == 9


def test_an_interrupted_quiz_counts_what_was_asked(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    q = bank.question("largest-planet")
    answered = [Answer(q, "Jupiter", Mark(1.0, True, q))]
    result = results(bank, answered, quiz_length=9, seed=3, time_seconds=2.0)
    data = result.to_dict()
    assert (data["score"], data["total"], data["percent"]) == (1, 1, 100.0)
    assert data["finished"] is False
    assert data["quiz_length"] == 9
