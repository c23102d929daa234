"""`quizdeck config`: the learner's settings (today: how right-to-left text is shown)."""

from __future__ import annotations

import typer

from quizdeck.commands._output import console, reports_errors


@reports_errors
def config(
    setting: str = typer.Argument(..., metavar="SETTING", help="The setting: rtl.", show_default=False),
    value: str | None = typer.Argument(
        None, metavar="[VALUE]", help="The new value: visual, logical or auto. Without it, show the setting."
    ),
) -> None:
    """Show or change a setting, saved in config.toml in the user config folder ($QUIZDECK_HOME if set).

    rtl: how Arabic (right-to-left) text is shown - 'visual' (reshaped and reordered here, for
    terminals without bidi: kitty, Alacritty, Windows Terminal, xterm), 'logical' (as stored, for
    terminals that do bidi: GNOME Terminal, Konsole, macOS Terminal) or 'auto' (detected from the
    terminal). --rtl and $QUIZDECK_RTL override it for one run.

    Example: quizdeck config rtl visual
    """
    import os

    from quizdeck import rtl
    from quizdeck.config import RTL_VALUES, config_path, rtl_setting, save_rtl
    from quizdeck.errors import UsageError

    if setting != "rtl":
        raise UsageError(f"unknown setting {setting!r}; the settings are: rtl")
    out = console()
    if value is None:
        saved = rtl_setting(os.environ)
        where = config_path(os.environ)
        if saved is None:
            detected = rtl.detect(os.environ)
            how = (f"this terminal is recognised and gets {detected}" if detected else
                   "this terminal is not recognised, so the first quiz with Arabic asks once")
            out.print(f"rtl: not set in {where}; {how}")
        else:
            out.print(f"rtl = {saved} (in {where})")
        override = os.environ.get(rtl.ENV_VAR, "").strip()
        if override:
            out.print(f"{rtl.ENV_VAR}={override} overrides it in this shell")
        return
    mode = value.strip().lower()
    if mode not in RTL_VALUES:
        raise UsageError(f"invalid value {value!r} for rtl; use one of {', '.join(RTL_VALUES)}")
    path = save_rtl(os.environ, mode)
    out.print(f"rtl = {mode} (saved in {path})")
