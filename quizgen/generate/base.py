"""What every generator shares: the facts indexed once, question ids and
seeds, the draft a generator fills in, and `finish`, which words it.

A generator names its candidates by *keys* (the fact ids and sub-items a
question is built from), counts them without building them, and builds one
Question per key. A question records its template and facts and inherits the
citations of the facts it uses, so every generated question is tied to its
sources by construction. The question id depends on the template name and the
key only, never on the seed or the wording, so editing a fact updates a
question in place."""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from quizgen.bank.templates import fill, parse_slots, with_capitals
from quizgen.generate.options import capital, dedupe, pick_options, unique_citations
from quizgen.bank.generators import record_slots
from quizgen.generate.slots import record_values
from quizgen.model import (
    TRUE_FALSE_OPTIONS,
    Citation,
    Fact,
    FactDate,
    Kind,
    Question,
    Template,
    cloze_answer,
    matching_answer,
    ordering_answer,
)

Key = tuple[str, ...]

# Combinations (orderings, matchings) can run into the millions on a large
# facts file; past this many, a seeded sample of them stands for the whole.
MAX_COMBINATIONS = 2000
MIN_WRONG = 2  # an mcq offers at least three options: two are a coin toss


class FactIndex:
    """Lookups over validated facts and their kinds; built once per expansion."""

    def __init__(self, facts: Sequence[Fact], kinds: Mapping[str, Kind]):
        self.facts = tuple(facts)
        self.kinds = kinds
        self.by_id: dict[str, Fact] = {f.id: f for f in facts}
        self.by_kind: dict[str, list[Fact]] = {}
        self._dates: dict[str, FactDate | None] = {}
        for f in facts:
            self.by_kind.setdefault(f.kind, []).append(f)

    def of(self, kind: str) -> list[Fact]:
        return self.by_kind.get(kind, [])

    def date_of(self, fact: Fact) -> FactDate | None:
        """The record's first date field, if it has one (the date of a role held at it)."""
        if fact.id not in self._dates:
            self._dates[fact.id] = next((fact.get(s.name) for s in self.kinds[fact.kind].fields  # type: ignore[misc]
                                         if s.type == "date" and fact.get(s.name) is not None), None)
        return self._dates[fact.id]


@functools.lru_cache(maxsize=None)
def bounds_of(date: FactDate):
    """FactDate.bounds, parsed once per distinct date: orderings and overlap
    checks ask for them millions of times on a large facts file."""
    return date.bounds


def overlap(a: FactDate | None, b: FactDate | None) -> bool:
    """Whether two dates may overlap; an unknown or approximate one may."""
    if a is None or b is None or a.approximate or b.approximate:
        return True
    (a0, a1), (b0, b1) = bounds_of(a), bounds_of(b)
    return a0 <= b1 and b0 <= a1


def spelled(record: Fact, citations: Sequence[Citation]) -> str:
    """The record's name as the cited sources spell it (its title when they
    list no spelling of their own)."""
    cited = {c.source for c in citations}
    return next((s.name for s in record.spellings if s.source in cited), record.title)


def question_id(template: Template, key: Key) -> str:
    digest = hashlib.sha256("\x1f".join((template.name, *key)).encode("utf-8")).hexdigest()
    return f"gen-{template.name}-{digest[:10]}"


