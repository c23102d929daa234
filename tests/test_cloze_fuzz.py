"""The cloze reader: the deletions Anki's syntax names, found in linear time, whatever the text.

A reference scanner written plainly (find the next "{{c", read the digits, find where the answer
and the hint end) says which deletions a text holds; the pattern every module uses must agree on
generated texts built from the pieces that confuse a backtracking regex. The deadline fails the
test when a text of a few thousand pieces takes long: the old pattern took seconds on 400 "{{c1::".
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from quizdeck.bank import parse_bank
from quizdeck.errors import BankError
from quizdeck.questions import CLOZE_PATTERN, cloze_display, parse_deletions

CLOZE_BANK = '[bank]\nid = "c"\ntitle = "C"\nlanguage = "en"\n\n[[questions]]\nid = "q"\ntype = "cloze"\ntext = "{}"\n'
PIECES = ["{{c1::", "{{c", "{{", "c1", "::", ":", "}}", "}", "{", "a", " ", "\n", "12345", "٣", "{{c2::b::h}}"]
texts = st.lists(st.sampled_from(PIECES), max_size=3000).map("".join)


def first(text: str, needles: tuple[str, ...], start: int) -> tuple[int, str]:
    """The earliest of `needles` at or after `start` (len(text) and "" when none is)."""
    found = [(text.find(n, start), n) for n in needles]
    return min(((i, n) for i, n in found if i >= 0), default=(len(text), ""))


def reference(text: str) -> list[tuple[int, int, str, str, str | None]]:
    """Deletions as (start, end, number, answer, hint), found by a plain forward scan."""
    found = []
    position = 0
    while (start := text.find("{{c", position)) >= 0:
        digits = start + 3
        end = digits
        while end < len(text) and text[end].isdecimal():
            end += 1
        if not 1 <= end - digits <= 4 or not text.startswith("::", end):
            position = start + 1
            continue
        answer_end, stop = first(text, ("::", "}}", "{{"), end + 2)
        if stop == "}}":
            found.append((start, answer_end + 2, text[digits:end], text[end + 2:answer_end], None))
            position = answer_end + 2
            continue
        if stop == "::":
            hint_end, stop = first(text, ("}}", "{{"), answer_end + 2)
            if stop == "}}":
                found.append((start, hint_end + 2, text[digits:end], text[end + 2:answer_end],
                               text[answer_end + 2:hint_end]))
                position = hint_end + 2
                continue
        position = start + 1
    return found


@settings(deadline=timedelta(milliseconds=400), max_examples=300)
@given(texts)
def test_the_pattern_finds_what_a_forward_scan_finds_in_linear_time(text: str) -> None:
    matches = [(m.start(), m.end(), m.group(1), m.group(2), m.group(3)) for m in CLOZE_PATTERN.finditer(text)]
    assert matches == reference(text)
    parse_deletions(text)
    cloze_display(text)


@settings(deadline=timedelta(milliseconds=1500), max_examples=100)
@given(texts)
def test_checking_any_cloze_text_gives_a_bank_or_a_located_error(text: str) -> None:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    bank = CLOZE_BANK.format(escaped)
    try:
        parse_bank(bank, "cloze.toml")
    except BankError as error:
        assert all(p.path == "cloze.toml" for p in error.problems)
        assert all(p.line == 9 for p in error.problems if 'key "text"' in p.where)


def test_hostile_texts_are_refused_with_the_place_to_fix() -> None:
    for text in ["{{c1::" * 1600, "{{c1::a::" * 1600, "{{c" + "1" * 5000 + "::x}}", "{{c1::" + "::" * 5000]:
        bank = CLOZE_BANK.format(text)
        try:
            parse_bank(bank, "cloze.toml")
        except BankError as error:
            (problem,) = error.problems
            assert str(problem).startswith('cloze.toml:9: question "q" (#1), key "text": malformed deletion near "{{')
        else:
            raise AssertionError("a malformed cloze was accepted")
