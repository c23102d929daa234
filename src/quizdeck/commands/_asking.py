"""Asking one question in the terminal, as `quizdeck take` does; reusable by other commands.

    from quizdeck.commands._asking import SKIP, Screen, ask, show_feedback

    screen = Screen.for_bank(bank, console, mode)     # mode: rtl.resolve_mode(option, os.environ)
    response = ask(question, screen)                 # an answer-sheet value, or SKIP
    if response is not SKIP:
        mark = grading.grade(question, response, fuzzy=bank.fuzzy_for(question))
        show_feedback(screen, question, response, mark)

`ask` shows the question (prompt, labelled choices, how to answer), then reads plain lines until
it gets a valid answer: `?` shows the hint (`screen.hints_shown` remembers which questions had
one), `-` skips, anything it cannot read is explained and asked again, never counted. The
response has the type an answer sheet gives for the question (see quizdeck.sheet): card bool,
choice str, multi list[str], truefalse bool, short str, numeric str (as typed), cloze list[str],
order list[str], match dict[str, str]. Reading raises EOFError (Ctrl-D) and KeyboardInterrupt
(Ctrl-C) unchanged: the caller decides how a session ends.

Input is read with a plain ASCII prompt ("> ") on its own line, never with rich's Prompt (it
redraws the line and erases the question when backspacing over Arabic); in visual mode, for a
right-to-left bank, with the line editor (quizdeck.commands._editor), which draws the line shaped
and in reading order as it is typed. The answer is echoed back in the display mode.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

from quizdeck import rtl
from quizdeck.grading import Mark, describe_expected, is_arabic, normalize, parse_number, parse_truth, truth_word
from quizdeck.questions import (
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
    cloze_display,
)

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console
    from rich.text import Text

    from quizdeck.bank import Bank

PROMPT: Final = "> "
SKIP_KEY: Final = "-"
HINT_KEY: Final = "?"

YES_WORDS: Final = frozenset({"y", "yes", "ن", "نعم"})
NO_WORDS: Final = frozenset({"n", "no", "ل", "لا"})

# Separators between labels: spaces, commas (Latin and Arabic), semicolons.
_SEPARATORS = re.compile(r"[\s,،;؛]+")


class _Skip:
    """The answer to a skipped question (a singleton: compare with `is SKIP`)."""

    _instance: _Skip | None = None

    def __new__(cls) -> _Skip:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SKIP"


SKIP: Final = _Skip()


class Screen:
    """Where a quiz is shown and read: a rich console, the bank's direction and the display mode.

    Content (prompts, choices, answers) is wrapped to the console width and, in visual mode,
    reshaped and reordered by `rtl.display_lines`; interface text (progress, instructions) is
    plain left-to-right ASCII. `read` is the line reader (default: `input`, with readline when
    the caller imported it).
    """

    def __init__(
        self,
        console: Console,
        *,
        direction: str,
        mode: rtl.Mode,
        read: Callable[[str], str] = input,
        folder: Path | None = None,
        wrap_ui: bool = False,
    ) -> None:
        self.console = console
        self.direction = direction
        self.mode = mode
        self._read = read
        self.hints_shown: set[str] = set()
        #: Where a question's `image` is found (the bank's folder).
        self.folder = folder
        #: Whether `ui` wraps interface lines on spaces itself (take), or leaves long ones to
        #: the terminal, whole (review's one-line card headers, which its tests read as such).
        self.wrap_ui = wrap_ui
        #: The lines shown while `batched` is in effect, printed when it ends.
        self._batch: list[Text] | None = None

    @contextlib.contextmanager
    def batched(self) -> Iterator[None]:
        """Print what is shown meanwhile at once, when the block ends: each print through rich
        costs about a tenth of a millisecond, and a summary of a hundred missed questions is four
        hundred lines. The output is the same as line by line."""
        from rich.console import Group

        self._batch = []
        try:
            yield
        finally:
            batch, self._batch = self._batch, None
            if batch:
                # crop=False as content lines are printed; interface lines are wrapped to the width.
                self.console.print(Group(*batch), crop=False)

    def _show(self, text: Text, *, content: bool) -> None:
        """Print one line (or, for interface text, lines) now, or keep it for the batch."""
        if self._batch is None:
            if content:
                self.console.print(text, no_wrap=True, overflow="ignore", crop=False)
            else:
                self.console.print(text, no_wrap=False)
            return
        # The same options, carried by the text itself (they take precedence over the print's); a
        # line shown with the same options as the one before joins it, as one more line of it.
        from rich.text import Text

        batch = self._batch
        if batch and batch[-1].no_wrap is content:
            batch[-1].append("\n")
            batch[-1].append(text)
            return
        joined = Text(no_wrap=content, overflow="ignore" if content else None)
        joined.append(text)
        batch.append(joined)

    @classmethod
    def for_bank(
        cls,
        bank: Bank,
        console: Console,
        mode: rtl.Mode,
        read: Callable[[str], str] = input,
        *,
        wrap_ui: bool = False,
    ) -> Screen:
        """A screen for a bank's questions. Typed answers to a right-to-left bank in visual mode are
        read with the line editor (quizdeck.commands._editor), which draws them joined and in
        reading order as they are typed, when `read` is `input` and both ends are a terminal."""
        import sys

        typing_arabic = mode == "visual" and bank.direction == "rtl"
        if read is input and typing_arabic and console.is_terminal and sys.stdin.isatty():
            from quizdeck.commands._editor import LineEditor

            read = LineEditor(console.file).read
        return cls(console, direction=bank.direction, mode=mode, read=read, folder=bank.folder, wrap_ui=wrap_ui)

    @property
    def width(self) -> int:
        return max(20, self.console.width)

    def labels(self, count: int) -> list[str]:
        """Labels for `count` options, in the bank's script."""
        return rtl.label_set(self.direction, count)

    def content(self, text: str, *, style: str = "", indent: str = "", label: str = "") -> None:
        """Show text from the bank (wrapped, and reordered in visual mode).

        `label` (like "b) ") starts the first line; the lines it wraps onto are indented by its
        width, so a long choice stays under its own text, not under the label.
        """
        from rich.text import Text

        visual = self.direction == "rtl" and self.mode == "visual"
        hang = " " * rtl.text_width(label)
        width = self.width - len(indent) - len(hang)
        first = True
        for line in text.splitlines() or [""]:
            for wrapped in rtl.wrap(line, width):
                if visual:
                    # Right-aligned, the indent mirrored as a right margin and the label on the
                    # right; continuation lines end where the first line's text does.
                    if first:
                        shown_line = rtl.visual_line(label + wrapped, self.width - len(indent), self.direction)
                    else:
                        shown_line = rtl.visual_line(wrapped, width, self.direction)
                        shown_line = shown_line + hang if shown_line else ""
                else:
                    shown_line = indent + (label if first else hang) + rtl.display_lines(
                        wrapped, width, self.direction, self.mode
                    )[0]
                first = False
                self._show(Text(shown_line, style=style), content=True)

    def ui(self, text: str, *, style: str = "") -> None:
        """Show interface text (left to right; Arabic in it, like labels, reordered in visual mode)."""
        from rich.text import Text

        if not self.wrap_ui:
            if self.mode == "visual" and rtl.has_rtl(text):
                text = "\n".join(rtl.display_lines(text, self.width, "ltr", "visual"))
            self._show(Text(text, style=style), content=False)
            return
        # Wrapped here, on spaces: left to the terminal (the console soft-wraps), a narrow one
        # would cut words in two ("? for a hin" / "t, - to skip"). An indented line's later
        # lines keep its indent.
        lines = []
        for line in text.splitlines() or [""]:
            body = line.lstrip(" ")
            indent = line[: len(line) - len(body)]
            mode: rtl.Mode = "visual" if self.mode == "visual" and rtl.has_rtl(body) else "logical"
            lines += [indent + shown for shown in rtl.display_lines(body, self.width - len(indent), "ltr", mode)]
        text = "\n".join(lines)

        self._show(Text(text, style=style), content=False)

    def labelled(self, label: str, text: str, *, style: str = "", indent: str = "") -> None:
        """`label: text`, on one line where the terminal orders it, on two in visual rtl mode."""
        if self.direction == "rtl" and self.mode == "visual":
            self.ui(f"{indent}{label}:", style=style)
            self.content(text, style=style, indent=indent + "  ")
        else:
            self.content(f"{label}: {text}", style=style, indent=indent)

    def read(self) -> str:
        """One line from the student, stripped; EOFError / KeyboardInterrupt pass through."""
        return self._read(PROMPT).strip()

    def echo(self, text: str) -> None:
        """Show back what was understood, in the display mode."""
        self.content(f"» {text}", style="cyan", indent="  ")


