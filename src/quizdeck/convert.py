"""Turning questions imported from other formats (GIFT, CSV) into a bank file.

Importers produce `Imported` items: a question as the table a bank file would hold, plus where it
came from. `build_bank` validates every table with the same loader `quizdeck check` uses, so a
question that would not load is reported (with its line or row) instead of being written, and
writes the bank with a TOML writer. The text it returns always passes `quizdeck check`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from quizdeck.bank import bank_from_data
from quizdeck.errors import BankError, Problem, QuizdeckError, UsageError
from quizdeck.questions import (
    ID_PATTERN,
    LANGUAGE_PATTERN,
    Cloze,
    Question,
)

#: The blank a missing-word question keeps in its prompt (Moodle's own).
BLANK = "_____"

#: Longest id made from a title or a prompt, so ids stay typeable.
MAX_ID_LENGTH = 48
#: How many words of a prompt make an id.
ID_WORDS = 6


@dataclass(frozen=True)
class Imported:
    """One question read from another format, as the table a bank file holds.

    `line` is the 1-based line of the source file it starts on (GIFT), `where` names it otherwise
    (`row 5` of a spreadsheet).
    """

    table: dict[str, Any]
    line: int | None = None
    where: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # table key -> the source's column name


@dataclass
class ImportResult:
    """What an importer read: the questions, and everything it skipped or changed on the way."""

    name: str
    format: str
    items: list[Imported] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The file's own title (GIFT's $CATEGORY), used when no --title is given.
    title: str = ""
    #: The [bank] table the file carries (a GIFT file quizdeck wrote), kept by the import.
    bank: dict[str, Any] = field(default_factory=dict)


class BankBudget:
    """The bytes the questions read so far would take in a bank, counted while a file is read, so
    that a file too large to become a bank (`bank.MAX_BANK_BYTES`, the loader's own limit) is
    refused at the row or line where it passes the limit, before the rest is parsed.

    The one estimate import uses: about 30 bytes a question, and each value's length and 12 more
    (its key, quotes and line end); a list or number counts 24.
    """

    def __init__(self, name: str) -> None:
        from quizdeck.bank import MAX_BANK_BYTES

        self.name = name
        self.size = 0
        self.count = 0
        self.limit = MAX_BANK_BYTES

    @staticmethod
    def cost(values: Iterable[Any]) -> int:
        """A question table's bytes."""
        return 30 + sum(len(v) + 12 if isinstance(v, str) else 24 for v in values)

    @staticmethod
    def row_cost(cells: list[str]) -> int:
        """A spreadsheet row's bytes: its cells that are not empty, as the values they become."""
        return 30 + sum(map(len, cells)) + 12 * (len(cells) - cells.count(""))

    def add(self, size: int, where: str) -> None:
        """Count one question of `size` bytes; refuse the file when it takes the bank past the limit,
        naming `where` it did."""
        self.size += size
        self.count += 1
        if self.size > self.limit:
            raise QuizdeckError(
                f"{self.name}: {where}: the {self.count:,} questions read up to here would make a bank of more "
                f"than the {self.limit // 2**20} MB a bank may hold, so reading stopped; split the file "
                f"into parts of at most {self.count - 1:,} questions and import each")


def quoted(value: str) -> str:
    """A text quoted for a message, the way TOML writes strings, Arabic left readable."""
    return json.dumps(value, ensure_ascii=False)


# --- ids -----------------------------------------------------------------------------------


_SLUG_WORD = re.compile("[a-z0-9]+")


def ascii_slug(text: str, max_words: int | None = None) -> str:
    """Kebab-case ASCII for an id: accents dropped, apostrophes joined, other marks as '-'."""
    if not text.isascii():
        # Decomposed, an accented letter is the letter and a combining mark, which is not ASCII.
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _SLUG_WORD.findall(text.lower().replace("'", "").replace("`", ""))
    if max_words is not None:
        words = words[:max_words]
    slug = "-".join(words)
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0] if "-" in slug[:MAX_ID_LENGTH] else slug[:MAX_ID_LENGTH]
    return slug


def tag_slug(text: str) -> str:
    """A tag from a category name: lowercase words joined by '-', any script kept (Arabic stays Arabic)."""
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class IdRequest:
    """What a question's id is made from: an id or title its author gave (`wanted`), else its text
    (`key`: the prompt, or a cloze's text), and the rest of its content (`detail`) for telling apart
    two questions whose text is the same."""

    wanted: str
    key: str
    detail: dict[str, Any] = field(default_factory=dict)  # hashed only when two texts are the same


