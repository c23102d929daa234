"""Hostile banks: each is refused with the place to fix it, never accepted half-way or with a traceback."""

from __future__ import annotations

from datetime import timedelta

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdeck.bank import parse_bank
from quizdeck.errors import BankError

HEAD = '[bank]\nid = "h"\ntitle = "H"\nlanguage = "en"\n\n'


def problems(text: str) -> list[str]:
    with pytest.raises(BankError) as failure:
        parse_bank(text, "h.toml")
    return [str(p) for p in failure.value.problems]


@pytest.mark.parametrize("bad", ["q1\\n", "q1\\r\\n", "\\nq1", "q1 ", "Q1", "q_1"])
def test_an_id_with_a_line_break_or_other_characters_is_refused(bad: str) -> None:
    found = problems(HEAD + f'[[questions]]\nid = "{bad}"\ntype = "card"\nprompt = "p"\nback = "b"\n')
    assert len(found) == 1
    assert found[0].startswith(f'h.toml:7: question "{bad}" (#1), key "id": "{bad}" is not a valid id')


@pytest.mark.parametrize("bad", ["en\\n", "en-\\n"])
def test_a_language_with_a_line_break_is_refused(bad: str) -> None:
    text = (f'[bank]\nid = "h"\ntitle = "H"\nlanguage = "{bad}"\n\n'
            '[[questions]]\nid = "q"\ntype = "card"\nprompt = "p"\nback = "b"\n')
    assert any('key "language"' in p for p in problems(text))


@pytest.mark.parametrize(("written", "shown"), [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ("1e400", "inf")])
def test_numeric_answers_that_are_not_finite_numbers_are_refused(written: str, shown: str) -> None:
    found = problems(HEAD + f'[[questions]]\nid = "q"\ntype = "numeric"\nprompt = "p"\nanswer = {written}\n')
    assert found == [f'h.toml:10: question "q" (#1), key "answer": expected a finite number, got {shown}']


@pytest.mark.parametrize("key", [
    ".".join(["a"] * 40_000) + " = 1",
    "[" + ".".join(["a"] * 40_000) + "]",
    '"a".' * 17 + "b = 1",
    "x = { " + "a . " * 17 + "b = 1 }",
])
def test_a_key_dotted_deeper_than_the_limit_is_refused_before_parsing(key: str) -> None:
    found = problems(HEAD + key + "\n")
    assert len(found) == 1
    assert found[0].startswith("h.toml:6:")
    assert "parts (the limit is 16); no bank or sheet nests keys this deep" in found[0]


@pytest.mark.parametrize("text", [
    'prompt = "' + "a." * 1000 + '"',
    "prompt = '" + "a." * 1000 + "'",
    'prompt = """\n' + "a.\n" * 1000 + '"""',
    "# " + "a." * 1000,
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p = 1",
])
def test_dots_in_strings_comments_and_keys_within_the_limit_are_fine(text: str) -> None:
    from quizdeck.bank import parse_toml

    parse_toml(text + "\n", "t.toml")


def test_a_bank_with_thousands_of_problems_lists_twenty_and_counts_the_rest() -> None:
    questions = "".join(f'[[questions]]\nid = "q{n}"\ntype = "card"\nprompt = "p"\nback = "b"\nanwser = 1\n\n'
                        for n in range(5000))
    found = problems(HEAD + questions)
    assert len(found) == 21
    assert found[0].startswith('h.toml:11: question "q0" (#1): unknown key "anwser"')
    assert found[19].startswith('h.toml:144: question "q19" (#20): unknown key "anwser"')
    assert found[-1] == "h.toml: … and 4,980 more problems"


