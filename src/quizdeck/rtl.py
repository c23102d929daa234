"""Right-to-left text on a terminal, and the labels choices are given in a bank's script.

Terminals differ. VTE (GNOME Terminal), Konsole, mlterm, mintty and macOS Terminal apply the
Unicode bidi algorithm themselves: text must be written in *logical* order, as stored. Most
others (kitty, Alacritty, Windows Terminal, xterm, WezTerm by default...) draw cells left to
right as they arrive, so Arabic comes out backwards and unjoined unless the program writes it in
*visual* order: wrapped first, then each line reshaped (joined letter forms) and reordered, and
right-aligned. Stored and compared text is always logical; only what is printed is visual.

Pure functions (no rich, no terminal I/O); docs/rtl.md has the detection table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal

from quizdeck.controls import visible
from quizdeck.errors import UsageError

Mode = Literal["logical", "visual"]

#: Values `--rtl` and QUIZDECK_RTL accept.
MODES: tuple[str, ...] = ("auto", "logical", "visual")

#: The environment variable that sets the mode when `--rtl` is not given.
ENV_VAR = "QUIZDECK_RTL"

#: BDSM reset (ECMA-48 "CSI 8 l", explicit mode in the terminal-wg bidi recommendation): a
#: bidi-aware terminal (VTE, mintty) stops reordering, so visual text is not reversed twice.
BIDI_OFF = "\x1b[8l"
#: BDSM set ("CSI 8 h", implicit mode, the terminals' default): their own bidi back on.
BIDI_RESTORE = "\x1b[8h"


# --- choosing the mode -----------------------------------------------------------------------

#: First VTE that does bidi itself (0.57.3, GNOME Terminal 3.33.3); VTE_VERSION is 5703 there.
VTE_BIDI_VERSION = 5703

# TERM_PROGRAM values, then variables set by one terminal only. Terminals that do bidi
# themselves want logical text; the rest want visual.
_TERM_PROGRAM: dict[str, Mode] = {
    "apple_terminal": "logical",
    "mintty": "logical",
    "wezterm": "visual",  # bidi exists but is off unless `bidi_enabled` is configured
    "vscode": "visual",  # xterm.js draws cells in order
    "ghostty": "visual",
    "hyper": "visual",
    "tabby": "visual",
}
_TERM: dict[str, Mode] = {
    "xterm-kitty": "visual",
    "alacritty": "visual",
    "foot": "visual",
    "foot-extra": "visual",
    "xterm-ghostty": "visual",
    "mlterm": "logical",
}
_LOGICAL_VARIABLES = ("MLTERM", "KONSOLE_VERSION", "KONSOLE_DBUS_SESSION")
_VISUAL_VARIABLES = (
    "KITTY_WINDOW_ID",
    "ALACRITTY_SOCKET",
    "ALACRITTY_LOG",
    "ALACRITTY_WINDOW_ID",
    "WT_SESSION",
    "WEZTERM_PANE",
    "XTERM_VERSION",
)


def _checked(value: str, where: str) -> str:
    mode = value.strip().lower()
    if mode not in MODES:
        raise UsageError(f"{where}: invalid value {value!r}; use one of {', '.join(MODES)}")
    return mode


def detect(env: Mapping[str, str]) -> Mode | None:
    """The mode a terminal recognised from the environment wants, or None for an unknown one
    (see docs/rtl.md)."""
    program = env.get("TERM_PROGRAM", "").lower()
    if program in _TERM_PROGRAM:
        return _TERM_PROGRAM[program]
    term = env.get("TERM", "").lower()
    if term in _TERM:
        return _TERM[term]
    if any(env.get(name) for name in _LOGICAL_VARIABLES):
        return "logical"
    vte = env.get("VTE_VERSION", "")
    if vte.isdigit():
        return "logical" if int(vte) >= VTE_BIDI_VERSION else "visual"
    if any(env.get(name) for name in _VISUAL_VARIABLES):
        return "visual"
    return None


def detect_mode(env: Mapping[str, str]) -> Mode:
    """Guess from the environment whether the terminal does bidi itself (see docs/rtl.md); an
    unknown terminal (or not a terminal) gets the text left alone, "logical"."""
    return detect(env) or "logical"


def requested_mode(requested: str | None, env: Mapping[str, str], configured: str | None = None) -> str:
    """"auto", "logical" or "visual" as asked for: `requested` (the --rtl option), else
    QUIZDECK_RTL, else `configured` (the settings file), else "auto"."""
    if requested is not None:
        return _checked(requested, "--rtl")
    if env.get(ENV_VAR, "").strip():
        return _checked(env[ENV_VAR], ENV_VAR)
    if configured is not None:
        return _checked(configured, "the settings file's [display] rtl")
    return "auto"


def resolve_mode(
    requested: str | None, env: Mapping[str, str], *, isatty: bool = True, configured: str | None = None
) -> Mode:
    """The display mode: `requested` (the --rtl option), else QUIZDECK_RTL, else `configured`
    (the settings file), else detected.

    "auto" detects from the terminal's environment variables (`detect_mode`), and is always
    "logical" when output is not a terminal (`isatty=False`): files and pipes get the stored
    text. An invalid value raises UsageError naming the allowed ones.
    """
    mode = requested_mode(requested, env, configured)
    if mode == "logical":
        return "logical"
    if mode == "visual":
        return "visual"
    return detect_mode(env) if isatty else "logical"


def should_ask(requested: str | None, env: Mapping[str, str], configured: str | None, *, interactive: bool) -> bool:
    """Whether to ask the learner which way right-to-left text reads: only when nothing set a mode
    (no --rtl, no QUIZDECK_RTL, nothing saved), the terminal is not recognised, and someone is
    there to answer (`interactive`: input and output are a terminal)."""
    return (
        interactive
        and requested is None
        and not env.get(ENV_VAR, "").strip()
        and configured is None
        and detect(env) is None
    )


def session_prefix(mode: Mode) -> str:
    """What to write before any output: BIDI_OFF in visual mode, else nothing."""
    return BIDI_OFF if mode == "visual" else ""


def session_suffix(mode: Mode) -> str:
    """What to write when output ends (also on Ctrl-C): BIDI_RESTORE in visual mode, else nothing."""
    return BIDI_RESTORE if mode == "visual" else ""


# --- widths and wrapping ---------------------------------------------------------------------


def char_width(ch: str) -> int:
    """Terminal cells one character takes: 0 for marks and format characters, 2 for wide."""
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf") or unicodedata.combining(ch):
        return 0
    if category == "Cc":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Terminal cells a line of text takes."""
    return sum(char_width(ch) for ch in text)


