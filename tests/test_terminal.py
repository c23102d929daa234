"""The terminal writer: no control sequence from user text ever reaches the terminal live.

Every command shows bank text, sheet names and file names through quizdeck.commands._output;
these tests send each control sequence through it, and through each command, and look for the
raw bytes in what the user would see.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from quizdeck.cli import app
from quizdeck.commands._output import console
from quizdeck.controls import has_controls, visible

HOSTILE = Path(__file__).parent / "hostile" / "terminal.toml"
COMMANDS = Path(__file__).parent.parent / "src" / "quizdeck" / "commands"

# Everything a terminal could obey: C0 but newline and tab, DEL, C1, bidi embeddings,
# overrides and isolates.
LIVE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
SEQUENCES = {
    "OSC 52 (clipboard)": "\x1b]52;c;SGVsbG8=\x07",
    "OSC 0 (title)": "\x1b]0;pwned\x07",
    "CSI 2J (clear)": "\x1b[2J",
    "C1 CSI": "\x9b2J",
    "RLO": "\u202eabc\u202c",
    "RLI": "\u2067abc",
}


def rendered(*renderables: object) -> str:
    out = io.StringIO()
    writer = console(file=out, width=60)
    for renderable in renderables:
        writer.print(renderable)
    return out.getvalue()


def test_controls_are_written_as_visible_escapes() -> None:
    assert visible("a\x1b]0;t\x07b") == "a\\x1b]0;t\\x07b"
    assert visible("\x9b2J") == "\\x9b2J"
    assert visible("\u202eabc\u202c") == "\\u202eabc\\u202c"
    assert visible("\u2066x\u2069") == "\\u2066x\\u2069"
    # Text, Arabic with its marks, newlines, Windows line ends and tabs are kept as they are; a lone
    # carriage return (which would overwrite the line) is not.
    assert visible("line\r\n\tعَرَبِيّ\u200f :smile:") == "line\r\n\tعَرَبِيّ\u200f :smile:"
    assert visible("shown\rhidden") == "shown\\x0dhidden"


@given(st.text())
def test_visible_text_holds_nothing_live_and_escaping_again_changes_nothing(text: str) -> None:
    shown = visible(text)
    assert not LIVE.search(shown)
    assert not has_controls(shown)
    assert visible(shown) == shown


@given(st.text(alphabet=st.sampled_from("ab\n\r\t\x00\x0b\x1b\x7f\x9b\u200f\u202e\u2069ع")))
def test_text_without_controls_is_passed_over_and_the_rest_escaped_as_before(text: str) -> None:
    # `visible` skips text in which a quick scan finds nothing to escape; what it returns is what
    # the full rule makes of any text: a carriage return alone, or before anything but a newline,
    # is escaped; one before a newline is kept.
    import quizdeck.controls as controls

    full = controls._CONTROL.sub(controls._escape, text)
    assert visible(text) == full
    assert has_controls(text) == (full != text)


@pytest.mark.parametrize("sequence", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_the_writer_escapes_strings_text_and_tables(sequence: str) -> None:
    table = Table("column")
    table.add_row(f"cell {sequence}")
    table.add_row(Text(f"text {sequence}"))
    shown = rendered(f"str {sequence}", Text(f"text {sequence}"), table)
    assert not LIVE.search(shown)
    assert visible(sequence) in shown
    # Strings are escaped before the table measures them: the whole escape fits in the cell.
    assert f"cell {visible(sequence)}" in shown


def test_the_writer_reads_no_markup_and_no_emoji_codes() -> None:
    assert rendered("[bold]x[/bold] :smile: [link=http://x]y[/link]") == (
        "[bold]x[/bold] :smile: [link=http://x]y[/link]\n")


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def assert_nothing_live(shown: str) -> None:
    found = LIVE.search(shown)
    assert found is None, f"raw {found.group()!r} reached the terminal: {shown!r}"
    assert "😄" not in shown


def test_show_list_and_check_escape_bank_text() -> None:
    for args in (["show", str(HOSTILE)], ["show", str(HOSTILE), "q1"], ["list", str(HOSTILE.parent)],
                 ["check", str(HOSTILE)]):
        code, shown = run(*args)
        assert code == 0, shown
        assert_nothing_live(shown)
    _, shown = run("show", str(HOSTILE))
    assert "Title \\x1b]0;pwned\\x07 :smile: [bold]b[/bold]" in shown
    assert "Clear \\x1b[2J c1 \\x9b31m rlo \\u202eabc\\u202c :smile:" in shown


def test_check_messages_quote_hostile_text_escaped(tmp_path: Path) -> None:
    bank = tmp_path / "bad.toml"
    bank.write_text('[bank]\nid = "b"\ntitle = "t"\nlanguage = "en"\n\n[[questions]]\n'
                    'id = "q\\u001b]0;x\\u0007"\ntype = "card"\nprompt = "p"\nback = "b"\n', encoding="utf-8")
    code, shown = run("check", str(bank))
    assert code == 1
    assert_nothing_live(shown)
    assert '"q\\u001b]0;x\\u0007"' in shown


def test_take_escapes_questions_feedback_and_summary() -> None:
    code, shown = run("take", str(HOSTILE), "--seed", "1", input="a\nx\n")
    assert code == 0, shown
    assert_nothing_live(shown)
    assert "Clear \\x1b[2J" in shown


def test_grade_escapes_a_hostile_sheet_name(tmp_path: Path) -> None:
    sheet = tmp_path / "\x1b]0;pwned\x07 :smile:.toml"
    sheet.write_text('q1 = "b :smile:"\nq2 = "y"\n', encoding="utf-8")
    bank = tmp_path / "bank.toml"
    shutil.copy(HOSTILE, bank)
    _code, shown = run("grade", str(bank), str(sheet))
    assert_nothing_live(shown)
    assert "\\x1b]0;pwned" in shown, shown


def test_errors_quote_hostile_file_names_escaped(tmp_path: Path) -> None:
    code, shown = run("show", str(tmp_path / "\x1b]0;pwned\x07.toml"))
    assert code != 0
    assert_nothing_live(shown)
    assert "\\x1b]0;pwned\\x07.toml" in shown


# Only _output.py may write to the terminal; everything else goes through it.
FORBIDDEN = re.compile(r"(?<![.\w])print\(|typer\.echo|sys\.std(out|err)\.write|(?<![.\w])Console\(|rich\.print"
                       r"|\.file\.write\((?!rtl\.session_)")


@pytest.mark.parametrize("module", [*sorted(p.name for p in COMMANDS.glob("*.py")), "../cli.py"])
def test_commands_reach_the_terminal_only_through_the_writer(module: str) -> None:
    if module == "_output.py":
        return
    source = (COMMANDS / module).read_text(encoding="utf-8")
    code = [line for line in source.splitlines() if not line.lstrip().startswith("#")]
    offending = [line.strip() for line in code if FORBIDDEN.search(line)]
    assert offending == [], f"{module} writes to the terminal without quizdeck.commands._output: {offending}"


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_an_override_cannot_reverse_text_when_quizdeck_reorders_it_itself(direction: str) -> None:
    from quizdeck import rtl

    shown = rtl.display_text("abc \u202edef ghi\u202c jkl", direction, "visual", 60)
    assert "\\u202edef ghi\\u202c" in shown
    assert "ihg fed" not in shown
    assert not LIVE.search(shown)