@settings(deadline=timedelta(milliseconds=500), max_examples=150)
@given(st.integers(min_value=1, max_value=40), st.sampled_from(["dotted", "header", "inline"]))
def test_keys_nested_up_to_the_limit_load_and_deeper_ones_are_refused(depth: int, form: str) -> None:
    from quizdeck.bank import MAX_KEY_PARTS, parse_toml

    nested: dict[str, object] = {"x": 1}
    for level in range(depth - 1):
        nested = {f"k{level}": nested}
    if form == "header":
        text = tomli_w.dumps(nested)  # [k38.k37...] headers
    else:
        key = ".".join(f'"k{n}"' if n % 2 else f"k{n}" for n in reversed(range(depth - 1)))
        key = f"{key}.x" if key else "x"
        text = f"{key} = 1\n" if form == "dotted" else f"t = {{ {key} = 1 }}\n"
        nested = nested if form == "dotted" else {"t": nested}
    # A header holds every part but the last key's.
    parts = depth - 1 if form == "header" else depth
    if parts <= MAX_KEY_PARTS:
        assert parse_toml(text, "t.toml") == nested
    else:
        with pytest.raises(BankError, match=rf"^t\.toml:\d+:\d+: a dotted key of {parts} parts"):
            parse_toml(text, "t.toml")


@settings(deadline=timedelta(milliseconds=500), max_examples=150)
@given(st.lists(st.sampled_from(["a", ".", " . ", '"q.r"', "'s.t'", "#", "\n", " = ", "1", "[", "]", "{", "}",
                                 '"""', "'''", "\\", ","]), max_size=2000).map("".join))
def test_any_text_is_read_or_refused_with_a_bank_error_in_linear_time(text: str) -> None:
    from quizdeck.bank import parse_toml

    try:
        parse_toml(text, "t.toml")
    except BankError as error:
        assert all(p.path == "t.toml" for p in error.problems)


@pytest.mark.parametrize(("text", "place", "parts"), [
    (".".join(["a"] * 40_000) + " = 1\n", "6:1", "40,000"),
    ("x = 1\n  " + "a." * 17 + "b = 1\n", "7:3", "18"),
    ('t = { s = "x.y.z", ' + "b . " * 16 + "c = 1 }\n", "6:20", "17"),
    ("# a.b\n[" + "k." * 16 + "k]\n", "7:2", "17"),
    ("a." * 15 + 'b = 1\nx = "' + "a." * 20 + '"\n' + '"q".' * 17 + "z = 1\n", "8:1", "18"),
])
def test_a_key_dotted_too_deep_is_reported_where_it_starts_with_its_parts(text: str, place: str, parts: str) -> None:
    assert problems(HEAD + text) == [
        f"h.toml:{place}: a dotted key of {parts} parts (the limit is 16); no bank or sheet nests keys this deep"]


K16 = ".".join("abcdefghijklmnop")  # a key of 16 parts: the most a key may have
IN_A_STRING = 'x = "' + "a." * 17 + '"\n'  # 17 dotted parts, but text: not a key


@pytest.mark.parametrize(("text", "expected"), [
    # A dot starting a line is no key's: what follows is a key of 16 parts, left to tomllib.
    ("." + K16 + " = 1\n", "t.toml:1:1: TOML syntax error: Invalid statement"),
    ("x = 1\n." + K16 + " = 1\n", "t.toml:2:1: TOML syntax error: Invalid statement"),
    # A key of 16 parts before one of 17: the longer is reported.
    (K16 + " = 1\n" + K16 + ".q = 1\n",
     "t.toml:2:1: a dotted key of 17 parts (the limit is 16); no bank or sheet nests keys this deep"),
    # Keys of 16 parts after dots in a string, ended by a string or by the end of the file.
    (IN_A_STRING + K16 + '"x" = 1\n', "t.toml:2:32: TOML syntax error: Expected '=' after a key in a key/value "
                                      'pair (text must be quoted: key = "value")'),
    (IN_A_STRING + K16, "t.toml:2: TOML syntax error: Expected '=' after a key in a key/value pair at the end of "
                        'the file (text must be quoted: key = "value")'),
    (IN_A_STRING + K16 + ".q",
     "t.toml:2:1: a dotted key of 17 parts (the limit is 16); no bank or sheet nests keys this deep"),
])
def test_keys_of_sixteen_parts_are_left_to_tomllib_and_longer_ones_refused(text: str, expected: str) -> None:
    from quizdeck.bank import parse_toml

    with pytest.raises(BankError) as failure:
        parse_toml(text, "t.toml")
    assert [str(p) for p in failure.value.problems] == [expected]
