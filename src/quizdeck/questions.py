"""The nine question types: one closed union of frozen dataclasses, and the keys each one takes.

`FIELDS` is the single definition of the bank format's keys. The loader validates against it,
`quizdeck schema` generates the JSON Schema from it, and a test checks docs/bank-format.md
against it, so the three cannot drift apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import ClassVar, Literal

#: Kinds of value a key may hold. The loader and the JSON Schema both switch on these names.
Kind = Literal[
    "id",  # lowercase letters, digits and single '-' between them
    "text",  # a non-empty string
    "bool",
    "number",  # an integer or float (not a boolean)
    "nonnegative",  # a number >= 0
    "texts",  # an array of non-empty strings (may be empty)
    "distinct-texts",  # an array of at least two distinct non-empty strings
    "pairs",  # an array of at least two [left, right] arrays of non-empty strings
    "language",  # a BCP 47 tag such as "ar", "en-GB", "zh-Hant"
    "type",  # one of QUESTION_TYPES
    "path",  # a relative file path inside the bank's folder
]


@dataclass(frozen=True)
class Field:
    """One key of the bank format."""

    name: str
    kind: Kind
    required: bool
    doc: str


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

BANK_FIELDS: tuple[Field, ...] = (
    Field("id", "id", True, "The bank's identity, stable forever: progress and Anki notes hang on it."),
    Field("title", "text", True, "The bank's title, shown in quizzes and used as the Anki deck name."),
    Field("language", "language", True, "BCP 47 tag; decides text direction (ar, fa, he, ur... are right-to-left)."),
    Field("description", "text", False, "A sentence or two about the bank."),
    Field("authors", "texts", False, "Who wrote the bank."),
    Field("tags", "texts", False, "Tags for every question of the bank."),
    Field("source", "text", False, "A citation of the material the bank is derived from."),
    Field("fuzzy", "bool", False, "Forgive small typos in typed answers (default true)."),
)

COMMON_FIELDS: tuple[Field, ...] = (
    Field("id", "id", True, "The question's identity, unique in the bank and stable forever."),
    Field("type", "type", True, "One of the nine question types."),
    Field("prompt", "text", True, "The question as the student reads it (optional for cloze)."),
    Field("explanation", "text", False, "Shown after answering and on the back of the Anki card."),
    Field("hint", "text", False, "Shown when the student asks for a hint."),
    Field("source", "text", False, "A verbatim quote of the sentence the question comes from."),
    Field("tags", "texts", False, "Tags, for `--tag` and for Anki."),
    Field("image", "path", False, "An image file, relative to the bank's folder, shown with the prompt."),
    Field("fuzzy", "bool", False, "Forgive small typos in this question's typed answers (default: the bank's)."),
)

TYPE_FIELDS: dict[str, tuple[Field, ...]] = {
    "card": (
        Field("back", "text", True, "The back of the flashcard."),
        Field("reverse", "bool", False, "Also ask back-to-front (a second card)."),
    ),
    "choice": (
        Field("choices", "distinct-texts", True, "The choices, at least two, all different."),
        Field("answer", "text", True, "The correct choice, by its text."),
    ),
    "multi": (
        Field("choices", "distinct-texts", True, "The choices, at least two, all different."),
        Field("answers", "texts", True, "The correct choices, by their text: at least one."),
    ),
    "truefalse": (Field("answer", "bool", True, "true or false."),),
    "short": (
        Field("answer", "text", True, "The expected answer."),
        Field("accept", "texts", False, "Other answers that are also right."),
    ),
    "numeric": (
        Field("answer", "number", True, "The expected number."),
        Field("tolerance", "nonnegative", False, "How far off an answer may be and still count (default 0)."),
        Field("unit", "text", False, "The unit, shown after the answer box (e.g. \"km\")."),
    ),
    "cloze": (
        Field("text", "text", True, "Text with deletions {{c1::answer}} or {{c1::answer::hint}}."),
    ),
    "order": (Field("items", "distinct-texts", True, "The items, at least two, in the correct order."),),
    "match": (Field("pairs", "pairs", True, "[left, right] pairs, at least two; lefts and rights distinct."),),
}

QUESTION_TYPES: tuple[str, ...] = tuple(TYPE_FIELDS)

#: Types whose `prompt` may be left out.
PROMPT_OPTIONAL: frozenset[str] = frozenset({"cloze"})


def fields_for(question_type: str) -> tuple[Field, ...]:
    """Every key a question of this type takes, common keys first."""
    common = COMMON_FIELDS
    if question_type in PROMPT_OPTIONAL:
        common = tuple(
            Field(f.name, f.kind, False, f.doc) if f.name == "prompt" else f for f in common
        )
    return common + TYPE_FIELDS[question_type]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionBase:
    """Keys every question has."""

    id: str
    prompt: str = ""
    explanation: str = ""
    hint: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    image: str = ""
    fuzzy: bool | None = None

    type: ClassVar[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Card(QuestionBase):
    """A self-assessed flashcard."""

    back: str
    reverse: bool = False
    type: ClassVar[str] = "card"


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice(QuestionBase):
    """One correct choice among several."""

    choices: tuple[str, ...]
    answer: str
    type: ClassVar[str] = "choice"


@dataclass(frozen=True, slots=True, kw_only=True)
class Multi(QuestionBase):
    """Every correct choice among several."""

    choices: tuple[str, ...]
    answers: tuple[str, ...]
    type: ClassVar[str] = "multi"


@dataclass(frozen=True, slots=True, kw_only=True)
class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    answer: bool
    type: ClassVar[str] = "truefalse"


@dataclass(frozen=True, slots=True, kw_only=True)
class Short(QuestionBase):
    """A typed answer, compared forgivingly (see grading)."""

    answer: str
    accept: tuple[str, ...] = ()
    type: ClassVar[str] = "short"


@dataclass(frozen=True, slots=True, kw_only=True)
class Numeric(QuestionBase):
    """A typed number, right within `tolerance`."""

    answer: float
    tolerance: float = 0
    unit: str = ""
    type: ClassVar[str] = "numeric"


@dataclass(frozen=True, slots=True)
class Deletion:
    """One `{{cN::answer::hint}}` in a cloze text."""

    number: int
    answer: str
    hint: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Cloze(QuestionBase):
    """Text with numbered deletions, Anki's cloze syntax."""

    text: str
    deletions: tuple[Deletion, ...]
    type: ClassVar[str] = "cloze"


