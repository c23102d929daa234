"""Shared fixtures: no test ever touches the real user's data folder."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, settings

ROOT = Path(__file__).resolve().parent.parent
BANKS = Path(__file__).resolve().parent / "banks"
QUIZZES = ROOT / "quizzes"
SOURCE_TEXT = ROOT.parent / "shared" / "seed" / "article.ar.txt"
#: For tests that read the source text, which lives outside the repository: skipped without it.
needs_source = pytest.mark.skipif(not SOURCE_TEXT.exists(), reason=f"source text {SOURCE_TEXT} absent")

# HYPOTHESIS_PROFILE=mutation (docs/testing.md): the same examples on every run and no shrinking,
# so that each mutant is judged in seconds and the same way every time.
settings.register_profile(
    "mutation", derandomize=True, database=None, phases=[Phase.explicit, Phase.reuse, Phase.generate]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# A shell without job control starts a background command (`pytest ... &`) with SIGINT ignored, and
# every quizdeck a test starts would inherit that and ignore Ctrl-C: the terminal tests that press
# Ctrl-C would hang for a reason that is not quizdeck's. A Python handler is reset to the default in
# a child at exec, so installing Python's own gives every child the default behaviour.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def press_ctrl_c(child: Any) -> None:
    """Ctrl-C in a pexpect terminal, once the program waits for the keyboard.

    CPython writes `input()`'s prompt and starts reading in C: a SIGINT that lands between the two
    (a few microseconds, which no person hits but a test on a loaded machine can, since it sends the
    key the moment the prompt appears) is only acted on after the next key. So wait until the
    program sleeps in the kernel (its wchan on Linux) before pressing the key; elsewhere, press it.
    """
    wchan = Path(f"/proc/{child.pid}/wchan")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            waiting = wchan.read_text(encoding="ascii") in {"wait_woken", "n_tty_read"}
        except OSError:
            break
        if waiting:
            break
        time.sleep(0.005)
    child.sendcontrol("c")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point quizdeck's data folder at a fresh temporary folder for every test."""
    home = tmp_path_factory.mktemp("quizdeck-home")
    monkeypatch.setenv("QUIZDECK_HOME", str(home))
    monkeypatch.delenv("QUIZDECK_RTL", raising=False)
    return home


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC for the test (day boundaries of review and stats), and restored after it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def all_types_bank() -> Path:
    """An English bank with one question of every type."""
    return BANKS / "all-types.toml"
