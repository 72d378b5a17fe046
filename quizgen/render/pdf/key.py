"""Answer keys: for each printed question its answer, why, and where the
answer comes from; then the sources. And the teacher grid that lists the
answers of every variant side by side."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from quizgen.model import CLOZE_BLANK, QuestionSet, Source
from quizgen.render.pdf import timeline as pdf_timeline
from quizgen.render.pdf.fonts import SANS, SANS_BOLD, markup, runs, string_width
from quizgen.render.pdf.page import FRAME_WIDTH, GREY, Block, Bookmark, Meta, Styles, variant_meta, build_pdf, para, styles
from quizgen.render.pdf.worksheet import header, timeline_block
from quizgen.select import ShownQuestion, Variant, letters

GRID_COLUMNS = 8  # variants per grid table; more variants continue in another table


def key_pdf(variant: Variant, qset: QuestionSet, sources: tuple[Source, ...], timestamp: int,
            events: tuple[pdf_timeline.Event, ...] = ()) -> bytes:
    st = styles()
    by_id = {s.id: s for s in sources}
    story: list[Flowable] = header(variant, qset, st, "Answer key", name_lines=False)
    for shown in variant.questions:
        story.append(key_entry(shown, by_id, st))
    used = used_sources(variant, by_id)
    story.append(Bookmark("sources", "Sources", 0))
    story.append(Paragraph("Sources", st.section))
    for s in used:
        story.append(Paragraph(source_line(s), st.small))
    if qset.timeline and events:
        story.append(Spacer(1, 8))
        story.append(timeline_block(events, st, blank=False))
    meta = variant_meta(qset.title, variant, "answer key")
    return build_pdf(story, meta, timestamp)


def key_entry(shown: ShownQuestion, sources: dict[str, Source], st: Styles) -> Block:
    q = shown.question
    n = shown.number
    parts: list[Flowable] = [
        Bookmark(f"a{n}", f"{n}. {answer_text(shown)}", 0),
        para(answer_markup(shown), st.prompt, f"{n}."),
        para(prompt_markup(q.prompt, q.type), st.quiet),
        para(f"<b>Why:</b> {markup(q.explanation)}", st.detail),
    ]
    for c in q.citations:
        parts.append(para(citation_markup(sources.get(c.source), c.source, c.quote), st.detail))
    return Block(parts, space_after=9)


def answer_text(shown: ShownQuestion) -> str:
    """The answer as plain text, as the worksheet's letters and boxes need it."""
    q = shown.question
    if q.type == "mcq":
        return f"{shown.answer_letter}: {q.answer}"
    if q.type == "true_false":
        return q.answer
    if q.type == "cloze":
        blanks = q.cloze_blanks
        if len(blanks) == 1:
            return blanks[0]
        return "; ".join(f"({i}) {b}" for i, b in enumerate(blanks, start=1))
    if q.type == "matching":
        return ", ".join(f"{i}–{letter}" for i, letter in enumerate(shown.matching_key, start=1))
    if q.type == "ordering":
        return "order " + ", ".join(shown.ordering_key)
    return q.answer


def answer_markup(shown: ShownQuestion) -> str:
    """The answer in bold, then what helps to mark it, in regular type."""
    q = shown.question
    head = f"<b>{markup(answer_text(shown))}</b>"
    if q.type == "short_answer" and q.accept:
        return f"{head} (also accepted: {markup('; '.join(q.accept))})"
    if q.type == "matching":
        return f"{head}: {markup('; '.join(f'{left} → {right}' for left, right in q.pairs))}"
    if q.type == "ordering":
        boxes = ", ".join(f"{letters(i)}={pos}" for i, pos in enumerate(shown.ordering_positions))
        return f"{head} (boxes {markup(boxes)}): {markup(' → '.join(q.items))}"
    return head


def prompt_markup(prompt: str, qtype: str) -> str:
    """The prompt as a reminder; cloze blanks filled in and underlined."""
    if qtype != "cloze":
        return markup(prompt)
    pieces = CLOZE_BLANK.split(prompt)
    return "".join(markup(p) if i % 2 == 0 else f"<u>{markup(p)}</u>" for i, p in enumerate(pieces))


def citation_markup(source: Source | None, source_id: str, quote: str) -> str:
    if source is None:  # validation rejects unknown ids; print what we have rather than fail
        return f"<b>Source:</b> {markup(source_id)}: “{markup(quote)}”"
    return (f"<b>Source:</b> {markup(source.outlet_label)}, {markup(source.date_label)}, "
            f"“{markup(source.headline)}”: “{markup(quote)}”")


