"""Question sets: filter, sample, order, and lay out seeded variants.

Everything here is pure: the same bank, set and seed give the same variants on
any machine. Randomness comes from ``random.Random`` objects seeded with a
string naming the set, the seed and the purpose; the module never touches the
global ``random`` state, so a renderer cannot disturb it and vice versa.

A ``Variant`` is plain data that the worksheet and its answer key both render
from, which is what keeps a key in step with its own shuffled worksheet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

from quizgen.model import Bank, BankConfig, Question, QuestionSet

if TYPE_CHECKING:
    from quizgen.select_leaks import Leak

# Options that only make sense in last place ("All of the above") stay there.
_PINNED_LAST = ("of the above", "all of these", "none of these")


def letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: labels for variants, options and columns."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _rng(qset_name: str, seed: int, *purpose: object) -> random.Random:
    # A str seed is hashed with SHA-512 by random.Random, so it is stable across
    # runs, platforms and PYTHONHASHSEED, unlike hash() of a tuple.
    return random.Random(":".join(["quizgen", qset_name, str(seed), *map(str, purpose)]))


# -- selection ---------------------------------------------------------------

def deliverable(bank: Bank) -> Bank:
    """The bank the default outputs (deck, worksheets) are built from: without
    questions marked ``support: outside`` unless bank.yaml sets
    ``include_outside: true``. Listing, validation and export still see them all."""
    if bank.config.include_outside or not any(q.support.status == "outside" for q in bank.questions):
        return bank
    from dataclasses import replace

    return replace(bank, questions=tuple(q for q in bank.questions if q.support.status != "outside"))


def matches(question: Question, qset: QuestionSet) -> bool:
    """True when the question passes every criterion the set gives.

    Criteria combine with AND; the values inside one criterion with OR (a
    question matches ``tags: [a, b]`` when it has tag a or tag b). An empty
    criterion does not filter.
    """
    if qset.topics and question.topic not in qset.topics:
        return False
    if qset.types and question.type not in qset.types:
        return False
    if qset.origins and question.origin not in qset.origins:
        return False
    if qset.ids and question.id not in qset.ids:
        return False
    if qset.tags and not set(question.tags) & set(qset.tags):
        return False
    return True


@dataclass(frozen=True, slots=True)
class Selection:
    """A set's questions in order, and the leaks that kept others off the sheet."""

    questions: tuple[Question, ...]
    left_out: tuple["Leak", ...] = ()


def selection(questions: Sequence[Question], qset: QuestionSet, seed: int | None = None,
              headings: Sequence[str] = ()) -> Selection:
    """The set's questions in the set's order, sampled to ``count`` when given,
    without any question whose key the sheet would print elsewhere (another
    question's text, the title or the instructions; quizgen.select_leaks).
    Candidates are taken in bank order, or in a seeded random order when
    sampling, so a question left out makes room for the next candidate."""
    from quizgen.select_leaks import without_leaks

    seed = qset.seed if seed is None else seed
    chosen = [q for q in questions if matches(q, qset)]
    limit = qset.count if qset.count is not None and qset.count < len(chosen) else None
    candidates = chosen
    if limit is not None:
        candidates = [chosen[i] for i in _rng(qset.name, seed, "sample").sample(range(len(chosen)), len(chosen))]
    kept, left_out = without_leaks(candidates, qset.title, qset.instructions or "", limit, headings)
    picked = {id(q) for q in kept}
    return Selection(tuple(_ordered([q for q in chosen if id(q) in picked], qset, seed)), tuple(left_out))


def sheet_headings(bank: Bank, qset: QuestionSet) -> tuple[str, ...]:
    """The topic headings a sheet of the set prints (none unless ordered by topic)."""
    if qset.order != "topic":
        return ()
    return tuple(bank.config.topic_name(t) for t in dict.fromkeys(q.topic for q in bank.questions if matches(q, qset)))


# Above this many candidates a set's leak check (pairs of questions) would
# dominate `quizgen validate`; the build still checks every sheet.
SUMMARY_LIMIT = 2000


