"""Which characters a bank's PDFs can print, checked when the bank is
validated rather than when a worksheet is drawn.

The PDFs draw every character with the first font of a chain that has a
glyph for it: the bank's own fonts (``fonts:`` in bank.yaml, in their order),
then PT Sans, then Noto Sans (both pip dependencies, through fontpkg), then
the CJK subset shipped in quizgen/fonts. Coverage comes from each font's cmap
table. A character that no font of the chain has is an error at the place of
the question (or source, set or config entry) that prints it.

The PDF renderer builds its fonts from ``font_chain`` too, so validation and
drawing agree on every character. Heavy imports (reportlab's font parser,
fontpkg) happen inside the functions: ``quizgen --help`` never loads them.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from quizgen.errors import Diagnostic, Loc
from quizgen.model import BankConfig, Question, QuestionSet, Source

CONFIG_FILE = "bank.yaml"
CJK_FILE = Path(__file__).resolve().parents[1] / "fonts" / "BIZUDPGothic-Regular-JIS0208.ttf"

# Characters that belong to whichever run they sit in: they never switch
# fonts and need no glyph check (every font has a space; tab and newline are
# not drawn).
NEUTRAL = frozenset(" \u00a0\t\n")

STYLES = ("regular", "bold", "italic", "bold_italic")


@dataclass(frozen=True, slots=True)
class Family:
    """One font family of the chain: a file per style, the regular file where
    the family has no such style."""

    name: str  # as the font's name table gives it, e.g. "PT Sans"
    key: str  # the name the PDF renderer registers its regular face under
    regular: str
    bold: str
    italic: str
    bold_italic: str
    # Which chars both faces quizgen draws with (regular and bold) have: a
    # run of text must print the same whichever of the two it is set in.
    coverage: frozenset[int]

    def face(self, style: str) -> str:
        return getattr(self, style)


@dataclass(frozen=True)
class Chain:
    families: tuple[Family, ...]
    problems: tuple[tuple[int, str], ...] = ()  # (index in `fonts:`, why the font cannot be used)
    # Printable ASCII needs no check when every char from space to tilde is
    # in some family: str.isascii() is free, a loop over the text is not.
    ascii_ok: bool = field(init=False, compare=False)
    # Characters found printable so far: a text whose characters are all
    # known is settled by one set difference (C speed) instead of a lookup
    # per character (1 s of validate for 100,000 questions with accents).
    _printable: set[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "ascii_ok", all(self.family_of(c) is not None for c in range(0x20, 0x7F)))
        object.__setattr__(self, "_printable", set(NEUTRAL))

    @property
    def names(self) -> str:
        return ", ".join(dict.fromkeys(f.name for f in self.families))

    def family_of(self, code: int) -> int | None:
        """Index of the first family with a glyph for the code point."""
        for i, family in enumerate(self.families):
            if code in family.coverage:
                return i
        return None

    def missing(self, text: str) -> list[str]:
        """Characters of the text no family has, each once, in text order."""
        if self.ascii_ok and text.isascii():
            return []
        unknown = set(text) - self._printable
        if not unknown:
            return []
        out = []
        for ch in dict.fromkeys(text):  # in text order
            if ch in unknown:
                if self.family_of(ord(ch)) is None:
                    out.append(ch)
                else:
                    self._printable.add(ch)
        return out


# -- the chain -------------------------------------------------------------------

def font_chain(root: str | Path, files: tuple[str, ...] = ()) -> Chain:
    """The fonts a bank at ``root`` prints with, its own ``files`` first.
    Cached per process: parsing the cmaps costs some 50 ms."""
    return _chain(str(Path(root).resolve()), tuple(files))


@functools.cache
def _chain(root: str, files: tuple[str, ...]) -> Chain:
    families: list[Family] = []
    problems: list[tuple[int, str]] = []
    families.extend(_bank_families(Path(root), files, problems))
    families.extend(_builtin_families())
    return Chain(tuple(families), tuple(problems))


@functools.cache
def _builtin_families() -> tuple[Family, ...]:
    from quizgen.bank.fontmemo import remembered

    return remembered(_find_builtin_families)


def _find_builtin_families() -> tuple[Family, ...]:
    import fontpkg

    def styled(family: str, weight: int, style: str) -> str | None:
        try:
            return str(fontpkg.path(family, weight, style))
        except fontpkg.FontpkgError:
            return None

    out = []
    for family, key in (("PT Sans", "QuizgenSans"), ("Noto Sans", "QuizgenNotoSans")):
        regular = styled(family, 400, "normal")
        if regular is None:
            continue  # not installed: quizgen's own dependency list names both
        # A variable font answers every weight with one file whose outlines
        # are its default instance (regular): then the family has no bold.
        bold = styled(family, 700, "normal")
        italic = styled(family, 400, "italic") or regular
        bold_italic = styled(family, 700, "italic")
        bold = regular if bold in (None, regular) else bold
        bold_italic = italic if bold_italic in (None, italic) or bold == regular else bold_italic
        out.append(_family(family, key, regular, bold, italic, bold_italic))
    out.append(_family("BIZ UDPGothic", "QuizgenCJK", str(CJK_FILE), str(CJK_FILE), str(CJK_FILE), str(CJK_FILE)))
    return tuple(out)


def _bank_families(root: Path, files: tuple[str, ...], problems: list[tuple[int, str]]) -> Iterator[Family]:
    """The bank's files grouped into families by their name tables, in the
    order each family is first listed. A second file of a style a family
    already has becomes a family of its own, tried after the first."""
    groups: list[tuple[str, dict[str, str]]] = []
    for i, rel in enumerate(files):
        path = str(root / rel)
        try:
            face = _face(path)
        except Exception as e:  # reportlab raises bare errors for fonts it cannot read
            problems.append((i, f"expected a TrueType font with glyf outlines and a Unicode cmap, "
                                f"found a file the PDF renderer cannot read ({e})"))
            continue
        family, style = face
        for name, styles in groups:
            if name == family and style not in styles:
                styles[style] = path
                break
        else:
            groups.append((family, {style: path}))
    for family, styles in groups:
        regular = styles.get("regular") or next(iter(styles.values()))
        bold = styles.get("bold", regular)
        italic = styles.get("italic", regular)
        bold_italic = styles.get("bold_italic", bold if "bold" in styles else italic)
        digest = hashlib.sha256()
        for p in (regular, bold, italic, bold_italic):
            digest.update(_file_hash(p).encode())
        # Named for the files' contents: the same fonts give the same PDF
        # bytes wherever the bank is checked out.
        yield _family(family, f"QuizgenBank-{digest.hexdigest()[:10]}", regular, bold, italic, bold_italic)


@functools.cache
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.cache
def _face(path: str) -> tuple[str, str]:
    """(family name, style) of a font file, from its name and OS/2 tables."""
    from reportlab.pdfbase.ttfonts import FF_FORCEBOLD, FF_ITALIC

    font = _parsed(path)
    family = bytes(font.familyName).decode("latin-1", "replace")
    bold, italic = bool(font.flags & FF_FORCEBOLD), bool(font.flags & FF_ITALIC)
    style = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}
    return family, style[bold, italic]


@functools.cache
def _parsed(path: str):
    from reportlab.pdfbase.ttfonts import TTFontFile

    font = TTFontFile(path)
    if not font.charToGlyph:
        raise ValueError("it maps no Unicode character to a glyph")
    return font


@functools.cache
def coverage(path: str) -> frozenset[int]:
    """The code points a font file's cmap maps to a glyph (not to .notdef)."""
    codes = read_cmap(Path(path).read_bytes())
    if codes is None:  # a cmap format this reader leaves to reportlab's
        codes = frozenset(code for code, glyph in _parsed(path).charToGlyph.items() if glyph)
    return codes


