"""Benchmark: `quizdeck export` to .apkg against plain genanki and against Anki's own backend.

Run: .venv/bin/python bench/export.py [--sizes 10000 30000 100000] [--anki-sizes 10000]
     [--repeat 3] [--rounds 5]

For each size, a bank of that many questions (all nine types, Arabic and English text) is
generated in memory, then written as an Anki package three ways, side by side:

- quizdeck: `anki.build_package` (notes, escaping, hashing, manifest, deterministic zip) and the
  file written, as `quizdeck export` does after loading the bank;
- genanki: plain genanki writing the same number of notes, each with the same number of fields
  holding the question's text, with `Package.write_to_file`;
- anki: the `anki` package (Anki's Rust backend) creating a collection, adding the same notes to a
  note type with as many fields, and exporting an .apkg.

Loading the bank is not timed (bench/load.py measures it). Times are CPU seconds, the best of
--rounds x --repeat runs; each contender runs in fresh processes, so none inherits another's heap,
and the contenders take turns.
Target (docs/performance.md): quizdeck within 1.3x of plain genanki, and linear growth.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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


def raw_fields(q: Question) -> list[str]:
    """The question's text in 8 fields (quizdeck's notes have 7 to 9), unescaped, as a plain
    genanki script would write it."""
    texts = [q.prompt or getattr(q, "text", ""), str(getattr(q, "back", getattr(q, "answer", "")))]
    for name in ("choices", "items", "answers", "accept"):
        texts.append(" | ".join(getattr(q, name, ())))
    texts += [q.explanation, q.source, "ar"]
    return texts[:8]


def quizdeck_export(bank: Bank, folder: Path) -> None:
    output = folder / "quizdeck.apkg"
    built = anki.build_package([bank], now=NOW)
    output.write_bytes(built.data)
    anki.manifest_path(output).write_text(built.manifest.to_json(), encoding="utf-8")


def genanki_export(bank: Bank, folder: Path) -> None:
    import genanki

    fields = [{"name": f"F{i}"} for i in range(8)]
    model = genanki.Model(1607392319, "plain", fields=fields,
                          templates=[{"name": "Card 1", "qfmt": "{{F0}}", "afmt": "{{F0}}<hr>{{F1}}"}])
    deck = genanki.Deck(2059400110, "Benchmark")
    for q in bank.questions:
        deck.add_note(genanki.Note(model=model, fields=raw_fields(q), tags=["bench"],
                                   guid=genanki.guid_for(bank.id, q.id)))
    genanki.Package(deck).write_to_file(str(folder / "genanki.apkg"), timestamp=NOW)


def anki_export(bank: Bank, folder: Path) -> None:
    from anki.collection import AddNoteRequest, Collection, DeckIdLimit, ExportAnkiPackageOptions

    profile = folder / "anki-profile"
    profile.mkdir()
    col = Collection(str(profile / "collection.anki2"))
    try:
        models = col.models
        notetype = models.new("plain")
        for i in range(8):
            models.add_field(notetype, models.new_field(f"F{i}"))
        template = models.new_template("Card 1")
        template["qfmt"], template["afmt"] = "{{F0}}", "{{F0}}<hr>{{F1}}"
        models.add_template(notetype, template)
        models.add(notetype)
        notetype = models.by_name("plain")
        deck_id = col.decks.id("Benchmark")
        requests = []
        for q in bank.questions:
            note = col.new_note(notetype)
            note.fields = raw_fields(q)
            note.tags = ["bench"]
            requests.append(AddNoteRequest(note=note, deck_id=deck_id))
        col.add_notes(requests)
        col.export_anki_package(out_path=str(folder / "anki.apkg"), limit=DeckIdLimit(deck_id),
                                options=ExportAnkiPackageOptions(with_media=True, legacy=True))
    finally:
        col.close()


CONTENDERS: dict[str, Callable[[Bank, Path], None]] = {
    "quizdeck": quizdeck_export,
    "genanki": genanki_export,
    "anki": anki_export,
}


def run_one(contender: str, size: int, repeat: int) -> float:
    """The best CPU time of one contender on a generated bank, in this (fresh) process."""
    bank = generate(size)
    action = CONTENDERS[contender]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--anki-sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per process (1 above 30,000)")
    parser.add_argument("--rounds", type=int, default=5, help="fresh processes per contender")
    parser.add_argument("--one", nargs=2, metavar=("CONTENDER", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(run_one(args.one[0], int(args.one[1]), args.repeat))
        return

    print(f"{'questions':>9}  {'quizdeck':>9}  {'genanki':>9}  {'ratio':>6}  {'anki':>9}  "
          f"{'quizdeck/1k':>11}  {'genanki/1k':>10}")
    for size in args.sizes:
        repeat = args.repeat if size <= 30_000 else 1
        contenders = ["quizdeck", "genanki"] + (["anki"] if size in args.anki_sizes else [])
        best = dict.fromkeys(contenders, float("inf"))
        # Rounds take turns, so a busy spell on the (shared) machine hits every contender alike;
        # the best time of each is the one least disturbed.
        for _ in range(args.rounds):
            for contender in contenders:
                best[contender] = min(best[contender], measure(contender, size, repeat))
        ours, plain = best["quizdeck"], best["genanki"]
        backend = f"{best['anki']:8.2f}s" if "anki" in best else "-"
        print(f"{size:>9,}  {ours:8.2f}s  {plain:8.2f}s  {ours / plain:5.2f}x  {backend:>9}  "
              f"{ours / size * 1000:10.3f}s  {plain / size * 1000:9.3f}s", flush=True)


if __name__ == "__main__":
    main()
