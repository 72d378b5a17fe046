"""The font chain and the validate-time glyph check (quizgen/bank/glyphs.py),
and PDFs of a bank on disk in other scripts and another language, read back
with pypdf."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from quizgen.bank.glyphs import font_chain
from quizgen.bank.load import load_bank
from quizgen.cli import cli
from quizgen.render import RenderOptions
from quizgen.render.pdf import render

# Our own text, written for these tests: every quote below is verbatim from it.
ARTICLE = (
    "Presses and Moulds\n\n"
    "Julius Caesar was killed in 44 BC, long before any book was printed. "
    "Around 1440 Johannes Gutenberg built a press with movable type. "
    "The β-lactam ring of penicillin, marked Ω in one lab notebook, was described after 1945. "
    "Russian reports called it пенициллин; Japanese ones wrote ペニシリン and 抗生物質.\n"
)

QUESTIONS = """
questions:
  - id: ring
    type: mcq
    topic: chemistry
    tags: []
    difficulty: easy
    prompt: Which ring of penicillin was marked Ω in one notebook?
    options: [β-lactam, α-helix, benzene]
    answer: β-lactam
    explanation: The article names the β-lactam ring.
    citations:
      - source: presses
        quote: The β-lactam ring of penicillin, marked Ω in one lab notebook, was described after 1945.
  - id: russian
    type: true_false
    topic: chemistry
    tags: []
    difficulty: easy
    prompt: Russian reports called it пенициллин.
    answer: true
    explanation: The article gives the Russian word пенициллин.
    citations:
      - source: presses
        quote: Russian reports called it пенициллин
  - id: japanese
    type: short_answer
    topic: chemistry
    tags: []
    difficulty: easy
    prompt: How did Japanese reports write penicillin in katakana?
    answer: ペニシリン
    explanation: The article gives ペニシリン and 抗生物質.
    citations:
      - source: presses
        quote: Japanese ones wrote ペニシリン and 抗生物質.
  - id: press
    type: mcq
    topic: printing
    tags: []
    difficulty: easy
    prompt: Around which year did Gutenberg build his press?
    options: ["1440", "1540", "1340"]
    answer: "1440"
    explanation: The article says around 1440.
    citations:
      - source: presses
        quote: Around 1440 Johannes Gutenberg built a press with movable type.
  - id: caesar
    type: short_answer
    topic: printing
    tags: []
    difficulty: easy
    prompt: In which year was Caesar killed?
    answer: 44 BC
    explanation: Long before printing.
    citations:
      - source: presses
        quote: Julius Caesar was killed in 44 BC, long before any book was printed.
