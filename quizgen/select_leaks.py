"""Leaks within a sheet: printed text that gives away a question's key.

A sheet prints, for every question, its prompt (cloze blanks hidden), its
options, both columns of a matching and the items of an ordering; and, above
them all, the set's title and instructions. A question's key *leaks* when
other printed text on the same sheet contains it: a cloze whose blank is a
year under a title naming that year, a short answer that an option of
another question spells out, a matching pair that a prompt prints side by side.

Pure and click-free, so selection uses it to leave such questions out and
``quizgen validate`` or a test can ask the same question of any sheet.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from quizgen.model import CLOZE_BLANK, Question

# Keys shorter than this (after normalising) are too common to count as given
# away by appearing somewhere ("EU", "9").
MIN_KEY = 3

_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                       "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " "})


@functools.lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Text as the comparison sees it: NFKC, case-folded, straight quotes and
    hyphens, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).casefold().split())


def printed(q: Question) -> tuple[str, ...]:
    """Every piece of text a worksheet prints for the question."""
    texts = [CLOZE_BLANK.sub(" ____ ", q.prompt) if q.type == "cloze" else q.prompt]
    if q.type == "mcq":
        texts += q.options
    texts += [side for pair in q.pairs for side in pair]
    texts += q.items
    return tuple(texts)


def keys(q: Question) -> tuple[tuple[str, ...], ...]:
    """What would give the question's answer away, each as the strings that
    must appear together in one printed text: one string for most types, a
    (left, right) pair for a matching. True/false and ordering keys are a
    verdict and an order, which no text contains: they have none."""
    if q.type in ("mcq", "short_answer"):
        found = (q.answer, *q.accept)
    elif q.type == "cloze":
        found = q.cloze_blanks
    elif q.type == "matching":
        return tuple(q.pairs)
    else:
        return ()
    return tuple((k,) for k in dict.fromkeys(found) if len(normalise(k)) >= MIN_KEY)


def _spaced(ch: str) -> bool:
    """Scripts that separate words with spaces; elsewhere (kana, kanji) a key
    counts wherever it occurs."""
    name = unicodedata.name(ch, "")
    return not name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))


def contains(text: str, key: str) -> bool:
    """Whether normalised ``text`` holds ``key`` as whole words."""
    k = normalise(key)
    if not k:
        return False
    left = r"(?<!\w)" if _spaced(k[0]) else ""
    right = r"(?!\w)" if _spaced(k[-1]) else ""
    return re.search(left + re.escape(k) + right, text) is not None


@dataclass(frozen=True, slots=True)
class Leak:
    """``question``'s key ``key`` is printed in ``text``, which belongs to
    ``by`` (another question's id, or "title" / "instructions")."""

    question: Question
    key: str
    by: str
    text: str

    def describe(self) -> str:
        where = (f"question '{self.by}'" if self.by not in ("title", "instructions", "section heading")
                 else f"the set's {self.by}" if self.by != "section heading" else "a section heading")
        return f"its key '{self.key}' is printed in {where}: \"{self.text}\""


_STOP = frozenset("""about according after also among article articles before between both could does
from have into most over said says than that their them then there these they this were what when where
which while whom whose will with would your""".split())


@functools.lru_cache(maxsize=65536)
def words(text: str) -> frozenset[str]:
    """Content words: four letters or more, not a function word."""
    return frozenset(w for w in re.findall(r"\w{4,}", normalise(text)) if w not in _STOP)


def context(q: Question) -> frozenset[str]:
    """What the question is about: its prompt's content words, minus its key's."""
    own = frozenset().union(*(words(part) for key in keys(q) for part in key))
    return words(CLOZE_BLANK.sub(" ", q.prompt)) - own


def settles(q: Question, raw: str, near: frozenset[str] = frozenset()) -> str | None:
    """The key of ``q`` that ``raw`` prints where it settles q, or None. A key
    settles when it is printed among words of q's own prompt: two or more of
    its content words in ``raw`` or in ``near`` (the rest of the question
    ``raw`` belongs to). A name printed as an option of a question about something else gives
    nothing away; a matching pair printed together always does."""
    text = normalise(raw)
    for key in keys(q):
        if all(contains(text, part) for part in key) and (
                len(key) > 1 or len(context(q) & (near | words(raw))) >= 2):
            return " → ".join(key)
    return None


def gives_away(other: Question, q: Question) -> tuple[str, str] | None:
    """The first of ``q``'s keys that ``other`` prints where it settles q, and
    the text. Options of a multiple-choice question already list its answer,
    so another MCQ's options say nothing new about an MCQ key; an open answer
    (short answer, cloze) is given away by any printed text, options included."""
    pieces = printed(other)
    near = frozenset().union(*(words(p) for p in pieces))  # the other question's whole text is its context
    if q.type == "mcq" and other.type == "mcq":
        pieces = pieces[:1]
    for raw in pieces:
        key = settles(q, raw, near)
        if key:
            return key, raw
    return None


def header_gives_away(text: str, q: Question) -> tuple[str, str] | None:
    """A title or instruction prints q's key: above every question, it is always a hint."""
    folded = normalise(text)
    for key in keys(q):
        if all(contains(folded, part) for part in key):
            return " → ".join(key), text
    return None


def header_texts(title: str = "", instructions: str = "", headings: Sequence[str] = ()) -> tuple[tuple[str, str], ...]:
    """What the sheet prints above the questions, named for a message."""
    named = [("title", title), ("instructions", instructions)] + [("section heading", h) for h in headings]
    return tuple((who, text) for who, text in named if text)


def leak_between(q: Question, header: Sequence[tuple[str, str]], kept: Sequence[Question]) -> Leak | None:
    """Why ``q`` cannot join a sheet holding ``header`` and ``kept``, or None:
    the header or a kept question prints q's key, or q prints a kept one's."""
    for who, text in header:
        hit = header_gives_away(text, q)
        if hit:
            return Leak(q, hit[0], who, hit[1])
    for other in kept:
        hit = gives_away(other, q)
        if hit:
            return Leak(q, hit[0], other.id, hit[1])
        hit = gives_away(q, other)
        if hit:  # q would give the kept question away: q goes, the reason names both
            return Leak(q, hit[0], q.id, hit[1])
    return None


def sheet_leaks(questions: Sequence[Question], title: str = "", instructions: str = "",
                headings: Sequence[str] = ()) -> list[Leak]:
    """Every leak on a sheet of these questions: the check a finished sheet
    must pass (empty)."""
    header = header_texts(title, instructions, headings)
    found: list[Leak] = []
    for q in questions:
        for who, text in header:
            hit = header_gives_away(text, q)
            if hit:
                found.append(Leak(q, hit[0], who, hit[1]))
        for other in questions:
            if other is not q:
                hit = gives_away(other, q)
                if hit:
                    found.append(Leak(q, hit[0], other.id, hit[1]))
    return found


def without_leaks(candidates: Sequence[Question], title: str = "", instructions: str = "",
                  limit: int | None = None, headings: Sequence[str] = ()) -> tuple[list[Question], list[Leak]]:
    """Questions taken in the given order, each unless it would leak or be
    leaked on the sheet so far, up to ``limit``; and why each other one was left out."""
    header = header_texts(title, instructions, headings)
    kept: list[Question] = []
    left_out: list[Leak] = []
    for q in candidates:
        if limit is not None and len(kept) >= limit:
            break
        leak = leak_between(q, header, kept)
        if leak is None:
            kept.append(q)
        else:
            left_out.append(leak)
    return kept, left_out
