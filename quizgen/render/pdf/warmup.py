"""A tiny worksheet and answer key rendered to nowhere, before any real one.

The first PDF a process lays out pays for what reportlab does once: lazy
imports, compiled patterns, the paragraph parser, the font subsets' tables,
the code paths of tables, drawings and outlines. A build forks its workers
from one warm process (quizgen.build_units.warm_up); rendering a sheet and
key of every question type there, while the parent still validates, leaves
the workers only their own sets' work. The text is made up and generic; the
bytes of later PDFs do not depend on it (tests/test_pdf_warm.py).
"""

from __future__ import annotations

import os

from quizgen.model import Bank, BankConfig, Citation, Question, QuestionSet, Source, Support

_SOURCE = Source("warm-a", "a.txt", "0" * 64, "Warm-up Wire", "A \"report\" on a bridge's opening",
                 published="2001-05-04")
_UNDATED = Source("warm-b", "b.txt", "0" * 64, None, "An undated note", inferred_date="2002-06",
                  inferred_reason="Made up for the warm-up.")


def _questions() -> tuple[Question, ...]:
    cite = (Citation(_SOURCE.id, "the bridge opened in 1998 after the council's vote"),
            Citation(_UNDATED.id, "work on the road began in 2001"))
    why = "The report says so in its \"second\" paragraph — Здесь; 東京 (β)."
    common = dict(topic="a", explanation=why, citations=cite)
    return (
        Question("w1", "mcq", prompt="Which year did the bridge open?", answer="1998",
                 options=("1996", "1998", "2001", "2003"), **common),
        Question("w2", "true_false", prompt="The council voted against the bridge.", answer="False",
                 options=("True", "False"), support=Support("inferred", "It follows from the vote."), **common),
        Question("w3", "short_answer", prompt="What opened in 1998?", answer="The bridge",
                 accept=("the new bridge",), **common),
        Question("w4", "cloze", prompt="The [[bridge]] opened after the [[vote]].", answer="bridge; vote",
                 **dict(common, topic="b")),
        Question("w5", "matching", prompt="Match each year to its event.", answer="",
                 pairs=(("1998", "the opening"), ("2001", "the road works")), spares=("a flood",),
                 **dict(common, topic="b")),
        Question("w6", "ordering", prompt="Put the events in order.", answer="",
                 items=("the vote", "the opening", "the road works"), **dict(common, topic="b")),
    )


def warm(root: str | None = None) -> None:
    """Render a synthetic worksheet and key (with a timeline) and drop them.
    ``root`` is where the bank's fonts would be found: the working folder, as
    warm_up registers the built-in fonts from there."""
    from quizgen.render import RenderOptions
    from quizgen.render.pdf import render_set
    from quizgen.render.pdf import flowables

    config = BankConfig(title="Warm-up bank")
    bank = Bank(root or os.getcwd(), (_SOURCE, _UNDATED), _questions(), config=config)
    qset = QuestionSet("warm-up", "Warm-up sheet", instructions="Answer every \"question\".", order="topic",
                       timeline=True)
    render_set(bank, qset, RenderOptions(timestamp=0, variants=2))
    for cache in (flowables.para, flowables.boxed, flowables._template):  # no use to a real bank
        cache.cache_clear()
