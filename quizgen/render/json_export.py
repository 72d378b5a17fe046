"""The bank as JSON: a stable contract for other tools and for tests.

Keys and their order are part of the contract (see README, "JSON export")."""

from __future__ import annotations

import json

from quizgen.model import Bank, Question, Source

FORMAT_VERSION = 1


def source_record(s: Source) -> dict:
    return {
        "id": s.id, "file": s.file, "sha256": s.sha256, "outlet": s.outlet,
        "headline": s.headline, "published": s.published,
        "inferred_date": s.inferred_date, "inferred_reason": s.inferred_reason,
    }


def question_record(q: Question) -> dict:
    return {
        "id": q.id, "type": q.type, "topic": q.topic, "prompt": q.prompt, "answer": q.answer,
        "options": list(q.options),
        "citations": [{"source": c.source, "quote": c.quote} for c in q.citations],
        "origin": q.origin, "template": q.template, "facts": list(q.facts),
        "tags": list(q.tags), "difficulty": q.difficulty, "explanation": q.explanation,
        "accept": list(q.accept), "pairs": [list(p) for p in q.pairs], "items": list(q.items),
        **({"spares": list(q.spares)} if q.spares else {}),  # only where a matching has them: other records unchanged
        "support": {"status": q.support.status, "reason": q.support.reason},
    }


def export(bank: Bank, options=None) -> bytes:
    """The exporter's signature (quizgen.render.EXPORTERS)."""
    return to_json(bank).encode("utf-8")


def to_json(bank: Bank) -> str:
    doc = {
        "format": FORMAT_VERSION,
        "sources": [source_record(s) for s in bank.sources],
        "questions": [question_record(q) for q in bank.questions],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
