"""Reading results.csv and NAME.manifest.json for `quizgen analyse`, with a
line for every problem: a teacher who corrected results.csv by hand gets each
mistake at its line, all at once. Stdlib only."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Sequence

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.grade.analysis import check_rows
from quizgen.grade.results import COLUMNS, ResultRow

REQUIRED = ("student", "variant", "number", "question", "marked", "correct", "points")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def read_results(path: Path, shown: str | None = None) -> tuple[list[ResultRow], list[Loc], list[Diagnostic]]:
    """The rows of a results.csv, the line each starts on, and every problem."""
    shown = shown or str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return [], [], [Diagnostic(Loc(shown), f"expected a results.csv file, found {exc.strerror or exc}")]
    except UnicodeDecodeError as exc:
        return [], [], [Diagnostic(Loc(shown), f"expected UTF-8 text, found byte 0x{text_byte(exc):02x}")]
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Diagnostic] = []
    header = next(reader, None)
    if header is None:
        return [], [], [Diagnostic(Loc(shown, 1, 1), "expected a header naming " + ", ".join(REQUIRED)
                                   + ", found an empty file")]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [], [Diagnostic(Loc(shown, 1, 1), f"expected the column{'s' if len(missing) > 1 else ''} "
                                   f"{', '.join(missing)}, found {', '.join(header) or 'none'}")]
    index = {name: header.index(name) for name in COLUMNS if name in header}
    rows, locs = [], []
    line = reader.line_num + 1
    for record in reader:
        loc = Loc(shown, line, 1)
        line = reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        values: dict[str, object] = {}
        bad = False
        for name, i in index.items():
            cell = record[i].strip() if i < len(record) else ""
            col_loc = Loc(shown, loc.line, _column(record, i))
            if name == "number":
                if not cell.isdigit():
                    problems.append(Diagnostic(col_loc, f"number: expected a question number, found '{cell}'"))
                    bad = True
                    continue
                values[name] = int(cell)
            elif name in ("points", "max_points", "confidence"):
                num = _number(cell) if cell else 0.0
                if num is None or num < 0:
                    problems.append(Diagnostic(col_loc, f"{name}: expected a number of 0 or more, found '{cell}'"))
                    bad = True
                    continue
                values[name] = num
            elif name == "correct":
                if cell not in ("", "0", "1"):
                    problems.append(Diagnostic(col_loc, f"correct: expected 1, 0 or empty (not decided), "
                                                        f"found '{cell}'"))
                    bad = True
                    continue
                values[name] = None if cell == "" else cell == "1"
            else:
                values[name] = cell
        if bad:
            continue
        row = ResultRow(**values)  # type: ignore[arg-type]
        if row.max_points and row.points > row.max_points:
            problems.append(Diagnostic(loc, f"points: expected at most max_points {row.max_points:g}, "
                                            f"found {row.points:g}"))
            continue
        rows.append(row)
        locs.append(loc)
    return rows, locs, problems


def text_byte(exc: UnicodeDecodeError) -> int:
    return exc.object[exc.start]


def _column(record: Sequence[str], i: int) -> int:
    # 1-based column of the cell, counting the raw cells (quotes make it approximate, never wrong by a cell)
    return 1 + sum(len(c) + 1 for c in record[:i])


def read_manifest(path: Path, shown: str | None = None) -> tuple[dict | None, list[Diagnostic]]:
    shown = shown or str(path)
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except OSError as exc:
        return None, [Diagnostic(Loc(shown), f"expected a manifest file, found {exc.strerror or exc}")]
    except UnicodeDecodeError as exc:
        return None, [Diagnostic(Loc(shown), f"expected UTF-8 JSON, found byte 0x{text_byte(exc):02x}")]
    except json.JSONDecodeError as exc:
        return None, [Diagnostic(Loc(shown, exc.lineno, exc.colno), f"expected JSON, found an error: {exc.msg}")]
    if not isinstance(data, dict) or data.get("format") != "quizgen-manifest":
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        return None, [Diagnostic(Loc(shown, 1, 1), f"expected a quizgen manifest (format 'quizgen-manifest'), "
                                                   f"found {found!r}")]
    if data.get("version") != 1:
        return None, [Diagnostic(Loc(shown, 1, 1), f"expected manifest version 1, found {data.get('version')!r}")]
    problems = []
    copies = data.get("copies")
    if not isinstance(copies, list) or not copies:
        problems.append(Diagnostic(Loc(shown, 1, 1), "copies: expected a list of copies, found none"))
    else:
        for c, copy in enumerate(copies):
            questions = copy.get("questions") if isinstance(copy, dict) else None
            if not isinstance(questions, list) or not all(isinstance(q, dict) and isinstance(q.get("id"), str)
                                                          for q in questions):
                problems.append(Diagnostic(Loc(shown), f"copies[{c}].questions: expected a list of questions "
                                                       f"with ids, found {type(questions).__name__}"))
                continue
            for i, q in enumerate(questions):
                order, choices = q.get("order"), q.get("choices")
                if choices is not None and (not isinstance(order, list) or sorted(order) != list(range(len(choices)))):
                    problems.append(Diagnostic(Loc(shown), f"copies[{c}].questions[{i}].order: expected a "
                                                           f"permutation of 0..{len(choices) - 1}, found {order!r}"))
    return (None if problems else data), problems


def read_inputs(results: Path, manifests: Sequence[Path]) -> tuple[list[ResultRow], list[dict]]:
    """Rows and manifests, or QuizgenError with every problem of every file."""
    problems: list[Diagnostic] = []
    loaded = []
    for path in manifests:
        data, found = read_manifest(path)
        problems.extend(found)
        if data is not None:
            loaded.append(data)
    rows, locs, found = read_results(results)
    problems.extend(found)
    if len(loaded) == len(manifests):  # rows can only be checked against every manifest
        problems.extend(check_rows(rows, loaded, locs))
    if problems:
        raise QuizgenError(problems)
    return rows, loaded
