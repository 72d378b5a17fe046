"""Near-duplicate questions: the same statement asked twice.

Two questions are near-duplicates when

- their *shape* is the same and they rest on the same material: the text a
  student reads (the prompt, and the items or pairs of an ordering or
  matching), with every name, number and date masked, is equal, they share a
  fact record (generated questions) or a cited quote (any question), and they
  are true/false statements or have the same key. This catches a statement
  made once true and once with another name, and one prompt asked as multiple
  choice and as a short answer; or
- they key the same answer on the same facts: generated multiple choice,
  short answer or cloze questions whose fact records and key are equal, under
  whatever templates.

`validate` warns at the later of two; `quizgen generate` keeps the first it
meets and drops the others. Neither looks at explanations: they may repeat.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable, NamedTuple

from quizgen.errors import Diagnostic, Loc
from quizgen.model import Question

_WORD = re.compile(r"\S+")
_KEYED_TYPES = ("mcq", "short_answer", "cloze")


def _nfkc(text: str) -> str:
    # ASCII is its own NFKC form: the test is one C pass, the normalisation more
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _fold(text: str) -> str:
    return " ".join(_nfkc(text).casefold().split())


def shape(q: Question) -> str:
    """The student-facing text of ``q`` with names, numbers and dates masked."""
    parts = [q.prompt]
    if q.type == "ordering":
        parts += sorted(q.items)
    elif q.type == "matching":
        parts += sorted(f"{a} = {b}" for a, b in q.pairs)
    return _fold(mask(" | ".join(parts)))


def mask(text: str) -> str:
    """Each run of names, numbers and dates as one "#": a word that opens with
    a capital or a digit (any script with case), so "14 November 2018" and
    "Ada Lovelace" are masked alike."""
    out: list[str] = []
    masked = _masked
    for word in _WORD.findall(_nfkc(text)):
        m = masked(word)
        if m is None:
            out.append(word)
        elif out and out[-1] == "#":  # the run goes on: only its last word's tail is kept
            out[-1] = m
        else:
            out.append(m)
    return " ".join(out)


_TAIL = re.compile(r"\W*\Z")


@functools.lru_cache(maxsize=1 << 16)
def _masked(word: str) -> str | None:
    """"#" and the word's trailing punctuation when the word is a name, number
    or date, else None. Per word and cached: a large bank repeats its words
    over and over, and a regex per word was most of the near-duplicate check."""
    core = word.lstrip("\"'“‘([")
    if core[:1].isupper() or core[:1].isdigit():
        return "#" + _TAIL.search(core).group()  # type: ignore[union-attr]
    return None


def _anchors(q: Question, facts: bool) -> set[str]:
    if facts:
        return {f"fact:{f}" for f in q.facts}
    return {f"quote:{c.source}:{_fold(c.quote)}" for c in q.citations}


def statement(q: Question) -> tuple[object, ...] | None:
    """The keyed statement of a generated question: its facts and its key."""
    if not q.facts or q.type not in _KEYED_TYPES:
        return None
    return (frozenset(q.facts), _fold(q.answer))


# What the index compares of one question: its statement (or None), shape,
# folded key, quote anchors and fact anchors (empty without facts).
Keys = tuple[tuple[object, ...] | None, str, str, tuple[str, ...], tuple[str, ...]]


def keys_of(q: Question, strings: dict[str, str] | None = None) -> Keys:
    """The index's view of ``q``, computed once: validate computes it in the
    worker that read the question's file, leaving only the lookups to the
    process that sees the whole bank (the text work was most of the check).
    ``strings``: one object for equal texts across calls (shapes, keys and
    anchors repeat), so a file's pickle and the index hold each once."""
    folded = _fold(q.answer)
    s = shape(q)
    quotes = tuple(sorted(_anchors(q, False)))
    facts = tuple(sorted(_anchors(q, True))) if q.facts else ()
    if strings is not None:
        keep = strings.setdefault
        folded, s = keep(folded, folded), keep(s, s)
        quotes = tuple([keep(a, a) for a in quotes])
        facts = tuple([keep(a, a) for a in facts])
    stated = (frozenset(q.facts), folded) if q.facts and q.type in _KEYED_TYPES else None
    return stated, s, folded, quotes, facts