_WORDS = re.compile(r"( *)(\S+)")


def _split_long(word: str, width: int) -> list[str]:
    """A word wider than the line, cut into pieces that fit (marks stay with their letter)."""
    pieces: list[str] = []
    current, used = "", 0
    for ch in word:
        cells = char_width(ch)
        if used + cells > width and current and cells:
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += cells
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """Logical text wrapped to `width` cells on spaces.

    Explicit newlines are kept, empty lines too; spaces inside a line are kept as they are
    (a line's leading spaces align `show`'s choice lists), except where the line breaks.
    """
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.replace("\t", " ").splitlines() or [""]:
        if not paragraph.strip():
            lines.append("")
            continue
        current, used = "", 0
        for gap, word in _WORDS.findall(paragraph):
            if not current and len(gap) >= width:
                gap = ""
            cells = text_width(word)
            if used + len(gap) + cells <= width:
                current, used = current + gap + word, used + len(gap) + cells
                continue
            if current:
                lines.append(current)
            if cells > width:
                *full, current = _split_long(word, width)
                lines.extend(full)
                used = text_width(current)
            else:
                current, used = word, cells
        lines.append(current)
    return lines


# --- visual order ----------------------------------------------------------------------------


def _is_rtl_char(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL", "RLE", "RLO", "RLI")


def has_rtl(text: str) -> bool:
    """Whether the text has a right-to-left letter (so it needs reordering to be read)."""
    return any(_is_rtl_char(ch) for ch in text)


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    import arabic_reshaper

    # Harakat are kept (a voweled word is the question in a grammar quiz); the Allah word
    # ligature is off because many terminal fonts have no glyph for U+FDF2.
    return arabic_reshaper.ArabicReshaper(
        configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False}
    )


