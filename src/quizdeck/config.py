"""The learner's settings: a small TOML file in the user config folder.

    [display]
    rtl = "visual"        # or "logical", or "auto"

Where it is: `$QUIZDECK_HOME/config.toml` when QUIZDECK_HOME is set (as for the progress store,
and so tests never touch a real home), else `config.toml` in the platform's user config folder
(platformdirs: ~/.config/quizdeck on Linux). Today it holds the right-to-left display mode, which
`--rtl` and QUIZDECK_RTL override (see docs/rtl.md); `quizdeck config rtl MODE` writes it, and
the one-time question in an unrecognised terminal writes the learner's answer. Other keys in the
file are kept when it is rewritten.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from quizdeck.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAME = "config.toml"
#: The values `[display] rtl` accepts (those of --rtl).
RTL_VALUES = ("auto", "logical", "visual")
# A settings file is a few lines; anything much larger is not one.
_LIMIT = 64 * 1024


def config_path(env: Mapping[str, str]) -> Path:
    """Where the settings file is: QUIZDECK_HOME, else the user config folder."""
    home = env.get("QUIZDECK_HOME")
    if home:
        return Path(home) / CONFIG_NAME
    import platformdirs

    return platformdirs.user_config_path("quizdeck", appauthor=False) / CONFIG_NAME


def _load(path: Path) -> dict[str, Any]:
    from quizdeck.files import decode_text, read_bytes

    if not path.exists():
        return {}
    text = decode_text(read_bytes(path, limit=_LIMIT), path)
    try:
        return dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as problem:
        raise UsageError(f"{path}: {problem}; fix the file or delete it") from None


def rtl_setting(env: Mapping[str, str]) -> str | None:
    """The saved right-to-left display mode, or None when none is saved."""
    path = config_path(env)
    display = _load(path).get("display", {})
    value = display.get("rtl") if isinstance(display, dict) else None
    if value is None:
        return None
    if not isinstance(value, str) or value.strip().lower() not in RTL_VALUES:
        raise UsageError(
            f"{path}: [display] rtl = {value!r} is not one of {', '.join(RTL_VALUES)}; "
            "set it with `quizdeck config rtl visual|logical|auto`"
        )
    return value.strip().lower()


def save_rtl(env: Mapping[str, str], mode: str) -> Path:
    """Save the right-to-left display mode (keeping the file's other settings); returns the path."""
    import tomli_w

    from quizdeck.files import write_text

    if mode not in RTL_VALUES:
        raise UsageError(f"invalid right-to-left mode {mode!r}; use one of {', '.join(RTL_VALUES)}")
    path = config_path(env)
    data = _load(path)
    display = data.get("display")
    if not isinstance(display, dict):
        display = data["display"] = {}
    display["rtl"] = mode
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, tomli_w.dumps(data))
    return path
