"""Reading Moodle GIFT: Moodle's own examples and fixtures, every question type, and what is skipped."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdeck.bank import parse_bank
from quizdeck.convert import build_bank
from quizdeck.errors import Problem
from quizdeck.gift import parse_gift, read_gift
from quizdeck.questions import Choice, Match, Multi, Numeric, Order, Question, Short, TrueFalse

# Moodle's GPL test data, read where it lies and never copied into the project.
MOODLE = Path(__file__).parents[2] / "shared" / "external" / "gift"
needs_moodle = pytest.mark.skipif(not MOODLE.is_dir(), reason="Moodle's GIFT examples are not installed")


def gift(text: str) -> tuple[list[Question], list[Problem]]:
    return read_gift(textwrap.dedent(text).lstrip("\n"), "quiz.gift")


def one(text: str) -> Question:
    questions, problems = gift(text)
    assert len(questions) == 1, problems
    return questions[0]


def lines(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def moodle(name: str) -> tuple[list[Question], list[Problem]]:
    path = MOODLE / name
    return read_gift(path.read_text(encoding="utf-8"), path.name)


# --- Moodle's examples and fixtures: every question imports or is reported by line --------------


@needs_moodle
def test_moodle_examples_all_import_with_changes_reported_by_line() -> None:
    questions, problems = moodle("moodle_examples.txt")
    assert len(questions) == 43
    assert [p for p in problems if p.severity == "error"] == []
    assert [(p.line, p.where) for p in problems] == [
        (76, 'question "when-was-ulysses-s-grant-born-7277c2-2"'),
        (115, 'question "difficult-question"'),
        (117, 'question "jesus-hometown"'),
        (117, 'question "jesus-hometown"'),
        (123, 'question "jesus-hometown-2"'),
        (123, 'question "jesus-hometown-2"'),
        (190, 'question "difficult-multiple-choice-question"'),
        (195, 'question "jesus-hometown-short-answer-ex"'),
        (195, 'question "jesus-hometown-short-answer-ex"'),
        (202, 'question "numerical-example"'),
    ]
    assert str(problems[1]) == ('moodle_examples.txt:115: warning: question "difficult-question": partial credit (50%) '
                                'for "half credit answer" dropped: it counts as wrong')
    kinds = [q.type for q in questions]
    assert kinds.count("choice") == 16 and kinds.count("short") == 9 and kinds.count("truefalse") == 5
    assert kinds.count("numeric") == 8 and kinds.count("match") == 3
    assert kinds.count("multi") == 2


@needs_moodle
def test_moodle_examples_exact_conversions() -> None:
    questions, _ = moodle("moodle_examples.txt")
    by_id = {q.id: q for q in questions}
    assert by_id["thanksgiving-date"] == Choice(
        id="thanksgiving-date",
        prompt="The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November.",
        choices=("second", "third", "fourth"), answer="fourth")
    assert by_id["what-is-the-value-of-pi-eab396-2"] == Numeric(
        id="what-is-the-value-of-pi-eab396-2", prompt="What is the value of pi (to 3 decimal places)? _____.",
        answer=3.1415, tolerance=0.0005)
    assert by_id["what-two-people-are-entombed-in-4aab07-2"] == Multi(
        id="what-two-people-are-entombed-in-4aab07-2", prompt="What two people are entombed in Grant's tomb?",
        choices=("No one", "Grant", "Grant's wife", "Grant's father"), answers=("Grant", "Grant's wife"))
    control = by_id["gift-control-characters"]
    assert isinstance(control, Choice)
    assert control.choices == ("~", "=", "#", "{", "}", "\\") and control.answer == "\\"
    assert control.explanation.startswith("~: ~ is a control character.\n=: = is a control character.\n")
    assert by_id["which-answer-equals-5"] == Choice(
        id="which-answer-equals-5", prompt="Which answer equals 5?", choices=("= 2 + 2", "= 2 + 3", "= 2 + 4"),
        answer="= 2 + 3")
    assert by_id["whos-buried-in-grants-tomb-e617f6"].prompt == "Who's buried in **Grant's tomb**?"  # [markdown]
    assert by_id["whos-buried-in-grants-tomb-e617f6"].explanation == "excellent answer!"
    assert by_id["numerical-example"].explanation == (
        "1822: Correct! 100% credit\n1822 ± 2: He was born in 1822.\nYou get 50% credit for being close.")


@needs_moodle
def test_moodle_fixture_questions_essay_reported_stray_artifacts_tolerated() -> None:
    questions, problems = moodle("moodle_tests_fixtures_questions.gift.txt")
    assert [q.id for q in questions] == ["moodle-activities", "q2", "colours", "q5", "shortanswer", "q1",
                                         "2-08-tsl", "2-08-tsl-2"]
    assert lines(problems) == [
        'moodle_tests_fixtures_questions.gift.txt:2: question "Q8": skipped: an essay question '
        "({} with nothing inside); quizdeck has no essay type",
        'moodle_tests_fixtures_questions.gift.txt:5: warning: question "moodle-activities": extra answer "Chat" '
        "(a distractor with no item) dropped: quizdeck's matching has no distractors",
        'moodle_tests_fixtures_questions.gift.txt:31: warning: question "q5": ignored the stray "\\";" after the '
        "closing brace",
        'moodle_tests_fixtures_questions.gift.txt:34: warning: question "shortanswer": partial credit answer "Cat" '
        "(50%) dropped: quizdeck has no partial credit",
        'moodle_tests_fixtures_questions.gift.txt:41: warning: question "q1": ignored the stray "\\";" after the '
        "closing brace",
    ]
    by_id = {q.id: q for q in questions}
    # Moodle shows "Completely wrong" only to a wrong answer: unlabelled, a right answer would see it too.
    assert by_id["q5"] == Numeric(id="q5", prompt="What is a number from 1 to 5?", answer=3, tolerance=2,
                                  explanation="any other answer: Completely wrong")
    assert by_id["q1"] == TrueFalse(
        id="q1", prompt="42 is the Absolute Answer to everything.", answer=False,
        explanation="This is, of course, a Hitchiker's Guide to the Galaxy reference.\n\n"
                    "true: 42 is the Ultimate Answer.\nfalse: You gave the right answer.")
    colours = by_id["colours"]
    assert isinstance(colours, Multi)
    assert colours.choices == ("yellow", "red", "off-beige", "blue")  # [plain] marker after a -100% weight
    assert colours.answers == ("yellow", "off-beige")
    activities = by_id["moodle-activities"]
    assert isinstance(activities, Match)
    assert [left for left, _ in activities.pairs][:2] == [  # [html] and [moodle] markers on sub-questions
        "An activity supporting asynchronous discussions.",
        "A teacher asks a question and specifies a choice of multiple responses."]
    assert by_id["shortanswer"].explanation == ("Frog: Good!\nCat: What is it with Moodlers and cats?\n"
                                                "any other answer: Completely wrong")


@needs_moodle
def test_moodle_fixture_in_category_html_and_tags() -> None:
    questions, problems = moodle("moodle_tests_fixtures_questions_in_category.gift.txt")
    assert [q.id for q in questions] == ["moodle-activities", "greeting", "moodle-user", "moodle-acronym"]
    assert all(q.tags == ("default-for-new-features",) for q in questions)
    assert [p.line for p in problems] == [5]
    greeting = questions[1]
    assert greeting.prompt == ("Listen to this greeting: (http://demo.moodle.net/file.php/5/media/bonjour.mp3)"
                               "\n\nWhat language is being spoken?")
    assert questions[2] == Short(id="moodle-user", prompt="Anyone who uses Moodle is a ...", answer="Moodler",
                                 tags=("default-for-new-features",))
    assert questions[3].prompt == ("Moodle is an acronym for Modular Object-Oriented Dynamic Learning "
                                   "Environment.")


@needs_moodle
@pytest.mark.parametrize("name", ["moodle_examples.txt", "moodle_tests_fixtures_questions.gift.txt",
                                  "moodle_tests_fixtures_questions_in_category.gift.txt"])
def test_every_moodle_question_block_is_imported_or_reported(name: str, tmp_path: Path) -> None:
    text = (MOODLE / name).read_text(encoding="utf-8")
    # Counted independently of the parser: a question is a blank-line block with a non-comment line.
    blocks, current = [], []
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if not line.strip():
            if current:
                blocks.append(current[0])
            current = []
        elif not line.strip().startswith("//") and not line.startswith("$CATEGORY"):
            current.append(number)
    result = parse_gift(text, name)
    skipped = [p.line for p in result.problems if p.severity == "error"]
    imported = [item.line for item in result.items]
    assert sorted(imported + skipped) == blocks
    bank_text, questions, _ = build_bank(result, bank_id="moodle", title="Moodle", path=tmp_path / "m.toml")
    assert len(parse_bank(bank_text).questions) == len(questions) == len(imported)


# --- each question type -----------------------------------------------------------------------


def test_true_false_in_every_spelling() -> None:
    questions, problems = gift("""
        One.{T}

        Two.{TRUE}

        Three.{F}

        Four.{FALSE#No: it is true.}
        """)
    assert [(q.type, getattr(q, "answer", None)) for q in questions] == [
        ("truefalse", True), ("truefalse", True), ("truefalse", False), ("truefalse", False)]
    assert questions[3].explanation == "No: it is true."
    assert problems == []


def test_short_answer_first_is_answer_rest_accepted() -> None:
    assert one("Who's buried in Grant's tomb?{=no one =nobody =no one}") == Short(
        id="whos-buried-in-grants-tomb", prompt="Who's buried in Grant's tomb?", answer="no one",
        accept=("nobody",))


def test_missing_word_keeps_the_blank() -> None:
    question = one("Two plus two equals {=four =4}, of course.")
    assert question.prompt == "Two plus two equals _____, of course."


def test_matching_and_positions_become_order() -> None:
    match = one("::caps::Match.{=Canada -> Ottawa =Italy->Rome}")
    assert match == Match(id="caps", prompt="Match.", pairs=(("Canada", "Ottawa"), ("Italy", "Rome")))
    order = one("::planets::Order them.{=Earth -> 3 =Mercury -> 1 =Venus -> 2}")
    assert order == Order(id="planets", prompt="Order them.", items=("Mercury", "Venus", "Earth"))


def test_numeric_tolerance_range_and_several_answers() -> None:
    questions, problems = gift("""
        ::a::Tolerance?{#5:0.5}

        ::b::Range?{#1..5}

        ::c::Negative range?{#-2..-1}

        ::d::Several?{#=%50%10:5 =12:1#Exactly. =%100%13}
        """)
    assert [(q.id, q.answer, q.tolerance) for q in questions if isinstance(q, Numeric)] == [
        ("a", 5, 0.5), ("b", 3, 2), ("c", -1.5, 0.5), ("d", 12, 1)]
    assert lines(problems) == [
        'quiz.gift:7: warning: question "d": other answer 10 ± 5 (50%) dropped: quizdeck takes one number and its '
        "tolerance",
        'quiz.gift:7: warning: question "d": other answer 13 (100%) dropped: quizdeck takes one number and its '
        "tolerance",
    ]
    assert questions[3].explanation == "Exactly."


def test_feedback_on_a_wrong_or_dropped_answer_keeps_its_label() -> None:
    # Every learner reads the explanation, right or wrong: a distractor's feedback ("No.") or a
    # dropped partial answer's ("close") written without its label would tell a right answer it is wrong.
    questions, _ = gift("""
        ::capital::Capital of France?{=Paris ~Lyon#No, Lyon is in the south. ~Marseille}

        ::num::2+2?{#=%100%4:0# =%50%4:1#close}

        ::right::Capital of Italy?{=Rome#Yes. ~Milan}
        """)
    assert [q.explanation for q in questions] == [
        "Lyon: No, Lyon is in the south.", "4 ± 1: close", "Yes."]


def test_multiple_choice_weights() -> None:
    questions, problems = gift("""
        ::one-right::One right?{=a ~%-50%b ~c}

        ::two-right::Two right?{~%50%a ~%50%b ~%-100%c}

        ::thirds::Three right?{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}

        ::no-right::None right?{~%-50%a ~%-50%b}

        ::not-100::Not a hundred?{~%50%a ~%25%b ~c}

        ::two-full::Two full in one-answer?{=a =b ~c}
        """)
    assert [q.id for q in questions] == ["one-right", "two-right", "thirds", "two-full"]
    assert questions[0] == Choice(id="one-right", prompt="One right?", choices=("a", "b", "c"), answer="a")
    # Moodle gives full marks for either right answer: the second is dropped rather than marked wrong.
    assert questions[3] == Choice(id="two-full", prompt="Two full in one-answer?", choices=("a", "c"), answer="a")
    assert isinstance(questions[1], Multi) and questions[1].answers == ("a", "b")
    assert isinstance(questions[2], Multi) and questions[2].answers == ("a", "b", "c")
    assert lines(problems) == [
        'quiz.gift:7: question "no-right": skipped: no choice has a positive weight, so none is right',
        'quiz.gift:9: question "not-100": skipped: the right choices\' weights add up to 75%, not 100%; quizdeck '
        "marks a multiple-answer question right only when every right choice is picked",
        'quiz.gift:11: warning: question "two-full": the other fully right choice "b" dropped: a quizdeck choice '
        "question has one right answer",
    ]


def test_a_tilde_before_the_right_answer_is_read_as_moodle_reads_it() -> None:
    questions, problems = gift("""
        ::tilde-equals::He {~=goes ~go ~going} to school.

        ::all-tilde-equals::Pick one.{~=yes ~no ~=also}
        """)
    assert questions[0] == Choice(id="tilde-equals", prompt="He _____ to school.", choices=("goes", "go", "going"),
                                  answer="goes")
    assert questions[1] == Choice(id="all-tilde-equals", prompt="Pick one.", choices=("yes", "no"), answer="yes")
    assert lines(problems) == ['quiz.gift:3: warning: question "all-tilde-equals": the other fully right choice '
                               '"also" dropped: a quizdeck choice question has one right answer']


def test_text_without_a_format_marker_is_moodle_html() -> None:
    question = one("::go::Complete (<i>go</i>) &amp; see:\\n{=went}")
    assert question.prompt == "Complete (go) & see:"
    assert one("::lt::Is 3 < 5 and a\\nb?{T}").prompt == "Is 3 < 5 and a\nb?"  # no markup: kept as written
    assert one("::br::First line<br>second\\nthird{T}").prompt == "First line\nsecond\nthird"
    _, problems = gift('::pic::What is this? <img src\\="cat.png" alt\\="a cat">{=cat}')
    assert lines(problems) == ['quiz.gift:1: warning: question "pic": HTML image "cat.png" dropped (only its alt '
                               "text is kept)"]


def test_embedded_answers_become_a_cloze_with_typed_blanks() -> None:
    questions, problems = gift("""
        ::embedded::She {1:MC:~go~=goes~going} to school and {1:SA:=reads#Yes~%50%read} books {1:NM:=3:0.5} times.

        ::multi-response::Pick {1:MR:~%50%a~%50%b~c}.

        ::no-right::Type {1:SA:~%50%half}.
        """)
    assert [q.id for q in questions] == ["embedded"]
    assert questions[0].type == "cloze"
    assert questions[0].text == "She {{c1::goes}} to school and {{c2::reads}} books {{c3::3}} times."  # type: ignore
    assert lines(problems) == [
        'quiz.gift:1: warning: question "embedded": blank 1: the choices "go", "going" dropped; the blank is typed',
        'quiz.gift:1: warning: question "embedded": blank 2: partial credit answer "read" dropped',
        'quiz.gift:1: warning: question "embedded": blank 3: the tolerance "0.5" dropped; the number is typed '
        "exactly",
        'quiz.gift:3: question "multi-response": skipped: blank 1 is a "multiple-response" embedded answer; '
        "quizdeck's cloze blanks are typed and have one right answer",
        'quiz.gift:5: question "no-right": skipped: blank 1 has no fully right answer',
    ]


def test_embedded_answers_feedback_is_folded_into_the_explanation() -> None:
    # As for a question's answers: the same feedback on every right answer once, any other labelled
    # with its answer and its blank, so that a wrong answer's feedback never reads as the right one's.
    questions, problems = gift("""
        ::right::She {1:SA:=goes#Third person.} to school and {1:SA:=reads#Third person.} books.

        ::mixed::She {1:MC:~go#Not with she.~=goes#Yes} to school {1:NM:=3:0.5#Three}.

        ::none::She {1:SA:=goes} to school.
        """)
    assert [(q.id, q.explanation) for q in questions] == [
        ("right", "Third person."),
        ("mixed", "go (blank 1): Not with she.\ngoes (blank 1): Yes\n3:0.5 (blank 2): Three"),
        ("none", ""),
    ]
    assert lines(problems) == [
        'quiz.gift:3: warning: question "mixed": blank 1: the choices "go" dropped; the blank is typed',
        'quiz.gift:3: warning: question "mixed": blank 2: the tolerance "0.5" dropped; the number is typed exactly',
    ]


def test_essay_and_description_are_reported_by_line_never_lost() -> None:
    questions, problems = gift("""
        // a description, then an essay
        Read the text below carefully.

        ::essay::Write about Grant's tomb.{}

        ::kept::Kept?{T}
        """)
    assert [q.id for q in questions] == ["kept"]
    assert lines(problems) == [
        "quiz.gift:2: skipped: a description (text with no {answers}); quizdeck has no question without answers",
        'quiz.gift:4: question "essay": skipped: an essay question ({} with nothing inside); quizdeck has no essay '
        "type",
    ]


def test_escapes_and_newline() -> None:
    question = one(r"::esc::Is 1 \= 1 \{really\}\: a \~ b \# c \\ d?\nYes{=\= \\ \# \~ \{\}}")
    assert question.prompt == "Is 1 = 1 {really}: a ~ b # c \\ d?\nYes"
    assert isinstance(question, Short) and question.answer == "= \\ # ~ {}"


def test_comments_multiline_and_blank_line_separation() -> None:
    questions, _ = gift("""
        // comment before
        ::first::A question
        // a comment inside is dropped
        on two lines?{
          =yes
        }
        // comment between

        ::second::Second?{F}
        """)
    assert [(q.id, q.prompt) for q in questions] == [("first", "A question\non two lines?"), ("second", "Second?")]


def test_html_is_stripped_safely_and_entities_decoded() -> None:
    question = one("[html]<p>Is <b>5 &lt; 6</b>&nbsp;&amp; 7&gt;6?</p><script>alert(1)</script>"
                   "<img src\\=\"x.png\" alt\\=\"chart\">{T}")
    assert question.prompt == "Is 5 < 6 & 7>6?\n[chart]"
    _, problems = gift("[html]Look<img src\\=\"x.png\">{T}")
    assert lines(problems) == ['quiz.gift:1: warning: question "look": HTML image "x.png" dropped (only its alt '
                               "text is kept)"]


def test_plain_and_markdown_markers_keep_text() -> None:
    assert one("[plain]Is <b> a tag?{T}").prompt == "Is <b> a tag?"
    assert one("[markdown]Is **this** bold?{T}").prompt == "Is **this** bold?"


def test_broken_questions_are_reported() -> None:
    questions, problems = gift("""
        Unclosed {=a

        Two sets {=a} and {=b}

        Match with one pair.{=a -> b}
        """)
    assert questions == []
    assert [p.line for p in problems] == [1, 3, 5]
    assert all(p.message.startswith("skipped: ") for p in problems)


def test_moodle_idnumber_and_tags_in_comments() -> None:
    questions, _ = gift("""
        // question: 12  name: Capital
        // [id:geo-7] [tag:europe] [tag: capitals ] [tag:a\\]b]
        ::Capital::Capital of France?{=Paris}

        ::Untagged::No comment?{T}
        """)
    assert [(q.id, q.tags) for q in questions] == [("geo-7", ("europe", "capitals", "a]b")), ("untagged", ())]


def test_ids_unique_kebab_ascii_and_numbered_when_no_ascii() -> None:
    questions, _ = gift("""
        ::Café Crème!::Un café?{T}

        ::Café Crème!::Encore?{T}

        ::سؤال::هل الشمس نجم؟{T}
        """)
    assert [q.id for q in questions] == ["cafe-creme", "cafe-creme-2", "q-deed9582"]


def test_ids_come_from_the_content_so_inserting_or_reordering_keeps_them() -> None:
    blocks = ["Who wrote Hamlet?{=Shakespeare}", "Who wrote Hamlet? Name the playwright.{=Shakespeare}",
              "هل الشمس نجم؟{T}", "What is 2 + 2?{#4}", "What is 2 + 2?{#4:1}"]
    questions, _ = gift("\n\n".join(blocks))
    ids = {q.prompt + "|" + str(getattr(q, "tolerance", "")): q.id for q in questions}
    assert sorted(ids.values()) == sorted(["who-wrote-hamlet", "who-wrote-hamlet-name-the-playwright", "q-deed9582",
                                           "what-is-2-2-7d1d15", "what-is-2-2-caf4c6"]), ids
    changed = [blocks[3], "Who painted the Mona Lisa?{=Leonardo}", blocks[0], blocks[2], blocks[4], blocks[1]]
    again, _ = gift("\n\n".join(changed))
    assert {q.prompt + "|" + str(getattr(q, "tolerance", "")): q.id for q in again if "Mona" not in q.prompt} == ids


ARABIC_GIFT = """\
// أسئلة عن المقال
$CATEGORY: $course$/top/فهم المقروء

::النصر::في أي عام أُعلن النصر على داعش في العراق؟{#2017}

أين كان داعش في عام 2014 بحسب غابي طومسون؟{
=في كل مكان، بما في ذلك نينوى وديالى
~في سوريا وحدها
~في بغداد وحدها
}

كانت غابي طومسون المتحدثة الحالية باسم التحالف.{F#بل كانت المتحدثة السابقة.}

من قائلة الجملة الأولى في المقال؟{=غابي طومسون =طومسون}

صِل كل عام بما حدث فيه\\:{
=2014 -> انتشار داعش في نينوى وديالى
=2017 -> إعلان النصر على داعش
}
"""


def test_arabic_gift_imports_into_a_valid_right_to_left_bank(tmp_path: Path) -> None:
    result = parse_gift(ARABIC_GIFT, "arabic.gift")
    text, _, problems = build_bank(result, bank_id="coalition", title="فهم المقروء",
                                   path=tmp_path / "coalition.toml")
    assert problems == []
    bank = parse_bank(text, tmp_path / "coalition.toml")
    assert bank.language == "ar" and bank.direction == "rtl"
    ids = [q.id for q in bank.questions]
    assert all(re.fullmatch("q-[0-9a-f]{8}", qid) for qid in ids[1:]) and ids[0] == "q-500d728b"
    assert len(set(ids)) == 5
    assert all(q.tags == ("فهم-المقروء",) for q in bank.questions)
    assert bank.questions[0] == Numeric(id=ids[0], prompt="في أي عام أُعلن النصر على داعش في العراق؟",
                                        answer=2017, tags=("فهم-المقروء",))
    assert bank.questions[1] == Choice(
        id=ids[1], prompt="أين كان داعش في عام 2014 بحسب غابي طومسون؟",
        choices=("في كل مكان، بما في ذلك نينوى وديالى", "في سوريا وحدها", "في بغداد وحدها"),
        answer="في كل مكان، بما في ذلك نينوى وديالى", tags=("فهم-المقروء",))
    assert bank.questions[2].explanation == "بل كانت المتحدثة السابقة."
    assert bank.questions[3] == Short(id=ids[3], prompt="من قائلة الجملة الأولى في المقال؟", answer="غابي طومسون",
                                      accept=("طومسون",), tags=("فهم-المقروء",))
    assert bank.questions[4] == Match(id=ids[4], prompt="صِل كل عام بما حدث فيه:", pairs=(
        ("2014", "انتشار داعش في نينوى وديالى"), ("2017", "إعلان النصر على داعش")), tags=("فهم-المقروء",))
    assert 'title = "فهم المقروء"' in text  # written readable, not as \\u escapes


def test_bank_header_lists_what_was_skipped(tmp_path: Path) -> None:
    result = parse_gift("::essay::Write.{}\n\n::ok::Fine?{T}\n", "/somewhere/quiz.gift")
    text, questions, problems = build_bank(result, bank_id="quiz", title="Quiz", language="en")
    assert text.splitlines()[:3] == [
        "# Imported by quizdeck from quiz.gift (GIFT): 1 question.",
        "# What was skipped or changed on the way:",
        '#   quiz.gift:1: question "essay": skipped: an essay question ({} with nothing inside); quizdeck has no '
        "essay type",
    ]
    assert len(questions) == 1 and len(problems) == 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab ~=#{}:\\-%>.[]$/\n\t50", "[html]", "<b>", "&amp;", "$CATEGORY:", "T", "..",
                                  "//", "->", "####", "::", "\n\n", "ن"]), max_size=40).map("".join))
def test_any_text_is_imported_or_reported_never_a_traceback(text: str) -> None:
    result = parse_gift(text, "fuzz.gift")
    for problem in result.problems:
        assert problem.line is not None and 1 <= problem.line <= text.count("\n") + 1
    build_bank(result, bank_id="fuzz", title="Fuzz", language="en")


@pytest.mark.parametrize(("text", "reported"), [
    ("::Blank:: {=x ~y}", 'quiz.gift:1: question "Blank": skipped: the question has no text'),
    ("Pick {1:SA:=x} and {=y}",
     "quiz.gift:1: skipped: embedded answers mixed with a GIFT answer set; write one or the other"),
    ("Pick {1:SA:=a::b}",
     "quiz.gift:1: skipped: blank 1's answer \"a::b\" holds '::', '{{' or '}}', which a cloze deletion cannot"),
    ("Pick one {=x}\n\nPick one {~x}", "quiz.gift:3: skipped: a multiple-choice question needs at least 2 choices"),
    ("Pick one {=x ~x}", 'quiz.gift:1: skipped: the choice "x" appears twice'),
    ("Pick one {=x =y ~}", "quiz.gift:1: skipped: every choice is fully right (2); nothing would be wrong"),
    ("Pick one {~x ~y =#nothing}", "quiz.gift:1: skipped: no choice gives full credit"),
    ("Match {=a -> 1 =b}", "quiz.gift:1: skipped: the matching pair \"b\" has no '->'"),
    ("Match {=a -> =b -> 2}", "quiz.gift:1: skipped: the matching pair for \"a\" has nothing after '->'"),
    ("Match {=a -> 1 =a -> 2}",
     'quiz.gift:1: skipped: the left side "a" appears in two pairs; quizdeck needs each once'),
    ("Match {=a -> 1 =b -> 1}",
     'quiz.gift:1: skipped: the right side "1" appears in two pairs; quizdeck needs each once'),
    ("Say {%50%a}", "quiz.gift:1: skipped: no answer gives full credit"),
    ("How many? {#}", "quiz.gift:1: skipped: a numerical question needs a number after '#'"),
    ("How many? {#=%50%3}", "quiz.gift:1: skipped: no answer gives full credit"),
    ("How many? {#abc}", 'quiz.gift:1: skipped: "abc" is not a number, a number:tolerance or a min..max range'),
    ("How many? {#Infinity}", 'quiz.gift:1: skipped: "Infinity" is not a finite number'),
    ("How many? {#3:NaN}", 'quiz.gift:1: skipped: "3:NaN" is not a finite number'),
])
def test_each_question_quizdeck_cannot_hold_is_skipped_with_its_reason_and_line(text: str, reported: str) -> None:
    questions, problems = gift(text)
    assert lines(problems) == [reported]
    assert len(questions) == (1 if text.startswith("Pick one {=x}") else 0)


@pytest.mark.parametrize(("text", "question", "warnings"), [
    ("Pick one {~%50%#fb ~=x ~y}", Choice(id="pick-one", prompt="Pick one", choices=("x", "y"), answer="x"),
     ["an answer with no text (but a weight or feedback) dropped, as Moodle drops it"]),
    ("Say {=a*b =*}", Short(id="say", prompt="Say", answer="a*b"),
     ["the answer \"a*b\" uses Moodle's * wildcard; quizdeck compares it literally",
      "the answer '*' (anything is right) dropped"]),
    ("How many? {#5..1}", Numeric(id="how-many", prompt="How many?", answer=3, tolerance=2), []),
    ("How many? {#1..5}", Numeric(id="how-many", prompt="How many?", answer=3, tolerance=2), []),
    ("How many? {#4:-1}", Numeric(id="how-many", prompt="How many?", answer=4, tolerance=1), []),
    ("Pick {1:SA:=x=y}", None, ['blank 1: other right answers "y" dropped; a blank has one answer']),
])
def test_what_is_changed_on_the_way_is_a_warning_on_the_imported_question(
    text: str, question: Question | None, warnings: list[str]
) -> None:
    questions, problems = gift(text)
    if question is not None:
        assert questions == [question]
    qid = questions[0].id
    assert lines(problems) == [f'quiz.gift:1: warning: question "{qid}": {w}' for w in warnings]


def test_a_bank_comment_that_is_not_a_json_object_is_ignored_with_a_warning() -> None:
    result = parse_gift('// quizdeck bank: [1, 2]\n// quizdeck bank: {"id": "b"\n::a::Which? {=x ~y}\n', "quiz.gift")
    assert result.bank == {}
    assert lines(result.problems) == [
        "quiz.gift:1: warning: the quizdeck bank comment is not a JSON object; ignored",
        "quiz.gift:2: warning: the quizdeck bank comment is not a JSON object; ignored",
    ]
    assert [item.table["id"] for item in result.items] == ["a"]


def test_ids_and_tags_moodle_would_not_read_are_passed_over() -> None:
    # Moodle's expressions need at least one character, and stop a tag at '<', '>' or a control character.
    question = one("// [id:] [id:real] [tag:a<b] [tag:c] [tag:\nQ {T}")
    assert (question.id, question.tags) == ("real", ("c",))
    question = one("// [id:one\nQ {T}")
    assert (question.id, question.tags) == ("q", ())


@pytest.mark.parametrize(("text", "reported"), [
    ("Pick {1:SA:=x} and {", "skipped: embedded answers mixed with a GIFT answer set; write one or the other"),
    ("Pick {1:SA:=x} and }", "skipped: embedded answers mixed with a GIFT answer set; write one or the other"),
    ("Pick {1:XY:=a}", "skipped: blank 1 is a \"XY\" embedded answer; quizdeck's cloze blanks are typed and have one "
                       "right answer"),
])
def test_embedded_answers_quizdeck_cannot_type_are_skipped(text: str, reported: str) -> None:
    questions, problems = gift(text)
    assert (questions, lines(problems)) == ([], [f"quiz.gift:1: {reported}"])


def test_embedded_answers_keep_literal_braces_read_markup_and_take_wrong_answers_silently() -> None:
    questions, problems = gift("""
        Pick <b>one</b>: {1:SA:=x}

        Capital of France: {1:SA:=Paris~Lyon}, written {{literally}}.
        """)
    assert [q.text for q in questions] == [  # type: ignore[attr-defined]
        "Pick one: {{c1::x}}", "Capital of France: {{c1::Paris}}, written {{literally}}."]
    assert problems == []


@pytest.mark.parametrize(("blank", "deletion", "warnings"), [
    ("{1:MC:=only}", "only", []),
    ("{1:MC:~a~=b}", "b", ['blank 1: the choices "a" dropped; the blank is typed']),
    ("{1:MC:~%50%a~=b~c}", "b", ['blank 1: the choices "a", "c" dropped; the blank is typed']),
    ("{1:SA:=x=y=z}", "x", ['blank 1: other right answers "y", "z" dropped; a blank has one answer']),
    ("{1:SA:=x~%1%y}", "x", ['blank 1: partial credit answer "y" dropped']),
    ("{1:NM:=7:0.5}", "7", ['blank 1: the tolerance "0.5" dropped; the number is typed exactly']),
])
def test_what_a_typed_blank_drops_is_a_warning(blank: str, deletion: str, warnings: list[str]) -> None:
    questions, problems = gift(f"::q:: Type it: {blank}")
    assert [q.text for q in questions] == [f"Type it: {{{{c1::{deletion}}}}}"]  # type: ignore[attr-defined]
    assert lines(problems) == [f'quiz.gift:1: warning: question "q": {w}' for w in warnings]


@pytest.mark.parametrize("answer", ["a\\}\\}b", "a\\{\\{b", "a\\:\\:b"])
def test_an_embedded_answer_a_deletion_cannot_hold_is_skipped(answer: str) -> None:
    shown = answer.replace("\\", "")
    questions, problems = gift(f"::q:: Type it: {{1:SA:={answer}}}")
    assert questions == []
    assert lines(problems) == [f'quiz.gift:1: question "q": skipped: blank 1\'s answer "{shown}" holds \'::\', '
                               "'{{' or '}}', which a cloze deletion cannot"]


def test_matching_reads_each_pair_as_moodle_does() -> None:
    # Moodle splits a pair at its first '->', reads the item's format markers and markup (not the match's),
    # and keeps reading after an extra answer with no item.
    questions, problems = gift("""
        ::arrows:: Match {=a -> b -> c =d -> e}

        ::markup:: Match {=<b>Iraq</b> -> Baghdad =Syria -> Damascus}

        ::extra:: Match {=Iraq -> Baghdad = -> Paris =Syria -> Damascus}

        ::one:: Match {=a -> b}
        """)
    assert questions == [
        Match(id="arrows", prompt="Match", pairs=(("a", "b -> c"), ("d", "e"))),
        Match(id="markup", prompt="Match", pairs=(("Iraq", "Baghdad"), ("Syria", "Damascus"))),
        Match(id="extra", prompt="Match", pairs=(("Iraq", "Baghdad"), ("Syria", "Damascus"))),
    ]
    assert lines(problems) == [
        'quiz.gift:5: warning: question "extra": extra answer "Paris" (a distractor with no item) dropped: '
        "quizdeck's matching has no distractors",
        'quiz.gift:7: question "one": skipped: a matching question needs at least 2 pairs',
    ]


def test_ten_items_matched_to_their_positions_are_an_ordering_question() -> None:
    pairs = " ".join(f"=item {n} -> {n}" for n in [3, 10, 1, 2, 4, 5, 6, 7, 8, 9])
    assert one(f"::steps:: Put them in order {{{pairs}}}") == Order(
        id="steps", prompt="Put them in order", items=tuple(f"item {n}" for n in range(1, 11)))


def test_a_numeric_questions_wrong_answer_feedback_is_read_as_moodle_reads_it() -> None:
    # Moodle: the wrong-answer feedback is everything after the first '~', and after its first '#'.
    questions, problems = gift("""
        ::markup:: How many? {#=3 ~#<b>No</b>, not #1}

        ::twice:: How many? {#=3 ~#No ~#Really no}
        """)
    assert [q.explanation for q in questions] == ["any other answer: No, not #1", "any other answer: No ~#Really no"]
    assert problems == []


@pytest.mark.parametrize("number", ["1..2..3", "3:1:2"])
def test_a_number_with_two_ranges_or_tolerances_is_skipped(number: str) -> None:
    questions, problems = gift(f"::q:: How many? {{#{number}}}")
    assert questions == []
    assert lines(problems) == [f'quiz.gift:1: question "q": skipped: "{number}" is not a number, a number:tolerance '
                               "or a min..max range"]


def test_gift_read_without_a_name_is_named_gift() -> None:
    _, problems = read_gift("Essay? {}")
    assert lines(problems) == [
        "<gift>:1: skipped: an essay question ({} with nothing inside); quizdeck has no essay type"]


def test_a_numeric_answers_feedback_is_read_in_the_questions_format() -> None:
    assert one("::q:: How many? {#=3#<b>Right</b>}").explanation == "Right"
    assert one("::q:: [markdown]How many? {#=3#<b>Right</b>}").explanation == "<b>Right</b>"


def test_multiple_choice_answers_are_split_and_weighed_as_moodle_does() -> None:
    # Moodle keeps text before the first '~' as an answer, drops answers with no text, and counts any
    # positive weight as a right choice of a multiple-answer question.
    questions, problems = gift("""
        ::first:: Pick {a ~ ~b =c}

        ::weight-only:: Pick {~%50% ~=x ~y}

        ::one-percent:: Pick {~%1%a ~%99%b ~c}

        ::three-right:: Pick {=a =b =c ~d}
        """)
    assert questions == [
        Choice(id="first", prompt="Pick", choices=("a", "b", "c"), answer="c"),
        Choice(id="weight-only", prompt="Pick", choices=("x", "y"), answer="x"),
        Multi(id="one-percent", prompt="Pick", choices=("a", "b", "c"), answers=("a", "b")),
        Choice(id="three-right", prompt="Pick", choices=("a", "d"), answer="a"),
    ]
    assert lines(problems) == [
        'quiz.gift:3: warning: question "weight-only": an answer with no text (but a weight or feedback) dropped, '
        "as Moodle drops it",
        'quiz.gift:7: warning: question "three-right": the other fully right choices "b", "c" dropped: a quizdeck '
        "choice question has one right answer",
    ]


def test_partial_credit_and_weights_near_a_full_hundred() -> None:
    questions, problems = gift("""
        ::half:: Pick {=a ~%50%b ~c}

        ::nearly:: Pick {~%49.5%a ~%50%b ~c}

        ::short:: Pick {~%49.4%a ~%50%b ~c}
        """)
    assert questions == [Choice(id="half", prompt="Pick", choices=("a", "b", "c"), answer="a"),
                         Multi(id="nearly", prompt="Pick", choices=("a", "b", "c"), answers=("a", "b"))]
    assert lines(problems) == [
        'quiz.gift:1: warning: question "half": partial credit (50%) for "b" dropped: it counts as wrong',
        'quiz.gift:5: question "short": skipped: the right choices\' weights add up to 99.4%, not 100%; quizdeck '
        "marks a multiple-answer question right only when every right choice is picked",
    ]


def test_true_false_feedback_is_split_at_its_first_hash_and_read_in_the_questions_format() -> None:
    # Moodle: the first feedback goes to a wrong answer, everything after the next '#' to a right one.
    question = one("::sky:: The sky is green {F#<b>No</b>, it is blue#Right # <i>well</i> done}")
    assert question == TrueFalse(id="sky", prompt="The sky is green", answer=False,
                                 explanation="true: No, it is blue\nfalse: Right # well done")


def test_a_short_answers_feedback_is_read_in_the_questions_format_and_its_answer_as_typed() -> None:
    assert one("::q:: Capital? {=<b>Paris</b>#<b>Yes</b>}") == Short(id="q", prompt="Capital?", answer="<b>Paris</b>",
                                                                    explanation="Yes")


def test_the_same_feedback_on_every_right_answer_is_the_explanation_once() -> None:
    questions, problems = gift("""
        ::multi:: Pick {~%50%a#Yes ~%50%b#Yes ~c}

        ::short:: Capital? {=a#Yes =b#Yes}

        ::truefalse:: Sky {T#Same#Same}
        """)
    assert [(q.id, q.explanation) for q in questions] == [("multi", "Yes"), ("short", "Yes"), ("truefalse", "Same")]
    assert problems == []


def test_a_short_answer_imports_only_the_keys_it_has_and_drops_even_one_percent_credit() -> None:
    result = parse_gift("::one:: Say {=a}\n\n::two:: Say {=a =%1%b}\n", "quiz.gift")
    assert [item.table for item in result.items] == [{"id": "one", "type": "short", "prompt": "Say", "answer": "a"},
                                                      {"id": "two", "type": "short", "prompt": "Say", "answer": "a"}]
    assert lines(result.problems) == [
        'quiz.gift:3: warning: question "two": partial credit answer "b" (1%) dropped: quizdeck has no partial credit']


def test_a_title_without_its_closing_colons_is_read_as_the_question_as_moodle_reads_it() -> None:
    # Moodle (question/format/gift/format.php): with no closing '::' the question has no name, and its
    # text is what follows the opening '::'.
    questions, problems = gift("::Unclosed title Which? {T}")
    assert questions == [TrueFalse(id="unclosed-title-which", prompt="Unclosed title Which?", answer=True)]
    assert lines(problems) == ['quiz.gift:1: warning: question "unclosed-title-which": the title has no closing '
                               "'::'; what follows the opening '::' is the question, as Moodle reads it"]


@pytest.mark.parametrize(("text", "reason"), [
    ("Which { year?", "unbalanced braces: write one {...} holding the answers (escape a literal brace as \\{)"),
    ("Which } year?", "unbalanced braces: write one {...} holding the answers (escape a literal brace as \\{)"),
    ("Which } year? {T", "unbalanced braces: write one {...} holding the answers (escape a literal brace as \\{)"),
    ("Which {{T}}", "unbalanced braces: write one {...} holding the answers (escape a literal brace as \\{)"),
    ("Which {T} and {F}", "more than one {...} answer set; GIFT allows one per question"),
    ("Which {T} and }", "more than one {...} answer set; GIFT allows one per question"),
    ("Which {T} and {F", "more than one {...} answer set; GIFT allows one per question"),
    ("{Which year?", "unbalanced braces: write one {...} holding the answers (escape a literal brace as \\{)"),
    ("} Which year?", "unbalanced braces: write one {...} holding the answers (escape a literal brace as \\{)"),
])
def test_braces_gift_cannot_read_are_skipped_with_how_to_write_them(text: str, reason: str) -> None:
    questions, problems = gift(text)
    assert (questions, lines(problems)) == ([], [f"quiz.gift:1: skipped: {reason}"])


def test_categories_give_the_title_and_a_tag_and_a_question_may_follow_on_the_next_line() -> None:
    result = parse_gift(
        "\ufeff$CATEGORY: $course$/top/Unit 1/Week 2\n::a::Which? {T}\n\n"
        "$CATEGORY: $course$/top\n::b::Which? {T}\n\n"
        "$CATEGORY: Maths//Physics\n::c::Which? {T}\n\n"
        "$CATEGORY: $module$/Final\n::d::Which? {T}\n", "quiz.gift")
    assert result.title == "Week 2"
    assert [(item.line, item.table["id"], item.table.get("tags")) for item in result.items] == [
        (2, "a", ["week-2"]), (5, "b", None), (8, "c", ["maths-physics"]), (11, "d", ["final"])]
    assert result.problems == []


def test_general_feedback_comes_first_then_each_answers_and_markup_is_read_by_format() -> None:
    questions, problems = gift("""
        ::g::Which? {=a#Right ~b#Wrong ####General}

        ::h::[html]<p>Which &amp; what?</p> {T}

        ::m::[markdown]Which *what* &amp; <i>how</i>? {T}

        ::n::Which <i>line</i>
        two? {T}
        """)
    assert [(q.prompt, q.explanation) for q in questions] == [
        ("Which?", "General\n\na: Right\nb: Wrong"), ("Which & what?", ""), ("Which *what* &amp; <i>how</i>?", ""),
        ("Which line\ntwo?", "")]
    assert problems == []


def test_the_first_moodle_id_and_each_tag_once_are_kept() -> None:
    question = one("// [tag:one] [tag: ] [tag:one] [id:first] [id:second]\n::t::Which? {T}")
    assert (question.id, question.tags) == ("first", ("one",))


def test_a_category_keeps_an_escaped_slash_and_a_moodle_variable_names_nothing() -> None:
    escaped = parse_gift("$CATEGORY: Maths//Physics\n::c::Which? {T}\n", "quiz.gift")
    assert (escaped.title, escaped.items[0].table["tags"]) == ("Maths/Physics", ["maths-physics"])
    variable = parse_gift("$CATEGORY: $course$\n::c::Which? {T}\n", "quiz.gift")
    assert (variable.title, "tags" in variable.items[0].table) == ("", False)


def test_only_the_category_after_the_bank_comment_is_the_banks_and_later_ones_are_tags() -> None:
    result = parse_gift('// quizdeck bank: {"id": "b", "title": "Unit 1", "language": "en"}\n'
                        "$CATEGORY: $course$/top/Unit 1\n\n::a::Which? {T}\n\n"
                        "$CATEGORY: $course$/top/Unit 2\n\n::b::Which? {F}\n", "quiz.gift")
    assert [(item.table["id"], item.table.get("tags")) for item in result.items] == [("a", None), ("b", ["unit-2"])]


def test_embedded_answers_without_a_title_take_their_id_from_the_text() -> None:
    assert one("Paris is the capital of {1:SA:=France}.").id == "paris-is-the-capital-of-c1"


def test_the_title_ends_at_the_first_closing_colons_and_may_be_empty() -> None:
    # Moodle: strpos($text, '::') after the opening '::'.
    assert one("::Scope:: Is a::b C++ scope? {T}") == TrueFalse(id="scope", prompt="Is a::b C++ scope?", answer=True)
    questions, problems = gift("::::Which? {T}")
    assert (questions, problems) == ([TrueFalse(id="which", prompt="Which?", answer=True)], [])


def test_general_feedback_starts_after_the_last_four_hashes_and_is_read_in_the_questions_format() -> None:
    # Moodle: strrpos($answertext, '####').
    assert one("::s::Say {=a ####first####second}").explanation == "second\n\n###first"
    assert one("::t::Which? {=a ~b ####<b>Well</b> done}").explanation == "Well done"
    questions, problems = gift("::e::Which? {####General only}")
    assert (questions, lines(problems)) == ([], ['quiz.gift:1: question "e": skipped: an essay question ({} with '
                                                 "nothing inside); quizdeck has no essay type"])


def test_an_embedded_number_keeps_what_precedes_its_first_colon() -> None:
    questions, problems = gift("Pi is {1:NM:=3.14:0.01:2}.")
    assert [q.text for q in questions] == ["Pi is {{c1::3.14}}."]  # type: ignore[attr-defined]
    assert lines(problems) == ['quiz.gift:1: warning: question "pi-is-c1-3-14": blank 1: the tolerance "0.01:2" '
                               "dropped; the number is typed exactly"]


def test_a_wildcard_with_partial_credit_is_no_full_answer() -> None:
    questions, problems = gift("::w::Say {%50%*}")
    assert (questions, lines(problems)) == ([], ['quiz.gift:1: question "w": skipped: no answer gives full credit'])


@pytest.mark.parametrize(("comment", "tags"), [
    ("[tag:a][tag:b]", ("a", "b")),
    ("[tag:][tag:a][tag:b]", ("a", "b")),
    ("[tag:a\t[tag:b]", ("b",)),  # a control character ends a value unread; the next one follows it
])
def test_tags_written_side_by_side_are_each_read(comment: str, tags: tuple[str, ...]) -> None:
    assert one(f"// {comment}\n::t::Which? {{T}}").tags == tags
