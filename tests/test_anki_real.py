"""Exported packages imported into a real Anki collection (the `anki` package: Anki's own backend).

Each test imports with Anki's default import options and asserts on what a learner would see:
the rendered question and answer of every card, and what happens to notes and their review
history when a newer export of an edited bank is imported.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from quizdeck import anki
from quizdeck.bank import load_bank
from quizdeck.cli import app

from .conftest import BANKS

collection_module = pytest.importorskip("anki.collection")

ARABIC = BANKS / "anki-arabic.toml"
UNSAFE = BANKS / "anki-unsafe.toml"
T1 = 1790000000  # 2026-09-21: a first export, before the learner's edits in these tests
T2 = T1 + 86400
runner = CliRunner()


def new_collection(tmp_path: Path) -> Any:
    folder = tmp_path / "anki-profile"
    folder.mkdir(parents=True, exist_ok=True)
    return collection_module.Collection(str(folder / "collection.anki2"))


def import_package(col: Any, path: Path) -> Any:
    """Import as Anki's import screen does with its default options; the import log."""
    request = collection_module.ImportAnkiPackageRequest(
        package_path=str(path), options=collection_module.ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def export(tmp_path: Path, banks: list[Path], now: int, name: str = "deck.apkg") -> Path:
    output = tmp_path / name
    result = runner.invoke(app, ["export", *map(str, banks), "-o", str(output), "--now", str(now)])
    assert result.exit_code == 0, result.output
    return output


def shown(rendered: str) -> str:
    """A rendered side without the note type's <style> block."""
    return re.sub(r"<style>.*?</style>", "", rendered, flags=re.DOTALL)


def cards(col: Any, bank_id: str, question_id: str) -> list[Any]:
    guid = anki.note_guid(bank_id, question_id)
    note_ids = [nid for nid in col.find_notes("") if col.get_note(nid).guid == guid]
    assert len(note_ids) == 1, f"{question_id}: {len(note_ids)} notes"
    return sorted(col.get_note(note_ids[0]).cards(), key=lambda c: c.ord)


def sides(col: Any, bank_id: str, question_id: str) -> list[tuple[str, str]]:
    return [(shown(c.question()), shown(c.answer())) for c in cards(col, bank_id, question_id)]


LTR = '<div class="qd qd-ltr" dir="ltr" lang="en">'
RTL = '<div class="qd qd-rtl" dir="rtl" lang="ar">'


def test_every_question_type_renders_in_anki(tmp_path: Path, all_types_bank: Path) -> None:
    col = new_collection(tmp_path)
    log = import_package(col, export(tmp_path, [all_types_bank], T1))
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (9, 0, 0)
    assert col.card_count() == 11
    assert "Every question type" in [d.name for d in col.decks.all_names_and_ids()]

    (front, back) = sides(col, "all-types", "capital-card")
    assert front == (LTR + '<div class="qd-front">Capital of France</div></div>',
                     LTR + '<div class="qd-front">Capital of France</div><hr id="answer">'
                     '<div class="qd-back">Paris</div></div>')
    assert back == (LTR + '<div class="qd-back">Paris</div></div>',
                    LTR + '<div class="qd-back">Paris</div><hr id="answer">'
                    '<div class="qd-front">Capital of France</div></div>')

    ((question, answer),) = sides(col, "all-types", "largest-planet")
    assert "qd-correct" not in question
    assert re.findall(r"<li[^>]*>(.*?)</li>", question) == ["Jupiter", "Venus", "Mars", "Mercury"]
    assert re.findall(r'<li class="qd-correct">(.*?)</li>', answer) == ['<span class="qd-mark">✓</span> Jupiter']
    assert '<div class="qd-extra qd-hint">It is a gas giant.</div>' in answer
    assert ('<div class="qd-extra qd-explanation">Jupiter is more than twice as massive as all the '
            "other planets together.</div>") in answer

    ((question, answer),) = sides(col, "all-types", "primary-colours")
    assert "Choose every correct answer." in question
    assert re.findall(r'<li class="qd-correct"><span class="qd-mark">✓</span> (.*?)</li>', answer) == [
        "blue", "green", "red"]
    assert "<li>yellow</li>" in answer

    ((question, answer),) = sides(col, "all-types", "water-boils")
    assert '<ol class="qd-choices"><li>True</li><li>False</li></ol>' in question
    assert '<li class="qd-correct"><span class="qd-mark">✓</span> True</li><li>False</li>' in answer

    ((question, answer),) = sides(col, "all-types", "author-hamlet")
    assert question == (LTR + '<div class="qd-prompt">Who wrote Hamlet?</div>'
                        '<div class="qd-typein">[[type:nc:Answer]]</div></div>')
    assert '<div class="qd-accepted">Shakespeare</div>' in answer
    note = cards(col, "all-types", "author-hamlet")[0].note()
    assert note["Answer"] == "William Shakespeare"

    ((question, answer),) = sides(col, "all-types", "speed-of-light")
    assert '[[type:nc:Answer]] <span class="qd-unit">thousand km/s</span>' in question
    assert '<div class="qd-accepted"><bdi dir="ltr">299 – 301</bdi></div>' in answer
    assert cards(col, "all-types", "speed-of-light")[0].note()["Answer"] == "300"

    (first, second) = sides(col, "all-types", "planets-cloze")
    assert first[0] == (LTR + '<div class="qd-cloze">The <span class="cloze" data-cloze="Sun" '
                        'data-ordinal="1">[...]</span> is a star; the <span class="cloze-inactive" '
                        'data-ordinal="2">Moon</span> orbits the Earth.</div></div>')
    assert '<span class="cloze" data-ordinal="1">Sun</span>' in first[1]
    assert '<span class="cloze" data-cloze="Moon" data-ordinal="2">[satellite]</span>' in second[0]
    assert '<span class="cloze" data-ordinal="2">Moon</span>' in second[1]

    ((question, answer),) = sides(col, "all-types", "planet-order")
    assert '<ul class="qd-items"><li>Mars</li><li>Mercury</li><li>Earth</li><li>Venus</li></ul>' in question
    assert answer.endswith('<hr id="answer"><ol class="qd-order"><li>Mercury</li><li>Venus</li>'
                           "<li>Earth</li><li>Mars</li></ol></div>")

    ((question, answer),) = sides(col, "all-types", "capitals-match")
    assert "<li>France</li><li>Italy</li><li>Spain</li>" in question
    assert "Paris" in question and "<td>" not in question
    assert ('<table class="qd-pairs"><tr><td>France</td><td>Paris</td></tr><tr><td>Italy</td>'
            "<td>Rome</td></tr><tr><td>Spain</td><td>Madrid</td></tr></table>") in answer

    tags = cards(col, "all-types", "capital-card")[0].note().tags
    assert tags == ["demo", "geo", "quizdeck::all-types"]


def test_type_in_answers_ignore_arabic_diacritics(tmp_path: Path) -> None:
    """{{type:nc:...}}: Anki compares typed answers ignoring combining marks (harakat)."""
    col = new_collection(tmp_path)
    assert "typeBad" not in col.compare_answer("كتاب", "كِتَاب", combining=False)
    assert "typeBad" in col.compare_answer("كتاب", "كِتَاب", combining=True)


def test_arabic_cards_render_right_to_left(tmp_path: Path) -> None:
    col = new_collection(tmp_path)
    log = import_package(col, export(tmp_path, [ARABIC], T1))
    assert len(log.new) == 9
    bank = load_bank(ARABIC)
    for question in bank.questions:
        for front, back in sides(col, "anki-arabic", question.id):
            assert front.startswith(RTL) and back.startswith(RTL), question.id

    (card, reverse) = cards(col, "anki-arabic", "capital-egypt")
    note_type = card.note_type()
    assert note_type["name"] == "quizdeck Basic (right to left)"
    assert {f["name"]: f["rtl"] for f in note_type["flds"]} == {
        "Front": True, "Back": True, "Add Reverse": False, "Image": False, "Hint": True,
        "Explanation": True, "Source": True, "Lang": False}
    assert ".qd-rtl { direction: rtl; text-align: right; }" in note_type["css"]
    assert ".nightMode.card, .night_mode.card" in note_type["css"]
    image = re.search(r'<img src="(quizdeck-[0-9a-f]{16}\.png)" alt="">', shown(card.question()))
    assert image is not None
    media = Path(col.media.dir()) / image.group(1)
    assert media.read_bytes() == (BANKS / "anki-images" / "dot.png").read_bytes()
    assert shown(reverse.question()) == RTL + '<div class="qd-back">القاهرة</div></div>'

    ((question, answer),) = sides(col, "anki-arabic", "word-book")
    assert '<div class="qd-prompt">ما معنى كلمة «كِتاب» بالإنجليزية؟</div>' in question
    assert '<div class="qd-accepted"><bdi dir="ltr">a book</bdi></div>' in answer

    ((question, answer),) = sides(col, "anki-arabic", "html-language")
    assert '<div class="qd-instruction">صواب أم خطأ؟</div>' in question
    assert '<li>صواب</li><li class="qd-correct"><span class="qd-mark">✓</span> خطأ</li>' in answer
    assert '<div class="qd-extra qd-explanation">HTML لغة توصيف، وليست لغة برمجة.</div>' in answer

    ((question, answer),) = sides(col, "anki-arabic", "programming-languages")
    assert answer.endswith(
        '<ol class="qd-choices"><li class="qd-correct"><span class="qd-mark">✓</span> <bdi dir="ltr">JavaScript</bdi>'
        '</li><li>الفرنسية</li><li class="qd-correct"><span class="qd-mark">✓</span> <bdi dir="ltr">Python</bdi>'
        "</li></ol></div>")

    ((question, answer),) = sides(col, "anki-arabic", "largest-ocean")
    assert '<blockquote class="qd-extra qd-source">المحيط الهادئ أكبر المحيطات وأعمقها.</blockquote>' in answer

    (first, second) = sides(col, "anki-arabic", "maghreb-capitals")
    assert '<span class="cloze" data-cloze="الرباط" data-ordinal="1">[...]</span>' in first[0]
    assert '<span class="cloze" data-cloze="تونس" data-ordinal="2">[مدينة]</span>' in second[0]

    ((question, answer),) = sides(col, "anki-arabic", "days-in-week")
    assert '[[type:nc:Answer]] <span class="qd-unit">أيام</span>' in question

    ((question, answer),) = sides(col, "anki-arabic", "word-pairs")
    assert '<tr><td>قلم</td><td><bdi dir="ltr">pen</bdi></td></tr>' in answer
    assert cards(col, "anki-arabic", "word-pairs")[0].note().tags == [
        "export_test", "quizdeck::anki-arabic", "عربي"]


def test_html_in_a_bank_shows_as_text_in_anki(tmp_path: Path) -> None:
    col = new_collection(tmp_path)
    import_package(col, export(tmp_path, [UNSAFE], T1))
    rendered = [side for q in ("script-card", "script-choice") for pair in sides(col, "anki-unsafe", q)
                for side in pair]
    assert not any(re.search(r"<script|<img src=x|<p>", side) for side in rendered)
    (front, back) = sides(col, "anki-unsafe", "script-card")[0]
    assert "&lt;script&gt;alert('front')&lt;/script&gt; Is 2 &lt; 3 &amp;&amp; 3 &gt; 2?" in front
    assert "&lt;img src=x onerror=\"alert('back')\"&gt; Yes" in back
    assert "Unsafe <b>HTML</b> & friends" in [d.name for d in col.decks.all_names_and_ids()]


def schedule(col: Any) -> dict[int, tuple[int, ...]]:
    """Every card's scheduling state, by card id."""
    return {
        c.id: (c.nid, c.ord, c.did, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses, c.left)
        for c in (col.get_card(cid) for cid in col.find_cards(""))
    }


def test_reimporting_an_edited_bank_updates_notes_and_keeps_reviews(tmp_path: Path,
                                                                     all_types_bank: Path) -> None:
    bank = tmp_path / "bank" / "all-types.toml"
    bank.parent.mkdir()
    shutil.copy(all_types_bank, bank)
    col = new_collection(tmp_path)
    package = export(tmp_path, [bank], T1)
    import_package(col, package)

    # The learner studies: one card answered in the reviewer, another due in a week.
    col.decks.select(col.decks.id_for_name("Every question type"))
    from anki.scheduler.v3 import CardAnswer

    card = col.sched.getCard()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states,
                                                 rating=CardAnswer.EASY))
    hamlet = cards(col, "all-types", "author-hamlet")[0]
    col.sched.set_due_date([hamlet.id], "7!")
    # ... and rewrites one note in their own words.
    own = cards(col, "all-types", "water-boils")[0].note()
    own["Prompt"] = "Water boils at 100 °C at sea level (my words)."
    col.update_note(own)
    before = schedule(col)
    assert col.get_card(card.id).reps == 1 and col.get_card(hamlet.id).ivl == 7
    note_types = col.models.all_names_and_ids()

    # The teacher edits two questions (one cloze gains a deletion) and exports again.
    text = bank.read_text(encoding="utf-8")
    text = text.replace('back = "Paris"', 'back = "Paris, on the Seine"')
    text = text.replace("the {{c2::Moon::satellite}} orbits the Earth.",
                        "the {{c2::Moon::satellite}} orbits the {{c3::Earth}}.")
    bank.write_text(text, encoding="utf-8")
    package = export(tmp_path, [bank], T2)
    log = import_package(col, package)

    assert sorted(n.fields[0] for n in log.updated) == [
        "Capital of France", "The {{c1::Sun}} is a star; the {{c2::Moon::satellite}} orbits the {{c3::Earth}}."]
    assert (len(log.new), len(log.conflicting), len(log.duplicate)) == (0, 0, 7)
    assert col.note_count() == 9
    assert col.models.all_names_and_ids() == note_types
    assert cards(col, "all-types", "capital-card")[0].note()["Back"] == "Paris, on the Seine"
    assert cards(col, "all-types", "water-boils")[0].note()["Prompt"] == (
        "Water boils at 100 °C at sea level (my words).")
    after = schedule(col)
    assert {cid: after[cid] for cid in before} == before
    new_cards = [after[cid] for cid in set(after) - set(before)]
    assert [(state[1], state[3]) for state in new_cards] == [(2, 0)]  # cloze c3: ord 2, new
    # Notes that did not change keep the time they were first exported with.
    mods = {col.get_note(nid).guid: col.get_note(nid).mod for nid in col.find_notes("")}
    assert mods[anki.note_guid("all-types", "planet-order")] == T1
    assert mods[anki.note_guid("all-types", "capital-card")] == T2

    # Importing the same package again changes nothing.
    log = import_package(col, package)
    assert (len(log.new), len(log.updated), len(log.conflicting), len(log.duplicate)) == (0, 0, 0, 9)
    assert schedule(col) == after