def ask(question: Question, screen: Screen, *, options: Sequence[str] | None = None) -> Any:
    """Ask one question and return its response (an answer-sheet value) or SKIP.

    `options` is the order to show choices / order items / match right-hand items in (from
    `session.presented_options`); by default the bank's order for choices, and a fixed scramble
    for order and match (the bank's order would give the answer away).
    """
    if options is None:
        from quizdeck.session import presented_options

        options = presented_options(question, None)
    screen.content(_prompt(question), style="bold")
    if question.image:
        # A terminal cannot draw it, but the question may be unanswerable without it.
        image = screen.folder / question.image if screen.folder is not None else question.image
        screen.ui("the question's picture (open it to answer):", style="dim")
        # Never wrapped by us: a path cut by a newline cannot be copied.
        screen.console.print(f"  {image}", style="dim", markup=False, highlight=False, soft_wrap=True)
    if isinstance(question, Card):
        return _ask_card(question, screen)
    if isinstance(question, Choice):
        return _ask_labels(question, screen, options, how="one")
    if isinstance(question, Multi):
        return _ask_labels(question, screen, options, how="several")
    if isinstance(question, Order):
        return _ask_labels(question, screen, options, how="order")
    if isinstance(question, Match):
        return _ask_match(question, screen, options)
    if isinstance(question, TrueFalse):
        return _ask_truefalse(question, screen)
    if isinstance(question, Short):
        return _ask_typed(question, screen, "type your answer")
    if isinstance(question, Numeric):
        unit = f" (in {question.unit})" if question.unit else ""
        return _ask_typed(question, screen, f"type a number{unit}")
    if isinstance(question, Cloze):
        return _ask_cloze(question, screen)
    raise AssertionError(f"unhandled question type {question.type}")  # pragma: no cover


