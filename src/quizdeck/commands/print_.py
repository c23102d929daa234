"""`quizdeck print`: exam papers, in versions A, B, ..., with answer keys, as HTML or Markdown."""

from __future__ import annotations

import enum
from pathlib import Path

import typer

from quizdeck.commands._output import MAX_COUNT, echo, reports_errors


class ExamFormat(str, enum.Enum):
    """What `print` writes."""

    html = "html"
    md = "md"


class Paper(str, enum.Enum):
    """The paper size HTML is laid out for."""

    a4 = "a4"
    letter = "letter"


@reports_errors
def print_exam(
    bank_path: Path = typer.Argument(..., metavar="BANK", help="The bank file.", show_default=False),
    output_format: ExamFormat | None = typer.Option(
        None, "--format", "-f", help="html or md (default: from the -o file's suffix, else html).",
        show_default=False,
    ),
    versions: int = typer.Option(1, "--versions", "-n", min=1, max=26, help="How many versions (A, B, ...)."),
    seed: int = typer.Option(0, "--seed", help="Shuffle seed: the same seed prints the same papers."),
    tag: str | None = typer.Option(None, "--tag", help="Only questions with this tag."),
    limit: int | None = typer.Option(
        None, "--limit", min=1, max=MAX_COUNT,
        help="At most this many questions, chosen by the seed (the same in every version).",
    ),
    paper: Paper = typer.Option(Paper.a4, "--paper", help="Paper size for HTML."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    key: Path | None = typer.Option(
        None, "--key", help="Write the answer keys to this file (default with -o: EXAM-key.html beside it).",
    ),
    no_key: bool = typer.Option(False, "--no-key", help="Leave the answer keys out."),
) -> None:
    """Print exam papers with answer keys, in shuffled versions A, B, ...

    Every version asks the same questions in its own order, with choices,
    items and match columns shuffled too; the same --seed prints the same
    papers. With -o exam.html the papers go to exam.html and the keys to a
    file of their own, exam-key.html (or --key FILE), so the papers can be
    shared without the answers; exam-key.csv beside it is the key for
    `grade --key` (version,number,id,answer: each answer as a student writes
    it on that paper). Without -o the keys follow the papers on standard
    output. The HTML is self-contained and print-ready: open it in a
    browser and print, or save it as PDF. Arabic and other right-to-left
    banks print right to left.

    Example: quizdeck print quiz.toml --versions 2 --seed 7 -o exam.html
    """
    from quizdeck.bank import load_bank
    from quizdeck.errors import UsageError
    from quizdeck.exam import build_exam, image_prefix_for, read_images, render_html, render_markdown

    if key is not None and no_key:
        raise UsageError("--key and --no-key cannot be used together")
    _refuse_the_bank(bank_path, output, key)
    if output is not None and key is not None and output.resolve() == key.resolve():
        raise UsageError(f"{key}: -o and --key name the same file; give the key its own file")
    if output_format is None:
        suffix = output.suffix.lower() if output is not None else ""
        if output is not None and suffix == ".pdf":
            # HTML in a file named .pdf opens in no PDF reader: say how to get the PDF.
            raise UsageError(f"{output}: print writes HTML or Markdown, not PDF; write {output.with_suffix('.html')}, "
                             "open it in a browser and print it (or save it as PDF)")
        if suffix not in ("", ".html", ".htm", ".md", ".markdown"):
            raise UsageError(f"{output}: cannot tell the format from the suffix \"{suffix}\"; end the name in "
                             ".html or .md, or give --format html|md")
        output_format = ExamFormat.md if suffix in (".md", ".markdown") else ExamFormat.html
    if key is None and output is not None and not no_key:
        key = output.with_name(f"{output.stem}-key{output.suffix or '.' + output_format.value}")
    key_csv = key.with_suffix(".csv") if key is not None else None
    _refuse_the_bank(bank_path, key, key_csv)
    if output is not None and key is not None and output.resolve() == key.resolve():
        raise UsageError(f"{key}: -o and --key name the same file; give the key its own file")
    if key_csv is not None and key_csv.resolve() in {t.resolve() for t in (output, key) if t is not None}:
        raise UsageError(f"{key}: the key's CSV would be written over {key_csv}; name the key .html or .md")

    bank = load_bank(bank_path)
    exam = build_exam(bank, versions=versions, seed=seed, tag=tag, limit=limit)
    keys_inline = key is None and not no_key

    def render(papers: bool, keys: bool, written_to: Path | None) -> str:
        if output_format is ExamFormat.md:
            folder = written_to.parent if written_to is not None else Path.cwd()
            return render_markdown(exam, image_prefix=image_prefix_for(bank.folder, folder),
                                   papers=papers, keys=keys)
        return render_html(exam, paper=paper.value, images=read_images(exam), papers=papers, keys=keys)

    inputs = [bank_path, *(bank.folder / q.image for q in bank.questions if q.image)]
    _write(render(True, keys_inline, output), output, inputs)
    if key is not None and key_csv is not None:
        from quizdeck.cells import csv_text
        from quizdeck.exam import KEY_CSV_HEADER, key_rows

        _write(render(False, True, key), key, inputs)
        _write(csv_text([KEY_CSV_HEADER, *key_rows(exam)], line_end="\n"), key_csv, inputs)
    if output is not None:
        count = len(exam.versions[0].questions)
        where = ", no answer keys"
        if key is not None:
            where = f", answer keys in {key} and {key_csv}"
        echo(f"{output}: {len(exam.versions)} version{'s' if len(exam.versions) != 1 else ''} "
             f"of {count} question{'s' if count != 1 else ''}{where}")
    elif key is not None:
        echo(f"answer keys in {key} and {key_csv}", err=True)


def _refuse_the_bank(bank_path: Path, *targets: Path | None) -> None:
    from quizdeck.files import refuse_inputs

    for target in targets:
        if target is not None:
            refuse_inputs(target, [bank_path], what="the bank itself")


def _write(text: str, target: Path | None, inputs: list[Path]) -> None:
    """Write to a file (UTF-8, \\n line ends on every platform, never over an input), or to stdout."""
    from quizdeck.files import write_text

    write_text("-" if target is None else target, text, inputs=inputs)
