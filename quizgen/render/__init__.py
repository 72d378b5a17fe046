"""Renderers: one module per output format, one signature.

    render(bank, stage, options) -> list[Output]

A renderer writes every file into the build's staging folder
(``stage.write(stage.path(name), data)``, or ``stage.write(bank_file, data)``
for a file kept beside the bank, such as the Anki lock), never into the output
folder or the bank: quizgen.build renames the staged files into place only
when every renderer has succeeded (quizgen.staging).

Given a folder instead of a stage, a renderer stages, commits on success and
returns the final paths: the shortcut for callers that run one renderer.

The registry maps a format name to the module that renders it; modules are
imported only when used, so genanki and reportlab stay out of ``--help``.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

from quizgen.errors import Diagnostic
from quizgen.model import Bank
from quizgen.staging import Output, Session, Stage

# The Anki lock beside the bank (quizgen.render.anki.lock): named here so a
# build can find it before anything of the Anki renderer is imported.
ANKI_LOCK_NAME = "anki-lock.json"

RENDERERS: dict[str, str] = {
    "anki": "quizgen.render.anki",
    "pdf": "quizgen.render.pdf",
    "exports": "quizgen.render.exports",  # the single-file formats below, those options.exports names
}

# Single-file formats: name -> (module, function, file name suffix). Each
# function is export(bank, options) -> bytes, over the questions of `bank`.
EXPORTERS: dict[str, tuple[str, str, str]] = {
    "json": ("quizgen.render.json_export", "export", ".json"),
    "gift": ("quizgen.render.gift", "export", ".gift"),
    "moodle": ("quizgen.render.moodle", "export", ".moodle.xml"),
    "qti": ("quizgen.render.qti", "export", ".qti.zip"),
    "csv": ("quizgen.render.csv_export", "export", ".csv"),
    "tsv": ("quizgen.render.csv_export", "export_tsv", ".tsv"),
    "html": ("quizgen.render.html", "export", ".html"),
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    timestamp: int = 0  # seconds since epoch for every embedded date (SOURCE_DATE_EPOCH)
    seed: int | None = None  # overrides each set's seed when given
    variants: int = 1
    deck_name: str | None = None
    set_names: tuple[str, ...] = ()  # empty: all sets
    students: tuple[str, ...] = ()  # a roster: one PDF copy per student instead of variants
    answer_sheet: bool = False  # also NAME[-V]-answers.pdf per copy and NAME.layout.json (docs/grading.md)
    exports: tuple[str, ...] = ()  # EXPORTERS names the "exports" renderer writes
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    # Non-fatal notices from a renderer (e.g. an Anki note type whose fields changed);
    # when None, renderers fall back to warnings.warn.
    warn: Callable[[Diagnostic], None] | None = field(default=None, compare=False)


Renderer = Callable[[Bank, Stage, RenderOptions], list[Output]]


def renderer(name: str) -> Renderer:
    module = importlib.import_module(RENDERERS[name])
    return module.render


Exporter = Callable[[Bank, RenderOptions], bytes]


def exporter(name: str) -> Exporter:
    module, function, _suffix = EXPORTERS[name]
    return getattr(importlib.import_module(module), function)


def export_file_name(bank: Bank, name: str, options: RenderOptions) -> str:
    """<deck slug><suffix>, e.g. history-of-science.gift: named like the deck."""
    from quizgen.ids import deck_slug

    return deck_slug(options.deck_name or bank.config.deck) + EXPORTERS[name][2]


def staged(render: Renderer) -> Callable[[Bank, Union[Stage, Path], RenderOptions], list]:
    """Let a renderer also take a folder: stage, commit, return the paths."""

    @functools.wraps(render)
    def render_to(bank: Bank, target: Union[Stage, Path], options: RenderOptions):
        if isinstance(target, Stage):
            return render(bank, target, options)
        with Session(Path(target)) as session:
            stage = session.stage()
            outputs = render(bank, stage, options)
            session.commit(stage)
        return [o.dest for o in outputs]

    return render_to
