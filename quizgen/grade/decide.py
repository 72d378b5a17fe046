"""Marked, blank or doubtful, with a confidence. A clear mark fills most of
its box with dark ink; a blank box has next to none; anything between (a
faint mark, an erased one, a small tick) is doubtful and goes to review
rather than being guessed."""

from __future__ import annotations

MARKED = 0.35  # share of dark pixels from which a box is marked
BLANK_DARK = 0.05
BLANK_GREY = 0.10  # mean darkness below which a box is blank paper


def decide(dark: float, grey: float) -> tuple[str, float]:
    if dark >= MARKED:
        return "marked", min(1.0, 0.5 + (dark - MARKED) / (1 - MARKED))
    if dark < BLANK_DARK and grey < BLANK_GREY:
        return "blank", 1.0 - max(dark / BLANK_DARK, grey / BLANK_GREY) * 0.5
    return "doubtful", 0.3
