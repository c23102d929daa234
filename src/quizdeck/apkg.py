"""Reading Anki packages (.apkg): notes become bank tables, images come along.

A package is a zip holding a SQLite collection and numbered media files. Two collection forms are
read: `collection.anki2`/`collection.anki21` (note types and decks as JSON in the `col` table,
written by genanki, by quizdeck's own export and by Anki with "Support older Anki versions"), and
`collection.anki21b` (Anki 2.1.50 and later: zstd-compressed, note types and decks in their own
tables), decompressed by the standard library's `compression.zstd` on Python 3.14 and later, and by
the `zstandard` package (a dependency on earlier versions) before.

Notes map by note type: Anki's Basic, Basic (and reversed card), Basic (optional reversed card),
Basic (type in the answer) and Cloze, and quizdeck's own note types, which come back as the
questions they were written from (choices, order and pairs read from the fields' lists). Image
Occlusion and other note types with fewer than two fields are reported; other note types are
read as cards from their first two fields, and said so. HTML becomes text as for GIFT; the first
image of a note's front becomes the question's image, the others are reported.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from quizdeck.anki import RTL_SUFFIX, note_guid
from quizdeck.convert import (
    PICTURE_PROMPT,
    IdRequest,
    Imported,
    ImportResult,
    assign_ids,
    html_to_text,
    quoted,
    take_images,
)
from quizdeck.errors import Problem, QuizdeckError

#: Bounds on what a package may make quizdeck unpack: its collection, and all its media together.
MAX_COLLECTION_BYTES = 512 * 1024 * 1024
MAX_MEDIA_BYTES = 512 * 1024 * 1024
FIELD_SEPARATOR = "\x1f"

_SOUND = re.compile(r"\[sound:[^\]]*\]")
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Compressed bytes given to the zstandard decompressor at a time (a zstd block expands to at most 128 KB).
_ZSTD_STEP = 4096


@dataclass
class Package:
    """What a package holds for import: the questions read, and the images they use (name -> bytes)."""

    result: ImportResult
    media: dict[str, bytes] = field(default_factory=dict)
    bank_id: str = ""
    deck: str = ""


def read_apkg(data: bytes, name: str, deck: str | None = None, known_ids: dict[str, str] | None = None) -> Package:
    """The notes of an Anki package as bank tables; `deck` keeps the notes of that deck (and below it).

    `known_ids` maps note GUIDs to question ids (from the manifest quizdeck's export writes beside a
    package), so that quizdeck's own packages come back with their ids.
    """
    try:
        archive = zipfile.ZipFile(_bytes_io(data))
    except zipfile.BadZipFile:
        raise QuizdeckError(f"{name}: not an Anki package (not a zip archive)") from None
    with archive:
        names = set(archive.namelist())
        collection = _collection(archive, names, name)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "collection.sqlite"
            path.write_bytes(collection)
            try:
                connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            except sqlite3.Error as error:
                raise QuizdeckError(f"{name}: the collection cannot be opened ({error})") from None
            try:
                package = _Reader(name, connection, deck, known_ids or {}).read()
            except sqlite3.DatabaseError as error:
                raise QuizdeckError(f"{name}: the collection is not one Anki writes ({error})") from None
            except (ValueError, TypeError, AttributeError, KeyError, RecursionError):
                # Note types or decks that are not the JSON Anki writes (a damaged or hostile package).
                raise QuizdeckError(f"{name}: the collection's note types or decks are not what Anki writes") \
                    from None
            finally:
                connection.close()
        package.media = _media(archive, names, name, package)
    return package


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def _collection(archive: zipfile.ZipFile, names: set[str], name: str) -> bytes:
    for member in ("collection.anki21b", "collection.anki21", "collection.anki2"):
        if member not in names:
            continue
        info = archive.getinfo(member)
        if info.file_size > MAX_COLLECTION_BYTES:
            raise QuizdeckError(f"{name}: its collection is {info.file_size / 2**20:.0f} MB, more than quizdeck reads")
        raw = archive.read(member)
        if member.endswith("b") or raw.startswith(_ZSTD_MAGIC):
            return _unzstd(raw, name)
        return raw
    raise QuizdeckError(f"{name}: not an Anki package (no collection.anki2, .anki21 or .anki21b inside)")


def _unzstd(raw: bytes, name: str) -> bytes:
    try:
        out = zstd_decompressor()(raw, MAX_COLLECTION_BYTES + 1)
    except ZstdDamaged as error:
        raise QuizdeckError(f"{name}: its collection cannot be decompressed ({error})") from None
    if len(out) > MAX_COLLECTION_BYTES:
        raise QuizdeckError(f"{name}: its collection is larger than quizdeck reads")
    return out


class ZstdDamaged(ValueError):
    """Compressed data that is not a whole zstd frame."""


def zstd_decompressor() -> Callable[[bytes, int], bytes]:
    """A function giving at most `limit` bytes of a zstd frame, from the standard library's
    `compression.zstd` (Python 3.14 and later) or the `zstandard` package (earlier versions).

    Imported here, when a package in Anki's current form is read, so that start-up stays fast.
    """
    if sys.version_info >= (3, 14):
        from compression import zstd

        def standard(raw: bytes, limit: int) -> bytes:
            decompressor = zstd.ZstdDecompressor()
            try:
                out = decompressor.decompress(raw, max_length=limit)
            except zstd.ZstdError as error:
                raise ZstdDamaged(str(error)) from None
            if len(out) < limit and not decompressor.eof:
                raise ZstdDamaged("the compressed data ends early")
            return bytes(out)

        return standard

    import zstandard

    def package(raw: bytes, limit: int) -> bytes:
        # Fed a little at a time, so that a small input that expands hugely stops near `limit`.
        decompressor = zstandard.ZstdDecompressor().decompressobj()
        chunks: list[bytes] = []
        size = 0
        try:
            for start in range(0, len(raw), _ZSTD_STEP):
                chunk = decompressor.decompress(raw[start:start + _ZSTD_STEP])
                chunks.append(chunk)
                size += len(chunk)
                if size >= limit or decompressor.eof:
                    break
        except zstandard.ZstdError as error:
            raise ZstdDamaged(str(error)) from None
        if size < limit and not decompressor.eof:
            raise ZstdDamaged("the compressed data ends early")
        return b"".join(chunks)[:limit]

    return package


def _media(archive: zipfile.ZipFile, names: set[str], name: str, package: Package) -> dict[str, bytes]:
    """The images the imported notes use, by file name, from the package's numbered media files."""
    wanted = {str(item.table.get("image", "")) for item in package.result.items} - {""}
    if not wanted or "media" not in names:
        return {}
    raw = archive.read("media")
    compressed = raw.startswith(_ZSTD_MAGIC)
    mapping: Any
    try:
        # Anki 2.1.50+: a zstd-compressed list of entries, and each media file compressed too.
        mapping = (_media_entries(zstd_decompressor()(raw, MAX_MEDIA_BYTES)) if compressed
                   else json.loads(raw.decode("utf-8")))
    except (ValueError, UnicodeDecodeError, IndexError):
        mapping = None
    if not isinstance(mapping, dict):
        package.result.problems.append(Problem(name, "the package's list of media cannot be read; images left out",
                                               severity="warning"))
        return {}
    found: dict[str, bytes] = {}
    total = 0
    for number, file_name in mapping.items():
        if file_name in wanted and str(number) in names:
            size = archive.getinfo(str(number)).file_size
            total += size
            if total > MAX_MEDIA_BYTES:
                break
            data = archive.read(str(number))
            if compressed and data.startswith(_ZSTD_MAGIC):
                try:
                    data = zstd_decompressor()(data, MAX_MEDIA_BYTES + 1)
                except ZstdDamaged:
                    continue  # reported with the question that names it, as an image the package lacks
                total += len(data)
                if total > MAX_MEDIA_BYTES:
                    break
            found[file_name] = data
    return found


