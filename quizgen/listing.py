"""Readable plain-text tables for the terminal (list, verify coverage)."""

from __future__ import annotations

from typing import Iterable, Sequence

from quizgen.model import Question, Source

# Shown in this order in the counts line; "unsupported" is an unmarked question
# whose key its citations do not state (validate reports it).
SUPPORT_ORDER = ("quoted", "inferred", "outside", "unsupported")


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


def support_statuses(questions: Iterable[Question], sources: Iterable[Source]) -> dict[str, str]:
    """Question id -> its support status as quizgen/bank/support.py decides it."""
    from quizgen.bank.support import status

    by_id = {s.id: s for s in sources}
    return {q.id: status(q, by_id) for q in questions}


def question_table(questions: Sequence[Question], statuses: dict[str, str] | None = None) -> str:
    statuses = statuses or {}
    rows = [(q.id, q.type, q.topic, q.difficulty, statuses.get(q.id, q.support.status),
             ",".join(q.source_ids), q.prompt) for q in questions]
    return table(("id", "type", "topic", "difficulty", "support", "sources", "prompt"), rows, max_width=48)


def support_counts(statuses: Iterable[str]) -> str:
    """"61 quoted, 20 inferred, 2 outside": every status, zero counts included
    except for "unsupported"."""
    counts = {k: 0 for k in SUPPORT_ORDER}
    for st in statuses:
        counts[st] = counts.get(st, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in counts.items() if n or k != "unsupported")
