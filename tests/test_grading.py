"""Grading rules, with real Arabic from the source text (/work/shared/seed/article.ar.txt)."""

from __future__ import annotations

import unicodedata
from typing import Any

import arabic_reshaper
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdeck.bank import load_bank
from quizdeck.grading import (
    describe_expected,
    edit_budget,
    expected_answer,
    format_number,
    grade,
    is_arabic,
    matches_text,
    normalize,
    parse_number,
    parse_truth,
    truth_word,
)
from quizdeck.questions import (
    Card,
    Choice,
    Cloze,
    Match,
    Multi,
    Numeric,
    Order,
    Question,
    Short,
    TrueFalse,
    parse_deletions,
)

from .conftest import BANKS, SOURCE_TEXT, needs_source

# --- normalize: one test per rule -----------------------------------------------------------


@needs_source
def test_source_phrases_used_here_are_quoted_from_the_article() -> None:
    article = SOURCE_TEXT.read_text(encoding="utf-8")
    for phrase in (
        "غابي طومسون", "نينوى", "ديالى", "الخلايا النائمة", "قوات سوريا الديمقراطية",
        "اللواء تحسين الخفاجي", "مدرسة المشاة العراقية لضبّاط الصف الثاني", "عام 2017",
    ):
        assert phrase in article


def test_nfkc_makes_presentation_forms_from_a_reshaped_screen_plain_letters() -> None:
    shown = arabic_reshaper.reshape("اللواء تحسين الخفاجي")
    assert any("\ufb50" <= ch <= "\ufeff" for ch in shown)  # really presentation forms
    assert normalize(shown) == normalize("اللواء تحسين الخفاجي") == "اللواء تحسين الخفاجي"


def test_nfkc_makes_decomposed_hamza_the_composed_letter() -> None:
    decomposed = "\u0627\u0654\u0643\u062b\u0631"  # ا + hamza above + كثر
    assert unicodedata.normalize("NFC", decomposed) == "أكثر"
    assert normalize(decomposed) == normalize("أكثر") == "اكثر"


def test_case_is_folded_and_whitespace_collapsed() -> None:
    assert normalize("  Gabby \t THOMSON\n") == "gabby thomson"
    assert normalize("Straße") == normalize("STRASSE")


def test_punctuation_is_ignored_including_arabic_marks_and_quotes() -> None:
    assert normalize("«الخلايا النائمة»؛") == normalize("الخلايا النائمة")
    assert normalize("“الطبيعية”") == "الطبيعيه"
    assert normalize("غابي طومسون، المتحدثة") == "غابي طومسون المتحدثه"
    assert normalize("لماذا؟") == "لماذا"
    assert normalize("Don't!") == "dont"


def test_harakat_and_superscript_alef_are_ignored() -> None:
    assert normalize("مُدرَسةُ المُشاةِ") == normalize("مدرسة المشاة")
    assert normalize("لضبّاط") == normalize("لضباط")
    assert normalize("هٰذا") == "هذا"  # U+0670 superscript alef
    assert normalize("ٱلْخَلَايَا ٱلنَّائِمَةُ") == normalize("الخلايا النائمة")


def test_quranic_annotation_marks_are_ignored() -> None:
    assert normalize("داعش\u0610") == "داعش"  # U+0610-061A
    assert normalize("داعش\u06d6") == "داعش"  # U+06D6-06ED


def test_tatweel_is_ignored() -> None:
    assert normalize("داعـــش") == "داعش"
    assert normalize("نينـوى") == normalize("نينوى")


def test_bidi_controls_and_zero_width_joiners_are_ignored() -> None:
    marks = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200c\u200d"
    for mark in marks:
        assert normalize(f"نين{mark}وى") == normalize("نينوى"), hex(ord(mark))
    assert normalize("\u200f2017\u200e") == "2017"


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("أمناً", "امنا"),  # أ -> ا
        ("إرهاب", "ارهاب"),  # إ -> ا
        ("آلاف", "الاف"),  # آ -> ا
        ("ٱلعراق", "العراق"),  # ٱ -> ا
        ("ديالى", "ديالي"),  # ى -> ي
        ("الطبيعية", "الطبيعيه"),  # ة -> ه
        ("مسؤول", "مسوول"),  # ؤ -> و
        ("النائمة", "النايمه"),  # ئ -> ي
        ("کرکوک", "كركوك"),  # Persian ک -> ك
        ("ایران", "ايران"),  # Persian ی -> ي
    ],
)
def test_arabic_letter_variants_fold_to_one_letter(written: str, plain: str) -> None:
    assert normalize(written) == plain


def test_digits_in_any_script_are_ascii_digits() -> None:
    assert normalize("٢٠١٧") == "2017"  # Arabic-Indic
    assert normalize("۲۰۱۷") == "2017"  # Extended Arabic-Indic (Persian)
    assert normalize("२०१७") == "2017"  # Devanagari, any Nd
    assert normalize("٨") == normalize("8") == "8"


