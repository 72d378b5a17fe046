"""The PDF renderer, checked by reading its output back: text with pypdf,
fonts from the PDF objects, pages through poppler when it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from quizgen.errors import QuizgenError
from quizgen.model import Bank, BankConfig, Citation, Question, QuestionSet, Source, Topic
from quizgen.render import RenderOptions, renderer
from quizgen.render.pdf import render as render_all, set_questions
from quizgen.render.pdf.grid import GRID_VARIANTS, grid_answer, grid_label, grid_rows
from quizgen.render.pdf.key import answer_text
from quizgen.render.pdf.page import context
from quizgen.select import letters, make_variants, select, selection

REAL_BANK = Path(__file__).parents[1] / "questions"

SOURCES = (
    Source("tass", "001.txt", "0" * 64, "TASS", "Tokyo, Moscow to continue close work on peace treaty",
           published="2017-03-20"),
    Source("undated", "002.txt", "0" * 64, None, "STILL AT WAR! Japan to Discuss Proposed Peace Treaty",
           inferred_date="2018-09", inferred_reason="Prints no date; the UN session began on Tuesday."),
    Source("ties", "003.txt", "0" * 64, "Sputnik International", "Japan Intends to Foster Ties With Russia",
           inferred_date="2016-09/2016-12", inferred_reason="60 years after 1956."),
)

# Explanations and quotes carry markers that must never reach a worksheet.
QUESTIONS = (
    Question("decl-year", "mcq", "declaration-1956",
             "In what year did the two countries sign the declaration? Note: a < b & c <font size=30>",
             "1956", "EXPLAIN-decl-year: TASS dates it.",
             (Citation("tass", "QUOTE-decl In 1956, Russia and Japan inked a declaration"),),
             options=("1956", "1945", "1960", "2016")),
    Question("iturup-names", "true_false", "islands",
             "Iturup is called Итуруп in Russian and 択捉島 in Japanese.", "True",
             "EXPLAIN-iturup: the names.", (Citation("undated", "QUOTE-iturup Iturup, Kunashir, Shikotan"),),
             options=("True", "False")),
    Question("gift-cloze", "cloze", "declaration-1956",
             "The Soviet Union offered to give [[Shikotanium]] and [[Habomaiium]] to Japan.",
             "Shikotanium; Habomaiium", "EXPLAIN-gift: a goodwill gesture.",
             (Citation("tass", "QUOTE-gift a goodwill gesture in the declaration"),)),
    Question("who-is-who", "matching", "actors", "Match each person to their post.", "",
             "EXPLAIN-match: posts in 2018.", (Citation("undated", "QUOTE-match Taro Kono plans to negotiate"),),
             pairs=(("Taro Kono", "Japan's foreign minister"), ("Sergei Lavrov", "Russia's foreign minister"),
                    ("Shinzo Abe", "Japan's prime minister"), ("Vladimir Putin", "Russia's president"))),
    Question("events-order", "ordering", "dates", "Put these events in order, earliest first.", "",
             "EXPLAIN-order: by date.", (Citation("ties", "QUOTE-order which had been postponed from 2014"),),
             items=("The Joint Declaration", "The visit is postponed", "The Nagato talks", "The 2+2 meeting")),
    Question("proposal-city", "short_answer", "meetings", "In which city did Putin make his proposal?",
             "Vladivostokium", "EXPLAIN-city: the forum.",
             (Citation("undated", "QUOTE-city took place in the Russian city"),), accept=("at the EEF",)),
    Question("kunashir-jp", "mcq", "islands", "Which island is 国後島 (Кунашир)?", "Kunashir",
             "EXPLAIN-kunashir: names.", (Citation("undated", "QUOTE-kunashir Iturup, Kunashir"),),
             options=("Kunashir", "Iturup", "Shikotan", "Habomai")),
)

SETS = (
    QuestionSet("review", "Review: Итуруп / 択捉島", instructions="Answer all; a < b & c stays literal.",
                order="topic", seed=5, timeline=True),
    QuestionSet("islands", "The islands", topics=("islands",), seed=2),
)

CONFIG = BankConfig(title="Fixture bank", author="A. Teacher", language="en-GB",
                    topics=(Topic("dates", "Dates"), Topic("actors", "Actors"),
                            Topic("declaration-1956", "The Joint Declaration"), Topic("islands", "Islands"),
                            Topic("meetings", "Meetings")))
BANK = Bank("fixture", SOURCES, QUESTIONS, SETS, config=CONFIG)
CX = context(BANK)
OPTIONS = RenderOptions(timestamp=1_700_000_000)


def render(*args, **kwargs) -> list[Path]:
    """The PDFs a render wrote (its manifests are tested in test_manifest.py)."""
    return [p for p in render_all(*args, **kwargs) if p.suffix == ".pdf"]


# Sheets print typographic quotes (render/pdf/typography.py, tested in
# test_typography.py); these tests compare the text with the bank's as typed.
STRAIGHT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def read_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages).translate(STRAIGHT)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("single")
    return {p.name: p for p in render(BANK, out, OPTIONS)}


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("three")
    options = RenderOptions(timestamp=1_700_000_000, variants=3, set_names=("review",))
    return {p.name: p for p in render(BANK, out, options)}


def test_file_names_say_set_variant_and_key(single, three):
    assert sorted(single) == ["islands-key.pdf", "islands.pdf", "review-key.pdf", "review.pdf"]
    assert sorted(three) == ["review-A-key.pdf", "review-A.pdf", "review-B-key.pdf", "review-B.pdf",
                             "review-C-key.pdf", "review-C.pdf", "review-grid-key.pdf"]


def test_registered_under_pdf():
    assert renderer("pdf") is render_all


def test_worksheet_prints_every_question_and_no_answer(single):
    text = flat(read_text(single["review.pdf"]))
    for q in QUESTIONS:
        if q.type == "cloze":
            for piece in ("The Soviet Union offered to give", "to Japan."):
                assert piece in text
        else:
            assert flat(q.prompt) in text, q.id
        for option in q.options:
            assert option in text
        for left, right in q.pairs:
            assert left in text and right in text
        for item in q.items:
            assert item in text
    assert "EXPLAIN-" not in text
    assert "QUOTE-" not in text
    for secret in ("Shikotanium", "Habomaiium", "Vladivostokium", "at the EEF", "Why:", "Source:"):
        assert secret not in text
    # nor in the outline, which a PDF viewer shows beside the sheet
    outline = str(pypdf.PdfReader(single["review.pdf"]).outline)
    assert "Shikotanium" not in outline and "EXPLAIN" not in outline


def test_worksheet_header_and_page_numbers(single):
    reader = pypdf.PdfReader(single["review.pdf"])
    text = read_text(single["review.pdf"])
    for field in ("Name", "Class", "Date"):
        assert re.search(rf"^{field}$", text, re.M)
    assert "Answer all; a < b & c stays literal." in text
    assert "code review/s5" in text
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert re.search(rf"Page {number} of\s*{total}\b", page.extract_text())


def test_yaml_text_is_escaped_not_interpreted(single):
    text = read_text(single["review.pdf"])
    assert "a < b & c <font size=30>" in text


def test_cyrillic_and_japanese_come_back_out(single):
    for name in ("review.pdf", "review-key.pdf"):
        text = read_text(single[name])
        for word in ("Итуруп", "択捉島", "国後島", "Кунашир"):
            assert word in text, (name, word)


def test_key_gives_answer_explanation_and_citation_for_every_question(single):
    text = read_text(single["review-key.pdf"])
    body = flat(text)
    qset = SETS[0]
    (variant,) = make_variants(set_questions(BANK, qset), qset, 1)
    positions = []
    for shown in variant.questions:
        q = shown.question
        match = re.search(rf"^{shown.number}\.\s*{re.escape(answer_text(shown, CX))}", text, re.M)
        assert match, (shown.number, answer_text(shown, CX))
        positions.append(match.start())
        assert flat(q.explanation) in body
        for c in q.citations:
            source = BANK.source(c.source)
            assert c.quote in body
            assert (source.outlet or "no outlet printed") in body and source.headline in body
            assert source.date_label in body
    assert positions == sorted(positions), "key entries out of worksheet order"
    assert "2018-09 (inferred)" in body
    assert "Sources" in text
    for s in SOURCES:
        assert s.file in body


def test_key_lists_accepted_answers_and_matching_pairs(single):
    body = flat(read_text(single["review-key.pdf"]))
    assert "also accepted: at the EEF" in body
    assert "Taro Kono → Japan's foreign minister" in body


def worksheet_choices(text: str, number: int) -> list[str]:
    """The lettered choices printed under question ``number``, top to bottom."""
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{number}. "))
    found = []
    for line in lines[start + 1:]:
        m = re.match(r"^([A-F]) (.+)$", line)
        if m:
            found.append((m.group(1), m.group(2)))
        elif found:
            break
    assert [letter for letter, _ in found] == [letters(i) for i in range(len(found))]
    return [choice for _, choice in found]


def matching_columns(text: str, number: int) -> tuple[list[str], dict[str, str]]:
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{number}. "))
    left, right = [], {}
    for line in lines[start + 1:]:
        if m := re.match(r"^(\d)\. (.+)$", line):
            left.append(m.group(2))
        elif m := re.match(r"^([A-F])\. (.+)$", line):
            right[m.group(1)] = m.group(2)
        elif left:
            break
    return left, right


def test_each_variant_key_matches_its_own_worksheet(three):
    """Read the answer off each printed worksheet, independently of select's
    bookkeeping, and check that the key of the same variant says the same."""
    seen_orders = set()
    for letter in "ABC":
        sheet = read_text(three[f"review-{letter}.pdf"])
        key = read_text(three[f"review-{letter}-key.pdf"])
        assert f"Variant {letter}" in sheet and f"Variant {letter}" in key
        numbers = {}
        for q in QUESTIONS:
            line = next(ln for ln in sheet.splitlines()
                        if re.match(r"^\d+\. ", ln.strip()) and flat(q.prompt)[:30] in ln)
            numbers[q.id] = int(line.strip().split(".")[0])
        seen_orders.add(tuple(sorted(numbers, key=numbers.get)))
        for q in QUESTIONS:
            n = numbers[q.id]
            if q.type == "mcq":
                printed = worksheet_choices(sheet, n)
                expected = f"{letters(printed.index(q.answer))}: {q.answer}"
                assert re.search(rf"^{n}\.\s*{re.escape(expected)}", key, re.M), (letter, q.id, expected)
            elif q.type == "ordering":
                printed = worksheet_choices(sheet, n)
                order = ", ".join(letters(printed.index(item)) for item in q.items)
                assert re.search(rf"^{n}\.\s*order {order}", key, re.M), (letter, q.id, order)
            elif q.type == "matching":
                left, right = matching_columns(sheet, n)
                partner = dict(q.pairs)
                pairs = ", ".join(f"{i}–{next(k for k, v in right.items() if v == partner[name])}"
                                  for i, name in enumerate(left, start=1))
                assert re.search(rf"^{n}\.\s*{re.escape(pairs)}", key, re.M), (letter, q.id, pairs)
    assert len(seen_orders) > 1, "the variants print their questions in one order"


def grid_row_text(row) -> str:
    """A grid row as pypdf reads it back (cell by cell): the label, then each
    variant's number and full answer."""
    named = next(x for x in row if x is not None)
    cells = [grid_label(named)] + [grid_answer(x, CX) if x is not None else "" for x in row]
    return flat(" ".join(cells))


