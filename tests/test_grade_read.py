"""Reading synthetic scans: sheets for several students in two variants,
marks drawn from the layout (clear, faint, erased, double, blank), pages
rotated, scaled, one turned 180°, noised, JPEG'd and shuffled. Every clear
mark is read, every ambiguous one flagged, totals exact."""

from __future__ import annotations

import json
import random

from click.testing import CliRunner

from quizgen.cli import cli
from quizgen.grade.read import _key
from quizgen.grade.results import read_results_csv, totals
from quizgen.grade.run import grade
from quizgen.render import RenderOptions
from quizgen.render.pdf import render

from grade_synth import distort, draw_mark, rasterise
from test_render_pdf import BANK

DPI = 150
STUDENTS = ("314159", "271828", "161803")


def plan_marks(copy, mcopy, rng):
    """What each student marks, and what the reading must say: (expected marked, decidable)."""
    plan, expect = [], {}
    for q in mcopy["questions"]:
        boxes = [b for p in copy["pages"] for b in p["boxes"] if b["number"] == q["number"]]
        rows = sorted({b["row"] for b in boxes})
        kind = rng.choice(["clear", "clear", "clear", "blank", "faint", "erased", "double"])
        if q["type"] in ("matching", "ordering") and kind == "double":
            kind = "clear"
        picked = []
        for row in rows:
            choices = [b for b in boxes if b["row"] == row]
            pick = rng.choice(choices)
            if kind in ("clear", "double", "faint", "erased"):
                plan.append((pick["rect"], "clear" if kind == "double" else kind, pick["page"]))
                picked.append(pick["choice"])
            if kind == "double":
                other = next(b for b in choices if b is not pick)
                plan.append((other["rect"], "clear", other["page"]))
        # an unticked teacher score is left for review too: the teacher forgot it
        ok = kind == "clear" or (kind == "blank" and q["type"] not in ("short_answer", "cloze"))
        expect[q["number"]] = (";".join(picked) if kind == "clear" else "", ok)
    return plan, expect


def scans(tmp_path, variants=2):
    opts = RenderOptions(timestamp=1, set_names=("review",), answer_sheet=True, variants=variants)
    paths = {p.name: p for p in render(BANK, tmp_path / "out", opts)}
    layout = json.loads(paths["review.layout.json"].read_text(encoding="utf-8"))
    manifest = json.loads(paths["review.manifest.json"].read_text(encoding="utf-8"))
    rng = random.Random(14)
    files, expected = [], {}
    for n, sid in enumerate(STUDENTS):
        copy, mcopy = layout["copies"][n % variants], manifest["copies"][n % variants]
        for p in copy["pages"]:
            for b in p["boxes"]:
                b["page"] = p["page"]
        plan, expected[(mcopy["code"], sid)] = plan_marks(copy, mcopy, rng)
        images = rasterise(tmp_path / "out" / copy["answer_sheet"], DPI)
        for i, image in enumerate(images):
            page = copy["pages"][i]
            for b in page["boxes"]:
                if b["kind"] == "id" and sid[b["row"] - 1] == b["choice"]:
                    draw_mark(image, b["rect"], DPI, "clear", rng)
            for rect, style, on in plan:
                if on == page["page"]:
                    draw_mark(image, rect, DPI, style, rng)
            path = tmp_path / f"scan-{sid}-{i}.jpg"
            path.write_bytes(distort(image, rng, turn=180 if n == 1 and i == 0 else 0))
            files.append(path)
    rng.shuffle(files)
    return files, paths, manifest, expected


def test_clear_marks_are_read_ambiguous_ones_flagged_totals_exact(tmp_path):
    files, paths, manifest, expected = scans(tmp_path)
    rows, crops, errors = grade(files, paths["review.manifest.json"])
    assert errors == []
    assert {(r.code, r.student) for r in rows} == set(expected)
    for r in rows:
        marked, decidable = expected[(r.code, r.student)][r.number]
        if decidable:
            assert r.correct is not None and r.marked == marked, (r, marked)
            if r.type not in ("short_answer", "cloze", "matching"):
                assert r.correct == (marked == r.key)
        else:
            assert r.correct is None and r.review, r  # flagged, not guessed
    for t in totals(rows):
        assert t.points == sum(r.points for r in rows if (r.code, r.student) == (t.code, t.student))
    assert any(r.review for r in rows) and all(crops[(r.code, r.student, r.number)] for r in rows
                                                if r.review and "doubtful" in r.review)


def test_the_command_writes_results_totals_and_a_review_and_decisions_settle_it(tmp_path):
    files, paths, manifest, expected = scans(tmp_path)
    out = tmp_path / "results.csv"
    args = ["grade", *map(str, files), "--manifest", str(paths["review.manifest.json"]), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = read_results_csv(out.read_bytes())
    assert (tmp_path / "results-totals.csv").exists()
    review = tmp_path / "results-review"
    assert "<img" in (review / "index.html").read_text(encoding="utf-8")
    lines = (review / "review.csv").read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    assert len(body) == sum(r.correct is None for r in rows) > 0
    decided = [header] + [line + "-" for line in body]  # the teacher: nothing was marked
    (tmp_path / "decisions.csv").write_text("\n".join(decided) + "\n", encoding="utf-8")
    again = CliRunner().invoke(cli, args + ["--decisions", str(tmp_path / "decisions.csv")])
    assert again.exit_code == 1 and "--force" in again.output  # results a person may have edited
    again = CliRunner().invoke(cli, args + ["--decisions", str(tmp_path / "decisions.csv"), "--force"])
    assert again.exit_code == 0, again.output
    assert all(r.correct is not None for r in read_results_csv(out.read_bytes()))


def test_bad_input_is_one_error_line_each(tmp_path):
    files, paths, manifest, expected = scans(tmp_path)
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image")
    result = CliRunner().invoke(cli, ["grade", str(junk), str(tmp_path / "out" / "review-A.pdf"), str(files[0]),
                                      "--manifest", str(paths["review.manifest.json"]), "-o",
                                      str(tmp_path / "r.csv")])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors[0].startswith(f"{junk}: error: ")
    assert any("review-A.pdf#1: error: expected a page with a quizgen answer-sheet QR code" in e for e in errors)
    assert "Traceback" not in result.output and not (tmp_path / "r.csv").exists()


def test_grade_report_reads_what_grading_wrote(tmp_path):
    # grading writes true/false marks as the sheet prints them ("T"/"F"); the
    # item analysis once refused them as "expected one of the printed choices"
    files, paths, manifest, expected = scans(tmp_path)
    out = tmp_path / "results.csv"
    args = ["grade", *map(str, files), "--manifest", str(paths["review.manifest.json"]), "-o", str(out),
            "--report", str(tmp_path / "report")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = read_results_csv(out.read_bytes())
    assert any(r.type == "true_false" and r.marked in ("T", "F") for r in rows)
    table = (tmp_path / "report" / "analysis.csv").read_text(encoding="utf-8")
    assert all(r.question in table for r in rows)
