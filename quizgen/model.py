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
    # Page furniture (captions, banners, links) the coverage report leaves out.
    exclude: tuple["Excluded", ...] = ()

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


@dataclass(frozen=True, slots=True)
class Excluded:
    """A verbatim span of an article that no question need cite, and why."""

    text: str
    reason: str
    loc: Loc = NO_LOC


@fast_pickle
@dataclass(frozen=True, slots=True)
class Citation:
    source: str  # a Source.id
    quote: str  # verbatim text of the article, at most 30 words
    loc: Loc = NO_LOC


SUPPORT_STATUSES = ("quoted", "inferred", "outside")


@fast_pickle
@dataclass(frozen=True, slots=True)
class Support:
    """Whether the key is stated by the citations (quoted), follows from them
    by reasoning the reason spells out (inferred), or is not from the sources
    at all (outside). quizgen/bank/support.py checks that "quoted" is true."""

    status: str = "quoted"  # one of SUPPORT_STATUSES
    reason: str = ""  # shown to students; required unless quoted
    loc: Loc = NO_LOC


QUOTED = Support()


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
    support: Support = QUOTED
    points: int | None = None  # None: the set's or the type's default (quizgen.select.question_points)
    spares: tuple[str, ...] = ()  # matching: right-hand options that match no left item

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
    points: tuple[tuple[str, int], ...] = ()  # (type, points): overrides the type's default on this set


# The words a worksheet, key or card prints around the bank's own text. A bank
# in another language overrides them in its config (bank.yaml `labels:`).
DEFAULT_LABELS: Mapping[str, str] = {
    "name": "Name",
    "class": "Class",
    "date": "Date",
    "worksheet": "Worksheet",
    "answer_key": "Answer key",
    "teacher_grid": "Teacher grid",
    "variant": "Variant",
    "page": "Page",
    "page_of": "of",
    "true": "True",
    "false": "False",
    "sources": "Sources",
    "source": "Source",
    "explanation": "Why",
    "inferred": "inferred",
    "undated": "undated",
    "outlet_unknown": "no outlet printed",  # a fact about the article, not a fault of the bank
    "timeline": "Timeline",
    "support_inferred": "Inferred",  # before the reason of a key the sources do not state word for word
    "support_outside": "Not from the sources",
    # after the prompt of a question whose support is inferred, on student sheets,
    # and the line of the sheet's instructions that says what it means
    "inferred_mark": "†",
    "inferred_note": "† The articles imply this answer but do not state it.",
    # PDF worksheets and keys. "{count}" in order_note is replaced by the
    # number of items (a plain replace: labels are never templates).
    "code": "code",
    "also_accepted": "also accepted",
    "order": "order",
    "boxes": "boxes",
    "match_note": "Write the letter of the match in each box.",
    "spare_note": "One option on the right is not used.",  # a matching with a spare option
    "spares_note": "{count} options on the right are not used.",
    "not_used": "not used",  # the key's list of a matching's spare options
    "order_note": "Number the boxes 1 to {count}, 1 first.",
    "timeline_task": "Timeline. For each numbered mark on the axis, write in the table the date, what "
                     "happened, and which article reports it.",
    "timeline_event": "What happened",
    "timeline_article": "Article",
    "timeline_published": "the article is published",  # a timeline mark that is an article's own date
    "timeline_key": "Timeline of the events the cited articles date. * date inferred: the article prints none.",
    "date_inferred": "Date inferred",
    "all_variants": "answers of all variants",
    "grid_note": "One row per question: its number on each variant, then the answer that variant's key "
                 "gives. Letters are the boxes printed on each variant; matching: item number and letter; "
                 "ordering: letters from first to last.",
    "question": "Question",
    "copy": "Copy",  # a per-student copy: "Copy 03: Ada Lovelace"
    "copies": "copies",
    "score": "Score",
    "point": "point",  # "1 point"
    "points": "points",  # "2 points"
    "points_head": "Points",  # the key summary's column head
    "total": "total",
    "answer": "Answer",
    "explanations": "Explanations and sources",
    "set": "set",
    "seed": "seed",
    "variants": "variants",
    "all_instructions": "Answer every question.",  # the one set of a bank without set files
    "bc": "BC",  # after a year before 1 on the timeline: "44 BC"
    # answer sheets (quizgen pdf --answer-sheet, docs/grading.md)
    "answer_sheet": "Answer sheet",
    "student_id": "Student number",
    "sheet_note": "Fill the box of your answer completely with a dark pen; erase fully to change it.",
    "teacher_score": "teacher",
}


# The single-file formats quizgen writes (quizgen.render.EXPORTERS, docs/exports.md).
EXPORT_FORMATS = ("json", "gift", "moodle", "qti", "csv", "tsv", "html")