def content_hash(text: str, length: int = 8) -> str:
    """A short hexadecimal digest of a text, the same in every run and on every machine."""
    import hashlib

    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()[:length]


def assign_ids(requests: Sequence[IdRequest]) -> list[str]:
    """Unique kebab-case ids that come from each question's content, never from its position.

    An id or title the author gave is kept (slugged: `Café crème` gives `cafe-creme`). Otherwise the
    first words of the text make the id when no other question's id would start the same; when one
    would, or the text has no ASCII letters (an Arabic word), a short hash of the whole text is added
    (`q-1f3a9c0b` alone), or of the text and the rest of the question when the texts are the same.
    Inserting, deleting or reordering rows therefore keeps every other row's id, so review history
    and Anki notes stay with their words. Only identical questions are numbered (`-2`, `-3`).
    """
    bases: list[str] = []
    given: list[bool] = []
    for request in requests:
        slug = ascii_slug(request.wanted) if request.wanted else ""
        if not slug:
            slug = ascii_slug(request.key, ID_WORDS)
            slug = slug if re.search("[a-z]", slug) else ""
        bases.append(slug)
        given.append(bool(slug) and bool(request.wanted))
    counts = _counts(bases)
    keys = [_normal(request.key) for request in requests]
    key_counts = _counts(f"{base}\x1f{key}" for base, key in zip(bases, keys, strict=True))
    candidates: list[str] = []
    for base, is_given, key, request in zip(bases, given, keys, requests, strict=True):
        if is_given or (base and counts[base] == 1):
            candidates.append(base)
        elif key_counts[f"{base}\x1f{key}"] == 1:
            candidates.append(f"{base or 'q'}-{content_hash(key, 6 if base else 8)}")
        else:
            candidates.append(f"{base or 'q'}-{content_hash(key + chr(31) + _json(request.detail), 6 if base else 8)}")
    ids: list[str] = []
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    for candidate in candidates:
        if candidate in taken:
            suffix = next_suffix.get(candidate, 2)  # remembered, so a thousand repeats stay linear
            while f"{candidate}-{suffix}" in taken:
                suffix += 1
            next_suffix[candidate] = suffix + 1
            candidate = f"{candidate}-{suffix}"
        taken.add(candidate)
        ids.append(candidate)
    return ids


def _counts(items: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def _json(table: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in table.items() if k != "id"}, sort_keys=True, ensure_ascii=False)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


# --- text ----------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                         "table", "blockquote", "pre", "section", "article"})
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title"})
_PRE_SPACE = "\ue000"  # a space inside <pre> while the text is tidied (a private-use character)