"""

HIEROGLYPH = "\U00013000"  # EGYPTIAN HIEROGLYPH A001: in none of the built-in fonts


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def make_bank(root: Path, config: str = "", questions: str = QUESTIONS, article: str = ARTICLE) -> Path:
    """A bank of the article: bank.yaml (title plus ``config``), the article
    in sources/, the questions, and one set with the timeline."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "presses.txt").write_text(article, encoding="utf-8")
    sha = hashlib.sha256(article.encode()).hexdigest()
    write(root / "bank.yaml", "title: Presses and Moulds\nid_namespace: presses-tests\n" + textwrap.dedent(config))
    write(root / "sources.yaml", f"""
        sources:
          - id: presses
            file: presses.txt
            sha256: {sha}
            outlet: The Test Journal
            headline: Presses and Moulds
            published: "2026-11-30"
        """)
    write(root / "curated" / "all.yaml", questions)
    write(root / "sets" / "review.yaml", """
        set:
          name: review
          title: Review of presses and moulds
          instructions: Answer from the article.
          order: topic
          timeline: true
        """)
    return root


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def base_fonts(path: Path) -> set[str]:
    """BaseFont names of every font the pages use, subset tags removed."""
    names = set()
    for page in pypdf.PdfReader(path).pages:
        for ref in (page["/Resources"].get_object().get("/Font") or {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def png(path: Path, out: Path, page: int = 1) -> Path:
    """Page ``page`` as a PNG at 60 dpi (for looking at by hand; the test
    only asks poppler to draw it without complaint)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    stem = out / f"{path.stem}-p{page}"
    done = subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                           str(path), str(stem)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr, done.stderr
    return stem.with_suffix(".png")


# -- the chain ----------------------------------------------------------------------

def test_built_in_chain_order_and_styles():
    chain = font_chain(Path("."))
    assert [f.name for f in chain.families] == ["PT Sans", "Noto Sans", "BIZ UDPGothic"]
    pt, noto, cjk = chain.families
    assert len({pt.regular, pt.bold, pt.italic, pt.bold_italic}) == 4
    # Noto Sans ships as variable fonts: one file per slant, drawn at its default (regular) weight.
    assert noto.bold == noto.regular and noto.bold_italic == noto.italic != noto.regular
    assert cjk.regular == cjk.bold == cjk.italic
    assert chain.family_of(ord("β")) == 1 and chain.family_of(ord("Ж")) == 0
    assert chain.family_of(ord("ペ")) == 2 and chain.family_of(ord("a")) == 0
    assert chain.missing(f"β Ω Жук 抗生物質 {HIEROGLYPH} \U0001F600 {HIEROGLYPH}") == [HIEROGLYPH, "\U0001F600"]


def test_validation_and_drawing_use_the_same_glyphs():
    """glyphs.py reads cmaps itself; reportlab, which draws, must agree on
    every file of the chain."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFile

    from quizgen.bank.glyphs import read_cmap
    from quizgen.render.pdf.fonts import fonts_for

    chain = font_chain(Path("."))
    for family in chain.families:
        for path in {family.regular, family.bold, family.italic, family.bold_italic}:
            drawn = {code for code, glyph in TTFontFile(path).charToGlyph.items() if glyph}
            assert read_cmap(Path(path).read_bytes()) == drawn, path
    fonts = fonts_for(chain)
    for family, regular, bold in zip(chain.families, fonts.regular, fonts.bold):
        for name in (regular, bold):
            assert family.coverage <= set(pdfmetrics.getFont(name).face.charToGlyph), name


def test_validate_reads_the_built_in_fonts_without_reportlab(tmp_path):
    root = make_bank(tmp_path / "bank")
    code = ("import sys; from pathlib import Path; from quizgen.bank.load import load_bank\n"
            "bank, diagnostics = load_bank(Path(sys.argv[1]))\n"
            "print(bank is not None, 'reportlab' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


# -- validate -------------------------------------------------------------------------

def test_a_character_no_font_has_is_a_validate_error(tmp_path, monkeypatch):
    bad = QUESTIONS.replace("How did Japanese reports write penicillin in katakana?",
                            f"Which sign is {HIEROGLYPH}?")
    make_bank(tmp_path / "bank", questions=bad)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "bank"])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "U+13000" in line] == [(
        "bank/curated/all.yaml:25:5: error: prompt: expected characters the PDF fonts have glyphs for, "
        f"found '{HIEROGLYPH}' (U+13000 EGYPTIAN HIEROGLYPH A001) in question 'japanese'; no font of the chain "
        "has it (PT Sans, Noto Sans, BIZ UDPGothic): add a TrueType font that has it under 'fonts:' in "
        "bank.yaml (a path relative to the bank; tried before the built-in fonts)")]


def test_glyphs_of_every_printed_part_are_checked(tmp_path):
    emoji = "\U0001F600"
    root = make_bank(tmp_path / "bank", config=f"""
        labels:
          answer_key: "Key {emoji}"
        topics:
          - {{id: chemistry, name: "Chemistry {emoji}"}}
          - {{id: printing, name: Printing}}
        """, questions=QUESTIONS.replace("marked Ω in one lab notebook, was described after 1945.",
                                         "marked Ω in one lab notebook, was described after 1945.\n"
                                         f"        # {emoji} in a comment is never printed")
                              .replace("options: [β-lactam, α-helix, benzene]", f"options: [β-lactam, α-helix, {emoji}]"))
    write(root / "sets" / "odd.yaml", f"""
        set:
          name: odd
          title: "Odd {emoji}"
        """)
    bank, diagnostics = load_bank(root)
    assert bank is None
    found = sorted((d.path, d.loc.file.rsplit("/", 1)[-1]) for d in diagnostics if "U+1F600" in d.message)
    assert found == [("labels.answer_key", "bank.yaml"), ("name", "bank.yaml"), ("options[2]", "all.yaml"),
                     ("set.title", "odd.yaml")]