def test_teacher_grid_lists_every_variants_answers_in_full(three):
    text = flat(read_text(three["review-grid-key.pdf"]))
    assert len(pypdf.PdfReader(three["review-grid-key.pdf"]).pages) == 1
    qset = SETS[0]
    variants = make_variants(set_questions(BANK, qset), qset, 3)
    assert "Question Variant A Variant B Variant C" in text
    for row in grid_rows(variants):
        assert grid_row_text(row) in text
    # every cell is what that variant's own key prints for the question
    for v in variants:
        key = flat(read_text(three[f"review-{v.letter}-key.pdf"]))
        for shown in v.questions:
            assert grid_answer(shown, CX) in key, (v.letter, shown.question.id)


def test_a_long_set_in_many_variants_pages_cleanly(tmp_path):
    long_answers = tuple(
        Question(f"q{i:02d}", "short_answer", "meetings", f"Long question number {i} about the treaty talks?",
                 f"An answer of many words, number {i}, that never fits a narrow grid cell on one line",
                 "EXPLAIN", (Citation("tass", "QUOTE"),)) for i in range(34))
    bank = Bank("fixture", SOURCES, long_answers + QUESTIONS, SETS, config=CONFIG)
    options = RenderOptions(timestamp=1, variants=10, set_names=("review",))
    paths = {p.name: p for p in render(bank, tmp_path, options)}
    reader = pypdf.PdfReader(paths["review-grid-key.pdf"])
    pages = [flat(page.extract_text()) for page in reader.pages]
    assert len(pages) > 3
    for page in pages:  # every page starts its table with the header row
        assert re.search(r"Question Variant [A-J]( Variant [A-J])*", page), page[:200]
    variants = make_variants(set_questions(bank, SETS[0]), SETS[0], 10)
    text = " ".join(pages)
    for start in range(0, 10, GRID_VARIANTS):
        for row in grid_rows(variants):
            assert grid_row_text(row[start:start + GRID_VARIANTS]) in text


