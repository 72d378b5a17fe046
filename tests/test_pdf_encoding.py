"""fonts._encode_known_fast: the embedded fonts encode text into subset codes
exactly as reportlab's TTFont.splitString does, as a document's fonts fill up."""

from __future__ import annotations

import random

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
