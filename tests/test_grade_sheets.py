"""Answer sheets (`quizgen pdf SET --answer-sheet`) and NAME.layout.json:
the layout's rectangles are where the PDF prints them, the QR code reads back
its payload, and the files are reproducible."""

from __future__ import annotations

import json

import numpy as np
import pypdfium2
import pytest
import zxingcpp

from quizgen.render import RenderOptions
from quizgen.render.pdf import render

from test_render_pdf import BANK
from test_students import ROSTER

DPI = 150


def sheets(tmp_path, **options):
    opts = RenderOptions(timestamp=1, set_names=("review",), answer_sheet=True, **options)
    return {p.name: p for p in render(BANK, tmp_path, opts)}


def raster(path, page=0):
    pdf = pypdfium2.PdfDocument(str(path))
    image = pdf[page].render(scale=DPI / 72, grayscale=True).to_numpy()
    return image if image.ndim == 2 else image[..., 0]


def px(rect, height):
    """A layout rectangle (points, origin bottom-left) as pixel slices."""
    x, y, w, h = rect
    s = DPI / 72
    return slice(int(round((height / s - y - h) * s)), int(round((height / s - y) * s))), \
        slice(int(round(x * s)), int(round((x + w) * s)))


def test_variant_copies_get_an_answer_sheet_each_and_one_layout(tmp_path):
    paths = sheets(tmp_path, variants=2)
    assert {"review-A-answers.pdf", "review-B-answers.pdf", "review.layout.json"} <= set(paths)
    layout = json.loads(paths["review.layout.json"].read_text(encoding="utf-8"))
    manifest = json.loads(paths["review.manifest.json"].read_text(encoding="utf-8"))
    assert layout["format"] == "quizgen-layout" and layout["version"] == 1
    assert [c["answer_sheet"] for c in manifest["copies"]] == ["review-A-answers.pdf", "review-B-answers.pdf"]
    for copy, mcopy in zip(layout["copies"], manifest["copies"]):
        assert copy["code"] == mcopy["code"]
        numbers = {b["number"] for p in copy["pages"] for b in p["boxes"] if b["kind"] != "id"}
        assert numbers == {q["number"] for q in mcopy["questions"]}
        for q in mcopy["questions"]:
            boxes = [b for p in copy["pages"] for b in p["boxes"] if b["number"] == q["number"]]
            if q["type"] == "mcq":
                assert [b["choice"] for b in boxes] == [c["letter"] for c in q["choices"]]
            elif q["type"] == "true_false":
                assert [b["choice"] for b in boxes] == ["T", "F"]
            elif q["type"] in ("short_answer", "cloze"):
                assert boxes[-1]["choice"] == f"{q['points']:g}" and all(b["kind"] == "score" for b in boxes)
        # a variant copy is told apart by the student-number grid, on every page
        assert all(sum(b["kind"] == "id" for b in p["boxes"]) == 60 for p in copy["pages"])


def test_rectangles_are_where_the_pdf_prints_them_and_the_qr_reads_back(tmp_path):
    paths = sheets(tmp_path, variants=2)
    layout = json.loads(paths["review.layout.json"].read_text(encoding="utf-8"))
    copy = layout["copies"][1]
    page = copy["pages"][0]
    image = raster(tmp_path / copy["answer_sheet"])
    height = image.shape[0]
    for marker in page["markers"]:
        rows, cols = px(marker["rect"], height)
        assert image[rows, cols][2:-2, 2:-2].mean() < 40  # solid black
    for box in page["boxes"]:
        rows, cols = px(box["rect"], height)
        cell = image[rows, cols].astype(float)
        inner = cell[3:-3, 3:-3]
        assert inner.mean() > 240, box  # the inside is blank paper
        ring = np.concatenate([image[rows.start - 1:rows.start + 2, cols].ravel(),
                               image[rows.stop - 2:rows.stop + 1, cols].ravel()])
        assert ring.min() < 120, box  # the printed outline runs along the rectangle's edge
    found = zxingcpp.read_barcodes(image)
    assert [r.text for r in found] == [page["qr"]["payload"]]
    assert page["qr"]["payload"] == f"QG1;review;B;{copy['seed']};1"


def test_roster_copies_print_the_name_instead_of_a_grid_and_sheets_are_reproducible(tmp_path):
    first = sheets(tmp_path / "a", students=ROSTER)
    second = sheets(tmp_path / "b", students=ROSTER)
    assert sorted(first) == sorted(second)
    assert "review-01-answers.pdf" in first
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    layout = json.loads(first["review.layout.json"].read_text(encoding="utf-8"))
    assert [c["student"] for c in layout["copies"]] == list(ROSTER)
    assert not any(b["kind"] == "id" for c in layout["copies"] for p in c["pages"] for b in p["boxes"])


def test_without_the_flag_nothing_changes(tmp_path):
    paths = {p.name: p for p in render(BANK, tmp_path, RenderOptions(timestamp=1, set_names=("review",)))}
    assert not any(n.endswith(("-answers.pdf", ".layout.json")) for n in paths)
    manifest = json.loads(paths["review.manifest.json"].read_text(encoding="utf-8"))
    assert all("answer_sheet" not in c for c in manifest["copies"])
