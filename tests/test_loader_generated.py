"""Valid banks generated from the format's own definition (questions.FIELDS), then one mistake at a time.

Every question type and every optional key is generated from `fields_for(type)` and the kind of each
key, so a key added to the format is generated (and its checks reached) without touching this file.
A generated bank must load into exactly the questions it describes; each single mistake made to it
must be reported as exactly one problem, with its line and its message.
"""

from __future__ import annotations

import json
import math
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizdeck.bank import Bank, parse_bank
from quizdeck.errors import BankError, Problem
from quizdeck.questions import BANK_FIELDS, QUESTION_TYPES, Field, fields_for

from .conftest import BANKS

#: Where the generated bank "is": its images are looked up beside it (tests/banks/anki-images/dot.png).
NAME = BANKS / "generated.toml"
IMAGE = "anki-images/dot.png"

# Text that is plainly text: Latin and Arabic letters, digits, spaces and light punctuation, never
# cloze braces (a cloze text is built apart).
WORD_ALPHABET = string.ascii_letters + string.digits + "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
words = st.text(alphabet=WORD_ALPHABET, min_size=1, max_size=8)
texts = st.lists(words, min_size=1, max_size=4).map(" ".join)
ids = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
numbers = st.integers(-10**6, 10**6) | st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
languages = st.sampled_from(["ar", "en", "en-GB", "fa", "fr", "zh-Hant"])


def distinct_texts(min_size: int = 2) -> st.SearchStrategy[list[str]]:
    return st.lists(texts, min_size=min_size, max_size=5, unique=True)


#: A value of each kind of key, as questions.Kind defines the kinds.
KIND_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": ids,
    "text": texts,
    "bool": st.booleans(),
    "number": numbers,
    "nonnegative": st.integers(0, 10**6) | st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
    "texts": st.lists(texts, max_size=3),
    "distinct-texts": distinct_texts(),
    "pairs": st.tuples(distinct_texts(), distinct_texts()).map(
        lambda sides: [list(pair) for pair in zip(*sides, strict=False)]
    ).filter(lambda pairs: len(pairs) >= 2),
    "language": languages,
    "path": st.just(IMAGE),
}


def test_every_kind_of_key_has_a_generator() -> None:
    kinds = {f.kind for f in BANK_FIELDS} | {f.kind for t in QUESTION_TYPES for f in fields_for(t)}
    assert kinds - {"type"} <= set(KIND_VALUES)


@st.composite
def cloze_texts(draw: st.DrawFn) -> str:
    """Text with deletions c1..cN, each used once, in any order, some with a hint."""
    count = draw(st.integers(1, 4))
    order = draw(st.permutations(range(1, count + 1)))
    parts = [draw(texts)]
    for number in order:
        answer = draw(words)
        hint = draw(st.none() | words)
        parts.append(f"{{{{c{number}::{answer}{'' if hint is None else '::' + hint}}}}}")
        parts.append(draw(texts))
    return " ".join(parts)


@st.composite
def questions(draw: st.DrawFn, qtype: str, qid: str) -> dict[str, Any]:
    """A valid question of `qtype`: every required key, each optional key or not, from FIELDS."""
    table: dict[str, Any] = {}
    for f in fields_for(qtype):
        if f.name == "id":
            table["id"] = qid
        elif f.name == "type":
            table["type"] = qtype
        elif f.required or draw(st.booleans()):
            table[f.name] = draw(KIND_VALUES[f.kind])
    # What the kinds alone do not say: the checks across keys.
    if qtype == "choice":
        table["answer"] = draw(st.sampled_from(table["choices"]))
    elif qtype == "multi":
        table["answers"] = draw(st.lists(st.sampled_from(table["choices"]), min_size=1, unique=True))
    elif qtype == "short" and "accept" in table:
        table["accept"] = [a for a in table["accept"] if a != table["answer"]]
    elif qtype == "cloze":
        table["text"] = draw(cloze_texts())
    return table


@st.composite
def banks(draw: st.DrawFn) -> dict[str, Any]:
    """A valid bank: [bank] from BANK_FIELDS, one question of each type in any order, maybe more."""
    header: dict[str, Any] = {}
    for f in BANK_FIELDS:
        if f.required or draw(st.booleans()):
            header[f.name] = draw(KIND_VALUES[f.kind])
    kinds = draw(st.permutations(QUESTION_TYPES)) + draw(st.lists(st.sampled_from(QUESTION_TYPES), max_size=3))
    tables = [draw(questions(qtype, f"q{number}-{draw(ids)}")) for number, qtype in enumerate(kinds, 1)]
    return {"bank": header, "questions": tables}


