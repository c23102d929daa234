"""Moodle's GIFT format, both ways.

`parse_gift` reads GIFT text the way Moodle's own importer (question/format/gift/format.php)
does: questions separated by blank lines, `//` comment lines, `::title::`, `$CATEGORY:`, `[html]`
and friends, escapes, and the same rules for telling the question types apart. Each question
becomes a bank table; whatever quizdeck cannot hold (essays, descriptions, weights that do not
map) is skipped and reported with its line, and whatever is changed on the way (partial credit
dropped, per-answer feedback folded into the explanation) is reported as a warning.

`write_gift` writes banks as GIFT and reports every question, or part of one, GIFT cannot hold.
docs/interchange.md has the mapping tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from quizdeck.bank import Bank, first_duplicate
from quizdeck.convert import (
    BLANK,
    BankBudget,
    IdRequest,
    Imported,
    ImportResult,
    assign_ids,
    format_number,
    html_to_text,
    number_value,
    problem_order,
    quoted,
    tag_slug,
    unsupported_keys,
    validate,
)
from quizdeck.errors import Problem
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
)

#: The comment line `write_gift` puts before a bank's $CATEGORY: its [bank] table as JSON.
BANK_MARK = "// quizdeck bank: "

# --- reading -------------------------------------------------------------------------------

# Escaped control characters are swapped for private-use characters before parsing and swapped
# back in each piece of text afterwards, exactly as Moodle's escapedchar_pre/_post do.
_ESCAPED = {"\\": "\ue000", ":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004", "}": "\ue005",
            "~": "\ue006", "n": "\ue007"}
_RESTORED = {placeholder: ("\n" if char == "n" else char) for char, placeholder in _ESCAPED.items()}
_ESCAPE = re.compile(r"\\([\\:#=\{\}~n])")
_UNESCAPE = re.compile("[" + "".join(_RESTORED) + "]")

_WEIGHT = re.compile(r"^%\s*(-?\d+(?:\.\d*)?)\s*%")
_FORMAT = re.compile(r"^\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
# Moodle's fixture questions.gift.txt has a stray `";` after two questions; Moodle keeps it in the
# question text. A tail of only quotes and semicolons is that artifact, never a missing word's text.
_STRAY_TAIL = re.compile(r"^[\"';]+$")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_FULL = Decimal(100)


@dataclass(frozen=True)
class _Answer:
    text: str
    weight: Decimal  # percent
    feedback: str
    explicit: bool  # a %weight% was written


class _Skip(Exception):
    """This question cannot be imported; the message says why."""


class _Reader:
    """Reads one GIFT file; collects the imported questions and the problems."""

    def __init__(self, name: str) -> None:
        self.result = ImportResult(name=name, format="GIFT")
        self.details_category = False  # the next $CATEGORY is the one a bank comment belongs to
        self.requests: list[IdRequest] = []
        self.changes: list[list[str]] = []  # the warnings of each imported question, reported once it has its id
        self.tags: list[str] = []
        self.line = 0
        self.title = ""
        self.pending: list[str] = []
        self.budget = BankBudget(name)  # a file too large to become a bank stops at the question that passes

    # Problems ---------------------------------------------------------------------------

    def warn(self, message: str) -> None:
        """Note a change to the question being read; reported once it has its id."""
        self.pending.append(message)

    def skip(self, message: str) -> None:
        where = f"question {quoted(self.title)}" if self.title else ""
        self.result.problems.append(Problem(self.result.name, f"skipped: {message}", where=where, line=self.line))

    # Blocks -----------------------------------------------------------------------------

    def read(self, text: str) -> ImportResult:
        block: list[tuple[int, str]] = []
        comments: list[str] = []
        lines = text.removeprefix("\ufeff").splitlines()
        for number, raw in enumerate([*lines, ""], 1):
            line = raw.strip()
            if line.startswith(BANK_MARK):
                self.bank_details(line[len(BANK_MARK):], number)
            elif line.startswith("//"):
                comments.append(line)  # dropped from the text, wherever it is, but may hold [id:] and [tag:]
            elif line:
                block.append((number, line))
            else:
                if block:
                    self.block(block, "\n".join(comments))
                block, comments = [], []
        for item, qid, changes in zip(self.result.items, assign_ids(self.requests), self.changes, strict=True):
            item.table["id"] = qid
            self.result.problems.extend(
                Problem(self.result.name, message, where=f"question {quoted(qid)}", line=item.line,
                        severity="warning")
                for message in changes)
        return self.result

    def bank_details(self, text: str, number: int) -> None:
        """The [bank] table `write_gift` wrote; only the first bank's is kept, as a file makes one bank."""
        try:
            details = json.loads(text)
        except ValueError:
            details = None
        if not isinstance(details, dict):
            self.result.problems.append(Problem(self.result.name, "the quizdeck bank comment is not a JSON object; "
                                                "ignored", line=number, severity="warning"))
            return
        if not self.result.bank:
            self.result.bank = details
            self.details_category = True

    def block(self, block: list[tuple[int, str]], comments: str = "") -> None:
        while block and block[0][1].startswith("$CATEGORY:"):
            category = block[0][1][len("$CATEGORY:"):].strip()
            parts = [p.replace("//", "/") for p in re.split(r"(?<!/)/(?!/)", category)]
            last = parts[-1].strip() if parts else ""
            named = not (last.startswith("$") or last.lower() == "top")
            if self.details_category:
                # The category quizdeck wrote is the bank's title, which the bank keeps: no tag.
                self.details_category, self.tags = False, []
            else:
                tag = tag_slug(last) if named else ""
                self.tags = [tag] if tag else []
            if named and not self.result.title:
                self.result.title = last
            block = block[1:]  # Moodle wants a blank line after it; a question right below is read anyway
        if not block:
            return
        self.line, self.title, self.pending = block[0][0], "", []
        text = _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], "\n".join(line for _, line in block))
        try:
            table = self.question(text)
        except _Skip as reason:
            self.skip(str(reason))
            return
        moodle_id, moodle_tags = _id_and_tags(comments)
        tags = list(dict.fromkeys([*self.tags, *moodle_tags]))
        if tags:
            table["tags"] = tags
        self.requests.append(IdRequest(moodle_id or self.title, table.get("prompt") or table.get("text", ""),
                                       table))
        self.budget.add(self.budget.cost(table.values()), f"line {self.line:,}")
        self.changes.append(self.pending)
        self.result.items.append(Imported({"id": "", **table}, line=self.line))

    # One question -----------------------------------------------------------------------

    def question(self, text: str) -> dict[str, Any]:
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                # Moodle reads what follows the opening '::' as the question, named from its text.
                self.warn("the title has no closing '::'; what follows the opening '::' is the question, as Moodle "
                          "reads it")
                text = text[2:].strip()
            else:
                self.title = _restore(text[2:end]).strip()
                text = text[end + 2:].strip()
        if _EMBEDDED.search(text):
            return self.embedded(text)
        start, end = text.find("{"), text.find("}")
        if start < 0 and end < 0:
            raise _Skip("a description (text with no {answers}); quizdeck has no question without answers")
        if start < 0 or end < 0 or end < start or "{" in text[start + 1:end]:
            raise _Skip("unbalanced braces: write one {...} holding the answers (escape a literal brace as \\{)")
        tail = text[end + 1:]
        if "{" in tail or "}" in tail:
            raise _Skip("more than one {...} answer set; GIFT allows one per question")
        if _STRAY_TAIL.match(tail.strip()):
            self.warn(f"ignored the stray {quoted(tail.strip())} after the closing brace")
            tail = ""
        # Text after the answers makes a missing-word question: the blank stays in the prompt.
        raw_prompt = text[:start].strip() if not tail.strip() else text[:start] + BLANK + tail
        answers = text[start + 1:end].strip()
        general = ""
        split = answers.rfind("####")
        if split >= 0:
            general, answers = answers[split + 4:], answers[:split].strip()
        prompt_format, prompt = self.text(raw_prompt.strip(), "moodle")
        explanation = self.text(general, prompt_format)[1]
        if not prompt:
            raise _Skip("the question has no text")
        if not answers:
            raise _Skip("an essay question ({} with nothing inside); quizdeck has no essay type")
        table: dict[str, Any]
        if answers.startswith("#"):
            table, folded = self.numeric(answers[1:], prompt_format)
        elif "~" in answers:
            table, folded = self.multichoice(answers, prompt_format)
        elif "=" in answers and "->" in answers:
            table, folded = self.matching(answers, prompt_format)
        elif answers.split("#", 1)[0].strip() in _TRUE_FALSE:
            table, folded = self.truefalse(answers, prompt_format)
        else:
            table, folded = self.shortanswer(answers, prompt_format)
        table = {"type": table.pop("type"), "prompt": prompt, **table}
        explanation = _explanation(explanation, folded, _explained(table))
        if explanation:
            table["explanation"] = explanation
        return table

    def text(self, raw: str, default_format: str) -> tuple[str, str]:
        """A piece of GIFT text as plain text: its [format] marker applied, escapes restored."""
        raw = raw.strip()
        text_format = default_format
        marker = _FORMAT.match(raw)
        if marker:
            text_format, raw = marker.group(1).lower(), raw[marker.end():]
        text = _restore(raw)
        # Moodle's default "Moodle auto-format" is HTML whose line breaks are kept: `(<i>go</i>)` shows
        # "(go)". Text with no markup at all is shown as written, so it is kept as written.
        if text_format == "html" or (text_format == "moodle" and _MARKUP.search(text)):
            if text_format == "moodle":
                text = text.replace("\n", "<br>")
            text, images = html_to_text(text)
            for source in images:
                self.warn(f"HTML image {quoted(source)} dropped (only its alt text is kept)")
        return text_format, text.strip()

    @staticmethod
    def literal(raw: str) -> str:
        """A piece of GIFT text kept as written: its [format] marker and escapes removed, nothing converted."""
        raw = raw.strip()
        marker = _FORMAT.match(raw)
        return _restore(raw[marker.end():] if marker else raw).strip()

    def embedded(self, text: str) -> dict[str, Any]:
        """Moodle Cloze's embedded answers, `{1:MC:~a~=b}` or `{1:SA:=x}`, as a cloze whose blanks are typed."""
        parts: list[str] = []
        position = 0
        # Each answer's feedback, as `answer (blank N): feedback`, and the labels of the right answers.
        folded: list[tuple[str, str]] = []
        explained: set[str] = set()
        for number, found in enumerate(_EMBEDDED.finditer(text), 1):
            parts.append(text[position:found.start()])
            position = found.end()
            parts.append(self.blank(number, found.group(2).upper(), found.group(3), folded, explained))
        parts.append(text[position:])
        rest = "".join(parts)
        if "{" in rest.replace("{{", "") or "}" in rest.replace("}}", ""):
            raise _Skip("embedded answers mixed with a GIFT answer set; write one or the other")
        cloze = self.text(rest, "moodle")[1]
        if not cloze:
            raise _Skip("the question has no text")
        table: dict[str, Any] = {"type": "cloze", "text": cloze}
        explanation = _explanation("", folded, explained)
        if explanation:
            table["explanation"] = explanation
        return table

    def blank(self, number: int, kind: str, answers: str, folded: list[tuple[str, str]], explained: set[str]) -> str:
        """One embedded answer as the deletion `{{cN::answer}}`; what a typed blank cannot keep is reported.

        Its answers' feedback is added to `folded`, as for a question's answers, and the right answer's
        label to `explained`.
        """
        kind = _EMBEDDED_KINDS.get(kind, kind)
        if kind not in ("short", "numeric", "choice"):
            raise _Skip(f"blank {number} is a {quoted(kind)} embedded answer; quizdeck's cloze blanks are typed "
                        "and have one right answer")
        pieces = answers.replace("=", "~=").split("~")
        parsed = [a for a in self.answer_list([p for p in pieces if p.strip()], "plain", Decimal(0),
                                              right_marker="=") if a.text]
        full = [a for a in parsed if a.weight >= _FULL]
        if not full:
            raise _Skip(f"blank {number} has no fully right answer")
        answer = full[0].text
        for item in parsed:
            if item.feedback:
                folded.append((f"{item.text} (blank {number})", item.feedback))
        explained.add(f"{answer} (blank {number})")
        if kind == "numeric" and ":" in answer:
            answer, _, tolerance = answer.partition(":")
            self.warn(f"blank {number}: the tolerance {quoted(tolerance.strip())} dropped; the number is typed "
                      "exactly")
            answer = answer.strip()
        if kind == "choice" and len(parsed) > 1:
            self.warn(f"blank {number}: the choices {', '.join(quoted(a.text) for a in parsed if a is not full[0])} "
                      "dropped; the blank is typed")
        elif len(full) > 1:
            self.warn(f"blank {number}: other right answers {', '.join(quoted(a.text) for a in full[1:])} dropped; "
                      "a blank has one answer")
        if kind != "choice":
            for partial in (a for a in parsed if 0 < a.weight < _FULL):
                self.warn(f"blank {number}: partial credit answer {quoted(partial.text)} dropped")
        if "::" in answer or "}}" in answer or "{{" in answer:
            raise _Skip(f"blank {number}'s answer {quoted(answer)} holds '::', '{{{{' or '}}}}', which a cloze "
                        "deletion cannot")
        return f"{{{{c{number}::{answer}}}}}"

    def answer_list(self, pieces: list[str], text_format: str, default_weight: Decimal,
                    right_marker: str | None = None, literal: bool = False) -> list[_Answer]:
        """The answers of a set; with `literal`, their text is what a learner types, kept as written
        (Moodle compares a short answer with the response as written, never as HTML: `=<a>` means
        typing `<a>`), with only its [format] marker and escapes removed."""
        answers = []
        for piece in pieces:
            piece = piece.strip()
            weight, explicit = default_weight, False
            if right_marker is not None and piece.startswith(right_marker):
                weight, piece = _FULL, piece[1:]
            else:
                found = _WEIGHT.match(piece)
                if found:
                    weight, explicit, piece = Decimal(found.group(1)), True, piece[found.end():]
            body, _, feedback = piece.partition("#")
            answers.append(_Answer(self.literal(body) if literal else self.text(body, text_format)[1], weight,
                                   self.text(feedback, text_format)[1], explicit))
        return answers

    def multichoice(self, answers: str, text_format: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        single = "=" in answers
        pieces = answers.replace("=", "~=").split("~")
        if not pieces[0].strip():
            pieces = pieces[1:]
        parsed = []
        # Moodle drops an answer with no text when it saves the question: `{~=right ~wrong}` is read
        # as an empty first answer, then the right one.
        for answer in self.answer_list(pieces, text_format, Decimal(0), right_marker="="):
            if answer.text:
                parsed.append(answer)
            elif answer.weight or answer.feedback:
                self.warn("an answer with no text (but a weight or feedback) dropped, as Moodle drops it")
        if len(parsed) < 2:
            raise _Skip("a multiple-choice question needs at least 2 choices")
        duplicate = first_duplicate([a.text for a in parsed])
        if duplicate is not None:
            raise _Skip(f"the choice {quoted(duplicate)} appears twice")
        right = [a for a in parsed if a.weight > 0]
        if single:
            full = [a for a in parsed if a.weight >= _FULL]
            if not full:
                raise _Skip("no choice gives full credit")
            if len(full) > 1:
                # Moodle gives full marks for any of them; a quizdeck choice has one right answer, and
                # keeping the others as wrong choices would mark a right answer wrong.
                others = ", ".join(quoted(a.text) for a in full[1:])
                self.warn(f"the other fully right choice{'s' if len(full) > 2 else ''} {others} dropped: "
                          "a quizdeck choice question has one right answer")
                parsed = [a for a in parsed if a.weight < _FULL or a is full[0]]
                if len(parsed) < 2:
                    raise _Skip(f"every choice is fully right ({len(full)}); nothing would be wrong")
            for partial in (a for a in right if a.weight < _FULL):
                self.warn(f"partial credit ({_percent(partial.weight)}) for {quoted(partial.text)} dropped: "
                          "it counts as wrong")
            folded = [(a.text, a.feedback) for a in parsed if a.feedback]
            return {"type": "choice", "choices": [a.text for a in parsed], "answer": full[0].text}, folded
        folded = [(a.text, a.feedback) for a in parsed if a.feedback]
        if not right:
            raise _Skip("no choice has a positive weight, so none is right")
        total = sum((a.weight for a in right), Decimal(0))
        if abs(total - _FULL) > Decimal("0.5"):
            raise _Skip(f"the right choices' weights add up to {_percent(total)}, not 100%; quizdeck marks a "
                        "multiple-answer question right only when every right choice is picked")
        return {"type": "multi", "choices": [a.text for a in parsed], "answers": [a.text for a in right]}, folded

    def matching(self, answers: str, text_format: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        pieces = answers.split("=")
        if not pieces[0].strip():
            pieces = pieces[1:]
        pairs: list[list[str]] = []
        for piece in pieces:
            if "->" not in piece:
                raise _Skip(f"the matching pair {quoted(_restore(piece.strip()))} has no '->'")
            left, right = piece.split("->", 1)
            left_text, right_text = self.text(left, text_format)[1], _restore(right).strip()
            if not right_text:
                raise _Skip(f"the matching pair for {quoted(left_text)} has nothing after '->'")
            if not left_text:
                self.warn(f"extra answer {quoted(right_text)} (a distractor with no item) dropped: "
                          "quizdeck's matching has no distractors")
                continue
            pairs.append([left_text, right_text])
        if len(pairs) < 2:
            raise _Skip("a matching question needs at least 2 pairs")
        for side, label in ((0, "left"), (1, "right")):
            duplicate = first_duplicate([p[side] for p in pairs])
            if duplicate is not None:
                raise _Skip(f"the {label} side {quoted(duplicate)} appears in two pairs; quizdeck needs each once")
        # Items matched to the positions 1..n are an ordering question, which is how `write_gift` writes one.
        positions = [p[1] for p in pairs]
        if sorted(positions, key=lambda s: (len(s), s)) == [str(n) for n in range(1, len(pairs) + 1)]:
            return {"type": "order", "items": [p[0] for p in sorted(pairs, key=lambda p: int(p[1]))]}, []
        return {"type": "match", "pairs": pairs}, []

    def truefalse(self, answers: str, text_format: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        bits = answers.split("#", 2)
        answer = _TRUE_FALSE[bits[0].strip()]
        wrong = self.text(bits[1], text_format)[1] if len(bits) > 1 else ""
        right = self.text(bits[2], text_format)[1] if len(bits) > 2 else ""
        # Moodle shows the first feedback to whoever answered wrongly, the second to whoever was right.
        folded = [(str(not answer).lower(), wrong), (str(answer).lower(), right)]
        return {"type": "truefalse", "answer": answer}, [f for f in folded if f[1]]

    def shortanswer(self, answers: str, text_format: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        pieces = answers.split("=")
        if not pieces[0].strip():
            pieces = pieces[1:]
        parsed = [a for a in self.answer_list(pieces, text_format, _FULL, literal=True) if a.text]
        accepted: list[str] = []
        for item in parsed:
            if item.weight >= _FULL and item.text != "*":
                if item.text not in accepted:
                    accepted.append(item.text)
                if "*" in item.text:
                    self.warn(f"the answer {quoted(item.text)} uses Moodle's * wildcard; "
                              "quizdeck compares it literally")
            elif item.weight >= _FULL:
                self.warn("the answer '*' (anything is right) dropped")
            elif item.weight > 0:
                self.warn(f"partial credit answer {quoted(item.text)} ({_percent(item.weight)}) dropped: "
                          "quizdeck has no partial credit")
        if not accepted:
            if any(a.text == "*" and a.weight >= _FULL for a in parsed):
                raise _Skip("its only right answer is '*', which Moodle reads as 'anything is right'; "
                            "quizdeck cannot grade that")
            raise _Skip("no answer gives full credit")
        folded = [(a.text if a.text != "*" else "any other answer", a.feedback) for a in parsed if a.feedback]
        table: dict[str, Any] = {"type": "short", "answer": accepted[0]}
        if len(accepted) > 1:
            table["accept"] = accepted[1:]
        return table, folded

    def numeric(self, answers: str, text_format: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        wrong_feedback = ""
        if "~" in answers:
            answers, _, wrong = answers.partition("~")
            wrong_feedback = self.text(wrong.partition("#")[2], text_format)[1]
        pieces = answers.split("=")
        if not pieces[0].strip():
            pieces = pieces[1:]
        if not pieces:
            raise _Skip("a numerical question needs a number after '#'")
        parsed = self.answer_list(pieces, text_format, _FULL)
        numbers = []
        for item in parsed:
            value, tolerance = _number_and_tolerance(item.text)
            numbers.append((item, value, tolerance))
        full = [n for n in numbers if n[0].weight >= _FULL]
        if not full:
            raise _Skip("no answer gives full credit")
        chosen, value, tolerance = full[0]
        for other, other_value, other_tolerance in numbers:
            if other is not chosen:
                self.warn(f"other answer {_number_text(other_value, other_tolerance)} ({_percent(other.weight)}) "
                          "dropped: quizdeck takes one number and its tolerance")
        table: dict[str, Any] = {"type": "numeric", "answer": number_value(float(value))}
        if tolerance:
            table["tolerance"] = number_value(float(tolerance))
        folded = [(_number_text(v, t), item.feedback) for item, v, t in numbers if item.feedback]
        if wrong_feedback:
            folded.append(("any other answer", wrong_feedback))
        return table, folded


#: Moodle Cloze's embedded answers: `{1:MULTICHOICE:...}`, `{:SA:...}`; the weight is optional.
_EMBEDDED = re.compile(r"\{(\d*):([A-Za-z_]+):([^{}]*)\}")
_EMBEDDED_KINDS = {
    **dict.fromkeys(("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"), "short"),
    **dict.fromkeys(("NUMERICAL", "NM"), "numeric"),
    **dict.fromkeys(("MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH", "MULTICHOICE_S", "MCS",
                     "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS"), "choice"),
    **dict.fromkeys(("MULTIRESPONSE", "MR", "MULTIRESPONSE_H", "MRH", "MULTIRESPONSE_S", "MRS",
                     "MULTIRESPONSE_HS", "MRHS"), "multiple-response"),
}
#: Text a browser would read as markup: a tag, a comment or an entity.
_MARKUP = re.compile(r"<[A-Za-z/!]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+\d*);")

# Moodle finds `[id:...]` and `[tag:...]` with a regular expression whose value runs to the first `]`
# not escaped as `\]`, and stops at a control character (and at `<` or `>` in a tag).
_MARK_END = {"id": re.compile(r"(?<!\\)\]|[\x00-\x1f]"), "tag": re.compile(r"(?<!\\)\]|[<>\x00-\x1f]")}


def _marks(comments: str, name: str) -> list[str]:
    """Every `[name:value]` value in the comments, as Moodle's expression finds them, in linear time.

    Every opener before the same end shares it, so the text after an opener is searched once, not once
    per opener (`[tag:[tag:[tag:...` would otherwise take quadratic time).
    """
    opener, stop = f"[{name}:", _MARK_END[name]
    values: list[str] = []
    start, end = comments.find(opener), -1
    while start >= 0:
        body = start + len(opener)
        if end < body:
            found = stop.search(comments, body)
            if found is None:
                break
            end = found.start()
        if comments[end] == "]" and end > body:
            values.append(comments[body:end].replace("\\]", "]").strip())
            start = comments.find(opener, end + 1)
        elif comments[end] == "]":
            start = comments.find(opener, start + 1)
        else:
            start = comments.find(opener, end + 1)
    return values


def _id_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle's idnumber and tags, written in a question's comments as `// [id:x] [tag:y] [tag:z]`."""
    ids = _marks(comments, "id")
    return (ids[0] if ids else ""), [tag for tag in _marks(comments, "tag") if tag]


def _number_and_tolerance(text: str) -> tuple[Decimal, Decimal]:
    """`5`, `5:0.5` or `1..5` as (answer, tolerance); a range becomes its midpoint and half-width."""
    try:
        if ".." in text[1:]:
            low_text, high_text = text.split("..", 1)
            low, high = Decimal(low_text.strip()), Decimal(high_text.strip())
            if low > high:
                low, high = high, low
            value, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in text[1:]:
            value_text, tolerance_text = text.split(":", 1)
            value, tolerance = Decimal(value_text.strip()), abs(Decimal(tolerance_text.strip()))
        else:
            value, tolerance = Decimal(text.strip()), Decimal(0)
    except ArithmeticError:  # decimal's InvalidOperation and Overflow
        raise _Skip(f"{quoted(text)} is not a number, a number:tolerance or a min..max range") from None
    if not (value.is_finite() and tolerance.is_finite()):
        raise _Skip(f"{quoted(text)} is not a finite number")
    return value, tolerance


def _number_text(value: Decimal, tolerance: Decimal) -> str:
    shown = format_number(float(value))
    return f"{shown} ± {format_number(float(tolerance))}" if tolerance else shown


def _percent(weight: Decimal) -> str:
    return f"{weight.normalize():f}%"


def _restore(text: str) -> str:
    return _UNESCAPE.sub(lambda m: _RESTORED[m.group(0)], text)


def _explained(table: dict[str, Any]) -> set[str]:
    """The answer labels whose feedback explains the right answer: the right answers, and both
    sides of a true/false question (its one wrong answer's feedback is the statement's correction)."""
    kind = table["type"]
    if kind == "choice":
        return {table["answer"]}
    if kind == "multi":
        return set(table["answers"])
    if kind == "short":
        return {table["answer"], *table.get("accept", ())}
    if kind == "numeric":
        return {_number_text(Decimal(str(table["answer"])), Decimal(str(table.get("tolerance", 0))))}
    if kind == "truefalse":
        return {"true", "false"}
    return set()


def _explanation(general: str, folded: list[tuple[str, str]], explained: set[str]) -> str:
    """The general feedback, then each answer's feedback as `answer: feedback`; written once without
    the label when it is the same for all and they all explain the right answer - feedback on a wrong
    answer ("No, Lyon is in the south") keeps its label, since every learner reads the explanation."""
    lines: list[str] = []
    if folded:
        texts = {feedback for _, feedback in folded}
        if len(texts) == 1 and all(label in explained for label, _ in folded):
            lines.append(folded[0][1])
        else:
            lines.extend(f"{label}: {feedback}" for label, feedback in folded)
    return "\n\n".join(part for part in (general, "\n".join(lines)) if part)


def parse_gift(text: str, name: str = "<gift>") -> ImportResult:
    """Read GIFT text: a bank table per question, and a problem (with its line) for each skip or change."""
    return _Reader(name).read(text)


def read_gift(text: str, name: str = "<gift>") -> tuple[list[Question], list[Problem]]:
    """The questions GIFT text holds, loaded as a bank would load them, and every problem found."""
    result = parse_gift(text, name)
    good, refused = validate(result)
    problems = sorted([*result.problems, *refused], key=problem_order)
    return [question for _, question in good], problems


# --- writing -------------------------------------------------------------------------------

_SPECIAL = str.maketrans({"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}",
                          ":": "\\:", "\n": "\\n", "\r": ""})
_BLANK_RUN = re.compile(r"_{3,}")


def escape(text: str, leading: bool = True) -> str:
    """Text with GIFT's control characters escaped, and newlines as `\\n`.

    A `leading` text (one a [format] marker may start) that starts like a marker gets an
    explicit `[plain]`, so the marker-like start survives the import.
    """
    escaped = text.translate(_SPECIAL)
    return f"[plain]{escaped}" if leading and _FORMAT.match(escaped) else escaped


def _weighted(text: str, weight: str, implicit: str = "0") -> str:
    """An answer's text after its `=` or `~`: with its weight, or `implicit` when the text starts like one."""
    escaped = escape(text)
    if weight or _WEIGHT.match(escaped):
        return f"%{weight or implicit}%{escaped}"
    return escaped


class _Writer:
    """Writes questions as GIFT; collects what could not be written."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.left_out: dict[str, list[str]] = {}
        self.notes: list[str] = []

    def bank(self, bank: Bank, out: list[str]) -> int:
        category = bank.title.replace("/", "//").replace("\n", " ")
        out.append(f"// {bank.id}: {bank.title}" .replace("\n", " "))
        # The bank's details, on one comment line Moodle ignores and `quizdeck import` reads back.
        out.append(BANK_MARK + json.dumps(bank_details(bank), ensure_ascii=False))
        out.append(f"$CATEGORY: $course$/top/{category}")
        out.append("")
        written = 0
        self.left_out = {}
        for question in bank.questions:
            text = self.question(bank, question)
            if text is not None:
                out.append(text)
                out.append("")
                written += 1
        if self.left_out:
            # One line per bank: a bank whose every question has tags would otherwise say so N times.
            keys = [f"{key} ({_questions(ids)})" for key, ids in self.left_out.items()]
            self.problems.append(Problem(bank.name, f"GIFT has no place for {', '.join(keys)}; left out",
                                         severity="warning"))
        return written

    def report(self, bank: Bank, question: Question, message: str) -> None:
        self.problems.append(Problem(bank.name, f"not exported: {message}", where=f"question {quoted(question.id)}"))

    def question(self, bank: Bank, question: Question) -> str | None:
        self.notes = []
        try:
            prompt, answers = self.parts(question)
        except _Skip as reason:
            self.report(bank, question, str(reason))
            return None
        for key in unsupported_keys(question, ("tags",)):
            self.left_out.setdefault(key, []).append(question.id)
        if any(c in tag for tag in question.tags for c in "<>\n"):
            self.notes.append("a tag with '<', '>' or a line break, which Moodle does not accept in tags")
        for note in self.notes:
            self.problems.append(Problem(bank.name, note, where=f"question {quoted(question.id)}", severity="warning"))
        general = "####" + escape(question.explanation) if question.explanation else ""
        if isinstance(answers, list):
            body = "\n" + "".join(f"\t{line}\n" for line in [*answers, *([general] if general else [])])
        else:
            body = answers + general
        # Moodle 3.6 and later read a question's idnumber and tags from its comment lines.
        marks = [f"[id:{question.id}]", *(f"[tag:{_tag(tag)}]" for tag in question.tags)]
        head = f"// {' '.join(marks)}\n::{question.id}::"
        texts = [prompt, question.explanation, body]
        if any("<" in t or "&" in t for t in texts):
            head += "[plain]"  # quizdeck text is plain: keep Moodle from reading it as HTML
        blanks = list(_BLANK_RUN.finditer(prompt))
        if len(blanks) == 1 and prompt[blanks[0].end():].strip():
            blank = blanks[0]
            return (head + escape(prompt[:blank.start()]) + "{" + body + "}"
                    + escape(prompt[blank.end():], leading=False))
        return head + escape(prompt) + "{" + body + "}"

    def parts(self, question: Question) -> tuple[str, str | list[str]]:
        """The prompt, and what goes between the braces: one line each, or inline."""
        if isinstance(question, Choice):
            lines = [("=" + escape(c)) if c == question.answer else ("~" + _weighted(c, ""))
                     for c in question.choices]
            return question.prompt, lines
        if isinstance(question, Multi):
            right = _share(len(question.answers))
            if right not in _MOODLE_GRADES:
                self.notes.append(f"{len(question.answers)} right choices of {right}% each: Moodle's grade list "
                                  "lacks it, so choose \"Nearest grade if not listed\" when importing")
            lines = [("~" + _weighted(c, right if c in question.answers else "-100")) for c in question.choices]
            return question.prompt, lines
        if isinstance(question, TrueFalse):
            return question.prompt, "TRUE" if question.answer else "FALSE"
        if isinstance(question, Short):
            texts = [question.answer, *question.accept]
            if any("->" in t for t in texts):
                raise _Skip("an answer contains '->', which GIFT would read as a matching question")
            return question.prompt, [("=" + _weighted(t, "", "100")) for t in texts]
        if isinstance(question, Numeric):
            number = format_number(question.answer)
            if question.tolerance:
                number += ":" + format_number(question.tolerance)
            return question.prompt, "#" + number
        if isinstance(question, Match):
            return question.prompt, self.pairs(question.pairs)
        if isinstance(question, Order):
            pairs = tuple((item, str(n)) for n, item in enumerate(question.items, 1))
            return question.prompt, self.pairs(pairs)
        if isinstance(question, Cloze):
            return self.cloze(question)
        if isinstance(question, Card):
            raise _Skip("a flashcard is graded by the learner; GIFT has no such question")
        raise AssertionError(f"unknown question type {question.type}")  # pragma: no cover

    @staticmethod
    def pairs(pairs: Sequence[tuple[str, str]]) -> list[str]:
        lines = []
        for left, right in pairs:
            if "->" in left:
                raise _Skip(f"the item {quoted(left)} contains '->', which GIFT uses between item and match")
            lines.append(f"={escape(left)} -> {escape(right, leading=False)}")
        return lines

    @staticmethod
    def cloze(question: Cloze) -> tuple[str, str]:
        from quizdeck.questions import CLOZE_PATTERN

        found = list(CLOZE_PATTERN.finditer(question.text))
        if len(found) != 1:
            raise _Skip(f"a cloze with {len(found)} deletions; GIFT's missing word has one blank "
                        "(split it into one cloze per deletion to export it)")
        deletion = found[0]
        before, after = question.text[:deletion.start()], question.text[deletion.end():]
        if question.prompt:
            before = question.prompt + "\n" + before
        # The blank stays visible even at the very end, where GIFT would not show one.
        prompt = before + BLANK + after
        answer = deletion.group(2).strip()
        if "->" in answer:
            raise _Skip("the deletion contains '->', which GIFT would read as a matching question")
        return prompt, "=" + _weighted(answer, "", "100")


def _tag(tag: str) -> str:
    """A tag as Moodle reads it inside `[tag:...]`: a literal `]` escaped."""
    return tag.replace("]", "\\]").replace("\n", " ")


def _questions(ids: list[str]) -> str:
    """`question "a"`, `questions "a", "b"`, or `12 questions` when there are many."""
    if len(ids) > 3:
        return f"{len(ids)} questions"
    return f"question{'s' if len(ids) > 1 else ''} {', '.join(quoted(i) for i in ids)}"


#: The percentages Moodle's question bank lists; its GIFT import refuses others unless told to round.
_MOODLE_GRADES = frozenset({"100", "50", "33.33333", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10",
                            "5"})


def _share(count: int) -> str:
    """Each of `count` right answers' percent, as Moodle writes it (33.33333)."""
    return f"{Decimal(100) / count:.5f}".rstrip("0").rstrip(".")


def bank_details(bank: Bank) -> dict[str, Any]:
    """A bank's [bank] table (those keys with a value) as a format's comment carries it."""
    details: dict[str, Any] = {"id": bank.id, "title": bank.title, "language": bank.language}
    for key, value in (("description", bank.description), ("authors", list(bank.authors)),
                       ("tags", list(bank.tags)), ("source", bank.source)):
        if value:
            details[key] = value
    if not bank.fuzzy:
        details["fuzzy"] = False
    return details


def write_gift(banks: Sequence[Bank]) -> tuple[str, int, list[Problem]]:
    """GIFT text for banks (a $CATEGORY per bank), how many questions it holds, and what was left out.

    Questions GIFT cannot express (cards, clozes with several deletions) are reported and not
    written; keys it has no place for (hints, tags, units...) are reported as warnings.
    """
    writer = _Writer()
    out: list[str] = []
    written = sum(writer.bank(bank, out) for bank in banks)
    return "\n".join(out).rstrip("\n") + "\n", written, writer.problems