def test_same_seed_same_bytes_and_timestamp_is_the_creation_date(tmp_path, single):
    again = render(BANK, tmp_path / "again", OPTIONS)
    for path in again:
        assert path.read_bytes() == single[path.name].read_bytes(), path.name
    later = render(BANK, tmp_path / "later", RenderOptions(timestamp=1_800_000_000, set_names=("islands",)))
    assert later[0].read_bytes() != single["islands.pdf"].read_bytes()
    info = pypdf.PdfReader(single["islands.pdf"]).metadata
    assert info["/CreationDate"].startswith("D:20231114")  # 1_700_000_000 is 2023-11-14 UTC


def test_metadata(single):
    reader = pypdf.PdfReader(single["review.pdf"])
    info = reader.metadata
    assert info.title == "Review: Итуруп / 択捉島 — Fixture bank"
    assert info.author == "A. Teacher"
    assert "Worksheet" in info.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    key = pypdf.PdfReader(single["review-key.pdf"]).metadata
    assert key.title == "Review: Итуруп / 択捉島: Answer key — Fixture bank" and "Answer key" in key.subject


def test_outline_has_an_entry_per_question(single):
    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    sheet = list(titles(pypdf.PdfReader(single["review.pdf"]).outline))
    for n in range(1, len(QUESTIONS) + 1):
        assert any(t.startswith(f"{n}. ") for t in sheet)
    assert "Actors" in sheet and "The Joint Declaration" in sheet and "Timeline" in sheet
    key = list(titles(pypdf.PdfReader(single["review-key.pdf"]).outline))
    assert "Sources" in key


