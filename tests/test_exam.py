"""Printable exams through the Python API: choosing, shuffling, keys, and the HTML and Markdown text."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from quizdeck.bank import Bank, load_bank, parse_bank
from quizdeck.errors import UsageError
from quizdeck.exam import (
    ARABIC,
    ENGLISH,
    PrintedQuestion,
    build_exam,
    format_number,
    image_prefix_for,
    key_lines,
    read_images,
    render_html,
    render_markdown,
    select_questions,
)
from quizdeck.questions import Card, Choice, Cloze, Match, Multi, Numeric, Order, Short, TrueFalse, parse_deletions

from .conftest import BANKS, SOURCE_TEXT, needs_source

TINY = """\
[bank]
id = "tiny"
title = "Tiny *exam*"
language = "en"

[[questions]]
id = "largest"
type = "choice"
prompt = "Which planet is the largest?"
choices = ["Mars", "Jupiter", "Venus"]
answer = "Jupiter"

[[questions]]
id = "hamlet"
type = "short"
prompt = "Who wrote\\nHamlet?"
answer = "William Shakespeare"
accept = ["Shakespeare"]
"""

TINY_MARKDOWN = """\
# Tiny \\*exam\\*

**Version A**

Name: ______________________________  Class: ______________  Date: ______________

Answer every question. Write your answers in the spaces provided.

1. Which planet is the largest?

   *Circle the letter of the correct answer.*

   - A. Jupiter
   - B. Venus
   - C. Mars

2. Who wrote\\
   Hamlet?

   Answer: ________________________________________

---

# Tiny \\*exam\\*

**Version B**

Name: ______________________________  Class: ______________  Date: ______________

Answer every question. Write your answers in the spaces provided.

1. Which planet is the largest?

   *Circle the letter of the correct answer.*

   - A. Venus
   - B. Mars
   - C. Jupiter

2. Who wrote\\
   Hamlet?

   Answer: ________________________________________

---

# Tiny \\*exam\\*

## Answer key — Version A

1. A. Jupiter

2. William Shakespeare (also accepted: Shakespeare)

---

# Tiny \\*exam\\*

## Answer key — Version B

1. C. Jupiter

