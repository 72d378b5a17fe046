"""The worksheet: what a student gets. It prints prompts and choices only;
answers, explanations and quotes live in the answer key."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from quizgen.model import CLOZE_BLANK, QuestionSet, Source
from quizgen.render.pdf import timeline as pdf_timeline
from quizgen.render.pdf.fonts import SANS, markup
from quizgen.render.pdf.page import (FRAME_WIDTH, NUMBER_INDENT, ORDER_BOX, Block, Bookmark, variant_meta,
                                     NameLines, Styles, TrueFalseRow, WriteLines, boxed, build_pdf, para,
                                     styles)
from quizgen.select import ShownQuestion, Variant, letters

BLANK = "\u00a0" * 28  # underlined no-break spaces: a line to write on that pypdf reads as space

def worksheet_pdf(variant: Variant, qset: QuestionSet, sources: tuple[Source, ...], timestamp: int,
                  events: tuple[pdf_timeline.Event, ...] = ()) -> bytes:
    st = styles()
    story: list[Flowable] = header(variant, qset, st, "Worksheet")
    if qset.instructions:
        story.append(Paragraph(markup(qset.instructions), st.body))
    story.append(Spacer(1, 4))
    story.extend(questions(variant, qset, st))
    if qset.timeline and events:
        # Last, as a closing task: marks on a dated axis hint at the answers
        # of date questions, so students meet it after answering them.
        story.append(timeline_block(events, st, blank=True))
    meta = variant_meta(qset.title, variant, "worksheet")
    return build_pdf(story, meta, timestamp)


def header(variant: Variant, qset: QuestionSet, st: Styles, kind: str, name_lines: bool = True) -> list[Flowable]:
    sub = kind + (f" · Variant {variant.letter}" if variant.letter else "") + f" · code {variant.code}"
    return [
        Bookmark(f"{variant.label}-top", qset.title, 0),
        Paragraph(markup(qset.title), st.title),
        Paragraph(markup(sub), st.subtitle),
        *([NameLines()] if name_lines else []),
        Spacer(1, 6),
    ]


def timeline_block(events, st: Styles, blank: bool) -> Flowable:
    intro = ("Timeline. For each numbered mark on the axis, write the date and what happened, "
             "and which article reports it."
             if blank else "Timeline of the events the cited articles date. * date inferred: "
                           "the article prints none.")
    return Block([
        Bookmark("timeline", "Timeline", 0),
        Paragraph(intro, st.small),
        pdf_timeline.drawing(events, FRAME_WIDTH, blank=blank),
    ], space_after=12)


def questions(variant: Variant, qset: QuestionSet, st: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    sections = qset.order == "topic"
    topic = None
    for shown in variant.questions:
        heading: list[Flowable] = []
        if sections and shown.question.topic != topic:
            topic = shown.question.topic
            heading = [Bookmark(f"topic-{topic}", topic_title(topic), 0),
                       Paragraph(markup(topic_title(topic)), st.section)]
        out.append(question_block(shown, st, level=1 if sections else 0, before=heading))
    return out


def topic_title(topic: str) -> str:
    return {"declaration-1956": "The 1956 Joint Declaration"}.get(topic, topic.replace("-", " ").capitalize())


def question_block(shown: ShownQuestion, st: Styles, level: int = 0, before: list[Flowable] = ()) -> Block:
    """A numbered question; ``before`` (a section heading) shares its block so
    a heading never ends a page alone."""
    q = shown.question
    n = shown.number
    parts: list[Flowable] = [*before, Bookmark(f"q{n}", f"{n}. {outline_text(q.prompt)}", level)]
    prompt = cloze_markup(q.prompt) if q.type == "cloze" else markup(q.prompt)
    parts.append(para(prompt, st.prompt, f"{n}."))
    if q.type == "mcq":
        parts += [boxed(markup(text), st.choice, letters(i))
                  for i, text in enumerate(shown.choices)]
    elif q.type == "true_false":
        parts.append(TrueFalseRow(tuple(shown.choices) or ("True", "False")))
    elif q.type == "short_answer":
        parts.append(WriteLines(2))
    elif q.type == "cloze":
        pass  # the blanks are in the prompt
    elif q.type == "matching":
        parts.append(para("Write the letter of the match in each box.", st.note))
        parts.append(matching_table(shown, st))
    elif q.type == "ordering":
        parts.append(para(f"Number the boxes 1 to {len(shown.choices)}, 1 first.", st.note))
        parts += [boxed(markup(text), st.ordering, letters(i), box=ORDER_BOX)
                  for i, text in enumerate(shown.choices)]
    return Block(parts, space_after=11)


def cloze_markup(prompt: str) -> str:
    """Each [[answer]] becomes a numbered blank line; the answer itself is
    never printed. A single blank goes unnumbered."""
    pieces = CLOZE_BLANK.split(prompt)  # text, answer, text, answer, ..., text
    several = len(pieces) > 3
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            out.append(markup(piece))
        else:
            label = f"<sub>({i // 2 + 1})</sub>" if several else ""
            out.append(f"<u>{BLANK}</u>{label}")
    return "".join(out)


def matching_table(shown: ShownQuestion, st: Styles) -> Table:
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
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # the default would be Helvetica, not embedded
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

