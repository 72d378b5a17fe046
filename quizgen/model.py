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
    "outlet_unknown": "outlet not named",
    "timeline": "Timeline",
}


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
# Loaded by quizgen/bank/facts.py and quizgen/bank/templates.py, expanded into Questions by
# quizgen/generate/expand.py. Imported here rather than at the top so that this section
# stays one self-contained addition.
import datetime as _dt  # noqa: E402
from typing import ClassVar, Union  # noqa: E402

_DATE_SHAPES = {4: "year", 7: "month", 10: "day"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class FactDate:
    """A date as precise as the article allows: "1956", "2016-09", "2016-12-15",
    or a range "2016-09/2016-12". ``inferred`` marks a date the article does not
    print; ``basis`` says how it was read or inferred, in our words."""

    value: str
    inferred: bool = False
    basis: str = ""

    @property
    def precision(self) -> str:
        return "range" if "/" in self.value else _DATE_SHAPES.get(len(self.value), "unknown")

    def problem(self) -> str | None:
        """Why the value is not a valid date, or None."""
        try:
            start, end = self.bounds
        except ValueError:
            return f"expected a date YYYY, YYYY-MM, YYYY-MM-DD or START/END, found '{self.value}'"
        if self.precision == "range":
            a, b = self.value.split("/")
            if len(a) != len(b) or start > end:
                return f"expected a range of two dates of the same form, earliest first, found '{self.value}'"
        return None

    @property
    def bounds(self) -> tuple[_dt.date, _dt.date]:
        """First and last day the date may mean (raises ValueError when invalid)."""
        parts = self.value.split("/")
        if len(parts) > 2 or any(len(p) not in _DATE_SHAPES for p in parts):
            raise ValueError(self.value)
        return _first_day(parts[0]), _last_day(parts[-1])

    def overlaps(self, other: "FactDate") -> bool:
        (a0, a1), (b0, b1) = self.bounds, other.bounds
        return a0 <= b1 and b0 <= a1

    def label(self, precision: str | None = None) -> str | None:
        """The date for a reader, at its own precision or a coarser one
        ("15 December 2016", "December 2016", "2016"); None if it cannot be
        shown at that precision."""
        own = self.precision
        want = precision or own
        if own == "range":
            if want != "range":
                return None
            a, b = (FactDate(p) for p in self.value.split("/"))
            if a.precision == "month" and a.value[:4] == b.value[:4]:
                return f"between {MONTHS[int(a.value[5:7]) - 1]} and {b.label()}"
            return f"between {a.label()} and {b.label()}"
        rank = {"year": 0, "month": 1, "day": 2}
        if want not in rank or rank[want] > rank[own]:
            return None
        year = self.value[:4]
        if want == "year":
            return year
        month = MONTHS[int(self.value[5:7]) - 1]
        if want == "month":
            return f"{month} {year}"
        return f"{int(self.value[8:10])} {month} {year}"


def _first_day(text: str) -> _dt.date:
    y, m, d = (text.split("-") + ["1", "1"])[:3]
    return _dt.date(int(y), int(m), int(d))


def _last_day(text: str) -> _dt.date:
    parts = text.split("-")
    if len(parts) == 3:
        return _dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        y, m = int(parts[0]), int(parts[1])
        nxt = _dt.date(y + (m == 12), m % 12 + 1, 1)
        return nxt - _dt.timedelta(days=1)
    return _dt.date(int(parts[0]), 12, 31)


@dataclass(frozen=True, slots=True)
class Spelling:
    """A form of a name as one source prints it."""

    name: str
    source: str
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class Role:
    """An office a person held at an event, as the cited article says."""

    role: str  # e.g. "Foreign Minister of Japan"
    at: str  # an Event id; the event's date is the date of the role
    citations: tuple[Citation, ...]
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    country: str
    spellings: tuple[Spelling, ...]
    roles: tuple[Role, ...] = ()
    note: str = ""
    citations: tuple[Citation, ...] = ()  # every citation of the record, roles included
    loc: Loc = NO_LOC
    kind: ClassVar[str] = "person"


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    label: str  # a short headline, for ordering lists
    name: str  # a noun phrase
    summary: str  # one or two sentences for explanations
    unnamed: str = ""  # the event without its participants' names
    unplaced: str = ""  # what happened, without the place
    date: FactDate | None = None
    status: str = "held"  # or "planned"
    place: str | None = None  # a Place id
    other_places: tuple[str, ...] = ()  # also tied to the event: never a wrong answer
    participants: tuple[str, ...] = ()  # Person ids
    note: str = ""
    citations: tuple[Citation, ...] = ()
    loc: Loc = NO_LOC
    kind: ClassVar[str] = "event"


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    type: str  # "city", "sea", ...: distractors are drawn from the same type
    country: str = ""
    note: str = ""
    citations: tuple[Citation, ...] = ()
    loc: Loc = NO_LOC
    kind: ClassVar[str] = "place"


@dataclass(frozen=True, slots=True)
class Island:
    id: str
    english: str
    russian: str
    japanese: str
    not_in_articles: tuple[str, ...] = ()  # names we added that no article prints
    group: str = ""  # an IslandGroup id
    note: str = ""
    citations: tuple[Citation, ...] = ()
    loc: Loc = NO_LOC
    kind: ClassVar[str] = "island"

    def name_in(self, language: str) -> str:
        return {"english": self.english, "russian": self.russian, "japanese": self.japanese}[language]


@dataclass(frozen=True, slots=True)
class GroupName:
    side: str  # who uses the name, e.g. "Russia"
    english: str
    native: str


@dataclass(frozen=True, slots=True)
class IslandGroup:
    id: str
    name: str
    members: tuple[str, ...]  # Island ids
    names: tuple[GroupName, ...]
    not_in_articles: tuple[str, ...] = ()  # "english" and/or "native"
    location: str = ""  # a Place id
    note: str = ""
    citations: tuple[Citation, ...] = ()
    loc: Loc = NO_LOC
    kind: ClassVar[str] = "island_group"


@dataclass(frozen=True, slots=True)
class DocumentPoint:
    """One thing a document did, with deliberately wrong alternatives."""

    text: str
    wrong: tuple[str, ...] = ()
    note: str = ""
    citations: tuple[Citation, ...] = ()
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class Claim:
    """A true statement about a document and deliberately falsified variants."""

    key: str
    statement: str
    detail: str
    false: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    loc: Loc = NO_LOC


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    name: str
    short_name: str
    date: FactDate | None = None
    event: str = ""  # the Event of its signing
    note: str = ""
    ended: DocumentPoint | None = None
    restored: DocumentPoint | None = None
    left_open: DocumentPoint | None = None
    islands: DocumentPoint | None = None
    condition: DocumentPoint | None = None  # on which the islands would be handed over
    claims: tuple[Claim, ...] = ()
    citations: tuple[Citation, ...] = ()  # every citation of the record, parts included
    loc: Loc = NO_LOC
    kind: ClassVar[str] = "document"


Fact = Union[Person, Event, Place, Island, IslandGroup, Document]


@dataclass(frozen=True, slots=True)
class Template:
    """Wording for one kind of generated question: a generator (the code that
    walks the facts) plus text with {{ placeholder }} slots."""

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