def test_thousands_separators_go_and_decimal_points_stay() -> None:
    assert normalize("50,000") == normalize("٥٠٬٠٠٠") == normalize("50000") == "50000"
    assert normalize("٢٫٥") == normalize("2.5") == "2.5"
    assert normalize("2.5") != normalize("25")


# --- matches_text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("2017", "2017"),
        ("٢٠١٧", "2017"),
        ("۲۰۱۷", "2017"),
        ("٨", "8"),
        ("50,000", "50000"),
        ("٥٠٬٠٠٠", "50,000"),
        ("غابي طومسون", "غابي طومسون"),
        ("  غابي   طومسون ", "غابي طومسون"),
        ("غابى طومسون", "غابي طومسون"),  # ى for ي
        ("نينوي", "نينوى"),
        ("ديالي", "ديالى"),
        ("الخلايا النائمه", "الخلايا النائمة"),
        ("الخلايا النائمة", "الخلايا النائمة"),
        ("الخلايا النائمة", "خلايا نائمة"),  # the response's leading ال
        ("خلايا النائمة", "الخلايا النائمة"),  # the stored answer's leading ال
        ("والخلايا النائمة", "الخلايا النائمة"),  # leading و and ال
        ("ونينوى", "نينوى"),  # leading و
        ("قوات سوريا الديموقراطية", "قوات سوريا الديمقراطية"),  # one typo in a long answer
        ("قوات سوريا الدمقراطيه", "قوات سوريا الديمقراطية"),  # two in a long answer
        ("اللواء تحسين الخفاجى", "اللواء تحسين الخفاجي"),
        ("مدرسة المشاة العراقية لضباط الصف الثاني", "مدرسة المشاة العراقية لضبّاط الصف الثاني"),
        ("غابي طومسن", "غابي طومسون"),  # a missing letter in a 10-letter answer
        ("غابيطومسون", "غابي طومسون"),  # a missing space, every letter there
        ("ﻏﺎﺑﻲ ﻃﻮﻣﺴﻮﻥ", "غابي طومسون"),  # copied from a reshaped screen
        ("William Shakspeare", "William Shakespeare"),
    ],
)
def test_accepted(response: str, expected: str) -> None:
    assert matches_text(response, [expected])


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("2016", "2017"),  # numbers are never fuzzy
        ("٢٠١٦", "2017"),
        ("عام 2016", "عام 2017"),
        ("9", "8"),
        ("5000", "50000"),
        ("غابي", "غابي طومسون"),  # one word of a two-word name
        ("طومسون", "غابي طومسون"),
        ("تحسين الخفاجي", "اللواء تحسين الخفاجي"),
        ("قوات سوريا", "قوات سوريا الديمقراطية"),
        ("ديالى", "نينوى"),  # another province
        ("داعس", "داعش"),  # four letters: no typo forgiven
        ("قوات", "قواعد"),  # a different word within the budget of a short answer
        ("الخلايا", "الخلايا النائمة"),
        ("", "نينوى"),
        ("؟", "نينوى"),
    ],
)
def test_rejected(response: str, expected: str) -> None:
    assert not matches_text(response, [expected])


def test_any_listed_variant_matches_so_accept_can_allow_a_partial_name() -> None:
    assert not matches_text("طومسون", ["غابي طومسون"])
    assert matches_text("طومسون", ["غابي طومسون", "طومسون"])


def test_fuzzy_off_forgives_spelling_variants_but_not_typos() -> None:
    assert matches_text("غابى طومسون", ["غابي طومسون"], fuzzy=False)  # normalization stays
    assert matches_text("والخلايا النائمة", ["الخلايا النائمة"], fuzzy=False)
    assert not matches_text("قوات سوريا الديموقراطية", ["قوات سوريا الديمقراطية"], fuzzy=False)
    assert not matches_text("غابيطومسون", ["غابي طومسون"], fuzzy=False)


def test_edit_budget_grows_with_length() -> None:
    assert [edit_budget(n) for n in (1, 4, 5, 8, 9, 40)] == [0, 0, 1, 1, 2, 2]


def test_the_answer_shown_is_the_stored_text_not_its_normalized_form() -> None:
    # Normalizing (harakat, hamza forms, alef maqsura) is for comparing only: a student is shown
    # the teacher's text, character for character.
    question = Short(id="q", prompt="?", answer="الخلايا النائمةُ في مُصلّى أُمّ")
    mark = grade(question, "الخلايا النائمة في مصلي ام", fuzzy=False)  # no typo allowance
    assert mark.correct
    assert mark.expected == "الخلايا النائمةُ في مُصلّى أُمّ"


