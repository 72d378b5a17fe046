"""quizgen.render.pdf.parsecache: the fragments of a paragraph parsed by its
shape are those reportlab's own parser makes, attribute for attribute."""

from __future__ import annotations

import pytest

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from quizgen.render.pdf import flowables, parsecache
from quizgen.render.pdf.flowables import Para

from pdf_drivers import fresh_paragraph_caches, render_shipped_bank, render_synthetic
from test_pdf_linebreak import dump


def reportlab_frags(cleaned: str, style, case_sensitive: int = 1):
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    return parser.parse(cleaned, style)[1]


@pytest.fixture
def checked(monkeypatch):
    """Every paragraph parsed by shape while the fixture is active, compared with reportlab."""
    seen = {"shape": 0, "reportlab": 0}
    original = parsecache.parse

    def checking(text, style, case_sensitive):
        frags = original(text, style, case_sensitive)
        if frags is None:
            seen["reportlab"] += 1
        else:
            seen["shape"] += 1
            assert dump(frags) == dump(reportlab_frags(text, style, case_sensitive)), text[:80]
        return frags

    monkeypatch.setattr(flowables, "parse", checking)
    with fresh_paragraph_caches():
        yield seen


def test_the_shipped_banks_paragraphs_parse_as_reportlab_parses_them(checked):
    render_shipped_bank()
    assert checked["shape"] > 300


def test_synthetic_sheets_of_every_type_and_script_parse_as_reportlab_parses_them(checked):
    render_synthetic(120)
    assert checked["shape"] > 100


STYLE = ParagraphStyle("t", fontName="Helvetica", fontSize=9, leading=11)


@pytest.mark.parametrize("text", [
    "plain text", "", " ", "<b>Why:</b> because", "<b>Why:</b> other words, same shape",
    "<b></b> empty bold", "a<b> b </b>c<i>d</i><u>e</u><strike>f</strike>",
    '<font name="Helvetica-Bold" size="12" color="#606060">big</font> and <b><i>both</i></b>',
    "<font size='8.5' color='#606060'>(2\u00a0points)</font>", "<para>inside para</para>",
    "<b>nested <i>deeper <u>still</u></i></b> out",
])
def test_shapes_parse_as_reportlab_parses_them(text):
    cleaned = " ".join(text.split()) if text.strip() else text
    frags = parsecache.parse(cleaned, STYLE, 1)
    assert frags is not None and dump(frags) == dump(reportlab_frags(cleaned, STYLE))
    again = parsecache.parse(cleaned, STYLE, 1)  # from the remembered shape
    assert dump(again) == dump(frags) and all(a is not b for a, b in zip(again, frags))


@pytest.mark.parametrize("text", [
    "a &amp; b", "<br/>", "a<br/>b", "<greek>abc</greek>", "<seq/>", '<a href="x">link</a>',
    "<bullet>*</bullet>text", "<img src='x.png'/>", "<span color='red'>x</span>", '<para align="center">x</para>',
])
def test_other_markup_is_left_to_reportlab(text):
    assert parsecache.parse(text, STYLE, 1) is None


def test_a_paragraph_from_a_shape_draws_like_reportlabs():
    text = "<b>Why:</b> the same " + "words again " * 20
    ours, theirs = Para(text, STYLE), Paragraph(text, STYLE)
    assert ours.text == theirs.text and dump(ours.frags) == dump(theirs.frags)
    assert ours.wrap(200, 1000) == theirs.wrap(200, 1000)
