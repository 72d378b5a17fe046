"""The data model: frozen, slotted value objects produced by validation and
consumed by expansion, selection and the renderers. Nothing here does I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from quizgen.errors import Loc, fast_pickle

QUESTION_TYPES = ("mcq", "true_false", "short_answer", "cloze", "matching", "ordering")
DIFFICULTIES = ("easy", "medium", "hard")
TRUE_FALSE_OPTIONS = ("True", "False")

# A cloze blank is written [[answer]] in the prompt. Double brackets never occur
# in the articles' prose, and they do not clash with template placeholders.
CLOZE_BLANK = re.compile(r"\[\[(.+?)\]\]")

NO_LOC = Loc("<memory>")


@dataclass(frozen=True, slots=True)
class Source:
    """One article of the corpus, identified by its file name and hash."""

    id: str
    file: str
    sha256: str
    outlet: str | None
    headline: str
    published: str | None = None  # ISO date the article prints, if it prints one
    inferred_date: str | None = None  # ISO date, month, or "start/end" range we inferred
    inferred_reason: str | None = None
    loc: Loc = NO_LOC

    @property
    def date_label(self) -> str:
        """The date to show a reader, marked when it is our inference."""
        if self.published:
            return self.published
        if self.inferred_date:
            return f"{self.inferred_date} (inferred)"
        return "undated"

    @property
    def outlet_label(self) -> str:
        return self.outlet or "outlet not printed"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Citation:
    source: str  # a Source.id
    quote: str  # verbatim text of the article, at most 30 words
    loc: Loc = NO_LOC


@fast_pickle
@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: str  # one of QUESTION_TYPES
    topic: str
    prompt: str  # for cloze: text with [[blank]] markers
    answer: str  # readable answer; derived for cloze, matching and ordering
    explanation: str
    citations: tuple[Citation, ...]
    tags: tuple[str, ...] = ()
    difficulty: str = "medium"
    options: tuple[str, ...] = ()  # mcq choices; ("True", "False") for true_false
    accept: tuple[str, ...] = ()  # other accepted short answers
    pairs: tuple[tuple[str, str], ...] = ()  # matching: (left, right), correct pairing
    items: tuple[str, ...] = ()  # ordering: in the correct order
    origin: str = "curated"  # or "generated"
    template: str | None = None
    facts: tuple[str, ...] = ()
    loc: Loc = NO_LOC

    @property
    def correct_index(self) -> int:
        """Index of the answer among the options (mcq and true_false)."""
        return self.options.index(self.answer)

    @property
    def cloze_blanks(self) -> tuple[str, ...]:
        return tuple(CLOZE_BLANK.findall(self.prompt))

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.source for c in self.citations))


def cloze_answer(prompt: str) -> str:
    return "; ".join(CLOZE_BLANK.findall(prompt))


def matching_answer(pairs: tuple[tuple[str, str], ...]) -> str:
    return "; ".join(f"{left} → {right}" for left, right in pairs)


def ordering_answer(items: tuple[str, ...]) -> str:
    return " → ".join(items)


@dataclass(frozen=True, slots=True)
class QuestionSet:
    """A worksheet definition: which questions, in what order, from what seed."""

    name: str
    title: str
    instructions: str = ""
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    count: int | None = None  # sample this many (seeded) from the matches
    order: str = "bank"  # "bank", "shuffle", "topic" or "ids"
    seed: int = 0
    timeline: bool = False
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class Bank:
    """Everything validated from a bank folder, ready for the renderers."""

    root: str
    sources: tuple[Source, ...]
    questions: tuple[Question, ...]
    sets: tuple[QuestionSet, ...] = ()
    extras: Mapping[str, object] = field(default_factory=dict)  # e.g. facts, templates

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)
