"""The worksheet: what a student gets. It prints prompts and choices only;
answers, explanations and quotes live in the answer key."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from quizgen.model import CLOZE_BLANK, TRUE_FALSE_OPTIONS, Bank, QuestionSet
from quizgen.render.pdf import timeline as pdf_timeline
from quizgen.render.pdf.flowables import Block, Bookmark, NameLines, ScoreBox, TrueFalseRow, WriteLines, boxed, para
from quizgen.render.pdf.page import (FRAME_WIDTH, NUMBER_INDENT, ORDER_BOX, RULE, Context, build_pdf, context,
                                     variant_meta)
from quizgen.select import ShownQuestion, Variant, letters

BLANK = "\u00a0" * 28  # underlined no-break spaces: a line to write on that pypdf reads as space


def worksheet_pdf(variant: Variant, qset: QuestionSet, bank: Bank, timestamp: int,
                  events: tuple[pdf_timeline.Event, ...] = ()) -> bytes:
    cx = context(bank)
    story: list[Flowable] = header(variant, qset, cx, "worksheet")
    story.insert(-1, ScoreBox(cx, variant.total_points))
    if qset.instructions:
        story.append(Paragraph(cx.markup(qset.instructions), cx.st.body))
    if any(inferred(shown) for shown in variant.questions):
        story.append(Paragraph(cx.markup(cx.label("inferred_note")), cx.st.body))
    story.append(Spacer(1, 4))

    def rest() -> Iterator[Flowable]:  # made as they are laid out (page.build_pdf)
        yield from questions(variant, qset, cx)
        if qset.timeline and events:
            # Last, as a closing task: marks on a dated axis hint at the answers
            # of date questions, so students meet it after answering them.
            yield from timeline_block(events, cx, blank=True)

    return build_pdf(itertools.chain(story, rest()), variant_meta(cx, qset.title, variant, "worksheet"),
                     timestamp, cx)


def header(variant: Variant, qset: QuestionSet, cx: Context, kind: str, name_lines: bool = True) -> list[Flowable]:
    """Title, then the bank, the kind of sheet (a label key), the variant and the code."""
    bank = cx.config.title
    sub = ([bank] if bank and bank != qset.title else []) + [cx.label(kind)]
    if variant.student:
        sub.append(f"{cx.label('copy')} {variant.letter}: {variant.student}")
    elif variant.letter:
        sub.append(f"{cx.label('variant')} {variant.letter}")
    sub.append(f"{cx.label('code')} {variant.code}")
    return [
        Bookmark(f"{variant.label}-top", qset.title, 0),
        Paragraph(cx.bold(qset.title), cx.st.title),
        Paragraph(cx.markup(" · ".join(sub)), cx.st.subtitle),
        *([NameLines(cx, variant.student)] if name_lines else []),
        Spacer(1, 6),
    ]


def timeline_block(events, cx: Context, blank: bool, sources: dict | None = None) -> list[Flowable]:
    """The figure with numbered marks, then a table with a row per mark: on
    the worksheet lines to write the date, the event and the article on; in
    the key the same numbers with the answers."""
    intro = cx.label("timeline_task" if blank else "timeline_key")
    figure = Block([
        Bookmark("timeline", cx.label("timeline"), 0),
        Paragraph(cx.markup(intro), cx.st.small),
        pdf_timeline.drawing(events, FRAME_WIDTH, blank, cx),
    ], space_after=8)
    return [figure, timeline_table(events, cx, blank, sources or {}), Spacer(1, 12)]


def timeline_table(events, cx: Context, blank: bool, sources: dict) -> Table:
    st = cx.st
    head = [para(cx.bold(t), st.cell_head) for t in
            ("#", cx.label("date"), cx.label("timeline_event"), cx.label("timeline_article"))]
    rows: list[list[object]] = [head]
    for n, e in enumerate(events, start=1):
        if blank:
            rows.append([para(cx.bold(f"{n}."), st.cell), "", "", ""])
            continue
        date = e.date_text + ("*" if e.inferred else "")
        what = cx.label("timeline_published") if e.kind == "article" else e.label
        article = "; ".join(_article(sources.get(sid), sid, cx) for sid in e.source_ids)
        rows.append([para(cx.bold(f"{n}."), st.cell), para(cx.markup(date), st.cell),
                     para(cx.markup(what), st.cell), para(cx.markup(article), st.cell)])
    widths = [24, 78, (FRAME_WIDTH - 102) * 0.55, (FRAME_WIDTH - 102) * 0.45]
    # room to write: rows a finger apart on the sheet
    table = Table(rows, colWidths=widths, rowHeights=[None] + ([30] * len(events) if blank else [None] * len(events)),
                  repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), cx.fonts.base),  # the default would be Helvetica, not embedded
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM" if blank else "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def _article(source, source_id: str, cx: Context) -> str:
    """An article as the timeline's key names it: outlet and full headline."""
    if source is None:
        return source_id
    outlet = source.outlet or cx.label("outlet_unknown")
    return f"{outlet}: “{source.headline}”"


