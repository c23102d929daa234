"""Control characters in user text: shown, never obeyed.

A bank, an answer sheet, an imported file or a file name may hold escape sequences (OSC 52 writes
the clipboard, OSC 0 the window title, CSI 2J clears the screen), C1 controls (U+009B is CSI on
its own) or Unicode bidi overrides that reorder the text around them ("Trojan Source"). Before
any such text reaches a terminal, `visible` rewrites each of them as a printable escape
(`\\x1b`, `\\x9b`, `\\u202e`), so the reader sees that something odd is there and the terminal
obeys nothing. Newline, tab and a carriage return before a newline are kept. The function is
pure, linear, and idempotent: its output holds no character it would rewrite.

The terminal writer (quizdeck.commands._output.console) applies it to everything it prints;
core modules call it where they shape text for display themselves (before reordering bidi text).
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the explicit bidi formatting characters:
# embeddings and overrides (LRE RLE PDF LRO RLO, U+202A-U+202E) and isolates (LRI RLI FSI PDI,
# U+2066-U+2069). Marks (LRM, RLM, ALM) are kept: they only steer neighbouring punctuation and
# Arabic text legitimately uses them.
# A carriage return before a newline is a Windows line end, harmless; alone it would move the cursor
# back over the line to overwrite it.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


# Every character `_CONTROL` can match, carriage returns included, as one class: the regex engine
# scans for a class alone several times faster than for the alternation, so text with none of
# them (nearly all text, a report of thousands of lines too) is passed over at that speed.
_MAYBE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every terminal control and bidi override written as a visible escape."""
    if _MAYBE_CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_escape, text)


def has_controls(text: str) -> bool:
    """Whether `visible` would change `text`."""
    return _MAYBE_CONTROL.search(text) is not None and _CONTROL.search(text) is not None