# --- parse_number ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2017", 2017.0),
        ("٢٠١٧", 2017.0),
        ("۲۰۱۷", 2017.0),
        ("50,000", 50000.0),
        ("٥٠٬٠٠٠", 50000.0),
        ("٥٠،٠٠٠", 50000.0),
        ("50 000", 50000.0),
        ("50000", 50000.0),
        ("٣٫١٤", 3.14),
        ("3.14", 3.14),
        (".5", 0.5),
        ("-12", -12.0),
        ("−12", -12.0),
        ("+7", 7.0),
        (" \u200f٨\u200e ", 8.0),
        ("８", 8.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    ["", "abc", "50 ألفاً", "5,00", "1.2.3", "-", "2017 2018", "nan", "inf", "Infinity", "1e400", "9" * 400],
)
def test_parse_number_rejects_what_is_not_just_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_strips_the_questions_unit() -> None:
    assert parse_number("50000 عنصر", unit="عنصر") == 50000.0
    # A case ending on the unit is the same unit: the text writes "أكثر من 50 ألفاً".
    assert parse_number("٥٠٬٠٠٠ عنصراً", unit="عنصر") == 50000.0
    assert parse_number("50 ألف", unit="ألفاً") == 50.0
    assert parse_number("50 ألفا", unit="ألف") == 50.0
    # ...but another word is not: a broken plural, a different unit, a short unit's longer cousin.
    assert parse_number("8 قاعدة", unit="قواعد") is None
    assert parse_number("50 كيلو", unit="ألف") is None
    assert parse_number("5 min", unit="m") is None
    assert parse_number("300 thousand km/s", unit="thousand km/s") == 300.0
    assert parse_number("300km", unit="km") == 300.0
    assert parse_number("300 km") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("٢٠١٤م", 2014.0),  # the Gregorian mark, glued
        ("2014 م", 2014.0),
        ("2014 ميلادي", 2014.0),
        ("1435 هـ", 1435.0),  # the Hijri mark
        ("١٤٣٥هـ", 1435.0),
        ("1435 هجري", 1435.0),
        ("عام 2014", 2014.0),
        ("العام 2014", 2014.0),
        ("سنة ٢٠١٤", 2014.0),
        ("في عام ٢٠١٤م", 2014.0),
        ("٨ قواعد", 8.0),  # the noun counted
        ("8 قاعدة", 8.0),
    ],
)
def test_parse_number_reads_years_and_counted_nouns_as_written(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "50 ألف",  # a scale word changes the value: never read as 50
        "٥ آلاف",
        "3 ملايين",
        "5 ونصف",
        "2014 ق.م",  # before the common era: not 2014
        "قبل 2014",
        "8 km",  # only an Arabic noun is read as counted
        "8 قواعد جوية",  # one word, no more
        "8 ق",  # a word has two letters at least
    ],
)
def test_parse_number_refuses_words_that_change_the_number(text: str) -> None:
    assert parse_number(text) is None


def test_a_full_stop_after_the_unit_is_still_the_unit() -> None:
    assert parse_number("300 كم.", unit="كم") == 300.0
    assert parse_number("٣٠٠ كم.", unit="كم") == 300.0


def test_a_counted_noun_is_read_only_when_asked_and_the_question_has_no_unit() -> None:
    assert parse_number("٨ قواعد", counted=False) is None
    assert parse_number("2014م", counted=False) == 2014.0
    # A question with a unit takes that unit only: 300 miles is not 300 km.
    assert parse_number("300 ميل", unit="كم") is None
    assert parse_number("300 كم", unit="كم") == 300.0


def test_the_unit_may_carry_an_ending_of_up_to_two_letters() -> None:
    assert parse_number("5 عنصرا", unit="عنصر") == 5.0
    assert parse_number("5 عنصرين", unit="عنصر") == 5.0
    assert parse_number("5 عنصريين", unit="عنصر") is None  # three letters more
    assert parse_number("5 ميلا", unit="ميل") == 5.0  # a unit of three letters may
    assert parse_number("5 سمي", unit="سم") is None  # one of two may not
    assert parse_number("5 عنص", unit="عنصر") == 5.0  # the typed word shorter, by one
    assert parse_number("5 عن", unit="عنصر") is None


def test_numbers_that_are_not_finite_are_never_an_answer() -> None:
    for response in (float("nan"), float("inf"), float("-inf"), "nan", "inf", "1e400", "9" * 400, 10**400):
        mark = grade(YEAR, response)
        assert (mark.points, mark.correct) == (0.0, False), response
    assert grade(YEAR, float("nan")).detail == "not a number"
    assert grade(YEAR, "1e400").detail == "not a number"
    near = Numeric(id="n", prompt="?", answer=2017, tolerance=10**300)
    assert not grade(near, float("inf")).correct