class SetTally:
    """What validate says of a bank loaded without keeping its questions
    (load_bank's ``feeds``, ``keep=False``): how many and in how many files,
    each set's matching deliverable questions counted, and kept only for the
    sets left_out_summary selects from (at most SUMMARY_LIMIT matches)."""

    def __init__(self) -> None:
        self.count = 0
        self.files: dict[str, None] = {}
        self.sets: tuple[QuestionSet, ...] = ()
        self.matching: list[int] = []
        self.kept: list[Question] = []
        self.include_outside = False

    def start(self, root: object, config: BankConfig | None, sources: object,
              sets: tuple[QuestionSet, ...]) -> None:
        self.sets, self.matching = sets, [0] * len(sets)
        self.include_outside = config is not None and config.include_outside

    def feed(self, questions: Sequence[Question]) -> None:
        self.absorb(self.part_maker()(questions))

    def part_maker(self) -> TallyPart:
        """What the tally asks of one file's questions by themselves (load.py
        runs it where the file was read, and sends only its findings)."""
        return TallyPart(self.sets, self.include_outside, SUMMARY_LIMIT)

    def absorb(self, part: TallyFound) -> None:
        """feed() of what a TallyPart found in one file."""
        self.count += part.count
        self.files.update(dict.fromkeys(part.files))
        wanted: set[int] = set()
        for i, (count, first) in enumerate(part.matching):
            # the set's questions up to the limit, counted over the files before this one
            room = part.limit - self.matching[i]
            wanted.update(first[:max(room, 0)])
            self.matching[i] += count
        self.kept += [part.questions[n] for n in sorted(wanted)]


class TallyFound(NamedTuple):
    """A file's share of a SetTally: its valid questions, its file, and per
    set how many deliverable questions match and the first ``limit`` of them
    (their places in the file); those questions, by place."""

    count: int
    files: tuple[str, ...]
    matching: tuple[tuple[int, tuple[int, ...]], ...]
    questions: dict[int, Question]
    limit: int


class TallyPart:
    """SetTally's look at one file, with what it needs and nothing it gathered."""

    def __init__(self, sets: tuple[QuestionSet, ...], include_outside: bool, limit: int) -> None:
        self.sets, self.include_outside, self.limit = sets, include_outside, limit

    def __call__(self, questions: Sequence[Question]) -> TallyFound:
        hits: list[list[int]] = [[] for _ in self.sets]
        for n, q in enumerate(questions):
            if q.support.status == "outside" and not self.include_outside:
                continue  # as deliverable() leaves it out
            for i, qset in enumerate(self.sets):
                if matches(q, qset):
                    hits[i].append(n)
        firsts = tuple(tuple(h[:self.limit]) for h in hits)
        return TallyFound(len(questions), tuple(dict.fromkeys(q.loc.file for q in questions)),
                          tuple((len(h), first) for h, first in zip(hits, firsts)),
                          {n: questions[n] for first in firsts for n in first}, self.limit)


def left_out_summary(bank: Bank, verbose: bool = False, tally: SetTally | None = None) -> list[str]:
    """What the sheets of each set leave out, as lines for `quizgen validate`:
    a count per set, then each question and why, when ``verbose`` or when the
    set names its questions (``ids:``: the author asked for each). Selection
    only; no PDF is built. ``tally``: the bank's questions as a SetTally
    took them, when the bank was loaded without them."""
    if tally is not None:
        from dataclasses import replace

        bank = replace(bank, questions=tuple(tally.kept))  # every question a selection below reads
    bank = deliverable(bank)
    lines: list[str] = []
    for n, qset in enumerate(bank.sets):
        matching = tally.matching[n] if tally is not None else sum(1 for q in bank.questions if matches(q, qset))
        if matching > SUMMARY_LIMIT:  # the leak check compares pairs: validate stays fast on huge banks
            lines.append(f"set '{qset.name}': {matching} matching questions, more than validate checks for "
                         f"leaks ({SUMMARY_LIMIT}); `quizgen pdf {qset.name}` reports what it leaves out")
            continue
        chosen = selection(bank.questions, qset, None, sheet_headings(bank, qset))
        if not chosen.left_out:
            continue
        lines.append(f"set '{qset.name}': prints {len(chosen.questions)} of {matching} matching questions; "
                     f"{len(chosen.left_out)} left out (another printed text would give their answer away)")
        if verbose or qset.ids:
            lines += [f"  {leak.question.id}: {leak.describe()}" for leak in chosen.left_out]
    return lines