2. William Shakespeare (also accepted: Shakespeare)
"""


@pytest.fixture
def english() -> Bank:
    return load_bank(BANKS / "all-types.toml")


@pytest.fixture
def arabic() -> Bank:
    return load_bank(BANKS / "exam-arabic.toml")


def order_of(exam_version: object) -> list[str]:
    return [p.question.id for p in exam_version.questions]  # type: ignore[attr-defined]


# --- choosing and shuffling ----------------------------------------------------------------


def test_markdown_layout_is_exact() -> None:
    exam = build_exam(parse_bank(TINY), versions=2, seed=3)
    assert render_markdown(exam) == TINY_MARKDOWN


def test_same_arguments_give_the_same_bytes(english: Bank, arabic: Bank) -> None:
    for bank in (english, arabic):
        first = build_exam(bank, versions=3, seed=42, limit=6)
        again = build_exam(bank, versions=3, seed=42, limit=6)
        assert render_html(first) == render_html(again)
        assert render_markdown(first) == render_markdown(again)


def test_versions_differ_in_question_and_choice_order(english: Bank) -> None:
    exam = build_exam(english, versions=2, seed=0)
    a, b = exam.versions
    assert order_of(a) != order_of(b)
    assert sorted(order_of(a)) == sorted(order_of(b)) == sorted(q.id for q in english.questions)
    choices_a = {p.question.id: p.arrangement for p in a.questions}
    choices_b = {p.question.id: p.arrangement for p in b.questions}
    assert choices_a != choices_b


@pytest.mark.parametrize("seed", range(20))
def test_versions_differ_even_when_only_two_orders_exist(seed: int) -> None:
    # One question with two choices: two arrangements only, and versions A and B must take both.
    bank = parse_bank('[bank]\nid = "b"\ntitle = "t"\nlanguage = "en"\n[[questions]]\nid = "q"\n'
                      'type = "choice"\nprompt = "p"\nchoices = ["x", "y"]\nanswer = "x"\n')
    a, b = build_exam(bank, versions=2, seed=seed).versions
    assert {a.questions[0].arrangement, b.questions[0].arrangement} == {(0, 1), (1, 0)}
    # More versions than arrangements: repeats are unavoidable, and allowed.
    assert len(build_exam(bank, versions=5, seed=seed).versions) == 5


def test_a_version_depends_only_on_the_seed_and_its_letter(english: Bank) -> None:
    two = build_exam(english, versions=2, seed=9)
    three = build_exam(english, versions=3, seed=9)
    assert two.versions == three.versions[:2]
    assert build_exam(english, versions=1, seed=10).versions[0] != two.versions[0]


def test_labels_follow_the_bank_language(english: Bank, arabic: Bank) -> None:
    assert [v.label for v in build_exam(english, versions=3).versions] == ["A", "B", "C"]
    assert [v.label for v in build_exam(arabic, versions=5).versions] == ["أ", "ب", "ج", "د", "هـ"]
    assert [v.letter for v in build_exam(arabic, versions=2).versions] == ["A", "B"]


def test_limit_picks_the_same_questions_for_every_version(english: Bank) -> None:
    exam = build_exam(english, versions=4, seed=5, limit=4)
    chosen = [sorted(order_of(v)) for v in exam.versions]
    assert all(ids == chosen[0] for ids in chosen)
    assert len(chosen[0]) == 4
    subsets = {tuple(q.id for q in select_questions(english, limit=4, seed=s)) for s in range(10)}
    assert len(subsets) > 1, "the subset should depend on the seed"
    assert select_questions(english, limit=50) == english.questions


def test_tag_selects_questions(english: Bank) -> None:
    assert [q.id for q in select_questions(english, tag="literature")] == ["author-hamlet"]
    assert select_questions(english, tag="demo") == english.questions  # a bank-wide tag


def test_mistakes_are_usage_errors(english: Bank) -> None:
    with pytest.raises(UsageError, match='no question has the tag "nope"; tags in this bank: demo, geo, literature'):
        build_exam(english, tag="nope")
    with pytest.raises(UsageError, match="--versions must be between 1 and 26, got 27"):
        build_exam(english, versions=27)
    with pytest.raises(UsageError, match="--limit must be at least 1"):
        build_exam(english, limit=0)
    with pytest.raises(UsageError, match='unknown paper size "a3"'):
        render_html(build_exam(english), paper="a3")


# --- answer keys ---------------------------------------------------------------------------


def test_answer_key_of_every_type() -> None:
    cloze_text = "The {{c1::Sun}} is a star; the {{c2::Moon::satellite}} orbits the Earth."
    cases = [
        (PrintedQuestion(Card(id="c", prompt="Capital of France", back="Paris")), ["Paris"]),
        (PrintedQuestion(Choice(id="c", prompt="p", choices=("Mars", "Jupiter", "Venus"), answer="Jupiter",
                                explanation="The largest."), (2, 0, 1)),
         ["C. Jupiter", "Explanation: The largest."]),
        (PrintedQuestion(Multi(id="m", prompt="p", choices=("red", "green", "blue", "yellow"),
                               answers=("red", "blue")), (3, 2, 1, 0)),
         ["B. blue; D. red"]),
        (PrintedQuestion(TrueFalse(id="t", prompt="p", answer=False)), ["False"]),
        (PrintedQuestion(Short(id="s", prompt="p", answer="William Shakespeare", accept=("Shakespeare", "Will"))),
         ["William Shakespeare (also accepted: Shakespeare / Will)"]),
        (PrintedQuestion(Numeric(id="n", prompt="p", answer=300, tolerance=1.5, unit="km/s")),
         ["300 km/s (± 1.5)"]),
        (PrintedQuestion(Numeric(id="n", prompt="p", answer=50000)), ["50000"]),
        (PrintedQuestion(Cloze(id="z", text=cloze_text, deletions=parse_deletions(cloze_text))),
         ["(1) Sun; (2) Moon"]),
        (PrintedQuestion(Order(id="o", prompt="p", items=("Mercury", "Venus", "Earth")), (2, 0, 1)),
         ["Numbers in the boxes, top to bottom: 3, 1, 2", "Correct order: Mercury; Venus; Earth"]),
        # Left column printed France, Spain, Italy; right column printed Rome, Paris, Madrid.
        (PrintedQuestion(Match(id="x", prompt="p", pairs=(("France", "Paris"), ("Italy", "Rome"),
                                                           ("Spain", "Madrid"))), (0, 2, 1), (1, 0, 2)),
         ["1–B, 2–C, 3–A"]),
    ]
    for printed, expected in cases:
        assert key_lines(printed, ENGLISH) == expected, printed.question.type


def test_arabic_answer_keys_use_arabic_labels_and_words() -> None:
    choice = PrintedQuestion(Choice(id="c", prompt="p", choices=("2014", "2017", "2020"), answer="2017"), (2, 0, 1))
    assert key_lines(choice, ARABIC) == ["ج) 2017"]
    assert key_lines(PrintedQuestion(TrueFalse(id="t", prompt="p", answer=True)), ARABIC) == ["صح"]
    match = PrintedQuestion(Match(id="m", prompt="p", pairs=(("أ", "١"), ("ب", "٢"))), (1, 0), (0, 1))
    assert key_lines(match, ARABIC) == ["1–ب، 2–أ"]


def test_key_labels_match_the_paper(english: Bank) -> None:
    """In every version, the key's label for "Jupiter" is the label printed before it on the paper."""
    exam = build_exam(english, versions=4, seed=1)
    text = render_markdown(exam)
    sections = text.split("\n---\n")
    for index, version in enumerate(exam.versions):
        paper, key = sections[index], sections[len(exam.versions) + index]
        printed_label = re.search(r"- ([A-D])\. Jupiter", paper)
        number = order_of(version).index("largest-planet") + 1
        key_label = re.search(rf"^{number}\. ([A-D])\. Jupiter$", key, re.MULTILINE)
        assert printed_label and key_label
        assert printed_label.group(1) == key_label.group(1)


