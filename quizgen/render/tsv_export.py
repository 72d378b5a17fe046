"""Quizlet's paste import (`--format tsv`): one question a line, term TAB
definition. Written by quizgen.render.csv_export, beside the Anki CSV."""

from __future__ import annotations

from quizgen.render.csv_export import TSV_SUFFIX as SUFFIX, export_tsv as export

__all__ = ["SUFFIX", "export"]
