"""Readable plain-text tables for the terminal (list, verify coverage)."""

from __future__ import annotations

from typing import Iterable, Sequence

from quizgen.model import Question


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, max_width: int = 60) -> str:
    cells = [[_clip(str(v), max_width) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out) + "\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def filter_questions(questions: Iterable[Question], *, topic: str | None = None,
                     qtype: str | None = None, source: str | None = None,
                     origin: str | None = None) -> list[Question]:
    return [
        q for q in questions
        if (topic is None or q.topic == topic)
        and (qtype is None or q.type == qtype)
        and (source is None or source in q.source_ids)
        and (origin is None or q.origin == origin)
    ]


def question_table(questions: Sequence[Question]) -> str:
    rows = [(q.id, q.type, q.topic, q.difficulty, ",".join(q.source_ids), q.prompt) for q in questions]
    return table(("id", "type", "topic", "difficulty", "sources", "prompt"), rows, max_width=48)