def select(questions: Sequence[Question], qset: QuestionSet, seed: int | None = None) -> tuple[Question, ...]:
    """The set's questions in the set's order (see ``selection``)."""
    return selection(questions, qset, seed).questions


def _ordered(chosen: list[Question], qset: QuestionSet, seed: int) -> list[Question]:
    if qset.order == "shuffle":
        shuffled = list(chosen)
        _rng(qset.name, seed, "order").shuffle(shuffled)
        return shuffled
    if qset.order == "topic":
        rank = _topic_rank(chosen, qset)
        return sorted(chosen, key=lambda q: rank[q.topic])  # stable: bank order inside a topic
    if qset.order == "ids" and qset.ids:
        position = {qid: i for i, qid in enumerate(qset.ids)}
        return sorted(chosen, key=lambda q: position.get(q.id, len(position)))
    return list(chosen)


def _topic_rank(chosen: Iterable[Question], qset: QuestionSet) -> dict[str, int]:
    """The set's own topic order first, then topics in order of first appearance."""
    rank = {t: i for i, t in enumerate(qset.topics)}
    for q in chosen:
        rank.setdefault(q.topic, len(rank))
    return rank


# -- points --------------------------------------------------------------------

# What a question is worth when neither it nor its set says: one point per
# thing the student must get right (a box, a blank, a pair), two for an answer
# written out or a whole order.
DEFAULT_POINTS = {"mcq": 1, "true_false": 1, "short_answer": 2, "cloze": None, "matching": None, "ordering": 2}


def question_points(q: Question, qset: QuestionSet | None = None) -> int:
    """The question's own ``points:``, else the set's points for its type,
    else DEFAULT_POINTS (a cloze: one per blank; a matching: one per pair)."""
    own = getattr(q, "points", None)
    if own is not None:
        return own
    by_type = dict(getattr(qset, "points", None) or ()) if qset is not None else {}
    if q.type in by_type:
        return by_type[q.type]
    fixed = DEFAULT_POINTS.get(q.type)
    if fixed is not None:
        return fixed
    return max(1, len(q.cloze_blanks) if q.type == "cloze" else len(q.pairs))


# -- variants ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ShownQuestion:
    """One question as a variant prints it.

    ``order`` is a permutation of the question's choices: shown[i] is
    original[order[i]]. It permutes the options (mcq), the right-hand column
    (matching) or the items (ordering); it is empty for other types.
    """

    number: int
    question: Question
    order: tuple[int, ...] = ()
    points: int = 1

    @property
    def choices(self) -> tuple[str, ...]:
        """What the worksheet lists, in its printed order."""
        q = self.question
        if q.type == "matching":  # the spares shuffle in among the partners
            original = tuple(right for _, right in q.pairs) + q.spares
        elif q.type == "ordering":
            original = q.items
        else:
            original = q.options
        if not self.order:
            return original
        return tuple(original[i] for i in self.order)

    @property
    def answer_index(self) -> int:
        """Index of the answer among the printed choices (mcq and true_false)."""
        correct = self.question.correct_index
        return self.order.index(correct) if self.order else correct

    @property
    def answer_letter(self) -> str:
        return letters(self.answer_index)

    @property
    def matching_key(self) -> tuple[str, ...]:
        """For each left item, top to bottom, the letter of its printed partner."""
        return tuple(letters(self.order.index(i)) for i in range(len(self.question.pairs)))

    @property
    def spare_letters(self) -> tuple[str, ...]:
        """The printed letters of a matching's spare options, in the bank's order."""
        q = self.question
        start = len(q.pairs)
        return tuple(letters(self.order.index(start + j) if self.order else start + j) for j in range(len(q.spares)))

    @property
    def ordering_key(self) -> tuple[str, ...]:
        """Letters of the printed items, in the correct order (earliest first)."""
        return tuple(letters(self.order.index(i)) for i in range(len(self.question.items)))

    @property
    def ordering_positions(self) -> tuple[int, ...]:
        """For each printed item, top to bottom, the number the student writes in its box."""
        return tuple(i + 1 for i in self.order)