class _TextExtractor(HTMLParser):
    """Readable text from an HTML fragment: tags dropped, entities decoded, links kept as URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0  # characters in parts, so a link's text is measured without joining it
        self.skipping = 0
        self.links: list[tuple[str, int, int]] = []  # href, first part, length before it
        self.images: list[str] = []
        self.pre = 0  # inside <pre>: its line ends and spaces are the text's

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br" or tag in _BLOCK_TAGS:
            self.add("\n")
            self.pre += tag == "pre"
        elif tag == "a":
            self.links.append((values.get("href", ""), len(self.parts), self.length))
        elif tag == "img":
            self.images.append(values.get("src", ""))
            if values.get("alt"):
                self.add(f"[{values['alt']}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED_TAGS:
            self.skipping -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.add("\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.links:
            href, start, before = self.links.pop()
            # A link is often the point of the question (the audio to listen to), so keep where it goes,
            # unless its text already is the address (only then is the text joined, to compare).
            same = self.length - before <= 2 * len(href) + 8 and "".join(self.parts[start:]).strip() == href
            if href and not href.startswith(("#", "javascript:")) and not same:
                self.add(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            # Kept as written (a browser drops only the line end just after <pre>); its spaces are
            # marked so that tidying the other lines leaves them.
            if self.parts and self.parts[-1] == "\n" and data.startswith("\n"):
                data = data[1:]
            self.add(data.replace("\r\n", "\n").replace(" ", _PRE_SPACE).replace("\t", _PRE_SPACE * 4))
        else:
            self.add(re.sub(r"\s+", " ", data))


def _closed_markup(fragment: str) -> str:
    """The fragment with every `<` that does not open a complete tag or comment written as `&lt;`.

    A browser shows such a `<` as text; Python's html.parser instead waits for the rest of the tag,
    and re-reads the text after each unfinished one, which takes quadratic time on `<a href='`
    repeated. One pass here, remembering the next `>` and `-->`, keeps the whole conversion linear.
    """
    if "<" not in fragment:
        return fragment
    out: list[str] = []
    position, next_close, next_comment_end, text_until = 0, -2, -2, -1
    while True:
        start = fragment.find("<", position)
        if start < 0:
            out.append(fragment[position:])
            return "".join(out)
        out.append(fragment[position:start])
        if fragment.startswith("<!--", start):
            if next_comment_end != -1 and next_comment_end < start + 4:
                next_comment_end = fragment.find("-->", start + 4)
            if next_comment_end >= 0:
                out.append(fragment[start:next_comment_end + 3])
                position = next_comment_end + 3
                continue
        elif _TAG_START.match(fragment, start):
            if next_close != -1 and next_close <= start:
                next_close = fragment.find(">", start + 1)
            following = fragment.find("<", start + 1, next_close if next_close >= 0 else None)
            # A browser reads `<p deck="" <a="" href="x">` (what an editor makes of `<pThis deck <a href=`)
            # as one tag, a `<` inside it included; so does html.parser when its quotes pair up. When they
            # do not, the `<` is text, and so is every `<` before the same `>` (one look at each span).
            if next_close >= 0 and following >= 0 and start > text_until:
                span = fragment[start:next_close]
                if span.count('"') % 2 or span.count("'") % 2:
                    text_until = next_close
                else:
                    following = -1
            if next_close >= 0 and following < 0:
                out.append(fragment[start:next_close + 1])
                position = next_close + 1
                continue
        out.append("&lt;")
        position = start + 1


_TAG_START = re.compile(r"</?[A-Za-z]|<![A-Za-z]|<\?")


# Each part stops at the next `<`, so that `<img src="x` repeated is read in linear time.
_IMG = re.compile(r"""<img\b[^<>]*?\bsrc\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s<>]+))[^<>]*>?""", re.IGNORECASE)

#: The prompt of a card whose front is only a picture: it asks about the picture, never gives the answer.
PICTURE_PROMPT = "What does the picture show?"


def take_images(fragment: str) -> tuple[str, list[str]]:
    """An HTML fragment without its `<img>` tags, and their sources in order."""
    sources = [next((g for g in m.groups() if g is not None), "") for m in _IMG.finditer(fragment)]
    return _IMG.sub(" ", fragment), sources


def html_to_text(fragment: str) -> tuple[str, list[str]]:
    """Plain text of an HTML fragment, and the sources of the images it dropped."""
    parser = _TextExtractor()
    parser.feed(_closed_markup(fragment))
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip().replace(_PRE_SPACE, " ")
    return text, parser.images


def number_value(value: float) -> int | float:
    """A number as a bank writes it: 1822, not 1822.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def format_number(value: float) -> str:
    """The shortest text that reads back as the same number (300, 3.1415, 1e-05)."""
    value = number_value(value)
    return str(value) if isinstance(value, int) else repr(value)


# --- questions as tables -------------------------------------------------------------------

_TABLE_ORDER = ("id", "type", "prompt", "back", "reverse", "text", "choices", "answer", "answers", "accept",
                "tolerance", "unit", "items", "pairs", "explanation", "hint", "source", "tags", "image", "fuzzy")


def ordered_table(table: dict[str, Any]) -> dict[str, Any]:
    """A question table with its keys in the order people read them."""
    return dict(sorted(table.items(), key=lambda kv: _RANK.get(kv[0], len(_RANK))))


_RANK = {key: n for n, key in enumerate(_TABLE_ORDER)}


# --- the bank ------------------------------------------------------------------------------

_SCRIPT_LANGUAGES = (("ar", re.compile("[\u0600-\u06ff]")), ("he", re.compile("[\u0590-\u05ff]")))
_LETTERS = re.compile(r"[^\W\d_]+")