@pytest.mark.parametrize(("value", "text"), [(300, "300"), (2.5, "2.5"), (50000.0, "50000"), (0.0001, "0.0001"),
                                             (-3, "-3"), (1e20, "100000000000000000000"),
                                             (1e-07, "0.0000001"), (3.14159265, "3.14159265")])
def test_numbers_print_as_a_teacher_writes_them(value: float, text: str) -> None:
    assert format_number(value) == text


def test_a_small_numeric_answer_is_printed_in_the_key_whole() -> None:
    """The key printed 1e-07 as "0" before it used the one format_number that show and feedback use."""
    question = Numeric(id="n", prompt="The wavelength in metres?", answer=1e-07, tolerance=5e-09, unit="m")
    assert key_lines(PrintedQuestion(question), ENGLISH)[0] == "0.0000001 m (± 0.000000005)"


# --- HTML ----------------------------------------------------------------------------------


def test_arabic_html_is_right_to_left_with_arabic_fonts_and_words(arabic: Bank) -> None:
    page = render_html(build_exam(arabic, versions=2, seed=1))
    assert page.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n')
    assert 'font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans", serif;' in page
    for text in ("النموذج أ", "النموذج ب", "مفتاح الإجابة — النموذج أ", "الاسم", "التاريخ", "الصف",
                 '<span class="label">أ)</span>', '<span class="label">د)</span>',
                 "<span>صح</span><span>خطأ</span>", "وفقاً للنص، في أي عام أُعلن النصر على داعش؟"):
        assert text in page, text


def test_english_html_is_left_to_right(english: Bank) -> None:
    page = render_html(build_exam(english))
    assert '<html lang="en" dir="ltr">' in page
    assert '<span class="label">A.</span>' in page
    assert "<span>True</span><span>False</span>" in page


def test_html_pages_break_between_versions_and_before_keys(english: Bank) -> None:
    page = render_html(build_exam(english, versions=3))
    assert re.findall(r'<section class="(\w+)" id="([\w-]+)">', page) == [
        ("paper", "paper-A"), ("paper", "paper-B"), ("paper", "paper-C"),
        ("key", "key-A"), ("key", "key-B"), ("key", "key-C"),
    ]
    assert "section { break-before: page; page-break-before: always; }" in page
    assert "section:first-of-type { break-before: auto; page-break-before: auto; }" in page
    assert "@page { size: A4;" in page
    assert "@page { size: letter;" in render_html(build_exam(english), paper="letter")


def test_papers_and_keys_can_be_rendered_apart(english: Bank) -> None:
    exam = build_exam(english, versions=2)
    papers = render_html(exam, keys=False)
    keys = render_html(exam, papers=False)
    assert 'class="key"' not in papers and 'class="paper"' in papers
    assert 'class="paper"' not in keys and 'class="key"' in keys
    assert "<title>Every question type — Answer key</title>" in keys
    assert "Answer key" not in render_markdown(exam, keys=False)