def all_fonts(reader: pypdf.PdfReader):
    """Every font dictionary the pages and their form XObjects use."""
    seen = {}

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            seen[id(ref.get_object())] = ref.get_object()
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return list(seen.values())


def test_all_fonts_are_embedded_truetype(single, three):
    for path in [*single.values(), *three.values()]:
        fonts = all_fonts(pypdf.PdfReader(path))
        assert fonts, path.name
        for font in fonts:
            descriptors = [font.get("/FontDescriptor")]
            if font.get("/Subtype") == "/Type0":
                descriptors = [d.get_object().get("/FontDescriptor") for d in font["/DescendantFonts"]]
            for descriptor in descriptors:
                assert descriptor is not None, (path.name, font.get("/BaseFont"))
                assert "/FontFile2" in descriptor.get_object(), (path.name, font.get("/BaseFont"))
        names = {str(f.get("/BaseFont")) for f in fonts}
        assert not any("Helvetica" in n or "Times" in n for n in names), names


def test_questions_never_split_across_pages(tmp_path):
    many = tuple(Question(f"q{i}", "mcq", "dates", f"Long question number {i} " + "with words " * (i % 7 * 4),
                          "right", "why", (Citation("tass", "quote"),),
                          options=("right", f"wrong one {i}", f"wrong two {i}", f"wrong three {i}"))
                 for i in range(60))
    bank = Bank("many", SOURCES, many, (QuestionSet("many", "Many"),))
    (sheet, _) = render(bank, tmp_path, RenderOptions())
    pages = [page.extract_text() for page in pypdf.PdfReader(sheet).pages]
    assert len(pages) > 3
    for i in range(60):
        holding = [p for p in pages if re.search(rf"Long question number {i}\b", p)]
        assert len(holding) == 1
        for option in (f"wrong one {i}", f"wrong two {i}", f"wrong three {i}"):
            assert option in holding[0], (i, option)


