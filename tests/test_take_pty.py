"""`quizdeck take` in a real pseudo-terminal (pexpect): what the student sees, line by line."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from quizdeck import rtl

from .conftest import BANKS, ROOT, press_ctrl_c

PYTHON = str(ROOT / ".venv" / "bin" / "python")
if not Path(PYTHON).exists():  # pragma: no cover - a checkout without the venv
    PYTHON = sys.executable

WIDTH = 80
# Escape sequences: colours/bold from rich, bracketed-paste and bidi mode switches.
ANSI = re.compile(r"\x1b\[[0-9;?>]*[A-Za-z]|\x1b[=>]")


class Session:
    """A running `quizdeck take` in a pseudo-terminal, with everything it printed."""

    def __init__(self, bank: Path, *args: str, env: dict[str, str] | None = None) -> None:
        environment = {k: v for k, v in os.environ.items() if k != "QUIZDECK_RTL"}
        environment.update({"COLUMNS": str(WIDTH), "LINES": "50", "TERM": "xterm", "NO_COLOR": "1"})
        environment.update(env or {})
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            PYTHON,
            ["-m", "quizdeck", "take", str(bank.relative_to(ROOT)), "--no-shuffle", "--seed", "1", *args],
            env=environment,
            encoding="utf-8",
            timeout=8,
            dimensions=(50, WIDTH),
            cwd=str(ROOT),
        )
        self.child.logfile_read = self.log

    def answer(self, *lines: str) -> None:
        """Wait for the prompt and type each line."""
        for line in lines:
            self.child.expect_exact("> ")
            self.child.sendline(line)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus
        assert status is not None, self.child.signalstatus
        return status

    @property
    def raw(self) -> str:
        return self.log.getvalue()

    @property
    def lines(self) -> list[str]:
        """The screen's lines, escape sequences removed (right-aligned text keeps its spaces); a
        line drawn again after a carriage return (the line editor's redraws) shows its last drawing."""
        text = ANSI.sub("", self.raw).replace("\r\n", "\n")
        return [next((part for part in reversed(line.split("\r")) if part), "").rstrip() for line in text.split("\n")]

    def block(self, first: str, count: int, *, last: bool = False) -> list[str]:
        """`count` lines from the first (or last) line equal to `first`."""
        lines = self.lines
        at = len(lines) - 1 - lines[::-1].index(first) if last else lines.index(first)
        return lines[at : at + count]


def test_every_type_answered_right(all_types_bank: Path) -> None:
    s = Session(all_types_bank)
    s.answer("", "y", "b", "a c b", "t", "Shakespeare", "300", "sun", "Moon", "a d b c", "b c a")
    assert s.finish() == 0
    assert s.block("question 1 of 9   score so far: 0 of 0", 9) == [
        "question 1 of 9   score so far: 0 of 0",
        "Capital of France",
        "press Enter to see the answer; - to skip",
        ">",
        "answer: Paris",
        "did you know it? type y (yes) or n (no); - to skip",
        "> y",
        "  » knew it",
        "noted",
    ]
    assert s.block("question 2 of 9   score so far: 1 of 1", 11) == [
        "question 2 of 9   score so far: 1 of 1",
        "Which planet is the largest?",
        "  a) Mars",
        "  b) Jupiter",
        "  c) Venus",
        "  d) Mercury",
        "type one label (a-d or 1-4); ? for a hint, - to skip",
        "> b",
        "  » b) Jupiter",
        "right!",
        "Jupiter is more than twice as massive as all the other planets together.",
    ]
    assert "type every right label, separated by spaces (e.g. a b c); - to skip" in s.lines
    assert "  » a) red, c) blue, b) green" in s.lines
    assert "type t (true) or f (false); - to skip" in s.lines
    assert "type a number (in thousand km/s); - to skip" in s.lines
    assert s.block("The [...] is a star; the [satellite] orbits the Earth.", 8) == [
        "The [...] is a star; the [satellite] orbits the Earth.",
        "blank 1 of 2: type what goes in it; - to skip",
        "> sun",
        "  » sun",
        "blank 2 of 2 [satellite]: type what goes in it; - to skip",
        "> Moon",
        "  » Moon",
        "right!",
    ]
    # Order items are scrambled even without --shuffle; the labels follow the screen.
    assert s.block("Order these planets from the Sun outwards.", 9) == [
        "Order these planets from the Sun outwards.",
        "  a) Mercury",
        "  b) Earth",
        "  c) Mars",
        "  d) Venus",
        "type all 4 labels in order, first to last (e.g. a b c ...); - to skip",
        "> a d b c",
        "  » a) Mercury, d) Venus, b) Earth, c) Mars",
        "right!",
    ]
    assert s.block("Match each country to its capital.", 12) == [
        "Match each country to its capital.",
        "  France = ?",
        "  Italy = ?",
        "  Spain = ?",
        "pair with:",
        "  a) Madrid",
        "  b) Paris",
        "  c) Rome",
        "type 3 labels, the partner of each item above in turn (e.g. a b c); - to skip",
        "> b c a",
        "  » France = Paris; Italy = Rome; Spain = Madrid",
        "right!",
    ]
    summary = s.block("score: 9 of 9 (100%)", 5)
    assert summary[1].startswith("time taken: ")
    assert summary[2:] == [
        "seed: 1; this quiz again:",
        # The command on a line of its own, whole, ready to copy.
        f"  {PYTHON} -m quizdeck take tests/banks/all-types.toml --no-shuffle --seed 1",
        "nothing missed",
    ]


def test_invalid_input_hint_skip_and_feedback(all_types_bank: Path) -> None:
    s = Session(all_types_bank, "--limit", "5")
    s.answer("?", "-")  # the card: no hint, then skipped
    s.answer("", "?", "x", "a b", "9", "3")  # choice: nothing, hint, not a label, two, out of range, Venus
    s.answer("a b")  # multi: red and green
    s.answer("maybe", "f")  # truefalse
    s.answer("Marlowe")  # short
    assert s.finish() == 0
    assert s.block("Capital of France", 5) == [
        "Capital of France",
        "press Enter to see the answer; - to skip",
        "> ?",
        "no hint for this question",
        "> -",
    ]
    assert s.block("skipped", 2) == ["skipped", "answer: Paris"]
    assert s.block("type one label (a-d or 1-4); ? for a hint, - to skip", 17) == [
        "type one label (a-d or 1-4); ? for a hint, - to skip",
        ">",
        "no answer given: type one label (a-d or 1-4), or - to skip",
        "> ?",
        "hint: It is a gas giant.",
        "> x",
        "'x' is not a label (a-d or 1-4); try again (type one label (a-d or 1-4))",
        "> a b",
        "type just one label; try again (type one label (a-d or 1-4))",
        "> 9",
        "'9' is not a label (a-d or 1-4); try again (type one label (a-d or 1-4))",
        "> 3",
        "  » c) Venus",
        "wrong",
        "answer: Jupiter",
        "Jupiter is more than twice as massive as all the other planets together.",
        "",
    ]
    assert s.block("> a b", 4, last=True)[1:] == [
        "  » a) red, b) green",
        "partly right: 0.67 of 1 point (2 of 3 right)",
        "answer: red, green, blue",
    ]
    assert s.block("> maybe", 5) == [
        "> maybe",
        "'maybe' is neither true nor false; try again (type t (true) or f (false))",
        "> f",
        "  » false",
        "wrong",
    ]
    assert s.block("> Marlowe", 5) == [
        "> Marlowe",
        "  » Marlowe",
        "wrong",
        "you typed: Marlowe",
        "answer: William Shakespeare",
    ]
    assert "score: 0.67 of 5 (13.3%)" in s.lines
    assert s.block("missed (5):", 5) == [
        "missed (5):",
        "  capital-card (card, 0 points)",
        "    Capital of France",
        "    your answer: (no answer)",
        "    answer: Paris",
    ]


def test_ctrl_c_mid_quiz_ends_with_a_summary_and_130(all_types_bank: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    s = Session(all_types_bank, "--json", str(results))
    s.answer("", "y", "b")
    s.child.expect_exact("> ")  # the third question waits
    press_ctrl_c(s.child)
    assert s.finish() == 130
    assert "quiz stopped (Ctrl-C) after 2 of 9 questions" in s.lines
    assert "score: 2 of 2 (100%)" in s.lines
    assert "Traceback (most recent call last):" not in s.raw
    # The results of what was answered are still written.
    data = json.loads(results.read_text(encoding="utf-8"))
    assert [q["id"] for q in data["questions"]] == ["capital-card", "largest-planet"]
    assert (data["score"], data["total"], data["finished"], data["quiz_length"]) == (2, 2, False, 9)
    assert data["time_seconds"] >= 0


def test_ctrl_d_ends_with_a_summary(all_types_bank: Path) -> None:
    s = Session(all_types_bank)
    s.answer("", "n")
    s.child.expect_exact("> ")
    s.child.sendeof()
    assert s.finish() == 0
    lines = s.lines
    assert "quiz ended after 1 of 9 questions" in lines
    assert "score: 0 of 1 (0%)" in lines
    assert s.block("missed (1):", 5) == [
        "missed (1):",
        "  capital-card (card, 0 points)",
        "    Capital of France",
        "    your answer: did not know it",
        "    answer: Paris",
    ]
    assert "Traceback" not in s.raw


ARABIC = BANKS / "take-arabic.toml"


def test_arabic_in_logical_mode() -> None:
    s = Session(ARABIC, "--rtl", "logical")
    s.answer("غابي طومسون", "٢٠١٧", "?", "ب", "أ، ب", "خ", "٨", "٢٠٢٠", "ب أ ج", "أ ب", "", "ن")
    assert s.finish() == 0
    assert "\x1b[8l" not in s.raw
    assert s.block("question 1 of 9   score so far: 0 of 0", 6) == [
        "question 1 of 9   score so far: 0 of 0",
        "وفقاً للنص، مَن المتحدثة السابقة باسم التحالف ضد داعش؟",
        "type your answer; - to skip",
        "> غابي طومسون",
        "  » غابي طومسون",
        "right!",
    ]
    assert s.block("> ٢٠١٧", 3) == ["> ٢٠١٧", "  » ٢٠١٧", "right!"]
    assert s.block("وفقاً للنص، كم قاعدة للتحالف نُقلت إلى القيادة العراقية في عام 2020؟", 12) == [
        "وفقاً للنص، كم قاعدة للتحالف نُقلت إلى القيادة العراقية في عام 2020؟",
        "  أ) 4",
        "  ب) 8",
        "  ج) 12",
        "  د) 20",
        "type one label (أ-د or 1-4); ? for a hint, - to skip",
        "> ?",
        "hint: عدد أقل من عشرة.",
        "> ب",
        "  » ب) 8",
        "right!",
        "",
    ]
    assert s.block("> أ، ب", 3) == ["> أ، ب", "  » أ) نينوى، ب) ديالى", "right!"]
    assert "type t or ص (true / صح), f or خ (false / خطأ); - to skip" in s.lines
    assert s.block("> خ", 4) == ["> خ", "  » خطأ", "wrong", "answer: صح"]
    assert s.block("تم نقل [...] قواعد للتحالف إلى القيادة العراقية في عام [...].", 8) == [
        "تم نقل [...] قواعد للتحالف إلى القيادة العراقية في عام [...].",
        "blank 1 of 2: type what goes in it; - to skip",
        "> ٨",
        "  » ٨",
        "blank 2 of 2: type what goes in it; - to skip",
        "> ٢٠٢٠",
        "  » ٢٠٢٠",
        "right!",
    ]
    assert s.block("رتّب الأحداث كما وردت في النص من الأقدم إلى الأحدث.", 9) == [
        "رتّب الأحداث كما وردت في النص من الأقدم إلى الأحدث.",
        "  أ) نقل ثماني قواعد إلى القيادة العراقية",
        "  ب) إعلان النصر على داعش",
        "  ج) انتشار داعش في نينوى وديالى",
        "type all 3 labels in order, first to last (e.g. أ ب ج ...); - to skip",
        "> ب أ ج",
        "  » ب) إعلان النصر على داعش، أ) نقل ثماني قواعد إلى القيادة العراقية، ج) انتشار",
        "  داعش في نينوى وديالى",
        "partly right: 0.5 of 1 point (2 of 3 in the right order)",
    ]
    assert s.block("صِل كل شخص بصفته كما وردت في النص.", 10) == [
        "صِل كل شخص بصفته كما وردت في النص.",
        "  غابي طومسون = ?",
        "  تحسين الخفاجي = ?",
        "pair with:",
        "  أ) المتحدث باسم قوات الأمن",
        "  ب) المتحدثة السابقة باسم التحالف",
        "type 2 labels, the partner of each item above in turn (e.g. أ ب); - to skip",
        "> أ ب",
        "  » غابي طومسون = المتحدث باسم قوات الأمن؛ تحسين الخفاجي = المتحدثة السابقة باسم",
        "  التحالف",
    ]
    assert s.block("كم عدد عناصر الأمن العراقي الذين دُرِّبوا وفقاً للنص؟", 8) == [
        "كم عدد عناصر الأمن العراقي الذين دُرِّبوا وفقاً للنص؟",
        "press Enter to see the answer; - to skip",
        ">",
        "answer: أكثر من 50 ألفاً",
        "did you know it? type y or ن (yes / نعم), n or ل (no / لا); - to skip",
        "> ن",
        "  » knew it",
        "noted",
    ]
    assert "score: 6.5 of 9 (72.2%)" in s.lines
    assert s.block("  invited (truefalse, 0 points)", 4) == [
        "  invited (truefalse, 0 points)",
        "    وفقاً للنص، دعت الحكومة العراقية القوة الدولية إلى العراق.",
        "    your answer: خطأ",
        "    answer: صح",
    ]


def visual(text: str, indent: int = 0) -> list[str]:
    """What visual mode shows for a text of the bank (wrapped, reshaped, reordered, right-aligned)."""
    return [line.rstrip() for line in rtl.display_lines(text, WIDTH - indent, "rtl", "visual")]


def test_arabic_in_visual_mode() -> None:
    s = Session(ARABIC, "--rtl", "visual", "--limit", "3")
    s.answer("طومسون", "٢٠١٦", "٢")
    assert s.finish() == 0
    # The terminal's own bidi is turned off first and restored at the very end.
    assert s.raw.startswith("\x1b[8l")
    assert s.raw.rstrip().endswith("\x1b[8h")
    lines = s.lines
    prompt = visual("وفقاً للنص، مَن المتحدثة السابقة باسم التحالف ضد داعش؟")
    at = lines.index("question 1 of 3   score so far: 0 of 0")
    assert lines[at + 1 : at + 1 + len(prompt)] == prompt
    assert prompt[0].startswith(" ") and "ﺔﺛﺪﺤﺘﻤﻟﺍ" in prompt[0]  # right-aligned, shaped, reordered
    # The typed line is drawn by the line editor, joined and in reading order; the echo below too.
    assert s.block("> ﻥﻮﺴﻣﻮﻃ", 2)[1] == visual("» طومسون", 2)[0]
    wrong = s.block("> ٢٠١٦", 7)
    assert wrong[1:] == [
        visual("» ٢٠١٦", 2)[0],
        "wrong",
        "you typed:",
        *visual("٢٠١٦", 2),
        "answer:",
        *visual("2017", 2),
    ]
    # Interface lines stay left to right; the Arabic labels in them are shaped and reordered too.
    instruction = rtl.display_lines("type one label (أ-د or 1-4); ? for a hint, - to skip", WIDTH, "ltr", "visual")
    assert instruction[0] in lines
    assert instruction[0].startswith("type one label (")
    assert visual("ب) 8", 2)[0] in lines
    assert s.block("> ٢", 3)[1:] == [visual("» ب) 8", 2)[0], "right!"]
    assert "score: 2 of 3 (66.7%)" in lines


def test_visual_mode_from_the_environment() -> None:
    s = Session(ARABIC, "--limit", "1", env={"QUIZDECK_RTL": "visual"})
    s.answer("-")
    assert s.finish() == 0
    assert s.raw.startswith("\x1b[8l")


@pytest.mark.parametrize("bank", [ARABIC])
def test_no_question_with_tag(bank: Path) -> None:
    s = Session(bank, "--tag", "nothing")
    assert s.finish() == 2
    assert (
        s.lines[0]
        == f"quizdeck: error: {bank.relative_to(ROOT)}: no question has the tag 'nothing' (tags in this bank: none)"
    )
