"""The bank format as a JSON Schema, generated from the same field definitions the loader uses.

Editors with TOML schema support (Taplo, Even Better TOML in VS Code) use it to complete keys and
flag mistakes while a teacher types.
"""

from __future__ import annotations

from typing import Any

from quizdeck.questions import (
    BANK_FIELDS,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    QUESTION_TYPES,
    Field,
    fields_for,
)

SCHEMA_ID = "https://quizdeck.invalid/schema/bank-v1.json"

_TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": r"\S"}


def _kind_schema(field: Field, question_type: str | None = None) -> dict[str, Any]:
    kind = field.kind
    schema: dict[str, Any]
    if kind == "id":
        schema = {"type": "string", "pattern": ID_PATTERN}
    elif kind == "text":
        schema = dict(_TEXT)
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "number":
        schema = {"type": "number"}
    elif kind == "nonnegative":
        schema = {"type": "number", "minimum": 0}
    elif kind == "texts":
        schema = {"type": "array", "items": dict(_TEXT)}
        if field.name == "answers":
            schema.update(minItems=1, uniqueItems=True)
    elif kind == "distinct-texts":
        schema = {"type": "array", "items": dict(_TEXT), "minItems": 2, "uniqueItems": True}
    elif kind == "pairs":
        schema = {
            "type": "array",
            "minItems": 2,
            "items": {"type": "array", "items": dict(_TEXT), "minItems": 2, "maxItems": 2},
        }
    elif kind == "language":
        schema = {"type": "string", "pattern": LANGUAGE_PATTERN, "examples": ["ar", "en", "fr", "he"]}
    elif kind == "type":
        schema = {"const": question_type} if question_type else {"enum": list(QUESTION_TYPES)}
    elif kind == "path":
        schema = {"type": "string", "pattern": r"(?i)\.(png|jpe?g|gif|svg|webp)$"}
    else:  # pragma: no cover - a new kind must be added here
        raise AssertionError(f"no schema for kind {kind}")
    schema["description"] = field.doc
    return schema


def _object(fields: tuple[Field, ...], question_type: str | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _kind_schema(f, question_type) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a bank file."""
    variants = []
    for question_type in QUESTION_TYPES:
        variant = _object(fields_for(question_type), question_type)
        variant["title"] = f"{question_type} question"
        variants.append(variant)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "quizdeck question bank (format v1)",
        "type": "object",
        "required": ["bank", "questions"],
        "additionalProperties": False,
        "properties": {
            "bank": {**_object(BANK_FIELDS), "description": "What the bank is."},
            "questions": {
                "type": "array",
                "minItems": 1,
                "description": "The questions, each a [[questions]] table.",
                # Selecting the variant by `type` keeps an editor's errors to the one variant meant.
                "items": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"enum": list(QUESTION_TYPES)}},
                    "allOf": [
                        {"if": {"properties": {"type": {"const": v["properties"]["type"]["const"]}}},
                         "then": v}
                        for v in variants
                    ],
                },
            },
        },
    }
