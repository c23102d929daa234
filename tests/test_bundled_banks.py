"""The banks quizdeck ships: every quote real, every paragraph covered, the counts the issue asks for.

The source text lives outside the repository (../shared/seed/article.ar.txt); where it is absent
the checks that need it are skipped, the others still run.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import Bank, load_bank
from quizdeck.cli import app
from quizdeck.grading import normalize
from quizdeck.questions import (
    QUESTION_TYPES,
    Card,
    Choice,
    Cloze,
    Match,
    Multi,
    Numeric,
    Order,
    Question,
    Short,
    cloze_display,
)
from quizdeck.source import SourceText, check_sources, load_source

from .conftest import QUIZZES, SOURCE_TEXT

COMPREHENSION = QUIZZES / "coalition-iraq.toml"
VOCABULARY = QUIZZES / "coalition-iraq-vocab.toml"
BANKS = [COMPREHENSION, VOCABULARY]
PARAGRAPHS = 13
PARAGRAPH_TAG = re.compile(r"^p(\d\d)$")
ENGLISH_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
LATIN_LETTER = re.compile(r"[A-Za-z]")

needs_source = pytest.mark.skipif(not SOURCE_TEXT.exists(), reason=f"source text {SOURCE_TEXT} absent")
runner = CliRunner()


@pytest.fixture(scope="module")
def source() -> SourceText:
    if not SOURCE_TEXT.exists():
        pytest.skip(f"source text {SOURCE_TEXT} absent")
    return load_source(SOURCE_TEXT)


def bank(path: Path) -> Bank:
    return load_bank(path)


def paragraph_tags(tags: tuple[str, ...]) -> list[int]:
    return [int(m.group(1)) for m in map(PARAGRAPH_TAG.match, tags) if m]


# --- both banks -----------------------------------------------------------------------------------


@needs_source
@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_check_with_source_passes_with_no_warning(path: Path) -> None:
    result = runner.invoke(app, ["check", str(path), "--source", str(SOURCE_TEXT), "--strict"])
    lines = result.stdout.splitlines()
    assert [line for line in lines if "warning" in line or "not found" in line] == []
    assert result.exit_code == 0, result.stdout
    assert lines[-2] == (
        f"{path}: sources: {len(bank(path).questions)} quotes found in {PARAGRAPHS} paragraphs; "
        "paragraphs without a question: none"
    )


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_ids_are_english_kebab_case(path: Path) -> None:
    bad = [q.id for q in bank(path).questions if not ENGLISH_ID.match(q.id)]
    assert bad == []


def test_every_vocabulary_card_has_exactly_one_paragraph_tag() -> None:
    wrong = {q.id: q.tags for q in bank(VOCABULARY).questions
             if len(paragraph_tags(q.tags)) != 1 or not 1 <= paragraph_tags(q.tags)[0] <= PARAGRAPHS}
    assert wrong == {}


def test_every_comprehension_question_has_a_paragraph_tag() -> None:
    wrong = {q.id: q.tags for q in bank(COMPREHENSION).questions
             if not paragraph_tags(q.tags) or not all(1 <= p <= PARAGRAPHS for p in paragraph_tags(q.tags))}
    assert wrong == {}


QUOTED = re.compile(r"«([^«»]+)»")


def quoted_paragraphs(explanation: str, source: SourceText) -> set[int]:
    """The paragraphs the «quotes» of an explanation come from (a quote cut with ... counts in pieces)."""
    found: set[int] = set()
    for quote in QUOTED.findall(explanation):
        for piece in re.split(r"\.\.\.|…", quote):
            if len(piece.split()) >= 2:
                found.update(source.find(piece.strip(" ،.")).paragraphs)
    return found


@needs_source
@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_paragraph_tags_name_the_quote_and_the_paragraphs_the_explanation_quotes(
    path: Path, source: SourceText
) -> None:
    """The quote's paragraph is always a tag; a question that draws on more paragraphs (an argument
    across the article) is tagged with each of them too, and its explanation quotes each."""
    loaded = bank(path)
    report = check_sources(loaded, source)
    untagged = {q.id: (paragraph_tags(q.tags), report.paragraph_of(q.id))
                for q in loaded.questions if report.paragraph_of(q.id) not in paragraph_tags(q.tags)}
    assert untagged == {}
    unsupported = {q.id: sorted(set(paragraph_tags(q.tags)) - {report.paragraph_of(q.id)}
                                - quoted_paragraphs(q.explanation, source))
                   for q in loaded.questions}
    assert {qid: tags for qid, tags in unsupported.items() if tags} == {}


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_bank_is_arabic_and_every_question_has_a_source(path: Path) -> None:
    loaded = bank(path)
    assert loaded.language == "ar"
    assert [q.id for q in loaded.questions if not q.source.strip()] == []


# --- the comprehension bank -----------------------------------------------------------------------


def test_comprehension_bank_has_60_questions_of_all_nine_types() -> None:
    loaded = bank(COMPREHENSION)
    assert len(loaded.questions) >= 60
    types = Counter(q.type for q in loaded.questions)
    assert {t: types[t] for t in QUESTION_TYPES if types[t] < 3} == {}


def test_comprehension_bank_covers_every_paragraph_three_times_by_tag() -> None:
    counts = Counter(p for q in bank(COMPREHENSION).questions for p in paragraph_tags(q.tags))
    assert {p: counts[p] for p in range(1, PARAGRAPHS + 1) if counts[p] < 3} == {}


@needs_source
def test_comprehension_bank_covers_every_paragraph_three_times_by_source(source: SourceText) -> None:
    report = check_sources(bank(COMPREHENSION), source)
    counts = Counter(q.match.paragraph for q in report.questions if q.match is not None)
    assert {p: counts[p] for p in range(1, PARAGRAPHS + 1) if counts[p] < 3} == {}


def test_comprehension_questions_have_an_arabic_explanation_and_no_english() -> None:
    loaded = bank(COMPREHENSION)
    assert [q.id for q in loaded.questions if not ARABIC_LETTER.search(q.explanation)] == []
    leaking = {q.id: q.prompt for q in loaded.questions
               if LATIN_LETTER.search(q.prompt) or LATIN_LETTER.search(q.explanation)}
    assert leaking == {}


# --- the vocabulary bank --------------------------------------------------------------------------


def test_vocabulary_bank_has_40_reversible_cards() -> None:
    loaded = bank(VOCABULARY)
    assert loaded.id == "coalition-iraq-vocab"
    assert len(loaded.questions) >= 40
    not_cards = [q.id for q in loaded.questions if not (isinstance(q, Card) and q.reverse)]
    assert not_cards == []


def test_vocabulary_cards_are_arabic_on_the_front_and_english_on_the_back() -> None:
    cards = [q for q in bank(VOCABULARY).questions if isinstance(q, Card)]
    assert [q.id for q in cards if LATIN_LETTER.search(q.prompt) or not ARABIC_LETTER.search(q.prompt)] == []
    assert [q.id for q in cards if ARABIC_LETTER.search(q.back) or not LATIN_LETTER.search(q.back)] == []
    backs = Counter(q.back for q in cards)
    assert [back for back, n in backs.items() if n > 1] == [], "a reversed card needs a back of its own"


def test_vocabulary_cards_are_tagged_with_a_part_of_speech() -> None:
    parts = {"noun", "verb", "adjective", "adverb", "phrase", "idiom"}
    untagged = [q.id for q in bank(VOCABULARY).questions if len(parts & set(q.tags)) != 1]
    assert untagged == []


HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0652"  # the vowels, tanween and sukun; not shadda
SHADDA = "\u0651"


def vocalisation_slips(word: str) -> list[str]:
    """Mechanical slips in harakat: a mark opening a word, two vowels on a letter, a vowel on alef."""
    slips = []
    if word[0] in HARAKAT + SHADDA:
        slips.append("a mark opens the word")
    for letter, marks in re.findall(r"([^\u064b-\u0652])([\u064b-\u0652]+)", word):
        if sum(m in HARAKAT for m in marks) > 1 or marks.count(SHADDA) > 1:
            slips.append(f"{letter} carries {len(marks)} marks")
        if letter in "اى" and any(m in HARAKAT for m in marks):
            slips.append(f"a vowel on {letter}")
    return slips


def test_vocabulary_harakat_have_no_mechanical_slips() -> None:
    slips = {q.id: vocalisation_slips(word) for q in bank(VOCABULARY).questions
             for word in q.prompt.split() if vocalisation_slips(word)}
    assert slips == {}


def test_the_slip_finder_finds_slips() -> None:
    assert vocalisation_slips("التَّحالُف") == []
    assert vocalisation_slips("نَتائِجَ") == []
    assert vocalisation_slips("مَُجد") == ["م carries 2 marks"]
    assert vocalisation_slips("كتابَ") == []
    assert vocalisation_slips("كتاَب") == ["a vowel on ا"]


def test_vocabulary_bank_header() -> None:
    loaded = bank(VOCABULARY)
    assert ARABIC_LETTER.search(loaded.title)
    assert loaded.description and loaded.source


# --- the comprehension bank as an exam: not gameable, no give-aways, hints, levels -----------------

LEVELS = ("recall", "vocabulary", "inference")
#: Answers that another question of the same paragraph lesson cannot help printing, and why.
UNAVOIDABLE_GIVEAWAYS: dict[tuple[str, str], str] = {}
# Single letters a word can carry in front of it: و ف ب ك ل, and ل with the article (للـ).
PROCLITICS = ("", "و", "ف", "ب", "ك", "ل", "وب", "ول", "فب", "فل", "وك")


def levels(question: Question) -> list[str]:
    return [tag for tag in question.tags if tag in LEVELS]


def visible_text(question: Question) -> str:
    """What a student sees of a question before answering it: on paper, or in `take`."""
    parts = [question.prompt, question.hint]
    if isinstance(question, (Choice, Multi)):
        parts += question.choices
    elif isinstance(question, Order):
        parts += question.items
    elif isinstance(question, Match):
        parts += [side for pair in question.pairs for side in pair]
    elif isinstance(question, Cloze):
        parts.append(cloze_display(question.text))
    return " ".join(parts)


def hidden_answers(question: Question) -> list[str]:
    """The texts a student must produce from memory: typed answers and cloze deletions."""
    if isinstance(question, Short):
        return [question.answer, *question.accept]
    if isinstance(question, Numeric):
        return [f"{question.answer:g}"]
    if isinstance(question, Cloze):
        return [d.answer for d in question.deletions]
    return []


def printed_in(answer: str, text: str) -> bool:
    """Whether `answer` appears in `text` as whole words, harakat, hamza forms and a leading
    conjunction, preposition or article aside ("الرحيل" is printed in "للرحيل" and "والرحيل")."""
    wanted = [word.removeprefix("ال") if len(word) > 4 else word for word in normalize(answer).split()]
    words = normalize(text).split()
    for start in range(len(words) - len(wanted) + 1):
        window = words[start:start + len(wanted)]
        if all(any(w in (p + x, p + "ال" + x, p + "ل" + x) for p in PROCLITICS) if len(x) > 1 else w == x
               for w, x in zip(window, wanted, strict=True)):
            return True
    return False


def giveaways(questions: tuple[Question, ...]) -> dict[tuple[str, str], str]:
    """(question, other question) -> the hidden answer of the first that the second prints, for
    questions that share a paragraph tag and so are asked together in a `--tag pNN` lesson."""
    found = {}
    for question in questions:
        for other in questions:
            if other is question or not set(paragraph_tags(question.tags)) & set(paragraph_tags(other.tags)):
                continue
            shown = visible_text(other)
            for answer in hidden_answers(question):
                if printed_in(answer, shown):
                    found[(question.id, other.id)] = answer
                    break
    return found


def test_no_question_gives_away_another_questions_answer_in_its_lesson() -> None:
    found = giveaways(bank(COMPREHENSION).questions)
    assert {pair: answer for pair, answer in found.items() if pair not in UNAVOIDABLE_GIVEAWAYS} == {}
    assert [pair for pair in UNAVOIDABLE_GIVEAWAYS if pair not in found] == [], "an exception no longer needed"


def test_the_giveaway_finder_finds_answers_with_a_prefix_and_no_harakat() -> None:
    assert printed_in("الرحيل", "حان وقتُ الرَّحيل")
    assert printed_in("الرحيل", "تمهيداً للرحيل")
    assert printed_in("أوطانها", "إلى اوطانها")
    assert printed_in("قوات سوريا الديمقراطية", "مع قوات سوريا الديمقراطية،")
    assert printed_in("2014", "منذ عام 2014")
    assert not printed_in("2014", "منذ عام 20140")
    assert not printed_in("الدعوة", "دعوات")
    assert not printed_in("أول", "الأولى")


def choice_lengths(question: Choice) -> tuple[int, list[int]]:
    """The key's length and the distractors' lengths, in letters (spaces and marks aside)."""
    def size(text: str) -> int:
        return len(normalize(text).replace(" ", ""))
    return size(question.answer), [size(c) for c in question.choices if c != question.answer]


def test_choice_keys_are_not_guessable_by_their_length() -> None:
    choices = [q for q in bank(COMPREHENSION).questions if isinstance(q, Choice)]
    longest = [q.id for q in choices if choice_lengths(q)[0] > max(choice_lengths(q)[1])]
    assert len(longest) <= len(choices) / 3, f"the key is the single longest choice in {longest}"
    shortest = [q.id for q in choices if choice_lengths(q)[0] < min(choice_lengths(q)[1])]
    assert len(shortest) <= len(choices) / 3, f"the key is the single shortest choice in {shortest}"
    ratios = {q.id: choice_lengths(q)[0] / (sum(choice_lengths(q)[1]) / len(choice_lengths(q)[1]))
              for q in choices}
    assert sum(ratios.values()) / len(ratios) <= 1.2, ratios
    assert {qid: round(r, 2) for qid, r in ratios.items() if r > 1.6} == {}, "a key far longer than its distractors"


def test_match_pairs_share_no_word() -> None:
    """A pair that shares a word (النظر with النظر) is matched by sight, not by reading."""
    shared = {(q.id, left): content_words(left) & content_words(right)
              for q in bank(COMPREHENSION).questions if isinstance(q, Match)
              for left, right in q.pairs if content_words(left) & content_words(right)}
    assert shared == {}


def test_typed_questions_have_a_hint_that_does_not_give_the_answer() -> None:
    questions = bank(COMPREHENSION).questions
    typed = [q for q in questions if isinstance(q, (Short, Numeric))]
    assert [q.id for q in typed if not q.hint] == []
    assert [q.id for q in questions if isinstance(q, Cloze) and not all(d.hint for d in q.deletions)] == []
    told = {q.id: answer for q in typed for answer in hidden_answers(q) if printed_in(answer, q.hint)}
    told |= {q.id: d.answer for q in questions if isinstance(q, Cloze) for d in q.deletions
             if printed_in(d.answer, d.hint) or printed_in(d.answer, q.hint)}
    assert told == {}


def test_every_question_has_one_level_and_a_quarter_ask_for_inference() -> None:
    questions = bank(COMPREHENSION).questions
    assert {q.id: levels(q) for q in questions if len(levels(q)) != 1} == {}
    counts = Counter(levels(q)[0] for q in questions)
    assert counts["inference"] >= len(questions) / 4, counts


def test_the_main_argument_and_the_authors_stance_are_asked() -> None:
    questions = bank(COMPREHENSION).questions
    main_idea = [q for q in questions if "main-idea" in q.tags]
    stance = [q for q in questions if "stance" in q.tags]
    assert len(main_idea) >= 6 and len(stance) >= 4
    assert all(levels(q) == ["inference"] for q in main_idea + stance)


#: Cards that share a word on purpose: a common word in two different terms, or a pattern taught twice.
SHARED_ON_PURPOSE = {
    ("complete-military-withdrawal", "military-advisory-group"): "عسكري",
    ("raising-money", "intelligence-gathering"): "جمع",
    ("remarkably", "definitively"): "بشكل",
    ("sustaining-security", "security-personnel"): "امن",
}
FUNCTION_WORDS = {"الي", "في", "من", "عن", "علي", "لا", "غير"}


def content_words(text: str) -> set[str]:
    words = {word.removeprefix("ال") for word in normalize(text).split()}
    return {word for word in words if len(word) > 1} - {w.removeprefix("ال") for w in FUNCTION_WORDS}


def test_vocabulary_cards_are_not_near_duplicates() -> None:
    """Two cards that share a word (جمع / دمج المعلومات الاستخباراتية) teach it twice; name a pair
    above when a common word in two different terms is intended."""
    cards = bank(VOCABULARY).questions
    shared = {(a.id, b.id): " ".join(sorted(content_words(a.prompt) & content_words(b.prompt)))
              for n, a in enumerate(cards) for b in cards[n + 1:]
              if content_words(a.prompt) & content_words(b.prompt)}
    assert shared == SHARED_ON_PURPOSE
