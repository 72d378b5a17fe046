"""The single-file formats as one renderer of the build: each name in
options.exports (quizgen.render.EXPORTERS) staged as <deck slug><suffix> in
the output folder, beside the deck and the worksheets, so `quizgen build`
writes them all or none."""

from __future__ import annotations

from quizgen.model import Bank
from quizgen.render import RenderOptions, export_file_name, exporter, staged
from quizgen.staging import Output, Stage


@staged
def render(bank: Bank, stage: Stage, options: RenderOptions) -> list[Output]:
    return [output for name in options.exports for output in render_one(bank, stage, options, name)]


def render_one(bank: Bank, stage: Stage, options: RenderOptions, name: str) -> list[Output]:
    """One format: a unit of its own for the build (cached, in parallel)."""
    data = exporter(name)(bank, options)
    output = stage.write(stage.path(export_file_name(bank, name, options)), data)
    if options.progress:
        options.progress(f"export: {name}: {len(bank.questions)} questions, {len(data):,} bytes")
    return [output]