def guess_language(texts: Iterable[str]) -> str:
    """"ar" or "he" when at least 30% of the texts (prompts, answers, choices...) are mostly written
    in Arabic or Hebrew script, else "en"."""
    counts: dict[str, int] = {}
    written = 0
    for text in texts:
        letters = "".join(_LETTERS.findall(text))
        if not letters:
            continue
        written += 1
        for language, script in _SCRIPT_LANGUAGES:
            if len(script.findall(letters)) * 2 > len(letters):
                counts[language] = counts.get(language, 0) + 1
    # Texts, not letters, are counted: a vocabulary list is one Arabic word and one English
    # definition a row, and is an Arabic bank however long the definitions are.
    for language, count in counts.items():
        if count * 10 >= written * 3:
            return language
    return "en"


def _table_texts(table: dict[str, Any]) -> Iterable[str]:
    for key, value in table.items():
        if key in ("id", "type"):
            continue
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for item in value:
                yield from (item if isinstance(item, list) else [item])


def validate(result: ImportResult, path: Path | None = None,
             language: str = "en") -> tuple[list[tuple[Imported, Question]], list[Problem]]:
    """Load each imported table as `check` would: the questions that pass, and a problem for each that fails.

    `path` is where the bank will be written; image paths are checked against its folder.
    """
    good, problems = _validate(result, path, language)
    return [(item, question) for item, _, question in good], problems


def _validate(result: ImportResult, path: Path | None,
              language: str) -> tuple[list[tuple[Imported, dict[str, Any], Question]], list[Problem]]:
    """`validate`, with each good question's table in the order a bank file writes its keys."""
    header = {"id": "imported", "title": "Imported", "language": language}
    tables = [ordered_table(item.table) for item in result.items]
    if tables:
        # Usually every question loads: one pass. Only when one does not is each checked alone.
        try:
            loaded = bank_from_data({"bank": header, "questions": tables}, path)
        except BankError:
            pass
        else:
            return list(zip(result.items, tables, loaded.questions, strict=True)), []
    good: list[tuple[Imported, dict[str, Any], Question]] = []
    problems: list[Problem] = []
    for item, table in zip(result.items, tables, strict=True):
        try:
            loaded = bank_from_data({"bank": header, "questions": [table]}, path)
        except BankError as error:
            for found in error.problems:
                key = re.search(r'key "([^"]+)"', found.where)
                if item.where:
                    column = item.columns.get(key.group(1), key.group(1)) if key else ""
                    where = item.where + (f", column {quoted(column)}" if column else "")
                else:
                    where = f'question {quoted(table.get("id", "?"))}'
                    where += f", key {quoted(key.group(1))}" if key else ""
                problems.append(Problem(result.name, f"skipped: {found.message}", where=where, line=item.line))
            continue
        good.append((item, table, loaded.questions[0]))
    return good, problems


