"""quizgen.render.pdf.linebreak: the lines of every paragraph it breaks are
reportlab's own, to the last attribute and float."""

from __future__ import annotations

import copy

import pytest

from reportlab.lib.abag import ABag
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from quizgen.render.pdf import linebreak
from quizgen.render.pdf.flowables import Para

from pdf_drivers import fresh_paragraph_caches, render_shipped_bank, render_synthetic


def dump(x):
    """Everything a broken paragraph holds, as plain comparable data (attribute order too)."""
    if isinstance(x, ABag):
        return type(x).__name__, [(k, dump(v)) for k, v in x.__dict__.items()]
    if isinstance(x, (list, tuple)):
        return type(x).__name__, [dump(v) for v in x]
    if isinstance(x, Color):
        return "Color", x.rgba()
    return x


def twin(para: Paragraph) -> Paragraph:
    """A copy to break: its own fragments (breaking changes them), the rest shared."""
    other = copy.copy(para)
    other.frags = copy.deepcopy(para.frags)
    return other


def both(para: Paragraph, width) -> tuple | None:
    """(ours, reportlab's): lines, frags and attributes after breaking a copy each; None when ours declines."""
    theirs = twin(para)
    widths_theirs = copy.deepcopy(width)
    lines = linebreak.break_lines(para, width)
    if lines is None:
        return None
    expected = Paragraph.breakLines(theirs, widths_theirs)

    def state(p, lines_, widths):
        return (dump(lines_), dump(p.frags), p._width_max, p.height, p._splitLongWordCount, p._hyphenations,
                dump(widths))

    return state(para, lines, width), state(theirs, expected, widths_theirs)


@pytest.fixture
def checked(monkeypatch):
    """Every Para broken while the fixture is active, compared with reportlab."""
    seen = {"ours": 0, "theirs": 0}
    original = Para.breakLines

    def checking(self, width):
        pair = both(twin(self), copy.deepcopy(width))
        if pair is None:
            seen["theirs"] += 1
        else:
            seen["ours"] += 1
            assert pair[0] == pair[1], self.getPlainText()[:80]
        return original(self, width)

    monkeypatch.setattr(Para, "breakLines", checking)
    with fresh_paragraph_caches():
        yield seen


def test_the_shipped_banks_paragraphs_break_as_reportlab_breaks_them(checked):
    render_shipped_bank()
    assert checked["ours"] > 300


def test_synthetic_sheets_of_every_type_and_script_break_as_reportlab_breaks_them(checked):
    render_synthetic(120)
    assert checked["ours"] > 100


STYLE = ParagraphStyle("t", fontName="Helvetica", fontSize=9, leading=11, leftIndent=20, bulletIndent=0,
                       bulletFontName="Helvetica-Bold")


@pytest.mark.parametrize("text", [
    "<b>Why:</b> " + "a fairly long sentence with words " * 12,
    "<b>Why:</b>" + "no<i>space</i>between " * 30,  # words made of two fragments
    "<b>a</b> <font size='14'>big</font> and <font size='6'>small</font> " * 10,  # sizes change the line height
    "<b>x</b>" + " " * 5 + "spaces  inside   and at the end   ",
    "<b></b><i></i>",  # nothing to print
    "<u>under</u> <strike>struck</strike> <font color='red'>red</font> plain " * 8,
    "<b>Long:</b> " + "Supercalifragilistic" * 6,  # a word wider than the line: reportlab splits it
    "<b>Soft:</b> hy\xadphen\xadated " * 20,  # soft hyphens: reportlab's path
    "<b>Break:</b> one<br/>two",  # a line break: reportlab's path
])
@pytest.mark.parametrize("bullet", [None, "12."])
@pytest.mark.parametrize("width", [60, 150, 400])
def test_edge_cases_break_as_reportlab_breaks_them(text, bullet, width):
    para = Paragraph(text, STYLE, bulletText=bullet)
    pair = both(para, [width - 20, width - 20])
    if pair is not None:
        assert pair[0] == pair[1]


def test_declines_what_it_does_not_reproduce():
    assert linebreak.break_lines(Paragraph("plain text", STYLE), [100, 100]) is None  # one fragment: already fast
    assert linebreak.break_lines(Paragraph("<b>a</b> b<br/>c", STYLE), [100, 100]) is None
    long = Paragraph("<b>a</b> " + "x" * 80, STYLE)
    widths = [100, 100]
    assert linebreak.break_lines(long, widths) is None and widths == [100, 100]
    hyphenated = ParagraphStyle("h", parent=STYLE, embeddedHyphenation=1)
    assert linebreak.break_lines(Paragraph("<b>a</b> b", hyphenated), [100, 100]) is None