def test_a_later_release_updates_note_types_in_place(tmp_path: Path, all_types_bank: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    col = new_collection(tmp_path)
    import_package(col, export(tmp_path, [all_types_bank], T1))
    note_types = {nt.id: nt.name for nt in col.models.all_names_and_ids()}

    monkeypatch.setattr(anki, "CSS", anki.CSS + ".qd { color: teal; }\n")
    monkeypatch.setattr(anki, "NOTETYPES_MOD", anki.NOTETYPES_MOD + 1)
    anki._model.cache_clear()
    try:
        log = import_package(col, export(tmp_path, [all_types_bank], T1, name="next.apkg"))
    finally:
        anki._model.cache_clear()
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 0)
    assert {nt.id: nt.name for nt in col.models.all_names_and_ids()} == note_types
    basic = col.models.get(anki.BASIC.ids[0])
    assert basic["css"].endswith(".qd { color: teal; }\n")
    assert [f["id"] for f in basic["flds"]] == [i for _, i in anki.BASIC.fields]


def test_bundled_decks_import_and_render(tmp_path: Path) -> None:
    """Every package in decks/ imports cleanly; each question is one note, every card renders."""
    from .conftest import QUIZZES, ROOT

    for bank_path in sorted(QUIZZES.glob("*.toml")):
        bank = load_bank(bank_path)
        col = new_collection(tmp_path / bank.id)
        log = import_package(col, ROOT / "decks" / f"{bank.id}.apkg")
        assert (len(log.new), len(log.conflicting)) == (len(bank.questions), 0), bank.id
        wrapper = f'<div class="qd qd-{bank.direction}" dir="{bank.direction}" lang="{bank.language}">'
        for question in bank.questions:
            rendered = sides(col, bank.id, question.id)
            assert len(rendered) == (2 if getattr(question, "reverse", False) else 1) or question.type == "cloze"
            for front, back in rendered:
                assert front.startswith(wrapper) and back.startswith(wrapper), question.id
                assert '<hr id="answer">' in back or question.type == "cloze", question.id
        col.close()
