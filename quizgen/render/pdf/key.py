"""Answer keys: for each printed question its answer, why, and where the
answer comes from; then the sources. And the teacher grid that lists the
answers of every variant side by side."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from quizgen.model import CLOZE_BLANK, Bank, QuestionSet, Source
from quizgen.render.pdf import timeline as pdf_timeline
from quizgen.render.pdf.flowables import Block, Bookmark, para
from quizgen.render.pdf.page import FRAME_WIDTH, GREY, Context, build_pdf, context, meta, variant_meta
from quizgen.render.pdf.worksheet import header, timeline_block, true_false
from quizgen.select import ShownQuestion, Variant, letters

GRID_COLUMNS = 8  # variants per grid table; more variants continue in another table


def key_pdf(variant: Variant, qset: QuestionSet, bank: Bank, timestamp: int,
            events: tuple[pdf_timeline.Event, ...] = ()) -> bytes:
    cx = context(bank)
    st = cx.st
    by_id = {s.id: s for s in bank.sources}
    story: list[Flowable] = header(variant, qset, cx, "answer_key", name_lines=False)
    for shown in variant.questions:
        story.append(key_entry(shown, by_id, cx))
    used = used_sources(variant, by_id)
    story.append(Bookmark("sources", cx.label("sources"), 0))
    story.append(Paragraph(cx.bold(cx.label("sources")), st.section))
    for s in used:
        story.append(Paragraph(source_line(s, cx), st.small))
    if qset.timeline and events:
        story.append(Spacer(1, 8))
        story.append(timeline_block(events, cx, blank=False))
    return build_pdf(story, variant_meta(cx, qset.title, variant, "answer_key"), timestamp, cx)


def key_entry(shown: ShownQuestion, sources: dict[str, Source], cx: Context) -> Block:
    q = shown.question
    n = shown.number
    st = cx.st
    parts: list[Flowable] = [
        Bookmark(f"a{n}", f"{n}. {answer_text(shown, cx)}", 0),
        para(answer_markup(shown, cx), st.prompt, f"{n}."),
        para(prompt_markup(q.prompt, q.type, cx), st.quiet),
        para(f"<b>{cx.bold(cx.label('explanation'))}:</b> {cx.markup(q.explanation)}", st.detail),
    ]
    if q.support.status != "quoted":  # the teacher sees which keys are reasoning, not quotation
        label = cx.label(f"support_{q.support.status}")
        parts.append(para(f"<b>{cx.bold(label)}:</b> {cx.markup(q.support.reason)}", st.detail))
    for c in q.citations:
        parts.append(para(citation_markup(sources.get(c.source), c.source, c.quote, cx), st.detail))
    return Block(parts, space_after=9)


def outlet(s: Source, cx: Context) -> str:
    return s.outlet or cx.label("outlet_unknown")


def date(s: Source, cx: Context) -> str:
    """The date to show a reader, marked when it is our inference."""
    if s.published:
        return s.published
    if s.inferred_date:
        return f"{s.inferred_date} ({cx.label('inferred')})"
    return cx.label("undated")


def answer_text(shown: ShownQuestion, cx: Context) -> str:
    """The answer as plain text, as the worksheet's letters and boxes need it."""
    q = shown.question
    if q.type == "mcq":
        return f"{shown.answer_letter}: {q.answer}"
    if q.type == "true_false":
        return true_false(cx, q.answer)
    if q.type == "cloze":
        blanks = q.cloze_blanks
        if len(blanks) == 1:
            return blanks[0]
        return "; ".join(f"({i}) {b}" for i, b in enumerate(blanks, start=1))
    if q.type == "matching":
        return ", ".join(f"{i}–{letter}" for i, letter in enumerate(shown.matching_key, start=1))
    if q.type == "ordering":
        return f"{cx.label('order')} " + ", ".join(shown.ordering_key)
    return q.answer


def answer_markup(shown: ShownQuestion, cx: Context) -> str:
    """The answer in bold, then what helps to mark it, in regular type."""
    q = shown.question
    markup = cx.markup
    head = f"<b>{cx.bold(answer_text(shown, cx))}</b>"
    if q.type == "short_answer" and q.accept:
        return f"{head} ({markup(cx.label('also_accepted'))}: {markup('; '.join(q.accept))})"
    if q.type == "matching":
        return f"{head}: {markup('; '.join(f'{left} → {right}' for left, right in q.pairs))}"
    if q.type == "ordering":
        boxes = ", ".join(f"{letters(i)}={pos}" for i, pos in enumerate(shown.ordering_positions))
        return f"{head} ({markup(cx.label('boxes'))} {markup(boxes)}): {markup(' → '.join(q.items))}"
    return head


def prompt_markup(prompt: str, qtype: str, cx: Context) -> str:
    """The prompt as a reminder; cloze blanks filled in and underlined."""
    if qtype != "cloze":
        return cx.markup(prompt)
    pieces = CLOZE_BLANK.split(prompt)
    return "".join(cx.markup(p) if i % 2 == 0 else f"<u>{cx.markup(p)}</u>" for i, p in enumerate(pieces))


def citation_markup(source: Source | None, source_id: str, quote: str, cx: Context) -> str:
    markup = cx.markup
    head = f"<b>{cx.bold(cx.label('source'))}:</b>"
    if source is None:  # validation rejects unknown ids; print what we have rather than fail
        return f"{head} {markup(source_id)}: “{markup(quote)}”"
    return (f"{head} {markup(outlet(source, cx))}, {markup(date(source, cx))}, "
            f"“{markup(source.headline)}”: “{markup(quote)}”")


