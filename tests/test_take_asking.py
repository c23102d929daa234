"""`_asking.ask` through the Python API: scripted lines in, exact screens out, and whatever is
typed, the response is a valid answer-sheet value (or SKIP), never a crash."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from quizdeck import rtl
from quizdeck.bank import load_bank, parse_bank
from quizdeck.commands._asking import SKIP, Screen, ask, show_feedback
from quizdeck.grading import grade
from quizdeck.questions import Choice
from quizdeck.session import presented_options
from quizdeck.sheet import check_response

from .conftest import BANKS, QUIZZES

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

    return Screen(console, direction="ltr", mode="logical", read=read, wrap_ui=True), out


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
        # Interface text is wrapped on spaces too, never cut inside a word.
        "'e' is not a label (a-d or 1-4); try again (type one label",
        "(a-d or 1-4))",
        "> 2",
        "  » b) Jupiter",
        "right!",
        # Text from the bank is wrapped to the console's width (60 here).
        "Jupiter is more than twice as massive as all the other",
        "planets together.",
    ]


LONG_CHOICES = parse_bank(
    """
[bank]
id = "long"
title = "اختيارات طويلة"
language = "ar"

[[questions]]
id = "arrival"
type = "choice"
prompt = "ما الذي جعل التحالف يأتي؟"
choices = ["وجود داعش في كل مكان في عام 2014، بما في ذلك نينوى وديالى", "نقل القواعد"]
answer = "وجود داعش في كل مكان في عام 2014، بما في ذلك نينوى وديالى"

