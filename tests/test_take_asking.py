"""`_asking.ask` through the Python API: scripted lines in, exact screens out, and whatever is
typed, the response is a valid answer-sheet value (or SKIP), never a crash."""

from __future__ import annotations

import io
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from quizdeck.bank import load_bank
from quizdeck.commands._asking import SKIP, Screen, ask, show_feedback
from quizdeck.grading import grade
from quizdeck.session import presented_options
from quizdeck.sheet import check_response

from .conftest import BANKS

ALL_TYPES = load_bank(BANKS / "all-types.toml")
ARABIC = load_bank(BANKS / "take-arabic.toml")


def scripted(lines: list[str]) -> tuple[Screen, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, width=60, color_system=None, highlight=False, soft_wrap=True)
    feed: Iterator[str] = iter(lines)

    def read(prompt: str) -> str:
        out.write(prompt)
        try:
            line = next(feed)
        except StopIteration:
            raise EOFError from None
        out.write(line + "\n")
        return line

    return Screen(console, direction="ltr", mode="logical", read=read), out


def test_choice_screen_exactly() -> None:
    screen, out = scripted(["e", "2"])
    question = ALL_TYPES.question("largest-planet")
    response = ask(question, screen)
    assert response == "Jupiter"
    show_feedback(screen, question, response, grade(question, response))
    assert out.getvalue().splitlines() == [
        "Which planet is the largest?",
        "  a) Mars",
        "  b) Jupiter",
        "  c) Venus",
        "  d) Mercury",
        "type one label (a-d or 1-4); ? for a hint, - to skip",
        "> e",
        "'e' is not a label (a-d or 1-4); try again (type one label (a-d or 1-4))",
        "> 2",
        "  » b) Jupiter",
        "right!",
        # Text from the bank is wrapped to the console's width (60 here).
        "Jupiter is more than twice as massive as all the other",
        "planets together.",
    ]


def test_labels_run_together_and_arabic_separators() -> None:
    screen, _ = scripted(["ac"])
    assert ask(ALL_TYPES.question("primary-colours"), screen) == ["red", "blue"]
    screen, _ = scripted(["ب،أ"])
    screen.direction = "rtl"
    assert ask(ARABIC.question("provinces"), screen) == ["ديالى", "نينوى"]


def test_skip_and_eof() -> None:
    screen, _ = scripted(["-"])
    assert ask(ALL_TYPES.question("speed-of-light"), screen) is SKIP
    screen, _ = scripted(["Sun", "-"])
    assert ask(ALL_TYPES.question("planets-cloze"), screen) is SKIP
    screen, _ = scripted([])
    try:
        ask(ALL_TYPES.question("author-hamlet"), screen)
    except EOFError:
        pass
    else:  # pragma: no cover
        raise AssertionError("EOF must reach the caller")


QUESTIONS = list(ALL_TYPES.questions) + list(ARABIC.questions)
TYPED = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["a", "b c", "1 2 3", "أ", "ب ج", "٢", "t", "ص", "y", "n", "?", "-", "", "300", "a a", "d c b a"]),
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(QUESTIONS), st.lists(TYPED, max_size=8))
def test_whatever_is_typed_the_response_fits_an_answer_sheet(question: object, lines: list[str]) -> None:
    bank = ARABIC if question in ARABIC.questions else ALL_TYPES
    screen, _ = scripted(lines)
    screen.direction = bank.direction
    try:
        response = ask(question, screen, options=presented_options(question, None))  # type: ignore[arg-type]
    except EOFError:
        return  # the lines ran out before an answer: the caller ends the quiz
    if response is SKIP:
        return
    value, problem = check_response(question, response)  # type: ignore[arg-type]
    assert problem is None, (response, problem)
    assert value == response
    grade(question, response)  # type: ignore[arg-type]
