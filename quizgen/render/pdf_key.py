"""Answer keys: for each printed question its answer, why, and where the
answer comes from; then the sources. And the teacher grid that lists the
answers of every variant side by side."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from quizgen.model import CLOZE_BLANK, QuestionSet, Source
from quizgen.render import pdf_timeline
from quizgen.render.pdf_fonts import SANS, markup
from quizgen.render.pdf_page import FRAME_WIDTH, GREY, NUMBER_INDENT, Block, Bookmark, Meta, Styles, build_pdf, styles
from quizgen.render.pdf_worksheet import header, timeline_block
from quizgen.select import ShownQuestion, Variant, letters

GRID_COLUMNS = 8  # variants per grid table; more variants continue in another table


def key_pdf(variant: Variant, qset: QuestionSet, sources: tuple[Source, ...], timestamp: int,
            events: tuple[pdf_timeline.Event, ...] = ()) -> bytes:
    st = styles()
    by_id = {s.id: s for s in sources}
    story: list[Flowable] = header(variant, qset, st, "Answer key")[:3]
    story.append(Spacer(1, 6))
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
    meta = Meta(
        title=f"{qset.title}: answer key" + (f" (variant {variant.letter})" if variant.letter else ""),
        subject=f"Answer key for question set {variant.set_name}" +
                (f", variant {variant.letter} of {variant.count}" if variant.letter else ""),
        footer=f"{variant.code} · answer key",
        keywords=f"quizgen, answer key, {variant.set_name}",
    )
    return build_pdf(story, meta, timestamp)


def key_entry(shown: ShownQuestion, sources: dict[str, Source], st: Styles) -> Block:
    q = shown.question
    n = shown.number
    answer_style = st.prompt
    detail = st.small.clone("key-detail", leftIndent=NUMBER_INDENT)
    quiet = detail.clone("key-prompt", textColor=GREY)
    parts: list[Flowable] = [
        Bookmark(f"a{n}", f"{n}. {answer_text(shown)}", 0),
        Paragraph(f"<b>{answer_markup(shown)}</b>", answer_style, bulletText=f"{n}."),
        Paragraph(prompt_markup(q.prompt, q.type), quiet),
        Paragraph(f"<i>Why:</i> {markup(q.explanation)}", detail),
    ]
    for c in q.citations:
        parts.append(Paragraph(citation_markup(sources.get(c.source), c.source, c.quote), detail))
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
    q = shown.question
    head = markup(answer_text(shown))
    if q.type == "short_answer" and q.accept:
        head += f"</b> (also accepted: {markup('; '.join(q.accept))})<b>"
    elif q.type == "matching":
        pairs = "; ".join(f"{left} → {right}" for left, right in q.pairs)
        head += f"</b>: {markup(pairs)}<b>"
    elif q.type == "ordering":
        boxes = ", ".join(f"{letters(i)}={pos}" for i, pos in enumerate(shown.ordering_positions))
        head += f"</b> (boxes {markup(boxes)}): {markup(' → '.join(q.items))}<b>"
    return head


def prompt_markup(prompt: str, qtype: str) -> str:
    """The prompt as a reminder; cloze blanks filled in and underlined."""
    if qtype != "cloze":
        return markup(prompt)
    pieces = CLOZE_BLANK.split(prompt)
    return "".join(markup(p) if i % 2 == 0 else f"<u>{markup(p)}</u>" for i, p in enumerate(pieces))


def citation_markup(source: Source | None, source_id: str, quote: str) -> str:
    if source is None:  # validation rejects unknown ids; print what we have rather than fail
        return f"<i>Source:</i> {markup(source_id)}: “{markup(quote)}”"
    return (f"<i>Source:</i> {markup(source.outlet_label)}, {markup(source.date_label)}, "
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


def grid_pdf(variants: tuple[Variant, ...], qset: QuestionSet, timestamp: int) -> bytes:
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
    cell = st.cell
    head = st.cell.clone("grid-head", fontName=st.section.fontName)
    rows = max(len(v.questions) for v in variants)
    for start in range(0, len(variants), GRID_COLUMNS):
        chunk = variants[start:start + GRID_COLUMNS]
        data = [[Paragraph("#", head)] + [Paragraph(f"Variant {v.letter}", head) for v in chunk]]
        for i in range(rows):
            row = [Paragraph(str(i + 1), head)]
            for v in chunk:
                row.append(Paragraph(markup(grid_code(v.questions[i])), cell) if i < len(v.questions) else "")
            data.append(row)
        number_width = 22
        width = (FRAME_WIDTH - number_width) / min(len(variants), GRID_COLUMNS)
        table = Table(data, colWidths=[number_width] + [width] * len(chunk), repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # the default would be Helvetica, not embedded
            ("GRID", (0, 0), (-1, -1), 0.4, GREY),
            ("BACKGROUND", (0, 0), (-1, 0), "#e8e8e8"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]))
        story.append(table)
        story.append(Spacer(1, 10))
    meta = Meta(
        title=f"{qset.title}: answers of all variants",
        subject=f"Teacher grid for question set {first.set_name}, {len(variants)} variants",
        footer=f"{first.set_name}/s{first.seed} · teacher grid",
        keywords=f"quizgen, answer key, {first.set_name}",
    )
    return build_pdf(story, meta, timestamp)