@dataclass(frozen=True, slots=True)
class Variant:
    """One printed version of a set: its questions in order, choices shuffled."""

    set_name: str
    title: str
    letter: str  # "" when the set is printed in a single version
    index: int
    count: int  # how many variants were made
    seed: int
    questions: tuple[ShownQuestion, ...]
    student: str = ""  # the name printed on a per-student copy

    @property
    def total_points(self) -> int:
        return sum(s.points for s in self.questions)

    @property
    def label(self) -> str:
        """A name for files and headings: the set name, plus the letter if any."""
        return f"{self.set_name}-{self.letter}" if self.letter else self.set_name

    @property
    def code(self) -> str:
        """Printed on the worksheet so a teacher can find the matching key and
        rebuild the same sheet: set, variant and seed."""
        letter = f"/{self.letter}" if self.letter else ""
        return f"{self.set_name}{letter}/s{self.seed}"


def make_variants(questions: Sequence[Question], qset: QuestionSet, count: int = 1,
                  seed: int | None = None) -> tuple[Variant, ...]:
    """``count`` variants of the selected questions.

    A single version keeps the set's question order. With several versions each
    one shuffles the question order too (inside each topic when the set is
    ordered by topic, so its sections survive). Choices are always shuffled:
    authors write the answer first and ordering items in their correct order.
    """
    if count < 1:
        raise ValueError(f"expected at least one variant, got {count}")
    seed = qset.seed if seed is None else seed
    return tuple(_variant(questions, qset, count, seed, index) for index in range(count))


def student_seed(qset_name: str, seed: int, student: str) -> int:
    """A student's own seed, from the set's seed and the name: the same
    roster always gives the same copies, whatever its order."""
    return _rng(qset_name, seed, "student", student).randrange(10 ** 6)


def make_student_copies(questions: Sequence[Question], qset: QuestionSet, students: Sequence[str],
                        seed: int | None = None) -> tuple[Variant, ...]:
    """One copy per student, numbered 01, 02, … in roster order, each shuffled
    (questions and choices) from the student's own seed."""
    seed = qset.seed if seed is None else seed
    width = max(2, len(str(len(students))))
    copies = []
    for index, name in enumerate(students):
        own = student_seed(qset.name, seed, name)
        v = _variant(questions, qset, max(2, len(students)), own, 0)
        copies.append(Variant(set_name=qset.name, title=qset.title, letter=f"{index + 1:0{width}d}", index=index,
                              count=len(students), seed=own, questions=v.questions, student=name))
    return tuple(copies)


def _variant(questions: Sequence[Question], qset: QuestionSet, count: int, seed: int, index: int) -> Variant:
    rng = _rng(qset.name, seed, "variant", index)
    ordered = list(questions)
    if count > 1:
        ordered = _shuffle_questions(ordered, qset, rng)
    shown = tuple(ShownQuestion(number=i + 1, question=q, order=_choice_order(q, rng),
                                points=question_points(q, qset))
                  for i, q in enumerate(ordered))
    return Variant(set_name=qset.name, title=qset.title, letter=letters(index) if count > 1 else "",
                   index=index, count=count, seed=seed, questions=shown)


def _shuffle_questions(ordered: list[Question], qset: QuestionSet, rng: random.Random) -> list[Question]:
    if qset.order != "topic":
        rng.shuffle(ordered)
        return ordered
    groups: dict[str, list[Question]] = {}
    for q in ordered:
        groups.setdefault(q.topic, []).append(q)
    result: list[Question] = []
    for group in groups.values():
        rng.shuffle(group)
        result.extend(group)
    return result


def _choice_order(q: Question, rng: random.Random) -> tuple[int, ...]:
    if q.type == "mcq":
        pinned = [i for i, o in enumerate(q.options) if o.strip().lower().endswith(_PINNED_LAST)]
        free = [i for i in range(len(q.options)) if i not in pinned]
        rng.shuffle(free)
        return tuple(free + pinned)
    if q.type in ("matching", "ordering"):
        n = len(q.pairs) + len(q.spares) if q.type == "matching" else len(q.items)
        return _shuffle_not_identity(n, rng)
    return ()


def _shuffle_not_identity(n: int, rng: random.Random) -> tuple[int, ...]:
    """A shuffle that is never the identity: printed in their correct order,
    matching pairs and ordering items would be their own answer."""
    order = list(range(n))
    if n < 2:
        return tuple(order)
    while order == sorted(order):
        rng.shuffle(order)
    return tuple(order)
