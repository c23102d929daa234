"""Loading and validating question banks.

A bank is one TOML file: a `[bank]` table and an array of `[[questions]]`. `load_bank` returns a
`Bank` or raises `BankError` carrying *every* problem found, each with the file, the line where it
can be found, the question and key it concerns, and what was expected.
"""

from __future__ import annotations

import difflib
import gc
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from quizdeck import media
from quizdeck.errors import MAX_PROBLEMS, BankError, Problem, UsageError, capped, more
from quizdeck.files import FileError, decode_text, read_bytes
from quizdeck.questions import (
    BANK_FIELDS,
    CLASSES,
    CLOZE_PATTERN,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    QUESTION_TYPES,
    Field,
    Question,
    fields_for,
    parse_deletions,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

#: Banks larger than this are refused before parsing: no real bank comes near it, and parsing a
#: runaway file would take the machine's memory with it.
MAX_BANK_BYTES = 64 * 1024 * 1024

#: Image files a question may name (what Anki and browsers display).
IMAGE_SUFFIXES = media.IMAGE_SUFFIXES

#: Primary language subtags written right to left, and scripts that are.
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"})
RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand"})
LTR_SCRIPTS = frozenset({"latn", "cyrl", "grek", "deva"})


def text_direction(language: str) -> str:
    """"rtl" or "ltr" for a BCP 47 tag: a script subtag decides, else the language does."""
    subtags = language.lower().split("-")
    for subtag in subtags[1:]:
        if subtag in RTL_SCRIPTS:
            return "rtl"
        if subtag in LTR_SCRIPTS:
            return "ltr"
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"


@dataclass(frozen=True)
class Bank:
    """A validated question bank."""

    id: str
    title: str
    language: str
    questions: tuple[Question, ...]
    description: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""
    fuzzy: bool = True
    path: Path | None = None
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update((q.id, q) for q in self.questions)

    @property
    def direction(self) -> str:
        """"rtl" for right-to-left languages, else "ltr"."""
        return text_direction(self.language)

    @property
    def folder(self) -> Path:
        """The folder relative paths in the bank (images) are resolved against."""
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def name(self) -> str:
        """How to name the bank in messages: its file, or its id."""
        return str(self.path) if self.path is not None else self.id

    def get(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return self._by_id.get(question_id)

    def question(self, question_id: str) -> Question:
        """The question with this id; a UsageError naming the closest ids if there is none."""
        found = self._by_id.get(question_id)
        if found is None:
            close = difflib.get_close_matches(question_id, list(self._by_id), n=3)
            hint = f"; did you mean {', '.join(_q(c) for c in close)}?" if close else ""
            raise UsageError(f"{self.name}: no question with id {_q(question_id)}{hint}")
        return found

    def fuzzy_for(self, question: Question) -> bool:
        """Whether typo tolerance applies to a question: its own setting, else the bank's."""
        return self.fuzzy if question.fuzzy is None else question.fuzzy

    def with_tag(self, tag: str) -> tuple[Question, ...]:
        """Questions carrying `tag` themselves or through the bank's tags."""
        if tag in self.tags:
            return self.questions
        return tuple(q for q in self.questions if tag in q.tags)


# --- reading -------------------------------------------------------------------------------


def read_bank_text(path: Path) -> str:
    """The text of a bank file; a BankError saying what is wrong with the file otherwise."""
    try:
        data = read_bytes(path, limit=MAX_BANK_BYTES, too_large_hint=": split it into several banks",
                          folder_hint="give a .toml file, or let `check` search the folder")
    except FileError as error:
        raise BankError([error.problem()]) from None
    return decode_bank_bytes(data, str(path))


def decode_bank_bytes(data: bytes, name: str = "<bank>") -> str:
    """Decode a bank's bytes as UTF-8 (a leading BOM is allowed); a BankError otherwise."""
    if not data.strip():
        raise BankError([Problem(name, "file is empty; a bank needs a [bank] table and [[questions]]")])
    try:
        return decode_text(data, name)
    except FileError as error:
        raise BankError([error.problem()]) from None


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


# What a teacher most likely did, for tomllib's terser messages.
_TOML_HINTS = {
    "Illegal character '\\n'": " (an unclosed string? end it with a quote on the same line, "
    "or use triple quotes \"\"\" for text over several lines)",
    "Unclosed array": " (a missing ']' or a missing comma between items?)",
    "Expected '=' after a key in a key/value pair": " (text must be quoted: key = \"value\")",
    "Invalid value": " (text must be in straight quotes \"...\", not “...” or «...»; true/false and numbers "
    "without)",
    "Cannot overwrite a value": " (a key given twice? give each key once in a table)",
    "Expected newline or end of document after a statement": " (a quote inside text? write it as \\\" or "
    "put the text in single quotes: 'he said \"hi\"')",
}
# tomllib names a table declared twice as a Python tuple: "Cannot declare ('questions',) twice".
_TOML_TWICE = re.compile(r"Cannot declare \((.*)\) twice")


def _table_twice(message: str) -> str:
    """tomllib's message for a table declared twice, in TOML's words, with the likely fix."""
    found = _TOML_TWICE.fullmatch(message)
    if found is None:
        return message
    name = ".".join(re.findall(r"'([^']*)'", found.group(1)))
    if name == "questions":
        return "[questions] declared twice (write each question as [[questions]], with two brackets)"
    return f"[{name}] declared twice (write each table once)"


#: Dotted keys of more parts are refused before tomllib reads the text: its time and memory grow
#: with the square of a key's parts (a key of 40,000 parts took 31 s and 6 GB). Banks and sheets
#: use keys of one or two parts.
MAX_KEY_PARTS = 16

# A key part: bare, "basic" or 'literal'. Possessive throughout, never backtracked into.
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
# MAX_KEY_PARTS dots with a key part between each two: a key of more than MAX_KEY_PARTS parts.
# A cheap linear filter run on every text (it starts only at a dot, and looks at most
# MAX_KEY_PARTS parts ahead; 0.5% of tomllib's time on the bundled banks); a hit is confirmed by
# `_long_key`, which knows where strings and comments are.
_LONG_KEY = re.compile(rf"\.(?:[ \t]*+{_KEY_PART}[ \t]*+\.){{{MAX_KEY_PARTS - 1}}}")
# TOML's tokens, as far as finding dotted keys outside strings and comments needs.
_TOML_TOKEN = re.compile(
    r'(?P<part>"""(?:[^"\\]|\\.|"(?!""))*+"""'
    r"|'''(?:[^']|'(?!''))*+'''"
    r'|"(?:[^"\\\n]|\\.)*+"'
    r"|'[^'\n]*+'"
    r"|[A-Za-z0-9_+:-]++)"
    r"|(?P<dot>[ \t]*+\.[ \t]*+)"
    r"|(?P<other>#[^\n]*+|[^\"'#A-Za-z0-9_+:.-]++|.)",
    re.DOTALL,
)


def _long_key(text: str) -> tuple[int, int] | None:
    """Where the first dotted key of more than MAX_KEY_PARTS parts starts, and its parts; one pass."""
    parts = 0
    start = 0
    dotted = False
    for token in _TOML_TOKEN.finditer(text):
        kind = token.lastgroup
        if kind == "part":
            if dotted:
                parts += 1
            else:
                if parts > MAX_KEY_PARTS:
                    return start, parts
                parts, start = 1, token.start()
            dotted = False
        elif kind == "dot" and parts and not dotted:
            dotted = True
        else:
            if parts > MAX_KEY_PARTS:
                return start, parts
            parts, dotted = 0, False
    return (start, parts) if parts > MAX_KEY_PARTS else None


def check_toml_shape(text: str, name: str) -> None:
    """A BankError, with line and column, for TOML that would cost tomllib more than linear time."""
    if _LONG_KEY.search(text) is None:
        return
    found = _long_key(text)
    if found is None:
        return
    offset, parts = found
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    raise BankError([Problem(name, f"a dotted key of {parts:,} parts (the limit is {MAX_KEY_PARTS}); "
                                   "no bank or sheet nests keys this deep", line=line, column=column)])


def parse_toml(text: str, name: str = "<bank>") -> dict[str, Any]:
    """Parse TOML text; a BankError with line and column for a syntax error.

    The text's shape is checked first (`check_toml_shape`), so tomllib is never given a text that
    would take it super-linear time or memory to read.
    """
    check_toml_shape(text, name)
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = column = None
        at_end = ""
        found = _TOML_POSITION.search(message)
        if found:
            line, column = int(found.group(1)), int(found.group(2))
            message = message[: found.start()]
        elif _TOML_END.search(message):
            line = text.count("\n") + 1
            message, at_end = _TOML_END.sub("", message), " at the end of the file"
        # The hint belongs to tomllib's message wherever the mistake is: an array left open on the
        # last line is as likely as one left open in the middle.
        hint = _TOML_HINTS.get(message, "")
        message = _table_twice(message)
        raise BankError([Problem(name, f"TOML syntax error: {message}{at_end}{hint}", line=line,
                                 column=column)]) from None
    except RecursionError:
        raise BankError([Problem(name, "TOML nested too deeply to be a bank")]) from None


def load_bank(path: str | Path) -> Bank:
    """Load and validate a bank file; raise BankError with every problem found."""
    path = Path(path)
    text = read_bank_text(path)
    return parse_bank(text, path)


def parse_bank(text: str, path: str | Path | None = None) -> Bank:
    """Validate bank text; `path` names it in messages and anchors relative image paths."""
    name = str(path) if path is not None else "<bank>"
    data = parse_toml(text, name)
    bank, validator = _validate(data, name, path)
    if validator.problems:
        # Only the problems shown are located: locating is a scan of the text per problem.
        shown = validator.problems[:MAX_PROBLEMS]
        problems = sorted(_Locator(text).place(shown, name), key=lambda p: p.line or 0)
        rest = len(validator.problems) - len(shown)
        raise BankError([*problems, more(name, rest)] if rest else problems)
    assert bank is not None
    return bank


def bank_from_data(data: dict[str, Any], path: str | Path | None = None) -> Bank:
    """Validate a bank document already in memory (as tomllib returns it): what `parse_bank` does after
    parsing, for code that builds a bank's tables itself (import). Problems carry no line numbers;
    the lists of questions in `data` are left as they were."""
    name = str(path) if path is not None else "<bank>"
    data = {**data, "questions": list(data["questions"])} if isinstance(data.get("questions"), list) else data
    bank, validator = _validate(data, name, path)
    if validator.problems:
        raise BankError(capped([Problem(name, p.message, where=p.where) for p in validator.problems], name))
    assert bank is not None
    return bank


def _validate(data: dict[str, Any], name: str, path: str | Path | None) -> tuple[Bank | None, _Validator]:
    """The bank `data` describes (None when it has problems), and the validator holding the problems."""
    validator = _Validator(name, Path(path) if path is not None else None)
    # Validation makes a few objects per question and no reference cycles; the cyclic collector's
    # passes over the whole parsed document would cost a third of its time on a large bank.
    with paused_collector():
        bank = validator.bank(data)
    return bank, validator


@contextmanager
def paused_collector() -> Iterator[None]:
    """The cyclic garbage collector paused for a while, and restored as it was.

    Loading, exporting and grading make many small objects and no reference cycles; each of the
    collector's passes would walk the whole loaded bank again, for nothing (reference counting
    still frees everything as usual).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def find_bank_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and `*.toml` files found below folders named, in order; UsageError for a missing path."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.toml") if p.is_file()))
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


def check_banks(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Bank | None, list[Problem]]]:
    """Load each bank below `paths`, yielding it (or None) with the problems found in it."""
    for path in find_bank_files(paths):
        try:
            yield path, load_bank(path), []
        except BankError as error:
            yield path, None, error.problems


# --- validation ----------------------------------------------------------------------------


def _describe(value: object) -> str:
    """How a TOML value's type reads in a message."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {_q(shown)}" if value.strip() else "an empty string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _q(value: object) -> str:
    """A value quoted the way TOML writes strings, Arabic left readable."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


_ID = re.compile(ID_PATTERN)
# What is left of a deletion the cloze pattern did not take: "{{c1:x}}", "{{ c1::", "{{x::y".
# Each "{{" looks no further than the next brace, so the scan stays linear.
_STRAY_DELETION = re.compile(r"\{\{\s*c\d*\s*:?|\{\{[^{}]*::")
_LANGUAGE = re.compile(LANGUAGE_PATTERN)

# Each checker returns (converted value, None) or (None, what was expected).
Checker = Callable[[Any], tuple[Any, str | None]]


def _check_text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip():
        return value, None
    return None, f"expected non-empty text, got {_describe(value)}"


def _check_id(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and _ID.fullmatch(value):
        return value, None
    if isinstance(value, str):
        return None, (f"{_q(value)} is not a valid id: use lowercase letters, digits and '-' "
                      "(like \"victory-year\")")
    return None, f"expected an id string like \"victory-year\", got {_describe(value)}"


def _check_bool(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    hint = " (write true or false without quotes)" if isinstance(value, str) and value in ("true", "false") else ""
    return None, f"expected true or false, got {_describe(value)}{hint}"


def _check_number(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"expected a finite number, got {value}"
        return value, None
    hint = " (write the number without quotes)" if isinstance(value, str) else ""
    return None, f"expected a number, got {_describe(value)}{hint}"


def _check_nonnegative(value: Any) -> tuple[Any, str | None]:
    number, problem = _check_number(value)
    if problem is None and number < 0:
        return None, f"expected a number >= 0, got {number}"
    return number, problem


def _text_items(value: Any) -> tuple[tuple[str, ...] | None, str | None]:
    if not isinstance(value, list):
        return None, f"expected an array of texts, got {_describe(value)}"
    for position, item in enumerate(value, 1):
        if not _is_text(item):
            return None, f"item {position}: expected non-empty text, got {_describe(item)}"
    return tuple(value), None


def _check_texts(value: Any) -> tuple[Any, str | None]:
    return _text_items(value)


def _check_distinct_texts(value: Any) -> tuple[Any, str | None]:
    items, problem = _text_items(value)
    if items is None:
        return None, problem
    if len(items) < 2:
        return None, f"expected at least 2 items, got {len(items)}"
    duplicate = first_duplicate(items)
    if duplicate is not None:
        return None, f"{_q(duplicate)} appears twice; every item must be different"
    return items, None


def _check_pairs(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, f"expected an array of [left, right] pairs, got {_describe(value)}"
    if len(value) < 2:
        return None, f"expected at least 2 pairs, got {len(value)}"
    pairs = []
    for position, item in enumerate(value, 1):
        if not (isinstance(item, list) and len(item) == 2 and _is_text(item[0]) and _is_text(item[1])):
            return None, f"pair {position}: expected [\"left\", \"right\"] (two non-empty texts), got {_describe(item)}"
        pairs.append((item[0], item[1]))
    for side, label in ((0, "left"), (1, "right")):
        duplicate = first_duplicate([p[side] for p in pairs])
        if duplicate is not None:
            return None, f"the {label} item {_q(duplicate)} appears twice; every {label} item must be different"
    return tuple(pairs), None


def _check_language(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and _LANGUAGE.fullmatch(value):
        return value, None
    return None, f"expected a BCP 47 language tag like \"ar\" or \"en-GB\", got {_describe(value)}"


def _check_type(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value in QUESTION_TYPES:
        return value, None
    close = difflib.get_close_matches(str(value), QUESTION_TYPES, n=1) if isinstance(value, str) else []
    hint = f"; did you mean {_q(close[0])}?" if close else ""
    return None, f"expected one of {', '.join(QUESTION_TYPES)}, got {_describe(value)}{hint}"


def _check_path(value: Any) -> tuple[Any, str | None]:
    if not _is_text(value):
        return None, f"expected a relative file path, got {_describe(value)}"
    reason = media.check_name(value)
    if reason:
        return None, reason
    return str(PurePosixPath(value.replace("\\", "/"))), None


CHECKERS: dict[str, Checker] = {
    "id": _check_id,
    "text": _check_text,
    "bool": _check_bool,
    "number": _check_number,
    "nonnegative": _check_nonnegative,
    "texts": _check_texts,
    "distinct-texts": _check_distinct_texts,
    "pairs": _check_pairs,
    "language": _check_language,
    "type": _check_type,
    "path": _check_path,
}


def first_duplicate(items: Iterable[str]) -> str | None:
    """The first item that appears a second time, or None."""
    seen: set[str] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


@dataclass(frozen=True)
class _Spec:
    """The keys of one kind of table, precomputed once for the loader's per-question loop."""

    fields: dict[str, Field]
    required: frozenset[str]
    #: Each key's checker, looked up once per key rather than through its kind.
    checkers: dict[str, Checker]
    #: The required keys a question keeps once its "type" has chosen its class.
    required_values: frozenset[str]

    @classmethod
    def of(cls, fields: Iterable[Field]) -> _Spec:
        listed = tuple(fields)
        required = frozenset(f.name for f in listed if f.required)
        return cls({f.name: f for f in listed}, required, {f.name: CHECKERS[f.kind] for f in listed},
                   required - {"type"})


_QUESTION_SPECS: dict[str, _Spec] = {t: _Spec.of(fields_for(t)) for t in QUESTION_TYPES}
_BANK_SPEC = _Spec.of(BANK_FIELDS)
COMMON_ID_DOC = _QUESTION_SPECS["card"].fields["id"].doc
#: Which types take each question key, for "it belongs to ..." hints.
_ALL_QUESTION_KEYS = {
    name: [t for t, s in _QUESTION_SPECS.items() if name in s.fields]
    for spec in _QUESTION_SPECS.values()
    for name in spec.fields
}


def _question_label(table: dict[str, Any], index: int) -> str:
    """How messages name a question: by its id when it has one, and by its position."""
    qid = table.get("id")
    return f"question {_q(qid)} (#{index + 1})" if isinstance(qid, str) else f"question #{index + 1}"


def _bank_label() -> str:
    return "[bank]"


@dataclass
class _Pending:
    """A problem before its line is known: `question` is the index, `key` the key it concerns."""

    message: str
    where: str = ""
    question: int | None = None
    key: str | None = None
    section: str | None = None  # "bank" for the [bank] table


class _Validator:
    def __init__(self, name: str, path: Path | None) -> None:
        self.name = name
        self.path = path
        self.problems: list[_Pending] = []

    def add(self, message: str, where: str = "", question: int | None = None, key: str | None = None,
            section: str | None = None) -> None:
        self.problems.append(_Pending(message, where, question, key, section))

    def bank(self, data: dict[str, Any]) -> Bank | None:
        for key in data:
            if key not in ("bank", "questions"):
                close = difflib.get_close_matches(key, ["bank", "questions"], n=1)
                hint = f"; did you mean [{close[0]}]?" if close else " (a bank has only [bank] and [[questions]])"
                self.add(f"unknown top-level key {_q(key)}{hint}", key=key)
        header = data.get("bank")
        values: dict[str, Any] = {}
        if header is None:
            self.add("missing the [bank] table (with id, title and language)")
        elif not isinstance(header, dict):
            self.add(f"'bank' must be a table [bank], got {_describe(header)}", key="bank")
        else:
            misplaced = "questions" in header
            if misplaced:
                # In TOML a key written after [bank] belongs to [bank]: `questions = [...]` below the
                # header is no list of questions, and "no questions" would be a second, wrong message.
                self.add('"questions" is a key of [bank] here: in TOML every key written after [bank] belongs '
                         "to it; write each question as a [[questions]] table, or move `questions = [...]` "
                         "above [bank]", _bank_label(), None, "questions", "bank")
                header = {key: value for key, value in header.items() if key != "questions"}
            values, _ = self.table(header, _BANK_SPEC, _bank_label, None, "bank")
            if misplaced and "questions" not in data:
                return None
        questions = self.questions(data.get("questions"))
        if self.problems or not values:
            return None
        return Bank(questions=questions, path=self.path, **values)

    def table(self, table: dict[str, Any], spec: _Spec, where: Callable[[], str], index: int | None,
              section: str | None = None, type_name: str | None = None) -> tuple[dict[str, Any], bool]:
        """Check a table's keys against a spec: the values that are right, and whether all are.

        `where` names the table in messages; it is called only when there is a problem to report.
        """
        before = len(self.problems)
        values: dict[str, Any] = {}
        suggested: set[str] = set()
        checkers = spec.checkers
        for key, value in table.items():
            checker = checkers.get(key)
            if checker is None:
                if len(self.problems) >= MAX_PROBLEMS:
                    # Beyond the problems shown only the count matters: no message (difflib over
                    # every field made a bank of 16,000 misspelt keys 1.6x slower to refuse), and a
                    # typo still stands for the missing required key it resembles, as below; a key of
                    # another type stands for none, as in `unknown_key`.
                    missing = spec.required - table.keys()
                    if missing and not (type_name and key in _ALL_QUESTION_KEYS):
                        suggested.update(difflib.get_close_matches(key, sorted(missing), n=1, cutoff=0.6))
                    self.add("", "", index, key, section)
                    continue
                message, suggestion = self.unknown_key(key, spec, type_name)
                self.add(message, where(), index, key, section)
                if suggestion:
                    suggested.add(suggestion)
                continue
            converted, problem = checker(value)
            if problem is not None:
                self.add(problem, f"{where()}, key {_q(key)}", index, key, section)
            else:
                values[key] = converted
        if not table.keys() >= spec.required:
            # A misspelt key already says "did you mean ...?"; saying the right one is missing adds nothing.
            for key in sorted(spec.required - table.keys() - suggested):
                self.add(f"missing required key {_q(key)} ({spec.fields[key].doc})", where(), index, None, section)
        return values, len(self.problems) == before

    @staticmethod
    def unknown_key(key: str, spec: _Spec, type_name: str | None) -> tuple[str, str | None]:
        """The message for a key the spec lacks, and the key it is probably a typo of."""
        message = f"unknown key {_q(key)}"
        owners = _ALL_QUESTION_KEYS.get(key)
        if type_name and owners:
            return f"{message}: type {_q(type_name)} has no {_q(key)} (it belongs to {', '.join(owners)})", None
        close = difflib.get_close_matches(key, list(spec.fields), n=1, cutoff=0.6)
        if close:
            return f"{message}; did you mean {_q(close[0])}?", close[0]
        return f"{message}; allowed keys are {', '.join(spec.fields)}", None

    def questions(self, raw: Any) -> tuple[Question, ...]:
        if raw is None:
            self.add("the bank has no questions; add at least one [[questions]] table")
            return ()
        if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
            self.add(f"'questions' must be an array of tables [[questions]], got {_describe(raw)}", key="questions")
            return ()
        if not raw:
            self.add("the bank has no questions; add at least one [[questions]] table")
        built: list[Question] = []
        first_index: dict[str, int] = {}
        for index, table in enumerate(raw):
            qid = table.get("id")
            if isinstance(qid, str):
                if qid in first_index:
                    first = first_index[qid] + 1
                    self.add(f"duplicate id {_q(qid)}: question #{first} already uses it; ids must be unique",
                             _question_label(table, index), index, "id")
                else:
                    first_index[qid] = index
            question = self.question(table, index)
            if question is not None:
                built.append(question)
            # The question shares the table's strings; dropping the table now keeps the parsed
            # document and the validated bank from being held in memory whole at the same time.
            raw[index] = None
        return tuple(built)

    def question(self, table: dict[str, Any], index: int) -> Question | None:
        qtype = table.get("type")
        if not isinstance(qtype, str) or qtype not in _QUESTION_SPECS:
            label = _question_label(table, index)
            if "id" not in table:
                self.add(f"missing required key \"id\" ({COMMON_ID_DOC})", label, index)
            elif (problem := _check_id(table["id"])[1]) is not None:
                self.add(problem, f"{label}, key \"id\"", index, "id")
            if "type" not in table:
                self.add(f"missing required key \"type\" (one of {', '.join(QUESTION_TYPES)})", label, index)
            else:
                self.add(_check_type(qtype)[1] or "", f"{label}, key \"type\"", index, "type")
            return None
        spec = _QUESTION_SPECS[qtype]
        where = partial(_question_label, table, index)
        values, ok = self.table(table, spec, where, index, type_name=qtype)
        values.pop("type")
        # Cross-key checks run whenever the keys they read are right, so one run reports them too.
        if values.keys() >= spec.required_values:
            ok = self.semantics(qtype, values, where, index) and ok
        return CLASSES[qtype](**values) if ok else None

    def semantics(self, qtype: str, values: dict[str, Any], where: Callable[[], str], index: int) -> bool:
        """Checks across keys of one question; converts what needs converting. False if wrong."""
        before = len(self.problems)

        def fail(key: str, message: str) -> None:
            self.add(message, f"{where()}, key {_q(key)}", index, key)

        if qtype == "choice" and values["answer"] not in values["choices"]:
            fail("answer", f"{_q(values['answer'])} is not one of the choices "
                           f"({', '.join(_q(c) for c in values['choices'])}); copy it exactly")
        elif qtype == "multi":
            answers = values["answers"]
            if not answers:
                fail("answers", "expected at least one correct choice, got an empty array")
            for answer in answers:
                if answer not in values["choices"]:
                    fail("answers", f"{_q(answer)} is not one of the choices "
                                    f"({', '.join(_q(c) for c in values['choices'])}); copy it exactly")
            duplicate = first_duplicate(answers)
            if duplicate is not None:
                fail("answers", f"{_q(duplicate)} appears twice")
        elif qtype == "cloze":
            self.cloze(values, fail)
        elif qtype == "short" and values["answer"] in values.get("accept", ()):
            fail("accept", f"{_q(values['answer'])} is already the answer; list only other accepted answers")
        image = values.get("image")
        if image and self.path is not None:
            try:
                media.resolve_image(self.path.parent, image)
            except media.MediaError as refused:
                fail("image", str(refused))
        return len(self.problems) == before

    @staticmethod
    def cloze(values: dict[str, Any], fail: Callable[[str, str], None]) -> None:
        text = values["text"]
        deletions = parse_deletions(text)
        leftover = CLOZE_PATTERN.sub("", text)
        stray = _STRAY_DELETION.search(leftover)
        if stray:
            fail("text", f"malformed deletion near {_q(leftover[stray.start():stray.start() + 20])}; "
                         "write {{c1::answer}} or {{c1::answer::hint}}")
        if not deletions:
            # Said only when no deletion was attempted: "{{c1:x}}" is malformed, not missing.
            if not stray:
                fail("text", "a cloze needs at least one deletion like {{c1::answer}}")
            return
        numbers = [d.number for d in deletions]
        duplicate = first_duplicate(str(n) for n in numbers)
        if duplicate is not None:
            fail("text", f"deletion c{duplicate} is used twice; number each deletion once (c1, c2, ...)")
        expected = list(range(1, len(set(numbers)) + 1))
        if sorted(set(numbers)) != expected:
            fail("text", f"deletions are numbered {', '.join(f'c{n}' for n in sorted(set(numbers)))}; "
                         f"number them c1 to c{len(expected)} without gaps")
        for deletion in deletions:
            if not deletion.answer:
                fail("text", f"deletion c{deletion.number} is empty; put the answer after 'c{deletion.number}::'")
        values["deletions"] = tuple(sorted(deletions, key=lambda d: d.number))


# --- locating problems in the text ---------------------------------------------------------

_QUESTION_HEADER = re.compile(r"^\s*\[\[\s*questions\s*\]\]")
_BANK_HEADER = re.compile(r"^\s*\[\s*bank\s*\]")
_ANY_HEADER = re.compile(r"^\s*\[")


class _Locator:
    """Finds the line of a question or key, by scanning for table headers (only on failure)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.question_lines: list[int] = []
        self.bank_line: int | None = None
        for number, line in enumerate(self.lines):
            if _QUESTION_HEADER.match(line):
                self.question_lines.append(number)
            elif _BANK_HEADER.match(line):
                self.bank_line = number

    def place(self, pending: list[_Pending], name: str) -> list[Problem]:
        return [self.problem(p, name) for p in pending]

    def problem(self, pending: _Pending, name: str) -> Problem:
        start: int | None = None
        if pending.section == "bank":
            start = self.bank_line
            if start is None:
                # A [bank] written inline (`bank = {...}`) or as dotted keys (`bank.title = ...`):
                # its first line.
                found = self.key_line(-1, "bank", top_level=True)
                return Problem(name, pending.message, where=pending.where,
                               line=found + 1 if found is not None else None)
        elif pending.question is not None and pending.question < len(self.question_lines):
            start = self.question_lines[pending.question]
        line = None
        if start is not None:
            line = start + 1
            if pending.key is not None:
                found = self.key_line(start, pending.key)
                if found is None and pending.section == "bank":
                    found = self.inner_table_line("bank", pending.key)
                line = found + 1 if found is not None else line
        elif pending.key is not None and pending.question is None:
            found = self.key_line(-1, pending.key, top_level=True)
            line = found + 1 if found is not None else None
        return Problem(name, pending.message, where=pending.where, line=line)

    def inner_table_line(self, table: str, key: str) -> int | None:
        """The line of a header naming a table inside `table`: `[bank.extra]`, `[[bank.questions]]`."""
        pattern = re.compile(r"^\s*\[+\s*" + re.escape(table) + r"\s*\.\s*([\"']?)" + re.escape(key) + r"\1\s*[\].]")
        return next((number for number, line in enumerate(self.lines) if pattern.match(line)), None)

    def key_line(self, start: int, key: str, top_level: bool = False) -> int | None:
        pattern = re.compile(r"^\s*([\"']?)" + re.escape(key) + r"\1\s*[=.]")
        for number in range(start + 1, len(self.lines)):
            line = self.lines[number]
            if _ANY_HEADER.match(line) and not top_level:
                return None
            # At the top level a table may be named by a header of its own or of a table inside it.
            if pattern.match(line) or (top_level and re.match(r"^\s*\[+\s*" + re.escape(key) + r"\s*[\].]", line)):
                return number
        return None
