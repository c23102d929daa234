"""docs/bank-format.md, the JSON Schema and the loader describe one format: they must not drift apart."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from quizdeck.bank import parse_bank, parse_toml
from quizdeck.errors import BankError
from quizdeck.questions import BANK_FIELDS, COMMON_FIELDS, PROMPT_OPTIONAL, TYPE_FIELDS, Field
from quizdeck.schema import bank_schema

from .conftest import BANKS, QUIZZES, ROOT

DOC = (ROOT / "docs" / "bank-format.md").read_text(encoding="utf-8")
HEADER = '[bank]\nid = "doc"\ntitle = "Doc"\nlanguage = "en"\n\n'


def doc_table(heading: str) -> list[tuple[str, str, str]]:
    """(key, required-column, kind) rows of the first table after a heading."""
    start = DOC.index(heading + "\n")
    section = DOC[start:].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([a-z]+)` \| ([^|]+) \| ([^|]+) \|", section, re.MULTILINE)
    return [(key, required.strip(), kind.strip()) for key, required, kind in rows]


def assert_table_matches(rows: list[tuple[str, str, str]], fields: tuple[Field, ...]) -> None:
    assert [r[0] for r in rows] == [f.name for f in fields]
    for (key, required, kind), field in zip(rows, fields, strict=True):
        assert required.startswith("required") == field.required, key
        assert kind.replace(" ", "-") == field.kind, key


def test_bank_table_is_documented() -> None:
    assert_table_matches(doc_table("## `[bank]`"), BANK_FIELDS)


def test_common_keys_are_documented() -> None:
    assert_table_matches(doc_table("## Keys every question has"), COMMON_FIELDS)
    prompt_row = next(r for r in doc_table("## Keys every question has") if r[0] == "prompt")
    for question_type in PROMPT_OPTIONAL:
        assert f"optional for `{question_type}`" in prompt_row[1]


@pytest.mark.parametrize("question_type", list(TYPE_FIELDS))
def test_each_type_is_documented_with_its_keys(question_type: str) -> None:
    assert_table_matches(doc_table(f"### `{question_type}`"), TYPE_FIELDS[question_type])


def doc_examples() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", DOC, re.DOTALL)


def test_every_type_has_an_example_that_loads() -> None:
    seen = set()
    for example in doc_examples():
        if "[[questions]]" not in example:
            continue
        text = example if "[bank]" in example else HEADER + example
        bank = parse_bank(text, "docs/bank-format.md")
        seen.update(q.type for q in bank.questions)
        jsonschema.validate(parse_toml(text), bank_schema())
    assert seen == set(TYPE_FIELDS)


def test_committed_schema_is_the_generated_one() -> None:
    committed = json.loads((ROOT / "docs" / "bank.schema.json").read_text(encoding="utf-8"))
    assert committed == bank_schema(), "run: quizdeck schema > docs/bank.schema.json"


def test_schema_is_a_valid_draft7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(bank_schema())


def valid_banks() -> list[Path]:
    return [BANKS / "all-types.toml", *sorted(QUIZZES.glob("*.toml"))]


@pytest.mark.parametrize("path", valid_banks(), ids=lambda p: p.name)
def test_schema_accepts_what_the_loader_accepts(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parse_bank(text, path)
    jsonschema.validate(parse_toml(text), bank_schema())


# Each mutation breaks a rule both the schema and the loader can see.
MUTATIONS: dict[str, Any] = {
    "unknown key": lambda q: q.update(anwser="x"),
    "key of another type": lambda q: q.update(back="x"),
    "missing id": lambda q: q.pop("id"),
    "missing prompt": lambda q: q.pop("prompt"),
    "bad id": lambda q: q.update(id="Victory Year"),
    "unknown type": lambda q: q.update(type="essay"),
    "empty prompt": lambda q: q.update(prompt=""),
    "tags not texts": lambda q: q.update(tags=[1]),
    "image outside formats": lambda q: q.update(image="notes.txt"),
    "fuzzy not bool": lambda q: q.update(fuzzy="no"),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_schema_and_loader_reject_the_same_mistakes(mutation: str) -> None:
    import tomli_w

    document = parse_toml((BANKS / "all-types.toml").read_text(encoding="utf-8"))
    MUTATIONS[mutation](document["questions"][1])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, bank_schema())
    with pytest.raises(BankError):
        parse_bank(tomli_w.dumps(document), "mutated.toml")


@pytest.mark.parametrize("question_type", list(TYPE_FIELDS))
def test_schema_requires_each_types_own_keys(question_type: str) -> None:
    schema = bank_schema()
    variant = next(rule["then"] for rule in schema["properties"]["questions"]["items"]["allOf"]
                   if rule["if"]["properties"]["type"]["const"] == question_type)
    fields = COMMON_FIELDS + TYPE_FIELDS[question_type]
    assert set(variant["properties"]) == {f.name for f in fields}
    required = {f.name for f in fields if f.required} - ({"prompt"} if question_type in PROMPT_OPTIONAL else set())
    assert set(variant["required"]) == required
