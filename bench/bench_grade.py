"""30 students x 2 pages of synthetic scans graded: seconds per page on 2
worker processes (target < 0.5 s) and mark accuracy over >= 5,000 boxes
(clear marks 100 % read, ambiguous ones flagged, never guessed).

    python bench/bench_grade.py            # one command; prints wall and CPU seconds, best of 3
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from grade_synth import distort, draw_mark, rasterise  # noqa: E402

from quizgen.bank.load import load_bank  # noqa: E402
from quizgen.grade.read import read_scans  # noqa: E402
from quizgen.render import RenderOptions  # noqa: E402
from quizgen.render.pdf import render  # noqa: E402

DPI = 200
STUDENTS = 30
SET = "full-review"  # long enough for two pages; the first two of each copy are used


def cpu() -> float:
    r, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    bank, diags = load_bank(ROOT / "questions")
    paths = {p.name: p for p in render(bank, tmp / "out", RenderOptions(timestamp=1, set_names=(SET,), variants=2,
                                                                         answer_sheet=True))}
    layout = json.loads(paths[f"{SET}.layout.json"].read_text(encoding="utf-8"))
    rng = random.Random(2026)
    truth: dict[tuple[str, int], str] = {}  # (scan, box index) -> clear / blank / faint / erased
    files = []
    for n in range(STUDENTS):
        copy = layout["copies"][n % 2]
        sid = f"{n:06d}"
        for i, image in enumerate(rasterise(tmp / "out" / copy["answer_sheet"], DPI)[:2]):
            page = copy["pages"][i]
            name = f"s{n:02d}-p{i + 1}.jpg"
            for k, b in enumerate(page["boxes"]):
                if b["kind"] == "id":
                    style = "clear" if sid[b["row"] - 1] == b["choice"] else "blank"
                else:
                    style = rng.choices(["clear", "blank", "faint", "erased"], [3, 6, 0.5, 0.5])[0]
                if style != "blank":
                    draw_mark(image, b["rect"], DPI, style, rng)
                truth[(name, k)] = style
            (tmp / name).write_bytes(distort(image, rng, turn=rng.choice([0, 0, 0, 180, 90, 270])))
            files.append(tmp / name)
    rng.shuffle(files)
    pages = len(files)
    best = None
    for _ in range(3):
        t, c = time.perf_counter(), cpu()
        readings, errors = read_scans(files, layout, workers=2)
        wall, used = time.perf_counter() - t, cpu() - c
        best = min(best or (wall, used), (wall, used))
    assert not errors, errors
    counts = {s: [0, 0, 0] for s in ("clear", "blank", "faint", "erased")}  # right, flagged, wrong
    for r in readings:
        name = Path(r.source).name
        for k, (box, state, _) in enumerate(r.boxes):
            style = truth[(name, k)]
            want = {"clear": "marked", "blank": "blank"}.get(style, "doubtful")
            counts[style][0 if state == want else 1 if state == "doubtful" else 2] += 1
    boxes = sum(sum(v) for v in counts.values())
    print(f"{pages} pages, {boxes} boxes at {DPI} dpi, 2 workers (best of 3)")
    print(f"  {best[0] / pages:.3f} s/page wall, {best[1] / pages:.3f} s/page CPU (target < 0.5 s/page)")
    for style, (right, flagged, wrong) in counts.items():
        total = right + flagged + wrong
        print(f"  {style:7} {total:5} boxes: {100 * right / total:6.2f} % right, {flagged} flagged, {wrong} wrong")


if __name__ == "__main__":
    main()
