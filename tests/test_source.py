"""Source texts: paragraphs, finding quotes exactly or in spite of harakat, and a bank's report."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdeck.bank import parse_bank
from quizdeck.errors import UsageError
from quizdeck.source import (
    SourceText,
    check_quotes,
    check_sources,
    is_haraka,
    load_source,
    parse_source,
)

# Three paragraphs, one a line, in the style of the seed text: harakat on a few words
# (ممّا, مجدٍ), a tatweel used as a dash, typographic quotation marks.
TEXT = (
    "“في عام 2014، كان داعش في كل مكان”. قالت المتحدثة.\n"
    "وهذا ليس بهذه البساطة ـ ممّا يجعل الانسحاب غير مجدٍ ويؤدي إلى نتائج عكسية.\n"
    "وأعلنوا النصر في عام 2017، وحان وقت الرحيل.\n"
)


@pytest.fixture
def text() -> SourceText:
    return parse_source(TEXT, "article.txt")


# --- paragraphs ---------------------------------------------------------------------------------


def test_one_paragraph_a_line(text: SourceText) -> None:
    assert text.mode == "lines"
    assert [p.number for p in text.paragraphs] == [1, 2, 3]
    assert [p.line for p in text.paragraphs] == [1, 2, 3]
    assert text.paragraph_text(3) == "وأعلنوا النصر في عام 2017، وحان وقت الرحيل."


def test_blank_lines_between_one_line_paragraphs_change_nothing() -> None:
    spaced = parse_source("alpha one\n\n\nbeta two\n\ngamma three\n")
    assert spaced.mode == "lines"
    assert [spaced.paragraph_text(n) for n in (1, 2, 3)] == ["alpha one", "beta two", "gamma three"]
    assert [p.line for p in spaced.paragraphs] == [1, 4, 6]


def test_hard_wrapped_text_is_split_at_blank_lines() -> None:
    wrapped = parse_source("alpha one\nalpha two\n\nbeta one\n   \ngamma one\ngamma two\n")
    assert wrapped.mode == "blocks"
    assert [p.line for p in wrapped.paragraphs] == [1, 4, 6]
    assert wrapped.paragraph_text(1) == "alpha one\nalpha two"
    assert wrapped.paragraph_text(3) == "gamma one\ngamma two"


def test_paragraph_mode_can_be_forced() -> None:
    raw = "alpha one\nalpha two\n\nbeta one\n"
    assert len(parse_source(raw, paragraphs="lines").paragraphs) == 3
    assert len(parse_source(raw, paragraphs="blocks").paragraphs) == 2
    # Without a blank line, "auto" cannot tell wrapped lines from paragraphs: lines win.
    assert len(parse_source("alpha one\nalpha two\n").paragraphs) == 2
    with pytest.raises(UsageError, match="paragraphs must be one of auto, lines, blocks"):
        parse_source(raw, paragraphs="sentences")  # type: ignore[arg-type]


def test_crlf_and_bom_are_read_as_plain_lines() -> None:
    text = parse_source("\ufeffalpha one\r\nbeta two\r\n")
    assert text.paragraph_text(1) == "alpha one"
    assert text.find("alpha one beta").spans == (1, 2)


# --- finding quotes -----------------------------------------------------------------------------


def test_exact_quote_and_its_paragraph(text: SourceText) -> None:
    match = text.find("ممّا يجعل الانسحاب غير مجدٍ")
    assert match.status == "exact"
    assert match.paragraphs == (2,)
    assert match.paragraph == 2
    assert match.start is not None and match.end is not None
    assert text.text[match.start:match.end] == "ممّا يجعل الانسحاب غير مجدٍ"


def test_whitespace_is_folded_on_both_sides() -> None:
    text = parse_source("first line here\n\nthe quick  brown\nfox jumps over\nthe dog\n")
    match = text.find("  quick brown fox\tjumps\n over ")
    assert match.status == "exact"
    assert match.paragraphs == (2,)


def test_typographic_quotation_marks_copied_are_exact(text: SourceText) -> None:
    match = text.find("“في عام 2014، كان داعش في كل مكان”.")
    assert (match.status, match.paragraphs) == ("exact", (1,))


def test_harakat_the_quote_leaves_out_are_reported_not_missing(text: SourceText) -> None:
    match = text.find("مما يجعل الانسحاب غير مجد ويؤدي")
    assert match.status == "loose"
    assert match.found
    assert match.paragraphs == (2,)
    assert match.detail == (
        'in harakat only: the text has "ممّا" where the quote has "مما"; '
        'the text has "مجدٍ" where the quote has "مجد"'
    )


def test_harakat_the_quote_adds_are_reported(text: SourceText) -> None:
    match = text.find("وأَعْلَنُوا النَّصْر")
    assert match.status == "loose"
    assert match.detail == (
        'in harakat only: the text has "وأعلنوا النصر" where the quote has "وأَعْلَنُوا النَّصْر"'
    )


def test_a_word_that_ends_in_a_mark_is_shown_whole(text: SourceText) -> None:
    # The quote stops at the dal of مجدٍ; the text's word keeps its tanween in the message.
    match = text.find("غير مجد")
    assert match.status == "exact"  # a quote may stop anywhere: "مجد" is in "مجدٍ"
    match = text.find("الانسحاب غير مجد ويؤدي")
    assert match.detail == 'in harakat only: the text has "مجدٍ" where the quote has "مجد"'


def test_tatweel_dash_left_out(text: SourceText) -> None:
    match = text.find("ليس بهذه البساطة ممّا يجعل")
    assert match.status == "loose"
    assert match.detail == 'in tatweel only: the text has "ـ" where the quote has nothing'


def test_straight_quotation_marks_for_typographic_ones(text: SourceText) -> None:
    match = text.find('"في عام 2014، كان داعش في كل مكان".')
    assert match.status == "loose"
    assert match.detail.startswith("in quotation marks only: the text has \"“في\" where the quote has")


def test_several_kinds_of_difference_are_all_named(text: SourceText) -> None:
    match = text.find('"في عامٍ 2014')
    assert match.status == "loose"
    assert match.detail.startswith("in harakat and quotation marks only: ")


def test_shadda_and_fatha_in_either_order_are_the_same_text() -> None:
    text = parse_source("إنّ الشدَّة هنا\n")  # fatha typed after shadda
    assert text.find("الشدَّة").status == "exact"
    assert text.find("الشد\u064e\u0651ة").status == "exact"  # fatha typed before shadda


def test_invisible_direction_marks_are_forgiven_as_such(text: SourceText) -> None:
    match = text.find("وحان\u200f وقت الرحيل")
    assert match.status == "loose"
    assert match.detail.startswith("in invisible marks only: ")


def test_a_changed_letter_is_missing_and_the_report_says_where_it_parts(text: SourceText) -> None:
    match = text.find("وأعلنوا النصر في عام 2018")
    assert match.status == "missing"
    assert not match.found
    assert match.paragraphs == ()
    assert match.detail == (
        'its first 4 words match paragraph 3, then the text has "2017، وحان" '
        'where the quote has "2018"'
    )


def test_hamza_is_a_letter_not_a_mark() -> None:
    text = parse_source("تحت سيطرة قوات الامن العراقية.\n")
    match = text.find("تحت سيطرة قوات الأمن")
    assert match.status == "missing"
    assert match.detail == (
        'its first 3 words match paragraph 1, then the text has "الامن العراقية." '
        'where the quote has "الأمن"'
    )


def test_a_quote_with_no_word_of_the_text(text: SourceText) -> None:
    match = text.find("أرض الخلافة")
    assert match.detail == 'not even its first word, "أرض", occurs in the text'


def test_a_quote_that_runs_past_the_end(text: SourceText) -> None:
    match = text.find("وقت الرحيل. والنهاية")
    assert match.detail == (
        'its first 2 words match the end of paragraph 3, where the quote goes on "والنهاية"'
    )


def test_a_quote_of_marks_only_has_no_letters(text: SourceText) -> None:
    assert text.find("\u064b\u0651").detail == "the quote has no letters"


def test_a_quote_found_in_two_paragraphs(text: SourceText) -> None:
    match = text.find("في عام")
    assert match.status == "exact"
    assert match.paragraphs == (1, 3)
    assert match.paragraph == 1


def test_a_quote_across_two_paragraphs(text: SourceText) -> None:
    match = text.find("قالت المتحدثة. وهذا ليس")
    assert match.status == "exact"
    assert match.paragraphs == (1,)
    assert match.spans == (1, 2)


def test_harakat_are_arabic_combining_marks_only() -> None:
    assert all(is_haraka(c) for c in "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")
    assert not any(is_haraka(c) for c in "اأإآءـ\u0301e ")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_slice_of_the_text_is_found_where_it_starts(data: st.DataObject) -> None:
    text = parse_source(TEXT)
    start = data.draw(st.integers(0, len(TEXT) - 2))
    end = data.draw(st.integers(start + 1, len(TEXT)))
    quote = TEXT[start:end]
    if not quote.strip():
        return
    match = text.find(quote)
    assert match.status == "exact"
    first_letter = start + (len(quote) - len(quote.lstrip()))
    assert text.paragraph_at(first_letter).number in match.paragraphs
    bare = "".join(c for c in quote if not is_haraka(c) and c != "ـ")
    if bare.strip():
        assert text.find(bare).found


# --- a bank's report ----------------------------------------------------------------------------


def bank_with(*sources: str) -> str:
    questions = "".join(
        f'[[questions]]\nid = "q{n}"\ntype = "truefalse"\nprompt = "?"\nanswer = true\n'
        + (f'source = "{quote}"\n' if quote else "")
        for n, quote in enumerate(sources, 1)
    )
    return f'[bank]\nid = "t"\ntitle = "t"\nlanguage = "ar"\n\n{questions}'


def test_a_bank_that_quotes_every_paragraph(text: SourceText) -> None:
    bank = parse_bank(bank_with("قالت المتحدثة", "ممّا يجعل الانسحاب", "وحان وقت الرحيل"), "b.toml")
    report = check_sources(bank, text)
    assert [q.describe() for q in report.questions] == ["paragraph 1", "paragraph 2", "paragraph 3"]
    assert report.problems("b.toml") == []
    assert report.uncovered == ()
    assert report.paragraph_of("q2") == 2
    assert report.summary() == (
        "sources: 3 quotes found in 3 paragraphs; paragraphs without a question: none"
    )


def test_every_kind_of_finding_in_one_report(text: SourceText) -> None:
    bank = parse_bank(bank_with("مما يجعل", "نص غريب", "", "في عام", "قالت المتحدثة"), "b.toml")
    report = check_sources(bank, text)
    assert [q.describe() for q in report.questions] == [
        "paragraph 2 (not verbatim)", "not found", "no source", "paragraphs 1, 3", "paragraph 1",
    ]
    assert [str(p) for p in report.problems("b.toml")] == [
        'b.toml: warning: question "q1" (#1), key "source": quote differs from the text in harakat '
        'only: the text has "ممّا" where the quote has "مما"',
        'b.toml: question "q2" (#2), key "source": quote not found in article.txt: not even its '
        'first word, "نص", occurs in the text',
        'b.toml: warning: question "q3" (#3), key "source": no source quote; add source = "..." '
        "with the sentence of the text the question comes from",
        'b.toml: warning: question "q4" (#4), key "source": quote occurs in paragraphs 1 and 3; '
        "quote more of the sentence so it points to one place",
        "b.toml: warning: paragraph 3 of article.txt has no question",
    ]
    assert report.uncovered == (3,)
    assert report.summary() == (
        "sources: 3 quotes found in 2 paragraphs (1 not verbatim), 1 not found, 1 question "
        "without a source; paragraphs without a question: 3"
    )


def test_uncovered_paragraphs_are_listed(text: SourceText) -> None:
    report = check_quotes([("only", "وحان وقت الرحيل")], text)
    assert report.uncovered == (1, 2)
    assert str(report.problems("b.toml")[-1]) == (
        "b.toml: warning: paragraphs 1 and 2 of article.txt have no question"
    )
    assert report.summary() == (
        "sources: 1 quote found in 1 paragraph; paragraphs without a question: 1, 2"
    )


def test_a_quote_across_paragraphs_is_a_warning(text: SourceText) -> None:
    report = check_quotes([("q", "قالت المتحدثة. وهذا ليس")], text)
    assert report.questions[0].describe() == "paragraphs 1 to 2"
    assert str(report.problems("b.toml")[0]) == (
        'b.toml: warning: question "q" (#1), key "source": quote runs across paragraphs 1 to 2; '
        "quote from one paragraph"
    )


# --- reading the file ---------------------------------------------------------------------------


def test_load_source_reads_utf8(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    text = load_source(path)
    assert text.name == str(path)
    assert len(text.paragraphs) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "source text {path}: no such file"),
        (b"first line\nsecond \xff line\n", "source text {path}:2:8: not UTF-8 text (byte 0xff); "
                                             "save the file as UTF-8"),
        (b"text\x00more", "source text {path}:1:5: binary data (a NUL byte), not a text file"),
        (b" \n\n", "source text {path}: the file is empty; it needs the text the bank quotes from"),
    ],
    ids=["missing", "not-utf8", "binary", "empty"],
)
def test_load_source_says_what_is_wrong(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError) as failure:
        load_source(path)
    assert str(failure.value) == message.format(path=path)
    assert failure.value.exit_code == 2


def test_load_source_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder; give the text file the bank quotes from"):
        load_source(tmp_path)
