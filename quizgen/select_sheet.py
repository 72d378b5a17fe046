"""The sheet selection fills: the questions kept so far, indexed by the words
they print and the words their keys need, so that weighing a candidate looks
only at the kept questions that could give it away or be given away by it.

select_leaks.leak_between weighs a candidate against every kept question, and
selection asks it of every candidate: quadratic in the set, and the one part of
a build of a large set that grew with its square. Each index below is a
necessary condition of one of leak_between's pairwise checks, so a kept
question it passes over is one those checks would clear; the candidates it
does name are weighed by the very same checks, in sheet order. So Sheet.leak
is leak_between, Leak for Leak (tests/test_select_sheet.py compares them on
generated sheets).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Sequence

from quizgen.model import Question
from quizgen.select_leaks import (MIN_STATEMENT, Leak, _spaced, _spelling_leak, completes, header_leak, keys,
                                  normalise, pair_leak, printed, spellings, words)

_TOKEN = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)
def _tokens(text: str) -> frozenset[str]:
    """The whole words of normalised text: a key printed as whole words is made of them."""
    return frozenset(_TOKEN.findall(normalise(text)))


def _key_tokens(parts: tuple[str, ...]) -> frozenset[str] | None:
    """The words a text must hold to print this key, or None when any can:
    select_leaks.contains matches a key whose edge is kana or kanji inside a
    longer word, so that key's words need not be the text's words."""
    need: set[str] = set()
    for part in parts:
        k = normalise(part)
        if k and not (_spaced(k[0]) and _spaced(k[-1])):
            return None
        need.update(_TOKEN.findall(k))
    return frozenset(need)


def _printed_tokens(q: Question) -> frozenset[str]:
    return frozenset().union(*(_tokens(t) for t in printed(q)))


def _printed_words(q: Question) -> frozenset[str]:
    return frozenset().union(*(words(t) for t in printed(q)))


class Sheet:
    """The header and the questions kept so far, in order."""

    def __init__(self, header: Sequence[tuple[str, str]]):
        self.header = tuple(header)
        self.kept: list[Question] = []
        self._by_token: dict[str, set[int]] = {}  # printed word -> kept positions printing it
        self._by_word: dict[str, list[int]] = {}  # printed content word -> kept positions
        self._keys_by_token: dict[str, list[tuple[int, frozenset[str]]]] = {}  # one word of a key -> (position, key's words)
        self._keys_anywhere: set[int] = set()  # positions with a key no word index can rule out
        self._statements: dict[str, list[int]] = {}  # content word of a kept true/false prompt -> positions
        self._spelling: list[int] = []  # positions of kept questions about spellings

    def leak(self, q: Question) -> Leak | None:
        """What select_leaks.leak_between(q, header, kept) returns."""
        leak = header_leak(q, self.header)
        if leak:
            return leak
        for pos in sorted(self._could_pair(q)):
            leak = pair_leak(q, self.kept[pos])
            if leak:
                return leak
        leak = _spelling_leak(q, self.kept)
        if leak:
            return leak
        # A kept question about spellings is completed only by a newcomer that
        # prints one of them: without q the sheet printed at most one of each
        # pair (each question joined only after this same check).
        texts = printed(q)
        for pos in self._spelling:
            p = self.kept[pos]
            if any(a in t or b in t for a, b in spellings(p) for t in texts):
                leak = completes(q, p, self.kept)
                if leak:
                    return leak
        return None

    def _could_pair(self, q: Question) -> set[int]:
        """Every kept position pair_leak(q, kept[pos]) could find a leak at."""
        found: set[int] = set()
        everyone = range(len(self.kept))
        # another's printed text holds one of q's keys: it prints each of the key's words
        for parts in keys(q):
            need = _key_tokens(parts)
            if not need:
                return set(everyone)
            holders = sorted((self._by_token.get(t, set()) for t in need), key=len)
            found |= holders[0].intersection(*holders[1:])
        # q prints a kept question's key
        mine = _printed_tokens(q)
        found |= self._keys_anywhere
        for t in mine:
            found.update(pos for pos, need in self._keys_by_token.get(t, ()) if need <= mine)
        # a printed text states q's statement, or q's text states a kept one's:
        # either shares at least MIN_STATEMENT content words with the statement
        if q.type == "true_false":
            found |= _at_least(MIN_STATEMENT, (self._by_word.get(w, ()) for w in words(q.prompt)))
        if self._statements:
            found |= _at_least(MIN_STATEMENT, (self._statements.get(w, ()) for w in _printed_words(q)))
        return found

    def add(self, q: Question) -> None:
        pos = len(self.kept)
        self.kept.append(q)
        for t in _printed_tokens(q):
            self._by_token.setdefault(t, set()).add(pos)
        for w in _printed_words(q):
            self._by_word.setdefault(w, []).append(pos)
        for parts in keys(q):
            need = _key_tokens(parts)
            if not need:
                self._keys_anywhere.add(pos)
            else:
                self._keys_by_token.setdefault(min(need), []).append((pos, need))
        if q.type == "true_false":
            for w in words(q.prompt):
                self._statements.setdefault(w, []).append(pos)
        if spellings(q):
            self._spelling.append(pos)


def _at_least(count: int, groups) -> set[int]:
    """The positions named in at least ``count`` of the groups (each names a position once)."""
    tally = Counter(pos for group in groups for pos in group)
    return {pos for pos, n in tally.items() if n >= count}
