"""PDF renderer: a worksheet and an answer key per question set and variant.

    render(bank, stage, options) -> list[Output]

File names, in the output folder:

    one version (variants == 1)    NAME.pdf      NAME-key.pdf
    several (variants == N > 1)    NAME-A.pdf    NAME-A-key.pdf   ...
                                   NAME-grid-key.pdf  (answers of all variants)

Everything a teacher must not hand out ends in ``-key.pdf``.

Each set's PDFs are staged as soon as they are laid out (so memory holds one
set at a time); quizgen.build renames them into place only when every set and
every other renderer succeeded, so a failure leaves no partial output.
"""

from __future__ import annotations

from pathlib import Path

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.model import Bank, Question, QuestionSet, Source
from quizgen.render import RenderOptions, staged
from quizgen.select import make_variants, select
from quizgen.staging import Output, Stage

# A bank without set files still prints: everything, as one review sheet.
FALLBACK_SET = QuestionSet(name="all", title="All questions", order="topic", timeline=True,
                           instructions="Answer every question.")


@staged
def render(bank: Bank, stage: Stage, options: RenderOptions) -> list[Output]:
    qsets = chosen_sets(bank, options.set_names)
    outputs: list[Output] = []
    for qset in qsets:
        for name, data in render_set(bank, qset, options):
            outputs.append(stage.write(stage.path(name), data))
    return outputs


def chosen_sets(bank: Bank, names: tuple[str, ...]) -> list[QuestionSet]:
    sets = list(bank.sets) or [FALLBACK_SET]
    if not names:
        return sets
    by_name = {s.name: s for s in sets}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name))
        raise QuizgenError([Diagnostic(_set_loc(bank), f"expected a question set name ({known}), found '{n}'")
                            for n in unknown])
    return [by_name[n] for n in dict.fromkeys(names)]


def _set_loc(bank: Bank) -> Loc:
    return Loc(str(Path(bank.root) / "sets"))


def render_set(bank: Bank, qset: QuestionSet, options: RenderOptions) -> list[tuple[str, bytes]]:
    """File names and bytes for one set; nothing is written."""
    from quizgen.render.pdf import timeline as pdf_timeline
    from quizgen.render.pdf.key import grid_pdf, key_pdf
    from quizgen.render.pdf.worksheet import worksheet_pdf

    questions = select(bank.questions, qset, options.seed)
    if not questions:
        raise QuizgenError([Diagnostic(qset.loc, "expected at least one question of the bank to match "
                                                 "this set, found none", path="set")])
    sources = tuple(bank.sources)
    check_glyphs(qset, questions, sources)
    events = pdf_timeline.events(questions, sources) if qset.timeline else ()
    variants = make_variants(questions, qset, max(1, options.variants), options.seed)
    files = []
    for v in variants:
        files.append((f"{v.label}.pdf", worksheet_pdf(v, qset, sources, options.timestamp, events)))
        files.append((f"{v.label}-key.pdf", key_pdf(v, qset, sources, options.timestamp, events)))
    if len(variants) > 1:
        files.append((f"{qset.name}-grid-key.pdf", grid_pdf(variants, qset, options.timestamp)))
    if options.progress:
        options.progress(f"pdf: {qset.name}: {len(questions)} questions, {len(variants)} "
                         f"variant{'s' if len(variants) > 1 else ''}, seed {variants[0].seed}")
    return files


def check_glyphs(qset: QuestionSet, questions: tuple[Question, ...], sources: tuple[Source, ...]) -> None:
    """Every character must have a glyph in an embedded font; say which
    question (or source) has one that does not, for all of them at once."""
    from quizgen.render.pdf.fonts import MissingGlyph, check

    problems = []
    for text in (qset.title, qset.instructions):
        try:
            check(text)
        except MissingGlyph as e:
            problems.append(Diagnostic(qset.loc, str(e), path="set"))
    for q in questions:
        texts = [q.prompt, q.answer, q.explanation, *q.options, *q.accept, *q.items,
                 *(t for pair in q.pairs for t in pair), *(c.quote for c in q.citations)]
        for text in texts:
            try:
                check(text)
            except MissingGlyph as e:
                problems.append(Diagnostic(q.loc, str(e), path=q.id))
                break
    for s in sources:
        for text in (s.outlet_label, s.headline, s.date_label, s.inferred_reason or ""):
            try:
                check(text)
            except MissingGlyph as e:
                problems.append(Diagnostic(s.loc, str(e), path=s.id))
                break
    if problems:
        raise QuizgenError(problems)
