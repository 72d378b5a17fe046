"""The checks that span question files (unique ids, set references, declared
topics, lineage, glyphs, where the keys sit), fed one file's results at a
time in bank order. Nothing here keeps a question: `validate` of a large
bank frees each file's records once they are checked, and a build keeps them
for itself (load.py decides). Each check's diagnostics are the ones the
whole-bank function of its module gives for all the questions at once."""

from __future__ import annotations

from pathlib import Path
from typing import Collection, Iterable, Mapping, NamedTuple, Sequence

from quizgen.bank.balance import KeyCount, KeyPart, balance_warnings
from quizgen.bank.check import did_you_mean
from quizgen.bank.config import check_topics
from quizgen.bank.glyphs import font_chain, question_glyphs
from quizgen.errors import Diagnostic, Loc
from quizgen.model import BankConfig, Question, QuestionSet
from quizgen.select import matches


class FileChecks:
    """What CrossFile asks of one file's questions by themselves, with all
    it needs to ask it and nothing of what it gathered: a large bank's
    worker runs it beside the file's records and sends only the findings,
    not the questions (unpickling them was most of the parent's work).
    ``glyphs``: the bank folder and its config's fonts (None: no glyph
    check, the config has errors of its own)."""

    def __init__(self, sets: Sequence[QuestionSet], declared: frozenset[str], templates: frozenset[str] | None,
                 facts: frozenset[str] | None, glyphs: tuple[str | Path, tuple[str, ...]] | None) -> None:
        self.sets, self.declared, self.templates, self.facts, self.glyphs = sets, declared, templates, facts, glyphs

    def __call__(self, questions: Sequence[Question], chars: str) -> CrossPart:
        diagnostics = check_lineage(questions, self.templates, self.facts)
        if self.glyphs is not None:
            # cached per process: a worker parses the fonts' cmaps once
            diagnostics += question_glyphs(font_chain(*self.glyphs), questions, chars)
        declared = self.declared
        return CrossPart(
            len(questions), tuple(dict.fromkeys(q.topic for q in questions)),
            tuple(any(matches(q, s) for q in questions) for s in self.sets),
            [(q.topic, q.loc) for q in questions if q.topic not in declared] if declared else [],
            diagnostics, KeyCount.part(questions))


class CrossPart(NamedTuple):
    """FileChecks' findings in one file: how many valid questions, their
    topics in order, which sets they match, the places of undeclared topics,
    lineage and glyph warnings, and where their keys sit."""

    count: int
    topics: tuple[str, ...]
    matched: tuple[bool, ...]
    undeclared: list[tuple[str, Loc]]
    diagnostics: list[Diagnostic]
    keys: KeyPart


class CrossFile:
    """``lineage``: warn of generated questions naming templates or facts
    the bank lacks (check_lineage), which is only fair when the facts and
    templates loaded without an error; ``root``: the bank folder, for the
    glyph check of its fonts (None, or no config: no check)."""

    def __init__(self, config: BankConfig | None, sets: Sequence[QuestionSet], extras: Mapping[str, object],
                 lineage: bool, root: str | Path | None) -> None:
        self.config, self.sets = config, sets
        self.count = 0  # valid questions
        self.first_ids: dict[str, Loc] = {}  # every id seen, valid record or not, where first seen
        self.topics: dict[str, None] = {}  # of valid questions, in bank order
        self.matched = [False] * len(sets)  # some valid question matches the set
        self.undeclared: list[tuple[str, Loc]] = []
        self.keys = KeyCount()
        self.diagnostics: list[Diagnostic] = []  # ids, lineage and glyphs, as the files come in
        self.checks = FileChecks(
            sets, frozenset(t.id for t in config.topics) if config is not None else frozenset(),
            _names(extras, "templates", "name") if lineage else None, _names(extras, "facts", "id") if lineage else None,
            (root, config.fonts) if config is not None and root is not None else None)

    def feed(self, questions: Sequence[Question], ids: Sequence[tuple[str, Loc]], chars: str) -> None:
        """One file's valid questions, the (id, place) of every question it
        holds, and the characters they print (load._Checked's)."""
        self.absorb(self.checks(questions, chars), ids)

    def absorb(self, part: CrossPart, ids: Sequence[tuple[str, Loc]]) -> None:
        """feed() of what self.checks found in a file (wherever it ran)."""
        self.count += part.count
        first, diagnostics = self.first_ids, self.diagnostics
        for qid, loc in ids:
            if qid in first:
                diagnostics.append(Diagnostic(loc, f"expected a unique question id, found '{qid}' again "
                                                   f"(first defined at {first[qid]})", path="id"))
            else:
                first[qid] = loc
        self.topics.update(dict.fromkeys(part.topics))
        self.matched = [m or hit for m, hit in zip(self.matched, part.matched)]
        self.undeclared += part.undeclared
        diagnostics += part.diagnostics
        self.keys.absorb(part.keys)

    def set_diagnostics(self, complete: bool) -> list[Diagnostic]:
        """check_sets of the questions fed; when ``complete`` (no question
        file failed) every id seen is a valid question's."""
        return check_sets(self.sets, self.first_ids, self.topics, self.matched, self.count > 0, complete)

    def finish(self, complete: bool, where: Loc) -> list[Diagnostic]:
        """Every diagnostic of the checks, once every file was fed."""
        out = self.diagnostics + self.set_diagnostics(complete)
        if self.config is not None:
            out += check_topics(self.config, self.undeclared)
        return out + balance_warnings(self.keys.balance(), where)


