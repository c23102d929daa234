"""A new bank for a teacher to fill in: one commented example of every question type.

The bank is written as text from a template, not with a TOML writer, because the comments are the
point: they explain each key where the teacher meets it. Examples are Arabic for right-to-left
languages and English otherwise; either way the file passes `quizdeck check` as written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from quizdeck.bank import text_direction
from quizdeck.errors import UsageError
from quizdeck.questions import ID_PATTERN, LANGUAGE_PATTERN

# Example content, one entry per question type, as values (strings, lists, numbers).
_ARABIC: dict[str, dict[str, object]] = {
    "card": {"prompt": "ما عاصمة اليابان؟", "back": "طوكيو"},
    "choice": {
        "prompt": "ما أكبر كواكب المجموعة الشمسية؟",
        "choices": ["المريخ", "المشتري", "الزهرة", "عطارد"],
        "answer": "المشتري",
        "explanation": "المشتري أكبر كواكب المجموعة الشمسية حجماً وكتلةً.",
        "hint": "إنه كوكب غازي عملاق.",
    },
    "multi": {
        "prompt": "أيٌّ مما يلي من الألوان الأساسية للضوء؟",
        "choices": ["الأحمر", "الأخضر", "الأزرق", "الأصفر"],
        "answers": ["الأحمر", "الأخضر", "الأزرق"],
    },
    "truefalse": {"prompt": "يغلي الماء النقي في درجة حرارة 100 درجة مئوية عند مستوى سطح البحر.", "answer": True},
    "short": {"prompt": "من مؤلف كتاب «المقدمة»؟", "answer": "ابن خلدون", "accept": ["عبد الرحمن بن خلدون"]},
    "numeric": {
        "prompt": "كم يبلغ متوسط المسافة بين الأرض والقمر، بآلاف الكيلومترات؟",
        "answer": 384,
        "tolerance": 5,
        "unit": "ألف كيلومتر",
    },
    "cloze": {"text": "يتكوّن جزيء الماء من ذرّتَي {{c1::هيدروجين}} وذرّة {{c2::أكسجين::عنصر}} واحدة."},
    "order": {
        "prompt": "رتّب الكواكب الآتية من الأقرب إلى الشمس إلى الأبعد عنها.",
        "items": ["عطارد", "الزهرة", "الأرض", "المريخ"],
    },
    "match": {
        "prompt": "صِل كل دولة بعاصمتها.",
        "pairs": [["مصر", "القاهرة"], ["المغرب", "الرباط"], ["الأردن", "عمّان"]],
    },
}

_ENGLISH: dict[str, dict[str, object]] = {
    "card": {"prompt": "Capital of Japan", "back": "Tokyo"},
    "choice": {
        "prompt": "Which planet is the largest?",
        "choices": ["Mars", "Jupiter", "Venus", "Mercury"],
        "answer": "Jupiter",
        "explanation": "Jupiter is more than twice as massive as all the other planets together.",
        "hint": "It is a gas giant.",
    },
    "multi": {
        "prompt": "Which of these are primary colours of light?",
        "choices": ["red", "green", "blue", "yellow"],
        "answers": ["red", "green", "blue"],
    },
    "truefalse": {"prompt": "At sea level, pure water boils at 100 degrees Celsius.", "answer": True},
    "short": {"prompt": "Who wrote Hamlet?", "answer": "William Shakespeare", "accept": ["Shakespeare"]},
    "numeric": {
        "prompt": "The average distance from the Earth to the Moon, in thousands of kilometres?",
        "answer": 384,
        "tolerance": 5,
        "unit": "thousand km",
    },
    "cloze": {"text": "A water molecule is made of two {{c1::hydrogen}} atoms and one {{c2::oxygen::element}} atom."},
    "order": {
        "prompt": "Order these planets from the Sun outwards.",
        "items": ["Mercury", "Venus", "Earth", "Mars"],
    },
    "match": {
        "prompt": "Match each country to its capital.",
        "pairs": [["France", "Paris"], ["Italy", "Rome"], ["Egypt", "Cairo"]],
    },
}

# What each type's comment says, and the optional lines shown commented out after its keys.
_TYPE_NOTES: dict[str, tuple[str, list[str]]] = {
    "card": (
        "card: a flashcard; the student turns it over and grades themselves.\n"
        "`back` is the other side; `reverse = true` also asks back-to-front (a second card).",
        ["# reverse = true"],
    ),
    "choice": (
        "choice: one correct answer among `choices` (at least two, all different);\n"
        "`answer` repeats the right choice exactly. quizdeck shuffles the choices.",
        ["# image = \"images/solar-system.png\"  # a file beside this bank (png, jpg, gif, svg, webp)"],
    ),
    "multi": (
        "multi: every correct answer among `choices`; `answers` lists them (at least one).",
        [],
    ),
    "truefalse": (
        "truefalse: a statement; `answer` is true or false (without quotes).",
        ["# source = \"A verbatim quote of the sentence the question comes from.\""],
    ),
    "short": (
        "short: a typed `answer`. `accept` lists other answers that also count;\n"
        "small typos are forgiven unless `fuzzy = false`.",
        ["# fuzzy = false"],
    ),
    "numeric": (
        "numeric: a typed number `answer`, right within `tolerance` (default 0);\n"
        "`unit` is shown after it.",
        [],
    ),
    "cloze": (
        "cloze: `text` with gaps, {{c1::answer}} or {{c1::answer::hint}}, numbered c1, c2, ...\n"
        "without gaps; each number is a card of its own. `prompt` is optional here.",
        [],
    ),
    "order": (
        "order: `items` written in the correct order; quizdeck shuffles them.",
        [],
    ),
    "match": (
        "match: [left, right] `pairs` (at least two); quizdeck shuffles the right column.",
        [],
    ),
}

_HEADER = """\
# A quizdeck question bank. Check it with `quizdeck check {file}`.
# Every key is described in quizdeck's docs/bank-format.md. For key completion in your editor,
# save the schema beside your banks (`quizdeck schema > quizdeck.schema.json`) and add
# `#:schema ./quizdeck.schema.json` as the first line of this file.