def test_a_font_the_renderer_cannot_read_is_reported_where_bank_yaml_lists_it(tmp_path):
    root = make_bank(tmp_path / "bank", config="fonts:\n  - fonts/broken.ttf\n")
    (root / "fonts").mkdir()
    (root / "fonts" / "broken.ttf").write_bytes(b"not a font at all")
    bank, diagnostics = load_bank(root)
    assert bank is None
    (d,) = [d for d in diagnostics if d.is_error]
    assert (d.loc.line, d.loc.col, d.path) == (4, 5, "fonts[0]")
    assert d.message.startswith("expected a TrueType font with glyf outlines and a Unicode cmap, found a file")


# -- PDFs of a bank on disk ----------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    root = make_bank(tmp_path_factory.mktemp("scripts") / "bank")
    bank, diagnostics = load_bank(root)
    assert bank is not None, [str(d) for d in diagnostics]
    out = tmp_path_factory.mktemp("scripts-out")
    return {p.name: p for p in render(bank, out, RenderOptions(timestamp=1_700_000_000))}


def test_greek_cyrillic_and_japanese_come_back_out(built):
    for name in ("review.pdf", "review-key.pdf"):
        text = text_of(built[name])
        for word in ("β-lactam", "Ω", "пенициллин"):
            assert word in text, (name, word)
    assert "α-helix" in text_of(built["review.pdf"])
    key = text_of(built["review-key.pdf"])
    for word in ("ペニシリン", "抗生物質"):
        assert word in key
    fonts = base_fonts(built["review-key.pdf"])
    assert {"PTSans-Regular", "PTSans-Bold", "NotoSans-Regular", "BIZUDPGothic-Regular"} <= fonts, fonts


def test_timeline_reads_bc_years_and_spans_centuries(built):
    key = " ".join(text_of(built["review-key.pdf"]).split())
    for text in ("44 BC …Caesar was killed in 44 BC, long before any book…", "1440 Around 1440 Johannes Gutenberg",
                 "1945 …notebook, was described after 1945.", "2026-11-30"):
        assert text in key, text
    # the axis: a lone BC year, a break, then round years
    assert "44 BC 1500 1600 1700 1800 1900 2000" in key
    sheet = text_of(built["review.pdf"])
    assert "Timeline. For each numbered mark" in sheet and "Gutenberg built" not in sheet


def test_a_bank_font_is_tried_first(tmp_path):
    import fontpkg

    root = make_bank(tmp_path / "bank", config="fonts:\n  - fonts/Slanted.ttf\n")
    (root / "fonts").mkdir()
    shutil.copy(fontpkg.path("Noto Sans", 400, "italic"), root / "fonts" / "Slanted.ttf")
    bank, diagnostics = load_bank(root)
    assert bank is not None, [str(d) for d in diagnostics]
    chain = font_chain(root, bank.config.fonts)
    assert [f.name for f in chain.families] == ["Noto Sans", "PT Sans", "Noto Sans", "BIZ UDPGothic"]
    assert chain.families[0].key.startswith("QuizgenBank-")
    out = tmp_path / "out"
    render(bank, out, RenderOptions())
    fonts = base_fonts(out / "review-key.pdf")
    # Latin, Greek and Cyrillic all come from the bank's font; only the
    # Japanese it lacks falls through to the CJK font.
    assert fonts == {"NotoSans-Italic", "BIZUDPGothic-Regular"}, fonts
    assert "β-lactam" in text_of(out / "review-key.pdf")
    # Named for the file's contents, not its path: another checkout, the same bytes.
    other = make_bank(tmp_path / "elsewhere", config="fonts:\n  - fonts/Slanted.ttf\n")
    shutil.copytree(root / "fonts", other / "fonts")
    render(load_bank(other)[0], tmp_path / "out2", RenderOptions())
    assert (tmp_path / "out2" / "review-key.pdf").read_bytes() == (out / "review-key.pdf").read_bytes()


