"""Item analysis on a class of six worked out by hand.

The bank (below) has six questions; each student's sheet and points:

    student  capital  moon    river   planet  boils  hamlet           total
    ana      Paris 1  Moon 1  Nile 1  Mars 0  true 1 Marlowe 0        4
    ben      Paris 1  Moon 1  Amazon  Mars 0  true 1 Bacon 0          3
    cai      Paris 1  Phobos  Nile 1  Mars 0  true 1 -                3
    dan      Rome  0  Moon 1  Amazon  Venus   true 1 Shakespeare 1    3
    eve      Rome  0  Phobos  Danube  Venus   true 1 Shakespeare 1    2
    fay      Madrid   -       Amazon  -       true 1 Shakespeare 1    2

Ranked by total, ties by name: ana 4, ben 3, cai 3, dan 3, eve 2, fay 2.
k = 6 // 3 = 2: upper group = ana, ben; lower group = eve, fay.

    question  facility (mean points)  upper mean  lower mean  D
    capital   3/6 = 0.5               (1+1)/2 = 1  (0+0)/2 = 0  1.0
    moon      3/6 = 0.5               1            0            1.0
    river     2/6 = 0.3333            (1+0)/2 = .5 0            0.5
    planet    0/6 = 0                 0            0            0.0   nobody right
    boils     6/6 = 1                 1            1            0.0   everybody right
    hamlet    3/6 = 0.5               0            1           -1.0   negative discrimination

Wrong picks: capital Rome 2, Madrid 1, Berlin 0; moon Phobos 2, Titan 0 (fay did not answer:
5 answered); river Amazon 3 (more than Nile's 2: flagged), Danube 1; planet Mars 3, Venus 2
(both more than Jupiter's 0), 5 answered; boils false 0.
"""

from __future__ import annotations

import pytest

from quizdeck.analysis import OptionCount, analyse
from quizdeck.bank import parse_bank
from quizdeck.grading import Mark
from quizdeck.session import Answer, build_quiz, grade_responses, results
from quizdeck.sheet import parse_sheet

BANK = """\
[bank]
id = "class"
title = "A class test"
language = "en"

[[questions]]
id = "capital"
type = "choice"
prompt = "Capital of France?"
choices = ["Paris", "Rome", "Madrid", "Berlin"]
answer = "Paris"

[[questions]]
id = "moon"
type = "choice"
prompt = "Earth's satellite?"
choices = ["Moon", "Phobos", "Titan"]
answer = "Moon"

[[questions]]
id = "river"
type = "choice"
prompt = "Longest river?"
choices = ["Nile", "Amazon", "Danube"]
answer = "Nile"

[[questions]]
id = "planet"
type = "choice"
prompt = "Largest planet?"
choices = ["Mars", "Jupiter", "Venus"]
answer = "Jupiter"

[[questions]]
id = "boils"
type = "truefalse"
prompt = "Water boils at 100 C at sea level."
answer = true

[[questions]]
id = "hamlet"
type = "short"
prompt = "Who wrote Hamlet?"
answer = "William Shakespeare"
accept = ["Shakespeare"]
"""

SHEETS = {
    "ana": 'capital = "Paris"\nmoon = "Moon"\nriver = "Nile"\nplanet = "Mars"\nboils = true\nhamlet = "Marlowe"',
    "ben": 'capital = "Paris"\nmoon = "Moon"\nriver = "Amazon"\nplanet = "Mars"\nboils = true\nhamlet = "Bacon"',
    "cai": 'capital = "Paris"\nmoon = "Phobos"\nriver = "Nile"\nplanet = "Mars"\nboils = true',
    "dan": 'capital = "Rome"\nmoon = "Moon"\nriver = "Amazon"\nplanet = "Venus"\nboils = true\nhamlet = "Shakespeare"',
    "eve": 'capital = "Rome"\nmoon = "Phobos"\nriver = "Danube"\nplanet = "Venus"\nboils = true\n'
    'hamlet = "Shakespeare"',
    "fay": 'capital = "Madrid"\nriver = "Amazon"\nboils = true\nhamlet = "Shakespeare"',
}


def report():  # type: ignore[no-untyped-def]
    bank = parse_bank(BANK, "class.toml")
    quiz = build_quiz(bank, seed=0, shuffle=False)
    graded = [
        (name, grade_responses(quiz, parse_sheet(text, bank, name=f"{name}.toml").responses))
        for name, text in SHEETS.items()
    ]
    return analyse(bank, graded)


def test_student_scores() -> None:
    students = report().students
    assert [(s.name, s.score, s.percent) for s in students] == [
        ("ana", 4, 66.7),
        ("ben", 3, 50.0),
        ("cai", 3, 50.0),
        ("dan", 3, 50.0),
        ("eve", 2, 33.3),
        ("fay", 2, 33.3),
    ]
    assert students[0].points == {"capital": 1, "moon": 1, "river": 1, "planet": 0, "boils": 1, "hamlet": 0}


def test_facility_discrimination_and_flags() -> None:
    items = {i.id: i for i in report().items}
    got = {i.id: (i.answered, i.correct, round(i.facility, 4), i.discrimination, i.flags) for i in items.values()}
    assert got == {
        "capital": (6, 3, 0.5, 1.0, ()),
        "moon": (5, 3, 0.5, 1.0, ()),
        "river": (6, 2, 0.3333, 0.5, ('wrong choice "Amazon" picked more than the answer',)),
        "planet": (
            5,
            0,
            0.0,
            0.0,
            (
                "nobody right",
                'wrong choice "Mars" picked more than the answer',
                'wrong choice "Venus" picked more than the answer',
            ),
        ),
        "boils": (6, 6, 1.0, 0.0, ("everybody right",)),
        "hamlet": (5, 3, 0.5, -1.0, ("negative discrimination",)),
    }
    assert (items["hamlet"].upper_mean, items["hamlet"].lower_mean) == (0.0, 1.0)