def test_timeline_is_an_exercise_on_the_sheet_and_labelled_in_the_key(single):
    sheet = read_text(single["review.pdf"])
    key = flat(read_text(single["review-key.pdf"]))
    assert "Timeline. For each numbered mark" in sheet
    assert "2018-09*" in key and "In 1956, Russia and Japan inked" in key
    assert "2018-09*" not in sheet and "inked" not in sheet
    assert "Timeline" not in read_text(single["islands.pdf"])


def test_timeline_marks_are_numbered_alike_on_the_sheet_and_the_key(single):
    from quizgen.render.pdf import timeline as pdf_timeline

    qset = SETS[0]
    evts = pdf_timeline.events(set_questions(BANK, qset), BANK.sources)
    assert len(evts) >= 3
    sheet = flat(read_text(single["review.pdf"]).split("Timeline. For each numbered mark")[1])
    key = flat(read_text(single["review-key.pdf"]).split("Timeline of the events")[1])
    by_id = {s.id: s for s in SOURCES}
    # the sheet: the numbered marks, then a table with a row to write in per mark
    assert "# Date What happened Article " + " ".join(f"{n}." for n in range(1, len(evts) + 1)) in sheet
    for n, e in enumerate(evts, start=1):
        date = e.date_text + ("*" if e.inferred else "")
        assert f"{n}. {date}" in key  # the figure's label
        row = f"{n}. {date} {e.label if e.kind == 'quote' else 'the article is published'}"
        assert row in key, row  # the table's row: number, date, event, then the article
        headline = by_id[e.source_ids[0]].headline
        assert flat(key.split(row)[1])[:200].find(flat(headline)[:20]) >= 0
        assert flat(e.label)[:25] not in sheet and f"{n}. {date}" not in sheet  # no answer on the sheet


def test_a_character_no_font_has_fails_loudly(tmp_path):
    odd = Question("odd", "short_answer", "dates", "Which face is this? \U0001F642", "a smile", "why",
                   (Citation("tass", "quote"),))
    bank = Bank("odd", SOURCES, (odd,), (QuestionSet("odd", "Odd"),))
    with pytest.raises(QuizgenError, match="U\\+1F642 SLIGHTLY SMILING FACE") as info:
        render(bank, tmp_path, RenderOptions())
    assert info.value.diagnostics[0].path == "prompt"
    assert "question 'odd'" in info.value.diagnostics[0].message
    assert not list(tmp_path.iterdir()), "a failed build left files behind"


def test_unknown_set_and_empty_set_are_errors(tmp_path):
    with pytest.raises(QuizgenError, match="found 'nope'"):
        render(BANK, tmp_path, RenderOptions(set_names=("nope",)))
    empty = Bank("e", SOURCES, QUESTIONS, (QuestionSet("none", "None", topics=("no-such-topic",)),))
    with pytest.raises(QuizgenError, match="found none"):
        render(empty, tmp_path, RenderOptions())


def test_seed_option_overrides_the_sets_seed(tmp_path, three):
    other = render(BANK, tmp_path, RenderOptions(timestamp=1_700_000_000, variants=3, seed=99,
                                                 set_names=("review",)))
    assert any(p.read_bytes() != three[p.name].read_bytes() for p in other)
    assert "code review/A/s99" in read_text(tmp_path / "review-A.pdf")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_poppler_renders_every_page_without_complaint(single, tmp_path):
    for path in single.values():
        done = subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / path.stem)],
                              capture_output=True, text=True)
        assert done.returncode == 0 and not done.stderr, (path.name, done.stderr)
    assert len(list(tmp_path.glob("*.png"))) >= 4


