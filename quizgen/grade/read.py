"""From scans to results rows: identify and measure every page (in worker
processes), group pages into copies, decide each box and score each question
against the manifest's key and points. Doubtful questions get ``correct=None``,
no points and a ``review`` reason; nothing doubtful is guessed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from quizgen.grade.results import ResultRow


@dataclass(slots=True)
class PageReading:
    source: str
    payload: str = ""
    boxes: list[tuple[dict, str, float]] = field(default_factory=list)  # box, state, confidence
    error: str = ""
    crops: dict[tuple[int, int, str], bytes] = field(default_factory=dict)  # (number, row, choice) -> PNG, boxes not blank


def load_json(path: Path, fmt: str) -> tuple[dict | None, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, [f"{path}: error: expected a readable {fmt} JSON file, found {exc}"]
    if not isinstance(data, dict) or data.get("format") != fmt:
        return None, [f"{path}: error: expected a {fmt} file, found format '{data.get('format') if isinstance(data, dict) else type(data).__name__}'"]
    return data, []


def _read_page(args) -> PageReading:
    from quizgen.grade.decide import decide
    from quizgen.grade.locate import locate
    from quizgen.grade.measure import fill, paper_white, warp

    source, image, pages = args
    where, page, why = locate(image, pages.get)
    if where is None:
        return PageReading(source, error=why)
    w, h = page["size"]
    warped = warp(image, where.to_image, (w, h))
    white = paper_white(warped)
    out = PageReading(source, where.payload)
    for box in page["boxes"]:
        state, conf = decide(*fill(warped, box["rect"], h, white))
        out.boxes.append((box, state, conf))
        if state != "blank" and box["kind"] != "id":
            out.crops[(box["number"], box["row"], box["choice"])] = crop_png(warped, box["rect"], h)
    return out


def crop_png(warped, rect, height) -> bytes:
    """The box and its label, for a person to judge."""
    import cv2

    from quizgen.grade.measure import PX

    x, y, w, h = rect
    top, left = int((height - y - h - 6) * PX), int((x - 14) * PX)
    piece = warped[max(0, top):int(top + (h + 12) * PX), max(0, left):int(left + (w + 20) * PX)]
    return cv2.imencode(".png", piece)[1].tobytes()


def read_scans(paths, layout: dict, workers: int = 1) -> tuple[list[PageReading], list[str]]:
    from quizgen.grade.pages import load_pages

    pages = {p["qr"]["payload"]: p for c in layout["copies"] for p in c["pages"]}
    jobs, errors = [], []
    for path in paths:
        found, errs = load_pages(Path(path))
        errors += errs
        jobs += [(p.source, p.image, pages) for p in found]
    if workers > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            readings = list(pool.map(_read_page, jobs, chunksize=2))
    else:
        readings = [_read_page(j) for j in jobs]
    errors += [f"{r.source}: error: {r.error}" for r in readings if r.error]
    return [r for r in readings if not r.error], errors


def _student_id(boxes) -> str:
    digits = {}
    for box, state, _ in boxes:
        if box["kind"] == "id" and state != "blank":
            digits.setdefault(box["row"], []).append(box["choice"] if state == "marked" else "?")
    return "".join(d[0] if len(d) == 1 else "?" for _, d in sorted(digits.items()))


def rows_for(manifest: dict, layout: dict, readings: list[PageReading],
             crops: dict | None = None) -> list[ResultRow]:
    """One row per copy found and question, in manifest order. ``crops``, when
    given, receives (code, student, number) -> [(box, PNG)] for every row left for review."""
    by_variant = {c["variant"] or "-": c for c in manifest["copies"]}
    pages_of = {c["variant"] or "-": len(c["pages"]) for c in layout["copies"]}
    copies: dict[tuple[str, str], dict[int, PageReading]] = {}
    for r in readings:
        _, _, variant, _, page = r.payload.split(";")
        copies.setdefault((variant, _student_id(r.boxes)), {})[int(page)] = r
    rows = []
    for variant, copy in by_variant.items():
        for (v, sid), found in copies.items():
            if v != variant:
                continue
            marks: dict[int, list] = {}
            images: dict[int, list] = {}
            for r in found.values():
                for (number, row, choice), png in r.crops.items():
                    images.setdefault(number, []).append((f"{choice}" + (f" (row {row})" if row else ""), png))
                for box, state, conf in r.boxes:
                    if box["kind"] != "id":
                        marks.setdefault(box["number"], []).append((box, state, conf))
            missing = [p for p in range(1, pages_of[variant] + 1) if p not in found]
            student = copy.get("student", "") or sid
            for q in copy["questions"]:
                row = score(q, marks.get(q["number"], []), copy, student,
                            f"page {', '.join(map(str, missing))} not found" if missing else "")
                rows.append(row)
                if row.review and crops is not None:
                    crops[(row.code, row.student, row.number)] = images.get(q["number"], [])
    return rows


def _key(q) -> str:
    k = q["key"]
    if q["type"] == "mcq":
        return k["letter"]
    if q["type"] == "true_false":
        return k["text"][:1].upper()
    if q["type"] in ("matching", "ordering"):
        return ";".join(k["letters"])
    if q["type"] == "cloze":
        return "; ".join(k["blanks"])
    return k.get("text", "")


def score(q, boxes, copy, student, missing="") -> ResultRow:
    base = dict(student=student, variant=copy["variant"], number=q["number"], question=q["id"], key=_key(q),
                max_points=float(q["points"]), type=q["type"], code=copy["code"])
    if not boxes:
        return ResultRow(marked="", correct=None, points=0.0, confidence=0.0,
                         review=missing or "question not found on the scanned pages", **base)
    confidence = min(c for _, _, c in boxes)
    doubtful = [b for b, s, _ in boxes if s == "doubtful"]
    rows: dict[int, list[str]] = {}
    for box, state, _ in boxes:
        rows.setdefault(box["row"], [])
        if state == "marked":
            rows[box["row"]].append(box["choice"])
    review = ""
    if doubtful:
        review = "doubtful mark in box " + ", ".join(f"{b['choice']}" + (f" (row {b['row']})" if b["row"] else "")
                                                     for b in doubtful)
    elif any(len(v) > 1 for v in rows.values()):
        review = "two marks where one answer is expected"
    elif q["type"] in ("short_answer", "cloze") and not rows.get(0):
        review = "no teacher score ticked"
    marked = ";".join(";".join(v) if len(v) <= 1 else "+".join(v) for v in rows.values()) \
        if len(rows) > 1 else ";".join(rows.get(0, []))
    if len(rows) > 1:
        marked = ";".join(v[0] if len(v) == 1 else ("-" if not v else "+".join(v)) for _, v in sorted(rows.items()))
        marked = "" if not any(rows.values()) else marked
    if review:
        return ResultRow(marked=marked, correct=None, points=0.0, confidence=confidence, review=review, **base)
    return decided(q, marked, confidence, base)


def decided(q, marked: str, confidence: float, base: dict, review: str = "") -> ResultRow:
    """Score what was marked (read from the boxes, or written by the teacher in review.csv)."""
    points = float(q["points"])
    if q["type"] in ("short_answer", "cloze"):
        try:
            got = float(marked or 0)
        except ValueError:
            return ResultRow(marked=marked, correct=None, points=0.0, confidence=0.0,
                             review=f"expected a score, found '{marked}'", **base)
        return ResultRow(marked=marked, correct=got >= points, points=min(got, points), confidence=confidence,
                         review=review, **base)
    if q["type"] == "matching":
        want = q["key"]["letters"]
        got = marked.split(";")
        right = sum(a == b for a, b in zip(got, want))
        return ResultRow(marked=marked, correct=right == len(want), points=points * right / len(want),
                         confidence=confidence, review=review, **base)
    ok = marked == _key(q)
    return ResultRow(marked=marked, correct=ok, points=points if ok else 0.0, confidence=confidence,
                     review=review, **base)