def test_a_year_typed_as_people_write_years_answers_a_short_question() -> None:
    year = Short(id="year", prompt="متى؟", answer="2014")
    for response in ("2014", "٢٠١٤م", "2014 م", "عام 2014", "سنة ٢٠١٤", "في عام 2014م"):
        assert grade(year, response).correct, response
    for response in ("2015م", "عام 2015", "2014 ق.م", "2014 قواعد"):
        assert not grade(year, response).correct, response
    assert not grade(Short(id="n", prompt="كم؟", answer="8"), "٨ قواعد").correct


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("t", True), ("TRUE", True), ("y", True), ("yes", True),
        ("ص", True), ("صح", True), ("صحيح", True), ("صحيحة", True), ("صَحيح", True), ("صواب", True), ("نعم", True),
        ("f", False), ("False", False), ("n", False), ("no", False),
        ("خ", False), ("خطأ", False), ("خطا", False), ("خاطئ", False), ("خاطئة", False), ("غلط", False),
        ("لا", False), (" لا ", False),
        ("", None), ("maybe", None), ("ربما", None), ("صحيحا جدا", None), ("tru", None),
    ],
)
def test_parse_truth_reads_english_and_arabic(text: str, value: bool | None) -> None:
    assert parse_truth(text) is value


def test_true_and_false_are_written_in_the_questions_language() -> None:
    assert truth_word(True, arabic=True) == "صح"
    assert truth_word(False, arabic=True) == "خطأ"
    assert truth_word(True, arabic=False) == "true"
    assert truth_word(False, arabic=False) == "false"
    assert describe_expected(INVITED) == "صح"
    assert describe_expected(TrueFalse(id="x", prompt="The sky is green.", answer=False)) == "false"


# --- grade: every type ----------------------------------------------------------------------

SPOKESWOMAN = Short(id="spokeswoman", prompt="مَن؟", answer="غابي طومسون")
YEAR = Numeric(id="victory-year", prompt="في أي عام؟", answer=2017)
TRAINED = Numeric(id="trained", prompt="كم؟", answer=50000, unit="عنصر")
PROVINCE = Choice(id="province", prompt="أي؟", choices=("نينوى", "البصرة", "كربلاء"), answer="نينوى")
PROVINCES = Multi(id="provinces", prompt="أي؟", choices=("نينوى", "ديالى", "البصرة", "كربلاء"),
                  answers=("نينوى", "ديالى"))
INVITED = TrueFalse(id="invited", prompt="دعت الحكومة العراقية القوة الدولية.", answer=True)
CARD = Card(id="card", prompt="المتحدث باسم قوات الأمن", back="اللواء تحسين الخفاجي")
_CLOZE_TEXT = "تم نقل {{c1::8}} قواعد للتحالف إلى القيادة العراقية في عام {{c2::2020}}."
TRANSFER = Cloze(id="transfer-cloze", text=_CLOZE_TEXT, deletions=parse_deletions(_CLOZE_TEXT))
TIMELINE = Order(id="timeline", prompt="رتّب", items=("2014", "2017", "2020"))
WEEKS = Order(id="weeks", prompt="رتّب", items=("أ", "ب", "ج", "د", "هـ"))
PEOPLE = Match(id="people", prompt="صِل", pairs=(
    ("غابي طومسون", "المتحدثة السابقة باسم التحالف"),
    ("تحسين الخفاجي", "المتحدث باسم قوات الأمن"),
    ("داعش", "الجماعة الإرهابية"),
))


def _points(question: Question, response: object, fuzzy: bool = True) -> tuple[float, bool]:
    mark = grade(question, response, fuzzy=fuzzy)
    return mark.points, mark.correct


def test_short_answers() -> None:
    assert _points(SPOKESWOMAN, "غابى طومسون") == (1.0, True)
    assert _points(SPOKESWOMAN, "غابي") == (0.0, False)
    assert _points(SPOKESWOMAN, "غابي طومسن") == (1.0, True)
    assert _points(SPOKESWOMAN, "غابي طومسن", fuzzy=False) == (0.0, False)


def test_numeric_answers_as_numbers_and_as_text_in_any_script() -> None:
    for response in (2017, 2017.0, "2017", "٢٠١٧", "۲۰۱۷"):
        assert _points(YEAR, response) == (1.0, True), response
    for response in (2016, "2016", "٢٠١٦", "عام 2016", True):
        assert _points(YEAR, response) == (0.0, False), response
    for response in ("50,000", "٥٠٬٠٠٠", "50000", 50000, "50000 عنصر"):
        assert _points(TRAINED, response) == (1.0, True), response


def test_numeric_tolerance() -> None:
    light = Numeric(id="light", prompt="?", answer=300, tolerance=1)
    assert grade(light, 301).correct and grade(light, "299").correct
    assert not grade(light, 301.5).correct
    assert grade(Numeric(id="x", prompt="?", answer=0.3), 0.1 + 0.2).correct
    assert grade(light, "abc").detail == "not a number"


def test_choice_is_exact_after_normalizing_never_fuzzy() -> None:
    assert _points(PROVINCE, "نينوى") == (1.0, True)
    assert _points(PROVINCE, "نينوي") == (1.0, True)  # another spelling of the same choice
    assert _points(PROVINCE, "نينو") == (0.0, False)  # a typo is not a choice
    assert _points(PROVINCE, "البصرة") == (0.0, False)
    eight = Choice(id="bases", prompt="?", choices=("4", "8", "12"), answer="8")
    assert grade(eight, "٨").correct


