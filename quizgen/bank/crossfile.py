"""The checks that span question files (unique ids, set references, declared
topics, lineage, glyphs, where the keys sit), fed one file's results at a
time in bank order. Nothing here keeps a question: `validate` of a large
bank frees each file's records once they are checked, and a build keeps them
for itself (load.py decides). Each check's diagnostics are the ones the
whole-bank function of its module gives for all the questions at once."""

from __future__ import annotations

from typing import Collection, Iterable, Mapping, Sequence

from quizgen.bank.balance import KeyCount, balance_warnings
from quizgen.bank.check import did_you_mean
from quizgen.bank.config import check_topics
from quizgen.bank.glyphs import Chain, question_glyphs
from quizgen.errors import Diagnostic, Loc
from quizgen.model import BankConfig, Question, QuestionSet
from quizgen.select import matches


class CrossFile:
    """``lineage``: warn of generated questions naming templates or facts
    the bank lacks (load.check_lineage), which is only fair when the facts
    and templates loaded without an error; ``chain``: the fonts for the
    glyph check (None: no check, the config has errors of its own)."""

    def __init__(self, config: BankConfig | None, sets: Sequence[QuestionSet], extras: Mapping[str, object],
                 lineage: bool, chain: Chain | None) -> None:
        self.config, self.sets, self.extras, self.lineage, self.chain = config, sets, extras, lineage, chain
        self.count = 0  # valid questions
        self.first_ids: dict[str, Loc] = {}  # every id seen, valid record or not, where first seen
        self.topics: dict[str, None] = {}  # of valid questions, in bank order
        self.named = frozenset(qid for s in sets for qid in s.ids)
        self.matched = [False] * len(sets)  # some valid question matches the set
        self.declared = frozenset(t.id for t in config.topics) if config is not None else frozenset()
        self.undeclared: list[tuple[str, Loc]] = []
        self.keys = KeyCount()
        self.diagnostics: list[Diagnostic] = []  # ids, lineage and glyphs, as the files come in

    def feed(self, questions: Sequence[Question], ids: Sequence[tuple[str, Loc]], chars: str) -> None:
        """One file's valid questions, the (id, place) of every question it
        holds, and the characters they print (load._Checked's)."""
        self.count += len(questions)
        first, diagnostics = self.first_ids, self.diagnostics
        for qid, loc in ids:
            if qid in first:
                diagnostics.append(Diagnostic(loc, f"expected a unique question id, found '{qid}' again "
                                                   f"(first defined at {first[qid]})", path="id"))
            else:
                first[qid] = loc
        topics = self.topics
        for q in questions:
            topics[q.topic] = None
        for i, s in enumerate(self.sets):
            if not self.matched[i]:
                self.matched[i] = any(matches(q, s) for q in questions)
        if self.declared:
            self.undeclared += [(q.topic, q.loc) for q in questions if q.topic not in self.declared]
        if self.lineage:
            diagnostics += check_lineage(questions, self.extras)
        if self.chain is not None:
            diagnostics += question_glyphs(self.chain, questions, chars)
        self.keys.add(questions)

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


def check_lineage(questions: Iterable[Question], extras: Mapping[str, object]) -> list[Diagnostic]:
    """A generated question should name a template and facts the bank still
    has; a warning, because a person may keep questions after retiring a template."""
    diagnostics = []
    templates = {t.name for t in extras.get("templates", ()) or ()}  # type: ignore[attr-defined]
    facts = {f.id for f in extras.get("facts", ()) or ()}  # type: ignore[attr-defined]
    for q in questions:
        if q.origin != "generated":
            continue
        if "templates" in extras and q.template not in templates:
            diagnostics.append(Diagnostic(q.loc, f"expected a template of the bank, found '{q.template}'"
                                                 f"{did_you_mean(q.template or '', sorted(templates))}",
                                          "warning", "template"))
        missing = [f for f in q.facts if f not in facts] if "facts" in extras else []
        if missing:
            diagnostics.append(Diagnostic(q.loc, f"expected facts of facts.yaml, found unknown "
                                                 f"{', '.join(repr(m) for m in missing)}", "warning", "facts"))
    return diagnostics