def _prompt(question: Question) -> str:
    if isinstance(question, Cloze):
        return (
            cloze_display(question.text)
            if not question.prompt
            else f"{question.prompt}\n{cloze_display(question.text)}"
        )
    return question.prompt


def _keys(question: Question) -> str:
    """The footer of every instruction: how to get a hint and how to skip."""
    hint = f"{HINT_KEY} for a hint, " if question.hint else ""
    return f"{hint}{SKIP_KEY} to skip"


class _Again(Exception):
    """The line could not be read as an answer; the message says why (and it is asked again)."""


def _read(question: Question, screen: Screen) -> Any:
    """The next line typed, or SKIP for `-`; `?` shows the hint and reads on."""
    while True:
        line = screen.read()
        if line == SKIP_KEY:
            screen.ui("skipped", style="yellow")
            return SKIP
        if line != HINT_KEY:
            return line
        show_hint(question, screen)


def _loop(question: Question, screen: Screen, instruction: str, interpret: Callable[[str], Any]) -> Any:
    """Read lines until one is an answer (or `-`); `?` shows the hint; errors are explained."""
    screen.ui(f"{instruction}; {_keys(question)}", style="dim")
    while True:
        line = _read(question, screen)
        if line is SKIP:
            return SKIP
        if not line:
            screen.ui(f"no answer given: {instruction}, or {SKIP_KEY} to skip", style="yellow")
            continue
        try:
            return interpret(line)
        except _Again as again:
            screen.ui(f"{again}; try again ({instruction})", style="yellow")


def show_hint(question: Question, screen: Screen) -> None:
    """The question's hint, or a note that it has none."""
    if question.hint:
        screen.hints_shown.add(question.id)
        screen.labelled("hint", question.hint, style="cyan")
    else:
        screen.ui("no hint for this question", style="yellow")


def _show_options(screen: Screen, options: Sequence[str], labels: Sequence[str]) -> None:
    for label, text in zip(labels, options, strict=False):
        screen.content(text, indent="  ", label=f"{label}) ")


def _label_range(labels: Sequence[str]) -> str:
    count = len(labels)
    letters = f"{labels[0]}-{labels[-1]}" if count > 1 else labels[0]
    return f"{letters} or 1-{min(count, 9)}" if count > 1 else letters