def test_choice_named_exactly_wins_over_another_choice_that_normalizes_alike() -> None:
    question = Choice(id="q", prompt="?", choices=("إلى", "الى"), answer="الى")
    assert grade(question, "الى").correct
    assert not grade(question, "إلى").correct


def test_multi_partial_credit_right_minus_wrong_over_right_answers() -> None:
    assert _points(PROVINCES, ["نينوى", "ديالى"]) == (1.0, True)
    assert _points(PROVINCES, ["ديالى", "نينوى"]) == (1.0, True)
    assert _points(PROVINCES, ["نينوى"]) == (0.5, False)
    assert _points(PROVINCES, ["نينوى", "البصرة"]) == (0.0, False)
    assert _points(PROVINCES, ["نينوى", "ديالى", "البصرة"]) == (0.5, False)
    assert _points(PROVINCES, ["البصرة", "كربلاء"]) == (0.0, False)  # floored at 0
    assert _points(PROVINCES, []) == (0.0, False)
    assert grade(PROVINCES, ["نينوى", "ديالى", "البصرة"]).detail == "2 of 2 right, 1 wrong"


def test_truefalse_and_card() -> None:
    assert _points(INVITED, True) == (1.0, True)
    assert _points(INVITED, False) == (0.0, False)
    assert _points(CARD, True) == (1.0, True)
    assert _points(CARD, False) == (0.0, False)


def test_cloze_share_of_deletions_right() -> None:
    assert _points(TRANSFER, ["8", "2020"]) == (1.0, True)
    assert _points(TRANSFER, ["٨", "٢٠٢٠"]) == (1.0, True)
    assert _points(TRANSFER, ["8", "2021"]) == (0.5, False)
    assert _points(TRANSFER, ["8"]) == (0.5, False)
    assert grade(TRANSFER, ["9", "2020"]).detail == "1 of 2 blanks right"


def test_cloze_deletion_number_used_twice_is_one_entry() -> None:
    text = "{{c2::نينوى}} و{{c1::ديالى}} و{{c2::كركوك}}"
    question = Cloze(id="c", text=text, deletions=parse_deletions(text))
    assert expected_answer(question) == ["ديالى", "نينوى ... كركوك"]
    assert grade(question, ["ديالى", "نينوى كركوك"]).correct


def test_order_longest_ordered_subset() -> None:
    assert _points(TIMELINE, ["2014", "2017", "2020"]) == (1.0, True)
    assert _points(TIMELINE, ["2020", "2017", "2014"]) == (0.0, False)  # reversed
    assert _points(TIMELINE, ["2014", "2020", "2017"]) == (0.5, False)
    # One item moved from first to last costs one step, not every position.
    assert _points(WEEKS, ["ب", "ج", "د", "هـ", "أ"]) == (0.75, False)
    assert grade(WEEKS, ["ب", "ج", "د", "هـ", "أ"]).detail == "4 of 5 in the right order"
    # Items that are not in the question, or repeated, cost a step.
    assert _points(TIMELINE, ["2014", "2017", "2020", "2021"]) == (0.5, False)
    assert _points(TIMELINE, ["2014", "2014", "2017", "2020"]) == (0.5, False)
    assert _points(TIMELINE, ["2014", "2017"]) == (0.5, False)


def test_match_share_of_left_items_paired_right() -> None:
    right = {left: r for left, r in PEOPLE.pairs}
    assert _points(PEOPLE, right) == (1.0, True)
    swapped = dict(right)
    swapped["غابي طومسون"], swapped["تحسين الخفاجي"] = right["تحسين الخفاجي"], right["غابي طومسون"]
    points, correct = _points(PEOPLE, swapped)
    assert (round(points, 4), correct) == (0.3333, False)
    assert grade(PEOPLE, swapped).detail == "1 of 3 pairs right"
    assert _points(PEOPLE, {"غابى طومسون": "المتحدثة السابقة باسم التحالف"})[0] == pytest.approx(1 / 3)


def test_unanswered_is_zero_points() -> None:
    for question in (SPOKESWOMAN, YEAR, PROVINCE, PROVINCES, INVITED, CARD, TRANSFER, TIMELINE, PEOPLE):
        mark = grade(question, None)
        assert (mark.points, mark.correct, mark.detail) == (0.0, False, "unanswered")


@pytest.mark.parametrize(
    ("question", "response"),
    [
        (SPOKESWOMAN, 2017),
        (SPOKESWOMAN, ["غابي طومسون"]),
        (YEAR, [2017]),
        (PROVINCE, ["نينوى"]),
        (PROVINCES, "نينوى"),
        (INVITED, "true"),
        (INVITED, 1),
        (CARD, "yes"),
        (TRANSFER, "8"),
        (TIMELINE, {"2014": 1}),
        (PEOPLE, [["غابي طومسون", "المتحدثة السابقة باسم التحالف"]]),
    ],
)
def test_wrong_shape_is_zero_points_not_an_exception(question: Question, response: Any) -> None:
    mark = grade(question, response)
    assert (mark.points, mark.correct, mark.detail) == (0.0, False, "not an answer of the right kind")