# --- writing TOML with one key a line, so that every key's line is known ---------------------


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "[" + ", ".join(toml_value(item) for item in value) + "]"


@dataclass
class Written:
    text: str
    #: (question index or None for [bank], key) -> line; (index, None) -> the table's header line.
    lines: dict[tuple[int | None, str | None], int] = field(default_factory=dict)


def write(document: dict[str, Any]) -> Written:
    out: list[str] = []
    lines: dict[tuple[int | None, str | None], int] = {}

    def table(index: int | None, header: str, values: dict[str, Any]) -> None:
        out.append(header)
        lines[(index, None)] = len(out)
        for key, value in values.items():
            out.append(f"{key} = {toml_value(value)}")
            lines[(index, key)] = len(out)
        out.append("")

    table(None, "[bank]", document["bank"])
    for index, values in enumerate(document["questions"]):
        table(index, "[[questions]]", values)
    return Written("\n".join(out), lines)


def load(document: dict[str, Any]) -> tuple[Written, Bank | None, list[Problem]]:
    written = write(document)
    try:
        return written, parse_bank(written.text, NAME), []
    except BankError as error:
        return written, None, list(error.problems)


# --- valid banks load into what they say ------------------------------------------------------


def expected_value(f: Field, value: Any) -> Any:
    if f.kind == "pairs":
        return tuple(tuple(pair) for pair in value)
    if isinstance(value, list):
        return tuple(value)
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(banks())
def test_a_generated_bank_loads_into_the_questions_it_describes(document: dict[str, Any]) -> None:
    _, bank, problems = load(document)
    assert problems == []
    assert bank is not None
    header = document["bank"]
    assert (bank.id, bank.title, bank.language) == (header["id"], header["title"], header["language"])
    assert [q.type for q in bank.questions] == [t["type"] for t in document["questions"]]
    for question, values in zip(bank.questions, document["questions"], strict=True):
        for f in fields_for(question.type):
            if f.name in ("type", "text") or f.name not in values:
                continue
            assert getattr(question, f.name) == expected_value(f, values[f.name]), (question.id, f.name)
        if question.type == "cloze":
            assert getattr(question, "text") == values["text"]  # noqa: B009
            assert [d.number for d in getattr(question, "deletions")] == sorted(  # noqa: B009
                {int(part.split("::")[0]) for part in values["text"].split("{{c")[1:]}
            )


# --- one mistake at a time --------------------------------------------------------------------

#: For each kind, a wrong value and the message it gets.
WRONG: dict[str, list[tuple[Any, str]]] = {
    "id": [
        ("Not An Id", "\"Not An Id\" is not a valid id: use lowercase letters, digits and '-' (like \"victory-year\")"),
        (7, 'expected an id string like "victory-year", got the integer 7'),
    ],
    "text": [(7, "expected non-empty text, got the integer 7"), ("  ", "expected non-empty text, got an empty string")],
    "bool": [
        ("true", 'expected true or false, got the string "true" (write true or false without quotes)'),
        (1, "expected true or false, got the integer 1"),
    ],
    "number": [
        ("12", 'expected a number, got the string "12" (write the number without quotes)'),
        (True, "expected a number, got the boolean true"),
        (math.inf, "expected a finite number, got inf"),
    ],
    "nonnegative": [(-0.5, "expected a number >= 0, got -0.5"), ([1], "expected a number, got an array")],
    "texts": [
        ("one", 'expected an array of texts, got the string "one"'),
        (["a", 3], "item 2: expected non-empty text, got the integer 3"),
    ],
    "distinct-texts": [
        (["only"], "expected at least 2 items, got 1"),
        (["same", "other", "same"], '"same" appears twice; every item must be different'),
        ("a, b", 'expected an array of texts, got the string "a, b"'),
    ],
    "pairs": [
        ([["a", "b"]], "expected at least 2 pairs, got 1"),
        ([["a", "b"], ["c"]], 'pair 2: expected ["left", "right"] (two non-empty texts), got an array'),
        ([["a", "b"], ["a", "c"]], 'the left item "a" appears twice; every left item must be different'),
        ([["a", "b"], ["c", "b"]], 'the right item "b" appears twice; every right item must be different'),
    ],
    "language": [("Arabic!", 'expected a BCP 47 language tag like "ar" or "en-GB", got the string "Arabic!"')],
    "path": [
        ("/srv/map.png", '"/srv/map.png" is an absolute path; give it relative to the bank\'s folder'),
        ("../map.png", '"../map.png" leaves the bank\'s folder; keep images inside it'),
        ("map.txt", '"map.txt" is not an image; use one of .gif, .jpeg, .jpg, .png, .svg, .webp'),
        ("anki-images/none.png",
         f'image file "anki-images/none.png" not found (looked for {BANKS}/anki-images/none.png)'),
    ],
}


