"""Embedded fonts and safe Paragraph markup.

A bank prints with a chain of font families (quizgen/bank/glyphs.py): its own
fonts from bank.yaml, then PT Sans, Noto Sans and a CJK subset. All are
TrueType with glyf outlines, so reportlab embeds them as /FontFile2 subsets
and every PDF carries its own glyphs.

Text is cut into runs and each character is drawn by the first family that
has a glyph for it: a CJK font draws Latin at full width, and a later family
only fills the gaps of the ones before it. A character no family has raises
``MissingGlyph`` instead of printing an empty box; validation reports it
earlier, at the question that prints it.
"""

from __future__ import annotations

import functools
import unicodedata

from quizgen.bank.glyphs import NEUTRAL, Chain, missing_message


def escape(text: str) -> str:
    """xml.sax.saxutils.escape's three replacements: that module imports
    urllib.request (http, email, ssl: a sixth of a worker's warm-up) for this."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


_SUFFIX = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bold_italic": "-BoldItalic"}

# Typographic characters given their subset codes before a document draws
# anything: a font subset then depends on which characters a document uses, not
# on the order it first uses them, and the variants of a set share subsets.
_COMMON = "·“”‘’–—…•→"
_SUBSET_CACHE_SIZE = 64


class MissingGlyph(ValueError):
    """No embedded font can draw this character."""

    def __init__(self, char: str, text: str, fonts: str):
        self.char = char
        self.text = text
        super().__init__(missing_message(char, f"the text {text[:80]!r}", fonts))


class Fonts:
    """A chain registered with reportlab: the name of each family's regular
    and bold face, and text cut into runs by family."""

    def __init__(self, chain: Chain):
        self.chain = chain
        self.regular: tuple[str, ...] = tuple(_register(f) for f in chain.families)
        self.bold: tuple[str, ...] = tuple(_face_name(f, "bold") for f in chain.families)
        # The base family is the font of the styles, which text outside
        # <font> tags, bullets and numbers get: the first that has all of
        # printable ASCII (a bank's own font might be for one script only).
        ascii = range(0x20, 0x7F)
        self.base_index = next((i for i, f in enumerate(chain.families) if all(c in f.coverage for c in ascii)), 0)
        self.base, self.base_bold = self.regular[self.base_index], self.bold[self.base_index]
        self._ascii_in_base = all(chain.family_of(c) == self.base_index for c in ascii)
        self._family: dict[str, int] = {}  # char -> index of its family, filled as met

    def runs(self, text: str) -> list[tuple[int, str]]:
        """(family index, text) runs; each character in the first family that has it."""
        if self._ascii_in_base and text.isascii():  # the common case
            return [(self.base_index, text)]
        families = self.chain.families
        known = self._family
        result: list[tuple[int, str]] = []
        current, start = self.base_index, 0
        for i, ch in enumerate(text):
            if ch in NEUTRAL:
                continue
            wanted = known.get(ch)
            if wanted is None:
                wanted = self.chain.family_of(ord(ch))
                if wanted is None:
                    raise MissingGlyph(ch, text, self.chain.names)
                known[ch] = wanted
            if wanted != current:
                # An accent stays with its letter when the letter's font has
                # it: from another font it would sit in the wrong place.
                if i > start and unicodedata.combining(ch) and ord(ch) in families[current].coverage:
                    continue
                if i > start:
                    result.append((current, text[start:i]))
                current, start = wanted, i
        if len(text) > start:
            result.append((current, text[start:]))
        return result

    def markup(self, text: str, bold: bool = False) -> str:
        """Text from YAML as Paragraph markup: escaped, runs outside the first
        family wrapped in their font. ``a < b & c`` and ``<font size=30>``
        print literally. A <font> tag resets the weight, so text that sits in
        bold (inside <b> or in a bold style) names the bold faces."""
        if self._ascii_in_base and text.isascii():
            return escape(text)
        names = self.bold if bold else self.regular
        parts = []
        for family, chunk in self.runs(text):
            if family != self.base_index:
                parts.append(f'<font name="{names[family]}">{escape(chunk)}</font>')
            else:
                parts.append(escape(chunk))
        return "".join(parts)

    def check(self, text: str) -> None:
        """Raise MissingGlyph now rather than while drawing."""
        self.runs(text)

    def plain(self, text: str) -> bool:
        """True when the text needs no font but the base (a plain string will do)."""
        return all(family == self.base_index for family, _ in self.runs(text))

    def pieces(self, text: str, size: float, bold: bool = False) -> list[tuple[float, str, str]]:
        """(x offset, text, font name) of each run, for drawing on a canvas or
        into a Drawing."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        names = self.bold if bold else self.regular
        out, x = [], 0.0
        for family, chunk in self.runs(text):
            out.append((x, chunk, names[family]))
            x += stringWidth(chunk, names[family], size)
        return out

    def string_width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of plain text as drawn run by run."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        names = self.bold if bold else self.regular
        return sum(stringWidth(chunk, names[family], size) for family, chunk in self.runs(text))

    def draw(self, canv, x: float, y: float, text: str, size: float, bold: bool = False) -> float:
        """Draw plain text on a canvas, run by run; returns where it ends."""
        end = x
        for dx, chunk, name in self.pieces(text, size, bold):
            canv.setFont(name, size)
            canv.drawString(x + dx, y, chunk)
            end = x + dx + canv.stringWidth(chunk, name, size)
        return end

    def prime(self, doc) -> None:
        """Assign the common characters their codes in a new PDF document."""
        from reportlab.pdfbase import pdfmetrics

        common = "".join(ch for ch in _COMMON if self.chain.family_of(ord(ch)) == self.base_index)
        for name in dict.fromkeys((self.base, self.base_bold)):
            pdfmetrics.getFont(name).splitString(common, doc)


