"""`quizdeck import deck.apkg`: packages written by Anki itself, by genanki, and by quizdeck's export."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import genanki
import pytest
from typer.testing import CliRunner

from quizdeck.bank import load_bank
from quizdeck.cli import app
from quizdeck.questions import Card, Choice, Cloze, Short

from .conftest import BANKS, QUIZZES

runner = CliRunner()
collection_module = pytest.importorskip("anki.collection")

# A 1x1 PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
                       "AAAABJRU5ErkJggg==")


def run_import(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["import", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def anki_package(tmp_path: Path, legacy: bool) -> Path:
    """A deck written by the real Anki backend: every stock note type, Arabic text, an image-only front."""
    folder = tmp_path / "profile"
    folder.mkdir()
    col: Any = collection_module.Collection(str(folder / "collection.anki2"))
    try:
        deck = col.decks.id("Arabic::Vocabulary")
        other = col.decks.id("Other")
        (Path(col.media.dir()) / "kitab.png").write_bytes(PNG)

        def add(model: str, deck_id: int, tags: list[str] | None = None, **fields: str) -> None:
            note = col.new_note(col.models.by_name(model))
            for name, value in fields.items():
                note[name.replace("_", " ")] = value
            note.tags = tags or []
            col.add_note(note, deck_id)

        add("Basic", deck, ["noun"], Front="<b>كِتاب</b>", Back="book")
        add("Basic (and reversed card)", deck, Front="قَلَم", Back="pen")
        add("Basic (optional reversed card)", deck, Front="بَيْت", Back="house", Add_Reverse="y")
        add("Basic (type in the answer)", deck, Front="The plural of كِتاب?", Back="كُتُب")
        add("Cloze", deck, Text="أُعلن النصر في عام {{c1::2017}}", Back_Extra="2017")
        add("Basic", deck, Front='<img src="kitab.png">', Back="a book")
        add("Basic", other, Front="not this deck", Back="x")
        out = tmp_path / ("legacy.apkg" if legacy else "current.apkg")
        options = collection_module.ExportAnkiPackageOptions(with_media=True, legacy=legacy)
        col.export_anki_package(out_path=str(out), options=options, limit=collection_module.DeckIdLimit(deck))
    finally:
        col.close()
    return out


def test_a_package_written_by_anki_imports_with_its_note_types_and_image(tmp_path: Path) -> None:
    package = anki_package(tmp_path, legacy=True)
    code, err = run_import(str(package), "-o", str(tmp_path / "vocab.toml"))
    assert code == 0, err
    bank = load_bank(tmp_path / "vocab.toml")
    assert bank.language == "ar" and bank.title == "Vocabulary"  # the deck's name
    by_prompt = {q.prompt: q for q in bank.questions}
    assert by_prompt["كِتاب"] == Card(id=by_prompt["كِتاب"].id, prompt="كِتاب", back="book", tags=("noun",))
    assert by_prompt["قَلَم"].reverse and by_prompt["بَيْت"].reverse  # type: ignore[attr-defined]
    assert by_prompt["The plural of كِتاب?"] == Short(id=by_prompt["The plural of كِتاب?"].id,
                                                     prompt="The plural of كِتاب?", answer="كُتُب")
    cloze = next(q for q in bank.questions if isinstance(q, Cloze))
    assert cloze.text == "أُعلن النصر في عام {{c1::2017}}" and cloze.explanation == "2017"
    pictured = by_prompt["What does the picture show?"]
    assert pictured.image == "vocab-media/kitab.png"
    assert (tmp_path / "vocab-media" / "kitab.png").read_bytes() == PNG
    assert "not this deck" not in by_prompt
    assert 'the front is only an image: its prompt is "What does the picture show?"' in err


def test_a_package_in_ankis_current_compressed_form_is_read(tmp_path: Path) -> None:
    package = anki_package(tmp_path, legacy=False)
    code, err = run_import(str(package), "-o", str(tmp_path / "vocab.toml"))
    assert code == 0, err
    questions = load_bank(tmp_path / "vocab.toml").questions
    assert len(questions) == 6
    assert {q.prompt for q in questions} >= {"كِتاب", "قَلَم", "The plural of كِتاب?"}
    # The media list and the files are zstd-compressed too.
    assert [q.image for q in questions if q.image] == ["vocab-media/kitab.png"]
    assert (tmp_path / "vocab-media" / "kitab.png").read_bytes() == PNG


@pytest.mark.parametrize("damage", ["truncated", "not zstd", "garbage after the magic"])
def test_a_damaged_compressed_collection_is_refused_not_a_traceback(damage: str, tmp_path: Path) -> None:
    import zipfile

    package = anki_package(tmp_path, legacy=False)
    with zipfile.ZipFile(package) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    raw = members["collection.anki21b"]
    members["collection.anki21b"] = {"truncated": raw[: len(raw) // 2], "not zstd": b"SQLite format 3\0" * 4,
                                     "garbage after the magic": raw[:4] + b"\xff" * 64}[damage]
    bad = tmp_path / "bad.apkg"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    code, err = run_import(str(bad), "-o", str(tmp_path / "x.toml"))
    assert code == 1, err
    assert "bad.apkg: its collection cannot be decompressed" in err, err
    assert not (tmp_path / "x.toml").exists()


@pytest.mark.parametrize("member", ["media", "0"])
def test_a_damaged_compressed_media_list_or_file_leaves_the_image_out(member: str, tmp_path: Path) -> None:
    import zipfile

    package = anki_package(tmp_path, legacy=False)
    with zipfile.ZipFile(package) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert members[member].startswith(b"\x28\xb5\x2f\xfd")  # zstd, as Anki writes it
    members[member] = members[member][: len(members[member]) // 2]
    bad = tmp_path / "bad.apkg"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    code, err = run_import(str(bad), "-o", str(tmp_path / "vocab.toml"))
    assert code == 0, err
    assert "cannot be decompressed" not in err
    reported = ("the package's list of media cannot be read; images left out" if member == "media"
                else 'image "kitab.png" is not in the package')
    assert reported in err
    assert len(load_bank(tmp_path / "vocab.toml").questions) == 5  # the card whose front was the picture is skipped


def test_a_genanki_deck_imports(tmp_path: Path) -> None:
    model = genanki.Model(1607392319, "Simple Model", fields=[{"name": "Question"}, {"name": "Answer"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}])
    deck = genanki.Deck(2059400110, "Capitals")
    deck.add_note(genanki.Note(model=model, fields=["Capital of France", "Paris"], tags=["geo"]))
    deck.add_note(genanki.Note(model=genanki.CLOZE_MODEL, fields=["The {{c1::Sun}} is a star.", ""]))
    out = tmp_path / "capitals.apkg"
    genanki.Package(deck).write_to_file(str(out))
    code, err = run_import(str(out), "-o", str(tmp_path / "capitals.toml"))
    assert code == 0, err
    questions = load_bank(tmp_path / "capitals.toml").questions
    assert questions[0] == Card(id="capital-of-france", prompt="Capital of France", back="Paris", tags=("geo",))
    assert isinstance(questions[1], Cloze) and questions[1].text == "The {{c1::Sun}} is a star."
    assert 'note type "Simple Model" read as a card from its first two fields' in err


@pytest.mark.parametrize("source", [BANKS / "all-types.toml", QUIZZES / "coalition-iraq.toml"],
                         ids=["left-to-right", "right-to-left"])
def test_quizdecks_own_package_comes_back_as_the_same_questions(source: Path, tmp_path: Path) -> None:
    # An Arabic bank's notes use the right-to-left variants of quizdeck's note types.
    out = tmp_path / "exported.apkg"
    result = runner.invoke(app, ["export", str(source), "-o", str(out), "--now", "1790000000"])
    assert result.exit_code == 0, result.stderr
    code, err = run_import(str(out), "-o", str(tmp_path / "back.toml"))
    assert code == 0, err
    original, back = load_bank(source), load_bank(tmp_path / "back.toml")
    assert (back.id, back.title, back.language, back.tags) == (original.id, original.title, original.language,
                                                                original.tags)
    # The export's manifest beside the package gives the ids back; everything else comes from the notes.
    assert back.questions == original.questions


def test_not_a_package(tmp_path: Path) -> None:
    bad = tmp_path / "bad.apkg"
    bad.write_bytes(b"not a zip")
    code, err = run_import(str(bad), "-o", str(tmp_path / "x.toml"))
    assert code == 1 and "not an Anki package (not a zip archive)" in err


@pytest.mark.parametrize("models", ["not json", "[1, 2]", '{"x": {"name": 1, "flds": [1]}}'])
def test_a_damaged_collection_is_refused_not_a_traceback(models: str, tmp_path: Path) -> None:
    import sqlite3
    import zipfile

    model = genanki.Model(1, "M", fields=[{"name": "Q"}, {"name": "A"}],
                          templates=[{"name": "C", "qfmt": "{{Q}}", "afmt": "{{A}}"}])
    deck = genanki.Deck(2, "D")
    deck.add_note(genanki.Note(model=model, fields=["q", "a"]))
    good = tmp_path / "good.apkg"
    genanki.Package(deck).write_to_file(str(good))
    with zipfile.ZipFile(good) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "c.anki2") as db:
        db.execute("UPDATE col SET models = ?", (models,))
    db.close()
    bad = tmp_path / "bad.apkg"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.write(tmp_path / "c.anki2", "collection.anki2")
    code, err = run_import(str(bad), "-o", str(tmp_path / "x.toml"))
    assert code == 1 and "the collection's note types or decks are not what Anki writes" in err


def _exported_without_manifest(bank: Path, tmp_path: Path) -> Path:
    out = tmp_path / "shared.apkg"
    result = runner.invoke(app, ["export", str(bank), "-o", str(out), "--now", "1790000000"])
    assert result.exit_code == 0, result.stderr
    (tmp_path / "shared.apkg.manifest.json").unlink()  # a learner shares the package alone
    return out


def test_without_the_manifest_ids_made_from_content_come_back_with_the_bank_order(tmp_path: Path) -> None:
    # A bank imported from a list has ids made from each question's text; its package, shared without
    # the manifest, gives the same ids (each note's GUID confirms them) and the choices in bank order.
    (tmp_path / "quiz.gift").write_text(
        "Which planet is largest? {~Mars ~Venus =Jupiter ~Mercury ~Earth}\n\n"
        "Pick the gas giants. {~%50%Jupiter ~%50%Saturn ~%-100%Mars ~%-100%Venus}\n\n"
        "Which is a moon of Mars? {=Phobos ~Titan ~Europa ~Io}\n", encoding="utf-8")
    code, err = run_import(str(tmp_path / "quiz.gift"), "-o", str(tmp_path / "planets.toml"))
    assert code == 0, err
    package = _exported_without_manifest(tmp_path / "planets.toml", tmp_path)
    code, err = run_import(str(package), "-o", str(tmp_path / "back.toml"))
    assert code == 0, err
    original, back = load_bank(tmp_path / "planets.toml"), load_bank(tmp_path / "back.toml")
    assert [q.id for q in original.questions] == ["which-planet-is-largest", "pick-the-gas-giants",
                                                  "which-is-a-moon-of-mars"]
    assert back.questions == original.questions


def test_without_the_manifest_ids_an_author_chose_become_ids_from_content(tmp_path: Path) -> None:
    # The GUID of a note cannot be turned back into an id its author chose: the id comes from the
    # content, the same on every import, and the choices keep the order Anki showed them in.
    (tmp_path / "bank.toml").write_text(
        '[bank]\nid = "planets"\ntitle = "Planets"\nlanguage = "en"\n\n'
        '[[questions]]\nid = "biggest"\ntype = "choice"\nprompt = "Which planet is largest?"\n'
        'choices = ["Mars", "Venus", "Jupiter", "Mercury", "Earth"]\nanswer = "Jupiter"\n', encoding="utf-8")
    package = _exported_without_manifest(tmp_path / "bank.toml", tmp_path)
    code, err = run_import(str(package), "-o", str(tmp_path / "back.toml"))
    assert code == 0, err
    question = load_bank(tmp_path / "back.toml").questions[0]
    assert isinstance(question, Choice)
    assert question.id == "which-planet-is-largest" and question.answer == "Jupiter"
    assert sorted(question.choices) == ["Earth", "Jupiter", "Mars", "Mercury", "Venus"]
    assert question.choices != ("Mars", "Venus", "Jupiter", "Mercury", "Earth")  # as shown in Anki


def test_a_package_shared_without_the_manifest_updates_the_bank_it_came_from(tmp_path: Path) -> None:
    # Ids an author chose cannot be read back from a GUID, but with --update the bank's own ids are
    # known: each note's GUID names its question, so the package matches the bank question for question.
    bank = tmp_path / "bank.toml"
    bank.write_text(
        '[bank]\nid = "planets"\ntitle = "Planets"\nlanguage = "en"\n\n'
        '[[questions]]\nid = "biggest"\ntype = "choice"\nprompt = "Which planet is largest?"\n'
        'choices = ["Mars", "Venus", "Jupiter", "Mercury", "Earth"]\nanswer = "Jupiter"\n\n'
        '[[questions]]\nid = "red"\ntype = "card"\nprompt = "The red planet"\nback = "Mars"\n', encoding="utf-8")
    package = _exported_without_manifest(bank, tmp_path)
    before = bank.read_bytes()
    result = runner.invoke(app, ["import", str(package), "-o", str(bank), "--update"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"{bank}: 0 updated, 0 added, 2 unchanged")
    assert bank.read_bytes() == before