def used_sources(variant: Variant, by_id: dict[str, Source]) -> list[Source]:
    seen: dict[str, Source] = {}
    for shown in variant.questions:
        for sid in shown.question.source_ids:
            if sid in by_id:
                seen.setdefault(sid, by_id[sid])
    return sorted(seen.values(), key=lambda s: (s.published or s.inferred_date or "", s.id))


def source_line(s: Source) -> str:
    line = (f"<b>{markup(s.outlet_label)}</b>, {markup(s.date_label)}: “{markup(s.headline)}” "
            f"<font color='#606060'>[{markup(s.id)}; {markup(s.file)}]</font>")
    if s.inferred_reason:
        line += f"<br/><font color='#606060'>Date inferred: {markup(s.inferred_reason)}</font>"
    return line


# -- the teacher grid --------------------------------------------------------------

def grid_code(shown: ShownQuestion, limit: int = 22) -> str:
    """An answer short enough for a grid cell."""
    q = shown.question
    if q.type == "mcq":
        return shown.answer_letter
    if q.type == "true_false":
        return q.answer
    if q.type == "matching":
        return " ".join(f"{i}{letter}" for i, letter in enumerate(shown.matching_key, start=1))
    if q.type == "ordering":
        return " ".join(shown.ordering_key)
    text = answer_text(shown)
    return text if len(text) <= limit else text[: limit - 1] + "…"


GRID_ROWS = 42  # one-line rows of one table on a page; longer sets go in side-by-side bands


def grid_pdf(variants: tuple[Variant, ...], qset: QuestionSet, timestamp: int) -> bytes:
    """One page for a few variants of a set of any usual size: the rows go in
    side-by-side bands when they would not fit under each other. Many
    variants take one table per GRID_COLUMNS variants."""
    st = styles()
    first = variants[0]
    story: list[Flowable] = [
        Bookmark("grid", f"{qset.title}: answers of all variants", 0),
        Paragraph(markup(f"{qset.title}: answers of all variants"), st.title),
        Paragraph(markup(f"Teacher grid · set {first.set_name} · seed {first.seed} · "
                         f"{len(variants)} variants. Letters are the boxes printed on each variant; "
                         "matching: item number and letter; ordering: letters from first to last."),
                  st.subtitle),
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
            tables = [_grid_table(chunk, page_rows[b * per_band:(b + 1) * per_band], number_width, cell_width, st)
                      for b in range(bands)]
            if bands == 1:
                story.append(tables[0])
            else:
                outer = Table([tables], colWidths=[band_width] * bands, hAlign="LEFT")
                outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                                           ("FONTNAME", (0, 0), (-1, -1), SANS)]))
                story.append(outer)
            story.append(Spacer(1, 10))
    meta = Meta(
        title=f"{qset.title}: answers of all variants",
        subject=f"Teacher grid for question set {first.set_name}, {len(variants)} variants",
        footer=f"{first.set_name}/s{first.seed} · teacher grid",
        keywords=f"quizgen, answer key, {first.set_name}",
    )
    return build_pdf(story, meta, timestamp)


def _grid_table(chunk: tuple[Variant, ...], numbers: range, number_width: float, cell_width: float,
                st: Styles) -> Table:
    size = st.cell.fontSize
    data: list[list[object]] = [["#"] + [f"Variant {v.letter}" for v in chunk]]
    for i in numbers:
        row: list[object] = [str(i + 1)]
        for v in chunk:
            code = grid_code(v.questions[i]) if i < len(v.questions) else ""
            # Plain strings are much faster for a table of 500 variants; a
            # code with Japanese needs a paragraph for its font runs. Either
            # way one line, so that GRID_ROWS rows fit on a page.
            code = _fit(code, cell_width - 6, size)
            row.append(code if all(font == SANS for font, _ in runs(code)) else para(markup(code), st.cell))
        data.append(row)
    table = Table(data, colWidths=[number_width] + [cell_width] * len(chunk), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # the default would be Helvetica, not embedded
        ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
        ("FONTNAME", (0, 0), (0, -1), SANS_BOLD),
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


def _fit(text: str, width: float, size: float) -> str:
    """Text cut with an ellipsis to fit a cell of the grid."""
    if string_width(text, size) <= width:
        return text
    while text and string_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