def test_real_bank_end_to_end(tmp_path):
    from quizgen.bank.load import load_bank

    bank, diagnostics = load_bank(REAL_BANK)
    assert bank is not None, [str(d) for d in diagnostics]
    names = {s.name for s in bank.sets}
    assert {"key-dates", "whos-who", "declaration-1956", "islands", "full-review"} <= names
    paths = render(bank, tmp_path, RenderOptions(timestamp=0, warn=lambda d: None))
    assert len(paths) == 2 * len(bank.sets)
    assert len(list(tmp_path.glob("*.manifest.json"))) == len(bank.sets)
    full = next(s for s in bank.sets if s.name == "full-review")
    chosen = selection(bank.questions, full)
    # everything, but for the questions another's text would give away
    assert len(chosen.questions) + len(chosen.left_out) == len(bank.questions)
    assert {q.id for q in chosen.questions}.isdisjoint(leak.question.id for leak in chosen.left_out)
    for qset in bank.sets:
        sheet = flat(read_text(tmp_path / f"{qset.name}.pdf"))
        key = flat(read_text(tmp_path / f"{qset.name}-key.pdf"))
        chosen = set_questions(bank, qset)
        for q in chosen:
            visible = re.sub(r"\[\[.+?\]\]", " ", q.prompt)
            for piece in visible.split("  "):
                assert flat(piece).translate(STRAIGHT)[:40] in sheet, (qset.name, q.id)
            assert flat(q.explanation).translate(STRAIGHT) not in sheet, (qset.name, q.id)
            for c in q.citations:
                assert flat(c.quote).translate(STRAIGHT) in key, (qset.name, q.id)
                if len(c.quote) > 25 and c.quote not in q.prompt:
                    assert flat(c.quote).translate(STRAIGHT) not in sheet, (qset.name, q.id)
        assert "Page 1 of" in sheet and "Page 1 of" in key


def test_a_fresh_process_gives_the_same_bytes(tmp_path, single):
    """Caches (paragraph layouts, compressed font subsets) and hash
    randomisation must not reach the output: another process, another hash
    seed, the same files."""
    import os
    import sys

    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
        "import test_render_pdf as t; from quizgen.render.pdf import render;"
        "render(t.BANK, Path(sys.argv[1]), t.OPTIONS)"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", script, str(tmp_path), str(Path(__file__).parent)],
                   check=True, env=env)
    for name, path in single.items():
        assert (tmp_path / name).read_bytes() == path.read_bytes(), name


def test_timeline_events_say_only_what_the_quotes_and_sources_say():
    from quizgen.render.pdf.timeline import events

    extra = Question("nov", "mcq", "meetings", "When did they meet?", "November 14", "why",
                     (Citation("tass", "On November 14, Putin and Abe agreed"),), options=("November 14", "May 1"))
    found = events(QUESTIONS + (extra,), SOURCES)
    quotes = [c.quote for q in QUESTIONS for c in q.citations]
    by_year = {e.year: e for e in found if e.kind == "quote"}
    assert sorted(by_year) == [1956, 2014]
    for e in by_year.values():
        assert any(e.label.strip("…") in quote for quote in quotes), e.label
        assert not e.inferred
    articles = {e.source_ids[0]: e for e in found if e.kind == "article"}
    assert set(articles) == {"tass", "undated", "ties"}
    assert not articles["tass"].inferred and articles["tass"].date_text == "2017-03-20"
    assert articles["undated"].inferred and articles["ties"].inferred
    assert articles["ties"].date_text == "2016-09/2016-12" and articles["ties"].month == 10
    assert [e.position for e in found] == sorted(e.position for e in found)