def build_bank(result: ImportResult, *, bank_id: str, title: str, language: str | None = None,
               path: Path | None = None) -> tuple[str, list[Question], list[Problem]]:
    """The text of a bank holding every importable question, the questions, and every problem found.

    Problems are the importer's (what was skipped or changed, by line or row) followed by those of
    tables the loader refused. Every table is validated by the loader `quizdeck check` uses before
    the text is written, so the text passes `check`. The text starts with comments listing the
    problems, so the bank itself says what did not come across. Raises UsageError for a bad id,
    title or language.
    """
    if not re.fullmatch(ID_PATTERN, bank_id):
        raise UsageError(f"--id {quoted(bank_id)} is not a valid bank id: use lowercase letters, digits and '-' "
                         "(like \"moodle-quiz\")")
    if not title.strip():
        raise UsageError("--title must not be empty")
    if language is None:
        # Up to 2,000 questions spread through the file say which script it is written in.
        sample = result.items[::max(1, len(result.items) // 2000)]
        language = guess_language(text for item in sample for text in _table_texts(item.table))
    elif not re.fullmatch(LANGUAGE_PATTERN, language):
        raise UsageError(f"--language {quoted(language)} is not a BCP 47 language tag like \"ar\" or \"en-GB\"")
    header: dict[str, Any] = {
        "id": bank_id,
        "title": title,
        "language": language,
        "description": f"Imported from {Path(result.name).name} ({result.format}).",
    }
    details, refused_details = _bank_details(result)
    header.update(details)
    name = Path(result.name).name
    good, refused = _validate(result, path, language)
    problems = sorted([*result.problems, *refused_details, *refused], key=problem_order)
    items = [item for item, _, _ in good]
    comments = [f"# Imported by quizdeck from {_one_line(name)} ({result.format}): "
                f"{len(items)} question{'s' if len(items) != 1 else ''}."]
    if problems:
        comments.append("# What was skipped or changed on the way:")
        comments.extend(f"#   {_one_line(str(replace(p, path=name)))}" for p in problems)
    document = {"bank": header, "questions": [table for _, table, _ in good]}
    text = "\n".join(comments) + "\n\n" + dump_bank(document)
    return text, [question for _, _, question in good], problems


_DETAIL_KINDS = {"description": str, "source": str, "authors": list, "tags": list, "fuzzy": bool}


def _bank_details(result: ImportResult) -> tuple[dict[str, Any], list[Problem]]:
    """The [bank] keys a file carries besides id, title and language (which the caller chose), checked."""
    details: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in result.bank.items():
        if key in ("id", "title", "language"):
            continue
        kind = _DETAIL_KINDS.get(key)
        if kind is list:
            good = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        else:
            good = kind is not None and isinstance(value, kind) and (kind is bool or bool(value))
        if good:
            details[key] = value
        else:
            problems.append(Problem(result.name, f"the bank's {quoted(key)} in the file is not a valid bank key; left "
                                    "out", severity="warning"))
    return details, problems


def bank_choices(result: ImportResult) -> dict[str, str]:
    """The id, title and language the file itself gives its bank (a GIFT file quizdeck wrote), when valid."""
    chosen = {}
    for key, pattern in (("id", ID_PATTERN), ("title", r"(?s).*\S.*"), ("language", LANGUAGE_PATTERN)):
        value = result.bank.get(key)
        if isinstance(value, str) and re.fullmatch(pattern, value):
            chosen[key] = value
    if "title" not in chosen and result.title.strip():
        chosen["title"] = result.title.strip()
    return chosen


def dump_bank(document: dict[str, Any]) -> str:
    """A bank document as TOML, readable: one `key = value` a line, short arrays on one line.

    Plain strings, integers and booleans are written directly; anything else (a string with quotes,
    backslashes, line breaks or control characters, a float) is written by tomli-w. The import tests
    load what this writes and compare it with the questions read.
    """
    chunks = ["[bank]\n", *(_key_value(k, v) for k, v in document["bank"].items())]
    for table in document.get("questions", []):
        chunks.append("\n[[questions]]\n")
        chunks.extend(_key_value(k, v) for k, v in table.items())
    return "".join(chunks)


#: Strings TOML holds between plain double quotes as they are: no quote, backslash or control character.
_PLAIN_STRING = re.compile(r'[^"\\\x00-\x1f\x7f]*')
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key_value(key: str, value: Any) -> str:
    if not _BARE_KEY.fullmatch(key):
        import tomli_w

        return tomli_w.dumps({key: value}, multiline_strings=True)
    if isinstance(value, list) and value:
        items = [_inline(item) for item in value]
        line = f"{key} = [{', '.join(items)}]"
        if len(line) <= 100:
            return line + "\n"
        return f"{key} = [\n" + "".join(f"    {item},\n" for item in items) + "]\n"
    if isinstance(value, str) and _PLAIN_STRING.fullmatch(value):
        return f'{key} = "{value}"\n'
    if isinstance(value, bool) or (isinstance(value, int) and not isinstance(value, bool)):
        return f"{key} = {str(value).lower()}\n"
    import tomli_w

    return tomli_w.dumps({key: value}, multiline_strings=True)


def _inline(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, str) and _PLAIN_STRING.fullmatch(value):
        return f'"{value}"'
    import tomli_w

    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def problem_order(problem: Problem) -> tuple[int, str]:
    """Sort key putting problems in file order: by line, or by spreadsheet row."""
    row = re.match(r"row (\d+)", problem.where)
    return (problem.line if problem.line is not None else int(row.group(1)) if row else 0), problem.where


def _one_line(text: str) -> str:
    """Text for a TOML comment: one line, control characters (which TOML refuses there) as escapes."""
    from quizdeck.controls import visible

    return visible(re.sub(r"\s*\n\s*", " ", text))


# --- what other formats cannot hold --------------------------------------------------------


def unsupported_keys(question: Question, supported: Sequence[str] = ()) -> list[str]:
    """The keys a question uses (with a non-default value) that a format has no place for."""
    left_out = [name for name in ("hint", "source", "image", "tags", "unit", "fuzzy", "reverse")
                if name not in supported and getattr(question, name, None) not in ("", (), None, False)]
    if isinstance(question, Cloze) and "deletion hints" not in supported and any(d.hint for d in question.deletions):
        left_out.append("deletion hints")
    return left_out


# --- merging into an existing bank ---------------------------------------------------------

_QUESTIONS_HEADER = re.compile(r"[ \t]*\[\[[ \t]*questions[ \t]*\]\][ \t]*(#.*)?\r?\n?")
_COMMENT_LINE = re.compile(r"[ \t]*#.*\r?\n?")


@dataclass
class Merge:
    """What `merge_bank` did: the ids updated, added, unchanged, and in the bank but not in the file."""

    updated: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    pruned: bool = False


def merge_bank(existing: str, result: ImportResult, path: Path,
               prune: bool = False) -> tuple[str, list[Question], list[Problem], Merge]:
    """An existing bank's text with the imported questions merged in, the questions it holds, the
    problems found, and what changed.

    The [bank] table, every comment and every question the file does not change are kept as they
    are written. A question whose id is in the bank replaces it where it stands (when it differs);
    a new one is added at the end, in the file's order. Questions of the bank the file lacks are
    kept and reported, or removed with `prune`. Raises BankError when the bank itself does not
    load, UsageError when its questions cannot be told apart in its text.
    """
    from quizdeck.bank import parse_bank

    bank = parse_bank(existing, path)
    lines = existing.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    headers = [n for n, line in enumerate(lines) if _QUESTIONS_HEADER.fullmatch(line)]
    if len(headers) != len(bank.questions):
        raise UsageError(f"{path}: cannot update: its {len(bank.questions)} questions are not each written as a "
                         "[[questions]] table on a line of its own")
    starts: list[int] = []
    for n, header in enumerate(headers):  # a question's comment lines just above it belong to it
        floor = headers[n - 1] + 1 if n else 0
        start = header
        while start > floor and _COMMENT_LINE.fullmatch(lines[start - 1]):
            start -= 1
        starts.append(start)
    preamble = lines[:starts[0]] if starts else lines
    blocks = [lines[start:end] for start, end in zip(starts, [*starts[1:], len(lines)], strict=True)]
    index = {question.id: n for n, question in enumerate(bank.questions)}

    good, refused = _validate(result, path, bank.language)
    problems = sorted([*result.problems, *refused], key=problem_order)
    merge = Merge(pruned=prune)
    replaced: dict[int, list[str]] = {}
    appended: list[list[str]] = []
    questions: list[Question | None] = list(bank.questions)
    seen: set[str] = set()
    for _, table, question in good:
        seen.add(question.id)
        at = index.get(question.id)
        block = _block(table)
        if at is None:
            merge.added.append(question.id)
            appended.append(["\n", *block])
            questions.append(question)
        elif bank.questions[at] == question:
            merge.unchanged.append(question.id)
        else:
            merge.updated.append(question.id)
            old = blocks[at]
            comments = [line for line in old if _COMMENT_LINE.fullmatch(line)]
            replaced[at] = [*comments, *block, *(["\n"] if old[-1].strip() == "" else [])]
            questions[at] = question
    for n, question in enumerate(bank.questions):
        if question.id not in seen:
            merge.missing.append(question.id)
            if prune:
                replaced[n] = []
                questions[n] = None
    kept = [q for q in questions if q is not None]
    out = [_refreshed_header(line, result, len(kept)) for line in preamble]
    for n, block in enumerate(blocks):
        out.extend(replaced.get(n, block))
    for block in appended:
        out.extend(block)
    text = "".join(out)
    if not kept:
        raise UsageError(f"{path}: --prune would remove every question; nothing written")
    parse_bank(text, path)  # the existing text is the author's: check that the merge still loads
    return text, kept, problems, merge


_IMPORTED_BY = re.compile(r"# Imported by quizdeck from (.+?)(?:; updated from .+)?: [\d,]+ questions?\.\n")


def _refreshed_header(line: str, result: ImportResult, count: int) -> str:
    """The comment `build_bank` heads a bank with, saying what the merge changed: the file first
    imported, the one the bank was last updated from, and how many questions the bank now holds."""
    found = _IMPORTED_BY.fullmatch(line)
    if not found:
        return line
    return (f"# Imported by quizdeck from {found.group(1)}; updated from {_one_line(Path(result.name).name)} "
            f"({result.format}): {count:,} question{'s' if count != 1 else ''}.\n")


def _block(table: dict[str, Any]) -> list[str]:
    """A question table as the lines of a [[questions]] table."""
    return ["[[questions]]\n", *(_key_value(k, v) for k, v in table.items())]
