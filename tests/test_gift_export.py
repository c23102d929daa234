"""Writing GIFT: exact output, escaping, what is reported, and bank -> GIFT -> bank round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import Bank, find_bank_files, load_bank, parse_bank
from quizdeck.cli import app
from quizdeck.commands.export_text import export_text
from quizdeck.convert import BLANK
from quizdeck.errors import BankError
from quizdeck.gift import read_gift, write_gift
from quizdeck.questions import (
    CLOZE_PATTERN,
    Choice,
    Cloze,
    Match,
    Multi,
    Numeric,
    Order,
    Question,
    Short,
    TrueFalse,
)

from .conftest import BANKS, QUIZZES

QUIZZES_BANKS = find_bank_files([QUIZZES]) if QUIZZES.is_dir() else []


def bank_of(toml_questions: str, language: str = "en") -> Bank:
    return parse_bank(f'[bank]\nid = "b"\ntitle = "B"\nlanguage = "{language}"\n\n{toml_questions}')


def _blank(text: str) -> str:
    return re.sub(r"_{3,}", BLANK, text).strip()


def assert_same_meaning(original: Question, back: Question) -> None:
    """What a question asks and what is right survive GIFT; the prompt is equal but for the blank's length."""
    assert back.id == original.id
    assert back.explanation == original.explanation.strip()
    assert set(original.tags) <= set(back.tags)  # plus the tag of the bank's $CATEGORY
    if isinstance(original, Cloze):
        (found,) = CLOZE_PATTERN.finditer(original.text)
        text = CLOZE_PATTERN.sub(BLANK, original.text)
        assert isinstance(back, Short) and back.accept == ()
        assert back.answer == found.group(2).strip()
        assert _blank(back.prompt) == _blank(f"{original.prompt}\n{text}" if original.prompt else text)
        return
    assert type(back) is type(original)
    assert _blank(back.prompt) == _blank(original.prompt)
    if isinstance(original, Choice):
        assert isinstance(back, Choice)
        assert (back.choices, back.answer) == (original.choices, original.answer)
    elif isinstance(original, Multi):
        assert isinstance(back, Multi)
        assert back.choices == original.choices and set(back.answers) == set(original.answers)
    elif isinstance(original, TrueFalse):
        assert isinstance(back, TrueFalse) and back.answer == original.answer
    elif isinstance(original, Short):
        assert isinstance(back, Short) and (back.answer, back.accept) == (original.answer, original.accept)
    elif isinstance(original, Numeric):
        assert isinstance(back, Numeric)
        assert (back.answer, back.tolerance) == (original.answer, original.tolerance)
    elif isinstance(original, Order):
        assert isinstance(back, Order) and back.items == original.items
    elif isinstance(original, Match):
        assert isinstance(back, Match) and back.pairs == original.pairs
    else:  # pragma: no cover - cards are never written
        raise AssertionError(f"{original.type} should have been reported")


def round_trip(bank: Bank) -> None:
    text, written, problems = write_gift([bank])
    back, read_problems = read_gift(text, "exported.gift")
    assert read_problems == []
    by_id = {q.id: q for q in back}
    reported = {re.search(r'question "([^"]+)"', p.where).group(1)  # type: ignore[union-attr]
                for p in problems if p.severity == "error"}
    assert len(back) == written == len(bank.questions) - len(reported)
    for question in bank.questions:
        if question.id in reported:
            assert question.type in ("card", "cloze") or "->" in str(question), question
            assert question.id not in by_id
        else:
            assert_same_meaning(question, by_id[question.id])


