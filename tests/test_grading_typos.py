"""The per-word typo rule: a slip of the finger is forgiven, another word never is.

Words come from the source text (/work/shared/seed/article.ar.txt) and from the bundled banks,
read by question id so the tests follow the banks when their wording changes.
"""

from __future__ import annotations

import pytest

from quizdeck.bank import load_bank
from quizdeck.grading import (
    CONFUSED_LETTERS,
    edit_budget,
    grade,
    matches_text,
    normalize,
    word_typos,
)
from quizdeck.questions import Cloze, Match, Short, parse_deletions

from .conftest import QUIZZES, SOURCE_TEXT, needs_source

# Words of the article the examples below are made from.
ARTICLE_WORDS = (
    "طومسون", "تحسين", "الخفاجي", "النائمة", "قائمة", "الظلال", "الدعوة", "الأراضي", "الديمقراطية",
    "الاستشاري", "التشغيلية", "المنفجرة", "نينوى", "ديالى", "داعش",
)


@needs_source
def test_the_example_words_are_the_articles() -> None:
    article = SOURCE_TEXT.read_text(encoding="utf-8")
    assert [word for word in ARTICLE_WORDS if word not in article] == []


# --- the table of docs/grading.md: every row ---------------------------------------------------


@pytest.mark.parametrize(
    ("response", "expected", "why"),
    [
        ("غابي طمسون", "غابي طومسون", "a letter left out of a 6-letter word"),
        ("غابي طومسسون", "غابي طومسون", "a letter typed twice"),
        ("غابي طوسمون", "غابي طومسون", "two neighbouring letters swapped"),
        ("غابي طومسوم", "غابي طومسون", "ن for م: touching keys (k, l)"),
        ("غابي تومسون", "غابي طومسون", "ت for ط: often confused in foreign names"),
        ("الأراظي", "الأراضي", "ظ for ض: often confused"),
        ("ديالا", "ديالى", "ا for ى: touching keys (h, n), and alike at the end of a word"),
        ("قوات سوريا الديموقراطية", "قوات سوريا الديمقراطية", "an added long vowel"),
        ("قوات سوريا الدمقراطيه", "قوات سوريا الديمقراطية", "one letter left out (ة as ه is no typo)"),
        ("الخلايا نائمة", "الخلايا النائمة", "the article on a later word"),
        ("William Shakspeare", "William Shakespeare", "English: a letter left out"),
        ("Wiliam Shakespeare", "William Shakespeare", "English: a doubled letter written once"),
        ("William Shakeapeare", "William Shakespeare", "English: a for s, touching QWERTY keys"),
    ],
)
def test_slips_of_the_finger_are_forgiven(response: str, expected: str, why: str) -> None:
    assert matches_text(response, [expected]), why
    assert not matches_text(response, [expected], fuzzy=False), why


@pytest.mark.parametrize(
    ("response", "expected", "why"),
    [
        ("سامي طومسون", "غابي طومسون", "another first name: a word of 4 letters must be exact"),
        ("غابي طمسن", "غابي طومسون", "two typos in one 6-letter word (the answer's length no longer pays)"),
        ("الخلايا القائمة", "الخلايا النائمة", "ق for ن: keys far apart (another word: standing)"),
        ("الخلايا النايمة", "الخلايا القائمة", "and the other way round"),
        ("الضلال", "الظلال", "ض for ظ in a word of 4 letters (another word: misguidance)"),
        ("الدعوى", "الدعوة", "a 4-letter word (the lawsuit, not the invitation)"),
        ("تحصيل", "تحسين", "two letters changed in a 5-letter word"),
        ("طومعون", "طومسون", "ع for س: keys far apart"),
        ("طومسونك", "طومسون", "an extra letter that doubles nothing"),
        ("ديالا", "ديالى اليوم", "a missing word"),
        ("دلااي", "ديالى", "two typos in a 5-letter word"),
        ("William Shakesbeare", "William Shakespeare", "b for p: far apart on QWERTY"),
    ],
)
def test_other_words_are_never_accepted(response: str, expected: str, why: str) -> None:
    assert not matches_text(response, [expected]), why


