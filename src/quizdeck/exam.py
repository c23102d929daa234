"""Printable exams: versions A, B, ... of a bank's questions, shuffled reproducibly, with answer keys.

`build_exam` chooses the questions and, for each version, the order of the questions and of their
choices, items and match columns; `render_html` and `render_markdown` turn an exam into a paper per
version followed (or not) by an answer key per version. Everything is a pure function of its
arguments: the same bank, seed and options give the same bytes, so an exam can be printed again
years later. The one function that reads files is `read_images`, kept apart so rendering stays pure.

Every version has the same questions (teachers mark every paper against the same content, and
students sitting side by side see different orders, not different questions).
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from quizdeck.bank import Bank
from quizdeck.errors import UsageError
from quizdeck.grading import expected_answer
from quizdeck.questions import (
    CLOZE_PATTERN,
    Card,
    Choice,
    Cloze,
    Match,
    Multi,
    Numeric,
    Order,
    Question,
    Short,
    TrueFalse,
    format_number,
)

MAX_VERSIONS = 26
VERSION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: CSS `@page size` for each `--paper`.
PAPER_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}

LATIN_LABELS: tuple[str, ...] = tuple(VERSION_LETTERS)
#: Arabic exams label choices in abjad order (أ ب ج د ...), with hāʾ written هـ so it reads as a letter.
ARABIC_LABELS: tuple[str, ...] = (
    "أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن",
    "س", "ع", "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ",
)

#: Fonts with Arabic glyphs first, so RTL papers never print boxes; the others cover Latin text.
RTL_FONTS = '"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans", serif'
LTR_FONTS = '"Noto Serif", "DejaVu Serif", "Liberation Serif", "Noto Naskh Arabic", serif'

IMAGE_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def _q(value: str) -> str:
    """A value quoted as in TOML, the way every quizdeck message quotes one (Arabic left readable)."""
    return json.dumps(value, ensure_ascii=False)


# --- words ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """Everything a paper says besides the bank's own text, in one language."""

    version: str
    name: str
    klass: str
    date: str
    instructions: str
    answer: str
    answer_key: str
    true: str
    false: str
    choose_one: str
    choose_all: str
    true_or_false: str
    fill_blanks: str
    number_items: str
    match_items: str
    also_accepted: str
    correct_order: str
    boxes: str
    explanation: str
    labels: tuple[str, ...]
    label_suffix: str
    list_separator: str
    item_separator: str


ENGLISH = Words(
    version="Version",
    name="Name",
    klass="Class",
    date="Date",
    instructions="Answer every question. Write your answers in the spaces provided.",
    answer="Answer",
    answer_key="Answer key",
    true="True",
    false="False",
    choose_one="Circle the letter of the correct answer.",
    choose_all="Circle the letters of all the correct answers.",
    true_or_false="Circle True or False.",
    fill_blanks="Fill in the blanks.",
    number_items="Number the items in the correct order (1, 2, 3, ...).",
    match_items="Write in each blank the letter of its match from the second column.",
    also_accepted="also accepted",
    correct_order="Correct order",
    boxes="Numbers in the boxes, top to bottom",
    explanation="Explanation",
    labels=LATIN_LABELS,
    label_suffix=".",
    list_separator=", ",
    item_separator="; ",
)

ARABIC = Words(
    version="النموذج",
    name="الاسم",
    klass="الصف",
    date="التاريخ",
    instructions="أجب عن جميع الأسئلة، واكتب إجاباتك في الأماكن المخصصة لها.",
    answer="الإجابة",
    answer_key="مفتاح الإجابة",
    true="صح",
    false="خطأ",
    choose_one="ضع دائرة حول حرف الإجابة الصحيحة.",
    choose_all="ضع دائرة حول أحرف جميع الإجابات الصحيحة.",
    true_or_false="ضع دائرة حول «صح» أو «خطأ».",
    fill_blanks="املأ الفراغات.",
    number_items="رقّم العناصر بحسب الترتيب الصحيح (1، 2، 3، ...).",
    match_items="اكتب في كل فراغ حرف ما يناسبه من العمود الثاني.",
    also_accepted="يُقبل أيضاً",
    correct_order="الترتيب الصحيح",
    boxes="الأرقام في المربعات من الأعلى إلى الأسفل",
    explanation="الشرح",
    labels=ARABIC_LABELS,
    label_suffix=")",
    list_separator="، ",
    item_separator="؛ ",
)