@functools.cache
def fonts_for(chain: Chain) -> Fonts:
    """One Fonts per chain and process: registering parses the files."""
    return Fonts(chain)


def bank_fonts(root: str, files: tuple[str, ...]) -> Fonts:
    from quizgen.bank.glyphs import font_chain

    return fonts_for(font_chain(root, files))


def _face_name(family, style: str) -> str:
    """A style without a file of its own is drawn by the regular face."""
    path = family.face(style)
    if style != "regular" and path == family.regular:
        return family.key
    if style == "bold_italic" and path == family.bold:
        return family.key + _SUFFIX["bold"]
    if style == "bold_italic" and path == family.italic:
        return family.key + _SUFFIX["italic"]
    return family.key + _SUFFIX[style]


_registered: dict[str, str] = {}  # font name -> file: reportlab's registry is process-wide


def _register(family) -> str:
    """Register a family's faces and its bold/italic mapping once per process;
    returns the name of its regular face."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for style in _SUFFIX:
        name, path = _face_name(family, style), family.face(style)
        if name in _registered:
            continue
        font = TTFont(name, path)
        _share_subsets(font.face)
        _encode_known_fast(font)
        _remember_widths(font)
        pdfmetrics.registerFont(font)
        _registered[name] = path
    for (bold, italic), style in (((0, 0), "regular"), ((1, 0), "bold"), ((0, 1), "italic"),
                                  ((1, 1), "bold_italic")):
        addMapping(family.key, bold, italic, _face_name(family, style))
    return family.key


_WIDTHS_KEPT = 1 << 14  # widths of texts a font remembers: some 3 MB at most


def _remember_widths(font) -> None:
    """Remember the width of each text measured in this font. Line breaking
    measures every word, and a key measures the same few thousand words some
    17,000 times; a dict lookup is a fraction of reportlab's measuring."""
    measure = font.stringWidth
    widths: dict[tuple[str, float], float] = {}

    def string_width(text, size, encoding="utf8"):
        if type(text) is not str:  # bytes decode by ``encoding``: measure them
            return measure(text, size, encoding)
        key = (text, size)
        width = widths.get(key)
        if width is None:
            if len(widths) >= _WIDTHS_KEPT:
                widths.clear()
            width = widths[key] = measure(text, size, encoding)
        return width

    string_width.widths = widths  # for tests and benchmarks
    font.stringWidth = string_width


def _encode_known_fast(font) -> None:
    """Encode text whose characters all have their codes in the document's
    first subset without reportlab's loop over characters, a fifteenth of a
    key's time: after the first lines of a document that is nearly every text
    drawn. Anything else (a character met for the first time, a later subset)
    takes reportlab's own TTFont.splitString, which gives them their codes.
    The same list of (subset, bytes) either way."""
    split = font.splitString
    states = font.state

    def split_string(text, doc, encoding="utf-8"):
        state = states.get(doc)
        if state is not None and type(text) is str:
            try:  # bytes() refuses a code of a later subset (256 and up)
                codes = bytes(map(state.assignments.__getitem__, map(ord, text.replace("\xa0", " "))))
            except (KeyError, ValueError):
                return split(text, doc, encoding)
            return [(0, codes)] if codes else []
        return split(text, doc, encoding)

    font.splitString = split_string


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