def rng_for(seed: int, qid: str) -> random.Random:
    """One generator per question, so a question's options do not depend on
    which other questions were selected with it."""
    digest = hashlib.sha256(f"{seed}\x1f{qid}".encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def slots_used(text: str) -> set[str]:
    return {n[:-4] if n.endswith("_cap") else n for n in parse_slots(text)[0]}


@dataclass
class Draft:
    """Everything a question needs besides its wording."""

    facts: tuple[str, ...]
    citations: tuple[Citation, ...]
    slots: dict[str, str]
    answer: str = ""
    wrong: Sequence[str] = ()  # the pool of acceptable wrong options
    preferred: Sequence[str] = ()  # the most plausible of them, offered first
    option_citations: Mapping[str, tuple[Citation, ...]] = field(default_factory=dict)  # cited if shown
    accept: tuple[str, ...] = ()
    truth: bool | None = None  # true_false: whether the prompt is true
    stated: str = ""  # true_false: the value the prompt states
    stated_citations: tuple[Citation, ...] = ()  # true_false: where a false statement's value comes from
    pairs: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    order_options: Callable[[list[str]], list[str]] | None = None  # default: shuffled
    extra_citations: Mapping[str, tuple[Citation, ...]] = field(default_factory=dict)  # by slot used


def finish(template: Template, key: Key, draft: Draft, seed: int) -> Question:
    """Word a draft: pick and order options, fill the slots, inherit citations."""
    qid = question_id(template, key)
    rng = rng_for(seed, qid)
    slots = {"verdict": "", "stated": "", "answer": draft.answer, "answer_note": "", **draft.slots}
    answer, options, accept, pairs, items = draft.answer, (), draft.accept, (), ()
    if template.type == "true_false":
        slots["verdict"] = "True." if draft.truth else "False."
        slots["stated"] = draft.stated
        answer, options = TRUE_FALSE_OPTIONS[0 if draft.truth else 1], TRUE_FALSE_OPTIONS
    values = with_capitals(slots)
    prompt = fill(template.prompt, values)
    explanation = fill(template.explanation, values)
    if not explanation:  # a template made only of optional slots, all empty for these facts
        explanation = f"The answer is: {draft.answer or cloze_answer(prompt) or ordering_answer(draft.items)}."
    shown: list[str] = []
    if template.type == "mcq":
        shown = pick_options(draft.answer, draft.wrong, draft.preferred, template.options, rng)
        ordered = draft.order_options(shown) if draft.order_options else rng.sample(shown, len(shown))
        options = tuple(capital(o) for o in ordered)
        answer = capital(draft.answer)
    elif template.type == "cloze":
        answer = cloze_answer(prompt)
    elif template.type == "matching":
        pairs = draft.pairs
        answer = matching_answer(pairs)
    elif template.type == "ordering":
        items = draft.items
        answer = ordering_answer(items)
    used = slots_used(template.prompt) | slots_used(template.explanation)
    citations = unique_citations([draft.citations,
                                  *(c for s, c in sorted(draft.extra_citations.items()) if s in used),
                                  *(draft.option_citations[o] for o in shown if o in draft.option_citations),
                                  draft.stated_citations if template.type == "true_false" else ()])
    return Question(
        id=qid, type=template.type, topic=template.topic, prompt=prompt, answer=answer,
        explanation=explanation, citations=citations, tags=template.tags, difficulty=template.difficulty,
        options=options, accept=tuple(dedupe(accept, exclude=[answer])), pairs=pairs, items=items,
        origin="generated", template=template.name, facts=tuple(dict.fromkeys(draft.facts)),
    )


class Generator:
    """Keys, counts and builds the questions of one generator for one template."""

    def __init__(self, template: Template, index: FactIndex):
        self.template = template
        self.index = index
        self.params = dict(template.params)
        self.kind: Kind = index.kinds[str(self.params["kind"])]
        self.field = self.kind.field(str(self.params.get("field", "")))
        self.records = index.of(self.kind.name)
        self.prompt_slots = slots_used(template.prompt)
        self._memo: dict[object, object] = {}

    def memo(self, key: object, compute: Callable[[], object]):
        """Compute once per generator: keys() and build() ask for the same pools."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def values(self, fact: Fact, kind: Kind | None = None, prefix: str = ""):
        """The record's slot values and slot citations, computed once per record."""
        kind = kind or self.kind
        return self.memo(("values", fact.id, prefix),
                         lambda: record_values(fact, kind, self.index.by_id, prefix))

    def shows(self, fact: Fact, kind: Kind | None = None, prefix: str = "") -> bool:
        """Whether the record has every field the prompt shows: a record without
        the text a prompt needs makes no question. Checked on the fields, not
        on built slot values, so that counting never builds text."""
        kind = kind or self.kind
        table: dict[str, str] = self.memo(("slot-fields", kind.name, prefix),  # type: ignore[assignment]
                                          lambda: record_slots(kind, prefix))
        for slot in self.prompt_slots:
            field = table.get(slot)
            if field is not None and not (fact.note if field == "note" else fact.get(field)):
                return False
        return True

    def keys(self, seed: int = 0) -> list[Key]:
        """Every candidate (or a seeded sample of them, when combinations are
        too many); each one builds into a valid question."""
        return list(self._keys())

    def count(self) -> int:
        return sum(1 for _ in self._keys())

    def _keys(self) -> Iterator[Key]:
        raise NotImplementedError

    def units(self, key: Key, q: Question) -> tuple[str, ...]:
        """What the cap per fact counts a question against: its fact records."""
        return q.facts

    def variant_of(self, key: Key) -> Key:
        """The item a key asks about: the true and the false statements of one
        item are one statement, written at most once."""
        return self._base(key)

    def build(self, key: Key, seed: int = 0) -> Question:
        return finish(self.template, key, self.draft(key), seed)

    def draft(self, key: Key) -> Draft:
        raise NotImplementedError

    # Most generators share one shape: an item with an answer and a pool of
    # wrong values, each named by a stable token (a fact id, an ISO date);
    # true/false makes one true key per item and one false key per wrong value.
    def _item_keys(self, items: Iterable[tuple[Key, Mapping[str, str]]]) -> Iterator[Key]:
        t = self.template.type
        for key, pool in items:
            if t == "mcq" and len(pool) < MIN_WRONG:
                continue  # too few options to offer besides the answer
            yield key + ("true",) if t == "true_false" else key
            if t == "true_false":
                for token in pool.values():
                    yield key + ("false", token)

    def _stated(self, key: Key, draft: Draft, pool: Mapping[str, str],
                stated_form: Callable[[str], str] = lambda v: v) -> Draft:
        """Set the truth and the stated value of a true/false variant."""
        if self.template.type == "true_false":
            is_true = key[-1] == "true"
            value = draft.answer if is_true else next(v for v, tok in pool.items() if tok == key[-1])
            draft.truth, draft.stated = is_true, stated_form(value)
            other = None if is_true else self.index.by_id.get(key[-1])
            if other is not None:  # the record the false value is taken from is used and cited
                draft.stated_citations = other.own_citations
                draft.facts = (*draft.facts, other.id)
        return draft

    @staticmethod
    def _base(key: Key) -> Key:
        if key and key[-1] == "true":
            return key[:-1]
        if len(key) >= 2 and key[-2] == "false":
            return key[:-2]
        return key


class Combinations(Generator):
    """Generators whose questions are sets of facts: counted exactly, and
    enumerated in full or, past MAX_COMBINATIONS, sampled with the seed."""

    @property
    def size(self) -> int:
        return int(self.params.get("size", 4))  # type: ignore[arg-type]

    def keys(self, seed: int = 0) -> list[Key]:
        if self.memo("count", self.count) <= MAX_COMBINATIONS:  # type: ignore[operator]
            return list(self._keys())
        rng = random.Random(f"{self.template.name}\x1f{seed}")
        found: dict[Key, None] = {}
        attempts = 0
        while len(found) < MAX_COMBINATIONS and attempts < MAX_COMBINATIONS * 50:
            attempts += 1
            key = self._random_key(rng)
            if key is not None:
                found.setdefault(key)
        return sorted(found)

    def _random_key(self, rng: random.Random) -> Key | None:
        raise NotImplementedError
