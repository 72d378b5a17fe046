"""`quizgen grade` without the command line: check the manifest and layout
belong together, read every scan, score, apply the teacher's decisions.
Every problem is an error line (``path: error: …``), collected, never raised."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from quizgen.grade.read import decided, load_json, read_scans, rows_for
from quizgen.grade.results import ResultRow


def check_pair(manifest: dict, layout: dict, manifest_path: Path, layout_path: Path) -> list[str]:
    errors = []
    if manifest.get("set") != layout.get("set"):
        errors.append(f"{layout_path}: error: expected the layout of set '{manifest.get('set')}' "
                      f"({manifest_path}), found set '{layout.get('set')}'")
        return errors
    codes = [c["code"] for c in manifest["copies"]]
    found = [c["code"] for c in layout["copies"]]
    if codes != found:
        errors.append(f"{layout_path}: error: expected the copies {', '.join(codes)} of {manifest_path}, "
                      f"found {', '.join(found)} (rebuilt since?)")
    return errors


def grade(scans: list[Path], manifest_path: Path, layout_path: Path | None = None,
          decisions_path: Path | None = None, workers: int = 1):
    """(rows, crops, errors): rows are empty when there are errors."""
    layout_path = layout_path or manifest_path.with_name(manifest_path.name.replace(".manifest.json", ".layout.json"))
    manifest, errors = load_json(manifest_path, "quizgen-manifest")
    layout, more = load_json(layout_path, "quizgen-layout")
    errors += more
    decisions = {}
    if decisions_path is not None:
        from quizgen.grade.review import read_decisions

        decisions, more = read_decisions(decisions_path)
        errors += more
    if manifest is not None and layout is not None:
        errors += check_pair(manifest, layout, manifest_path, layout_path)
    if errors:
        return [], {}, errors
    readings, errors = read_scans(scans, layout, workers)
    seen: dict[tuple[str, str], str] = {}
    from quizgen.grade.read import _student_id

    for r in readings:
        key = (r.payload, _student_id(r.boxes))
        if key in seen:
            errors.append(f"{r.source}: error: expected each page once, found page '{r.payload}' "
                          f"(student number '{key[1]}') already in {seen[key]}")
        seen[key] = r.source
    if errors:
        return [], {}, errors
    crops: dict = {}
    rows = rows_for(manifest, layout, readings, crops)
    if decisions:
        rows = apply_decisions(rows, manifest, decisions)
    return rows, crops, []


def apply_decisions(rows: list[ResultRow], manifest: dict, decisions: dict) -> list[ResultRow]:
    questions = {(c["code"], q["number"]): q for c in manifest["copies"] for q in c["questions"]}
    out = []
    for row in rows:
        key = (row.code, row.student, row.number)
        if key not in decisions:
            out.append(row)
            continue
        base = dict(student=row.student, variant=row.variant, number=row.number, question=row.question,
                    key=row.key, max_points=row.max_points, type=row.type, code=row.code)
        out.append(decided(questions[(row.code, row.number)], decisions[key], 1.0, base,
                           review=f"decided in review (read: {row.review})"))
    return out
