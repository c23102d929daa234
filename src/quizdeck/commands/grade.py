"""`quizdeck grade`: a class's answer sheets graded at once, with an item analysis."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from quizdeck.commands._output import RTL_OPTION, console, error, reports_errors

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from quizdeck.analysis import ClassReport
    from quizdeck.rtl import Mode


@reports_errors
def grade(
    bank_path: Path = typer.Argument(..., metavar="BANK", help="The bank file.", show_default=False),
    sheets: list[Path] = typer.Argument(
        ...,
        metavar="SHEET...",
        help="Answer sheets, one per student (TOML, or take --json results); with --key, class grids (CSV).",
        show_default=False,
    ),
    key_path: Path | None = typer.Option(
        None,
        "--key",
        metavar="FILE",
        help="The exam-key.csv `print` wrote: the SHEETs are then class grids of paper answers "
        "(student,version,1,2,...).",
    ),
    json_path: str | None = typer.Option(
        None,
        "--json",
        metavar="FILE",
        help="Write scores, class statistics and item analysis as JSON ('-' for standard output).",
    ),
    csv_path: str | None = typer.Option(
        None,
        "--csv",
        metavar="FILE",
        help="Write a gradebook as CSV: one row per student, points per question ('-' for standard output).",
    ),
    report_path: Path | None = typer.Option(
        None,
        "--report",
        metavar="FILE",
        help="Write a self-contained HTML report: score histogram, class statistics, item table, "
        "flagged questions.",
    ),
    rtl_mode: str | None = RTL_OPTION,
) -> None:
    """Grade a class's answer sheets: scores per student, class statistics, then an item analysis.

    Each sheet is a student (named by its file name): a TOML sheet or a `take --json` results
    file. With --key exam-key.csv (written by `print -o exam.html`), each SHEET is a class grid
    of paper answers instead, one row per student. Students are listed by score with the
    class's mean, median, standard deviation, KR-20 and standard error under them; the item
    analysis gives each question's facility, discrimination and discriminative efficiency (as
    Moodle's quiz statistics do) and flags questions that look broken. A sheet or cell with
    problems is reported (file, line or row and column) and the others are still graded; the
    exit status is then 1.

    Example: quizdeck grade quizzes/coalition-iraq.toml answers/*.toml --csv grades.csv
    """
    import os

    from quizdeck import rtl
    from quizdeck.analysis import analyse
    from quizdeck.bank import load_bank, paused_collector
    from quizdeck.commands._display import display_mode
    from quizdeck.errors import UsageError
    from quizdeck.session import Results, grade_questions, results
    from quizdeck.sheet import SheetError, load_sheet

    outputs = [name for name, p in (("--json", json_path), ("--csv", csv_path),
                                    ("--report", None if report_path is None else str(report_path))) if p == "-"]
    if len(outputs) > 1:
        raise UsageError(f"{' - and '.join(outputs)} - cannot both write to standard output; give one a file name")
    rtl.resolve_mode(rtl_mode, os.environ, isatty=False)
    # Never written over: the bank, a sheet or grid, the key.
    inputs = [bank_path, *sheets, *([key_path] if key_path is not None else [])]
    from quizdeck.files import refuse_inputs

    for output in (json_path, csv_path, report_path):
        if output is not None:
            refuse_inputs(output, inputs)  # said now, not after the class is graded
    # The collector stays paused from loading the bank to the report's last line: each pause that
    # ended would have it walk every object made meanwhile (answers, marks, rows), for nothing.
    with paused_collector():
        bank = load_bank(bank_path)
        if not bank.questions:
            raise UsageError(f"{bank.name}: the bank has no questions")
        graded: list[tuple[str, str, Results]] = []
        failed = 0
        cell_problems = 0
        questions = None
        if key_path is not None:
            from quizdeck.errors import capped
            from quizdeck.grid import read_grid, read_key

            key = read_key(key_path, bank)
            questions = key.questions
            for path in sheets:
                try:
                    students, problems = read_grid(path, bank, key)
                except SheetError as failure:
                    failed += 1
                    error(str(failure))
                    continue
                for problem in capped(problems, str(path)):
                    error(str(problem))
                cell_problems += len(problems)
                for student in students:
                    graded.append((student.name, f"{path}:{student.row}",
                                   results(bank, student.answers, quiz_length=len(questions))))
        else:
            # Every question, in bank order: a sheet is graded against the whole bank.
            for path in sheets:
                try:
                    sheet = load_sheet(path, bank)
                    graded.append((sheet.name, str(path), grade_questions(bank, bank.questions, sheet.responses,
                                                                          seed=0)))
                except SheetError as failure:
                    failed += 1
                    error(str(failure))
        # Students are their file names; two sheets with one name (class-a/ali.toml, class-b/ali.toml)
        # are told apart by their paths.
        counts: dict[str, int] = {}
        for name, _, _ in graded:
            counts[name] = counts.get(name, 0) + 1
        report = analyse(
            bank,
            [(path if counts[name] > 1 else name, r) for name, path, r in graded],
            questions=questions,
            options=key_path is None,
        )

        out = console(stderr=bool(outputs))
        mode = display_mode(rtl_mode, out)
        if graded:
            show_report(out, report, mode)
        if failed:
            what = "grids" if key_path is not None else "sheets"
            out.print(
                f"{failed} of {len(sheets)} {what} had problems and were not graded (see above)",
                style="yellow",
                markup=False,
            )
        if cell_problems:
            out.print(
                f"{cell_problems} cell{'s' if cell_problems != 1 else ''} could not be read and counted wrong "
                "(see above)",
                style="yellow",
                markup=False,
            )
        if json_path is not None:
            from quizdeck.commands.take import write_json

            write_json(json_path, report.to_dict(), inputs)
        if csv_path is not None:
            write_csv(csv_path, report, inputs)
        if report_path is not None:
            from quizdeck.files import write_text
            from quizdeck.report import render_report

            write_text(report_path, render_report(report), inputs=inputs)
        if failed or cell_problems:
            raise typer.Exit(1)


def show_report(out: Console, report: ClassReport, mode: Mode = "logical") -> None:
    """The students' table, the item analysis table, then the wrong choices each question drew
    (the bank's texts in display `mode`)."""
    import re

    from rich.table import Table
    from rich.text import Text

    from quizdeck import rtl

    direction = report.bank.direction
    visual = mode == "visual"

    def shown(text: str) -> str:
        # One short piece of the bank's text, on one line: reshaped and reordered in visual mode.
        if not visual and text.isascii() and text.isprintable() and len(text) <= 10_000:
            return text.strip()  # what display_text makes of it: no control to escape, nothing to wrap
        return rtl.display_text(text, direction, mode, 10_000).strip()

    flags_shown: dict[str, str] = {}  # the same flags come back question after question
    quoted = re.compile(r'"(.*)"')

    def shown_flag(flag: str) -> str:
        # Flags are English; only the quoted choice in them is the bank's text. In visual mode a
        # table cell would wrap the reordered text and put its lines in reverse reading order,
        # so the choice is named only in the list below the table.
        if flag not in flags_shown:
            if visual and rtl.has_rtl(flag):
                flags_shown[flag] = re.sub(r' "(.*)"', "", flag)
            elif "\n" not in flag and (start := flag.find('"')) < (end := flag.rfind('"')):
                # What the substitution below does when no line break stops its `.*`: the text from
                # the first quote to the last.
                flags_shown[flag] = f'{flag[:start]}"{shown(flag[start + 1:end])}{flag[end:]}'
            else:
                flags_shown[flag] = quoted.sub(lambda m: f'"{shown(m.group(1))}"', flag)
        return flags_shown[flag]

    flag_cells: dict[tuple[str, ...], str] = {(): ""}  # a question's flags as its cell shows them

    def flag_cell(flags: tuple[str, ...]) -> str:
        flag_cells[flags] = "; ".join([shown_flag(flag) for flag in flags])
        return flag_cells[flags]

    count = len(report.students)
    students = Table(
        title=Text(f"{shown(report.bank.title)}: {count} student{'' if count == 1 else 's'}"), title_justify="left"
    )
    students.add_column("student")
    students.add_column("score", justify="right")
    students.add_column("%", justify="right")
    for s in report.ranked:
        students.add_row(Text(s.name), f"{_num(s.score)} / {s.total}", f"{s.percent:g}")
    out.print(students)
    out.print(class_line(report), markup=False)

    # Light rules and no frame, and the wrong choices (long texts) listed below it: the table
    # must fit an 80-column terminal without cutting a question's id. Laid out here rather than
    # by rich's Table, which takes about a millisecond a row: a bank of 10,000 questions would
    # spend seconds drawing it.
    # Made column by column: a bank of 10,000 questions has 10,000 rows, and a comprehension per
    # column costs a fraction of a loop assembling each row's cells.
    items = report.items
    flags = [item.flags for item in items]
    columns = [
        [item.id for item in items],
        [item.type for item in items],
        [f"{item.answered}/{item.students}" for item in items],
        [f"{item.facility:.2f}" for item in items],
        ["-" if item.discrimination is None else f"{item.discrimination:+.2f}" for item in items],
        ["-" if item.discrimination_index is None else f"{100 * item.discrimination_index:+.0f}" for item in items],
        ["-" if item.discriminative_efficiency is None else f"{100 * item.discriminative_efficiency:+.0f}"
         for item in items],
        [flag_cells[f] if f in flag_cells else flag_cell(f) for f in flags],
    ]
    styles = ["red" if f and f != ("everybody right",) else None for f in flags]
    out.print("item analysis", markup=False)
    table_lines = item_table(columns, styles, out.width)
    if out.is_terminal:
        # One print for the whole table: rich's per-call overhead would be most of the time.
        table = Text()
        for text, style in table_lines:
            table.append(text + "\n", style=style or "")
        table.rstrip()
        out.print(table, soft_wrap=True)
    else:
        # Into a file or a pipe there is no colour to give: plain lines, through the same escaping.
        _plain(out, "\n".join([text for text, _ in table_lines]))
    if report.group_size:
        out.print(
            f"D: mean points of the top {report.group_size} minus the bottom "
            f"{report.group_size} students by score",
            style="dim",
            markup=False,
        )
    else:
        out.print("D needs at least 3 students", style="dim", markup=False)
    out.print(
        "DI: discrimination index, DE: discriminative efficiency (%, Moodle's)",
        style="dim",
        markup=False,
    )

    # With one student, a choice nobody picked says nothing about the choice (it is every choice the
    # student did not pick): only the wrong choices the student picked are listed.
    alone = len(report.students) == 1
    picked = [(item.id, wrong) for item in report.items
              if item.options and (wrong := tuple(o for o in item.options if not o.right and (o.picks or not alone)))]
    if not picked:
        return
    out.print("")
    out.print("wrong choices the student picked" if alone else "wrong choices: how many students picked each",
              style="bold", markup=False)
    width = max(20, out.width - 4)
    lines = []
    for item_id, wrong in picked:
        lines.append(f"  {item_id}")
        for option in wrong:
            # Wrapped in logical order first, then each line reordered: lines read top to bottom.
            text = f"{option.picks} × {option.text}"
            if len(text) <= width and text.isprintable() and (option.text.isascii() or not rtl.has_rtl(text)):
                lines.append(f"    {text}")  # one short left-to-right line: nothing to wrap or reorder
                continue
            for line in rtl.display_lines(text, width, direction, mode):
                lines.append(line if visual and direction == "rtl" else f"    {line}")
    if out.is_terminal:
        out.print("\n".join(lines), markup=False, soft_wrap=True)
    else:
        _plain(out, "\n".join(lines))


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _plain(out: Console, text: str) -> None:
    """Plain lines into the console's own file, controls made visible as the terminal writer does."""
    from quizdeck.commands._output import plain

    plain(out, text)


ITEM_COLUMNS = ("question", "type", "answered", "facility", "D", "DI", "DE", "flags")
_RIGHT = {"answered", "facility", "D", "DI", "DE"}


def item_table(columns: list[list[str]], styles: list[str | None], width: int) -> list[tuple[str, str | None]]:
    """The item analysis as (text, style): a header, a rule, then one per question, whose text
    is a line or more (joined by newlines).

    `columns` are the cells of each of ITEM_COLUMNS, one per question, and `styles` each
    question's style. Columns are as wide as their widest cell, two spaces apart; the flags take
    what is left of `width` (at least 15 columns) and wrap on spaces; a question id wider than the
    room left for it is folded onto more lines, never cut.
    """
    from itertools import repeat

    from rich.cells import cell_len

    def width_of(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)

    def widest(column: list[str]) -> int:
        if "".join(column).isascii():
            return max(map(len, column))
        return max(map(width_of, column))

    widths = [widest([name, *column]) for name, column in zip(ITEM_COLUMNS, columns, strict=True)]
    middle = sum(widths[1:-1]) + 2 * (len(ITEM_COLUMNS) - 1)
    widths[0] = max(min(widths[0], width - middle - 15), min(15, widths[0]), 1)
    widths[-1] = max(min(widths[-1], width - middle - widths[0]), 15)

    # The common row, all ASCII but its flags: one printf-style format (cheaper than str.format),
    # each cell padded as below.
    one_line = "  ".join(f"%{'' if name in _RIGHT else '-'}{room}s"
                         for name, room in zip(ITEM_COLUMNS[:-1], widths, strict=False))
    one_line += "  %s"

    wrapped: dict[str, list[str]] = {}  # the same flags come back question after question

    def lay(cells: Sequence[str]) -> list[str]:
        first, flags = cells[0], cells[-1]
        if len(first) <= widths[0] and width_of(flags) <= widths[-1] and "".join(cells[:-1]).isascii():
            return [(one_line % tuple(cells)).rstrip()]
        if width_of(first) <= widths[0] and width_of(flags) <= widths[-1]:
            # One line: the common case, kept cheap for banks of thousands of questions.
            parts = [first + " " * (widths[0] - width_of(first))]
            for name, text, room in zip(ITEM_COLUMNS[1:-1], cells[1:-1], widths[1:-1], strict=True):
                pad = " " * (room - width_of(text))
                parts.append(pad + text if name in _RIGHT else text + pad)
            parts.append(flags)
            return ["  ".join(parts).rstrip()]
        columns = [[first[i:i + widths[0]] for i in range(0, len(first), widths[0])] or [""]]
        columns += [[cell] for cell in cells[1:-1]]
        if flags not in wrapped:
            wrapped[flags] = wrap_flags(flags, widths[-1]) or [""]
        columns.append(wrapped[flags])
        lines = []
        for n in range(max(len(c) for c in columns)):
            texts = tuple(column[n] if n < len(column) else "" for column in columns)
            if "".join(texts[:-1]).isascii():
                lines.append((one_line % texts).rstrip())
                continue
            parts = []
            for name, column, room in zip(ITEM_COLUMNS, columns, widths, strict=True):
                text = column[n] if n < len(column) else ""
                pad = " " * max(0, room - width_of(text))
                parts.append(pad + text if name in _RIGHT else text + pad)
            lines.append("  ".join(parts).rstrip())
        return lines

    header = "\n".join(lay(ITEM_COLUMNS))
    rule = "─" * min(width, sum(widths) + 2 * (len(widths) - 1))

    # The rows are laid out by maps over whole columns, which run without a Python step per row (a
    # bank of 10,000 questions has 10,000 rows): each cell padded to its column, then each row's
    # cells joined, as `lay` does for an ASCII row whose id fits. Flags too long for their column
    # put their first line in the row and the rest below it, wrapped once wherever they recur.
    ids, flag_column = columns[0], columns[-1]
    first_room, flags_room = widths[0], widths[-1]
    blank = ("",) * (len(ITEM_COLUMNS) - 1)
    heads: dict[str, str] = {}
    tails: dict[str, str] = {}
    for flags in set(flag_column):
        head, *rest = (wrap_flags(flags, flags_room) or [""]) if len(flags) > flags_room else [flags]
        heads[flags] = head
        tails[flags] = "".join("\n" + (one_line % (*blank, part)).rstrip() for part in rest)
    padded = [list(map(str.rjust if name in _RIGHT else str.ljust, column, repeat(room)))
              for name, column, room in zip(ITEM_COLUMNS[:-1], columns[:-1], widths[:-1], strict=True)]
    rows = list(map(str.rstrip, map("  ".join, zip(*padded, map(heads.__getitem__, flag_column), strict=True))))
    rows = list(map(str.__add__, rows, map(tails.__getitem__, flag_column)))
    # A row with text that is not ASCII (its width is not its length) or with an id to fold: `lay`.
    if not ("".join(ids).isascii() and "".join(flag_column).isascii() and max(map(len, ids), default=0) <= first_room):
        for n, cells in enumerate(zip(*columns, strict=True)):
            if len(cells[0]) > first_room or not "".join(cells).isascii():
                rows[n] = "\n".join(lay(cells))
    return [(header, None), (rule, None), *zip(rows, styles, strict=True)]


def wrap_flags(text: str, width: int) -> list[str]:
    """`textwrap.wrap(text, width)`, without its cost in the common case.

    Most flags are ASCII words one space apart, without a hyphen, none wider than `width`:
    textwrap then fills each line greedily with whole words, which is done here directly (a
    bank of 10,000 questions can have a thousand different flags, each naming its own choice).
    Any other text goes to textwrap.
    """
    import textwrap

    words = text.split(" ")
    if not text or "-" in text or not text.isascii() or " ".join(text.split()) != text or max(map(len, words)) > width:
        return textwrap.wrap(text, width)
    lines = []
    line = words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:+.0f}"


def class_line(report: ClassReport) -> str:
    """The class's figures in one line: mean, median, sd, KR-20 and SEM."""
    stats = report.stats

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}%"

    kr20 = "-" if stats.kr20 is None else f"{stats.kr20:.2f}"
    return (f"class: mean {pct(stats.mean)}, median {pct(stats.median)}, sd {pct(stats.sd)}, "
            f"KR-20 {kr20}, SEM {pct(stats.sem)}")


def write_csv(path: str, report: ClassReport, inputs: Sequence[Path] = ()) -> None:
    """A gradebook: student, score, total, percent, then the points of each question by id.

    Cells go through the one CSV cell writer (a student's file name is never run as a formula);
    the file is never written over the bank or a sheet."""
    from quizdeck.cells import csv_text
    from quizdeck.files import write_text

    ids = [item.id for item in report.items]
    rows: list[list[object]] = [["student", "score", "total", "percent", *ids]]
    rows += [[s.name, _num(s.score), s.total, f"{s.percent:g}", *(_num(s.points[i]) for i in ids)]
             for s in report.students]
    write_text(path, csv_text(rows, line_end="\n"), inputs=inputs)
