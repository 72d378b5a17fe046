"""The build's renderers cut into independent render units.

A unit is a pure function of a slice of the bank and the options: the Anki
deck (all questions, and the lock beside the bank: the deck's bytes depend on
the previous lock), one part of one question set's PDFs (a copy's worksheet,
its key, the grid, the manifest; over the questions the set prints, chosen
here once for all its parts, and for the manifest what it left out), or
one export format (all questions). Units share nothing, so quizgen.build can
take each from the cache or render it in another process, and stage the
files in the fixed order of the units: the same bytes however they ran.

    plan_units(bank, names, options[, selections]) -> [Unit]    (in staging order)
    run_unit(unit, stage, options) -> [Output]    (renders into ``stage``)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from quizgen.model import Bank, QuestionSet
from quizgen.render import RenderOptions
from quizgen.staging import Output, Stage

UNIT_RENDERERS = ("anki", "pdf", "exports")  # renderer names plan_units can cut into units


@dataclass(frozen=True)
class Unit:
    name: str  # e.g. "anki", "pdf:quick-check:sheet:0", "export:gift"
    kind: str  # "anki", "pdf" or "export"
    bank: Bank  # the slice it reads: its questions only (no sets, no extras)
    qset: QuestionSet | None = None  # pdf: the set
    part: tuple = ()  # pdf: one of render.pdf.set_parts; export: (format,)
    # pdf: the leaks that kept the set's other candidates off its sheets (the
    # manifest lists them; the other parts never read them: () there, so that
    # a change to what was left out renders the manifest alone)
    left_out: tuple = ()

    @property
    def cost(self) -> int:
        """A rough estimate of the work, to hand out the biggest units first."""
        n = len(self.bank.questions)
        if self.kind == "pdf":
            return 0 if self.part == ("manifest",) else 4 * n
        return n


def bank_slice(bank: Bank, questions) -> Bank:
    """What a unit reads of the bank: these questions, its sources and config (no sets, no extras)."""
    return Bank(bank.root, bank.sources, tuple(questions), (), {}, bank.config)


def plan_units(bank: Bank, names: tuple[str, ...], options: RenderOptions, selections=None) -> list[Unit]:
    """The units of the named renderers (from UNIT_RENDERERS), in the order the
    renderers would stage their files. Unknown set names fail here, before
    anything renders.

    A set's questions are chosen here, once: weighing which question gives
    another away is quadratic, and each part would otherwise weigh it again
    in its own process. A pdf unit's slice is what its sheets print, in print
    order, so a unit's key changes only when its file can: an edit to a
    question the set leaves out re-renders its manifest, not its sheets.
    ``selections(candidates, qset, seed)``: where the choice comes from
    (default render.pdf.set_selection; the build passes a cached one)."""
    units: list[Unit] = []
    whole = bank_slice(bank, bank.questions)
    for name in names:
        if name == "anki":
            units.append(Unit("anki", "anki", whole))
        elif name == "pdf":
            from quizgen.render.pdf import chosen_sets, set_parts, set_selection
            from quizgen.select import matches

            parts = set_parts(options)
            for qset in chosen_sets(bank, options.set_names):
                candidates = bank_slice(bank, (q for q in bank.questions if matches(q, qset)))
                chosen = (selections or set_selection)(candidates, qset, options.seed)
                printed = bank_slice(bank, chosen.questions)
                units.extend(Unit(f"pdf:{qset.name}:{':'.join(map(str, p))}", "pdf", printed, qset, p,
                                  chosen.left_out if p == ("manifest",) else ())
                             for p in parts)
        elif name == "exports":
            units.extend(Unit(f"export:{fmt}", "export", whole, None, (fmt,)) for fmt in options.exports)
        else:
            raise ValueError(f"no units for renderer {name!r}")
    return units


def run_unit(unit: Unit, stage: Stage, options: RenderOptions) -> list[Output]:
    if unit.kind == "anki":
        from quizgen.render import renderer

        return renderer("anki")(unit.bank, stage, options)
    if unit.kind == "pdf":
        import quizgen.render.pdf as pdf  # looked up at call time: tests replace render_set

        from quizgen.select import Selection

        files = pdf.render_set(unit.bank, unit.qset, options, unit.part,
                               chosen=Selection(unit.bank.questions, unit.left_out))
        return [stage.write(stage.path(name), data) for name, data in files]
    if unit.kind == "export":
        from quizgen.render.exports import render_one

        return render_one(unit.bank, stage, options, unit.part[0])
    raise ValueError(unit.kind)


def without_callbacks(options: RenderOptions) -> RenderOptions:
    """Options that can travel to another process (the callbacks stay home)."""
    return replace(options, progress=None, warn=None)
