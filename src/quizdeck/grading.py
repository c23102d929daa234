"""Grading: does a response answer a question, and for how many points.

Pure functions over questions and answer-sheet values; nothing here reads the terminal or a file.
Typed answers (short, numeric, cloze) are compared after `normalize`, which folds away the
differences Arabic writing allows (harakat, hamza forms, taa marbuta, digits in any script) and
what a copy from a reshaped screen adds (presentation forms, bidi controls). The rules and the
partial-credit formulas are documented, with examples, in docs/grading.md.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NamedTuple

from quizdeck.questions import (
    Card,
    Choice,
    Cloze,
    Multi,
    Numeric,
    Order,
    Question,
    Short,
    TrueFalse,
    cloze_display,
    format_number,
)


class Mark(NamedTuple):
    """The grade of one response to `question`.

    `points` is between 0 and 1 (each question is worth one point); `correct` is true only at
    full points; `detail` explains partial credit ("2 of 3 pairs right"); `expected` is what a
    right answer is, as a JSON-able value (see `expected_answer`).

    A NamedTuple whose `expected` is worked out when asked for: grading a sheet makes a mark per
    question (ten thousand for a long test), and only a results file shows the expected answers.
    """

    points: float
    correct: bool
    question: Question
    detail: str = ""

    @property
    def expected(self) -> Any:
        return expected_answer(self.question)


# --- normalizing typed text ------------------------------------------------------------------

# Harakat, Quranic annotation marks and the superscript alef: how a word is voweled or recited,
# never which word it is.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed]")

_LETTERS = str.maketrans({
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u0624": "\u0648",  # ؤ -> و
    "\u0626": "\u064a",  # ئ -> ي
    "\u06a9": "\u0643",  # Persian ک -> ك
    "\u06cc": "\u064a",  # Persian ی -> ي
    "\u0640": None,  # tatweel only stretches a word
})

# Separators inside a number: a decimal point stays (2.5 is not 25), a thousands separator goes
# (50,000 is 50000). Recognised only between digits, once digits are ASCII.
_DECIMAL_POINT = re.compile(r"(?<=\d)[.\u066b](?=\d)")
_THOUSANDS = re.compile(r"(?<=\d)[,\u066c\u060c'](?=\d{3}(?!\d))")
# Apostrophes join a word ("don't", "O'Brien"); any other punctuation separates words.
_APOSTROPHES = frozenset("'\u2019\u02bc\u2018")

_NUMBER_IN_TEXT = re.compile(r"\d+(?:\.\d+)?")


def normalize(text: str) -> str:
    """The comparable form of a typed answer.

    NFKC (so Arabic presentation forms from a reshaped screen and composed or decomposed hamza
    are the same letters), case-folded; Arabic harakat, Quranic marks, tatweel, bidi controls
    and ZWJ/ZWNJ removed; أ إ آ ٱ -> ا, ى -> ي, ة -> ه, ؤ -> و, ئ -> ي, Persian ک ی -> ك ي;
    digits of every script -> ASCII; punctuation (including ، ؛ ؟ and quotes) removed, except a
    decimal point between digits, and thousands separators dropped; whitespace collapsed.
    Idempotent: normalize(normalize(t)) == normalize(t).
    """
    # Removing a mark can bring two characters together that NFKC then composes; repeating
    # until nothing changes makes the result a fixed point. The other rules leave nothing for a
    # second pass to do, so a result that NFKC and case folding leave alone is already one.
    if text.isascii():
        # Most answers: the same rules, without the per-character Unicode lookups.
        return _normalize_ascii(text)
    result = _normalize_pass(text)
    if unicodedata.is_normalized("NFKC", result) and result.casefold() == result:
        return result
    for _ in range(4):
        again = _normalize_pass(result)
        if again == result:
            break
        result = again
    return result


# `_normalize_pass` on ASCII text: NFKC changes nothing and case folding is lower(); controls
# (but not whitespace) go; punctuation becomes a space, apostrophes go, and a point stays only
# between digits. The result is ASCII, lower case and NFKC, so already a fixed point.
# Both tables name every ASCII character (most as themselves): str.translate looks each character
# up, and one missing from the table costs it a KeyError raised and caught.
_ASCII_CONTROLS: dict[int, str | None] = {
    c: None if unicodedata.category(chr(c))[0] == "C" and not chr(c).isspace() else chr(c) for c in range(128)
}
_ASCII_PUNCTUATION: dict[int, str | None] = {
    c: (None if chr(c) in _APOSTROPHES else " ") if unicodedata.category(chr(c))[0] == "P" and chr(c) != "." else chr(c)
    for c in range(128)
}
_LONE_POINT = re.compile(r"(?<![0-9])\.|\.(?![0-9])")


def _normalize_ascii(text: str) -> str:
    text = text.lower()
    if not text.isprintable():  # printable: no control to remove
        text = text.translate(_ASCII_CONTROLS)
    # _DECIMAL_POINT leaves an ASCII text as it is; the other patterns need their characters.
    if "," in text or "'" in text:
        text = _THOUSANDS.sub("", text)
    if "." in text:
        text = _LONE_POINT.sub(" ", text)
    return " ".join(text.translate(_ASCII_PUNCTUATION).split())


def _normalize_pass(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKC", text.casefold())
    text = _ARABIC_MARKS.sub("", text).translate(_LETTERS)
    pieces: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Nd":
            pieces.append(str(unicodedata.decimal(ch)))
        elif category[0] == "C" and not ch.isspace():
            # Bidi controls, ZWJ/ZWNJ, BOM, soft hyphen: invisible, never part of an answer.
            continue
        else:
            pieces.append(ch)
    text = "".join(pieces)
    text = _DECIMAL_POINT.sub(".", text)
    text = _THOUSANDS.sub("", text)
    pieces = []
    for index, ch in enumerate(text):
        if unicodedata.category(ch)[0] != "P":
            pieces.append(ch)
        elif ch in _APOSTROPHES:
            continue
        elif ch == "." and 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit():
            pieces.append(ch)
        else:
            pieces.append(" ")
    return " ".join("".join(pieces).split())


# --- numbers ---------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"""
    (?P<sign>[-+\u2212]?)\s*
    (?P<int>
        \d{1,3}(?:,\d{3})+          # 50,000
      | \d{1,3}(?:\u066c\d{3})+     # ٥٠٬٠٠٠ (Arabic thousands separator)
      | \d{1,3}(?:\u060c\d{3})+     # ٥٠،٠٠٠ (Arabic comma used as one)
      | \d{1,3}(?:[\u00a0\u202f ]\d{3})+  # 50 000
      | \d+
    )?
    (?:[.\u066b](?P<frac>\d+))?
    """,
    re.VERBOSE,
)


def _same_unit(typed: str, unit: str) -> bool:
    """Whether `typed` names the question's unit, allowing a case or number ending of up to two
    letters ("50 ألف" for the unit "ألفاً", "3 kms" for "km" is too short to guess, "قواعد" is not "قاعدة")."""
    typed, unit = normalize(typed), normalize(unit)
    if typed == unit:
        return True
    shorter, longer = sorted((typed, unit), key=len)
    return len(shorter) >= 3 and longer.startswith(shorter) and len(longer) - len(shorter) <= 2


# Words that may come before a year ("عام 2014", "في سنة ٢٠١٤") and after it ("2014م", "1435 هـ"),
# normalized (هـ is ه once the tatweel goes).
_BEFORE_NUMBER = frozenset({
    "\u0639\u0627\u0645", "\u0627\u0644\u0639\u0627\u0645",  # عام، العام
    "\u0633\u0646\u0647", "\u0627\u0644\u0633\u0646\u0647",  # سنة، السنة
    "\u0641\u064a \u0639\u0627\u0645", "\u0641\u064a \u0633\u0646\u0647",  # في عام، في سنة
})
_AFTER_NUMBER = frozenset({
    "\u0645", "\u0647",  # م (Gregorian), هـ (Hijri)
    "\u0645\u064a\u0644\u0627\u062f\u064a", "\u0647\u062c\u0631\u064a",  # ميلادي، هجري
    "\u0644\u0644\u0645\u064a\u0644\u0627\u062f", "\u0644\u0644\u0647\u062c\u0631\u0647",  # للميلاد، للهجرة
})
# Words that change a number's value, never read as the noun counted: "50 ألف" is not 50.
_SCALE_WORDS = frozenset(normalize(word) for word in (
    "ألف", "آلاف", "ألفا", "ألفاً", "ألفان", "ألفين", "مئة", "مائة", "مئات", "مئتان", "مئتين",
    "مليون", "ملايين", "مليونا", "مليونان", "مليونين", "مليار", "مليارات", "مليارا", "عشرات",
    "نصف", "ونصف", "ربع", "وربع", "ثلث", "وثلث", "بالمئة", "بالمائة", "ضعف", "أضعاف",
))
_ARABIC_WORD = re.compile("[\u0621-\u064a]{2,}")


def _digits(text: str) -> str:
    """NFKC, digits of every script as ASCII, format characters (bidi marks) gone."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch
        for ch in text
        if unicodedata.category(ch) != "Cf"
    ).strip()