def test_the_budget_is_per_word_not_per_answer() -> None:
    # One typo in each of two long words: each within its own budget.
    assert matches_text("مدرسه المشاة العرافية", ["مدرسة المشاة العراقية"])  # ف for ق: touching keys
    # Two typos in one 7-letter word fail, though the answer is 19 letters long.
    assert not matches_text("مدرسة المشاة العرافيا", ["مدرسة المشاة العراقية"])
    assert not matches_text("غابي طسمن", ["غابي طومسون"])
    # A word of 9 letters or more may have two.
    assert matches_text("الدموقراطية", ["الديمقراطية"])
    assert not matches_text("الدموقراطية", ["الديمقراطية"], fuzzy=False)
    assert not matches_text("الدموقراطيا", ["الديمقراطية"])


# --- the bundled banks, every typed answer ------------------------------------------------------

# A letter on a key far from the given one's, and never confused with it: ج (the key right of p)
# touches only ح د ك ط; ش (under a) is far from all of those.
FAR_FROM = {ch: ("ش" if ch in "جحدكط" else "ج") for ch in "ابتثجحخدذرزسشصضطظعغفقكلمنهويء"}


def _typed_answers() -> list[tuple[str, str]]:
    answers: list[tuple[str, str]] = []
    for question in load_bank(QUIZZES / "coalition-iraq.toml").questions:
        if isinstance(question, Short):
            answers.append((question.id, question.answer))
        elif isinstance(question, Cloze):
            answers += [(question.id, d.answer) for d in question.deletions]
    return answers


def _long_words(answer: str) -> list[tuple[int, str]]:
    words = normalize(answer).split()
    return [(n, w) for n, w in enumerate(words) if len(w.removeprefix("ال")) >= 5 and w.isalpha()]


def test_the_bundled_bank_has_typed_answers_to_try() -> None:
    answers = _typed_answers()
    assert len(answers) >= 10
    assert sum(len(_long_words(answer)) for _, answer in answers) >= 8


@pytest.mark.parametrize(("question_id", "answer"), _typed_answers())
def test_every_bundled_answer_with_a_letter_left_out_is_right(question_id: str, answer: str) -> None:
    words = normalize(answer).split()
    for n, word in _long_words(answer):
        slip = [*words[:n], word[:-2] + word[-1], *words[n + 1 :]]  # the last letter but one
        assert matches_text(" ".join(slip), [answer]), (question_id, slip)


@pytest.mark.parametrize(("question_id", "answer"), _typed_answers())
def test_every_bundled_answer_with_a_letter_changed_far_away_is_wrong(question_id: str, answer: str) -> None:
    words = normalize(answer).split()
    for n, word in enumerate(words):
        for at in range(len(word)):
            if word[at] not in FAR_FROM:
                continue
            wrong = [*words[:n], word[:at] + FAR_FROM[word[at]] + word[at + 1:], *words[n + 1:]]
            assert not matches_text(" ".join(wrong), [answer]), (question_id, wrong)


@pytest.mark.parametrize(("question_id", "answer"), _typed_answers())
def test_no_letter_of_a_short_word_may_change_even_to_a_touching_key(question_id: str, answer: str) -> None:
    words = normalize(answer).split()
    for n, word in enumerate(words):
        if len(word.removeprefix("ال")) > 4 or not word.isalpha():
            continue
        for at in range(len(word)):
            for other in _touching(word[at]):
                wrong = [*words[:n], word[:at] + other + word[at + 1:], *words[n + 1:]]
                assert not matches_text(" ".join(wrong), [answer]), (question_id, wrong)


def _touching(letter: str) -> list[str]:
    return [other for other in "ضصثقفغعهخحجدشسيبلاتنمكطءورزظ" if word_typos(other, letter, 1) == 1]