[bank]
# The bank's identity: progress and Anki notes hang on it, so never change it once in use.
id = {id}
# Shown in quizzes, on printed exams, and as the Anki deck name.
title = {title}
# A BCP 47 language tag; it decides the text direction (ar, fa, he, ur... are right to left).
language = {language}
# Optional keys of the bank:
# description = "A sentence or two about the bank."
# authors = ["Your name"]
# tags = ["a-tag"]     # tags for every question of the bank
# source = "The book or article the questions come from."
# fuzzy = true         # forgive small typos in typed answers (the default)

# Each [[questions]] table is one question. Every question has
#   id           its identity: unique in the bank, stable forever (lowercase letters, digits, '-')
#   type         card, choice, multi, truefalse, short, numeric, cloze, order or match
#   prompt       the question as the student reads it (optional for cloze)
# and may have
#   explanation  shown after answering and on the back of the Anki card
#   hint         shown when the student asks for one
#   source       a verbatim quote of the sentence the question comes from
#   tags         for `--tag` and for Anki
#   image        an image file, relative to this file's folder
#   fuzzy        true or false: forgive small typos in this question's typed answers
# The examples below show one question of each type: replace them with your own.
"""


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def toml_value(value: object) -> str:
    """A string, number, boolean or (nested) list as a one-line TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = []
        for char in value:
            if char in '"\\':
                escaped.append("\\" + char)
            elif char == "\n":
                escaped.append("\\n")
            elif char == "\t":
                escaped.append("\\t")
            elif unicodedata.category(char) == "Cc":
                # TOML forbids raw control characters in strings.
                escaped.append(f"\\u{ord(char):04x}")
            else:
                escaped.append(char)
        return '"' + "".join(escaped) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def slugify(name: str) -> str:
    """An id from a file name: lowercase ASCII letters and digits joined by '-' ("" if none)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


def bank_template(path: str | Path, *, title: str, language: str, bank_id: str | None = None) -> str:
    """The text of a new bank at `path`: the [bank] table and one commented example of each type.

    `bank_id` defaults to a slug of the file name. A UsageError says what to fix when the title,
    language or id is not valid.
    """
    path = Path(path)
    if not title.strip():
        raise UsageError("--title must not be empty")
    if not re.fullmatch(LANGUAGE_PATTERN, language):
        raise UsageError(f"--language {_q(language)} is not a BCP 47 language tag; use one like \"ar\" or \"en-GB\"")
    if bank_id is None:
        bank_id = slugify(path.stem)
        if not bank_id:
            raise UsageError(f"{path.name}: no id can be made from this file name; give one with --id, "
                             "like --id history-quiz")
    elif not re.fullmatch(ID_PATTERN, bank_id):
        raise UsageError(f"--id {_q(bank_id)} is not a valid id: use lowercase letters, digits and single "
                         "'-' between them (like \"history-quiz\")")
    examples = _ARABIC if text_direction(language) == "rtl" else _ENGLISH
    parts = [_HEADER.format(
        file=path.name, id=toml_value(bank_id), title=toml_value(title), language=toml_value(language),
    )]
    for question_type, values in examples.items():
        note, optional = _TYPE_NOTES[question_type]
        lines = ["", *(f"# {line}" for line in note.split("\n")), "[[questions]]",
                 f"id = {toml_value('example-' + question_type)}", f"type = {toml_value(question_type)}"]
        lines.extend(f"{key} = {toml_value(value)}" for key, value in values.items())
        lines.extend(optional)
        lines.append('tags = ["example"]')
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)
