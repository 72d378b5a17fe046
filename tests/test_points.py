"""Points: defaults per type, a question's own `points:`, printed on the sheet
(after each prompt, a score box on page 1) and on the key (its summary)."""

from __future__ import annotations

from pathlib import Path

import pypdf
from click.testing import CliRunner

from quizgen.bank.load import load_bank
from quizgen.cli import cli
from quizgen.model import Bank, QuestionSet
from quizgen.render import RenderOptions
from quizgen.render.pdf import render, set_questions
from quizgen.render.pdf.key import answer_text
from quizgen.render.pdf.page import context
from quizgen.select import DEFAULT_POINTS, make_variants, question_points

from conftest import write
from test_render_pdf import CONFIG, QUESTIONS, SETS, SOURCES, flat
from test_validate import GOOD, broken


def test_defaults_by_type():
    by_id = {q.id: q for q in QUESTIONS}
    assert question_points(by_id["decl-year"]) == DEFAULT_POINTS["mcq"] == 1
    assert question_points(by_id["proposal-city"]) == 2  # written out
    assert question_points(by_id["gift-cloze"]) == 2  # a point per blank
    assert question_points(by_id["who-is-who"]) == 4  # a point per pair
    assert question_points(by_id["events-order"]) == 2


def test_a_questions_own_points_load_and_bad_ones_are_errors(mini_bank: Path):
    write(mini_bank / "curated" / "pts.yaml", "questions:\n" + GOOD.format(id="q9").lstrip("\n")
          + "    points: 3\n")
    bank, diagnostics = load_bank(mini_bank)
    assert bank is not None, [str(d) for d in diagnostics]
    assert question_points(bank.question("q9")) == 3
    code, lines = broken(mini_bank, GOOD.format(id="q8") + "    points: 0\n")
    assert code == 1 and any("points: expected an integer of at least 1, found 0" in ln for ln in lines), lines


def test_sheet_prints_points_and_a_score_box_and_the_key_a_summary(tmp_path):
    from dataclasses import replace

    own = tuple(replace(q, points=5) if q.id == "decl-year" else q for q in QUESTIONS)
    bank = Bank("fixture", SOURCES, own, SETS, config=CONFIG)
    paths = {p.name: p for p in render(bank, tmp_path, RenderOptions(set_names=("review",)))}
    (variant,) = make_variants(set_questions(bank, SETS[0]), SETS[0])
    total = sum(question_points(q) for q in own)
    assert variant.total_points == total
    sheet = pypdf.PdfReader(paths["review.pdf"])
    first = flat(sheet.pages[0].extract_text())
    assert f"Score / {total}" in first
    text = flat(" ".join(p.extract_text() for p in sheet.pages))
    for shown in variant.questions:
        word = "point" if shown.points == 1 else "points"
        assert f"({shown.points} {word})" in text, shown.question.id
    key = pypdf.PdfReader(paths["review-key.pdf"])
    summary = flat(key.pages[0].extract_text()).split("Explanations and sources")[0]
    cx = context(bank)
    for shown in variant.questions:  # number -> answer -> points, in printed order
        assert f"{shown.number}. {flat(answer_text(shown, cx))} {shown.points}" in summary, shown.question.id
    assert f"total {total}" in summary


def test_a_set_overrides_the_types_defaults(mini_bank: Path):
    write(mini_bank / "sets" / "heavy.yaml", "set:\n  name: heavy\n  title: Heavy\n  points: {mcq: 4}\n")
    bank, diagnostics = load_bank(mini_bank)
    assert bank is not None, [str(d) for d in diagnostics]
    heavy = next(s for s in bank.sets if s.name == "heavy")
    assert heavy.points == (("mcq", 4),)
    mcq = next(q for q in bank.questions if q.type == "mcq")
    assert question_points(mcq, heavy) == 4 and question_points(mcq) == 1
    from dataclasses import replace

    assert question_points(replace(mcq, points=2), heavy) == 2  # the question's own points win
    write(mini_bank / "sets" / "heavy.yaml", "set:\n  name: heavy\n  title: Heavy\n  points: {essay: 4}\n")
    result = CliRunner().invoke(cli, ["validate", str(mini_bank)])
    assert result.exit_code == 1 and "set.points" in result.output and "essay" in result.output