def test_bank_text_is_escaped_and_the_page_self_contained(tmp_path: Path) -> None:
    bank = parse_bank(
        '[bank]\nid = "x"\ntitle = "<b>Bold</b> & co"\nlanguage = "en"\n'
        '[[questions]]\nid = "q"\ntype = "choice"\nprompt = "What does <script>alert(1)</script> do?"\n'
        'choices = ["<img src=x onerror=alert(2)>", "\\"quoted\\""]\nanswer = "\\"quoted\\""\n'
        '[[questions]]\nid = "z"\ntype = "cloze"\ntext = "A <i>{{c1::b<u>}}</i> c"\n'
    )
    page = render_html(build_exam(bank))
    assert "<script" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "What does &lt;script&gt;alert(1)&lt;/script&gt; do?" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert "A &lt;i&gt;<span class=\"blank\">(1) ____________</span>&lt;/i&gt; c" in page
    assert "b&lt;u&gt;" in page  # in the key only
    for outside in ("http:", "https:", "<link", "@import", "url(", "<script"):
        assert outside not in page


def test_markdown_escapes_bank_text() -> None:
    bank = parse_bank(
        '[bank]\nid = "x"\ntitle = "t"\nlanguage = "en"\n[[questions]]\nid = "q"\ntype = "short"\n'
        'prompt = "Is *this* _it_ <b>[link](x)</b> #1?\\n- no\\n2. no"\nanswer = "a"\n'
    )
    text = render_markdown(build_exam(bank), keys=False)
    assert "1. Is \\*this\\* \\_it\\_ \\<b\\>\\[link\\](x)\\</b\\> \\#1?\\\n   \\- no\\\n   2\\. no\n" in text


def test_cloze_blanks_and_hints(english: Bank) -> None:
    exam = build_exam(english, tag="demo")
    md = render_markdown(exam)
    assert "The (1) ____________ is a star; the (2) ____________ (satellite) orbits the Earth." in md
    assert "(1) Sun; (2) Moon" in md
    page = render_html(exam)
    assert ('The <span class="blank">(1) ____________</span> is a star; the <span class="blank">(2) '
            "____________</span> (satellite) orbits the Earth.") in page


def test_space_to_write_is_sized_by_type(english: Bank) -> None:
    page = render_html(build_exam(english))

    def block(question_id: str) -> str:
        found = re.search(rf'<div class="question" data-id="{question_id}".*?\n</div>\n</div>\n', page, re.DOTALL)
        assert found, question_id
        return found.group(0)

    assert block("capital-card").count('<span class="line"></span>') == 3
    assert block("author-hamlet").count('<span class="line"></span>') == 1
    assert '<span class="line"></span><span class="unit">thousand km/s</span>' in block("speed-of-light")
    assert block("planet-order").count('<span class="box"></span>') == 4
    assert block("capitals-match").count('<span class="slot"></span>') == 3


def test_images_are_embedded_as_data_uris(tmp_path: Path) -> None:
    pixel = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
    )
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "dot.png").write_bytes(pixel)
    bank_file = tmp_path / "bank.toml"
    bank_file.write_text('[bank]\nid = "x"\ntitle = "t"\nlanguage = "en"\n[[questions]]\nid = "q"\n'
                         'type = "card"\nprompt = "What is this?"\nback = "A dot"\nimage = "img/dot.png"\n')
    exam = build_exam(load_bank(bank_file))
    images = read_images(exam)
    assert images == {"img/dot.png": pixel}
    page = render_html(exam, images=images)
    assert f'<img src="data:image/png;base64,{base64.b64encode(pixel).decode()}" alt="">' in page
    assert '<img src="img/dot.png" alt="">' in render_html(exam)  # without the bytes: a relative link
    assert "![](img/dot.png)" in render_markdown(exam)
    assert "![](../img/dot.png)" in render_markdown(exam, image_prefix="..")
    out = tmp_path / "out" / "exams"
    out.mkdir(parents=True)
    assert image_prefix_for(tmp_path, out) == "../.."
    assert image_prefix_for(tmp_path, tmp_path) == ""
    (tmp_path / "img" / "dot.png").unlink()
    with pytest.raises(UsageError, match=r'question "q": image "img/dot\.png" cannot be read'):
        read_images(exam)


@needs_source
def test_arabic_test_bank_quotes_the_article() -> None:
    article = " ".join(SOURCE_TEXT.read_text(encoding="utf-8").split())
    bank = load_bank(BANKS / "exam-arabic.toml")
    assert {q.type for q in bank.questions} == {
        "card", "choice", "multi", "truefalse", "short", "numeric", "cloze", "order", "match"}
    for question in bank.questions:
        assert " ".join(question.source.split()) in article, question.id
