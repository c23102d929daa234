"""Which way right-to-left text is written to this terminal: options, environment, settings, or
the learner's answer to a one-time question.

    mode = display_mode(rtl_option, out, sample=bank.title, interactive=True)

`--rtl`, then QUIZDECK_RTL, then the settings file (`[display] rtl`, see quizdeck.config), then
the terminal recognised from its environment (quizdeck.rtl.detect). When none of them decides -
nothing set, a terminal quizdeck does not know (xterm without XTERM_VERSION, tmux, ssh, iTerm2,
the Linux console) - and someone is there to answer, the first screen with right-to-left text
shows one line both ways and asks which reads right; the answer is saved, so it is asked once.
Runs that are not interactive (a pipe, a file, an answer sheet) never ask: they get logical text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from quizdeck import rtl

if TYPE_CHECKING:
    from rich.console import Console


def saved_mode(requested: str | None) -> str | None:
    """The right-to-left mode saved in the settings file, if any. The file is not read when --rtl
    (`requested`) or QUIZDECK_RTL decides, as they come before it."""
    if requested is not None or os.environ.get(rtl.ENV_VAR, "").strip():
        return None
    from quizdeck.config import rtl_setting

    return rtl_setting(os.environ)


def display_mode(
    requested: str | None,
    out: Console,
    *,
    sample: str = "",
    interactive: bool = False,
    read: Callable[[str], str] = input,
) -> rtl.Mode:
    """The display mode for `out`; asks once (see the module doc) when `interactive` and `sample`
    (right-to-left text the learner is about to see) has some."""
    env = os.environ
    configured = saved_mode(requested)
    isatty = out.is_terminal
    if rtl.has_rtl(sample) and rtl.should_ask(
        requested, env, configured, interactive=interactive and isatty and sys.stdin.isatty()
    ):
        return ask_mode(out, sample, read)
    return rtl.resolve_mode(requested, env, isatty=isatty, configured=configured)


def ask_mode(out: Console, sample: str, read: Callable[[str], str] = input) -> rtl.Mode:
    """Show `sample` both ways, ask which reads right, save the answer; Ctrl-D keeps logical
    text for this run and saves nothing."""
    from rich.text import Text

    from quizdeck.config import config_path, save_rtl

    line = sample.splitlines()[0]
    width = max(20, out.width - 6)
    logical = rtl.wrap(line, width)[0]
    visual = rtl.display_lines(logical, width, "ltr", "visual")[0]
    out.print("This terminal is not one quizdeck knows. Which line shows the Arabic right: letters", style="bold")
    out.print("joined, read from right to left?", style="bold")
    # Each line exactly as it is written to the terminal: the terminal's own bidi, if it has any,
    # is what is being tested.
    out.print(Text("  1) ") + Text(logical), no_wrap=True, overflow="ignore", crop=False)
    out.print(Text("  2) ") + Text(visual), no_wrap=True, overflow="ignore", crop=False)
    where = config_path(os.environ)
    out.print(f"type 1 or 2 (remembered in {where}; `quizdeck config rtl` changes it)", style="dim")
    while True:
        try:
            answer = read("> ").strip()
        except EOFError:
            out.print("")
            return "logical"
        if answer in ("1", "2", "\u0661", "\u0662"):
            mode: rtl.Mode = "logical" if answer in ("1", "\u0661") else "visual"
            save_rtl(os.environ, mode)
            out.print(f"right-to-left text: {mode} (saved)", style="dim")
            return mode
        out.print("type 1 or 2", style="yellow")
