"""What worksheets and keys share: the bank's print context (its labels,
fonts and styles), page layout, the footer with "Page X of Y", metadata and
reproducible output. The flowables are in flowables.py."""

from __future__ import annotations

import functools
import io
import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from quizgen import __version__
from quizgen.model import Bank, BankConfig
from quizgen.render.pdf.fonts import Fonts, bank_fonts
from quizgen.render.pdf.typography import curly

PAGE_SIZE = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
GREY = colors.Color(0.38, 0.38, 0.38)
RULE = colors.Color(0.55, 0.55, 0.55)

BODY = 10.5
NUMBER_INDENT = 27  # room for "123." in front of a prompt
CHOICE_INDENT = NUMBER_INDENT + 30  # box and letter sit between the two
BOX = 9.0
ORDER_BOX = BOX + 4  # a box to write a number in, not just a tick


@dataclass(frozen=True, slots=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    section: ParagraphStyle
    body: ParagraphStyle
    prompt: ParagraphStyle
    choice: ParagraphStyle
    ordering: ParagraphStyle
    match_left: ParagraphStyle
    match_right: ParagraphStyle
    note: ParagraphStyle
    small: ParagraphStyle
    detail: ParagraphStyle
    quiet: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_quiet: ParagraphStyle


@functools.cache
def styles(fonts: Fonts) -> Styles:
    """One set of style objects per font chain and process: cached paragraphs
    are keyed on them."""
    SANS, SANS_BOLD = fonts.base, fonts.base_bold
    body = ParagraphStyle("body", fontName=SANS, fontSize=BODY, leading=BODY * 1.32, spaceAfter=4)
    choice = ParagraphStyle("choice", parent=body, leftIndent=CHOICE_INDENT,
                            bulletIndent=NUMBER_INDENT + BOX + 6, bulletFontName=SANS_BOLD, spaceAfter=1.5)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=1)
    detail = ParagraphStyle("detail", parent=small, leftIndent=NUMBER_INDENT)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=SANS_BOLD, fontSize=17, leading=21, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=9, leading=12, textColor=GREY, spaceAfter=8),
        section=ParagraphStyle("section", parent=body, fontName=SANS_BOLD, fontSize=12.5, leading=16,
                               spaceBefore=8, spaceAfter=6),
        body=body,
        prompt=ParagraphStyle("prompt", parent=body, leftIndent=NUMBER_INDENT, bulletIndent=0,
                              bulletFontName=SANS_BOLD, spaceAfter=3),
        choice=choice,
        ordering=ParagraphStyle("ordering", parent=choice, bulletIndent=NUMBER_INDENT + ORDER_BOX + 6,
                                leftIndent=NUMBER_INDENT + ORDER_BOX + 20, spaceAfter=4),
        match_left=ParagraphStyle("match-left", parent=choice, leftIndent=BOX + 22, bulletIndent=BOX + 6),
        match_right=ParagraphStyle("match-right", parent=choice, leftIndent=16, bulletIndent=0),
        note=ParagraphStyle("note", parent=body, leftIndent=NUMBER_INDENT, fontSize=9, leading=12,
                            textColor=GREY, spaceAfter=2),
        small=small,
        detail=detail,
        quiet=ParagraphStyle("quiet", parent=detail, textColor=GREY),
        cell=cell,
        cell_head=ParagraphStyle("cell-head", parent=cell, fontName=SANS_BOLD),
        cell_quiet=ParagraphStyle("cell-quiet", parent=cell, fontSize=8, leading=9.8, textColor=GREY),
    )


@dataclass(frozen=True)
class Context:
    """What a bank's PDFs print with: the config (labels, topic names, title,
    author, language), the font chain and the styles made from it. Passed to
    every function that lays out text, so nothing reads a global."""

    config: BankConfig
    fonts: Fonts
    st: Styles

    def label(self, key: str) -> str:
        return self.config.label(key)

    def markup(self, text: str) -> str:
        """Printed text as markup, its quotes typographic (render/pdf/typography.py)."""
        return self.fonts.markup(curly(text))

    def bold(self, text: str) -> str:
        """Markup for text set in bold: in <b>, or in a bold style."""
        return self.fonts.markup(curly(text), bold=True)

    def verbatim(self, text: str) -> str:
        """Article text (a quote, a headline) as markup, its characters kept."""
        return self.fonts.markup(text)


def context(bank: Bank) -> Context:
    fonts = bank_fonts(bank.root, bank.config.fonts)
    return Context(bank.config, fonts, styles(fonts))


# -- the document ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    subject: str
    footer: str  # left of the footer; "Page X of Y" goes right
    author: str = "quizgen"
    keywords: str = ""
    language: str = "en"
    badge: str = ""  # the variant letter, printed large at the top right of every page


def document_title(cx: Context, title: str) -> str:
    """A PDF's title: what it is, then the bank it comes from."""
    bank = cx.config.title
    return title if not bank or title.startswith(bank) else f"{title} — {bank}"


def meta(cx: Context, title: str, subject: str, footer: str, keywords: str, badge: str = "") -> Meta:
    return Meta(title=document_title(cx, title), subject=subject, footer=footer,
                author=cx.config.author or "quizgen", keywords=keywords, language=cx.config.language, badge=badge)