def _parse_labels(line: str, labels: Sequence[str], options: Sequence[str] = ()) -> list[int]:
    """The indices picked by labels separated by spaces or commas (or run together: `ac`).

    Where `options` are numbers themselves (choices 4, 8, 12, 20), a typed number that is one
    of them names it ("8" picks 8, not nothing), and one that is both a choice and another
    choice's position ("4": the choice 4, or the fourth, 20?) is asked again, never guessed.
    """
    numbers = {normalize(option): i for i, option in enumerate(options) if normalize(option).isdigit()}
    picked: list[int] = []
    for token in _SEPARATORS.split(line.strip()):
        if not token:
            continue
        if numbers and normalize(token).isdigit():
            by_text = numbers.get(normalize(token))
            position = rtl.parse_label(token, labels)
            if by_text is not None and position is not None and position != by_text:
                letters = f"{labels[by_text]} for {options[by_text]}, {labels[position]} for {options[position]}"
                raise _Again(f"{token!r} could be a choice or a position: type the letter ({letters})")
            choice = by_text if by_text is not None else position
            if choice is None:
                raise _Again(f"{token!r} is not a label ({_label_range(labels)})")
            picked.append(choice)
            continue
        index = rtl.parse_label(token, labels)
        if index is not None and index < len(labels):
            picked.append(index)
            continue
        # "ac" for "a c": every character a label of its own.
        singles = [rtl.parse_label(ch, labels) for ch in token]
        if len(token) > 1 and all(i is not None and i < len(labels) for i in singles):
            picked.extend(i for i in singles if i is not None)
            continue
        raise _Again(f"{token!r} is not a label ({_label_range(labels)})")
    return picked


def _ask_labels(question: Choice | Multi | Order, screen: Screen, options: Sequence[str], *, how: str) -> Any:
    labels = screen.labels(len(options))
    _show_options(screen, options, labels)
    example = " ".join(labels[: min(3, len(labels))])
    if how == "one":
        instruction = f"type one label ({_label_range(labels)})"
    elif how == "several":
        instruction = f"type every right label, separated by spaces (e.g. {example})"
    else:
        instruction = f"type all {len(labels)} labels in order, first to last (e.g. {example} ...)"

    def interpret(line: str) -> Any:
        picked = _parse_labels(line, labels, options)
        if how == "one":
            if len(picked) != 1:
                raise _Again("type just one label")
            screen.echo(f"{labels[picked[0]]}) {options[picked[0]]}")
            return options[picked[0]]
        duplicate = next((labels[i] for n, i in enumerate(picked) if i in picked[:n]), None)
        if duplicate is not None:
            raise _Again(f"{duplicate} is given twice")
        if how == "order" and len(picked) != len(labels):
            raise _Again(f"{len(picked)} labels given, {len(labels)} needed")
        chosen = [options[i] for i in picked]
        screen.echo(_join([f"{labels[i]}) {options[i]}" for i in picked]))
        return chosen

    return _loop(question, screen, instruction, interpret)


def _ask_match(question: Match, screen: Screen, options: Sequence[str]) -> Any:
    lefts = [left for left, _ in question.pairs]
    labels = screen.labels(len(options))
    for left in lefts:
        screen.content(f"{left} = ?", indent="  ")
    screen.ui("pair with:", style="dim")
    _show_options(screen, options, labels)
    instruction = (
        f"type {len(lefts)} labels, the partner of each item above in turn (e.g. {' '.join(labels[: len(lefts)])})"
    )

    def interpret(line: str) -> Any:
        picked = _parse_labels(line, labels, options)
        if len(picked) != len(lefts):
            raise _Again(f"{len(picked)} labels given, {len(lefts)} needed")
        pairs = {left: options[i] for left, i in zip(lefts, picked, strict=True)}
        screen.echo(_join([f"{left} = {right}" for left, right in pairs.items()], ";"))
        return pairs

    return _loop(question, screen, instruction, interpret)


def _ask_truefalse(question: TrueFalse, screen: Screen) -> Any:
    if screen.direction == "rtl":
        instruction = "type t or \u0635 (true / \u0635\u062d), f or \u062e (false / \u062e\u0637\u0623)"
    else:
        instruction = "type t (true) or f (false)"
    def interpret(line: str) -> Any:
        value = parse_truth(line)
        if value is None:
            raise _Again(f"{line!r} is neither true nor false")
        screen.echo(truth_word(value, arabic=is_arabic(question)))
        return value

    return _loop(question, screen, instruction, interpret)


def _ask_typed(question: Short | Numeric, screen: Screen, instruction: str) -> Any:
    def interpret(line: str) -> Any:
        if isinstance(question, Numeric) and parse_number(line, unit=question.unit) is None:
            raise _Again(f"{line!r} is not a number")
        screen.echo(line)
        return line

    return _loop(question, screen, instruction, interpret)


def _blank_numbers(question: Cloze) -> list[int]:
    """The deletion numbers in the order their blanks appear in the text (c2 may come before c1)."""
    from quizdeck.questions import parse_deletions

    # `question.deletions` is in number order; the text has them as the student sees them.
    return list(dict.fromkeys(d.number for d in parse_deletions(question.text)))


