"""The feedback every export shows after an answer, as plain text lines: the
explanation, how the key is supported when it is not quoted, and every
citation with its source. Each format escapes and joins them its own way."""

from __future__ import annotations

from quizgen.model import Bank, Question


def feedback_lines(q: Question, bank: Bank) -> list[str]:
    lines = [f"{bank.config.label('explanation')}: {q.explanation}"]
    if q.support.status != "quoted":
        lines.append(f"{bank.config.label('support_' + q.support.status)}: {q.support.reason}")
    for c in q.citations:
        s = bank.source(c.source)
        lines.append(f"\u201c{c.quote}\u201d \u2014 {s.outlet_label}, \u201c{s.headline}\u201d, {s.date_label}")
    return lines
