"""Run the pipeline: load and validate the whole bank, then hand it to each
renderer. Nothing is written until everything has validated. No click here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quizgen.bank.load import load_bank
from quizgen.errors import Diagnostic, QuizgenError
from quizgen.model import Bank
from quizgen.render import RENDERERS, RenderOptions, renderer
from quizgen.select import deliverable
from quizgen.writefile import build_timestamp

# Used when SOURCE_DATE_EPOCH is unset, so that two builds of the same tree
# agree byte for byte without the caller doing anything (2000-01-01, the date
# reportlab's invariant mode also uses).
DEFAULT_EPOCH = 946684800


@dataclass(frozen=True, slots=True)
class BuildResult:
    bank: Bank
    written: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...]


def load_or_raise(root: Path) -> tuple[Bank, list[Diagnostic]]:
    bank, diagnostics = load_bank(root)
    if bank is None:
        raise QuizgenError(diagnostics)
    return bank, diagnostics


def default_options(**overrides) -> RenderOptions:
    overrides.setdefault("timestamp", build_timestamp(DEFAULT_EPOCH))
    return RenderOptions(**overrides)


def render_formats(bank: Bank, out_dir: Path, formats: tuple[str, ...],
                   options: RenderOptions) -> list[Path]:
    """Hand a validated bank to each named renderer; the files they wrote."""
    written: list[Path] = []
    bank = deliverable(bank)  # the one place outputs leave out `support: outside` questions
    for name in formats:
        written.extend(renderer(name)(bank, Path(out_dir), options))
    return written


def build(root: Path, out_dir: Path, formats: tuple[str, ...] = tuple(RENDERERS),
          options: RenderOptions | None = None) -> BuildResult:
    bank, warnings = load_or_raise(root)
    written = render_formats(bank, out_dir, formats, options or default_options())
    return BuildResult(bank, tuple(written), tuple(warnings))
