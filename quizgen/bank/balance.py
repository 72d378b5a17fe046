"""Where the keys sit: the letter of each multiple-choice key as the Anki deck
prints it, and how many true/false keys are True. A bank whose keys pile up on
one letter, or on one truth value, teaches the pattern instead of the facts.

The deck's option order lives here, not in the renderer, so that `validate`
judges the letters a learner will actually see.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from quizgen.errors import Diagnostic, Loc
from quizgen.model import Question

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_LETTER_SHARE = 0.35  # of mcq keys on one letter (when that is above what chance gives)
MAX_TRUTH_SHARE = 0.70  # of true/false keys one way
MIN_KEYS = 20  # fewer keys than this are too few to call skewed


def option_order(question_id: str, options: Sequence[str]) -> list[int]:
    """The order in which a deck prints the options: a permutation fixed by the
    question id and the option texts, so the same bank always prints the same
    order and an edited option list reshuffles that question only. Unlike a
    worksheet shuffle it may be the written order: every position is equally
    likely for the key, so the bank's letters spread evenly.

    Sorting by hash bytes, not random.shuffle, so the order cannot change with
    the Python version and silently rewrite every note."""
    n = len(options)
    seed = "\x1f".join((question_id, *options)).encode("utf-8")
    digest = hashlib.sha256(b"options\x00" + seed).digest()
    while len(digest) < 4 * n:
        digest += hashlib.sha256(digest).digest()
    return sorted(range(n), key=lambda i: (digest[4 * i: 4 * i + 4], i))


def keyed_index(q: Question) -> int | None:
    """The position of an mcq key as printed on its card (0 = A), None if the
    answer is not among the options (validation reports that)."""
    if q.answer not in q.options:
        return None
    return option_order(q.id, q.options).index(q.options.index(q.answer))


@dataclass(frozen=True)
class Balance:
    letters: Counter  # letter -> mcq keys printed at it
    expected: dict  # letter -> keys chance would put there (sum of 1/n over questions with that letter)
    true: int
    false: int

    @property
    def mcq(self) -> int:
        return sum(self.letters.values())

    def summary(self) -> str:
        """"mcq keys A 13, B 12, C 14, D 12; true/false 22 True, 23 False"."""
        parts = []
        if self.mcq:
            parts.append("mcq keys " + ", ".join(f"{k} {self.letters[k]}" for k in sorted(self.expected)))
        if self.true + self.false:
            parts.append(f"true/false {self.true} True, {self.false} False")
        return "; ".join(parts) or "no mcq or true/false keys"


class KeyPart(NamedTuple):
    """Where one file's keys sit (KeyCount.part): the letters its mcq keys
    print at, the number of options of each of those questions in order (the
    chance sums are added question by question, as balance() adds them, so
    the floats come out the same), and its true/false keys."""

    letters: Counter
    options: list[int]
    true: int
    false: int


class KeyCount:
    """balance() fed a file's questions at a time (validate keeps no bank)."""

    def __init__(self) -> None:
        self.letters: Counter = Counter()
        self.expected: dict[str, float] = {}
        self.true = self.false = 0

    def add(self, questions: Iterable[Question]) -> None:
        self.absorb(self.part(questions))

    @staticmethod
    def part(questions: Iterable[Question]) -> KeyPart:
        """A file's share, where its questions are (a large bank's worker):
        the option orders' hashing is the costly part."""
        letters: Counter = Counter()
        options: list[int] = []
        true = false = 0
        for q in questions:
            if q.type == "mcq":
                i = keyed_index(q)
                if i is None:
                    continue
                letters[LETTERS[i]] += 1
                options.append(len(q.options))
            elif q.type == "true_false":
                if q.answer == "True":
                    true += 1
                elif q.answer == "False":
                    false += 1
        return KeyPart(letters, options, true, false)

    def absorb(self, part: KeyPart) -> None:
        self.letters.update(part.letters)
        expected = self.expected
        for n in part.options:
            for j in range(n):
                expected[LETTERS[j]] = expected.get(LETTERS[j], 0.0) + 1 / n
        self.true += part.true
        self.false += part.false

    def balance(self) -> Balance:
        return Balance(self.letters, self.expected, self.true, self.false)


def balance(questions: Iterable[Question]) -> Balance:
    count = KeyCount()
    count.add(questions)
    return count.balance()


def check_balance(questions: Sequence[Question], where: Loc) -> list[Diagnostic]:
    """Warnings when one letter holds over MAX_LETTER_SHARE of the mcq keys
    (and more than chance would give it) or one truth value over
    MAX_TRUTH_SHARE of the true/false keys."""
    return balance_warnings(balance(questions), where)


def balance_warnings(b: Balance, where: Loc) -> list[Diagnostic]:
    """check_balance of a Balance already counted."""
    out = []
    if b.mcq >= MIN_KEYS:
        for letter, count in sorted(b.letters.items()):
            share, chance = count / b.mcq, b.expected.get(letter, 0.0) / b.mcq
            if share > MAX_LETTER_SHARE and share > chance + 0.10:
                out.append(Diagnostic(where, f"expected mcq keys spread over the letters, found {count} of "
                                             f"{b.mcq} ({share:.0%}) at {letter} on the cards "
                                             f"({b.summary()}); reword options or add questions",
                                      "warning"))
    tf = b.true + b.false
    if tf >= MIN_KEYS:
        for name, count in (("True", b.true), ("False", b.false)):
            if count / tf > MAX_TRUTH_SHARE:
                out.append(Diagnostic(where, f"expected true/false keys both ways, found {count} of {tf} "
                                             f"({count / tf:.0%}) {name}; add statements keyed the other way",
                                      "warning"))
    return out
