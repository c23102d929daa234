"""Source texts: the material a bank is derived from, its paragraphs, and where quotes occur in it.

A question's `source` is a verbatim quote of the sentence it comes from. `check_sources` looks
each quote up in the text and says which paragraph it comes from:

- exactly, with runs of whitespace (spaces, tabs, line breaks) folded to one space;
- else "loosely": ignoring harakat (Arabic vowel marks, shadda, sukun...), tatweel, invisible
  direction marks, and the style of quotation marks and dashes. Such a quote is real but not
  verbatim: it is reported as a warning that names the words that differ, never as missing;
- else it is missing, and the report says how far the quote does match.

A paragraph is a non-empty line ("lines"), or a block of lines between blank lines ("blocks").
"auto" picks blocks when the text has a blank line and a block of more than one line (a
hard-wrapped text), else lines.
"""

from __future__ import annotations

import bisect
import difflib
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from quizdeck.errors import Problem, UsageError
from quizdeck.files import FileError, read_text

if TYPE_CHECKING:
    from quizdeck.bank import Bank

ParagraphMode = Literal["auto", "lines", "blocks"]
PARAGRAPH_MODES: tuple[str, ...] = ("auto", "lines", "blocks")

#: Larger texts are refused before reading; no text a bank is derived from comes near it.
MAX_SOURCE_BYTES = 64 * 1024 * 1024

TATWEEL = "\u0640"
#: Characters a copy may gain or lose without being a different text: bidi and zero-width marks.
INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\ufeff"
)
#: Typographic and straight quotation marks: an author typing in an editor rarely has “ ” at hand.
QUOTATION_MARKS = frozenset("\"'“”„‟«»‘’‚‛‹›")
DASHES = frozenset("-‐‑‒–—―−")


def is_haraka(char: str) -> bool:
    """True for an Arabic combining mark: fatha, damma, kasra, tanween, shadda, sukun..."""
    code = ord(char)
    in_arabic = 0x0610 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0x08A0 <= code <= 0x08FF
    return in_arabic and unicodedata.category(char) == "Mn"


def _kind(char: str) -> str:
    """What a character ignored by the loose comparison is, as a message names it."""
    if is_haraka(char):
        return "harakat"
    if char == TATWEEL:
        return "tatweel"
    if char in QUOTATION_MARKS:
        return "quotation marks"
    if char in DASHES:
        return "dashes"
    if char in INVISIBLE:
        return "invisible marks"
    return "letters"


_KIND_ORDER = ("harakat", "tatweel", "quotation marks", "dashes", "invisible marks", "letters")


@dataclass(frozen=True)
class _Folded:
    """A text with whitespace folded (and, when loose, marks dropped), mapped back to the original.

    `origin[i]` is the offset in the original text of folded character i.
    """

    text: str
    origin: tuple[int, ...]


def _fold(text: str, loose: bool) -> _Folded:
    chars: list[str] = []
    origin: list[int] = []
    space_at: int | None = None
    for index, char in enumerate(text):
        if char.isspace():
            if chars and space_at is None:
                space_at = index
            continue
        if loose:
            if char == TATWEEL or char in INVISIBLE or is_haraka(char):
                continue
            if char in QUOTATION_MARKS:
                char = '"'
            elif char in DASHES:
                char = "-"
        if space_at is not None:
            chars.append(" ")
            origin.append(space_at)
            space_at = None
        chars.append(char)
        origin.append(index)
    if not loose:
        _order_marks(chars, origin)
    return _Folded("".join(chars), tuple(origin))


def _order_marks(chars: list[str], origin: list[int]) -> None:
    """Put each run of combining marks in canonical order, in place.

    Keyboards differ in typing shadda before or after fatha; Unicode counts both orders as one
    text, and so does the exact comparison. Sorting keeps the length, so `origin` stays valid.
    """
    start = 0
    while start < len(chars):
        if unicodedata.combining(chars[start]) == 0:
            start += 1
            continue
        end = start
        while end < len(chars) and unicodedata.combining(chars[end]) != 0:
            end += 1
        if end - start > 1:
            run = sorted(
                zip(chars[start:end], origin[start:end], strict=True),
                key=lambda pair: unicodedata.combining(pair[0]),
            )
            chars[start:end] = [c for c, _ in run]
            origin[start:end] = [o for _, o in run]
        start = end


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    position = haystack.find(needle)
    while position >= 0:
        found.append(position)
        position = haystack.find(needle, position + 1)
    return found


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a source text: its number (from 1), first line, and span in the text."""

    number: int
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote occurs in a source text.

    `status` is "exact" (whitespace folded), "loose" (differs only in harakat, tatweel, invisible
    marks or the style of quotation marks and dashes) or "missing". `paragraphs` lists every
    paragraph it occurs in (the first is the one it is attributed to); `spans` tells when one
    occurrence runs across paragraphs. `detail` says what differs (loose) or how far the quote
    matches (missing).
    """

    quote: str
    status: Literal["exact", "loose", "missing"]
    paragraphs: tuple[int, ...] = ()
    start: int | None = None
    end: int | None = None
    spans: tuple[int, ...] = ()
    detail: str = ""

    @property
    def found(self) -> bool:
        """True when the quote is in the text, verbatim or not."""
        return self.status != "missing"

    @property
    def paragraph(self) -> int | None:
        """The paragraph the quote is attributed to: where it first occurs."""
        return self.paragraphs[0] if self.paragraphs else None


