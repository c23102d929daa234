"""GIFT and CSV readers on hostile input: never a traceback, and never more than linear time.

Each example is a short piece of either format's syntax repeated until the file is tens of
kilobytes. A reader that re-scans the rest of the text for each repeat (a regular expression
that backtracks, html.parser waiting for the end of a tag, csv.Sniffer's expressions) takes
many seconds on such a file and fails the deadline; a linear one takes a fraction of a second.
The attacks found by hand are examples that always run.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quizdeck.convert import build_bank, html_to_text
from quizdeck.errors import QuizdeckError
from quizdeck.gift import parse_gift
from quizdeck.spreadsheet import parse_table

#: The size each repeated piece is grown to: big enough that quadratic time shows, small enough to be quick.
SIZE = 40_000
#: Linear reading of SIZE characters takes well under a second even on a busy machine; quadratic takes far more.
LINEAR = settings(max_examples=25, deadline=timedelta(seconds=4), suppress_health_check=[HealthCheck.too_slow])

GIFT_PIECES = ["::", "{", "}", "~", "=", "#", "->", "%50%", "[html]", "[moodle]", "<a href='", "<b>", "</b>",
               "<!--", "&amp;", "&#", "\\", "\\{", "//", "[tag:", "[id:", "]", "$CATEGORY:", "\n", "\n\n", "T",
               "{1:MC:", "{1:SA:=", "####", "..", ":", "a", " ", "ن", "<img src='x'>", "<", ">", "'", '"']
CSV_PIECES = [",", ";", "\t", '"', '""', "\n", "\r\n", "a", " ", "ن", "|", "=", "\\", "'", "=cmd", "#separator:",
              "#html:true\n", "{{c1::", "}}", "::", "tags", "<a href='", "<b>", '<img src="x', "<img "]


def repeated(pieces: list[str]) -> str:
    unit = "".join(pieces) or "a"
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


@LINEAR
@given(st.lists(st.sampled_from(GIFT_PIECES), min_size=1, max_size=6))
@example(["[tag:"]).via("a tag comment that never closes")
@example(["// [tag:"]).via("a tag comment after the comment mark")
@example(["[html]<a href='"]).via("an unclosed attribute, repeated")
@example(["<a href='x'>y"]).via("nested links closed at the end")
@example(["{1:MC:"]).via("embedded answers that never close")
@example(["::q::{~=a ~b}\n\n"]).via("many questions")
def test_gift_reading_is_linear_and_never_fails(pieces: list[str]) -> None:
    text = repeated(pieces)
    if pieces == ["<a href='x'>y"]:
        text = "::q::[html]" + text + "</a>" * 4000 + "{T}"
    elif pieces[0].startswith(("[tag:", "[html]")):
        text = ("// " if pieces[0].startswith("[tag") else "::q::") + text + "{T}"
    result = parse_gift(text, "fuzz.gift")
    for problem in result.problems:
        assert problem.line is not None and 1 <= problem.line <= text.count("\n") + 1
    build_bank(result, bank_id="fuzz", title="Fuzz", language="en")


@LINEAR
@given(st.lists(st.sampled_from(CSV_PIECES), min_size=1, max_size=6))
@example([',"a']).via("csv.Sniffer's quadratic expression")
@example(["b" * 200]).via("one cell over the csv module's 128 KB field limit")
@example(["word,meaning\n"]).via("many rows")
@example(["#html:true\n", '<img src="x']).via("unclosed images in an Anki text export")
def test_csv_reading_is_linear_and_never_fails(pieces: list[str]) -> None:
    text = repeated(pieces)
    if pieces == ["b" * 200]:
        text = "a," + "b" * 200_000 + "\n"
    try:
        result = parse_table(text, "fuzz.csv")
    except QuizdeckError:
        return  # a file the csv module cannot read at all is refused with its line
    build_bank(result, bank_id="fuzz", title="Fuzz", language="en")


@LINEAR
@given(st.lists(st.sampled_from(["<", ">", "a", "<a", " href='", '"', "</a>", "<!--", "-->", "<script>", "&", "#",
                                 ";", "<br>", "<img src=x>", "<p>", "</", "<?", "<!x"]), min_size=1, max_size=6))
def test_html_to_text_is_linear(pieces: list[str]) -> None:
    text, _ = html_to_text(repeated(pieces))
    assert "<script" not in text or "<script" in repeated(pieces)


def test_a_long_first_line_is_read_not_refused() -> None:
    result = parse_table("term," + "b" * 200_000 + "\nnext,row\n", "long.csv")
    assert [item.table["back"][:3] for item in result.items] == ["bbb", "row"]


@pytest.fixture
def small_bank_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """The bank loader's size limit made 1 MB, so that a file past it is quick to make."""
    import quizdeck.bank

    monkeypatch.setattr(quizdeck.bank, "MAX_BANK_BYTES", 2**20)
    return 2**20


def test_a_csv_too_large_for_a_bank_stops_at_the_row_that_passes_the_limit(small_bank_limit: int) -> None:
    # A million-row list used to be read whole (48 s, 1.35 GB) before its bank was refused; now reading
    # stops at the row whose question takes the bank past the limit: about 30 bytes a question and 12
    # more than each value's length, the estimate import states.
    rows = [(f"term {n}", f"definition {n}") for n in range(1, 40_001)]
    size, passed = 0, 0
    for passed, (front, back) in enumerate(rows, 1):  # noqa: B007
        size += 30 + len(front) + 12 + len(back) + 12
        if size > small_bank_limit:
            break
    with pytest.raises(QuizdeckError) as raised:
        parse_table("".join(f"{front},{back}\n" for front, back in rows), "big.csv")
    assert str(raised.value) == (
        f"big.csv: row {passed:,}: the {passed:,} questions read up to here would make a bank of more than the "
        f"1 MB a bank may hold, so reading stopped; split the file into parts of at most {passed - 1:,} questions "
        "and import each")


def test_a_gift_file_too_large_for_a_bank_stops_at_the_question_that_passes_the_limit(small_bank_limit: int) -> None:
    text = "".join(f"Question {n}? {{=answer {n}}}\n\n" for n in range(1, 40_001))
    with pytest.raises(QuizdeckError) as raised:
        parse_gift(text, "big.gift")
    message = str(raised.value)
    line = int(message.split("line ", 1)[1].split(":", 1)[0].replace(",", ""))
    assert message.startswith(f"big.gift: line {line:,}: ")
    assert line % 2 == 1 and 1 < line < 80_000  # the first line of a question
    assert f"the {(line + 1) // 2:,} questions read up to here would make a bank of more than the 1 MB" in message


def test_import_refuses_a_file_too_large_for_a_bank_and_writes_nothing(small_bank_limit: int, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from quizdeck.cli import app

    source = tmp_path / "big.csv"
    source.write_text("".join(f"term {n},definition {n}\n" for n in range(1, 40_001)), encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(tmp_path / "big.toml")])
    assert result.exit_code == 1
    assert "big.csv: row 1" in result.stderr and "more than the 1 MB a bank may hold" in result.stderr
    assert not (tmp_path / "big.toml").exists()
