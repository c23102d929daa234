"""GIFT as Moodle reads it: each import test of Moodle's own GIFT tests, restated.

Moodle's question/format/gift/tests/giftformat_test.php (GPL) checks what Moodle's importer makes
of each GIFT construct. Its text is not copied here: each test below has its own short GIFT input,
written for quizdeck, that exercises the same construct, and asserts the outcome Moodle's test
expects, in quizdeck's terms (type, choices, answer, feedback), or the skip or warning quizdeck
reports where it cannot keep what Moodle keeps (docs/interchange.md). tests/data/SOURCES.md names
the file and commit. Moodle's export tests check Moodle's writer on Moodle's own question records;
quizdeck's writer is checked by tests/test_gift_export.py.
"""

from __future__ import annotations

import pytest

from quizdeck.gift import read_gift
from quizdeck.questions import Choice, Match, Multi, Numeric, Question, Short, TrueFalse


def read(text: str) -> tuple[list[Question], list[str]]:
    """The questions, and each problem as the user sees it."""
    questions, problems = read_gift(text, "moodle.gift")
    return questions, [str(p) for p in problems]


def only(text: str) -> tuple[Question, list[str]]:
    questions, problems = read(text)
    assert len(questions) == 1, problems
    return questions[0], problems


def test_import_essay() -> None:
    # Moodle: an essay question named by ::name::, its text, no answers.
    questions, problems = read("// essay\n::Feelings:: How do you feel today? {}")
    assert questions == []
    assert problems == ['moodle.gift:2: question "Feelings": skipped: an essay question ({} with nothing inside); '
                        "quizdeck has no essay type"]


def test_import_match() -> None:
    # Moodle: a matching question; each item keeps its own format marker ([html], [moodle], [plain],
    # [markdown]); an answer with no item (`= -> x`) is an extra wrong answer.
    question, problems = only("::Tools::[html]Match the <b>tool</b> to its use.{\n"
                              " =[html]Cuts <i>wood</i>. -> Saw\n"
                              " =[moodle]Drives nails. -> Hammer\n"
                              " =[plain]Turns screws. -> Screwdriver\n"
                              " =[markdown]Measures length. -> Ruler\n"
                              " = -> Spanner\n}")
    assert isinstance(question, Match)
    assert question.prompt == "Match the tool to its use."
    assert question.pairs == (("Cuts wood.", "Saw"), ("Drives nails.", "Hammer"), ("Turns screws.", "Screwdriver"),
                              ("Measures length.", "Ruler"))
    # Difference, reported: quizdeck's matching has no distractors.
    assert problems == ['moodle.gift:1: warning: question "tools": extra answer "Spanner" (a distractor with no '
                        "item) dropped: quizdeck's matching has no distractors"]


@pytest.mark.parametrize("numbering", ["abc", "ABCD", "123", "iii", "IIII", "none"])
def test_import_multichoice(numbering: str) -> None:
    # Moodle: one right answer (`=`), two wrong (`~`), each with its feedback after `#`, a feedback
    # and a choice with their own format marker. (Moodle's numbering setting does not change the
    # question read; quizdeck has none.)
    question, problems = only("::Sky:: What colour is a clear daytime sky?\n{\n"
                              " =blue # right, well done\n"
                              " ~green # [html]no, that is <b>grass</b>\n"
                              " ~[plain]red # no, that is a sunset\n}")
    assert question == Choice(id="sky", prompt="What colour is a clear daytime sky?", choices=("blue", "green", "red"),
                              answer="blue", explanation="blue: right, well done\ngreen: no, that is grass\n"
                                                         "red: no, that is a sunset")
    assert problems == []


def test_import_multichoice_multi() -> None:
    # Moodle: multiple response: positive weights are the right answers, negative ones wrong.
    question, problems = only("::Primes:: Which numbers are prime?\n{\n"
                              " ~%50%two # yes\n ~%-100%four # [html]no\n"
                              " ~%50%three # yes\n ~%-100%[plain]six # no\n}")
    assert isinstance(question, Multi)
    assert question.choices == ("two", "four", "three", "six") and question.answers == ("two", "three")
    assert question.explanation == "two: yes\nfour: no\nthree: yes\nsix: no"
    assert problems == []