def words_for(language: str) -> Words:
    """The paper's words for a bank language: Arabic for Arabic banks, English otherwise."""
    return ARABIC if language.lower().split("-")[0] == "ar" else ENGLISH


def choice_label(words: Words, index: int) -> str:
    """The label of the index-th (0-based) choice: A, B, ... or أ, ب, ...; a number past the alphabet."""
    return words.labels[index] if index < len(words.labels) else str(index + 1)


# --- building ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedQuestion:
    """A question as one version prints it.

    `arrangement` lists indices into the question's choices (choice, multi), items (order) or
    pairs' left sides (match) in the order printed; `right` lists indices into the pairs for the
    right column of a match. Both are empty for types with nothing to shuffle.
    """

    question: Question
    arrangement: tuple[int, ...] = ()
    right: tuple[int, ...] = ()


@dataclass(frozen=True)
class ExamVersion:
    """One version of the paper: its letter and its questions in printed order."""

    letter: str
    label: str
    questions: tuple[PrintedQuestion, ...]


@dataclass(frozen=True)
class Exam:
    """Every version of an exam of one bank."""

    bank: Bank
    seed: int
    versions: tuple[ExamVersion, ...]

    @property
    def words(self) -> Words:
        """The words the papers are printed with."""
        return words_for(self.bank.language)


def select_questions(
    bank: Bank, *, tag: str | None = None, limit: int | None = None, seed: int = 0
) -> tuple[Question, ...]:
    """The questions an exam asks, in bank order: those with `tag`, then a random `limit` of them.

    The subset depends only on the seed, so every version of an exam asks the same questions.
    """
    questions = bank.questions
    if tag is not None:
        questions = bank.with_tag(tag)
        if not questions:
            known = sorted(set(bank.tags) | {t for q in bank.questions for t in q.tags})
            hint = f"; tags in this bank: {', '.join(known)}" if known else "; this bank has no tags"
            raise UsageError(f"{bank.name}: no question has the tag {_q(tag)}{hint}")
    if limit is not None:
        if limit < 1:
            raise UsageError(f"--limit must be at least 1, got {limit}")
        if limit < len(questions):
            rng = random.Random(f"quizdeck-exam:{seed}:subset")
            chosen = sorted(rng.sample(range(len(questions)), limit))
            questions = tuple(questions[i] for i in chosen)
    return questions


def _parts(question: Question) -> int:
    """How many things in a question get shuffled (choices, items, pairs)."""
    if isinstance(question, (Choice, Multi)):
        return len(question.choices)
    if isinstance(question, Order):
        return len(question.items)
    if isinstance(question, Match):
        return len(question.pairs)
    return 0


def arrangements(questions: Sequence[Question], cap: int = MAX_VERSIONS + 1) -> int:
    """How many different versions the questions allow, counted up to `cap`."""
    total = math.factorial(min(len(questions), 10))
    for question in questions:
        if total >= cap:
            break
        parts = math.factorial(min(_parts(question), 10))
        total *= parts * parts if isinstance(question, Match) else parts
    return min(total, cap)


def _shuffled(rng: random.Random, count: int) -> tuple[int, ...]:
    order = list(range(count))
    rng.shuffle(order)
    return tuple(order)


def _arrange(rng: random.Random, questions: Sequence[Question]) -> tuple[PrintedQuestion, ...]:
    order = _shuffled(rng, len(questions))
    printed = []
    for index in order:
        question = questions[index]
        if isinstance(question, Match):
            left = _shuffled(rng, len(question.pairs))
            printed.append(PrintedQuestion(question, left, _shuffled(rng, len(question.pairs))))
        elif isinstance(question, (Choice, Multi, Order)):
            printed.append(PrintedQuestion(question, _shuffled(rng, _parts(question))))
        else:
            printed.append(PrintedQuestion(question))
    return tuple(printed)