@pytest.mark.parametrize("seed", range(30))
def test_timeline_labels_never_overlap_and_stems_never_cross_them(seed):
    import random

    from quizgen.render.pdf.timeline import _PAD, _Label, _lanes

    rng = random.Random(seed)
    labels = [_Label(n, rng.uniform(0, 420), rng.uniform(30, 150), "", ())
              for n in range(1, rng.randint(2, 12))]
    lanes = _lanes(labels)
    for a in labels:
        a_right = a.x + 3 + a.width
        for b in labels:
            if a is b:
                continue
            if lanes[a.number] == lanes[b.number]:
                assert b.x + 3 >= a_right + _PAD or a.x + 3 >= b.x + 3 + b.width + _PAD
            if lanes[b.number] >= lanes[a.number] and b.x != a.x:
                assert not (a.x < b.x < a_right), "a stem runs through a label"


def test_a_question_longer_than_a_page_flows_on(tmp_path):
    huge = Question("huge", "mcq", "dates", "A very long prompt. " * 700, "right", "why",
                    (Citation("tass", "quote"),), options=("right", "wrong"))
    bank = Bank("huge", SOURCES, (QUESTIONS[0], huge), (QuestionSet("huge", "Huge"),))
    sheet, key = render(bank, tmp_path, RenderOptions())
    assert len(pypdf.PdfReader(sheet).pages) >= 3
    assert "wrong" in read_text(sheet)


def test_timeline_reads_years_of_any_era():
    from quizgen.render.pdf.timeline import events, year_label

    quotes = ("Caesar was killed in 44 BC, or 44 BCE as some write", "Charlemagne was crowned in AD 800",
              "by 1440 the press existed", "a council met in 325 AD", "the war ended in 1945",
              "300 soldiers and 12 ships", "in 2019, 11:44 local time", "im Jahr 753 v. Chr. gegründet")
    qs = tuple(Question(f"q{i}", "short_answer", "dates", "When?", "then", "why", (Citation("tass", quote),))
               for i, quote in enumerate(quotes))
    found = {e.year: e.date_text for e in events(qs, (), bc="v. Chr.")}
    assert found == {-43: "44 BC", 800: "AD 800", 1440: "1440", 325: "325 AD", 1945: "1945", 2019: "2019",
                     -752: "753 v. Chr."}
    assert -752 not in {e.year for e in events(qs, ())}, "another bank's word for BC is not read"
    assert [year_label(y) for y in (-43, 0, 1, 1440)] == ["44 BC", "1 BC", "1", "1440"]
    assert year_label(-752, "v. Chr.") == "753 v. Chr."


def test_timeline_axis_chooses_round_ticks_for_the_span():
    from quizgen.render.pdf.timeline import _Scale

    centuries = _Scale([1440, 1455, 1517, 1648, 1789, 1945], 400)
    assert len(centuries.clusters) == 1, "gaps shorter than half the span stay on the axis"
    assert [y for _, y in centuries.labelled()] == [1450, 1500, 1550, 1600, 1650, 1700, 1750, 1800, 1850, 1900]
    assert all(y % centuries.step == 0 for _, y in centuries.labelled())
    ancient = _Scale([-43, -27, 14, 40, 79], 400)  # 44 BC, 28 BC, AD 14, AD 40, AD 79
    years = [y for _, y in ancient.labelled()]
    assert all((1 - y if y <= 0 else y) % ancient.step == 0 for y in years)
    assert years == [-39, -19, 20, 40, 60]  # 40 BC, 20 BC, AD 20, 40, 60
    split = _Scale([-43, 1440], 400)  # nothing in between: one break, each year labelled
    assert len(split.breaks) == 1 and [y for _, y in split.labelled()] == [-43, 1440]
    shipped = _Scale([1956, 2014, 2016, 2017, 2018, 2019], 400)
    assert len(shipped.breaks) == 1 and [y for _, y in shipped.labelled()][:2] == [1956, 2014]
    for scale in (centuries, ancient, split, shipped):
        xs = [x for x, _ in scale.labelled()]
        assert xs == sorted(xs) and all(0 <= x <= 400 for x in xs)


