"""`quizdeck import`: a bank from Moodle GIFT, or from a CSV/TSV spreadsheet or flashcard list."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import typer

from quizdeck.commands._output import echo, error, reports_errors
from quizdeck.errors import QuizdeckError, UsageError

if TYPE_CHECKING:
    from quizdeck.convert import Imported, ImportResult

#: Larger files are refused before reading: no question export comes near it.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
#: Problems shown on stderr; the bank's header comments list them all.
MAX_SHOWN = 200


class Source(str, Enum):
    """Formats `import` reads."""

    gift = "gift"
    csv = "csv"
    tsv = "tsv"
    apkg = "apkg"


_SUFFIXES = {".gift": Source.gift, ".csv": Source.csv, ".tsv": Source.tsv, ".tab": Source.tsv, ".apkg": Source.apkg}

#: Files teachers reach for first that import cannot read, and how to get one it can.
_SAVE_AS = {
    ".xlsx": "an Excel workbook: save it as CSV (Excel: File > Save As > \"CSV UTF-8\"; LibreOffice: "
             "Save As > Text CSV, character set UTF-8) and import the .csv",
    ".ods": "a LibreOffice workbook: save it as CSV (Save As > Text CSV, character set UTF-8) and import the .csv",
    ".colpkg": "a whole Anki collection: export a deck from Anki as a package (File > Export > Anki Deck "
               "Package) and import the .apkg",
}
_SAVE_AS[".xls"] = _SAVE_AS[".xlsm"] = _SAVE_AS[".xlsx"]


@reports_errors
def import_(
    file: Path = typer.Argument(..., metavar="FILE", help="A .gift/.txt (GIFT), .csv, .tsv or .apkg file.",
                                show_default=False),
    output: Path = typer.Option(..., "--output", "-o", metavar="BANK.toml", help="The bank file to write.",
                                show_default=False),
    bank_id: str | None = typer.Option(None, "--id", help="The bank's id. Default: from the output's name.",
                                       show_default=False),
    title: str | None = typer.Option(None, "--title", help="The bank's title. Default: the input's name.",
                                     show_default=False),
    language: str | None = typer.Option(
        None, "--language", help="BCP 47 tag (ar, en...). Default: ar or he when 30% of the letters are Arabic "
        "or Hebrew, else en.", show_default=False),
    format_: Source | None = typer.Option(
        None, "--format", "-f", help="gift, csv or tsv. Default: from the suffix (a .txt is GIFT when it holds "
        "a {...} answer set, else a table whose delimiter is detected).", show_default=False),
    force: bool = typer.Option(False, "--force", help="Overwrite BANK.toml if it exists."),
    update: bool = typer.Option(False, "--update", help="Merge into the existing BANK.toml: questions matched by id "
                                "are updated, new ones added; its [bank] table, comments and other questions kept."),
    prune: bool = typer.Option(False, "--prune", help="With --update: remove the bank's questions the file lacks."),
    deck: str | None = typer.Option(None, "--deck", metavar="NAME", help="From an Anki package: only the notes of "
                                    "this deck (and the decks below it).", show_default=False),
) -> None:
    """Import questions from Moodle GIFT, a CSV/TSV file or an Anki package into a bank.

    GIFT: multiple choice, true/false, short answer, missing word,
    matching and numerical questions; essays and descriptions are
    skipped. CSV/TSV: two-column term/definition lists (Quizlet, Anki
    exports) become flashcards; a header row naming columns (id, type,
    prompt, answer, choices...) gives every question type. See
    docs/interchange.md.

    Every question skipped or changed is listed on stderr with its line
    (GIFT) or row (CSV), and at the top of the bank. The bank written
    passes `quizdeck check`. Exit status: 0 when a question was
    imported, 1 when none was, 2 for a usage error.

    Example: quizdeck import moodle-quiz.gift -o quizzes/moodle-quiz.toml --language en
    """
    from quizdeck.bank import MAX_BANK_BYTES
    from quizdeck.convert import ascii_slug, bank_choices, build_bank
    from quizdeck.files import read_bytes, write_text

    if output.is_dir():
        raise UsageError(f"{output} is a folder; give the bank file to write, like {output / 'imported.toml'}")
    if prune and not update:
        raise UsageError("--prune removes questions from an existing bank: use it with --update")
    if update:
        given = [name for name, value in (("--id", bank_id), ("--title", title), ("--language", language),
                                          ("--force", force)) if value]
        if given:
            raise UsageError(f"{', '.join(given)} cannot be used with --update, which keeps the bank's [bank] table "
                             "(edit it in the bank)")
        if not output.exists():
            raise UsageError(f"{output} does not exist; leave out --update to create it")
    elif output.exists() and not force:
        raise UsageError(f"{output} already exists; choose another file or add --force to overwrite it")
    from quizdeck.files import refuse_inputs

    refuse_inputs(output, [file])
    data = read_bytes(file, limit=MAX_IMPORT_BYTES, folder_hint="give a .gift, .csv or .tsv file")
    source = format_ or _format_of(file, data)
    if deck is not None and source is not Source.apkg:
        raise UsageError("--deck chooses a deck of an Anki package (.apkg)")
    carried_id = ""
    if source is Source.apkg:
        result, carried_id = _read_package(file, data, output, deck, update)
    elif source is Source.gift:
        from quizdeck.gift import parse_gift
        from quizdeck.spreadsheet import decode_text

        result = parse_gift(decode_text(data, str(file)), str(file))
    else:
        from quizdeck.spreadsheet import parse_spreadsheet

        result = parse_spreadsheet(data, str(file), delimiter="\t" if source is Source.tsv else None)
        _bring_images(file, output, result, _images_beside(file), f"is not beside {file.name}")
    _refuse_too_large(file, result.items)
    if update:
        _update(file, output, result, prune)
        return
    carried = bank_choices(result)  # what a GIFT file quizdeck wrote says of its bank
    text, questions, problems = build_bank(
        result,
        bank_id=bank_id or carried.get("id") or carried_id or ascii_slug(output.stem) or "imported",
        title=title or carried.get("title") or _stem(file),
        language=language or carried.get("language"),
        path=output,
    )
    for problem in problems[:MAX_SHOWN]:
        echo(str(problem), err=True)
    if len(problems) > MAX_SHOWN:
        echo(f"... and {len(problems) - MAX_SHOWN:,} more (all are listed at the top of the bank)", err=True)
    skipped = sum(1 for p in problems if p.severity == "error")
    if not questions:
        error(f"{file}: no question could be imported; nothing written")
        raise typer.Exit(1)
    if len(text) > MAX_BANK_BYTES or len(text.encode("utf-8")) > MAX_BANK_BYTES:
        raise QuizdeckError(f"{file}: the bank would be {len(text.encode('utf-8')) / 2**20:.0f} MB, more than the "
                            f"{MAX_BANK_BYTES // 2**20} MB a bank may hold; split the file in two and import each part")
    write_text(output, text, overwrite=force, inputs=[file])
    note = f", {skipped} skipped" if skipped else ""
    changed = len(problems) - skipped
    note += f", {changed} warning{'s' if changed != 1 else ''}" if changed else ""
    echo(f"{output}: {len(questions)} question{'s' if len(questions) != 1 else ''} imported from {file}{note}",
         err=True)


def _read_package(file: Path, data: bytes, output: Path, deck: str | None,
                  update: bool = False) -> tuple[ImportResult, str]:
    """An Anki package's notes, with the images they use written beside the bank (FOLDER/BANK-media/)."""
    from quizdeck.anki import manifest_path
    from quizdeck.apkg import ids_from_bank, ids_from_manifest, read_apkg

    manifest = manifest_path(file)
    known = ids_from_manifest(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
    if update:
        # A package shared without its manifest still matches the bank it came from: each note's GUID
        # is made from the bank's id and the question's id.
        from quizdeck.bank import load_bank

        bank = load_bank(output)
        known = {**ids_from_bank(bank.id, [q.id for q in bank.questions]), **known}
    package = read_apkg(data, str(file), deck, known)
    result = package.result
    if deck is not None and not result.items and not result.problems:
        raise UsageError(f"{file}: no note is in a deck named {deck!r}")
    _bring_images(file, output, result, lambda name: package.media.get(name),
                  "is not in the package")
    if not package.bank_id:
        return result, ""
    import re

    from quizdeck.questions import ID_PATTERN

    return result, package.bank_id if re.fullmatch(ID_PATTERN, package.bank_id) else ""


def _bring_images(file: Path, output: Path, result: ImportResult, fetch: Callable[[str], bytes | None],
                  missing: str) -> None:
    """Write the images the imported questions name beside the bank (FOLDER/BANK-media/NAME), each
    checked by the media resolver; report the others. A card whose front was only the picture
    that could not come is skipped: without it, it would ask nothing."""
    from quizdeck.convert import PICTURE_PROMPT
    from quizdeck.errors import Problem
    from quizdeck.files import write_bytes
    from quizdeck.media import MediaError, check_name, read_image

    folder = f"{output.stem}-media"
    written: dict[str, str] = {}
    kept = []
    for item in result.items:
        name = item.table.get("image")
        if not name:
            kept.append(item)
            continue
        if name not in written:
            base = PurePosixPath(str(name).replace("\\", "/")).name
            relative = f"{folder}/{base}"
            reason = check_name(relative) if base else f"\"{name}\" is not a file name"
            data = fetch(str(name)) if reason is None else None
            if reason is None and data is None:
                reason = f'image "{name}" {missing}'
            if reason is None and data is not None:
                if output.parent.is_dir():
                    (output.parent / folder).mkdir(exist_ok=True)
                write_bytes(output.parent / relative, data, inputs=[file, output])
                try:
                    read_image(output.parent, relative)
                except MediaError as error:
                    (output.parent / relative).unlink()
                    reason = str(error)
            written[name] = "" if reason else relative
            if reason:
                result.problems.append(Problem(str(file), f"image left out: {reason}", where=item.where,
                                               line=item.line, severity="warning"))
        if written[name]:
            item.table["image"] = written[name]
            kept.append(item)
        elif item.table.get("prompt") == PICTURE_PROMPT:
            result.problems.append(Problem(str(file), "skipped: its front is only a picture, which could not be "
                                           "brought", where=item.where, line=item.line))
        else:
            del item.table["image"]
            kept.append(item)
    result.items[:] = kept


def _images_beside(file: Path) -> Callable[[str], bytes | None]:
    """Images named by a text export, read from beside it through the media resolver."""
    from quizdeck.media import MediaError, read_image

    def fetch(name: str) -> bytes | None:
        try:
            return read_image(file.parent, name)
        except MediaError:
            return None

    return fetch


def _update(file: Path, output: Path, result: ImportResult, prune: bool) -> None:
    """`--update`: merge the file's questions into the existing bank, and say what changed."""
    from quizdeck.bank import read_bank_text
    from quizdeck.convert import merge_bank
    from quizdeck.errors import Problem
    from quizdeck.files import write_text

    text, _, problems, merge = merge_bank(read_bank_text(output), result, output, prune)
    missing = [Problem(str(output), f"not in {file.name}; " + ("removed (--prune)" if prune else
                       "kept (add --prune to remove it)"), where=f'question "{qid}"', severity="warning")
               for qid in merge.missing]
    shown = [*problems, *missing]
    for problem in shown[:MAX_SHOWN]:
        echo(str(problem), err=True)
    if len(shown) > MAX_SHOWN:
        echo(f"... and {len(shown) - MAX_SHOWN:,} more", err=True)
    changed = bool(merge.updated or merge.added or (prune and merge.missing))
    if changed:
        write_text(output, text, overwrite=True, inputs=[file])
    gone = f"{len(merge.missing)} removed" if prune else f"{len(merge.missing)} not in the file (kept)"
    echo(f"{output}: {len(merge.updated)} updated, {len(merge.added)} added, {len(merge.unchanged)} unchanged, {gone}"
         + ("" if changed else "; nothing to write"), err=True)


def _refuse_too_large(file: Path, items: Sequence[Imported]) -> None:
    """Refuse, before any work, a file whose questions would make a bank larger than a bank may be
    (the CSV reader already stops at the row that passes the limit; this covers the others)."""
    from quizdeck.convert import BankBudget

    budget = BankBudget(str(file))
    for item in items:
        where = item.where or (f"line {item.line:,}" if item.line else "its last question")
        budget.add(budget.cost(item.table.values()), where)


def _stem(file: Path) -> str:
    """`moodle-quiz` for moodle-quiz.gift.txt: the name without the suffixes import reads."""
    name = file.name
    while Path(name).suffix.lower() in (*_SUFFIXES, ".txt"):
        name = Path(name).stem
    return name or file.name


#: An answer set as GIFT opens one: `{=`, `{~`, `{#`, `{}`, `{%50%`, `{T}`, `{FALSE#...`, `{1:MC:`; not Anki's
#: cloze `{{c1::`, an escaped `\{`, nor JSON (`{"parts"`, `"attrs":{}`, `[{}]`) or CSS (`.note{font-style`)
#: in HTML.
_GIFT_ANSWER_SET = re.compile(
    r"""(?<![{\\:\[,"'])\{(?!\{)\s*(?:[=~#}]|%-?\d|(?:TRUE|FALSE|T|F)\s*[#}]|\d+:[A-Za-z_]+:)""")


def looks_like_gift(text: str) -> bool:
    """Whether a .txt is GIFT: it holds an answer set opened as GIFT opens one. Anki's "Notes in Plain
    Text" (its `#separator:` header, a cloze `{{c1::...}}`, or braces in its HTML), Excel's "Unicode
    Text" and `Question; Answer` lists have none; their delimiter is then detected like a CSV's."""
    if text.lstrip().startswith(("#separator:", "#html:")):
        return False
    return _GIFT_ANSWER_SET.search(text) is not None


def _format_of(file: Path, data: bytes) -> Source:
    suffix = file.suffix.lower()
    if not suffix:
        raise UsageError(f"{file}: cannot tell the format without a suffix; add --format gift, csv or tsv")
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if suffix == ".txt":
        from quizdeck.spreadsheet import decode_text

        return Source.gift if looks_like_gift(decode_text(data, str(file))) else Source.csv
    if suffix in _SAVE_AS:
        raise UsageError(f"{file}: is {_SAVE_AS[suffix]}")
    raise UsageError(f"{file}: cannot tell the format from the suffix \"{suffix}\"; "
                     "add --format gift, csv or tsv")