def test_import_multichoice_multi_tricky() -> None:
    # Moodle: `~%100%` on one answer and negative weights on the others is still multiple response
    # (not single), with one right answer.
    question, problems = only("::Capital:: Which city is the capital of France?\n{\n"
                              " ~%100%Paris # right\n ~%-50%Lyon # wrong\n ~%-50%Nice # wrong\n}")
    assert isinstance(question, Multi)
    assert question.choices == ("Paris", "Lyon", "Nice") and question.answers == ("Paris",)
    # The -50% penalties: a wrong choice is simply wrong (docs/interchange.md).
    assert problems == []


def test_import_numerical() -> None:
    # Moodle: `{#value:tolerance}` with a catch-all wrong answer `~#feedback`.
    question, problems = only("::Range:: Name a number between 10 and 20. {#15:5~#Not even close}")
    assert question == Numeric(id="range", prompt="Name a number between 10 and 20.", answer=15, tolerance=5,
                               explanation="any other answer: Not even close")
    assert problems == []


SHORT = "::Pet::Which animal purrs?{\n =Cat#Right!\n =%50%Kitten#Young, but yes\n =%0%*#Not that one\nGENERAL}"


def test_import_shortanswer() -> None:
    # Moodle: short answer with a 100% answer, a 50% answer and a 0% wildcard `*`, each with feedback.
    question, problems = only(SHORT.replace("GENERAL", ""))
    assert question == Short(id="pet", prompt="Which animal purrs?", answer="Cat",
                             explanation="Cat: Right!\nKitten: Young, but yes\nany other answer: Not that one")
    # Difference, reported: the 50% answer counts as wrong (quizdeck has no partial credit).
    assert problems == ['moodle.gift:1: warning: question "pet": partial credit answer "Kitten" (50%) dropped: '
                        "quizdeck has no partial credit"]


def test_import_shortanswer_with_general_feedback() -> None:
    # Moodle: `####` starts the general feedback, here with its own [html] marker.
    question, problems = only(SHORT.replace("GENERAL", " ####[html]Cats <b>purr</b> when content.\n"))
    assert isinstance(question, Short) and question.answer == "Cat"
    assert question.explanation == ("Cats purr when content.\n\n"
                                    "Cat: Right!\nKitten: Young, but yes\nany other answer: Not that one")
    assert len(problems) == 1 and "partial credit" in problems[0]


def test_import_truefalse() -> None:
    # Moodle: `{FALSE#feedback if true is answered#feedback if false is answered}`.
    question, problems = only("::Sun:: The Sun orbits the Earth.{\n"
                              "FALSE#Wrong: it is the other way round.#Right: the Earth orbits the Sun.}")
    assert question == TrueFalse(id="sun", prompt="The Sun orbits the Earth.", answer=False,
                                 explanation="true: Wrong: it is the other way round.\n"
                                             "false: Right: the Earth orbits the Sun.")
    assert problems == []


@pytest.mark.parametrize("mark", ["T", "TRUE"])
def test_import_truefalse_true_answer(mark: str) -> None:
    # Moodle (test_import_truefalse_true_answer1 and 2): `{T}` and `{TRUE}` are true; a name with
    # digits and a dash, after a comment line.
    question, problems = only(f"// a comment\n::W-1 water::Water boils at 100 °C at sea level.{{{mark}}}")
    assert question == TrueFalse(id="w-1-water", prompt="Water boils at 100 °C at sea level.", answer=True)
    assert problems == []


def test_import_backslash() -> None:
    # Moodle: `\\` is one backslash, `\\\\` two (MDL-34171).
    question, problems = only("::paths:: A \\\\ B \\\\\\\\ C are written with backslashes.{T}")
    assert question.prompt == "A \\ B \\\\ C are written with backslashes."
    assert problems == []


def test_import_pre_content() -> None:
    # Moodle: [html] text holding <pre> code with escaped braces keeps the braces and its lines.
    question, problems = only("::Code::[html]<p>Does this loop end?</p>\n<pre>\n"
                              "    while (true) \\{\n        wait();\n    \\}\n</pre>\n{F}")
    # Its line ends are kept; difference, documented: quizdeck trims each GIFT line, so the
    # indentation Moodle keeps is lost.
    assert question.prompt == "Does this loop end?\n\nwhile (true) {\nwait();\n}"
    assert problems == []


