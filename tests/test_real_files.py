"""Real files from public course repositories: every one imports, and every row or note is imported or
reported. tests/data/SOURCES.md says where each comes from and under which licence."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app
from quizdeck.questions import Card, Choice, Question, Short

DATA = Path(__file__).resolve().parent / "data" / "flashcard-sets"
ROOT = DATA.parent
runner = CliRunner()


@pytest.mark.parametrize(("name", "count", "warnings"), [
    ("devops.csv", 16, 1),  # one warning: rows holding HTML are read as HTML, as Anki reads them
    ("programming-basic.csv", 53, 1),
    ("programming-general.csv", 22, 0),
    ("DevOps.apkg", 16, 0),
    ("Programming - basic.apkg", 53, 0),
])
def test_each_real_file_imports_whole(name: str, count: int, warnings: int, tmp_path: Path) -> None:
    out = tmp_path / "bank.toml"
    result = runner.invoke(app, ["import", str(DATA / name), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    bank = load_bank(out)
    assert len(bank.questions) == count
    assert len(result.stderr.splitlines()) == warnings + 1  # the warnings, then the summary line
    assert all("<b>" not in q.prompt and "<br>" not in getattr(q, "back", "") for q in bank.questions)


def test_the_csv_and_the_package_anki_made_from_it_agree(tmp_path: Path) -> None:
    for name in ("devops.csv", "DevOps.apkg"):
        result = runner.invoke(app, ["import", str(DATA / name), "-o", str(tmp_path / f"{name}.toml")])
        assert result.exit_code == 0, result.stderr
    from_csv = load_bank(tmp_path / "devops.csv.toml").questions
    from_apkg = load_bank(tmp_path / "DevOps.apkg.toml").questions
    assert [(q.id, q.prompt) for q in from_csv] == [(q.id, q.prompt) for q in from_apkg]


def _card(question: Question) -> tuple[str, str]:
    assert isinstance(question, Card)
    return question.prompt, question.back


def _import(path: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Import a real file as a user would, from its own folder; the lines printed on stderr."""
    with monkeypatch.context() as patch:
        patch.chdir(path.parent)
        result = runner.invoke(app, ["import", path.name, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stderr.splitlines()


# Course banks exported from Moodle or written for it: every question is imported or reported by line.
@pytest.mark.parametrize(("path", "imported", "reports"), [
    ("moodle-gift-generator/example.gift", 1, [
        'example.gift:8: question "Match each definition about space below": skipped: the left side '
        '"Saturn’s largest moon" appears in two pairs; quizdeck needs each once',
    ]),
    ("ruby-moodle-gift-parser/example-gift-multiple-choice.gift", 3, [
        'example-gift-multiple-choice.gift:29: warning: question "2017-1-q03": HTML image '
        '"http://missing.png" dropped (only its alt text is kept)',
    ]),
    ("moodle-gift-skill/exemplos_originais.gift.txt", 11, [
        'exemplos_originais.gift.txt:26: warning: question "idade-de-albert-einstein-quando-ganhou-o-nobel": '
        'partial credit answer "41:1" (50%) dropped: quizdeck has no partial credit',
        'exemplos_originais.gift.txt:42: question "Redação sobre Sustentabilidade": skipped: an essay question '
        '({} with nothing inside); quizdeck has no essay type',
        'exemplos_originais.gift.txt:45: question "Instruções para a Prova": skipped: a description (text with '
        'no {answers}); quizdeck has no question without answers',
        "exemplos_originais.gift.txt:58: skipped: its only right answer is '*', which Moodle reads as "
        "'anything is right'; quizdeck cannot grade that",
    ]),
])
def test_each_real_course_bank_imports_every_question_or_reports_it(
        path: str, imported: int, reports: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "bank.toml"
    lines = _import(ROOT / path, out, monkeypatch)
    assert lines[:-1] == reports
    assert f": {imported} question" in lines[-1]
    assert len(load_bank(out).questions) == imported


def test_a_moodle_export_keeps_its_html_text_categories_and_escaped_line_breaks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _import(ROOT / "ruby-moodle-gift-parser/example-gift-multiple-choice.gift", tmp_path / "bank.toml", monkeypatch)
    bank = load_bank(tmp_path / "bank.toml")
    first = bank.questions[0]
    # `[html]<p><span>Example 1</span></p>\n<p>...`: tags gone, paragraphs and the escaped \n kept.
    assert first.prompt == "Example 1\n\nTherefore:\n\nQuestion:"
    assert isinstance(first, Choice) and first.answer == "Correct."
    assert first.explanation == "Reason."
    # `$CATEGORY: $system$/Default/Example Category/Sub Category`: the first category titles the bank
    # and each category tags the questions below it.
    assert bank.title == "Sub Category"
    assert [q.tags for q in bank.questions] == [("sub-category",), ("sub-category",), ("sub-category-2",)]


def test_a_short_answer_in_an_html_question_is_kept_as_typed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `[html]::Questão sobre HTML::\n<b>Qual tag HTML é usada para criar um link?</b> {=<a>}`: Moodle
    # compares a short answer with what the learner types, so `<a>` is the answer, not an HTML tag.
    # A format marker before the title hides the title from Moodle, and from quizdeck.
    _import(ROOT / "moodle-gift-skill/exemplos_originais.gift.txt", tmp_path / "bank.toml", monkeypatch)
    question = next(q for q in load_bank(tmp_path / "bank.toml").questions if "link" in q.prompt)
    assert question.prompt == "::Questão sobre HTML:: Qual tag HTML é usada para criar um link?"
    assert isinstance(question, Short) and question.answer == "<a>"


TATOEBA = ROOT / "tatoeba" / "ara.txt"


def test_a_real_english_arabic_list_is_an_arabic_bank_with_its_harakat(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _import(TATOEBA, tmp_path / "bank.toml", monkeypatch)
    # The third column holds each row's attribution: reported once, never glued onto the Arabic.
    assert lines == [
        'ara.txt: warning: row 1: column 3 ignored in 200 rows: a list has a term, a definition and tags '
        '(name a column "tags" in a header row, or use the spreadsheet form\'s columns, see docs/interchange.md)',
        f"{tmp_path / 'bank.toml'}: 200 questions imported from ara.txt, 1 warning",
    ]
    bank = load_bank(tmp_path / "bank.toml")
    assert (bank.language, bank.direction) == ("ar", "rtl")
    cards: dict[str, list[str]] = {}
    for prompt, back in map(_card, bank.questions):
        cards.setdefault(prompt, []).append(back)
    assert cards["Hi."] == ["مرحبًا."]  # tanwin kept
    assert cards["I got it."] == ["فهمتُهُ.", "فهمتُها.", "فَهمتُ ذلك."]  # damma, fatha, sukun kept
    assert all("CC-BY" not in back for backs in cards.values() for back in backs)


def test_ids_of_a_real_list_come_from_its_rows_not_their_places(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = TATOEBA.read_text(encoding="utf-8").splitlines(keepends=True)
    shuffled = tmp_path / "shuffled" / "ara.txt"
    shuffled.parent.mkdir()
    # The list re-sorted, one row removed near the top and one new row inserted in the middle.
    new_row = "Good morning.\tصباح الخير.\tadded by a teacher\n"
    changed = sorted(rows[:3] + rows[4:100] + [new_row] + rows[100:], key=lambda r: r.split("\t")[1])
    shuffled.write_text("".join(changed), encoding="utf-8")
    _import(TATOEBA, tmp_path / "a.toml", monkeypatch)
    _import(shuffled, tmp_path / "b.toml", monkeypatch)
    before = {q.id: _card(q) for q in load_bank(tmp_path / "a.toml").questions}
    after = {q.id: _card(q) for q in load_bank(tmp_path / "b.toml").questions}
    removed = rows[3].split("\t")
    assert {k: v for k, v in before.items() if v != (removed[0], removed[1])} == \
        {k: v for k, v in after.items() if v != ("Good morning.", "صباح الخير.")}
    # Three rows share the front "Duck!": each keeps an id of its own, made from its whole row.
    ducks = sorted(k for k, v in before.items() if v[0] == "Duck!")
    assert len(ducks) == 3 and all(k.startswith("duck-") for k in ducks)


@pytest.mark.parametrize(("path", "formats"), [
    ("moodle-gift-generator/example.gift", ("gift", "csv")),
    ("ruby-moodle-gift-parser/example-gift-multiple-choice.gift", ("gift", "csv")),
    ("moodle-gift-skill/exemplos_originais.gift.txt", ("gift", "csv")),
    ("tatoeba/ara.txt", ("csv",)),  # cards: GIFT has no flashcards, so they are reported, not written
    ("flashcard-sets/devops.csv", ("csv",)),
])
def test_what_a_real_file_gave_survives_a_round_trip(
        path: str, formats: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _import(ROOT / path, tmp_path / "bank.toml", monkeypatch)
    original = load_bank(tmp_path / "bank.toml")
    for fmt in formats:
        result = runner.invoke(app, ["export", str(tmp_path / "bank.toml"), "--format", fmt,
                                     "-o", str(tmp_path / f"out.{fmt}")])
        assert result.exit_code == 0, result.stderr
        _import(tmp_path / f"out.{fmt}", tmp_path / f"back-{fmt}.toml", monkeypatch)
        assert load_bank(tmp_path / f"back-{fmt}.toml").questions == original.questions, fmt
    # Edited in a spreadsheet and brought back with --update, an unchanged export changes nothing.
    before = (tmp_path / "bank.toml").read_bytes()
    result = runner.invoke(app, ["import", str(tmp_path / "out.csv"), "-o", str(tmp_path / "bank.toml"), "--update"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "bank.toml").read_bytes() == before


WIKIVOYAGE = ROOT / "wikivoyage-phrasebook"


def test_a_pipe_separated_list_made_for_anki_imports_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No header line says so: the '|' between term and definition is found as Anki finds it, and the
    # HTML cells, some over many lines, are read as Anki reads them.
    lines = _import(WIKIVOYAGE / "Greek.txt", tmp_path / "bank.toml", monkeypatch)
    assert lines == [
        "Greek.txt: warning: row 1: 378 rows hold HTML markup (like <b> or <br>), read as HTML as Anki's import "
        "reads it",
        'Greek.txt: warning: row 42: column 3 ignored in 1 row: a list has a term, a definition and tags (name a '
        'column "tags" in a header row, or use the spreadsheet form\'s columns, see docs/interchange.md)',
        f"{tmp_path / 'bank.toml'}: 404 questions imported from Greek.txt, 2 warnings",
    ]
    cards = dict(map(_card, load_bank(tmp_path / "bank.toml").questions))
    assert cards["Κυριακή"] == "Sunday (kee-ree-ah-KEE)"


def test_braces_in_a_lists_html_do_not_make_it_gift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The French list's pronunciation notes hold MediaWiki's JSON (`data-mw='{"parts":[{...}]}'`): a
    # .txt whose braces open no GIFT answer set is a list, here '|'-separated.
    lines = _import(WIKIVOYAGE / "French-excerpt.txt", tmp_path / "bank.toml", monkeypatch)
    assert lines[-1] == f"{tmp_path / 'bank.toml'}: 13 questions imported from French-excerpt.txt, 1 warning"
    cards = dict(map(_card, load_bank(tmp_path / "bank.toml").questions))
    assert cards["What should you know about French pronounciation?"]
    assert any("(IPA (https://en.wikipedia.org/wiki/International%20Phonetic%20Alphabet): ə)" in back
               for back in cards.values())


def test_the_list_and_the_package_anki_made_from_it_give_the_same_cards(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Greek.apkg is Anki's current package form (a zstd collection.anki21b). Its editor rewrote the
    # list's broken `<pThis deck ... <a href=...>` as `<pthis deck="" ... <a="" href="...">`, one tag
    # to a browser: both read as the same text, as Anki shows them.
    _import(WIKIVOYAGE / "Greek.txt", tmp_path / "list.toml", monkeypatch)
    lines = _import(WIKIVOYAGE / "Greek.apkg", tmp_path / "package.toml", monkeypatch)
    assert lines == [f"{tmp_path / 'package.toml'}: 404 questions imported from Greek.apkg"]
    from_list = load_bank(tmp_path / "list.toml")
    from_package = load_bank(tmp_path / "package.toml")
    assert from_package.title == "Greek"  # the deck's name
    assert [(q.id, _card(q)) for q in from_package.questions] == [(q.id, _card(q)) for q in from_list.questions]
    assert _card(from_list.questions[0])[1].startswith(
        "Wikivoyage Phrasebook pages and put them into a form which can be easily learnt/revised using Anki "
        "(https://apps.ankiweb.net/)")


# What the real files above taught the readers, in small.

@pytest.mark.parametrize(("text", "expected"), [
    ('"Hello"|"<b>Γειά σου</b>"\nbeef|"βοδινό (...)"\nyes|ναι\n', "|"),  # Wikivoyage's lists for Anki
    ('term|"a long\ndefinition, over lines"\nb|c\nd|e\n', "|"),
    ("Mars,planet|red\nVenus,planet|hot\n", ","),  # '|' inside cells splits rows no better than ','
    ("a|b,c\nd|e,f,g\nh|i\n", "|"),
    ("a;b|c\nd;e|f\n", ";"),
    ("prompt,choices,answer\nPick,a|b,a\n", ","),  # the spreadsheet form's lists
])
def test_a_pipe_is_the_delimiter_only_when_it_alone_splits_rows_alike(text: str, expected: str) -> None:
    from quizdeck.spreadsheet import detect_delimiter

    assert detect_delimiter(text) == expected


@pytest.mark.parametrize(("html", "text"), [
    ('<pthis deck="" of="" <a="" href="https://x">Wikivoyage</a> pages', "Wikivoyage pages"),
    ("x <y z <i>w</i>", "x w"),  # a browser reads `<y z <i>` as one tag
    ("Is a < b and b > c?", "Is a < b and b > c?"),  # no tag starts: all text
    # An unpaired quote: the first `<` is kept as text, where a browser would hide all that follows.
    ("a <b title='x <i>y</i>", "a <b title='x y"),
])
def test_a_tag_holding_a_less_than_sign_is_read_as_a_browser_reads_it(html: str, text: str) -> None:
    from quizdeck.convert import html_to_text

    assert html_to_text(html)[0] == text
