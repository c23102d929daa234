"""Benchmark: Anki export against a minimal exporter that writes exactly the same rows the same way.

Run: .venv/bin/python bench/export.py [--sizes 10000 100000] [--repeat 3] [--rounds 5]

For each size a bank of that many questions (the nine types in turn, Arabic and English text) is
generated in memory, and written as an .apkg by two contenders:

- quizdeck: `anki.build_package` and the package and its manifest written, as `quizdeck export` does
  once the bank is loaded: rendering (HTML escaping, direction marks, choice lists, seeded shuffles),
  GUIDs, content hashes, the manifest, the collection and the deterministic zip.
- floor: an exporter that is handed every note's field texts already rendered (made before its clock
  starts) and only writes them: the GUID of each note, its fields joined, its tags, its cards, the
  same `col` row (note types and deck), the same SQLite settings (no journal, no fsync), the rows
  inserted with the same two `executemany` calls, the collection deflated at the same level, the
  same zip entries, the cyclic garbage collector paused as quizdeck pauses it. Its package holds
  exactly quizdeck's rows (checked before timing, with `anki.package_digest`), so the ratio is the
  cost of what quizdeck adds: rendering the texts, and the hashes and manifest that keep re-exports
  from disturbing Anki.

Not plain genanki: it writes an uncompressed zip, one INSERT per note and per card, and renders each
note's templates to find its cards - different work, which made the old ratio drift with size.
Loading the bank is not timed (bench/load.py measures it). Each contender runs in its own fresh
processes (no one inherits another's heap), taking turns; the figure is the CPU time of the export
inside the process, the best of --rounds processes x --repeat runs (2 above 30,000).
Target (docs/performance.md): quizdeck at most 1.4x the floor, at every size.
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import Result, best, report
from quizdeck import anki
from quizdeck.bank import Bank
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
    parse_deletions,
)

NOW = 1796000000


def question(n: int) -> Question:
    """The n-th generated question: the nine types in turn, Arabic and English text."""
    qid = f"q-{n}"
    kind = n % 9
    source = f"نص المصدر رقم {n}، كما ورد في المقال."
    if kind == 0:
        return Card(id=qid, prompt=f"الخلايا النائمة {n}", back=f"sleeper cells {n}", reverse=True,
                    source=source)
    if kind == 1:
        return Choice(id=qid, prompt=f"كم قاعدة سُلّمت؟ {n}", choices=("4", "6", "8", "12"), answer="8",
                      explanation="وفقاً للنص، سُلّمت 8 قواعد.", source=source)
    if kind == 2:
        return Multi(id=qid, prompt=f"Which? {n}", choices=("a", "b", "c", "d"), answers=("a", "c"))
    if kind == 3:
        return TrueFalse(id=qid, prompt=f"True? {n}", answer=True, hint="Think.")
    if kind == 4:
        return Short(id=qid, prompt=f"Who? {n}", answer="غابي طومسون", accept=("طومسون",),
                     tags=("people", "p01"))
    if kind == 5:
        return Numeric(id=qid, prompt=f"How many? {n}", answer=50000, unit="people")
    if kind == 6:
        text = f"في عام {{{{c1::2017}}}} أُعلن {{{{c2::النصر::hint}}}} {n}"
        return Cloze(id=qid, text=text, deletions=parse_deletions(text), source=source)
    if kind == 7:
        return Order(id=qid, prompt=f"Order {n}", items=("2014", "2017", "2020"))
    return Match(id=qid, prompt=f"Match {n}", pairs=(("a", "1"), ("b", "2"), ("c", "3")))


def generate(count: int) -> Bank:
    return Bank(id="bench", title="Benchmark", language="ar", tags=("bench",),
                questions=tuple(question(n) for n in range(count)))


def quizdeck_export(bank: Bank, folder: Path) -> None:
    output = folder / "quizdeck.apkg"
    built = anki.build_package([bank], now=NOW)
    output.write_bytes(built.data)
    anki.manifest_path(output).write_text(built.manifest.to_json(), encoding="utf-8")


# --- the floor ---------------------------------------------------------------------------


def prepared(bank: Bank) -> list[anki.NoteContent]:
    """Every note's texts as quizdeck renders them: the floor's input, made before its clock starts."""
    return anki.bank_notes(bank)


def col_row(size: int) -> tuple[Any, ...]:
    """The `col` row (note types, deck) of quizdeck's package for a generated bank: the same for the floor.

    It depends on the bank's title and the note types its questions use, not on how many there are,
    so nine questions (one of each type) give the row of any size; same_notes checks it.
    """
    data = anki.build_package([generate(min(size, 9))], now=NOW).data
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(io.BytesIO(data)) as archive:
        path = Path(folder) / "collection.anki2"
        path.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(path)
        try:
            row: tuple[Any, ...] = connection.execute("SELECT * FROM col").fetchone()
        finally:
            connection.close()
    return row


def floor_export(bank: Bank, notes: list[anki.NoteContent], folder: Path, col: tuple[Any, ...]) -> None:
    """Write the notes whose texts are given: GUIDs, rows, collection, zip; nothing rendered, no manifest.

    The cyclic garbage collector is paused, as quizdeck pauses it while it builds a package.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        write_notes(bank, notes, folder, col)
    finally:
        if collecting:
            gc.enable()