# --- word_typos: each kind of slip, and each limit ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "wanted", "typos"),
    [
        ("طومسون", "طومسون", 0),
        ("طمسون", "طومسون", 1),  # left out
        ("طومسو", "طومسون", 1),  # the last letter left out
        ("ومسون", "طومسون", 1),  # the first
        ("طومسسون", "طومسون", 1),  # doubled
        ("ططومسون", "طومسون", 1),  # the first letter doubled
        ("طوومسون", "طومسون", 1),
        ("طوماسون", "طومسون", 1),  # an extra long vowel
        ("طومسيون", "طومسون", 1),
        ("طومسنو", "طومسون", 1),  # the last two swapped
        ("وطمسون", "طومسون", 1),  # the first two swapped
        ("طومسوم", "طومسون", 1),  # ن م touch (k l)
        ("صومسون", "طومسون", 2),  # ص and ط are far apart: more than the budget of 1
        ("طومسونة", "طومسون", 2),  # an extra letter that doubles nothing
        ("طومسوسن", "طومسون", 2),  # an extra letter two after its like: no doubled letter
        ("نطومسون", "طومسون", 2),  # an extra first letter (like the last one: nothing doubled)
        ("طمسن", "طومسون", 2),
        ("طومس", "طومسون", 2),
    ],
)
def test_word_typos_counts_each_slip_once_and_nothing_else(typed: str, wanted: str, typos: int) -> None:
    assert word_typos(typed, wanted, 1) == typos


def test_word_typos_with_a_budget_of_two() -> None:
    assert word_typos("دمقراطيا", "ديمقراطيه", 2) == 3  # ا for ة is no slip
    assert word_typos("دمقراطي", "ديمقراطيه", 2) == 2  # two left out
    assert word_typos("ديقمراطه", "ديمقراطيه", 2) == 2  # a swap and a letter left out
    assert word_typos("دمقرطي", "ديمقراطيه", 2) == 3  # three left out: over budget
    assert word_typos("ديمقراطيهجك", "ديمقراطيه", 2) == 3


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ض", "ص"), ("ص", "ث"), ("ق", "ف"), ("ج", "د"),  # side by side, top row
        ("ش", "س"), ("ك", "ط"), ("ب", "ل"),  # middle row
        ("ض", "ش"), ("ص", "ش"), ("ص", "س"), ("ق", "ب"), ("د", "ط"),  # top row and the two keys below
        ("ش", "ي"), ("س", "ء"), ("ي", "و"), ("ا", "ي"), ("ط", "ظ"), ("م", "ز"),  # middle row and below
        ("ء", "و"), ("ر", "ل"), ("ز", "ظ"),  # bottom row
        ("q", "w"), ("s", "e"), ("s", "z"), ("p", "l"), ("m", "n"), ("k", "m"),  # QWERTY
        ("ض", "ظ"), ("ذ", "ز"), ("ث", "س"), ("ت", "ط"),  # often confused
    ],
)
def test_touching_keys_and_confused_letters_are_one_typo(a: str, b: str) -> None:
    for typed, wanted in ((a, b), (b, a)):
        assert word_typos(f"xx{typed}xx", f"xx{wanted}xx", 1) == 1, (typed, wanted)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ض", "ث"), ("ض", "س"), ("ش", "ث"), ("ق", "ن"), ("ع", "س"), ("ف", "ن"), ("ق", "ا"), ("د", "ك"),
        ("ط", "ز"), ("ء", "ب"), ("ح", "ع"), ("ع", "خ"), ("ه", "ح"), ("ت", "د"),
        ("q", "e"), ("q", "s"), ("s", "c"), ("a", "x"), ("b", "p"),
    ],
)
def test_keys_far_apart_are_another_word(a: str, b: str) -> None:
    for typed, wanted in ((a, b), (b, a)):
        assert word_typos(f"xx{typed}xx", f"xx{wanted}xx", 1) == 2, (typed, wanted)


def test_confused_letters_are_the_documented_four() -> None:
    assert sorted("".join(sorted(pair)) for pair in CONFUSED_LETTERS) == sorted(
        "".join(sorted(pair)) for pair in ("ضظ", "ذز", "ثس", "تط")
    )


def test_edit_budget_by_word_length() -> None:
    assert [edit_budget(n) for n in (0, 1, 4, 5, 8, 9, 40)] == [0, 0, 0, 1, 1, 2, 2]


