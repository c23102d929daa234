"""`quizdeck export --format gift|csv`: banks as Moodle GIFT or as a spreadsheet (CSV)."""

from __future__ import annotations

from pathlib import Path

from quizdeck.commands._output import echo
from quizdeck.errors import UsageError


def export_text(bank_paths: list[Path], fmt: str, output: Path | None) -> None:
    """Write banks as GIFT ("gift") or CSV ("csv") to `output` (None or "-": standard output).

    Every question or key the format cannot hold is listed on stderr, one line each. A CSV file
    starts with a UTF-8 byte order mark so that Excel reads Arabic correctly; standard output
    gets none.
    """
    from quizdeck.bank import find_bank_files, load_bank
    from quizdeck.files import write_text

    if fmt not in ("gift", "csv"):
        raise UsageError(f"--format {fmt!r}: export_text writes gift or csv")
    files = find_bank_files(bank_paths)
    banks = [load_bank(path) for path in files]
    if not banks:
        raise UsageError(f"no *.toml banks found in {', '.join(str(p) for p in bank_paths)}")
    to_stdout = output is None or str(output) == "-"
    if output is not None:
        from quizdeck.files import refuse_inputs

        refuse_inputs(output, files)  # before a word about the banks is printed
    if not to_stdout and output is not None and output.is_dir():
        raise UsageError(f"{output} is a folder; give a file like {output / ('questions.' + fmt)}")
    if fmt == "gift":
        from quizdeck.gift import write_gift

        text, written, problems = write_gift(banks)
    else:
        from quizdeck.spreadsheet import write_csv

        text, written, problems = write_csv(banks)
    for problem in problems:
        echo(str(problem), err=True)
    total = sum(len(bank.questions) for bank in banks)
    write_text("-" if to_stdout or output is None else output, text, bom=fmt == "csv", inputs=files)
    skipped = total - written
    where = "standard output" if to_stdout else str(output)
    note = f" ({skipped} not exported, listed above)" if skipped else ""
    echo(f"{where}: {written} question{'s' if written != 1 else ''} as {fmt.upper()}{note}", err=True)