def write_notes(bank: Bank, notes: list[anki.NoteContent], folder: Path, col: tuple[Any, ...]) -> None:
    from genanki.apkg_schema import APKG_SCHEMA

    deck_id = anki.deck_id(bank.title)
    ids = itertools.count(NOW * 1000)
    note_rows: list[tuple[Any, ...]] = []
    card_rows: list[tuple[Any, ...]] = []
    for note in notes:
        note_id = next(ids)
        note_rows.append((note_id, anki.note_guid(bank.id, note.question_id), note.model_id, NOW, -1,
                          f" {' '.join(note.tags)} ", "\x1f".join(note.fields), note.fields[0], 0, 0, ""))
        for ord_ in note.card_ords:
            card_rows.append((next(ids), note_id, deck_id, ord_, NOW, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ""))
    path = folder / "collection.anki2"
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        cursor = connection.cursor()
        cursor.executescript(APKG_SCHEMA)
        cursor.execute("INSERT INTO col VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", col)
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", note_rows)
        cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows)
        connection.commit()
    finally:
        connection.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (("collection.anki2", path.read_bytes()), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=anki.ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=1)
    (folder / "floor.apkg").write_bytes(buffer.getvalue())


def run_one(contender: str, size: int, repeat: int) -> float:
    """The best CPU time of one contender on a generated bank, in this (fresh) process."""
    bank = generate(size)
    action: Callable[[Bank, Path], None] = quizdeck_export
    if contender == "floor":
        col, notes = col_row(size), prepared(bank)

        def action(bank: Bank, folder: Path) -> None:
            floor_export(bank, notes, folder, col)

    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="quizdeck-bench-") as folder:
            start = time.process_time()
            action(bank, Path(folder))
            times.append(time.process_time() - start)
    return min(times)


def measure(contender: str, size: int, repeat: int) -> float:
    """run_one in a child process, so that no contender inherits another's heap or imports."""
    output = subprocess.run(
        [sys.executable, __file__, "--one", contender, str(size), "--repeat", str(repeat)],
        check=True, capture_output=True, text=True,
    ).stdout
    return float(output.strip())


def same_notes(size: int) -> None:
    """Check that the floor's package holds exactly quizdeck's rows (like with like)."""
    bank = generate(size)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        quizdeck_export(bank, folder)
        floor_export(bank, prepared(bank), folder, col_row(size))
        same = anki.package_digest((folder / "quizdeck.apkg").read_bytes()) == \
            anki.package_digest((folder / "floor.apkg").read_bytes())
    if not same:
        raise SystemExit("the floor's package holds other rows than quizdeck's: not the same work")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per process (2 above 30,000)")
    parser.add_argument("--rounds", type=int, default=5, help="fresh processes per contender")
    parser.add_argument("--one", nargs=2, metavar=("CONTENDER", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(run_one(args.one[0], int(args.one[1]), args.repeat))
        return

    same_notes(1000)
    results = []
    print(f"{'questions':>9}  {'quizdeck':>9}  {'floor':>9}  {'ratio':>6}  {'quizdeck/1k':>11}  {'floor/1k':>9}")
    for size in args.sizes:
        repeat = args.repeat if size <= 30_000 else 2
        times = best({contender: lambda c=contender, size=size, repeat=repeat: measure(c, size, repeat)
                      for contender in ("quizdeck", "floor")}, args.rounds)
        ours, floor = times["quizdeck"], times["floor"]
        print(f"{size:>9,}  {ours:8.3f}s  {floor:8.3f}s  {ours / floor:5.2f}x  "
              f"{ours / size * 1000:10.3f}s  {floor / size * 1000:8.3f}s", flush=True)
        results.append(Result("export", f"Anki export, {size:,} questions: CPU time", ours, floor, "s",
                              "writing the same rows, texts given", 1.4))
    report(results)


if __name__ == "__main__":
    main()