def build_exam(
    bank: Bank,
    *,
    versions: int = 1,
    seed: int = 0,
    tag: str | None = None,
    limit: int | None = None,
) -> Exam:
    """An exam of `versions` versions (A, B, ...), each shuffled by `random.Random` seeded from (seed, letter).

    Versions differ from each other whenever the questions allow that many different orders: a
    version that happens to repeat an earlier one is shuffled again (from its own generator, so
    the result stays reproducible).
    """
    if not 1 <= versions <= MAX_VERSIONS:
        raise UsageError(f"--versions must be between 1 and {MAX_VERSIONS}, got {versions}")
    questions = select_questions(bank, tag=tag, limit=limit, seed=seed)
    possible = arrangements(questions)
    words = words_for(bank.language)
    built: list[ExamVersion] = []
    seen: set[tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]] = set()
    for index in range(versions):
        letter = VERSION_LETTERS[index]
        # A string seed is hashed with SHA-512 by `random`, so it is stable across runs and platforms.
        rng = random.Random(f"quizdeck-exam:{seed}:{letter}")
        printed = _arrange(rng, questions)
        for _ in range(1000):
            signature = tuple((p.question.id, p.arrangement, p.right) for p in printed)
            if signature not in seen or len(seen) >= possible:
                break
            printed = _arrange(rng, questions)
        seen.add(tuple((p.question.id, p.arrangement, p.right) for p in printed))
        built.append(ExamVersion(letter, choice_label(words, index), printed))
    return Exam(bank, seed, tuple(built))


def read_images(exam: Exam) -> dict[str, bytes]:
    """The bytes of every image the exam's questions show, by their path in the bank, each read
    through the media resolver (inside the bank's folder, a regular image file, size-limited)."""
    from quizdeck.media import MediaError, read_image

    images: dict[str, bytes] = {}
    for printed in exam.versions[0].questions:  # every version asks the same questions
        path = printed.question.image
        if path and path not in images:
            try:
                images[path] = read_image(exam.bank.folder, path)
            except MediaError as error:
                raise UsageError(
                    f"{exam.bank.name}: question {_q(printed.question.id)}: image {_q(path)} cannot be "
                    f"read ({error}); fix the path or add the file"
                ) from None
    return images


# --- answer keys (shared by both formats) --------------------------------------------------


def _labelled(words: Words, index: int, text: str) -> str:
    return f"{choice_label(words, index)}{words.label_suffix} {text}"


def key_lines(printed: PrintedQuestion, words: Words) -> list[str]:
    """The answer to one printed question, as plain-text lines (the first is the answer itself)."""
    question = printed.question
    lines: list[str]
    if isinstance(question, Card):
        lines = [question.back]
    elif isinstance(question, Choice):
        position = [question.choices[i] for i in printed.arrangement].index(question.answer)
        lines = [_labelled(words, position, question.answer)]
    elif isinstance(question, Multi):
        shown = [question.choices[i] for i in printed.arrangement]
        lines = [words.item_separator.join(
            _labelled(words, n, text) for n, text in enumerate(shown) if text in question.answers
        )]
    elif isinstance(question, TrueFalse):
        lines = [words.true if question.answer else words.false]
    elif isinstance(question, Short):
        answer = question.answer
        if question.accept:
            answer += f" ({words.also_accepted}: {' / '.join(question.accept)})"
        lines = [answer]
    elif isinstance(question, Numeric):
        answer = format_number(question.answer) + (f" {question.unit}" if question.unit else "")
        if question.tolerance:
            answer += f" (± {format_number(question.tolerance)})"
        lines = [answer]
    elif isinstance(question, Cloze):
        lines = [words.item_separator.join(f"({d.number}) {d.answer}" for d in question.deletions)]
    elif isinstance(question, Order):
        boxes = words.list_separator.join(str(i + 1) for i in printed.arrangement)
        lines = [f"{words.boxes}: {boxes}",
                 f"{words.correct_order}: {words.item_separator.join(question.items)}"]
    elif isinstance(question, Match):
        right_position = {pair: n for n, pair in enumerate(printed.right)}
        lines = [words.list_separator.join(
            f"{n}–{choice_label(words, right_position[pair])}"
            for n, pair in enumerate(printed.arrangement, 1)
        )]
    else:  # pragma: no cover - a new question type must be added above
        raise AssertionError(f"no answer key for {question.type}")
    if question.explanation:
        lines.append(f"{words.explanation}: {question.explanation}")
    return lines


#: The header of the machine-readable key `print` writes beside the papers (exam-key.csv).
KEY_CSV_HEADER: tuple[str, ...] = ("version", "number", "id", "answer")


