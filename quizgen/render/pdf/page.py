"""What worksheets and keys share: page layout, styles, the footer with
"Page X of Y", metadata, reproducible output, and a few small flowables."""

from __future__ import annotations

import functools
import io
import time
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from quizgen import __version__
from quizgen.render.pdf import fonts as pdf_fonts
from quizgen.render.pdf.fonts import SANS, SANS_BOLD

PAGE_SIZE = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
GREY = colors.Color(0.38, 0.38, 0.38)
RULE = colors.Color(0.55, 0.55, 0.55)

BODY = 10.5
NUMBER_INDENT = 22  # room for "12." in front of a prompt
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


@functools.cache
def styles() -> Styles:
    """One set of style objects per process: cached paragraphs are keyed on them."""
    pdf_fonts.register()
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
    )


# -- flowables ----------------------------------------------------------------

class Block(Flowable):
    """A question kept on one page, like KeepTogether, but wrapped once per
    width: KeepTogether lays its paragraphs out twice, which costs time on a
    thousand-question sheet. A block taller than a whole page splits into its
    parts rather than failing."""

    def __init__(self, flowables: list[Flowable], space_after: float = 10):
        super().__init__()
        self.parts = flowables
        self.spaceAfter = space_after
        self._wrapped_for: float | None = None
        self._layout: list[tuple[Flowable, float, float]] = []  # (part, y of its bottom, height)

    def wrap(self, avail_width, avail_height):
        if self._wrapped_for != avail_width:
            heights = []
            for i, part in enumerate(self.parts):
                _, h = part.wrap(avail_width, 0x7FFFFFFF)
                before = part.getSpaceBefore() if i else 0
                after = part.getSpaceAfter() if i < len(self.parts) - 1 else 0
                heights.append((part, before, h, after))
            total = sum(b + h + a for _, b, h, a in heights)
            y = total
            self._layout = []
            for part, before, h, after in heights:
                y -= before + h
                self._layout.append((part, y, h))
                y -= after
            self.width, self.height, self._wrapped_for = avail_width, total, avail_width
        return self.width, self.height

    def split(self, avail_width, avail_height):
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", 0):
            return list(self.parts)  # taller than a page: let its parts flow
        return []

    def draw(self):
        for part, y, _ in self._layout:
            part.drawOn(self.canv, 0, y)


class Bookmark(Flowable):
    """An outline entry that points at the place where it is drawn."""

    _ZEROSIZE = True

    def __init__(self, key: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        self.canv.bookmarkHorizontal(self.key, 0, 14)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)


class Para(Paragraph):
    """A paragraph that keeps its layout: laid out again at the same width it
    returns the size it found before. With the constructors below, variants
    share the paragraphs they have in common (explanations, quotes, options),
    so 500 variants lay each out once."""

    _laid_out_for: float | None = None

    def wrap(self, avail_width, avail_height):
        # Paragraph.split drops blPara when it gives up on a page; lay out again then.
        if self._laid_out_for != avail_width or not hasattr(self, "blPara"):
            self._size = super().wrap(avail_width, avail_height)
            self._laid_out_for = avail_width
        return self._size


class BoxedParagraph(Para):
    """A paragraph with an empty box in front of its first line: a tick box for
    an option, or a box to write a letter or number in."""

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None,
                 box_x: float = NUMBER_INDENT, box: float = BOX, **paragraph_args):
        # Paragraph.split builds both halves as self.__class__(None, style,
        # bulletText=..., frags=...): accept its keywords too.
        if "bulletText" in paragraph_args:
            bullet = paragraph_args.pop("bulletText")
        super().__init__(text, style, bulletText=bullet, **paragraph_args)
        self.box_x, self.box = box_x, box

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        for i, part in enumerate(parts):  # the box belongs in front of the first line only
            part.box_x, part.box = self.box_x, self.box if i == 0 else 0
        return parts

    def draw(self):
        if not self.box:
            return super().draw()
        canv = self.canv
        baseline = self.height - self.style.fontSize * 0.95
        middle = baseline + self.style.fontSize * 0.33  # half the cap height: boxes centre on the letters
        canv.saveState()
        canv.setLineWidth(0.7)
        canv.setStrokeColor(colors.black)
        canv.rect(self.box_x, middle - self.box / 2, self.box, self.box, stroke=1, fill=0)
        canv.restoreState()
        super().draw()


@functools.lru_cache(maxsize=8192)
def para(text: str, style: ParagraphStyle, bullet: str | None = None) -> Para:
    return Para(text, style, bulletText=bullet)


@functools.lru_cache(maxsize=8192)
def boxed(text: str, style: ParagraphStyle, bullet: str | None = None, box_x: float = NUMBER_INDENT,
          box: float = BOX) -> BoxedParagraph:
    return BoxedParagraph(text, style, bullet, box_x, box)