def questions(variant: Variant, qset: QuestionSet, cx: Context) -> Iterator[Flowable]:
    """Each question's block, one at a time, under a heading per topic when
    the set is ordered by topic."""
    sections = qset.order == "topic"
    topic = None
    for shown in variant.questions:
        heading: list[Flowable] = []
        if sections and shown.question.topic != topic:
            topic = shown.question.topic
            name = cx.config.topic_name(topic)
            heading = [Bookmark(f"topic-{topic}", name, 0), Paragraph(cx.bold(name), cx.st.section)]
        yield question_block(shown, cx, level=1 if sections else 0, before=heading)


def true_false(cx: Context, value: str) -> str:
    """A True/False option in the bank's words (the model keeps them in English)."""
    if value in TRUE_FALSE_OPTIONS:
        return cx.label(value.lower())
    return value


def inferred(shown: ShownQuestion) -> bool:
    """Whether the sheet marks the question: the articles imply its answer but do not state it."""
    return shown.question.support.status == "inferred"


def question_block(shown: ShownQuestion, cx: Context, level: int = 0, before: list[Flowable] = ()) -> Block:
    """A numbered question; ``before`` (a section heading) shares its block so
    a heading never ends a page alone."""
    q = shown.question
    n = shown.number
    st = cx.st
    parts: list[Flowable] = [*before, Bookmark(f"q{n}", f"{n}. {outline_text(q.prompt)}", level)]
    prompt = cloze_markup(q.prompt, cx) if q.type == "cloze" else cx.markup(q.prompt)
    if inferred(shown):  # the sheet's instructions say what the mark means (label inferred_note)
        prompt += cx.markup(cx.label("inferred_mark"))
    parts.append(para(f"{prompt} {points_markup(shown.points, cx)}", st.prompt, f"{n}."))
    if q.type == "mcq":
        parts += [boxed(cx.markup(text), st.choice, letters(i))
                  for i, text in enumerate(shown.choices)]
    elif q.type == "true_false":
        choices = tuple(shown.choices) or TRUE_FALSE_OPTIONS
        parts.append(TrueFalseRow(tuple(true_false(cx, c) for c in choices), cx.fonts))
    elif q.type == "short_answer":
        parts.append(WriteLines(2))
    elif q.type == "cloze":
        pass  # the blanks are in the prompt
    elif q.type == "matching":
        note = cx.label("match_note")
        if q.spares:  # a plain replace, as for order_note
            spare = cx.label("spare_note") if len(q.spares) == 1 else cx.label("spares_note")
            note += " " + spare.replace("{count}", str(len(q.spares)))
        parts.append(para(cx.markup(note), st.note))
        parts.append(matching_table(shown, cx))
    elif q.type == "ordering":
        # A plain replace, not str.format: the label is the bank's text.
        note = cx.label("order_note").replace("{count}", str(len(shown.choices)))
        parts.append(para(cx.markup(note), st.note))
        parts += [boxed(cx.markup(text), st.ordering, letters(i), box=ORDER_BOX)
                  for i, text in enumerate(shown.choices)]
    return Block(parts, space_after=11)


def points_text(points: int, cx: Context) -> str:
    return f"{points}\u00a0{cx.label('point' if points == 1 else 'points')}"  # never parted at a line end


def points_markup(points: int, cx: Context) -> str:
    """What a question is worth, after its prompt: small, grey, in brackets."""
    return f"<font size='8.5' color='#606060'>({cx.markup(points_text(points, cx))})</font>"


def cloze_markup(prompt: str, cx: Context) -> str:
    """Each [[answer]] becomes a numbered blank line; the answer itself is
    never printed. A single blank goes unnumbered."""
    pieces = CLOZE_BLANK.split(prompt)  # text, answer, text, answer, ..., text
    several = len(pieces) > 3
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            out.append(cx.markup(piece))
        else:
            # The number in front, on the line's level and tied to it by a
            # no-break space; the text after the blank follows it directly,
            # so a full stop or comma never starts the next line.
            label = f"<b>({i // 2 + 1})</b>\u00a0" if several else ""
            out.append(f"{label}<u>{BLANK}</u>")
    return "".join(out)


def matching_table(shown: ShownQuestion, cx: Context) -> Table:
    st, markup = cx.st, cx.markup
    left = [left for left, _ in shown.question.pairs]
    right = shown.choices
    half = (FRAME_WIDTH - NUMBER_INDENT) / 2
    rows = []
    for i in range(max(len(left), len(right))):
        l_cell = (boxed(markup(left[i]), st.match_left, f"{i + 1}.", box_x=0)
                  if i < len(left) else "")
        r_cell = para(markup(right[i]), st.match_right, f"{letters(i)}.") if i < len(right) else ""
        rows.append([l_cell, r_cell])
    table = Table(rows, colWidths=[half, half], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), cx.fonts.base),  # the default would be Helvetica, not embedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return _Indented(table, NUMBER_INDENT)


class _Indented(Flowable):
    """A flowable shifted right, so a table lines up with the prompt text."""

    def __init__(self, inner: Flowable, indent: float):
        super().__init__()
        self.inner, self.indent = inner, indent

    def wrap(self, avail_width, avail_height):
        w, h = self.inner.wrap(avail_width - self.indent, avail_height)
        self.width, self.height = w + self.indent, h
        return self.width, self.height

    def draw(self):
        self.inner.drawOn(self.canv, self.indent, 0)


def outline_text(text: str, limit: int = 70) -> str:
    """A prompt as an outline entry: one line, blanks shown as ____."""
    flat = " ".join(CLOZE_BLANK.sub("____", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"

