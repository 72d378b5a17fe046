"""Answer keys: for each printed question its answer, why, and where the
answer comes from; then the sources. The teacher grid, which lists the
answers of every variant side by side, is in grid.py."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from quizgen.model import CLOZE_BLANK, Bank, QuestionSet, Source
from quizgen.render.pdf import timeline as pdf_timeline
from quizgen.render.pdf.flowables import Block, Bookmark, para
from quizgen.render.pdf.page import Context, build_pdf, context, variant_meta
from quizgen.render.pdf.worksheet import header, timeline_block, true_false
from quizgen.select import ShownQuestion, Variant, letters

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


from quizgen.render.pdf.grid import grid_pdf  # noqa: E402,F401  (the key's companion; callers import it from here)