def written_answer(printed: PrintedQuestion, words: Words) -> str:
    """The answer to a printed question as a student writes it on that paper.

    choice: the label (B, ب); multi: the labels, space-separated; truefalse: the paper's words
    (True/False, صح/خطأ); numeric: the number; short and card: the text; cloze: the answers in
    blank order, separated by "; "; order: the numbers in the boxes, top to bottom; match: the
    label of each left item's partner, top to bottom. `grid.read_key` reads it back.
    """
    question = printed.question
    if isinstance(question, Card):
        return question.back
    if isinstance(question, Choice):
        shown = [question.choices[i] for i in printed.arrangement]
        return choice_label(words, shown.index(question.answer))
    if isinstance(question, Multi):
        shown = [question.choices[i] for i in printed.arrangement]
        return " ".join(choice_label(words, n) for n, text in enumerate(shown) if text in question.answers)
    if isinstance(question, TrueFalse):
        return words.true if question.answer else words.false
    if isinstance(question, Short):
        return question.answer
    if isinstance(question, Numeric):
        return format_number(question.answer)
    if isinstance(question, Cloze):
        return "; ".join(expected_answer(question))
    if isinstance(question, Order):
        return " ".join(str(i + 1) for i in printed.arrangement)
    if isinstance(question, Match):
        right_position = {pair: n for n, pair in enumerate(printed.right)}
        return " ".join(choice_label(words, right_position[pair]) for pair in printed.arrangement)
    raise AssertionError(f"no written answer for {question.type}")  # pragma: no cover


def key_rows(exam: Exam) -> list[tuple[str, int, str, str]]:
    """The machine-readable key: (version, number, question id, answer as written), per question per version."""
    words = exam.words
    return [
        (version.label, number, printed.question.id, written_answer(printed, words))
        for version in exam.versions
        for number, printed in enumerate(version.questions, 1)
    ]


def _cloze_parts(text: str) -> list[tuple[str, int, str]]:
    """Cloze text cut at its deletions: (text before, deletion number, hint) ..., the last with number 0."""
    parts = []
    start = 0
    for match in CLOZE_PATTERN.finditer(text):
        parts.append((text[start:match.start()], int(match.group(1)), (match.group(3) or "").strip()))
        start = match.end()
    parts.append((text[start:], 0, ""))
    return parts


def _blanks(text: str, escape: Callable[[str], str], blank: Callable[[int], str]) -> str:
    """Cloze text, escaped, with each deletion replaced by a numbered blank and its hint."""
    out = []
    for before, number, hint in _cloze_parts(text):
        out.append(escape(before))
        if number:
            out.append(blank(number) + (escape(f" ({hint})") if hint else ""))
    return "".join(out)


# --- HTML ----------------------------------------------------------------------------------


def _css(paper: str, rtl: bool) -> str:
    fonts = RTL_FONTS if rtl else LTR_FONTS
    return f"""@page {{ size: {PAPER_SIZES[paper]}; margin: 15mm 18mm; }}
* {{ box-sizing: border-box; }}
html {{ font-family: {fonts}; font-size: 12pt; line-height: 1.5; color: #000; background: #fff; }}
body {{ margin: 0; }}
@media screen {{ body {{ max-width: 190mm; margin: 8mm auto; padding: 0 6mm; }} }}
section {{ break-before: page; page-break-before: always; }}
section:first-of-type {{ break-before: auto; page-break-before: auto; }}
header {{ display: flex; justify-content: space-between; align-items: baseline; gap: 6mm;
  border-bottom: 2px solid #000; margin-bottom: 4mm; }}
h1 {{ font-size: 16pt; margin: 0 0 2mm; }}
.version {{ font-size: 14pt; font-weight: bold; margin: 0; white-space: nowrap; }}
.fields {{ display: flex; gap: 6mm; margin: 0 0 4mm; }}
.field {{ display: flex; flex: 1; white-space: nowrap; }}
.field:first-child {{ flex: 2; }}
.fill {{ flex: 1; border-bottom: 1px solid #000; margin-inline-start: 2mm; }}
.instructions {{ border: 1px solid #000; padding: 2mm 3mm; margin: 0 0 6mm; }}
.question, .answer {{ display: flex; gap: 2mm; margin: 0 0 5mm; break-inside: avoid; }}
.number {{ font-weight: bold; min-width: 8mm; }}
.content {{ flex: 1; min-width: 0; }}
.content p {{ margin: 0 0 1.5mm; }}
.how {{ font-size: 10pt; color: #333; }}
.choices {{ list-style: none; margin: 0; padding: 0; }}
.choices li {{ margin: 0 0 1mm; }}
.label {{ display: inline-block; min-width: 8mm; font-weight: bold; }}
.truefalse span {{ display: inline-block; margin-inline-end: 14mm; font-weight: bold; }}
.line {{ display: block; border-bottom: 1px solid #000; height: 9mm; }}
.answer-line {{ display: flex; align-items: flex-end; gap: 2mm; max-width: 120mm; }}
.answer-line .line {{ flex: 1; }}
.blank {{ white-space: nowrap; }}
.box {{ display: inline-block; width: 9mm; height: 7mm; border: 1px solid #000;
  vertical-align: middle; margin-inline-end: 3mm; }}
.match {{ border-collapse: collapse; width: 100%; }}
.match td {{ width: 50%; padding: 0 0 1.5mm; vertical-align: top; }}
.slot {{ display: inline-block; width: 12mm; border-bottom: 1px solid #000; margin-inline-end: 2mm; }}
img {{ display: block; max-width: 100%; max-height: 70mm; margin: 1mm 0 2mm; }}
"""


