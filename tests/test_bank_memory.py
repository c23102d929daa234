"""The loader's memory: validating a bank costs no more than parsing its TOML.

Counted allocations (tracemalloc), not time: the same on every run and every machine. The
whole-process peak for large banks is measured by bench/load.py.
"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable

import pytest

from quizdeck.bank import parse_bank
from quizdeck.errors import BankError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

BODIES = [
    'type = "card"\nprompt = "الخلايا النائمة {n}"\nback = "sleeper cells {n}"\nreverse = true\n',
    'type = "choice"\nprompt = "كم قاعدة سُلّمت؟ {n}"\nchoices = ["4", "6", "8", "12"]\nanswer = "8"\n',
    'type = "multi"\nprompt = "Which? {n}"\nchoices = ["a", "b", "c", "d"]\nanswers = ["a", "c"]\n',
    'type = "truefalse"\nprompt = "True? {n}"\nanswer = true\n',
    'type = "short"\nprompt = "Who? {n}"\nanswer = "غابي طومسون"\naccept = ["طومسون"]\ntags = ["people"]\n',
    'type = "numeric"\nprompt = "How many? {n}"\nanswer = 50000\ntolerance = 0\nunit = "people"\n',
    'type = "cloze"\ntext = "في عام {{{{c1::2017}}}} أُعلن {{{{c2::النصر::hint}}}} {n}"\n',
    'type = "order"\nprompt = "Order {n}"\nitems = ["2014", "2017", "2020"]\n',
    'type = "match"\nprompt = "Match {n}"\npairs = [["a", "1"], ["b", "2"], ["c", "3"]]\n',
]


def bank_text(count: int) -> str:
    parts = ['[bank]\nid = "big"\ntitle = "Big"\nlanguage = "ar"\n']
    for n in range(count):
        parts.append(f'\n[[questions]]\nid = "q-{n}"\n{BODIES[n % len(BODIES)].format(n=n)}source = "نص {n}"\n')
    return "".join(parts)


def peak_bytes(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_validating_a_large_bank_peaks_within_15_percent_of_parsing_it() -> None:
    # The parsed tables are dropped one by one as their questions are built: were both held whole
    # at once, the peak would be about 1.3x the parse's.
    text = bank_text(1800)
    parsed = peak_bytes(lambda: tomllib.loads(text))
    loaded = peak_bytes(lambda: parse_bank(text))
    assert loaded <= 1.15 * parsed, (loaded, parsed)


def test_a_bank_with_problems_still_reports_every_question_after_the_tables_are_dropped() -> None:
    text = bank_text(30).replace('answer = "8"', 'answer = "9"')
    with pytest.raises(BankError) as raised:
        parse_bank(text, "big.toml")
    message = str(raised.value)
    assert message.count('"9" is not one of the choices') == 4
    assert 'question "q-1" (#2), key "answer"' in message
    assert 'question "q-28" (#29), key "answer"' in message