[[questions]]
id = "long-en"
type = "choice"
prompt = "Which?"
choices = ["a choice long enough to wrap onto a second line here", "short"]
answer = "short"
"""
)


def test_a_wrapped_choice_stays_under_its_text_not_its_label() -> None:
    screen, out = scripted(["2"])
    screen.console.width = 40
    ask(LONG_CHOICES.question("long-en"), screen)
    assert out.getvalue().splitlines()[1:4] == [
        "  a) a choice long enough to wrap onto a",
        "     second line here",
        "  b) short",
    ]

    screen, out = scripted(["2"])
    screen.console.width = 40
    screen.direction = "rtl"
    ask(LONG_CHOICES.question("arrival"), screen)
    assert out.getvalue().splitlines()[1:4] == [
        "  أ) وجود داعش في كل مكان في عام 2014،",
        "     بما في ذلك نينوى وديالى",
        "  ب) نقل القواعد",
    ]

    # Visual: right-aligned (the indent a right margin), the label on the right, the second
    # line ending where the first line's text does.
    screen, out = scripted(["2"])
    screen.console.width = 40
    screen.direction, screen.mode = "rtl", "visual"
    ask(LONG_CHOICES.question("arrival"), screen)
    assert out.getvalue().splitlines()[1:4] == [
        "  ،2014 ﻡﺎﻋ ﻲﻓ ﻥﺎﻜﻣ ﻞﻛ ﻲﻓ ﺶﻋﺍﺩ ﺩﻮﺟﻭ (ﺃ",
        "            ﻰﻟﺎﻳﺩﻭ ﻯﻮﻨﻴﻧ ﻚﻟﺫ ﻲﻓ ﺎﻤﺑ   ",
        "                        ﺪﻋﺍﻮﻘﻟﺍ ﻞﻘﻧ (ﺏ",
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


def test_a_question_with_an_image_names_the_file(tmp_path: Path) -> None:
    # The terminal cannot draw it, but "Which country is shaded?" without the map is unanswerable.
    (tmp_path / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "maps.toml").write_text(
        '[bank]\nid = "maps"\ntitle = "Maps"\nlanguage = "en"\n\n[[questions]]\nid = "shaded"\n'
        'type = "short"\nprompt = "Which country is shaded?"\nanswer = "Iraq"\nimage = "map.png"\n',
        encoding="utf-8",
    )
    bank = load_bank(tmp_path / "maps.toml")
    screen, out = scripted(["Iraq"])
    screen = Screen.for_bank(bank, screen.console, "logical", read=screen._read, wrap_ui=True)
    ask(bank.question("shaded"), screen)
    assert out.getvalue().splitlines()[:4] == [
        "Which country is shaded?",
        "the question's picture (open it to answer):",
        f"  {tmp_path / 'map.png'}",
        "type your answer; - to skip",
    ]


def test_cloze_blanks_are_asked_in_the_order_they_appear() -> None:
    # bank-format.md's own example puts c2 first: "In [year], [...] coalition bases ...". The
    # student fills the blanks as seen; the response is c1 first, as an answer sheet has it.
    bank = parse_bank(
        '[bank]\nid = "cz"\ntitle = "Cloze"\nlanguage = "en"\n\n[[questions]]\nid = "bases"\ntype = "cloze"\n'
        'text = "In {{c2::2020::year}}, {{c1::8}} coalition bases were handed to Iraqi command."\n'
    )
    question = bank.question("bases")
    screen, out = scripted(["2021", "8"])
    screen.console.width = 80
    response = ask(question, screen)
    assert response == ["8", "2021"]
    mark = grade(question, response)
    show_feedback(screen, question, response, mark)
    assert out.getvalue().splitlines() == [
        "In [year], [...] coalition bases were handed to Iraqi command.",
        "blank 1 of 2 [year]: type what goes in it; - to skip",
        "> 2021",
        "  » 2021",
        "blank 2 of 2: type what goes in it; - to skip",
        "> 8",
        "  » 8",
        "partly right: 0.5 of 1 point (1 of 2 blanks right)",
        "you typed: 2021 | 8",
        "answer: In 2020, 8 coalition bases were handed to Iraqi command.",
    ]


def test_when_the_choices_are_numbers_a_typed_number_is_never_misread() -> None:
    # Choices 4, 8, 12, 20: typing "8" used to say "'8' is not a label", and typing "4" picked
    # the fourth choice (20) and graded a student who meant 4 wrong.
    question = ARABIC.question("bases")
    screen, out = scripted(["4", "٨"])
    screen.direction = "rtl"
    assert ask(question, screen) == "8"
    assert out.getvalue().splitlines()[7:12] == [
        "> 4",
        "'4' could be a choice or a position: type the letter (أ for",
        "4, د for 20); try again (type one label (أ-د or 1-4))",
        "> ٨",
        "  » ب) 8",
    ]
    for typed, picked in (("أ", "4"), ("د", "20"), ("2", "8"), ("12", "12"), ("٢٠", "20")):
        screen, _ = scripted([typed])
        screen.direction = "rtl"
        assert ask(question, screen) == picked, typed
    screen, out = scripted(["7", "-"])
    screen.direction = "rtl"
    assert ask(question, screen) is SKIP
    assert "'7' is not a label (أ-د or 1-4); try again (type one label\n" in out.getvalue()


def test_interface_lines_wrap_on_spaces_and_keep_their_indent() -> None:
    # At 40 columns the terminal used to cut "? for a hin|t", and the summary's
    # "  bases-handover-year (numeric, 0 points)" went on at the left margin.
    screen, out = scripted([])
    screen.console.width = 40
    screen.ui("type one label (a-d or 1-4); ? for a hint, - to skip")
    screen.ui("  bases-handover-year (numeric, 0 points)")
    assert out.getvalue().splitlines() == [
        "type one label (a-d or 1-4); ? for a",
        "hint, - to skip",
        "  bases-handover-year (numeric, 0",
        "  points)",
    ]
    # Other commands' screens (review) keep their long interface lines whole, as before.
    out = io.StringIO()
    whole = Screen(Console(file=out, width=40, color_system=None, soft_wrap=True), direction="ltr", mode="logical")
    whole.ui("type one label (a-d or 1-4); ? for a hint, - to skip")
    assert out.getvalue() == "type one label (a-d or 1-4); ? for a hint, - to skip\n"


def test_true_and_false_in_arabic_feminine_forms_too() -> None:
    question = ALL_TYPES.question("water-boils")
    for typed, meant in (("صحيحة", True), ("خاطئة", False), ("خاطئه", False), ("صح", True), ("خ", False)):
        screen, _ = scripted([typed])
        screen.direction = "rtl"
        assert ask(question, screen) is meant, typed


def test_a_skipped_question_shows_its_answer_and_explanation() -> None:
    from quizdeck.commands._asking import describe_skipped

    screen, out = scripted(["-"])
    question = ALL_TYPES.question("largest-planet")
    assert ask(question, screen) is SKIP
    describe_skipped(question, screen)
    assert out.getvalue().splitlines()[-4:] == [
        "skipped",
        "answer: b) Jupiter",
        "Jupiter is more than twice as massive as all the other",
        "planets together.",
    ]


def test_a_skipped_arabic_choice_shows_the_label_it_had_on_screen() -> None:
    from quizdeck.commands._asking import describe_skipped

    bank = load_bank(QUIZZES / "coalition-iraq.toml")
    question = next(q for q in bank.questions if isinstance(q, Choice))
    options = tuple(reversed(question.choices))  # as a shuffled quiz showed them
    screen, out = scripted(["-"])
    screen.direction = "rtl"
    assert ask(question, screen, options=options) is SKIP
    describe_skipped(question, screen, options=options)
    label = rtl.label_set("rtl", len(options))[options.index(question.answer)]
    shown = out.getvalue()
    assert f"  {label}) {question.answer}" in shown  # the option as listed
    assert f"answer: {label}) {question.answer}" in shown  # and the answer with the same label


def test_lines_shown_in_a_batch_are_the_lines_shown_one_by_one() -> None:
    # take's summary prints its missed questions at once (Screen.batched): the same bytes as line by
    # line, colours included, with interface lines wider than the screen (an id of one long word,
    # which rich folds) and bank text wider than it, left to right and in visual mode.
    from quizdeck.commands._output import _writer_class

    long_id = "a-question-id-far-too-long-for-this-narrow-screen-" * 2

    def show(screen: Screen) -> None:
        screen.ui("missed (2):", style="bold")
        screen.ui(f"  {long_id} (choice, 0 points)", style="bold")
        screen.content("What did the coalition announce? " * 3, indent="    ")
        screen.labelled("your answer", "c", indent="    ")
        screen.labelled("answer", "b " + "x" * 50, style="green", indent="    ")
        screen.ui("  عاصمة (short, 0 points)", style="bold")
        screen.content("ما الذي أعلنه التحالف الدولي في ذلك العام؟", indent="    ")
        screen.labelled("answer", "إعلان النصر على داعش", style="green", indent="    ")

    for direction, mode in (("ltr", "logical"), ("rtl", "visual"), ("rtl", "logical")):
        for terminal in (False, True):
            outputs = []
            for batched in (False, True):
                out = io.StringIO()
                console = _writer_class()(file=out, width=30, force_terminal=terminal,
                                          color_system="standard" if terminal else None,
                                          highlight=False, soft_wrap=True, markup=False, emoji=False)
                screen = Screen(console, direction=direction, mode=mode, wrap_ui=True)
                if batched:
                    with screen.batched():
                        show(screen)
                else:
                    show(screen)
                outputs.append(out.getvalue())
            assert outputs[0] == outputs[1]
            assert long_id[:20] in outputs[0] and ("\x1b[1m" in outputs[0]) is terminal
