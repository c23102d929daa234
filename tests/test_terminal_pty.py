"""Every command that shows user text, in a real pseudo-terminal, fed each control sequence.

The bank, the answer sheet and the file names carry OSC 52 (writes the clipboard), OSC 0 (the
window title), CSI 2J (clears the screen), U+009B (a one-byte CSI), U+202E (reverses the text
after it) and ":smile:" (an emoji code rich would draw). Whatever the command, the terminal must
receive none of them live, and the user must see each one written out as an escape.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pytest

QUIZDECK = str(Path(sys.executable).with_name("quizdeck"))

OSC52 = "\x1b]52;c;SGVsbG8=\x07"
OSC0 = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
C1 = "\x9b2J"
RLO = "\u202eabc"
HOSTILE = f"{OSC52}|{OSC0}|{CLEAR}|{C1}|{RLO}|:smile:"
# What must never reach the terminal, and how each is shown instead.
LIVE = {"\x1b]": "OSC", CLEAR: "CSI 2J", "\x9b": "C1 CSI", "\u202e": "RLO", "\U0001f604": "emoji"}
SHOWN = "\\x1b]52;c;SGVsbG8="


def toml_string(text: str) -> str:
    return '"' + "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}" for ch in text) + '"'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    hostile = toml_string(HOSTILE)
    (tmp_path / "bank.toml").write_text(
        f'[bank]\nid = "hostile"\ntitle = {hostile}\nlanguage = "en"\ndescription = {hostile}\n\n'
        f'[[questions]]\nid = "card"\ntype = "card"\nprompt = {hostile}\nback = {hostile}\n\n'
        f'[[questions]]\nid = "pick"\ntype = "choice"\nprompt = {hostile}\nchoices = [{hostile}, "b"]\n'
        f'answer = "b"\nexplanation = {hostile}\nhint = {hostile}\n',
        encoding="utf-8",
    )
    (tmp_path / "bad.toml").write_text(
        f'[bank]\nid = "bad"\ntitle = "t"\nlanguage = "en"\n\n[[questions]]\nid = "q"\n'
        f'type = {hostile}\nprompt = "p"\nback = "b"\n', encoding="utf-8")
    (tmp_path / f"{OSC0}student.toml").write_text(f"pick = {hostile}\n", encoding="utf-8")
    (tmp_path / f"cards{OSC0}.csv").write_text(f"front,back\nq,{HOSTILE}\n", encoding="utf-8")
    return tmp_path


def seen(folder: Path, args: list[str], keys: tuple[str, list[str]] | None = None) -> str:
    """Everything the command wrote to the terminal, raw; `keys` waits for a text, then types."""
    env = dict(os.environ, TERM="xterm-256color", TZ="UTC", QUIZDECK_NOW="2026-03-01T09:00:00Z",
               QUIZDECK_RTL="logical", COLUMNS="100")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(QUIZDECK, args, env=env, cwd=str(folder), encoding="utf-8", codec_errors="replace",
                          dimensions=(50, 100), timeout=15)
    output = []
    if keys is not None:
        first, typed = keys
        child.expect_exact(first)
        output.append(str(child.before) + first)
        for key in typed:
            time.sleep(0.3)
            child.send(key)
    child.expect(pexpect.EOF)
    output.append(str(child.before))
    child.close()
    return "".join(output)


COMMANDS = {
    "show": (["show", "bank.toml"], None),
    "show-one": (["show", "bank.toml", "pick"], None),
    "list": (["list", "."], None),
    "check": (["check", "bad.toml"], None),
    # A card known, then a hint and a wrong choice; Ctrl-D ends the quiz.
    "take": (["take", "bank.toml", "--no-shuffle", "--seed", "1"], ("> ", ["\r", "y\r", "?\r", "1\r", "\x04"])),
    # The card revealed and rated Good, then Ctrl-D at the choice ends the session.
    "review": (["review", "bank.toml", "--store", "s.db", "--no-bury"], ("show the answer", [" ", "3", "\x04"])),
    "grade": (["grade", "bank.toml", f"{OSC0}student.toml"], None),
    "export-gift": (["export", "bank.toml", "--format", "gift"], None),
    "import": (["import", f"cards{OSC0}.csv", "-o", "imported.toml", "--language", "en"], None),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_no_control_sequence_reaches_the_terminal_live(folder: Path, command: str) -> None:
    args, keys = COMMANDS[command]
    output = seen(folder, args, keys)
    for raw, name in LIVE.items():
        assert raw not in output, f"{command}: {name} reached the terminal live:\n{output!r}"
    # Shown as the writer escapes it, or as a message quotes it (JSON-style \u001b).
    assert "\\x1b]0;pwned" in output or "\\u001b]0;pwned" in output, output


@pytest.mark.parametrize("command", ["show", "list", "take", "review", "export-gift"])
def test_the_user_sees_every_sequence_written_out(folder: Path, command: str) -> None:
    args, keys = COMMANDS[command]
    output = seen(folder, args, keys)
    for shown in (SHOWN, "\\x1b]0;pwned", "\\x1b[2J", "\\x9b2J", "\\u202eabc", ":smile:"):
        assert shown in output, f"{command}: {shown} not shown:\n{output!r}"


def test_stats_after_a_review_escapes_the_bank_title(folder: Path) -> None:
    seen(folder, *COMMANDS["review"])
    output = seen(folder, ["stats", "--store", "s.db"])
    for raw, name in LIVE.items():
        assert raw not in output, f"stats: {name} reached the terminal live:\n{output!r}"
    assert SHOWN in output and ":smile:" in output, output
