"""Render every PDF paragraph the shipped bank and a synthetic bank make, for
the tests that compare quizgen's paragraph shortcuts with reportlab's own."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from conftest import REAL_BANK, REPO


def render_shipped_bank() -> None:
    """Every set's PDFs of the shipped bank, with 2 variants and answer sheets."""
    from quizgen.build import default_options, load_or_raise
    from quizgen.render import pdf
    from quizgen.render.units import plan_units
    from quizgen.select import Selection, deliverable

    bank, _ = load_or_raise(Path(REAL_BANK))
    options = default_options(timestamp=0, variants=2, answer_sheet=True)
    for unit in plan_units(deliverable(bank), ("pdf",), options):
        pdf.render_set(unit.bank, unit.qset, options, unit.part, chosen=Selection(unit.bank.questions, unit.left_out))


def render_synthetic(n: int = 120) -> None:
    """A worksheet and key of bench_pdf's synthetic questions (every type and script)."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from bench_pdf import quizgen_pair, synthetic_questions
    finally:
        sys.path.pop(0)
    from quizgen.model import QuestionSet

    quizgen_pair(synthetic_questions(n), QuestionSet("t", "Test", instructions="Answer everything."))


@contextmanager
def fresh_paragraph_caches():
    """flowables' layout caches emptied before and after, so every paragraph
    goes through the code under test and none is left for the next test."""
    from quizgen.render.pdf import flowables

    caches = (flowables.para, flowables.boxed, flowables._template)
    for cache in caches:
        cache.cache_clear()
    try:
        yield
    finally:
        for cache in caches:
            cache.cache_clear()
