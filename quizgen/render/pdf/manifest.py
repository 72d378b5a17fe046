"""NAME.manifest.json: what each printed copy of a set holds, for grading and
other tools. The contract is documented in docs/pdf.md ("The manifest");
change it only by raising ``MANIFEST_VERSION``.

Plain data in, bytes out: the same variants give the same bytes (keys in a
fixed order, no dates, no paths of this machine).
"""

from __future__ import annotations

import json
from typing import Sequence

from quizgen.model import QuestionSet
from quizgen.select import ShownQuestion, Variant, letters

MANIFEST_FORMAT = "quizgen-manifest"
MANIFEST_VERSION = 1


def keyed(shown: ShownQuestion) -> dict[str, object]:
    """The key as the copy prints it: letters of its own shuffled choices."""
    q = shown.question
    if q.type == "mcq":
        return {"letter": shown.answer_letter, "text": q.answer}
    if q.type == "true_false":
        return {"text": q.answer}
    if q.type == "short_answer":
        return {"text": q.answer, "accept": list(q.accept)}
    if q.type == "cloze":
        return {"blanks": list(q.cloze_blanks)}
    if q.type == "matching":
        # for each left item, top to bottom, the letter of its partner
        key: dict[str, object] = {"letters": list(shown.matching_key), "pairs": [list(p) for p in q.pairs]}
        if q.spares:  # the right-hand options that match nothing
            key["spares"] = list(shown.spare_letters)
        return key
    if q.type == "ordering":
        return {"letters": list(shown.ordering_key), "boxes": list(shown.ordering_positions)}
    return {"text": q.answer}


def shown_entry(shown: ShownQuestion) -> dict[str, object]:
    q = shown.question
    entry: dict[str, object] = {"number": shown.number, "id": q.id, "type": q.type, "points": shown.points}
    if q.type in ("mcq", "true_false", "matching", "ordering"):
        choices = shown.choices
        entry["choices"] = [{"letter": letters(i), "text": text} for i, text in enumerate(choices)]
        # shown[i] is original[order[i]]: the permutation from the bank's order
        entry["order"] = list(shown.order) if shown.order else list(range(len(choices)))
    if q.type == "matching":
        entry["left"] = [left for left, _ in q.pairs]
    entry["key"] = keyed(shown)
    return entry


def manifest_json(variants: Sequence[Variant], qset: QuestionSet, files: dict[str, tuple[str, str]],
                  left_out: Sequence[object] = (), answer_sheets: dict[str, str] | None = None) -> bytes:
    """``files`` maps a variant's label to its (worksheet, key) file names;
    ``left_out`` are the select_leaks.Leak records of questions kept off the sheets;
    ``answer_sheets`` maps a label to its answer sheet's file name (``--answer-sheet``)."""
    first = variants[0]
    data = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "set": qset.name,
        "title": qset.title,
        "seed": first.seed,
        "copies": [
            {
                "variant": v.letter,
                **({"student": v.student} if v.student else {}),
                "code": v.code,
                "seed": v.seed,
                "worksheet": files[v.label][0],
                "key": files[v.label][1],
                **({"answer_sheet": answer_sheets[v.label]} if answer_sheets else {}),
                "total_points": v.total_points,
                "questions": [shown_entry(s) for s in v.questions],
            }
            for v in variants
        ],
        "left_out": [{"id": leak.question.id, "reason": leak.describe()} for leak in left_out],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
