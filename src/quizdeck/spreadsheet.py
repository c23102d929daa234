"""CSV and TSV, both ways: flashcard lists and spreadsheets of questions.

Two forms are read:

- a two-column term/definition list, as Quizlet and Anki export it (each row a flashcard; Anki's
  `#separator:`, `#html:`, `#tags column:`... header lines are honoured, and a cloze note stays
  a cloze);
- a spreadsheet whose first row names its columns (`id, type, prompt, answer, choices, ...`),
  which can hold every question type. Lists inside a cell are separated by `|`, a pair is
  `left=right`; `\\|`, `\\=` and `\\\\` are a literal `|`, `=` and backslash.

Files are UTF-8 with or without a byte order mark, or UTF-16 (Excel's "Unicode text"); the
delimiter (tab, `;` or `,`) is detected. A row that cannot be a question is reported by its row
number as a spreadsheet shows it, and the other rows are imported. `write_csv` writes the
spreadsheet form, which reads back to the same questions. docs/interchange.md has the details.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from quizdeck.bank import Bank
from quizdeck.cells import csv_text, read_cell
from quizdeck.convert import (
    PICTURE_PROMPT,
    BankBudget,
    IdRequest,
    Imported,
    ImportResult,
    assign_ids,
    format_number,
    html_to_text,
    problem_order,
    quoted,
    take_images,
    validate,
)
from quizdeck.errors import Problem, QuizdeckError
from quizdeck.questions import (
    CLOZE_PATTERN,
    QUESTION_TYPES,
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
    cloze_display,
)

#: The columns of the spreadsheet form, in the order `write_csv` writes them.
COLUMNS: tuple[str, ...] = ("id", "type", "prompt", "answer", "choices", "accept", "tolerance", "unit", "text",
                            "items", "pairs", "explanation", "hint", "tags", "source")
#: Columns written only when some question uses them.
OPTIONAL_COLUMNS: tuple[str, ...] = ("reverse", "image", "fuzzy")
#: Other names a header may use for a column.
ALIASES = {"back": "answer", "answers": "answer", "question": "prompt", "front": "prompt", "tag": "tags",
           "feedback": "explanation", "options": "choices"}
KNOWN_COLUMNS = frozenset(COLUMNS + OPTIONAL_COLUMNS) | frozenset(ALIASES)
#: Header rows of a two-column list, which are skipped.
TWO_COLUMN_HEADERS = frozenset({("front", "back"), ("term", "definition"), ("question", "answer"),
                                ("word", "definition"), ("word", "meaning"), ("prompt", "answer")})

_ANKI_HEADER = re.compile(r"#(separator|html|tags column|deck column|notetype column|guid column|columns|deck|"
                          r"notetype|tags|if matches):([^\r\n]*)\r?$", re.IGNORECASE)
_ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
#: Text a browser would read as markup: a tag, a comment or an entity.
_MARKUP = re.compile(r"<[A-Za-z/!][^<>]*>|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+\d*);")
# A cell that starts with a quote: the file quotes its cells, so its delimiters are never part of a cell.
_QUOTED_CELL = re.compile(r'(?:^|[,;\t])"', re.MULTILINE)
_TRUE = frozenset({"true", "t", "yes", "y", "1", "صح", "صحيح", "نعم"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "خطأ", "خاطئ", "لا"})


# --- reading -------------------------------------------------------------------------------


def decode_text(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM) or UTF-16 (with BOM, or detected); else a QuizdeckError."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", name)
    elif len(data) >= 4 and b"\x00" in data[:200]:
        # UTF-16 without a BOM: every other byte of Latin text is NUL.
        head = data[:200]
        if head[1::2].count(0) > len(head) // 4:
            return _decode(data, "utf-16-le", name)
        if head[0::2].count(0) > len(head) // 4:
            return _decode(data, "utf-16-be", name)
    if b"\x00" in data:
        raise QuizdeckError(f"{name}: binary data (a NUL byte), not a text file")
    return _decode(data, "utf-8", name)


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        how = "" if name.lower().endswith(".gift") else \
            ' (in Excel: "CSV UTF-8"; in LibreOffice: character set "Unicode (UTF-8)")'
        raise QuizdeckError(f"{name}:{line}: not {encoding.upper()} text (byte 0x{data[error.start]:02x}); "
                            f"save the file as UTF-8{how}") from None


#: How much of a file's start decides its delimiter: csv.Sniffer's expressions take quadratic time
#: on some lines (`,"a,"a,"a...`), so it only ever sees this many characters.
SNIFF_CHARACTERS = 4096


def detect_delimiter(text: str) -> str:
    """Tab, ';', ',' or '|': a header naming known columns decides; '|' when only it splits the first
    records alike (Anki reads '|'-separated lists, common in shared decks); else csv.Sniffer; else counting."""
    lines = [line for line in text[:SNIFF_CHARACTERS * 16].splitlines() if line.strip()][:20]
    if not lines:
        return ","
    _allow_fields(len(lines[0]))
    for delimiter in "\t;,":
        cells = next(csv.reader([lines[0]], delimiter=delimiter))
        if sum(_column_name(c) in KNOWN_COLUMNS for c in cells) >= 2:
            return delimiter
    if "|" in lines[0]:
        sample = text[:SNIFF_CHARACTERS * 16]
        whole = len(sample) == len(text)
        pipe = _records_alike(sample, "|", whole)
        if pipe and all(_records_alike(sample, other, whole) < pipe for other in "\t;,"):
            return "|"
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines)[:SNIFF_CHARACTERS], delimiters="\t;,").delimiter
        if sniffed in lines[0]:
            return sniffed
    except csv.Error:
        pass
    # The delimiter a spreadsheet user means is the one on (nearly) every line; prefer tab, then ';'.
    best, best_lines = ",", 0
    for delimiter in "\t;,":
        present = sum(1 for line in lines if delimiter in _outside_quotes(line))
        if present > best_lines:
            best, best_lines = delimiter, present
    return best


def _records_alike(sample: str, delimiter: str, whole: bool) -> int:
    """How many of a sample's first records (read as CSV: a quoted cell may hold line breaks) have the
    same number of cells, two or more; 0 when they do not agree."""
    records = [r for r in itertools.islice(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), 21)
               if any(c.strip() for c in r)]
    if not whole:
        records = records[:-1]  # the last may be cut by the sample's end
    counts = Counter(len(r) for r in records)
    if not counts:
        return 0
    width, alike = counts.most_common(1)[0]
    return alike if width >= 2 and alike * 10 >= len(records) * 9 else 0


def _allow_fields(size: int) -> None:
    """Let the csv module read cells of `size` characters (it refuses cells over 128 KB by default)."""
    if size >= csv.field_size_limit():
        csv.field_size_limit(size + 1)


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def _column_name(cell: str) -> str:
    return re.sub(r"[\s_]+", "_", cell.strip().lower())


def _characters(cell: str) -> Iterator[tuple[str, bool]]:
    """A cell's characters, each with whether a backslash escaped it (only `\\`, `|` and `=` can be)."""
    chars = iter(cell)
    for char in chars:
        if char != "\\":
            yield char, False
            continue
        following = next(chars, None)
        if following is not None and following in "\\|=":
            yield following, True
        else:
            yield "\\", True
            if following is not None:
                yield following, False