def label(document: dict[str, Any], index: int) -> str:
    qid = document["questions"][index].get("id")
    return f'question "{qid}" (#{index + 1})' if isinstance(qid, str) else f"question #{index + 1}"


def only_problem(document: dict[str, Any], line: tuple[int | None, str | None]) -> tuple[Problem, int]:
    written, bank, problems = load(document)
    assert bank is None
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0], written.lines[line]


def place(problem: Problem) -> tuple[str, int | None, str]:
    return problem.where, problem.line, problem.message


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(banks(), st.data())
def test_a_wrong_value_of_any_key_is_the_one_problem_reported(document: dict[str, Any], data: st.DataObject) -> None:
    index = data.draw(st.integers(-1, len(document["questions"]) - 1), label="question (-1: [bank])")
    if index < 0:
        fields = list(BANK_FIELDS)
        values = document["bank"]
        where = "[bank]"
    else:
        values = document["questions"][index]
        fields = [f for f in fields_for(values["type"]) if f.name != "type"]
    f = data.draw(st.sampled_from(fields), label="key")
    wrong, message = data.draw(st.sampled_from(WRONG[f.kind]), label="wrong value")
    values[f.name] = wrong
    if index >= 0:
        where = label(document, index)
    problem, line = only_problem(document, (None if index < 0 else index, f.name))
    assert place(problem) == (f'{where}, key "{f.name}"', line, message)
    assert problem.path == str(NAME)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(banks(), st.data())
def test_a_missing_required_key_is_the_one_problem_reported(document: dict[str, Any], data: st.DataObject) -> None:
    index = data.draw(st.integers(-1, len(document["questions"]) - 1), label="question (-1: [bank])")
    if index < 0:
        required = [f for f in BANK_FIELDS if f.required]
        values = document["bank"]
    else:
        values = document["questions"][index]
        # Without its id or type a question is reported as such (tested apart).
        required = [f for f in fields_for(values["type"]) if f.required and f.name not in ("id", "type")]
    if not required:
        return
    f = data.draw(st.sampled_from(required), label="key")
    del values[f.name]
    problem, line = only_problem(document, (None if index < 0 else index, None))
    where = "[bank]" if index < 0 else label(document, index)
    assert place(problem) == (where, line, f'missing required key "{f.name}" ({f.doc})')


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(banks(), st.data())
def test_a_key_of_another_type_is_the_one_problem_reported(document: dict[str, Any], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(document["questions"]) - 1), label="question")
    values = document["questions"][index]
    own = {f.name for f in fields_for(values["type"])}
    others = sorted({f.name for t in QUESTION_TYPES for f in fields_for(t)} - own)
    key = data.draw(st.sampled_from(others), label="key")
    owners = [t for t in QUESTION_TYPES if key in {f.name for f in fields_for(t)}]
    values[key] = "x"
    problem, line = only_problem(document, (index, key))
    assert place(problem) == (
        label(document, index),
        line,
        f'unknown key "{key}": type "{values["type"]}" has no "{key}" (it belongs to {", ".join(owners)})',
    )