@dataclass(frozen=True, slots=True, kw_only=True)
class Order(QuestionBase):
    """Items to put in order; written in the correct order."""

    items: tuple[str, ...]
    type: ClassVar[str] = "order"


@dataclass(frozen=True, slots=True, kw_only=True)
class Match(QuestionBase):
    """Left items to pair with right items."""

    pairs: tuple[tuple[str, str], ...]
    type: ClassVar[str] = "match"


Question = Card | Choice | Multi | TrueFalse | Short | Numeric | Cloze | Order | Match

CLASSES: dict[str, type[Question]] = {
    cls.type: cls for cls in (Card, Choice, Multi, TrueFalse, Short, Numeric, Cloze, Order, Match)
}

# Anki's syntax: {{c1::answer}} or {{c1::answer::hint}}. An answer holds no "::", "}}" or "{{";
# a hint no "}}" or "{{"; a deletion number has at most 4 digits. Linear by construction: both
# parts are possessive (never backtracked into) and stop at the next "{{", so each character is
# looked at by one deletion at most, and text like "{{c1::" repeated, with no "}}", fails at once
# instead of retrying every way to split it (the lazy `(.*?)(?:::(.*?))?` this replaces was cubic).
CLOZE_PATTERN = re.compile(
    r"\{\{c(\d{1,4})::"
    r"((?:[^:{}]|:(?!:)|\{(?!\{)|\}(?!\}))*+)"
    r"(?:::((?:[^{}]|\{(?!\{)|\}(?!\}))*+))?"
    r"\}\}"
)


def parse_deletions(text: str) -> tuple[Deletion, ...]:
    """The deletions of a cloze text, in the order they appear."""
    return tuple(
        Deletion(int(m.group(1)), m.group(2).strip(), (m.group(3) or "").strip())
        for m in CLOZE_PATTERN.finditer(text)
    )


def cloze_display(text: str, reveal: bool = False, blank: str = "[...]") -> str:
    """The cloze text with every deletion blanked (showing its hint, if any) or revealed."""

    def replace(m: re.Match[str]) -> str:
        if reveal:
            return m.group(2).strip()
        hint = (m.group(3) or "").strip()
        return f"[{hint}]" if hint else blank

    return CLOZE_PATTERN.sub(replace, text)


def card_count(question: Question) -> int:
    """How many reviewable cards a question gives: one per cloze deletion, two for a reversed card."""
    if isinstance(question, Cloze):
        return len({d.number for d in question.deletions})
    if isinstance(question, Card) and question.reverse:
        return 2
    return 1


def prompt_text(question: Question) -> str:
    """What the student reads first: the prompt, or for a cloze with no prompt, its blanked text."""
    if isinstance(question, Cloze):
        blanked = cloze_display(question.text)
        return f"{question.prompt}\n{blanked}" if question.prompt else blanked
    return question.prompt


def format_number(value: float) -> str:
    """A number as a person writes it: 2017, 2.5, 0.0000001 (every digit of the shortest text that
    reads back as the same number, no exponent, no trailing .0), so an answer shown can be typed back."""
    if isinstance(value, int) or (math.isfinite(value) and value.is_integer()):
        return str(int(value))
    text = repr(value)
    if "e" not in text:
        return text
    from decimal import Decimal

    return format(Decimal(text), "f")  # 1e-07 -> 0.0000001


def question_details(question: Question) -> list[tuple[str, str]]:
    """A question's content as (label, text) lines, for `show` and printed answer keys."""
    lines: list[tuple[str, str]] = []
    if question.prompt:
        lines.append(("prompt", question.prompt))
    if isinstance(question, Card):
        lines.append(("back", question.back))
        if question.reverse:
            lines.append(("reverse", "yes"))
    elif isinstance(question, (Choice, Multi)):
        right = {question.answer} if isinstance(question, Choice) else set(question.answers)
        lines.extend(("choice", ("* " if c in right else "  ") + c) for c in question.choices)
    elif isinstance(question, TrueFalse):
        lines.append(("answer", "true" if question.answer else "false"))
    elif isinstance(question, Short):
        lines.append(("answer", question.answer))
        if question.accept:
            lines.append(("also accepted", " | ".join(question.accept)))
    elif isinstance(question, Numeric):
        answer = format_number(question.answer) + (f" {question.unit}" if question.unit else "")
        if question.tolerance:
            answer += f" (± {format_number(question.tolerance)})"
        lines.append(("answer", answer))
    elif isinstance(question, Cloze):
        lines.append(("text", cloze_display(question.text)))
        lines.extend((f"c{d.number}", d.answer) for d in question.deletions)
    elif isinstance(question, Order):
        lines.extend((str(n), item) for n, item in enumerate(question.items, 1))
    elif isinstance(question, Match):
        lines.extend(("pair", f"{left} -> {right}") for left, right in question.pairs)
    for label in ("hint", "explanation", "source", "image"):
        value = getattr(question, label)
        if value:
            lines.append((label, value))
    if question.tags:
        lines.append(("tags", ", ".join(question.tags)))
    return lines