def split_list(cell: str) -> list[str]:
    """Items of a cell: `a|b|c`, with `\\|`, `\\=` and `\\\\` as literal characters; empty items dropped."""
    items: list[list[str]] = [[]]
    for char, escaped in _characters(cell):
        if char == "|" and not escaped:
            items.append([])
        else:
            items[-1].append(char)
    return [text for text in ("".join(item).strip() for item in items) if text]


def split_pairs(cell: str) -> list[tuple[str, str | None]]:
    """Pairs of a cell: `left=right|left=right` (the first unescaped '=' splits); None where '=' is missing."""
    items: list[list[list[str]]] = [[[]]]
    for char, escaped in _characters(cell):
        if char == "|" and not escaped:
            items.append([[]])
        elif char == "=" and not escaped and len(items[-1]) == 1:
            items[-1].append([])
        else:
            items[-1][-1].append(char)
    pairs: list[tuple[str, str | None]] = []
    for item in items:
        parts = ["".join(part).strip() for part in item]
        if any(parts):
            pairs.append((parts[0], parts[1] if len(parts) > 1 else None))
    return pairs


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class _RowError(Exception):
    """A row that cannot be a question; `column` is where."""

    def __init__(self, message: str, column: str = "") -> None:
        super().__init__(message)
        self.column = column


