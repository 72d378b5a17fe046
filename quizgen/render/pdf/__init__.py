"""PDF renderer: a worksheet and an answer key per question set and variant.

    render(bank, stage, options) -> list[Output]

File names, in the output folder:

    one version (variants == 1)    NAME.pdf      NAME-key.pdf
    several (variants == N > 1)    NAME-A.pdf    NAME-A-key.pdf   ...
                                   NAME-grid-key.pdf  (answers of all variants)
    a roster (students: names)     NAME-01.pdf   NAME-01-key.pdf  ... one per student, in roster order
                                   NAME-grid-key.pdf  (the class grid)
    always                         NAME.manifest.json (every copy's questions and keys)

Every PDF a teacher must not hand out ends in ``-key.pdf``; the manifest
holds the keys too.

Each set's PDFs are staged as soon as they are laid out (so memory holds one
set at a time); quizgen.build renames them into place only when every set and
every other renderer succeeded, so a failure leaves no partial output.
"""

from __future__ import annotations

from pathlib import Path

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.model import Bank, Question, QuestionSet
from quizgen.render import RenderOptions, staged
from quizgen.select import Selection, make_student_copies, make_variants, matches, selection
from quizgen.staging import Output, Stage

from quizgen.render.pdf import lazy_uri_pattern

lazy_uri_pattern.install()  # before any renderer of this package imports reportlab.platypus


@staged
def render(bank: Bank, stage: Stage, options: RenderOptions) -> list[Output]:
    qsets = chosen_sets(bank, options.set_names)
    outputs: list[Output] = []
    for qset in qsets:
        for name, data in render_set(bank, qset, options):
            outputs.append(stage.write(stage.path(name), data))
    return outputs


def fallback_set(bank: Bank) -> QuestionSet:
    """A bank without set files still prints: everything, as one review
    sheet named after the bank."""
    return QuestionSet(name="all", title=bank.config.title, order="topic", timeline=True,
                       instructions=bank.config.label("all_instructions"))


def chosen_sets(bank: Bank, names: tuple[str, ...]) -> list[QuestionSet]:
    sets = list(bank.sets) or [fallback_set(bank)]
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


def set_parts(options: RenderOptions) -> list[tuple]:
    """The independent parts of one set's files, in the order render_set
    makes them: each copy's worksheet, key (and answer sheet), the layout,
    the grid, the manifest. The
    build renders each part on its own (in parallel, cached); the manifest
    part also says what the set left out and reports progress."""
    count = len(options.students) if options.students else max(1, options.variants)
    parts: list[tuple] = []
    for i in range(count):
        parts += [("sheet", i), ("key", i)]
        if options.answer_sheet:
            parts.append(("answers", i))
    if options.answer_sheet:
        parts.append(("layout",))
    if count > 1 or options.students:
        parts.append(("grid",))
    parts.append(("manifest",))
    return parts


def render_set(bank: Bank, qset: QuestionSet, options: RenderOptions,
               part: tuple | None = None, chosen: Selection | None = None) -> list[tuple[str, bytes]]:
    """File names and bytes for one set (or one of its set_parts); nothing is
    written. ``chosen``: the set's selection, already made from the bank's
    questions (quizgen.render.units); else it is made here."""
    from quizgen.render.pdf import timeline as pdf_timeline
    from quizgen.render.pdf.grid import grid_pdf
    from quizgen.render.pdf.key import key_pdf
    from quizgen.render.pdf.manifest import manifest_json
    from quizgen.render.pdf.worksheet import worksheet_pdf

    if chosen is None:
        chosen = set_selection(bank, qset, options.seed)
    questions = chosen.questions
    last = part is None or part == ("manifest",)
    if last:
        report_left_out(qset, chosen, options)
    if not questions:
        raise QuizgenError([Diagnostic(qset.loc, "expected at least one question of the bank to match "
                                                 "this set, found none", path="set")])
    check_glyphs(bank, qset, questions)
    events = pdf_timeline.events(questions, bank.sources, bank.config.label("bc")) if qset.timeline else ()
    if options.students:
        variants = make_student_copies(questions, qset, options.students, options.seed)
    else:
        variants = make_variants(questions, qset, max(1, options.variants), options.seed)
    files = []
    names = {}
    for i, v in enumerate(variants):
        names[v.label] = (f"{v.label}.pdf", f"{v.label}-key.pdf")
        if part in (None, ("sheet", i)):
            files.append((names[v.label][0], worksheet_pdf(v, qset, bank, options.timestamp, events)))
        if part in (None, ("key", i)):
            files.append((names[v.label][1], key_pdf(v, qset, bank, options.timestamp, events)))
        if options.answer_sheet and part in (None, ("answers", i)):
            files.append(answer_sheet(bank, qset, v, options.timestamp))
    sheet_names = {v.label: answer_sheet_name(v) for v in variants} if options.answer_sheet else {}
    if options.answer_sheet and part in (None, ("layout",)):
        from quizgen.render.pdf.layout import layout_json, page_layouts

        files.append((f"{qset.name}.layout.json",
                      layout_json(variants, qset.name, sheet_names, {v.label: page_layouts(v) for v in variants})))
    if (len(variants) > 1 or options.students) and part in (None, ("grid",)):
        files.append((f"{qset.name}-grid-key.pdf", grid_pdf(variants, qset, bank, options.timestamp)))
    if not last:
        return files
    # the keyed answers of every copy: a teacher's file, though not a PDF
    files.append((f"{qset.name}.manifest.json", manifest_json(variants, qset, names, chosen.left_out,
                                                                sheet_names)))
    if options.progress:
        options.progress(f"pdf: {qset.name}: {len(questions)} questions, {len(variants)} "
                         f"variant{'s' if len(variants) > 1 else ''}, seed {variants[0].seed}")
    return files


