"""Templates x facts -> concrete Questions. Pure and seeded.

Each generator walks the facts for one kind of question. It names its
candidates by *keys* (the fact ids and sub-items a question is built from),
counts them without building them, and builds one Question per key. A question
records its template and facts and inherits the citations of the facts it
uses, so every generated question is tied to its sources by construction.

Rules every generator keeps:
  * a wrong option comes from a fact of the same kind (another date, person,
    place, island name...), never equals the answer, is never another correct
    answer to the same prompt, and options never repeat;
  * a date offered as a wrong option has the precision of the answer;
  * the question id depends on the template and the key only, never on the
    seed or the wording, so editing a fact updates a question in place.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import itertools
import random
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from quizgen.model import (
    MONTHS,
    TRUE_FALSE_OPTIONS,
    Citation,
    Document,
    DocumentPoint,
    Event,
    Fact,
    FactDate,
    Island,
    IslandGroup,
    Person,
    Place,
    Question,
    Role,
    Template,
    cloze_answer,
    matching_answer,
    ordering_answer,
)
from quizgen.bank.templates import GENERATORS, fill, parse_slots, with_capitals

Key = tuple[str, ...]

# Combinations (orderings, matchings) can run into the millions on a large
# facts file; past this many, a seeded sample of them stands for the whole.
MAX_COMBINATIONS = 2000

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight")
LANGUAGE_NAMES = {"english": "English", "russian": "Russian", "japanese": "Japanese"}


# -- the facts, indexed once ------------------------------------------------------

@functools.lru_cache(maxsize=None)
def bounds_of(date: FactDate) -> tuple[dt.date, dt.date]:
    """FactDate.bounds, parsed once per distinct date: orderings and overlap
    checks ask for them millions of times on a large facts file."""
    return date.bounds


def overlap(a: FactDate, b: FactDate) -> bool:
    (a0, a1), (b0, b1) = bounds_of(a), bounds_of(b)
    return a0 <= b1 and b0 <= a1


@dataclass(frozen=True)
class RoleHolding:
    person: Person
    index: int  # position in person.roles: part of the question key
    role: Role
    event: Event

    @property
    def date(self) -> FactDate:
        return self.event.date  # type: ignore[return-value]


class FactIndex:
    """Lookups over a validated facts tuple; built once per expansion."""

    def __init__(self, facts: Sequence[Fact]):
        self.facts = tuple(facts)
        self.by_id: dict[str, Fact] = {f.id: f for f in facts}
        self.people = [f for f in facts if isinstance(f, Person)]
        self.events = [f for f in facts if isinstance(f, Event)]
        self.places = [f for f in facts if isinstance(f, Place)]
        self.islands = [f for f in facts if isinstance(f, Island)]
        self.groups = [f for f in facts if isinstance(f, IslandGroup)]
        self.documents = [f for f in facts if isinstance(f, Document)]
        self.dated_events = [e for e in self.events if e.date is not None]
        self.holdings = [
            RoleHolding(p, i, r, self.by_id[r.at])  # type: ignore[arg-type]
            for p in self.people for i, r in enumerate(p.roles)
            if isinstance(self.by_id.get(r.at), Event) and self.by_id[r.at].date is not None  # type: ignore[union-attr]
        ]
        self.holdings_by_role: dict[str, list[RoleHolding]] = {}
        for h in self.holdings:
            self.holdings_by_role.setdefault(h.role.role, []).append(h)

    def get(self, fact_id: str, kind: type) -> Fact | None:
        fact = self.by_id.get(fact_id)
        return fact if isinstance(fact, kind) else None


# -- shared helpers ---------------------------------------------------------------

def question_id(template: Template, key: Key) -> str:
    digest = hashlib.sha256("\x1f".join((template.name, *key)).encode("utf-8")).hexdigest()
    return f"gen-{template.name}-{digest[:10]}"


def rng_for(seed: int, qid: str) -> random.Random:
    """One generator per question, so a question's options do not depend on
    which other questions were selected with it."""
    digest = hashlib.sha256(f"{seed}\x1f{qid}".encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def date_slots(date: FactDate) -> dict[str, str]:
    when = date.label() or date.value
    prep = {"day": "on", "month": "in", "year": "in"}.get(date.precision, "")
    on_when = f"{prep} {when}".strip()
    mark = " (inferred)" if date.inferred else ""
    note = (f"The article does not print this date in full; it is inferred. {date.basis}" if date.inferred
            else date.basis)
    return {"when": when, "when_prep": prep, "on_when": on_when, "when_marked": when + mark,
            "on_when_marked": on_when + mark, "date_note": note}


def status_note(event: Event) -> str:
    if event.status == "planned":
        return "The article reports only the plan; it does not say whether the meeting took place."
    return ""


def on_label(date: FactDate, precision: str) -> str | None:
    label = date.label(precision)
    if label is None:
        return None
    prep = {"day": "on", "month": "in", "year": "in"}.get(precision, "")
    return f"{prep} {label}".strip()


def dedupe(values: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Distinct values in first-seen order, case- and space-insensitively,
    leaving out anything equal to an excluded value."""
    seen = {_fold(v) for v in exclude}
    out = []
    for v in values:
        k = _fold(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _cap(text: str) -> str:
    """Options open with a capital, like any answer on a card."""
    return text[:1].upper() + text[1:]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def join_names(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def slots_used(template: Template) -> set[str]:
    names = parse_slots(template.prompt)[0] + parse_slots(template.explanation)[0]
    return {n[:-4] if n.endswith("_cap") else n for n in names}


def unique_citations(groups: Iterable[Iterable[Citation]]) -> tuple[Citation, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for group in groups:
        for c in group:
            if (c.source, c.quote) not in seen:
                seen.add((c.source, c.quote))
                out.append(c)
    return tuple(out)


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
    pairs: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    order_options: Callable[[list[str]], list[str]] | None = None  # default: shuffled
    extra_citations: Mapping[str, tuple[Citation, ...]] = field(default_factory=dict)  # by slot used


def pick_options(draft: Draft, n_options: int, rng: random.Random) -> list[str]:
    """The answer and up to n_options - 1 wrong options, the preferred ones
    first. Generators build their pools distinct and without the answer; the
    options drawn are checked again, and on a clash the pool is cleaned and the
    draw repeated, so a duplicate option can never reach a card."""
    def draw(wrong: Sequence[str]) -> list[str]:
        state = rng.getstate()
        want = min(len(wrong), n_options - 1)
        preferred = set(draft.preferred)
        first = [w for w in wrong if w in preferred]
        chosen = rng.sample(first, min(len(first), want))
        taken = set(chosen)
        chosen += rng.sample([w for w in wrong if w not in taken], want - len(chosen))
        shown = [draft.answer, *chosen]
        if len({_fold(o) for o in shown}) == len(shown):
            return shown
        rng.setstate(state)
        return []

    return draw(draft.wrong) or draw(dedupe(draft.wrong, exclude=[draft.answer]))


def finish(template: Template, key: Key, draft: Draft, seed: int) -> Question:
    """Word a draft: pick and order options, fill the slots, inherit citations."""
    qid = question_id(template, key)
    rng = rng_for(seed, qid)
    slots = {"verdict": "", "stated": "", **draft.slots}
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
        shown = pick_options(draft, template.options, rng)
        ordered = draft.order_options(shown) if draft.order_options else rng.sample(shown, len(shown))
        options = tuple(_cap(o) for o in ordered)
        answer = _cap(draft.answer)
    elif template.type == "cloze":
        answer = cloze_answer(prompt)
    elif template.type == "matching":
        pairs = draft.pairs
        answer = matching_answer(pairs)
    elif template.type == "ordering":
        items = draft.items
        answer = ordering_answer(items)
    used = slots_used(template)
    citations = unique_citations([draft.citations,
                                  *(c for s, c in sorted(draft.extra_citations.items()) if s in used),
                                  *(draft.option_citations[o] for o in shown if o in draft.option_citations)])
    return Question(
        id=qid, type=template.type, topic=template.topic, prompt=prompt, answer=answer,
        explanation=explanation, citations=citations, tags=template.tags, difficulty=template.difficulty,
        options=options, accept=tuple(dedupe(accept, exclude=[answer])), pairs=pairs, items=items,
        origin="generated", template=template.name, facts=tuple(dict.fromkeys(draft.facts)),
    )


# -- generators -------------------------------------------------------------------

class Generator:
    """Keys, counts and builds the questions of one generator for one template."""

    def __init__(self, template: Template, index: FactIndex):
        self.template = template
        self.index = index
        self.params = dict(template.params)
        self._memo: dict[object, object] = {}

    def memo(self, key: object, compute: Callable[[], object]):
        """Compute once per generator: keys() and build() ask for the same pools."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def keys(self, seed: int = 0) -> list[Key]:
        """Every candidate (or a seeded sample of them, when combinations are
        too many); each one builds into a valid question."""
        return list(self._keys())

    def count(self) -> int:
        return sum(1 for _ in self._keys())

    def _keys(self) -> Iterator[Key]:
        raise NotImplementedError

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
            if t == "mcq" and not pool:
                continue  # no option to offer besides the answer
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
        return draft

    @staticmethod
    def _base(key: Key) -> Key:
        if key and key[-1] == "true":
            return key[:-1]
        if len(key) >= 2 and key[-2] == "false":
            return key[:-2]
        return key


class EventDate(Generator):
    def _labels(self, precision: str) -> dict[str, str]:
        """Every event date shown at ``precision``: label -> ISO token, in date order."""
        def compute() -> dict[str, str]:
            width = {"year": 4, "month": 7, "day": 10}[precision]
            table: dict[str, str] = {}
            for other in self.index.dated_events:
                label = other.date.label(precision)  # type: ignore[union-attr]
                if label and label not in table:
                    table[label] = other.date.value[:width]  # type: ignore[union-attr]
            return dict(sorted(table.items(), key=lambda kv: kv[1]))
        return self.memo(("labels", precision), compute)  # type: ignore[return-value]

    def _pool(self, event: Event) -> dict[str, str]:
        """Other events' dates at this date's precision: label -> ISO token.
        Labels are made by one function, so equal dates have equal labels."""
        answer = event.date.label()  # type: ignore[union-attr]
        return {k: v for k, v in self._labels(event.date.precision).items() if k != answer}  # type: ignore[union-attr]

    def _eligible(self) -> Iterator[Event]:
        for e in self.index.dated_events:
            if e.date.precision in ("year", "month", "day"):  # type: ignore[union-attr]
                yield e

    def _keys(self) -> Iterator[Key]:
        return self._item_keys(((e.id,), self._pool(e)) for e in self._eligible())

    def draft(self, key: Key) -> Draft:
        event: Event = self.index.by_id[self._base(key)[0]]  # type: ignore[assignment]
        date: FactDate = event.date  # type: ignore[assignment]
        pool = self._pool(event)
        slots = {"name": event.name, "label": event.label, "summary": event.summary, "note": event.note,
                 "status_note": status_note(event), **date_slots(date)}
        answer = slots["when"]
        accept = [date.value]
        if date.precision == "day":
            month = MONTHS[int(date.value[5:7]) - 1]
            accept.append(f"{month} {int(date.value[8:10])}, {date.value[:4]}")  # "December 15, 2016"
        tokens = {**pool, answer: date.value}  # dates read best in chronological order
        draft = Draft(facts=(event.id,), citations=event.citations, slots=slots, answer=answer,
                      wrong=list(pool), accept=tuple(accept),
                      order_options=lambda options: sorted(options, key=lambda o: tokens[o]))
        prep = slots["when_prep"]
        return self._stated(key, draft, pool, lambda v: f"{prep} {v}".strip())


class RoleHolder(Generator):
    def _pool(self, h: RoleHolding, plausible_only: bool = False) -> dict[str, str]:
        """People who did not hold this office at a time overlapping the event:
        name -> id. With ``plausible_only``, only those of the holder's country
        (when there are any): "Putin was Japan's press secretary" tests nothing."""
        return self.memo((h.person.id, h.index, plausible_only),  # type: ignore[return-value]
                         lambda: self._compute_pool(h, plausible_only))

    def _compute_pool(self, h: RoleHolding, plausible_only: bool) -> dict[str, str]:
        holders = {o.person.id for o in self.index.holdings_by_role.get(h.role.role, ())
                   if overlap(o.date, h.date)}
        answer = _fold(h.person.name)
        pool = {name: pid for name, pid, folded in self._people() if pid not in holders and folded != answer}
        if plausible_only:
            same = {n: i for n, i in pool.items() if self._country(i) == h.person.country}
            return same or pool
        return pool

    def _people(self) -> list[tuple[str, str, str]]:
        """(name, id, folded name) of everyone, one per name, by name."""
        def compute() -> list[tuple[str, str, str]]:
            names = {p.name: p.id for p in self.index.people}
            return [(n, names[n], _fold(n)) for n in sorted(dedupe(names))]
        return self.memo("people", compute)  # type: ignore[return-value]

    def _country(self, person_id: str) -> str:
        return self.index.by_id[person_id].country  # type: ignore[union-attr]

    def _holding(self, key: Key) -> RoleHolding:
        pid, i = self._base(key)[:2]
        table = self.memo("holdings", lambda: {(h.person.id, h.index): h for h in self.index.holdings})
        return table[(pid, int(i))]  # type: ignore[index]

    def _keys(self) -> Iterator[Key]:
        tf = self.template.type == "true_false"
        return self._item_keys(((h.person.id, str(h.index)), self._pool(h, plausible_only=tf))
                               for h in self.index.holdings)

    def draft(self, key: Key) -> Draft:
        h = self._holding(key)
        p, e = h.person, h.event
        others = sorted({s.name for s in p.spellings} - {p.name})
        accept = tuple(others) + (p.name.split()[-1],)
        slots = {"person": p.name, "role": h.role.role, "event": e.unnamed, "event_name": e.name,
                 "summary": e.summary, "person_note": p.note, **date_slots(h.date)}
        pool = self._pool(h)
        draft = Draft(facts=(p.id, e.id), citations=h.role.citations, slots=slots, answer=p.name,
                      wrong=list(pool), preferred=list(self._pool(h, plausible_only=True)), accept=accept)
        return self._stated(key, draft, pool)


class MeetingPlace(Generator):
    def _events(self) -> Iterator[tuple[Event, Place]]:
        for e in self.index.dated_events:
            place = self.index.get(e.place or "", Place)
            if place is not None and e.unplaced:
                yield e, place  # type: ignore[misc]

    def _pool(self, e: Event, place: Place) -> dict[str, str]:
        """Places of the same type, except those tied to the event: name -> id."""
        excluded = {place.id, *e.other_places}
        answer = _fold(place.name)
        return {name: pid for name, pid, folded in self._places(place.type)
                if pid not in excluded and folded != answer}

    def _places(self, kind: str) -> list[tuple[str, str, str]]:
        """(name, id, folded name) of the places of one type, one per name, by name."""
        def compute() -> list[tuple[str, str, str]]:
            names = {p.name: p.id for p in self.index.places if p.type == kind}
            return [(n, names[n], _fold(n)) for n in sorted(dedupe(names))]
        return self.memo(("places", kind), compute)  # type: ignore[return-value]

    def _keys(self) -> Iterator[Key]:
        return self._item_keys(((e.id,), self._pool(e, p)) for e, p in self._events())

    def draft(self, key: Key) -> Draft:
        e: Event = self.index.by_id[self._base(key)[0]]  # type: ignore[assignment]
        place: Place = self.index.by_id[e.place]  # type: ignore[index,assignment]
        slots = {"place": place.name, "unplaced": e.unplaced, "name": e.name, "summary": e.summary,
                 "note": e.note, "status_note": status_note(e), **date_slots(e.date)}  # type: ignore[arg-type]
        pool = self._pool(e, place)
        draft = Draft(facts=(e.id, place.id), citations=unique_citations([e.citations, place.citations]),
                      slots=slots, answer=place.name, wrong=list(pool))
        return self._stated(key, draft, pool)


def _names_note(island: Island | None, group: IslandGroup | None) -> str:
    added = []
    if island is not None:
        added += [LANGUAGE_NAMES[lang] for lang in ("russian", "japanese") if lang in island.not_in_articles]
    if group is not None and "native" in group.not_in_articles:
        added.append("native-script group")
    if not added:
        return ""
    langs = sorted(set(a for a in added if a in LANGUAGE_NAMES.values()))
    what = f"the {join_names(langs)} names" if langs else "the native-script names"
    return (f"The articles print only the English names; {what} here are added data, "
            "not quoted from any article.")


class IslandName(Generator):
    @property
    def language(self) -> str:
        return str(self.params.get("answer", "english"))

    def _pool(self, island: Island) -> dict[str, str]:
        """The other islands' names in the answer's language: name -> island id."""
        names = {i.name_in(self.language): i.id for i in self.index.islands if i.id != island.id}
        return {n: names[n] for n in sorted(dedupe(names, exclude=[island.name_in(self.language)]))}

    def _keys(self) -> Iterator[Key]:
        return self._item_keys(((i.id,), self._pool(i)) for i in self.index.islands)

    def draft(self, key: Key) -> Draft:
        island: Island = self.index.by_id[self._base(key)[0]]  # type: ignore[assignment]
        group = self.index.get(island.group, IslandGroup)
        sides = {n.side: n.english for n in group.names} if isinstance(group, IslandGroup) else {}
        slots = {"english": island.english, "russian": island.russian, "japanese": island.japanese,
                 "group_russia": sides.get("Russia", ""), "group_japan": sides.get("Japan", ""),
                 "names_note": _names_note(island, None), "note": island.note}
        facts = (island.id,)
        extra = {}
        if isinstance(group, IslandGroup):
            extra = {"group_russia": group.citations, "group_japan": group.citations}
            if {"group_russia", "group_japan"} & slots_used(self.template):
                facts += (group.id,)
        pool = self._pool(island)
        draft = Draft(facts=facts, citations=island.citations, slots=slots, answer=island.name_in(self.language),
                      wrong=list(pool), extra_citations=extra)
        return self._stated(key, draft, pool)


class IslandGroupName(Generator):
    @property
    def field(self) -> str:
        return str(self.params.get("answer", "english"))

    def _items(self) -> Iterator[tuple[IslandGroup, int]]:
        for g in self.index.groups:
            for i in range(len(g.names)):
                yield g, i

    def _pool(self, g: IslandGroup, i: int) -> dict[str, str]:
        """The other sides' names for the group: name -> its position."""
        names = {getattr(n, self.field): str(j) for j, n in enumerate(g.names) if j != i}
        own = getattr(g.names[i], self.field)
        return {n: names[n] for n in sorted(dedupe(names, exclude=[own]))}

    def _keys(self) -> Iterator[Key]:
        return self._item_keys(((g.id, str(i)), self._pool(g, i)) for g, i in self._items())

    def draft(self, key: Key) -> Draft:
        gid, i = self._base(key)[:2]
        g: IslandGroup = self.index.by_id[gid]  # type: ignore[assignment]
        name = g.names[int(i)]
        others = [n for n in g.names if n is not name]
        slots = {"side": name.side, "other_side": join_names([n.side for n in others]), "group": g.name,
                 "english": name.english, "native": name.native,
                 "other_english": join_names([n.english for n in others]),
                 "names_note": _names_note(None, g) if self.field == "native" else "", "note": g.note}
        pool = self._pool(g, int(i))
        draft = Draft(facts=(g.id,), citations=g.citations, slots=slots, answer=getattr(name, self.field),
                      wrong=list(pool))
        return self._stated(key, draft, pool)


class Combinations(Generator):
    """Generators whose questions are sets of facts: counted exactly, and
    enumerated in full or, past MAX_COMBINATIONS, sampled with the seed."""

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


class IslandMatching(Combinations):
    def _langs(self) -> tuple[str, str]:
        return str(self.params.get("left", "english")), str(self.params.get("right", "japanese"))

    def _usable(self) -> list[Island]:
        left, right = self._langs()
        if left == right:
            return []
        return self.index.islands

    def count(self) -> int:
        n, k = len(self._usable()), int(self.params.get("size", 4))  # type: ignore[arg-type]
        return _binomial(n, k)

    def _keys(self) -> Iterator[Key]:
        k = int(self.params.get("size", 4))  # type: ignore[arg-type]
        for combo in itertools.combinations(self._usable(), k):
            yield tuple(i.id for i in combo)

    def _random_key(self, rng: random.Random) -> Key | None:
        usable = self._usable()
        k = int(self.params.get("size", 4))  # type: ignore[arg-type]
        picked = sorted(rng.sample(range(len(usable)), k))
        return tuple(usable[i].id for i in picked)

    def draft(self, key: Key) -> Draft:
        left, right = self._langs()
        islands: list[Island] = [self.index.by_id[i] for i in key]  # type: ignore[misc]
        pairs = tuple((i.name_in(left), i.name_in(right)) for i in islands)
        text = "; ".join(f"{a} is {b}" for a, b in pairs)
        slots = {"left_language": LANGUAGE_NAMES[left], "right_language": LANGUAGE_NAMES[right],
                 "pairs_text": text + ".", "names_note": _names_note(islands[0], None)}
        return Draft(facts=key, citations=unique_citations(i.citations for i in islands), slots=slots,
                     pairs=pairs)


def _binomial(n: int, k: int) -> int:
    from math import comb

    return comb(n, k) if 0 <= k <= n else 0


class DeclarationClaim(Generator):
    def _keys(self) -> Iterator[Key]:
        for d in self.index.documents:
            for claim in d.claims:
                yield (d.id, claim.key, "true")
                for i in range(len(claim.false)):
                    yield (d.id, claim.key, f"false-{i}")

    def count(self) -> int:
        return sum(1 + len(c.false) for d in self.index.documents for c in d.claims)

    def draft(self, key: Key) -> Draft:
        d: Document = self.index.by_id[key[0]]  # type: ignore[assignment]
        claim = next(c for c in d.claims if c.key == key[1])
        is_true = key[2] == "true"
        statement = claim.statement if is_true else claim.false[int(key[2].split("-")[1])]
        slots = {"document": d.short_name, "statement": statement, "truth": claim.statement,
                 "detail": claim.detail}
        return Draft(facts=(d.id,), citations=claim.citations, slots=slots, truth=is_true, stated=statement)


class DeclarationChoice(Generator):
    @property
    def pick_true(self) -> bool:
        return self.params.get("pick", "true") == "true"

    def _keys(self) -> Iterator[Key]:
        for d in self.index.documents:
            falsified = sum(len(c.false) for c in d.claims)
            for claim in d.claims:
                if self.pick_true and falsified:
                    yield (d.id, claim.key)
                elif not self.pick_true and len(d.claims) > 1:
                    for i in range(len(claim.false)):
                        yield (d.id, claim.key, str(i))

    def draft(self, key: Key) -> Draft:
        d: Document = self.index.by_id[key[0]]  # type: ignore[assignment]
        claim = next(c for c in d.claims if c.key == key[1])
        others = [c for c in d.claims if c.key != claim.key]
        shown: dict[str, tuple[Citation, ...]] = {}
        if self.pick_true:
            answer = claim.statement
            wrong = dedupe((f for c in d.claims for f in c.false), exclude=[answer])
        else:
            answer = claim.false[int(key[2])]
            wrong = dedupe((c.statement for c in others), exclude=[answer])
            # a true statement offered as an option is a fact too: cited when shown
            shown = {c.statement: c.citations for c in others}
        slots = {"document": d.short_name, "chosen": answer, "truth": claim.statement, "detail": claim.detail}
        return Draft(facts=(d.id,), citations=claim.citations, slots=slots, answer=answer, wrong=sorted(wrong),
                     option_citations=shown)


class DeclarationPoint(Generator):
    POINTS = ("ended", "restored", "left_open", "islands", "condition")

    @property
    def point(self) -> str:
        return str(self.params.get("point", "ended"))

    def _usable(self, d: Document) -> bool:
        needed = ({self.point} | slots_used(self.template)) & set(self.POINTS)
        if any(getattr(d, p) is None for p in needed):
            return False
        return self.template.type != "mcq" or bool(getattr(d, self.point).wrong)

    def _keys(self) -> Iterator[Key]:
        return ((d.id,) for d in self.index.documents if self._usable(d))

    def draft(self, key: Key) -> Draft:
        d: Document = self.index.by_id[key[0]]  # type: ignore[assignment]
        point: DocumentPoint = getattr(d, self.point)
        slots = {"document": d.name, "short_name": d.short_name, "value": point.text, "point_note": point.note,
                 "note": d.note}
        slots.update({p: getattr(d, p).text if getattr(d, p) else "" for p in self.POINTS})
        extra = {p: getattr(d, p).citations for p in self.POINTS if getattr(d, p)}
        accept = ()
        parts = point.text.split(" and ")
        if len(parts) == 2:  # "Shikotan and Habomai" is also right the other way round
            accept = (f"{parts[1]} and {parts[0]}",)
        return Draft(facts=(d.id,), citations=point.citations, slots=slots, answer=point.text,
                     wrong=sorted(point.wrong), accept=accept, extra_citations=extra)


class Chronology(Combinations):
    """k events whose dates cannot overlap, so their order is certain."""

    @property
    def size(self) -> int:
        return int(self.params.get("size", 4))  # type: ignore[arg-type]

    def _sorted(self) -> list[tuple[dt.date, dt.date, Event]]:
        """(first day, last day, event), by first day."""
        return self.memo("sorted", lambda: sorted(  # type: ignore[return-value]
            ((*bounds_of(e.date), e) for e in self.index.dated_events),  # type: ignore[arg-type]
            key=lambda row: (row[0], row[1], row[2].id)))

    def count(self) -> int:
        """Chains of `size` events, each ending before the next begins: for
        each length, the chains ending at an event are summed over the events
        that end before it starts (a prefix sum in order of last day)."""
        rows = self._sorted()
        if self.size <= 0 or not rows:
            return 0
        by_end = sorted(range(len(rows)), key=lambda i: rows[i][1])
        ends = [rows[i][1] for i in by_end]
        before = [bisect.bisect_left(ends, start) for start, _, _ in rows]  # events ending earlier
        chains = [1] * len(rows)
        for _ in range(self.size - 1):
            prefix = [0]
            for i in by_end:
                prefix.append(prefix[-1] + chains[i])
            chains = [prefix[before[i]] for i in range(len(rows))]
        return sum(chains)

    def _keys(self) -> Iterator[Key]:
        rows = self._sorted()
        k = self.size

        def extend(chain: list[int]) -> Iterator[Key]:
            if len(chain) == k:
                yield tuple(rows[i][2].id for i in chain)
                return
            start = chain[-1] + 1 if chain else 0
            for i in range(start, len(rows)):
                if not chain or rows[chain[-1]][1] < rows[i][0]:
                    yield from extend(chain + [i])

        return extend([])

    def _random_key(self, rng: random.Random) -> Key | None:
        rows = self._sorted()
        if len(rows) < self.size:
            return None
        chain = [rows[i] for i in sorted(rng.sample(range(len(rows)), self.size))]
        if any(not a[1] < b[0] for a, b in zip(chain, chain[1:])):
            return None
        return tuple(row[2].id for row in chain)

    def draft(self, key: Key) -> Draft:
        events: list[Event] = [self.index.by_id[i] for i in key]  # type: ignore[misc]
        parts = []
        for e in events:
            d: FactDate = e.date  # type: ignore[assignment]
            parts.append(f"{e.name} ({d.label()}{', inferred' if d.inferred else ''})")
        inferred = [e for e in events if e.date.inferred]  # type: ignore[union-attr]
        notes = ""
        if inferred:
            notes = ("Dates marked inferred are not printed in full in the articles; they are worked out from "
                     "each article's context, as the source registry records.")
        slots = {"count": NUMBER_WORDS[len(events)] if len(events) < len(NUMBER_WORDS) else str(len(events)),
                 "timeline": "; ".join(parts) + ".", "date_notes": notes}
        return Draft(facts=key, citations=unique_citations(e.citations for e in events), slots=slots,
                     items=tuple(e.label for e in events))


class PeopleRoles(Combinations):
    """k people, each with a single office, no two sharing one, so the
    matching has exactly one solution."""

    @property
    def size(self) -> int:
        return int(self.params.get("size", 4))  # type: ignore[arg-type]

    def _groups(self) -> list[tuple[str, list[Person]]]:
        return self.memo("groups", self._compute_groups)  # type: ignore[return-value]

    def _compute_groups(self) -> list[tuple[str, list[Person]]]:
        by_office: dict[str, list[Person]] = {}
        for p in self.index.people:
            offices = {r.role for r in p.roles}
            if len(offices) == 1:
                by_office.setdefault(offices.pop(), []).append(p)
        return sorted(by_office.items())

    def count(self) -> int:
        # elementary symmetric polynomial of the group sizes
        e = [1] + [0] * self.size
        for _, people in self._groups():
            for j in range(self.size, 0, -1):
                e[j] += e[j - 1] * len(people)
        return e[self.size]

    def _keys(self) -> Iterator[Key]:
        for offices in itertools.combinations(self._groups(), self.size):
            for people in itertools.product(*(g for _, g in offices)):
                yield tuple(p.id for p in people)

    def _random_key(self, rng: random.Random) -> Key | None:
        groups = self._groups()
        if len(groups) < self.size:
            return None
        picked = sorted(rng.sample(range(len(groups)), self.size))
        return tuple(rng.choice(groups[i][1]).id for i in picked)

    def draft(self, key: Key) -> Draft:
        people: list[Person] = [self.index.by_id[i] for i in key]  # type: ignore[misc]
        pairs = tuple((p.name, p.roles[0].role) for p in people)
        text = "; ".join(f"{name} was {office}" for name, office in pairs) + "."
        notes = " ".join(p.note for p in people if p.note)
        slots = {"pairs_text": text, "notes": notes}
        return Draft(facts=key, citations=unique_citations(p.roles[0].citations for p in people), slots=slots,
                     pairs=pairs)


GENERATOR_CLASSES: dict[str, type[Generator]] = {
    "event-date": EventDate,
    "role-holder": RoleHolder,
    "meeting-place": MeetingPlace,
    "island-name": IslandName,
    "island-group-name": IslandGroupName,
    "island-matching": IslandMatching,
    "declaration-claim": DeclarationClaim,
    "declaration-choice": DeclarationChoice,
    "declaration-point": DeclarationPoint,
    "chronology": Chronology,
    "people-roles": PeopleRoles,
}
assert set(GENERATOR_CLASSES) == set(GENERATORS), "every generator spec needs an implementation"


def generator_for(template: Template, index: FactIndex) -> Generator:
    return GENERATOR_CLASSES[template.generator](template, index)


def expand(templates: Sequence[Template], facts: Sequence[Fact], seed: int = 0) -> tuple[Question, ...]:
    """Every question the templates can make from the facts (combinations
    past MAX_COMBINATIONS sampled with the seed), in template order."""
    index = FactIndex(facts)
    out: list[Question] = []
    for t in templates:
        gen = generator_for(t, index)
        out.extend(gen.build(k, seed) for k in gen.keys(seed))
    return tuple(out)