class TrueFalseRow(Flowable):
    """Two tick boxes on one line: True and False."""

    def __init__(self, labels: tuple[str, ...] = ("True", "False")):
        super().__init__()
        self.labels = labels

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, BODY * 1.45
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.setLineWidth(0.7)
        x = NUMBER_INDENT
        for label in self.labels:
            canv.rect(x, 2.4, BOX, BOX, stroke=1, fill=0)
            canv.setFont(SANS, BODY)
            canv.drawString(x + BOX + 5, 4, label)
            x += BOX + 5 + pdf_fonts.string_width(label, BODY) + 30


class WriteLines(Flowable):
    """Ruled lines to write an answer on."""

    def __init__(self, lines: int = 2, indent: float = NUMBER_INDENT, gap: float = 20):
        super().__init__()
        self.lines, self.indent, self.gap = lines, indent, gap

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.lines * self.gap + 2
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.setLineWidth(0.5)
        canv.setStrokeColor(RULE)
        for i in range(self.lines):
            y = 2 + i * self.gap
            canv.line(self.indent, y, self.width, y)


class NameLines(Flowable):
    """Name / Class / Date, each with a line to write on."""

    FIELDS = (("Name", 0.52), ("Class", 0.22), ("Date", 0.26))

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, 26
        return self.width, self.height

    def draw(self):
        canv = self.canv
        x = 0.0
        for label, share in self.FIELDS:
            span = self.width * share
            canv.setFont(SANS_BOLD, BODY)
            canv.drawString(x, 8, label)
            start = x + pdf_fonts.string_width(label, BODY, SANS_BOLD) + 5
            canv.setLineWidth(0.6)
            canv.line(start, 6, x + span - 14, 6)
            x += span


# -- the document ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    subject: str
    footer: str  # left of the footer; "Page X of Y" goes right
    author: str = "quizgen"
    keywords: str = ""


def variant_meta(title: str, variant, kind: str) -> Meta:
    """Metadata of one variant's PDF; ``kind`` is "worksheet" or "answer key"."""
    which = f" (variant {variant.letter})" if variant.letter else ""
    of = f", variant {variant.letter} of {variant.count}" if variant.letter else ""
    return Meta(
        title=title + ("" if kind == "worksheet" else f": {kind}") + which,
        subject=f"{kind.capitalize()} for question set {variant.set_name}{of}",
        footer=f"{variant.code} · {kind}",
        keywords=f"quizgen, {kind}, {variant.set_name}",
    )


_PAGE_COUNT_FORM = "quizgenPageCount"
_FOOTER_SIZE = 8


def _canvas_class(timestamp: int):
    class QuizgenCanvas(Canvas):
        """Embedded font from the first operator on (the default Helvetica
        would be an unembedded font), a creation date from the build's
        timestamp, and the page count drawn once at the end into a form that
        every footer already refers to: "Page X of Y" in a single pass."""

        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = kwargs.get("initialFontName") or SANS
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _timestamp(timestamp)
            pdf_fonts.prime(self._doc)
            self.setCreator(f"quizgen {__version__}")
            self.setProducer(f"quizgen {__version__} (ReportLab)")

        def save(self):
            total = self.getPageNumber() - (0 if self._code else 1)
            self.beginForm(_PAGE_COUNT_FORM, lowerx=0, lowery=-4, upperx=60, uppery=12)
            self.setFont(SANS, _FOOTER_SIZE)
            self.setFillColor(GREY)
            self.drawString(0, 0, str(total))
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


def _footer(meta: Meta):
    pdf_fonts.check(meta.footer)

    def draw(canv: Canvas, doc) -> None:
        canv.saveState()
        canv.setFillColor(GREY)
        y = MARGIN * 0.55
        _draw_runs(canv, MARGIN, y, meta.footer, _FOOTER_SIZE)
        canv.setFont(SANS, _FOOTER_SIZE)
        x = PAGE_SIZE[0] - MARGIN - 12  # the count is at most a few digits wide
        canv.drawRightString(x, y, f"Page {canv.getPageNumber()} of ")
        canv.translate(x, y)
        canv.doForm(_PAGE_COUNT_FORM)
        canv.restoreState()

    return draw


def _draw_runs(canv: Canvas, x: float, y: float, text: str, size: float, font: str = SANS) -> None:
    for run_font, chunk in pdf_fonts.runs(text):
        face = run_font if run_font == pdf_fonts.JAPANESE else font
        canv.setFont(face, size)
        canv.drawString(x, y, chunk)
        x += canv.stringWidth(chunk, face, size)


def build_pdf(story: list[Flowable], meta: Meta, timestamp: int) -> bytes:
    """Lay out the story and return the PDF bytes; same input, same bytes."""
    pdf_fonts.register()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=meta.title, author=meta.author, subject=meta.subject,
        keywords=meta.keywords, creator=f"quizgen {__version__}", invariant=1,
    )
    footer = _footer(meta)
    # Binary streams: ASCII85 makes files a quarter larger and, without the C
    # accelerator, costs a fifth of the build time. Restored after, so other
    # reportlab users in the process see the setting they chose.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=_canvas_class(timestamp))
    finally:
        rl_config.useA85 = a85
    return buf.getvalue()