class SourceText:
    """A text split into paragraphs, ready to look quotes up in."""

    def __init__(
        self, text: str, name: str = "<source>", paragraphs: ParagraphMode = "auto"
    ) -> None:
        if paragraphs not in PARAGRAPH_MODES:
            raise UsageError(
                f"paragraphs must be one of {', '.join(PARAGRAPH_MODES)}, not {paragraphs!r}"
            )
        self.text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        self.name = name
        self.mode: Literal["lines", "blocks"] = "lines"
        self.paragraphs = self._split(paragraphs)
        self._starts = [p.start for p in self.paragraphs]
        self._exact = _fold(self.text, loose=False)
        self._loose = _fold(self.text, loose=True)

    def _split(self, mode: ParagraphMode) -> tuple[Paragraph, ...]:
        lines: list[tuple[int, int, int]] = []  # (line number, start, end) of each non-blank line
        offset = 0
        for number, line in enumerate(self.text.split("\n"), 1):
            if line.strip():
                lines.append((number, offset, offset + len(line)))
            offset += len(line) + 1
        blocks: list[list[tuple[int, int, int]]] = []
        for entry in lines:
            if blocks and entry[0] == blocks[-1][-1][0] + 1:
                blocks[-1].append(entry)
            else:
                blocks.append([entry])
        if mode == "auto":
            mode = "blocks" if 1 < len(blocks) < len(lines) else "lines"
        self.mode = mode
        if mode == "lines":
            return tuple(
                Paragraph(n, line, start, end) for n, (line, start, end) in enumerate(lines, 1)
            )
        return tuple(
            Paragraph(n, block[0][0], block[0][1], block[-1][2])
            for n, block in enumerate(blocks, 1)
        )

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph holding the character at `offset` (or the last one before it)."""
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return self.paragraphs[index]

    def paragraph_text(self, number: int) -> str:
        """The text of paragraph `number` (from 1), as written."""
        paragraph = self.paragraphs[number - 1]
        return self.text[paragraph.start : paragraph.end]

    def find(self, quote: str) -> QuoteMatch:
        """Where `quote` occurs: exactly, loosely (marks and punctuation aside), or not at all."""
        exact = _fold(quote, loose=False).text
        if exact:
            hits = _occurrences(self._exact.text, exact)
            if hits:
                return self._match(quote, "exact", self._exact, hits, len(exact))
        loose = _fold(quote, loose=True).text
        if not loose:
            return QuoteMatch(quote, "missing", detail="the quote has no letters")
        hits = _occurrences(self._loose.text, loose)
        if hits:
            match = self._match(quote, "loose", self._loose, hits, len(loose))
            assert match.start is not None and match.end is not None
            return QuoteMatch(
                quote,
                "loose",
                match.paragraphs,
                match.start,
                match.end,
                match.spans,
                _describe_difference(quote, self.text[match.start : match.end]),
            )
        return QuoteMatch(quote, "missing", detail=self._near_miss(loose))

    def _match(
        self,
        quote: str,
        status: Literal["exact", "loose"],
        folded: _Folded,
        hits: list[int],
        length: int,
    ) -> QuoteMatch:
        paragraphs: list[int] = []
        spans: tuple[int, ...] = ()
        for hit in hits:
            origins = folded.origin[hit : hit + length]
            first = self.paragraph_at(min(origins)).number
            last = self.paragraph_at(max(origins)).number
            if first not in paragraphs:
                paragraphs.append(first)
            if last != first and not spans:
                spans = (first, last)
        origins = folded.origin[hits[0] : hits[0] + length]
        start, end = min(origins), max(origins) + 1
        if status == "loose":
            # Take in the marks that follow the last letter (a tanween, a shadda), to show the
            # word as the text writes it.
            while end < len(self.text) and _kind(self.text[end]) in (
                "harakat",
                "tatweel",
                "invisible marks",
            ):
                end += 1
        return QuoteMatch(quote, status, tuple(paragraphs), start, end, spans)

    def _find_words(self, words: str) -> int:
        """Where `words` first occur in the loose text ending at a word's end (or -1).

        "نص" is in "النصر", but a quote's word is not matched by part of a longer word.
        """
        text = self._loose.text
        for hit in _occurrences(text, words):
            after = hit + len(words)
            if after == len(text) or not text[after].isalnum():
                return hit
        return -1

    def _near_miss(self, loose_quote: str) -> str:
        """How far a missing quote matches: its longest run of first words, and what follows."""
        words = loose_quote.split(" ")
        low, high = 0, len(words)  # the first `low` words are found; the first `high + 1` are not
        while low < high:
            middle = (low + high + 1) // 2
            if self._find_words(" ".join(words[:middle])) >= 0:
                low = middle
            else:
                high = middle - 1
        if low == 0:
            return f"not even its first word, {_quoted(words[0])}, occurs in the text"
        prefix = " ".join(words[:low])
        hit = self._find_words(prefix)
        end = self._loose.origin[hit + len(prefix) - 1] + 1
        paragraph = self.paragraph_at(self._loose.origin[hit]).number
        following = " ".join(self.text[end:].split()[:2])
        quote_goes_on = " ".join(words[low : low + 2])
        counted = "its first word matches" if low == 1 else f"its first {low} words match"
        if not following:
            return (
                f"{counted} the end of paragraph {paragraph}, "
                f"where the quote goes on {_quoted(quote_goes_on)}"
            )
        return (
            f"{counted} paragraph {paragraph}, then the text has {_quoted(following)} "
            f"where the quote has {_quoted(quote_goes_on)}"
        )


def _quoted(text: str) -> str:
    """A passage quoted as TOML writes strings (so a quotation mark inside stays readable)."""
    return json.dumps(text, ensure_ascii=False)


def _describe_difference(quote: str, text: str) -> str:
    """What a loose match differs in, and the first differing words: `in harakat only: ...`."""
    quote_words = quote.split()
    text_words = text.split()
    changes: list[str] = []
    kinds: set[str] = set()
    matcher = difflib.SequenceMatcher(None, quote_words, text_words, autojunk=False)
    for tag, q1, q2, t1, t2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        ours, theirs = " ".join(quote_words[q1:q2]), " ".join(text_words[t1:t2])
        kinds.update(_differing_kinds(ours, theirs))
        if not ours:
            changes.append(f"the text has {_quoted(theirs)} where the quote has nothing")
        elif not theirs:
            changes.append(f"the quote has {_quoted(ours)} where the text has nothing")
        else:
            changes.append(f"the text has {_quoted(theirs)} where the quote has {_quoted(ours)}")
    if (
        not changes
    ):  # only the canonical order of marks differs, which the exact search already forgives
        return "in the order of its marks only"
    shown = "; ".join(changes[:3]) + (f"; and {len(changes) - 3} more" if len(changes) > 3 else "")
    named = [kind for kind in _KIND_ORDER if kind in kinds]
    what = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"in {what} only: {shown}"


def _differing_kinds(ours: str, theirs: str) -> set[str]:
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    kinds: set[str] = set()
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            kinds.update(_kind(c) for c in ours[a1:a2] + theirs[b1:b2] if not c.isspace())
    return kinds


def parse_source(
    text: str, name: str = "<source>", paragraphs: ParagraphMode = "auto"
) -> SourceText:
    """A SourceText from a string; `name` names it in messages."""
    return SourceText(text, name, paragraphs)


def load_source(path: str | Path, paragraphs: ParagraphMode = "auto") -> SourceText:
    """Read a UTF-8 source text; a UsageError saying what is wrong with the file otherwise."""
    path = Path(path)
    label = f"source text {path}"
    try:
        text = read_text(path, limit=MAX_SOURCE_BYTES, folder_hint="give the text file the bank quotes from")
    except FileError as error:
        raise UsageError(f"source text {error}") from None
    source = SourceText(text, str(path), paragraphs)
    if not source.paragraphs:
        raise UsageError(f"{label}: the file is empty; it needs the text the bank quotes from")
    return source


# --- checking a bank against a text ---------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSource:
    """A question's quote and where it was found; `match` is None for a question without one."""

    question_id: str
    index: int
    match: QuoteMatch | None

    @property
    def where(self) -> str:
        """How messages name the question's `source` key, as `quizdeck check` names keys."""
        return f'question "{self.question_id}" (#{self.index + 1}), key "source"'

    def describe(self) -> str:
        """Where the quote comes from, for `check --verbose`: "paragraph 7", "not found"..."""
        match = self.match
        if match is None:
            return "no source"
        if not match.found:
            return "not found"
        text = f"paragraph {match.paragraphs[0]}"
        if len(match.paragraphs) > 1:
            text = f"paragraphs {_numbers(match.paragraphs)}"
        elif match.spans:
            text = f"paragraphs {match.spans[0]} to {match.spans[1]}"
        return text + (" (not verbatim)" if match.status == "loose" else "")


