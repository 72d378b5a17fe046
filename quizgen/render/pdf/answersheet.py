"""An answer sheet per copy: corner markers, a QR code naming the page, the
copy's code and the student's name (or a student-number grid), and a box for
every answer. Drawn straight onto a canvas from layout.py's positions, so
NAME.layout.json describes exactly what is printed.
"""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder

from quizgen.model import Bank, QuestionSet
from quizgen.render.pdf.layout import (BOX, ID_TOP, LEFT, PAGE_H, PAGE_W, PageLayout, markers, qr_rect)
from quizgen.render.pdf.page import _canvas_class, context, document_title
from quizgen.select import Variant

_HALF = "½"


def _qr_modules(payload: str) -> list[list[bool]]:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    n = code.getModuleCount()
    return [[bool(code.isDark(r, c)) for c in range(n)] for r in range(n)]


def _draw_qr(canv, payload: str) -> None:
    # drawn module by module (no quiet zone inside the rectangle), so the
    # layout's rectangle is the symbol's own outline
    x, y, w, h = qr_rect()
    modules = _qr_modules(payload)
    n = len(modules)
    m = w / n
    canv.setFillGray(0)
    for r, line in enumerate(modules):
        for c, dark in enumerate(line):
            if dark:
                canv.rect(x + c * m, y + h - (r + 1) * m, m, m, stroke=0, fill=1)


def _score_label(value: str) -> str:
    whole, _, frac = value.partition(".")
    if not frac:
        return whole
    return _HALF if whole == "0" else f"{whole}{_HALF}"


def answer_sheet_pdf(v: Variant, qset: QuestionSet, bank: Bank, timestamp: int, pages: list[PageLayout]) -> bytes:
    cx = context(bank)
    fonts = cx.fonts
    buf = io.BytesIO()
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        canv = _canvas_class(timestamp, fonts)(buf, pagesize=(PAGE_W, PAGE_H), invariant=1,
                                               lang=cx.config.language)
        name = cx.label("answer_sheet")
        canv.setTitle(document_title(cx, f"{qset.title}: {name}"))
        canv.setAuthor(cx.config.author or "quizgen")
        canv.setSubject(f"{name} · {v.code}")
        for page in pages:
            _draw_page(canv, cx, v, qset, page, len(pages))
            canv.showPage()
        canv.save()
    finally:
        rl_config.useA85 = a85
    return buf.getvalue()


def _draw_page(canv, cx, v: Variant, qset: QuestionSet, page: PageLayout, count: int) -> None:
    fonts = cx.fonts
    canv.setFillGray(0)
    for _, (x, y, w, h) in markers():
        canv.rect(x, y, w, h, stroke=0, fill=1)
    _draw_qr(canv, page.payload)
    # the header, between the student-number grid and the QR code
    tx = LEFT + 262
    width = qr_rect()[0] - tx - 8
    size = 11.0
    while size > 7 and fonts.string_width(qset.title, size, True) > width:
        size -= 0.5
    fonts.draw(canv, tx, ID_TOP - 8, qset.title, size, bold=True)
    fonts.draw(canv, tx, ID_TOP - 22, f"{cx.label('answer_sheet')} · {cx.label('page')} {page.number} "
                                      f"{cx.label('page_of')} {count}", 9)
    fonts.draw(canv, tx, ID_TOP - 35, f"{cx.label('code')}: {v.code}", 9)
    if v.student:
        fonts.draw(canv, tx, ID_TOP - 50, f"{cx.label('name')}: {v.student}", 10, bold=True)
        fonts.draw(canv, LEFT, ID_TOP - 8, f"{cx.label('copy')} {v.letter}", 12, bold=True)
    else:
        fonts.draw(canv, LEFT, ID_TOP - 8, cx.label("student_id"), 8)
        fonts.draw(canv, tx, ID_TOP - 50, f"{cx.label('name')}: ________________", 10)
    note = cx.label("sheet_note")
    fonts.draw(canv, LEFT, ID_TOP - 90, note, 7.5)
    canv.setLineWidth(0.8)
    for b in page.id_boxes:
        x, y, w, h = b.rect
        canv.rect(x, y, w, h, stroke=1, fill=0)
        if b.row == 1:
            fonts.draw(canv, x + 2, y + h + 3, b.choice, 6.5)
    for row in page.rows:
        fonts.draw(canv, row.x, row.y - BOX + 2, row.label, 9, bold=True)
        if row.caption:
            fonts.draw(canv, row.x + 30, row.y - BOX + 2, cx.label("teacher_score"), 6.5)
        for b in row.boxes:
            x, y, w, h = b.rect
            label = _score_label(b.choice) if b.kind == "score" else (
                cx.label("true")[:1] if b.choice == "T" else cx.label("false")[:1] if b.choice == "F" else b.choice)
            fonts.draw(canv, x - 2 - fonts.string_width(label, 8), y + 2, label, 8)
            canv.rect(x, y, w, h, stroke=1, fill=0)
