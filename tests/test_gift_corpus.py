"""Real GIFT test cases with their expected parses: quizdeck reads what gift-pegjs's own tests expect.

tests/data/gift-pegjs/ holds every test case of the GIFT-grammar-PEG.js parser (MIT licence; see
tests/data/SOURCES.md): a .gift file and the .json parse its tests expect. For every question the
expected parse holds, quizdeck must import a question of the matching kind with the same right
answers, or report it by line when quizdeck has no such question (essays, descriptions).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quizdeck.convert import build_bank, html_to_text
from quizdeck.gift import parse_gift

CORPUS = Path(__file__).resolve().parent / "data" / "gift-pegjs"
CASES = sorted(p.stem for p in CORPUS.glob("*.gift"))

#: What quizdeck does not hold, by gift-pegjs's question type: reported by line, never imported.
REPORTED = {"Essay", "Description"}
KINDS = {"MC": {"choice", "multi"}, "TF": {"truefalse"}, "Short": {"short", "cloze"}, "Numerical": {"numeric"},
         "Matching": {"match", "order"}}


def plain(text: Any) -> str:
    """A gift-pegjs text ({"format", "text"}) as quizdeck shows it."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text.strip()
    # quizdeck trims every line of a question (a Markdown line's two trailing spaces go with it).
    body = "\n".join(line.strip() for line in str(text["text"]).strip().splitlines())
    if text["format"] == "html" or (text["format"] == "moodle" and ("<" in body or "&" in body)):
        return html_to_text(body.replace("\n", "<br>") if text["format"] == "moodle" else body)[0]
    return body


def expected_answers(question: dict[str, Any]) -> Any:
    kind = question["type"]
    if kind == "TF":
        return question["isTrue"]
    if kind == "Matching":
        pairs = question["matchPairs"]
        return [[plain(p["subquestion"]), plain(p["subanswer"])] for p in pairs if plain(p["subquestion"])]
    if kind == "Numerical":
        choices = question["choices"]
        if isinstance(choices, list):
            full = [c for c in choices if c.get("weight") in (None, 100)]
            choices = (full or choices)[0]["text"]
        if choices["type"] == "simple":
            return (choices["number"], 0)
        if choices["type"] == "range":
            return (choices["number"], choices["range"])
        low, high = choices["numberLow"], choices["numberHigh"]
        return ((low + high) / 2, (high - low) / 2)
    texts = [(plain(c["text"]), c["isCorrect"], c.get("weight")) for c in question["choices"]]
    if kind == "Short":
        return [t for t, right, weight in texts if t and ((right and weight is None) or weight == 100) and t != "*"]
    if any(right for _, right, _ in texts):
        return {t for t, right, _ in texts if right}
    return {t for t, _, weight in texts if weight is not None and weight > 0}


def our_answers(table: dict[str, Any]) -> Any:
    kind = table["type"]
    if kind == "truefalse":
        return table["answer"]
    if kind == "match":
        return table["pairs"]
    if kind == "order":
        return [[item, str(n)] for n, item in enumerate(table["items"], 1)]
    if kind == "numeric":
        return (table["answer"], table.get("tolerance", 0))
    if kind == "short":
        return [table["answer"], *table.get("accept", [])]
    if kind == "multi":
        return set(table["answers"])
    return table["answer"]


@pytest.mark.parametrize("case", CASES)
def test_quizdeck_agrees_with_the_expected_parse(case: str) -> None:
    expected = [q for q in json.loads((CORPUS / f"{case}.json").read_text(encoding="utf-8"))
                if q["type"] != "Category"]
    result = parse_gift((CORPUS / f"{case}.gift").read_text(encoding="utf-8"), f"{case}.gift")
    skipped = [p for p in result.problems if p.severity == "error"]
    assert all(p.line is not None for p in result.problems)
    build_bank(result, bank_id="corpus", title=case, language="en")  # loads as `check` would, or raises
    imported = [item.table for item in result.items]
    assert len(imported) + len(skipped) == len(expected), (imported, skipped)
    assert len(skipped) == sum(1 for q in expected if q["type"] in REPORTED), skipped
    ours = iter(imported)
    for question in expected:
        if question["type"] in REPORTED:
            continue
        table = next(ours)
        assert table["type"] in KINDS[question["type"]], (question, table)
        if table["type"] == "cloze":
            continue  # embedded answers: checked in test_gift.py
        want, got = expected_answers(question), our_answers(table)
        if table["type"] == "choice":
            assert got in want, (question, table)
        elif table["type"] == "numeric":
            assert got[0] == pytest.approx(want[0]) and got[1] == pytest.approx(want[1]), (question, table)
        else:
            assert got == want, (question, table)


def test_the_corpus_is_whole() -> None:
    assert len(CASES) == 51
    assert all((CORPUS / f"{case}.json").is_file() for case in CASES)


def test_preformatted_html_keeps_its_lines_and_spaces() -> None:
    # A CSV cell or an Anki field holding code: a browser shows <pre> as written (less the line end
    # right after the tag); the other text is tidied as before.
    text, _ = html_to_text("<p>Does  it end?</p><pre>\nwhile (true) {\n    wait();\n}\n</pre><p>a   b</p>")
    assert text == "Does it end?\n\nwhile (true) {\n    wait();\n}\n\na b"
