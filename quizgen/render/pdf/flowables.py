"""The small flowables worksheets and keys are made of: a question kept on
one page, outline entries, paragraphs laid out once and shared by variants,
tick boxes, lines to write on, and the Name / Class / Date line."""

from __future__ import annotations

import functools
import weakref

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from quizgen.render.pdf.fonts import Fonts
from quizgen.render.pdf.linebreak import break_lines
from quizgen.render.pdf.parsecache import parse
from quizgen.render.pdf.page import BODY, BOX, NUMBER_INDENT, RULE, Context


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

    def _setup(self, text, style, bulletText, frags, cleaner):
        # reportlab's fragments, from markup parsed once per shape (parsecache.py)
        if frags is None and text is not None:
            text = cleaner(text)
            frags = parse(text, style, self.caseSensitive)
            if frags is not None:
                self.text, self.frags, self.style, self.bulletText, self.debug = text, frags, style, bulletText, 0
                return
            cleaner = _cleaned_already
        super()._setup(text, style, bulletText, frags, cleaner)

    def breakLines(self, width):
        # reportlab's lines, made cheaper for a paragraph of several fragments (linebreak.py)
        lines = break_lines(self, width)
        return super().breakLines(width) if lines is None else lines

    def wrap(self, avail_width, avail_height):
        # Paragraph.split drops blPara when it gives up on a page; lay out again then.
        if self._laid_out_for != avail_width or not hasattr(self, "blPara"):
            self._size = super().wrap(avail_width, avail_height)
            self._laid_out_for = avail_width
        return self._size


def _cleaned_already(text: str) -> str:
    return text


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
            super().draw()
            return
        canv = self.canv
        baseline = self.height - self.style.fontSize * 0.95
        middle = baseline + self.style.fontSize * 0.33  # half the cap height: boxes centre on the letters
        canv.saveState()
        canv.setLineWidth(0.7)
        canv.setStrokeColor(colors.black)
        canv.rect(self.box_x, middle - self.box / 2, self.box, self.box, stroke=1, fill=0)
        canv.restoreState()
        super().draw()


class SharedPara(Para):
    """A paragraph object of its own on a layout shared with every other one
    of the same text and style. A frame marks the flowables it places (one
    that waited for the next page is taken for one that never fits), so
    paragraphs that flow in the frame themselves cannot be shared objects like
    ``para``'s; their line breaking, which is most of a key's time, can be.
    Built by Paragraph.split with Paragraph's arguments, it is a plain Para."""

    _template: Para | None = None

    def __init__(self, text=None, style=None, template: Para | None = None, **paragraph_args):
        if template is None:
            super().__init__(text, style, **paragraph_args)
            return
        self.__dict__.update(template.__dict__)
        self._template = template

    def wrap(self, avail_width, avail_height):
        template = self._template
        if template is None:
            return super().wrap(avail_width, avail_height)
        if self._laid_out_for != avail_width or not hasattr(self, "blPara"):
            size = template.wrap(avail_width, avail_height)
            if not hasattr(template, "blPara"):  # no room at all: nothing to share
                return size
            self.blPara, self._wrapWidths = template.blPara, template._wrapWidths
            self.width, self.height = template.width, template.height
            self._size, self._laid_out_for = size, avail_width
        return self._size

    def split(self, avail_width, avail_height):
        if self._template is not None:
            # Lines of its own first: Paragraph.split changes the word objects
            # of the line it cuts, which would change the shared layout.
            self._template = None
            self._size = Paragraph.wrap(self, avail_width, avail_height)
            self._laid_out_for = avail_width
        return super().split(avail_width, avail_height)