class _Reader:
    def __init__(self, name: str) -> None:
        self.result = ImportResult(name=name, format="CSV")
        self.anki: dict[str, str] = {}
        self.requests: list[IdRequest] = []
        self.extra: dict[int, tuple[int, int, str]] = {}
        self.markup_rows: list[int] = []  # column -> (first row, rows, name) of ignored cells

    def problem(self, row: int, message: str, column: str = "", warning: bool = False) -> None:
        where = f"row {row}" + (f", column {quoted(column)}" if column else "")
        self.result.problems.append(Problem(self.result.name, message if warning else f"skipped: {message}",
                                            where=where, severity="warning" if warning else "error"))

    def read(self, text: str, delimiter: str | None) -> ImportResult:
        skipped, position = 0, 0
        while position < len(text):  # Anki's header lines, read one by one: the file may have a million rows
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            header = _ANKI_HEADER.match(text, position, end)
            if not header:
                break
            self.anki[header.group(1).lower()] = header.group(2).strip()
            skipped, position = skipped + 1, end + 1
        body = text[position:] if position else text
        separator = self.anki.get("separator")
        if separator:
            delimiter = _ANKI_SEPARATORS.get(separator.lower(), separator[:1])
        delimiter = delimiter or detect_delimiter(body)
        self.result.format = "Anki text" if self.anki else ("TSV" if delimiter == "\t" else "CSV")
        _allow_fields(len(body))
        numbered: list[tuple[int, list[str]]] = []
        # Lines as io.StringIO(newline="") gives them, without its copy of the text (four bytes a character).
        reader = csv.reader((line.group() for line in _LINE.finditer(body)), delimiter=delimiter)
        budget = BankBudget(self.result.name)
        try:
            for number, row in enumerate(reader, skipped + 1):
                if any(cell.strip() for cell in row):
                    budget.add(budget.row_cost(row), f"row {number:,}")
                    numbered.append((number, [cell.replace("\r\n", "\n") if "\r" in cell else cell for cell in row]))
        except csv.Error as error:
            raise QuizdeckError(f"{self.result.name}:{skipped + reader.line_num}: cannot be read as CSV: {error}") \
                from None
        if not numbered:
            return self.result
        first_row, first = numbered[0]
        names = [ALIASES.get(_column_name(c), _column_name(c)) for c in first]
        if not self.anki and sum(n in KNOWN_COLUMNS for n in names) >= 2 and ("prompt" in names or "text" in names):
            self.spreadsheet(first_row, names, numbered[1:])
        else:
            list_header: list[str] = []
            raw_names = [_column_name(c) for c in first]
            if tuple(raw_names[:2]) in TWO_COLUMN_HEADERS or (not self.anki and "tags" in names[2:]):
                list_header, numbered = names, numbered[1:]  # `arabic,english,tags`: a named tags column
            elif self.anki.get("columns"):
                # Anki's `#columns:Front,Back,Tags` names the columns as a header row would.
                labels = next(csv.reader([self.anki["columns"]], delimiter=delimiter), [])
                list_header = [ALIASES.get(_column_name(c), _column_name(c)) for c in labels]
            # Quizlet does not quote: a definition's own commas split it. A file that quotes its
            # cells, names its columns or comes from Anki keeps its columns.
            rejoin = delimiter == "," and not self.anki and not list_header and not _QUOTED_CELL.search(body)
            self.two_columns(numbered, delimiter, list_header, rejoin)
        ids = assign_ids(self.requests)
        for item, qid, request in zip(self.result.items, ids, self.requests, strict=True):
            item.table["id"] = qid
            wanted = request.wanted
            if wanted and qid != wanted:
                why = "is used by an earlier row" if qid.startswith(wanted) else "is not kebab-case"
                self.problem(int(item.where.split()[1]), f"id {quoted(wanted)} {why}; imported as {quoted(qid)}",
                             column="id", warning=True)
        if self.markup_rows:
            count = len(self.markup_rows)
            rows = f"{count} rows hold" if count != 1 else "1 row holds"
            self.problem(self.markup_rows[0], f"{rows} HTML markup (like <b> or <br>), read as HTML as Anki's import "
                                              "reads it", warning=True)
        if self.extra:
            columns = sorted(self.extra)
            first_row = min(row for row, _, _ in self.extra.values())
            most = max(count for _, count, _ in self.extra.values())
            named = [f"column {c + 1}" + (f" ({quoted(self.extra[c][2])})" if self.extra[c][2] else "")
                     for c in columns[:3]]
            more = len(columns) - 3
            label = ", ".join(named) + (f" and {more:,} more column{'s' if more != 1 else ''}" if more > 0 else "")
            # An Anki text file has no header row (Anki would import it as a note): its header lines name columns.
            how = (f"add the line \"#tags column:{columns[0] + 1}\" above the notes, as Anki's export writes it"
                   if self.anki else "name a column \"tags\" in a header row, or use the spreadsheet form's columns")
            self.problem(first_row, f"{label} ignored in {most} row{'s' if most != 1 else ''}: a list has a term, "
                                    f"a definition and tags ({how}, see docs/interchange.md)", warning=True)
        return self.result

    def add(self, table: dict[str, Any], number: int, columns: dict[str, str], wanted: str = "") -> None:
        table = {"id": "", **table}  # the id is set once every row is read: it depends on the others
        self.requests.append(IdRequest(wanted, _words(table), table))
        self.result.items.append(Imported(table, where=f"row {number}", columns=columns))

    # Two-column lists (Quizlet, Anki) ------------------------------------------------------

    def two_columns(self, rows: list[tuple[int, list[str]]], delimiter: str, header: list[str],
                    rejoin: bool) -> None:
        special = {}
        for key in ("guid column", "notetype column", "deck column", "tags column"):
            value = self.anki.get(key, "")
            if value.isdigit():
                special[key] = int(value) - 1
        if "tags" in header[2:] and "tags column" not in special:
            special["tags column"] = header.index("tags", 2)
        html = self.anki.get("html", "").lower() == "true"
        ignored = set(special.values())
        for number, row in rows:
            positions = [n for n in range(len(row)) if n not in ignored]
            fields = [row[n] for n in positions]
            if len(fields) > 2 and rejoin:
                fields, positions = [fields[0], ",".join(fields[1:])], positions[:2]
            images: list[str] = []
            if html and fields:
                fields[0], images = take_images(fields[0])
            if html:
                fields = [html_to_text(f)[0] for f in fields]
            else:
                # A list made for Anki holds HTML (`<b>`, `<br>`, `&amp;`), which Anki's import reads as HTML.
                marked = [bool(_MARKUP.search(f)) for f in fields]
                if any(marked):
                    self.markup_rows.append(number)
                fields = [html_to_text(f)[0] if m else f.strip() for f, m in zip(fields, marked, strict=True)]
            for position, cell in zip(positions[2:], fields[2:], strict=False):
                if cell:
                    first, count, _ = self.extra.get(position, (number, 0, ""))
                    name = header[position] if position < len(header) else ""
                    self.extra[position] = (first, count + 1, name)
            front = fields[0] if fields else ""
            back = fields[1] if len(fields) > 1 else ""
            notetype = row[special["notetype column"]] if "notetype column" in special and \
                special["notetype column"] < len(row) else self.anki.get("notetype", "")
            table: dict[str, Any]
            if CLOZE_PATTERN.search(front):
                table = {"type": "cloze", "text": front}
                if back:
                    table["explanation"] = back
            else:
                if not front and images and fields[1:2] != [""]:
                    front = PICTURE_PROMPT
                    self.problem(number, f"the front is only an image: its prompt is {quoted(PICTURE_PROMPT)}",
                                 warning=True)
                if not front:
                    self.problem(number, "the term (column 1) is empty")
                    continue
                if not back:
                    self.problem(number, "the definition (column 2) is empty; write term and definition "
                                         f"separated by {_delimiter_name(delimiter)}")
                    continue
                table = {"type": "card", "prompt": front, "back": back}
                if "reverse" in notetype.lower():
                    table["reverse"] = True
            if images:
                # The image is brought beside the bank by the import, from beside the file.
                table["image"] = images[0]
                for other in images[1:]:
                    self.problem(number, f"image {quoted(other)} dropped: a question has one image", warning=True)
            tags_at = special.get("tags column")
            tags = row[tags_at].split() if tags_at is not None and tags_at < len(row) else \
                self.anki.get("tags", "").split()
            if tags:
                table["tags"] = list(dict.fromkeys(tags))
            self.add(table, number, _TWO_COLUMNS)

    # Spreadsheets with a header row --------------------------------------------------------

    def spreadsheet(self, header_row: int, names: list[str], rows: list[tuple[int, list[str]]]) -> None:
        for position, name in enumerate(names):
            if not name:
                # Spreadsheets often save empty columns at the right; only say so when one holds something.
                if any(position < len(row) and row[position].strip() for _, row in rows):
                    self.problem(header_row, f"cells under column {position + 1}, which has no name, ignored",
                                 warning=True)
            elif name not in KNOWN_COLUMNS:
                self.problem(header_row, f"unknown column {quoted(name)} ignored; known columns are "
                                         f"{', '.join(COLUMNS + OPTIONAL_COLUMNS)}", column=name, warning=True)
            elif name in names[:position]:
                self.problem(header_row, f"column {quoted(name)} appears twice; the first is used",
                             column=name, warning=True)
        for number, row in rows:
            cells: dict[str, str] = {}
            for name, cell in zip(names, row, strict=False):
                if name in KNOWN_COLUMNS and name not in cells:
                    cells[name] = _unguard(cell.replace("\r\n", "\n").strip())
            if len(row) > len(names) and any(c.strip() for c in row[len(names):]):
                self.problem(number, f"{len(row) - len(names)} cell(s) beyond the last named column ignored",
                             warning=True)
            try:
                table, columns = _question_table(cells)
            except _RowError as error:
                self.problem(number, str(error), column=error.column)
                continue
            self.add(table, number, columns, cells.get("id", ""))