def _number_start(text: str) -> int | None:
    """Where the number in `text` starts (its sign, or a leading decimal point), or None."""
    digit = re.search(r"\d", text)
    if digit is None:
        return None
    start = digit.start()
    if start and text[start - 1] in ".\u066b":
        start -= 1
    before = text[:start].rstrip()
    return len(before) - 1 if before.endswith(("-", "+", "\u2212")) else start


def parse_number(text: str, *, unit: str = "", counted: bool = True) -> float | None:
    """The number written in `text`, or None if it is not (only) a number.

    Digits of any script; a leading sign; `.` or the Arabic ٫ as decimal separator; `,`, ٬,
    ، or a space as thousands separators (in groups of three). Around it may stand what names a
    year (عام or سنة before it; م or هـ, ميلادي or هجري after it: `٢٠١٤م`, `عام 2014`) and the
    question's `unit` ("50 km", "٥٠ كم"). A question without a unit may also have the number
    followed by the Arabic noun it counts (`٨ قواعد`) when `counted`, unless that word changes
    the value (ألف، مليون، نصف...). Anything else makes it not a number; so does a number too big
    to be finite (`1e400` is not even read: exponents are not written by people).
    """
    if not isinstance(text, str):
        return None
    text = _digits(text)
    start = _number_start(text)
    if start is None:
        return None
    before = normalize(text[:start])
    if before and before not in _BEFORE_NUMBER:
        return None
    found = _NUMBER.match(text, start)
    # A digit is at `start` or just after its sign or decimal point: the number always matches.
    assert found is not None and (found.group("int") or found.group("frac"))
    rest = text[found.end():].strip()
    if rest and not _names_the_number(rest, unit, counted):
        return None
    digits = re.sub(r"\D", "", found.group("int") or "0")
    value = float(f"{digits}.{found.group('frac') or '0'}")
    if not math.isfinite(value):
        return None
    return -value if found.group("sign") in ("-", "\u2212") else value


