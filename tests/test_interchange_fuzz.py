"""GIFT and CSV readers on hostile input: never a traceback, and never more than linear time.

Each example is a short piece of either format's syntax repeated until the file is tens of
kilobytes. A reader that re-scans the rest of the text for each repeat (a regular expression
that backtracks, html.parser waiting for the end of a tag, csv.Sniffer's expressions) takes
many seconds on such a file and fails the deadline; a linear one takes a fraction of a second.
The attacks found by hand are examples that always run.
"""

from __future__ import annotations

from datetime import timedelta

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
