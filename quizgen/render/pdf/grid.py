"""The teacher grid: the answers of every variant of a set, side by side.

One row per question, in the order variant A prints them: a short label of
the question, then for each variant the number it has there and its answer in
full (the answer the variant's key prints, wrapping, never cut). Variants go
GRID_VARIANTS to a table; the tables follow each other and split between
rows across pages, each page repeating the header row.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from quizgen.model import Bank, QuestionSet
from quizgen.render.pdf.flowables import Bookmark, para
from quizgen.render.pdf.page import FRAME_WIDTH, GREY, Context, build_pdf, context, meta
from quizgen.select import ShownQuestion, Variant

GRID_VARIANTS = 4  # variant columns per table: wide enough for a name or a date on one line
LABEL_WIDTH = 128
LABEL_LIMIT = 60  # characters of the prompt that name a row (the answers are never cut)


def column_head(v: Variant, cx: Context) -> str:
    """ "Variant B", or for a student's copy its number and the name."""
    if v.student:
        return f"{v.letter} {v.student}"
    return f"{cx.label('variant')} {v.letter}"


def grid_label(shown: ShownQuestion) -> str:
    """What names a row: the start of the prompt, blanks as ____."""
    from quizgen.render.pdf.worksheet import outline_text

    return outline_text(shown.question.prompt, LABEL_LIMIT)


def grid_answer(shown: ShownQuestion, cx: Context) -> str:
    """A cell as plain text: the question's number on that variant, then the
    answer exactly as that variant's key prints it."""
    from quizgen.render.pdf.key import answer_text

    return f"{shown.number}. {answer_text(shown, cx)}"


def grid_markup(shown: ShownQuestion, cx: Context) -> str:
    from quizgen.render.pdf.key import answer_text

    return f"<b>{shown.number}.</b> {cx.markup(answer_text(shown, cx))}"


def grid_rows(variants: tuple[Variant, ...]) -> list[list[ShownQuestion | None]]:
    """For each question of variant A (then any only others print), how every variant shows it."""
    order: dict[str, int] = {}
    for v in variants:
        for shown in v.questions:
            order.setdefault(shown.question.id, len(order))
    rows: list[list[ShownQuestion | None]] = [[None] * len(variants) for _ in order]
    for col, v in enumerate(variants):
        for shown in v.questions:
            rows[order[shown.question.id]][col] = shown
    return rows


def grid_pdf(variants: tuple[Variant, ...], qset: QuestionSet, bank: Bank, timestamp: int) -> bytes:
    cx = context(bank)
    st = cx.st
    first = variants[0]
    title = f"{qset.title}: {cx.label('all_variants')}"
    grid = cx.label("teacher_grid")
    # student copies each have their own seed (in the manifest and on each sheet)
    seed = "" if first.student else f"{cx.label('seed')} {first.seed} · "
    many = "copies" if first.student else "variants"
    story: list[Flowable] = [
        Bookmark("grid", title, 0),
        Paragraph(cx.bold(title), st.title),
        Paragraph(cx.markup(f"{grid} · {cx.label('set')} {first.set_name} · {seed}"
                            f"{len(variants)} {cx.label(many)}. {cx.label('grid_note')}"), st.subtitle),
    ]
    rows = grid_rows(variants)
    per_table = min(len(variants), GRID_VARIANTS)
    cell_width = (FRAME_WIDTH - LABEL_WIDTH) / per_table
    for start in range(0, len(variants), GRID_VARIANTS):
        story.append(_table(variants[start:start + GRID_VARIANTS], [r[start:start + GRID_VARIANTS] for r in rows],
                            cell_width, cx))
        story.append(Spacer(1, 12))
    info = meta(cx, title=title, subject=f"{grid} · {first.set_name} · {len(variants)} {cx.label(many)}",
                footer=f"{first.set_name}{'' if first.student else f'/s{first.seed}'} · {grid}", keywords=f"quizgen, {grid}, {first.set_name}")
    return build_pdf(story, info, timestamp, cx)


def _table(chunk: tuple[Variant, ...], rows: list[list[ShownQuestion | None]], cell_width: float,
           cx: Context) -> Table:
    st, markup = cx.st, cx.markup
    data: list[list[object]] = [[para(cx.bold(cx.label("question")), st.cell_head)]
                                + [para(cx.bold(column_head(v, cx)), st.cell_head) for v in chunk]]
    for row in rows:
        named = next(s for s in row if s is not None) if any(row) else None
        cells: list[object] = [para(markup(grid_label(named)), st.cell_quiet) if named else ""]
        for shown in row:
            if shown is None:
                cells.append("")
                continue
            cells.append(para(grid_markup(shown, cx), st.cell))
        data.append(cells)
    table = Table(data, colWidths=[LABEL_WIDTH] + [cell_width] * len(chunk), repeatRows=1, hAlign="LEFT",
                  splitInRow=1)  # a row taller than a page (a very long answer) goes on
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), cx.fonts.base),  # the default would be Helvetica, not embedded
        ("GRID", (0, 0), (-1, -1), 0.4, GREY),
        ("BACKGROUND", (0, 0), (-1, 0), "#e8e8e8"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), ["#ffffff", "#f4f4f4"]),  # the eye keeps its row across
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table