def _names(extras: Mapping[str, object], key: str, attr: str) -> frozenset[str] | None:
    """The names of the bank's templates or facts; None when it has no such file."""
    if key not in extras:
        return None
    return frozenset(getattr(x, attr) for x in extras[key] or ())  # type: ignore[attr-defined]


def check_sets(sets: Sequence[QuestionSet], ids: Collection[str], topics: Collection[str],
               matched: Sequence[bool], any_question: bool, complete: bool = True) -> list[Diagnostic]:
    """Set names unique, and each set's ids and topics the bank's (``ids``,
    ``topics``: of its valid questions), each set matched by some question
    (``matched``, per set). ``complete`` is False when a question file
    failed: a set naming or matching only its questions would then be a
    second message for that one cause, so what depends on the missing
    questions is not reported."""
    known_ids, known_topics = sorted(ids), sorted(topics)
    diagnostics = []
    names: dict[str, QuestionSet] = {}
    for s, hit in zip(sets, matched):
        if s.name in names:
            diagnostics.append(Diagnostic(s.loc, f"expected a unique set name, found '{s.name}' again "
                                                 f"(first at {names[s.name].loc})"))
        names.setdefault(s.name, s)
        if not complete:
            continue
        for qid in s.ids:
            if qid not in ids:
                diagnostics.append(Diagnostic(s.loc, f"expected a question id of the bank, found '{qid}'"
                                                     f"{did_you_mean(qid, known_ids)}", path="set.ids"))
        for topic in s.topics:
            if topic not in topics:
                diagnostics.append(Diagnostic(s.loc, f"expected a topic of the bank, found '{topic}'"
                                                     f"{did_you_mean(topic, known_topics)}", path="set.topics"))
        if any_question and not hit:  # else the PDF build refuses it
            diagnostics.append(Diagnostic(s.loc, "expected at least one question of the bank to match "
                                                 "this set, found none", path="set"))
    return diagnostics


def check_lineage(questions: Iterable[Question], templates: Collection[str] | None,
                  facts: Collection[str] | None) -> list[Diagnostic]:
    """A generated question should name a template and facts the bank still
    has (``templates``, ``facts``: their names, None when the bank has no
    such file or it is not checked); a warning, because a person may keep
    questions after retiring a template."""
    diagnostics = []
    for q in questions:
        if q.origin != "generated":
            continue
        if templates is not None and q.template not in templates:
            diagnostics.append(Diagnostic(q.loc, f"expected a template of the bank, found '{q.template}'"
                                                 f"{did_you_mean(q.template or '', sorted(templates))}",
                                          "warning", "template"))
        missing = [f for f in q.facts if f not in facts] if facts is not None else []
        if missing:
            diagnostics.append(Diagnostic(q.loc, f"expected facts of facts.yaml, found unknown "
                                                 f"{', '.join(repr(m) for m in missing)}", "warning", "facts"))
    return diagnostics