def variant_meta(cx: Context, title: str, variant, kind: str) -> Meta:
    """Metadata of one variant's PDF; ``kind`` is the label key "worksheet" or "answer_key"."""
    name = cx.label(kind)
    word = cx.label("copy") if variant.student else cx.label("variant")
    which = f" ({word} {variant.letter})" if variant.letter else ""
    which += f": {variant.student}" if variant.student else ""
    of = f" · {cx.label('variant')} {variant.letter}/{variant.count}" if variant.letter else ""
    return meta(cx,
                title=title + ("" if kind == "worksheet" else f": {name}") + which,
                subject=f"{name} · {variant.set_name}{of}",
                footer=f"{variant.code} · {name}",
                keywords=f"quizgen, {name}, {variant.set_name}",
                badge=f"{word} {variant.letter}" if variant.letter else "")


_PAGE_COUNT_FORM = "quizgenPageCount"
_FOOTER_SIZE = 8


def _canvas_class(timestamp: int, fonts: Fonts):
    class QuizgenCanvas(Canvas):
        """Embedded font from the first operator on (the default Helvetica
        would be an unembedded font), a creation date from the build's
        timestamp, and the page count drawn once at the end into a form that
        every footer already refers to: "Page X of Y" in a single pass."""

        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.base
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _timestamp(timestamp)
            fonts.prime(self._doc)
            self.setCreator(f"quizgen {__version__}")
            self.setProducer(f"quizgen {__version__} (ReportLab)")

        def save(self):
            total = self.getPageNumber() - (0 if self._code else 1)
            self.beginForm(_PAGE_COUNT_FORM, lowerx=0, lowery=-4, upperx=60, uppery=12)
            self.setFillColor(GREY)
            fonts.draw(self, 0, 0, str(total), _FOOTER_SIZE)
            self.endForm()
            super().save()

    return QuizgenCanvas


def _timestamp(seconds: int) -> TimeStamp:
    stamp = TimeStamp(invariant=True)
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


def _footer(meta: Meta, cx: Context):
    fonts = cx.fonts
    fonts.check(meta.footer)
    page, of = cx.label("page"), cx.label("page_of")

    def draw(canv: Canvas, doc) -> None:
        canv.saveState()
        canv.setFillColor(GREY)
        y = MARGIN * 0.55
        fonts.draw(canv, MARGIN, y, meta.footer, _FOOTER_SIZE)
        x = PAGE_SIZE[0] - MARGIN - 12  # the count is at most a few digits wide
        text = f"{page} {canv.getPageNumber()} {of} "
        fonts.draw(canv, x - fonts.string_width(text, _FOOTER_SIZE), y, text, _FOOTER_SIZE)
        canv.translate(x, y)
        canv.doForm(_PAGE_COUNT_FORM)
        canv.restoreState()
        if meta.badge:  # a version a teacher tells apart across the room, on every page
            _badge(canv, fonts, meta.badge)

    return draw


def _badge(canv: Canvas, fonts: Fonts, text: str) -> None:
    size = 13
    width = fonts.string_width(text, size, True) + 14
    x, top = PAGE_SIZE[0] - MARGIN - width, PAGE_SIZE[1] - MARGIN * 0.45
    canv.saveState()
    canv.setLineWidth(1.4)
    canv.rect(x, top - 20, width, 20, stroke=1, fill=0)
    fonts.draw(canv, x + 7, top - 15, text, size, bold=True)
    canv.restoreState()


class _Feed(list):
    """A story made as it is laid out. reportlab's build takes flowables off
    the front of the list it is given (``del flowables[0]``, which moves
    every pointer behind it), so a story of N flowables made in advance costs
    N² moves, and every parsed paragraph waits in memory for its turn. This
    list holds only the next few, topped up from an iterator whenever build
    asks for its length, which it does before every step; looking ahead
    (keepWithNext) stays within them. The flowables, and so the bytes, are
    those of the whole list."""

    AHEAD = 64

    def __init__(self, flowables: Iterable[Flowable]):
        super().__init__()
        self._more = iter(flowables)

    def __len__(self):
        n = list.__len__(self)
        if n < self.AHEAD and self._more is not None:
            wanted = 2 * self.AHEAD - n
            more = list(itertools.islice(self._more, wanted))
            if len(more) < wanted:
                self._more = None
            self.extend(more)
            n += len(more)
        return n


def build_pdf(story: Iterable[Flowable], meta: Meta, timestamp: int, cx: Context) -> bytes:
    """Lay out the story (a list, or an iterator that makes it as it goes)
    and return the PDF bytes; same input, same bytes."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=meta.title, author=meta.author, subject=meta.subject,
        keywords=meta.keywords, creator=f"quizgen {__version__}", invariant=1, lang=meta.language,
    )
    footer = _footer(meta, cx)
    # Binary streams: ASCII85 makes files a quarter larger and, without the C
    # accelerator, costs a fifth of the build time. Restored after, so other
    # reportlab users in the process see the setting they chose.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(_Feed(story), onFirstPage=footer, onLaterPages=footer, canvasmaker=_canvas_class(timestamp, cx.fonts))
    finally:
        rl_config.useA85 = a85
    return buf.getvalue()
