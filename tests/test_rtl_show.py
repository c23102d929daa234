"""`quizdeck show --rtl`: what a teacher sees, on a terminal with and without bidi."""

from __future__ import annotations

from typer.testing import CliRunner

from quizdeck.cli import app
from quizdeck.rtl import text_width

from .conftest import BANKS

runner = CliRunner()
ARABIC = str(BANKS / "arabic-small.toml")
ENGLISH = str(BANKS / "all-types.toml")


def _show(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["show", *args], env={"COLUMNS": "60", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def test_visual_arabic_question_is_reordered_right_aligned_between_bidi_off_and_on() -> None:
    code, out, _ = _show(ARABIC, "spokeswoman", "--rtl", "visual")
    assert code == 0
    assert out.startswith("\x1b[8l") and out.endswith("\x1b[8h")
    assert out.removeprefix("\x1b[8l").removesuffix("\x1b[8h").split("\n") == [
        "spokeswoman (short)",
        "  prompt:          ؟ﺶﻋﺍﺩ ﺪﺿ ﻒﻟﺎﺤﺘﻟﺍ ﻢﺳﺎﺑ ﺔﻘﺑﺎﺴﻟﺍ ﺔﺛﺪﺤﺘﻤﻟﺍ ﻦﻣَ",
        "  answer:                                        ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ",
        "  explanation:     ﺮﺼﻨﻟﺍ ﻥﺇ (Gabby Thomson) ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ ﺖﻟﺎﻗ",
        "                                           .2017 ﻡﺎﻋ ﻲﻓ ﻦﻠﻋﺃُ",
        "  source: ﺶﻋﺍﺩ ﺪﺿ ﻒﻟﺎﺤﺘﻟﺍ ﻢﺳﺎﺑ ﺔﻘﺑﺎﺴﻟﺍ ﺔﺛﺪﺤﺘﻤﻟﺍ ،ﻥﻮﺴﻣﻮﻃ ﻲﺑﺎﻏ",
        "",
        "",
    ]


def test_visual_arabic_bank_title_and_choices() -> None:
    code, out, _ = _show(ARABIC, "--rtl", "visual")
    assert code == 0
    lines = out.removeprefix("\x1b[8l").removesuffix("\x1b[8h").split("\n")
    assert lines[:4] == [
        "                          ﻕﺍﺮﻌﻟﺍﻭ ﻲﻟﻭﺪﻟﺍ ﻒﻟﺎﺤﺘﻟﺍ ﻦﻴﺑ ﺔﻛﺍﺮﺸﻟﺍ",
        "[arabic-small, ar, 5 questions]",
        "       ﺕﺍﻮﻘﻟﺍ ﺐﻳﺭﺪﺗﻭ (ISIS) ﺶﻋﺍﺩ ﺔﻤﻳﺰﻫ ﻦﻋ ﺺﻧ ﻰﻠﻋ ﺓﺮﻴﺼﻗ ﺔﻠﺌﺳﺃ",
        "                                                   .ﺔﻴﻗﺍﺮﻌﻟﺍ",
    ]
    at = lines.index("province (choice)")
    # "  choice: " then a 50-cell column: the right choice's "* " marker reads first, on the right.
    assert lines[at + 2 : at + 5] == [
        "  choice: " + " " * 43 + "ﻯﻮﻨﻴﻧ *",
        "  choice: " + " " * 42 + "ﺓﺮﺼﺒﻟﺍ  ",
        "  choice: " + " " * 43 + "ﺀﻼﺑﺮﻛ  ",
    ]
    assert all(text_width(line) <= 60 for line in lines)  # harakat take no cell
    at = lines.index("victory-year (numeric)")
    assert lines[at + 2] == "  answer:" + " " * 47 + "2017"
    assert "  tags: numbers" in lines  # identifiers are not right-to-left text


def test_logical_mode_prints_the_stored_text_with_no_escapes() -> None:
    code, out, _ = _show(ARABIC, "spokeswoman", "--rtl", "logical")
    assert code == 0
    assert "\x1b" not in out
    assert out.splitlines() == [
        "spokeswoman (short)",
        "  prompt: مَن المتحدثة السابقة باسم التحالف ضد داعش؟",
        "  answer: غابي طومسون",
        "  explanation: قالت غابي طومسون (Gabby Thomson) إن النصر أُعلن في عام 2017.",
        "  source: غابي طومسون، المتحدثة السابقة باسم التحالف ضد داعش",
        "",
    ]


def test_auto_is_logical_when_not_a_terminal_even_in_kitty() -> None:
    code, out, _ = _show(ARABIC, "spokeswoman", env={"KITTY_WINDOW_ID": "1"})
    assert code == 0
    assert "\x1b" not in out and "  answer: غابي طومسون" in out


def test_environment_variable_sets_the_mode_and_the_option_overrides_it() -> None:
    code, out, _ = _show(ARABIC, "spokeswoman", env={"QUIZDECK_RTL": "visual"})
    assert code == 0 and out.startswith("\x1b[8l")
    code, out, _ = _show(ARABIC, "spokeswoman", "--rtl", "logical", env={"QUIZDECK_RTL": "visual"})
    assert code == 0 and "\x1b" not in out


def test_invalid_mode_is_a_usage_error() -> None:
    code, out, err = _show(ARABIC, "--rtl", "right")
    assert (code, out) == (2, "")
    assert err == "quizdeck: error: --rtl: invalid value 'right'; use one of auto, logical, visual\n"
    code, out, err = _show(ARABIC, env={"QUIZDECK_RTL": "on"})
    assert code == 2
    assert err == "quizdeck: error: QUIZDECK_RTL: invalid value 'on'; use one of auto, logical, visual\n"


def test_visual_english_bank_is_only_wrapped() -> None:
    code, out, _ = _show(ENGLISH, "--rtl", "visual")
    assert code == 0
    lines = out.removeprefix("\x1b[8l").removesuffix("\x1b[8h").split("\n")
    assert lines[0] == "Every question type  [all-types, en, 9 questions]"
    at = lines.index("largest-planet (choice)")
    assert lines[at + 1 : at + 9] == [
        "  prompt: Which planet is the largest?",
        "  choice:   Mars",
        "  choice: * Jupiter",
        "  choice:   Venus",
        "  choice:   Mercury",
        "  hint: It is a gas giant.",
        "  explanation: Jupiter is more than twice as massive as all",
        "               the other planets together.",
    ]


def test_logical_english_bank_is_unchanged_by_the_option() -> None:
    _, plain, _ = _show(ENGLISH)
    code, logical, _ = _show(ENGLISH, "--rtl", "logical")
    assert code == 0 and logical == plain
    assert "  explanation: Jupiter is more than twice as massive as all the other planets together." in plain