def _ask_cloze(question: Cloze, screen: Screen) -> Any:
    # Asked in the order the student sees the blanks; returned c1 first, as an answer sheet has it.
    numbers = _blank_numbers(question)
    entries: dict[int, str] = {}
    for position, number in enumerate(numbers, 1):
        hints = [d.hint for d in question.deletions if d.number == number and d.hint]
        note = f" [{hints[0]}]" if hints else ""
        instruction = f"blank {position} of {len(numbers)}{note}: type what goes in it"

        def interpret(line: str) -> Any:
            screen.echo(line)
            return line

        entry = _loop(question, screen, instruction, interpret)
        if entry is SKIP:
            return SKIP
        entries[number] = entry
    return [entries[number] for number in sorted(entries)]


def _ask_card(question: Card, screen: Screen) -> Any:
    screen.ui(f"press Enter to see the answer; {_keys(question)}", style="dim")
    if _read(question, screen) is SKIP:
        return SKIP
    screen.labelled("answer", question.back, style="green")
    if screen.direction == "rtl":
        instruction = "did you know it? type y or \u0646 (yes / \u0646\u0639\u0645), n or \u0644 (no / \u0644\u0627)"
    else:
        instruction = "did you know it? type y (yes) or n (no)"

    def interpret(line: str) -> Any:
        word = line.lower()
        if word in YES_WORDS:
            screen.echo("knew it")
            return True
        if word in NO_WORDS:
            screen.echo("did not know it")
            return False
        raise _Again(f"{line!r} is neither yes nor no")

    return _loop(question, screen, instruction, interpret)


def _join(texts: Sequence[str], separator: str = ",") -> str:
    """A list on one line, with the Arabic comma (or semicolon) between Arabic items."""
    if any(rtl.has_rtl(text) for text in texts):
        separator = {",": "\u060c", ";": "\u061b"}[separator]
    return f"{separator} ".join(texts)


def format_response(question: Question, response: Any) -> str:
    """A response as one line of text, for feedback and summaries."""
    if response is None or response is SKIP:
        return "(no answer)"
    if isinstance(question, Card):
        return "knew it" if response else "did not know it"
    if isinstance(response, bool):
        return truth_word(response, arabic=is_arabic(question))
    if isinstance(response, dict):
        return _join([f"{k} = {v}" for k, v in response.items()], ";")
    if isinstance(response, list):
        if isinstance(question, Cloze):
            # The entries come c1 first; shown in the order of the blanks in the text.
            by_number = dict(zip(sorted(set(_blank_numbers(question))), response, strict=False))
            in_text = [by_number[n] for n in _blank_numbers(question) if n in by_number]
            return " | ".join(str(r) for r in in_text + list(response[len(in_text) :]))
        return _join([str(r) for r in response])
    return str(response)


TYPED_TYPES: Final = (Short, Numeric, Cloze)


def show_feedback(screen: Screen, question: Question, response: Any, mark: Mark) -> None:
    """Right or wrong, the correct answer, what was typed against it, and the explanation."""
    if isinstance(question, Card):
        screen.ui(
            "noted" if mark.correct else "noted: this one to learn",
            style="green" if mark.correct else "yellow",
        )
    elif mark.correct:
        screen.ui("right!", style="bold green")
    elif mark.points > 0:
        detail = f" ({mark.detail})" if mark.detail else ""
        screen.ui(f"partly right: {_points(mark.points)} of 1 point{detail}", style="bold yellow")
    else:
        screen.ui("wrong", style="bold red")
    if not isinstance(question, Card):
        if isinstance(question, TYPED_TYPES) and not mark.correct:
            screen.labelled("you typed", format_response(question, response))
        if not mark.correct:
            screen.labelled("answer", describe_expected(question), style="green")
    if question.explanation:
        screen.content(question.explanation, style="italic")


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe_skipped(question: Question, screen: Screen, *, options: Sequence[str] | None = None) -> None:
    """After a skip: the answer and its explanation, so the student still learns it. A choice's
    answer comes with the label it had on screen (`options`, as shown; the bank's order by
    default): `ب) نينوى`."""
    expected = describe_expected(question)
    if isinstance(question, Choice):
        shown = list(question.choices if options is None else options)
        if question.answer in shown:
            expected = f"{screen.labels(len(shown))[shown.index(question.answer)]}) {expected}"
    screen.labelled("answer", expected, style="green")
    if question.explanation:
        screen.content(question.explanation, style="italic")


def hint_available(question: Question) -> bool:
    """Whether `?` shows anything for this question."""
    return bool(question.hint)


__all__: Sequence[str] = [
    "PROMPT",
    "SKIP",
    "Screen",
    "ask",
    "describe_skipped",
    "format_response",
    "hint_available",
    "show_feedback",
    "show_hint",
]
