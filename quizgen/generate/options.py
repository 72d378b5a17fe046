"""Wrong options and the small text helpers the generators share.

A wrong option comes from a fact of the same kind, never equals the answer
(case- and space-insensitively), is never another correct answer, and options
never repeat; the generators build their pools accordingly and
``pick_options`` checks the draw once more."""

from __future__ import annotations

import random
from typing import Iterable, Sequence

from quizgen.model import Citation


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def dedupe(values: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Distinct values in first-seen order, case- and space-insensitively,
    leaving out anything equal to an excluded value."""
    seen = {fold(v) for v in exclude}
    out = []
    for v in values:
        k = fold(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def capital(text: str) -> str:
    """Options open with a capital, like any answer on a card."""
    return text[:1].upper() + text[1:]


def join_names(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def unique_citations(groups: Iterable[Iterable[Citation]]) -> tuple[Citation, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for group in groups:
        for c in group:
            if (c.source, c.quote) not in seen:
                seen.add((c.source, c.quote))
                out.append(c)
    return tuple(out)


def pick_options(answer: str, wrong: Sequence[str], preferred: Sequence[str], n_options: int,
                 rng: random.Random) -> list[str]:
    """The answer and up to n_options - 1 wrong options, the preferred ones
    first. On a clash (a pool a generator failed to clean) the pool is cleaned
    and the draw repeated, so a duplicate option can never reach a card."""
    def draw(pool: Sequence[str]) -> list[str]:
        state = rng.getstate()
        want = min(len(pool), n_options - 1)
        liked = set(preferred)
        first = [w for w in pool if w in liked]
        chosen = rng.sample(first, min(len(first), want))
        taken = set(chosen)
        chosen += rng.sample([w for w in pool if w not in taken], want - len(chosen))
        shown = [answer, *chosen]
        if len({fold(o) for o in shown}) == len(shown):
            return shown
        rng.setstate(state)
        return []

    return draw(wrong) or draw(dedupe(wrong, exclude=[answer]))
