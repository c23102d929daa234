"""Typing Arabic in visual mode: the line is drawn joined and in reading order as it is typed, with
backspace, cursor keys and paste (a real pseudo-terminal; the question comes from the bundled bank)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
import tomli_w
import tomllib

from quizdeck import rtl
from quizdeck.commands._editor import LineEditor, split_keys, visible_part

from .conftest import QUIZZES, press_ctrl_c

QUIZDECK = str(Path(sys.executable).with_name("quizdeck"))
LEFT, RIGHT, HOME, END, DELETE = "\x1b[D", "\x1b[C", "\x1b[H", "\x1b[F", "\x1b[3~"


def short_question_bank(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    data = tomllib.loads((QUIZZES / "coalition-iraq.toml").read_text(encoding="utf-8"))
    question = next(q for q in data["questions"] if q["id"] == "thompson-name")
    path = tmp_path / "bank.toml"
    path.write_text(tomli_w.dumps({"bank": data["bank"], "questions": [question]}), encoding="utf-8")
    return path, question


def drawn(child: pexpect.spawn, line: str, column: int) -> None:
    """The editor redrew the prompt line as `line`, the cursor `column` cells into the text."""
    child.expect_exact(f"\r> {line}\x1b[K\r" + (f"\x1b[{2 + column}C" if 2 + column else ""))


def test_arabic_is_drawn_joined_and_in_reading_order_as_it_is_typed(tmp_path: Path) -> None:
    bank, question = short_question_bank(tmp_path)
    assert question["answer"] == "غابي طومسون"
    results = tmp_path / "results.json"
    env = dict(os.environ, TERM="xterm", QUIZDECK_RTL="visual")
    child = pexpect.spawn(QUIZDECK, ["take", str(bank), "--json", str(results)], env=env, encoding="utf-8",
                          dimensions=(30, 80), timeout=15)
    drawn(child, "", 0)
    child.send("ط")
    drawn(child, "ﻁ", 0)  # alone: the isolated form
    child.send("و")
    drawn(child, "ﻮﻃ", 0)  # joined, and the second letter on the left
    child.send("مسون")  # pasted: one burst
    drawn(child, "ﻥﻮﺴﻣﻮﻃ", 0)
    child.send("\x7f")  # backspace: the last letter typed goes
    drawn(child, "ﻮﺴﻣﻮﻃ", 0)
    child.send(HOME)  # the start of the line is on the right
    drawn(child, "ﻮﺴﻣﻮﻃ", 5)
    child.send("غابي ")
    drawn(child, "ﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ", 5)  # inserted before ط, the cursor still on its right
    child.send(END)
    drawn(child, "ﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ", 0)
    child.send("ن")
    drawn(child, "ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ", 0)
    child.send(RIGHT)  # towards the start: one letter back
    drawn(child, "ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ", 1)
    child.send(LEFT)
    drawn(child, "ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ", 0)
    child.send("\x1bOP")  # F1: ignored whole, nothing inserted
    drawn(child, "ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ", 0)
    child.send("\r")
    child.expect_exact("right!")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [answered] = json.loads(results.read_text(encoding="utf-8"))["questions"]
    assert answered["response"] == "غابي طومسون"  # stored in logical order, as typed


def test_a_left_to_right_bank_keeps_the_plain_reader(all_types_bank: Path) -> None:
    env = dict(os.environ, TERM="xterm", QUIZDECK_RTL="visual")
    child = pexpect.spawn(QUIZDECK, ["take", str(all_types_bank), "--limit", "1", "--no-shuffle"], env=env,
                          encoding="utf-8", dimensions=(30, 80), timeout=15)
    child.expect_exact("> ")
    child.send("ab")
    child.expect_exact("ab")
    assert "\x1b[K" not in child.before
    press_ctrl_c(child)
    child.expect(pexpect.EOF)


def editor_run(keys: list[str], base_rtl: bool = True) -> tuple[str, str]:
    """Feed keys (one burst each) to a LineEditor on a real pseudo-terminal; the line and the drawing."""
    import io
    import pty
    import tty

    parent, child = pty.openpty()
    tty.setraw(child)  # as the editor sets it: the keys below are not cooked on the way in
    out = io.StringIO()
    try:
        for key in keys:
            os.write(parent, key.encode("utf-8"))
        return LineEditor(out, base_rtl=base_rtl, fd=child).read("> "), out.getvalue()
    finally:
        os.close(parent)
        os.close(child)


def test_editing_keys() -> None:
    assert editor_run(["نينوى", "\r"])[0] == "نينوى"
    assert editor_run(["نينو", "\x7f", "وى\r"])[0] == "نينوى"
    assert editor_run(["ينوى", HOME, "ن\r"])[0] == "نينوى"
    assert editor_run(["نيننوى", HOME, LEFT, LEFT, DELETE, "\r"])[0] == "نينوى"
    assert editor_run(["abc", HOME, RIGHT, "x\r"], base_rtl=False)[0] == "axbc"
    assert editor_run(["abc", LEFT, "\x7f\r"], base_rtl=False)[0] == "ac"
    assert editor_run(["خطأ", "\x15", "صح\r"])[0] == "صح"  # Ctrl-U
    assert editor_run(["صح", "\x01", "\x04", "\x05", "\r"])[0] == "صح"  # Ctrl-A, Ctrl-D (not empty), Ctrl-E
    assert editor_run(["\x7f", DELETE, LEFT, RIGHT, "\t\x07\r"])[0] == ""  # nothing to edit; controls not typed
    with pytest.raises(EOFError):
        editor_run(["\x04"])
    with pytest.raises(KeyboardInterrupt):
        editor_run(["نين\x03"])


def test_split_keys_keeps_escape_sequences_whole() -> None:
    assert split_keys("a\x1b[Db") == ["a", LEFT, "b"]
    assert split_keys("\x1b[1;5C\x1bOP\x1b") == ["\x1b[1;5C", "\x1bOP", "\x1b"]
    assert split_keys("\x1bx") == ["\x1bx"]


@pytest.mark.parametrize(
    ("text", "cursor", "line", "column"),
    [
        ("", 0, "", 0),
        ("نينوى", 5, "ﻯﻮﻨﻴﻧ", 0),
        ("نينوى", 0, "ﻯﻮﻨﻴﻧ", 5),
        ("نينوى", 2, "ﻯﻮﻨﻴﻧ", 3),
        ("عام 2017", 8, "2017 ﻡﺎﻋ", 4),  # after the digits, on their right
        ("عام 2017", 4, "2017 ﻡﺎﻋ", 0),  # before the digits: on their left
        ("لا", 2, "ﺎﻟ", 0),  # one form per letter: no lam-alef ligature to put a cursor in
        ("مُدرسة", 6, "ﺔﺳﺭﺪﻣُ", 0),  # the damma after its letter, where a terminal puts it on the م
        ("مُدرسة", 2, "ﺔﺳﺭﺪﻣُ", 4),  # before د: on its right
        ("مَّ", 3, "ﻡَّ", 0),  # two marks keep their typed order
    ],
)
def test_typed_line_draws_and_places_the_cursor(text: str, cursor: int, line: str, column: int) -> None:
    assert rtl.typed_line(text, cursor, True) == (line, column)


def test_a_line_longer_than_the_terminal_scrolls_around_the_cursor() -> None:
    line = "ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ"  # 11 cells
    assert visible_part(line, 0, 40) == (line, 0)  # it fits: all of it
    assert visible_part(line, 0, 6) == ("ﻥﻮﺴﻣﻮﻃ", 0)  # the cursor at the left end
    assert visible_part(line, 11, 6) == ("ﻃ ﻲﺑﺎﻏ", 6)  # ... at the right end
    assert visible_part(line, 6, 4) == ("ﻮﻃ ﻲ", 2)  # ... in the middle: centred
    assert visible_part("abcdefghij", 10, 4) == ("ghij", 4)


def test_the_editor_keeps_a_long_line_within_the_terminal() -> None:
    import fcntl
    import struct
    import termios as _termios

    text = "قوات سوريا الديمقراطية " * 5
    import io
    import pty
    import tty

    parent, child = pty.openpty()
    fcntl.ioctl(child, _termios.TIOCSWINSZ, struct.pack("HHHH", 24, 40, 0, 0))
    tty.setraw(child)
    out = io.StringIO()
    try:
        os.write(parent, (text + "\r").encode("utf-8"))
        assert LineEditor(out, fd=child).read("> ") == text
    finally:
        os.close(parent)
        os.close(child)
    drawings = [part.split("\x1b[K")[0] for part in out.getvalue().split("\r> ")[1:]]
    assert drawings and all(rtl.text_width(drawing) <= 40 - 2 - 1 for drawing in drawings)