def answer_sheet_name(v) -> str:
    return f"{v.label}-answers.pdf"


def answer_sheet(bank: Bank, qset: QuestionSet, v, timestamp: int) -> tuple[str, bytes]:
    """One copy's answer sheet: its file name and bytes."""
    from quizgen.render.pdf.answersheet import answer_sheet_pdf
    from quizgen.render.pdf.layout import page_layouts

    return answer_sheet_name(v), answer_sheet_pdf(v, qset, bank, timestamp, page_layouts(v))


# (ids of the questions, set, seed, topic ranks) -> (the questions, Selection): the parts of one set share it
_SELECTIONS: dict = {}
_SELECTIONS_KEPT = 8


def set_selection(bank: Bank, qset: QuestionSet, seed: int | None = None) -> Selection:
    """The set's questions in the order its sheets print them, and what was left out.
    Remembered for the last few sets: every part of a set (worksheet, key,
    grid, manifest; quizgen.render.units) needs it, and weighing which
    question gives another away is quadratic in the set's size.

    Remembered by the questions themselves, not by their value: a selection
    holds the very objects it was chosen from, and the build names them by
    identity (the selection cache's entries, the file shared with the
    workers), so an equal question of another load must not come back."""
    try:
        key = (tuple(map(id, bank.questions)), qset, seed, bank.config.topics, tuple(bank.config.labels.items()))
        entry = _SELECTIONS.get(key)
    except TypeError:  # something unhashable: work it out again
        return _set_selection(bank, qset, seed)
    if entry is None:  # (an entry keeps its questions alive: their ids cannot be reused while it stands)
        entry = _SELECTIONS[key] = (bank.questions, _set_selection(bank, qset, seed))
        while len(_SELECTIONS) > _SELECTIONS_KEPT:
            _SELECTIONS.pop(next(iter(_SELECTIONS)))
    return entry[1]


def _set_selection(bank: Bank, qset: QuestionSet, seed: int | None = None) -> Selection:
    if qset.order != "topic":
        return selection(bank.questions, qset, seed)
    # the section headings print too: a topic named for a year must not sit above the question asking it
    headings = tuple(bank.config.topic_name(t) for t in dict.fromkeys(q.topic for q in bank.questions
                                                                      if matches(q, qset)))
    chosen = selection(bank.questions, qset, seed, headings)
    return Selection(in_topic_order(chosen.questions, qset, bank), chosen.left_out)


def set_questions(bank: Bank, qset: QuestionSet, seed: int | None = None) -> tuple[Question, ...]:
    """The set's questions in the order its sheets print them."""
    return set_selection(bank, qset, seed).questions


def report_left_out(qset: QuestionSet, chosen: Selection, options: RenderOptions) -> None:
    """A warning at each question the set names by id but the sheet could not
    carry: the author asked for it. What a set's filters matched and the sheet
    left out is counted on the progress line and listed in the manifest, so a
    broad set (every question of a topic) does not bury other warnings."""
    for leak in chosen.left_out:
        if leak.question.id not in qset.ids:
            continue
        d = Diagnostic(leak.question.loc, f"left out of set '{qset.name}': {leak.describe()}", severity="warning")
        if options.warn is not None:
            options.warn(d)
        else:
            import warnings

            warnings.warn(str(d), LeftOutWarning, stacklevel=3)
    if chosen.left_out and options.progress:
        options.progress(f"pdf: {qset.name}: {len(chosen.left_out)} question"
                         f"{'s' if len(chosen.left_out) > 1 else ''} left out: they would give another's key away "
                         f"(listed in {qset.name}.manifest.json)")


class LeftOutWarning(UserWarning):
    """Raised through warnings.warn when the caller gave no options.warn."""


def in_topic_order(questions: tuple[Question, ...], qset: QuestionSet, bank: Bank) -> tuple[Question, ...]:
    """Sections in the set's own topic order, then in the order bank.yaml
    declares topics; bank order inside a topic (the sort is stable)."""
    own = {t: i for i, t in enumerate(qset.topics)}
    return tuple(sorted(questions, key=lambda q: (own.get(q.topic, len(own)), bank.config.topic_rank(q.topic))))


def check_glyphs(bank: Bank, qset: QuestionSet, questions: tuple[Question, ...]) -> None:
    """Every character must have a glyph in an embedded font. Validation has
    said so already for a bank loaded from files; a bank made in memory
    meets the same check here, with the same messages, before anything is drawn."""
    from quizgen.bank.glyphs import check_glyphs as problems

    found = problems(bank.root, bank.config, bank.sources, questions, (qset,))
    if found:
        raise QuizgenError(found)
