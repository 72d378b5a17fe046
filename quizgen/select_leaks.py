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
    return _memo("printed", q, _printed)


def _printed(q: Question) -> tuple[str, ...]:
    texts = [CLOZE_BLANK.sub(" ____ ", q.prompt) if q.type == "cloze" else q.prompt]
    if q.type == "mcq":
        texts += q.options
    texts += [side for pair in q.pairs for side in pair]
    texts += q.spares
    texts += q.items
    return tuple(texts)


def keys(q: Question) -> tuple[tuple[str, ...], ...]:
    """What would give the question's answer away, each as the strings that
    must appear together in one printed text: one string for most types, a
    (left, right) pair for a matching. True/false and ordering keys are a
    verdict and an order, which no text contains: they have none."""
    return _memo("keys", q, _keys)


def _keys(q: Question) -> tuple[tuple[str, ...], ...]:
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


@functools.lru_cache(maxsize=65536)
def _pattern(key: str) -> re.Pattern[str] | None:
    k = normalise(key)
    if not k:
        return None
    left = r"(?<!\w)" if _spaced(k[0]) else ""
    right = r"(?!\w)" if _spaced(k[-1]) else ""
    return re.compile(left + re.escape(k) + right)


def contains(text: str, key: str) -> bool:
    """Whether normalised ``text`` holds ``key`` as whole words."""
    k = normalise(key)
    # the plain substring test is a necessary condition and far cheaper than
    # the search, and than compiling the pattern (in a build, every key of a
    # set is tried, and most never occur: ~100 compiles, 20-30 ms, saved)
    return bool(k) and k in text and _pattern(key).search(text) is not None  # type: ignore[union-attr]


_PER_QUESTION: dict[tuple[str, int], tuple[Question, object]] = {}


def _memo(kind: str, q: Question, make):
    """``make(q)``, once per question object: every pair of a sheet asks for
    the same question's keys and words again, and hashing a whole question
    would cost more than it saves. The entry keeps ``q`` alive, so its id
    cannot be reused while the entry stands."""
    hit = _PER_QUESTION.get((kind, id(q)))
    if hit is not None and hit[0] is q:
        return hit[1]
    if len(_PER_QUESTION) > 200_000:
        _PER_QUESTION.clear()
    value = make(q)
    _PER_QUESTION[(kind, id(q))] = (q, value)
    return value


@dataclass(frozen=True, slots=True)
class Leak:
    """``question``'s key ``key`` is printed in ``text``, which belongs to
    ``by`` (another question's id, or "title" / "instructions")."""

    question: Question
    key: str
    by: str
    text: str
    # "key": q's key is printed in ``by``'s text; "gives": q prints the key of
    # the kept question ``by``; "states": ``by``'s text states q's true/false
    # statement; "settles": q's text states ``by``'s statement; "spelling": the
    # sheet prints both spellings q asks about; "completes": q prints the second
    # of the spellings ``by`` asks about.
    kind: str = "key"

    def describe(self) -> str:
        where = (f"question '{self.by}'" if self.by not in ("title", "instructions", "section heading")
                 else f"the set's {self.by}" if self.by != "section heading" else "a section heading")
        if self.kind == "gives":
            return f"it prints the key '{self.key}' of {where}: \"{self.text}\""
        if self.kind == "states":
            return f"its statement is settled by {where}: \"{self.text}\""
        if self.kind == "settles":
            return f"it states what {where} asks true or false: \"{self.text}\""
        if self.kind == "completes":
            return f"it prints one of the spellings {self.key} that {where} asks about: \"{self.text}\""
        if self.kind == "spelling":
            return f"it asks about the spellings {self.key}, which the sheet prints: \"{self.text}\""
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
    return _memo("context", q, _context)


def _context(q: Question) -> frozenset[str]:
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


# -- settling without printing a key -----------------------------------------
# A true/false statement has no key text, yet another question can settle it by
# stating the same thing (an MCQ stem, an ordering item, another statement), and
# a question about how the sources spell a name is settled by a sheet that
# prints both spellings. Both rules read only the bank's own words.

# Share of a statement's content words another text must print to state it.
STATES = 0.8
MIN_STATEMENT = 3  # fewer content words than this: too little to compare


