"""Anki packages from banks: quizdeck's note types, one note per question, reproducible files.

The package is written with genanki, with four things genanki leaves to its caller pinned down:

- **Identity.** A note's GUID comes from (bank id, question id) only; model, field and template ids
  are literals below; deck ids come from deck names. Nothing depends on the run.
- **Updates.** Anki updates an existing note (same GUID) only when the incoming note's modification
  time is newer than its own. A *manifest* kept beside the package remembers, per question, a hash
  of the note as exported and the time it was stamped with. Unchanged notes keep their old time, so
  Anki leaves them (and a learner's own edits to them) alone; changed notes get `now`.
- **Determinism.** Ids, times and the zip entries are fixed by the banks and the manifest, so the
  same input writes the same bytes.
- **Safety.** Bank text is HTML-escaped unless the caller opts into trusted HTML.

docs/anki.md explains the design to users; nothing here imports typer or rich.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from quizdeck.bank import Bank, paused_collector
from quizdeck.errors import BankError, Problem, QuizdeckError, UsageError
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
    format_number,
)

#: Deck that several banks exported together are placed under when no --deck is given.
DEFAULT_PARENT = "quizdeck"

#: The manifest sits beside the package: `deck.apkg` -> `deck.apkg.manifest.json`.
MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_FORMAT = "quizdeck-anki-manifest/1"

#: Modification time of quizdeck's note types. Anki replaces an installed note type's templates
#: and CSS only with a newer one, so bump this whenever note_types_digest() changes (a test enforces it).
NOTETYPES_MOD = 1795910400  # 2026-11-29T00:00:00Z

#: A right-to-left bank's notes use quizdeck's note types under their names with this suffix.
RTL_SUFFIX = " (right to left)"

#: Zip entries carry this date: the archive must not depend on when it was written.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# --- note types ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteType:
    """One of quizdeck's note types; `fields` and `templates` are (name, pinned id) pairs.

    Anki matches an imported note type to the installed one by model id, then compares fields
    and templates by these ids (by name when ids are absent), so fields may be renamed in a
    later release without Anki treating the note type as a different one. New fields go at the
    end; ids are never reused.
    """

    key: str
    ids: tuple[int, int]  # model id for left-to-right banks, for right-to-left banks
    name: str
    fields: tuple[tuple[str, int], ...]
    templates: tuple[tuple[str, int, str, str], ...]  # name, id, front, back
    cloze: bool = False

    def model_id(self, direction: str) -> int:
        """The fixed model id for a text direction ("ltr" or "rtl")."""
        return self.ids[1] if direction == "rtl" else self.ids[0]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)


# Template pieces. WRAP is replaced by the direction-specific wrapper when models are built.
_IMAGE = '{{#Image}}<div class="qd-image">{{Image}}</div>{{/Image}}'
_PROMPT = '<div class="qd-prompt">{{Prompt}}</div>'
_EXTRAS = (
    '{{#Hint}}<div class="qd-extra qd-hint">{{Hint}}</div>{{/Hint}}'
    '{{#Explanation}}<div class="qd-extra qd-explanation">{{Explanation}}</div>{{/Explanation}}'
    '{{#Source}}<blockquote class="qd-extra qd-source">{{Source}}</blockquote>{{/Source}}'
)
_TYPEIN = (
    '<div class="qd-typein">{{type:nc:Answer}}'
    '{{#Unit}} <span class="qd-unit">{{Unit}}</span>{{/Unit}}</div>'
)
_HR = '<hr id="answer">'

_COMMON_TAIL = ("Image", "Hint", "Explanation", "Source", "Lang")

BASIC = NoteType(
    "basic",
    (1401873372, 1359669425),
    "quizdeck Basic",
    (("Front", 3156987712820001), ("Back", 3156987712820002), ("Add Reverse", 3156987712820003),
     ("Image", 3156987712820004), ("Hint", 3156987712820005), ("Explanation", 3156987712820006),
     ("Source", 3156987712820007), ("Lang", 3156987712820008)),
    (
        ("Front to back", 3156987712829001,
         _IMAGE + '<div class="qd-front">{{Front}}</div>',
         _IMAGE + '<div class="qd-front">{{Front}}</div>' + _HR
         + '<div class="qd-back">{{Back}}</div>' + _EXTRAS),
        # Inside the conditional, Anki makes this card only when "Add Reverse" is not empty.
        ("Back to front", 3156987712829002,
         '{{#Add Reverse}}<div class="qd-back">{{Back}}</div>{{/Add Reverse}}',
         '<div class="qd-back">{{Back}}</div>' + _HR + _IMAGE
         + '<div class="qd-front">{{Front}}</div>' + _EXTRAS),
    ),
)

TYPE_IN = NoteType(
    "typein",
    (1508983085, 1272495380),
    "quizdeck Type-in",
    (("Prompt", 3583516770340001), ("Answer", 3583516770340002), ("Accepted", 3583516770340003),
     ("Unit", 3583516770340004), ("Image", 3583516770340005), ("Hint", 3583516770340006),
     ("Explanation", 3583516770340007), ("Source", 3583516770340008), ("Lang", 3583516770340009)),
    (
        ("Type the answer", 3583516770349001,
         _IMAGE + _PROMPT + _TYPEIN,
         _IMAGE + _PROMPT + _HR + _TYPEIN
         + '{{#Accepted}}<div class="qd-accepted">{{Accepted}}</div>{{/Accepted}}' + _EXTRAS),
    ),
)

CHOICE = NoteType(
    "choice",
    (1676359420, 1323672617),
    "quizdeck Multiple choice",
    (("Prompt", 721773970240001), ("Choices", 721773970240002), ("Answer", 721773970240003),
     ("Image", 721773970240004), ("Hint", 721773970240005), ("Explanation", 721773970240006),
     ("Source", 721773970240007), ("Lang", 721773970240008)),
    (
        ("Choose", 721773970249001,
         _IMAGE + _PROMPT + "{{Choices}}",
         _IMAGE + _PROMPT + _HR + "{{Answer}}" + _EXTRAS),
    ),
)

CLOZE = NoteType(
    "cloze",
    (1851496176, 1269526436),
    "quizdeck Cloze",
    (("Text", 1195734886040001), ("Prompt", 1195734886040002), ("Image", 1195734886040003),
     ("Hint", 1195734886040004), ("Explanation", 1195734886040005), ("Source", 1195734886040006),
     ("Lang", 1195734886040007)),
    (
        ("Cloze", 1195734886049001,
         _IMAGE + "{{#Prompt}}" + _PROMPT + '{{/Prompt}}<div class="qd-cloze">{{cloze:Text}}</div>',
         _IMAGE + "{{#Prompt}}" + _PROMPT + '{{/Prompt}}<div class="qd-cloze">{{cloze:Text}}</div>'
         + _EXTRAS),
    ),
    cloze=True,
)

ARRANGE = NoteType(
    "arrange",
    (1705368011, 1074205859),
    "quizdeck Order and match",
    (("Prompt", 2052649080520001), ("Given", 2052649080520002), ("Answer", 2052649080520003),
     ("Image", 2052649080520004), ("Hint", 2052649080520005), ("Explanation", 2052649080520006),
     ("Source", 2052649080520007), ("Lang", 2052649080520008)),
    (
        ("Arrange", 2052649080529001,
         _IMAGE + _PROMPT + "{{Given}}",
         _IMAGE + _PROMPT + _HR + "{{Answer}}" + _EXTRAS),
    ),
)

NOTE_TYPES: tuple[NoteType, ...] = (BASIC, TYPE_IN, CHOICE, CLOZE, ARRANGE)

#: Fields that hold text the learner reads (marked right-to-left in Anki's editor for RTL banks).
_NOT_TEXT = frozenset({"Image", "Lang", "Add Reverse"})

_FIELD_HELP = {
    "Add Reverse": "Any text here adds a back-to-front card.",
    "Lang": "The language of the note (BCP 47), set by quizdeck for fonts and screen readers.",
    "Image": "An image shown with the question.",
}

CSS = """\
.card {
  font-family: "Noto Sans", "Segoe UI", "Helvetica Neue", Arial, "Noto Naskh Arabic", "Geeza Pro", sans-serif;
  font-size: 22px; line-height: 1.5; color: #1b1b1b; background-color: #fdfdfd; text-align: left;
}
.qd { max-width: 36em; margin: 0 auto; }
.qd-rtl { direction: rtl; text-align: right; }
.qd:lang(ar), .qd:lang(fa), .qd:lang(ur) { font-size: 1.2em; line-height: 1.8; }
.qd-prompt, .qd-front { font-weight: 600; }
.qd-image img { max-width: 100%; max-height: 50vh; }
.qd-instruction { font-size: .8em; color: #555; margin: .4em 0; }
ol.qd-choices, ol.qd-order, ul.qd-items { padding-inline-start: 2em; margin: .4em 0; }
ol.qd-choices { list-style-type: upper-latin; }
.qd-rtl ol.qd-choices, .qd-rtl ol.qd-order { list-style-type: arabic-indic; }
ol.qd-choices li {
  margin: .25em 0; padding: .1em .5em; border-inline-start: 4px solid transparent; border-radius: 4px;
}
ol.qd-choices li.qd-correct { background-color: #dcf2e1; border-inline-start-color: #1e7b34; font-weight: 600; }
.qd-mark { color: #1e7b34; }
/* Anki marks the asked deletion .cloze (blank on the front, revealed on the back). */
.cloze { font-weight: 700; color: #1a5fb4; }
.qd-columns { display: flex; gap: 2em; justify-content: center; }
table.qd-pairs { border-collapse: collapse; margin: .4em auto; }
table.qd-pairs td { border: 1px solid #bbb; padding: .2em .7em; }
.qd-typein { margin: .6em 0; }
#typeans { unicode-bidi: plaintext; font-size: 1em; width: 90%; }
.qd-unit, .qd-accepted { color: #444; }
.qd-extra { margin-top: .9em; font-size: .85em; color: #333; }
/* A paragraph in the other direction (an English explanation on an Arabic card) aligns with its text. */
.qd-extra > bdi:only-child { display: block; }
.qd-rtl .qd-extra > bdi[dir="ltr"]:only-child { text-align: left; }
.qd-ltr .qd-extra > bdi[dir="rtl"]:only-child { text-align: right; }
.qd-source { border-inline-start: 3px solid #999; padding-inline-start: .8em; margin-inline: 0; font-style: italic; }
.qd-hint::before, .qd-explanation::before, .qd-source::before, .qd-accepted::before {
  display: block; font-size: .75em; font-style: normal; font-weight: 600; color: #666;
}
.qd-hint::before { content: "Hint"; }
.qd-explanation::before { content: "Explanation"; }
.qd-source::before { content: "Source"; }
.qd-accepted::before { content: "Also accepted"; }
.qd:lang(ar) .qd-hint::before { content: "تلميح"; }
.qd:lang(ar) .qd-explanation::before { content: "الشرح"; }
.qd:lang(ar) .qd-source::before { content: "المصدر"; }
.qd:lang(ar) .qd-accepted::before { content: "إجابات مقبولة أيضًا"; }
/* Anki desktop sets .nightMode on the card's body, AnkiDroid .night_mode: both are covered. */
.nightMode.card, .night_mode.card, .nightMode .card, .night_mode .card { color: #e6e6e6; background-color: #1e1e1e; }
.nightMode .qd-instruction, .night_mode .qd-instruction,
.nightMode .qd-unit, .night_mode .qd-unit, .nightMode .qd-accepted, .night_mode .qd-accepted,
.nightMode .qd-extra, .night_mode .qd-extra { color: #c8c8c8; }
.nightMode .qd-hint::before, .night_mode .qd-hint::before,
.nightMode .qd-explanation::before, .night_mode .qd-explanation::before,
.nightMode .qd-source::before, .night_mode .qd-source::before,
.nightMode .qd-accepted::before, .night_mode .qd-accepted::before { color: #aaa; }
.nightMode ol.qd-choices li.qd-correct, .night_mode ol.qd-choices li.qd-correct {
  background-color: #1d4a29; border-inline-start-color: #6fdc8c; color: #f0fff3;
}
.nightMode .qd-mark, .night_mode .qd-mark { color: #6fdc8c; }
.nightMode .cloze, .night_mode .cloze { color: #8ab4f8; }
.nightMode table.qd-pairs td, .night_mode table.qd-pairs td { border-color: #666; }
"""


def _wrap(template: str, direction: str) -> str:
    # dir on the wrapper sets Arabic's base direction even where Anki's own CSS says ltr;
    # lang comes from the note so fonts and screen readers follow the bank's language.
    return f'<div class="qd qd-{direction}" dir="{direction}" lang="{{{{Lang}}}}">{template}</div>'


def model_json(note_type: NoteType, direction: str) -> dict[str, Any]:
    """The note type as genanki's Model arguments: fields, templates and CSS, ids pinned."""
    rtl = direction == "rtl"
    fields = []
    for name, field_id in note_type.fields:
        spec: dict[str, Any] = {"name": name, "id": field_id, "rtl": rtl and name not in _NOT_TEXT}
        if name in _FIELD_HELP:
            spec["description"] = _FIELD_HELP[name]
        fields.append(spec)
    templates = [
        {"name": name, "id": template_id, "qfmt": _wrap(front, direction), "afmt": _wrap(back, direction)}
        for name, template_id, front, back in note_type.templates
    ]
    return {"fields": fields, "templates": templates, "css": CSS}


def note_types_digest() -> str:
    """A hash of every note type's fields, templates and CSS (to check NOTETYPES_MOD is bumped)."""
    payload = [
        [nt.ids, nt.name, model_json(nt, d)] for nt in NOTE_TYPES for d in ("ltr", "rtl")
    ]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@cache
def _genanki() -> Any:
    """genanki, and a genanki Model whose modification time is NOTETYPES_MOD.

    Built on first use so that importing quizdeck never imports genanki.
    """
    import genanki

    class PinnedModel(genanki.Model):  # type: ignore[misc]
        """A model whose `mod` is NOTETYPES_MOD, not the package's time."""

        def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
            data: dict[str, Any] = super().to_json(timestamp, deck_id)
            data["mod"] = NOTETYPES_MOD
            return data

    return genanki, PinnedModel


class _DeckNotes:
    """A deck's notes and cards as rows, written in one batch; genanki's Deck writes it.

    genanki.Note stamps every note with the package's time; quizdeck needs unchanged notes to
    keep their old time so that Anki leaves them alone. genanki's Deck only asks its notes for
    `model` and `write_to_db`, so this one object stands for all of a deck's notes and inserts
    them with two `executemany` calls instead of a statement per note and per card. The rows are
    the ones genanki.Note and genanki.Card write, made while the notes are rendered (`_build`):
    card ordinals are known from the question (genanki would render templates to find them),
    tags are safe and fields escaped already, and note and card ids are numbered from the
    package's time as genanki numbers them (its id generator is not used).
    """

    def __init__(self, model: Any, notes: list[tuple[Any, ...]], cards: list[tuple[Any, ...]]) -> None:
        # Deck.write_to_db registers each note's model: this is one of the deck's models (all of
        # which are added to the deck directly).
        self.model = model
        self.notes = notes
        self.cards = cards

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", self.notes)
        cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.cards)


@cache
def _model(key: str, direction: str) -> Any:
    genanki, pinned_model = _genanki()
    note_type = next(nt for nt in NOTE_TYPES if nt.key == key)
    spec = model_json(note_type, direction)
    suffix = RTL_SUFFIX if direction == "rtl" else ""
    return pinned_model(
        note_type.model_id(direction),
        note_type.name + suffix,
        fields=spec["fields"],
        templates=spec["templates"],
        css=spec["css"],
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
    )


# --- from questions to notes ---------------------------------------------------------------

#: Words quizdeck itself puts on cards, by primary language subtag; English otherwise.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "true": "True", "false": "False",
        "choice": "Choose one answer.", "multi": "Choose every correct answer.",
        "truefalse": "True or false?", "order": "Put these in the right order.",
        "match": "Match each item in the first list with one in the second.",
    },
    "ar": {
        "true": "صواب", "false": "خطأ",
        "choice": "اختر إجابة واحدة.", "multi": "اختر كل الإجابات الصحيحة.",
        "truefalse": "صواب أم خطأ؟", "order": "رتّب العناصر الآتية بالترتيب الصحيح.",
        "match": "صِل كلَّ عنصر من القائمة الأولى بما يناسبه من القائمة الثانية.",
    },
}

#: Letters of the scripts written right to left, and of those written left to right (regex ranges).
_RTL_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_LTR_LETTERS = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_RTL_CHARS = re.compile(f"[{_RTL_LETTERS}]")
_LTR_CHARS = re.compile(f"[{_LTR_LETTERS}]")
_RTL_WORDS = re.compile(f"[{_RTL_LETTERS}]+")
_LTR_WORDS = re.compile(f"[{_LTR_LETTERS}]+")


def _text_direction(text: str, default: str) -> str:
    """The direction a text reads in: that of the script most of its words are written in.

    Words, not letters, are counted: Arabic harakat would otherwise count as letters. A tie,
    or a text with no letters, keeps `default` (the bank's direction, "ltr" or "rtl"), and so
    does a text with no letter of the other direction's script, which one search tells (most texts).
    """
    rtl_default = default == "rtl"
    if text.isascii():  # no right-to-left letter, which Python knows without a scan
        return "ltr" if rtl_default and _LTR_CHARS.search(text) else default
    if not (_LTR_CHARS if rtl_default else _RTL_CHARS).search(text):
        return default
    if not (_RTL_CHARS if rtl_default else _LTR_CHARS).search(text):
        return "ltr" if rtl_default else "rtl"
    ltr, rtl = len(_LTR_WORDS.findall(text)), len(_RTL_WORDS.findall(text))
    return "ltr" if ltr > rtl else "rtl" if rtl > ltr else default


class NoteContent(NamedTuple):
    """A question as an Anki note: what is written, and what the manifest hashes.

    A NamedTuple rather than a frozen dataclass: one is made per question, and it is the
    cheapest immutable record to create.
    """

    bank_id: str
    question_id: str
    guid: str
    model_key: str
    model_id: int
    direction: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    card_ords: tuple[int, ...]
    media: tuple[tuple[str, Path], ...] = ()

    @property
    def key(self) -> str:
        """The manifest key: "bank-id/question-id"."""
        return f"{self.bank_id}/{self.question_id}"

    @property
    def flds(self) -> str:
        """The fields as Anki stores them, separated by 0x1f."""
        return "\x1f".join(self.fields)

    @property
    def tag_string(self) -> str:
        """The tags as Anki stores them: space-separated, with a space at each end."""
        return f" {' '.join(self.tags)} "

    @property
    def content_hash(self) -> str:
        """Changes exactly when what Anki would store for the note changes."""
        return _content_hash(self.model_id, self.flds, self.tag_string)


def _content_hash(model_id: int, flds: str, tags: str) -> str:
    return hashlib.sha256(f"{model_id}\x1e{flds}\x1e{tags}".encode()).hexdigest()[:32]


_BASE91 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
# Every pair of base-91 digits, so that a GUID takes five divisions instead of ten.
_BASE91_PAIRS = tuple(a + b for a in _BASE91 for b in _BASE91)


def note_guid(bank_id: str, question_id: str) -> str:
    """The Anki GUID of a question's note: from its bank's id and its own id, nothing else.

    The same value as genanki.guid_for("quizdeck", bank_id, question_id) (a test checks it):
    8 bytes of SHA-256 written in base 91, computed two digits at a time (it runs once per note).
    """
    digest = hashlib.sha256(f"quizdeck__{bank_id}__{question_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    # 2**64 < 91**10: five pairs of digits, most significant last.
    number, p1 = divmod(number, 8281)
    number, p2 = divmod(number, 8281)
    number, p3 = divmod(number, 8281)
    p5, p4 = divmod(number, 8281)
    pairs = _BASE91_PAIRS
    # Pairs are zero-padded ("a" is 0); the number's leading digit is not.
    return (pairs[p5] + pairs[p4] + pairs[p3] + pairs[p2] + pairs[p1]).lstrip("a")


def safe_tag(tag: str) -> str:
    """An Anki tag: no spaces (Anki splits tags on them), no field separator."""
    return re.sub(r"\s+", "_", tag.replace(FIELD_SEPARATOR, "").strip())


#: Anki's separator between the fields of a note (and the levels of a deck name).
FIELD_SEPARATOR = "\x1f"


def escape_text(value: str) -> str:
    """Bank text as Anki field HTML that is only ever text.

    HTML's & < > are escaped, and so is "[" (as &#91;): Anki reads [sound:...], [latex], [$],
    [$$] and [anki:tts] in a field as media to play or LaTeX to run, but only in the field's
    source, where the entity is no bracket; the card still shows "[". The field separator U+001F
    is dropped. Banks exported with --trusted-html pass their HTML on unescaped instead.
    """
    # html.escape(value, quote=False), inlined: this runs for every text of every question.
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "[" in escaped:
        escaped = escaped.replace("[", "&#91;")
    return escaped.replace(FIELD_SEPARATOR, "")


def deck_id(name: str) -> int:
    """A deck id from the deck's name (Anki matches decks by name on import; the id only has to be stable)."""
    digest = int(hashlib.sha256(name.encode()).hexdigest()[:12], 16)
    return (1 << 30) + digest % (1 << 30)


class _Renderer:
    """Turns one bank's questions into notes: escaping, direction marks, labels."""

    def __init__(self, bank: Bank, trusted_html: bool) -> None:
        self.bank = bank
        self.trusted = trusted_html
        self.direction = bank.direction
        self.labels = LABELS.get(bank.language.split("-")[0].lower(), LABELS["en"])
        self.bank_tags = tuple(safe_tag(t) for t in bank.tags)
        self.bank_tag = f"quizdeck::{bank.id}"
        self.tags = tuple(t for t in dict.fromkeys((*self.bank_tags, self.bank_tag)) if t)
        self.model_ids = {nt.key: nt.model_id(self.direction) for nt in NOTE_TYPES}
        self.instructions = {kind: f'<div class="qd-instruction">{html.escape(self.labels[kind])}</div>'
                             for kind in ("choice", "multi", "truefalse", "order", "match")}
        self.media_cache: dict[Path, str] = {}
        self.tag_string = f" {' '.join(self.tags)} "
        self.rendered: dict[str, str] = {}
        #: Each question's own tags, merged with the bank's: once per distinct list of tags.
        self.merged_tags: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: A true/false question's fields after its prompt: one of two, made once each.
        self.truefalse_fields: dict[bool, tuple[str, str]] = {}
        # What `text` would change: a character escape_text escapes or drops, a line break, a letter
        # of the other direction.
        other = _LTR_LETTERS if self.direction == "rtl" else _RTL_LETTERS
        self.needs_work = re.compile(f"[\n{other}]" if trusted_html else f"[&<>\\[\x1f\n{other}]").search
        self.escapable = re.compile("[&<>\\[\x1f]").search  # what escape_text changes
        self.own_fields: dict[str, Callable[[Any, str], tuple[str, tuple[str, ...]]]] = {
            "card": self.card, "short": self.short, "numeric": self.numeric, "choice": self.choice,
            "multi": self.choice, "truefalse": self.truefalse, "cloze": self.cloze, "order": self.order,
            "match": self.match,
        }

    def text(self, value: str) -> str:
        """Bank text as HTML: escaped, line breaks kept, isolated if written the other way."""
        # Most texts need none of it, and one scan tells (this runs for every text of every question).
        found = self.needs_work(value)
        return value if found is None else self.render(value, found)

    def render(self, value: str, found: re.Match[str] | None = None) -> str:
        """`text` for a text that needs work: escaped, line breaks marked, direction isolated.

        `found` is what `needs_work` found in it, if known: it can spare a scan.
        """
        escaped = value if self.trusted or self.escapable(value) is None else escape_text(value)
        if "\n" in escaped:
            escaped = escaped.replace("\r\n", "\n").replace("\n", "<br>")
        # A text written mostly the other way round from its bank (the English meaning in an Arabic
        # vocabulary bank) is isolated with its own direction, so that "the book." keeps its full
        # stop at the end and an English sentence quoting an Arabic word reads left to right.
        if value.isascii():
            # No right-to-left letter: left to right if it has a Latin letter and the bank reads
            # right to left. A letter is what `needs_work` finds first in most such texts.
            ltr = self.direction == "rtl" and ((found is not None and found.group().isalpha())
                                               or _LTR_CHARS.search(value) is not None)
            direction = "ltr" if ltr else self.direction
        else:
            direction = _text_direction(value, self.direction)
        return escaped if direction == self.direction else f'<bdi dir="{direction}">{escaped}</bdi>'

    def plain(self, value: str) -> str:
        """Escaped text with no markup, for the field Anki compares typed answers with."""
        return value if self.trusted or self.escapable(value) is None else escape_text(value)


    def image(self, question: Question) -> tuple[str, tuple[tuple[str, Path], ...]]:
        if not question.image:
            return "", ()
        name, path = self.media(question)
        return f'<img src="{name}" alt="">', ((name, path),)

    def media(self, question: Question) -> tuple[str, Path]:
        """The packed name of a question's image: its content hash and suffix, never clashing."""
        from quizdeck.media import MediaError, read_image, resolve_image

        try:
            target = resolve_image(self.bank.folder, question.image)
            if target not in self.media_cache:
                digest = hashlib.sha256(read_image(self.bank.folder, question.image)).hexdigest()[:16]
                self.media_cache[target] = f"quizdeck-{digest}{target.suffix.lower()}"
        except MediaError as error:
            raise BankError([Problem(self.bank.name, str(error),
                                     where=f'question "{question.id}", key "image"')]) from None
        return self.media_cache[target], target

    def note(self, question: Question) -> NoteContent:
        key, fields, _, tags, media = self.content(question)
        return NoteContent(
            bank_id=self.bank.id,
            question_id=question.id,
            guid=note_guid(self.bank.id, question.id),
            model_key=key,
            model_id=self.model_ids[key],
            direction=self.direction,
            fields=fields,
            tags=tags,
            card_ords=_card_ords(question),
            media=media,
        )

    def content(self, question: Question) -> tuple[str, tuple[str, ...], str, tuple[str, ...],
                                                   tuple[tuple[str, Path], ...]]:
        """A question's note type, every field of its note and all of them as Anki stores them
        (separated by U+001F), its tags, and its image."""
        image, media = self.image(question) if question.image else ("", ())
        # `text` written out for each of the common texts (empty when absent): this runs per question.
        needs_work, render = self.needs_work, self.render
        prompt, hint, explanation, source = question.prompt, question.hint, question.explanation, question.source
        if prompt and (found := needs_work(prompt)) is not None:
            prompt = render(prompt, found)
        key, own = self.own_fields[question.type](question, prompt)
        if hint and (found := needs_work(hint)) is not None:
            hint = render(hint, found)
        if explanation and (found := needs_work(explanation)) is not None:
            explanation = render(explanation, found)
        if source and (found := needs_work(source)) is not None:
            source = render(source, found)
        fields = (*own, image, hint, explanation, source, self.bank.language)
        # U+001F separates a note's fields in Anki's collection: a field holding one would shift
        # every field after it and make the whole package refuse to import. One count tells.
        flds = FIELD_SEPARATOR.join(fields)
        if flds.count(FIELD_SEPARATOR) != len(fields) - 1:
            fields = tuple(field.replace(FIELD_SEPARATOR, "") for field in fields)
            flds = FIELD_SEPARATOR.join(fields)
        if question.tags:
            tags = self.merged_tags.get(question.tags)
            if tags is None:
                tags = tuple(t for t in dict.fromkeys(
                    self.bank_tags + tuple(safe_tag(t) for t in question.tags) + (self.bank_tag,)) if t)
                self.merged_tags[question.tags] = tags
        else:
            tags = self.tags
        return key, fields, flds, tags, media

    def opt(self, value: str) -> str:
        return self.text(value) if value else ""

    def shuffled(self, question: Question, items: Sequence[str]) -> list[str]:
        """The items in an order seeded by the question's identity: the same in every export."""
        order = _shuffle(items, f"{self.bank.id}/{question.id}")
        if len(order) > 1 and order == list(items):
            order = order[1:] + order[:1]  # never show the answer's order as the question
        return order

    def texts(self, items: Sequence[str]) -> list[str]:
        """Several texts as `text` renders each: one scan of them all when none needs work (most often)."""
        if self.needs_work("".join(items)) is None:
            return list(items)
        # Items that need work recur from question to question (choices in the other script, years,
        # names): each is rendered once per bank.
        rendered, needs_work, render = self.rendered, self.needs_work, self.render
        shown = []
        for item in items:
            done = rendered.get(item)
            if done is None:
                found = needs_work(item)
                done = item if found is None else render(item, found)
                rendered[item] = done
            shown.append(done)
        return shown

    def choices(self, items: Sequence[str], right: set[str]) -> tuple[str, str]:
        """The choices as the front's list, and as the back's with the correct ones marked."""
        shown = self.texts(items)
        front = f'<ol class="qd-choices"><li>{"</li><li>".join(shown)}</li></ol>' if shown else \
            '<ol class="qd-choices"></ol>'
        back = "".join([f'<li class="qd-correct"><span class="qd-mark">✓</span> {s}</li>' if item in right
                        else f"<li>{s}</li>" for item, s in zip(items, shown, strict=True)])
        return front, f'<ol class="qd-choices">{back}</ol>'

    def card(self, question: Card, prompt: str) -> tuple[str, tuple[str, ...]]:
        return "basic", (prompt, self.text(question.back), "y" if question.reverse else "")

    def short(self, question: Short, prompt: str) -> tuple[str, tuple[str, ...]]:
        accepted = " / ".join(self.texts(question.accept))
        return "typein", (prompt, self.plain(question.answer), accepted, "")

    def numeric(self, question: Numeric, prompt: str) -> tuple[str, tuple[str, ...]]:
        accepted = ""
        if question.tolerance:
            low = format_number(question.answer - question.tolerance)
            high = format_number(question.answer + question.tolerance)
            accepted = f'<bdi dir="ltr">{low} – {high}</bdi>'
        return "typein", (prompt, format_number(question.answer), accepted, self.opt(question.unit))

    def choice(self, question: Choice | Multi, prompt: str) -> tuple[str, tuple[str, ...]]:
        items = self.shuffled(question, question.choices)
        right = {question.answer} if isinstance(question, Choice) else set(question.answers)
        head = self.instructions[question.type]
        front, back = self.choices(items, right)
        return "choice", (prompt, head + front, head + back)

    def truefalse(self, question: TrueFalse, prompt: str) -> tuple[str, tuple[str, ...]]:
        # The same two lists for every true/false question of the bank, but for which one is marked.
        shown = self.truefalse_fields.get(question.answer)
        if shown is None:
            items = [self.labels["true"], self.labels["false"]]
            head = self.instructions["truefalse"]
            front, back = self.choices(items, {items[0] if question.answer else items[1]})
            shown = self.truefalse_fields[question.answer] = (head + front, head + back)
        return "choice", (prompt, *shown)

    def cloze(self, question: Cloze, prompt: str) -> tuple[str, tuple[str, ...]]:
        return "cloze", (self.text(question.text), prompt)

    def order(self, question: Order, prompt: str) -> tuple[str, tuple[str, ...]]:
        shown = dict(zip(question.items, self.texts(question.items), strict=True))
        given = "".join([f"<li>{shown[i]}</li>" for i in self.shuffled(question, question.items)])
        answer = "".join([f"<li>{shown[i]}</li>" for i in question.items])
        return "arrange", (prompt, self.instructions["order"] + f'<ul class="qd-items">{given}</ul>',
                           f'<ol class="qd-order">{answer}</ol>')

    def match(self, question: Match, prompt: str) -> tuple[str, tuple[str, ...]]:
        lefts_shown = self.texts([left for left, _ in question.pairs])
        pairs = list(zip(lefts_shown, self.texts([right for _, right in question.pairs]), strict=True))
        lefts = "".join([f"<li>{left}</li>" for left in lefts_shown])
        rights = "".join([f"<li>{right}</li>" for right in self.shuffled(question, [r for _, r in pairs])])
        given = (self.instructions["match"] + f'<div class="qd-columns"><ul class="qd-items">{lefts}</ul>'
                 f'<ul class="qd-items">{rights}</ul></div>')
        rows = "".join([f"<tr><td>{left}</td><td>{right}</td></tr>" for left, right in pairs])
        return "arrange", (prompt, given, f'<table class="qd-pairs">{rows}</table>')


def _shuffle(items: Sequence[str], seed: str) -> list[str]:
    """A Fisher-Yates shuffle driven by a 64-bit LCG seeded from SHA-256 of `seed`.

    Not random.Random: its shuffle may change between Python versions, and the order is part of
    the exported note (a new order would count as an edit). This one is fixed forever.
    """
    state = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    order = list(items)
    for i in range(len(order) - 1, 0, -1):
        state = (state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        j = (state >> 33) % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


#: The types whose questions may make more than one card; the others make one, ordinal 0.
_SEVERAL_CARDS = frozenset({"card", "cloze"})
_ONE_CARD = (0,)


def _card_ords(question: Question) -> tuple[int, ...]:
    """The template ordinals of a question's cards (for a cloze: its deletion numbers - 1)."""
    if isinstance(question, Cloze):
        return tuple(sorted({d.number - 1 for d in question.deletions}))
    if isinstance(question, Card) and question.reverse:
        return (0, 1)
    return (0,)


def bank_notes(bank: Bank, trusted_html: bool = False) -> list[NoteContent]:
    """Every question of a bank as note content, in bank order."""
    renderer = _Renderer(bank, trusted_html)
    return [renderer.note(q) for q in bank.questions]


def deck_names(banks: Sequence[Bank], deck: str | None = None) -> list[str]:
    """The deck of each bank: its title, or `deck`; several banks go under a common parent."""
    if deck is not None:
        parts = deck.split("::")
        if any(not p.strip() for p in parts):
            raise UsageError(f'--deck "{deck}": every part between "::" must be non-empty, like "Arabic::Vocabulary"')
        deck = "::".join(p.strip() for p in parts)
    titles = [b.title.replace("::", ": ").replace(FIELD_SEPARATOR, "").strip() for b in banks]
    if len(banks) == 1:
        return [deck or titles[0]]
    counts = {t: titles.count(t) for t in titles}
    names = [t if counts[t] == 1 else f"{t} ({b.id})" for t, b in zip(titles, banks, strict=True)]
    return [f"{deck or DEFAULT_PARENT}::{n}" for n in names]


# --- manifest ------------------------------------------------------------------------------


class Stamp(NamedTuple):
    """What the manifest remembers of a note: its content hash and its modification time."""

    hash: str
    mod: int


@dataclass(frozen=True)
class Manifest:
    """Per note ("bank-id/question-id"), the stamp it was last exported with."""

    notes: dict[str, Stamp] = field(default_factory=dict)

    def to_json(self) -> str:
        """The manifest file: one line per note, sorted, so that a re-export's diff shows what changed."""
        with paused_collector():
            # The keys sorted alone (strings compare several times faster than (key, stamp) pairs).
            keys = sorted(self.notes)
            notes = zip(keys, map(self.notes.__getitem__, keys), strict=True)
            # Keys are bank and question ids (lowercase letters, digits, '-'): JSON strings as they are,
            # which one scan of all of them together confirms.
            if _PLAIN_KEY.fullmatch("".join(keys)):
                lines = [f'  "{key}": {{"hash": "{digest}", "mod": {mod}}}' for key, (digest, mod) in notes]
            else:
                lines = [f'  {_json_string(key)}: {{"hash": "{digest}", "mod": {mod}}}' for key, (digest, mod) in notes]
        about = ("Written by `quizdeck export`; keep it beside the .apkg so that re-exports update "
                 "only the notes that changed (docs/anki.md).")
        return (f'{{\n "format": "{MANIFEST_FORMAT}",\n "about": "{about}",\n "notes": {{\n'
                + ",\n".join(lines) + "\n }\n}\n")


_PLAIN_KEY = re.compile(r"[a-z0-9/-]*")


def _json_string(text: str) -> str:
    return f'"{text}"' if _PLAIN_KEY.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def manifest_path(package: Path) -> Path:
    """Where the manifest of a package lives: beside it, `NAME.apkg.manifest.json`."""
    return package.with_name(package.name + MANIFEST_SUFFIX)


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`; an empty one if there is none; a QuizdeckError if it is damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest()
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise QuizdeckError(f"{path}: cannot read the export manifest ({error}); delete it to "
                            "start afresh (every note will then count as changed)") from None
    try:
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, expected {MANIFEST_FORMAT!r}")
        notes = {str(k): Stamp(str(v["hash"]), int(v["mod"])) for k, v in data["notes"].items()}
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise QuizdeckError(f"{path}: not a quizdeck export manifest ({error}); delete it to start "
                            "afresh (every note will then count as changed)") from None
    return Manifest(notes)


# --- packages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """A built package and what it contains."""

    data: bytes
    manifest: Manifest
    decks: tuple[str, ...]
    notes: int
    cards: int
    new: tuple[str, ...]  # manifest keys of notes seen for the first time
    changed: tuple[str, ...]  # ... of notes whose content changed since the manifest
    media: int

    @property
    def unchanged(self) -> int:
        return self.notes - len(self.new) - len(self.changed)


def build_package(
    banks: Sequence[Bank],
    *,
    now: int,
    previous: Manifest | None = None,
    deck: str | None = None,
    trusted_html: bool = False,
) -> Export:
    """An .apkg (as bytes) for `banks`, one deck each, and the manifest to keep beside it.

    `now` (Unix seconds) stamps new and changed notes; notes unchanged since `previous` keep
    their stamp, so a build that changes nothing is byte-identical to the last one.
    """
    ids = [b.id for b in banks]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate is not None:
        raise UsageError(f'two banks have the id "{duplicate}"; each bank needs its own id')
    if not banks:
        raise UsageError("no banks to export")
    with paused_collector():
        return _build(banks, now, previous or Manifest(), deck, trusted_html)


def _build(banks: Sequence[Bank], now: int, previous: Manifest, deck: str | None,
           trusted_html: bool) -> Export:
    genanki = _genanki()[0]
    names = deck_names(banks, deck)
    decks = []
    stamps: dict[str, Stamp] = {}
    new: list[str] = []
    changed: list[str] = []
    media: dict[str, Path] = {}
    # Note and card ids count up from the package's time (in ms), which is the newest stamp: `now`
    # whenever a note is new or changed. The rows are made with that guess, in the one pass that
    # renders the notes, and renumbered afterwards in the rare case that it was wrong.
    next_id = itertools.count(now * 1000).__next__
    batches: list[_DeckNotes] = []
    for bank, name in zip(banks, names, strict=True):
        anki_deck = genanki.Deck(deck_id(name), name, description=_deck_description(bank))
        the_deck_id = anki_deck.deck_id
        notes: list[tuple[Any, ...]] = []
        cards: list[tuple[Any, ...]] = []
        renderer = _Renderer(bank, trusted_html)
        models, model_ids, prefix, bank_id = anki_deck.models, renderer.model_ids, f"{bank.id}/", bank.id
        # This loop runs once per question: what it calls is looked up once, and small helpers
        # (_content_hash, Stamp's constructor, _card_ords, genanki's rows) are written out in it.
        content, known, sha256 = renderer.content, previous.notes.get, hashlib.sha256
        add_note, add_card = notes.append, cards.append
        # _content_hash's text begins with the model id: written once per note type, not per note.
        hash_heads = {key: f"{model_id}\x1e" for key, model_id in model_ids.items()}
        for question in bank.questions:
            model_key, fields, flds, tag_list, note_media = content(question)
            model_id = model_ids[model_key]
            tags = renderer.tag_string if tag_list is renderer.tags else f" {' '.join(tag_list)} "
            digest = sha256(f"{hash_heads[model_key]}{flds}\x1e{tags}".encode()).hexdigest()[:32]
            question_id = question.id
            key = prefix + question_id
            old = known(key)
            if old is None:
                stamps[key] = tuple.__new__(Stamp, (digest, now))
                mod = now
                new.append(key)
            elif old.hash != digest:
                # Never older than the last stamp: Anki updates only when the time goes up.
                mod = max(now, old.mod + 1)
                stamps[key] = Stamp(digest, mod)
                changed.append(key)
            else:
                stamps[key] = old
                mod = old.mod
            if note_media:
                media.update(note_media)
            if model_id not in models:
                anki_deck.add_model(_model(model_key, renderer.direction))
            note_id = next_id()
            add_note((note_id, note_guid(bank_id, question_id), model_id, mod, -1, tags, flds, fields[0],
                      0, 0, ""))
            if question.type in _SEVERAL_CARDS:
                for ord_ in _card_ords(question):
                    add_card((next_id(), note_id, the_deck_id, ord_, now, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ""))
            else:
                add_card((next_id(), note_id, the_deck_id, 0, now, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ""))
        if notes:
            batch = _DeckNotes(next(iter(models.values())), notes, cards)
            anki_deck.add_note(batch)
            batches.append(batch)
        decks.append(anki_deck)
    # Cards and new note ids take the newest stamp: what changed decides them, not the clock.
    timestamp = max((s.mod for s in stamps.values()), default=now)
    if timestamp != now:
        _renumber(batches, (timestamp - now) * 1000, timestamp)
    data = _write_apkg(genanki.Package(decks), timestamp, sorted(media.items()))
    return Export(data, Manifest(stamps), tuple(names), len(stamps), sum(len(b.cards) for b in batches),
                  tuple(new), tuple(changed), len(media))


def _renumber(batches: Sequence[_DeckNotes], shift: int, timestamp: int) -> None:
    """Note and card ids moved by `shift`, cards stamped `timestamp`: when the newest stamp is not `now`."""
    for batch in batches:
        batch.notes = [(note_id + shift, *rest) for note_id, *rest in batch.notes]
        batch.cards = [(card_id + shift, note_id + shift, deck, ord_, timestamp, *rest)
                       for card_id, note_id, deck, ord_, _, *rest in batch.cards]


def _deck_description(bank: Bank) -> str:
    parts = [bank.description] if bank.description else []
    if bank.authors:
        parts.append(", ".join(bank.authors))
    if bank.source:
        parts.append(bank.source)
    return "<br>".join(escape_text(p) for p in parts)


def _write_apkg(package: Any, timestamp: int, media: Sequence[tuple[str, Path]]) -> bytes:
    """The package as zip bytes: fixed entry order, dates and permissions."""
    with tempfile.TemporaryDirectory(prefix="quizdeck-apkg-") as folder:
        db_path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        try:
            # A scratch file: no journal and no fsync, it is read back once and thrown away.
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            cursor = connection.cursor()
            package.write_to_db(cursor, timestamp, itertools.count(timestamp * 1000))
            connection.commit()
        finally:
            connection.close()
        collection = db_path.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "collection.anki2", collection)
        _add(archive, "media", json.dumps({str(i): name for i, (name, _) in enumerate(media)}).encode())
        for index, (_, path) in enumerate(media):
            _add(archive, str(index), path.read_bytes())
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    # Level 1: a sixth of level 6's time, for a collection 15% larger.
    archive.writestr(info, data, compresslevel=1)


def export_package(
    banks: Sequence[Bank],
    output: Path,
    *,
    now: int,
    deck: str | None = None,
    trusted_html: bool = False,
) -> Export:
    """Write `output` (.apkg) and its manifest beside it; return what was written."""
    manifest_file = manifest_path(output)
    built = build_package(banks, now=now, previous=read_manifest(manifest_file), deck=deck,
                          trusted_html=trusted_html)
    inputs = [bank.path for bank in banks if bank.path is not None]
    inputs += [path for bank in banks for question in bank.questions if question.image
               for path in [bank.folder / question.image]]
    _write_atomically(output, built.data, inputs)
    _write_atomically(manifest_file, built.manifest.to_json().encode("utf-8"), inputs)
    return built


def _write_atomically(path: Path, data: bytes, inputs: Sequence[Path]) -> None:
    """Through the one output opener: whole or not at all, never over a bank or image read."""
    from quizdeck.files import write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QuizdeckError(f"{path}: cannot write ({error.strerror or error})") from None
    write_bytes(path, data, inputs=inputs)


def package_digest(data: bytes) -> str:
    """A hash of what an .apkg holds (rows of its collection, its media), not of its bytes.

    Two builds on machines with different SQLite versions differ in a few header bytes but
    hold the same notes; this is what `check_package` compares.
    """
    hasher = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        with tempfile.TemporaryDirectory(prefix="quizdeck-apkg-") as folder:
            db_path = Path(folder) / "collection.anki2"
            db_path.write_bytes(archive.read("collection.anki2"))
            connection = sqlite3.connect(db_path)
            try:
                for table in ("col", "notes", "cards"):
                    for row in connection.execute(f"SELECT * FROM {table} ORDER BY id"):
                        hasher.update(repr(row).encode())
            finally:
                connection.close()
        for name in sorted(names):
            if name != "collection.anki2":
                hasher.update(name.encode() + b"\0" + archive.read(name))
    return hasher.hexdigest()


def check_package(
    banks: Sequence[Bank],
    output: Path,
    *,
    deck: str | None = None,
    trusted_html: bool = False,
) -> str | None:
    """Why `output` is out of date with `banks` (missing, or what changed); None if it is current."""
    if not output.is_file():
        return f"{output} is missing"
    previous = read_manifest(manifest_path(output))
    if not previous.notes:
        return f"{manifest_path(output)} is missing"
    # `now` only stamps notes that changed, and then the package differs anyway.
    built = build_package(banks, now=0, previous=previous, deck=deck, trusted_html=trusted_html)
    if built.new or built.changed or set(previous.notes) != set(built.manifest.notes):
        edited = [*built.new, *built.changed, *sorted(set(previous.notes) - set(built.manifest.notes))]
        shown = ", ".join(edited[:3]) + (f" and {len(edited) - 3} more" if len(edited) > 3 else "")
        return f"{output} is out of date: {len(edited)} question(s) changed ({shown})"
    try:
        current = package_digest(output.read_bytes())
    except (OSError, zipfile.BadZipFile, KeyError, sqlite3.Error):
        return f"{output} is not a readable Anki package"
    if current != package_digest(built.data):
        return f"{output} is out of date: its notes, note types, decks or media differ from a fresh export"
    return None


def each_output(banks: Iterable[Bank], folder: Path) -> list[tuple[Bank, Path]]:
    """For `--each`: every bank with its own package in `folder`, named by the bank's id."""
    return [(bank, folder / f"{bank.id}.apkg") for bank in banks]
