"""Renderers: one module per output format, one signature.

    render(bank, out_dir, options) -> list[Path]

The registry maps a format name to the module that renders it; modules are
imported only when used, so genanki and reportlab stay out of ``--help``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from quizgen.errors import Diagnostic
from quizgen.model import Bank

RENDERERS: dict[str, str] = {
    "anki": "quizgen.render.anki",
    "pdf": "quizgen.render.pdf",
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    timestamp: int = 0  # seconds since epoch for every embedded date (SOURCE_DATE_EPOCH)
    seed: int | None = None  # overrides each set's seed when given
    variants: int = 1
    deck_name: str | None = None
    set_names: tuple[str, ...] = ()  # empty: all sets
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    # Non-fatal notices from a renderer (e.g. an Anki note type whose fields changed);
    # when None, renderers fall back to warnings.warn.
    warn: Callable[[Diagnostic], None] | None = field(default=None, compare=False)


def renderer(name: str) -> Callable[[Bank, Path, RenderOptions], list[Path]]:
    module = importlib.import_module(RENDERERS[name])
    return module.render