def _share(words_needed: frozenset[str], text_words: frozenset[str]) -> bool:
    need = max(MIN_STATEMENT, -(-len(words_needed) * int(STATES * 10) // 10))
    return len(words_needed) >= MIN_STATEMENT and len(words_needed & text_words) >= need


def _sources_text(q: Question) -> str:
    return " ".join((q.explanation, *(c.quote for c in q.citations)))


@functools.lru_cache(maxsize=65536)
def _names(text: str) -> frozenset[str]:
    """Capitalised tokens and numbers of a text: the distinctive part of a fact."""
    return frozenset(w.casefold() for w in re.findall(r"\b(?:[^\W\d_][\w'’-]*|\d[\d,.]*)", text)
                     if w[0].isdigit() or w[0].isupper())


def statement_settled(q: Question, raw: str) -> bool:
    """Whether ``raw`` settles the true/false statement ``q``. A true statement
    is settled by a text that prints most of its content words. A false one is
    settled by a text that prints most of the words it shares with its
    quotes (the part that is right, at least half the statement) together with a name or
    number the sources give in place of the wrong one: the corrected statement."""
    if q.type != "true_false":
        return False
    said = words(raw)
    if q.answer != "False":
        return _share(words(q.prompt), said)
    statement = words(q.prompt)
    right = statement & words(" ".join(c.quote for c in q.citations))  # the quotes, verbatim
    if 2 * len(right) < len(statement):  # a claim about the sources ("they spell it alike"), not a fact they state
        return False
    corrections = _names(_sources_text(q)) - _names(q.prompt)
    return _share(right, said) and bool(corrections & _names(raw))


def _edits(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance of two short words, stopping above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


MIN_NAME = 5  # shorter capitalised words differ by one letter too often


def _capitalised(text: str) -> set[str]:
    return {w for w in re.findall(r"\b[^\W\d_]\w+", text) if w[0].isupper() and len(w) >= MIN_NAME}


def spellings(q: Question) -> tuple[tuple[str, str], ...]:
    """The name spellings ``q`` is about: two capitalised words, one or two
    letters apart, alike in their first letter and neither a start of the other
    (not "Island" and "Islands"), that its quotes take from different sources
    ("Katarina" in one article, "Katharina" in another) and that its key does not
    hold. Such a question asks how the sources write the name, so a sheet that
    prints both spellings answers it."""
    return _memo("spellings", q, _spellings)


def _spellings(q: Question) -> tuple[tuple[str, str], ...]:
    by_source: dict[str, set[str]] = {}
    for c in q.citations:
        by_source.setdefault(c.source, set()).update(_capitalised(c.quote))
    keyed = " ".join(part for key in keys(q) for part in key)
    found: set[tuple[str, str]] = set()
    sources = sorted(by_source)
    for i, one in enumerate(sources):
        for other in sources[i + 1:]:
            for a in by_source[one] - by_source[other]:
                for b in by_source[other] - by_source[one]:
                    x, y = sorted((a, b))
                    if (x[0] == y[0] and not y.casefold().startswith(x.casefold())
                            and 1 <= _edits(x.casefold(), y.casefold()) <= 2
                            and x not in keyed and y not in keyed):
                        found.add((x, y))
    return tuple(sorted(found))


def spelling_settled(q: Question, texts: Sequence[str]) -> tuple[str, str] | None:
    """The pair of spellings of q that ``texts`` (the rest of the sheet) print
    both of, named for a message, and the text printing the second one."""
    for a, b in spellings(q):
        with_a = next((t for t in texts if a in t and re.search(rf"\b{re.escape(a)}\b", t)), None)
        with_b = next((t for t in texts if b in t and re.search(rf"\b{re.escape(b)}\b", t)), None)
        if with_a and with_b:
            return f"'{a}' and '{b}'", with_b if with_b != with_a else with_a
    return None


def settled_by(other: Question, q: Question) -> str | None:
    """The printed text of ``other`` that settles q's statement, or None."""
    if q.type != "true_false":
        return None
    for raw in printed(other):
        if statement_settled(q, raw):
            return raw
    return None


def _spelling_leak(q: Question, others: Sequence[Question]) -> Leak | None:
    """q asks about spellings that the other questions print both of."""
    if not spellings(q):
        return None
    texts = [t for o in others for t in printed(o)]
    hit = spelling_settled(q, texts)
    if hit is None:
        return None
    by = next(o.id for o in others if hit[1] in printed(o))
    return Leak(q, hit[0], by, hit[1], "spelling")


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
    def found():
        yield header_leak(q, header)
        yield from (pair_leak(q, other) for other in kept)
        yield _spelling_leak(q, kept)
        yield from (completes(q, p, kept) for p in kept)  # q would print the second spelling a kept one asks about

    return next((leak for leak in found() if leak), None)


def header_leak(q: Question, header: Sequence[tuple[str, str]]) -> Leak | None:
    """The first title, instruction or heading that prints q's key."""
    for who, text in header:
        hit = header_gives_away(text, q)
        if hit:
            return Leak(q, hit[0], who, hit[1])
    return None


def pair_leak(q: Question, other: Question) -> Leak | None:
    """Why q and the kept question ``other`` cannot share a sheet, or None."""
    hit = gives_away(other, q)
    if hit:
        return Leak(q, hit[0], other.id, hit[1])
    hit = gives_away(q, other)
    if hit:  # q would give the kept question away: q goes, the reason names both
        return Leak(q, hit[0], other.id, hit[1], "gives")
    text = settled_by(other, q)
    if text:
        return Leak(q, "", other.id, text, "states")
    text = settled_by(q, other)
    if text:
        return Leak(q, "", other.id, text, "settles")
    return None


def completes(q: Question, p: Question, kept: Sequence[Question]) -> Leak | None:
    """q, joining ``kept``, would print the second of the spellings the kept ``p`` asks about."""
    if not spellings(p):
        return None
    hit = _spelling_leak(p, [o for o in kept if o is not p] + [q])
    return Leak(q, hit.key, p.id, hit.text, "completes") if hit else None


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
                text = settled_by(other, q)
                if text:
                    found.append(Leak(q, "", other.id, text, "states"))
        leak = _spelling_leak(q, [o for o in questions if o is not q])
        if leak:
            found.append(leak)
    return found


def without_leaks(candidates: Sequence[Question], title: str = "", instructions: str = "",
                  limit: int | None = None, headings: Sequence[str] = ()) -> tuple[list[Question], list[Leak]]:
    """Questions taken in the given order, each unless it would leak or be
    leaked on the sheet so far, up to ``limit``; and why each other one was left out."""
    from quizgen.select_sheet import Sheet

    sheet = Sheet(header_texts(title, instructions, headings))
    left_out: list[Leak] = []
    for q in candidates:
        if limit is not None and len(sheet.kept) >= limit:
            break
        leak = sheet.leak(q)  # what leak_between(q, header, kept) finds, without weighing every pair
        if leak is None:
            sheet.add(q)
        else:
            left_out.append(leak)
    return sheet.kept, left_out