def mistakes(document: dict[str, Any], index: int) -> list[tuple[str, Any, str]]:
    """The mistakes across keys a question of this type can have: (key, new value, message)."""
    values = document["questions"][index]
    qtype = values["type"]
    found: list[tuple[str, Any, str]] = []
    if qtype == "choice":
        choices = ", ".join(json.dumps(c, ensure_ascii=False) for c in values["choices"])
        message = f'"not a choice" is not one of the choices ({choices}); copy it exactly'
        found.append(("answer", "not a choice", message))
    elif qtype == "multi":
        choices = ", ".join(json.dumps(c, ensure_ascii=False) for c in values["choices"])
        first = json.dumps(values["answers"][0], ensure_ascii=False)
        found += [
            ("answers", [], "expected at least one correct choice, got an empty array"),
            ("answers", [*values["answers"], "not a choice"],
             f'"not a choice" is not one of the choices ({choices}); copy it exactly'),
            ("answers", [*values["answers"], values["answers"][0]], f"{first} appears twice"),
        ]
    elif qtype == "short":
        answer = json.dumps(values["answer"], ensure_ascii=False)
        found.append(("accept", [*values.get("accept", []), values["answer"]],
                      f"{answer} is already the answer; list only other accepted answers"))
    elif qtype == "cloze":
        text = values["text"]
        found += [
            ("text", "no deletion here", "a cloze needs at least one deletion like {{c1::answer}}"),
            ("text", text + " {{c1::again}}", "deletion c1 is used twice; number each deletion once (c1, c2, ...)"),
            ("text", text + " {{c9::far}}", "deletions are numbered "
             + ", ".join(f"c{n}" for n in [*range(1, text.count("{{c") + 1), 9])
             + f"; number them c1 to c{text.count('{{c') + 1} without gaps"),
            ("text", _emptied(text), "deletion c1 is empty; put the answer after 'c1::'"),
            ("text", text + " {{c2:broken}}", 'malformed deletion near "{{c2:broken}}"; '
             "write {{c1::answer}} or {{c1::answer::hint}}"),
        ]
    return found


def _emptied(text: str) -> str:
    """`text` with deletion c1's answer (and hint) removed: {{c1::}}."""
    start = text.index("{{c1::")
    end = text.index("}}", start)
    return text[:start] + "{{c1::}}" + text[end + 2:]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(banks(), st.data())
def test_a_mistake_across_keys_is_the_one_problem_reported(document: dict[str, Any], data: st.DataObject) -> None:
    index = data.draw(
        st.sampled_from([i for i, q in enumerate(document["questions"]) if q["type"] in ("choice", "multi", "short",
                                                                                         "cloze")]),
        label="question",
    )
    key, value, message = data.draw(st.sampled_from(mistakes(document, index)), label="mistake")
    document["questions"][index][key] = value
    problem, line = only_problem(document, (index, key))
    assert place(problem) == (f'{label(document, index)}, key "{key}"', line, message)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(banks(), st.data())
def test_a_repeated_id_is_the_one_problem_reported_at_the_second_use(
    document: dict[str, Any], data: st.DataObject
) -> None:
    count = len(document["questions"])
    first = data.draw(st.integers(0, count - 2), label="first")
    second = data.draw(st.integers(first + 1, count - 1), label="second")
    qid = document["questions"][first]["id"]
    document["questions"][second]["id"] = qid
    problem, line = only_problem(document, (second, "id"))
    assert place(problem) == (
        f'question "{qid}" (#{second + 1})',
        line,
        f'duplicate id "{qid}": question #{first + 1} already uses it; ids must be unique',
    )


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
def test_every_type_is_generated_with_and_without_each_optional_key(qtype: str) -> None:
    # The generator reaches every optional key of every type (a new key is generated as it is added).
    seen: dict[str, set[bool]] = {f.name: set() for f in fields_for(qtype) if not f.required}

    @settings(max_examples=60, deadline=None, database=None)
    @given(questions(qtype, "q1"))
    def sample(table: dict[str, Any]) -> None:
        for name, presence in seen.items():
            presence.add(name in table)

    sample()
    assert {name: presence for name, presence in seen.items() if presence != {True, False}} == {}


def test_the_written_bank_is_the_toml_it_says() -> None:
    document = {"bank": {"id": "b", "title": "T", "language": "ar"},
                "questions": [{"id": "q", "type": "numeric", "prompt": "كم؟", "answer": 1.5e-7, "tags": ["a", "ب"]}]}
    written = write(document)
    assert written.text.splitlines()[:8] == [
        "[bank]", 'id = "b"', 'title = "T"', 'language = "ar"', "", "[[questions]]", 'id = "q"', 'type = "numeric"',
    ]
    assert written.lines[(0, "tags")] == 11
    assert Path(NAME).parent.joinpath(IMAGE).is_file()
