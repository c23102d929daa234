"""The Anki export without Anki: identity, determinism, the manifest, escaping, media, the command.

What Anki itself makes of the packages is tested in test_anki_real.py.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import sqlite3
import sys
import types
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from quizdeck import anki
from quizdeck.bank import Bank, load_bank
from quizdeck.cli import app
from quizdeck.errors import BankError, UsageError
from quizdeck.questions import ID_PATTERN

from .conftest import BANKS, QUIZZES, ROOT

NOW = 1796000000  # 2026-11-29T... : any fixed time
ARABIC = BANKS / "anki-arabic.toml"
UNSAFE = BANKS / "anki-unsafe.toml"

#: Every version of quizdeck's note types: digest of fields, templates and CSS -> NOTETYPES_MOD.
#: Changing a template or the CSS changes the digest: add it here with a later NOTETYPES_MOD,
#: or learners' Anki would keep the old templates (it updates a note type only when it is newer).
NOTE_TYPE_VERSIONS = {
    "4d1690133376409ab6862e4daa9f97b404e34921ad839efad234a314e337b594": 1795910400,
}


def read_package(data: bytes) -> dict[str, Any]:
    """The rows and media of an .apkg, for assertions."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        collection = archive.read("collection.anki2")
        media_map = json.loads(archive.read("media"))
        media = {name: archive.read(index) for index, name in media_map.items()}
        infos = archive.infolist()
    connection = sqlite3.connect(":memory:")
    connection.deserialize(collection)
    notes = {
        guid: {"mod": mod, "tags": tags.split(), "fields": flds.split("\x1f"), "mid": mid, "id": nid}
        for nid, guid, mid, mod, tags, flds in connection.execute(
            "SELECT id, guid, mid, mod, tags, flds FROM notes")
    }
    cards = connection.execute("SELECT id, nid, did, ord FROM cards ORDER BY id").fetchall()
    models, decks = connection.execute("SELECT models, decks FROM col").fetchone()
    return {"notes": notes, "cards": cards, "models": json.loads(models), "decks": json.loads(decks),
            "media": media, "infos": infos}


def edited(bank: Bank, question_id: str, **changes: Any) -> Bank:
    """The bank with one question changed."""
    questions = tuple(dataclasses.replace(q, **changes) if q.id == question_id else q
                      for q in bank.questions)
    return dataclasses.replace(bank, questions=questions)


# --- identity ------------------------------------------------------------------------------