class DuplicateIndex:
    """Questions seen so far, and which earlier one a new question repeats.

    Indexed by (shape, anchor) and by (shape, anchor, key) rather than by shape
    alone: many questions of a large bank share a masked shape ("Who was # in
    #?"), and scanning them all for every new question made validate quadratic
    (12 s of 17 for 100,000 questions). The answer is the one the plain scan
    gives: the earliest added question that matches."""

    def __init__(self, questions: Iterable[Question] = ()):
        self._statements: dict[tuple[object, ...], Question] = {}
        # (shape, anchor, other has facts) -> first (seq, question); the same
        # with the folded key appended, for types whose key must agree
        self._any: dict[tuple, tuple[int, Question]] = {}
        self._keyed: dict[tuple, tuple[int, Question]] = {}
        self._seq = 0
        for q in questions:
            self.add(q)

    def first_of(self, q: Question, keys: Keys | None = None) -> Question | None:
        """The earlier question ``q`` repeats, or None (``keys``: keys_of(q), when known)."""
        return self.first_of_keys(q.type == "true_false", keys_of(q) if keys is None else keys)

    def first_of_keys(self, true_false: bool, keys: Keys):  # noqa: ANN201 - what add() was given as ref
        """first_of of a question known by its keys and whether it is a
        true/false statement (all the index reads of it)."""
        stated, s, folded, quotes, facts = keys
        if stated is not None and stated in self._statements:
            return self._statements[stated]
        # a question with another key asks something else ("what does A
        # call it" and "what does B call it"); statements are true or false
        # fact records say best what a question is about; quotes where one has none
        # (each probe built whole, and hits are (seq, question) with seq unique:
        # the smallest is the earliest; this lookup is most of validate's
        # near-duplicate work in the process that sees the whole bank)
        if true_false:
            get = self._any.get
            hits = [h for h in [get((s, a, False)) for a in quotes] if h is not None]
            hits += [h for h in [get((s, a, True)) for a in (facts or quotes)] if h is not None]
        else:
            get = self._keyed.get
            hits = [h for h in [get((s, a, False, folded)) for a in quotes] if h is not None]
            hits += [h for h in [get((s, a, True, folded)) for a in (facts or quotes)] if h is not None]
        return min(hits)[1] if hits else None

    def add(self, q: Question, keys: Keys | None = None, ref: object = None) -> None:
        """``ref``: what first_of gives back for ``q`` (``q`` itself unless
        given: DuplicateScan keeps only an id and a place, so the questions
        of a bank validate does not keep can be freed)."""
        self.add_keys(keys_of(q) if keys is None else keys, q if ref is None else ref)

    def add_keys(self, keys: Keys, ref: object) -> None:
        """add() of a question known by its keys (its facts' anchors are
        empty exactly when it has no facts)."""
        stated, s, folded, quotes, facts = keys
        if stated is not None:
            self._statements.setdefault(stated, ref)
        hit = (self._seq, ref)
        self._seq += 1
        has_facts = bool(facts)
        any_, keyed = self._any.setdefault, self._keyed.setdefault
        # with facts, another question with facts compares fact anchors, one
        # without compares quotes: both are indexed
        for anchors in (quotes, facts):
            for a in anchors:
                any_((s, a, has_facts), hit)
                keyed((s, a, has_facts, folded), hit)


class Seen(NamedTuple):
    """A question as DuplicateScan remembers it: what its warnings name."""

    id: str
    loc: Loc


# All DuplicateScan reads of a question: its id, its place (file, line,
# column), whether it is a true/false statement, and its keys_of. A plain
# tuple: a worker sends these, not the questions, to the process that scans
# the whole bank, and plain tuples unpickle without a call per question.
Probe = tuple[str, str, int, int, bool, Keys]


def probes(questions: Iterable[Question], keys: Iterable[Keys]) -> list[Probe]:
    """The Probe of each question, given keys_of each."""
    return [(q.id, q.loc.file, q.loc.line, q.loc.col, q.type == "true_false", k) for q, k in zip(questions, keys)]


def _seen(probe: Probe | tuple[str, str, int, int]) -> Seen:
    return Seen(probe[0], Loc(probe[1], probe[2], probe[3]))


class DuplicateScan:
    """duplicate_groups fed a file at a time, in bank order: validate feeds
    each file's questions as its worker returns them, while the others work.
    It keeps each question's id and place, not the question."""

    def __init__(self) -> None:
        self._index = DuplicateIndex()
        self._groups: dict[str, list[Seen]] = {}

    def feed(self, questions: Iterable[Question], keys: Iterable[Keys] | None = None) -> None:
        questions = list(questions)
        self.feed_probes(probes(questions, keys if keys is not None else map(keys_of, questions)))

    def feed_probes(self, found: Iterable[Probe]) -> None:
        index, groups = self._index, self._groups
        for probe in found:
            k = probe[5]
            first = index.first_of_keys(probe[4], k)
            if first is None:
                index.add_keys(k, probe[:4])  # made a Seen only if a later question repeats it
            elif first[0] in groups:
                groups[first[0]].append(_seen(probe))
            else:
                groups[first[0]] = [_seen(first), _seen(probe)]

    def groups(self) -> list[list[Seen]]:
        """duplicate_groups' groups, each question as its Seen."""
        return list(self._groups.values())

    def diagnostics(self) -> list[Diagnostic]:
        """A warning at every question that repeats an earlier one."""
        out = []
        for group in self._groups.values():
            first = group[0]
            for q in group[1:]:
                out.append(Diagnostic(q.loc, f"expected a question that states something new, found a "
                                             f"near-duplicate of '{first.id}' ({first.loc}): the same statement "
                                             "with other names or another format", "warning", "prompt"))
        return out


def duplicate_groups(questions: Iterable[Question]) -> list[list[Question]]:
    """Groups of near-duplicates, each led by the first question of its group."""
    index = DuplicateIndex()
    groups: dict[str, list[Question]] = {}
    for q in questions:
        k = keys_of(q)
        first = index.first_of(q, k)
        if first is None:
            index.add(q, k)
        else:
            groups.setdefault(first.id, [first]).append(q)
    return list(groups.values())


def check_duplicates(questions: Iterable[Question], keys: Iterable[Keys] | None = None) -> list[Diagnostic]:
    """A warning at every question that repeats an earlier one (``keys``: keys_of each, when known)."""
    scan = DuplicateScan()
    scan.feed(questions, keys)
    return scan.diagnostics()
