"""Embedded fonts and safe Paragraph markup.

Two families, both TrueType with glyf outlines so reportlab embeds them as
/FontFile2 subsets and every PDF carries its own glyphs:

* PT Sans (ParaType, OFL) for Latin and Cyrillic, regular/bold/italic, from the
  ``fontpkg-pt-sans`` pip dependency;
* BIZ UDPGothic (Morisawa, OFL) for Japanese, one weight, shipped in
  ``quizgen/fonts`` as a subset to JIS X 0208 (see quizgen/fonts/README.md).

A Japanese font draws Latin and Cyrillic at full width, so text is cut into
runs and each run gets the first font that has all of its glyphs. A character
no font has raises ``MissingGlyph`` instead of printing an empty box.
"""

from __future__ import annotations

import functools
from pathlib import Path
from xml.sax.saxutils import escape

SANS = "QuizgenSans"
SANS_BOLD = "QuizgenSans-Bold"
SANS_ITALIC = "QuizgenSans-Italic"
SANS_BOLD_ITALIC = "QuizgenSans-BoldItalic"
JAPANESE = "QuizgenJapanese"

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
JAPANESE_FILE = "BIZUDPGothic-Regular-JIS0208.ttf"

# Characters that belong to whichever run they sit in: they never force a
# font switch, and every font has them.
_NEUTRAL = frozenset(" \u00a0\t\n")


class MissingGlyph(ValueError):
    """No embedded font can draw this character."""

    def __init__(self, char: str, text: str):
        self.char = char
        self.text = text
        super().__init__(f"no embedded font has a glyph for {char!r} (U+{ord(char):04X}); "
                         f"found in: {text[:80]!r}. The Japanese font covers JIS X 0208 only "
                         f"(see quizgen/fonts/README.md)")


@functools.cache
def register() -> None:
    """Register the fonts with reportlab once per process."""
    import fontpkg
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    faces = {
        SANS: fontpkg.path("PT Sans", 400, "normal"),
        SANS_BOLD: fontpkg.path("PT Sans", 700, "normal"),
        SANS_ITALIC: fontpkg.path("PT Sans", 400, "italic"),
        SANS_BOLD_ITALIC: fontpkg.path("PT Sans", 700, "italic"),
        JAPANESE: FONT_DIR / JAPANESE_FILE,
    }
    for name, path in faces.items():
        font = TTFont(name, str(path))
        _share_subsets(font.face)
        pdfmetrics.registerFont(font)
    for bold, italic, name in ((0, 0, SANS), (1, 0, SANS_BOLD), (0, 1, SANS_ITALIC), (1, 1, SANS_BOLD_ITALIC)):
        addMapping(SANS, bold, italic, name)
        # One Japanese weight: <b> and <i> around a Japanese run keep it Japanese.
        addMapping(JAPANESE, bold, italic, JAPANESE)


# Typographic characters given their subset codes before a document draws
# anything: a font subset then depends on which characters a document uses, not
# on the order it first uses them, and the variants of a set share subsets.
_COMMON = "·“”‘’–—…•→"
_SUBSET_CACHE_SIZE = 64


def prime(doc) -> None:
    """Assign the common characters their codes in a new PDF document."""
    from reportlab.pdfbase import pdfmetrics

    for name in (SANS, SANS_BOLD):
        pdfmetrics.getFont(name).splitString(_COMMON, doc)


def _share_subsets(face) -> None:
    """Make the font reuse the compressed bytes of a subset it has embedded
    before. A subset is a pure function of its character list, and making and
    compressing it is a quarter of the time a worksheet takes; 500 variants of
    a set embed the same few subsets over and over.

    This replaces TTFontFace.addSubsetObjects (reportlab 4 and 5) for this one
    face: the same objects, with the font stream compressed once per process."""
    import zlib

    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC

    packed: dict[tuple[int, ...], tuple[bytes, int]] = {}

    def add_subset_objects(doc, fontname, subset):
        key = tuple(subset)
        if key not in packed:
            if len(packed) >= _SUBSET_CACHE_SIZE:
                packed.pop(next(iter(packed)))
            raw = face.makeSubset(subset)
            packed[key] = (zlib.compress(raw), len(raw))
        data, length = packed[key]
        stream = pdfdoc.PDFStream(content=data)
        stream.dictionary["Length1"] = length
        if doc.compression:
            stream.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")  # already applied: do not apply again
        else:
            stream.content = zlib.decompress(data)
        ref = doc.Reference(stream, f"fontFile:{face.filename}({fontname})")
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": ref,
            "MissingWidth": face.defaultWidth,
        })
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)

    face.addSubsetObjects = add_subset_objects


@functools.cache
def _coverage(font_name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    register()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


@functools.cache
def _sans_coverage() -> frozenset[int]:
    # Bold and italic PT Sans cover the same characters as the regular face;
    # checking against all of them keeps that an assumption we test, not trust.
    return _coverage(SANS) & _coverage(SANS_BOLD) & _coverage(SANS_ITALIC)


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font name, text) runs; the sans font wherever it can."""
    sans, japanese = _sans_coverage(), _coverage(JAPANESE)
    result: list[tuple[str, str]] = []
    font, start = SANS, 0
    for i, ch in enumerate(text):
        if ch in _NEUTRAL:
            continue
        code = ord(ch)
        if code in sans:
            wanted = SANS
        elif code in japanese:
            wanted = JAPANESE
        else:
            raise MissingGlyph(ch, text)
        if wanted != font:
            if i > start:
                result.append((font, text[start:i]))
            font, start = wanted, i
    if len(text) > start:
        result.append((font, text[start:]))
    return result


def markup(text: str) -> str:
    """Text from YAML as Paragraph markup: escaped, with Japanese runs wrapped
    in their font. ``a < b & c`` and ``<font size=30>`` print literally."""
    if text.isascii():  # the common case, and every ASCII glyph is in PT Sans
        return escape(text)
    parts = []
    for font, chunk in runs(text):
        if font == JAPANESE:
            parts.append(f'<font name="{JAPANESE}">{escape(chunk)}</font>')
        else:
            parts.append(escape(chunk))
    return "".join(parts)


def check(text: str) -> None:
    """Raise MissingGlyph now rather than while drawing."""
    if not text.isascii():
        runs(text)


def string_width(text: str, size: float, font: str = SANS) -> float:
    """Width of plain text as drawn run by run (for the timeline and footers)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register()
    if text.isascii():
        return stringWidth(text, font, size)
    return sum(stringWidth(chunk, JAPANESE if run_font == JAPANESE else font, size)
               for run_font, chunk in runs(text))
