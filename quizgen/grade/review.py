"""The review: every question the reading left undecided, as an HTML page
with a crop of each box that is not blank, and ``review.csv`` for the
teacher's decisions. The teacher writes what the student marked in the
``decision`` column (letters as printed, "T"/"F", a score, ``-`` for
nothing) and grades again with ``--decisions review.csv``."""

from __future__ import annotations

import csv
import hashlib
import html
import io
from pathlib import Path

from quizgen.grade.results import ResultRow

REVIEW_COLUMNS = ("code", "student", "number", "question", "read", "why", "decision")


def review_files(rows: list[ResultRow], crops: dict) -> dict[str, bytes]:
    """File name (inside the review folder) -> bytes: index.html, review.csv, crops/*.png."""
    files: dict[str, bytes] = {}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(REVIEW_COLUMNS)
    parts = ["<!doctype html><meta charset=utf-8><title>quizgen review</title>",
             "<style>body{font:14px sans-serif;margin:2em}td,th{border-bottom:1px solid #ccc;padding:4px 8px;"
             "vertical-align:top}figure{display:inline-block;margin:2px 6px}figcaption{font-size:11px}</style>",
             "<h1>Marks to review</h1><p>Write what the student marked in the <code>decision</code> column of "
             "<code>review.csv</code> (letters as printed, T/F, a score, <code>-</code> for nothing; for "
             "matching and ordering one letter per row, <code>;</code>-separated), then grade again with "
             "<code>--decisions review.csv</code>.</p><table><tr><th>copy</th><th>student</th><th>question</th>"
             "<th>read</th><th>why</th><th>boxes</th></tr>"]
    for row in rows:
        if not row.review or row.correct is not None:
            continue
        w.writerow((row.code, row.student, row.number, row.question, row.marked, row.review, ""))
        figures = []
        for label, png in crops.get((row.code, row.student, row.number), []):
            name = f"crops/{hashlib.sha1(png).hexdigest()[:16]}.png"
            files[name] = png
            figures.append(f'<figure><img src="{name}" alt="box {html.escape(label)}">'
                           f"<figcaption>{html.escape(label)}</figcaption></figure>")
        parts.append(f"<tr><td>{html.escape(row.code)}</td><td>{html.escape(row.student)}</td>"
                     f"<td>{row.number} <small>{html.escape(row.question)}</small></td>"
                     f"<td>{html.escape(row.marked)}</td><td>{html.escape(row.review)}</td>"
                     f"<td>{''.join(figures)}</td></tr>")
    parts.append("</table>\n")
    files["index.html"] = "\n".join(parts).encode("utf-8")
    files["review.csv"] = out.getvalue().encode("utf-8")
    return files


def read_decisions(path: Path) -> tuple[dict[tuple[str, str, int], str], list[str]]:
    """(code, student, number) -> what the teacher says was marked."""
    try:
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        records = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return {}, [f"{path}: error: expected a readable review.csv, found {exc}"]
    missing = [c for c in ("code", "student", "number", "decision") if c not in (reader.fieldnames or ())]
    if missing:
        return {}, [f"{path}:1: error: expected the columns {', '.join(REVIEW_COLUMNS)}, found no '{missing[0]}'"]
    out, errors = {}, []
    for line, rec in enumerate(records, start=2):
        decision = (rec.get("decision") or "").strip()
        if not decision:
            continue
        try:
            number = int(rec["number"])
        except ValueError:
            errors.append(f"{path}:{line}: error: expected a question number, found '{rec['number']}'")
            continue
        out[(rec["code"], rec["student"], number)] = "" if decision == "-" else decision
    return out, errors