def test_all_types_round_trip_keeps_meaning(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    round_trip(bank)
    _, _, problems = write_gift([bank])
    assert [str(p) for p in problems] == [
        f'{all_types_bank}: question "capital-card": not exported: a flashcard is graded by the learner; GIFT has '
        "no such question",
        f'{all_types_bank}: question "planets-cloze": not exported: a cloze with 2 deletions; GIFT\'s missing word '
        "has one blank (split it into one cloze per deletion to export it)",
        f'{all_types_bank}: warning: GIFT has no place for hint (question "largest-planet"), unit (question '
        '"speed-of-light"); left out',
    ]


@pytest.mark.parametrize("path", QUIZZES_BANKS, ids=[p.stem for p in QUIZZES_BANKS])
def test_every_bundled_bank_round_trips(path: Path) -> None:
    try:
        bank = load_bank(path)
    except BankError as error:  # a bank being written right now; `check` tests own its validity
        pytest.skip(f"{path.name} does not load yet: {error.problems[0]}")
    round_trip(bank)


def test_exact_gift_for_each_type() -> None:
    bank = bank_of('''
[[questions]]
id = "largest"
type = "choice"
prompt = "Which planet is the largest?"
choices = ["Mars", "Jupiter"]
answer = "Jupiter"
explanation = "By far: 318 Earths."

[[questions]]
id = "primary"
type = "multi"
prompt = "Primary colours of light?"
choices = ["red", "green", "yellow"]
answers = ["red", "green"]

[[questions]]
id = "boils"
type = "truefalse"
prompt = "Water boils at 100 °C at sea level."
answer = true
explanation = "At 1 atm."

[[questions]]
id = "pi"
type = "numeric"
prompt = "Pi to two decimals?"
answer = 3.14
tolerance = 0.005

[[questions]]
id = "sun"
type = "cloze"
text = "The {{c1::Sun}} is a star."
''')
    text, written, problems = write_gift([bank])
    assert text == (
        "// b: B\n"
        '// quizdeck bank: {"id": "b", "title": "B", "language": "en"}\n'
        "$CATEGORY: $course$/top/B\n"
        "\n"
        "// [id:largest]\n"
        "::largest::Which planet is the largest?{\n"
        "\t~Mars\n"
        "\t=Jupiter\n"
        "\t####By far\\: 318 Earths.\n"
        "}\n"
        "\n"
        "// [id:primary]\n"
        "::primary::Primary colours of light?{\n"
        "\t~%50%red\n"
        "\t~%50%green\n"
        "\t~%-100%yellow\n"
        "}\n"
        "\n"
        "// [id:boils]\n"
        "::boils::Water boils at 100 °C at sea level.{TRUE####At 1 atm.}\n"
        "\n"
        "// [id:pi]\n"
        "::pi::Pi to two decimals?{#3.14:0.005}\n"
        "\n"
        "// [id:sun]\n"
        "::sun::The {=Sun} is a star.\n"
    )
    assert written == 5 and problems == []


def test_escaping_and_marker_like_text_survive() -> None:
    bank = bank_of(r'''
[[questions]]
id = "specials"
type = "choice"
prompt = "Which is {special}: a ~ b = c # d \\ e?"
choices = ["= 2 + 3", "%50% off", "[html]<b>", "back\\slash", "line\none"]
answer = "%50% off"

[[questions]]
id = "arrow"
type = "short"
prompt = "Type it"
answer = "%10%"
accept = ["[plain] x"]
''')
    text, _, problems = write_gift([bank])
    assert "// [id:specials]\n::specials::[plain]Which is \\{special\\}\\: a \\~ b \\= c \\# d \\\\ e?{" in text
    assert "\t~%0%[plain][html]<b>\n" not in text and "\t~[plain][html]<b>\n" in text
    assert "\t=%100%%10%\n" in text
    back, read_problems = read_gift(text)
    assert read_problems == [] and problems == []
    for original, again in zip(bank.questions, back, strict=True):
        assert_same_meaning(original, again)


def test_blank_in_prompt_becomes_missing_word_and_one_at_the_end_stays() -> None:
    bank = bank_of('''
[[questions]]
id = "middle"
type = "choice"
prompt = "Grant is ___ in Grant's tomb."
choices = ["buried", "entombed"]
answer = "entombed"

[[questions]]
id = "end"
type = "short"
prompt = "The capital of France is _____"
answer = "Paris"

[[questions]]
id = "end-cloze"
type = "cloze"
prompt = "Complete:"
text = "The capital of Italy is {{c1::Rome::a city}}"
''')
    text, _, problems = write_gift([bank])
    assert "// [id:middle]\n::middle::Grant is {\n\t~buried\n\t=entombed\n} in Grant's tomb.\n" in text
    assert "::end::The capital of France is _____{\n\t=Paris\n}\n" in text
    assert "::end-cloze::Complete\\:\\nThe capital of Italy is _____{=Rome}\n" in text
    assert [str(p) for p in problems] == [
        'b: warning: GIFT has no place for deletion hints (question "end-cloze"); left out']
    back, _ = read_gift(text)
    assert [q.prompt for q in back] == ["Grant is _____ in Grant's tomb.", "The capital of France is _____",
                                        "Complete:\nThe capital of Italy is _____"]


def test_arrow_in_a_short_answer_is_reported_not_mangled() -> None:
    bank = bank_of('''
[[questions]]
id = "arrow"
type = "short"
prompt = "What does an arrow look like?"
answer = "->"
''')
    text, written, problems = write_gift([bank])
    assert written == 0 and text == ('// b: B\n// quizdeck bank: {"id": "b", "title": "B", "language": "en"}\n'
                                  "$CATEGORY: $course$/top/B\n")
    assert [p.message for p in problems] == [
        "not exported: an answer contains '->', which GIFT would read as a matching question"]


def test_tags_travel_in_moodle_comments() -> None:
    bank = bank_of('''
[[questions]]
id = "tagged"
type = "truefalse"
prompt = "Tagged?"
answer = true
tags = ["p01", "a]b", "فهم"]
''')
    text, _, problems = write_gift([bank])
    assert "// [id:tagged] [tag:p01] [tag:a\\]b] [tag:فهم]\n::tagged::Tagged?{TRUE}\n" in text
    assert problems == []
    (back,), _ = read_gift(text)
    assert back.tags == ("p01", "a]b", "فهم")  # the category quizdeck wrote is the bank's title, not a tag


def test_arabic_bank_round_trips() -> None:
    bank = bank_of('''
[[questions]]
id = "victory-year"
type = "numeric"
prompt = "في أي عام أُعلن النصر على داعش في العراق؟"
answer = 2017

[[questions]]
id = "spokeswoman"
type = "choice"
prompt = "من هي المتحدثة السابقة باسم التحالف ضد داعش؟"
choices = ["غابي طومسون", "مارغريت تاتشر"]
answer = "غابي طومسون"
explanation = "يقول النص: «غابي طومسون، المتحدثة السابقة باسم التحالف ضد داعش»."
''', language="ar")
    round_trip(bank)


def test_export_text_writes_gift_to_a_file_and_reports(tmp_path: Path, all_types_bank: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.gift"
    export_text([all_types_bank], "gift", out)
    captured = capsys.readouterr()
    assert out.read_text(encoding="utf-8") == write_gift([load_bank(all_types_bank)])[0]
    assert captured.out == ""
    assert captured.err.splitlines()[-1] == f"{out}: 7 questions as GIFT (2 not exported, listed above)"
    export_text([all_types_bank], "gift", None)
    assert capsys.readouterr().out.startswith(
        "// all-types: Every question type\n// quizdeck bank: {\"id\": \"all-types\"")


def test_quizdeck_export_format_gift_command(tmp_path: Path, all_types_bank: Path) -> None:
    out = tmp_path / "all.gift"
    result = CliRunner().invoke(app, ["export", str(all_types_bank), "--format", "gift", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{out}: 7 questions as GIFT (2 not exported, listed above)" in result.output
    back, problems = read_gift(out.read_text(encoding="utf-8"))
    assert problems == [] and len(back) == 7


def test_exported_file_imports_back_through_the_cli(tmp_path: Path) -> None:
    gift_file, bank_file = tmp_path / "all.gift", tmp_path / "again.toml"
    runner = CliRunner()
    assert runner.invoke(app, ["export", str(BANKS / "all-types.toml"), "-o", str(gift_file)]).exit_code == 0
    result = runner.invoke(app, ["import", str(gift_file), "-o", str(bank_file)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["check", str(bank_file)]).exit_code == 0
    assert [q.id for q in load_bank(bank_file).questions] == [
        "largest-planet", "primary-colours", "water-boils", "author-hamlet", "speed-of-light", "planet-order",
        "capitals-match"]


def test_multi_with_eleven_right_choices_warns_about_moodle_grades() -> None:
    choices = [f"c{n}" for n in range(12)]
    bank = bank_of(f'''
[[questions]]
id = "many"
type = "multi"
prompt = "Pick eleven."
choices = {choices!r}
answers = {choices[:11]!r}
'''.replace("'", '"'))
    text, _, problems = write_gift([bank])
    assert "\t~%9.09091%c0\n" in text
    assert [str(p) for p in problems] == [
        'b: warning: question "many": 11 right choices of 9.09091% each: Moodle\'s grade list lacks it, so choose '
        '"Nearest grade if not listed" when importing']
    back, _ = read_gift(text)
    assert_same_meaning(bank.questions[0], back[0])


def test_arrows_gift_cannot_hold_are_reported_and_a_right_side_keeps_a_marker_like_start() -> None:
    bank = bank_of('''
[[questions]]
id = "arrow-item"
type = "match"
prompt = "Match"
pairs = [["a->b", "1"], ["c", "2"]]

[[questions]]
id = "arrow-deletion"
type = "cloze"
text = "Write {{c1::a->b}}"

[[questions]]
id = "marker"
type = "match"
prompt = "Match the markup"
pairs = [["bold", "[html]<b>"], ["italic", "[plain]<i>"]]
''')
    text, written, problems = write_gift([bank])
    assert [str(p) for p in problems] == [
        'b: question "arrow-item": not exported: the item "a->b" contains \'->\', which GIFT uses between item and '
        "match",
        'b: question "arrow-deletion": not exported: the deletion contains \'->\', which GIFT would read as a '
        "matching question",
    ]
    assert written == 1
    assert "\t=bold -> [html]<b>\n\t=italic -> [plain]<i>\n" in text
    back, read_problems = read_gift(text)
    assert read_problems == []
    assert back == [Match(id="marker", prompt="Match the markup",
                          pairs=(("bold", "[html]<b>"), ("italic", "[plain]<i>")))]


def test_a_deletion_that_starts_like_a_weight_is_written_with_full_credit() -> None:
    bank = bank_of('''
[[questions]]
id = "discount"
type = "cloze"
text = "The sale takes {{c1::%20%}} off"
''')
    text, _, problems = write_gift([bank])
    assert "::discount::The sale takes {=%100%%20%} off\n" in text
    back, read_problems = read_gift(text)
    assert (problems, read_problems) == ([], [])
    assert back == [Short(id="discount", prompt="The sale takes _____ off", answer="%20%")]


@pytest.mark.parametrize(("count", "named"), [
    (1, 'question "q1"'), (2, 'questions "q1", "q2"'), (3, 'questions "q1", "q2", "q3"'), (4, "4 questions")])
def test_keys_gift_cannot_hold_are_reported_once_naming_the_questions(count: int, named: str) -> None:
    question = '[[questions]]\nid = "q{n}"\ntype = "truefalse"\nprompt = "p"\nanswer = true\nhint = "h"\n\n'
    bank = bank_of("".join(question.format(n=n) for n in range(1, count + 1)))
    _, written, problems = write_gift([bank])
    assert written == count
    assert [str(p) for p in problems] == [f"b: warning: GIFT has no place for hint ({named}); left out"]


def test_a_wrong_choice_that_starts_like_a_weight_and_a_tag_with_a_line_break_are_written_for_moodle() -> None:
    bank = bank_of('''
[[questions]]
id = "sale"
type = "choice"
prompt = "Which is the discount?"
choices = ["%50% off", "half price"]
answer = "half price"
tags = ["two\\nlines", "a]b"]
''')
    text, _, problems = write_gift([bank])
    assert ("// [id:sale] [tag:two lines] [tag:a\\]b]\n::sale::Which is the discount?{\n\t~%0%%50% off\n"
            "\t=half price\n}\n") in text
    assert [str(p) for p in problems] == [
        "b: warning: question \"sale\": a tag with '<', '>' or a line break, which Moodle does not accept in tags"]
    back, _ = read_gift(text)
    assert back[0] == Choice(id="sale", prompt="Which is the discount?", choices=("%50% off", "half price"),
                             answer="half price", tags=("two lines", "a]b"))


def test_the_bank_heading_and_category_keep_a_title_with_slashes_line_breaks_and_arabic_readable() -> None:
    bank = parse_bank('[bank]\nid = "iraq"\ntitle = "العراق / سوريا\\nملاحظات"\nlanguage = "ar"\n\n'
                      '[[questions]]\nid = "x-ray"\ntype = "truefalse"\nprompt = "Salt &amp; pepper?"\nanswer = true\n'
                      'tags = ["X-ray"]\n')
    text, _, problems = write_gift([bank])
    assert text == (
        "// iraq: العراق / سوريا ملاحظات\n"
        '// quizdeck bank: {"id": "iraq", "title": "العراق / سوريا\\nملاحظات", "language": "ar"}\n'
        "$CATEGORY: $course$/top/العراق // سوريا ملاحظات\n"
        "\n"
        "// [id:x-ray] [tag:X-ray]\n"
        "::x-ray::[plain]Salt &amp; pepper?{TRUE}\n"
    )
    assert problems == []
    back, _ = read_gift(text)
    assert back == [TrueFalse(id="x-ray", prompt="Salt &amp; pepper?", answer=True, tags=("X-ray",))]


def test_text_after_a_blank_is_written_as_it_is_and_an_exact_bank_says_so() -> None:
    bank = parse_bank('[bank]\nid = "b"\ntitle = "B"\nlanguage = "en"\nfuzzy = false\n\n'
                      '[[questions]]\nid = "tag"\ntype = "short"\nprompt = "Type ___[html] here"\nanswer = "x"\n')
    text, _, problems = write_gift([bank])
    assert text == (
        "// b: B\n"
        '// quizdeck bank: {"id": "b", "title": "B", "language": "en", "fuzzy": false}\n'
        "$CATEGORY: $course$/top/B\n"
        "\n"
        "// [id:tag]\n"
        "::tag::Type {\n\t=x\n}[html] here\n"
    )
    back, read_problems = read_gift(text)
    assert (problems, read_problems) == ([], [])
    assert back == [Short(id="tag", prompt="Type _____[html] here", answer="x")]


@pytest.mark.parametrize("tail", ["in box X", "here "])
def test_the_text_ends_with_the_last_questions_own_characters(tail: str) -> None:
    bank = bank_of(f'[[questions]]\nid = "q"\ntype = "short"\nprompt = "Type ___ {tail}"\nanswer = "x"\n')
    text, _, _ = write_gift([bank])
    assert text.endswith(f"::q::Type {{\n\t=x\n}} {tail}\n")