def _names_the_number(rest: str, unit: str, counted: bool) -> bool:
    """Whether the text after a number is its unit, a calendar's mark, or the noun it counts."""
    if unit:
        return _same_unit(rest, unit)
    word = normalize(rest)
    if word in _AFTER_NUMBER:
        return True
    return counted and _ARABIC_WORD.fullmatch(word) is not None and word not in _SCALE_WORDS


# --- typed text ------------------------------------------------------------------------------

# A leading conjunction و or article ال: "والخلايا", "الخلايا" and "خلايا" name the same thing.
_PREFIXES = ("\u0648\u0627\u0644", "\u0627\u0644", "\u0648")  # وال, ال, و


def _variants(normalized: str) -> set[str]:
    """The text with and without a leading و and/or ال (keeping at least two letters)."""
    found = {normalized}
    for prefix in _PREFIXES:
        if normalized.startswith(prefix) and len(normalized) - len(prefix) >= 2:
            found.add(normalized[len(prefix):])
    return found


def edit_budget(length: int) -> int:
    """How many typos a typed word of this many letters (normalized, without a leading ال) may have."""
    if length <= 4:
        return 0
    if length <= 8:
        return 1
    return 2


def _neighbours(rows: Sequence[str]) -> set[frozenset[str]]:
    """Pairs of keys that touch: side by side in a row, or a key and the two below it (each row
    of a keyboard sits half a key to the right of the one above)."""
    pairs: set[frozenset[str]] = set()
    for r, row in enumerate(rows):
        below = rows[r + 1] if r + 1 < len(rows) else ""
        for i, key in enumerate(row):
            for other in (row[i + 1 : i + 2], below[max(0, i - 1) : i + 1]):
                pairs.update(frozenset((key, near)) for near in other if near != key)
    return pairs


