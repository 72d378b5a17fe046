"""results.csv: one row per student copy and question, the contract between
reading the scans and everything after it (totals, item analysis, key check).

Stdlib only. The columns are documented in docs/grading.md; the first eight
are the ones a spreadsheet needs, the rest say how sure the reading is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from typing import Iterable, Sequence


@dataclass(frozen=True, slots=True)
class ResultRow:
    student: str  # the roster name, or "" for a variant copy
    variant: str  # the copy's label as the manifest has it ("A", "01", "")
    number: int  # the printed question number
    question: str  # the question id
    marked: str  # letters as printed, ";"-joined ("B", "A;C"); "" blank; a score for teacher-scored items
    key: str  # the keyed answer as printed (letters, or the key text for teacher-scored items)
    correct: bool | None  # None: not decided (doubtful, left for review)
    points: float  # points earned (0 when wrong or undecided)
    max_points: float = 0.0
    type: str = ""  # the question type
    code: str = ""  # the copy's code as printed ("set/A/s1956")
    confidence: float = 1.0  # 0..1, of the least certain box of the question
    review: str = ""  # why a person should look ("" when the reading is sure)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ResultRow))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else str(int(value))
    return str(value)


def results_csv(rows: Iterable[ResultRow]) -> bytes:
    """UTF-8 CSV with a header, \\n line ends, the rows in the order given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in COLUMNS])
    return out.getvalue().encode("utf-8")


def _parse(name: str, text: str) -> object:
    if name == "number":
        return int(text)
    if name in ("points", "max_points", "confidence"):
        return float(text) if text else 0.0
    if name == "correct":
        return None if text == "" else text == "1"
    return text


def read_results_csv(data: bytes) -> list[ResultRow]:
    """The rows of results_csv's bytes (extra columns are ignored)."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return [ResultRow(**{name: _parse(name, record.get(name, "") or "") for name in COLUMNS
                         if name in record}) for record in reader]


@dataclass(frozen=True, slots=True)
class Total:
    student: str
    variant: str
    code: str
    points: float
    max_points: float
    undecided: int  # questions left for review


def totals(rows: Sequence[ResultRow]) -> list[Total]:
    """Per copy, in the order copies first appear."""
    order: list[tuple[str, str, str]] = []
    acc: dict[tuple[str, str, str], list[float]] = {}
    for row in rows:
        k = (row.student, row.variant, row.code)
        if k not in acc:
            order.append(k)
            acc[k] = [0.0, 0.0, 0]
        acc[k][0] += row.points
        acc[k][1] += row.max_points
        acc[k][2] += row.correct is None
    return [Total(s, v, c, acc[(s, v, c)][0], acc[(s, v, c)][1], int(acc[(s, v, c)][2])) for s, v, c in order]


def totals_csv(rows: Sequence[ResultRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("student", "variant", "code", "points", "max_points", "undecided"))
    for t in totals(rows):
        writer.writerow((t.student, t.variant, t.code, _cell(t.points), _cell(t.max_points), t.undecided))
    return out.getvalue().encode("utf-8")