def read_cmap(data: bytes) -> frozenset[int] | None:
    """The mapped code points of a TrueType file's cmap, read with struct
    alone: validation then never imports reportlab for the built-in fonts
    (that import and reportlab's parse cost a tenth of a second). The
    subtable is the one reportlab's TTFontFile draws with: the last of those
    it accepts. None for a collection or a format other than 4 and 12."""
    import struct

    if data[:4] == b"ttcf":
        return None
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack_from(">I", data, 20 + 16 * i)[0]
              for i in range(struct.unpack_from(">H", data, 4)[0])}
    if b"cmap" not in tables:
        return None
    base = tables[b"cmap"]
    chosen, unicode_seen = None, False
    for i in range(struct.unpack_from(">H", data, base + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, unicode_seen = offset, True
        elif platform == 1 and encoding == 0 and not unicode_seen:
            chosen = offset
    if chosen is None:
        return None
    at = base + chosen
    fmt = struct.unpack_from(">H", data, at)[0]
    codes: set[int] = set()
    if fmt == 4:
        length, _, seg2 = struct.unpack_from(">HHH", data, at + 2)
        n = seg2 // 2
        ends = struct.unpack_from(f">{n}H", data, at + 14)
        starts = struct.unpack_from(f">{n}H", data, at + 16 + seg2)
        deltas = struct.unpack_from(f">{n}h", data, at + 16 + 2 * seg2)
        range_at = at + 16 + 3 * seg2
        ranges = struct.unpack_from(f">{n}H", data, range_at)
        limit = at + length
        for k in range(n):
            first, last, delta, offset = starts[k], ends[k], deltas[k], ranges[k]
            if offset == 0:
                zero = -delta & 0xFFFF  # the one code that would land on glyph 0
                codes.update(c for c in range(first, last + 1) if c != zero)
                continue
            for c in range(first, last + 1):
                where = range_at + 2 * k + offset + 2 * (c - first)
                if where < limit and struct.unpack_from(">H", data, where)[0]:
                    codes.add(c)
    elif fmt == 12:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        for g in range(groups):
            first, last, glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
            codes.update(range(first + (glyph == 0), last + 1))
    else:
        return None
    return frozenset(codes)


def _family(name: str, key: str, regular: str, bold: str, italic: str, bold_italic: str) -> Family:
    return Family(name, key, regular, bold, italic, bold_italic, coverage(regular) & coverage(bold))


# -- the check ---------------------------------------------------------------------

def check_glyphs(root: str | Path, config: BankConfig | None, sources: Iterable[Source],
                 questions: Iterable[Question], sets: Iterable[QuestionSet],
                 chars: str | None = None) -> list[Diagnostic]:
    """Every printed character that no font of the bank's chain has, at the
    place that prints it; and every font of ``fonts:`` that cannot be used.
    ``chars``, when given, holds every character printed_chars() finds in
    ``questions`` (gathered file by file, with each file's records)."""
    if config is None:  # the config has errors of its own; its fonts are unknown
        return []
    chain = font_chain(root, config.fonts)
    diagnostics = [Diagnostic(_font_loc(Path(root), config, i), message, path=f"fonts[{i}]")
                   for i, message in chain.problems]
    found: list[tuple[Loc, str, str, str]] = []  # loc, path, what, text
    for key in sorted(config.labels):
        found.append((config.loc, f"labels.{key}", "the label", config.label(key)))
    found.append((config.loc, "title", "the bank title", config.title))
    for t in config.topics:
        found.append((t.loc, "name", f"the name of topic '{t.id}'", t.name))
    for s in sets:
        found += [(s.loc, "set.title", f"set '{s.name}'", s.title),
                  (s.loc, "set.instructions", f"set '{s.name}'", s.instructions)]
    for s in sources:
        for attr in ("id", "file", "outlet", "headline", "inferred_reason"):  # the key's source list prints all
            found.append((s.loc, attr, f"source '{s.id}'", getattr(s, attr) or ""))
    fonts = chain.names
    for loc, path, what, text in found:
        for ch in chain.missing(text):
            diagnostics.append(Diagnostic(loc, missing_message(ch, what, fonts), path=path))
    return diagnostics + question_glyphs(chain, questions, chars)


def question_glyphs(chain: Chain, questions: Iterable[Question], chars: str | None = None) -> list[Diagnostic]:
    """check_glyphs of the questions alone (for a file's questions at a time:
    validate keeps no bank). ``chars`` as check_glyphs takes it."""
    diagnostics: list[Diagnostic] = []
    if chars is not None and not chain.missing(chars):
        # no question prints a character outside these, and all of them
        # print: the question by question look below would find nothing
        return diagnostics
    fonts = chain.names
    ascii_ok = chain.ascii_ok
    for q in questions:
        # Most questions are plain ASCII, or use only characters already
        # found printable ("→" in every matching key): one check of all their
        # printed text at once settles them; only a question with a character
        # not seen before is checked text by text, for the place of each.
        texts = printed_texts(q)
        if ascii_ok:
            if "".join(texts).isascii():
                continue
            # printable ASCII is settled: only the texts with other characters need a look
            texts = tuple(t for t in texts if not t.isascii())
        if not chain.missing("".join(texts)):
            continue
        for path, text in printed(q):
            for ch in chain.missing(text):
                diagnostics.append(Diagnostic(q.loc, missing_message(ch, f"question '{q.id}'", fonts), path=path))
    return diagnostics


def printed_chars(questions: Iterable[Question]) -> str:
    """Every character printed() yields for these questions, each once (sorted)."""
    texts: list[str] = []
    for q in questions:
        texts += printed_texts(q)
    return "".join(sorted(set("".join(texts))))  # one set of one string: a C loop over every character


def printed_texts(q: Question) -> tuple[str, ...]:
    """The texts of printed(), without their key paths (a pair's sides joined):
    for a look at a question's characters, where the place does not matter."""
    return (q.prompt, q.answer, q.explanation, *q.options, *q.accept, *q.items, *q.spares,
            *(a + b for a, b in q.pairs), *(c.quote for c in q.citations))


def printed(q: Question) -> Iterator[tuple[str, str]]:
    """(key path, text) of everything a worksheet or key prints of a question."""
    yield "prompt", q.prompt
    yield "answer", q.answer
    yield "explanation", q.explanation
    for name in ("options", "accept", "items", "spares"):
        for i, text in enumerate(getattr(q, name)):
            yield f"{name}[{i}]", text
    for i, (left, right) in enumerate(q.pairs):
        yield f"pairs[{i}]", left
        yield f"pairs[{i}]", right
    for i, c in enumerate(q.citations):
        yield f"citations[{i}].quote", c.quote


def missing_message(ch: str, what: str, fonts: str) -> str:
    name = unicodedata.name(ch, "unnamed character")
    return (f"expected characters the PDF fonts have glyphs for, found {ch!r} (U+{ord(ch):04X} {name}) "
            f"in {what}; no font of the chain has it ({fonts}): add a TrueType font that has it "
            f"under 'fonts:' in {CONFIG_FILE} (a path relative to the bank; tried before the built-in fonts)")


def _font_loc(root: Path, config: BankConfig, index: int) -> Loc:
    """Where bank.yaml lists its index-th font (read again: the config keeps
    no place per font, and this is the rare path of a font that fails)."""
    from yaml.nodes import MappingNode, SequenceNode

    from quizgen.bank.marks import load_yaml, loc_of

    shown = config.loc.file or CONFIG_FILE
    node, _ = load_yaml(root / CONFIG_FILE, shown)
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "fonts" and isinstance(value, SequenceNode) and index < len(value.value):
                return loc_of(value.value[index], shown)
    return config.loc