@lru_cache(maxsize=1)
def _brackets() -> tuple[dict[str, str], list[tuple[str, str]], list[str]]:
    """Mirror glyphs; bracket pairs and lone mirrored symbols to stand in for the text's own."""
    from bidi.mirror import MIRRORED

    pairs = [
        (ch, partner)
        for ch, partner in MIRRORED.items()
        if unicodedata.category(ch) == "Ps" and unicodedata.category(partner) == "Pe"
        and ch not in "\u2329\u3008"  # canonically equal to each other: one pair, not two
    ]
    symbols = [ch for ch in MIRRORED if unicodedata.category(ch) == "Sm"]
    return dict(MIRRORED), pairs, symbols


def _bracket_pairs(text: str, mirror: Mapping[str, str]) -> dict[int, int]:
    """Paired brackets of a line (UBA rule BD16), both ways: opening <-> closing index."""
    stack: list[tuple[str, int]] = []
    pairs: dict[int, int] = {}
    for index, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category == "Ps" and ch in mirror:
            if len(stack) == 63:
                break
            stack.append((mirror[ch], index))
        elif category == "Pe" and ch in mirror:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs[stack[depth][1]] = index
                    pairs[index] = stack[depth][1]
                    del stack[depth:]
                    break
    return pairs


def _neutral_is_rtl(text: str, index: int, base_rtl: bool) -> bool:
    """Rules N1/N2 for one neutral: the direction of the strong text around it, else the base."""

    def strong(ch: str, before: str) -> str | None:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "L"
        if kind in ("R", "AL", "AN"):
            return "R"
        if kind == "EN":  # W7: a European number after left-to-right text is left-to-right
            return "L" if before == "L" else "R"
        return None

    base = "R" if base_rtl else "L"
    previous = base
    for ch in text[:index]:
        previous = strong(ch, previous) or previous
    following = None
    last = previous
    for ch in text[index + 1:]:
        found = strong(ch, last)
        if found:
            following = found
            break
    following = following or base
    return (previous if previous == following else base) == "R"


def _bidi_line(line: str, base_rtl: bool) -> str:
    """One logical line in visual order: python-bidi's reordering, plus glyph mirroring.

    python-bidi's Rust implementation reorders but does not mirror (rule L4), so "(" in Arabic
    text would point the wrong way. Each mirrored character is first replaced by a unique stand-in
    of the same kind (paired brackets by a unique pair) so it can be found after reordering: a
    pair whose closing stand-in comes first was reversed, i.e. lies in right-to-left text; a lone
    one follows rules N1/N2. Combining marks reversed ahead of their letter are moved back after it.
    """
    from bidi import get_display

    mirror, spare_pairs, spare_symbols = _brackets()
    base_dir = "R" if base_rtl else "L"
    mirrored = [i for i, ch in enumerate(line) if ch in mirror]
    if not mirrored:
        return _marks_after_letters(str(get_display(line, base_dir=base_dir)))
    pairs = _bracket_pairs(line, mirror)
    chars = list(line)
    original: dict[str, tuple[int, str]] = {}
    present = set(line)
    pair_pool = iter([pair for pair in spare_pairs if not present.intersection(pair)])
    symbol_pool = iter([ch for ch in spare_symbols if ch not in present])
    for index in mirrored:
        try:
            if index in pairs and pairs[index] > index:
                opening, closing = next(pair_pool)
                chars[index], chars[pairs[index]] = opening, closing
                original[opening] = (index, line[index])
                original[closing] = (pairs[index], line[pairs[index]])
            elif index not in pairs:
                kind = unicodedata.category(line[index])
                if kind in ("Ps", "Pe"):
                    # A lone bracket: half of an unused pair, so it stays unpaired.
                    opening, closing = next(pair_pool)
                    stand_in = opening if kind == "Ps" else closing
                else:
                    stand_in = next(symbol_pool)
                chars[index] = stand_in
                original[stand_in] = (index, line[index])
        except StopIteration:
            # More brackets on one line than stand-ins: reorder without mirroring.
            return _marks_after_letters(str(get_display(line, base_dir=base_dir)))
    visual = list(str(get_display("".join(chars), base_dir=base_dir)))
    where = {ch: position for position, ch in enumerate(visual)}
    for position, ch in enumerate(visual):
        if ch not in original:
            continue
        index, source = original[ch]
        partner = chars[pairs[index]] if index in pairs else ""
        if partner in where:
            opening_first = index < pairs[index]
            flip = (where[ch] > where[partner]) == opening_first
        else:
            flip = _neutral_is_rtl(line, index, base_rtl)
        visual[position] = mirror.get(source, source) if flip else source
    return _marks_after_letters("".join(visual))


