"""Answer keys: for each printed question its answer, why, and where the
answer comes from; then the sources. The teacher grid, which lists the
answers of every variant side by side, is in grid.py."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from quizgen.model import CLOZE_BLANK, Bank, QuestionSet, Source
from quizgen.render.pdf import timeline as pdf_timeline
from quizgen.render.pdf.flowables import Block, Bookmark, flowing, para
from quizgen.render.pdf.longtable import PageTable
from quizgen.render.pdf.page import FRAME_WIDTH, GREY, NUMBER_INDENT, Context, build_pdf, context, variant_meta
from quizgen.render.pdf.worksheet import header, timeline_block, true_false
from quizgen.select import ShownQuestion, Variant, letters

def key_pdf(variant: Variant, qset: QuestionSet, bank: Bank, timestamp: int,
            events: tuple[pdf_timeline.Event, ...] = ()) -> bytes:
    """Page 1: every answer at a glance (number, answer, points). Then, for
    checking and discussing, each question's explanation and citations,
    flowing on without keeping whole entries together; then the sources."""
    cx = context(bank)
    st = cx.st
    by_id = {s.id: s for s in bank.sources}
    story: list[Flowable] = header(variant, qset, cx, "answer_key", name_lines=False)
    story.append(summary_table(variant, cx))
    story.append(Bookmark("explanations", cx.label("explanations"), 0))
    story.append(Paragraph(cx.bold(cx.label("explanations")), st.section))

    def rest() -> Iterator[Flowable]:  # made as they are laid out (page.build_pdf)
        for shown in variant.questions:
            yield from key_entry(shown, by_id, cx)
        yield Bookmark("sources", cx.label("sources"), 0)
        yield Paragraph(cx.bold(cx.label("sources")), st.section)
        for s in used_sources(variant, by_id):
            yield Paragraph(source_line(s, cx), st.small)
        if qset.timeline and events:
            yield Spacer(1, 8)
            yield from timeline_block(events, cx, blank=False, sources=by_id)

    return build_pdf(itertools.chain(story, rest()), variant_meta(cx, qset.title, variant, "answer_key"),
                     timestamp, cx)


def summary_table(variant: Variant, cx: Context) -> PageTable:
    """Number -> answer (in full, as the entries below give it) -> points, and
    the total; a page of rows at a time (longtable.py), so a key of thousands
    of questions lays out in linear time."""
    st = cx.st
    head = [para(cx.bold("#"), st.cell_head), para(cx.bold(cx.label("answer")), st.cell_head),
            para(cx.bold(cx.label("points_head")), st.cell_head)]
    rows = ([para(cx.bold(f"{shown.number}."), st.cell), para(cx.markup(answer_text(shown, cx)), st.cell),
             para(str(shown.points), st.cell)] for shown in variant.questions)  # made a page at a time
    total = ["", para(cx.bold(cx.label("total")), st.cell), para(cx.bold(str(variant.total_points)), st.cell)]
    common = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), cx.fonts.base),  # the default would be Helvetica, not embedded
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ])
    widths = [NUMBER_INDENT + 8, FRAME_WIDTH - NUMBER_INDENT - 8 - 44, 44]

    def make(body: list[list[object]], last: bool) -> Table:
        # Each page's rows start on white, as reportlab's own split of one table has it.
        table = Table([head] + body, colWidths=widths, repeatRows=1, hAlign="LEFT",
                      splitInRow=1)  # an answer longer than a page goes on
        table.setStyle(common)
        table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, GREY),
                                   ("ROWBACKGROUNDS", (0, 1), (-1, -2), ["#ffffff", "#f2f2f2"])] if last else
                                  [("ROWBACKGROUNDS", (0, 1), (-1, -1), ["#ffffff", "#f2f2f2"])]))
        return table

    return PageTable(rows, [total], make)


def key_entry(shown: ShownQuestion, sources: dict[str, Source], cx: Context) -> list[Flowable]:
    """The answer and the question kept together; the explanation and the
    citations flow on, so no half-empty page waits for a long entry."""
    q = shown.question
    n = shown.number
    st = cx.st
    head = Block([
        Bookmark(f"a{n}", f"{n}. {answer_text(shown, cx)}", 0),
        para(answer_markup(shown, cx), st.prompt, f"{n}."),
        para(prompt_markup(q.prompt, q.type, cx), st.quiet),
    ], space_after=1)
    # Paragraph objects of their own, not the shared cached ones: these flow
    # in the frame themselves, and a frame marks the flowables it places (a
    # shared one that once waited for the next page would be taken for one
    # that never fits). Their layout is shared (flowing), so variants break
    # each explanation into lines once.
    parts: list[Flowable] = [head,
                             flowing(f"<b>{cx.bold(cx.label('explanation'))}:</b> {cx.markup(q.explanation)}",
                                     st.detail)]
    if q.support.status != "quoted":  # the teacher sees which keys are reasoning, not quotation
        label = cx.label(f"support_{q.support.status}")
        parts.append(flowing(f"<b>{cx.bold(label)}:</b> {cx.markup(q.support.reason)}", st.detail))
    for c in q.citations:
        parts.append(flowing(citation_markup(sources.get(c.source), c.source, c.quote, cx), st.detail))
    parts.append(Spacer(1, 6))
    return parts


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
        pairs = f"{head}: {markup('; '.join(f'{left} → {right}' for left, right in q.pairs))}"
        if not q.spares:
            return pairs
        unused = "; ".join(f"{letter}: {spare}" for letter, spare in zip(shown.spare_letters, q.spares))
        return f"{pairs} ({markup(cx.label('not_used'))}: {markup(unused)})"
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
        return f"{head} {markup(source_id)}: “{cx.verbatim(quote)}”"
    return (f"{head} {markup(outlet(source, cx))}, {markup(date(source, cx))}, "
            f"“{cx.verbatim(source.headline)}”: “{cx.verbatim(quote)}”")


def used_sources(variant: Variant, by_id: dict[str, Source]) -> list[Source]:
    seen: dict[str, Source] = {}
    for shown in variant.questions:
        for sid in shown.question.source_ids:
            if sid in by_id:
                seen.setdefault(sid, by_id[sid])
    return sorted(seen.values(), key=lambda s: (s.published or s.inferred_date or "", s.id))


def source_line(s: Source, cx: Context) -> str:
    markup = cx.markup
    line = (f"<b>{cx.bold(outlet(s, cx))}</b>, {markup(date(s, cx))}: “{cx.verbatim(s.headline)}” "
            f"<font color='#606060'>[{markup(s.id)}; {markup(s.file)}]</font>")
    if s.inferred_reason:
        line += (f"<br/><font color='#606060'>{markup(cx.label('date_inferred'))}: "
                 f"{markup(s.inferred_reason)}</font>")
    return line


from quizgen.render.pdf.grid import grid_pdf  # noqa: E402,F401  (the key's companion; callers import it from here)