def test_expected_answers_for_every_type() -> None:
    bank = load_bank(BANKS / "all-types.toml")
    assert {q.id: expected_answer(q) for q in bank.questions} == {
        "capital-card": "Paris",
        "largest-planet": "Jupiter",
        "primary-colours": ["red", "green", "blue"],
        "water-boils": True,
        "author-hamlet": "William Shakespeare",
        "speed-of-light": 300,
        "planets-cloze": ["Sun", "Moon"],
        "planet-order": ["Mercury", "Venus", "Earth", "Mars"],
        "capitals-match": {"France": "Paris", "Italy": "Rome", "Spain": "Madrid"},
    }
    assert {q.id: describe_expected(q) for q in bank.questions} == {
        "capital-card": "Paris",
        "largest-planet": "Jupiter",
        "primary-colours": "red, green, blue",
        "water-boils": "true",
        "author-hamlet": "William Shakespeare",
        "speed-of-light": "300 thousand km/s (± 1)",
        "planets-cloze": "The Sun is a star; the Moon orbits the Earth.",
        "planet-order": "1. Mercury, 2. Venus, 3. Earth, 4. Mars",
        "capitals-match": "France = Paris, Italy = Rome, Spain = Madrid",
    }


def test_describe_expected_in_arabic_uses_the_arabic_comma() -> None:
    assert describe_expected(PROVINCES) == "نينوى، ديالى"
    assert describe_expected(TRAINED) == "50000 عنصر"
    assert describe_expected(Numeric(id="pi", prompt="?", answer=3.14)) == "3.14"


def test_every_answer_of_the_bundled_arabic_bank_grades_right() -> None:
    bank = load_bank(BANKS / "arabic-small.toml")
    for question in bank.questions:
        answer = expected_answer(question)
        assert grade(question, answer, fuzzy=bank.fuzzy_for(question)).correct, question.id


# --- properties -----------------------------------------------------------------------------

# Text that leans on the characters the rules are about, and anything else Unicode has.
_tricky = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("أإآٱاىيةهؤوئکی٠١٢٣۴۵ـ،؛؟«»“” .,'٫٬-\u064b\u0651\u0670\u200f\u200d\u0654\u0655")),
        st.characters(),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_tricky)
def test_normalize_is_idempotent_and_never_raises(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(_tricky, _tricky)
def test_matches_text_never_raises_and_a_text_matches_itself(response: str, expected: str) -> None:
    matches_text(response, [expected])
    if expected.strip():
        assert matches_text(expected, [expected])


@pytest.mark.parametrize(("response", "right"), [
    ("?", True), (" ? ", True), ("!", False), ("؟", False), ("", False), ("what?", False)])
def test_an_answer_of_punctuation_alone_is_matched_as_written(response: str, right: bool) -> None:
    question = Short(id="q", prompt="Which mark ends an English question?", answer="?")
    assert grade(question, response).correct is right


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _tricky,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_tricky, children, max_size=4),
    max_leaves=10,
)
_QUESTIONS = [SPOKESWOMAN, YEAR, TRAINED, PROVINCE, PROVINCES, INVITED, CARD, TRANSFER, TIMELINE, WEEKS, PEOPLE]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_QUESTIONS), _json_values, st.booleans())
def test_grade_never_raises_and_an_answer_of_the_wrong_kind_earns_nothing(
    question: Question, response: object, fuzzy: bool
) -> None:
    mark = grade(question, response, fuzzy=fuzzy)
    assert 0.0 <= mark.points <= 1.0
    assert mark.correct == (mark.points == 1.0)
    assert grade(question, response, fuzzy=fuzzy) == mark  # the same every time
    if response is None:
        assert (mark.points, mark.detail) == (0.0, "unanswered")
    elif not isinstance(response, _SHAPES[type(question)]) or (
        isinstance(question, Numeric) and isinstance(response, bool)
    ):
        assert (mark.points, mark.correct, mark.detail) == (0.0, False, "not an answer of the right kind")


#: The kind of JSON value a response to each type is (see `grade`); any other earns nothing.
_SHAPES: dict[type, type | tuple[type, ...]] = {
    Card: bool, TrueFalse: bool, Choice: str, Short: str, Numeric: (int, float, str),
    Multi: list, Cloze: list, Order: list, Match: dict,
}


@settings(max_examples=200, deadline=None)
@given(_tricky)
def test_parse_number_never_raises(text: str) -> None:
    parse_number(text, unit="كم")


# --- each rule by an example that only it decides --------------------------------------------


def test_a_mark_of_digits_inside_a_word_is_removed_before_letters_are_composed() -> None:
    # A tatweel or a bidi mark between a letter and its accent goes, and the two then compose:
    # the result is the same as the composed letter typed at once, and stays so.
    composed = normalize("café")
    for typed in ("cafe\u0640\u0301", "cafe\u200f\u0301"):
        assert normalize(typed) == composed == "café"
        assert normalize(normalize(typed)) == composed
        assert grade(Short(id="q", prompt="?", answer="café"), typed, fuzzy=False).correct


