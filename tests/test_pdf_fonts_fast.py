"""The embedded fonts' shortcuts (quizgen/render/pdf/fonts.py) give what
reportlab's TTFont gives: text encoded into subset codes as a document's
subsets fill up (_encode_known_fast), and widths (_remember_widths)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont

from quizgen.render.pdf.fonts import bank_fonts


def test_every_text_encodes_as_reportlab_encodes_it(tmp_path):
    fonts = bank_fonts(str(tmp_path), ())
    for name in dict.fromkeys(fonts.regular + fonts.bold):
        font = pdfmetrics.getFont(name)
        assert "splitString" in font.__dict__  # the fast path is installed
        chars = sorted(c for c in font.face.charToGlyph if 32 <= c < 0x3000)
        rng = random.Random(name)
        # common text first, then enough new characters to open later subsets,
        # then text mixing known codes of every subset; nbsp, unknown and empty too
        texts = ["Hello, world", "Hello\u00a0world", "", "world, Hello", "\ufffe\u0001 a"]
        for _ in range(60):
            texts.append("".join(chr(rng.choice(chars)) for _ in range(rng.randint(1, 12))))
            texts.append(rng.choice(texts))
        ours, theirs = PDFDocument(), PDFDocument()
        for text in texts:
            assert font.splitString(text, ours) == TTFont.splitString(font, text, theirs), (name, text)
        assert font.state[ours].assignments == font.state[theirs].assignments
        assert len(font.state[ours].subsets) > 1


def test_widths_are_reportlabs_and_the_memory_is_bounded(tmp_path, monkeypatch):
    from quizgen.render.pdf import fonts as pdf_fonts

    fonts = bank_fonts(str(tmp_path), ())
    font = pdfmetrics.getFont(fonts.base)
    remembered = font.__dict__["stringWidth"]
    for text in ("Hello", "Hello", "", "Здесь 東京", "a\u00a0b"):
        for size in (8.5, 10.5, 10.5, 12):
            assert pdfmetrics.stringWidth(text, fonts.base, size) == TTFont.stringWidth(font, text, size)
    assert font.stringWidth(b"Hello", 10) == TTFont.stringWidth(font, b"Hello", 10)
    assert ("Hello", 10.5) in remembered.widths
    monkeypatch.setattr(pdf_fonts, "_WIDTHS_KEPT", 3)
    for i in range(10):
        font.stringWidth(f"word{i}", 9)
    assert len(remembered.widths) <= 3


@given(st.text())
def test_markup_escapes_as_xml_sax_saxutils_does(text):
    from xml.sax.saxutils import escape as theirs

    from quizgen.render.pdf.fonts import escape

    assert escape(text) == theirs(text)