# A letter typed for one on a touching key is a slip of the finger; for one far away it is
# another word (عالم, سالم). Arabic (101): the rows under q w e..., a s d..., z x c...; the third
# row is ئ ء ؤ ر لا ى ة و ز ظ, written normalized (ئ ؤ ى ة are ي و ي ه), لا as ل.
_ADJACENT_KEYS: frozenset[frozenset[str]] = frozenset(
    _neighbours(("ضصثقفغعهخحجد", "شسيبلاتنمكط", "يءورليهوزظ"))
    | _neighbours(("qwertyuiop", "asdfghjkl", "zxcvbnm"))
)

#: Letters commonly written for one another, whatever the keyboard (documented in docs/grading.md).
CONFUSED_LETTERS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        "\u0636\u0638",  # ض ظ
        "\u0630\u0632",  # ذ ز
        "\u062b\u0633",  # ث س
        "\u062a\u0637",  # ت ط (foreign names: طومسون, تومسون)
    )
)
# Long vowels a writer adds or leaves out in foreign names (ديموقراطية, ديمقراطية).
_LONG_VOWELS = frozenset("\u0627\u0648\u064a")

def _slip(typed: str, wanted: str) -> bool:
    """Whether typing `typed` for `wanted` is a slip rather than another letter."""
    pair = frozenset((typed, wanted))
    return pair in _ADJACENT_KEYS or pair in CONFUSED_LETTERS


def word_typos(typed: str, wanted: str, budget: int) -> int:
    """The forgivable typos between a typed word and the right one, or `budget + 1` when the
    difference is not made of at most `budget` forgivable typos.

    Forgiven, each counting one: a letter left out; a letter typed twice (or an extra long vowel
    ا و ي); two neighbouring letters swapped; a letter typed for one on a touching key (Arabic
    101 or QWERTY; ى and ا touch, as n and h) or for one commonly confused with it (ض/ظ, ذ/ز,
    ث/س, ت/ط). This is a restricted Damerau-Levenshtein distance (optimal string alignment)
    with those costs, searched from the first difference on: budgets are 2 at most, so the
    search tries a handful of ways and each is a scan of the word.
    """
    for allowed in range(budget + 1):
        if _within(typed, wanted, 0, 0, allowed):
            return allowed
    return budget + 1


def _within(typed: str, wanted: str, j: int, i: int, budget: int) -> bool:
    """Whether typed[j:] is wanted[i:] with at most `budget` forgivable typos."""
    while j < len(typed) and i < len(wanted) and typed[j] == wanted[i]:
        i += 1
        j += 1
    if j == len(typed) and i == len(wanted):
        return True
    if budget == 0:
        return False
    budget -= 1
    more_typed, more_wanted = j < len(typed), i < len(wanted)
    if more_typed and more_wanted:
        if _slip(typed[j], wanted[i]) and _within(typed, wanted, j + 1, i + 1, budget):
            return True
        swapped = typed[j] == wanted[i + 1 : i + 2] and typed[j + 1 : j + 2] == wanted[i]
        if swapped and _within(typed, wanted, j + 2, i + 2, budget):
            return True
    if more_wanted and _within(typed, wanted, j, i + 1, budget):
        return True
    return more_typed and _extra(typed, j) and _within(typed, wanted, j + 1, i, budget)


def _extra(typed: str, j: int) -> bool:
    """Whether the typed letter at `j` may be an extra one: it doubles the letter before it (the
    search meets a doubled letter at its second copy: the first matched) or is a long vowel."""
    letter = typed[j]
    return letter in _LONG_VOWELS or (j > 0 and typed[j - 1] == letter)