def _marks_after_letters(visual: str) -> str:
    """Combining marks that reversing put before their right-to-left letter, put back after it."""
    chars = list(visual)
    out: list[str] = []
    index = 0
    while index < len(chars):
        if unicodedata.combining(chars[index]):
            end = index
            while end < len(chars) and unicodedata.combining(chars[end]):
                end += 1
            if end < len(chars) and _is_rtl_char(chars[end]):
                out.append(chars[end])
                # The marks were reversed too; put them back in their logical order.
                out.extend(reversed(chars[index:end]))
                index = end + 1
                continue
            out.extend(chars[index:end])
            index = end
            continue
        out.append(chars[index])
        index += 1
    return "".join(out)


def visual_line(line: str, width: int, direction: str) -> str:
    """One wrapped logical line as a terminal without bidi must receive it.

    Right-to-left: reshaped, reordered with a right-to-left paragraph direction, padded on the
    left to `width` cells. Left-to-right lines with Arabic or Hebrew inside are reshaped and
    reordered with a left-to-right paragraph direction; pure left-to-right lines are unchanged.
    """
    if not line.strip():
        return ""
    # Controls and bidi overrides are made visible before reordering: an RLO in bank text must
    # not reverse the text after it here, where the terminal writer would only see the result.
    line = visible(line)
    rtl = direction == "rtl"
    shown = _bidi_line(str(_reshaper().reshape(line)), rtl) if has_rtl(line) else line
    if rtl:
        shown = " " * max(0, width - text_width(shown)) + shown
    return shown


def display_lines(text: str, width: int, direction: str, mode: Mode) -> list[str]:
    """`text` wrapped to `width` cells, then made readable for the display mode.

    `direction` is a bank's `.direction` ("rtl" or "ltr"). Logical mode: the wrapped lines as
    they are (no padding: the terminal aligns bidi text its own way). Visual mode: each wrapped
    line through `visual_line` (right-to-left lines reshaped, reordered, right-aligned).
    """
    lines = wrap(visible(text), width)  # escapes first, so that lines are wrapped as shown
    if mode != "visual":
        return lines
    return [visual_line(line, width, direction) for line in lines]


def display_text(text: str, direction: str, mode: Mode, width: int) -> str:
    """`display_lines` joined with newlines."""
    return "\n".join(display_lines(text, width, direction, mode))


# --- choice labels ---------------------------------------------------------------------------

#: The abjad order (أبجد هوز حطي كلمن سعفص قرشت ثخذ ضظغ) Arabic exams label choices in.
ARABIC_LABELS: tuple[str, ...] = (
    "أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن",
    "س", "ع", "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ",
)
LATIN_LABELS: tuple[str, ...] = tuple("abcdefghijklmnopqrstuvwxyz")


def label_set(direction: str, count: int | None = None) -> list[str]:
    """Choice labels for a bank's direction: abjad letters (أ ب ج د هـ ...) for "rtl", a b c ... otherwise.

    With `count`, exactly that many (numbers continue the list past the last letter).
    """
    letters = list(ARABIC_LABELS if direction == "rtl" else LATIN_LABELS)
    if count is None:
        return letters
    return (letters + [str(n) for n in range(len(letters) + 1, count + 1)])[:count]


def _fold_label(text: str) -> str:
    """A label as typed, folded: hamza-less alef, no tatweel or marks, ASCII digits, lower case."""
    text = unicodedata.normalize("NFKC", text).casefold()
    folded = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cf", "Mn") or ch == "\u0640":
            continue
        if category == "Nd":
            folded.append(str(unicodedata.decimal(ch)))
            continue
        folded.append({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}.get(ch, ch))
    return "".join(folded).strip().strip(".)-:(").strip()


def parse_label(text: str, labels: Sequence[str]) -> int | None:
    """The 0-based index of the choice a typed label picks, or None.

    Accepts the label itself (any case; "ا" for "أ", "ه" for "هـ"; a trailing "." or ")"), or
    its position as a number in any script (1 = first).
    """
    folded = _fold_label(text)
    if not folded:
        return None
    if folded.isascii() and folded.isdigit():
        number = int(folded)
        return number - 1 if 1 <= number <= len(labels) else None
    for index, label in enumerate(labels):
        if _fold_label(label) == folded:
            return index
    return None