@dataclass(frozen=True, slots=True)
class Topic:
    id: str  # the slug questions name in `topic:`
    name: str  # how decks and worksheets title it
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class BankConfig:
    """The bank's own settings (bank.yaml): everything subject-specific that
    the renderers print or use, so nothing in quizgen/ knows a bank's subject."""

    title: str
    description: str = ""
    author: str = ""
    language: str = "en"  # BCP 47 tag, written into PDF metadata
    deck_name: str = ""  # the parent Anki deck; the title when empty
    deck_description: str = ""
    corpus: str = "sources"  # folder of the articles, relative to the bank
    # Mixed into note GUIDs so two banks with equal question ids never collide
    # in one collection. Empty: GUIDs from question ids alone, as decks built
    # before namespaces existed have them.
    id_namespace: str = ""
    fonts: tuple[str, ...] = ()  # extra TrueType files, relative to the bank, tried first
    topics: tuple[Topic, ...] = ()  # display names and order; empty: any topic, named from its slug
    labels: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    loc: Loc = NO_LOC
    # Questions marked `support: outside` (material not from the sources) go into
    # the default deck and worksheets only when the bank opts in.
    include_outside: bool = False
    exports: tuple[str, ...] = ()  # EXPORT_FORMATS `quizgen build` writes beside the deck and worksheets

    @property
    def deck(self) -> str:
        return self.deck_name or self.title

    def label(self, key: str) -> str:
        return self.labels.get(key) or DEFAULT_LABELS[key]

    def topic_name(self, topic: str) -> str:
        for t in self.topics:
            if t.id == topic:
                return t.name
        return topic.replace("-", " ").capitalize()

    def topic_rank(self, topic: str) -> tuple[int, str]:
        """Sort key: declared topics in their declared order, then the rest by slug."""
        for i, t in enumerate(self.topics):
            if t.id == topic:
                return (i, "")
        return (len(self.topics), topic)


@dataclass(frozen=True, slots=True)
class Bank:
    """Everything validated from a bank folder, ready for the renderers."""

    root: str
    sources: tuple[Source, ...]
    questions: tuple[Question, ...]
    sets: tuple[QuestionSet, ...] = ()
    extras: Mapping[str, object] = field(default_factory=dict)  # e.g. facts, templates
    config: BankConfig = field(default_factory=lambda: BankConfig(title="Question bank"))

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


# -- facts and templates -------------------------------------------------------
# The kinds of fact record are declared in the bank's own kinds.yaml (loaded by
# quizgen/bank/kinds.py), the records in facts.yaml (quizgen/bank/facts.py);
# quizgen/generate/ expands templates over them. Nothing here knows a subject.
from quizgen.dates import MONTHS, FactDate  # noqa: E402,F401  (re-exported)

FIELD_TYPES = ("text", "name", "date", "ref", "refs", "roles", "names", "claims", "point")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a kind, as kinds.yaml declares it."""

    name: str
    type: str  # one of FIELD_TYPES
    required: bool = False
    kind: str = ""  # ref, refs: the kind referred to; roles: the kind of `at`
    languages: tuple[tuple[str, str], ...] = ()  # names: (key, how a reader calls it)
    spellings: bool = False  # name: a record lists `spellings`, each quoted by its source
    quoted: bool = False  # text, name: must appear in one of the record's quotes
    mentions: tuple[str, ...] = ()  # text: fields whose values this text may state
    hides: tuple[str, ...] = ()  # text: fields (or "holders") whose names it must not contain
    related: tuple[str, ...] = ()  # ref: refs fields of records that are also right answers
    description: str = ""
    loc: Loc = NO_LOC

    def language(self, key: str) -> str:
        return dict(self.languages).get(key, key)


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of fact record: its fields and the field that names a record."""

    name: str
    fields: tuple[FieldSpec, ...]
    title: str = "name"  # a text/name field, or "<names field>.<language>"
    description: str = ""
    loc: Loc = NO_LOC

    def field(self, name: str) -> FieldSpec | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(frozen=True, slots=True)
class Spelling:
    """A form of a name as one source prints it."""

    name: str
    source: str
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class Name:
    """One value of a `names` field; ``in_sources`` is False for a name we added."""

    text: str
    in_sources: bool = True


@dataclass(frozen=True, slots=True)
class Role:
    """An office held at a record (an event), as the cited article says."""

    role: str
    at: str  # a fact id; its date is the date of the role
    citations: tuple[Citation, ...]
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class Point:
    """An attribute stated by a source, with deliberately wrong alternatives."""

    text: str
    wrong: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()  # other right forms of a short answer
    note: str = ""
    citations: tuple[Citation, ...] = ()
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class Claim:
    """A true statement and deliberately falsified variants of it."""

    key: str
    statement: str
    detail: str
    false: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True, eq=False)
class Fact:
    """One record of facts.yaml: the values of its kind's fields, by name
    (text, FactDate, fact ids, Roles, Names, Claims, Points). ``own_citations``
    are the record's own; ``citations`` add those of every sub-item."""

    id: str
    kind: str
    values: Mapping[str, object]
    title: str  # how a reader names it (the kind's title field)
    note: str = ""
    own_citations: tuple[Citation, ...] = ()
    citations: tuple[Citation, ...] = ()
    spellings: tuple[Spelling, ...] = ()
    loc: Loc = NO_LOC

    def get(self, name: str, default: object = None) -> object:
        return self.values.get(name, default)


@dataclass(frozen=True, slots=True)
class Template:
    """Wording for one kind of generated question: a generator (the code that
    walks the facts), its params (which kind, which field...) and text with
    {{ placeholder }} slots."""

    name: str
    generator: str
    type: str  # one of QUESTION_TYPES
    topic: str
    prompt: str
    explanation: str
    difficulty: str = "medium"
    tags: tuple[str, ...] = ()
    params: tuple[tuple[str, str | int], ...] = ()
    options: int = 4  # mcq: at most this many options
    description: str = ""
    loc: Loc = NO_LOC

    def param(self, key: str, default: str | int | None = None) -> str | int | None:
        return dict(self.params).get(key, default)