def test_wrong_choice_counts() -> None:
    items = {i.id: i for i in report().items}
    assert items["capital"].wrong_picks == (
        OptionCount("Rome", 2, False),
        OptionCount("Madrid", 1, False),
        OptionCount("Berlin", 0, False),
    )
    assert items["capital"].options[0] == OptionCount("Paris", 3, True)
    assert [(o.text, o.picks) for o in items["moon"].wrong_picks] == [("Phobos", 2), ("Titan", 0)]
    assert [(o.text, o.picks) for o in items["river"].wrong_picks] == [("Amazon", 3), ("Danube", 1)]
    assert items["boils"].options == (OptionCount("true", 6, True), OptionCount("false", 0, False))
    assert items["hamlet"].options == ()


def test_json_shape() -> None:
    data = report().to_dict()
    assert data["group_size"] == 2
    river = data["questions"][2]
    assert river == {
        "id": "river",
        "type": "choice",
        "students": 6,
        "answered": 6,
        "correct": 2,
        "facility": 0.3333,
        "correct_share": 0.3333,
        "discrimination": 0.5,
        "discrimination_index": 0.0,
        "discriminative_efficiency": 0.0,
        "options": [
            {"text": "Nile", "picks": 2, "right": True},
            {"text": "Amazon", "picks": 3, "right": False},
            {"text": "Danube", "picks": 1, "right": False},
        ],
        "flags": ['wrong choice "Amazon" picked more than the answer'],
    }
    assert data["students"][0] == {
        "student": "ana",
        "name": "ana",
        "score": 4,
        "total": 6,
        "percent": 66.7,
        "points": {"capital": 1, "moon": 1, "river": 1, "planet": 0, "boils": 1, "hamlet": 0},
    }


def test_class_statistics_worked_by_hand() -> None:
    # Totals 4, 3, 3, 3, 2, 2 of 6 questions: mean 17/6 = 2.8333 (47.22%), median 3 (50%),
    # sample sd sqrt(2.8333 / 5) = 0.7528 (12.55%). Item variances (over n): capital, moon and
    # hamlet 0.25, river 2/9, planet and boils 0: 0.9722; total variance 2.8333 / 6 = 0.4722;
    # KR-20 = 6/5 * (1 - 0.9722 / 0.4722) = -1.2706 (a toy class: the questions disagree);
    # SEM = 12.546% * sqrt(1 + 1.2706) = 18.905%.
    data = report().to_dict()["class"]
    assert data == {"students": 6, "questions": 6, "mean": 47.2222, "median": 50.0, "sd": 12.5462,
                    "kr20": -1.2706, "sem": 18.9052}


def test_moodle_discrimination_index_and_efficiency_worked_by_hand() -> None:
    # hamlet: points 0 0 0 1 1 1 (ana..fay); rest of the test 4 3 3 2 1 1. Covariance -0.5,
    # variances 0.25 and 1.2222: r = -0.5 / sqrt(0.25 * 1.2222) = -0.9045. Sorted alike the
    # covariance would be +0.5, so the efficiency is -0.5 / 0.5 = -1.
    items = {item.id: item for item in report().items}
    assert round(items["hamlet"].discrimination_index or 0, 4) == -0.9045
    assert items["hamlet"].discriminative_efficiency == pytest.approx(-1.0)
    # boils: everybody right, nothing varies: no index.
    assert items["boils"].discrimination_index is None


def test_partial_credit_facility_is_mean_points_and_multi_counts_each_choice() -> None:
    bank = parse_bank(
        '[bank]\nid = "m"\ntitle = "m"\nlanguage = "en"\n\n[[questions]]\nid = "colours"\ntype = "multi"\n'
        'prompt = "Primary colours of light?"\nchoices = ["red", "green", "blue", "yellow"]\n'
        'answers = ["red", "green", "blue"]\n',
        "m.toml",
    )
    q = bank.questions[0]
    # Points given directly, so these numbers do not depend on the grading formula.
    marks = [
        (["red", "green", "blue"], 1.0),
        (["red", "yellow"], 0.25),
        (["red", "green"], 0.5),
    ]
    graded = [
        (f"s{n}", results(bank, [Answer(q, response, Mark(points, points == 1, q))]))
        for n, (response, points) in enumerate(marks)
    ]
    item = analyse(bank, graded).items[0]
    assert item.facility == pytest.approx((1 + 0.25 + 0.5) / 3)
    assert item.correct_share == pytest.approx(1 / 3)
    # k = 3 // 3 = 1: s0 (1.0) against s1 (0.25).
    assert item.discrimination == pytest.approx(0.75)
    assert [(o.text, o.picks, o.right) for o in item.options] == [
        ("red", 3, True),
        ("green", 2, True),
        ("blue", 1, True),
        ("yellow", 1, False),
    ]


def test_fewer_than_three_students_has_no_discrimination() -> None:
    bank = parse_bank(BANK, "class.toml")
    quiz = build_quiz(bank, seed=0, shuffle=False)
    one = analyse(bank, [("solo", grade_responses(quiz, {"capital": "Paris"}))])
    assert one.group_size == 0
    assert all(i.discrimination is None for i in one.items)
    # One student is not "everybody": a single right answer is not flagged as too easy.
    assert one.items[0].flags == ()
    assert one.items[1].flags == ("nobody answered",)
    assert analyse(bank, []).items[0].facility == 0.0