class SharedLayouts:
    """Like functools.lru_cache, but it holds a value for good only once its
    key has been asked for a second time; until then it only remembers the
    value while something else keeps it alive (a weak reference). Variants ask
    for the same paragraphs over and over and share one object, as with
    lru_cache; a sheet of thousands of questions asks for most of its
    paragraphs once, and holding those laid out (every word and line) after
    they are drawn would double its memory, and the garbage collector's
    work, for nothing."""

    def __init__(self, make, maxsize: int = 8192):
        self.make, self.maxsize = make, maxsize
        self._kept: dict[tuple, object] = {}  # insertion order is recency order
        self._alive: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # asked for once, still in use
        functools.update_wrapper(self, make)

    def __call__(self, *args, **kwargs):
        key = (args, tuple(kwargs.items())) if kwargs else args
        kept = self._kept
        value = kept.pop(key, None)
        if value is None:
            value = self._alive.pop(key, None)
            if value is None:
                value = self.make(*args, **kwargs)
                self._alive[key] = value
                return value
            if len(kept) >= self.maxsize:
                del kept[next(iter(kept))]
        kept[key] = value  # most recent last
        return value

    def cache_clear(self) -> None:
        self._kept.clear()
        self._alive.clear()


@SharedLayouts
def _template(text: str, style: ParagraphStyle) -> Para:
    return Para(text, style)


def flowing(text: str, style: ParagraphStyle) -> SharedPara:
    """A paragraph to place in the frame itself (see SharedPara)."""
    return SharedPara(template=_template(text, style))


@SharedLayouts
def para(text: str, style: ParagraphStyle, bullet: str | None = None) -> Para:
    return Para(text, style, bulletText=bullet)


@SharedLayouts
def boxed(text: str, style: ParagraphStyle, bullet: str | None = None, box_x: float = NUMBER_INDENT,
          box: float = BOX) -> BoxedParagraph:
    return BoxedParagraph(text, style, bullet, box_x, box)


class TrueFalseRow(Flowable):
    """Two tick boxes on one line: True and False, in the bank's words."""

    def __init__(self, labels: tuple[str, ...], fonts: Fonts):
        super().__init__()
        self.labels, self.fonts = labels, fonts

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, BODY * 1.45
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.setLineWidth(0.7)
        x = NUMBER_INDENT
        for label in self.labels:
            canv.rect(x, 2.4, BOX, BOX, stroke=1, fill=0)
            end = self.fonts.draw(canv, x + BOX + 5, 4, label, BODY)
            x = end + 30


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

    SHARES = (("name", 0.52), ("class", 0.22), ("date", 0.26))

    def __init__(self, cx: Context, name: str = ""):
        super().__init__()
        self.fields = tuple((cx.label(key), share) for key, share in self.SHARES)
        self.fonts = cx.fonts
        self.name = name  # printed on the line of a per-student copy

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, 26
        return self.width, self.height

    def draw(self):
        canv = self.canv
        x = 0.0
        for label, share in self.fields:
            span = self.width * share
            start = self.fonts.draw(canv, x, 8, label, BODY, bold=True) + 5
            canv.setLineWidth(0.6)
            canv.line(start, 6, x + span - 14, 6)
            if self.name and x == 0:
                self.fonts.draw(canv, start + 4, 8.5, self.name, BODY + 1)
            x += span


class ScoreBox(Flowable):
    """A box at the right margin to write the score in: "Score ___ / 21"."""

    WIDTH, HEIGHT = 150.0, 30.0

    def __init__(self, cx: Context, total: int):
        super().__init__()
        self.label, self.total, self.fonts = cx.label("score"), total, cx.fonts

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.HEIGHT + 4
        return self.width, self.height

    def draw(self):
        canv = self.canv
        x = self.width - self.WIDTH
        canv.setLineWidth(1.2)
        canv.rect(x, 2, self.WIDTH, self.HEIGHT, stroke=1, fill=0)
        self.fonts.draw(canv, x + 7, 2 + self.HEIGHT - 12, self.label, 9, bold=True)
        out_of = f"/ {self.total}"
        size = 14
        self.fonts.draw(canv, x + self.WIDTH - 8 - self.fonts.string_width(out_of, size), 9, out_of, size, bold=True)
