"""Item analysis and the key check: what results.csv says about each question.

Rows (quizgen.grade.results.ResultRow) are pooled per question id across
variants and student copies. A printed letter means a different bank option
on each copy, so every mark goes back through its copy's manifest entry
(``order``: printed choice i is the bank's choice order[i]) and distractors
are counted per bank option. The figures and thresholds are explained in
docs/grading-analysis.md.

Pure and stdlib only: rows and manifests in, frozen values out. Reading the
files with line numbers is quizgen.grade.analysis_inputs; drawing and writing
the report is quizgen.grade.report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.grade.results import ResultRow

CHOICE_TYPES = ("mcq", "true_false")  # one box per option: the types distractors are counted for

# Thresholds (docs/grading-analysis.md explains each).
MIN_STUDENTS = 5  # below this no item is flagged: one student more or less swings every figure
TOO_EASY = 0.90  # facility above
TOO_HARD = 0.30  # facility below
LOW_DISCRIMINATION = 0.20  # corrected point-biserial below
NONFUNCTIONING = 0.05  # a distractor chosen by fewer than this share of the students who answered
GROUP_SHARE = 0.27  # upper and lower groups (Kelley)

FLAG_TEXT = {
    "key_error": "likely key error",
    "too_easy": "too easy",
    "too_hard": "too hard",
    "negative_discrimination": "negative discrimination",
    "low_discrimination": "low discrimination",
    "nonfunctioning_distractors": "non-functioning distractors",
}


@dataclass(frozen=True, slots=True)
class OptionCount:
    index: int  # the bank's option index
    text: str
    count: int  # students who marked this option alone
    upper: int  # of them, in the upper group
    lower: int  # of them, in the lower group
    correct: bool


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    type: str
    label: str  # "3": its number on the first copy ("" when that copy lacks it)
    max_points: float
    n: int  # decided rows (answered or blank)
    undecided: int  # rows left for review (correct=None), excluded from every figure
    facility: float | None  # mean of points / max_points
    discrimination: float | None  # corrected point-biserial: item vs the rest of the test
    upper_lower: float | None  # facility in the upper 27 % minus in the lower 27 %
    options: tuple[OptionCount, ...] = ()  # mcq and true_false, in the bank's order
    blank: int = 0
    multiple: int = 0  # more than one box marked
    key_text: str = ""
    flags: tuple[str, ...] = ()
    nonfunctioning: tuple[int, ...] = ()  # option indices

    @property
    def key_option(self) -> OptionCount | None:
        return next((o for o in self.options if o.correct), None)

    @property
    def top_wrong(self) -> OptionCount | None:
        """The wrong option chosen most (ties: the one upper students chose more, then bank order)."""
        wrong = [o for o in self.options if not o.correct and o.count]
        return max(wrong, key=lambda o: (o.count, o.upper, -o.index)) if wrong else None


@dataclass(frozen=True, slots=True)
class TestStats:
    students: int
    items: int
    max_points: float
    mean: float | None
    sd: float | None  # population sd of the totals
    alpha: float | None  # Cronbach's alpha (= KR-20 when every item is right/wrong)
    alpha_students: int  # students with every item decided (alpha uses only them)
    distribution: tuple[tuple[float, int], ...]  # (total, students), ascending
    undecided: int


@dataclass(frozen=True, slots=True)
class Analysis:
    items: tuple[Item, ...]
    test: TestStats
    notes: tuple[str, ...] = ()  # why some figure is missing (a small class, no variance, ...)

    def item(self, question_id: str) -> Item:
        return next(i for i in self.items if i.id == question_id)


# -- copies: which manifest entry a row was printed from -------------------------

@dataclass(frozen=True, slots=True)
class _Entry:
    number: int
    id: str
    type: str
    points: float
    choices: tuple[str, ...]  # printed letters
    texts: tuple[str, ...]  # printed texts
    order: tuple[int, ...]
    key_letter: str
    key_text: str


def _entries(copy: Mapping) -> dict[str, _Entry]:
    out = {}
    for q in copy.get("questions", ()):
        choices = q.get("choices") or []
        key = q.get("key") or {}
        texts = tuple(str(c.get("text", "")) for c in choices)
        letters = tuple(str(c.get("letter", "")) for c in choices)
        key_letter = str(key.get("letter", ""))
        if not key_letter and q.get("type") == "true_false" and key.get("text") in texts:
            key_letter = letters[texts.index(key.get("text"))]
        out[str(q["id"])] = _Entry(int(q.get("number", 0)), str(q["id"]), str(q.get("type", "")),
                                   float(q.get("points", 1)), letters, texts,
                                   tuple(int(i) for i in (q.get("order") or range(len(choices)))),
                                   key_letter, str(key.get("text", "")))
    return out


class Copies:
    """The manifests' copies, found by a row's code, else its variant and student."""

    def __init__(self, manifests: Sequence[Mapping]):
        self.by_code: dict[str, dict[str, _Entry]] = {}
        self.by_name: dict[tuple[str, str], dict[str, _Entry]] = {}
        self.first: dict[str, _Entry] = {}
        for m in manifests:
            for copy in m.get("copies", ()):
                entries = _entries(copy)
                if not self.first:
                    self.first = entries
                if copy.get("code"):
                    self.by_code.setdefault(str(copy["code"]), entries)
                self.by_name.setdefault((str(copy.get("variant", "")), str(copy.get("student", ""))), entries)

    def find(self, row: ResultRow) -> dict[str, _Entry] | None:
        if row.code and row.code in self.by_code:
            return self.by_code[row.code]
        if row.code:
            return None
        return self.by_name.get((row.variant, row.student))


def _option(entry: _Entry, mark: str) -> int | None:
    """The bank option index a printed mark names (a letter, or a true/false text)."""
    if mark in entry.choices:
        i = entry.choices.index(mark)
    else:
        folded = [t.casefold() for t in entry.texts]
        # an answer sheet's true/false boxes carry the texts' initials ("T", "F")
        initial = [j for j, t in enumerate(folded) if len(mark) == 1 and t[:1] == mark.casefold()]
        if mark.casefold() in folded:
            i = folded.index(mark.casefold())
        elif len(initial) == 1:
            i = initial[0]
        else:
            return None
    return entry.order[i] if i < len(entry.order) else i


def check_rows(rows: Sequence[ResultRow], manifests: Sequence[Mapping],
               locs: Sequence[Loc] | None = None) -> list[Diagnostic]:
    """Every row that names a copy, question or box the manifests do not print."""
    copies = Copies(manifests)
    out = []
    for i, row in enumerate(rows):
        loc = locs[i] if locs is not None else Loc("results", i + 2, 1)
        entries = copies.find(row)
        if entries is None:
            what = f"code '{row.code}'" if row.code else f"variant '{row.variant}' student '{row.student}'"
            out.append(Diagnostic(loc, f"expected a copy of the manifest, found {what}"))
            continue
        entry = entries.get(row.question)
        if entry is None:
            out.append(Diagnostic(loc, f"expected a question of that copy, found '{row.question}'"))
            continue
        if entry.type in CHOICE_TYPES and row.correct is not None and row.marked:
            for mark in row.marked.split(";"):
                if _option(entry, mark.strip()) is None:
                    out.append(Diagnostic(loc, f"expected one of the printed choices "
                                               f"{', '.join(entry.choices)}, found '{mark}'"))
    return out


# -- statistics ---------------------------------------------------------------

def _mean(xs: Sequence[float]) -> float:
    return math.fsum(xs) / len(xs)


def _pvar(xs: Sequence[float]) -> float:
    m = _mean(xs)
    return math.fsum((x - m) ** 2 for x in xs) / len(xs)


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def _groups(students: Sequence[str], rest: Mapping[str, float]) -> tuple[list[str], list[str]]:
    """Upper and lower 27 % by rest score (ties broken by the copy's key, so the result is stable)."""
    ranked = sorted(students, key=lambda s: (-rest[s], s))
    size = max(1, round(GROUP_SHARE * len(ranked)))
    if 2 * size > len(ranked):
        size = len(ranked) // 2
    return ranked[:size], ranked[len(ranked) - size:] if size else []


def _student_keys(rows: Sequence[ResultRow]) -> list[str]:
    """One key per sheet: rows of a copy printed several times (a variant handed
    to a whole class) are told apart by the sheet they come from, i.e. the k-th
    time a copy's question appears is the k-th sheet of that copy."""
    seen: dict[tuple[str, str, str, str], int] = {}
    keys = []
    for row in rows:
        k = (row.student, row.variant, row.code, row.question)
        n = seen.get(k, 0)
        seen[k] = n + 1
        keys.append(f"{row.student}\x1f{row.variant}\x1f{row.code}\x1f{n:06d}")
    return keys


def analyse(rows: Sequence[ResultRow], manifests: Sequence[Mapping], bank=None) -> Analysis:
    """The item analysis of ``rows``. Raises QuizgenError when a row names a copy,
    question or box the manifests lack (the CLI checks with line numbers first).
    ``bank`` (a model.Bank) is not needed for the figures; it is accepted so
    callers can pass one object through to the report."""
    problems = check_rows(rows, manifests)
    if problems:
        raise QuizgenError(problems)
    copies = Copies(manifests)
    keys = _student_keys(rows)
    decided: dict[str, dict[str, ResultRow]] = {}  # question -> student -> row
    undecided: dict[str, int] = {}
    students: set[str] = set()
    meta: dict[str, _Entry] = {}
    entry_of: dict[tuple[str, str], _Entry] = {}
    for key, row in zip(keys, rows):
        students.add(key)
        entry = copies.find(row)[row.question]  # type: ignore[index]
        meta.setdefault(row.question, entry)
        entry_of[(row.question, key)] = entry
        if row.correct is None:
            undecided[row.question] = undecided.get(row.question, 0) + 1
            decided.setdefault(row.question, {})
        else:
            decided.setdefault(row.question, {})[key] = row
    ordered = sorted(students)

    def frac(row: ResultRow, entry: _Entry) -> float:
        top = row.max_points or entry.points
        return row.points / top if top else 0.0

    totals = {s: 0.0 for s in students}
    for qid, by_student in decided.items():
        for s, row in by_student.items():
            totals[s] += row.points
    notes: list[str] = []
    small = len(students) < MIN_STUDENTS
    if small:
        notes.append(f"{len(students)} student{'s' if len(students) != 1 else ''}: discrimination needs at "
                     f"least {MIN_STUDENTS}, so no question is flagged")
    order = sorted(meta, key=lambda q: (copies.first[q].number if q in copies.first else 10 ** 9, q))
    items = [_item(qid, meta[qid], decided[qid], undecided.get(qid, 0), totals, entry_of, frac, small,
                   copies.first.get(qid)) for qid in order]
    for it in items:
        if it.n and it.discrimination is None and not small:
            notes.append(f"{it.id}: every student scored the same on it or on the rest of the test, "
                         f"so it has no discrimination")
    return Analysis(tuple(items), _test_stats(ordered, order, decided, meta, sum(undecided.values())),
                    tuple(notes))


def _item(qid, entry, by_student, undecided, totals, entry_of, frac, small, first) -> Item:
    who = sorted(by_student)
    scores = [frac(by_student[s], entry_of[(qid, s)]) for s in who]
    rest = {s: totals[s] - by_student[s].points for s in who}
    top = max((r.max_points or entry.points) for r in by_student.values()) if who else entry.points
    facility = _mean(scores) if who else None
    disc = None if small else _pearson(scores, [rest[s] for s in who])
    upper, lower = _groups(who, rest) if len(who) >= 2 else ([], [])
    ul = None
    if not small and upper and lower:
        ul = (_mean([frac(by_student[s], entry_of[(qid, s)]) for s in upper])
              - _mean([frac(by_student[s], entry_of[(qid, s)]) for s in lower]))
    options: tuple[OptionCount, ...] = ()
    blank = multiple = 0
    nonfunctioning: tuple[int, ...] = ()
    flags: list[str] = []
    key_text = entry.key_text
    if entry.type in CHOICE_TYPES:
        n_opts = len(entry.choices)
        texts = [""] * n_opts
        for i, j in enumerate(entry.order):
            texts[j] = entry.texts[i]
        key_index = _option(entry, entry.key_letter) if entry.key_letter else None
        key_text = key_text or (texts[key_index] if key_index is not None else "")
        counts = [[0, 0, 0] for _ in range(n_opts)]
        up, low = set(upper), set(lower)
        for s in who:
            marks = [m.strip() for m in by_student[s].marked.split(";") if m.strip()]
            if not marks:
                blank += 1
            elif len(marks) > 1:
                multiple += 1
            else:
                j = _option(entry_of[(qid, s)], marks[0])
                counts[j][0] += 1
                counts[j][1] += s in up
                counts[j][2] += s in low
        options = tuple(OptionCount(j, texts[j], c[0], c[1], c[2], j == key_index) for j, c in enumerate(counts))
        if who:
            nonfunctioning = tuple(o.index for o in options if not o.correct and o.count < NONFUNCTIONING * len(who))
    if not small and facility is not None:
        if entry.type in CHOICE_TYPES and _key_error(options, upper, disc):
            flags.append("key_error")
        if facility > TOO_EASY:
            flags.append("too_easy")
        if facility < TOO_HARD:
            flags.append("too_hard")
        if disc is not None and disc < 0:
            flags.append("negative_discrimination")
        elif disc is not None and disc < LOW_DISCRIMINATION:
            flags.append("low_discrimination")
        if nonfunctioning:
            flags.append("nonfunctioning_distractors")
    return Item(qid, entry.type, str(first.number) if first else "", top, len(who), undecided, facility, disc, ul,
                options, blank, multiple, key_text, tuple(flags), nonfunctioning)


def _key_error(options: Sequence[OptionCount], upper: Sequence[str], disc: float | None) -> bool:
    """Strong students agree on one wrong option more than on the key, or the
    item discriminates negatively and a wrong option draws at least as many as the key."""
    key = next((o for o in options if o.correct), None)
    if key is None:
        return False
    wrong = [o for o in options if not o.correct]
    if not wrong:
        return False
    best_upper = max(wrong, key=lambda o: o.upper)
    if upper and best_upper.upper > key.upper and best_upper.upper * 2 >= len(upper):
        return True
    best = max(wrong, key=lambda o: o.count)
    return disc is not None and disc < 0 and best.count >= key.count and best.count > 0


def _test_stats(students, order, decided, meta, undecided) -> TestStats:
    max_points = math.fsum(meta[q].points for q in order)
    totals = [math.fsum(decided[q][s].points for q in order if s in decided[q]) for s in students]
    complete = [s for s in students if all(s in decided[q] for q in order)]
    alpha = None
    k = len(order)
    if k >= 2 and len(complete) >= 2:
        item_vars = [_pvar([decided[q][s].points for s in complete]) for q in order]
        total_var = _pvar([math.fsum(decided[q][s].points for q in order) for s in complete])
        if total_var > 1e-12:
            alpha = k / (k - 1) * (1 - math.fsum(item_vars) / total_var)
    dist: dict[float, int] = {}
    for t in totals:
        dist[round(t, 6)] = dist.get(round(t, 6), 0) + 1
    return TestStats(len(students), k, max_points, _mean(totals) if totals else None,
                     math.sqrt(_pvar(totals)) if totals else None, alpha, len(complete),
                     tuple(sorted(dist.items())), undecided)
