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
from quizdeck.questions import QUESTION_TYPES, Card
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


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_every_question_has_exactly_one_paragraph_tag(path: Path) -> None:
    wrong = {q.id: q.tags for q in bank(path).questions
             if len(paragraph_tags(q.tags)) != 1 or not 1 <= paragraph_tags(q.tags)[0] <= PARAGRAPHS}
    assert wrong == {}


@needs_source
@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_paragraph_tag_matches_the_paragraph_of_the_quote(path: Path, source: SourceText) -> None:
    loaded = bank(path)
    report = check_sources(loaded, source)
    wrong = {
        q.id: (paragraph_tags(q.tags), report.paragraph_of(q.id))
        for q in loaded.questions
        if paragraph_tags(q.tags) != [report.paragraph_of(q.id)]
    }
    assert wrong == {}


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
