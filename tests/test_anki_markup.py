"""Bank text is never Anki markup: checked by importing into Anki's own backend (the `anki` package)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_anki_real import T1, cards, export, import_package, new_collection, sides

pytest.importorskip("anki.collection")

MARKUP = Path(__file__).parent / "hostile" / "anki-markup.toml"


def test_sound_latex_and_the_field_separator_stay_text(tmp_path: Path) -> None:
    col = new_collection(tmp_path)
    log = import_package(col, export(tmp_path, [MARKUP], T1))
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (2, 0, 0)
    (front, back), = sides(col, "anki-markup", "sound")
    card = cards(col, "anki-markup", "sound")[0]
    # Nothing to play, nothing typeset: the brackets are shown as brackets (&#91; is "[").
    assert card.question_av_tags() == [] and card.answer_av_tags() == []
    assert "Listen &#91;sound:evil.mp3] now" in front
    assert "&#91;latex]\\immediate\\write18{id}&#91;/latex] and &#91;$]x&#91;/$] and &#91;$$]y&#91;/$$]" in back
    assert "latex-" not in back and "<img" not in back
    note = card.note()
    assert len(note.fields) == len(note.note_type()["flds"])

    (front, back), = sides(col, "anki-markup", "separator")
    assert "Fieldseparator" in front
    assert cards(col, "anki-markup", "separator")[0].answer_av_tags() == []
    assert "&#91;anki:tts lang=en_US]spoken&#91;/anki:tts]" in back
    assert "Markup  deck" in [d.name for d in col.decks.all_names_and_ids()]