GERMAN = """
language: de
author: Frau Beispiel
labels:
  name: Name
  class: Klasse
  date: Datum
  worksheet: Arbeitsblatt
  answer_key: Lösungen
  page: Seite
  page_of: von
  true: Wahr
  false: Falsch
  sources: Quellen
  source: Quelle
  explanation: Warum
  timeline: Zeitleiste
  timeline_task: "Zeitleiste: Schreibe zu jeder Marke das Datum und was geschah."
  timeline_key: "Zeitleiste der Ereignisse, die die Artikel datieren."
  code: Code
  bc: v. Chr.
topics:
  - {id: printing, name: Buchdruck}
  - {id: chemistry, name: Chemie}
"""


def test_labels_topics_and_metadata_come_from_the_config(tmp_path):
    # This bank's copy of the article prints the German era, and so do its quotes.
    root = make_bank(tmp_path / "bank", config=GERMAN, questions=QUESTIONS.replace("44 BC", "44 v. Chr."),
                     article=ARTICLE.replace("44 BC", "44 v. Chr."))
    bank, diagnostics = load_bank(root)
    assert bank is not None, [str(d) for d in diagnostics]
    out = tmp_path / "out"
    render(bank, out, RenderOptions())
    sheet, key = text_of(out / "review.pdf"), text_of(out / "review-key.pdf")
    for word in ("Name", "Klasse", "Datum", "Arbeitsblatt", "Seite 1 von", "Wahr", "Falsch", "Buchdruck", "Chemie"):
        assert word in sheet, word
    for word in ("Lösungen", "Quellen", "Quelle:", "Warum:", "Wahr", "44 v. Chr."):
        assert word in key, word
    for english in ("Answer key", "Page ", "True", "False", "Sources", "Why:", "Class"):
        assert english not in sheet + key, english
    # topic order from bank.yaml: printing first, although chemistry comes first in the file
    assert sheet.index("Buchdruck") < sheet.index("Chemie")
    reader = pypdf.PdfReader(out / "review.pdf")
    assert reader.metadata.title == "Review of presses and moulds — Presses and Moulds"
    assert reader.metadata.author == "Frau Beispiel"
    assert reader.trailer["/Root"]["/Lang"] == "de"


def test_pages_render_as_images(built, tmp_path):
    """Pages to look at by hand: poppler draws them without complaint."""
    for name in ("review.pdf", "review-key.pdf"):
        assert png(built[name], tmp_path).stat().st_size > 1000


def test_help_still_imports_no_font_code():
    code = ("import sys; from quizgen.cli import main; sys.argv=['quizgen','--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', [m for m in ('reportlab', 'fontpkg', 'quizgen.bank.glyphs') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("HEAVY []")


def test_a_bank_font_for_one_script_leaves_the_base_font_to_one_with_ascii():
    """A first font without Latin (here: Noto Sans Italic told it has only
    Greek) draws the Greek; the styles' font is the first with all of ASCII."""
    import dataclasses

    from quizgen.bank.glyphs import Chain
    from quizgen.render.pdf.fonts import Fonts

    built_in = font_chain(Path("."))
    noto = built_in.families[1]
    greek = dataclasses.replace(noto, key="QuizgenTestGreek", regular=noto.italic, bold=noto.italic,
                                coverage=frozenset(range(0x370, 0x400)))
    fonts = Fonts(Chain((greek, *built_in.families)))
    assert fonts.base == "QuizgenSans" and fonts.base_index == 1
    assert fonts.markup("β-lactam & 2") == '<font name="QuizgenTestGreek">β</font>-lactam &amp; 2'
    assert fonts.plain("lactam") and not fonts.plain("β")
