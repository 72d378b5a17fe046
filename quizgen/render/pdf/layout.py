"""Where everything sits on an answer sheet, as plain data: pages, the four
corner markers, the QR code and every box a student (or the teacher) marks.

Computed before anything is drawn, so the PDF (answersheet.py) and
NAME.layout.json are made from one source and cannot disagree. Units are PDF
points, origin bottom-left (docs/grading.md, "The layout file").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Sequence

from quizgen.select import ShownQuestion, Variant, letters

LAYOUT_FORMAT = "quizgen-layout"
LAYOUT_VERSION = 1
QR_PREFIX = "QG1"  # the payload's own format version

PAGE_W, PAGE_H = 595.2756, 841.8898  # A4, as reportlab's pagesizes.A4
MARKER = 18.0  # side of a corner marker
INSET = 24.0  # from the paper's edge to a marker (printers leave ~5 mm blank)
QR_SIZE = 64.0
BOX = 11.0  # side of a box
CELL = 26.0  # a box and its label, left to right
SCORE_CELL = 32.0  # a teacher-score box and its label ("1½")
LINE = 17.0  # one row of boxes
ID_DIGITS = 6
COLUMN_GAP = 18.0
TOP = PAGE_H - INSET - MARKER - 104  # first question row, below the header
BOTTOM = INSET + MARKER + 12
LEFT = INSET + MARKER + 8
RIGHT = PAGE_W - INSET - MARKER - 8
COLUMN_W = (RIGHT - LEFT - COLUMN_GAP) / 2
NUMBER_W = 30.0  # "12." before the boxes


@dataclass(frozen=True, slots=True)
class Box:
    kind: str  # "choice" (mcq, true_false, matching, ordering), "score" (teacher), "id" (student number digit)
    question: str  # question id ("" for an id digit)
    number: int  # printed question number (0 for an id digit)
    row: int  # matching: left item (1-based); ordering: position; id: digit position; else 0
    choice: str  # letter, "T"/"F", score value ("1.5"), or digit
    rect: tuple[float, float, float, float]  # x, y, width, height

    def json(self) -> dict[str, object]:
        return {"kind": self.kind, "question": self.question, "number": self.number, "row": self.row,
                "choice": self.choice, "rect": [round(v, 2) for v in self.rect]}


@dataclass(frozen=True, slots=True)
class Row:
    """One printed line of a question: its label and its boxes."""

    number: int
    label: str  # "12." on the first row, "1" for a matching row, "" after a wrap
    y: float
    x: float
    boxes: tuple[Box, ...]
    caption: str = ""  # printed in front of a teacher-score row


@dataclass(slots=True)
class PageLayout:
    number: int
    payload: str = ""
    rows: list[Row] = field(default_factory=list)
    id_boxes: list[Box] = field(default_factory=list)

    @property
    def boxes(self) -> list[Box]:
        return self.id_boxes + [b for r in self.rows for b in r.boxes]


def markers() -> list[tuple[str, tuple[float, float, float, float]]]:
    lo, hi_x, hi_y = INSET, PAGE_W - INSET - MARKER, PAGE_H - INSET - MARKER
    return [("top_left", (lo, hi_y, MARKER, MARKER)), ("top_right", (hi_x, hi_y, MARKER, MARKER)),
            ("bottom_right", (hi_x, lo, MARKER, MARKER)), ("bottom_left", (lo, lo, MARKER, MARKER))]


def qr_rect() -> tuple[float, float, float, float]:
    return (PAGE_W - INSET - MARKER - 8 - QR_SIZE, PAGE_H - INSET - QR_SIZE - 4, QR_SIZE, QR_SIZE)


def qr_payload(v: Variant, page: int) -> str:
    return ";".join((QR_PREFIX, v.set_name, v.letter or "-", str(v.seed), str(page)))


def score_values(points: float) -> list[str]:
    """0, ½, 1, … up to the points; whole points only above 4 (the row stays short)."""
    step = 0.5 if points <= 4 else 1.0
    n = int(round(points / step))
    return [f"{i * step:g}" for i in range(n + 1)]


def _rows_of(s: ShownQuestion) -> list[tuple[int, str, str, list[str]]]:
    """(row, label, kind, choices) per line of boxes, before wrapping."""
    q = s.question
    if q.type == "mcq":
        return [(0, "", "choice", [letters(i) for i in range(len(s.choices))])]
    if q.type == "true_false":
        return [(0, "", "choice", ["T", "F"])]
    if q.type in ("matching", "ordering"):
        n = len(s.choices)
        return [(i + 1, str(i + 1), "choice", [letters(j) for j in range(n)]) for i in range(n)]
    return [(0, "", "score", score_values(s.points))]


def page_layouts(v: Variant) -> list[PageLayout]:
    """Questions flow down the left column, then the right, then a new page;
    a question is never split across columns."""
    pages = [PageLayout(1)]
    column, y = 0, TOP
    for s in v.questions:
        lines = []
        for row, label, kind, choices in _rows_of(s):
            per_line = int((COLUMN_W - NUMBER_W - 40) // (SCORE_CELL if kind == "score" else CELL))
            for start in range(0, len(choices), per_line):
                lines.append((row, label if start == 0 else "", kind, choices[start:start + per_line]))
        height = len(lines) * LINE + 4
        if y - height < BOTTOM:
            column += 1
            y = TOP
            if column == 2:
                pages.append(PageLayout(len(pages) + 1))
                column = 0
        x0 = LEFT + column * (COLUMN_W + COLUMN_GAP)
        for i, (row, label, kind, choices) in enumerate(lines):
            shown = f"{s.number}." if i == 0 else ""
            bx = x0 + NUMBER_W + (14 if row else 0) + (24 if kind == "score" else 0)
            boxes = tuple(Box(kind, s.question.id, s.number, row, c,
                              (bx + j * (SCORE_CELL if kind == "score" else CELL) + 12, y - BOX, BOX, BOX)) for j, c in enumerate(choices))
            pages[-1].rows.append(Row(s.number, shown if not row else f"{shown} {label}".strip(), y, x0, boxes,
                                      caption="score" if kind == "score" and i == 0 else ""))
            y -= LINE
        y -= 4
    if not v.student:
        for page in pages:
            page.id_boxes = id_grid()
    for page in pages:
        page.payload = qr_payload(v, page.number)
    return pages


ID_TOP = PAGE_H - INSET - MARKER - 6  # the student-number grid, top left, under the first marker


def id_grid() -> list[Box]:
    x0 = LEFT + 92
    return [Box("id", "", 0, pos + 1, str(d), (x0 + d * 16, ID_TOP - 12 - pos * 11.5, 9.0, 9.0))
            for pos in range(ID_DIGITS) for d in range(10)]


def layout_json(variants: Sequence[Variant], set_name: str, files: dict[str, str],
                pages: dict[str, list[PageLayout]]) -> bytes:
    """``files`` maps a variant's label to its answer sheet's file name."""
    data = {
        "format": LAYOUT_FORMAT,
        "version": LAYOUT_VERSION,
        "set": set_name,
        "units": "pt",
        "copies": [
            {
                "variant": v.letter,
                **({"student": v.student} if v.student else {}),
                "code": v.code,
                "seed": v.seed,
                "answer_sheet": files[v.label],
                "pages": [
                    {
                        "page": p.number,
                        "size": [round(PAGE_W, 2), round(PAGE_H, 2)],
                        "qr": {"payload": p.payload, "rect": [round(c, 2) for c in qr_rect()]},
                        "markers": [{"corner": name, "rect": [round(c, 2) for c in rect]} for name, rect in markers()],
                        "boxes": [b.json() for b in p.boxes],
                    }
                    for p in pages[v.label]
                ],
            }
            for v in variants
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