def _question_table(cells: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """A bank table from a spreadsheet row's cells (column -> text), and the column each key came from."""
    qtype = cells.get("type", "").lower()
    if not qtype:
        qtype = _infer_type(cells)
    if qtype not in QUESTION_TYPES:
        import difflib

        close = difflib.get_close_matches(qtype, QUESTION_TYPES, n=1)
        hint = f"did you mean {quoted(close[0])}?" if close else f"use one of {', '.join(QUESTION_TYPES)}"
        raise _RowError(f"unknown type {quoted(qtype)}; {hint}", "type")
    table: dict[str, Any] = {"type": qtype}
    columns: dict[str, str] = {}

    def put(key: str, value: Any, column: str) -> None:
        if value not in ("", [], None):
            table[key] = value
            columns[key] = column

    put("prompt", cells.get("prompt", ""), "prompt")
    answer = cells.get("answer", "")
    if qtype == "card":
        put("back", answer, "answer")
        put("reverse", _bool(cells.get("reverse", ""), "reverse") or None, "reverse")
    elif qtype == "choice":
        put("choices", split_list(cells.get("choices", "")), "choices")
        put("answer", answer, "answer")
    elif qtype == "multi":
        put("choices", split_list(cells.get("choices", "")), "choices")
        put("answers", split_list(answer), "answer")
    elif qtype == "truefalse":
        put("answer", _bool(answer, "answer"), "answer")
    elif qtype == "short":
        put("answer", answer, "answer")
        put("accept", split_list(cells.get("accept", "")), "accept")
    elif qtype == "numeric":
        put("answer", _number(answer, "answer"), "answer")
        put("tolerance", _number(cells.get("tolerance", ""), "tolerance"), "tolerance")
        put("unit", cells.get("unit", ""), "unit")
    elif qtype == "cloze":
        text = cells.get("text", "")
        if not text and CLOZE_PATTERN.search(table.get("prompt", "")):
            text = table.pop("prompt")
        put("text", text, "text")
    elif qtype == "order":
        put("items", split_list(cells.get("items", "")), "items")
    elif qtype == "match":
        pairs = []
        for left, right in split_pairs(cells.get("pairs", "")):
            if not left or not right:
                raise _RowError(f"the pair {quoted(left + ('=' + right if right is not None else ''))} is not "
                                "left=right (write pairs like \"France=Paris|Italy=Rome\")", "pairs")
            pairs.append([left, right])
        put("pairs", pairs, "pairs")
    for key in ("explanation", "hint", "source", "image"):
        put(key, cells.get(key, ""), key)
    put("tags", split_list(cells.get("tags", "")), "tags")
    fuzzy = cells.get("fuzzy", "")
    if fuzzy:
        put("fuzzy", _bool(fuzzy, "fuzzy"), "fuzzy")
    for required in _REQUIRED[qtype]:
        if required not in table:
            column = _COLUMN_OF.get(required, required)
            article = "an" if qtype == "order" else "a"
            raise _RowError(f"{article} {qtype} question needs the {quoted(column)} column filled in", column)
    return table, columns


_TWO_COLUMNS = {"prompt": "1", "text": "1", "back": "2", "explanation": "2"}
_REQUIRED = {"card": ("prompt", "back"), "choice": ("prompt", "choices", "answer"),
             "multi": ("prompt", "choices", "answers"), "truefalse": ("prompt", "answer"),
             "short": ("prompt", "answer"), "numeric": ("prompt", "answer"), "cloze": ("text",),
             "order": ("prompt", "items"), "match": ("prompt", "pairs")}
_COLUMN_OF = {"back": "answer", "answers": "answer"}


def _words(table: dict[str, Any]) -> str:
    """What an id is made from: the prompt, or a cloze's text with its deletions revealed."""
    return str(table.get("prompt") or cloze_display(table.get("text", ""), reveal=True))


def _infer_type(cells: dict[str, str]) -> str:
    """The type of a row whose type cell is empty, from the columns it fills."""
    if cells.get("pairs"):
        return "match"
    if cells.get("items"):
        return "order"
    if cells.get("choices"):
        return "multi" if len(split_list(cells.get("answer", ""))) > 1 else "choice"
    if cells.get("text"):
        return "cloze"
    if cells.get("tolerance") or cells.get("unit"):
        return "numeric"
    if cells.get("accept"):
        return "short"
    return "card"


def _bool(text: str, column: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _RowError(f"expected true or false, got {quoted(text)}", column)


def _number(text: str, column: str) -> int | float | None:
    value = text.strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
    if not value:
        return None
    if "," in value and "." not in value and value.count(",") == 1:
        value = value.replace(",", ".")  # a European spreadsheet's decimal comma
    try:
        number = float(value)
    except ValueError:
        raise _RowError(f"expected a number, got {quoted(text)}", column) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise _RowError(f"expected a finite number, got {quoted(text)}", column)
    return int(number) if number.is_integer() and "e" not in value.lower() and "." not in value else number


def _unguard(cell: str) -> str:
    """A cell without the ' a spreadsheet user (or `write_csv`) put before a formula-like start."""
    return read_cell(cell)


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "a tab", ",": "a comma", ";": "a semicolon"}.get(delimiter, quoted(delimiter))


def parse_table(text: str, name: str = "<csv>", delimiter: str | None = None) -> ImportResult:
    """Read CSV/TSV text (either form); `delimiter` None detects it."""
    return _Reader(name).read(text, delimiter)


def parse_spreadsheet(data: bytes, name: str = "<csv>", delimiter: str | None = None) -> ImportResult:
    """Read a CSV/TSV file's bytes (UTF-8 with or without BOM, or UTF-16); `delimiter` None detects it."""
    return parse_table(decode_text(data, name), name, delimiter)


def read_spreadsheet(data: bytes, name: str = "<csv>",
                     delimiter: str | None = None) -> tuple[list[Question], list[Problem]]:
    """The questions a CSV/TSV file holds, loaded as a bank would load them, and every problem found."""
    result = parse_spreadsheet(data, name, delimiter)
    good, refused = validate(result)
    return [question for _, question in good], sorted([*result.problems, *refused], key=problem_order)


# --- writing -------------------------------------------------------------------------------


def _escape_item(item: str, pairs: bool = False) -> str:
    item = item.replace("\\", "\\\\").replace("|", "\\|")
    return item.replace("=", "\\=") if pairs else item


def join_list(items: Iterable[str]) -> str:
    """Items as one cell, `|` between them, escaping what `split_list` reads specially."""
    return "|".join(_escape_item(item) for item in items)


def join_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """Pairs as one cell, `left=right|...`, escaping what `split_pairs` reads specially."""
    return "|".join(f"{_escape_item(left, True)}={_escape_item(right, True)}" for left, right in pairs)


def question_row(question: Question) -> dict[str, str]:
    """A question as a spreadsheet row: column -> cell text."""
    row: dict[str, str] = {"id": question.id, "type": question.type, "prompt": question.prompt}
    if isinstance(question, Card):
        row["answer"] = question.back
        row["reverse"] = "true" if question.reverse else ""
    elif isinstance(question, Choice):
        row["choices"], row["answer"] = join_list(question.choices), question.answer
    elif isinstance(question, Multi):
        row["choices"], row["answer"] = join_list(question.choices), join_list(question.answers)
    elif isinstance(question, TrueFalse):
        row["answer"] = "true" if question.answer else "false"
    elif isinstance(question, Short):
        row["answer"], row["accept"] = question.answer, join_list(question.accept)
    elif isinstance(question, Numeric):
        row["answer"] = format_number(question.answer)
        row["tolerance"] = format_number(question.tolerance) if question.tolerance else ""
        row["unit"] = question.unit
    elif isinstance(question, Cloze):
        row["text"] = question.text
    elif isinstance(question, Order):
        row["items"] = join_list(question.items)
    elif isinstance(question, Match):
        row["pairs"] = join_pairs(question.pairs)
    row.update(explanation=question.explanation, hint=question.hint, source=question.source,
               tags=join_list(question.tags), image=question.image)
    if question.fuzzy is not None:
        row["fuzzy"] = "true" if question.fuzzy else "false"
    return row


def write_csv(banks: Sequence[Bank]) -> tuple[str, int, list[Problem]]:
    """Banks as CSV in the spreadsheet form (header row, CRLF line ends), how many rows, and problems (none).

    Every question type and key fits, so the CSV reads back to the same questions.
    """
    rows = [question_row(q) for bank in banks for q in bank.questions]
    used = [column for column in OPTIONAL_COLUMNS if any(row.get(column) for row in rows)]
    columns = [*COLUMNS, *used]
    # Through the one CSV cell writer: no cell is ever run as a formula (see quizdeck.cells).
    text = csv_text([columns, *([row.get(column, "") for column in columns] for row in rows)])
    return text, len(rows), []