def _stem(word: str) -> str:
    """A word without its leading ال or وال: "النائمة" and "نائمة" are one word, definite or not."""
    for prefix in ("\u0648\u0627\u0644", "\u0627\u0644"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def _close(response: str, expected: str, fuzzy: bool) -> bool:
    if response == expected:
        return True
    if not fuzzy:
        return False
    # Numbers are facts: 2016 is not a typo of 2017.
    if _NUMBER_IN_TEXT.findall(response) != _NUMBER_IN_TEXT.findall(expected):
        return False
    typed_words, wanted_words = response.split(), expected.split()
    if len(typed_words) != len(wanted_words):
        # A missing word is a partial answer, not a typo; a missing or extra space is forgiven
        # only when every letter is there.
        return response.replace(" ", "") == expected.replace(" ", "")
    # Word by word: a typo in one word never pays for another word being different.
    for typed, wanted in zip(typed_words, wanted_words, strict=True):
        typed, wanted = _stem(typed), _stem(wanted)
        if typed == wanted:
            continue
        budget = edit_budget(len(wanted))
        if budget == 0 or word_typos(typed, wanted, budget) > budget:
            return False
    return True


def matches_text(response: str, expected: Sequence[str], *, fuzzy: bool = True) -> bool:
    """Whether a typed response matches any of the expected variants.

    Both sides are normalized and compared with and without a leading و or ال. Numbers in the
    text must be the same; with `fuzzy`, slips of the finger are forgiven word by word
    (`word_typos`, within `edit_budget` of each word's length), but never a missing word. An
    answer of punctuation alone is matched as written. An empty response, or one that is not
    text, matches nothing.
    """
    if not isinstance(response, str):
        return False
    given = normalize(response)
    responses = _variants(given) if given else ()
    for variant in expected:
        wanted = normalize(variant)
        if not wanted:
            # An answer of punctuation alone ("?", "!"), which normalizing empties: matched as
            # written, but for the spaces around it.
            typed = response.strip()
            if typed and typed == variant.strip():
                return True
            continue
        if not given:
            continue
        if wanted.isdigit() and parse_number(response, counted=False) == float(wanted):
            # A year written as people write years: "٢٠١٤م", "عام 2014" for 2014.
            return True
        for target in _variants(wanted):
            if any(_close(r, target, fuzzy) for r in responses):
                return True
    return False


# --- true or false ---------------------------------------------------------------------------

# As typed or written on a sheet, normalized; the feminine forms too: a student answers about
# "العبارة" (the statement) with صحيحة / خاطئة.
TRUE_WORDS: frozenset[str] = frozenset(
    normalize(w) for w in ("t", "true", "y", "yes", "ص", "صح", "صحيح", "صحيحة", "صواب", "نعم")
)
FALSE_WORDS: frozenset[str] = frozenset(
    normalize(w) for w in ("f", "false", "n", "no", "خ", "خطأ", "خاطئ", "خاطئة", "غلط", "لا")
)


def parse_truth(text: str) -> bool | None:
    """True or false as a person types or writes it, or None if it is neither.

    English (t/true/y/yes, f/false/n/no, any case) and Arabic (ص/صح/صحيح/صحيحة/صواب/نعم,
    خ/خطأ/خاطئ/خاطئة/غلط/لا, with or without hamza and harakat). Used by `take`, `review` and
    answer sheets alike, so a student's صح means the same everywhere.
    """
    word = normalize(text) if isinstance(text, str) else ""
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def truth_word(value: bool, *, arabic: bool) -> str:
    """How feedback writes true or false: صح / خطأ for an Arabic question, else true / false."""
    if arabic:
        return "\u0635\u062d" if value else "\u062e\u0637\u0623"
    return "true" if value else "false"


# --- expected answers ------------------------------------------------------------------------


def _number(value: float) -> int | float:
    """An integral float as an int, so 2017 is shown and serialized as 2017, not 2017.0."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _cloze_answers(question: Cloze) -> list[str]:
    """One expected text per deletion number, c1 first; a number used twice joins its answers."""
    by_number: dict[int, list[str]] = {}
    for deletion in question.deletions:
        answers = by_number.setdefault(deletion.number, [])
        if deletion.answer not in answers:
            answers.append(deletion.answer)
    return [" ... ".join(by_number[n]) for n in sorted(by_number)]


def expected_answer(question: Question) -> Any:
    """What a right answer to `question` is, as a JSON-able value.

    card: the back; choice, short: the text; multi, order: a list of texts; truefalse: a bool;
    numeric: the number; cloze: a list with one text per deletion number, c1 first;
    match: a dict left -> right.
    """
    if isinstance(question, Card):
        return question.back
    if isinstance(question, Choice):
        return question.answer
    if isinstance(question, Multi):
        return list(question.answers)
    if isinstance(question, TrueFalse):
        return question.answer
    if isinstance(question, Short):
        return question.answer
    if isinstance(question, Numeric):
        return _number(question.answer)
    if isinstance(question, Cloze):
        return _cloze_answers(question)
    if isinstance(question, Order):
        return list(question.items)
    return {left: right for left, right in question.pairs}


def _is_arabic(texts: Sequence[str]) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for text in texts for ch in text)


def is_arabic(question: Question) -> bool:
    """Whether a question is written in Arabic (its prompt, or a cloze's text), so feedback on it
    speaks Arabic where it can (صح / خطأ)."""
    return _is_arabic([question.prompt or (question.text if isinstance(question, Cloze) else "")])


def _join(texts: Sequence[str]) -> str:
    """A list for a feedback line, with the Arabic comma between Arabic items."""
    return ("\u060c " if _is_arabic(texts) else ", ").join(texts)


def describe_expected(question: Question) -> str:
    """The right answer as one human-readable line, for feedback after a question."""
    if isinstance(question, Card):
        return question.back
    if isinstance(question, (Choice, Short)):
        return question.answer
    if isinstance(question, Multi):
        return _join(question.answers)
    if isinstance(question, TrueFalse):
        return truth_word(question.answer, arabic=is_arabic(question))
    if isinstance(question, Numeric):
        text = format_number(question.answer)
        if question.unit:
            text += f" {question.unit}"
        if question.tolerance:
            text += f" (± {format_number(question.tolerance)})"
        return text
    if isinstance(question, Cloze):
        return cloze_display(question.text, reveal=True)
    if isinstance(question, Order):
        return _join([f"{n}. {item}" for n, item in enumerate(question.items, 1)])
    return _join([f"{left} = {right}" for left, right in question.pairs])


# --- grading ---------------------------------------------------------------------------------


# Made by tuple.__new__ directly, which is what a NamedTuple's own __new__ calls after a Python-level
# call of its own (the same object): a sheet is graded a mark per question.
_new_mark = functools.partial(tuple.__new__, Mark)


def _mark(question: Question, points: float, detail: str = "") -> Mark:
    points = min(1.0, max(0.0, points))
    return _new_mark((points, points == 1.0, question, detail))


def _pick(text: object, options: Sequence[str]) -> int | None:
    """The index of the option a response names: its exact text, else its normalized text."""
    if not isinstance(text, str):
        return None
    if text in options:
        return options.index(text)
    wanted = normalize(text)
    if not wanted:
        return None
    for index, option in enumerate(options):
        if normalize(option) == wanted:
            return index
    return None


def _longest_increasing(indexes: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    import bisect

    tails: list[int] = []
    for value in indexes:
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def grade(question: Question, response: object, *, fuzzy: bool = True) -> Mark:
    """Grade one response; never raises.

    `response` is an answer-sheet value: card -> bool (knew it); choice -> the choice's text;
    multi -> list of chosen texts; truefalse -> bool; short -> str; numeric -> int, float or a
    str (digits of any script); cloze -> list of str, one per deletion number, c1 first;
    order -> list of the items in the order given; match -> dict left -> right. None means
    unanswered. Anything of another shape earns 0 points. Partial credit: docs/grading.md.
    """
    if response is None:
        return _mark(question, 0.0, "unanswered")
    try:
        return _grade(question, response, fuzzy)
    except (ValueError, TypeError, OverflowError, RecursionError):
        # A response too odd to compare (a huge integer, a self-referencing list) is not a
        # right answer; grading a class's sheets must not stop on one of them.
        return _mark(question, 0.0, "not an answer of the right kind")


def _grade(question: Question, response: object, fuzzy: bool) -> Mark:
    wrong_shape = "not an answer of the right kind"
    if isinstance(question, (Card, TrueFalse)):
        if not isinstance(response, bool):
            return _mark(question, 0.0, wrong_shape)
        right = response if isinstance(question, Card) else response == question.answer
        return _mark(question, 1.0 if right else 0.0)

    if isinstance(question, Choice):
        if not isinstance(response, str):
            return _mark(question, 0.0, wrong_shape)
        # Never fuzzy: a typo'd choice may be another choice. Normalized, so a sheet typed with
        # another hamza form still names the same choice.
        picked = _pick(response, question.choices)
        right = picked is not None and question.choices[picked] == question.answer
        return _mark(question, 1.0 if right else 0.0)

    if isinstance(question, Multi):
        if not isinstance(response, (list, tuple)):
            return _mark(question, 0.0, wrong_shape)
        positions = [_pick(text, question.choices) for text in response]
        picks = set(positions)
        right_choices = {question.choices.index(a) for a in question.answers if a in question.choices}
        unknown = positions.count(None)
        picks.discard(None)
        hits = len(picks & right_choices)
        misses = len(picks - right_choices) + unknown
        if not right_choices:
            return _mark(question, 1.0 if not picks and not unknown else 0.0)
        points = max(0.0, (hits - misses) / len(right_choices))
        detail = f"{hits} of {len(right_choices)} right"
        if misses:
            detail += f", {misses} wrong"
        return _mark(question, points, detail)

    if isinstance(question, Short):
        if not isinstance(response, str):
            return _mark(question, 0.0, wrong_shape)
        right = matches_text(response, (question.answer, *question.accept), fuzzy=fuzzy)
        return _mark(question, 1.0 if right else 0.0)

    if isinstance(question, Numeric):
        value: float | None
        if _is_number(response):
            value = float(response)  # type: ignore[arg-type]
        elif isinstance(response, str):
            value = parse_number(response, unit=question.unit)
        else:
            return _mark(question, 0.0, wrong_shape)
        if value is None or not math.isfinite(value):
            # nan and inf (a sheet's `nan`, `inf`, `1e400`) are never an answer, even to each other.
            return _mark(question, 0.0, "not a number")
        # A hair of slack so 0.1 + 0.2 style binary rounding never turns a right answer wrong.
        slack = question.tolerance + 1e-9 * max(1.0, abs(question.answer))
        right = abs(value - question.answer) <= slack
        return _mark(question, 1.0 if right else 0.0)

    if isinstance(question, Cloze):
        if not isinstance(response, (list, tuple)):
            return _mark(question, 0.0, wrong_shape)
        wanted = _cloze_answers(question)
        hits = sum(
            1
            for given, answer in zip(response, wanted, strict=False)
            if isinstance(given, str) and matches_text(given, (answer,), fuzzy=fuzzy)
        )
        return _mark(question, hits / len(wanted) if wanted else 0.0, f"{hits} of {len(wanted)} blanks right")

    if isinstance(question, Order):
        if not isinstance(response, (list, tuple)):
            return _mark(question, 0.0, wrong_shape)
        positions = [_pick(text, question.items) for text in response]
        indexes = [i for i in positions if i is not None]
        count = len(question.items)
        longest = _longest_increasing(indexes)
        # Longest ordered subset, counted from the second item: a reversed list earns nothing,
        # one item out of place costs one step, not every position after it. Entries that are
        # not items, or repeat one, cost a step too, so only the exact order earns full points.
        steps = max(0, longest - 1)
        if len(indexes) != len(positions) or len(set(indexes)) != len(indexes):
            steps = max(0, steps - 1)
        points = steps / (count - 1) if count > 1 else float(longest == count == len(positions))
        return _mark(question, points, f"{longest} of {count} in the right order")

    # Match
    if not isinstance(response, dict):
        return _mark(question, 0.0, wrong_shape)
    lefts = [left for left, _ in question.pairs]
    rights = [right for _, right in question.pairs]
    paired: dict[int, object] = {}
    for key, value in response.items():
        index = _pick(key, lefts)
        if index is not None:
            paired.setdefault(index, value)
    hits = sum(
        1
        for index, value in paired.items()
        if isinstance(value, str) and _pick(value, rights) == index
    )
    return _mark(question, hits / len(lefts), f"{hits} of {len(lefts)} pairs right")