def test_an_apostrophe_joins_a_word_in_any_script() -> None:
    assert normalize("O’Brien") == normalize("O'Brien") == "obrien"
    assert normalize("غابي O’Brien طومسون") == "غابي obrien طومسون"


def test_a_full_stop_ends_a_word_and_is_not_part_of_it() -> None:
    assert normalize("Paris.") == "paris"
    assert grade(Short(id="capital", prompt="?", answer="Paris"), "Paris.", fuzzy=False).correct
    assert grade(Short(id="capital", prompt="?", answer="Paris"), "...Paris", fuzzy=False).correct


@pytest.mark.parametrize("text", [".5", "a.5", "5.a", "2017.", "v2.5", "version 2.5", "2.5", "1.2.3", ".", "5."])
def test_points_and_digits_normalize_alike_in_every_script(text: str) -> None:
    # The point stays only between two digits, whichever script the digits are written in.
    arabic_indic = text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert arabic_indic != text or not any(ch.isdigit() for ch in text)
    assert normalize(arabic_indic) == normalize(text)


def test_where_a_point_stays() -> None:
    assert normalize("الإصدار ٢.٥") == "الاصدار 2.5"
    assert normalize("٢٠١٧.") == "2017"
    assert normalize(".٥") == "5"
    assert normalize("٥.ب") == "5 ب"


def test_a_sign_may_stand_apart_from_its_number() -> None:
    assert parse_number("- 12") == -12.0
    assert parse_number("− ١٢") == -12.0
    assert grade(Numeric(id="t", prompt="?", answer=-12), "- 12").correct


@pytest.mark.parametrize("text", ["X5", "x.5", "A.5", "v.2"])
def test_letters_before_a_number_make_it_no_number(text: str) -> None:
    assert parse_number(text) is None


def test_a_word_never_loses_its_article_down_to_one_letter() -> None:
    # ألف and إلى are words, not an article before one letter.
    assert not matches_text("ف", ["ألف"])
    assert not matches_text("ى", ["إلى"])


def test_a_later_word_with_the_conjunction_and_article_matches_it_without_them() -> None:
    # From the article: "المدن والأرياف" (the cities and the countryside).
    assert matches_text("المدن الأرياف", ["المدن والأرياف"])
    assert matches_text("مدن وأرياف", ["المدن والأرياف"])
    assert not matches_text("المدن والقرى", ["المدن والأرياف"])


def test_an_accepted_answer_counts_even_after_one_that_is_only_punctuation() -> None:
    # "؟" normalizes to nothing and can match nothing, but the answers after it still count.
    question = Short(id="question-mark", prompt="ما اسم هذه العلامة؟", answer="؟", accept=("علامة الاستفهام",))
    assert grade(question, "علامة الاستفهام").correct
    assert not grade(question, "علامة التعجب").correct


def test_typos_are_forgiven_unless_asked_otherwise() -> None:
    assert grade(SPOKESWOMAN, "غابي طومسن").correct  # fuzzy by default
    assert not grade(SPOKESWOMAN, "غابي طومسن", fuzzy=False).correct


def test_parse_truth_of_what_is_not_text_is_neither() -> None:
    for value in (None, 1, True, ["صح"]):
        assert parse_truth(value) is None  # type: ignore[arg-type]


def test_a_right_answer_has_no_detail_to_show() -> None:
    # The feedback line adds "(detail)" only when there is one.
    for question, response in ((SPOKESWOMAN, "غابي طومسون"), (YEAR, 2017), (PROVINCE, "نينوى"), (INVITED, True)):
        mark = grade(question, response)
        assert (mark.correct, mark.detail) == (True, ""), question.id


def test_a_false_statement_answered_false_is_right() -> None:
    dismissed = TrueFalse(id="dismissed", prompt="انتهت مهمة التحالف عام 2014.", answer=False)
    assert _points(dismissed, False) == (1.0, True)
    assert _points(dismissed, True) == (0.0, False)


def test_each_response_that_is_not_a_choice_costs_one_right_choice() -> None:
    assert _points(PROVINCES, ["نينوى", "ديالى", "الموصل"]) == (0.5, False)
    assert grade(PROVINCES, ["نينوى", "ديالى", "الموصل"]).detail == "2 of 2 right, 1 wrong"
    assert _points(PROVINCES, ["نينوى", "ديالى", "الموصل", "البصرة"]) == (0.0, False)


def test_a_multi_question_with_no_right_choice_is_right_only_when_none_is_chosen() -> None:
    # The loader refuses one; a question built in code may still have none.
    none_apply = Multi(id="none", prompt="?", choices=("نينوى", "ديالى"), answers=())
    assert (grade(none_apply, []).points, grade(none_apply, []).detail) == (1.0, "")
    for response in (["نينوى"], ["الموصل"], ["نينوى", "ديالى"]):
        mark = grade(none_apply, response)
        assert (mark.points, mark.correct, mark.detail) == (0.0, False, ""), response