def test_the_article_on_a_later_word_may_be_left_out_down_to_a_two_letter_word() -> None:
    assert matches_text("صاحب حق", ["صاحب الحق"])
    assert matches_text("صاحب الحق", ["صاحب حق"])
    assert not matches_text("صاحب الحق", ["صاحب حق"], fuzzy=False)
    # ال before a single letter is the word itself, not an article: nothing to leave out.
    assert not matches_text("صاحب ال", ["صاحب ل"])


def test_a_short_stem_behind_the_article_is_exact() -> None:
    # الظلال is 6 letters, but ظلال is 4: no typo forgiven, not even a confused letter.
    assert not matches_text("الظلاا", ["الظلال"])
    assert matches_text("الظلال", ["ظلال"])
    # A 5-letter stem behind it has a budget of one.
    assert matches_text("الاراظي", ["الأراضي"])


# --- rules that typo tolerance must not hide ---------------------------------------------------


def test_a_leading_waw_is_the_conjunction_even_without_fuzzy_matching() -> None:
    assert matches_text("ونينوى", ["نينوى"], fuzzy=False)
    assert matches_text("نينوى", ["ونينوى"], fuzzy=False)
    assert matches_text("وديالى", ["ديالى"], fuzzy=False)
    # At least two letters stay: و alone before one letter is that word, not a conjunction.
    assert not matches_text("ود", ["د"], fuzzy=False)
    assert matches_text("والحق", ["حق"], fuzzy=False)  # two letters stay: وال goes
    assert matches_text("وحق", ["حق"], fuzzy=False)


def test_only_text_matches() -> None:
    for response in (None, 2014, ["نينوى"], b"x"):
        assert not matches_text(response, ["نينوى", "2014", "x"])  # type: ignore[arg-type]


def test_the_article_goes_from_either_side_without_fuzzy_matching() -> None:
    assert matches_text("الخلايا النائمة", ["خلايا النائمة"], fuzzy=False)
    assert matches_text("والخلايا النائمة", ["خلايا النائمة"], fuzzy=False)
    assert not matches_text("الخلايا نائمة", ["الخلايا النائمة"], fuzzy=False)


def test_a_missing_word_is_never_a_typo() -> None:
    assert not matches_text("الفريق الاستشاري", ["الفريق الاستشاري العسكري"])
    assert not matches_text("الاستشاري العسكري", ["الفريق الاستشاري العسكري"])
    # A missing space with every letter there is forgiven; a missing space and a typo is not.
    assert matches_text("الفريقالاستشاري العسكري", ["الفريق الاستشاري العسكري"])
    assert not matches_text("الفريقالاستشري العسكري", ["الفريق الاستشاري العسكري"])


def test_cloze_blanks_are_exact_when_fuzzy_matching_is_off() -> None:
    text = "الألغام {{c1::غير المنفجرة}}"
    cloze = Cloze(id="demining", text=text, deletions=parse_deletions(text))
    assert grade(cloze, ["غير المنفجره"], fuzzy=False).correct  # ة as ه: no typo
    assert grade(cloze, ["غير المنفجة"], fuzzy=True).correct
    mark = grade(cloze, ["غير المنفجة"], fuzzy=False)
    assert (mark.points, mark.detail) == (0.0, "0 of 1 blanks right")


def test_a_left_item_named_twice_counts_once_the_first_time() -> None:
    people = Match(id="people", prompt="صِل", pairs=(
        ("غابي طومسون", "المتحدثة السابقة باسم التحالف"),
        ("تحسين الخفاجي", "المتحدث باسم قوات الأمن"),
    ))
    # "غابى" and "غابي" name the same person: the first pairing is the one graded.
    first_wrong = {"غابي طومسون": "المتحدث باسم قوات الأمن", "غابى طومسون": "المتحدثة السابقة باسم التحالف"}
    assert grade(people, first_wrong).points == 0.0
    first_right = {"غابى طومسون": "المتحدثة السابقة باسم التحالف", "غابي طومسون": "المتحدث باسم قوات الأمن"}
    mark = grade(people, first_right)
    assert (mark.points, mark.detail) == (0.5, "1 of 2 pairs right")