def _media_entries(data: bytes) -> dict[str, str]:
    """Anki's MediaEntries message (protobuf): zip member -> file name, the member being the entry's
    position unless it says otherwise (field 255)."""
    mapping: dict[str, str] = {}
    for position, entry in enumerate(value for number, value in _fields(data) if number == 1):
        fields = dict(_fields(entry)) if isinstance(entry, bytes) else {}
        file_name = fields.get(1, b"")
        member = fields.get(255, position)
        if isinstance(file_name, bytes) and isinstance(member, int):
            mapping[str(member)] = file_name.decode("utf-8")
    return mapping


def _fields(data: bytes) -> list[tuple[int, bytes | int]]:
    """The (field number, value) pairs of a protobuf message: varints as ints, length-delimited as bytes."""
    out: list[tuple[int, bytes | int]] = []
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, kind = key >> 3, key & 7
        if kind == 0:
            value, at = _varint(data, at)
            out.append((number, value))
        elif kind == 2:
            size, at = _varint(data, at)
            out.append((number, data[at:at + size]))
            at += size
        elif kind in (1, 5):
            at += 8 if kind == 1 else 4
        else:
            raise ValueError(f"protobuf wire type {kind}")
    return out


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise ValueError("protobuf varint too long")


class _Reader:
    def __init__(self, name: str, connection: sqlite3.Connection, deck: str | None,
                 known_ids: dict[str, str]) -> None:
        self.name = name
        self.db = connection
        self.deck = deck
        self.known_ids = known_ids
        self.result = ImportResult(name=name, format="Anki package")
        self.requests: list[IdRequest] = []
        self.wanted_ids: list[str] = []

    def read(self) -> Package:
        models = self.models()
        decks = self.decks()
        note_decks: dict[int, set[str]] = {}
        for nid, did in self.db.execute("SELECT nid, did FROM cards"):
            note_decks.setdefault(nid, set()).add(decks.get(did, ""))
        bank_ids: list[str] = []
        languages: list[str] = []
        item_nids: dict[int, int] = {}
        unverified: list[tuple[Imported, str, str]] = []  # quizdeck notes whose id no manifest gave
        for position, (nid, guid, mid, tags, flds) in enumerate(
                self.db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"), 1):
            where = f"note {position}"
            in_decks = note_decks.get(nid, set())
            if self.deck is not None and not any(d == self.deck or d.startswith(self.deck + "::") for d in in_decks):
                continue
            model = models.get(mid)
            if model is None:
                self.problem(where, "its note type is missing from the collection; skipped")
                continue
            model_name, field_names = model
            values = dict(zip(field_names, str(flds).split(FIELD_SEPARATOR), strict=False))
            own_tags = [t for t in str(tags).split() if t]
            bank_ids.extend(t.split("::", 1)[1] for t in own_tags if t.startswith("quizdeck::"))
            own_tags = [t for t in own_tags if not t.startswith("quizdeck::")]
            changes: list[str] = []
            try:
                table = self.note(model_name, field_names, values, changes)
            except _Skip as reason:
                self.problem(where, f"skipped: {reason}", error=True)
                continue
            if own_tags:
                table["tags"] = list(dict.fromkeys(own_tags))
            for change in changes:
                self.problem(where, change)
            known = self.known_ids.get(str(guid), "")
            bank = next((t.split("::", 1)[1] for t in str(tags).split() if t.startswith("quizdeck::")), "")
            if known and bank:
                _unshuffle(table, f"{bank}/{known}")
            key = str(table.get("prompt") or table.get("text") or "")
            self.requests.append(IdRequest(known, key, table))
            item = Imported({"id": "", **table}, where=where)
            item_nids[id(item)] = nid
            if not known and bank:
                unverified.append((item, str(guid), bank))
            self.result.items.append(item)
            if model_name.startswith("quizdeck ") and values.get("Lang"):
                languages.append(values["Lang"].strip())
        for item, qid in zip(self.result.items, assign_ids(self.requests), strict=True):
            item.table["id"] = qid
        # Without the manifest, a note's GUID still tells whether the id made from its content is the
        # id it was exported under (a bank imported from a list has ids made the same way): then its
        # choices go back to the bank's order too.
        for item, guid, bank in unverified:
            if note_guid(bank, item.table["id"]) == guid:
                _unshuffle(item.table, f"{bank}/{item.table['id']}")
        common = max(set(bank_ids), key=bank_ids.count) if bank_ids else ""
        used = {d for item in self.result.items for d in note_decks.get(item_nids[id(item)], set())}
        deck_names = sorted(d for d in used if d)
        if len(deck_names) == 1:
            self.result.title = deck_names[0].rsplit("::", 1)[-1]
        if common and self.result.items:
            # quizdeck's export puts the bank's tags on every note: they go back to the bank.
            shared = set.intersection(*(set(item.table.get("tags", [])) for item in self.result.items))
            if shared:
                first = self.result.items[0].table["tags"]
                self.result.bank["tags"] = [t for t in first if t in shared]
                for item in self.result.items:
                    kept = [t for t in item.table["tags"] if t not in shared]
                    if kept:
                        item.table["tags"] = kept
                    else:
                        del item.table["tags"]
            if languages:
                self.result.bank["language"] = max(set(languages), key=languages.count)
        return Package(self.result, bank_id=common, deck=self.deck or (deck_names[0] if len(deck_names) == 1 else ""))

    def problem(self, where: str, message: str, error: bool = False) -> None:
        self.result.problems.append(Problem(self.name, message, where=where,
                                            severity="error" if error else "warning"))

    # Note types and decks, in either collection form -----------------------------------------

    def tables(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def models(self) -> dict[int, tuple[str, list[str]]]:
        if "notetypes" in self.tables():
            fields: dict[int, list[tuple[int, str]]] = {}
            for ntid, ord_, fname in self.db.execute("SELECT ntid, ord, name FROM fields"):
                fields.setdefault(ntid, []).append((ord_, fname))
            return {ntid: (str(name), [f for _, f in sorted(fields.get(ntid, []))])
                    for ntid, name in self.db.execute("SELECT id, name FROM notetypes")}
        (raw,) = self.db.execute("SELECT models FROM col").fetchone()
        models = json.loads(raw)
        out: dict[int, tuple[str, list[str]]] = {}
        for key, model in models.items():
            flds = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
            out[int(key)] = (str(model.get("name", "")), [str(f.get("name", "")) for f in flds])
        return out

    def decks(self) -> dict[int, str]:
        if "decks" in self.tables():
            return {did: str(name).replace("\x1f", "::") for did, name in self.db.execute("SELECT id, name FROM decks")}
        (raw,) = self.db.execute("SELECT decks FROM col").fetchone()
        return {int(k): str(v.get("name", "")) for k, v in json.loads(raw).items()}

    # One note -------------------------------------------------------------------------------------

    def text(self, html: str, changes: list[str]) -> str:
        if _SOUND.search(html):
            changes.append("a sound ([sound:...]) dropped: quizdeck plays no audio")
            html = _SOUND.sub("", html)
        text, _ = html_to_text(html.replace("\u00a0", " "))
        return text

    def front_image(self, html: str, changes: list[str]) -> tuple[str, str]:
        """The front without its images as text, and the first image's file name."""
        stripped, sources = take_images(html)
        image = ""
        for source in sources:
            safe = PurePosixPath(source.replace("\\", "/")).name
            if not image and safe and safe == source:
                image = safe
            else:
                changes.append(f"image {quoted(source)} dropped: a question has one image")
        return self.text(stripped, changes), image

    def note(self, model: str, names: list[str], values: dict[str, str], changes: list[str]) -> dict[str, Any]:
        lowered = model.lower()
        if "image occlusion" in lowered:
            raise _Skip("an Image Occlusion note; quizdeck has no image occlusion questions")
        if model.startswith("quizdeck "):
            return self.quizdeck(model, values, changes)
        if "cloze" in lowered or ("Text" in values and "{{c" in values.get("Text", "")):
            text = self.text(values.get("Text", values.get(names[0], "") if names else ""), changes)
            table: dict[str, Any] = {"type": "cloze", "text": text}
            extra = self.text(values.get("Back Extra", values.get("Extra", "")), changes)
            if extra:
                table["explanation"] = extra
            return table
        if len(names) < 2:
            raise _Skip(f"note type {quoted(model)} has {len(names)} field; a card needs a front and a back")
        front_html = values.get("Front", values.get(names[0], ""))
        back_html = values.get("Back", values.get(names[1], ""))
        front, image = self.front_image(front_html, changes)
        back = self.text(back_html, changes)
        if not front and not image:
            raise _Skip("the front is empty")
        if not back:
            raise _Skip("the back is empty")
        if not front:
            front = PICTURE_PROMPT
            changes.append(f"the front is only an image: its prompt is {quoted(PICTURE_PROMPT)}")
        if "type in the answer" in lowered:
            table = {"type": "short", "prompt": front, "answer": back}
        else:
            table = {"type": "card", "prompt": front, "back": back}
            if "reversed card" in lowered and ("optional" not in lowered or values.get("Add Reverse", "").strip()):
                table["reverse"] = True
            if not lowered.startswith("basic"):
                changes.append(f"note type {quoted(model)} read as a card from its first two fields")
        if image:
            table["image"] = image
        return table

    def quizdeck(self, model: str, values: dict[str, str], changes: list[str]) -> dict[str, Any]:
        """A note of quizdeck's own note types, back to the question it was written from."""
        # A right-to-left bank's notes use the same note types under a " (right to left)" name.
        model = model.removesuffix(RTL_SUFFIX)
        prompt = self.text(values.get("Prompt", values.get("Front", "")), changes)
        table: dict[str, Any]
        if model == "quizdeck Basic":
            table = {"type": "card", "prompt": prompt, "back": self.text(values.get("Back", ""), changes)}
            if values.get("Add Reverse", "").strip():
                table["reverse"] = True
        elif model == "quizdeck Cloze":
            table = {"type": "cloze", "text": self.text(values.get("Text", ""), changes)}
            if prompt:
                table["prompt"] = prompt
        elif model == "quizdeck Type-in":
            answer = self.text(values.get("Answer", ""), changes)
            accepted = self.text(values.get("Accepted", ""), changes)
            number = _number(answer)
            if number is not None and (values.get("Unit") or not accepted or " – " in accepted):
                table = {"type": "numeric", "prompt": prompt, "answer": number}
                if " – " in accepted:
                    low, high = (_number(p) for p in accepted.split(" – ", 1))
                    if low is not None and high is not None:
                        table["tolerance"] = _tidy((high - low) / 2)
                unit = self.text(values.get("Unit", ""), changes)
                if unit:
                    table["unit"] = unit
            else:
                table = {"type": "short", "prompt": prompt, "answer": answer}
                if accepted:
                    table["accept"] = [a.strip() for a in accepted.split(" / ") if a.strip()]
        elif model == "quizdeck Multiple choice":
            back = values.get("Answer", "")
            items = [(self.text(body, changes), "qd-correct" in head) for head, body in _list_items(back)]
            items = [(text.removeprefix("✓").strip() if right else text, right) for text, right in items]
            instruction = self.text(_between(back, 'class="qd-instruction">', "</div>"), changes)
            labels = _labels()
            right = [text for text, ok in items if ok]
            if instruction in labels["truefalse"] and len(items) == 2 and len(right) == 1:
                table = {"type": "truefalse", "prompt": prompt, "answer": items[0][1]}
            elif instruction in labels["multi"]:
                table = {"type": "multi", "prompt": prompt, "choices": [t for t, _ in items], "answers": right}
            else:
                table = {"type": "choice", "prompt": prompt, "choices": [t for t, _ in items],
                         "answer": right[0] if right else ""}
        elif model == "quizdeck Order and match":
            answer = values.get("Answer", "")
            if 'class="qd-pairs"' in answer:
                rows = [cells for cells in (_cells(row) for row in answer.split("</tr>")) if len(cells) == 2]
                table = {"type": "match", "prompt": prompt,
                         "pairs": [[self.text(a, changes), self.text(b, changes)] for a, b in rows]}
            else:
                table = {"type": "order", "prompt": prompt,
                         "items": [self.text(body, changes) for _, body in _list_items(answer)]}
        else:
            raise _Skip(f"quizdeck note type {quoted(model)} is not one this version knows")
        if not table.get("prompt") and table["type"] != "cloze":
            table.pop("prompt", None)
        for key, name in (("hint", "Hint"), ("explanation", "Explanation"), ("source", "Source")):
            value = self.text(values.get(name, ""), changes)
            if value:
                table[key] = value
        _, image = self.front_image(values.get("Image", ""), changes)
        if image:
            table["image"] = image
        return table


class _Skip(Exception):
    """This note cannot be imported; the message says why."""


def _unshuffle(table: dict[str, Any], seed: str) -> None:
    """A choice or multi question's choices back in their bank order (the export shuffled them)."""
    if table["type"] in ("choice", "multi"):
        table["choices"] = _unshuffled(table["choices"], seed)
        if table["type"] == "multi":
            table["answers"] = [c for c in table["choices"] if c in table["answers"]]


def _unshuffled(shown: list[str], seed: str) -> list[str]:
    """The choices in their bank order: quizdeck's export shuffles them by the question's identity."""
    from quizdeck.anki import _shuffle

    positions = _shuffle([str(n) for n in range(len(shown))], seed)
    if len(positions) > 1 and positions == [str(n) for n in range(len(shown))]:
        positions = positions[1:] + positions[:1]
    original = [""] * len(shown)
    for place, position in enumerate(positions):
        original[int(position)] = shown[place]
    return original


def _list_items(html: str) -> list[tuple[str, str]]:
    """Each `<li ...>body</li>` of an HTML list as (the opening tag, the body), in one pass."""
    items = []
    for piece in html.split("</li>")[:-1]:
        start = piece.rfind("<li")
        if start >= 0:
            end = piece.find(">", start)
            if end >= 0:
                items.append((piece[start:end + 1], piece[end + 1:]))
    return items


def _cells(row: str) -> list[str]:
    cells = []
    for piece in row.split("</td>")[:-1]:
        start = piece.rfind("<td")
        end = piece.find(">", start) if start >= 0 else -1
        if end >= 0:
            cells.append(piece[end + 1:])
    return cells


def _between(text: str, start: str, end: str) -> str:
    at = text.find(start)
    if at < 0:
        return ""
    stop = text.find(end, at + len(start))
    return text[at + len(start):stop if stop >= 0 else len(text)]


def _labels() -> dict[str, set[str]]:
    from quizdeck.anki import LABELS

    return {kind: {labels[kind] for labels in LABELS.values()} for kind in ("truefalse", "multi")}


def _number(text: str) -> int | float | None:
    try:
        value = float(text.replace("\u2212", "-").strip())
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return _tidy(value)


def _tidy(value: float) -> int | float:
    rounded = round(value, 12)
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded


def ids_from_bank(bank_id: str, question_ids: list[str]) -> dict[str, str]:
    """GUID -> question id for the notes `quizdeck export` makes of a bank's questions."""
    return {note_guid(bank_id, question_id): question_id for question_id in question_ids}


def ids_from_manifest(manifest_text: str) -> dict[str, str]:
    """GUID -> question id for every note a quizdeck export manifest lists."""
    try:
        notes = json.loads(manifest_text).get("notes", {})
    except (ValueError, AttributeError):
        return {}
    ids = {}
    for key in notes if isinstance(notes, dict) else ():
        bank_id, _, question_id = str(key).partition("/")
        if question_id:
            ids[note_guid(bank_id, question_id)] = question_id
    return ids