def test_guid_comes_from_bank_id_and_question_id_only(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    before = read_package(anki.build_package([bank], now=NOW).data)["notes"]
    after = read_package(anki.build_package(
        [edited(bank, "capital-card", prompt="Capital city of France", back="Paris (France)")],
        now=NOW).data)["notes"]
    assert set(before) == set(after) == {anki.note_guid("all-types", q.id) for q in bank.questions}
    assert anki.note_guid("all-types", "capital-card") != anki.note_guid("other-bank", "capital-card")


@settings(max_examples=40, deadline=None)
@given(st.from_regex(ID_PATTERN, fullmatch=True), st.from_regex(ID_PATTERN, fullmatch=True))
def test_note_guid_is_genankis_guid_for(bank_id: str, question_id: str) -> None:
    import genanki

    assert anki.note_guid(bank_id, question_id) == genanki.guid_for("quizdeck", bank_id, question_id)


def test_note_types_have_pinned_ids() -> None:
    model_ids = [i for nt in anki.NOTE_TYPES for i in nt.ids]
    assert len(set(model_ids)) == len(model_ids) == 10
    for nt in anki.NOTE_TYPES:
        field_ids = [i for _, i in nt.fields]
        template_ids = [t[1] for t in nt.templates]
        assert len(set(field_ids)) == len(field_ids)
        assert len(set(template_ids)) == len(template_ids)
        assert nt.field_names[-5:] == ("Image", "Hint", "Explanation", "Source", "Lang")
        spec = anki.model_json(nt, "rtl")
        assert [f["id"] for f in spec["fields"]] == field_ids
        assert [t["id"] for t in spec["templates"]] == template_ids


def test_note_types_are_versioned() -> None:
    digest = anki.note_types_digest()
    assert digest in NOTE_TYPE_VERSIONS, (
        f"the note types changed (digest {digest}): add it to NOTE_TYPE_VERSIONS with a later "
        "NOTETYPES_MOD in quizdeck/anki.py, so that Anki updates installed note types"
    )
    assert NOTE_TYPE_VERSIONS[digest] == anki.NOTETYPES_MOD
    mods = list(NOTE_TYPE_VERSIONS.values())
    assert mods == sorted(mods) and len(set(mods)) == len(mods)


def test_package_ids_do_not_depend_on_the_run(all_types_bank: Path) -> None:
    package = read_package(anki.build_package([load_bank(all_types_bank)], now=NOW).data)
    assert {int(m) for m in package["models"]} == {1401873372, 1508983085, 1676359420, 1851496176, 1705368011}
    assert all(m["mod"] == anki.NOTETYPES_MOD for m in package["models"].values())
    deck = anki.deck_id("Every question type")
    assert str(deck) in package["decks"]
    assert {did for _, _, did, _ in package["cards"]} == {deck}


# --- determinism and the manifest ----------------------------------------------------------


def test_same_banks_exported_twice_are_byte_identical(all_types_bank: Path) -> None:
    banks = [load_bank(all_types_bank), load_bank(ARABIC)]
    first = anki.build_package(banks, now=NOW)
    second = anki.build_package(banks, now=NOW)
    assert first.data == second.data
    assert first.manifest == second.manifest
    infos = read_package(first.data)["infos"]
    assert [i.filename for i in infos] == ["collection.anki2", "media", "0"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_reexport_with_the_manifest_is_identical_whatever_the_clock(tmp_path: Path,
                                                                    all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    output = tmp_path / "deck.apkg"
    anki.export_package([bank], output, now=NOW)
    first = output.read_bytes()
    manifest = anki.manifest_path(output).read_text()
    again = anki.export_package([bank], output, now=NOW + 86400)
    assert output.read_bytes() == first
    assert anki.manifest_path(output).read_text() == manifest
    assert (again.new, again.changed, again.unchanged) == ((), (), 9)


def test_only_changed_notes_get_a_new_time(tmp_path: Path, all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    output = tmp_path / "deck.apkg"
    anki.export_package([bank], output, now=NOW)
    changed = edited(bank, "largest-planet", explanation="Jupiter is the largest planet.")
    result = anki.export_package([changed], output, now=NOW + 3600)
    assert result.changed == ("all-types/largest-planet",) and result.new == ()
    notes = read_package(output.read_bytes())["notes"]
    mods = {guid: note["mod"] for guid, note in notes.items()}
    assert mods.pop(anki.note_guid("all-types", "largest-planet")) == NOW + 3600
    assert set(mods.values()) == {NOW}
    manifest = json.loads(anki.manifest_path(output).read_text())
    assert manifest["notes"]["all-types/largest-planet"]["mod"] == NOW + 3600
    assert manifest["notes"]["all-types/water-boils"]["mod"] == NOW


def test_a_changed_note_is_always_newer_even_if_the_clock_is_behind(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    first = anki.build_package([bank], now=NOW)
    second = anki.build_package([edited(bank, "water-boils", answer=False)], now=NOW - 5000,
                                previous=first.manifest)
    assert second.manifest.notes["all-types/water-boils"].mod == NOW + 1


def test_a_damaged_manifest_is_a_clear_error(tmp_path: Path, all_types_bank: Path) -> None:
    output = tmp_path / "deck.apkg"
    anki.manifest_path(output).write_text('{"format": "something else"}')
    with pytest.raises(anki.QuizdeckError, match=r"deck\.apkg\.manifest\.json: not a quizdeck export "
                                                 r"manifest .*delete it"):
        anki.export_package([load_bank(all_types_bank)], output, now=NOW)


# --- content -------------------------------------------------------------------------------


def test_bank_text_is_escaped() -> None:
    notes = read_package(anki.build_package([load_bank(UNSAFE)], now=NOW).data)["notes"]
    card = notes[anki.note_guid("anki-unsafe", "script-card")]["fields"]
    assert card[0] == "&lt;script&gt;alert('front')&lt;/script&gt; Is 2 &lt; 3 &amp;&amp; 3 &gt; 2?"
    assert card[1] == "&lt;img src=x onerror=\"alert('back')\"&gt; Yes"
    choice = notes[anki.note_guid("anki-unsafe", "script-choice")]["fields"]
    assert "<li>&lt;p&gt;</li>" in choice[1] and "<script" not in "".join(choice)


def test_trusted_html_is_passed_through_only_when_asked() -> None:
    data = anki.build_package([load_bank(UNSAFE)], now=NOW, trusted_html=True).data
    card = read_package(data)["notes"][anki.note_guid("anki-unsafe", "script-card")]["fields"]
    assert card[0].startswith("<script>alert('front')</script>")


def test_tags_are_safe_and_name_the_bank() -> None:
    notes = read_package(anki.build_package([load_bank(ARABIC)], now=NOW).data)["notes"]
    assert notes[anki.note_guid("anki-arabic", "capital-egypt")]["tags"] == [
        "عربي", "export_test", "جغرافيا", "quizdeck::anki-arabic"]
    assert notes[anki.note_guid("anki-arabic", "word-book")]["tags"] == [
        "عربي", "export_test", "quizdeck::anki-arabic"]


def test_latin_text_in_an_arabic_bank_is_isolated_left_to_right() -> None:
    notes = read_package(anki.build_package([load_bank(ARABIC)], now=NOW).data)["notes"]
    pairs = notes[anki.note_guid("anki-arabic", "word-pairs")]["fields"]
    assert "<tr><td>قلم</td><td><bdi dir=\"ltr\">pen</bdi></td></tr>" in pairs[2]
    # Mixed text keeps the bank's direction: the bidi algorithm places "HTML" inside it.
    assert notes[anki.note_guid("anki-arabic", "html-language")]["fields"][0] == "لغة HTML لغة برمجة."


@pytest.mark.parametrize(("text", "direction"), [
    ("القاهرة", "rtl"),
    ("the book.", "ltr"),
    ("لغة HTML لغة برمجة.", "rtl"),
    ("تَحالُف, alliance, coalition: verbal noun of تَحالَفَ, to ally.", "ltr"),
    ("2017", "rtl"),
])
def test_text_in_an_arabic_bank_takes_the_direction_of_most_of_its_words(text: str, direction: str) -> None:
    assert anki._text_direction(text, "rtl") == direction


def test_choices_are_shuffled_the_same_way_every_time(all_types_bank: Path) -> None:
    """Seeded by bank and question id: this order is the same in every run, on every machine."""
    notes = read_package(anki.build_package([load_bank(all_types_bank)], now=NOW).data)["notes"]
    fields = notes[anki.note_guid("all-types", "largest-planet")]["fields"]
    assert fields[1] == ('<div class="qd-instruction">Choose one answer.</div><ol class="qd-choices">'
                         "<li>Jupiter</li><li>Venus</li><li>Mars</li><li>Mercury</li></ol>")
    order = notes[anki.note_guid("all-types", "planet-order")]["fields"]
    assert "<li>Mars</li><li>Mercury</li><li>Earth</li><li>Venus</li>" in order[1]


def test_image_is_packed_under_its_content_hash() -> None:
    package = read_package(anki.build_package([load_bank(ARABIC)], now=NOW).data)
    image = (BANKS / "anki-images" / "dot.png").read_bytes()
    (name,) = package["media"]
    assert name.startswith("quizdeck-") and name.endswith(".png")
    assert package["media"][name] == image
    fields = package["notes"][anki.note_guid("anki-arabic", "capital-egypt")]["fields"]
    assert fields[3] == f'<img src="{name}" alt="">'


def test_an_image_leaving_the_bank_folder_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    shutil.copytree(BANKS / "anki-images", folder / "anki-images")
    (tmp_path / "outside.png").write_bytes(b"png")
    (folder / "inside.png").symlink_to(tmp_path / "outside.png")
    bank = dataclasses.replace(load_bank(ARABIC), path=folder / "bank.toml")
    with pytest.raises(BankError) as failure:
        anki.build_package([edited(bank, "word-book", image="inside.png")], now=NOW)
    outside = tmp_path.resolve() / "outside.png"
    assert str(failure.value) == (f'{folder / "bank.toml"}: question "word-book", key "image": '
                                  f'"inside.png" leaves the bank\'s folder (it links to {outside}); '
                                  "keep images inside it")


def test_a_missing_image_is_an_error_not_dropped(tmp_path: Path) -> None:
    bank = dataclasses.replace(load_bank(ARABIC), path=tmp_path / "bank.toml")
    with pytest.raises(BankError, match=r'question "capital-egypt", key "image": image file '
                                        r'"anki-images/dot.png" not found \(looked for '):
        anki.build_package([bank], now=NOW)


def test_every_note_has_as_many_fields_as_its_note_type(all_types_bank: Path) -> None:
    for path in (all_types_bank, ARABIC, UNSAFE):
        package = read_package(anki.build_package([load_bank(path)], now=NOW).data)
        assert len(package["notes"]) == len(load_bank(path).questions)
        for guid, note in package["notes"].items():
            field_names = [f["name"] for f in package["models"][str(note["mid"])]["flds"]]
            assert len(note["fields"]) == len(field_names), guid


# --- decks ---------------------------------------------------------------------------------


def test_deck_names(all_types_bank: Path) -> None:
    one, two = load_bank(all_types_bank), load_bank(ARABIC)
    assert anki.deck_names([one]) == ["Every question type"]
    assert anki.deck_names([one], "Science::Demo") == ["Science::Demo"]
    assert anki.deck_names([one, two]) == ["quizdeck::Every question type", "quizdeck::اختبار التصدير إلى أنكي"]
    assert anki.deck_names([one, two], "Class 5") == ["Class 5::Every question type",
                                                      "Class 5::اختبار التصدير إلى أنكي"]
    with pytest.raises(UsageError, match='--deck "A::": every part'):
        anki.deck_names([one], "A::")


def test_several_banks_make_one_deck_each(all_types_bank: Path) -> None:
    package = read_package(anki.build_package([load_bank(all_types_bank), load_bank(ARABIC)], now=NOW).data)
    names = {d["name"] for d in package["decks"].values()}
    assert names == {"Default", "quizdeck::Every question type", "quizdeck::اختبار التصدير إلى أنكي"}
    assert len({did for _, _, did, _ in package["cards"]}) == 2


def test_two_banks_with_one_id_are_refused(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    with pytest.raises(UsageError, match='two banks have the id "all-types"'):
        anki.build_package([bank, bank], now=NOW)


# --- the command ---------------------------------------------------------------------------

runner = CliRunner()


def test_export_command_writes_package_and_manifest(tmp_path: Path, all_types_bank: Path) -> None:
    output = tmp_path / "all.apkg"
    result = runner.invoke(app, ["export", str(all_types_bank), str(ARABIC), "-o", str(output),
                                 "--now", "2026-11-29T00:00:00Z"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{output}: 18 notes, 22 cards in quizdeck::Every question type, quizdeck::اختبار التصدير "
        "إلى أنكي (18 new, 0 changed, 0 unchanged, 1 image)\n")
    assert anki.manifest_path(output).is_file()
    assert {n["mod"] for n in read_package(output.read_bytes())["notes"].values()} == {1795910400}


def test_export_command_twice_gives_identical_files(tmp_path: Path, all_types_bank: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name in ("a", "b"):
        result = runner.invoke(app, ["export", str(all_types_bank), "-o", str(tmp_path / f"{name}.apkg"),
                                     "--now", "1796000000"])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()


def test_source_date_epoch_stamps_new_notes(tmp_path: Path, all_types_bank: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = runner.invoke(app, ["export", str(all_types_bank), "-o", str(tmp_path / "a.apkg")])
    assert result.exit_code == 0, result.output
    assert {n["mod"] for n in read_package((tmp_path / "a.apkg").read_bytes())["notes"].values()} == {1700000000}


@pytest.mark.parametrize(("args", "message"), [
    ([], "quizdeck: error: give the package to write with -o FILE.apkg (or -o FOLDER with --each)\n"),
    (["-o", "x.apkg", "--now", "tomorrow"],
     'quizdeck: error: --now "tomorrow": expected Unix seconds or an ISO 8601 time like "2026-11-29T09:00:00Z"\n'),
    (["-o", "x.apkg", "--now", "2026-11-29T09:00:00"],
     'quizdeck: error: --now "2026-11-29T09:00:00": give a time zone, like "2026-11-29T09:00:00Z" or "+03:00"\n'),
    # A package named otherwise used to be written: a zip called exam.md or deck, which Anki will not import.
    *[(["-o", name, *extra],
       f"quizdeck: error: {name}: an Anki package's name must end in .apkg (Anki imports no other); for GIFT or "
       "CSV, end it in .gift or .csv, or add --format gift|csv\n")
      for name, extra in (("exam.md", []), ("deck", []), ("notes.txt", ["--format", "apkg"]))],
    # GIFT written into a file named .apkg (or the other way round) would not open where its name says.
    (["-o", "x.apkg", "--format", "gift"],
     "quizdeck: error: x.apkg: the name says apkg but --format is gift; end the file in .gift\n"),
    (["-o", "x.gift", "--format", "csv"],
     "quizdeck: error: x.gift: the name says gift but --format is csv; end the file in .csv\n"),
    (["-o", "x.gift", "--deck", "Arabic"],
     "quizdeck: error: --deck, --now and --trusted-html are for Anki packages; gift has no decks\n"),
])
def test_export_command_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, all_types_bank: Path,
                                     args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", str(all_types_bank), *args])
    assert result.exit_code == 2
    assert result.output == message
    assert list(tmp_path.iterdir()) == []


def test_export_command_reports_a_bad_bank_in_one_line(tmp_path: Path) -> None:
    bank = tmp_path / "bad.toml"
    bank.write_text('[bank]\nid = "x"\ntitle = "X"\nlanguage = "en"\n[[questions]]\nid = "q"\ntype = "card"\n'
                    'prompt = "P"\nback = "B"\nimage = "nothere.png"\n')
    result = runner.invoke(app, ["export", str(bank), "-o", str(tmp_path / "x.apkg")])
    assert result.exit_code == 1
    assert result.output.startswith(f'quizdeck: error: {bank}:10: question "q" (#1), key "image": image file')
    assert not (tmp_path / "x.apkg").exists()


@pytest.mark.parametrize(("args", "fmt", "to_file"), [
    (["-o", "quiz.gift"], "gift", True),
    (["-o", "quiz.csv"], "csv", True),
    (["--format", "csv"], "csv", False),
    (["-o", "quiz.txt", "--format", "gift"], "gift", True),
])
def test_text_formats_go_to_export_text(monkeypatch: pytest.MonkeyPatch, all_types_bank: Path,
                                        args: list[str], fmt: str, to_file: bool) -> None:
    calls: list[tuple[Any, ...]] = []
    fake = types.ModuleType("quizdeck.commands.export_text")
    fake.export_text = lambda paths, f, out: calls.append((paths, f, out))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "quizdeck.commands.export_text", fake)
    result = runner.invoke(app, ["export", str(all_types_bank), *args])
    assert result.exit_code == 0, result.output
    ((paths, got, out),) = calls
    assert paths == [all_types_bank] and got == fmt and (out is not None) == to_file


def test_each_and_check(tmp_path: Path, all_types_bank: Path) -> None:
    """--each writes one package per bank; --check passes then, and fails once a bank changes."""
    quizzes = tmp_path / "quizzes"
    shutil.copytree(BANKS / "anki-images", quizzes / "anki-images")
    for bank in (all_types_bank, ARABIC):
        shutil.copy(bank, quizzes / bank.name)
    decks = tmp_path / "decks"
    result = runner.invoke(app, ["export", str(quizzes), "--each", "-o", str(decks), "--now", "1796000000"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in decks.iterdir()) == [
        "all-types.apkg", "all-types.apkg.manifest.json", "anki-arabic.apkg", "anki-arabic.apkg.manifest.json"]

    check = ["export", str(quizzes), "--each", "-o", str(decks), "--check"]
    result = runner.invoke(app, check)
    assert result.exit_code == 0, result.output
    assert result.output == f"{decks / 'all-types.apkg'} is up to date\n{decks / 'anki-arabic.apkg'} is up to date\n"

    text = (quizzes / "all-types.toml").read_text().replace("Capital of France", "The capital of France")
    (quizzes / "all-types.toml").write_text(text)
    (decks / "anki-arabic.apkg").unlink()
    result = runner.invoke(app, check)
    assert result.exit_code == 1
    assert result.output == (
        f"quizdeck: error: {decks / 'all-types.apkg'} is out of date: 1 question(s) changed "
        "(all-types/capital-card); rebuild it by running this command without --check\n"
        f"quizdeck: error: {decks / 'anki-arabic.apkg'} is missing; rebuild it by running this command "
        "without --check\n")


def test_each_with_deck_nests_every_bank_under_it(tmp_path: Path, all_types_bank: Path) -> None:
    result = runner.invoke(app, ["export", str(all_types_bank), "--each", "-o", str(tmp_path),
                                 "--deck", "Class 5", "--now", "1796000000"])
    assert result.exit_code == 0, result.output
    decks = read_package((tmp_path / "all-types.apkg").read_bytes())["decks"]
    assert {d["name"] for d in decks.values()} == {"Default", "Class 5::Every question type"}
    check = runner.invoke(app, ["export", str(all_types_bank), "--each", "-o", str(tmp_path),
                                "--deck", "Class 5", "--check"])
    assert check.exit_code == 0, check.output


def test_check_notices_a_package_that_differs_from_its_manifest(tmp_path: Path, all_types_bank: Path) -> None:
    output = tmp_path / "deck.apkg"
    bank = load_bank(all_types_bank)
    anki.export_package([bank], output, now=NOW)
    assert anki.check_package([bank], output) is None
    # Same manifest, but the package was built by something else (here: another deck name).
    output.write_bytes(anki.build_package([bank], now=NOW, deck="Elsewhere").data)
    assert anki.check_package([bank], output) == (
        f"{output} is out of date: its notes, note types, decks or media differ from a fresh export")


def stale_decks(quizzes: Path, decks: Path) -> list[str]:
    """Why each package of `decks` is out of date with its bank in `quizzes` (the --each layout)."""
    from quizdeck.bank import find_bank_files

    banks = [load_bank(path) for path in find_bank_files([quizzes])]
    reasons = [anki.check_package([bank], path) for bank, path in anki.each_output(banks, decks)]
    return [reason for reason in reasons if reason]


def test_bundled_decks_are_current() -> None:
    """decks/ holds what `quizdeck export quizzes --each -o decks` builds from quizzes/ today."""
    assert stale_decks(QUIZZES, ROOT / "decks") == [], "run `quizdeck export quizzes --each -o decks`"


def test_the_decks_check_fails_when_a_deck_is_stale_or_missing(tmp_path: Path) -> None:
    """The check above, on a copy of quizzes/: current after the documented command, then not."""
    quizzes = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, quizzes)
    if not list(quizzes.glob("*.toml")):
        shutil.copy(BANKS / "all-types.toml", quizzes)
    decks = tmp_path / "decks"
    result = runner.invoke(app, ["export", str(quizzes), "--each", "-o", str(decks)])
    assert result.exit_code == 0, result.output
    assert stale_decks(quizzes, decks) == []

    bank_file = sorted(quizzes.glob("*.toml"))[0]
    bank_id = load_bank(bank_file).id
    with bank_file.open("a", encoding="utf-8") as bank:
        bank.write('\n[[questions]]\nid = "freshness-probe"\ntype = "card"\nprompt = "P"\nback = "B"\n')
    assert stale_decks(quizzes, decks) == [
        f"{decks / bank_id}.apkg is out of date: 1 question(s) changed ({bank_id}/freshness-probe)"]
    (decks / f"{bank_id}.apkg").unlink()
    assert stale_decks(quizzes, decks) == [f"{decks / bank_id}.apkg is missing"]


# --- line breaks, numbers, writing and checking packages ------------------------------------------


@pytest.mark.parametrize(
    ("path", "hint", "explanation", "shown"),
    [
        (BANKS / "all-types.toml", "first line\r\nsecond line", "one\ntwo & three",
         ["first line<br>second line", "one<br>two &amp; three"]),
        (ARABIC, "السطر الأول\r\nالسطر الثاني", "واحد\nاثنان", ["السطر الأول<br>السطر الثاني", "واحد<br>اثنان"]),
    ],
)
def test_a_line_break_in_bank_text_is_a_line_break_on_the_card(
    path: Path, hint: str, explanation: str, shown: list[str]
) -> None:
    bank = load_bank(path)
    question = bank.questions[0]
    changed = edited(bank, question.id, hint=hint, explanation=explanation)
    package = read_package(anki.build_package([changed], now=NOW).data)
    fields = package["notes"][anki.note_guid(bank.id, question.id)]["fields"]
    assert fields[4:6] == shown  # Hint, Explanation


def test_a_numeric_answer_keeps_its_fraction(tmp_path: Path) -> None:
    path = tmp_path / "numbers.toml"
    path.write_text('[bank]\nid = "numbers"\ntitle = "Numbers"\nlanguage = "en"\n\n[[questions]]\nid = "half"\n'
                    'type = "numeric"\nprompt = "Half of five"\nanswer = 2.5\n', encoding="utf-8")
    package = read_package(anki.build_package([load_bank(path)], now=NOW).data)
    assert package["notes"][anki.note_guid("numbers", "half")]["fields"][1] == "2.5"


def test_a_package_in_folders_that_do_not_exist_yet_is_written(tmp_path: Path) -> None:
    output = tmp_path / "decks" / "term-2" / "deck.apkg"
    anki.export_package([load_bank(BANKS / "all-types.toml")], output, now=NOW)
    assert output.is_file() and anki.manifest_path(output).is_file()


def test_a_folder_that_cannot_be_created_for_a_package_is_reported() -> None:
    output = Path("/proc/quizdeck-nowhere/deck.apkg")  # /proc refuses new folders, even to root
    with pytest.raises(anki.QuizdeckError) as failure:
        anki.export_package([load_bank(BANKS / "all-types.toml")], output, now=NOW)
    assert str(failure.value) == f"{output}: cannot write (No such file or directory)"


def test_a_package_is_never_written_over_its_bank_or_an_image(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    shutil.copytree(BANKS / "anki-images", folder / "anki-images")
    bank_file = folder / "bank.toml"
    shutil.copy(ARABIC, bank_file)
    bank = load_bank(bank_file)
    image = folder / "anki-images" / "dot.png"
    for target in (bank_file, image):
        before = target.read_bytes()
        with pytest.raises(anki.QuizdeckError):
            anki.export_package([bank], target, now=NOW)
        assert target.read_bytes() == before


def test_the_manifest_says_what_it_is_for(tmp_path: Path) -> None:
    output = tmp_path / "deck.apkg"
    anki.export_package([load_bank(BANKS / "all-types.toml")], output, now=NOW)
    text = anki.manifest_path(output).read_text(encoding="utf-8")
    assert json.loads(text)["about"] == (
        "Written by `quizdeck export`; keep it beside the .apkg so that re-exports update only the notes "
        "that changed (docs/anki.md)."
    )


def test_a_manifest_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg.manifest.json"
    path.write_bytes(b'{"format": "\xff"}')
    with pytest.raises(anki.QuizdeckError) as failure:
        anki.read_manifest(path)
    assert str(failure.value) == (
        f"{path}: cannot read the export manifest ('utf-8' codec can't decode byte 0xff in position 12: "
        "invalid start byte); delete it to start afresh (every note will then count as changed)"
    )


def test_check_names_three_changed_questions_and_counts_the_rest(tmp_path: Path) -> None:
    bank = load_bank(BANKS / "all-types.toml")
    output = tmp_path / "deck.apkg"
    anki.export_package([bank], output, now=NOW)
    changed = bank
    for question in bank.questions[:5]:
        changed = edited(changed, question.id, hint="changed")
    keys = [f"all-types/{q.id}" for q in bank.questions[:5]]
    assert anki.check_package([changed], output) == (
        f"{output} is out of date: 5 question(s) changed ({keys[0]}, {keys[1]}, {keys[2]} and 2 more)"
    )
    one = edited(bank, bank.questions[0].id, hint="changed")
    assert anki.check_package([one], output) == f"{output} is out of date: 1 question(s) changed ({keys[0]})"


def test_check_notices_a_package_whose_image_differs(tmp_path: Path) -> None:
    output = tmp_path / "deck.apkg"
    anki.export_package([load_bank(ARABIC)], output, now=NOW)
    assert anki.check_package([load_bank(ARABIC)], output) is None
    with zipfile.ZipFile(output) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["0"] = b"another image"
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    assert anki.check_package([load_bank(ARABIC)], output) == (
        f"{output} is out of date: its notes, note types, decks or media differ from a fresh export"
    )


def test_trusted_html_keeps_its_markup_and_gains_line_breaks() -> None:
    bank = load_bank(BANKS / "all-types.toml")
    question = bank.questions[0]
    changed = edited(bank, question.id, hint="<b>bold</b> &amp; more\nnext line")
    package = read_package(anki.build_package([changed], now=NOW, trusted_html=True).data)
    assert package["notes"][anki.note_guid(bank.id, question.id)]["fields"][4] == (
        "<b>bold</b> &amp; more<br>next line"
    )


def test_a_two_item_order_question_never_shows_its_answer_as_the_question(tmp_path: Path) -> None:
    # Whatever the shuffle gives for each id (the same order half the time), the items are shown
    # the other way round from the answer.
    path = tmp_path / "pairs.toml"
    questions = "".join(f'\n[[questions]]\nid = "q{n}"\ntype = "order"\nprompt = "Order"\nitems = ["first", "second"]\n'
                        for n in range(8))
    path.write_text(f'[bank]\nid = "pairs"\ntitle = "Pairs"\nlanguage = "en"\n{questions}', encoding="utf-8")
    package = read_package(anki.build_package([load_bank(path)], now=NOW).data)
    for n in range(8):
        fields = package["notes"][anki.note_guid("pairs", f"q{n}")]["fields"]
        assert '<ul class="qd-items"><li>second</li><li>first</li></ul>' in fields[1], n


def test_a_tag_holding_the_field_separator_loses_it(all_types_bank: Path) -> None:
    bank = edited(load_bank(all_types_bank), "capital-card", tags=("geo\x1fgraphy",))
    package = read_package(anki.build_package([bank], now=NOW).data)
    assert "geography" in package["notes"][anki.note_guid("all-types", "capital-card")]["tags"]


def test_the_typed_answer_is_escaped_unless_the_html_is_trusted(all_types_bank: Path) -> None:
    bank = load_bank(all_types_bank)
    short = next(q for q in bank.questions if q.type == "short")
    changed = edited(bank, short.id, answer="a<b & c")
    for trusted, shown in ((False, "a&lt;b &amp; c"), (True, "a<b & c")):
        package = read_package(anki.build_package([changed], now=NOW, trusted_html=trusted).data)
        assert package["notes"][anki.note_guid("all-types", short.id)]["fields"][1] == shown


def test_a_manifest_of_another_format_is_refused_saying_which(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg.manifest.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(anki.QuizdeckError) as failure:
        anki.read_manifest(path)
    assert str(failure.value) == (
        f"{path}: not a quizdeck export manifest (format is 'something else', expected "
        "'quizdeck-anki-manifest/1'); delete it to start afresh (every note will then count as changed)"
    )


def test_check_of_a_package_without_its_manifest_says_so(tmp_path: Path, all_types_bank: Path) -> None:
    output = tmp_path / "deck.apkg"
    anki.export_package([load_bank(all_types_bank)], output, now=NOW)
    anki.manifest_path(output).unlink()
    assert anki.check_package([load_bank(all_types_bank)], output) == f"{output}.manifest.json is missing"


def test_check_of_a_trusted_html_export_is_current_when_checked_as_trusted(tmp_path: Path) -> None:
    output = tmp_path / "deck.apkg"
    bank = load_bank(UNSAFE)
    anki.export_package([bank], output, now=NOW, trusted_html=True)
    assert anki.check_package([bank], output, trusted_html=True) is None
    assert anki.check_package([bank], output) is not None


def test_check_compares_the_notes_not_the_bytes_of_the_collection(tmp_path: Path, all_types_bank: Path) -> None:
    # Another SQLite (or a VACUUM) writes the same rows in other bytes: the package is still current.
    output = tmp_path / "deck.apkg"
    anki.export_package([load_bank(all_types_bank)], output, now=NOW)
    with zipfile.ZipFile(output) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    collection = tmp_path / "collection.anki2"
    collection.write_bytes(entries["collection.anki2"])
    db = sqlite3.connect(collection)
    db.execute("PRAGMA page_size = 8192")
    db.execute("VACUUM")
    db.close()
    assert collection.read_bytes() != entries["collection.anki2"]
    entries["collection.anki2"] = collection.read_bytes()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    assert anki.check_package([load_bank(all_types_bank)], output) is None


# --- what a package holds, field by field -------------------------------------------------


@pytest.mark.parametrize(("text", "direction"), [
    ("القاهرة", "rtl"),                      # Arabic letters only: right to left whatever the bank
    ("2017", "ltr"),                         # no letters: the bank's direction
    ("…", "ltr"),
    ("كتاب جديد في المكتبة, a book", "rtl"),  # more Arabic words than English ones
    ("كتاب book", "ltr"),                    # a tie keeps the bank's direction
    ("book كتاب", "ltr"),
])
def test_text_in_an_english_bank_takes_the_direction_of_most_of_its_words(text: str, direction: str) -> None:
    assert anki._text_direction(text, "ltr") == direction


def test_a_tie_in_an_arabic_bank_keeps_right_to_left() -> None:
    assert anki._text_direction("كتاب book", "rtl") == "rtl"


def test_arabic_text_in_an_english_bank_is_isolated_right_to_left(all_types_bank: Path) -> None:
    bank = edited(load_bank(all_types_bank), "capital-card", back="القاهرة")
    fields = read_package(anki.build_package([bank], now=NOW).data)["notes"][
        anki.note_guid("all-types", "capital-card")]["fields"]
    assert fields[1] == '<bdi dir="rtl">القاهرة</bdi>'


@pytest.mark.parametrize(("text", "field"), [
    ("x < y", '<bdi dir="ltr">x &lt; y</bdi>'),       # a letter first, then a character to escape
    ("< y", '<bdi dir="ltr">&lt; y</bdi>'),           # the character to escape first, then a letter
    ("12 & 13", "12 &amp; 13"),                       # no letter: the bank's direction
    ("1\n2", "1<br>2"),
    ("[sound:a.mp3]", '<bdi dir="ltr">&#91;sound:a.mp3]</bdi>'),
])
def test_plain_ascii_text_in_an_arabic_bank(all_types_bank: Path, text: str, field: str) -> None:
    """ASCII text reads left to right in a right-to-left bank exactly when it holds a Latin letter."""
    bank = dataclasses.replace(edited(load_bank(all_types_bank), "capital-card", back=text), language="ar")
    fields = read_package(anki.build_package([bank], now=NOW).data)["notes"][
        anki.note_guid("all-types", "capital-card")]["fields"]
    assert fields[1] == field


def test_note_guids_are_genankis_for_two_thousand_ids() -> None:
    """GUIDs starting with most of the 91 digits, and shorter ones (a leading zero digit, "a", dropped)."""
    import genanki

    guids = {f"q{n}": anki.note_guid("bank", f"q{n}") for n in range(2000)}
    assert guids == {key: genanki.guid_for("quizdeck", "bank", key) for key in guids}
    assert len({guid[0] for guid in guids.values()}) > 60
    assert len({len(guid) for guid in guids.values()}) > 1


@pytest.mark.parametrize(("language", "instruction"), [
    ("ar", "اختر إجابة واحدة."),
    ("ar-EG", "اختر إجابة واحدة."),
    ("AR", "اختر إجابة واحدة."),
    ("en-GB", "Choose one answer."),
    ("sw", "Choose one answer."),  # no words of its own yet: English
])
def test_the_words_quizdeck_adds_follow_the_banks_language(all_types_bank: Path, language: str,
                                                          instruction: str) -> None:
    bank = dataclasses.replace(load_bank(all_types_bank), language=language)
    fields = read_package(anki.build_package([bank], now=NOW).data)["notes"][
        anki.note_guid("all-types", "largest-planet")]["fields"]
    assert fields[1].startswith(f'<div class="qd-instruction">{instruction}</div>')


def test_a_source_is_escaped_like_every_other_text(all_types_bank: Path) -> None:
    bank = edited(load_bank(all_types_bank), "capital-card", source="Smith & Jones, <i>Atlas</i>")
    fields = read_package(anki.build_package([bank], now=NOW).data)["notes"][
        anki.note_guid("all-types", "capital-card")]["fields"]
    assert fields[anki.NOTE_TYPES[0].field_names.index("Source")] == "Smith &amp; Jones, &lt;i&gt;Atlas&lt;/i&gt;"


def test_a_text_holding_the_field_separator_loses_it(all_types_bank: Path) -> None:
    # U+001F separates fields in Anki's collection: kept, it would shift every later field.
    bank = edited(load_bank(all_types_bank), "capital-card", prompt="Capital\x1f of\x1f France?")
    for trusted in (False, True):
        fields = read_package(anki.build_package([bank], now=NOW, trusted_html=trusted).data)["notes"][
            anki.note_guid("all-types", "capital-card")]["fields"]
        assert len(fields) == len(anki.NOTE_TYPES[0].field_names)
        assert fields[0] == "Capital of France?"
        assert fields[-1] == "en"


def test_a_title_holding_the_deck_separator_stays_one_deck(all_types_bank: Path) -> None:
    bank = dataclasses.replace(load_bank(all_types_bank), title="Physics::Optics")
    assert anki.deck_names([bank]) == ["Physics: Optics"]


def test_banks_with_one_title_get_their_ids_in_their_deck_names(all_types_bank: Path) -> None:
    one = load_bank(all_types_bank)
    two = dataclasses.replace(load_bank(ARABIC), title=one.title)
    assert anki.deck_names([one, two]) == ["quizdeck::Every question type (all-types)",
                                           "quizdeck::Every question type (anki-arabic)"]


def test_exporting_no_bank_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as failure:
        anki.build_package([], now=NOW)
    assert str(failure.value) == "no banks to export"


def test_a_note_changed_once_is_unchanged_at_the_next_export(tmp_path: Path, all_types_bank: Path) -> None:
    output = tmp_path / "deck.apkg"
    bank = load_bank(all_types_bank)
    anki.export_package([bank], output, now=NOW)
    changed = edited(bank, "capital-card", hint="On the Seine")
    assert anki.export_package([changed], output, now=NOW + 60).changed == ("all-types/capital-card",)
    again = anki.export_package([changed], output, now=NOW + 120)
    assert (again.new, again.changed) == ((), ())
    assert anki.check_package([changed], output) is None


@pytest.mark.parametrize(("description", "authors", "source", "shown"), [
    ("One question of each type.", ("Ann", "Bo"), "Atlas & co",
     "One question of each type.<br>Ann, Bo<br>Atlas &amp; co"),
    ("", ("Ann", "Bo"), "", "Ann, Bo"),
    ("About <planets>", (), "", "About &lt;planets&gt;"),
    ("", (), "", ""),
])
def test_a_decks_description_names_the_banks_description_authors_and_source(
        all_types_bank: Path, description: str, authors: tuple[str, ...], source: str, shown: str) -> None:
    bank = dataclasses.replace(load_bank(all_types_bank), description=description, authors=authors,
                               source=source)
    decks = read_package(anki.build_package([bank], now=NOW).data)["decks"]
    assert [d["desc"] for d in decks.values() if d["name"] == "Every question type"] == [shown]


def test_package_entries_are_dated_1980_readable_by_all_and_deflated_at_level_1(all_types_bank: Path) -> None:
    """Fixed dates and modes make exports byte-identical; level 1 is the speed chosen (docs/performance.md)."""
    import zlib

    data = anki.build_package([load_bank(all_types_bank)], now=NOW).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["collection.anki2", "media"]
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr == 0o644 << 16  # rw-r--r--
            assert info.compress_type == zipfile.ZIP_DEFLATED
            # The entry's bytes as stored: after its local header (30 bytes, its name, its extra field).
            start = info.header_offset + 30 + len(info.filename) + len(info.extra)
            stored = data[start:start + info.compress_size]
            packer = zlib.compressobj(1, zlib.DEFLATED, -15)
            assert stored == packer.compress(archive.read(info.filename)) + packer.flush()


def test_export_package_escapes_html_unless_asked_not_to(tmp_path: Path) -> None:
    output = tmp_path / "deck.apkg"
    anki.export_package([load_bank(UNSAFE)], output, now=NOW)
    card = read_package(output.read_bytes())["notes"][anki.note_guid("anki-unsafe", "script-card")]["fields"]
    assert card[0].startswith("&lt;script&gt;")


def test_check_lists_three_changed_questions_without_a_count_of_more(tmp_path: Path) -> None:
    bank = load_bank(BANKS / "all-types.toml")
    output = tmp_path / "deck.apkg"
    anki.export_package([bank], output, now=NOW)
    for count, more in ((3, ""), (4, " and 1 more")):
        changed = bank
        for question in bank.questions[:count]:
            changed = edited(changed, question.id, hint="changed")
        keys = ", ".join(f"all-types/{q.id}" for q in bank.questions[:3])
        assert anki.check_package([changed], output) == (
            f"{output} is out of date: {count} question(s) changed ({keys}{more})")


def test_the_manifest_is_json_whatever_its_keys_hold() -> None:
    stamps = {'bank/a"b\\c': anki.Stamp("0" * 32, 1), "bank/plain": anki.Stamp("1" * 32, 2),
              "bank/سؤال": anki.Stamp("2" * 32, 3)}
    text = anki.Manifest(stamps).to_json()
    assert json.loads(text)["notes"] == {key: {"hash": s.hash, "mod": s.mod} for key, s in stamps.items()}
    assert '"bank/سؤال"' in text  # written as it is, readable in a diff, not as \u escapes


@pytest.mark.parametrize("path", [BANKS / "all-types.toml", ARABIC, UNSAFE])
def test_bank_notes_hold_what_the_export_writes(path: Path) -> None:
    """bank_notes is the benchmark floor's input (bench/export.py): each note as the package has it."""
    bank = load_bank(path)
    built = anki.build_package([bank], now=NOW)
    package = read_package(built.data)
    cards_per_note: dict[int, list[int]] = {}
    for _, note_id, _, ord_ in package["cards"]:
        cards_per_note.setdefault(note_id, []).append(ord_)
    notes = anki.bank_notes(bank)
    assert [n.question_id for n in notes] == [q.id for q in bank.questions]
    for note in notes:
        written = package["notes"][note.guid]
        assert note.guid == anki.note_guid(bank.id, note.question_id)
        assert (note.bank_id, note.key, note.direction) == (bank.id, f"{bank.id}/{note.question_id}", bank.direction)
        assert (note.model_id, list(note.fields), note.flds) == (written["mid"], written["fields"],
                                                                "\x1f".join(written["fields"]))
        assert (list(note.tags), note.tag_string) == (written["tags"], f" {' '.join(written['tags'])} ")
        assert list(note.card_ords) == cards_per_note[written["id"]]
        note_type = next(nt for nt in anki.NOTE_TYPES if nt.model_id(bank.direction) == note.model_id)
        assert note.model_key == note_type.key
        image = written["fields"][note_type.field_names.index("Image")]
        assert [f'<img src="{name}" alt="">' for name, _ in note.media] == ([image] if image else [])
        assert note.content_hash == built.manifest.notes[note.key].hash