def test_timeline_figure_for_bc_and_a_five_century_span(tmp_path):
    from reportlab.graphics.shapes import String

    from quizgen.render.pdf.page import FRAME_WIDTH
    from quizgen.render.pdf.timeline import _AXIS_SIZE, drawing, events

    quotes = ("Caesar was killed in 44 BC", "by 1440 the press existed", "Luther wrote in 1517",
              "the treaty of 1648", "the revolution of 1789", "the war ended in 1945")
    qs = tuple(Question(f"q{i}", "short_answer", "dates", "When?", "then", "why", (Citation("tass", q),))
               for i, q in enumerate(quotes))
    for chosen, axis in ((qs[1:], ["1450", "1500", "1550"]), (qs, ["44 BC", "1500", "1600"])):
        figure = drawing(events(chosen, ()), FRAME_WIDTH, False, CX)
        strings = [s for s in figure.getContents() if isinstance(s, String)]
        labels = [s for s in strings if s.fontSize == _AXIS_SIZE]
        assert [s.text for s in labels][:3] == axis
        boxes = sorted((s.x, s.x + CX.fonts.string_width(s.text, s.fontSize)) for s in labels)
        assert all(right + 2 <= left for (_, right), (left, _) in zip(boxes, boxes[1:])), "axis labels overlap"
    bank = Bank("span", SOURCES, qs, (QuestionSet("span", "Span", timeline=True),), config=CONFIG)
    _, key = render(bank, tmp_path, RenderOptions())
    text = flat(read_text(key))
    assert "44 BC Caesar was killed in 44 BC" in text and "1517 Luther wrote in 1517" in text


def test_a_bank_without_sets_prints_one_sheet_named_after_the_bank(tmp_path):
    config = BankConfig(title="Fixture bank", labels={"all_instructions": "Alles beantworten."})
    bank = Bank("nosets", SOURCES, QUESTIONS, (), config=config)
    names = sorted(p.name for p in render(bank, tmp_path, RenderOptions()))
    assert names == ["all-key.pdf", "all.pdf"]
    text = read_text(tmp_path / "all.pdf")
    assert text.count("Fixture bank") >= 1 and "Alles beantworten." in text
    assert pypdf.PdfReader(tmp_path / "all.pdf").metadata.title == "Fixture bank"
    # no topics declared: sections in slug order, headed by the slug
    assert text.index("Actors") < text.index("Dates") < text.index("Declaration 1956") < text.index("Islands")


def test_a_key_names_the_reasoning_behind_an_inferred_key(tmp_path):
    from dataclasses import replace

    from quizgen.model import Support

    reason = "REASON-inferred: 60 years after the 1956 declaration, which TASS prints."
    inferred = replace(QUESTIONS[0], support=Support("inferred", reason))
    bank = Bank("fixture", SOURCES, (inferred,), (QuestionSet("one", "One"),), config=CONFIG)
    files = {p.name: p for p in render(bank, tmp_path, OPTIONS)}
    key, sheet = flat(read_text(files["one-key.pdf"])), flat(read_text(files["one.pdf"]))
    assert f"Inferred: {reason}" in key
    assert "REASON-inferred" not in sheet  # the reasoning would give the key away on the sheet


def test_flowing_paragraphs_share_their_layout_but_not_their_object():
    """A key's explanations are broken into lines once for all variants, yet
    each is an object of its own (a frame marks what it places), and a split
    across pages leaves the shared lines as they were."""
    from reportlab.lib.styles import ParagraphStyle

    from quizgen.render.pdf.flowables import flowing

    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    text = " ".join(f"word{i}" for i in range(200))
    one, two = flowing(text, style), flowing(text, style)
    assert one is not two
    size = one.wrap(300, 1000)
    assert two.wrap(300, 1000) == size and two.blPara is one.blPara
    before = [(type(w).__name__, str(w)) for line in one.blPara.lines for w in line[1]]
    parts = two.split(300, 5 * 12)
    assert len(parts) == 2 and two.blPara is not one.blPara
    assert [(type(w).__name__, str(w)) for line in one.blPara.lines for w in line[1]] == before
    three = flowing(text, style)
    assert three.wrap(300, 1000) == size and three.blPara is one.blPara
