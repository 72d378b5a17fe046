"""A class roster for per-student copies: a CSV file with a `name` column
(or, without a header naming one, names in the first column). Blank rows are
skipped; every other problem is reported at its line, all at once."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from quizgen.errors import Diagnostic, Loc, QuizgenError


def read_roster(path: Path) -> tuple[str, ...]:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise QuizgenError([Diagnostic(Loc(where), f"expected a readable UTF-8 CSV roster, found {exc.__class__.__name__}")])
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().casefold() for cell in rows[0]] if rows else []
    column, start = (header.index("name"), 1) if "name" in header else (0, 0)
    names: list[str] = []
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        name = " ".join(row[column].split()) if column < len(row) else ""
        if not name:
            problems.append(Diagnostic(Loc(where, line, 1), "expected a student's name, found an empty cell"))
        elif name in seen:
            problems.append(Diagnostic(Loc(where, line, 1), f"expected each name once, found '{name}' "
                                                            f"again (first on line {seen[name]})"))
        else:
            seen[name] = line
            names.append(name)
    if not names and not problems:
        problems.append(Diagnostic(Loc(where), "expected at least one student's name, found none"))
    if problems:
        raise QuizgenError(problems)
    return tuple(names)