def test_import_question_with_tags() -> None:
    # Moodle: `[tag:…]` and `[id:…]` in the comment lines above a question.
    question, problems = only("// Tagged: [tag:physics] [tag:first-year].\n// An id: [id:gravity-1].\n"
                              "::Gravity:: Objects fall towards the Earth.{T}")
    assert question.id == "gravity-1" and question.tags == ("physics", "first-year")
    assert problems == []


@pytest.mark.parametrize(("comment", "moodle_id", "tags"), [
    ("", "", ()),  # blank comment
    ("// Just a remark.", "", ()),  # nothing in the comment
    ("// See [id:tide] for the id.", "tide", ()),  # an id only
    ("// Tags: [tag:sea] [tag:moon].", "", ("sea", "moon")),  # tags only
    ("// [tag:sum] [tag:easy] [id:seven]", "seven", ("sum", "easy")),  # everything
    ("// [tag:  easy] Spread over  \n// two [id:   seven   ] li[tag:sum   ]nes.", "seven", ("easy", "sum")),
    ("// A tag is not split [tag:\n// sea].", "", ()),  # split over a line: not a tag
])
def test_extract_idnumber_and_tags_from_comment(comment: str, moodle_id: str, tags: tuple[str, ...]) -> None:
    # Moodle: ids and tags read from comments, spaces inside the brackets trimmed, order kept.
    question, _ = only(f"{comment}\n::Tide:: The Moon raises the tides.{{T}}")
    assert question.id == (moodle_id or "tide")
    assert question.tags == tags


def test_extract_idnumber_and_tags_with_an_escaped_bracket() -> None:
    # Moodle: `\\]` is a `]` inside an id or a tag ('escape ] idnumber', 'escape ] tag').
    question, problems = only("// [tag:x\\]y]\n::Tide:: The Moon raises the tides.{T}")
    assert question.tags == ("x]y",)
    # Difference, documented: quizdeck's ids are kebab-case, made from the given one (`a]b` gives `a-b`).
    question, problems = only("// [id:a\\]b]\n::Tide:: The Moon raises the tides.{T}")
    assert question.id == "a-b"
    assert problems == []


# What Moodle's reader does that its tests do not check (question/format.php and
# question/format/gift/format.php, read at the commits tests/data/SOURCES.md names).


def test_lines_are_trimmed_as_moodle_trims_them() -> None:
    # Moodle's readquestions trims every line before the question is read, so a Markdown line's two
    # trailing spaces (a hard break) never reach the question, in Moodle or in quizdeck; the line
    # break itself stays.
    question, problems = only("[markdown]First line  \n   second line{T}")
    assert (question.prompt, problems) == ("First line\nsecond line", [])


def test_a_short_answer_is_kept_as_typed() -> None:
    # Moodle stores a short answer as the text a learner must type, whatever the question's format.
    question, problems = only("[html]Which tag makes a <b>link</b>? {=<a> =&lt;a&gt;}")
    assert isinstance(question, Short)
    assert (question.prompt, question.answer, question.accept, problems) == (
        "Which tag makes a link?", "<a>", ("&lt;a&gt;",), [])


def test_a_short_answer_without_an_equals_sign_is_fully_right() -> None:
    # Moodle: a short answer with no weight is worth 100%, `=` or not.
    question, problems = only("Capital of France? {Paris}")
    assert isinstance(question, Short) and (question.answer, problems) == ("Paris", [])


@pytest.mark.parametrize("answers", ["*", "=*", "=* #anything goes"])
def test_a_short_answer_whose_only_right_answer_is_anything_is_skipped(answers: str) -> None:
    questions, problems = read(f"::Bold:: Which symbol makes bold in Markdown? {{{answers}}}")
    assert questions == []
    assert problems == ["moodle.gift:1: question \"Bold\": skipped: its only right answer is '*', which Moodle "
                        "reads as 'anything is right'; quizdeck cannot grade that"]