def test_a_numeric_answer_is_read_with_the_questions_unit_only() -> None:
    distance = Numeric(id="distance", prompt="كم؟", answer=300, unit="كم")
    assert grade(distance, "300 كم").correct
    mark = grade(distance, "300 ميل")  # 300 miles is not 300 km
    assert (mark.points, mark.detail) == (0.0, "not a number")
    assert not grade(distance, "300 قاعدة").correct


def test_binary_rounding_is_forgiven_by_a_billionth_of_the_answer() -> None:
    # A spreadsheet's 1000000.1 + 0.2 is 1000000.2999999999: the same answer.
    assert 1000000.1 + 0.2 != 1000000.3
    assert grade(Numeric(id="sum", prompt="?", answer=1000000.3), 1000000.1 + 0.2).correct
    # Around zero the slack is a billionth, no more, and includes its end.
    zero = Numeric(id="zero", prompt="?", answer=0)
    assert grade(zero, 1e-9).correct
    assert not grade(zero, 1.5e-9).correct
    assert not grade(Numeric(id="one", prompt="?", answer=1), 1 + 1.5e-9).correct


def test_a_cloze_built_without_deletions_earns_nothing() -> None:
    # The loader refuses one; a question built in code may still have none.
    empty = Cloze(id="empty", text="لا فراغ هنا", deletions=())
    mark = grade(empty, [])
    assert (mark.points, mark.correct, mark.detail) == (0.0, False, "0 of 0 blanks right")


def test_an_order_answer_with_one_item_and_a_stranger_earns_nothing() -> None:
    assert _points(TIMELINE, ["2014", "1999"]) == (0.0, False)
    assert _points(TIMELINE, ["2014", "2014"]) == (0.0, False)


def test_an_order_question_of_one_item_built_in_code() -> None:
    # The loader asks for two items at least; one built in code is right only as that one item.
    single = Order(id="single", prompt="?", items=("2014",))
    assert _points(single, ["2014"]) == (1.0, True)
    assert grade(single, ["2014"]).detail == "1 of 1 in the right order"
    for response in ([], ["2017"], ["2014", "2014"], ["2014", "2017"]):
        assert _points(single, response) == (0.0, False), response


def test_a_number_too_big_to_compare_earns_nothing_and_says_why() -> None:
    mark = grade(YEAR, 10**400)
    assert (mark.points, mark.correct, mark.detail) == (0.0, False, "not an answer of the right kind")


def test_an_integral_answer_is_shown_without_a_decimal_point() -> None:
    stored_as_float = Numeric(id="float", prompt="?", answer=300.0, tolerance=1.0)
    assert expected_answer(stored_as_float) == 300
    assert isinstance(expected_answer(stored_as_float), int)
    assert describe_expected(stored_as_float) == "300 (± 1)"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2017, "2017"), (2017.0, "2017"), (-3.0, "-3"), (2.5, "2.5"), (0.001, "0.001"), (0.00001, "0.00001"),
        (0.000001, "0.000001"), (1e-7, "0.0000001"), (-1e-7, "-0.0000001"), (3.14159265, "3.14159265"),
        (2.0000001, "2.0000001"), (123456789.123, "123456789.123"),
    ],
)
def test_numbers_in_feedback_are_written_out_in_full(value: float, text: str) -> None:
    # Every digit the teacher wrote, no exponent: the student can type back what feedback shows.
    assert format_number(value) == text


def test_the_answer_feedback_shows_can_be_typed_back() -> None:
    for answer in (3.14159265, 1e-7, 0.1 + 0.2, 2.0000001):
        question = Numeric(id="n", prompt="?", answer=answer)
        shown = describe_expected(question)
        assert "e" not in shown
        assert grade(question, shown).correct, shown


def test_a_question_is_arabic_by_any_letter_of_the_arabic_block() -> None:
    for letter in ("\u0600", "\u0627", "\u06ff"):  # the block's first character, alef, its last
        assert describe_expected(TrueFalse(id="x", prompt=f"{letter} ?", answer=True)) == "صح", hex(ord(letter))
    for letter in ("\u05ff", "\u0700", "x"):  # just before it (Hebrew's block), just after (Syriac)
        assert describe_expected(TrueFalse(id="x", prompt=f"{letter} ?", answer=True)) == "true", hex(ord(letter))


def test_a_cloze_without_a_prompt_is_arabic_by_its_text() -> None:
    assert is_arabic(TRANSFER)
    english = "The {{c1::Sun}} is a star."
    assert not is_arabic(Cloze(id="sun", text=english, deletions=parse_deletions(english)))
    # A question built in code without a prompt is not Arabic, and feedback still names its answer.
    assert describe_expected(TrueFalse(id="x", answer=True)) == "true"