def used_sources(variant: Variant, by_id: dict[str, Source]) -> list[Source]:
    seen: dict[str, Source] = {}
    for shown in variant.questions:
        for sid in shown.question.source_ids:
            if sid in by_id:
                seen.setdefault(sid, by_id[sid])
    return sorted(seen.values(), key=lambda s: (s.published or s.inferred_date or "", s.id))


def source_line(s: Source, cx: Context) -> str:
    markup = cx.markup
    line = (f"<b>{cx.bold(outlet(s, cx))}</b>, {markup(date(s, cx))}: “{markup(s.headline)}” "
            f"<font color='#606060'>[{markup(s.id)}; {markup(s.file)}]</font>")
    if s.inferred_reason:
        line += (f"<br/><font color='#606060'>{markup(cx.label('date_inferred'))}: "
                 f"{markup(s.inferred_reason)}</font>")
    return line


# -- the teacher grid --------------------------------------------------------------

def grid_code(shown: ShownQuestion, cx: Context, limit: int = 22) -> str:
    """An answer short enough for a grid cell."""
    q = shown.question
    if q.type == "mcq":
        return shown.answer_letter
    if q.type == "true_false":
        return true_false(cx, q.answer)
    if q.type == "matching":
        return " ".join(f"{i}{letter}" for i, letter in enumerate(shown.matching_key, start=1))
    if q.type == "ordering":
        return " ".join(shown.ordering_key)
    text = answer_text(shown, cx)
    return text if len(text) <= limit else text[: limit - 1] + "…"


GRID_ROWS = 42  # one-line rows of one table on a page; longer sets go in side-by-side bands


def grid_pdf(variants: tuple[Variant, ...], qset: QuestionSet, bank: Bank, timestamp: int) -> bytes:
    """One page for a few variants of a set of any usual size: the rows go in
    side-by-side bands when they would not fit under each other. Many
    variants take one table per GRID_COLUMNS variants."""
    cx = context(bank)
    st = cx.st
    first = variants[0]
    title = f"{qset.title}: {cx.label('all_variants')}"
    grid = cx.label("teacher_grid")
    story: list[Flowable] = [
        Bookmark("grid", title, 0),
        Paragraph(cx.bold(title), st.title),
        Paragraph(cx.markup(f"{grid} · {cx.label('set')} {first.set_name} · {cx.label('seed')} {first.seed} · "
                            f"{len(variants)} {cx.label('variants')}. {cx.label('grid_note')}"), st.subtitle),
    ]
    rows = max(len(v.questions) for v in variants)
    columns = min(len(variants), GRID_COLUMNS)
    bands = 1
    while rows > bands * GRID_ROWS and (bands + 1) * (columns + 1) <= GRID_COLUMNS + 1:
        bands += 1
    band_width = FRAME_WIDTH / bands
    number_width = 20
    cell_width = (band_width - number_width - (6 if bands > 1 else 0)) / columns
    per_page = bands * GRID_ROWS if bands > 1 else rows  # a single band splits across pages by itself
    for start in range(0, len(variants), GRID_COLUMNS):
        chunk = variants[start:start + GRID_COLUMNS]
        for first_row in range(0, rows, per_page):
            page_rows = range(first_row, min(rows, first_row + per_page))
            per_band = -(-len(page_rows) // bands)
            tables = [_grid_table(chunk, page_rows[b * per_band:(b + 1) * per_band], number_width, cell_width, cx)
                      for b in range(bands)]
            if bands == 1:
                story.append(tables[0])
            else:
                outer = Table([tables], colWidths=[band_width] * bands, hAlign="LEFT")
                outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                                           ("FONTNAME", (0, 0), (-1, -1), cx.fonts.base)]))
                story.append(outer)
            story.append(Spacer(1, 10))
    info = meta(cx, title=title, subject=f"{grid} · {first.set_name} · {len(variants)} {cx.label('variants')}",
                footer=f"{first.set_name}/s{first.seed} · {grid}", keywords=f"quizgen, {grid}, {first.set_name}")
    return build_pdf(story, info, timestamp, cx)


def _grid_table(chunk: tuple[Variant, ...], numbers: range, number_width: float, cell_width: float,
                cx: Context) -> Table:
    st, fonts = cx.st, cx.fonts
    size = st.cell.fontSize
    heads = [f"{cx.label('variant')} {v.letter}" for v in chunk]
    data: list[list[object]] = [["#"] + [h if fonts.plain(h) else para(cx.bold(h), st.cell_head) for h in heads]]
    for i in numbers:
        row: list[object] = [str(i + 1)]
        for v in chunk:
            code = grid_code(v.questions[i], cx) if i < len(v.questions) else ""
            # Plain strings are much faster for a table of 500 variants; a
            # code in another font of the chain needs a paragraph for its
            # font runs. Either way one line, so that GRID_ROWS rows fit on a page.
            code = _fit(code, cell_width - 6, size, fonts)
            row.append(code if fonts.plain(code) else para(cx.markup(code), st.cell))
        data.append(row)
    table = Table(data, colWidths=[number_width] + [cell_width] * len(chunk), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.base),  # the default would be Helvetica, not embedded
        ("FONTNAME", (0, 0), (-1, 0), fonts.base_bold),
        ("FONTNAME", (0, 0), (0, -1), fonts.base_bold),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 2),
        ("GRID", (0, 0), (-1, -1), 0.4, GREY),
        ("BACKGROUND", (0, 0), (-1, 0), "#e8e8e8"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _fit(text: str, width: float, size: float, fonts) -> str:
    """Text cut with an ellipsis to fit a cell of the grid."""
    if fonts.string_width(text, size) <= width:
        return text
    while text and fonts.string_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