def _h(text: str) -> str:
    """Bank text as HTML: every character escaped, line breaks kept."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def _image_html(question: Question, images: Mapping[str, bytes] | None) -> str:
    if not question.image:
        return ""
    suffix = PurePosixPath(question.image).suffix.lower()
    if images is not None and question.image in images:
        data = base64.b64encode(images[question.image]).decode("ascii")
        source = f"data:{IMAGE_TYPES.get(suffix, 'application/octet-stream')};base64,{data}"
    else:
        source = question.image
    return f'<img src="{_h(source)}" alt="">\n'


def _question_html(number: int, printed: PrintedQuestion, words: Words,
                   images: Mapping[str, bytes] | None) -> str:
    question = printed.question
    parts: list[str] = []
    if question.prompt:
        parts.append(f'<p class="prompt">{_h(question.prompt)}</p>\n')
    parts.append(_image_html(question, images))
    if isinstance(question, Card):
        parts.append('<span class="line"></span>' * 3 + "\n")
    elif isinstance(question, (Choice, Multi)):
        how = words.choose_one if isinstance(question, Choice) else words.choose_all
        parts.append(f'<p class="how">{_h(how)}</p>\n<ol class="choices">\n')
        for n, index in enumerate(printed.arrangement):
            parts.append(f'<li><span class="label">{_h(choice_label(words, n) + words.label_suffix)}'
                         f'</span>{_h(question.choices[index])}</li>\n')
        parts.append("</ol>\n")
    elif isinstance(question, TrueFalse):
        parts.append(f'<p class="how">{_h(words.true_or_false)}</p>\n'
                     f'<p class="truefalse"><span>{_h(words.true)}</span><span>{_h(words.false)}</span></p>\n')
    elif isinstance(question, (Short, Numeric)):
        unit = ""
        if isinstance(question, Numeric) and question.unit:
            unit = f'<span class="unit">{_h(question.unit)}</span>'
        parts.append(f'<div class="answer-line"><span class="line"></span>{unit}</div>\n')
    elif isinstance(question, Cloze):
        text = _blanks(question.text, _h, lambda n: f'<span class="blank">({n}) ____________</span>')
        parts.append(f'<p class="how">{_h(words.fill_blanks)}</p>\n<p class="cloze">{text}</p>\n')
    elif isinstance(question, Order):
        parts.append(f'<p class="how">{_h(words.number_items)}</p>\n<ul class="choices">\n')
        for index in printed.arrangement:
            parts.append(f'<li><span class="box"></span>{_h(question.items[index])}</li>\n')
        parts.append("</ul>\n")
    elif isinstance(question, Match):
        parts.append(f'<p class="how">{_h(words.match_items)}</p>\n<table class="match">\n')
        for n, (left, right) in enumerate(zip(printed.arrangement, printed.right, strict=True)):
            parts.append(
                f'<tr><td><span class="slot"></span><span class="label">{n + 1}.</span>'
                f'{_h(question.pairs[left][0])}</td>'
                f'<td><span class="label">{_h(choice_label(words, n) + words.label_suffix)}</span>'
                f'{_h(question.pairs[right][1])}</td></tr>\n'
            )
        parts.append("</table>\n")
    return (f'<div class="question" data-id="{_h(question.id)}" data-type="{question.type}">\n'
            f'<span class="number">{number}.</span>\n<div class="content">\n'
            + "".join(parts) + "</div>\n</div>\n")


def _header_html(title: str, version_line: str) -> str:
    return f'<header>\n<h1>{_h(title)}</h1>\n<p class="version">{_h(version_line)}</p>\n</header>\n'


def _paper_html(exam: Exam, version: ExamVersion, images: Mapping[str, bytes] | None) -> str:
    words = exam.words
    fields = "".join(
        f'<span class="field">{_h(name)}: <span class="fill"></span></span>'
        for name in (words.name, words.klass, words.date)
    )
    questions = "".join(
        _question_html(n, printed, words, images) for n, printed in enumerate(version.questions, 1)
    )
    return (f'<section class="paper" id="paper-{version.letter}">\n'
            + _header_html(exam.bank.title, f"{words.version} {version.label}")
            + f'<div class="fields">{fields}</div>\n'
            + f'<p class="instructions">{_h(words.instructions)}</p>\n'
            + questions + "</section>\n")


def _key_html(exam: Exam, version: ExamVersion) -> str:
    words = exam.words
    answers = []
    for n, printed in enumerate(version.questions, 1):
        lines = "".join(f"<p>{_h(line)}</p>" for line in key_lines(printed, words))
        answers.append(f'<div class="answer" data-id="{_h(printed.question.id)}">'
                       f'<span class="number">{n}.</span><div class="content">{lines}</div></div>\n')
    return (f'<section class="key" id="key-{version.letter}">\n'
            + _header_html(exam.bank.title, f"{words.answer_key} — {words.version} {version.label}")
            + "".join(answers) + "</section>\n")


def render_html(
    exam: Exam,
    *,
    paper: str = "a4",
    images: Mapping[str, bytes] | None = None,
    papers: bool = True,
    keys: bool = True,
) -> str:
    """The exam as one self-contained, print-ready HTML page.

    Each version's paper starts on a new page, then (if `keys`) each version's answer key does.
    Images found in `images` (see `read_images`) are embedded as data URIs; others are linked by
    their path relative to the bank's folder. Right-to-left banks get `dir="rtl"`.
    """
    if paper not in PAPER_SIZES:
        raise UsageError(f"unknown paper size {_q(paper)}; use one of {', '.join(PAPER_SIZES)}")
    bank = exam.bank
    rtl = bank.direction == "rtl"
    words = exam.words
    title = bank.title if papers else f"{bank.title} — {words.answer_key}"
    body: list[str] = []
    if papers:
        body.extend(_paper_html(exam, version, images) for version in exam.versions)
    if keys:
        body.extend(_key_html(exam, version) for version in exam.versions)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_h(bank.language)}" dir="{"rtl" if rtl else "ltr"}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f"<title>{_h(title)}</title>\n"
        f"<style>\n{_css(paper, rtl)}</style>\n</head>\n<body>\n"
        + "".join(body)
        + "</body>\n</html>\n"
    )


# --- Markdown ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START = re.compile(r"^(\s*(?:\d+)?)([-+=.)])(?=\s|$)")


def _md(text: str) -> str:
    """Bank text as Markdown that renders as the same text (and still reads as plain text)."""
    lines = []
    for line in text.split("\n"):
        line = _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", line))
        lines.append(_MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line))
    # A backslash at the end of a line is Markdown's hard line break.
    return "\\\n".join(lines)


def _indent(lines: list[str], width: int) -> list[str]:
    """Continuation lines of a list item, indented to its content (blank lines stay empty)."""
    pad = " " * width
    return [pad + line.replace("\n", "\n" + pad) if line else "" for line in lines]


def _question_md(number: int, printed: PrintedQuestion, words: Words, image_prefix: str) -> list[str]:
    question = printed.question
    marker = f"{number}. "
    body: list[str] = []
    first = _md(question.prompt)
    if isinstance(question, Cloze):
        # Each blank's underscores follow a space, so they can never close an emphasis.
        text = _blanks(question.text, _md, lambda n: f"({n}) ____________")
        if question.prompt:
            body.extend([f"*{words.fill_blanks}*", text])
        else:
            first = f"*{words.fill_blanks}*"
            body.append(text)
    if question.image:
        path = PurePosixPath(image_prefix) / question.image if image_prefix else PurePosixPath(question.image)
        # Every character of the name but letters, digits and "/-._~" percent-encoded: a name holding
        # ")", "]", "<", a space or a line break can neither end the link nor start markup.
        body.append(f"![]({quote(str(path), safe='/')})")
    if isinstance(question, (Card, Short)):
        body.append(f"{words.answer}: ________________________________________")
    elif isinstance(question, Numeric):
        unit = f" {_md(question.unit)}" if question.unit else ""
        body.append(f"{words.answer}: ____________________{unit}")
    elif isinstance(question, (Choice, Multi)):
        body.append(f"*{words.choose_one if isinstance(question, Choice) else words.choose_all}*")
        body.append("\n".join(
            f"- {choice_label(words, n)}{words.label_suffix} {_md(question.choices[index])}"
            for n, index in enumerate(printed.arrangement)
        ))
    elif isinstance(question, TrueFalse):
        body.append(f"*{words.true_or_false}*")
        body.append(f"{words.true}  /  {words.false}")
    elif isinstance(question, Order):
        body.append(f"*{words.number_items}*")
        # "[  ]" with two spaces is a box, not a GitHub task-list checkbox.
        body.append("\n".join(f"- [  ] {_md(question.items[index])}" for index in printed.arrangement))
    elif isinstance(question, Match):
        body.append(f"*{words.match_items}*")
        body.append("\n".join(
            f"{n}. ______ {_md(question.pairs[index][0])}" for n, index in enumerate(printed.arrangement, 1)
        ))
        body.append("\n".join(
            f"- {choice_label(words, n)}{words.label_suffix} {_md(question.pairs[index][1])}"
            for n, index in enumerate(printed.right)
        ))
    lines = [marker + first.replace("\n", "\n" + " " * len(marker))]
    for block in _indent(body, len(marker)):
        lines.extend(["", block])
    return lines


def _paper_md(exam: Exam, version: ExamVersion, image_prefix: str) -> list[str]:
    words = exam.words
    lines = [
        f"# {_md(exam.bank.title)}",
        "",
        f"**{words.version} {version.label}**",
        "",
        f"{words.name}: ______________________________  {words.klass}: ______________  "
        f"{words.date}: ______________",
        "",
        words.instructions,
    ]
    for n, printed in enumerate(version.questions, 1):
        lines.append("")
        lines.extend(_question_md(n, printed, words, image_prefix))
    return lines


def _key_md(exam: Exam, version: ExamVersion) -> list[str]:
    words = exam.words
    lines = [f"# {_md(exam.bank.title)}", "", f"## {words.answer_key} — {words.version} {version.label}"]
    for n, printed in enumerate(version.questions, 1):
        answer, *more = (_md(line) for line in key_lines(printed, words))
        marker = f"{n}. "
        lines.extend(["", marker + answer.replace("\n", "\n" + " " * len(marker))])
        for line in _indent(more, len(marker)):
            lines.extend(["", line])
    return lines


def render_markdown(
    exam: Exam,
    *,
    image_prefix: str = "",
    papers: bool = True,
    keys: bool = True,
) -> str:
    """The exam as Markdown: a section per version's paper, then (if `keys`) a section per answer key.

    Sections are separated by a thematic break (`---`), where a printed copy starts a new page.
    Image links are the bank's image paths, prefixed with `image_prefix` (the bank's folder as
    seen from where the Markdown is saved).
    """
    sections: list[list[str]] = []
    if papers:
        sections.extend(_paper_md(exam, version, image_prefix) for version in exam.versions)
    if keys:
        sections.extend(_key_md(exam, version) for version in exam.versions)
    return "\n\n---\n\n".join("\n".join(section) for section in sections) + "\n"


def image_prefix_for(bank_folder: Path, output_folder: Path) -> str:
    """The bank's folder relative to the folder a Markdown file is written to, as a POSIX path."""
    try:
        relative = os.path.relpath(bank_folder.resolve(), output_folder.resolve())
    except ValueError:  # on Windows, another drive has no relative path: link absolutely
        return bank_folder.resolve().as_posix()
    return "" if relative == "." else PurePosixPath(*Path(relative).parts).as_posix()