def parse_labels(text: str, labels: Sequence[str]) -> list[int] | None:
    """Several labels typed in one answer ("أ ج", "a, c", "1 3", or "ac"); None if any is not a label."""
    separators = ",،;؛"
    for separator in separators:
        text = text.replace(separator, " ")
    tokens = text.split()
    if len(tokens) == 1 and parse_label(tokens[0], labels) is None:
        # Labels typed together: "ac", "13" (only when every label is one character).
        token = _fold_label(tokens[0])
        if all(len(_fold_label(label)) == 1 for label in labels):
            tokens = list(token)
    picked = [parse_label(token, labels) for token in tokens]
    if not picked or any(index is None for index in picked):
        return None
    return [index for index in picked if index is not None]


# --- typing right-to-left text (the line editor) ---------------------------------------------


@lru_cache(maxsize=1)
def _letter_reshaper() -> Any:
    import arabic_reshaper

    # One presentation form per letter (no lam-alef ligature), so each character typed is one
    # cell on screen and the cursor can be put between any two.
    return arabic_reshaper.ArabicReshaper(
        configuration={"delete_harakat": False, "support_ligatures": False}
    )


def visual_order(line: str, base_rtl: bool) -> list[tuple[int, bool]]:
    """The characters of a logical line in the order a terminal without bidi must draw them:
    (logical index, whether it is in right-to-left text) from the leftmost cell on (the Unicode
    bidi algorithm, python-bidi's reference implementation, which reports each character's
    level). Bidi controls are dropped."""
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    storage["base_level"] = 1 if base_rtl else 0
    storage["base_dir"] = "R" if base_rtl else "L"
    algorithm.get_embedding_levels(line, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    for step in (
        algorithm.explicit_embed_and_overrides,
        algorithm.resolve_weak_types,
        algorithm.resolve_neutral_types,
        algorithm.resolve_implicit_levels,
        algorithm.reorder_resolved_levels,
    ):
        step(storage, False)
    return [(int(char["index"]), int(char["level"]) % 2 == 1) for char in storage["chars"]]


def typed_line(text: str, cursor: int, base_rtl: bool) -> tuple[str, int]:
    """What a line editor in visual mode draws for `text` being typed, and the cell where the
    cursor goes (from the left of the text) for the logical insertion point `cursor`.

    Letters are joined (reshaped, one form per letter) and the line is in reading order. The
    insertion point before a right-to-left character is on that character's right, before a
    left-to-right one on its left; at the end of the text, after the last character typed.
    """
    if not text:
        return "", 0
    shaped = str(_letter_reshaper().reshape(text)) if has_rtl(text) else text
    if len(shaped) != len(text):  # pragma: no cover - a reshaper that merged letters after all
        shaped = text
    order = _marks_after_bases(visual_order(shaped, base_rtl), shaped)
    drawn = "".join(shaped[index] for index, _ in order)
    cells = [char_width(shaped[index]) for index, _ in order]
    place = {index: position for position, (index, _) in enumerate(order)}
    if cursor < len(text) and cursor in place and not unicodedata.combining(shaped[cursor]):
        position = place[cursor]
        right_to_left = order[position][1]
        column = sum(cells[: position + 1]) if right_to_left else sum(cells[:position])
    elif cursor and cursor - 1 in place:
        # After a letter's marks is after the letter: it is the letter's cell that counts.
        before = cursor - 1
        while before and unicodedata.combining(shaped[before]) and before - 1 in place:
            before -= 1
        position = place[before]
        right_to_left = order[position][1]
        column = sum(cells[:position]) if right_to_left else sum(cells[: position + 1])
    else:
        column = 0 if base_rtl is False else sum(cells)
    return drawn, column


def _marks_after_bases(order: list[tuple[int, bool]], text: str) -> list[tuple[int, bool]]:
    """Combining marks that reversing put before their letter, put back after it (a terminal
    puts a mark on the cell before it)."""
    result: list[tuple[int, bool]] = []
    at = 0
    while at < len(order):
        end = at
        while end < len(order) and unicodedata.combining(text[order[end][0]]):
            end += 1
        if end > at and end < len(order) and order[end][1]:
            # Marks, then their right-to-left letter: the letter first, the marks in typed order.
            result.append(order[end])
            result.extend(reversed(order[at:end]))
            at = end + 1
        else:
            result.extend(order[at : max(end, at + 1)])
            at = max(end, at + 1)
    return result
