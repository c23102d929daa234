"""A line editor for typing Arabic in a terminal without bidi (visual mode).

`input()` echoes what is typed in logical order: in a terminal that draws cells left to right, an
Arabic answer comes out backwards and unjoined until Enter. `LineEditor` reads the keys itself (raw
mode) and redraws the line after each one, joined and in reading order (`rtl.typed_line`), with
the cursor where the next letter goes. Backspace, Delete, the arrow keys (Left moves towards
the end of right-to-left text: leftwards on screen), Home/End (and Ctrl-A/Ctrl-E), Ctrl-U and
paste (many characters at once) work; other escape sequences (function keys) are ignored whole.
Enter returns the logical text; Ctrl-C raises KeyboardInterrupt and Ctrl-D on an empty line
EOFError, as `input()` does. prompt_toolkit was considered: it draws the buffer as given and has
no bidi reordering or shaping, so it would need the same work on top.

Only the learner's own typing is drawn here, and it never holds a control character (they are
not inserted), so nothing the learner types can reach the terminal as a command.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from typing import IO

from quizdeck import rtl

CTRL_C, CTRL_D = "\x03", "\x04"
_ENTER = ("\r", "\n")
_BACKSPACE = ("\x7f", "\x08")
_MOVES = {
    "\x1b[D": "left", "\x1bOD": "left", "\x1b[C": "right", "\x1bOC": "right",
    "\x1b[H": "home", "\x1bOH": "home", "\x1b[1~": "home", "\x01": "home",
    "\x1b[F": "end", "\x1bOF": "end", "\x1b[4~": "end", "\x05": "end",
    "\x1b[3~": "delete",
}


def split_keys(chunk: str) -> list[str]:
    """The keys in what a terminal sent at once: each character, but a whole escape sequence
    (ESC [ ... final byte, ESC O x, or ESC and one character) as one key."""
    keys: list[str] = []
    at = 0
    while at < len(chunk):
        if chunk[at] != "\x1b" or at + 1 == len(chunk):
            keys.append(chunk[at])
            at += 1
            continue
        end = at + 2
        if chunk[at + 1] == "[":
            while end < len(chunk) and not "\x40" <= chunk[end] <= "\x7e":
                end += 1
            end = min(end + 1, len(chunk))
        elif chunk[at + 1] == "O":
            end = min(at + 3, len(chunk))
        keys.append(chunk[at:end])
        at = end
    return keys


class LineEditor:
    """`read(prompt)` like `input(prompt)`, drawing the line in visual order as it is typed."""

    def __init__(self, out: IO[str], *, base_rtl: bool = True, fd: int | None = None) -> None:
        self.out = out
        self.base_rtl = base_rtl
        self.fd = sys.stdin.fileno() if fd is None else fd

    def read(self, prompt: str) -> str:
        import termios
        import tty

        saved = termios.tcgetattr(self.fd)
        text: list[str] = []
        cursor = 0
        self._draw(prompt, text, cursor)
        try:
            tty.setraw(self.fd, termios.TCSANOW)
            while True:
                data = os.read(self.fd, 1024)
                if not data:
                    raise EOFError
                for key in split_keys(data.decode("utf-8", errors="replace")):
                    if key in _ENTER:
                        # Drawn as typed (keys typed ahead may not have been), left on the screen.
                        self._draw(prompt, text, len(text))
                        self.out.write("\r\n")
                        self.out.flush()
                        return "".join(text)
                    if key == CTRL_C:
                        self.out.write("^C\r\n")
                        raise KeyboardInterrupt
                    if key == CTRL_D and not text:
                        self.out.write("\r\n")
                        raise EOFError
                    cursor = self._edit(key, text, cursor)
                self._draw(prompt, text, cursor)
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)
            self.out.flush()

    def _edit(self, key: str, text: list[str], cursor: int) -> int:
        """Apply one key to the text; the new cursor (a logical index)."""
        move = _MOVES.get(key)
        if key in _BACKSPACE:
            if cursor:
                del text[cursor - 1]
                return cursor - 1
            return cursor
        if key == "\x15":  # Ctrl-U
            del text[:cursor]
            return 0
        if move == "delete":
            if cursor < len(text):
                del text[cursor]
            return cursor
        if move in ("left", "right"):
            # In right-to-left text the end of the line is on the left.
            forward = (move == "left") == self.base_rtl
            return min(len(text), cursor + 1) if forward else max(0, cursor - 1)
        if move == "home":
            return 0
        if move == "end":
            return len(text)
        if len(key) == 1 and not unicodedata.category(key).startswith("C"):
            text.insert(cursor, key)
            return cursor + 1
        return cursor  # another escape sequence or control key: ignored

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.fd).columns
        except OSError:
            return 80

    def _draw(self, prompt: str, text: list[str], cursor: int) -> None:
        drawn, column = rtl.typed_line("".join(text), cursor, self.base_rtl)
        # A line longer than the terminal would wrap and break the redraw: show the part of it
        # around the cursor instead (it scrolls as the cursor moves).
        room = self._width() - rtl.text_width(prompt) - 1
        drawn, column = visible_part(drawn, column, room)
        # Back to the start of the line, the prompt and the text, the rest of the line cleared,
        # then the cursor to its cell.
        self.out.write(f"\r{prompt}{drawn}\x1b[K\r")
        offset = rtl.text_width(prompt) + column
        if offset:
            self.out.write(f"\x1b[{offset}C")
        self.out.flush()


def visible_part(drawn: str, column: int, room: int) -> tuple[str, int]:
    """The cells of a drawn line that fit in `room` cells and keep the cursor's `column` in
    view, and the cursor's column within them. Cut only between characters (a mark stays with
    its letter)."""
    if room < 1 or rtl.text_width(drawn) <= room:
        return drawn, column
    # Cell where each character starts; a window of `room` cells that holds the cursor.
    starts = []
    cells = 0
    for ch in drawn:
        starts.append(cells)
        cells += rtl.char_width(ch)
    first = min(max(0, column - room // 2), cells - room)
    last = first + room
    kept = "".join(
        ch for ch, start in zip(drawn, starts, strict=True) if first <= start and start + rtl.char_width(ch) <= last
    )
    return kept, column - first
