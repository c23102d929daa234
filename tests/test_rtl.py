"""Right-to-left display: wrapping, visual order, mode detection, choice labels.

Visual lines are compared exactly, as a terminal without bidi receives them: cells left to
right, Arabic in presentation forms (joined letters), reversed, right-aligned. Arabic phrases
come from the source text (/work/shared/seed/article.ar.txt).
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdeck.errors import UsageError
from quizdeck.rtl import (
    BIDI_OFF,
    BIDI_RESTORE,
    MODES,
    detect_mode,
    display_lines,
    display_text,
    label_set,
    parse_label,
    parse_labels,
    resolve_mode,
    session_prefix,
    session_suffix,
    text_width,
    wrap,
)

VICTORY = "وأعلنوا النصر على داعش في عام 2017"

# --- wrapping -------------------------------------------------------------------------------


def test_wrap_on_word_boundaries_keeping_newlines_and_empty_lines() -> None:
    text = "Each question is worth one point;\n\nmulti earns partial credit."
    assert wrap(text, 20) == [
        "Each question is",
        "worth one point;",
        "",
        "multi earns partial",
        "credit.",
    ]


def test_wrap_cuts_a_word_longer_than_the_line() -> None:
    assert wrap("see https://example.org/a/long/path ok", 12) == [
        "see",
        "https://exam",
        "ple.org/a/lo",
        "ng/path ok",
    ]


def test_wrap_keeps_spaces_inside_a_line_but_not_at_a_break() -> None:
    assert wrap("  Mars", 20) == ["  Mars"]
    assert wrap("Every question type  [all-types]", 20) == ["Every question type", "[all-types]"]
    assert wrap("a  b", 20) == ["a  b"]


def test_harakat_take_no_width_so_voweled_text_wraps_like_plain_text() -> None:
    assert text_width("مُدرَسةُ") == text_width("مدرسة") == 5
    assert text_width("中文") == 4
    voweled = "وأعلنُوا النَّصرَ على داعشَ في عامِ 2017"
    assert [unicodedata.normalize("NFC", line) for line in wrap(VICTORY, 20)] == [
        "وأعلنوا النصر على",
        "داعش في عام 2017",
    ]
    assert len(wrap(voweled, 20)) == 2
    assert wrap(voweled, 20)[0] == "وأعلنُوا النَّصرَ على"


# --- logical mode ---------------------------------------------------------------------------


def test_logical_mode_is_the_wrapped_logical_text_unpadded() -> None:
    assert display_lines(VICTORY, 20, "rtl", "logical") == ["وأعلنوا النصر على", "داعش في عام 2017"]
    assert display_text(VICTORY, "rtl", "logical", 80) == VICTORY


# --- visual mode ----------------------------------------------------------------------------


def test_visual_arabic_with_a_year_is_reshaped_reordered_and_right_aligned() -> None:
    # Wrapped first ("وأعلنوا النصر على" / "داعش في عام 2017"), then each line reversed with
    # the year kept left to right, padded on the left to 20 cells.
    assert display_lines(VICTORY, 20, "rtl", "visual") == [
        "   ﻰﻠﻋ ﺮﺼﻨﻟﺍ ﺍﻮﻨﻠﻋﺃﻭ",
        "    2017 ﻡﺎﻋ ﻲﻓ ﺶﻋﺍﺩ",
    ]
    assert all(text_width(line) == 20 for line in display_lines(VICTORY, 20, "rtl", "visual"))


def test_visual_english_name_inside_arabic_keeps_its_order_and_brackets_face_right() -> None:
    text = "قالت غابي طومسون (Gabby Thomson) إن النصر أُعلن في عام 2017."
    assert display_lines(text, 40, "rtl", "visual") == [
        "     ﻥﺇ (Gabby Thomson) ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ ﺖﻟﺎﻗ",
        "                 .2017 ﻡﺎﻋ ﻲﻓ ﻦﻠﻋﺃُ ﺮﺼﻨﻟﺍ",
    ]


def test_visual_digits_and_full_stop_in_a_sentence_of_the_article() -> None:
    text = "تم نقل 8 قواعد للتحالف إلى القيادة العراقية في عام 2020."
    assert display_lines(text, 30, "rtl", "visual") == [
        "    ﻰﻟﺇ ﻒﻟﺎﺤﺘﻠﻟ ﺪﻋﺍﻮﻗ 8 ﻞﻘﻧ ﻢﺗ",
        " .2020 ﻡﺎﻋ ﻲﻓ ﺔﻴﻗﺍﺮﻌﻟﺍ ﺓﺩﺎﻴﻘﻟﺍ",
    ]


def test_visual_brackets_are_mirrored_in_right_to_left_text() -> None:
    # python-bidi reorders without mirroring; "(" read right to left must still open the aside.
    assert display_lines("(2014)", 10, "rtl", "visual") == ["    (2014)"]
    assert display_lines("أ) نينوى", 10, "rtl", "visual") == ["  ﻯﻮﻨﻴﻧ (ﺃ"]
    assert display_lines("«الطبيعية»", 12, "rtl", "visual") == ["  «ﺔﻴﻌﻴﺒﻄﻟﺍ»"]
    assert display_lines("a (b عربي) c", 12, "rtl", "visual") == ["c (ﻲﺑﺮﻋ b) a"]


def test_visual_harakat_follow_their_letter_after_reversing() -> None:
    line = display_lines("دُرِّبوا", 8, "rtl", "visual")[0]
    names = [unicodedata.name(ch).removeprefix("ARABIC ") for ch in line.strip()]
    assert names == [
        "LETTER ALEF ISOLATED FORM",
        "LETTER WAW FINAL FORM",
        "LETTER BEH INITIAL FORM",
        "LETTER REH ISOLATED FORM",
        "KASRA",
        "SHADDA",
        "LETTER DAL ISOLATED FORM",
        "DAMMA",
    ]


def test_visual_left_to_right_text_is_only_wrapped_and_arabic_inside_it_is_reordered() -> None:
    english = "Which planet is the largest of all the planets?"
    assert display_lines(english, 20, "ltr", "visual") == wrap(english, 20)
    mixed = "The spokeswoman was غابي طومسون (Gabby Thomson)."
    assert display_lines(mixed, 30, "ltr", "visual") == [
        "The spokeswoman was ﻲﺑﺎﻏ",
        "ﻥﻮﺴﻣﻮﻃ (Gabby Thomson).",
    ]


_ARABIC_ISH = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("أبجدهوزحطيكلمنسعفصقرشتثخذضظغاىةلا ()[]«»<>.،؟0123456789٢٠١٧abc\n")),
        st.sampled_from(["\u064e", "\u0651", "\u0650", "ـ"]),
        st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")),
    ),
    max_size=60,
)


def _letters(text: str) -> list[str]:
    """The characters of a text, in any order, with mirrored pairs counted as one kind."""
    from bidi.mirror import MIRRORED

    folded = unicodedata.normalize("NFKC", text)
    return sorted(min(ch, MIRRORED.get(ch, ch)) for ch in folded if not ch.isspace())


@settings(max_examples=200, deadline=None)
@given(_ARABIC_ISH, st.integers(min_value=2, max_value=40), st.sampled_from(["rtl", "ltr"]))
def test_visual_lines_fit_the_width_and_lose_no_character(text: str, width: int, direction: str) -> None:
    logical = display_lines(text, width, direction, "logical")
    visual = display_lines(text, width, direction, "visual")
    assert len(visual) == len(logical)
    for shown, stored in zip(visual, logical, strict=True):
        assert text_width(shown) <= max(width, text_width(stored))
        assert _letters(shown) == _letters(stored)
        if not stored.strip():
            assert shown == ""
        elif direction == "rtl" and text_width(stored) <= width:
            assert text_width(shown) == width  # right-aligned


# --- choosing the mode ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({"VTE_VERSION": "7600"}, "logical"),  # GNOME Terminal, Tilix... (bidi since 0.57.3)
        ({"VTE_VERSION": "5703"}, "logical"),
        ({"VTE_VERSION": "5202"}, "visual"),  # older VTE: no bidi
        ({"KONSOLE_VERSION": "230805"}, "logical"),
        ({"KONSOLE_DBUS_SESSION": "/Sessions/1"}, "logical"),
        ({"TERM_PROGRAM": "Apple_Terminal"}, "logical"),
        ({"MLTERM": "3.9.3"}, "logical"),
        ({"TERM": "mlterm"}, "logical"),
        ({"TERM_PROGRAM": "mintty"}, "logical"),
        ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, "visual"),
        ({"TERM": "xterm-kitty"}, "visual"),
        ({"ALACRITTY_LOG": "/tmp/Alacritty-1.log"}, "visual"),
        ({"ALACRITTY_SOCKET": "/run/user/1000/Alacritty.sock"}, "visual"),
        ({"TERM": "alacritty"}, "visual"),
        ({"WT_SESSION": "4c2b-..."}, "visual"),  # Windows Terminal
        ({"XTERM_VERSION": "XTerm(390)"}, "visual"),
        ({"TERM_PROGRAM": "WezTerm"}, "visual"),
        ({"TERM_PROGRAM": "vscode"}, "visual"),
        ({"TERM_PROGRAM": "ghostty"}, "visual"),
        ({"TERM": "foot"}, "visual"),
        ({"TERM_PROGRAM": "iTerm.app"}, "logical"),  # unknown: fall back to logical
        ({"TERM": "xterm-256color"}, "logical"),
        ({}, "logical"),
        # A terminal's own TERM_PROGRAM wins over a variable inherited from another one.
        ({"TERM_PROGRAM": "vscode", "VTE_VERSION": "7600"}, "visual"),
    ],
)
def test_auto_detection_table(env: dict[str, str], mode: str) -> None:
    assert detect_mode(env) == mode
    assert resolve_mode(None, env) == mode
    assert resolve_mode("auto", env) == mode


def test_option_wins_over_the_environment_variable_which_wins_over_detection() -> None:
    kitty = {"KITTY_WINDOW_ID": "1"}
    assert resolve_mode(None, kitty) == "visual"
    assert resolve_mode(None, {**kitty, "QUIZDECK_RTL": "logical"}) == "logical"
    assert resolve_mode("visual", {"VTE_VERSION": "7600", "QUIZDECK_RTL": "logical"}) == "visual"
    assert resolve_mode("LOGICAL", kitty) == "logical"
    assert resolve_mode(None, {**kitty, "QUIZDECK_RTL": ""}) == "visual"  # empty = unset


def test_auto_is_logical_when_output_is_not_a_terminal_but_an_explicit_mode_holds() -> None:
    kitty = {"KITTY_WINDOW_ID": "1"}
    assert resolve_mode(None, kitty, isatty=False) == "logical"
    assert resolve_mode("visual", {}, isatty=False) == "visual"
    assert resolve_mode(None, {"QUIZDECK_RTL": "visual"}, isatty=False) == "visual"


def test_invalid_values_name_the_allowed_ones() -> None:
    with pytest.raises(UsageError, match=r"^--rtl: invalid value 'rtl'; use one of auto, logical, visual$"):
        resolve_mode("rtl", {})
    with pytest.raises(UsageError, match=r"^QUIZDECK_RTL: invalid value 'yes'; use one of auto, logical, visual$"):
        resolve_mode(None, {"QUIZDECK_RTL": "yes"})
    assert MODES == ("auto", "logical", "visual")


def test_visual_sessions_turn_the_terminals_own_bidi_off_and_back_on() -> None:
    assert BIDI_OFF == "\x1b[8l"  # BDSM reset: explicit mode, the terminal does not reorder
    assert BIDI_RESTORE == "\x1b[8h"  # BDSM set: implicit mode, the default
    assert (session_prefix("visual"), session_suffix("visual")) == (BIDI_OFF, BIDI_RESTORE)
    assert (session_prefix("logical"), session_suffix("logical")) == ("", "")


# --- choice labels --------------------------------------------------------------------------


def test_labels_are_abjad_letters_for_arabic_and_latin_letters_otherwise() -> None:
    assert label_set("rtl", 8) == ["أ", "ب", "ج", "د", "هـ", "و", "ز", "ح"]
    assert label_set("ltr", 4) == ["a", "b", "c", "d"]
    assert len(label_set("rtl")) == 28
    assert label_set("ltr", 28)[-3:] == ["z", "27", "28"]


@pytest.mark.parametrize(
    ("typed", "index"),
    [
        ("أ", 0),
        ("ا", 0),  # without its hamza
        ("إ", 0),
        ("ب", 1),
        ("هـ", 4),
        ("ه", 4),
        ("و", 5),
        ("ح", 7),
        ("3", 2),
        ("٣", 2),  # Arabic-Indic digit
        ("۳", 2),  # Persian digit
        (" ج) ", 2),
        ("\u200fد\u200e", 3),
        ("8", 7),
    ],
)
def test_parse_arabic_labels(typed: str, index: int) -> None:
    assert parse_label(typed, label_set("rtl", 8)) == index


@pytest.mark.parametrize(("typed", "index"), [("a", 0), ("B", 1), ("c.", 2), ("d)", 3), ("4", 3), ("١", 0)])
def test_parse_latin_labels(typed: str, index: int) -> None:
    assert parse_label(typed, label_set("ltr", 4)) == index


@pytest.mark.parametrize("typed", ["", " ", "e", "5", "0", "ه", "10", "ab", "?"])
def test_parse_label_rejects_what_is_not_one_of_the_labels(typed: str) -> None:
    assert parse_label(typed, label_set("ltr", 4)) is None
    assert parse_label("ع", label_set("rtl", 4)) is None


def test_parse_several_labels() -> None:
    arabic, latin = label_set("rtl", 4), label_set("ltr", 4)
    assert parse_labels("أ ج", arabic) == [0, 2]
    assert parse_labels("ا،ج", arabic) == [0, 2]
    assert parse_labels("1 3", arabic) == [0, 2]
    assert parse_labels("a, c", latin) == [0, 2]
    assert parse_labels("ac", latin) == [0, 2]
    assert parse_labels("13", latin) == [0, 2]
    assert parse_labels("ca", latin) == [2, 0]
    assert parse_labels("a x", latin) is None
    assert parse_labels("", latin) is None