@dataclass(frozen=True)
class SourceReport:
    """A bank's quotes checked against a source text."""

    source: SourceText
    questions: tuple[QuestionSource, ...]

    @property
    def found(self) -> tuple[QuestionSource, ...]:
        """Questions whose quote is in the text, verbatim or not."""
        return tuple(q for q in self.questions if q.match is not None and q.match.found)

    @property
    def covered(self) -> tuple[int, ...]:
        """Paragraphs some question's quote is attributed to, in order."""
        return tuple(sorted({q.match.paragraphs[0] for q in self.found if q.match is not None}))

    @property
    def uncovered(self) -> tuple[int, ...]:
        """Paragraphs no question's quote is attributed to."""
        covered = set(self.covered)
        return tuple(p.number for p in self.source.paragraphs if p.number not in covered)

    def paragraph_of(self, question_id: str) -> int | None:
        """The paragraph a question's quote is attributed to, or None."""
        for entry in self.questions:
            if entry.question_id == question_id and entry.match is not None:
                return entry.match.paragraph
        return None

    def problems(self, name: str) -> list[Problem]:
        """Every finding as a Problem of file `name`: missing quotes are errors, others warnings."""
        found: list[Problem] = []
        for entry in self.questions:
            match = entry.match
            if match is None:
                found.append(
                    Problem(
                        name,
                        'no source quote; add source = "..." with the sentence of '
                        "the text the question comes from",
                        entry.where,
                        severity="warning",
                    )
                )
            elif match.status == "missing":
                found.append(
                    Problem(
                        name, f"quote not found in {self.source.name}: {match.detail}", entry.where
                    )
                )
            else:
                if match.status == "loose":
                    found.append(
                        Problem(
                            name,
                            f"quote differs from the text {match.detail}",
                            entry.where,
                            severity="warning",
                        )
                    )
                if len(match.paragraphs) > 1:
                    found.append(
                        Problem(
                            name,
                            f"quote occurs in paragraphs {_and_list(match.paragraphs)}; "
                            "quote more of the sentence so it points to one place",
                            entry.where,
                            severity="warning",
                        )
                    )
                elif match.spans:
                    found.append(
                        Problem(
                            name,
                            f"quote runs across paragraphs {match.spans[0]} to "
                            f"{match.spans[1]}; quote from one paragraph",
                            entry.where,
                            severity="warning",
                        )
                    )
        if self.uncovered:
            count = len(self.uncovered)
            which = f"paragraph{'' if count == 1 else 's'} {_and_list(self.uncovered)}"
            found.append(
                Problem(
                    name,
                    f"{which} of {self.source.name} {'has' if count == 1 else 'have'} no question",
                    severity="warning",
                )
            )
        return found

    def summary(self) -> str:
        """`sources: 64 quotes found in 13 paragraphs; paragraphs without a question: 4`."""
        found = self.found
        loose = sum(1 for q in found if q.match is not None and q.match.status == "loose")
        missing = sum(1 for q in self.questions if q.match is not None and not q.match.found)
        unsourced = sum(1 for q in self.questions if q.match is None)
        covered = len(self.covered)
        text = f"sources: {_plural(len(found), 'quote')} found in {_plural(covered, 'paragraph')}"
        if loose:
            text += f" ({loose} not verbatim)"
        if missing:
            text += f", {missing} not found"
        if unsourced:
            text += f", {_plural(unsourced, 'question')} without a source"
        uncovered = _numbers(self.uncovered) if self.uncovered else "none"
        return f"{text}; paragraphs without a question: {uncovered}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _and_list(numbers: Sequence[int]) -> str:
    """1 / 1 and 3 / 1, 3 and 7."""
    if len(numbers) == 1:
        return str(numbers[0])
    return f"{_numbers(numbers[:-1])} and {numbers[-1]}"


def check_quotes(quotes: Iterable[tuple[str, str]], source: SourceText) -> SourceReport:
    """Look (question id, quote) pairs up in `source`; an empty quote: the question has none."""
    entries = tuple(
        QuestionSource(qid, index, source.find(quote) if quote.strip() else None)
        for index, (qid, quote) in enumerate(quotes)
    )
    return SourceReport(source, entries)


def check_sources(bank: Bank, source: SourceText) -> SourceReport:
    """Look every question's `source` quote of `bank` up in `source`."""
    return check_quotes(((q.id, q.source) for q in bank.questions), source)
